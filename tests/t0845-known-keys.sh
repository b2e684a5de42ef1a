#!/bin/sh
# Keys are trusted on first use, as ssh trusts host keys: when a reader's
# published encryption key changed since you last sealed something to them,
# perf says so and seals nothing, until you accept the new key (after
# asking them).  Your own new key (perf keygen --force) is trusted at once.
# Sealed words are sealed by their writer's key: a reader sees who wrote
# them, and words sealed in someone else's name never show as theirs.
. "$(dirname "$0")/lib.sh"

export PERF_NOW=2026-11-23T10:00:00Z
team_fixture --lead-role Lead --role "" ari || exit 1
as ari perf keygen >/dev/null
as lena perf keygen >/dev/null

test_expect_success 'the first private note trusts each reader'\''s key and remembers it' '
	as ari perf note ari --with lena --private -m "first words" --title one >/dev/null &&
	grep -q "^lena x25519:" .git/perf/known-keys && grep -q "^ari x25519:" .git/perf/known-keys &&
	! git ls-files --error-unmatch .git/perf/known-keys 2>/dev/null
'

test_expect_success 'a reader'\''s key swapped behind their back stops the next private note' '
	fake=$(python3 -c "import base64,os; print(\"x25519:\" + base64.b64encode(os.urandom(32)).decode())") &&
	sed -i "s|^encryption_key: .*|encryption_key: \"$fake\"|" people/lena.md &&
	as bo git commit -qam "a quiet change" &&
	head=$(git rev-parse HEAD) &&
	as ari expect_fail 1 perf note ari --with lena --private -m "second words" --title two 2>"$err" &&
	contains "$err" "the encryption key of lena (people/lena.md now says x25519:" && contains "$err" "changed since you last wrote to them" &&
	contains "$err" "perf keygen --accept" &&
	test "$(git rev-parse HEAD)" = "$head" && test ! -e notes/ari/2026-11-23-two.md
'

test_expect_success 'perf keygen --accept trusts the key a person publishes now' '
	as ari perf keygen --accept lena >"$out" && contains "$out" "trusting lena" &&
	grep -q "^lena $fake" .git/perf/known-keys &&
	as ari perf note ari --with lena --private -m "second words" --title two >/dev/null
'

test_expect_success 'your own new key is trusted at once' '
	as ari perf keygen --force >/dev/null &&
	as ari perf note ari --with lena --private -m "third words" --title three >/dev/null
'

test_expect_success 'accepting someone without a key, or not a person, is a clear error' '
	as ari expect_fail 1 perf keygen --accept nobody 2>"$err" && contains "$err" "nobody" &&
	as lena perf join --handle zed --name Zed --email zed@example.com >/dev/null 2>&1;
	as ari expect_fail 1 perf keygen --accept zed 2>"$err" && contains "$err" "publishes no encryption key"
'

test_expect_success 'a reader sees who sealed the words' '
	as lena perf keygen >/dev/null && as ari perf keygen --accept lena >/dev/null &&
	as ari perf note ari --with lena --private -m "fourth words" --title four >/dev/null &&
	as lena perf show notes/ari/2026-11-23-four.md >"$out" &&
	contains "$out" "[private, sealed by ari]" && contains "$out" "fourth words"
'

test_expect_success 'words sealed by bo in lena'\''s name do not open as hers' '
	as bo perf join --lead lena >/dev/null && as bo perf keygen >/dev/null &&
	as bo perf note bo --with ari --private -m "bo speaking" --title forged >/dev/null &&
	f=notes/bo/2026-11-23-forged.md &&
	sed -i "s/^from: bo /from: lena /" "$f" && grep -q "^from: lena " "$f" &&
	as bo git commit -qam "words in lena'\''s name" &&
	as ari expect_fail 1 perf show "$f" 2>"$err" && ! contains "$err" "bo speaking" &&
	contains "$err" "does not open" &&
	expect_fail 1 perf verify HEAD~1..HEAD >"$out" 2>&1 &&
	contains "$out" "words sealed in lena'\''s name, but the commit is by bo" &&
	git reset -q --hard HEAD~1
'

test_expect_success 'a seal made with a key its named writer does not publish is not shown as theirs' '
	as ari perf keygen --force >/dev/null &&
	as lena perf show notes/ari/2026-11-23-four.md >"$out" 2>&1 &&
	contains "$out" "[private, NOT VERIFIED: it says it was sealed by ari, with a key ari does not publish"
'

test_done
