/*
 * The difference between two texts of one document, field by field and
 * then its body: what perf diff, perf log -p and perf sync's clash reports
 * say changed.  It needs no repository: only the document's path (for its
 * kind) and its two texts.  Lists whose items the schema names by an id
 * (perf_schema_list_id) are compared item by item ("goals[ship].progress").
 */
#include "docdiff.h"

#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "doc.h"
#include "private.h"
#include "schema.h"

static void flow(struct perf_buf *b, const struct perf_node *n)
{
	if (!n) {
		return;
	}
	switch (n->type) {
	case PERF_NODE_SCALAR:
		perf_buf_add(b, n->text, n->len);
		break;
	case PERF_NODE_SEQ:
		perf_buf_putc(b, '[');
		for (size_t i = 0; i < n->n; i++) {
			if (i)
				perf_buf_puts(b, ", ");
			flow(b, n->values[i]);
		}
		perf_buf_putc(b, ']');
		break;
	case PERF_NODE_MAP:
		perf_buf_putc(b, '{');
		for (size_t i = 0; i < n->n; i++) {
			perf_buf_printf(b, "%s%s: ", i ? ", " : "", n->keys[i]);
			flow(b, n->values[i]);
		}
		perf_buf_putc(b, '}');
		break;
	}
}

static int add_change(struct perf_doc_diff *d, const char *field, const struct perf_node *a, const struct perf_node *b)
{
	struct perf_buf x = PERF_BUF_INIT, y = PERF_BUF_INIT;
	struct perf_field_change *v = realloc(d->fields, (d->nfields + 1) * sizeof(*v));

	if (!v)
		return PERF_ENOMEM;
	d->fields = v;
	v += d->nfields++;
	flow(&x, a);
	flow(&y, b);
	v->field = strdup(field);
	v->old = a ? perf_buf_detach(&x) : NULL;
	v->new = b ? perf_buf_detach(&y) : NULL;
	perf_buf_release(&x);
	perf_buf_release(&y);
	return v->field ? 0 : PERF_ENOMEM;
}

/* The key that names the items of the list at field in both versions, or NULL. */
static const char *id_key(const struct perf_schema_kind *kind, const char *field, const struct perf_node *seq)
{
	const char *key = perf_schema_list_id(kind, field);

	if (!key || !seq || seq->type != PERF_NODE_SEQ || !seq->n)
		return NULL;
	for (size_t i = 0; i < seq->n; i++)
		if (seq->values[i]->type != PERF_NODE_MAP || !perf_node_str(seq->values[i], key))
			return NULL;
	return key;
}

static const struct perf_node *item_by(const struct perf_node *seq, const char *key, const char *id)
{
	for (size_t i = 0; seq && i < seq->n; i++) {
		const char *v = perf_node_str(seq->values[i], key);
		if (v && !strcmp(v, id))
			return seq->values[i];
	}
	return NULL;
}

static bool same(const struct perf_node *a, const struct perf_node *b)
{
	struct perf_buf x = PERF_BUF_INIT, y = PERF_BUF_INIT;
	bool eq;

	flow(&x, a);
	flow(&y, b);
	eq = (!a) == (!b) && !strcmp(perf_buf_cstr(&x), perf_buf_cstr(&y));
	perf_buf_release(&x);
	perf_buf_release(&y);
	return eq;
}

static int diff_nodes(struct perf_doc_diff *d, const struct perf_schema_kind *kind, const char *prefix,
                      const struct perf_node *a, const struct perf_node *b)
{
	char field[512];
	const char *ka, *kb;
	int rc = 0;

	static const struct perf_node empty_map = {PERF_NODE_MAP, PERF_STYLE_ANY, false, NULL, 0, 0, NULL, NULL, 0, 0};

	if (same(a, b))
		return 0;
	/* A whole document added or removed: its fields one by one. */
	if (!*prefix && !a && b && b->type == PERF_NODE_MAP)
		a = &empty_map;
	if (!*prefix && !b && a && a->type == PERF_NODE_MAP)
		b = &empty_map;
	if (a && b && a->type == PERF_NODE_MAP && b->type == PERF_NODE_MAP) {
		for (size_t i = 0; i < a->n && !rc; i++) {
			snprintf(field, sizeof(field), "%s%s%s", prefix, *prefix ? "." : "", a->keys[i]);
			rc = diff_nodes(d, kind, field, a->values[i], perf_node_get(b, a->keys[i]));
		}
		for (size_t i = 0; i < b->n && !rc; i++) {
			if (perf_node_get(a, b->keys[i]))
				continue;
			snprintf(field, sizeof(field), "%s%s%s", prefix, *prefix ? "." : "", b->keys[i]);
			rc = diff_nodes(d, kind, field, NULL, b->values[i]);
		}
		return rc;
	}
	ka = id_key(kind, prefix, a);
	kb = id_key(kind, prefix, b);
	if (ka && kb && !strcmp(ka, kb)) {
		for (size_t i = 0; i < a->n && !rc; i++) {
			const char *id = perf_node_str(a->values[i], ka);
			snprintf(field, sizeof(field), "%s[%s]", prefix, id);
			rc = diff_nodes(d, kind, field, a->values[i], item_by(b, ka, id));
		}
		for (size_t i = 0; i < b->n && !rc; i++) {
			const char *id = perf_node_str(b->values[i], ka);
			if (item_by(a, ka, id))
				continue;
			snprintf(field, sizeof(field), "%s[%s]", prefix, id);
			rc = diff_nodes(d, kind, field, NULL, b->values[i]);
		}
		return rc;
	}
	return add_change(d, prefix, a, b);
}

