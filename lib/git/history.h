/*
 * History in words: commits read through their perf trailers, the history
 * of one document (and its thread), and semantic differences between two
 * versions of a document.
 *
 * Entries and changes own their strings; the _release functions free them.
 */
#ifndef PERF_HISTORY_H
#define PERF_HISTORY_H

#include "gittypes.h"
#include <stdbool.h>
#include <time.h>

#include "buf.h"
#include "docdiff.h"
#include "error.h"
#include "repo.h"

struct perf_log_entry {
	char id[PERF_OID_HEX + 1];
	time_t when;
	char *author; /* a handle when people/ knows the email, else the name */
	char *kind;   /* Perf-Kind, or "" */
	char *path;   /* Perf-Path, or "" */
	char *words;  /* what happened, for people */
	char *subject;
};

struct perf_log {
	struct perf_log_entry *v;
	size_t n, cap;
};

struct perf_log_opts {
	const char *path;   /* the history of this document and its thread; NULL: everything */
	time_t since;       /* 0: no limit */
	const char *author; /* a handle; NULL: anyone */
	size_t max;         /* 0: no limit */
};

int perf_history_log(struct perf_repo *repo, const struct perf_log_opts *opts, struct perf_log *out,
                     struct perf_error *err);
void perf_log_release(struct perf_log *log);

struct perf_diff {
	struct perf_doc_diff *v;
	size_t n, cap;
};

/*
 * The semantic difference between two trees (old may be NULL) or, when
 * new_tree is NULL, between old and the work tree.  Restricted to `path`
 * and its thread when path is non-NULL.
 */
int perf_history_diff(struct perf_repo *repo, git_tree *old_tree, git_tree *new_tree, const char *path,
                      struct perf_diff *out, struct perf_error *err);
/* As perf_history_diff, between the trees of the revisions old_rev and
 * new_rev (NULL: the work tree).  PERF_ENOTFOUND when one is not a revision. */
int perf_history_diff_revs(struct perf_repo *repo, const char *old_rev, const char *new_rev, const char *path,
                           struct perf_diff *out, struct perf_error *err);
void perf_diff_release(struct perf_diff *d);

#endif
