#include "verify.h"

#include <git2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "agreement.h"
#include "buf.h"
#include "doc.h"
#include "merge.h"
#include "private.h"
#include "repo.h"
#include "schema.h"
#include "sign.h"
#include "store.h"
#include "validate.h"
#include "value.h"
#include "repo-internal.h"

/* ---- a set and a map of object ids ---------------------------------------- */

/* Open addressing keyed by an object id; values are the caller's pointers. */
struct oidmap {
	git_oid *keys;
	void **vals;
	size_t n, cap; /* cap is 0 or a power of two */
};

static size_t oid_hash(const git_oid *id)
{
	size_t h;

	memcpy(&h, id->id, sizeof(h));
	return h;
}

static void **oidmap_slot(const struct oidmap *m, const git_oid *id, bool *found)
{
	size_t i = oid_hash(id) & (m->cap - 1);

	for (;; i = (i + 1) & (m->cap - 1)) {
		if (!m->vals[i]) {
			*found = false;
			return &m->vals[i];
		}
		if (git_oid_equal(&m->keys[i], id)) {
			*found = true;
			return &m->vals[i];
		}
	}
}

static void *oidmap_get(const struct oidmap *m, const git_oid *id)
{
	bool found;
	void **slot;

	if (!m->cap)
		return NULL;
	slot = oidmap_slot(m, id, &found);
	return found ? *slot : NULL;
}

/* val must not be NULL. 0 or PERF_ENOMEM. */
static int oidmap_put(struct oidmap *m, const git_oid *id, void *val)
{
	bool found;
	void **slot;

	if (2 * (m->n + 1) > m->cap) {
		struct oidmap bigger = {NULL, NULL, 0, m->cap ? m->cap * 2 : 64};
		bigger.keys = calloc(bigger.cap, sizeof(*bigger.keys));
		bigger.vals = calloc(bigger.cap, sizeof(*bigger.vals));
		if (!bigger.keys || !bigger.vals) {
			free(bigger.keys);
			free(bigger.vals);
			return PERF_ENOMEM;
		}
		for (size_t i = 0; i < m->cap; i++)
			if (m->vals[i]) {
				slot = oidmap_slot(&bigger, &m->keys[i], &found);
				bigger.keys[slot - bigger.vals] = m->keys[i];
				*slot = m->vals[i];
				bigger.n++;
			}
		free(m->keys);
		free(m->vals);
		*m = bigger;
	}
	slot = oidmap_slot(m, id, &found);
	if (!found) {
		m->keys[slot - m->vals] = *id;
		m->n++;
	}
	*slot = val;
	return 0;
}

static void oidmap_release(struct oidmap *m, void (*free_val)(void *))
{
	for (size_t i = 0; free_val && i < m->cap; i++)
		if (m->vals[i])
			free_val(m->vals[i]);
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}

/* ---- the team as a tree says it is ---------------------------------------- */

/* One people file, read once per blob. */
struct person {
	char *email;          /* "" when none */
	char *lead;           /* "" when none */
	bool admitted;        /* admitted_by names who admitted them */
	bool left;            /* left names the day they left the team */
	struct perf_doc *doc; /* NULL when it is too large or does not parse */
};

struct member {
	char name[PERF_HANDLE_MAX + 4]; /* "<handle>.md", as in the tree */
	const struct person *p;
};

#define TEAM_CACHE 16
/* libgit2's object cache while verifying (bytes). */
#define VERIFY_CACHE_MAX (16 * 1024 * 1024)

struct team {
	git_oid people, config; /* what it was read from (zero when absent) */
	struct member *v;       /* in tree order: by name */
	size_t n;
	const struct perf_doc *config_doc; /* borrowed from the verifier's configs */
	struct perf_strv maintainers;
	unsigned long used;
};

struct perf_verify {
	git_repository *repo;
	git_odb *odb;
	perf_verify_report_fn report;
	void *payload;
	size_t checked, violations;
	struct oidmap people;   /* people blob -> struct person */
	struct oidmap configs;  /* config blob -> struct perf_doc */
	struct oidmap descends; /* commits of this run that descend from the anchor (value: the map itself) */
	struct oidmap trunk;    /* the first-parent line of this run's tip, down to the anchor (value: the map) */
	struct team *teams[TEAM_CACHE];
	unsigned long clock;
	ssize_t saved_cache_max; /* libgit2's object cache limit before this verifier, to restore */
	bool no_signatures;      /* a write's own check: signing is the writer's (perf_verify_guard) */
	bool taint;              /* perf_verify_head: collect what commits wrote after a violation */
	bool taint_all;          /* ... from the first commit on */
	struct perf_strv tainted;
	/* The run in progress. */
	const git_oid *anchor;
	const struct team *anchor_team; /* NULL: no anchor */
	git_oid founding;               /* the root a whole history may have */
	bool have_founding;
	/* The commit in progress: its violations, each reported once. */
	const git_oid *id;
	struct perf_strv seen;
	void *own_payload; /* perf_verify_open's, freed with the verifier */
};

static void violation(struct perf_verify *v, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void violation(struct perf_verify *v, const char *path, const char *fmt, ...)
{
	char reason[768];
	struct perf_buf key = PERF_BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	/* The two judges of one commit often find the same thing: say it once. */
	perf_buf_printf(&key, "%s\n%s", path, reason);
	if (key.ptr && perf_strv_has(&v->seen, key.ptr)) {
		perf_buf_release(&key);
		return;
	}
	if (key.ptr)
		perf_strv_push(&v->seen, key.ptr);
	perf_buf_release(&key);
	v->violations++;
	v->report(v->payload, v->id, path, reason);
}

/* The size of a blob from its header, without inflating it. */
static int blob_size(struct perf_verify *v, const git_oid *id, size_t *size)
{
	git_object_t type;

	if (git_odb_read_header(size, &type, v->odb, id) < 0 || type != GIT_OBJECT_BLOB) {
		git_error_clear();
		return -1;
	}
	return 0;
}

/* The bytes of a blob no larger than a document may be; NULL otherwise. */
static git_odb_object *read_small(struct perf_verify *v, const git_oid *id)
{
	git_odb_object *obj = NULL;
	size_t size;

	if (blob_size(v, id, &size) || size > PERF_DOC_MAX_FILE || git_odb_read(&obj, v->odb, id) < 0) {
		git_error_clear();
		return NULL;
	}
	return obj;
}

static void person_free(void *p)
{
	struct person *pe = p;

	if (!pe)
		return;
	free(pe->email);
	free(pe->lead);
	perf_doc_free(pe->doc);
	free(pe);
}

static const struct person *person_get(struct perf_verify *v, const git_oid *blob, const char *path)
{
	struct person *p = oidmap_get(&v->people, blob);
	git_odb_object *obj;
	const char *s;

	if (p)
		return p;
	if (!(p = calloc(1, sizeof(*p))))
		return NULL;
	if ((obj = read_small(v, blob))) {
		if (perf_schema_parse(&p->doc, perf_schema_kind("person"), git_odb_object_data(obj),
		                      git_odb_object_size(obj), path, NULL))
			p->doc = NULL;
		git_odb_object_free(obj);
	}
	s = p->doc ? perf_doc_str(p->doc, "email") : NULL;
	p->email = strdup(s ? s : "");
	s = p->doc ? perf_doc_str(p->doc, "lead") : NULL;
	p->lead = strdup(s ? s : "");
	s = p->doc ? perf_doc_str(p->doc, "admitted_by") : NULL;
	p->admitted = s && *s;
	s = p->doc ? perf_doc_str(p->doc, "left") : NULL;
	p->left = s && *s;
	if (!p->email || !p->lead || oidmap_put(&v->people, blob, p)) {
		person_free(p);
		return NULL;
	}
	return p;
}

static void team_free(struct team *t)
{
	if (!t)
		return;
	free(t->v);
	perf_strv_release(&t->maintainers);
	free(t);
}

static void entry_oid(git_tree *tree, const char *path, git_object_t type, git_oid *out)
{
	git_tree_entry *e = NULL;

	memset(out, 0, sizeof(*out));
	if (tree && git_tree_entry_bypath(&e, tree, path) == 0 && git_tree_entry_type(e) == type)
		git_oid_cpy(out, git_tree_entry_id(e));
	git_tree_entry_free(e);
	git_error_clear();
}

static void config_free(void *doc)
{
	perf_doc_free(doc);
}

/* The program a config blob holds, parsed once per blob; NULL when it cannot be read. */
static const struct perf_doc *config_get(struct perf_verify *v, const git_oid *blob)
{
	struct perf_doc *doc = oidmap_get(&v->configs, blob);
	git_odb_object *obj;

	if (doc || git_oid_is_zero(blob))
		return doc;
	if ((obj = read_small(v, blob))) {
		if (perf_schema_parse(&doc, perf_schema_kind("config"), git_odb_object_data(obj),
		                      git_odb_object_size(obj), ".perf/config.yaml", NULL))
			doc = NULL;
		git_odb_object_free(obj);
	}
	if (doc && oidmap_put(&v->configs, blob, doc)) {
		perf_doc_free(doc);
		doc = NULL;
	}
	return doc;
}

static int team_set_config(struct perf_verify *v, struct team *t, const git_oid *config)
{
	const struct perf_node *m;

	t->config = *config;
	t->config_doc = config_get(v, config);
	m = t->config_doc ? perf_doc_get(t->config_doc, "maintainers") : NULL;
	for (size_t i = 0; m && m->type == PERF_NODE_SEQ && i < m->n; i++)
		if (m->values[i]->type == PERF_NODE_SCALAR && perf_strv_push(&t->maintainers, m->values[i]->text))
			return PERF_ENOMEM;
	return 0;
}

/* A people/ entry that names a person: "<handle>.md", a blob. */
static bool person_entry(const char *name, size_t len)
{
	char handle[PERF_HANDLE_MAX + 1];

	if (len < 4 || len - 3 > PERF_HANDLE_MAX || memcmp(name + len - 3, ".md", 3))
		return false;
	memcpy(handle, name, len - 3);
	handle[len - 3] = '\0';
	return perf_value_is_handle(handle);
}

static struct team *team_build(struct perf_verify *v, const git_oid *people, const git_oid *config)
{
	struct team *t = calloc(1, sizeof(*t));
	git_tree *pt = NULL;

	if (!t)
		return NULL;
	t->people = *people;
	if (!git_oid_is_zero(people) && git_tree_lookup(&pt, v->repo, people) == 0) {
		size_t n = git_tree_entrycount(pt);
		if (n && !(t->v = calloc(n, sizeof(*t->v))))
			goto fail;
		for (size_t i = 0; i < n; i++) {
			const git_tree_entry *e = git_tree_entry_byindex(pt, i);
			const char *name = git_tree_entry_name(e);
			size_t len = strlen(name);
			char path[PERF_HANDLE_MAX + 16];
			const struct person *p;
			if (git_tree_entry_type(e) != GIT_OBJECT_BLOB || !person_entry(name, len))
				continue;
			memcpy(path, "people/", 7);
			memcpy(path + 7, name, len + 1);
			if (!(p = person_get(v, git_tree_entry_id(e), path)))
				goto fail;
			memcpy(t->v[t->n].name, name, len + 1);
			t->v[t->n++].p = p;
		}
	}
	git_error_clear();
	if (team_set_config(v, t, config))
		goto fail;
	git_tree_free(pt);
	return t;
fail:
	git_tree_free(pt);
	team_free(t);
	return NULL;
}

static struct team *team_cached(struct perf_verify *v, const git_oid *people, const git_oid *config)
{
	for (size_t i = 0; i < TEAM_CACHE; i++) {
		struct team *t = v->teams[i];
		if (t && git_oid_equal(&t->people, people) && git_oid_equal(&t->config, config)) {
			t->used = ++v->clock;
			return t;
		}
	}
	return NULL;
}

/* Keeps t in the cache in place of the least recently used team (never the anchor's). */
static struct team *team_keep(struct perf_verify *v, struct team *t)
{
	size_t oldest = TEAM_CACHE;

	if (!t)
		return NULL;
	for (size_t i = 0; i < TEAM_CACHE; i++) {
		if (v->teams[i] && v->teams[i] == v->anchor_team)
			continue;
		if (!v->teams[i]) {
			oldest = i;
			break;
		}
		if (oldest == TEAM_CACHE || v->teams[i]->used < v->teams[oldest]->used)
			oldest = i;
	}
	team_free(v->teams[oldest]);
	v->teams[oldest] = t;
	t->used = ++v->clock;
	return t;
}

/* The team a tree describes (NULL tree: nobody), from the cache when it can. */
static const struct team *team_of(struct perf_verify *v, git_tree *tree)
{
	git_oid people, config;
	struct team *t;

	entry_oid(tree, "people", GIT_OBJECT_TREE, &people);
	entry_oid(tree, ".perf/config.yaml", GIT_OBJECT_BLOB, &config);
	if ((t = team_cached(v, &people, &config)))
		return t;
	return team_keep(v, team_build(v, &people, &config));
}

static int cmp_member(const void *key, const void *elem)
{
	return strcmp(key, ((const struct member *)elem)->name);
}

static const struct member *member_of(const struct team *t, const char *handle)
{
	char name[PERF_HANDLE_MAX + 4];

	if (!handle || !t->n || strlen(handle) > PERF_HANDLE_MAX)
		return NULL;
	snprintf(name, sizeof(name), "%s.md", handle);
	return bsearch(name, t->v, t->n, sizeof(*t->v), cmp_member);
}

/* The handle whose people file has this email; NULL when none, or when two
 * people share it (*shared says so): such an author acts for nobody. */
static const char *handle_of(const struct team *t, const char *email, char out[PERF_HANDLE_MAX + 1], bool *shared)
{
	const char *found = NULL;

	*shared = false;
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].p->email[0] && !strcasecmp(t->v[i].p->email, email)) {
			if (found) {
				*shared = true;
				return NULL;
			}
			found = t->v[i].name;
		}
	if (!found)
		return NULL;
	snprintf(out, PERF_HANDLE_MAX + 1, "%.*s", (int)(strlen(found) - 3), found);
	return out;
}

