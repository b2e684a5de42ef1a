/*
 * perf praise HANDLE -m TEXT [--value VALUE]: recognition, kept in the
 * record of the person praised, praise/<handle>/<stamp>-<from>.md, and
 * committed under the name of the person who gives it.  perf praise
 * [--list [HANDLE]] lists the praise a person received.
 */
#include "perf.h"
#include "toolkit.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "areas.h"
#include "body.h"
#include "buf.h"
#include "doc.h"
#include "render.h"
#include "schema.h"
#include "store.h"
#include "utf8.h"
#include "value.h"

struct praise {
	const char *me, *who, *value, *area;
	bool list;                          /* --list: list the praise instead */
	char area_key[PERF_HANDLE_MAX + 1]; /* the area's key in their expectations */
	const char *body;
	size_t body_len;
	char value_buf[256]; /* the value as the team spells it */
	char path[PERF_SCHEMA_PATH_MAX + 1];
	char at[21];
};

static const struct perf_opt praise_opts[] = {
    {.name = "message",
     .short_name = 'm',
     .arg = "TEXT",
     .help = "what they did and why it mattered (Markdown); several -m make paragraphs"},
    {.name = "value", .arg = "VALUE", .help = "the team value it shows", PERF_OPT_INTO(struct praise, value)},
    {.name = "area",
     .arg = "AREA",
     .help = "the strength or area for development of their expectations it speaks to (its key or name)",
     PERF_OPT_INTO(struct praise, area)},
    {.name = "list",
     .short_name = 'l',
     .help = "list the praise a person received (default: you)",
     PERF_OPT_INTO(struct praise, list)},
    {0},
};

#define CONFIG_PATH ".perf/config.yaml"

/*
 * When .perf/config.yaml lists the team's `values`, VALUE must be one of
 * them (in any case; the team's spelling is kept).  Without a list any
 * one-line value will do.
 */
static int check_value(struct perf_txn *txn, struct praise *p, struct perf_error *err)
{
	struct perf_doc *cfg = NULL;
	struct perf_buf names = PERF_BUF_INIT;
	const struct perf_node *values;
	int rc = 0;

	snprintf(p->value_buf, sizeof(p->value_buf), "%s", p->value);
	if (perf_store_load(perf_txn_repo(txn), txn, CONFIG_PATH, &cfg, NULL, NULL))
		return 0;
	values = perf_doc_get(cfg, "values");
	if (!values || values->type != PERF_NODE_SEQ || values->n == 0)
		goto out;
	for (size_t i = 0; i < values->n; i++) {
		const struct perf_node *v = values->values[i];
		if (v->type != PERF_NODE_SCALAR)
			continue;
		if (!strcasecmp(v->text, p->value)) {
			snprintf(p->value_buf, sizeof(p->value_buf), "%s", v->text);
			goto out;
		}
		perf_buf_printf(&names, "%s%s", names.len ? ", " : "", v->text);
	}
	rc = perf_error(err, PERF_EINVALID, "'%s' is not one of the team's values (%s): %s", p->value, CONFIG_PATH,
	                perf_buf_cstr(&names));
out:
	perf_buf_release(&names);
	perf_doc_free(cfg);
	return rc;
}

