/*
 * lib/merge: the three-way merge of one file, field by field, and the
 * libgit2 merge driver built on it (checked with git_merge_commits on a
 * repository made with the real git).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <git2.h>

#include "doc.h"
#include "fixture.h"
#include "merge.h"
#include "schema.h"
#include "tap.h"

static struct perf_merge_result R = PERF_MERGE_RESULT_INIT;
static struct perf_error err;

/* Merges into R; returns perf_merge_doc's code. */
static int merge(const char *path, const char *base, const char *ours, const char *theirs)
{
	perf_merge_result_release(&R);
	return perf_merge_doc(path, base, base ? strlen(base) : 0, ours, strlen(ours), theirs, strlen(theirs), &R,
	                      &err);
}

static const struct perf_merge_clash *clash(size_t i)
{
	return i < R.nclashes ? &R.clashes[i] : NULL;
}

static const char *field(size_t i)
{
	return clash(i) ? clash(i)->field : NULL;
}

static void count_problem(void *payload, const char *path, size_t line, size_t col, const char *message)
{
	(*(size_t *)payload)++;
	printf("#   %s:%zu:%zu: %s\n", path, line, col, message);
}

/* The merged text parses as its kind and validates with no problem. */
static bool valid(const char *path, const char *text)
{
	struct perf_schema_match m;
	struct perf_doc *doc = NULL;
	struct perf_error e;
	size_t problems = 0;

	if (!text)
		return false;
	if (perf_schema_match_path(&m, path, &e)) {
		printf("#   %s\n", e.msg);
		return false;
	}
	if (perf_schema_parse(&doc, m.kind, text, strlen(text), path, &e)) {
		printf("#   %s\n", e.msg);
		return false;
	}
	perf_schema_validate(m.kind, doc, path, NULL, count_problem, &problems);
	perf_doc_free(doc);
	return problems == 0;
}

static const char *describe(size_t i, const char *path)
{
	static struct perf_buf b = PERF_BUF_INIT;

	perf_buf_truncate(&b, 0);
	if (!clash(i) || perf_merge_clash_describe(&b, path, clash(i)))
		return NULL;
	return perf_buf_cstr(&b);
}

#define GOAL_BASE                                                                                                      \
	"---\n"                                                                                                        \
	"kind: goal\n"                                                                                                 \
	"person: alice\n"                                                                                              \
	"title: Ship search v2\n"                                                                                      \
	"status: active\n"                                                                                             \
	"progress: 20\n"                                                                                               \
	"due: 2026-12-31\n"                                                                                            \
	"why: faster answers\n"                                                                                        \
	"---\n"                                                                                                        \
	"## Why\n"                                                                                                     \
	"\n"                                                                                                           \
	"Search is slow.\n"                                                                                            \
	"\n"                                                                                                           \
	"## Plan\n"                                                                                                    \
	"\n"                                                                                                           \
	"Build the index.\n"

#define GOAL "goals/alice/ship.md"

static char *replace(const char *s, const char *from, const char *to)
{
	static char bufs[8][4096];
	static int k;
	char *out = bufs[k++ % 8];
	const char *at = strstr(s, from);

	if (!at) {
		snprintf(out, 4096, "%s", s);
		printf("# replace: '%s' not found\n", from);
		return out;
	}
	snprintf(out, 4096, "%.*s%s%s", (int)(at - s), s, to, at + strlen(from));
	return out;
}

static void test_bytes(void)
{
	const char *theirs = replace(GOAL_BASE, "progress: 20", "progress: 70");

	is_int(merge(GOAL, GOAL_BASE, GOAL_BASE, theirs), 0, "ours unchanged: merges");
	is_str(R.text.ptr, theirs, "ours unchanged: the result is theirs byte for byte");
	is_int(R.nclashes, 0, "ours unchanged: no clash");
	merge(GOAL, GOAL_BASE, theirs, GOAL_BASE);
	is_str(R.text.ptr, theirs, "theirs unchanged: the result is ours byte for byte");
	merge(GOAL, GOAL_BASE, theirs, theirs);
	is_str(R.text.ptr, theirs, "the same bytes on both sides: that");
	ok(!R.fields, "byte-for-byte merges do not parse");
}

