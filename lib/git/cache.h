/*
 * The local cache of what perf has already read from the object database:
 * .git/perf/cache/fm-v3 (perf-format(5), CACHE).  It maps an object id and a
 * type byte to bytes: the raw content of trees (PERF_CACHE_TREE), and what
 * reports need from a document's front matter (a type per kind, chosen by
 * the caller).  perf log keeps what it needs of commits in another file of
 * the same layout, log-v2 (lib/history.c).  Object ids name contents, so an entry never goes stale: when
 * HEAD moves, by perf or by plain git, new objects are simply missing and
 * get added.
 *
 * Reading never fails for want of a cache: a missing file, one of another
 * version, a truncated or damaged one (its checksum tells) reads as empty
 * and is replaced on save.  Saving writes a new file beside the old one and
 * renames it into place, so a reader sees the old file or the new one, never
 * part of one; two processes saving at once both succeed and the last rename
 * wins.  A cache that cannot be written (read-only repository, full disk) is
 * silently not written.
 *
 * Ownership: bytes returned by perf_cache_get and perf_cache_put belong to
 * the cache and stay valid until perf_cache_free.  Not thread-safe.
 */
#ifndef PERF_CACHE_H
#define PERF_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "repo.h"

#define PERF_CACHE_VERSION 3
#define PERF_CACHE_NAME    "fm-v3"
/* Type byte of a tree's raw content; documents use 1..254. */
#define PERF_CACHE_TREE 0

struct perf_cache;

/* Opens the cache of repo (never fails but for lack of memory: PERF_ENOMEM). */
int perf_cache_open(struct perf_cache **out, struct perf_repo *repo, struct perf_error *err);
/* The same for another file of .git/perf/cache with this layout (name: a file name, no slash). */
int perf_cache_open_named(struct perf_cache **out, struct perf_repo *repo, const char *name, struct perf_error *err);
/* The bytes stored for (id, type), or NULL; marks the entry as in use. */
const unsigned char *perf_cache_get(struct perf_cache *c, const git_oid *id, unsigned type, size_t *len);
/* Adds an entry (copied); returns the cache's copy, NULL when out of memory. */
const unsigned char *perf_cache_put(struct perf_cache *c, const git_oid *id, unsigned type, const void *data,
                                    size_t len);
/* Writes the cache back when it gained entries, keeping unused ones unless
 * they outnumber the ones in use.  Failures are ignored: the cache is an aid. */
void perf_cache_save(struct perf_cache *c);
/* Says that this run reads only part of what the cache may hold (one
 * person's documents, say): perf_cache_save then keeps every entry, used or
 * not, so that a small report does not prune what a whole-team one cached. */
void perf_cache_keep_unused(struct perf_cache *c);
void perf_cache_free(struct perf_cache *c);

/* Little-endian numbers, as the file and the entries' bytes keep them. */
static inline uint32_t perf_le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t perf_le64(const unsigned char *p)
{
	return (uint64_t)perf_le32(p) | (uint64_t)perf_le32(p + 4) << 32;
}

static inline void perf_put_le32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

static inline void perf_put_le64(unsigned char *p, uint64_t v)
{
	perf_put_le32(p, (uint32_t)v);
	perf_put_le32(p + 4, (uint32_t)(v >> 32));
}

/* Entries found, added (for tests and benchmarks). */
void perf_cache_stats(const struct perf_cache *c, size_t *hits, size_t *added);

#endif
