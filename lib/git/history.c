#include "history.h"

#include <git2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "doc.h"
#include "people.h"
#include "private.h"
#include "schema.h"
#include "value.h"
#include "repo.h"
#include "repo-internal.h"

/* --- handles for commit authors ------------------------------------------ */

static const char *handle_for(const struct perf_people *pm, const git_signature *sig)
{
	const char *h = perf_people_handle(pm, sig->email);

	return h ? h : sig->name;
}

/* --- trailers and words ---------------------------------------------------- */

struct trailers {
	git_message_trailer_array arr;
};

static const char *trailer(const struct trailers *t, const char *key, size_t nth)
{
	for (size_t i = 0; i < t->arr.count; i++)
		if (!strcasecmp(t->arr.trailers[i].key, key) && nth-- == 0)
			return t->arr.trailers[i].value;
	return NULL;
}

/*
 * "checkins/ari/2026-W47.md" → "ari/2026-W47" for people: a person's
 * documents without their folder, others (norms/pairing) whole.
 */
static void short_name(const char *path, char *out, size_t outsz)
{
	struct perf_schema_match m;
	const char *p = path, *slash = strchr(path, '/');
	size_t n;

	if (slash && (perf_schema_match_path(&m, path, NULL) ||
	              perf_schema_per_person(m.parent[0] && m.parent_kind ? m.parent_kind : m.kind)))
		p = slash + 1;
	n = strlen(p);
	if (n > 3 && !strcmp(p + n - 3, ".md"))
		n -= 3;
	snprintf(out, outsz, "%.*s", (int)n, p);
}

/* The first line of a reply's body, for "replied: ..." */
static void first_line(git_repository *g, git_commit *c, const char *path, char *out, size_t outsz)
{
	git_tree *tree = NULL;
	git_tree_entry *e = NULL;
	git_blob *blob = NULL;
	struct perf_doc *doc = NULL;

	out[0] = '\0';
	if (git_commit_tree(&tree, c) < 0 || git_tree_entry_bypath(&e, tree, path) < 0 ||
	    git_blob_lookup(&blob, g, git_tree_entry_id(e)) < 0)
		goto out;
	if (perf_doc_parse(&doc, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob), path, NULL) == 0 &&
	    perf_private_doc_is(doc)) {
		snprintf(out, outsz, "(private)");
	} else if (doc) {
		size_t len, i = 0, n;
		const char *b = perf_doc_body(doc, &len);
		while (i < len && (b[i] == '\n' || b[i] == ' ' || b[i] == '\r'))
			i++;
		for (n = 0; i + n < len && b[i + n] != '\n' && b[i + n] != '\r'; n++)
			;
		if (n > 60)
			snprintf(out, outsz, "\"%.57s...\"", b + i);
		else if (n)
			snprintf(out, outsz, "\"%.*s\"", (int)n, b + i);
	}
out:
	perf_doc_free(doc);
	git_blob_free(blob);
	git_tree_entry_free(e);
	git_tree_free(tree);
}

/* What one commit's trailers, subject and document give the kind's words. */
struct say {
	git_repository *g;
	git_commit *c;
	const struct trailers *t;
	const char *who, *subject, *focus, *path, *rest;
	const char *name; /* the document's short name */
	struct perf_schema_match m;
	bool matched;
};

static bool say_when(struct say *s, const char *when)
{
	const char *eq = when ? strchr(when, '=') : NULL;
	const char *v = eq ? eq + 1 : "";
	size_t n = eq ? (size_t)(eq - when) : when ? strlen(when) : 0;

	if (!when)
		return true;
	if (n == 5 && !strncmp(when, "focus", 5))
		return s->focus != NULL;
	if (n == 6 && !strncmp(when, "action", 6))
		return trailer(s->t, "Perf-Action", 0) && !strcmp(trailer(s->t, "Perf-Action", 0), v);
	if (n == 7 && !strncmp(when, "trailer", 7))
		return trailer(s->t, v, 0) != NULL;
	if (n == 7 && !strncmp(when, "subject", 7))
		return strstr(s->subject, v) != NULL;
	if (n == 6 && !strncmp(when, "prefix", 6) && !strncmp(s->subject, v, strlen(v))) {
		s->rest = s->subject + strlen(v);
		return true;
	}
	return false;
}

/* Appends the value of one {part} of the words. */
static void say_part(struct perf_buf *b, struct say *s, const char *part, size_t n)
{
	char name[PERF_SCHEMA_PATH_MAX + 1], line[80];
	const char *owner = s->matched && s->m.handle[0] ? s->m.handle : s->name;

#define IS(w) (n == sizeof(w) - 1 && !strncmp(part, w, n))
	if (IS("who")) {
		perf_buf_puts(b, s->who);
	} else if (IS("name")) {
		perf_buf_puts(b, s->name);
	} else if (IS("whose")) {
		if (!strcmp(owner, s->who))
			perf_buf_puts(b, "their");
		else
			perf_buf_printf(b, "%s's", owner);
	} else if (IS("week")) {
		perf_buf_puts(b, s->matched && s->m.week[0] ? s->m.week : s->name);
	} else if (IS("date")) {
		perf_buf_puts(b, s->matched && s->m.date[0] ? s->m.date : s->name);
	} else if (IS("change")) {
		const char *change = trailer(s->t, "Perf-Change", 0);
		if (change)
			perf_buf_printf(b, ": %s", change);
	} else if (IS("to")) {
		const char *to = trailer(s->t, "Perf-To", 0);
		if (!to && s->matched && s->m.parent[0])
			to = s->m.parent;
		if (to) {
			short_name(to, name, sizeof(name));
			perf_buf_puts(b, name);
		}
	} else if (IS("line")) {
		first_line(s->g, s->c, s->path ? s->path : "", line, sizeof(line));
		if (line[0])
			perf_buf_printf(b, ": %s", line);
	} else if (IS("rest")) {
		perf_buf_puts(b, s->rest ? s->rest : "");
	}
#undef IS
}

