/*
 * perf ask, perf give, perf feedback: feedback on demand.
 *
 * A person asks colleagues for feedback on a topic they choose, when they
 * choose: feedback/<handle>/<id>.md, with a random id (never a count, which
 * would collide across clones).  Each answer is a reply in the request's
 * thread, one file per person, committed under the answerer's name: feedback
 * in perf is never anonymous.  `perf feedback` shows what you asked, what
 * waits for you and what you received.
 */
#include "perf.h"
#include "toolkit.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "areas.h"
#include "body.h"
#include "buf.h"
#include "doc.h"
#include "private.h"
#include "render.h"
#include "schema.h"
#include "store.h"
#include "utf8.h"
#include "value.h"

/* Crockford's base32, lowercase: no i, l, o, u to misread. */
static const char id_alphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";
#define ID_LEN 7 /* fb-xxxx */
/* The template section the --about text fills. */
#define ABOUT_HEADING "What I would like feedback on"
/* Lines of the request quoted in the editor, at most. */
#define QUOTE_LINES 40
/* Answers shown under "Answers received", newest first. */
#define RECENT_ANSWERS 10

/* ---- shared ------------------------------------------------------------- */

static int nomem(struct perf_error *err)
{
	return perf_error(err, PERF_ENOMEM, "out of memory");
}

/* "fb-" and four random characters of id_alphabet. */
static int random_id(char out[ID_LEN + 1], struct perf_error *err)
{
	unsigned char r[4];
	size_t got = 0;

	while (got < sizeof(r)) {
		ssize_t n = getrandom(r + got, sizeof(r) - got, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	if (got < sizeof(r)) {
		int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
		ssize_t n = fd >= 0 ? read(fd, r, sizeof(r)) : -1;
		if (fd >= 0)
			close(fd);
		if (n != (ssize_t)sizeof(r))
			return perf_error_sys(err, "cannot read random bytes for a request id");
	}
	memcpy(out, "fb-", 3);
	for (size_t i = 0; i < sizeof(r); i++)
		out[3 + i] = id_alphabet[r[i] & 31];
	out[ID_LEN] = '\0';
	return 0;
}

/* The handles a request asked, in its order. */
static int asked_of(const struct perf_doc *req, struct perf_strv *out, struct perf_error *err)
{
	const struct perf_node *l = perf_doc_get(req, "asked");

	for (size_t i = 0; l && l->type == PERF_NODE_SEQ && i < l->n; i++) {
		const struct perf_node *n = l->values[i];
		if (n->type == PERF_NODE_SCALAR && perf_value_is_handle(n->text) && !perf_strv_has(out, n->text) &&
		    perf_strv_push(out, n->text))
			return nomem(err);
	}
	return 0;
}

static bool asked_has(const struct perf_doc *req, const char *who)
{
	const struct perf_node *l = perf_doc_get(req, "asked");

	for (size_t i = 0; l && l->type == PERF_NODE_SEQ && i < l->n; i++)
		if (l->values[i]->type == PERF_NODE_SCALAR && !strcmp(l->values[i]->text, who))
			return true;
	return false;
}

static int join_names(struct perf_buf *b, const struct perf_strv *sv)
{
	for (size_t i = 0; i < sv->n; i++)
		if (perf_buf_printf(b, "%s%s", i ? ", " : "", sv->v[i]))
			return PERF_ENOMEM;
	return 0;
}

/* The request as people type it: lena/fb-3k9x. */
static void short_name(const struct perf_target *t, char *out, size_t size)
{
	snprintf(out, size, "%s/%s", t->match.handle, t->match.slug);
}

/* The latest reply by who in the thread of path, into out (empty when none). */
static int answer_of(struct perf_repo *repo, struct perf_txn *txn, const char *path, const char *who, char *out,
                     struct perf_error *err)
{
	struct perf_strv thread = PERF_STRV_INIT;
	int rc;

	out[0] = '\0';
	if ((rc = perf_store_thread(repo, txn, path, &thread, err)))
		return rc;
	for (size_t i = 0; i < thread.n; i++) {
		struct perf_schema_match m;
		if (perf_schema_match_path(&m, thread.v[i], NULL) == 0 && !strcmp(m.author, who))
			snprintf(out, PERF_SCHEMA_PATH_MAX + 1, "%s", thread.v[i]);
	}
	perf_strv_release(&thread);
	return 0;
}

/* Text that cannot close the HTML comment it is quoted in. */
static int put_quoted(struct perf_buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '-' && i + 2 < n && s[i + 1] == '-' && s[i + 2] == '>') {
			if (perf_buf_puts(b, "- ->"))
				return PERF_ENOMEM;
			i += 2;
		} else if (perf_buf_putc(b, s[i])) {
			return PERF_ENOMEM;
		}
	}
	return 0;
}

/* At most max bytes of s, cut at a character boundary, with "..." when cut. */
static void clip(struct perf_buf *out, const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n <= max) {
		perf_render_safe(out, s, n);
		return;
	}
	max = perf_utf8_cut(s, max);
	perf_render_safe(out, s, max);
	perf_buf_puts(out, "...");
}

/* Keeps text written in the editor that could not be committed. */
/* ---- finding a request ---------------------------------------------------- */

#define FIND_MINE      1u /* requests I made */
#define FIND_ADDRESSED 2u /* requests that asked me */

struct dirs {
	struct perf_strv *out;
	int rc;
};

static int collect_dir(const char *name, bool is_dir, void *payload)
{
	struct dirs *d = payload;

	if (is_dir && perf_value_is_handle(name) && perf_strv_push(d->out, name)) {
		d->rc = PERF_ENOMEM;
		return 1;
	}
	return 0;
}

/* The handles with a folder under feedback/ in HEAD, sorted. */
static int feedback_people(struct perf_repo *repo, struct perf_strv *out, struct perf_error *err)
{
	struct dirs d = {out, 0};
	int rc;

	if ((rc = perf_repo_list(repo, "feedback", collect_dir, &d, err)))
		return rc;
	if (d.rc)
		return nomem(err);
	perf_strv_sort(out);
	return 0;
}

/*
 * Finds a request by its id or a prefix of it, across every person's
 * requests.  Those that `which` selects win; when none does, any match
 * will do, so the caller can say why it is not yours to answer.
 */
static int search_request(struct perf_repo *repo, const char *me, const char *id, unsigned which,
                          struct perf_target *out, struct perf_error *err)
{
	struct perf_strv people = PERF_STRV_INIT, fits = PERF_STRV_INIT, others = PERF_STRV_INIT;
	struct perf_strv exact_fits = PERF_STRV_INIT, exact_others = PERF_STRV_INIT, ids = PERF_STRV_INIT;
	struct perf_buf list = PERF_BUF_INIT;
	struct perf_strv *hits;
	const char *near;
	size_t n = strlen(id);
	int rc;

