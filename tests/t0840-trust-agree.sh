#!/bin/sh
# Trust II: only a person can say what they agreed, and a conversation
# stays with its people.  Attacks built with plain git and pushed to a bare
# repository guarded by 'perf hook install', each refused with its reason
# and the server's refs left exactly as they were: agreements recorded in
# another's name (by hand, or hidden in a merge), to a version that is not
# the document's, or taken away while the words stay; a person naming
# themselves or a friend their lead, or leaving and joining again to
# choose one; an email made to collide with another's, and a commit by an
# email two people share; expectations naming another lead than people/
# does; an adoption replayed, forged, or changing more of the program than
# its norm says; a norm marked adopted by hand; an adopted norm edited or
# deleted; a teammate joining a conversation to rewrite it; readers of a
# private note that are not its people; a reply to a private note by
# someone else; an answer to feedback nobody asked for.  Some of them
# again against clones running perf sync from a repository with no hook.
# And the honest paths, through perf and the hook: expectations agreed by
# both, a lead changed by a maintainer and by the lead, a norm adopted by a
# majority, replies in private conversations, key rotation; and a signed
# team.
. "$(dirname "$0")/lib.sh"
. "$PERF_SRC/tests/lib-trust.sh"

export PERF_NOW=2026-11-16T09:00:00Z
guarded_server || exit 1
keys=$XDG_CONFIG_HOME/perf/keys
# The team: lena leads ari, bo and cy and maintains the program; solo has no
# lead.  ari's expectations are agreed by both; lena and ari keep 1:1 notes
# (one of them private); ari asked lena and bo for feedback; bo proposed a
# norm that ari agreed to (one agreement short of a majority, 3 of 5).
(team_fixture --lead-role Lead --role "" --no-admit ari bo cy &&
	as solo perf join >/dev/null &&
	admit_all &&
	for p in lena ari bo; do as $p perf keygen >/dev/null || exit 1; done &&
	PERF_NOW=2026-11-17T09:00:00Z as ari perf expect -m "Ari builds search." >/dev/null &&
	PERF_NOW=2026-11-17T09:10:00Z as lena perf agree expect:ari >/dev/null &&
	PERF_NOW=2026-11-17T09:20:00Z as ari perf agree expect:ari >/dev/null &&
	PERF_NOW=2026-11-17T10:00:00Z as lena perf note ari -m "Ranking can wait for the RFC." >/dev/null &&
	PERF_NOW=2026-11-18T10:00:00Z as lena perf note ari --private -m "A private word." >/dev/null &&
	PERF_NOW=2026-11-17T11:00:00Z as ari perf ask lena bo --about "my reviews" >/dev/null &&
	PERF_NOW=2026-11-17T12:00:00Z as bo perf norm propose "Check in fortnightly" -m "Every other Monday." \
		--set cadences.checkin=fortnightly >/dev/null &&
	PERF_NOW=2026-11-17T13:00:00Z as ari perf norm agree check-in >/dev/null &&
	git remote add origin "$srv" && git push -q origin main 2>"$err") || { cat "$err"; exit 1; }
pub=notes/ari/2026-11-17-1-1.md
priv=notes/ari/2026-11-18-1-1.md
norm=norms/check-in-fortnightly.md
fb=$(cd team && ls feedback/ari/ | sed -n "s/\.md$//p" | head -1)
test -f "team/$pub" && test -f "team/$priv" && test -f "team/$norm" && test -n "$fb" || {
	echo "Bail out! the team was not set up as expected"
	exit 1
}

attacker_clone work ari || exit 1

main=$(git rev-parse origin/main)

test_expect_success 'the hook is installed and the team'\''s own history is accepted' '
	test -x "$srv/hooks/pre-receive" &&
	test "$(git -C "$srv" rev-parse main)" = "$(git -C "$TEST_ROOT/team" rev-parse HEAD)" &&
	perf -C "$srv" verify main &&
	test "$(version expectations/ari.md)" = "$(sed -n "s/^    version: \"*\([0-9a-f]*\)\"*$/\1/p" expectations/ari.md | tail -1)" &&
	test "$(version "$norm")" = "$(sed -n "s/^    version: \"*\([0-9a-f]*\)\"*$/\1/p" "$norm" | tail -1)" &&
	cp expectations/ari.md "$TEST_ROOT/e.md" && agreements "$TEST_ROOT/e.md" lena ari &&
	cmp expectations/ari.md "$TEST_ROOT/e.md"
'

# --- 1. only a person says what they agreed ---------------------------------------

test_expect_success 'a person who names themselves their lead and agrees alone to their own expectations is refused' '
	fresh && set_field people/ari.md lead ari &&
	printf -- "---\nkind: expectations\nperson: ari\nlead: ari\n---\nAri decides what Ari does.\n" >expectations/ari.md &&
	agreements expectations/ari.md ari &&
	c=$(commit_as ari "I am my own lead") &&
	push_refused "nobody is their own lead" &&
	contains "$err" "people/ari.md" && contains "$err" "never the person alone" &&
	contains "$err" "$(id "$c")"
'

