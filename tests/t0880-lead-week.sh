#!/bin/sh
# A lead's week: perf status lists what the lead's people wait for (their
# replies on their goals, asks to the lead, stuck items, check-ins without
# an answer) until the lead answers; perf status --team gives each report's
# week; perf week shows every check-in of a week with goals moved, mood and
# replies, and how to answer it.  Each person works in their own clone,
# synced through a bare repository.
. "$(dirname "$0")/lib.sh"

export PERF_NOW=2026-11-23T09:00:00Z
git init -q --bare srv.git
perf hook install srv.git >/dev/null 2>&1 || exit 1
team_fixture ari bo cy di || exit 1
git remote add origin "$TEST_ROOT/srv.git" && git push -q origin main || exit 1
cd "$TEST_ROOT" || exit 1
for p in lena ari bo; do
	as $p perf clone "$TEST_ROOT/srv.git" $p >/dev/null 2>&1 || exit 1
done

# by WHO CMD...: runs CMD as WHO in WHO's clone (di works in team/).
by() {
	_d=$1
	test "$1" = di && _d=team
	(cd "$TEST_ROOT/$_d" && as "$@")
}
sync_all() {
	for _p in ari bo di lena; do
		by $_p perf sync >/dev/null 2>&1 || { echo "$_p could not sync" >&2 && return 1; }
	done
}
# kinds FILE: the kinds and paths of the lead's items in perf --json status, one a line.
kinds() {
	python3 -c '
import json, sys
for i in json.load(open(sys.argv[1]))["me"]["due"]:
    print(i["kind"], i["path"] or "")' "$1"
}

test_expect_success 'last week: a goal and a check-in' '
	by ari perf goal add "Ship ranking" >/dev/null &&
	by ari perf checkin -g ship-ranking=10 --mood 3 -m "started ranking" >/dev/null &&
	by ari perf sync >/dev/null 2>&1
'

export PERF_NOW=2026-11-30T09:00:00Z
test_expect_success 'this week: check-ins in separate clones' '
	by ari perf checkin -g ship-ranking=30 --mood 4 -m "ranking tests green" --stuck "the flaky CI job" \
		--ask "@lena could you review my RFC?" >/dev/null &&
	by bo perf checkin --mood 2 -m "on call" --stuck "Nothing." --ask "@cy pair on the tests" >/dev/null &&
	by di perf checkin --mood 5 -m "docs shipped" --ask "more time for the docs site" >/dev/null &&
	sync_all &&
	PERF_NOW=2026-11-30T10:00:00Z by ari perf reply goal:ari/ship-ranking -m "blocked on the data dump" >/dev/null &&
	sync_all
'

test_expect_success 'the lead'\''s status lists exactly what their people wait for, exit 1' '
	by lena expect_fail 1 perf status >"$out" &&
	contains "$out" "ari replied on goals/ari/ship-ranking.md" &&
	contains "$out" "ari asks (2026-W49): @lena could you review my RFC?" &&
	contains "$out" "ari is stuck (2026-W49): the flaky CI job" &&
	contains "$out" "ari'\''s check-in for 2026-W49 has no answer from you   perf reply checkin:ari/2026-W49 -m ..." &&
	contains "$out" "bo'\''s check-in for 2026-W49 has no answer from you" &&
	contains "$out" "di asks (2026-W49): more time for the docs site" &&
	! grep -q "bo asks\|bo is stuck\|cy" "$out" &&
	{ by lena perf --json status >"$out"; test $? = 1; } &&
	kinds "$out" >"$TEST_ROOT/kinds" &&
	cat >"$TEST_ROOT/want" <<-\EOF &&
	checkin 
	reply goals/ari/ship-ranking.md
	answer checkins/ari/2026-W48.md
	ask checkins/ari/2026-W49.md
	stuck checkins/ari/2026-W49.md
	answer checkins/ari/2026-W49.md
	answer checkins/bo/2026-W49.md
	ask checkins/di/2026-W49.md
	answer checkins/di/2026-W49.md
	EOF
	diff -u "$TEST_ROOT/want" "$TEST_ROOT/kinds"
'

test_expect_success 'a report'\''s own status does not list the lead'\''s inbox' '
	by ari perf status >"$out" && contains "$out" "Nothing due" &&
	! grep -q "answer\|asks" "$out"
