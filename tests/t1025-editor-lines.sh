#!/bin/sh
# Errors in text written in the editor name the line as the editor showed
# it (after perf's note above the text, not in the file perf would write),
# nothing is written, and the text is kept under .git/perf/saved.
. "$(dirname "$0")/lib.sh"

team_fixture --now 2026-11-16T09:00:00Z ari bo || exit 1

# An editor that adds LINE after the line matching AFTER, and keeps a copy
# of what the person saw and wrote.
editor() {
	cat >"$TEST_ROOT/$1" <<-SH
	#!/bin/sh
	sed -i "s/$2/&\\\\n$3/" "\$1"
	cp "\$1" "$TEST_ROOT/$1.seen"
	SH
	chmod +x "$TEST_ROOT/$1"
}

# line_of FILE TEXT: the number of the line of FILE that is TEXT.
line_of() {
	grep -nxF -- "$2" "$1" | cut -d: -f1
}

test_expect_success 'a YAML error in the check-in front matter: the line in the editor' '
	editor yaml.sh "^week: .*" "this is not yaml: : [" &&
	before=$(snapshot .) &&
	PERF_EDITOR="$TEST_ROOT/yaml.sh" as ari expect_fail 1 perf checkin 2>"$err" &&
	n=$(line_of "$TEST_ROOT/yaml.sh.seen" "this is not yaml: : [") &&
	test -n "$n" &&
	contains "$err" "perf: the text you wrote is not valid: line $n: invalid YAML: mapping values are not allowed" &&
	! grep -q "checkins/ari/2026-W47.md:" "$err" &&
	saved=$(sed -n "s/^perf: your text is saved in \(.*\)\$/\1/p" "$err") &&
	case "$saved" in "$PWD"/.git/perf/saved/checkin-ari-*.md) ;; *) false ;; esac &&
	cmp "$saved" "$TEST_ROOT/yaml.sh.seen" &&
	unchanged . "$before"
'

test_expect_success 'a field out of range: the line in the editor' '
	editor mood.sh "^week: .*" "mood: 9" &&
	PERF_EDITOR="$TEST_ROOT/mood.sh" as ari expect_fail 1 perf checkin 2>"$err" &&
	n=$(line_of "$TEST_ROOT/mood.sh.seen" "mood: 9") &&
	contains "$err" "perf: the text you wrote is not valid: line $n: '\''mood'\'' must be 1-5, not 9"
'

test_expect_success 'a note: the line counts perf'\''s note above the text, not the front matter' '
	editor action.sh "^## Actions\$" "- [ ] @bo book the room" &&
	before=$(snapshot .) &&
	PERF_EDITOR="$TEST_ROOT/action.sh" as lena expect_fail 1 perf note ari 2>"$err" &&
	n=$(line_of "$TEST_ROOT/action.sh.seen" "- [ ] @bo book the room") &&
	test "$n" -gt 3 &&
	contains "$err" "perf: the text you wrote is not valid: line $n: @bo was not in this conversation" &&
	contains "$err" "your text is saved in" &&
	unchanged . "$before"
'

test_expect_success 'with -m, errors keep naming the file and its line' '
	as lena expect_fail 1 perf note ari -m "## Actions
- [ ] @bo book the room" 2>"$err" &&
	contains "$err" "perf: notes/ari/2026-11-16-1-1.md:" &&
	! grep -q "the text you wrote" "$err"
'

test_done
