#!/bin/sh
# People move and leave (perf-person(1)).  A lead and four people, each in
# their own clone, synced through a bare repository guarded by 'perf hook
# install': the roster; dee moves from lena to omar, her expectations
# following in the same commit with their agreements cleared, so dee and
# omar (not lena) are asked to agree again; a new role likewise; bo leaves:
# his record stays (summary, evidence, export, site, perf check clean),
# perf status, status --team, group and the quorum stop asking him or about
# him, and he writes nothing more.  Each rule held against hand-made
# commits pushed with plain git: a person changing their own lead, role or
# departure, a teammate who is not the lead, a lead taking someone back, a
# commit by someone who left, a maintainer rewriting expectations beyond
# the move.  Bad input changes nothing.
. "$(dirname "$0")/lib.sh"

at 2026-11-30T09:00:00Z
srv=$TEST_ROOT/srv.git
git init -q --bare srv.git
perf hook install srv.git >"$TEST_ROOT/hook.out" 2>&1 || { cat "$TEST_ROOT/hook.out"; exit 1; }
perf init team --team Search >/dev/null 2>&1 || exit 1
# lena leads and maintains the program; omar (a lead) and ari, bo, dee report to lena.
(cd team && as lena perf join --role "Engineering lead" >/dev/null &&
	as omar perf join --role "Engineering lead" --lead lena >/dev/null 2>&1 &&
	as ari perf join --role Engineer --lead lena >/dev/null 2>&1 &&
	as bo perf join --role Engineer --lead lena >/dev/null 2>&1 &&
	as dee perf join --role Engineer --lead lena >/dev/null 2>&1 &&
	admit_all && as lena perf group set hedgehogs ari bo dee >/dev/null &&
	git remote add origin "$srv" && git push -q origin main 2>"$err") || { cat "$err"; exit 1; }
for p in lena omar ari bo dee; do
	as "$p" perf clone "$srv" "$p" >/dev/null 2>"$err" || { cat "$err"; exit 1; }
done

# by WHO CMD...: run CMD as WHO in WHO's clone.
by() {
	_w=$1
	shift
	(cd "$TEST_ROOT/$_w" && as "$_w" "$@")
}
synced() { by "$1" perf sync >/dev/null 2>"$err" || { cat "$err" >&2; return 1; }; }

test_expect_success 'the roster lists everyone, with --json' '
	by ari perf person >"$out" &&
	contains "$out" "HANDLE" && contains "$out" "dee " && grep -q "^lena .*(maintainer)" "$out" &&
	grep -q "^dee .*Engineer .*lena .*hedgehogs .*lena .*-$" "$out" &&
	by ari perf --json person list >"$out" &&
	python3 -c "import json,sys; r={p[\"handle\"]: p for p in json.load(open(sys.argv[1]))}; assert sorted(r)==[\"ari\",\"bo\",\"dee\",\"lena\",\"omar\"] and r[\"dee\"][\"lead\"]==\"lena\" and r[\"dee\"][\"group\"]==\"hedgehogs\" and r[\"dee\"][\"left\"] is None and r[\"lena\"][\"maintainer\"] and r[\"lena\"][\"lead\"] is None, r" "$out"
'

test_expect_success 'dee and lena agree to dee'"'"'s expectations, in their own clones' '
	by dee perf expect -m "Own the ranking service." >/dev/null && by dee perf agree expectations/dee.md >/dev/null &&
	synced dee && synced lena && by lena perf agree expectations/dee.md >"$out" && contains "$out" "agreed by dee, lena" &&
	synced lena && synced dee && synced omar && synced ari && synced bo
'

test_expect_success 'dee cannot change her own lead, nor can a teammate; nothing is written' '
	before=$(snapshot dee) &&
	expect_fail 1 by dee perf person lead dee omar 2>"$err" &&
	contains "$err" "only dee'"'"'s lead lena or a maintainer changes their lead" &&
	unchanged dee "$before" &&
	expect_fail 1 by ari perf person lead dee omar 2>"$err" && contains "$err" "or a maintainer"