test_expect_success 'a person without a lead who names themselves their lead is refused' '
	fresh && set_field people/solo.md lead solo &&
	c=$(commit_as solo "I lead myself") &&
	push_refused "names solo as their own lead: nobody is their own lead" &&
	contains "$err" "never the person alone"
'

test_expect_success 'even a maintainer is nobody'\''s own lead' '
	fresh && set_field people/lena.md lead lena &&
	c=$(commit_as lena "I lead myself") &&
	push_refused "names lena as their own lead: nobody is their own lead"
'

test_expect_success 'an agreement appended for one'\''s lead is refused' '
	fresh && sed -i "s/Ari builds search./Ari builds search and sets her own goals./" expectations/ari.md &&
	agreements expectations/ari.md ari &&
	a=$(commit_as ari "new words, agreed by me") &&
	agreements expectations/ari.md ari lena &&
	c=$(commit_as ari "agree: lena to ari'\''s expectations") &&
	push_refused "records an agreement by lena, but the commit is by ari: only a person says what they agreed" &&
	contains "$err" "expectations/ari.md" && contains "$err" "$(id "$c")" &&
	! grep -q "$(id "$a")" "$err"
'

test_expect_success 'an agreement appended by the lead in the person'\''s name is refused' '
	fresh && sed -i "s/Ari builds search./Ari builds search, on call too./" expectations/ari.md &&
	agreements expectations/ari.md lena ari &&
	commit_as lena "lena agrees and says ari does too" >/dev/null &&
	push_refused "records an agreement by ari, but the commit is by lena: only a person says what they agreed"
'

test_expect_success 'someone'\''s agreement carried over to new words is refused' '
	fresh && grep -q "who: lena" expectations/ari.md &&
	sed -i "s/Ari builds search./Ari builds search, alone./" expectations/ari.md &&
	v=$(version expectations/ari.md) &&
	sed -i "s/^    version: .*/    version: \"$v\"/" expectations/ari.md &&
	test "$(grep -c "version: \"$v\"" expectations/ari.md)" = 2 &&
	commit_as ari "our agreements, still ours" >/dev/null &&
	push_refused "records an agreement by lena, but the commit is by ari"
'

test_expect_success 'an agreement by oneself to a version that is not the document'\''s is refused' '
	fresh && v=$(version expectations/ari.md) && agreements expectations/ari.md lena ari=0123456789abcdef &&
	commit_as ari "agree to an older text" >/dev/null &&
	push_refused "records ari'\''s agreement to version 0123456789abcdef, but the document'\''s version is $v"
'

test_expect_success 'someone else'\''s agreement removed while the words stay is refused' '
	fresh && grep -q "who: lena" expectations/ari.md && agreements expectations/ari.md ari &&
	! grep -q "who: lena" expectations/ari.md && grep -q "who: ari" expectations/ari.md &&
	commit_as ari "lena never agreed" >/dev/null &&
	push_refused "removes lena'\''s agreement while the words stay the same: an agreement goes only when what was agreed changes"
'

test_expect_success 'an agreement to a proposed norm forged to reach the majority is refused' '
	fresh && agreements "$norm" bo ari cy &&
	commit_as bo "agree: cy to norm check-in-fortnightly" >/dev/null &&
	push_refused "records an agreement by cy, but the commit is by bo: only a person says what they agreed" &&
	contains "$err" "$norm"
'

test_expect_success 'an adoption whose deciding agreement is forged is refused' '
	fresh && agreements "$norm" bo ari cy &&
	set_field "$norm" status adopted && set_field "$norm" adopted 2026-11-24T09:00:00Z &&
	sed -i "s/^  checkin: weekly/  checkin: fortnightly/" .perf/config.yaml &&
	git add -A && as bo git commit -q -m "$(adopted_msg "$norm")" &&
	push_refused "records an agreement by cy, but the commit is by bo: only a person says what they agreed"
'

test_expect_success 'an agreement to a proposed norm taken away while its words stay is refused' '
	fresh && agreements "$norm" bo && ! grep -q "who: ari" "$norm" &&
	commit_as bo "ari never agreed" >/dev/null &&
	push_refused "removes ari'\''s agreement while the words stay the same"
'

test_expect_success 'an agreement forged inside a merge is refused' '
	fresh && PERF_NOW=2026-11-24T08:00:00Z as ari perf goal add "Learn Rust" --id rust >/dev/null &&
	side=$(git rev-parse HEAD) &&
	agreements "$norm" bo ari cy && git add -A &&
	m=$(merge_of bo "$main" "$side") &&
	push_refused "records an agreement by cy, but the commit is by bo: only a person says what they agreed" \
		origin "$m:refs/heads/main" &&
	contains "$err" "$(id "$m")"
'

test_expect_success 'a proposed norm marked adopted by hand, without a majority or a trailer, is refused' '
	fresh && set_field "$norm" status adopted && set_field "$norm" adopted 2026-11-24T09:00:00Z &&
	commit_as bo "the norm is adopted" >/dev/null &&
	push_refused "$norm"
'

test_expect_success 'a new norm written already adopted, agreed only by its author, is refused' '
	fresh && printf -- "---\nkind: norm\ntitle: Demos on Friday\nproposed_by: bo\nstatus: adopted\n---\nEvery Friday.\n" \
		>norms/demos.md && agreements norms/demos.md bo &&
	commit_as bo "norm: demos, adopted" >/dev/null &&
	push_refused "norms/demos.md"
