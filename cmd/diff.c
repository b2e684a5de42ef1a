/*
 * perf diff [REV[..REV]] [TARGET]: what changed, field by field; bodies as
 * text.  No revision compares HEAD with the work tree (hand edits).
 */
#include "perf.h"
#include "toolkit.h"

#include <stdlib.h>
#include <string.h>

#include "history.h"
#include "store.h"

static const struct perf_opt diff_opts[] = {
    {0},
};

static int tree_of(struct perf_repo *repo, const char *rev, git_tree **out, struct perf_error *err)
{
	git_object *obj = NULL;
	int rc = 0;

	*out = NULL;
	if (git_revparse_single(&obj, repo->git, rev) < 0)
		return perf_error(err, PERF_ENOTFOUND, "'%s' is not a revision (try HEAD~1, a commit id or a branch)",
		                  rev);
	if (git_object_peel((git_object **)out, obj, GIT_OBJECT_TREE) < 0)
		rc = perf_error_git(err, "'%s' has no tree", rev);
	git_object_free(obj);
	return rc;
}

static void print_diff(const struct perf_diff *d)
{
	for (size_t i = 0; i < d->n; i++) {
		const struct perf_doc_diff *dd = &d->v[i];
		printf("%s %s\n", dd->status == 'A' ? "added" : dd->status == 'D' ? "deleted" : "changed", dd->path);
		for (size_t k = 0; k < dd->nfields; k++) {
			const struct perf_field_change *f = &dd->fields[k];
			if (!f->old)
				printf("  + %s: %s\n", f->field, f->new);
			else if (!f->new)
				printf("  - %s: %s\n", f->field, f->old);
			else
				printf("    %s: %s → %s\n", f->field, f->old, f->new);
		}
		if (dd->body && *dd->body) {
			const char *p = dd->body;
			while (*p) {
				const char *eol = strchr(p, '\n');
				size_t n = eol ? (size_t)(eol - p) : strlen(p);
				printf("  %.*s\n", (int)n, p);
				p = eol ? eol + 1 : p + n;
			}
		}
	}
}

static void json_diff(const struct perf_diff *d)
{
	printf("[");
	for (size_t i = 0; i < d->n; i++) {
		const struct perf_doc_diff *dd = &d->v[i];
		printf("%s\n  {\"path\": ", i ? "," : "");
		perf_json_str(stdout, dd->path);
		printf(", \"status\": \"%s\", \"fields\": [", dd->status == 'A'   ? "added"
		                                              : dd->status == 'D' ? "deleted"
		                                                                  : "modified");
		for (size_t k = 0; k < dd->nfields; k++) {
			printf("%s{\"field\": ", k ? ", " : "");
			perf_json_str(stdout, dd->fields[k].field);
			printf(", \"old\": ");
			perf_json_str(stdout, dd->fields[k].old);
			printf(", \"new\": ");
			perf_json_str(stdout, dd->fields[k].new);
			printf("}");
		}
		printf("], \"body\": ");
		perf_json_str(stdout, dd->body ? dd->body : "");
		printf("}");
	}
	printf("%s]\n", d->n ? "\n" : "");
}

static int run_diff(struct perf_ctx *ctx, int argc, char **argv)
{
	struct perf_optstate st;
	struct perf_error err;
	struct perf_diff d;
	struct perf_target t;
	git_tree *a = NULL, *b = NULL;
	const char *arg, *target = NULL, *range = NULL, *me = NULL;
	int c, rc = PERF_EXIT_OK;

	perf_error_clear(&err);
	perf_opt_init(&st, ctx->cmd, argc, argv);
	while ((c = perf_opt_next(&st, &arg)) != -1)
		return PERF_EXIT_USAGE;
	for (int i = st.index; i < argc; i++) {
		git_object *obj = NULL;
		/* A revision or a range first; anything else is the TARGET. */
		if (!range && !target &&
		    (strstr(argv[i], "..") || git_revparse_single(&obj, ctx->repo->git, argv[i]) == 0)) {
			git_object_free(obj);
			range = argv[i];
		} else if (!target) {
			git_error_clear();
			target = argv[i];
		} else {
			return perf_usage_error(ctx->cmd, "unexpected argument '%s'", argv[i]);
		}
	}
	if (target) {
		const struct perf_identity *who;
		if (perf_repo_identity(ctx->repo, &who, NULL) == 0)
			me = who->handle;
		if (perf_store_resolve(ctx->repo, NULL, target, me, &t, &err))
			return perf_fail(&err);
	}
	if (range && strstr(range, "..")) {
		const char *dots = strstr(range, "..");
		char left[256];
		snprintf(left, sizeof(left), "%.*s", (int)(dots - range), range);
		if ((rc = tree_of(ctx->repo, left[0] ? left : "HEAD", &a, &err)) ||
		    (rc = tree_of(ctx->repo, dots[2] ? dots + 2 : "HEAD", &b, &err))) {
			rc = perf_fail(&err);
			goto out;
		}
	} else if (range) {
		/* One revision: what changed from it up to HEAD. */
		if (tree_of(ctx->repo, range, &a, &err) || tree_of(ctx->repo, "HEAD", &b, &err)) {
			rc = perf_fail(&err);
			goto out;
		}
	} else if (tree_of(ctx->repo, "HEAD", &a, &err)) {
		/* No revision: uncommitted changes in the work tree. */
		rc = perf_fail(&err);
		goto out;
	}
	if (perf_history_diff(ctx->repo, a, b, target ? t.path : NULL, &d, &err)) {
		rc = perf_fail(&err);
		goto out;
	}
	perf_pager_start(ctx);
	if (ctx->json)
		json_diff(&d);
	else
		print_diff(&d);
	perf_diff_release(&d);
out:
	git_tree_free(a);
	git_tree_free(b);
	return rc;
}

const struct perf_cmd perf_cmd_diff = {
    .name = "diff",
    .usage = "[REV | REV..REV] [TARGET]",
    .summary = "what changed, field by field",
    .opts = diff_opts,
    .flags = PERF_CMD_REPO | PERF_CMD_READS | PERF_CMD_ANYCONFIG,
    .run = run_diff,
};
