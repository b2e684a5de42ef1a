#!/bin/sh
# perf checkin's text: an empty -m is refused as perf expect refuses one,
# and a second check-in of the same week adds its text after the first.
. "$(dirname "$0")/lib.sh"

team_fixture --now 2026-11-16T09:00:00Z ari || exit 1

test_expect_success 'checkin -m "" and -m of blanks are refused, exit 2, nothing written' '
	before=$(snapshot .) &&
	as ari expect_fail 2 perf checkin -m "" 2>"$err" &&
	contains "$err" "perf checkin: the text is empty" &&
	as ari expect_fail 2 perf checkin -m "   " 2>"$err" &&
	contains "$err" "the text is empty" &&
	as ari expect_fail 2 perf checkin --mood 3 -m "
	" 2>"$err" &&
	contains "$err" "the text is empty" &&
	unchanged . "$before" &&
	test ! -e checkins/ari
'

test_expect_success 'as perf expect -m "" is' '
	as ari expect_fail 2 perf expect -m "" 2>"$err" &&
	contains "$err" "the text is empty"
'

test_expect_success 'a second check-in of the week adds its text after the first' '
	as ari perf checkin -m "indexer merged" --learned "tries beat hashes" >/dev/null &&
	as ari perf checkin -m "demo went well" >"$out" &&
	contains "$out" "checkin: ari 2026-W47" &&
	sed "1,/^---\$/d" checkins/ari/2026-W47.md >"$TEST_ROOT/body" &&
	printf "%s\n" "indexer merged" "" "demo went well" "" "## Learned" "" "tries beat hashes" >"$TEST_ROOT/want" &&
	diff -u "$TEST_ROOT/want" "$TEST_ROOT/body" &&
	test "$(git log -1 --format=%s)" = "checkin: ari 2026-W47 (edited)" &&
	repo_clean .
'

test_expect_success 'a third one goes last, sections stay below' '
	as ari perf checkin -m "shipped v2" --stuck "flaky CI" >/dev/null &&
	sed "1,/^---\$/d" checkins/ari/2026-W47.md >"$TEST_ROOT/body" &&
	test "$(sed -n 1p "$TEST_ROOT/body")" = "indexer merged" &&
	test "$(sed -n 3p "$TEST_ROOT/body")" = "demo went well" &&
	test "$(sed -n 5p "$TEST_ROOT/body")" = "shipped v2" &&
	test "$(sed -n 7p "$TEST_ROOT/body")" = "## Learned" &&
	contains "$TEST_ROOT/body" "flaky CI"
'

test_expect_success 'the same text twice is not added twice' '
	head=$(git rev-parse HEAD) &&
	as ari perf checkin -m "shipped v2" >"$out" &&
	contains "$out" "unchanged; nothing committed" &&
	test "$(git rev-parse HEAD)" = "$head" &&
	test "$(grep -c "shipped v2" checkins/ari/2026-W47.md)" = 1
'

test_expect_success 'a check-in with only sections gets its first text on top' '
	at 2026-11-23T09:00:00Z &&
	as ari perf checkin --learned "read the RFC" >/dev/null &&
	as ari perf checkin -m "quiet week" >/dev/null &&
	sed "1,/^---\$/d" checkins/ari/2026-W48.md >"$TEST_ROOT/body" &&
	test "$(sed -n 1p "$TEST_ROOT/body")" = "quiet week" &&
	test "$(sed -n 3p "$TEST_ROOT/body")" = "## Learned"
'

test_done
