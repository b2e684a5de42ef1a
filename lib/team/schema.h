/*
 * The kinds of document perf keeps, as data: one constant table per kind
 * naming its fields in canonical order, their types and limits, which are
 * required, where its files live and who may write them.  Adding a kind is
 * adding one table to lib/schema.c (and its section to perf-format(5)).
 *
 * Ownership: every struct perf_schema_kind and struct perf_schema_field is
 * static, constant and lives as long as the program; callers never free
 * them.  A struct perf_schema_match is the caller's storage and holds
 * copies of the path's parts, never pointers into the path.  Nothing here allocates
 * except perf_schema_parse (a document the caller frees) and
 * perf_schema_text (into the caller's buffer).
 *
 * Validation never stops at the first problem: every problem is passed to
 * the caller's report callback with the line and column of the offending
 * node (of the enclosing mapping for a missing nested field, 1:1 for a
 * missing top-level field), and the count is returned.  Unknown keys are
 * allowed silently: the format promises that a newer perf's fields survive
 * an older one.
 */
#ifndef PERF_SCHEMA_H
#define PERF_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "doc.h"
#include "error.h"
#include "value.h"

/* The format version this perf reads and writes (`format:` in .perf/config.yaml). */
#define PERF_FORMAT_VERSION 1

/* Longest repository-relative path of a document perf accepts. */
#define PERF_SCHEMA_PATH_MAX 255

/* Hex digits of an agreement version (see perf_schema_version). */
#define PERF_SCHEMA_VERSION_LEN 16

enum perf_schema_type {
	PERF_TYPE_KIND,    /* the kind's own name, nothing else */
	PERF_TYPE_STRING,  /* one line of text */
	PERF_TYPE_TEXT,    /* text, may span lines */
	PERF_TYPE_INT,     /* plain decimal integer within [min, max] */
	PERF_TYPE_BOOL,    /* true or false */
	PERF_TYPE_DATE,    /* YYYY-MM-DD */
	PERF_TYPE_TIME,    /* RFC 3339 in UTC: 2026-11-23T10:00:00Z */
	PERF_TYPE_WEEK,    /* ISO week: 2026-W47 */
	PERF_TYPE_HANDLE,  /* [a-z0-9][a-z0-9-]{0,38}: handles, slugs, ids */
	PERF_TYPE_EMAIL,   /* one line with an '@' and no spaces */
	PERF_TYPE_ENUM,    /* one of values[] */
	PERF_TYPE_PATH,    /* a repository-relative path of a document that can be answered */
	PERF_TYPE_VERSION, /* PERF_SCHEMA_VERSION_LEN lowercase hex digits */
	PERF_TYPE_QUORUM,  /* majority, all, or a number of people (at least 1) */
	PERF_TYPE_LIST,    /* a sequence whose items are described by item/values/fields/min/max */
	PERF_TYPE_MAP,     /* a mapping with the sub-fields in fields[] */
	PERF_TYPE_DICT,    /* a mapping with free keys whose values are described like list items */
};

/* Who may write a document of a kind; perf verify applies it to each commit. */
enum perf_schema_rule {
	PERF_RULE_ANYONE,              /* any person of the team */
	PERF_RULE_OWNER,               /* the person whose handle the path names */
	PERF_RULE_OWNER_OR_LEAD,       /* that person, or their lead (people/<handle>.md `lead`) */
	PERF_RULE_OWNER_OR_MAINTAINER, /* that person, or a maintainer of the team */
	PERF_RULE_ADDRESSED,           /* that person, or anyone named in the kind's addressed field */
	PERF_RULE_AUTHOR,              /* anyone, as themselves: the author the path names */
	PERF_RULE_MAINTAINER,          /* a maintainer (.perf/config.yaml `maintainers`) */
	PERF_RULE_APPEND,              /* anyone adds; nobody changes or removes what is there (perf-format(5)) */
};

#define PERF_FIELD_REQUIRED 0x1u
/* Not part of an agreement version: agreements themselves, and state that agreement changes. */
#define PERF_FIELD_UNVERSIONED 0x2u

struct perf_schema_field {
	const char *name;
	enum perf_schema_type type;
	unsigned flags;
	/* Lists and dicts: the type of each item; the members below describe the items. */
	enum perf_schema_type item;
	long min, max;                          /* integers */
	const char *const *values;              /* enums: NULL-terminated */
	const struct perf_schema_field *fields; /* maps: sub-fields, ended by a field with a NULL name */
	const char *about;                      /* one line for people, as in perf-format(5) */
	/*
	 * References: the kind of document a value (or each item) names,
	 * checked by perf check: "person" (people/<value>.md), "goal" (the
	 * document's person's goals/<handle>/<value>.md), "cycle", or "group"
	 * (a group of .perf/config.yaml).  See perf_schema_ref_path.
	 */
	const char *ref;
	/* Lists of mappings: the key whose scalar names an item, for field-level merges. */
	const char *id;
};

