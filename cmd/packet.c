/*
 * perf packet [HANDLE] --since DATE [--until DATE] [--format md|html]
 * [-o FILE]: one self-contained document of a person's record for a
 * review or a job move (lib/team/packet.h says what it holds).  Anyone
 * makes one for themselves, a lead for their people; private answers
 * appear only when the maker is among their readers.
 */
#include "perf.h"
#include "toolkit.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "growth.h"
#include "packet.h"
#include "report.h"
#include "store.h"
#include "value.h"

struct packet_args {
	const char *format, *file;
};

/* The option the parser returns: its date is checked when seen. */
enum { OPT_UNTIL = PERF_OPT_FIRST_ID };

#define INTO(member) PERF_OPT_INTO(struct packet_args, member)
static const struct perf_opt packet_opts[] = {
    {.name = "since", .short_name = 's', .arg = "DATE", .help = "the first day of the period (required)"},
    {.name = "until", .arg = "DATE", .help = "the last day (default: today)", .id = OPT_UNTIL},
    {.name = "format",
     .arg = "md|html",
     .help = "Markdown (default) or printable HTML (default for -o FILE.html)",
     INTO(format)},
    {.name = "output",
     .short_name = 'o',
     .arg = "FILE",
     .help = "write the packet to FILE instead of stdout",
     INTO(file)},
    {0},
};
#undef INTO

static void json_items(const struct perf_growth *g, enum perf_growth_what what)
{
	bool first = true;

	for (size_t i = 0; i < g->nitems; i++) {
		const struct perf_growth_item *it = &g->items[i];
		if (it->what != what || (what == PERF_GROWTH_LEARNING && !it->text && !it->nwork))
			continue;
		perf_json_fields(first ? "{" : ", {", "path", it->path, "date", it->date, "who", it->who, "commit",
		                 it->commit[0] ? it->commit : NULL, "area",
		                 it->area >= 0 ? g->areas.v[it->area].key : NULL, NULL);
		printf(", \"verified\": %s", it->distrusted ? "false" : "true");
		first = false;
		switch (what) {
		case PERF_GROWTH_GOAL:
			perf_json_fields(", ", "goal", it->slug, "title", it->title, "status", it->status, "due",
			                 it->due[0] ? it->due : NULL, NULL);
			printf(", \"start\": ");
			it->start >= 0 ? printf("%ld", it->start) : printf("null");
			printf(", \"end\": ");
			it->end >= 0 ? printf("%ld", it->end) : printf("null");
			printf(", \"support\": [");
			for (size_t k = 0; k < it->nsupport; k++) {
				perf_json_fields(k ? ", {" : "{", "who", it->support[k].who, "what",
				                 it->support[k].what, "given",
				                 it->support[k].given[0] ? it->support[k].given : NULL, NULL);
				putchar('}');
			}
			putchar(']');
			break;
		case PERF_GROWTH_LEARNING:
			perf_json_fields(", ", "week", it->title, "text", it->text, "via", it->via[0] ? it->via : NULL,
			                 NULL);
			printf(", \"work\": [");
			for (size_t k = 0; k < it->nwork; k++) {
				perf_json_fields(k ? ", {" : "{", "repo", it->work[k].repo, "commit",
				                 it->work[k].commit, "subject", it->work[k].subject, NULL);
				putchar('}');
			}
			putchar(']');
			break;
		case PERF_GROWTH_ANSWER:
			perf_json_fields(", ", "request", it->request, "about", it->title, "text", it->text, NULL);
			printf(", \"private\": %s", it->private_ ? "true" : "false");
			break;
		case PERF_GROWTH_PRAISE:
			perf_json_fields(", ", "value", it->title, "text", it->text, NULL);
			break;
		}
		putchar('}');
	}
}

