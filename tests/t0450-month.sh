#!/bin/sh
# A realistic month for a lead and three people: expectations written and
# agreed by both sides, goals added and moved by weekly check-ins, replies
# both ways, one goal done and one dropped; then files, commits, authors
# and perf show are checked.
. "$(dirname "$0")/lib.sh"

at 2026-11-02T09:00:00Z
team_fixture --team Platform ari bo cy || exit 1

test_expect_success 'week 1: expectations written by each person and their lead, agreed by both' '
	for p in ari bo cy; do
		as $p perf expect -m "Grow as an engineer: own a service end to end." >/dev/null || return 1
		as lena perf expect $p -m "Own a service end to end; mentor one newcomer." >/dev/null || return 1
		as $p perf agree expect:$p >/dev/null || return 1
		as lena perf agree expect:$p >"$out" || return 1
		contains "$out" ": agreed" || return 1
	done &&
	as ari perf show expect:ari >"$out" &&
	contains "$out" "Agreed to this version by: ari, lena" &&
	test "$(git log -1 --format=%an)" = "Lena Example"
'

test_expect_success 'week 1: goals, with what the team commits to support' '
	as ari perf goal add "Ship search v2" --id ship --due 2026-12-15 --support "Lena reviews the RFC" >/dev/null &&
	as ari perf goal add "Learn Rust" --id rust >/dev/null &&
	as bo perf goal add "Own the deploy pipeline" --id deploys >/dev/null &&
	as cy perf goal add "Speak at the meetup" --id talk >/dev/null &&
	test "$(git log -1 --format=%an -- goals/bo/deploys.md)" = "Bo Example"
'

week() {
	at "$1"
	as ari perf checkin --goal ship="$2" --mood 4 -m "ari $1" >/dev/null &&
	as bo perf checkin --goal deploys="$3" -m "bo $1" >/dev/null &&
	as cy perf checkin --goal talk="$4" --learned "cy learned in $1" >/dev/null &&
	as lena perf checkin -m "lena $1" >/dev/null
}

test_expect_success 'four weekly check-ins move the goals in the same commits' '
	week 2026-11-06T16:00:00Z 20 10 30 &&
	week 2026-11-13T16:00:00Z 45 25 50 &&
	week 2026-11-20T16:00:00Z 70 40 80 &&
	week 2026-11-27T16:00:00Z 100 60 90 &&
	contains goals/ari/ship.md "progress: 100" &&
	contains goals/bo/deploys.md "progress: 60" &&
	test "$(ls checkins/ari | grep -c "\.md$")" = 4 &&
	test "$(git log --format=%an -- checkins/cy | sort -u)" = "Cy Example"
'

test_expect_success 'replies both ways: the lead answers, the person answers back' '
	at 2026-11-21T09:00:00Z && as lena perf reply ari/2026-W47 -m "Great pace. Demo Friday?" >/dev/null &&
	at 2026-11-21T10:00:00Z && as ari perf reply ari/2026-W47 -m "Yes, Friday works." >/dev/null &&
	at 2026-11-21T11:00:00Z && as bo perf reply goal:cy/talk -m "Happy to review your slides" >/dev/null &&
	test "$(ls checkins/ari/2026-W47/ | wc -l)" = 2 &&
	as ari perf show ari/2026-W47 >"$out" &&
	contains "$out" "ari 2026-11-20T16:00:00Z" &&
	contains "$out" "— lena, 2026-11-21" && contains "$out" "Great pace. Demo Friday?" &&
	contains "$out" "— ari, 2026-11-21" && contains "$out" "Yes, Friday works." &&
	test "$(grep -n "Great pace" "$out" | cut -d: -f1)" -lt "$(grep -n "Friday works" "$out" | cut -d: -f1)"
'

test_expect_success 'one goal done, one dropped with its reason in the thread' '
	at 2026-11-28T09:00:00Z &&
	as ari perf goal done ship >/dev/null &&
	as ari perf goal drop rust --why "The team moved to Go" >/dev/null &&
	contains goals/ari/ship.md "status: done" &&
	contains goals/ari/rust.md "status: dropped" &&
	grep -rq "The team moved to Go" goals/ari/rust/ &&
	as ari perf goal list >"$out" 2>/dev/null; ! grep -q "ship\|rust" "$out"
'

test_expect_success 'the record: every commit authored by the person acting, fsck and status clean' '
	git log --format="%an|%s" >"$out" &&
	grep -q "^Ari Example|checkin: ari 2026-W48" "$out" &&
	grep -q "^Lena Example|reply: lena to ari/2026-W47" "$out" &&
	grep -q "^Ari Example|goal: ari finished ship" "$out" &&
	grep -q "^Bo Example|reply: bo to goal:cy/talk" "$out" &&
	! grep -v "^\(Lena\|Ari\|Bo\|Cy\|Alice\) Example|" "$out" &&
	repo_clean . && perf check
'

test_expect_success 'perf log of a goal tells the month in words' '
	as ari perf log goal:ship >"$out" &&
	contains "$out" "progress 70 → 100 (check-in 2026-W48)" &&
	contains "$out" "ari finished goal ari/ship" &&
	contains "$out" "ari added goal ari/ship"
'

test_done
