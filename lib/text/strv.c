#include "strv.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"

int perf_strv_push(struct perf_strv *sv, const char *s)
{
	if (sv->n == sv->cap) {
		size_t cap = sv->cap ? sv->cap * 2 : 8;
		char **v = realloc(sv->v, cap * sizeof(*v));
		if (!v)
			return PERF_ENOMEM;
		sv->v = v;
		sv->cap = cap;
	}
	if (!(sv->v[sv->n] = strdup(s)))
		return PERF_ENOMEM;
	sv->n++;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void perf_strv_sort(struct perf_strv *sv)
{
	if (sv->n > 1)
		qsort(sv->v, sv->n, sizeof(*sv->v), cmp_str);
}

bool perf_strv_has(const struct perf_strv *sv, const char *s)
{
	for (size_t i = 0; i < sv->n; i++)
		if (!strcmp(sv->v[i], s))
			return true;
	return false;
}

void perf_strv_release(struct perf_strv *sv)
{
	for (size_t i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	sv->v = NULL;
	sv->n = sv->cap = 0;
}

size_t perf_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), prev[64], cur[64];

	if (la >= 63 || lb >= 63)
		return 99;
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
			size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
			cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
		}
		memcpy(prev, cur, (lb + 1) * sizeof(size_t));
	}
	return prev[lb];
}

bool perf_edit_near(const char *word, size_t d)
{
	return d <= 2 || d * 3 <= strlen(word);
}

size_t perf_strv_closest(const struct perf_strv *sv, const char *word, const char **best)
{
	size_t least = 99;

	*best = NULL;
	for (size_t i = 0; sv && i < sv->n; i++) {
		size_t d = perf_edit_distance(word, sv->v[i]), n = strlen(word);
		/* Names are typed by prefix: a typo in one is near its start too. */
		if (d > 0 && n >= 3 && n < 63 && strlen(sv->v[i]) > n) {
			char start[64];
			memcpy(start, sv->v[i], n);
			start[n] = '\0';
			size_t ds = perf_edit_distance(word, start);
			if (ds < d && ds * 3 <= n)
				d = ds;
		}
		if (d < least && perf_edit_near(word, d)) {
			least = d;
			*best = sv->v[i];
		}
	}
	return least;
}