static char *words_for(git_repository *g, git_commit *c, const struct trailers *t, const char *who, const char *subject,
                       const char *focus)
{
	struct perf_buf b = PERF_BUF_INIT;
	const char *kind = trailer(t, "Perf-Kind", 0), *path = trailer(t, "Perf-Path", 0);
	const struct perf_schema_kind *k = kind ? perf_schema_kind(kind) : NULL;
	char name[PERF_SCHEMA_PATH_MAX + 1] = "";
	struct say s = {g, c, t, who, subject, focus, path, NULL, name, {0}, false};

	if (path) {
		short_name(path, name, sizeof(name));
		s.matched = perf_schema_match_path(&s.m, path, NULL) == 0;
	}
	if (!kind) {
		perf_buf_printf(&b, "%s: %s", who, subject);
		return perf_buf_detach(&b);
	}
	/* In a goal's history, what a check-in did to that goal (its Perf-Goal trailer). */
	if (focus && trailer(t, "Perf-Goal", 0) && perf_schema_match_path(&s.m, focus, NULL) == 0 &&
	    s.m.kind == perf_schema_kind("goal")) {
		char slug[PERF_HANDLE_MAX + 2];
		snprintf(slug, sizeof(slug), "%s ", s.m.slug);
		for (size_t i = 0; trailer(t, "Perf-Goal", i); i++) {
			const char *gl = trailer(t, "Perf-Goal", i), *arrow = strstr(gl, " -> ");
			if (strncmp(gl, slug, strlen(slug)))
				continue;
			s.matched = path && perf_schema_match_path(&s.m, path, NULL) == 0;
			perf_buf_printf(&b, "progress %.*s → %s (check-in %s)",
			                arrow ? (int)(arrow - gl - strlen(slug)) : 0, gl + strlen(slug),
			                arrow ? arrow + 4 : "", s.matched ? s.m.week : name);
			return perf_buf_detach(&b);
		}
		s.matched = path && perf_schema_match_path(&s.m, path, NULL) == 0;
	}
	if (!strcmp(kind, "init")) {
		perf_buf_printf(&b, "%s created the team's repository", who);
	} else if (!strcmp(kind, "merge")) {
		perf_buf_printf(&b, "%s merged what others wrote", who);
	} else if (k && k->log) {
		const struct perf_schema_say *w = k->log;
		while (w->words && !say_when(&s, w->when))
			w++;
		for (const char *p = w->words ? w->words : ""; *p;) {
			const char *open = strchr(p, '{'), *close = open ? strchr(open, '}') : NULL;
			if (!close) {
				perf_buf_puts(&b, p);
				break;
			}
			perf_buf_add(&b, p, (size_t)(open - p));
			say_part(&b, &s, open + 1, (size_t)(close - open - 1));
			p = close + 1;
		}
	} else {
		const char *colon = strchr(subject, ':');
		perf_buf_printf(&b, "%s", colon ? colon + 2 : subject);
	}
	return perf_buf_detach(&b);
}

static int push_entry(struct perf_log *log, git_repository *g, git_commit *c, const struct perf_people *pm,
                      const char *focus)
{
	struct perf_log_entry *e;
	struct trailers t;
	const char *msg = git_commit_message(c), *nl;
	const char *who = handle_for(pm, git_commit_author(c));
	char *subject;

	memset(&t, 0, sizeof(t));
	git_message_trailers(&t.arr, msg);
	nl = strchr(msg, '\n');
	subject = nl ? strndup(msg, (size_t)(nl - msg)) : strdup(msg);
	if (log->n == log->cap) {
		size_t cap = log->cap ? log->cap * 2 : 32;
		void *v = realloc(log->v, cap * sizeof(*log->v));
		if (!v) {
			free(subject);
			git_message_trailer_array_free(&t.arr);
			return PERF_ENOMEM;
		}
		log->v = v;
		log->cap = cap;
	}
	e = &log->v[log->n++];
	memset(e, 0, sizeof(*e));
	git_oid_tostr(e->id, sizeof(e->id), git_commit_id(c));
	e->when = (time_t)git_commit_author(c)->when.time;
	e->author = strdup(who);
	e->kind = strdup(trailer(&t, "Perf-Kind", 0) ? trailer(&t, "Perf-Kind", 0) : "");
	e->path = strdup(trailer(&t, "Perf-Path", 0) ? trailer(&t, "Perf-Path", 0) : "");
	e->subject = subject;
	e->words = words_for(g, c, &t, who, subject ? subject : "", focus);
	git_message_trailer_array_free(&t.arr);
	return e->author && e->kind && e->path && e->subject && e->words ? 0 : PERF_ENOMEM;
}

