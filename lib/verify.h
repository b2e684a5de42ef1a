/*
 * Who may write what: every commit in a range checked against the team's
 * permission rules (.perf/config.yaml as it was before the commit, each
 * kind's rule from lib/schema), so a shared server can refuse what does
 * not belong.  Violations are reported through the caller's callback as
 * (commit, path, reason); the count is returned through *violations.
 */
#ifndef PERF_VERIFY_H
#define PERF_VERIFY_H

#include <git2.h>

#include "error.h"

typedef void (*perf_verify_report_fn)(void *payload, const git_oid *commit, const char *path, const char *reason);

/*
 * Checks the commits reachable from `to` and not from `from` (from may be
 * NULL or zero: every commit reachable from `to` that no other reference
 * of the repository reaches, as a pre-receive hook wants; with
 * all_history, every commit reachable from `to`).
 */
int perf_verify_range(git_repository *repo, const git_oid *from, const git_oid *to, int all_history,
                      perf_verify_report_fn report, void *payload, size_t *checked, size_t *violations,
                      struct perf_error *err);

#endif
