/*
 * perf show TARGET: a document and its thread of replies, rendered for the
 * terminal (through a pager when stdout is one), as the file's own bytes
 * (--raw), or as JSON (perf --json show).
 */
#include "perf.h"
#include "toolkit.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "doc.h"
#include "private.h"
#include "process.h"
#include "render.h"
#include "schema.h"
#include "store.h"
#include "team.h"
#include "value.h"

struct show_args {
	bool raw;
};

static const struct perf_opt show_opts[] = {
    {.name = "raw",
     .help = "print the document's file exactly as stored, without its replies",
     PERF_OPT_INTO(struct show_args, raw)},
    {0},
};

/* What a body shows: the file's own, or a private body opened (or not, for others). */
struct text {
	bool private;
	bool opened;           /* private and decrypted into plain */
	struct perf_buf plain; /* opened: the words; not opened: who may read it */
	char sealer[2100];     /* opened: who sealed it, or why that is in doubt */
};

/* A reply of the thread, loaded. */
struct reply {
	const char *path;
	struct perf_doc *doc;
	struct perf_schema_match m;
	struct text text;
};

struct show {
	struct perf_target t;
	struct perf_doc *doc;
	const struct perf_schema_kind *kind;
	struct perf_strv thread;
	struct reply *replies;
	size_t nreplies;
	/* Agreements, for kinds that have them. */
	char version[PERF_SCHEMA_VERSION_LEN + 1];
	struct perf_strv agreed, stale;
	struct text text;
	/* Paths of the document and its thread that commits the team's rules refuse wrote. */
	struct perf_strv distrusted;
};

/*
 * Opens a private body for me.  Someone who is not a reader gets, for a
 * reply (in_thread), a line saying whose it is; for the document shown, and
 * for a reader whose key is missing or wrong, the error.
 */
static int open_text(struct perf_repo *repo, const struct perf_doc *doc, const char *me, bool in_thread, struct text *t,
                     struct perf_error *err)
{
	struct perf_private_sealer by;
	struct perf_error why;
	int rc;

	t->private = perf_private_doc_is(doc);
	if (!t->private)
		return 0;
	rc = perf_private_open_doc_by(doc, me, &t->plain, &by, err);
	if (!rc) {
		t->opened = true;
		/* Who sealed it is shown, and doubted out loud when their key is not theirs. */
		perf_error_clear(&why);
		if (!by.sealed_by)
			snprintf(t->sealer, sizeof(t->sealer), "sealed without a writer's key (an older perf)");
		else if (perf_private_check_sealer(repo, &by, &why))
			snprintf(t->sealer, sizeof(t->sealer), "NOT VERIFIED: %s", why.msg);
		else
			snprintf(t->sealer, sizeof(t->sealer), "sealed by %s", by.handle);
		return 0;
	}
	if (rc != PERF_EPERM || !in_thread)
		return rc;
	t->plain.len = 0;
	if (perf_private_readers_text(doc, &t->plain))
		return perf_error(err, PERF_ENOMEM, "out of memory");
	return 0;
}

/* ---- reading ---- */

static int load_thread(struct perf_repo *repo, struct show *s, struct perf_error *err)
{
	int rc;

	if (!s->kind->answerable)
		return 0;
	if ((rc = perf_store_thread(repo, NULL, s->t.path, &s->thread, err)))
		return rc;
	s->replies = calloc(s->thread.n ? s->thread.n : 1, sizeof(*s->replies));
	if (!s->replies)
		return perf_error(err, PERF_ENOMEM, "out of memory");
	for (size_t i = 0; i < s->thread.n; i++) {
		struct reply *r = &s->replies[s->nreplies];
		struct perf_error e;
		r->path = s->thread.v[i];
		if (perf_schema_match_path(&r->m, r->path, &e) ||
		    perf_store_load(repo, NULL, r->path, &r->doc, NULL, &e)) {
			/* One broken reply must not hide the conversation. */
			fprintf(stderr, "perf: warning: skipping %s: %s\n", r->path, e.msg);
			continue;
		}
		s->nreplies++;
	}
	return 0;
}

