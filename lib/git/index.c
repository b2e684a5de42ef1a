#include "index.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "sha1.h"

#define ENTRY_FIXED 62 /* ctime..flags: 10 words, 20-byte id, 2-byte flags */

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static void ix_free(struct perf_index *ix)
{
	free(ix->path);
	free(ix->lockpath);
	free(ix->data);
	free(ix->off);
	memset(ix, 0, sizeof(*ix));
	ix->lockfd = -1;
}

void perf_index_rollback(struct perf_index *ix)
{
	if (!ix)
		return;
	if (ix->lockfd >= 0) {
		close(ix->lockfd);
		unlink(ix->lockpath);
	}
	ix_free(ix);
}

static size_t entry_len(const struct perf_index *ix, size_t off, const char **path, size_t *plen)
{
	const unsigned char *e = ix->data + off;
	uint16_t flags = (uint16_t)(e[60] << 8 | e[61]);
	size_t fixed = ENTRY_FIXED + ((ix->version >= 3 && (flags & 0x4000)) ? 2 : 0);
	const char *p = (const char *)e + fixed;
	size_t n = flags & 0xFFF;

	if (n == 0xFFF)
		n = strnlen(p, ix->len - off - fixed);
	*path = p;
	*plen = n;
	/* Padded with 1 to 8 NULs to a multiple of 8 (versions 2 and 3). */
	return (fixed + n + 8) & ~(size_t)7;
}

static int parse(struct perf_index *ix, struct perf_error *err)
{
	size_t off = 12;

	if (ix->len < 32 || memcmp(ix->data, "DIRC", 4))
		return perf_error(err, PERF_EINVALID, "%s is not a git index", ix->path);
	ix->version = be32(ix->data + 4);
	ix->n = be32(ix->data + 8);
	if (ix->version != 2 && ix->version != 3)
		return PERF_ENOTFOUND;
	if (ix->n > (ix->len - 32) / ENTRY_FIXED)
		return perf_error(err, PERF_EINVALID, "%s is damaged (too many entries)", ix->path);
	ix->off = malloc(((size_t)ix->n + 1) * sizeof(*ix->off));
	if (!ix->off)
		return perf_error(err, PERF_ENOMEM, "out of memory");
	for (uint32_t i = 0; i < ix->n; i++) {
		const char *p;
		size_t plen, l;
		if (off + ENTRY_FIXED > ix->len - 20)
			return perf_error(err, PERF_EINVALID, "%s is damaged (entry %u)", ix->path, i);
		l = entry_len(ix, off, &p, &plen);
		if (off + l > ix->len - 20)
			return perf_error(err, PERF_EINVALID, "%s is damaged (entry %u)", ix->path, i);
		ix->off[i] = (uint32_t)off;
		off += l;
	}
	ix->entries_end = off;
	return 0;
}