	if (!perf_value_is_handle(id))
		return perf_error(err, PERF_EINVALID,
		                  "'%s' is not a feedback request: give its id (fb-3k9x), HANDLE/ID or a path", id);
	if ((rc = feedback_people(repo, &people, err)))
		goto out;
	for (size_t i = 0; i < people.n; i++) {
		struct perf_strv names = PERF_STRV_INIT;
		char dir[PERF_HANDLE_MAX + 16];
		snprintf(dir, sizeof(dir), "feedback/%s", people.v[i]);
		if ((rc = perf_store_list(repo, NULL, dir, &names, err)))
			goto out;
		for (size_t k = 0; k < names.n && !rc; k++) {
			char path[PERF_SCHEMA_PATH_MAX + 1];
			struct perf_doc *doc = NULL;
			bool fit = false, exact = !strcmp(names.v[k], id);
			if (perf_strv_push(&ids, names.v[k]))
				rc = nomem(err);
			if (strncmp(names.v[k], id, n))
				continue;
			snprintf(path, sizeof(path), "%s/%s.md", dir, names.v[k]);
			if (me && !strcmp(people.v[i], me)) {
				fit = which & FIND_MINE;
			} else if (me && (which & FIND_ADDRESSED) &&
			           perf_store_load(repo, NULL, path, &doc, NULL, NULL) == 0) {
				fit = asked_has(doc, me);
				perf_doc_free(doc);
			}
			if (perf_strv_push(fit ? &fits : &others, path) ||
			    (exact && perf_strv_push(fit ? &exact_fits : &exact_others, path)))
				rc = nomem(err);
		}
		perf_strv_release(&names);
		if (rc)
			goto out;
	}
	hits = exact_fits.n ? &exact_fits : fits.n ? &fits : exact_others.n ? &exact_others : &others;
	if (hits->n == 0) {
		perf_strv_closest(&ids, id, &near);
		rc = near ? perf_error(
		                err, PERF_ENOTFOUND,
		                "no feedback request '%s' (no id under feedback/ starts with it); did you mean '%s'?",
		                id, near)
		          : perf_error(
		                err, PERF_ENOTFOUND,
		                "no feedback request '%s' (no id under feedback/ starts with it); see 'perf feedback'",
		                id);
		goto out;
	}
	if (hits->n > 1) {
		for (size_t i = 0; i < hits->n && i < 10; i++) {
			struct perf_doc *doc = NULL;
			const char *about = NULL;
			if (perf_store_load(repo, NULL, hits->v[i], &doc, NULL, NULL) == 0)
				about = perf_doc_str(doc, "about");
			perf_buf_printf(&list, "\n  %s", hits->v[i]);
			if (about) {
				perf_buf_puts(&list, "  \"");
				clip(&list, about, 60);
				perf_buf_puts(&list, "\"");
			}
			perf_doc_free(doc);
		}
		if (hits->n > 10)
			perf_buf_printf(&list, "\n  ... and %zu more", hits->n - 10);
		rc = perf_error(
		    err, PERF_EAMBIGUOUS,
		    "feedback request '%s' is ambiguous; it could be:%s\nname one by its whole id or as HANDLE/ID", id,
		    perf_buf_cstr(&list));
		goto out;
	}
	rc = perf_store_resolve(repo, NULL, hits->v[0], me, out, err);
out:
	perf_strv_release(&people);
	perf_strv_release(&fits);
	perf_strv_release(&others);
	perf_strv_release(&exact_fits);
	perf_strv_release(&exact_others);
	perf_strv_release(&ids);
	perf_buf_release(&list);
	return rc;
}

/*
 * A request as people type it: feedback:lena/fb-3k9x, a path (with or
 * without .md), lena/fb-3k9x, or an id or its prefix (searched).
 */
static int resolve_request(struct perf_repo *repo, const char *typed, const char *me, unsigned which,
                           struct perf_target *t, struct perf_error *err)
{
	char buf[PERF_SCHEMA_PATH_MAX + 16];
	int rc;

	if (strchr(typed, ':') || !strncmp(typed, "feedback/", 9))
		snprintf(buf, sizeof(buf), "%s", typed);
	else if (strchr(typed, '/'))
		snprintf(buf, sizeof(buf), "feedback:%s", typed);
	else
		return search_request(repo, me, typed, which, t, err);
	if ((rc = perf_store_resolve(repo, NULL, buf, me, t, err)))
		return rc;
	if (t->match.kind != perf_schema_kind("feedback"))
		return perf_error(err, PERF_EINVALID, "'%s' is not a feedback request (%s is %s %s)", typed, t->path,
		                  t->match.kind && strchr("aeiou", t->match.kind->name[0]) ? "an" : "a",
		                  t->match.kind ? t->match.kind->name : "document");
	return 0;
}

/* ---- perf ask --------------------------------------------------------------- */

struct ask {
	const char *me, *about, *due, *area, *goal;
	char area_key[PERF_HANDLE_MAX + 1];
	char **who;
	int nwho;
	struct perf_buf names; /* "ari, bo" */
	char id[ID_LEN + 1];
	char path[PERF_SCHEMA_PATH_MAX + 1];
	char created[21];
};

#define INTO(member) PERF_OPT_INTO(struct ask, member)
static const struct perf_opt ask_opts[] = {
    {.name = "about",
     .short_name = 'a',
     .arg = "TEXT",
     .help = "what you would like feedback on, in a line",
     INTO(about)},
    {.name = "due", .short_name = 'd', .arg = "DATE", .help = "when you would like answers by (YYYY-MM-DD)", INTO(due)},
    {.name = "area",
     .arg = "AREA",
     .help = "the strength or area for development of your expectations it is about (answers inherit it)",
     INTO(area)},
    {.name = "goal", .arg = "ID", .help = "the goal of yours it is about (answers inherit it)", INTO(goal)},
    {0},
};
#undef INTO

/* True when body has a "## heading" line (case-insensitive). */
static bool has_heading(const char *body, const char *heading)
{
	size_t hl = strlen(heading);

	for (const char *p = body; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		while (n > 3 && (p[n - 1] == ' ' || p[n - 1] == '\r'))
			n--;
		if (n == hl + 3 && !strncmp(p, "## ", 3) && !strncasecmp(p + 3, heading, hl))
			return true;
	}
	return false;
}

/* The request's body: the team's template with the topic in its first section. */
static int ask_body(struct perf_txn *txn, const char *about, struct perf_buf *body, struct perf_error *err)
{
	char *tpl = NULL;
	int rc;

	if ((rc = perf_store_template(perf_txn_repo(txn), txn, "feedback", &tpl, err)))
		return rc;
	body->len = 0;
	if (has_heading(tpl, ABOUT_HEADING)) {
		if (perf_buf_puts(body, tpl) || perf_body_set_section(body, ABOUT_HEADING, about))
			rc = nomem(err);
	} else if (perf_body_has_words(tpl, strlen(tpl)) || strchr(tpl, '#')) {
		if (perf_buf_printf(body, "%s\n\n%s", about, tpl))
			rc = nomem(err);
	} else if (perf_buf_printf(body, "%s\n", about)) {
		rc = nomem(err);
	}
	free(tpl);
	return rc;
}