static int praise_txn(struct perf_txn *txn, void *payload, struct perf_error *err)
{
	struct praise *p = payload;
	struct perf_doc *doc = NULL;
	char stamp[17];
	time_t t = perf_value_now();
	int rc, tries;

	if ((rc = perf_store_require_person(perf_txn_repo(txn), txn, p->who, err)))
		return rc;
	if (p->value && (rc = check_value(txn, p, err)))
		return rc;
	/* Praising twice in a second moves the stamp on; `at` follows the path. */
	for (tries = 0; tries < 120; tries++, t++) {
		perf_store_stamp(t, stamp);
		snprintf(p->path, sizeof(p->path), "praise/%s/%s-%s.md", p->who, stamp, p->me);
		if (!perf_txn_exists(txn, p->path))
			break;
	}
	if (tries == 120)
		return perf_error(err, PERF_EEXISTS, "too much praise from %s to %s at once; try again", p->me, p->who);
	perf_value_format_time(t, p->at);
	if ((rc = perf_doc_new(&doc, p->path, err)) || (rc = perf_doc_set_str(doc, "kind", "praise", err)) ||
	    (rc = perf_doc_set_str(doc, "person", p->who, err)) || (rc = perf_doc_set_str(doc, "from", p->me, err)) ||
	    (p->value && (rc = perf_doc_set_str(doc, "value", p->value_buf, err))) ||
	    (rc = perf_doc_set_raw(doc, "at", p->at, err)) ||
	    (p->area_key[0] && (rc = perf_doc_set_str(doc, "area", p->area_key, err))) ||
	    (rc = perf_doc_set_body(doc, p->body, p->body_len, err)) ||
	    (rc = perf_store_put(txn, perf_schema_kind("praise"), doc, p->path, err)))
		goto out;
	if (p->value)
		rc = perf_txn_subject(txn, err, "praise: %s praised %s (%s)", p->me, p->who, p->value_buf);
	else
		rc = perf_txn_subject(txn, err, "praise: %s praised %s", p->me, p->who);
	if (rc || (rc = perf_txn_trailer(txn, "Perf-Kind", "praise", err)) ||
	    (rc = perf_txn_trailer(txn, "Perf-Path", p->path, err)) ||
	    (p->value && (rc = perf_txn_trailer(txn, "Perf-Value", p->value_buf, err))))
		goto out;
out:
	perf_doc_free(doc);
	return rc;
}

/* Praise received by who, newest first. */
static int praise_list(struct perf_ctx *ctx, const char *who, bool mine)
{
	struct perf_strv names = PERF_STRV_INIT;
	struct perf_error err;
	struct perf_buf line = PERF_BUF_INIT;
	char dir[PERF_HANDLE_MAX + 16];
	size_t shown = 0;
	int rc = PERF_EXIT_OK;

	snprintf(dir, sizeof(dir), "praise/%s", who);
	if (perf_store_list(ctx->repo, NULL, dir, &names, &err))
		return perf_fail(&err);
	if (ctx->json)
		fputs("[", stdout);
	/* Names start with the stamp, so the last is the newest. */
	for (size_t i = names.n; i-- > 0;) {
		char path[PERF_SCHEMA_PATH_MAX + 1];
		struct perf_doc *doc = NULL;
		const char *from, *value, *at, *body;
		size_t len;

		snprintf(path, sizeof(path), "%s/%s.md", dir, names.v[i]);
		if (perf_store_load(ctx->repo, NULL, path, &doc, NULL, &err)) {
			fprintf(stderr, "perf: warning: skipping %s: %s\n", path, err.msg);
			continue;
		}
		from = perf_doc_str(doc, "from");
		value = perf_doc_str(doc, "value");
		at = perf_doc_str(doc, "at");
		body = perf_doc_body(doc, &len);
		if (ctx->json) {
			perf_json_fields(shown ? ",\n {" : "\n {", "path", path, "person", who, "from", from, "value",
			                 value, "at", at, NULL);
			fputs(", \"text\": ", stdout);
			{
				struct perf_buf b = PERF_BUF_INIT;
				perf_buf_add(&b, body, len);
				perf_json_str(stdout, perf_buf_cstr(&b));
				perf_buf_release(&b);
			}
			fputs("}", stdout);
		} else {
			struct perf_buf first = PERF_BUF_INIT;
			size_t n;
			perf_first_line(body, len, &first);
			line.len = 0;
			perf_buf_printf(&line, "%.10s  from %-10s ", at ? at : "?", from ? from : "?");
			if (value) {
				perf_buf_puts(&line, "[");
				perf_render_safe(&line, value, strlen(value));
				perf_buf_puts(&line, "] ");
			}
			n = first.len;
			if (n > 70) {
				n = perf_utf8_cut(first.ptr, 70);
			}
			perf_render_safe(&line, perf_buf_cstr(&first), n);
			if (n < first.len)
				perf_buf_puts(&line, "...");
			printf("%s\n", perf_buf_cstr(&line));
			perf_buf_release(&first);
		}
		shown++;
		perf_doc_free(doc);
	}
	if (ctx->json)
		fputs(shown ? "\n]\n" : "]\n", stdout);
	else if (!shown && mine)
		fprintf(stderr, "you have no praise yet\n");
	else if (!shown)
		fprintf(stderr, "%s has no praise yet; give some with 'perf praise %s -m TEXT'\n", who, who);
	perf_buf_release(&line);
	perf_strv_release(&names);
	return rc;
}