static void print_json(const struct perf_growth *g, const char *made)
{
	perf_json_fields("{", "person", g->handle, "since", g->span.since, "until", g->span.until, "made_by", g->viewer,
	                 "made", made, NULL);
	printf(", \"expectations\": ");
	if (!g->has_expectations) {
		printf("null");
	} else {
		perf_json_fields("{", "lead", g->lead, "role", g->role, NULL);
		printf(", \"agreed_by\": [");
		for (size_t i = 0; i < g->agreed_who.n; i++) {
			perf_json_fields(i ? ", {" : "{", "who", g->agreed_who.v[i], "at", g->agreed_at.v[i], NULL);
			putchar('}');
		}
		printf("], \"areas\": [");
		for (size_t a = 0; a < g->areas.n; a++) {
			perf_json_fields(a ? ", {" : "{", "key", g->areas.v[a].key, "name", g->areas.v[a].name, "text",
			                 g->areas.v[a].text, "kind",
			                 g->areas.v[a].development ? "development" : "strength", NULL);
			printf(", \"voiced\": %s}", perf_growth_voiced(g, (int)a) ? "true" : "false");
		}
		printf("], \"history\": [");
		for (size_t i = 0; i < g->nhistory; i++) {
			perf_json_fields(i ? ", {" : "{", "date", g->history[i].date, "who", g->history[i].who, "words",
			                 g->history[i].words, "commit", g->history[i].commit, NULL);
			putchar('}');
		}
		printf("]}");
	}
	printf(", \"goals\": [");
	json_items(g, PERF_GROWTH_GOAL);
	printf("], \"learnings\": [");
	json_items(g, PERF_GROWTH_LEARNING);
	printf("], \"feedback\": [");
	json_items(g, PERF_GROWTH_ANSWER);
	printf("], \"praise\": [");
	json_items(g, PERF_GROWTH_PRAISE);
	printf("], \"unvoiced\": [");
	for (size_t a = 0, n = 0; a < g->areas.n; a++) {
		const char *ask[5];
		size_t nask;
		if (perf_growth_voiced(g, (int)a))
			continue;
		perf_json_fields(n++ ? ", {" : "{", "area", g->areas.v[a].key, NULL);
		printf(", \"ask\": [");
		nask = perf_packet_ask(g, (int)a, ask, 5);
		for (size_t k = 0; k < nask; k++) {
			fputs(k ? ", " : "", stdout);
			perf_json_str(stdout, ask[k]);
		}
		printf("], \"waiting\": [");
		for (size_t r = 0, m = 0; r < g->nrequests; r++)
			for (size_t k = 0; g->requests[r].area == (int)a && k < g->requests[r].waiting.n; k++) {
				perf_json_fields(m++ ? ", {" : "{", "who", g->requests[r].waiting.v[k], "request",
				                 g->requests[r].id, "asked", g->requests[r].created, NULL);
				putchar('}');
			}
		printf("]}");
	}
	printf("]}\n");
}

static int check_date(const struct perf_cmd *cmd, const char *name, const char *arg)
{
	if (strlen(arg) != 10 || perf_report_days(arg) < 0)
		return perf_usage_error(cmd, "--%s '%s' is not a date (YYYY-MM-DD)", name, arg);
	return 0;
}

/* Writes the packet whole, or nothing: a temporary file renamed into place. */
static int write_out(const char *file, const struct perf_buf *b, struct perf_error *err)
{
	struct perf_buf tmp = PERF_BUF_INIT;
	FILE *f;
	int rc = 0;

	if (perf_buf_printf(&tmp, "%s.tmp-perf", file))
		return perf_error(err, PERF_ENOMEM, "out of memory");
	if (!(f = fopen(tmp.ptr, "w"))) {
		rc = perf_error(err, PERF_EIO, "cannot write %s: %s", file, strerror(errno));
		goto out;
	}
	if (fwrite(b->ptr, 1, b->len, f) != b->len || fclose(f) || rename(tmp.ptr, file)) {
		rc = perf_error(err, PERF_EIO, "cannot write %s: %s", file, strerror(errno));
		remove(tmp.ptr);
	}
out:
	perf_buf_release(&tmp);
	return rc;
}

