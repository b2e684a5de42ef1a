#!/bin/sh
# perf reply and perf show: threads of replies, rendering for the terminal,
# --raw and --json, agreements to the current version, and failures that
# change nothing.
. "$(dirname "$0")/lib.sh"

team_fixture --now 2026-11-23T09:00:00Z alice bob || exit 1

# A check-in written by hand, committed with plain git: template prompts as
# HTML comments, raw HTML, and an escape sequence a file could use to drive
# the reader's terminal.
mkdir -p checkins/alice
{
	printf -- '---\nkind: checkin\nperson: alice\nweek: 2026-W47\nmood: 4\n---\n'
	printf '## Learned\n<!-- What did you learn on the job this week? -->\n'
	printf 'Tries beat *hashes* here, and **bold** claims need `benchmarks`; see [the RFC](https://example.com/rfc).\n\n'
	printf '## Working towards\n<!-- Which goal moved? -->\n- the indexer merged\n- ranking next\n\n'
	printf '<script>alert("owned")</script>\n\n'
	printf 'Colour trick: \033[31mred\033[0m done.\n\n'
	printf 'This paragraph is long enough that it has to be wrapped by the renderer, because nobody wants to read a line of two hundred characters in a terminal window, not even on a wide screen.\n'
} >checkins/alice/2026-W47.md
git add checkins/alice/2026-W47.md
as alice git commit -q -m "checkin: alice 2026-W47 (by hand)"
doc=checkins/alice/2026-W47.md
thread=checkins/alice/2026-W47

test_expect_success 'reply -m writes one file in the thread, one commit by the replier' '
	PERF_NOW=2026-11-23T10:00:00Z as bob perf reply alice/2026-W47 -m "Great result. Demo on *Friday*?" >"$out" &&
	test "$(cat "$out")" = "replied to $doc ($thread/20261123T100000Z-bob.md)" &&
	printf -- "---\nkind: reply\nauthor: bob\nto: $doc\nat: 2026-11-23T10:00:00Z\n---\nGreat result. Demo on *Friday*?\n" >"$TEST_ROOT/want" &&
	cmp "$TEST_ROOT/want" "$thread/20261123T100000Z-bob.md" &&
	test "$(git log -1 --format="%an <%ae>")" = "Bob Example <bob@example.com>" &&
	test "$(git log -1 --format=%s)" = "reply: bob to alice/2026-W47" &&
	git log -1 --format=%B | grep -qx "Perf-Kind: reply" &&
	git log -1 --format=%B | grep -qx "Perf-Path: $thread/20261123T100000Z-bob.md" &&
	git log -1 --format=%B | grep -qx "Perf-To: $doc" &&
	test "$(git show --name-only --format= HEAD)" = "$thread/20261123T100000Z-bob.md" &&
	repo_clean .
'

test_expect_success 'the reply reads the same in PyYAML' '
	python3 - <<-PY
	import yaml, datetime
	t = open("$thread/20261123T100000Z-bob.md").read()
	fm = yaml.safe_load(t.split("---\n")[1])
	assert fm["kind"] == "reply" and fm["author"] == "bob" and fm["to"] == "$doc", fm
	assert fm["at"] == datetime.datetime(2026, 11, 23, 10, 0, tzinfo=datetime.timezone.utc), fm
	PY
'

test_expect_success 'a second reply, later, by someone else; show gives document then replies in order' '
	PERF_NOW=2026-11-23T11:30:00Z as lena perf reply "$doc" -m "Yes: Friday at 10." >/dev/null &&
	repo_clean . &&
	as alice perf show alice/2026-W47 >"$out" &&
	contains "$out" "$doc" &&
	contains "$out" "mood:" &&
	contains "$out" "Tries beat *hashes* here" &&
	contains "$out" "— bob, 2026-11-23 10:00" &&
	contains "$out" "  Great result. Demo on *Friday*?" &&
	contains "$out" "— lena, 2026-11-23 11:30" &&
	contains "$out" "  Yes: Friday at 10." &&
	b=$(grep -n "Tries beat" "$out" | cut -d: -f1) &&
	r1=$(grep -n "— bob" "$out" | cut -d: -f1) &&
	r2=$(grep -n "— lena" "$out" | cut -d: -f1) &&
	test "$b" -lt "$r1" && test "$r1" -lt "$r2"
