/*
 * perf goal add|list|show|set|done|drop|support|give: personal goals,
 * owned by the person, with what the team commits to do to support them:
 * each supporter named, who alone marks their support given.
 */
#include "perf.h"
#include "toolkit.h"

#include <stdlib.h>
#include <string.h>

#include "areas.h"
#include "buf.h"
#include "doc.h"
#include "schema.h"
#include "store.h"
#include "value.h"

#define MAX_SUPPORTERS 16

struct goal_args {
	const char *due, *supports, *support, *cycle, *id, *why, *area;
	const char *supporters[MAX_SUPPORTERS]; /* @WHO:WHAT */
	size_t nsupporters;
	bool all;
};

/* The one option the parser returns: --support takes two forms. */
enum { OPT_SUPPORT = PERF_OPT_FIRST_ID };

#define INTO(member) PERF_OPT_INTO(struct goal_args, member)
static const struct perf_opt goal_opts[] = {
    {.name = "due", .short_name = 'd', .arg = "DATE", .help = "add: when it is due (YYYY-MM-DD)", INTO(due)},
    {.name = "supports",
     .short_name = 's',
     .arg = "AREA",
     .help = "add: the area of your expectations it serves",
     INTO(supports)},
    {.name = "support",
     .arg = "@WHO:WHAT",
     .help = "add: who commits to support it, and how (repeat it; plain TEXT for free text)",
     .id = OPT_SUPPORT},
    {.name = "area",
     .arg = "AREA",
     .help = "add: the strength or area for development of your expectations it serves (its key or name)",
     INTO(area)},
    {.name = "cycle", .short_name = 'c', .arg = "ID", .help = "add: the cycle of inquiry it belongs to", INTO(cycle)},
    {.name = "id", .arg = "SLUG", .help = "add: the goal's id (default: from the title)", INTO(id)},
    {.name = "why",
     .short_name = 'w',
     .arg = "TEXT",
     .help = "add: why it matters to you; drop: why you let it go",
     INTO(why)},
    {.name = "all", .short_name = 'a', .help = "list: done and dropped goals too", INTO(all)},
    {0},
};
#undef INTO

/* Fields `perf goal set` may change, and how they are written. */
static const char *const settable[] = {"title",   "status", "progress", "due", "supports",
                                       "support", "cycle",  "why",      NULL};

static bool is_settable(const char *f)
{
	for (size_t i = 0; settable[i]; i++)
		if (!strcmp(settable[i], f))
			return true;
	return false;
}

/* Writes a field as the schema types it: numbers, booleans and dates plain. */
static int set_typed(struct perf_doc *doc, const struct perf_schema_kind *kind, const char *field, const char *value,
                     struct perf_error *err)
{
	const struct perf_schema_field *f = perf_schema_field(kind, field);

	if (f && (f->type == PERF_TYPE_INT || f->type == PERF_TYPE_BOOL || f->type == PERF_TYPE_DATE ||
	          f->type == PERF_TYPE_TIME || f->type == PERF_TYPE_WEEK || f->type == PERF_TYPE_HANDLE ||
	          f->type == PERF_TYPE_ENUM))
		return perf_doc_set_raw(doc, field, value, err);
	return perf_doc_set_str(doc, field, value, err);
}

/* Checks one value against its field before it reaches the document, so the
 * message speaks of what the user typed. */
static int check_value(const struct perf_schema_kind *kind, const char *field, const char *value,
                       struct perf_error *err)
{
	const struct perf_schema_field *f = perf_schema_field(kind, field);
	long n;

	if (!f)
		return perf_error(err, PERF_EINVALID, "goals have no field '%s'", field);
	/* An empty value clears a field that may be absent. */
	if (!*value && !(f->flags & PERF_FIELD_REQUIRED))
		return 0;
	switch (f->type) {
	case PERF_TYPE_INT:
		if (perf_value_parse_int(value, &n, NULL) || n < f->min || n > f->max)
			return perf_error(err, PERF_EINVALID, "'%s' must be a whole number from %ld to %ld, not '%s'",
			                  field, f->min, f->max, value);
		return 0;
	case PERF_TYPE_DATE:
		if (perf_value_parse_date(value, NULL, NULL, NULL, err)) {
			perf_error_prefix(err, "'%s'", field);
			return PERF_EINVALID;
		}
		return 0;
	case PERF_TYPE_HANDLE:
		return perf_value_check_handle(value, field, err);
	case PERF_TYPE_ENUM:
		for (size_t i = 0; f->values && f->values[i]; i++)
			if (!strcmp(f->values[i], value))
				return 0;
		{
			struct perf_buf b = PERF_BUF_INIT;
			for (size_t i = 0; f->values && f->values[i]; i++)
				perf_buf_printf(&b, "%s%s", i ? ", " : "", f->values[i]);
			perf_error(err, PERF_EINVALID, "'%s' must be one of %s, not '%s'", field, perf_buf_cstr(&b),
			           value);
			perf_buf_release(&b);
			return PERF_EINVALID;
		}
	default:
		if (f->type != PERF_TYPE_TEXT && strchr(value, '\n'))
			return perf_error(err, PERF_EINVALID, "'%s' must be one line", field);
		if (!*value && (f->flags & PERF_FIELD_REQUIRED))
			return perf_error(err, PERF_EINVALID, "'%s' may not be empty", field);
		return 0;
	}
}

