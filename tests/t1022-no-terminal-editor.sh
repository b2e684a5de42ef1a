#!/bin/sh
# With no terminal and no editor set, every command that would open the
# editor says to use -m (or -F) instead, starts nothing and writes nothing.
# A chosen editor ($PERF_EDITOR, $EDITOR...) still runs without a terminal.
. "$(dirname "$0")/lib.sh"

team_fixture --now 2026-11-16T09:00:00Z ari bo || exit 1

# A vi on PATH that leaves a mark: perf must never start it here.
mkdir -p "$TEST_ROOT/bin"
cat >"$TEST_ROOT/bin/vi" <<SH
#!/bin/sh
echo started >>"$TEST_ROOT/vi-ran"
exit 0
SH
chmod +x "$TEST_ROOT/bin/vi"
PATH=$TEST_ROOT/bin:$PATH
export PATH
unset EDITOR VISUAL

(as ari perf goal add "Ship search v2" >/dev/null &&
	as ari perf checkin -m "indexer merged" >/dev/null &&
	as lena perf cycle start q1 --question "What helps reviews?" >/dev/null &&
	as ari perf ask bo --about "my code reviews" >/dev/null) 2>/dev/null || echo "Bail out! cannot set up"
req=$(cd feedback/ari && ls | sed "s/\.md\$//")

# no_editor WHO CMD...: CMD fails (exit 1) with stdin from /dev/null,
# says to use -m, starts no vi, and leaves the repository as it was.
no_editor() {
	_who=$1
	shift
	_before=$(snapshot .)
	as "$_who" expect_fail 1 "$PERF_BIN" "$@" </dev/null >"$out" 2>"$err" || return 1
	contains "$err" "no editor is set and there is no terminal to run one" || return 1
	contains "$err" "give the text with -m TEXT" || return 1
	contains "$err" "or set EDITOR" || return 1
	test ! -e "$TEST_ROOT/vi-ran" || { echo "vi was started" >&2; return 1; }
	unchanged . "$_before"
}

test_expect_success 'checkin' 'no_editor ari checkin --week 2026-W46'
test_expect_success 'reply' 'no_editor bo reply goal:ari/ship-search-v2'
test_expect_success 'give, which also takes -F' '
	no_editor bo give "ari/$req" &&
	contains "$err" "or -F FILE"
'
test_expect_success 'praise' 'no_editor bo praise ari'
test_expect_success 'note' 'no_editor lena note ari --with lena'
test_expect_success 'expect' 'no_editor lena expect ari'
test_expect_success 'norm propose' 'no_editor lena norm propose "Reviews within a day"'
test_expect_success 'cycle close' 'no_editor lena cycle close q1'

test_expect_success 'a chosen editor still runs without a terminal' '
	cat >"$TEST_ROOT/write.sh" <<-\SH &&
	#!/bin/sh
	printf "Nice work on the indexer.\n" >"$1"
	SH
	chmod +x "$TEST_ROOT/write.sh" &&
	EDITOR="$TEST_ROOT/write.sh" as bo perf reply goal:ari/ship-search-v2 </dev/null >"$out" &&
	PERF_EDITOR="$TEST_ROOT/write.sh" as lena perf reply goal:ari/ship-search-v2 </dev/null >"$out" &&
	test "$(ls goals/ari/ship-search-v2 | wc -l)" = 2 &&
	test ! -e "$TEST_ROOT/vi-ran"
'

test_expect_success 'with -m nothing asks for an editor' '
	as bo perf praise ari -m "Great demo" </dev/null >"$out" &&
	contains "$out" "praise"
'

test_done
