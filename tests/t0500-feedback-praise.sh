#!/bin/sh
# perf ask, perf give, perf feedback and perf praise: feedback on demand,
# answered under each person's name, and praise kept in the receiver's
# record; bad input changes nothing.
. "$(dirname "$0")/lib.sh"

team_fixture --now 2026-11-16T09:00:00Z ari bo cy di || exit 1

test_expect_here 'ask writes feedback/<me>/fb-XXXX.md, authored by the person' '
	as ari perf ask lena bo cy --about "my code reviews" --due 2026-11-20 >"$out" &&
	id=$(sed -n "s|.*(feedback/ari/\(fb-[0-9a-z]*\)\.md)\$|\1|p" "$out") &&
	printf "%s\n" "$id" | grep -qx "fb-[0-9abcdefghjkmnpqrstvwxyz]\{4\}" &&
	contains "$out" "asked lena, bo, cy for feedback on \"my code reviews\" (feedback/ari/$id.md)" &&
	req=feedback/ari/$id.md &&
	test -f "$req" &&
	test "$(git log -1 --format=%an)" = "Ari Example" &&
	test "$(git log -1 --format=%s)" = "feedback: ari asked lena, bo, cy about \"my code reviews\"" &&
	git log -1 --format=%B | grep -qx "Perf-Kind: feedback" &&
	git log -1 --format=%B | grep -qx "Perf-Path: $req" &&
	git log -1 --format=%B | grep -qx "Perf-Asked: lena, bo, cy" &&
	test "$(git show --name-only --format= HEAD)" = "$req" &&
	repo_clean .
'

test_expect_success 'the request reads right in PyYAML, with the topic in its body' '
	python3 - "$req" <<-PY
	import sys, yaml
	text = open(sys.argv[1]).read()
	fm = yaml.safe_load(text.split("---\n")[1])
	assert list(fm) == ["kind", "person", "about", "asked", "due", "created"], fm
	assert fm["kind"] == "feedback" and fm["person"] == "ari", fm
	assert fm["about"] == "my code reviews" and fm["asked"] == ["lena", "bo", "cy"], fm
	assert str(fm["due"]) == "2026-11-20", fm
	assert fm["created"] in ("2026-11-16T09:00:00Z",) or str(fm["created"]).startswith("2026-11-16 09:00:00"), fm
	body = text.split("---\n", 2)[2]
	assert "## What I would like feedback on\n\nmy code reviews\n" in body, body
	PY
'

test_expect_success 'perf check accepts the request' '
	perf check >"$out" 2>&1 || { cat "$out"; false; }
'

test_expect_success 'bo sees the request waiting, with its due date' '
	as bo perf feedback >"$out" &&
	contains "$out" "Waiting for you" &&
	contains "$out" "ari/$id  ari asks about \"my code reviews\"  due 2026-11-20  perf give ari/$id" &&
	! grep -q overdue "$out" &&
	as bo perf --json feedback >"$out" &&
	python3 - "$out" "$id" <<-PY
	import json, sys
	d = json.load(open(sys.argv[1]))
	assert sorted(d) == ["asked", "received", "waiting"], d
	assert d["asked"] == [] and d["received"] == [], d
	w = d["waiting"]
	assert len(w) == 1 and w[0]["id"] == sys.argv[2] and w[0]["person"] == "ari", w
	assert w[0]["path"] == "feedback/ari/%s.md" % sys.argv[2], w
	assert w[0]["about"] == "my code reviews" and w[0]["due"] == "2026-11-20", w
	assert w[0]["overdue"] is False and w[0]["created"] == "2026-11-16T09:00:00Z", w
	PY
'

test_expect_success 'di was not asked: nothing waits for di' '
	as di perf feedback >"$out" &&
	contains "$out" "nothing: no request is waiting for your answer" &&
	! grep -q "$id" "$out" &&
	as di perf --json feedback >"$out" &&
	python3 -c "import json; d=json.load(open(\"$out\")); assert d == {\"asked\": [], \"waiting\": [], \"received\": []}, d"
'

