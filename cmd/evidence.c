/*
 * perf evidence [HANDLE] [--since DATE]: everything on record for a span,
 * grouped for a review or a promotion case: goals with their progress
 * history, what was learned, feedback received, praise, actions kept.
 */
#include "perf.h"
#include "toolkit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "render.h"
#include "report.h"
#include "value.h"

static const struct perf_opt evidence_opts[] = {
    {.name = "since", .short_name = 's', .arg = "DATE", .help = "the first day (default: six months ago)"},
    {0},
};

/* Indents every line after the first by two spaces, for a list item. */
static void print_item_text(FILE *f, const char *text)
{
	for (const char *p = text; *p; p++) {
		fputc(*p, f);
		if (*p == '\n' && p[1])
			fputs("  ", f);
	}
	fputc('\n', f);
}

static bool goal_in_span(const struct perf_report_goal *g, const struct perf_span *sp)
{
	if (g->created[0] && strncmp(g->created, sp->until, 10) > 0)
		return false;
	return !(g->closed[0] && strncmp(g->closed, sp->since, 10) < 0);
}

static void print_json(const struct perf_span *sp, const struct perf_report_person *p,
                       const struct perf_report_record *r)
{
	bool first = true;

	printf("{\"person\": ");
	perf_json_str(stdout, p->handle);
	printf(", \"since\": \"%s\", \"until\": \"%s\", \"goals\": [", sp->since, sp->until);
	for (size_t i = 0; i < p->ngoals; i++) {
		const struct perf_report_goal *g = &p->goals[i];
		bool h = true;
		if (!goal_in_span(g, sp))
			continue;
		perf_json_fields(first ? "{" : ", {", "goal", g->slug, "title", g->title, "status", g->status, NULL);
		first = false;
		printf(", \"history\": [");
		for (size_t k = 0; k < g->nhist; k++) {
			if (!perf_report_in_span(sp, g->hist[k].date))
				continue;
			printf("%s{\"date\": \"%s\", \"week\": ", h ? "" : ", ", g->hist[k].date);
			perf_json_str(stdout, g->hist[k].week[0] ? g->hist[k].week : NULL);
			printf(", \"progress\": %ld}", g->hist[k].progress);
			h = false;
		}
		printf("]}");
	}
	printf("], \"learned\": [");
	first = true;
	for (size_t i = 0; i < p->ncheckins; i++) {
		const struct perf_report_checkin *c = &p->checkins[i];
		if (!c->learned || !perf_report_in_span(sp, c->date))
			continue;
		printf("%s{\"week\": \"%s\", \"text\": ", first ? "" : ", ", c->week);
		perf_json_str(stdout, c->learned);
		printf("}");
		first = false;
	}
	printf("], \"feedback\": [");
	first = true;
	for (size_t i = 0; i < r->nrequests; i++) {
		const struct perf_report_request *q = &r->requests[i];
		for (size_t k = 0; k < q->nanswers; k++) {
			if (!perf_report_in_span(sp, q->answers[k].at))
				continue;
			perf_json_fields(first ? "{" : ", {", "request", q->id, "about", q->about, "from",
			                 q->answers[k].author, "at", q->answers[k].at, "text", q->answers[k].text,
			                 NULL);
			printf("}");
			first = false;
		}
	}
	printf("], \"praise\": [");
	first = true;
	for (size_t i = 0; i < r->npraise; i++) {
		const struct perf_report_praise *pr = &r->praise[i];
		if (!perf_report_in_span(sp, pr->at))
			continue;
		perf_json_fields(first ? "{" : ", {", "from", pr->from, "at", pr->at, "value", pr->value, "text",
		                 pr->text, NULL);
		printf("}");
		first = false;
	}
	printf("], \"actions\": [");
	first = true;
	for (size_t i = 0; i < r->nactions; i++) {
		const struct perf_report_action *a = &r->actions[i];
		if (!a->done || !perf_report_in_span(sp, a->latest))
			continue;
		perf_json_fields(first ? "{" : ", {", "id", a->id, "text", a->text, "due", a->due[0] ? a->due : NULL,
		                 NULL);
		printf(", \"opened\": \"%s\"", a->opened);
		perf_json_fields(", ", "note", a->note, NULL);
		printf("}");
		first = false;
	}
	printf("]}\n");
}

