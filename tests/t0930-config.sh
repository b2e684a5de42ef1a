#!/bin/sh
# perf config: git config perf.* and the team's program (--team).
. "$(dirname "$0")/lib.sh"

team_fixture --team "" --lead-role "" --role "" --no-admit ari || exit 1

test_expect_success 'set, read, list and unset perf settings in the repository' '
	perf config perf.pager cat &&
	test "$(perf config perf.pager)" = cat &&
	test "$(git config perf.pager)" = cat &&
	perf config --list >"$out" && contains "$out" "perf.pager=cat" &&
	perf --json config >"$out" &&
	python3 -c "import json; d=json.load(open(\"$out\")); assert d[\"perf.pager\"]==\"cat\" and d[\"perf.handle\"] is None, d" &&
	perf config --unset perf.pager &&
	expect_fail 1 perf config perf.pager
'

test_expect_success '--global writes ~/.gitconfig' '
	perf config --global perf.remote upstream &&
	git config --global perf.remote | grep -qx upstream &&
	perf config --global --unset perf.remote
'

test_expect_success 'keys outside perf.* and bad handles are usage errors' '
	expect_fail 2 perf config user.name x 2>"$err" && contains "$err" "not a perf setting" &&
	expect_fail 2 perf config perf.handle "Not A Handle"
'

test_expect_success '--team prints and sets the program, for maintainers only' '
	perf config --team >"$out" && contains "$out" "format: 1" &&
	test "$(perf config --team cadences.checkin)" = weekly &&
	before=$(snapshot .) &&
	as ari expect_fail 1 perf config --team cadences.checkin monthly 2>"$err" &&
	contains "$err" "only the team'\''s maintainers" && contains "$err" "perf norm propose" &&
	unchanged . "$before" &&
	as lena perf config --team cadences.checkin monthly >"$out" &&
	contains .perf/config.yaml "checkin: monthly" &&
	test "$(git log -1 --format=%s)" = "config: lena set cadences.checkin" &&
	repo_clean .
'

test_expect_success '--json --team gives the program, or one key, as JSON typed by the schema' '
	perf --json config --team >"$out" &&
	python3 -c "import json; d=json.load(open(\"$out\")); assert d[\"format\"]==1 and d[\"cadences\"][\"checkin\"]==\"monthly\" and d[\"kind\"]==\"config\", d" &&
	perf config --team cadences --json >"$out" &&
	python3 -c "import json; d=json.load(open(\"$out\")); assert d==dict(checkin=\"monthly\", share=\"monthly\"), d" &&
	perf config --team --json cadences.checkin >"$out" &&
	python3 -c "import json; assert json.load(open(\"$out\"))==\"monthly\"" &&
	expect_fail 1 perf --json config --team nothing.here >"$out" && test ! -s "$out"
'

test_expect_success '--team refuses values the program does not allow' '
	before=$(snapshot .) &&
	as lena expect_fail 1 perf config --team cadences.checkin hourly 2>"$err" &&
	contains "$err" ".perf/config.yaml" &&
	unchanged . "$before"
'

test_expect_success 'perf.autosync syncs after a write' '
	git init -q --bare "$TEST_ROOT/srv.git" && git remote add origin "$TEST_ROOT/srv.git" &&
	git push -q origin main &&
	perf config perf.autosync true &&
	as ari perf checkin -m "auto" >/dev/null 2>"$err" &&
	contains "$err" "synced" &&
	test "$(git -C "$TEST_ROOT/srv.git" rev-parse main)" = "$(git rev-parse HEAD)"
'

test_done
