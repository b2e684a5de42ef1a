#!/bin/sh
# perf growth and perf packet at their edges: no expectations yet, hostile
# area names and words (terminal, Markdown, HTML), whom to ask (people
# the person supports too), usage errors, a packet file that cannot be
# written, and a lead's packet.
. "$(dirname "$0")/lib.sh"

team_fixture --now 2026-03-02T09:00:00Z ari bo cy || exit 1
ESC=$(printf '\033')

test_expect_success 'without expectations: growth says how to start, packet still writes' '
	as ari perf growth >"$out" &&
	contains "$out" "ari has no expectations yet: write them together with '\''perf expect ari'\''" &&
	as ari perf --json growth >"$out" &&
	python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d[\"expectations\"] is False and d[\"areas\"] == [], d" "$out" &&
	as ari perf packet --since 2026-01-01 >"$out" &&
	contains "$out" "No expectations written yet." &&
	as ari perf --json packet --since 2026-01-01 >"$out" &&
	python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d[\"expectations\"] is None, d" "$out" &&
	expect_fail 1 as ari perf goal add "Grow" --area anything 2>"$err" &&
	contains "$err" "ari has no expectations yet, so there is no area to name; write them with '\''perf expect ari'\''"
'

test_expect_success 'hostile area names and words stay text everywhere' '
	as ari perf expect -m "## Strengths
- <img src=x onerror=alert(1)> reviews ${ESC}[31mred
- Mentoring

## Areas for development
- Writing [docs](javascript:alert(2))" >/dev/null &&
	as ari perf goal add "Write the docs" --id docs --area writing >/dev/null &&
	grep -qx "area: writing-docs-javascript" goals/ari/docs.md &&
	as bo perf praise ari --area mentoring -m "<script>alert(3)</script> ${ESC}]0;pwned${ESC}\\ great mentoring" >/dev/null &&
	as ari perf growth --since 2026-01-01 >"$out" &&
	! grep -q "$ESC" "$out" && contains "$out" "^[[31mred" &&
	as ari perf packet --since 2026-01-01 >"$out" &&
	! grep -q "$ESC" "$out" && ! grep -q "\(^\|[^\\]\)<\(img\|script\)" "$out" &&
	contains "$out" "\\<img src=x onerror=alert\\(1\\)\\>" &&
	contains "$out" "\\<script\\>alert\\(3\\)\\</script\\>" &&
	as ari perf packet --since 2026-01-01 --format html >"$out" &&
	! grep -q "$ESC" "$out" && ! grep -q "<img\|<script\|href=\"javascript" "$out" &&
	contains "$out" "&lt;img src=x onerror=alert(1)&gt;" && contains "$out" "&lt;script&gt;alert(3)&lt;/script&gt;"
'

test_expect_success 'whom to ask: repliers, supporters and the people the person supports' '
	as cy perf goal add "Ship the cache" --id cache --support @ari:"reviews the cache design" >/dev/null &&
	as ari perf checkin --learned "Mentoring takes patience" -m "ok" >/dev/null &&
	week=$(ls checkins/ari | sed "s/\.md$//") &&
	as bo perf reply "checkin:ari/$week" -m "nice week" >/dev/null &&
	as ari perf --json packet --since 2026-01-01 >"$out" &&
	python3 - "$out" <<-PY
	import json, sys
	d = json.load(open(sys.argv[1]))
	un = {u["area"]: u["ask"] for u in d["unvoiced"]}
	assert "mentoring" not in un, un
	assert set(un["writing-docs-javascript"]) == {"bo", "cy"}, un
	PY
'

test_expect_success 'usage errors and a file that cannot be written change nothing' '
	s=$(git rev-parse HEAD) &&
	expect_fail 2 as ari perf packet --since 2026-03-01 --until 2026-02-01 2>"$err" && contains "$err" "after --until" &&
	expect_fail 2 as ari perf --json packet --since 2026-01-01 -o x.html 2>"$err" && contains "$err" "no --format or -o" &&
	expect_fail 2 as ari perf growth ari bo 2>"$err" &&
	expect_fail 1 as ari perf growth zed 2>"$err" && contains "$err" "no person '\''zed'\''" &&
	expect_fail 1 as ari perf packet --since 2026-01-01 -o no/such/dir/p.md 2>"$err" && contains "$err" "cannot write no/such/dir/p.md" &&
	test ! -e no && test "$(git rev-parse HEAD)" = "$s" && repo_clean .
'

test_expect_success 'the lead makes the packet of their people; the file is whole' '
	as lena perf packet ari --since 2026-01-01 -o ari.html 2>"$err" &&
	contains "$err" "packet: ari, 2026-01-01 to 2026-03-02, written to ari.html" &&
	head -1 ari.html | grep -qx "<!DOCTYPE html>" && tail -1 ari.html | grep -qx "</html>" &&
	contains ari.html "Made by lena" &&
	ls | grep -v "tmp-perf" >/dev/null && ! ls | grep -q "tmp-perf"
'

test_expect_success 'praise forged with plain git is marked NOT VERIFIED in growth and packet' '
	mkdir -p praise/ari &&
	printf -- "---\nkind: praise\nperson: ari\nfrom: cy\nat: 2026-03-02T08:00:00Z\n---\nForged mentoring praise\n" \
		>praise/ari/20260302T080000Z-cy.md &&
	git add praise/ari/20260302T080000Z-cy.md &&
	as bo git commit -q -m "praise: cy praised ari" -m "Perf-Kind: praise
Perf-Path: praise/ari/20260302T080000Z-cy.md" &&
	{ as ari perf growth --since 2026-01-01 >"$out" 2>"$err"; true; } &&
	grep "Forged mentoring praise" "$out" | grep -q "NOT VERIFIED" &&
	{ as ari perf packet --since 2026-01-01 >"$out" 2>"$err"; true; } &&
	grep -A1 "from \*\*cy\*\*" "$out" | grep -q "NOT VERIFIED: written by a commit the team'\''s rules refuse" &&
	{ as ari perf --json packet --since 2026-01-01 >"$out" 2>"$err"; true; } &&
	python3 -c "import json,sys; d=json.load(open(sys.argv[1])); v={p[\"who\"]: p[\"verified\"] for p in d[\"praise\"]}; assert v == {\"bo\": True, \"cy\": False}, v" "$out"
'

test_done
