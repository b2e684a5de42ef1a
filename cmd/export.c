/*
 * perf export [--format jsonl|csv] [--person H] [--since D] [--until D]:
 * every document in HEAD as data, for other systems: one JSON object per
 * line, or CSV with one row each.  --person keeps one person's record
 * (what they can take with them); --since/--until the documents written in
 * a span of days.
 */
#include "perf.h"
#include "toolkit.h"

#include <string.h>

#include "private.h"
#include "report.h"
#include "store.h"
#include "value.h"

struct export_args {
	const char *format, *person, *since, *until;
};

#define INTO(member) PERF_OPT_INTO(struct export_args, member)
static const struct perf_opt export_opts[] = {
    {.name = "format", .short_name = 'f', .arg = "FORMAT", .help = "jsonl (default) or csv", INTO(format)},
    {.name = "person", .short_name = 'p', .arg = "HANDLE", .help = "only HANDLE's record", INTO(person)},
    {.name = "since", .short_name = 's', .arg = "DATE", .help = "only documents written on DATE or after", INTO(since)},
    {.name = "until",
     .short_name = 'u',
     .arg = "DATE",
     .help = "only documents written on DATE or before",
     INTO(until)},
    {0},
};
#undef INTO

/* Which documents go out, and how each is written. */
struct export_filter {
	const char *person; /* NULL: everyone's */
	struct perf_span span;
	bool dated; /* --since or --until */
	perf_report_doc_fn write;
};

/*
 * A person's record: their own documents (profile, expectations, goals,
 * check-ins, notes about them, the feedback they asked for, praise to them)
 * and the replies on those.  The team's documents (config, cycles, norms,
 * retros) are nobody's.
 */
static bool in_record(const struct perf_schema_match *m, const char *person)
{
	if (m->parent[0])
		return !strcmp(m->parent_handle, person);
	return !strcmp(m->handle, person);
}

/* The day a document was written: its path's stamp, date or week, else its
 * created (or at) field; "" for a document without one (a profile). */
static void written_on(const struct perf_schema_match *m, const struct perf_doc *doc, char out[11])
{
	const char *t = m->time[0]                     ? m->time
	                : m->date[0]                   ? m->date
	                : m->week[0]                   ? NULL
	                : perf_doc_str(doc, "created") ? perf_doc_str(doc, "created")
	                                               : perf_doc_str(doc, "at");

	out[0] = '\0';
	if (!t && m->week[0])
		perf_report_week_day(m->week, out);
	else if (t && strlen(t) >= 10)
		snprintf(out, 11, "%.10s", t);
}

static int export_one(const char *path, const struct perf_schema_match *m, const struct perf_doc *doc, void *payload)
{
	const struct export_filter *f = payload;
	char day[11];

	if (f->person && !in_record(m, f->person))
		return 0;
	if (f->dated) {
		written_on(m, doc, day);
		/* Undated documents (a profile) are the standing record: kept. */
		if (day[0] && !perf_report_in_span(&f->span, day))
			return 0;
	}
	return f->write(path, m, doc, NULL);
}

static int export_jsonl(const char *path, const struct perf_schema_match *m, const struct perf_doc *doc, void *payload)
{
	const char *body;
	size_t len;

	(void)payload;
	body = perf_doc_body(doc, &len);
	printf("{\"path\": ");
	perf_json_str(stdout, path);
	printf(", \"kind\": ");
	perf_json_str(stdout, m->kind->name);
	printf(", \"fields\": ");
	perf_report_fields_json(stdout, m->kind, perf_doc_root(doc));
	/* A private body is ciphertext: left out, as nothing a reader of the export can use. */
	printf(", \"private\": %s, \"body\": ", perf_private_doc_is(doc) ? "true" : "false");
	if (perf_private_doc_is(doc))
		fputs("null", stdout);
	else
		perf_json_str(stdout, body);
	printf("}\n");
	return 0;
}

static const char *first_str(const struct perf_doc *doc, const char *const *keys)
{
	for (size_t i = 0; keys[i]; i++) {
		const char *s = perf_doc_str(doc, keys[i]);
		if (s && *s)
			return s;
	}
	return NULL;
}

