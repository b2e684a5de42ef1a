#!/bin/sh
# A quarter for a team of five in two accountability groups: a cycle of
# inquiry started and closed, feedback asked and answered by three people,
# praise, weekly 1:1 notes whose actions carry forward until done, a norm
# proposed and adopted, and perf status (output and exit code) at each step.
. "$(dirname "$0")/lib.sh"

at 2026-10-05T09:00:00Z
team_fixture ari bo cy di || exit 1

test_expect_success 'the first to join is the maintainer; groups are set by her' '
	contains .perf/config.yaml "maintainers:" && grep -A1 "^maintainers:" .perf/config.yaml | grep -q lena &&
	as lena perf group set search lena ari bo >/dev/null &&
	as lena perf group set infra cy di >/dev/null &&
	before=$(snapshot .) &&
	as ari expect_fail 1 perf group set search ari 2>"$err" &&
	contains "$err" "only the team'\''s maintainers" &&
	unchanged . "$before" &&
	repo_clean .
'

test_expect_success 'a cycle of inquiry starts; a non-maintainer cannot start one' '
	as lena perf cycle start q4 --question "How do reviews teach?" --until 2026-12-31 >"$out" &&
	contains "$out" "cycle: q4 started, 2026-10-05..2026-12-31" &&
	as bo expect_fail 1 perf cycle start other --question "?" 2>"$err" &&
	as ari perf --json cycle list >"$out" &&
	python3 -c "import json; d=json.load(open(\"$out\")); assert d[0][\"id\"]==\"q4\" and d[0][\"current\"], d"
'

test_expect_success 'status before the first check-in: due, exit 1; after it: nothing, exit 0' '
	as ari expect_fail 1 perf status >"$out" &&
	contains "$out" "check-in for 2026-W41 not written yet" &&
	as ari perf goal add "Ship search v2" --id ship >/dev/null &&
	contains goals/ari/ship.md "cycle: q4" &&
	as ari perf checkin --goal ship=10 -m "kicked off" --mood 4 >/dev/null &&
	contains checkins/ari/2026-W41.md "cycle: q4" &&
	as ari perf status >"$out" && contains "$out" "Nothing due"
'

test_expect_success 'feedback asked of three people shows as due for them until answered' '
	at 2026-10-07T09:00:00Z &&
	as ari perf ask lena bo cy --about "my code reviews" --due 2026-10-16 >"$out" &&
	id=$(sed -n "s|.*(feedback/ari/\(fb-[a-z0-9]*\)\.md).*|\1|p" "$out") && test -n "$id" &&
	echo "$id" >"$TEST_ROOT/fbid" &&
	as bo perf checkin -m "week" >/dev/null &&
	as bo expect_fail 1 perf status >"$out" &&
	contains "$out" "feedback for ari on \"my code reviews\"" &&
	for p in lena bo cy; do as $p perf give "$id" -m "Clear and kind; $p" >/dev/null || return 1; done &&
	as bo perf status >"$out" && contains "$out" "Nothing due" &&
	test "$(ls feedback/ari/$id/ | wc -l)" = 3
'

test_expect_success 'praise is kept in the receiver'\''s record' '
	as lena perf praise ari -m "Your indexer write-up taught us all" --value learning >/dev/null &&
	ls praise/ari/ | grep -q "lena.md" &&
	test "$(git log -1 --format=%an)" = "Lena Example"
'

test_expect_success 'weekly 1:1 notes: actions carry forward until done' '
	at 2026-10-08T09:00:00Z &&
	as lena perf note ari -m "$(printf "Talked about reviews.\n\n- [ ] @ari draft the review guide, by 2026-10-20\n- [ ] @lena book the offsite\n")" >/dev/null &&
	as ari perf action list --open --mine >"$out" && contains "$out" "draft the review guide" &&
	at 2026-10-15T09:00:00Z &&
	as lena perf note ari -m "Second 1:1." >/dev/null &&
	latest=$(ls notes/ari/ | grep "^2026-10-15" | head -1) &&
	contains "notes/ari/$latest" "draft the review guide" &&
	at 2026-10-21T09:00:00Z &&
	as ari perf checkin -m "w43" >/dev/null &&
	as ari expect_fail 1 perf status >"$out" &&
	contains "$out" "draft the review guide" && contains "$out" "overdue" &&
	aid=$(as ari perf --json action list --open --mine | python3 -c "import json,sys; print([a for a in json.load(sys.stdin) if \"guide\" in a[\"text\"]][0][\"id\"])") &&
	as ari perf action done "$aid" >/dev/null &&
	as ari perf status >"$out" && contains "$out" "Nothing due"
'

test_expect_success 'a norm is proposed and adopted by a majority, changing the program' '
	at 2026-11-02T09:00:00Z &&
	as bo perf norm propose "Check in fortnightly" -m "Every other Monday." --set cadences.checkin=fortnightly >/dev/null &&
	as cy expect_fail 1 perf status >"$out" && contains "$out" "norms/check-in-fortnightly.md waits for your agreement" &&
	as cy perf norm agree check-in >"$out" && ! contains "$out" "adopted" 2>/dev/null;
	as cy expect_fail 1 perf norm agree check-in 2>"$err" && contains "$err" "already agreed" &&
	as di perf norm agree check-in >"$out" && contains "$out" "adopted" &&
	contains norms/check-in-fortnightly.md "status: adopted" &&
	contains .perf/config.yaml "checkin: fortnightly" &&
	test "$(git log -1 --format=%s)" = "agree: di to norm check-in-fortnightly (adopted)" &&
	repo_clean .
'

test_expect_success 'with a fortnightly cadence, last week'\''s check-in still counts' '
	at 2026-11-02T09:00:00Z && as ari perf checkin -m "w45" >/dev/null &&
	at 2026-11-09T09:00:00Z && as ari perf status >"$out" &&
	! contains "$out" "check-in for" 2>/dev/null
'

test_expect_success 'perf group shows each member'\''s latest check-in and actions' '
	as lena perf group search >"$out" &&
	contains "$out" "search (3)" && contains "$out" "ari" && contains "$out" "2026-W45" &&
	as lena perf --json group >"$out" &&
	python3 -c "
import json; d=json.load(open(\"$out\"))
assert [g[\"name\"] for g in d] == [\"search\", \"infra\"], d
ari = [m for m in d[0][\"members\"] if m[\"person\"] == \"ari\"][0]
assert ari[\"latest_checkin\"] == \"2026-W45\", ari"
'

test_expect_success 'status --team shows each report for the lead' '
	at 2026-11-16T09:00:00Z &&
	as lena perf status --team >"$out"; test $? = 1 &&
	contains "$out" "Your reports" && contains "$out" "ari" && contains "$out" "di" &&
	as lena perf --json status --team >"$out" || true;
	python3 -c "import json; d=json.load(open(\"$out\")); assert len(d[\"team\"]) == 4, d"
'

test_expect_success 'the cycle closes with a reflection' '
	at 2026-12-31T09:00:00Z &&
	as lena perf cycle close q4 -m "Reviews teach when they ask questions." >"$out" &&
	contains "$out" "closed with a reflection" &&
	contains cycles/q4.md "status: closed" && contains cycles/q4.md "Reviews teach when they ask questions." &&
	as lena expect_fail 1 perf cycle close q4 2>"$err" && contains "$err" "already closed" &&
	as ari perf goal add "Next thing" >/dev/null && ! grep -q "^cycle:" goals/ari/next-thing.md &&
	repo_clean . && perf check
'

test_done
