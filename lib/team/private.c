/*
 * Private documents: libsodium sealed boxes around a content key, and
 * XChaCha20-Poly1305 around the body.  The format is perf-format(5),
 * "Private documents"; version 1 is:
 *
 *   -----BEGIN PERF PRIVATE-----
 *   version: 1
 *   reader: <handle> <base64 of crypto_box_seal(content key, reader's key)>
 *   ...
 *   nonce: <base64 of 24 bytes>
 *
 *   <base64 of the ciphertext, 64 characters a line>
 *   -----END PERF PRIVATE-----
 *
 * The associated data is "perf-private-1\n<path>\n<readers joined by ','>",
 * so a body moved to another file, or a readers list edited, fails to open.
 */
#include "private.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "value.h"

#define VERSION_LINE  "version: 1"
#define VERSION2_LINE "version: 2"
#define AD_PREFIX     "perf-private-1\n"
#define AD2_PREFIX    "perf-private-2\n"
/* Version 2: each reader's copy of the content key is boxed from the writer to them. */
#define BOXED_BYTES  (crypto_box_NONCEBYTES + crypto_secretbox_KEYBYTES + crypto_box_MACBYTES)
#define LINE_WIDTH   64
#define SEALED_BYTES (crypto_secretbox_KEYBYTES + crypto_box_SEALBYTES)
#define KEY_PREFIX   "perf-x25519-secret-key:"

int perf_private_init(struct perf_error *err)
{
	if (sodium_init() < 0)
		return perf_error(err, PERF_EIO, "cannot start libsodium (no random source?)");
	return 0;
}

int perf_private_keygen(struct perf_private_key *key, struct perf_error *err)
{
	int rc;

	if ((rc = perf_private_init(err)))
		return rc;
	if (crypto_box_keypair(key->pk, key->sk))
		return perf_error(err, PERF_EIO, "cannot make a key pair");
	return 0;
}

void perf_private_key_wipe(struct perf_private_key *key)
{
	if (key)
		sodium_memzero(key, sizeof(*key));
}

int perf_private_key_path(const char *handle, struct perf_buf *out, struct perf_error *err)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");

	out->len = 0;
	if (!perf_value_is_handle(handle))
		return perf_error(err, PERF_EINVALID, "'%s' is not a handle", handle);
	if (xdg && xdg[0] == '/') {
		if (perf_buf_printf(out, "%s/perf/keys/%s.key", xdg, handle))
			return perf_error(err, PERF_ENOMEM, "out of memory");
	} else if (home && home[0] == '/') {
		if (perf_buf_printf(out, "%s/.config/perf/keys/%s.key", home, handle))
			return perf_error(err, PERF_ENOMEM, "out of memory");
	} else {
		return perf_error(err, PERF_EINVALID,
		                  "cannot tell where keys live: neither XDG_CONFIG_HOME nor HOME is an absolute path");
	}
	return 0;
}

static int b64_encode(struct perf_buf *out, const unsigned char *bin, size_t len)
{
	size_t n = sodium_base64_encoded_len(len, sodium_base64_VARIANT_ORIGINAL);

	if (perf_buf_grow(out, n))
		return PERF_ENOMEM;
	sodium_bin2base64(out->ptr + out->len, n, bin, len, sodium_base64_VARIANT_ORIGINAL);
	out->len += n - 1;
	return 0;
}

/* Decodes exactly want bytes (want 0: any length up to cap) from text[0..len). */
static int b64_decode(unsigned char *bin, size_t cap, size_t *got, const char *text, size_t len, size_t want)
{
	size_t n = 0;
	const char *end = NULL;

	if (sodium_base642bin(bin, cap, text, len, "\n", &n, &end, sodium_base64_VARIANT_ORIGINAL) ||
	    end != text + len || (want && n != want))
		return -1;
	if (got)
		*got = n;
	return 0;
}

void perf_private_public_text(const unsigned char pk[PERF_PRIVATE_KEY_BYTES], char out[PERF_PRIVATE_PUBLIC_MAX])
{
	size_t p = strlen("x25519:");

	memcpy(out, "x25519:", p + 1);
	sodium_bin2base64(out + p, PERF_PRIVATE_PUBLIC_MAX - p, pk, PERF_PRIVATE_KEY_BYTES,
	                  sodium_base64_VARIANT_ORIGINAL);
}

