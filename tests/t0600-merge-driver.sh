#!/bin/sh
# perf merge-driver: plain git merges documents field by field, keeps both
# values of a true clash without conflict markers, and says which field.
. "$(dirname "$0")/lib.sh"

# test_cmp_file WANT GOT: the files are equal (a diff on stderr if not).
test_cmp_file() {
	diff -u "$1" "$2" >&2
}

goal() {
	cat <<EOF
---
kind: goal
person: alice
title: Ship search v2
status: $1
progress: $2
due: 2026-12-31
---
## Why

Search is slow.
EOF
}

config() {
	cat <<EOF
# The team's program
kind: config
format: 1
team: Search Team
cadences:
  checkin: $1
  share: $2
maintainers: [alice]
EOF
}

test_expect_success 'a repository with the driver configured as a plain git user would' '
	git init -q repo &&
	cd repo &&
	git config merge.perf.name "perf field-level merge" &&
	git config merge.perf.driver "$PERF_BIN merge-driver %O %A %B %P" &&
	printf "*.md merge=perf\n.perf/config.yaml merge=perf\n" >.gitattributes &&
	mkdir -p goals/alice .perf &&
	goal active 20 >goals/alice/ship.md &&
	config weekly monthly >.perf/config.yaml &&
	git add . &&
	git commit -qm base
'

test_expect_success 'two branches change neighbouring fields of one goal' '
	cd repo &&
	git checkout -q -b progress &&
	goal active 70 >goals/alice/ship.md &&
	git commit -qam "progress 70" &&
	git checkout -q main &&
	goal done 20 >goals/alice/ship.md &&
	git commit -qam "status done"
'

test_expect_success 'git alone would conflict on those lines' '
	cd repo &&
	git show main~1:goals/alice/ship.md >"$TEST_ROOT/b" &&
	git show main:goals/alice/ship.md >"$TEST_ROOT/o" &&
	git show progress:goals/alice/ship.md >"$TEST_ROOT/t" &&
	! git merge-file -p "$TEST_ROOT/o" "$TEST_ROOT/b" "$TEST_ROOT/t" >/dev/null
'

test_expect_success 'git merge succeeds with both changes' '
	cd repo &&
	git merge -q --no-edit progress 2>"$err" &&
	goal done 70 >"$TEST_ROOT/want" &&
	test_cmp_file "$TEST_ROOT/want" goals/alice/ship.md &&
	test "$(git rev-list --count HEAD)" = 4 &&
	test -z "$(git status --porcelain)"
'

test_expect_success 'the same field changed differently: git merge fails' '
	cd repo &&
	git checkout -q -b theirs &&
	goal done 90 >goals/alice/ship.md &&
	git commit -qam "progress 90" &&
	git checkout -q main &&
	goal done 40 >goals/alice/ship.md &&
	git commit -qam "progress 40" &&
	! git merge --no-edit theirs >"$out" 2>"$err"
'

test_expect_success 'the clash leaves no conflict markers and keeps ours' '
	cd repo &&
	! grep "<<<<<<<\|>>>>>>>\|=======" goals/alice/ship.md &&
	goal done 40 >"$TEST_ROOT/want" &&
	test_cmp_file "$TEST_ROOT/want" goals/alice/ship.md
'

test_expect_success 'stderr names the file and the field with both values' '
	contains "$err" "perf: goals/alice/ship.md: field '\''progress'\'' changed on both sides: ours 40, theirs 90 (base 70); settle it with '\''perf resolve'\''"
'

test_expect_success 'git keeps the file conflicted, theirs in the index' '
	cd repo &&
	test "$(git status --porcelain goals/alice/ship.md)" = "UU goals/alice/ship.md" &&
	git show :3:goals/alice/ship.md | grep -q "progress: 90" &&
	git merge --abort
'

