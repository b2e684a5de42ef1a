#!/bin/sh
# perf log and perf diff: history in words, changes field by field.
. "$(dirname "$0")/lib.sh"

perf init team --team Search >/dev/null 2>&1
cd team
PERF_NOW=2026-11-16T09:00:00Z as lena perf join --role Lead >/dev/null
PERF_NOW=2026-11-16T09:01:00Z as ari perf join --lead lena >/dev/null
PERF_NOW=2026-11-16T10:00:00Z as ari perf goal add "Ship search v2" --id ship-search --due 2026-12-31 >/dev/null
PERF_NOW=2026-11-20T10:00:00Z as ari perf checkin --goal ship=20 -m "started" >/dev/null
PERF_NOW=2026-11-24T10:00:00Z as lena perf reply goal:ari/ship-search -m "great, demo Friday?" >/dev/null
PERF_NOW=2026-11-27T10:00:00Z as ari perf checkin --goal ship=60 -m "indexer merged" >/dev/null
PERF_NOW=2026-11-28T10:00:00Z as lena perf checkin -m "reviews" >/dev/null

test_expect_success 'log of a goal tells its story in words, newest first' '
	as ari perf log goal:ship-search >"$out" &&
	cat >"$TEST_ROOT/want" <<-EOF &&
	2026-11-27  ari      progress 20 → 60 (check-in 2026-W48)
	2026-11-24  lena     lena replied: "great, demo Friday?"
	2026-11-20  ari      progress 0 → 20 (check-in 2026-W47)
	2026-11-16  ari      ari added goal ari/ship-search
	EOF
	diff -u "$TEST_ROOT/want" "$out"
'

test_expect_success 'log of the whole team, filtered by author and date' '
	perf log >"$out" &&
	contains "$out" "lena checked in for 2026-W48" &&
	contains "$out" "lena replied to ari/ship-search" &&
	contains "$out" "ari joined the team" &&
	contains "$out" "created the team" &&
	perf log --author lena --since 2026-11-20 >"$out" &&
	test "$(wc -l <"$out")" = 2 &&
	! grep -q " ari " "$out"
'

test_expect_success 'log --json parses and carries commits, kinds and paths' '
	perf --json log -n 3 >"$out" &&
	python3 -c "
import json; d = json.load(open(\"$out\"))
assert len(d) == 3 and d[0][\"kind\"] == \"checkin\" and d[0][\"path\"] == \"checkins/lena/2026-W48.md\", d
assert len(d[0][\"commit\"]) == 40 and d[0][\"author\"] == \"lena\", d"
'

test_expect_success 'log lists the same commits as git log for a path' '
	as ari perf --json log goal:ship-search >"$out" &&
	python3 -c "import json; print(\"\n\".join(e[\"commit\"] for e in json.load(open(\"$out\"))))" >"$TEST_ROOT/perf-ids" &&
	git log --format=%H -- goals/ari/ship-search.md goals/ari/ship-search >"$TEST_ROOT/git-ids" &&
	diff -u "$TEST_ROOT/git-ids" "$TEST_ROOT/perf-ids"
'

test_expect_success 'diff between revisions shows fields that changed and body text' '
	perf diff HEAD~3..HEAD~1 goal:ari/ship-search >"$out" &&
	contains "$out" "changed goals/ari/ship-search.md" &&
	contains "$out" "progress: 20 → 60" &&
	contains "$out" "added goals/ari/ship-search/20261124T100000Z-lena.md" &&
	contains "$out" "+demo Friday?" 2>/dev/null || contains "$out" "great, demo Friday?"
'

test_expect_success 'diff with no revision shows uncommitted hand edits' '
	sed -i "s/^due: 2026-12-31/due: 2027-01-31/" goals/ari/ship-search.md &&
	perf diff >"$out" &&
	contains "$out" "due: 2026-12-31 → 2027-01-31" &&
	perf --json diff >"$out" &&
	python3 -c "
import json; d = json.load(open(\"$out\"))
assert d[0][\"fields\"] == [{\"field\": \"due\", \"old\": \"2026-12-31\", \"new\": \"2027-01-31\"}], d" &&
	git checkout -q -- goals/ari/ship-search.md
'

test_expect_success 'diff of list items by id' '
	PERF_NOW=2026-11-29T10:00:00Z as ari perf checkin --week 2026-W48 --goal ship=70 >/dev/null &&
	perf diff HEAD~1..HEAD checkin:ari/2026-W48 >"$out" &&
	contains "$out" "changed checkins/ari/2026-W48.md" &&
	contains "$out" "goals[ship-search].progress: 60 → 70" &&
	contains "$out" "+ updated: 2026-11-29T10:00:00Z"
'

test_expect_success 'bad revisions and targets are clear errors' '
	expect_fail 1 perf diff nosuchrev..HEAD 2>"$err" && contains "$err" "not a revision" &&
	as ari expect_fail 1 perf log goal:nope 2>"$err" && contains "$err" "no goal" &&
	expect_fail 2 perf log --since yesterday 2>"$err"
'

test_done