int perf_private_public_parse(const char *text, unsigned char pk[PERF_PRIVATE_KEY_BYTES], struct perf_error *err)
{
	int rc;

	if ((rc = perf_private_init(err)))
		return rc;
	if (strncmp(text, "x25519:", 7) ||
	    b64_decode(pk, PERF_PRIVATE_KEY_BYTES, NULL, text + 7, strlen(text + 7), PERF_PRIVATE_KEY_BYTES))
		return perf_error(err, PERF_EINVALID, "'%s' is not an encryption key (x25519: and 32 bytes in base64)",
		                  text);
	return 0;
}

int perf_private_key_load(const char *path, struct perf_private_key *key, struct perf_error *err)
{
	char text[256];
	struct stat sb;
	ssize_t n;
	size_t len;
	int fd, rc;

	if ((rc = perf_private_init(err)))
		return rc;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return perf_error(err, PERF_ENOTFOUND, "no key file %s; make one with 'perf keygen'", path);
		return perf_error_sys(err, "cannot read key file %s", path);
	}
	if (fstat(fd, &sb) < 0) {
		close(fd);
		return perf_error_sys(err, "cannot read key file %s", path);
	}
	if (!S_ISREG(sb.st_mode) || (sb.st_mode & 077)) {
		close(fd);
		return perf_error(err, PERF_EINVALID, "key file %s must be a file only you can read (chmod 600 %s)",
		                  path, path);
	}
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (n < 0)
		return perf_error_sys(err, "cannot read key file %s", path);
	text[n] = '\0';
	len = (size_t)n;
	while (len && (text[len - 1] == '\n' || text[len - 1] == '\r'))
		text[--len] = '\0';
	rc = 0;
	if (strncmp(text, KEY_PREFIX, strlen(KEY_PREFIX)) ||
	    b64_decode(key->sk, sizeof(key->sk), NULL, text + strlen(KEY_PREFIX), len - strlen(KEY_PREFIX),
	               PERF_PRIVATE_KEY_BYTES) ||
	    crypto_scalarmult_base(key->pk, key->sk))
		rc = perf_error(err, PERF_EINVALID, "key file %s is not a perf secret key (made by 'perf keygen')",
		                path);
	sodium_memzero(text, sizeof(text));
	if (rc)
		perf_private_key_wipe(key);
	return rc;
}

/* Makes the folder of path and its parents as needed; the last one, the key folder, 0700. */
static int make_dirs(const char *path, struct perf_error *err)
{
	struct perf_buf d = PERF_BUF_INIT;
	char *slash;
	int rc = 0;

	if (perf_buf_puts(&d, path))
		return perf_error(err, PERF_ENOMEM, "out of memory");
	slash = strrchr(d.ptr, '/');
	if (slash)
		*slash = '\0';
	for (char *p = d.ptr + 1; *p && !rc; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(d.ptr, 0700) < 0 && errno != EEXIST)
			rc = perf_error_sys(err, "cannot make %s", d.ptr);
		*p = '/';
	}
	if (!rc && mkdir(d.ptr, 0700) < 0 && errno != EEXIST)
		rc = perf_error_sys(err, "cannot make %s", d.ptr);
	/* The folder of keys is nobody else's business, even if it existed. */
	if (!rc && chmod(d.ptr, 0700) < 0)
		rc = perf_error_sys(err, "cannot make %s private", d.ptr);
	perf_buf_release(&d);
	return rc;
}

int perf_private_key_stage(const char *path, const struct perf_private_key *key, bool force, struct perf_buf *tmp_out,
                           struct perf_error *err)
{
	struct perf_buf text = PERF_BUF_INIT;
	struct stat sb;
	int fd = -1, rc;

