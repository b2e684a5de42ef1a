#!/bin/sh
# perf expect and perf agree: expectations written by a person and their
# lead, agreed to by both, against a version of the document.
. "$(dirname "$0")/lib.sh"

team_fixture --role "Software engineer" --no-admit ari || exit 1
as bob perf join --lead lena >/dev/null
as solo perf join >/dev/null
admit_all

# Editors for the tests: each copies what it was shown to $TEST_ROOT/seen.md.
cat >"$TEST_ROOT/append.sh" <<EOF
#!/bin/sh
cp "\$1" "$TEST_ROOT/seen.md"
printf 'Pair with bob on the ranking work.\n' >>"\$1"
EOF
cat >"$TEST_ROOT/fail.sh" <<EOF
#!/bin/sh
printf 'lost anyway\n' >>"\$1"
exit 3
EOF
# While lena writes, ari changes the same expectations.
cat >"$TEST_ROOT/race.sh" <<EOF
#!/bin/sh
printf 'Lena was writing this.\n' >>"\$1"
GIT_AUTHOR_NAME="Ari Example" GIT_AUTHOR_EMAIL=ari@example.com GIT_COMMITTER_NAME="Ari Example" GIT_COMMITTER_EMAIL=ari@example.com "$PERF_BIN" expect ari -m "Ari rewrote it meanwhile." >/dev/null
EOF
chmod +x "$TEST_ROOT/append.sh" "$TEST_ROOT/fail.sh" "$TEST_ROOT/race.sh"

# version FILE: the agreement version of FILE computed as perf-format(5)
# describes it, independently of perf.
version() {
	python3 "$PERF_SRC/tests/agreement.py" "$1"
}

# agreements FILE: one "who at version" line per agreed_by entry.
agreements() {
	python3 - "$1" <<-'PY'
	import sys, yaml
	fm = yaml.load(open(sys.argv[1]).read().split("---\n")[1], Loader=yaml.BaseLoader)
	for a in fm.get("agreed_by") or []:
	    print(a["who"], a["at"], a["version"])
	PY
}

test_expect_success 'ari writes their expectations with -m' '
	as ari perf expect -m "## Role
Build and run search." >"$out" &&
	contains "$out" "created expectations/ari.md" &&
	contains "$out" "perf agree expect:ari" &&
	test "$(sed -n 1,6p expectations/ari.md)" = "---
kind: expectations
person: ari
lead: lena
role: Software engineer
---" &&
	test "$(sed -n "7,\$p" expectations/ari.md)" = "## Role
Build and run search." &&
	test "$(git log -1 --format="%an <%ae>")" = "Ari Example <ari@example.com>" &&
	test "$(git log -1 --format=%s)" = "expect: ari" &&
	git log -1 --format=%B | grep -qx "Perf-Kind: expectations" &&
	git log -1 --format=%B | grep -qx "Perf-Path: expectations/ari.md" &&
	repo_clean .
'

test_expect_success 'the expectations read the same in PyYAML' '
	python3 - <<-PY
	import yaml
	fm = yaml.safe_load(open("expectations/ari.md").read().split("---\n")[1])
	assert fm == {"kind": "expectations", "person": "ari", "lead": "lena", "role": "Software engineer"}, fm
	PY
'

test_expect_success 'the lead edits the body in the editor; the fields stay perf'"'"'s' '
	export PERF_EDITOR="$TEST_ROOT/append.sh" &&
	as lena perf expect ari >"$out" &&
	test "$(cat "$out")" = "edited expectations/ari.md" &&
	head -1 "$TEST_ROOT/seen.md" | grep -q "^<!-- perf: expectations/ari.md" &&
	contains "$TEST_ROOT/seen.md" "Build and run search." &&
	! grep -q "^kind:" "$TEST_ROOT/seen.md" &&
	! grep -q "<!--" expectations/ari.md &&
	test "$(tail -2 expectations/ari.md)" = "Build and run search.
