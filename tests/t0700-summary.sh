#!/bin/sh
# perf summary, share and evidence over a scripted quarter with known inputs:
# the exact JSON (compared as data by python3) and the Markdown's key lines.
. "$(dirname "$0")/lib.sh"

quarter_start || exit 1

quarter_cycle_week
quarter_expectations

quarter_feedback

at 2026-10-08T09:00:00Z
as lena perf praise ari -m "Your indexer write-up taught us all" --value learning >/dev/null
as lena perf note ari -m "$(printf 'Talked.\n\n- [ ] @ari draft the review guide, by 2026-10-20\n- [ ] @ari book the demo, by 2026-10-10\n')" >/dev/null

quarter_rust_week
aid=$(as ari perf --json action list --open --mine | python3 -c "import json,sys; print([a for a in json.load(sys.stdin) if 'guide' in a['text']][0]['id'])")
as ari perf action done "$aid" >/dev/null

quarter_end
at 2026-11-23T10:00:00Z

test_expect_success 'summary --cycle q4 --person ari: the exact JSON' '
	perf summary --cycle q4 --person ari --format json >"$out" &&
	python3 - "$out" <<-PY
	import json, sys
	got = json.load(open(sys.argv[1]))
	want = {
	  "since": "2026-10-05", "until": "2026-12-31", "cycle": "q4",
	  "people": [{
	    "person": "ari",
	    "goals": [{"goal": "rust", "title": "Learn Rust", "status": "active",
	               "start": 0, "end": 30, "closed": None},
	              {"goal": "ship", "title": "Ship search v2", "status": "done",
	               "start": 10, "end": 100, "closed": "done"}],
	    "checkins": {"count": 3, "streak": 2},
	    "moods": [{"week": "2026-W41", "mood": 4}, {"week": "2026-W42", "mood": 5},
	              {"week": "2026-W44", "mood": 3}],
	    "feedback": {"asked": 1, "answered": 1},
	    "praise": {"count": 2, "values": ["learning", "care"]},
	    "actions": {"opened": 2, "closed": 1, "overdue": 1},
	    "expectations": {"written": True, "agreed": True},
	  }],
	}
	assert got == want, json.dumps(got, indent=1)
	PY
'

test_expect_success 'summary: --json is the same as --format json; bo has an empty record' '
	perf --json summary --cycle q4 >"$out" &&
	python3 - "$out" <<-PY
	import json, sys
	got = json.load(open(sys.argv[1]))
	assert [p["person"] for p in got["people"]] == ["ari", "bo", "lena"], got
	bo = got["people"][1]
	assert bo == {"person": "bo", "goals": [], "checkins": {"count": 0, "streak": 0}, "moods": [],
	              "feedback": {"asked": 0, "answered": 0}, "praise": {"count": 0, "values": []},
	              "actions": {"opened": 0, "closed": 0, "overdue": 0},
	              "expectations": {"written": False, "agreed": False}}, bo
	PY
'

test_expect_success 'summary: the default span is the current cycle; Markdown has the key lines' '
	perf summary --person ari >"$out" &&
	contains "$out" "# Summary 2026-10-05 to 2026-12-31 (cycle q4)" &&
	contains "$out" "## ari" &&
	contains "$out" "- Ship search v2 (ship): 10% → 100%, done" &&
	contains "$out" "- Check-ins: 3 (longest streak: 2 weeks)" &&
	contains "$out" "- Mood: 2026-W41 4, 2026-W42 5, 2026-W44 3" &&
	contains "$out" "- Feedback: 1 asked, 1 answer" &&
	contains "$out" "- Praise: 2 (learning, care)" &&
	contains "$out" "- Actions: 2 opened, 1 closed, 1 overdue" &&
	contains "$out" "- Expectations: agreed to the current version"
'

test_expect_success 'summary --since/--until: progress at the span'\''s edges' '
	perf summary --since 2026-10-10 --until 2026-10-20 --person ari --format json >"$out" &&
	python3 - "$out" <<-PY
	import json, sys
	got = json.load(open(sys.argv[1]))
	assert got["cycle"] is None and got["since"] == "2026-10-10", got
	p = got["people"][0]
	assert p["goals"][0] == {"goal": "rust", "title": "Learn Rust", "status": "active",
	                         "start": 0, "end": 10, "closed": None}, p
	assert p["goals"][1:] == [{"goal": "ship", "title": "Ship search v2", "status": "done",
	                       "start": 20, "end": 40, "closed": None}], p
	assert p["checkins"] == {"count": 2, "streak": 2}, p  # W41 overlaps the span
	assert p["feedback"] == {"asked": 0, "answered": 0}, p
	PY
'

