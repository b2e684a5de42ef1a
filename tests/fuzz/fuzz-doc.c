/*
 * libFuzzer target for lib/doc.c: parse, edit (set a scalar, add a key,
 * remove a key, set the body), emit, re-parse, and check that every edit
 * either reads back exactly or leaves the text untouched.  Aborts on any
 * violation.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool eq(const struct perf_node *a, const struct perf_node *b)
{
	size_t i;

	if (a->type != b->type || a->n != b->n)
		return false;
	if (a->type == PERF_NODE_SCALAR)
		return a->len == b->len && !memcmp(a->text, b->text, a->len);
	for (i = 0; i < a->n; i++)
		if ((a->type == PERF_NODE_MAP && strcmp(a->keys[i], b->keys[i])) || !eq(a->values[i], b->values[i]))
			return false;
	return true;
}

/* The path of the first scalar reachable through addressable keys. */
static bool find_leaf(const struct perf_node *n, char *path, size_t cap, size_t used)
{
	size_t i;

	for (i = 0; i < n->n; i++) {
		int w;
		if (n->type == PERF_NODE_MAP) {
			if (!perf_doc_key_ok(n->keys[i]))
				continue;
			w = snprintf(path + used, cap - used, "%s%s", used ? "." : "", n->keys[i]);
		} else {
			w = snprintf(path + used, cap - used, "[%zu]", i);
		}
		if (w < 0 || (size_t)w >= cap - used)
			return false;
		if (n->values[i]->type == PERF_NODE_SCALAR)
			return true;
		if (find_leaf(n->values[i], path, cap, used + (size_t)w))
			return true;
		path[used] = '\0';
	}
	return false;
}

static bool valid_utf8(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		if (*p < 0x80) {
			p++;
			continue;
		}
		size_t n = *p >= 0xF0 ? 4 : *p >= 0xE0 ? 3 : 2, i;
		if (*p < 0xC2 || *p > 0xF4)
			return false;
		for (i = 1; i < n; i++)
			if ((p[i] & 0xC0) != 0x80)
				return false;
		if (n == 3 && ((*p == 0xE0 && p[1] < 0xA0) || (*p == 0xED && p[1] >= 0xA0)))
			return false;
		if (n == 4 && ((*p == 0xF0 && p[1] < 0x90) || (*p == 0xF4 && p[1] >= 0x90)))
			return false;
		p += n;
	}
	return true;
}

