/*
 * Actions written in a note's body as Markdown task items:
 *
 *     - [ ] @bo send the draft, by 2026-12-01
 *     * [x] @ari book the room
 *
 * A task item is a line whose first non-blank characters are a list marker
 * (-, *, + or 1. / 1)), blanks, a box [ ], [x] or [X], then a blank or the
 * end of the line.  Any indentation is accepted, so items nested in lists
 * count.  Lines inside fenced code blocks (``` or ~~~) and inside HTML
 * comments are never items; a comment on an item's line is dropped from its
 * text.  Lines that follow an item, indented deeper than its marker and not
 * blank, not list items, fences or comments, continue its text (editors
 * that wrap long lines).  Items in block quotes are quotes, not actions.
 *
 * What an item says:
 *   owner  the @handle that opens the text (any case; handles are stored in
 *          lowercase).  @mentions later in the text are part of the text.
 *          Without a leading @handle the owner is the caller's default (the
 *          note's person), or, when there is none, the item is a problem.
 *   due    a date at the end: "by 2026-12-01", "due 2026-12-01",
 *          "due: 2026-12-01", "(due 2026-12-01)", "(by ...)", optionally
 *          after a comma, semicolon or dash and before a final period.  The
 *          last "by"/"due" word decides.  When what follows it is not a
 *          date but is plainly meant as one (it starts with a digit;
 *          the word is "due", except "due to" and "due for"; or it is a
 *          day, a month, or a phrase like "next week", "end of day"), the
 *          item is a problem: "'by next tuesday' is not a date (YYYY-MM-DD)".
 *          Otherwise ("stand by the door") it is ordinary text.
 *   text   the rest, with blanks collapsed to one space and control
 *          characters made spaces; an item that says nothing at all
 *          ("- [ ]") is skipped, one that names an owner or a date but no
 *          text is a problem.
 *   done   the box is ticked.
 *
 * Parsing never stops at a problem: each is passed to the caller's report
 * callback with its line (1-based, in the body) and counted; the item with
 * the problem is left out.
 *
 * Across notes (perf_actions_collect): an action is known by the person
 * whose notes hold it and its id, which is unique among that person's
 * notes.  The same action may sit in several notes (open actions are
 * carried forward into the next note with the same people, keeping their
 * ids); the latest note holding it, by file name (date first), says its
 * state, and that is the note `perf action done` changes.
 *
 * Ownership: a struct perf_actions owns its items and their text;
 * perf_actions_release frees them and leaves an empty list.  A struct
 * perf_action_refs owns its entries, their text and their `with`;
 * perf_action_refs_release frees them.
 */
#ifndef PERF_ACTIONS_H
#define PERF_ACTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "error.h"
#include "repo.h"
#include "schema.h"
#include "value.h"

/* Longest id made from an action's text, before a -2, -3 ... suffix. */
#define PERF_ACTION_ID_MAX 24

struct perf_action {
	char id[PERF_HANDLE_MAX + 1];    /* empty until given one (perf_actions_assign_ids) */
	char owner[PERF_HANDLE_MAX + 1]; /* a valid handle */
	char *text;                      /* one non-empty line */
	char due[11];                    /* a valid YYYY-MM-DD date, or "" */
	bool done;
	bool owner_default; /* no @owner was written: the default owner */
	size_t line;        /* 1-based line of the item in the body */
	size_t box;         /* offset in the body of the character between [ and ] */
};

struct perf_actions {
	struct perf_action *v;
	size_t n, cap;
};

#define PERF_ACTIONS_INIT                                                                                              \
	{                                                                                                              \
		NULL, 0, 0                                                                                             \
	}

/* A problem at a line of the body (1-based). */
typedef void (*perf_actions_report_fn)(void *payload, size_t line, const char *message);

/*
 * Appends the task items of body[0..len) to out.  default_owner (may be
 * NULL) owns items without a leading @handle.  Problems go to report (may
 * be NULL) and their number to *problems (may be NULL).  Returns 0, or
 * PERF_ENOMEM (out then holds what was parsed so far).
 */
