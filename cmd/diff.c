/*
 * perf diff [REV[..REV]] [TARGET]: what changed, field by field; bodies as
 * text.  No revision compares HEAD with the work tree (hand edits).
 */
#include "perf.h"
#include "toolkit.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "history.h"
#include "store.h"

/* Long-only options, by id. */
enum { OPT_COLOR = PERF_OPT_FIRST_ID, OPT_NO_COLOR };

static const struct perf_opt diff_opts[] = {
    {.name = "color",
     .arg = "WHEN",
     .help = "colour the diff: auto (on a terminal, without NO_COLOR), always or never",
     .id = OPT_COLOR},
    {.name = "no-color", .help = "the same as --color=never", .id = OPT_NO_COLOR},
    {0},
};

/* The colours of a diff, as git's: empty strings when it is not coloured. */
struct diff_colors {
	const char *bold, *old, *new, *frag, *reset;
};

static void print_diff(const struct perf_diff *d, const struct diff_colors *c)
{
	for (size_t i = 0; i < d->n; i++) {
		const struct perf_doc_diff *dd = &d->v[i];
		printf("%s%s %s%s\n", c->bold,
		       dd->status == 'A'   ? "added"
		       : dd->status == 'D' ? "deleted"
		                           : "changed",
		       dd->path, c->reset);
		for (size_t k = 0; k < dd->nfields; k++) {
			const struct perf_field_change *f = &dd->fields[k];
			if (!f->old)
				printf("  %s+ %s%s%s%s: %s%s\n", c->new, c->bold, f->field, c->reset, c->new, f->new,
				       c->reset);
			else if (!f->new)
				printf("  %s- %s%s%s%s: %s%s\n", c->old, c->bold, f->field, c->reset, c->old, f->old,
				       c->reset);
			else
				printf("    %s%s%s: %s%s%s → %s%s%s\n", c->bold, f->field, c->reset, c->old, f->old,
				       c->reset, c->new, f->new, c->reset);
		}
		if (dd->body && *dd->body) {
			const char *p = dd->body;
			while (*p) {
				const char *eol = strchr(p, '\n'), *on = "";
				size_t n = eol ? (size_t)(eol - p) : strlen(p);
				if (!strncmp(p, "+++", 3) || !strncmp(p, "---", 3))
					on = c->bold;
				else if (*p == '+')
					on = c->new;
				else if (*p == '-')
					on = c->old;
				else if (!strncmp(p, "@@", 2))
					on = c->frag;
				printf("  %s%.*s%s\n", on, (int)n, p, *on ? c->reset : "");
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
			perf_json_fields(k ? ", {" : "{", "field", dd->fields[k].field, "old", dd->fields[k].old, "new",
			                 dd->fields[k].new, NULL);
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
	const char *arg, *target = NULL, *range = NULL, *me = NULL;
	bool color = ctx->color;
	int c, rc = PERF_EXIT_OK;

	perf_error_clear(&err);
	perf_opt_init(&st, ctx->cmd, argc, argv);
	while ((c = perf_opt_next(&st, &arg)) != -1) {
		if (c == OPT_NO_COLOR || (c == OPT_COLOR && !strcmp(arg, "never")))
			color = false;
		else if (c == OPT_COLOR && !strcmp(arg, "always"))
			color = true;
		else if (c == OPT_COLOR && !strcmp(arg, "auto"))
			/* As perf --color=auto decides it (perf(1)). */
			color = isatty(STDOUT_FILENO) && !getenv("NO_COLOR") &&
			        !(getenv("TERM") && !strcmp(getenv("TERM"), "dumb"));
		else if (c == OPT_COLOR)
			return perf_usage_error(ctx->cmd, "--color takes always, never or auto, not '%s'", arg);
		else
			return PERF_EXIT_USAGE;
	}
	for (int i = st.index; i < argc; i++) {
		/* A revision or a range first; anything else is the TARGET. */
		if (!range && !target && (strstr(argv[i], "..") || perf_repo_is_rev(ctx->repo, argv[i]))) {
			range = argv[i];
		} else if (!target) {
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
		rc = perf_history_diff_revs(ctx->repo, left[0] ? left : "HEAD", dots[2] ? dots + 2 : "HEAD",
		                            target ? t.path : NULL, &d, &err);
	} else if (range) {
		/* One revision: what changed from it up to HEAD. */
		rc = perf_history_diff_revs(ctx->repo, range, "HEAD", target ? t.path : NULL, &d, &err);
	} else {
		/* No revision: uncommitted changes in the work tree. */
		rc = perf_history_diff_revs(ctx->repo, "HEAD", NULL, target ? t.path : NULL, &d, &err);
	}
	if (rc)
		return perf_fail(&err);
	perf_pager_start(ctx);
	if (ctx->json) {
		json_diff(&d);
	} else {
		static const struct diff_colors plain = {"", "", "", "", ""},
		                                git = {"\033[1m", "\033[31m", "\033[32m", "\033[36m", "\033[m"};
		print_diff(&d, color ? &git : &plain);
	}
	perf_diff_release(&d);
	return PERF_EXIT_OK;
}

const struct perf_cmd perf_cmd_diff = {
    .group = PERF_GROUP_SYNC,
    .name = "diff",
    .usage = "[REV | REV..REV] [TARGET] [--color=WHEN]",
    .summary = "what changed, field by field",
    .opts = diff_opts,
    .flags = PERF_CMD_REPO | PERF_CMD_READS | PERF_CMD_ANYCONFIG,
    .run = run_diff,
};
