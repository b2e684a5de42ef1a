#!/bin/sh
# perf check: schema, layout and cross-document problems, like a compiler.
. "$(dirname "$0")/lib.sh"

team_fixture --lead alice --lead-role "" --role "" --no-admit bob || exit 1

# A small, correct team: a goal, a check-in on it, and a reply to the check-in.
mkdir -p goals/alice checkins/alice/2026-W47
cat >goals/alice/ship-search.md <<'EOF'
---
kind: goal
person: alice
title: Ship search v2
status: active
progress: 40
---
## What success looks like
EOF
cat >checkins/alice/2026-W47.md <<'EOF'
---
kind: checkin
person: alice
week: 2026-W47
goals:
  - goal: ship-search
    progress: 60
mood: 4
---
## Learned
Tries beat hashes here.
EOF
cat >checkins/alice/2026-W47/20261123T100000Z-bob.md <<'EOF'
---
kind: reply
author: bob
to: checkins/alice/2026-W47.md
at: 2026-11-23T10:00:00Z
---
Great, demo Friday?
EOF
git add goals checkins && git commit -qm "by hand: a goal, a check-in and a reply"

test_expect_success 'a clean repository: no output, exit 0' '
	perf check >"$out" 2>"$err" &&
	test ! -s "$out" && test ! -s "$err" &&
	perf check --worktree >"$out" 2>"$err" &&
	test ! -s "$out" && test ! -s "$err"
'

test_expect_success 'a clean repository in JSON: checked counts the documents' '
	perf --json check >"$out" &&
	python3 - "$out" <<-PY
	import json, sys
	d = json.load(open(sys.argv[1]))
	# config, two people, a goal, a check-in and a reply; not README.md or templates
	assert d == {"checked": 6, "problems": []}, d
	PY
'

# Hand-written mistakes, committed with plain git.
mkdir -p checkins/zed checkins/bob goals/bob checkins/alice/2026-W40
cat >checkins/alice/2026-W46.md <<'EOF'
---
kind: checkin
person: alice
week: 2026-W46
goals:
  - goal: learn-rust
    progress: 10
