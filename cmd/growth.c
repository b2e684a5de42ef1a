/*
 * perf growth [HANDLE] [--since DATE]: a person's record laid against
 * their agreed expectations, on one screen.  For each strength and area
 * for development: the goals that serve it, the learnings, feedback
 * answers and praise linked to it, the items whose words speak of it
 * (suggestions, never links), and what has no evidence yet.
 */
#include "perf.h"
#include "toolkit.h"

#include <string.h>

#include "growth.h"
#include "report.h"
#include "value.h"

enum { OPT_UNTIL = PERF_OPT_FIRST_ID };

static const struct perf_opt growth_opts[] = {
    {.name = "since", .short_name = 's', .arg = "DATE", .help = "the first day (default: six months ago)"},
    {.name = "until", .arg = "DATE", .help = "the last day (default: today)", .id = OPT_UNTIL},
    {0},
};

/* Parses --since and --until; shared in spirit with perf packet. */
static int span_opt(const struct perf_cmd *cmd, const char *name, const char *arg)
{
	if (strlen(arg) != 10 || perf_report_days(arg) < 0)
		return perf_usage_error(cmd, "--%s '%s' is not a date (YYYY-MM-DD)", name, arg);
	return 0;
}

/* The first line of text, at most width columns, safe for a terminal. */
static void put_line(const char *text, size_t width)
{
	size_t n = text ? strcspn(text, "\n") : 0;
	char buf[512];

	if (n > width) {
		n = width - 3;
		while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80)
			n--;
		snprintf(buf, sizeof(buf), "%.*s...", (int)n, text);
	} else {
		snprintf(buf, sizeof(buf), "%.*s", (int)n, text ? text : "");
	}
	perf_put_safe(stdout, buf);
}

static void print_item(const struct perf_growth *g, const struct perf_growth_item *it, bool suggested)
{
	printf("  %s%-8s %s ", suggested ? "? " : "", perf_growth_what_name(it->what), it->date);
	switch (it->what) {
	case PERF_GROWTH_GOAL:
		perf_put_safe(stdout, it->slug);
		fputs(" \"", stdout);
		put_line(it->title, 50);
		printf("\" %s", it->status);
		if (it->start >= 0 || it->end >= 0) {
			if (it->start >= 0 && it->start != it->end)
				printf(", %ld%% -> %ld%%", it->start, it->end);
			else
				printf(", %ld%%", it->end);
		}
		break;
	case PERF_GROWTH_LEARNING:
		printf("%s", it->title);
		if (it->via[0]) {
			fputs(" (goal ", stdout);
			perf_put_safe(stdout, it->via);
			fputs(")", stdout);
		}
		fputs(": ", stdout);
		put_line(it->text, 60);
		break;
	case PERF_GROWTH_ANSWER:
	case PERF_GROWTH_PRAISE:
		perf_put_safe(stdout, it->who);
		if (it->title) {
			fputs(it->what == PERF_GROWTH_ANSWER ? " on \"" : " (", stdout);
			put_line(it->title, 30);
			fputs(it->what == PERF_GROWTH_ANSWER ? "\"" : ")", stdout);
		}
		fputs(": ", stdout);
		put_line(it->text, 50);
		break;
	}
	if (it->distrusted)
		fputs(" [NOT VERIFIED: a commit the team's rules refuse wrote it]", stdout);
	if (suggested) {
		fputs(" [speaks of ", stdout);
		perf_put_safe(stdout, g->areas.v[it->suggest].key);
		fputs("?]", stdout);
	}
	putchar('\n');
}

static bool shown(const struct perf_growth_item *it)
{
	return it->what != PERF_GROWTH_LEARNING || it->text;
}

static void print_text(const struct perf_growth *g)
{
	size_t unlinked = 0, suggested = 0;

	printf("Growth of %s, %s to %s\n", g->handle, g->span.since, g->span.until);
	if (!g->has_expectations) {
		printf("\n%s has no expectations yet: write them together with 'perf expect %s'.\n", g->handle,
		       g->handle);
		return;
	}
	if (g->agreed_who.n) {
		fputs("Expectations agreed by ", stdout);
		for (size_t i = 0; i < g->agreed_who.n; i++) {
			fputs(i ? ", " : "", stdout);
			perf_put_safe(stdout, g->agreed_who.v[i]);
			printf(" (%.10s)", g->agreed_at.v[i]);
		}
		putchar('\n');
	} else {
		printf("Expectations not agreed yet in their current version ('perf agree expect:%s')\n", g->handle);
	}
	if (!g->areas.n)
		printf("\nThe expectations name no strength or area for development yet: list them under "
		       "'## Strengths' and '## Areas for development'.\n");
	for (size_t a = 0; a < g->areas.n; a++) {
		const struct perf_area *ar = &g->areas.v[a];
		size_t n = 0;
		printf("\n%s: ", ar->development ? "Area for development" : "Strength");
		perf_put_safe(stdout, ar->name);
		fputs(" [", stdout);
		perf_put_safe(stdout, ar->key);
		fputs("]\n", stdout);
		for (size_t i = 0; i < g->nitems; i++)
			if (g->items[i].area == (int)a && shown(&g->items[i])) {
				print_item(g, &g->items[i], false);
				n++;
			}
		if (!n)
			printf("  no evidence yet\n");
		else if (!perf_growth_voiced(g, (int)a))
			printf("  no feedback or praise speaks to it yet\n");
		for (size_t i = 0; i < g->nitems; i++)
			if (g->items[i].area < 0 && g->items[i].suggest == (int)a && shown(&g->items[i])) {
				print_item(g, &g->items[i], true);
				suggested++;
			}
	}
	for (size_t i = 0; i < g->nitems; i++)
		if (g->items[i].area < 0 && g->items[i].suggest < 0 && shown(&g->items[i])) {
			if (!unlinked++)
				printf("\nNot linked to any area\n");
			print_item(g, &g->items[i], false);
		}
	if (suggested)
		printf("\n? marks a suggestion: its words speak of the area, but nothing links it to it "
		       "('area:' in perf-format(5); --area on perf goal add, perf praise and perf ask).\n");
}

