/*
 * Three-way merge of one file, field by field (see merge.h for the rules).
 *
 * The merge walks the three front-matter trees together and, for each
 * value, decides what the result holds (a copy of ours, of theirs, or a
 * merged mapping or list).  At the same time it edits our document in place
 * so that it holds that value, with the smallest edit lib/doc.c can make.
 * When an edit cannot be made in place (a layout doc.c will not splice, a
 * key that a path cannot name), the enclosing value is written whole
 * instead; when even a top-level key cannot be written, our document goes
 * back to how it was before that key and the key is reported as a clash, so
 * nothing is ever half-merged.
 */
#include "merge.h"

#include <stdlib.h>
#include <string.h>

#include <git2.h>
#include <git2/sys/merge.h>

#include "doc.h"
#include "private.h"
#include "schema.h"
#include "utf8.h"

/* Internal outcomes besides 0 and PERF_ENOMEM. */
#define UNWRITTEN   (-1) /* the value was decided but our document does not hold it yet */
#define UNMERGEABLE (-2) /* two lists that cannot be merged item by item */
#define NOTDOC      (-3) /* a side does not parse: merge as text */

struct ctx {
	struct perf_doc *w; /* ours, edited into the result */
	struct perf_merge_result *out;
	bool record;                         /* false during a dry run: clashes are not recorded */
	const struct perf_schema_kind *kind; /* the document's kind, NULL when it is none of perf's */
};

/* Values. */

static bool scalar_eq(const struct perf_node *a, const struct perf_node *b)
{
	return a->type == PERF_NODE_SCALAR && b->type == PERF_NODE_SCALAR && a->len == b->len &&
	       !memcmp(a->text, b->text, a->len);
}

/* True when the list holds a scalar with this text. */
static bool has_scalar(const struct perf_node *seq, const struct perf_node *s)
{
	size_t i;

	for (i = 0; seq && i < seq->n; i++)
		if (scalar_eq(seq->values[i], s))
			return true;
	return false;
}

static int clone_into(const struct perf_node *n, struct perf_node **m)
{
	*m = NULL;
	if (n && !(*m = perf_node_clone(n)))
		return PERF_ENOMEM;
	return 0;
}

/* Ids of list items. */

/* Every item is a mapping with a scalar `key`, unique in the list. */
static bool ids_ok(const struct perf_node *seq, const char *key)
{
	size_t i, j;

	for (i = 0; seq && i < seq->n; i++) {
		const struct perf_node *v = perf_node_get(seq->values[i], key);
		if (!v || v->type != PERF_NODE_SCALAR)
			return false;
		for (j = 0; j < i; j++)
			if (scalar_eq(v, perf_node_get(seq->values[j], key)))
				return false;
	}
	return true;
}

/*
 * The key that names the items of the list at field, when all three sides
 * hold to it: the schema's id for a field it knows, else "id" (a newer
 * perf's field, or a file that is none of perf's kinds).
 */
static const char *pick_id(const struct ctx *c, const char *field, const struct perf_node *b, const struct perf_node *o,
                           const struct perf_node *t)
{
	const char *id = perf_schema_list_id(c->kind, field);

	if (id && ids_ok(b, id) && ids_ok(o, id) && ids_ok(t, id))
		return id;
	return NULL;
}

static const struct perf_node *find_id(const struct perf_node *seq, const char *key, const struct perf_node *id)
{
	size_t i;

	for (i = 0; seq && i < seq->n; i++)
		if (scalar_eq(perf_node_get(seq->values[i], key), id))
			return seq->values[i];
	return NULL;
}

/* Paths and field names. */

/* "parent.key" (or "key" at the top); NULL on ENOMEM. */
static char *join_key(const char *parent, const char *key)
{
	struct perf_buf b = PERF_BUF_INIT;

	if ((parent && perf_buf_printf(&b, "%s.", parent)) || perf_buf_puts(&b, key)) {
		perf_buf_release(&b);
		return NULL;
	}
	return perf_buf_detach(&b);
}

static char *join_index(const char *parent, size_t i)
{
	struct perf_buf b = PERF_BUF_INIT;

	if (perf_buf_printf(&b, "%s[%zu]", parent, i)) {
		perf_buf_release(&b);
		return NULL;
	}
	return perf_buf_detach(&b);
}

static char *join_id(const char *parent, const struct perf_node *id)
{
	struct perf_buf b = PERF_BUF_INIT;

	if (perf_buf_printf(&b, "%s[%s]", parent, id->text)) {
		perf_buf_release(&b);
		return NULL;
	}
	return perf_buf_detach(&b);
}

/* Values as text for people: YAML flow style. */