'

# --- 2. the lead is one fact, and so is an email --------------------------------

test_expect_success 'a person changing their own lead to a friend is refused' '
	fresh && set_field people/bo.md lead ari &&
	c=$(commit_as bo "ari leads me now") &&
	push_refused "changes bo'\''s lead: only their lead lena or a maintainer does, never the person alone" &&
	contains "$err" "$(id "$c")"
'

test_expect_success 'a person changing their own email is refused' '
	fresh && set_field people/bo.md email bo@elsewhere.example &&
	commit_as bo "my new address" >/dev/null &&
	push_refused "changes bo'\''s email: only their lead lena or a maintainer does, never the person alone"
'

test_expect_success 'a maintainer replacing a teammate'\''s encryption key is refused' '
	fresh && set_field people/bo.md encryption_key "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOnlyTheMaintainerHoldsThisKey000000000000 lena" &&
	commit_as lena "bo reads with my key now" >/dev/null &&
	push_refused "changes bo'\''s encryption_key: only bo changes their own keys"
'

test_expect_success 'a person taking a teammate'\''s email for their own is refused' '
	fresh && set_field people/bo.md email ari@example.com &&
	commit_as bo "I am ari too" >/dev/null &&
	push_refused "email ari@example.com is already ari'\''s: no two people share an email" &&
	contains "$err" "never the person alone"
'

test_expect_success 'a teammate'\''s email changed to one'\''s own is refused' '
	fresh && set_field people/cy.md email bo@example.com &&
	commit_as bo "cy writes as me" >/dev/null &&
	push_refused "no two people share an email" &&
	contains "$err" "only cy or a maintainer changes people/cy.md"
'

test_expect_success 'even a maintainer cannot give two people one email, compared case-insensitively' '
	fresh && set_field people/cy.md email ARI@Example.COM &&
	commit_as lena "cy'\''s new address" >/dev/null &&
	push_refused "email ARI@Example.COM is already ari'\''s: no two people share an email"
'

test_expect_success 'a commit by an email two people share is nobody'\''s' '
	fresh && set_field people/cy.md email ARI@Example.COM &&
	a=$(commit_as lena "cy'\''s new address") &&
	sed -i "s/Ranking can wait for the RFC./Ranking first./" "$pub" &&
	c=$(commit_as ari "my notes") &&
	push_refused "the author'\''s email ari@example.com belongs to more than one person" &&
	contains "$err" "$(id "$a")" && contains "$err" "$(id "$c")"
'

test_expect_success 'a new person joining with a teammate'\''s email (in another case) is refused' '
	fresh && printf -- "---\nkind: person\nname: Mallory Example\nemail: Bo@Example.com\nlead: lena\n---\n" >people/mallory.md &&
	git add -A && GIT_AUTHOR_NAME="Mallory Example" GIT_AUTHOR_EMAIL=Bo@Example.com GIT_COMMITTER_NAME="Mallory Example" \
		GIT_COMMITTER_EMAIL=Bo@Example.com git commit -q -m "join: mallory" --no-verify &&
	push_refused "email Bo@Example.com is already bo'\''s: no two people share an email"
'

test_expect_success 'a person deleting their lead is refused' '
	fresh && sed -i "/^lead: /d" people/ari.md && ! grep -q "^lead:" people/ari.md &&
	commit_as ari "no lead for me" >/dev/null &&
	push_refused "changes ari'\''s lead: only their lead lena or a maintainer does, never the person alone"
'

# A handle the record knows is never joined again, so leaving and joining
# cannot choose a new lead (nor take over a departed person's rights).
test_expect_success 'a person leaving and joining again with a friend as lead is refused' '
	fresh && cp people/ari.md "$TEST_ROOT/ari.md" && git rm -q people/ari.md &&
	a=$(commit_as ari "leave") &&
	sed "s/^lead: lena$/lead: bo/" "$TEST_ROOT/ari.md" >people/ari.md && grep -q "^lead: bo" people/ari.md &&
	c=$(commit_as ari "join: ari") &&
	test "$(git diff origin/main HEAD -- people/ari.md | grep -c "^[-+]lead:")" = 2 &&
	push_refused "joins as '\''ari'\'', a handle the record already knows"
'

test_expect_success 'another person joining under a departed teammate'\''s handle is refused' '
	fresh && git rm -q people/ari.md && a=$(commit_as lena "ari left") &&
	printf "%s\n" "---" "kind: person" "name: Mallory" "email: mallory@example.com" "lead: lena" "---" >people/ari.md &&
	c=$(commit_as mallory "join: ari") &&
	push_refused "handles are never reused" && contains "$err" "$(id "$c")"
'

test_expect_success 'expectations that name another lead than people/ does are refused' '
	fresh && set_field expectations/ari.md lead bo &&
	c=$(commit_as ari "bo is my lead here") &&
	push_refused "names bo as ari'\''s lead, but people/ari.md says lena: a person'\''s lead is one fact" &&
	contains "$err" "$(id "$c")"
'