static void test_scalars(void)
{
	const char *ours = replace(GOAL_BASE, "status: active", "status: done");
	const char *theirs = replace(GOAL_BASE, "progress: 20", "progress: 70");

	is_int(merge(GOAL, GOAL_BASE, ours, theirs), 0, "different fields: merges");
	is_int(R.nclashes, 0, "different fields: no clash");
	is_str(R.text.ptr, replace(ours, "progress: 20", "progress: 70"), "different fields: each side's change kept");
	ok(R.fields, "merged field by field");
	ok(valid(GOAL, R.text.ptr), "different fields: the result validates");

	/* The same change on both sides, plus one more on ours. */
	ours = replace(replace(GOAL_BASE, "progress: 20", "progress: 70"), "status: active", "status: done");
	merge(GOAL, GOAL_BASE, ours, theirs);
	is_int(R.nclashes, 0, "same change on both sides: no clash");
	is_str(R.text.ptr, ours, "same change on both sides: taken once");

	/* Quoting is not a change of value. */
	ours = replace(replace(GOAL_BASE, "progress: 20", "progress: 70"), "title: Ship search v2",
	               "title: 'Ship search v2'");
	theirs = replace(replace(GOAL_BASE, "progress: 20", "progress: \"70\""), "status: active", "status: done");
	merge(GOAL, GOAL_BASE, ours, theirs);
	is_int(R.nclashes, 0, "70 and \"70\" are the same value");
	is_str(R.text.ptr, replace(ours, "status: active", "status: done"), "ours' quoting is kept");

	/* A true clash. */
	ours = replace(replace(GOAL_BASE, "progress: 20", "progress: 40"), "status: active", "status: done");
	theirs = replace(GOAL_BASE, "progress: 20", "progress: 70");
	is_int(merge(GOAL, GOAL_BASE, ours, theirs), 0, "a clash is not an error");
	is_int(R.nclashes, 1, "one clash");
	is_str(field(0), "progress", "the clash names the field");
	is_str(clash(0) ? clash(0)->base : NULL, "20", "the clash records the base");
	is_str(clash(0) ? clash(0)->ours : NULL, "40", "the clash records ours");
	is_str(clash(0) ? clash(0)->theirs : NULL, "70", "the clash records theirs");
	is_int(clash(0) ? (int)clash(0)->kind : -1, PERF_MERGE_CLASH_CHANGED, "a clash of changes");
	is_str(R.text.ptr, ours, "the merged text keeps ours for the field");
	ok(!strstr(R.text.ptr, "<<<<<<<"), "no conflict markers");
	is_str(describe(0, GOAL),
	       "goals/alice/ship.md: field 'progress' changed on both sides: ours 40, theirs 70 (base 20)",
	       "the clash described for people");

	/* Removed on one side, changed on the other. */
	ours = replace(GOAL_BASE, "due: 2026-12-31\n", "");
	theirs = replace(GOAL_BASE, "due: 2026-12-31", "due: 2027-01-31");
	merge(GOAL, GOAL_BASE, ours, theirs);
	is_int(R.nclashes, 1, "removed vs changed: a clash");
	is_str(clash(0) ? clash(0)->ours : "", NULL, "removed vs changed: ours is absent");
	is_str(clash(0) ? clash(0)->theirs : NULL, "2027-01-31", "removed vs changed: theirs recorded");
	is_str(describe(0, NULL),
	       "field 'due' removed on our side and changed on theirs: theirs 2027-01-31 (base 2026-12-31)",
	       "removed vs changed described");
	is_str(R.text.ptr, ours, "removed vs changed: ours kept (removed)");

	/* Strings that need quotes are quoted in clashes. */
	ours = replace(GOAL_BASE, "title: Ship search v2", "title: 'yes'");
	theirs = replace(GOAL_BASE, "title: Ship search v2", "title: \"Ship: now, fast\"");
	merge(GOAL, GOAL_BASE, ours, theirs);
	is_str(clash(0) ? clash(0)->ours : NULL, "\"yes\"", "a string that reads as a bool is quoted");
	is_str(clash(0) ? clash(0)->theirs : NULL, "\"Ship: now, fast\"", "a string with ': ' is quoted");
}

static void test_add_remove(void)
{
	const char *ours = replace(GOAL_BASE, "why: faster answers\n", "");
	const char *theirs = replace(GOAL_BASE, "why: faster answers\n", "why: faster answers\ncycle: q4-search\n");
	const char *want = replace(GOAL_BASE, "why: faster answers\n", "cycle: q4-search\n");

	merge(GOAL, GOAL_BASE, ours, theirs);
	is_int(R.nclashes, 0, "removed on one side, added on the other: no clash");
	is_str(R.text.ptr, want, "the removal and the addition both land");
	ok(valid(GOAL, R.text.ptr), "and the result validates");

	/* Both add the same key with the same value: once. */
	ours = replace(GOAL_BASE, "why: faster answers\n", "why: faster answers\ncycle: q4\n");
	theirs = replace(GOAL_BASE, "status: active\n", "status: active\ncycle: q4\n");
	merge(GOAL, GOAL_BASE, ours, theirs);
	is_int(R.nclashes, 0, "both added the same key and value: no clash");
	is_str(R.text.ptr, ours, "both added the same key: kept once, where ours has it");

	/* Both add it differently. */
	theirs = replace(GOAL_BASE, "status: active\n", "status: active\ncycle: q1\n");
	merge(GOAL, GOAL_BASE, ours, theirs);
	is_str(field(0), "cycle", "both added the key differently: a clash");
	is_str(clash(0) ? clash(0)->base : "", NULL, "not in the base");
	is_str(describe(0, NULL), "field 'cycle' added on both sides: ours q4, theirs q1", "added on both sides");

	/* Both remove: gone. */
	ours = replace(replace(GOAL_BASE, "why: faster answers\n", ""), "status: active", "status: done");
	theirs = replace(GOAL_BASE, "why: faster answers\n", "");
	merge(GOAL, GOAL_BASE, ours, theirs);
	is_str(R.text.ptr, ours, "removed on both sides: gone");
}

