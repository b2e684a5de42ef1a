#!/bin/sh
# Songs of greatness: a quarter of ari's record (expectations agreed,
# goals with support promised and given, check-ins with learnings and
# work, feedback answers public and private, praise with areas) laid out
# by perf growth against the expectations and written by perf packet as
# Markdown, JSON and printable HTML; who may make them; a private answer
# only for its readers; hostile text escaped.
. "$(dirname "$0")/lib.sh"
. "$PERF_SRC/tests/lib-browser.sh"

team_fixture --now 2026-06-20T09:00:00Z ari bo cy dee || exit 1

test_expect_success 'the quarter: expectations with areas, agreed by both' '
	as ari perf expect -m "## Role
Build and run search.

## Strengths
- **Code review**: thorough, kind reviews that teach
- Debugging production issues

## Areas for development
- Public speaking: present the work at the all-hands
- Technical leadership" >/dev/null &&
	as ari perf agree expect:ari >/dev/null && as lena perf agree expect:ari >/dev/null
'

at 2026-07-01T09:00:00Z
test_expect_success 'goal add --area names an area by its key or its name; a wrong one is refused' '
	as ari perf goal add "Ship ranking v2" --id ranking --area "technical leadership" \
		--support @bo:"pairs on the ranking tests" --support @lena:"reviews the design doc" >/dev/null &&
	grep -qx "area: technical-leadership" goals/ari/ranking.md &&
	as ari perf goal add "Talk at the all-hands" --id talk --area public >/dev/null &&
	grep -qx "area: public-speaking" goals/ari/talk.md &&
	as ari perf goal add "Speed up review turnaround" --id turnaround >/dev/null &&
	as ari perf goal add "Learn Rust" --id rust >/dev/null &&
	s=$(git rev-parse HEAD) &&
	expect_fail 1 as ari perf goal add "Other" --area cooking 2>"$err" &&
	contains "$err" "names no area of ari" && contains "$err" "code-review, debugging-production-issues" &&
	test "$(git rev-parse HEAD)" = "$s" && perf check >/dev/null
'

at 2026-07-15T09:00:00Z
test_expect_success 'support is given; check-ins record learnings and move goals' '
	as bo perf goal give ari/ranking >/dev/null &&
	as ari perf checkin --goal ranking=40 --learned "Tries beat hashes for prefix search" -m "indexer merged" >/dev/null &&
	at 2026-08-05T09:00:00Z &&
	as ari perf checkin --goal ranking=80 --learned "Debugging production latency needs traces first" -m "ok" >/dev/null &&
	perf check >/dev/null
'

test_expect_success 'a check-in written by hand carries the work gathered' '
	cat >checkins/ari/2026-W33.md <<-EOF &&
	---
	kind: checkin
	person: ari
	week: 2026-W33
	work:
	  - repo: search
	    commit: 1a2b3c4d5e
	    subject: Rank by <b>freshness</b> & clicks
	  - repo: infra
	    commit: 9f8e7d6c5b
	    subject: Trace sampling at 1%
	created: 2026-08-12T09:00:00Z
	---
	## Learned
	Pairing on *tests* halves review rounds
	EOF
	git add checkins/ari/2026-W33.md &&
	GIT_AUTHOR_DATE=2026-08-12T09:00:00Z GIT_COMMITTER_DATE=2026-08-12T09:00:00Z as ari git commit -q -m "checkin: ari 2026-W33" -m "Perf-Kind: checkin
Perf-Path: checkins/ari/2026-W33.md" && perf check >/dev/null
'

