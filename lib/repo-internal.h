/*
 * The inside of struct perf_repo, for lib/ alone: commands use the
 * accessors in repo.h.  Include it after repo.h.  Ownership is repo.h's.
 */
#ifndef PERF_REPO_INTERNAL_H
#define PERF_REPO_INTERNAL_H

#ifndef PERF_REPO_H
#error "include repo.h before repo-internal.h"
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

#endif