	tmp_out->len = 0;
	if (!force && lstat(path, &sb) == 0)
		return perf_error(err, PERF_EEXISTS,
		                  "%s exists; 'perf keygen --force' replaces it (what was sealed to the old key then "
		                  "needs the old file)",
		                  path);
	if ((rc = make_dirs(path, err)))
		return rc;
	if (perf_buf_printf(tmp_out, "%s.tmp-%ld", path, (long)getpid()) || perf_buf_puts(&text, KEY_PREFIX) ||
	    b64_encode(&text, key->sk, sizeof(key->sk)) || perf_buf_putc(&text, '\n')) {
		rc = perf_error(err, PERF_ENOMEM, "out of memory");
		goto out;
	}
	unlink(tmp_out->ptr);
	fd = open(tmp_out->ptr, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		rc = perf_error_sys(err, "cannot write %s", tmp_out->ptr);
		goto out;
	}
	for (size_t off = 0; off < text.len;) {
		ssize_t w = write(fd, text.ptr + off, text.len - off);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			rc = perf_error_sys(err, "cannot write %s", tmp_out->ptr);
			goto out;
		}
		off += (size_t)w;
	}
	if (fchmod(fd, 0600) < 0 || fsync(fd) < 0)
		rc = perf_error_sys(err, "cannot write %s", tmp_out->ptr);
out:
	if (fd >= 0 && close(fd) < 0 && !rc)
		rc = perf_error_sys(err, "cannot write %s", tmp_out->ptr);
	if (rc && tmp_out->len)
		unlink(tmp_out->ptr);
	if (text.ptr)
		sodium_memzero(text.ptr, text.len);
	perf_buf_release(&text);
	return rc;
}

int perf_private_key_commit(const char *tmp, const char *path, struct perf_error *err)
{
	if (rename(tmp, path) < 0) {
		int e = errno;
		unlink(tmp);
		errno = e;
		return perf_error_sys(err, "cannot move the new key into %s", path);
	}
	return 0;
}

bool perf_private_doc_is(const struct perf_doc *doc)
{
	const char *v = perf_doc_str(doc, "private");
	bool b = false;

	return v && perf_value_parse_bool(v, &b, NULL) == 0 && b;
}

bool perf_private_body_is(const char *body, size_t len)
{
	size_t n = strlen(PERF_PRIVATE_BEGIN);

	return body && len >= n && !memcmp(body, PERF_PRIVATE_BEGIN, n);
}

int perf_private_readers_text(const struct perf_doc *doc, struct perf_buf *out)
{
	const struct perf_node *r = perf_doc_get(doc, "readers");
	size_t shown = 0;

	if (!r || r->type != PERF_NODE_SEQ)
		return 0;
	for (size_t i = 0; i < r->n; i++) {
		if (r->values[i]->type != PERF_NODE_SCALAR)
			continue;
		if ((shown++ && perf_buf_puts(out, ", ")) || perf_buf_puts(out, r->values[i]->text))
			return PERF_ENOMEM;
	}
	return 0;
}

bool perf_private_is_reader(const struct perf_doc *doc, const char *handle)
{
	const struct perf_node *r = perf_doc_get(doc, "readers");

	if (!handle || !r || r->type != PERF_NODE_SEQ)
		return false;
	for (size_t i = 0; i < r->n; i++)
		if (r->values[i]->type == PERF_NODE_SCALAR && !strcmp(r->values[i]->text, handle))
			return true;
	return false;
}

/* --- keys seen: .git/perf/known-keys, "<handle> <x25519:...>" a line ------ */

static int known_path(struct perf_repo *repo, struct perf_buf *p, struct perf_error *err)
{
	int rc = perf_repo_perf_dir(repo, p, err);

	if (!rc && perf_buf_puts(p, "/known-keys"))
		rc = perf_error(err, PERF_ENOMEM, "out of memory");
	return rc;
}

/* The key last trusted for handle, into out; false when none. */
static bool known_key(struct perf_repo *repo, const char *handle, char out[PERF_PRIVATE_PUBLIC_MAX])
{
	struct perf_buf p = PERF_BUF_INIT;
	bool found =
	    known_path(repo, &p, NULL) == 0 && perf_repo_keyed_get(p.ptr, handle, out, PERF_PRIVATE_PUBLIC_MAX);

	perf_buf_release(&p);
	return found;
}

int perf_private_trust_key(struct perf_repo *repo, const char *handle, const char *key, struct perf_error *err)
{
	struct perf_buf p = PERF_BUF_INIT;
	int rc;

	if (!(rc = known_path(repo, &p, err)))
		rc = perf_repo_keyed_set(p.ptr, handle, key, err);
	perf_buf_release(&p);
	return rc;
}

