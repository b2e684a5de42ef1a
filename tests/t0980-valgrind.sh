#!/bin/sh
# A representative set of perf commands under valgrind's memcheck: init,
# join, goal add, checkin, reply, show, log, diff, status, summary, export,
# check, expect, agree, note, action, praise, cycle, norm, share, evidence,
# clone and sync through a file:// remote, and a few failures.  Any
# invalid read or write, use of an uninitialised value, bad free or
# definitely lost block fails the test.  tests/valgrind.supp silences only
# third-party libraries' own noise, never perf's code.
#
# Runs on the normal build; skipped without valgrind and on a sanitizer
# build (valgrind and AddressSanitizer do not mix).
. "$(dirname "$0")/lib.sh"

if ! command -v valgrind >/dev/null 2>&1; then
	echo "1..0 # SKIP valgrind is not installed"
	exit 0
fi
if grep -q __asan_init "$PERF_BIN" 2>/dev/null; then
	echo "1..0 # SKIP a sanitizer build; valgrind needs the normal build"
	exit 0
fi

vg_n=0
# vg CODE PERF-ARGS...: run perf under memcheck; it must exit with CODE and
# valgrind must report no error.  Output goes to "$out" and "$err".
vg() {
	_want=$1
	shift
	vg_n=$((vg_n + 1))
	_log=$TEST_ROOT/vg.$vg_n.log
	valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
		--show-leak-kinds=definite --num-callers=40 \
		--suppressions="$PERF_SRC/tests/valgrind.supp" --log-file="$_log" \
		"$PERF_BIN" "$@" >"$out" 2>"$err"
	_got=$?
	if test -s "$_log"; then
		echo "valgrind: perf $*" >&2
		cat "$_log" >&2
		return 1
	fi
	if test "$_got" != "$_want"; then
		echo "perf $*: exit $_got, expected $_want" >&2
		cat "$err" >&2
		return 1
	fi
	return 0
}

export PERF_NOW=2026-11-16T09:00:00Z
git init -q --bare srv/team.git

test_expect_success 'init' '
	vg 0 init team --team Search && test -f team/.perf/config.yaml
'
cd team || exit 1

test_expect_success 'join, as a lead and as an engineer, and admit' '
	as lena vg 0 join --role Lead && test -f people/lena.md &&
	as ari vg 0 join --role Engineer --lead lena && test -f people/ari.md &&
	as lena vg 0 admit && as lena vg 0 admit ari && grep -qx "admitted_by: lena" people/ari.md
'

test_expect_success 'goal add' '
	as ari vg 0 goal add "Ship search v2" --id ship && test -f goals/ari/ship.md
'

test_expect_success 'checkin with a goal update' '
	as ari vg 0 checkin -m "indexer merged" --goal ship=40 && test -f checkins/ari/2026-W47.md
'

test_expect_success 'reply' '
	PERF_NOW=2026-11-16T10:00:00Z as lena vg 0 reply goal:ari/ship -m "Demo on *Friday*?" &&
	ls goals/ari/ship/ | grep -q lena
'

test_expect_success 'show, plain and --json' '
	as ari vg 0 show goal:ship && contains "$out" "Ship search v2" &&
	as ari vg 0 --json show ari/2026-W47 && contains "$out" "indexer merged"
'

test_expect_success 'log and diff' '
	as ari vg 0 log goal:ship && contains "$out" "lena" &&
	vg 0 log &&
	vg 0 diff HEAD~2..HEAD goal:ari/ship && contains "$out" "progress"
'

test_expect_success 'status (exit 1: something is due)' '
	as ari vg 1 status && contains "$out" "Due"
'

test_expect_success 'summary and export' '
	vg 0 summary --person ari &&
	vg 0 summary --format json && python3 -m json.tool "$out" >/dev/null &&
	vg 0 export && contains "$out" "goals/ari/ship.md" &&
	vg 0 export --format csv && contains "$out" "goals/ari/ship.md"
'

test_expect_success 'check, clean and with a broken document' '
	vg 0 check &&
	printf -- "---\nkind: goal\nowner: ari\nprogress: lots\n---\n" >goals/ari/broken.md &&
	git add goals/ari/broken.md && git commit -q -m broken &&
	vg 1 check && cat "$out" "$err" >"$TEST_ROOT/both" && contains "$TEST_ROOT/both" "broken.md" &&
	git reset -q --hard HEAD~1
'

test_expect_success 'failures: unknown target, bad option, ambiguous' '
	as ari vg 1 show goal:nope && contains "$err" "no goal" &&
	vg 2 log --since yesterday &&
	as ari vg 0 goal add "Ship sync" --id ship-sync &&
	as ari vg 2 show goal:sh && contains "$err" "ambiguous"
'

test_expect_success 'expectations, agreement, a note with actions, praise, a cycle, a norm' '
	as lena vg 0 expect ari -m "Own search end to end." &&
	as ari vg 0 agree expect:ari &&
	as lena vg 0 note ari --with lena -m "- [ ] @ari send the draft by 2026-11-20" &&
	as ari vg 0 action list --open && contains "$out" "send the draft" &&
	as ari vg 0 praise lena -m "Thanks for the review." --value care &&
	as lena vg 0 cycle start q4 --question "How do reviews teach?" --until 2026-12-31 &&
	as ari vg 0 norm propose "Check in fortnightly" -m "Every other Monday." --set cadences.checkin=fortnightly &&
	as lena vg 0 share && as lena vg 0 evidence ari
'

test_expect_success 'sync through a file:// remote: push, clone, pull' '
	git remote add origin "file://$TEST_ROOT/srv/team.git" &&
	as ari vg 0 sync && contains "$out" "pushed" &&
	cd "$TEST_ROOT" &&
	as lena vg 0 clone "file://$TEST_ROOT/srv/team.git" lena && test -f lena/goals/ari/ship.md &&
	cd lena &&
	PERF_NOW=2026-11-17T09:00:00Z as lena vg 0 reply ari/2026-W47 -m "nice" &&
	as lena vg 0 sync &&
	cd "$TEST_ROOT/team" &&
	as ari vg 0 sync && ls checkins/ari/2026-W47/ | grep -q lena &&
	test "$(git rev-parse HEAD)" = "$(git -C "$TEST_ROOT/lena" rev-parse HEAD)"
'

test_done
