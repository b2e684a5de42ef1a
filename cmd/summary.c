/*
 * perf summary: per person, what a span of time holds: goals and how they
 * moved, check-ins and the longest streak, moods, feedback asked and
 * answered, praise, actions, expectations.  For reviews and for scripts
 * (the JSON shape is documented in perf-summary(1) and kept stable).
 */
#include "perf.h"
#include "toolkit.h"

#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "value.h"

struct summary_args {
	const char *cycle, *since, *until, *person, *group;
};

#define INTO(member) PERF_OPT_INTO(struct summary_args, member)
static const struct perf_opt summary_opts[] = {
    {.name = "cycle", .short_name = 'c', .arg = "ID", .help = "the span of a cycle of inquiry", INTO(cycle)},
    {.name = "since", .short_name = 's', .arg = "DATE", .help = "first day of the span (YYYY-MM-DD)", INTO(since)},
    {.name = "until", .short_name = 'u', .arg = "DATE", .help = "last day of the span (YYYY-MM-DD)", INTO(until)},
    {.name = "person", .short_name = 'p', .arg = "HANDLE", .help = "only this person", INTO(person)},
    {.name = "group",
     .short_name = 'g',
     .arg = "NAME",
     .help = "only the members of this accountability group",
     INTO(group)},
    {.name = "format", .short_name = 'f', .arg = "FORMAT", .help = "md (default) or json"},
    {0},
};
#undef INTO

static void print_json(const struct perf_span *sp, const struct perf_report_sum *s)
{
	bool first = true;

	printf("{\"person\": ");
	perf_json_str(stdout, s->handle);
	printf(", \"goals\": [");
	for (size_t i = 0; i < s->ngoals; i++) {
		const struct perf_report_goal_sum *g = &s->goals[i];
		printf("%s{\"goal\": ", i ? ", " : "");
		perf_json_str(stdout, g->g->slug);
		printf(", \"title\": ");
		perf_json_str(stdout, g->g->title);
		printf(", \"status\": ");
		perf_json_str(stdout, g->g->status);
		printf(", \"start\": %ld, \"end\": %ld, \"closed\": ", g->start, g->end);
		perf_json_str(stdout, g->closed);
		/* Support promised, when there is any: who, what, given (a date or null). */
		if (g->g->nsupport) {
			printf(", \"support\": ");
			perf_report_support_json(stdout, g->g);
		}
		printf("}");
	}
	printf("], \"checkins\": {\"count\": %zu, \"streak\": %zu}, \"moods\": [", s->checkins, s->streak);
	for (size_t i = 0; i < s->p.ncheckins; i++) {
		const struct perf_report_checkin *c = &s->p.checkins[i];
		if (c->mood < 0 || !perf_report_week_in_span(sp, c->week))
			continue;
		printf("%s{\"week\": \"%s\", \"mood\": %ld}", first ? "" : ", ", c->week, c->mood);
		first = false;
	}
	printf("], \"feedback\": {\"asked\": %zu, \"answered\": %zu}, \"praise\": {\"count\": %zu, \"values\": [",
	       s->asked, s->answered, s->praise);
	first = true;
	for (size_t i = 0; i < s->r.npraise; i++) {
		if (!perf_report_in_span(sp, s->r.praise[i].at) || !s->r.praise[i].value)
			continue;
		printf("%s", first ? "" : ", ");
		perf_json_str(stdout, s->r.praise[i].value);
		first = false;
	}
	printf("]}, \"actions\": {\"opened\": %zu, \"closed\": %zu, \"overdue\": %zu}", s->opened, s->closed,
	       s->overdue);
	printf(", \"expectations\": {\"written\": %s, \"agreed\": %s}}", s->r.has_expectations ? "true" : "false",
	       s->r.expectations_agreed ? "true" : "false");
}