/* --- support -------------------------------------------------------------- */

/* Splits @WHO:WHAT into who (a handle) and what (one non-empty line). */
static int parse_supporter(const char *arg, char who[PERF_HANDLE_MAX + 1], const char **what, struct perf_error *err)
{
	const char *colon = arg[0] == '@' ? strchr(arg, ':') : NULL;
	size_t n = colon ? (size_t)(colon - arg - 1) : 0;

	if (!colon || n == 0 || n > PERF_HANDLE_MAX)
		return perf_error(
		    err, PERF_EINVALID,
		    "--support '%s': name who gives it and what, as @WHO:WHAT (for example @bo:\"pairs on "
		    "the tests\")",
		    arg);
	memcpy(who, arg + 1, n);
	who[n] = '\0';
	*what = colon + 1;
	if (perf_value_check_handle(who, "supporter", err))
		return PERF_EINVALID;
	if (!**what || strchr(*what, '\n'))
		return perf_error(err, PERF_EINVALID, "--support '%s': say what @%s commits to, on one line", arg, who);
	return 0;
}

/* Adds each @WHO:WHAT to the goal's supporters (one item per person: a new
 * promise from someone already there replaces theirs, unless given). */
static int add_supporters(struct perf_txn *txn, struct perf_doc *doc, const char *owner, const char *const *args,
                          size_t n, struct perf_buf *said, struct perf_error *err)
{
	const struct perf_node *old = perf_doc_get(doc, "supporters");
	struct perf_node *list = old && old->type == PERF_NODE_SEQ ? perf_node_clone(old) : perf_node_new_seq();
	int rc = 0;

	if (!list)
		return perf_error(err, PERF_ENOMEM, "out of memory");
	for (size_t i = 0; i < n && !rc; i++) {
		char who[PERF_HANDLE_MAX + 1], path[PERF_HANDLE_MAX + 16];
		const char *what;
		struct perf_node *item;
		size_t k;
		if ((rc = parse_supporter(args[i], who, &what, err)))
			break;
		if (!strcmp(who, owner)) {
			rc =
			    perf_error(err, PERF_EINVALID, "--support: support comes from someone else than %s", owner);
			break;
		}
		snprintf(path, sizeof(path), "people/%s.md", who);
		if (!perf_txn_exists(txn, path)) {
			rc = perf_error(err, PERF_ENOTFOUND, "--support: no person '%s' (no %s); see 'perf people'",
			                who, path);
			break;
		}
		for (k = 0; k < list->n; k++) {
			const char *w = perf_node_str(list->values[k], "who");
			if (w && !strcmp(w, who))
				break;
		}
		if (k < list->n && perf_node_str(list->values[k], "given")) {
			rc = perf_error(err, PERF_EINVALID, "%s already gave their support (%s); it stays as given",
			                who, perf_node_str(list->values[k], "given"));
			break;
		}
		if (!(item = perf_node_new_map()) || perf_node_map_add(item, "who", perf_node_new_str(who)) ||
		    perf_node_map_add(item, "what", perf_node_new_str(what))) {
			perf_node_free(item);
			rc = perf_error(err, PERF_ENOMEM, "out of memory");
			break;
		}
		if (k < list->n) {
			perf_node_free(list->values[k]);
			list->values[k] = item;
		} else if (perf_node_seq_add(list, item)) {
			rc = perf_error(err, PERF_ENOMEM, "out of memory");
			break;
		}
		if (said)
			perf_buf_printf(said, "%s%s: %s", said->len ? ", " : "", who, what);
	}
	if (rc) {
		perf_node_free(list);
		return rc;
	}
	return perf_doc_set_node(doc, "supporters", list, err);
}

