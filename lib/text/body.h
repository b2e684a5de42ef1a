/*
 * Markdown bodies made of "## Heading" sections, as the templates write
 * them: find a section's text, replace it, tell whether a body says
 * anything beyond its template (headings and HTML-comment prompts).
 * Functions write into the caller's struct perf_buf.
 */
#ifndef PERF_BODY_H
#define PERF_BODY_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

/* The text of section `heading` (case-insensitive), without HTML comments
 * and surrounding blank lines, appended to out; false when absent or empty. */
bool perf_body_section(const char *body, size_t len, const char *heading, struct perf_buf *out);
/* Replaces the text of section `heading` with text (appending the section
 * when absent), keeping every other byte of the body. */
int perf_body_set_section(struct perf_buf *body, const char *heading, const char *text);
/* True when the body has words outside headings and HTML comments. */
bool perf_body_has_words(const char *body, size_t len);

#endif
