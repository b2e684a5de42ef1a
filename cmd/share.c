/*
 * perf share [--month YYYY-MM]: the agenda of the monthly goal-sharing
 * session, the month's story for each person: their goals as they stood
 * during the month (those created by its end and not closed before it),
 * how each moved from its value at the start of the month, the goals
 * finished that month, the support given to them that month, and, for
 * the month in progress, what is planned for the rest of it (goals due,
 * support promised and not yet given).
 */
#include "perf.h"
#include "toolkit.h"

#include <string.h>

#include "report.h"
#include "teamdocs.h"
#include "value.h"

struct share_args {
	const char *group;
};

#define INTO(member) PERF_OPT_INTO(struct share_args, member)
static const struct perf_opt share_opts[] = {
    {.name = "month", .short_name = 'm', .arg = "YYYY-MM", .help = "the month (default: this month)"},
    {.name = "group",
     .short_name = 'g',
     .arg = "NAME",
     .help = "only the members of this accountability group",
     INTO(group)},
    {0},
};
#undef INTO

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

/* The month's first and last days (YYYY-MM-DD; the last as "-31", enough to compare). */
static void month_span(const char *month, char from[11], char until[11])
{
	snprintf(from, 11, "%s-01", month);
	snprintf(until, 11, "%s-31", month);
}

/* Where a goal stood in the month: 0 not there (created after it, closed before it),
 * 1 open through it, 2 finished (done or dropped) in it. */
static int goal_in_month(const struct perf_report_goal *g, const char *month)
{
	char from[11], until[11];

	month_span(month, from, until);
	if (g->created[0] && strncmp(g->created, until, 10) > 0)
		return 0;
	if (!strcmp(g->status, "active") || !g->closed[0] || strncmp(g->closed, until, 10) > 0)
		return 1;
	return strncmp(g->closed, from, 10) >= 0 ? 2 : 0;
}

/* Progress at the start of the month (last recorded before it, else the first in it)
 * and at its end; false when nothing was ever recorded by then. */
static bool month_movement(const struct perf_report_goal *g, const char *month, long *start, long *end)
{
	char from[11], until[11];

	month_span(month, from, until);
	*start = perf_report_progress_at(g, from, true);
	*end = perf_report_progress_at(g, until, false);
	if (*start < 0)
		for (size_t i = 0; i < g->nhist && *start < 0; i++)
			if (!strncmp(g->hist[i].date, month, 7))
				*start = g->hist[i].progress;
	if (*end < 0)
		*end = *start;
	return *start >= 0;
}

static void json_support(const struct perf_report_goal *g)
{
	printf(", \"support\": ");
	perf_report_support_json(stdout, g);
	printf(", \"support_text\": ");
	perf_json_str(stdout, g->support_text);
}

/* Support promised and given to a goal, as of the month's end: one line. */
static void text_support(const struct perf_report_goal *g, const char *month)
{
	char from[11], until[11];

	month_span(month, from, until);
	if (!g->nsupport && !g->support_text)
		return;
	printf("  support:");
	for (size_t i = 0; i < g->nsupport; i++) {
		const struct perf_report_support *su = &g->support[i];
		bool given = su->given[0] && strcmp(su->given, until) <= 0;
		printf("%s %s %s (%s%s)", i ? ";" : "", su->who, su->what, given ? "given " : "promised",
		       given ? su->given : "");
	}
	if (g->support_text)
		printf("%s %.*s", g->nsupport ? ";" : "", (int)strcspn(g->support_text, "\n"), g->support_text);
	printf("\n");
}

/* The goals open through the month (finished false) or finished in it; how many were shown. */
static size_t share_goals(const struct perf_ctx *ctx, const struct perf_report_person *p, const char *month,
                          bool finished, size_t shown)
{
	if (finished && ctx->json)
		printf(", \"finished\": [");
	for (size_t k = 0; k < p->ngoals; k++) {
		const struct perf_report_goal *g = &p->goals[k];
		long first = 0, last = 0, now, start, end;
		size_t n;
		bool have, moves;
		if (goal_in_month(g, month) != (finished ? 2 : 1))
			continue;
		have = moved(g, month, &first, &last, &n);
		moves = month_movement(g, month, &start, &end);
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
			printf(", \"status\": ");
			perf_json_str(stdout, finished ? g->status : "active");
			printf(", \"closed\": ");
			perf_json_str(stdout, finished ? g->closed : NULL);
			printf(", \"start\": ");
			json_int(start, moves);
			printf(", \"end\": ");
			json_int(end, moves);
			json_support(g);
			printf("}");
		} else {
			if (finished && !shown)
				printf("\n### Finished this month\n\n");
			printf("- %s (%s)", g->title, g->slug);
			if (finished)
				printf(", %s %.10s", g->status, g->closed);
			else if (g->due[0])
				printf(", due %s", g->due);
			if (moves && (n || start != end))
				printf(": %ld%% → %ld%% this month (%zu check-in%s)\n", start, end, n,
				       n == 1 ? "" : "s");
			else if (moves)
				printf(": no check-in this month, at %ld%%\n", end);
			else
				printf(": no progress recorded yet\n");
			text_support(g, month);
		}
		shown++;
	}
	if (finished && ctx->json)
		printf("]");
	return shown;
}