'

test_expect_success 'lena gives dee a new lead: one commit; expectations follow, agreements cleared' '
	before=$(git -C lena rev-list --count HEAD) &&
	by lena perf person lead dee omar >"$out" &&
	contains "$out" "dee'"'"'s lead is now omar (was lena)" &&
	contains "$out" "agreements cleared (dee, lena)" &&
	test "$(git -C lena rev-list --count HEAD)" = $((before + 1)) &&
	test "$(git -C lena log -1 --format=%ae)" = lena@example.com &&
	git -C lena log -1 --format=%B >"$out" &&
	contains "$out" "Perf-Path: people/dee.md" && contains "$out" "Perf-Path: expectations/dee.md" &&
	contains "$out" "Perf-Cleared: dee, lena" &&
	fm lena/people/dee.md "fm[\"lead\"] == \"omar\"" &&
	fm lena/expectations/dee.md "fm[\"lead\"] == \"omar\" and \"agreed_by\" not in fm" &&
	grep -q "Own the ranking service." lena/expectations/dee.md &&
	by lena perf log -n 1 >"$out" && contains "$out" "lena recorded that dee'"'"'s lead is now omar (was lena)" &&
	synced lena && git -C "$srv" rev-parse main >/dev/null &&
	test "$(git -C "$srv" rev-parse main)" = "$(git -C lena rev-parse HEAD)"
'

test_expect_success 'the same lead again changes nothing' '
	before=$(snapshot lena) &&
	by lena perf person lead dee omar >"$out" && contains "$out" "already omar; nothing to do" &&
	unchanged lena "$before"
'

test_expect_success 'perf status asks dee and omar to agree again, not lena; omar now leads dee' '
	synced dee && synced omar &&
	{ by dee perf status >"$out"; true; } && contains "$out" "expectations/dee.md waits for your agreement" &&
	{ by omar perf status >"$out"; true; } && contains "$out" "expectations/dee.md waits for your agreement" &&
	{ by lena perf status >"$out"; true; } && ! grep -q "expectations/dee.md" "$out" &&
	{ by omar perf --json status --team >"$out"; true; } && grep -q "\"dee\"" "$out" &&
	{ by lena perf --json status --team >"$out"; true; } && ! grep -q "\"dee\"" "$out" &&
	by dee perf agree expectations/dee.md >/dev/null && synced dee && synced omar &&
	by omar perf agree expectations/dee.md >"$out" && contains "$out" "agreed by dee, omar" && synced omar
'

test_expect_success 'omar, dee'"'"'s lead now, gives her a new role; her expectations are agreed again' '
	by omar perf person role dee "Senior engineer" >"$out" &&
	contains "$out" "dee'"'"'s role is now Senior engineer (was Engineer)" &&
	contains "$out" "agreements cleared (dee, omar)" &&
	fm omar/people/dee.md "fm[\"role\"] == \"Senior engineer\"" &&
	fm omar/expectations/dee.md "fm[\"role\"] == \"Senior engineer\" and \"agreed_by\" not in fm" &&
	synced omar && synced dee && { by dee perf status >"$out"; true; } && contains "$out" "expectations/dee.md waits for your agreement"
'

