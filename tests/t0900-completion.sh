#!/bin/sh
# perf completion: the committed scripts are what perf generates, they know
# every command and option, and bash completes from the repository.
. "$(dirname "$0")/lib.sh"

. "$PERF_SRC/tests/lib-complete.sh"

shells="bash zsh fish"

for sh in $shells; do
	eval "file=\$file_$sh"
	test_expect_success "completions/$(basename "$file") is what 'perf completion $sh' prints" '
		test -f "$file" &&
		perf completion '"$sh"' >"$out" &&
		if ! cmp -s "$out" "$file"; then
			echo "regenerate it: build/perf completion '"$sh"' >completions/$(basename "$file")" >&2
			diff -u "$file" "$out" | head -40 >&2
			false
		fi
	'
done

# has_commands: each script lists every command of `perf --list-commands`.
has_commands() {
	perf --list-commands >"$TEST_ROOT/commands" && test -s "$TEST_ROOT/commands" || return 1
	_list=" $(sed -n "s/^__perf_commands='\(.*\)'\$/\1/p" "$file_bash") "
	while read -r _c; do
		case $_list in *" $_c "*) ;; *) echo "perf.bash: no command $_c" >&2; return 1 ;; esac
		grep -qF "		'$_c:" "$file_zsh" || { echo "_perf: no command $_c" >&2; return 1; }
		grep -qF "    printf '%s\t%s\n' $_c '" "$file_fish" || { echo "perf.fish: no command $_c" >&2; return 1; }
	done <"$TEST_ROOT/commands"
}

# has_options: each script knows every option of `perf CMD --list-options`
# as CMD:--option and CMD:-o (--help and -h as *:--help and *:-h).
has_options() {
	_n=0
	while read -r _c; do
		perf "$_c" --list-options >"$TEST_ROOT/opts" || return 1
		grep -q "^--help -h	" "$TEST_ROOT/opts" || { echo "$_c: no --help" >&2; return 1; }
		for _o in $(cut -f1 "$TEST_ROOT/opts" | sed "s/=//"); do
			case $_o in --help | -h) _pat="*:$_o" ;; *) _pat="$_c:$_o" ;; esac
			for _f in "$file_bash" "$file_zsh" "$file_fish"; do
				grep -qF -- "$_pat" "$_f" || { echo "$(basename "$_f"): no $_pat" >&2; return 1; }
			done
			_n=$((_n + 1))
		done
	done <"$TEST_ROOT/commands"
	test "$_n" -gt 20
}

test_expect_success 'every command is in each script' 'has_commands'
test_expect_success 'every option of every command is in each script' 'has_options'

test_expect_success 'each script names its shell and how to regenerate it' '
	for sh in $shells; do
		eval "f=\$file_$sh"
		grep -q "perf completion $sh > completions/$(basename "$f")" "$f" || exit 1
	done &&
	head -1 "$file_zsh" | grep -qx "#compdef perf"
'

test_expect_success 'an unknown shell is a usage error' '
	expect_fail 2 perf completion tcsh 2>"$err" &&
	contains "$err" "no completion for '\''tcsh'\''" &&
	expect_fail 2 perf completion 2>"$err" &&
	contains "$err" "bash, zsh or fish"
'

test_expect_success 'bash completes commands and global options' '
	expect_replies "perf ch" $(grep "^ch" "$TEST_ROOT/commands") &&
	complete_bash "perf " >"$TEST_ROOT/all" &&
	LC_ALL=C sort "$TEST_ROOT/commands" | cmp - "$TEST_ROOT/all" &&
	expect_replies "perf --co" --color=auto --color=always --color=never &&
	expect_replies "perf --color=n" never &&
	expect_replies "perf zzz" &&
	expect_replies "perf help g" $(grep "^g" "$TEST_ROOT/commands") &&
	expect_replies "perf help fo" format $(grep "^fo" "$TEST_ROOT/commands") &&
	expect_replies "perf completion " bash fish zsh
'

test_expect_success 'bash completes the options of a command' '
	expect_replies "perf checkin --mo" --mood &&
	expect_replies "perf checkin --mood " 1 2 3 4 5 &&
	expect_replies "perf checkin -m hello --wo" --working &&
	expect_replies "perf goal --a" --all --area &&
	expect_replies "perf init --" --team --set-default --signed --help
