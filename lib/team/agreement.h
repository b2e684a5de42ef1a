/*
 * Agreements: {who, at, version} entries in a kind's agreement field
 * (expectations, norms), where version is perf_schema_version of the
 * document as agreed; and the program changes a norm carries, applied to
 * .perf/config.yaml and .perf/templates/ when the norm is adopted.
 *
 * Documents are the caller's and edited in place; lists (struct
 * perf_strv) are the caller's to release.
 */
#ifndef PERF_AGREEMENT_H
#define PERF_AGREEMENT_H

#include "doc.h"
#include "error.h"
#include "repo.h"
#include "schema.h"
#include "store.h"

/* Records who's agreement at `at` to the current version (written into
 * version): replaces who's entry for an older version, else appends one.
 * PERF_EEXISTS when who already agreed to this version. */
int perf_agreement_record(struct perf_doc *doc, const struct perf_schema_kind *kind, const char *who, const char *at,
                          char version[PERF_SCHEMA_VERSION_LEN + 1], struct perf_error *err);
/* The agreements that count (to `version`), each person once: who[i] at at[i]. */
int perf_agreement_current(const struct perf_doc *doc, const struct perf_schema_kind *kind, const char *version,
                           struct perf_strv *who, struct perf_strv *at, struct perf_error *err);

/* Checks one program change before it is proposed: key is cadences.checkin,
 * cadences.share, agreement, team, signing_required or templates.<kind>. */
int perf_program_check(const char *key, const char *value, struct perf_error *err);
/* Applies a norm's `changes` to the program in txn, validating the result;
 * appends the keys applied to `applied`. */
int perf_program_apply(struct perf_txn *txn, const struct perf_doc *norm, struct perf_strv *applied,
                       struct perf_error *err);

#endif
