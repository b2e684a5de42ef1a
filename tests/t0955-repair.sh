#!/bin/bash
# Interrupted writes, made by hand: the states a write killed at each step
# leaves behind (perf's record in .git/perf/pending, git's index.lock, the
# branch's lock, temporary files, a work tree and index behind HEAD), and
# what the next write does with each.  The record's format is the one
# perf-format(5) describes.
. "$(dirname "$0")/lib.sh"

export PERF_NOW=2026-11-16T09:00:00Z
team_fixture --no-admit ari || exit 1
as ari perf goal add "Ship search v2" --id ship >/dev/null
as ari perf checkin --week 2026-W45 -m "the week replies go to" >/dev/null

# record PHASE OLD NEW PATH...: what perf writes before the branch moves.
record() {
	_phase=$1 _old=$2 _new=$3
	shift 3
	{
		echo "perf-pending 1"
		echo "phase $_phase"
		echo "old $_old"
		test "$_phase" = commit && echo "new $_new"
		if test -e .git/index.lock; then
			echo "index-lock $(stat -c '%d %i' .git/index.lock)"
		else
			echo "index-lock 0 0"
		fi
		echo "subject checkin: ari 2026-W46"
		for p in "$@"; do echo "path $p"; done
	} >.git/perf/pending
}

# behind: the last commit stays, but the index and work tree go back to its
# parent, as when perf is killed after the branch moved: what the next
# write must finish.
behind() {
	git read-tree HEAD~1 &&
	for p in "$@"; do
		if git cat-file -e "HEAD~1:$p" 2>/dev/null; then
			git show "HEAD~1:$p" >"$p"
		else
			rm -f "$p"
		fi
	done
}

no_leftovers() {
	for f in .git/perf/pending .git/index.lock .git/refs/heads/main.lock; do
		if test -e $f; then echo "$f remains" >&2; return 1; fi
	done
	if test -n "$(ls .git/perf/tmp 2>/dev/null)"; then echo "temporary files remain" >&2; return 1; fi
	repo_clean .
}

test_expect_success 'killed after the branch moved: the next write finishes it, says so, and lands' '
	as ari perf checkin --week 2026-W46 -m "killed before the work tree" >/dev/null &&
	new=$(git rev-parse HEAD) && old=$(git rev-parse HEAD~1) &&
	behind checkins/ari/2026-W46.md &&
	touch .git/index.lock && record commit "$old" "$new" checkins/ari/2026-W46.md &&
	mkdir -p .git/perf/tmp && echo half >.git/perf/tmp/write-AbC123 &&
	test -n "$(git status --porcelain)" &&
	as ari perf reply checkins/ari/2026-W45.md -m "next write" >"$out" 2>"$err" &&
	contains "$err" "perf: finished a write that was interrupted after it committed (${new:0:12} checkin: ari 2026-W46): 1 file and the index brought in line with HEAD" &&
	contains "$out" "replied to" &&
	test "$(git rev-parse HEAD~1)" = "$new" &&
	grep -q "killed before the work tree" checkins/ari/2026-W46.md &&
	no_leftovers
'

test_expect_success 'killed after the commit, a changed file is brought in line too' '
	as ari perf goal set ship progress=40 >/dev/null &&
	new=$(git rev-parse HEAD) && old=$(git rev-parse HEAD~1) &&
	behind goals/ari/ship.md &&
	grep -qx "progress: 0" goals/ari/ship.md &&
	touch .git/index.lock && record commit "$old" "$new" goals/ari/ship.md &&
	as ari perf reply checkins/ari/2026-W45.md -m "again" >/dev/null 2>"$err" &&
	contains "$err" "1 file and the index brought in line with HEAD" &&
	grep -qx "progress: 40" goals/ari/ship.md &&
	no_leftovers
'

