/*
 * perf admit [HANDLE...]: admit people who joined, so they count for
 * agreements, maintainer rules and others' documents; with no handle, list
 * who waits.  A person's lead or a maintainer admits them (lib/admission).
 */
#include "perf.h"

#include <stdlib.h>
#include <string.h>

#include "admission.h"
#include "config.h"
#include "doc.h"
#include "store.h"
#include "value.h"

static const struct perf_opt admit_opts[] = {
    {0},
};

struct admit {
	const char *me;
	char **handles;
	size_t n;
	struct perf_strv done, already, by; /* by: who admitted already.v[i] */
};

static int admit_txn(struct perf_txn *txn, void *payload, struct perf_error *err)
{
	struct admit *a = payload;
	struct perf_repo *repo = perf_txn_repo(txn);
	struct perf_admission team;
	struct perf_config *cfg = NULL;
	struct perf_buf names = PERF_BUF_INIT;
	int rc;

	perf_strv_release(&a->done);
	perf_strv_release(&a->already);
	perf_strv_release(&a->by);
	if ((rc = perf_admission_load(&team, repo, txn, err)))
		return rc;
	if ((rc = perf_config_load(repo, txn, &cfg, err)) && rc != PERF_ENOTFOUND)
		goto out;
	rc = 0;
	if (!perf_admission_counts(&team, a->me)) {
		rc = perf_error(err, PERF_EPERM,
		                "you (%s) are not admitted yet yourself: your lead or a maintainer admits you first",
		                a->me);
		goto out;
	}
	for (size_t i = 0; i < a->n; i++) {
		const char *h = a->handles[i];
		char path[PERF_HANDLE_MAX + 16], lead[PERF_HANDLE_MAX + 1];
		struct perf_doc *doc = NULL;
		const struct perf_schema_kind *kind;
		const char *by;
		if (perf_strv_has(&a->done, h) || perf_strv_has(&a->already, h))
			continue;
		if ((rc = perf_store_require_person(repo, txn, h, err)) ||
		    (rc = perf_store_lead_of(repo, txn, h, lead, err)))
			goto out;
		snprintf(path, sizeof(path), "people/%s.md", h);
		if ((rc = perf_store_load(repo, txn, path, &doc, &kind, err)))
			goto out;
		by = perf_doc_str(doc, "admitted_by");
		if (by || perf_admission_counts(&team, h)) {
			rc = perf_strv_push(&a->already, h) ||
			     perf_strv_push(&a->by, by                                           ? by
			                            : (cfg && perf_config_is_maintainer(cfg, h)) ? "(a maintainer)"
			                                                                         : "(everyone counts)");
			perf_doc_free(doc);
			if (rc) {
				rc = perf_error(err, PERF_ENOMEM, "out of memory");
				goto out;
			}
			continue;
		}
		if (!strcmp(h, a->me)) {
			perf_doc_free(doc);
			rc = perf_error(err, PERF_EPERM, "nobody admits themselves");
			goto out;
		}
		if (!(cfg && perf_config_is_maintainer(cfg, a->me)) && strcmp(lead, a->me)) {
			perf_doc_free(doc);
			rc = perf_error(err, PERF_EPERM, "only %s's lead%s%s or a maintainer admits %s", h,
			                lead[0] ? " " : "", lead, h);
			goto out;
		}
		rc = perf_doc_set_str(doc, "admitted_by", a->me, err);
		if (!rc)
			rc = perf_store_put(txn, kind, doc, path, err);
		perf_doc_free(doc);
		if (rc)
			goto out;
		if (perf_strv_push(&a->done, h) || perf_buf_printf(&names, "%s%s", names.len ? ", " : "", h)) {
			rc = perf_error(err, PERF_ENOMEM, "out of memory");
			goto out;
		}
	}
	if (a->done.n && ((rc = perf_txn_subject(txn, err, "admit: %s", names.ptr)) ||
	                  (rc = perf_txn_trailer(txn, "Perf-Kind", "person", err))))
		goto out;
	for (size_t i = 0; i < a->done.n && !rc; i++) {
		char path[PERF_HANDLE_MAX + 16];
		snprintf(path, sizeof(path), "people/%s.md", a->done.v[i]);
		rc = perf_txn_trailer(txn, "Perf-Path", path, err);
	}
out:
	perf_buf_release(&names);
	perf_config_free(cfg);
	perf_admission_release(&team);
	return rc;
}

