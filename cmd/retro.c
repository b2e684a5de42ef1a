/*
 * perf retro add|list|show: the team looks back together.  A retro is one
 * file a day (retros/<YYYY-MM-DD>.md) that anyone on the team writes: what
 * went well, what to change, and actions, each owned by one person, which
 * join perf action list.
 */
#include "perf.h"
#include "toolkit.h"

#include <stdlib.h>
#include <string.h>

#include "actions.h"
#include "body.h"
#include "buf.h"
#include "doc.h"
#include "schema.h"
#include "store.h"
#include "strv.h"
#include "value.h"

/* The options the parser returns: each adds to a list. */
enum {
	OPT_WENT_WELL = PERF_OPT_FIRST_ID,
	OPT_TO_CHANGE,
};

struct retro {
	const char *me, *title, *message;
	struct perf_strv went_well, to_change, action_texts;
	struct perf_actions actions;
	char date[11];
	char path[PERF_SCHEMA_PATH_MAX + 1];
	bool created; /* add: the retro was new */
};

#define INTO(member) PERF_OPT_INTO(struct retro, member)
static const struct perf_opt retro_opts[] = {
    {.name = "went-well", .id = OPT_WENT_WELL, .arg = "TEXT", .help = "add: something that went well (repeatable)"},
    {.name = "to-change", .id = OPT_TO_CHANGE, .arg = "TEXT", .help = "add: something to change (repeatable)"},
    {.name = "action",
     .short_name = 'a',
     .arg = "TEXT",
     .help = "add: an action, \"[@owner] what [by YYYY-MM-DD]\"; yours without @owner (repeatable)"},
    {.name = "title", .short_name = 't', .arg = "TEXT", .help = "add: what the retro looked back on", INTO(title)},
    {.name = "message",
     .short_name = 'm',
     .arg = "TEXT",
     .help = "add: what was talked about, for the body",
     INTO(message)},
    {0},
};
#undef INTO

static const struct perf_schema_kind *retro_kind(void)
{
	return perf_schema_kind("retro");
}

/* DATE, or today. */
static int retro_date(struct perf_ctx *ctx, struct retro *r, int argc, char **argv, const char *verb)
{
	struct perf_error err;

	if (argc > 1)
		return perf_usage_error(ctx->cmd, "retro %s takes at most one DATE", verb);
	if (argc == 1) {
		if (perf_value_parse_date(argv[0], NULL, NULL, NULL, &err))
			return perf_usage_error(ctx->cmd, "'%s' is not a date (YYYY-MM-DD)", argv[0]);
		snprintf(r->date, sizeof(r->date), "%s", argv[0]);
	} else {
		perf_value_format_date(perf_value_now(), r->date);
	}
	snprintf(r->path, sizeof(r->path), "retros/%s.md", r->date);
	return PERF_EXIT_OK;
}

/* The list field `name` of doc, copied to be added to (a new list when absent); NULL when out of memory. */
static struct perf_node *list_of(const struct perf_doc *doc, const char *name)
{
	const struct perf_node *have = perf_doc_get(doc, name);

	return have && have->type == PERF_NODE_SEQ ? perf_node_clone(have) : perf_node_new_seq();
}

/* Appends the strings of list to the list field `name` of doc. */
static int add_strings(struct perf_doc *doc, const char *name, const struct perf_strv *list, struct perf_error *err)
{
	struct perf_node *seq;

	if (!list->n)
		return 0;
	if (!(seq = list_of(doc, name)))
		return perf_error(err, PERF_ENOMEM, "out of memory");
	for (size_t i = 0; i < list->n; i++)
		if (perf_node_seq_add(seq, perf_node_new_str(list->v[i]))) {
			perf_node_free(seq);
			return perf_error(err, PERF_ENOMEM, "out of memory");
		}
	return perf_doc_set_node(doc, name, seq, err);
}

/* An action id is taken when any retro's action has it. */
static bool id_taken(void *payload, const char *id)
{
	const struct perf_action_refs *refs = payload;

	for (size_t i = 0; i < refs->n; i++)
		if (!strcmp(refs->v[i].a.id, id))
			return true;
	return false;
}

