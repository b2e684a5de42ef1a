/*
 * perf keygen: make the key pair private documents are sealed to.
 *
 * The secret key goes to a file outside the repository (perf-keygen(1) says
 * where), readable by its owner only; the public key is published as
 * `encryption_key` in the person's own people/<handle>.md, in one commit
 * by them.  The key file is moved into place only once that commit is
 * made, so a failure leaves an earlier key file as it was.
 */
#include "perf.h"
#include "toolkit.h"

#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "doc.h"
#include "private.h"
#include "store.h"
#include "value.h"

struct keygen_args {
	const char *accept;
	bool force;
};

#define INTO(member) PERF_OPT_INTO(struct keygen_args, member)
static const struct perf_opt keygen_opts[] = {
    {.name = "force", .short_name = 'f', .help = "replace the key file you have with a new key pair", INTO(force)},
    {.name = "accept",
     .arg = "HANDLE",
     .help = "trust the encryption key HANDLE publishes now, after they said it is theirs",
     INTO(accept)},
    {0},
};
#undef INTO

struct keygen {
	const char *me;
	char path[PERF_HANDLE_MAX + 16];
	char public[PERF_PRIVATE_PUBLIC_MAX];
};

static int keygen_txn(struct perf_txn *txn, void *payload, struct perf_error *err)
{
	struct keygen *k = payload;
	struct perf_doc *doc = NULL;
	int rc;

	if ((rc = perf_store_load(perf_txn_repo(txn), txn, k->path, &doc, NULL, err)) ||
	    (rc = perf_doc_set_str(doc, "encryption_key", k->public, err)) ||
	    (rc = perf_store_put(txn, perf_schema_kind("person"), doc, k->path, err)) ||
	    (rc = perf_txn_subject(txn, err, "keygen: %s published an encryption key", k->me)) ||
	    (rc = perf_txn_trailer(txn, "Perf-Kind", "person", err)) ||
	    (rc = perf_txn_trailer(txn, "Perf-Path", k->path, err)))
		goto out;
out:
	perf_doc_free(doc);
	return rc;
}

/* perf keygen --accept HANDLE: the key HANDLE publishes at HEAD becomes the one trusted. */
static int run_accept(struct perf_ctx *ctx, const char *handle)
{
	struct perf_error err;
	struct perf_doc *doc = NULL;
	char path[PERF_HANDLE_MAX + 16];
	const char *key;
	unsigned char pk[PERF_PRIVATE_KEY_BYTES];
	int rc = PERF_EXIT_OK;

	perf_error_clear(&err);
	if (perf_value_check_handle(handle, "handle", &err))
		return perf_fail(&err);
	snprintf(path, sizeof(path), "people/%s.md", handle);
	if (perf_store_load(ctx->repo, NULL, path, &doc, NULL, &err)) {
		rc = perf_fail(&err);
		goto out;
	}
	if (!(key = perf_doc_str(doc, "encryption_key"))) {
		perf_error(&err, PERF_ENOTFOUND, "%s publishes no encryption key; they run 'perf keygen' first",
		           handle);
		rc = perf_fail(&err);
		goto out;
	}
	if (perf_private_public_parse(key, pk, &err) || perf_private_trust_key(ctx->repo, handle, key, &err)) {
		rc = perf_fail(&err);
		goto out;
	}
	printf("keygen: trusting %s's encryption key %s\n", handle, key);
out:
	perf_doc_free(doc);
	return rc;
}

static int run_keygen(struct perf_ctx *ctx, int argc, char **argv)
{
	struct perf_optstate st;
	struct perf_error err;
	struct perf_private_key key;
	struct perf_buf file = PERF_BUF_INIT, tmp = PERF_BUF_INIT;
	struct perf_doc *person = NULL;
	struct keygen k;
	struct keygen_args a = {0};
	const char *published;
	bool fresh;
	int rc;

	memset(&k, 0, sizeof(k));
	memset(&key, 0, sizeof(key));
	perf_error_clear(&err);
	if ((rc = perf_opt_parse(&st, ctx, argc, argv, &a, NULL)) != 0)
		return rc;
	rc = PERF_EXIT_FAIL;
	if (st.index < argc)
		return perf_usage_error(ctx->cmd, "unexpected argument '%s'", argv[st.index]);
	if (a.accept)
		return run_accept(ctx, a.accept);
	if (perf_repo_require_handle(ctx->repo, &k.me, &err))
		return perf_fail(&err);
	snprintf(k.path, sizeof(k.path), "people/%s.md", k.me);
	if (perf_store_load(ctx->repo, NULL, k.path, &person, NULL, &err) || perf_private_key_path(k.me, &file, &err))
		goto fail;
	published = perf_doc_str(person, "encryption_key");

	fresh = a.force || access(file.ptr, F_OK) != 0;
	if (fresh) {
		if (perf_private_keygen(&key, &err) || perf_private_key_stage(file.ptr, &key, a.force, &tmp, &err))
			goto fail;
	} else {
		/* A key file from before (another team, or a lost commit): publish it rather than replace it. */
		if (perf_private_key_load(file.ptr, &key, &err))
			goto fail;
	}
	perf_private_public_text(key.pk, k.public);
	if (!fresh && published && !strcmp(published, k.public)) {
		perf_error(&err, PERF_EEXISTS,
		           "you have a key already (%s), published in %s; 'perf keygen --force' replaces it (what was "
		           "sealed to the old key then needs the old file)",
		           file.ptr, k.path);
		goto fail;
	}
	perf_note_repo(ctx);
	if (perf_repo_write(ctx->repo, keygen_txn, &k, NULL, &err))
		goto fail;
	if (fresh && perf_private_key_commit(tmp.ptr, file.ptr, &err)) {
		tmp.len = 0;
		goto fail;
	}
	tmp.len = 0;
	/* Your own new key is yours: writing to yourself goes on without a question. */
	if (perf_private_trust_key(ctx->repo, k.me, k.public, &err))
		goto fail;
	if (fresh)
		printf("keygen: new key pair; secret key in %s (only you can read it), public key in %s\n", file.ptr,
		       k.path);
	else
		printf("keygen: published the public key of %s in %s\n", file.ptr, k.path);
	printf("%s\n", k.public);
	rc = PERF_EXIT_OK;
	goto out;
fail:
	rc = perf_fail(&err);
out:
	if (tmp.len)
		unlink(tmp.ptr);
	perf_private_key_wipe(&key);
	perf_doc_free(person);
	perf_buf_release(&file);
	perf_buf_release(&tmp);
	return rc;
}

const struct perf_cmd perf_cmd_keygen = {
    .group = PERF_GROUP_START,
    .name = "keygen",
    .usage = "[--force] | --accept HANDLE",
    .summary = "make your key pair for private notes and publish its public key",
    .opts = keygen_opts,
    .flags = PERF_CMD_REPO | PERF_CMD_WRITES,
    .run = run_keygen,
};
