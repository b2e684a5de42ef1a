#!/bin/sh
# Manual pages: one per command, each naming a command, rendering cleanly,
# documenting the command's options; perf help falls back to the usage.
. "$(dirname "$0")/lib.sh"

man_src=$PERF_SRC/man
perf --list-commands >"$TEST_ROOT/commands"

test_expect_success 'every command has its page' '
	test -s "$TEST_ROOT/commands" &&
	missing= &&
	while read -r c; do
		test -f "$man_src/perf-$c.1.scd" || missing="$missing perf-$c.1.scd"
	done <"$TEST_ROOT/commands" &&
	if test -n "$missing"; then echo "no page:$missing" >&2; false; fi
'

test_expect_success 'every perf-*.1 page names a command' '
	stray= &&
	for f in "$man_src"/perf-*.1.scd; do
		c=${f##*/perf-}
		c=${c%.1.scd}
		grep -qx -- "$c" "$TEST_ROOT/commands" || stray="$stray ${f##*/}"
	done &&
	if test -n "$stray"; then echo "no such command:$stray" >&2; false; fi &&
	test -f "$man_src/perf.1.scd" &&
	test -f "$man_src/perf-format.5.scd"
'

test_expect_success 'each page starts with its name and section, and a NAME line for it' '
	for f in "$man_src"/*.scd; do
		page=${f##*/}
		page=${page%.scd}
		name=${page%.[0-9]}
		sect=${page##*.}
		head -1 "$f" | grep -qx "$name($sect)" || { echo "$page: first line is not $name($sect)" >&2; exit 1; }
		sed -n "/^# NAME/,/^# /p" "$f" | grep -q "^$name - [a-z]" ||
			{ echo "$page: no \"$name - ...\" line under NAME" >&2; exit 1; }
	done
'

test_expect_success 'every page renders with scdoc without a complaint' '
	mkdir -p "$TEST_ROOT/man" &&
	for f in "$man_src"/*.scd; do
		page=${f##*/}
		page=${page%.scd}
		scdoc <"$f" >"$TEST_ROOT/man/$page" 2>"$err" || { echo "$page:" >&2; cat "$err" >&2; exit 1; }
		test ! -s "$err" || { echo "$page:" >&2; cat "$err" >&2; exit 1; }
	done
'

if command -v man >/dev/null 2>&1 && command -v groff >/dev/null 2>&1; then
	test_expect_success 'every page formats with man -l without a warning' '
		bad= &&
		for f in "$TEST_ROOT"/man/*; do
			MANWIDTH=80 man --warnings -l "$f" >"$out" 2>"$err" || { bad="$bad ${f##*/}"; continue; }
			test -s "$out" || bad="$bad ${f##*/}"
			if test -s "$err"; then
				echo "${f##*/}:" >&2
				cat "$err" >&2
				bad="$bad ${f##*/}"
			fi
		done &&
		if test -n "$bad"; then echo "warnings in:$bad" >&2; false; fi
	'
else
	test_skip 'every page formats with man -l without a warning' 'man or groff is not installed'
fi

# undocumented DASHES SED SKIP: for each command that has a page, the options
# 'perf COMMAND --list-options' lists (picked out of its first column by the
# sed script SED, SKIP aside) that the page does not name as *DASHES<option>*;
# prints " COMMAND:DASHES<option>" for each, nothing when all are there.
undocumented() {
	while read -r c; do
		f=$man_src/perf-$c.1.scd
		test -f "$f" || continue
		perf "$c" --list-options >"$TEST_ROOT/opts" || return 1
		for o in $(cut -f1 "$TEST_ROOT/opts" | tr " " "\n" | sed -n "$2"); do
			test "$o" = "$3" && continue
			grep -q -- "\*$1$o\*" "$f" || printf " %s" "$c:$1$o"
		done
	done <"$TEST_ROOT/commands"
}

test_expect_success 'each command page documents every option of the command' '
	bad=$(undocumented -- "s/^--\([a-z][a-z-]*\)=*$/\1/p" help) &&
	if test -n "$bad"; then echo "undocumented options:$bad" >&2; false; fi
'

test_expect_success 'each command page documents every short option of the command' '
	bad=$(undocumented - "s/^-\([a-zA-Z0-9]\)$/\1/p" h) &&
	if test -n "$bad"; then echo "undocumented short options:$bad" >&2; false; fi
