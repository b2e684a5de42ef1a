/*
 * perf note HANDLE: notes of a 1:1 or group conversation, in
 * notes/<handle>/<date>-<slug>.md, with the actions agreed in it.
 *
 * The people in the conversation write the notes: the note's person and
 * everyone in `with`, which always includes the writer.  Actions are the
 * task items of the body; those still open from earlier notes with the same
 * people are carried forward with their ids, so they stay the same action.
 * Text written in the editor is saved under .git/perf/saved/ whenever it
 * cannot be committed, so it is never lost.
 */
#include "perf.h"
#include "toolkit.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "actions.h"
#include "body.h"
#include "buf.h"
#include "doc.h"
#include "private.h"
#include "schema.h"
#include "store.h"
#include "value.h"

#define MAX_WITH     64
#define MAX_PROBLEMS 8
#define SLUG_MAX     30
#define HEADER_START "<!-- perf:"
#define HEADER_END   "-->"

struct problem {
	size_t line; /* in the body */
	char msg[400];
};

struct note {
	const char *me, *person, *title;
	const char *date_arg; /* --date as typed */
	char with[MAX_WITH][PERF_HANDLE_MAX + 1];
	size_t nwith;
	struct perf_buf with_key;
	char date[11];
	char base[PERF_HANDLE_MAX + 1]; /* the file name's slug, before a -2 */
	const char *text;               /* the notes as written */
	bool edited;                    /* from the editor: carried items are what was left */
	size_t header_lines;            /* the editor's lines above the text */
	size_t body_line;               /* problems: the line the body starts at in the file */
	bool private;                   /* sealed to the readers: the person and everyone with them */
	const char *readers[MAX_WITH + 1];
	size_t nreaders;
	unsigned char (*pks)[PERF_PRIVATE_KEY_BYTES];
	/* Filled by the transaction. */
	char slug[PERF_HANDLE_MAX + 1];
	char path[PERF_SCHEMA_PATH_MAX + 1];
	size_t nactions, ncarried;
	struct problem problems[MAX_PROBLEMS];
	size_t nproblems;
	size_t ndropped; /* task items the parser left out for their problems */
};

#define INTO(member) PERF_OPT_INTO(struct note, member)
static const struct perf_opt note_opts[] = {
    {.name = "message",
     .short_name = 'm',
     .arg = "TEXT",
     .help = "the notes, instead of the editor (repeat for paragraphs)"},
    {.name = "file", .short_name = 'F', .arg = "FILE", .help = "read the notes from FILE ('-': standard input)"},
    {.name = "with",
     .short_name = 'w',
     .arg = "HANDLE",
     .help = "someone else in the conversation (repeatable; or a,b,c)"},
    {.name = "title", .short_name = 't', .arg = "TITLE", .help = "a title; the file's name comes from it", INTO(title)},
    {.name = "date",
     .short_name = 'd',
     .arg = "DATE",
     .help = "the day of the conversation (default: today), YYYY-MM-DD",
     INTO(date_arg)},
    {.name = "private", .help = "encrypt the notes to the people in the conversation (see perf keygen)", INTO(private)},
    {0},
};
#undef INTO

static void add_problem(void *payload, size_t line, const char *message)
{
	struct note *n = payload;

	if (n->nproblems < MAX_PROBLEMS) {
		n->problems[n->nproblems].line = line;
		snprintf(n->problems[n->nproblems].msg, sizeof(n->problems[0].msg), "%s", message);
	}
	n->nproblems++;
}

/* A problem of the parser: its item is left out of the actions. */
static void parse_problem(void *payload, size_t line, const char *message)
{
	struct note *n = payload;

	n->ndropped++;
	add_problem(payload, line, message);
}

static bool in_conversation(const struct note *n, const char *h)
{
	if (!strcmp(h, n->person))
		return true;
	for (size_t i = 0; i < n->nwith; i++)
		if (!strcmp(n->with[i], h))
			return true;
	return false;
}

