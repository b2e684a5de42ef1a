#!/bin/sh
# perf site over a scripted quarter: the pages written (exact list), their
# charts, escaping of what people wrote (a check-in holding a script comes
# out harmless), byte-identical output for the same repository, the folders
# it refuses, and headless Chromium opening the pages without a console
# error, its DOM holding what the record says, and a screenshot.
. "$(dirname "$0")/lib.sh"

quarter_start "$(printf 'Indexes are hard.\n\n<script>alert(1)</script>\n\nSee <img src=x onerror=alert(2)> and ![the plan](https://example.com/plan.png) or [this](javascript:alert(3)).')" || exit 1

quarter_cycle_week
as lena perf reply checkin:ari/2026-W41 -m "Nice **work**, see <b>this</b>" >/dev/null
quarter_expectations

quarter_feedback

at 2026-10-08T09:00:00Z
as lena perf praise ari -m "Your indexer write-up taught us all" --value learning >/dev/null
as lena perf note ari -m "$(printf 'Talked.\n\n- [ ] @ari draft the review guide, by 2026-10-20\n')" >/dev/null

quarter_rust_week 'Learn <b>Rust</b> & "more"'

quarter_end
at 2026-11-23T10:00:00Z

site=$TEST_ROOT/site
before=$(snapshot .)

test_expect_success 'site DIR: writes the overview, a page per person and per cycle, and says so' '
	perf site "$site" >"$out" 2>"$err" &&
	contains "$out" "site: 5 pages in $site (3 people, 1 cycle); open $site/index.html" &&
	test ! -s "$err" &&
	(cd "$site" && find . -type f | LC_ALL=C sort) >"$TEST_ROOT/files" &&
	printf "%s\n" ./.perf-site ./cycles/q4.html ./index.html ./people/ari.html ./people/bo.html ./people/lena.html \
		>"$TEST_ROOT/want" &&
	diff -u "$TEST_ROOT/want" "$TEST_ROOT/files" &&
	test "$(grep -v "^#" "$site/.perf-site")" = "$(printf "people/ari.html\npeople/bo.html\npeople/lena.html\ncycles/q4.html\nindex.html")" &&
	test -z "$(ls -A "$TEST_ROOT" | grep perf-site)"
'

test_expect_success 'site: the repository is left exactly as it was' '
	unchanged . "$before" && repo_clean .
'

test_expect_success 'site: pages are self-contained: no script, no external resource, a CSP forbidding both' '
	for f in index.html people/ari.html people/bo.html people/lena.html cycles/q4.html; do
		contains "$site/$f" "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src '\''none'\''; style-src '\''unsafe-inline'\''; img-src data:\">" &&
		contains "$site/$f" "<style>" &&
		! grep -qi "<script\|<link rel=\"stylesheet\|src=\"http\|<img\|<iframe" "$site/$f" || { echo "in $f" >&2; return 1; }
	done
'

test_expect_success 'site: a check-in holding raw HTML and a script comes out harmless' '
	p=$site/people/ari.html &&
	contains "$p" "<p>Indexes are hard.</p>" &&
	! grep -q "alert" "$p" && ! grep -qi "onerror\|javascript:" "$p" &&
	contains "$p" "<!-- raw HTML omitted -->" &&
	contains "$p" "<a href=\"https://example.com/plan.png\">the plan</a>" &&
	contains "$p" "<a href=\"\">this</a>" &&
	contains "$p" "Nice <strong>work</strong>, see <!-- raw HTML omitted -->this<!-- raw HTML omitted -->" &&
	contains "$p" "<h3>Learn &lt;b&gt;Rust&lt;/b&gt; &amp; &quot;more&quot;</h3>" &&
	contains "$site/cycles/q4.html" "Learn &lt;b&gt;Rust&lt;/b&gt; &amp; &quot;more&quot;: 0% → 30%" &&
	! grep -q "<b>Rust" "$p" "$site/cycles/q4.html"
'

test_expect_success 'site: a person page charts goal progress, the check-in streak and the mood trend' '
	p=$site/people/ari.html &&
	test "$(grep -c "<svg class=\"chart progress\"" "$p")" = 2 &&
	contains "$p" "aria-label=\"progress of ship over time\"" &&
	test "$(sed -n "/progress of ship/,/<\/svg>/p" "$p" | grep -c "<circle")" = 5 &&
	contains "$p" "<title>2026-W44: 60%</title>" && contains "$p" "<title>2 Nov 2026: 100%</title>" &&
	test "$(sed -n "/<svg class=\"chart streak\"/,/<\/svg>/p" "$p" | grep -c "<rect class=\"on\"")" = 4 &&
	test "$(sed -n "/<svg class=\"chart streak\"/,/<\/svg>/p" "$p" | grep -c "<rect class=\"off\"")" = 2 &&
	contains "$p" "<title>2026-W42: checked in, mood 5</title>" &&
	contains "$p" "<title>2026-W43: no check-in</title>" &&
	contains "$p" "Longest streak: 3 weeks; current streak: 1 week." &&
	test "$(sed -n "/<svg class=\"chart mood\"/,/<\/svg>/p" "$p" | grep -c "<circle")" = 4 &&
	contains "$p" "<p class=\"state-ok\">Agreed to the current version" &&
	contains "$p" "<h3>On “my code reviews”</h3>" && contains "$p" "<p>Clear and kind.</p>" &&
	contains "$p" "<h3>From <a href=\"../people/bo.html\">bo</a> · care</h3>" &&
	contains "$p" "draft the review guide <span class=\"due\">· due <time datetime=\"2026-10-20\">20 October 2026</time>" &&
	contains "$site/people/bo.html" "<p>No check-ins.</p>" &&
	contains "$site/people/bo.html" "<p>No expectations written yet.</p>"
