#!/bin/sh
# profile.sh [N W]: where perf's one-document commit spends its time, on the
# generated repository of N people x W weeks (default 1000 x 100).
#
# For `perf join` (a new person) and `perf checkin` (an existing person) it
# prints the system calls (strace -c) and the instructions executed by each
# step (valgrind --tool=callgrind; inclusive, so nested steps overlap).
# Instruction counts do not depend on how busy the machine is, unlike times.
# Needs strace and valgrind (apt-get install strace valgrind).
. "$(dirname "$0")/env.sh"
n=${1:-1000}
w=${2:-100}
dir=$PERF_BENCH_DIR/repo-${n}x${w}
out=$PERF_BENCH_DIR/profile
mkdir -p "$out"
python3 "$PERF_SRC/tests/bench/gen.py" --perf "$PERF_BIN" "$n" "$w" "$dir" || exit 1
cd "$dir" || exit 1
lead=$(ls people | head -1 | sed 's/\.md$//')
member=$(ls people | sed -n 2p | sed 's/\.md$//')
steps='main|run_[a-z]*|perf_repo_identity|search_email|person_has_email|perf_repo_read|perf_repo_write|perf_store_[a-z_]*|perf_doc_parse|git_libgit2_init|git_repository_index|git_index_read|git_index_write|git_index_free|git_tree_create_updated|git_commit_create|git_blob_create_from_buffer|git_odb_hash|inflate|_dl_start'

as() {
	_who=$1
	shift
	GIT_AUTHOR_NAME="Profile $_who" GIT_AUTHOR_EMAIL="$_who@example.com" \
		GIT_COMMITTER_NAME="Profile $_who" GIT_COMMITTER_EMAIL="$_who@example.com" "$@"
}

profile() {
	_name=$1
	shift
	echo
	echo "== $_name ($(git ls-files | wc -l) files)"
	if command -v strace >/dev/null; then
		as "$@" strace -f -c -o "$out/$_name.strace" "$PERF_BIN" $cmd >/dev/null || exit 1
		echo "-- system calls (strace -c), top 8:"
		sed -n '3,10p' "$out/$_name.strace" | awk '{printf "   %-14s %8s calls %10s s\n", $NF, $4, $2}'
		git reset -q --hard HEAD~1
	fi
	if command -v valgrind >/dev/null; then
		as "$@" valgrind --tool=callgrind --callgrind-out-file="$out/$_name.callgrind" \
			"$PERF_BIN" $cmd >/dev/null 2>"$out/$_name.valgrind" || { cat "$out/$_name.valgrind"; exit 1; }
		echo "-- instructions by step (callgrind, inclusive):"
		callgrind_annotate --inclusive=yes --threshold=100 "$out/$_name.callgrind" 2>/dev/null |
			sed -n '/file:function/,/^-- /p' | grep -E "[:/]($steps) \[" | sed 's/ \[.*//; s/ [^ ]*[:/]\([a-z_0-9.]*:\)/ \1/' |
			awk '!seen[$3]++' | head -30 | sed 's/^/   /'
		git reset -q --hard HEAD~1
	fi
}

new=prof$(date +%s | tail -c 5)
cmd="join --role Engineer --lead $lead"
profile join "$new"
cmd="checkin --mood 4 -m profiled --learned profiling"
profile checkin "$member"
echo
echo "(full data in $out; the repository is put back as generated)"