static int ask_txn(struct perf_txn *txn, void *payload, struct perf_error *err)
{
	struct ask *a = payload;
	struct perf_repo *repo = perf_txn_repo(txn);
	struct perf_buf body = PERF_BUF_INIT;
	struct perf_doc *doc = NULL;
	struct perf_node *seq = NULL;
	int rc, tries;

	for (int i = 0; i < a->nwho; i++)
		if ((rc = perf_store_require_person(repo, txn, a->who[i], err)))
			return rc;
	if (a->area && (rc = perf_areas_key(repo, txn, a->me, a->area, a->area_key, err)))
		return rc;
	if (a->goal) {
		char goal[PERF_SCHEMA_PATH_MAX + 1];
		snprintf(goal, sizeof(goal), "goals/%s/%s.md", a->me, a->goal);
		if (!perf_txn_exists(txn, goal))
			return perf_error(err, PERF_ENOTFOUND, "you have no goal '%s' (no %s); see 'perf goal list'",
			                  a->goal, goal);
	}
	/* Ids are random, so two clones never pick the same one by counting; check anyway. */
	for (tries = 0; tries < 64; tries++) {
		struct perf_strv thread = PERF_STRV_INIT;
		char dir[PERF_SCHEMA_PATH_MAX + 1];
		bool taken;
		if ((rc = random_id(a->id, err)))
			return rc;
		snprintf(a->path, sizeof(a->path), "feedback/%s/%s.md", a->me, a->id);
		snprintf(dir, sizeof(dir), "feedback/%s/%s", a->me, a->id);
		taken = perf_txn_exists(txn, a->path) ||
		        (perf_store_list(repo, txn, dir, &thread, NULL) == 0 && thread.n > 0);
		perf_strv_release(&thread);
		if (!taken)
			break;
	}
	if (tries == 64)
		return perf_error(err, PERF_EEXISTS, "cannot find a free request id under feedback/%s/", a->me);
	perf_value_format_time(perf_value_now(), a->created);
	if ((rc = ask_body(txn, a->about, &body, err)) || (rc = perf_doc_new(&doc, a->path, err)))
		goto out;
	if (!(seq = perf_node_new_seq())) {
		rc = nomem(err);
		goto out;
	}
	for (int i = 0; i < a->nwho; i++)
		if (perf_node_seq_add(seq, perf_node_new_str(a->who[i]))) {
			perf_node_free(seq);
			rc = nomem(err);
			goto out;
		}
	if ((rc = perf_doc_set_str(doc, "kind", "feedback", err)) ||
	    (rc = perf_doc_set_str(doc, "person", a->me, err)) ||
	    (rc = perf_doc_set_str(doc, "about", a->about, err)) || (rc = perf_doc_set_node(doc, "asked", seq, err)) ||
	    (a->due && (rc = perf_doc_set_raw(doc, "due", a->due, err))) ||
	    (rc = perf_doc_set_raw(doc, "created", a->created, err)) ||
	    (a->area_key[0] && (rc = perf_doc_set_str(doc, "area", a->area_key, err))) ||
	    (a->goal && (rc = perf_doc_set_str(doc, "goal", a->goal, err))) ||
	    (rc = perf_doc_set_body(doc, body.ptr, body.len, err)) ||
	    (rc = perf_store_put(txn, perf_schema_kind("feedback"), doc, a->path, err)))
		goto out;
	if ((rc = perf_txn_subject(txn, err, "feedback: %s asked %s about \"%s\"", a->me, a->names.ptr, a->about)) ||
	    (rc = perf_txn_trailer(txn, "Perf-Kind", "feedback", err)) ||
	    (rc = perf_txn_trailer(txn, "Perf-Path", a->path, err)) ||
	    (rc = perf_txn_trailer(txn, "Perf-Asked", a->names.ptr, err)))
		goto out;
out:
	perf_buf_release(&body);
	perf_doc_free(doc);
	return rc;
}

static int run_ask(struct perf_ctx *ctx, int argc, char **argv)
{
	struct perf_optstate st;
	struct perf_error err;
	struct ask a = {0};
	char today[11];
	int rc = PERF_EXIT_FAIL;

	perf_error_clear(&err);
	if (perf_opt_parse(&st, ctx, argc, argv, &a, NULL))
		return PERF_EXIT_USAGE;
	if (a.goal && perf_value_check_handle(a.goal, "goal id", &err))
		return perf_usage_error(ctx->cmd, "--goal: %s", err.msg);
	a.who = argv + st.index;
	a.nwho = argc - st.index;
	if (a.nwho < 1)
		return perf_usage_error(ctx->cmd, "say whom to ask: one or more HANDLEs");
	if (!a.about)
		return perf_usage_error(ctx->cmd, "say what you would like feedback on with --about TEXT");
	if (!*a.about || strchr(a.about, '\n') || strchr(a.about, '\r'))
		return perf_usage_error(ctx->cmd, "--about must be one non-empty line");
	if (a.due) {
		if (perf_value_parse_date(a.due, NULL, NULL, NULL, &err))
			return perf_usage_error(ctx->cmd, "--due: %s", err.msg);
		perf_value_format_date(perf_value_now(), today);
		if (strcmp(a.due, today) < 0)
			return perf_usage_error(ctx->cmd, "--due %s is in the past (today is %s)", a.due, today);
	}
	if (perf_repo_require_handle(ctx->repo, &a.me, &err))
		return perf_fail(&err);
	for (int i = 0; i < a.nwho; i++) {
		if (perf_value_check_handle(a.who[i], "handle", &err))
			goto fail;
		if (!strcmp(a.who[i], a.me)) {
			fprintf(stderr, "perf: you cannot ask yourself for feedback; ask the people you work with\n");
			rc = PERF_EXIT_FAIL;
			goto out;
		}
		for (int k = 0; k < i; k++)
			if (!strcmp(a.who[k], a.who[i])) {
				fprintf(stderr, "perf: '%s' is named twice; ask each person once\n", a.who[i]);
				rc = PERF_EXIT_FAIL;
				goto out;
			}
		if (perf_buf_printf(&a.names, "%s%s", i ? ", " : "", a.who[i])) {
			perf_error(&err, PERF_ENOMEM, "out of memory");
			goto fail;
		}
	}
	perf_note_repo(ctx);
	if (perf_repo_write(ctx->repo, ask_txn, &a, NULL, &err))
		goto fail;
	if (ctx->json) {
		perf_json_fields("{", "id", a.id, "path", a.path, "person", a.me, "about", a.about, NULL);
		fputs(", \"asked\": [", stdout);
		for (int i = 0; i < a.nwho; i++) {
			fputs(i ? ", " : "", stdout);
			perf_json_str(stdout, a.who[i]);
		}
		perf_json_fields("], ", "due", a.due, "created", a.created, "area", a.area_key[0] ? a.area_key : NULL,
		                 "goal", a.goal, NULL);
		fputs("}\n", stdout);
	} else {
		printf("asked %s for feedback on \"%s\" (%s)\n", a.names.ptr, a.about, a.path);
	}
	rc = PERF_EXIT_OK;
	goto out;
fail:
	rc = perf_fail(&err);
out:
	perf_buf_release(&a.names);
	return rc;
}

