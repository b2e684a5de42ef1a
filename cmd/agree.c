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

static const struct perf_opt agree_opts[] = {
    {"version", 0, "VERSION", "agree only if the document is still at VERSION (what you read)"},
    {NULL, 0, NULL, NULL},
};

/* An agreement to the current version: who, and when. */
struct agreement {
	char who[PERF_HANDLE_MAX + 1];
	char at[32];
};

struct agree {
	const char *me, *target, *want_version;
	struct perf_target t;
	/* Results. */
	char version[PERF_SCHEMA_VERSION_LEN + 1];
	char person[PERF_HANDLE_MAX + 1], lead[PERF_HANDLE_MAX + 1];
	struct agreement cur[16]; /* agreements that count, in the file's order */
	size_t ncur;
	struct perf_strv waiting; /* whose agreement is still needed */
	bool agreed;
};

/*
 * Records who's agreement, at time `at`, to the current version of doc, in
 * the kind's agreement field: updates who's entry when it is for an older
 * version, else appends one.  PERF_EEXISTS when who already agreed to this
 * version.  Works for any kind with an agreement field.
 */
static int record_agreement(struct perf_doc *doc, const struct perf_schema_kind *kind, const char *who, const char *at,
                            char version[PERF_SCHEMA_VERSION_LEN + 1], struct perf_error *err)
{
	const char *field = kind->agreement;
	const struct perf_node *list = perf_doc_get(doc, field);
	struct perf_node *entry;
	char path[128];
	size_t n = list && list->type == PERF_NODE_SEQ ? list->n : 0;
	int rc;

	if ((rc = perf_schema_version(version, kind, doc, err)))
		return rc;
	if (list && list->type != PERF_NODE_SEQ && !(list->type == PERF_NODE_SCALAR && list->len == 0))
		return perf_error(err, PERF_EINVALID, "%s: '%s' is not a list; fix it by hand", perf_doc_name(doc),
		                  field);
	for (size_t i = 0; i < n; i++) {
		const struct perf_node *e = list->values[i];
		const char *w = e->type == PERF_NODE_MAP ? perf_node_str(e, "who") : NULL;
		const char *v = w ? perf_node_str(e, "version") : NULL;
		if (w && v && !strcmp(w, who) && !strcmp(v, version))
			return perf_error(err, PERF_EEXISTS, "you already agreed to this version of %s (%s)",
			                  perf_doc_name(doc), version);
	}
	for (size_t i = 0; i < n; i++) {
		const struct perf_node *e = list->values[i];
		const char *w = e->type == PERF_NODE_MAP ? perf_node_str(e, "who") : NULL;
		if (!w || strcmp(w, who))
			continue;
		/* An agreement to an older version: this one replaces it. */
		snprintf(path, sizeof(path), "%s[%zu].at", field, i);
		if ((rc = perf_doc_set_raw(doc, path, at, err)))
			return rc;
		snprintf(path, sizeof(path), "%s[%zu].version", field, i);
		return perf_doc_set_str(doc, path, version, err);
	}
	entry = perf_node_new_map();
	if (!entry || perf_node_map_add(entry, "who", perf_node_new_str(who)) ||
	    perf_node_map_add(entry, "at", perf_node_new_raw(at)) ||
	    perf_node_map_add(entry, "version", perf_node_new_str(version))) {
		perf_node_free(entry);
		return perf_error(err, PERF_ENOMEM, "out of memory");
	}
	if (n) {
		snprintf(path, sizeof(path), "%s[%zu]", field, n);
		return perf_doc_set_node(doc, path, entry, err);
	}
	struct perf_node *seq = perf_node_new_seq();
	if (!seq || perf_node_seq_add(seq, entry)) {
		perf_node_free(seq);
		return perf_error(err, PERF_ENOMEM, "out of memory");
	}
	return perf_doc_set_node(doc, field, seq, err);
}

/* The agreements that count: those to the current version, each person once. */
static void current_agreements(const struct perf_doc *doc, const struct perf_schema_kind *kind, const char *version,
                               struct agreement *out, size_t max, size_t *nout)
{
	const struct perf_node *list = perf_doc_get(doc, kind->agreement);

	*nout = 0;
	if (!list || list->type != PERF_NODE_SEQ)
		return;
	for (size_t i = 0; i < list->n && *nout < max; i++) {
		const struct perf_node *e = list->values[i];
		const char *w, *v, *at;
		bool seen = false;
		if (e->type != PERF_NODE_MAP)
			continue;
		w = perf_node_str(e, "who");
		v = perf_node_str(e, "version");
		at = perf_node_str(e, "at");
		if (!w || !v || strcmp(v, version) || !perf_value_is_handle(w))
			continue;
		for (size_t k = 0; k < *nout; k++)
			seen = seen || !strcmp(out[k].who, w);
		if (seen)
			continue;
		snprintf(out[*nout].who, sizeof(out[*nout].who), "%s", w);
		snprintf(out[*nout].at, sizeof(out[*nout].at), "%s", at ? at : "");
		(*nout)++;
	}
}

