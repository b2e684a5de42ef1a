/*
 * perf action list|done: the actions agreed in notes, across the team.
 *
 * An action is named PERSON/ID: the person whose notes hold it and its id,
 * unique among that person's notes.  The latest note holding it (open
 * actions are carried into the next note with the same people) says its
 * state, and `done` changes that note: the front matter's `done: true` and
 * the box of its task item, in one commit.
 */
#include "perf.h"
#include "toolkit.h"

#include <stdlib.h>
#include <string.h>

#include "actions.h"
#include "buf.h"
#include "doc.h"
#include "schema.h"
#include "store.h"
#include "value.h"

struct action_args {
	bool open, mine, overdue, json;
};

static const struct perf_opt action_opts[] = {
    {.name = "open",
     .short_name = 'o',
     .help = "list: only actions not done yet",
     PERF_OPT_INTO(struct action_args, open)},
    {.name = "mine", .help = "list: only actions you own", PERF_OPT_INTO(struct action_args, mine)},
    {.name = "overdue",
     .help = "list: only open actions whose date has passed",
     PERF_OPT_INTO(struct action_args, overdue)},
    {.name = "json",
     .help = "list: JSON output (as 'perf --json action list')",
     PERF_OPT_INTO(struct action_args, json)},
    {0},
};

static const char *state_of(const struct perf_action *a, const char *today)
{
	if (a->done)
		return "done";
	if (a->due[0] && strcmp(a->due, today) < 0)
		return "overdue";
	return "open";
}

static void warn(void *payload, const char *message)
{
	int *rc = payload;

	fprintf(stderr, "perf: %s\n", message);
	*rc = PERF_EXIT_FAIL;
}

/* Open before done; then by due date (none last), person and id. */
static int cmp_refs(const void *pa, const void *pb)
{
	const struct perf_action_ref *a = pa, *b = pb;
	int c;

	if (a->a.done != b->a.done)
		return a->a.done ? 1 : -1;
	if (!a->a.due[0] != !b->a.due[0])
		return a->a.due[0] ? -1 : 1;
	if ((c = strcmp(a->a.due, b->a.due)))
		return c;
	if ((c = strcmp(a->person, b->person)))
		return c;
	return strcmp(a->a.id, b->a.id);
}

static void print_json(const struct perf_action_ref *r, const char *state, bool first)
{
	char ref[2 * PERF_HANDLE_MAX + 2];

	snprintf(ref, sizeof(ref), "%s/%s", r->person, r->a.id);
	perf_json_fields(first ? "\n  {" : ",\n  {", "ref", ref, "id", r->a.id, "person", r->person, "owner",
	                 r->a.owner, "text", r->a.text, "due", r->a.due[0] ? r->a.due : NULL, NULL);
	printf(", \"done\": %s", r->a.done ? "true" : "false");
	perf_json_fields(", ", "state", state, "note", r->note, NULL);
	printf(", \"with\": [");
	for (const char *p = r->with; *p;) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		char h[PERF_HANDLE_MAX + 1];
		snprintf(h, sizeof(h), "%.*s", (int)n, p);
		printf("%s", p == r->with ? "" : ", ");
		perf_json_str(stdout, h);
		p = comma ? comma + 1 : p + n;
	}
	printf("]}");
}

/* Whether perf action list shows r with these options. */
static bool listed(const struct action_args *a, const struct perf_action_ref *r, const char *me, const char *today)
{
	if ((a->open || a->overdue) && r->a.done)
		return false;
	if (a->overdue && strcmp(state_of(&r->a, today), "overdue"))
		return false;
	return !me || !strcmp(r->a.owner, me);
}