/* The comment the editor starts with; it is removed from what is written. */
static int editor_info(const char *who, struct perf_buf *b)
{
	return perf_buf_printf(b,
	                       "<!-- Praise for %s: what did they do, and why did it matter?\n"
	                       "It is kept in %s's record and committed under your name.\n"
	                       "This comment is removed; praise with no words writes nothing. -->\n",
	                       who, who);
}

static int run_praise(struct perf_ctx *ctx, int argc, char **argv)
{
	struct perf_optstate st;
	struct perf_error err;
	struct perf_message msg = PERF_MESSAGE_INIT("the praise");
	struct perf_buf info = PERF_BUF_INIT;
	struct praise p = {0};
	int rc = PERF_EXIT_FAIL;

	perf_error_clear(&err);
	if ((rc = perf_opt_parse(&st, ctx, argc, argv, &p, &msg)) != 0 || (rc = perf_operands(&st, 0, 1, NULL)) != 0)
		goto out;
	rc = PERF_EXIT_FAIL;
	if (st.index == argc && !msg.have_m && !p.value)
		p.list = true;
	if (p.list) {
		if (msg.have_m || p.value || p.area) {
			rc = perf_usage_error(ctx->cmd, "--list takes no -m, --value or --area");
			goto out;
		}
		if (st.index < argc) {
			if (perf_store_require_person(ctx->repo, NULL, argv[st.index], &err))
				goto fail;
			p.who = argv[st.index];
		} else if (perf_repo_require_handle(ctx->repo, &p.who, &err)) {
			goto fail;
		}
		rc = praise_list(ctx, p.who, st.index == argc);
		goto out;
	}
	if (st.index == argc) {
		rc = perf_usage_error(ctx->cmd, "say whom to praise: HANDLE");
		goto out;
	}
	p.who = argv[st.index];
	if (p.value && (!*p.value || strchr(p.value, '\n') || strchr(p.value, '\r') || strlen(p.value) > 200)) {
		rc = perf_usage_error(ctx->cmd, "--value must be one non-empty line");
		goto out;
	}
	if (perf_repo_require_handle(ctx->repo, &p.me, &err) || perf_store_require_person(ctx->repo, NULL, p.who, &err))
		goto fail;
	if (!strcmp(p.who, p.me)) {
		fprintf(stderr, "perf: you cannot praise yourself; ask for feedback with 'perf ask' instead\n");
		goto out;
	}
	/* Checked before the editor opens, so no text is written in vain. */
	if (p.area && perf_areas_key(ctx->repo, NULL, p.who, p.area, p.area_key, &err))
		goto fail;
	if (perf_message_from_editor(&msg) && editor_info(p.who, &info))
		goto nomem;
	if (perf_message_compose(ctx, &msg, info.ptr, info.ptr, &err))
		goto fail;
	if (!perf_message_has_words(&msg)) {
		fprintf(stderr, "perf: empty praise; nothing written\n");
		goto out;
	}
	p.body = msg.text.ptr;
	p.body_len = msg.text.len;
	perf_note_repo(ctx);
	if (perf_repo_write(ctx->repo, praise_txn, &p, NULL, &err))
		goto fail;
	if (ctx->json) {
		perf_json_fields("{", "path", p.path, "person", p.who, "from", p.me, "value",
		                 p.value ? p.value_buf : NULL, "at", p.at, "area", p.area_key[0] ? p.area_key : NULL,
		                 NULL);
		fputs("}\n", stdout);
	} else {
		printf("praised %s%s%s (%s)\n", p.who, p.value ? " for " : "", p.value ? p.value_buf : "", p.path);
	}
	rc = PERF_EXIT_OK;
	goto out;

nomem:
	perf_error(&err, PERF_ENOMEM, "out of memory");
fail:
	rc = perf_fail(&err);
out:
	perf_message_release(&msg);
	perf_buf_release(&info);
	return rc;
}

const struct perf_cmd perf_cmd_praise = {
    .group = PERF_GROUP_FEEDBACK,
    .name = "praise",
    .usage = "HANDLE [-m TEXT] [--value VALUE] [--area AREA]\n"
             "   or: perf praise [--list [HANDLE]]",
    .summary = "recognise a colleague, in their record",
    .opts = praise_opts,
    .flags = PERF_CMD_REPO | PERF_CMD_WRITES | PERF_CMD_READS,
    .run = run_praise,
};