static const char *lead_of(const struct team *t, const char *handle)
{
	const struct member *m = member_of(t, handle);

	return m ? m->p->lead : "";
}

static bool is_maintainer(const struct team *t, const char *handle)
{
	return perf_strv_has(&t->maintainers, handle);
}

/*
 * Whether a person counts: for quorums, maintainer rules and rights on
 * others' documents.  Maintainers count; everyone else once their lead or a
 * maintainer has admitted them.  A team with no maintainers has no one to
 * admit anybody, and everyone in it counts, but only on the trunk (open):
 * the founding state is not reopened by a branch forked from it.  Someone
 * who left (people/<h>.md `left`) no longer counts.
 */
static bool counts_in(const struct team *t, bool open, const char *handle)
{
	const struct member *m = member_of(t, handle);

	return m && !m->p->left && ((open && !t->maintainers.n) || m->p->admitted || is_maintainer(t, handle));
}

static bool signing_required(const struct team *t)
{
	const char *s = t->config_doc ? perf_doc_str(t->config_doc, "signing_required") : NULL;
	bool b = false;

	return s && perf_value_parse_bool(s, &b, NULL) == 0 && b;
}

/* The rule for a kind: the config's permissions override the default. */
static enum perf_schema_rule rule_for(const struct team *t, const struct perf_schema_kind *kind)
{
	enum perf_schema_rule r = perf_schema_rule(kind);
	const char *over;
	char key[64];

	snprintf(key, sizeof(key), "permissions.%s", kind->name);
	over = t->config_doc ? perf_doc_str(t->config_doc, key) : NULL;
	if (over)
		perf_schema_rule_parse(over, &r, NULL);
	return r;
}

/* ---- one commit --------------------------------------------------------- */

/* A path a commit changed, and how. */
struct change {
	char *path;
	git_delta_t status;
};

struct changes {
	struct change *v;
	size_t n, cap;
	bool oom;
};

static void changes_add(struct changes *c, const char *prefix, const char *name, git_delta_t status)
{
	struct perf_buf p = PERF_BUF_INIT;

	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 16;
		void *nv = realloc(c->v, cap * sizeof(*c->v));
		if (!nv) {
			c->oom = true;
			return;
		}
		c->v = nv;
		c->cap = cap;
	}
	perf_buf_printf(&p, "%s%s", prefix, name);
	if (!p.ptr) {
		c->oom = true;
		return;
	}
	c->v[c->n].path = perf_buf_detach(&p);
	c->v[c->n++].status = status;
}

static void changes_release(struct changes *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->v[i].path);
	free(c->v);
	memset(c, 0, sizeof(*c));
}

static void tree_changes(git_repository *repo, git_tree *a, git_tree *b, const char *prefix, struct changes *out);

/* Every file below a tree that one side has alone, as added or deleted. */
static void subtree_changes(git_repository *repo, const git_tree_entry *e, const char *prefix, bool added,
                            struct changes *out)
{
	git_tree *t = NULL;
	struct perf_buf p = PERF_BUF_INIT;

	perf_buf_printf(&p, "%s%s/", prefix, git_tree_entry_name(e));
	if (p.ptr && git_tree_lookup(&t, repo, git_tree_entry_id(e)) == 0)
		tree_changes(repo, added ? NULL : t, added ? t : NULL, p.ptr, out);
	else
		out->oom = out->oom || !p.ptr;
	git_error_clear();
	git_tree_free(t);
	perf_buf_release(&p);
}

/*
 * The files that differ between two trees (either may be NULL), as git
 * diff-tree -r lists them: equal subtrees are skipped by their ids, so the
 * cost follows what changed, and nothing is allocated for what did not.
 */
static void tree_changes(git_repository *repo, git_tree *a, git_tree *b, const char *prefix, struct changes *out)
{
	size_t na = a ? git_tree_entrycount(a) : 0, nb = b ? git_tree_entrycount(b) : 0, i = 0, j = 0;

	while ((i < na || j < nb) && !out->oom) {
		const git_tree_entry *x = i < na ? git_tree_entry_byindex(a, i) : NULL;
		const git_tree_entry *y = j < nb ? git_tree_entry_byindex(b, j) : NULL;
		int cmp = !x ? 1 : !y ? -1 : git_tree_entry_cmp(x, y);
		if (cmp < 0) {
			if (git_tree_entry_type(x) == GIT_OBJECT_TREE)
				subtree_changes(repo, x, prefix, false, out);
			else
				changes_add(out, prefix, git_tree_entry_name(x), GIT_DELTA_DELETED);
			i++;
			continue;
		}
		if (cmp > 0) {
			if (git_tree_entry_type(y) == GIT_OBJECT_TREE)
				subtree_changes(repo, y, prefix, true, out);
			else
				changes_add(out, prefix, git_tree_entry_name(y), GIT_DELTA_ADDED);
			j++;
			continue;
		}
		i++;
		j++;
		if (git_oid_equal(git_tree_entry_id(x), git_tree_entry_id(y)) &&
		    git_tree_entry_filemode(x) == git_tree_entry_filemode(y))
			continue;
		{
			bool tx = git_tree_entry_type(x) == GIT_OBJECT_TREE,
			     ty = git_tree_entry_type(y) == GIT_OBJECT_TREE;
			if (tx && ty) {
				git_tree *ta = NULL, *tb = NULL;
				struct perf_buf p = PERF_BUF_INIT;
				perf_buf_printf(&p, "%s%s/", prefix, git_tree_entry_name(x));
				if (p.ptr && git_tree_lookup(&ta, repo, git_tree_entry_id(x)) == 0 &&
				    git_tree_lookup(&tb, repo, git_tree_entry_id(y)) == 0)
					tree_changes(repo, ta, tb, p.ptr, out);
				else
					out->oom = out->oom || !p.ptr;
				git_error_clear();
				git_tree_free(ta);
				git_tree_free(tb);
				perf_buf_release(&p);
			} else if (tx || ty) {
				/* A folder became a file or the other way round. */
				if (tx)
					subtree_changes(repo, x, prefix, false, out);
				else
					changes_add(out, prefix, git_tree_entry_name(x), GIT_DELTA_DELETED);
				if (ty)
					subtree_changes(repo, y, prefix, true, out);
				else
					changes_add(out, prefix, git_tree_entry_name(y), GIT_DELTA_ADDED);
			} else {
				changes_add(out, prefix, git_tree_entry_name(y), GIT_DELTA_MODIFIED);
			}
		}
	}
}

static int cmp_member(const void *key, const void *elem);

/*
 * The team of a commit's tree, made from its first parent's team and the
 * commit's own changes under people/, so a push of thousands of joins reads
 * each people file once and copies, not re-reads, everyone else.
 */
static void team_after(struct perf_verify *v, git_tree *before, git_tree *after, const struct changes *diff)
{
	git_oid people, config;
	const struct team *base;
	struct team *t;
	size_t extra = 0;

	/* A root lists no changes: its team is read whole from its tree when asked for. */
	if (!before)
		return;
	entry_oid(after, "people", GIT_OBJECT_TREE, &people);
	entry_oid(after, ".perf/config.yaml", GIT_OBJECT_BLOB, &config);
	if (team_cached(v, &people, &config) || !(base = team_of(v, before)))
		return;
	for (size_t i = 0; i < diff->n; i++)
		if (diff->v[i].status == GIT_DELTA_ADDED && !strncmp(diff->v[i].path, "people/", 7))
			extra++;
	if (!(t = calloc(1, sizeof(*t))) || !(t->v = calloc(base->n + extra + 1, sizeof(*t->v)))) {
		team_free(t);
		return;
	}
	t->people = people;
	if (base->n)
		memcpy(t->v, base->v, base->n * sizeof(*t->v));
	t->n = base->n;
	for (size_t i = 0; i < diff->n; i++) {
		const char *path = diff->v[i].path, *name = path + 7;
		size_t len;
		struct member *at;
		git_tree_entry *e = NULL;
		const struct person *p = NULL;
		size_t pos = 0;
		if (strncmp(path, "people/", 7) || strchr(name, '/') || !person_entry(name, (len = strlen(name))))
			continue;
		at = bsearch(name, t->v, t->n, sizeof(*t->v), cmp_member);
		if (diff->v[i].status != GIT_DELTA_DELETED) {
			if (git_tree_entry_bypath(&e, after, path) == 0 && git_tree_entry_type(e) == GIT_OBJECT_BLOB)
				p = person_get(v, git_tree_entry_id(e), path);
			git_tree_entry_free(e);
			git_error_clear();
		}
		if (at && !p) {
			pos = (size_t)(at - t->v);
			memmove(&t->v[pos], &t->v[pos + 1], (t->n - pos - 1) * sizeof(*t->v));
			t->n--;
		} else if (at) {
			at->p = p;
		} else if (p) {
			while (pos < t->n && strcmp(t->v[pos].name, name) < 0)
				pos++;
			memmove(&t->v[pos + 1], &t->v[pos], (t->n - pos) * sizeof(*t->v));
			memcpy(t->v[pos].name, name, len + 1);
			t->v[pos].p = p;
			t->n++;
		}
	}
	if (team_set_config(v, t, &config)) {
		team_free(t);
		return;
	}
	team_keep(v, t);
}

struct check {
	struct perf_verify *v;
	bool trunk; /* on the first-parent line of what is checked: the founding state may apply */
	git_commit *commit;
	git_tree *before, *after;
	const struct team *team; /* the judge: as before the commit */
	char who_buf[PERF_HANDLE_MAX + 1];
	const char *who;         /* the author's handle under this judge */
	struct perf_doc *joined; /* the people file a join adds */
	bool adopting;
	const char *adopt_path;      /* the norm an adoption names (Perf-Path) */
	struct perf_strv adopt_keys; /* what the adopted norm's changes name (cadences.checkin, templates.goal) */
};

/* A team with no maintainers yet is open (anyone changes the program), on the trunk only. */
static bool open_team(const struct check *c)
{
	return c->trunk && !c->team->maintainers.n;
}

static bool counts(const struct check *c, const char *handle)
{
	return counts_in(c->team, c->trunk, handle);
}

static struct perf_doc *tree_doc(struct perf_verify *v, git_tree *tree, const char *path)
{
	struct perf_schema_match m;
	const struct perf_schema_kind *kind = NULL;
	struct perf_doc *doc = NULL;
	git_tree_entry *e = NULL;
	git_odb_object *obj;

	if (!tree || git_tree_entry_bypath(&e, tree, path) < 0) {
		git_error_clear();
		return NULL;
	}
	if (git_tree_entry_type(e) == GIT_OBJECT_BLOB && (obj = read_small(v, git_tree_entry_id(e)))) {
		if (perf_schema_match_path(&m, path, NULL) == 0)
			kind = m.kind;
		if (perf_schema_parse(&doc, kind, git_odb_object_data(obj), git_odb_object_size(obj), path, NULL))
			doc = NULL;
		git_odb_object_free(obj);
	}
	git_tree_entry_free(e);
	return doc;
}

static bool in_list(const struct perf_doc *doc, const char *field, const char *who)
{
	const struct perf_node *l = doc ? perf_doc_get(doc, field) : NULL;

	for (size_t i = 0; l && l->type == PERF_NODE_SEQ && i < l->n; i++)
		if (l->values[i]->type == PERF_NODE_SCALAR && !strcmp(l->values[i]->text, who))
			return true;
	return false;
}

/*
 * A commit that says it adopts a norm (Perf-Adopted) may change the program
 * only when the norm its Perf-Path names is adopted in it and the
 * agreements that count, by people of the team, reach the team's rule as it
 * stood before the commit.  Otherwise why says what is missing.
 */
