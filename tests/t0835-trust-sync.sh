#!/bin/sh
# Trust, every clone's side: the server is a bare repository with no hook
# (as on a host that runs nothing of ours), and an attacker pushes to it
# with plain git.  perf sync and perf clone must check what they fetch
# with the rules the hook applies: forged commits and merges, new roots,
# commits built on a history from before a right was revoked, unsound
# documents, a padded blob and a rewound remote are refused before anything
# is merged or checked out; the user is told which commit, whose, and why;
# the clone's HEAD, index and files stay as they were, its own commits
# kept.  Legitimate work (perf's merges, a clash settled with perf resolve,
# plain-git teammates, many joins) still syncs.
. "$(dirname "$0")/lib.sh"
. "$PERF_SRC/tests/lib-trust.sh"

export PERF_NOW=2026-11-16T09:00:00Z
srv=$TEST_ROOT/srv.git
git init -q --bare srv.git
(team_fixture --dir seed --lead-role Lead --role "" ari bo dan && trust_seed_week &&
	git remote add origin "$srv" && git push -q origin main 2>"$err") || { cat "$err"; exit 1; }
# O: the team before lena revoked anything.
O=$(git -C seed rev-parse HEAD)
(cd seed && trust_seed_revoke && git push -q origin main) 2>"$err" || { cat "$err"; exit 1; }
# good: the server's main, legitimate; every attack is pushed on it.
good=$(git -C srv.git rev-parse main)
# The server has no hook: it is also the open server the clones sync from
# (victim, sync_refused), and fresh starts from $good; state also compares
# the kinds of paths and the targets of links.
open=$srv fresh_base=$good state_links=yes

# The attacker's clone: plain git, pushing whatever it likes.
attacker_clone evil || exit 1

# synced NAME: perf sync in the clone NAME, its output in $out and $err.
synced() {
	(cd "$TEST_ROOT/$1" && perf sync >"$out" 2>"$err")
}

test_expect_success 'perf clone of a legitimate history verifies it and checks it out' '
	perf clone "$srv" "$TEST_ROOT/plain-clone" >"$out" 2>"$err" && contains "$out" "cloned" &&
	test "$(git -C "$TEST_ROOT/plain-clone" rev-parse HEAD)" = "$good" &&
	repo_clean "$TEST_ROOT/plain-clone"
'

test_expect_success 'a legitimate commit pushed with plain git syncs' '
	victim v0 &&
	fresh && sed -i "s/^  checkin: weekly/  checkin: fortnightly/" .perf/config.yaml && git add -A &&
	c=$(commit_index_as lena "check in fortnightly") && land "$c" &&
	synced v0 && contains "$out" "merged" &&
	git -C "$TEST_ROOT/v0" merge-base --is-ancestor "$c" HEAD &&
	git -C "$TEST_ROOT/v0" merge-base --is-ancestor "$mine" HEAD &&
	test "$(git -C "$srv" rev-parse main)" = "$(git -C "$TEST_ROOT/v0" rev-parse HEAD)"
'

# side: a legitimate commit of ari's own beside main, for the forged merges.
fresh && PERF_NOW=2026-11-18T09:00:00Z as ari perf goal add "Learn Rust" --id rust >/dev/null &&
	side=$(git rev-parse HEAD) || exit 1

test_expect_success 'sync refuses a commit that edits another person'\''s check-in' '
	victim v1 &&
	fresh && sed -i "s/first week/a different story/" checkins/ari/2026-W47.md && git add -A &&
	c=$(commit_index_as bo "edit ari") && land "$c" &&
	sync_refused v1 "$c" bo@example.com "only ari writes ari'\''s checkin"
'

test_expect_success 'sync refuses a merge that deletes a reply and a praise' '
	victim v2 &&
	fresh "$side" && git rm -q checkins/ari/2026-W47/*-lena.md praise/ari/*-bo.md &&
	m=$(merge_of ari "$good" "$side") && land "$m" &&
	sync_refused v2 "$m" ari@example.com "may not be deleted"
'

test_expect_success 'sync refuses a merge that rewrites a teammate'\''s check-in' '
	victim v3 &&
	fresh "$side" && sed -i "s/bo'\''s own week/bo did nothing/" checkins/bo/2026-W47.md && git add -A &&
	m=$(merge_of ari "$good" "$side") && land "$m" &&
	sync_refused v3 "$m" ari@example.com "only bo writes bo'\''s checkin"
'

test_expect_success 'sync refuses a merge that makes its author a maintainer and someone else'\''s lead' '
	victim v4 &&
	fresh "$side" && sed -i "s/^maintainers: .*/maintainers: [lena, ari]/" .perf/config.yaml &&
	sed -i "s/^lead: lena/lead: ari/" people/bo.md && git add -A &&
	m=$(merge_of ari "$good" "$side") && land "$m" &&
	sync_refused v4 "$m" ari@example.com "only maintainers" &&
	contains "$err" "only bo or a maintainer changes people/bo.md"
