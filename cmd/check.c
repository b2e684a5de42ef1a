/*
 * perf check [PATH...]: validate documents against their schema, the layout
 * and each other, and print problems like a compiler does.
 *
 * By default the tree committed at HEAD is checked; with --worktree, or
 * when paths are given, the files in the working tree (lib/check finds and
 * reads them).  Nothing is ever written.
 */
#include "perf.h"
#include "toolkit.h"

#include <stdio.h>

#include "check.h"

struct check_args {
	bool worktree, quiet, json;
};

#define INTO(member) PERF_OPT_INTO(struct check_args, member)
static const struct perf_opt check_opts[] = {
    {.name = "worktree",
     .short_name = 'w',
     .help = "check the files in the working tree instead of HEAD",
     INTO(worktree)},
    {.name = "quiet", .short_name = 'q', .help = "print nothing; only the exit status tells", INTO(quiet)},
    {.name = "json", .help = "print a JSON object (as 'perf --json check')", INTO(json)},
    {0},
};
#undef INTO

/* ---- output ---- */

/* One line per problem: control characters in names become '?'. */
static void put_clean(const char *s)
{
	for (; *s; s++)
		putchar((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s);
}

static void print_text(const struct perf_check *c)
{
	for (size_t i = 0; i < perf_check_nproblems(c); i++) {
		const struct perf_check_problem *p = perf_check_problem(c, i);
		put_clean(p->path);
		printf(":%zu:%zu: ", p->line, p->col);
		put_clean(p->msg);
		putchar('\n');
	}
}

static void print_json(const struct perf_check *c)
{
	size_t n = perf_check_nproblems(c);

	printf("{\"checked\": %zu, \"problems\": [", perf_check_checked(c));
	for (size_t i = 0; i < n; i++) {
		const struct perf_check_problem *p = perf_check_problem(c, i);
		printf("%s\n  {\"path\": ", i ? "," : "");
		perf_json_str(stdout, p->path);
		printf(", \"line\": %zu, \"col\": %zu, \"message\": ", p->line, p->col);
		perf_json_str(stdout, p->msg);
		putchar('}');
	}
	printf("%s]}\n", n ? "\n" : "");
}

static int run_check(struct perf_ctx *ctx, int argc, char **argv)
{
	struct perf_optstate st;
	struct perf_error err;
	struct perf_check *c = NULL;
	struct check_args a = {0};
	size_t np, checked;
	int rc = PERF_EXIT_OK;

	perf_error_clear(&err);
	if ((rc = perf_opt_parse(&st, ctx, argc, argv, &a, NULL)) != 0)
		return rc;
	if (a.json)
		ctx->json = true;
	if (st.index < argc)
		a.worktree = true;
	if (perf_check_new(&c, ctx->repo, a.worktree, &err))
		return perf_fail(&err);
	if (st.index < argc) {
		for (int i = st.index; i < argc; i++) {
			if (perf_check_add_path(c, ctx->dir, argv[i], &err)) {
				fprintf(stderr, "perf check: %s\n", err.msg);
				rc = err.code == PERF_ENOMEM ? PERF_EXIT_FAIL : PERF_EXIT_USAGE;
				goto out;
			}
		}
	} else if (perf_check_add_all(c, &err)) {
		rc = perf_fail(&err);
		goto out;
	}
	if (perf_check_run(c, &err)) {
		rc = perf_fail(&err);
		goto out;
	}
	np = perf_check_nproblems(c);
	checked = perf_check_checked(c);
	rc = np ? PERF_EXIT_FAIL : PERF_EXIT_OK;
	if (a.quiet)
		goto out;
	if (ctx->json) {
		print_json(c);
	} else if (np) {
		size_t files = perf_check_files(c);
		print_text(c);
		fflush(stdout);
		fprintf(stderr, "perf: %zu problem%s in %zu file%s (checked %zu document%s)\n", np, np == 1 ? "" : "s",
		        files, files == 1 ? "" : "s", checked, checked == 1 ? "" : "s");
	}
out:
	perf_check_free(c);
	return rc;
}

const struct perf_cmd perf_cmd_check = {
    .group = PERF_GROUP_PLUMBING,
    .name = "check",
    .usage = "[--worktree] [-q] [PATH...]",
    .summary = "find problems in documents: fields, layout, references",
    .opts = check_opts,
    .flags = PERF_CMD_REPO | PERF_CMD_READS | PERF_CMD_ANYCONFIG,
    .run = run_check,
};
