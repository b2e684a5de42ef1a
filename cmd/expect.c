/*
 * perf expect [HANDLE]: write a person's professional expectations
 * (expectations/<handle>.md) with them or their lead.
 *
 * The editor gets the body only: the fields (kind, person, lead, role,
 * agreed_by) are kept by perf, so nobody can write someone else's agreement
 * into the file or hand the expectations to another lead by accident.  Any
 * change of words or fields makes earlier agreements stale, and they are
 * removed in the same commit.  Text written in the editor is saved under
 * .git/perf/saved/ whenever it cannot be committed, so it is never lost.
 */
#include "perf.h"
#include "toolkit.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "doc.h"
#include "store.h"
#include "value.h"

struct expect {
	const char *me, *person, *role;
	char lead[PERF_HANDLE_MAX + 1];
	char path[PERF_SCHEMA_PATH_MAX + 1];
	bool existed; /* the document existed when we read it */
	char *base;   /* its text then (NULL when new) */
	size_t base_len;
	const char *body; /* the new body */
	size_t body_len;
	/* Results. */
	bool unchanged;
	struct perf_strv cleared; /* who had agreed before this edit */
};

static const struct perf_opt expect_opts[] = {
    {.name = "message",
     .short_name = 'm',
     .arg = "TEXT",
     .help = "the expectations' text, instead of the editor (repeat for paragraphs)"},
    {.name = "file",
     .short_name = 'F',
     .arg = "FILE",
     .help = "take the text from FILE ('-' for standard input), instead of the editor"},
    {.name = "role",
     .arg = "ROLE",
     .help = "the role they are grounded in (default: the role in people/<handle>.md)",
     PERF_OPT_INTO(struct expect, role)},
    {0},
};

/* The first line of the note the editor shows above the text; perf removes the note. */
#define NOTE_START "<!-- perf:"
#define NOTE_END   "-->"

/* Only the person and their lead (people/<person>.md `lead`) may write their expectations. */
static int check_writer(struct perf_repo *repo, struct perf_txn *txn, const char *me, const char *person,
                        const char *verb, char lead[PERF_HANDLE_MAX + 1], struct perf_error *err)
{
	int rc;

	if ((rc = perf_store_require_person(repo, txn, person, err)) ||
	    (rc = perf_store_lead_of(repo, txn, person, lead, err)))
		return rc;
	if (!lead[0])
		return perf_error(err, PERF_EINVALID,
		                  "people/%s.md has no lead; add 'lead: HANDLE' there, since expectations are "
		                  "written by a person and their lead",
		                  person);
	if (strcmp(me, person) && strcmp(me, lead))
		return perf_error(err, PERF_EPERM, "only %s and their lead %s may %s %s's expectations", person, lead,
		                  verb, person);
	return 0;
}

/* The handles in the agreement list, each once, in order. */
static int agreed_handles(const struct perf_doc *doc, struct perf_strv *out, struct perf_error *err)
{
	const struct perf_node *list = perf_doc_get(doc, "agreed_by");

	if (!list || list->type != PERF_NODE_SEQ)
		return 0;
	for (size_t i = 0; i < list->n; i++) {
		const char *who = list->values[i]->type == PERF_NODE_MAP ? perf_node_str(list->values[i], "who") : NULL;
		if (who && !perf_strv_has(out, who) && perf_strv_push(out, who))
			return perf_error(err, PERF_ENOMEM, "out of memory");
	}
	return 0;
}

/* New expectations start from the role in people/<person>.md, when it names one. */
static int role_from_profile(struct perf_repo *repo, struct perf_txn *txn, const char *person, struct perf_doc *doc,
                             struct perf_error *err)
{
	char path[PERF_HANDLE_MAX + 16];
	struct perf_doc *profile = NULL;
	const char *role;
	int rc;

	snprintf(path, sizeof(path), "people/%s.md", person);
	if ((rc = perf_store_load(repo, txn, path, &profile, NULL, err)))
		return rc;
	role = perf_doc_str(profile, "role");
	if (role && *role && !strchr(role, '\n'))
		rc = perf_doc_set_str(doc, "role", role, err);
	perf_doc_free(profile);
	return rc;
}

