/*
 * The team's own documents: those of the kinds with PERF_KIND_TEAM (a
 * retro), which belong to nobody in particular and are dated.  perf share
 * lists those of its month and the site's team page all of them; both
 * read them here, and word them from the schema (a field's `about`), so a
 * new team kind needs nothing but its schema entry to be shown.
 *
 * Ownership: a struct perf_teamdocs owns its documents; release frees
 * them and leaves an empty list.
 */
#ifndef PERF_TEAMDOCS_H
#define PERF_TEAMDOCS_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "doc.h"
#include "error.h"
#include "repo.h"
#include "schema.h"

struct perf_teamdoc {
	const struct perf_schema_kind *kind;
	char path[PERF_SCHEMA_PATH_MAX + 1];
	char date[11]; /* YYYY-MM-DD, from its path */
	struct perf_doc *doc;
};

struct perf_teamdocs {
	struct perf_teamdoc *v;
	size_t n, cap;
};

#define PERF_TEAMDOCS_INIT                                                                                             \
	{                                                                                                              \
		NULL, 0, 0                                                                                             \
	}

/*
 * Reads from HEAD every team document dated from `from` to `until`
 * (YYYY-MM-DD, both included; NULL: no bound), oldest first.  Documents
 * that do not parse are left out (perf check names them).  0, or
 * PERF_ENOMEM / PERF_EGIT.
 */
int perf_teamdocs_load(struct perf_repo *repo, const char *from, const char *until, struct perf_teamdocs *out,
                       struct perf_error *err);
void perf_teamdocs_release(struct perf_teamdocs *docs);

/* The document's title for people: "Retro 2026-12-04", and its title field after ": " when it has one. */
int perf_teamdoc_title(struct perf_buf *out, const struct perf_teamdoc *d);

/*
 * Calls item once per line of the document's front matter for people, in
 * the schema's order: for each list field, its heading (the field's about,
 * with a capital, and a colon; item's text NULL) and then its items; a list
 * of actions as task items ("[ ] @bo fix the flaky test, by 2026-12-20").
 * Scalars other than the title are left out (they are in the title or
 * are bookkeeping).  Returns the first non-zero value item returns.
 */
typedef int (*perf_teamdoc_line_fn)(void *payload, const char *heading, const char *text);
int perf_teamdoc_lines(const struct perf_teamdoc *d, perf_teamdoc_line_fn line, void *payload);

/* An action of a team document, as perf_teamdoc_items passes it (borrowed for the call). */
struct perf_teamdoc_task {
	const char *owner, *text;
	const char *due; /* YYYY-MM-DD as written, or NULL */
	bool done;
};

/*
 * As perf_teamdoc_lines, for a page that shows actions as tasks: an
 * action's line comes with task set (and text as perf_teamdoc_lines words
 * it); any other line with task NULL.
 */
typedef int (*perf_teamdoc_item_fn)(void *payload, const char *heading, const char *text,
                                    const struct perf_teamdoc_task *task);
int perf_teamdoc_items(const struct perf_teamdoc *d, perf_teamdoc_item_fn item, void *payload);

#endif
