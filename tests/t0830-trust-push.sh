#!/bin/sh
# Trust, the server's side: attacks on a bare repository guarded by 'perf
# hook install', each built with plain git (commit-tree, mktree,
# update-index, push -f, push :ref) and each refused with its reason, the
# server's refs left exactly as they were.  Forged merges (a tree that is
# neither parent's nor perf's merge, a revert hidden in a merge), new roots
# (bare, and merged under main as a fast-forward), commits built on a
# history from before a right was revoked, rewinds and deleted or moved
# refs, unsound documents (not YAML, a reply or praise in another's name, a
# symbolic link, a submodule, an executable), a padded blob.  And the
# legitimate work that must still land: perf's own merges, a clash settled
# with perf resolve, a maintainer's change, many joins, key rotation.
. "$(dirname "$0")/lib.sh"
. "$PERF_SRC/tests/lib-trust.sh"

export PERF_NOW=2026-11-16T09:00:00Z
guarded_server || exit 1
(team_fixture --init-out "$TEST_ROOT/init.out" --lead-role Lead --role "" --no-admit ari bo dan &&
	as cy perf join --lead bo >/dev/null && admit_all && trust_seed_week &&
	git remote add origin "$srv" && git push -q origin main 2>"$err") || { cat "$err"; exit 1; }
# O: the team before lena revoked anything.
O=$(git -C team rev-parse HEAD)
(cd team && trust_seed_revoke &&
	sed -i "s/^lead: bo/lead: lena/" people/cy.md && as lena git commit -qam "cy now works with lena" &&
	git push -q origin main && git push -q origin main:refs/heads/x &&
	git tag v1 "$O" && git push -q origin v1) 2>"$err" || { cat "$err"; exit 1; }

attacker_clone work ari || exit 1

main=$(git rev-parse origin/main)

test_expect_success 'perf hook install sets the receive.* guards and says so' '
	contains "$TEST_ROOT/hook.out" "receive.denyNonFastForwards" &&
	test "$(git -C "$srv" config --bool receive.denyNonFastForwards)" = true &&
	test "$(git -C "$srv" config --bool receive.denyDeletes)" = true &&
	test "$(git -C "$srv" config --bool receive.fsckObjects)" = true
'

test_expect_success 'perf init, perf hook install and perf-verify(1) say an unsigned team'\''s author is whatever was typed' '
	for f in "$TEST_ROOT/init.out" "$TEST_ROOT/hook.out" "$PERF_SRC/man/perf-verify.1.scd"; do
		grep -qi "whatever" "$f" && grep -qi "sign" "$f" || { echo "no word on unsigned authors in $f:" >&2; cat "$f" >&2; exit 1; }
	done
'

test_expect_success 'the founding push to an empty guarded repository is accepted' '
	test "$(git -C "$srv" rev-parse main)" = "$(git -C "$TEST_ROOT/team" rev-parse HEAD)" &&
	test "$(git -C "$srv" rev-parse x)" = "$main" &&
	test "$(git -C "$srv" rev-parse v1)" = "$O" &&
	perf -C "$srv" verify main
'

# side: a legitimate commit of ari's own beside main, for the forged merges.
fresh && PERF_NOW=2026-11-18T09:00:00Z as ari perf goal add "Learn Rust" --id rust >/dev/null &&
	side=$(git rev-parse HEAD) || exit 1

# --- 1. merges whose tree is neither parent's nor perf's merge ---------------

test_expect_success 'a merge that deletes the lead'\''s reply is refused' '
	fresh "$side" && git rm -q checkins/ari/2026-W47/*-lena.md &&
	m=$(merge_of ari "$main" "$side") &&
	push_refused "may not be deleted" origin "$m:refs/heads/main" &&
	contains "$err" "$(id "$m")"
'

test_expect_success 'a merge that deletes a praise is refused' '
	fresh "$side" && git rm -q praise/ari/*-bo.md &&
	m=$(merge_of ari "$main" "$side") &&
	push_refused "may not be deleted" origin "$m:refs/heads/main" &&
	contains "$err" "$(id "$m")"
'

test_expect_success 'a merge that rewrites a teammate'\''s check-in is refused' '
	fresh "$side" && sed -i "s/bo'\''s own week/bo did nothing/" checkins/bo/2026-W47.md &&
	git add checkins/bo/2026-W47.md &&
	m=$(merge_of ari "$main" "$side") &&
	push_refused "only bo writes bo'\''s checkin" origin "$m:refs/heads/main" &&
	contains "$err" "$(id "$m")"
'

test_expect_success 'a merge that makes its author a maintainer is refused' '
	fresh "$side" && sed -i "s/^maintainers: .*/maintainers: [lena, ari]/" .perf/config.yaml &&
	git add .perf/config.yaml &&
	m=$(merge_of ari "$main" "$side") &&
	push_refused "only maintainers" origin "$m:refs/heads/main" &&
	contains "$err" "$(id "$m")"