/* "ari, lena and bo": the people in the conversation, for messages. */
static void people_list(const struct note *n, struct perf_buf *out)
{
	perf_buf_puts(out, n->person);
	for (size_t i = 0; i < n->nwith; i++)
		perf_buf_printf(out, "%s%s", i + 1 == n->nwith ? " and " : ", ", n->with[i]);
}

/* The open actions of earlier notes of the same person with the same people. */
static int carried_actions(struct perf_repo *repo, struct perf_txn *txn, const struct note *n,
                           struct perf_action_refs *all, struct perf_actions *carried, struct perf_error *err)
{
	int rc;

	if ((rc = perf_actions_collect(all, repo, txn, n->person, NULL, NULL, err)))
		return rc;
	for (size_t i = 0; i < all->n; i++) {
		const struct perf_action_ref *r = &all->v[i];
		if (r->a.done || strcmp(r->with, perf_buf_cstr(&n->with_key)))
			continue;
		if ((rc = perf_actions_add(carried, &r->a, err)))
			return rc;
	}
	return 0;
}

/* Appends "## Carried forward" with the given actions. */
static void carried_section(struct perf_buf *body, const struct perf_actions *list, bool prompt)
{
	if (body->len && body->ptr[body->len - 1] != '\n')
		perf_buf_putc(body, '\n');
	if (body->len)
		perf_buf_putc(body, '\n');
	perf_buf_puts(body, "## Carried forward\n");
	if (prompt)
		perf_buf_puts(body, "<!-- Still open from earlier notes with the same people. Tick [x] what is done; "
		                    "a line you delete stays open in its earlier note. -->\n");
	for (size_t i = 0; i < list->n; i++)
		perf_actions_format(body, &list->v[i]);
}

struct taken {
	const struct perf_action_refs *all;
};

static bool id_taken(void *payload, const char *id)
{
	const struct taken *t = payload;

	for (size_t i = 0; i < t->all->n; i++)
		if (!strcmp(t->all->v[i].a.id, id))
			return true;
	return false;
}

static int set_actions(struct perf_doc *doc, const struct perf_actions *items, struct perf_error *err)
{
	struct perf_node *seq = perf_node_new_seq();

	if (!seq)
		return perf_error(err, PERF_ENOMEM, "out of memory");
	for (size_t i = 0; i < items->n; i++) {
		const struct perf_action *a = &items->v[i];
		struct perf_node *m = perf_node_new_map();
		if (!m || perf_node_map_add(m, "id", perf_node_new_raw(a->id)) ||
		    perf_node_map_add(m, "owner", perf_node_new_raw(a->owner)) ||
		    perf_node_map_add(m, "text", perf_node_new_str(a->text)) ||
		    (a->due[0] && perf_node_map_add(m, "due", perf_node_new_raw(a->due))) ||
		    perf_node_map_add(m, "done", perf_node_new_raw(a->done ? "true" : "false")) ||
		    perf_node_seq_add(seq, m)) {
			perf_node_free(seq);
			return perf_error(err, PERF_ENOMEM, "out of memory");
		}
	}
	return perf_doc_set_node(doc, "actions", seq, err);
}

static int set_with(struct perf_doc *doc, const struct note *n, struct perf_error *err)
{
	struct perf_node *seq = perf_node_new_seq();

	if (!seq)
		return perf_error(err, PERF_ENOMEM, "out of memory");
	for (size_t i = 0; i < n->nwith; i++)
		if (perf_node_seq_add(seq, perf_node_new_raw(n->with[i]))) {
			perf_node_free(seq);
			return perf_error(err, PERF_ENOMEM, "out of memory");
		}
	return perf_doc_set_node(doc, "with", seq, err);
}