static int add_actions(struct perf_txn *txn, struct perf_doc *doc, struct retro *r, struct perf_error *err)
{
	struct perf_action_refs refs = PERF_ACTION_REFS_INIT;
	struct perf_node *seq = NULL;
	int rc;

	if (!r->actions.n)
		return 0;
	if ((rc = perf_actions_collect(&refs, perf_txn_repo(txn), txn, "", NULL, NULL, err)) ||
	    (rc = perf_actions_assign_ids(&r->actions, id_taken, &refs, err)))
		goto out;
	if (!(seq = list_of(doc, "actions")))
		goto nomem;
	for (size_t i = 0; i < r->actions.n; i++) {
		const struct perf_action *a = &r->actions.v[i];
		struct perf_node *m = perf_node_new_map();
		if (perf_node_seq_add(seq, m) || perf_node_map_add(m, "id", perf_node_new_str(a->id)) ||
		    perf_node_map_add(m, "owner", perf_node_new_str(a->owner)) ||
		    perf_node_map_add(m, "text", perf_node_new_str(a->text)) ||
		    (a->due[0] && perf_node_map_add(m, "due", perf_node_new_raw(a->due))))
			goto nomem;
	}
	rc = perf_doc_set_node(doc, "actions", seq, err);
	seq = NULL;
	goto out;
nomem:
	rc = perf_error(err, PERF_ENOMEM, "out of memory");
out:
	perf_node_free(seq);
	perf_action_refs_release(&refs);
	return rc;
}

static int add_txn(struct perf_txn *txn, void *payload, struct perf_error *err)
{
	struct retro *r = payload;
	struct perf_repo *repo = perf_txn_repo(txn);
	struct perf_doc *doc = NULL;
	struct perf_buf body = PERF_BUF_INIT;
	char *tpl = NULL;
	const char *b;
	size_t blen;
	int rc;

	r->created = !perf_txn_exists(txn, r->path);
	if (r->created) {
		if ((rc = perf_store_template(repo, txn, "retro", &tpl, err)) ||
		    (rc = perf_doc_new(&doc, r->path, err)) || (rc = perf_doc_set_str(doc, "kind", "retro", err)) ||
		    (rc = perf_doc_set_raw(doc, "date", r->date, err)) ||
		    (rc = perf_doc_set_body(doc, tpl, strlen(tpl), err)))
			goto out;
	} else if ((rc = perf_store_load(repo, txn, r->path, &doc, NULL, err))) {
		goto out;
	}
	if ((r->title && (rc = perf_doc_set_str(doc, "title", r->title, err))) ||
	    (rc = add_strings(doc, "went_well", &r->went_well, err)) ||
	    (rc = add_strings(doc, "to_change", &r->to_change, err)) || (rc = add_actions(txn, doc, r, err)))
		goto out;
	if (r->message) {
		b = perf_doc_body(doc, &blen);
		if (perf_buf_add(&body, b, blen)) {
			rc = perf_error(err, PERF_ENOMEM, "out of memory");
			goto out;
		}
		if (r->created) {
			rc = perf_body_set_section(&body, "What we talked about", r->message) ? PERF_ENOMEM : 0;
		} else {
			/* Only added at the end: a retro's body grows, it is never rewritten (PERF_RULE_APPEND). */
			const char *sep = !body.len ? "" : body.ptr[body.len - 1] == '\n' ? "\n" : "\n\n";
			rc = perf_buf_printf(&body, "%s%s\n", sep, r->message) ? PERF_ENOMEM : 0;
		}
		if (rc || (rc = perf_doc_set_body(doc, perf_buf_cstr(&body), body.len, err)))
			goto out;
	}
	if ((rc = perf_store_put(txn, retro_kind(), doc, r->path, err)))
		goto out;
	if ((rc = perf_txn_subject(txn, err, "retro: %s %s the retro of %s", r->me, r->created ? "held" : "added to",
	                           r->date)) ||
	    (rc = perf_txn_trailer(txn, "Perf-Kind", "retro", err)) ||
	    (rc = perf_txn_trailer(txn, "Perf-Path", r->path, err)) ||
	    (rc = perf_txn_trailer(txn, "Perf-Action", r->created ? "start" : "add", err)))
		goto out;
out:
	if (rc == PERF_ENOMEM)
		perf_error(err, rc, "out of memory");
	free(tpl);
	perf_buf_release(&body);
	perf_doc_free(doc);
	return rc;
}

