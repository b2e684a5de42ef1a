#!/bin/sh
# perf checkin's work from perf.work at its edges: control bytes in subjects, a bare
# clone, commits that change nothing, clocks that disagree, commits
# rebased after the week.
. "$(dirname "$0")/lib.sh"

team_fixture --now 2026-11-20T09:00:00Z ari || exit 1

# commit_at AUTHOR-DATE COMMITTER-DATE MESSAGE [FILE]: ari's commit (empty without FILE).
commit_at() {
	if test -n "$4"; then
		echo "$3" >>"$4" && git add "$4" || return 1
	fi
	GIT_AUTHOR_NAME=Ari GIT_AUTHOR_EMAIL=ari@example.com GIT_AUTHOR_DATE=$1 \
		GIT_COMMITTER_NAME=Ari GIT_COMMITTER_EMAIL=ari@example.com GIT_COMMITTER_DATE=$2 \
		git commit -q --allow-empty -m "$3"
}

cat >"$TEST_ROOT/peek.sh" <<EOF
#!/bin/sh
cp "\$1" "$TEST_ROOT/seen.md"
EOF
chmod +x "$TEST_ROOT/peek.sh"

test_expect_success 'a repository with hard cases, and a bare clone of it in the same glob' '
	mkdir -p "$TEST_ROOT/src" && git init -q "$TEST_ROOT/src/lab" && cd "$TEST_ROOT/src/lab" &&
	commit_at 2026-11-02T10:00:00Z 2026-11-02T10:00:00Z "Base" base.txt &&
	commit_at 2026-11-17T10:00:00Z 2026-11-17T10:00:00Z "$(printf "Colour \033[31mred\001 and bytes")" c.txt &&
	commit_at 2026-11-17T11:00:00Z 2026-11-17T11:00:00Z "Nothing changed" &&
	commit_at 2026-11-18T11:00:00Z 2026-11-18T11:00:00Z "Nothing changed" &&
	commit_at 2026-11-16T06:00:00Z 2026-11-15T20:00:00Z "Skewed clock" skew.txt &&
	git checkout -q -b later &&
	commit_at 2026-11-19T10:00:00Z 2026-11-19T10:00:00Z "Rebased next week" later.txt &&
	git checkout -q main &&
	GIT_COMMITTER_DATE=2026-11-25T09:00:00Z git rebase -q main later &&
	git checkout -q main &&
	git clone -q --bare "$TEST_ROOT/src/lab" "$TEST_ROOT/src/lab-mirror.git" &&
	perf config --global perf.work "$TEST_ROOT/src/*"
'

test_expect_success 'each change once, whatever its committer time; the bare clone adds nothing' '
	PERF_EDITOR="$TEST_ROOT/peek.sh" as ari expect_fail 1 perf checkin 2>"$err" &&
	contains "$TEST_ROOT/seen.md" "### lab (5)" &&
	! grep -q "lab-mirror" "$TEST_ROOT/seen.md" &&
	test "$(grep -c "^- Nothing changed (lab " "$TEST_ROOT/seen.md")" = 2 &&
	test "$(grep -c "^- Skewed clock (lab " "$TEST_ROOT/seen.md")" = 1 &&
	test "$(grep -c "^- Rebased next week (lab " "$TEST_ROOT/seen.md")" = 1 &&
	! grep -q "Base" "$TEST_ROOT/seen.md"
'

test_expect_success 'a subject'\''s control bytes never reach the editor or the file' '
	line=$(grep "^- Colour" "$TEST_ROOT/seen.md") &&
	test "$line" = "- Colour  [31mred  and bytes (lab $(git -C "$TEST_ROOT/src/lab" rev-parse --short=12 main~3))" &&
	as ari perf checkin --from-work >"$out" 2>"$err" &&
	contains "$out" "work: 5 added (lab 5)" &&
	! grep -q "$(printf "\033")" checkins/ari/2026-W47.md &&
	python3 -c "import sys; open(sys.argv[1], encoding=\"utf-8\").read()" checkins/ari/2026-W47.md &&
	perf check >/dev/null &&
	perf show ari/2026-W47 >"$out" &&
	contains "$out" "Colour  [31mred" &&
	repo_clean .
'

test_done
