/*
 * perf reply TARGET [-m TEXT | -F FILE]: answers a document with a new file
 * in its thread, <doc without .md>/<stamp>-<author>.md.  A reply never
 * edits what it answers, so two people replying at once never conflict.
 * Text written in the editor that cannot be committed is saved under
 * .git/perf/saved/, so it is never lost.
 */
#include "perf.h"
#include "toolkit.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "doc.h"
#include "private.h"
#include "render.h"
#include "store.h"
#include "value.h"

static const struct perf_opt reply_opts[] = {
    {.name = "message", .short_name = 'm', .arg = "TEXT", .help = "the reply (Markdown); several -m make paragraphs"},
    {.name = "file", .short_name = 'F', .arg = "FILE", .help = "read the reply from FILE ('-' for standard input)"},
    {0},
};

/* Everything from this line down is perf's and is removed, as with git commit's scissors. */
#define SCISSORS "# ------------------------ >8 ------------------------"
/* At most this many lines of the document are shown in the editor. */
#define CONTEXT_LINES 40

struct reply {
	const char *me;
	const char *to;       /* the document answered */
	const char *short_to; /* as people type it, for the subject */
	const char *body;
	size_t body_len;
	char path[PERF_SCHEMA_PATH_MAX + 1];
	char at[21];
	/* A reply to a private document is sealed to the same readers. */
	struct perf_strv readers;
	unsigned char (*pks)[PERF_PRIVATE_KEY_BYTES];
};

/* The readers of a private document, when me is one of them. */
static int private_readers(struct perf_repo *repo, const char *path, const char *me, struct reply *r,
                           struct perf_error *err)
{
	struct perf_doc *doc = NULL;
	struct perf_buf who = PERF_BUF_INIT;
	const struct perf_node *list;
	int rc;

	if ((rc = perf_store_load(repo, NULL, path, &doc, NULL, err)))
		return rc;
	if (!perf_private_doc_is(doc))
		goto out;
	if (!perf_private_is_reader(doc, me)) {
		perf_private_readers_text(doc, &who);
		rc = perf_error(err, PERF_EPERM, "%s is private to %s; only its readers answer it", path,
		                perf_buf_cstr(&who));
		goto out;
	}
	list = perf_doc_get(doc, "readers");
	for (size_t i = 0; i < list->n && !rc; i++)
		if (list->values[i]->type == PERF_NODE_SCALAR && perf_value_is_handle(list->values[i]->text))
			rc = perf_strv_push(&r->readers, list->values[i]->text)
			         ? perf_error(err, PERF_ENOMEM, "out of memory")
			         : 0;
	if (rc)
		goto out;
	if (r->readers.n > PERF_PRIVATE_MAX_READERS) {
		rc = perf_error(err, PERF_EINVALID, "%s has more than %d readers", path, PERF_PRIVATE_MAX_READERS);
		goto out;
	}
	r->pks = calloc(r->readers.n, sizeof(*r->pks));
	if (!r->pks) {
		rc = perf_error(err, PERF_ENOMEM, "out of memory");
		goto out;
	}
	rc = perf_private_reader_keys(repo, NULL, (const char *const *)r->readers.v, r->readers.n, r->pks, err);
out:
	perf_buf_release(&who);
	perf_doc_free(doc);
	return rc;
}

static int reply_txn(struct perf_txn *txn, void *payload, struct perf_error *err)
{
	struct reply *r = payload;
	struct perf_schema_match m;
	struct perf_doc *doc = NULL;
	int rc;

	if (!perf_txn_exists(txn, r->to))
		return perf_error(err, PERF_ENOTFOUND, "%s: no such document (removed meanwhile?)", r->to);
	/* The stamp may move on while the path is taken; `at` follows the path. */
	if ((rc = perf_store_reply_path(txn, r->to, r->me, perf_value_now(), r->path, err)) ||
	    (rc = perf_schema_match_path(&m, r->path, err)))
		return rc;
	snprintf(r->at, sizeof(r->at), "%s", m.time);
	if ((rc = perf_doc_new(&doc, r->path, err)))
		return rc;
	if ((rc = perf_doc_set_str(doc, "kind", "reply", err)) || (rc = perf_doc_set_str(doc, "author", r->me, err)) ||
	    (rc = perf_doc_set_str(doc, "to", r->to, err)) || (rc = perf_doc_set_raw(doc, "at", r->at, err)) ||
	    (rc = r->readers.n ? perf_private_seal_doc(doc, r->me, (const char *const *)r->readers.v, r->readers.n,
	                                               (const unsigned char(*)[PERF_PRIVATE_KEY_BYTES])r->pks, r->body,
	                                               r->body_len, err)
	                       : perf_doc_set_body(doc, r->body, r->body_len, err)) ||
	    (rc = perf_store_put(txn, perf_schema_kind("reply"), doc, r->path, err)))
		goto out;
	if ((rc = perf_txn_subject(txn, err, "reply: %s to %s", r->me, r->short_to)) ||
	    (rc = perf_txn_trailer(txn, "Perf-Kind", "reply", err)) ||
	    (rc = perf_txn_trailer(txn, "Perf-Path", r->path, err)) ||
	    (rc = perf_txn_trailer(txn, "Perf-To", r->to, err)))
		goto out;
out:
	perf_doc_free(doc);
	return rc;
}