mood: 7
---
EOF
cat >checkins/alice/2026-W45.md <<'EOF'
---
kind: checkin
person: alice
mood: 3
---
EOF
cat >goals/alice/2026-W44.md <<'EOF'
---
kind: checkin
person: alice
week: 2026-W44
---
EOF
cat >checkins/bob/2026-W47.md <<'EOF'
---
kind: goal
person: bob
title: Wrong place
status: active
---
EOF
cat >checkins/zed/2026-W47.md <<'EOF'
---
kind: checkin
person: zed
week: 2026-W47
---
EOF
cat >checkins/alice/notes.md <<'EOF'
---
kind: checkin
person: alice
week: 2026-W47
---
EOF
cat >checkins/alice/2026-W40/20261123T100000Z-bob.md <<'EOF'
---
kind: reply
author: bob
to: checkins/alice/2026-W40.md
at: 2026-11-23T10:00:00Z
---
Answering nothing.
EOF
cat >goals/bob/broken.md <<'EOF'
---
kind: goal
person: bob
title: [unclosed
status: active
---
EOF
printf -- '---\nkind: goal\nperson: bob\ntitle: a\0b\nstatus: active\n---\n' >goals/bob/nul.md
cat >goals/bob/dup.md <<'EOF'
---
kind: goal
person: bob
title: One
title: Two
status: active
---
EOF
printf 'Just a plan.\nNo front matter at all.\n' >goals/bob/plain.md
mkdir -p notes/bob
cat >notes/bob/2026-11-20-one-on-one.md <<'EOF'
---
kind: note
person: bob
date: 2026-11-20
with: [alice, yan]
actions:
  - id: rfc
    owner: xia
    text: Write the RFC
---
EOF
git add checkins goals notes && git commit -qm "by hand: mistakes"

cat >"$TEST_ROOT/expect" <<'EOF'
checkins/alice/2026-W40/20261123T100000Z-bob.md:4:5: parent 'checkins/alice/2026-W40.md' does not exist
checkins/alice/2026-W45.md:1:1: missing required field 'week'
checkins/alice/2026-W46.md:6:11: goal 'learn-rust' does not exist (goals/alice/learn-rust.md)
checkins/alice/2026-W46.md:8:7: 'mood' must be 1-5, not 7
checkins/alice/notes.md:1:1: not a checkin path (checkins/<handle>/<YYYY>-W<ww>.md): 'notes' is not an ISO week
checkins/bob/2026-W47.md:2:7: kind 'goal' does not belong in checkins/ (a goal's path is goals/<handle>/<slug>.md)
checkins/zed/2026-W47.md:3:9: person 'zed' is not in people/
goals/alice/2026-W44.md:2:7: kind 'checkin' does not belong in goals/ (a checkin's path is checkins/<handle>/<YYYY>-W<ww>.md)
goals/bob/broken.md:5:7: invalid YAML: did not find expected ',' or ']' while parsing a flow sequence at line 4
goals/bob/dup.md:5:1: duplicate key 'title' (first at line 4); remove one of them
goals/bob/nul.md:4:9: NUL byte not allowed
goals/bob/plain.md:1:1: missing front matter: the file must start with a line '---'
notes/bob/2026-11-20-one-on-one.md:5:15: person 'yan' is not in people/
notes/bob/2026-11-20-one-on-one.md:8:12: person 'xia' is not in people/
EOF

test_expect_success 'every problem as path:line:col: message, sorted, exit 1' '
	before=$(snapshot .) &&
	expect_fail 1 perf check >"$out" 2>"$err" &&
	diff -u "$TEST_ROOT/expect" "$out" &&
	echo "perf: 14 problems in 12 files (checked 18 documents)" >"$TEST_ROOT/expect.err" &&
	diff -u "$TEST_ROOT/expect.err" "$err" &&
	unchanged . "$before"
'

test_expect_success '--json gives the same problems to scripts' '
	expect_fail 1 perf --json check >"$out" 2>"$err" &&
	test ! -s "$err" &&
	python3 - "$out" "$TEST_ROOT/expect" <<-PY
	import json, sys
	d = json.load(open(sys.argv[1]))
	assert d["checked"] == 18, d["checked"]
	lines = ["%s:%d:%d: %s" % (p["path"], p["line"], p["col"], p["message"]) for p in d["problems"]]
	want = open(sys.argv[2]).read().splitlines()
	assert lines == want, lines
	assert all(set(p) == {"path", "line", "col", "message"} for p in d["problems"])
	PY
	expect_fail 1 perf check --json >"$out" &&
	python3 -c "import json,sys; assert len(json.load(open(sys.argv[1]))[\"problems\"]) == 14" "$out"
'

test_expect_success '-q says nothing; the exit status tells' '
	expect_fail 1 perf check -q >"$out" 2>"$err" &&
	test ! -s "$out" && test ! -s "$err" &&
	expect_fail 1 perf --json check --quiet >"$out" &&
	test ! -s "$out"
'

test_expect_success 'paths limit the check, relative to the current folder' '
	perf check people goals/alice/ship-search.md >"$out" 2>"$err" &&
	test ! -s "$out" && test ! -s "$err" &&
	expect_fail 1 perf check checkins/alice/2026-W46.md >"$out" 2>"$err" &&
	printf "%s\n" \
		"checkins/alice/2026-W46.md:6:11: goal '\''learn-rust'\'' does not exist (goals/alice/learn-rust.md)" \
		"checkins/alice/2026-W46.md:8:7: '\''mood'\'' must be 1-5, not 7" >"$TEST_ROOT/expect.one" &&
	diff -u "$TEST_ROOT/expect.one" "$out" &&
	contains "$err" "perf: 2 problems in 1 file (checked 1 document)" &&
	(cd checkins/alice && expect_fail 1 perf check 2026-W46.md ../zed) >"$out" &&
	test "$(wc -l <"$out")" = 3 &&
	contains "$out" "checkins/zed/2026-W47.md:3:9: person" &&
	(cd goals && expect_fail 1 perf check bob/dup.md) >"$out" &&
	contains "$out" "goals/bob/dup.md:5:1: duplicate key" &&
	(cd "$TEST_ROOT" && perf -C team check people) >"$out" && test ! -s "$out" &&
	(cd "$TEST_ROOT" && expect_fail 1 perf -C team check goals/bob/plain.md) >"$out" &&
	test "$(wc -l <"$out")" = 1
'

test_expect_success 'paths outside the repository, or missing, are usage errors' '
	before=$(snapshot .) &&
	expect_fail 2 perf check "$TEST_ROOT" 2>"$err" &&
	contains "$err" "is outside the repository" &&
	expect_fail 2 perf check .. 2>"$err" &&
	contains "$err" "is outside the repository" &&
	expect_fail 2 perf check no-such-file.md 2>"$err" &&
	contains "$err" "no-such-file.md" &&
	expect_fail 2 perf check .git/config 2>"$err" &&
	contains "$err" "inside .git" &&
	expect_fail 2 perf check --no-such-option 2>"$err" &&
	unchanged . "$before"
'

test_expect_success 'fixed by hand and committed: clean again' '
	git rm -q -r checkins/zed checkins/bob checkins/alice/notes.md checkins/alice/2026-W40 \
		goals/alice/2026-W44.md goals/bob notes &&
	sed -i "s/^mood: 7/mood: 5/; s/learn-rust/ship-search/" checkins/alice/2026-W46.md &&
	printf -- "---\nkind: checkin\nperson: alice\nweek: 2026-W45\nmood: 3\n---\n" >checkins/alice/2026-W45.md &&
	git commit -qam "fix by hand" &&
	perf check >"$out" 2>"$err" && test ! -s "$out" && test ! -s "$err"
'

test_expect_success '--worktree catches a hand edit before it is committed' '
	sed -i "s/^mood: 4/mood: 9/" checkins/alice/2026-W47.md &&
	printf -- "---\nkind: goal\nperson: alice\ntitle: New\n---\n" >goals/alice/new.md &&
	echo "*.draft.md" >.gitignore &&
	printf "not even front matter\n" >goals/alice/x.draft.md &&
	before=$(snapshot .) &&
	perf check >"$out" 2>"$err" && test ! -s "$out" &&
	expect_fail 1 perf check --worktree >"$out" 2>"$err" &&
	printf "%s\n" \
		"checkins/alice/2026-W47.md:8:7: '\''mood'\'' must be 1-5, not 9" \
		"goals/alice/new.md:1:1: missing required field '\''status'\''" >"$TEST_ROOT/expect.wt" &&
	diff -u "$TEST_ROOT/expect.wt" "$out" &&
	contains "$err" "perf: 2 problems in 2 files (checked 9 documents)" &&
	expect_fail 1 perf check -w -q &&
	unchanged . "$before"
'

test_expect_success '--worktree sees a deleted goal and a broken config' '
	git checkout -q -- checkins/alice/2026-W47.md && rm goals/alice/new.md &&
	mv goals/alice/ship-search.md "$TEST_ROOT/ship-search.md" &&
	sed -i "s/^maintainers:.*/maintainers: [alice, zed]/" .perf/config.yaml &&
	expect_fail 1 perf check --worktree >"$out" &&
	contains "$out" "checkins/alice/2026-W46.md:6:11: goal '\''ship-search'\'' does not exist (goals/alice/ship-search.md)" &&
	contains "$out" "checkins/alice/2026-W47.md:6:11: goal '\''ship-search'\'' does not exist" &&
	grep "^\.perf/config.yaml:[0-9]*:[0-9]*: person '\''zed'\'' is not in people/$" "$out" &&
	expect_fail 1 perf check .perf/config.yaml >"$out" &&
	test "$(wc -l <"$out")" = 1 &&
	mv "$TEST_ROOT/ship-search.md" goals/alice/ &&
	git checkout -q -- .perf/config.yaml && rm .gitignore goals/alice/x.draft.md &&
	perf check --worktree && repo_clean .
'

test_expect_success 'a document that is a symbolic link is a problem, not followed' '
	ln -s 2026-W47.md checkins/alice/2026-W44.md &&
	echo "checkins/alice/2026-W44.md:1:1: is a symbolic link; documents must be regular files" >"$TEST_ROOT/expect.ln" &&
	expect_fail 1 perf check --worktree >"$out" &&
	diff -u "$TEST_ROOT/expect.ln" "$out" &&
	expect_fail 1 perf check checkins/alice/2026-W44.md >"$out" &&
	diff -u "$TEST_ROOT/expect.ln" "$out" &&
	git add checkins/alice/2026-W44.md && git commit -qm "a link" &&
	expect_fail 1 perf check >"$out" &&
	diff -u "$TEST_ROOT/expect.ln" "$out" &&
	git rm -q checkins/alice/2026-W44.md && git commit -qm "no link" &&
	perf check && perf check --worktree
'

test_expect_success 'many documents (checked in parallel) give the same sorted output' '
	python3 - <<-PY &&
	import os
	os.makedirs("goals/bob", exist_ok=True)
	with open("goals/bob/ship-search.md", "w") as f:
	    f.write("---\nkind: goal\nperson: bob\ntitle: Ship it too\nstatus: active\n---\n")
	for i in range(1, 1300):
	    y, w = 2000 + i // 52, i % 52 + 1
	    os.makedirs("checkins/bob", exist_ok=True)
	    mood = 9 if i % 250 == 0 else 3
	    goal = "ship-search" if i % 400 else "gone"
	    with open("checkins/bob/%d-W%02d.md" % (y, w), "w") as f:
	        f.write("---\nkind: checkin\nperson: bob\nweek: %d-W%02d\nmood: %d\n" % (y, w, mood))
	        f.write("goals:\n  - goal: %s\n    progress: 1\n---\n" % goal)
	PY
	git add checkins goals && git commit -qm "many check-ins" &&
	expect_fail 1 perf check >"$out" 2>"$err" &&
	cat >"$TEST_ROOT/expect.many" <<-EOF &&
	checkins/bob/2004-W43.md:5:7: '\''mood'\'' must be 1-5, not 9
	checkins/bob/2007-W37.md:7:11: goal '\''gone'\'' does not exist (goals/bob/gone.md)
	checkins/bob/2009-W33.md:5:7: '\''mood'\'' must be 1-5, not 9
	checkins/bob/2014-W23.md:5:7: '\''mood'\'' must be 1-5, not 9
	checkins/bob/2015-W21.md:7:11: goal '\''gone'\'' does not exist (goals/bob/gone.md)
	checkins/bob/2019-W13.md:5:7: '\''mood'\'' must be 1-5, not 9
	checkins/bob/2023-W05.md:7:11: goal '\''gone'\'' does not exist (goals/bob/gone.md)
	checkins/bob/2024-W03.md:5:7: '\''mood'\'' must be 1-5, not 9
	EOF
	diff -u "$TEST_ROOT/expect.many" "$out" &&
	contains "$err" "perf: 8 problems in 8 files (checked 1308 documents)"
'

test_expect_success 'perf check -h shows its usage' '
	perf check -h >"$out" &&
	contains "$out" "usage: perf check" &&
	contains "$out" "--worktree"
'

test_done
