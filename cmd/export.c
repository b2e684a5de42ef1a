/*
 * perf export [--format jsonl|csv]: every document in HEAD as data, for
 * other systems: one JSON object per line, or CSV with one row each.
 */
#include "perf.h"
#include "toolkit.h"

#include <string.h>

#include "private.h"
#include "report.h"

static const struct perf_opt export_opts[] = {
    {.name = "format", .short_name = 'f', .arg = "FORMAT", .help = "jsonl (default) or csv"},
    {0},
};

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
	const char *arg, *format = "jsonl";
	int c, rc;

	perf_error_clear(&err);
	perf_opt_init(&st, ctx->cmd, argc, argv);
	while ((c = perf_opt_next(&st, &arg)) != -1) {
		if (c == 'f')
			format = arg;
		else
			return PERF_EXIT_USAGE;
	}
	if (st.index < argc)
		return perf_usage_error(ctx->cmd, "unexpected argument '%s'", argv[st.index]);
	if (!strcmp(format, "csv")) {
		fputs("path,kind,person,date,title_or_about,status,progress,mood,body_first_line\r\n", stdout);
		rc = perf_report_walk(ctx->repo, export_csv, perf_print_notice, NULL, &err);
	} else if (!strcmp(format, "jsonl") || !strcmp(format, "json")) {
		rc = perf_report_walk(ctx->repo, export_jsonl, perf_print_notice, NULL, &err);
	} else {
		return perf_usage_error(ctx->cmd, "unknown format '%s' (jsonl or csv)", format);
	}
	if (rc)
		return perf_fail(&err);
	return fflush(stdout) ? PERF_EXIT_FAIL : PERF_EXIT_OK;
}

const struct perf_cmd perf_cmd_export = {
    .group = PERF_GROUP_REPORTS,
    .name = "export",
    .usage = "[--format jsonl|csv]",
    .summary = "every document as data (JSON lines or CSV) for other systems",
    .opts = export_opts,
    .flags = PERF_CMD_RECORD | PERF_CMD_REPO,
    .run = run_export,
};