test_expect_success 'the lead changing only the expectations'\'' lead field is refused too' '
	fresh && set_field expectations/ari.md lead cy &&
	commit_as lena "cy will lead ari" >/dev/null &&
	push_refused "a person'\''s lead is one fact"
'

# --- 3. adoption is a moment ------------------------------------------------------

test_expect_success 'an adoption that also makes its author a maintainer is refused' '
	fresh && PERF_NOW=2026-11-24T09:00:00Z as cy perf norm agree check-in >"$out" && contains "$out" "adopted" &&
	git log -1 --format=%B | grep -q "^Perf-Adopted: " &&
	sed -i "s/^maintainers: .*/maintainers: [lena, cy]/" .perf/config.yaml &&
	git add -A && as cy git commit -q --amend --no-edit &&
	push_refused "is changed at '\''maintainers'\'' by an adoption whose norm does not change it (no norm changes who maintains the program)" &&
	contains "$err" ".perf/config.yaml"
'

test_expect_success 'an adoption that changes the program where its norm does not is refused' '
	fresh && PERF_NOW=2026-11-24T09:00:00Z as cy perf norm agree check-in >/dev/null &&
	sed -i "s/^agreement: .*/agreement: 1/" .perf/config.yaml &&
	mkdir -p .perf/templates && printf "## What cy wants\n" >.perf/templates/goal.md &&
	git add -A && as cy git commit -q --amend --no-edit &&
	push_refused "is changed at '\''agreement'\'' by an adoption whose norm does not change it" &&
	contains "$err" ".perf/templates/goal.md: is changed by an adoption whose norm does not change it"
'

test_expect_success 'an adoption that changes the words it adopts in the same commit is refused' '
	fresh && PERF_NOW=2026-11-24T09:00:00Z as cy perf norm agree check-in >/dev/null &&
	sed -i "s/Every other Monday./Every other Monday, and cy chairs./" "$norm" &&
	git add -A && as cy git commit -q --amend --no-edit &&
	push_refused "adopts $norm with 0 agreements to its current version; the team'\''s rule needs 3"
'

test_expect_success 'an adoption that changes a cadence its norm does not name is refused' '
	fresh && PERF_NOW=2026-11-24T09:00:00Z as cy perf norm agree check-in >/dev/null &&
	grep -q "^  checkin: fortnightly" .perf/config.yaml &&
	sed -i "s/^  share: monthly/  share: off/" .perf/config.yaml && grep -q "^  share: off" .perf/config.yaml &&
	git add -A && as cy git commit -q --amend --no-edit &&
	push_refused ".perf/config.yaml"
'

test_expect_success 'an adoption that sets its key to another value than its norm says is refused' '
	fresh && PERF_NOW=2026-11-24T09:00:00Z as cy perf norm agree check-in >/dev/null &&
	sed -i "s/^  checkin: fortnightly/  checkin: off/" .perf/config.yaml && grep -q "^  checkin: off" .perf/config.yaml &&
	git add -A && as cy git commit -q --amend --no-edit &&
	push_refused ".perf/config.yaml"
'

test_expect_success 'a norm adopted by a majority through perf changes the program and is accepted' '
	fresh && PERF_NOW=2026-11-24T09:00:00Z as cy perf norm agree check-in >"$out" &&
	contains "$out" "adopted" && contains "$out" "cadences.checkin" &&
	contains "$norm" "status: adopted" && grep -q "^  checkin: fortnightly" .perf/config.yaml &&
	pushed
'

test_expect_success 'a replayed adoption that makes its author a maintainer is refused' '
	fresh && grep -q "status: adopted" "$norm" &&
	sed -i "s/^maintainers: .*/maintainers: [lena, bo]/" .perf/config.yaml &&
	git add -A && as bo git commit -q -m "$(adopted_msg "$norm")" &&
	git log -1 --format=%B | grep -qx "Perf-Path: $norm" &&
	push_refused "says it adopts $norm, but $norm was not a proposal before this commit" &&
	contains "$err" "only maintainers change the team'\''s program"
'

test_expect_success 'a replayed adoption that turns signing on or off is refused' '
	fresh && set_field .perf/config.yaml signing_required true &&
	git add -A && as bo git commit -q -m "$(adopted_msg "$norm")" &&
	push_refused "was not a proposal before this commit" &&
	fresh && set_field .perf/config.yaml signing_required false &&
	git add -A && as ari git commit -q -m "$(adopted_msg "$norm" ari)" &&
	push_refused "was not a proposal before this commit"
'

test_expect_success 'an adopted norm whose words are edited is refused' '
	fresh && sed -i "s/Every other Monday./Every other Monday, unless bo says otherwise./" "$norm" &&
	commit_as bo "clarify the norm" >/dev/null &&
	push_refused "$norm: changes an adopted norm: propose a new norm instead"
'

test_expect_success 'an adopted norm set back to proposed is refused' '
	fresh && set_field "$norm" status proposed &&
	commit_as bo "not adopted after all" >/dev/null &&
	push_refused "changes an adopted norm: propose a new norm instead"
'

test_expect_success 'an adopted norm with its agreements edited is refused' '
	fresh && agreements "$norm" bo cy && ! grep -q "who: ari" "$norm" &&
	commit_as ari "I take my agreement back" >/dev/null &&
	push_refused "changes an adopted norm: propose a new norm instead"
