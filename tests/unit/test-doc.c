/*
 * Unit tests of lib/doc.c: parsing, paths, errors, in-place edits over the
 * corpus in tests/unit/doc-corpus/, canonical emission, and a cross-check of
 * emitted documents with PyYAML (tests/unit/doc-pyyaml.py).
 * Runs with the repository root as the current directory.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "doc.h"
#include "tap.h"

#define CORPUS "tests/unit/doc-corpus"

static struct perf_doc *parse_str(const char *s, const char *name)
{
	struct perf_doc *d = NULL;
	struct perf_error e;

	if (perf_doc_parse(&d, s, strlen(s), name, &e)) {
		printf("# parse %s: %s\n", name, e.msg);
		return NULL;
	}
	return d;
}

static void test_parse_get(void)
{
	struct perf_doc *d;
	const struct perf_node *n;
	size_t len;

	d = parse_str("---\ntitle: Hello\ngoals:\n  - goal: a\n    progress: 60\n  - goal: b\n    progress: 10\n"
	              "tags: [x, 'y z']\nnote: |\n  one\n  two\n---\n# Body\n",
	              "t.md");
	ok(d != NULL, "parse a typical document");
	if (!d)
		return;
	is_str(perf_doc_str(d, "title"), "Hello", "read a top-level scalar");
	is_str(perf_doc_str(d, "goals[0].progress"), "60", "read goals[0].progress");
	is_str(perf_doc_str(d, "goals[1].goal"), "b", "read goals[1].goal");
	is_str(perf_doc_str(d, "tags[1]"), "y z", "read a flow sequence item");
	is_str(perf_doc_str(d, "note"), "one\ntwo\n", "read a literal block");
	ok(perf_doc_str(d, "goals[2].goal") == NULL, "absent item is NULL");
	ok(perf_doc_str(d, "goals") == NULL, "a sequence is not a string");
	ok(perf_doc_get(d, "goals..x") == NULL && perf_doc_get(d, "[0]") == NULL && perf_doc_get(d, "a b") == NULL,
	   "invalid paths are NULL");
	n = perf_doc_get(d, "goals");
	ok(n && n->type == PERF_NODE_SEQ && n->n == 2, "goals is a sequence of two");
	n = perf_doc_get(d, "goals[1]");
	ok(n && n->type == PERF_NODE_MAP && n->line == 6 && n->col == 5, "goals[1] remembers line 6, col 5");
	is_str(perf_node_str(n, "progress"), "10", "perf_node_str on a map");
	n = perf_doc_get(d, "tags[1]");
	ok(n && n->style == PERF_STYLE_SINGLE && n->line == 8, "single-quoted style and line kept");
	n = perf_doc_root(d);
	ok(n->n == 4 && !strcmp(n->keys[0], "title") && !strcmp(n->keys[3], "note"), "key order kept");
	is_str(perf_doc_body(d, &len), "# Body\n", "body after the fence");
	is_int(perf_doc_body_line(d), 13, "body line number");
	is_str(perf_doc_name(d), "t.md", "name kept");
	perf_doc_free(d);

	d = parse_str("---\n---\n", "e.md");
	ok(d && perf_doc_root(d)->type == PERF_NODE_MAP && perf_doc_root(d)->n == 0,
	   "empty front matter is an empty map");
	is_str(d ? perf_doc_body(d, &len) : NULL, "", "no body is an empty body");
	perf_doc_free(d);

	d = parse_str("\xEF\xBB\xBF---\r\na: 1\r\n---\r\nbody\r\n", "bom.md");
	is_str(d ? perf_doc_str(d, "a") : NULL, "1", "BOM and CRLF accepted");
	ok(d && !memcmp(perf_doc_text(d, &len), "\xEF\xBB\xBF---", 6), "BOM kept");
	perf_doc_free(d);

	d = parse_str("---\na: 1\n...\nbody\n", "dots.md");
	is_str(d ? perf_doc_body(d, &len) : NULL, "body\n", "'...' closes the front matter");
	perf_doc_free(d);
	perf_doc_free(NULL);
}

struct bad {
	const char *what, *text, *where, *words;
};

static void test_errors(void)
{
	static char deep[512], bigfront[PERF_DOC_MAX_FRONT + 64];
	static const struct bad cases[] = {
	    {"missing fence", "title: x\n", "bad.md:1:1:", "missing front matter"},
	    {"fence with text", "--- x\na: 1\n---\n", "bad.md:1:1:", "missing front matter"},
	    {"unterminated fence", "---\na: 1\nb: 2\n", "bad.md:1:1:", "unterminated front matter"},
	    {"empty file", "", "bad.md:1:1:", "missing front matter"},
	    {"invalid YAML", "---\na: 1\nb: [1, 2\nc: 3\n---\n", "bad.md:", "invalid YAML"},
	    {"colon in plain value", "---\na: 1\nb: x: y\n---\n", "bad.md:3:5:", "quote the value"},
	    {"bad indentation", "---\na:\n  b: 1\n c: 2\n---\n", "bad.md:4:", "invalid YAML"},
	    {"tab indentation", "---\na:\n\tb: 1\n---\n", "bad.md:3:", "invalid YAML"},
	    {"invalid UTF-8", "---\na: 1\nb: ok\xff\n---\n", "bad.md:3:6:", "invalid UTF-8"},
	    {"invalid UTF-8 in body", "---\na: 1\n---\nxy\xc3\x28\n", "bad.md:4:3:", "invalid UTF-8"},
	    {"overlong UTF-8", "---\na: \xc0\xaf\n---\n", "bad.md:2:4:", "invalid UTF-8"},
	    {"surrogate UTF-8", "---\na: \xed\xa0\x80\n---\n", "bad.md:2:4:", "invalid UTF-8"},
	    {"duplicate key", "---\na: 1\nb: 2\na: 3\n---\n", "bad.md:4:1:", "duplicate key 'a' (first at line 2)"},
	    {"nested duplicate key", "---\nx:\n  k: 1\n  k: 2\n---\n", "bad.md:4:3:", "duplicate key 'k'"},
	    {"duplicate in flow", "---\nm: {a: 1, a: 2}\n---\n", "bad.md:2:11:", "duplicate key 'a'"},
	    {"anchor", "---\na: &x 1\nb: 2\n---\n",
	     "bad.md:2:4:", "anchors and aliases are not allowed in front matter"},
	    {"alias", "---\na: 1\nb: *x\n---\n", "bad.md:3:4:", "anchors and aliases are not allowed"},
	    {"anchored map", "---\na: &m\n  b: 1\n---\n", "bad.md:2:4:", "anchors and aliases are not allowed"},
	    {"top level sequence", "---\n- a\n- b\n---\n", "bad.md:2:1:", "must be a mapping"},
	    {"top level scalar", "---\njust text\n---\n", "bad.md:2:1:", "must be a mapping"},
	    {"sequence as key", "---\n? [a, b]\n: 1\n---\n", "bad.md:2:3:", "a key must be a plain string"},
	    {"map as key", "---\n{a: 1}: 2\n---\n", "bad.md:2:1:", "a key must be a plain string"},
	    {"control character", "---\na: x\x01y\n---\n", "bad.md:2:", "invalid YAML"},
	    {"two documents", "---\na: 1\n--- \nb: 2\n---\n", "bad.md:3:1:", "single YAML document"},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct perf_doc *d = NULL;
		struct perf_error e = {0, ""};
		int rc = perf_doc_parse(&d, cases[i].text, strlen(cases[i].text), "bad.md", &e);
		ok(rc == PERF_EINVALID && d == NULL && strstr(e.msg, cases[i].where) == e.msg &&
		       strstr(e.msg, cases[i].words),
		   "refuses %s", cases[i].what);
		if (rc != PERF_EINVALID || strstr(e.msg, cases[i].where) != e.msg || !strstr(e.msg, cases[i].words))
			printf("#   message: %s\n", e.msg);
		perf_doc_free(d);
	}

	/* NUL bytes need an explicit length. */
	{
		static const char nul[] = "---\na: 1\nb: x\0y\n---\n";
		struct perf_doc *d = NULL;
		struct perf_error e = {0, ""};
		int rc = perf_doc_parse(&d, nul, sizeof(nul) - 1, "bad.md", &e);
		ok(rc == PERF_EINVALID && strstr(e.msg, "bad.md:3:5: NUL byte"), "refuses a NUL byte: %s", e.msg);
		perf_doc_free(d);
	}
	/* Nesting deeper than 32. */
	{
		struct perf_buf b = PERF_BUF_INIT;
		struct perf_doc *d = NULL;
		struct perf_error e = {0, ""};
		int k;
		perf_buf_puts(&b, "---\na: ");
		for (k = 0; k < 40; k++)
			perf_buf_putc(&b, '[');
		for (k = 0; k < 40; k++)
			perf_buf_putc(&b, ']');
		perf_buf_puts(&b, "\n---\n");
		int rc = perf_doc_parse(&d, b.ptr, b.len, "bad.md", &e);
		ok(rc == PERF_EINVALID && strstr(e.msg, "bad.md:2:35: nesting deeper than 32"),
		   "refuses deep nesting: %s", e.msg);
		perf_doc_free(d);
		/* 40,000 brackets must fail fast, not take seconds. */
		perf_buf_truncate(&b, 0);
		perf_buf_puts(&b, "---\na: ");
		for (k = 0; k < 40000; k++)
			perf_buf_putc(&b, '[');
		perf_buf_puts(&b, "\n---\n");
		rc = perf_doc_parse(&d, b.ptr, b.len, "bad.md", &e);
		ok(rc == PERF_EINVALID && strstr(e.msg, "nesting deeper than 32"), "refuses 40,000 brackets");
		perf_buf_release(&b);
		(void)deep;
	}
	/* Size limits. */
	{
		struct perf_doc *d = NULL;
		struct perf_error e = {0, ""};
		size_t k, n = 0;
		memcpy(bigfront, "---\na: \"", 8);
		n = 8;
		for (k = 0; k < PERF_DOC_MAX_FRONT; k++)
			bigfront[n++] = 'x';
		memcpy(bigfront + n, "\"\n---\n", 7);
		int rc = perf_doc_parse(&d, bigfront, strlen(bigfront), "bad.md", &e);
		ok(rc == PERF_EINVALID && strstr(e.msg, "bad.md:2:1: front matter is over 64 KiB"),
		   "refuses big front matter: %s", e.msg);
		perf_doc_free(d);

		char *big = malloc(PERF_DOC_MAX_FILE + 100);
		memcpy(big, "---\na: 1\n---\n", 13);
		memset(big + 13, 'x', PERF_DOC_MAX_FILE);
		rc = perf_doc_parse(&d, big, PERF_DOC_MAX_FILE + 13, "bad.md", &e);
		ok(rc == PERF_EINVALID && strstr(e.msg, "bad.md:1:1: file is over 1 MiB"),
		   "refuses a file over 1 MiB: %s", e.msg);
		free(big);
	}
}