Pair with bob on the ranking work." &&
	test "$(git log -1 --format="%an <%ae>")" = "Lena Example <lena@example.com>" &&
	test "$(git log -1 --format=%s)" = "expect: ari (by lena)" &&
	repo_clean .
'

test_expect_success 'an editor that fails makes no commit' '
	before=$(snapshot .) &&
	export PERF_EDITOR="$TEST_ROOT/fail.sh" &&
	as lena expect_fail 1 perf expect ari 2>"$err" &&
	contains "$err" "the editor" &&
	contains "$err" "failed (exit 3)" &&
	unchanged . "$before"
'

test_expect_success 'saving the text unchanged, or an empty file, commits nothing' '
	before=$(snapshot .) &&
	PERF_EDITOR=true as lena perf expect ari >"$out" &&
	test "$(cat "$out")" = "no change; nothing committed" &&
	PERF_EDITOR=": >" as ari perf expect >"$out" &&
	test "$(cat "$out")" = "no change; nothing committed" &&
	PERF_EDITOR=true as bob perf expect >"$out" &&
	test "$(cat "$out")" = "no change; nothing committed" &&
	test ! -e expectations/bob.md &&
	unchanged . "$before"
'

test_expect_success 'the same body again with -F commits nothing' '
	sed -n "7,\$p" expectations/ari.md >"$TEST_ROOT/body.md" &&
	before=$(snapshot .) &&
	as ari perf expect -F "$TEST_ROOT/body.md" >"$out" &&
	test "$(cat "$out")" = "no change; nothing committed" &&
	unchanged . "$before"
'

test_expect_here 'the lead agrees first: recorded against the current version' '
	v1=$(version expectations/ari.md) &&
	as lena perf agree expect:ari >"$out" &&
	test "$(cat "$out")" = "agreed to expectations/ari.md (version $v1); agreed by lena; waiting for ari" &&
	test "$(agreements expectations/ari.md)" = "lena 2026-11-23T10:00:00Z $v1" &&
	test "$(version expectations/ari.md)" = "$v1" &&
	test "$(git log -1 --format="%an <%ae>")" = "Lena Example <lena@example.com>" &&
	test "$(git log -1 --format=%s)" = "agree: lena to ari'"'"'s expectations" &&
	git log -1 --format=%B | grep -qx "Perf-Kind: expectations" &&
	git log -1 --format=%B | grep -qx "Perf-Path: expectations/ari.md" &&
	git log -1 --format=%B | grep -qx "Perf-Agree: $v1" &&
	repo_clean .
'

test_expect_success 'agreeing twice to the same version is refused' '
	before=$(snapshot .) &&
	as lena expect_fail 1 perf agree ari 2>"$err" &&
	contains "$err" "you already agreed to this version of expectations/ari.md" &&
	unchanged . "$before"
'

test_expect_success 'someone else can neither edit nor agree' '
	before=$(snapshot .) &&
	as bob expect_fail 1 perf expect ari -m "I think ari should..." 2>"$err" &&
	contains "$err" "only ari and their lead lena may edit ari'"'"'s expectations" &&
	PERF_EDITOR="$TEST_ROOT/append.sh" as bob expect_fail 1 perf expect ari 2>"$err" &&
	contains "$err" "only ari and their lead lena may edit" &&
	as bob expect_fail 1 perf agree expectations/ari.md 2>"$err" &&
	contains "$err" "only ari and their lead lena may agree to ari'"'"'s expectations" &&
	unchanged . "$before"
'

test_expect_success 'only documents that are agreed to can be agreed to' '
	before=$(snapshot .) &&
	as ari expect_fail 1 perf agree people/ari.md 2>"$err" &&
	contains "$err" "people/ari.md is a person, which is not agreed to" &&
	as bob expect_fail 1 perf agree bob 2>"$err" &&
	contains "$err" "bob has no expectations yet" &&
	contains "$err" "perf expect bob" &&
	unchanged . "$before"
'