static int expect_txn(struct perf_txn *txn, void *payload, struct perf_error *err)
{
	struct expect *x = payload;
	struct perf_repo *repo = perf_txn_repo(txn);
	const struct perf_schema_kind *kind = perf_schema_kind("expectations");
	struct perf_doc *doc = NULL;
	char lead[PERF_HANDLE_MAX + 1], before[PERF_SCHEMA_VERSION_LEN + 1] = "", after[PERF_SCHEMA_VERSION_LEN + 1];
	const char *cur_lead, *cur_role;
	size_t len;
	int rc;

	/* This may run again when HEAD moved; start from nothing each time. */
	x->unchanged = false;
	perf_strv_release(&x->cleared);
	if ((rc = check_writer(repo, txn, x->me, x->person, "edit", lead, err)))
		return rc;
	if (x->existed) {
		if ((rc = perf_store_load(repo, txn, x->path, &doc, NULL, err))) {
			if (rc == PERF_ENOTFOUND)
				rc = perf_error(err, PERF_ECONFLICT, "%s was removed while you were writing", x->path);
			goto out;
		}
		const char *text = perf_doc_text(doc, &len);
		if (len != x->base_len || memcmp(text, x->base, len)) {
			rc = perf_error(
			    err, PERF_ECONFLICT,
			    "%s was changed by someone else while you were writing; see 'git log -p -1 -- %s'", x->path,
			    x->path);
			goto out;
		}
		if ((rc = perf_schema_version(before, kind, doc, err)))
			goto out;
	} else {
		if (perf_txn_exists(txn, x->path)) {
			rc = perf_error(err, PERF_ECONFLICT, "%s was created by someone else while you were writing",
			                x->path);
			goto out;
		}
		if ((rc = perf_doc_new(&doc, x->path, err)) ||
		    (rc = perf_doc_set_str(doc, "kind", "expectations", err)) ||
		    (rc = perf_doc_set_str(doc, "person", x->person, err)))
			goto out;
	}
	/* The lead is whoever people/ names now: a new lead means new expectations to agree. */
	cur_lead = perf_doc_str(doc, "lead");
	if ((!cur_lead || strcmp(cur_lead, lead)) && (rc = perf_doc_set_str(doc, "lead", lead, err)))
		goto out;
	cur_role = perf_doc_str(doc, "role");
	if (x->role && (!cur_role || strcmp(cur_role, x->role)) && (rc = perf_doc_set_str(doc, "role", x->role, err)))
		goto out;
	if (!x->role && !x->existed && (rc = role_from_profile(repo, txn, x->person, doc, err)))
		goto out;
	const char *old_body = perf_doc_body(doc, &len);
	if ((len != x->body_len || memcmp(old_body, x->body, len)) &&
	    (rc = perf_doc_set_body(doc, x->body, x->body_len, err)))
		goto out;
	if ((rc = perf_schema_version(after, kind, doc, err)))
		goto out;
	if (x->existed && !strcmp(before, after)) {
		x->unchanged = true;
		goto out;
	}
	if (perf_doc_get(doc, "agreed_by")) {
		perf_strv_release(&x->cleared); /* the write may be tried again */
		if ((rc = agreed_handles(doc, &x->cleared, err)) || (rc = perf_doc_remove(doc, "agreed_by", err)))
			goto out;
	}
	if ((rc = perf_store_put(txn, kind, doc, x->path, err)))
		goto out;
	if (strcmp(x->me, x->person))
		rc = perf_txn_subject(txn, err, "expect: %s (by %s)", x->person, x->me);
	else
		rc = perf_txn_subject(txn, err, "expect: %s", x->person);
	if (rc || (rc = perf_txn_trailer(txn, "Perf-Kind", "expectations", err)) ||
	    (rc = perf_txn_trailer(txn, "Perf-Path", x->path, err)))
		goto out;
	/* Who had agreed to the version this edit replaces, for the record. */
	rc = perf_txn_trailer_list(txn, "Perf-Cleared", &x->cleared, err);
out:
	perf_doc_free(doc);
	return rc;
}

