#!/bin/bash
# Crash safety: writes (check-ins for past weeks, replies, goal progress)
# killed with SIGKILL at a random moment.  After every kill the repository
# must pass git fsck --strict, HEAD must name a complete commit, every write
# perf reported as done must be in HEAD, and no stray file may appear in the
# work tree.  A kill that leaves git's index.lock behind (perf holds it from
# before the commit until the index is written) must be reported by perf's
# next write, which then changes nothing; the suite follows perf's advice
# (remove the stale lock) and counts these.  If the work tree is still out of
# line with HEAD after that (the kill landed between the ref update and the
# work-tree rename), the suite counts it and carries on in a fresh clone
# rather than repairing the repository with git reset.
#
# Test builds (make SANITIZE=..., or -DPERF_TEST_BUILD) honour
# PERF_TEST_DELAY_AFTER_COMMIT, which widens that window; the suite passes
# with or without it.
. "$(dirname "$0")/lib.sh"

WRITES=${PERF_CRASH_WRITES:-210}
RANDOM=$$

perf init team --team Search >/dev/null 2>&1
cd team || exit 1
export PERF_NOW=2026-11-16T09:00:00Z
as lena perf join --role "Engineering lead" >/dev/null
as ari perf join --role Engineer --lead lena >/dev/null
as ari perf goal add "Ship search v2" --id ship >/dev/null
as ari perf checkin --week 2026-W10 -m "the week replies go to" >/dev/null

# How long one write takes here, to spread the kills over its whole run
# (a calibration, not an assertion).
span=1
for n in 1 2 3; do
	t0=$(date +%s%N)
	as ari perf goal set ship progress=$n >/dev/null
	t1=$(date +%s%N)
	ms=$(((t1 - t0) / 1000000))
	test $ms -gt $span && span=$ms
done
span=$((span * 13 / 10 + 5))

attempted=0 killed=0 completed=0 reported=0 dirty=0 stale_lock=0 tmp_left=0 generation=1
lost=$TEST_ROOT/lost
stray=$TEST_ROOT/stray
unreported=$TEST_ROOT/unreported
dirtylog=$TEST_ROOT/dirty
: >"$lost" ; : >"$stray" ; : >"$unreported" ; : >"$dirtylog"

# week I: a past ISO week, 2025-W01 .. 2026-W46, cycling.
week_of() {
	_n=$(($1 % 98))
	if test $_n -lt 52; then printf '2025-W%02d' $((_n + 1)); else printf '2026-W%02d' $((_n - 51)); fi
}

# count_tmp: leftovers in .git/perf/tmp of the current repository.
count_tmp() {
	find .git/perf/tmp -type f 2>/dev/null | wc -l
}