static void print_md(const struct perf_span *sp, const struct perf_report_sum *s)
{
	bool first = true;

	printf("\n## %s\n\n### Goals\n\n", s->handle);
	if (!s->ngoals)
		printf("No goals in this span.\n");
	for (size_t i = 0; i < s->ngoals; i++) {
		const struct perf_report_goal_sum *g = &s->goals[i];
		printf("- %s (%s): %ld%% → %ld%%%s%s\n", g->g->title, g->g->slug, g->start, g->end,
		       g->closed ? ", " : "", g->closed ? g->closed : "");
		for (size_t k = 0; k < g->g->nsupport; k++)
			printf("  - support from %s: %s (%s%s)\n", g->g->support[k].who, g->g->support[k].what,
			       g->g->support[k].given[0] ? "given " : "promised, not yet given",
			       g->g->support[k].given);
	}
	printf("\n### Rhythm\n\n- Check-ins: %zu (longest streak: %zu week%s)\n", s->checkins, s->streak,
	       s->streak == 1 ? "" : "s");
	printf("- Mood:");
	for (size_t i = 0; i < s->p.ncheckins; i++) {
		const struct perf_report_checkin *c = &s->p.checkins[i];
		if (c->mood < 0 || !perf_report_week_in_span(sp, c->week))
			continue;
		printf("%s %s %ld", first ? "" : ",", c->week, c->mood);
		first = false;
	}
	printf("%s\n", first ? " none recorded" : "");
	printf("- Feedback: %zu asked, %zu answer%s\n", s->asked, s->answered, s->answered == 1 ? "" : "s");
	printf("- Praise: %zu", s->praise);
	first = true;
	for (size_t i = 0; i < s->r.npraise; i++) {
		if (!perf_report_in_span(sp, s->r.praise[i].at) || !s->r.praise[i].value)
			continue;
		printf("%s%s", first ? " (" : ", ", s->r.praise[i].value);
		first = false;
	}
	printf("%s\n", first ? "" : ")");
	printf("- Actions: %zu opened, %zu closed, %zu overdue\n", s->opened, s->closed, s->overdue);
	printf("- Expectations: %s\n", !s->r.has_expectations     ? "not written"
	                               : s->r.expectations_agreed ? "agreed to the current version"
	                                                          : "not agreed to the current version");
}

/* The span: --cycle, --since/--until, else the current cycle, else the last 90 days. */
static int resolve_span(struct perf_ctx *ctx, const char *cycle, const char *since, const char *until, time_t now,
                        struct perf_span *sp, struct perf_error *err)
{
	char today[11], id[PERF_HANDLE_MAX + 1] = "";
	int rc;

	memset(sp, 0, sizeof(*sp));
	perf_value_format_date(now, today);
	if (cycle && (since || until))
		return perf_usage_error(ctx->cmd, "--cycle and --since/--until do not go together"), -PERF_EXIT_USAGE;
	if (since && perf_report_days(since) < 0)
		return perf_usage_error(ctx->cmd, "--since '%s' is not a date (YYYY-MM-DD)", since), -PERF_EXIT_USAGE;
	if (until && perf_report_days(until) < 0)
		return perf_usage_error(ctx->cmd, "--until '%s' is not a date (YYYY-MM-DD)", until), -PERF_EXIT_USAGE;
	if (!cycle && !since && !until) {
		if ((rc = perf_store_current_cycle(ctx->repo, NULL, today, id, err)))
			return rc;
		cycle = id[0] ? id : NULL;
	}
	if (cycle)
		return perf_report_cycle_span(ctx->repo, cycle, sp, err);
	if (until)
		snprintf(sp->until, sizeof(sp->until), "%s", until);
	else
		snprintf(sp->until, sizeof(sp->until), "%s", today);
	if (since) {
		snprintf(sp->since, sizeof(sp->since), "%s", since);
	} else {
		long d = perf_report_days(sp->until) - 90;
		perf_value_format_date((time_t)d * 86400L, sp->since);
	}
	if (strcmp(sp->since, sp->until) > 0)
		return perf_usage_error(ctx->cmd, "the span ends (%s) before it starts (%s)", sp->until, sp->since),
		       -PERF_EXIT_USAGE;
	return 0;
}

