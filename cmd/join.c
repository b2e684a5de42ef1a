/*
 * perf join: add yourself to the team (people/<handle>.md).
 */
#include "perf.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "doc.h"
#include "store.h"
#include "config.h"
#include "sign.h"
#include "value.h"

struct join {
	const char *handle, *name, *email, *role, *lead;
	const char *key_file; /* --key */
	char *key;            /* one public key line, or NULL */
	char path[64];
	bool maintainer; /* the first to join becomes the program's maintainer */
};

#define INTO(member) PERF_OPT_INTO(struct join, member)
static const struct perf_opt join_opts[] = {
    {.name = "name", .short_name = 'n', .arg = "NAME", .help = "your name (default: git config user.name)", INTO(name)},
    {.name = "email",
     .short_name = 'e',
     .arg = "EMAIL",
     .help = "your email (default: git config user.email)",
     INTO(email)},
    {.name = "handle", .arg = "HANDLE", .help = "your handle (default: from your email)", INTO(handle)},
    {.name = "role", .short_name = 'r', .arg = "ROLE", .help = "your role in the team", INTO(role)},
    {.name = "lead", .short_name = 'l', .arg = "HANDLE", .help = "your lead's handle", INTO(lead)},
    {.name = "key", .arg = "FILE", .help = "your SSH public key (a .pub file), for signed commits", INTO(key_file)},
    {0},
};
#undef INTO

static int join_txn(struct perf_txn *txn, void *payload, struct perf_error *err)
{
	struct join *j = payload;
	struct perf_doc *doc = NULL;
	char lead_path[64];
	int rc;

	if (perf_txn_exists(txn, j->path))
		return perf_error(err, PERF_EEXISTS, "'%s' is already in the team (%s)", j->handle, j->path);
	if (j->lead) {
		if (!strcmp(j->lead, j->handle))
			return perf_error(err, PERF_EINVALID,
			                  "nobody is their own lead: give your lead's handle with --lead, or none");
		snprintf(lead_path, sizeof(lead_path), "people/%s.md", j->lead);
		if (!perf_txn_exists(txn, lead_path))
			return perf_error(err, PERF_ENOTFOUND,
			                  "lead '%s' is not in the team (no %s); they join first with 'perf join'",
			                  j->lead, lead_path);
	}
	if ((rc = perf_doc_new(&doc, j->path, err)))
		return rc;
	if ((rc = perf_doc_set_str(doc, "kind", "person", err)) || (rc = perf_doc_set_str(doc, "name", j->name, err)) ||
	    (rc = perf_doc_set_str(doc, "email", j->email, err)) ||
	    (j->role && (rc = perf_doc_set_str(doc, "role", j->role, err))) ||
	    (j->lead && (rc = perf_doc_set_str(doc, "lead", j->lead, err))))
		goto out;
	if (j->key) {
		struct perf_node *keys = perf_node_new_seq();
		if (!keys || perf_node_seq_add(keys, perf_node_new_str(j->key))) {
			perf_node_free(keys);
			rc = perf_error(err, PERF_ENOMEM, "out of memory");
			goto out;
		}
		if ((rc = perf_doc_set_node(doc, "keys", keys, err)))
			goto out;
	}
	if ((rc = perf_store_put(txn, perf_schema_kind("person"), doc, j->path, err)))
		goto out;
	/* The first to join a team without maintainers looks after its program. */
	{
		struct perf_config *cfg = NULL;
		if ((rc = perf_config_load(perf_txn_repo(txn), txn, &cfg, err)))
			goto out;
		if (!cfg->maintainers.n) {
			struct perf_node *seq = perf_node_new_seq();
			if (!seq || perf_node_seq_add(seq, perf_node_new_str(j->handle)))
				rc = perf_error(err, PERF_ENOMEM, "out of memory");
			else
				rc = perf_doc_set_node(cfg->doc, "maintainers", seq, err);
			seq = NULL;
			if (!rc)
				rc = perf_store_put(txn, perf_schema_kind("config"), cfg->doc, PERF_CONFIG_PATH, err);
			j->maintainer = !rc;
		}
		perf_config_free(cfg);
		if (rc)
			goto out;
	}
	if ((rc = perf_txn_subject(txn, err, "join: %s (%s)", j->handle, j->name)) ||
	    (rc = perf_txn_trailer(txn, "Perf-Kind", "person", err)) ||
	    (rc = perf_txn_trailer(txn, "Perf-Path", j->path, err)))
		goto out;
out:
	perf_doc_free(doc);
	return rc;
}