/* One line of text for a list item: not empty, no line breaks. */
static int one_line(struct perf_ctx *ctx, const char *opt, const char *text)
{
	if (!text || !*text || strspn(text, " \t") == strlen(text))
		return perf_usage_error(ctx->cmd, "--%s needs some text", opt);
	if (strchr(text, '\n') || strchr(text, '\r'))
		return perf_usage_error(ctx->cmd, "--%s takes one line", opt);
	return PERF_EXIT_OK;
}

static int retro_add(struct perf_ctx *ctx, void *args, const char *verb, int argc, char **argv)
{
	struct retro *r = args;
	struct perf_error err;
	int rc;

	perf_error_clear(&err);
	if ((rc = retro_date(ctx, r, argc, argv, verb)))
		return rc;
	if (!r->went_well.n && !r->to_change.n && !r->action_texts.n && !r->message && !r->title)
		return perf_usage_error(ctx->cmd,
		                        "nothing to add; give --went-well, --to-change, --action, --title or -m");
	for (size_t i = 0; i < r->went_well.n; i++)
		if ((rc = one_line(ctx, "went-well", r->went_well.v[i])))
			return rc;
	for (size_t i = 0; i < r->to_change.n; i++)
		if ((rc = one_line(ctx, "to-change", r->to_change.v[i])))
			return rc;
	if (r->title && (rc = one_line(ctx, "title", r->title)))
		return rc;
	if (r->message && !*r->message)
		return perf_usage_error(ctx->cmd, "-m needs some text");
	if (perf_repo_require_handle(ctx->repo, &r->me, &err))
		return perf_fail(&err);
	/* Each --action is read as a task item: "@bo fix the flaky test by 2026-12-20". */
	for (size_t i = 0; i < r->action_texts.n; i++) {
		struct perf_buf item = PERF_BUF_INIT;
		size_t before = r->actions.n;
		if ((rc = one_line(ctx, "action", r->action_texts.v[i])))
			return rc;
		perf_buf_printf(&item, "- [ ] %s\n", r->action_texts.v[i]);
		rc = perf_actions_parse_strict(&r->actions, item.ptr, item.len, r->me, "--action", 1, &err);
		perf_buf_release(&item);
		if (rc)
			return perf_usage_error(ctx->cmd, "%s", err.msg);
		if (r->actions.n != before + 1)
			return perf_usage_error(ctx->cmd, "--action '%s' is not an action", r->action_texts.v[i]);
	}
	perf_note_repo(ctx);
	if (perf_repo_write(ctx->repo, add_txn, r, NULL, &err))
		return perf_fail(&err);
	printf("retro: %s the retro of %s (%s)\n", r->created ? "held" : "added to", r->date, r->path);
	for (size_t i = 0; i < r->actions.n; i++)
		printf("action retro/%s: @%s %s%s%s\n", r->actions.v[i].id, r->actions.v[i].owner, r->actions.v[i].text,
		       r->actions.v[i].due[0] ? ", by " : "", r->actions.v[i].due);
	return PERF_EXIT_OK;
}

static size_t count(const struct perf_doc *doc, const char *name)
{
	const struct perf_node *n = perf_doc_get(doc, name);

	return n && n->type == PERF_NODE_SEQ ? n->n : 0;
}

static int retro_list(struct perf_ctx *ctx, void *args, const char *verb, int argc, char **argv)
{
	struct perf_strv dates = PERF_STRV_INIT;
	struct perf_error err;
	size_t shown = 0;

	(void)args;
	(void)verb;
	(void)argv;
	if (argc > 0)
		return perf_usage_error(ctx->cmd, "retro list takes no arguments");
	if (perf_store_list(ctx->repo, NULL, "retros", &dates, &err))
		return perf_fail(&err);
	if (ctx->json)
		printf("[");
	for (size_t i = dates.n; i-- > 0;) {
		char path[PERF_SCHEMA_PATH_MAX + 1];
		struct perf_doc *doc = NULL;
		snprintf(path, sizeof(path), "retros/%s.md", dates.v[i]);
		if (perf_store_load(ctx->repo, NULL, path, &doc, NULL, &err)) {
			fprintf(stderr, "perf: %s\n", err.msg);
			continue;
		}
		if (ctx->json) {
			printf("%s\n  {\"date\": ", shown ? "," : "");
			perf_json_str(stdout, dates.v[i]);
			printf(", \"path\": ");
			perf_json_str(stdout, path);
			printf(", \"title\": ");
			perf_json_str(stdout, perf_doc_str(doc, "title"));
			printf(", \"went_well\": %zu, \"to_change\": %zu, \"actions\": %zu}", count(doc, "went_well"),
			       count(doc, "to_change"), count(doc, "actions"));
		} else {
			printf("%s  %zu went well, %zu to change, %zu action%s", dates.v[i], count(doc, "went_well"),
			       count(doc, "to_change"), count(doc, "actions"), count(doc, "actions") == 1 ? "" : "s");
			if (perf_doc_str(doc, "title"))
				printf("  %s", perf_doc_str(doc, "title"));
			printf("\n");
		}
		shown++;
		perf_doc_free(doc);
	}
	if (ctx->json)
		printf("%s]\n", shown ? "\n" : "");
	else if (!shown)
		fprintf(stderr, "no retros yet; hold one with 'perf retro add --went-well TEXT --to-change TEXT'\n");
	perf_strv_release(&dates);
	return PERF_EXIT_OK;
}

