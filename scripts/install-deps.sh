#!/usr/bin/env bash
# Installs the Debian packages skillgrad needs to build, test and run. Skips what is
# already present, so it is cheap and safe to rerun. Uses sudo when not root.
#   scripts/install-deps.sh            build + test + run dependencies
#   scripts/install-deps.sh --sanitize also clang and its sanitizer and libFuzzer runtimes
set -euo pipefail

# Build: compiler toolchain and libraries (each a well-kept Debian package).
BUILD_PKGS=(
  g++ cmake ninja-build pkg-config make
  libcurl4-openssl-dev   # HTTP client for the LLM providers
  nlohmann-json3-dev     # JSON (header-only; in the precompiled header)
  libyaml-cpp-dev        # SKILL.md frontmatter
  libcli11-dev           # command line (header-only; only src/cli includes it)
  libspdlog-dev libfmt-dev
  libcpp-httplib-dev     # the mock LLM server's HTTP side
  libsqlite3-dev         # response cache
  libzip-dev libpugixml-dev  # xlsx reading
  libicu-dev             # Unicode NFKD and case mapping (WikiTableQuestions grader)
  libre2-dev             # linear-time regular expressions (the grep tool)
  libseccomp-dev         # the sandbox's system call filter
  libgtest-dev libgmock-dev libbenchmark-dev
  patch                  # tests replay skill diffs with patch -p1
)
# Run: what agents' code and graders use.
RUN_PKGS=(
  python3 python3-openpyxl python3-pandas  # the python tool's interpreter and libraries
  bubblewrap                               # sandbox filesystem isolation
  libreoffice-calc-nogui                   # workbook recalculation before grading
  procps
)
# Test: `make test` opens the HTML run report in a headless browser (tests/report_browser_test.py).
TEST_PKGS=(
  chromium
)
EXTRA_PKGS=()
for arg in "$@"; do
  case "$arg" in
    --report) ;;  # accepted for old scripts: chromium is now always installed
    # make test-sanitize and make fuzz: clang, its sanitizer + libFuzzer runtimes, symbolizer.
    --sanitize) EXTRA_PKGS+=(clang libclang-rt-14-dev llvm) ;;
    *) echo "install-deps.sh: unknown option '$arg'" >&2; exit 2 ;;
  esac
done

missing=()
for pkg in "${BUILD_PKGS[@]}" "${RUN_PKGS[@]}" "${TEST_PKGS[@]}" "${EXTRA_PKGS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

# Node.js and npm run the mock's check against the official SDK clients. Machines that ship
# Node from another source already have both commands; Debian's packages would conflict.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  missing+=(nodejs npm)
fi

# Installs the missing Debian packages, through sudo when not root.
install_missing_packages() {
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
      SUDO="sudo"
    else
      echo "install-deps: missing packages (${missing[*]}) and not root, and sudo is not installed." >&2
      echo "install-deps: run as root: apt-get install --no-install-recommends ${missing[*]}" >&2
      exit 1
    fi
  fi

  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#BUILD_PKGS[@]} build and ${#RUN_PKGS[@]} run packages present"
else
  install_missing_packages
fi

# ---------------------------------------------------------------------------------------
# npm: the official OpenAI and Anthropic SDKs for the mock server's compatibility test
# (tests/sdk-compat, run by CTest as sdk_compat). Versions are pinned by its
# package-lock.json; `npm ci` runs only when node_modules is missing or older than the lock.
SDK_COMPAT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/tests/sdk-compat"
if [ -f "$SDK_COMPAT_DIR/package-lock.json" ]; then
  installed_lock="$SDK_COMPAT_DIR/node_modules/.package-lock.json"
  if [ -f "$installed_lock" ] && [ ! "$SDK_COMPAT_DIR/package-lock.json" -nt "$installed_lock" ]; then
    echo "install-deps: npm packages of tests/sdk-compat are current"
  else
    echo "install-deps: npm ci in tests/sdk-compat"
    (cd "$SDK_COMPAT_DIR" && CI=true npm ci --no-audit --no-fund --loglevel=error </dev/null)
  fi
fi