const struct perf_cmd perf_cmd_ask = {
    .group = PERF_GROUP_FEEDBACK,
    .name = "ask",
    .usage = "HANDLE... --about TEXT [--due DATE] [--area AREA] [--goal ID]",
    .summary = "ask colleagues for feedback on something you choose",
    .opts = ask_opts,
    .flags = PERF_CMD_RECORD | PERF_CMD_REPO | PERF_CMD_WRITES,
    .run = run_ask,
};

/* ---- perf give -------------------------------------------------------------- */

struct give {
	const char *me;
	const char *typed; /* the ID as typed, for hints */
	struct perf_target t;
	char short_to[PERF_HANDLE_MAX * 2 + 2];
	bool edit;
	const char *body;
	size_t body_len;
	char about[256];
	char path[PERF_SCHEMA_PATH_MAX + 1]; /* the answer */
	char at[21];
	/* A private answer is sealed to the person who asked and the one answering. */
	bool private;
	const char *readers[2];
	unsigned char pks[2][PERF_PRIVATE_KEY_BYTES];
};

static const struct perf_opt give_opts[] = {
    {.name = "message", .short_name = 'm', .arg = "TEXT", .help = "your answer (Markdown); several -m make paragraphs"},
    {.name = "file", .short_name = 'F', .arg = "FILE", .help = "read your answer from FILE ('-' for standard input)"},
    {.name = "edit",
     .short_name = 'e',
     .help = "rewrite the answer you already gave",
     PERF_OPT_INTO(struct give, edit)},
    {.name = "private",
     .help = "encrypt the answer to you and the person who asked (see perf keygen)",
     PERF_OPT_INTO(struct give, private)},
    {0},
};

/* Sets the answer's body: as written, or sealed to its readers. */
static int give_body(struct perf_txn *txn, struct give *g, struct perf_doc *doc, struct perf_error *err)
{
	int rc;

	if (!g->private)
		return perf_doc_set_body(doc, g->body, g->body_len, err);
	if ((rc = perf_private_reader_keys(perf_txn_repo(txn), txn, g->readers, 2, g->pks, err)))
		return rc;
	return perf_private_seal_doc(doc, g->me, g->readers, 2, (const unsigned char(*)[PERF_PRIVATE_KEY_BYTES])g->pks,
	                             g->body, g->body_len, err);
}

/*
 * Checks that me may answer the request (it asked me, it is not mine) and,
 * for a new answer, that I have not answered yet; for an edit, that I have.
 * *doc gets the request, mine the path of my answer.
 */
static int may_answer(struct perf_repo *repo, struct perf_txn *txn, const struct perf_target *t, const char *me,
                      const char *typed, bool edit, struct perf_doc **doc, char *mine, struct perf_error *err)
{
	struct perf_strv asked = PERF_STRV_INIT;
	struct perf_buf names = PERF_BUF_INIT;
	const char *person;
	int rc;

	*doc = NULL;
	if ((rc = perf_store_load(repo, txn, t->path, doc, NULL, err)))
		return rc;
	person = perf_doc_str(*doc, "person");
	if (!person)
		person = t->match.handle;
	if (!strcmp(person, me)) {
		rc = perf_error(err, PERF_EPERM,
		                "%s is your own request; the people you asked answer it (see it with 'perf feedback "
		                "show %s')",
		                t->path, t->match.slug);
		goto out;
	}
	if (!asked_has(*doc, me)) {
		if ((rc = asked_of(*doc, &asked, err)))
			goto out;
		if (join_names(&names, &asked)) {
			rc = nomem(err);
			goto out;
		}
		rc = perf_error(err, PERF_EPERM, "%s did not ask you (it asked %s)", t->path,
		                asked.n ? names.ptr : "no one");
		goto out;
	}
	if ((rc = answer_of(repo, txn, t->path, me, mine, err)))
		goto out;
	if (!edit && *mine)
		rc = perf_error(err, PERF_EEXISTS, "you already answered (%s); edit it with 'perf give %s --edit'",
		                mine, typed);
	else if (edit && !*mine)
		rc = perf_error(err, PERF_ENOTFOUND, "you have not answered %s yet; answer with 'perf give %s'",
		                t->path, typed);
out:
	if (rc) {
		perf_doc_free(*doc);
		*doc = NULL;
	}
	perf_strv_release(&asked);
	perf_buf_release(&names);
	return rc;
}

static int give_txn(struct perf_txn *txn, void *payload, struct perf_error *err)
{
	struct give *g = payload;
	struct perf_repo *repo = perf_txn_repo(txn);
	struct perf_doc *req = NULL, *doc = NULL;
	struct perf_schema_match m;
	char mine[PERF_SCHEMA_PATH_MAX + 1];
	const char *about;
	int rc;

	if (!perf_txn_exists(txn, g->t.path))
		return perf_error(err, PERF_ENOTFOUND, "%s: no such request (removed meanwhile?)", g->t.path);
	if ((rc = may_answer(repo, txn, &g->t, g->me, g->typed, g->edit, &req, mine, err)))
		return rc;
	about = perf_doc_str(req, "about");
	snprintf(g->about, sizeof(g->about), "%s", about ? about : g->t.match.slug);
	if (g->edit) {
		snprintf(g->path, sizeof(g->path), "%s", mine);
		if ((rc = perf_store_load(repo, txn, g->path, &doc, NULL, err)))
			goto out;
		if (perf_private_doc_is(doc) != g->private) {
			rc = perf_error(err, PERF_ECONFLICT,
			                "%s changed meanwhile (private or not); run the command again", g->path);
			goto out;
		}
		if ((rc = give_body(txn, g, doc, err)) ||
		    (rc = perf_store_put(txn, perf_schema_kind("reply"), doc, g->path, err)))
			goto out;
		snprintf(g->at, sizeof(g->at), "%s", perf_doc_str(doc, "at") ? perf_doc_str(doc, "at") : "");
		rc = perf_txn_subject(txn, err, "feedback: %s edited their answer to %s about \"%s\"", g->me,
		                      g->t.match.handle, g->about);
	} else {
		/* The stamp may move on while the path is taken; `at` follows the path. */
		if ((rc = perf_store_reply_path(txn, g->t.path, g->me, perf_value_now(), g->path, err)) ||
		    (rc = perf_schema_match_path(&m, g->path, err)))
			goto out;
		snprintf(g->at, sizeof(g->at), "%s", m.time);
		if ((rc = perf_doc_new(&doc, g->path, err)) || (rc = perf_doc_set_str(doc, "kind", "reply", err)) ||
		    (rc = perf_doc_set_str(doc, "author", g->me, err)) ||
		    (rc = perf_doc_set_str(doc, "to", g->t.path, err)) ||
		    (rc = perf_doc_set_raw(doc, "at", g->at, err)) || (rc = give_body(txn, g, doc, err)) ||
		    (rc = perf_store_put(txn, perf_schema_kind("reply"), doc, g->path, err)))
			goto out;
		rc = perf_txn_subject(txn, err, "feedback: %s answered %s about \"%s\"", g->me, g->t.match.handle,
		                      g->about);
	}
	if (rc || (rc = perf_txn_trailer(txn, "Perf-Kind", "reply", err)) ||
	    (rc = perf_txn_trailer(txn, "Perf-Path", g->path, err)) ||
	    (rc = perf_txn_trailer(txn, "Perf-To", g->t.path, err)) ||
	    (rc = perf_txn_trailer(txn, "Perf-Action", g->edit ? "edit" : "give", err)))
		goto out;
out:
	perf_doc_free(req);
	perf_doc_free(doc);
	return rc;
}