static void print_md(FILE *f, const struct perf_span *sp, const struct perf_report_person *p,
                     const struct perf_report_record *r)
{
	size_t n = 0;

	fprintf(f, "# Evidence for %s, %s to %s\n\n## Goals\n\n", p->handle, sp->since, sp->until);
	for (size_t i = 0; i < p->ngoals; i++) {
		const struct perf_report_goal *g = &p->goals[i];
		bool h = true;
		if (!goal_in_span(g, sp))
			continue;
		n++;
		fprintf(f, "- %s (%s, %s)", g->title, g->slug, g->status);
		for (size_t k = 0; k < g->nhist; k++) {
			if (!perf_report_in_span(sp, g->hist[k].date))
				continue;
			fprintf(f, "%s%s %ld%%", h ? ": " : ", ",
			        g->hist[k].week[0] ? g->hist[k].week : g->hist[k].date, g->hist[k].progress);
			h = false;
		}
		fputc('\n', f);
	}
	if (!n)
		fprintf(f, "None in this span.\n");
	fprintf(f, "\n## What I learned\n");
	n = 0;
	for (size_t i = 0; i < p->ncheckins; i++) {
		const struct perf_report_checkin *c = &p->checkins[i];
		if (!c->learned || !perf_report_in_span(sp, c->date))
			continue;
		n++;
		fprintf(f, "\n### %s\n\n%s\n", c->week, c->learned);
	}
	if (!n)
		fprintf(f, "\nNothing written in this span.\n");
	fprintf(f, "\n## Feedback received\n\n");
	n = 0;
	for (size_t i = 0; i < r->nrequests; i++) {
		const struct perf_report_request *q = &r->requests[i];
		for (size_t k = 0; k < q->nanswers; k++) {
			if (!perf_report_in_span(sp, q->answers[k].at))
				continue;
			n++;
			fprintf(f, "- On \"%s\", from %s (%.10s): ", q->about, q->answers[k].author, q->answers[k].at);
			print_item_text(f, q->answers[k].text);
		}
	}
	if (!n)
		fprintf(f, "None in this span.\n");
	fprintf(f, "\n## Praise\n\n");
	n = 0;
	for (size_t i = 0; i < r->npraise; i++) {
		const struct perf_report_praise *pr = &r->praise[i];
		if (!perf_report_in_span(sp, pr->at))
			continue;
		n++;
		fprintf(f, "- From %s (%.10s%s%s): ", pr->from, pr->at, pr->value ? ", " : "",
		        pr->value ? pr->value : "");
		print_item_text(f, pr->text);
	}
	if (!n)
		fprintf(f, "None in this span.\n");
	fprintf(f, "\n## Actions kept\n\n");
	n = 0;
	for (size_t i = 0; i < r->nactions; i++) {
		const struct perf_report_action *a = &r->actions[i];
		if (!a->done || !perf_report_in_span(sp, a->latest))
			continue;
		n++;
		fprintf(f, "- %s", a->text);
		if (a->due[0])
			fprintf(f, " (due %s)", a->due);
		fputc('\n', f);
	}
	if (!n)
		fprintf(f, "None in this span.\n");
}

/*
 * On a terminal the Markdown is rendered as perf show renders a document
 * (the answers' and check-ins' own Markdown with it), through the pager;
 * elsewhere it is written as Markdown, for a file or another program.
 */
