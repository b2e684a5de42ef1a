#!/bin/sh
# A short pass of every libFuzzer target over its checked-in corpus, as part
# of `make check`.  Needs clang with libFuzzer; skipped (with a TAP skip)
# without it.  PERF_FUZZ_SECONDS sets the time per target (default 10;
# 0 replays the corpus only).  The long run is described in tests/README.md.
src=${PERF_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
secs=${PERF_FUZZ_SECONDS:-10}
out=$(mktemp -d "${TMPDIR:-/tmp}/perf-fuzz.XXXXXX")
trap 'rm -rf "$out"' EXIT

targets=$(cd "$src/tests/fuzz" && ls fuzz-*.c 2>/dev/null | sed 's/\.c$//')
if ! command -v clang >/dev/null 2>&1 || test -z "$targets"; then
	echo "1..0 # SKIP clang or fuzz targets missing"
	exit 0
fi
if ! echo 'int LLVMFuzzerTestOneInput(const char *d, long n){(void)d;(void)n;return 0;}' |
	clang -x c -fsanitize=fuzzer - -o "$out/probe" 2>/dev/null; then
	echo "1..0 # SKIP clang has no libFuzzer runtime"
	exit 0
fi
cflags="-g -O1 -std=c11 -D_GNU_SOURCE -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -I$src/lib/text -I$src/lib/git -I$src/lib/team $(pkg-config --cflags libgit2 libcmark yaml-0.1 libcrypto libsodium zlib)"
libs="$(pkg-config --libs libgit2 libcmark yaml-0.1 libcrypto libsodium zlib)"
n=0
fail=0
for t in $targets; do
	n=$((n + 1))
	name=${t#fuzz-}
	corpus="$src/tests/fuzz/corpus/$name"
	mkdir -p "$out/corpus-$name"
	# shellcheck disable=SC2086
	if ! clang $cflags "$src/tests/fuzz/$t.c" "$src"/lib/*/*.c $libs -o "$out/$t" 2>"$out/$t.log"; then
		echo "not ok $n - $t builds"
		sed 's/^/# /' "$out/$t.log" | head -20
		fail=1
		continue
	fi
	if test "$secs" = 0; then
		args="-runs=0"
	else
		args="-max_total_time=$secs"
	fi
	# shellcheck disable=SC2086
	if "$out/$t" $args -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 "$out/corpus-$name" "$corpus" >"$out/$t.run" 2>&1; then
		execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$out/$t.run" | grep -o '[0-9]*$')
		[ -n "$execs" ] || execs=$(grep -Eo '#[0-9]+' "$out/$t.run" | tail -1 | tr -d '#')
		echo "ok $n - $t: ${execs:-?} executions in ${secs}s, no crash"
	else
		echo "not ok $n - $t found a crash"
		tail -40 "$out/$t.run" | sed 's/^/# /'
		fail=1
	fi
done
echo "1..$n"
exit $fail