#define NESTED_BASE                                                                                                    \
	"---\n"                                                                                                        \
	"kind: person\n"                                                                                               \
	"name: Alice Example\n"                                                                                        \
	"extra:\n"                                                                                                     \
	"  # a comment that stays\n"                                                                                   \
	"  tz: UTC\n"                                                                                                  \
	"  desk:\n"                                                                                                    \
	"    floor: 2\n"                                                                                               \
	"    side: east\n"                                                                                             \
	"---\n"

static void test_nested(void)
{
	const char *ours = replace(NESTED_BASE, "floor: 2", "floor: 3");
	const char *theirs = replace(replace(NESTED_BASE, "side: east", "side: west"), "tz: UTC", "tz: Europe/Paris");
	const char *want = replace(replace(ours, "side: east", "side: west"), "tz: UTC", "tz: Europe/Paris");

	merge("people/alice.md", NESTED_BASE, ours, theirs);
	is_int(R.nclashes, 0, "nested maps: no clash");
	is_str(R.text.ptr, want, "nested maps merge key by key, comments kept");
	ok(valid("people/alice.md", R.text.ptr), "nested: validates");

	theirs = replace(NESTED_BASE, "floor: 2", "floor: 4");
	merge("people/alice.md", NESTED_BASE, ours, theirs);
	is_str(field(0), "extra.desk.floor", "a nested clash names the whole path");
}

#define CHECKIN_BASE                                                                                                   \
	"---\n"                                                                                                        \
	"kind: checkin\n"                                                                                              \
	"person: alice\n"                                                                                              \
	"week: 2026-W47\n"                                                                                             \
	"goals:\n"                                                                                                     \
	"  - goal: ship\n"                                                                                             \
	"    progress: 40\n"                                                                                           \
	"  - goal: docs\n"                                                                                             \
	"    progress: 10\n"                                                                                           \
	"mood: 3\n"                                                                                                    \
	"---\n"                                                                                                        \
	"## Learned\n"                                                                                                 \
	"\n"                                                                                                           \
	"Tries beat hashes here.\n"

#define CHECKIN "checkins/alice/2026-W47.md"

static void test_goals(void)
{
	const char *ours = replace(CHECKIN_BASE, "progress: 40", "progress: 60");
	const char *theirs =
	    replace(CHECKIN_BASE, "    progress: 10\n", "    progress: 10\n  - goal: rust\n    progress: 5\n");
	const char *want = replace(ours, "    progress: 10\n", "    progress: 10\n  - goal: rust\n    progress: 5\n");

	merge(CHECKIN, CHECKIN_BASE, ours, theirs);
	is_int(R.nclashes, 0, "goals: update on one side, new goal on the other: no clash");
	is_str(R.text.ptr, want, "goals: both land, theirs' new goal last");
	ok(valid(CHECKIN, R.text.ptr), "goals: validates");

	/* Removed on one side, untouched on the other: removed; the other side's edit elsewhere stays. */
	ours = replace(CHECKIN_BASE, "  - goal: docs\n    progress: 10\n", "");
	theirs = replace(CHECKIN_BASE, "progress: 40", "progress: 45");
	merge(CHECKIN, CHECKIN_BASE, ours, theirs);
	is_int(R.nclashes, 0, "goal removed here, another changed there: no clash");
	is_str(R.text.ptr, replace(ours, "progress: 40", "progress: 45"), "the removal and the change both land");

	/* The same from the other side: the removal is theirs. */
	merge(CHECKIN, CHECKIN_BASE, theirs, ours);
	is_str(R.text.ptr, replace(ours, "progress: 40", "progress: 45"), "their removal lands in our text");

	/* Removed on one side, changed on the other: a clash on the item, ours kept. */
	ours = replace(replace(CHECKIN_BASE, "  - goal: docs\n    progress: 10\n", ""), "mood: 3", "mood: 4");
	theirs = replace(CHECKIN_BASE, "progress: 10", "progress: 15");
	merge(CHECKIN, CHECKIN_BASE, ours, theirs);
	is_int(R.nclashes, 1, "goal removed here, changed there: one clash");
	is_str(field(0), "goals[docs]", "the clash names the goal by id");
	is_str(clash(0) ? clash(0)->theirs : NULL, "{goal: docs, progress: 15}", "their item as YAML");
	is_str(R.text.ptr, ours, "ours kept (removed)");

	/* Both change the same goal differently. */
	ours = replace(CHECKIN_BASE, "progress: 40", "progress: 60");
	theirs = replace(CHECKIN_BASE, "progress: 40", "progress: 70");
	merge(CHECKIN, CHECKIN_BASE, ours, theirs);
	is_str(field(0), "goals[ship].progress", "a clash inside a goal names goal and field");
	is_str(R.text.ptr, ours, "ours kept");

	/* Both add goals: ours first, then theirs. */
	ours = replace(CHECKIN_BASE, "    progress: 10\n", "    progress: 10\n  - goal: a\n    progress: 1\n");
	theirs = replace(CHECKIN_BASE, "    progress: 10\n", "    progress: 10\n  - goal: b\n    progress: 2\n");
	merge(CHECKIN, CHECKIN_BASE, ours, theirs);
	is_int(R.nclashes, 0, "both add goals: no clash");
	is_str(R.text.ptr,
	       replace(CHECKIN_BASE, "    progress: 10\n",
	               "    progress: 10\n  - goal: a\n    progress: 1\n  - goal: b\n    progress: 2\n"),
	       "both add goals: ours' new one, then theirs'");

	/* They re-ordered the list and we left it alone: theirs, in their order. */
	ours = replace(CHECKIN_BASE, "mood: 3", "mood: 4");
	theirs = replace(CHECKIN_BASE, "  - goal: ship\n    progress: 40\n  - goal: docs\n    progress: 10\n",
	                 "  - goal: docs\n    progress: 10\n  - goal: ship\n    progress: 40\n");
	merge(CHECKIN, CHECKIN_BASE, ours, theirs);
	is_str(R.text.ptr, replace(theirs, "mood: 3", "mood: 4"),
	       "their re-ordering lands when we left the list alone");
}

