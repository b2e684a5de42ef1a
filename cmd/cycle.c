/*
 * perf cycle start|close|list: cycles of inquiry through the year, a
 * question the team explores instead of waiting for a twice-yearly review.
 */
#include "perf.h"
#include "toolkit.h"

#include <stdlib.h>
#include <string.h>

#include "body.h"
#include "buf.h"
#include "config.h"
#include "doc.h"
#include "schema.h"
#include "store.h"
#include "value.h"

struct cyc {
	const char *me, *id, *question, *from, *until, *message;
	char path[PERF_SCHEMA_PATH_MAX + 1];
	char fromb[11], untilb[11];
	const char *reflection; /* close: from -m or the editor */
	bool all;               /* list: closed cycles too */
};

#define INTO(member) PERF_OPT_INTO(struct cyc, member)
static const struct perf_opt cycle_opts[] = {
    {.name = "question",
     .short_name = 'q',
     .arg = "TEXT",
     .help = "start: the question the team explores",
     INTO(question)},
    {.name = "from", .short_name = 'f', .arg = "DATE", .help = "start: the first day (default: today)", INTO(from)},
    {.name = "until",
     .short_name = 'u',
     .arg = "DATE",
     .help = "start: the last day (default: twelve weeks on)",
     INTO(until)},
    {.name = "message",
     .short_name = 'm',
     .arg = "TEXT",
     .help = "close: the reflection (default: the editor)",
     INTO(message)},
    {.name = "all", .short_name = 'a', .help = "list: closed cycles too", INTO(all)},
    {0},
};
#undef INTO

/* Anyone may run the program while it has no maintainers; then only they. */
static int may_steer(struct perf_txn *txn, const char *me, struct perf_error *err)
{
	struct perf_config *cfg = NULL;
	int rc;

	if ((rc = perf_config_load(perf_txn_repo(txn), txn, &cfg, err)))
		return rc;
	if (cfg->maintainers.n && !perf_config_is_maintainer(cfg, me))
		rc = perf_error(err, PERF_EPERM, "only the team's maintainers (%s%s) start and close cycles",
		                cfg->maintainers.v[0], cfg->maintainers.n > 1 ? ", ..." : "");
	perf_config_free(cfg);
	return rc;
}

static int start_txn(struct perf_txn *txn, void *payload, struct perf_error *err)
{
	struct cyc *c = payload;
	struct perf_doc *doc = NULL;
	char *tpl = NULL;
	int rc;

	if ((rc = may_steer(txn, c->me, err)))
		return rc;
	if (perf_txn_exists(txn, c->path))
		return perf_error(err, PERF_EEXISTS, "there is already a cycle '%s' (%s)", c->id, c->path);
	if ((rc = perf_store_template(perf_txn_repo(txn), txn, "cycle", &tpl, err)) ||
	    (rc = perf_doc_new(&doc, c->path, err)) || (rc = perf_doc_set_str(doc, "kind", "cycle", err)) ||
	    (rc = perf_doc_set_str(doc, "id", c->id, err)) ||
	    (rc = perf_doc_set_str(doc, "question", c->question, err)) ||
	    (rc = perf_doc_set_raw(doc, "from", c->fromb, err)) ||
	    (rc = perf_doc_set_raw(doc, "until", c->untilb, err)) ||
	    (rc = perf_doc_set_raw(doc, "status", "open", err)) ||
	    (rc = perf_doc_set_body(doc, tpl, strlen(tpl), err)) ||
	    (rc = perf_store_put(txn, perf_schema_kind("cycle"), doc, c->path, err)))
		goto out;
	if ((rc = perf_txn_subject(txn, err, "cycle: %s started %s", c->me, c->id)) ||
	    (rc = perf_txn_trailer(txn, "Perf-Kind", "cycle", err)) ||
	    (rc = perf_txn_trailer(txn, "Perf-Path", c->path, err)) ||
	    (rc = perf_txn_trailer(txn, "Perf-Action", "start", err)))
		goto out;
out:
	free(tpl);
	perf_doc_free(doc);
	return rc;
}

