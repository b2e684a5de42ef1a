/*
 * Rendering Markdown bodies for a terminal, with cmark.
 *
 * perf_render_markdown parses a body (never front matter: the caller passes
 * what perf_doc_body returns) and appends it to the caller's buffer as
 * wrapped plain text: headings, bullets and numbers for lists, quotes
 * prefixed with "> ", code indented, links as "text <url>".  With colour,
 * headings are bold (and underlined for levels 1 and 2), emphasis italic,
 * strong bold and code coloured, using ANSI escapes; without colour the
 * Markdown markers stay (`## Heading`, `*emphasis*`, `**strong**`,
 * `` `code` ``).  HTML comments, which templates use for prompts, are
 * dropped; raw HTML is never passed through (tags are dropped, an HTML
 * block shows as "[raw HTML omitted]").  Control characters in the text
 * (escape sequences a file could use to drive a terminal) are shown in
 * caret notation (^[), so only the escapes this renderer writes reach the
 * terminal.
 *
 * Ownership: the caller owns the buffer; nothing else is allocated beyond
 * the call.  Nothing here prints or reads the environment.
 */
#ifndef PERF_RENDER_H
#define PERF_RENDER_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "doc.h"
#include "error.h"

/* The largest body rendered: cmark 0.30 has inputs that take quadratic time
 * (64 KiB of `![[]()` takes a third of a second, 256 KiB several seconds),
 * and people write far less than this by hand. */
#define PERF_RENDER_MAX (64 * 1024)

struct perf_render_opts {
	unsigned width;  /* wrap lines at this many columns, indent included (0: 80; at least 20) */
	unsigned indent; /* spaces before every non-empty line */
	bool color;      /* ANSI styles */
};

/*
 * Appends md[0..len) rendered for a terminal to out: every line ends with a
 * newline; an empty or comment-only body appends nothing.  PERF_EINVALID
 * (and nothing appended) when len exceeds PERF_RENDER_MAX; PERF_ENOMEM.
 */
int perf_render_markdown(struct perf_buf *out, const char *md, size_t len, const struct perf_render_opts *opts,
                         struct perf_error *err);

/*
 * Appends text[0..len) as it is, line by line, safe for a terminal: control
 * characters in caret notation, tabs expanded, invalid UTF-8 as U+FFFD, each
 * non-empty line indented by opts->indent, a final newline added when
 * missing.  Not wrapped.  For what is not Markdown or too large to render.
 */
int perf_render_plain(struct perf_buf *out, const char *text, size_t len, const struct perf_render_opts *opts,
                      struct perf_error *err);

/*
 * Appends the front matter of doc as aligned `key: value` lines, in the
 * file's order, indented by opts->indent: lists of scalars joined with
 * commas, lists of mappings one `- key: value, ...` line per item, text of
 * several lines continued under its first line.  The field named skip (may
 * be NULL) is left out.  Values are made safe as by perf_render_safe.
 */
int perf_render_fields(struct perf_buf *out, const struct perf_doc *doc, const char *skip,
                       const struct perf_render_opts *opts, struct perf_error *err);

/* Appends text[0..len) on one line, safe for a terminal: control characters
 * in caret notation, tabs and newlines as spaces, invalid UTF-8 as U+FFFD. */
int perf_render_safe(struct perf_buf *out, const char *text, size_t len);

/* Columns text[0..len) takes on a terminal: ANSI escapes take none, wide
 * (East Asian, emoji) characters two, combining marks none. */
size_t perf_render_width(const char *text, size_t len);

#endif