'

test_expect_success 'a deleted adopted norm is refused' '
	fresh && git rm -q "$norm" &&
	commit_as lena "we never agreed to that" >/dev/null &&
	push_refused "$norm: deletes an adopted norm"
'

test_expect_success 'a new norm created already adopted, with a forged majority, is refused' '
	fresh && printf -- "---\nkind: norm\ntitle: Bo maintains\nproposed_by: bo\nstatus: adopted\nchanges:\n  - key: maintainers\n    value: \"[lena, bo]\"\n---\nBo helps.\n" >norms/bo-maintains.md &&
	agreements norms/bo-maintains.md bo ari cy &&
	sed -i "s/^maintainers: .*/maintainers: [lena, bo]/" .perf/config.yaml &&
	git add -A && as bo git commit -q -m "$(adopted_msg norms/bo-maintains.md)" &&
	push_refused "records an agreement by ari, but the commit is by bo" &&
	contains "$err" "was not a proposal before this commit"
'

# --- 4. a conversation keeps its people ---------------------------------------------

test_expect_success 'a teammate who adds himself to a note'\''s with and rewrites it in one commit is refused' '
	fresh && list_add "$pub" with bo &&
	sed -i "s/Ranking can wait for the RFC./Ranking first; bo was right./" "$pub" &&
	c=$(commit_as bo "note: ari with bo") &&
	push_refused "$pub: only ari and the people in the conversation write this note" &&
	contains "$err" "$(id "$c")"
'

test_expect_success 'joining, rewriting and leaving again over three commits is refused at the first' '
	fresh && list_add "$pub" with bo &&
	a=$(commit_as bo "join the conversation") &&
	sed -i "s/Ranking can wait for the RFC./Ranking first; bo was right./" "$pub" &&
	b=$(commit_as bo "say what was said") &&
	list_del "$pub" with bo && ! grep -q "  - bo" "$pub" &&
	c=$(commit_as bo "leave again") &&
	test "$(git diff --name-only origin/main HEAD)" = "$pub" &&
	push_refused "only ari and the people in the conversation write this note" &&
	contains "$err" "$(id "$a")"
'

test_expect_success 'a note deleted by someone outside the conversation is refused' '
	fresh && git rm -q "$pub" &&
	commit_as bo "tidy up" >/dev/null &&
	push_refused "$pub: only ari and the people in the conversation write this note"
'

test_expect_success 'an outsider adding himself to a private note'\''s readers is refused' '
	fresh && list_add "$priv" readers bo &&
	commit_as bo "let me read it" >/dev/null &&
	push_refused "lists bo as a reader, who is not in the conversation" &&
	contains "$err" "only ari and the people in the conversation write this note"
'

test_expect_success 'someone in the conversation adding an outsider to its readers is refused' '
	fresh && list_add "$priv" readers cy &&
	commit_as lena "cy may read it" >/dev/null &&
	push_refused "lists cy as a reader, who is not in the conversation: a private note'\''s readers are its person and the people it is with"
'

test_expect_success 'someone in the conversation left out of a private note'\''s readers is refused' '
	fresh && list_del "$priv" readers ari && ! grep -q "^  - ari" "$priv" &&
	commit_as lena "only I read it" >/dev/null &&
	push_refused "leaves someone in the conversation out of its readers"
'

test_expect_success 'someone added to a private note'\''s with but not to its readers is refused' '
	fresh && list_add "$priv" with cy &&
	commit_as lena "cy was there too" >/dev/null &&
	push_refused "leaves someone in the conversation out of its readers"
'

test_expect_success 'someone added to a private note'\''s with and readers, over words sealed to others, is refused' '
	fresh && list_add "$priv" with cy && list_add "$priv" readers cy &&
	commit_as cy "I was there too" >/dev/null &&
	push_refused "only ari and the people in the conversation write this note"
'

test_expect_success 'a reply to a private note by someone who is not its reader is refused' '
	fresh && d=${priv%.md} && mkdir -p "$d" &&
	printf -- "---\nkind: reply\nauthor: bo\nto: %s\nat: 2026-11-24T09:00:00Z\n---\nI heard about this.\n" "$priv" \
		>"$d/20261124T090000Z-bo.md" &&
	c=$(commit_as bo "reply: bo to ari'\''s notes") &&
	push_refused "answers $priv, which is private to its readers, and bo is not one of them" &&
	contains "$err" "$(id "$c")"
'

test_expect_success 'an answer to a feedback request that did not ask them is refused' '
	fresh && d=feedback/ari/$fb && mkdir -p "$d" &&
	printf -- "---\nkind: reply\nauthor: cy\nto: %s.md\nat: 2026-11-24T09:00:00Z\n---\nUnasked, but here it is.\n" "$d" \
		>"$d/20261124T090000Z-cy.md" &&
	c=$(commit_as cy "give: cy to ari") &&
	push_refused "feedback/ari/$fb.md did not ask cy for feedback" &&
	contains "$err" "$(id "$c")"
'