/* A template's prompt: a line that is one HTML comment, left out when quoting. */
static bool is_prompt(const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\r'))
		n--;
	return n >= 7 && !memcmp(s, "<!--", 4) && !memcmp(s + n - 3, "-->", 3) && !memmem(s + 4, n - 7, "-->", 3);
}

/* The comment at the top of the editor: the request, quoted, and what happens to the answer. */
static int give_info(const struct perf_doc *req, const struct perf_target *t, struct perf_buf *b)
{
	const char *about = perf_doc_str(req, "about"), *due = perf_doc_str(req, "due");
	const char *body, *p, *end;
	size_t len, lines = 0;

	body = perf_doc_body(req, &len);
	if (perf_buf_printf(b, "<!-- %s asked you for feedback on \"", t->match.handle) ||
	    put_quoted(b, about ? about : t->match.slug, strlen(about ? about : t->match.slug)) ||
	    perf_buf_printf(b, "\" (%s)%s%s.\n", t->path, due ? ", due " : "", due ? due : "") ||
	    perf_buf_puts(b, "Write your answer below this comment. It is committed under your name:\n"
	                     "feedback in perf is never anonymous. This comment is removed, and an\n"
	                     "answer with no words writes nothing.\n"))
		return PERF_ENOMEM;
	if (!perf_body_has_words(body, len))
		return perf_buf_puts(b, "-->\n");
	if (perf_buf_printf(b, "\nWhat %s wrote:\n\n", t->match.handle))
		return PERF_ENOMEM;
	for (p = body, end = body + len; p < end && lines < QUOTE_LINES;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		const char *line = p;
		p = nl ? nl + 1 : end;
		if (is_prompt(line, n))
			continue;
		if ((n && perf_buf_puts(b, "    ")) || put_quoted(b, line, n) || perf_buf_putc(b, '\n'))
			return PERF_ENOMEM;
		lines++;
	}
	if (p < end && perf_buf_puts(b, "    ...\n"))
		return PERF_ENOMEM;
	return perf_buf_puts(b, "-->\n");
}

/* What the editor starts with: the comment, then the request's questions
 * as headings (collected in qs, so the ones left empty can go). */
static int give_template(const struct perf_doc *req, const char *existing, struct perf_buf *info, struct perf_buf *out,
                         struct perf_strv *qs)
{
	struct perf_buf sec = PERF_BUF_INIT;
	size_t len;
	const char *body = perf_doc_body(req, &len);
	int rc = 0;

	if (perf_buf_add(out, info->ptr, info->len) || perf_buf_putc(out, '\n'))
		return PERF_ENOMEM;
	if (existing)
		return perf_buf_puts(out, existing);
	/* A first newline, so the section below always has a buffer to walk. */
	if (perf_buf_putc(&sec, '\n'))
		return PERF_ENOMEM;
	if (perf_body_section(body, len, "Questions", &sec)) {
		for (const char *p = sec.ptr + 1; p && *p && !rc;) {
			const char *nl = strchr(p, '\n');
			size_t n = nl ? (size_t)(nl - p) : strlen(p);
			if (n > 2 && n < 512 && (p[0] == '-' || p[0] == '*') && p[1] == ' ') {
				char q[512];
				snprintf(q, sizeof(q), "%.*s", (int)(n - 2), p + 2);
				rc = perf_buf_printf(out, "## %s\n\n\n", q) || perf_strv_push(qs, q);
			}
			p = nl ? nl + 1 : NULL;
		}
	}
	perf_buf_release(&sec);
	return rc;
}

static bool heading_line(const char *s)
{
	return s[0] == '#' && (s[1] == '#' || s[1] == ' ');
}

/* Removes the sections perf offered (the request's questions) that were left empty. */
static void drop_empty_questions(struct perf_buf *b, const struct perf_strv *qs)
{
	size_t pos = 0;

	while (pos < b->len) {
		char *nl = memchr(b->ptr + pos, '\n', b->len - pos);
		size_t eol = nl ? (size_t)(nl - b->ptr) : b->len, next = nl ? eol + 1 : eol, end;
		bool ours = false;

		if (eol - pos > 3 && !strncmp(b->ptr + pos, "## ", 3))
			for (size_t i = 0; i < qs->n && !ours; i++)
				ours = strlen(qs->v[i]) == eol - pos - 3 &&
				       !memcmp(b->ptr + pos + 3, qs->v[i], eol - pos - 3);
		if (!ours) {
			pos = next;
			continue;
		}
		for (end = next; end < b->len && !heading_line(b->ptr + end);) {
			char *n2 = memchr(b->ptr + end, '\n', b->len - end);
			end = n2 ? (size_t)(n2 - b->ptr) + 1 : b->len;
		}
		if (perf_body_has_words(b->ptr + next, end - next))
			pos = next;
		else
			perf_buf_splice(b, pos, end - pos, "", 0);
	}
}