#define EXPECT_BASE                                                                                                    \
	"---\n"                                                                                                        \
	"kind: expectations\n"                                                                                         \
	"person: alice\n"                                                                                              \
	"lead: lena\n"                                                                                                 \
	"role: Engineer\n"                                                                                             \
	"---\n"                                                                                                        \
	"## Strengths\n"                                                                                               \
	"\n"                                                                                                           \
	"Clear writing.\n"

#define AGREE_ALICE                                                                                                    \
	"agreed_by:\n"                                                                                                 \
	"  - who: alice\n"                                                                                             \
	"    at: 2026-11-23T10:00:00Z\n"                                                                               \
	"    version: 0123456789abcdef\n"
#define AGREE_LENA                                                                                                     \
	"  - who: lena\n"                                                                                              \
	"    at: 2026-11-23T11:00:00Z\n"                                                                               \
	"    version: 0123456789abcdef\n"

static void test_agreed_by(void)
{
	const char *ours = replace(EXPECT_BASE, "role: Engineer\n", "role: Engineer\n" AGREE_ALICE);
	const char *theirs = replace(EXPECT_BASE, "role: Engineer\n", "role: Engineer\nagreed_by:\n" AGREE_LENA);
	const char *want = replace(EXPECT_BASE, "role: Engineer\n", "role: Engineer\n" AGREE_ALICE AGREE_LENA);

	merge("expectations/alice.md", EXPECT_BASE, ours, theirs);
	is_int(R.nclashes, 0, "alice agrees on one clone, lena on the other: no clash");
	is_str(R.text.ptr, want, "agreed_by holds both agreements");
	ok(valid("expectations/alice.md", R.text.ptr), "agreed_by: validates");

	/* One side removed the agreements (it edited the text), the other added lena's. */
	{
		const char *base = replace(EXPECT_BASE, "role: Engineer\n", "role: Engineer\n" AGREE_ALICE);
		const char *edited = replace(EXPECT_BASE, "role: Engineer", "role: Senior engineer");
		const char *lena = replace(EXPECT_BASE, "role: Engineer\n", "role: Engineer\n" AGREE_ALICE AGREE_LENA);
		merge("expectations/alice.md", base, edited, lena);
		is_int(R.nclashes, 0, "agreements removed here, one added there: no clash");
		is_str(R.text.ptr,
		       replace(EXPECT_BASE, "role: Engineer\n", "role: Senior engineer\nagreed_by:\n" AGREE_LENA),
		       "alice's old agreement goes, lena's new one stays");
		/* Nothing added there: the list stays removed. */
		merge("expectations/alice.md", base, edited,
		      replace(base, "at: 2026-11-23T10:00:00Z", "at: 2026-11-23T10:00:00Z\n    note: hi"));
		is_str(field(0), "agreed_by[alice]", "changed there, removed here: a clash on alice's agreement");
	}
}

#define NOTE_BASE                                                                                                      \
	"---\n"                                                                                                        \
	"kind: note\n"                                                                                                 \
	"person: alice\n"                                                                                              \
	"date: 2026-11-20\n"                                                                                           \
	"with: [lena, bob, carol]\n"                                                                                   \
	"---\n"
#define NOTE "notes/alice/2026-11-20-one-on-one.md"