test_expect_success 'bad input: usage errors and refusals change nothing' '
	before=$(snapshot lena) &&
	expect_fail 2 by lena perf person lead dee 2>"$err" && contains "$err" "needs HANDLE and NEWLEAD" &&
	expect_fail 2 by lena perf person lead dee "Not A Handle" 2>"$err" &&
	expect_fail 2 by lena perf person role dee "" 2>"$err" && contains "$err" "one line" &&
	expect_fail 2 by lena perf person leave bo --on 2026-13-01 2>"$err" &&
	expect_fail 2 by lena perf person leave bo --on 2026-12-25 2>"$err" && contains "$err" "in the future" &&
	expect_fail 2 by lena perf person lead dee omar --on 2026-11-01 2>"$err" &&
	expect_fail 1 by lena perf person lead dee dee 2>"$err" && contains "$err" "nobody is their own lead" &&
	expect_fail 1 by lena perf person lead dee nobody 2>"$err" && contains "$err" "no person '"'"'nobody'"'"'" &&
	expect_fail 1 by lena perf person leave nobody 2>"$err" &&
	by lena perf person back ari >"$out" && contains "$out" "ari has not left the team; nothing to do" &&
	unchanged lena "$before"
'

test_expect_success 'bo checks in, then lena records that he left: his file stays' '
	at 2026-12-01T09:00:00Z &&
	by bo perf checkin -m "wrapping up the ranking tests" --mood 4 >/dev/null &&
	by bo perf goal add "Hand over the ranking tests" --id handover >/dev/null && synced bo &&
	at 2026-12-03T09:00:00Z && synced lena &&
	by lena perf person leave bo --on 2026-12-02 >"$out" &&
	contains "$out" "bo left the team on 2026-12-02; their record stays" &&
	fm lena/people/bo.md "str(fm[\"left\"]) == \"2026-12-02\" and fm[\"name\"]" &&
	test -f lena/checkins/bo/2026-W49.md && synced lena &&
	by lena perf person >"$out" && grep -q "^bo .*2026-12-02$" "$out" &&
	by lena perf check >"$out" 2>&1
'

# From here on, bo has left (2026-12-02).
at 2026-12-03T09:00:00Z

test_expect_success 'bo writes nothing more: perf refuses, and so does the hook' '
	synced bo && before=$(git -C bo rev-parse HEAD) &&
	expect_fail 1 by bo perf checkin -m "one more" 2>"$err" && contains "$err" "bo left the team" &&
	test "$(git -C bo rev-parse HEAD)" = "$before" && test -z "$(git -C bo status --porcelain)" &&
	(cd bo && printf "\nmore\n" >>checkins/bo/2026-W49.md && git add -A &&
		as bo git commit -q --no-verify -m "checkin: bo" && git push origin HEAD:main 2>"$err"; test $? != 0) &&
	contains "$err" "bo left the team (people/bo.md: left 2026-12-02): they write nothing more" &&
	git -C bo reset -q --hard origin/main
'

test_expect_success 'nobody asks about bo: status, status --team, group, admit, quorum' '
	synced lena && synced ari &&
	{ by lena perf status --team >"$out"; true; } && grep -q "ari" "$out" && ! grep -q "bo" "$out" &&
	{ by lena perf --json status --team >"$out"; true; } && ! grep -q "\"bo\"" "$out" &&
	by lena perf group hedgehogs >"$out" && contains "$out" "hedgehogs (2)" && ! grep -q "^  bo " "$out" &&
	by lena perf --json group >"$out" && ! grep -q "\"bo\"" "$out" &&
	python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$out" &&
	by lena perf --json admit >"$out" && ! grep -q "\"bo\"" "$out" &&
	by bo perf status >"$out" && ! grep -q "check-in for" "$out" &&
	{ by ari perf status >"$out"; true; } && contains "$out" "check-in for" &&
	expect_fail 1 by lena perf group set hedgehogs ari bo 2>"$err" && contains "$err" "bo left the team"
'

test_expect_success 'bo keeps his whole record: summary, evidence, export, site, perf check clean' '
	by lena perf summary --person bo --since 2026-11-01 --until 2026-12-31 >"$out" 2>&1 && contains "$out" "Hand over the ranking tests" &&
	by lena perf evidence bo >"$out" 2>&1 && contains "$out" "Hand over the ranking tests (handover, active)" &&
	by lena perf export >"$out" 2>&1 && contains "$out" "wrapping up the ranking tests" &&
	by lena perf site "$TEST_ROOT/site" >/dev/null 2>&1 && grep -rq "Hand over the ranking tests" "$TEST_ROOT/site" &&
	by lena perf check >"$out" 2>&1 && ! grep -qi "problem" "$out"
