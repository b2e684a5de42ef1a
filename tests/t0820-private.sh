#!/bin/sh
# Private notes and feedback answers: perf keygen, note --private,
# give --private, reply to a private note, perf show for readers and for
# others, a missing or wrong key, and what the rest of perf shows of them.
. "$(dirname "$0")/lib.sh"

team_fixture ari bo cy || exit 1
keys=$XDG_CONFIG_HOME/perf/keys
SECRET="zebra quokka marmalade"
note=notes/ari/2026-11-23-1-1.md

# no_plaintext FILE...: none of the secret words is in any of the files.
no_plaintext() {
	for w in zebra quokka marmalade; do
		if grep -qi "$w" "$@"; then
			echo "found '$w' in $*" >&2
			return 1
		fi
	done
}

test_expect_success 'note --private refuses while a reader has no key, and writes nothing' '
	before=$(snapshot .) &&
	expect_fail 1 as lena perf note ari --private -m "$SECRET" >"$out" 2>"$err" &&
	contains "$err" "perf: ari, lena have no encryption key yet, so nothing private can be written to them; each must run '\''perf keygen'\'' first" &&
	test ! -s "$out" &&
	unchanged . "$before" &&
	test ! -d notes
'

test_expect_success 'keygen writes a 0600 key file outside the repository and publishes the public key' '
	as ari perf keygen >"$out" &&
	contains "$out" "keygen: new key pair; secret key in $keys/ari.key (only you can read it), public key in people/ari.md" &&
	test "$(stat -c %a "$keys/ari.key")" = 600 &&
	test "$(stat -c %a "$keys")" = 700 &&
	pub=$(sed -n "s/^encryption_key: //p" people/ari.md) &&
	printf "%s\n" "$pub" | grep -qx "x25519:[A-Za-z0-9+/]\{43\}=" &&
	git show HEAD:people/ari.md | grep -qx "encryption_key: $pub" &&
	tail -1 "$out" | grep -qx "$pub" &&
	test "$(git log -1 --format=%an)" = "Ari Example" &&
	test "$(git log -1 --format=%s)" = "keygen: ari published an encryption key" &&
	test "$(git show --name-only --format= HEAD)" = people/ari.md &&
	repo_clean .
'

test_expect_success 'the secret key is never printed, nor in the repository' '
	secret=$(sed "s/^[^:]*://" "$keys/ari.key") &&
	test -n "$secret" &&
	! grep -qF "$secret" "$out" &&
	! git grep -qF "$secret" HEAD &&
	! grep -rqF "$secret" --exclude-dir=.git .
'

test_expect_success 'keygen again refuses to replace the key, and changes nothing' '
	before=$(snapshot .) &&
	cp "$keys/ari.key" "$TEST_ROOT/ari.key.before" &&
	expect_fail 1 as ari perf keygen >"$out" 2>"$err" &&
	contains "$err" "perf: you have a key already ($keys/ari.key), published in people/ari.md; '\''perf keygen --force'\'' replaces it" &&
	cmp "$keys/ari.key" "$TEST_ROOT/ari.key.before" &&
	unchanged . "$before"
'

test_expect_success 'perf check and perf verify accept the people files with keys' '
	as lena perf keygen >/dev/null &&
	as bo perf keygen >/dev/null &&
	perf check >"$out" 2>&1 &&
	perf verify HEAD~3..HEAD >"$out" 2>&1 || { cat "$out"; false; }
'

test_expect_success 'a note with a reader without a key is still refused, naming only them' '
	before=$(snapshot .) &&
	expect_fail 1 as lena perf note ari --with cy --private -m "$SECRET" 2>"$err" &&
	contains "$err" "perf: cy has no encryption key yet, so nothing private can be written to them; cy must run '\''perf keygen'\'' first" &&
	unchanged . "$before"
'

test_expect_success 'note --private writes the note sealed to ari and lena' '
	as lena perf note ari --private -m "## Notes
$SECRET

- [ ] @ari quokka homework, by 2026-12-01" >"$out" &&
	contains "$out" "note: ari 2026-11-23-1-1 with lena (notes/ari/2026-11-23-1-1.md) · private to ari, lena" &&
	test "$(git log -1 --format=%an)" = "Lena Example" &&
	repo_clean .
'