static int quoted(struct perf_buf *b, const char *t, size_t len)
{
	size_t i;
	int rc = perf_buf_putc(b, '"');

	for (i = 0; i < len && !rc; i++) {
		unsigned char c = (unsigned char)t[i];
		if (c == '"' || c == '\\')
			rc = perf_buf_putc(b, '\\') || perf_buf_putc(b, (char)c);
		else if (c == '\n')
			rc = perf_buf_puts(b, "\\n");
		else if (c == '\t')
			rc = perf_buf_puts(b, "\\t");
		else if (c == '\r')
			rc = perf_buf_puts(b, "\\r");
		else if (c < 0x20 || c == 0x7F)
			rc = perf_buf_printf(b, "\\x%02X", c);
		else
			rc = perf_buf_putc(b, (char)c);
	}
	return rc ? PERF_ENOMEM : perf_buf_putc(b, '"');
}

static bool plain_ok(const char *t, size_t len)
{
	size_t i;

	if (!len || strlen(t) != len)
		return false;
	for (i = 0; i < len; i++)
		if ((unsigned char)t[i] < 0x20 || strchr(",[]{}", t[i]))
			return false;
	return true;
}

static int flow_text(struct perf_buf *b, const struct perf_node *n)
{
	size_t i;
	int rc;

	if (n->type == PERF_NODE_SCALAR) {
		/* As written when it was plain (40 stays 40), else quoted when a reader would need it. */
		if ((n->style == PERF_STYLE_PLAIN && plain_ok(n->text, n->len)) ||
		    (plain_ok(n->text, n->len) && !perf_doc_needs_quotes(n->text)))
			return perf_buf_add(b, n->text, n->len);
		return quoted(b, n->text, n->len);
	}
	rc = perf_buf_putc(b, n->type == PERF_NODE_MAP ? '{' : '[');
	for (i = 0; i < n->n && !rc; i++) {
		if (i)
			rc = perf_buf_puts(b, ", ");
		if (!rc && n->type == PERF_NODE_MAP) {
			const char *k = n->keys[i];
			rc = perf_doc_needs_quotes(k) && !perf_doc_key_ok(k) ? quoted(b, k, strlen(k))
			                                                     : perf_buf_puts(b, k);
			if (!rc)
				rc = perf_buf_puts(b, ": ");
		}
		if (!rc)
			rc = flow_text(b, n->values[i]);
	}
	return rc ? rc : perf_buf_putc(b, n->type == PERF_NODE_MAP ? '}' : ']');
}

static int node_text(const struct perf_node *n, char **out)
{
	struct perf_buf b = PERF_BUF_INIT;

	*out = NULL;
	if (!n)
		return 0;
	if (flow_text(&b, n) || !(*out = perf_buf_detach(&b))) {
		perf_buf_release(&b);
		return PERF_ENOMEM;
	}
	return 0;
}

static char *dup_text(const char *s, size_t len)
{
	char *d = malloc(len + 1);

	if (d) {
		memcpy(d, s, len);
		d[len] = '\0';
	}
	return d;
}

/* Clashes. */

static struct perf_merge_clash *new_clash(struct perf_merge_result *out, enum perf_merge_clash_kind kind,
                                          const char *field)
{
	struct perf_merge_clash *v = realloc(out->clashes, (out->nclashes + 1) * sizeof(*v)), *c;

	if (!v)
		return NULL;
	out->clashes = v;
	c = &v[out->nclashes];
	memset(c, 0, sizeof(*c));
	c->kind = kind;
	if (!(c->field = strdup(field)))
		return NULL;
	out->nclashes++;
	return c;
}

static int add_clash(struct ctx *c, enum perf_merge_clash_kind kind, const char *field, const struct perf_node *b,
                     const struct perf_node *o, const struct perf_node *t)
{
	struct perf_merge_clash *cl;

	if (!c->record)
		return 0;
	if (!(cl = new_clash(c->out, kind, field)))
		return PERF_ENOMEM;
	if (node_text(b, &cl->base) || node_text(o, &cl->ours) || node_text(t, &cl->theirs))
		return PERF_ENOMEM;
	return 0;
}

/* An item of the list named field, changed on one side and removed on the other. */
static int item_clash(struct ctx *c, const char *field, const struct perf_node *id, const struct perf_node *b,
                      const struct perf_node *o, const struct perf_node *t)
{
	char *cf = join_id(field, id);
	int rc = cf ? add_clash(c, PERF_MERGE_CLASH_CHANGED, cf, b, o, t) : PERF_ENOMEM;

	free(cf);
	return rc;
}

