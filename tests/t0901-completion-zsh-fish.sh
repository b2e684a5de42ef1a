#!/bin/sh
# zsh and fish complete from the committed scripts as bash does (t0900):
# commands, options, option values, verbs, fields and what lives in the
# repository.  zsh's completion system runs on a pseudo-terminal
# (tests/complete.zsh); fish answers through its own `complete -C`.
. "$(dirname "$0")/lib.sh"
. "$PERF_SRC/tests/lib-complete.sh"

(team_fixture --lead alice --lead-role "" --role "" --no-admit bob &&
	perf goal add "Ship search v2" >/dev/null &&
	perf goal add "Learn Rust" >/dev/null) || echo "Bail out! cannot set up the team"

if command -v zsh >/dev/null 2>&1 && zsh -fc 'zmodload zsh/zpty' 2>/dev/null; then
	have_zsh=yes
fi
command -v fish >/dev/null 2>&1 && have_fish=yes

# Cases every shell must answer alike; run once for zsh and once for fish.
commands_and_options() {
	expect_replies "perf ch" check checkin &&
	expect_replies "perf checkin --mo" --mood &&
	expect_replies "perf checkin --mood " 1 2 3 4 5 &&
	expect_replies "perf goal --a" --all --area &&
	expect_replies "perf zzz "
}

verbs_fields_and_the_repository() {
	expect_replies "perf goal " add done drop give list set show support &&
	expect_replies "perf goal done " learn-rust ship-search-v2 &&
	expect_replies "perf goal set ship-search-v2 status=d" status=done status=dropped &&
	expect_replies "perf join --lead " alice bob &&
	expect_replies "perf checkin --week " 2026-W44 2026-W45 2026-W46 2026-W47 2026-W48 &&
	expect_replies "perf show goals/alice/s" goals/alice/ship-search-v2.md
}

if test -n "$have_zsh"; then
	complete_shell=zsh
	test_expect_success 'zsh completes commands, options and option values' '
		expect_replies "perf --co" --color=always --color=auto --color=never &&
		commands_and_options
	'
	test_expect_success 'zsh completes verbs, fields and what is in the repository' '
		(cd team &&
			expect_replies "perf goal " add done drop give list set show support &&
			expect_replies "perf goal done " learn-rust ship-search-v2 &&
			expect_replies "perf goal set ship-search-v2 " cycle due progress status support supports title why &&
			expect_replies "perf goal set ship-search-v2 status=d" done dropped &&
			expect_replies "perf checkin --goal " learn-rust ship-search-v2 &&
			expect_replies "perf checkin --goal=sh" ship-search-v2 &&
			expect_replies "perf join --lead=a" alice &&
			expect_replies "perf checkin --week " 2026-W44 2026-W45 2026-W46 2026-W47 2026-W48 &&
			expect_replies "perf show goal:" goal:alice/ goal:learn-rust goal:ship-search-v2 &&
			expect_replies "perf show goals/alice/s" goals/alice/ship-search-v2.md &&
			expect_replies "perf reply pe" people/ person: &&
			expect_replies "perf goal -- " add done drop give list set show support)
	'
	test_expect_success 'zsh: outside the repository nothing, with -C DIR the repository' '
		expect_replies "perf goal done " &&
		expect_replies "perf -C team goal done " learn-rust ship-search-v2
	'
else
	test_skip 'zsh completes commands, options and option values' 'zsh with zsh/zpty is not installed'
	test_skip 'zsh completes verbs, fields and what is in the repository' 'zsh is not installed'
	test_skip 'zsh: outside the repository nothing, with -C DIR the repository' 'zsh is not installed'
fi

if test -n "$have_fish"; then
	complete_shell=fish
	test_expect_success 'fish completes commands, options and option values' 'commands_and_options'
	test_expect_success 'fish completes verbs, fields and what is in the repository' '
		(cd team && verbs_fields_and_the_repository)
	'
else
	test_skip 'fish completes commands, options and option values' 'fish is not installed'
	test_skip 'fish completes verbs, fields and what is in the repository' 'fish is not installed'
fi

test_done
