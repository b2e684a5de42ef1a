/*
 * perf agree TARGET: record your agreement to the current version of a
 * document that is agreed to (expectations now, norms later).
 *
 * An agreement is {who, at, version} in the kind's agreement field, where
 * version is perf_schema_version of the document as it is now.  Only
 * agreements to the current version count; expectations are agreed when
 * both the person and their lead have agreed to the current version.
 */
#include "perf.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "doc.h"
#include "store.h"
#include "value.h"
#include "admission.h"
#include "agreement.h"
#include "config.h"

struct agree_args {
	const char *version;
};

static const struct perf_opt agree_opts[] = {
    {.name = "version",
     .arg = "VERSION",
     .help = "agree only if the document is still at VERSION (what you read)",
     PERF_OPT_INTO(struct agree_args, version)},
    {0},
};

struct agree {
	const char *me, *target, *want_version;
	struct perf_target t;
	/* Results. */
	char version[PERF_SCHEMA_VERSION_LEN + 1];
	char person[PERF_HANDLE_MAX + 1], lead[PERF_HANDLE_MAX + 1];
	/* Agreements that count, in the file's order: who[i] agreed at at[i]. */
	struct perf_strv who, at;
	struct perf_strv waiting; /* whose agreement is still needed */
	bool agreed;
	/* Norms: adopted once the team's agreement rule is met. */
	bool norm, adopted_now;
	size_t needed;
	char quorum[64];
	struct perf_strv applied; /* program changes the adoption applied */
};

/* A target agree cannot take: the error, and what it takes. */
static int what_agree_takes(const struct agree *a, int code, struct perf_error *err)
{
	char why[sizeof(err->msg)];

	snprintf(why, sizeof(why), "%s", err->msg);
	return perf_error(
	    err, code,
	    "%s\nhint: perf agree takes expectations (a HANDLE, expect:HANDLE or expectations/HANDLE.md) or a "
	    "norm (norm:SLUG or norms/SLUG.md), for example 'perf agree expect:%s'",
	    why, a->me);
}

/*
 * Who may agree to doc, and whose agreement makes it agreed.  Expectations:
 * the person and their lead (people/<person>.md `lead`), both needed.
 */
static int parties(struct agree *a, struct perf_txn *txn, const struct perf_schema_kind *kind,
                   const struct perf_doc *doc, struct perf_error *err)
{
	struct perf_repo *repo = perf_txn_repo(txn);
	int rc;

	if (!strcmp(kind->name, "norm")) {
		/* Anyone the team counts agrees to a norm for themselves, while it is a proposal. */
		const char *status = perf_doc_str(doc, "status");
		struct perf_admission team;
		bool counts;
		a->person[0] = a->lead[0] = '\0';
		a->norm = true;
		if ((rc = perf_store_require_person(repo, txn, a->me, err)))
			return rc;
		if (status && strcmp(status, "proposed"))
			return perf_error(err, PERF_EINVALID,
			                  "%s is %s: agreements to it are closed; propose a new norm to change it "
			                  "(perf norm propose)",
			                  a->t.path, status);
		if ((rc = perf_admission_load(&team, repo, txn, err)))
			return rc;
		counts = perf_admission_counts(&team, a->me);
		perf_admission_release(&team);
		if (!counts)
			return perf_error(err, PERF_EPERM,
			                  "you (%s) are not admitted yet: your agreement counts once your lead or a "
			                  "maintainer admits you (perf admit %s)",
			                  a->me, a->me);
		return 0;
	}
	if (strcmp(kind->name, "expectations"))
		return perf_error(err, PERF_EINVALID, "%s: agreeing to a %s is not supported", a->t.path, kind->name);
	snprintf(a->person, sizeof(a->person), "%s", a->t.match.handle);
	if ((rc = perf_store_require_person(repo, txn, a->person, err)) ||
	    (rc = perf_store_lead_of(repo, txn, a->person, a->lead, err)))
		return rc;
	if (!a->lead[0]) {
		/* people/ says nothing: the lead the expectations were written with. */
		const char *l = perf_doc_str(doc, "lead");
		if (l && perf_value_is_handle(l))
			snprintf(a->lead, sizeof(a->lead), "%s", l);
	}
	if (strcmp(a->me, a->person) && strcmp(a->me, a->lead)) {
		if (a->lead[0])
			return perf_error(err, PERF_EPERM, "only %s and their lead %s may agree to %s's expectations",
			                  a->person, a->lead, a->person);
		return perf_error(err, PERF_EPERM, "only %s may agree to %s's expectations (people/%s.md has no lead)",
		                  a->person, a->person, a->person);
	}
	return 0;
}

/*
 * After an agreement to a norm: when the team's rule is met, the norm is
 * adopted in the same commit, and the program changes it carries apply.
 */