static int add_clash_text(struct perf_merge_result *out, enum perf_merge_clash_kind kind, const char *field,
                          const char *b, size_t bl, const char *o, size_t ol, const char *t, size_t tl)
{
	struct perf_merge_clash *cl = new_clash(out, kind, field);

	if (!cl || (b && !(cl->base = dup_text(b, bl))) || !(cl->ours = dup_text(o, ol)) ||
	    !(cl->theirs = dup_text(t, tl)))
		return PERF_ENOMEM;
	return 0;
}

static void clash_release(struct perf_merge_clash *c)
{
	free(c->field);
	free(c->base);
	free(c->ours);
	free(c->theirs);
}

void perf_merge_result_release(struct perf_merge_result *res)
{
	size_t i;

	if (!res)
		return;
	perf_buf_release(&res->text);
	for (i = 0; i < res->nclashes; i++)
		clash_release(&res->clashes[i]);
	free(res->clashes);
	res->clashes = NULL;
	res->nclashes = 0;
	res->fields = false;
}

/* Editing our document. */

/* Makes our document hold m (NULL: nothing) at path. */
static int write_at(struct ctx *c, const char *path, const struct perf_node *m)
{
	int rc;

	if (!path)
		return UNWRITTEN;
	if (m) {
		struct perf_node *v = perf_node_clone(m);
		if (!v)
			return PERF_ENOMEM;
		rc = perf_doc_set_node(c->w, path, v, NULL);
	} else {
		rc = perf_doc_remove(c->w, path, NULL);
		if (rc == PERF_ENOTFOUND)
			rc = 0;
	}
	if (rc == PERF_ENOMEM)
		return rc;
	return rc ? UNWRITTEN : 0;
}

/* A part our document could not take in place: the rest of the map or
 * list is no longer edited part by part (the caller writes it whole).
 * Returns rc, with UNWRITTEN turned into success. */
static int stop_editing(int rc, bool *applying, bool *unwritten)
{
	if (rc != UNWRITTEN)
		return rc;
	*applying = false;
	*unwritten = true;
	return 0;
}

/* Makes item i of the list at path hold m (NULL: removes it). */
static int write_item(struct ctx *c, const char *path, size_t i, const struct perf_node *m)
{
	char *cp = join_index(path, i);
	int rc;

	if (!cp)
		return PERF_ENOMEM;
	rc = write_at(c, cp, m);
	free(cp);
	return rc;
}

/* When the parts could not be edited in place, writes the whole value. */
static int escalate(struct ctx *c, const char *path, int rc, const struct perf_node *m)
{
	if (rc == UNWRITTEN && path)
		return write_at(c, path, m);
	return rc;
}

/* The merge proper. */

static int merge_value(struct ctx *c, const char *path, const char *field, const struct perf_node *b,
                       const struct perf_node *o, const struct perf_node *t, struct perf_node **m);

static int merge_map(struct ctx *c, const char *path, const char *field, const struct perf_node *b,
                     const struct perf_node *o, const struct perf_node *t, struct perf_node **m)
{
	struct perf_node *res = perf_node_new_map(), *mk = NULL;
	bool applying = path != NULL, unwritten = false;
	char *cp = NULL, *cf = NULL;
	size_t i, pass;
	int rc = 0;

	*m = NULL;
	if (!res)
		return PERF_ENOMEM;
	/* Our keys in our order, then the keys only theirs has. */
	for (pass = 0; pass < 2 && !rc; pass++) {
		const struct perf_node *side = pass ? t : o;
		for (i = 0; i < side->n && !rc; i++) {
			const char *k = side->keys[i];
			if (pass && perf_node_get(o, k))
				continue;
			cp = cf = NULL;
			if ((applying && perf_doc_key_ok(k) && !(cp = join_key(path, k))) ||
			    !(cf = join_key(field, k))) {
				rc = PERF_ENOMEM;
				break;
			}
			rc = merge_value(c, cp, cf, perf_node_get(b, k), pass ? NULL : o->values[i],
			                 perf_node_get(t, k), &mk);
			free(cp);
			free(cf);
			rc = stop_editing(rc, &applying, &unwritten);
			if (!rc && mk)
				rc = perf_node_map_add(res, k, mk) ? PERF_ENOMEM : 0;
			else
				perf_node_free(mk);
			mk = NULL;
		}
	}
	if (rc) {
		perf_node_free(res);
		return rc;
	}
	*m = res;
	return unwritten ? UNWRITTEN : 0;
}

enum { KEEP, REMOVE, MERGE };

/*
 * Merges two lists (either may be NULL: removed) item by item, by id or as
 * sets.  path names the list in our document (NULL: do not edit it).
 */