test_expect_success 'lena answers with -m: a reply in the thread, under her name' '
	PERF_NOW=2026-11-17T09:00:00Z as lena perf give "$id" -m "Your comments teach; keep the examples." >"$out" &&
	ans=feedback/ari/$id/20261117T090000Z-lena.md &&
	contains "$out" "answered ari'\''s request \"my code reviews\" ($ans)" &&
	contains "$ans" "kind: reply" && contains "$ans" "author: lena" &&
	contains "$ans" "to: $req" && contains "$ans" "at: 2026-11-17T09:00:00Z" &&
	contains "$ans" "Your comments teach; keep the examples." &&
	test "$(git log -1 --format=%an)" = "Lena Example" &&
	test "$(git log -1 --format=%s)" = "feedback: lena answered ari about \"my code reviews\"" &&
	git log -1 --format=%B | grep -qx "Perf-Kind: reply" &&
	git log -1 --format=%B | grep -qx "Perf-Path: $ans" &&
	git log -1 --format=%B | grep -qx "Perf-To: $req" &&
	test "$(git show --name-only --format= HEAD)" = "$ans" &&
	repo_clean .
'

test_expect_success 'cy answers, naming the request as feedback:ari/ID' '
	PERF_NOW=2026-11-18T09:00:00Z as cy perf give "feedback:ari/$id" -m "Faster turnaround on Fridays, please." >"$out" &&
	test -f "feedback/ari/$id/20261118T090000Z-cy.md" &&
	test "$(git log -1 --format=%an)" = "Cy Example" &&
	repo_clean .
'

test_expect_success 'ari sees two of three answers and who is still to answer' '
	PERF_NOW=2026-11-18T10:00:00Z as ari perf feedback >"$out" &&
	contains "$out" "Asked by you" &&
	contains "$out" "$id  \"my code reviews\"  due 2026-11-20  answered 2 of 3, waiting for bo"
'

test_expect_success 'after the due date, the request is overdue for bo' '
	PERF_NOW=2026-11-21T09:00:00Z as bo perf feedback >"$out" &&
	contains "$out" "ari/$id  ari asks about \"my code reviews\"  due 2026-11-20 (overdue)" &&
	PERF_NOW=2026-11-21T09:00:00Z as bo perf --json feedback >"$out" &&
	python3 -c "import json; d=json.load(open(\"$out\")); assert d[\"waiting\"][0][\"overdue\"] is True, d"
'

test_expect_success 'bo answers by a prefix of the id' '
	prefix=$(printf %s "$id" | cut -c1-4) &&
	PERF_NOW=2026-11-21T09:30:00Z as bo perf give "$prefix" -m "Clear and kind." >"$out" &&
	test -f "feedback/ari/$id/20261121T093000Z-bo.md" &&
	test "$(git log -1 --format=%an)" = "Bo Example" &&
	PERF_NOW=2026-11-21T10:00:00Z as bo perf feedback >"$out" &&
	contains "$out" "nothing: no request is waiting for your answer" &&
	repo_clean .
'

test_expect_success 'ari: answered 3 of 3, answers received newest first' '
	PERF_NOW=2026-11-22T09:00:00Z as ari perf feedback >"$out" &&
	contains "$out" "$id  \"my code reviews\"  due 2026-11-20  answered 3 of 3" &&
	! grep -q "3 of 3, waiting" "$out" &&
	sed -n "/^Answers received/,\$p" "$out" >"$out.recv" &&
	test "$(sed -n 2p "$out.recv")" = "  2026-11-21  bo         $id  Clear and kind." &&
	test "$(sed -n 3p "$out.recv")" = "  2026-11-18  cy         $id  Faster turnaround on Fridays, please." &&
	test "$(sed -n 4p "$out.recv")" = "  2026-11-17  lena       $id  Your comments teach; keep the examples." &&
	PERF_NOW=2026-11-22T09:00:00Z as ari perf --json feedback >"$out" &&
	python3 - "$out" "$id" <<-PY
	import json, sys
	d = json.load(open(sys.argv[1])); i = sys.argv[2]
	a = d["asked"]
	assert len(a) == 1 and a[0]["id"] == i and a[0]["path"] == "feedback/ari/%s.md" % i, a
	assert a[0]["asked"] == ["lena", "bo", "cy"] and a[0]["answered"] == ["lena", "cy", "bo"], a
	assert a[0]["waiting_for"] == [] and a[0]["about"] == "my code reviews" and a[0]["due"] == "2026-11-20", a
	r = d["received"]
	assert [x["author"] for x in r] == ["bo", "cy", "lena"], r
	assert r[0]["at"] == "2026-11-21T09:30:00Z" and r[0]["first_line"] == "Clear and kind.", r
	assert r[0]["request"] == "feedback/ari/%s.md" % i and r[0]["id"] == i, r
	assert r[0]["path"] == "feedback/ari/%s/20261121T093000Z-bo.md" % i, r
	assert d["waiting"] == [], d
	PY
