#!/bin/sh
# Support as a commitment, and the month's goal sharing: a goal names who
# supports it and how; each supporter sees what they promised in perf
# status until they mark it given, which only they may do (the hook holds
# hand-made commits to it); perf share tells a past month's story (goals
# as they stood, finished ones, movement from the month's start, support
# given) and the current month's plan.  Clones sync through a hooked bare
# repository.
. "$(dirname "$0")/lib.sh"
. "$PERF_SRC/tests/lib-trust.sh"

at 2026-10-05T09:00:00Z
guarded_server || exit 1
(team_fixture --dir seed ari bo cy dee &&
	git remote add origin "$srv" && git push -q origin main) || exit 1
for p in lena ari bo cy; do
	as $p perf clone "$srv" $p >/dev/null 2>&1 || exit 1
done

test_expect_success 'a goal names its supporters: who gives what' '
	cd ari &&
	as ari perf goal add "Ship ranking v2" --id ranking --due 2026-11-20 \
		--support @bo:"pairs on the ranking tests" --support @lena:"reviews the design doc" >"$out" &&
	contains "$out" "goal: ari added ranking" &&
	fm goals/ari/ranking.md "[(s[\"who\"], s[\"what\"]) for s in fm[\"supporters\"]] == [(\"bo\", \"pairs on the ranking tests\"), (\"lena\", \"reviews the design doc\")]" &&
	fm goals/ari/ranking.md "all(\"given\" not in s for s in fm[\"supporters\"])" &&
	as ari perf sync >/dev/null && perf check >/dev/null
'

test_expect_success 'bad support is refused and changes nothing' '
	cd ari && s=$(snapshot .) &&
	expect_fail 2 as ari perf goal add "Other" --support @bo 2>"$err" && contains "$err" "@WHO:WHAT" &&
	expect_fail 2 as ari perf goal add "Other" --support "@:x" 2>"$err" && contains "$err" "@WHO:WHAT" &&
	expect_fail 1 as ari perf goal add "Other" --support @zed:"helps" 2>"$err" && contains "$err" "no person '\''zed'\''" &&
	expect_fail 1 as ari perf goal add "Other" --support @ari:"helps" 2>"$err" && contains "$err" "someone else" &&
	expect_fail 2 as ari perf goal support ranking 2>"$err" && contains "$err" "@WHO:WHAT" &&
	unchanged . "$s"
'

test_expect_success 'each supporter sees what they promised in perf status (and --json)' '
	cd bo && as bo perf sync >/dev/null &&
	{ as bo perf status >"$out"; true; } &&
	contains "$out" "you promised ari support on \"Ship ranking v2\": pairs on the ranking tests" &&
	contains "$out" "perf goal give ari/ranking" &&
	{ as bo perf --json status >"$out"; true; } &&
	python3 -c "import json,sys; d=json.load(open(sys.argv[1])); it=[i for i in d[\"me\"][\"due\"] if i[\"kind\"]==\"support\"]; assert len(it)==1 and it[0][\"path\"]==\"goals/ari/ranking.md\", it" "$out" &&
	cd ../cy && as cy perf sync >/dev/null && { as cy perf status >"$out"; true; } && ! grep -q "promised" "$out"
'

test_expect_success 'the owner adds a supporter later; it reaches them' '
	at 2026-10-12T09:00:00Z &&
	cd ari && as ari perf goal support ranking @cy:"shares the eval dataset" >"$out" &&
	contains "$out" "support promised by cy" &&
	fm goals/ari/ranking.md "[s[\"who\"] for s in fm[\"supporters\"]] == [\"bo\", \"lena\", \"cy\"]" &&
	as ari perf sync >/dev/null &&
	cd ../cy && as cy perf sync >/dev/null && { as cy perf status >"$out"; true; } &&
	contains "$out" "shares the eval dataset"
'

test_expect_success 'only a supporter marks their support given' '
	cd cy && s=$(snapshot .) &&
	expect_fail 1 as cy perf goal give nobody/ranking 2>"$err" &&
	expect_fail 1 as dee perf goal give ari/ranking 2>"$err" && contains "$err" "dee promised no support" &&
	unchanged . "$s" &&
	cd ../ari && s=$(snapshot .) &&
	expect_fail 1 as ari perf goal give ari/ranking 2>"$err" && contains "$err" "only a supporter" &&
	unchanged . "$s"
'

test_expect_success 'the supporter marks it given; it leaves their status' '
	at 2026-10-14T15:00:00Z &&
	cd bo && as bo perf sync >/dev/null && as bo perf goal give ari/ranking >"$out" &&
	contains "$out" "goal: bo gave support to ari/ranking: pairs on the ranking tests" &&
	test "$(git log -1 --format=%ae)" = bo@example.com &&
	git log -1 --format=%B | grep -qx "Perf-Action: give" &&
	fm goals/ari/ranking.md "[str(s.get(\"given\")) for s in fm[\"supporters\"]] == [\"2026-10-14\", \"None\", \"None\"]" &&
	{ as bo perf status >"$out"; true; } && ! grep -q "promised" "$out" &&
	expect_fail 1 as bo perf goal give ari/ranking 2>"$err" && contains "$err" "already gave" &&
	as bo perf sync >/dev/null