at 2026-08-20T09:00:00Z
test_expect_success 'ask --area and --goal attach an area or goal to a request; answers inherit it' '
	as ari perf ask bo --about "my code reviews" --area code-review >"$out" &&
	req1=$(sed -n "s/.*(feedback\/ari\/\(fb-[a-z0-9]*\)\.md).*/\1/p" "$out") && test -n "$req1" &&
	grep -qx "area: code-review" feedback/ari/$req1.md &&
	as ari perf ask cy --about "the ranking design" --goal ranking >"$out" &&
	req2=$(sed -n "s/.*(feedback\/ari\/\(fb-[a-z0-9]*\)\.md).*/\1/p" "$out") && test -n "$req2" &&
	grep -qx "goal: ranking" feedback/ari/$req2.md &&
	s=$(git rev-parse HEAD) &&
	expect_fail 1 as ari perf ask cy --about "x" --goal nosuch 2>"$err" && contains "$err" "no goal '\''nosuch'\''" &&
	expect_fail 1 as ari perf ask cy --about "x" --area nosuch 2>"$err" && contains "$err" "names no area" &&
	test "$(git rev-parse HEAD)" = "$s" &&
	echo "$req1" >"$TEST_ROOT/req1" && echo "$req2" >"$TEST_ROOT/req2" &&
	at 2026-08-22T09:00:00Z &&
	as bo perf give "ari/$req1" -m "Your reviews explain the why; keep that." >/dev/null &&
	as cy perf give "ari/$req2" -m "The design doc was clear about tradeoffs." >/dev/null &&
	perf check >/dev/null
'

test_expect_success 'a private answer, sealed to ari and dee' '
	as ari perf keygen >/dev/null && as dee perf keygen >/dev/null &&
	as ari perf ask dee --about "my public speaking" --area public-speaking >"$out" &&
	req3=$(sed -n "s/.*(feedback\/ari\/\(fb-[a-z0-9]*\)\.md).*/\1/p" "$out") &&
	echo "$req3" >"$TEST_ROOT/req3" &&
	as dee perf give "ari/$req3" --private -m "zebra quokka: slow down in the demo" >/dev/null &&
	! grep -rq "zebra" feedback/
'

