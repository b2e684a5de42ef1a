#!/bin/sh
# perf status's exit codes: 0 nothing due, 1 something due, 2 usage error,
# 3 perf failed (no repository, a config it cannot read, not in the team,
# a bad PERF_NOW), so a script tells "due" from "broken".
. "$(dirname "$0")/lib.sh"

team_fixture ari || exit 1

test_expect_success '1: something is due (the week'\''s check-in)' '
	as ari expect_fail 1 perf status >"$out" && contains "$out" "check-in for 2026-W48 not written yet" &&
	as ari expect_fail 1 perf status --json >"$out" && contains "$out" "\"kind\": \"checkin\""
'

test_expect_success '0: nothing due' '
	as ari perf checkin -m "indexer merged" >/dev/null &&
	as ari perf status >"$out" && contains "$out" "Nothing due" &&
	as ari perf --json status >/dev/null
'

test_expect_success '2: usage errors' '
	as ari expect_fail 2 perf status --bogus 2>"$err" && contains "$err" "unknown option" &&
	as ari expect_fail 2 perf status now 2>"$err" && contains "$err" "unexpected argument"
'

test_expect_success '3: no perf repository, here or with -C' '
	(cd "$TEST_ROOT" && mkdir -p nowhere && cd nowhere && as ari expect_fail 3 perf status 2>"$err") &&
	contains "$err" "not in a perf repository" &&
	as ari expect_fail 3 perf -C "$TEST_ROOT/nowhere" status 2>"$err" && contains "$err" "nowhere"
'

test_expect_success '3: not in the team, a bad PERF_NOW' '
	as zed expect_fail 3 perf status 2>"$err" && contains "$err" "no person in this team has the email" &&
	PERF_NOW=soon as ari expect_fail 3 perf status 2>"$err" && contains "$err" "PERF_NOW" &&
	PERF_NOW=soon as ari expect_fail 3 perf --json status 2>"$err"
'

test_expect_success '3: a team config perf cannot read' '
	cp .perf/config.yaml "$TEST_ROOT/config.yaml" &&
	printf "format: [unclosed\n" >.perf/config.yaml &&
	git -c user.name=X -c user.email=x@example.com commit -qam "break the config" &&
	as ari expect_fail 3 perf status 2>"$err" && contains "$err" ".perf/config.yaml" &&
	cp "$TEST_ROOT/config.yaml" .perf/config.yaml &&
	git -c user.name=X -c user.email=x@example.com commit -qam "mend the config" &&
	as ari perf status >/dev/null
'

test_expect_success 'other commands still fail with 1' '
	as zed expect_fail 1 perf goal add "Nope" 2>"$err" &&
	(cd "$TEST_ROOT/nowhere" && as ari expect_fail 1 perf log 2>"$err")
'

test_done
