#!/bin/bash
# Concurrency: two and then eight perf processes write into one repository
# at once, each 100 documents (PERF_CONCURRENCY_WRITES=N for another size;
# 8 x 100 took over 2 minutes on a loaded machine).
# Every write must land exactly once: as many new files and as many new
# commits as writes, each text once, git fsck --strict and git status clean.
. "$(dirname "$0")/lib.sh"

N=${PERF_CONCURRENCY_WRITES:-100}
PEOPLE="ari bo cy dee eve fay gus hal"

team_fixture --now 2026-11-16T09:00:00Z $PEOPLE || exit 1
as lena perf checkin -m "the check-in everyone answers" >/dev/null

# week K: the K-th of 100 past ISO weeks from 2024-W01.
week_of() {
	if test "$1" -le 52; then printf '2024-W%02d' "$1"; else printf '2025-W%02d' $(($1 - 52)); fi
}

# checkins WHO: N check-ins for N different past weeks, one after another.
checkins() {
	for k in $(seq 1 "$N"); do
		as "$1" "$PERF_BIN" checkin --week "$(week_of "$k")" -m "$1 week $k" >/dev/null 2>>"$TEST_ROOT/fail.$1" ||
			echo "$1 checkin $k failed" >>"$TEST_ROOT/fail.$1"
	done
}

# replies WHO: N replies to lena's check-in, each with its own text.
replies() {
	for k in $(seq 1 "$N"); do
		as "$1" "$PERF_BIN" reply lena/2026-W47 -m "$1 says $k" >/dev/null 2>>"$TEST_ROOT/fail.$1" ||
			echo "$1 reply $k failed" >>"$TEST_ROOT/fail.$1"
	done
}

# run KIND PEOPLE...: one background writer per person; wait for all.
run() {
	kind=$1
	shift
	for p in "$@"; do : >"$TEST_ROOT/fail.$p"; $kind "$p" & done
	wait
	for p in "$@"; do
		if test -s "$TEST_ROOT/fail.$p"; then cat "$TEST_ROOT/fail.$p" >&2; return 1; fi
	done
}

files() { git ls-files | wc -l; }
commits() { git rev-list --count HEAD; }

test_expect_here "two processes, $N check-ins each: every one lands exactly once" '
	f0=$(files) c0=$(commits) t0=$(date +%s) &&
	run checkins ari bo &&
	t1=$(date +%s) && two_secs=$((t1 - t0)) &&
	test $(($(files) - f0)) = $((2 * N)) &&
	test $(($(commits) - c0)) = $((2 * N)) &&
	test "$(git ls-files checkins/ari | wc -l)" = "$N" &&
	test "$(git ls-files checkins/bo | wc -l)" = "$N" &&
	for p in ari bo; do
		for k in 1 $N; do contains "checkins/$p/$(week_of $k).md" "$p week $k" || return 1; done
	done &&
	test "$(git log --format=%s | grep -c "^checkin: \(ari\|bo\) 202[45]-W")" = $((2 * N)) &&
	repo_clean .
'

test_expect_here "eight processes, $N replies each: every one lands exactly once" '
	f0=$(files) c0=$(commits) t0=$(date +%s) &&
	run replies $PEOPLE &&
	t1=$(date +%s) && eight_secs=$((t1 - t0)) &&
	test $(($(files) - f0)) = $((8 * N)) &&
	test $(($(commits) - c0)) = $((8 * N)) &&
	test "$(git ls-files checkins/lena/2026-W47/ | wc -l)" = $((8 * N)) &&
	for p in $PEOPLE; do
		test "$(git ls-files "checkins/lena/2026-W47/*-$p.md" | wc -l)" = "$N" || return 1
		# each text exactly once
		git grep -h -o "^$p says [0-9]*\$" HEAD -- checkins/lena/2026-W47/ | sort | uniq -c |
			awk -v n=$N "\$1 != 1 { bad = 1 } END { exit bad || NR != n }" || { echo "$p: a text is missing or doubled" >&2; return 1; }
	done &&
	repo_clean .
'

test_expect_success 'perf check finds nothing wrong afterwards' '
	as lena perf check >"$out" 2>&1 || { cat "$out" >&2; false; }
'

echo "# 2 writers x $N check-ins: ${two_secs:-?} s; 8 writers x $N replies: ${eight_secs:-?} s (wall clock, for the record only)"
echo "# writes: $((2 * N + 8 * N)), commits on HEAD: $(commits), files: $(files)"

test_done
