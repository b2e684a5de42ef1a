/*
 * One document checked as `perf check` checks it: its place in the layout,
 * its front matter, its fields against its kind and its path, and what it
 * refers to.  `perf check` applies it to every file of a tree; the push
 * verifier to each document a commit changes.
 *
 * Ownership: nothing here keeps a pointer past the call.  The bytes, the
 * environment and the group list are the caller's; perf_validate_groups
 * appends copies to the caller's list (perf_strv_release).  Problems go to
 * the caller's report callback, whose message is valid only during the call.
 */
#ifndef PERF_VALIDATE_H
#define PERF_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>

#include "doc.h"
#include "schema.h" /* perf_schema_report_fn */
#include "strv.h"

/*
 * What a document is checked against besides itself: the tree it is in.
 * With no exists (or no env), references to other documents and people are
 * not checked.
 */
struct perf_validate_env {
	/* Whether a document (regular file) exists at a repository-relative path in the tree being checked. */
	bool (*exists)(void *payload, const char *path);
	void *payload;
	/*
	 * Group names from .perf/config.yaml `groups[].name`, or NULL when
	 * unknown (then people's `group` is not checked).
	 */
	const struct perf_strv *groups;
};

/*
 * Checks the bytes of the file at path as `perf check` does: that it fits its
 * folder's layout, parses, says the kind its place says, its fields against its
 * kind and against what the path repeats (handle, week, author, ...), and the
 * documents and people it refers to (through env->exists).  Every problem goes to
 * report(payload, path, line, col, message) (line/col 0 when there is none).
 * Returns the number of problems; a path outside perf's folders is not a document: 0.
 */
size_t perf_validate_doc(const char *path, const char *buf, size_t len, const struct perf_validate_env *env,
                         perf_schema_report_fn report, void *payload);

/* Whether path is a document's (inside perf's folders), so perf_validate_doc checks it. */
bool perf_validate_is_doc(const char *path);

/* The group names of a parsed .perf/config.yaml, appended to out. 0 or PERF_ENOMEM. */
int perf_validate_groups(const struct perf_doc *config, struct perf_strv *out);

/*
 * Whether a parsed .perf/config.yaml has a `groups:` list, even an empty one.
 * `perf check` checks people's `group` only then: pass env->groups = NULL
 * when this is false (or there is no config), so a team without groups
 * may still write `group:` without a problem.
 */
bool perf_validate_has_groups(const struct perf_doc *config);

#endif
