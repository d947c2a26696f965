#!/usr/bin/env bash
# Runs every performance program built under BUILD_DIR/perf (make perf). Each prints its
# figures and its target; the script exits non-zero if any program missed its target.
set -uo pipefail
build_dir=${1:-build}
status=0
shopt -s nullglob
for bin in "$build_dir"/perf/perf_*; do
  echo "== $(basename "$bin")"
  if ! "$bin"; then
    echo "!! $(basename "$bin") missed its target or failed"
    status=1
  fi
done
exit $status
