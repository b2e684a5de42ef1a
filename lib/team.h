/*
 * What is due across the team: the state of one person's practice (latest
 * check-in, open and overdue actions, feedback waiting for them, agreements
 * waiting for them, replies they have not seen), read from the committed
 * tree, folder by folder, never the whole repository.
 *
 * A struct perf_due owns its items; perf_due_release frees them.
 */
#ifndef PERF_TEAM_H
#define PERF_TEAM_H

#include <stdbool.h>
#include <time.h>

#include "actions.h"
#include "error.h"
#include "repo.h"
#include "store.h"

enum perf_due_kind {
	PERF_DUE_CHECKIN,  /* this period's check-in is not written */
	PERF_DUE_FEEDBACK, /* a feedback request waits for an answer */
	PERF_DUE_ACTION,   /* an action is due within a week, or overdue */
	PERF_DUE_AGREE,    /* expectations or a norm wait for agreement */
	PERF_DUE_REPLY,    /* a reply to one of your documents you have not seen */
	PERF_DUE_ADMIT,    /* someone who joined waits for you (their lead, or a maintainer) to admit them */
	PERF_DUE_SUPPORT,  /* support you promised to someone's goal, not yet given */
};

struct perf_due_item {
	enum perf_due_kind kind;
	char *text; /* what, for people */
	char *hint; /* the command that deals with it */
	char *path; /* the document */
	char due[11];
	bool overdue;
};

struct perf_due {
	struct perf_due_item *v;
	size_t n, cap;
	/* The person's practice at a glance (for --team and groups). */
	char latest_week[9];
	char latest_mood[4];
	size_t open_actions, overdue_actions;
	bool checked_in; /* this period's check-in exists */
};

/* Everything due for `who` at time now. Reads .git/perf/seen for replies. */
int perf_team_due(struct perf_repo *repo, const char *who, time_t now, bool with_replies, struct perf_due *out,
                  struct perf_error *err);
void perf_due_release(struct perf_due *d);

/* The people whose people/<h>.md names `lead` as lead, sorted. */
int perf_team_reports(struct perf_repo *repo, const char *lead, struct perf_strv *out, struct perf_error *err);

/* Replies seen: `perf show` marks a thread seen up to a time; kept in
 * .git/perf/seen (local, never committed). */
int perf_team_mark_seen(struct perf_repo *repo, const char *path, time_t t, struct perf_error *err);

#endif
