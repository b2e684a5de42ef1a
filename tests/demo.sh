#!/bin/sh
# `make demo`: a short scripted session in a throwaway team repository.
set -e
PERF_BIN=${PERF_BIN:-$(pwd)/build/perf}
demo=$(mktemp -d "${TMPDIR:-/tmp}/perf-demo.XXXXXX")
trap 'rm -rf "$demo"' EXIT
export HOME="$demo/home" GIT_CONFIG_NOSYSTEM=1 TZ=UTC NO_COLOR=1 PAGER=cat
mkdir -p "$HOME"
git config --global user.name "Lena Lead"
git config --global user.email lena@example.com
git config --global init.defaultBranch main

say() { printf '\n\033[1m$ %s\033[0m\n' "$*" | sed 's/\x1b\[[0-9;]*m//g'; }
run() { say "$*"; "$@"; }
perf() { "$PERF_BIN" "$@"; }
as_ari() {
	GIT_AUTHOR_NAME="Ari Dev" GIT_AUTHOR_EMAIL=ari@example.com \
	GIT_COMMITTER_NAME="Ari Dev" GIT_COMMITTER_EMAIL=ari@example.com "$@"
}

cd "$demo"
run perf init team --team "Search"
cd team
export PERF_NOW=2026-11-16T09:00:00Z
run perf join --role "Engineering lead"
say "(as Ari) perf join --role Engineer --lead lena"
as_ari perf join --role Engineer --lead lena
run git log --format='%h %an: %s'
run cat people/ari.md