static bool adoption_holds(struct check *c, const char *norm_path, char *why, size_t whysz)
{
	const struct perf_schema_kind *kind = perf_schema_kind("norm");
	const char *status, *rule;
	struct perf_strv who = PERF_STRV_INIT, at = PERF_STRV_INIT;
	struct perf_doc *doc = NULL;
	char version[PERF_SCHEMA_VERSION_LEN + 1];
	size_t agreed = 0, team = 0, need;
	long n;
	bool ok = false;

	for (size_t i = 0; i < c->team->n; i++) {
		char h[PERF_HANDLE_MAX + 1];
		snprintf(h, sizeof(h), "%.*s", (int)(strlen(c->team->v[i].name) - 3), c->team->v[i].name);
		team += counts(c, h);
	}
	need = team / 2 + 1;

	if (!norm_path || strncmp(norm_path, "norms/", 6) || !(doc = tree_doc(c->v, c->after, norm_path))) {
		snprintf(why, whysz, "says it adopts a norm (Perf-Adopted) but names none that it holds (Perf-Path)");
		goto out;
	}
	status = perf_doc_str(doc, "status");
	if (!status || strcmp(status, "adopted")) {
		snprintf(why, whysz, "says it adopts %s, which is not adopted in it", norm_path);
		goto out;
	}
	if (perf_schema_version(version, kind, doc, NULL) ||
	    perf_agreement_current(doc, kind, version, &who, &at, NULL)) {
		snprintf(why, whysz, "says it adopts %s, whose agreements cannot be read", norm_path);
		goto out;
	}
	for (size_t i = 0; i < who.n; i++)
		if (counts(c, who.v[i]))
			agreed++;
	rule = c->team->config_doc ? perf_doc_str(c->team->config_doc, "agreement") : NULL;
	if (rule && !strcmp(rule, "all"))
		need = team ? team : 1;
	else if (rule && strcmp(rule, "majority") && perf_value_parse_int(rule, &n, NULL) == 0 && n > 0)
		need = (size_t)n;
	if (agreed < need) {
		snprintf(why, whysz, "adopts %s with %zu agreement%s to its current version; the team's rule needs %zu",
		         norm_path, agreed, agreed == 1 ? "" : "s", need);
		goto out;
	}
	{
		/* Adoption is a moment: the commit that moves the norm from proposed to adopted. */
		struct perf_doc *was = tree_doc(c->v, c->before, norm_path);
		const char *ws = was ? perf_doc_str(was, "status") : NULL;
		bool moment = ws && !strcmp(ws, "proposed");
		perf_doc_free(was);
		if (!moment) {
			snprintf(why, whysz, "says it adopts %s, but %s was not a proposal before this commit",
			         norm_path, norm_path);
			goto out;
		}
	}
	ok = true;
	{
		const struct perf_node *ch = perf_doc_get(doc, "changes");
		for (size_t i = 0; ch && ch->type == PERF_NODE_SEQ && i < ch->n; i++) {
			const char *key =
			    ch->values[i]->type == PERF_NODE_MAP ? perf_node_str(ch->values[i], "key") : NULL;
			if (key)
				perf_strv_push(&c->adopt_keys, key);
		}
	}
out:
	perf_strv_release(&who);
	perf_strv_release(&at);
	perf_doc_free(doc);
	return ok;
}

/* The value an adopted norm's changes give a key ("cadences.checkin"), or NULL when they name it not. */
static const char *adopted_value(const struct check *c, const struct perf_doc *norm, const char *key)
{
	const struct perf_node *ch = norm ? perf_doc_get(norm, "changes") : NULL;

	for (size_t i = 0; ch && ch->type == PERF_NODE_SEQ && i < ch->n; i++) {
		const char *k = ch->values[i]->type == PERF_NODE_MAP ? perf_node_str(ch->values[i], "key") : NULL;
		if (k && !strcmp(k, key))
			return perf_node_str(ch->values[i], "value");
	}
	(void)c;
	return NULL;
}

/* Every key where two program mappings differ must be one the norm changes, to the value it says. */
static void diff_program(struct check *c, const char *path, const struct perf_doc *norm, const char *prefix,
                         const struct perf_node *a, const struct perf_node *b)
{
	for (int side = 0; side < 2; side++) {
		const struct perf_node *x = side ? b : a, *y = side ? a : b;
		for (size_t i = 0; x && x->type == PERF_NODE_MAP && i < x->n; i++) {
			const struct perf_node *xv = x->values[i];
			const struct perf_node *yv =
			    y && y->type == PERF_NODE_MAP ? perf_node_get(y, x->keys[i]) : NULL;
			const struct perf_node *now = side ? xv : yv;
			char key[256];
			const char *want;
			if (side && yv)
				continue; /* compared from the other side */
			if (perf_node_equal(xv, yv))
				continue;
			snprintf(key, sizeof(key), "%s%s%s", prefix, *prefix ? "." : "", x->keys[i]);
			if (xv->type == PERF_NODE_MAP && yv && yv->type == PERF_NODE_MAP) {
				diff_program(c, path, norm, key, side ? yv : xv, side ? xv : yv);
				continue;
			}
			want = adopted_value(c, norm, key);
			if (!want)
				violation(c->v, path,
				          "is changed at '%s' by an adoption whose norm does not change it%s", key,
				          !strcmp(key, "maintainers") ? " (no norm changes who maintains the program)"
				                                      : "");
			else if (!now || now->type != PERF_NODE_SCALAR || strcmp(now->text, want))
				violation(c->v, path, "sets '%s' to %s, but the adopted norm says %s", key,
				          now && now->type == PERF_NODE_SCALAR ? now->text : "something else", want);
		}
	}
}

/* An adoption changes the program exactly where and as its norm says, and never who maintains it. */
static void check_adopted_program(struct check *c, const char *path)
{
	struct perf_doc *norm = c->adopt_path ? tree_doc(c->v, c->after, c->adopt_path) : NULL;

	if (!strncmp(path, ".perf/templates/", 16)) {
		char key[128];
		const char *name = path + 16, *dot = strrchr(name, '.'), *want;
		git_tree_entry *e = NULL;
		git_odb_object *obj = NULL;
		snprintf(key, sizeof(key), "templates.%.*s", dot ? (int)(dot - name) : (int)strlen(name), name);
		want = adopted_value(c, norm, key);
		if (!want) {
			violation(c->v, path, "is changed by an adoption whose norm does not change it");
		} else if (git_tree_entry_bypath(&e, c->after, path) == 0 &&
		           (obj = read_small(c->v, git_tree_entry_id(e)))) {
			size_t n = git_odb_object_size(obj), w = strlen(want);
			const char *d = git_odb_object_data(obj);
			/* The template as the norm words it, give or take a final newline. */
			if (!((n == w && !memcmp(d, want, n)) || (n == w + 1 && d[w] == '\n' && !memcmp(d, want, w)) ||
			      (w == n + 1 && want[n] == '\n' && !memcmp(d, want, n))))
				violation(c->v, path, "is not the template the adopted norm gives");
		}
		git_error_clear();
		git_odb_object_free(obj);
		git_tree_entry_free(e);
	} else {
		struct perf_doc *old = tree_doc(c->v, c->before, path), *now = tree_doc(c->v, c->after, path);
		diff_program(c, path, norm, "", old ? perf_doc_root(old) : NULL, now ? perf_doc_root(now) : NULL);
		perf_doc_free(old);
		perf_doc_free(now);
	}
	perf_doc_free(norm);
}

/*
 * PERF_RULE_APPEND: anyone adds to the document; nothing that is there is
 * changed or removed.  Top-level values that were set stay as they were;
 * every item of a list stays (an item with an id keeps its id and
 * values), and the body only grows at its end.  The one change allowed is
 * an action's owner marking it done (done: true on an item with owner).
 */
static bool item_kept(const struct perf_node *was, const struct perf_node *now, const char *who)
{
	if (perf_node_equal(was, now))
		return true;
	if (!was || !now || was->type != PERF_NODE_MAP || now->type != PERF_NODE_MAP)
		return false;
	/* Only `done` may differ, set to true by the item's owner. */
	const char *owner = perf_node_str(was, "owner"), *done = perf_node_str(now, "done");
	if (!owner || strcmp(owner, who) || !done || strcmp(done, "true"))
		return false;
	for (size_t i = 0; i < was->n; i++)
		if (strcmp(was->keys[i], "done") && !perf_node_equal(was->values[i], perf_node_get(now, was->keys[i])))
			return false;
	for (size_t i = 0; i < now->n; i++)
		if (strcmp(now->keys[i], "done") && !perf_node_get(was, now->keys[i]))
			return false;
	return true;
}

static const char *append_broken(const struct perf_schema_kind *kind, const struct perf_doc *old,
                                 const struct perf_doc *now, const char *who)
{
	const struct perf_node *o = perf_doc_root(old), *n = perf_doc_root(now);
	size_t ol, nl;
	const char *ob = perf_doc_body(old, &ol), *nb = perf_doc_body(now, &nl);

	for (size_t i = 0; o && o->type == PERF_NODE_MAP && i < o->n; i++) {
		const struct perf_node *was = o->values[i], *is = perf_node_get(n, o->keys[i]);
		const char *id = perf_schema_list_id(kind, o->keys[i]);
		if (!is)
			return "removes what others wrote";
		if (was->type != PERF_NODE_SEQ) {
			if (!perf_node_equal(was, is))
				return "changes what others wrote";
			continue;
		}
		if (is->type != PERF_NODE_SEQ)
			return "changes what others wrote";
		for (size_t k = 0; k < was->n; k++) {
			const struct perf_node *item = was->values[k], *match = NULL;
			const char *key = id && item->type == PERF_NODE_MAP ? perf_node_str(item, id) : NULL;
			for (size_t j = 0; j < is->n && !match; j++) {
				const struct perf_node *cand = is->values[j];
				if (key ? (cand->type == PERF_NODE_MAP && perf_node_str(cand, id) &&
				           !strcmp(perf_node_str(cand, id), key))
				        : perf_node_equal(item, cand))
					match = cand;
			}
			if (!match)
				return "removes what others wrote";
			if (!item_kept(item, match, who))
				return "changes what others wrote (only an action's owner marks it done)";
		}
	}
	if (nl < ol || (ol && memcmp(ob, nb, ol)))
		return "changes the body: it only grows at its end";
	return NULL;
}

static void check_append(struct check *c, const char *path, const struct perf_schema_kind *kind, bool added,
                         bool deleted)
{
	struct perf_doc *old, *now;
	const char *why;

	if (added)
		return;
	if (deleted) {
		violation(c->v, path, "deletes a %s: what the team wrote stays in the record", kind->name);
		return;
	}
	old = tree_doc(c->v, c->before, path);
	now = tree_doc(c->v, c->after, path);
	if (old && now && (why = append_broken(kind, old, now, c->who)))
		violation(c->v, path, "%s: a %s is added to, never rewritten", why, kind->name);
	perf_doc_free(old);
	perf_doc_free(now);
}

/* Whether every field of x but lead, role and skip is the same in y; *moved
 * is set when lead or role differs. */
static bool only_moved(const struct perf_node *x, const struct perf_node *y, const char *skip, bool *moved)
{
	for (size_t i = 0; i < x->n; i++) {
		const struct perf_node *other = perf_node_get(y, x->keys[i]);
		if (!strcmp(x->keys[i], "lead") || !strcmp(x->keys[i], "role"))
			*moved |= !perf_node_equal(x->values[i], other);
		else if (strcmp(x->keys[i], skip) && !perf_node_equal(x->values[i], other))
			return false;
	}
	return true;
}

/*
 * A maintainer who moves a person (a new lead, a new role) carries the move
 * into the document that names them, expectations: its lead and role follow
 * people/ (check_expectations_lead), its agreements go; nothing else of it
 * changes.
 */
static bool carries_move(struct check *c, const char *path, const struct perf_schema_kind *kind)
{
	struct perf_doc *old = kind->agreement ? tree_doc(c->v, c->before, path) : NULL;
	struct perf_doc *now = old ? tree_doc(c->v, c->after, path) : NULL;
	const struct perf_node *a = now ? perf_doc_root(old) : NULL, *b = now ? perf_doc_root(now) : NULL;
	size_t la = 0, lb = 0;
	const char *ba = now ? perf_doc_body(old, &la) : NULL, *bb = now ? perf_doc_body(now, &lb) : NULL;
	bool moved = false;
	bool ok = a && b && a->type == PERF_NODE_MAP && b->type == PERF_NODE_MAP && la == lb &&
	          (!la || !memcmp(ba, bb, la)) && !perf_doc_get(now, kind->agreement) &&
	          only_moved(a, b, kind->agreement, &moved) && only_moved(b, a, kind->agreement, &moved);

	perf_doc_free(old);
	perf_doc_free(now);
	return ok && moved;
}

/* ---- support promised to a goal ------------------------------------------ */

static const struct perf_node *supporter_of(const struct perf_doc *doc, const char *who)
{
	const struct perf_node *l = doc ? perf_doc_get(doc, "supporters") : NULL;

	for (size_t i = 0; l && l->type == PERF_NODE_SEQ && i < l->n; i++) {
		const char *w = perf_node_str(l->values[i], "who");
		if (w && !strcmp(w, who))
			return l->values[i];
	}
	return NULL;
}

static bool same_str(const char *a, const char *b)
{
	return a ? b && !strcmp(a, b) : !b;
}

/* Whether the supporters lists differ only in who's item gaining `given`. */
static bool only_given_by(const struct perf_node *was, const struct perf_node *now, const char *who)
{
	if (!was || !now || was->type != PERF_NODE_SEQ || now->type != PERF_NODE_SEQ || was->n != now->n)
		return false;
	for (size_t i = 0; i < was->n; i++) {
		const struct perf_node *a = was->values[i], *b = now->values[i];
		const char *w = perf_node_str(a, "who");
		if (perf_node_equal(a, b))
			continue;
		if (!w || strcmp(w, who) || perf_node_str(a, "given") || !perf_node_str(b, "given") ||
		    a->type != PERF_NODE_MAP || b->type != PERF_NODE_MAP || b->n != a->n + 1)
			return false;
		for (size_t k = 0; k < a->n; k++)
			if (!perf_node_equal(a->values[k], perf_node_get(b, a->keys[k])))
				return false;
	}
	return true;
}

/*
 * A goal's supporters: only a supporter marks their own support given
 * (sets or changes `given` on their item), and that is all a supporter
 * who is not the goal's person may change in it.  Returns true when the
 * change is such a supporter's, which the goal's rule then lets through.
 */