static int norm_adoption(struct agree *a, struct perf_txn *txn, const struct perf_schema_kind *kind,
                         struct perf_doc *doc, struct perf_error *err)
{
	struct perf_config *cfg = NULL;
	struct perf_admission team;
	struct perf_strv who = PERF_STRV_INIT, whenv = PERF_STRV_INIT;
	const char *status = perf_doc_str(doc, "status");
	const char *slug = a->t.match.slug;
	char at[21];
	int rc;

	memset(&team, 0, sizeof(team));
	if ((rc = perf_config_load(perf_txn_repo(txn), txn, &cfg, err)) ||
	    (rc = perf_admission_load(&team, perf_txn_repo(txn), txn, err)))
		goto out;
	/* Only agreements by people the team counts (admitted) count. */
	for (size_t i = 0; i < a->who.n; i++)
		if (perf_admission_counts(&team, a->who.v[i]) &&
		    (perf_strv_push(&who, a->who.v[i]) || perf_strv_push(&whenv, a->at.v[i]))) {
			rc = perf_error(err, PERF_ENOMEM, "out of memory");
			goto out;
		}
	perf_strv_release(&a->who);
	perf_strv_release(&a->at);
	a->who = who;
	a->at = whenv;
	who = (struct perf_strv)PERF_STRV_INIT;
	whenv = (struct perf_strv)PERF_STRV_INIT;
	a->needed = perf_config_quorum(cfg, team.counted.n);
	perf_config_quorum_text(cfg, team.counted.n, a->quorum, sizeof(a->quorum));
	a->agreed = a->who.n >= a->needed;
	if (a->agreed && !(status && !strcmp(status, "adopted"))) {
		perf_value_format_time(perf_value_now(), at);
		if ((rc = perf_doc_set_raw(doc, "status", "adopted", err)) ||
		    (rc = perf_doc_set_raw(doc, "adopted", at, err)) ||
		    (rc = perf_program_apply(txn, doc, &a->applied, err)) ||
		    (rc = perf_store_put(txn, kind, doc, a->t.path, err)))
			goto out;
		a->adopted_now = true;
	}
	if ((rc = perf_txn_subject(txn, err, "agree: %s to norm %s%s", a->me, slug,
	                           a->adopted_now ? " (adopted)" : "")) ||
	    (rc = perf_txn_trailer(txn, "Perf-Kind", kind->name, err)) ||
	    (rc = perf_txn_trailer(txn, "Perf-Path", a->t.path, err)) ||
	    (rc = perf_txn_trailer(txn, "Perf-Agree", a->version, err)))
		goto out;
	if (a->adopted_now)
		rc = perf_txn_trailer(txn, "Perf-Adopted", a->version, err);
out:
	perf_strv_release(&who);
	perf_strv_release(&whenv);
	perf_admission_release(&team);
	perf_config_free(cfg);
	return rc;
}

static int agree_txn(struct perf_txn *txn, void *payload, struct perf_error *err)
{
	struct agree *a = payload;
	struct perf_repo *repo = perf_txn_repo(txn);
	const struct perf_schema_kind *kind = NULL;
	struct perf_doc *doc = NULL;
	char at[21];
	int rc;

	perf_strv_release(&a->waiting);
	perf_strv_release(&a->who);
	perf_strv_release(&a->at);
	a->agreed = false;
	a->adopted_now = false;
	perf_strv_release(&a->applied);
	if ((rc = perf_store_resolve(repo, txn, a->target, a->me, &a->t, err))) {
		rc = what_agree_takes(a, rc, err);
		goto out;
	}
	if ((rc = perf_store_load(repo, txn, a->t.path, &doc, &kind, err)))
		goto out;
	if (!kind->agreement) {
		rc = perf_error(err, PERF_EINVALID, "%s is a %s, which is not agreed to", a->t.path, kind->name);
		rc = what_agree_takes(a, rc, err);
		goto out;
	}
	if ((rc = parties(a, txn, kind, doc, err)))
		goto out;
	if (a->want_version) {
		char now[PERF_SCHEMA_VERSION_LEN + 1];
		size_t n = strlen(a->want_version);
		if ((rc = perf_schema_version(now, kind, doc, err)))
			goto out;
		if (strncmp(now, a->want_version, n)) {
			rc = perf_error(err, PERF_ECONFLICT,
			                "%s is now at version %s, not %s: read it again before agreeing", a->t.path,
			                now, a->want_version);
			goto out;
		}
	}
	perf_value_format_time(perf_value_now(), at);
	if ((rc = perf_agreement_record(doc, kind, a->me, at, a->version, err)) ||
	    (rc = perf_store_put(txn, kind, doc, a->t.path, err)))
		goto out;
	if ((rc = perf_agreement_current(doc, kind, a->version, &a->who, &a->at, err)))
		goto out;
	if (a->norm) {
		rc = norm_adoption(a, txn, kind, doc, err);
		goto out;
	}
	if (!perf_strv_has(&a->who, a->person) && perf_strv_push(&a->waiting, a->person))
		goto nomem;
	if (!a->lead[0]) {
		if (perf_strv_push(&a->waiting, "a lead"))
			goto nomem;
	} else if (strcmp(a->lead, a->person) && !perf_strv_has(&a->who, a->lead) &&
	           perf_strv_push(&a->waiting, a->lead)) {
		goto nomem;
	}
	a->agreed = a->waiting.n == 0;
	if ((rc = perf_txn_subject(txn, err, "agree: %s to %s's expectations", a->me, a->person)) ||
	    (rc = perf_txn_trailer(txn, "Perf-Kind", kind->name, err)) ||
	    (rc = perf_txn_trailer(txn, "Perf-Path", a->t.path, err)) ||
	    (rc = perf_txn_trailer(txn, "Perf-Agree", a->version, err)))
		goto out;
	goto out;
nomem:
	rc = perf_error(err, PERF_ENOMEM, "out of memory");
out:
	perf_doc_free(doc);
	return rc;
}

