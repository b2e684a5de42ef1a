#include "cache.h"

#include <git2.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "buf.h"
#include "repo.h"
#include "repo-internal.h"

/*
 * The file, all numbers little-endian (perf-format(5) describes it too):
 *
 *   0     8  magic "perfcach"
 *   8     4  version (PERF_CACHE_VERSION)
 *   12    4  number of entries, N
 *   16    8  size of the whole file
 *   24 1024  fan-out: 256 counts, [b] = entries whose id's first byte <= b
 *   1048 32N entries sorted by (id, type): id (20), type (1), zero (3),
 *            offset of the bytes from the start of the file (4), length (4)
 *   ...      the bytes of every entry
 *   end-4    CRC-32 of everything before it
 *
 * The checksum is there to notice a damaged file, not to resist a forger
 * (anyone who can write .git can write anything there); CRC-32 does that
 * at a fraction of the cost of SHA-1, which every run would pay.
 */
#define MAGIC       "perfcach"
#define HEADER_SIZE 24
#define FANOUT_SIZE (256 * 4)
#define ENTRY_SIZE  32
#define TABLE_AT    (HEADER_SIZE + FANOUT_SIZE)
#define KEY_SIZE    (GIT_OID_RAWSZ + 1)
#define TRAILER     4
#define BLOCK       (256 * 1024)

struct block {
	struct block *next;
	size_t used, cap;
	unsigned char data[];
};

struct added {
	const unsigned char *data;
	uint32_t len;
	unsigned char key[KEY_SIZE];
};

struct perf_cache {
	char *dir;  /* .git/perf/cache, NULL when it cannot be known */
	char *path; /* dir/fm-v3 or another name */
	/* The file as opened (a private read-only mapping), or none. */
	const unsigned char *map;
	size_t size, count;
	unsigned char *used; /* one bit per entry of the file */
	size_t nused;
	/* Entries added in this run: bytes in blocks, found through a hash table. */
	struct block *blocks;
	struct added *add;
	size_t nadd, addcap;
	uint32_t *slots; /* index + 1 into add, 0 when empty */
	size_t nslots;
	size_t hits;
	bool keep_unused; /* perf_cache_keep_unused: never prune */
};

static uint32_t checksum_more(uint32_t crc, const unsigned char *p, size_t len)
{
	while (len) {
		uInt k = len > (1u << 30) ? 1u << 30 : (uInt)len;
		crc = (uint32_t)crc32(crc, p, k);
		p += k;
		len -= k;
	}
	return crc;
}

static uint32_t checksum(const unsigned char *p, size_t len)
{
	return checksum_more((uint32_t)crc32(0L, Z_NULL, 0), p, len);
}

/* Whether the mapped file is a whole cache of this version: anything else reads as empty. */
static bool valid(const unsigned char *m, size_t size)
{
	size_t count, data_at, prev = 0;

	if (size < TABLE_AT + TRAILER || memcmp(m, MAGIC, 8) || perf_le32(m + 8) != PERF_CACHE_VERSION ||
	    perf_le64(m + 16) != size)
		return false;
	count = perf_le32(m + 12);
	if (count > (size - TABLE_AT - TRAILER) / ENTRY_SIZE)
		return false;
	data_at = TABLE_AT + count * ENTRY_SIZE;
	for (size_t b = 0; b < 256; b++) {
		size_t f = perf_le32(m + HEADER_SIZE + 4 * b);
		if (f < prev || f > count)
			return false;
		prev = f;
	}
	if (prev != count)
		return false;
	for (size_t i = 0; i < count; i++) {
		const unsigned char *e = m + TABLE_AT + i * ENTRY_SIZE;
		size_t off = perf_le32(e + 24), len = perf_le32(e + 28);
		if (off < data_at || off > size - TRAILER || len > size - TRAILER - off)
			return false;
		if (i && memcmp(e - ENTRY_SIZE, e, KEY_SIZE) >= 0)
			return false;
	}
	return checksum(m, size - TRAILER) == perf_le32(m + size - TRAILER);
}

static void map_file(struct perf_cache *c)
{
	struct stat st;
	void *m;
	int fd;

	if (!c->path || (fd = open(c->path, O_RDONLY | O_CLOEXEC)) < 0)
		return;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size < TABLE_AT + TRAILER ||
	    (uint64_t)st.st_size > UINT32_MAX) {
		close(fd);
		return;
	}
	m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
	close(fd);
	if (m == MAP_FAILED)
		return;
	if (!valid(m, (size_t)st.st_size)) {
		munmap(m, (size_t)st.st_size);
		return;
	}
	c->map = m;
	c->size = (size_t)st.st_size;
	c->count = perf_le32(c->map + 12);
}