'

test_expect_success 'sync refuses a merge that takes an older parent'\''s config back' '
	victim v5 &&
	fresh && git checkout -q "$O" -- .perf/config.yaml &&
	m=$(merge_of bo "$good" "$O") && land "$m" &&
	sync_refused v5 "$m" bo@example.com "only maintainers"
'

# root: mallory's own history (mallory_root).
mallory_root || exit 1

test_expect_success 'sync refuses a new root merged under main as a fast-forward' '
	victim v6 &&
	m=$(as mallory git commit-tree "$rtree" -p "$root" -p "$good" -m "Merge the old record") &&
	git merge-base --is-ancestor "$good" "$m" && land "$m" &&
	sync_refused v6 "$root" mallory@example.com "a commit with no parent"
'

test_expect_success 'sync refuses a removed person writing on an old commit, merged as a fast-forward' '
	victim v7 &&
	fresh "$O" && git checkout -q -B old &&
	PERF_NOW=2026-11-24T09:00:00Z as dan perf checkin -m "still here" >/dev/null &&
	a=$(git rev-parse HEAD) &&
	as dan git merge -q --no-edit "$good" >/dev/null && land HEAD &&
	sync_refused v7 "$a" dan@example.com "not a person of the team"
'

test_expect_success 'sync refuses a former maintainer changing the program on an old commit' '
	victim v8 &&
	fresh "$O" && git checkout -q -B old &&
	sed -i "s/^team: .*/team: Bo'\''s team/" .perf/config.yaml && git add -A &&
	a=$(commit_index_as bo "rename the team") &&
	fresh && git checkout -q -B mine && as bo git merge -q --no-edit old >/dev/null && land HEAD &&
	sync_refused v8 "$a" bo@example.com "only maintainers"
'

# doc_refused NAME PATH: perf check in the attacker's work tree reports
# PATH; the attacker commits it as $who and lands it; sync in NAME refuses
# it with perf check's message.
doc_refused() {
	expect_fail 1 perf check "$2" >"$TEST_ROOT/check.out" 2>&1 && contains "$TEST_ROOT/check.out" "$2:" &&
		_msg=$(grep -F "$2:" "$TEST_ROOT/check.out" | head -1 | sed "s|^[^ ]*:[0-9]*:[0-9]*: ||") &&
		test -n "$_msg" && git add -A && _c=$(commit_index_as "$who" "by hand") && land "$_c" &&
		sync_refused "$1" "$_c" "$who@example.com" "$2" && contains "$err" "$_msg"
}

test_expect_success 'sync refuses front matter that is not YAML, with perf check'\''s message' '
	victim v9 && who=ari &&
	fresh && printf -- "---\nkind: checkin\nperson: ari\nweek: [2026-W47\n---\nbroken\n" >checkins/ari/2026-W47.md &&
	doc_refused v9 checkins/ari/2026-W47.md
'

test_expect_success 'sync refuses a reply whose author field names someone else' '
	victim v10 && who=ari &&
	fresh && f=checkins/ari/2026-W47/20261118T090000Z-ari.md &&
	printf -- "---\nkind: reply\nauthor: lena\nto: checkins/ari/2026-W47.md\nat: 2026-11-18T09:00:00Z\n---\nari is promoted.\n" >"$f" &&
	doc_refused v10 "$f"
'

test_expect_success 'sync refuses a praise whose from field names someone else' '
	victim v11 && who=bo &&
	fresh && f=praise/ari/20261118T090000Z-bo.md &&
	printf -- "---\nkind: praise\nperson: ari\nfrom: lena\nat: 2026-11-18T09:00:00Z\n---\nBest on the team.\n" >"$f" &&
	doc_refused v11 "$f"
'

