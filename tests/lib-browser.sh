# Headless Chromium for the tests: opens pages perf writes from file://
# URLs, saves screenshots and PDFs, and measures overflow.  Source it after
# lib.sh; `have_browser` says whether a browser is installed (make deps
# installs chromium), so a test can skip its browser cases otherwise.

browser_bin=
for c in chromium chromium-browser google-chrome; do
	if command -v "$c" >/dev/null 2>&1; then
		browser_bin=$c
		break
	fi
done

have_browser() {
	test -n "$browser_bin"
}

# skip_browser_cases NAME...: reports each case as skipped when there is no
# browser, so the plan stays the same on every machine.
skip_browser_cases() {
	for t in "$@"; do
		test_count=$((test_count + 1))
		echo "ok $test_count # skip chromium is not installed (make deps installs it): $t"
	done
}

# browse [--window-size=W,H] ARGS... URL: runs Chromium with its console on
# stderr, kept in $TEST_ROOT/console.
browse() {
	timeout 60 "$browser_bin" --headless --no-sandbox --disable-gpu --disable-background-networking \
		--no-first-run --no-default-browser-check --user-data-dir="$TEST_ROOT/chrome" \
		--enable-logging=stderr --v=0 --window-size=1000,1800 "$@" 2>"$TEST_ROOT/console"
}

# no_console_errors: Chromium logged no console message and no uncaught exception.
no_console_errors() {
	if grep -E "CONSOLE|Uncaught" "$TEST_ROOT/console" >&2; then
		return 1
	fi
}

# browser_shot FILE WIDTH PNG: a screenshot of FILE at WIDTH pixels wide;
# fails unless a PNG was written and the page logged no error.  A copy is
# kept under build/tests/ for a person to look at.
browser_shot() {
	browse --window-size="$2",1200 --screenshot="$3" "file://$1" >/dev/null && no_console_errors &&
		test "$(head -c 8 "$3" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a &&
		mkdir -p "${PERF_BUILD:-$PERF_SRC/build}/tests" &&
		cp "$3" "${PERF_BUILD:-$PERF_SRC/build}/tests/"
}

# browser_pdf FILE PDF: prints FILE to PDF as a person would from the
# browser (the page's print stylesheet applies).
browser_pdf() {
	browse --no-pdf-header-footer --print-to-pdf="$2" "file://$1" >/dev/null && no_console_errors &&
		test "$(head -c 5 "$2")" = "%PDF-"
}

# browser_overflow FILE WIDTH: prints how many CSS pixels the page is wider
# than a window WIDTH pixels wide (0 when nothing scrolls sideways).  The
# page is copied with a measuring script and without its Content Security
# Policy, which forbids scripts.
browser_overflow() {
	m=$(dirname "$1")/.measure-$(basename "$1")
	sed -e '/Content-Security-Policy/d' \
		-e 's|</body>|<script>document.body.setAttribute("data-overflow", Math.max(0, document.documentElement.scrollWidth - window.innerWidth))</script></body>|' \
		"$1" >"$m" &&
		browse --window-size="$2",1200 --dump-dom "file://$m" | sed -n 's/.*data-overflow="\([0-9]*\)".*/\1/p' | head -1
	rm -f "$m"
}
