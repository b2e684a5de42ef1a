/*
 * Private documents: bodies encrypted to their readers' public keys.
 *
 * Built on libsodium.  A private document's body is an armored block (see
 * perf-format(5), "Private documents"): a random content key encrypts the
 * Markdown with XChaCha20-Poly1305, bound as associated data to the
 * document's path and its `readers` list; the content key is sealed
 * (crypto_box_seal) to each reader's X25519 public key, which they publish
 * as `encryption_key` in people/<handle>.md.  The front matter stays
 * readable, so listings keep working.
 *
 * A person's secret key lives outside the repository, in
 * ${XDG_CONFIG_HOME:-~/.config}/perf/keys/<handle>.key (folder 0700, file
 * 0600).  Environment read here: XDG_CONFIG_HOME and HOME, for that path.
 *
 * Ownership: buffers are the caller's.  Secret keys are wiped with
 * perf_private_key_wipe (a struct perf_private_key holds no pointers).
 */
#ifndef PERF_PRIVATE_H
#define PERF_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "doc.h"
#include "error.h"
#include "repo.h"
#include "value.h"

#define PERF_PRIVATE_KEY_BYTES 32
/* "x25519:" and the base64 of 32 bytes, with its NUL. */
#define PERF_PRIVATE_PUBLIC_MAX 64
#define PERF_PRIVATE_BEGIN      "-----BEGIN PERF PRIVATE-----"
#define PERF_PRIVATE_END        "-----END PERF PRIVATE-----"
/* Most readers of one private document. */
#define PERF_PRIVATE_MAX_READERS 64

struct perf_private_key {
	unsigned char pk[PERF_PRIVATE_KEY_BYTES];
	unsigned char sk[PERF_PRIVATE_KEY_BYTES];
};

/* Starts libsodium; every function below calls it. */
int perf_private_init(struct perf_error *err);

/* A new key pair from the system's random source. */
int perf_private_keygen(struct perf_private_key *key, struct perf_error *err);
void perf_private_key_wipe(struct perf_private_key *key);

/* The key file of handle: ${XDG_CONFIG_HOME:-$HOME/.config}/perf/keys/<handle>.key. */
int perf_private_key_path(const char *handle, struct perf_buf *out, struct perf_error *err);
/* Reads a key file.  PERF_ENOTFOUND when it does not exist; PERF_EINVALID
 * when it is not a perf key or is readable by others than its owner. */
int perf_private_key_load(const char *path, struct perf_private_key *key, struct perf_error *err);
/*
 * Writes key to path: the folders are made 0700, the file is written 0600
 * under a temporary name beside it (its name into tmp_out) and moved into
 * place only by perf_private_key_commit, so a failed publication leaves an
 * existing key file as it was.  PERF_EEXISTS when path exists and !force.
 */
int perf_private_key_stage(const char *path, const struct perf_private_key *key, bool force, struct perf_buf *tmp_out,
                           struct perf_error *err);
int perf_private_key_commit(const char *tmp, const char *path, struct perf_error *err);

/* "x25519:<base64>", the form people/<handle>.md publishes. */
void perf_private_public_text(const unsigned char pk[PERF_PRIVATE_KEY_BYTES], char out[PERF_PRIVATE_PUBLIC_MAX]);
int perf_private_public_parse(const char *text, unsigned char pk[PERF_PRIVATE_KEY_BYTES], struct perf_error *err);

/* The document says `private: true`. */
bool perf_private_doc_is(const struct perf_doc *doc);
/* A body that is an armored private block (as a merge sees it). */
bool perf_private_body_is(const char *body, size_t len);
/* The `readers` of a private document, as "ari, lena" (empty when none). */
int perf_private_readers_text(const struct perf_doc *doc, struct perf_buf *out);
bool perf_private_is_reader(const struct perf_doc *doc, const char *handle);

/*
 * The published public keys of readers[0..n), read from people/<handle>.md
 * in txn (or HEAD when NULL).  A reader without one is PERF_ENOTFOUND naming
 * everyone who must run `perf keygen`.
 */
int perf_private_reader_keys(struct perf_repo *repo, struct perf_txn *txn, const char *const *readers, size_t n,
                             unsigned char (*pks)[PERF_PRIVATE_KEY_BYTES], struct perf_error *err);
/*
 * Keys are trusted on first use, as ssh trusts host keys: the first key
 * perf_private_reader_keys sees for a reader is remembered in
 * .git/perf/known-keys (local, never committed); a different key later is
 * PERF_ECONFLICT naming who, and nothing is sealed.  perf_private_trust_key
 * remembers key (its published text) for handle, after the person said it
 * is theirs (perf keygen --accept), or for one's own new key.
 */
int perf_private_trust_key(struct perf_repo *repo, const char *handle, const char *key, struct perf_error *err);

/*
 * Sets doc's `private: true` and `readers`, then its body to text sealed for
 * readers (whose keys are pks) by writer, with the writer's own key file:
 * each reader's copy of the content key is boxed (crypto_box) from the
 * writer's secret key to the reader's public key, so opening it proves who
 * sealed it (version 2 blocks; version 1 blocks, sealed anonymously, still
 * open).  The document's path (perf_doc_name) and the writer are bound to
 * the ciphertext, so set the path before.
 */
int perf_private_seal_doc(struct perf_doc *doc, const char *writer, const char *const *readers, size_t n,
                          const unsigned char (*pks)[PERF_PRIVATE_KEY_BYTES], const char *text, size_t len,
                          struct perf_error *err);

/*
 * Decrypts a private document's body into out for the reader `me`, with
 * their key file.  PERF_EPERM when me is not a reader ("PATH is private to
 * ari, lena; you are not among its readers"); PERF_ENOTFOUND when the key
 * file is missing (says where it looked and to run perf keygen);
 * PERF_EINVALID when the key does not open it (another key, or the
 * document was altered).
 */
int perf_private_open_doc(const struct perf_doc *doc, const char *me, struct perf_buf *out, struct perf_error *err);
/* Who sealed an opened body, as a version 2 block names them (sealed_by
 * false for version 1, which names nobody). */
struct perf_private_sealer {
	bool sealed_by;
	char handle[PERF_HANDLE_MAX + 1];
	char key[PERF_PRIVATE_PUBLIC_MAX];
};
/* As perf_private_open_doc, and says who sealed it (by may be NULL).  A
 * version 2 block that the named writer's key did not seal to me does not
 * open: PERF_EINVALID, "forged". */
int perf_private_open_doc_by(const struct perf_doc *doc, const char *me, struct perf_buf *out,
                             struct perf_private_sealer *by, struct perf_error *err);
/* Whether the sealer's key is theirs: what people/<handle>.md publishes at
 * HEAD, or the key this clone trusted for them.  PERF_EPERM says why not. */
int perf_private_check_sealer(struct perf_repo *repo, const struct perf_private_sealer *by, struct perf_error *err);
/* The writer a private body names (version 2), into from; "" for version
 * 1.  PERF_EINVALID when it is not a private block. */
int perf_private_body_from(const char *body, size_t len, char from[PERF_HANDLE_MAX + 1]);

/* Zeroes an opened text, then releases it. */
void perf_private_buf_wipe(struct perf_buf *b);

#endif