int perf_index_lock(struct perf_index *ix, const char *gitdir, long wait_ms, struct perf_error *err)
{
	struct perf_buf p = PERF_BUF_INIT, l = PERF_BUF_INIT;
	long waited = 0;
	int fd, rc;

	memset(ix, 0, sizeof(*ix));
	ix->lockfd = -1;
	if (perf_buf_printf(&p, "%sindex", gitdir) || perf_buf_printf(&l, "%sindex.lock", gitdir)) {
		perf_buf_release(&p);
		perf_buf_release(&l);
		return perf_error(err, PERF_ENOMEM, "out of memory");
	}
	ix->path = perf_buf_detach(&p);
	ix->lockpath = perf_buf_detach(&l);
	for (;;) {
		ix->lockfd = open(ix->lockpath, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (ix->lockfd >= 0)
			break;
		if (errno != EEXIST) {
			rc = perf_error_sys(err, "cannot create '%s'", ix->lockpath);
			goto fail;
		}
		if (waited >= wait_ms) {
			rc = perf_error(err, PERF_ELOCKED,
			                "the index is locked by '%s': another git process seems to be running; if "
			                "none is (it was left by a crash), remove that file and try again",
			                ix->lockpath);
			goto fail;
		}
		{
			struct timespec ts = {0, 20 * 1000000L};
			nanosleep(&ts, NULL);
		}
		waited += 20;
	}
	fd = open(ix->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return 0; /* no index yet: an empty one */
		rc = perf_error_sys(err, "cannot read '%s'", ix->path);
		goto fail;
	}
	{
		struct stat st;
		size_t got = 0;
		if (fstat(fd, &st) < 0 || !(ix->data = malloc((size_t)st.st_size + 1))) {
			close(fd);
			rc = perf_error_sys(err, "cannot read '%s'", ix->path);
			goto fail;
		}
		while (got < (size_t)st.st_size) {
			ssize_t r = read(fd, ix->data + got, (size_t)st.st_size - got);
			if (r <= 0) {
				if (r < 0 && errno == EINTR)
					continue;
				close(fd);
				rc = perf_error_sys(err, "cannot read '%s'", ix->path);
				goto fail;
			}
			got += (size_t)r;
		}
		ix->len = got;
		close(fd);
	}
	if ((rc = parse(ix, err)))
		goto fail;
	return 0;
fail:
	perf_index_rollback(ix);
	return rc;
}

static int cmp_path(const struct perf_index *ix, uint32_t i, const char *path, size_t n, int *stage)
{
	const char *p;
	size_t plen;
	int c;

	entry_len(ix, ix->off[i], &p, &plen);
	c = memcmp(p, path, plen < n ? plen : n);
	if (!c)
		c = plen < n ? -1 : plen > n ? 1 : 0;
	*stage = (ix->data[ix->off[i] + 60] >> 4) & 3;
	return c;
}

/* The first entry whose path is >= path (n when none). */
static uint32_t lower_bound(const struct perf_index *ix, const char *path)
{
	uint32_t lo = 0, hi = ix->n;
	size_t n = strlen(path);
	int stage;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (cmp_path(ix, mid, path, n, &stage) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

bool perf_index_lookup(const struct perf_index *ix, const char *path, struct perf_index_entry *out)
{
	uint32_t i;
	int stage;
	const unsigned char *e;

	if (!ix->data)
		return false;
	i = lower_bound(ix, path);
	if (i >= ix->n || cmp_path(ix, i, path, strlen(path), &stage) != 0 || stage != 0)
		return false;
	e = ix->data + ix->off[i];
	out->mtime_s = be32(e + 8);
	out->mtime_ns = be32(e + 12);
	out->ino = be32(e + 20);
	out->mode = be32(e + 24);
	out->size = be32(e + 36);
	memcpy(out->oid, e + 40, 20);
	return true;
}

static int put_entry(struct perf_buf *b, const struct perf_index_change *c)
{
	unsigned char e[ENTRY_FIXED];
	size_t n = strlen(c->path), total = (ENTRY_FIXED + n + 8) & ~(size_t)7;
	static const char zeros[8];

	put32(e, (uint32_t)c->st.st_ctim.tv_sec);
	put32(e + 4, (uint32_t)c->st.st_ctim.tv_nsec);
	put32(e + 8, (uint32_t)c->st.st_mtim.tv_sec);
	put32(e + 12, (uint32_t)c->st.st_mtim.tv_nsec);
	put32(e + 16, (uint32_t)c->st.st_dev);
	put32(e + 20, (uint32_t)c->st.st_ino);
	put32(e + 24, c->mode);
	put32(e + 28, (uint32_t)c->st.st_uid);
	put32(e + 32, (uint32_t)c->st.st_gid);
	put32(e + 36, (uint32_t)c->st.st_size);
	memcpy(e + 40, c->oid, 20);
	e[60] = (unsigned char)((n < 0xFFF ? n : 0xFFF) >> 8);
	e[61] = (unsigned char)(n < 0xFFF ? n : 0xFFF);
	if (perf_buf_add(b, e, sizeof(e)) || perf_buf_add(b, c->path, n) ||
	    perf_buf_add(b, zeros, total - ENTRY_FIXED - n))
		return PERF_ENOMEM;
	return 0;
}

static int cmp_change(const void *a, const void *b)
{
	return strcmp(((const struct perf_index_change *)a)->path, ((const struct perf_index_change *)b)->path);
}

/* Extensions that describe the old content: git rebuilds them when it needs them. */
static bool stale_extension(const unsigned char *sig)
{
	return !memcmp(sig, "TREE", 4) || !memcmp(sig, "UNTR", 4) || !memcmp(sig, "FSMN", 4) ||
	       !memcmp(sig, "EOIE", 4) || !memcmp(sig, "IEOT", 4);
}

int perf_index_commit(struct perf_index *ix, const struct perf_index_change *changes, size_t n, struct perf_error *err)
{
	struct perf_index_change *sorted = NULL;
	struct perf_buf out = PERF_BUF_INIT;
	struct perf_sha1 sha;
	unsigned char digest[20], hdr[12];
	uint32_t i = 0, count = 0;
	size_t k = 0, off;
	int rc = 0;

	sorted = malloc((n ? n : 1) * sizeof(*sorted));
	if (!sorted) {
		rc = perf_error(err, PERF_ENOMEM, "out of memory");
		goto out;
	}
	memcpy(sorted, changes, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), cmp_change);
	memcpy(hdr, "DIRC", 4);
	put32(hdr + 4, ix->data ? ix->version : 2);
	if (perf_buf_add(&out, hdr, sizeof(hdr))) {
		rc = perf_error(err, PERF_ENOMEM, "out of memory");
		goto out;
	}
	/* Merge the sorted entries with the sorted changes. */
	while (i < ix->n || k < n) {
		int c, stage = 0;
		if (k >= n)
			c = -1;
		else if (i >= ix->n)
			c = 1;
		else
			c = cmp_path(ix, i, sorted[k].path, strlen(sorted[k].path), &stage);
		if (c < 0) {
			const char *p;
			size_t plen, l = entry_len(ix, ix->off[i], &p, &plen);
			if (perf_buf_add(&out, ix->data + ix->off[i], l)) {
				rc = perf_error(err, PERF_ENOMEM, "out of memory");
				goto out;
			}
			count++;
			i++;
			continue;
		}
		/* c == 0: every stage of that path goes; c > 0: a new path. */
		if (c == 0) {
			size_t pl = strlen(sorted[k].path);
			while (i < ix->n && cmp_path(ix, i, sorted[k].path, pl, &stage) == 0)
				i++;
		}
		if (!sorted[k].remove) {
			if (put_entry(&out, &sorted[k])) {
				rc = perf_error(err, PERF_ENOMEM, "out of memory");
				goto out;
			}
			count++;
		}
		k++;
	}
	/* Extensions still true of the new content. */
	for (off = ix->data ? ix->entries_end : 0; ix->data && off + 8 <= ix->len - 20;) {
		uint32_t sz = be32(ix->data + off + 4);
		if (off + 8 + sz > ix->len - 20)
			break;
		if (!stale_extension(ix->data + off) && perf_buf_add(&out, ix->data + off, 8 + (size_t)sz)) {
			rc = perf_error(err, PERF_ENOMEM, "out of memory");
			goto out;
		}
		off += 8 + sz;
	}
	put32((unsigned char *)out.ptr + 8, count);
	perf_sha1_init(&sha);
	perf_sha1_update(&sha, out.ptr, out.len);
	if (perf_sha1_final(&sha, digest) < 0) {
		rc = perf_error(err, PERF_EIO, "cannot compute the index's checksum (libcrypto failed)");
		goto out;
	}
	perf_buf_add(&out, digest, 20);
	{
		size_t w = 0;
		while (w < out.len) {
			ssize_t r = write(ix->lockfd, out.ptr + w, out.len - w);
			if (r < 0) {
				if (errno == EINTR)
					continue;
				rc = perf_error_sys(err, "cannot write '%s'", ix->lockpath);
				goto out;
			}
			w += (size_t)r;
		}
	}
	if (close(ix->lockfd) < 0) {
		ix->lockfd = -1;
		unlink(ix->lockpath);
		rc = perf_error_sys(err, "cannot write '%s'", ix->lockpath);
		goto out;
	}
	ix->lockfd = -1;
	if (rename(ix->lockpath, ix->path) < 0) {
		unlink(ix->lockpath);
		rc = perf_error_sys(err, "cannot replace '%s'", ix->path);
	}
out:
	free(sorted);
	perf_buf_release(&out);
	perf_index_rollback(ix);
	return rc;
}