test_expect_success 'an answer to a feedback request that does not exist is refused' '
	fresh && d=feedback/ari/fb-nope && mkdir -p "$d" &&
	printf -- "---\nkind: reply\nauthor: cy\nto: %s.md\nat: 2026-11-24T09:00:00Z\n---\nAnswering nobody.\n" "$d" \
		>"$d/20261124T090000Z-cy.md" &&
	commit_as cy "give: cy to ari" >/dev/null &&
	push_refused "feedback/ari/fb-nope" &&
	contains "$err" "does not exist"
'

test_expect_success 'an answer together with a request rewritten to ask its author is refused' '
	fresh && list_add "feedback/ari/$fb.md" asked cy &&
	d=feedback/ari/$fb && mkdir -p "$d" &&
	printf -- "---\nkind: reply\nauthor: cy\nto: %s.md\nat: 2026-11-24T09:00:00Z\n---\nI was asked, see?\n" "$d" \
		>"$d/20261124T090000Z-cy.md" &&
	commit_as cy "give: cy to ari" >/dev/null &&
	push_refused "only ari writes ari'\''s feedback"
'

# --- honest paths, through perf and the hook --------------------------------------

test_expect_success 'perf expect and perf agree by the person and the lead are accepted' '
	fresh && PERF_NOW=2026-11-25T09:00:00Z as bo perf expect -m "Bo owns the indexer." >/dev/null &&
	PERF_NOW=2026-11-25T09:10:00Z as lena perf agree expect:bo >/dev/null &&
	PERF_NOW=2026-11-25T09:20:00Z as bo perf agree expect:bo >"$out" && contains "$out" "agreed" &&
	PERF_NOW=2026-11-25T09:30:00Z as lena perf expect bo -m "Bo owns the indexer and its oncall." >"$out" &&
	contains "$out" "no longer apply" &&
	PERF_NOW=2026-11-25T09:40:00Z as lena perf agree expect:bo >/dev/null &&
	PERF_NOW=2026-11-25T09:50:00Z as bo perf agree expect:bo >/dev/null &&
	pushed && perf -C "$srv" verify main
'

test_expect_success 'an agreement by hand, by its own author to the current version, is accepted' '
	fresh && sed -i "s/Ari builds search./Ari builds search and ranking./" expectations/ari.md &&
	agreements expectations/ari.md ari &&
	commit_as ari "new words, agreed by me" >/dev/null && pushed &&
	agreements expectations/ari.md ari lena &&
	commit_as lena "agree: lena to ari'\''s expectations" >/dev/null && pushed &&
	perf show expect:ari >"$out" && contains "$out" "Agreed to this version by: ari, lena"
'

test_expect_success 'a maintainer changing someone'\''s lead with plain git is accepted' '
	fresh && set_field people/cy.md lead bo &&
	commit_as lena "cy now works with bo" >/dev/null && pushed
'

test_expect_success 'the new lead writes expectations that name them, and both agree' '
	fresh && PERF_NOW=2026-11-25T10:00:00Z as bo perf expect cy -m "Cy learns the indexer." >/dev/null &&
	contains expectations/cy.md "lead: bo" &&
	PERF_NOW=2026-11-25T10:10:00Z as cy perf agree expect:cy >/dev/null &&
	PERF_NOW=2026-11-25T10:20:00Z as bo perf agree expect:cy >"$out" && contains "$out" "agreed" &&
	pushed
'

test_expect_success 'the current lead handing a person on to another lead is accepted' '
	fresh && set_field people/cy.md lead ari &&
	commit_as bo "cy moves to ari" >/dev/null && pushed
'

test_expect_success 'after the lead changed, the new lead edits the expectations through perf, which name them' '
	fresh && if grep -q "^lead: bo" people/cy.md; then
		set_field people/cy.md lead ari && commit_as lena "cy moves to ari" >/dev/null && pushed || exit 1
	fi &&
	fresh && PERF_NOW=2026-11-25T11:00:00Z as ari perf expect cy -m "Cy learns ranking." >/dev/null &&
	contains expectations/cy.md "lead: ari" &&
	PERF_NOW=2026-11-25T11:10:00Z as cy perf agree expect:cy >/dev/null &&
	PERF_NOW=2026-11-25T11:20:00Z as ari perf agree expect:cy >"$out" && contains "$out" "agreed" &&
	pushed
'

test_expect_success 'the former lead can no longer change it back' '
	fresh && grep -q "^lead: ari" people/cy.md && set_field people/cy.md lead bo &&
	commit_as bo "cy comes back to me" >/dev/null &&
	push_refused "changes cy'\''s lead: only their lead ari or a maintainer does, never the person alone"
'

test_expect_success 'after the lead changed, perf agree and the hook agree on expectations naming the former lead' '
	fresh && PERF_NOW=2026-11-25T12:00:00Z as ari perf expect cy -m "Cy learns ranking and search." >/dev/null &&
	contains expectations/cy.md "lead: ari" && pushed &&
	fresh && set_field people/cy.md lead bo && commit_as lena "cy works with bo again" >/dev/null && pushed &&
	fresh && before=$(git rev-parse HEAD) &&
	if PERF_NOW=2026-11-25T12:10:00Z as cy perf agree expect:cy >"$out" 2>"$err"; then
		echo "perf agree committed: $(cat "$out")" >&2 &&
		pushed
	else
		echo "perf agree refused: $(cat "$err")" >&2 &&
		test "$(git rev-parse HEAD)" = "$before"
	fi
