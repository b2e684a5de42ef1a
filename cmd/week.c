/*
 * perf week [WEEK] [--team | --group G]: every check-in of a week, for a
 * lead's five minutes: the lead's reports (or a group, or everyone), each
 * check-in with its goals' movement and mood, followed by its replies and
 * the command that answers it, paged like git log -p.  People without a
 * check-in that week are listed as such.
 */
#include "perf.h"
#include "toolkit.h"

#include <stdio.h>
#include <string.h>

#include "config.h"
#include "render.h"
#include "store.h"
#include "team.h"
#include "value.h"

struct week_args {
	const char *group;
	bool team;
};

#define INTO(member) PERF_OPT_INTO(struct week_args, member)
static const struct perf_opt week_opts[] = {
    {.name = "team", .short_name = 't', .help = "everyone in the team, not only your reports", INTO(team)},
    {.name = "group", .short_name = 'g', .arg = "GROUP", .help = "the members of an accountability group", INTO(group)},
    {0},
};
#undef INTO

/* A check-in's week as JSON keys (mood, mood_trend, goals, goals_moved,
 * stuck, ask), after an object's first key: perf week and perf status --team. */
void perf_week_json(const struct perf_week_entry *e)
{
	printf(", \"mood\": ");
	perf_json_str(stdout, e->mood[0] ? e->mood : NULL);
	printf(", \"mood_trend\": [");
	for (size_t i = 0; i < e->nmoods; i++) {
		printf("%s", i ? ", " : "");
		perf_json_str(stdout, e->moods[i][0] ? e->moods[i] : NULL);
	}
	printf("], \"goals\": [");
	for (size_t i = 0; i < e->ngoals; i++) {
		printf("%s{\"goal\": ", i ? ", " : "");
		perf_json_str(stdout, e->goals[i].goal);
		printf(", \"from\": %ld, \"to\": %ld, \"moved\": %s}", e->goals[i].from, e->goals[i].to,
		       e->goals[i].from != e->goals[i].to ? "true" : "false");
	}
	printf("], \"goals_moved\": %zu, \"stuck\": ", e->moved);
	perf_json_str(stdout, e->stuck);
	printf(", \"ask\": ");
	perf_json_str(stdout, e->ask);
}

static void json_entry(const struct perf_week_entry *e, bool first)
{
	printf("%s{\"person\": ", first ? "" : ", ");
	perf_json_str(stdout, e->person);
	printf(", \"path\": ");
	perf_json_str(stdout, e->path);
	perf_week_json(e);
	printf(", \"body\": ");
	perf_json_str(stdout, e->body);
	printf(", \"answered\": %s, \"replies\": [", e->answered ? "true" : "false");
	for (size_t i = 0; i < e->nreplies; i++) {
		printf("%s{\"author\": ", i ? ", " : "");
		perf_json_str(stdout, e->replies[i].author);
		printf(", \"at\": ");
		perf_json_str(stdout, e->replies[i].at);
		printf(", \"path\": ");
		perf_json_str(stdout, e->replies[i].path);
		printf(", \"body\": ");
		perf_json_str(stdout, e->replies[i].body);
		printf("}");
	}
	printf("], \"hint\": \"perf reply checkin:%s/%s -m ...\"}", e->person, e->week);
}

/* Markdown for the terminal, indented; as it is when it cannot be rendered. */
static void render(struct perf_buf *out, const char *md, unsigned indent, bool color)
{
	struct perf_render_opts o = {.width = 0, .indent = indent, .color = color};
	size_t len = strlen(md);

	if (perf_render_markdown(out, md, len, &o, NULL))
		perf_render_plain(out, md, len, &o, NULL);
}

static void text_entry(struct perf_buf *b, const struct perf_week_entry *e, bool color)
{
	const char *y = color ? "\033[33m" : "", *off = color ? "\033[0m" : "";

	perf_buf_printf(b, "%scheckin %s/%s%s   %s\n", y, e->person, e->week, off, e->path);
	perf_buf_printf(b, "Mood:    %s", e->mood[0] ? e->mood : "-");
	if (e->nmoods > 1) {
		perf_buf_puts(b, " (trend");
		for (size_t i = 0; i < e->nmoods; i++)
			perf_buf_printf(b, " %s", e->moods[i][0] ? e->moods[i] : "-");
		perf_buf_puts(b, ")");
	}
	perf_buf_puts(b, "\n");
	for (size_t i = 0; i < e->ngoals; i++)
		perf_buf_printf(b, "%s %s %ld → %ld%s\n", i ? "        " : "Goals:  ", e->goals[i].goal,
		                e->goals[i].from, e->goals[i].to,
		                e->goals[i].from == e->goals[i].to ? " (no move)" : "");
	if (e->stuck)
		perf_buf_puts(b, "Stuck:   yes\n");
	if (e->ask)
		perf_buf_printf(b, "Ask:     %s\n", e->ask_to_lead ? "for you" : "for someone else");
	perf_buf_puts(b, "\n");
	render(b, e->body ? e->body : "", 4, color);
	for (size_t i = 0; i < e->nreplies; i++) {
		perf_buf_printf(b, "\n    %sreply %s · %s%s\n", y, e->replies[i].author, e->replies[i].at, off);
		render(b, e->replies[i].body, 8, color);
	}
	perf_buf_printf(b, "\n    %s: perf reply checkin:%s/%s -m \"...\"\n\n",
	                e->answered ? "answered; add to it" : "answer it", e->person, e->week);
}

