#!/bin/sh
# Text from the repository never drives the reader's terminal: a teammate
# puts OSC (title, clipboard), CSI (clear screen) and C1 controls into a
# goal title, a feedback topic, a reply, a praise, a check-in, a person's
# name and a commit subject with plain git, and every reading command is
# run over them.  Only perf's own colours (SGR: ESC [ digits ; m) may reach
# the terminal; everything else shows as text.
. "$(dirname "$0")/lib.sh"

export PERF_NOW=2026-11-16T09:00:00Z
team_fixture --lead-role Lead --no-admit ari bo || exit 1
as ari perf goal add "Ship search v2" --id ship >/dev/null
PERF_NOW=2026-11-17T09:00:00Z as ari perf checkin -m "a sound week" --goal ship=20 >/dev/null
PERF_NOW=2026-11-17T10:00:00Z as ari perf ask lena bo --about "my reviews" >/dev/null
fb=$(ls feedback/ari/ | sed -n 's/\.md$//p' | head -1)

# YAML double-quoted strings take \e and \a; bodies take the raw bytes.
E=$(printf '\033')
B=$(printf '\007')
C1=$(printf '\302\233')
YH='\e]0;pwned\a\e[2J\e]52;c;ZXZpbA==\a'
RAW="${E}]0;pwned${B}${E}[2J${E}]52;c;ZXZpbA==${B}${C1}1m"

# A teammate's plain-git commit carrying hostile text in every body, the
# commit's subject and the author's name (YAML's \e and \a escapes carry
# it into fields as well: tested below).
printf '\nhostile body %s end\n' "$RAW" >>checkins/ari/2026-W47.md
printf '\nwhy %s not\n' "$RAW" >>goals/ari/ship.md
printf '\nabout %s this\n' "$RAW" >>"feedback/ari/$fb.md"
git add -A
GIT_AUTHOR_NAME="Bo ${RAW}" GIT_AUTHOR_EMAIL=bo@example.com GIT_COMMITTER_NAME="Bo ${RAW}" \
	GIT_COMMITTER_EMAIL=bo@example.com git commit -q -m "subject ${RAW} here" || exit 1

# clean FILE: no control byte but newline, tab and carriage return, no
# escape but SGR, no C1 control.
clean() {
	python3 - "$1" <<'PY'
import re, sys
data = open(sys.argv[1], "rb").read()
bad = []
sgr = re.compile(rb"\x1b\[[0-9;]*m")
rest = sgr.sub(b"", data)
for i, c in enumerate(rest):
    if c == 0x1b or c == 0x07 or (c < 0x20 and c not in (9, 10, 13)):
        bad.append(i)
if re.search(rb"\xc2[\x80-\x9f]", rest):
    bad.append(-1)
if bad:
    sys.stderr.write("raw control bytes at %r in %s\n" % (bad[:5], sys.argv[1]))
    sys.stderr.write(repr(data[:400]) + "\n")
    sys.exit(1)
PY
}

# through WHO CMD...: run a reading command, keep both streams, check them;
# it must answer (exit 0, or 1 for "something is due" / a violation found).
through() {
	_who=$1
	shift
	as "$_who" "$PERF_BIN" "$@" >"$TEST_ROOT/o" 2>&1
	_rc=$?
	if test $_rc -gt 1; then
		echo "perf $* failed ($_rc):" >&2
		head -c 600 "$TEST_ROOT/o" >&2
		return 1
	fi
	echo "perf $*" >>"$TEST_ROOT/ran"
	clean "$TEST_ROOT/o" || { echo "from: perf $*" >&2; return 1; }
}

test_expect_success 'the hostile text is really in the repository' '
	grep -q "$E" checkins/ari/2026-W47.md && git log -1 --format=%s | grep -q "$E"
'

test_expect_success 'status, log and diff show it as text' '
	through ari status && through lena status && through lena status --team &&
	through ari log && through ari log goal:ari/ship && through ari log checkin:ari/2026-W47 &&
	through ari diff HEAD~1..HEAD
'

test_expect_success 'show, goal, feedback and praise show it as text' '
	through ari show goal:ari/ship && through ari show checkin:ari/2026-W47 && through ari show person:bo &&
	through ari goal list && through ari goal show ship &&
	through ari feedback && through ari feedback show "$fb"
'

test_expect_success 'summary, share, evidence, group, action and check show it as text' '
	through lena summary --since 2026-11-01 && through lena share --month 2026-11 &&
	through ari evidence && through ari group && through ari action list &&
	through ari check && through ari verify
'

test_expect_success 'the text is still there, made visible, not dropped' '
	as ari "$PERF_BIN" show checkin:ari/2026-W47 >"$out" 2>&1 &&
	grep -F "^[]0;pwned^G" "$out" &&
	as ari "$PERF_BIN" log >"$out" 2>&1 && grep -F "subject ^[]0;pwned" "$out"
'

# A goal whose title carries ESC and BEL through YAML's \e and \a escapes.
evil_goal() {
	cat >goals/ari/evil.md <<'EOF'
---
kind: goal
person: ari
title: "evil \e]0;pwned\a"
status: active
---
EOF
}

test_expect_success 'a field carrying ESC through YAML escapes shows as text too' '
	evil_goal && git add goals/ari/evil.md &&
	as ari git commit -q -m "an evil title" &&
	as ari "$PERF_BIN" goal list >"$out" 2>&1 && clean "$out" && contains "$out" "^[]0;pwned^G" &&
	through ari show goal:ari/evil && through lena summary --since 2026-11-01 && through ari log &&
	through lena status --team && through ari evidence
'

test_expect_success 'perf'\''s own colours still reach a terminal' '
	as lena "$PERF_BIN" --color show checkin:ari/2026-W47 >"$out" 2>&1 &&
	grep -q "$E\[" "$out" && clean "$out"
'

test_expect_success 'JSON output carries the same text, escaped as JSON' '
	as ari "$PERF_BIN" --json show checkin:ari/2026-W47 >"$out" &&
	clean "$out" && grep -F "\\u001b]0;pwned" "$out" &&
	python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$out"
'

echo "# reading commands run over hostile text: $(wc -l <"$TEST_ROOT/ran")"
test_done