static int retro_show(struct perf_ctx *ctx, void *args, const char *verb, int argc, char **argv)
{
	struct retro *r = args;
	char target[32];
	int rc;

	if (argc == 0) {
		/* The latest retro. */
		struct perf_strv dates = PERF_STRV_INIT;
		struct perf_error err;
		if (perf_store_list(ctx->repo, NULL, "retros", &dates, &err))
			return perf_fail(&err);
		if (!dates.n) {
			perf_strv_release(&dates);
			fprintf(stderr, "perf: no retros yet; hold one with 'perf retro add'\n");
			return PERF_EXIT_FAIL;
		}
		snprintf(r->date, sizeof(r->date), "%s", dates.v[dates.n - 1]);
		perf_strv_release(&dates);
	} else if ((rc = retro_date(ctx, r, argc, argv, verb))) {
		return rc;
	}
	snprintf(target, sizeof(target), "retro:%s", r->date);
	return perf_show_target(ctx, target, false);
}

static int run_retro(struct perf_ctx *ctx, int argc, char **argv)
{
	struct perf_optstate st;
	struct retro r;
	const char *arg;
	int opt, rc = PERF_EXIT_OK;

	memset(&r, 0, sizeof(r));
	perf_opt_init(&st, ctx->cmd, argc, argv);
	perf_opt_bind(&st, &r);
	while (!rc && (opt = perf_opt_next(&st, &arg)) != -1) {
		switch (opt) {
		case OPT_WENT_WELL:
			rc = perf_strv_push(&r.went_well, arg) ? PERF_EXIT_FAIL : 0;
			break;
		case OPT_TO_CHANGE:
			rc = perf_strv_push(&r.to_change, arg) ? PERF_EXIT_FAIL : 0;
			break;
		case 'a':
			rc = perf_strv_push(&r.action_texts, arg) ? PERF_EXIT_FAIL : 0;
			break;
		default:
			rc = PERF_EXIT_USAGE;
		}
	}
	if (!rc)
		rc = perf_verb_run(ctx, &r, argc - st.index, argv + st.index);
	perf_strv_release(&r.went_well);
	perf_strv_release(&r.to_change);
	perf_strv_release(&r.action_texts);
	perf_actions_release(&r.actions);
	return rc;
}

static const struct perf_verb retro_verbs[] = {
    {.name = "add",
     .usage = "add [DATE] [--went-well TEXT]... [--to-change TEXT]... [--action TEXT]... [--title TEXT] [-m TEXT]",
     .summary = "hold a retro, or add to the one of DATE (default: today)",
     .run = retro_add},
    {.name = "list",
     .alias = "ls",
     .usage = "[list]",
     .summary = "list the team's retros, newest first",
     .flags = PERF_VERB_DEFAULT,
     .run = retro_list},
    {.name = "show", .usage = "show [DATE]", .summary = "show a retro (default: the latest)", .run = retro_show},
    {0},
};

const struct perf_cmd perf_cmd_retro = {
    .group = PERF_GROUP_TEAM,
    .name = "retro",
    .summary = "look back together: what went well, what to change, and actions",
    .opts = retro_opts,
    .flags = PERF_CMD_RECORD | PERF_CMD_REPO | PERF_CMD_WRITES | PERF_CMD_READS,
    .run = run_retro,
    .verbs = retro_verbs,
};