/* The document as people name it: alice/2026-W47, goal:alice/ship-search, expect:alice, norm:x. */
static void short_name(const struct perf_target *t, char *out, size_t size)
{
	const char *rest = strchr(t->path, '/');
	const char *kind = t->match.kind->name;
	size_t n;

	rest = rest ? rest + 1 : t->path;
	n = strlen(rest);
	if (n > 3 && !strcmp(rest + n - 3, ".md"))
		n -= 3;
	if (!strcmp(kind, "checkin"))
		snprintf(out, size, "%.*s", (int)n, rest);
	else
		snprintf(out, size, "%s:%.*s", !strcmp(kind, "expectations") ? "expect" : kind, (int)n, rest);
}

static int prefix_lines(struct perf_buf *out, const char *text, size_t len, size_t *lines)
{
	const char *p = text, *end = text + len;
	int rc = 0;

	while (p < end && !rc && *lines < CONTEXT_LINES) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		rc = perf_buf_puts(out, n ? "# " : "#") || perf_buf_add(out, p, n) || perf_buf_putc(out, '\n');
		(*lines)++;
		p = nl ? nl + 1 : end;
	}
	if (!rc && p < end)
		rc = perf_buf_puts(out, "# ...\n");
	return rc;
}

/* What the editor starts with: room to write, the scissors, then the document as a reminder. */
static int editor_template(struct perf_ctx *ctx, const struct perf_target *t, struct perf_buf *out,
                           struct perf_error *err)
{
	struct perf_render_opts o = {72, 2, false};
	struct perf_buf info = PERF_BUF_INIT;
	struct perf_strv thread = PERF_STRV_INIT;
	struct perf_doc *doc = NULL;
	const char *body;
	size_t blen, lines = 0;
	int rc;

	if ((rc = perf_store_load(ctx->repo, NULL, t->path, &doc, NULL, err)))
		return rc;
	if (perf_buf_printf(out,
	                    "\n" SCISSORS "\n"
	                    "# Write your reply to %s above this line.\n"
	                    "# This line and everything below it are removed; an empty reply writes nothing.\n"
	                    "#\n",
	                    t->path) ||
	    perf_buf_printf(&info, "%s\n", t->path))
		goto nomem;
	if ((rc = perf_render_fields(&info, doc, NULL, &o, err)))
		goto out;
	body = perf_doc_body(doc, &blen);
	if (perf_buf_putc(&info, '\n'))
		goto nomem;
	if (perf_private_doc_is(doc))
		rc = perf_buf_puts(&info, "[private: read it with 'perf show']\n")
		         ? perf_error(err, PERF_ENOMEM, "out of memory")
		         : 0;
	else
		rc = blen > PERF_RENDER_MAX ? perf_render_plain(&info, body, blen, &o, err)
		                            : perf_render_markdown(&info, body, blen, &o, err);
	if (rc)
		goto out;
	if (perf_store_thread(ctx->repo, NULL, t->path, &thread, NULL) == 0 && thread.n &&
	    perf_buf_printf(&info, "\n(%zu %s so far: perf show %s)\n", thread.n, thread.n == 1 ? "reply" : "replies",
	                    t->path))
		goto nomem;
	if (prefix_lines(out, info.ptr, info.len, &lines))
		goto nomem;
	goto out;
nomem:
	rc = perf_error(err, PERF_ENOMEM, "out of memory");
out:
	perf_strv_release(&thread);
	perf_buf_release(&info);
	perf_doc_free(doc);
	return rc;
}

/* Removes the scissors line and all below it; when the line itself was
 * deleted, removes the lines perf wrote below it wherever they are. */