static bool has_agreed(const struct agree *a, const char *who)
{
	for (size_t i = 0; i < a->ncur; i++)
		if (!strcmp(a->cur[i].who, who))
			return true;
	return false;
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

	if (strcmp(kind->name, "expectations"))
		return perf_error(err, PERF_EINVALID, "%s: agreeing to a %s is not supported yet", a->t.path,
		                  kind->name);
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

static int agree_txn(struct perf_txn *txn, void *payload, struct perf_error *err)
{
	struct agree *a = payload;
	struct perf_repo *repo = perf_txn_repo(txn);
	const struct perf_schema_kind *kind = NULL;
	struct perf_doc *doc = NULL;
	char at[21];
	int rc;

	perf_strv_release(&a->waiting);
	a->ncur = 0;
	a->agreed = false;
	if ((rc = perf_store_resolve(repo, txn, a->target, a->me, &a->t, err)) ||
	    (rc = perf_store_load(repo, txn, a->t.path, &doc, &kind, err)))
		goto out;
	if (!kind->agreement) {
		rc = perf_error(err, PERF_EINVALID, "%s is a %s, which is not agreed to (expectations are)", a->t.path,
		                kind->name);
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
	if ((rc = record_agreement(doc, kind, a->me, at, a->version, err)) ||
	    (rc = perf_store_put(txn, kind, doc, a->t.path, err)))
		goto out;
	current_agreements(doc, kind, a->version, a->cur, sizeof(a->cur) / sizeof(*a->cur), &a->ncur);
	if (!has_agreed(a, a->person) && perf_strv_push(&a->waiting, a->person))
		goto nomem;
	if (!a->lead[0]) {
		if (perf_strv_push(&a->waiting, "a lead"))
			goto nomem;
	} else if (strcmp(a->lead, a->person) && !has_agreed(a, a->lead) && perf_strv_push(&a->waiting, a->lead)) {
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
	for (size_t i = 0; i < a->ncur; i++) {
		printf("%s{\"who\":", i ? "," : "");
		perf_json_str(stdout, a->cur[i].who);
		printf(",\"at\":");
		perf_json_str(stdout, a->cur[i].at);
		printf("}");
	}
	printf("],\"waiting\":[");
	for (size_t i = 0; i < a->waiting.n; i++) {
		printf("%s", i ? "," : "");
		perf_json_str(stdout, a->waiting.v[i]);
	}
	printf("],\"agreed\":%s}\n", a->agreed ? "true" : "false");
}

static int run_agree(struct perf_ctx *ctx, int argc, char **argv)
{
	struct perf_optstate st;
	struct perf_error err;
	struct agree a;
	char target[PERF_HANDLE_MAX + 16];
	const char *arg;
	int c, rc;

	memset(&a, 0, sizeof(a));
	perf_error_clear(&err);
	perf_opt_init(&st, ctx->cmd, argc, argv);
	while ((c = perf_opt_next(&st, &arg)) != -1) {
		switch (c) {
		case PERF_OPT_LONG(0):
			a.want_version = arg;
			break;
		default:
			return PERF_EXIT_USAGE;
		}
	}
	if (st.index >= argc)
		return perf_usage_error(ctx->cmd, "name what you agree to, for example expect:HANDLE");
	if (argc - st.index > 1)
		return perf_usage_error(ctx->cmd, "unexpected argument '%s'", argv[st.index + 1]);
	if (a.want_version) {
		size_t n = strlen(a.want_version);
		if (n < 7 || n > PERF_SCHEMA_VERSION_LEN || strspn(a.want_version, "0123456789abcdef") != n)
			return perf_usage_error(ctx->cmd, "'%s' is not a version (7 to %d lowercase hex digits)",
			                        a.want_version, PERF_SCHEMA_VERSION_LEN);
	}
	a.target = argv[st.index];
	/* A bare handle names that person's expectations. */
	if (perf_value_is_handle(a.target)) {
		snprintf(target, sizeof(target), "expect:%s", a.target);
		a.target = target;
	}
	if (perf_repo_require_handle(ctx->repo, &a.me, &err))
		return perf_fail(&err);
	perf_note_repo(ctx);
	if (perf_repo_write(ctx->repo, agree_txn, &a, NULL, &err)) {
		rc = perf_fail(&err);
		perf_strv_release(&a.waiting);
		return rc;
	}
	if (ctx->json) {
		print_json(&a);
	} else {
		printf("agreed to %s (version %s); agreed by ", a.t.path, a.version);
		for (size_t i = 0; i < a.ncur; i++)
			printf("%s%s", i ? ", " : "", a.cur[i].who);
		if (a.agreed) {
			printf(": agreed\n");
		} else {
			printf("; waiting for ");
			for (size_t i = 0; i < a.waiting.n; i++)
				printf("%s%s", i ? ", " : "", a.waiting.v[i]);
			printf("\n");
		}
	}
	perf_strv_release(&a.waiting);
	return PERF_EXIT_OK;
}

const struct perf_cmd perf_cmd_agree = {
    .name = "agree",
    .usage = "[--version VERSION] TARGET",
    .summary = "agree to the current version of expectations",
    .opts = agree_opts,
    .flags = PERF_CMD_REPO | PERF_CMD_WRITES | PERF_CMD_READS,
    .run = run_agree,
};
