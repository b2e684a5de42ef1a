#!/bin/sh
# Members are admitted (perf-admit(1)).  A person who joins writes their own
# check-ins, goals and requests at once; they count for agreement quorums,
# maintainer rules and others' documents only once their lead or a
# maintainer has admitted them.  Attacks built with plain git and pushed to
# a bare repository guarded by 'perf hook install', each refused with its
# reason and the server's refs as they were: joins with made-up emails
# agreeing to a norm or forging an adoption, self-admission, an admission
# written in the lead's name or brought by the join itself, admission by a
# teammate who is neither lead nor maintainer or by a lead not admitted
# yet, an admission taken back or rewritten, an unadmitted person replying,
# praising or answering on others' documents.  The same refused by perf
# before it writes, by a verifying perf sync from an open server, and in a
# team that requires signed commits.  And the honest paths: perf admit by a
# maintainer and by a lead who is not one, what an unadmitted person may
# write, a norm adopted by the admitted majority, perf agree closed once a
# norm is adopted, perf norm list distrusting an adoption made by hand.
. "$(dirname "$0")/lib.sh"
. "$PERF_SRC/tests/lib-trust.sh"

export PERF_NOW=2026-11-16T09:00:00Z
guarded_server || exit 1
perf init team --team Search >/dev/null 2>&1 || exit 1
# The team: lena leads ari and bo and maintains the program; bo leads cy.
# lena admitted ari and bo, bo admitted cy.  mallory joined (lead: lena)
# and is not admitted.  bo proposed a norm and ari agreed: 2 of the 3 the
# admitted four need.  ari checked in and asked lena and mallory for
# feedback.
(cd team && as lena perf join --role Lead >/dev/null &&
	as ari perf join --lead lena >/dev/null 2>&1 && as bo perf join --lead lena >/dev/null 2>&1 &&
	as lena perf admit ari bo >"$TEST_ROOT/admit.out" &&
	as cy perf join --lead bo >/dev/null 2>&1 && as bo perf admit cy >>"$TEST_ROOT/admit.out" &&
	as mallory perf join --lead lena >/dev/null 2>"$TEST_ROOT/join.err" &&
	PERF_NOW=2026-11-17T09:00:00Z as ari perf checkin -m "first week" >/dev/null &&
	PERF_NOW=2026-11-17T11:00:00Z as ari perf ask lena mallory --about "my reviews" >/dev/null &&
	PERF_NOW=2026-11-17T12:00:00Z as bo perf norm propose "Check in fortnightly" -m "Every other Monday." \
		--set cadences.checkin=fortnightly >/dev/null &&
	PERF_NOW=2026-11-17T13:00:00Z as ari perf norm agree check-in >/dev/null &&
	git remote add origin "$srv" && git push -q origin main 2>"$err") || { cat "$err"; exit 1; }
norm=norms/check-in-fortnightly.md
fb=$(cd team && ls feedback/ari/ | sed -n "s/\.md$//p" | head -1)
test -f "team/$norm" && test -n "$fb" || {
	echo "Bail out! the team was not set up as expected"
	exit 1
}

attacker_clone work mallory || exit 1
main=$(git rev-parse origin/main)

# seen: what a person sees of the clone: HEAD, the refs, the index, the
# status and every file of the work tree.  (A refused write may leave
# unreachable objects behind, as any failed git command can; git gc
# prunes them.)
seen() {
	git rev-parse HEAD && git for-each-ref --format="%(refname) %(objectname)" &&
		git ls-files -s && git status --porcelain --untracked-files=all --ignored &&
		find . -path ./.git -prune -o -type f -exec sha1sum {} + | LC_ALL=C sort
}

# --- the honest paths -------------------------------------------------------------

