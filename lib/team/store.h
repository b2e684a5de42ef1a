/*
 * The store: where documents live, resolving what people type (TARGET) to a
 * document, loading and parsing documents, threads of replies, people.
 *
 * Everything reads through a transaction (struct perf_txn, from repo.h) or
 * from HEAD (struct perf_repo), never from the work tree, so what a command
 * reads is what is committed.  Documents returned are owned by the caller
 * (perf_doc_free).  Lists (struct perf_strv) are owned by the caller
 * (perf_strv_release).
 */
#ifndef PERF_STORE_H
#define PERF_STORE_H

#include <stdbool.h>

#include "doc.h"
#include "error.h"
#include "repo.h"
#include "schema.h"
#include "strv.h"

/* A resolved document: its path and what the path says. */
struct perf_target {
	char path[PERF_SCHEMA_PATH_MAX + 1];
	struct perf_schema_match match;
};

/*
 * Resolves TARGET as people type it, relative to `me` (the acting person's
 * handle; may be NULL):
 *   a path, with or without .md:   checkins/alice/2026-W47.md
 *   KIND:[HANDLE/]NAME short forms: goal:ship-search, goal:alice/ship,
 *     checkin:2026-W47, checkin:alice/2026-W47, expect:alice (expect: for
 *     yourself), note:alice/2026-11-20, feedback:alice/fb-3k9x, praise:...,
 *     cycle:q4, norm:no-meeting-fridays, person:alice
 *   HANDLE/WEEK (a check-in), WEEK (your check-in), HANDLE/SLUG (a goal).
 * Names match by unambiguous prefix.  The document must exist in the tree
 * the transaction (or HEAD, when txn is NULL) sees.  PERF_ENOTFOUND says
 * what was looked for; PERF_EAMBIGUOUS lists the candidates.
 */
int perf_store_resolve(struct perf_repo *repo, struct perf_txn *txn, const char *target, const char *me,
                       struct perf_target *out, struct perf_error *err);

/* Reads and parses a document (any kind, config included) from the
 * transaction's tree, or from HEAD when txn is NULL.  *kind_out (optional)
 * gets its kind. */
int perf_store_load(struct perf_repo *repo, struct perf_txn *txn, const char *path, struct perf_doc **out,
                    const struct perf_schema_kind **kind_out, struct perf_error *err);

/* Validates doc against its kind and path; on problems returns
 * PERF_EINVALID with the first problem as "path:line:col: message". */
int perf_store_check(const struct perf_schema_kind *kind, const struct perf_doc *doc, const char *path,
                     struct perf_error *err);

/* Validates and stages doc at path in txn. */
int perf_store_put(struct perf_txn *txn, const struct perf_schema_kind *kind, const struct perf_doc *doc,
                   const char *path, struct perf_error *err);

/* The replies to path, oldest first (their paths). */
int perf_store_thread(struct perf_repo *repo, struct perf_txn *txn, const char *path, struct perf_strv *out,
                      struct perf_error *err);

/* A free path for a new reply by author to path at time t: the stamp moves
 * on a second at a time while taken.  out must hold PERF_SCHEMA_PATH_MAX+1. */
int perf_store_reply_path(struct perf_txn *txn, const char *path, const char *author, time_t t, char *out,
                          struct perf_error *err);

/* Names (without .md) of the documents in a folder, sorted. */
int perf_store_list(struct perf_repo *repo, struct perf_txn *txn, const char *dir, struct perf_strv *out,
                    struct perf_error *err);

/* The string field of the document at path, copied into out (empty when
 * the document has no such field, cut at size). */
int perf_store_field(struct perf_repo *repo, struct perf_txn *txn, const char *path, const char *field, char *out,
                     size_t size, struct perf_error *err);

/* people/<handle>.md exists. */
bool perf_store_person_exists(struct perf_repo *repo, struct perf_txn *txn, const char *handle);
/* Requires that the person exists: PERF_ENOTFOUND "no person 'x' in the team". */
int perf_store_require_person(struct perf_repo *repo, struct perf_txn *txn, const char *handle, struct perf_error *err);
/* The lead named in people/<handle>.md, copied into out (empty when none). */
int perf_store_lead_of(struct perf_repo *repo, struct perf_txn *txn, const char *handle, char out[PERF_HANDLE_MAX + 1],
                       struct perf_error *err);

/* The body of .perf/templates/<kind>.md, or the built-in template; caller frees. */
int perf_store_template(struct perf_repo *repo, struct perf_txn *txn, const char *kind, char **out,
                        struct perf_error *err);

/* The open cycle of inquiry whose span holds the date today (YYYY-MM-DD),
 * copied into out; empty when none (the latest-starting one when several). */
int perf_store_current_cycle(struct perf_repo *repo, struct perf_txn *txn, const char *today,
                             char out[PERF_HANDLE_MAX + 1], struct perf_error *err);

/* Stamps: 20261123T100000Z for t. */
void perf_store_stamp(time_t t, char out[17]);

#endif