test_expect_success 'the file, the blob and the history hold none of the words' '
	no_plaintext "$note" &&
	git cat-file -p "HEAD:$note" >"$TEST_ROOT/blob" &&
	no_plaintext "$TEST_ROOT/blob" &&
	! git grep -qi -e zebra -e quokka -e marmalade HEAD &&
	! grep -rqi -e zebra -e quokka -e marmalade --exclude-dir=.git . &&
	git log -p --all >"$TEST_ROOT/history" &&
	no_plaintext "$TEST_ROOT/history"
'

test_expect_success 'the front matter stays readable: listing fields, private, readers; no actions' '
	python3 - "$note" <<-PY
	import sys, yaml
	text = open(sys.argv[1]).read()
	fm = yaml.safe_load(text.split("---\n")[1])
	assert list(fm) == ["kind", "person", "date", "with", "private", "readers"], fm
	assert fm["person"] == "ari" and fm["with"] == ["lena"], fm
	assert fm["private"] is True and fm["readers"] == ["ari", "lena"], fm
	body = text.split("---\n", 2)[2]
	lines = body.splitlines()
	assert lines[0] == "-----BEGIN PERF PRIVATE-----" and lines[-1] == "-----END PERF PRIVATE-----", body
	assert lines[1] == "version: 2", body
	assert lines[2].startswith("from: lena x25519:"), body
	assert [l.split()[1] for l in lines if l.startswith("reader: ")] == ["ari", "lena"], body
	PY
'

test_expect_success 'readers see the words with perf show, as text and JSON' '
	as ari perf show note:ari/2026-11-23 >"$out" &&
	contains "$out" "$SECRET" &&
	contains "$out" "readers: ari, lena" &&
	as lena perf --json show "$note" >"$out" &&
	python3 - "$out" <<-PY
	import json, sys
	d = json.load(open(sys.argv[1]))
	assert d["private"] is True and "zebra quokka marmalade" in d["body"], d
	assert d["fields"]["readers"] == ["ari", "lena"], d
	PY
'

test_expect_success 'someone else is told plainly that it is not theirs to read, exit 1' '
	expect_fail 1 as bo perf show "$note" >"$out" 2>"$err" &&
	test "$(cat "$err")" = "perf: $note is private to ari, lena; you are not among its readers" &&
	test ! -s "$out" &&
	expect_fail 1 as bo perf --json show "$note" >"$out" 2>"$err" &&
	test ! -s "$out" &&
	contains "$err" "you are not among its readers"
'

test_expect_success 'a reader whose key file is missing is told where perf looked' '
	mv "$keys/ari.key" "$TEST_ROOT/ari.key" &&
	expect_fail 1 as ari perf show "$note" >"$out" 2>"$err";
	rc=$?; mv "$TEST_ROOT/ari.key" "$keys/ari.key" && test $rc = 0 &&
	contains "$err" "perf: cannot open $note: your secret key is not at $keys/ari.key; copy your key file there, or run '\''perf keygen'\''" &&
	no_plaintext "$out"
'

test_expect_success 'a reader with another key file gets a clear error, not the words' '
	cp "$keys/ari.key" "$TEST_ROOT/ari.key" &&
	cp "$keys/bo.key" "$keys/ari.key" &&
	expect_fail 1 as ari perf show "$note" >"$out" 2>"$err";
	rc=$?; cp "$TEST_ROOT/ari.key" "$keys/ari.key" && test $rc = 0 &&
	contains "$err" "perf: the key in $keys/ari.key does not open $note: it was sealed to another key of yours" &&
	no_plaintext "$out"
'

test_expect_success 'a key file others can read is refused' '
	chmod 644 "$keys/ari.key" &&
	expect_fail 1 as ari perf show "$note" >"$out" 2>"$err";
	rc=$?; chmod 600 "$keys/ari.key" && test $rc = 0 &&
	contains "$err" "key file $keys/ari.key must be a file only you can read (chmod 600 $keys/ari.key)"
'

test_expect_success 'a readers list changed by hand does not open' '
	sed "s/^  - lena\$/  - bo/" "$note" >"$TEST_ROOT/forged.md" &&
	mkdir -p notes/ari && cp "$note" "$TEST_ROOT/orig.md" &&
	cp "$TEST_ROOT/forged.md" "$note" && git commit -qam "forged readers" &&
	expect_fail 1 as ari perf show "$note" 2>"$err" &&
	contains "$err" "$note does not open: its text, its path or its readers were changed after it was written" &&
	git reset -q --hard HEAD~1
'

