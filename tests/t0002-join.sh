#!/bin/sh
# perf join and identity mapping.
. "$(dirname "$0")/lib.sh"

perf init team --team Search >/dev/null 2>&1
cd team

test_expect_success 'join adds people/<handle>.md in one commit authored by you' '
	perf join --role "Staff engineer" >"$out" &&
	contains "$out" "joined as alice (people/alice.md)" &&
	test -f people/alice.md &&
	contains people/alice.md "kind: person" &&
	contains people/alice.md "email: alice@example.com" &&
	contains people/alice.md "role: Staff engineer" &&
	test "$(git log -1 --format="%an <%ae>")" = "Alice Example <alice@example.com>" &&
	test "$(git log -1 --format=%s)" = "join: alice (Alice Example)" &&
	git log -1 --format=%B | grep -qx "Perf-Path: people/alice.md" &&
	git log -1 --format=%B | grep -qx "Perf-Kind: person" &&
	repo_clean .
'

test_expect_success 'the people file reads the same in PyYAML' '
	python3 - <<-PY
	import yaml
	t = open("people/alice.md").read()
	fm = yaml.safe_load(t.split("---\n")[1])
	assert fm["name"] == "Alice Example" and fm["kind"] == "person", fm
	PY
'

test_expect_success 'GIT_AUTHOR_* identity is honoured, lead must exist' '
	before=$(snapshot .) &&
	as bob expect_fail 1 perf join --lead zed 2>"$err" &&
	contains "$err" "lead '\''zed'\'' is not in the team" &&
	unchanged . "$before" &&
	as bob perf join --lead alice >"$out" &&
	contains "$out" "joined as bob" &&
	contains people/bob.md "lead: alice" &&
	test "$(git log -1 --format=%an)" = "Bob Example" &&
	repo_clean .
'

test_expect_success 'joining twice is refused and changes nothing' '
	before=$(snapshot .) &&
	as bob expect_fail 1 perf join 2>"$err" &&
	contains "$err" "already in the team" &&
	unchanged . "$before"
'

test_expect_success 'bad handles are refused before touching the disk' '
	before=$(snapshot .) &&
	for h in "../evil" "/abs" "Upper" "-dash" "a/b" "" "x$(printf %040d 0)" "a b" ".hidden"; do
		as carol expect_fail 2 perf join --handle "$h" 2>"$err" || return 1
	done &&
	unchanged . "$before"
'

test_expect_success 'a chosen handle with another email maps back through people/' '
	GIT_AUTHOR_NAME="Carol C" GIT_AUTHOR_EMAIL=cc@corp.example perf join --handle carol >"$out" &&
	contains "$out" "joined as carol" &&
	GIT_AUTHOR_NAME="Carol C" GIT_AUTHOR_EMAIL=cc@corp.example perf join 2>"$err"; test $? = 1 &&
	contains "$err" "already in the team as '\''carol'\''"
'

test_expect_success 'perf.handle in git config names you' '
	git config perf.handle dave &&
	as dave perf join --handle dave >"$out" &&
	contains "$out" "joined as dave" &&
	git config --unset perf.handle
'

test_expect_success 'join from a subfolder finds the repository' '
	cd people &&
	as erin perf join >"$out" && contains "$out" "joined as erin" &&
	cd .. && repo_clean .
'

test_expect_success 'without a name or email, perf says how to set them' '
	cd "$TEST_ROOT" && perf init solo >/dev/null && cd solo &&
	git config --global --unset user.name &&
	expect_fail 1 perf join 2>"$err" &&
	contains "$err" "git config --global user.name" &&
	git config --global user.name "Alice Example"
'

test_expect_success 'nobody joins as their own lead' '
	git init -q selflead && perf init selflead >/dev/null 2>&1 &&
	(cd selflead && as zed expect_fail 1 perf join --lead zed 2>"$err") &&
	contains "$err" "nobody is their own lead" && test ! -f selflead/people/zed.md
'

test_done
