#!/bin/sh
# perf note and perf action: weekly 1:1 notes between a lead and a person
# over three weeks, actions carried forward, closed, overdue, and bad input
# that changes nothing.
. "$(dirname "$0")/lib.sh"

team_fixture --now 2026-11-16T09:00:00Z ari bo || exit 1

W1=2026-11-20T10:00:00Z
W2=2026-11-27T10:00:00Z
W3=2026-12-04T10:00:00Z

test_expect_success 'week 1: lena writes the 1:1 notes with two actions' '
	PERF_NOW=$W1 as lena perf note ari -m "## Notes
Ranking can wait for the RFC.

## Actions
- [ ] @ari send the draft, by 2026-12-01
- [ ] @lena find a second reviewer" >"$out" &&
	contains "$out" "note: ari 2026-11-20-1-1 with lena (notes/ari/2026-11-20-1-1.md) · 2 actions" &&
	test -f notes/ari/2026-11-20-1-1.md &&
	fm notes/ari/2026-11-20-1-1.md "fm[\"person\"] == \"ari\" and str(fm[\"date\"]) == \"2026-11-20\" and fm[\"with\"] == [\"lena\"]" &&
	fm notes/ari/2026-11-20-1-1.md "[(a[\"id\"], a[\"owner\"], a[\"text\"], str(a.get(\"due\")), a[\"done\"]) for a in fm[\"actions\"]] == [(\"send-the-draft\", \"ari\", \"send the draft\", \"2026-12-01\", False), (\"find-a-second-reviewer\", \"lena\", \"find a second reviewer\", \"None\", False)]" &&
	contains notes/ari/2026-11-20-1-1.md "- [ ] @ari send the draft, by 2026-12-01" &&
	test "$(git log -1 --format=%an)" = "Lena Example" &&
	test "$(git log -1 --format=%s)" = "note: ari 2026-11-20-1-1 with lena" &&
	git log -1 --format=%B | grep -qx "Perf-Path: notes/ari/2026-11-20-1-1.md" &&
	test "$(git show --name-only --format= HEAD)" = "notes/ari/2026-11-20-1-1.md" &&
	repo_clean .
'

test_expect_success 'action list --open shows both, with owner, due, state and note' '
	PERF_NOW=$W1 as ari perf action list --open >"$out" &&
	test "$(wc -l <"$out")" = 2 &&
	grep -q "^ari/send-the-draft  *ari  *2026-12-01  *open  *send the draft  (notes/ari/2026-11-20-1-1.md)$" "$out" &&
	grep -q "^ari/find-a-second-reviewer  *lena  *-  *open  *find a second reviewer  (notes/ari/2026-11-20-1-1.md)$" "$out"
'

cat >"$TEST_ROOT/peek.sh" <<SH
#!/bin/sh
cp "\$1" "$TEST_ROOT/seen"
SH
cat >"$TEST_ROOT/week2.sh" <<'SH'
#!/bin/sh
# A scripted editor: writes notes, ticks a carried action, adds one.
sed -i -e 's/^<!-- What was said and decided.*-->$/The draft is nearly there; Kim will review./' \
       -e 's/^- \[ \] @lena find a second reviewer$/- [x] @lena find a second reviewer/' \
       -e '/^## Actions$/a - [ ] @lena book the offsite, by 2026-12-02' "$1"
SH
chmod +x "$TEST_ROOT/peek.sh" "$TEST_ROOT/week2.sh"

test_expect_success 'week 2: the editor opens on the template with open actions carried forward' '
	before=$(snapshot .) &&
	PERF_NOW=$W2 PERF_EDITOR="$TEST_ROOT/peek.sh" as ari expect_fail 1 perf note ari --with lena 2>"$err" &&
	contains "$err" "empty or unchanged note; nothing written" &&
	contains "$TEST_ROOT/seen" "notes of ari (ari and lena) on 2026-11-27" &&
	contains "$TEST_ROOT/seen" "## Agenda" &&
	contains "$TEST_ROOT/seen" "## Actions" &&
	sed -n "/^## Carried forward$/,\$p" "$TEST_ROOT/seen" | grep -v "^<!--" >"$out" &&
	printf "%s\n" "## Carried forward" "- [ ] @ari send the draft, by 2026-12-01" "- [ ] @lena find a second reviewer" >"$TEST_ROOT/want" &&
	diff -u "$TEST_ROOT/want" "$out" &&
	unchanged . "$before"
'