test_expect_success 'private notes track no actions and leak nothing to other commands' '
	as ari perf action list >"$out" 2>&1 &&
	no_plaintext "$out" &&
	as ari perf status >"$out" 2>&1 &&
	no_plaintext "$out" &&
	perf log "$note" >"$out" && no_plaintext "$out" &&
	perf export >"$out" && no_plaintext "$out" &&
	python3 - "$out" "$note" <<-PY
	import json, sys
	for line in open(sys.argv[1]):
	    d = json.loads(line)
	    if d["path"] == sys.argv[2]:
	        assert d["private"] is True and d["body"] is None, d
	        break
	else:
	    raise SystemExit("no export line for the note")
	PY
	perf export --format csv >"$out" && no_plaintext "$out" &&
	grep -F "$note" "$out" | grep -q "(private)" &&
	as ari perf summary --person ari >"$out" &&
	no_plaintext "$out" &&
	as ari perf evidence ari >"$out" &&
	no_plaintext "$out"
'

test_expect_success 'a reply to a private note is sealed to its readers; others may not answer' '
	PERF_NOW=2026-11-23T11:00:00Z as ari perf reply "$note" -m "marmalade agreed" >"$out" &&
	contains "$out" "· private, as what it answers" &&
	reply=$(git show --name-only --format= HEAD) &&
	no_plaintext "$reply" &&
	grep -qx "private: true" "$reply" &&
	as lena perf show "$note" >"$out" &&
	contains "$out" "marmalade agreed" &&
	before=$(snapshot .) &&
	expect_fail 1 as bo perf reply "$note" -m "hello" 2>"$err" &&
	contains "$err" "perf: $note is private to ari, lena; only its readers answer it" &&
	unchanged . "$before"
'

test_expect_success 'log and diff say the private text changed, without it' '
	perf log "$note" >"$out" &&
	contains "$out" "ari replied: (private)" &&
	no_plaintext "$out" &&
	perf diff HEAD~1 >"$out" &&
	contains "$out" "(the private text changed)" &&
	no_plaintext "$out"
'

test_expect_here 'give --private seals an answer to the asker and the answerer' '
	as ari perf ask bo cy --about "my reviews" >"$out" &&
	id=$(sed -n "s|.*(feedback/ari/\(fb-[0-9a-z]*\)\.md)\$|\1|p" "$out") &&
	test -n "$id" &&
	PERF_NOW=2026-11-24T10:00:00Z as bo perf give "ari/$id" --private -m "$SECRET" >"$out" &&
	contains "$out" "· private to ari, bo" &&
	answer=$(git show --name-only --format= HEAD) &&
	no_plaintext "$answer" &&
	git cat-file -p "HEAD:$answer" >"$TEST_ROOT/blob" && no_plaintext "$TEST_ROOT/blob" &&
	as ari perf show "feedback:ari/$id" >"$out" && contains "$out" "$SECRET" &&
	as bo perf show "feedback:ari/$id" >"$out" && contains "$out" "$SECRET"
'

test_expect_success 'someone else sees the request and who may read the answer' '
	as lena perf show "feedback:ari/$id" >"$out" &&
	contains "$out" "[private to ari, bo; you are not among its readers]" &&
	no_plaintext "$out" &&
	as lena perf --json show "feedback:ari/$id" >"$out" &&
	python3 -c "import json,sys; d=json.load(open(sys.argv[1])); r=d[\"replies\"][0]; assert r[\"private\"] is True and r[\"body\"] is None, d" "$out" &&
	as ari perf feedback >"$out" &&
	contains "$out" "(private)" && no_plaintext "$out" &&
	PERF_NOW=2026-11-25T10:00:00Z as ari perf evidence ari >"$out" &&
	contains "$out" "from bo (2026-11-24): (private)" && no_plaintext "$out"
'

test_expect_success 'give --private refuses when the answerer has no key, and writes nothing' '
	before=$(snapshot .) &&
	expect_fail 1 as cy perf give "ari/$id" --private -m "$SECRET" 2>"$err" &&
	contains "$err" "perf: cy has no encryption key yet" &&
	unchanged . "$before"
'

test_expect_success 'editing a private answer keeps it private' '
	PERF_NOW=2026-11-24T12:00:00Z as bo perf give "ari/$id" --edit -m "zebra, revised" >"$out" &&
	contains "$out" "· private to ari, bo" &&
	no_plaintext "$answer" &&
	as ari perf show "feedback:ari/$id" >"$out" && contains "$out" "zebra, revised"
'