test_expect_success 'sync refuses a symbolic link at a document path' '
	victim v12 &&
	fresh && t=$(printf "../../people/lena.md" | git hash-object -w --stdin) &&
	git update-index --add --cacheinfo "120000,$t,checkins/ari/2026-W48.md" &&
	c=$(commit_index_as ari "a link") && land "$c" &&
	sync_refused v12 "$c" ari@example.com "symbolic link"
'

test_expect_success 'sync refuses a submodule (gitlink) at a document path' '
	victim v13 &&
	fresh && git update-index --add --cacheinfo "160000,$good,checkins/ari/2026-W48.md" &&
	c=$(commit_index_as ari "a gitlink") && land "$c" &&
	sync_refused v13 "$c" ari@example.com "submodule"
'

test_expect_success 'sync refuses a document with mode 100755' '
	victim v14 &&
	fresh && sed -i "s/first week/first week, made executable/" checkins/ari/2026-W47.md &&
	chmod +x checkins/ari/2026-W47.md && git add -A &&
	c=$(commit_index_as ari "chmod +x") && land "$c" &&
	sync_refused v14 "$c" ari@example.com "100755"
'

test_expect_success 'sync refuses a people file padded with 8 MiB of newlines' '
	victim v15 &&
	fresh && head -c 8388608 /dev/zero | tr "\0" "\n" >>people/ari.md && git add -A &&
	c=$(commit_index_as ari "a long profile") && land "$c" &&
	sync_refused v15 "$c" ari@example.com "bytes; a document is at most"
'

test_expect_success 'a refused sync keeps the clone'\''s work, which syncs once the forgery is gone' '
	victim v16 &&
	fresh && sed -i "s/first week/a different story/" checkins/ari/2026-W47.md && git add -A &&
	c=$(commit_index_as bo "edit ari") && land "$c" &&
	sync_refused v16 "$c" bo@example.com "only ari writes" &&
	synced v16 && contains "$out" "pushed 1" &&
	test "$(git -C "$srv" rev-parse main)" = "$mine" &&
	git -C "$srv" cat-file -e "$mine:goals/ari/local.md"
'

# rewound_setup NAME: a clone NAME (its first commit dropped) brought up to
# date by a sync that fetched, and so verified, a legitimate change
# ($verified, the server's main it last saw); then a commit of its own
# ($mine), not pushed yet.
rewound_setup() {
	victim "$1" && (cd "$TEST_ROOT/$1" && git reset -q --hard HEAD^) &&
	fresh && printf "\nThe team meets on Mondays.\n" >>README.md && git add -A &&
	verified=$(commit_index_as lena "README: meetings") && land "$verified" &&
	synced "$1" && test "$(git -C "$TEST_ROOT/$1" rev-parse HEAD)" = "$verified" &&
	(cd "$TEST_ROOT/$1" && PERF_NOW=2026-11-30T10:00:00Z perf goal add "More local work in $1" --id more >/dev/null) &&
	mine=$(git -C "$TEST_ROOT/$1" rev-parse HEAD)
}

# sync_rewound NAME: perf sync exits 1 and says the remote was rewound; the
# clone is as it was.
sync_rewound() {
	state "$TEST_ROOT/$1" >"$TEST_ROOT/.state.before"
	(cd "$TEST_ROOT/$1" && perf sync >"$out" 2>"$err")
	_rc=$?
	git -C "$srv" update-ref refs/heads/main "$good"
	if test "$_rc" != 1; then
		echo "perf sync exited $_rc (not 1): it followed the rewound remote" >&2
		cat "$out" "$err" >&2
		return 1
	fi
	state "$TEST_ROOT/$1" >"$TEST_ROOT/.state.after"
	diff -u "$TEST_ROOT/.state.before" "$TEST_ROOT/.state.after" >&2 &&
		test "$(git -C "$TEST_ROOT/$1" rev-parse HEAD)" = "$mine" &&
		contains "$err" "rewound"
}

test_expect_success 'sync reports a remote rewound to an older commit, and does not follow it' '
	rewound_setup v17 && land "$good" &&
	sync_rewound v17
'

test_expect_success 'sync reports a remote rewound and rewritten, and does not follow it' '
	rewound_setup v18 &&
	fresh "$good" && PERF_NOW=2026-11-24T09:00:00Z as ari perf checkin -m "a quiet week" >/dev/null &&
	land HEAD && ! git merge-base --is-ancestor "$verified" HEAD &&
	sync_rewound v18
'