/* --- add ----------------------------------------------------------------- */

struct add {
	const char *me, *title;
	const struct goal_args *a;
	char slug[PERF_HANDLE_MAX + 1];
	char path[PERF_SCHEMA_PATH_MAX + 1];
};

static int add_txn(struct perf_txn *txn, void *payload, struct perf_error *err)
{
	struct add *g = payload;
	const struct perf_schema_kind *kind = perf_schema_kind("goal");
	struct perf_doc *doc = NULL;
	char now[21], *tpl = NULL, cyc[PERF_SCHEMA_PATH_MAX + 1], today[11], current[PERF_HANDLE_MAX + 1] = "";
	char area[PERF_HANDLE_MAX + 1] = "";
	const char *cycle = g->a->cycle;
	int rc;

	if (perf_txn_exists(txn, g->path))
		return perf_error(err, PERF_EEXISTS,
		                  "you already have a goal '%s' (%s); choose another id with --id or another title",
		                  g->slug, g->path);
	if (g->a->cycle) {
		snprintf(cyc, sizeof(cyc), "cycles/%s.md", g->a->cycle);
		if (!perf_txn_exists(txn, cyc))
			return perf_error(err, PERF_ENOTFOUND, "no cycle '%s' (no %s); see 'perf cycle list'",
			                  g->a->cycle, cyc);
	}
	perf_value_format_time(perf_value_now(), now);
	perf_value_format_date(perf_value_now(), today);
	/* A goal set during a cycle of inquiry belongs to it unless told otherwise. */
	if (!cycle && (rc = perf_store_current_cycle(perf_txn_repo(txn), txn, today, current, err)) == 0 && current[0])
		cycle = current;
	/* The area is checked against the expectations as they stand, and written as its key. */
	if (g->a->area && (rc = perf_areas_key(perf_txn_repo(txn), txn, g->me, g->a->area, area, err)))
		goto out;
	if ((rc = perf_store_template(perf_txn_repo(txn), txn, "goal", &tpl, err)) ||
	    (rc = perf_doc_new(&doc, g->path, err)))
		goto out;
	if ((rc = perf_doc_set_str(doc, "kind", "goal", err)) || (rc = perf_doc_set_str(doc, "person", g->me, err)) ||
	    (rc = perf_doc_set_str(doc, "title", g->title, err)) ||
	    (rc = perf_doc_set_raw(doc, "status", "active", err)) ||
	    (rc = perf_doc_set_raw(doc, "progress", "0", err)) ||
	    (g->a->due && (rc = perf_doc_set_raw(doc, "due", g->a->due, err))) ||
	    (g->a->supports && (rc = perf_doc_set_str(doc, "supports", g->a->supports, err))) ||
	    (area[0] && (rc = perf_doc_set_str(doc, "area", area, err))) ||
	    (g->a->support && (rc = perf_doc_set_str(doc, "support", g->a->support, err))) ||
	    (g->a->nsupporters &&
	     (rc = add_supporters(txn, doc, g->me, g->a->supporters, g->a->nsupporters, NULL, err))) ||
	    (cycle && (rc = perf_doc_set_str(doc, "cycle", cycle, err))) ||
	    (rc = perf_doc_set_raw(doc, "created", now, err)) ||
	    (g->a->why && (rc = perf_doc_set_str(doc, "why", g->a->why, err))) ||
	    (rc = perf_doc_set_body(doc, tpl, strlen(tpl), err)))
		goto out;
	if ((rc = perf_store_put(txn, kind, doc, g->path, err)))
		goto out;
	if ((rc = perf_txn_subject(txn, err, "goal: %s added %s", g->me, g->slug)) ||
	    (rc = perf_txn_trailer(txn, "Perf-Kind", "goal", err)) ||
	    (rc = perf_txn_trailer(txn, "Perf-Path", g->path, err)) ||
	    (rc = perf_txn_trailer(txn, "Perf-Action", "add", err)))
		goto out;
out:
	free(tpl);
	perf_doc_free(doc);
	return rc;
}