test_expect_success 'merging two different sealings of one note is a clash, not a text merge' '
	as lena perf note ari -m "public" >/dev/null &&
	as lena perf note ari --private -m "second zebra" >/dev/null &&
	as lena perf note ari --private -m "third quokka" >/dev/null &&
	cp "$note" "$TEST_ROOT/base" &&
	cp notes/ari/2026-11-23-1-1-3.md "$TEST_ROOT/ours" &&
	cp notes/ari/2026-11-23-1-1-4.md "$TEST_ROOT/theirs" &&
	cp "$TEST_ROOT/ours" "$TEST_ROOT/ours.before" &&
	! perf merge-driver "$TEST_ROOT/base" "$TEST_ROOT/ours" "$TEST_ROOT/theirs" "$note" 2>"$err" &&
	contains "$err" "perf: $note: the private body changed on both sides; sealed text is never merged" &&
	cmp "$TEST_ROOT/ours" "$TEST_ROOT/ours.before"
'

test_expect_success 'keygen --force makes a new key; what was sealed to the old one no longer opens' '
	as ari perf keygen --force >"$out" &&
	contains "$out" "keygen: new key pair" &&
	test "$(stat -c %a "$keys/ari.key")" = 600 &&
	expect_fail 1 as ari perf show "$note" 2>"$err" &&
	contains "$err" "does not open $note" &&
	as lena perf note ari --private -m "after the new key" >/dev/null &&
	as ari perf show note:ari/2026-11-23-1-1-5 >"$out" &&
	contains "$out" "after the new key"
'

test_expect_success 'a key file kept from before is published, not replaced' '
	as cy perf keygen >/dev/null &&
	cp "$keys/cy.key" "$TEST_ROOT/cy.key" &&
	git show HEAD~1:people/cy.md >people/cy.md && git commit -qam "cy loses the key line" &&
	as cy perf keygen >"$out" &&
	contains "$out" "keygen: published the public key of $keys/cy.key in people/cy.md" &&
	cmp "$keys/cy.key" "$TEST_ROOT/cy.key" &&
	grep -q "^encryption_key: x25519:" people/cy.md
'

test_expect_success 'perf check accepts the repository with private documents' '
	perf check >"$out" 2>&1 || { cat "$out"; false; }
'

test_expect_success 'perf check refuses private: true over words in plain text' '
	mkdir -p notes/bo &&
	printf -- "---\nkind: note\nperson: bo\ndate: 2026-11-23\nwith: [lena]\nprivate: true\nreaders: [bo, lena]\n---\nzebra in the clear\n" >notes/bo/2026-11-23-1-1.md &&
	git add notes/bo && git commit -qm "a hand-written private note" &&
	expect_fail 1 perf check >"$out" 2>&1 &&
	contains "$out" "notes/bo/2026-11-23-1-1.md:6:10: '\''private: true'\'', but the body is not a sealed block: its words are in plain text" &&
	git reset -q --hard HEAD~1
'

test_expect_success 'a private body changed on both sides is settled by ours or theirs, never by a typed value' '
	git init -q --bare "$TEST_ROOT/srv.git" && git remote add origin "$TEST_ROOT/srv.git" &&
	git push -q origin main && git clone -q "$TEST_ROOT/srv.git" "$TEST_ROOT/other" &&
	(cd "$TEST_ROOT/other" &&
	 PERF_NOW=2026-11-24T13:00:00Z as bo perf give "ari/$id" --edit -m "zebra over there" >/dev/null &&
	 as bo perf sync >/dev/null 2>&1) &&
	PERF_NOW=2026-11-24T13:30:00Z as bo perf give "ari/$id" --edit -m "zebra over here" >/dev/null &&
	{ as bo perf sync >"$out" 2>"$err"; test $? = 1; } &&
	contains "$err" "$answer" &&
	before=$(snapshot .) &&
	expect_fail 1 as bo perf resolve "$answer" body --value "zebra typed in the clear" 2>"$err" &&
	contains "$err" "perf: $answer is private: its body is settled by keeping ours or theirs" &&
	unchanged . "$before" &&
	as bo perf resolve "$answer" body --theirs >/dev/null &&
	as bo perf sync >/dev/null 2>&1 &&
	test "$(git rev-parse HEAD)" = "$(git -C "$TEST_ROOT/srv.git" rev-parse main)" &&
	as ari perf show "feedback:ari/$id" >"$out" && contains "$out" "zebra over there" &&
	! git grep -q "zebra" HEAD -- feedback && ! git log -p | grep -q "zebra typed"
'

test_done