static void json_item(const struct perf_growth *g, const struct perf_growth_item *it, bool first)
{
	perf_json_fields(first ? "{" : ", {", "what", perf_growth_what_name(it->what), "path", it->path, "date",
	                 it->date, "who", it->who, "title", it->title, "text", it->text, "via",
	                 it->via[0] ? it->via : NULL, "suggested",
	                 it->area < 0 && it->suggest >= 0 ? g->areas.v[it->suggest].key : NULL, NULL);
	if (it->what == PERF_GROWTH_GOAL) {
		perf_json_fields(", ", "goal", it->slug, "status", it->status, NULL);
		printf(", \"start\": ");
		it->start >= 0 ? printf("%ld", it->start) : printf("null");
		printf(", \"end\": ");
		it->end >= 0 ? printf("%ld", it->end) : printf("null");
	}
	if (it->what == PERF_GROWTH_ANSWER) {
		perf_json_fields(", ", "request", it->request, NULL);
		printf(", \"private\": %s", it->private_ ? "true" : "false");
	}
	putchar('}');
}

static void print_json(const struct perf_growth *g)
{
	bool first;

	perf_json_fields("{", "person", g->handle, "since", g->span.since, "until", g->span.until, NULL);
	printf(", \"expectations\": %s", g->has_expectations ? "true" : "false");
	printf(", \"agreed_by\": [");
	for (size_t i = 0; i < g->agreed_who.n; i++)
		perf_json_fields(i ? ", {" : "{", "who", g->agreed_who.v[i], "at", g->agreed_at.v[i], NULL),
		    putchar('}');
	printf("], \"areas\": [");
	for (size_t a = 0; a < g->areas.n; a++) {
		const struct perf_area *ar = &g->areas.v[a];
		perf_json_fields(a ? ", {" : "{", "key", ar->key, "name", ar->name, "kind",
		                 ar->development ? "development" : "strength", NULL);
		printf(", \"voiced\": %s, \"evidence\": [", perf_growth_voiced(g, (int)a) ? "true" : "false");
		first = true;
		for (size_t i = 0; i < g->nitems; i++)
			if (g->items[i].area == (int)a && shown(&g->items[i])) {
				json_item(g, &g->items[i], first);
				first = false;
			}
		printf("], \"suggestions\": [");
		first = true;
		for (size_t i = 0; i < g->nitems; i++)
			if (g->items[i].area < 0 && g->items[i].suggest == (int)a && shown(&g->items[i])) {
				json_item(g, &g->items[i], first);
				first = false;
			}
		printf("]}");
	}
	printf("], \"unlinked\": [");
	first = true;
	for (size_t i = 0; i < g->nitems; i++)
		if (g->items[i].area < 0 && g->items[i].suggest < 0 && shown(&g->items[i])) {
			json_item(g, &g->items[i], first);
			first = false;
		}
	printf("]}\n");
}

static int run_growth(struct perf_ctx *ctx, int argc, char **argv)
{
	struct perf_optstate st;
	struct perf_error err;
	struct perf_growth g;
	struct perf_span sp;
	const char *arg, *since = NULL, *until = NULL, *who = NULL, *me = NULL;
	int c, rc;

	perf_error_clear(&err);
	perf_opt_init(&st, ctx->cmd, argc, argv);
	while ((c = perf_opt_next(&st, &arg)) != -1) {
		if (c == 's' && !(rc = span_opt(ctx->cmd, "since", arg)))
			since = arg;
		else if (c == OPT_UNTIL && !(rc = span_opt(ctx->cmd, "until", arg)))
			until = arg;
		else
			return c == 's' || c == OPT_UNTIL ? rc : PERF_EXIT_USAGE;
	}
	if ((rc = perf_operands(&st, 0, 1, NULL)))
		return rc;
	if (st.index < argc)
		who = argv[st.index];
	perf_growth_span(&sp, perf_value_now(), since, until);
	if (strcmp(sp.since, sp.until) > 0)
		return perf_usage_error(ctx->cmd, "--since %s is after the span's end, %s", sp.since, sp.until);
	if (perf_growth_whose(ctx->repo, who, &me, &who, &err))
		return perf_fail(&err);
	if (perf_growth_load(&g, ctx->repo, who, me, &sp, 0, &err)) {
		perf_growth_release(&g);
		return perf_fail(&err);
	}
	for (size_t i = 0; i < g.nitems; i++)
		g.items[i].distrusted = perf_strv_has(&ctx->distrusted, g.items[i].path);
	if (ctx->json) {
		print_json(&g);
	} else {
		perf_pager_start(ctx);
		print_text(&g);
	}
	perf_growth_release(&g);
	if (!ctx->json)
		perf_pager_finish();
	return fflush(stdout) ? PERF_EXIT_FAIL : PERF_EXIT_OK;
}

const struct perf_cmd perf_cmd_growth = {
    .group = PERF_GROUP_REPORTS,
    .name = "growth",
    .usage = "[HANDLE] [--since DATE] [--until DATE]",
    .summary = "your record laid against your agreed expectations, area by area",
    .opts = growth_opts,
    .flags = PERF_CMD_RECORD | PERF_CMD_REPO | PERF_CMD_READS,
    .run = run_growth,
};
