# The quick start: `make demo` and `make test` install what is missing, then build.
BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= $(shell nproc)
CTEST_ARGS ?=
CMAKE_ARGS ?=
# A CI build is thrown away after its tests: line tables (all a backtrace needs) instead of full
# debug information take a third off the build (docs/RELIABILITY.md, "CI time").
ifeq ($(CI),true)
CMAKE_ARGS += -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG"
endif

.PHONY: all deps build test test-sanitize fuzz perf bench demo clean format tidy check-layout \
        check-no-pch

all: build

deps:
	scripts/install-deps.sh

$(BUILD_DIR)/build.ninja:
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) $(CMAKE_ARGS)

build: $(BUILD_DIR)/build.ninja
	cmake --build $(BUILD_DIR) -j $(JOBS)

test: deps
	scripts/check-layout.py
	$(MAKE) build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) $(CTEST_ARGS)

# ASan + UBSan build and tests, a libFuzzer smoke run of every target, TSan on the concurrent
# parts (scripts/test-sanitize.sh; docs/RELIABILITY.md). Builds in build-asan and build-tsan.
test-sanitize:
	scripts/install-deps.sh --sanitize
	JOBS=$(JOBS) scripts/test-sanitize.sh

# A longer libFuzzer run: FUZZ_SECONDS per target (default 600) in build-asan.
FUZZ_SECONDS ?= 600
fuzz:
	scripts/install-deps.sh --sanitize
	JOBS=$(JOBS) FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/test-sanitize.sh fuzz

# The performance programs under perf/ (docs/PERFORMANCE.md); `make bench` is the old name.
perf: deps
	$(MAKE) build
	scripts/run-benchmarks.sh $(BUILD_DIR)

bench: perf

# Builds the binary only, not the test suite.
demo: deps $(BUILD_DIR)/build.ninja
	cmake --build $(BUILD_DIR) -j $(JOBS) --target skillgrad
	$(BUILD_DIR)/skillgrad demo

# Every #include points down the part order of docs/architecture.md.
check-layout:
	scripts/check-layout.py

# Every .cpp compiles without the precompiled header: each includes what it uses
# (scripts/check-no-pch.py; a few minutes on two cores).
check-no-pch: $(BUILD_DIR)/build.ninja
	scripts/check-no-pch.py -p $(BUILD_DIR) -j $(JOBS)

format:
	clang-format -i $$(git ls-files 'src/*.cpp' 'src/*.h' 'perf/*.cpp' 'tests/e2e/*.cpp' 'tests/e2e/*.h')

tidy: $(BUILD_DIR)/build.ninja
	clang-tidy -p $(BUILD_DIR) --quiet $$(git ls-files 'src/*.cpp')

clean:
	rm -rf $(BUILD_DIR) build-asan build-tsan
