/*
 * Front-matter documents: parsing with libyaml's event API into an ordered
 * tree that remembers byte spans, and in-place edits as text splices that are
 * re-parsed and checked before they are kept.
 */
#include "doc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "buf.h"
#include "utf8.h"

/* Where a map key sits in the text. */
struct kpos {
	size_t start, end;
	size_t line, col;
};

/*
 * Every node is a struct pnode; the public struct perf_node comes first so
 * the two pointers convert.  Parsed nodes live in the document's arena and
 * carry their byte span [start, end) in the document text; builder nodes are
 * malloc'd (builder = true) and own their arrays.
 */
struct pnode {
	struct perf_node n;
	size_t start, end;
	struct kpos *kpos;
	size_t cap;
	bool builder;
};

struct chunk {
	struct chunk *next;
	size_t used, cap;
	_Alignas(16) unsigned char data[];
};

struct state {
	struct perf_buf text;
	struct chunk *arena;
	struct pnode *root;
	size_t front_start, front_end, body_start, body_line;
	bool crlf;
};

struct perf_doc {
	char *name;
	struct state st;
};

#define P(node)  ((struct pnode *)(node))
#define CP(node) ((const struct pnode *)(node))

/* Arena. */

static void *arena_alloc(struct chunk **arena, size_t size)
{
	struct chunk *c = *arena;
	size_t cap;

	size = (size + 15) & ~(size_t)15;
	if (!c || c->cap - c->used < size) {
		cap = size > 8192 ? size : 8192;
		c = malloc(sizeof(*c) + cap);
		if (!c)
			return NULL;
		c->used = 0;
		c->cap = cap;
		c->next = *arena;
		*arena = c;
	}
	c->used += size;
	return c->data + c->used - size;
}

static void arena_free(struct chunk *c)
{
	while (c) {
		struct chunk *next = c->next;
		free(c);
		c = next;
	}
}

static void state_release(struct state *st)
{
	perf_buf_release(&st->text);
	arena_free(st->arena);
	memset(st, 0, sizeof(*st));
}

/* 1-based line and column (in characters) of byte offset off. */
static void position(const char *s, size_t off, size_t *line, size_t *col)
{
	size_t i, l = 1, c = 1;

	for (i = 0; i < off; i++) {
		if (s[i] == '\n') {
			l++;
			c = 1;
		} else if (!perf_utf8_continues((unsigned char)s[i])) {
			c++;
		}
	}
	*line = l;
	*col = c;
}

/* Converts libyaml's character indexes into byte offsets, walking forward. */
struct conv {
	const unsigned char *s;
	size_t len, ci, bi;
	bool ascii;
};

static size_t conv_byte(struct conv *cv, size_t ci)
{
	if (cv->ascii)
		return ci < cv->len ? ci : cv->len;
	if (ci < cv->ci)
		cv->ci = cv->bi = 0;
	while (cv->ci < ci && cv->bi < cv->len) {
		unsigned char c = cv->s[cv->bi];
		size_t w = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
		cv->bi += w;
		cv->ci++;
	}
	return cv->bi < cv->len ? cv->bi : cv->len;
}

/* Parsing. */

struct parser {
	struct state *st;
	const char *name;
	struct perf_error *err;
	struct conv cv;
	size_t off; /* byte offset of the front matter in the text */
	struct pnode **stack;
	size_t nstack, capstack;
	struct {
		struct pnode *node;
		size_t base;
	} frames[PERF_DOC_MAX_DEPTH + 1];
	size_t depth;
};

static int errat(struct parser *ps, const yaml_mark_t *m, const char *what, const char *hint)
{
	return perf_error(ps->err, PERF_EINVALID, "%s:%zu:%zu: %s%s%s", ps->name, m->line + 2, m->column + 1, what,
	                  hint ? "; " : "", hint ? hint : "");
}

static int push(struct parser *ps, struct pnode *n)
{
	if (ps->nstack == ps->capstack) {
		size_t cap = ps->capstack ? ps->capstack * 2 : 64;
		struct pnode **s = realloc(ps->stack, cap * sizeof(*s));
		if (!s)
			return perf_error(ps->err, PERF_ENOMEM, "out of memory");
		ps->stack = s;
		ps->capstack = cap;
	}
	ps->stack[ps->nstack++] = n;
	return 0;
}

static struct pnode *new_parsed(struct parser *ps, enum perf_node_type type, const yaml_mark_t *m)
{
	struct pnode *n = arena_alloc(&ps->st->arena, sizeof(*n));

	if (!n)
		return NULL;
	memset(n, 0, sizeof(*n));
	n->n.type = type;
	n->n.line = m->line + 2;
	n->n.col = m->column + 1;
	n->start = ps->off + conv_byte(&ps->cv, m->index);
	return n;
}

/* True when the parent frame expects a key next. */
static bool at_key(const struct parser *ps)
{
	if (!ps->depth)
		return false;
	const struct pnode *top = ps->frames[ps->depth - 1].node;
	return top->n.type == PERF_NODE_MAP && (ps->nstack - ps->frames[ps->depth - 1].base) % 2 == 0;
}

static bool key_eq(const char *a, const char *b)
{
	return strcmp(a, b) == 0;
}

static int cmp_keyidx(const void *a, const void *b)
{
	const struct pnode *const *x = a, *const *y = b;
	int c = strcmp((*x)->n.text, (*y)->n.text);
	if (c)
		return c;
	return (*x)->start < (*y)->start ? -1 : (*x)->start > (*y)->start;
}

static int dup_error(struct parser *ps, const struct pnode *first, const struct pnode *dup)
{
	return perf_error(ps->err, PERF_EINVALID,
	                  "%s:%zu:%zu: duplicate key '%s' (first at line %zu); remove one of them", ps->name,
	                  dup->n.line, dup->n.col, dup->n.text, first->n.line);
}

static int check_dups(struct parser *ps, struct pnode **keys, size_t n)
{
	size_t i, j;

	if (n <= 16) {
		for (j = 1; j < n; j++)
			for (i = 0; i < j; i++)
				if (key_eq(keys[i]->n.text, keys[j]->n.text))
					return dup_error(ps, keys[i], keys[j]);
		return 0;
	}
	struct pnode **tmp = malloc(n * sizeof(*tmp));
	if (!tmp)
		return perf_error(ps->err, PERF_ENOMEM, "out of memory");
	memcpy(tmp, keys, n * sizeof(*tmp));
	qsort(tmp, n, sizeof(*tmp), cmp_keyidx);
	for (i = 1; i < n; i++) {
		if (key_eq(tmp[i - 1]->n.text, tmp[i]->n.text)) {
			int rc = dup_error(ps, tmp[i - 1], tmp[i]);
			free(tmp);
			return rc;
		}
	}
	free(tmp);
	return 0;
}

/* Block scalars: end the span after the last content line (keeping trailing
 * empty lines only under keep chomping) instead of where libyaml stopped. */