static int merge_seq(struct ctx *c, const char *path, const char *field, const struct perf_node *b,
                     const struct perf_node *o, const struct perf_node *t, struct perf_node **m)
{
	const struct perf_node *lists[3] = {b, o, t};
	const char *idkey = NULL;
	bool scalars = true, maps = true, applying = path != NULL, unwritten = false;
	size_t i, j, k, n = o ? o->n : 0;
	unsigned char *act = NULL;
	struct perf_node *res = NULL, *mi = NULL;
	char *cp = NULL, *cf = NULL;
	int rc = 0;

	*m = NULL;
	for (k = 0; k < 3; k++)
		for (i = 0; lists[k] && i < lists[k]->n; i++) {
			scalars = scalars && lists[k]->values[i]->type == PERF_NODE_SCALAR;
			maps = maps && lists[k]->values[i]->type == PERF_NODE_MAP;
		}
	if (!scalars && (!maps || !(idkey = pick_id(c, field, b, o, t))))
		return UNMERGEABLE;
	if (!(act = calloc(n + 1, 1)) || !(res = perf_node_new_seq())) {
		free(act);
		return PERF_ENOMEM;
	}

	/* What becomes of each of our items. */
	for (i = 0; i < n && !rc; i++) {
		const struct perf_node *oi = o->values[i], *id, *bi, *ti;
		if (!idkey) {
			act[i] = has_scalar(b, oi) && !has_scalar(t, oi) ? REMOVE : KEEP;
			continue;
		}
		id = perf_node_get(oi, idkey);
		bi = find_id(b, idkey, id);
		ti = find_id(t, idkey, id);
		if (ti)
			act[i] = MERGE;
		else if (bi && perf_node_equal(bi, oi))
			act[i] = REMOVE;
		else
			act[i] = KEEP;
		if (!ti && bi && !perf_node_equal(bi, oi)) {
			/* Changed here, removed there: ours stays and the clash says so. */
			rc = item_clash(c, field, id, bi, oi, NULL);
		}
	}

	/* Removals first, from the end, so the indexes of the others hold. */
	for (i = n; applying && !rc && i-- > 0;)
		if (act[i] == REMOVE)
			rc = stop_editing(write_item(c, path, i, NULL), &applying, &unwritten);

	/* Our items that stay, merged with theirs. */
	for (i = 0, j = 0; i < n && !rc; i++) {
		const struct perf_node *oi = o->values[i];
		if (act[i] == REMOVE)
			continue;
		if (act[i] == KEEP) {
			rc = clone_into(oi, &mi);
		} else {
			const struct perf_node *id = perf_node_get(oi, idkey);
			if ((applying && !(cp = join_index(path, j))) || !(cf = join_id(field, id))) {
				rc = PERF_ENOMEM;
			} else {
				rc = merge_value(c, cp, cf, find_id(b, idkey, id), oi, find_id(t, idkey, id), &mi);
				rc = stop_editing(rc, &applying, &unwritten);
			}
			free(cp);
			free(cf);
			cp = cf = NULL;
		}
		if (!rc && mi)
			rc = perf_node_seq_add(res, mi) ? PERF_ENOMEM : 0;
		else
			perf_node_free(mi);
		mi = NULL;
		j++;
	}

	/* Their new items, in their order. */
	for (i = 0; t && i < t->n && !rc; i++) {
		const struct perf_node *ti = t->values[i];
		if (!idkey) {
			if (has_scalar(o, ti) || has_scalar(b, ti) || has_scalar(res, ti))
				continue;
		} else {
			const struct perf_node *id = perf_node_get(ti, idkey), *bi;
			if (find_id(o, idkey, id))
				continue;
			if ((bi = find_id(b, idkey, id))) {
				/* Removed here: gone, unless they changed it meanwhile. */
				if (!perf_node_equal(bi, ti))
					rc = item_clash(c, field, id, bi, NULL, ti);
				continue;
			}
		}
		if ((rc = clone_into(ti, &mi)))
			break;
		if (perf_node_seq_add(res, mi)) {
			rc = PERF_ENOMEM;
			break;
		}
		if (applying) {
			rc = stop_editing(write_item(c, path, j, ti), &applying, &unwritten);
			j++;
		}
	}
	free(act);
	if (rc) {
		perf_node_free(res);
		return rc;
	}
	*m = res;
	if (!path)
		return perf_node_equal(res, o) ? 0 : UNWRITTEN;
	return unwritten ? UNWRITTEN : 0;
}

