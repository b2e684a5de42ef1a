#!/bin/sh
# perf log's index of commits (.git/perf/cache/log-v2): what perf log shows
# through it equals what it shows with none, after perf's commits, plain-git
# commits, merges from sync, a commit too large to index, a damaged or
# foreign index and a shallow clone; the commits and their order are git's
# (git log --date-order, and for one document --full-history --no-merges).
. "$(dirname "$0")/lib.sh"

cache=.git/perf/cache
index=$cache/log-v2

git init -q --bare srv/team.git
PERF_NOW=2026-11-02T09:00:00Z perf init ari --team Search >/dev/null 2>&1
(cd ari && PERF_NOW=2026-11-02T09:01:00Z as lena perf join --role Lead >/dev/null &&
	PERF_NOW=2026-11-02T09:02:00Z as ari perf join --lead lena >/dev/null &&
	PERF_NOW=2026-11-02T10:00:00Z as ari perf goal add "Ship search v2" --id ship >/dev/null &&
	git remote add origin "$TEST_ROOT/srv/team.git" && git push -q origin main) || exit 1
as lena perf clone "$TEST_ROOT/srv/team.git" lena >/dev/null 2>&1 || exit 1

# Two people write at once, and sync: the history gains merges.
week=0
for day in 03 04 05 06 09 10; do
	week=$((week + 10))
	(cd ari && PERF_NOW=2026-11-${day}T09:00:00Z as ari perf checkin --goal ship=$week -m "day $day" >/dev/null &&
		PERF_NOW=2026-11-${day}T09:30:00Z as ari perf sync >/dev/null 2>&1) || exit 1
	(cd lena && PERF_NOW=2026-11-${day}T10:00:00Z as lena perf reply goal:ari/ship -m "seen on $day" >/dev/null &&
		PERF_NOW=2026-11-${day}T10:30:00Z as lena perf checkin -m "lead notes $day" >/dev/null &&
		PERF_NOW=2026-11-${day}T11:00:00Z as lena perf sync >/dev/null 2>&1) || exit 1
done
(cd ari && PERF_NOW=2026-11-11T09:00:00Z as ari perf sync >/dev/null 2>&1) || exit 1
cd ari

# ids FILE: the commit ids of a perf --json log, one per line.
ids() {
	python3 -c "import json, sys; print(''.join(e['commit'] + '\n' for e in json.load(open(sys.argv[1]))), end='')" "$1"
}

# cold NAME ARGS...: perf log ARGS with no index (removed before and after).
cold() {
	_q=$1
	shift
	rm -rf $cache && as ari perf "$@" >"$TEST_ROOT/$_q.cold" && rm -rf $cache
}

# same_warm NAME ARGS...: perf log ARGS through a built index equals the cold output.
same_warm() {
	_q=$1
	shift
	as ari perf "$@" >"$TEST_ROOT/$_q.warm" && test -f $index &&
		cmp "$TEST_ROOT/$_q.cold" "$TEST_ROOT/$_q.warm"
}

queries='all:log
goal:log goal:ari/ship
checkin:log checkin:ari/2026-W45
lead:log checkin:lena/2026-W46
since:log --since 2026-11-06
author:log --author lena
count:log -n 4
json:--json log
jsongoal:--json log goal:ari/ship'

test_expect_success 'the history has merges, so the order is not merely linear' '
	test "$(git rev-list --merges HEAD | wc -l)" -ge 3
'

test_expect_success 'perf log writes its index in .git/perf/cache, never in the work tree or a commit' '
	rm -rf $cache &&
	as ari perf log >"$out" 2>"$err" &&
	test ! -s "$err" &&
	test -f $index &&
	test -z "$(git status --porcelain)" &&
	! git ls-tree -r --name-only HEAD | grep -q log-v2
'

test_expect_success 'every query says the same with no index, a fresh one and a kept one' '
	printf "%s\n" "$queries" | while IFS=: read -r name args; do
		cold "$name" $args &&
		same_warm "$name" $args &&
		same_warm "$name" $args || { echo "differs: perf $args" >&2; return 1; }
	done
'

test_expect_success 'the whole history is in the order of git log --date-order' '
	as ari perf --json log >"$out" &&
	ids "$out" >"$TEST_ROOT/perf-ids" &&
	git log --date-order --format=%H >"$TEST_ROOT/git-ids" &&
	diff -u "$TEST_ROOT/git-ids" "$TEST_ROOT/perf-ids"
'

# git_ids PATH: the commits git lists for a document and its thread.
git_ids() {
	git log --full-history --no-merges --date-order --format=%H -- "$1" "${1%.md}/"
}

test_expect_success 'a document lists the commits git log --full-history --no-merges lists, in order' '
	for doc in goals/ari/ship.md checkins/ari/2026-W45.md checkins/lena/2026-W46.md; do
		as ari perf --json log "$doc" >"$out" &&
		ids "$out" >"$TEST_ROOT/perf-ids" &&
		git_ids "$doc" >"$TEST_ROOT/git-ids" &&
		test -s "$TEST_ROOT/git-ids" &&
		diff -u "$TEST_ROOT/git-ids" "$TEST_ROOT/perf-ids" || return 1
	done
'

