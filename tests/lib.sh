# Shared set-up for perf's end-to-end tests: TAP output for prove, a
# hermetic environment (own HOME, no system git config, TZ=UTC, a fixed
# author and clock), and helpers.  Source it first in every tests/t*.sh.

PERF_SRC=${PERF_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
PERF_BIN=${PERF_BIN:-$PERF_SRC/build/perf}
if ! test -x "$PERF_BIN"; then
	echo "Bail out! perf is not built at $PERF_BIN (run make)"
	exit 1
fi

TEST_ROOT=$(mktemp -d "${TMPDIR:-/tmp}/perf-test.XXXXXX")
trap 'cd /; rm -rf "$TEST_ROOT"' EXIT
HOME=$TEST_ROOT/home
mkdir -p "$HOME"
export HOME
export XDG_CONFIG_HOME=$HOME/.config XDG_DATA_HOME=$HOME/.local/share
export GIT_CONFIG_NOSYSTEM=1 TZ=UTC LC_ALL=C.UTF-8 LANG=C.UTF-8
export PERF_NOW=${PERF_NOW:-2026-11-23T10:00:00Z}
export NO_COLOR=1 PAGER=cat GIT_PAGER=cat
export EDITOR=false VISUAL=
unset PERF_DIR PERF_EDITOR GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL \
	GIT_AUTHOR_DATE GIT_COMMITTER_DATE GIT_DIR GIT_WORK_TREE GIT_SSL_CAINFO GIT_SSL_NO_VERIFY
git config --global user.name "Alice Example"
git config --global user.email alice@example.com
git config --global init.defaultBranch main
git config --global protocol.file.allow always
cd "$TEST_ROOT" || exit 1

test_count=0
out=$TEST_ROOT/out
err=$TEST_ROOT/err
test_failed=0

perf() {
	"$PERF_BIN" "$@"
}

# at TIME: from now on, perf's clock reads TIME (PERF_NOW, exported).
at() { PERF_NOW=$1; export PERF_NOW; }

# as HANDLE CMD...: run CMD as another person (name "Handle Example").
as() {
	_who=$1
	shift
	_name="$(printf '%s' "$_who" | sed 's/^./\U&/') Example"
	GIT_AUTHOR_NAME="$_name" GIT_AUTHOR_EMAIL="$_who@example.com" \
		GIT_COMMITTER_NAME="$_name" GIT_COMMITTER_EMAIL="$_who@example.com" "$@"
}

# test_expect_success DESCRIPTION 'COMMANDS': one TAP line.
test_expect_success() {
	test_count=$((test_count + 1))
	_out=$TEST_ROOT/.out.$test_count
	if (eval "$2") >"$_out" 2>&1; then
		echo "ok $test_count - $1"
	else
		test_failed=$((test_failed + 1))
		echo "not ok $test_count - $1"
		sed 's/^/#   /' "$_out"
	fi
}

# test_skip DESCRIPTION REASON: a TAP line for a test that cannot run here.
test_skip() {
	test_count=$((test_count + 1))
	echo "ok $test_count - $1 # SKIP $2"
}

# As test_expect_success, but COMMANDS run in this shell, so variables stick.
test_expect_here() {
	test_count=$((test_count + 1))
	_out=$TEST_ROOT/.out.$test_count
	if eval "$2" >"$_out" 2>&1; then
		echo "ok $test_count - $1"
	else
		test_failed=$((test_failed + 1))
		echo "not ok $test_count - $1"
		sed 's/^/#   /' "$_out"
	fi
}

test_done() {
	echo "1..$test_count"
	test "$test_failed" = 0
}

# expect_fail CODE CMD...: CMD must exit with CODE.
expect_fail() {
	_want=$1
	shift
	"$@"
	_got=$?
	if test "$_got" != "$_want"; then
		echo "expected exit $_want, got $_got: $*" >&2
		return 1
	fi
	return 0
}

# repo_clean DIR: git fsck --strict is clean and git status --porcelain empty.
repo_clean() {
	git -C "$1" fsck --strict --no-progress >"$TEST_ROOT/.fsck" 2>&1 || { cat "$TEST_ROOT/.fsck" >&2; return 1; }
	_st=$(git -C "$1" status --porcelain --untracked-files=all)
	if test -n "$_st"; then
		echo "git status is not clean in $1:" >&2
		echo "$_st" >&2
		return 1
	fi
}

# snapshot DIR: a fingerprint of HEAD, the index and every file, to prove
# that a failed command changed nothing.
snapshot() {
	(cd "$1" && git rev-parse HEAD 2>/dev/null; git ls-files -s --debug 2>/dev/null | grep -v '^  \(ctime\|mtime\|dev\|uid\|size\)' ;
	 find . -path ./.git/perf -prune -o -type f ! -path ./.git/index -print0 2>/dev/null | LC_ALL=C sort -z |
		xargs -0 -r sha1sum | sed 's/^\([0-9a-f]*\)  \(.*\)$/\2 \1/')
}

# unchanged DIR BEFORE: the snapshot now equals BEFORE.
unchanged() {
	snapshot "$1" >"$TEST_ROOT/.snap.now"
	printf '%s\n' "$2" >"$TEST_ROOT/.snap.before"
	diff -u "$TEST_ROOT/.snap.before" "$TEST_ROOT/.snap.now" >&2
}

# damage FILE HOW: spoils a cache file (perf-format(5), CACHE) one way:
# truncated, empty, garbage, flipped (one bit), or version (another layout
# version, with a checksum that holds).
damage() {
	python3 - "$1" "$2" <<-PY
	import os, struct, sys, zlib
	path, how = sys.argv[1], sys.argv[2]
	b = bytearray(open(path, "rb").read())
	if how == "truncated": b = b[:len(b) // 2]
	if how == "empty": b = b""
	if how == "garbage": b = bytearray(os.urandom(len(b)))
	if how == "flipped": b[len(b) // 2] ^= 0x40
	if how == "version": b[8:12] = struct.pack("<I", 3); b[-4:] = struct.pack("<I", zlib.crc32(b[:-4]))
	open(path, "wb").write(b)
	PY
}

# contains FILE TEXT / output contains: fixed-string match with a message.
contains() {
	if ! grep -qF -- "$2" "$1"; then
		echo "expected '$2' in $1:" >&2
		cat "$1" >&2
		return 1
	fi
}

# fm FILE EXPR: evaluates a Python expression over the front matter `fm` of FILE.
fm() {
	python3 - "$1" "$2" <<-'PY'
	import sys, yaml
	fm = yaml.safe_load(open(sys.argv[1]).read().split("---\n")[1])
	ok = eval(sys.argv[2])
	if not ok:
	    print("front matter of %s fails %s:\n%r" % (sys.argv[1], sys.argv[2], fm), file=sys.stderr)
	sys.exit(0 if ok else 1)
	PY
}

# test_known_breakage DESCRIPTION 'COMMANDS': a known limitation, reported as
# a TAP TODO: prove shows it (and says when it starts passing) without
# failing the run.
test_known_breakage() {
	test_count=$((test_count + 1))
	_out=$TEST_ROOT/.out.$test_count
	if (eval "$2") >"$_out" 2>&1; then
		echo "ok $test_count - $1 # TODO known breakage now passes"
	else
		echo "not ok $test_count - $1 # TODO known breakage"
		sed 's/^/#   /' "$_out"
	fi
}

# admit_all [DIR]: the program's first maintainer admits everyone waiting
# (perf-admit(1)), for teams whose tests are about something else than
# admission.  DIR defaults to the current directory.
admit_all() {
	_dir=${1:-.}
	_m=$(python3 -c 'import sys, yaml; print(yaml.safe_load(open(sys.argv[1]))["maintainers"][0])' "$_dir/.perf/config.yaml") || return 1
	_w=$(perf -C "$_dir" --json admit | python3 -c 'import json, sys; print(" ".join(w["handle"] for w in json.load(sys.stdin)["waiting"]))') || return 1
	test -z "$_w" || (cd "$_dir" && as "$_m" perf admit $_w >/dev/null)
}

. "$PERF_SRC/tests/lib-team.sh"