#define CHECK(c)                                                                                                       \
	do {                                                                                                           \
		if (!(c)) {                                                                                            \
			fprintf(stderr, "violated: %s (line %d): %s\n", #c, __LINE__, err.msg);                                  \
			abort();                                                                                       \
		}                                                                                                      \
	} while (0)

/* Runs one edit; on failure the text must be exactly what it was. */
#define EDIT(call, after)                                                                                              \
	do {                                                                                                           \
		size_t l0_;                                                                                            \
		const char *t0_ = perf_doc_text(doc, &l0_);                                                            \
		char *copy_ = malloc(l0_ + 1);                                                                         \
		memcpy(copy_, t0_, l0_ + 1);                                                                           \
		if ((call) == 0) {                                                                                     \
			after;                                                                                         \
		} else {                                                                                               \
			size_t l1_;                                                                                    \
			const char *t1_ = perf_doc_text(doc, &l1_);                                                    \
			CHECK(l1_ == l0_ && !memcmp(t1_, copy_, l0_));                                                 \
		}                                                                                                      \
		free(copy_);                                                                                           \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct perf_doc *doc = NULL, *again = NULL;
	struct perf_error err;
	char value[64], multi[80], path[512] = "";
	size_t i, n, len;
	const char *text;

	/* A value to write, taken from the input's tail. */
	n = size < 24 ? size : 24;
	for (i = 0; i < n && data[size - n + i]; i++)
		value[i] = (char)data[size - n + i];
	value[i] = '\0';
	snprintf(multi, sizeof(multi), "%s\n %s\n", value, value);

	if (perf_doc_parse(&doc, (const char *)data, size, "fuzz.md", &err))
		goto emit;
	text = perf_doc_text(doc, &len);
	CHECK(len == size && !memcmp(text, data, size));

	if (find_leaf(perf_doc_root(doc), path, sizeof(path), 0)) {
		EDIT(perf_doc_set_str(doc, path, value, &err), CHECK(perf_doc_str(doc, path) &&
								      !strcmp(perf_doc_str(doc, path), value)));
		EDIT(perf_doc_set_str(doc, path, multi, &err), CHECK(perf_doc_str(doc, path) &&
								      !strcmp(perf_doc_str(doc, path), multi)));
	}
	EDIT(perf_doc_set_raw(doc, "fuzz_added", value, &err),
	     CHECK(perf_doc_str(doc, "fuzz_added") && !strcmp(perf_doc_str(doc, "fuzz_added"), value)));
	if (perf_doc_root(doc)->n && perf_doc_key_ok(perf_doc_root(doc)->keys[0])) {
		char key[256];
		snprintf(key, sizeof(key), "%s", perf_doc_root(doc)->keys[0]);
		EDIT(perf_doc_remove(doc, key, &err), CHECK(perf_doc_get(doc, key) == NULL));
	}
	if (path[0] && strchr(path, '[')) {
		/* Removing inside a sequence exercises the dash handling. */
		char *last = strrchr(path, '[');
		if (strchr(last, '.') == NULL) {
			size_t cnt = 0;
			const struct perf_node *seq;
			*last = '\0';
			seq = perf_doc_get(doc, path);
			cnt = seq ? seq->n : 0;
			*last = '[';
			EDIT(perf_doc_remove(doc, path, &err), {
				*last = '\0';
				seq = perf_doc_get(doc, path);
				CHECK(seq && seq->n + 1 == cnt);
			});
		}
	}
	EDIT(perf_doc_set_body(doc, value, strlen(value), &err), {
		size_t bl;
		const char *b = perf_doc_body(doc, &bl);
		CHECK(bl == strlen(value) && !memcmp(b, value, bl));
	});

	/* What is written must read back the same. */
	text = perf_doc_text(doc, &len);
	CHECK(perf_doc_parse(&again, text, len, "again.md", &err) == 0);
	CHECK(eq(perf_doc_root(doc), perf_doc_root(again)));
	perf_doc_free(again);
	perf_doc_free(doc);
	doc = NULL;

emit:
	/* A new document with the value in every position must round-trip. */
	if (!valid_utf8(value))
		return 0;
	CHECK(perf_doc_new(&doc, "new.md", &err) == 0);
	CHECK(perf_doc_set_str(doc, "a", value, &err) == 0);
	CHECK(perf_doc_set_raw(doc, "b", value, &err) == 0);
	CHECK(perf_doc_set_str(doc, "c", multi, &err) == 0);
	{
		struct perf_node *m = perf_node_new_map(), *s = perf_node_new_seq(), *g = perf_node_new_map();
		perf_node_map_add(g, value[0] ? value : "k", perf_node_new_str(multi));
		perf_node_seq_add(s, g);
		perf_node_seq_add(s, perf_node_new_str(value));
		perf_node_map_add(m, "s", s);
		CHECK(perf_doc_set_node(doc, "d", m, &err) == 0);
	}
	text = perf_doc_text(doc, &len);
	CHECK(perf_doc_parse(&again, text, len, "again.md", &err) == 0);
	CHECK(eq(perf_doc_root(doc), perf_doc_root(again)));
	CHECK(!strcmp(perf_doc_str(again, "a"), value) && !strcmp(perf_doc_str(again, "b"), value));
	CHECK(!strcmp(perf_doc_str(again, "c"), multi) && !strcmp(perf_doc_str(again, "d.s[1]"), value));
	perf_doc_free(again);
	perf_doc_free(doc);
	return 0;
}