static size_t block_scalar_end(const char *s, size_t start, size_t end)
{
	size_t i = start, e = end;
	bool keep = false;

	if (s[i] == '!')
		while (i < end && s[i] != ' ' && s[i] != '\t' && s[i] != '\n')
			i++;
	while (i < end && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i < end && (s[i] == '|' || s[i] == '>'))
		for (i++; i < end && s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r' && s[i] != '#'; i++)
			if (s[i] == '+')
				keep = true;
	/* Back out of the indentation of the line where libyaml stopped. */
	size_t ls = e;
	while (ls > start && s[ls - 1] != '\n')
		ls--;
	bool blank = true;
	for (size_t k = ls; k < e; k++)
		if (s[k] != ' ' && s[k] != '\t' && s[k] != '\r')
			blank = false;
	if (blank && ls > start)
		e = ls;
	if (keep)
		return e;
	while (e > start && s[e - 1] == '\n') {
		size_t p = e - 1;
		while (p > start && s[p - 1] != '\n')
			p--;
		/* Only truly empty lines: a line of blanks may be content. */
		bool empty = e - 1 == p || (e - 2 == p && s[p] == '\r');
		if (!empty || p <= start)
			break;
		e = p;
	}
	return e;
}

static int finish_node(struct parser *ps, struct pnode *n)
{
	if (at_key(ps) && n->n.type != PERF_NODE_SCALAR)
		return perf_error(ps->err, PERF_EINVALID, "%s:%zu:%zu: a key must be a plain string, not a %s",
		                  ps->name, n->n.line, n->n.col, n->n.type == PERF_NODE_MAP ? "mapping" : "sequence");
	if (!ps->depth) {
		ps->st->root = n;
		return 0;
	}
	return push(ps, n);
}

static int end_collection(struct parser *ps, const yaml_event_t *ev)
{
	struct pnode *n = ps->frames[ps->depth - 1].node;
	size_t base = ps->frames[ps->depth - 1].base, cnt = ps->nstack - base, i;
	int rc;

	ps->depth--;
	if (n->n.type == PERF_NODE_MAP) {
		n->n.n = cnt / 2;
		if (n->n.n) {
			n->n.keys = arena_alloc(&ps->st->arena, n->n.n * sizeof(char *));
			n->n.values = arena_alloc(&ps->st->arena, n->n.n * sizeof(struct perf_node *));
			n->kpos = arena_alloc(&ps->st->arena, n->n.n * sizeof(struct kpos));
			if (!n->n.keys || !n->n.values || !n->kpos)
				return perf_error(ps->err, PERF_ENOMEM, "out of memory");
			for (i = 0; i < n->n.n; i++) {
				struct pnode *k = ps->stack[base + 2 * i];
				n->n.keys[i] = k->n.text;
				n->n.values[i] = &ps->stack[base + 2 * i + 1]->n;
				n->kpos[i] = (struct kpos){k->start, k->end, k->n.line, k->n.col};
			}
			/* Keys are checked on the stack, where they are nodes. */
			for (i = 0; i < n->n.n; i++)
				ps->stack[base + i] = ps->stack[base + 2 * i];
			if ((rc = check_dups(ps, ps->stack + base, n->n.n)))
				return rc;
		}
	} else {
		n->n.n = cnt;
		if (cnt) {
			n->n.values = arena_alloc(&ps->st->arena, cnt * sizeof(struct perf_node *));
			if (!n->n.values)
				return perf_error(ps->err, PERF_ENOMEM, "out of memory");
			for (i = 0; i < cnt; i++)
				n->n.values[i] = &ps->stack[base + i]->n;
		}
	}
	ps->nstack = base;
	if (n->n.flow || !n->n.n)
		n->end = ps->off + conv_byte(&ps->cv, ev->end_mark.index);
	else
		n->end = P(n->n.values[n->n.n - 1])->end;
	return finish_node(ps, n);
}

static int yaml_error(struct parser *ps, yaml_parser_t *p, const char *fm, size_t fmlen)
{
	const char *hint = NULL;
	const char *problem = p->problem ? p->problem : "invalid YAML";

	if (p->error == YAML_MEMORY_ERROR)
		return perf_error(ps->err, PERF_ENOMEM, "out of memory");
	if (p->error == YAML_READER_ERROR) {
		size_t line, col, off = p->problem_offset < fmlen ? p->problem_offset : fmlen;
		position(fm, off, &line, &col);
		return perf_error(ps->err, PERF_EINVALID, "%s:%zu:%zu: invalid YAML: %s", ps->name, line + 1, col,
		                  problem);
	}
	if (strstr(problem, "mapping values are not allowed"))
		hint = "quote the value if it contains ': '";
	else if (strstr(problem, "cannot start any token"))
		hint = "quote the value, and indent with spaces, not tabs";
	else if (strstr(problem, "did not find expected key") || strstr(problem, "expected <block end>"))
		hint = "check the indentation";
	if (p->context) {
		char what[512];
		snprintf(what, sizeof(what), "invalid YAML: %s %s at line %zu", problem, p->context,
		         p->context_mark.line + 2);
		return errat(ps, &p->problem_mark, what, hint);
	}
	char what[512];
	snprintf(what, sizeof(what), "invalid YAML: %s", problem);
	return errat(ps, &p->problem_mark, what, hint);
}

static int parse_yaml(struct parser *ps, const char *fm, size_t fmlen)
{
	yaml_parser_t p;
	yaml_event_t ev;
	int rc = 0, docs = 0;
	bool done = false;

	if (!yaml_parser_initialize(&p))
		return perf_error(ps->err, PERF_ENOMEM, "out of memory");
	yaml_parser_set_input_string(&p, (const unsigned char *)fm, fmlen);
	yaml_parser_set_encoding(&p, YAML_UTF8_ENCODING);
	while (!done && !rc) {
		struct pnode *n;

		if (!yaml_parser_parse(&p, &ev)) {
			rc = yaml_error(ps, &p, fm, fmlen);
			break;
		}
		switch (ev.type) {
		case YAML_DOCUMENT_START_EVENT:
			if (++docs > 1)
				rc = errat(ps, &ev.start_mark, "front matter must be a single YAML document",
				           "remove the extra '---' line");
			break;
		case YAML_ALIAS_EVENT:
			rc = errat(ps, &ev.start_mark, "anchors and aliases are not allowed in front matter",
			           "write the value out in full");
			break;
		case YAML_SCALAR_EVENT:
			if (ev.data.scalar.anchor) {
				rc = errat(ps, &ev.start_mark, "anchors and aliases are not allowed in front matter",
				           "write the value out in full");
				break;
			}
			if (!ps->depth) {
				rc = errat(ps, &ev.start_mark, "front matter must be a mapping of keys to values",
				           "write 'key: value' lines");
				break;
			}
			n = new_parsed(ps, PERF_NODE_SCALAR, &ev.start_mark);
			if (!n || !(n->n.text = arena_alloc(&ps->st->arena, ev.data.scalar.length + 1))) {
				rc = perf_error(ps->err, PERF_ENOMEM, "out of memory");
				break;
			}
			memcpy(n->n.text, ev.data.scalar.value, ev.data.scalar.length);
			n->n.text[ev.data.scalar.length] = '\0';
			n->n.len = ev.data.scalar.length;
			switch (ev.data.scalar.style) {
			case YAML_SINGLE_QUOTED_SCALAR_STYLE:
				n->n.style = PERF_STYLE_SINGLE;
				break;
			case YAML_DOUBLE_QUOTED_SCALAR_STYLE:
				n->n.style = PERF_STYLE_DOUBLE;
				break;
			case YAML_LITERAL_SCALAR_STYLE:
				n->n.style = PERF_STYLE_LITERAL;
				break;
			case YAML_FOLDED_SCALAR_STYLE:
				n->n.style = PERF_STYLE_FOLDED;
				break;
			default:
				n->n.style = PERF_STYLE_PLAIN;
			}
			n->end = ps->off + conv_byte(&ps->cv, ev.end_mark.index);
			if (n->n.style == PERF_STYLE_LITERAL || n->n.style == PERF_STYLE_FOLDED)
				n->end = block_scalar_end(ps->st->text.ptr, n->start, n->end);
			rc = finish_node(ps, n);
			break;
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT: {
			bool map = ev.type == YAML_MAPPING_START_EVENT;
			if (map ? ev.data.mapping_start.anchor != NULL : ev.data.sequence_start.anchor != NULL) {
				rc = errat(ps, &ev.start_mark, "anchors and aliases are not allowed in front matter",
				           "write the value out in full");
				break;
			}
			if (!ps->depth && !map) {
				rc = errat(ps, &ev.start_mark, "front matter must be a mapping of keys to values",
				           "write 'key: value' lines");
				break;
			}
			if (ps->depth >= PERF_DOC_MAX_DEPTH) {
				rc = errat(ps, &ev.start_mark, "nesting deeper than 32 levels", NULL);
				break;
			}
			n = new_parsed(ps, map ? PERF_NODE_MAP : PERF_NODE_SEQ, &ev.start_mark);
			if (!n) {
				rc = perf_error(ps->err, PERF_ENOMEM, "out of memory");
				break;
			}
			n->n.flow = map ? ev.data.mapping_start.style == YAML_FLOW_MAPPING_STYLE
			                : ev.data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE;
			if (at_key(ps)) {
				rc = perf_error(ps->err, PERF_EINVALID,
				                "%s:%zu:%zu: a key must be a plain string, not a %s", ps->name,
				                n->n.line, n->n.col, map ? "mapping" : "sequence");
				break;
			}
			ps->frames[ps->depth].node = n;
			ps->frames[ps->depth].base = ps->nstack;
			ps->depth++;
			break;
		}
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			rc = end_collection(ps, &ev);
			break;
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	return rc;
}

static bool is_fence(const char *s, size_t len)
{
	if (len == 4 && s[3] == '\r')
		len = 3;
	return len == 3 && (!memcmp(s, "---", 3) || !memcmp(s, "...", 3));
}

/* Parses st->text (already filled) into st. */
static int parse_state(struct state *st, const char *name, struct perf_error *err)
{
	const char *s = st->text.ptr ? st->text.ptr : "";
	size_t len = st->text.len, i, line, col, bom = 0;
	bool ascii = true;
	int rc;

	if (len > PERF_DOC_MAX_FILE)
		return perf_error(err, PERF_EINVALID,
		                  "%s:1:1: file is over 1 MiB; split it or move large text elsewhere", name);
	/* Positions are only worked out for the message, off the fast path. */
	for (i = 0; i < len;) {
		unsigned char c = (unsigned char)s[i];
		uint32_t cp;
		size_t w;

		if (c && c < 0x80) {
			i++;
			continue;
		}
		if (c == '\0') {
			position(s, i, &line, &col);
			return perf_error(err, PERF_EINVALID, "%s:%zu:%zu: NUL byte not allowed", name, line, col);
		}
		ascii = false;
		if (!(w = perf_utf8_decode(s + i, len - i, &cp))) {
			position(s, i, &line, &col);
			return perf_error(err, PERF_EINVALID,
			                  "%s:%zu:%zu: invalid UTF-8 (byte 0x%02x); save the file as UTF-8", name, line,
			                  col, c);
		}
		i += w;
	}
	if (len >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3))
		bom = 3;
	/* The opening fence. */
	const char *nl = memchr(s + bom, '\n', len - bom);
	size_t l1 = nl ? (size_t)(nl - s) - bom : len - bom;
	if (!nl || l1 < 3 || memcmp(s + bom, "---", 3) || (l1 == 4 ? s[bom + 3] != '\r' : l1 != 3))
		return perf_error(err, PERF_EINVALID,
		                  "%s:1:1: missing front matter: the file must start with a line '---'", name);
	st->crlf = l1 == 4;
	st->front_start = bom + l1 + 1;
	/* The closing fence: the first line that is exactly '---' or '...'. */
	size_t p = st->front_start, fline = 2;
	for (;;) {
		if (p >= len)
			return perf_error(err, PERF_EINVALID,
			                  "%s:1:1: unterminated front matter: no closing '---' line; add one after the "
			                  "last field",
			                  name);
		nl = memchr(s + p, '\n', len - p);
		size_t ll = nl ? (size_t)(nl - s) - p : len - p;
		if (is_fence(s + p, ll)) {
			st->front_end = p;
			st->body_start = nl ? p + ll + 1 : len;
			st->body_line = fline + 1;
			break;
		}
		p += ll + (nl ? 1 : 0);
		fline++;
	}
	if (st->front_end - st->front_start > PERF_DOC_MAX_FRONT)
		return perf_error(err, PERF_EINVALID, "%s:2:1: front matter is over 64 KiB; move long text to the body",
		                  name);

	struct parser ps = {.st = st, .name = name, .err = err, .off = st->front_start};
	ps.cv = (struct conv){(const unsigned char *)s + st->front_start, st->front_end - st->front_start, 0, 0, ascii};
	rc = parse_yaml(&ps, s + st->front_start, st->front_end - st->front_start);
	free(ps.stack);
	if (rc)
		return rc;
	if (!st->root) {
		yaml_mark_t m = {0, 0, 0};
		struct pnode *r = new_parsed(&ps, PERF_NODE_MAP, &m);
		if (!r)
			return perf_error(err, PERF_ENOMEM, "out of memory");
		r->n.line = r->n.col = 0;
		r->start = r->end = st->front_end;
		st->root = r;
	}
	return 0;
}

static int load(struct state *st, const char *buf, size_t len, const char *name, struct perf_error *err)
{
	int rc;

	memset(st, 0, sizeof(*st));
	if (len > PERF_DOC_MAX_FILE)
		return perf_error(err, PERF_EINVALID,
		                  "%s:1:1: file is over 1 MiB; split it or move large text elsewhere", name);
	if (perf_buf_add(&st->text, buf, len))
		return perf_error(err, PERF_ENOMEM, "out of memory");
	if ((rc = parse_state(st, name, err)))
		state_release(st);
	return rc;
}

int perf_doc_parse(struct perf_doc **out, const char *buf, size_t len, const char *name, struct perf_error *err)
{
	struct perf_doc *doc;
	int rc;

	*out = NULL;
	if (!name)
		name = "(document)";
	if (!(doc = calloc(1, sizeof(*doc))) || !(doc->name = strdup(name))) {
		free(doc);
		return perf_error(err, PERF_ENOMEM, "out of memory");
	}
	if ((rc = load(&doc->st, buf ? buf : "", buf ? len : 0, name, err))) {
		free(doc->name);
		free(doc);
		return rc;
	}
	*out = doc;
	return 0;
}

int perf_doc_new(struct perf_doc **out, const char *name, struct perf_error *err)
{
	return perf_doc_parse(out, "---\n---\n", 8, name, err);
}

void perf_doc_free(struct perf_doc *doc)
{
	if (!doc)
		return;
	state_release(&doc->st);
	free(doc->name);
	free(doc);
}

const char *perf_doc_name(const struct perf_doc *doc)
{
	return doc->name;
}

const char *perf_doc_text(const struct perf_doc *doc, size_t *len)
{
	if (len)
		*len = doc->st.text.len;
	return perf_buf_cstr(&doc->st.text);
}

int perf_doc_put_text(const struct perf_doc *doc, struct perf_buf *out, struct perf_error *err)
{
	if (perf_buf_add(out, doc->st.text.ptr, doc->st.text.len))
		return perf_error(err, PERF_ENOMEM, "out of memory");
	return 0;
}

const char *perf_doc_body(const struct perf_doc *doc, size_t *len)
{
	if (len)
		*len = doc->st.text.len - doc->st.body_start;
	return perf_buf_cstr(&doc->st.text) + doc->st.body_start;
}

size_t perf_doc_body_line(const struct perf_doc *doc)
{
	return doc->st.body_line;
}

const struct perf_node *perf_doc_root(const struct perf_doc *doc)
{
	return &doc->st.root->n;
}

/* Paths. */

struct seg {
	const char *key; /* NULL for an index */
	size_t klen, idx;
};

#define MAX_SEGS 64

static bool key_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

bool perf_doc_key_ok(const char *key)
{
	if (!*key)
		return false;
	for (; *key; key++)
		if (!key_char(*key))
			return false;
	return true;
}

static int parse_path(const char *path, struct seg *segs, size_t *nseg)
{
	const char *p = path;
	size_t n = 0;

	if (!path || !key_char(*p))
		return -1;
	while (*p) {
		if (n == MAX_SEGS)
			return -1;
		if (*p == '[') {
			size_t v = 0;
			p++;
			if (*p < '0' || *p > '9')
				return -1;
			while (*p >= '0' && *p <= '9') {
				if (v > 100000000)
					return -1;
				v = v * 10 + (size_t)(*p++ - '0');
			}
			if (*p++ != ']')
				return -1;
			segs[n++] = (struct seg){NULL, 0, v};
		} else {
			if (n) {
				if (*p != '.')
					return -1;
				p++;
			}
			const char *k = p;
			while (key_char(*p))
				p++;
			if (p == k)
				return -1;
			segs[n++] = (struct seg){k, (size_t)(p - k), 0};
		}
	}
	*nseg = n;
	return 0;
}

static ptrdiff_t find_key(const struct perf_node *map, const char *key, size_t klen)
{
	size_t i;

	if (!map || map->type != PERF_NODE_MAP)
		return -1;
	for (i = 0; i < map->n; i++)
		if (!strncmp(map->keys[i], key, klen) && map->keys[i][klen] == '\0')
			return (ptrdiff_t)i;
	return -1;
}

static const struct perf_node *step(const struct perf_node *n, const struct seg *sg)
{
	if (!n)
		return NULL;
	if (sg->key) {
		ptrdiff_t i = find_key(n, sg->key, sg->klen);
		return i < 0 ? NULL : n->values[i];
	}
	if (n->type != PERF_NODE_SEQ || sg->idx >= n->n)
		return NULL;
	return n->values[sg->idx];
}

const struct perf_node *perf_doc_get(const struct perf_doc *doc, const char *path)
{
	struct seg segs[MAX_SEGS];
	size_t nseg, i;
	const struct perf_node *n;

	if (!doc || parse_path(path, segs, &nseg))
		return NULL;
	n = &doc->st.root->n;
	for (i = 0; i < nseg && n; i++)
		n = step(n, &segs[i]);
	return n;
}

const char *perf_doc_str(const struct perf_doc *doc, const char *path)
{
	const struct perf_node *n = perf_doc_get(doc, path);
	return n && n->type == PERF_NODE_SCALAR ? n->text : NULL;
}

const struct perf_node *perf_node_get(const struct perf_node *map, const char *key)
{
	ptrdiff_t i;

	if (!key)
		return NULL;
	i = find_key(map, key, strlen(key));
	return i < 0 ? NULL : map->values[i];
}

bool perf_node_equal(const struct perf_node *a, const struct perf_node *b)
{
	if (!a || !b)
		return a == b;
	if (a->type != b->type || a->n != b->n)
		return false;
	switch (a->type) {
	case PERF_NODE_SCALAR:
		return a->len == b->len && !memcmp(a->text, b->text, a->len);
	case PERF_NODE_SEQ:
		for (size_t i = 0; i < a->n; i++)
			if (!perf_node_equal(a->values[i], b->values[i]))
				return false;
		return true;
	default:
		for (size_t i = 0; i < a->n; i++)
			if (!perf_node_equal(a->values[i], perf_node_get(b, a->keys[i])))
				return false;
		return true;
	}
}

const char *perf_node_str(const struct perf_node *map, const char *key)
{
	const struct perf_node *n = perf_node_get(map, key);
	return n && n->type == PERF_NODE_SCALAR ? n->text : NULL;
}

/* Builders. */

static struct pnode *new_builder(enum perf_node_type type)
{
	struct pnode *n = calloc(1, sizeof(*n));

	if (n) {
		n->n.type = type;
		n->builder = true;
	}
	return n;
}

static struct perf_node *new_scalar(const char *text, size_t len, enum perf_scalar_style style)
{
	struct pnode *n = new_builder(PERF_NODE_SCALAR);

	if (!n)
		return NULL;
	if (!(n->n.text = malloc(len + 1))) {
		free(n);
		return NULL;
	}
	memcpy(n->n.text, text, len);
	n->n.text[len] = '\0';
	n->n.len = len;
	n->n.style = style;
	return &n->n;
}

struct perf_node *perf_node_new_str(const char *text)
{
	return text ? new_scalar(text, strlen(text), PERF_STYLE_ANY) : NULL;
}

struct perf_node *perf_node_new_raw(const char *text)
{
	return text ? new_scalar(text, strlen(text), PERF_STYLE_PLAIN) : NULL;
}

struct perf_node *perf_node_new_map(void)
{
	struct pnode *n = new_builder(PERF_NODE_MAP);
	return n ? &n->n : NULL;
}

struct perf_node *perf_node_new_seq(void)
{
	struct pnode *n = new_builder(PERF_NODE_SEQ);
	return n ? &n->n : NULL;
}

void perf_node_free(struct perf_node *node)
{
	size_t i;

	if (!node || !P(node)->builder)
		return;
	for (i = 0; i < node->n; i++) {
		if (node->keys)
			free(node->keys[i]);
		perf_node_free(node->values[i]);
	}
	free(node->keys);
	free(node->values);
	free(node->text);
	free(node);
}

static int grow_children(struct pnode *n)
{
	if (n->n.n < n->cap)
		return 0;
	size_t cap = n->cap ? n->cap * 2 : 4;
	struct perf_node **v = realloc(n->n.values, cap * sizeof(*v));
	if (!v)
		return PERF_ENOMEM;
	n->n.values = v;
	if (n->n.type == PERF_NODE_MAP) {
		char **k = realloc(n->n.keys, cap * sizeof(*k));
		if (!k)
			return PERF_ENOMEM;
		n->n.keys = k;
	}
	n->cap = cap;
	return 0;
}

int perf_node_map_add(struct perf_node *map, const char *key, struct perf_node *value)
{
	char *k;

	if (!map || !P(map)->builder || map->type != PERF_NODE_MAP || !key || !value) {
		perf_node_free(value);
		return PERF_EINVALID;
	}
	if (grow_children(P(map)) || !(k = strdup(key))) {
		perf_node_free(value);
		return PERF_ENOMEM;
	}
	map->keys[map->n] = k;
	map->values[map->n++] = value;
	return 0;
}

int perf_node_seq_add(struct perf_node *seq, struct perf_node *value)
{
	if (!seq || !P(seq)->builder || seq->type != PERF_NODE_SEQ || !value) {
		perf_node_free(value);
		return PERF_EINVALID;
	}
	if (grow_children(P(seq))) {
		perf_node_free(value);
		return PERF_ENOMEM;
	}
	seq->values[seq->n++] = value;
	return 0;
}

struct perf_node *perf_node_clone(const struct perf_node *node)
{
	struct perf_node *c;
	size_t i;

	if (!node)
		return NULL;
	if (node->type == PERF_NODE_SCALAR) {
		c = new_scalar(node->text, node->len, node->style);
		return c;
	}
	c = node->type == PERF_NODE_MAP ? perf_node_new_map() : perf_node_new_seq();
	if (!c)
		return NULL;
	c->flow = node->flow;
	for (i = 0; i < node->n; i++) {
		struct perf_node *v = perf_node_clone(node->values[i]);
		int rc = node->type == PERF_NODE_MAP ? perf_node_map_add(c, node->keys[i], v) : perf_node_seq_add(c, v);
		if (!v || rc) {
			perf_node_free(c);
			return NULL;
		}
	}
	return c;
}

/* Quoting decisions. */

/* Code points a YAML reader treats as line breaks, BOMs or non-printable. */
static bool special_cp(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029 || cp == 0xFEFF ||
	       cp == 0xFFFE || cp == 0xFFFF;
}

/* True when text can be written as a plain scalar at all (syntax only). */
static bool plain_syntax_ok(const char *t, size_t len, bool flow)
{
	size_t i;

	if (!len || t[0] == ' ' || t[len - 1] == ' ' || t[len - 1] == ':')
		return false;
	if (strchr("-?:,[]{}#&*!|>'\"%@`", t[0]))
		return false;
	if (len >= 3 && !memcmp(t, "...", 3))
		return false;
	for (i = 0; i < len;) {
		unsigned char c = (unsigned char)t[i];
		uint32_t cp;
		size_t w;
		if (c < 0x80) {
			if (c < 0x20 || c == 0x7F)
				return false;
			if (c == ':' && (t[i + 1] == ' ' || flow))
				return false;
			if (c == '#' && t[i - 1] == ' ')
				return false;
			if (flow && strchr(",[]{}", c))
				return false;
			i++;
			continue;
		}
		if (!(w = perf_utf8_decode(t + i, len - i, &cp)) || special_cp(cp))
			return false;
		i += w;
	}
	return true;
}

static bool ieq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		char x = *a, y = *b;
		if (x >= 'A' && x <= 'Z')
			x = (char)(x - 'A' + 'a');
		if (x != y)
			return false;
	}
	return *a == *b;
}