'

test_expect_success 'perf help lists no command that perf --list-commands does not know' '
	perf help >"$out" &&
	sed -n "/^Commands:/,\$s/^   \([a-z][a-z-]*\) .*/\1/p" "$out" >"$TEST_ROOT/listed" &&
	test -s "$TEST_ROOT/listed" &&
	bad= &&
	while read -r c; do
		grep -qx -- "$c" "$TEST_ROOT/commands" || bad="$bad $c"
	done <"$TEST_ROOT/listed" &&
	if test -n "$bad"; then echo "perf help lists unknown commands:$bad" >&2; false; fi
'

test_expect_success 'perf(1) names every command, and every page it names exists' '
	bad= &&
	while read -r c; do
		grep -q "\*perf-$c\*(1)" "$man_src/perf.1.scd" || bad="$bad perf-$c"
	done <"$TEST_ROOT/commands" &&
	if test -n "$bad"; then echo "perf(1) does not name:$bad" >&2; false; fi &&
	for f in "$man_src"/*.scd; do
		for ref in $(grep -o "\*perf-[a-z-]*\*([15])" "$f" | tr -d "*" | sort -u); do
			name=${ref%(*}
			sect=${ref#*(}
			sect=${sect%)}
			test -f "$man_src/$name.$sect.scd" || bad="$bad ${f##*/}->$ref"
		done
	done &&
	if test -n "$bad"; then echo "references to missing pages:$bad" >&2; false; fi
'

test_expect_success 'perf help COMMAND prints the usage when stdout is not a terminal' '
	while read -r c; do
		perf help "$c" >"$out" 2>"$err" || { echo "perf help $c failed" >&2; cat "$err" >&2; exit 1; }
		perf "$c" -h >"$TEST_ROOT/usage" || exit 1
		cmp "$TEST_ROOT/usage" "$out" || { echo "perf help $c is not perf $c -h" >&2; exit 1; }
		head -1 "$out" | grep -q "^usage: perf $c" || { echo "perf help $c: no usage line" >&2; exit 1; }
		test ! -s "$err" || exit 1
	done <"$TEST_ROOT/commands"
'

test_expect_success 'perf help lists every command with its summary' '
	perf help >"$out" &&
	head -1 "$out" | grep -q "^usage: perf " &&
	while read -r c; do
		grep -q "^   $c  *[a-z]" "$out" || { echo "perf help does not list $c" >&2; exit 1; }
	done <"$TEST_ROOT/commands" &&
	perf help --usage >"$TEST_ROOT/usage" &&
	cmp "$out" "$TEST_ROOT/usage"
'

test_expect_success 'perf help format, and unknown or extra commands' '
	perf help format >"$out" &&
	contains "$out" "perf-format(5)" &&
	expect_fail 2 perf help no-such-command 2>"$err" &&
	contains "$err" "no command '\''no-such-command'\''" &&
	expect_fail 2 perf help goal checkin 2>"$err" &&
	contains "$err" "give one command"
'

# On a terminal, perf help runs man; script(1) gives it one, and MANPATH
# points man at the pages rendered above.
if command -v script >/dev/null 2>&1 && command -v man >/dev/null 2>&1; then
	test_expect_success 'on a terminal, perf help COMMAND shows the manual page' '
		mkdir -p "$TEST_ROOT/mp/man1" "$TEST_ROOT/mp/man5" &&
		cp "$TEST_ROOT"/man/*.1 "$TEST_ROOT/mp/man1/" &&
		cp "$TEST_ROOT"/man/*.5 "$TEST_ROOT/mp/man5/" &&
		MANPATH=$TEST_ROOT/mp MANPAGER=cat PAGER=cat MANWIDTH=80 \
			script -qec "$PERF_BIN help goal" /dev/null >"$out" </dev/null &&
		contains "$out" "perf-goal - set personal goals" &&
		MANPATH=$TEST_ROOT/mp MANPAGER=cat PAGER=cat MANWIDTH=80 \
			script -qec "$PERF_BIN help --usage goal" /dev/null >"$out" </dev/null &&
		contains "$out" "usage: perf goal add TITLE"
	'
else
	test_skip 'on a terminal, perf help COMMAND shows the manual page' 'script or man is not installed'
fi

test_done
