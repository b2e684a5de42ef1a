#!/bin/sh
# Mistyped handles and targets: wherever a handle or a target comes from the
# command line, perf names the nearest one the team has ("did you mean"),
# and a target of the wrong kind says what the command takes.  Nothing is
# written by a mistyped command.
. "$(dirname "$0")/lib.sh"

team_fixture ari bo || exit 1
as ari perf goal add "Ship search" >/dev/null || exit 1
as ari perf ask bo --about "my reviews" >/dev/null || exit 1
fb=$(ls feedback/ari | sed 's/\.md$//')
before=$(snapshot .)

test_expect_success 'a mistyped handle: did you mean, for every command that takes one' '
	as ari expect_fail 1 perf ask bob --about "x" 2>"$err" &&
	contains "$err" "no person '\''bob'\'' in the team (no people/bob.md); did you mean '\''bo'\''?" &&
	as ari expect_fail 1 perf praise bob -m "thanks" 2>"$err" && contains "$err" "did you mean '\''bo'\''?" &&
	as lena expect_fail 1 perf note bob -m "1:1" 2>"$err" && contains "$err" "did you mean '\''bo'\''?" &&
	as lena expect_fail 1 perf expect bob -m "x" 2>"$err" && contains "$err" "did you mean '\''bo'\''?" &&
	as lena expect_fail 1 perf person lead bob lena 2>"$err" && contains "$err" "did you mean '\''bo'\''?" &&
	as lena expect_fail 1 perf summary --person lenna 2>"$err" && contains "$err" "did you mean '\''lena'\''?" &&
	as ari expect_fail 1 perf evidence arri 2>"$err" && contains "$err" "did you mean '\''ari'\''?" &&
	unchanged . "$before"
'

test_expect_success 'a handle inside a target: did you mean' '
	as ari expect_fail 1 perf show goal:bob/ship 2>"$err" && contains "$err" "did you mean '\''bo'\''?" &&
	as ari expect_fail 1 perf show expect:arj 2>"$err" && contains "$err" "did you mean '\''ari'\''?" &&
	as ari expect_fail 1 perf show bob/2026-W48 2>"$err" && contains "$err" "did you mean '\''bo'\''?" &&
	as ari expect_fail 1 perf log goal:aro/ship 2>"$err" && contains "$err" "did you mean '\''ari'\''?"
'

test_expect_success 'a mistyped goal or feedback id: did you mean' '
	as ari expect_fail 1 perf show goal:ari/shp 2>"$err" &&
	contains "$err" "no goal '\''shp'\''" && contains "$err" "did you mean '\''ship-search'\''?" &&
	as ari expect_fail 1 perf show shp 2>"$err" && contains "$err" "did you mean '\''ship-search'\'' (your goal)?" &&
	as bo expect_fail 1 perf feedback show "${fb}x" 2>"$err" &&
	contains "$err" "no feedback request '\''${fb}x'\''" && contains "$err" "did you mean '\''$fb'\''?" &&
	as bo expect_fail 1 perf give "${fb%?}z" -m "kind words" 2>"$err" && contains "$err" "did you mean '\''$fb'\''?" &&
	unchanged . "$before"
'

test_expect_success 'nothing near: no guess, and the way to look' '
	as ari expect_fail 1 perf praise zzzzzz -m "thanks" 2>"$err" &&
	contains "$err" "no person '\''zzzzzz'\'' in the team (no people/zzzzzz.md)" &&
	! grep -q "did you mean" "$err" &&
	as ari expect_fail 1 perf show qqqq 2>"$err" &&
	contains "$err" "'\''qqqq'\'' is neither one of your goals nor a person" &&
	contains "$err" "HANDLE/GOAL or KIND:NAME" && ! grep -q "did you mean" "$err"
'

test_expect_success 'perf agree expect says what agree takes, not "no goal"' '
	as ari expect_fail 1 perf agree expect 2>"$err" &&
	! grep -q "no goal" "$err" &&
	contains "$err" "'\''expect'\'' is a kind (expectations), not a document" &&
	contains "$err" "for example expect:ari" &&
	contains "$err" "perf agree takes expectations (a HANDLE, expect:HANDLE or expectations/HANDLE.md) or a norm" &&
	as ari expect_fail 1 perf agree goal:ship 2>"$err" &&
	contains "$err" "goals/ari/ship-search.md is a goal, which is not agreed to" &&
	contains "$err" "perf agree takes expectations" &&
	as ari expect_fail 1 perf show goal 2>"$err" &&
	contains "$err" "'\''goal'\'' is a kind (goal), not a document" && contains "$err" "for example goal:ship-search" &&
	unchanged . "$before"
'

test_expect_success 'perf show HANDLE shows the person'\''s profile; a goal of that name still wins' '
	as ari perf show bo >"$out" &&
	contains "$out" "people/bo.md" && contains "$out" "role:" && contains "$out" "Engineer" &&
	as ari perf --json show lena >"$out" && contains "$out" "\"path\": \"people/lena.md\"" &&
	as ari perf goal add "bo" >/dev/null &&
	as ari perf show bo >"$out" && contains "$out" "goals/ari/bo.md" &&
	as ari perf show ship >"$out" && contains "$out" "goals/ari/ship-search.md" &&
	as ari perf goal add "cycle" >/dev/null &&
	as ari perf show cycle >"$out" && contains "$out" "goals/ari/cycle.md" &&
	as bo expect_fail 1 perf show cycle 2>"$err" && contains "$err" "'\''cycle'\'' is a kind (cycle), not a document"
'

test_expect_success 'an unknown command still gets its nearest commands' '
	expect_fail 2 perf stauts 2>"$err" && contains "$err" "The most similar command" && contains "$err" "status"
'

test_done