/* people/<handle>.md as the transaction (HEAD when txn is NULL) has it.  Read
 * here rather than through the store, which validates documents against the
 * schema, and the schema asks this module what a private document is. */
static int load_person(struct perf_repo *repo, struct perf_txn *txn, const char *path, struct perf_doc **out,
                       struct perf_error *err)
{
	struct perf_buf b = PERF_BUF_INIT;
	int rc;

	*out = NULL;
	rc = txn ? perf_txn_read(txn, path, &b, err) : perf_repo_read(repo, path, &b, err);
	if (!rc)
		rc = perf_doc_parse(out, b.ptr, b.len, path, err);
	perf_buf_release(&b);
	return rc;
}

int perf_private_reader_keys(struct perf_repo *repo, struct perf_txn *txn, const char *const *readers, size_t n,
                             unsigned char (*pks)[PERF_PRIVATE_KEY_BYTES], struct perf_error *err)
{
	struct perf_buf missing = PERF_BUF_INIT, changed = PERF_BUF_INIT;
	size_t nmissing = 0, nchanged = 0;
	int rc;

	if ((rc = perf_private_init(err)))
		return rc;
	for (size_t i = 0; i < n; i++) {
		char path[PERF_HANDLE_MAX + 16];
		struct perf_doc *doc = NULL;
		const char *k;

		snprintf(path, sizeof(path), "people/%s.md", readers[i]);
		if ((rc = load_person(repo, txn, path, &doc, err)))
			goto out;
		k = perf_doc_str(doc, "encryption_key");
		if (!k) {
			perf_doc_free(doc);
			if (perf_buf_printf(&missing, "%s%s", nmissing++ ? ", " : "", readers[i])) {
				rc = perf_error(err, PERF_ENOMEM, "out of memory");
				goto out;
			}
			continue;
		}
		rc = perf_private_public_parse(k, pks[i], err);
		if (rc)
			perf_error_prefix(err, "%s: encryption_key", path);
		if (!rc) {
			/* Trust on first use, as ssh does with host keys: a key that changed since
			 * is pointed out, never sealed to in silence. */
			char was[PERF_PRIVATE_PUBLIC_MAX];
			if (!known_key(repo, readers[i], was))
				rc = perf_private_trust_key(repo, readers[i], k, err);
			else if (strcmp(was, k) &&
			         perf_buf_printf(&changed, "%s%s (people/%s.md now says %.20s..., you knew %.20s...)",
			                         nchanged++ ? "; " : "", readers[i], readers[i], k, was))
				rc = perf_error(err, PERF_ENOMEM, "out of memory");
		}
		perf_doc_free(doc);
		if (rc)
			goto out;
	}
	if (nchanged) {
		rc = perf_error(
		    err, PERF_ECONFLICT,
		    "the encryption key of %s changed since you last wrote to them; someone may be trying to "
		    "read what you seal. Nothing was written. Ask them whether they made a new key (perf keygen "
		    "--force); if they did, trust it with 'perf keygen --accept HANDLE' and write again",
		    changed.ptr);
		goto out;
	}
	if (nmissing == 1)
		rc = perf_error(err, PERF_ENOTFOUND,
		                "%s has no encryption key yet, so nothing private can be written to them; %s must run "
		                "'perf keygen' first",
		                missing.ptr, missing.ptr);
	else if (nmissing)
		rc = perf_error(err, PERF_ENOTFOUND,
		                "%s have no encryption key yet, so nothing private can be written to them; each must "
		                "run 'perf keygen' first",
		                missing.ptr);
out:
	perf_buf_release(&missing);
	perf_buf_release(&changed);
	return rc;
}

/* What the ciphertext is bound to: the path, the readers and, from version 2, who sealed it. */
static int associated_data(struct perf_buf *ad, const char *path, const char *const *readers, size_t n,
                           const char *from, const char *from_key)
{
	if (perf_buf_puts(ad, from ? AD2_PREFIX : AD_PREFIX) || perf_buf_puts(ad, path) || perf_buf_putc(ad, '\n'))
		return PERF_ENOMEM;
	for (size_t i = 0; i < n; i++)
		if ((i && perf_buf_putc(ad, ',')) || perf_buf_puts(ad, readers[i]))
			return PERF_ENOMEM;
	if (from && perf_buf_printf(ad, "\nfrom %s %s", from, from_key))
		return PERF_ENOMEM;
	return 0;
}

