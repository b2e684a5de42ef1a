#!/bin/sh
# Completion offers what can be answered: perf give <Tab> the requests that
# wait for you, --goal <Tab> your active goals, perf reply <Tab> the
# documents that wait for your answer; bash asks perf for them.
. "$(dirname "$0")/lib.sh"

command -v bash >/dev/null 2>&1 || { echo "1..0 # SKIP bash is not installed"; exit 0; }
. "$PERF_SRC/tests/lib-complete.sh"

team_fixture --now 2026-11-16T09:00:00Z ari bo di || exit 1
(as ari perf goal add "Ship search v2" >/dev/null &&
	as ari perf goal add "Learn Rust" >/dev/null &&
	as ari perf goal add "Old thing" >/dev/null &&
	as ari perf goal done old-thing >/dev/null &&
	as ari perf ask bo di --about "my code reviews" >/dev/null &&
	as di perf ask bo --about "my talks" >/dev/null &&
	as ari perf checkin -m "indexer merged" --ask "@lena a review of the RFC" >/dev/null &&
	as lena perf reply goal:ari/ship-search-v2 -m "Great, demo Friday?" >/dev/null) 2>/dev/null ||
	echo "Bail out! cannot set up the team"
ari_req=$(ls feedback/ari | sed "s/\.md\$//")
di_req=$(ls feedback/di | sed "s/\.md\$//")

test_expect_success 'perf give <Tab>: the requests waiting for you' '
	as bo expect_replies "perf give " "ari/$ari_req" "di/$di_req" &&
	as bo expect_replies "perf give d" "di/$di_req" &&
	as di expect_replies "perf give " "ari/$ari_req"
'

test_expect_success 'an answered request is no longer offered; nothing waits, nothing offered' '
	as di perf give "ari/$ari_req" -m "Clear and kind." >/dev/null &&
	as di expect_replies "perf give " &&
	as lena expect_replies "perf give "
'

test_expect_success 'perf checkin --goal <Tab>: your active goals only' '
	as ari expect_replies "perf checkin --goal " learn-rust= ship-search-v2= &&
	as ari expect_replies "perf checkin -g l" learn-rust= &&
	as ari expect_replies "perf checkin --goal=s" ship-search-v2= &&
	as ari expect_replies "perf goal show " learn-rust old-thing ship-search-v2
'

test_expect_success 'perf reply <Tab>: what waits for your answer' '
	as ari expect_replies "perf reply " goal:ari/ship-search-v2 "feedback:ari/$ari_req" &&
	as lena expect_replies "perf reply " checkin:ari/2026-W47 &&
	as lena complete_bash "perf reply checkin:" >"$out" &&
	grep -qx "ari/" "$out"
'

test_expect_success 'once answered, reply offers every target again' '
	as lena perf reply checkin:ari/2026-W47 -m "Tuesday works" >/dev/null &&
	as lena complete_bash "perf reply " >"$out" &&
	grep -qx "goal:" "$out" && grep -qx "people/" "$out" &&
	! grep -q "^checkin:ari/2026-W47\$" "$out"
'

test_expect_success 'perf completion words: the words behind them' '
	as bo perf completion words requests >"$out" &&
	printf "ari/%s\ndi/%s\n" "$ari_req" "$di_req" | cmp - "$out" &&
	as ari perf completion words active-goals >"$out" &&
	printf "learn-rust\nship-search-v2\n" | cmp - "$out" &&
	as lena expect_fail 1 perf completion words requests >"$out" 2>"$err" &&
	test ! -s "$out" && test ! -s "$err"
'

test_done
