/*
 * Members are admitted.  A person who joins writes their own check-ins,
 * goals and requests at once; they count for agreement quorums, maintainer
 * rules and rights on others' documents once their lead or a maintainer
 * has admitted them (people/<handle>.md `admitted_by`, written by
 * perf admit).  Maintainers count without it, and in a team with no
 * maintainers everyone counts: there is nobody to admit them.
 *
 * lib/verify holds the same rule for every commit; this is the reading of
 * it for commands and reports.
 *
 * Someone who left (people/<handle>.md `left`) keeps their file and their
 * record, but no longer counts and is asked nothing: they are in `left`
 * only.
 */
#ifndef PERF_ADMISSION_H
#define PERF_ADMISSION_H

#include "error.h"
#include "repo.h"
#include "store.h"

struct perf_admission {
	struct perf_strv counted; /* handles that count, sorted */
	struct perf_strv waiting; /* handles waiting to be admitted, sorted */
	struct perf_strv leads;   /* waiting.v[i]'s lead ("" when none) */
	struct perf_strv left;    /* handles of people who left, sorted */
};

/* The team as txn (NULL: HEAD) has it. */
int perf_admission_load(struct perf_admission *out, struct perf_repo *repo, struct perf_txn *txn,
                        struct perf_error *err);
void perf_admission_release(struct perf_admission *a);
bool perf_admission_counts(const struct perf_admission *a, const char *handle);
bool perf_admission_left(const struct perf_admission *a, const char *handle);

#endif