/* True when a plain scalar would be read as something other than a string. */
static bool resolves_nonstring(const char *t)
{
	static const char *const words[] = {"y",     "n",    "yes", "no",   "on",   "off", "true",
	                                    "false", "null", "~",   ".inf", ".nan", "=",   "<<"};
	size_t i;

	if (!*t)
		return true;
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (ieq(t, words[i]))
			return true;
	if (t[0] >= '0' && t[0] <= '9')
		return true;
	if (strchr("+-.", t[0]) && ((t[1] >= '0' && t[1] <= '9') || t[1] == '.'))
		return true;
	return false;
}

bool perf_doc_needs_quotes(const char *text)
{
	return !text || !plain_syntax_ok(text, strlen(text), false) || resolves_nonstring(text);
}

/* Emitting. */

static int emit_double(struct perf_buf *b, const char *t, size_t len)
{
	size_t i;
	int rc = perf_buf_putc(b, '"');

	for (i = 0; i < len && !rc;) {
		unsigned char c = (unsigned char)t[i];
		uint32_t cp;
		size_t w;
		if (c < 0x80) {
			switch (c) {
			case '"':
				rc = perf_buf_puts(b, "\\\"");
				break;
			case '\\':
				rc = perf_buf_puts(b, "\\\\");
				break;
			case '\n':
				rc = perf_buf_puts(b, "\\n");
				break;
			case '\t':
				rc = perf_buf_puts(b, "\\t");
				break;
			case '\r':
				rc = perf_buf_puts(b, "\\r");
				break;
			default:
				if (c < 0x20 || c == 0x7F)
					rc = perf_buf_printf(b, "\\x%02X", c);
				else
					rc = perf_buf_putc(b, (char)c);
			}
			i++;
			continue;
		}
		w = perf_utf8_decode(t + i, len - i, &cp);
		if (!w) {
			/* Not UTF-8: written as is, so the re-parse refuses it. */
			rc = perf_buf_putc(b, (char)c);
			i++;
			continue;
		}
		if (special_cp(cp))
			rc = perf_buf_printf(b, "\\u%04X", (unsigned)cp);
		else
			rc = perf_buf_add(b, t + i, w);
		i += w;
	}
	return rc ? rc : perf_buf_putc(b, '"');
}

