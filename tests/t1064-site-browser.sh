#!/bin/sh
# perf site in headless Chromium: a screenshot of every kind of page the
# site writes (the overview, which holds the team's documents, a person's
# page and a cycle's page) at a desktop and a phone width, each with no
# console error and nothing wider than the window.  The record is made to
# be hard on the layout: long unbroken words, a 39-character handle and goal
# id, a long link, wide code, a pipe table, a sealed note, tasks, a retro.
# A planted wide page, and one of the site's own pages without its
# stylesheet, show that the overflow check can fail.
. "$(dirname "$0")/lib.sh"
. "$PERF_SRC/tests/lib-browser.sh"

if ! have_browser; then
	skip_browser_cases 'the overflow check sees a wide page' 'the content is wide without the stylesheet' \
		'screenshots at 1280 and 390 pixels, no console error, no overflow' 'wide things scroll in their own box'
	test_done
	exit
fi

long=averyveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryverylongunbrokenword
handle=averyveryverylonghandleforaverylongname
gid=averyveryverylonggoalidthatgoesonandon

at 2026-09-28T09:00:00Z
team_fixture ari bo $handle || exit 1
as ari perf keygen >/dev/null && as lena perf keygen >/dev/null || exit 1
as ari perf goal add "Ship $long$long" --id $gid --due 2026-12-15 >/dev/null || exit 1
as ari perf checkin --goal $gid=10 --mood 3 -m "$(cat <<EOF
## Learned $long

Words $long$long$long and more.

See https://example.com/$long/$long/$long and \`inline_code_$long\`.

\`\`\`
int main(void) { return some_function_with_a_very_long_name(argument_one, argument_two, argument_three, argument_four, argument_five); }
\`\`\`

| a | b | c | d | e | f | g | h |
|---|---|---|---|---|---|---|---|
| one long cell text | two long cell text | three | four | five | six | seven | $long |

> Quoted $long$long

- [ ] @bo review the $long, by 2026-10-02
- [x] write the plan
EOF
)" >/dev/null || exit 1
at 2026-10-05T09:00:00Z
as lena perf cycle start q4 --question "How do reviews teach $long?" --until 2026-12-31 >/dev/null || exit 1
as ari perf checkin --goal $gid=40 --mood 4 -m "Reviews teach by example." >/dev/null || exit 1
as lena perf reply checkin:ari/2026-W41 -m "Nice $long" >/dev/null || exit 1
as $handle perf checkin --mood 5 -m "Hello $long" >/dev/null || exit 1
as lena perf expect ari -m "Shape the search roadmap, $long." --role Engineer >/dev/null || exit 1
at 2026-10-07T09:00:00Z
as ari perf ask lena bo --about "my code reviews $long" --due 2026-10-16 >/dev/null || exit 1
as lena perf note ari --private --title "1:1" -m "Something private." >/dev/null || exit 1
as lena perf note ari -m "$(printf 'Talked.\n\n- [ ] @ari draft the %s, by 2026-10-20\n' "$long")" >/dev/null || exit 1
as lena perf praise ari -m "Thanks $long" --value learning >/dev/null || exit 1
as bo perf retro add --went-well "pairing $long" --action "@bo fix the $long by 2026-10-30" -m "The $long went out late." >/dev/null || exit 1
at 2026-11-02T09:00:00Z
site=$TEST_ROOT/site
perf site "$site" >/dev/null || exit 1
shots=$TEST_ROOT/shots
mkdir -p "$shots"

test_expect_success 'the overflow check sees a wide page' '
	printf "<!DOCTYPE html><html><body><div style=\"width:3000px\">wide</div></body></html>\n" >"$TEST_ROOT/wide.html" &&
	n=$(browser_overflow "$TEST_ROOT/wide.html" 390) &&
	test "$n" -ge 2000 &&
	n=$(browser_overflow "$TEST_ROOT/wide.html" 1280) &&
	test "$n" -ge 1000
'

test_expect_success 'the content is wide: the person page without its stylesheet overflows a phone' '
	sed "/<style>/,/<\/style>/d" "$site/people/ari.html" >"$TEST_ROOT/bare.html" &&
	n=$(browser_overflow "$TEST_ROOT/bare.html" 390) &&
	test "$n" -gt 100
'

test_expect_success 'screenshots at 1280 and 390 pixels, no console error, no overflow' '
	for page in index people/ari people/$handle cycles/q4; do
		name=t1064-$(echo "$page" | tr / - | cut -c1-30) &&
		for w in 1280 390; do
			browser_shot "$site/$page.html" $w "$shots/$name-$w.png" || { echo "screenshot of $page at $w" >&2; return 1; }
			n=$(browser_overflow "$site/$page.html" $w) &&
			test "$n" = 0 || { echo "$page is $n pixels too wide at $w" >&2; return 1; }
		done
	done &&
	test "$(ls "$shots" | wc -l)" = 8
'

test_expect_success 'wide things scroll in their own box; the rest wraps' '
	contains "$site/index.html" "<div class=\"scroll\"><table>" &&
	contains "$site/cycles/q4.html" "<div class=\"scroll\"><table>" &&
	contains "$site/people/ari.html" "<pre><code>int main(void)" &&
	contains "$site/people/ari.html" "overflow-wrap:anywhere" &&
	contains "$site/people/ari.html" "<p class=\"private\">private to"
'

test_done