/* What a path's parts must agree with: a field and the part of the path it repeats. */
enum perf_schema_part {
	PERF_PART_NONE,
	PERF_PART_HANDLE, /* <handle> */
	PERF_PART_SLUG,   /* <slug>, <id> */
	PERF_PART_WEEK,   /* <YYYY>-W<ww> */
	PERF_PART_DATE,   /* <YYYY-MM-DD> */
	PERF_PART_STAMP,  /* <timestamp>, compared as a time */
	PERF_PART_AUTHOR, /* <author>, <from> */
	PERF_PART_PARENT, /* the document a reply answers */
};

struct perf_schema_bind {
	const char *field;
	enum perf_schema_part part;
};

/*
 * How perf log words a commit that wrote a document of the kind: the first
 * entry whose condition holds.  Conditions: NULL (always), "action=X" (the
 * commit's Perf-Action trailer is X), "trailer=K" (it has a K trailer),
 * "subject=S" (its subject contains S), "prefix=S" (its subject starts with
 * S), "focus" (the log is of the document's own history).  The words may
 * hold {who} (the author's handle), {name} (the document's short name),
 * {whose} ("their", or "<owner>'s"), {week}, {date}, {change} (": " and the
 * Perf-Change trailer, or nothing), {to} (the short name of what a reply
 * answers), {line} (": " and the first line of the body, or nothing) and
 * {rest} (the subject after a "prefix=" condition).
 */
struct perf_schema_say {
	const char *when;
	const char *words;
};

/* What the rest of perf does with a kind's documents (struct perf_schema_kind traits). */
#define PERF_KIND_REPORTED 0x1u /* reports (summary, share, site, export) read its front matter, through the cache */
#define PERF_KIND_INBOX    0x2u /* replies to a person's document reach them in perf status */
#define PERF_KIND_TEAM     0x4u /* a team document: listed by month in perf share and on the site's team page */

struct perf_schema_kind {
	const char *name;
	const char *target;  /* the word of a short target (KIND:NAME), or NULL when it has none */
	const char *noun;    /* what people call one document of the kind ("check-in") */
	const char *summary; /* one line for people */
	/*
	 * Where its files live, for matching and for people: literal text and
	 * the parts {handle} {slug} {week} {date} {stamp} {author}; a leading
	 * {parent}/ means "below the document answered, without .md".
	 */
	const char *pattern;
	const char *layout; /* the pattern as perf-format(5) writes it */
	bool fenced;        /* false: plain YAML, no --- lines and no body */
	bool answerable;    /* replies may be written below it */
	enum perf_schema_rule rule;
	const char *addressed;                  /* PERF_RULE_ADDRESSED: the list-of-handles field */
	const char *agreement;                  /* the field holding agreements, when it has one */
	const struct perf_schema_field *fields; /* canonical order, NULL-name ended */
	const struct perf_schema_bind *binds;   /* NULL-field ended; may be NULL */
	const char *template_body;              /* .perf/templates/<name>.md, or NULL */
	unsigned traits;                        /* PERF_KIND_* */
	const char *actions;                    /* the list field whose items join the action list, or NULL */
	const struct perf_schema_say *log;      /* NULL-when-and-words ended; NULL: the commit's subject */
};

/* What a path says: its kind and the parts it names.  Empty strings when absent. */
struct perf_schema_match {
	const struct perf_schema_kind *kind;
	char handle[PERF_HANDLE_MAX + 1];
	char slug[PERF_HANDLE_MAX + 1];
	char week[9];
	char date[11];
	char stamp[17]; /* 20261123T100000Z, as in the path */
	char time[21];  /* the stamp as RFC 3339: 2026-11-23T10:00:00Z */
	char author[PERF_HANDLE_MAX + 1];
	/* Replies: the document answered (with .md), its kind and owner. */
	char parent[PERF_SCHEMA_PATH_MAX + 1];
	const struct perf_schema_kind *parent_kind;
	char parent_handle[PERF_HANDLE_MAX + 1];
};

typedef void (*perf_schema_report_fn)(void *payload, const char *path, size_t line, size_t col, const char *message);

/* Every kind, NULL-terminated, in the order perf-format(5) documents them. */
const struct perf_schema_kind *const *perf_schema_kinds(void);
/* The kind called name, or NULL. */
const struct perf_schema_kind *perf_schema_kind(const char *name);
/* The kind whose short-target word (or name) is word, or NULL: "expect" and "expectations" alike. */
const struct perf_schema_kind *perf_schema_kind_by_target(const char *word);
/* The position of a kind in perf_schema_kinds(); stable for a given format version (kinds are appended). */
size_t perf_schema_kind_index(const struct perf_schema_kind *kind);
/*
 * The folder a kind's documents live in ("goals"), its length; 0 when the
 * kind has no folder of its own (replies live below what they answer, the
 * config in .perf/).  *out points into the kind's pattern.
 */