int perf_cache_open(struct perf_cache **out, struct perf_repo *repo, struct perf_error *err)
{
	return perf_cache_open_named(out, repo, PERF_CACHE_NAME, err);
}

int perf_cache_open_named(struct perf_cache **out, struct perf_repo *repo, const char *name, struct perf_error *err)
{
	struct perf_cache *c = calloc(1, sizeof(*c));
	struct perf_buf p = PERF_BUF_INIT;

	*out = NULL;
	if (!c)
		return perf_error(err, PERF_ENOMEM, "out of memory");
	if (repo && repo->git && perf_buf_printf(&p, "%sperf/cache", git_repository_path(repo->git)) == 0) {
		c->dir = perf_buf_detach(&p);
		if (c->dir && perf_buf_printf(&p, "%s/%s", c->dir, name) == 0)
			c->path = perf_buf_detach(&p);
	}
	perf_buf_release(&p);
	if (!c->dir || !c->path) {
		perf_cache_free(c);
		return perf_error(err, PERF_ENOMEM, "out of memory");
	}
	map_file(c);
	if (c->count && !(c->used = calloc(c->count / 8 + 1, 1))) {
		perf_cache_free(c);
		return perf_error(err, PERF_ENOMEM, "out of memory");
	}
	*out = c;
	return 0;
}

static void make_key(unsigned char key[KEY_SIZE], const git_oid *id, unsigned type)
{
	memcpy(key, id->id, GIT_OID_RAWSZ);
	key[GIT_OID_RAWSZ] = (unsigned char)type;
}

static size_t hash_key(const unsigned char *key)
{
	size_t h;

	memcpy(&h, key, sizeof(h)); /* object ids are hashes already */
	return h ^ (size_t)key[GIT_OID_RAWSZ] * 0x9e3779b97f4a7c15ULL;
}

static struct added *find_added(const struct perf_cache *c, const unsigned char *key)
{
	if (!c->nslots)
		return NULL;
	for (size_t i = hash_key(key) & (c->nslots - 1);; i = (i + 1) & (c->nslots - 1)) {
		if (!c->slots[i])
			return NULL;
		if (!memcmp(c->add[c->slots[i] - 1].key, key, KEY_SIZE))
			return &c->add[c->slots[i] - 1];
	}
}

const unsigned char *perf_cache_get(struct perf_cache *c, const git_oid *id, unsigned type, size_t *len)
{
	unsigned char key[KEY_SIZE];
	struct added *a;
	size_t lo, hi;

	make_key(key, id, type);
	if (c->count) {
		lo = key[0] ? perf_le32(c->map + HEADER_SIZE + 4 * (key[0] - 1)) : 0;
		hi = perf_le32(c->map + HEADER_SIZE + 4 * key[0]);
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			const unsigned char *e = c->map + TABLE_AT + mid * ENTRY_SIZE;
			int cmp = memcmp(e, key, KEY_SIZE);
			if (cmp < 0) {
				lo = mid + 1;
			} else if (cmp > 0) {
				hi = mid;
			} else {
				if (!(c->used[mid / 8] & (1u << (mid % 8)))) {
					c->used[mid / 8] |= (unsigned char)(1u << (mid % 8));
					c->nused++;
				}
				c->hits++;
				*len = perf_le32(e + 28);
				return c->map + perf_le32(e + 24);
			}
		}
	}
	if ((a = find_added(c, key))) {
		c->hits++;
		*len = a->len;
		return a->data;
	}
	return NULL;
}

static unsigned char *alloc_bytes(struct perf_cache *c, size_t len)
{
	struct block *b = c->blocks;

	if (!b || b->cap - b->used < len) {
		size_t cap = len > BLOCK ? len : BLOCK;
		if (!(b = malloc(sizeof(*b) + cap)))
			return NULL;
		b->used = 0;
		b->cap = cap;
		b->next = c->blocks;
		c->blocks = b;
	}
	b->used += len;
	return b->data + b->used - len;
}

static int grow_slots(struct perf_cache *c)
{
	size_t n = c->nslots ? c->nslots * 2 : 1024;
	uint32_t *s = calloc(n, sizeof(*s));

	if (!s)
		return -1;
	for (size_t k = 0; k < c->nadd; k++) {
		size_t i = hash_key(c->add[k].key) & (n - 1);
		while (s[i])
			i = (i + 1) & (n - 1);
		s[i] = (uint32_t)(k + 1);
	}
	free(c->slots);
	c->slots = s;
	c->nslots = n;
	return 0;
}