at 2026-09-01T09:00:00Z
test_expect_success 'praise --area; a wrong area is refused before anything is written' '
	as cy perf praise ari --value Craft --area "Code review" -m "Caught the cache bug in review." >/dev/null &&
	at 2026-09-02T09:00:00Z &&
	as dee perf praise ari -m "Great debugging production incidents all week" >/dev/null &&
	s=$(git rev-parse HEAD) &&
	expect_fail 1 as dee perf praise ari --area cooking -m "x" 2>"$err" && contains "$err" "names no area" &&
	test "$(git rev-parse HEAD)" = "$s" &&
	grep -qx "area: code-review" praise/ari/*-cy.md &&
	as ari perf ask lena --about "incident handling" --area debugging >/dev/null && perf check >/dev/null
'

at 2026-09-30T09:00:00Z
test_expect_success 'perf growth lays the record against each area, suggestions marked' '
	as ari perf growth --since 2026-07-01 >"$out" &&
	contains "$out" "Growth of ari, 2026-07-01 to 2026-09-30" &&
	contains "$out" "Strength: Code review [code-review]" &&
	contains "$out" "Area for development: Technical leadership [technical-leadership]" &&
	sed -n "/^Strength: Code review/,/^Strength: Debugging/p" "$out" >code &&
	grep -q "answer .* bo on \"my code reviews\": Your reviews explain" code &&
	grep -q "praise .* cy (Craft): Caught the cache bug" code &&
	sed -n "/^Strength: Debugging/,/^Area for development: Public/p" "$out" >debug &&
	grep -q "^  ? praise .* dee: Great debugging" debug && grep -q "speaks of debugging-production-issues?" debug &&
	grep -q "no evidence yet" debug &&
	sed -n "/^Area for development: Technical/,\$p" "$out" >lead &&
	grep -q "goal .* ranking \"Ship ranking v2\" active, 0% -> 80%" lead &&
	grep -q "learning .* 2026-W29 (goal ranking): Tries beat hashes" lead &&
	grep -q "answer .* cy on \"the ranking design\"" lead &&
	sed -n "/^Area for development: Public/,/^Area for development: Technical/p" "$out" >talk &&
	grep -q "answer .* dee on \"my public speaking\": zebra quokka" talk &&
	grep -q "^  ? goal .* turnaround \"Speed up review turnaround\" active, 0% \[speaks of code-review?\]" code &&
	sed -n "/^Not linked to any area/,/^?/p" "$out" >none &&
	grep -q "goal .* rust \"Learn Rust\"" none && ! grep -q turnaround none
'

test_expect_success 'perf growth --json has the same links' '
	as ari perf --json growth --since 2026-07-01 >"$out" &&
	python3 - "$out" <<-PY
	import json, sys
	d = json.load(open(sys.argv[1]))
	areas = {a["key"]: a for a in d["areas"]}
	assert list(areas) == ["code-review", "debugging-production-issues", "public-speaking", "technical-leadership"], list(areas)
	ev = lambda k: sorted((e["what"], e["who"]) for e in areas[k]["evidence"])
	assert ev("code-review") == [("answer", "bo"), ("praise", "cy")], ev("code-review")
	assert ev("technical-leadership") == [("answer", "cy"), ("goal", "ari"), ("learning", "ari"), ("learning", "ari")], ev("technical-leadership")
	assert [(e["what"], e["who"]) for e in areas["debugging-production-issues"]["suggestions"]][:1] == [("learning", "ari")] or \
	       ("praise", "dee") in [(e["what"], e["who"]) for e in areas["debugging-production-issues"]["suggestions"]]
	assert areas["debugging-production-issues"]["evidence"] == []
	assert areas["debugging-production-issues"]["voiced"] is False
	assert areas["code-review"]["voiced"] is True
	assert [g["goal"] for g in d["unlinked"] if g["what"] == "goal"] == ["rust"], d["unlinked"]
	assert "turnaround" in [g.get("goal") for g in areas["code-review"]["suggestions"]]
	assert all(g["suggested"] == "code-review" for g in areas["code-review"]["suggestions"])
	PY
'

test_expect_success 'who may: the person, their lead; others are refused' '
	as lena perf growth ari --since 2026-07-01 >/dev/null &&
	expect_fail 1 as bo perf growth ari 2>"$err" && contains "$err" "only ari or their lead (lena)" &&
	expect_fail 1 as bo perf packet ari --since 2026-07-01 2>"$err" && contains "$err" "only ari or their lead (lena)" &&
	expect_fail 2 as ari perf packet 2>"$err" && contains "$err" "--since" &&
	expect_fail 2 as ari perf packet --since 2026-13-01 2>"$err" && contains "$err" "not a date" &&
	expect_fail 2 as ari perf packet --since 2026-07-01 --format pdf 2>"$err" && contains "$err" "md or html"
'

test_expect_success 'perf packet (Markdown) holds every section of the quarter, with commits' '
	as ari perf packet --since 2026-07-01 --until 2026-09-30 >"$out" &&
	contains "$out" "# Review packet: Ari Example (ari), 2026-07-01 to 2026-09-30" &&
	for h in "## Expectations" "### Strengths" "### Areas for development" "### Agreement history" \
		"## Goals and how they moved" "## What I learned (check-ins)" "## Work gathered" "## Feedback answers" \
		"## Praise: who sings your songs" "### By value" "#### Craft" "### By expectation area" \
		"## Areas without an outside voice"; do
		grep -qxF "$h" "$out" || { echo "no $h" >&2; exit 1; }
	done &&
	contains "$out" "ari agreed to their expectations" && contains "$out" "lena agreed to ari'\''s expectations" &&
	contains "$out" "Support promised by bo: pairs on the ranking tests — given 2026-07-15" &&
	contains "$out" "Support promised by lena: reviews the design doc — not given yet" &&
	contains "$out" "0% → 80%" &&
	contains "$out" "search: Rank by \\<b\\>freshness\\</b\\> \\& clicks (commit \`1a2b3c4d5e\`)" &&
	contains "$out" "zebra quokka" &&
	contains "$out" "**Debugging production issues**: no feedback answer or praise in this period. Asked lena on 2026-09-02; no answer yet. Whom to ask: bo, cy, dee (\`perf ask bo cy dee --area debugging-production-issues --about …\`)" &&
	c=$(git log -1 --format=%H -- praise/ari/*-cy.md | cut -c1-10) && contains "$out" "(commit \`$c\`)"
'

test_expect_success 'a private answer never reaches a packet its maker cannot read' '
	as lena perf packet ari --since 2026-07-01 >"$out" &&
	! grep -q "zebra\|quokka\|slow down" "$out" && ! grep -q "my public speaking" "$out" &&
	contains "$out" "Your reviews explain the why" &&
	as lena perf --json packet ari --since 2026-07-01 >"$out" && ! grep -q "zebra" "$out" &&
	as lena perf packet ari --since 2026-07-01 --format html -o lena.html 2>/dev/null && ! grep -q "zebra" lena.html &&
	as ari perf --json packet --since 2026-07-01 >"$out" &&
	python3 - "$out" <<-PY
	import json, sys
	d = json.load(open(sys.argv[1]))
	priv = [f for f in d["feedback"] if f["private"]]
	assert len(priv) == 1 and "zebra" in priv[0]["text"] and priv[0]["who"] == "dee" and priv[0]["area"] == "public-speaking", priv
	assert {u["area"] for u in d["unvoiced"]} == {"debugging-production-issues"}, d["unvoiced"]
	u = d["unvoiced"][0]
	assert [x["who"] for x in u["waiting"]] == ["lena"] and "lena" not in u["ask"], u
	g = [g for g in d["goals"] if g["goal"] == "ranking"][0]
	assert (g["start"], g["end"]) == (0, 80) and g["commit"], g
	assert [s["given"] for s in g["support"]] == ["2026-07-15", None], g
	w = [l for l in d["learnings"] if l["week"] == "2026-W33"][0]
	assert [x["commit"] for x in w["work"]] == ["1a2b3c4d5e", "9f8e7d6c5b"], w
	PY
'

test_expect_success 'hostile text is escaped in Markdown and HTML' '
	as bo perf praise ari -m "<script>alert(1)</script> [click](javascript:x) <img src=x onerror=alert(2)>" >/dev/null &&
	as ari perf packet --since 2026-07-01 >"$out" &&
	! grep -q "<script>" "$out" && contains "$out" "\\<script\\>alert\\(1\\)\\</script\\>" &&
	! grep -q "\[click\](" "$out" &&
	as ari perf packet --since 2026-07-01 -o packet.html 2>"$err" &&
	contains "$err" "written to packet.html" &&
	! grep -q "<script\|<img" packet.html && contains packet.html "&lt;script&gt;alert(1)&lt;/script&gt;" &&
	contains packet.html "Content-Security-Policy" && contains packet.html "@media print" &&
	contains packet.html "Rank by &lt;b&gt;freshness&lt;/b&gt; &amp; clicks"
'

if have_browser && command -v pdftotext >/dev/null 2>&1; then
	test_expect_success 'the HTML packet prints to PDF with its sections' '
		browser_pdf "$PWD/packet.html" "$TEST_ROOT/packet.pdf" &&
		pdftotext "$TEST_ROOT/packet.pdf" "$TEST_ROOT/packet.txt" &&
		for h in "Review packet: Ari Example (ari)" "Expectations" "Agreement history" "Goals and how they moved" \
			"What I learned (check-ins)" "Work gathered" "Feedback answers" "Praise: who sings your songs" \
			"Areas without an outside voice" "Tries beat hashes"; do
			grep -qF "$h" "$TEST_ROOT/packet.txt" || { echo "no $h in the PDF" >&2; exit 1; }
		done
	'
	test_expect_success 'the HTML packet renders without error and does not scroll sideways on a phone' '
		browser_shot "$PWD/packet.html" 1000 "$TEST_ROOT/packet.png" &&
		test "$(browser_overflow "$PWD/packet.html" 400)" = 0
	'
else
	skip_browser_cases 'the HTML packet prints to PDF with its sections' \
		'the HTML packet renders without error and does not scroll sideways on a phone'
fi

test_done