size_t perf_schema_folder(const struct perf_schema_kind *kind, const char **out);
/* The kind whose folder is the n bytes at name ("goals"), or NULL. */
const struct perf_schema_kind *perf_schema_kind_of_folder(const char *name, size_t n);
/* Whether each person has their own documents of the kind, in <folder>/<handle>... (the path names its person). */
bool perf_schema_per_person(const struct perf_schema_kind *kind);
/* Whether the path names just the person, <folder>/<handle>.md, with no name of the document's own. */
bool perf_schema_one_per_person(const struct perf_schema_kind *kind);
/*
 * The path of the document a reference field's value names (field->ref),
 * for a document whose path said from: "person" → people/<value>.md,
 * "goal" → goals/<from's handle>/<value>.md, "cycle" → cycles/<value>.md.
 * Returns false when the field refers to nothing with a path ("group").
 */
bool perf_schema_ref_path(char *out, size_t outsz, const struct perf_schema_field *field, const char *value,
                          const struct perf_schema_match *from);
/* A field of a kind (top level), or NULL. */
const struct perf_schema_field *perf_schema_field(const struct perf_schema_kind *kind, const char *name);

/*
 * Finds the kind of a repository-relative path and the parts it names:
 * "checkins/alice/2026-W47.md" is a checkin of alice for 2026-W47;
 * "checkins/alice/2026-W47/20261123T100000Z-bob.md" is bob's reply to
 * checkins/alice/2026-W47.md.  Every component is checked (handles,
 * weeks, dates, stamps), so a path that matches is safe to join to the
 * repository's root.  Returns 0; PERF_ENOTFOUND when the path is outside
 * every folder perf keeps documents in (README.md, .perf/templates/...);
 * PERF_EINVALID when it is unsafe (absolute, '..', empty components) or
 * inside such a folder without matching the layout.  out may be NULL.
 */
int perf_schema_match_path(struct perf_schema_match *out, const char *path, struct perf_error *err);

/*
 * The field a path of fields names ("goals", "goals[ship].progress",
 * "cadences.checkin"), or NULL when the kind (or NULL kind) has none such.
 */
const struct perf_schema_field *perf_schema_field_at(const struct perf_schema_kind *kind, const char *field);
/*
 * The key that names the items of the list at field, for merges and
 * diffs: the field's id, NULL when its items have none, and "id" for a
 * field the schema does not know (a newer perf's, or no kind at all).
 */
const char *perf_schema_list_id(const struct perf_schema_kind *kind, const char *field);
/* The permission rule of a kind, and its name in config and messages ("owner-or-lead"). */
enum perf_schema_rule perf_schema_rule(const struct perf_schema_kind *kind);
const char *perf_schema_rule_name(enum perf_schema_rule rule);
/* Parses a rule's name; 0 or PERF_EINVALID. */
int perf_schema_rule_parse(const char *name, enum perf_schema_rule *out, struct perf_error *err);

/* The body `perf init` writes to .perf/templates/<kind>.md, or NULL when the kind has none. */
const char *perf_schema_template(const struct perf_schema_kind *kind);

/*
 * Checks a parsed document against its kind and, when path is non-NULL,
 * against what the path says (its kind, handle, week, date, stamp, author,
 * parent).  `name` is passed to report as is (NULL: path, or the
 * document's name).  Returns the number of problems reported.  For a kind
 * without fences the document must come from perf_schema_parse; positions
 * are reported in the file's own lines.
 */
size_t perf_schema_validate(const struct perf_schema_kind *kind, const struct perf_doc *doc, const char *path,
                            const char *name, perf_schema_report_fn report, void *payload);
/* As perf_schema_validate, for a bare front-matter mapping; line_shift is added to every line. */
size_t perf_schema_validate_root(const struct perf_schema_kind *kind, const struct perf_node *root, const char *path,
                                 const char *name, long line_shift, perf_schema_report_fn report, void *payload);

/*
 * Parses a file of a kind.  Fenced kinds go straight to perf_doc_parse; a
 * kind without fences (config) is read as front matter with no body, and
 * refused when it has a line that is exactly "---".  Error messages give
 * the file's own line numbers.
 */
int perf_schema_parse(struct perf_doc **out, const struct perf_schema_kind *kind, const char *buf, size_t len,
                      const char *name, struct perf_error *err);
/* Appends the file's text to out: perf_doc_text, or for a kind without fences the YAML alone. */
int perf_schema_text(struct perf_buf *out, const struct perf_schema_kind *kind, const struct perf_doc *doc,
                     struct perf_error *err);

/*
 * The version an agreement binds to: the first PERF_SCHEMA_VERSION_LEN hex
 * digits of the git blob id of a canonical form of the document: every
 * top-level field except those flagged PERF_FIELD_UNVERSIONED (agreed_by,
 * a norm's status), sorted by key, values as their text whatever the
 * quoting, then the body byte for byte.  So any change of words or fields
 * makes earlier agreements stale, while re-ordering keys, re-quoting,
 * comments and adding an agreement do not.  It is never stored in the
 * document it describes; perf-format(5) gives the exact form.
 */
int perf_schema_version(char out[PERF_SCHEMA_VERSION_LEN + 1], const struct perf_schema_kind *kind,
                        const struct perf_doc *doc, struct perf_error *err);

#endif
