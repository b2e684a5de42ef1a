/*
 * perf status [--team]: what needs me now, and for a lead what their people
 * wait for.  Exit 0 when nothing is due, 1 when something is, so a shell
 * prompt or a cron job can use it.
 */
#include "perf.h"
#include "toolkit.h"

#include <string.h>

#include "team.h"
#include "value.h"

struct status_args {
	bool team;
};

static const struct perf_opt status_opts[] = {
    {.name = "team",
     .short_name = 't',
     .help = "for a lead: each report's week too",
     PERF_OPT_INTO(struct status_args, team)},
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
	case PERF_DUE_ASK:
		return "ask";
	case PERF_DUE_STUCK:
		return "stuck";
	case PERF_DUE_ANSWER:
		return "answer";
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
	printf("]");
}

/* A report's week for their lead: the keys added to json_due's object. */
static void json_week(const struct perf_week_entry *e, size_t waiting)
{
	perf_week_json(e);
	printf(", \"unanswered\": %zu", waiting);
}

/* "3 4 4": the mood of the last check-ins, oldest first ("-" when one gave none). */
static void print_trend(const struct perf_week_entry *e)
{
	if (!e->nmoods)
		return;
	printf(" (trend");
	for (size_t i = 0; i < e->nmoods; i++)
		printf(" %s", e->moods[i][0] ? e->moods[i] : "-");
	printf(")");
}

/* One report's week, for their lead. */
static void print_report(const char *who, const struct perf_due *r, const struct perf_week_entry *e, size_t waiting)
{
	printf("  %-12s %-22s %zu open action%s", who, r->checked_in ? "checked in" : "no check-in yet",
	       r->open_actions, r->open_actions == 1 ? "" : "s");
	if (r->overdue_actions)
		printf(", %zu overdue", r->overdue_actions);
	printf("\n");
	if (e->mood[0] || e->nmoods) {
		printf("  %-12s mood %s", "", e->mood[0] ? e->mood : "-");
		print_trend(e);
		printf("\n");
	}
	if (e->path[0]) {
		printf("  %-12s %zu goal%s moved", "", e->moved, e->moved == 1 ? "" : "s");
		for (size_t i = 0; i < e->ngoals; i++)
			if (e->goals[i].from != e->goals[i].to)
				printf("%s %s %ld→%ld", i ? "," : ":", e->goals[i].goal, e->goals[i].from,
				       e->goals[i].to);
		printf("\n");
	}
	if (e->stuck)
		printf("  %-12s stuck: %s\n", "", e->stuck);
	if (e->ask)
		printf("  %-12s asks: %s\n", "", e->ask);
	if (waiting)
		printf("  %-12s %zu item%s wait for you\n", "", waiting, waiting == 1 ? "" : "s");
}

/* A report's week, and what of theirs waits for the lead. */
static int report_week(struct perf_ctx *ctx, const char *lead, const char *who, time_t now, const char *week,
                       struct perf_due *r, struct perf_week_entry *e, size_t *waiting, struct perf_error *err)
{
	struct perf_due inbox;
	int rc;

	memset(&inbox, 0, sizeof(inbox));
	if ((rc = perf_team_due(ctx->repo, who, now, false, r, err)))
		return rc;
	if ((rc = perf_team_week_entry(ctx->repo, who, week, lead, e, err)) ||
	    (rc = perf_team_inbox(ctx->repo, lead, who, now, &inbox, err))) {
		perf_due_release(r);
		return rc;
	}
	*waiting = inbox.n;
	perf_due_release(&inbox);
	return 0;
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

/* Exit codes: 0 nothing due, 1 something due, 2 usage, 3 perf failed. */
enum { PERF_EXIT_DUE = 1 };

/* perf failed (a repository it cannot read...): 3, never "something is due".
 * An ambiguous name stays a usage error. */
static int failed(const struct perf_error *err)
{
	int rc = perf_fail(err);
	return rc == PERF_EXIT_FAIL ? PERF_EXIT_ERROR : rc;
}

static int run_status(struct perf_ctx *ctx, int argc, char **argv)
{
	struct perf_optstate st;
	struct perf_error err;
	struct perf_due d;
	struct perf_strv reports = PERF_STRV_INIT;
	struct status_args a = {0};
	const char *me;
	bool anything, broken = false;
	char week[9];
	time_t now = perf_value_now();
	int rc;

	perf_error_clear(&err);
	if ((rc = perf_opt_parse(&st, ctx, argc, argv, &a, NULL)) != 0)
		return rc;
	if (st.index < argc)
		return perf_usage_error(ctx->cmd, "unexpected argument '%s'", argv[st.index]);
	if (perf_repo_require_handle(ctx->repo, &me, &err))
		return failed(&err);
	perf_value_week_of(now, week);
	if (perf_team_due(ctx->repo, me, now, true, &d, &err))
		return failed(&err);
	if (perf_team_inbox(ctx->repo, me, NULL, now, &d, &err)) {
		perf_due_release(&d);
		return failed(&err);
	}
	anything = d.n > 0;
	if (a.team && perf_team_reports(ctx->repo, me, &reports, &err)) {
		perf_due_release(&d);
		return failed(&err);
	}
	if (ctx->json) {
		printf("{\"week\": \"%s\", \"me\": ", week);
		json_due(me, &d);
		printf("}");
		if (a.team) {
			printf(", \"team\": [");
			for (size_t i = 0; i < reports.n; i++) {
				struct perf_due r;
				struct perf_week_entry e;
				size_t waiting;
				if (report_week(ctx, me, reports.v[i], now, week, &r, &e, &waiting, &err) == 0) {
					printf("%s", i ? ", " : "");
					json_due(reports.v[i], &r);
					json_week(&e, waiting);
					printf("}");
					perf_due_release(&r);
					perf_week_entry_release(&e);
				} else {
					fprintf(stderr, "perf: %s\n", err.msg);
					broken = true;
				}
			}
			printf("]");
		}
		printf("}\n");
	} else {
		print_due(&d, week, ctx->color);
		if (a.team) {
			printf("\nYour reports\n");
			if (!reports.n)
				printf("  nobody names you as their lead (people/<handle>.md 'lead:')\n");
			for (size_t i = 0; i < reports.n; i++) {
				struct perf_due r;
				struct perf_week_entry e;
				size_t waiting;
				if (report_week(ctx, me, reports.v[i], now, week, &r, &e, &waiting, &err)) {
					fprintf(stderr, "perf: %s\n", err.msg);
					broken = true;
					continue;
				}
				print_report(reports.v[i], &r, &e, waiting);
				perf_due_release(&r);
				perf_week_entry_release(&e);
			}
		}
	}
	perf_strv_release(&reports);
	perf_due_release(&d);
	return broken ? PERF_EXIT_ERROR : anything ? PERF_EXIT_DUE : PERF_EXIT_OK;
}

const struct perf_cmd perf_cmd_status = {
    .group = PERF_GROUP_WEEK,
    .name = "status",
    .usage = "[--team]",
    .summary = "what needs you now (exit 1 when something is due)",
    .opts = status_opts,
    .flags = PERF_CMD_RECORD | PERF_CMD_REPO | PERF_CMD_READS,
    .run = run_status,
    .fail_exit = PERF_EXIT_ERROR,
};