/* A string written as text in a key, flow or single-line position. */
static int emit_inline_str(struct perf_buf *b, const char *t, size_t len, enum perf_scalar_style style, bool flow)
{
	bool plain;

	if (style == PERF_STYLE_PLAIN)
		plain = plain_syntax_ok(t, len, flow);
	else
		plain = strlen(t) == len && plain_syntax_ok(t, len, flow) && !resolves_nonstring(t);
	return plain ? perf_buf_add(b, t, len) : emit_double(b, t, len);
}

/* True when multi-line text round-trips in literal style. */
static bool literal_ok(const char *t, size_t len)
{
	size_t i, ls = 0;
	bool content = false;

	if (!memchr(t, '\n', len) || strlen(t) != len)
		return false;
	for (i = 0; i <= len; i++) {
		if (i == len || t[i] == '\n') {
			/* A line of only blanks would be taken for indentation. */
			bool blank = true;
			for (size_t k = ls; k < i; k++)
				if (t[k] != ' ')
					blank = false;
			if (blank && i > ls)
				return false;
			if (i > ls && t[ls] == '\t')
				return false;
			if (!blank)
				content = true;
			ls = i + 1;
			continue;
		}
		unsigned char c = (unsigned char)t[i];
		uint32_t cp;
		size_t w;
		if (c < 0x80) {
			if ((c < 0x20 && c != '\t') || c == 0x7F)
				return false;
			continue;
		}
		if (!(w = perf_utf8_decode(t + i, len - i, &cp)) || special_cp(cp))
			return false;
		i += w - 1;
	}
	return content;
}