static int export_csv(const char *path, const struct perf_schema_match *m, const struct perf_doc *doc, void *payload)
{
	static const char *const person_keys[] = {"person", "author", NULL};
	static const char *const date_keys[] = {"week", "date", "at", "created", "from", NULL};
	static const char *const title_keys[] = {"title", "about", "question", NULL};
	char line[512] = "";
	const char *body, *person;
	size_t len, n;

	(void)payload;
	body = perf_doc_body(doc, &len);
	while (*body == '\n' || *body == '\r' || *body == ' ' || *body == '\t')
		body++;
	n = strcspn(body, "\r\n");
	if (n >= sizeof(line))
		n = sizeof(line) - 1;
	memcpy(line, body, n);
	line[n] = '\0';
	if (perf_private_doc_is(doc))
		snprintf(line, sizeof(line), "(private)");
	person = first_str(doc, person_keys);
	if (!person && m->handle[0])
		person = m->handle;
	perf_report_csv_field(stdout, path);
	putchar(',');
	perf_report_csv_field(stdout, m->kind->name);
	putchar(',');
	perf_report_csv_field(stdout, person);
	putchar(',');
	perf_report_csv_field(stdout, first_str(doc, date_keys));
	putchar(',');
	perf_report_csv_field(stdout, first_str(doc, title_keys));
	putchar(',');
	perf_report_csv_field(stdout, perf_doc_str(doc, "status"));
	putchar(',');
	perf_report_csv_field(stdout, perf_doc_str(doc, "progress"));
	putchar(',');
	perf_report_csv_field(stdout, perf_doc_str(doc, "mood"));
	putchar(',');
	perf_report_csv_field(stdout, line);
	fputs("\r\n", stdout);
	return 0;
}

static int run_export(struct perf_ctx *ctx, int argc, char **argv)
{
	struct perf_optstate st;
	struct perf_error err;
	struct export_filter f = {0};
	struct export_args a = {.format = "jsonl"};
	const char *format, *since, *until;
	int rc;

	perf_error_clear(&err);
	if ((rc = perf_opt_parse(&st, ctx, argc, argv, &a, NULL)) != 0)
		return rc;
	format = a.format;
	f.person = a.person;
	since = a.since;
	until = a.until;
	if (st.index < argc)
		return perf_usage_error(ctx->cmd, "unexpected argument '%s'", argv[st.index]);
	if (since && perf_report_days(since) < 0)
		return perf_usage_error(ctx->cmd, "--since '%s' is not a date (YYYY-MM-DD)", since);
	if (until && perf_report_days(until) < 0)
		return perf_usage_error(ctx->cmd, "--until '%s' is not a date (YYYY-MM-DD)", until);
	if (since && until && strcmp(since, until) > 0)
		return perf_usage_error(ctx->cmd, "the span ends (%s) before it starts (%s)", until, since);
	if (f.person && perf_value_check_handle(f.person, "--person", &err))
		return perf_usage_error(ctx->cmd, "%s", err.msg);
	snprintf(f.span.since, sizeof(f.span.since), "%s", since ? since : "0000-01-01");
	snprintf(f.span.until, sizeof(f.span.until), "%s", until ? until : "9999-12-31");
	f.dated = since || until;
	if (!strcmp(format, "csv"))
		f.write = export_csv;
	else if (!strcmp(format, "jsonl") || !strcmp(format, "json"))
		f.write = export_jsonl;
	else
		return perf_usage_error(ctx->cmd, "unknown format '%s' (jsonl or csv)", format);
	if (f.person && perf_store_require_person(ctx->repo, NULL, f.person, &err))
		return perf_fail(&err);
	if (f.write == export_csv)
		fputs("path,kind,person,date,title_or_about,status,progress,mood,body_first_line\r\n", stdout);
	rc = perf_report_walk(ctx->repo, export_one, perf_print_notice, &f, &err);
	if (rc)
		return perf_fail(&err);
	return fflush(stdout) ? PERF_EXIT_FAIL : PERF_EXIT_OK;
}

const struct perf_cmd perf_cmd_export = {
    .group = PERF_GROUP_REPORTS,
    .name = "export",
    .usage = "[--format jsonl|csv] [--person HANDLE] [--since DATE] [--until DATE]",
    .summary = "every document as data (JSON lines or CSV) for other systems",
    .opts = export_opts,
    .flags = PERF_CMD_RECORD | PERF_CMD_REPO | PERF_CMD_DATA,
    .run = run_export,
};