test_expect_success 'commits made since, by perf and by plain git, are read and added' '
	as ari perf log goal:ari/ship >/dev/null &&
	PERF_NOW=2026-11-12T09:00:00Z as ari perf checkin --goal ship=80 -m "nearly there" >/dev/null &&
	sed "s/^progress: .*/progress: 85/" goals/ari/ship.md >"$TEST_ROOT/g" && cp "$TEST_ROOT/g" goals/ari/ship.md &&
	GIT_AUTHOR_DATE=2026-11-12T12:00:00Z GIT_COMMITTER_DATE=2026-11-12T12:00:00Z \
		as bo git commit -q -am "Bump ship by hand" &&
	as ari perf log goal:ari/ship >"$TEST_ROOT/new.warm" &&
	cold new log goal:ari/ship &&
	diff -u "$TEST_ROOT/new.cold" "$TEST_ROOT/new.warm" &&
	head -n 2 "$TEST_ROOT/new.warm" >"$out" &&
	contains "$out" "Bump ship by hand" &&
	contains "$out" "progress 60 → 80"
'

test_expect_success 'a commit too large to index (over 512 files) is still compared and listed' '
	mkdir -p goals/ari/ship bulk &&
	i=0 && while test $i -lt 600; do echo "x $i" >bulk/f$i.txt; i=$((i + 1)); done &&
	printf -- "---\nkind: reply\nauthor: bo\nto: goals/ari/ship.md\nat: 2026-11-13T09:00:00Z\n---\nbulk\n" \
		>goals/ari/ship/20261113T090000Z-bo.md &&
	git add -A &&
	GIT_AUTHOR_DATE=2026-11-13T09:00:00Z GIT_COMMITTER_DATE=2026-11-13T09:00:00Z \
		as bo git commit -q -m "Import 600 files and a reply" &&
	GIT_AUTHOR_DATE=2026-11-13T10:00:00Z GIT_COMMITTER_DATE=2026-11-13T10:00:00Z \
		as bo git rm -q -r bulk && as bo git commit -q -m "Remove the import" &&
	for pass in cold warm; do
		as ari perf --json log goal:ari/ship >"$out" &&
		ids "$out" >"$TEST_ROOT/perf-ids" &&
		git_ids goals/ari/ship.md >"$TEST_ROOT/git-ids" &&
		diff -u "$TEST_ROOT/git-ids" "$TEST_ROOT/perf-ids" &&
		test "$(head -n 1 "$TEST_ROOT/perf-ids")" = "$(git rev-parse HEAD~1)" || return 1
	done
'

test_expect_success 'a damaged or foreign index is ignored and rebuilt: truncated, empty, garbage, flipped, another version' '
	cold damaged log goal:ari/ship &&
	as ari perf log goal:ari/ship >/dev/null &&
	cp $index "$TEST_ROOT/good.index" &&
	for how in truncated empty garbage flipped version; do
		cp "$TEST_ROOT/good.index" $index &&
		damage $index $how &&
		as ari perf log goal:ari/ship >"$out" 2>"$err" &&
		test ! -s "$err" &&
		diff -u "$TEST_ROOT/damaged.cold" "$out" &&
		cmp $index "$TEST_ROOT/good.index" || { echo "failed with a $how index" >&2; return 1; }
	done
'

test_expect_success 'an index that cannot be written does not fail perf log' '
	rm -rf $cache &&
	echo "not a folder" >$cache &&
	as ari perf log goal:ari/ship >"$out" 2>"$err" &&
	test ! -s "$err" &&
	diff -u "$TEST_ROOT/damaged.cold" "$out" &&
	test "$(cat $cache)" = "not a folder" &&
	rm $cache
'

test_expect_success 'two perf log at once on no index both succeed with the same output' '
	rm -rf $cache
	as ari perf log goal:ari/ship >"$TEST_ROOT/p1" 2>"$TEST_ROOT/p1.err" &
	pid1=$!
	as ari perf log goal:ari/ship >"$TEST_ROOT/p2" 2>"$TEST_ROOT/p2.err" &
	pid2=$!
	wait $pid1 && wait $pid2 &&
	test ! -s "$TEST_ROOT/p1.err" && test ! -s "$TEST_ROOT/p2.err" &&
	diff -u "$TEST_ROOT/damaged.cold" "$TEST_ROOT/p1" &&
	diff -u "$TEST_ROOT/damaged.cold" "$TEST_ROOT/p2" &&
	test "$(ls $cache)" = log-v2
'

test_expect_success 'a shallow clone shows the history it has' '
	cd "$TEST_ROOT" &&
	git -C ari push -q origin HEAD:main &&
	git clone -q --depth 3 "file://$TEST_ROOT/srv/team.git" shallow &&
	cd shallow &&
	as ari perf --json log >"$out" 2>"$err" &&
	ids "$out" >"$TEST_ROOT/perf-ids" &&
	git log --date-order --format=%H >"$TEST_ROOT/git-ids" &&
	diff -u "$TEST_ROOT/git-ids" "$TEST_ROOT/perf-ids" &&
	test "$(wc -l <"$TEST_ROOT/perf-ids")" = 3 &&
	as ari perf --json log goal:ari/ship >"$out" &&
	ids "$out" >"$TEST_ROOT/perf-ids" &&
	git_ids goals/ari/ship.md >"$TEST_ROOT/git-ids" &&
	diff -u "$TEST_ROOT/git-ids" "$TEST_ROOT/perf-ids"
'

test_done