static bool check_support_given(struct check *c, const char *path, bool added, bool deleted)
{
	struct perf_doc *old = added ? NULL : tree_doc(c->v, c->before, path);
	struct perf_doc *now = deleted ? NULL : tree_doc(c->v, c->after, path);
	const struct perf_doc *docs[2] = {old, now};
	bool own = false;

	for (int d = 0; d < 2 && now; d++) {
		const struct perf_node *l = docs[d] ? perf_doc_get(docs[d], "supporters") : NULL;
		for (size_t i = 0; l && l->type == PERF_NODE_SEQ && i < l->n; i++) {
			const char *w = perf_node_str(l->values[i], "who");
			const struct perf_node *o = w ? supporter_of(old, w) : NULL,
			                       *n = w ? supporter_of(now, w) : NULL;
			const char *og = o ? perf_node_str(o, "given") : NULL,
			           *ng = n ? perf_node_str(n, "given") : NULL;
			if (w && strcmp(w, c->who) && !same_str(og, ng)) {
				violation(c->v, path,
				          "%s %s %s's support as given: only %s marks the support they gave", c->who,
				          ng ? "marks" : "unmarks", w, w);
				goto out;
			}
		}
	}
	if (old && now) {
		const struct perf_node *o = perf_doc_root(old), *n = perf_doc_root(now);
		size_t ol, nl;
		const char *ob = perf_doc_body(old, &ol), *nb = perf_doc_body(now, &nl);
		own = o && n && o->type == PERF_NODE_MAP && n->type == PERF_NODE_MAP && o->n == n->n && ol == nl &&
		      !memcmp(ob, nb, ol) &&
		      only_given_by(perf_doc_get(old, "supporters"), perf_doc_get(now, "supporters"), c->who);
		for (size_t i = 0; own && i < o->n; i++)
			if (strcmp(o->keys[i], "supporters") &&
			    !perf_node_equal(o->values[i], perf_node_get(n, o->keys[i])))
				own = false;
	}
out:
	perf_doc_free(old);
	perf_doc_free(now);
	return own;
}

static void check_path(struct check *c, const struct change *ch)
{
	const char *path = ch->path;
	bool added = ch->status == GIT_DELTA_ADDED, deleted = ch->status == GIT_DELTA_DELETED;
	struct perf_schema_match m;
	const struct team *t = c->team;
	struct perf_verify *v = c->v;
	struct perf_doc *doc = NULL;
	int rc = perf_schema_match_path(&m, path, NULL);

	if (rc == PERF_EINVALID) {
		violation(v, path, "not a valid perf path");
		return;
	}
	if (rc == PERF_ENOTFOUND || !m.kind) {
		/* The program and the repository's own files. */
		if (!strncmp(path, ".perf/", 6) && c->adopting) {
			check_adopted_program(c, path);
			return;
		}
		if (!is_maintainer(t, c->who) && !open_team(c))
			violation(v, path, "only maintainers (%s) change the program and the repository's files",
			          t->maintainers.v[0]);
		return;
	}
	if (!strcmp(m.kind->name, "config")) {
		if (c->adopting)
			check_adopted_program(c, path);
		else if (!open_team(c) && !is_maintainer(t, c->who))
			violation(v, path, "only maintainers change the team's program (or an adopted norm)");
		return;
	}
	if (!counts(c, c->who)) {
		/* Until admitted, a person writes their own documents only: what they say about
		 * themselves, and replies in their own threads. */
		const char *owner = m.parent[0] ? m.parent_handle : m.handle;
		if (strcmp(owner, c->who) || (m.author[0] && strcmp(m.author, c->who))) {
			violation(v, path,
			          "%s is not admitted yet: until their lead or a maintainer admits them "
			          "(perf admit %s), they write only their own documents",
			          c->who, c->who);
			return;
		}
	}
	if (deleted && (!strcmp(m.kind->name, "reply") || !strcmp(m.kind->name, "praise"))) {
		violation(v, path, "%s may not be deleted: what was said stays in the record", m.kind->name);
		return;
	}
	/* A supporter marking their support to a goal given: theirs alone to say. */
	if (!strcmp(m.kind->name, "goal") && check_support_given(c, path, added, deleted) && strcmp(c->who, m.handle))
		return;
	switch (rule_for(t, m.kind)) {
	case PERF_RULE_ANYONE:
		break;
	case PERF_RULE_OWNER:
		if (strcmp(c->who, m.handle))
			violation(v, path, "only %s writes %s's %s", m.handle, m.handle, m.kind->name);
		break;
	case PERF_RULE_OWNER_OR_LEAD:
		if (strcmp(c->who, m.handle) && strcmp(c->who, lead_of(t, m.handle)) &&
		    !(is_maintainer(t, c->who) && carries_move(c, path, m.kind)))
			violation(v, path, "only %s and their lead write %s's %s", m.handle, m.handle, m.kind->name);
		break;
	case PERF_RULE_OWNER_OR_MAINTAINER:
		/* A people file goes only by a maintainer: a person leaving and joining again would
		 * choose their own lead and drop their admission. */
		if (deleted && !strcmp(m.kind->name, "person") && !is_maintainer(t, c->who) && !open_team(c)) {
			violation(v, path, "removes %s's people file: only a maintainer removes someone from the team",
			          m.handle);
			break;
		}
		/* A person's lead may also change their people file (their lead, for one: check_person). */
		if (strcmp(c->who, m.handle) && !is_maintainer(t, c->who) &&
		    !(!strcmp(m.kind->name, "person") && !deleted && !strcmp(c->who, lead_of(t, m.handle))))
			violation(v, path, "only %s or a maintainer changes %s", m.handle, path);
		break;
	case PERF_RULE_ADDRESSED: {
		/* The note's person, or anyone the note names (as it was, or as written). */
		struct perf_doc *old = NULL;
		doc = tree_doc(v, deleted ? c->before : c->after, path);
		if (!added)
			old = tree_doc(v, c->before, path);
		/* Written anew by someone it names; changed or deleted only by someone it named before:
		 * nobody joins a conversation to rewrite it. */
		if (strcmp(c->who, m.handle) &&
		    !(m.kind->addressed &&
		      (added ? in_list(doc, m.kind->addressed, c->who) : in_list(old, m.kind->addressed, c->who))))
			violation(v, path, "only %s and the people in the conversation write this %s", m.handle,
			          m.kind->name);
		perf_doc_free(old);
		break;
	}
	case PERF_RULE_AUTHOR:
		if (strcmp(c->who, m.author))
			violation(v, path, "%s is written by %s, not %s: nobody writes in someone else's name", path,
			          m.author, c->who);
		else if (!strcmp(m.kind->name, "reply") && m.parent_kind && !strcmp(m.parent_kind->name, "feedback")) {
			/* An answer to feedback comes from someone the request asked. */
			struct perf_doc *req = tree_doc(v, c->after, m.parent);
			if (req && !in_list(req, "asked", c->who))
				violation(v, path, "%s did not ask %s for feedback", m.parent, c->who);
			perf_doc_free(req);
		}
		break;
	case PERF_RULE_MAINTAINER:
		if (!open_team(c) && !is_maintainer(t, c->who))
			violation(v, path, "only maintainers write %s", m.kind->name);
		break;
	case PERF_RULE_APPEND:
		check_append(c, path, m.kind, added, deleted);
		break;
	}
	perf_doc_free(doc);
}

/* ---- what only a person can say ------------------------------------------ */

static bool same_entry(const struct perf_node *a, const struct perf_node *b)
{
	return perf_node_equal(a, b);
}

static const struct perf_node *entry_of(const struct perf_node *list, const char *who)
{
	for (size_t i = 0; list && list->type == PERF_NODE_SEQ && i < list->n; i++) {
		const char *w = list->values[i]->type == PERF_NODE_MAP ? perf_node_str(list->values[i], "who") : NULL;
		if (w && !strcmp(w, who))
			return list->values[i];
	}
	return NULL;
}

/*
 * An agreement is the act of the person named in it: each entry added or
 * changed names the commit's author and the version the document has in
 * this commit; entries go only when the words change (the version moves),
 * which makes every earlier agreement stale.
 */
static void check_agreements(struct check *c, const char *path, const struct perf_schema_kind *kind,
                             const struct perf_doc *old, const struct perf_doc *now)
{
	const struct perf_node *a = now ? perf_doc_get(now, kind->agreement) : NULL;
	const struct perf_node *b = old ? perf_doc_get(old, kind->agreement) : NULL;
	char vnow[PERF_SCHEMA_VERSION_LEN + 1] = "", vold[PERF_SCHEMA_VERSION_LEN + 1] = "";

	if (!now)
		return;
	if (perf_schema_version(vnow, kind, now, NULL))
		vnow[0] = '\0';
	if (old && perf_schema_version(vold, kind, old, NULL))
		vold[0] = '\0';
	for (size_t i = 0; a && a->type == PERF_NODE_SEQ && i < a->n; i++) {
		const struct perf_node *e = a->values[i];
		const char *who = e->type == PERF_NODE_MAP ? perf_node_str(e, "who") : NULL;
		const char *version = e->type == PERF_NODE_MAP ? perf_node_str(e, "version") : NULL;
		const struct perf_node *before = who ? entry_of(b, who) : NULL;
		if (before && same_entry(before, e))
			continue;
		if (!who || strcmp(who, c->who))
			violation(c->v, path,
			          "records an agreement by %s, but the commit is by %s: only a person says what "
			          "they agreed",
			          who ? who : "nobody", c->who);
		else if (!version || strcmp(version, vnow))
			violation(c->v, path, "records %s's agreement to version %s, but the document's version is %s",
			          who, version ? version : "(none)", vnow[0] ? vnow : "(unreadable)");
	}
	for (size_t i = 0; b && b->type == PERF_NODE_SEQ && i < b->n; i++) {
		const char *who = b->values[i]->type == PERF_NODE_MAP ? perf_node_str(b->values[i], "who") : NULL;
		if (!who || entry_of(a, who))
			continue;
		if (!strcmp(vold, vnow) && vnow[0])
			violation(c->v, path,
			          "removes %s's agreement while the words stay the same: an agreement goes "
			          "only when what was agreed changes",
			          who);
	}
}

/*
 * Handles are never reused: a join under a handle the record already knows
 * (its documents, or the program's maintainers) would inherit what that
 * handle may write.  Someone coming back is restored by a maintainer.
 */
static void check_handle_unused(struct check *c, const char *path, const char *handle)
{
	const struct team *t = c->team;
	char where[PERF_HANDLE_MAX + 32];
	git_oid id;

	if (is_maintainer(t, handle)) {
		snprintf(where, sizeof(where), "the program's maintainers");
		goto used;
	}
	/* The documents a person has: <folder>/<handle>/... or <folder>/<handle>.md. */
	for (const struct perf_schema_kind *const *k = perf_schema_kinds(); *k; k++) {
		const char *folder;
		size_t fn = perf_schema_folder(*k, &folder);
		bool one = perf_schema_one_per_person(*k);
		if (!fn || !perf_schema_per_person(*k))
			continue;
		snprintf(where, sizeof(where), "%.*s/%s%s", (int)fn, folder, handle, one ? ".md" : "");
		entry_oid(c->before, where, one ? GIT_OBJECT_BLOB : GIT_OBJECT_TREE, &id);
		if (!git_oid_is_zero(&id))
			goto used;
	}
	return;
used:
	violation(c->v, path,
	          "joins as '%s', a handle the record already knows (%s): handles are never reused; "
	          "join with another (perf join --handle), or ask a maintainer to restore %s",
	          handle, where, path);
}

/*
 * Members are admitted: admitted_by is written once, by the person's lead
 * (as people/ said before the commit) or a maintainer, who counts already and
 * names themselves; nobody admits themselves, and an admission stands.
 */
static void check_admission(struct check *c, const char *path, const struct perf_schema_match *m,
                            const struct perf_doc *old, const struct perf_doc *now)
{
	const struct team *t = c->team;
	const char *by = now ? perf_doc_str(now, "admitted_by") : NULL;
	const char *was = old ? perf_doc_str(old, "admitted_by") : NULL;

	if (was && *was) {
		if (now && (!by || strcmp(by, was)))
			violation(c->v, path, "changes who admitted %s (%s): an admission stands", m->handle, was);
		return;
	}
	if (!by)
		return;
	if (strcmp(by, c->who))
		violation(c->v, path,
		          "records %s as admitting %s, but the commit is by %s: only a person says what they did", by,
		          m->handle, c->who);
	else if (!strcmp(c->who, m->handle))
		violation(c->v, path, "admits %s by %s themselves: a lead or a maintainer admits a new person",
		          m->handle, c->who);
	else if (!counts(c, c->who) || (!is_maintainer(t, c->who) && strcmp(c->who, lead_of(t, m->handle))))
		violation(c->v, path, "admits %s, but %s is neither their lead nor a maintainer", m->handle, c->who);
}

/* Fields of a people file that confer rights on others or on the person. */
static const char *const rights_fields[] = {"lead", "role", "left", "email", NULL};
/* Fields only the person changes (a maintainer may restore signing keys). */
static const char *const own_fields[] = {"encryption_key", "keys", NULL};

/*
 * The lead is one fact: people/<h>.md's lead (and email) change only by the
 * current lead or a maintainer, never by the person alone, and nobody is
 * their own lead.  Expectations name the same lead as the people file.
 */