/* The first problems as one message, each line "path:line: message". */
static int report_problems(struct note *n, size_t body_line, struct perf_error *err)
{
	struct perf_buf b = PERF_BUF_INIT;
	size_t kept = n->nproblems < MAX_PROBLEMS ? n->nproblems : MAX_PROBLEMS;

	/* In the order of the lines, whichever check found them. */
	for (size_t i = 1; i < kept; i++)
		for (size_t j = i; j > 0 && n->problems[j - 1].line > n->problems[j].line; j--) {
			struct problem t = n->problems[j];
			n->problems[j] = n->problems[j - 1];
			n->problems[j - 1] = t;
		}

	for (size_t i = 0; i < n->nproblems && i < MAX_PROBLEMS; i++)
		perf_buf_printf(&b, "%s%s:%zu: %s", i ? "\nperf: " : "", n->path, body_line + n->problems[i].line - 1,
		                n->problems[i].msg);
	if (n->nproblems > MAX_PROBLEMS)
		perf_buf_printf(&b, "\nperf: ... and %zu more", n->nproblems - MAX_PROBLEMS);
	perf_error(err, PERF_EINVALID, "%s", perf_buf_cstr(&b));
	perf_buf_release(&b);
	return PERF_EINVALID;
}

static int note_txn(struct perf_txn *txn, void *payload, struct perf_error *err)
{
	struct note *n = payload;
	struct perf_repo *repo = perf_txn_repo(txn);
	const struct perf_schema_kind *kind = perf_schema_kind("note");
	struct perf_action_refs all = PERF_ACTION_REFS_INIT;
	struct perf_actions carried = PERF_ACTIONS_INIT, items = PERF_ACTIONS_INIT;
	struct perf_buf body = PERF_BUF_INIT, who = PERF_BUF_INIT;
	struct perf_doc *doc = NULL;
	bool *claimed = NULL;
	struct taken t;
	int rc, k;

	n->nproblems = n->ndropped = n->nactions = n->ncarried = 0;
	if ((rc = perf_store_require_person(repo, txn, n->person, err)))
		goto out;
	for (size_t i = 0; i < n->nwith; i++)
		if ((rc = perf_store_require_person(repo, txn, n->with[i], err)))
			goto out;

	/* A free name for the day: <date>-<slug>, then -2, -3 ... */
	for (k = 1; k < 100; k++) {
		char slug[64];
		if (k == 1)
			snprintf(slug, sizeof(slug), "%s", n->base);
		else
			snprintf(slug, sizeof(slug), "%s-%d", n->base, k);
		if (strlen(slug) >= sizeof(n->slug)) {
			k = 100;
			break;
		}
		memcpy(n->slug, slug, strlen(slug) + 1);
		snprintf(n->path, sizeof(n->path), "notes/%s/%s-%s.md", n->person, n->date, n->slug);
		if (!perf_txn_exists(txn, n->path))
			break;
	}
	if (k == 100) {
		rc = perf_error(err, PERF_EEXISTS, "%s has 99 notes called '%s' on %s; give another --title", n->person,
		                n->base, n->date);
		goto out;
	}

	if (n->private) {
		/* Its words, task items too, are for its readers only: no actions are tracked from it. */
		if ((rc = perf_private_reader_keys(repo, txn, n->readers, n->nreaders, n->pks, err)) ||
		    (rc = perf_buf_puts(&body, n->text)))
			goto out;
		if (body.len && body.ptr[body.len - 1] != '\n' && perf_buf_putc(&body, '\n'))
			goto nomem;
		if ((rc = perf_doc_new(&doc, n->path, err)) || (rc = perf_doc_set_str(doc, "kind", "note", err)) ||
		    (rc = perf_doc_set_raw(doc, "person", n->person, err)) ||
		    (rc = perf_doc_set_raw(doc, "date", n->date, err)) ||
		    (n->title && (rc = perf_doc_set_str(doc, "title", n->title, err))) ||
		    (rc = set_with(doc, n, err)) ||
		    (rc = perf_private_seal_doc(doc, n->me, n->readers, n->nreaders,
		                                (const unsigned char(*)[PERF_PRIVATE_KEY_BYTES])n->pks, body.ptr,
		                                body.len, err)) ||
		    (rc = perf_store_put(txn, kind, doc, n->path, err)))
			goto out;
		goto message;
	}
	if ((rc = carried_actions(repo, txn, n, &all, &carried, err)))
		goto out;
	if ((rc = perf_buf_puts(&body, n->text)))
		goto nomem;
	if (!n->edited && carried.n) {
		/* Carried actions not already in the text go at the end, as they stand. */
		struct perf_actions left = PERF_ACTIONS_INIT;
		if ((rc = perf_actions_parse(&items, body.ptr, body.len, n->person, NULL, NULL, NULL, err)))
			goto out;
		for (size_t i = 0; i < carried.n; i++) {
			bool found = false;
			for (size_t j = 0; j < items.n && !found; j++)
				found = !strcmp(items.v[j].text, carried.v[i].text);
			if (!found && (rc = perf_actions_add(&left, &carried.v[i], err))) {
				perf_actions_release(&left);
				goto out;
			}
		}
		if (left.n)
			carried_section(&body, &left, false);
		perf_actions_release(&left);
		perf_actions_release(&items);
	}
	if (body.len && body.ptr[body.len - 1] != '\n' && perf_buf_putc(&body, '\n'))
		goto nomem;

	if ((rc = perf_actions_parse(&items, body.ptr, body.len, n->person, parse_problem, n, NULL, err)))
		goto out;
	/* Only the people in the conversation can take on its actions. */
	people_list(n, &who);
	for (size_t i = 0; i < items.n; i++) {
		if (in_conversation(n, items.v[i].owner))
			continue;
		char msg[400];
		snprintf(msg, sizeof(msg),
		         "@%s was not in this conversation (%s); add them with --with %s, or give the action to "
		         "someone who was",
		         items.v[i].owner, perf_buf_cstr(&who), items.v[i].owner);
		add_problem(n, items.v[i].line, msg);
	}
	/* Carried actions keep their ids: matched by their text. */
	claimed = calloc(carried.n + 1, sizeof(*claimed));
	if (!claimed)
		goto nomem;
	for (size_t i = 0; i < items.n; i++) {
		for (size_t j = 0; j < carried.n; j++) {
			if (claimed[j] || strcmp(items.v[i].text, carried.v[j].text))
				continue;
			claimed[j] = true;
			memcpy(items.v[i].id, carried.v[j].id, sizeof(items.v[i].id));
			n->ncarried++;
			break;
		}
	}
	t.all = &all;
	if ((rc = perf_actions_assign_ids(&items, id_taken, &t, err)))
		goto out;
	n->nactions = items.n;

	if ((rc = perf_doc_new(&doc, n->path, err)) || (rc = perf_doc_set_str(doc, "kind", "note", err)) ||
	    (rc = perf_doc_set_raw(doc, "person", n->person, err)) ||
	    (rc = perf_doc_set_raw(doc, "date", n->date, err)) ||
	    (n->title && (rc = perf_doc_set_str(doc, "title", n->title, err))) || (rc = set_with(doc, n, err)) ||
	    (items.n && (rc = set_actions(doc, &items, err))) || (rc = perf_doc_set_body(doc, body.ptr, body.len, err)))
		goto out;
	if (n->nproblems) {
		/* Lines as in the note that would be written were each item left out kept, without a date. */
		struct perf_action stand_in;
		memset(&stand_in, 0, sizeof(stand_in));
		snprintf(stand_in.id, sizeof(stand_in.id), "x");
		snprintf(stand_in.owner, sizeof(stand_in.owner), "%s", n->person);
		stand_in.text = (char *)"x";
		for (size_t i = 0; i < n->ndropped; i++)
			if ((rc = perf_actions_add(&items, &stand_in, err)))
				goto out;
		if (n->ndropped && (rc = set_actions(doc, &items, err)))
			goto out;
		n->body_line = perf_doc_body_line(doc);
		rc = report_problems(n, n->body_line, err);
		goto out;
	}
	if ((rc = perf_store_put(txn, kind, doc, n->path, err)))
		goto out;
message:
	who.len = 0;
	for (size_t i = 0; i < n->nwith; i++)
		perf_buf_printf(&who, "%s%s", i ? ", " : "", n->with[i]);
	if ((rc = perf_txn_subject(txn, err, "note: %s %s-%s with %s", n->person, n->date, n->slug,
	                           perf_buf_cstr(&who))) ||
	    (rc = perf_txn_trailer(txn, "Perf-Kind", "note", err)) ||
	    (rc = perf_txn_trailer(txn, "Perf-Path", n->path, err)))
		goto out;
	goto out;
nomem:
	rc = perf_error(err, PERF_ENOMEM, "out of memory");
out:
	free(claimed);
	perf_doc_free(doc);
	perf_buf_release(&body);
	perf_buf_release(&who);
	perf_actions_release(&items);
	perf_actions_release(&carried);
	perf_action_refs_release(&all);
	return rc;
}