/* perf admit with no handle: who waits, and who may admit them. */
static int list_waiting(struct perf_ctx *ctx)
{
	struct perf_admission team;
	struct perf_error err;

	perf_error_clear(&err);
	if (perf_admission_load(&team, ctx->repo, NULL, &err))
		return perf_fail(&err);
	if (ctx->json) {
		printf("{\"waiting\":[");
		for (size_t i = 0; i < team.waiting.n; i++) {
			printf("%s{\"handle\":", i ? "," : "");
			perf_json_str(stdout, team.waiting.v[i]);
			printf(",\"lead\":");
			if (team.leads.v[i][0])
				perf_json_str(stdout, team.leads.v[i]);
			else
				printf("null");
			printf("}");
		}
		printf("],\"counted\":[");
		for (size_t i = 0; i < team.counted.n; i++) {
			printf("%s", i ? "," : "");
			perf_json_str(stdout, team.counted.v[i]);
		}
		printf("]}\n");
	} else if (!team.waiting.n) {
		printf("nobody is waiting to be admitted\n");
	} else {
		for (size_t i = 0; i < team.waiting.n; i++)
			printf("%-16s waiting; admitted by %s%s or a maintainer\n", team.waiting.v[i],
			       team.leads.v[i][0] ? "their lead " : "", team.leads.v[i]);
		printf("admit with: perf admit HANDLE...\n");
	}
	perf_admission_release(&team);
	return PERF_EXIT_OK;
}

static int run_admit(struct perf_ctx *ctx, int argc, char **argv)
{
	struct perf_optstate st;
	struct perf_error err;
	struct admit a = {0};
	int rc;

	perf_error_clear(&err);
	if ((rc = perf_opt_parse(&st, ctx, argc, argv, NULL, NULL)) != 0)
		return rc;
	if (st.index >= argc)
		return list_waiting(ctx);
	for (int i = st.index; i < argc; i++)
		if (perf_value_check_handle(argv[i], "handle", &err))
			return perf_usage_error(ctx->cmd, "%s", err.msg);
	a.handles = argv + st.index;
	a.n = (size_t)(argc - st.index);
	if (perf_repo_require_handle(ctx->repo, &a.me, &err))
		return perf_fail(&err);
	perf_note_repo(ctx);
	rc = perf_repo_write(ctx->repo, admit_txn, &a, NULL, &err);
	if (rc) {
		rc = perf_fail(&err);
		goto out;
	}
	if (ctx->json) {
		printf("{\"admitted\":[");
		for (size_t i = 0; i < a.done.n; i++) {
			printf("%s", i ? "," : "");
			perf_json_str(stdout, a.done.v[i]);
		}
		printf("],\"already\":[");
		for (size_t i = 0; i < a.already.n; i++) {
			printf("%s", i ? "," : "");
			perf_json_str(stdout, a.already.v[i]);
		}
		printf("]}\n");
	} else {
		for (size_t i = 0; i < a.done.n; i++)
			printf("admitted %s\n", a.done.v[i]);
		for (size_t i = 0; i < a.already.n; i++)
			printf("%s was already admitted by %s\n", a.already.v[i], a.by.v[i]);
	}
	rc = PERF_EXIT_OK;
out:
	perf_strv_release(&a.done);
	perf_strv_release(&a.already);
	perf_strv_release(&a.by);
	return rc;
}

const struct perf_cmd perf_cmd_admit = {
    .group = PERF_GROUP_START,
    .name = "admit",
    .usage = "[HANDLE...]",
    .summary = "admit people who joined, so they count for the team (none: who waits)",
    .opts = admit_opts,
    .flags = PERF_CMD_REPO | PERF_CMD_WRITES | PERF_CMD_READS,
    .run = run_admit,
};
