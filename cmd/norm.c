/*
 * perf norm propose|agree|list: norms of working together, co-designed by
 * the team.  A norm is adopted once the agreement rule in
 * .perf/config.yaml is met (default: a majority of the team), and a norm
 * may carry changes to the program itself (cadences, templates), applied
 * in the commit that adopts it.
 */
#include "perf.h"

#include <stdlib.h>
#include <string.h>

#include "admission.h"
#include "agreement.h"
#include "buf.h"
#include "config.h"
#include "doc.h"
#include "schema.h"
#include "store.h"
#include "value.h"
#include "verify.h"

#define MAX_CHANGES 16

struct propose {
	const char *me, *title, *text;
	const char *body; /* from the editor */
	char slug[PERF_HANDLE_MAX + 1];
	char path[PERF_SCHEMA_PATH_MAX + 1];
	char *keys[MAX_CHANGES], *values[MAX_CHANGES];
	size_t nchanges;
	char version[PERF_SCHEMA_VERSION_LEN + 1];
	bool only_proposed; /* list: the proposed norms only */
};

#define INTO(member) PERF_OPT_INTO(struct propose, member)
static const struct perf_opt norm_opts[] = {
    {.name = "message",
     .short_name = 'm',
     .arg = "TEXT",
     .help = "propose: the norm in a sentence or two (default: the editor)",
     INTO(text)},
    {.name = "set",
     .short_name = 's',
     .arg = "KEY=VALUE",
     .help = "propose: a change to the program (cadences.checkin=fortnightly); repeatable"},
    {.name = "template",
     .short_name = 't',
     .arg = "KIND=FILE",
     .help = "propose: a new template for a kind, from FILE; repeatable"},
    {.name = "proposed", .short_name = 'p', .help = "list: only norms waiting for agreement", INTO(only_proposed)},
    {0},
};
#undef INTO

static int propose_txn(struct perf_txn *txn, void *payload, struct perf_error *err)
{
	struct propose *p = payload;
	const struct perf_schema_kind *kind = perf_schema_kind("norm");
	struct perf_doc *doc = NULL;
	struct perf_buf body = PERF_BUF_INIT;
	char at[21];
	int rc;

	if ((rc = perf_store_require_person(perf_txn_repo(txn), txn, p->me, err)))
		return rc;
	if (perf_txn_exists(txn, p->path))
		return perf_error(err, PERF_EEXISTS,
		                  "there is already a norm '%s' (%s); agree to it with 'perf norm "
		                  "agree %s'",
		                  p->slug, p->path, p->slug);
	perf_value_format_time(perf_value_now(), at);
	if ((rc = perf_doc_new(&doc, p->path, err)) || (rc = perf_doc_set_str(doc, "kind", "norm", err)) ||
	    (rc = perf_doc_set_str(doc, "title", p->title, err)) ||
	    (rc = perf_doc_set_str(doc, "proposed_by", p->me, err)) ||
	    (rc = perf_doc_set_raw(doc, "status", "proposed", err)))
		goto out;
	if (p->nchanges) {
		struct perf_node *seq = perf_node_new_seq();
		for (size_t i = 0; seq && i < p->nchanges; i++) {
			struct perf_node *m = perf_node_new_map();
			if (!m || perf_node_map_add(m, "key", perf_node_new_str(p->keys[i])) ||
			    perf_node_map_add(m, "value", perf_node_new_str(p->values[i])) ||
			    perf_node_seq_add(seq, m)) {
				perf_node_free(seq);
				seq = NULL;
			}
		}
		if (!seq) {
			rc = perf_error(err, PERF_ENOMEM, "out of memory");
			goto out;
		}
		if ((rc = perf_doc_set_node(doc, "changes", seq, err)))
			goto out;
	}
	if (p->body) {
		perf_buf_puts(&body, p->body);
	} else if (p->text) {
		perf_buf_printf(&body, "## The norm\n\n%s\n", p->text);
	} else {
		char *tpl = NULL;
		if ((rc = perf_store_template(perf_txn_repo(txn), txn, "norm", &tpl, err)))
			goto out;
		perf_buf_puts(&body, tpl);
		free(tpl);
	}
	if ((rc = perf_doc_set_body(doc, body.ptr, body.len, err)))
		goto out;
	/* Proposing is agreeing: the proposer's agreement is the first. */
	if ((rc = perf_agreement_record(doc, kind, p->me, at, p->version, err)) ||
	    (rc = perf_store_put(txn, kind, doc, p->path, err)))
		goto out;
	if ((rc = perf_txn_subject(txn, err, "norm: %s proposed %s", p->me, p->slug)) ||
	    (rc = perf_txn_trailer(txn, "Perf-Kind", "norm", err)) ||
	    (rc = perf_txn_trailer(txn, "Perf-Path", p->path, err)) ||
	    (rc = perf_txn_trailer(txn, "Perf-Agree", p->version, err)))
		goto out;
out:
	perf_buf_release(&body);
	perf_doc_free(doc);
	return rc;
}

