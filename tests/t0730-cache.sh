#!/bin/sh
# The cache of parsed front matter (.git/perf/cache/fm-v3): summaries read
# through it equal summaries from a cold cache, after perf's commits, plain
# git pulls and checkouts, a damaged or foreign cache, and two processes at
# once; it never shows in the work tree or a commit.
. "$(dirname "$0")/lib.sh"

quarter_start --no-admit || exit 1

quarter_cycle_week
quarter_expectations

quarter_feedback
as lena perf praise ari -m "Your indexer write-up taught us all" --value learning >/dev/null
as lena perf note ari -m "$(printf 'Talked.\n\n- [ ] @ari draft the review guide, by 2026-10-20\n- [ ] @ari book the demo, by 2026-10-10\n')" >/dev/null

quarter_rust_week
as bo perf checkin --mood 2 -m "$(printf '## Learned\nOn-call is tiring.\n')" >/dev/null
at 2026-11-23T10:00:00Z

cache=.git/perf/cache
summary() { perf summary --cycle q4 --format json; }

# cold FILE: the summary with no cache at all (the cache is put back after).
cold() {
	rm -rf "$TEST_ROOT/keep" &&
	if test -e $cache; then mv $cache "$TEST_ROOT/keep"; fi &&
	summary >"$1" &&
	rm -rf $cache &&
	if test -e "$TEST_ROOT/keep"; then mv "$TEST_ROOT/keep" $cache; fi
}

# same A B: the two summaries are identical (and name the people, so neither is empty).
same() {
	contains "$1" '"person": "ari"' && cmp "$1" "$2"
}

# valid FILE: the cache's header says perfcach, version 3, and its CRC-32 holds.
valid() {
	python3 - "$1" <<-PY
	import struct, sys, zlib
	b = open(sys.argv[1], "rb").read()
	assert b[:8] == b"perfcach", b[:8]
	assert struct.unpack("<I", b[8:12])[0] == 3
	assert struct.unpack("<Q", b[16:24])[0] == len(b)
	assert struct.pack("<I", zlib.crc32(b[:-4])) == b[-4:]
	PY
}

test_expect_success 'the first summary writes the cache in .git/perf/cache, never in the work tree or a commit' '
	test ! -e $cache &&
	summary >"$TEST_ROOT/first.json" 2>"$err" &&
	test ! -s "$err" &&
	test -f $cache/fm-v3 &&
	valid $cache/fm-v3 &&
	repo_clean . &&
	! git ls-tree -r --name-only HEAD | grep -i cache &&
	test "$(ls $cache)" = fm-v3
'

test_expect_success 'a warm summary equals a cold one, and leaves a cache it fully used alone' '
	ls -i $cache/fm-v3 >"$TEST_ROOT/inode.before" &&
	summary >"$TEST_ROOT/warm.json" &&
	ls -i $cache/fm-v3 >"$TEST_ROOT/inode.after" &&
	cmp "$TEST_ROOT/inode.before" "$TEST_ROOT/inode.after" &&
	cold "$TEST_ROOT/cold.json" &&
	same "$TEST_ROOT/warm.json" "$TEST_ROOT/cold.json" &&
	python3 - "$TEST_ROOT/warm.json" <<-PY
	import json, sys
	ari = json.load(open(sys.argv[1]))["people"][0]
	assert ari["feedback"] == {"asked": 1, "answered": 1}, ari
	assert ari["praise"] == {"count": 1, "values": ["learning"]}, ari
	assert ari["actions"] == {"opened": 2, "closed": 0, "overdue": 2}, ari
	assert ari["expectations"] == {"written": True, "agreed": True}, ari
	assert [m["mood"] for m in ari["moods"]] == [4, 5], ari
	PY
'

test_expect_success 'share reads through the same cache: warm equals cold' '
	perf --json share --month 2026-10 >"$TEST_ROOT/share.warm" &&
	rm -rf $cache &&
	perf --json share --month 2026-10 >"$TEST_ROOT/share.cold" &&
	contains "$TEST_ROOT/share.warm" "\"goal\": \"ship\"" &&
	cmp "$TEST_ROOT/share.warm" "$TEST_ROOT/share.cold"
'