'

test_expect_success 'site: the overview and the cycle page hold the summary figures' '
	contains "$site/index.html" "<h1>Search</h1>" &&
	contains "$site/index.html" "<p class=\"sub\">as of <time datetime=\"2026-11-02\">2 November 2026</time></p>" &&
	contains "$site/index.html" "<tr><td><a href=\"people/ari.html\">ari</a></td><td>Ari Example</td><td>Engineer</td><td><a href=\"people/lena.html\">lena</a></td><td class=\"n\">1</td><td class=\"n\">4</td><td class=\"n\">3</td><td class=\"n\">3</td><td>agreed</td></tr>" &&
	contains "$site/index.html" "<a href=\"cycles/q4.html\">q4</a></td><td>How do reviews teach?</td>" &&
	q=$site/cycles/q4.html &&
	contains "$q" "<h1>Cycle q4</h1>" &&
	contains "$q" "Ship search v2: 10% → 100%, done" &&
	contains "$q" "<td class=\"n\">3</td><td class=\"n\">2</td><td class=\"mood\"><svg class=\"chart moods\"" &&
	contains "$q" "aria-label=\"mood by week: 2026-W41 4, 2026-W42 5, 2026-W44 3\"" &&
	contains "$q" "average 4.0</span></td><td class=\"n\">1 / 1</td><td class=\"n\">2</td>" &&
	test "$(grep -c "<rect class=\"bar\"" "$q")" = 13 &&
	contains "$q" "<title>2026-W42: 1 check-in</title>"
'

test_expect_success 'site: the same repository gives byte-identical pages, whatever the clock; a previous site is replaced' '
	PERF_NOW=2030-01-01T00:00:00Z perf site "$TEST_ROOT/again" >/dev/null &&
	diff -r "$site" "$TEST_ROOT/again" &&
	echo stale >"$site/people/ari.html" &&
	perf site "$site" >/dev/null &&
	diff -r "$site" "$TEST_ROOT/again" &&
	test -z "$(ls -A "$TEST_ROOT" | grep perf-site)"
'

test_expect_success 'site: a previous site with fewer pages gets the new set, old pages gone' '
	perf site "$TEST_ROOT/again" --person bo >/dev/null &&
	(cd "$TEST_ROOT/again" && find . -type f | LC_ALL=C sort | tr "\n" " ") >"$TEST_ROOT/files" &&
	test "$(cat "$TEST_ROOT/files")" = "./.perf-site ./cycles/q4.html ./index.html ./people/bo.html "
'

test_expect_success 'site: refuses a folder that holds anything but a previous site; touches nothing' '
	mkdir "$TEST_ROOT/docs" && echo mine >"$TEST_ROOT/docs/notes.txt" &&
	expect_fail 1 perf site "$TEST_ROOT/docs" 2>"$err" &&
	contains "$err" "perf: '\''$TEST_ROOT/docs'\'' is not empty and is not a site perf wrote" &&
	test "$(ls -A "$TEST_ROOT/docs")" = notes.txt && test "$(cat "$TEST_ROOT/docs/notes.txt")" = mine &&
	echo "example.org" >"$site/CNAME" &&
	(cd "$site" && find . -type f | LC_ALL=C sort | xargs sha1sum) >"$TEST_ROOT/sums.before" &&
	expect_fail 1 perf site "$site" 2>"$err" &&
	contains "$err" "perf: '\''$site'\'' holds '\''CNAME'\'', which perf site did not write; move it away or choose another folder" &&
	(cd "$site" && find . -type f | LC_ALL=C sort | xargs sha1sum) >"$TEST_ROOT/sums.after" &&
	diff -u "$TEST_ROOT/sums.before" "$TEST_ROOT/sums.after" &&
	rm "$site/CNAME" &&
	echo x >"$TEST_ROOT/file" &&
	expect_fail 1 perf site "$TEST_ROOT/file" 2>"$err" && contains "$err" "exists and is not a folder" &&
	mkdir "$TEST_ROOT/empty" && perf site "$TEST_ROOT/empty" --person ari >/dev/null &&
	test -f "$TEST_ROOT/empty/people/ari.html" &&
	test -z "$(ls -A "$TEST_ROOT" | grep perf-site)"
'

