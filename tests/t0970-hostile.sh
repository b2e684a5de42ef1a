#!/bin/bash
# Hostile input: documents committed with plain git that perf must refuse to
# read (a clear error naming the file, a non-zero exit below 128, nothing
# changed), and arguments that perf must refuse to write from.
. "$(dirname "$0")/lib.sh"

team_fixture --now 2026-11-16T09:00:00Z --no-admit ari || exit 1
as ari perf goal add "Ship search v2" --id ship >/dev/null
as ari perf checkin --week 2026-W10 -m "a sound check-in" >/dev/null
base=$(git rev-parse HEAD)
cases=0

# fresh: back to the sound repository (test set-up, not a repair).
fresh() {
	rm -f .git/index.lock
	git reset -q --hard "$base" && git clean -qfdx
}

# plant PATH: commit standard input as PATH with plain git.
plant() {
	fresh && mkdir -p "$(dirname "$1")" && cat >"$1" && git add -f "$1" &&
		git commit -q -m "hostile $1"
}

# refused CMD...: exits 1..127 (an error, not a crash), with a message.
refused() {
	"$@" >"$out" 2>"$err"
	_rc=$?
	if test $_rc = 0 || test $_rc -ge 128; then
		echo "exit $_rc from: $*" >&2
		head -c 2000 "$err" >&2
		return 1
	fi
	test -s "$err" || { echo "no message from: $*" >&2; return 1; }
}

# bad_doc DESCRIPTION PATH SHOW-TARGET: perf show and perf check refuse the
# document on standard input, naming it, and change nothing.
bad_doc() {
	plant "$2" || return 1
	before=$(snapshot .)
	refused as ari "$PERF_BIN" show "$3" && contains "$err" "$2" &&
		refused as ari "$PERF_BIN" check && cat "$out" >>"$err" && contains "$err" "$2" &&
		unchanged . "$before"
}

# bad_arg CMD...: perf refuses to write and changes nothing.
bad_arg() {
	cases=$((cases + 1))
	fresh || return 1
	before=$(snapshot .)
	refused as ari "$PERF_BIN" "$@" && unchanged . "$before"
}

fm() { printf -- '---\nkind: checkin\nperson: ari\nweek: %s\n' "$1"; }
W=checkins/ari/2026-W20.md

doc_case() {
	# doc_case DESCRIPTION GENERATOR [PATH] [TARGET]
	_p=${3:-$W}
	_t=${4:-$_p}
	cases=$((cases + 1))
	test_expect_here "document: $1" "$2 | bad_doc '$1' '$_p' '$_t'"
}

