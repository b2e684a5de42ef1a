/*
 * A person's record laid against their agreed expectations, for perf
 * growth and perf packet: the areas their expectations name, and over a
 * span the goals, check-in learnings, feedback answers and praise, each
 * linked to an area when it says so (`area:`, a goal's `supports`, or a
 * goal the check-in moved) or, when its words speak of one, with that area
 * as a suggestion only.
 *
 * Private answers are read only for a reader: an answer sealed to others
 * is left out altogether, never shown, counted or linked.
 *
 * A struct perf_growth is the caller's, filled by perf_growth_load and
 * released with perf_growth_release (which accepts one that failed half
 * way).  Everything in it is its own.
 */
#ifndef PERF_GROWTH_H
#define PERF_GROWTH_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "areas.h"
#include "error.h"
#include "report.h"
#include "repo.h"
#include "schema.h"
#include "strv.h"

enum perf_growth_what {
	PERF_GROWTH_GOAL,
	PERF_GROWTH_LEARNING,
	PERF_GROWTH_ANSWER,
	PERF_GROWTH_PRAISE,
};

/* Support promised to a goal, and whether it was given. */
struct perf_growth_support {
	char who[PERF_HANDLE_MAX + 1];
	char *what;
	char given[11]; /* "" until given */
};

/* One item of work a check-in carries (its `work` list). */
struct perf_growth_work {
	char *repo, *commit, *subject;
};

struct perf_growth_item {
	enum perf_growth_what what;
	char path[PERF_SCHEMA_PATH_MAX + 1];
	char date[11];
	char who[PERF_HANDLE_MAX + 1]; /* who wrote it: the person, an answer's author, praise's giver */
	char *title; /* goal: title; learning: week; answer: the request's about; praise: value or NULL */
	char *text;  /* goal: NULL; learning, answer, praise: the words (trimmed) */
	int area;    /* the area it is linked to (index in areas), -1 when none */
	int suggest; /* when not linked: an area its words speak of, -1 when none */
	char via[PERF_HANDLE_MAX + 1]; /* a learning linked through a goal its check-in moved: the goal's slug */
	char commit[41];               /* the newest commit that wrote it, "" when unknown */
	bool distrusted;               /* set by the caller: a commit the team's rules refuse wrote it */
	/* Goals. */
	char slug[PERF_HANDLE_MAX + 1], status[8], due[11];
	long start, end; /* progress at the span's start (-1: none yet) and end */
	bool closed_in_span;
	struct perf_growth_support *support;
	size_t nsupport;
	/* Answers: the request; private (read because the maker is among its readers). */
	char request[PERF_HANDLE_MAX + 1];
	bool private_;
	/* Learnings: the check-in's work, and its goals' progress. */
	struct perf_growth_work *work;
	size_t nwork;
};

/* One step of the expectations' history: a commit that wrote them. */
struct perf_growth_step {
	char commit[41];
	char date[11];
	char *who, *words;
};

/* A request of the span that speaks to an area, and who has not answered it yet. */
struct perf_growth_request {
	char id[PERF_HANDLE_MAX + 1];
	char created[11];
	int area;
	struct perf_strv waiting;
};

struct perf_growth {
	char handle[PERF_HANDLE_MAX + 1];
	char viewer[PERF_HANDLE_MAX + 1];
	struct perf_span span;
	bool has_expectations;
	char lead[PERF_HANDLE_MAX + 1];
	char *role;
	struct perf_areas areas;
	struct perf_strv agreed_who, agreed_at; /* agreements to the current version */
	struct perf_growth_step *history;       /* PERF_GROWTH_HISTORY: newest first */
	size_t nhistory;
	struct perf_growth_item *items; /* goals, learnings, answers, praise, each by date */
	size_t nitems;
	/* PERF_GROWTH_HISTORY: people who replied to the person's documents, supported
	 * their goals or had the person's support, each once, most often first. */
	struct perf_strv voices;
	/* Requests created in the span that name an area (or a goal that serves one) and wait for answers. */
	struct perf_growth_request *requests;
	size_t nrequests;
};

/* Also read the expectations' history, commits behind items and the people around. */
#define PERF_GROWTH_HISTORY 0x1u

/*
 * Who may lay out handle's record: themselves, or their lead (people/
 * handle.md `lead`).  PERF_EPERM otherwise, naming whom to ask.
 */
int perf_growth_may(struct perf_repo *repo, const char *viewer, const char *handle, struct perf_error *err);
/* Who acts and whose record they lay out: *viewer gets the acting
 * person's handle (PERF_ENOTFOUND when they have not joined), *whose
 * handle, or the viewer when handle is NULL; then perf_growth_may. */
int perf_growth_whose(struct perf_repo *repo, const char *handle, const char **viewer, const char **whose,
                      struct perf_error *err);
/* Fills out for handle over span, as viewer reads it (private answers). */
int perf_growth_load(struct perf_growth *out, struct perf_repo *repo, const char *handle, const char *viewer,
                     const struct perf_span *span, unsigned flags, struct perf_error *err);
void perf_growth_release(struct perf_growth *g);
/* A span from since (default: six months before its end) to until
 * (default: the day of now), dates YYYY-MM-DD. */
void perf_growth_span(struct perf_span *out, time_t now, const char *since, const char *until);
/* The word for an item's kind: "goal", "learning", "answer", "praise". */
const char *perf_growth_what_name(enum perf_growth_what what);
/* How many items (of kind what, or any when what < 0) are linked to area i. */
size_t perf_growth_count(const struct perf_growth *g, int i, int what);
/* Whether area i heard an outside voice in the span: an answer or praise linked to it. */
bool perf_growth_voiced(const struct perf_growth *g, int i);

#endif