int perf_private_seal_doc(struct perf_doc *doc, const char *writer, const char *const *readers, size_t n,
                          const unsigned char (*pks)[PERF_PRIVATE_KEY_BYTES], const char *text, size_t len,
                          struct perf_error *err)
{
	unsigned char key[crypto_aead_xchacha20poly1305_ietf_KEYBYTES];
	unsigned char nonce[crypto_aead_xchacha20poly1305_ietf_NPUBBYTES];
	unsigned char boxed[BOXED_BYTES];
	unsigned char *ct = NULL;
	unsigned long long ctlen = 0;
	struct perf_buf ad = PERF_BUF_INIT, body = PERF_BUF_INIT, b64 = PERF_BUF_INIT, keyfile = PERF_BUF_INIT;
	struct perf_node *seq = NULL;
	struct perf_private_key wkey;
	char wpub[PERF_PRIVATE_PUBLIC_MAX];
	int rc;

	memset(&wkey, 0, sizeof(wkey));
	if ((rc = perf_private_init(err)))
		return rc;
	/* The writer's own key seals each reader's copy, so a reader can tell who wrote it. */
	if ((rc = perf_private_key_path(writer, &keyfile, err)))
		return rc;
	rc = perf_private_key_load(keyfile.ptr, &wkey, err);
	if (rc == PERF_ENOTFOUND)
		rc = perf_error(err, PERF_ENOTFOUND,
		                "you need a key of your own to write something private (it proves the words are "
		                "yours): run 'perf keygen' first");
	perf_buf_release(&keyfile);
	if (rc)
		return rc;
	perf_private_public_text(wkey.pk, wpub);
	if (!n || n > PERF_PRIVATE_MAX_READERS)
		return perf_error(err, PERF_EINVALID, "a private document has 1 to %d readers",
		                  PERF_PRIVATE_MAX_READERS);
	seq = perf_node_new_seq();
	if (!seq)
		return perf_error(err, PERF_ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++)
		if (perf_node_seq_add(seq, perf_node_new_raw(readers[i]))) {
			perf_node_free(seq);
			return perf_error(err, PERF_ENOMEM, "out of memory");
		}
	if ((rc = perf_doc_set_raw(doc, "private", "true", err)) || (rc = perf_doc_set_node(doc, "readers", seq, err)))
		return rc;

	crypto_aead_xchacha20poly1305_ietf_keygen(key);
	randombytes_buf(nonce, sizeof(nonce));
	ct = malloc(len + crypto_aead_xchacha20poly1305_ietf_ABYTES);
	if (!ct || associated_data(&ad, perf_doc_name(doc), readers, n, writer, wpub))
		goto nomem;
	crypto_aead_xchacha20poly1305_ietf_encrypt(ct, &ctlen, (const unsigned char *)text, len,
	                                           (const unsigned char *)ad.ptr, ad.len, NULL, nonce, key);
	if (perf_buf_puts(&body, PERF_PRIVATE_BEGIN "\n" VERSION2_LINE "\n") ||
	    perf_buf_printf(&body, "from: %s %s\n", writer, wpub))
		goto nomem;
	for (size_t i = 0; i < n; i++) {
		randombytes_buf(boxed, crypto_box_NONCEBYTES);
		if (crypto_box_easy(boxed + crypto_box_NONCEBYTES, key, sizeof(key), boxed, pks[i], wkey.sk)) {
			rc =
			    perf_error(err, PERF_EINVALID,
			               "%s's encryption key is not usable; they run 'perf keygen --force'", readers[i]);
			goto out;
		}
		if (perf_buf_printf(&body, "reader: %s ", readers[i]) || b64_encode(&body, boxed, sizeof(boxed)) ||
		    perf_buf_putc(&body, '\n'))
			goto nomem;
	}
	if (perf_buf_puts(&body, "nonce: ") || b64_encode(&body, nonce, sizeof(nonce)) ||
	    perf_buf_puts(&body, "\n\n") || b64_encode(&b64, ct, (size_t)ctlen))
		goto nomem;
	for (size_t off = 0; off < b64.len; off += LINE_WIDTH) {
		size_t k = b64.len - off < LINE_WIDTH ? b64.len - off : LINE_WIDTH;
		if (perf_buf_add(&body, b64.ptr + off, k) || perf_buf_putc(&body, '\n'))
			goto nomem;
	}
	if (perf_buf_puts(&body, PERF_PRIVATE_END "\n"))
		goto nomem;
	rc = perf_doc_set_body(doc, body.ptr, body.len, err);
	goto out;
nomem:
	rc = perf_error(err, PERF_ENOMEM, "out of memory");
out:
	sodium_memzero(key, sizeof(key));
	perf_private_key_wipe(&wkey);
	free(ct);
	perf_buf_release(&ad);
	perf_buf_release(&body);
	perf_buf_release(&b64);
	return rc;
}