test_expect_success 'perf admit by a maintainer and by a lead who is not one record who admitted' '
	test "$(cat "$TEST_ROOT/admit.out")" = "$(printf "admitted ari\nadmitted bo\nadmitted cy")" &&
	grep -qx "admitted_by: lena" people/ari.md && grep -qx "admitted_by: lena" people/bo.md &&
	grep -qx "admitted_by: bo" people/cy.md && ! grep -q "^admitted_by:" people/mallory.md &&
	! grep -q "^admitted_by:" people/lena.md &&
	test "$(git log -1 --format=%s -- people/cy.md)" = "admit: cy" &&
	test "$(git log -1 --format=%ae -- people/cy.md)" = "bo@example.com"
'

test_expect_success 'perf join says what happens next' '
	contains "$TEST_ROOT/join.err" "hint: you write your own check-ins, goals and requests now" &&
	contains "$TEST_ROOT/join.err" "once lena (your lead) or a maintainer admits you ('\''perf admit mallory'\'')"
'

test_expect_success 'perf admit with no handle lists who waits, and --json says who counts' '
	perf admit >"$out" &&
	test "$(cat "$out")" = "$(printf "%-16s waiting; admitted by their lead lena or a maintainer\nadmit with: perf admit HANDLE...\n" mallory)" &&
	perf --json admit >"$out" &&
	python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d == {\"waiting\": [{\"handle\": \"mallory\", \"lead\": \"lena\"}], \"counted\": [\"ari\", \"bo\", \"cy\", \"lena\"]}, d" "$out"
'

test_expect_success 'perf status asks the lead and the maintainers to admit, and nobody else' '
	fresh && as lena perf status >"$out" ; contains "$out" "admit" &&
	contains "$out" "mallory joined and waits to be admitted" && contains "$out" "perf admit mallory" &&
	as ari perf status >"$out" ; ! grep -q "waits to be admitted" "$out" &&
	as lena perf --json status >"$out" ;
	python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert any(i[\"kind\"] == \"admit\" and i[\"path\"] == \"people/mallory.md\" for i in d[\"me\"][\"due\"]), d" "$out" &&
	perf status >"$out" ; ! grep -q "norm" "$out"
'

test_expect_success 'perf admit refuses a teammate who is neither lead nor maintainer, and oneself' '
	fresh && before=$(snapshot .) &&
	expect_fail 1 as ari perf admit mallory 2>"$err" &&
	contains "$err" "only mallory'\''s lead lena or a maintainer admits mallory" &&
	expect_fail 1 as mallory perf admit mallory 2>"$err" &&
	contains "$err" "not admitted yet yourself" &&
	expect_fail 1 as lena perf admit nobody 2>"$err" && contains "$err" "no person '\''nobody'\''" &&
	unchanged . "$before" &&
	as lena perf admit ari >"$out" && contains "$out" "ari was already admitted by lena" &&
	unchanged . "$before"
'

test_expect_success 'an unadmitted person writes their own check-in, goal and feedback request' '
	fresh && PERF_NOW=2026-11-24T09:00:00Z perf checkin -m "my first week" >/dev/null &&
	PERF_NOW=2026-11-24T09:10:00Z perf goal add "Learn the codebase" --id learn >/dev/null &&
	PERF_NOW=2026-11-24T09:20:00Z perf ask lena --about "my onboarding" >/dev/null &&
	PERF_NOW=2026-11-24T09:30:00Z perf reply mallory/2026-W48 -m "a note to self" >/dev/null &&
	test "$(git rev-list --count "$main"..HEAD)" = 4 && pushed
'

test_expect_success 'perf refuses an unadmitted person'\''s reply on another'\''s check-in before writing' '
	fresh && seen >"$TEST_ROOT/before" &&
	expect_fail 1 perf reply ari/2026-W47 -m "hi from me" 2>"$err" &&
	contains "$err" "mallory is not admitted yet: until their lead or a maintainer admits them (perf admit mallory)" &&
	contains "$err" "nothing was written" &&
	seen >"$TEST_ROOT/after" && diff -u "$TEST_ROOT/before" "$TEST_ROOT/after" &&
	git status --porcelain --ignored >"$out" && test ! -s "$out"
'

test_expect_success 'perf refuses an unadmitted person'\''s agreement to a norm before writing' '
	fresh && before=$(snapshot .) &&
	expect_fail 1 perf norm agree check-in 2>"$err" &&
	contains "$err" "you (mallory) are not admitted yet: your agreement counts once your lead or a maintainer admits you" &&
	unchanged . "$before"
'

# --- what an unadmitted person may not do ------------------------------------------

test_expect_success 'an unadmitted person'\''s agreement to a norm is refused' '
	fresh && agreements "$norm" bo ari mallory &&
	c=$(commit_as mallory "agree: mallory to norm check-in-fortnightly") &&
	push_refused "mallory is not admitted yet" && contains "$err" "$norm" && contains "$err" "$(id "$c")"
'

# Reports check the local history before they present it: what commits the
# rules refuse wrote (pulled with plain git, or made by hand) is never shown
# as the team's word.
test_expect_success 'a forged agreement committed by hand is named by every report, and no site is made of it' '
	fresh && agreements "$norm" bo ari cy && c=$(commit_as bo "agree: cy to norm check-in-fortnightly") &&
	perf show "$norm" >"$out" 2>"$err" &&
	contains "$out" "NOT VERIFIED: $norm was written by a commit the team'\''s rules refuse (perf verify)" &&
	contains "$err" "this repository'\''s history breaks the team'\''s rules" &&
	contains "$err" "$(id "$c") bo@example.com $norm: records an agreement by cy, but the commit is by bo" &&
	perf --json show "$norm" >"$out" 2>/dev/null &&
	python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d[\"verified\"] is False, d" "$out" &&
	perf --json show people/ari.md >"$out" 2>/dev/null &&
	python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d[\"verified\"] is True, d" "$out" &&
	for cmd in "norm list" "summary" "status" "--json status"; do
		perf $cmd >/dev/null 2>"$err"; contains "$err" "$(id "$c")" || exit 1
	done &&
	expect_fail 1 perf site "$TEST_ROOT/site" 2>"$err" && test ! -e "$TEST_ROOT/site" &&
	contains "$err" "not writing a site: the history breaks the team'\''s rules" &&
	git checkout -q --detach origin/main && perf show "$norm" >"$out" 2>"$err" &&
	! grep -q "NOT VERIFIED" "$out" && test ! -s "$err"
'

test_expect_success 'joins with made-up emails neither move the quorum nor adopt a norm' '
	fresh && for p in m1 m2 m3; do as $p perf join --lead lena >/dev/null 2>&1 || exit 1; done &&
	pushed && perf norm list >"$out" && contains "$out" "proposed 2/3" &&
	agreements "$norm" bo ari m1 &&
	set_field "$norm" status adopted && set_field "$norm" adopted 2026-11-24T09:00:00Z &&
	sed -i "s/^  checkin: weekly/  checkin: fortnightly/" .perf/config.yaml &&
	git add -A && as m1 git commit -q -m "$(adopted_msg "$norm" m1)" &&
	push_refused "m1 is not admitted yet" &&
	contains "$err" "adopts $norm with 2 agreements to its current version; the team'\''s rule needs 3"
'

test_expect_success 'a person admitting themselves is refused' '
	fresh && set_field people/mallory.md admitted_by mallory &&
	commit_as mallory "admit: mallory" >/dev/null &&
	push_refused "admits mallory by mallory themselves: a lead or a maintainer admits a new person"
'

test_expect_success 'a person writing that their lead admitted them is refused' '
	fresh && set_field people/mallory.md admitted_by lena &&
	c=$(commit_as mallory "admit: mallory") &&
	push_refused "records lena as admitting mallory, but the commit is by mallory" && contains "$err" "$(id "$c")"
'

test_expect_success 'a join that arrives already admitted is refused' '
	fresh && printf -- "---\nkind: person\nname: Eve Example\nemail: eve@example.com\nlead: lena\nadmitted_by: lena\n---\n" \
		>people/eve.md &&
	commit_as eve "join: eve" >/dev/null &&
	push_refused "records lena as admitting eve, but the commit is by eve"
'

test_expect_success 'a teammate who is neither lead nor maintainer admitting someone is refused' '
	fresh && set_field people/mallory.md admitted_by ari &&
	commit_as ari "admit: mallory" >/dev/null &&
	push_refused "admits mallory, but ari is neither their lead nor a maintainer"
'

test_expect_success 'a lead who is not admitted yet admitting their report is refused' '
	fresh && as nina perf join --lead mallory >/dev/null 2>&1 && a=$(git rev-parse HEAD) &&
	set_field people/nina.md admitted_by mallory &&
	c=$(commit_as mallory "admit: nina") &&
	push_refused "mallory is not admitted yet" && contains "$err" "people/nina.md" &&
	contains "$err" "$(id "$c")" && ! grep -q "$(id "$a")" "$err"
'

test_expect_success 'an admission taken back by the person, or rewritten by a maintainer, is refused' '
	fresh && sed -i "/^admitted_by:/d" people/ari.md &&
	commit_as ari "not admitted after all" >/dev/null &&
	push_refused "changes who admitted ari (lena): an admission stands" &&
	fresh && set_field people/cy.md admitted_by lena &&
	commit_as lena "I admitted cy" >/dev/null &&
	push_refused "changes who admitted cy (bo): an admission stands"
'

test_expect_success 'an unadmitted person replying on another'\''s check-in is refused' '
	fresh && d=checkins/ari/2026-W47 && mkdir -p "$d" &&
	printf -- "---\nkind: reply\nauthor: mallory\nto: %s.md\nat: 2026-11-24T09:00:00Z\n---\nHello.\n" "$d" \
		>"$d/20261124T090000Z-mallory.md" &&
	commit_as mallory "reply: mallory to ari" >/dev/null &&
	push_refused "mallory is not admitted yet: until their lead or a maintainer admits them (perf admit mallory), they write only their own documents"
'

test_expect_success 'an unadmitted person praising a teammate is refused' '
	fresh && mkdir -p praise/bo &&
	printf -- "---\nkind: praise\nperson: bo\nfrom: mallory\nat: 2026-11-24T09:00:00Z\n---\nGreat work.\n" \
		>praise/bo/20261124T090000Z-mallory.md &&
	commit_as mallory "praise: mallory to bo" >/dev/null &&
	push_refused "mallory is not admitted yet"
'

test_expect_success 'an unadmitted person answering a request that asked them is refused' '
	fresh && d=feedback/ari/$fb && mkdir -p "$d" &&
	printf -- "---\nkind: reply\nauthor: mallory\nto: %s.md\nat: 2026-11-24T09:00:00Z\n---\nMy view.\n" "$d" \
		>"$d/20261124T090000Z-mallory.md" &&
	commit_as mallory "give: mallory to ari" >/dev/null &&
	push_refused "mallory is not admitted yet"
'

# A branch pointed at the founding commit, when the team had no maintainers
# yet, does not bring that open state back for what is built on it.
test_expect_success 'a branch at the founding commit used to make oneself maintainer is refused, pushed or merged' '
	fresh && root=$(git rev-list --max-parents=0 origin/main) &&
	git push -q origin "$root:refs/heads/other" &&
	git checkout -q --detach "$root" && mkdir -p people &&
	git show origin/main:people/mallory.md | grep -v "^lead:" >people/mallory.md &&
	sed -i "s/^maintainers: \[\]/maintainers: [mallory]/" .perf/config.yaml && grep -q "maintainers: \[mallory\]" .perf/config.yaml &&
	side=$(commit_as mallory "join: mallory") &&
	push_refused "only maintainers change the team'\''s program" origin HEAD:refs/heads/other &&
	git checkout -q --detach origin/main &&
	sed -i "s/^maintainers: .*/maintainers: [lena, mallory]/" .perf/config.yaml && git add -A &&
	m=$(merge_of mallory origin/main "$side") && git checkout -q --detach "$m" &&
	push_refused "only maintainers change the team'\''s program" origin "$m:refs/heads/main" &&
	expect_fail 1 perf verify >"$out" 2>&1 && contains "$out" "$(id "$side") .perf/config.yaml: only maintainers change the team'\''s program" &&
	git -C "$srv" update-ref -d refs/heads/other
'

test_expect_success 'leaving and joining again to choose another lead is refused: only a maintainer removes a person' '
	fresh && git rm -q people/mallory.md && c=$(commit_as mallory "leave") &&
	push_refused "removes mallory'\''s people file: only a maintainer removes someone from the team" &&
	git show origin/main:people/mallory.md | sed "s/^lead: lena$/lead: ari/" >people/mallory.md &&
	commit_as mallory "join: mallory" >/dev/null &&
	push_refused "removes mallory'\''s people file"
'

# --- a verifying clone -------------------------------------------------------------

cd "$TEST_ROOT" || exit 1
open=$TEST_ROOT/open.git
git clone -q --bare "$srv" open.git || exit 1
good=$(git -C open.git rev-parse main)
git clone -q open.git "$TEST_ROOT/evil" || exit 1
cd "$TEST_ROOT/evil" || exit 1

test_expect_success 'perf sync refuses an unadmitted person'\''s reply from a server with no hook' '
	victim v1 && fresh "$good" && d=checkins/ari/2026-W47 && mkdir -p "$d" &&
	printf -- "---\nkind: reply\nauthor: mallory\nto: %s.md\nat: 2026-11-24T09:00:00Z\n---\nHello.\n" "$d" \
		>"$d/20261124T090000Z-mallory.md" &&
	c=$(commit_as mallory "reply: mallory to ari") && land "$c" &&
	sync_refused v1 "$c" mallory@example.com "mallory is not admitted yet"
'

test_expect_success 'perf sync refuses a self-admission from a server with no hook' '
	victim v2 && fresh "$good" && set_field people/mallory.md admitted_by mallory &&
	c=$(commit_as mallory "admit: mallory") && land "$c" &&
	sync_refused v2 "$c" mallory@example.com "admits mallory by mallory themselves"
'

test_expect_success 'what is built on a forged admission, pulled with plain git, is not shown as genuine' '
	git -C "$open" update-ref refs/heads/main "$good" &&
	perf clone "$open" "$TEST_ROOT/v3" >/dev/null 2>&1 &&
	fresh "$good" && set_field people/mallory.md admitted_by mallory && f1=$(commit_as mallory "admit: mallory") &&
	d=checkins/ari/2026-W47 && mkdir -p "$d" &&
	printf -- "---\nkind: reply\nauthor: mallory\nto: %s.md\nat: 2026-11-24T09:00:00Z\n---\nForged words.\n" "$d" \
		>"$d/20261124T090000Z-mallory.md" &&
	f2=$(commit_as mallory "reply: mallory to ari") && land "$f2" &&
	(cd "$TEST_ROOT/v3" && git pull -q --no-rebase 2>/dev/null && perf show ari/2026-W47 >"$out" 2>"$err") &&
	git -C "$open" update-ref refs/heads/main "$good" &&
	contains "$err" "$(id "$f1") mallory@example.com people/mallory.md: admits mallory by mallory themselves" &&
	contains "$out" "NOT VERIFIED: $d/20261124T090000Z-mallory.md was written by a commit the team'\''s rules refuse"
'

cd "$TEST_ROOT/work" || exit 1

# --- adoption by the admitted, and a norm list that checks it ----------------------

test_expect_success 'a norm is adopted by the admitted majority, and perf agree is closed after' '
	fresh && PERF_NOW=2026-11-25T09:00:00Z as lena perf norm agree check-in >"$out" &&
	contains "$out" "3 of a majority (3 of 4) agree: adopted" && pushed &&
	before=$(snapshot .) &&
	expect_fail 1 as cy perf norm agree check-in 2>"$err" &&
	contains "$err" "$norm is adopted: agreements to it are closed; propose a new norm to change it" &&
	unchanged . "$before"
'

test_expect_success 'perf norm list shows an adoption made by hand as unverified' '
	fresh && PERF_NOW=2026-11-25T10:00:00Z as bo perf norm propose "Demos on Friday" -m "Every Friday." >/dev/null &&
	pushed && n2=norms/demos-on-friday.md && test -f "$n2" &&
	set_field "$n2" status adopted && set_field "$n2" adopted 2026-11-25T11:00:00Z &&
	git add -A && as bo git commit -q -m "$(adopted_msg "$n2" bo)" &&
	perf norm list >"$out" 2>"$err" &&
	grep -q "^check-in-fortnightly  *adopted " "$out" && grep -q "^demos-on-friday  *unverified " "$out" &&
	contains "$err" "$n2 says it is adopted, but its adoption does not hold" &&
	perf --json norm list >"$out" 2>/dev/null &&
	python3 -c "import json,sys; d={n[\"id\"]: n[\"status\"] for n in json.load(open(sys.argv[1]))}; assert d == {\"check-in-fortnightly\": \"adopted\", \"demos-on-friday\": \"unverified\"}, d" "$out" &&
	push_refused "$n2"
'

test_expect_success 'once admitted by their lead, the person writes on others'\'' documents' '
	fresh && as lena perf admit mallory >"$out" && contains "$out" "admitted mallory" && pushed &&
	PERF_NOW=2026-11-26T09:00:00Z perf reply ari/2026-W47 -m "welcome words" >/dev/null &&
	PERF_NOW=2026-11-26T09:10:00Z perf give "feedback:ari/$fb" -m "Careful reviews." >/dev/null && pushed &&
	perf admit >"$out" && contains "$out" "m1" && ! grep -q "^mallory " "$out" &&
	as lena perf status >"$out" ; ! grep -q "mallory joined" "$out"
'

# --- a team that requires signed commits -------------------------------------------

cd "$TEST_ROOT" || exit 1
skeys=$TEST_ROOT/sshkeys
signed_team "$skeys" --no-admit ari || exit 1
git config user.name "Ari Example"
git config user.email ari@example.com

test_expect_success 'signed: an unadmitted person'\''s signed praise for their lead is refused' '
	fresh && git config user.signingkey "$skeys/ari" && mkdir -p praise/lena &&
	printf -- "---\nkind: praise\nperson: lena\nfrom: ari\nat: 2026-11-24T09:00:00Z\n---\nThanks.\n" \
		>praise/lena/20261124T090000Z-ari.md &&
	commit_as ari "praise: ari to lena" >/dev/null && git cat-file commit HEAD | grep -q "^gpgsig" &&
	push_refused "ari is not admitted yet"
'

test_expect_success 'signed: a signed self-admission is refused' '
	fresh && git config user.signingkey "$skeys/ari" && set_field people/ari.md admitted_by ari &&
	commit_as ari "admit: ari" >/dev/null &&
	push_refused "admits ari by ari themselves"
'

test_expect_success 'signed: the lead admits through perf, and the praise is accepted' '
	fresh && git config user.signingkey "$skeys/lena" && as lena perf admit ari >"$out" &&
	git cat-file commit HEAD | grep -q "^gpgsig" && pushed &&
	git config user.signingkey "$skeys/ari" &&
	PERF_NOW=2026-11-26T09:00:00Z perf praise lena -m "Thanks for the review." >/dev/null && pushed
'

test_done
