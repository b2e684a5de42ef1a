#!/bin/sh
# A push the team's server refuses: perf sync names the commit and the
# path at fault and offers the way out, perf sync --drop COMMIT, which
# saves what that commit changed under .git/perf/saved/, replays the later
# commits that are fine onto the remote and pushes them, so the clone is
# no longer stuck.  Served by a bare repository with perf's hook (and, for
# a server that names a commit in its own words, a hook of its own).
. "$(dirname "$0")/lib.sh"

export PERF_NOW=2026-11-16T09:00:00Z
git init -q --bare srv.git
perf hook install srv.git >/dev/null || exit 1
(team_fixture --dir seed --lead-role Lead --role "" ari bo &&
	git remote add origin "$TEST_ROOT/srv.git" && git push -q origin main) || exit 1
for p in ari bo; do
	perf clone "$TEST_ROOT/srv.git" $p >/dev/null 2>&1 || exit 1
done
(cd bo && PERF_NOW=2026-11-17T09:00:00Z as bo perf checkin -m "week of bo" >/dev/null && as bo perf sync >/dev/null) ||
	exit 1

# ari: a fine check-in, then a plain-git commit rewriting bo's check-in
# (the team's rules refuse it), then a fine goal.
(cd ari && as ari perf sync >/dev/null &&
	PERF_NOW=2026-11-17T10:00:00Z as ari perf checkin -m "week of ari" >/dev/null &&
	sed -i "s/week of bo/bo did nothing/" checkins/bo/2026-W47.md &&
	as ari git commit -qam "rewrite bo" &&
	PERF_NOW=2026-11-17T11:00:00Z as ari perf goal add "Ship search v2" --id ship >/dev/null) || exit 1
bad=$(git -C ari rev-parse HEAD~1)
short=$(echo "$bad" | cut -c1-12)
server=$(git -C srv.git rev-parse main)

test_expect_success 'the refused push names the commit and the path, and the way out' '
	(cd ari && as ari expect_fail 1 perf sync 2>"$err") &&
	contains "$err" "$short" && contains "$err" "checkins/bo/2026-W47.md" &&
	contains "$err" "only bo writes" && contains "$err" "perf sync --drop $short" &&
	contains "$err" ".git/perf/saved/" &&
	test "$(git -C srv.git rev-parse main)" = "$server"
'

test_expect_success 'without the way out, every later sync stays stuck' '
	(cd ari && as ari expect_fail 1 perf sync 2>"$err") && contains "$err" "perf sync --drop $short"
'

test_expect_success '--drop refuses a commit the remote already holds, and an unknown one' '
	(cd ari && head=$(git rev-parse HEAD) &&
		as ari expect_fail 1 perf sync --drop "$server" 2>"$err" && contains "$err" "already holds it" &&
		as ari expect_fail 1 perf sync --drop nosuchcommit 2>"$err" && contains "$err" "no commit" &&
		test "$(git rev-parse HEAD)" = "$head") &&
	test ! -d ari/.git/perf/saved || ! ls ari/.git/perf/saved | grep -q drop
'

test_expect_success 'perf sync --drop saves its text, replays the rest onto the remote, pushes' '
	(cd bo && PERF_NOW=2026-11-18T09:00:00Z as bo perf goal add "Learn Rust" --id rust >/dev/null &&
		as bo perf sync >/dev/null) &&
	(cd ari && as ari perf sync --drop "$short" >"$out" 2>"$err") &&
	contains "$out" "dropped $short rewrite bo" && contains "$out" ".git/perf/saved/drop-$short" &&
	contains "$out" "replayed 2 later commits" && contains "$out" "pushed 2" &&
	saved=ari/.git/perf/saved/drop-$short &&
	grep -q "bo did nothing" "$saved/checkins/bo/2026-W47.md" &&
	grep -q "^+bo did nothing" "$saved/changes.patch" && contains "$saved/commit.txt" "rewrite bo" &&
	git -C srv.git cat-file -e main:checkins/ari/2026-W47.md &&
	git -C srv.git cat-file -e main:goals/ari/ship.md && git -C srv.git cat-file -e main:goals/bo/rust.md &&
	git -C srv.git show main:checkins/bo/2026-W47.md | grep -q "week of bo" &&
	! git -C srv.git log --format=%s main | grep -q "rewrite bo" &&
	test "$(git -C srv.git log -1 --format=%an main)" = "Ari Example" &&
	test "$(git -C ari rev-parse HEAD)" = "$(git -C srv.git rev-parse main)" &&
	grep -q "week of bo" ari/checkins/bo/2026-W47.md && test -z "$(git -C ari status --porcelain)"
'

test_expect_success 'the clone is no longer stuck' '
	(cd ari && as ari perf sync >"$out") && contains "$out" "up to date" &&
	(cd ari && as ari perf check >/dev/null)
'

test_expect_success 'a server naming a commit in its own words: that commit and its paths are named' '
	mv srv.git/hooks/pre-receive srv.git/hooks/pre-receive.perf &&
	cat >srv.git/hooks/pre-receive <<-\HOOK &&
	#!/bin/sh
	while read old new ref; do
		echo "$(git rev-parse --short=12 $new): goals are frozen this week" >&2
	done
	exit 1
	HOOK
	chmod +x srv.git/hooks/pre-receive &&
	(cd ari && PERF_NOW=2026-11-19T09:00:00Z as ari perf goal add "Frozen goal" --id frozen >/dev/null &&
		frozen=$(git rev-parse --short=12 HEAD) &&
		as ari expect_fail 1 perf sync 2>"$err" &&
		contains "$err" "goals are frozen this week" &&
		contains "$err" "the server refused this commit of yours" && contains "$err" "$frozen" &&
		contains "$err" "goals/ari/frozen.md" && contains "$err" "perf sync --drop $frozen" &&
		as ari perf sync --drop "$frozen" >"$out" 2>"$err" &&
		contains "$out" "dropped $frozen" && contains "$out" "up to date" &&
		test -f .git/perf/saved/drop-$frozen/goals/ari/frozen.md && test ! -e goals/ari/frozen.md) &&
	mv srv.git/hooks/pre-receive.perf srv.git/hooks/pre-receive
'

test_expect_success '--json names what was dropped and where its text is' '
	(cd ari && PERF_NOW=2026-11-20T09:00:00Z as ari perf goal add "Again" --id again >/dev/null &&
		id=$(git rev-parse HEAD) &&
		as ari perf --json sync --drop "$id" >"$out" 2>"$err") &&
	python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
assert d[\"ok\"] and d[\"replayed\"] == 0, d
x = d[\"dropped\"][0]
assert x[\"paths\"] == [\"goals/ari/again.md\"] and \"drop-\" in x[\"saved\"], x
" "$out"
'

test_done
