/*
 * perf check's rules for one document, for perf check and the push verifier.
 */
#include "validate.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "value.h"

/* One document being checked: where its problems go, and how many there were. */
struct vctx {
	const char *path;
	const struct perf_validate_env *env;
	perf_schema_report_fn report;
	void *payload;
	size_t n;
};

static void problemf(struct vctx *v, const struct perf_node *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void problemf(struct vctx *v, const struct perf_node *at, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	v->report(v->payload, v->path, at ? at->line : 0, at ? at->col : 0, msg);
	v->n++;
}

/* A library message "path:line:col: text" becomes a problem at line:col. */
static void problem_at(struct vctx *v, const char *msg)
{
	size_t nlen = strlen(v->path), line = 0, col = 0;
	const char *p = msg;
	char *end;

	if (!strncmp(msg, v->path, nlen) && msg[nlen] == ':') {
		p = msg + nlen + 1;
		unsigned long l = strtoul(p, &end, 10);
		if (end != p && *end == ':') {
			line = l;
			p = end + 1;
			unsigned long k = strtoul(p, &end, 10);
			if (end != p && *end == ':') {
				col = k;
				p = end + 1;
			}
		}
		while (*p == ' ')
			p++;
	}
	v->report(v->payload, v->path, line, col, p);
	v->n++;
}

static bool exists(const struct vctx *v, const char *path)
{
	return v->env->exists(v->env->payload, path);
}

/* ---- references to other documents ---- */

/* A value that names another document (field->ref): that document must exist. */
static void ref_one(struct vctx *v, const struct perf_schema_field *f, const struct perf_node *n,
                    const struct perf_schema_match *m)
{
	char path[PERF_SCHEMA_PATH_MAX + 1];

	if (n->type != PERF_NODE_SCALAR || !perf_value_is_handle(n->text))
		return; /* the schema said what is wrong with it */
	if (!strcmp(f->ref, "group")) {
		if (v->env->groups && !perf_strv_has(v->env->groups, n->text))
			problemf(v, n, "group '%s' is not in .perf/config.yaml", n->text);
		return;
	}
	if (!v->env->exists || !perf_schema_ref_path(path, sizeof(path), f, n->text, m) || exists(v, path))
		return;
	if (!strcmp(f->ref, "person"))
		problemf(v, n, "person '%s' is not in people/", n->text);
	else
		problemf(v, n, "%s '%s' does not exist (%s)", f->ref, n->text, path);
}

static void walk_refs(struct vctx *v, const struct perf_schema_field *f, const struct perf_node *map,
                      const struct perf_schema_match *m)
{
	if (!map || map->type != PERF_NODE_MAP)
		return;
	for (; f && f->name; f++) {
		const struct perf_node *n = perf_node_get(map, f->name);
		if (!n)
			continue;
		if (f->ref && f->type != PERF_TYPE_LIST) {
			ref_one(v, f, n, m);
		} else if (f->type == PERF_TYPE_LIST && n->type == PERF_NODE_SEQ) {
			for (size_t i = 0; i < n->n; i++) {
				if (f->ref)
					ref_one(v, f, n->values[i], m);
				else if (f->item == PERF_TYPE_MAP)
					walk_refs(v, f->fields, n->values[i], m);
			}
		} else if (f->type == PERF_TYPE_MAP) {
			walk_refs(v, f->fields, n, m);
		}
	}
}

static void check_refs(struct vctx *v, const struct perf_schema_match *m, const struct perf_node *root)
{
	if (!v->env)
		return;
	walk_refs(v, m->kind->fields, root, m);
	if (m->parent[0] && v->env->exists && !exists(v, m->parent))
		problemf(v, perf_node_get(root, "to"), "parent '%s' does not exist", m->parent);
}

/* ---- the document's place ---- */

/* "'P' is not a goal path (...)" reads better after "P:1:1: " without the path. */
static const char *without_path(const char *msg, const char *path)
{
	size_t n = strlen(path);

	if (msg[0] == '\'' && !strncmp(msg + 1, path, n) && !strncmp(msg + 1 + n, "' is ", 5))
		return msg + n + 6;
	return msg;
}

/*
 * The document says it is of another kind than its place says: one problem
 * at its kind: field, and nothing else, since the rest follows from which
 * of the two is wrong.  Returns true when it reported.
 */
static bool wrong_kind(struct vctx *v, const struct perf_node *root, const struct perf_schema_kind *placed)
{
	const char *path = v->path;
	const struct perf_node *kn = root && root->type == PERF_NODE_MAP ? perf_node_get(root, "kind") : NULL;
	const struct perf_schema_kind *said;
	const char *want;
	size_t fn, wn;

	if (!kn || kn->type != PERF_NODE_SCALAR || !(said = perf_schema_kind(kn->text)) || said == placed ||
	    !said->fenced)
		return false;
	if ((wn = perf_schema_folder(said, &want)))
		wn++; /* with its slash */
	if (placed && placed == perf_schema_kind("reply")) {
		fn = (size_t)(strrchr(path, '/') - path) + 1; /* the thread's folder */
	} else {
		fn = strcspn(path, "/") + 1;
		if (wn && wn == fn && !strncmp(want, path, fn))
			return false; /* its own folder: the path itself is wrong */
	}
	problemf(v, kn, "kind '%s' does not belong in %.*s (a %s's path is %s)", said->name, (int)fn, path, said->name,
	         said->layout);
	return true;
}

/* ---- one document ---- */

bool perf_validate_is_doc(const char *path)
{
	return perf_schema_match_path(NULL, path, NULL) != PERF_ENOTFOUND;
}

size_t perf_validate_doc(const char *path, const char *buf, size_t len, const struct perf_validate_env *env,
                         perf_schema_report_fn report, void *payload)
{
	struct vctx v = {path, env, report, payload, 0};
	struct perf_schema_match m;
	struct perf_error err;
	struct perf_doc *doc = NULL;
	int match;

	match = perf_schema_match_path(&m, path, &err);
	if (match == PERF_ENOTFOUND)
		return 0;
	if (match) {
		/* In a document folder without fitting its layout. */
		char msg[sizeof(err.msg)];
		snprintf(msg, sizeof(msg), "%s", without_path(err.msg, path));
		if (perf_doc_parse(&doc, buf, len, path, NULL) == 0 && wrong_kind(&v, perf_doc_root(doc), NULL))
			goto out;
		problemf(&v, NULL, "%s", msg);
		goto out;
	}
	if (perf_schema_parse(&doc, m.kind, buf, len, path, &err)) {
		problem_at(&v, err.msg);
		goto out;
	}
	if (m.kind->fenced && wrong_kind(&v, perf_doc_root(doc), m.kind))
		goto out;
	v.n += perf_schema_validate(m.kind, doc, path, path, report, payload);
	check_refs(&v, &m, perf_doc_root(doc));
out:
	perf_doc_free(doc);
	return v.n;
}

/* ---- the config ---- */

bool perf_validate_has_groups(const struct perf_doc *config)
{
	const struct perf_node *g = config ? perf_doc_get(config, "groups") : NULL;

	return g && g->type == PERF_NODE_SEQ;
}

int perf_validate_groups(const struct perf_doc *config, struct perf_strv *out)
{
	const struct perf_node *g = config ? perf_doc_get(config, "groups") : NULL;

	if (!g || g->type != PERF_NODE_SEQ)
		return 0;
	for (size_t i = 0; i < g->n; i++) {
		const char *name = g->values[i]->type == PERF_NODE_MAP ? perf_node_str(g->values[i], "name") : NULL;
		if (name && perf_strv_push(out, name))
			return PERF_ENOMEM;
	}
	return 0;
}