'

test_expect_success 'feedback show prints the request and its answers in order' '
	as ari perf feedback show "$id" >"$out" &&
	contains "$out" "$req" && contains "$out" "about:   my code reviews" &&
	l=$(grep -n "lena, 2026-11-17" "$out" | cut -d: -f1) &&
	c=$(grep -n "cy, 2026-11-18" "$out" | cut -d: -f1) &&
	b=$(grep -n "bo, 2026-11-21" "$out" | cut -d: -f1) &&
	test "$l" -lt "$c" && test "$c" -lt "$b" &&
	as lena perf feedback show "ari/$id" >"$out" && contains "$out" "Clear and kind."
'

test_expect_success 'bad asks: not in the team, yourself, twice, a bad or past due date; nothing changes' '
	before=$(snapshot .) &&
	as ari expect_fail 1 perf ask bo zed --about "my talks" 2>"$err" &&
	contains "$err" "perf: no person '\''zed'\'' in the team (no people/zed.md)" &&
	as ari expect_fail 1 perf ask bo ari --about "my talks" 2>"$err" &&
	contains "$err" "cannot ask yourself" &&
	as ari expect_fail 1 perf ask bo bo --about "my talks" 2>"$err" &&
	contains "$err" "'\''bo'\'' is named twice" &&
	as ari expect_fail 2 perf ask bo --about "my talks" --due 2026-02-30 2>"$err" &&
	contains "$err" "--due" && contains "$err" "2026-02-30" &&
	as ari expect_fail 2 perf ask bo --about "my talks" --due tomorrow 2>"$err" &&
	contains "$err" "--due" &&
	as ari expect_fail 2 perf ask bo --about "my talks" --due 2026-01-05 2>"$err" &&
	contains "$err" "is in the past" &&
	as ari expect_fail 2 perf ask bo 2>"$err" &&
	contains "$err" "--about" &&
	as ari expect_fail 2 perf ask --about "my talks" 2>"$err" &&
	unchanged . "$before"
'

test_expect_success 'bad gives: not asked, your own request, a second answer, no such request; nothing changes' '
	before=$(snapshot .) &&
	as di expect_fail 1 perf give "$id" -m "drive-by" 2>"$err" &&
	contains "$err" "perf: $req did not ask you (it asked lena, bo, cy)" &&
	as ari expect_fail 1 perf give "$id" -m "self" 2>"$err" &&
	contains "$err" "is your own request" &&
	as lena expect_fail 1 perf give "$id" -m "more" 2>"$err" &&
	contains "$err" "you already answered (feedback/ari/$id/20261117T090000Z-lena.md); edit it with '\''perf give $id --edit'\''" &&
	as lena expect_fail 1 perf give fb-zzzz -m "x" 2>"$err" &&
	contains "$err" "no feedback request '\''fb-zzzz'\''" &&
	as di expect_fail 1 perf give "$id" --edit -m "x" 2>"$err" &&
	contains "$err" "did not ask you" &&
	as lena expect_fail 1 perf give goal:ari/none -m "x" 2>"$err" &&
	unchanged . "$before"
'

test_expect_success 'give --edit rewrites the answer in place: same path and front matter, one commit' '
	ans=feedback/ari/$id/20261117T090000Z-lena.md &&
	head -6 "$ans" >"$TEST_ROOT/fm.before" &&
	PERF_NOW=2026-11-22T09:00:00Z as lena perf give "$id" --edit -m "Your comments teach. Keep the examples coming." >"$out" &&
	contains "$out" "edited your answer to ari'\''s request \"my code reviews\" ($ans)" &&
	head -6 "$ans" | diff "$TEST_ROOT/fm.before" - &&
	contains "$ans" "Keep the examples coming." &&
	! grep -q "keep the examples\.\$" "$ans" &&
	test "$(git show --name-only --format= HEAD)" = "$ans" &&
	test "$(git log -1 --format=%an)" = "Lena Example" &&
	test "$(git log -1 --format=%s)" = "feedback: lena edited their answer to ari about \"my code reviews\"" &&
	git log -1 --format=%B | grep -qx "Perf-Action: edit" &&
	test "$(ls "feedback/ari/$id" | wc -l)" = 3 &&
	repo_clean .