test_expect_success 'an empty edit writes nothing' '
	before=$(snapshot .) &&
	printf "#!/bin/sh\n: >\"\$1\"\n" >"$TEST_ROOT/empty.sh" && chmod +x "$TEST_ROOT/empty.sh" &&
	PERF_NOW=$W2 PERF_EDITOR="$TEST_ROOT/empty.sh" as ari expect_fail 1 perf note ari --with lena 2>"$err" &&
	contains "$err" "nothing written" &&
	PERF_NOW=$W2 PERF_EDITOR=false as ari expect_fail 1 perf note ari --with lena 2>"$err" &&
	contains "$err" "editor" &&
	unchanged . "$before"
'

test_expect_success 'week 2: ari writes the notes in the editor; carried actions keep their ids' '
	PERF_NOW=$W2 PERF_EDITOR="$TEST_ROOT/week2.sh" as ari perf note ari --with lena >"$out" &&
	contains "$out" "note: ari 2026-11-27-1-1 with lena (notes/ari/2026-11-27-1-1.md) · 3 actions, 2 carried forward" &&
	f=notes/ari/2026-11-27-1-1.md &&
	contains $f "The draft is nearly there" &&
	! contains $f "<!-- perf:" 2>/dev/null &&
	fm $f "fm[\"with\"] == [\"lena\"]" &&
	fm $f "[(a[\"id\"], a[\"owner\"], a[\"done\"]) for a in fm[\"actions\"]] == [(\"book-the-offsite\", \"lena\", False), (\"send-the-draft\", \"ari\", False), (\"find-a-second-reviewer\", \"lena\", True)]" &&
	test "$(git log -1 --format=%an)" = "Ari Example" &&
	test "$(git log -1 --format=%s)" = "note: ari 2026-11-27-1-1 with lena" &&
	repo_clean .
'

test_expect_success 'the ticked carried action is done; the list reads the latest note' '
	PERF_NOW=$W2 perf action list >"$out" &&
	grep -q "^ari/find-a-second-reviewer .* done .*(notes/ari/2026-11-27-1-1.md)$" "$out" &&
	grep -q "^ari/send-the-draft .* open .*(notes/ari/2026-11-27-1-1.md)$" "$out" &&
	test "$(grep -c send-the-draft "$out")" = 1
'

test_expect_success 'week 2, -m: a second note that day gets -2; open actions are appended with their ids' '
	PERF_NOW=$W2 as lena perf note ari -m "Quick follow-up: the offsite venue." >"$out" &&
	contains "$out" "(notes/ari/2026-11-27-1-1-2.md) · 2 actions, 2 carried forward" &&
	f=notes/ari/2026-11-27-1-1-2.md &&
	sed -n "/^---\$/,/^---\$/!p" $f >"$TEST_ROOT/body" &&
	printf "%s\n" "Quick follow-up: the offsite venue." "" "## Carried forward" "- [ ] @ari send the draft, by 2026-12-01" "- [ ] @lena book the offsite, by 2026-12-02" >"$TEST_ROOT/want" &&
	diff -u "$TEST_ROOT/want" "$TEST_ROOT/body" &&
	fm $f "[a[\"id\"] for a in fm[\"actions\"]] == [\"send-the-draft\", \"book-the-offsite\"]" &&
	test "$(git log -1 --format=%s)" = "note: ari 2026-11-27-1-1-2 with lena" &&
	repo_clean .
'

test_expect_success 'ari marks his action done: front matter and checkbox, one commit' '
	PERF_NOW=$W2 as ari perf action done send-the-draft >"$out" &&
	contains "$out" "action: ari done '\''send the draft'\'' (notes/ari/2026-11-27-1-1-2.md)" &&
	f=notes/ari/2026-11-27-1-1-2.md &&
	contains $f "- [x] @ari send the draft, by 2026-12-01" &&
	contains $f "- [ ] @lena book the offsite, by 2026-12-02" &&
	fm $f "[a[\"done\"] for a in fm[\"actions\"]] == [True, False]" &&
	test "$(git log -1 --format=%s)" = "action: ari done '\''send the draft'\'' (notes/ari/2026-11-27-1-1-2.md)" &&
	test "$(git log -1 --format=%an)" = "Ari Example" &&
	git log -1 --format=%B | grep -qx "Perf-Action-Id: ari/send-the-draft" &&
	test "$(git show --name-only --format= HEAD)" = "$f" &&
	test "$(git diff --numstat HEAD~1 HEAD)" = "$(printf "2\t2\t%s" $f)" &&
	repo_clean .
'

