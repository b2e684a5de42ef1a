/*
 * perf log [TARGET] [--since DATE] [--author HANDLE]: who did what when,
 * in words, from the commits' trailers.
 */
#include "perf.h"
#include "toolkit.h"

#include <stdlib.h>
#include <string.h>

#include "history.h"
#include "store.h"
#include "value.h"

static const struct perf_opt log_opts[] = {
    {.name = "since", .short_name = 's', .arg = "DATE", .help = "only what happened on or after DATE (YYYY-MM-DD)"},
    {.name = "author", .short_name = 'a', .arg = "HANDLE", .help = "only what HANDLE did"},
    {.name = "max-count", .short_name = 'n', .arg = "N", .help = "at most N entries"},
    {0},
};

static int run_log(struct perf_ctx *ctx, int argc, char **argv)
{
	struct perf_optstate st;
	struct perf_log_opts o;
	struct perf_log log;
	struct perf_error err;
	struct perf_target t;
	const char *arg, *me = NULL;
	int c;

	memset(&o, 0, sizeof(o));
	perf_error_clear(&err);
	perf_opt_init(&st, ctx->cmd, argc, argv);
	while ((c = perf_opt_next(&st, &arg)) != -1) {
		switch (c) {
		case 's': {
			int y, m, d;
			if (perf_value_parse_date(arg, &y, &m, &d, &err))
				return perf_usage_error(ctx->cmd, "--since: %s", err.msg);
			o.since = (time_t)(perf_value_days(y, m, d) * 86400L);
			break;
		}
		case 'a':
			if (perf_value_check_handle(arg, "author", &err))
				return perf_usage_error(ctx->cmd, "%s", err.msg);
			o.author = arg;
			break;
		case 'n': {
			long n;
			if (perf_value_parse_int(arg, &n, NULL) || n < 1)
				return perf_usage_error(ctx->cmd, "--max-count must be a positive number");
			o.max = (size_t)n;
			break;
		}
		default:
			return PERF_EXIT_USAGE;
		}
	}
	if (argc - st.index > 1)
		return perf_usage_error(ctx->cmd, "give at most one TARGET");
	if (st.index < argc) {
		const struct perf_identity *who;
		if (perf_repo_identity(ctx->repo, &who, NULL) == 0)
			me = who->handle;
		if (perf_store_resolve(ctx->repo, NULL, argv[st.index], me, &t, &err))
			return perf_fail(&err);
		o.path = t.path;
	}
	if (perf_history_log(ctx->repo, &o, &log, &err))
		return perf_fail(&err);
	perf_pager_start(ctx);
	if (ctx->json) {
		printf("[");
		for (size_t i = 0; i < log.n; i++) {
			const struct perf_log_entry *e = &log.v[i];
			char when[21];
			perf_value_format_time(e->when, when);
			printf("%s\n  {\"commit\": \"%s\", \"time\": \"%s\", \"author\": ", i ? "," : "", e->id, when);
			perf_json_str(stdout, e->author);
			printf(", \"kind\": ");
			perf_json_str(stdout, e->kind[0] ? e->kind : NULL);
			printf(", \"path\": ");
			perf_json_str(stdout, e->path[0] ? e->path : NULL);
			printf(", \"words\": ");
			perf_json_str(stdout, e->words);
			printf(", \"subject\": ");
			perf_json_str(stdout, e->subject);
			printf("}");
		}
		printf("%s]\n", log.n ? "\n" : "");
	} else {
		for (size_t i = 0; i < log.n; i++) {
			char day[11];
			perf_value_format_date(log.v[i].when, day);
			printf("%s  %-8s %s\n", day, log.v[i].author, log.v[i].words);
		}
	}
	perf_log_release(&log);
	return PERF_EXIT_OK;
}

const struct perf_cmd perf_cmd_log = {
    .group = PERF_GROUP_SYNC,
    .name = "log",
    .usage = "[TARGET] [--since DATE] [--author HANDLE] [-n N]",
    .summary = "who did what when, in words",
    .opts = log_opts,
    .flags = PERF_CMD_REPO | PERF_CMD_READS | PERF_CMD_ANYCONFIG,
    .run = run_log,
};
