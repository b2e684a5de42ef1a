#!/bin/sh
# perf retro: a team retrospective anyone writes, whose actions join the
# action list and its owners' status, shown in perf share and on the site;
# two clones adding to the same retro merge; the hook refuses a retro from
# someone not admitted; bad input changes nothing.
. "$(dirname "$0")/lib.sh"

export PERF_NOW=2026-12-04T16:00:00Z
git init -q --bare srv.git
perf hook install srv.git >/dev/null 2>&1 || exit 1
perf init team --team Search >/dev/null 2>&1
cd team
as lena perf join --role "Engineering lead" >/dev/null
as ari perf join --role Engineer --lead lena >/dev/null
as bo perf join --role Engineer --lead lena >/dev/null
admit_all
git remote add origin "$TEST_ROOT/srv.git" && git push -q origin main || exit 1

test_expect_success 'retro add holds the retro of today: one commit by its author, with its lists and actions' '
	before=$(git rev-list --count HEAD) &&
	as ari perf retro add --title "Sprint 48" --went-well "pairing on ranking" --went-well "the launch" \
		--to-change "fewer status meetings" --action "@bo fix the flaky ranking test by 2026-12-18" \
		--action "write the on-call runbook" -m "The launch went out a day late." >"$out" &&
	contains "$out" "retro: held the retro of 2026-12-04 (retros/2026-12-04.md)" &&
	contains "$out" "action retro/fix-the-flaky-ranking: @bo fix the flaky ranking test, by 2026-12-18" &&
	contains "$out" "action retro/write-the-on-call: @ari write the on-call runbook" &&
	test "$(git rev-list --count HEAD)" = $((before + 1)) &&
	test "$(git log -1 --format=%ae)" = ari@example.com &&
	git log -1 --format=%B | grep -qx "Perf-Kind: retro" &&
	fm retros/2026-12-04.md "fm[\"kind\"] == \"retro\" and str(fm[\"date\"]) == \"2026-12-04\" and fm[\"title\"] == \"Sprint 48\"" &&
	fm retros/2026-12-04.md "fm[\"went_well\"] == [\"pairing on ranking\", \"the launch\"] and fm[\"to_change\"] == [\"fewer status meetings\"]" &&
	fm retros/2026-12-04.md "[(a[\"id\"], a[\"owner\"]) for a in fm[\"actions\"]] == [(\"fix-the-flaky-ranking\", \"bo\"), (\"write-the-on-call\", \"ari\")]" &&
	fm retros/2026-12-04.md "str(fm[\"actions\"][0][\"due\"]) == \"2026-12-18\" and \"due\" not in fm[\"actions\"][1]" &&
	grep -q "The launch went out a day late." retros/2026-12-04.md &&
	perf check >"$out" && repo_clean .
'

test_expect_success 'someone else adds to the same retro; nothing is taken out' '
	as bo perf retro add --to-change "smaller pull requests" --action "@lena book the room by 2026-12-10" >"$out" &&
	contains "$out" "retro: added to the retro of 2026-12-04" &&
	test "$(git log -1 --format=%ae)" = bo@example.com &&
	fm retros/2026-12-04.md "fm[\"to_change\"] == [\"fewer status meetings\", \"smaller pull requests\"] and len(fm[\"went_well\"]) == 2" &&
	fm retros/2026-12-04.md "[a[\"owner\"] for a in fm[\"actions\"]] == [\"bo\", \"ari\", \"lena\"] and fm[\"title\"] == \"Sprint 48\""
'

test_expect_success 'perf log words the retro commits' '
	perf log -n 2 >"$out" &&
	contains "$out" "bo added to the retro of 2026-12-04" &&
	contains "$out" "ari held the retro of 2026-12-04"
'

test_expect_success 'retro list and show, with --json' '
	as lena perf retro add 2026-11-20 --went-well "first retro" >/dev/null &&
	perf retro >"$out" &&
	test "$(sed -n 1p "$out" | cut -c1-10)" = 2026-12-04 &&
	test "$(sed -n 2p "$out" | cut -c1-10)" = 2026-11-20 &&
	contains "$out" "2 went well, 2 to change, 3 actions  Sprint 48" &&
	perf --json retro list >"$out" &&
	python3 -c "import json,sys; r=json.load(open(sys.argv[1])); assert [x[\"date\"] for x in r]==[\"2026-12-04\",\"2026-11-20\"] and r[0][\"actions\"]==3 and r[1][\"title\"] is None, r" "$out" &&
	perf retro show >"$out" && contains "$out" "retros/2026-12-04.md" && contains "$out" "smaller pull requests" &&
	perf retro show 2026-11-20 >"$out" && contains "$out" "first retro" &&
	perf show retro:2026-11 >"$out" && contains "$out" "first retro"
