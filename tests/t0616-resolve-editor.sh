#!/bin/sh
# A clash settled by hand: two of ari's clones, synced through a bare
# repository, change the same line of a goal's body and then the same
# field.  perf sync reports the clash in a line (never whole bodies);
# perf resolve PATH opens the editor on git's diff3 layout (base, ours,
# theirs), checks what comes back (no markers left, the field's type, the
# document) and records it; --tool runs the git mergetool configured;
# perf sync then pushes and the other clone gets the result.
. "$(dirname "$0")/lib.sh"

export PERF_NOW=2026-11-16T09:00:00Z
git init -q --bare srv/team.git
(team_fixture --dir seed --lead-role Lead --role "" --no-admit ari &&
	as ari perf goal add "Ship search v2" --id ship >/dev/null &&
	printf '\nPlan:\n\n- index the catalogue\n- rank the results\n- ship to everyone\n' >>goals/ari/ship.md &&
	git add goals/ari/ship.md && as ari git commit -qm "plan for ship" &&
	git remote add origin "$TEST_ROOT/srv/team.git" && git push -q origin main) || exit 1
goal=goals/ari/ship.md

# The editor the test plays: keeps what it was shown, then settles the block.
cat >"$TEST_ROOT/merge-editor" <<'EOF'
#!/bin/sh
cp "$1" "$TEST_ROOT/shown"
awk '/^<<<<<<< /{skip=1; print "- rank the results by clicks, then by recency"; next}
     /^>>>>>>> /{skip=0; next} !skip' "$TEST_ROOT/shown" >"$1"
EOF
# An editor that saves the file as it was shown, markers and all.
printf '#!/bin/sh\nexit 0\n' >"$TEST_ROOT/lazy-editor"
# An editor that writes a word where a number goes.
printf '#!/bin/sh\nprintf "soon\\n" >"$1"\n' >"$TEST_ROOT/word-editor"
chmod +x "$TEST_ROOT/merge-editor" "$TEST_ROOT/lazy-editor" "$TEST_ROOT/word-editor"
export TEST_ROOT

test_expect_success 'two clones of ari' '
	as ari perf clone "$TEST_ROOT/srv/team.git" ari1 >/dev/null &&
	as ari perf clone "$TEST_ROOT/srv/team.git" ari2 >/dev/null
'

test_expect_success 'resolve with nothing pending says so and exits 0' '
	(cd ari1 && as ari perf resolve >"$out" 2>"$err") &&
	contains "$out" "nothing to resolve" &&
	(cd ari1 && as ari perf --json resolve >"$out") &&
	test "$(cat "$out")" = "[]"
'

test_expect_success 'the same body line changed in both clones: a short report, nothing pushed' '
	(cd ari1 && sed -i "s/^- rank the results$/- rank the results by clicks/" $goal &&
		as ari git commit -qam "rank by clicks" && as ari perf sync >/dev/null) &&
	(cd ari2 && sed -i "s/^- rank the results$/- rank the results by recency/" $goal &&
		as ari git commit -qam "rank by recency") &&
	head2=$(git -C ari2 rev-parse HEAD) &&
	(cd ari2 && as ari expect_fail 1 perf sync 2>"$err") &&
	contains "$err" "$goal: body changed on both sides" &&
	contains "$err" "perf resolve PATH" &&
	! grep -q "index the catalogue" "$err" &&
	! grep -q "by clicks" "$err" &&
	test "$(git -C ari2 rev-parse HEAD)" = "$head2" &&
	(cd ari2 && as ari expect_fail 1 perf resolve >"$out") &&
	contains "$out" "$goal: body changed on both sides" &&
	! grep -q "index the catalogue" "$out"
'

test_expect_success 'no editor and no terminal: told to choose, no editor started, nothing changes' '
	before=$(snapshot ari2) &&
	(cd ari2 && as ari expect_fail 1 env -u EDITOR -u VISUAL "$PERF_BIN" resolve $goal </dev/null 2>"$err") &&
	contains "$err" "--ours" && contains "$err" "--value" && contains "$err" "EDITOR" &&
	unchanged ari2 "$before" &&
	(cd ari2 && as ari expect_fail 1 perf resolve >/dev/null)
'

test_expect_success 'an edit that leaves conflict markers is refused and nothing changes' '
	before=$(snapshot ari2) &&
	(cd ari2 && EDITOR="$TEST_ROOT/lazy-editor" as ari expect_fail 1 perf resolve $goal 2>"$err") &&
	contains "$err" "conflict markers" && contains "$err" "nothing was settled" &&
	contains "$err" "is kept in" &&
	unchanged ari2 "$before" &&
	(cd ari2 && as ari expect_fail 1 perf resolve >"$out") && ! contains "$out" "settled)" &&
	(cd ari2 && EDITOR=false as ari expect_fail 1 perf resolve $goal 2>"$err") &&
	contains "$err" "failed" && unchanged ari2 "$before"
'

