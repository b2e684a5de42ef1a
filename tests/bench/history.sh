#!/bin/sh
# Benchmark: perf log for one goal (3,000 and 30,000 commits, cold and warm
# index) against git log -- PATH, and perf sync pulling 1,000 documents
# against git pull && git push.  See README.md.
#
#   PERF_BIN=build/perf sh tests/bench/history.sh
#
# PERF_BENCH_DIR   where generated repositories are cached (/tmp/perf-bench)
# PERF_BENCH_BIG   people x weeks of the repository sync works on (1000x100)
# PERF_BENCH_REPS  rounds (5)
. "$(dirname "$0")/env.sh"
big_repo || exit 1
exec python3 "$PERF_SRC/tests/bench/history.py" --perf "$PERF_BIN" --big "$dir" --reps "$reps" --root "$PERF_BENCH_DIR"
