#!/bin/sh
# make install and make uninstall into a DESTDIR, and git perf through git.
. "$(dirname "$0")/lib.sh"

# Install what was built and tested: make is told the binary is up to date
# (-o), so it never rebuilds it, whatever BUILD (build, build-san...) it is.
build=${PERF_BUILD:-$(cd "$(dirname "$PERF_BIN")" && pwd)}
dest=$TEST_ROOT/dest
bin=$dest/usr/bin
mandir=$dest/usr/share/man
data=$dest/usr/share

# The make running this test (make check) must not lend its jobserver here.
run_make() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -C "$PERF_SRC" --no-print-directory BUILD="$build" -o "$build/perf" "$@" >"$TEST_ROOT/make.log" 2>&1 ||
		{ cat "$TEST_ROOT/make.log" >&2; return 1; }
}

perf --list-commands >"$TEST_ROOT/commands"

test_expect_success 'make install DESTDIR PREFIX=/usr installs perf and git-perf' '
	run_make install DESTDIR="$dest" PREFIX=/usr &&
	test -f "$bin/perf" && test -x "$bin/perf" && ! test -L "$bin/perf" &&
	cmp "$PERF_BIN" "$bin/perf" &&
	test -L "$bin/git-perf" &&
	test "$(readlink "$bin/git-perf")" = perf &&
	"$bin/perf" --version >"$out" &&
	grep -q "^perf [0-9][0-9.]* (libgit2 " "$out"
'

test_expect_success 'a manual page for perf, each command and the file format' '
	missing= &&
	for p in man1/perf.1 man5/perf-format.5 $(sed "s|.*|man1/perf-&.1|" "$TEST_ROOT/commands"); do
		if test -s "$mandir/$p" && grep -q "^\.TH " "$mandir/$p"; then :; else missing="$missing $p"; fi
	done &&
	if test -n "$missing"; then echo "not installed:$missing" >&2; false; fi &&
	test "$(stat -c %a "$mandir/man1/perf.1")" = 644 &&
	if command -v man >/dev/null; then
		MANWIDTH=80 man -l "$mandir/man1/perf-goal.1" 2>/dev/null | grep -q "perf-goal - "
	fi
'

test_expect_success 'bash, zsh and fish completions, as committed' '
	cmp "$PERF_SRC/completions/perf.bash" "$data/bash-completion/completions/perf" &&
	cmp "$PERF_SRC/completions/_perf" "$data/zsh/site-functions/_perf" &&
	cmp "$PERF_SRC/completions/perf.fish" "$data/fish/vendor_completions.d/perf.fish"
'

test_expect_success 'the installed perf works, also as git perf through git' '
	PATH=$bin:$PATH &&
	export PATH &&
	test "$(command -v git-perf)" = "$bin/git-perf" &&
	perf --version >"$TEST_ROOT/v1" &&
	git perf --version >"$TEST_ROOT/v2" &&
	cmp "$TEST_ROOT/v1" "$TEST_ROOT/v2" &&
	git perf init team --team Search >"$out" 2>"$err" &&
	contains "$out" "Initialized perf team repository '\''Search'\''" &&
	git -C team perf join >"$out" &&
	contains "$out" "joined as alice (people/alice.md)" &&
	(cd team && git perf goal add "Ship search v2" >"$out") &&
	contains "$out" "goal: alice added ship-search-v2" &&
	git -C team perf --json goal list >"$out" &&
	contains "$out" "\"id\": \"ship-search-v2\"" &&
	git perf help goal >"$out" &&
	contains "$out" "usage: perf goal" &&
	repo_clean team
'

test_expect_success 'the completion installed for bash completes git perf' '
	PATH=$bin:$PATH bash --norc --noprofile -c "
		. \"$data/bash-completion/completions/perf\"
		cd team
		COMP_LINE=\"git perf goal done \"
		COMP_POINT=\${#COMP_LINE}
		_git_perf
		test \"\${COMPREPLY[*]}\" = ship-search-v2
	"
'

test_expect_success 'make uninstall with the same DESTDIR removes all of it' '
	run_make uninstall DESTDIR="$dest" PREFIX=/usr &&
	find "$dest" ! -type d >"$out" &&
	if test -s "$out"; then echo "left behind:" >&2; cat "$out" >&2; false; fi
'

test_expect_success 'BINDIR and MANDIR are honoured' '
	run_make install DESTDIR="$dest" PREFIX=/opt/perf BINDIR=/opt/bin MANDIR=/opt/man &&
	test -x "$dest/opt/bin/perf" &&
	test -L "$dest/opt/bin/git-perf" &&
	test -f "$dest/opt/man/man1/perf.1" &&
	test -f "$dest/opt/man/man5/perf-format.5" &&
	test -f "$dest/opt/perf/share/bash-completion/completions/perf" &&
	run_make uninstall DESTDIR="$dest" PREFIX=/opt/perf BINDIR=/opt/bin MANDIR=/opt/man &&
	find "$dest" ! -type d >"$out" &&
	test ! -s "$out"
'

test_done
