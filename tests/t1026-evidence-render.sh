#!/bin/sh
# perf evidence renders the Markdown of what it gathers (learning, answers,
# praise) as perf show does, on a terminal and through the pager; into a
# file or a pipe it stays Markdown, to paste into a review.
. "$(dirname "$0")/lib.sh"
. "$PERF_SRC/tests/lib-tty.sh"

export PERF_NOW=2026-11-16T09:00:00Z
team_fixture --lead-role Lead ari bo || exit 1
as ari perf goal add "Ship search v2" --id ship >/dev/null &&
PERF_NOW=2026-11-17T09:00:00Z as ari perf checkin --goal ship=30 \
	--learned "Indexes are **hard**; see \`EXPLAIN\` first" >/dev/null &&
PERF_NOW=2026-11-17T10:00:00Z as ari perf ask bo --about "my reviews" >/dev/null || exit 1
fb=$(ls feedback/ari/ | sed -n 's/\.md$//p' | head -1)
PERF_NOW=2026-11-18T10:00:00Z as bo perf give "ari/$fb" -m "Two things:

- **clear** comments
- quick turnaround" >/dev/null || exit 1
PERF_NOW=2026-11-18T11:00:00Z as bo perf praise ari -m "A _careful_ launch" >/dev/null || exit 1
export PERF_NOW=2026-11-20T09:00:00Z

test_expect_success 'into a pipe, evidence is Markdown as written' '
	as ari perf evidence >"$out" &&
	contains "$out" "# Evidence for ari" &&
	contains "$out" "Indexes are **hard**" &&
	contains "$out" "- **clear** comments" &&
	contains "$out" "A _careful_ launch"
'

test_expect_success 'on a terminal, the Markdown is rendered as perf show renders it' '
	PAGER=cat NO_COLOR=1 COLUMNS=80 on_tty "$out" env GIT_AUTHOR_EMAIL=ari@example.com PERF_NOW=$PERF_NOW \
		"$PERF_BIN" evidence ari &&
	tr -d "\r" <"$out" >"$out.txt" &&
	contains "$out.txt" "Evidence for ari" &&
	contains "$out.txt" "• Ship search v2 (ship, active): 2026-W47 30%" &&
	contains "$out.txt" "Indexes are **hard**" &&
	contains "$out.txt" "• **clear** comments" &&
	contains "$out.txt" "• quick turnaround" &&
	! grep -q "^ *- " "$out.txt"
'

test_expect_success 'perf show of the answer renders its Markdown the same way' '
	PAGER=cat NO_COLOR=1 COLUMNS=80 on_tty "$out" env GIT_AUTHOR_EMAIL=ari@example.com PERF_NOW=$PERF_NOW \
		"$PERF_BIN" feedback show "$fb" &&
	tr -d "\r" <"$out" >"$out.txt" &&
	contains "$out.txt" "• **clear** comments" && ! grep -q "^ *- " "$out.txt"
'

test_done
