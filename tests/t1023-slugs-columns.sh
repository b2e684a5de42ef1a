#!/bin/sh
# Ids made from titles: accented Latin letters written in ASCII, other
# alphabets transliterated, long titles cut where a word ends; and lists
# whose id columns stay aligned whatever an id's length.
. "$(dirname "$0")/lib.sh"

# A handle of 36 characters: with an action id of 23, a 60-character ref.
long=pat-with-a-rather-long-handle-name-x
team_fixture --now 2026-11-16T09:00:00Z ari bo $long || exit 1

test_expect_success 'accents are written in ASCII, not cut into separate words' '
	as ari perf goal add "améliorer les revues" >"$out" &&
	contains "$out" "goal: ari added ameliorer-les-revues (goals/ari/ameliorer-les-revues.md)" &&
	as ari perf goal add "Straße bauen" >"$out" &&
	contains "$out" "added strasse-bauen" &&
	as ari perf goal add "Łódź, Ærø og Œuvre" >"$out" &&
	contains "$out" "added lodz-aero-og-oeuvre" &&
	contains goals/ari/ameliorer-les-revues.md "title: améliorer les revues"
'

test_expect_success 'a long title is cut where a word ends' '
	as ari perf goal add "Improve the reliability of the search indexer pipeline" >"$out" &&
	contains "$out" "added improve-the-reliability-of-the-search (" &&
	test -f goals/ari/improve-the-reliability-of-the-search.md
'

test_expect_success 'other alphabets: Cyrillic and Greek transliterated, others get an id of their own' '
	as bo perf goal add "Улучшить поиск" >"$out" &&
	contains "$out" "added uluchshit-poisk" &&
	as bo perf goal add "Βελτίωση" >"$out" &&
	contains "$out" "added veltiosi" &&
	as bo perf goal add "改进搜索" >"$out" &&
	id=$(sed -n "s/^goal: bo added \([0-9a-f]*\) .*/\1/p" "$out") &&
	test ${#id} = 8 &&
	contains "goals/bo/$id.md" "title: 改进搜索" &&
	as bo expect_fail 1 perf goal add "改进搜索" 2>"$err" &&
	contains "$err" "already have a goal" &&
	repo_clean .
'

test_expect_success 'a note title and a norm title too' '
	as lena perf note ari --with lena --title "Révision trimestrielle" -m "ok" >"$out" &&
	contains "$out" "2026-11-16-revision-trimestrielle" &&
	as lena perf norm propose "Revues à temps" -m "Reviews within a day." >"$out" &&
	test -f norms/revues-a-temps.md
'

# column_of FILE WORD: the distinct columns WORD starts at on the lines that have it.
column_of() {
	awk -v w="$2" "index(\$0, w) { print index(\$0, w) }" "$1" | sort -u
}

test_expect_success 'goal list: a 39-character id keeps the columns aligned' '
	as ari perf goal add "Short" --id s >/dev/null &&
	as ari perf goal add "Long one" --id abcdefghij-abcdefghij-abcdefghij-abcdef >/dev/null &&
	as ari perf goal list >"$out" &&
	contains "$out" "abcdefghij-abcdefghij-abcdefghij-abcdef" &&
	test "$(column_of "$out" " active ")" -ge 40 &&
	test "$(column_of "$out" " active " | wc -l)" = 1 &&
	test "$(column_of "$out" "   0%")" -gt 40 &&
	test "$(column_of "$out" "   0%" | wc -l)" = 1
'

test_expect_success 'action list: a 60-character ref and a long owner keep the columns aligned' '
	as lena perf note $long -m "## Actions
- [ ] @$long write the weekly report for the team, by 2026-12-01
- [ ] @lena send the draft, by 2026-12-02" >/dev/null &&
	as lena perf action list >"$out" &&
	ref="$long/write-the-weekly-report" &&
	test ${#ref} = 60 &&
	contains "$out" "$ref " &&
	contains "$out" "$long/send-the-draft " &&
	test "$(column_of "$out" " 2026-12-0" | wc -l)" = 1 &&
	test "$(column_of "$out" " open ")" -gt 97 &&
	test "$(column_of "$out" " open " | wc -l)" = 1
'

test_expect_success 'feedback: a long author keeps the answers aligned' '
	as ari perf ask bo $long --about "my reviews" >/dev/null &&
	req=$(ls feedback/ari | sed "s/\.md\$//") &&
	as bo perf give "ari/$req" -m "Clear and kind." >/dev/null &&
	as $long perf give "ari/$req" -m "Thorough." >/dev/null &&
	as ari perf feedback >"$out" &&
	contains "$out" "$long" &&
	grep "^  2026-11-16  " "$out" >"$TEST_ROOT/answers" &&
	test "$(wc -l <"$TEST_ROOT/answers")" = 2 &&
	test "$(column_of "$TEST_ROOT/answers" " $req ")" -ge 49 &&
	test "$(column_of "$TEST_ROOT/answers" " $req " | wc -l)" = 1
'

test_done
