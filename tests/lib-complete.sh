# Helpers for the completion tests: what bash and zsh offer for a command
# line, through the committed scripts in completions/, with perf (and
# git-perf) found on PATH as a person's shell would find them.  Source it
# after lib.sh.

mkdir -p "$TEST_ROOT/bin"
ln -sf "$PERF_BIN" "$TEST_ROOT/bin/perf"
ln -sf "$PERF_BIN" "$TEST_ROOT/bin/git-perf"
PATH=$TEST_ROOT/bin:$PATH
export PATH
file_bash=$PERF_SRC/completions/perf.bash
file_zsh=$PERF_SRC/completions/_perf
file_fish=$PERF_SRC/completions/perf.fish

# complete_bash LINE: the replies bash completion gives for LINE (the
# cursor at its end), one a line, sorted; $complete_fn is the function that
# bash would call (_perf, or _git_perf for git perf).
complete_bash() {
	bash --norc --noprofile -c '
		. "$1" || exit 1
		COMP_LINE=$2
		COMP_POINT=${#COMP_LINE}
		read -ra COMP_WORDS <<<"$COMP_LINE"
		case $COMP_LINE in *" ") COMP_WORDS+=("") ;; esac
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		"$3"
		for w in "${COMPREPLY[@]}"; do printf "%s\n" "$w"; done
	' complete-test "$file_bash" "$1" "${complete_fn:-_perf}" | LC_ALL=C sort
}

# complete_zsh LINE: the matches zsh's completion offers for LINE, one a
# line, sorted and without repeats (tests/complete.zsh).
complete_zsh() {
	zsh -f "$PERF_SRC/tests/complete.zsh" "$file_zsh" "$1" "$TEST_ROOT/.zsh-got" || {
		echo "zsh did not finish completing '$1'" >&2
		return 1
	}
	LC_ALL=C sort -u "$TEST_ROOT/.zsh-got"
}

# complete_fish LINE: the words fish's completion offers for LINE (its
# `complete -C`), one a line without their descriptions, sorted.
complete_fish() {
	fish --no-config -c 'source $argv[1]; and complete -C $argv[2]' "$file_fish" "$1" | cut -f1 | LC_ALL=C sort -u
}

# expect_replies LINE WORD...: the shell in $complete_shell (bash unless
# set) completes LINE with exactly WORDs.
expect_replies() {
	_line=$1
	shift
	complete_"${complete_shell:-bash}" "$_line" >"$TEST_ROOT/.got" || return 1
	: >"$TEST_ROOT/.want"
	test $# -eq 0 || printf '%s\n' "$@" | LC_ALL=C sort >"$TEST_ROOT/.want"
	if ! cmp -s "$TEST_ROOT/.want" "$TEST_ROOT/.got"; then
		echo "completing '$_line' (${complete_shell:-bash}):" >&2
		diff -u "$TEST_ROOT/.want" "$TEST_ROOT/.got" >&2
		return 1
	fi
}