static int goal_add(struct perf_ctx *ctx, void *args, const char *verb, int argc, char **argv)
{
	const struct goal_args *a = args;
	(void)verb;
	struct perf_error err;
	struct add g;
	int rc;

	memset(&g, 0, sizeof(g));
	g.a = a;
	if (argc != 1)
		return perf_usage_error(ctx->cmd, "goal add takes one TITLE (quote it)");
	g.title = argv[0];
	if (!*g.title || strchr(g.title, '\n'))
		return perf_usage_error(ctx->cmd, "the title must be one non-empty line");
	if (a->id) {
		if (perf_value_check_handle(a->id, "goal id", &err))
			return perf_usage_error(ctx->cmd, "%s", err.msg);
		snprintf(g.slug, sizeof(g.slug), "%s", a->id);
	} else if (perf_value_slug(g.title, PERF_HANDLE_MAX, PERF_SLUG_ANY_SCRIPT, g.slug, &err)) {
		return perf_usage_error(ctx->cmd, "%s; give one with --id", err.msg);
	}
	if (a->due && perf_value_parse_date(a->due, NULL, NULL, NULL, &err))
		return perf_usage_error(ctx->cmd, "--due: %s", err.msg);
	if (a->cycle && perf_value_check_handle(a->cycle, "cycle id", &err))
		return perf_usage_error(ctx->cmd, "%s", err.msg);
	if ((a->supports && strchr(a->supports, '\n')))
		return perf_usage_error(ctx->cmd, "--supports must be one line");
	for (size_t i = 0; i < a->nsupporters; i++) {
		char who[PERF_HANDLE_MAX + 1];
		const char *what;
		if (parse_supporter(a->supporters[i], who, &what, &err))
			return perf_usage_error(ctx->cmd, "%s", err.msg);
	}
	if ((rc = perf_repo_require_handle(ctx->repo, &g.me, &err)))
		return perf_fail(&err);
	snprintf(g.path, sizeof(g.path), "goals/%s/%s.md", g.me, g.slug);
	perf_note_repo(ctx);
	if (perf_repo_write(ctx->repo, add_txn, &g, NULL, &err))
		return perf_fail(&err);
	printf("goal: %s added %s (%s)\n", g.me, g.slug, g.path);
	return PERF_EXIT_OK;
}

/* --- list ---------------------------------------------------------------- */

static int goal_list(struct perf_ctx *ctx, void *args, const char *verb, int argc, char **argv)
{
	const struct goal_args *a = args;
	(void)verb;
	struct perf_strv names = PERF_STRV_INIT, ids = PERF_STRV_INIT, rest = PERF_STRV_INIT;
	struct perf_error err;
	const char *who = NULL;
	char dir[64];
	size_t shown = 0, width = 24;
	int rc = PERF_EXIT_OK;

	if (argc > 1)
		return perf_usage_error(ctx->cmd, "goal list takes at most one HANDLE");
	if (argc == 1) {
		who = argv[0];
		if (perf_store_require_person(ctx->repo, NULL, who, &err))
			return perf_fail(&err);
	} else if (perf_repo_require_handle(ctx->repo, &who, &err)) {
		return perf_fail(&err);
	}
	snprintf(dir, sizeof(dir), "goals/%s", who);
	if (perf_store_list(ctx->repo, NULL, dir, &names, &err))
		return perf_fail(&err);
	if (ctx->json)
		printf("[");
	for (size_t i = 0; i < names.n; i++) {
		char path[PERF_SCHEMA_PATH_MAX + 1];
		struct perf_doc *doc = NULL;
		const char *status, *progress, *due, *title;

		snprintf(path, sizeof(path), "%s/%s.md", dir, names.v[i]);
		if (perf_store_load(ctx->repo, NULL, path, &doc, NULL, &err)) {
			fprintf(stderr, "perf: %s\n", err.msg);
			rc = PERF_EXIT_FAIL;
			continue;
		}
		status = perf_doc_str(doc, "status");
		progress = perf_doc_str(doc, "progress");
		due = perf_doc_str(doc, "due");
		title = perf_doc_str(doc, "title");
		if (!status)
			status = "active";
		if (!a->all && strcmp(status, "active")) {
			perf_doc_free(doc);
			continue;
		}
		if (ctx->json) {
			printf("%s\n  {\"id\": ", shown ? "," : "");
			perf_json_str(stdout, names.v[i]);
			printf(", \"path\": ");
			perf_json_str(stdout, path);
			printf(", \"person\": ");
			perf_json_str(stdout, who);
			printf(", \"title\": ");
			perf_json_str(stdout, title);
			printf(", \"status\": ");
			perf_json_str(stdout, status);
			printf(", \"progress\": %s, \"due\": ",
			       progress && perf_value_parse_int(progress, NULL, NULL) == 0 ? progress : "null");
			perf_json_str(stdout, due);
			printf(", \"supports\": ");
			perf_json_str(stdout, perf_doc_str(doc, "supports"));
			printf(", \"cycle\": ");
			perf_json_str(stdout, perf_doc_str(doc, "cycle"));
			printf("}");
		} else {
			/* The rest of the line waits until the id column's width is known. */
			char pct[8], duetxt[24];
			struct perf_buf line = PERF_BUF_INIT;
			snprintf(pct, sizeof(pct), "%s%%", progress ? progress : "0");
			snprintf(duetxt, sizeof(duetxt), "%s%s", due ? "due " : "", due ? due : "");
			perf_buf_printf(&line, "%-8s %5s  %-14s %s", status, pct, duetxt, title ? title : "");
			if (perf_strv_push(&ids, names.v[i]) || perf_strv_push(&rest, perf_buf_cstr(&line))) {
				perf_error(&err, PERF_ENOMEM, "out of memory");
				rc = perf_fail(&err);
			}
			if (strlen(names.v[i]) > width)
				width = strlen(names.v[i]);
			perf_buf_release(&line);
		}
		shown++;
		perf_doc_free(doc);
	}
	/* Ids are what the other verbs take: never cut, the column is as wide as the longest. */
	for (size_t i = 0; i < ids.n && i < rest.n; i++)
		printf("%-*s %s\n", (int)width, ids.v[i], rest.v[i]);
	if (ctx->json)
		printf("%s]\n", shown ? "\n" : "");
	else if (!shown)
		fprintf(stderr, "%s has no %sgoals; add one with 'perf goal add TITLE'\n", who,
		        a->all ? "" : "active ");
	perf_strv_release(&names);
	perf_strv_release(&ids);
	perf_strv_release(&rest);
	return rc;
}