'

test_expect_success 'a maintainer changing someone'\''s email, and giving a lead to solo, are accepted' '
	fresh && set_field people/solo.md email solo@search.example &&
	commit_as lena "solo'\''s new address" >/dev/null && pushed &&
	fresh && set_field people/solo.md lead lena &&
	commit_as lena "solo works with lena" >/dev/null && pushed
'

test_expect_success 'replies by the people of a conversation, private ones too, are accepted' '
	fresh && PERF_NOW=2026-11-26T09:00:00Z as ari perf reply "$pub" -m "RFC draft attached." >/dev/null &&
	PERF_NOW=2026-11-26T09:10:00Z as lena perf reply "$priv" -m "One more private word." >"$out" &&
	contains "$out" "private" &&
	PERF_NOW=2026-11-26T09:20:00Z as ari perf reply "$priv" -m "Understood." >/dev/null &&
	PERF_NOW=2026-11-26T09:30:00Z as lena perf note ari --with bo --private -m "Three of us." >/dev/null &&
	PERF_NOW=2026-11-26T09:40:00Z as bo perf reply notes/ari/2026-11-26-group.md -m "Glad to help." >/dev/null &&
	pushed &&
	as ari perf show "$priv" >"$out" && contains "$out" "Understood."
'

test_expect_success 'someone in the conversation rewriting its words is accepted' '
	fresh && sed -i "s/Ranking can wait for the RFC./Ranking can wait for the RFC (ari)./" "$pub" &&
	commit_as ari "fix my note" >/dev/null && pushed &&
	fresh && sed -i "s/(ari)/(ari, lena)/" "$pub" &&
	commit_as lena "fix our note" >/dev/null && pushed
'

test_expect_success 'feedback answered by those it asked is accepted' '
	fresh && PERF_NOW=2026-11-26T10:00:00Z as bo perf give "feedback:ari/$fb" -m "Thoughtful reviews." >/dev/null &&
	PERF_NOW=2026-11-26T10:10:00Z as lena perf give "feedback:ari/$fb" --private -m "A private view." >/dev/null &&
	pushed
'

test_expect_success 'encryption keys rotated with perf keygen --force are accepted' '
	fresh && as cy perf keygen >/dev/null && as ari perf keygen --force >"$out" &&
	contains "$out" "new key pair" && pushed &&
	fresh && PERF_NOW=2026-11-26T11:00:00Z as lena perf note ari --private -m "Sealed to the new key." >/dev/null &&
	as ari perf show notes/ari/2026-11-26-1-1.md >"$out" && contains "$out" "Sealed to the new key." &&
	pushed
'

test_expect_success 'a second norm proposed and adopted through perf is accepted' '
	fresh && PERF_NOW=2026-11-27T09:00:00Z as ari perf norm propose "Share monthly" -m "Goals once a month." \
		--set cadences.share=quarterly >/dev/null &&
	for p in lena cy; do PERF_NOW=2026-11-27T10:00:00Z as $p perf norm agree share >"$out" || exit 1; done &&
	contains "$out" "adopted" && grep -q "^  share: quarterly" .perf/config.yaml && pushed
'

test_expect_success 'everything the server holds is what the rules allow' '
	perf -C "$srv" verify main && fresh && perf check
'

# --- every clone is a verifier: perf sync from a repository with no hook -----------

cd "$TEST_ROOT" || exit 1
open=$TEST_ROOT/open.git
git clone -q --bare "$srv" open.git || exit 1
test ! -e open.git/hooks/pre-receive || exit 1
good=$(git -C open.git rev-parse main)
git clone -q open.git evil || exit 1
cd evil || exit 1


test_expect_success 'a legitimate commit pushed with plain git to the open server syncs' '
	victim v0 &&
	fresh && set_field people/cy.md lead lena && c=$(commit_as lena "cy back with lena") && land "$c" &&
	(cd "$TEST_ROOT/v0" && perf sync >"$out" 2>"$err") && contains "$out" "merged" &&
	git -C "$TEST_ROOT/v0" merge-base --is-ancestor "$c" HEAD &&
	git -C "$TEST_ROOT/v0" merge-base --is-ancestor "$mine" HEAD
'

test_expect_success 'sync refuses an agreement appended for one'\''s lead' '
	victim v1 &&
	fresh "$good" && sed -i "s/and its oncall./and its oncall, and the roadmap./" expectations/bo.md &&
	agreements expectations/bo.md bo lena &&
	c=$(commit_as bo "the roadmap too, agreed") && land "$c" &&
	sync_refused v1 "$c" bo@example.com "records an agreement by lena, but the commit is by bo: only a person says what they agreed"
'

test_expect_success 'sync refuses a person naming themselves their lead' '
	victim v2 &&
	fresh "$good" && set_field people/ari.md lead ari && c=$(commit_as ari "I lead myself") && land "$c" &&
	sync_refused v2 "$c" ari@example.com "nobody is their own lead"
'