'

test_expect_success 'a merge that makes its author someone else'\''s lead is refused' '
	fresh "$side" && sed -i "s/^lead: lena/lead: ari/" people/bo.md && git add people/bo.md &&
	m=$(merge_of ari "$main" "$side") &&
	push_refused "only bo or a maintainer changes people/bo.md" origin "$m:refs/heads/main" &&
	contains "$err" "$(id "$m")"
'

test_expect_success 'a merge that takes an older parent'\''s config back (a former maintainer) is refused' '
	fresh && git checkout -q "$O" -- .perf/config.yaml &&
	grep -q "^maintainers: \[lena, bo\]" .perf/config.yaml &&
	m=$(merge_of bo "$main" "$O") &&
	git merge-base --is-ancestor "$main" "$m" &&
	push_refused "only maintainers" origin "$m:refs/heads/main" &&
	contains "$err" "$(id "$m")"
'

test_expect_success 'a merge that brings a removed person'\''s people file back is refused' '
	fresh && git checkout -q "$O" -- people/dan.md &&
	m=$(merge_of ari "$main" "$O") &&
	push_refused "only dan or a maintainer changes people/dan.md" origin "$m:refs/heads/main" &&
	contains "$err" "$(id "$m")"
'

# --- 2. new roots ------------------------------------------------------------

# root: a history of mallory's own (mallory_root).
mallory_root || exit 1

test_expect_success 'a new root merged under main as a fast-forward is refused' '
	m=$(as mallory git commit-tree "$rtree" -p "$root" -p "$main" -m "Merge the old record") &&
	git merge-base --is-ancestor "$main" "$m" &&
	push_refused "a commit with no parent" origin "$m:refs/heads/main" &&
	contains "$err" "$(id "$root")"
'

test_expect_success 'a bare new root pushed to a new branch is refused' '
	push_refused "a commit with no parent" origin "$root:refs/heads/fresh" &&
	contains "$err" "$(id "$root")"
'

# --- 3. building on a commit from before a right was revoked -------------------

test_expect_success 'a removed person writing on an old commit, merged as a fast-forward, is refused' '
	fresh "$O" && git checkout -q -B old &&
	PERF_NOW=2026-11-24T09:00:00Z as dan perf checkin -m "still here" >/dev/null &&
	a=$(git rev-parse HEAD) && test "$(git rev-parse HEAD^)" = "$O" &&
	as dan git merge -q --no-edit "$main" >/dev/null &&
	git merge-base --is-ancestor "$main" HEAD &&
	push_refused "not a person of the team" origin "HEAD:refs/heads/main" &&
	contains "$err" "$(id "$a")"
'

test_expect_success 'a former maintainer changing the program on an old commit, merged by him, is refused' '
	fresh "$O" && git checkout -q -B old &&
	sed -i "s/^team: .*/team: Bo'\''s team/" .perf/config.yaml && git add -A &&
	a=$(commit_index_as bo "rename the team") &&
	fresh && git checkout -q -B mine &&
	as bo git merge -q --no-edit old >/dev/null &&
	test "$(git rev-parse HEAD^2)" = "$a" &&
	push_refused "only maintainers" origin "HEAD:refs/heads/main" &&
	contains "$err" "$(id "$a")"
'

test_expect_success 'a former lead writing expectations on an old commit, merged as a fast-forward, is refused' '
	fresh "$O" && git checkout -q -B old &&
	PERF_NOW=2026-11-24T09:00:00Z as bo perf expect cy -m "Cy reports to bo." >/dev/null &&
	test -f expectations/cy.md && a=$(git rev-parse HEAD) &&
	fresh && git checkout -q -B mine &&
	as bo git merge -q --no-edit old >/dev/null &&
	push_refused "their lead write" origin "HEAD:refs/heads/main" &&
	contains "$err" "$(id "$a")"