static int run_packet(struct perf_ctx *ctx, int argc, char **argv)
{
	struct perf_optstate st;
	struct perf_error err;
	struct perf_growth g;
	struct perf_span sp;
	struct perf_buf out = PERF_BUF_INIT;
	struct perf_doc *person = NULL;
	struct packet_args a = {0};
	const char *arg, *since = NULL, *until = NULL, *format, *file, *who = NULL, *me = NULL;
	enum perf_packet_format fmt = PERF_PACKET_MD;
	char made[11], ppath[PERF_SCHEMA_PATH_MAX + 1];
	int c, rc;

	perf_error_clear(&err);
	memset(&g, 0, sizeof(g));
	perf_opt_init(&st, ctx->cmd, argc, argv);
	perf_opt_bind(&st, &a);
	while ((c = perf_opt_next(&st, &arg)) != -1) {
		switch (c) {
		case 's':
			if ((rc = check_date(ctx->cmd, "since", arg)))
				return rc;
			since = arg;
			break;
		case OPT_UNTIL:
			if ((rc = check_date(ctx->cmd, "until", arg)))
				return rc;
			until = arg;
			break;
		default:
			return PERF_EXIT_USAGE;
		}
	}
	format = a.format;
	file = a.file;
	if ((rc = perf_operands(&st, 0, 1, NULL)))
		return rc;
	if (st.index < argc)
		who = argv[st.index];
	if (!since)
		return perf_usage_error(ctx->cmd, "say where the period starts with --since DATE (YYYY-MM-DD)");
	if (format && !strcmp(format, "html"))
		fmt = PERF_PACKET_HTML;
	else if (format && strcmp(format, "md"))
		return perf_usage_error(ctx->cmd, "--format must be md or html, not '%s'", format);
	else if (!format && file &&
	         ((strlen(file) > 5 && !strcmp(file + strlen(file) - 5, ".html")) ||
	          (strlen(file) > 4 && !strcmp(file + strlen(file) - 4, ".htm"))))
		fmt = PERF_PACKET_HTML;
	if (ctx->json && (format || file))
		return perf_usage_error(ctx->cmd, "--json writes JSON on stdout; it takes no --format or -o");
	perf_growth_span(&sp, perf_value_now(), since, until);
	if (strcmp(sp.since, sp.until) > 0)
		return perf_usage_error(ctx->cmd, "--since %s is after --until %s", sp.since, sp.until);
	if (perf_growth_whose(ctx->repo, who, &me, &who, &err))
		return perf_fail(&err);
	perf_value_format_date(perf_value_now(), made);
	if (perf_growth_load(&g, ctx->repo, who, me, &sp, PERF_GROWTH_HISTORY, &err))
		goto fail;
	for (size_t i = 0; i < g.nitems; i++)
		g.items[i].distrusted = perf_strv_has(&ctx->distrusted, g.items[i].path);
	if (ctx->json) {
		print_json(&g, made);
		goto done;
	}
	snprintf(ppath, sizeof(ppath), "people/%s.md", who);
	perf_store_load(ctx->repo, NULL, ppath, &person, NULL, NULL);
	if (perf_packet_render(&out, &g, fmt, person ? perf_doc_str(person, "name") : NULL, made, &err))
		goto fail;
	if (file) {
		if (write_out(file, &out, &err))
			goto fail;
		fprintf(stderr, "packet: %s, %s to %s, written to ", who, sp.since, sp.until);
		perf_put_safe(stderr, file);
		fputc('\n', stderr);
	} else {
		fwrite(out.ptr, 1, out.len, stdout);
	}
done:
	perf_doc_free(person);
	perf_buf_release(&out);
	perf_growth_release(&g);
	return fflush(stdout) ? PERF_EXIT_FAIL : PERF_EXIT_OK;
fail:
	perf_doc_free(person);
	perf_buf_release(&out);
	perf_growth_release(&g);
	return perf_fail(&err);
}

const struct perf_cmd perf_cmd_packet = {
    .group = PERF_GROUP_REPORTS,
    .name = "packet",
    .usage = "[HANDLE] --since DATE [--until DATE] [--format md|html] [-o FILE]",
    .summary = "one self-contained document of your record for a review: expectations, goals, learning, voices",
    .opts = packet_opts,
    .flags = PERF_CMD_RECORD | PERF_CMD_REPO | PERF_CMD_READS,
    .run = run_packet,
};
