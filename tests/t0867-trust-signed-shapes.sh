#!/bin/sh
# A team that requires signed commits, against history forged by hand with
# plain git: unsigned commits (alone, as a merge's second parent, on a new
# root), commits signed with a key that is not their author's (another
# member's, one never listed), commits signed by the right person that
# break a rule (another's retro line, support, check-in or keys), signed
# merges whose tree smuggles such a change, and another member's signed
# commit replayed onto another parent or tree.  The hook refuses each with
# the server unchanged; a clone that syncs from an open server refuses each
# with its own work kept.  A properly signed commit still gets in, and a
# signed record moved into an empty guarded repository as one root founds
# its team there.
. "$(dirname "$0")/lib.sh"
. "$PERF_SRC/tests/lib-trust.sh"

if ! ssh-keygen -Y sign 2>&1 | grep -qi "usage\|sign"; then
	echo "1..0 # SKIP ssh-keygen -Y sign (OpenSSH 8.2 or later) is not available"
	exit 0
fi

at 2026-12-01T09:00:00Z
keys=$TEST_ROOT/keys
mkdir -p "$keys"
for k in lena ari bo dee eve; do
	ssh-keygen -q -t ed25519 -N "" -C "$k" -f "$keys/$k" || exit 1
done
# Every clone signs (perf and git alike); the victims of the open server are ari.
git config --global gpg.format ssh
git config --global commit.gpgsign true
git config --global user.signingkey "$keys/ari"

git init -q --bare srv.git
git init -q --bare open.git
srv=$TEST_ROOT/srv.git
open=$TEST_ROOT/open.git
perf hook install srv.git >/dev/null 2>&1 || exit 1
perf init seed --team Search >/dev/null 2>&1 || exit 1
(cd seed && signer() { git config user.signingkey "$keys/$1"; } &&
	signer lena && as lena perf join --role "Engineering lead" --key "$keys/lena.pub" >/dev/null &&
	signer ari && as ari perf join --role Engineer --lead lena --key "$keys/ari.pub" >/dev/null &&
	signer bo && as bo perf join --role Engineer --lead lena --key "$keys/bo.pub" >/dev/null &&
	signer dee && as dee perf join --role Engineer --lead lena --key "$keys/dee.pub" >/dev/null &&
	signer lena && admit_all && sed -i "\$a signing_required: true" .perf/config.yaml &&
	as lena git commit -qam "require signed commits" &&
	signer ari && as ari perf goal add "Ship ranking v2" --id ranking --support @lena:"reviews the design doc" >/dev/null &&
	as ari perf retro add --title "Sprint 48" --went-well "pairing on ranking" >/dev/null &&
	signer bo && as bo perf retro add --went-well "bo: the new CI" --to-change "fewer status meetings" >/dev/null &&
	signer dee && as dee perf checkin -m "dee: the indexer" >/dev/null &&
	git remote add origin "$srv" && git push -q origin main && git push -q "$open" main) 2>"$err" ||
	{ cat "$err"; exit 1; }
good=$(git -C open.git rev-parse main)
git clone -q srv.git att
cd att || exit 1
git config commit.gpgsign false


# commit_by WHO KEY TREE MSG [PARENT...]: a commit made with git
# commit-tree, author and committer WHO, signed with KEY's key ("-":
# unsigned); print its id.
commit_by() {
	_who=$1 _key=$2 _tree=$3 _msg=$4
	shift 4
	_ps=
	for _p in "$@"; do
		_ps="$_ps -p $(git rev-parse "$_p")"
	done
	if test "$_key" = -; then
		as "$_who" git commit-tree --no-gpg-sign "$_tree" $_ps -m "$_msg"
	else
		as "$_who" git -c gpg.format=ssh -c user.signingkey="$keys/$_key" commit-tree -S "$_tree" $_ps -m "$_msg"
	fi
}

# tree_of REV EDIT...: the tree of REV with these edits made to it; print its id.
tree_of() {
	git checkout -q -f --detach "$1" && git clean -qfdx && shift &&
	for _e in "$@"; do $_e || return 1; done &&
	git add -A && git write-tree
}