int perf_actions_parse(struct perf_actions *out, const char *body, size_t len, const char *default_owner,
                       perf_actions_report_fn report, void *payload, size_t *problems, struct perf_error *err);

/*
 * As perf_actions_parse, but the first problem is an error,
 * PERF_EINVALID "name:line: message" with line counted from first_line
 * (the line of the body's first line in its file).
 */
int perf_actions_parse_strict(struct perf_actions *out, const char *body, size_t len, const char *default_owner,
                              const char *name, size_t first_line, struct perf_error *err);

/* Adds one action (text copied); for actions that come from elsewhere
 * (front matter).  0 or PERF_ENOMEM. */
int perf_actions_add(struct perf_actions *list, const struct perf_action *a, struct perf_error *err);

void perf_actions_release(struct perf_actions *list);

/* Whether an id is in use; for perf_actions_assign_ids. */
typedef bool (*perf_actions_taken_fn)(void *payload, const char *id);

/*
 * Gives every action whose id is empty an id: the slug of its text, cut at
 * a '-' to at most PERF_ACTION_ID_MAX characters ("action" when the text
 * has no ASCII letters or digits), then -2, -3 ... while taken(payload, id)
 * says it is used or an action of the list already has it.  taken may be
 * NULL.  PERF_EEXISTS when no suffix up to -999 is free.
 */
int perf_actions_assign_ids(struct perf_actions *list, perf_actions_taken_fn taken, void *payload,
                            struct perf_error *err);

/*
 * Appends a as one task item line, "- [ ] @owner text, by YYYY-MM-DD\n"
 * ("[x]" when done, no ", by" without a due date), written so that parsing
 * it gives back the same owner, text, due date and state.  0 or PERF_ENOMEM.
 */
int perf_actions_format(struct perf_buf *out, const struct perf_action *a);

/* ---- actions across notes ---- */

struct perf_action_ref {
	struct perf_action a;                /* id, owner, text, due, done; line and box are 0 */
	char person[PERF_HANDLE_MAX + 1];    /* whose notes */
	char note[PERF_SCHEMA_PATH_MAX + 1]; /* the latest note holding it */
	size_t index;                        /* its place in that note's `actions` */
	char date[11];                       /* that note's date */
	char *with;                          /* that note's `with`: sorted handles joined by ',' ("" when none) */
	bool team;                           /* in a team's document (a retro): person is the kind's word, "retro" */
};

struct perf_action_refs {
	struct perf_action_ref *v;
	size_t n, cap;
};

#define PERF_ACTION_REFS_INIT                                                                                          \
	{                                                                                                              \
		NULL, 0, 0                                                                                             \
	}

/* A note or an action that cannot be read; collecting goes on without it. */
typedef void (*perf_actions_warn_fn)(void *payload, const char *message);

/*
 * Reads the actions of every document whose kind has an actions field
 * (perf_schema_kind's `actions`): a person's documents (notes/<person>/,
 * every person when person is NULL) and the team's (retros/, when person
 * is NULL or ""), from the transaction's tree or from HEAD when txn is
 * NULL, into out: one entry per (person, id), from the latest document
 * holding it, ordered by kind, person and then by the order in which they
 * first appear.  A team document's actions have the kind's word ("retro")
 * for person, and team set.  Notes and actions that do not parse or validate go to warn (may
 * be NULL) and are skipped.  0, or PERF_ENOMEM / PERF_EGIT.
 */
int perf_actions_collect(struct perf_action_refs *out, struct perf_repo *repo, struct perf_txn *txn, const char *person,
                         perf_actions_warn_fn warn, void *payload, struct perf_error *err);

void perf_action_refs_release(struct perf_action_refs *refs);

/* A note's `with` (a sequence of handles, or NULL) as sorted handles joined
 * by ',' into out, the key by which notes "with the same people" are found. */
int perf_actions_with_key(struct perf_buf *out, const struct perf_node *with);

#endif
