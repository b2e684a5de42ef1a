/*
 * Reports across the team's record, for perf export, summary, share and
 * evidence: documents as data (JSON with the schema's types, CSV), and
 * what a span of time holds for one person (goals and their progress,
 * check-ins, moods, feedback, praise, actions, expectations).
 *
 * Everything reads from HEAD.  Structures filled here are the caller's
 * and released with their *_release function.
 */
#ifndef PERF_REPORT_H
#define PERF_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "doc.h"
#include "error.h"
#include "repo.h"
#include "schema.h"
#include "store.h"

/* Writes a node as JSON: scalars as strings, except integers and booleans
 * where field (may be NULL) says so; sequences as arrays, maps as objects. */
void perf_report_node_json(FILE *f, const struct perf_node *node, const struct perf_schema_field *field);
/* A document's front matter as a JSON object, typed by kind. */
void perf_report_fields_json(FILE *f, const struct perf_schema_kind *kind, const struct perf_node *root);
/* One CSV field, quoted as RFC 4180 says when needed (NULL is empty). */
void perf_report_csv_field(FILE *f, const char *s);

/* Calls fn for every document in HEAD's tree that perf keeps (paths that
 * perf_schema_match_path accepts), parsed; documents that cannot be read or
 * parsed go to warn (may be NULL) and are skipped.  Both get payload. */
typedef int (*perf_report_doc_fn)(const char *path, const struct perf_schema_match *m, const struct perf_doc *doc,
                                  void *payload);
int perf_report_walk(struct perf_repo *repo, perf_report_doc_fn fn, perf_notice_fn warn, void *payload,
                     struct perf_error *err);

/* A span of dates, inclusive, YYYY-MM-DD. */
struct perf_span {
	char since[11], until[11];
	char cycle[PERF_HANDLE_MAX + 1]; /* the cycle it came from, or "" */
};
/* Parses YYYY-MM-DD into days since the epoch; -1 when invalid. */
long perf_report_days(const char *date);
/* The first day (YYYY-MM-DD) of an ISO week, "" when invalid (out[11]). */
void perf_report_week_day(const char *week, char out[11]);
/* Whether the date (first 10 characters of a date or time) is in the span. */
bool perf_report_in_span(const struct perf_span *s, const char *date_or_time);

/* One recorded progress of a goal: a check-in's goals[] entry or the goal file. */
struct perf_progress {
	char date[11]; /* when it was recorded */
	char week[9];  /* the check-in's week, "" for the goal file */
	long progress;
};

/* Support promised to a goal (its supporters), read with PERF_REPORT_SUPPORT. */
struct perf_report_support {
	char who[PERF_HANDLE_MAX + 1];
	char *what;
	char given[11]; /* "" until given */
};

struct perf_report_goal {
	char slug[PERF_HANDLE_MAX + 1];
	char *title;
	char status[8];
	char closed[21];
	char created[21];
	char due[11];
	long progress; /* the goal file's, -1 when none */
	struct perf_progress *hist;
	size_t nhist;
	/* PERF_REPORT_SUPPORT; else empty and NULL. */
	struct perf_report_support *support;
	size_t nsupport;
	char *support_text; /* the free text of older goals (support:) */
};

struct perf_report_checkin {
	char week[9];
	char date[11];        /* when it was written (created), else Monday of the week */
	long mood;            /* -1 when none */
	char *learned;        /* the Learned section, NULL when empty (or without PERF_REPORT_BODIES) */
	struct perf_doc *doc; /* PERF_REPORT_BODIES; else NULL */
};

/* A person's goals (with progress history from every check-in) and check-ins
 * (perf_report_team_person). */
struct perf_report_person {
	char handle[PERF_HANDLE_MAX + 1];
	struct perf_report_goal *goals;
	size_t ngoals;
	struct perf_report_checkin *checkins; /* by week */
	size_t ncheckins;
};
void perf_report_person_release(struct perf_report_person *p);
/* A goal's progress as last recorded on or before date (YYYY-MM-DD); -1 when none.
 * before: strictly before date. */
long perf_report_progress_at(const struct perf_report_goal *g, const char *date, bool before);

/* The people of the team (handles, sorted), or the members of a group. */
int perf_report_people(struct perf_repo *repo, const char *group, struct perf_strv *out, struct perf_error *err);