'

# --- 4. history only grows -----------------------------------------------------

test_expect_success 'main rewound with push -f is refused' '
	push_refused "not a fast-forward" -f origin "$O:refs/heads/main"
'

test_expect_success 'main replaced by a rewritten history is refused' '
	fresh "$O" && PERF_NOW=2026-11-24T09:00:00Z as ari perf checkin -m "a quiet week" >/dev/null &&
	push_refused "not a fast-forward" -f origin "HEAD:refs/heads/main"
'

test_expect_success 'a branch deleted with push :ref is refused' '
	push_refused "deleting a branch or tag is refused" origin :refs/heads/x
'

test_expect_success 'a tag deleted with push :ref is refused' '
	push_refused "deleting a branch or tag is refused" origin :refs/tags/v1
'

test_expect_success 'a tag moved with push -f is refused' '
	push_refused "not a fast-forward" -f origin "$O^:refs/tags/v1"
'

# --- 5. unsound documents ------------------------------------------------------

# check_says PATH: perf check in this work tree reports PATH; its message
# (without PATH:LINE:COL) is left in $msg.
check_says() {
	expect_fail 1 perf check "$1" >"$out" 2>&1 && contains "$out" "$1:" &&
		msg=$(grep -F "$1:" "$out" | head -1 | sed "s|^[^ ]*:[0-9]*:[0-9]*: ||") &&
		test -n "$msg"
}

test_expect_success 'front matter that is not YAML is refused with perf check'\''s message' '
	fresh && printf -- "---\nkind: checkin\nperson: ari\nweek: [2026-W47\n---\nbroken\n" >checkins/ari/2026-W47.md &&
	check_says checkins/ari/2026-W47.md &&
	git add -A && c=$(commit_index_as ari "my week, by hand") &&
	push_refused "checkins/ari/2026-W47.md" origin HEAD:refs/heads/main &&
	contains "$err" "$msg" &&
	contains "$err" "$(id "$c")"
'

test_expect_success 'a reply whose author field names someone else is refused with perf check'\''s message' '
	fresh && f=checkins/ari/2026-W47/20261118T090000Z-ari.md &&
	printf -- "---\nkind: reply\nauthor: lena\nto: checkins/ari/2026-W47.md\nat: 2026-11-18T09:00:00Z\n---\nari is promoted.\n" >"$f" &&
	check_says "$f" &&
	git add -A && c=$(commit_index_as ari "a reply") &&
	push_refused "$f" origin HEAD:refs/heads/main &&
	contains "$err" "$msg" &&
	contains "$err" "$(id "$c")"
'

test_expect_success 'a praise whose from field names someone else is refused with perf check'\''s message' '
	fresh && f=praise/ari/20261118T090000Z-bo.md &&
	printf -- "---\nkind: praise\nperson: ari\nfrom: lena\nat: 2026-11-18T09:00:00Z\n---\nBest on the team.\n" >"$f" &&
	check_says "$f" &&
	git add -A && c=$(commit_index_as bo "praise") &&
	push_refused "$f" origin HEAD:refs/heads/main &&
	contains "$err" "$msg" &&
	contains "$err" "$(id "$c")"
'

test_expect_success 'a symbolic link at a document path is refused' '
	fresh && t=$(printf "../../people/lena.md" | git hash-object -w --stdin) &&
	git update-index --add --cacheinfo "120000,$t,checkins/ari/2026-W48.md" &&
	c=$(commit_index_as ari "a link") &&
	test "$(git ls-tree HEAD checkins/ari/2026-W48.md | cut -c1-6)" = 120000 &&
	push_refused "symbolic link" origin HEAD:refs/heads/main &&
	contains "$err" "$(id "$c")"
'

test_expect_success 'a submodule (gitlink) at a document path is refused' '
	fresh && git update-index --add --cacheinfo "160000,$main,checkins/ari/2026-W48.md" &&
	c=$(commit_index_as ari "a gitlink") &&
	test "$(git ls-tree HEAD checkins/ari/2026-W48.md | cut -c1-6)" = 160000 &&
	push_refused "submodule" origin HEAD:refs/heads/main &&
	contains "$err" "$(id "$c")"