test_expect_success 'the config (no fences) merges key by key' '
	cd repo &&
	git checkout -q -b share &&
	config weekly quarterly >.perf/config.yaml &&
	git commit -qam "share quarterly" &&
	git checkout -q main &&
	config fortnightly monthly >.perf/config.yaml &&
	git commit -qam "checkin fortnightly" &&
	git merge -q --no-edit share &&
	config fortnightly quarterly >"$TEST_ROOT/want" &&
	test_cmp_file "$TEST_ROOT/want" .perf/config.yaml
'

test_expect_success 'git pull in a clone merges the same way' '
	git clone -q repo clone &&
	cd clone &&
	git config merge.perf.driver "$PERF_BIN merge-driver %O %A %B %P" &&
	(cd ../repo && goal done 95 >goals/alice/ship.md && git commit -qam "progress 95") &&
	goal dropped 40 >goals/alice/ship.md &&
	git commit -qam dropped &&
	git -c pull.rebase=false pull -q --no-edit &&
	goal dropped 95 >"$TEST_ROOT/want" &&
	test_cmp_file "$TEST_ROOT/want" goals/alice/ship.md
'

test_expect_success 'run by hand: the result replaces OURS, exit 0' '
	goal active 20 >base.md && goal done 20 >ours.md && goal active 70 >theirs.md &&
	chmod 640 ours.md &&
	perf merge-driver base.md ours.md theirs.md goals/alice/ship.md &&
	goal done 70 >want.md &&
	test_cmp_file want.md ours.md &&
	test "$(stat -c %a ours.md)" = 640 &&
	test -z "$(ls -a | grep perf-merge)"
'

test_expect_success 'an empty base (both added the file) still merges fields' '
	: >empty &&
	goal done 20 | sed "s/^status:.*/&\nsupports: search/" >ours.md &&
	goal done 20 | sed "s/^due:.*/&\ncycle: q4/" >theirs.md &&
	perf merge-driver empty ours.md theirs.md goals/alice/ship.md &&
	goal done 20 | sed "s/^status:.*/&\nsupports: search/; s/^due:.*/&\ncycle: q4/" >want.md &&
	test_cmp_file want.md ours.md
'

test_expect_success 'run by hand with a clash: exit 1, ours kept' '
	goal active 20 >base.md && goal done 30 >ours.md && goal active 70 >theirs.md &&
	expect_fail 1 perf merge-driver base.md ours.md theirs.md goals/alice/ship.md 2>"$err" &&
	goal done 30 >want.md &&
	test_cmp_file want.md ours.md &&
	contains "$err" "field '\''progress'\'' changed on both sides: ours 30, theirs 70 (base 20)"
'

test_expect_success 'a missing file: exit 1, nothing written' '
	goal done 30 >ours.md &&
	expect_fail 1 perf merge-driver nothing.md ours.md theirs.md 2>"$err" &&
	contains "$err" "perf: cannot read '\''nothing.md'\''" &&
	goal done 30 >want.md &&
	test_cmp_file want.md ours.md
'

test_expect_success 'usage errors exit 2' '
	expect_fail 2 perf merge-driver base.md ours.md 2>"$err" &&
	contains "$err" "usage: perf merge-driver" &&
	expect_fail 2 perf merge-driver --install extra 2>"$err"
'

test_expect_success '--install writes the driver into the repository config' '
	perf init team >/dev/null &&
	git -C team config --unset merge.perf.driver || : &&
	(cd team && perf merge-driver --install >"$out") &&
	git -C team config merge.perf.driver >"$TEST_ROOT/drv" &&
	contains "$TEST_ROOT/drv" "merge-driver %O %A %B %P" &&
	contains "$TEST_ROOT/drv" "$PERF_BIN" &&
	git -C team config merge.perf.name >/dev/null
'

test_expect_success '--install says when .gitattributes lacks merge=perf' '
	(cd team && perf merge-driver --install 2>"$err" >/dev/null) &&
	! grep -q . "$err" &&
	(cd team && git rm -q .gitattributes && git commit -qm "no attributes" &&
	 perf merge-driver --install 2>"$err" >/dev/null) &&
	contains "$err" "*.md merge=perf"
'

test_done