/* Every failing edit must leave the text exactly as it was. */
static void test_failed_edits(void)
{
	static const char src[] = "---\ntitle: x  # keep\nlist: [a, b]\nmap:\n  k: v\n---\nbody\n";
	struct perf_doc *d = parse_str(src, "f.md");
	struct perf_error e;
	size_t len;
	int rc;

	if (!d)
		return;
#define UNCHANGED(what)                                                                                                \
	ok(!strcmp(perf_doc_text(d, &len), src) && len == sizeof(src) - 1, "failed %s leaves the text unchanged", what)

	rc = perf_doc_set_str(d, "title.sub", "x", &e);
	ok(rc == PERF_EINVALID && strstr(e.msg, "f.md: cannot set 'title.sub'"), "set under a scalar: %s", e.msg);
	UNCHANGED("set under a scalar");
	rc = perf_doc_set_str(d, "nope.sub", "x", &e);
	ok(rc == PERF_ENOTFOUND, "set under a missing parent: %s", e.msg);
	UNCHANGED("set under a missing parent");
	rc = perf_doc_remove(d, "nope", &e);
	ok(rc == PERF_ENOTFOUND && strstr(e.msg, "no field 'nope'"), "remove a missing key: %s", e.msg);
	UNCHANGED("remove of a missing key");
	rc = perf_doc_remove(d, "list[5]", &e);
	ok(rc == PERF_ENOTFOUND, "remove a missing item: %s", e.msg);
	UNCHANGED("remove of a missing item");
	rc = perf_doc_set_str(d, "bad path", "x", &e);
	ok(rc == PERF_EINVALID && strstr(e.msg, "invalid path"), "invalid path: %s", e.msg);
	UNCHANGED("set with an invalid path");
	rc = perf_doc_set_str(d, "title", "bad \xff utf8", &e);
	ok(rc == PERF_EINVALID && strstr(e.msg, "invalid UTF-8"), "set invalid UTF-8: %s", e.msg);
	UNCHANGED("set of invalid UTF-8");
	rc = perf_doc_set_body(d, "a\0b", 3, &e);
	ok(rc == PERF_EINVALID && strstr(e.msg, "NUL byte"), "body with NUL: %s", e.msg);
	UNCHANGED("set_body with a NUL byte");
	{
		char *huge = malloc(PERF_DOC_MAX_FRONT + 2);
		memset(huge, 'y', PERF_DOC_MAX_FRONT + 1);
		huge[PERF_DOC_MAX_FRONT + 1] = '\0';
		rc = perf_doc_set_str(d, "title", huge, &e);
		ok(rc == PERF_EINVALID && strstr(e.msg, "over 64 KiB"), "value over 64 KiB refused: %.80s", e.msg);
		UNCHANGED("set of a huge value");
		free(huge);
		char *hbody = malloc(PERF_DOC_MAX_FILE + 1);
		memset(hbody, 'z', PERF_DOC_MAX_FILE);
		rc = perf_doc_set_body(d, hbody, PERF_DOC_MAX_FILE, &e);
		ok(rc == PERF_EINVALID && strstr(e.msg, "over 1 MiB"), "body over 1 MiB refused: %.80s", e.msg);
		UNCHANGED("set_body of a huge body");
		free(hbody);
	}
	{
		struct perf_node *top = perf_node_new_seq(), *cur = top;
		int k;
		for (k = 0; k < 40; k++) {
			struct perf_node *s = perf_node_new_seq();
			perf_node_seq_add(cur, s);
			cur = s;
		}
		perf_node_seq_add(cur, perf_node_new_str("x"));
		rc = perf_doc_set_node(d, "map.k", top, &e);
		ok(rc == PERF_EINVALID && strstr(e.msg, "nesting deeper than 32"), "too deep a value: %s", e.msg);
		UNCHANGED("set of too deep a value");
	}
	rc = perf_doc_set_str(d, "list[3]", "x", &e);
	ok(rc == PERF_ENOTFOUND, "set past the end of a sequence: %s", e.msg);
	UNCHANGED("set past the end of a sequence");
#undef UNCHANGED
	perf_doc_free(d);
}