static int close_txn(struct perf_txn *txn, void *payload, struct perf_error *err)
{
	struct cyc *c = payload;
	struct perf_doc *doc = NULL;
	struct perf_target t;
	struct perf_buf body = PERF_BUF_INIT;
	char target[PERF_SCHEMA_PATH_MAX + 8], now[21];
	const char *b, *status;
	size_t blen;
	int rc;

	if ((rc = may_steer(txn, c->me, err)))
		return rc;
	snprintf(target, sizeof(target), "cycle:%s", c->id);
	if ((rc = perf_store_resolve(perf_txn_repo(txn), txn, target, c->me, &t, err)))
		return rc;
	snprintf(c->path, sizeof(c->path), "%s", t.path);
	if ((rc = perf_store_load(perf_txn_repo(txn), txn, t.path, &doc, NULL, err)))
		return rc;
	status = perf_doc_str(doc, "status");
	if (status && !strcmp(status, "closed")) {
		rc = perf_error(err, PERF_EINVALID, "cycle '%s' is already closed", t.match.slug);
		goto out;
	}
	perf_value_format_time(perf_value_now(), now);
	if ((rc = perf_doc_set_raw(doc, "status", "closed", err)) || (rc = perf_doc_set_raw(doc, "closed", now, err)))
		goto out;
	if (c->reflection && *c->reflection) {
		b = perf_doc_body(doc, &blen);
		perf_buf_add(&body, b, blen);
		if (perf_body_set_section(&body, "Reflection", c->reflection) ||
		    (rc = perf_doc_set_body(doc, perf_buf_cstr(&body), body.len, err)))
			goto out;
	}
	if ((rc = perf_store_put(txn, perf_schema_kind("cycle"), doc, t.path, err)))
		goto out;
	if ((rc = perf_txn_subject(txn, err, "cycle: %s closed %s", c->me, t.match.slug)) ||
	    (rc = perf_txn_trailer(txn, "Perf-Kind", "cycle", err)) ||
	    (rc = perf_txn_trailer(txn, "Perf-Path", t.path, err)) ||
	    (rc = perf_txn_trailer(txn, "Perf-Action", "close", err)))
		goto out;
out:
	perf_buf_release(&body);
	perf_doc_free(doc);
	return rc;
}

static int cycle_list(struct perf_ctx *ctx, bool all)
{
	struct perf_strv ids = PERF_STRV_INIT;
	struct perf_error err;
	char today[11];
	size_t shown = 0;

	perf_value_format_date(perf_value_now(), today);
	if (perf_store_list(ctx->repo, NULL, "cycles", &ids, &err))
		return perf_fail(&err);
	if (ctx->json)
		printf("[");
	for (size_t i = 0; i < ids.n; i++) {
		char path[PERF_SCHEMA_PATH_MAX + 1];
		struct perf_doc *doc = NULL;
		const char *st, *from, *until;
		bool current;

		snprintf(path, sizeof(path), "cycles/%s.md", ids.v[i]);
		if (perf_store_load(ctx->repo, NULL, path, &doc, NULL, &err)) {
			fprintf(stderr, "perf: %s\n", err.msg);
			continue;
		}
		st = perf_doc_str(doc, "status");
		from = perf_doc_str(doc, "from");
		until = perf_doc_str(doc, "until");
		current =
		    st && !strcmp(st, "open") && from && until && strcmp(from, today) <= 0 && strcmp(today, until) <= 0;
		if (!all && st && strcmp(st, "open")) {
			perf_doc_free(doc);
			continue;
		}
		if (ctx->json) {
			printf("%s\n  {\"id\": ", shown ? "," : "");
			perf_json_str(stdout, ids.v[i]);
			printf(", \"path\": ");
			perf_json_str(stdout, path);
			printf(", \"question\": ");
			perf_json_str(stdout, perf_doc_str(doc, "question"));
			printf(", \"from\": ");
			perf_json_str(stdout, from);
			printf(", \"until\": ");
			perf_json_str(stdout, until);
			printf(", \"status\": ");
			perf_json_str(stdout, st);
			printf(", \"current\": %s}", current ? "true" : "false");
		} else {
			printf("%s %-20s %-7s %s..%s  %s\n", current ? "*" : " ", ids.v[i], st ? st : "?",
			       from ? from : "?", until ? until : "?", perf_doc_str(doc, "question"));
		}
		shown++;
		perf_doc_free(doc);
	}
	if (ctx->json)
		printf("%s]\n", shown ? "\n" : "");
	else if (!shown)
		fprintf(stderr, "no %scycles; start one with 'perf cycle start ID --question TEXT'\n",
		        all ? "" : "open ");
	perf_strv_release(&ids);
	return PERF_EXIT_OK;
}