/* The file the editor opens: a note saying whose notes these are, the
 * template, and the actions carried forward. */
static int editor_text(struct perf_ctx *ctx, const struct note *n, struct perf_buf *out, struct perf_error *err)
{
	struct perf_action_refs all = PERF_ACTION_REFS_INIT;
	struct perf_actions carried = PERF_ACTIONS_INIT;
	struct perf_buf who = PERF_BUF_INIT;
	char *tpl = NULL;
	int rc;

	if ((rc = perf_store_template(ctx->repo, NULL, "note", &tpl, err)) ||
	    (!n->private && (rc = carried_actions(ctx->repo, NULL, n, &all, &carried, err))))
		goto out;
	people_list(n, &who);
	perf_buf_printf(out,
	                HEADER_START " notes of %s (%s) on %s. Actions are task items like\n"
	                             "  - [ ] @handle what to do, by YYYY-MM-DD\n"
	                             "and belong to someone in the conversation. An empty or unchanged note writes "
	                             "nothing.",
	                n->person, perf_buf_cstr(&who), n->date);
	if (n->private)
		perf_buf_printf(out,
		                "\nPrivate: only %s can read these words, task items included, so no actions are "
		                "tracked from them. The title stays readable.",
		                perf_buf_cstr(&who));
	perf_buf_puts(out, " " HEADER_END "\n");
	perf_buf_puts(out, tpl);
	if (carried.n)
		carried_section(out, &carried, true);
out:
	free(tpl);
	perf_buf_release(&who);
	perf_actions_release(&carried);
	perf_action_refs_release(&all);
	return rc;
}