/* Who agreed to the current version, and who only to an earlier one. */
static int load_agreements(struct show *s, struct perf_error *err)
{
	const struct perf_node *list;
	int rc;

	if (!s->kind->agreement)
		return 0;
	if ((rc = perf_schema_version(s->version, s->kind, s->doc, err)))
		return rc;
	list = perf_doc_get(s->doc, s->kind->agreement);
	if (!list || list->type != PERF_NODE_SEQ)
		return 0;
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < list->n; i++) {
			const struct perf_node *a = list->values[i];
			const char *who, *ver;
			if (a->type != PERF_NODE_MAP)
				continue;
			who = perf_node_str(a, "who");
			ver = perf_node_str(a, "version");
			if (!who || !perf_value_is_handle(who))
				continue;
			if (pass == 0 && ver && !strcmp(ver, s->version) && !perf_strv_has(&s->agreed, who))
				rc = perf_strv_push(&s->agreed, who);
			else if (pass == 1 && !perf_strv_has(&s->agreed, who) && !perf_strv_has(&s->stale, who))
				rc = perf_strv_push(&s->stale, who);
			if (rc)
				return perf_error(err, PERF_ENOMEM, "out of memory");
		}
	}
	return 0;
}

/* ---- JSON ---- */

static void json_value(FILE *f, const struct perf_node *n, const struct perf_schema_field *field, bool item);

static const struct perf_schema_field *sub_field(const struct perf_schema_field *fields, const char *name)
{
	for (; fields && fields->name; fields++)
		if (!strcmp(fields->name, name))
			return fields;
	return NULL;
}

static bool is_null(const struct perf_node *n)
{
	return n->style == PERF_STYLE_PLAIN && (!n->len || !strcmp(n->text, "~") || !strcmp(n->text, "null") ||
	                                        !strcmp(n->text, "Null") || !strcmp(n->text, "NULL"));
}

/* Scalars are strings, except integers and booleans where the schema says so. */
static void json_scalar(FILE *f, const struct perf_node *n, int type)
{
	long l;
	bool b;

	if (is_null(n)) {
		fputs("null", f);
	} else if (type == PERF_TYPE_INT && perf_value_parse_int(n->text, &l, NULL) == 0) {
		fprintf(f, "%ld", l);
	} else if (type == PERF_TYPE_BOOL && perf_value_parse_bool(n->text, &b, NULL) == 0) {
		fputs(b ? "true" : "false", f);
	} else {
		perf_json_str(f, n->text);
	}
}

static void json_map(FILE *f, const struct perf_node *n, const struct perf_schema_field *fields,
                     const struct perf_schema_field *dict)
{
	fputc('{', f);
	for (size_t i = 0; i < n->n; i++) {
		if (i)
			fputs(", ", f);
		perf_json_str(f, n->keys[i]);
		fputs(": ", f);
		if (dict)
			json_value(f, n->values[i], dict, true);
		else
			json_value(f, n->values[i], sub_field(fields, n->keys[i]), false);
	}
	fputc('}', f);
}

/* field describes n (item: n is one of its items or dict values); NULL when unknown. */
static void json_value(FILE *f, const struct perf_node *n, const struct perf_schema_field *field, bool item)
{
	int type = field ? (int)(item ? field->item : field->type) : -1;

	switch (n->type) {
	case PERF_NODE_SCALAR:
		json_scalar(f, n, type);
		break;
	case PERF_NODE_SEQ:
		fputc('[', f);
		for (size_t i = 0; i < n->n; i++) {
			if (i)
				fputs(", ", f);
			json_value(f, n->values[i], type == PERF_TYPE_LIST && !item ? field : NULL, true);
		}
		fputc(']', f);
		break;
	case PERF_NODE_MAP:
		if (type == PERF_TYPE_DICT && !item)
			json_map(f, n, NULL, field);
		else
			json_map(f, n, type == PERF_TYPE_MAP ? field->fields : NULL, NULL);
		break;
	}
}

static void json_strv(FILE *f, const struct perf_strv *sv)
{
	fputc('[', f);
	for (size_t i = 0; i < sv->n; i++) {
		if (i)
			fputs(", ", f);
		perf_json_str(f, sv->v[i]);
	}
	fputc(']', f);
}

static void json_body(FILE *f, const struct perf_doc *doc, const struct text *t)
{
	size_t len;
	const char *body = perf_doc_body(doc, &len);

	if (t->private && !t->opened) {
		fputs("null", f);
		return;
	}
	/* Bodies hold no NUL (perf_doc_parse and perf_private_open_doc refuse them), so the string is whole. */
	perf_json_str(f, t->opened ? perf_buf_cstr(&t->plain) : body);
	(void)len;
}