test_expect_success 'summary: bad options are usage errors, unknown cycle or person fail' '
	expect_fail 2 perf summary --cycle q4 --since 2026-10-01 2>"$err" &&
	expect_fail 2 perf summary --since 2026-13-01 2>"$err" &&
	expect_fail 2 perf summary --format xml 2>"$err" &&
	expect_fail 2 perf summary --person ari --group search 2>"$err" &&
	expect_fail 1 perf summary --cycle nope 2>"$err" && contains "$err" "no cycle" &&
	expect_fail 1 perf summary --person zed 2>"$err" &&
	repo_clean .
'

test_expect_success 'summary and share --group: the group'\''s members only; an unknown group fails' '
	as lena perf group set search lena ari >/dev/null &&
	perf summary --group search --format json >"$out" &&
	python3 -c "import json; d=json.load(open(\"$out\")); assert [p[\"person\"] for p in d[\"people\"]] == [\"ari\", \"lena\"], d" &&
	perf share --group search >"$out" && ! grep -q "## bo" "$out" && contains "$out" "## lena" &&
	expect_fail 1 perf summary --group nope 2>"$err" && contains "$err" "no group"
'

test_expect_success 'share --month 2026-10: goals as they stood and how they moved that month' '
	perf share --month 2026-10 >"$out" &&
	contains "$out" "# Goal sharing, 2026-10" &&
	contains "$out" "- Learn Rust (rust), due 2026-12-15: 10% → 30% this month (2 check-ins)" &&
	contains "$out" "- Ship search v2 (ship): 10% → 60% this month (3 check-ins)" &&
	contains "$out" "## bo" && contains "$out" "No active goals." &&
	perf --json share --month 2026-11 >"$out" &&
	python3 - "$out" <<-PY
	import json, sys
	got = json.load(open(sys.argv[1]))
	assert got["month"] == "2026-11", got
	ari = [p for p in got["people"] if p["person"] == "ari"][0]
	keys = ("goal", "title", "due", "checkins", "first", "last", "progress")
	assert [{k: g[k] for k in keys} for g in ari["goals"]] == [{"goal": "rust", "title": "Learn Rust", "due": "2026-12-15",
	               "checkins": 0, "first": None, "last": None, "progress": 30}], ari
	assert [(g["goal"], g["status"], g["start"], g["end"]) for g in ari["finished"]] == [("ship", "done", 60, 100)], ari
	PY
'

test_expect_success 'share: a bad month is a usage error' '
	expect_fail 2 perf share --month 2026-13 2>"$err" && contains "$err" "not a month"
'

test_expect_success 'evidence: everything on record, grouped; default person is me, six months back' '
	as ari perf evidence >"$out" &&
	contains "$out" "# Evidence for ari, 2026-05-23 to 2026-11-23" &&
	contains "$out" "- Ship search v2 (ship, done): 2026-W40 10%, 2026-W41 20%, 2026-W42 40%, 2026-W44 60%, 2026-11-02 100%" &&
	contains "$out" "### 2026-W42" && contains "$out" "Small PRs land faster." &&
	contains "$out" "- On \"my code reviews\", from lena (2026-10-07): Clear and kind." &&
	contains "$out" "- From bo (2026-10-26, care): Thanks for the pairing" &&
	contains "$out" "- draft the review guide (due 2026-10-20)" &&
	! grep -q "book the demo" "$out"
'

test_expect_success 'evidence --since, --json: the span bounds every section' '
	perf --json evidence ari --since 2026-10-10 >"$out" &&
	python3 - "$out" <<-PY
	import json, sys
	got = json.load(open(sys.argv[1]))
	assert got["person"] == "ari" and got["since"] == "2026-10-10" and got["until"] == "2026-11-23", got
	assert [l["week"] for l in got["learned"]] == ["2026-W42", "2026-W44"], got["learned"]
	ship = [g for g in got["goals"] if g["goal"] == "ship"][0]
	assert ship["history"] == [{"date": "2026-10-12", "week": "2026-W42", "progress": 40},
	                           {"date": "2026-10-26", "week": "2026-W44", "progress": 60},
	                           {"date": "2026-11-02", "week": None, "progress": 100}], ship
	assert got["feedback"] == [], got["feedback"]
	assert [(p["from"], p["value"]) for p in got["praise"]] == [("bo", "care")], got["praise"]
	assert got["actions"] == [], got["actions"]
	PY
'

test_expect_success 'evidence: unknown person fails, bad date is a usage error; nothing written' '
	before=$(snapshot .) &&
	expect_fail 1 perf evidence zed 2>"$err" &&
	expect_fail 2 perf evidence ari --since yesterday 2>"$err" &&
	unchanged . "$before" && repo_clean .
'

test_done
