#!/bin/bash
# Crash safety: writes (check-ins for past weeks, replies, goal progress)
# killed with SIGKILL at a random moment.  After every kill the repository
# must pass git fsck --strict, HEAD must name a complete commit, and every
# write perf reported as done must be in HEAD.  Whatever the kill left
# behind (perf's record of the write in .git/perf/pending, git's index.lock
# or the branch's lock, temporary files, a work tree and index behind HEAD)
# the next write must finish (when the branch had moved) or clean up (when
# it had not), say so on stderr, and land, leaving no stray file.  The one
# thing perf cannot prove its own is an index.lock taken in the moment
# before it recorded the write: the next write must then name the lock and
# change nothing; the suite follows the advice (removes the lock) and counts
# these.
#
# Test builds (make SANITIZE=..., or -DPERF_TEST_BUILD) honour
# PERF_TEST_DELAY_BEFORE_COMMIT and PERF_TEST_DELAY_AFTER_COMMIT, which widen
# the windows before and after the branch moves; the suite passes with or
# without them.
. "$(dirname "$0")/lib.sh"

WRITES=${PERF_CRASH_WRITES:-210}
RANDOM=$$

team_fixture --now 2026-11-16T09:00:00Z --no-admit ari || exit 1
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

attempted=0 killed=0 completed=0 reported=0 dirty=0 stale_lock=0 leftovers=0 repaired=0 generation=1
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
		(export PERF_TEST_DELAY_AFTER_COMMIT=$((RANDOM % 2 * (RANDOM % 20))) \
			PERF_TEST_DELAY_BEFORE_COMMIT=$((RANDOM % 2 * (RANDOM % 20))) GIT_AUTHOR_NAME="Ari Example" \
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
		# Whatever the kill left (a record of the write in .git/perf/pending,
		# git lock files, temporary files, a work tree behind HEAD), the next
		# write finishes or cleans up, says so, and lands.
		left=""
		for f in .git/index.lock .git/refs/heads/main.lock .git/HEAD.lock .git/perf/pending; do
			test -e $f && left="$left ${f#.git/}"
		done
		test "$(count_tmp)" -gt 0 && left="$left tmp"
		test -n "$(git status --porcelain --untracked-files=all)" && left="$left work-tree"
		if test -n "$left"; then
			leftovers=$((leftovers + 1))
			echo "write $i:$left" >>"$TEST_ROOT/leftovers"
			had_record=no
			test -e .git/perf/pending && had_record=yes
			before=$(snapshot .)
			if as ari "$PERF_BIN" reply checkins/ari/2026-W10.md -m "after kill $i" >/dev/null 2>"$err"; then
				repaired=$((repaired + 1))
				if test $had_record = yes && ! grep -q "^perf: \(finished\|cleaned up\)" "$err"; then
					echo "write $i:$left: repaired without saying so" >>"$unreported"
				fi
			elif test $had_record = no && test -e .git/index.lock && grep -q "index.lock" "$err" &&
			     unchanged . "$before" 2>/dev/null; then
				# Killed between taking the index lock and recording the write: the
				# lock is not provably one perf left, so perf names it and changes nothing.
				stale_lock=$((stale_lock + 1))
				rm -f .git/index.lock # as the message advises
			else
				{ echo "write $i:$left: the next write failed:"; cat "$err"; } >>"$unreported"
			fi
		fi
		# Nothing stray remains: no untracked or ignored file, no lock, no
		# temporary file, and the work tree and index agree with HEAD.
		git status --porcelain --ignored --untracked-files=all >"$TEST_ROOT/.st"
		sed "s/^/write $i: /" "$TEST_ROOT/.st" >>"$stray"
		for f in .git/index.lock .git/refs/heads/main.lock .git/HEAD.lock .git/perf/pending; do
			test -e $f && echo "write $i: $f remains" >>"$stray"
		done
		test "$(count_tmp)" -gt 0 && echo "write $i: temporary files remain in .git/perf/tmp" >>"$stray"
		if test -n "$(git status --porcelain --untracked-files=all)" || test -e .git/perf/pending; then
			dirty=$((dirty + 1))
			{ echo "write $i (${args[*]}) generation $generation:"; git status --porcelain --untracked-files=all; } >>"$dirtylog"
			# Carry on in a fresh clone of HEAD; the old one stays as it was.
			generation=$((generation + 1))
			cd .. && git clone -q team "team.$generation" && cd "team.$generation" || return 1
		fi
	done
	true
'

test_expect_success 'no write reported as done was lost; fsck and HEAD stayed whole' '
	cat "$lost" >&2; test ! -s "$lost"
'

test_expect_success 'after every kill the next write left no stray file, lock or temporary file' '
	cat "$stray" >&2; test ! -s "$stray"
'

test_expect_success 'the next write finished or cleaned up every interrupted write, said so, and landed' '
	cat "$unreported" >&2; test ! -s "$unreported"
'

test_expect_success 'the work tree was never left out of line with HEAD' '
	cat "$dirtylog" >&2; test ! -s "$dirtylog"
'

test_expect_success 'a write after all that lands and leaves the repository clean' '
	as ari perf checkin --week 2026-W46 -m "after the storm" >"$out" &&
	contains "$out" "checkin: ari 2026-W46" &&
	repo_clean .
'

echo "# kills spread over 0-$span ms (1.3 x the slowest of three timed writes)"
echo "# writes attempted: $attempted, killed: $killed, completed before the kill: $completed, reported done: $reported"
echo "# kills that left something behind: $leftovers; the next write repaired $repaired of them; stale index.lock outside perf's record (named, then removed as advised): $stale_lock; still dirty after the next write: $dirty"
test -f "$TEST_ROOT/leftovers" && sed 's/^write [0-9]*: *//' "$TEST_ROOT/leftovers" | sort | uniq -c | sed 's/^/#   left behind: /'

test_done