/* The next line of [*p, end): its start and length; *p moves past it. */
static bool next_line(const char **p, const char *end, const char **line, size_t *len)
{
	const char *nl;

	if (*p >= end)
		return false;
	nl = memchr(*p, '\n', (size_t)(end - *p));
	*line = *p;
	*len = nl ? (size_t)(nl - *p) : (size_t)(end - *p);
	*p = nl ? nl + 1 : end;
	return true;
}

static bool starts(const char *line, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);

	return len >= n && !memcmp(line, prefix, n);
}

/* The readers of doc, as the list the ciphertext is bound to. */
static int readers_of(const struct perf_doc *doc, const char **v, size_t *n)
{
	const struct perf_node *r = perf_doc_get(doc, "readers");

	*n = 0;
	if (!r || r->type != PERF_NODE_SEQ || r->n > PERF_PRIVATE_MAX_READERS)
		return -1;
	for (size_t i = 0; i < r->n; i++) {
		if (r->values[i]->type != PERF_NODE_SCALAR)
			return -1;
		v[(*n)++] = r->values[i]->text;
	}
	return 0;
}

int perf_private_open_doc(const struct perf_doc *doc, const char *me, struct perf_buf *out, struct perf_error *err)
{
	return perf_private_open_doc_by(doc, me, out, NULL, err);
}

int perf_private_open_doc_by(const struct perf_doc *doc, const char *me, struct perf_buf *out,
                             struct perf_private_sealer *by, struct perf_error *err)
{
	const char *path = perf_doc_name(doc), *readers[PERF_PRIVATE_MAX_READERS];
	struct perf_private_key key;
	struct perf_buf keyfile = PERF_BUF_INIT, who = PERF_BUF_INIT, ad = PERF_BUF_INIT, b64 = PERF_BUF_INIT;
	unsigned char nonce[crypto_aead_xchacha20poly1305_ietf_NPUBBYTES];
	unsigned char sealed[BOXED_BYTES > SEALED_BYTES ? BOXED_BYTES : SEALED_BYTES], ckey[crypto_secretbox_KEYBYTES];
	unsigned char from_pk[PERF_PRIVATE_KEY_BYTES];
	unsigned char *ct = NULL;
	unsigned long long ptlen = 0;
	const char *body, *p, *end, *line;
	char from[PERF_HANDLE_MAX + 1] = "", from_key[PERF_PRIVATE_PUBLIC_MAX] = "";
	size_t blen, len, nreaders, ctlen = 0;
	bool have_nonce = false, have_sealed = false, in_data = false, ended = false, v2 = false;
	int rc;

