/*
 * Who may write what: the commits a push (or a fetch) brings, checked
 * against the team's rules, so a shared server can refuse what does not
 * belong and every clone can refuse to follow it.
 *
 * The rules (perf-verify(1) and perf-format(5) say the same for people):
 *
 * - One judge.  A commit is judged by the team of its first parent's tree;
 *   unless that parent descends from the anchor (the pushed ref's old tip,
 *   the tip a clone last verified), the team at the anchor judges it too,
 *   and both must allow it: a right, key or membership revoked at the
 *   anchor stays revoked, whatever older commit the pusher builds on.
 * - A commit with no parent is refused once there is an anchor; a whole
 *   history (no anchor) may have one root, the one its first parents lead
 *   to, and that root founds the team.
 * - A merge is checked wherever its tree differs from its first parent:
 *   the result must be perf's own merge of that path (lib/merge, from the
 *   merge base), or a change its author could have made in a commit of
 *   their own.
 * - Every document added or changed (outside what a merge took as is) is a
 *   regular 100644 blob of at most PERF_DOC_MAX_FILE bytes (read from the
 *   object's header, never inflated first) that passes perf check's
 *   validation (lib/validate).
 * - Reference updates only grow history: no deleted branches or tags, no
 *   non-fast-forward branch updates, no moved tags.
 *
 * The team (people, keys, maintainers, config) is read once per distinct
 * people/ tree and config blob, and each people file once per blob, so the
 * cost of a push grows with what it brings, not with commits times people.
 *
 * Violations are reported through the caller's callback as (commit, path,
 * reason); the library prints nothing.  A struct perf_verify is the
 * caller's (perf_verify_free, NULL-safe); the repository is borrowed.
 */
#ifndef PERF_VERIFY_H
#define PERF_VERIFY_H

#include "gittypes.h"
#include <stdbool.h>

#include "buf.h"
#include "error.h"
#include "store.h"

struct perf_repo;

typedef void (*perf_verify_report_fn)(void *payload, const git_oid *commit, const char *path, const char *reason);

struct perf_verify;

int perf_verify_new(struct perf_verify **out, git_repository *repo, perf_verify_report_fn report, void *payload,
                    struct perf_error *err);
void perf_verify_free(struct perf_verify *v);

/*
 * A reference update as a pre-receive hook sees it (old or new zero for a
 * creation or a deletion): the update itself must only grow history, and
 * every commit it brings that no existing reference reaches is checked,
 * judged with the anchor old (for a new reference: the repository's HEAD).
 */
int perf_verify_update(struct perf_verify *v, const char *refname, const git_oid *old, const git_oid *new,
                       struct perf_error *err);

/*
 * The commits reachable from `to` and from none of hide[0..nhide), judged
 * with anchor (NULL: none; then the commits form a whole history whose
 * root founds the team).
 */
int perf_verify_commits(struct perf_verify *v, const git_oid *anchor, const git_oid *hide, size_t nhide,
                        const git_oid *to, struct perf_error *err);

/*
 * A write's own check (a perf_repo_guard_fn): the commit about to become the
 * tip, judged as a push of it onto parent would be, signatures aside (the
 * writer's git signs, or does not, after this).  PERF_EPERM with the first
 * violation when the team's rules refuse it.
 */
int perf_verify_guard(git_repository *repo, const git_oid *parent, const git_oid *commit, void *payload,
                      struct perf_error *err);

/*
 * Whether the adoption a norm at path records holds: the commit that made
 * it adopted, found in HEAD's history, passes the team's rules (moves it
 * from proposed with the agreements the rule as it stood before needs, and
 * changes the program as the norm says).  *ok false and why say otherwise.
 */
int perf_verify_adoption(struct perf_repo *repo, const char *path, bool *ok, char *why, size_t whysz,
                         struct perf_error *err);

/*
 * What this clone verified, outside the tracked tree: .git/perf/verified
 * keeps one "<key> <id>" line per key: the last tip of each remote-tracking
 * branch perf sync or perf clone verified (a remote that drops it later was
 * rewound, and is not followed), and under "HEAD" the last local commit
 * the history up to which passed the team's rules.
 */
bool perf_verify_mark_get(git_repository *repo, const char *key, git_oid *out);
int perf_verify_mark_set(git_repository *repo, const char *key, const git_oid *id, struct perf_error *err);

/*
 * The local history checked before perf reads it as the team's record:
 * the commits HEAD has since the last mark (all of them the first time),
 * by every rule, signatures included.  When none breaks a rule, HEAD is
 * marked; otherwise out says which commits did and which paths they
 * wrote, for readers to be told.
 */
struct perf_verify_head {
	size_t checked;         /* commits checked */
	size_t violations;      /* rules broken */
	struct perf_strv lines; /* "<commit> <author email> <path>: <reason>", the first few */
	struct perf_strv paths; /* paths the refused commits wrote, sorted */
};

int perf_verify_head(struct perf_repo *repo, struct perf_verify_head *out, struct perf_error *err);
void perf_verify_head_release(struct perf_verify_head *h);

/* Commits checked and violations found so far. */
size_t perf_verify_checked(const struct perf_verify *v);
size_t perf_verify_violations(const struct perf_verify *v);

/*
 * For commands, which name commits by revision and show them as text.
 * perf_verify_open is perf_verify_new on a struct perf_repo (borrowed),
 * reporting each commit as its 40 hex digits.
 */
typedef void (*perf_verify_hex_fn)(void *payload, const char *commit, const char *path, const char *reason);
int perf_verify_open(struct perf_verify **out, struct perf_repo *repo, perf_verify_hex_fn report, void *payload,
                     struct perf_error *err);
/* The history to revision `to`, or with from the commits from..to judged
 * with from as anchor.  PERF_ENOTFOUND when one is not a revision. */
int perf_verify_revs(struct perf_verify *v, const char *from, const char *to, struct perf_error *err);
/* perf_verify_update with the ids as hex, as a pre-receive hook reads
 * them; a line whose ids are not 40 hex digits is passed over (0). */
int perf_verify_update_hex(struct perf_verify *v, const char *refname, const char *old, const char *new,
                           struct perf_error *err);
/* The allowed-signers file built from people/ at rev (see perf_sign_allowed_signers). */
int perf_verify_allowed_signers(struct perf_repo *repo, const char *rev, struct perf_buf *out, size_t *skipped,
                                struct perf_error *err);
/* Whether the team at HEAD requires signed commits (false when there is no team yet). */
bool perf_verify_team_signs(struct perf_repo *repo);
/* Sets git's own guards for what a hook refuses too (receive.denyNonFastForwards,
 * receive.denyDeletes, receive.fsckObjects) in repo's git config. */
int perf_verify_harden(struct perf_repo *repo, struct perf_error *err);

#endif