static void test_sets(void)
{
	const char *ours = replace(NOTE_BASE, "[lena, bob, carol]", "[lena, carol, dan]");
	const char *theirs = replace(NOTE_BASE, "[lena, bob, carol]", "[lena, bob, erin]");

	merge(NOTE, NOTE_BASE, ours, theirs);
	is_int(R.nclashes, 0, "sets: no clash");
	is_str(R.text.ptr, replace(NOTE_BASE, "[lena, bob, carol]", "[lena, dan, erin]"),
	       "sets: base, plus both additions, minus both removals");
	ok(valid(NOTE, R.text.ptr), "sets: validates");

	/* Block style, and an item both sides added. */
	{
		const char *b = replace(NOTE_BASE, "with: [lena, bob, carol]", "with:\n  - lena\n  - bob");
		const char *o = replace(NOTE_BASE, "with: [lena, bob, carol]", "with:\n  - lena\n  - bob\n  - dan");
		const char *t = replace(NOTE_BASE, "with: [lena, bob, carol]", "with:\n  - dan\n  - erin\n  - lena");
		merge(NOTE, b, o, t);
		is_str(R.text.ptr, replace(NOTE_BASE, "with: [lena, bob, carol]", "with:\n  - lena\n  - dan\n  - erin"),
		       "sets in block style: no duplicate, theirs' new items last");
	}

	/* Lists of mappings without ids cannot be merged item by item. */
	{
		const char *b = replace(NOTE_BASE, "with: [lena, bob, carol]", "links: [{url: a}]");
		const char *o = replace(NOTE_BASE, "with: [lena, bob, carol]", "links: [{url: a}, {url: b}]");
		const char *t = replace(NOTE_BASE, "with: [lena, bob, carol]", "links: [{url: a}, {url: c}]");
		merge(NOTE, b, o, t);
		is_str(field(0), "links", "lists of mappings without ids clash as a whole");
		is_str(clash(0) ? clash(0)->theirs : NULL, "[{url: a}, {url: c}]", "theirs recorded as YAML");
	}
}

static void test_body(void)
{
	const char *ours =
	    replace(replace(GOAL_BASE, "Search is slow.", "Search is too slow."), "progress: 20", "progress: 30");
	const char *theirs = replace(GOAL_BASE, "Build the index.", "Build the trie index.");
	const char *want = replace(ours, "Build the index.", "Build the trie index.");

	merge(GOAL, GOAL_BASE, ours, theirs);
	is_int(R.nclashes, 0, "bodies changed in different paragraphs: no clash");
	is_str(R.text.ptr, want, "bodies merge as text");

	theirs = replace(GOAL_BASE, "Search is slow.", "Search is very slow.");
	merge(GOAL, GOAL_BASE, ours, theirs);
	is_int(R.nclashes, 1, "the same line changed on both sides: one clash");
	is_str(field(0), "body", "the clash is on the body");
	is_str(R.text.ptr, ours, "our body kept");
	ok(clash(0) && clash(0)->theirs && strstr(clash(0)->theirs, "very slow"), "their body recorded");
	is_str(describe(0, GOAL), "goals/alice/ship.md: the body changed on both sides in the same lines",
	       "a body clash described");

	/* Their body change with a change of fields on our side. */
	theirs = replace(GOAL_BASE, "Search is slow.", "Search is very slow.");
	ours = replace(GOAL_BASE, "progress: 20", "progress: 30");
	merge(GOAL, GOAL_BASE, ours, theirs);
	is_str(R.text.ptr, replace(theirs, "progress: 20", "progress: 30"), "their body, our field");
}

static void test_format(void)
{
	const char *base = "---\n"
	                   "# Alice's goal\n"
	                   "kind: goal\n"
	                   "person: alice   # owner\n"
	                   "title: \"Ship search v2\"\n"
	                   "status: active\n"
	                   "progress: 20  # percent\n"
	                   "due: 2026-12-31\n"
	                   "---\n"
	                   "Body.\n";
	const char *ours = replace(base, "progress: 20  # percent", "progress: 30  # percent, roughly");
	const char *theirs = "---\n"
	                     "kind: 'goal'\n"
	                     "person: alice\n"
	                     "title: 'Ship search v2'\n"
	                     "status: done\n"
	                     "progress: 20\n"
	                     "due: 2026-12-31\n"
	                     "---\n"
	                     "Body.\n";

	merge(GOAL, base, ours, theirs);
	is_int(R.nclashes, 0, "re-formatted theirs: no clash");
	is_str(R.text.ptr, replace(ours, "status: active", "status: done"),
	       "our comments, spacing and quoting kept byte for byte; only their change rewritten");
}

static bool all_crlf(const char *s)
{
	for (const char *p = s; *p; p++)
		if (*p == '\n' && (p == s || p[-1] != '\r'))
			return false;
	return true;
}

static char *crlf(const char *s)
{
	static char bufs[4][4096];
	static int k;
	char *out = bufs[k++ % 4], *o = out;

	for (; *s && o < out + 4094; s++) {
		if (*s == '\n')
			*o++ = '\r';
		*o++ = *s;
	}
	*o = '\0';
	return out;
}