/* Ours is unchanged from the base: make it theirs, inside if it can be done with smaller edits. */
static int take_theirs(struct ctx *c, const char *path, const char *field, const struct perf_node *o,
                       const struct perf_node *t, struct perf_node **m)
{
	bool record = c->record;
	int rc;

	*m = NULL;
	if (o && t && o->type == t->type && o->type == PERF_NODE_MAP) {
		rc = merge_map(c, path, field, o, o, t, m);
		return rc == PERF_ENOMEM ? rc : escalate(c, path, rc, *m);
	}
	if (o && t && o->type == t->type && o->type == PERF_NODE_SEQ) {
		/* Item by item only when that gives exactly their list (not when they re-ordered it). */
		c->record = false;
		rc = merge_seq(c, NULL, field, o, o, t, m);
		c->record = record;
		if (rc == PERF_ENOMEM)
			return rc;
		if (rc != UNMERGEABLE && perf_node_equal(*m, t)) {
			perf_node_free(*m);
			rc = merge_seq(c, path, field, o, o, t, m);
			return rc == PERF_ENOMEM ? rc : escalate(c, path, rc, *m);
		}
		perf_node_free(*m);
		*m = NULL;
	}
	if ((rc = clone_into(t, m)))
		return rc;
	return write_at(c, path, *m);
}

static bool seq_or_gone(const struct perf_node *n, const struct perf_node *b)
{
	return n ? n->type == PERF_NODE_SEQ : (b && b->type == PERF_NODE_SEQ);
}

/*
 * Decides the merged value m of b, o, t (each NULL when absent) and makes
 * our document hold it at path.  Returns 0, UNWRITTEN when our document
 * could not be made to hold it (path NULL, or an edit lib/doc refused), or
 * PERF_ENOMEM.
 */
static int merge_value(struct ctx *c, const char *path, const char *field, const struct perf_node *b,
                       const struct perf_node *o, const struct perf_node *t, struct perf_node **m)
{
	int rc;

	*m = NULL;
	if (perf_node_equal(o, t) || perf_node_equal(b, t))
		return clone_into(o, m);
	if (perf_node_equal(b, o))
		return take_theirs(c, path, field, o, t, m);
	/* Both changed it, differently. */
	if (o && t && o->type == PERF_NODE_MAP && t->type == PERF_NODE_MAP) {
		rc = merge_map(c, path, field, b && b->type == PERF_NODE_MAP ? b : NULL, o, t, m);
		return rc == PERF_ENOMEM ? rc : escalate(c, path, rc, *m);
	}
	if (seq_or_gone(o, b) && seq_or_gone(t, b)) {
		rc = merge_seq(c, o ? path : NULL, field, b && b->type == PERF_NODE_SEQ ? b : NULL, o, t, m);
		if (rc == PERF_ENOMEM)
			return rc;
		if (rc != UNMERGEABLE) {
			if (!(*m)->n && (!o || !t)) {
				/* Removed on one side and emptied by the merge: gone. */
				perf_node_free(*m);
				*m = NULL;
				return o ? write_at(c, path, NULL) : 0;
			}
			if (!o)
				return write_at(c, path, *m);
			return escalate(c, path, rc, *m);
		}
	}
	if ((rc = add_clash(c, PERF_MERGE_CLASH_CHANGED, field, b, o, t)))
		return rc;
	return clone_into(o, m);
}

/* Documents. */

static int parse(struct perf_doc **out, const struct perf_schema_kind *kind, const char *buf, size_t len,
                 const char *name)
{
	int rc = kind ? perf_schema_parse(out, kind, buf, len, name, NULL) : perf_doc_parse(out, buf, len, name, NULL);
	return rc == PERF_ENOMEM ? rc : rc ? NOTDOC : 0;
}

/* The top level: each key on its own, undone and reported when it cannot be written. */
static int merge_root(struct ctx *c, const struct perf_node *b, const struct perf_node *o, const struct perf_node *t,
                      const char *name)
{
	size_t i, pass, nclash, len;
	struct perf_node *mk = NULL;
	int rc = 0;

	for (pass = 0; pass < 2 && !rc; pass++) {
		const struct perf_node *side = pass ? t : o;
		for (i = 0; i < side->n && !rc; i++) {
			const char *k = side->keys[i];
			const struct perf_node *bk = perf_node_get(b, k), *ok = pass ? NULL : o->values[i],
			                       *tk = perf_node_get(t, k);
			const char *now;
			char *snap;
			if (pass && perf_node_get(o, k))
				continue;
			if (perf_node_equal(ok, tk) || perf_node_equal(bk, tk))
				continue; /* ours stands */
			nclash = c->out->nclashes;
			now = perf_doc_text(c->w, &len);
			if (!(snap = dup_text(now, len)))
				return PERF_ENOMEM;
			rc = merge_value(c, perf_doc_key_ok(k) ? k : NULL, k, bk, ok, tk, &mk);
			perf_node_free(mk);
			mk = NULL;
			if (rc == UNWRITTEN) {
				struct perf_doc *back = NULL;
				size_t nl;
				now = perf_doc_text(c->w, &nl);
				rc = 0;
				if (nl != len || memcmp(now, snap, len)) {
					rc = perf_doc_parse(&back, snap, len, name, NULL);
					if (!rc) {
						perf_doc_free(c->w);
						c->w = back;
					}
				}
				while (c->out->nclashes > nclash)
					clash_release(&c->out->clashes[--c->out->nclashes]);
				if (!rc)
					rc = add_clash(c, PERF_MERGE_CLASH_UNWRITABLE, k, bk, ok, tk);
			}
			free(snap);
		}
	}
	return rc;
}