const unsigned char *perf_cache_put(struct perf_cache *c, const git_oid *id, unsigned type, const void *data,
                                    size_t len)
{
	unsigned char key[KEY_SIZE], *copy;
	struct added *a;
	size_t i;

	make_key(key, id, type);
	if ((a = find_added(c, key)))
		return a->data;
	if (len > UINT32_MAX || c->nadd >= UINT32_MAX - 1)
		return NULL;
	if (c->nadd == c->addcap) {
		size_t cap = c->addcap ? c->addcap * 2 : 1024;
		void *v = realloc(c->add, cap * sizeof(*c->add));
		if (!v)
			return NULL;
		c->add = v;
		c->addcap = cap;
	}
	if ((c->nadd + 1) * 2 > c->nslots && grow_slots(c))
		return NULL;
	if (!(copy = alloc_bytes(c, len ? len : 1)))
		return NULL;
	memcpy(copy, data, len);
	a = &c->add[c->nadd];
	memcpy(a->key, key, KEY_SIZE);
	a->data = copy;
	a->len = (uint32_t)len;
	for (i = hash_key(key) & (c->nslots - 1); c->slots[i]; i = (i + 1) & (c->nslots - 1))
		;
	c->slots[i] = (uint32_t)++c->nadd;
	return copy;
}

void perf_cache_stats(const struct perf_cache *c, size_t *hits, size_t *added)
{
	*hits = c->hits;
	*added = c->nadd;
}

/* ---- saving ---- */

struct writer {
	int fd;
	uint32_t crc;
	unsigned char buf[65536];
	size_t n;
	bool failed;
};

static void w_flush(struct writer *w, bool hash)
{
	size_t at = 0;

	if (hash)
		w->crc = checksum_more(w->crc, w->buf, w->n);
	while (at < w->n && !w->failed) {
		ssize_t k = write(w->fd, w->buf + at, w->n - at);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			w->failed = true;
		else
			at += (size_t)k;
	}
	w->n = 0;
}

static void w_add(struct writer *w, const void *data, size_t len)
{
	const unsigned char *p = data;

	while (len && !w->failed) {
		size_t k = sizeof(w->buf) - w->n < len ? sizeof(w->buf) - w->n : len;
		memcpy(w->buf + w->n, p, k);
		w->n += k;
		p += k;
		len -= k;
		if (w->n == sizeof(w->buf))
			w_flush(w, true);
	}
}

/* One entry of the file to write: a key and where its bytes are. */
struct out {
	const unsigned char *key;
	const unsigned char *data;
	size_t len;
};

static int cmp_added(const void *a, const void *b)
{
	return memcmp(((const struct added *)a)->key, ((const struct added *)b)->key, KEY_SIZE);
}

/* The entries to keep, old and new, merged in key order. */
static struct out *merge(struct perf_cache *c, bool keep_unused, size_t *n)
{
	struct out *v = malloc((c->count + c->nadd + 1) * sizeof(*v));
	size_t i = 0, k = 0;

	*n = 0;
	if (!v)
		return NULL;
	/* Bytes of added entries stay in the blocks; only the index moves. */
	qsort(c->add, c->nadd, sizeof(*c->add), cmp_added);
	while (i < c->count || k < c->nadd) {
		const unsigned char *e = i < c->count ? c->map + TABLE_AT + i * ENTRY_SIZE : NULL;
		int cmp = !e ? 1 : k == c->nadd ? -1 : memcmp(e, c->add[k].key, KEY_SIZE);
		if (cmp <= 0) {
			if (keep_unused || (c->used[i / 8] & (1u << (i % 8))))
				v[(*n)++] = (struct out){e, c->map + perf_le32(e + 24), perf_le32(e + 28)};
			i++;
			k += cmp == 0;
		} else {
			v[(*n)++] = (struct out){c->add[k].key, c->add[k].data, c->add[k].len};
			k++;
		}
	}
	return v;
}