/* --- set, done, drop ----------------------------------------------------- */

struct change {
	const char *me;
	const char *target;
	const char *action; /* set, done, drop */
	char **assign;      /* FIELD=VALUE */
	int nassign;
	const char *why;
	struct perf_target t;
	struct perf_buf summary;
};

/* Resolves a goal TARGET and checks the acting person owns it. */
static int own_goal(struct perf_txn *txn, const char *target, const char *me, struct perf_target *t,
                    struct perf_error *err)
{
	char buf[PERF_SCHEMA_PATH_MAX + 8];
	int rc;

	if (!strchr(target, ':') && !strchr(target, '/'))
		snprintf(buf, sizeof(buf), "goal:%s", target);
	else
		snprintf(buf, sizeof(buf), "%s", target);
	if ((rc = perf_store_resolve(perf_txn_repo(txn), txn, buf, me, t, err)))
		return rc;
	if (!t->match.kind || strcmp(t->match.kind->name, "goal"))
		return perf_error(err, PERF_EINVALID, "'%s' is not a goal (%s)", target, t->path);
	if (strcmp(t->match.handle, me))
		return perf_error(err, PERF_EPERM,
		                  "%s is %s's goal; only %s changes it (you can answer it with 'perf reply %s')",
		                  t->path, t->match.handle, t->match.handle, t->path);
	return 0;
}