	memset(&key, 0, sizeof(key));
	if (by)
		memset(by, 0, sizeof(*by));
	if ((rc = perf_private_init(err)))
		return rc;
	if (perf_private_readers_text(doc, &who)) {
		rc = perf_error(err, PERF_ENOMEM, "out of memory");
		goto out;
	}
	if (!me || !perf_private_is_reader(doc, me)) {
		rc = perf_error(err, PERF_EPERM, "%s is private to %s; you are not among its readers", path,
		                who.len ? who.ptr : "no one");
		goto out;
	}
	if (readers_of(doc, readers, &nreaders)) {
		rc = perf_error(err, PERF_EINVALID, "%s: 'readers' must be a list of handles", path);
		goto out;
	}
	body = perf_doc_body(doc, &blen);
	end = body + blen;
	p = body;
	if (!next_line(&p, end, &line, &len) || len != strlen(PERF_PRIVATE_BEGIN) ||
	    memcmp(line, PERF_PRIVATE_BEGIN, len) || !next_line(&p, end, &line, &len) || len != strlen(VERSION_LINE) ||
	    (memcmp(line, VERSION_LINE, len) && memcmp(line, VERSION2_LINE, len))) {
		rc = perf_error(
		    err, PERF_EINVALID,
		    "%s says it is private, but its body is not a version 1 or 2 private block (a newer perf?)", path);
		goto out;
	}
	v2 = !memcmp(line, VERSION2_LINE, len);
	while (next_line(&p, end, &line, &len)) {
		if (in_data) {
			if (len == strlen(PERF_PRIVATE_END) && !memcmp(line, PERF_PRIVATE_END, len)) {
				ended = true;
				break;
			}
			if (perf_buf_add(&b64, line, len))
				goto nomem;
		} else if (!len) {
			in_data = true;
		} else if (starts(line, len, "nonce: ")) {
			have_nonce = !b64_decode(nonce, sizeof(nonce), NULL, line + 7, len - 7, sizeof(nonce));
		} else if (v2 && starts(line, len, "from: ") && !from[0]) {
			/* "from: <handle> x25519:<key>" */
			const char *sp = memchr(line + 6, ' ', len - 6);
			size_t hn = sp ? (size_t)(sp - (line + 6)) : 0, kn = sp ? len - 6 - hn - 1 : 0;
			if (hn && hn <= PERF_HANDLE_MAX && kn && kn < sizeof(from_key)) {
				memcpy(from, line + 6, hn);
				from[hn] = '\0';
				memcpy(from_key, sp + 1, kn);
				from_key[kn] = '\0';
			}
		} else if (starts(line, len, "reader: ") && len > 8 + strlen(me) && !memcmp(line + 8, me, strlen(me)) &&
		           line[8 + strlen(me)] == ' ') {
			size_t at = 8 + strlen(me) + 1, want = v2 ? BOXED_BYTES : SEALED_BYTES;
			have_sealed = !b64_decode(sealed, sizeof(sealed), NULL, line + at, len - at, want);
		}
	}
	if (v2 && (!from[0] || !perf_value_is_handle(from) || perf_private_public_parse(from_key, from_pk, NULL))) {
		rc = perf_error(err, PERF_EINVALID,
		                "%s: the private block does not say who sealed it (no 'from:' line)", path);
		goto out;
	}
	if (!ended || !have_nonce) {
		rc = perf_error(err, PERF_EINVALID, "%s: the private block is damaged (no nonce or no end line)", path);
		goto out;
	}
	if (!have_sealed) {
		rc = perf_error(err, PERF_EINVALID, "%s lists %s as a reader but holds no key for them", path, me);
		goto out;
	}
	if ((rc = perf_private_key_path(me, &keyfile, err)))
		goto out;
	if ((rc = perf_private_key_load(keyfile.ptr, &key, err))) {
		if (rc == PERF_ENOTFOUND)
			perf_error(
			    err, PERF_ENOTFOUND,
			    "cannot open %s: your secret key is not at %s; copy your key file there, or run 'perf "
			    "keygen' for a new key (it opens only what is written to you from then on)",
			    path, keyfile.ptr);
		else
			perf_error_prefix(err, "cannot open %s", path);
		goto out;
	}
	if (v2 ? crypto_box_open_easy(ckey, sealed + crypto_box_NONCEBYTES, BOXED_BYTES - crypto_box_NONCEBYTES, sealed,
	                              from_pk, key.sk)
	       : crypto_box_seal_open(ckey, sealed, SEALED_BYTES, key.pk, key.sk)) {
		if (v2)
			rc = perf_error(
			    err, PERF_EINVALID,
			    "the key in %s does not open %s: it was sealed to another key of yours, or it is "
			    "forged (sealed in %s's name by someone else)",
			    keyfile.ptr, path, from);
		else
			rc = perf_error(
			    err, PERF_EINVALID,
			    "the key in %s does not open %s: it was sealed to another key of yours (is the key "
			    "file the one whose public half people/%s.md publishes?)",
			    keyfile.ptr, path, me);
		goto out;
	}
	ct = malloc(b64.len + 1);
	if (!ct)
		goto nomem;
	if (b64_decode(ct, b64.len + 1, &ctlen, perf_buf_cstr(&b64), b64.len, 0) ||
	    ctlen < crypto_aead_xchacha20poly1305_ietf_ABYTES) {
		rc = perf_error(err, PERF_EINVALID, "%s: the private block is damaged (bad base64)", path);
		goto out;
	}
	if (associated_data(&ad, path, readers, nreaders, v2 ? from : NULL, from_key) ||
	    perf_buf_grow(out, ctlen - crypto_aead_xchacha20poly1305_ietf_ABYTES + 1))
		goto nomem;
	if (crypto_aead_xchacha20poly1305_ietf_decrypt((unsigned char *)out->ptr + out->len, &ptlen, NULL, ct, ctlen,
	                                               (const unsigned char *)ad.ptr, ad.len, nonce, ckey)) {
		rc = perf_error(err, PERF_EINVALID,
		                "%s does not open: its text, its path or its readers were changed after it was written",
		                path);
		goto out;
	}
	if (memchr(out->ptr + out->len, '\0', (size_t)ptlen)) {
		rc = perf_error(err, PERF_EINVALID, "%s: the private text holds a NUL byte", path);
		goto out;
	}
	out->len += (size_t)ptlen;
	out->ptr[out->len] = '\0';
	if (by && v2) {
		snprintf(by->handle, sizeof(by->handle), "%s", from);
		snprintf(by->key, sizeof(by->key), "%s", from_key);
		by->sealed_by = true;
	}
	goto out;
nomem:
	rc = perf_error(err, PERF_ENOMEM, "out of memory");
out:
	perf_private_key_wipe(&key);
	sodium_memzero(ckey, sizeof(ckey));
	free(ct);
	perf_buf_release(&keyfile);
	perf_buf_release(&who);
	perf_buf_release(&ad);
	perf_buf_release(&b64);
	return rc;
}