static int read_file(const char *path, char **out, struct perf_error *err)
{
	struct perf_buf b = PERF_BUF_INIT;
	char chunk[8192];
	size_t n;
	FILE *f = fopen(path, "rb");

	*out = NULL;
	if (!f)
		return perf_error_sys(err, "cannot read '%s'", path);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (b.len + n > 64 * 1024) {
			fclose(f);
			perf_buf_release(&b);
			return perf_error(err, PERF_EINVALID, "'%s' is over 64 KiB; a template should be short", path);
		}
		perf_buf_add(&b, chunk, n);
	}
	fclose(f);
	*out = perf_buf_detach(&b);
	return *out ? 0 : perf_error(err, PERF_ENOMEM, "out of memory");
}

static int norm_list(struct perf_ctx *ctx, bool only_proposed)
{
	struct perf_strv slugs = PERF_STRV_INIT;
	struct perf_config *cfg = NULL;
	struct perf_admission team;
	struct perf_error err;
	char quorum[64];
	size_t shown = 0;

	memset(&team, 0, sizeof(team));
	if (perf_store_list(ctx->repo, NULL, "norms", &slugs, &err) ||
	    perf_admission_load(&team, ctx->repo, NULL, &err) || perf_config_load(ctx->repo, NULL, &cfg, &err)) {
		perf_strv_release(&slugs);
		perf_admission_release(&team);
		return perf_fail(&err);
	}
	perf_config_quorum_text(cfg, team.counted.n, quorum, sizeof(quorum));
	if (ctx->json)
		printf("[");
	for (size_t i = 0; i < slugs.n; i++) {
		char path[PERF_SCHEMA_PATH_MAX + 1], version[PERF_SCHEMA_VERSION_LEN + 1];
		struct perf_strv who = PERF_STRV_INIT, at = PERF_STRV_INIT;
		const struct perf_schema_kind *kind;
		struct perf_doc *doc = NULL;
		const char *st;

		snprintf(path, sizeof(path), "norms/%s.md", slugs.v[i]);
		if (perf_store_load(ctx->repo, NULL, path, &doc, &kind, &err) ||
		    perf_schema_version(version, kind, doc, &err) ||
		    perf_agreement_current(doc, kind, version, &who, &at, &err)) {
			fprintf(stderr, "perf: %s\n", err.msg);
			perf_doc_free(doc);
			continue;
		}
		st = perf_doc_str(doc, "status");
		/* Only agreements by people the team counts count. */
		for (size_t k = who.n; k-- > 0;)
			if (!perf_admission_counts(&team, who.v[k])) {
				free(who.v[k]);
				memmove(&who.v[k], &who.v[k + 1], (who.n - k - 1) * sizeof(*who.v));
				who.n--;
			}
		/* Adopted only when its recorded adoption holds. */
		if (st && !strcmp(st, "adopted")) {
			char why[512];
			bool ok = false;
			if (perf_verify_adoption(ctx->repo, path, &ok, why, sizeof(why), &err))
				snprintf(why, sizeof(why), "%.400s", err.msg);
			if (!ok) {
				fprintf(stderr, "perf: %s says it is adopted, but its adoption does not hold: %s\n",
				        path, why);
				st = "unverified";
			}
		}
		if (only_proposed && st && !strcmp(st, "adopted")) {
			perf_doc_free(doc);
			perf_strv_release(&who);
			perf_strv_release(&at);
			continue;
		}
		if (ctx->json) {
			printf("%s\n  {\"id\": ", shown ? "," : "");
			perf_json_str(stdout, slugs.v[i]);
			printf(", \"path\": ");
			perf_json_str(stdout, path);
			printf(", \"title\": ");
			perf_json_str(stdout, perf_doc_str(doc, "title"));
			printf(", \"status\": ");
			perf_json_str(stdout, st);
			printf(", \"proposed_by\": ");
			perf_json_str(stdout, perf_doc_str(doc, "proposed_by"));
			printf(", \"version\": ");
			perf_json_str(stdout, version);
			printf(", \"agreed_by\": [");
			for (size_t k = 0; k < who.n; k++) {
				printf("%s", k ? ", " : "");
				perf_json_str(stdout, who.v[k]);
			}
			printf("], \"needed\": %zu}", perf_config_quorum(cfg, team.counted.n));
		} else {
			printf("%-28s %-8s %zu/%zu  %s\n", slugs.v[i], st ? st : "?", who.n,
			       perf_config_quorum(cfg, team.counted.n), perf_doc_str(doc, "title"));
		}
		shown++;
		perf_doc_free(doc);
		perf_strv_release(&who);
		perf_strv_release(&at);
	}
	if (ctx->json)
		printf("%s]\n", shown ? "\n" : "");
	else if (!shown)
		fprintf(stderr, "no norms yet; propose one with 'perf norm propose TITLE'\n");
	else
		fprintf(stderr, "a norm is adopted when %s agree\n", quorum);
	perf_config_free(cfg);
	perf_strv_release(&slugs);
	perf_admission_release(&team);
	return PERF_EXIT_OK;
}