static void test_edits(void)
{
	struct perf_doc *d;
	struct perf_error e;
	size_t len;

	d = parse_str(
	    "---\n# c1\ntitle: Hello  # c\ngoals:\n  - goal: x\n    progress: 60\n  - goal: y\n    progress: 10\n"
	    "last: 1\n---\nbody\n",
	    "e.md");
	if (!d)
		return;
	ok(!perf_doc_set_raw(d, "goals[1].progress", "75", &e), "set goals[1].progress");
	is_str(perf_doc_text(d, &len),
	       "---\n# c1\ntitle: Hello  # c\ngoals:\n  - goal: x\n    progress: 60\n  - goal: y\n    progress: 75\n"
	       "last: 1\n---\nbody\n",
	       "only that value changed");
	ok(!perf_doc_set_str(d, "title", "Bye", &e), "set title keeps its comment");
	ok(strstr(perf_doc_text(d, &len), "title: Bye  # c\n") != NULL, "comment after the value kept");
	ok(!perf_doc_set_str(d, "goals[0].done", "yes", &e), "add a key inside a sequence item");
	ok(strstr(perf_doc_text(d, &len), "    progress: 60\n    done: \"yes\"\n  - goal: y") != NULL,
	   "added at the item's indentation, quoted");
	ok(!perf_doc_remove(d, "goals[0].goal", &e), "remove the first key of an item");
	ok(strstr(perf_doc_text(d, &len), "goals:\n  - progress: 60\n    done: \"yes\"\n") != NULL, "the dash stays");
	ok(!perf_doc_remove(d, "goals[0]", &e), "remove a sequence item");
	is_str(perf_doc_text(d, &len),
	       "---\n# c1\ntitle: Bye  # c\ngoals:\n  - goal: y\n    progress: 75\nlast: 1\n---\nbody\n",
	       "item lines removed");
	ok(!perf_doc_set_str(d, "last", "multi\nline", &e), "set multi-line text");
	ok(strstr(perf_doc_text(d, &len), "last: |-\n  multi\n  line\n---\n") != NULL, "in literal style");
	is_str(perf_doc_str(d, "last"), "multi\nline", "reads back");
	ok(!perf_doc_set_str(d, "last", "short", &e), "replace a literal with a scalar");
	ok(strstr(perf_doc_text(d, &len), "\nlast: short\n---\n") != NULL, "literal lines replaced");
	ok(!perf_doc_remove(d, "goals[0]", &e), "remove the only item");
	ok(strstr(perf_doc_text(d, &len), "goals: []\n") != NULL, "an emptied sequence becomes []");
	ok(!perf_doc_set_raw(d, "goals[0]", "1", &e), "append to an empty flow sequence");
	ok(strstr(perf_doc_text(d, &len), "goals: [1]\n") != NULL, "appended in flow style");
	ok(!perf_doc_set_body(d, "new\n", 4, &e), "set body");
	is_str(perf_doc_body(d, &len), "new\n", "body replaced");
	ok(!perf_doc_remove(d, "title", &e) && !perf_doc_remove(d, "goals", &e) && !perf_doc_remove(d, "last", &e),
	   "remove every key");
	is_str(perf_doc_text(d, &len), "---\n# c1\n---\nnew\n", "comment kept, keys gone");
	perf_doc_free(d);

	d = parse_str("---\r\na: 1\r\nm:\r\n  k: v\r\n---\r\n", "crlf.md");
	if (d) {
		ok(!perf_doc_set_str(d, "m.n", "two\nlines\n", &e) && !perf_doc_set_str(d, "b", "x", &e),
		   "edit a CRLF file");
		is_str(perf_doc_text(d, &len),
		       "---\r\na: 1\r\nm:\r\n  k: v\r\n  \"n\": |\r\n    two\r\n    lines\r\nb: x\r\n---\r\n",
		       "CRLF kept in new lines");
	}
	perf_doc_free(d);

	d = parse_str("---\nm: {a: 1, b: 'two'}\n---", "flow.md");
	if (d) {
		ok(!perf_doc_set_str(d, "m.c", "x, y", &e), "add to a flow map");
		ok(!perf_doc_remove(d, "m.a", &e), "remove from a flow map");
		ok(!perf_doc_set_body(d, "body\n", 5, &e), "set body after a fence at EOF");
		is_str(perf_doc_text(d, &len), "---\nm: {b: 'two', c: \"x, y\"}\n---\nbody\n", "flow map rewritten");
	}
	perf_doc_free(d);

	/* Found by fuzz-doc: a line of blanks inside a literal is content. */
	ok(!perf_doc_new(&d, "blank.md", &e), "new document");
	ok(!perf_doc_set_str(d, "c", " \t\n  \t\n", &e) && !perf_doc_set_str(d, "d", "x", &e),
	   "add a key after a literal ending in a line of blanks");
	is_str(perf_doc_str(d, "c"), " \t\n  \t\n", "the literal keeps its blank-looking lines");
	perf_doc_free(d);

	d = parse_str("---\ngoals:\n- a\n- b\nx: 1\n---\n", "indentless.md");
	if (d) {
		ok(!perf_doc_set_str(d, "goals[2]", "c", &e) && !perf_doc_set_str(d, "goals[0]", "A", &e) &&
		       !perf_doc_remove(d, "goals[1]", &e),
		   "edit an indentless sequence");
		is_str(perf_doc_text(d, &len), "---\ngoals:\n- A\n- c\nx: 1\n---\n", "indentless style kept");
	}
	perf_doc_free(d);
}

