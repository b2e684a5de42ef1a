#!/bin/sh
# perf init, help, version and the command-line surface.
. "$(dirname "$0")/lib.sh"

test_expect_success 'init creates a team repository with one commit' '
	perf init team --team "Search Team" >"$out" &&
	contains "$out" "Initialized perf team repository '\''Search Team'\''" &&
	test -f team/.perf/config.yaml &&
	test -f team/README.md &&
	test -f team/.perf/templates/checkin.md &&
	test "$(git -C team rev-list --count HEAD)" = 1 &&
	test "$(git -C team log -1 --format=%an)" = "Alice Example" &&
	repo_clean team
'

test_expect_success 'config names the team and the format version' '
	contains team/.perf/config.yaml "team: Search Team" &&
	contains team/.perf/config.yaml "format: 1" &&
	contains team/.perf/config.yaml "checkin: weekly" &&
	contains team/.perf/config.yaml "share: monthly"
'

test_expect_success 'the config parses with an independent YAML reader' '
	python3 -c "import yaml,sys; d=yaml.safe_load(open(\"team/.perf/config.yaml\")); assert d[\"format\"]==1 and d[\"team\"]==\"Search Team\", d"
'

test_expect_success 'init refuses to clobber a perf repository' '
	before=$(snapshot team) &&
	expect_fail 1 perf init team 2>"$err" &&
	contains "$err" "already a perf repository" &&
	unchanged team "$before"
'

test_expect_success 'init quotes a team name YAML would misread' '
	perf init t2 --team yes >/dev/null &&
	python3 -c "import yaml; assert yaml.safe_load(open(\"t2/.perf/config.yaml\"))[\"team\"] == \"yes\""
'

test_expect_success 'init with no folder makes the personal store' '
	perf init >"$out" &&
	test -f "$XDG_DATA_HOME/perf/.perf/config.yaml" &&
	(cd / && perf join >"$out"2) &&
	git -C "$XDG_DATA_HOME/perf" log -1 --format=%s | grep -q "^join: alice"
'

test_expect_success 'init inside an existing git repository adds to its history' '
	git init -q plain && (cd plain && echo hi >notes.txt && git add notes.txt && git commit -qm first) &&
	perf init plain >/dev/null &&
	test "$(git -C plain rev-list --count HEAD)" = 2 &&
	repo_clean plain
'

test_expect_success '--version and -h' '
	perf --version | grep -q "^perf [0-9]" &&
	perf -h | grep -q "^usage: perf" &&
	perf init -h | grep -q "^usage: perf init"
'

test_expect_success 'unknown command suggests, exit 2' '
	expect_fail 2 perf inti 2>"$err" &&
	contains "$err" "'\''inti'\'' is not a perf command" &&
	contains "$err" "init"
'

test_expect_success 'unknown option is a usage error' '
	expect_fail 2 perf init --frobnicate 2>"$err" &&
	contains "$err" "unknown option"
'

test_expect_success 'help lists commands and shows a command usage' '
	perf help >"$out" && contains "$out" "join" &&
	perf help join >"$out" && contains "$out" "usage: perf join"
'

test_expect_success 'outside any repository a command says how to get one' '
	mkdir -p elsewhere && cd elsewhere &&
	XDG_DATA_HOME=$TEST_ROOT/nothing expect_fail 1 perf join 2>"$err" &&
	contains "$err" "not in a perf repository" && contains "$err" "perf init"
'

test_expect_success 'a profiler verb goes to the Linux profiler, or says it is missing' '
	mkdir -p fakebin && printf "#!/bin/sh\necho profiler \"\$@\"\n" >fakebin/perf && chmod +x fakebin/perf &&
	PATH=$TEST_ROOT/fakebin:$PATH perf record -a >"$out" && contains "$out" "profiler record -a" &&
	mkdir -p emptybin && PATH=$TEST_ROOT/emptybin expect_fail 1 "$PERF_BIN" stat 2>"$err" &&
	contains "$err" "Linux profiler"
'

test_expect_success 'a PERF_NOW that does not parse is an error, never the real clock' '
	PERF_NOW=yesterday expect_fail 1 perf -C team status 2>"$err" &&
	contains "$err" "PERF_NOW='"'"'yesterday'"'"' is not a time" &&
	PERF_NOW=1795428000 perf -C team status >/dev/null 2>&1; test $? -le 1
'

test_done
