#!/bin/sh
# perf status lists replies to your documents until perf show shows them.
. "$(dirname "$0")/lib.sh"

export PERF_NOW=2026-11-16T09:00:00Z
team_fixture --team "" --lead-role "" --role "" --no-admit ari || exit 1
as ari perf checkin -m "week one" >/dev/null
as lena perf checkin -m "lead week" >/dev/null

test_expect_success 'nothing due once checked in' '
	as ari perf status >"$out" && contains "$out" "Nothing due"
'

test_expect_success 'a reply to my check-in is due, exit 1, until I read it' '
	PERF_NOW=2026-11-17T09:00:00Z as lena perf reply ari/2026-W47 -m "Nice week" >/dev/null &&
	PERF_NOW=2026-11-17T10:00:00Z as ari expect_fail 1 perf status >"$out" &&
	contains "$out" "lena replied to checkins/ari/2026-W47.md" &&
	PERF_NOW=2026-11-17T10:00:00Z as ari perf show ari/2026-W47 >/dev/null &&
	PERF_NOW=2026-11-17T10:01:00Z as ari perf status >"$out" && contains "$out" "Nothing due"
'

test_expect_success 'my own replies never count, and seen state is never committed' '
	PERF_NOW=2026-11-17T11:00:00Z as ari perf reply ari/2026-W47 -m "Thanks" >/dev/null &&
	PERF_NOW=2026-11-17T11:01:00Z as ari perf status >"$out" && contains "$out" "Nothing due" &&
	test -f .git/perf/seen && repo_clean . &&
	! git ls-files | grep -q seen
'

test_expect_success 'status --json lists the reply with its path' '
	PERF_NOW=2026-11-18T09:00:00Z as lena perf reply ari/2026-W47 -m "Again" >/dev/null &&
	PERF_NOW=2026-11-18T10:00:00Z as ari perf --json status >"$out"; test $? = 1 &&
	python3 -c "
import json; d = json.load(open(\"$out\"))
r = [i for i in d[\"me\"][\"due\"] if i[\"kind\"] == \"reply\"]
assert len(r) == 1 and r[0][\"path\"] == \"checkins/ari/2026-W47.md\", d"
'

test_done