static int change_txn(struct perf_txn *txn, void *payload, struct perf_error *err)
{
	struct change *c = payload;
	const struct perf_schema_kind *kind = perf_schema_kind("goal");
	struct perf_doc *doc = NULL;
	char now[21];
	char status[16];
	int rc;

	c->summary.len = 0;
	if ((rc = own_goal(txn, c->target, c->me, &c->t, err)))
		return rc;
	if ((rc = perf_store_load(perf_txn_repo(txn), txn, c->t.path, &doc, NULL, err)))
		return rc;
	perf_value_format_time(perf_value_now(), now);
	snprintf(status, sizeof(status), "%s", perf_doc_str(doc, "status") ? perf_doc_str(doc, "status") : "active");
	if (!strcmp(c->action, "set")) {
		for (int i = 0; i < c->nassign; i++) {
			char field[64];
			const char *eq = strchr(c->assign[i], '='), *old;
			size_t n = eq ? (size_t)(eq - c->assign[i]) : 0;
			if (!eq || n == 0 || n >= sizeof(field)) {
				rc = perf_error(err, PERF_EINVALID, "'%s' is not FIELD=VALUE", c->assign[i]);
				goto out;
			}
			memcpy(field, c->assign[i], n);
			field[n] = '\0';
			if (!is_settable(field)) {
				rc = perf_error(err, PERF_EINVALID,
				                "'%s' cannot be set; fields you can set: title, status, progress, due, "
				                "supports, support, cycle, why",
				                field);
				goto out;
			}
			if ((rc = check_value(kind, field, eq + 1, err)))
				goto out;
			old = perf_doc_str(doc, field);
			if (old && !strcmp(old, eq + 1))
				continue;
			perf_buf_printf(&c->summary, "%s%s %s → %s", c->summary.len ? ", " : "", field,
			                old ? old : "(none)", *eq ? eq + 1 : "(none)");
			if (!eq[1] && !(perf_schema_field(kind, field)->flags & PERF_FIELD_REQUIRED)) {
				if (perf_doc_get(doc, field) && (rc = perf_doc_remove(doc, field, err)))
					goto out;
			} else if ((rc = set_typed(doc, kind, field, eq + 1, err))) {
				goto out;
			}
			if (!strcmp(field, "status")) {
				if (strcmp(eq + 1, "active"))
					rc = perf_doc_set_raw(doc, "closed", now, err);
				else if (perf_doc_get(doc, "closed"))
					rc = perf_doc_remove(doc, "closed", err);
				if (rc)
					goto out;
			}
		}
	} else if (!strcmp(c->action, "support")) {
		if ((rc = add_supporters(txn, doc, c->me, (const char *const *)c->assign, (size_t)c->nassign,
		                         &c->summary, err)))
			goto out;
		c->summary.len = 0;
		perf_buf_printf(&c->summary, "support promised by");
		for (int i = 0; i < c->nassign; i++)
			perf_buf_printf(&c->summary, "%s %.*s", i ? "," : "", (int)strcspn(c->assign[i] + 1, ":"),
			                c->assign[i] + 1);
	} else {
		const char *to = !strcmp(c->action, "done") ? "done" : "dropped";
		if (!strcmp(status, to)) {
			rc = perf_error(err, PERF_EINVALID, "%s is already %s", c->t.path, to);
			goto out;
		}
		if ((rc = perf_doc_set_raw(doc, "status", to, err)) ||
		    (!strcmp(to, "done") && (rc = perf_doc_set_raw(doc, "progress", "100", err))) ||
		    (rc = perf_doc_set_raw(doc, "closed", now, err)))
			goto out;
		perf_buf_printf(&c->summary, "status %s → %s", status, to);
		if (c->why) {
			/* The reason is part of the conversation: a reply in the goal's thread. */
			struct perf_doc *reply = NULL;
			char rpath[PERF_SCHEMA_PATH_MAX + 1];
			struct perf_schema_match m;
			if ((rc = perf_store_reply_path(txn, c->t.path, c->me, perf_value_now(), rpath, err)) ||
			    (rc = perf_schema_match_path(&m, rpath, err)) || (rc = perf_doc_new(&reply, rpath, err)))
				goto out;
			if (!(rc = perf_doc_set_str(reply, "kind", "reply", err)) &&
			    !(rc = perf_doc_set_str(reply, "author", c->me, err)) &&
			    !(rc = perf_doc_set_str(reply, "to", c->t.path, err)) &&
			    !(rc = perf_doc_set_raw(reply, "at", m.time, err))) {
				struct perf_buf body = PERF_BUF_INIT;
				perf_buf_printf(&body, "Dropped: %s\n", c->why);
				rc = perf_doc_set_body(reply, body.ptr, body.len, err);
				perf_buf_release(&body);
			}
			if (!rc)
				rc = perf_store_put(txn, perf_schema_kind("reply"), reply, rpath, err);
			perf_doc_free(reply);
			if (rc)
				goto out;
		}
	}
	if ((rc = perf_store_put(txn, kind, doc, c->t.path, err)))
		goto out;
	if ((rc = perf_txn_subject(txn, err, "goal: %s %s %s", c->me,
	                           !strcmp(c->action, "set") || !strcmp(c->action, "support") ? "updated"
	                           : !strcmp(c->action, "done")                               ? "finished"
	                                                                                      : "dropped",
	                           c->t.match.slug)) ||
	    (rc = perf_txn_trailer(txn, "Perf-Kind", "goal", err)) ||
	    (rc = perf_txn_trailer(txn, "Perf-Path", c->t.path, err)) ||
	    (rc = perf_txn_trailer(txn, "Perf-Action", c->action, err)) ||
	    (c->summary.len && (rc = perf_txn_trailer(txn, "Perf-Change", c->summary.ptr, err))))
		goto out;
out:
	perf_doc_free(doc);
	return rc;
}