'

test_expect_success 'a document with mode 100755 is refused' '
	fresh && sed -i "s/first week/first week, made executable/" checkins/ari/2026-W47.md &&
	chmod +x checkins/ari/2026-W47.md && git add -A &&
	c=$(commit_index_as ari "chmod +x") &&
	test "$(git ls-tree HEAD checkins/ari/2026-W47.md | cut -c1-6)" = 100755 &&
	push_refused "100755" origin HEAD:refs/heads/main &&
	contains "$err" "$(id "$c")"
'

# --- 6. cost ---------------------------------------------------------------------

test_expect_success 'a people file padded with 8 MiB of newlines is refused' '
	fresh && head -c 8388608 /dev/zero | tr "\0" "\n" >>people/ari.md &&
	git add -A && c=$(commit_index_as ari "a long profile") &&
	push_refused "bytes; a document is at most" origin HEAD:refs/heads/main &&
	contains "$err" "$(id "$c")"
'

test_expect_success '200 joins in one push are accepted' '
	fresh && git checkout -q -B joins &&
	i=0 && while test $i -lt 200; do
		as "p$i" perf join --lead lena >/dev/null || exit 1
		i=$((i + 1))
	done &&
	test "$(git rev-list --count "$main"..HEAD)" = 200 &&
	git show --format="%ae" --name-only HEAD | grep -qx "p199@example.com" &&
	git push -q origin HEAD:refs/heads/main &&
	test "$(git -C "$srv" rev-parse main)" = "$(git rev-parse HEAD)"
'

# --- legitimate work -----------------------------------------------------------

main=$(git -C "$srv" rev-parse main)

test_expect_success 'a maintainer editing .perf/config.yaml with plain git is accepted' '
	fresh && sed -i "s/^  checkin: weekly/  checkin: fortnightly/" .perf/config.yaml &&
	git add -A && commit_index_as lena "check in fortnightly" >/dev/null &&
	git push -q origin HEAD:refs/heads/main
'

cd "$TEST_ROOT" || exit 1
as ari perf clone "$srv" ari1 >/dev/null 2>&1 && as ari perf clone "$srv" ari2 >/dev/null 2>&1 &&
	as lena perf clone "$srv" lena1 >/dev/null 2>&1 || exit 1
for d in ari1 ari2; do git -C $d config user.name "Ari Example" && git -C $d config user.email ari@example.com; done
git -C lena1 config user.name "Lena Example" && git -C lena1 config user.email lena@example.com

test_expect_success 'concurrent perf sync from two clones that both wrote is accepted' '
	(cd ari1 && PERF_NOW=2026-11-24T09:00:00Z perf checkin -m "indexer merged" >/dev/null) &&
	(cd lena1 && PERF_NOW=2026-11-24T10:00:00Z perf reply goal:ari/ship -m "demo Friday?" >/dev/null) &&
	(cd ari1 && perf sync >"$out" 2>"$err") && contains "$out" "pushed 1" &&
	(cd lena1 && perf sync >"$out" 2>"$err") && contains "$out" "merged" &&
	test "$(git -C lena1 cat-file -p HEAD | grep -c "^parent")" = 2 &&
	test "$(git -C "$srv" rev-parse main)" = "$(git -C lena1 rev-parse HEAD)" &&
	(cd ari1 && perf sync >"$out" 2>"$err") &&
	test "$(git -C ari1 rev-parse HEAD)" = "$(git -C lena1 rev-parse HEAD)"
'

test_expect_success 'different fields of one goal merged field by field by perf are accepted' '
	(cd ari2 && perf sync >/dev/null 2>&1) &&
	(cd ari1 && perf goal set ship progress=40 >/dev/null && perf sync >/dev/null 2>"$err") &&
	(cd ari2 && perf goal set ship due=2027-02-01 >/dev/null && perf sync >"$out" 2>"$err") &&
	contains "$out" "merged" &&
	test "$(git -C "$srv" rev-parse main)" = "$(git -C ari2 rev-parse HEAD)" &&
	git -C "$srv" show main:goals/ari/ship.md >"$out" &&
	contains "$out" "progress: 40" && contains "$out" "due: 2027-02-01"
'

