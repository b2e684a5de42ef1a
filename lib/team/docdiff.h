/*
 * The difference between two texts of one document (lib/team/docdiff.c).
 *
 * Ownership: a struct perf_doc_diff owns its path, fields and body;
 * perf_doc_diff_release frees them.
 */
#ifndef PERF_DOCDIFF_H
#define PERF_DOCDIFF_H

#include <stddef.h>

#include "error.h"

/* One changed field: old or new is NULL when absent. */
struct perf_field_change {
	char *field;
	char *old, *new;
};

struct perf_doc_diff {
	char *path;
	char status; /* 'A' added, 'D' deleted, 'M' modified */
	struct perf_field_change *fields;
	size_t nfields;
	char *body; /* a unified diff of the body, "" when unchanged */
};

/* Field-by-field difference of two texts of one document (either may be NULL: added, deleted). */
int perf_docdiff_texts(const char *path, const char *old, size_t olen, const char *new, size_t nlen,
                       struct perf_doc_diff *out, struct perf_error *err);
void perf_doc_diff_release(struct perf_doc_diff *dd);

#endif