/* The id of the entry at path in the tree tree_id (zero when absent),
 * remembering the last answer for when the same tree is asked again. */
struct memo {
	git_oid tree, id;
	bool valid;
};

static void entry_id(git_repository *g, const git_oid *tree_id, const char *path, struct memo *m, git_oid *out)
{
	git_tree *tree = NULL;
	git_tree_entry *e = NULL;

	if (m->valid && git_oid_equal(&m->tree, tree_id)) {
		*out = m->id;
		return;
	}
	memset(out, 0, sizeof(*out));
	if (git_tree_lookup(&tree, g, tree_id) == 0 && git_tree_entry_bypath(&e, tree, path) == 0)
		git_oid_cpy(out, git_tree_entry_id(e));
	git_error_clear();
	git_tree_entry_free(e);
	git_tree_free(tree);
	m->tree = *tree_id;
	m->id = *out;
	m->valid = true;
}

/*
 * Whether a commit changed the document or its thread, by comparing trees
 * (for the commits whose changed paths the index does not keep): the id of
 * the folder holding both first (one lookup that usually settles it), then
 * the document and the thread.  memos[0] serves the commit, memos[1] its
 * parent.
 */
static bool touches(git_repository *g, const git_oid *tree, const git_oid *ptree, const char *dir, const char *path,
                    const char *thread, struct memo memos[2][3])
{
	git_oid a, b;
	struct memo *mc = memos[0], *mp = memos[1];

	entry_id(g, tree, dir, &mc[0], &a);
	if (ptree)
		entry_id(g, ptree, dir, &mp[0], &b);
	else
		memset(&b, 0, sizeof(b));
	if (git_oid_equal(&a, &b))
		return false;
	entry_id(g, tree, path, &mc[1], &a);
	if (ptree)
		entry_id(g, ptree, path, &mp[1], &b);
	else
		memset(&b, 0, sizeof(b));
	if (!git_oid_equal(&a, &b))
		return true;
	if (!thread[0])
		return false;
	entry_id(g, tree, thread, &mc[2], &a);
	if (ptree)
		entry_id(g, ptree, thread, &mp[2], &b);
	else
		memset(&b, 0, sizeof(b));
	return !git_oid_equal(&a, &b);
}

/* --- the commit index ---------------------------------------------------- */

/*
 * perf log orders every commit reachable from HEAD and, for one document,
 * asks of each whether it changed the document or its thread.  What that
 * takes of a commit - its tree, parents and time, and the paths a commit
 * with at most one parent changed - is kept in .git/perf/cache/log-v2
 * (perf-format(5), CACHE), keyed by the commit's id: a commit never
 * changes, so an entry never goes stale, and only commits not seen before
 * are read and compared.
 *
 *   REC_COMMIT: tree id (20), committer time (8, signed), parent count (4),
 *               parent ids (20 each)
 *   REC_PATHS:  a flag byte (0: the list follows; 1: too many paths, compare
 *               trees instead), then each changed path and a NUL
 */
#define LOG_CACHE  "log-v2"
#define REC_COMMIT 1
#define REC_PATHS  2
#define PATHS_MAX  512
#define NO_NODE    UINT32_MAX
#define TREE_SLOTS 64

struct cnode {
	git_oid id;
	const unsigned char *rec;
	int64_t time;
	uint32_t nparents;
	uint32_t pending; /* children not yet in the order */
	uint64_t seq;     /* when it became ready: the earliest goes first among equal times, as in git */
};

struct tree_slot {
	git_oid id;
	git_odb_object *obj;
};

struct walk {
	git_odb *odb;
	struct perf_cache *cache;
	struct cnode *v;
	size_t n, cap;
	uint32_t *slots; /* node index + 1, 0 when empty */
	size_t nslots;
	struct tree_slot trees[TREE_SLOTS];
	unsigned next_tree;
};

static size_t oid_hash(const git_oid *id)
{
	size_t h;

	memcpy(&h, id->id, sizeof(h));
	return h;
}

static uint32_t node_find(const struct walk *w, const git_oid *id)
{
	if (!w->nslots)
		return NO_NODE;
	for (size_t i = oid_hash(id) & (w->nslots - 1);; i = (i + 1) & (w->nslots - 1)) {
		if (!w->slots[i])
			return NO_NODE;
		if (git_oid_equal(&w->v[w->slots[i] - 1].id, id))
			return w->slots[i] - 1;
	}
}

static int node_add(struct walk *w, const git_oid *id, uint32_t *out)
{
	size_t i;

	if ((w->n + 1) * 2 > w->nslots) {
		size_t n = w->nslots ? w->nslots * 2 : 4096;
		uint32_t *s = calloc(n, sizeof(*s));
		if (!s)
			return PERF_ENOMEM;
		for (size_t k = 0; k < w->n; k++) {
			for (i = oid_hash(&w->v[k].id) & (n - 1); s[i]; i = (i + 1) & (n - 1))
				;
			s[i] = (uint32_t)(k + 1);
		}
		free(w->slots);
		w->slots = s;
		w->nslots = n;
	}
	if (w->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 1024;
		void *v = realloc(w->v, cap * sizeof(*w->v));
		if (!v)
			return PERF_ENOMEM;
		w->v = v;
		w->cap = cap;
	}
	memset(&w->v[w->n], 0, sizeof(*w->v));
	git_oid_cpy(&w->v[w->n].id, id);
	for (i = oid_hash(id) & (w->nslots - 1); w->slots[i]; i = (i + 1) & (w->nslots - 1))
		;
	w->slots[i] = (uint32_t)(w->n + 1);
	*out = (uint32_t)w->n++;
	return 0;
}

