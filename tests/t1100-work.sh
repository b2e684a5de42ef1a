#!/bin/sh
# perf checkin and the person's own work: perf.work lists their
# repositories in their own git config; the check-in's editor offers the
# week's commits, merges and tags once each, only theirs, deduplicated
# across a clone and a rebase; --from-work records them; what they delete
# is left out; an unreadable path is a warning.
. "$(dirname "$0")/lib.sh"

team_fixture --now 2026-11-20T09:00:00Z ari bo || exit 1
team=$(pwd)

# commit_as EMAIL DATE FILE MESSAGE: a commit adding a line to FILE, authored and committed at DATE.
commit_as() {
	echo "$4" >>"$3" && git add "$3" &&
		GIT_AUTHOR_NAME="Someone" GIT_AUTHOR_EMAIL=$1 GIT_AUTHOR_DATE=$2 \
			GIT_COMMITTER_NAME="Someone" GIT_COMMITTER_EMAIL=$1 GIT_COMMITTER_DATE=$2 git commit -q -m "$4"
}

# Three repositories under src/, a folder that is not one, a clone of api
# elsewhere; ari's second email is in their git config, not in people/.
test_expect_success 'three repositories, several authors, a merge, a rebase, tags and a clone' '
	mkdir -p "$TEST_ROOT/src" "$TEST_ROOT/src/scratch" "$TEST_ROOT/elsewhere" &&
	cd "$TEST_ROOT/src" && git init -q api && cd api &&
	commit_as ari@example.com 2026-11-10T10:00:00Z old.txt "Old work" &&
	commit_as ari@example.com 2026-11-16T10:00:00Z search.c "Add search endpoint" &&
	git tag search-done &&
	git checkout -q -b parser &&
	commit_as ari@home.example 2026-11-17T09:00:00Z parse.c "Parse queries" &&
	git branch parser-old &&
	git checkout -q main &&
	commit_as bo@example.com 2026-11-17T11:00:00Z ci.yml "Bo fixes CI" &&
	GIT_COMMITTER_DATE=2026-11-18T09:00:00Z git rebase -q main parser &&
	test "$(git log --format=%ad --date=iso-strict -1 parser)" = "2026-11-17T09:00:00+00:00" &&
	test "$(git rev-parse parser)" != "$(git rev-parse parser-old)" &&
	git checkout -q main &&
	GIT_AUTHOR_EMAIL=ari@example.com GIT_AUTHOR_DATE=2026-11-18T12:00:00Z GIT_COMMITTER_EMAIL=ari@example.com \
		GIT_COMMITTER_DATE=2026-11-18T12:00:00Z git merge -q --no-ff -m "Merge branch '\''parser'\''" parser &&
	git checkout -q -b ci-fix &&
	commit_as bo@example.com 2026-11-18T13:00:00Z ci.yml "Bo tunes CI" &&
	git checkout -q main &&
	GIT_AUTHOR_EMAIL=bo@example.com GIT_AUTHOR_DATE=2026-11-18T14:00:00Z GIT_COMMITTER_EMAIL=bo@example.com \
		GIT_COMMITTER_DATE=2026-11-18T14:00:00Z git merge -q --no-ff -m "Merge branch '\''ci-fix'\''" ci-fix &&
	GIT_COMMITTER_NAME=Ari GIT_COMMITTER_EMAIL=ari@example.com GIT_COMMITTER_DATE=2026-11-19T08:00:00Z \
		git tag -a v1.0 -m "Release 1.0" &&
	GIT_COMMITTER_NAME=Bo GIT_COMMITTER_EMAIL=bo@example.com GIT_COMMITTER_DATE=2026-11-19T08:30:00Z \
		git tag -a bo-tag -m "Bo tags a build" &&
	cd "$TEST_ROOT/src" && git init -q web && cd web &&
	commit_as bo@example.com 2026-11-16T09:00:00Z style.css "Bo styles the page" &&
	commit_as ari@example.com 2026-11-19T10:00:00Z login.html "Login page" &&
	commit_as ari@example.com 2026-11-23T08:00:00Z next.html "Next week work" &&
	cd "$TEST_ROOT/src" && git init -q docs && cd docs &&
	commit_as bo@example.com 2026-11-17T09:00:00Z guide.md "Bo writes the guide" &&
	git clone -q "$TEST_ROOT/src/api" "$TEST_ROOT/elsewhere/api-copy" && cd "$TEST_ROOT/elsewhere/api-copy" &&
	git checkout -q -b pick "$(git rev-list --max-parents=0 HEAD)" &&
	GIT_COMMITTER_DATE=2026-11-19T12:00:00Z git cherry-pick "$(git rev-parse search-done)" >/dev/null &&
	git checkout -q main &&
	commit_as ari@home.example 2026-11-19T15:00:00Z local.c "Local experiment" &&
	test "$(git log --all --oneline | wc -l)" -ge 9
'