static int norm_list_verb(struct perf_ctx *ctx, void *args, const char *verb, int argc, char **argv)
{
	const struct propose *p = args;

	(void)verb;
	(void)argv;
	return argc > 0 ? perf_usage_error(ctx->cmd, "norm list takes no arguments") : norm_list(ctx, p->only_proposed);
}

static int norm_agree(struct perf_ctx *ctx, void *args, const char *verb, int argc, char **argv)
{
	char target[PERF_SCHEMA_PATH_MAX + 8];

	(void)args;
	(void)verb;
	if (argc != 1)
		return perf_usage_error(ctx->cmd, "norm agree takes one norm ID");
	perf_id_target("norm", argv[0], target, sizeof(target));
	return perf_agree_target(ctx, target, NULL);
}

static int norm_propose(struct perf_ctx *ctx, void *args, const char *verb, int argc, char **argv)
{
	struct propose *p = args;
	struct perf_error err;
	char *edited = NULL;
	int rc = PERF_EXIT_OK;

	(void)verb;
	perf_error_clear(&err);
	if (argc != 1 || !*argv[0] || strchr(argv[0], '\n'))
		return perf_usage_error(ctx->cmd, "norm propose takes one TITLE (one line; quote it)");
	p->title = argv[0];
	if (perf_value_slug(p->title, PERF_HANDLE_MAX, PERF_SLUG_ANY_SCRIPT, p->slug, &err))
		return perf_usage_error(ctx->cmd, "%s", err.msg);
	if (perf_repo_require_handle(ctx->repo, &p->me, &err))
		return perf_fail(&err);
	snprintf(p->path, sizeof(p->path), "norms/%s.md", p->slug);
	if (!p->text) {
		char *tpl = NULL;
		if (perf_store_template(ctx->repo, NULL, "norm", &tpl, &err) ||
		    perf_edit_text(ctx, tpl, ".md", &edited, &err)) {
			free(tpl);
			return perf_fail(&err);
		}
		if (!strcmp(edited, tpl)) {
			free(tpl);
			free(edited);
			fprintf(stderr, "perf: norm unchanged; nothing proposed\n");
			return PERF_EXIT_FAIL;
		}
		free(tpl);
		/* The edited text is the whole body; -m gives only the norm's sentence. */
		p->body = edited;
	}
	perf_note_repo(ctx);
	if (perf_repo_write(ctx->repo, propose_txn, p, NULL, &err))
		rc = perf_fail(&err);
	else
		printf("norm: %s proposed %s (%s); others agree with 'perf norm agree %s'\n", p->me, p->slug, p->path,
		       p->slug);
	free(edited);
	return rc;
}