/* Parses a raw commit's headers into a REC_COMMIT record in rec: -1 when
 * there is no tree (not a commit) or no memory. */
static int parse_commit(const char *data, size_t len, struct perf_buf *rec)
{
	const char *p = data, *end = data + len;
	unsigned char head[32], raw[GIT_OID_RAWSZ];
	uint32_t nparents = 0;
	int64_t when = 0;
	bool have_tree = false;
	git_oid id;

	memset(head, 0, sizeof(head));
	rec->len = 0;
	if (perf_buf_add(rec, head, sizeof(head)))
		return -1;
	while (p < end && *p != '\n') {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (n == 45 && !memcmp(p, "tree ", 5) && !have_tree && git_oid_fromstrn(&id, p + 5, 40) == 0) {
			memcpy(head, id.id, GIT_OID_RAWSZ);
			have_tree = true;
		} else if (n == 47 && !memcmp(p, "parent ", 7) && git_oid_fromstrn(&id, p + 7, 40) == 0) {
			memcpy(raw, id.id, GIT_OID_RAWSZ);
			if (perf_buf_add(rec, raw, sizeof(raw)))
				return -1;
			nparents++;
		} else if (n > 10 && !memcmp(p, "committer ", 10)) {
			/* "committer NAME <EMAIL> SECONDS ZONE": the seconds follow the last '>'. */
			const char *gt = NULL;
			for (const char *q = p; q < p + n; q++)
				if (*q == '>')
					gt = q;
			if (gt) {
				char num[24];
				size_t k = 0;
				for (const char *q = gt + 1; q < p + n && *q == ' '; q++)
					gt = q;
				for (const char *q = gt + 1;
				     q < p + n && k < sizeof(num) - 1 && (*q == '-' || (*q >= '0' && *q <= '9')); q++)
					num[k++] = *q;
				num[k] = '\0';
				when = k ? strtoll(num, NULL, 10) : 0;
			}
		}
		if (!nl)
			break;
		p = nl + 1;
	}
	if (!have_tree)
		return -1;
	memcpy((unsigned char *)rec->ptr, head, GIT_OID_RAWSZ);
	perf_put_le64((unsigned char *)rec->ptr + 20, (uint64_t)when);
	perf_put_le32((unsigned char *)rec->ptr + 28, nparents);
	return 0;
}

/* The REC_COMMIT record of a commit, from the cache or else read (then cached). */
static const unsigned char *commit_record(struct walk *w, const git_oid *id, struct perf_buf *scratch)
{
	git_odb_object *obj = NULL;
	const unsigned char *r;
	size_t len;

	if ((r = perf_cache_get(w->cache, id, REC_COMMIT, &len)) && len >= 32 &&
	    len == 32 + 20 * (size_t)perf_le32(r + 28))
		return r;
	if (git_odb_read(&obj, w->odb, id) < 0)
		return NULL;
	r = NULL;
	if (git_odb_object_type(obj) == GIT_OBJECT_COMMIT &&
	    parse_commit(git_odb_object_data(obj), git_odb_object_size(obj), scratch) == 0)
		r = perf_cache_put(w->cache, id, REC_COMMIT, scratch->ptr, scratch->len);
	git_odb_object_free(obj);
	return r;
}

static void node_fill(struct cnode *c, const unsigned char *rec)
{
	c->rec = rec;
	c->time = (int64_t)perf_le64(rec + 20);
	c->nparents = perf_le32(rec + 28);
}

static void parent_id(const struct cnode *c, uint32_t i, git_oid *out)
{
	git_oid_fromraw(out, c->rec + 32 + 20 * (size_t)i);
}

/* Every commit reachable from `head`.  A parent that cannot be read (a
 * shallow clone's edge) ends its line, as it does for git. */
static int gather(struct walk *w, const git_oid *head, struct perf_error *err)
{
	struct perf_buf scratch = PERF_BUF_INIT;
	uint32_t *stack = NULL, at;
	size_t sp = 0, scap = 0;
	int rc = 0;

	if ((rc = node_add(w, head, &at)))
		goto oom;
	if (!(w->v[at].rec = commit_record(w, head, &scratch))) {
		rc = perf_error_git(err, "cannot read commit %s", git_oid_tostr_s(head));
		goto out;
	}
	node_fill(&w->v[at], w->v[at].rec);
	for (;;) {
		struct cnode *c = &w->v[at];
		for (uint32_t i = 0; i < c->nparents; i++) {
			git_oid pid;
			const unsigned char *rec;
			uint32_t k;
			parent_id(c, i, &pid);
			if (node_find(w, &pid) != NO_NODE)
				continue;
			if (!(rec = commit_record(w, &pid, &scratch))) {
				git_error_clear();
				continue;
			}
			if (node_add(w, &pid, &k))
				goto oom;
			c = &w->v[at]; /* node_add may have moved the nodes */
			node_fill(&w->v[k], rec);
			if (sp == scap) {
				size_t cap = scap ? scap * 2 : 256;
				void *v = realloc(stack, cap * sizeof(*stack));
				if (!v)
					goto oom;
				stack = v;
				scap = cap;
			}
			stack[sp++] = k;
		}
		if (!sp)
			break;
		at = stack[--sp];
	}
	goto out;
oom:
	rc = perf_error(err, PERF_ENOMEM, "out of memory");
out:
	free(stack);
	perf_buf_release(&scratch);
	return rc;
}