doc_case 'YAML alias bomb' "printf -- '---\nkind: checkin\nperson: ari\nweek: 2026-W20\na: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n---\nbody\n'"
doc_case 'a single alias' "printf -- '---\nkind: checkin\nperson: &p ari\nweek: 2026-W20\nlearned: *p\n---\nbody\n'"
doc_case 'flow sequences nested 10000 deep' "{ fm 2026-W20; printf 'learned: '; perl -e 'print \"[\" x 10000, \"]\" x 10000'; printf '\n---\nbody\n'; }"
doc_case 'mappings nested 5000 deep' "{ fm 2026-W20; printf 'learned: '; perl -e 'print \"{a: \" x 5000, \"b\", \"}\" x 5000'; printf '\n---\nbody\n'; }"
doc_case 'block mappings nested 2000 deep' "{ fm 2026-W20; perl -e 'for (0..1999) { print \" \" x \$_, \"k\$_:\n\" } print \" \" x 2000, \"v\n\"'; printf -- '---\nbody\n'; }"
doc_case 'a NUL byte in the front matter' "printf -- '---\nkind: checkin\nperson: ari\0\nweek: 2026-W20\n---\nbody\n'"
doc_case 'a NUL byte in the body' "{ fm 2026-W20; printf -- '---\nbo\0dy\n'; }"
doc_case 'invalid UTF-8 in the front matter' "{ fm 2026-W20; printf 'learned: \\377\\376\n---\nbody\n'; }"
doc_case 'invalid UTF-8 in the body' "{ fm 2026-W20; printf -- '---\nbody \\300\\200 overlong\n'; }"
doc_case 'a UTF-16 surrogate encoded in UTF-8' "{ fm 2026-W20; printf -- 'learned: \\355\\240\\200\n---\nbody\n'; }"
doc_case 'duplicate keys' "printf -- '---\nkind: checkin\nperson: ari\nweek: 2026-W20\nperson: lena\n---\nbody\n'"
doc_case 'no opening fence' "printf -- 'kind: checkin\nperson: ari\nweek: 2026-W20\n---\nbody\n'"
doc_case 'no closing fence' "printf -- '---\nkind: checkin\nperson: ari\nweek: 2026-W20\nbody\n'"
doc_case 'an empty file' "printf ''"
doc_case 'front matter that is a list' "printf -- '---\n- person\n- ari\n---\nbody\n'"
doc_case 'front matter that is a scalar' "printf -- '---\njust words\n---\nbody\n'"
doc_case 'a 10 MB document' "{ fm 2026-W20; printf -- '---\n'; head -c 10485760 /dev/zero | tr '\\0' a; printf '\n'; }"
doc_case 'a key of 1 MB' "{ fm 2026-W20; head -c 1048576 /dev/zero | tr '\\0' k; printf ': v\n---\nbody\n'; }"
doc_case 'fences doubled' "printf -- '---\n---\nkind: checkin\nperson: ari\nweek: 2026-W20\n---\nbody\n'"
doc_case 'a language-specific YAML tag' "{ fm 2026-W20; printf -- 'mood: !!python/object:os.system [rm]\n---\nbody\n'; }"
doc_case 'a week that is a list' "printf -- '---\nkind: checkin\nperson: ari\nweek: [2026, 20]\n---\nbody\n'"
doc_case 'a person that is a path' "printf -- '---\nkind: checkin\nperson: ../../etc\nweek: 2026-W20\n---\nbody\n'"
doc_case 'a 40-digit mood' "{ fm 2026-W20; printf -- 'mood: 1234567890123456789012345678901234567890\n---\nbody\n'; }"
doc_case 'a goal with an alias bomb' "printf -- '---\nkind: goal\ntitle: &t [x,x,x,x,x,x,x,x]\nperson: ari\nstatus: [*t,*t,*t,*t,*t,*t,*t,*t]\n---\nbody\n'" goals/ari/bomb.md goals/ari/bomb.md

# CRLF line endings and a byte-order mark are accepted or refused, but never
# a crash, and nothing changes.
for variant in crlf bom; do
	cases=$((cases + 1))
	test_expect_success "document: $variant reads without a crash and changes nothing" '
		if test '$variant' = crlf; then
			printf -- "---\r\nperson: ari\r\nweek: 2026-W20\r\n---\r\nbody\r\n" | plant $W
		else
			printf -- "\357\273\277---\nperson: ari\nweek: 2026-W20\n---\nbody\n" | plant $W
		fi &&
		before=$(snapshot .) &&
		{ as ari "$PERF_BIN" show $W >"$out" 2>"$err"; rc=$?; test $rc -lt 128; } &&
		{ test $rc = 0 || contains "$err" $W; } &&
		{ as ari "$PERF_BIN" check >"$out" 2>"$err"; rc=$?; test $rc -lt 128; } &&
		unchanged . "$before"
	'
done

cases=$((cases + 1))
test_expect_success "cmark's quadratic input in a body: perf show finishes" '
	{ fm 2026-W20; printf -- "---\n"; perl -e "print \"![[]()\" x 30000"; printf "\n"; } | plant $W &&
	before=$(snapshot .) &&
	{ as ari "$PERF_BIN" show $W >"$out" 2>"$err"; test $? -lt 128; } &&
	unchanged . "$before"
'

cases=$((cases + 1))
test_expect_success 'goal list refuses a hostile goal, naming it' '
	printf -- "---\ntitle: Bad\nperson: ari\nstatus: active\nprogress: 1\nprogress: 2\n---\nbody\n" | plant goals/ari/bad.md &&
	before=$(snapshot .) &&
	refused as ari "$PERF_BIN" goal list && contains "$err" goals/ari/bad.md &&
	unchanged . "$before"
'

