/*
 * A front-matter document: `---\n<yaml>\n---\n<body>`.
 *
 * perf_doc_parse reads the YAML with libyaml's event API into an ordered tree
 * of struct perf_node that remembers where each node sits in the source.
 * Edits (perf_doc_set_*, perf_doc_remove, perf_doc_set_body) are text splices
 * of the source that touch only the lines of the field changed, followed by a
 * re-parse; an edit that fails leaves the document exactly as it was.  So
 * unknown keys, key order, comments, blank lines, quoting elsewhere and the
 * body stay byte-for-byte.  A document made with perf_doc_new starts empty;
 * setting fields in order appends them, which is how new documents are
 * emitted canonically (2-space indent, no folding, ambiguous strings quoted,
 * multi-line text in literal style).
 *
 * Ownership: the document owns every node; a const struct perf_node * is
 * borrowed and valid until the next edit or perf_doc_free.  Nodes built with
 * perf_node_new_* are owned by the caller until passed to perf_doc_set_node
 * or added to another node, which takes them (also on failure).
 *
 * Limits, each refused with PERF_EINVALID and "name:line:col: message":
 * file over 1 MiB, front matter over 64 KiB, nesting deeper than 32, anchors
 * and aliases, duplicate keys, NUL bytes, invalid UTF-8, missing or
 * unterminated fence, invalid YAML, a top level that is not a mapping.
 * A UTF-8 byte-order mark at the start is accepted and kept.
 */
#ifndef PERF_DOC_H
#define PERF_DOC_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

#define PERF_DOC_MAX_FILE  (1024 * 1024)
#define PERF_DOC_MAX_FRONT (64 * 1024)
#define PERF_DOC_MAX_DEPTH 32

enum perf_node_type { PERF_NODE_SCALAR, PERF_NODE_MAP, PERF_NODE_SEQ };

enum perf_scalar_style {
	PERF_STYLE_ANY, /* let the emitter choose (builder nodes) */
	PERF_STYLE_PLAIN,
	PERF_STYLE_SINGLE,
	PERF_STYLE_DOUBLE,
	PERF_STYLE_LITERAL,
	PERF_STYLE_FOLDED,
};

struct perf_node {
	enum perf_node_type type;
	enum perf_scalar_style style; /* scalars */
	bool flow;                    /* collections written as {..} or [..] */
	char *text;                   /* scalars: the value, NUL-terminated */
	size_t len;                   /* scalars: bytes in text */
	size_t n;                     /* maps and sequences: number of children */
	char **keys;                  /* maps: keys[i] names values[i] */
	struct perf_node **values;    /* maps and sequences: the children */
	size_t line, col;             /* 1-based position in the file (0 for built nodes) */
};

struct perf_doc;

/* Parses buf[0..len).  `name` (a path) prefixes error messages. */
int perf_doc_parse(struct perf_doc **out, const char *buf, size_t len, const char *name, struct perf_error *err);
/* A new empty document: "---\n---\n" and no body. */
int perf_doc_new(struct perf_doc **out, const char *name, struct perf_error *err);
void perf_doc_free(struct perf_doc *doc);

const char *perf_doc_name(const struct perf_doc *doc);
/* The whole file as it would be written now. */
const char *perf_doc_text(const struct perf_doc *doc, size_t *len);
struct perf_buf;
/* Appends the whole file as it would be written now to out. */
int perf_doc_put_text(const struct perf_doc *doc, struct perf_buf *out, struct perf_error *err);
/* The Markdown after the closing fence (may be empty, never NULL). */
const char *perf_doc_body(const struct perf_doc *doc, size_t *len);
/* Line number (1-based) of the first body line, for messages. */
size_t perf_doc_body_line(const struct perf_doc *doc);
const struct perf_node *perf_doc_root(const struct perf_doc *doc);

/*
 * Paths: keys joined by '.', sequence items by [N]: `goals[0].progress`.
 * Keys in a path are [A-Za-z0-9_-]+.  Returns NULL when absent.
 */
const struct perf_node *perf_doc_get(const struct perf_doc *doc, const char *path);
/* Whether key can stand in a path as it is: [A-Za-z0-9_-]+. */
bool perf_doc_key_ok(const char *key);
/* A scalar's text, or NULL when absent or not a scalar. */
const char *perf_doc_str(const struct perf_doc *doc, const char *path);
const struct perf_node *perf_node_get(const struct perf_node *map, const char *key);
const char *perf_node_str(const struct perf_node *map, const char *key);
/* Whether two values say the same: scalars by their text whatever the
 * quoting, mappings by their keys in any order, sequences item by item.
 * Two NULLs are equal. */
bool perf_node_equal(const struct perf_node *a, const struct perf_node *b);

/* Sets a scalar (creating the key at the end of its mapping when absent; the
 * parent must exist).  Quotes the value when a YAML reader would take it for
 * anything but a string; multi-line text is written in literal style. */
int perf_doc_set_str(struct perf_doc *doc, const char *path, const char *value, struct perf_error *err);
/* As perf_doc_set_str, but written plain when it is a plain number, bool or date. */
int perf_doc_set_raw(struct perf_doc *doc, const char *path, const char *value, struct perf_error *err);
/* Sets any value, built with perf_node_new_*; takes ownership of value. */
int perf_doc_set_node(struct perf_doc *doc, const char *path, struct perf_node *value, struct perf_error *err);
/* Removes a key (or sequence item) and its lines; PERF_ENOTFOUND when absent. */
int perf_doc_remove(struct perf_doc *doc, const char *path, struct perf_error *err);
/* Replaces everything after the closing fence. */
int perf_doc_set_body(struct perf_doc *doc, const char *body, size_t len, struct perf_error *err);

/* Builders.  Return NULL on out of memory. */
struct perf_node *perf_node_new_str(const char *text); /* a string, quoted as needed */
struct perf_node *perf_node_new_raw(const char *text); /* a number/bool/date, written plain */
struct perf_node *perf_node_new_map(void);
struct perf_node *perf_node_new_seq(void);
/* Append to a map/sequence; take ownership of value even on failure. */
int perf_node_map_add(struct perf_node *map, const char *key, struct perf_node *value);
int perf_node_seq_add(struct perf_node *seq, struct perf_node *value);
struct perf_node *perf_node_clone(const struct perf_node *node);
void perf_node_free(struct perf_node *node);

/* True when a plain scalar with this text would be read as something other
 * than a string (bool, null, number, date, ...) or is not a valid plain scalar. */
bool perf_doc_needs_quotes(const char *text);

#endif