/* Support given in the month, to any of the person's goals. */
static void share_given(const struct perf_ctx *ctx, const struct perf_report_person *p, const char *month)
{
	size_t shown = 0;

	if (ctx->json)
		printf(", \"support_given\": [");
	for (size_t k = 0; k < p->ngoals; k++)
		for (size_t i = 0; i < p->goals[k].nsupport; i++) {
			const struct perf_report_support *su = &p->goals[k].support[i];
			if (!su->given[0] || strncmp(su->given, month, 7))
				continue;
			if (ctx->json) {
				printf("%s{\"goal\": ", shown ? ", " : "");
				perf_json_str(stdout, p->goals[k].slug);
				printf(", \"who\": ");
				perf_json_str(stdout, su->who);
				printf(", \"what\": ");
				perf_json_str(stdout, su->what);
				printf(", \"given\": \"%s\"}", su->given);
			} else {
				if (!shown)
					printf("\n### Support given this month\n\n");
				printf("- %s: %s (%s, %s)\n", su->who, su->what, p->goals[k].slug, su->given);
			}
			shown++;
		}
	if (ctx->json)
		printf("]");
}

/* The month in progress: goals due in the rest of it, and support promised not yet given. */
static void share_planned(const struct perf_ctx *ctx, const struct perf_report_person *p, const char *today,
                          const char *month)
{
	char from[11], until[11];
	size_t shown = 0;

	month_span(month, from, until);
	if (ctx->json)
		printf(", \"planned\": [");
	for (size_t k = 0; k < p->ngoals; k++) {
		const struct perf_report_goal *g = &p->goals[k];
		if (strcmp(g->status, "active"))
			continue;
		if (g->due[0] && strcmp(g->due, today) >= 0 && strcmp(g->due, until) <= 0) {
			if (ctx->json) {
				printf("%s{\"goal\": ", shown ? ", " : "");
				perf_json_str(stdout, g->slug);
				printf(", \"due\": \"%s\", \"who\": null, \"what\": null}", g->due);
			} else {
				if (!shown)
					printf("\n### Planned for the rest of the month\n\n");
				printf("- %s (%s) is due %s\n", g->title, g->slug, g->due);
			}
			shown++;
		}
		for (size_t i = 0; i < g->nsupport; i++) {
			const struct perf_report_support *su = &g->support[i];
			if (su->given[0])
				continue;
			if (ctx->json) {
				perf_json_fields(shown ? ", {" : "{", "goal", g->slug, "due", NULL, "who", su->who,
				                 "what", su->what, NULL);
				printf("}");
			} else {
				if (!shown)
					printf("\n### Planned for the rest of the month\n\n");
				printf("- %s: %s (support for %s, promised)\n", su->who, su->what, g->slug);
			}
			shown++;
		}
	}
	if (ctx->json)
		printf("]");
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
	struct share_args a = {0};
	const char *arg;
	char month[8], today[11], probe[11];
	bool current;
	int c;

	perf_error_clear(&err);
	perf_value_format_date(perf_value_now(), today);
	snprintf(month, sizeof(month), "%.7s", today);
	perf_opt_init(&st, ctx->cmd, argc, argv);
	perf_opt_bind(&st, &a);
	while ((c = perf_opt_next(&st, &arg)) != -1) {
		if (c == 'm') {
			snprintf(probe, sizeof(probe), "%.7s-01", arg);
			if (strlen(arg) != 7 || perf_report_days(probe) < 0)
				return perf_usage_error(ctx->cmd, "--month '%s' is not a month (YYYY-MM)", arg);
			snprintf(month, sizeof(month), "%s", arg);
		} else {
			return PERF_EXIT_USAGE;
		}
	}
	if (st.index < argc)
		return perf_usage_error(ctx->cmd, "unexpected argument '%s'", argv[st.index]);
	if (perf_report_people(ctx->repo, a.group, &people, &err))
		return perf_fail(&err);
	if (perf_report_team_load(ctx->repo, NULL, &team, &err)) {
		perf_strv_release(&people);
		return perf_fail(&err);
	}
	current = !strncmp(today, month, 7);
	if (ctx->json)
		printf("{\"month\": \"%s\", \"current\": %s, \"people\": [", month, current ? "true" : "false");
	else
		printf("# Goal sharing, %s\n", month);
	for (size_t i = 0; i < people.n; i++) {
		struct perf_report_person p;
		size_t shown;
		if (perf_report_team_person(team, people.v[i], PERF_REPORT_SUPPORT, &p, &err)) {
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
		shown = share_goals(ctx, &p, month, false, 0);
		if (ctx->json)
			printf("]");
		else if (!shown)
			printf("No active goals.\n");
		share_goals(ctx, &p, month, true, 0);
		share_given(ctx, &p, month);
		if (current)
			share_planned(ctx, &p, today, month);
		if (ctx->json)
			printf("}");
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
    .group = PERF_GROUP_REPORTS,
    .name = "share",
    .usage = "[--month YYYY-MM] [--group NAME]",
    .summary = "the agenda of the monthly goal-sharing session",
    .opts = share_opts,
    .flags = PERF_CMD_RECORD | PERF_CMD_REPO | PERF_CMD_READS,
    .run = run_share,
};