test_expect_success 'a field clash settled with perf resolve is accepted' '
	(cd ari1 && perf sync >/dev/null 2>&1) && field_clash_settled &&
	test "$(git -C "$srv" show main:goals/ari/ship.md | grep progress:)" = "progress: 65" &&
	test "$(git -C "$srv" rev-parse main)" = "$(git -C ari2 rev-parse HEAD)"
'

test_expect_success 'a body clash settled with perf resolve is accepted' '
	(cd ari1 && perf sync >/dev/null 2>&1) && body_clash_settled 2026-11-25 &&
	test "$(git -C "$srv" rev-parse main)" = "$(git -C lena1 rev-parse HEAD)" &&
	perf -C "$srv" verify main
'

test_expect_success 'everything the server holds on main is what the rules allow' '
	perf -C "$srv" verify main &&
	(cd lena1 && perf sync >/dev/null 2>&1) &&
	test "$(git -C lena1 rev-parse HEAD)" = "$(git -C "$srv" rev-parse main)" &&
	perf -C lena1 check
'

# --- signed team: key rotation, and a revoked key ---------------------------------

ssh_signing_or_done

keys=$TEST_ROOT/keys
signed_team "$keys" ari bo || exit 1
ssh-keygen -q -t ed25519 -N "" -C ari-new -f "$keys/ari-new" || exit 1
git config user.signingkey "$keys/ari"
main=$(git rev-parse origin/main)

test_expect_success 'key rotation, signed with the old key and then the new, is accepted' '
	fresh && sed -i "/^keys:/a\\  - $(cat "$keys/ari-new.pub")" people/ari.md &&
	grep -qF "$(cat "$keys/ari-new.pub")" people/ari.md && git add -A &&
	commit_index_as ari "add my new key" >/dev/null && git push -q origin HEAD:refs/heads/main &&
	git config user.signingkey "$keys/ari-new" &&
	grep -vF "$(cat "$keys/ari.pub")" people/ari.md >"$TEST_ROOT/p" && cp "$TEST_ROOT/p" people/ari.md && git add -A &&
	commit_index_as ari "retire my old key" >/dev/null && git push -q origin HEAD:refs/heads/main &&
	PERF_NOW=2026-11-24T09:00:00Z as ari perf checkin -m "signed with the new key" >/dev/null &&
	git push -q origin HEAD:refs/heads/main &&
	test "$(git -C "$srv" rev-parse main)" = "$(git rev-parse HEAD)"
'

test_expect_success 'an encryption key rotated with perf keygen --force, signed, is accepted' '
	fresh && git checkout -q -B main origin/main &&
	as ari perf keygen >/dev/null && as ari perf keygen --force >/dev/null &&
	git push -q origin HEAD:refs/heads/main &&
	test "$(git -C "$srv" rev-parse main)" = "$(git rev-parse HEAD)"
'

# R: the commit before ari retired her old key.
retired=$(git -C "$srv" log --format=%H -1 --grep="retire my old key" main)
before_retire=$(git -C "$srv" rev-parse "$retired^")
main=$(git -C "$srv" rev-parse main)

test_expect_success 'a retired key signing on an old commit, merged as a fast-forward, is refused' '
	git config user.signingkey "$keys/ari" &&
	fresh "$before_retire" && git checkout -q -B old &&
	PERF_NOW=2026-11-25T09:00:00Z as ari perf goal add "Signed with a stolen key" --id stolen >/dev/null &&
	git cat-file commit HEAD | grep -q "^gpgsig" && a=$(git rev-parse HEAD) &&
	as ari git merge -q --no-edit -S "$main" >/dev/null &&
	git merge-base --is-ancestor "$main" HEAD &&
	push_refused "signature does not verify for ari@example.com" origin HEAD:refs/heads/main &&
	contains "$err" "$(id "$a")"
'

test_expect_success 'a merge that brings a retired key back into someone else'\''s people file is refused' '
	git config user.signingkey "$keys/bo" &&
	fresh && git checkout -q "$before_retire" -- people/ari.md &&
	grep -qF "$(cat "$keys/ari.pub")" people/ari.md &&
	tree=$(git write-tree) &&
	m=$(as bo git commit-tree -S "$tree" -p "$main" -p "$before_retire" -m "Merge") &&
	push_refused "only ari or a maintainer changes people/ari.md" origin "$m:refs/heads/main" &&
	contains "$err" "$(id "$m")"
'

test_done
