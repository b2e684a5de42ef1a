#!/bin/sh
# perf site and times: every date and time the site shows reads as people
# read it ("6 December 2026", "Mon 6 Dec 2026, 09:00 UTC"), never as a
# raw ISO stamp, and each keeps its machine value in <time datetime>.
# Charts, whose SVG has no <time>, say "6 Dec 2026".  Weeks stay ISO weeks
# (2026-W41 is how perf names a check-in), and a retro's name keeps its
# date, as perf names it everywhere (perf retro show 2026-12-04).
. "$(dirname "$0")/lib.sh"

at 2026-09-28T09:00:00Z
team_fixture ari bo || exit 1
as ari perf goal add "Ship search v2" --id ship --due 2026-12-15 >/dev/null || exit 1
as ari perf goal support ship @bo:"pairs on the ranking tests" >/dev/null || exit 1
as ari perf checkin --goal ship=10 --mood 3 -m "Indexes are hard." >/dev/null || exit 1
at 2026-10-05T09:00:00Z
as lena perf cycle start q4 --question "How do reviews teach?" --until 2026-12-31 >/dev/null || exit 1
as ari perf checkin --goal ship=20 --mood 4 -m "Reviews teach." >/dev/null || exit 1
at 2026-10-05T14:30:00Z
as lena perf reply checkin:ari/2026-W41 -m "Nice work" >/dev/null || exit 1
as lena perf expect ari -m "Shape the search roadmap." --role Engineer >/dev/null || exit 1
as ari perf agree expect:ari >/dev/null || exit 1
as lena perf agree expect:ari >/dev/null || exit 1
at 2026-10-07T09:00:00Z
as ari perf ask lena bo --about "my code reviews" --due 2026-10-16 >/dev/null || exit 1
fb=$(ls feedback/ari/ | sed -n 's/\.md$//p')
as lena perf give "ari/$fb" -m "Clear and kind." >/dev/null || exit 1
as bo perf goal give ari/ship >/dev/null || exit 1
at 2026-10-08T09:00:00Z
as lena perf praise ari -m "Your write-up taught us all" --value learning >/dev/null || exit 1
as lena perf note ari -m "$(printf 'Talked.\n\n- [ ] @ari draft the guide, by 2026-10-20\n')" >/dev/null || exit 1
as bo perf retro add --went-well "pairing" --action "@bo fix the flaky test by 2026-10-30" >/dev/null || exit 1
at 2026-11-02T09:00:00Z
as ari perf goal done ship >/dev/null || exit 1
as lena perf cycle close q4 -m "Reviews teach when they ask." >/dev/null || exit 1
perf site "$TEST_ROOT/site" >/dev/null || exit 1
perf site "$TEST_ROOT/cyc" --cycle q4 >/dev/null || exit 1

# check_times DIR...: every page's text (SVG text included) holds no ISO
# date or stamp outside a retro's name, and every <time> says its day as
# people read it, with a machine value it stands for; prints the <time>s.
check_times() {
	python3 - "$@" <<-'PY'
	import html, os, re, sys
	months = "January February March April May June July August September October November December".split()
	days = "Mon Tue Wed Thu Fri Sat Sun".split()
	iso = re.compile(r"\d{4}-\d\d-\d\d")
	bad = []
	for root in sys.argv[1:]:
	    for dirpath, _, files in os.walk(root):
	        for f in sorted(files):
	            if not f.endswith(".html"):
	                continue
	            path = os.path.join(dirpath, f)
	            page = open(path).read()
	            for m in re.finditer(r'<time datetime="([^"]*)">([^<]*)</time>', page):
	                machine, human = m.group(1), m.group(2)
	                d = re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)(T(\d\d):(\d\d):\d\dZ)?", machine)
	                want = d and "%d %s %s" % (int(d.group(3)), months[int(d.group(2)) - 1], d.group(1))
	                if d and d.group(4):
	                    short = "%d %s %s, %s:%s UTC" % (int(d.group(3)), months[int(d.group(2)) - 1][:3], d.group(1), d.group(5), d.group(6))
	                    ok = re.fullmatch(r"(%s) %s" % ("|".join(days), re.escape(short)), human)
	                else:
	                    ok = d and human == want
	                if not ok:
	                    bad.append("%s: <time datetime=%r> says %r" % (path, machine, human))
	                print("%s\t%s" % (machine, human))
	            text = re.sub(r"(?s)<style>.*?</style>", " ", page)
	            text = re.sub(r"<[^>]*>", " ", text)
	            text = re.sub(r"Retro \d{4}-\d\d-\d\d", "", html.unescape(text))
	            for m in iso.finditer(text):
	                bad.append("%s: raw date %r in %r" % (path, m.group(0), text[max(0, m.start() - 40):m.end() + 20]))
	if bad:
	    sys.stderr.write("\n".join(bad) + "\n")
	    sys.exit(1)
	PY
}