/* --- the order: newest first, never a parent before a child --------------- */

static bool before(const struct cnode *a, const struct cnode *b)
{
	return a->time != b->time ? a->time > b->time : a->seq < b->seq;
}

static void heap_push(uint32_t *h, size_t *n, const struct cnode *v, uint32_t x)
{
	size_t i = (*n)++;

	while (i && before(&v[x], &v[h[(i - 1) / 2]])) {
		h[i] = h[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	h[i] = x;
}

static uint32_t heap_pop(uint32_t *h, size_t *n, const struct cnode *v)
{
	uint32_t top = h[0], x = h[--*n];
	size_t i = 0;

	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		const struct cnode *best = &v[x];
		if (l < *n && before(&v[h[l]], best)) {
			m = l;
			best = &v[h[l]];
		}
		if (r < *n && before(&v[h[r]], best))
			m = r;
		if (m == i)
			break;
		h[i] = h[m];
		i = m;
	}
	if (*n)
		h[i] = x;
	return top;
}

/* The nodes in the order perf log shows them (all of them, into order). */
static int order_nodes(struct walk *w, uint32_t *order)
{
	uint32_t *heap = malloc((w->n + 1) * sizeof(*heap));
	size_t nh = 0, no = 0;
	uint64_t seq = 0;

	if (!heap)
		return PERF_ENOMEM;
	for (size_t i = 0; i < w->n; i++)
		for (uint32_t k = 0; k < w->v[i].nparents; k++) {
			git_oid pid;
			uint32_t p;
			parent_id(&w->v[i], k, &pid);
			if ((p = node_find(w, &pid)) != NO_NODE)
				w->v[p].pending++;
		}
	for (size_t i = 0; i < w->n; i++)
		if (!w->v[i].pending) {
			w->v[i].seq = seq++;
			heap_push(heap, &nh, w->v, (uint32_t)i);
		}
	while (nh) {
		uint32_t x = heap_pop(heap, &nh, w->v);
		order[no++] = x;
		for (uint32_t k = 0; k < w->v[x].nparents; k++) {
			git_oid pid;
			uint32_t p;
			parent_id(&w->v[x], k, &pid);
			if ((p = node_find(w, &pid)) != NO_NODE && --w->v[p].pending == 0) {
				w->v[p].seq = seq++;
				heap_push(heap, &nh, w->v, p);
			}
		}
	}
	free(heap);
	return no == w->n ? 0 : PERF_EGIT; /* a cycle: not a history git could have written */
}

/* --- the paths a commit changed ------------------------------------------ */

/* A tree's raw content, through a small set of recent trees: walking from a
 * commit to its parent, the parent's trees are the next commit's.  The
 * caller frees *out. */
static int raw_tree(struct walk *w, const unsigned char *id, git_odb_object **out)
{
	git_oid oid;
	struct tree_slot *s;

	git_oid_fromraw(&oid, id);
	for (unsigned i = 0; i < TREE_SLOTS; i++)
		if (w->trees[i].obj && git_oid_equal(&w->trees[i].id, &oid))
			return git_odb_object_dup(out, w->trees[i].obj);
	s = &w->trees[w->next_tree++ % TREE_SLOTS];
	git_odb_object_free(s->obj);
	s->obj = NULL;
	if (git_odb_read(&s->obj, w->odb, &oid) < 0 || git_odb_object_type(s->obj) != GIT_OBJECT_TREE) {
		git_odb_object_free(s->obj);
		s->obj = NULL;
		git_error_clear();
		return -1;
	}
	git_oid_cpy(&s->id, &oid);
	return git_odb_object_dup(out, s->obj);
}

struct pathlist {
	struct perf_buf b;
	size_t n;
	bool oom;
	char path[PERF_SCHEMA_PATH_MAX + 1];
};

/* 0: added; 1: too many (or too long): the caller compares trees instead; -1: out of memory. */
static int add_path(struct pathlist *pl, size_t plen, const struct perf_tree_entry *e)
{
	if (++pl->n > PATHS_MAX || plen + e->len + 1 > sizeof(pl->path))
		return 1;
	if (perf_buf_add(&pl->b, pl->path, plen) || perf_buf_add(&pl->b, e->name, e->len) ||
	    perf_buf_putc(&pl->b, '\0'))
		pl->oom = true;
	return pl->oom ? -1 : 0;
}

/* Git's order of tree entries: byte order of names, a folder's name read with a '/' after it. */
static int entry_cmp(const struct perf_tree_entry *a, const struct perf_tree_entry *b)
{
	size_t n = a->len < b->len ? a->len : b->len;
	int c = memcmp(a->name, b->name, n);
	unsigned ca, cb;

	if (c)
		return c;
	ca = n < a->len ? (unsigned char)a->name[n] : a->is_tree ? '/' : 0;
	cb = n < b->len ? (unsigned char)b->name[n] : b->is_tree ? '/' : 0;
	return (int)ca - (int)cb;
}

/*
 * The paths that differ between two trees (ids of GIT_OID_RAWSZ bytes, NULL:
 * an empty tree), under the folder in pl->path[0..plen).  Returns 0, 1 when
 * there are too many, -1 when a tree cannot be read.
 */
static int diff_trees(struct walk *w, const unsigned char *a, const unsigned char *b, size_t plen, int depth,
                      struct pathlist *pl)
{
	git_odb_object *oa = NULL, *ob = NULL;
	const unsigned char *pa = NULL, *pb = NULL, *ea = NULL, *eb = NULL;
	struct perf_tree_entry x, y;
	int ra = 0, rb = 0, rc = 0;

	if (depth > 64)
		return 1;
	if (a && b && !memcmp(a, b, GIT_OID_RAWSZ))
		return 0;
	if ((a && raw_tree(w, a, &oa)) || (b && raw_tree(w, b, &ob))) {
		git_odb_object_free(oa);
		return -1;
	}
	if (oa) {
		pa = git_odb_object_data(oa);
		ea = pa + git_odb_object_size(oa);
	}
	if (ob) {
		pb = git_odb_object_data(ob);
		eb = pb + git_odb_object_size(ob);
	}
	for (bool next_a = true, next_b = true; !rc;) {
		/* Entries the same to the byte (most of them) are passed over unparsed. */
		while (next_a && next_b && pa < ea && pb < eb) {
			const unsigned char *nul = memchr(pa, 0, (size_t)(ea - pa));
			size_t n = nul ? (size_t)(nul - pa) + 1 + GIT_OID_RAWSZ : 0;
			if (!n || n > (size_t)(ea - pa) || n > (size_t)(eb - pb) || memcmp(pa, pb, n))
				break;
			pa += n;
			pb += n;
		}
		if (next_a)
			ra = pa ? perf_tree_entry_next(&pa, ea, &x) : 0;
		if (next_b)
			rb = pb ? perf_tree_entry_next(&pb, eb, &y) : 0;
		if (ra < 0 || rb < 0) {
			rc = -1;
			break;
		}
		if (!ra && !rb)
			break;
		int cmp = !ra ? 1 : !rb ? -1 : entry_cmp(&x, &y);
		const struct perf_tree_entry *only = cmp < 0 ? &x : cmp > 0 ? &y : NULL;
		next_a = cmp <= 0;
		next_b = cmp >= 0;
		if (only) {
			/* On one side only: the file, or every file of the folder. */
			if (!only->is_tree)
				rc = add_path(pl, plen, only);
			else if (plen + only->len + 2 > sizeof(pl->path))
				rc = 1;
			else {
				memcpy(pl->path + plen, only->name, only->len);
				pl->path[plen + only->len] = '/';
				rc = diff_trees(w, cmp < 0 ? only->id : NULL, cmp > 0 ? only->id : NULL,
				                plen + only->len + 1, depth + 1, pl);
			}
		} else if (memcmp(x.id, y.id, GIT_OID_RAWSZ) || x.is_tree != y.is_tree || x.is_blob != y.is_blob) {
			if (!x.is_tree || !y.is_tree)
				rc = add_path(pl, plen, &x);
			else if (plen + x.len + 2 > sizeof(pl->path))
				rc = 1;
			else {
				memcpy(pl->path + plen, x.name, x.len);
				pl->path[plen + x.len] = '/';
				rc = diff_trees(w, x.id, y.id, plen + x.len + 1, depth + 1, pl);
			}
		}
	}
	git_odb_object_free(oa);
	git_odb_object_free(ob);
	return rc;
}

/* The REC_PATHS record of a commit with at most one parent, or NULL when its trees cannot be read. */
static const unsigned char *changed_paths(struct walk *w, const struct cnode *c, const struct cnode *parent,
                                          size_t *len)
{
	struct pathlist pl;
	const unsigned char *r;
	int rc;

	if ((r = perf_cache_get(w->cache, &c->id, REC_PATHS, len)) && *len >= 1)
		return r;
	memset(&pl, 0, sizeof(pl));
	rc = perf_buf_putc(&pl.b, '\0') ? -1 : diff_trees(w, parent ? parent->rec : NULL, c->rec, 0, 0, &pl);
	if (rc == 1) {
		pl.b.len = 0;
		rc = perf_buf_putc(&pl.b, '\1') ? -1 : 1;
	}
	r = rc >= 0 ? perf_cache_put(w->cache, &c->id, REC_PATHS, pl.b.ptr, pl.b.len) : NULL;
	*len = pl.b.len;
	perf_buf_release(&pl.b);
	return r;
}

/* Whether a list of changed paths names the document, or anything in its thread folder. */
static bool paths_touch(const unsigned char *v, size_t len, const char *path, const char *thread)
{
	size_t np = strlen(path), nt = strlen(thread);

	for (size_t at = 1; at < len;) {
		const char *p = (const char *)v + at;
		size_t n = strnlen(p, len - at);
		if ((n == np && !memcmp(p, path, n)) || (n > np && !memcmp(p, path, np) && p[np] == '/') ||
		    (nt && n > nt && !memcmp(p, thread, nt) && p[nt] == '/'))
			return true;
		at += n + 1;
	}
	return false;
}

static void walk_release(struct walk *w)
{
	for (unsigned i = 0; i < TREE_SLOTS; i++)
		git_odb_object_free(w->trees[i].obj);
	free(w->v);
	free(w->slots);
	git_odb_free(w->odb);
	perf_cache_free(w->cache);
}

int perf_history_log(struct perf_repo *repo, const struct perf_log_opts *opts, struct perf_log *out,
                     struct perf_error *err)
{
	struct perf_people pm = PERF_PEOPLE_INIT;
	struct walk w;
	char thread[PERF_SCHEMA_PATH_MAX + 1] = "";
	struct memo memos[2][3];
	char dir[PERF_SCHEMA_PATH_MAX + 1] = "";
	uint32_t *order = NULL;
	git_oid head;
	int rc = 0;

	memset(memos, 0, sizeof(memos));
	memset(out, 0, sizeof(*out));
	memset(&w, 0, sizeof(w));
	if (opts->path) {
		size_t n = strlen(opts->path);
		const char *slash = strrchr(opts->path, '/');
		if (n > 3 && !strcmp(opts->path + n - 3, ".md"))
			snprintf(thread, sizeof(thread), "%.*s", (int)(n - 3), opts->path);
		if (slash)
			snprintf(dir, sizeof(dir), "%.*s", (int)(slash - opts->path), opts->path);
		else
			snprintf(dir, sizeof(dir), "%s", opts->path);
	}
	if (git_reference_name_to_id(&head, repo->git, "HEAD") < 0) {
		git_error_clear();
		goto out; /* no commits yet */
	}
	{
		/* Authors by handle, as the team is now; a team that cannot be read shows their names. */
		git_commit *hc = NULL;
		git_tree *ht = NULL;
		if (git_commit_lookup(&hc, repo->git, &head) == 0 && git_commit_tree(&ht, hc) == 0)
			perf_people_load(&pm, repo->git, ht, NULL);
		git_error_clear();
		git_tree_free(ht);
		git_commit_free(hc);
	}
	if (git_repository_odb(&w.odb, repo->git) < 0) {
		rc = perf_error_git(err, "cannot open the object database");
		goto out;
	}
	/* Trees are read once each here, and kept in a small set of recent ones:
	 * libgit2's cache of objects would keep every tree of the history. */
	git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE, (size_t)0);
	git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_COMMIT, (size_t)0);
	if ((rc = perf_cache_open_named(&w.cache, repo, LOG_CACHE, err)) || (rc = gather(&w, &head, err)))
		goto out;
	if (!(order = malloc((w.n + 1) * sizeof(*order)))) {
		rc = perf_error(err, PERF_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = order_nodes(&w, order))) {
		rc = rc == PERF_ENOMEM ? perf_error(err, rc, "out of memory")
		                       : perf_error(err, PERF_EGIT, "the history of HEAD has a cycle");
		goto out;
	}
	for (size_t i = 0; i < w.n; i++) {
		const struct cnode *c = &w.v[order[i]], *parent = NULL;
		git_commit *commit = NULL;
		bool keep = true;

		if (opts->since && c->time < (int64_t)opts->since) {
			if (!opts->path)
				break; /* time order: everything after is older */
			continue;
		}
		if (opts->path) {
			const unsigned char *paths;
			size_t plen;
			git_oid pid;
			uint32_t p;
			/* A merge brings changes already walked through its second parent. */
			if (c->nparents > 1)
				continue;
			if (c->nparents == 1) {
				parent_id(c, 0, &pid);
				if ((p = node_find(&w, &pid)) != NO_NODE)
					parent = &w.v[p];
			}
			paths = changed_paths(&w, c, parent, &plen);
			if (paths && paths[0] == '\0') {
				keep = paths_touch(paths, plen, opts->path, thread);
			} else {
				/* Too many paths to keep, or a tree that cannot be read: compare the trees. */
				git_oid tree, ptree;
				git_oid_fromraw(&tree, c->rec);
				if (parent)
					git_oid_fromraw(&ptree, parent->rec);
				keep =
				    touches(repo->git, &tree, parent ? &ptree : NULL, dir, opts->path, thread, memos);
			}
			if (!keep)
				continue;
		}
		if (git_commit_lookup(&commit, repo->git, &c->id) < 0) {
			rc = perf_error_git(err, "cannot read commit %s", git_oid_tostr_s(&c->id));
			break;
		}
		if (opts->author && strcmp(handle_for(&pm, git_commit_author(commit)), opts->author))
			keep = false;
		if (keep && (rc = push_entry(out, repo->git, commit, &pm, opts->path)))
			rc = perf_error(err, PERF_ENOMEM, "out of memory");
		git_commit_free(commit);
		if (rc || (opts->max && out->n >= opts->max))
			break;
	}
	if (!rc)
		perf_cache_save(w.cache);