test_expect_success 'agreeing to a version that is no longer current is refused' '
	before=$(snapshot .) &&
	as ari expect_fail 1 perf agree --version 0123456789abcdef ari 2>"$err" &&
	contains "$err" "is now at version $(version expectations/ari.md), not 0123456789abcdef" &&
	as ari expect_fail 2 perf agree --version XYZ ari 2>"$err" &&
	unchanged . "$before"
'

test_expect_here 'the person agrees too: the expectations are agreed (--json)' '
	v1=$(version expectations/ari.md) &&
	as ari perf --json agree --version "$(echo "$v1" | cut -c1-8)" expectations/ari.md >"$out" &&
	python3 - "$out" "$v1" <<-PY &&
	import json, sys
	j = json.load(open(sys.argv[1]))
	assert j["path"] == "expectations/ari.md" and j["version"] == sys.argv[2], j
	assert [a["who"] for a in j["agreed_by"]] == ["lena", "ari"], j
	assert j["agreed_by"][1]["at"] == "2026-11-23T10:00:00Z", j
	assert j["agreed"] is True and j["waiting"] == [], j
	PY
	test "$(agreements expectations/ari.md)" = "lena 2026-11-23T10:00:00Z $v1
ari 2026-11-23T10:00:00Z $v1" &&
	test "$(git log -1 --format=%s)" = "agree: ari to ari'"'"'s expectations" &&
	test "$(git log -1 --format=%an)" = "Ari Example" &&
	perf show expect:ari >"$out" &&
	contains "$out" "Agreed to this version by: lena, ari" &&
	! grep -q "Waiting for" "$out" &&
	perf --json show expect:ari | grep -q "\"version\": *\"$v1\"" &&
	python3 -c "import yaml; yaml.safe_load(open(\"expectations/ari.md\").read().split(\"---\n\")[1])" &&
	repo_clean .
'

test_expect_here 'an edit after agreement clears the agreements' '
	as ari perf expect --role "Senior engineer" -m "## Role
Own search relevance." >"$out" &&
	test "$(cat "$out")" = "edited expectations/ari.md; earlier agreements (lena, ari) no longer apply" &&
	git log -1 --format=%B | grep -qx "Perf-Cleared: lena, ari" &&
	! grep -q agreed_by expectations/ari.md &&
	contains expectations/ari.md "role: Senior engineer" &&
	test "$(git log -1 --format=%s)" = "expect: ari" &&
	perf show expect:ari >"$out" &&
	contains "$out" "Not agreed yet" &&
	contains "$out" "Waiting for: ari, lena" &&
	repo_clean .
'

test_expect_here 'agreeing again binds to the new version' '
	v2=$(version expectations/ari.md) &&
	test "$v2" != "$v1" &&
	PERF_NOW=2026-11-24T09:00:00Z as ari perf agree ari >"$out" &&
	test "$(cat "$out")" = "agreed to expectations/ari.md (version $v2); agreed by ari; waiting for lena" &&
	PERF_NOW=2026-11-24T09:30:00Z as lena perf agree ari >"$out" &&
	test "$(cat "$out")" = "agreed to expectations/ari.md (version $v2); agreed by ari, lena: agreed" &&
	test "$(agreements expectations/ari.md)" = "ari 2026-11-24T09:00:00Z $v2
lena 2026-11-24T09:30:00Z $v2" &&
	repo_clean .
'

test_expect_here 'after a change by hand, agreeing replaces your entry for the older version' '
	printf "Demo every Friday.\n" >>expectations/ari.md &&
	git commit -q -m "hand edit" expectations/ari.md &&
	v3=$(version expectations/ari.md) &&
	PERF_NOW=2026-11-25T08:00:00Z as lena perf agree ari >"$out" &&
	test "$(cat "$out")" = "agreed to expectations/ari.md (version $v3); agreed by lena; waiting for ari" &&
	test "$(agreements expectations/ari.md)" = "ari 2026-11-24T09:00:00Z $v2
lena 2026-11-25T08:00:00Z $v3" &&
	perf show expect:ari >"$out" &&
	contains "$out" "Agreed to this version by: lena" &&
	contains "$out" "Agreed to an earlier version by: ari (edited since)" &&
	contains "$out" "Waiting for: ari" &&
	repo_clean .