static void check_person(struct check *c, const char *path, const struct perf_schema_match *m,
                         const struct perf_doc *old, const struct perf_doc *now)
{
	const struct team *t = c->team;
	const char *lead = now ? perf_doc_str(now, "lead") : NULL, *was = old ? perf_doc_str(old, "lead") : NULL;

	if (lead && !strcmp(lead, m->handle))
		violation(c->v, path, "names %s as their own lead: nobody is their own lead", m->handle);
	if (!old && now && !strcmp(c->who, m->handle))
		check_handle_unused(c, path, m->handle);
	check_admission(c, path, m, old, now);
	if (!old || !now)
		return;
	/* Keys decide who can sign as the person and who can read what is sealed to them. */
	for (size_t i = 0; own_fields[i]; i++) {
		const struct perf_node *x = perf_doc_get(old, own_fields[i]), *y = perf_doc_get(now, own_fields[i]);
		if (perf_node_equal(x, y) || !strcmp(c->who, m->handle))
			continue;
		if (!strcmp(own_fields[i], "keys") && is_maintainer(t, c->who))
			continue; /* a maintainer restores a lost signing key */
		violation(c->v, path, "changes %s's %s: only %s changes their own keys", m->handle, own_fields[i],
		          m->handle);
	}
	for (size_t i = 0; rights_fields[i]; i++) {
		const char *x = perf_doc_str(old, rights_fields[i]), *y = perf_doc_str(now, rights_fields[i]);
		if ((!x && !y) || (x && y && !strcasecmp(x, y)))
			continue;
		if (is_maintainer(t, c->who) || (was && *was && !strcmp(c->who, was)) ||
		    (open_team(c) && (!was || !*was)))
			continue;
		violation(c->v, path,
		          "changes %s's %s: only their lead%s%s or a maintainer does, never the person alone",
		          m->handle, rights_fields[i], was && *was ? " " : "", was && *was ? was : "");
	}
	/* A departure stands: only a maintainer takes someone back (or corrects the day). */
	{
		const char *x = perf_doc_str(old, "left"), *y = perf_doc_str(now, "left");
		if (x && *x && (!y || strcmp(x, y)) && !is_maintainer(t, c->who))
			violation(c->v, path, "%s %s's departure (left: %s): only a maintainer takes someone back",
			          y && *y ? "changes" : "clears", m->handle, x);
	}
}

static void check_expectations_lead(struct check *c, const char *path, const struct perf_schema_match *m,
                                    const struct perf_doc *old, const struct perf_doc *now)
{
	const char *lead = now ? perf_doc_str(now, "lead") : NULL, *was = old ? perf_doc_str(old, "lead") : NULL;
	const struct team *after;
	const struct member *mb;

	/* A lead that went stale when people/ changed is read from people/; only writing one is checked. */
	if (!lead || (was && !strcmp(was, lead)) || !(after = team_of(c->v, c->after)) ||
	    !(mb = member_of(after, m->handle)))
		return;
	if (strcmp(lead, mb->p->lead))
		violation(c->v, path, "names %s as %s's lead, but people/%s.md says %s: a person's lead is one fact",
		          lead, m->handle, m->handle, mb->p->lead[0] ? mb->p->lead : "nobody");
}

/* An adopted norm is the team's word: it changes only through a new proposal. */
static bool same_doc(const struct perf_doc *a, const struct perf_doc *b)
{
	size_t la, lb;
	const char *ba = perf_doc_body(a, &la), *bb = perf_doc_body(b, &lb);

	return perf_node_equal(perf_doc_root(a), perf_doc_root(b)) && la == lb && (!la || !memcmp(ba, bb, la));
}

static void check_norm(struct check *c, const char *path, const struct perf_doc *old, const struct perf_doc *now)
{
	const char *was = old ? perf_doc_str(old, "status") : NULL, *is = now ? perf_doc_str(now, "status") : NULL;

	if (was && !strcmp(was, "adopted")) {
		if (!now)
			violation(c->v, path, "deletes an adopted norm: what the team agreed stays in the record");
		else if (!same_doc(old, now))
			violation(c->v, path, "changes an adopted norm: propose a new norm instead");
		return;
	}
	/* A norm becomes adopted only by the commit that adopts it, by the team's rule. */
	if (is && !strcmp(is, "adopted") && !(c->adopting && c->adopt_path && !strcmp(c->adopt_path, path)))
		violation(c->v, path,
		          "marks the norm adopted without adopting it: adoption needs the team's agreements "
		          "(perf agree) and happens in the commit that reaches them");
}

/* A conversation keeps its people: `readers` of a private document is its person and `with`. */
static void check_readers(struct check *c, const char *path, const struct perf_schema_match *m,
                          const struct perf_doc *now)
{
	const struct perf_node *r = now ? perf_doc_get(now, "readers") : NULL;
	const struct perf_node *w = now ? perf_doc_get(now, "with") : NULL;
	size_t want = 1;

	if (!r || r->type != PERF_NODE_SEQ || strcmp(m->kind->name, "note"))
		return;
	for (size_t i = 0; w && w->type == PERF_NODE_SEQ && i < w->n; i++)
		if (w->values[i]->type == PERF_NODE_SCALAR && strcmp(w->values[i]->text, m->handle))
			want++;
	for (size_t i = 0; i < r->n; i++) {
		const char *h = r->values[i]->type == PERF_NODE_SCALAR ? r->values[i]->text : "";
		if (strcmp(h, m->handle) && !in_list(now, "with", h)) {
			violation(c->v, path,
			          "lists %s as a reader, who is not in the conversation: a private note's "
			          "readers are its person and the people it is with",
			          h);
			return;
		}
	}
	if (r->n < want || !in_list(now, "readers", m->handle))
		violation(c->v, path, "leaves someone in the conversation out of its readers");
}

static bool entry_at(git_tree *tree, const char *path, git_oid *out)
{
	git_tree_entry *e = NULL;
	bool ok = tree && git_tree_entry_bypath(&e, tree, path) == 0;

	memset(out, 0, sizeof(*out));
	if (ok)
		git_oid_cpy(out, git_tree_entry_id(e));
	git_tree_entry_free(e);
	git_error_clear();
	return ok;
}

/* Whether a merge's entry at path is one of its parents' own: taking a side writes nothing new. */
static bool from_a_parent(struct check *c, const char *path)
{
	git_oid now, was;
	bool same = false;

	if (git_commit_parentcount(c->commit) < 2 || !entry_at(c->after, path, &now))
		return false;
	for (unsigned i = 0; i < git_commit_parentcount(c->commit) && !same; i++) {
		git_commit *p = NULL;
		git_tree *t = NULL;
		if (git_commit_parent(&p, c->commit, i) == 0 && git_commit_tree(&t, p) == 0 && entry_at(t, path, &was))
			same = git_oid_equal(&now, &was);
		git_tree_free(t);
		git_commit_free(p);
	}
	git_error_clear();
	return same;
}

/* Sealed words name their writer (inside the seal: lib/private), who must be the commit's author. */
static void check_sealed_by(struct check *c, const char *path, const struct perf_doc *old, const struct perf_doc *now)
{
	char from[PERF_HANDLE_MAX + 1];
	size_t len, olen;
	const char *body = now ? perf_doc_body(now, &len) : NULL, *obody = old ? perf_doc_body(old, &olen) : NULL;

	if (!now || !perf_private_doc_is(now) || !perf_private_body_is(body, len))
		return;
	if (obody && olen == len && !memcmp(obody, body, len))
		return; /* the words did not change */
	if (from_a_parent(c, path))
		return;
	if (perf_private_body_from(body, len, from) || !from[0])
		violation(c->v, path,
		          "holds sealed words that do not say who sealed them: private words are sealed by "
		          "their writer (perf 0.2 or later)");
	else if (strcmp(from, c->who))
		violation(c->v, path,
		          "holds words sealed in %s's name, but the commit is by %s: nobody writes in "
		          "someone else's name",
		          from, c->who);
}

/* A reply to a private document comes from one of its readers. */
static void check_private_reply(struct check *c, const char *path, const struct perf_schema_match *m)
{
	struct perf_doc *parent;
	const struct perf_node *r;

	if (!m->parent[0] || !(parent = tree_doc(c->v, c->after, m->parent)))
		return;
	r = perf_doc_get(parent, "readers");
	if (r && r->type == PERF_NODE_SEQ && r->n && !in_list(parent, "readers", c->who))
		violation(c->v, path, "answers %s, which is private to its readers, and %s is not one of them",
		          m->parent, c->who);
	perf_doc_free(parent);
}

static void check_words(struct check *c, const struct change *ch)
{
	struct perf_schema_match m;
	struct perf_doc *old = NULL, *now = NULL;

	if (perf_schema_match_path(&m, ch->path, NULL) || !m.kind)
		return;
	if (ch->status != GIT_DELTA_ADDED)
		old = tree_doc(c->v, c->before, ch->path);
	if (ch->status != GIT_DELTA_DELETED)
		now = tree_doc(c->v, c->after, ch->path);
	if (m.kind->agreement)
		check_agreements(c, ch->path, m.kind, old, now);
	if (!strcmp(m.kind->name, "person"))
		check_person(c, ch->path, &m, old, now);
	else if (!strcmp(m.kind->name, "expectations"))
		check_expectations_lead(c, ch->path, &m, old, now);
	else if (!strcmp(m.kind->name, "norm"))
		check_norm(c, ch->path, old, now);
	else if (!strcmp(m.kind->name, "note"))
		check_readers(c, ch->path, &m, now);
	else if (!strcmp(m.kind->name, "reply") && ch->status == GIT_DELTA_ADDED)
		check_private_reply(c, ch->path, &m);
	check_sealed_by(c, ch->path, old, now);
	perf_doc_free(old);
	perf_doc_free(now);
}

/* A person may add their own people/ file: join is self-service. */
static const char *joining(struct check *c, const struct change *ch, size_t nch, const char *email)
{
	for (size_t i = 0; i < nch; i++) {
		struct perf_schema_match m;
		struct perf_doc *doc;
		const char *e;
		bool mine;
		if (ch[i].status != GIT_DELTA_ADDED || perf_schema_match_path(&m, ch[i].path, NULL) || !m.kind ||
		    strcmp(m.kind->name, "person") || member_of(c->team, m.handle))
			continue;
		doc = tree_doc(c->v, c->after, ch[i].path);
		mine = doc && (e = perf_doc_str(doc, "email")) && !strcasecmp(e, email);
		perf_doc_free(doc);
		if (mine) {
			snprintf(c->who_buf, sizeof(c->who_buf), "%s", m.handle);
			return c->who_buf;
		}
	}
	return NULL;
}

/* A team that requires signed commits wants each signed by its author with
 * a key their people file lists (person: as the judge knows them, or as a
 * join adds them; NULL when the author is unknown: only the signature's
 * presence is checked). */
static int check_signature(struct check *c, const struct perf_doc *person, struct perf_error *err)
{
	struct perf_verify *v = c->v;
	const char *email = git_commit_author(c->commit)->email;
	struct perf_buf allowed = PERF_BUF_INIT;
	struct perf_error why;
	git_buf sig = {0}, data = {0};
	git_oid id;
	int r, rc = 0;

	git_oid_cpy(&id, git_commit_id(c->commit));
	r = git_commit_extract_signature(&sig, &data, v->repo, &id, NULL);
	if (r == GIT_ENOTFOUND) {
		git_error_clear();
		violation(v, "-", "unsigned commit (the team requires signed commits)");
		return 0;
	}
	if (r < 0)
		return perf_error_git(err, "cannot read the signature of commit %s", git_oid_tostr_s(&id));
	if (!c->who)
		goto out;
	if (strncmp(sig.ptr, "-----BEGIN SSH SIGNATURE-----", 29)) {
		violation(v, "-",
		          "signature does not verify for %s: not an SSH signature (perf checks SSH signatures only)",
		          email);
		goto out;
	}
	if ((rc = perf_sign_person_signers(&allowed, email, person, NULL, err)))
		goto out;
	if (!allowed.len) {
		violation(v, "-", "signature does not verify for %s: people/%s.md lists no SSH key for them", email,
		          c->who);
		goto out;
	}
	perf_error_clear(&why);
	rc = perf_sign_verify(v->repo, allowed.ptr, email, data.ptr, data.size, sig.ptr, sig.size, &why);
	if (rc == PERF_EPERM) {
		violation(v, "-", "signature does not verify for %s: %s", email, why.msg);
		rc = 0;
	} else if (rc) {
		rc = perf_error(err, why.code, "%s", why.msg);
	}
out:
	perf_buf_release(&allowed);
	git_buf_dispose(&sig);
	git_buf_dispose(&data);
	return rc;
}

/* Everything one judge says of a commit whose own changes are ch. */
static int judge(struct check *c, const struct change *ch, size_t nch, bool merge, const char *norm_path, bool adopted,
                 const struct perf_doc **last_signer, struct perf_error *err)
{
	struct perf_verify *v = c->v;
	const char *email = git_commit_author(c->commit)->email;
	const struct perf_doc *person = NULL;
	const struct member *mb;
	bool shared;
	int rc;

	c->adopting = false;
	c->who = handle_of(c->team, email, c->who_buf, &shared);
	if (shared)
		violation(v, "-",
		          "the author's email %s belongs to more than one person: nobody can tell who wrote this",
		          email);
	if (c->who && (mb = member_of(c->team, c->who)))
		person = mb->p->doc;
	if (!c->who && !shared && !merge && (c->who = joining(c, ch, nch, email))) {
		char path[PERF_HANDLE_MAX + 16];
		snprintf(path, sizeof(path), "people/%s.md", c->who);
		c->joined = tree_doc(v, c->after, path);
		person = c->joined;
	}
	/* The same key, already checked for this commit by the other judge, need not be checked again. */
	if (signing_required(c->team) && !v->no_signatures && !(person && *last_signer == person)) {
		if ((rc = check_signature(c, person, err)))
			return rc;
		*last_signer = person == c->joined ? NULL : person;
	}
	if (!c->who) {
		if (!shared)
			violation(v, "-", "the author is not a person of the team (no people/ file has their email)");
		return 0;
	}
	if ((mb = member_of(c->team, c->who)) && mb->p->left) {
		const char *day = mb->p->doc ? perf_doc_str(mb->p->doc, "left") : NULL;
		violation(v, "-", "%s left the team (people/%s.md: left %s): they write nothing more", c->who, c->who,
		          day ? day : "");
		return 0;
	}
	if (adopted) {
		char why[400];
		if (adoption_holds(c, norm_path, why, sizeof(why))) {
			c->adopting = true;
			c->adopt_path = norm_path;
		} else
			violation(v, norm_path ? norm_path : "-", "%s", why);
	}
	for (size_t i = 0; i < nch; i++) {
		check_path(c, &ch[i]);
		check_words(c, &ch[i]);
	}
	return 0;
}