static int action_list(struct perf_ctx *ctx, void *args, const char *verb, int argc, char **argv)
{
	const struct action_args *a = args;
	struct perf_action_refs refs = PERF_ACTION_REFS_INIT;
	struct perf_error err;
	const char *me = NULL;
	char today[11];
	size_t shown = 0, ref_w = 28, owner_w = 10;
	int rc = PERF_EXIT_OK;

	(void)verb;
	(void)argv;
	if (argc > 0)
		return perf_usage_error(ctx->cmd, "action list takes no arguments");
	ctx->json = ctx->json || a->json;
	if (a->mine && perf_repo_require_handle(ctx->repo, &me, &err))
		return perf_fail(&err);
	perf_value_format_date(perf_value_now(), today);
	if (perf_actions_collect(&refs, ctx->repo, NULL, NULL, warn, &rc, &err)) {
		perf_action_refs_release(&refs);
		return perf_fail(&err);
	}
	qsort(refs.v, refs.n, sizeof(refs.v[0]), cmp_refs);
	/* Refs and owners are what perf action done takes: never cut, their columns as wide as the longest. */
	for (size_t i = 0; i < refs.n; i++) {
		size_t rl = strlen(refs.v[i].person) + 1 + strlen(refs.v[i].a.id), ol = strlen(refs.v[i].a.owner);
		if (!listed(a, &refs.v[i], me, today))
			continue;
		ref_w = rl > ref_w ? rl : ref_w;
		owner_w = ol > owner_w ? ol : owner_w;
	}
	if (ctx->json)
		printf("[");
	for (size_t i = 0; i < refs.n; i++) {
		const struct perf_action_ref *r = &refs.v[i];
		const char *state = state_of(&r->a, today);
		if (!listed(a, r, me, today))
			continue;
		if (ctx->json) {
			print_json(r, state, shown == 0);
		} else {
			char ref[2 * PERF_HANDLE_MAX + 2];
			snprintf(ref, sizeof(ref), "%s/%s", r->person, r->a.id);
			printf("%-*s %-*s %-10s %-7s %s  (%s)\n", (int)ref_w, ref, (int)owner_w, r->a.owner,
			       r->a.due[0] ? r->a.due : "-", state, r->a.text, r->note);
		}
		shown++;
	}
	if (ctx->json)
		printf("%s]\n", shown ? "\n" : "");
	else if (!shown)
		fprintf(stderr,
		        "no %sactions%s; actions are task items in notes (perf note HANDLE) and retros (perf retro add "
		        "--action)\n",
		        a->overdue ? "overdue "
		        : a->open  ? "open "
		                   : "",
		        me ? " of yours" : "");
	perf_action_refs_release(&refs);
	return rc;
}

/* --- done ---------------------------------------------------------------- */

struct done {
	const char *me, *target;
	struct perf_action_ref hit; /* copy; text and with borrowed from refs, valid inside the txn only */
	char text[512];
	bool ticked;
};

/* Finds TARGET (ID, or PERSON/ID; exact, else unambiguous prefix) among refs. */
static int resolve(const struct perf_action_refs *refs, const char *target, const struct perf_action_ref **out,
                   struct perf_error *err)
{
	const char *slash = strchr(target, '/');
	char person[PERF_HANDLE_MAX + 1] = "";
	const char *id = target;
	const struct perf_action_ref *exact[2] = {NULL, NULL}, *pre[2] = {NULL, NULL}, *open1 = NULL;
	size_t nexact = 0, npre = 0, nopen = 0, idlen;
	bool use_exact;

