/*
 * The people of the team as a git tree has them, and who an email belongs
 * to: the one place that maps a commit's or a git identity's email to a
 * handle.
 *
 * A person is a file people/<handle>.md whose name is a handle (see
 * perf_value_is_handle), no larger than a document may be, that parses.
 * Other files under people/ are nobody.  Emails match whatever their case.
 * Works on a git tree (HEAD's, a commit's) rather than a struct perf_repo,
 * so that the repository layer can ask it who is acting.
 *
 * Documents handed to a perf_people_fn are borrowed for the call.  A
 * struct perf_people is the caller's, released with perf_people_release.
 */
#ifndef PERF_PEOPLE_H
#define PERF_PEOPLE_H

#include "gittypes.h"
#include <stdbool.h>

#include "doc.h"
#include "error.h"
#include "strv.h"
#include "value.h"

/* Calls fn for each person in tree (which may be NULL: nobody), in tree
 * order.  fn returns non-zero to stop, and perf_people_each returns that
 * value; otherwise 0, or PERF_EGIT when people/ cannot be read. */
typedef int (*perf_people_fn)(const char *handle, const struct perf_doc *doc, void *payload);
int perf_people_each(git_repository *g, git_tree *tree, perf_people_fn fn, void *payload, struct perf_error *err);

/* The handle of the person in tree whose email is email, into out ("" when
 * nobody's).  When several share it, the one whose handle is the email's
 * local part, else the first in tree order. */
int perf_people_handle_of(git_repository *g, git_tree *tree, const char *email, char out[PERF_HANDLE_MAX + 1],
                          struct perf_error *err);

/* Every person's email, read once, for many look-ups (commit authors). */
struct perf_people {
	struct perf_strv emails, handles;
};
#define PERF_PEOPLE_INIT                                                                                               \
	{                                                                                                              \
		PERF_STRV_INIT, PERF_STRV_INIT                                                                         \
	}
int perf_people_load(struct perf_people *out, git_repository *g, git_tree *tree, struct perf_error *err);
/* As perf_people_handle_of, from what perf_people_load read; NULL when nobody's. */
const char *perf_people_handle(const struct perf_people *p, const char *email);
void perf_people_release(struct perf_people *p);

#endif