static int run_give(struct perf_ctx *ctx, int argc, char **argv)
{
	struct perf_optstate st;
	struct perf_error err;
	struct perf_message msg = PERF_MESSAGE_INIT("the answer");
	struct perf_buf info = PERF_BUF_INIT, tpl = PERF_BUF_INIT, old = PERF_BUF_INIT;
	struct perf_doc *req = NULL, *ans = NULL;
	struct perf_strv qs = PERF_STRV_INIT;
	struct give g = {0};
	char mine[PERF_SCHEMA_PATH_MAX + 1];
	bool committed = false;
	int rc = PERF_EXIT_FAIL;

	perf_error_clear(&err);
	if ((rc = perf_opt_parse(&st, ctx, argc, argv, &g, &msg)) != 0 ||
	    (rc = perf_operands(&st, 1, 1, "say which request to answer (its id, as 'perf feedback' lists it)")) != 0)
		goto out;
	rc = PERF_EXIT_FAIL;
	g.typed = argv[st.index];
	if (perf_repo_require_handle(ctx->repo, &g.me, &err) ||
	    resolve_request(ctx->repo, g.typed, g.me, FIND_ADDRESSED, &g.t, &err) ||
	    may_answer(ctx->repo, NULL, &g.t, g.me, g.typed, g.edit, &req, mine, &err))
		goto fail;
	short_name(&g.t, g.short_to, sizeof(g.short_to));
	if (g.edit) {
		size_t blen;
		const char *b;
		if (perf_store_load(ctx->repo, NULL, mine, &ans, NULL, &err))
			goto fail;
		if (perf_private_doc_is(ans)) {
			/* A private answer stays private: it is opened to be edited, and sealed again. */
			if (perf_private_open_doc(ans, g.me, &old, &err))
				goto fail;
			g.private = true;
		} else if (g.private) {
			perf_error(
			    &err, PERF_EINVALID,
			    "your answer %s is in plain text, and its words stay in the history; --private is for new "
			    "answers",
			    mine);
			goto fail;
		} else {
			b = perf_doc_body(ans, &blen);
			if (perf_buf_add(&old, b, blen))
				goto nomem;
		}
	}
	if (g.private) {
		/* Every reader needs a published key, checked before a word is written. */
		const char *asker = perf_doc_str(req, "person");
		g.readers[0] = asker && perf_value_is_handle(asker) ? asker : g.t.match.handle;
		g.readers[1] = g.me;
		if (perf_private_reader_keys(ctx->repo, NULL, g.readers, 2, g.pks, &err))
			goto fail;
	}
	if (perf_message_from_editor(&msg) &&
	    (give_info(req, &g.t, &info) || give_template(req, g.edit ? perf_buf_cstr(&old) : NULL, &info, &tpl, &qs)))
		goto nomem;
	if (perf_message_compose(ctx, &msg, tpl.ptr, info.ptr, &err))
		goto fail;
	if (msg.edited) {
		drop_empty_questions(&msg.text, &qs);
		if (perf_tidy_text(&msg.text))
			goto nomem;
	}
	if (!perf_body_has_words(perf_buf_cstr(&msg.text), msg.text.len)) {
		fprintf(stderr, "perf: empty answer; nothing written\n");
		goto out;
	}
	if (g.edit) {
		struct perf_buf o2 = PERF_BUF_INIT;
		bool same;
		if (perf_buf_add(&o2, old.ptr, old.len) || perf_tidy_text(&o2)) {
			perf_buf_release(&o2);
			goto nomem;
		}
		same = o2.len == msg.text.len && !memcmp(o2.ptr, msg.text.ptr, msg.text.len);
		perf_buf_release(&o2);
		if (same) {
			printf("%s unchanged; nothing committed\n", mine);
			rc = PERF_EXIT_OK;
			goto out;
		}
	}
	g.body = msg.text.ptr;
	g.body_len = msg.text.len;
	perf_note_repo(ctx);
	if (perf_repo_write(ctx->repo, give_txn, &g, &committed, &err))
		goto fail;
	if (ctx->json) {
		perf_json_fields("{", "path", g.path, "to", g.t.path, "author", g.me, "at", g.at, NULL);
		printf(", \"edited\": %s, \"private\": %s}\n", g.edit ? "true" : "false", g.private ? "true" : "false");
	} else if (!committed) {
		printf("%s unchanged; nothing committed\n", g.path);
	} else {
		printf("%s %s's request \"%s\" (%s)%s%s%s%s\n", g.edit ? "edited your answer to" : "answered",
		       g.t.match.handle, g.about, g.path, g.private ? " · private to " : "",
		       g.private ? g.readers[0] : "", g.private ? ", " : "", g.private ? g.readers[1] : "");
	}
	rc = PERF_EXIT_OK;
	goto out;

nomem:
	perf_error(&err, PERF_ENOMEM, "out of memory");
fail:
	rc = perf_message_fail(ctx->repo, &msg, &err, "give", g.me, "perf give %s", g.typed);
out:
	perf_doc_free(req);
	perf_doc_free(ans);
	perf_message_release(&msg);
	perf_buf_release(&info);
	perf_buf_release(&tpl);
	perf_buf_release(&old);
	perf_strv_release(&qs);
	return rc;
}

const struct perf_cmd perf_cmd_give = {
    .group = PERF_GROUP_FEEDBACK,
    .name = "give",
    .usage = "ID [-m TEXT | -F FILE] [--edit] [--private]",
    .summary = "answer a feedback request that asked you, under your name",
    .opts = give_opts,
    .flags = PERF_CMD_RECORD | PERF_CMD_REPO | PERF_CMD_WRITES,
    .run = run_give,
};

/* ---- perf feedback ------------------------------------------------------------ */

static const struct perf_opt feedback_opts[] = {
    {0},
};

/* A request, as the list shows it. */
struct request {
	char *path, *id, *person, *about, *due, *created;
	struct perf_strv asked, answered, waiting; /* handles */
	bool overdue;
};

/* An answer received. */
struct answer {
	char *path, *request, *id, *about, *author, *at, *first;
};

struct overview {
	const char *me;
	char today[11];
	struct request *asked, *waiting;
	size_t nasked, nwaiting, asked_cap, waiting_cap;
	struct answer *received;
	size_t nreceived, received_cap;
};

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static void request_release(struct request *r)
{
	free(r->path);
	free(r->id);
	free(r->person);
	free(r->about);
	free(r->due);
	free(r->created);
	perf_strv_release(&r->asked);
	perf_strv_release(&r->answered);
	perf_strv_release(&r->waiting);
}

static void answer_release(struct answer *a)
{
	free(a->path);
	free(a->request);
	free(a->id);
	free(a->about);
	free(a->author);
	free(a->at);
	free(a->first);
}

static void overview_release(struct overview *o)
{
	for (size_t i = 0; i < o->nasked; i++)
		request_release(&o->asked[i]);
	for (size_t i = 0; i < o->nwaiting; i++)
		request_release(&o->waiting[i]);
	for (size_t i = 0; i < o->nreceived; i++)
		answer_release(&o->received[i]);
	free(o->asked);
	free(o->waiting);
	free(o->received);
}

/* Makes room for one more item in *v, which holds n of cap. */
static int grow(void **v, size_t n, size_t *cap, size_t size)
{
	void *p;

	if (n < *cap)
		return 0;
	p = realloc(*v, (*cap ? *cap * 2 : 8) * size);
	if (!p)
		return PERF_ENOMEM;
	*v = p;
	*cap = *cap ? *cap * 2 : 8;
	return 0;
}

/* Fills r from the request at path; with authors of its thread in `repliers`. */
static int request_load(struct perf_repo *repo, const char *path, struct request *r, struct perf_doc **doc,
                        struct perf_strv *thread, struct perf_error *err)
{
	struct perf_schema_match m;
	int rc;

	memset(r, 0, sizeof(*r));
	if ((rc = perf_schema_match_path(&m, path, err)) || (rc = perf_store_load(repo, NULL, path, doc, NULL, err)))
		return rc;
	r->path = strdup(path);
	r->id = strdup(m.slug);
	r->person = strdup(perf_doc_str(*doc, "person") ? perf_doc_str(*doc, "person") : m.handle);
	r->about = dup_or_null(perf_doc_str(*doc, "about"));
	r->due = dup_or_null(perf_doc_str(*doc, "due"));
	r->created = dup_or_null(perf_doc_str(*doc, "created"));
	if (!r->path || !r->id || !r->person)
		return nomem(err);
	if ((rc = asked_of(*doc, &r->asked, err)) || (rc = perf_store_thread(repo, NULL, path, thread, err)))
		return rc;
	return 0;
}