	*out = NULL;
	if (slash) {
		size_t n = (size_t)(slash - target);
		if (n == 0 || n > PERF_HANDLE_MAX)
			return perf_error(err, PERF_EINVALID, "'%s' is not an action (ID or PERSON/ID)", target);
		memcpy(person, target, n);
		person[n] = '\0';
		id = slash + 1;
	}
	idlen = strlen(id);
	if (!idlen || (*person && !perf_value_is_handle(person)))
		return perf_error(err, PERF_EINVALID, "'%s' is not an action (ID or PERSON/ID)", target);
	for (size_t i = 0; i < refs->n; i++) {
		const struct perf_action_ref *r = &refs->v[i];
		if (*person && strcmp(r->person, person))
			continue;
		if (!strcmp(r->a.id, id)) {
			if (nexact < 2)
				exact[nexact] = r;
			nexact++;
		} else if (!strncmp(r->a.id, id, idlen)) {
			if (npre < 2)
				pre[npre] = r;
			npre++;
		}
	}
	use_exact = nexact > 0;
	if ((use_exact ? nexact : npre) == 1) {
		*out = use_exact ? exact[0] : pre[0];
		return 0;
	}
	if (!nexact && !npre)
		return perf_error(err, PERF_ENOTFOUND, "no action '%s'; see 'perf action list'", target);
	/* Several: when exactly one of them is open, that is the one meant. */
	for (size_t i = 0; i < refs->n; i++) {
		const struct perf_action_ref *r = &refs->v[i];
		if ((*person && strcmp(r->person, person)) || r->a.done)
			continue;
		if (use_exact ? !strcmp(r->a.id, id) : (strcmp(r->a.id, id) && !strncmp(r->a.id, id, idlen))) {
			open1 = r;
			nopen++;
		}
	}
	if (nopen == 1) {
		*out = open1;
		return 0;
	}
	{
		struct perf_buf b = PERF_BUF_INIT;
		size_t shown = 0;
		for (size_t i = 0; i < refs->n && shown < 20; i++) {
			const struct perf_action_ref *r = &refs->v[i];
			if (*person && strcmp(r->person, person))
				continue;
			if (use_exact ? strcmp(r->a.id, id) : (!strcmp(r->a.id, id) || strncmp(r->a.id, id, idlen)))
				continue;
			perf_buf_printf(&b, "\nperf:   %s/%s  %s (%s, %s)", r->person, r->a.id, r->a.text, r->note,
			                r->a.done ? "done" : "open");
			shown++;
		}
		perf_error(err, PERF_EAMBIGUOUS, "'%s' is ambiguous; say which with PERSON/ID:%s", target,
		           perf_buf_cstr(&b));
		perf_buf_release(&b);
	}
	return PERF_EAMBIGUOUS;
}

/* Whether h is one of the comma-separated handles of with. */
static bool in_with(const char *with, const char *h)
{
	size_t n = strlen(h);

	for (const char *p = with; p && *p;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		if (len == n && !strncmp(p, h, n))
			return true;
		p = comma ? comma + 1 : p + len;
	}
	return false;
}

static int done_txn(struct perf_txn *txn, void *payload, struct perf_error *err)
{
	struct done *d = payload;
	struct perf_repo *repo = perf_txn_repo(txn);
	struct perf_action_refs refs = PERF_ACTION_REFS_INIT;
	struct perf_actions items = PERF_ACTIONS_INIT;
	const struct perf_action_ref *r;
	struct perf_schema_match m;
	struct perf_doc *doc = NULL;
	char field[64], ref[2 * PERF_HANDLE_MAX + 2], quoted[80];
	const char *b;
	size_t blen;
	int rc;

	d->ticked = false;
	if ((rc = perf_actions_collect(&refs, repo, txn, NULL, NULL, NULL, err)) ||
	    (rc = resolve(&refs, d->target, &r, err)))
		goto out;
	if (!r) {
		rc = perf_error(err, PERF_ENOTFOUND, "no action '%s'", d->target);
		goto out;
	}
	snprintf(ref, sizeof(ref), "%s/%s", r->person, r->a.id);
	d->hit = *r;
	snprintf(d->text, sizeof(d->text), "%s", r->a.text);
	if (r->team && strcmp(d->me, r->a.owner)) {
		/* A team's document (a retro): the owner says when it is done. */
		rc = perf_error(err, PERF_EPERM, "%s is %s's action; only %s can mark it done", ref, r->a.owner,
		                r->a.owner);
		goto out;
	}
	if (!r->team && strcmp(d->me, r->a.owner) && strcmp(d->me, r->person)) {
		if (!strcmp(r->a.owner, r->person))
			rc = perf_error(err, PERF_EPERM, "%s is %s's action; only %s can mark it done", ref, r->a.owner,
			                r->a.owner);
		else
			rc = perf_error(err, PERF_EPERM,
			                "%s is %s's action in %s's notes; only %s or %s can mark it done", ref,
			                r->a.owner, r->person, r->a.owner, r->person);
		goto out;
	}
	if (!r->team && strcmp(d->me, r->person) && !in_with(r->with, d->me)) {
		/* Only a hand-edited note names an owner outside the conversation; its people write it. */
		rc = perf_error(err, PERF_EPERM,
		                "%s is in %s, and you are not in that conversation; ask %s to mark it done", ref,
		                r->note, r->person);
		goto out;
	}
	if (r->a.done) {
		rc = perf_error(err, PERF_EINVALID, "%s is already done (%s)", ref, r->note);
		goto out;
	}
	if ((rc = perf_store_load(repo, txn, r->note, &doc, NULL, err)))
		goto out;
	snprintf(field, sizeof(field), "actions[%zu].done", r->index);
	if ((rc = perf_doc_set_raw(doc, field, "true", err)))
		goto out;
	/* Tick the task item with the same owner and text, when the body still has it. */
	b = perf_doc_body(doc, &blen);
	if ((rc = perf_actions_parse(&items, b, blen, r->person, NULL, NULL, NULL, err)))
		goto out;
	for (size_t i = 0; i < items.n; i++) {
		if (items.v[i].done || strcmp(items.v[i].owner, r->a.owner) || strcmp(items.v[i].text, r->a.text))
			continue;
		char *copy = malloc(blen + 1);
		if (!copy) {
			rc = perf_error(err, PERF_ENOMEM, "out of memory");
			goto out;
		}
		memcpy(copy, b, blen);
		copy[blen] = '\0';
		copy[items.v[i].box] = 'x';
		rc = perf_doc_set_body(doc, copy, blen, err);
		free(copy);
		if (rc)
			goto out;
		d->ticked = true;
		break;
	}
	if ((rc = perf_schema_match_path(&m, r->note, err)) || (rc = perf_store_put(txn, m.kind, doc, r->note, err)))
		goto out;
	snprintf(quoted, sizeof(quoted), "%.60s%s", r->a.text, strlen(r->a.text) > 60 ? "..." : "");
	if ((rc = perf_txn_subject(txn, err, "action: %s done '%s' (%s)", d->me, quoted, r->note)) ||
	    (rc = perf_txn_trailer(txn, "Perf-Kind", m.kind->name, err)) ||
	    (rc = perf_txn_trailer(txn, "Perf-Path", r->note, err)) ||
	    (rc = perf_txn_trailer(txn, "Perf-Action", "done", err)) ||
	    (rc = perf_txn_trailer(txn, "Perf-Action-Id", ref, err)))
		goto out;
out:
	perf_doc_free(doc);
	perf_actions_release(&items);
	/* d->hit's pointers die with refs: keep only the fixed-size parts. */
	d->hit.a.text = NULL;
	d->hit.with = NULL;
	perf_action_refs_release(&refs);
	return rc;
}