# Starts every write from a clean, unlocked repository; checks after each.
test_expect_here "$WRITES writes killed at random moments keep the repository sound" '
	i=0
	while test $i -lt $WRITES; do
		i=$((i + 1))
		kind=$((i % 3))
		msg="crash write $i $RANDOM"
		case $kind in
		0) args=(checkin --week "$(week_of $i)" -m "$msg") ;;
		1) args=(reply checkins/ari/2026-W10.md -m "$msg") ;;
		2) prog=$((i % 101)); args=(goal set ship progress=$prog) ;;
		esac
		attempted=$((attempted + 1))
		# exec, so that $! is perf itself and the kill lands on it.
		(export PERF_TEST_DELAY_AFTER_COMMIT=$((RANDOM % 20)) GIT_AUTHOR_NAME="Ari Example" \
			GIT_AUTHOR_EMAIL=ari@example.com GIT_COMMITTER_NAME="Ari Example" GIT_COMMITTER_EMAIL=ari@example.com
		 exec "$PERF_BIN" "${args[@]}") >"$out" 2>"$err" &
		pid=$!
		ms=$((RANDOM % span))
		sleep "$((ms / 1000)).$(printf %03d $((ms % 1000)))"
		if kill -9 $pid 2>/dev/null; then killed=$((killed + 1)); else completed=$((completed + 1)); fi
		wait $pid 2>/dev/null
		# The object store and HEAD are whole.
		git fsck --strict --no-progress >"$TEST_ROOT/.fsck" 2>&1 || { echo "write $i (${args[*]}): fsck" >>"$lost"; cat "$TEST_ROOT/.fsck" >>"$lost"; }
		git cat-file -e "HEAD^{tree}" || echo "write $i (${args[*]}): HEAD has no tree" >>"$lost"
		# Whatever perf reported as done is in HEAD.
		case $kind in
		0) if grep -q "^checkin: ari " "$out"; then
			reported=$((reported + 1))
			git show "HEAD:checkins/ari/$(week_of $i).md" 2>/dev/null | grep -qF "$msg" ||
				echo "write $i (${args[*]}): reported but not in HEAD" >>"$lost"
		   fi ;;
		1) if grep -q "^replied to " "$out"; then
			reported=$((reported + 1))
			p=$(sed -n "s/^replied to .* (\(.*\))$/\1/p" "$out")
			git show "HEAD:$p" 2>/dev/null | grep -qF "$msg" ||
				echo "write $i (${args[*]}): reported but not in HEAD ($p)" >>"$lost"
		   fi ;;
		2) if grep -q "^goal: ship progress " "$out"; then
			reported=$((reported + 1))
			git show HEAD:goals/ari/ship.md | grep -qx "progress: $prog" ||
				echo "write $i (${args[*]}): reported but not in HEAD" >>"$lost"
		   fi ;;
		esac
		# No stray file in the work tree, tracked or ignored.
		git status --porcelain --ignored --untracked-files=all >"$TEST_ROOT/.st"
		grep "^\(??\|!!\)" "$TEST_ROOT/.st" | sed "s/^/write $i: /" >>"$stray"
		# Lock files of git (the index, the branch ref) left by the kill.
		for lock in .git/index.lock .git/refs/heads/main.lock .git/HEAD.lock; do
			test -e $lock || continue
			stale_lock=$((stale_lock + 1))
			echo "write $i: stale $lock" >>"$TEST_ROOT/locks"
			# perf reports the stale lock, naming it, and changes nothing.
			before=$(snapshot .)
			if as ari "$PERF_BIN" goal set ship progress=100 >/dev/null 2>"$err" ||
			   ! grep -q "${lock##*/}" "$err" || ! unchanged . "$before" 2>/dev/null; then
				echo "write $i (${args[*]}): a stale $lock was not reported" >>"$unreported"
			fi
			rm -f $lock # as the message advises
		done
		if test -n "$(git status --porcelain --untracked-files=all)"; then
			dirty=$((dirty + 1))
			{ echo "write $i (${args[*]}) generation $generation:"; git status --porcelain --untracked-files=all; } >>"$dirtylog"
			# Carry on in a fresh clone of HEAD; the old one stays as it was.
			tmp_left=$((tmp_left + $(count_tmp)))
			generation=$((generation + 1))
			cd .. && git clone -q team "team.$generation" && cd "team.$generation" || return 1
		fi
	done
	tmp_left=$((tmp_left + $(count_tmp)))
	true
'

test_expect_success 'no write reported as done was lost; fsck and HEAD stayed whole' '
	cat "$lost" >&2; test ! -s "$lost"
'

# Known: a kill after HEAD moved and before the work tree and index follow
# leaves them out of line (untracked files where HEAD has them); perf does
# not yet finish such an interrupted write on its next run.
test_known_breakage 'no stray file appeared in the work tree' '
	cat "$stray" >&2; test ! -s "$stray"
'

test_expect_success 'every stale lock file was reported by the next write, which changed nothing' '
	cat "$unreported" >&2; test ! -s "$unreported"
'

test_expect_success 'a write after all that lands and leaves the repository clean' '
	as ari perf checkin --week 2026-W46 -m "after the storm" >"$out" &&
	contains "$out" "checkin: ari 2026-W46" &&
	repo_clean .
'

echo "# kills spread over 0-$span ms (1.3 x the slowest of three timed writes)"
echo "# writes attempted: $attempted, killed: $killed, completed before the kill: $completed, reported done: $reported"
echo "# found dirty afterwards: $dirty (work tree out of line with HEAD), stale git lock files: $stale_lock, leftovers in .git/perf/tmp: $tmp_left, clones used: $generation"
sed 's/^/#   dirty: /' "$dirtylog" | head -20
test -f "$TEST_ROOT/locks" && awk '{print $NF}' "$TEST_ROOT/locks" | sort | uniq -c | sed 's/^/#   stale: /'

test_done
