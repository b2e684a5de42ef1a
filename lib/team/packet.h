/*
 * A review packet: one self-contained document of a person's record over
 * a span, for a review or a job move, made from a struct perf_growth
 * loaded with PERF_GROWTH_HISTORY.  Sections: expectations and their
 * agreement history, goals and how they moved (with the support promised
 * and given), check-in learnings, the work gathered, feedback answers,
 * praise by value and by expectation area, and the areas no outside voice
 * spoke to, with whom to ask.
 *
 * Text from the repository is hostile: Markdown output escapes what
 * Markdown would read as markup, HTML output escapes everything and
 * carries a Content Security Policy that allows no script.  Output is
 * appended to the caller's buffer.
 */
#ifndef PERF_PACKET_H
#define PERF_PACKET_H

#include "buf.h"
#include "error.h"
#include "growth.h"

enum perf_packet_format { PERF_PACKET_MD, PERF_PACKET_HTML };

/* made: the day it is made (YYYY-MM-DD); name: the person's name, or NULL. */
int perf_packet_render(struct perf_buf *out, const struct perf_growth *g, enum perf_packet_format format,
                       const char *name, const char *made, struct perf_error *err);
/* Appends text escaped for Markdown prose: markup characters behind a
 * backslash, control characters dropped, lines after the first indented
 * by indent spaces (to stay inside a list item). */
int perf_packet_md_escape(struct perf_buf *out, const char *text, int indent);
/* The people to ask about area i: the person's voices, those who already
 * spoke to it left out; at most max, into out (borrowed from g). */
size_t perf_packet_ask(const struct perf_growth *g, int i, const char **out, size_t max);

#endif
