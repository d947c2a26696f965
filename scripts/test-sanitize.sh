#!/usr/bin/env bash
# make test-sanitize (docs/RELIABILITY.md): the tests of the parts that read untrusted bytes or
# manage raw resources under AddressSanitizer + UndefinedBehaviorSanitizer (LeakSanitizer
# included), a short libFuzzer run of every fuzz target in that same build, then the concurrent
# parts' tests under ThreadSanitizer. Any finding fails the run. Each phase prints its wall time.
#   scripts/test-sanitize.sh [asan|fuzz|tsan]...   (default: all three, in that order)
# Environment: ASAN_BUILD_DIR (build-asan), TSAN_BUILD_DIR (build-tsan), JOBS (nproc),
# FUZZ_SECONDS (20 per target), CTEST_ARGS (extra ctest arguments).
set -euo pipefail
cd "$(dirname "$0")/.."

asan_dir=${ASAN_BUILD_DIR:-build-asan}
tsan_dir=${TSAN_BUILD_DIR:-build-tsan}
jobs=${JOBS:-$(nproc)}
fuzz_seconds=${FUZZ_SECONDS:-20}
read -r -a ctest_args <<<"${CTEST_ARGS:-}"
phases=("$@")
[ ${#phases[@]} -eq 0 ] && phases=(asan fuzz tsan)

# Findings abort with a stack; leaks are findings. halt_on_error matters for UBSan, whose
# default is to print and go on (the build also passes -fno-sanitize-recover=all).
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:strict_string_checks=1:detect_stack_use_after_return=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/tests/sanitizer/lsan.supp}
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1:suppressions=$PWD/tests/sanitizer/tsan.supp}

# -O1 as the sanitizers advise; line tables are all a symbolized report needs and cost far
# less build time than full debug information.
flags="-O1 -gline-tables-only"
# The ASan build also compiles without the precompiled header, so that a file that includes
# too little fails CI there (scripts/check-no-pch.py finds such files faster by hand).
configure() {  # DIR SANITIZERS FUZZ [CMAKE ARGS...]
  if [ ! -f "$1/build.ninja" ]; then
    CC=clang CXX=clang++ cmake -S . -B "$1" -G Ninja -DCMAKE_BUILD_TYPE=Sanitize \
      -DCMAKE_CXX_FLAGS_SANITIZE="$flags" -DCMAKE_C_FLAGS_SANITIZE="$flags" \
      -DSKILLGRAD_SANITIZE="$2" -DSKILLGRAD_FUZZ="$3" "${@:4}" >/dev/null
  fi
}

asan_labels="core|skill|xlsx|tasks|llm|mock|sandbox|tools|agent"
asan_targets=()
for label in ${asan_labels//|/ }; do asan_targets+=("${label}_tests"); done
mapfile -t fuzz_targets < <(sed -n 's/^ *\([a-z_]*\):sg_[a-z]*)\{0,1\}$/fuzz_\1/p' fuzz/CMakeLists.txt)

phase_started=0
start_phase() {
  phase_started=$(date +%s)
  echo "== test-sanitize: $1"
}
end_phase() {
  echo "== test-sanitize: $1 done in $(($(date +%s) - phase_started)) s"
}

for phase in "${phases[@]}"; do
  case "$phase" in
    asan)
      # What the memory sanitizers protect: the parts that parse bytes from outside (JSON,
      # YAML, SKILL.md, xlsx zips and XML, HTTP and SSE from providers, requests to the mock,
      # answers graded) and the ones that hold raw resources (the sandbox's processes and file
      # descriptors, the tools, the agent loop). The layers above them (run, optim, report,
      # cli) are plain C++ over those parts; their tests run in the main build and, for optim,
      # under TSan. The mock's binary test needs the whole skillgrad binary, so it runs there.
      # Every file this build does not compile is then compiled without the precompiled
      # header, syntax only (scripts/check-no-pch.py --unbuilt), so that CI still proves
      # every .cpp includes what it uses.
      start_phase "build and ctest of $asan_labels under ASan + UBSan ($asan_dir)"
      configure "$asan_dir" address,undefined ON -DCMAKE_DISABLE_PRECOMPILE_HEADERS=ON
      cmake --build "$asan_dir" -j "$jobs" --target "${asan_targets[@]}" "${fuzz_targets[@]}"
      (cd "$asan_dir" && ctest --output-on-failure -j "$jobs" -L "^(${asan_labels}|fuzz)\$" \
        -LE '^sdk$' -E '^MockBinaryTest\.' "${ctest_args[@]}")
      python3 scripts/check-no-pch.py -p "$asan_dir" -j "$jobs" --unbuilt
      end_phase asan
      ;;
    fuzz)
      start_phase "libFuzzer smoke run, ${fuzz_seconds} s per target ($asan_dir)"
      configure "$asan_dir" address,undefined ON -DCMAKE_DISABLE_PRECOMPILE_HEADERS=ON
      cmake --build "$asan_dir" -j "$jobs" --target "${fuzz_targets[@]}"
      scripts/fuzz.sh "$asan_dir" "$fuzz_seconds"
      end_phase fuzz
      ;;
    tsan)
      # The concurrent parts: the thread pool that runs tasks and roles in parallel, and
      # progress (core); the client, in-flight limiter, response cache and ledger shared by
      # those threads (llm); the agent loop (agent); the mock server (mock); the stages that
      # run executors and diagnosers in parallel, in process (optim). Then the whole
      # pipeline once: `skillgrad demo` (collect, train, eval with executors in parallel
      # against the in-process mock). Only these test binaries are built, to keep CI within
      # its time.
      start_phase "build and ctest of core, llm, agent, mock, optim, and skillgrad demo under TSan ($tsan_dir)"
      configure "$tsan_dir" thread OFF
      cmake --build "$tsan_dir" -j "$jobs" --target core_tests llm_tests agent_tests mock_tests \
        optim_tests skillgrad
      (cd "$tsan_dir" && ctest --output-on-failure -j "$jobs" -L '^(core|llm|agent|mock|optim)$' \
        -LE '^sdk$' "${ctest_args[@]}")
      demo_bin="$(cd "$tsan_dir" && pwd)/skillgrad"
      demo_dir=$(mktemp -d /tmp/skillgrad-tsan-demo.XXXXXX)
      if ! (cd "$demo_dir" && "$demo_bin" demo >demo.log 2>&1); then
        cat "$demo_dir/demo.log"
        echo "test-sanitize: skillgrad demo failed under TSan (log above)" >&2
        exit 1
      fi
      echo "skillgrad demo under TSan: $(grep -m1 'LLM calls' "$demo_dir/demo.log")"
      rm -rf "$demo_dir"
      end_phase tsan
      ;;
    *)
      echo "test-sanitize.sh: unknown phase '$phase': use asan, fuzz or tsan" >&2
      exit 2
      ;;
  esac
done
