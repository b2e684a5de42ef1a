# Hermetic environment for the benchmarks, as tests/lib.sh sets up for the
# tests: its own HOME and git identity, no system git config, UTC, C locale.
# Source it; it sets PERF_SRC, PERF_BIN and PERF_BENCH_DIR.

PERF_SRC=${PERF_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
PERF_BIN=${PERF_BIN:-$PERF_SRC/build/perf}
PERF_BENCH_DIR=${PERF_BENCH_DIR:-${TMPDIR:-/tmp}/perf-bench}
if ! test -x "$PERF_BIN"; then
	echo "perf is not built at $PERF_BIN (run make)" >&2
	exit 1
fi
mkdir -p "$PERF_BENCH_DIR/home"
PERF_BENCH_DIR=$(cd "$PERF_BENCH_DIR" && pwd)
HOME=$PERF_BENCH_DIR/home
export HOME PERF_SRC PERF_BIN PERF_BENCH_DIR
export XDG_CONFIG_HOME=$HOME/.config XDG_DATA_HOME=$HOME/.local/share
export GIT_CONFIG_NOSYSTEM=1 TZ=UTC LC_ALL=C.UTF-8 LANG=C.UTF-8
export PERF_NOW=${PERF_NOW:-2026-11-23T10:00:00Z}
export NO_COLOR=1 PAGER=cat GIT_PAGER=cat EDITOR=false VISUAL=
unset PERF_DIR PERF_EDITOR GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL \
	GIT_AUTHOR_DATE GIT_COMMITTER_DATE GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_OBJECT_DIRECTORY
rm -f "$HOME/.gitconfig"
git config --global user.name "Bench Example"
git config --global user.email bench@example.com
git config --global init.defaultBranch main

# big_repo: the repository of ${PERF_BENCH_BIG:-1000x100} (people x weeks),
# generated once and kept; sets big, dir and reps (${PERF_BENCH_REPS:-5}),
# and makes PERF_BIN absolute.
big_repo() {
	big=${PERF_BENCH_BIG:-1000x100}
	reps=${PERF_BENCH_REPS:-5}
	case "$PERF_BIN" in /*) ;; *) PERF_BIN=$(pwd)/$PERF_BIN ;; esac
	dir=$PERF_BENCH_DIR/repo-$big
	python3 "$PERF_SRC/tests/bench/gen.py" --perf "$PERF_BIN" "${big%x*}" "${big#*x}" "$dir"
}
