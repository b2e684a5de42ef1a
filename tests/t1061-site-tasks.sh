#!/bin/sh
# perf site and task items: "- [ ] ..." in a body shows as a task (a box,
# ticked when done), never as the raw "[ ] @ari ..." text.  A note's items
# are its actions: they show once, with their owner, text, due date and
# state (as perf action done left them), not a second time beside the
# body; a retro's actions show as tasks; items anywhere else are boxes
# before their own words; code stays code, and hostile text stays text.
. "$(dirname "$0")/lib.sh"
. "$PERF_SRC/tests/lib-site.sh"

at 2026-11-16T09:00:00Z
team_fixture ari bo || exit 1
as lena perf note ari --with bo -m "$(printf 'Talked.\n\n- [ ] @ari draft the review guide, by 2026-11-20\n- [ ] @lena book the room\n- [ ] @bo read <b>this</b> & that\n')" >/dev/null || exit 1
as ari perf action done ari/draft-the-review-guide >/dev/null || exit 1
as ari perf checkin --mood 4 -m "$(printf 'Week.\n\n- [x] wrote the plan\n- [ ] ask about *the budget*\n  on two lines\n\n```\n- [ ] not a task in code\n```\n')" >/dev/null || exit 1
as bo perf retro add --went-well "pairing" --action "@bo fix the flaky test by 2026-11-18" --action "@lena book the room" >/dev/null || exit 1
as bo perf action done retro/fix-the-flaky-test >/dev/null || exit 1
at 2026-11-25T09:00:00Z
as lena perf praise ari -m "thanks" >/dev/null || exit 1
perf site "$TEST_ROOT/site" >/dev/null || exit 1
page=$TEST_ROOT/site/people/ari.html
index=$TEST_ROOT/site/index.html

# boxes FILE: each task box of the page, in order, as "done" or "open".
boxes() {
	grep -o '<input type="checkbox" disabled[^>]*>' "$1" |
		sed -e 's/.*aria-label="done".*/done/' -e 's/.*aria-label="not done".*/open/'
}

test_expect_success 'no page shows a task item as raw text' '
	for f in "$page" "$index" "$TEST_ROOT/site/people/bo.html" "$TEST_ROOT/site/people/lena.html"; do
		site_text "$f" >"$out" &&
		! grep -E "\[[ xX]\] " "$out" || { echo "in $f" >&2; return 1; }
	done
'

test_expect_success 'a note'\''s items show as its actions: owner, text, due date, state' '
	sed -n "/<section id=\"notes\">/,/<\/section>/p" "$page" >"$TEST_ROOT/notes" &&
	test "$(boxes "$TEST_ROOT/notes" | tr "\n" " ")" = "done open open " &&
	contains "$TEST_ROOT/notes" "<span class=\"task done\"><input type=\"checkbox\" disabled checked aria-label=\"done\"> <a href=\"../people/ari.html\">ari</a>: draft the review guide <span class=\"due\">· due <time datetime=\"2026-11-20\">20 November 2026</time></span></span>" &&
	contains "$TEST_ROOT/notes" "<a href=\"../people/lena.html\">lena</a>: book the room</span>" &&
	site_text "$TEST_ROOT/notes" >"$out" &&
	contains "$out" "Talked. ari: draft the review guide · due 20 November 2026 lena: book the room bo: read <b>this</b> & that"
'

test_expect_success 'each action shows once: the body holds them all, so no list beside it' '
	test "$(grep -c "draft the review guide" "$TEST_ROOT/notes")" = 1 &&
	test "$(grep -c "book the room" "$TEST_ROOT/notes")" = 1 &&
	! grep -q "<ul class=\"tasks\">" "$TEST_ROOT/notes"
'

test_expect_success 'an open action past its due date says it is overdue; a done one does not' '
	as lena perf note ari -m "$(printf -- "- [ ] @ari send the notes, by 2026-11-20\n")" >/dev/null &&
	perf site "$TEST_ROOT/site" >/dev/null &&
	contains "$page" "send the notes <span class=\"due\">· due <time datetime=\"2026-11-20\">20 November 2026</time> <span class=\"state-no\">overdue</span></span>" &&
	! grep "draft the review guide" "$page" | grep -q overdue
'

test_expect_success 'hostile text in a task stays text' '
	contains "$page" "read &lt;b&gt;this&lt;/b&gt; &amp; that" &&
	! grep -q "<b>this</b>" "$page"
'

test_expect_success 'items elsewhere (a check-in) are boxes before their own words; code stays code' '
	sed -n "/<section id=\"checkins\">/,/<\/section>/p" "$page" >"$TEST_ROOT/checkins" &&
	test "$(boxes "$TEST_ROOT/checkins" | tr "\n" " ")" = "done open " &&
	contains "$TEST_ROOT/checkins" "<span class=\"task done\"><input type=\"checkbox\" disabled checked aria-label=\"done\"> wrote the plan</span>" &&
	contains "$TEST_ROOT/checkins" "<span class=\"task\"><input type=\"checkbox\" disabled aria-label=\"not done\"> ask about <em>the budget</em>" &&
	contains "$TEST_ROOT/checkins" "<code>- [ ] not a task in code"
'

test_expect_success 'a retro'\''s actions show as tasks under their heading, done ones ticked' '
	sed -n "/<section id=\"team\">/,/<\/section>/p" "$index" >"$TEST_ROOT/teamsec" &&
	site_text "$TEST_ROOT/teamsec" >"$out" &&
	contains "$out" "What went well: pairing What the team will do: bo: fix the flaky test · due 18 November 2026 lena: book the room" &&
	test "$(boxes "$TEST_ROOT/teamsec" | tr "\n" " ")" = "done open " &&
	contains "$TEST_ROOT/teamsec" "<ul class=\"tasks\">" &&
	contains "$TEST_ROOT/teamsec" "<a href=\"people/bo.html\">bo</a>: fix the flaky test"
'

test_done