'

test_expect_success 'the actions join perf action list as retro/ID, and their owners see them in status' '
	perf action list >"$out" &&
	contains "$out" "retro/fix-the-flaky-ranking" &&
	grep "retro/book-the-room" "$out" | grep -q "lena" &&
	perf --json action list >"$out" &&
	python3 -c "import json,sys; r=json.load(open(sys.argv[1])); assert any(a[\"person\"]==\"retro\" and a[\"owner\"]==\"bo\" for a in r), r" "$out" &&
	PERF_NOW=2026-12-09T09:00:00Z as lena perf status >"$out"; test $? = 1 &&
	contains "$out" "book the room" &&
	PERF_NOW=2026-12-09T09:00:00Z as ari perf status >"$out"; ! grep -q "book the room" "$out"
'

test_expect_success 'only the owner marks a retro action done; the others change nothing' '
	snap=$(snapshot .) &&
	expect_fail 1 as ari perf action done retro/book-the-room 2>"$err" &&
	contains "$err" "only lena can mark it done" &&
	unchanged . "$snap" &&
	as lena perf action done retro/book-the-room >"$out" &&
	test "$(git log -1 --format=%ae)" = lena@example.com &&
	fm retros/2026-12-04.md "[a.get(\"done\") for a in fm[\"actions\"]] == [None, None, True]" &&
	perf log -n 1 >"$out" && contains "$out" "lena marked an action of the retro of 2026-12-04 done"
'

test_expect_success 'perf share shows the month'\''s retros (and --json), not the other months'\'' ones' '
	perf share --month 2026-12 >"$out" &&
	contains "$out" "## The team" &&
	contains "$out" "### Retro 2026-12-04: Sprint 48" &&
	contains "$out" "- pairing on ranking" &&
	contains "$out" "- [x] @lena book the room, by 2026-12-10" &&
	! grep -q "first retro" "$out" &&
	perf --json share --month 2026-11 >"$out" &&
	python3 -c "import json,sys; r=json.load(open(sys.argv[1])); t=r[\"team\"]; assert [d[\"path\"] for d in t]==[\"retros/2026-11-20.md\"] and t[0][\"fields\"][\"went_well\"]==[\"first retro\"], t" "$out"
'

test_expect_success 'the site'\''s team page shows the retros' '
	perf site "$TEST_ROOT/site" >/dev/null &&
	contains "$TEST_ROOT/site/index.html" "Retro 2026-12-04: Sprint 48" &&
	contains "$TEST_ROOT/site/index.html" "<li>fewer status meetings</li>" &&
	contains "$TEST_ROOT/site/index.html" "The launch went out a day late."
'

test_expect_success 'bad input is refused with a usage error and changes nothing' '
	snap=$(snapshot .) &&
	expect_fail 2 perf retro add 2>"$err" && contains "$err" "nothing to add" &&
	expect_fail 2 perf retro add 2026-13-01 --went-well x 2>"$err" && contains "$err" "is not a date" &&
	expect_fail 2 perf retro add --went-well "" 2>"$err" && contains "$err" "--went-well needs some text" &&
	expect_fail 2 perf retro add --to-change "$(printf "a\nb")" 2>"$err" && contains "$err" "takes one line" &&
	expect_fail 2 as ari perf retro add --action "@bo ship it by next tuesday" 2>"$err" && contains "$err" "not a date" &&
	expect_fail 2 as ari perf retro add --action "@bo" 2>"$err" && contains "$err" "says who but not what" &&
	expect_fail 2 perf retro show 2026-12-04 extra 2>"$err" &&
	expect_fail 1 perf retro show 2025-01-01 2>"$err" &&
	unchanged . "$snap"
'

test_expect_success 'completion offers the verbs and retro: targets' '
	perf completion words target retro: >"$out" &&
	contains "$out" "retro:2026-12-04" &&
	contains "$out" "retro:2026-11-20" &&
	perf completion words target re >"$out" &&
	contains "$out" "retro:" && contains "$out" "retros/" &&
	perf completion bash >"$out" && contains "$out" "add list show"
'