/* start and close take one cycle ID, and need to know who you are. */
static int cycle_id(struct perf_ctx *ctx, struct cyc *c, const char *verb, int argc, char **argv)
{
	struct perf_error err;

	if (argc != 1)
		return perf_usage_error(ctx->cmd, "cycle %s takes one ID", verb);
	c->id = argv[0];
	if (perf_value_check_handle(c->id, "cycle id", &err))
		return perf_usage_error(ctx->cmd, "%s", err.msg);
	if (perf_repo_require_handle(ctx->repo, &c->me, &err))
		return perf_fail(&err);
	snprintf(c->path, sizeof(c->path), "cycles/%s.md", c->id);
	return PERF_EXIT_OK;
}

static int cycle_start(struct perf_ctx *ctx, void *args, const char *verb, int argc, char **argv)
{
	struct cyc *cp = args, c = *cp;
	struct perf_error err;
	int y, m, d, rc;

	perf_error_clear(&err);
	if ((rc = cycle_id(ctx, &c, verb, argc, argv)))
		return rc;
	if (!c.question || !*c.question || strchr(c.question, '\n'))
		return perf_usage_error(ctx->cmd, "cycle start needs --question TEXT (one line)");
	if (c.from) {
		if (perf_value_parse_date(c.from, NULL, NULL, NULL, &err))
			return perf_usage_error(ctx->cmd, "--from: %s", err.msg);
		snprintf(c.fromb, sizeof(c.fromb), "%s", c.from);
	} else {
		perf_value_format_date(perf_value_now(), c.fromb);
	}
	if (c.until) {
		if (perf_value_parse_date(c.until, NULL, NULL, NULL, &err))
			return perf_usage_error(ctx->cmd, "--until: %s", err.msg);
		snprintf(c.untilb, sizeof(c.untilb), "%s", c.until);
	} else {
		perf_value_parse_date(c.fromb, &y, &m, &d, NULL);
		perf_value_format_date((time_t)((perf_value_days(y, m, d) + 12 * 7 - 1) * 86400L), c.untilb);
	}
	if (strcmp(c.untilb, c.fromb) < 0)
		return perf_usage_error(ctx->cmd, "the cycle ends (%s) before it starts (%s)", c.untilb, c.fromb);
	perf_note_repo(ctx);
	if (perf_repo_write(ctx->repo, start_txn, &c, NULL, &err))
		return perf_fail(&err);
	printf("cycle: %s started, %s..%s (%s)\n", c.id, c.fromb, c.untilb, c.path);
	return PERF_EXIT_OK;
}

