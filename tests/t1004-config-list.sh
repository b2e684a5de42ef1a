#!/bin/sh
# perf config --list: every setting with its value, scope and origin (git
# config files and the team's .perf/config.yaml, with the values perf uses
# when the file is silent); --json; --global; outside a repository.
. "$(dirname "$0")/lib.sh"

team_fixture ari || exit 1
as lena perf group set search ari lena >/dev/null || exit 1
git config perf.pager cat && git config --global perf.remote upstream || exit 1
tab=$(printf '\t')

test_expect_success 'git config and the team'\''s program, each with its origin' '
	perf config --list >"$out" &&
	grep -qx "global${tab}file:$HOME/.gitconfig${tab}perf.remote=upstream" "$out" &&
	grep -qx "local${tab}file:$PWD/.git/config${tab}perf.pager=cat" "$out" &&
	grep -qx "team${tab}file:.perf/config.yaml${tab}team=Search" "$out" &&
	grep -qx "team${tab}file:.perf/config.yaml${tab}cadences.checkin=weekly" "$out" &&
	grep -qx "team${tab}file:.perf/config.yaml${tab}maintainers=lena" "$out" &&
	grep -qx "team${tab}file:.perf/config.yaml${tab}groups.search.members=ari,lena" "$out" &&
	grep -qx "team${tab}default${tab}signing_required=false" "$out" &&
	! grep -q "kind=" "$out"
'

test_expect_success 'a key set in both files is listed twice, global first (the later wins)' '
	git config --global perf.pager less &&
	perf config --list >"$out" &&
	grep -n "perf.pager=" "$out" >"$TEST_ROOT/pagers" &&
	test $(wc -l <"$TEST_ROOT/pagers") = 2 &&
	head -1 "$TEST_ROOT/pagers" | grep -q "global.*perf.pager=less" &&
	tail -1 "$TEST_ROOT/pagers" | grep -q "local.*perf.pager=cat" &&
	test "$(perf config perf.pager)" = cat &&
	git config --global --unset perf.pager
'

test_expect_success 'a team setting written in the file is no longer a default' '
	as lena perf config --team signing_required true >/dev/null &&
	perf config --list >"$out" &&
	grep -qx "team${tab}file:.perf/config.yaml${tab}signing_required=true" "$out" &&
	! grep -q "default${tab}signing_required" "$out" &&
	as lena perf config --team --unset signing_required >/dev/null
'

test_expect_success '--json: one object per setting' '
	perf --json config --list >"$out" &&
	python3 -c "
import json, sys
rows = json.load(open(sys.argv[1]))
d = {(r[\"scope\"], r[\"key\"]): r for r in rows}
assert d[(\"local\", \"perf.pager\")][\"value\"] == \"cat\", rows
assert d[(\"local\", \"perf.pager\")][\"origin\"].endswith(\"/.git/config\"), rows
assert d[(\"team\", \"cadences.share\")][\"origin\"] == \"file:.perf/config.yaml\", rows
assert d[(\"team\", \"signing_required\")][\"origin\"] == \"default\", rows
" "$out" &&
	perf config --list --json >"$TEST_ROOT/again" && cmp "$out" "$TEST_ROOT/again"
'

test_expect_success '--global lists your global git config only; outside a repository, git config only' '
	perf config --global --list >"$out" &&
	grep -qx "global${tab}file:$HOME/.gitconfig${tab}perf.remote=upstream" "$out" &&
	! grep -q "^local\|^team" "$out" &&
	mkdir -p "$TEST_ROOT/elsewhere" && (cd "$TEST_ROOT/elsewhere" && perf config --list) >"$out" &&
	contains "$out" "perf.remote=upstream" && ! grep -q "^team\|^local" "$out"
'

test_expect_success 'perf config without --list keeps its KEY=VALUE form; --list takes no key' '
	perf config >"$out" && grep -qx "perf.pager=cat" "$out" &&
	expect_fail 2 perf config --list perf.pager 2>"$err" && contains "$err" "--list takes no KEY"
'

test_done