# Arguments perf must refuse.
arg_case() {
	_d=$1
	shift
	test_expect_here "argument: $_d" "bad_arg $(printf '%q ' "$@")"
}
arg_case 'join --handle ../evil' join --handle ../evil --role x
arg_case 'join --handle /tmp/evil' join --handle /tmp/evil --role x
arg_case 'join --handle .git' join --handle .git --role x
arg_case 'goal add --id ../x' goal add x --id ../x
arg_case 'goal add --id /tmp/x' goal add x --id /tmp/x
arg_case 'goal add --id a/b' goal add x --id a/b
arg_case 'goal add --id ..' goal add x --id ..
arg_case 'goal set ../../ship' goal set ../../ship progress=5
arg_case 'goal set progress=../' goal set ship progress=../
arg_case 'goal set progress=1e999' goal set ship progress=1e999
arg_case 'reply ../../etc/passwd' reply ../../etc/passwd -m x
arg_case 'reply /etc/passwd' reply /etc/passwd -m x
arg_case 'reply goals/ari/../../../etc/passwd' reply goals/ari/../../../etc/passwd -m x
arg_case 'reply ari/../../x' reply ari/../../x -m x
arg_case 'show ../../etc/passwd' show ../../etc/passwd
arg_case 'show /etc/passwd' show /etc/passwd
arg_case 'show checkins/ari/../../../../etc/passwd' show checkins/ari/../../../../etc/passwd
arg_case 'checkin --week ../../x' checkin --week ../../x -m x
arg_case 'checkin --goal ../x=5' checkin --goal ../x=5
arg_case 'checkin -m with invalid UTF-8' checkin -m "$(printf 'a\377b')"

cases=$((cases + 1))
test_expect_success 'a 100 KB -m is written whole or refused, never half' '
	fresh && before=$(snapshot .) &&
	big=$(head -c 102400 /dev/zero | tr "\0" a) &&
	as ari "$PERF_BIN" checkin --week 2026-W21 -m "$big" >"$out" 2>"$err"; rc=$?
	test $rc -lt 128 &&
	if test $rc = 0; then
		git show HEAD:checkins/ari/2026-W21.md | grep -q "$big" && repo_clean .
	else
		unchanged . "$before"
	fi
'

cases=$((cases + 1))
test_expect_success 'checkins/ari as a symlink out of the repository: checkin refuses, nothing written outside' '
	fresh && mkdir -p "$TEST_ROOT/outside" &&
	git rm -q -r checkins/ari && rm -rf checkins/ari && mkdir -p checkins && ln -s "$TEST_ROOT/outside" checkins/ari &&
	git add checkins/ari && git commit -q -m "symlink out" &&
	before=$(snapshot .) &&
	refused as ari "$PERF_BIN" checkin --week 2026-W22 -m x && contains "$err" checkins/ari &&
	test -z "$(ls -A "$TEST_ROOT/outside")" &&
	unchanged . "$before"
'

cases=$((cases + 1))
test_expect_success 'a document that is a symlink to /etc/passwd: show refuses, naming it' '
	fresh && ln -s /etc/passwd checkins/ari/2026-W23.md && git add checkins/ari/2026-W23.md &&
	git commit -q -m "symlink doc" && before=$(snapshot .) &&
	refused as ari "$PERF_BIN" show checkins/ari/2026-W23.md && contains "$err" checkins/ari/2026-W23.md &&
	unchanged . "$before"
'

cases=$((cases + 1))
test_expect_success 'a file where the checkins/ari folder should be: checkin refuses' '
	fresh && git rm -q -r checkins/ari && mkdir -p checkins && printf "not a folder\n" >checkins/ari &&
	git add checkins/ari && git commit -q -m "file for folder" && before=$(snapshot .) &&
	refused as ari "$PERF_BIN" checkin --week 2026-W22 -m x && contains "$err" checkins/ari &&
	unchanged . "$before"
'

cases=$((cases + 1))
test_expect_success 'a corrupted .perf/config.yaml: commands refuse, naming it; check lists it' '
	fresh && printf "team: [unclosed\n\0\377" >.perf/config.yaml && git commit -q -a -m "bad config" &&
	before=$(snapshot .) &&
	refused as ari "$PERF_BIN" goal list && contains "$err" .perf/config.yaml:2 &&
	refused as ari "$PERF_BIN" status && contains "$err" .perf/config.yaml &&
	refused as ari "$PERF_BIN" check && contains "$out" .perf/config.yaml:2 &&
	refused as ari "$PERF_BIN" checkin --week 2026-W22 -m x && contains "$err" .perf/config.yaml &&
	unchanged . "$before"
'

cases=$((cases + 1))
test_expect_success 'a stale .git/index.lock: writes refuse, naming it' '
	fresh && : >.git/index.lock && before=$(snapshot .) &&
	refused as ari "$PERF_BIN" checkin --week 2026-W22 -m x && contains "$err" index.lock &&
	unchanged . "$before" && rm -f .git/index.lock
'

echo "# hostile cases: $cases"
test_done