test_expect_success 'perf config keeps perf.work in the person'\''s git config, one value each' '
	mkdir -p "$TEST_ROOT/broken" && echo "not a repository" >"$TEST_ROOT/broken/.git" &&
	perf config --global perf.work "$TEST_ROOT/src/*" &&
	perf config --global perf.work "$TEST_ROOT/elsewhere/api-copy" &&
	perf config --global perf.work "~/nowhere" &&
	perf config --global perf.work "$TEST_ROOT/broken" &&
	perf config --global perf.work "$TEST_ROOT/src/*" &&
	perf config --global perf.work >"$out" &&
	test "$(wc -l <"$out")" = 4 &&
	test "$(git config --global --get-all perf.work | head -1)" = "$TEST_ROOT/src/*" &&
	git config --global user.email ari@home.example &&
	repo_clean . && ! git grep -q perf.work HEAD
'

cat >"$TEST_ROOT/peek.sh" <<EOF
#!/bin/sh
cp "\$1" "$TEST_ROOT/seen.md"
EOF
# Deletes the login line, rewords the parser line, writes a learning.
cat >"$TEST_ROOT/keep.sh" <<EOF
#!/bin/sh
cp "\$1" "$TEST_ROOT/seen.md"
sed -i -e '/Login page/d' -e 's/^- Parse queries (/- Parse search queries (/' \
	-e 's/^## Learned\$/## Learned\nmerges want a second look/' "\$1"
EOF
chmod +x "$TEST_ROOT/peek.sh" "$TEST_ROOT/keep.sh"

test_expect_success 'the editor offers each change of the week exactly once, only the person'\''s' '
	before=$(snapshot .) &&
	PERF_EDITOR="$TEST_ROOT/peek.sh" as ari expect_fail 1 perf checkin 2>"$err" &&
	unchanged . "$before" &&
	contains "$TEST_ROOT/seen.md" "## Work this week" &&
	contains "$TEST_ROOT/seen.md" "### api (4)" &&
	contains "$TEST_ROOT/seen.md" "### api-copy (1)" &&
	contains "$TEST_ROOT/seen.md" "### web (1)" &&
	for line in "Add search endpoint (tag search-done) (api " "Parse queries (api " \
		"Merge branch '\''parser'\'' (api " "tag v1.0: Release 1.0 (api " "Local experiment (api-copy " \
		"Login page (web "; do
		test "$(grep -cF -- "- $line" "$TEST_ROOT/seen.md")" = 1 || { echo "not once: $line"; exit 1; }
	done &&
	test "$(grep -c "^- " "$TEST_ROOT/seen.md")" = 6 &&
	! grep -E "Bo |Old work|Next week|bo-tag|ci-fix|guide" "$TEST_ROOT/seen.md" &&
	grep -q "^- Login page (web $(git -C "$TEST_ROOT/src/web" rev-parse --short=12 HEAD~1))\$" "$TEST_ROOT/seen.md"
'

test_expect_success 'an unreadable path in perf.work is a clear warning, not a failure' '
	contains "$err" "perf: perf.work: cannot read '\''$HOME/nowhere'\'': No such file or directory; skipped" &&
	contains "$err" "perf: perf.work: cannot read '\''$TEST_ROOT/broken'\''" &&
	! grep -q scratch "$err" &&
	contains "$err" "check-in unchanged; nothing written"
'

test_expect_success 'lines deleted in the editor are left out; kept and edited ones are recorded' '
	PERF_EDITOR="$TEST_ROOT/keep.sh" as ari perf checkin >"$out" 2>"$err" &&
	contains "$out" "checkin: ari 2026-W47 (checkins/ari/2026-W47.md) · work: 5 added (api 4, api-copy 1)" &&
	f=checkins/ari/2026-W47.md &&
	! grep -q "Login page" $f &&
	! grep -q "Work this week" $f &&
	! grep -n " \$" $f &&
	contains $f "merges want a second look" &&
	python3 - "$f" "$TEST_ROOT" <<-\PY
	import subprocess, sys, yaml
	f, root = sys.argv[1], sys.argv[2]
	fm = yaml.safe_load(open(f).read().split("---\n")[1])
	def rev(repo, r):
	    return subprocess.check_output(["git", "-C", root + "/" + repo, "rev-parse", r], text=True).strip()
	want = [
	    {"repo": "api", "commit": rev("src/api", "search-done"), "subject": "Add search endpoint (tag search-done)"},
	    {"repo": "api", "commit": rev("src/api", "parser"), "subject": "Parse search queries"},
	    {"repo": "api", "commit": rev("src/api", "main^1"), "subject": "Merge branch '\''parser'\''"},
	    {"repo": "api", "commit": rev("src/api", "v1.0"), "subject": "tag v1.0: Release 1.0"},
	    {"repo": "api-copy", "commit": rev("elsewhere/api-copy", "main"), "subject": "Local experiment"},
	]
	assert fm["work"] == want, (fm["work"], want)
	PY
	perf check >"$out" &&
	repo_clean .
