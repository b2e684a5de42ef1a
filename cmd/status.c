/*
 * perf status [--team]: what needs me now.  Exit 0 when nothing is due,
 * 1 when something is, so a shell prompt or a cron job can use it.
 */
#include "perf.h"
#include "toolkit.h"

#include <string.h>

#include "team.h"
#include "value.h"

static const struct perf_opt status_opts[] = {
    {.name = "team", .short_name = 't', .help = "for a lead: each report's state too"},
    {0},
};

static const char *kind_word(enum perf_due_kind k)
{
	switch (k) {
	case PERF_DUE_CHECKIN:
		return "checkin";
	case PERF_DUE_FEEDBACK:
		return "feedback";
	case PERF_DUE_ACTION:
		return "action";
	case PERF_DUE_AGREE:
		return "agree";
	case PERF_DUE_REPLY:
		return "reply";
	case PERF_DUE_ADMIT:
		return "admit";
	case PERF_DUE_SUPPORT:
		return "support";
	}
	return "?";
}

static void json_due(const char *who, const struct perf_due *d)
{
	printf("{\"person\": ");
	perf_json_str(stdout, who);
	printf(", \"latest_checkin\": ");
	perf_json_str(stdout, d->latest_week[0] ? d->latest_week : NULL);
	printf(", \"checked_in\": %s, \"open_actions\": %zu, \"overdue_actions\": %zu, \"due\": [",
	       d->checked_in ? "true" : "false", d->open_actions, d->overdue_actions);
	for (size_t i = 0; i < d->n; i++) {
		const struct perf_due_item *it = &d->v[i];
		printf("%s{\"kind\": \"%s\", \"text\": ", i ? ", " : "", kind_word(it->kind));
		perf_json_str(stdout, it->text);
		printf(", \"path\": ");
		perf_json_str(stdout, it->path[0] ? it->path : NULL);
		printf(", \"due\": ");
		perf_json_str(stdout, it->due[0] ? it->due : NULL);
		printf(", \"overdue\": %s, \"hint\": ", it->overdue ? "true" : "false");
		perf_json_str(stdout, it->hint);
		printf("}");
	}
	printf("]}");
}

static void print_due(const struct perf_due *d, const char *week, bool color)
{
	if (!d->n) {
		printf("Nothing due this week (%s)\n", week);
		return;
	}
	printf("Due this week (%s)\n", week);
	for (size_t i = 0; i < d->n; i++) {
		const struct perf_due_item *it = &d->v[i];
		char due[24] = "";
		if (it->due[0])
			snprintf(due, sizeof(due), ", due %s", it->due);
		printf("  %s%-9s%s %s%s%s   %s\n", color && it->overdue ? "\033[31m" : "", kind_word(it->kind),
		       color && it->overdue ? "\033[0m" : "", it->text, due, it->overdue ? " (overdue)" : "", it->hint);
	}
}

static int run_status(struct perf_ctx *ctx, int argc, char **argv)
{
	struct perf_optstate st;
	struct perf_error err;
	struct perf_due d;
	struct perf_strv reports = PERF_STRV_INIT;
	const char *arg, *me;
	bool team = false, anything;
	char week[9];
	time_t now = perf_value_now();
	int c;

	perf_error_clear(&err);
	perf_opt_init(&st, ctx->cmd, argc, argv);
	while ((c = perf_opt_next(&st, &arg)) != -1) {
		if (c == 't')
			team = true;
		else
			return PERF_EXIT_USAGE;
	}
	if (st.index < argc)
		return perf_usage_error(ctx->cmd, "unexpected argument '%s'", argv[st.index]);
	if (perf_repo_require_handle(ctx->repo, &me, &err))
		return perf_fail(&err);
	perf_value_week_of(now, week);
	if (perf_team_due(ctx->repo, me, now, true, &d, &err))
		return perf_fail(&err);
	anything = d.n > 0;
	if (team && perf_team_reports(ctx->repo, me, &reports, &err)) {
		perf_due_release(&d);
		return perf_fail(&err);
	}
	if (ctx->json) {
		printf("{\"week\": \"%s\", \"me\": ", week);
		json_due(me, &d);
		if (team) {
			printf(", \"team\": [");
			for (size_t i = 0; i < reports.n; i++) {
				struct perf_due r;
				if (perf_team_due(ctx->repo, reports.v[i], now, false, &r, &err) == 0) {
					printf("%s", i ? ", " : "");
					json_due(reports.v[i], &r);
					perf_due_release(&r);
				}
			}
			printf("]");
		}
		printf("}\n");
	} else {
		print_due(&d, week, ctx->color);
		if (team) {
			printf("\nYour reports\n");
			if (!reports.n)
				printf("  nobody names you as their lead (people/<handle>.md 'lead:')\n");
			for (size_t i = 0; i < reports.n; i++) {
				struct perf_due r;
				if (perf_team_due(ctx->repo, reports.v[i], now, false, &r, &err)) {
					fprintf(stderr, "perf: %s\n", err.msg);
					continue;
				}
				printf("  %-12s %-22s %zu open action%s%s", reports.v[i],
				       r.checked_in ? "checked in" : "no check-in yet", r.open_actions,
				       r.open_actions == 1 ? "" : "s", r.overdue_actions ? "" : "\n");
				if (r.overdue_actions)
					printf(", %zu overdue\n", r.overdue_actions);
				perf_due_release(&r);
			}
		}
	}
	perf_strv_release(&reports);
	perf_due_release(&d);
	return anything ? PERF_EXIT_FAIL : PERF_EXIT_OK;
}

const struct perf_cmd perf_cmd_status = {
    .name = "status",
    .usage = "[--team]",
    .summary = "what needs you now (exit 1 when something is due)",
    .opts = status_opts,
    .flags = PERF_CMD_RECORD | PERF_CMD_REPO | PERF_CMD_READS,
    .run = run_status,
};
