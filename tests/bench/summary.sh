#!/bin/sh
# Benchmark: perf summary of a cycle over the 100k repository, cold and warm
# cache, side by side with git grep.  See README.md.
#
#   PERF_BIN=build/perf sh tests/bench/summary.sh
#
# PERF_BENCH_DIR   where generated repositories are cached (/tmp/perf-bench)
# PERF_BENCH_BIG   people x weeks of the repository (1000x100)
# PERF_BENCH_REPS  rounds (5)
. "$(dirname "$0")/env.sh"
big_repo || exit 1
exec python3 "$PERF_SRC/tests/bench/summary.py" --perf "$PERF_BIN" --reps "$reps" "$dir"