/* The form of what a path holds now: a regular blob of a document's size that passes perf check. */
struct exists_ctx {
	git_tree *tree;
};

static bool exists_in(void *payload, const char *path)
{
	struct exists_ctx *x = payload;
	git_tree_entry *e = NULL;
	bool ok = git_tree_entry_bypath(&e, x->tree, path) == 0 && git_tree_entry_type(e) == GIT_OBJECT_BLOB;

	git_tree_entry_free(e);
	git_error_clear();
	return ok;
}

struct problem_ctx {
	struct perf_verify *v;
	const char *path;
};

static void problem(void *payload, const char *path, size_t line, size_t col, const char *message)
{
	struct problem_ctx *p = payload;

	if (line)
		violation(p->v, p->path, "%s:%zu:%zu: %s", path ? path : p->path, line, col, message);
	else
		violation(p->v, p->path, "%s", message);
}

static void check_form(struct perf_verify *v, git_tree *after, const struct change *ch, const struct perf_strv *groups)
{
	git_tree_entry *e = NULL;
	git_odb_object *obj;
	size_t size;
	int match;

	if (ch->status == GIT_DELTA_DELETED)
		return;
	match = perf_schema_match_path(NULL, ch->path, NULL);
	if (match == PERF_ENOTFOUND && strcmp(ch->path, ".perf/config.yaml"))
		return; /* not a document: the program's templates, a README */
	if (git_tree_entry_bypath(&e, after, ch->path) < 0) {
		git_error_clear();
		return;
	}
	switch (git_tree_entry_filemode(e)) {
	case GIT_FILEMODE_BLOB:
		break;
	case GIT_FILEMODE_LINK:
		violation(v, ch->path, "is a symbolic link; documents must be regular files (mode 100644)");
		goto out;
	case GIT_FILEMODE_COMMIT:
		violation(v, ch->path, "is a submodule (a gitlink); documents must be regular files (mode 100644)");
		goto out;
	case GIT_FILEMODE_BLOB_EXECUTABLE:
		violation(v, ch->path, "has mode 100755; documents are regular files (mode 100644)");
		goto out;
	default:
		violation(v, ch->path, "is not a file; documents must be regular files (mode 100644)");
		goto out;
	}
	if (blob_size(v, git_tree_entry_id(e), &size)) {
		violation(v, ch->path, "cannot be read");
		goto out;
	}
	if (size > PERF_DOC_MAX_FILE) {
		violation(v, ch->path, "is %zu bytes; a document is at most %d bytes", size, PERF_DOC_MAX_FILE);
		goto out;
	}
	if (!(obj = read_small(v, git_tree_entry_id(e)))) {
		violation(v, ch->path, "cannot be read");
		goto out;
	}
	{
		struct exists_ctx x = {after};
		struct perf_validate_env env = {exists_in, &x, groups};
		struct problem_ctx p = {v, ch->path};
		perf_validate_doc(ch->path, git_odb_object_data(obj), git_odb_object_size(obj), &env, problem, &p);
	}
	git_odb_object_free(obj);
out:
	git_tree_entry_free(e);
}

/* What perf's own merge gives for a path both sides changed; false when it clashes. */
static bool doc_merge(struct perf_verify *v, const char *path, const git_oid *b, const git_oid *o, const git_oid *t,
                      git_oid *out)
{
	git_odb_object *bo = NULL, *oo = NULL, *to = NULL;
	struct perf_merge_result mr = PERF_MERGE_RESULT_INIT;
	bool ok = false;

	if (git_oid_is_zero(o) || git_oid_is_zero(t))
		return false; /* deleted on one side, changed on the other: a person decides */
	if ((!git_oid_is_zero(b) && !(bo = read_small(v, b))) || !(oo = read_small(v, o)) || !(to = read_small(v, t)))
		goto out;
	if (perf_merge_doc(path, bo ? git_odb_object_data(bo) : NULL, bo ? git_odb_object_size(bo) : 0,
	                   git_odb_object_data(oo), git_odb_object_size(oo), git_odb_object_data(to),
	                   git_odb_object_size(to), &mr, NULL) == 0 &&
	    !mr.nclashes && git_odb_hash(out, mr.text.ptr ? mr.text.ptr : "", mr.text.len, GIT_OBJECT_BLOB) == 0)
		ok = true;
out:
	perf_merge_result_release(&mr);
	git_odb_object_free(bo);
	git_odb_object_free(oo);
	git_odb_object_free(to);
	git_error_clear();
	return ok;
}

/*
 * The paths of a merge that its author answers for: where its tree differs
 * from its first parent and is not what perf's merge of that path gives.
 * An octopus is not something perf makes: every path it changes is its
 * author's.
 */
static int merge_changes(struct perf_verify *v, git_commit *commit, git_tree *first, git_tree *after,
                         const struct changes *diff, struct change *out, size_t *nout, struct perf_error *err)
{
	git_commit *other = NULL;
	git_tree *otree = NULL, *btree = NULL;
	git_oid base;
	bool have_base = false;
	int rc = 0;

	*nout = 0;
	if (git_commit_parentcount(commit) == 2) {
		if (git_commit_parent(&other, commit, 1) < 0 || git_commit_tree(&otree, other) < 0) {
			rc = perf_error_git(err, "cannot read the parents of merge %s",
			                    git_oid_tostr_s(git_commit_id(commit)));
			goto out;
		}
		if (git_merge_base(&base, v->repo, git_commit_parent_id(commit, 0), git_commit_parent_id(commit, 1)) ==
		    0) {
			git_commit *bc = NULL;
			if (git_commit_lookup(&bc, v->repo, &base) == 0 && git_commit_tree(&btree, bc) == 0)
				have_base = true;
			git_commit_free(bc);
		}
		git_error_clear();
	}
	for (size_t i = 0; i < diff->n; i++) {
		const struct change *d = &diff->v[i];
		const char *path = d->path;
		git_oid b, o, t, m, want;
		bool expected = false;
		if (otree) {
			entry_at(have_base ? btree : NULL, path, &b);
			entry_at(first, path, &o);
			entry_at(otree, path, &t);
			entry_at(after, path, &m);
			if (git_oid_equal(&o, &t)) {
				want = o;
				expected = true;
			} else if (git_oid_equal(&b, &o)) {
				want = t;
				expected = true;
			} else if (git_oid_equal(&b, &t)) {
				want = o;
				expected = true;
			} else {
				expected = doc_merge(v, path, &b, &o, &t, &want);
			}
			/* The other side's entry brings its mode too: check it only when the author chose. */
			if (expected && git_oid_equal(&want, &m))
				continue;
		}
		out[*nout].path = d->path;
		out[*nout].status = d->status;
		(*nout)++;
	}
out:
	git_tree_free(btree);
	git_tree_free(otree);
	git_commit_free(other);
	return rc;
}

static bool descends(struct perf_verify *v, const git_oid *id)
{
	return (v->anchor && git_oid_equal(id, v->anchor)) || oidmap_get(&v->descends, id);
}

static int check_commit(struct perf_verify *v, git_commit *commit, struct perf_error *err)
{
	git_commit *parent = NULL;
	git_tree *before = NULL, *after = NULL;
	struct changes diff = {0};
	git_message_trailer_array tr = {0};
	const git_signature *author = git_commit_author(commit), *committer = git_commit_committer(commit);
	const struct team *judges[2];
	const struct perf_doc *last_signer = NULL;
	struct change *ch = NULL;
	struct perf_strv groups = PERF_STRV_INIT;
	size_t nch = 0, np = git_commit_parentcount(commit), nj = 0;
	const char *norm_path = NULL;
	bool adopted = false, from_anchor = false;
	int rc = 0;

	v->id = git_commit_id(commit);
	perf_strv_release(&v->seen);
	for (size_t i = 0; i < np; i++)
		if (descends(v, git_commit_parent_id(commit, i)))
			from_anchor = true;
	if (from_anchor && oidmap_put(&v->descends, v->id, &v->descends))
		return perf_error(err, PERF_ENOMEM, "out of memory");
	if (git_commit_tree(&after, commit) < 0 ||
	    (np > 0 && (git_commit_parent(&parent, commit, 0) < 0 || git_commit_tree(&before, parent) < 0))) {
		rc = perf_error_git(err, "cannot read commit %s", git_oid_tostr_s(v->id));
		goto out;
	}
	if (!np) {
		if (v->anchor_team || (v->have_founding && !git_oid_equal(&v->founding, v->id)))
			violation(v, "-",
			          "a commit with no parent (a new root) is refused: this history already has a "
			          "team, and every change must build on it");
		/* Otherwise the first commit founds the team. */
		goto out;
	}
	if (strcasecmp(author->email, committer->email))
		/* perf and plain git both commit as the person acting: author and committer
		 * differ only when someone wrote in another's name. */
		violation(v, "-", "claims to be by %s <%s> but was committed by %s <%s>", author->name, author->email,
		          committer->name, committer->email);
	tree_changes(v->repo, before, after, "", &diff);
	if (diff.oom || (diff.n && !(ch = calloc(diff.n, sizeof(*ch))))) {
		rc = perf_error(err, PERF_ENOMEM, "out of memory");
		goto out;
	}
	if (np > 1) {
		if ((rc = merge_changes(v, commit, before, after, &diff, ch, &nch, err)))
			goto out;
	} else {
		if (diff.n)
			memcpy(ch, diff.v, diff.n * sizeof(*ch));
		nch = diff.n;
	}
	git_message_trailers(&tr, git_commit_message(commit));
	for (size_t i = 0; i < tr.count; i++) {
		if (!strcasecmp(tr.trailers[i].key, "Perf-Adopted"))
			adopted = true;
		if (!strcasecmp(tr.trailers[i].key, "Perf-Path") && !norm_path)
			norm_path = tr.trailers[i].value;
	}
	/* The judges: the team the commit builds on, and the anchor's unless it builds on that. */
	if (!(judges[nj++] = team_of(v, before))) {
		rc = perf_error(err, PERF_ENOMEM, "out of memory");
		goto out;
	}
	if (v->anchor_team && !descends(v, git_commit_parent_id(commit, 0)) && v->anchor_team != judges[0])
		judges[nj++] = v->anchor_team;
	for (size_t j = 0; j < nj && !rc; j++) {
		struct check c;
		memset(&c, 0, sizeof(c));
		c.v = v;
		c.trunk = oidmap_get(&v->trunk, v->id) != NULL;
		c.commit = commit;
		c.before = before;
		c.after = after;
		c.team = judges[j];
		rc = judge(&c, ch, nch, np > 1, norm_path, adopted, &last_signer, err);
		perf_doc_free(c.joined);
		perf_strv_release(&c.adopt_keys);
	}
	if (rc)
		goto out;
	/* Identities are unique: an email two people share makes both nobody. */
	for (size_t i = 0; i < nch; i++) {
		struct perf_schema_match m;
		const struct team *now;
		const struct member *mb;
		if (ch[i].status == GIT_DELTA_DELETED || perf_schema_match_path(&m, ch[i].path, NULL) || !m.kind ||
		    strcmp(m.kind->name, "person") || !(now = team_of(v, after)) || !(mb = member_of(now, m.handle)) ||
		    !mb->p->email[0])
			continue;
		for (size_t k = 0; k < now->n; k++)
			if (&now->v[k] != mb && !strcasecmp(now->v[k].p->email, mb->p->email)) {
				violation(v, ch[i].path, "email %s is already %.*s's: no two people share an email",
				          mb->p->email, (int)(strlen(now->v[k].name) - 3), now->v[k].name);
				break;
			}
	}
	{
		struct perf_doc *cfg = tree_doc(v, after, ".perf/config.yaml");
		bool have_groups = cfg && perf_validate_has_groups(cfg);
		if (have_groups && perf_validate_groups(cfg, &groups)) {
			perf_doc_free(cfg);
			rc = perf_error(err, PERF_ENOMEM, "out of memory");
			goto out;
		}
		for (size_t i = 0; i < nch; i++)
			check_form(v, after, &ch[i], have_groups ? &groups : NULL);
		perf_doc_free(cfg);
	}
out:
	perf_strv_release(&groups);
	free(ch);
	/* Once a commit broke a rule, what it and every later commit wrote rests on it. */
	if (!rc && v->taint && (v->violations || v->taint_all))
		for (size_t i = 0; i < diff.n; i++)
			if (perf_strv_push(&v->tainted, diff.v[i].path))
				rc = perf_error(err, PERF_ENOMEM, "out of memory");
	if (!rc)
		team_after(v, before, after, &diff);
	git_message_trailer_array_free(&tr);
	changes_release(&diff);
	git_tree_free(before);
	git_tree_free(after);
	git_commit_free(parent);
	return rc;
}

/* ---- runs ---------------------------------------------------------------- */

