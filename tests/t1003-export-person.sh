#!/bin/sh
# perf export --person H [--since D] [--until D]: one person's record
# (their documents, the replies on them, the feedback they asked for,
# praise to them) as JSON lines or CSV; nobody else's documents; the span
# of days holds.
. "$(dirname "$0")/lib.sh"

team_fixture ari bo || exit 1
at 2026-11-23T10:00:00Z
as ari perf goal add "Ship search" >/dev/null &&
	as ari perf checkin -m "indexer merged" >/dev/null &&
	as ari perf ask bo --about "my reviews" >/dev/null &&
	as lena perf expect ari -m "Own the search roadmap." >/dev/null &&
	as bo perf goal add "Bo goal" >/dev/null &&
	as bo perf checkin -m "bo week 48" >/dev/null &&
	as bo perf praise ari -m "thanks for the pairing" >/dev/null &&
	as ari perf praise bo -m "thanks for the review" >/dev/null || exit 1
fb=$(ls feedback/ari | sed 's/\.md$//')
at 2026-12-01T10:00:00Z
as lena perf reply goal:ari/ship -m "demo Friday?" >/dev/null &&
	as bo perf give "$fb" -m "clear and kind" >/dev/null &&
	as ari perf checkin -m "ranking next" >/dev/null &&
	as ari perf reply goal:bo/bo-goal -m "good luck" >/dev/null &&
	as lena perf note ari -m "1:1 about the roadmap" >/dev/null || exit 1
at 2026-12-08T10:00:00Z
as ari perf checkin -m "week 50" >/dev/null || exit 1
before=$(snapshot .)

# paths FILE: the paths of a JSON-lines export, one a line.
paths() {
	python3 -c '
import json, sys
for line in open(sys.argv[1]):
    print(json.loads(line)["path"])' "$1"
}

test_expect_success 'the whole record of one person, and only theirs' '
	perf export --person ari >"$out" &&
	paths "$out" >"$TEST_ROOT/paths" &&
	contains "$TEST_ROOT/paths" "people/ari.md" &&
	contains "$TEST_ROOT/paths" "expectations/ari.md" &&
	contains "$TEST_ROOT/paths" "goals/ari/ship-search.md" &&
	contains "$TEST_ROOT/paths" "goals/ari/ship-search/20261201T100000Z-lena.md" &&
	contains "$TEST_ROOT/paths" "checkins/ari/2026-W48.md" &&
	contains "$TEST_ROOT/paths" "checkins/ari/2026-W50.md" &&
	contains "$TEST_ROOT/paths" "feedback/ari/$fb.md" &&
	contains "$TEST_ROOT/paths" "feedback/ari/$fb/20261201T100000Z-bo.md" &&
	contains "$TEST_ROOT/paths" "praise/ari/20261123T100000Z-bo.md" &&
	contains "$TEST_ROOT/paths" "notes/ari/2026-12-01-" &&
	! grep -q "/bo/\|people/bo\|people/lena\|/bo\.md\|praise/bo\|\.perf/config" "$TEST_ROOT/paths" &&
	test $(wc -l <"$TEST_ROOT/paths") = 11
'

test_expect_success 'everyone'\''s export still has everything' '
	perf export >"$out" && paths "$out" >"$TEST_ROOT/all" &&
	contains "$TEST_ROOT/all" "goals/bo/bo-goal.md" && contains "$TEST_ROOT/all" "praise/bo/" &&
	contains "$TEST_ROOT/all" ".perf/config.yaml"
'

test_expect_success '--since and --until keep documents written in the span' '
	perf export --person ari --since 2026-11-30 --until 2026-12-06 >"$out" &&
	paths "$out" >"$TEST_ROOT/paths" &&
	contains "$TEST_ROOT/paths" "checkins/ari/2026-W49.md" &&
	contains "$TEST_ROOT/paths" "goals/ari/ship-search/20261201T100000Z-lena.md" &&
	contains "$TEST_ROOT/paths" "feedback/ari/$fb/20261201T100000Z-bo.md" &&
	contains "$TEST_ROOT/paths" "people/ari.md" &&
	! grep -q "2026-W48\|2026-W50\|goals/ari/ship-search.md\|praise/" "$TEST_ROOT/paths" &&
	perf export --person ari --until 2026-11-29 >"$out" && paths "$out" >"$TEST_ROOT/paths" &&
	contains "$TEST_ROOT/paths" "checkins/ari/2026-W48.md" && ! grep -q "2026-W49\|2026-W50\|20261201" "$TEST_ROOT/paths" &&
	perf export --since 2026-12-07 >"$out" && paths "$out" >"$TEST_ROOT/paths" &&
	contains "$TEST_ROOT/paths" "checkins/ari/2026-W50.md" && ! grep -q "checkins/bo" "$TEST_ROOT/paths"
'

test_expect_success 'as CSV: the header, then only that person'\''s rows' '
	perf export --person bo --format csv >"$out" &&
	head -1 "$out" | grep -q "^path,kind,person,date," &&
	contains "$out" "goals/bo/bo-goal.md,goal,bo," &&
	contains "$out" "goals/bo/bo-goal/20261201T100000Z-ari.md,reply,ari," &&
	contains "$out" "praise/bo/" &&
	! grep -q "^[a-z]*/ari/\|people/ari" "$out"
'

test_expect_success 'bad input: usage errors, a mistyped person; nothing changes' '
	expect_fail 2 perf export --since 2026-13-01 2>"$err" && contains "$err" "is not a date" &&
	expect_fail 2 perf export --since 2026-12-08 --until 2026-12-01 2>"$err" && contains "$err" "before it starts" &&
	expect_fail 2 perf export --person "../x" 2>"$err" &&
	expect_fail 1 perf export --person arri >"$out" 2>"$err" &&
	contains "$err" "did you mean '\''ari'\''?" && test ! -s "$out" &&
	unchanged . "$before"
'

test_done
