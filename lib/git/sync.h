/*
 * Sync with a shared remote: clone, fetch, merge (field by field, through
 * lib/merge), push; the system ssh as transport; git's credential helpers
 * for HTTPS.
 *
 * The library never prints: progress and notes go through the caller's
 * callback.  Results are plain structs the caller releases with
 * perf_sync_result_release.  A sync that meets a true clash creates no
 * merge commit and pushes nothing: it records the clash (both values) in
 * .git/perf/sync-merge and returns PERF_ECONFLICT; perf_sync_resolve
 * records choices; the next sync completes the merge.
 *
 * Environment read here: GIT_SSH_COMMAND, GIT_SSH (the ssh program), PATH.
 */
#ifndef PERF_SYNC_H
#define PERF_SYNC_H

#include "gittypes.h"
#include <stdbool.h>

#include "buf.h"
#include "error.h"
#include "repo.h"
#include "strv.h"

typedef void (*perf_sync_progress_fn)(void *payload, const char *line, bool final);

struct perf_sync_opts {
	const char *remote; /* default: perf.remote from git config, else origin */
	bool push;          /* push after merging (default true) */
	bool progress;      /* report transfer progress through progress_fn */
	perf_sync_progress_fn progress_fn;
	void *payload;
	int max_attempts; /* fetch-merge-push rounds when the remote moves (default 5) */
	/* Commits to drop before syncing (perf sync --drop): revisions naming
	 * commits of ours the remote does not hold yet.  See perf_sync. */
	const char *const *drop;
	size_t ndrop;
};

struct perf_sync_clash {
	char *path;
	char *field;
	char *base, *ours, *theirs; /* NULL when absent on that side */
	char *choice;               /* "ours", "theirs" or "value" once resolved */
	char *value;                /* the value chosen with "value" */
};

/* A commit the remote brought that breaks the team's rules (lib/verify). */
struct perf_sync_refusal {
	char commit[PERF_OID_HEX + 1];
	char *author; /* "Name <email>" as the commit says */
	char *path;   /* "-" for the whole commit */
	char *reason;
};

/* One of our commits the remote does not hold yet. */
struct perf_sync_commit {
	char commit[PERF_OID_HEX + 1];
	char *subject;
	struct perf_strv paths; /* what it changed from its first parent */
	char *saved;            /* dropped: the folder its text was saved in */
	bool named;             /* the server's words name it */
};

struct perf_sync_result {
	size_t fetched;    /* commits new to us */
	size_t pushed;     /* commits new to the remote */
	bool fast_forward; /* we only moved forward */
	bool merged;       /* a merge commit was made */
	bool up_to_date;   /* nothing to fetch */
	size_t changed_paths;
	struct perf_sync_clash *clashes;
	size_t nclashes;
	char *remote_reason; /* the server's reason when a push was refused */
	/* What the remote brought and perf refused to merge (PERF_EPERM). */
	struct perf_sync_refusal *refused;
	size_t nrefused;
	bool refused_ours; /* the refused commits are ours, not pushed (else: theirs, not merged) */
	/* When the server refused the push: the commits it names, or, when it
	 * names none of ours, every commit of ours it was sent (merges aside). */
	struct perf_sync_commit *blamed;
	size_t nblamed;
	/* What opts->drop took away, and how many later commits were replayed. */
	struct perf_sync_commit *dropped;
	size_t ndropped;
	size_t replayed;
};

/* Registers the ssh transport that runs the system ssh (when one is on
 * PATH) and the merge driver. Call once before any network operation. */
int perf_sync_init(struct perf_error *err);

/* Clones url into dir and prepares it for perf (merge driver config naming
 * perf_path, as for perf_sync_install_driver).  The whole history is
 * checked with the rules of lib/verify before anything is checked out;
 * when it breaks them, dir is removed again and PERF_EPERM returned with
 * result->refused filled (result may be NULL: then only the error). */
int perf_sync_clone(struct perf_repo **out, const char *url, const char *dir, const char *perf_path,
                    const struct perf_sync_opts *opts, struct perf_sync_result *result, struct perf_error *err);

/* Fetches, merges and pushes. PERF_ECONFLICT with result->clashes filled
 * when a field changed on both sides; nothing is committed or pushed then.
 * What the remote brings is checked first with the rules of lib/verify,
 * judged by the remote tip this clone last verified (kept in
 * .git/perf/verified): commits that break them are not merged
 * (PERF_EPERM, result->refused filled), and a remote branch that no longer
 * holds that tip (rewound) is not followed (PERF_EPERM). */
int perf_sync(struct perf_repo *repo, const struct perf_sync_opts *opts, struct perf_sync_result *result,
              struct perf_error *err);
/*
 * With opts->drop, perf_sync first fetches and checks what the remote
 * brings, then takes the named commits away: what each changed is saved
 * under .git/perf/saved/drop-<commit>/ (the files as it left them,
 * changes.patch, commit.txt), never committed; our other commits the remote
 * lacks are replayed, in order and with their authors, onto the remote's
 * tip (merges are not: the remote's side is the new base); HEAD and the
 * work tree move there; then the sync goes on as usual.  A named commit
 * the remote already holds is refused (PERF_EINVALID), and a later commit
 * that no longer applies stops everything before HEAD moves
 * (PERF_ECONFLICT, naming it).
 */

/* Writes the perf merge driver into the repository's git config, running
 * the perf at perf_path (NULL: "perf" from PATH). */
int perf_sync_install_driver(struct perf_repo *repo, const char *perf_path, struct perf_error *err);

/* The clashes waiting to be settled (empty when none). */
int perf_sync_pending(struct perf_repo *repo, struct perf_sync_result *result, struct perf_error *err);
/* Settles one clash (field NULL: every clash of the file) with "ours",
 * "theirs" or "value" (then value is the YAML value to write). */
int perf_sync_resolve(struct perf_repo *repo, const char *path, const char *field, const char *choice,
                      const char *value, struct perf_error *err);
/* Lays out a clash (field or body) as git's diff3 conflict style does:
 * "<<<<<<< ours", "||||||| base", "=======", ">>>>>>> theirs", the lines
 * both sides share outside the markers; appended to out. */
int perf_sync_clash_text(const struct perf_sync_clash *c, struct perf_buf *out, struct perf_error *err);
/* Checks what settling path's field ("body" for the body) with value
 * would make of our side (HEAD): the value written as the "value" choice
 * writes it, the document checked against its kind and path.  0, or
 * PERF_EINVALID naming the first problem. */
int perf_sync_check_value(struct perf_repo *repo, const char *path, const char *field, const char *value,
                          struct perf_error *err);
/* Forgets a pending merge (keeps our side; theirs stays on the remote). */
int perf_sync_abort(struct perf_repo *repo, struct perf_error *err);

void perf_sync_result_release(struct perf_sync_result *r);

#endif