'

# Forgeries: plain git commits pushed to the hooked server from a clone of it.
git clone -q srv.git work
cd work || exit 1
. "$PERF_SRC/tests/lib-trust.sh"

test_expect_success 'hook: dee changes her own lead, role or departure by hand' '
	fresh && set_field people/dee.md lead lena && commit_as dee "edit: dee" >/dev/null &&
	push_refused "changes dee'"'"'s lead: only their lead omar or a maintainer does" &&
	fresh && set_field people/dee.md role Principal && commit_as dee "edit: dee" >/dev/null &&
	push_refused "changes dee'"'"'s role" &&
	fresh && set_field people/dee.md left 2026-12-03 && commit_as dee "edit: dee" >/dev/null &&
	push_refused "changes dee'"'"'s left"
'

test_expect_success 'hook: a teammate who is not the lead moves someone or records they left' '
	fresh && set_field people/dee.md lead ari && commit_as ari "edit: dee" >/dev/null &&
	push_refused "changes dee'"'"'s lead" &&
	fresh && set_field people/ari.md left 2026-12-03 && commit_as dee "edit: ari" >/dev/null &&
	push_refused "changes ari'"'"'s left"
'

test_expect_success 'hook: a lead records a departure, but only a maintainer takes someone back' '
	fresh && set_field people/dee.md left 2026-12-03 && commit_as omar "person: dee left" >/dev/null && pushed &&
	fresh && sed -i "/^left:/d" people/dee.md && commit_as omar "person: dee back" >/dev/null &&
	push_refused "clears dee'"'"'s departure (left: 2026-12-03): only a maintainer takes someone back" &&
	fresh && set_field people/dee.md left 2026-12-01 && commit_as omar "person: dee" >/dev/null &&
	push_refused "changes dee'"'"'s departure" &&
	fresh && sed -i "/^left:/d" people/dee.md && commit_as dee "person: dee back" >/dev/null &&
	push_refused "dee left the team" &&
	synced lena && by lena perf person back dee >"$out" && contains "$out" "dee is back in the team (had left on 2026-12-03)" &&
	synced lena && fresh && ! grep -q "^left:" people/dee.md
'

test_expect_success 'hook: a commit by someone who left, even of their own documents' '
	fresh && printf "\nlater\n" >>goals/bo/handover.md && commit_as bo "goal: bo" >/dev/null &&
	push_refused "bo left the team (people/bo.md: left 2026-12-02): they write nothing more"
'

test_expect_success 'hook: someone who left no longer counts as lead or in a quorum' '
	fresh && set_field people/ari.md lead bo && commit_as lena "person: ari" >/dev/null && pushed &&
	fresh && set_field people/ari.md role Staff && commit_as bo "person: ari" >/dev/null &&
	push_refused "bo left the team" &&
	fresh && set_field people/ari.md lead lena && commit_as lena "person: ari" >/dev/null && pushed
'

test_expect_success 'hook: a maintainer carries a move into expectations, and nothing more' '
	fresh && set_field people/dee.md lead ari && set_field expectations/dee.md lead ari && agreements expectations/dee.md &&
	printf "\nAnd on call every week.\n" >>expectations/dee.md && commit_as lena "person: dee" >/dev/null &&
	push_refused "only dee and their lead write dee'"'"'s expectations" &&
	fresh && set_field people/dee.md lead ari && set_field expectations/dee.md lead ari &&
	set_field expectations/dee.md role Staff && agreements expectations/dee.md &&
	commit_as lena "person: dee" >/dev/null && pushed &&
	fresh && set_field people/dee.md lead omar && commit_as lena "person: dee" >/dev/null && pushed
'

test_done