static int run_expect(struct perf_ctx *ctx, int argc, char **argv)
{
	struct perf_optstate st;
	struct perf_error err;
	struct perf_message msg = PERF_MESSAGE_INIT("the text");
	struct perf_buf shown = PERF_BUF_INIT;
	struct perf_doc *cur = NULL;
	struct expect x = {0};
	char *tpl = NULL;
	int rc = PERF_EXIT_FAIL;

	perf_error_clear(&err);
	if ((rc = perf_opt_parse(&st, ctx, argc, argv, &x, &msg)) != 0 || (rc = perf_operands(&st, 0, 1, NULL)) != 0)
		goto out;
	rc = PERF_EXIT_FAIL;
	if (x.role && (!*x.role || strchr(x.role, '\n'))) {
		rc = perf_usage_error(ctx->cmd, "the role must be one non-empty line");
		goto out;
	}
	if (st.index < argc && perf_value_check_handle(argv[st.index], "handle", &err)) {
		rc = perf_usage_error(ctx->cmd, "%s", err.msg);
		goto out;
	}
	if (perf_repo_require_handle(ctx->repo, &x.me, &err))
		goto fail;
	x.person = st.index < argc ? argv[st.index] : x.me;
	snprintf(x.path, sizeof(x.path), "expectations/%s.md", x.person);
	/* Refuse before anyone spends time writing; the transaction checks again. */
	if (check_writer(ctx->repo, NULL, x.me, x.person, "edit", x.lead, &err))
		goto fail;

	switch (perf_store_load(ctx->repo, NULL, x.path, &cur, NULL, &err)) {
	case 0: {
		const char *t = perf_doc_text(cur, &x.base_len);
		if (!(x.base = malloc(x.base_len + 1)))
			goto nomem;
		memcpy(x.base, t, x.base_len);
		x.base[x.base_len] = '\0';
		x.existed = true;
		break;
	}
	case PERF_ENOTFOUND:
		perf_error_clear(&err);
		break;
	default:
		goto fail;
	}

	if (!perf_message_from_editor(&msg)) {
		if (perf_message_get(ctx, &msg, NULL, ".md", &err))
			goto fail;
		if (!perf_message_has_words(&msg)) {
			rc = perf_usage_error(ctx->cmd, "the text is empty");
			goto out;
		}
	} else {
		const char *body;
		size_t blen;
		if (x.existed) {
			body = perf_doc_body(cur, &blen);
		} else {
			if (perf_store_template(ctx->repo, NULL, "expectations", &tpl, &err))
				goto fail;
			body = tpl;
			blen = strlen(tpl);
		}
		if (perf_buf_printf(&shown,
		                    NOTE_START
		                    " %s: the expectations of %s, written with their lead %s.\n"
		                    "     Write below this note (perf removes it). Fields are kept by perf\n"
		                    "     (change the role with --role). Any change means earlier agreements\n"
		                    "     no longer apply. Leave the file empty to cancel. " NOTE_END "\n",
		                    x.path, x.person, x.lead) ||
		    perf_buf_add(&shown, body, blen))
			goto nomem;
		if (perf_message_get(ctx, &msg, shown.ptr, ".md", &err))
			goto fail;
		perf_strip_lead(&msg.text, NOTE_START, NOTE_END);
		if (!perf_message_has_words(&msg) ||
		    (!x.existed && msg.text.len == blen && !memcmp(msg.text.ptr, body, blen))) {
			printf("no change; nothing committed\n");
			rc = PERF_EXIT_OK;
			goto out;
		}
	}
	if (msg.text.len && msg.text.ptr[msg.text.len - 1] != '\n' && perf_buf_putc(&msg.text, '\n'))
		goto nomem;
	x.body = perf_buf_cstr(&msg.text);
	x.body_len = msg.text.len;

	perf_note_repo(ctx);
	if (perf_repo_write(ctx->repo, expect_txn, &x, NULL, &err))
		goto fail;
	if (x.unchanged) {
		printf("no change; nothing committed\n");
	} else if (!x.existed) {
		printf("created %s; when you both agree, run 'perf agree expect:%s'\n", x.path, x.person);
	} else if (x.cleared.n) {
		printf("edited %s; earlier agreements (", x.path);
		for (size_t i = 0; i < x.cleared.n; i++)
			printf("%s%s", i ? ", " : "", x.cleared.v[i]);
		printf(") no longer apply\n");
	} else {
		printf("edited %s\n", x.path);
	}
	rc = PERF_EXIT_OK;
	goto out;

nomem:
	perf_error(&err, PERF_ENOMEM, "out of memory");
fail:
	rc = perf_message_fail(ctx->repo, &msg, &err, "expectations", x.person, "perf expect %s", x.person);
out:
	perf_doc_free(cur);
	perf_strv_release(&x.cleared);
	perf_message_release(&msg);
	perf_buf_release(&shown);
	free(x.base);
	free(tpl);
	return rc;
}

const struct perf_cmd perf_cmd_expect = {
    .group = PERF_GROUP_TEAM,
    .name = "expect",
    .usage = "[HANDLE] [-m TEXT | -F FILE] [--role ROLE]",
    .summary = "write professional expectations with a person or their lead",
    .opts = expect_opts,
    .flags = PERF_CMD_REPO | PERF_CMD_WRITES,
    .run = run_expect,
};
