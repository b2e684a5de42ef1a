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

#endif