/* The one public key line in path (a .pub file), checked. */
static int read_key(const char *path, char **out, struct perf_error *err)
{
	struct perf_buf b = PERF_BUF_INIT;
	char chunk[4096];
	size_t n, start, end;
	FILE *f = fopen(path, "r");
	int rc = 0;

	*out = NULL;
	if (!f)
		return perf_error_sys(err, "cannot read key '%s'", path);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0 && b.len < 64 * 1024)
		if (perf_buf_add(&b, chunk, n)) {
			rc = perf_error(err, PERF_ENOMEM, "out of memory");
			goto out;
		}
	if (ferror(f)) {
		rc = perf_error_sys(err, "cannot read key '%s'", path);
		goto out;
	}
	start = 0;
	end = b.len;
	while (start < end && strchr(" \t\r\n", b.ptr[start]))
		start++;
	while (end > start && strchr(" \t\r\n", b.ptr[end - 1]))
		end--;
	if (start == end) {
		rc = perf_error(err, PERF_EINVALID, "key '%s' is empty", path);
		goto out;
	}
	b.ptr[end] = '\0';
	if (!strncmp(b.ptr + start, "-----BEGIN", 10)) {
		rc =
		    perf_error(err, PERF_EINVALID, "'%s' is a private key; give the public key ('%s.pub')", path, path);
		goto out;
	}
	if (strchr(b.ptr + start, '\n')) {
		rc = perf_error(err, PERF_EINVALID, "'%s' holds more than one line; give one public key", path);
		goto out;
	}
	if ((rc = perf_sign_check_key(b.ptr + start, err))) {
		perf_error_prefix(err, "%s", path);
		goto out;
	}
	if (!(*out = strdup(b.ptr + start)))
		rc = perf_error(err, PERF_ENOMEM, "out of memory");
out:
	fclose(f);
	perf_buf_release(&b);
	return rc;
}

static int run_join(struct perf_ctx *ctx, int argc, char **argv)
{
	struct perf_optstate st;
	struct perf_error err;
	const struct perf_identity *who;
	struct join j = {0};
	char handle[PERF_HANDLE_MAX + 1];
	int rc;

	perf_error_clear(&err);
	if ((rc = perf_opt_parse(&st, ctx, argc, argv, &j, NULL)) != 0)
		return rc;
	if (st.index < argc)
		return perf_usage_error(ctx->cmd, "unexpected argument '%s'", argv[st.index]);
	if (perf_repo_identity(ctx->repo, &who, &err))
		return perf_fail(&err);
	if (!j.name)
		j.name = who->name;
	if (!j.email)
		j.email = who->email;
	if (strchr(j.name, '\n') || !*j.name)
		return perf_usage_error(ctx->cmd, "the name must be one non-empty line");
	if (!strchr(j.email, '@') || strpbrk(j.email, " \t\n<>"))
		return perf_usage_error(ctx->cmd, "'%s' is not an email address", j.email);
	if (j.role && strchr(j.role, '\n'))
		return perf_usage_error(ctx->cmd, "the role must be one line");
	if (!j.handle) {
		const char *at = strchr(j.email, '@');
		char local[128];
		snprintf(local, sizeof(local), "%.*s", (int)(at - j.email), j.email);
		if (perf_value_slugify(local, handle, &err))
			return perf_usage_error(ctx->cmd, "cannot make a handle from '%s': give one with --handle",
			                        j.email);
		j.handle = handle;
	}
	if (perf_value_check_handle(j.handle, "handle", &err))
		return perf_usage_error(ctx->cmd, "%s", err.msg);
	if (j.lead && perf_value_check_handle(j.lead, "lead", &err))
		return perf_usage_error(ctx->cmd, "%s", err.msg);
	if (who->handle && !strcmp(j.email, who->email) && strcmp(who->handle, j.handle)) {
		fprintf(stderr, "perf: you are already in the team as '%s'\n", who->handle);
		return PERF_EXIT_FAIL;
	}
	snprintf(j.path, sizeof(j.path), "people/%s.md", j.handle);
	if (j.key_file && read_key(j.key_file, &j.key, &err))
		return perf_fail(&err);
	perf_note_repo(ctx);
	rc = perf_repo_write(ctx->repo, join_txn, &j, NULL, &err);
	free(j.key);
	if (rc)
		return perf_fail(&err);
	printf("joined as %s (%s)%s\n", j.handle, j.path,
	       j.maintainer ? "; you are the team's first maintainer (.perf/config.yaml)" : "");
	if (!j.maintainer)
		fprintf(stderr,
		        "hint: you write your own check-ins, goals and requests now; you count for the team's "
		        "agreements and write on others' documents once %s%s admits you ('perf admit %s')\n",
		        j.lead ? j.lead : "a maintainer", j.lead ? " (your lead) or a maintainer" : "", j.handle);
	return PERF_EXIT_OK;
}

const struct perf_cmd perf_cmd_join = {
    .group = PERF_GROUP_START,
    .name = "join",
    .usage = "[--name NAME] [--email EMAIL] [--handle HANDLE] [--role ROLE] [--lead HANDLE] [--key FILE]",
    .summary = "add yourself to the team",
    .opts = join_opts,
    .flags = PERF_CMD_REPO | PERF_CMD_WRITES,
    .run = run_join,
};