static bool same(const char *a, size_t al, const char *b, size_t bl)
{
	return al == bl && (!al || !memcmp(a, b, al));
}

static void merge_input(git_merge_file_input *in, const char *text, size_t len)
{
	git_merge_file_input_init(in, GIT_MERGE_FILE_INPUT_VERSION);
	in->ptr = text;
	in->size = len;
}

/* libgit2's line merge; *clean false when it would need conflict markers. */
static int text_merge(struct perf_buf *out, bool *clean, const char *base, size_t blen, const char *ours, size_t olen,
                      const char *theirs, size_t tlen, struct perf_error *err)
{
	git_merge_file_input a, o, t;
	git_merge_file_result r;
	int rc = 0;

	memset(&r, 0, sizeof(r));
	merge_input(&a, base ? base : "", base ? blen : 0);
	merge_input(&o, ours, olen);
	merge_input(&t, theirs, tlen);
	*clean = false;
	git_libgit2_init();
	if (git_merge_file(&r, &a, &o, &t, NULL) < 0) {
		rc = perf_error_git(err, "cannot merge as text");
	} else if (r.automergeable) {
		*clean = true;
		if (perf_buf_add(out, r.ptr, r.len))
			rc = perf_error(err, PERF_ENOMEM, "out of memory");
	}
	git_merge_file_result_free(&r);
	git_libgit2_shutdown();
	return rc;
}

static int merge_body(struct ctx *c, const struct perf_doc *bd, const struct perf_doc *od, const struct perf_doc *td,
                      struct perf_error *err)
{
	size_t bl = 0, ol, tl;
	const char *bb = bd ? perf_doc_body(bd, &bl) : NULL, *ob = perf_doc_body(od, &ol), *tb = perf_doc_body(td, &tl);
	struct perf_buf merged = PERF_BUF_INIT;
	bool clean = false;
	int rc;

	if (same(ob, ol, tb, tl) || (bb && same(bb, bl, tb, tl)))
		return 0;
	if (bb && same(bb, bl, ob, ol)) {
		if ((rc = perf_buf_add(&merged, tb, tl)))
			return perf_error(err, PERF_ENOMEM, "out of memory");
		clean = true;
	} else if (perf_private_doc_is(od) || perf_private_doc_is(td) || perf_private_body_is(ob, ol) ||
	           perf_private_body_is(tb, tl)) {
		/* Two sealings of private words cannot be merged as text: a reader settles it. */
		clean = false;
	} else if ((rc = text_merge(&merged, &clean, bb, bl, ob, ol, tb, tl, err))) {
		return rc;
	}
	rc = 0;
	if (clean) {
		rc = perf_doc_set_body(c->w, merged.ptr ? merged.ptr : "", merged.len, NULL);
		if (rc && rc != PERF_ENOMEM) {
			rc = add_clash_text(c->out, PERF_MERGE_CLASH_UNWRITABLE, "body", bb, bl, ob, ol, tb, tl);
		}
	} else {
		rc = add_clash_text(c->out, PERF_MERGE_CLASH_CHANGED, "body", bb, bl, ob, ol, tb, tl);
	}
	perf_buf_release(&merged);
	return rc ? perf_error(err, PERF_ENOMEM, "out of memory") : 0;
}

/*
 * Field by field.  NOTDOC when a side does not parse; *parsed says whether
 * ours and theirs both did (then a text merge must parse too).
 */
