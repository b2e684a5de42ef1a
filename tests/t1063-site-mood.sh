#!/bin/sh
# perf site's cycle page: each person's mood through the cycle is a small
# inline SVG chart in their row (a slot a week of the cycle, a bar as high
# as the mood, each bar naming its week and mood), with the average beside
# it, not a wrapped list of weeks and numbers.  No script: the page keeps
# its Content-Security-Policy.
. "$(dirname "$0")/lib.sh"

at 2026-10-05T09:00:00Z
team_fixture ari bo || exit 1
as lena perf cycle start q4 --question "How do reviews teach?" --until 2026-11-29 >/dev/null || exit 1
as ari perf checkin --mood 4 -m "one" >/dev/null || exit 1
at 2026-10-12T09:00:00Z
as ari perf checkin --mood 5 -m "two" >/dev/null || exit 1
as bo perf checkin -m "no mood this week" >/dev/null || exit 1
at 2026-10-26T09:00:00Z
as ari perf checkin --mood 1 -m "three" >/dev/null || exit 1
as bo perf checkin --mood 2 -m "hard" >/dev/null || exit 1
at 2026-11-02T09:00:00Z
perf site "$TEST_ROOT/site" >/dev/null || exit 1
q=$TEST_ROOT/site/cycles/q4.html

# row HANDLE: the cycle table's row of HANDLE, from <tr> to </tr>.
row() {
	python3 - "$q" "$1" <<-'PY'
	import re, sys
	page, who = open(sys.argv[1]).read(), sys.argv[2]
	print(re.search(r'(?s)<tr><td><a href="../people/%s.html">.*?</tr>' % who, page).group(0))
	PY
}

test_expect_success 'each person with a mood in the cycle has a small chart in their row' '
	row ari >"$TEST_ROOT/ari" && row bo >"$TEST_ROOT/bo" && row lena >"$TEST_ROOT/lena" &&
	test "$(grep -c "<svg class=\"chart moods\"" "$TEST_ROOT/ari")" = 1 &&
	test "$(grep -c "<svg class=\"chart moods\"" "$TEST_ROOT/bo")" = 1 &&
	! grep -q "<svg" "$TEST_ROOT/lena" &&
	contains "$q" "<th>Mood by week</th>"
'

test_expect_success 'a slot for every week of the cycle, a bar for every mood, as high as the mood' '
	test "$(grep -o "<rect class=\"slot\"" "$TEST_ROOT/ari" | wc -l)" = 8 &&
	grep -o "<rect class=\"bar mood-[0-9]\"[^>]*>" "$TEST_ROOT/ari" | sed "s/.*mood-\([0-9]\).* x=\"\([0-9]*\)\".* height=\"\([0-9]*\)\".*/\1 \2 \3/" >"$out" &&
	test "$(cat "$out" | tr "\n" ,)" = "4 1 19,5 9 24,1 25 4," &&
	contains "$TEST_ROOT/ari" "<title>2026-W42: mood 5</title>" &&
	contains "$TEST_ROOT/ari" "aria-label=\"mood by week: 2026-W41 4, 2026-W42 5, 2026-W44 1\"" &&
	contains "$TEST_ROOT/ari" "<span class=\"meta\">average 3.3</span>" &&
	test "$(grep -o "<rect class=\"bar" "$TEST_ROOT/bo" | wc -l)" = 1 &&
	contains "$TEST_ROOT/bo" "<title>2026-W44: mood 2</title>" &&
	contains "$TEST_ROOT/bo" "average 2.0"
'

test_expect_success 'no list of weeks and moods is left, and the page has no script' '
	! grep -q "2026-W41: 4, 2026-W42" "$q" &&
	! grep -qi "<script" "$q" &&
	contains "$q" "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src '\''none'\''; style-src '\''unsafe-inline'\''; img-src data:\">"
'

test_done