test_expect_success 'the editor shows base, ours and theirs as diff3 does; its text is recorded' '
	(cd ari2 && EDITOR="$TEST_ROOT/merge-editor" as ari perf resolve $goal >"$out") &&
	contains "$out" "all settled" &&
	sed -n "/^- index the catalogue$/=" "$TEST_ROOT/shown" >/dev/null &&
	test "$(grep -c "^- index the catalogue$" "$TEST_ROOT/shown")" = 1 &&
	grep -A7 "^- index the catalogue$" "$TEST_ROOT/shown" >"$TEST_ROOT/block" &&
	printf "%s\n" "- index the catalogue" "<<<<<<< ours" "- rank the results by recency" "||||||| base" \
		"- rank the results" "=======" "- rank the results by clicks" ">>>>>>> theirs" >"$TEST_ROOT/want" &&
	test_cmp_block() { diff -u "$TEST_ROOT/want" "$TEST_ROOT/block"; } && test_cmp_block &&
	contains "$TEST_ROOT/shown" "- ship to everyone" &&
	(cd ari2 && as ari perf resolve >"$out") && contains "$out" "(settled)" &&
	contains "$out" "nothing left to resolve"
'

test_expect_success 'perf sync then merges and pushes; the other clone gets the result' '
	(cd ari2 && as ari perf sync >"$out") && contains "$out" "merged" && contains "$out" "pushed" &&
	git -C srv/team.git show main:$goal >"$out" &&
	contains "$out" "- rank the results by clicks, then by recency" &&
	contains "$out" "- index the catalogue" && contains "$out" "- ship to everyone" &&
	! grep -q "<<<<<<<\|>>>>>>>\|=======" "$out" &&
	test "$(git -C srv/team.git rev-parse main)" = "$(git -C ari2 rev-parse HEAD)" &&
	(cd ari1 && as ari perf sync >/dev/null) &&
	contains ari1/$goal "- rank the results by clicks, then by recency" &&
	(cd ari1 && as ari perf check >/dev/null) &&
	repo_clean ari1 && repo_clean ari2 &&
	(cd ari2 && as ari perf resolve >"$out") && contains "$out" "nothing to resolve"
'

test_expect_success 'a field clash is reported with both short values' '
	(cd ari1 && as ari perf goal set ship progress=60 >/dev/null && as ari perf sync >/dev/null) &&
	(cd ari2 && as ari perf goal set ship progress=70 >/dev/null && as ari expect_fail 1 perf sync 2>"$err") &&
	contains "$err" "$goal: '\''progress'\'' is 70 here and 60 there"
'

test_expect_success 'a value of the wrong type for the field is refused and nothing changes' '
	before=$(snapshot ari2) &&
	(cd ari2 && EDITOR="$TEST_ROOT/word-editor" as ari expect_fail 1 perf resolve $goal progress 2>"$err") &&
	contains "$err" "progress" && ! contains "$err" "all settled" &&
	unchanged ari2 "$before" &&
	(cd ari2 && as ari expect_fail 1 perf resolve >/dev/null)
'

test_expect_success '--tool needs merge.tool and its command' '
	before=$(snapshot ari2) &&
	(cd ari2 && as ari expect_fail 1 perf resolve $goal progress --tool 2>"$err") &&
	contains "$err" "merge.tool" &&
	(cd ari2 && expect_fail 2 perf resolve $goal progress --tool --ours 2>"$err") &&
	unchanged ari2 "$before" &&
	git -C ari2 config merge.tool pick &&
	before=$(snapshot ari2) &&
	(cd ari2 && as ari expect_fail 1 perf resolve $goal progress --tool 2>"$err") &&
	contains "$err" "mergetool.pick.cmd" &&
	unchanged ari2 "$before"
'

test_expect_success '--tool runs the mergetool with $BASE $LOCAL $REMOTE $MERGED and records MERGED' '
	git -C ari2 config mergetool.pick.cmd "cat \"\$BASE\" >\"\$TEST_ROOT/base\"; cat \"\$LOCAL\" >\"\$TEST_ROOT/local\"; cat \"\$REMOTE\" >\"\$TEST_ROOT/remote\"; cp \"\$MERGED\" \"\$TEST_ROOT/merged\"; echo 65 >\"\$MERGED\"" &&
	(cd ari2 && as ari perf resolve $goal progress --tool >"$out") &&
	contains "$out" "all settled" &&
	test "$(cat "$TEST_ROOT/local")" = 70 && test "$(cat "$TEST_ROOT/remote")" = 60 &&
	test -n "$(cat "$TEST_ROOT/base")" &&
	contains "$TEST_ROOT/merged" "<<<<<<< ours" && contains "$TEST_ROOT/merged" ">>>>>>> theirs" &&
	(cd ari2 && as ari perf sync >"$out") && contains "$out" "merged" &&
	test "$(git -C srv/team.git show main:$goal | grep progress:)" = "progress: 65" &&
	(cd ari1 && as ari perf sync >/dev/null) && contains ari1/$goal "progress: 65" &&
	repo_clean ari1 && repo_clean ari2
'

test_expect_success 'a failing mergetool settles nothing' '
	(cd ari1 && as ari perf goal set ship progress=75 >/dev/null && as ari perf sync >/dev/null) &&
	(cd ari2 && as ari perf goal set ship progress=80 >/dev/null && as ari expect_fail 1 perf sync 2>/dev/null) &&
	git -C ari2 config mergetool.pick.cmd "exit 3" &&
	before=$(snapshot ari2) &&
	(cd ari2 && as ari expect_fail 1 perf resolve $goal progress --tool 2>"$err") &&
	contains "$err" "failed" && unchanged ari2 "$before" &&
	(cd ari2 && as ari perf resolve $goal progress --theirs >"$out") && contains "$out" "all settled" &&
	(cd ari2 && as ari perf sync >/dev/null) &&
	test "$(git -C srv/team.git show main:$goal | grep progress:)" = "progress: 75"
'

test_done
