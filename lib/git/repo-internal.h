/*
 * The inside of struct perf_repo, for lib/ alone: commands use the
 * accessors in repo.h.  Include it after repo.h.  Ownership is repo.h's.
 */
#ifndef PERF_REPO_INTERNAL_H
#define PERF_REPO_INTERNAL_H

#ifndef PERF_REPO_H
#error "include repo.h before repo-internal.h"
/* perf_repo_list, with each entry's object id (for reading blobs by id). */
typedef int (*perf_repo_list_id_fn)(const char *name, bool is_dir, const git_oid *id, void *payload);
int perf_repo_list_ids(struct perf_repo *repo, const char *dir, perf_repo_list_id_fn fn, void *payload,
                       struct perf_error *err);

#endif

#include <git2.h>
#include <stdbool.h>

struct perf_repo {
	git_repository *git;
	char *workdir; /* absolute, ends with '/' */
	enum perf_repo_source source;
	struct perf_identity who;
	bool who_loaded;
	perf_repo_guard_fn guard;
	void *guard_payload;
	perf_notice_fn notice; /* see perf_repo_set_notice */
	void *notice_payload;
};

/* A perf_repo around g, a repository with a work tree at a folder the
 * caller named (PERF_FOUND_OPTION).  Takes g, even when it fails. */
int perf_repo_adopt(struct perf_repo **out, git_repository *g, struct perf_error *err);

/* perf_repo_list, with each entry's object id (for reading blobs by id). */
typedef int (*perf_repo_list_id_fn)(const char *name, bool is_dir, const git_oid *id, void *payload);
int perf_repo_list_ids(struct perf_repo *repo, const char *dir, perf_repo_list_id_fn fn, void *payload,
                       struct perf_error *err);

#endif
