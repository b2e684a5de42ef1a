/*
 * SHA-1, for the checksum that ends git's index file and for agreement
 * versions (git blob ids, computed without libgit2).  libgit2 keeps its
 * own hashing internal, so this goes through OpenSSL's libcrypto, whose
 * SHA-1 uses the processor's SHA instructions where there are some: on a
 * 10 MB index that is a few milliseconds instead of the ~40 instructions
 * per byte of a portable implementation.  (The index checksum guards
 * against corruption; it is not a security boundary.)
 *
 * A context is created by perf_sha1_init and freed by perf_sha1_final,
 * which always runs; nothing else allocates.
 */
#ifndef PERF_SHA1_H
#define PERF_SHA1_H

#include <stddef.h>

struct perf_sha1 {
	void *ctx; /* EVP_MD_CTX */
	int failed;
};

void perf_sha1_init(struct perf_sha1 *c);
void perf_sha1_update(struct perf_sha1 *c, const void *data, size_t len);
/* Writes the digest; returns 0, or -1 when libcrypto failed (out is zeroed). */
int perf_sha1_final(struct perf_sha1 *c, unsigned char out[20]);

#endif