static void print_json(const struct agree *a)
{
	printf("{\"path\":");
	perf_json_str(stdout, a->t.path);
	printf(",\"version\":");
	perf_json_str(stdout, a->version);
	printf(",\"agreed_by\":[");
	for (size_t i = 0; i < a->who.n; i++) {
		printf("%s{\"who\":", i ? "," : "");
		perf_json_str(stdout, a->who.v[i]);
		printf(",\"at\":");
		perf_json_str(stdout, a->at.v[i]);
		printf("}");
	}
	printf("],\"waiting\":[");
	for (size_t i = 0; i < a->waiting.n; i++) {
		printf("%s", i ? "," : "");
		perf_json_str(stdout, a->waiting.v[i]);
	}
	printf("],\"agreed\":%s}\n", a->agreed ? "true" : "false");
}

int perf_agree_target(struct perf_ctx *ctx, const char *target_arg, const char *want_version)
{
	struct perf_error err;
	struct agree a;
	char target[PERF_HANDLE_MAX + 16];
	int rc;

	memset(&a, 0, sizeof(a));
	perf_error_clear(&err);
	a.want_version = want_version;
	a.target = target_arg;
	/* A bare handle names that person's expectations. */
	if (perf_value_is_handle(a.target) && perf_store_person_exists(ctx->repo, NULL, a.target)) {
		snprintf(target, sizeof(target), "expect:%s", a.target);
		a.target = target;
	}
	if (perf_repo_require_handle(ctx->repo, &a.me, &err))
		return perf_fail(&err);
	perf_note_repo(ctx);
	if (perf_repo_write(ctx->repo, agree_txn, &a, NULL, &err)) {
		rc = perf_fail(&err);
		goto out;
	}
	if (ctx->json) {
		print_json(&a);
	} else if (a.norm) {
		printf("agreed to %s (version %s); %zu of %s agree", a.t.path, a.version, a.who.n, a.quorum);
		if (a.adopted_now) {
			printf(": adopted");
			for (size_t i = 0; i < a.applied.n; i++)
				printf("%s%s", i ? ", " : "; the program changes: ", a.applied.v[i]);
		} else if (a.agreed) {
			printf(": adopted");
		}
		printf("\n");
	} else {
		printf("agreed to %s (version %s); agreed by ", a.t.path, a.version);
		for (size_t i = 0; i < a.who.n; i++)
			printf("%s%s", i ? ", " : "", a.who.v[i]);
		if (a.agreed) {
			printf(": agreed\n");
		} else {
			printf("; waiting for ");
			for (size_t i = 0; i < a.waiting.n; i++)
				printf("%s%s", i ? ", " : "", a.waiting.v[i]);
			printf("\n");
		}
	}
	rc = PERF_EXIT_OK;
out:
	perf_strv_release(&a.applied);
	perf_strv_release(&a.waiting);
	perf_strv_release(&a.who);
	perf_strv_release(&a.at);
	return rc;
}

static int run_agree(struct perf_ctx *ctx, int argc, char **argv)
{
	struct perf_optstate st;
	struct agree_args a = {0};
	const char *want_version;
	int c;

	if ((c = perf_opt_parse(&st, ctx, argc, argv, &a, NULL)) != 0)
		return c;
	want_version = a.version;
	if ((c = perf_operands(&st, 1, 1, "name what you agree to, for example expect:HANDLE")))
		return c;
	if (want_version) {
		size_t n = strlen(want_version);
		if (n < 7 || n > PERF_SCHEMA_VERSION_LEN || strspn(want_version, "0123456789abcdef") != n)
			return perf_usage_error(ctx->cmd, "'%s' is not a version (7 to %d lowercase hex digits)",
			                        want_version, PERF_SCHEMA_VERSION_LEN);
	}
	return perf_agree_target(ctx, argv[st.index], want_version);
}

const struct perf_cmd perf_cmd_agree = {
    .group = PERF_GROUP_TEAM,
    .name = "agree",
    .usage = "[--version VERSION] TARGET",
    .summary = "agree to the current version of expectations or a norm",
    .opts = agree_opts,
    .flags = PERF_CMD_REPO | PERF_CMD_WRITES | PERF_CMD_READS,
    .run = run_agree,
};
