#!/bin/sh
# --json after the command reads as --json before it, for every command that
# reads; it stays an argument where an option takes it, and after "--".
. "$(dirname "$0")/lib.sh"

team_fixture ari >/dev/null || exit 1
as ari perf goal add "Ship search v2" --id ship >/dev/null
as ari perf checkin -m "indexer merged" --goal ship=40 >/dev/null

# same CMD...: 'perf --json CMD...' and 'perf CMD... --json' print the same bytes and exit alike.
same() {
	as ari perf --json "$@" >"$TEST_ROOT/before"
	_b=$?
	as ari perf "$@" --json >"$TEST_ROOT/after"
	_a=$?
	test "$_a" = "$_b" || { echo "exit $_b before, $_a after: $*" >&2; return 1; }
	cmp "$TEST_ROOT/before" "$TEST_ROOT/after" &&
	python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$TEST_ROOT/after"
}

test_expect_success 'status, goal list, log, show, summary, share, retro list: --json after the command' '
	same status &&
	same goal list &&
	same log &&
	same show goal:ari/ship &&
	same summary &&
	same share &&
	same retro list
'

test_expect_success '--json between options and operands works too' '
	as ari perf goal --json list >"$out" &&
	python3 -c "import json,sys; assert json.load(open(sys.argv[1]))[0][\"goal\"] == \"ship\"" "$out" 2>/dev/null ||
	python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert \"ship\" in json.dumps(d)" "$out"
'

test_expect_success 'an option that takes an argument keeps --json as its text' '
	as ari perf retro add -m --json --went-well "pairing" >"$out" &&
	grep -q -- "--json" retros/*.md &&
	! grep -q "^{" "$out"
'

test_expect_success 'commands that only write still refuse --json as an unknown option' '
	expect_fail 2 as ari perf praise ari --json -m "x" 2>"$err" || expect_fail 1 as ari perf praise ari --json -m "x" 2>"$err"
'

test_done
