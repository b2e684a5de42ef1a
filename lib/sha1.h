/*
 * SHA-1, for the checksum that ends git's index file.  libgit2 keeps its
 * own hashing internal; this is the plain FIPS 180-4 algorithm (the index
 * checksum is not a security boundary).  Contexts live on the caller's
 * stack; nothing allocates.
 */
#ifndef PERF_SHA1_H
#define PERF_SHA1_H

#include <stddef.h>
#include <stdint.h>

struct perf_sha1 {
	uint32_t h[5];
	uint64_t len;
	unsigned char buf[64];
	size_t used;
};

void perf_sha1_init(struct perf_sha1 *c);
void perf_sha1_update(struct perf_sha1 *c, const void *data, size_t len);
void perf_sha1_final(struct perf_sha1 *c, unsigned char out[20]);

#endif