int perf_verify_new(struct perf_verify **out, git_repository *repo, perf_verify_report_fn report, void *payload,
                    struct perf_error *err)
{
	struct perf_verify *v = calloc(1, sizeof(*v));

	*out = NULL;
	if (!v)
		return perf_error(err, PERF_ENOMEM, "out of memory");
	if (git_repository_odb(&v->odb, repo) < 0) {
		free(v);
		return perf_error_git(err, "cannot open the object database");
	}
	v->repo = repo;
	v->report = report;
	v->payload = payload;
	/* A push of thousands of joins brings a people/ tree of thousands of
	 * entries per commit: libgit2 would keep every one of them. */
	{
		ssize_t used = 0, max = 0;
		if (git_libgit2_opts(GIT_OPT_GET_CACHED_MEMORY, &used, &max) == 0 && max > VERIFY_CACHE_MAX) {
			v->saved_cache_max = max;
			git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, (ssize_t)VERIFY_CACHE_MAX);
		}
	}
	*out = v;
	return 0;
}

void perf_verify_free(struct perf_verify *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < TEAM_CACHE; i++)
		team_free(v->teams[i]);
	if (v->saved_cache_max)
		git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, v->saved_cache_max);
	oidmap_release(&v->people, person_free);
	oidmap_release(&v->configs, config_free);
	oidmap_release(&v->descends, NULL);
	oidmap_release(&v->trunk, NULL);
	perf_strv_release(&v->seen);
	perf_strv_release(&v->tainted);
	git_odb_free(v->odb);
	free(v->own_payload);
	free(v);
}

size_t perf_verify_checked(const struct perf_verify *v)
{
	return v->checked;
}

size_t perf_verify_violations(const struct perf_verify *v)
{
	return v->violations;
}

/* The commit an object names, through annotated tags. */
static int peel_commit(git_repository *repo, const git_oid *id, git_oid *out)
{
	git_object *obj = NULL, *peeled = NULL;
	int rc = -1;

	if (git_object_lookup(&obj, repo, id, GIT_OBJECT_ANY) == 0 &&
	    git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) == 0) {
		git_oid_cpy(out, git_object_id(peeled));
		rc = 0;
	}
	git_object_free(peeled);
	git_object_free(obj);
	git_error_clear();
	return rc;
}

int perf_verify_commits(struct perf_verify *v, const git_oid *anchor, const git_oid *hide, size_t nhide,
                        const git_oid *to, struct perf_error *err)
{
	git_revwalk *walk = NULL;
	git_commit *anchor_commit = NULL;
	git_tree *anchor_tree = NULL;
	git_oid id, tip, *ids = NULL;
	size_t nids = 0, capids = 0;
	int rc = 0;

	v->anchor = NULL;
	v->anchor_team = NULL;
	v->have_founding = false;
	oidmap_release(&v->descends, NULL);
	oidmap_release(&v->trunk, NULL);
	if (peel_commit(v->repo, to, &tip))
		return perf_error(err, PERF_EINVALID, "%s does not name a commit", git_oid_tostr_s(to));
	if (anchor) {
		if (git_commit_lookup(&anchor_commit, v->repo, anchor) < 0 ||
		    git_commit_tree(&anchor_tree, anchor_commit) < 0) {
			rc = perf_error_git(err, "cannot read commit %s", git_oid_tostr_s(anchor));
			goto out;
		}
		v->anchor = git_commit_id(anchor_commit);
		if (!(v->anchor_team = team_of(v, anchor_tree))) {
			rc = perf_error(err, PERF_ENOMEM, "out of memory");
			goto out;
		}
	} else {
		/* A whole history: the root its first parents lead to founds the team. */
		git_commit *c = NULL, *p = NULL;
		if (git_commit_lookup(&c, v->repo, &tip) == 0) {
			while (git_commit_parentcount(c) && git_commit_parent(&p, c, 0) == 0) {
				git_commit_free(c);
				c = p;
				p = NULL;
			}
			git_oid_cpy(&v->founding, git_commit_id(c));
			v->have_founding = true;
		}
		git_commit_free(c);
		git_error_clear();
	}
	if (git_revwalk_new(&walk, v->repo) < 0 ||
	    git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE) < 0 ||
	    git_revwalk_push(walk, &tip) < 0) {
		rc = perf_error_git(err, "cannot walk from %s", git_oid_tostr_s(&tip));
		goto out;
	}
	for (size_t i = 0; i < nhide; i++) {
		git_oid h;
		if (!git_oid_is_zero(&hide[i]) && peel_commit(v->repo, &hide[i], &h) == 0 &&
		    git_revwalk_hide(walk, &h) < 0)
			git_error_clear();
	}
	/* The commits to check, oldest first; then the trunk among them: the tip's first parents. */
	while (git_revwalk_next(&id, walk) == 0) {
		if (nids == capids) {
			size_t nc = capids ? capids * 2 : 64;
			git_oid *ni = realloc(ids, nc * sizeof(*ids));
			if (!ni) {
				rc = perf_error(err, PERF_ENOMEM, "out of memory");
				goto out;
			}
			ids = ni;
			capids = nc;
		}
		ids[nids++] = id;
	}
	git_error_clear();
	if (nids) {
		struct oidmap pending = {0};
		git_commit *c = NULL, *p = NULL;
		for (size_t i = 0; i < nids && !rc; i++)
			if (oidmap_put(&pending, &ids[i], &pending))
				rc = perf_error(err, PERF_ENOMEM, "out of memory");
		if (!rc && git_commit_lookup(&c, v->repo, &tip) == 0) {
			while (oidmap_get(&pending, git_commit_id(c))) {
				if (oidmap_put(&v->trunk, git_commit_id(c), &v->trunk)) {
					rc = perf_error(err, PERF_ENOMEM, "out of memory");
					break;
				}
				if (!git_commit_parentcount(c) || git_commit_parent(&p, c, 0) < 0)
					break;
				git_commit_free(c);
				c = p;
				p = NULL;
			}
		}
		git_commit_free(c);
		git_error_clear();
		oidmap_release(&pending, NULL);
		if (rc)
			goto out;
	}
	for (size_t i = 0; i < nids; i++) {
		git_commit *c = NULL;
		if (git_commit_lookup(&c, v->repo, &ids[i]) < 0) {
			rc = perf_error_git(err, "cannot read commit %s", git_oid_tostr_s(&ids[i]));
			break;
		}
		rc = check_commit(v, c, err);
		git_commit_free(c);
		if (rc)
			break;
		v->checked++;
	}
	git_error_clear();
out:
	/* The anchor's team may be evicted now like any other. */
	v->anchor = NULL;
	v->anchor_team = NULL;
	free(ids);
	git_revwalk_free(walk);
	git_tree_free(anchor_tree);
	git_commit_free(anchor_commit);
	return rc;
}

static bool ref_kept(const char *refname)
{
	return !strncmp(refname, "refs/heads/", 11) || !strncmp(refname, "refs/tags/", 10);
}

int perf_verify_update(struct perf_verify *v, const char *refname, const git_oid *old, const git_oid *new,
                       struct perf_error *err)
{
	git_oid oldc, newc, anchor, *hide = NULL;
	git_reference_iterator *it = NULL;
	git_reference *ref = NULL;
	bool have_anchor = false;
	size_t nhide = 0, cap = 0;
	int rc = 0;

	v->id = git_oid_is_zero(new) ? old : new;
	perf_strv_release(&v->seen);
	if (git_oid_is_zero(new)) {
		if (ref_kept(refname))
			violation(v, refname, "deleting a branch or tag is refused: the record's history only grows");
		return 0;
	}
	if (peel_commit(v->repo, new, &newc)) {
		violation(v, refname, "does not name a commit");
		return 0;
	}
	if (!git_oid_is_zero(old)) {
		if (!strncmp(refname, "refs/tags/", 10)) {
			violation(v, refname,
			          "not a fast-forward: a tag never moves (the record's history only grows)");
			return 0;
		}
		if (peel_commit(v->repo, old, &oldc) == 0) {
			if (!git_oid_equal(&oldc, &newc) && git_graph_descendant_of(v->repo, &newc, &oldc) != 1) {
				git_error_clear();
				violation(v, refname,
				          "not a fast-forward of %.12s: it would drop commits (the record's history "
				          "only grows)",
				          git_oid_tostr_s(&oldc));
				return 0;
			}
			anchor = oldc;
			have_anchor = true;
		}
	}
	/* A branch that stays behind the repository's HEAD (or a new one) is judged by HEAD's team
	 * too: a ref pointed at an old commit does not bring back an older team (one with no
	 * maintainers yet, say) for what is built on it. */
	{
		git_oid head;
		if (git_reference_name_to_id(&head, v->repo, "HEAD") == 0 && peel_commit(v->repo, &head, &head) == 0 &&
		    (!have_anchor ||
		     (!git_oid_equal(&anchor, &head) && git_graph_descendant_of(v->repo, &anchor, &head) != 1))) {
			anchor = head;
			have_anchor = true;
		}
	}
	git_error_clear();
	/* What no existing reference reaches: the new commits of the push. */
	if (git_reference_iterator_new(&it, v->repo) == 0) {
		while (git_reference_next(&ref, it) == 0) {
			const git_oid *t = git_reference_target(ref);
			if (t) {
				if (nhide == cap) {
					size_t nc = cap ? cap * 2 : 16;
					git_oid *nh = realloc(hide, nc * sizeof(*hide));
					if (!nh) {
						git_reference_free(ref);
						rc = perf_error(err, PERF_ENOMEM, "out of memory");
						break;
					}
					hide = nh;
					cap = nc;
				}
				hide[nhide++] = *t;
				if (!have_anchor && ref_kept(git_reference_name(ref)) &&
				    peel_commit(v->repo, t, &anchor) == 0)
					have_anchor = true;
			}
			git_reference_free(ref);
		}
		git_reference_iterator_free(it);
	}
	git_error_clear();
	if (!rc)
		rc = perf_verify_commits(v, have_anchor ? &anchor : NULL, hide, nhide, &newc, err);
	free(hide);
	return rc;
}

/* ---- a write's own check -------------------------------------------------- */

struct guard_refusal {
	struct perf_buf first;
	size_t n;
};

static void guard_report(void *payload, const git_oid *commit, const char *path, const char *reason)
{
	struct guard_refusal *g = payload;

	(void)commit;
	if (!g->n++)
		perf_buf_printf(&g->first, "%s%s%s", strcmp(path, "-") ? path : "", strcmp(path, "-") ? ": " : "",
		                reason);
}

int perf_verify_guard(git_repository *repo, const git_oid *parent, const git_oid *commit, void *payload,
                      struct perf_error *err)
{
	struct guard_refusal g = {PERF_BUF_INIT, 0};
	struct perf_verify *v = NULL;
	int rc;

	(void)payload;
	if ((rc = perf_verify_new(&v, repo, guard_report, &g, err)))
		return rc;
	v->no_signatures = true;
	rc = perf_verify_commits(v, parent, parent, parent ? 1 : 0, commit, err);
	if (!rc && !g.n && parent) {
		/* Checked on top of a checked history: the mark follows (a write that then fails
		 * to move the branch leaves it on a commit HEAD does not descend from). */
		git_oid mark;
		if (perf_verify_mark_get(repo, "HEAD", &mark) && git_oid_equal(&mark, parent))
			perf_verify_mark_set(repo, "HEAD", commit, NULL);
	}
	if (!rc && g.n)
		rc =
		    perf_error(err, PERF_EPERM, "%s%s; nothing was written",
		               g.first.ptr ? g.first.ptr : "refused by the team's rules", g.n > 1 ? " (and more)" : "");
	perf_verify_free(v);
	perf_buf_release(&g.first);
	return rc;
}

/* ---- a recorded adoption -------------------------------------------------- */

static bool status_is(struct perf_verify *v, git_tree *tree, const char *path, const char *want)
{
	struct perf_doc *doc = tree_doc(v, tree, path);
	const char *st = doc ? perf_doc_str(doc, "status") : NULL;
	bool is = st && !strcmp(st, want);

	perf_doc_free(doc);
	return is;
}

int perf_verify_adoption(struct perf_repo *pr, const char *path, bool *ok, char *why, size_t whysz,
                         struct perf_error *err)
{
	git_repository *repo = pr->git;
	struct guard_refusal g = {PERF_BUF_INIT, 0};
	struct perf_verify *v = NULL;
	git_revwalk *walk = NULL;
	git_oid id;
	bool found = false;
	int rc, r;

	*ok = false;
	snprintf(why, whysz, "no commit in the history adopts it");
	if ((rc = perf_verify_new(&v, repo, guard_report, &g, err)))
		return rc;
	v->no_signatures = true;
	if (git_revwalk_new(&walk, repo) < 0 || git_revwalk_sorting(walk, GIT_SORT_TIME) < 0 ||
	    git_revwalk_push_head(walk) < 0) {
		rc = perf_error_git(err, "cannot walk the history");
		goto out;
	}
	while (!found && (r = git_revwalk_next(&id, walk)) == 0) {
		git_commit *c = NULL, *p = NULL;
		git_tree *after = NULL, *before = NULL;
		git_oid a, b;
		if (git_commit_lookup(&c, repo, &id) < 0 || git_commit_parentcount(c) != 1 ||
		    git_commit_parent(&p, c, 0) < 0 || git_commit_tree(&after, c) < 0 ||
		    git_commit_tree(&before, p) < 0)
			goto next;
		entry_oid(after, path, GIT_OBJECT_BLOB, &a);
		entry_oid(before, path, GIT_OBJECT_BLOB, &b);
		if (git_oid_is_zero(&a) || git_oid_equal(&a, &b) || !status_is(v, after, path, "adopted") ||
		    status_is(v, before, path, "adopted"))
			goto next;
		/* The commit that made it adopted: judged as a push of it would be. */
		found = true;
		if ((rc = perf_verify_commits(v, git_commit_parent_id(c, 0), git_commit_parent_id(c, 0), 1, &id, err)))
			goto next;
		if (g.n)
			snprintf(why, whysz, "commit %.12s: %s", git_oid_tostr_s(&id), g.first.ptr);
		else
			*ok = true;
	next:
		git_error_clear();
		git_tree_free(after);
		git_tree_free(before);
		git_commit_free(p);
		git_commit_free(c);
		if (rc)
			goto out;
	}
out:
	git_revwalk_free(walk);
	perf_verify_free(v);
	perf_buf_release(&g.first);
	return rc;
}