void perf_private_buf_wipe(struct perf_buf *b)
{
	if (b->ptr)
		sodium_memzero(b->ptr, b->cap);
	perf_buf_release(b);
}

int perf_private_body_from(const char *body, size_t len, char from[PERF_HANDLE_MAX + 1])
{
	const char *p = body, *end = body + len, *line;
	size_t n;

	from[0] = '\0';
	if (!next_line(&p, end, &line, &n) || n != strlen(PERF_PRIVATE_BEGIN) || memcmp(line, PERF_PRIVATE_BEGIN, n) ||
	    !next_line(&p, end, &line, &n))
		return PERF_EINVALID;
	if (n == strlen(VERSION_LINE) && !memcmp(line, VERSION_LINE, n))
		return 0; /* version 1 names nobody */
	if (n != strlen(VERSION2_LINE) || memcmp(line, VERSION2_LINE, n) || !next_line(&p, end, &line, &n) ||
	    !starts(line, n, "from: "))
		return PERF_EINVALID;
	{
		const char *sp = memchr(line + 6, ' ', n - 6);
		size_t hn = sp ? (size_t)(sp - (line + 6)) : 0;
		if (!hn || hn > PERF_HANDLE_MAX)
			return PERF_EINVALID;
		memcpy(from, line + 6, hn);
		from[hn] = '\0';
	}
	return perf_value_is_handle(from) ? 0 : PERF_EINVALID;
}

int perf_private_check_sealer(struct perf_repo *repo, const struct perf_private_sealer *by, struct perf_error *err)
{
	char path[PERF_HANDLE_MAX + 16], known[PERF_PRIVATE_PUBLIC_MAX];
	struct perf_doc *doc = NULL;
	const char *k;
	bool ok;

	if (!by->sealed_by)
		return 0;
	snprintf(path, sizeof(path), "people/%s.md", by->handle);
	if (load_person(repo, NULL, path, &doc, NULL))
		return perf_error(err, PERF_EPERM, "it says it was sealed by %s, who is not in the team", by->handle);
	k = perf_doc_str(doc, "encryption_key");
	/* Their key now, or the one this clone trusted for them. */
	ok = (k && !strcmp(k, by->key)) || (known_key(repo, by->handle, known) && !strcmp(known, by->key));
	perf_doc_free(doc);
	if (!ok)
		return perf_error(err, PERF_EPERM,
		                  "it says it was sealed by %s, with a key %s does not publish (%.20s...): forged, or "
		                  "sealed before they made a new key",
		                  by->handle, by->handle, by->key);
	return 0;
}