static int cycle_close(struct perf_ctx *ctx, void *args, const char *verb, int argc, char **argv)
{
	struct cyc *cp = args, c = *cp;
	struct perf_error err;
	char *edited = NULL;
	int rc;

	perf_error_clear(&err);
	if ((rc = cycle_id(ctx, &c, verb, argc, argv)))
		return rc;
	/* close: a closed or unknown cycle is refused before any editor opens. */
	{
		struct perf_target t;
		struct perf_doc *doc = NULL;
		char target[PERF_SCHEMA_PATH_MAX + 8];
		const char *status;
		snprintf(target, sizeof(target), "cycle:%s", c.id);
		if (perf_store_resolve(ctx->repo, NULL, target, c.me, &t, &err) ||
		    perf_store_load(ctx->repo, NULL, t.path, &doc, NULL, &err))
			return perf_fail(&err);
		status = perf_doc_str(doc, "status");
		if (status && !strcmp(status, "closed")) {
			fprintf(stderr, "perf: cycle '%s' is already closed\n", t.match.slug);
			perf_doc_free(doc);
			return PERF_EXIT_FAIL;
		}
		perf_doc_free(doc);
	}
	/* The reflection comes from -m or the editor. */
	if (c.message) {
		c.reflection = c.message;
	} else {
		static const char prompt[] = "<!-- Reflect on the cycle: what did we try, what did we notice, what "
		                             "will we keep doing?\n     An empty reflection closes the cycle without "
		                             "one; add it later with 'perf reply'. -->\n";
		if (perf_edit_text(ctx, prompt, ".md", &edited, &err))
			return perf_fail(&err);
		if (!perf_body_has_words(edited, strlen(edited))) {
			c.reflection = NULL;
		} else {
			struct perf_buf clean = PERF_BUF_INIT;
			/* Drop our prompt; keep everything the person wrote. */
			char *p = strstr(edited, prompt);
			if (p)
				memmove(p, p + strlen(prompt), strlen(p + strlen(prompt)) + 1);
			perf_buf_puts(&clean, edited);
			while (clean.len && (clean.ptr[clean.len - 1] == '\n' || clean.ptr[clean.len - 1] == ' '))
				perf_buf_truncate(&clean, clean.len - 1);
			free(edited);
			edited = perf_buf_detach(&clean);
			c.reflection = edited;
		}
	}
	perf_note_repo(ctx);
	if (perf_repo_write(ctx->repo, close_txn, &c, NULL, &err))
		rc = perf_fail(&err);
	else
		printf("cycle: %s closed%s (%s)\n", c.id, c.reflection ? " with a reflection" : "", c.path);
	free(edited);
	return rc;
}

static int cycle_list_verb(struct perf_ctx *ctx, void *args, const char *verb, int argc, char **argv)
{
	const struct cyc *c = args;

	(void)verb;
	(void)argv;
	return argc > 0 ? perf_usage_error(ctx->cmd, "cycle list takes no arguments") : cycle_list(ctx, c->all);
}

static int run_cycle(struct perf_ctx *ctx, int argc, char **argv)
{
	struct cyc c = {0};

	return perf_verb_main(ctx, &c, argc, argv);
}

static const struct perf_verb cycle_verbs[] = {
    {.name = "start",
     .usage = "start ID --question TEXT [--from DATE] [--until DATE]",
     .summary = "start a cycle of inquiry around a question",
     .run = cycle_start},
    {.name = "close", .usage = "close ID [-m TEXT]", .summary = "close a cycle, with a reflection", .run = cycle_close},
    {.name = "list",
     .alias = "ls",
     .usage = "list [--all]",
     .summary = "list the open cycles (all of them with --all)",
     .flags = PERF_VERB_DEFAULT,
     .run = cycle_list_verb},
    {0},
};

const struct perf_cmd perf_cmd_cycle = {
    .group = PERF_GROUP_TEAM,
    .name = "cycle",
    .summary = "run cycles of inquiry through the year",
    .opts = cycle_opts,
    .flags = PERF_CMD_REPO | PERF_CMD_WRITES | PERF_CMD_READS,
    .run = run_cycle,
    .verbs = cycle_verbs,
};
