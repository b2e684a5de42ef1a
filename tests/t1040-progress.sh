#!/bin/sh
# Transfer progress, as git shows it: on a terminal one line for receiving
# objects and one for resolving deltas, each rewritten in place with a
# carriage return and ended once; when stderr is not a terminal, nothing
# per step.  Run on a pseudo-terminal (python3's pty module) and without.
. "$(dirname "$0")/lib.sh"
. "$PERF_SRC/tests/lib-tty.sh"

export PERF_NOW=2026-11-16T09:00:00Z
git init -q --bare srv.git
perf hook install srv.git >/dev/null || exit 1
(team_fixture --dir seed --lead-role Lead ari bo &&
	for i in $(seq 1 24); do
		as ari perf goal add "goal number $i, with a few words to pack" >/dev/null || exit 1
	done &&
	git remote add origin "$TEST_ROOT/srv.git" && git push -q origin main) || exit 1

# lines FILE WORDS: how many lines (ended by a newline) of FILE hold WORDS;
# a line rewritten with carriage returns counts once.
lines() {
	tr -d '\r' <"$1" | grep -c "$2"
}

test_expect_success 'perf clone on a terminal: one line rewritten in place per phase' '
	on_tty "$out" "$PERF_BIN" clone "$TEST_ROOT/srv.git" ari &&
	test -f ari/.perf/config.yaml &&
	test "$(lines "$out" "receiving objects")" = 1 &&
	test "$(grep -c "receiving objects" "$out")" = 1 &&
	grep -q "receiving objects: 100% ([0-9]*/[0-9]*), .*, done" "$out" &&
	test "$(lines "$out" "resolving deltas")" -le 1 &&
	test "$(tr "\r" "\n" <"$out" | grep -c "receiving objects")" -gt 1 &&
	contains "$out" "cloned"
'

test_expect_success 'perf clone without a terminal prints no progress' '
	perf clone "$TEST_ROOT/srv.git" bo >"$out" 2>"$err" &&
	! grep -q "receiving\|resolving" "$err" && ! grep -q "$(printf "\r")" "$err" &&
	contains "$out" "cloned"
'

test_expect_success 'perf sync on a terminal: one progress line, then the result' '
	(cd seed && for i in $(seq 1 6); do
		as lena perf goal add "lead goal $i with words" >/dev/null || return 1
	done && git push -q origin main) &&
	(cd ari && on_tty "$out" "$PERF_BIN" sync) &&
	test "$(lines "$out" "receiving objects")" = 1 &&
	contains "$out" "fetched 6 changes"
'

test_expect_success 'perf sync without a terminal prints no progress' '
	(cd seed && as lena perf goal add "one more" >/dev/null && git push -q origin main) &&
	(cd bo && as bo perf sync >"$out" 2>"$err") &&
	! grep -q "receiving\|resolving" "$err" && contains "$out" "fetched 7 changes"
'

test_done