test_expect_success 'perf clone refuses a history with a forged commit and leaves no folder' '
	git -C "$srv" update-ref refs/heads/main "$good" &&
	fresh && sed -i "s/first week/a different story/" checkins/ari/2026-W47.md && git add -A &&
	c=$(commit_index_as bo "edit ari") && land "$c" &&
	perf clone "$srv" "$TEST_ROOT/cl1" >"$out" 2>"$err"; rc=$?
	git -C "$srv" update-ref refs/heads/main "$good"
	if test $rc = 0; then echo "clone was accepted: it checked out the forged history" >&2; false; fi &&
	test $rc = 1 && contains "$err" "refused" && test ! -e "$TEST_ROOT/cl1"
'

test_expect_success 'perf clone refuses a history with a forged merge and leaves no folder' '
	git -C "$srv" update-ref refs/heads/main "$good" &&
	fresh "$side" && git rm -q checkins/ari/2026-W47/*-lena.md &&
	m=$(merge_of ari "$good" "$side") && land "$m" &&
	perf clone "$srv" "$TEST_ROOT/cl2" >"$out" 2>"$err"; rc=$?
	git -C "$srv" update-ref refs/heads/main "$good"
	if test $rc = 0; then echo "clone was accepted: it checked out the forged history" >&2; false; fi &&
	test $rc = 1 && contains "$err" "refused" && test ! -e "$TEST_ROOT/cl2"
'

# --- legitimate work from other clones syncs ----------------------------------

test_expect_success '200 joins pushed with plain git sync' '
	victim v19 &&
	fresh && i=0 && while test $i -lt 200; do
		as "p$i" perf join --lead lena >/dev/null || exit 1
		i=$((i + 1))
	done &&
	test "$(git rev-list --count "$good"..HEAD)" = 200 && land HEAD &&
	synced v19 && contains "$out" "merged" &&
	test -f "$TEST_ROOT/v19/people/p199.md" &&
	test "$(git -C "$srv" rev-parse main)" = "$(git -C "$TEST_ROOT/v19" rev-parse HEAD)"
'

cd "$TEST_ROOT" || exit 1
as ari perf clone "$srv" ari1 >/dev/null 2>&1 && as ari perf clone "$srv" ari2 >/dev/null 2>&1 &&
	as lena perf clone "$srv" lena1 >/dev/null 2>&1 || exit 1
for d in ari1 ari2; do git -C $d config user.name "Ari Example" && git -C $d config user.email ari@example.com; done
git -C lena1 config user.name "Lena Example" && git -C lena1 config user.email lena@example.com

test_expect_success 'concurrent perf sync from two clones that both wrote: each verifies the other'\''s' '
	(cd ari1 && PERF_NOW=2026-12-01T09:00:00Z perf checkin -m "indexer merged" >/dev/null) &&
	(cd lena1 && PERF_NOW=2026-12-01T10:00:00Z perf reply goal:ari/ship -m "demo Friday?" >/dev/null) &&
	(cd ari1 && perf sync >"$out" 2>"$err") && contains "$out" "pushed 1" &&
	(cd lena1 && perf sync >"$out" 2>"$err") && contains "$out" "merged" &&
	test "$(git -C lena1 cat-file -p HEAD | grep -c "^parent")" = 2 &&
	(cd ari1 && perf sync >"$out" 2>"$err") &&
	test "$(git -C ari1 rev-parse HEAD)" = "$(git -C lena1 rev-parse HEAD)" &&
	test "$(git -C "$srv" rev-parse main)" = "$(git -C ari1 rev-parse HEAD)"
'

test_expect_success 'a field clash settled with perf resolve syncs to the other clones' '
	(cd ari2 && perf sync >/dev/null 2>&1) && field_clash_settled &&
	(cd ari1 && perf sync >"$out" 2>"$err") && (cd lena1 && perf sync >"$out" 2>"$err") &&
	contains ari1/goals/ari/ship.md "progress: 65" && contains lena1/goals/ari/ship.md "progress: 65" &&
	test "$(git -C lena1 rev-parse HEAD)" = "$(git -C "$srv" rev-parse main)"
'

test_expect_success 'a body clash settled with perf resolve syncs to the other clones' '
	body_clash_settled 2026-12-02 &&
	(cd ari1 && perf sync >"$out" 2>"$err") && (cd ari2 && perf sync >"$out" 2>"$err") &&
	test "$(git -C ari2 rev-parse HEAD)" = "$(git -C "$srv" rev-parse main)" &&
	perf -C ari2 verify --all && perf -C ari2 check
'

test_done