test_expect_success 'what someone changed since is left as it is, and named' '
	as ari perf goal set ship progress=50 >/dev/null &&
	new=$(git rev-parse HEAD) && old=$(git rev-parse HEAD~1) &&
	behind goals/ari/ship.md &&
	echo "my own words, not perf" >goals/ari/ship.md &&
	record commit "$old" "$new" goals/ari/ship.md &&
	as ari perf reply checkins/ari/2026-W45.md -m "third" >/dev/null 2>"$err" &&
	contains "$err" "perf: left '\''goals/ari/ship.md'\'' as it is: it has changes of its own" &&
	test "$(cat goals/ari/ship.md)" = "my own words, not perf" &&
	git status --porcelain >"$out" && contains "$out" " M goals/ari/ship.md" &&
	test ! -e .git/perf/pending &&
	git checkout -- goals/ari/ship.md && no_leftovers
'

test_expect_success 'killed before the branch moved: the next write cleans up, keeps nothing of it, and lands' '
	old=$(git rev-parse HEAD) &&
	touch .git/index.lock && record prepare "$old" "" checkins/ari/2026-W46.md &&
	mkdir -p .git/perf/tmp && echo half >.git/perf/tmp/write-XyZ789 &&
	as ari perf reply checkins/ari/2026-W45.md -m "after the clean-up" >"$out" 2>"$err" &&
	contains "$err" "perf: cleaned up after a write that was interrupted before it committed (checkin: ari 2026-W46); nothing of it was kept" &&
	test "$(git rev-parse HEAD~1)" = "$old" &&
	no_leftovers
'

test_expect_success 'killed while the branch was moving: its lock file is removed with the record' '
	old=$(git rev-parse HEAD) &&
	fake=$(git commit-tree -p HEAD -m "checkin: ari 2026-W46" "HEAD^{tree}") &&
	touch .git/index.lock && record commit "$old" "$fake" checkins/ari/2026-W46.md &&
	echo "$fake" >.git/refs/heads/main.lock &&
	as ari perf reply checkins/ari/2026-W45.md -m "after the ref lock" >/dev/null 2>"$err" &&
	contains "$err" "perf: cleaned up after a write that was interrupted before it committed" &&
	test "$(git rev-parse HEAD~1)" = "$old" &&
	no_leftovers
'

test_expect_success 'an index.lock that is not the one perf recorded is named and kept; nothing is committed' '
	old=$(git rev-parse HEAD) &&
	record prepare "$old" "" checkins/ari/2026-W46.md &&
	touch .git/index.lock &&
	as ari expect_fail 1 perf reply checkins/ari/2026-W45.md -m "blocked" 2>"$err" &&
	contains "$err" ".git/index.lock" &&
	test -e .git/index.lock && test "$(git rev-parse HEAD)" = "$old" &&
	rm .git/index.lock && no_leftovers
'

test_expect_success 'a stale index.lock and no record: named, and nothing changes' '
	touch .git/index.lock &&
	before=$(snapshot .) &&
	as ari expect_fail 1 perf goal set ship progress=60 2>"$err" &&
	contains "$err" "index.lock" && contains "$err" "remove that file" &&
	unchanged . "$before" &&
	rm .git/index.lock
'

test_expect_success 'a record perf cannot read is reported and removed; the write lands' '
	printf "not a record\n" >.git/perf/pending &&
	as ari perf goal set ship progress=70 >"$out" 2>"$err" &&
	contains "$err" "is not a record perf can read; removed it" &&
	contains "$out" "progress 50 → 70" &&
	no_leftovers
'

test_expect_success 'reads never touch a pending record; the next write does' '
	as ari perf goal set ship progress=80 >/dev/null &&
	new=$(git rev-parse HEAD) && old=$(git rev-parse HEAD~1) &&
	behind goals/ari/ship.md &&
	record commit "$old" "$new" goals/ari/ship.md &&
	as ari perf goal show ship >"$out" 2>"$err" && contains "$out" "80" &&
	test -e .git/perf/pending &&
	as ari perf status >/dev/null 2>&1; test -e .git/perf/pending &&
	as ari perf goal set ship progress=90 >/dev/null 2>"$err" &&
	contains "$err" "perf: finished a write" &&
	grep -qx "progress: 90" goals/ari/ship.md && no_leftovers
'

test_done
