#!/bin/sh
# perf diff in colour, as git diff: on a terminal, field names bold, what
# was added green, what was removed red, hunk headers cyan; never with
# NO_COLOR, --color=never or --no-color (global or the command's), always
# with --color=always, even into a file.  The terminal is a pseudo-terminal
# (python3's pty module).
. "$(dirname "$0")/lib.sh"
. "$PERF_SRC/tests/lib-tty.sh"

team_fixture --lead-role Lead ari || exit 1
as ari perf goal add "Ship search v2" --id ship >/dev/null || exit 1
as ari perf goal set ship progress=40 >/dev/null || exit 1
printf '\nremoved soon\n' >>goals/ari/ship.md && git commit -qam "words" || exit 1
sed -i 's/removed soon/added instead/' goals/ari/ship.md


E=$(printf '\033')
colored() {
	grep -q "$E\[1mprogress$E\[m: $E\[31m0$E\[m → $E\[32m40$E\[m" "$1" &&
		grep -q "$E\[1mchanged goals/ari/ship.md$E\[m" "$1"
}
body_colored() {
	grep -q "$E\[32m+added instead$E\[m" "$1" && grep -q "$E\[31m-removed soon$E\[m" "$1" &&
		grep -q "$E\[36m@@ " "$1"
}

test_expect_success 'on a terminal: fields bold, old red, new green' '
	(unset NO_COLOR && on_tty "$out" "$PERF_BIN" diff HEAD~2..HEAD~1) && colored "$out"
'

test_expect_success 'on a terminal: the body as git colours it' '
	(unset NO_COLOR && on_tty "$out" "$PERF_BIN" diff) && body_colored "$out"
'

test_expect_success 'NO_COLOR, --color=never and --no-color turn it off on a terminal' '
	on_tty "$out" "$PERF_BIN" diff HEAD~2..HEAD~1 && ! grep -q "$E" "$out" && contains "$out" "progress: 0 → 40" &&
	(unset NO_COLOR && on_tty "$out" "$PERF_BIN" diff --color=never HEAD~2..HEAD~1) && ! grep -q "$E" "$out" &&
	(unset NO_COLOR && on_tty "$out" "$PERF_BIN" diff HEAD~2..HEAD~1 --no-color) && ! grep -q "$E" "$out" &&
	(unset NO_COLOR && on_tty "$out" "$PERF_BIN" --no-color diff HEAD~2..HEAD~1) && ! grep -q "$E" "$out"
'

test_expect_success 'not on a terminal: plain, unless --color=always' '
	(unset NO_COLOR && perf diff HEAD~2..HEAD~1 >"$out") && ! grep -q "$E" "$out" &&
	perf diff --color=always HEAD~2..HEAD~1 >"$out" && colored "$out" &&
	perf --color=always diff >"$out" && body_colored "$out" &&
	perf diff --color=auto HEAD~2..HEAD~1 >"$out" && ! grep -q "$E" "$out"
'

test_expect_success 'a bad --color is a usage error' '
	expect_fail 2 perf diff --color=sometimes 2>"$err" && contains "$err" "always, never or auto"
'

test_expect_success 'JSON is never coloured' '
	perf --json diff --color=always HEAD~2..HEAD~1 >"$out" && ! grep -q "$E" "$out" &&
	python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$out"
'

test_done