test_expect_success 'two clones add to the same retro at once: sync keeps both' '
	git push -q origin main &&
	cd "$TEST_ROOT" &&
	as ari perf clone "$TEST_ROOT/srv.git" ari >/dev/null &&
	as bo perf clone "$TEST_ROOT/srv.git" bo >/dev/null &&
	(cd ari && PERF_NOW=2026-12-11T10:00:00Z as ari perf retro add --went-well "ari: demo day" --action "@ari tidy the backlog" >/dev/null) &&
	(cd bo && PERF_NOW=2026-12-11T10:05:00Z as bo perf retro add --went-well "bo: the new CI" --action "@bo update the docs" >/dev/null) &&
	(cd ari && as ari perf sync >/dev/null) &&
	(cd bo && as bo perf sync >"$out") &&
	(cd ari && as ari perf sync >/dev/null) &&
	fm ari/retros/2026-12-11.md "sorted(fm[\"went_well\"]) == [\"ari: demo day\", \"bo: the new CI\"]" &&
	fm ari/retros/2026-12-11.md "sorted(a[\"id\"] for a in fm[\"actions\"]) == [\"tidy-the-backlog\", \"update-the-docs\"]" &&
	cmp ari/retros/2026-12-11.md bo/retros/2026-12-11.md &&
	test "$(git -C "$TEST_ROOT/srv.git" rev-parse main)" = "$(git -C ari rev-parse HEAD)"
'

test_expect_success 'the hook refuses a retro written by someone not admitted, made with plain git' '
	cd "$TEST_ROOT/ari" &&
	git fetch -q origin && git reset -q --hard origin/main &&
	mkdir -p people retros &&
	printf -- "---\nkind: person\nname: Eve\nemail: eve@example.com\n---\n" >people/eve.md &&
	printf -- "---\nkind: retro\ndate: 2026-12-12\nwent_well:\n  - eve was here\n---\n" >retros/2026-12-12.md &&
	git add -A && as eve git commit -q --no-verify -m "retro: eve" &&
	! git push origin HEAD:refs/heads/main 2>"$err" &&
	contains "$err" "retros/2026-12-12.md" &&
	git reset -q --hard origin/main
'

# Attacks on the retro with plain git, against the hook: a retro is added
# to, never rewritten, and an action is marked done only by its owner.
. "$PERF_SRC/tests/lib-trust.sh"
srv=$TEST_ROOT/srv.git

test_expect_success 'a hand-made commit that removes or rewrites what others wrote in a retro is refused' '
	cd "$TEST_ROOT/ari" && fresh &&
	sed -i "/pairing on ranking/d" retros/2026-12-04.md &&
	commit_as ari "retro: tidy" >/dev/null &&
	push_refused "removes what others wrote" &&
	fresh && sed -i "s/fewer status meetings/more status meetings/" retros/2026-12-04.md &&
	commit_as ari "retro: reword" >/dev/null &&
	push_refused "removes what others wrote" &&
	fresh && sed -i "s/title: Sprint 48/title: Sprint 49/" retros/2026-12-04.md &&
	commit_as ari "retro: retitle" >/dev/null &&
	push_refused "changes what others wrote" &&
	fresh && sed -i "s/The launch went out a day late./It went fine./" retros/2026-12-04.md &&
	commit_as ari "retro: rewrite" >/dev/null &&
	push_refused "changes the body" &&
	fresh && git rm -q retros/2026-12-04.md && commit_as ari "retro: gone" >/dev/null &&
	push_refused "deletes a retro"
'

test_expect_success 'marking someone else'\''s retro action done by hand is refused; the owner may, and may add' '
	cd "$TEST_ROOT/ari" && fresh &&
	python3 - retros/2026-12-04.md <<-\PY &&
	import sys
	p = sys.argv[1]; t = open(p).read()
	t = t.replace("    due: 2026-12-18\n", "    due: 2026-12-18\n    done: true\n", 1)
	open(p, "w").write(t)
	PY
	grep -q "done: true" retros/2026-12-04.md &&
	commit_as ari "action: done for bo" >/dev/null &&
	push_refused "only an action" &&
	git reset -q --hard HEAD~1 &&
	as bo perf action done retro/fix-the-flaky-ranking >/dev/null &&
	test "$(git log -1 --format=%ae)" = bo@example.com &&
	printf "\nMore notes.\n" >>retros/2026-12-04.md &&
	git add -A && as bo git commit -q -m "retro: more notes" &&
	pushed
'

test_done