out:
	git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE, PERF_TREE_CACHE_LIMIT);
	git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_COMMIT, (size_t)4096); /* libgit2's default */
	free(order);
	walk_release(&w);
	perf_people_release(&pm);
	return rc;
}

void perf_log_release(struct perf_log *log)
{
	for (size_t i = 0; i < log->n; i++) {
		free(log->v[i].author);
		free(log->v[i].kind);
		free(log->v[i].path);
		free(log->v[i].words);
		free(log->v[i].subject);
	}
	free(log->v);
	memset(log, 0, sizeof(*log));
}

/* --- semantic diff of trees (one document: lib/team/docdiff.c) ----------- */

static int blob_of(git_repository *g, const git_diff_file *f, struct perf_buf *out, bool *exists)
{
	git_blob *blob = NULL;

	out->len = 0;
	*exists = !(f->flags & GIT_DIFF_FLAG_EXISTS) ? false : true;
	if (!*exists || git_oid_is_zero(&f->id))
		return 0;
	if (git_blob_lookup(&blob, g, &f->id) < 0)
		return -1;
	perf_buf_add(out, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
	git_blob_free(blob);
	return 0;
}

static int read_workdir(struct perf_repo *repo, const char *path, struct perf_buf *out)
{
	char full[4096];
	FILE *f;
	size_t n;
	char chunk[8192];

	out->len = 0;
	snprintf(full, sizeof(full), "%s%s", repo->workdir, path);
	if (!(f = fopen(full, "rb")))
		return -1;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		perf_buf_add(out, chunk, n);
	fclose(f);
	return 0;
}

int perf_history_diff(struct perf_repo *repo, git_tree *old_tree, git_tree *new_tree, const char *path,
                      struct perf_diff *out, struct perf_error *err)
{
	git_diff *diff = NULL;
	git_diff_options opts;
	char *specs[2];
	char thread[PERF_SCHEMA_PATH_MAX + 4];
	struct perf_buf a = PERF_BUF_INIT, b = PERF_BUF_INIT;
	int rc = 0, r;

	memset(out, 0, sizeof(*out));
	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	if (path) {
		size_t n = strlen(path);
		snprintf(thread, sizeof(thread), "%.*s/", (int)(n > 3 ? n - 3 : n), path);
		specs[0] = (char *)path;
		specs[1] = thread;
		opts.pathspec.strings = specs;
		opts.pathspec.count = 2;
	}
	r = new_tree ? git_diff_tree_to_tree(&diff, repo->git, old_tree, new_tree, &opts)
	             : git_diff_tree_to_workdir_with_index(&diff, repo->git, old_tree, &opts);
	if (r < 0)
		return perf_error_git(err, "cannot compare");
	for (size_t i = 0; i < git_diff_num_deltas(diff) && !rc; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		struct perf_doc_diff dd;
		bool have_old, have_new;
		if (blob_of(repo->git, &d->old_file, &a, &have_old) < 0) {
			rc = perf_error_git(err, "cannot read %s", d->old_file.path);
			break;
		}
		have_old = d->status != GIT_DELTA_ADDED && d->status != GIT_DELTA_UNTRACKED;
		have_new = d->status != GIT_DELTA_DELETED;
		if (have_new) {
			if (new_tree) {
				if (blob_of(repo->git, &d->new_file, &b, &have_new) < 0) {
					rc = perf_error_git(err, "cannot read %s", d->new_file.path);
					break;
				}
				have_new = true;
			} else if (read_workdir(repo, d->new_file.path, &b) < 0) {
				have_new = false;
			}
		}
		if ((rc = perf_docdiff_texts(d->new_file.path, have_old ? perf_buf_cstr(&a) : NULL, a.len,
		                             have_new ? perf_buf_cstr(&b) : NULL, b.len, &dd, err)))
			break;
		if (out->n == out->cap) {
			size_t cap = out->cap ? out->cap * 2 : 8;
			void *v = realloc(out->v, cap * sizeof(*out->v));
			if (!v) {
				rc = perf_error(err, PERF_ENOMEM, "out of memory");
				break;
			}
			out->v = v;
			out->cap = cap;
		}
		out->v[out->n++] = dd;
	}
	git_diff_free(diff);
	perf_buf_release(&a);
	perf_buf_release(&b);
	return rc;
}

void perf_diff_release(struct perf_diff *d)
{
	for (size_t i = 0; i < d->n; i++)
		perf_doc_diff_release(&d->v[i]);
	free(d->v);
	memset(d, 0, sizeof(*d));
}

static int tree_of(struct perf_repo *repo, const char *rev, git_tree **out, struct perf_error *err)
{
	git_object *obj = NULL;
	int rc = 0;

	*out = NULL;
	if (git_revparse_single(&obj, repo->git, rev) < 0)
		return perf_error(err, PERF_ENOTFOUND, "'%s' is not a revision (try HEAD~1, a commit id or a branch)",
		                  rev);
	if (git_object_peel((git_object **)out, obj, GIT_OBJECT_TREE) < 0)
		rc = perf_error_git(err, "'%s' has no tree", rev);
	git_object_free(obj);
	return rc;
}

int perf_history_diff_revs(struct perf_repo *repo, const char *old_rev, const char *new_rev, const char *path,
                           struct perf_diff *out, struct perf_error *err)
{
	git_tree *a = NULL, *b = NULL;
	int rc;

	if (!(rc = tree_of(repo, old_rev, &a, err)) && (!new_rev || !(rc = tree_of(repo, new_rev, &b, err))))
		rc = perf_history_diff(repo, a, b, path, out, err);
	git_tree_free(a);
	git_tree_free(b);
	return rc;
}
