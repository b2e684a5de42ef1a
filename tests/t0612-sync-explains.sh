#!/bin/sh
# perf sync explains itself: four clones syncing at the same moment all
# land (a remote that moves under a push is fetched and merged again); a
# commit of our own that breaks the team's rules is not pushed, with the
# reason; a server hook's own words are shown when it refuses; a clone of
# a relative path stores a remote that works from inside the clone.
. "$(dirname "$0")/lib.sh"

export PERF_NOW=2026-11-16T09:00:00Z
git init -q --bare srv.git
perf hook install srv.git >/dev/null || exit 1
(team_fixture --dir seed --lead-role Lead --role "" ari bo cy dee &&
	git remote add origin "$TEST_ROOT/srv.git" && git push -q origin main) || exit 1

test_expect_success 'a clone of a relative path stores an absolute remote that works from inside it' '
	perf clone srv.git ari >/dev/null &&
	url=$(git -C ari config remote.origin.url) &&
	test "$url" = "$TEST_ROOT/srv.git" &&
	(cd ari && as ari perf sync >"$out") && contains "$out" "up to date"
'

for p in bo cy dee; do
	perf clone "$TEST_ROOT/srv.git" $p >/dev/null 2>&1 || exit 1
done

test_expect_success 'four clones syncing at the same moment all land' '
	for p in ari bo cy dee; do
		(cd $p && PERF_NOW=2026-11-17T09:00:00Z as $p perf checkin -m "week of $p" >/dev/null) || return 1
	done &&
	for p in ari bo cy dee; do
		(cd $p && as $p perf sync >"$TEST_ROOT/sync.$p" 2>&1; echo $? >"$TEST_ROOT/rc.$p") &
	done &&
	wait &&
	for p in ari bo cy dee; do
		test "$(cat "$TEST_ROOT/rc.$p")" = 0 || { cat "$TEST_ROOT/sync.$p"; return 1; }
		! grep -q refused "$TEST_ROOT/sync.$p" || return 1
	done &&
	for p in ari bo cy dee; do
		git -C srv.git cat-file -e main:checkins/$p/2026-W47.md || return 1
	done
'

test_expect_success 'a commit of our own that breaks the rules is not pushed, and says why' '
	(cd ari && as ari perf sync >/dev/null) &&
	before=$(git -C srv.git rev-parse main) &&
	(cd ari && sed -i "s/week of bo/bo did nothing/" checkins/bo/2026-W47.md &&
		as ari git commit -qam "rewrite bo" &&
		mine=$(git rev-parse HEAD) &&
		as ari expect_fail 1 perf sync 2>"$err" &&
		test "$(git rev-parse HEAD)" = "$mine") &&
	contains "$err" "not pushed" && contains "$err" "only bo writes bo'\''s checkin" &&
	contains "$err" "ari@example.com" && contains "$err" "git reset --soft" &&
	test "$(git -C srv.git rev-parse main)" = "$before" &&
	(cd ari && git reset -q --hard origin/main)
'

test_expect_success 'a server hook refusing a push is shown in its own words' '
	mv srv.git/hooks/pre-receive srv.git/hooks/pre-receive.perf &&
	printf "#!/bin/sh\necho \"checkins are frozen until Monday\" >&2\nexit 1\n" >srv.git/hooks/pre-receive &&
	chmod +x srv.git/hooks/pre-receive &&
	(cd ari && PERF_NOW=2026-11-24T09:00:00Z as ari perf checkin -m "more" >/dev/null &&
		as ari expect_fail 1 perf sync 2>"$err") &&
	mv srv.git/hooks/pre-receive.perf srv.git/hooks/pre-receive &&
	contains "$err" "refused the push" && contains "$err" "the server said" &&
	contains "$err" "checkins are frozen until Monday" &&
	(cd ari && as ari perf sync >"$out") && contains "$out" "pushed 1"
'

test_done