static void print_json(const struct show *s)
{
	const struct perf_node *root = perf_doc_root(s->doc);

	fputs("{\"path\": ", stdout);
	perf_json_str(stdout, s->t.path);
	/* false when a commit the team's rules refuse wrote the document or its thread */
	printf(", \"verified\": %s", s->distrusted.n ? "false" : "true");
	fputs(", \"kind\": ", stdout);
	perf_json_str(stdout, s->kind->name);
	fputs(", \"fields\": ", stdout);
	if (root && root->type == PERF_NODE_MAP) {
		fputc('{', stdout);
		for (size_t i = 0; i < root->n; i++) {
			if (i)
				fputs(", ", stdout);
			perf_json_str(stdout, root->keys[i]);
			fputs(": ", stdout);
			json_value(stdout, root->values[i], perf_schema_field(s->kind, root->keys[i]), false);
		}
		fputc('}', stdout);
	} else {
		fputs("{}", stdout);
	}
	fputs(", \"body\": ", stdout);
	json_body(stdout, s->doc, &s->text);
	fprintf(stdout, ", \"private\": %s", s->text.private ? "true" : "false");
	if (s->kind->agreement) {
		fputs(", \"version\": ", stdout);
		perf_json_str(stdout, s->version);
		fputs(", \"agreed\": ", stdout);
		json_strv(stdout, &s->agreed);
		fputs(", \"agreed_stale\": ", stdout);
		json_strv(stdout, &s->stale);
	}
	fputs(", \"replies\": [", stdout);
	for (size_t i = 0; i < s->nreplies; i++) {
		const struct reply *r = &s->replies[i];
		const char *author = perf_doc_str(r->doc, "author"), *at = perf_doc_str(r->doc, "at");
		fputs(i ? ", " : "", stdout);
		fputs("{\"path\": ", stdout);
		perf_json_str(stdout, r->path);
		fputs(", \"author\": ", stdout);
		perf_json_str(stdout, author ? author : r->m.author);
		fputs(", \"at\": ", stdout);
		perf_json_str(stdout, at ? at : r->m.time);
		fputs(", \"body\": ", stdout);
		json_body(stdout, r->doc, &r->text);
		fprintf(stdout, ", \"private\": %s", r->text.private ? "true" : "false");
		fputc('}', stdout);
	}
	fputs("]}\n", stdout);
}

/* ---- text ---- */

static int join_names(struct perf_buf *b, const struct perf_strv *sv)
{
	for (size_t i = 0; i < sv->n; i++)
		if ((i && perf_buf_puts(b, ", ")) || perf_buf_puts(b, sv->v[i]))
			return PERF_ENOMEM;
	return 0;
}

static int render_agreements(struct perf_buf *b, const struct show *s)
{
	int rc = 0;

	if (s->agreed.n)
		rc = perf_buf_puts(b, "Agreed to this version by: ") || join_names(b, &s->agreed) ||
		     perf_buf_putc(b, '\n');
	else
		rc = perf_buf_puts(b, s->stale.n ? "Not agreed to this version yet\n" : "Not agreed yet\n");
	if (!rc && s->stale.n)
		rc = perf_buf_puts(b, "Agreed to an earlier version by: ") || join_names(b, &s->stale) ||
		     perf_buf_puts(b, " (edited since)\n");
	/* Expectations are agreed by the person and their lead. */
	if (!rc && !strcmp(s->kind->name, "expectations")) {
		struct perf_strv wait = PERF_STRV_INIT;
		const char *need[2] = {perf_doc_str(s->doc, "person"), perf_doc_str(s->doc, "lead")};
		for (int i = 0; i < 2 && !rc; i++)
			if (need[i] && perf_value_is_handle(need[i]) && !perf_strv_has(&s->agreed, need[i]) &&
			    !perf_strv_has(&wait, need[i]))
				rc = perf_strv_push(&wait, need[i]);
		if (!rc && wait.n)
			rc = perf_buf_puts(b, "Waiting for: ") || join_names(b, &wait) || perf_buf_putc(b, '\n');
		perf_strv_release(&wait);
	}
	return rc ? PERF_ENOMEM : 0;
}