test_expect_success 'a warm summary reads no document again: with a check-in gone from the objects, it still answers' '
	git clone -q --no-local . "$TEST_ROOT/lost" &&
	cd "$TEST_ROOT/lost" &&
	summary >"$TEST_ROOT/lost.warm0" &&
	blob=$(git rev-parse HEAD:checkins/bo/2026-W42.md) &&
	mkdir "$TEST_ROOT/objs" && mv .git/objects/pack/* "$TEST_ROOT/objs/" &&
	git unpack-objects -q <"$(ls "$TEST_ROOT"/objs/*.pack)" &&
	rm .git/objects/$(echo $blob | cut -c1-2)/$(echo $blob | cut -c3-) &&
	! git cat-file -e $blob 2>/dev/null &&
	summary >"$TEST_ROOT/lost.warm" &&
	same "$TEST_ROOT/lost.warm" "$TEST_ROOT/lost.warm0" &&
	rm -rf .git/perf/cache &&
	expect_fail 1 perf summary --cycle q4 2>"$err" &&
	contains "$err" "checkins/bo/2026-W42.md"
'

test_expect_success 'after a plain git pull of new and changed documents, the summary equals a cold one' '
	summary >"$TEST_ROOT/before.json" &&
	git clone -q . "$TEST_ROOT/other" &&
	(cd "$TEST_ROOT/other" &&
	 PERF_NOW=2026-10-26T09:00:00Z as ari perf checkin --goal ship=70 --goal rust=35 --mood 1 \
		-m "$(printf "## Learned\nPair more.\n")" >/dev/null &&
	 sed -i "s/^mood: 2$/mood: 5/" checkins/bo/2026-W42.md &&
	 as bo git commit -q -am "bo: a better week than I wrote") &&
	git pull -q "$TEST_ROOT/other" main &&
	summary >"$TEST_ROOT/pulled.json" &&
	cold "$TEST_ROOT/pulled.cold" &&
	same "$TEST_ROOT/pulled.json" "$TEST_ROOT/pulled.cold" &&
	! cmp -s "$TEST_ROOT/before.json" "$TEST_ROOT/pulled.json" &&
	python3 - "$TEST_ROOT/pulled.json" <<-PY
	import json, sys
	p = {x["person"]: x for x in json.load(open(sys.argv[1]))["people"]}
	assert p["bo"]["moods"] == [{"week": "2026-W42", "mood": 5}], p["bo"]
	assert p["ari"]["moods"][-1] == {"week": "2026-W44", "mood": 1}, p["ari"]
	assert [g["end"] for g in p["ari"]["goals"]] == [35, 70], p["ari"]
	PY
'

test_expect_success 'after git checkout of older commits, detached or on a branch, and back, the summary equals a cold one' '
	summary >"$TEST_ROOT/latest.json" &&
	git checkout -q --detach HEAD~2 &&
	summary >"$TEST_ROOT/old.json" &&
	cold "$TEST_ROOT/old.cold" &&
	same "$TEST_ROOT/old.json" "$TEST_ROOT/old.cold" &&
	! cmp -s "$TEST_ROOT/old.json" "$TEST_ROOT/latest.json" &&
	git checkout -q -b older main~5 &&
	summary >"$TEST_ROOT/older.json" &&
	cold "$TEST_ROOT/older.cold" &&
	same "$TEST_ROOT/older.json" "$TEST_ROOT/older.cold" &&
	git checkout -q main &&
	summary >"$TEST_ROOT/back.json" &&
	same "$TEST_ROOT/back.json" "$TEST_ROOT/latest.json" &&
	repo_clean .
'

test_expect_success 'perf commits are seen at once: a check-in written after the cache was made' '
	summary >/dev/null &&
	PERF_NOW=2026-11-02T09:00:00Z as bo perf checkin --mood 4 -m "$(printf "## Learned\nRest.\n")" >/dev/null &&
	summary >"$TEST_ROOT/new.json" &&
	cold "$TEST_ROOT/new.cold" &&
	same "$TEST_ROOT/new.json" "$TEST_ROOT/new.cold" &&
	contains "$TEST_ROOT/new.json" "{\"week\": \"2026-W45\", \"mood\": 4}"
'

test_expect_success 'a damaged or foreign cache is ignored and rebuilt: truncated, garbage, flipped, another version' '
	rm -rf $cache &&
	summary >"$TEST_ROOT/good.json" &&
	cp $cache/fm-v3 "$TEST_ROOT/good.cache" &&
	for how in truncated empty garbage flipped version; do
		cp "$TEST_ROOT/good.cache" $cache/fm-v3 &&
		damage $cache/fm-v3 $how &&
		summary >"$TEST_ROOT/damaged.json" 2>"$err" &&
		test ! -s "$err" &&
		same "$TEST_ROOT/damaged.json" "$TEST_ROOT/good.json" &&
		cmp $cache/fm-v3 "$TEST_ROOT/good.cache" || { echo "failed with a $how cache"; return 1; }
	done
'

test_expect_success 'a cache that cannot be written does not fail the command' '
	rm -rf $cache &&
	echo "not a folder" >$cache &&
	summary >"$TEST_ROOT/nowrite.json" 2>"$err" &&
	test ! -s "$err" &&
	same "$TEST_ROOT/nowrite.json" "$TEST_ROOT/good.json" &&
	test "$(cat $cache)" = "not a folder" &&
	rm $cache
'

test_expect_success 'two summaries at once on a cold cache both succeed with the same output' '
	rm -rf $cache
	summary >"$TEST_ROOT/p1.json" 2>"$TEST_ROOT/p1.err" &
	pid1=$!
	summary >"$TEST_ROOT/p2.json" 2>"$TEST_ROOT/p2.err" &
	pid2=$!
	wait $pid1 && wait $pid2 &&
	test ! -s "$TEST_ROOT/p1.err" && test ! -s "$TEST_ROOT/p2.err" &&
	same "$TEST_ROOT/p1.json" "$TEST_ROOT/good.json" &&
	same "$TEST_ROOT/p2.json" "$TEST_ROOT/good.json" &&
	test "$(ls $cache)" = fm-v3 &&
	valid $cache/fm-v3 &&
	summary >"$TEST_ROOT/p3.json" &&
	same "$TEST_ROOT/p3.json" "$TEST_ROOT/good.json"
'

test_expect_success 'a temporary file left by a process that died is removed by the next save' '
	rm -rf $cache && mkdir -p $cache &&
	echo partial >$cache/fm-v3.tmp-999999 &&
	summary >/dev/null &&
	test "$(ls $cache)" = fm-v3
'

test_expect_success 'the cache of an earlier layout (fm-v1) is removed by the next save' '
	rm -rf $cache && mkdir -p $cache &&
	echo "an old layout" >$cache/fm-v1 &&
	summary >"$TEST_ROOT/retired.json" &&
	same "$TEST_ROOT/retired.json" "$TEST_ROOT/good.json" &&
	test "$(ls $cache)" = fm-v3
'

test_done
