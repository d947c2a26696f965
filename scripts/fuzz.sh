#!/usr/bin/env bash
# Runs the libFuzzer targets of a SKILLGRAD_FUZZ build (docs/RELIABILITY.md).
#   scripts/fuzz.sh BUILD_DIR SECONDS [TARGET...]
# Each target (default: all of fuzz/CMakeLists.txt) fuzzes for SECONDS from its seed corpus
# fuzz/corpus/<name> and its regression cases fuzz/regressions/<name>. New inputs go to a
# scratch corpus under $FUZZ_OUT (default: a temporary folder), never into the seeds; crash
# inputs go to $FUZZ_OUT/crashes. Prints executions and new coverage per target; exits 1 if a
# target crashed, leaked, ran out of memory or hung, with the steps to turn it into a
# regression case.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -lt 2 ]; then
  echo "usage: scripts/fuzz.sh BUILD_DIR SECONDS [TARGET...]" >&2
  echo "  BUILD_DIR: configured with -DSKILLGRAD_FUZZ=ON and clang (make fuzz does it)" >&2
  exit 2
fi
build=$1
seconds=$2
shift 2
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || [ "$seconds" -lt 1 ]; then
  echo "fuzz.sh: SECONDS must be a whole number of seconds, at least 1 (got '$seconds')" >&2
  exit 2
fi

if [ $# -gt 0 ]; then
  targets=("$@")
else
  mapfile -t targets < <(sed -n 's/^ *\([a-z_]*\):sg_[a-z]*)\{0,1\}$/\1/p' fuzz/CMakeLists.txt)
fi
if [ ${#targets[@]} -eq 0 ]; then
  echo "fuzz.sh: no targets found in fuzz/CMakeLists.txt" >&2
  exit 2
fi

out=${FUZZ_OUT:-$(mktemp -d /tmp/skillgrad-fuzz.XXXXXX)}
mkdir -p "$out/crashes"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}

failed=()
printf '%-18s %12s %10s %8s %8s %s\n' target executions "exec/s" corpus edges result
for name in "${targets[@]}"; do
  bin="$build/fuzz/fuzz_$name"
  if [ ! -x "$bin" ]; then
    echo "fuzz.sh: $bin not found: build it with -DSKILLGRAD_FUZZ=ON (make fuzz)" >&2
    exit 2
  fi
  work="$out/corpus/$name"
  mkdir -p "$work"
  regressions=()
  [ -d "fuzz/regressions/$name" ] && regressions=("fuzz/regressions/$name")
  log="$out/$name.log"
  set +e
  # -timeout: an input that takes 10 s is a hang; -rss_limit_mb: an input may not make the
  # parser take more than 2 GiB.
  "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$out/crashes/$name-" "$work" "fuzz/corpus/$name" "${regressions[@]}" \
    >"$log" 2>&1
  rc=$?
  set -e
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  corpus=$(grep -o 'corp: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  edges=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  result=ok
  if [ $rc -ne 0 ]; then
    result="FAILED (exit $rc; log $log)"
    failed+=("$name")
  fi
  printf '%-18s %12s %10s %8s %8s %s\n' "$name" "${execs:-?}" "${rate:-?}" "${corpus:-?}" \
    "${edges:-?}" "$result"
done

echo "logs and new inputs: $out"
if [ ${#failed[@]} -gt 0 ]; then
  echo
  echo "failing targets: ${failed[*]}; their inputs:"
  ls -1 "$out/crashes" | sed 's/^/  /'
  cat <<EOF

To turn a finding into a regression case:
  1. reproduce it: $build/fuzz/fuzz_<target> $out/crashes/<file>
  2. fix the code, rerun step 1 until it passes;
  3. git add it as fuzz/regressions/<target>/<short-name>: every build's ctest replays it.
EOF
  exit 1
fi
