#!/bin/sh
# perf goal and perf checkin: goals owned by the person, weekly check-ins
# that move them in the same commit, and bad input that changes nothing.
. "$(dirname "$0")/lib.sh"

team_fixture --now 2026-11-16T09:00:00Z --no-admit ari || exit 1

test_expect_success 'goal add writes goals/<handle>/<slug>.md authored by the person' '
	as ari perf goal add "Ship search v2" --due 2026-12-31 --supports "Technical depth" \
		--support "Lena reviews the RFC within two days" >"$out" &&
	contains "$out" "goal: ari added ship-search-v2 (goals/ari/ship-search-v2.md)" &&
	contains goals/ari/ship-search-v2.md "title: Ship search v2" &&
	contains goals/ari/ship-search-v2.md "status: active" &&
	contains goals/ari/ship-search-v2.md "progress: 0" &&
	contains goals/ari/ship-search-v2.md "due: 2026-12-31" &&
	test "$(git log -1 --format=%an)" = "Ari Example" &&
	test "$(git log -1 --format=%s)" = "goal: ari added ship-search-v2" &&
	repo_clean .
'

test_expect_success 'the goal reads the same in PyYAML' '
	python3 - <<-PY
	import yaml
	fm = yaml.safe_load(open("goals/ari/ship-search-v2.md").read().split("---\n")[1])
	assert fm["support"] == "Lena reviews the RFC within two days", fm
	assert fm["progress"] == 0 and fm["person"] == "ari", fm
	PY
'

test_expect_success 'a second goal with the same title is refused' '
	before=$(snapshot .) &&
	as ari expect_fail 1 perf goal add "Ship search v2" 2>"$err" &&
	contains "$err" "already have a goal '\''ship-search-v2'\''" &&
	unchanged . "$before"
'

test_expect_success 'goal list shows active goals; --json parses' '
	as ari perf goal add "Learn Rust" --id rust >/dev/null &&
	as ari perf goal list >"$out" &&
	contains "$out" "ship-search-v2" && contains "$out" "rust" &&
	as ari perf --json goal list >"$out" &&
	python3 -c "import json,sys; d=json.load(open(\"$out\")); assert [g[\"id\"] for g in d]==[\"rust\",\"ship-search-v2\"], d; assert d[1][\"due\"]==\"2026-12-31\" and d[1][\"progress\"]==0"
'

test_expect_success 'lena can list ari'\''s goals' '
	as lena perf goal list ari >"$out" && contains "$out" "ship-search-v2"
'

test_expect_success 'checkin with options writes the week and moves the goal in the same commit' '
	as ari perf checkin --goal ship=45 --mood 4 --learned "tries beat hashes here" -m "indexer merged" >"$out" &&
	contains "$out" "checkin: ari 2026-W47 (checkins/ari/2026-W47.md) · goal ship-search-v2 0 → 45" &&
	contains checkins/ari/2026-W47.md "week: 2026-W47" &&
	contains checkins/ari/2026-W47.md "mood: 4" &&
	contains checkins/ari/2026-W47.md "indexer merged" &&
	contains checkins/ari/2026-W47.md "tries beat hashes here" &&
	contains goals/ari/ship-search-v2.md "progress: 45" &&
	test "$(git show --name-only --format= HEAD | sort | tr "\n" " ")" = "checkins/ari/2026-W47.md goals/ari/ship-search-v2.md " &&
	git log -1 --format=%B | grep -qx "Perf-Goal: ship-search-v2 0 -> 45" &&
	test "$(git log -1 --format=%an)" = "Ari Example" &&
	repo_clean .
'

test_expect_success 'the check-in reads the same in PyYAML' '
	python3 - <<-PY
	import yaml
	fm = yaml.safe_load(open("checkins/ari/2026-W47.md").read().split("---\n")[1])
	assert fm["goals"] == [{"goal": "ship-search-v2", "progress": 45}], fm
	assert fm["mood"] == 4 and fm["week"] == "2026-W47", fm
	PY
'

test_expect_success 'a second check-in for the week edits it, keeping what was there' '
	as ari perf checkin --stuck "flaky CI" >"$out" &&
	contains checkins/ari/2026-W47.md "flaky CI" &&
	contains checkins/ari/2026-W47.md "tries beat hashes here" &&
	contains checkins/ari/2026-W47.md "updated: " &&
	test "$(git log -1 --format=%s)" = "checkin: ari 2026-W47 (edited)" &&
	repo_clean .
'

test_expect_success 'bad input: unknown goal, progress out of range, future week, bad mood' '
	before=$(snapshot .) &&
	as ari expect_fail 1 perf checkin --goal nope=10 2>"$err" &&
	contains "$err" "you have no goal '\''nope'\''" &&
	as ari expect_fail 2 perf checkin --goal ship=101 2>"$err" &&
	contains "$err" "progress must be a whole number from 0 to 100" &&
	as ari expect_fail 2 perf checkin --goal ship=-5 2>"$err" &&
	as ari expect_fail 1 perf checkin --week 2026-W49 -m later 2>"$err" &&
	contains "$err" "2026-W49 is in the future (this is 2026-W47)" &&
	as ari expect_fail 2 perf checkin --mood 9 2>"$err" &&
	contains "$err" "--mood must be 1-5" &&
	as ari expect_fail 2 perf checkin --week 2026-W54 2>"$err" &&
	unchanged . "$before"