static int print_evidence(const struct perf_ctx *ctx, const struct perf_span *sp, const struct perf_report_person *p,
                          const struct perf_report_record *r)
{
	struct perf_render_opts o = {.width = perf_terminal_width(), .color = ctx->color};
	struct perf_buf out = PERF_BUF_INIT;
	struct perf_error err;
	char *md = NULL;
	size_t len = 0;
	FILE *f;
	int rc = 0;

	if (!isatty(STDOUT_FILENO)) {
		print_md(stdout, sp, p, r);
		return 0;
	}
	if (!(f = open_memstream(&md, &len)))
		return PERF_EXIT_FAIL;
	print_md(f, sp, p, r);
	if (fclose(f)) {
		free(md);
		return PERF_EXIT_FAIL;
	}
	perf_error_clear(&err);
	if (perf_render_markdown(&out, md, len, &o, &err)) {
		/* Too large to render safely: as written. */
		perf_buf_truncate(&out, 0);
		if (perf_render_plain(&out, md, len, &o, &err))
			rc = perf_fail(&err);
	}
	if (!rc) {
		perf_pager_start(ctx);
		fwrite(perf_buf_cstr(&out), 1, out.len, stdout);
	}
	perf_buf_release(&out);
	free(md);
	return rc;
}

static int run_evidence(struct perf_ctx *ctx, int argc, char **argv)
{
	struct perf_optstate st;
	struct perf_error err;
	struct perf_report_team *team = NULL;
	struct perf_report_person p = {0};
	struct perf_report_record r = {0};
	struct perf_span sp;
	const char *arg, *since = NULL, *who = NULL;
	time_t now = perf_value_now();
	int c, rc;

	perf_error_clear(&err);
	memset(&sp, 0, sizeof(sp));
	perf_opt_init(&st, ctx->cmd, argc, argv);
	while ((c = perf_opt_next(&st, &arg)) != -1) {
		if (c == 's') {
			if (perf_report_days(arg) < 0 || strlen(arg) != 10)
				return perf_usage_error(ctx->cmd, "--since '%s' is not a date (YYYY-MM-DD)", arg);
			since = arg;
		} else {
			return PERF_EXIT_USAGE;
		}
	}
	if (st.index < argc)
		who = argv[st.index++];
	if (st.index < argc)
		return perf_usage_error(ctx->cmd, "unexpected argument '%s'", argv[st.index]);
	if (!who && perf_repo_require_handle(ctx->repo, &who, &err))
		return perf_fail(&err);
	if (perf_store_require_person(ctx->repo, NULL, who, &err))
		return perf_fail(&err);
	perf_value_format_date(now, sp.until);
	if (since) {
		snprintf(sp.since, sizeof(sp.since), "%s", since);
	} else {
		/* The same day six months ago (the month's last day when it has fewer). */
		struct tm tm;
		gmtime_r(&now, &tm);
		tm.tm_mon -= 6;
		if (tm.tm_mon < 0) {
			tm.tm_mon += 12;
			tm.tm_year--;
		}
		for (;;) {
			char day[40];
			snprintf(day, sizeof(day), "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
			snprintf(sp.since, sizeof(sp.since), "%.10s", day);
			if (perf_report_days(sp.since) >= 0 || tm.tm_mday <= 28)
				break;
			tm.tm_mday--;
		}
	}
	if ((rc = perf_report_team_load(ctx->repo, who, &team, &err)) ||
	    (rc = perf_report_team_person(team, who, PERF_REPORT_BODIES, &p, &err)) ||
	    (rc = perf_report_team_record(team, who, PERF_REPORT_BODIES, &r, &err))) {
		perf_report_person_release(&p);
		perf_report_record_release(&r);
		perf_report_team_free(team);
		return perf_fail(&err);
	}
	perf_report_team_free(team);
	if (ctx->json)
		print_json(&sp, &p, &r);
	else
		rc = print_evidence(ctx, &sp, &p, &r);
	perf_report_person_release(&p);
	perf_report_record_release(&r);
	return fflush(stdout) || rc ? PERF_EXIT_FAIL : PERF_EXIT_OK;
}

const struct perf_cmd perf_cmd_evidence = {
    .group = PERF_GROUP_REPORTS,
    .name = "evidence",
    .usage = "[HANDLE] [--since DATE]",
    .summary = "everything on record for a span: goals, learning, feedback, praise, actions kept",
    .opts = evidence_opts,
    .flags = PERF_CMD_RECORD | PERF_CMD_REPO | PERF_CMD_READS,
    .run = run_evidence,
};