# The edits.  Harmless ones, each author's own:
# ari retitles her goal, bo and ari write their check-ins.
e_title() { sed -i "s/^title: .*/title: Ship ranking v2 (revised)/" goals/ari/ranking.md; }
e_bo() {
	mkdir -p checkins/bo &&
		printf -- "---\nkind: checkin\nperson: bo\nweek: 2026-W49\ncreated: 2026-12-01T10:00:00Z\n---\nbo: reviews\n" \
			>checkins/bo/2026-W49.md
}
e_ari() {
	mkdir -p checkins/ari &&
		printf -- "---\nkind: checkin\nperson: ari\nweek: 2026-W49\ncreated: 2026-12-01T10:00:00Z\n---\nari: ranking\n" \
			>checkins/ari/2026-W49.md
}
# The forgeries of what only another may change, and the reason the rules give.
retro=retros/2026-12-01.md
e_retro() { sed -i "/bo: the new CI/d" $retro; }
why_retro="removes what others wrote"
e_support() { sed -i "/what: reviews the design doc/a\\    given: 2026-12-01" goals/ari/ranking.md; }
why_support="only lena marks the support they gave"
e_checkin() { sed -i "s/^dee: the indexer/dee: nothing at all/" checkins/dee/2026-W49.md; }
why_checkin=checkins/dee/2026-W49.md
e_keys() { sed -i "/^keys:/a\\  - $(cat "$keys/ari.pub")" people/bo.md; }
why_keys=people/bo.md
e_bo_joins() {
	printf -- "---\nkind: person\nname: Bo Example\nemail: bo@example.com\nkeys:\n  - %s\n---\n" "$(cat "$keys/eve.pub")" \
		>people/bo.md
}
e_lead() { set_field people/dee.md lead bo; }
why_lead="changes dee's lead"
e_unsign() { sed -i "s/^signing_required: .*/signing_required: false/" .perf/config.yaml; }
unsigned="unsigned commit (the team requires signed commits)"
badsig="signature does not verify for"

# forged NAME TIP BAD WHO WHY [BAD2 WHY2]: one forgery for the hook and the
# clones: TIP is what is pushed, BAD the commit the refusal names (its
# author WHO), WHY the reason; BAD2 and WHY2 another the refusal names.
forged() {
	printf '%s|%s|%s|%s@example.com|%s|%s|%s\n' "$1" "$2" "$3" "$4" "$5" "${6:-}" "${7:-}" >>"$TEST_ROOT/forged"
}

base=$good
allowed=$TEST_ROOT/allowed
perf -C "$TEST_ROOT/seed" verify --allowed-signers >"$allowed" || exit 1
# good_sig REV: git itself says REV's signature is good, by its author.
good_sig() {
	git -c gpg.ssh.allowedSignersFile="$allowed" verify-commit "$1" 2>"$TEST_ROOT/.sig" &&
		grep -q "Good \"git\" signature for $(git log -1 --format=%ae "$1")" "$TEST_ROOT/.sig"
}

test_expect_success 'forge: unsigned commits, alone, as a second parent, and on a new root' '
	c=$(commit_by ari - $(tree_of $base e_title) "unsigned" $base) &&
	forged unsigned $c $c ari "$unsigned" &&
	s=$(commit_by bo - $(tree_of $base e_bo) "bo: unsigned" $base) &&
	m=$(commit_by ari ari $(git rev-parse "$s^{tree}") "Merge branch '\''side'\''" $base $s) &&
	good_sig $m && forged unsigned-second-parent $m $s bo "$unsigned" &&
	r=$(commit_by ari ari $(tree_of $base e_unsign) "a new start, signing not required") &&
	rc=$(commit_by ari - $(tree_of $r e_title) "unsigned on the new root" $r) &&
	m=$(commit_by ari ari $(tree_of $base e_title) "Merge the new start" $base $rc) &&
	forged unsigned-on-root $m $r ari "a new root" $rc "$unsigned" &&
	c=$(commit_by ari ari $(tree_of $base e_unsign) "signing off" $base) &&
	u=$(commit_by ari - $(tree_of $c e_title) "unsigned, now that nothing is" $c) &&
	forged signing-off $u $c ari "only maintainers change the team'\''s program" &&
	old=$(git log --format=%H -1 --grep="^require signed commits" $base)^ &&
	c=$(commit_by ari - $(tree_of $old e_ari) "unsigned, on the days before signing" $old) &&
	m=$(commit_by ari ari $(tree_of $base e_ari) "Merge branch '\''old'\''" $base $c) &&
	forged unsigned-before-signing $m $c ari "$unsigned"