static int run_summary(struct perf_ctx *ctx, int argc, char **argv)
{
	struct perf_optstate st;
	struct perf_error err;
	struct perf_strv people = PERF_STRV_INIT;
	struct perf_report_team *team = NULL;
	struct perf_span sp;
	struct summary_args a = {0};
	const char *arg;
	bool json = ctx->json;
	time_t now = perf_value_now();
	char today[11];
	int c, rc;

	perf_error_clear(&err);
	perf_opt_init(&st, ctx->cmd, argc, argv);
	perf_opt_bind(&st, &a);
	while ((c = perf_opt_next(&st, &arg)) != -1) {
		switch (c) {
		case 'f':
			if (!strcmp(arg, "json"))
				json = true;
			else if (!strcmp(arg, "md"))
				json = false;
			else
				return perf_usage_error(ctx->cmd, "unknown format '%s' (md or json)", arg);
			break;
		default:
			return PERF_EXIT_USAGE;
		}
	}
	if (st.index < argc)
		return perf_usage_error(ctx->cmd, "unexpected argument '%s'", argv[st.index]);
	if (a.person && a.group)
		return perf_usage_error(ctx->cmd, "--person and --group do not go together");
	rc = resolve_span(ctx, a.cycle, a.since, a.until, now, &sp, &err);
	if (rc < 0)
		return -rc;
	if (rc)
		return perf_fail(&err);
	perf_value_format_date(now, today);
	if (a.person) {
		if (perf_store_require_person(ctx->repo, NULL, a.person, &err))
			return perf_fail(&err);
		perf_strv_push(&people, a.person);
	} else if (perf_report_people(ctx->repo, a.group, &people, &err)) {
		return perf_fail(&err);
	}
	if (perf_report_team_load(ctx->repo, a.person, &team, &err)) {
		perf_strv_release(&people);
		return perf_fail(&err);
	}
	if (json) {
		printf("{\"since\": \"%s\", \"until\": \"%s\", \"cycle\": ", sp.since, sp.until);
		perf_json_str(stdout, sp.cycle[0] ? sp.cycle : NULL);
		printf(", \"people\": [");
	} else {
		printf("# Summary %s to %s", sp.since, sp.until);
		if (sp.cycle[0])
			printf(" (cycle %s)", sp.cycle);
		printf("\n");
	}
	for (size_t i = 0; i < people.n; i++) {
		struct perf_report_sum s;
		if (perf_report_summarise(team, &sp, today, people.v[i], PERF_REPORT_SUPPORT, &s, &err)) {
			perf_report_sum_release(&s);
			perf_strv_release(&people);
			perf_report_team_free(team);
			if (json)
				printf("]}\n");
			return perf_fail(&err);
		}
		if (json) {
			printf("%s", i ? ", " : "");
			print_json(&sp, &s);
		} else {
			print_md(&sp, &s);
		}
		perf_report_sum_release(&s);
	}
	if (json)
		printf("]}\n");
	perf_strv_release(&people);
	perf_report_team_free(team);
	return fflush(stdout) ? PERF_EXIT_FAIL : PERF_EXIT_OK;
}

const struct perf_cmd perf_cmd_summary = {
    .group = PERF_GROUP_REPORTS,
    .name = "summary",
    .usage = "[--cycle ID | --since DATE [--until DATE]] [--person HANDLE | --group NAME] [--format md|json]",
    .summary = "per person, what a cycle or span holds: goals, check-ins, feedback, praise, actions",
    .opts = summary_opts,
    .flags = PERF_CMD_RECORD | PERF_CMD_REPO | PERF_CMD_READS,
    .run = run_summary,
};