static void test_emit(void)
{
	struct perf_doc *d;
	struct perf_error e;
	struct perf_node *m, *s, *g;
	size_t len;

	ok(!perf_doc_new(&d, "new.md", &e), "new document");
	is_str(perf_doc_text(d, &len), "---\n---\n", "new document text");
	ok(!perf_doc_set_str(d, "title", "Review: Q4", &e), "set title");
	ok(!perf_doc_set_raw(d, "mood", "4", &e), "set raw number");
	ok(!perf_doc_set_raw(d, "date", "2026-11-23", &e), "set raw date");
	ok(!perf_doc_set_str(d, "id", "007", &e), "set numeric-looking string");
	ok(!perf_doc_set_str(d, "empty", "", &e), "set empty string");
	ok(!perf_doc_set_str(d, "y", "n", &e), "key and value that look boolean");
	m = perf_node_new_map();
	s = perf_node_new_seq();
	g = perf_node_new_map();
	perf_node_map_add(g, "goal", perf_node_new_str("ship"));
	perf_node_map_add(g, "progress", perf_node_new_raw("60"));
	perf_node_seq_add(s, g);
	g = perf_node_new_map();
	perf_node_map_add(g, "goal", perf_node_new_str("docs"));
	perf_node_map_add(g, "progress", perf_node_new_raw("10"));
	perf_node_seq_add(s, g);
	ok(!perf_doc_set_node(d, "goals", s, &e), "set a sequence of maps");
	perf_node_map_add(m, "a", perf_node_new_map());
	perf_node_map_add(m, "b", perf_node_new_seq());
	perf_node_map_add(m, "text", perf_node_new_str("line 1\nline 2\n"));
	ok(!perf_doc_set_node(d, "meta", m, &e), "set a map");
	ok(!perf_doc_set_body(d, "Body\n", 5, &e), "set body");
	is_str(perf_doc_text(d, &len),
	       "---\ntitle: \"Review: Q4\"\nmood: 4\ndate: 2026-11-23\nid: \"007\"\nempty: \"\"\n\"y\": \"n\"\n"
	       "goals:\n  - goal: ship\n    progress: 60\n  - goal: docs\n    progress: 10\n"
	       "meta:\n  a: {}\n  b: []\n  text: |\n    line 1\n    line 2\n---\nBody\n",
	       "canonical emission");
	is_str(perf_doc_str(d, "goals[1].goal"), "docs", "nested value reads back");
	perf_doc_free(d);

	static const struct {
		const char *s;
		bool q;
	} quotes[] = {
	    {"hello", false},
	    {"hello world", false},
	    {"a:b", false},
	    {"a-b", false},
	    {"yes", true},
	    {"No", true},
	    {"ON", true},
	    {"off", true},
	    {"y", true},
	    {"N", true},
	    {"true", true},
	    {"FALSE", true},
	    {"null", true},
	    {"~", true},
	    {"", true},
	    {"123", true},
	    {"1.5", true},
	    {"0x1F", true},
	    {"0o17", true},
	    {"0123", true},
	    {".inf", true},
	    {"-.inf", true},
	    {".NaN", true},
	    {"1_000", true},
	    {"1e3", true},
	    {"2026-11-23", true},
	    {"2026-11-23T10:00:00Z", true},
	    {"a: b", true},
	    {"a #b", true},
	    {"-a", true},
	    {"?a", true},
	    {"[x]", true},
	    {"{x}", true},
	    {"#x", true},
	    {"&a", true},
	    {"*a", true},
	    {"!a", true},
	    {"|a", true},
	    {">a", true},
	    {"'a", true},
	    {"\"a", true},
	    {"%a", true},
	    {"@a", true},
	    {"`a", true},
	    {" a", true},
	    {"a ", true},
	    {"a\tb", true},
	    {"a\nb", true},
	    {"a:", true},
	    {",a", true},
	    {"café", false},
	    {"+1", true},
	    {"...", true},
	    {"<<", true},
	    {"=", true},
	};
	size_t i;
	int bad = 0;
	for (i = 0; i < sizeof(quotes) / sizeof(quotes[0]); i++) {
		if (perf_doc_needs_quotes(quotes[i].s) != quotes[i].q) {
			printf("# needs_quotes('%s') should be %d\n", quotes[i].s, quotes[i].q);
			bad++;
		}
	}
	ok(!bad, "perf_doc_needs_quotes on %zu strings", i);
}