'

test_expect_success 'give --edit with the same text commits nothing' '
	before=$(snapshot .) &&
	as lena perf give "$id" --edit -m "Your comments teach. Keep the examples coming." >"$out" &&
	contains "$out" "unchanged; nothing committed" &&
	unchanged . "$before"
'

test_expect_here 'a second request: by id prefix it is ambiguous for bo (exit 2, both listed)' '
	PERF_NOW=2026-11-23T09:00:00Z as ari perf ask bo di --about "my design docs" >"$out" &&
	id2=$(sed -n "s|.*(feedback/ari/\(fb-[0-9a-z]*\)\.md)\$|\1|p" "$out") &&
	test -n "$id2" && test "$id2" != "$id" &&
	! grep -q "^due:" "feedback/ari/$id2.md" &&
	before=$(snapshot .) &&
	as bo expect_fail 2 perf give fb -m "x" 2>"$err" &&
	contains "$err" "ambiguous" &&
	contains "$err" "feedback/ari/$id.md" && contains "$err" "feedback/ari/$id2.md" &&
	unchanged . "$before"
'

cat >"$TEST_ROOT/peek.sh" <<SH
#!/bin/sh
cp "\$1" "$TEST_ROOT/seen"
SH
cat >"$TEST_ROOT/answer.sh" <<'SH'
#!/bin/sh
# A scripted editor: answers the first question only.
sed -i 's/^## What should I keep doing?$/&\nThe one-page summaries at the top./' "$1"
SH
chmod +x "$TEST_ROOT/peek.sh" "$TEST_ROOT/answer.sh"

test_expect_success 'the editor: failing or left empty writes nothing' '
	before=$(snapshot .) &&
	PERF_EDITOR=false as di expect_fail 1 perf give "$id2" 2>"$err" &&
	contains "$err" "editor" &&
	PERF_EDITOR=true as di expect_fail 1 perf give "$id2" 2>"$err" &&
	contains "$err" "empty answer; nothing written" &&
	PERF_EDITOR="$TEST_ROOT/peek.sh" as di expect_fail 1 perf give "$id2" 2>/dev/null &&
	unchanged . "$before"
'

test_expect_success 'the editor shows the topic as a comment and says answers are not anonymous' '
	contains "$TEST_ROOT/seen" "<!-- ari asked you for feedback on \"my design docs\" (feedback/ari/$id2.md)" &&
	contains "$TEST_ROOT/seen" "never anonymous" &&
	contains "$TEST_ROOT/seen" "## What should I keep doing?" &&
	contains "$TEST_ROOT/seen" "## What could I try doing differently?"
'

test_expect_success 'an answer written in the editor keeps only what was written' '
	PERF_NOW=2026-11-23T10:00:00Z PERF_EDITOR="$TEST_ROOT/answer.sh" as di perf give "$id2" >"$out" &&
	a=feedback/ari/$id2/20261123T100000Z-di.md &&
	contains "$a" "## What should I keep doing?" &&
	contains "$a" "The one-page summaries at the top." &&
	! grep -q "<!--" "$a" &&
	! grep -q "differently" "$a" &&
	test "$(git log -1 --format=%an)" = "Di Example" &&
	repo_clean .
'

test_expect_success 'praise: praise/<handle>/<stamp>-<from>.md, authored by the giver' '
	PERF_NOW=2026-11-24T09:00:00Z as lena perf praise ari --value ownership -m "You took the flaky CI on and fixed it for everyone." >"$out" &&
	p=praise/ari/20261124T090000Z-lena.md &&
	contains "$out" "praised ari for ownership ($p)" &&
	test "$(git log -1 --format=%an)" = "Lena Example" &&
	test "$(git log -1 --format=%s)" = "praise: lena praised ari (ownership)" &&
	git log -1 --format=%B | grep -qx "Perf-Kind: praise" &&
	git log -1 --format=%B | grep -qx "Perf-Path: $p" &&
	git log -1 --format=%B | grep -qx "Perf-Value: ownership" &&
	test "$(git show --name-only --format= HEAD)" = "$p" &&
	python3 - "$p" <<-PY &&
	import sys, yaml
	text = open(sys.argv[1]).read()
	fm = yaml.safe_load(text.split("---\n")[1])
	assert list(fm) == ["kind", "person", "from", "value", "at"], fm
	assert fm["kind"] == "praise" and fm["person"] == "ari" and fm["from"] == "lena", fm
	assert fm["value"] == "ownership", fm
	assert "You took the flaky CI on" in text.split("---\n", 2)[2]
	PY
	repo_clean .
