/*
 * Checking a repository's documents: which files are documents, where
 * their bytes come from (the tree committed at HEAD, or the working tree)
 * and every problem perf_validate_doc finds in them.  What a document says
 * is lib/validate's; this part finds the files and reads them, in several
 * threads when there are many.
 *
 * A struct perf_check borrows its struct perf_repo (which must outlive it)
 * and owns its entries and problems; perf_check_free releases them (NULL is
 * fine).  Problems are borrowed from the check and live as long as it.
 */
#ifndef PERF_CHECK_H
#define PERF_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "repo.h"

struct perf_check;

/* One problem: the document's repository-relative path, where in it (1-based), and what is wrong. */
struct perf_check_problem {
	const char *path;
	size_t line, col;
	size_t seq; /* the order it was found in, which breaks ties when sorting */
	char *msg;
};

/* Starts a check of repo's documents: in its working tree when worktree is
 * set (which needs one), else in the tree committed at HEAD. */
int perf_check_new(struct perf_check **out, struct perf_repo *repo, bool worktree, struct perf_error *err);
void perf_check_free(struct perf_check *c);

/*
 * Adds a path named on the command line, relative to base (the current
 * folder when NULL): a document, or a folder whose documents are all added.
 * Paths outside the repository or inside .git are refused (PERF_EINVALID);
 * PERF_ENOMEM when memory runs out.  A check with paths reads the working
 * tree.
 */
int perf_check_add_path(struct perf_check *c, const char *base, const char *arg, struct perf_error *err);
/* Adds every document: of HEAD's tree (none before the first commit), or of the working tree. */
int perf_check_add_all(struct perf_check *c, struct perf_error *err);

/* Checks what was added.  Only PERF_ENOMEM fails it: what the documents
 * break is in the problems. */
int perf_check_run(struct perf_check *c, struct perf_error *err);

/* After perf_check_run: the problems, sorted by path, line and column. */
size_t perf_check_nproblems(const struct perf_check *c);
const struct perf_check_problem *perf_check_problem(const struct perf_check *c, size_t i);
/* The documents checked, and how many of them have a problem. */
size_t perf_check_checked(const struct perf_check *c);
size_t perf_check_files(const struct perf_check *c);

#endif
