/*
 * A growable list of owned strings.
 *
 * The list owns its strings and its array; perf_strv_release frees them and
 * leaves an empty list that can be reused.  perf_strv_push copies the string
 * and returns 0 or PERF_ENOMEM.
 */
#ifndef PERF_STRV_H
#define PERF_STRV_H

#include <stdbool.h>
#include <stddef.h>

struct perf_strv {
	char **v;
	size_t n, cap;
};
#define PERF_STRV_INIT                                                                                                 \
	{                                                                                                              \
		NULL, 0, 0                                                                                             \
	}
int perf_strv_push(struct perf_strv *sv, const char *s);
void perf_strv_sort(struct perf_strv *sv);
bool perf_strv_has(const struct perf_strv *sv, const char *s);
void perf_strv_release(struct perf_strv *sv);

/* The Levenshtein distance between a and b (99 when either is 63 bytes or
 * longer: too long to be a mistyped name). */
size_t perf_edit_distance(const char *a, const char *b);
/* Whether a word at distance d from a name is near enough to be a typo of
 * it: at most 2 edits, or at most a third of the word. */
bool perf_edit_near(const char *word, size_t d);
/* The smallest distance from word to a string of sv (99 when none is near),
 * and the first such string in *best (NULL when none is near). */
size_t perf_strv_closest(const struct perf_strv *sv, const char *word, const char **best);

#endif