'

test_expect_success 'a person without a lead is told how to name one' '
	before=$(snapshot .) &&
	as solo expect_fail 1 perf expect -m "text" 2>"$err" &&
	contains "$err" "people/solo.md has no lead; add '"'"'lead: HANDLE'"'"' there" &&
	as lena expect_fail 1 perf expect solo -m "text" 2>"$err" &&
	contains "$err" "people/solo.md has no lead" &&
	unchanged . "$before"
'

test_expect_success 'unknown people and bad arguments' '
	before=$(snapshot .) &&
	as lena expect_fail 1 perf expect zed -m "text" 2>"$err" &&
	contains "$err" "no person '"'"'zed'"'"' in the team" &&
	as lena expect_fail 2 perf expect ../ari -m "text" 2>"$err" &&
	as lena expect_fail 2 perf expect ari -m "text" -F "$TEST_ROOT/body.md" 2>"$err" &&
	contains "$err" "not both" &&
	as lena expect_fail 2 perf expect ari -m "" 2>"$err" &&
	contains "$err" "the text is empty" &&
	as lena expect_fail 2 perf expect ari bob 2>"$err" &&
	as lena expect_fail 2 perf agree 2>"$err" &&
	unchanged . "$before"
'

test_expect_success 'text written while someone else changed the file is saved, not lost' '
	export PERF_EDITOR="$TEST_ROOT/race.sh" &&
	as lena expect_fail 1 perf expect ari 2>"$err" &&
	contains "$err" "expectations/ari.md was changed by someone else while you were writing" &&
	contains "$err" "your text is saved in" &&
	saved=$(sed -n "s/^perf: your text is saved in \(.*\) (use it.*/\1/p" "$err") &&
	test -f "$saved" &&
	case "$saved" in "$PWD"/.git/perf/saved/expectations-ari-*.md) ;; *) false ;; esac &&
	contains "$saved" "Lena was writing this." &&
	! grep -q "<!--" "$saved" &&
	test "$(git log -1 --format=%s)" = "expect: ari" &&
	test "$(git log -1 --format=%an)" = "Ari Example" &&
	test "$(sed -n "7,\$p" expectations/ari.md)" = "Ari rewrote it meanwhile." &&
	repo_clean . &&
	as lena perf expect ari -F "$saved" >"$out" &&
	contains "$out" "edited expectations/ari.md" &&
	contains expectations/ari.md "Lena was writing this." &&
	repo_clean .
'

test_expect_success 'text that cannot be stored is saved, not lost' '
	before=$(snapshot .) &&
	PERF_EDITOR="printf '"'"'bad \377 byte\n'"'"' >>" as lena expect_fail 1 perf expect ari 2>"$err" &&
	contains "$err" "invalid UTF-8" &&
	contains "$err" "your text is saved in" &&
	unchanged . "$before"
'

test_expect_success 'the text can come from standard input' '
	printf "## Role\nFrom stdin.\n" | as ari perf expect -F - >"$out" &&
	contains "$out" "edited expectations/ari.md" &&
	test "$(sed -n "7,\$p" expectations/ari.md)" = "## Role
From stdin." &&
	repo_clean .
'

test_expect_success 'a new document in the editor starts from the team'"'"'s template' '
	printf "## Our words\n<!-- prompt -->\n" >.perf/templates/expectations.md &&
	git commit -q -m "template" .perf/templates/expectations.md &&
	PERF_EDITOR="$TEST_ROOT/append.sh" as bob perf expect >"$out" &&
	contains "$out" "created expectations/bob.md" &&
	contains "$TEST_ROOT/seen.md" "## Our words" &&
	test "$(sed -n "6,\$p" expectations/bob.md)" = "## Our words
<!-- prompt -->
Pair with bob on the ranking work." &&
	contains expectations/bob.md "lead: lena" &&
	! grep -q "^role:" expectations/bob.md &&
	repo_clean .
'

test_done