'

test_expect_success 'forge: commits signed with a key that is not their author'\''s' '
	c=$(commit_by bo ari $(tree_of $base e_bo) "bo, signed by ari" $base) &&
	forged other-member-key $c $c bo "$badsig bo@example.com" &&
	c=$(commit_by bo eve $(tree_of $base e_bo) "bo, signed by a stranger" $base) &&
	forged unlisted-key $c $c bo "$badsig bo@example.com" &&
	s=$(commit_by bo ari $(tree_of $base e_bo) "bo, signed by ari" $base) &&
	m=$(commit_by ari ari $(git rev-parse "$s^{tree}") "Merge branch '\''side'\''" $base $s) &&
	forged other-key-second-parent $m $s bo "$badsig bo@example.com" &&
	c=$(as ari env GIT_AUTHOR_NAME="Bo Example" GIT_AUTHOR_EMAIL=bo@example.com \
		git -c user.signingkey="$keys/ari" commit-tree -S $(tree_of $base e_bo) -p $base -m "bo, by ari") &&
	forged committed-by-other $c $c bo "$badsig bo@example.com" &&
	c=$(commit_by eve eve $(tree_of $base e_title) "a stranger signs" $base) &&
	forged stranger $c $c eve "the author is not a person of the team" &&
	k=$(commit_by ari ari $(tree_of $base e_keys) "my key for bo too" $base) && good_sig $k &&
	c=$(commit_by bo ari $(tree_of $k e_bo) "bo, signed by ari with the key she gave him" $k) &&
	forged key-then-sign $c $k ari "$why_keys" &&
	old=$(git log --format=%H -1 --grep="^join: bo" $base)^ &&
	c=$(commit_by bo eve $(tree_of $old e_bo_joins) "join: bo, with a key of my own" $old) &&
	m=$(commit_by ari ari $(tree_of $base e_title) "Merge branch '\''old'\''" $base $c) &&
	forged join-again-before-joined $m $c bo "$badsig bo@example.com"
'

test_expect_success 'forge: commits signed by their author that break a rule' '
	for f in retro support checkin; do
		eval "why=\$why_$f" &&
		c=$(commit_by ari ari $(tree_of $base e_$f) "edit" $base) && good_sig $c &&
		forged signed-$f $c $c ari "$why" || return 1
	done &&
	c=$(commit_by dee dee $(tree_of $base e_lead) "my lead" $base) && good_sig $c &&
	forged signed-lead $c $c dee "$why_lead"
'

test_expect_success 'forge: signed merges whose tree smuggles what neither parent has, both parent orders' '
	for f in retro support checkin keys; do
		eval "why=\$why_$f" &&
		s=$(commit_by ari ari $(tree_of $base e_title) "side: ari" $base) &&
		t=$(tree_of $s e_$f) &&
		m=$(commit_by ari ari $t "Merge branch '\''side'\''" $base $s) && good_sig $m &&
		forged merge-$f $m $m ari "$why" &&
		m=$(commit_by ari ari $t "Merge branch '\''main'\''" $s $base) && good_sig $m &&
		forged merge-swapped-$f $m $m ari "$why" || return 1
	done
'

# bo's own signed commit, which passes; then replayed with his signature
# kept: onto an older parent, onto another tree, as a new root.
replay() {
	git cat-file commit "$1" | sed "$2" | git hash-object -t commit -w --stdin
}

