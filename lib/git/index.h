/*
 * git's index file, updated in place for a few paths without reading it
 * into a data structure: perf finds each path's entry by binary search over
 * the entries' offsets, splices the changed entries, drops the cache
 * extensions the change makes stale (git rebuilds them), and writes the
 * result under git's own index.lock, so plain git sees an ordinary index.
 * A commit of one file therefore costs one read, one hash and one write of
 * the file, not a parse of 100,000 entries.
 *
 * Versions 2 and 3 are handled; any other (4's compressed paths) returns
 * PERF_ENOTFOUND so the caller can fall back to libgit2's index.
 * A struct perf_index holds the lock from perf_index_lock until
 * perf_index_commit or perf_index_rollback; both release everything.
 */
#ifndef PERF_INDEX_H
#define PERF_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "error.h"

struct perf_index {
	char *path, *lockpath;
	int lockfd;
	unsigned char *data; /* the whole file */
	size_t len;
	uint32_t version, n;
	uint32_t *off;      /* offsets of the n entries */
	size_t entries_end; /* where the extensions start */
};

struct perf_index_entry {
	uint32_t mtime_s, mtime_ns, size, ino, mode;
	unsigned char oid[20];
};

struct perf_index_change {
	const char *path;
	bool remove;
	struct stat st; /* of the file written (not for a removal) */
	unsigned char oid[20];
	uint32_t mode;
};

/* Takes .git/index.lock (waiting up to wait_ms for a running git) and reads
 * the index. PERF_ELOCKED names the lock file when it stays. */
int perf_index_lock(struct perf_index *ix, const char *gitdir, long wait_ms, struct perf_error *err);
/* The stage-0 entry for path; false when there is none. */
bool perf_index_lookup(const struct perf_index *ix, const char *path, struct perf_index_entry *out);
/* Writes the index with the changes applied and releases the lock. */
int perf_index_commit(struct perf_index *ix, const struct perf_index_change *changes, size_t n, struct perf_error *err);
/* Releases the lock and everything, writing nothing. NULL-safe, idempotent. */
void perf_index_rollback(struct perf_index *ix);

#endif
