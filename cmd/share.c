/*
 * perf share [--month YYYY-MM]: the agenda of the monthly goal-sharing
 * session: each person's active goals and how their progress moved in
 * the month, by the first and last check-ins that month.
 */
#include "perf.h"
#include "toolkit.h"

#include <string.h>

#include "report.h"
#include "teamdocs.h"
#include "value.h"

static const struct perf_opt share_opts[] = {
    {.name = "month", .short_name = 'm', .arg = "YYYY-MM", .help = "the month (default: this month)"},
    {.name = "group", .short_name = 'g', .arg = "NAME", .help = "only the members of this accountability group"},
    {0},
};

/* The first and last check-in values of a goal in the month; false when none. */
static bool moved(const struct perf_report_goal *g, const char *month, long *first, long *last, size_t *n)
{
	*n = 0;
	for (size_t i = 0; i < g->nhist; i++) {
		if (!g->hist[i].week[0] || strncmp(g->hist[i].date, month, 7))
			continue;
		if (!(*n)++)
			*first = g->hist[i].progress;
		*last = g->hist[i].progress;
	}
	return *n > 0;
}

static void json_int(long v, bool have)
{
	if (have)
		printf("%ld", v);
	else
		printf("null");
}

static int team_line(void *payload, const char *heading, const char *text)
{
	const char **last = payload;

	if (!text) {
		printf("\n%s\n", heading);
	} else {
		if (*last != heading)
			printf("\n%s\n", heading);
		printf("- %s\n", text);
	}
	*last = heading;
	return 0;
}

/* The team's documents of the month (retros): a part of their own, and "team" in JSON. */
static int share_team(const struct perf_ctx *ctx, const char *month, struct perf_error *err)
{
	struct perf_teamdocs docs = PERF_TEAMDOCS_INIT;
	struct perf_buf title = PERF_BUF_INIT;
	char from[11], until[11];
	int rc;

	snprintf(from, sizeof(from), "%s-01", month);
	snprintf(until, sizeof(until), "%s-31", month);
	if ((rc = perf_teamdocs_load(ctx->repo, from, until, &docs, err)))
		return rc;
	if (ctx->json)
		printf(", \"team\": [");
	else if (docs.n)
		printf("\n## The team\n");
	for (size_t i = 0; i < docs.n; i++) {
		const struct perf_teamdoc *d = &docs.v[i];
		if (ctx->json) {
			printf("%s{\"kind\": ", i ? ", " : "");
			perf_json_str(stdout, d->kind->name);
			printf(", \"path\": ");
			perf_json_str(stdout, d->path);
			printf(", \"fields\": ");
			perf_report_fields_json(stdout, d->kind, perf_doc_root(d->doc));
			printf("}");
		} else {
			const char *last = NULL;
			perf_buf_truncate(&title, 0);
			perf_teamdoc_title(&title, d);
			printf("\n### %s\n", perf_buf_cstr(&title));
			perf_teamdoc_lines(d, team_line, &last);
		}
	}
	if (ctx->json)
		printf("]");
	perf_buf_release(&title);
	perf_teamdocs_release(&docs);
	return 0;
}

static int run_share(struct perf_ctx *ctx, int argc, char **argv)
{
	struct perf_optstate st;
	struct perf_error err;
	struct perf_strv people = PERF_STRV_INIT;
	struct perf_report_team *team = NULL;
	const char *arg, *group = NULL;
	char month[8], today[11], probe[11];
	int c;

	perf_error_clear(&err);
	perf_value_format_date(perf_value_now(), today);
	snprintf(month, sizeof(month), "%.7s", today);
	perf_opt_init(&st, ctx->cmd, argc, argv);
	while ((c = perf_opt_next(&st, &arg)) != -1) {
		if (c == 'm') {
			snprintf(probe, sizeof(probe), "%.7s-01", arg);
			if (strlen(arg) != 7 || perf_report_days(probe) < 0)
				return perf_usage_error(ctx->cmd, "--month '%s' is not a month (YYYY-MM)", arg);
			snprintf(month, sizeof(month), "%s", arg);
		} else if (c == 'g') {
			group = arg;
		} else {
			return PERF_EXIT_USAGE;
		}
	}
	if (st.index < argc)
		return perf_usage_error(ctx->cmd, "unexpected argument '%s'", argv[st.index]);
	if (perf_report_people(ctx->repo, group, &people, &err))
		return perf_fail(&err);
	if (perf_report_team_load(ctx->repo, NULL, &team, &err)) {
		perf_strv_release(&people);
		return perf_fail(&err);
	}
	if (ctx->json)
		printf("{\"month\": \"%s\", \"people\": [", month);
	else
		printf("# Goal sharing, %s\n", month);
	for (size_t i = 0; i < people.n; i++) {
		struct perf_report_person p;
		size_t shown = 0;
		if (perf_report_team_person(team, people.v[i], 0, &p, &err)) {
			perf_report_person_release(&p);
			perf_strv_release(&people);
			perf_report_team_free(team);
			if (ctx->json)
				printf("]}\n");
			return perf_fail(&err);
		}
		if (ctx->json) {
			printf("%s{\"person\": ", i ? ", " : "");
			perf_json_str(stdout, p.handle);
			printf(", \"goals\": [");
		} else {
			printf("\n## %s\n\n", p.handle);
		}
		for (size_t k = 0; k < p.ngoals; k++) {
			const struct perf_report_goal *g = &p.goals[k];
			long first = 0, last = 0, now;
			size_t n;
			bool have;
			if (strcmp(g->status, "active"))
				continue;
			have = moved(g, month, &first, &last, &n);
			now = g->nhist ? g->hist[g->nhist - 1].progress : g->progress;
			if (ctx->json) {
				printf("%s{\"goal\": ", shown ? ", " : "");
				perf_json_str(stdout, g->slug);
				printf(", \"title\": ");
				perf_json_str(stdout, g->title);
				printf(", \"due\": ");
				perf_json_str(stdout, g->due[0] ? g->due : NULL);
				printf(", \"checkins\": %zu, \"first\": ", n);
				json_int(first, have);
				printf(", \"last\": ");
				json_int(last, have);
				printf(", \"progress\": ");
				json_int(now, now >= 0);
				printf("}");
			} else {
				printf("- %s (%s)", g->title, g->slug);
				if (g->due[0])
					printf(", due %s", g->due);
				if (have)
					printf(": %ld%% → %ld%% this month (%zu check-in%s)\n", first, last, n,
					       n == 1 ? "" : "s");
				else if (now >= 0)
					printf(": no check-in this month, at %ld%%\n", now);
				else
					printf(": no progress recorded yet\n");
			}
			shown++;
		}
		if (ctx->json)
			printf("]}");
		else if (!shown)
			printf("No active goals.\n");
		perf_report_person_release(&p);
	}
	if (ctx->json)
		printf("]");
	if (share_team(ctx, month, &err)) {
		if (ctx->json)
			printf("}\n");
		perf_strv_release(&people);
		perf_report_team_free(team);
		return perf_fail(&err);
	}
	if (ctx->json)
		printf("}\n");
	perf_strv_release(&people);
	perf_report_team_free(team);
	return fflush(stdout) ? PERF_EXIT_FAIL : PERF_EXIT_OK;
}

const struct perf_cmd perf_cmd_share = {
    .name = "share",
    .usage = "[--month YYYY-MM] [--group NAME]",
    .summary = "the agenda of the monthly goal-sharing session",
    .opts = share_opts,
    .flags = PERF_CMD_RECORD | PERF_CMD_REPO | PERF_CMD_READS,
    .run = run_share,
};