/* Runs PyYAML over path; returns its output (caller frees) or NULL. */
static char *pyyaml(const char *path)
{
	char cmd[512];
	struct perf_buf out = PERF_BUF_INIT;
	char chunk[4096];
	size_t n;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "/usr/bin/python3 tests/unit/doc-pyyaml.py '%s' 2>&1", path);
	if (!(p = popen(cmd, "r")))
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
		perf_buf_add(&out, chunk, n);
	if (pclose(p) != 0) {
		printf("# pyyaml failed: %s\n", perf_buf_cstr(&out));
		perf_buf_release(&out);
		return NULL;
	}
	return perf_buf_detach(&out);
}

static void hex(struct perf_buf *b, const char *s)
{
	for (; *s; s++)
		perf_buf_printf(b, "%02x", (unsigned char)*s);
}

static int write_file(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	fwrite(text, 1, len, f);
	return fclose(f);
}

static void test_pyyaml(void)
{
	static const char *const tricky[] = {
	    "plain",
	    "007",
	    "1.0",
	    "1e3",
	    "0x1F",
	    "0o17",
	    "1_000",
	    ".inf",
	    "-.inf",
	    ".nan",
	    "+12",
	    "-3",
	    "yes",
	    "No",
	    "ON",
	    "off",
	    "y",
	    "n",
	    "true",
	    "False",
	    "null",
	    "Null",
	    "~",
	    "",
	    "2026-11-23",
	    "2026-11-23T10:00:00Z",
	    "2026-11-23 10:00:00",
	    "12:30",
	    "190:20:30",
	    "a: b",
	    "a:b",
	    "ends with colon:",
	    "has # hash",
	    "#starts with hash",
	    "a#b",
	    "- leading dash",
	    "-",
	    "--",
	    "---",
	    "...",
	    "? question",
	    "[brackets]",
	    "{braces}",
	    "a, b, c",
	    "& amp",
	    "*star",
	    "!bang",
	    "| pipe",
	    "> gt",
	    "'single'",
	    "\"double\"",
	    "it's",
	    "say \"hi\"",
	    "back\\slash",
	    "\\n not a newline",
	    "%percent",
	    "@at",
	    "`tick`",
	    " leading space",
	    "trailing space ",
	    "  ",
	    "tab\there",
	    "\tleading tab",
	    "caf\xc3\xa9",
	    "\xe6\x9d\xb1\xe4\xba\xac",
	    "emoji \xf0\x9f\x8e\x89",
	    "\xf0\x9f\x98\x80",
	    "nbsp\xc2\xa0here",
	    "nel\xc2\x85here",
	    "ls\xe2\x80\xa8here",
	    "bom\xef\xbb\xbfhere",
	    "bell\x07here",
	    "esc\x1bhere",
	    "del\x7fhere",
	    "cr\rhere",
	    "<<",
	    "=",
	    "line 1\nline 2",
	    "line 1\nline 2\n",
	    "line 1\nline 2\n\n",
	    "line 1\nline 2\n\n\n",
	    "\nleading newline",
	    "\n\nleading newlines\n",
	    "  indented first\nsecond\n",
	    "first\n  indented second\n",
	    "\n  indented after blank\n",
	    "blank\n\nlines\n\n\ninside",
	    "trailing spaces  \non lines \n",
	    "  \nspaces-only first line",
	    "a\n  \nb",
	    "\n",
	    "\n\n",
	    "x\n",
	    "a\tb\n\tc\n",
	    "# not a comment\n- not a list\nkey: not a map\n",
	    "---\n...\n",
	    "unicode \xc3\xa9\n\xf0\x9f\x8e\x89 line\n",
	    "crlf\r\nlines\r\n",
	    "very long line that would be folded by a default emitter because it goes on and on and on and on and on "
	    "past the eighty column limit without a break at all",
	};
	char dir[] = "/tmp/perf-test-doc-XXXXXX";
	char path[256], key[32];
	struct perf_doc *d;
	struct perf_error e;
	size_t i, n = sizeof(tricky) / sizeof(tricky[0]), len;
	int failed = 0;

	if (!mkdtemp(dir)) {
		ok(0, "mkdtemp");
		return;
	}
	snprintf(path, sizeof(path), "%s/emit.md", dir);

	/* One document holding every string as a top-level key, once via
	 * set_str and once as values of a nested built map. */
	perf_doc_new(&d, "emit.md", &e);
	for (i = 0; i < n; i++) {
		snprintf(key, sizeof(key), "k%zu", i);
		if (perf_doc_set_str(d, key, tricky[i], &e)) {
			printf("# set %s: %s\n", key, e.msg);
			failed++;
		}
		if (!perf_doc_str(d, key) || strcmp(perf_doc_str(d, key), tricky[i])) {
			printf("# perf reads back k%zu differently\n", i);
			failed++;
		}
	}
	ok(!failed, "perf writes and reads back %zu tricky strings", n);
	const char *text = perf_doc_text(d, &len);
	write_file(path, text, len);
	char *out = pyyaml(path);
	ok(out != NULL, "PyYAML reads the emitted document");
	failed = 0;
	for (i = 0; out && i < n; i++) {
		struct perf_buf want = PERF_BUF_INIT;
		snprintf(key, sizeof(key), "k%zu", i);
		perf_buf_printf(&want, "\n%s\tstr\t", key);
		/* The helper prints '=' for the empty string. */
		if (*tricky[i])
			hex(&want, tricky[i]);
		else
			perf_buf_putc(&want, '=');
		perf_buf_putc(&want, '\t');
		struct perf_buf hay = PERF_BUF_INIT;
		perf_buf_putc(&hay, '\n');
		perf_buf_puts(&hay, out);
		if (!strstr(hay.ptr, want.ptr)) {
			const char *at = strstr(hay.ptr, key);
			printf("# PyYAML disagrees on %s (%s): %.120s\n", key, tricky[i], at ? at : "(missing)");
			failed++;
		}
		perf_buf_release(&want);
		perf_buf_release(&hay);
	}
	ok(out && !failed, "PyYAML reads the same %zu strings, all as str", n);
	free(out);
	if (failed)
		printf("# document:\n%s\n", text);
	perf_doc_free(d);

	/* Nested structures built with the node API. */
	struct perf_node *root = perf_node_new_map(), *seq = perf_node_new_seq();
	for (i = 0; i < n; i++) {
		struct perf_node *item = perf_node_new_map();
		perf_node_map_add(item, "v", perf_node_new_str(tricky[i]));
		perf_node_map_add(item, tricky[i][0] ? tricky[i] : "empty", perf_node_new_raw("1"));
		perf_node_seq_add(seq, item);
	}
	perf_node_map_add(root, "items", seq);
	perf_doc_new(&d, "nested.md", &e);
	int rc = perf_doc_set_node(d, "nested", root, &e);
	ok(!rc, "set a nested map of tricky strings and keys%s%s", rc ? ": " : "", rc ? e.msg : "");
	failed = 0;
	for (i = 0; !rc && i < n; i++) {
		char p[64];
		snprintf(p, sizeof(p), "nested.items[%zu].v", i);
		if (!perf_doc_str(d, p) || strcmp(perf_doc_str(d, p), tricky[i]))
			failed++;
		const struct perf_node *it = perf_doc_get(d, p);
		(void)it;
		snprintf(p, sizeof(p), "nested.items[%zu]", i);
		it = perf_doc_get(d, p);
		if (!it || it->n != 2 || strcmp(it->keys[1], tricky[i][0] ? tricky[i] : "empty"))
			failed++;
	}
	ok(!rc && !failed, "nested values and keys read back");
	text = perf_doc_text(d, &len);
	write_file(path, text, len);
	out = pyyaml(path);
	/* PyYAML's JSON of the whole thing is compared item by item via hex. */
	ok(out &&
	       strncmp(out,
	               "nested\tdict\t-\t{\"items\": [{\"v\": \"plain\", \"plain\": 1}, {\"v\": \"007\", \"007\": 1}",
	               71) == 0,
	   "PyYAML reads the nested structure");
	free(out);
	perf_doc_free(d);

	/* Building then editing keeps PyYAML's view equal to perf's. */
	perf_doc_new(&d, "edit.md", &e);
	perf_doc_set_str(d, "a", "x", &e);
	perf_doc_set_str(d, "b", "y", &e);
	for (i = 0; i < n; i++) {
		if (perf_doc_set_str(d, "a", tricky[i], &e) || perf_doc_set_str(d, "b", tricky[n - 1 - i], &e))
			break;
		text = perf_doc_text(d, &len);
		if (i % 10)
			continue;
		write_file(path, text, len);
		out = pyyaml(path);
		struct perf_buf want = PERF_BUF_INIT;
		perf_buf_puts(&want, "a\tstr\t");
		hex(&want, tricky[i]);
		perf_buf_puts(&want, "\t");
		if (!out || strncmp(out, want.ptr, want.len))
			failed++;
		free(out);
		perf_buf_release(&want);
	}
	ok(i == n && !failed, "replacing values in place keeps PyYAML in agreement (%zu)", i);
	perf_doc_free(d);

	unlink(path);
	rmdir(dir);
}