static bool wants_literal(const struct perf_node *n)
{
	return n->type == PERF_NODE_SCALAR && literal_ok(n->text, n->len);
}

static int spaces(struct perf_buf *b, size_t n)
{
	int rc = 0;
	while (n-- && !rc)
		rc = perf_buf_putc(b, ' ');
	return rc;
}

static int emit_literal(struct perf_buf *b, const char *t, size_t len, size_t indent)
{
	size_t i = 0, trail = 0;
	int rc;

	while (trail < len && t[len - 1 - trail] == '\n')
		trail++;
	/* The first line with content decides the indentation unless told. */
	while (i < len && t[i] == '\n')
		i++;
	rc = perf_buf_puts(b, " |");
	if (!rc && t[i] == ' ')
		rc = perf_buf_putc(b, '2');
	if (!rc && trail != 1)
		rc = perf_buf_putc(b, trail ? '+' : '-');
	if (!rc)
		rc = perf_buf_putc(b, '\n');
	for (i = 0; i < len && !rc;) {
		const char *nl = memchr(t + i, '\n', len - i);
		size_t ll = nl ? (size_t)(nl - t) - i : len - i;
		if (ll)
			rc = spaces(b, indent);
		if (!rc)
			rc = perf_buf_add(b, t + i, ll);
		if (!rc)
			rc = perf_buf_putc(b, '\n');
		i += ll + 1;
	}
	return rc;
}

static int emit_flow(struct perf_buf *b, const struct perf_node *n, const char *src);