'

test_expect_success 'the owner may not take back or replace support once given' '
	cd ari && as ari perf sync >/dev/null && s=$(snapshot .) &&
	expect_fail 1 as ari perf goal support ranking @bo:"something else" 2>"$err" && contains "$err" "already gave" &&
	unchanged . "$s"
'

test_expect_success 'hand-made commits: marking someone else'\''s support given is refused by the hook' '
	cd ari && fresh &&
	sed -i "/what: reviews the design doc/a\\    given: 2026-10-15" goals/ari/ranking.md &&
	commit_as ari "goal: ari marks lena support given" >/dev/null &&
	push_refused "only lena marks the support they gave" &&
	fresh &&
	sed -i "/what: reviews the design doc/a\\    given: 2026-10-15" goals/ari/ranking.md &&
	commit_as bo "goal: bo marks lena support given" >/dev/null &&
	push_refused "only lena marks the support they gave" &&
	fresh &&
	sed -i "s/given: 2026-10-14/given: 2026-10-01/" goals/ari/ranking.md &&
	commit_as ari "goal: ari redates bo support" >/dev/null &&
	push_refused "only bo marks the support they gave"
'

test_expect_success 'hand-made commits: a supporter changes nothing else of the goal' '
	cd ari && fresh &&
	sed -i "/what: reviews the design doc/a\\    given: 2026-10-15" goals/ari/ranking.md &&
	sed -i "s/^title: .*/title: Ship ranking v3/" goals/ari/ranking.md &&
	commit_as lena "goal: lena gives and renames" >/dev/null &&
	push_refused "only ari writes ari'\''s goal" &&
	fresh &&
	sed -i "/what: reviews the design doc/a\\    given: 2026-10-15" goals/ari/ranking.md &&
	commit_as lena "goal: lena gave support to ari/ranking" >/dev/null &&
	pushed && git checkout -q main && as ari perf sync >/dev/null
'


# October and November of ari's quarter: a goal finished in November, one
# created in December, check-ins with progress.
test_expect_success 'a quarter of goals: progress, a goal finished, a goal created later' '
	cd ari && git checkout -q main && as ari perf sync >/dev/null &&
	at 2026-10-19T09:00:00Z && as ari perf checkin --goal ranking=20 -m "eval set ready" >/dev/null &&
	at 2026-10-21T09:00:00Z && as ari perf goal add "Write the search runbook" --id runbook --due 2026-11-13 >/dev/null &&
	at 2026-10-26T09:00:00Z && as ari perf checkin --goal ranking=35 --goal runbook=50 -m "halfway" >/dev/null &&
	at 2026-11-02T09:00:00Z && as ari perf checkin --goal ranking=50 --goal runbook=80 -m "more" >/dev/null &&
	at 2026-11-09T09:00:00Z && as ari perf checkin --goal ranking=70 -m "tests green" >/dev/null &&
	at 2026-11-12T09:00:00Z && as ari perf goal done runbook >/dev/null &&
	as ari perf sync >/dev/null &&
	cd ../cy && as cy perf sync >/dev/null && at 2026-11-10T09:00:00Z && as cy perf goal give ari/ranking >/dev/null &&
	as cy perf sync >/dev/null &&
	at 2026-12-02T09:00:00Z && cd ../ari && as ari perf sync >/dev/null &&
	as ari perf goal add "Mentor a new hire" --id mentor --due 2026-12-18 --support @lena:"introduces the new hire" >/dev/null &&
	as ari perf sync >/dev/null
'