/* The corpus. */

struct lines {
	const char **p;
	size_t *len, n;
};

static void split(struct lines *l, const char *s, size_t len)
{
	size_t i = 0;

	l->n = 0;
	l->p = malloc((len + 2) * sizeof(*l->p));
	l->len = malloc((len + 2) * sizeof(*l->len));
	while (i < len) {
		const char *nl = memchr(s + i, '\n', len - i);
		size_t ll = nl ? (size_t)(nl - s) - i + 1 : len - i;
		l->p[l->n] = s + i;
		l->len[l->n++] = ll;
		i += ll;
	}
}

static void lines_free(struct lines *l)
{
	free(l->p);
	free(l->len);
}

static bool line_eq(const struct lines *a, size_t i, const struct lines *b, size_t j)
{
	return a->len[i] == b->len[j] && !memcmp(a->p[i], b->p[j], a->len[i]);
}

/* The old lines a single-hunk diff changed: [*lo, *hi). */
static void diff(const struct lines *a, const struct lines *b, size_t *lo, size_t *hi)
{
	size_t p = 0, q = 0;

	while (p < a->n && p < b->n && line_eq(a, p, b, p))
		p++;
	while (q < a->n - p && q < b->n - p && line_eq(a, a->n - 1 - q, b, b->n - 1 - q))
		q++;
	*lo = p;
	*hi = a->n - q;
}

static size_t indent_of(const char *s, size_t len)
{
	size_t i = 0;
	while (i < len && s[i] == ' ')
		i++;
	return i;
}

static bool blank_or_comment(const char *s, size_t len)
{
	size_t i = indent_of(s, len);
	return i == len || s[i] == '\n' || s[i] == '\r' || s[i] == '#';
}

static bool all_spaces_prefix(const char *s, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (s[i] != ' ')
			return false;
	return true;
}

/* Byte offset of 1-based character column col in a line. */
static size_t byte_col(const char *s, size_t len, size_t col)
{
	size_t i = 0, c = 1;
	while (i < len && c < col) {
		i++;
		while (i < len && ((unsigned char)s[i] & 0xC0) == 0x80)
			i++;
		c++;
	}
	return i;
}

/*
 * The lines of entry i of parent (0-based, inclusive), found from the text
 * by indentation, independently of how lib/doc.c finds them: the key (or
 * dash) line, then lines indented deeper, less trailing blanks and comments.
 */