static int run_norm(struct perf_ctx *ctx, int argc, char **argv)
{
	struct perf_optstate st;
	struct perf_error err;
	struct propose p;
	const char *arg;
	int c, rc = PERF_EXIT_OK;

	memset(&p, 0, sizeof(p));
	perf_error_clear(&err);
	perf_opt_init(&st, ctx->cmd, argc, argv);
	perf_opt_bind(&st, &p);
	while ((c = perf_opt_next(&st, &arg)) != -1) {
		switch (c) {
		case 's':
		case 't': {
			const char *eq = strchr(arg, '=');
			if (!eq || eq == arg) {
				rc = perf_usage_error(ctx->cmd, "'%s' is not %s", arg,
				                      c == 's' ? "KEY=VALUE" : "KIND=FILE");
				goto out;
			}
			if (p.nchanges == MAX_CHANGES) {
				rc = perf_usage_error(ctx->cmd, "at most %d changes in one norm", MAX_CHANGES);
				goto out;
			}
			if (c == 's') {
				p.keys[p.nchanges] = strndup(arg, (size_t)(eq - arg));
				p.values[p.nchanges] = strdup(eq + 1);
			} else {
				struct perf_buf k = PERF_BUF_INIT;
				perf_buf_printf(&k, "templates.%.*s", (int)(eq - arg), arg);
				p.keys[p.nchanges] = perf_buf_detach(&k);
				if (read_file(eq + 1, &p.values[p.nchanges], &err)) {
					free(p.keys[p.nchanges]);
					rc = perf_fail(&err);
					goto out;
				}
			}
			if (perf_program_check(p.keys[p.nchanges], p.values[p.nchanges], &err)) {
				p.nchanges++;
				rc = perf_usage_error(ctx->cmd, "%s", err.msg);
				goto out;
			}
			p.nchanges++;
			break;
		}
		default:
			rc = PERF_EXIT_USAGE;
			goto out;
		}
	}
	rc = perf_verb_run(ctx, &p, argc - st.index, argv + st.index);
out:
	for (size_t i = 0; i < p.nchanges; i++) {
		free(p.keys[i]);
		free(p.values[i]);
	}
	return rc;
}

static const struct perf_verb norm_verbs[] = {
    {.name = "propose",
     .usage = "propose TITLE [-m TEXT] [--set KEY=VALUE]... [--template KIND=FILE]...",
     .summary = "propose a norm, or a change to the team's program",
     .run = norm_propose},
    {.name = "agree", .usage = "agree ID", .summary = "agree to a norm", .run = norm_agree},
    {.name = "list",
     .alias = "ls",
     .usage = "list [--proposed]",
     .summary = "list the norms (only those still proposed with --proposed)",
     .flags = PERF_VERB_DEFAULT,
     .run = norm_list_verb},
    {0},
};

const struct perf_cmd perf_cmd_norm = {
    .group = PERF_GROUP_TEAM,
    .name = "norm",
    .summary = "propose and agree the team's norms and program",
    .opts = norm_opts,
    .flags = PERF_CMD_RECORD | PERF_CMD_REPO | PERF_CMD_WRITES | PERF_CMD_READS,
    .run = run_norm,
    .verbs = norm_verbs,
};