/* Who the week is read for: my reports, a group's members, or everyone. */
static int scope(struct perf_ctx *ctx, const char *me, bool team, const char *group, struct perf_strv *out,
                 struct perf_error *err)
{
	struct perf_config *cfg = NULL;
	const struct perf_group *g;
	int rc;

	if (team)
		return perf_store_list(ctx->repo, NULL, "people", out, err);
	if (!group)
		return perf_team_reports(ctx->repo, me, out, err);
	if ((rc = perf_config_load(ctx->repo, NULL, &cfg, err)))
		return rc;
	g = perf_config_group(cfg, group);
	if (!g)
		rc = perf_error(err, PERF_ENOTFOUND,
		                "no group '%s' in .perf/config.yaml; see 'perf group' for the groups", group);
	for (size_t i = 0; g && i < g->members.n; i++)
		perf_strv_push(out, g->members.v[i]);
	perf_config_free(cfg);
	return rc;
}

static int run_week(struct perf_ctx *ctx, int argc, char **argv)
{
	struct perf_optstate st;
	struct perf_error err;
	struct perf_strv people = PERF_STRV_INIT, missing = PERF_STRV_INIT;
	struct perf_buf b = PERF_BUF_INIT;
	struct week_args a = {0};
	const char *me;
	bool first = true;
	char week[9];
	size_t shown = 0;
	int rc = PERF_EXIT_OK;

	perf_error_clear(&err);
	if ((rc = perf_opt_parse(&st, ctx, argc, argv, &a, NULL)) != 0)
		return rc;
	if (a.team && a.group)
		return perf_usage_error(ctx->cmd, "--team and --group choose different people; give one of them");
	if (argc - st.index > 1)
		return perf_usage_error(ctx->cmd, "unexpected argument '%s'", argv[st.index + 1]);
	if (st.index < argc) {
		int y, w;
		if (perf_value_parse_week(argv[st.index], &y, &w, &err))
			return perf_usage_error(ctx->cmd, "%s (a week is written like 2026-W49)", err.msg);
		snprintf(week, sizeof(week), "%.8s", argv[st.index]);
	} else
		perf_value_week_of(perf_value_now(), week);
	if (perf_repo_require_handle(ctx->repo, &me, &err) || scope(ctx, me, a.team, a.group, &people, &err)) {
		perf_strv_release(&people);
		return perf_fail(&err);
	}
	if (ctx->json)
		printf("{\"week\": \"%s\", \"checkins\": [", week);
	else if (!people.n && !a.team && !a.group)
		perf_buf_puts(&b,
		              "Nobody names you as their lead (people/<handle>.md 'lead:'); try 'perf week --team' or "
		              "'perf week --group GROUP'.\n");
	for (size_t i = 0; i < people.n; i++) {
		struct perf_week_entry e;
		if (perf_team_week_entry(ctx->repo, people.v[i], week, me, &e, &err)) {
			rc = perf_fail(&err);
			break;
		}
		if (!e.path[0])
			perf_strv_push(&missing, people.v[i]);
		else if (ctx->json) {
			json_entry(&e, first);
			first = false;
		} else {
			text_entry(&b, &e, ctx->color);
			shown++;
		}
		perf_week_entry_release(&e);
	}
	if (ctx->json) {
		printf("], \"missing\": [");
		for (size_t i = 0; i < missing.n; i++) {
			printf("%s", i ? ", " : "");
			perf_json_str(stdout, missing.v[i]);
		}
		printf("]}\n");
	} else if (people.n) {
		if (!shown)
			perf_buf_printf(&b, "No check-ins for %s.\n", week);
		for (size_t i = 0; i < missing.n; i++)
			perf_buf_printf(&b, "no check-in  %s/%s   %s\n", missing.v[i], week,
			                strcmp(missing.v[i], me) ? "(ask them how the week went)"
			                                         : "(write it: perf checkin)");
		perf_pager_start(ctx);
		fwrite(perf_buf_cstr(&b), 1, b.len, stdout);
	} else
		fwrite(perf_buf_cstr(&b), 1, b.len, stdout);
	perf_buf_release(&b);
	perf_strv_release(&people);
	perf_strv_release(&missing);
	return rc;
}

const struct perf_cmd perf_cmd_week = {
    .group = PERF_GROUP_WEEK,
    .name = "week",
    .usage = "[WEEK] [--team | --group GROUP]",
    .summary = "every check-in of a week with its replies, for a lead's review",
    .opts = week_opts,
    .flags = PERF_CMD_RECORD | PERF_CMD_REPO | PERF_CMD_READS,
    .run = run_week,
};