static void entry_lines(const struct lines *L, size_t fence, const struct perf_node *parent, size_t i, size_t *lo,
                        size_t *hi, bool *compact)
{
	const struct perf_node *v = parent->values[i];
	size_t vl = v->line - 1, k, keyline, keycol, last;
	const char *s = L->p[vl];
	size_t vc = byte_col(s, L->len[vl], v->col);
	bool inl = false;

	for (k = 0; k < vc; k++)
		if (s[k] == (parent->type == PERF_NODE_MAP ? ':' : '-'))
			inl = true;
	keyline = vl;
	if (!inl)
		while (keyline > 0 && blank_or_comment(L->p[keyline - 1], L->len[keyline - 1]))
			keyline--;
	if (!inl && keyline > 0)
		keyline--;
	s = L->p[keyline];
	if (parent->type == PERF_NODE_MAP) {
		keycol = 0;
		for (;;) {
			keycol += indent_of(s + keycol, L->len[keyline] - keycol);
			if (keycol + 1 < L->len[keyline] && s[keycol] == '-' && s[keycol + 1] == ' ')
				keycol += 2;
			else
				break;
		}
	} else if (inl) {
		keycol = vc ? vc - 1 : 0;
		while (keycol > 0 && s[keycol] != '-')
			keycol--;
	} else {
		keycol = indent_of(s, L->len[keyline]);
	}
	*compact = !all_spaces_prefix(s, keycol);
	last = keyline;
	bool keep = v->type == PERF_NODE_SCALAR && (v->style == PERF_STYLE_LITERAL || v->style == PERF_STYLE_FOLDED) &&
	            v->len >= 2 && v->text[v->len - 1] == '\n' && v->text[v->len - 2] == '\n';
	for (k = keyline + 1; k < fence; k++) {
		size_t ind = indent_of(L->p[k], L->len[k]);
		if (blank_or_comment(L->p[k], L->len[k])) {
			/* Comments indented under the entry belong to it, and
			 * so do the blank lines a kept block scalar ends with. */
			if ((ind < L->len[k] && L->p[k][ind] == '#' && ind > keycol) || (keep && last + 1 == k))
				last = k;
			continue;
		}
		if (ind > keycol || (ind == keycol && L->p[k][ind] == '-' && parent->type == PERF_NODE_MAP &&
		                     v->type == PERF_NODE_SEQ && !v->flow))
			last = k;
		else
			break;
	}
	*lo = keyline;
	*hi = last;
}

static void dump(struct perf_buf *b, const struct perf_node *n, const char *path, const char *skip)
{
	size_t i, sl = strlen(skip), pl = strlen(path);

	if (*skip && !strncmp(path, skip, sl) && (path[sl] == '\0' || path[sl] == '.' || path[sl] == '['))
		return;
	(void)pl;
	if (n->type == PERF_NODE_SCALAR) {
		perf_buf_printf(b, "%s=%s\n", path, n->text);
		return;
	}
	perf_buf_printf(b, "%s:%s%zu\n", path, n->type == PERF_NODE_MAP ? "map" : "seq", n->n);
	for (i = 0; i < n->n; i++) {
		char p[1024];
		if (n->type == PERF_NODE_MAP)
			snprintf(p, sizeof(p), "%s%s%s", path, *path ? "." : "", n->keys[i]);
		else
			snprintf(p, sizeof(p), "%s[%zu]", path, i);
		dump(b, n->values[i], p, skip);
	}
}

/* Dumps are compared without the edited subtree and its parent's count line. */
static bool same_except(const struct perf_doc *a, const struct perf_doc *b, const char *skip)
{
	struct perf_buf x = PERF_BUF_INIT, y = PERF_BUF_INIT;
	bool same;

	dump(&x, perf_doc_root(a), "", skip);
	dump(&y, perf_doc_root(b), "", skip);
	/* Drop the first line of each: the root's count, and counts of the
	 * edited path's parent, which change by design. */
	same = true;
	{
		char *p = x.ptr, *q = y.ptr;
		while (p && q && *p && *q) {
			char *pe = strchr(p, '\n'), *qe = strchr(q, '\n');
			size_t pl = (size_t)(pe - p), ql = (size_t)(qe - q);
			bool pc = memchr(p, ':', pl) &&
			          (strstr(p, ":map") == memchr(p, ':', pl) || strstr(p, ":seq") == memchr(p, ':', pl));
			bool qc = memchr(q, ':', ql) &&
			          (strstr(q, ":map") == memchr(q, ':', ql) || strstr(q, ":seq") == memchr(q, ':', ql));
			if (pc && qc && pl > 0 && ql > 0) {
				/* Counts may differ only for the parent of skip. */
				p = pe + 1;
				q = qe + 1;
				continue;
			}
			if (pl != ql || memcmp(p, q, pl)) {
				same = false;
				break;
			}
			p = pe + 1;
			q = qe + 1;
		}
		if (same && ((p && *p) || (q && *q)))
			same = false;
	}
	perf_buf_release(&x);
	perf_buf_release(&y);
	return same;
}

struct corpus {
	const char *file;
	const char *src;
	size_t srclen, fence;
	struct lines L;
	int n[5], bad[5]; /* set, restore, remove, add, multi-line set */
};

enum { E_SET, E_RESTORE, E_REMOVE, E_ADD, E_MULTI };

/* Applies one edit to a fresh parse and checks which old lines changed. */
static void check_edit(struct corpus *c, int kind, const char *path, const char *value, size_t lo, size_t hi,
                       bool insertion)
{
	struct perf_doc *orig = NULL, *d = NULL;
	struct perf_error e;
	struct lines N;
	size_t len, rlo, rhi;
	const char *why = NULL;
	int rc;

	c->n[kind]++;
	perf_doc_parse(&orig, c->src, c->srclen, c->file, &e);
	perf_doc_parse(&d, c->src, c->srclen, c->file, &e);
	if (kind == E_REMOVE)
		rc = perf_doc_remove(d, path, &e);
	else
		rc = perf_doc_set_str(d, path, value, &e);
	if (kind == E_RESTORE && !rc)
		rc = perf_doc_set_str(d, path, perf_doc_str(orig, path), &e);
	if (rc) {
		why = e.msg;
		goto out;
	}
	const char *text = perf_doc_text(d, &len);
	if (kind == E_RESTORE) {
		if (len != c->srclen || memcmp(text, c->src, len))
			why = "restoring the old value did not give the old text back";
		goto out;
	}
	split(&N, text, len);
	diff(&c->L, &N, &rlo, &rhi);
	lines_free(&N);
	if (insertion && rlo != rhi)
		why = "old lines changed where lines should only be inserted";
	else if (!insertion && rlo < rhi && (rlo < lo || rhi - 1 > hi))
		why = "lines outside the field changed";
	if (kind == E_REMOVE && perf_doc_get(d, path) && strchr(path, '[') == NULL)
		why = "the key is still there";
	if (kind != E_REMOVE && (!perf_doc_str(d, path) || strcmp(perf_doc_str(d, path), value)))
		why = "the value does not read back";
	if (!why && !strchr(path, '[') && !same_except(orig, d, path))
		why = "other values changed";
out:
	if (why) {
		c->bad[kind]++;
		printf("#   %s: %s '%s': %s (allowed lines %zu-%zu)\n", c->file,
		       kind == E_REMOVE ? "remove"
		       : kind == E_ADD  ? "add"
		                        : "set",
		       path, why, lo + 1, hi + 1);
		if (!rc && kind != E_RESTORE)
			printf("#   new text:\n%s\n", perf_doc_text(d, &len));
	}
	perf_doc_free(orig);
	perf_doc_free(d);
}

