#include "sha1.h"

#include <string.h>

#include <openssl/evp.h>

void perf_sha1_init(struct perf_sha1 *c)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();

	c->ctx = ctx;
	c->failed = !ctx || EVP_DigestInit_ex(ctx, EVP_sha1(), NULL) != 1;
}

void perf_sha1_update(struct perf_sha1 *c, const void *data, size_t len)
{
	if (!c->failed && EVP_DigestUpdate(c->ctx, data, len) != 1)
		c->failed = 1;
}

int perf_sha1_final(struct perf_sha1 *c, unsigned char out[20])
{
	unsigned int n = 0;
	int rc = 0;

	if (c->failed || EVP_DigestFinal_ex(c->ctx, out, &n) != 1 || n != 20) {
		memset(out, 0, 20);
		rc = -1;
	}
	EVP_MD_CTX_free(c->ctx);
	c->ctx = NULL;
	return rc;
}