static int goal_change(struct perf_ctx *ctx, void *args, const char *action, int argc, char **argv)
{
	const struct goal_args *a = args;
	struct perf_error err;
	struct change c;
	bool committed = false;
	int rc = PERF_EXIT_OK;

	memset(&c, 0, sizeof(c));
	if (argc < 1)
		return perf_usage_error(ctx->cmd, "goal %s needs a goal ID", action);
	if (!strcmp(action, "set") && argc < 2)
		return perf_usage_error(ctx->cmd, "goal set needs FIELD=VALUE (for example progress=60)");
	if (!strcmp(action, "support") && argc < 2)
		return perf_usage_error(ctx->cmd,
		                        "goal support needs @WHO:WHAT (for example @bo:\"pairs on the tests\")");
	if (strcmp(action, "set") && strcmp(action, "support") && argc > 1)
		return perf_usage_error(ctx->cmd, "goal %s takes one goal ID", action);
	c.action = action;
	c.target = argv[0];
	c.assign = argv + 1;
	c.nassign = argc - 1;
	c.why = !strcmp(action, "drop") ? a->why : NULL;
	if (perf_repo_require_handle(ctx->repo, &c.me, &err))
		return perf_fail(&err);
	perf_note_repo(ctx);
	if (perf_repo_write(ctx->repo, change_txn, &c, &committed, &err)) {
		rc = perf_fail(&err);
	} else if (!committed) {
		printf("%s unchanged; nothing committed\n", c.t.path);
	} else {
		printf("goal: %s %s (%s)\n", c.t.match.slug, perf_buf_cstr(&c.summary), c.t.path);
	}
	perf_buf_release(&c.summary);
	return rc;
}

/* --- give: the supporter marks their support given ------------------------ */

struct give {
	const char *me, *target;
	struct perf_target t;
	char what[512];
	char today[11];
};

static int give_txn(struct perf_txn *txn, void *payload, struct perf_error *err)
{
	struct give *g = payload;
	struct perf_doc *doc = NULL;
	char buf[PERF_SCHEMA_PATH_MAX + 8];
	const struct perf_node *list;
	struct perf_node *copy = NULL;
	size_t k;
	int rc;

	if (!strchr(g->target, ':') && !strchr(g->target, '/'))
		snprintf(buf, sizeof(buf), "goal:%s", g->target);
	else
		snprintf(buf, sizeof(buf), "%s", g->target);
	if ((rc = perf_store_resolve(perf_txn_repo(txn), txn, buf, g->me, &g->t, err)))
		return rc;
	if (!g->t.match.kind || strcmp(g->t.match.kind->name, "goal"))
		return perf_error(err, PERF_EINVALID, "'%s' is not a goal (%s)", g->target, g->t.path);
	if ((rc = perf_store_load(perf_txn_repo(txn), txn, g->t.path, &doc, NULL, err)))
		return rc;
	list = perf_doc_get(doc, "supporters");
	for (k = 0; list && list->type == PERF_NODE_SEQ && k < list->n; k++) {
		const char *w = perf_node_str(list->values[k], "who");
		if (w && !strcmp(w, g->me))
			break;
	}
	if (!list || list->type != PERF_NODE_SEQ || k == list->n) {
		rc = perf_error(err, PERF_ENOTFOUND,
		                "%s promised no support to %s (%s); only a supporter marks their support given", g->me,
		                g->t.path, perf_doc_str(doc, "title") ? perf_doc_str(doc, "title") : g->t.match.slug);
		goto out;
	}
	snprintf(g->what, sizeof(g->what), "%s",
	         perf_node_str(list->values[k], "what") ? perf_node_str(list->values[k], "what") : "");
	if (perf_node_str(list->values[k], "given")) {
		rc = perf_error(err, PERF_EINVALID, "you already gave this support on %s (%s)",
		                perf_node_str(list->values[k], "given"), g->t.path);
		goto out;
	}
	if (!(copy = perf_node_clone(list)) ||
	    perf_node_map_add(copy->values[k], "given", perf_node_new_raw(g->today))) {
		perf_node_free(copy);
		rc = perf_error(err, PERF_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = perf_doc_set_node(doc, "supporters", copy, err)) ||
	    (rc = perf_store_put(txn, perf_schema_kind("goal"), doc, g->t.path, err)) ||
	    (rc = perf_txn_subject(txn, err, "goal: %s gave support to %s/%s", g->me, g->t.match.handle,
	                           g->t.match.slug)) ||
	    (rc = perf_txn_trailer(txn, "Perf-Kind", "goal", err)) ||
	    (rc = perf_txn_trailer(txn, "Perf-Path", g->t.path, err)) ||
	    (rc = perf_txn_trailer(txn, "Perf-Action", "give", err)))
		goto out;
out:
	perf_doc_free(doc);
	return rc;
}