static int cmp_handle(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

/* Adds a --with value: one handle or several separated by commas. */
static int add_with(struct perf_ctx *ctx, struct note *n, const char *arg)
{
	const char *p = arg;

	while (*p) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		char h[PERF_HANDLE_MAX + 2];
		struct perf_error err;

		if (len == 0 || len > PERF_HANDLE_MAX)
			return perf_usage_error(ctx->cmd, "--with '%s': handles are 1 to %d characters", arg,
			                        PERF_HANDLE_MAX);
		memcpy(h, p, len);
		h[len] = '\0';
		if (h[0] == '@')
			memmove(h, h + 1, len);
		if (perf_value_check_handle(h, "handle", &err))
			return perf_usage_error(ctx->cmd, "--with: %s", err.msg);
		bool dup = false;
		for (size_t i = 0; i < n->nwith; i++)
			dup = dup || !strcmp(n->with[i], h);
		if (!dup) {
			if (n->nwith == MAX_WITH)
				return perf_usage_error(ctx->cmd, "at most %d people in one note", MAX_WITH);
			memcpy(n->with[n->nwith++], h, strlen(h) + 1);
		}
		p = comma ? comma + 1 : p + len;
	}
	return 0;
}

static int run_note(struct perf_ctx *ctx, int argc, char **argv)
{
	struct perf_optstate st;
	struct perf_error err;
	struct note n;
	struct perf_message msg = PERF_MESSAGE_INIT("the notes");
	struct perf_buf initial = PERF_BUF_INIT;
	const char *arg;
	int c, rc = PERF_EXIT_FAIL;

	memset(&n, 0, sizeof(n));
	perf_error_clear(&err);
	perf_opt_init(&st, ctx->cmd, argc, argv);
	perf_opt_message(&st, &msg);
	perf_opt_bind(&st, &n);
	while ((c = perf_opt_next(&st, &arg)) != -1) {
		switch (c) {
		case 'w':
			if ((rc = add_with(ctx, &n, arg)))
				goto out;
			break;
		default:
			rc = PERF_EXIT_USAGE;
			goto out;
		}
	}
	rc = PERF_EXIT_USAGE;
	if (st.index >= argc) {
		perf_usage_error(ctx->cmd, "whose notes? give the HANDLE of the person they are about");
		goto out;
	}
	if (st.index + 1 < argc) {
		perf_usage_error(ctx->cmd, "unexpected argument '%s' (quote the title, or use --with for more people)",
		                 argv[st.index + 1]);
		goto out;
	}
	n.person = argv[st.index];
	if (n.person[0] == '@')
		n.person++;
	if (perf_value_check_handle(n.person, "handle", &err)) {
		perf_usage_error(ctx->cmd, "%s", err.msg);
		goto out;
	}
	if (perf_message_check(&msg, ctx->cmd))
		goto out;
	if (n.title && (!*n.title || strchr(n.title, '\n'))) {
		perf_usage_error(ctx->cmd, "the title must be one non-empty line");
		goto out;
	}
	if (n.date_arg) {
		if (perf_value_parse_date(n.date_arg, NULL, NULL, NULL, &err)) {
			perf_usage_error(ctx->cmd, "--date: %s", err.msg);
			goto out;
		}
		snprintf(n.date, sizeof(n.date), "%s", n.date_arg);
	} else {
		perf_value_format_date(perf_value_now(), n.date);
	}
	rc = PERF_EXIT_FAIL;
	if (perf_repo_require_handle(ctx->repo, &n.me, &err)) {
		rc = perf_fail(&err);
		goto out;
	}
	/* The writer is in the conversation; the person is not "with" themselves. */
	if (strcmp(n.me, n.person) && (rc = add_with(ctx, &n, n.me)))
		goto out;
	for (size_t i = 0; i < n.nwith; i++)
		if (!strcmp(n.with[i], n.person)) {
			memmove(n.with[i], n.with[i + 1], (n.nwith - i - 1) * sizeof(n.with[0]));
			n.nwith--;
			break;
		}
	if (!n.nwith) {
		rc = perf_usage_error(ctx->cmd, "who was the conversation with? add --with HANDLE");
		goto out;
	}
	qsort(n.with, n.nwith, sizeof(n.with[0]), cmp_handle);
	for (size_t i = 0; i < n.nwith; i++)
		perf_buf_printf(&n.with_key, "%s%s", i ? "," : "", n.with[i]);
	if (n.title) {
		if (perf_value_slug(n.title, SLUG_MAX, PERF_SLUG_ANY_SCRIPT, n.base, &err)) {
			rc = perf_usage_error(ctx->cmd, "--title: %s", err.msg);
			goto out;
		}
	} else {
		snprintf(n.base, sizeof(n.base), "%s", n.nwith == 1 ? "1-1" : "group");
	}
	rc = PERF_EXIT_FAIL;
	/* Check the people before anyone writes a word. */
	if (perf_store_require_person(ctx->repo, NULL, n.person, &err)) {
		rc = perf_fail(&err);
		goto out;
	}
	for (size_t i = 0; i < n.nwith; i++)
		if (perf_store_require_person(ctx->repo, NULL, n.with[i], &err)) {
			rc = perf_fail(&err);
			goto out;
		}
	if (n.private) {
		/* The readers are the people in the conversation; each needs a published key. */
		n.readers[n.nreaders++] = n.person;
		for (size_t i = 0; i < n.nwith; i++)
			n.readers[n.nreaders++] = n.with[i];
		n.pks = calloc(n.nreaders, sizeof(*n.pks));
		if (!n.pks)
			goto nomem;
		if (perf_private_reader_keys(ctx->repo, NULL, n.readers, n.nreaders, n.pks, &err)) {
			rc = perf_fail(&err);
			goto out;
		}
	}

	if ((perf_message_from_editor(&msg) && editor_text(ctx, &n, &initial, &err)) ||
	    perf_message_get(ctx, &msg, perf_buf_cstr(&initial), ".md", &err)) {
		rc = perf_fail(&err);
		goto out;
	}
	if (msg.file && memchr(perf_buf_cstr(&msg.text), '\0', msg.text.len)) {
		perf_error(&err, PERF_EINVALID, "'%s' has a NUL byte; a note is text", msg.file);
		rc = perf_fail(&err);
		goto out;
	}
	if (msg.edited) {
		struct perf_buf shown = PERF_BUF_INIT;
		bool empty;
		n.header_lines = perf_strip_lead(&msg.text, HEADER_START, HEADER_END);
		perf_buf_puts(&shown, perf_buf_cstr(&initial));
		perf_strip_lead(&shown, HEADER_START, HEADER_END);
		empty = !strcmp(perf_buf_cstr(&msg.text), perf_buf_cstr(&shown)) ||
		        !perf_body_has_words(perf_buf_cstr(&msg.text), msg.text.len);
		perf_buf_release(&shown);
		if (empty) {
			fprintf(stderr, "perf: empty or unchanged note; nothing written\n");
			goto out;
		}
		n.edited = true;
	}
	if (!n.edited && !perf_body_has_words(perf_buf_cstr(&msg.text), msg.text.len)) {
		fprintf(stderr, "perf: empty note; nothing written\n");
		goto out;
	}
	n.text = perf_buf_cstr(&msg.text);
	perf_note_repo(ctx);
	if (perf_repo_write(ctx->repo, note_txn, &n, NULL, &err)) {
		if (n.edited && n.body_line)
			perf_edit_error(&err, n.path, (long)n.header_lines - (long)(n.body_line - 1));
		rc = perf_fail(&err);
		if (n.edited) {
			perf_keep_text(ctx->repo, "note", n.person, n.text, strlen(n.text), false,
			               "perf note %s --with %s", n.person, perf_buf_cstr(&n.with_key));
		}
		goto out;
	}
	printf("note: %s %s-%s with ", n.person, n.date, n.slug);
	for (size_t i = 0; i < n.nwith; i++)
		printf("%s%s", i ? ", " : "", n.with[i]);
	printf(" (%s)", n.path);
	if (n.private) {
		printf(" · private to");
		for (size_t i = 0; i < n.nreaders; i++)
			printf("%s %s", i ? "," : "", n.readers[i]);
	}
	if (n.nactions)
		printf(" · %zu action%s", n.nactions, n.nactions == 1 ? "" : "s");
	if (n.ncarried)
		printf(", %zu carried forward", n.ncarried);
	printf("\n");
	rc = PERF_EXIT_OK;
	goto out;
nomem:
	fprintf(stderr, "perf: out of memory\n");
	rc = PERF_EXIT_FAIL;
out:
	perf_message_release(&msg);
	perf_buf_release(&initial);
	perf_buf_release(&n.with_key);
	free(n.pks);
	return rc;
}

const struct perf_cmd perf_cmd_note = {
    .group = PERF_GROUP_WEEK,
    .name = "note",
    .usage = "HANDLE [-m TEXT | -F FILE] [--with HANDLE]... [--title TITLE] [--date DATE] [--private]",
    .summary = "write the notes of a 1:1 or group conversation, with its actions",
    .opts = note_opts,
    .flags = PERF_CMD_REPO | PERF_CMD_WRITES,
    .run = run_note,
};