'

test_expect_success 'show renders Markdown: prompts, raw HTML and escapes never reach the terminal' '
	as alice perf show "$doc" >"$out" &&
	! grep -q "<!--" "$out" &&
	! grep -q "What did you learn" "$out" &&
	! grep -q "<script>" "$out" &&
	! grep -q "alert" "$out" &&
	contains "$out" "[raw HTML omitted]" &&
	! grep -q "$(printf "\033")" "$out" &&
	contains "$out" "Colour trick: ^[[31mred^[[0m done." &&
	contains "$out" "see the RFC" && contains "$out" "<https://example.com/rfc>." &&
	contains "$out" "## Working towards" &&
	contains "$out" "• the indexer merged" &&
	! grep -q "^---" "$out" &&
	test "$(awk "length > 80" "$out" | wc -l)" = 0 &&
	contains "$out" "This paragraph is long enough"
'

test_expect_success 'with colour, headings are styled instead of marked' '
	as alice perf --color=always show "$doc" >"$out" &&
	contains "$out" "$(printf "\033[0;1;4mLearned\033[0m")" &&
	! grep -q "## Learned" "$out" &&
	contains "$out" "$(printf "\033[0;3mhashes\033[0m")" &&
	! grep -q "$(printf "\033")\[31m" "$out"
'

test_expect_success 'show --raw prints the file byte for byte, nothing else' '
	as bob perf show --raw alice/2026-W47 >"$out" &&
	cmp "$out" "$doc" &&
	as bob perf show --raw "$thread/20261123T100000Z-bob.md" >"$out" &&
	cmp "$out" "$thread/20261123T100000Z-bob.md" &&
	expect_fail 2 perf --json show --raw "$doc" 2>"$err"
'

test_expect_success 'perf --json show: fields typed by the schema, body, replies in order' '
	as bob perf --json show alice/2026-W47 >"$out" &&
	test "$(wc -l <"$out")" = 1 &&
	python3 - "$out" <<-PY
	import json, sys
	d = json.load(open(sys.argv[1]))
	assert d["path"] == "$doc" and d["kind"] == "checkin", d
	assert d["fields"] == {"kind": "checkin", "person": "alice", "week": "2026-W47", "mood": 4}, d["fields"]
	raw = open("$doc").read()
	assert d["body"] == raw.split("---\n", 2)[2], d["body"]
	assert [r["author"] for r in d["replies"]] == ["bob", "lena"], d["replies"]
	assert d["replies"][0] == {"path": "$thread/20261123T100000Z-bob.md", "author": "bob",
	    "at": "2026-11-23T10:00:00Z", "body": "Great result. Demo on *Friday*?\n", "private": False}, d["replies"][0]
	assert d["private"] is False, d
	assert "agreed" not in d, d
	PY
'

test_expect_success 'a reply to a reply answers the document, and says so' '
	PERF_NOW=2026-11-23T12:00:00Z as alice perf reply "$thread/20261123T100000Z-bob.md" -m "Thanks both." >"$out" 2>"$err" &&
	contains "$err" "is a reply; replying to the document it answers, $doc" &&
	contains "$out" "replied to $doc ($thread/20261123T120000Z-alice.md)" &&
	contains "$thread/20261123T120000Z-alice.md" "to: $doc" &&
	test "$(git log -1 --format=%s)" = "reply: alice to alice/2026-W47" &&
	repo_clean .
'

test_expect_success 'two replies by one person in one second: the stamp moves on and at follows it' '
	PERF_NOW=2026-11-23T13:00:00Z as bob perf reply "$doc" -m one >/dev/null &&
	PERF_NOW=2026-11-23T13:00:00Z as bob perf reply "$doc" -m two >"$out" &&
	contains "$out" "($thread/20261123T130001Z-bob.md)" &&
	contains "$thread/20261123T130001Z-bob.md" "at: 2026-11-23T13:00:01Z" &&
	contains "$thread/20261123T130000Z-bob.md" "one" &&
	repo_clean .
'

test_expect_success 'concurrent replies from two processes both land' '
	start=$(git rev-list --count HEAD) || exit 1
	(PERF_NOW=2026-11-23T14:00:00Z as bob perf reply "$doc" -m "from bob" >"$TEST_ROOT/c1" 2>&1; echo $? >"$TEST_ROOT/c1.rc") &
	(PERF_NOW=2026-11-23T14:00:00Z as lena perf reply "$doc" -m "from lena" >"$TEST_ROOT/c2" 2>&1; echo $? >"$TEST_ROOT/c2.rc") &
	wait &&
	cat "$TEST_ROOT/c1" "$TEST_ROOT/c2" &&
	test "$(cat "$TEST_ROOT/c1.rc")" = 0 && test "$(cat "$TEST_ROOT/c2.rc")" = 0 &&
	test "$(git rev-list --count HEAD)" = $((start + 2)) &&
	contains "$thread/20261123T140000Z-bob.md" "from bob" &&
	contains "$thread/20261123T140000Z-lena.md" "from lena" &&
	git ls-tree --name-only HEAD "$thread/" | grep -c 20261123T140000Z >"$TEST_ROOT/n" &&
	test "$(cat "$TEST_ROOT/n")" = 2 &&
	repo_clean .
'

cat >"$TEST_ROOT/write.sh" <<'EOF'
#!/bin/sh
# An editor that writes a reply above what perf put in the file.
{ printf '# Heading kept\n\nWritten in the editor.\n'; cat "$1"; } >"$1.new" && mv "$1.new" "$1"
EOF
cat >"$TEST_ROOT/replace.sh" <<'EOF'
#!/bin/sh
# An editor that replaces everything, scissors included.
printf 'hi\n' >"$1"
EOF
cat >"$TEST_ROOT/peek.sh" <<'EOF'
#!/bin/sh
cp "$1" "$TEST_ROOT/seen"
EOF
cat >"$TEST_ROOT/badutf8.sh" <<'EOF'
#!/bin/sh
printf 'bad \377 byte\n' >"$1"
EOF
chmod +x "$TEST_ROOT"/*.sh
export TEST_ROOT

test_expect_success 'the editor shows the document below a scissors line; an untouched file writes nothing' '
	before=$(snapshot .) &&
	PERF_EDITOR="$TEST_ROOT/peek.sh" as bob expect_fail 1 perf reply alice/2026-W47 2>"$err" &&
	contains "$err" "perf: empty reply; nothing written" &&
	contains "$TEST_ROOT/seen" "# ------------------------ >8 ------------------------" &&
	contains "$TEST_ROOT/seen" "Write your reply to $doc above this line" &&
	contains "$TEST_ROOT/seen" "#   Tries beat *hashes* here" &&
	! grep -q "What did you learn" "$TEST_ROOT/seen" &&
	PERF_EDITOR=true as bob expect_fail 1 perf reply alice/2026-W47 2>"$err" &&
	contains "$err" "perf: empty reply; nothing written" &&
	unchanged . "$before"
'

test_expect_success 'text written above the scissors is the reply; Markdown headings stay' '
	PERF_NOW=2026-11-23T15:00:00Z PERF_EDITOR="$TEST_ROOT/write.sh" as bob perf reply alice/2026-W47 >"$out" &&
	f=$thread/20261123T150000Z-bob.md &&
	contains "$out" "($f)" &&
	test "$(sed "1,/^---$/d" "$f")" = "$(printf "# Heading kept\n\nWritten in the editor.")" &&
	! grep -q ">8" "$f" &&
	repo_clean .
'

test_expect_success 'a scripted editor that replaces the file; the editor command runs through sh' '
	PERF_NOW=2026-11-23T15:10:00Z PERF_EDITOR="$TEST_ROOT/replace.sh" as bob perf reply alice/2026-W47 >/dev/null &&
	test "$(tail -n 1 "$thread/20261123T151000Z-bob.md")" = hi &&
	PERF_NOW=2026-11-23T15:20:00Z PERF_EDITOR="sh -c '\''printf \"inline editor\\n\" >\"\$1\"'\'' -" as bob perf reply alice/2026-W47 >/dev/null &&
	test "$(tail -n 1 "$thread/20261123T152000Z-bob.md")" = "inline editor" &&
	repo_clean .
'

test_expect_success 'an editor that fails writes nothing' '
	before=$(snapshot .) &&
	PERF_EDITOR=false as bob expect_fail 1 perf reply alice/2026-W47 2>"$err" &&
	contains "$err" "the editor" &&
	unchanged . "$before"
'

test_expect_success 'editor text that cannot be committed is saved, and nothing is written' '
	before=$(snapshot .) &&
	PERF_EDITOR="$TEST_ROOT/badutf8.sh" as bob expect_fail 1 perf reply alice/2026-W47 2>"$err" &&
	contains "$err" "your text is saved in" &&
	ls .git/perf/saved/reply-bob-*.md >/dev/null &&
	unchanged . "$before"
'

test_expect_success 'empty -m, -F and a missing target change nothing' '
	before=$(snapshot .) &&
	as bob expect_fail 1 perf reply alice/2026-W47 -m "" 2>"$err" &&
	contains "$err" "perf: empty reply; nothing written" &&
	as bob expect_fail 1 perf reply alice/2026-W47 -m "  " 2>"$err" &&
	: >"$TEST_ROOT/empty" &&
	as bob expect_fail 1 perf reply alice/2026-W47 -F "$TEST_ROOT/empty" 2>"$err" &&
	as bob expect_fail 1 perf reply alice/2026-W01 -m hi 2>"$err" &&
	contains "$err" "alice has no check-in for 2026-W01" &&
	as bob expect_fail 1 perf reply goal:alice/nothing -m hi 2>"$err" &&
	contains "$err" "no goal '\''nothing'\''" &&
	as bob expect_fail 1 perf show checkins/alice/2030-W01.md 2>"$err" &&
	contains "$err" "no such document" &&
	as bob expect_fail 2 perf reply -m hi 2>"$err" &&
	as bob expect_fail 2 perf reply alice/2026-W47 -m hi -F "$TEST_ROOT/empty" 2>"$err" &&
	as bob expect_fail 2 perf reply alice/2026-W47 extra -m hi 2>"$err" &&
	unchanged . "$before"
'

test_expect_success 'reply -F reads a file or standard input' '
	printf "From a file.\n" >"$TEST_ROOT/text.md" &&
	PERF_NOW=2026-11-23T16:00:00Z as bob perf reply alice/2026-W47 -F "$TEST_ROOT/text.md" >/dev/null &&
	contains "$thread/20261123T160000Z-bob.md" "From a file." &&
	printf "From stdin.\n" | PERF_NOW=2026-11-23T16:01:00Z as bob perf reply alice/2026-W47 -F - >/dev/null &&
	contains "$thread/20261123T160100Z-bob.md" "From stdin." &&
	repo_clean .
'

test_expect_success 'an ambiguous prefix exits 2 listing the candidates' '
	as alice perf goal add "Ship search" --id ship-search >/dev/null &&
	as alice perf goal add "Ship docs" --id ship-docs >/dev/null &&
	before=$(snapshot .) &&
	as bob expect_fail 2 perf reply goal:alice/ship -m hi 2>"$err" &&
	contains "$err" "ambiguous" &&
	contains "$err" "goals/alice/ship-docs.md" &&
	contains "$err" "goals/alice/ship-search.md" &&
	as bob expect_fail 2 perf show goal:alice/ship 2>"$err" &&
	contains "$err" "goals/alice/ship-search.md" &&
	unchanged . "$before"
'

test_expect_success 'replies to a goal: subject names it as people type it; goal show shows the thread' '
	PERF_NOW=2026-11-23T17:00:00Z as lena perf reply goal:alice/ship-s -m "Happy to review." >"$out" &&
	contains "$out" "replied to goals/alice/ship-search.md (goals/alice/ship-search/20261123T170000Z-lena.md)" &&
	test "$(git log -1 --format=%s)" = "reply: lena to goal:alice/ship-search" &&
	as alice perf goal show ship-search >"$out" &&
	contains "$out" "title:" && contains "$out" "Ship search" &&
	contains "$out" "— lena, 2026-11-23 17:00" &&
	contains "$out" "Happy to review." &&
	repo_clean .
'

test_expect_success 'someone who has not joined cannot reply' '
	before=$(snapshot .) &&
	as zed expect_fail 1 perf reply alice/2026-W47 -m hi 2>"$err" &&
	contains "$err" "perf join" &&
	unchanged . "$before"
'

test_expect_success 'perf --json reply prints the reply it wrote' '
	PERF_NOW=2026-11-23T18:00:00Z as bob perf --json reply alice/2026-W47 -m "json" >"$out" &&
	python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d == {\"path\": \"$thread/20261123T180000Z-bob.md\", \"to\": \"$doc\", \"author\": \"bob\", \"at\": \"2026-11-23T18:00:00Z\"}, d" "$out" &&
	repo_clean .
'

# Expectations written by hand, with one agreement to the current version
# and one to an earlier one.  The version is computed here from
# perf-format(5), independently of perf.
write_expectations() {
	python3 - "$PERF_SRC/tests" "$1" "$2" <<-'PY'
	import sys
	sys.dont_write_bytecode = True
	sys.path.insert(0, sys.argv[1])
	import agreement
	body = "## Role\nBuild and run search.\n\n## Strengths\nCareful code.\n"
	fields = {"kind": "expectations", "person": "alice", "lead": "lena"}
	version = agreement.version(fields, body.encode())
	lena = version if sys.argv[2] == "current" else "0123456789abcdef"
	alice = version if sys.argv[3] == "current" else "fedcba9876543210"
	open("expectations/alice.md", "w").write(
	    "---\nkind: expectations\nperson: alice\nlead: lena\nagreed_by:\n"
	    "  - who: lena\n    at: 2026-11-20T09:30:00Z\n    version: %s\n"
	    "  - who: alice\n    at: 2026-11-20T10:00:00Z\n    version: %s\n---\n%s" % (lena, alice, body))
	print(version)
	PY
}

test_expect_success 'show says who agreed to the current version of expectations' '
	mkdir -p expectations &&
	version=$(write_expectations current stale) &&
	git add expectations/alice.md && as lena git commit -q -m "expectations by hand" &&
	as bob perf show expect:alice >"$out" &&
	contains "$out" "Agreed to this version by: lena" &&
	contains "$out" "Agreed to an earlier version by: alice (edited since)" &&
	contains "$out" "Waiting for: alice" &&
	! grep -q "agreed_by" "$out" &&
	contains "$out" "## Strengths" &&
	as bob perf --json show expect:alice >"$out" &&
	python3 - "$out" "$version" <<-PY
	import json, sys
	d = json.load(open(sys.argv[1]))
	assert d["kind"] == "expectations", d
	assert d["version"] == sys.argv[2], (d["version"], sys.argv[2])
	assert d["agreed"] == ["lena"] and d["agreed_stale"] == ["alice"], d
	assert d["fields"]["agreed_by"][0] == {"who": "lena", "at": "2026-11-20T09:30:00Z", "version": sys.argv[2]}, d
	PY
'

test_expect_success 'nobody agreed to this version, then both do' '
	write_expectations stale stale >/dev/null &&
	git add expectations/alice.md && as lena git commit -q -m "expectations by hand, stale" &&
	as bob perf show expect:alice >"$out" &&
	contains "$out" "Not agreed to this version yet" &&
	contains "$out" "Agreed to an earlier version by: lena, alice (edited since)" &&
	write_expectations current current >/dev/null &&
	git add expectations/alice.md && as lena git commit -q -m "expectations by hand, agreed" &&
	as bob perf show expect:alice >"$out" &&
	contains "$out" "Agreed to this version by: lena, alice" &&
	! grep -q "earlier version" "$out" &&
	! grep -q "Waiting for" "$out" &&
	as alice perf show expect: >"$out" &&
	contains "$out" "expectations/alice.md" &&
	repo_clean .
'

test_expect_success 'expectations without agreements: not agreed yet' '
	as bob perf expect -m "## Role
Search." >/dev/null &&
	as bob perf show expect:bob >"$out" &&
	contains "$out" "Not agreed yet" &&
	contains "$out" "Waiting for: bob, lena" &&
	as bob perf --json show expect:bob >"$out" &&
	python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d[\"agreed\"] == [] and d[\"agreed_stale\"] == [], d" "$out"
'

test_expect_success 'no pager when stdout is not a terminal' '
	PERF_PAGER=false PAGER=false as bob perf show "$doc" >"$out" &&
	contains "$out" "Tries beat"
'

test_done
