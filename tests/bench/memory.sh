#!/bin/sh
# memory.sh [NxW ...]: peak memory (maximum resident set size) and time of
# perf's read commands and one check-in on generated team repositories, as
# a table.  Default sizes: 10x100 (1k check-ins) and 1000x100 (100k), so the
# growth with the repository's size shows.  Needs /usr/bin/time (Debian
# package `time`).  See README.md.
#
# Each repository comes from gen.sh (cached in $PERF_BENCH_DIR) and is cloned
# into a scratch folder first, so the cached one is never written to.  Every
# command runs once, as person p0001, at $PERF_BENCH_NICE if set.
. "$(dirname "$0")/env.sh"
case "$PERF_BIN" in /*) ;; *) PERF_BIN=$(pwd)/$PERF_BIN ;; esac
if ! test -x /usr/bin/time; then
	echo "memory.sh: /usr/bin/time is missing (apt-get install time)" >&2
	exit 1
fi
test $# -gt 0 || set -- 10x100 1000x100
nice=${PERF_BENCH_NICE:+nice -n $PERF_BENCH_NICE}

scratch=$(mktemp -d "$PERF_BENCH_DIR/memory.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

# measure REPO LABEL FILES NAME CMD...: one row.
measure() {
	_repo=$1 _label=$2 _files=$3 _name=$4
	shift 4
	(cd "$_repo" && GIT_AUTHOR_NAME="P0001" GIT_AUTHOR_EMAIL="p0001@example.com" \
		GIT_COMMITTER_NAME="P0001" GIT_COMMITTER_EMAIL="p0001@example.com" \
		$nice /usr/bin/time -f '%M %e %U %S %x' -o "$scratch/time" "$@" >"$scratch/stdout" 2>"$scratch/stderr")
	# The last line: /usr/bin/time puts "Command exited with non-zero status" first.
	# shellcheck disable=SC2046
	set -- $(tail -n 1 "$scratch/time")
	kib=$1 wall=$2 user=$3 sys=$4 code=$5
	printf '%-6s %7s  %-34s %9.1f %8.2f %8.2f %6s %10s\n' "$_label" "$_files" "$_name" \
		"$(echo "$kib" | awk '{print $1 / 1024}')" "$wall" "$(echo "$user $sys" | awk '{print $1 + $2}')" \
		"$code" "$(wc -c <"$scratch/stdout" | tr -d ' ')"
	_label="" _files=""
}

printf '%-6s %7s  %-34s %9s %8s %8s %6s %10s\n' repo files command "peak MiB" "wall s" "cpu s" exit "out bytes"
printf '%s\n' "------------------------------------------------------------------------------------------------"
for size in "$@"; do
	n=${size%x*}
	w=${size#*x}
	src=$PERF_BENCH_DIR/repo-${n}x${w}
	python3 "$PERF_SRC/tests/bench/gen.py" --perf "$PERF_BIN" "$n" "$w" "$src" 2>/dev/null || exit 1
	base=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["base"])' "$src/.git/perf-bench.json")
	repo=$scratch/$size
	git clone -q --no-checkout "$src" "$repo" && git -C "$repo" -c checkout.workers=4 checkout -q -B main "$base" ||
		exit 1
	git -C "$repo" config gc.auto 0
	git -C "$repo" config maintenance.auto false
	sleep 1.1
	git -C "$repo" update-index -q --really-refresh
	git -C "$repo" status --porcelain >/dev/null
	files=$(git -C "$repo" ls-files | wc -l | tr -d ' ')
	total=$((n * w))
	if test "$total" -ge 1000; then label="$((total / 1000))k"; else label=$total; fi
	goal=$(cd "$repo/goals/p0001" && ls | head -1 | sed 's/\.md$//')
	last=$(cd "$repo/checkins/p0001" && ls | tail -1 | sed 's/\.md$//')

	measure "$repo" "$label" "$files" "status" "$PERF_BIN" status
	measure "$repo" "" "" "show p0001/$last" "$PERF_BIN" show "p0001/$last"
	measure "$repo" "" "" "log goal:p0001/$goal" "$PERF_BIN" log "goal:p0001/$goal"
	measure "$repo" "" "" "check" "$PERF_BIN" check -q
	measure "$repo" "" "" "summary --person p0001" "$PERF_BIN" summary --person p0001
	measure "$repo" "" "" "summary (whole team)" "$PERF_BIN" summary
	measure "$repo" "" "" "export (jsonl)" "$PERF_BIN" export
	measure "$repo" "" "" "checkin --week 2026-W48" "$PERF_BIN" checkin --week 2026-W48 --mood 4 -m "measured"
	rm -rf "$repo"
done