'

test_expect_success 'someone else'\''s goal cannot be moved or edited' '
	before=$(snapshot .) &&
	as lena expect_fail 1 perf checkin --goal ari/ship=90 2>"$err" &&
	contains "$err" "only update your own goals" &&
	as lena expect_fail 1 perf goal set goal:ari/ship progress=90 2>"$err" &&
	contains "$err" "is ari'\''s goal; only ari changes it" &&
	unchanged . "$before"
'

test_expect_success 'the editor: an unchanged template writes nothing; a failing editor writes nothing' '
	before=$(snapshot .) &&
	PERF_NOW=2026-11-23T09:00:00Z PERF_EDITOR=true as ari expect_fail 1 perf checkin 2>"$err" &&
	contains "$err" "unchanged; nothing written" &&
	PERF_NOW=2026-11-23T09:00:00Z PERF_EDITOR=false as ari expect_fail 1 perf checkin 2>"$err" &&
	contains "$err" "editor" &&
	unchanged . "$before"
'

cat >"$TEST_ROOT/edit.sh" <<'SH'
#!/bin/sh
# A scripted editor: fills in Learned, sets mood and moves a goal.
sed -i -e 's/^<!-- What did you learn.*-->$/Pairing on the parser taught me a lot./' \
       -e 's/^    progress: 45$/    progress: 60/' \
       -e 's/^week: \(.*\)$/week: \1\nmood: 3/' "$1"
SH
chmod +x "$TEST_ROOT/edit.sh"

test_expect_success 'the editor is pre-filled with active goals and last week'\''s open items' '
	printf "#!/bin/sh\ncp \"\$1\" $TEST_ROOT/seen\n" >"$TEST_ROOT/peek.sh" && chmod +x "$TEST_ROOT/peek.sh" &&
	PERF_NOW=2026-11-23T09:00:00Z PERF_EDITOR="$TEST_ROOT/peek.sh" as ari expect_fail 1 perf checkin 2>/dev/null &&
	contains "$TEST_ROOT/seen" "goal: ship-search-v2" &&
	contains "$TEST_ROOT/seen" "progress: 45" &&
	contains "$TEST_ROOT/seen" "goal: rust" &&
	contains "$TEST_ROOT/seen" "stuck (2026-W47): flaky CI" &&
	contains "$TEST_ROOT/seen" "## Learned"
'

test_expect_success 'an edited check-in commits with the goals it moved' '
	PERF_NOW=2026-11-23T09:00:00Z PERF_EDITOR="$TEST_ROOT/edit.sh" as ari perf checkin >"$out" &&
	contains "$out" "checkin: ari 2026-W48" &&
	contains "$out" "goal ship-search-v2 45 → 60" &&
	contains checkins/ari/2026-W48.md "Pairing on the parser" &&
	contains checkins/ari/2026-W48.md "mood: 3" &&
	contains goals/ari/ship-search-v2.md "progress: 60" &&
	repo_clean .
'

test_expect_success 'goal set, done and drop; a drop reason joins the goal'\''s thread' '
	PERF_NOW=2026-11-24T09:00:00Z as ari perf goal set ship due=2027-01-31 progress=70 >"$out" &&
	contains "$out" "progress 60 → 70" && contains "$out" "due 2026-12-31 → 2027-01-31" &&
	PERF_NOW=2026-11-25T09:00:00Z as ari perf goal done ship >"$out" &&
	contains goals/ari/ship-search-v2.md "status: done" &&
	contains goals/ari/ship-search-v2.md "progress: 100" &&
	contains goals/ari/ship-search-v2.md "closed: 2026-11-25T09:00:00Z" &&
	PERF_NOW=2026-11-26T09:00:00Z as ari perf goal drop rust --why "the team chose Go" >"$out" &&
	contains goals/ari/rust.md "status: dropped" &&
	test -f goals/ari/rust/20261126T090000Z-ari.md &&
	contains goals/ari/rust/20261126T090000Z-ari.md "the team chose Go" &&
	as ari perf goal list >"$out" 2>"$err" && ! contains "$out" "rust" 2>/dev/null &&
	as ari perf goal list --all >"$out" && contains "$out" "dropped" &&
	repo_clean .
'

test_expect_success 'goal set refuses unknown fields and bad values' '
	before=$(snapshot .) &&
	as ari expect_fail 1 perf goal set rust owner=lena 2>"$err" &&
	contains "$err" "'\''owner'\'' cannot be set" &&
	as ari expect_fail 1 perf goal set rust status=finished 2>"$err" &&
	contains "$err" "must be one of active, done, dropped" &&
	as ari expect_fail 1 perf goal set rust due=2026-02-30 2>"$err" &&
	as ari expect_fail 1 perf goal done ship 2>"$err" &&
	contains "$err" "already done" &&
	unchanged . "$before"
'

test_expect_success 'ambiguous goal prefixes list the candidates, exit 2' '
	as ari perf goal add "Mentor Sam" >/dev/null && as ari perf goal add "Mentor Kim" >/dev/null &&
	before=$(snapshot .) &&
	as ari expect_fail 2 perf goal set mentor progress=10 2>"$err" &&
	contains "$err" "ambiguous" && contains "$err" "goals/ari/mentor-kim.md" && contains "$err" "goals/ari/mentor-sam.md" &&
	unchanged . "$before"
'

test_done
