#!/bin/sh
# perf help groups the everyday commands apart from the plumbing, from the
# command table; a usage error is one line and a hint, -h the whole usage.
. "$(dirname "$0")/lib.sh"

perf --list-commands >"$TEST_ROOT/commands" || echo "Bail out! perf --list-commands failed"

# The heading each command is listed under in perf help's output.
group_of() {
	awk -v c="$1" '/^[a-z]/ { g = $0 } $1 == c && /^   / { print g }' "$TEST_ROOT/help"
}

test_expect_success 'perf help lists the commands under headings, plumbing apart and last' '
	perf help >"$TEST_ROOT/help" &&
	for h in "start a team" "the week" "feedback" "the team" "share and sync" "reports"; do
		grep -qx "$h" "$TEST_ROOT/help" || { echo "no heading $h" >&2; exit 1; }
	done &&
	test "$(grep "^plumbing" "$TEST_ROOT/help")" = "plumbing (run by git, servers and shells)" &&
	! grep -qx other "$TEST_ROOT/help" &&
	for c in hook verify merge-driver completion check; do
		test "$(group_of $c)" = "plumbing (run by git, servers and shells)" || { echo "$c not in plumbing" >&2; exit 1; }
	done &&
	for c in checkin goal status reply; do test "$(group_of $c)" = "the week" || exit 1; done &&
	for c in ask give feedback praise; do test "$(group_of $c)" = "feedback" || exit 1; done &&
	for c in sync resolve; do test "$(group_of $c)" = "share and sync" || exit 1; done &&
	for c in summary site export; do test "$(group_of $c)" = "reports" || exit 1; done &&
	test "$(group_of init)" = "start a team" &&
	while read -r c; do
		test "$(group_of "$c" | wc -l)" = 1 || { echo "$c is not listed once" >&2; exit 1; }
	done <"$TEST_ROOT/commands" &&
	last=$(grep "^[a-z]" "$TEST_ROOT/help" | sed -n "\$p") &&
	test "$last" = "plumbing (run by git, servers and shells)" || test "$last" = "See '\''perf help COMMAND'\'' for more on a command, '\''man 5 perf-format'\'' for the files."
'

test_expect_success 'the summaries line up, even after merge-driver' '
	grep "^   merge-driver  merge one file" "$TEST_ROOT/help" &&
	grep "^   init          create a team repository" "$TEST_ROOT/help"
'

test_expect_success 'perf -h shows the same groups' '
	perf -h >"$out" &&
	grep -qx "the week" "$out" && grep -q "^plumbing" "$out" && grep -q "^   hook " "$out"
'

test_expect_success 'an unknown option: one line and a hint, exit 2, nothing on stdout' '
	perf init team >/dev/null && cd team && perf join >/dev/null &&
	expect_fail 2 perf goal --foo >"$out" 2>"$err" &&
	test ! -s "$out" &&
	printf "%s\n" "perf goal: unknown option '\''--foo'\''" "hint: see '\''perf goal -h'\''" | diff -u - "$err" &&
	expect_fail 2 perf checkin --nope 2>"$err" &&
	test "$(wc -l <"$err")" = 2 &&
	contains "$err" "perf checkin: unknown option '\''--nope'\''" &&
	! grep -q "^usage:" "$err" && ! grep -q -- "--mood" "$err"
'

test_expect_success 'other usage errors take the same two lines' '
	cd team &&
	expect_fail 2 perf goal frob 2>"$err" &&
	test "$(wc -l <"$err")" = 2 &&
	contains "$err" "perf goal: unknown verb '\''frob'\''" &&
	contains "$err" "hint: see '\''perf goal -h'\''" &&
	expect_fail 2 perf checkin --mood 9 2>"$err" &&
	test "$(wc -l <"$err")" = 2 &&
	expect_fail 2 perf checkin -w 2>"$err" &&
	printf "%s\n" "perf checkin: option '\''-w'\'' needs WEEK" "hint: see '\''perf checkin -h'\''" | diff -u - "$err"
'

test_expect_success 'a short synopsis is in the hint' '
	expect_fail 2 perf merge-driver a b 2>"$err" &&
	test "$(wc -l <"$err")" = 2 &&
	contains "$err" "hint: usage: perf merge-driver BASE OURS THEIRS [PATH] | --install (more: '\''perf merge-driver -h'\'')"
'

test_expect_success 'an unknown global option: one line and a hint' '
	expect_fail 2 perf --frob 2>"$err" &&
	printf "%s\n" "perf: unknown option '\''--frob'\''" "hint: see '\''perf -h'\''" | diff -u - "$err"
'

test_expect_success '-h still prints the whole usage, on stdout, exit 0' '
	perf goal -h >"$out" 2>"$err" &&
	test ! -s "$err" &&
	contains "$out" "usage: perf goal add TITLE" &&
	contains "$out" "   or: perf goal list" &&
	contains "$out" "--all" &&
	perf checkin --help >"$out" && contains "$out" "--mood 1-5"
'

test_done