static int emit_key(struct perf_buf *b, const char *key, bool flow)
{
	return emit_inline_str(b, key, strlen(key), PERF_STYLE_ANY, flow);
}

/* Writes a value after "key:" (after_dash false) or "-" (after_dash true),
 * through its final newline; nested lines are indented by indent. */
static int emit_block(struct perf_buf *b, const struct perf_node *n, size_t indent, bool after_dash)
{
	size_t i;
	int rc = 0;

	if (n->type == PERF_NODE_SCALAR) {
		if (wants_literal(n))
			return emit_literal(b, n->text, n->len, indent);
		rc = perf_buf_putc(b, ' ');
		if (!rc)
			rc = emit_inline_str(b, n->text, n->len, n->style, false);
		return rc ? rc : perf_buf_putc(b, '\n');
	}
	if (!n->n || n->flow) {
		rc = perf_buf_putc(b, ' ');
		if (!rc)
			rc = emit_flow(b, n, NULL);
		return rc ? rc : perf_buf_putc(b, '\n');
	}
	if (!after_dash)
		rc = perf_buf_putc(b, '\n');
	for (i = 0; i < n->n && !rc; i++) {
		if (i || !after_dash)
			rc = spaces(b, indent);
		else
			rc = perf_buf_putc(b, ' ');
		if (rc)
			break;
		if (n->type == PERF_NODE_MAP) {
			rc = emit_key(b, n->keys[i], false);
			if (!rc)
				rc = perf_buf_putc(b, ':');
			if (!rc)
				rc = emit_block(b, n->values[i], indent + 2, false);
		} else {
			rc = perf_buf_putc(b, '-');
			if (!rc)
				rc = emit_block(b, n->values[i], indent + 2, true);
		}
	}
	return rc;
}

/* A parsed scalar is copied from the source when it sits on one line. */
static bool copyable(const struct perf_node *n, const char *src)
{
	const struct pnode *p = CP(n);
	return src && !p->builder && p->end > p->start && !memchr(src + p->start, '\n', p->end - p->start) &&
	       !memchr(src + p->start, '\r', p->end - p->start);
}

static int emit_flow_entry(struct perf_buf *b, const struct perf_node *n, size_t i, const char *src)
{
	int rc = 0;

	if (n->type == PERF_NODE_MAP) {
		const struct pnode *p = CP(n);
		if (src && !p->builder && p->kpos && p->kpos[i].end > p->kpos[i].start &&
		    !memchr(src + p->kpos[i].start, '\n', p->kpos[i].end - p->kpos[i].start))
			rc = perf_buf_add(b, src + p->kpos[i].start, p->kpos[i].end - p->kpos[i].start);
		else
			rc = emit_key(b, n->keys[i], true);
		if (!rc)
			rc = perf_buf_puts(b, ": ");
	}
	return rc ? rc : emit_flow(b, n->values[i], src);
}

static int emit_flow(struct perf_buf *b, const struct perf_node *n, const char *src)
{
	size_t i;
	int rc;

	if (n->type == PERF_NODE_SCALAR) {
		if (copyable(n, src))
			return perf_buf_add(b, src + CP(n)->start, CP(n)->end - CP(n)->start);
		return emit_inline_str(b, n->text, n->len, n->style, true);
	}
	rc = perf_buf_putc(b, n->type == PERF_NODE_MAP ? '{' : '[');
	for (i = 0; i < n->n && !rc; i++) {
		if (i)
			rc = perf_buf_puts(b, ", ");
		if (!rc)
			rc = emit_flow_entry(b, n, i, src);
	}
	return rc ? rc : perf_buf_putc(b, n->type == PERF_NODE_MAP ? '}' : ']');
}

/* Editing. */

static size_t line_start(const char *s, size_t pos)
{
	while (pos > 0 && s[pos - 1] != '\n')
		pos--;
	return pos;
}

static size_t line_end(const char *s, size_t len, size_t pos)
{
	const char *nl = pos < len ? memchr(s + pos, '\n', len - pos) : NULL;
	return nl ? (size_t)(nl - s) + 1 : len;
}

/* The last byte that belongs to a child's value. */
static size_t value_last(const struct perf_node *v)
{
	const struct pnode *p = CP(v);
	if (p->end > p->start)
		return p->end - 1;
	return p->start ? p->start - 1 : 0;
}

/*
 * The end of entry i's lines: after its value's last line, and after any
 * comment lines below it indented deeper than the entry, which belong to it
 * (and would be read as content of a literal block written there).
 */
static size_t entry_end(const char *s, size_t len, size_t limit, const struct perf_node *v, size_t col)
{
	size_t end = line_end(s, len, value_last(v)), p = end;

	while (p < limit) {
		size_t e = line_end(s, len, p), i = p;
		while (i < e && s[i] == ' ')
			i++;
		if (i < e && s[i] == '#' && i - p > col)
			end = p = e;
		else if (i == e || s[i] == '\n' || s[i] == '\r')
			p = e;
		else
			break;
	}
	return end;
}

/* Where item i of a block sequence starts: its '-'. */
static bool dash_pos(const char *s, size_t len, const struct perf_node *seq, size_t i, size_t *out)
{
	size_t p = i ? CP(seq->values[i - 1])->end : CP(seq)->start;

	if (i && CP(seq->values[i - 1])->end <= CP(seq->values[i - 1])->start)
		p = CP(seq->values[i - 1])->start;
	while (p < len) {
		if (s[p] == '#') {
			p = line_end(s, len, p);
			continue;
		}
		if (s[p] == '-') {
			*out = p;
			return p <= CP(seq->values[i])->start;
		}
		if (s[p] != ' ' && s[p] != '\t' && s[p] != '\n' && s[p] != '\r')
			return false;
		p++;
	}
	return false;
}

static size_t entry_start(const char *s, size_t len, const struct perf_node *parent, size_t i, bool *okp)
{
	size_t d = 0;

	if (parent->type == PERF_NODE_MAP)
		return CP(parent)->kpos[i].start;
	if (!dash_pos(s, len, parent, i, &d))
		*okp = false;
	return d;
}

struct splice {
	size_t at, del;
	struct perf_buf ins;
};

/* The path walked down to the edited place. */
struct walk {
	const struct perf_node *nodes[MAX_SEGS + 1]; /* nodes[0] root, nodes[k] after k segments */
	size_t idx[MAX_SEGS];                        /* child index used at each step */
};

static bool all_spaces(const char *s, size_t from, size_t to)
{
	for (; from < to; from++)
		if (s[from] != ' ')
			return false;
	return true;
}

static size_t col_of(const char *s, size_t pos)
{
	return pos - line_start(s, pos);
}