static int action_done(struct perf_ctx *ctx, void *args, const char *verb, int argc, char **argv)
{
	const struct action_args *a = args;
	struct perf_error err;
	struct done d;

	(void)verb;
	if (a->open || a->mine || a->overdue || a->json)
		return perf_usage_error(ctx->cmd, "--open, --mine, --overdue and --json are for 'action list'");

	memset(&d, 0, sizeof(d));
	if (argc != 1)
		return perf_usage_error(ctx->cmd, "action done takes one action ID (see 'perf action list')");
	d.target = argv[0];
	if (perf_repo_require_handle(ctx->repo, &d.me, &err))
		return perf_fail(&err);
	perf_note_repo(ctx);
	if (perf_repo_write(ctx->repo, done_txn, &d, NULL, &err))
		return perf_fail(&err);
	printf("action: %s done '%s' (%s)\n", d.me, d.text, d.hit.note);
	return PERF_EXIT_OK;
}

static int run_action(struct perf_ctx *ctx, int argc, char **argv)
{
	struct action_args a = {0};

	return perf_verb_main(ctx, &a, argc, argv);
}

static const struct perf_verb action_verbs[] = {
    {.name = "list",
     .alias = "ls",
     .usage = "list [--open] [--mine] [--overdue] [--json]",
     .summary = "list the actions agreed in notes and retros (the open ones with --open)",
     .flags = PERF_VERB_DEFAULT,
     .run = action_list},
    {.name = "done", .usage = "done ID", .summary = "mark one of your actions done", .run = action_done},
    {0},
};

const struct perf_cmd perf_cmd_action = {
    .group = PERF_GROUP_WEEK,
    .name = "action",
    .summary = "list the actions agreed in notes and retros, and mark them done",
    .opts = action_opts,
    .flags = PERF_CMD_RECORD | PERF_CMD_REPO | PERF_CMD_WRITES | PERF_CMD_READS,
    .run = run_action,
    .verbs = action_verbs,
};