static int write_file(int fd, const struct out *v, size_t n)
{
	struct writer *w = calloc(1, sizeof(*w));
	unsigned char head[TABLE_AT], ent[ENTRY_SIZE];
	uint64_t size = TABLE_AT + (uint64_t)n * ENTRY_SIZE + TRAILER, off;
	size_t fan[256] = {0};
	int rc;

	if (!w)
		return -1;
	for (size_t i = 0; i < n; i++) {
		size += v[i].len;
		fan[v[i].key[0]]++;
	}
	if (size > UINT32_MAX) {
		free(w);
		return -1;
	}
	w->fd = fd;
	w->crc = checksum(NULL, 0);
	memcpy(head, MAGIC, 8);
	perf_put_le32(head + 8, PERF_CACHE_VERSION);
	perf_put_le32(head + 12, (uint32_t)n);
	perf_put_le64(head + 16, size);
	for (size_t b = 0, total = 0; b < 256; b++) {
		total += fan[b];
		perf_put_le32(head + HEADER_SIZE + 4 * b, (uint32_t)total);
	}
	w_add(w, head, sizeof(head));
	off = TABLE_AT + (uint64_t)n * ENTRY_SIZE;
	for (size_t i = 0; i < n; i++) {
		memset(ent, 0, sizeof(ent));
		memcpy(ent, v[i].key, KEY_SIZE);
		perf_put_le32(ent + 24, (uint32_t)off);
		perf_put_le32(ent + 28, (uint32_t)v[i].len);
		w_add(w, ent, sizeof(ent));
		off += v[i].len;
	}
	for (size_t i = 0; i < n; i++)
		w_add(w, v[i].data, v[i].len);
	w_flush(w, true);
	perf_put_le32(w->buf, w->crc);
	w->n = TRAILER;
	w_flush(w, false);
	rc = w->failed ? -1 : 0;
	free(w);
	return rc;
}

/* Temporary files of processes that died before renaming theirs. */
static void remove_stale(const char *dir, const char *path_of_cache)
{
	char prefix[256];
	struct dirent *d;
	DIR *dp;
	char path[4096];
	size_t np;

	if ((size_t)snprintf(prefix, sizeof(prefix), "%s.tmp-", strrchr(path_of_cache, '/') + 1) >= sizeof(prefix) ||
	    !(dp = opendir(dir)))
		return;
	np = strlen(prefix);
	while ((d = readdir(dp))) {
		char *end;
		long pid;
		if (strncmp(d->d_name, prefix, np))
			continue;
		pid = strtol(d->d_name + np, &end, 10);
		if (*end || pid <= 0 || (kill((pid_t)pid, 0) == 0 || errno != ESRCH))
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", dir, d->d_name) < (int)sizeof(path))
			unlink(path);
	}
	closedir(dp);
}

/* Files of earlier layouts, which no perf reads any more. */
static void retire(const char *dir)
{
	static const char *const old[] = {"fm-v1", "fm-v2"};
	char path[4096];

	for (size_t i = 0; i < sizeof(old) / sizeof(*old); i++)
		if (snprintf(path, sizeof(path), "%s/%s", dir, old[i]) < (int)sizeof(path))
			unlink(path);
}

void perf_cache_save(struct perf_cache *c)
{
	struct perf_buf tmp = PERF_BUF_INIT;
	struct out *v;
	size_t n, unused = c->count - c->nused;
	bool keep_unused = c->keep_unused || unused <= c->nused + c->nadd, ok;
	int fd;

	/* Unchanged, and not worth pruning: leave the file as it is. */
	if (!c->nadd && keep_unused)
		return;
	if (mkdir(c->dir, 0777) < 0 && errno == ENOENT) {
		/* .git/perf itself is missing. */
		char *slash = strrchr(c->dir, '/');
		*slash = '\0';
		mkdir(c->dir, 0777);
		*slash = '/';
		mkdir(c->dir, 0777);
	}
	if (perf_buf_printf(&tmp, "%s.tmp-%ld", c->path, (long)getpid()))
		goto out;
	fd = open(tmp.ptr, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0)
		goto out;
	v = merge(c, keep_unused, &n);
	ok = v && write_file(fd, v, n) == 0;
	if (close(fd) || !ok || rename(tmp.ptr, c->path))
		unlink(tmp.ptr);
	free(v);
	remove_stale(c->dir, c->path);
	retire(c->dir);
out:
	perf_buf_release(&tmp);
}

void perf_cache_keep_unused(struct perf_cache *c)
{
	c->keep_unused = true;
}

void perf_cache_free(struct perf_cache *c)
{
	if (!c)
		return;
	while (c->blocks) {
		struct block *b = c->blocks;
		c->blocks = b->next;
		free(b);
	}
	if (c->map)
		munmap((void *)c->map, c->size);
	free(c->used);
	free(c->add);
	free(c->slots);
	free(c->dir);
	free(c->path);
	free(c);
}