test_expect_success 'the list shows it done, and it is carried no further' '
	PERF_NOW=$W2 perf action list >"$out" &&
	grep -q "^ari/send-the-draft  *ari  *2026-12-01  *done " "$out" &&
	PERF_NOW=$W2 perf action list --open >"$out" &&
	! grep -q send-the-draft "$out" && grep -q book-the-offsite "$out"
'

test_expect_success 'marking it twice is refused' '
	before=$(snapshot .) &&
	PERF_NOW=$W2 as ari expect_fail 1 perf action done ari/send-the-draft 2>"$err" &&
	contains "$err" "ari/send-the-draft is already done (notes/ari/2026-11-27-1-1-2.md)" &&
	unchanged . "$before"
'

test_expect_success 'week 3: the offsite is overdue; --overdue, --mine and --json' '
	PERF_NOW=$W3 perf action list --overdue >"$out" &&
	test "$(wc -l <"$out")" = 1 &&
	grep -q "^ari/book-the-offsite  *lena  *2026-12-02  *overdue  *book the offsite" "$out" &&
	PERF_NOW=$W2 perf action list --overdue >"$out" 2>"$err" && test ! -s "$out" &&
	contains "$err" "no overdue actions" &&
	PERF_NOW=$W3 as lena perf action list --mine --open >"$out" &&
	test "$(wc -l <"$out")" = 1 && contains "$out" "book-the-offsite" &&
	PERF_NOW=$W3 as lena perf action list --json >"$out" &&
	python3 - "$out" <<-PY
	import json, sys
	d = {a["ref"]: a for a in json.load(open(sys.argv[1]))}
	assert set(d) == {"ari/send-the-draft", "ari/find-a-second-reviewer", "ari/book-the-offsite"}, d
	o = d["ari/book-the-offsite"]
	assert (o["owner"], o["due"], o["state"], o["done"], o["with"]) == ("lena", "2026-12-02", "overdue", False, ["lena"]), o
	assert d["ari/send-the-draft"]["state"] == "done" and d["ari/send-the-draft"]["note"] == "notes/ari/2026-11-27-1-1-2.md"
	assert d["ari/find-a-second-reviewer"]["due"] is None
	PY
	PERF_NOW=$W3 perf --json action list --open >"$out" &&
	python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert [a[\"id\"] for a in d]==[\"book-the-offsite\"], d" "$out"
'

test_expect_success 'week 3: only what is still open is carried; --title and --date name the file' '
	PERF_NOW=$W3 as lena perf note ari --title "Career chat" --date 2026-12-03 -m "Talked about growth." >"$out" &&
	f=notes/ari/2026-12-03-career-chat.md &&
	fm $f "fm[\"title\"] == \"Career chat\" and str(fm[\"date\"]) == \"2026-12-03\"" &&
	fm $f "[a[\"id\"] for a in fm[\"actions\"]] == [\"book-the-offsite\"]" &&
	! contains $f "send the draft" 2>/dev/null &&
	! contains $f "second reviewer" 2>/dev/null &&
	repo_clean .
'

test_expect_success 'an unreadable date is an error naming the file and line; nothing is written' '
	before=$(snapshot .) &&
	PERF_NOW=$W3 as lena expect_fail 1 perf note ari -m "## Actions
- [ ] @ari ship it by 2026-13-45" 2>"$err" &&
	grep -Eq "^perf: notes/ari/2026-12-04-1-1.md:[0-9]+: '\''by 2026-13-45'\'' is not a date \(YYYY-MM-DD\)$" "$err" &&
	PERF_NOW=$W3 as lena expect_fail 1 perf note ari -m "- [ ] @ari ship it by next tuesday" 2>"$err" &&
	contains "$err" "'\''by next tuesday'\'' is not a date (YYYY-MM-DD)" &&
	unchanged . "$before"
'

test_expect_success 'the error line is the line of the item in the note as it would be written' '
	PERF_NOW=$W3 as lena expect_fail 1 perf note bo -m "## Notes
First week.

## Actions
- [ ] @bo read the codebase, by 2026-12-24
- [ ] @bo pair with ari by 2026-12-32" 2>"$err" &&
	n=$(sed -n "s/^perf: notes\/bo\/2026-12-04-1-1.md:\([0-9]*\):.*/\1/p" "$err") &&
	PERF_NOW=$W3 as lena perf note bo -m "## Notes
First week.

## Actions
- [ ] @bo read the codebase, by 2026-12-24
- [ ] @bo pair with ari" >/dev/null &&
	test "$(sed -n "${n}p" notes/bo/2026-12-04-1-1.md)" = "- [ ] @bo pair with ari" &&
	repo_clean .
'

test_expect_success 'people outside the team or the conversation are refused' '
	before=$(snapshot .) &&
	PERF_NOW=$W3 as lena expect_fail 1 perf note zed -m "hello" 2>"$err" &&
	contains "$err" "no person '\''zed'\'' in the team (no people/zed.md)" &&
	PERF_NOW=$W3 as lena expect_fail 1 perf note ari --with zed -m "hello" 2>"$err" &&
	contains "$err" "no person '\''zed'\''" &&
	PERF_NOW=$W3 as lena expect_fail 1 perf note ari -m "- [ ] @bo plan the demo" 2>"$err" &&
	contains "$err" "@bo was not in this conversation (ari and lena); add them with --with bo" &&
	as lena expect_fail 2 perf note 2>"$err" &&
	as ari expect_fail 2 perf note ari -m "alone" 2>"$err" &&
	contains "$err" "who was the conversation with? add --with HANDLE" &&
	as lena expect_fail 1 perf note ari -m "" 2>"$err" &&
	contains "$err" "empty note" &&
	unchanged . "$before"
'

test_expect_success 'a third person cannot mark someone else'\''s action done' '
	before=$(snapshot .) &&
	PERF_NOW=$W3 as bo expect_fail 1 perf action done book-the-offsite 2>"$err" &&
	contains "$err" "ari/book-the-offsite is lena'\''s action in ari'\''s notes; only lena or ari can mark it done" &&
	unchanged . "$before"
'

test_expect_success 'a group note; an ambiguous id lists the candidates and exits 2' '
	PERF_NOW=$W3 as lena perf note bo --with ari -m "- [ ] @bo plan the demo
- [ ] @ari plan the retro, due 2026-12-11" >"$out" &&
	f=notes/bo/2026-12-04-group.md &&
	contains "$out" "note: bo 2026-12-04-group with ari, lena ($f) · 2 actions" &&
	fm $f "fm[\"with\"] == [\"ari\", \"lena\"]" &&
	test "$(git log -1 --format=%s)" = "note: bo 2026-12-04-group with ari, lena" &&
	before=$(snapshot .) &&
	PERF_NOW=$W3 as bo expect_fail 2 perf action done plan 2>"$err" &&
	contains "$err" "'\''plan'\'' is ambiguous" &&
	contains "$err" "bo/plan-the-demo" && contains "$err" "bo/plan-the-retro" &&
	unchanged . "$before" &&
	PERF_NOW=$W3 as ari perf action done plan-the-r >"$out" &&
	contains "$out" "action: ari done '\''plan the retro'\'' ($f)" &&
	contains $f "- [x] @ari plan the retro, due 2026-12-11" &&
	repo_clean .
'

test_expect_success 'the note'\''s person may close an action owned by another participant' '
	PERF_NOW=$W3 as ari perf action done book-the-offsite >"$out" &&
	contains "$out" "action: ari done '\''book the offsite'\'' (notes/ari/2026-12-03-career-chat.md)" &&
	test "$(git log -1 --format=%an)" = "Ari Example" &&
	repo_clean .
'

test_expect_success 'an owner written in by hand outside the conversation cannot close it' '
	python3 - <<-PY &&
	p = "notes/ari/2026-11-20-1-1.md"
	s = open(p).read()
	s = s.replace("actions:\n", "actions:\n  - id: hand-added\n    owner: bo\n    text: added by hand\n    done: false\n", 1)
	open(p, "w").write(s)
	PY
	git commit -q -am "notes: add an action by hand" &&
	before=$(snapshot .) &&
	PERF_NOW=$W3 as bo expect_fail 1 perf action done hand-added 2>"$err" &&
	contains "$err" "ari/hand-added is in notes/ari/2026-11-20-1-1.md, and you are not in that conversation" &&
	unchanged . "$before" &&
	PERF_NOW=$W3 as ari perf action done hand-added >"$out" &&
	contains "$out" "action: ari done '\''added by hand'\'' (notes/ari/2026-11-20-1-1.md)" &&
	repo_clean .
'

test_expect_success 'unknown actions and verbs' '
	before=$(snapshot .) &&
	as ari expect_fail 1 perf action done nothing-like-it 2>"$err" &&
	contains "$err" "no action '\''nothing-like-it'\''" &&
	as ari expect_fail 2 perf action frobnicate 2>"$err" &&
	as ari expect_fail 2 perf action done 2>"$err" &&
	unchanged . "$before"
'

test_done