'

# A team: alice with two goals, bob whose lead is alice.
(team_fixture --lead alice --lead-role "" --role "" --no-admit bob &&
	perf goal add "Ship search v2" >/dev/null &&
	perf goal add "Learn Rust" >/dev/null) || echo "Bail out! cannot set up the team"
cd team

test_expect_success 'bash completes verbs and goal ids from the repository' '
	expect_replies "perf goal " add list show set done drop support give &&
	expect_replies "perf goal d" done drop &&
	expect_replies "perf goal done " learn-rust ship-search-v2 &&
	expect_replies "perf goal drop s" ship-search-v2 &&
	expect_replies "perf goal show " learn-rust ship-search-v2 &&
	expect_replies "perf goal set ship-search-v2 " title= status= progress= due= supports= support= cycle= why= &&
	expect_replies "perf goal set ship-search-v2 status=d" done dropped &&
	expect_replies "perf checkin --goal " learn-rust= ship-search-v2= &&
	expect_replies "perf checkin --goal=sh" ship-search-v2= &&
	expect_replies "perf checkin -g ship-search-v2=" &&
	as bob expect_replies "perf goal done "
'

test_expect_success 'bash completes handles, weeks and targets' '
	expect_replies "perf join --lead " alice bob &&
	expect_replies "perf join -l b" bob &&
	expect_replies "perf join --lead=a" alice &&
	expect_replies "perf goal list " alice bob &&
	expect_replies "perf expect " alice bob &&
	expect_replies "perf checkin --week " 2026-W48 2026-W47 2026-W46 2026-W45 2026-W44 &&
	expect_replies "perf checkin --week=2026-W4" 2026-W48 2026-W47 2026-W46 2026-W45 2026-W44 &&
	expect_replies "perf show goal:" learn-rust ship-search-v2 alice/ &&
	expect_replies "perf show goal:alice/l" alice/learn-rust &&
	expect_replies "perf show alice/" alice/learn-rust alice/ship-search-v2 &&
	expect_replies "perf show goals/alice/s" goals/alice/ship-search-v2.md &&
	expect_replies "perf reply pe" person: people/
'

test_expect_success 'outside the repository, -C DIR and git perf find it' '
	cd "$TEST_ROOT" &&
	expect_replies "perf goal done " &&
	expect_replies "perf -C team goal done " learn-rust ship-search-v2 &&
	expect_replies "perf -Cteam join --lead " alice bob &&
	complete_fn=_git_perf expect_replies "git -C team perf goal d" done drop &&
	cd team &&
	complete_fn=_git_perf expect_replies "git perf goal done " learn-rust ship-search-v2
'

test_expect_success 'perf completion words: what the scripts ask for' '
	perf completion words handles >"$out" &&
	printf "alice\nbob\n" | cmp - "$out" &&
	perf completion words goals >"$out" &&
	printf "learn-rust\nship-search-v2\n" | cmp - "$out" &&
	PERF_NOW=2027-01-04T09:00:00Z perf completion words weeks >"$out" &&
	printf "2027-W01\n2026-W53\n2026-W52\n2026-W51\n2026-W50\n" | cmp - "$out" &&
	perf completion words target goal:s >"$out" &&
	printf "goal:ship-search-v2\n" | cmp - "$out" &&
	cd "$TEST_ROOT" &&
	expect_fail 1 perf completion words goals >"$out" 2>"$err" &&
	test ! -s "$out" && test ! -s "$err" &&
	expect_fail 1 perf completion words nonsense 2>"$err" &&
	test ! -s "$err"
'

if command -v zsh >/dev/null 2>&1; then
	test_expect_success 'zsh reads _perf' 'zsh -n "$file_zsh"'
else
	test_skip 'zsh reads _perf' 'zsh is not installed'
fi
if command -v fish >/dev/null 2>&1; then
	test_expect_success 'fish reads perf.fish' 'fish -n "$file_fish"'
else
	test_skip 'fish reads perf.fish' 'fish is not installed'
fi

test_done