static void test_crlf(void)
{
	const char *base = crlf(GOAL_BASE);
	const char *ours = crlf(replace(GOAL_BASE, "progress: 20", "progress: 30"));
	const char *theirs = crlf(replace(replace(GOAL_BASE, "status: active", "status: done"), "why: faster answers\n",
	                                  "why: faster answers\ncycle: q4\n"));

	merge(GOAL, base, ours, theirs);
	is_int(R.nclashes, 0, "CRLF: no clash");
	is_str(
	    R.text.ptr,
	    crlf(replace(replace(replace(GOAL_BASE, "progress: 20", "progress: 30"), "status: active", "status: done"),
	                 "why: faster answers\n", "why: faster answers\ncycle: q4\n")),
	    "CRLF: merged, every line still ends in CRLF");
	ok(all_crlf(R.text.ptr), "CRLF: no bare LF");
}

#define CONFIG_BASE                                                                                                    \
	"# The team's program, co-designed in this repository: see perf-format(5).\n"                                  \
	"kind: config\n"                                                                                               \
	"format: 1\n"                                                                                                  \
	"team: Search Team\n"                                                                                          \
	"cadences:\n"                                                                                                  \
	"  checkin: weekly\n"                                                                                          \
	"  share: monthly\n"                                                                                           \
	"maintainers: [alice]\n"                                                                                       \
	"groups:\n"                                                                                                    \
	"  - name: g1\n"                                                                                               \
	"    members: [alice, bob]\n"
#define CONFIG ".perf/config.yaml"

static void test_config(void)
{
	const char *ours =
	    replace(replace(CONFIG_BASE, "checkin: weekly", "checkin: fortnightly"), "[alice]\n", "[alice, lena]\n");
	const char *theirs = replace(
	    replace(replace(CONFIG_BASE, "share: monthly", "share: quarterly"), "[alice, bob]", "[alice, bob, carol]"),
	    "[alice]\n", "[alice, bob]\n");
	const char *want =
	    replace(replace(replace(ours, "share: monthly", "share: quarterly"), "[alice, bob]", "[alice, bob, carol]"),
	            "[alice, lena]\n", "[alice, lena, bob]\n");

	is_int(merge(CONFIG, CONFIG_BASE, ours, theirs), 0, "config: merges (%s)", err.msg);
	is_int(R.nclashes, 0, "config: no clash");
	ok(R.fields, "config: merged field by field");
	is_str(R.text.ptr, want, "config: nested keys, groups by name, maintainers as a set; no fences added");
	ok(valid(CONFIG, R.text.ptr), "config: validates");

	theirs = replace(CONFIG_BASE, "checkin: weekly", "checkin: monthly");
	merge(CONFIG, CONFIG_BASE, ours, theirs);
	is_str(field(0), "cadences.checkin", "config: a clash on a nested key");
}

static void test_text(void)
{
	const char *base = "# Team\n\none\ntwo\nthree\nfour\nfive\n";

	merge("README.md", base, replace(base, "one", "ONE"), replace(base, "five", "FIVE"));
	is_int(R.nclashes, 0, "README: clean text merge");
	is_str(R.text.ptr, "# Team\n\nONE\ntwo\nthree\nfour\nFIVE\n", "README: both changes");
	ok(!R.fields, "README: merged as text");

	merge("README.md", base, replace(base, "one", "ONE"), replace(base, "one", "uno"));
	is_int(R.nclashes, 1, "README: the same line changed: a clash");
	is_str(field(0), "file", "README: the clash is on the file");
	is_str(R.text.ptr, replace(base, "one", "ONE"), "README: ours kept, no markers");
	is_str(describe(0, "README.md"), "README.md: the file changed on both sides in the same lines",
	       "a file clash described");

	/* A side that does not parse: merged as text. */
	{
		const char *broken = replace(GOAL_BASE, "why: faster answers", "why: [unclosed");
		const char *ours = replace(GOAL_BASE, "title: Ship search v2", "title: Ship search v3");
		merge(GOAL, GOAL_BASE, ours, broken);
		is_int(R.nclashes, 0, "theirs does not parse: a clean text merge");
		ok(!R.fields, "theirs does not parse: merged as text");
		is_str(R.text.ptr, replace(broken, "title: Ship search v2", "title: Ship search v3"),
		       "theirs does not parse: both changes as text");

		/* The base does not parse, both sides do: merged as text and the result parses. */
		broken = replace(GOAL_BASE, "person: alice", "person: [alice");
		merge(GOAL, broken, replace(GOAL_BASE, "why: faster answers", "why: fast answers"),
		      replace(GOAL_BASE, "progress: 20", "progress: 30"));
		is_int(R.nclashes, 0, "base does not parse: clean");
		ok(!R.fields && valid(GOAL, R.text.ptr), "base does not parse: text merge, result validates");
	}

	/* NUL bytes: never merged as text. */
	{
		char b[] = "a\0b\n", o[] = "A\0b\n", t[] = "a\0B\n";
		perf_merge_result_release(&R);
		is_int(perf_merge_doc("blob.bin", b, 4, o, 4, t, 4, &R, &err), 0, "binary: merges");
		is_str(field(0), "file", "binary: both changed: a clash");
		ok(R.text.len == 4 && !memcmp(R.text.ptr, o, 4), "binary: ours kept");
	}
}

