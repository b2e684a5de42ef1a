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
	/* A lead's inbox (perf_team_inbox): what their people wait for. */
	PERF_DUE_ASK,    /* a report's check-in asks the lead for something */
	PERF_DUE_STUCK,  /* a report's check-in says they are stuck */
	PERF_DUE_ANSWER, /* a report's check-in the lead has not replied to */
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

/*
 * A lead's inbox: adds to `out` what lead's reports wait for from them:
 * their replies on their own expectations and goals (newer than the lead's
 * last reply in the thread and than what the lead has seen), and for their
 * check-ins of the last two weeks not yet answered by a reply from the
 * lead: asks addressed to the lead, stuck items, and the check-in itself.
 * With only set, for that report alone.
 */
int perf_team_inbox(struct perf_repo *repo, const char *lead, const char *only, time_t now, struct perf_due *out,
                    struct perf_error *err);

/* One goal's movement in a check-in: from the previous check-in's progress. */
struct perf_week_goal {
	char goal[PERF_HANDLE_MAX + 1];
	long from, to;
	bool had_from; /* the previous check-in gave this goal a progress */
};

struct perf_week_reply {
	char *path;
	char author[PERF_HANDLE_MAX + 1];
	char at[21];
	char *body;
};

#define PERF_WEEK_MOODS 4

/* One person's check-in of one week, as a lead reads it (perf week, status --team). */
struct perf_week_entry {
	char person[PERF_HANDLE_MAX + 1];
	char week[9];
	char path[PERF_SCHEMA_PATH_MAX + 1]; /* "" when no check-in that week */
	char mood[4];                        /* "" when not given */
	/* Moods of the last check-ins up to this week, oldest first ("" when one gave none). */
	char moods[PERF_WEEK_MOODS][4];
	size_t nmoods;
	struct perf_week_goal *goals;
	size_t ngoals;
	size_t moved;     /* goals whose progress changed */
	char *body;       /* the check-in's body */
	char *stuck;      /* the Stuck section, NULL when absent or "nothing" */
	char *ask;        /* the Ask section, NULL when absent */
	bool ask_to_lead; /* the ask names @lead, or nobody */
	struct perf_week_reply *replies;
	size_t nreplies;
	bool answered; /* lead replied in the check-in's thread */
};

/* Reads who's check-in of week (YYYY-Www) for lead; a missing check-in is
 * no error (out->path stays ""). */
int perf_team_week_entry(struct perf_repo *repo, const char *who, const char *week, const char *lead,
                         struct perf_week_entry *out, struct perf_error *err);
void perf_week_entry_release(struct perf_week_entry *e);

#endif
