#!/bin/sh
# Benchmarks: perf's one-document commit against git add + git commit, side
# by side, on a big and a small generated team repository.  See README.md.
#
#   PERF_BIN=build/perf sh tests/bench/run.sh      (or: make bench)
#
# PERF_BENCH_DIR   where generated repositories are cached (/tmp/perf-bench)
# PERF_BENCH_BIG   people x weeks of the big repository (1000x100)
# PERF_BENCH_SMALL people x weeks of the small repository (10x100)
# PERF_BENCH_REPS  timed runs of each command per repository (15)
# PERF_BENCH_NICE  run the timed commands at this niceness, e.g. -10 as root
#                  on a shared, busy machine (default: unchanged)
. "$(dirname "$0")/env.sh"
big=${PERF_BENCH_BIG:-1000x100}
small=${PERF_BENCH_SMALL:-10x100}
reps=${PERF_BENCH_REPS:-15}
case "$PERF_BIN" in /*) ;; *) PERF_BIN=$(pwd)/$PERF_BIN ;; esac

label() {
	_n=$(($(echo "$1" | cut -dx -f1) * $(echo "$1" | cut -dx -f2)))
	if test "$_n" -ge 1000; then echo "$((_n / 1000))k"; else echo "$_n"; fi
}

set -- 
for size in $big $small; do
	n=${size%x*}
	w=${size#*x}
	dir=$PERF_BENCH_DIR/repo-${n}x${w}
	python3 "$PERF_SRC/tests/bench/gen.py" --perf "$PERF_BIN" "$n" "$w" "$dir" || exit 1
	set -- "$@" "$(label "$size")=$dir"
done
exec python3 "$PERF_SRC/tests/bench/bench.py" --perf "$PERF_BIN" --reps "$reps" "$@"