static int add_received(struct perf_repo *repo, struct overview *o, const struct request *r, const char *path,
                        const char *author, struct perf_error *err)
{
	struct perf_doc *doc = NULL;
	struct perf_buf first = PERF_BUF_INIT;
	struct answer *a;
	const char *body, *at;
	size_t len;
	int rc;

	if (perf_store_load(repo, NULL, path, &doc, NULL, NULL))
		return 0; /* one broken answer must not hide the others */
	if (grow((void **)&o->received, o->nreceived, &o->received_cap, sizeof(*o->received))) {
		rc = nomem(err);
		goto out;
	}
	a = &o->received[o->nreceived++];
	memset(a, 0, sizeof(*a));
	body = perf_doc_body(doc, &len);
	if (perf_private_doc_is(doc)) {
		/* A listing opens no private words; perf show does, for its readers. */
		if (perf_buf_puts(&first, "(private)")) {
			rc = nomem(err);
			goto out;
		}
	} else {
		perf_first_line(body, len, &first);
	}
	at = perf_doc_str(doc, "at");
	a->path = strdup(path);
	a->request = strdup(r->path);
	a->id = strdup(r->id);
	a->about = dup_or_null(r->about);
	a->author = strdup(author);
	a->at = strdup(at ? at : "");
	a->first = strdup(perf_buf_cstr(&first));
	rc = a->path && a->request && a->id && a->author && a->at && a->first ? 0 : nomem(err);
out:
	perf_buf_release(&first);
	perf_doc_free(doc);
	return rc;
}

/* My requests: who answered, who is still to answer, and the answers. */
static int collect_mine(struct perf_repo *repo, struct overview *o, struct perf_error *err)
{
	struct perf_strv names = PERF_STRV_INIT;
	char dir[PERF_HANDLE_MAX + 16];
	int rc;

	snprintf(dir, sizeof(dir), "feedback/%s", o->me);
	if ((rc = perf_store_list(repo, NULL, dir, &names, err)))
		return rc;
	for (size_t i = 0; i < names.n && !rc; i++) {
		struct perf_strv thread = PERF_STRV_INIT;
		struct perf_doc *doc = NULL;
		struct request *r;
		char path[PERF_SCHEMA_PATH_MAX + 1];
		struct perf_error e;

		snprintf(path, sizeof(path), "%s/%s.md", dir, names.v[i]);
		if (grow((void **)&o->asked, o->nasked, &o->asked_cap, sizeof(*o->asked))) {
			rc = nomem(err);
			break;
		}
		r = &o->asked[o->nasked];
		if ((rc = request_load(repo, path, r, &doc, &thread, &e))) {
			request_release(r);
			perf_doc_free(doc);
			perf_strv_release(&thread);
			if (rc == PERF_ENOMEM)
				return nomem(err);
			fprintf(stderr, "perf: warning: skipping %s: %s\n", path, e.msg);
			rc = 0;
			continue;
		}
		o->nasked++;
		for (size_t k = 0; k < thread.n && !rc; k++) {
			struct perf_schema_match m;
			if (perf_schema_match_path(&m, thread.v[k], NULL) || !strcmp(m.author, o->me))
				continue;
			if (perf_strv_has(&r->asked, m.author) && !perf_strv_has(&r->answered, m.author) &&
			    perf_strv_push(&r->answered, m.author))
				rc = nomem(err);
			if (!rc)
				rc = add_received(repo, o, r, thread.v[k], m.author, err);
		}
		for (size_t k = 0; k < r->asked.n && !rc; k++)
			if (!perf_strv_has(&r->answered, r->asked.v[k]) && perf_strv_push(&r->waiting, r->asked.v[k]))
				rc = nomem(err);
		perf_doc_free(doc);
		perf_strv_release(&thread);
	}
	perf_strv_release(&names);
	return rc;
}

/* Others' requests that asked me and that I have not answered. */
static int collect_waiting(struct perf_repo *repo, struct overview *o, struct perf_error *err)
{
	struct perf_strv people = PERF_STRV_INIT;
	int rc;

	if ((rc = feedback_people(repo, &people, err)))
		return rc;
	for (size_t p = 0; p < people.n && !rc; p++) {
		struct perf_strv names = PERF_STRV_INIT;
		char dir[PERF_HANDLE_MAX + 16];
		if (!strcmp(people.v[p], o->me))
			continue;
		snprintf(dir, sizeof(dir), "feedback/%s", people.v[p]);
		if ((rc = perf_store_list(repo, NULL, dir, &names, err)))
			break;
		for (size_t i = 0; i < names.n && !rc; i++) {
			struct perf_strv thread = PERF_STRV_INIT;
			struct perf_doc *doc = NULL;
			struct request r;
			char path[PERF_SCHEMA_PATH_MAX + 1];
			bool answered = false;
			struct perf_error e;

			snprintf(path, sizeof(path), "%s/%s.md", dir, names.v[i]);
			if ((rc = request_load(repo, path, &r, &doc, &thread, &e))) {
				if (rc == PERF_ENOMEM)
					rc = nomem(err);
				else
					rc = 0; /* not ours to warn about: it is someone else's file */
				goto next;
			}
			if (!perf_strv_has(&r.asked, o->me))
				goto next;
			for (size_t k = 0; k < thread.n; k++) {
				struct perf_schema_match m;
				if (perf_schema_match_path(&m, thread.v[k], NULL) == 0 && !strcmp(m.author, o->me))
					answered = true;
			}
			if (answered)
				goto next;
			if (grow((void **)&o->waiting, o->nwaiting, &o->waiting_cap, sizeof(*o->waiting))) {
				rc = nomem(err);
				goto next;
			}
			r.overdue = r.due && strcmp(r.due, o->today) < 0;
			o->waiting[o->nwaiting++] = r;
			memset(&r, 0, sizeof(r));
		next:
			request_release(&r);
			perf_doc_free(doc);
			perf_strv_release(&thread);
		}
		perf_strv_release(&names);
	}
	perf_strv_release(&people);
	return rc;
}

