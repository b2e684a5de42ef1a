#!/bin/sh
# gen.sh [N [W [DIR]]]: a synthetic team repository of N people x W weeks of
# check-ins (default 1000 x 100, in $PERF_BENCH_DIR/repo-NxW), reused when
# already generated.  See gen.py.
. "$(dirname "$0")/env.sh"
n=${1:-1000}
w=${2:-100}
dir=${3:-$PERF_BENCH_DIR/repo-${n}x${w}}
exec python3 "$PERF_SRC/tests/bench/gen.py" --perf "$PERF_BIN" "$n" "$w" "$dir"