test_expect_success 'forge: another member'\''s signed commit replayed onto another parent or tree' '
	b=$(commit_by bo bo $(tree_of $base e_bo) "checkin: bo 2026-W49" $base) && good_sig $b &&
	echo $b >"$TEST_ROOT/bo-signed" &&
	c=$(replay $b "s/^parent .*/parent $(git rev-parse $base^)/") &&
	git cat-file commit $c | grep -q "^gpgsig" && ! good_sig $c &&
	m=$(commit_by ari ari $(git rev-parse "$b^{tree}") "Merge branch '\''bo'\''" $base $c) &&
	forged replay-parent $m $c bo "$badsig bo@example.com" &&
	c=$(replay $b "1s/^tree .*/tree $(tree_of $b e_support)/") &&
	forged replay-tree $c $c bo "$badsig bo@example.com" &&
	c=$(replay $b "/^parent /d") &&
	m=$(commit_by ari ari $(git rev-parse "$b^{tree}") "Merge" $base $c) &&
	forged replay-root $m $c bo "a new root" &&
	m=$(commit_by ari ari $(tree_of $b e_support) "Merge branch '\''bo'\''" $base $b) && good_sig $m &&
	forged replay-merged $m $m ari "$why_support"
'

test_expect_success 'the hook refuses each forgery; the server is unchanged' '
	while IFS="|" read -r name tip bad email why bad2 why2; do
		git checkout -q -f --detach $tip &&
		push_refused "$why" origin $tip:refs/heads/main &&
		contains "$err" "$(id $bad)" &&
		{ test -z "$bad2" || { contains "$err" "$(id $bad2)" && contains "$err" "$why2"; }; } ||
			{ echo "forgery $name got in" >&2; return 1; }
	done <"$TEST_ROOT/forged"
'

test_expect_success 'the hook refuses each forgery pushed to another branch too' '
	while IFS="|" read -r name tip bad email why bad2 why2; do
		push_refused "$why" origin $tip:refs/heads/forged-$name ||
			{ echo "forgery $name got in on another branch" >&2; return 1; }
	done <"$TEST_ROOT/forged"
'

# One clone meets them all, one after another: each is refused for its own
# reason, none is remembered as verified.
test_expect_success 'a clone syncing from an open server refuses each forgery and keeps its work' '
	victim v &&
	while IFS="|" read -r name tip bad email why bad2 why2; do
		git push -q -f "$open" "$tip:refs/heads/main" &&
		sync_refused v $bad "$email" "$why" &&
		{ test -z "$bad2" || { contains "$err" "$(id $bad2)" && contains "$err" "$why2"; }; } ||
			{ echo "forgery $name was merged" >&2; return 1; }
	done <"$TEST_ROOT/forged"
'

test_expect_success 'the legitimate path: bo'\''s signed commit syncs into a clone, and the hook lets it in' '
	b=$(cat "$TEST_ROOT/bo-signed") &&
	victim vgood && git push -q -f "$open" "$b:refs/heads/main" &&
	(cd "$TEST_ROOT/vgood" && perf sync >"$out" 2>"$err") &&
	git -C "$TEST_ROOT/vgood" merge-base --is-ancestor $b HEAD &&
	git -C "$TEST_ROOT/vgood" merge-base --is-ancestor $mine HEAD &&
	git checkout -q -f --detach $b && pushed &&
	m=$(commit_by ari ari $(tree_of $b e_title) "ari: retitled" $b) && git checkout -q -f --detach $m && pushed
'

# A root is refused where a team already is; where none is yet, it founds
# the team with the people it holds, and the signed work on it is theirs.
test_expect_success 'a signed record moved into a new repository as one root founds its team there' '
	git -C "$TEST_ROOT" clone -q "$srv" moved && cd "$TEST_ROOT/moved" &&
	git checkout -q --orphan moved && git config user.signingkey "$keys/lena" &&
	as lena git commit -q -m "the record, moved here" && good_sig HEAD &&
	git config user.signingkey "$keys/ari" && at 2026-12-08T09:00:00Z &&
	as ari perf checkin -m "after the move" >/dev/null &&
	git init -q --bare "$TEST_ROOT/moved.git" && perf hook install "$TEST_ROOT/moved.git" >/dev/null 2>&1 &&
	git push -q "$TEST_ROOT/moved.git" HEAD:refs/heads/main 2>"$err" &&
	test "$(git -C "$TEST_ROOT/moved.git" rev-parse main)" = "$(git rev-parse HEAD)" &&
	perf verify --all
'

test_done