test_expect_success 'sync refuses a replayed adoption that makes its author a maintainer' '
	victim v3 &&
	fresh "$good" && sed -i "s/^maintainers: .*/maintainers: [lena, bo]/" .perf/config.yaml &&
	git add -A && as bo git commit -q -m "$(adopted_msg "$norm")" && c=$(git rev-parse HEAD) && land "$c" &&
	sync_refused v3 "$c" bo@example.com "was not a proposal before this commit"
'

test_expect_success 'sync refuses a teammate joining a conversation to rewrite it' '
	victim v4 &&
	fresh "$good" && list_add "$pub" with cy &&
	sed -i "s/Ranking can wait/Ranking cannot wait/" "$pub" &&
	c=$(commit_as cy "note: ari with cy") && land "$c" &&
	sync_refused v4 "$c" cy@example.com "only ari and the people in the conversation write this note"
'

test_expect_success 'sync refuses a reply to a private note by someone who is not its reader' '
	victim v5 &&
	fresh "$good" && d=${priv%.md} && mkdir -p "$d" &&
	printf -- "---\nkind: reply\nauthor: cy\nto: %s\nat: 2026-11-28T09:00:00Z\n---\nLet me in.\n" "$priv" \
		>"$d/20261128T090000Z-cy.md" &&
	c=$(commit_as cy "reply: cy") && land "$c" &&
	sync_refused v5 "$c" cy@example.com "which is private to its readers"
'

test_expect_success 'sync refuses an edited adopted norm' '
	victim v6 &&
	fresh "$good" && sed -i "s/Every other Monday./Every Monday after all./" "$norm" &&
	c=$(commit_as cy "edit the norm") && land "$c" &&
	sync_refused v6 "$c" cy@example.com "changes an adopted norm: propose a new norm instead"
'

# --- a signed team ----------------------------------------------------------------

cd "$TEST_ROOT" || exit 1
ssh_signing_or_done

skeys=$TEST_ROOT/sshkeys
signed_team "$skeys" ari bo || exit 1

# signer NAME: commits here are signed with NAME's key.
signer() {
	git config user.signingkey "$skeys/$1"
}

test_expect_success 'signed: expectations written and agreed by both through perf are accepted' '
	fresh && signer ari && PERF_NOW=2026-11-24T09:00:00Z as ari perf expect -m "Ari signs her work." >/dev/null &&
	PERF_NOW=2026-11-24T09:10:00Z as ari perf agree expect:ari >/dev/null &&
	signer lena && PERF_NOW=2026-11-24T09:20:00Z as lena perf agree expect:ari >"$out" && contains "$out" "agreed" &&
	git cat-file commit HEAD | grep -q "^gpgsig" && pushed
'

test_expect_success 'signed: an agreement appended for the lead, signed with the person'\''s own key, is refused' '
	fresh && signer ari && sed -i "s/Ari signs her work./Ari signs all her work./" expectations/ari.md &&
	agreements expectations/ari.md ari lena &&
	commit_as ari "agreed by both" >/dev/null && git cat-file commit HEAD | grep -q "^gpgsig" &&
	push_refused "records an agreement by lena, but the commit is by ari"
'

test_expect_success 'signed: a norm proposed and adopted by a majority through perf is accepted' '
	fresh && signer bo && PERF_NOW=2026-11-24T10:00:00Z as bo perf norm propose "Check in fortnightly" \
		-m "Every other Monday." --set cadences.checkin=fortnightly >/dev/null &&
	signer ari && PERF_NOW=2026-11-24T10:10:00Z as ari perf norm agree check-in >"$out" &&
	contains "$out" "adopted" && grep -q "^  checkin: fortnightly" .perf/config.yaml && pushed
'

test_expect_success 'signed: a replayed adoption, signed, that turns signing off is refused' '
	fresh && signer bo && grep -q "status: adopted" "$norm" &&
	set_field .perf/config.yaml signing_required false &&
	git add -A && as bo git commit -q -m "$(adopted_msg "$norm")" && git cat-file commit HEAD | grep -q "^gpgsig" &&
	push_refused "says it adopts $norm, but $norm was not a proposal before this commit" &&
	contains "$err" "only maintainers change the team'\''s program"
'

test_expect_success 'signed: the same replay unsigned is refused as unsigned too' '
	fresh && set_field .perf/config.yaml signing_required false &&
	git add -A && as bo git -c commit.gpgsign=false commit -q -m "$(adopted_msg "$norm")" &&
	! git cat-file commit HEAD | grep -q "^gpgsig" &&
	push_refused "unsigned commit" && contains "$err" "was not a proposal before this commit"
'

test_expect_success 'signed: a maintainer changing a lead is accepted' '
	fresh && signer lena && set_field people/bo.md lead ari && commit_as lena "bo works with ari" >/dev/null && pushed &&
	perf -C "$srv" verify main
'

test_expect_success 'signed: the lead handing the person back is accepted' '
	fresh && signer ari && grep -q "^lead: ari" people/bo.md && set_field people/bo.md lead lena &&
	commit_as ari "bo back with lena" >/dev/null && pushed
'

test_expect_success 'signed: the person changing their own lead, signed with their own key, is refused' '
	fresh && signer bo && set_field people/bo.md lead bo &&
	commit_as bo "I lead myself" >/dev/null &&
	push_refused "nobody is their own lead" && contains "$err" "never the person alone"
'

test_done