/* A body as Markdown, or as written when too large to render safely. */
static int render_body(struct perf_buf *b, const struct perf_doc *doc, const struct text *t,
                       const struct perf_render_opts *o, struct perf_error *err)
{
	size_t len;
	const char *body = perf_doc_body(doc, &len);

	if (t->private && !t->opened) {
		if (perf_buf_printf(b, "%*s[private to %s; you are not among its readers]\n", (int)o->indent, "",
		                    perf_buf_cstr(&t->plain)))
			return perf_error(err, PERF_ENOMEM, "out of memory");
		return 0;
	}
	if (t->opened) {
		body = perf_buf_cstr(&t->plain);
		len = t->plain.len;
		if (perf_buf_printf(b, "%*s[private, %s]\n", (int)o->indent, "", t->sealer))
			return perf_error(err, PERF_ENOMEM, "out of memory");
	}

	if (len > PERF_RENDER_MAX) {
		if (perf_buf_printf(b, "%*s[%zu bytes: too large to format; shown as written]\n", (int)o->indent, "",
		                    len))
			return perf_error(err, PERF_ENOMEM, "out of memory");
		return perf_render_plain(b, body, len, o, err);
	}
	return perf_render_markdown(b, body, len, o, err);
}

static void format_when(const char *at, char out[32])
{
	time_t t;
	struct tm tm;

	if (at && perf_value_parse_time(at, &t, NULL) == 0 && localtime_r(&t, &tm) &&
	    strftime(out, 32, "%Y-%m-%d %H:%M", &tm) > 0)
		return;
	snprintf(out, 32, "%s", at ? at : "?");
}

static int render_text(struct perf_buf *b, const struct show *s, const struct perf_render_opts *o,
                       struct perf_error *err)
{
	struct perf_render_opts ro = *o;
	size_t mark;
	int rc;

	if ((o->color && perf_buf_puts(b, "\033[1m")) || perf_render_safe(b, s->t.path, strlen(s->t.path)) ||
	    (o->color && perf_buf_puts(b, "\033[0m")) || perf_buf_putc(b, '\n'))
		goto nomem;
	if ((rc = perf_render_fields(b, s->doc, s->kind->agreement, o, err)))
		return rc;
	if (s->kind->agreement && render_agreements(b, s))
		goto nomem;
	if (perf_buf_putc(b, '\n'))
		goto nomem;
	mark = b->len;
	if ((rc = render_body(b, s->doc, &s->text, o, err)))
		return rc;
	if (b->len == mark)
		perf_buf_truncate(b, mark - 1); /* no text: no blank line for it */

	ro.indent = o->indent + 2;
	for (size_t i = 0; i < s->nreplies; i++) {
		const struct reply *r = &s->replies[i];
		const char *author = perf_doc_str(r->doc, "author");
		char when[32];
		format_when(perf_doc_str(r->doc, "at") ? perf_doc_str(r->doc, "at") : r->m.time, when);
		if (!author || !perf_value_is_handle(author))
			author = r->m.author;
		if (perf_buf_puts(b, "\n\xE2\x80\x94 ") || /* U+2014 EM DASH */
		    (o->color && perf_buf_puts(b, "\033[1m")) || perf_buf_puts(b, author) ||
		    (o->color && perf_buf_puts(b, "\033[0m")) || perf_buf_printf(b, ", %s\n", when))
			goto nomem;
		if ((rc = render_body(b, r->doc, &r->text, &ro, err)))
			return rc;
	}
	return 0;
nomem:
	return perf_error(err, PERF_ENOMEM, "out of memory");
}

/* ---- output ---- */

static int print_raw(struct perf_ctx *ctx, const char *path)
{
	struct perf_buf b = PERF_BUF_INIT;
	struct perf_error err;
	int rc;

	if ((rc = perf_repo_read(ctx->repo, path, &b, &err)))
		return perf_fail(&err);
	fwrite(perf_buf_cstr(&b), 1, b.len, stdout);
	perf_buf_release(&b);
	return PERF_EXIT_OK;
}

/* A problem perf check would report, said on stderr. */
static void say_problem(void *payload, const char *path, size_t line, size_t col, const char *message)
{
	(void)payload;
	fprintf(stderr, "perf: %s:%zu:%zu: %s\n", path, line, col, message);
}