test_expect_success 'no page shows a raw ISO date or stamp; every <time> reads as a date' '
	check_times "$TEST_ROOT/site" "$TEST_ROOT/cyc" >"$out" &&
	test "$(wc -l <"$out")" -gt 20
'

test_expect_success 'times of day say the weekday, the time and UTC; dates say the day' '
	p=$TEST_ROOT/site/people/ari.html &&
	contains "$p" "replied, <time datetime=\"2026-10-05T14:30:00Z\">Mon 5 Oct 2026, 14:30 UTC</time>" &&
	contains "$p" "<time datetime=\"2026-10-07T09:00:00Z\">Wed 7 Oct 2026, 09:00 UTC</time> · due <time datetime=\"2026-10-16\">16 October 2026</time>" &&
	contains "$p" "<p class=\"meta\"><time datetime=\"2026-10-08T09:00:00Z\">Thu 8 Oct 2026, 09:00 UTC</time></p>" &&
	contains "$p" " · due <time datetime=\"2026-12-15\">15 December 2026</time> · added <time datetime=\"2026-09-28\">28 September 2026</time> · closed <time datetime=\"2026-11-02\">2 November 2026</time>" &&
	contains "$p" "on <time datetime=\"2026-10-05\">5 October 2026</time>" &&
	contains "$p" "(given <time datetime=\"2026-10-07\">7 October 2026</time>)" &&
	contains "$p" "written <time datetime=\"2026-10-05\">5 October 2026</time>" &&
	contains "$p" "draft the guide <span class=\"due\">· due <time datetime=\"2026-10-20\">20 October 2026</time>"
'

test_expect_success 'the overview, the cycle page and the footer read the same way' '
	i=$TEST_ROOT/site/index.html &&
	contains "$i" "as of <time datetime=\"2026-11-02\">2 November 2026</time>" &&
	contains "$i" "<td><time datetime=\"2026-10-05\">5 October 2026</time></td><td><time datetime=\"2026-12-31\">31 December 2026</time></td>" &&
	contains "$i" "<p class=\"meta\"><time datetime=\"2026-10-08\">8 October 2026</time></p>" &&
	contains "$i" "fix the flaky test <span class=\"due\">· due <time datetime=\"2026-10-30\">30 October 2026</time>" &&
	contains "$i" "as of <time datetime=\"2026-11-02\">2 November 2026</time>.</footer>" &&
	q=$TEST_ROOT/site/cycles/q4.html &&
	contains "$q" "<time datetime=\"2026-10-05\">5 October 2026</time> to <time datetime=\"2026-12-31\">31 December 2026</time> · closed <time datetime=\"2026-11-02\">2 November 2026</time>" &&
	contains "$TEST_ROOT/cyc/people/ari.html" "<time datetime=\"2026-10-05\">5 October 2026</time> to <time datetime=\"2026-12-31\">31 December 2026</time>"
'

test_expect_success 'charts label their days as people read them; weeks stay weeks' '
	p=$TEST_ROOT/site/people/ari.html &&
	contains "$p" "text-anchor=\"start\">28 Sep 2026</text>" &&
	contains "$p" "text-anchor=\"end\">2 Nov 2026</text>" &&
	contains "$p" "<title>2 Nov 2026: 100%</title>" &&
	contains "$p" "<title>2026-W41: 20%</title>" &&
	contains "$TEST_ROOT/site/cycles/q4.html" "<title>check-ins by week, 5 Oct 2026 to 31 Dec 2026</title>"
'

test_done