static void walk(struct corpus *c, const struct perf_node *node, const char *path, bool inflow, size_t flo, size_t fhi,
                 size_t plo, size_t phi, bool root)
{
	size_t i, lo, hi;
	bool compact = false;
	char cp[512];

	if (node->type == PERF_NODE_MAP && (node->flow || inflow || !root || node->n)) {
		snprintf(cp, sizeof(cp), "%s%szz_added", path, *path ? "." : "");
		if (node->flow || inflow)
			check_edit(c, E_ADD, cp, "added value", flo, fhi, false);
		else
			check_edit(c, E_ADD, cp, "added value", 0, 0, true);
	} else if (node->type == PERF_NODE_MAP) {
		check_edit(c, E_ADD, "zz_added", "added value", 0, 0, true);
	}
	for (i = 0; i < node->n; i++) {
		const struct perf_node *v = node->values[i];
		if (node->type == PERF_NODE_MAP) {
			if (!perf_doc_key_ok(node->keys[i]))
				continue;
			snprintf(cp, sizeof(cp), "%s%s%s", path, *path ? "." : "", node->keys[i]);
		} else {
			snprintf(cp, sizeof(cp), "%s[%zu]", path, i);
		}
		if (inflow || node->flow) {
			lo = flo;
			hi = fhi;
		} else {
			entry_lines(&c->L, c->fence, node, i, &lo, &hi, &compact);
		}
		check_edit(c, E_SET, cp, "edited value", lo, hi, false);
		if (v->type == PERF_NODE_SCALAR && v->style == PERF_STYLE_PLAIN && !perf_doc_needs_quotes(v->text) &&
		    lo == hi)
			check_edit(c, E_RESTORE, cp, "edited value", lo, hi, false);
		if (!inflow && !node->flow)
			check_edit(c, E_MULTI, cp, "two\nlines\n", lo, hi, false);
		if (node->n == 1 && !root && !inflow && !node->flow)
			check_edit(c, E_REMOVE, cp, NULL, plo, phi, false);
		else
			check_edit(c, E_REMOVE, cp, NULL, lo, hi + (compact ? 1 : 0), false);
		if (v->type != PERF_NODE_SCALAR) {
			bool f = inflow || node->flow || v->flow;
			walk(c, v, cp, f, inflow || node->flow ? flo : lo, inflow || node->flow ? fhi : hi, lo, hi,
			     false);
		}
	}
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_corpus(void)
{
	DIR *dir = opendir(CORPUS);
	struct dirent *de;
	char *names[256];
	size_t n = 0, i;

	ok(dir != NULL, "open %s", CORPUS);
	if (!dir)
		return;
	while ((de = readdir(dir)) && n < 256)
		if (de->d_name[0] != '.')
			names[n++] = strdup(de->d_name);
	closedir(dir);
	qsort(names, n, sizeof(*names), cmp_names);
	ok(n >= 30, "corpus has %zu files", n);
	for (i = 0; i < n; i++) {
		char path[512];
		struct perf_buf src = PERF_BUF_INIT;
		struct perf_doc *d = NULL;
		struct perf_error e;
		char chunk[4096];
		size_t got, len;
		FILE *f;
		int k;

		snprintf(path, sizeof(path), "%s/%s", CORPUS, names[i]);
		if (!(f = fopen(path, "rb"))) {
			ok(0, "read %s", path);
			continue;
		}
		while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0)
			perf_buf_add(&src, chunk, got);
		fclose(f);
		struct corpus c = {.file = names[i], .src = perf_buf_cstr(&src), .srclen = src.len};
		int rc = perf_doc_parse(&d, c.src, c.srclen, names[i], &e);
		ok(!rc && perf_doc_text(d, &len) && len == c.srclen, "%s parses%s%s", names[i], rc ? ": " : "",
		   rc ? e.msg : "");
		if (rc) {
			perf_buf_release(&src);
			continue;
		}
		split(&c.L, c.src, c.srclen);
		c.fence = perf_doc_body_line(d) - 2;
		walk(&c, perf_doc_root(d), "", false, 0, 0, 0, 0, true);
		{
			struct perf_doc *b = NULL;
			perf_doc_parse(&b, c.src, c.srclen, names[i], &e);
			rc = perf_doc_set_body(b, "replaced\n", 9, &e);
			const char *t = perf_doc_text(b, &len);
			ok(!rc && len >= 9 && !strcmp(t + len - 9, "replaced\n") &&
			       !memcmp(t, c.src, perf_doc_body(d, NULL) - perf_doc_text(d, NULL)),
			   "%s: set_body keeps the front matter byte-for-byte", names[i]);
			perf_doc_free(b);
		}
		static const char *const kinds[] = {"set", "set-and-restore", "remove", "add", "multi-line set"};
		for (k = 0; k < 5; k++)
			ok(!c.bad[k], "%s: %d of %d %s edits touch only their lines", names[i], c.n[k] - c.bad[k],
			   c.n[k], kinds[k]);
		lines_free(&c.L);
		perf_doc_free(d);
		perf_buf_release(&src);
		free(names[i]);
	}
}

int main(void)
{
	test_parse_get();
	test_errors();
	test_failed_edits();
	test_edits();
	test_emit();
	test_pyyaml();
	test_corpus();
	return tap_done();
}