static void test_both_added(void)
{
	const char *ours = replace(GOAL_BASE, "why: faster answers\n", "why: faster answers\ncycle: q4\n");
	const char *theirs = replace(GOAL_BASE, "progress: 20\n", "progress: 20\nsupports: search\n");
	const char *want = replace(ours, "cycle: q4\n", "cycle: q4\nsupports: search\n");

	merge(GOAL, NULL, ours, theirs);
	is_int(R.nclashes, 0, "added on both sides, different fields: no clash");
	is_str(R.text.ptr, want, "added on both sides: merged as if from nothing");
	merge(GOAL, "", ours, theirs);
	is_str(R.text.ptr, want, "an empty base counts as none");
}

static void test_unaddressable(void)
{
	const char *base = "---\nkind: person\nname: Alice\n\"my key\": 1\nextra:\n  \"odd key\": 1\n  b: 2\n---\n";
	const char *ours = replace(base, "name: Alice", "name: Alice E");
	struct perf_doc *doc = NULL;

	/* A key no path can name, inside a mapping: the mapping is written whole. */
	merge("people/alice.md", base, ours, replace(base, "\"odd key\": 1", "\"odd key\": 5"));
	is_int(R.nclashes, 0, "a change under a key no path names: no clash");
	ok(perf_doc_parse(&doc, R.text.ptr, R.text.len, "merged", &err) == 0, "it parses");
	is_str(perf_node_str(perf_doc_get(doc, "extra"), "odd key"), "5", "their change is there");
	is_str(perf_doc_str(doc, "name"), "Alice E", "and ours");
	perf_doc_free(doc);

	/* At the top level there is nothing to write whole: a clash that says so, ours kept. */
	merge("people/alice.md", base, ours, replace(base, "\"my key\": 1", "\"my key\": 2"));
	is_int(R.nclashes, 1, "a change of a top-level key no path names: a clash");
	is_int(clash(0) ? (int)clash(0)->kind : -1, PERF_MERGE_CLASH_UNWRITABLE, "one that cannot be written");
	is_str(R.text.ptr, ours, "ours kept whole");
	is_str(describe(0, NULL), "field 'my key' cannot be merged in place: ours 1, theirs 2 (base 1)",
	       "described as such");
}

static void test_flow_and_blocks(void)
{
	const char *base = "---\nkind: x\nm: {a: 1, b: [x, y]}\nl: [{id: p, v: 1}, {id: q, v: 2}]\n"
	                   "text: |\n  line one\n  line two\nstatus: active\n---\n";
	const char *ours = "---\nkind: x\nm: {a: 2, b: [x, y]}\nl: [{id: p, v: 1}, {id: q, v: 3}]\n"
	                   "text: |\n  line one\n  line two\nstatus: done\n---\n";
	const char *theirs = "---\nkind: x\nm: {a: 1, b: [x, y, z]}\nl: [{id: p, v: 9}, {id: r, v: 2}]\n"
	                     "text: |\n  line one\n  line two\n  line three\nstatus: active\n---\n";
	struct perf_doc *doc = NULL;

	merge("x.md", base, ours, theirs);
	is_int(R.nclashes, 1, "flow collections: one clash");
	is_str(field(0), "l[q]", "q changed here and removed there");
	ok(perf_doc_parse(&doc, R.text.ptr, R.text.len, "merged", &err) == 0, "flow collections: the result parses");
	is_str(perf_doc_str(doc, "m.a"), "2", "a flow mapping: our key");
	is_str(perf_doc_str(doc, "m.b[2]"), "z", "a flow list in it: their new item");
	is_str(perf_doc_str(doc, "l[0].v"), "9", "a flow list by id: their change to p");
	is_str(perf_doc_str(doc, "l[1].v"), "3", "q kept as ours");
	is_str(perf_doc_str(doc, "l[2].id"), "r", "r, added by them, comes last");
	ok(!perf_doc_get(doc, "l[3]"), "and nothing else");
	is_str(perf_doc_str(doc, "text"), "line one\nline two\nline three\n", "a literal block: their text");
	is_str(perf_doc_str(doc, "status"), "done", "and our status");
	perf_doc_free(doc);
	ok(strstr(R.text.ptr, "m: {a: 2, b: [x, y, z]}") != NULL, "flow style kept");
}

/* The libgit2 merge driver, on a repository made with git. */