static int str_cmp(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

/* Newest first. */
static int by_created(const void *a, const void *b)
{
	const struct request *x = a, *y = b;
	int c = str_cmp(y->created, x->created);
	return c ? c : strcmp(x->path, y->path);
}

/* Soonest due first; no due date last. */
static int by_due(const void *a, const void *b)
{
	const struct request *x = a, *y = b;
	int c;

	if (!x->due != !y->due)
		return x->due ? -1 : 1;
	c = str_cmp(x->due, y->due);
	return c ? c : by_created(a, b);
}

static int by_at(const void *a, const void *b)
{
	const struct answer *x = a, *y = b;
	int c = strcmp(y->at, x->at);
	return c ? c : strcmp(x->path, y->path);
}

static void json_strv(const struct perf_strv *sv)
{
	fputc('[', stdout);
	for (size_t i = 0; i < sv->n; i++) {
		fputs(i ? ", " : "", stdout);
		perf_json_str(stdout, sv->v[i]);
	}
	fputc(']', stdout);
}

static void print_json(const struct overview *o)
{
	fputs("{\"asked\": [", stdout);
	for (size_t i = 0; i < o->nasked; i++) {
		const struct request *r = &o->asked[i];
		perf_json_fields(i ? ",\n  {" : "\n  {", "id", r->id, "path", r->path, "about", r->about, "due", r->due,
		                 "created", r->created, NULL);
		fputs(", \"asked\": ", stdout);
		json_strv(&r->asked);
		fputs(", \"answered\": ", stdout);
		json_strv(&r->answered);
		fputs(", \"waiting_for\": ", stdout);
		json_strv(&r->waiting);
		fputc('}', stdout);
	}
	fputs(o->nasked ? "\n ],\n \"waiting\": [" : "],\n \"waiting\": [", stdout);
	for (size_t i = 0; i < o->nwaiting; i++) {
		const struct request *r = &o->waiting[i];
		perf_json_fields(i ? ",\n  {" : "\n  {", "id", r->id, "path", r->path, "person", r->person, "about",
		                 r->about, "due", r->due, NULL);
		printf(", \"overdue\": %s", r->overdue ? "true" : "false");
		perf_json_fields(", ", "created", r->created, NULL);
		fputc('}', stdout);
	}
	fputs(o->nwaiting ? "\n ],\n \"received\": [" : "],\n \"received\": [", stdout);
	for (size_t i = 0; i < o->nreceived; i++) {
		const struct answer *a = &o->received[i];
		perf_json_fields(i ? ",\n  {" : "\n  {", "path", a->path, "request", a->request, "id", a->id, "about",
		                 a->about, "author", a->author, "at", a->at, "first_line", a->first, NULL);
		fputc('}', stdout);
	}
	fputs(o->nreceived ? "\n ]}\n" : "]}\n", stdout);
}

/* The width of a column of ids or handles: at least min, as wide as the longest (never cut: they are typed). */
static int col_width(int min, size_t len)
{
	return len > (size_t)min ? (int)len : min;
}

static void print_text(const struct overview *o)
{
	struct perf_buf b = PERF_BUF_INIT;
	int id_w = 8, author_w = 10, answer_id_w = 8;

	for (size_t i = 0; i < o->nasked; i++)
		id_w = col_width(id_w, strlen(o->asked[i].id));
	for (size_t i = 0; i < o->nreceived && i < RECENT_ANSWERS; i++) {
		author_w = col_width(author_w, strlen(o->received[i].author));
		answer_id_w = col_width(answer_id_w, strlen(o->received[i].id));
	}

	perf_buf_puts(&b, "Asked by you\n");
	if (!o->nasked)
		perf_buf_puts(&b, "  nothing yet; ask with 'perf ask HANDLE... --about TEXT'\n");
	for (size_t i = 0; i < o->nasked; i++) {
		const struct request *r = &o->asked[i];
		perf_buf_printf(&b, "  %-*s \"", id_w, r->id);
		clip(&b, r->about ? r->about : "", 50);
		perf_buf_puts(&b, "\"");
		if (r->due)
			perf_buf_printf(&b, "  due %s", r->due);
		perf_buf_printf(&b, "  answered %zu of %zu", r->answered.n, r->asked.n);
		if (r->waiting.n) {
			perf_buf_puts(&b, ", waiting for ");
			join_names(&b, &r->waiting);
		}
		perf_buf_putc(&b, '\n');
	}
	perf_buf_puts(&b, "Waiting for you\n");
	if (!o->nwaiting)
		perf_buf_puts(&b, "  nothing: no request is waiting for your answer\n");
	for (size_t i = 0; i < o->nwaiting; i++) {
		const struct request *r = &o->waiting[i];
		perf_buf_printf(&b, "  %s/%s  %s asks about \"", r->person, r->id, r->person);
		clip(&b, r->about ? r->about : "", 50);
		perf_buf_puts(&b, "\"");
		if (r->due)
			perf_buf_printf(&b, "  due %s%s", r->due,
			                r->overdue                  ? " (overdue)"
			                : !strcmp(r->due, o->today) ? " (today)"
			                                            : "");
		perf_buf_printf(&b, "  perf give %s/%s\n", r->person, r->id);
	}
	perf_buf_puts(&b, "Answers received\n");
	if (!o->nreceived)
		perf_buf_puts(&b, "  none yet\n");
	for (size_t i = 0; i < o->nreceived && i < RECENT_ANSWERS; i++) {
		const struct answer *a = &o->received[i];
		perf_buf_printf(&b, "  %.10s  %-*s %-*s ", a->at, author_w, a->author, answer_id_w, a->id);
		clip(&b, a->first, 60);
		perf_buf_putc(&b, '\n');
	}
	if (o->nreceived > RECENT_ANSWERS)
		perf_buf_printf(&b, "  ... and %zu earlier (perf feedback show ID shows them all)\n",
		                o->nreceived - RECENT_ANSWERS);
	fwrite(perf_buf_cstr(&b), 1, b.len, stdout);
	perf_buf_release(&b);
}

static int feedback_list(struct perf_ctx *ctx, void *args, const char *verb, int argc, char **argv)
{
	struct perf_error err;
	struct overview o;
	int rc = PERF_EXIT_OK;

	(void)args;
	(void)verb;
	(void)argv;
	if (argc > 0)
		return perf_usage_error(ctx->cmd, "feedback list takes no arguments");
	memset(&o, 0, sizeof(o));
	if (perf_repo_require_handle(ctx->repo, &o.me, &err))
		return perf_fail(&err);
	perf_value_format_date(perf_value_now(), o.today);
	if (collect_mine(ctx->repo, &o, &err) || collect_waiting(ctx->repo, &o, &err)) {
		rc = perf_fail(&err);
		goto out;
	}
	if (o.nasked)
		qsort(o.asked, o.nasked, sizeof(*o.asked), by_created);
	if (o.nwaiting)
		qsort(o.waiting, o.nwaiting, sizeof(*o.waiting), by_due);
	if (o.nreceived)
		qsort(o.received, o.nreceived, sizeof(*o.received), by_at);
	if (ctx->json)
		print_json(&o);
	else
		print_text(&o);
out:
	overview_release(&o);
	return rc;
}

static int feedback_show(struct perf_ctx *ctx, void *args, const char *verb, int argc, char **argv)
{
	struct perf_error err;
	struct perf_target t;
	const char *me = NULL;

	(void)args;
	(void)verb;
	if (argc != 1)
		return perf_usage_error(ctx->cmd, "feedback show takes one request ID");
	/* Anyone may read a request; knowing who you are only helps to find it. */
	if (perf_repo_require_handle(ctx->repo, &me, &err))
		me = NULL;
	if (resolve_request(ctx->repo, argv[0], me, FIND_MINE | FIND_ADDRESSED, &t, &err))
		return perf_fail(&err);
	return perf_show_target(ctx, t.path, false);
}

static int run_feedback(struct perf_ctx *ctx, int argc, char **argv)
{
	return perf_verb_main(ctx, NULL, argc, argv);
}

static const struct perf_verb feedback_verbs[] = {
    {.name = "list",
     .alias = "ls",
     .usage = "[list]",
     .summary = "what you asked for, what waits for your answer, what you received",
     .flags = PERF_VERB_DEFAULT,
     .run = feedback_list},
    {.name = "show", .usage = "show ID", .summary = "show a feedback request and its answers", .run = feedback_show},
    {0},
};

const struct perf_cmd perf_cmd_feedback = {
    .group = PERF_GROUP_FEEDBACK,
    .name = "feedback",
    .summary = "see feedback you asked for, requests waiting for you, answers received",
    .opts = feedback_opts,
    .flags = PERF_CMD_RECORD | PERF_CMD_REPO | PERF_CMD_READS,
    .run = run_feedback,
    .verbs = feedback_verbs,
};