static void strip_template(struct perf_buf *text, const char *tpl)
{
	const char *cut = strstr(perf_buf_cstr(text), SCISSORS);
	const char *ours = strstr(tpl, SCISSORS);
	size_t pos = 0;

	if (cut && (cut == text->ptr || cut[-1] == '\n')) {
		perf_buf_truncate(text, (size_t)(cut - text->ptr));
		return;
	}
	if (!ours)
		return;
	while (pos < text->len) {
		char *nl = memchr(text->ptr + pos, '\n', text->len - pos);
		size_t n = nl ? (size_t)(nl - text->ptr) - pos + 1 : text->len - pos;
		size_t ln = nl ? n - 1 : n;
		bool perfs = false;
		for (const char *p = ours; *p && !perfs;) {
			const char *e = strchr(p, '\n');
			size_t m = e ? (size_t)(e - p) : strlen(p);
			perfs = m == ln && m && p[0] == '#' && !memcmp(p, text->ptr + pos, m);
			p = e ? e + 1 : p + m;
		}
		if (perfs)
			perf_buf_splice(text, pos, n, "", 0);
		else
			pos += n;
	}
}

static int run_reply(struct perf_ctx *ctx, int argc, char **argv)
{
	struct perf_optstate st;
	struct perf_error err;
	struct perf_target t;
	struct perf_message msg = PERF_MESSAGE_INIT("the text");
	struct perf_buf tpl = PERF_BUF_INIT;
	struct reply r = {0};
	char short_to[PERF_SCHEMA_PATH_MAX + 16];
	int rc = PERF_EXIT_FAIL;

	perf_error_clear(&err);
	if ((rc = perf_opt_parse(&st, ctx, argc, argv, NULL, &msg)) != 0 ||
	    (rc = perf_operands(&st, 1, 1, "say which document to answer")) != 0)
		goto out;
	rc = PERF_EXIT_FAIL;
	if (perf_repo_require_handle(ctx->repo, &r.me, &err) ||
	    perf_store_resolve(ctx->repo, NULL, argv[st.index], r.me, &t, &err))
		goto fail;
	if (t.match.kind == perf_schema_kind("reply")) {
		/* Threads are flat: answering a reply answers the document it answers. */
		char parent[sizeof(t.path)];
		snprintf(parent, sizeof(parent), "%s", t.match.parent);
		fprintf(stderr, "perf: %s is a reply; replying to the document it answers, %s\n", t.path, parent);
		if (perf_store_resolve(ctx->repo, NULL, parent, r.me, &t, &err))
			goto fail;
	}
	if (!t.match.kind->answerable) {
		perf_error(&err, PERF_EINVALID, "%s: %s documents take no replies", t.path, t.match.kind->name);
		goto fail;
	}
	r.to = t.path;
	if (private_readers(ctx->repo, t.path, r.me, &r, &err))
		goto fail;
	short_name(&t, short_to, sizeof(short_to));
	r.short_to = short_to;

	if (perf_message_from_editor(&msg) && editor_template(ctx, &t, &tpl, &err))
		goto fail;
	if (perf_message_get(ctx, &msg, tpl.ptr, ".md", &err))
		goto fail;
	if (msg.edited)
		strip_template(&msg.text, tpl.ptr);
	if (perf_tidy_text(&msg.text))
		goto nomem;
	if (!perf_message_has_words(&msg)) {
		fprintf(stderr, "perf: empty reply; nothing written\n");
		goto out;
	}
	r.body = msg.text.ptr;
	r.body_len = msg.text.len;

	perf_note_repo(ctx);
	if (perf_repo_write(ctx->repo, reply_txn, &r, NULL, &err))
		goto fail;
	if (ctx->json) {
		perf_json_fields("{", "path", r.path, "to", r.to, "author", r.me, "at", r.at, NULL);
		fputs("}\n", stdout);
	} else {
		printf("replied to %s (%s)%s\n", r.to, r.path, r.readers.n ? " · private, as what it answers" : "");
	}
	rc = PERF_EXIT_OK;
	goto out;

nomem:
	perf_error(&err, PERF_ENOMEM, "out of memory");
fail:
	rc = perf_message_fail(ctx->repo, &msg, &err, "reply", r.me, "perf reply %s", argv[st.index]);
out:
	perf_message_release(&msg);
	perf_buf_release(&tpl);
	perf_strv_release(&r.readers);
	free(r.pks);
	return rc;
}

const struct perf_cmd perf_cmd_reply = {
    .group = PERF_GROUP_WEEK,
    .name = "reply",
    .usage = "TARGET [-m TEXT | -F FILE]",
    .summary = "answer a document: a check-in, goal, expectations, note, feedback request",
    .opts = reply_opts,
    .flags = PERF_CMD_REPO | PERF_CMD_WRITES,
    .run = run_reply,
};