test_expect_success 'share for a past month: goals as they stood, finished ones, movement from the month start, support given' '
	at 2026-12-04T09:00:00Z && cd lena && as lena perf sync >/dev/null &&
	perf share --month 2026-11 >"$out" &&
	contains "$out" "# Goal sharing, 2026-11" &&
	contains "$out" "- Ship ranking v2 (ranking), due 2026-11-20: 35% → 70% this month (2 check-ins)" &&
	contains "$out" "support: bo pairs on the ranking tests (given 2026-10-14); lena reviews the design doc (given 2026-10-15); cy shares the eval dataset (given 2026-11-10)" &&
	contains "$out" "### Finished this month" &&
	contains "$out" "- Write the search runbook (runbook), done 2026-11-12: 50% → 100% this month (1 check-in)" &&
	contains "$out" "### Support given this month" &&
	contains "$out" "- cy: shares the eval dataset (ranking, 2026-11-10)" &&
	! grep -q "Mentor" "$out" && ! grep -q "Planned" "$out" &&
	perf --json share --month 2026-11 >"$out" &&
	python3 - "$out" <<-PY
	import json, sys
	d = json.load(open(sys.argv[1]))
	assert d["month"] == "2026-11" and d["current"] is False, d
	ari = [p for p in d["people"] if p["person"] == "ari"][0]
	assert [g["goal"] for g in ari["goals"]] == ["ranking"], ari
	g = ari["goals"][0]
	assert (g["start"], g["end"], g["first"], g["last"], g["checkins"]) == (35, 70, 50, 70, 2), g
	assert [(s["who"], s["given"]) for s in g["support"]] == [("bo", "2026-10-14"), ("lena", "2026-10-15"), ("cy", "2026-11-10")], g
	assert [(f["goal"], f["status"], f["start"], f["end"]) for f in ari["finished"]] == [("runbook", "done", 50, 100)], ari
	assert ari["support_given"] == [{"goal": "ranking", "who": "cy", "what": "shares the eval dataset", "given": "2026-11-10"}], ari
	assert "planned" not in ari, ari
	PY
'

test_expect_success 'share for October: the goal finished later stood open then; movement from the first value' '
	at 2026-12-04T09:00:00Z && cd lena && perf share --month 2026-10 >"$out" &&
	contains "$out" "- Ship ranking v2 (ranking), due 2026-11-20: 20% → 35% this month (2 check-ins)" &&
	contains "$out" "- Write the search runbook (runbook), due 2026-11-13: 50% → 50% this month (1 check-in)" &&
	contains "$out" "- bo: pairs on the ranking tests (ranking, 2026-10-14)" &&
	! grep -q "Finished this month" "$out"
'

test_expect_success 'share for the month in progress: what is planned' '
	at 2026-12-04T09:00:00Z && cd lena && perf share >"$out" &&
	contains "$out" "# Goal sharing, 2026-12" &&
	contains "$out" "- Mentor a new hire (mentor), due 2026-12-18: no check-in this month, at 0%" &&
	contains "$out" "support: lena introduces the new hire (promised)" &&
	contains "$out" "### Planned for the rest of the month" &&
	contains "$out" "- Mentor a new hire (mentor) is due 2026-12-18" &&
	contains "$out" "- lena: introduces the new hire (support for mentor, promised)" &&
	! grep -q "Write the search runbook" "$out" &&
	perf --json share >"$out" &&
	python3 - "$out" <<-PY
	import json, sys
	d = json.load(open(sys.argv[1]))
	assert d["current"] is True, d
	ari = [p for p in d["people"] if p["person"] == "ari"][0]
	assert ari["planned"] == [{"goal": "mentor", "due": "2026-12-18", "who": None, "what": None},
	                          {"goal": "mentor", "due": None, "who": "lena", "what": "introduces the new hire"}], ari
	PY
'


test_expect_success 'a check-in says what support helped' '
	at 2026-12-04T09:00:00Z && cd ari &&
	as ari perf checkin --goal mentor=10 --helped "lena'\''s intro call saved a week" >"$out" &&
	grep -qx "## Support that helped" checkins/ari/2026-W49.md &&
	grep -qx "lena'\''s intro call saved a week" checkins/ari/2026-W49.md &&
	as ari perf sync >/dev/null
'

test_expect_success 'summary and the site report support promised and given per goal' '
	at 2026-12-04T09:00:00Z && cd lena &&
	perf summary --person ari --since 2026-10-01 --until 2026-12-31 >"$out" &&
	contains "$out" "  - support from bo: pairs on the ranking tests (given 2026-10-14)" &&
	contains "$out" "  - support from lena: introduces the new hire (promised, not yet given)" &&
	perf summary --person ari --since 2026-10-01 --until 2026-12-31 --format json >"$out" &&
	python3 - "$out" <<-PY &&
	import json, sys
	d = json.load(open(sys.argv[1]))
	p = d["people"][0] if "people" in d else d
	g = {x["goal"]: x for x in p["goals"]}
	assert g["mentor"]["support"] == [{"who": "lena", "what": "introduces the new hire", "given": None}], g
	assert [s["given"] for s in g["ranking"]["support"]] == ["2026-10-14", "2026-10-15", "2026-11-10"], g
	assert "support" not in g["runbook"], g
	PY
	perf site "$TEST_ROOT/site" >/dev/null 2>&1 &&
	grep -rl "pairs on the ranking tests" "$TEST_ROOT/site" >"$out" && test -s "$out" &&
	grep -rh "introduces the new hire" "$TEST_ROOT/site" | grep -q "promised, not yet given" &&
	grep -rh "pairs on the ranking tests" "$TEST_ROOT/site" | grep -q "given <time datetime=\"2026-10-14\">14 October 2026</time>"
'

test_done
