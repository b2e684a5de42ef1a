#!/bin/sh
# perf verify and perf hook install: a catalogue of forged writes made with
# plain git and pushed to a bare repository whose pre-receive hook runs
# perf verify: each is refused with its reason; legitimate pushes land.
. "$(dirname "$0")/lib.sh"
. "$PERF_SRC/tests/lib-trust.sh"

export PERF_NOW=2026-11-16T09:00:00Z
git init -q --bare srv.git
perf hook install srv.git >"$out" || exit 1
(team_fixture --lead-role Lead --role "" ari bo &&
	PERF_NOW=2026-11-17T09:00:00Z as ari perf checkin -m "first week" >/dev/null &&
	PERF_NOW=2026-11-17T10:00:00Z as bo perf reply ari/2026-W47 -m "nice start" >/dev/null &&
	PERF_NOW=2026-11-17T11:00:00Z as ari perf ask lena bo --about "my reviews" >/dev/null &&
	id=$(ls feedback/ari/ | sed -n "s/\.md$//p" | head -1) &&
	PERF_NOW=2026-11-17T12:00:00Z as bo perf give "feedback:ari/$id" -m "thoughtful" >/dev/null &&
	git remote add origin "$TEST_ROOT/srv.git" && git push -q origin main) || exit 1

test_expect_success 'the hook is installed and legitimate history is accepted' '
	contains "$out" "installed" && test -x srv.git/hooks/pre-receive &&
	test "$(git -C srv.git rev-parse main)" = "$(git -C team rev-parse HEAD)" &&
	perf -C team verify >"$out" && test ! -s "$out"
'

git clone -q srv.git work
cd work
git config user.name "Bo Example"
git config user.email bo@example.com

# forged NAME MSG: commit every tracked change as NAME (refused, of
# lib-trust.sh, pushes it and puts the clone back on refusal).
forged() {
	_who=$1
	_msg=$2
	GIT_AUTHOR_NAME="$_who Example" GIT_AUTHOR_EMAIL="$_who@example.com" \
	GIT_COMMITTER_NAME="$_who Example" GIT_COMMITTER_EMAIL="$_who@example.com" git commit -qam "$_msg"
}

test_expect_success 'another person'\''s check-in edited is refused' '
	sed -i "s/first week/a different story/" checkins/ari/2026-W47.md &&
	forged bo "edit ari" && refused "only ari writes ari'\''s checkin"
'

test_expect_success 'a reply rewritten by someone else is refused' '
	f=$(ls checkins/ari/2026-W47/*-bo.md) &&
	sed -i "s/nice start/you should quit/" "$f" &&
	forged ari "rewrite bo" && refused "nobody writes in someone else'\''s name"
'

test_expect_success 'a people file changed by a non-maintainer is refused' '
	sed -i "s/^lead: lena/lead: ari/" people/bo.md &&
	forged ari "make me lead" && refused "only bo or a maintainer changes people/bo.md"
'

test_expect_success 'a commit claiming another author is refused' '
	sed -i "s/first week/a different story/" checkins/ari/2026-W47.md &&
	GIT_AUTHOR_NAME="Ari Example" GIT_AUTHOR_EMAIL=ari@example.com git commit -qam "as ari" &&
	refused "claims to be by Ari Example"
'

test_expect_success 'a deleted feedback answer is refused' '
	git rm -q feedback/ari/*/*-bo.md &&
	forged bo "take it back" && refused "may not be deleted"
'

test_expect_success 'the config changed by a non-maintainer is refused' '
	sed -i "s/^team: .*/team: Ours now/" .perf/config.yaml &&
	forged bo "rename" && refused "only maintainers change the team'\''s program"
'

test_expect_success 'an author who is not in the team is refused' '
	echo "# hello" >>README.md &&
	forged mallory "drive-by" && refused "not a person of the team"
'

test_expect_success 'legitimate writes with plain git are accepted' '
	sed -i "s/first week/first week, revised/" checkins/ari/2026-W47.md &&
	forged ari "ari revises her own check-in" &&
	git push -q origin main &&
	sed -i "s/^team: .*/team: Search and Discovery/" .perf/config.yaml &&
	forged lena "lena renames the team" &&
	git push -q origin main
'

test_expect_success 'a program change claimed as an adopted norm without agreement is refused' '
	sed -i "s/^team: .*/team: Bo decides/" .perf/config.yaml &&
	mkdir -p norms && printf -- "---\nkind: norm\ntitle: Bo decides\nproposed_by: bo\nstatus: adopted\n---\nBo decides.\n" >norms/bo-decides.md &&
	git add norms/bo-decides.md &&
	GIT_AUTHOR_NAME="Bo Example" GIT_AUTHOR_EMAIL=bo@example.com GIT_COMMITTER_NAME="Bo Example" \
		GIT_COMMITTER_EMAIL=bo@example.com git commit -qam "agree: bo to norm bo-decides (adopted)" \
		-m "Perf-Kind: norm
Perf-Path: norms/bo-decides.md
Perf-Adopted: 0123456789abcdef" &&
	refused "adopts norms/bo-decides.md with 0 agreements to its current version; the team" &&
	contains "$err" "only maintainers change the team"
'

test_expect_success 'a norm adopted by a majority through perf changes the program and is accepted' '
	git pull -q --no-rebase origin main &&
	PERF_NOW=2026-11-18T09:00:00Z as bo perf norm propose "Check in fortnightly" -m "Every other Monday." \
		--set cadences.checkin=fortnightly >/dev/null &&
	PERF_NOW=2026-11-18T10:00:00Z as ari perf norm agree check-in >"$out" &&
	contains "$out" "adopted" && git log -1 --format=%B | grep -q "^Perf-Adopted: " &&
	git push -q origin main 2>"$err" &&
	test "$(git -C "$TEST_ROOT/srv.git" rev-parse main)" = "$(git rev-parse HEAD)"
'

test_expect_success 'perf verify over a range reports each violation as commit path: reason, exit 1' '
	sed -i "s/revised/changed by bo/" checkins/ari/2026-W47.md && forged bo "forgery" &&
	expect_fail 1 perf verify origin/main..HEAD >"$out" 2>"$err" &&
	grep -q "^[0-9a-f]\{12\} checkins/ari/2026-W47.md: only ari writes" "$out" &&
	contains "$err" "1 violation" &&
	perf --json verify origin/main..HEAD >"$out"; test $? = 1 &&
	python3 -c "import json; d=json.load(open(\"$out\")); assert d[\"checked\"]==1 and d[\"violations\"][0][\"path\"]==\"checkins/ari/2026-W47.md\", d" &&
	git reset -q --hard origin/main
'

test_expect_success 'perf itself writes only what the rules allow' '
	cd "$TEST_ROOT" && perf -C team verify --all && perf -C srv.git verify main
'

test_done
