#!/bin/sh
# perf people: the roster (handle, name, role, lead, group, who left), in
# text and JSON, the same as perf person list.
. "$(dirname "$0")/lib.sh"

team_fixture ari bo || exit 1
as lena perf group set search ari >/dev/null || exit 1

test_expect_success 'perf people lists everyone with role and lead' '
	as ari perf people >"$out" &&
	head -1 "$out" | grep -q "^HANDLE  *NAME  *ROLE  *LEAD  *GROUP  *ADMITTED  *LEFT$" &&
	grep -q "^ari  *Ari Example  *Engineer  *lena  *search " "$out" &&
	grep -q "^bo  *Bo Example  *Engineer  *lena " "$out" &&
	grep -q "^lena  *Lena Example  *Engineering lead  *- " "$out" &&
	test $(wc -l <"$out") = 4
'

test_expect_success 'who left is shown, with the day' '
	as lena perf person leave bo >/dev/null &&
	as ari perf people >"$out" &&
	grep -q "^bo .* 2026-11-23$" "$out" &&
	grep -q "^ari .* -$" "$out"
'

test_expect_success 'perf people --json, before or after the command' '
	as ari perf people --json >"$out" &&
	python3 -c "
import json, sys
r = {p[\"handle\"]: p for p in json.load(open(sys.argv[1]))}
assert sorted(r) == [\"ari\", \"bo\", \"lena\"], r
assert r[\"ari\"][\"lead\"] == \"lena\" and r[\"ari\"][\"role\"] == \"Engineer\", r
assert r[\"bo\"][\"left\"] == \"2026-11-23\" and r[\"ari\"][\"left\"] is None, r
assert r[\"lena\"][\"lead\"] is None and r[\"lena\"][\"maintainer\"] is True, r
" "$out" &&
	as ari perf --json people >"$TEST_ROOT/again" && cmp "$out" "$TEST_ROOT/again"
'

test_expect_success 'perf people is perf person list, and perf person still works' '
	as ari perf people >"$out" &&
	as ari perf person >"$TEST_ROOT/person" && cmp "$out" "$TEST_ROOT/person" &&
	as ari perf person list >"$TEST_ROOT/person" && cmp "$out" "$TEST_ROOT/person"
'

test_expect_success 'perf people takes no operand' '
	as ari expect_fail 2 perf people ari 2>"$err" && contains "$err" "unexpected argument '\''ari'\''" &&
	as ari expect_fail 2 perf people --bogus 2>"$err" && contains "$err" "unknown option"
'

test_done