static int body_diff(const char *path, const char *a, size_t alen, const char *b, size_t blen, char **out)
{
	git_patch *patch = NULL;
	git_buf buf = {0};
	git_diff_options opts;
	int rc = 0;

	*out = NULL;
	if (alen == blen && (!alen || !memcmp(a, b, alen))) {
		*out = strdup("");
		return *out ? 0 : PERF_ENOMEM;
	}
	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	opts.context_lines = 2;
	if (git_patch_from_buffers(&patch, a, alen, path, b, blen, path, &opts) < 0 ||
	    git_patch_to_buf(&buf, patch) < 0) {
		rc = PERF_EGIT;
		goto out;
	}
	/* Keep the hunks; the file header says nothing a person needs here. */
	{
		const char *h = strstr(buf.ptr ? buf.ptr : "", "\n@@");
		*out = strdup(h ? h + 1 : (buf.ptr ? buf.ptr : ""));
	}
	if (!*out)
		rc = PERF_ENOMEM;
out:
	git_buf_dispose(&buf);
	git_patch_free(patch);
	return rc;
}

int perf_docdiff_texts(const char *path, const char *old, size_t olen, const char *new, size_t nlen,
                       struct perf_doc_diff *out, struct perf_error *err)
{
	struct perf_schema_match m;
	const struct perf_schema_kind *kind = perf_schema_match_path(&m, path, NULL) == 0 ? m.kind : NULL;
	struct perf_doc *a = NULL, *b = NULL;
	const char *ab = "", *bb = "";
	size_t al = 0, bl = 0;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	out->path = strdup(path);
	out->status = !old ? 'A' : !new ? 'D' : 'M';
	/* A file no kind describes (a template) is text. */
	if (old && (!kind || perf_schema_parse(&a, kind, old, olen, path, NULL)))
		a = NULL;
	if (new && (!kind || perf_schema_parse(&b, kind, new, nlen, path, NULL)))
		b = NULL;
	if ((old && !a) || (new && !b)) {
		/* Not a document on one side: a text diff of the whole file. */
		rc = body_diff(path, old ? old : "", old ? olen : 0, new ? new : "", new ? nlen : 0, &out->body);
		goto out;
	}
	if ((rc = diff_nodes(out, kind, "", a ? perf_doc_root(a) : NULL, b ? perf_doc_root(b) : NULL)))
		goto out;
	if (a)
		ab = perf_doc_body(a, &al);
	if (b)
		bb = perf_doc_body(b, &bl);
	if ((a && perf_private_doc_is(a)) || (b && perf_private_doc_is(b))) {
		/* Ciphertext lines mean nothing to a reader of the diff: say what changed, not how. */
		bool same = al == bl && (!al || !memcmp(ab, bb, al));
		out->body = strdup(same ? "" : "(the private text changed)\n");
		rc = out->body ? 0 : PERF_ENOMEM;
		goto out;
	}
	rc = body_diff(path, ab, al, bb, bl, &out->body);
out:
	perf_doc_free(a);
	perf_doc_free(b);
	if (rc)
		return rc == PERF_ENOMEM ? perf_error(err, rc, "out of memory")
		                         : perf_error_git(err, "cannot diff %s", path);
	return 0;
}

void perf_doc_diff_release(struct perf_doc_diff *dd)
{
	for (size_t k = 0; k < dd->nfields; k++) {
		free(dd->fields[k].field);
		free(dd->fields[k].old);
		free(dd->fields[k].new);
	}
	free(dd->fields);
	free(dd->path);
	free(dd->body);
	memset(dd, 0, sizeof(*dd));
}