/* Sets child i of parent (i == n appends; key names a new map entry). */
static int plan_set(const struct state *st, const struct perf_node *parent, size_t i, const char *key,
                    const struct perf_node *value, struct splice *sp)
{
	const char *s = st->text.ptr;
	size_t len = st->text.len;
	const struct pnode *pp = CP(parent);
	struct perf_buf *b = &sp->ins;
	bool okp = true;
	int rc = 0;

	if (parent->flow) {
		sp->at = pp->start;
		sp->del = pp->end - pp->start;
		if (i == parent->n) {
			/* Rewrite the flow collection with the new entry at the end. */
			size_t k;
			rc = perf_buf_putc(b, parent->type == PERF_NODE_MAP ? '{' : '[');
			for (k = 0; k < parent->n && !rc; k++) {
				rc = emit_flow_entry(b, parent, k, s);
				if (!rc)
					rc = perf_buf_puts(b, ", ");
			}
			if (!rc && key)
				rc = emit_key(b, key, true);
			if (!rc && key)
				rc = perf_buf_puts(b, ": ");
			if (!rc)
				rc = emit_flow(b, value, NULL);
			if (!rc)
				rc = perf_buf_putc(b, parent->type == PERF_NODE_MAP ? '}' : ']');
			return rc;
		}
		const struct pnode *v = CP(parent->values[i]);
		sp->at = v->start;
		sp->del = v->end - v->start;
		if (v->end == v->start && v->start && s[v->start - 1] == ':')
			rc = perf_buf_putc(b, ' ');
		return rc ? rc : emit_flow(b, value, NULL);
	}
	if (i == parent->n) {
		size_t col;
		if (!parent->n) {
			/* The empty root: fields go at the end of the front matter. */
			sp->at = st->front_end;
			col = 0;
		} else {
			size_t first = entry_start(s, len, parent, 0, &okp);
			size_t lastst = entry_start(s, len, parent, parent->n - 1, &okp);
			if (!okp)
				return -1;
			col = col_of(s, first);
			sp->at = entry_end(s, len, st->front_end, parent->values[parent->n - 1], col_of(s, lastst));
		}
		sp->del = 0;
		rc = spaces(b, col);
		if (!rc && key) {
			rc = emit_key(b, key, false);
			if (!rc)
				rc = perf_buf_putc(b, ':');
			if (!rc)
				rc = emit_block(b, value, col + 2, false);
		} else if (!rc) {
			rc = perf_buf_putc(b, '-');
			if (!rc)
				rc = emit_block(b, value, col + 2, true);
		}
		return rc;
	}
	const struct perf_node *old = parent->values[i];
	const struct pnode *v = CP(old);
	bool old_inline = old->type == PERF_NODE_SCALAR
	                      ? (old->style != PERF_STYLE_LITERAL && old->style != PERF_STYLE_FOLDED)
	                      : old->flow;
	bool new_inline = value->type == PERF_NODE_SCALAR ? !wants_literal(value) : (!value->n || old->flow);
	if (old_inline && new_inline) {
		sp->at = v->start;
		sp->del = v->end - v->start;
		if (v->end == v->start && v->start && s[v->start - 1] != ' ')
			rc = perf_buf_putc(b, ' ');
		if (!rc)
			rc = value->type == PERF_NODE_SCALAR
			         ? emit_inline_str(b, value->text, value->len, value->style, false)
			         : emit_flow(b, value, NULL);
		return rc;
	}
	size_t est = entry_start(s, len, parent, i, &okp);
	if (!okp)
		return -1;
	size_t end = entry_end(s, len, st->front_end, old, col_of(s, est));
	if (parent->type == PERF_NODE_MAP) {
		sp->at = pp->kpos[i].end;
		sp->del = end - sp->at;
		rc = perf_buf_putc(b, ':');
		return rc ? rc : emit_block(b, value, col_of(s, pp->kpos[i].start) + 2, false);
	}
	size_t d = est;
	sp->at = d + 1;
	sp->del = end - sp->at;
	return emit_block(b, value, col_of(s, d) + 2, true);
}

static int plan_remove(const struct state *st, const struct walk *w, size_t depth, struct splice *sp)
{
	const char *s = st->text.ptr;
	size_t len = st->text.len, i = w->idx[depth - 1], k;
	const struct perf_node *parent = w->nodes[depth - 1];
	bool okp = true;
	int rc = 0;

	if (parent->flow) {
		sp->at = CP(parent)->start;
		sp->del = CP(parent)->end - CP(parent)->start;
		rc = perf_buf_putc(&sp->ins, parent->type == PERF_NODE_MAP ? '{' : '[');
		for (k = 0; k < parent->n && !rc; k++) {
			if (k == i)
				continue;
			if (k && !(i == 0 && k == 1))
				rc = perf_buf_puts(&sp->ins, ", ");
			if (!rc)
				rc = emit_flow_entry(&sp->ins, parent, k, s);
		}
		return rc ? rc : perf_buf_putc(&sp->ins, parent->type == PERF_NODE_MAP ? '}' : ']');
	}
	if (parent->n == 1 && depth > 1) {
		/* A block collection cannot be empty: the parent becomes {} or []. */
		struct pnode empty = {.n = {.type = parent->type, .flow = true}};
		return plan_set(st, w->nodes[depth - 2], w->idx[depth - 2], NULL, &empty.n, sp);
	}
	size_t start = entry_start(s, len, parent, i, &okp);
	if (!okp)
		return -1;
	size_t end = entry_end(s, len, st->front_end, parent->values[i], col_of(s, start));
	size_t ls = line_start(s, start);
	if (all_spaces(s, ls, start)) {
		sp->at = ls;
		sp->del = end - ls;
	} else if (i + 1 < parent->n) {
		size_t next = entry_start(s, len, parent, i + 1, &okp);
		if (!okp)
			return -1;
		sp->at = start;
		sp->del = next - start;
	} else {
		return -1;
	}
	return 0;
}

static bool node_eq(const struct perf_node *a, const struct perf_node *b)
{
	size_t i;

	if (a->type != b->type || a->n != b->n)
		return false;
	if (a->type == PERF_NODE_SCALAR)
		return a->len == b->len && !memcmp(a->text, b->text, a->len);
	for (i = 0; i < a->n; i++) {
		if (a->type == PERF_NODE_MAP && strcmp(a->keys[i], b->keys[i]))
			return false;
		if (!node_eq(a->values[i], b->values[i]))
			return false;
	}
	return true;
}

/* Checks that new equals old with exactly the one edit applied. */
static bool verify(const struct perf_node *old, const struct perf_node *nw, const struct seg *segs, size_t nseg,
                   const struct perf_node *value)
{
	size_t i, at;
	ptrdiff_t found;

	if (!nseg)
		return node_eq(value, nw);
	if (old->type != nw->type || old->type == PERF_NODE_SCALAR)
		return false;
	if (segs[0].key) {
		if (old->type != PERF_NODE_MAP)
			return false;
		found = find_key(old, segs[0].key, segs[0].klen);
		at = found < 0 ? old->n : (size_t)found;
	} else {
		if (old->type != PERF_NODE_SEQ)
			return false;
		at = segs[0].idx;
	}
	if (nseg == 1 && !value) {
		if (at >= old->n || nw->n + 1 != old->n)
			return false;
		for (i = 0; i < nw->n; i++) {
			size_t j = i < at ? i : i + 1;
			if ((old->keys && strcmp(old->keys[j], nw->keys[i])) || !node_eq(old->values[j], nw->values[i]))
				return false;
		}
		return true;
	}
	if (at == old->n) {
		if (nseg != 1 || nw->n != old->n + 1)
			return false;
		if (segs[0].key && (strncmp(nw->keys[at], segs[0].key, segs[0].klen) || nw->keys[at][segs[0].klen]))
			return false;
	} else if (nw->n != old->n) {
		return false;
	}
	for (i = 0; i < nw->n; i++) {
		if (old->keys && i < old->n && strcmp(old->keys[i], nw->keys[i]))
			return false;
		if (i == at) {
			if (!verify(i < old->n ? old->values[i] : NULL, nw->values[i], segs + 1, nseg - 1, value))
				return false;
		} else if (!node_eq(old->values[i], nw->values[i])) {
			return false;
		}
	}
	return true;
}