/* Praise received by a person (praise/<handle>/), by time. */
struct perf_report_praise {
	char from[PERF_HANDLE_MAX + 1];
	char at[21];
	char *value; /* NULL when none */
	char *text;  /* the body, trimmed (PERF_REPORT_BODIES; else NULL) */
};
/* A feedback request of a person and the answers to it (replies by others). */
struct perf_report_answer {
	char author[PERF_HANDLE_MAX + 1];
	char at[21];
	char *text; /* PERF_REPORT_BODIES; else NULL */
};
struct perf_report_request {
	char id[PERF_HANDLE_MAX + 1];
	char *about;
	char created[21];
	size_t nasked;
	struct perf_report_answer *answers;
	size_t nanswers;
};
/* An action a person owns, from every note: when it first appeared, its latest state. */
struct perf_report_action {
	char id[2 * PERF_HANDLE_MAX + 2]; /* <whose notes>/<id> */
	char *text;
	char due[11];
	bool done;
	char opened[11]; /* date of the first note holding it */
	char latest[11]; /* date of the latest note holding it (when done: taken as when it was closed) */
	char note[PERF_SCHEMA_PATH_MAX + 1];
};
struct perf_report_record {
	struct perf_report_praise *praise;
	size_t npraise;
	struct perf_report_request *requests;
	size_t nrequests;
	struct perf_report_action *actions;
	size_t nactions;
	bool has_expectations, expectations_agreed;
	char lead[PERF_HANDLE_MAX + 1]; /* the expectations' lead */
};
/* Praise, feedback requests with answers, actions owned and expectations of
 * a person (perf_report_team_record). */
void perf_report_record_release(struct perf_report_record *r);

/*
 * The one loader of reports: the team at HEAD.  HEAD's tree is walked once,
 * and what reports need from each document's front matter comes from the
 * cache in .git/perf/cache (perf-format(5), CACHE); only documents the cache
 * has not seen are read and parsed.  A team is the caller's
 * (perf_report_team_free).
 *
 * A person is a team of one: with a handle, only what that person's reports
 * read is walked (their goals, check-ins, praise, feedback and expectations,
 * and everyone's notes for the actions they own), and the answers for them
 * are those the whole team gives.  Without, the whole team (perf summary,
 * share, site).
 *
 * perf_report_team_person and perf_report_team_record fill a person's
 * structures from the front matter alone unless flags holds
 * PERF_REPORT_BODIES: then the documents whose bodies reports show are read
 * whole too (check-ins' doc and learned text, praise's and answers' text);
 * without it those are NULL.
 */
#define PERF_REPORT_BODIES 0x1u
/* Goals' support too (perf_report_goal's support): their documents are read whole. */
#define PERF_REPORT_SUPPORT 0x2u
/* A goal's support as a JSON array of {who, what, given (a date or null)}. */
void perf_report_support_json(FILE *f, const struct perf_report_goal *g);
struct perf_report_team;
int perf_report_team_load(struct perf_repo *repo, const char *handle, struct perf_report_team **out,
                          struct perf_error *err);
int perf_report_team_person(struct perf_report_team *t, const char *handle, unsigned flags,
                            struct perf_report_person *out, struct perf_error *err);
int perf_report_team_record(struct perf_report_team *t, const char *handle, unsigned flags,
                            struct perf_report_record *out, struct perf_error *err);
void perf_report_team_free(struct perf_report_team *t);

/* Whether any day of an ISO week (YYYY-Www) falls in the span. */
bool perf_report_week_in_span(const struct perf_span *s, const char *week);
/* The span of cycles/<id>.md (from, until, cycle); PERF_ENOTFOUND when there is no such cycle. */
int perf_report_cycle_span(struct perf_repo *repo, const char *id, struct perf_span *out, struct perf_error *err);

/* A goal alive during a span (created by its end, not closed before it):
 * progress at its start and end; closed is "done"/"dropped" when it was
 * closed within the span, else NULL. */
struct perf_report_goal_sum {
	const struct perf_report_goal *g; /* borrowed from the summary's person */
	long start, end;
	const char *closed;
};

/* What a span holds for one person: perf summary's figures. */
struct perf_report_sum {
	char handle[PERF_HANDLE_MAX + 1];
	struct perf_report_person p;
	struct perf_report_record r;
	struct perf_report_goal_sum *goals;
	size_t ngoals;
	size_t checkins, streak; /* check-ins whose week touches the span; the longest run of consecutive weeks */
	size_t asked, answered;  /* feedback requests created in the span; answers to them */
	size_t praise;
	size_t opened, closed, overdue; /* actions; overdue as of the span's end, or today when earlier */
};
/* Fills out for handle over span from team (the whole team or handle's team
 * of one); today is YYYY-MM-DD; flags as for perf_report_team_person.
 * Release out even on failure. */
int perf_report_summarise(struct perf_report_team *team, const struct perf_span *span, const char *today,
                          const char *handle, unsigned flags, struct perf_report_sum *out, struct perf_error *err);
void perf_report_sum_release(struct perf_report_sum *s);

/* Trims blank lines and blanks at both ends of text, in place. */
char *perf_report_trim(char *text);

#endif