static int merge_fields(const struct perf_schema_kind *kind, const char *name, const char *base, size_t blen,
                        const char *ours, size_t olen, const char *theirs, size_t tlen, struct perf_merge_result *out,
                        bool *parsed, struct perf_error *err)
{
	struct perf_doc *bd = NULL, *od = NULL, *td = NULL;
	struct ctx c = {NULL, out, true, kind};
	int rc;

	*parsed = false;
	if ((rc = parse(&od, kind, ours, olen, name)) || (rc = parse(&td, kind, theirs, tlen, name)))
		goto out;
	*parsed = true;
	if ((base && (rc = parse(&bd, kind, base, blen, name))) || (rc = parse(&c.w, kind, ours, olen, name)))
		goto out;
	rc = merge_root(&c, bd ? perf_doc_root(bd) : NULL, perf_doc_root(od), perf_doc_root(td), name);
	if (rc && rc != PERF_ENOMEM) {
		/* Our own text, restored, failed to parse again: a bug, said plainly. */
		rc = perf_error(err, PERF_EINVALID, "%s: cannot restore a field after a failed merge", name);
		goto out;
	}
	if (rc)
		goto out;
	if ((!kind || kind->fenced) && (rc = merge_body(&c, bd, od, td, err)))
		goto out;
	out->fields = true;
	if (kind) {
		rc = perf_schema_text(&out->text, kind, c.w, err);
	} else {
		rc = perf_doc_put_text(c.w, &out->text, err);
	}
out:
	if (rc == PERF_ENOMEM)
		perf_error(err, rc, "out of memory");
	perf_doc_free(bd);
	perf_doc_free(od);
	perf_doc_free(td);
	perf_doc_free(c.w);
	return rc;
}

static const struct perf_schema_kind *kind_of(const char *path)
{
	struct perf_schema_match m;

	if (!path || perf_schema_match_path(&m, path, NULL))
		return NULL;
	return m.kind;
}

int perf_merge_doc(const char *path, const char *base, size_t blen, const char *ours, size_t olen, const char *theirs,
                   size_t tlen, struct perf_merge_result *out, struct perf_error *err)
{
	const struct perf_schema_kind *kind = kind_of(path);
	const char *name = path ? path : "document";
	bool parsed = false, clean = false;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!ours || !theirs)
		return perf_error(err, PERF_EINVALID, "%s: nothing to merge", name);
	/* Byte for byte. */
	if (same(ours, olen, theirs, tlen) || (base && same(base, blen, theirs, tlen)))
		rc = perf_buf_add(&out->text, ours, olen);
	else if (base && same(base, blen, ours, olen))
		rc = perf_buf_add(&out->text, theirs, tlen);
	else
		goto merge;
	return rc ? perf_error(err, PERF_ENOMEM, "out of memory") : 0;

merge:
	if (base && !blen)
		base = NULL;
	if ((base && memchr(base, '\0', blen)) || memchr(ours, '\0', olen) || memchr(theirs, '\0', tlen))
		goto conflict;
	rc = merge_fields(kind, name, base, blen, ours, olen, theirs, tlen, out, &parsed, err);
	if (rc != NOTDOC) {
		if (rc)
			perf_merge_result_release(out);
		return rc;
	}
	perf_merge_result_release(out);
	if ((rc = text_merge(&out->text, &clean, base, blen, ours, olen, theirs, tlen, err)))
		goto fail;
	if (clean && parsed) {
		/* Both sides were documents: so must the result be. */
		struct perf_doc *check = NULL;
		rc = parse(&check, kind, out->text.ptr, out->text.len, name);
		perf_doc_free(check);
		if (rc == PERF_ENOMEM)
			goto nomem;
		clean = rc == 0;
	}
	if (clean)
		return 0;
conflict:
	perf_buf_release(&out->text);
	if (perf_buf_add(&out->text, ours, olen) ||
	    add_clash_text(out, PERF_MERGE_CLASH_CHANGED, "file", base, blen, ours, olen, theirs, tlen))
		goto nomem;
	return 0;
nomem:
	rc = perf_error(err, PERF_ENOMEM, "out of memory");
fail:
	perf_merge_result_release(out);
	return rc;
}

/* Messages. */

/* A value for a message: at most about 60 bytes, cut at a character boundary. */
static int short_value(struct perf_buf *out, const char *v)
{
	size_t len = strlen(v), cut = len;

	if (len > 60) {
		cut = perf_utf8_cut(v, 57);
	}
	if (perf_buf_add(out, v, cut) || (cut < len && perf_buf_puts(out, "...")))
		return PERF_ENOMEM;
	return 0;
}