'

test_expect_success 'perf show and --json show the recorded work' '
	perf show ari/2026-W47 >"$out" &&
	contains "$out" "work:" &&
	contains "$out" "subject: Parse search queries" &&
	perf --json show ari/2026-W47 >"$out" &&
	python3 -c "import json,sys; w=json.load(open(sys.argv[1]))[\"fields\"][\"work\"]; assert len(w)==5 and w[4][\"repo\"]==\"api-copy\", w" "$out"
'

test_expect_success 'the editor offers later only what is not recorded yet' '
	PERF_EDITOR="$TEST_ROOT/peek.sh" as ari expect_fail 1 perf checkin 2>/dev/null &&
	test "$(grep -c "^- " "$TEST_ROOT/seen.md")" = 1 &&
	contains "$TEST_ROOT/seen.md" "- Login page (web "
'

test_expect_success '--from-work adds every change not recorded, and only once' '
	as ari perf checkin --from-work 2>/dev/null >"$out" &&
	contains "$out" "· work: 1 added (web 1)" &&
	test "$(grep -c "^  - repo:" checkins/ari/2026-W47.md)" = 6 &&
	as ari perf checkin --from-work 2>/dev/null >"$out" &&
	contains "$out" "checkins/ari/2026-W47.md unchanged; nothing committed" &&
	perf check >/dev/null && repo_clean .
'

test_expect_success '--from-work with -m writes a new check-in of another week' '
	as ari perf checkin --week 2026-W46 -m "catching up" --from-work >"$out" 2>/dev/null &&
	contains "$out" "checkin: ari 2026-W46 (checkins/ari/2026-W46.md) · work: 1 added (api 1)" &&
	contains checkins/ari/2026-W46.md "subject: Old work" &&
	contains checkins/ari/2026-W46.md "catching up" &&
	! grep -q "Add search" checkins/ari/2026-W46.md
'

test_expect_success 'a week with no work shows nothing and --from-work writes nothing' '
	PERF_EDITOR="$TEST_ROOT/peek.sh" as ari expect_fail 1 perf checkin --week 2026-W45 2>/dev/null &&
	! grep -q "Work this week" "$TEST_ROOT/seen.md" &&
	before=$(snapshot .) &&
	as ari expect_fail 1 perf checkin --week 2026-W45 --from-work 2>"$err" &&
	contains "$err" "no work of yours in 2026-W45 in perf.work'\''s repositories (4 read); nothing written" &&
	unchanged . "$before"
'

test_expect_success 'the team'\''s own repository is never read as work' '
	git config --global --add perf.work "$team" &&
	PERF_EDITOR="$TEST_ROOT/peek.sh" as ari expect_fail 1 perf checkin 2>"$err" &&
	! grep -q "checkin: ari" "$TEST_ROOT/seen.md" &&
	! grep -q "$team" "$err" &&
	git config --global --unset perf.work "^$team\$"
'

test_expect_success 'another person sees only their own work' '
	git config --global user.email bo@example.com &&
	PERF_EDITOR="$TEST_ROOT/peek.sh" as bo expect_fail 1 perf checkin 2>/dev/null &&
	contains "$TEST_ROOT/seen.md" "- Bo fixes CI (api " &&
	contains "$TEST_ROOT/seen.md" "- Merge branch '\''ci-fix'\'' (api " &&
	contains "$TEST_ROOT/seen.md" "- tag bo-tag: Bo tags a build (api " &&
	contains "$TEST_ROOT/seen.md" "- Bo writes the guide (docs " &&
	! grep -qE "Parse|Login|Local experiment|search" "$TEST_ROOT/seen.md"
'

test_expect_success 'without perf.work the editor offers nothing and --from-work says how to set it' '
	git config --global --unset-all perf.work &&
	PERF_EDITOR="$TEST_ROOT/peek.sh" as bo expect_fail 1 perf checkin 2>/dev/null &&
	! grep -q "Work this week" "$TEST_ROOT/seen.md" &&
	before=$(snapshot .) &&
	as bo expect_fail 1 perf checkin --from-work -m "x" 2>"$err" &&
	contains "$err" "perf.work is not set" &&
	unchanged . "$before"
'

test_expect_success 'a work entry that is not a list of changes is refused by perf check' '
	cat >"$TEST_ROOT/bad.md" <<-\EOF &&
	---
	kind: checkin
	person: ari
	week: 2026-W45
	work:
	  - repo: api
	    subject: no commit here
	---
	EOF
	mkdir -p checkins/ari && cp "$TEST_ROOT/bad.md" checkins/ari/2026-W45.md &&
	expect_fail 1 perf check --worktree >"$out" 2>&1 &&
	contains "$out" "checkins/ari/2026-W45.md:6:" &&
	contains "$out" "commit" &&
	rm checkins/ari/2026-W45.md
'

test_done