int perf_show_target(struct perf_ctx *ctx, const char *target, bool raw)
{
	struct perf_error err;
	const struct perf_identity *who = NULL;
	struct perf_render_opts o;
	struct perf_buf out = PERF_BUF_INIT;
	struct show s;
	int rc = PERF_EXIT_OK;

	memset(&s, 0, sizeof(s));
	perf_error_clear(&err);
	/* Your own documents may be named without a handle; others' need none of you. */
	if (perf_repo_identity(ctx->repo, &who, NULL))
		who = NULL;
	if (perf_store_resolve(ctx->repo, NULL, target, who ? who->handle : NULL, &s.t, &err))
		return perf_fail(&err);
	if (raw)
		return print_raw(ctx, s.t.path);

	if (perf_store_load(ctx->repo, NULL, s.t.path, &s.doc, &s.kind, &err)) {
		rc = perf_fail(&err);
		goto out;
	}
	/* What does not follow its kind's schema is not shown as if it did. */
	if (perf_schema_validate(s.kind, s.doc, s.t.path, NULL, say_problem, NULL)) {
		fprintf(stderr,
		        "perf: %s does not follow perf-format(5); fix it (perf check lists every problem), or see "
		        "it as it is with 'perf show --raw %s'\n",
		        s.t.path, s.t.path);
		rc = PERF_EXIT_FAIL;
		goto out;
	}
	if (open_text(ctx->repo, s.doc, who ? who->handle : NULL, false, &s.text, &err) ||
	    load_thread(ctx->repo, &s, &err) || load_agreements(&s, &err)) {
		rc = perf_fail(&err);
		goto out;
	}
	for (size_t i = 0; i < s.nreplies; i++)
		if (open_text(ctx->repo, s.replies[i].doc, who ? who->handle : NULL, true, &s.replies[i].text, &err)) {
			rc = perf_fail(&err);
			goto out;
		}
	/* What commits the team's rules refuse wrote is not shown as the team's word. */
	if (perf_strv_has(&ctx->distrusted, s.t.path))
		perf_strv_push(&s.distrusted, s.t.path);
	for (size_t i = 0; i < s.thread.n; i++)
		if (perf_strv_has(&ctx->distrusted, s.thread.v[i]))
			perf_strv_push(&s.distrusted, s.thread.v[i]);
	if (ctx->json) {
		print_json(&s);
		goto out;
	}
	memset(&o, 0, sizeof(o));
	o.width = perf_terminal_width();
	o.color = ctx->color;
	for (size_t i = 0; i < s.distrusted.n; i++) {
		perf_buf_puts(&out, "NOT VERIFIED: ");
		perf_render_safe(&out, s.distrusted.v[i], strlen(s.distrusted.v[i]));
		perf_buf_puts(&out, " was written by a commit the team's rules refuse (perf verify): it is not the "
		                    "team's word\n");
	}
	if (s.distrusted.n)
		perf_buf_puts(&out, "\n");
	if (render_text(&out, &s, &o, &err)) {
		rc = perf_fail(&err);
		goto out;
	}
	perf_pager_start(ctx);
	fwrite(perf_buf_cstr(&out), 1, out.len, stdout);
	/* perf status stops listing these replies as unseen (a local note only). */
	perf_team_mark_seen(ctx->repo, s.t.path, perf_value_now(), NULL);
out:
	for (size_t i = 0; i < s.nreplies; i++) {
		perf_doc_free(s.replies[i].doc);
		perf_private_buf_wipe(&s.replies[i].text.plain);
	}
	perf_private_buf_wipe(&s.text.plain);
	free(s.replies);
	perf_strv_release(&s.thread);
	perf_strv_release(&s.distrusted);
	perf_strv_release(&s.agreed);
	perf_strv_release(&s.stale);
	perf_doc_free(s.doc);
	perf_buf_release(&out);
	return rc;
}

static int run_show(struct perf_ctx *ctx, int argc, char **argv)
{
	struct perf_optstate st;
	struct show_args a = {0};
	int rc;

	if ((rc = perf_opt_parse(&st, ctx, argc, argv, &a, NULL)) != 0)
		return rc;
	if (st.index >= argc)
		return perf_usage_error(ctx->cmd, "say which document to show");
	if (argc - st.index > 1)
		return perf_usage_error(ctx->cmd, "unexpected argument '%s'", argv[st.index + 1]);
	if (a.raw && ctx->json)
		return perf_usage_error(ctx->cmd, "--raw and --json do not go together");
	return perf_show_target(ctx, argv[st.index], a.raw);
}

const struct perf_cmd perf_cmd_show = {
    .group = PERF_GROUP_WEEK,
    .name = "show",
    .usage = "TARGET [--raw]",
    .summary = "show a document and its replies",
    .opts = show_opts,
    .flags = PERF_CMD_RECORD | PERF_CMD_REPO | PERF_CMD_READS | PERF_CMD_ANYCONFIG,
    .run = run_show,
};