static bool write_file(const char *dir, const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (!(f = fopen(path, "w")))
		return false;
	fputs(text, f);
	return fclose(f) == 0;
}

/* A repository with base, then branches ours and theirs each changing goals/alice/ship.md. */
static bool make_repo(const char *dir, const char *base, const char *ours, const char *theirs)
{
	return fixture_sh("rm -rf %s && git init -q -b ours %s && mkdir -p %s/goals/alice", dir, dir, dir) == 0 &&
	       write_file(dir, GOAL, base) &&
	       fixture_sh("cd %s && git add . && git commit -qm base && git branch -q theirs", dir) == 0 &&
	       write_file(dir, GOAL, ours) &&
	       fixture_sh("cd %s && git commit -qam ours && git checkout -q theirs", dir) == 0 &&
	       write_file(dir, GOAL, theirs) && fixture_sh("cd %s && git commit -qam theirs", dir) == 0;
}

/* Merges HEAD~ours..theirs in memory; *out gets the merged blob when clean. */
static int merge_branches(const char *dir, const char *driver, struct perf_buf *out, bool *conflicted)
{
	git_repository *repo = NULL;
	git_commit *o = NULL, *t = NULL;
	git_index *idx = NULL;
	git_oid oid;
	git_merge_options opts;
	const git_index_entry *e;
	git_blob *blob = NULL;
	int rc = -1;

	git_merge_options_init(&opts, GIT_MERGE_OPTIONS_VERSION);
	opts.default_driver = driver;
	perf_buf_truncate(out, 0);
	if (git_repository_open(&repo, dir) < 0 || git_reference_name_to_id(&oid, repo, "refs/heads/ours") < 0 ||
	    git_commit_lookup(&o, repo, &oid) < 0 || git_reference_name_to_id(&oid, repo, "refs/heads/theirs") < 0 ||
	    git_commit_lookup(&t, repo, &oid) < 0 || git_merge_commits(&idx, repo, o, t, &opts) < 0)
		goto out;
	*conflicted = git_index_has_conflicts(idx);
	if (!*conflicted) {
		if (!(e = git_index_get_bypath(idx, GOAL, 0)) || git_blob_lookup(&blob, repo, &e->id) < 0)
			goto out;
		perf_buf_add(out, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
	}
	rc = 0;
out:
	if (rc)
		printf("# libgit2: %s\n", git_error_last() ? git_error_last()->message : "?");
	git_blob_free(blob);
	git_index_free(idx);
	git_commit_free(o);
	git_commit_free(t);
	git_repository_free(repo);
	return rc;
}

static void test_driver(void)
{
	char dir[600];
	struct perf_buf got = PERF_BUF_INIT;
	bool conflicted = true;
	/* Adjacent lines, so git's line merge would conflict. */
	const char *ours = replace(GOAL_BASE, "status: active", "status: done");
	const char *theirs = replace(GOAL_BASE, "progress: 20", "progress: 70");
	const char *want = replace(ours, "progress: 20", "progress: 70");

	if (fixture_init("merge")) {
		ok(0, "temporary folder");
		return;
	}
	fixture_author("Alice Example", "alice@example.com");
	snprintf(dir, sizeof(dir), "%s/repo", fixture_root);

	is_int(perf_merge_driver_register(&err), 0, "the driver registers");
	is_int(perf_merge_driver_register(&err), 0, "registering again is harmless");
	ok(make_repo(dir, GOAL_BASE, ours, theirs), "a repository with two branches");

	ok(merge_branches(dir, NULL, &got, &conflicted) == 0 && conflicted,
	   "git's line merge conflicts on adjacent lines");
	ok(merge_branches(dir, "perf", &got, &conflicted) == 0 && !conflicted, "with the perf driver: no conflict");
	is_str(perf_buf_cstr(&got), want, "the merged blob has both changes");

	/* Through .gitattributes instead of the default driver. */
	write_file(dir, ".gitattributes", "*.md merge=perf\n");
	ok(merge_branches(dir, NULL, &got, &conflicted) == 0 && !conflicted,
	   "merge=perf in .gitattributes picks the driver");
	unlink(replace(dir, "", "/.gitattributes"));

	/* A true clash stays a conflict in the index. */
	ok(make_repo(dir, GOAL_BASE, replace(GOAL_BASE, "progress: 20", "progress: 40"), theirs),
	   "a repository with a clash");
	ok(merge_branches(dir, "perf", &got, &conflicted) == 0 && conflicted, "a clash leaves the file conflicted");

	perf_buf_release(&got);
	fixture_done();
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	git_libgit2_init();
	test_bytes();
	test_scalars();
	test_add_remove();
	test_nested();
	test_goals();
	test_agreed_by();
	test_sets();
	test_body();
	test_format();
	test_crlf();
	test_config();
	test_text();
	test_both_added();
	test_unaddressable();
	test_flow_and_blocks();
	test_driver();
	perf_merge_result_release(&R);
	git_libgit2_shutdown();
	return tap_done();
}
