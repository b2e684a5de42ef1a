#!/bin/sh
# perf export: every document as data; an independent reader (python3's
# json and csv modules) checks counts and values.
. "$(dirname "$0")/lib.sh"

at 2026-10-05T09:00:00Z
team_fixture --no-admit ari || exit 1
as ari perf goal add 'Ship search, "v2"' --id ship >/dev/null
as ari perf checkin --goal ship=30 -m "$(printf 'Learned: commas, "quotes"\nsecond line')" --mood 4 >/dev/null
as lena perf praise ari -m "Great write-up" --value learning >/dev/null
as ari perf ask lena --about "my reviews" --due 2026-10-16 >/dev/null

test_expect_success 'jsonl: one object per document, typed fields, body' '
	perf export >"$out" &&
	python3 - "$out" <<-PY
	import json, sys, subprocess
	rows = [json.loads(l) for l in open(sys.argv[1])]
	paths = [r["path"] for r in rows]
	files = subprocess.check_output(["git", "ls-files"], text=True).split()
	want = [f for f in files if "/" in f and not f.startswith(".perf/templates/")]
	assert sorted(paths) == sorted(want), (paths, want)
	by = {r["path"]: r for r in rows}
	c = by["checkins/ari/2026-W41.md"]
	assert c["kind"] == "checkin", c
	assert c["fields"]["mood"] == 4 and c["fields"]["goals"] == [{"goal": "ship", "progress": 30}], c
	assert c["fields"]["week"] == "2026-W41", c
	assert c["body"].startswith("Learned: commas, \"quotes\"\nsecond line"), c
	g = by["goals/ari/ship.md"]
	assert g["fields"]["title"] == "Ship search, \"v2\"" and g["fields"]["progress"] == 30, g
	assert by[".perf/config.yaml"]["fields"]["format"] == 1
	kinds = sorted(r["kind"] for r in rows)
	assert kinds.count("person") == 2 and kinds.count("praise") == 1 and kinds.count("feedback") == 1, kinds
	PY
'

test_expect_success 'csv: RFC 4180, one row per document, the columns named' '
	perf export --format csv >"$out" &&
	python3 - "$out" <<-PY
	import csv, sys
	rows = list(csv.DictReader(open(sys.argv[1], newline="")))
	assert len(rows) == 7, len(rows)
	by = {r["path"]: r for r in rows}
	c = by["checkins/ari/2026-W41.md"]
	assert c["kind"] == "checkin" and c["person"] == "ari" and c["date"] == "2026-W41", c
	assert c["mood"] == "4" and c["body_first_line"] == "Learned: commas, \"quotes\"", c
	g = by["goals/ari/ship.md"]
	assert g["title_or_about"] == "Ship search, \"v2\"" and g["status"] == "active" and g["progress"] == "30", g
	f = [r for r in rows if r["kind"] == "feedback"][0]
	assert f["title_or_about"] == "my reviews" and f["person"] == "ari", f
	p = [r for r in rows if r["kind"] == "praise"][0]
	assert p["person"] == "ari" and p["date"] == "2026-10-05T09:00:00Z", p
	PY
'

test_expect_success 'an unknown format is a usage error; export writes nothing' '
	before=$(snapshot .) &&
	expect_fail 2 perf export --format xml 2>"$err" &&
	contains "$err" "unknown format" &&
	unchanged . "$before" && repo_clean .
'

test_done