int perf_merge_clash_describe(struct perf_buf *out, const char *path, const struct perf_merge_clash *clash)
{
	bool whole = !strcmp(clash->field, "file"), body = !strcmp(clash->field, "body");
	int rc = 0;

	if (path)
		rc = perf_buf_printf(out, "%s: ", path);
	if (rc)
		return PERF_ENOMEM;
	if (whole || body) {
		const char *what = whole ? "the file" : "the body";
		if (clash->kind == PERF_MERGE_CLASH_UNWRITABLE)
			rc = perf_buf_printf(out, "%s cannot be merged in place", what);
		else if (body && clash->ours && perf_private_body_is(clash->ours, strlen(clash->ours)))
			rc = perf_buf_puts(out,
			                   "the private body changed on both sides; sealed text is never merged, so "
			                   "a reader settles it");
		else if (!clash->base)
			rc = perf_buf_printf(out, "%s was added on both sides with different text", what);
		else
			rc = perf_buf_printf(out, "%s changed on both sides in the same lines", what);
		return rc ? PERF_ENOMEM : 0;
	}
	if (clash->kind == PERF_MERGE_CLASH_UNWRITABLE)
		rc = perf_buf_printf(out, "field '%s' cannot be merged in place", clash->field);
	else if (!clash->ours)
		rc = perf_buf_printf(out, "field '%s' removed on our side and changed on theirs", clash->field);
	else if (!clash->theirs)
		rc = perf_buf_printf(out, "field '%s' changed on our side and removed on theirs", clash->field);
	else if (!clash->base)
		rc = perf_buf_printf(out, "field '%s' added on both sides", clash->field);
	else
		rc = perf_buf_printf(out, "field '%s' changed on both sides", clash->field);
	if (!rc && clash->ours)
		rc = perf_buf_puts(out, ": ours ") || short_value(out, clash->ours);
	if (!rc && clash->theirs)
		rc = perf_buf_puts(out, clash->ours ? ", theirs " : ": theirs ") || short_value(out, clash->theirs);
	if (!rc && clash->base)
		rc = perf_buf_puts(out, " (base ") || short_value(out, clash->base) || perf_buf_putc(out, ')');
	return rc ? PERF_ENOMEM : 0;
}

/* The libgit2 merge driver. */

static int blob_text(git_blob **blob, git_repository *repo, const git_index_entry *e, const char **text, size_t *len)
{
	*text = NULL;
	*len = 0;
	if (!e)
		return 0;
	if (git_blob_lookup(blob, repo, &e->id) < 0)
		return -1;
	*text = git_blob_rawcontent(*blob);
	*len = (size_t)git_blob_rawsize(*blob);
	if (!*text)
		*text = "";
	return 0;
}

static int driver_apply(git_merge_driver *self, const char **path_out, uint32_t *mode_out, git_buf *merged_out,
                        const char *filter_name, const git_merge_driver_source *src)
{
	const git_index_entry *anc = git_merge_driver_source_ancestor(src), *ours = git_merge_driver_source_ours(src),
	                      *theirs = git_merge_driver_source_theirs(src);
	git_repository *repo = git_merge_driver_source_repo(src);
	git_blob *ab = NULL, *ob = NULL, *tb = NULL;
	struct perf_merge_result res = PERF_MERGE_RESULT_INIT;
	struct perf_error err;
	const char *a, *o, *t, *path;
	size_t al, ol, tl;
	int rc;

	(void)self;
	(void)filter_name;
	if (!ours || !theirs)
		return GIT_PASSTHROUGH;
	/* A rename on one side: the merged file takes the new name. */
	path = anc && anc->path && ours->path && !strcmp(anc->path, ours->path) && theirs->path ? theirs->path
	                                                                                        : ours->path;
	if (blob_text(&ab, repo, anc, &a, &al) || blob_text(&ob, repo, ours, &o, &ol) ||
	    blob_text(&tb, repo, theirs, &t, &tl)) {
		rc = -1;
		goto out;
	}
	if (perf_merge_doc(path, a, al, o, ol, t, tl, &res, &err)) {
		git_error_set_str(GIT_ERROR_MERGE, err.msg);
		rc = -1;
		goto out;
	}
	if (res.nclashes) {
		rc = GIT_EMERGECONFLICT;
		goto out;
	}
	*path_out = path;
	*mode_out = anc && anc->mode == ours->mode ? theirs->mode : ours->mode;
	/* libgit2 frees the buffer with its allocator, which is malloc's unless perf changes it (it does not). */
	merged_out->size = res.text.len;
	merged_out->reserved = res.text.cap;
	if (!(merged_out->ptr = perf_buf_detach(&res.text))) {
		git_error_set_oom();
		rc = -1;
		goto out;
	}
	rc = 0;
out:
	perf_merge_result_release(&res);
	git_blob_free(ab);
	git_blob_free(ob);
	git_blob_free(tb);
	return rc;
}

static git_merge_driver driver = {GIT_MERGE_DRIVER_VERSION, NULL, NULL, driver_apply};

int perf_merge_driver_register(struct perf_error *err)
{
	int rc = git_merge_driver_register(PERF_MERGE_DRIVER, &driver);

	if (rc == GIT_EEXISTS) {
		git_error_clear();
		return 0;
	}
	if (rc < 0)
		return perf_error_git(err, "cannot register the merge driver '%s'", PERF_MERGE_DRIVER);
	return 0;
}