'

test_expect_success 'status --team: each report'\''s week' '
	by lena expect_fail 1 perf status --team >"$out" &&
	contains "$out" "Your reports" &&
	contains "$out" "mood 4 (trend 3 4)" &&
	contains "$out" "1 goal moved: ship-ranking 10→30" &&
	contains "$out" "stuck: the flaky CI job" &&
	contains "$out" "asks: @lena could you review my RFC?" &&
	contains "$out" "5 items wait for you" &&
	grep -q "cy  *no check-in yet" "$out" &&
	{ by lena perf --json status --team >"$out"; test $? = 1; } &&
	python3 -c "
import json; d = json.load(open(\"$out\"))
t = {r[\"person\"]: r for r in d[\"team\"]}
assert sorted(t) == [\"ari\", \"bo\", \"cy\", \"di\"], t
a = t[\"ari\"]
assert a[\"checked_in\"] and a[\"mood\"] == \"4\" and a[\"mood_trend\"] == [\"3\", \"4\"], a
assert a[\"goals_moved\"] == 1 and a[\"goals\"] == [{\"goal\": \"ship-ranking\", \"from\": 10, \"to\": 30, \"moved\": True}], a
assert a[\"stuck\"] == \"the flaky CI job\" and a[\"unanswered\"] == 5, a
assert \"open_actions\" in a and \"due\" in a and \"latest_checkin\" in a, a
assert t[\"bo\"][\"stuck\"] is None and t[\"bo\"][\"ask\"] == \"@cy pair on the tests\" and t[\"bo\"][\"unanswered\"] == 1
assert not t[\"cy\"][\"checked_in\"] and t[\"cy\"][\"mood\"] is None and t[\"cy\"][\"unanswered\"] == 0
"
'

test_expect_success 'perf week: every check-in with goals moved, mood, replies and a hint, paged' '
	(cd lena && PERF_PAGER=cat as lena perf week >"$out") &&
	contains "$out" "checkin ari/2026-W49" && contains "$out" "checkin bo/2026-W49" &&
	contains "$out" "checkin di/2026-W49" &&
	contains "$out" "Mood:    4 (trend 3 4)" && contains "$out" "Goals:   ship-ranking 10 → 30" &&
	contains "$out" "ranking tests green" && contains "$out" "the flaky CI job" &&
	contains "$out" "answer it: perf reply checkin:ari/2026-W49 -m" &&
	contains "$out" "no check-in  cy/2026-W49" &&
	test "$(grep -c "^checkin " "$out")" = 3
'

test_expect_success 'the lead answers from perf week; the items go away, the reports see the answers' '
	PERF_NOW=2026-11-30T11:00:00Z by lena perf reply checkin:ari/2026-W49 -m "Reviewing it Tuesday." >/dev/null &&
	PERF_NOW=2026-11-30T11:01:00Z by lena perf reply checkin:bo/2026-W49 -m "Thanks for covering on call." >/dev/null &&
	by lena perf sync >/dev/null 2>&1 &&
	by lena expect_fail 1 perf status >"$out" &&
	! grep -q "ari asks\|ari is stuck\|ari'\''s check-in for 2026-W49\|bo'\''s check-in" "$out" &&
	contains "$out" "ari'\''s check-in for 2026-W48 has no answer from you" &&
	contains "$out" "ari replied on goals/ari/ship-ranking.md" && contains "$out" "di asks" &&
	(cd lena && PERF_PAGER=cat as lena perf week >"$out") &&
	contains "$out" "reply lena · 2026-11-30T11:00:00Z" && contains "$out" "Reviewing it Tuesday." &&
	contains "$out" "answered; add to it: perf reply checkin:ari/2026-W49" &&
	by lena perf --json week >"$out" &&
	python3 -c "
import json; d = json.load(open(\"$out\"))
assert d[\"week\"] == \"2026-W49\" and d[\"missing\"] == [\"cy\"], d
c = {e[\"person\"]: e for e in d[\"checkins\"]}
assert sorted(c) == [\"ari\", \"bo\", \"di\"], c
a = c[\"ari\"]
assert a[\"answered\"] and not c[\"di\"][\"answered\"], a
assert [r[\"author\"] for r in a[\"replies\"]] == [\"lena\"] and a[\"replies\"][0][\"body\"].strip() == \"Reviewing it Tuesday.\", a
assert a[\"goals\"] == [{\"goal\": \"ship-ranking\", \"from\": 10, \"to\": 30, \"moved\": True}] and a[\"mood_trend\"] == [\"3\", \"4\"], a
assert a[\"hint\"] == \"perf reply checkin:ari/2026-W49 -m ...\", a
" &&
	by ari perf sync >/dev/null 2>&1 && by ari expect_fail 1 perf status >"$out" &&
	contains "$out" "lena replied to checkins/ari/2026-W49.md"
'

test_expect_success 'a reply on the goal goes away once the lead answers it, or reads it' '
	PERF_NOW=2026-11-30T12:00:00Z by lena perf reply goal:ari/ship-ranking -m "I will ask data eng." >/dev/null &&
	by lena expect_fail 1 perf status >"$out" && ! grep -q "ari replied" "$out" &&
	PERF_NOW=2026-11-30T13:00:00Z by ari perf reply goal:ari/ship-ranking -m "got the dump" >/dev/null &&
	by ari perf sync >/dev/null 2>&1 && by lena perf sync >/dev/null 2>&1 &&
	PERF_NOW=2026-11-30T14:00:00Z by lena expect_fail 1 perf status >"$out" && contains "$out" "ari replied on goals/ari/ship-ranking.md" &&
	PERF_NOW=2026-11-30T14:00:00Z by lena perf show goal:ari/ship-ranking >/dev/null &&
	PERF_NOW=2026-11-30T14:01:00Z by lena expect_fail 1 perf status >"$out" && ! grep -q "ari replied" "$out"
'

test_expect_success 'once everything is answered, the lead'\''s status is empty and exits 0' '
	PERF_NOW=2026-11-30T15:00:00Z by lena perf reply checkin:di/2026-W49 -m "Take Friday for it." >/dev/null &&
	PERF_NOW=2026-11-30T15:00:00Z by lena perf reply checkin:ari/2026-W48 -m "Good start." >/dev/null &&
	by lena perf checkin --mood 4 -m "hiring loop" >/dev/null &&
	PERF_NOW=2026-11-30T15:01:00Z by lena perf status >"$out" && contains "$out" "Nothing due this week (2026-W49)" &&
	by lena perf sync >/dev/null 2>&1 && by lena repo_clean .
'

test_expect_success 'a past week, a group, the whole team' '
	(cd lena && PERF_PAGER=cat as lena perf week 2026-W48 >"$out") &&
	contains "$out" "checkin ari/2026-W48" && contains "$out" "Goals:   ship-ranking 0 → 10" &&
	contains "$out" "no check-in  bo/2026-W48" && ! grep -q "2026-W49" "$out" &&
	by lena perf group set pair ari bo >/dev/null &&
	(cd lena && PERF_PAGER=cat as lena perf week --group pair >"$out") &&
	contains "$out" "checkin ari/2026-W49" && contains "$out" "checkin bo/2026-W49" && ! grep -q "di" "$out" &&
	by lena perf --json week --team >"$out" &&
	python3 -c "
import json; d = json.load(open(\"$out\"))
assert sorted(e[\"person\"] for e in d[\"checkins\"]) == [\"ari\", \"bo\", \"di\", \"lena\"], d
assert d[\"missing\"] == [\"cy\"], d"
'

test_expect_success 'someone who leads nobody is told how to read others'\'' weeks' '
	by ari perf week >"$out" && contains "$out" "Nobody names you as their lead" &&
	contains "$out" "perf week --team"
'

test_expect_success 'bad input: clear message, non-zero exit, repository unchanged' '
	before=$(snapshot lena) &&
	by lena expect_fail 2 perf week 2026-W60 2>"$err" && contains "$err" "2026-W60" && contains "$err" "2026-W49" &&
	by lena expect_fail 2 perf week --team --group pair 2>"$err" && contains "$err" "give one of them" &&
	by lena expect_fail 1 perf week --group nope 2>"$err" && contains "$err" "no group '\''nope'\''" &&
	by lena expect_fail 2 perf week 2026-W48 2026-W49 2>"$err" && contains "$err" "unexpected argument" &&
	unchanged lena "$before"
'

test_done
