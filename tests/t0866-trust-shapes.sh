#!/bin/sh
# The newer rules (a retro is only added to; only a supporter marks their
# support given; only a person's lead or a maintainer moves them) against
# every shape of hand-made history, not only a plain child commit: a merge
# whose tree neither parent has, a new root merged in, a root pushed to
# another branch, and the same forgery landed on an open server and met by
# a syncing clone.  Each forgery is one a plain commit would also make,
# so a rule that only looks at single-parent commits fails here.
. "$(dirname "$0")/lib.sh"
. "$PERF_SRC/tests/lib-trust.sh"

at 2026-12-01T09:00:00Z
guarded_server || exit 1
git init -q --bare open.git
open=$TEST_ROOT/open.git
(team_fixture --dir seed ari bo dee &&
	as ari perf goal add "Ship ranking v2" --id ranking --support @lena:"reviews the design doc" >/dev/null &&
	as ari perf retro add --title "Sprint 48" --went-well "pairing on ranking" >/dev/null &&
	as bo perf retro add --went-well "bo: the new CI" --to-change "fewer status meetings" >/dev/null &&
	git remote add origin "$srv" && git push -q origin main &&
	git push -q "$open" main) || exit 1
good=$(git -C open.git rev-parse main)
attacker_clone att || exit 1

# The three forgeries, each a change to the work tree; the reason the hook
# gives for it.
retro=retros/2026-12-01.md
forge_retro() { sed -i "/bo: the new CI/d" $retro; }
why_retro="removes what others wrote"
forge_support() { sed -i "/what: reviews the design doc/a\\    given: 2026-12-01" goals/ari/ranking.md; }
why_support="only lena marks the support they gave"
forge_lead() { set_field people/dee.md lead bo; }
why_lead="changes dee's lead"

# the forger of each: ari for her retro and her goal; dee for herself.
by_retro=ari by_support=ari by_lead=dee

test_expect_success 'each forgery, as a plain commit, is refused (the rules hold at all)' '
	for f in retro support lead; do
		eval "who=\$by_$f why=\$why_$f" &&
		fresh && forge_$f && commit_as $who "edit" >/dev/null &&
		push_refused "$why" || return 1
	done
'

# A harmless commit of the forger's own on top of REV (default: the
# server's main): ari's goal retitled, or a check-in of dee's, each time
# anew (LABEL); the merges below join it to main with a tree that also
# carries the forgery, a change neither parent made.
side_commit() {
	fresh "${3:-origin/main}" &&
	if test "$1" = dee; then
		mkdir -p checkins/dee &&
		printf -- "---\nkind: checkin\nperson: dee\nweek: 2026-W49\nmood: 4\n---\n\n## Learned\n\n%s\n" "$2" \
			>checkins/dee/2026-W49.md
	else
		sed -i "s/^title: .*/title: Ship ranking v2 ($2)/" goals/ari/ranking.md
	fi &&
	commit_as "$1" "side: $1" >/dev/null && git rev-parse HEAD
}

test_expect_success 'the harmless side commits pass on their own' '
	side_commit ari first >/dev/null && pushed &&
	side_commit dee first >/dev/null && pushed
'

test_expect_success 'a merge of main and a harmless commit, whose tree carries the forgery, is refused' '
	for f in retro support lead; do
		eval "who=\$by_$f why=\$why_$f" &&
		side=$(side_commit $who "merge $f") &&
		git checkout -q -f --detach origin/main && git read-tree -u --reset "$side" &&
		forge_$f && git add -A &&
		m=$(merge_of $who origin/main "$side") && git checkout -q -f --detach "$m" &&
		push_refused "$why" || return 1
	done
'

test_expect_success 'a merge whose forged side is the first parent, main the second, is refused' '
	for f in retro support lead; do
		eval "who=\$by_$f why=\$why_$f" &&
		fresh && forge_$f && c=$(commit_as $who "forged") && fresh &&
		git read-tree -u --reset "$c" && m=$(merge_of $who "$c" origin/main) &&
		git checkout -q -f --detach "$m" &&
		push_refused "$why" || return 1
	done
'

test_expect_success 'a new root with the forged tree, merged into main, is refused' '
	for f in retro support lead; do
		eval "who=\$by_$f" && why="a commit with no parent (a new root) is refused" &&
		fresh && forge_$f && git add -A && tree=$(git write-tree) &&
		root=$(as $who git commit-tree "$tree" -m "a new start") &&
		m=$(as $who git commit-tree "$tree" -p origin/main -p "$root" -m "Merge the new start") &&
		git checkout -q -f --detach "$m" &&
		push_refused "$why" || return 1
	done
'

test_expect_success 'the forged root alone, pushed to main or to another branch, is refused' '
	for f in retro support lead; do
		eval "who=\$by_$f" && why="a new root" &&
		fresh && forge_$f && git add -A && tree=$(git write-tree) &&
		root=$(as $who git commit-tree "$tree" -m "a new start") &&
		git checkout -q -f --detach "$root" &&
		! git push -q origin "$root:refs/heads/main" 2>/dev/null &&
		push_refused "" origin "$root:refs/heads/forged-$f" || return 1
	done
'

# The same forgeries on a server that checks nothing: a clone that runs
# perf sync refuses them, names the commit and its author, and keeps its
# own work.
test_expect_success 'a syncing clone refuses each forgery merged in with a divergent tree' '
	for f in retro support lead; do
		eval "who=\$by_$f why=\$why_$f" &&
		git fetch -q "$open" main && base=$(git rev-parse FETCH_HEAD) &&
		side=$(side_commit $who "open $f" $base) &&
		git checkout -q -f --detach $base && git read-tree -u --reset "$side" &&
		forge_$f && git add -A &&
		m=$(merge_of $who $base "$side") &&
		victim v-$f &&
		git push -q -f "$open" "$m:refs/heads/main" &&
		case $who in ari) email=ari@example.com ;; dee) email=dee@example.com ;; esac &&
		sync_refused v-$f "$m" "$email" "$why" || return 1
	done
'

test_expect_success 'a syncing clone refuses a forged root merged into main' '
	git fetch -q "$open" main && git checkout -q -f --detach FETCH_HEAD && git clean -qfdx &&
	forge_retro && git add -A && tree=$(git write-tree) &&
	root=$(as ari git commit-tree "$tree" -m "a new start") &&
	m=$(as ari git commit-tree "$tree" -p FETCH_HEAD -p "$root" -m "Merge the new start") &&
	victim v-root &&
	git push -q -f "$open" "$m:refs/heads/main" &&
	sync_refused v-root "$root" ari@example.com "a new root"
'

test_done