static int goal_give(struct perf_ctx *ctx, void *args, const char *verb, int argc, char **argv)
{
	struct perf_error err;
	struct give g;

	(void)args;
	(void)verb;
	memset(&g, 0, sizeof(g));
	if (argc != 1)
		return perf_usage_error(ctx->cmd, "goal give takes one goal (HANDLE/ID)");
	g.target = argv[0];
	perf_value_format_date(perf_value_now(), g.today);
	if (perf_repo_require_handle(ctx->repo, &g.me, &err))
		return perf_fail(&err);
	perf_note_repo(ctx);
	if (perf_repo_write(ctx->repo, give_txn, &g, NULL, &err))
		return perf_fail(&err);
	printf("goal: %s gave support to %s/%s: %s (%s)\n", g.me, g.t.match.handle, g.t.match.slug, g.what, g.t.path);
	return PERF_EXIT_OK;
}

static int goal_show(struct perf_ctx *ctx, void *args, const char *verb, int argc, char **argv)
{
	char target[PERF_SCHEMA_PATH_MAX + 8];

	(void)args;
	(void)verb;
	if (argc != 1)
		return perf_usage_error(ctx->cmd, "goal show takes one goal ID");
	perf_id_target("goal", argv[0], target, sizeof(target));
	return perf_show_target(ctx, target, false);
}

static int run_goal(struct perf_ctx *ctx, int argc, char **argv)
{
	struct perf_optstate st;
	struct goal_args a = {0};
	const char *arg;
	int c;

	perf_opt_init(&st, ctx->cmd, argc, argv);
	perf_opt_bind(&st, &a);
	while ((c = perf_opt_next(&st, &arg)) != -1) {
		if (c != OPT_SUPPORT)
			return PERF_EXIT_USAGE;
		/* @WHO:WHAT names a supporter; anything else is the free text of older goals. */
		if (arg[0] != '@')
			a.support = arg;
		else if (a.nsupporters == MAX_SUPPORTERS)
			return perf_usage_error(ctx->cmd, "at most %d --support @WHO:WHAT", MAX_SUPPORTERS);
		else
			a.supporters[a.nsupporters++] = arg;
	}
	return perf_verb_run(ctx, &a, argc - st.index, argv + st.index);
}

static const struct perf_verb goal_verbs[] = {
    {.name = "add",
     .usage = "add TITLE [--due DATE] [--supports AREA] [--area AREA] [--support @WHO:WHAT]... [--cycle ID] [--id "
              "SLUG] [--why "
              "TEXT]",
     .summary = "add a personal goal",
     .run = goal_add},
    {.name = "list",
     .alias = "ls",
     .usage = "list [HANDLE] [--all]",
     .summary = "list active goals (all of them with --all)",
     .flags = PERF_VERB_DEFAULT,
     .run = goal_list},
    {.name = "show", .usage = "show ID", .summary = "show a goal and its replies", .run = goal_show},
    {.name = "set",
     .usage = "set ID FIELD=VALUE...",
     .summary = "change fields of one of your goals",
     .run = goal_change,
     .kind = "goal",
     .fields = settable},
    {.name = "done", .usage = "done ID", .summary = "mark one of your goals done", .run = goal_change},
    {.name = "support",
     .usage = "support ID @WHO:WHAT...",
     .summary = "name who commits to support one of your goals, and how",
     .run = goal_change},
    {.name = "give",
     .usage = "give HANDLE/ID",
     .summary = "mark the support you promised to someone's goal as given",
     .run = goal_give},
    {.name = "drop",
     .usage = "drop ID [--why TEXT]",
     .summary = "let one of your goals go (say why with --why)",
     .run = goal_change},
    {0},
};

const struct perf_cmd perf_cmd_goal = {
    .group = PERF_GROUP_WEEK,
    .name = "goal",
    .summary = "set personal goals and keep them moving",
    .opts = goal_opts,
    .flags = PERF_CMD_RECORD | PERF_CMD_REPO | PERF_CMD_WRITES | PERF_CMD_READS,
    .run = run_goal,
    .verbs = goal_verbs,
};
