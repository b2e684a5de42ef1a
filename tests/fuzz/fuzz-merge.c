/*
 * libFuzzer target for lib/merge.c.  The input is three files separated by
 * NUL bytes: base, ours, theirs (an empty base stands for none).  Each is
 * merged as a Markdown document and as .perf/config.yaml, and the result
 * must keep the promises of merge.h:
 *   - no crash, no error but running out of memory;
 *   - both sides equal: the result is ours; one side equal to the base: the
 *     result is the other side, byte for byte, with no clash;
 *   - when ours and theirs parse and nothing clashed, the result parses;
 *   - a merge field by field always parses, and without clashes each
 *     top-level key (and the body) that one side left alone holds the
 *     other side's value.
 * Aborts on any violation.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "doc.h"
#include "merge.h"
#include "schema.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c)                                                                                                       \
	do {                                                                                                           \
		if (!(c)) {                                                                                            \
			fprintf(stderr, "violated: %s (line %d) merging %s\n", #c, __LINE__, path);                    \
			abort();                                                                                       \
		}                                                                                                      \
	} while (0)

static bool same(const char *a, size_t al, const char *b, size_t bl)
{
	return al == bl && (!al || !memcmp(a, b, al));
}

static int parse(struct perf_doc **doc, const struct perf_schema_kind *kind, const char *s, size_t len)
{
	*doc = NULL;
	if (!s)
		return 1;
	return kind ? perf_schema_parse(doc, kind, s, len, "fuzz", NULL) : perf_doc_parse(doc, s, len, "fuzz", NULL);
}

/* A value left alone on one side holds the other side's. */
static void check_keys(const char *path, const struct perf_node *b, const struct perf_node *o,
                       const struct perf_node *t, const struct perf_node *r)
{
	size_t i, pass;

	for (pass = 0; pass < 3; pass++) {
		const struct perf_node *side = pass == 0 ? o : pass == 1 ? t : b;
		for (i = 0; i < side->n; i++) {
			const char *k = side->keys[i];
			const struct perf_node *bk = perf_node_get(b, k), *ok = perf_node_get(o, k),
			                       *tk = perf_node_get(t, k), *rk = perf_node_get(r, k);
			if (perf_node_equal(bk, ok))
				CHECK(perf_node_equal(rk, tk));
			if (perf_node_equal(bk, tk))
				CHECK(perf_node_equal(rk, ok));
		}
	}
}

static void run(const char *path, const struct perf_schema_kind *kind, const char *base, size_t blen, const char *ours,
                size_t olen, const char *theirs, size_t tlen)
{
	struct perf_merge_result res = PERF_MERGE_RESULT_INIT;
	struct perf_error err;
	struct perf_doc *bd = NULL, *od = NULL, *td = NULL, *rd = NULL;
	bool po, pt, pr;
	int rc;

	rc = perf_merge_doc(path, base, blen, ours, olen, theirs, tlen, &res, &err);
	CHECK(rc == 0 || rc == PERF_ENOMEM);
	if (rc)
		return;
	CHECK(res.text.ptr || res.text.len == 0);
	if (same(ours, olen, theirs, tlen) || (base && same(base, blen, theirs, tlen))) {
		CHECK(same(res.text.ptr, res.text.len, ours, olen));
		CHECK(res.nclashes == 0);
	} else if (base && same(base, blen, ours, olen)) {
		CHECK(same(res.text.ptr, res.text.len, theirs, tlen));
		CHECK(res.nclashes == 0);
	}
	for (size_t i = 0; i < res.nclashes; i++) {
		struct perf_buf line = PERF_BUF_INIT;
		CHECK(res.clashes[i].field); /* may be "": YAML allows an empty key */
		CHECK(res.clashes[i].ours || res.clashes[i].theirs);
		CHECK(perf_merge_clash_describe(&line, path, &res.clashes[i]) == 0 && line.len > 0);
		perf_buf_release(&line);
	}

	po = parse(&od, kind, ours, olen) == 0;
	pt = parse(&td, kind, theirs, tlen) == 0;
	pr = parse(&rd, kind, res.text.ptr ? res.text.ptr : "", res.text.len) == 0;
	if (po && pt && !res.nclashes)
		CHECK(pr);
	if (res.fields)
		CHECK(pr);
	if (res.fields && !res.nclashes && base && parse(&bd, kind, base, blen) == 0 && po && pt) {
		size_t bl, ol, tl, rl;
		const char *bb = perf_doc_body(bd, &bl), *ob = perf_doc_body(od, &ol), *tb = perf_doc_body(td, &tl),
		           *rb = perf_doc_body(rd, &rl);
		check_keys(path, perf_doc_root(bd), perf_doc_root(od), perf_doc_root(td), perf_doc_root(rd));
		if (same(bb, bl, ob, ol))
			CHECK(same(rb, rl, tb, tl));
		if (same(bb, bl, tb, tl))
			CHECK(same(rb, rl, ob, ol));
	}
	perf_doc_free(bd);
	perf_doc_free(od);
	perf_doc_free(td);
	perf_doc_free(rd);
	perf_merge_result_release(&res);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data, *p1, *p2;
	static bool ready;

	if (!ready) {
		git_libgit2_init();
		ready = true;
	}
	if (!(p1 = memchr(s, '\0', size)) || !(p2 = memchr(p1 + 1, '\0', size - (size_t)(p1 + 1 - s))))
		return 0;
	{
		const char *base = p1 == s ? NULL : s, *ours = p1 + 1, *theirs = p2 + 1;
		size_t blen = (size_t)(p1 - s), olen = (size_t)(p2 - ours), tlen = size - (size_t)(theirs - s);
		run("goals/fuzz/merge.md", perf_schema_kind("goal"), base, blen, ours, olen, theirs, tlen);
		run(".perf/config.yaml", perf_schema_kind("config"), base, blen, ours, olen, theirs, tlen);
		run("README.md", NULL, base, blen, ours, olen, theirs, tlen);
	}
	return 0;
}