/* Converts "\n" to "\r\n" for CRLF documents. */
static int to_crlf(struct perf_buf *b)
{
	struct perf_buf o = PERF_BUF_INIT;
	size_t i;
	int rc = 0;

	for (i = 0; i < b->len && !rc; i++) {
		if (b->ptr[i] == '\n' && (i == 0 || b->ptr[i - 1] != '\r'))
			rc = perf_buf_putc(&o, '\r');
		if (!rc)
			rc = perf_buf_putc(&o, b->ptr[i]);
	}
	if (rc) {
		perf_buf_release(&o);
		return rc;
	}
	perf_buf_release(b);
	*b = o;
	return 0;
}

/* Applies a splice, re-parses and keeps the result only when it checks out. */
static int apply(struct perf_doc *doc, struct splice *sp, const char *what, const char *path, const struct seg *segs,
                 size_t nseg, const struct perf_node *value, bool body_only, struct perf_error *err)
{
	struct state nst;
	struct perf_buf text = PERF_BUF_INIT;
	struct perf_error perr;
	int rc;

	if (doc->st.crlf && !body_only && to_crlf(&sp->ins))
		return perf_error(err, PERF_ENOMEM, "out of memory");
	if (perf_buf_add(&text, doc->st.text.ptr, sp->at) || perf_buf_add(&text, sp->ins.ptr, sp->ins.len) ||
	    perf_buf_add(&text, doc->st.text.ptr + sp->at + sp->del, doc->st.text.len - sp->at - sp->del)) {
		perf_buf_release(&text);
		return perf_error(err, PERF_ENOMEM, "out of memory");
	}
	memset(&nst, 0, sizeof(nst));
	nst.text = text;
	if ((rc = parse_state(&nst, doc->name, &perr))) {
		state_release(&nst);
		if (rc == PERF_ENOMEM)
			return perf_error(err, rc, "out of memory");
		return perf_error(err, PERF_EINVALID, "%s: cannot %s '%s': the result would not parse: %s", doc->name,
		                  what, path, perr.msg);
	}
	bool same = body_only ? node_eq(&doc->st.root->n, &nst.root->n) && nst.front_end == doc->st.front_end
	                      : verify(&doc->st.root->n, &nst.root->n, segs, nseg, value);
	if (!same) {
		state_release(&nst);
		return perf_error(err, PERF_EINVALID,
		                  "%s: cannot %s '%s' in place without changing other fields; edit the file by hand",
		                  doc->name, what, path);
	}
	state_release(&doc->st);
	doc->st = nst;
	return 0;
}

static int edit(struct perf_doc *doc, const char *path, const struct perf_node *value, struct perf_error *err)
{
	struct seg segs[MAX_SEGS];
	struct walk w;
	size_t nseg, k;
	struct splice sp = {0, 0, PERF_BUF_INIT};
	const char *what = value ? "set" : "remove";
	int rc;

	if (parse_path(path, segs, &nseg))
		return perf_error(err, PERF_EINVALID,
		                  "%s: invalid path '%s'; write keys joined by '.' and items as [N]", doc->name,
		                  path ? path : "");
	w.nodes[0] = &doc->st.root->n;
	for (k = 0; k < nseg; k++) {
		const struct perf_node *n = w.nodes[k];
		bool last = k + 1 == nseg;
		if (segs[k].key) {
			ptrdiff_t i = find_key(n, segs[k].key, segs[k].klen);
			if (n->type != PERF_NODE_MAP)
				return perf_error(err, PERF_EINVALID, "%s: cannot %s '%s': '%.*s' is not in a mapping",
				                  doc->name, what, path, (int)segs[k].klen, segs[k].key);
			if (i < 0 && (!last || !value))
				return perf_error(err, PERF_ENOTFOUND, "%s: cannot %s '%s': no field '%.*s'", doc->name,
				                  what, path, (int)segs[k].klen, segs[k].key);
			w.idx[k] = i < 0 ? n->n : (size_t)i;
		} else {
			if (n->type != PERF_NODE_SEQ)
				return perf_error(err, PERF_EINVALID, "%s: cannot %s '%s': not a sequence before [%zu]",
				                  doc->name, what, path, segs[k].idx);
			if (segs[k].idx > n->n || (segs[k].idx == n->n && (!last || !value)))
				return perf_error(err, PERF_ENOTFOUND, "%s: cannot %s '%s': no item [%zu]", doc->name,
				                  what, path, segs[k].idx);
			w.idx[k] = segs[k].idx;
		}
		w.nodes[k + 1] = w.idx[k] < n->n ? n->values[w.idx[k]] : NULL;
	}
	if (value) {
		char key[256];
		const char *kp = NULL;
		if (segs[nseg - 1].key && w.idx[nseg - 1] == w.nodes[nseg - 1]->n) {
			if (segs[nseg - 1].klen >= sizeof(key))
				return perf_error(err, PERF_EINVALID, "%s: key in '%s' is too long", doc->name, path);
			memcpy(key, segs[nseg - 1].key, segs[nseg - 1].klen);
			key[segs[nseg - 1].klen] = '\0';
			kp = key;
		}
		rc = plan_set(&doc->st, w.nodes[nseg - 1], w.idx[nseg - 1], kp, value, &sp);
	} else {
		rc = plan_remove(&doc->st, &w, nseg, &sp);
	}
	if (rc) {
		perf_buf_release(&sp.ins);
		if (rc < 0)
			return perf_error(err, PERF_EINVALID, "%s: cannot %s '%s' in place; edit the file by hand",
			                  doc->name, what, path);
		return perf_error(err, PERF_ENOMEM, "out of memory");
	}
	rc = apply(doc, &sp, what, path, segs, nseg, value, false, err);
	perf_buf_release(&sp.ins);
	return rc;
}

int perf_doc_set_node(struct perf_doc *doc, const char *path, struct perf_node *value, struct perf_error *err)
{
	int rc;

	if (!value)
		return perf_error(err, PERF_ENOMEM, "out of memory");
	rc = edit(doc, path, value, err);
	perf_node_free(value);
	return rc;
}

int perf_doc_set_str(struct perf_doc *doc, const char *path, const char *value, struct perf_error *err)
{
	if (!value)
		return perf_error(err, PERF_EINVALID, "%s: no value for '%s'", doc->name, path ? path : "");
	return perf_doc_set_node(doc, path, perf_node_new_str(value), err);
}

int perf_doc_set_raw(struct perf_doc *doc, const char *path, const char *value, struct perf_error *err)
{
	if (!value)
		return perf_error(err, PERF_EINVALID, "%s: no value for '%s'", doc->name, path ? path : "");
	return perf_doc_set_node(doc, path, perf_node_new_raw(value), err);
}

int perf_doc_remove(struct perf_doc *doc, const char *path, struct perf_error *err)
{
	return edit(doc, path, NULL, err);
}

int perf_doc_set_body(struct perf_doc *doc, const char *body, size_t len, struct perf_error *err)
{
	struct splice sp = {doc->st.body_start, doc->st.text.len - doc->st.body_start, PERF_BUF_INIT};
	const char *s = doc->st.text.ptr;
	int rc = 0;

	/* A closing fence at the very end of the file needs its line ended. */
	if (len && (!doc->st.body_start || s[doc->st.body_start - 1] != '\n'))
		rc = perf_buf_puts(&sp.ins, doc->st.crlf ? "\r\n" : "\n");
	if (!rc)
		rc = perf_buf_add(&sp.ins, body ? body : "", body ? len : 0);
	if (rc) {
		perf_buf_release(&sp.ins);
		return perf_error(err, PERF_ENOMEM, "out of memory");
	}
	rc = apply(doc, &sp, "set", "body", NULL, 0, NULL, true, err);
	perf_buf_release(&sp.ins);
	return rc;
}
