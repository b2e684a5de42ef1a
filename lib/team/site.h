/*
 * A static HTML site of the team's record, for perf site: an overview page,
 * a page per person (expectations and their agreement, goals with their
 * progress over time, check-in streaks, mood trend, and every thread:
 * check-ins, feedback, praise, notes, with their replies) and a page per
 * cycle of inquiry.
 *
 * Each page is one self-contained HTML file: inline CSS, charts as inline
 * SVG, no script and no external resource, and a Content-Security-Policy
 * that forbids loading any.  Bodies are Markdown rendered by cmark in safe
 * mode: raw HTML is omitted, dangerous link schemes dropped, and images
 * become links (a page never fetches anything).  Every other string from
 * the repository is escaped.  A sealed (private) body is never shown: the
 * page names its readers instead.  Task items show as tasks (a box, ticked
 * when done; a note's as the actions they are), and dates and times as
 * people read them, in <time datetime> elements.
 *
 * Everything reads from HEAD, and a page is a function of the repository
 * alone: "today" is the date of HEAD's commit, never the clock, so the same
 * repository always gives byte-identical pages.
 *
 * Ownership: page text handed to the callback is borrowed for the call.
 * Nothing here prints or reads the environment.
 */
#ifndef PERF_SITE_H
#define PERF_SITE_H

#include <stddef.h>

#include "buf.h"
#include "error.h"
#include "repo.h"

struct perf_site_opts {
	const char *cycle;  /* only this cycle: its page, and the record within its span; NULL: everything */
	const char *person; /* only this person; NULL: everyone in people/ */
};

/* Called once per page, in order: people/<handle>.html, cycles/<id>.html, index.html.
 * A nonzero return stops the build and is returned (with err, if the callback filled it). */
typedef int (*perf_site_page_fn)(const char *path, const char *html, size_t len, void *payload, struct perf_error *err);

/* Builds every page.  PERF_ENOTFOUND for an unknown cycle or person, or a
 * repository without commits. */
int perf_site_build(struct perf_repo *repo, const struct perf_site_opts *opts, perf_site_page_fn fn, void *payload,
                    struct perf_error *err);

/* Appends s escaped for HTML text and attribute values. */
int perf_site_escape(struct perf_buf *out, const char *s);

/* Appends md[0..len) as HTML rendered by cmark in safe mode (images as
 * links, task items as boxes); a body over PERF_RENDER_MAX is shown as
 * escaped preformatted text. */
int perf_site_markdown(struct perf_buf *out, const char *md, size_t len);

#endif