/* ---- what this clone verified --------------------------------------------- */

static void mark_path(git_repository *repo, struct perf_buf *p)
{
	perf_buf_printf(p, "%sperf", git_repository_path(repo));
	mkdir(p->ptr, 0777);
	perf_buf_puts(p, "/verified");
}

bool perf_verify_mark_get(git_repository *repo, const char *key, git_oid *out)
{
	struct perf_buf p = PERF_BUF_INIT;
	char hex[GIT_OID_HEXSZ + 1];
	bool found;

	mark_path(repo, &p);
	found = p.ptr && perf_repo_keyed_get(p.ptr, key, hex, sizeof(hex)) &&
	        git_oid_fromstrn(out, hex, GIT_OID_HEXSZ) == 0;
	git_error_clear();
	perf_buf_release(&p);
	return found;
}

int perf_verify_mark_set(git_repository *repo, const char *key, const git_oid *id, struct perf_error *err)
{
	struct perf_buf p = PERF_BUF_INIT;
	char hex[GIT_OID_HEXSZ + 1];
	int rc;

	mark_path(repo, &p);
	if (!p.ptr)
		return perf_error(err, PERF_ENOMEM, "out of memory");
	git_oid_tostr(hex, sizeof(hex), id);
	rc = perf_repo_keyed_set(p.ptr, key, hex, err);
	perf_buf_release(&p);
	return rc;
}

/* ---- the local history, before it is read ---------------------------------- */

struct head_ctx {
	git_repository *repo;
	struct perf_verify_head *out;
	bool oom;
};

static void head_report(void *payload, const git_oid *commit, const char *path, const char *reason)
{
	struct head_ctx *h = payload;
	struct perf_buf line = PERF_BUF_INIT;
	git_commit *c = NULL;

	if (h->out->lines.n < 5) {
		bool found = git_commit_lookup(&c, h->repo, commit) == 0;
		perf_buf_printf(&line, "%.12s %s %s%s%s", git_oid_tostr_s(commit),
		                found ? git_commit_author(c)->email : "?", strcmp(path, "-") ? path : "",
		                strcmp(path, "-") ? ": " : "", reason);
		git_commit_free(c);
		git_error_clear();
		if (!line.ptr || perf_strv_push(&h->out->lines, line.ptr))
			h->oom = true;
		perf_buf_release(&line);
	}
	if (strcmp(path, "-") && !perf_strv_has(&h->out->paths, path) && perf_strv_push(&h->out->paths, path))
		h->oom = true;
}

/*
 * A HEAD found to break the rules is remembered with what was found
 * (.git/perf/broken: its id, the count, then "L <line>" and "P <path>"),
 * so each read does not check the same history again.
 */
static void broken_path(git_repository *repo, struct perf_buf *p)
{
	perf_buf_printf(p, "%sperf/broken", git_repository_path(repo));
}

static bool broken_read(git_repository *repo, git_oid *at, struct perf_verify_head *out)
{
	struct perf_buf p = PERF_BUF_INIT;
	char line[4096], hex[GIT_OID_HEXSZ + 2];
	FILE *f;
	bool ok = false;

	broken_path(repo, &p);
	f = p.ptr ? fopen(p.ptr, "r") : NULL;
	perf_buf_release(&p);
	if (!f)
		return false;
	if (fgets(hex, sizeof(hex), f) && git_oid_fromstrn(at, hex, GIT_OID_HEXSZ) == 0 &&
	    fgets(line, sizeof(line), f) && sscanf(line, "%zu %zu", &out->violations, &out->checked) == 2) {
		ok = out->violations > 0;
		while (ok && fgets(line, sizeof(line), f)) {
			line[strcspn(line, "\n")] = '\0';
			if ((line[0] == 'L' || line[0] == 'P') && line[1] == ' ' &&
			    perf_strv_push(line[0] == 'L' ? &out->lines : &out->paths, line + 2))
				ok = false;
		}
	}
	fclose(f);
	if (!ok) {
		perf_verify_head_release(out);
		memset(out, 0, sizeof(*out));
	}
	return ok;
}

static void broken_write(git_repository *repo, const git_oid *head, const struct perf_verify_head *h)
{
	struct perf_buf p = PERF_BUF_INIT, b = PERF_BUF_INIT;

	broken_path(repo, &p);
	perf_buf_printf(&b, "%s\n%zu %zu\n", git_oid_tostr_s(head), h->violations, h->checked);
	for (size_t i = 0; i < h->lines.n; i++)
		if (!strchr(h->lines.v[i], '\n'))
			perf_buf_printf(&b, "L %s\n", h->lines.v[i]);
	for (size_t i = 0; i < h->paths.n; i++)
		if (!strchr(h->paths.v[i], '\n'))
			perf_buf_printf(&b, "P %s\n", h->paths.v[i]);
	if (p.ptr && b.ptr)
		perf_repo_write_file(p.ptr, b.ptr, b.len);
	perf_buf_release(&p);
	perf_buf_release(&b);
}

int perf_verify_head(struct perf_repo *r, struct perf_verify_head *out, struct perf_error *err)
{
	git_repository *repo = r->git;
	struct head_ctx h = {repo, out, false};
	struct perf_verify *v = NULL;
	git_oid head, mark, broken;
	const git_oid *anchor = NULL;
	size_t was_checked, was_violations;
	int rc;

	memset(out, 0, sizeof(*out));
	if (git_reference_name_to_id(&head, repo, "HEAD") < 0) {
		git_error_clear();
		return 0; /* nothing committed yet */
	}
	if (perf_verify_mark_get(repo, "HEAD", &mark) && git_oid_equal(&mark, &head))
		return 0;
	/* What was found at an earlier HEAD stands; only what came since is checked. */
	if (broken_read(repo, &broken, out)) {
		if (git_oid_equal(&broken, &head))
			return 0;
		if (git_graph_descendant_of(repo, &head, &broken) == 1)
			anchor = &broken;
		else {
			perf_verify_head_release(out);
			memset(out, 0, sizeof(*out));
		}
	}
	if (!anchor && perf_verify_mark_get(repo, "HEAD", &mark) && git_graph_descendant_of(repo, &head, &mark) == 1)
		anchor = &mark;
	git_error_clear();
	was_checked = out->checked;
	was_violations = out->violations;
	if ((rc = perf_verify_new(&v, repo, head_report, &h, err)))
		goto out;
	v->taint = true;
	v->taint_all = was_violations > 0; /* the check begins on a history found broken */
	rc = perf_verify_commits(v, anchor, anchor, anchor ? 1 : 0, &head, err);
	out->checked = was_checked + v->checked;
	out->violations = was_violations + v->violations;
	/* What the refused commits and those after them wrote. */
	for (size_t i = 0; !rc && i < v->tainted.n; i++)
		if (perf_strv_push(&out->paths, v->tainted.v[i]))
			h.oom = true;
	perf_verify_free(v);
	if (!rc && h.oom)
		rc = perf_error(err, PERF_ENOMEM, "out of memory");
	perf_strv_sort(&out->paths);
	if (out->paths.n) { /* once each */
		size_t keep = 1;
		for (size_t i = 1; i < out->paths.n; i++)
			if (strcmp(out->paths.v[i], out->paths.v[keep - 1]))
				out->paths.v[keep++] = out->paths.v[i];
			else
				free(out->paths.v[i]);
		out->paths.n = keep;
	}
	if (!rc && !out->violations) {
		perf_verify_mark_set(repo, "HEAD", &head, NULL); /* a mark not kept is checked again next time */
	} else if (!rc) {
		broken_write(repo, &head, out);
	}
out:
	if (rc)
		perf_verify_head_release(out);
	return rc;
}

void perf_verify_head_release(struct perf_verify_head *h)
{
	if (!h)
		return;
	perf_strv_release(&h->lines);
	perf_strv_release(&h->paths);
}

/* ---- for commands: revisions and commits as text ------------------------- */

struct hex_report {
	perf_verify_hex_fn fn;
	void *payload;
};

static void hex_report(void *payload, const git_oid *commit, const char *path, const char *reason)
{
	struct hex_report *h = payload;
	char hex[GIT_OID_HEXSZ + 1];

	git_oid_tostr(hex, sizeof(hex), commit);
	h->fn(h->payload, hex, path, reason);
}

int perf_verify_open(struct perf_verify **out, struct perf_repo *repo, perf_verify_hex_fn report, void *payload,
                     struct perf_error *err)
{
	struct hex_report *h = malloc(sizeof(*h));
	int rc;

	*out = NULL;
	if (!h)
		return perf_error(err, PERF_ENOMEM, "out of memory");
	h->fn = report;
	h->payload = payload;
	if ((rc = perf_verify_new(out, repo->git, hex_report, h, err))) {
		free(h);
		return rc;
	}
	(*out)->own_payload = h;
	return 0;
}

/* The object rev names, as git rev-parse finds it. */
static int resolve(git_repository *g, const char *rev, git_oid *out, struct perf_error *err)
{
	git_object *obj = NULL;

	if (git_revparse_single(&obj, g, rev) < 0)
		return perf_error(err, PERF_ENOTFOUND, "'%s' is not a revision", rev);
	git_oid_cpy(out, git_object_id(obj));
	git_object_free(obj);
	return 0;
}

int perf_verify_revs(struct perf_verify *v, const char *from, const char *to, struct perf_error *err)
{
	git_oid f, t;
	int rc;

	if (from) {
		if ((rc = resolve(v->repo, from, &f, err)) || (rc = resolve(v->repo, to, &t, err)))
			return rc;
		/* Judged by the team at the range's start, as a push onto it would be. */
		return perf_verify_commits(v, &f, &f, 1, &t, err);
	}
	if ((rc = resolve(v->repo, to, &t, err)))
		return rc;
	return perf_verify_commits(v, NULL, NULL, 0, &t, err);
}

int perf_verify_update_hex(struct perf_verify *v, const char *refname, const char *old, const char *new,
                           struct perf_error *err)
{
	git_oid o, n;

	if (strlen(old) != GIT_OID_HEXSZ || strlen(new) != GIT_OID_HEXSZ || git_oid_fromstr(&o, old) ||
	    git_oid_fromstr(&n, new))
		return 0;
	return perf_verify_update(v, refname, &o, &n, err);
}

int perf_verify_allowed_signers(struct perf_repo *repo, const char *rev, struct perf_buf *out, size_t *skipped,
                                struct perf_error *err)
{
	git_object *obj = NULL, *tree = NULL;
	int rc;

	if (git_revparse_single(&obj, repo->git, rev) < 0 || git_object_peel(&tree, obj, GIT_OBJECT_TREE) < 0)
		rc = perf_error(err, PERF_ENOTFOUND, "'%s' is not a revision", rev);
	else
		rc = perf_sign_allowed_signers(repo->git, (git_tree *)tree, out, skipped, err);
	git_object_free(tree);
	git_object_free(obj);
	return rc;
}

bool perf_verify_team_signs(struct perf_repo *repo)
{
	git_object *obj = NULL;
	git_tree_entry *e = NULL;
	git_blob *blob = NULL;
	struct perf_doc *doc = NULL;
	const char *s;
	bool b = false;

	if (git_revparse_single(&obj, repo->git, "HEAD^{tree}") == 0 &&
	    git_tree_entry_bypath(&e, (git_tree *)obj, ".perf/config.yaml") == 0 &&
	    git_blob_lookup(&blob, repo->git, git_tree_entry_id(e)) == 0 &&
	    git_blob_rawsize(blob) <= PERF_DOC_MAX_FILE &&
	    perf_schema_parse(&doc, perf_schema_kind("config"), git_blob_rawcontent(blob),
	                      (size_t)git_blob_rawsize(blob), ".perf/config.yaml", NULL) == 0 &&
	    (s = perf_doc_str(doc, "signing_required")))
		perf_value_parse_bool(s, &b, NULL);
	git_error_clear();
	perf_doc_free(doc);
	git_blob_free(blob);
	git_tree_entry_free(e);
	git_object_free(obj);
	return b;
}

int perf_verify_harden(struct perf_repo *repo, struct perf_error *err)
{
	static const char *const keys[] = {"receive.denyNonFastForwards", "receive.denyDeletes", "receive.fsckObjects"};
	git_config *cfg = NULL;
	int rc = 0;

	if (git_repository_config(&cfg, repo->git) < 0)
		return perf_error_git(err, "cannot open the git config of %s", git_repository_path(repo->git));
	for (size_t i = 0; i < sizeof(keys) / sizeof(*keys) && !rc; i++)
		if (git_config_set_bool(cfg, keys[i], 1) < 0)
			rc = perf_error_git(err, "cannot set %s", keys[i]);
	git_config_free(cfg);
	return rc;
}