'

test_expect_success 'praise twice in the same second moves the stamp on' '
	PERF_NOW=2026-11-24T09:00:00Z as lena perf praise ari -m "And the release notes." >"$out" &&
	contains "$out" "praise/ari/20261124T090001Z-lena.md" &&
	contains praise/ari/20261124T090001Z-lena.md "at: 2026-11-24T09:00:01Z" &&
	! grep -q "^value:" praise/ari/20261124T090001Z-lena.md &&
	perf check >/dev/null 2>&1 &&
	repo_clean .
'

test_expect_success 'perf praise lists praise received, newest first; --json parses' '
	as ari perf praise >"$out" &&
	test "$(sed -n 1p "$out")" = "2026-11-24  from lena       And the release notes." &&
	test "$(sed -n 2p "$out")" = "2026-11-24  from lena       [ownership] You took the flaky CI on and fixed it for everyone." &&
	as bo perf praise --list ari >"$out.2" && cmp "$out" "$out.2" &&
	as ari perf --json praise >"$out" &&
	python3 - "$out" <<-PY &&
	import json, sys
	d = json.load(open(sys.argv[1]))
	assert [x["at"] for x in d] == ["2026-11-24T09:00:01Z", "2026-11-24T09:00:00Z"], d
	assert d[1]["value"] == "ownership" and d[0]["value"] is None and d[1]["from"] == "lena", d
	assert d[1]["person"] == "ari" and d[1]["path"] == "praise/ari/20261124T090000Z-lena.md", d
	assert d[1]["text"] == "You took the flaky CI on and fixed it for everyone.\n", d
	PY
	as bo perf praise 2>"$err" >"$out" && test ! -s "$out" && contains "$err" "no praise yet"
'

test_expect_success 'bad praise: yourself, someone not in the team, an empty message, a failing editor' '
	before=$(snapshot .) &&
	as ari expect_fail 1 perf praise ari -m "me" 2>"$err" &&
	contains "$err" "cannot praise yourself" &&
	as ari expect_fail 1 perf praise zed -m "hi" 2>"$err" &&
	contains "$err" "no person '\''zed'\'' in the team" &&
	as ari expect_fail 1 perf praise bo -m "" 2>"$err" &&
	contains "$err" "empty praise" &&
	PERF_EDITOR=false as ari expect_fail 1 perf praise bo 2>"$err" &&
	contains "$err" "editor" &&
	as ari expect_fail 2 perf praise --list -m x 2>"$err" &&
	unchanged . "$before"
'

test_expect_success 'with a values list in the config, --value must be one of them' '
	printf "values:\n  - Ownership\n  - Kindness\n" >>.perf/config.yaml &&
	git commit -q -am "config: values" &&
	before=$(snapshot .) &&
	as ari expect_fail 1 perf praise bo --value speed -m "fast" 2>"$err" &&
	contains "$err" "'\''speed'\'' is not one of the team'\''s values (.perf/config.yaml): Ownership, Kindness" &&
	unchanged . "$before" &&
	PERF_NOW=2026-11-25T09:00:00Z as ari perf praise bo --value kindness -m "Thanks for the pairing." >"$out" &&
	contains praise/bo/20261125T090000Z-ari.md "value: Kindness" &&
	repo_clean .
'

test_expect_success 'every answer and praise is attributed: authors match the files'\'' names' '
	git log --format="%an|%s" >"$out" &&
	contains "$out" "Bo Example|feedback: bo answered ari" &&
	contains "$out" "Cy Example|feedback: cy answered ari" &&
	contains "$out" "Di Example|feedback: di answered ari" &&
	contains "$out" "Ari Example|praise: ari praised bo (Kindness)"
'

test_done