test_expect_success 'site --cycle: only the cycle page, and person pages bounded by its span' '
	perf site "$TEST_ROOT/cyc" --cycle q4 >"$out" &&
	contains "$out" "site: 5 pages" &&
	p=$TEST_ROOT/cyc/people/ari.html &&
	contains "$p" "id=\"checkin-2026-W41\"" && ! grep -q "checkin-2026-W40" "$p" &&
	contains "$p" "cycle <a href=\"../cycles/q4.html\">q4</a>, <time datetime=\"2026-10-05\">5 October 2026</time> to <time datetime=\"2026-12-31\">31 December 2026</time>" &&
	contains "$TEST_ROOT/cyc/index.html" "Cycle q4, <time datetime=\"2026-10-05\">5 October 2026</time> to <time datetime=\"2026-12-31\">31 December 2026</time>"
'

test_expect_success 'site --person, --json: the pages written, as data' '
	perf --json site "$TEST_ROOT/one" --person ari >"$out" &&
	python3 - "$out" "$TEST_ROOT/one" <<-PY &&
	import json, sys
	got = json.load(open(sys.argv[1]))
	assert got == {"dir": sys.argv[2], "pages": ["people/ari.html", "cycles/q4.html", "index.html"]}, got
	PY
	! grep -q "people/bo.html" "$TEST_ROOT/one/index.html" "$TEST_ROOT/one/cycles/q4.html" &&
	contains "$TEST_ROOT/one/people/ari.html" "· lead lena</p>" &&
	! grep -q "href=\"../people/lena.html\"" "$TEST_ROOT/one/people/ari.html"
'

test_expect_success 'site: unknown cycle or person fail and write nothing; bad usage exits 2' '
	expect_fail 1 perf site "$TEST_ROOT/x" --cycle nope 2>"$err" && contains "$err" "no cycle '\''nope'\''" &&
	expect_fail 1 perf site "$TEST_ROOT/x" --person zed 2>"$err" && contains "$err" "zed" &&
	test ! -e "$TEST_ROOT/x" && test -z "$(ls -A "$TEST_ROOT" | grep perf-site)" &&
	expect_fail 2 perf site 2>"$err" && contains "$err" "which folder?" &&
	expect_fail 2 perf site a b 2>"$err" && contains "$err" "unexpected argument '\''b'\''" &&
	mkdir "$TEST_ROOT/e2" && (repo=$PWD && cd "$TEST_ROOT/e2" && expect_fail 2 perf -C "$repo" site . 2>"$err") &&
	contains "$err" "name the folder itself" && test -z "$(ls -A "$TEST_ROOT/e2")" &&
	unchanged . "$before"
'

# The browser: headless Chromium opens the pages from file:// URLs.
. "$PERF_SRC/tests/lib-browser.sh"

if ! have_browser; then
	skip_browser_cases 'console errors are seen' 'pages open without console errors' 'screenshot'
	test_done
	exit
fi

test_expect_success 'browser: a page with a script error is seen, so the check below can fail' '
	printf "<!DOCTYPE html><title>t</title><script>undefinedFunction()</script>\n" >"$TEST_ROOT/bad.html" &&
	browse --dump-dom "file://$TEST_ROOT/bad.html" >"$out" &&
	! no_console_errors 2>/dev/null
'

test_expect_success 'browser: every page opens without a console error; the DOM holds the record' '
	browse --dump-dom "file://$site/index.html" >"$out" && no_console_errors &&
	contains "$out" "<h1>Search</h1>" && contains "$out" "Ari Example" &&
	browse --dump-dom "file://$site/people/ari.html" >"$out" && no_console_errors &&
	contains "$out" "<h1>Ari Example</h1>" && contains "$out" "<h2>Goals</h2>" &&
	contains "$out" "<h3>Learn &lt;b&gt;Rust&lt;/b&gt; &amp; \"more\"</h3>" &&
	contains "$out" "Longest streak: 3 weeks" && contains "$out" "<p>Indexes are hard.</p>" &&
	! grep -q "<script" "$out" &&
	browse --dump-dom "file://$site/cycles/q4.html" >"$out" && no_console_errors &&
	contains "$out" "<h1>Cycle q4</h1>" && contains "$out" "How do reviews teach?" &&
	browse --dump-dom "file://$site/people/bo.html" >"$out" && no_console_errors &&
	contains "$out" "<h1>Bo Example</h1>"
'

test_expect_success 'browser: a screenshot of a person page is saved as a PNG' '
	shot=$TEST_ROOT/ari.png &&
	browse --screenshot="$shot" "file://$site/people/ari.html" >/dev/null && no_console_errors &&
	test -s "$shot" &&
	test "$(head -c 8 "$shot" | od -An -tx1 | tr -d " \n")" = 89504e470d0a1a0a &&
	mkdir -p "${PERF_BUILD:-$PERF_SRC/build}/tests" &&
	cp "$shot" "${PERF_BUILD:-$PERF_SRC/build}/tests/t0720-site-ari.png"
'

test_done
