/*
 * A person's own work, gathered from their own repositories for a span of
 * time (a check-in's week): the commits they authored, the merges they
 * made and the tags they made, one line each, deduplicated across clones
 * and rebases.  perf checkin offers the lines; the person keeps what they
 * choose.
 *
 * What is theirs: a commit or merge whose author email is one of theirs
 * (any case), authored within [since, until); an annotated tag whose
 * tagger email is theirs, tagged within the span; a lightweight tag that
 * points at one of their commits of the span (it adds "(tag NAME)" to
 * that commit's line).  A merge is a commit with more than one parent.
 *
 * The same change is listed once: commits are the same when their ids
 * are (clones), or their patch ids are (rebases, cherry-picks: git
 * patch-id --stable); merges when their subject and tree are; commits
 * that change nothing when their subject and author time are.  The first
 * seen is kept: repositories in the order of the patterns, then newest
 * commit first.
 *
 * Each repository's history is walked newest commit first (committer
 * time) from its branches, remote-tracking branches, tags and HEAD,
 * reading only the commits it gives and their parents, and the walk stops at the first commit committed more than
 * PERF_WORK_MARGIN seconds before since: rebasing, amending and
 * cherry-picking keep the author time and move the committer time later,
 * so a commit authored in the span was committed in it or after; the
 * margin allows for clocks that disagree between machines.
 *
 * Patterns are folders or globs (glob(3), with "~" for HOME: the only
 * environment read here).  A folder named outright that is not a readable
 * repository, and a glob that matches nothing, are passed to the notice
 * function and skipped; a folder a glob matches that is not a repository
 * is skipped quietly, and so is the folder the query says to skip.  Only a
 * lack of memory fails.
 *
 * A struct perf_work is the caller's (perf_work_free, NULL-safe); its
 * items and strings live as long as it.
 */
#ifndef PERF_WORK_H
#define PERF_WORK_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "error.h"

/* How long before the span a walk goes on (see above): one day. */
#define PERF_WORK_MARGIN 86400

/* Hex digits of a full id (SHA-1), and of the short id shown on a line. */
#define PERF_WORK_ID_LEN    40
#define PERF_WORK_SHORT_LEN 12

enum perf_work_what {
	PERF_WORK_COMMIT,
	PERF_WORK_MERGE,
	PERF_WORK_TAG, /* annotated tags; id is the tag object's */
};

struct perf_work_item {
	enum perf_work_what what;
	char *repo;    /* the repository's name: its folder's, without ".git" */
	char *path;    /* the repository's folder, as the pattern found it */
	char *subject; /* one line, never empty */
	char id[PERF_WORK_ID_LEN + 1];
	char short_id[PERF_WORK_SHORT_LEN + 1];
	time_t when; /* author time (tagger time for a tag) */
};

/* A repository with work in the span, and how many items it has. */
struct perf_work_repo {
	char *name;
	size_t count;
};

struct perf_work {
	/* Grouped by repository (in the order repos lists them), oldest first within each. */
	struct perf_work_item *items;
	size_t n;
	struct perf_work_repo *repos;
	size_t nrepos;
	size_t nread; /* repositories read, with work or without */
};

struct perf_work_query {
	const char *const *patterns; /* perf.work's values */
	size_t npatterns;
	const char *const *emails; /* every email of the person */
	size_t nemails;
	time_t since, until;   /* [since, until) */
	const char *skip;      /* a folder never read (the team's repository), or NULL */
	perf_notice_fn notice; /* may be NULL */
	void *payload;
};

/* Gathers the work; 0, or PERF_ENOMEM (nothing in *out). */
int perf_work_gather(struct perf_work **out, const struct perf_work_query *q, struct perf_error *err);
/* The item of repository repo whose id starts with id (at least 7 hex digits), or NULL. */
const struct perf_work_item *perf_work_find(const struct perf_work *w, const char *repo, const char *id);
void perf_work_free(struct perf_work *w);

#endif
