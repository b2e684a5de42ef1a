/*
 * The areas of a person's expectations: each strength and each area for
 * development their expectations name, and the short key (a slug) by
 * which goals, praise, feedback requests and answers point at one with
 * `area:`.  perf-format(5), AREAS, says how a body names them.
 *
 * A struct perf_areas is the caller's, released with perf_areas_release;
 * the names it holds are its own copies.
 */
#ifndef PERF_AREAS_H
#define PERF_AREAS_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "repo.h"
#include "value.h"

struct perf_area {
	char key[PERF_HANDLE_MAX + 1]; /* the slug of the name, made unique with -2, -3... */
	char *name;                    /* the item's title, as written */
	char *text;                    /* the whole item (title and what follows), one line */
	bool development;              /* under "Areas for development"; else a strength */
};

struct perf_areas {
	struct perf_area *v;
	size_t n;
};

/* The areas a body of expectations names, in its order.  0 or PERF_ENOMEM. */
int perf_areas_parse(struct perf_areas *out, const char *body, size_t len, struct perf_error *err);
/* The areas of handle's expectations at HEAD (txn NULL) or in txn;
 * PERF_ENOTFOUND when they have no expectations. */
int perf_areas_load(struct perf_areas *out, struct perf_repo *repo, struct perf_txn *txn, const char *handle,
                    struct perf_error *err);
void perf_areas_release(struct perf_areas *a);
/* The area word names: its key, its name (whatever the case and
 * punctuation: their slugs match), or an unambiguous prefix of a key.
 * NULL when none or several (then err says which, and lists the keys). */
const struct perf_area *perf_areas_find(const struct perf_areas *a, const char *word, const char *handle,
                                        struct perf_error *err);
/* The key of the area of handle's expectations (in txn, or HEAD) that word
 * names, as perf_areas_find finds it, into out. */
int perf_areas_key(struct perf_repo *repo, struct perf_txn *txn, const char *handle, const char *word,
                   char out[PERF_HANDLE_MAX + 1], struct perf_error *err);
/* The index of the area whose key is key, or -1. */
int perf_areas_index(const struct perf_areas *a, const char *key);
/* Whether text speaks of the area by its words: the name itself, or most of
 * its longer words (five letters or more), whatever the case.  A
 * suggestion, never a link. */
bool perf_areas_mentions(const struct perf_area *area, const char *text);

#endif
