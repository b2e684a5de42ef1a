#include "history.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "private.h"
#include "schema.h"
#include "store.h"
#include "value.h"

/* --- handles for commit authors ------------------------------------------ */

struct people_map {
	struct perf_strv emails, handles;
};

static int map_person(const char *name, bool is_dir, const git_oid *id, void *payload)
{
	struct perf_repo **ctx = ((void **)payload)[0];
	struct people_map *m = ((void **)payload)[1];
	char handle[PERF_HANDLE_MAX + 1], path[PERF_HANDLE_MAX + 16];
	struct perf_doc *doc = NULL;
	size_t n = strlen(name);

	(void)id;
	if (is_dir || n < 4 || n - 3 > PERF_HANDLE_MAX || strcmp(name + n - 3, ".md"))
		return 0;
	memcpy(handle, name, n - 3);
	handle[n - 3] = '\0';
	snprintf(path, sizeof(path), "people/%s", name);
	if (perf_store_load(*ctx, NULL, path, &doc, NULL, NULL) == 0) {
		const char *e = perf_doc_str(doc, "email");
		if (e) {
			perf_strv_push(&m->emails, e);
			perf_strv_push(&m->handles, handle);
		}
		perf_doc_free(doc);
	}
	return 0;
}

static const char *handle_for(const struct people_map *m, const git_signature *sig)
{
	for (size_t i = 0; i < m->emails.n; i++)
		if (!strcasecmp(m->emails.v[i], sig->email))
			return m->handles.v[i];
	return sig->name;
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

/* "checkins/ari/2026-W47.md" → "ari/2026-W47" for people. */
static void short_name(const char *path, char *out, size_t outsz)
{
	const char *p = path, *slash = strchr(path, '/');
	size_t n;

	if (slash && strncmp(path, "people/", 7) && strncmp(path, "cycles/", 7) && strncmp(path, "norms/", 6))
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

static char *words_for(git_repository *g, git_commit *c, const struct trailers *t, const char *who, const char *subject,
                       const char *focus)
{
	struct perf_buf b = PERF_BUF_INIT;
	const char *kind = trailer(t, "Perf-Kind", 0), *path = trailer(t, "Perf-Path", 0);
	const char *action = trailer(t, "Perf-Action", 0), *change = trailer(t, "Perf-Change", 0);
	char name[PERF_SCHEMA_PATH_MAX + 1] = "";
	struct perf_schema_match m;

	if (path)
		short_name(path, name, sizeof(name));
	if (!kind) {
		perf_buf_printf(&b, "%s: %s", who, subject);
		return perf_buf_detach(&b);
	}
	if (!strcmp(kind, "checkin")) {
		const char *week = path && perf_schema_match_path(&m, path, NULL) == 0 ? m.week : name;
		/* In a goal's history, what the check-in did to that goal. */
		if (focus && !strncmp(focus, "goals/", 6)) {
			char slug[PERF_HANDLE_MAX + 2];
			const char *base = strrchr(focus, '/');
			snprintf(slug, sizeof(slug), "%.*s ", base ? (int)(strlen(base + 1) - 3) : 0,
			         base ? base + 1 : "");
			for (size_t i = 0; trailer(t, "Perf-Goal", i); i++) {
				const char *gl = trailer(t, "Perf-Goal", i);
				if (!strncmp(gl, slug, strlen(slug))) {
					const char *arrow = strstr(gl, " -> ");
					perf_buf_printf(&b, "progress %.*s → %s (check-in %s)",
					                arrow ? (int)(arrow - gl - strlen(slug)) : 0, gl + strlen(slug),
					                arrow ? arrow + 4 : "", week);
					return perf_buf_detach(&b);
				}
			}
		}
		perf_buf_printf(&b, "%s %s for %s", who,
		                strstr(subject, "(edited)") ? "edited the check-in" : "checked in", week);
	} else if (!strcmp(kind, "reply")) {
		const char *to = trailer(t, "Perf-To", 0);
		char toname[PERF_SCHEMA_PATH_MAX + 1] = "", line[80];
		if (!to && path && perf_schema_match_path(&m, path, NULL) == 0)
			to = m.parent;
		if (to)
			short_name(to, toname, sizeof(toname));
		first_line(g, c, path ? path : "", line, sizeof(line));
		if (focus)
			perf_buf_printf(&b, "%s replied%s%s", who, line[0] ? ": " : "", line);
		else
			perf_buf_printf(&b, "%s replied to %s%s%s", who, toname, line[0] ? ": " : "", line);
	} else if (!strcmp(kind, "goal")) {
		if (action && !strcmp(action, "add"))
			perf_buf_printf(&b, "%s added goal %s", who, name);
		else if (action && !strcmp(action, "done"))
			perf_buf_printf(&b, "%s finished goal %s", who, name);
		else if (action && !strcmp(action, "drop"))
			perf_buf_printf(&b, "%s dropped goal %s", who, name);
		else
			perf_buf_printf(&b, "%s updated goal %s%s%s", who, name, change ? ": " : "",
			                change ? change : "");
	} else if (!strcmp(kind, "expectations")) {
		const char *agree = trailer(t, "Perf-Agree", 0);
		const char *owner = path && perf_schema_match_path(&m, path, NULL) == 0 ? m.handle : name;
		if (agree)
			perf_buf_printf(&b, "%s agreed to %s expectations", who, !strcmp(owner, who) ? "their" : owner);
		else
			perf_buf_printf(&b, "%s edited %s%s expectations", who, !strcmp(owner, who) ? "their" : owner,
			                !strcmp(owner, who) ? "" : "'s");
		if (agree && strcmp(owner, who)) {
			b.len = 0;
			perf_buf_printf(&b, "%s agreed to %s's expectations", who, owner);
		}
	} else if (!strcmp(kind, "norm")) {
		if (trailer(t, "Perf-Adopted", 0))
			perf_buf_printf(&b, "%s agreed to norm %s, which is now adopted", who, name);
		else if (strstr(subject, "proposed"))
			perf_buf_printf(&b, "%s proposed norm %s", who, name);
		else
			perf_buf_printf(&b, "%s agreed to norm %s", who, name);
	} else if (!strcmp(kind, "person")) {
		perf_buf_printf(&b, "%s joined the team", who);
	} else if (!strcmp(kind, "init")) {
		perf_buf_printf(&b, "%s created the team's repository", who);
	} else if (!strcmp(kind, "merge")) {
		perf_buf_printf(&b, "%s merged what others wrote", who);
	} else {
		const char *colon = strchr(subject, ':');
		perf_buf_printf(&b, "%s", colon ? colon + 2 : subject);
	}
	return perf_buf_detach(&b);
}

static int push_entry(struct perf_log *log, git_repository *g, git_commit *c, const struct people_map *pm,
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
 * remembering the last answer: in a linear history each commit's parent is
 * the next commit walked, so every tree is looked at once. */
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
 * Whether a commit changed the document or its thread: compare the id of
 * the folder holding both first (one lookup that usually settles it), then
 * the document and the thread.
 */
static bool touches(git_repository *g, const git_oid *tree, const git_oid *ptree, const char *dir, const char *path,
                    const char *thread, struct memo memos[2][3], int flip)
{
	git_oid a, b;
	struct memo *mc = memos[flip], *mp = memos[!flip];

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

int perf_history_log(struct perf_repo *repo, const struct perf_log_opts *opts, struct perf_log *out,
                     struct perf_error *err)
{
	struct people_map pm;
	git_revwalk *walk = NULL;
	char thread[PERF_SCHEMA_PATH_MAX + 1] = "";
	void *payload[2] = {&repo, &pm};
	struct memo memos[2][3];
	char dir[PERF_SCHEMA_PATH_MAX + 1] = "";
	int flip = 0;
	git_oid id;
	int rc = 0;

	memset(memos, 0, sizeof(memos));
	memset(out, 0, sizeof(*out));
	memset(&pm, 0, sizeof(pm));
	perf_repo_list(repo, "people", map_person, payload, NULL);
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
	/* Newest first, never a parent before its child (clocks can be wrong), as git log. */
	if (git_revwalk_new(&walk, repo->git) < 0 ||
	    git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME) < 0) {
		rc = perf_error_git(err, "cannot walk the history");
		goto out;
	}
	if (git_revwalk_push_head(walk) < 0) {
		git_error_clear();
		goto out; /* no commits yet */
	}
	while (git_revwalk_next(&id, walk) == 0) {
		git_commit *c = NULL, *parent = NULL;
		bool keep = true;

		if (git_commit_lookup(&c, repo->git, &id) < 0) {
			rc = perf_error_git(err, "cannot read commit %s", git_oid_tostr_s(&id));
			break;
		}
		if (opts->since && (time_t)git_commit_time(c) < opts->since) {
			git_commit_free(c);
			if (!opts->path)
				break; /* time order: everything after is older */
			continue;
		}
		if (opts->path) {
			/* A merge brings changes already walked through its second parent. */
			if (git_commit_parentcount(c) > 1) {
				git_commit_free(c);
				continue;
			}
			if (git_commit_parentcount(c) == 1 && git_commit_parent(&parent, c, 0) < 0)
				parent = NULL;
			/* The parent's trees are the next commit's: swap the memos. */
			flip = !flip;
			keep = touches(repo->git, git_commit_tree_id(c), parent ? git_commit_tree_id(parent) : NULL,
			               dir, opts->path, thread, memos, flip);
		}
		if (keep && opts->author && strcmp(handle_for(&pm, git_commit_author(c)), opts->author))
			keep = false;
		if (keep && (rc = push_entry(out, repo->git, c, &pm, opts->path)))
			rc = perf_error(err, PERF_ENOMEM, "out of memory");
		git_commit_free(parent);
		git_commit_free(c);
		if (rc || (opts->max && out->n >= opts->max))
			break;
	}
out:
	git_revwalk_free(walk);
	perf_strv_release(&pm.emails);
	perf_strv_release(&pm.handles);
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

/* --- semantic diff ------------------------------------------------------- */

static void flow(struct perf_buf *b, const struct perf_node *n)
{
	if (!n) {
		return;
	}
	switch (n->type) {
	case PERF_NODE_SCALAR:
		perf_buf_add(b, n->text, n->len);
		break;
	case PERF_NODE_SEQ:
		perf_buf_putc(b, '[');
		for (size_t i = 0; i < n->n; i++) {
			if (i)
				perf_buf_puts(b, ", ");
			flow(b, n->values[i]);
		}
		perf_buf_putc(b, ']');
		break;
	case PERF_NODE_MAP:
		perf_buf_putc(b, '{');
		for (size_t i = 0; i < n->n; i++) {
			perf_buf_printf(b, "%s%s: ", i ? ", " : "", n->keys[i]);
			flow(b, n->values[i]);
		}
		perf_buf_putc(b, '}');
		break;
	}
}

static int add_change(struct perf_doc_diff *d, const char *field, const struct perf_node *a, const struct perf_node *b)
{
	struct perf_buf x = PERF_BUF_INIT, y = PERF_BUF_INIT;
	struct perf_field_change *v = realloc(d->fields, (d->nfields + 1) * sizeof(*v));

	if (!v)
		return PERF_ENOMEM;
	d->fields = v;
	v += d->nfields++;
	flow(&x, a);
	flow(&y, b);
	v->field = strdup(field);
	v->old = a ? perf_buf_detach(&x) : NULL;
	v->new = b ? perf_buf_detach(&y) : NULL;
	perf_buf_release(&x);
	perf_buf_release(&y);
	return v->field ? 0 : PERF_ENOMEM;
}

static const char *id_key(const struct perf_node *seq)
{
	static const char *const keys[] = {"goal", "id", "who", "name", "key"};

	if (!seq || seq->type != PERF_NODE_SEQ || !seq->n)
		return NULL;
	for (size_t k = 0; k < sizeof(keys) / sizeof(*keys); k++) {
		bool all = true;
		for (size_t i = 0; i < seq->n && all; i++)
			all = seq->values[i]->type == PERF_NODE_MAP && perf_node_str(seq->values[i], keys[k]);
		if (all)
			return keys[k];
	}
	return NULL;
}

static const struct perf_node *item_by(const struct perf_node *seq, const char *key, const char *id)
{
	for (size_t i = 0; seq && i < seq->n; i++) {
		const char *v = perf_node_str(seq->values[i], key);
		if (v && !strcmp(v, id))
			return seq->values[i];
	}
	return NULL;
}

static bool same(const struct perf_node *a, const struct perf_node *b)
{
	struct perf_buf x = PERF_BUF_INIT, y = PERF_BUF_INIT;
	bool eq;

	flow(&x, a);
	flow(&y, b);
	eq = (!a) == (!b) && !strcmp(perf_buf_cstr(&x), perf_buf_cstr(&y));
	perf_buf_release(&x);
	perf_buf_release(&y);
	return eq;
}

static int diff_nodes(struct perf_doc_diff *d, const char *prefix, const struct perf_node *a, const struct perf_node *b)
{
	char field[512];
	const char *ka, *kb;
	int rc = 0;

	static const struct perf_node empty_map = {PERF_NODE_MAP, PERF_STYLE_ANY, false, NULL, 0, 0, NULL, NULL, 0, 0};

	if (same(a, b))
		return 0;
	/* A whole document added or removed: its fields one by one. */
	if (!*prefix && !a && b && b->type == PERF_NODE_MAP)
		a = &empty_map;
	if (!*prefix && !b && a && a->type == PERF_NODE_MAP)
		b = &empty_map;
	if (a && b && a->type == PERF_NODE_MAP && b->type == PERF_NODE_MAP) {
		for (size_t i = 0; i < a->n && !rc; i++) {
			snprintf(field, sizeof(field), "%s%s%s", prefix, *prefix ? "." : "", a->keys[i]);
			rc = diff_nodes(d, field, a->values[i], perf_node_get(b, a->keys[i]));
		}
		for (size_t i = 0; i < b->n && !rc; i++) {
			if (perf_node_get(a, b->keys[i]))
				continue;
			snprintf(field, sizeof(field), "%s%s%s", prefix, *prefix ? "." : "", b->keys[i]);
			rc = diff_nodes(d, field, NULL, b->values[i]);
		}
		return rc;
	}
	ka = id_key(a);
	kb = id_key(b);
	if (ka && kb && !strcmp(ka, kb)) {
		for (size_t i = 0; i < a->n && !rc; i++) {
			const char *id = perf_node_str(a->values[i], ka);
			snprintf(field, sizeof(field), "%s[%s]", prefix, id);
			rc = diff_nodes(d, field, a->values[i], item_by(b, ka, id));
		}
		for (size_t i = 0; i < b->n && !rc; i++) {
			const char *id = perf_node_str(b->values[i], ka);
			if (item_by(a, ka, id))
				continue;
			snprintf(field, sizeof(field), "%s[%s]", prefix, id);
			rc = diff_nodes(d, field, NULL, b->values[i]);
		}
		return rc;
	}
	return add_change(d, prefix, a, b);
}

static int body_diff(const char *path, const char *a, size_t alen, const char *b, size_t blen, char **out)
{
	git_patch *patch = NULL;
	git_buf buf = {0};
	git_diff_options opts;
	int rc = 0;

	*out = NULL;
	if (alen == blen && (!alen || !memcmp(a, b, alen))) {
		*out = strdup("");
		return *out ? 0 : PERF_ENOMEM;
	}
	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	opts.context_lines = 2;
	if (git_patch_from_buffers(&patch, a, alen, path, b, blen, path, &opts) < 0 ||
	    git_patch_to_buf(&buf, patch) < 0) {
		rc = PERF_EGIT;
		goto out;
	}
	/* Keep the hunks; the file header says nothing a person needs here. */
	{
		const char *h = strstr(buf.ptr ? buf.ptr : "", "\n@@");
		*out = strdup(h ? h + 1 : (buf.ptr ? buf.ptr : ""));
	}
	if (!*out)
		rc = PERF_ENOMEM;
out:
	git_buf_dispose(&buf);
	git_patch_free(patch);
	return rc;
}

int perf_history_diff_texts(const char *path, const char *old, size_t olen, const char *new, size_t nlen,
                            struct perf_doc_diff *out, struct perf_error *err)
{
	struct perf_schema_match m;
	const struct perf_schema_kind *kind = perf_schema_match_path(&m, path, NULL) == 0 ? m.kind : NULL;
	struct perf_doc *a = NULL, *b = NULL;
	const char *ab = "", *bb = "";
	size_t al = 0, bl = 0;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	out->path = strdup(path);
	out->status = !old ? 'A' : !new ? 'D' : 'M';
	if (old && perf_schema_parse(&a, kind, old, olen, path, NULL))
		a = NULL;
	if (new &&perf_schema_parse(&b, kind, new, nlen, path, NULL))
		b = NULL;
	if ((old && !a) || (new && !b)) {
		/* Not a document on one side: a text diff of the whole file. */
		rc = body_diff(path, old ? old : "", old ? olen : 0, new ? new : "", new ? nlen : 0, &out->body);
		goto out;
	}
	if ((rc = diff_nodes(out, "", a ? perf_doc_root(a) : NULL, b ? perf_doc_root(b) : NULL)))
		goto out;
	if (a)
		ab = perf_doc_body(a, &al);
	if (b)
		bb = perf_doc_body(b, &bl);
	if ((a && perf_private_doc_is(a)) || (b && perf_private_doc_is(b))) {
		/* Ciphertext lines mean nothing to a reader of the diff: say what changed, not how. */
		bool same = al == bl && (!al || !memcmp(ab, bb, al));
		out->body = strdup(same ? "" : "(the private text changed)\n");
		rc = out->body ? 0 : PERF_ENOMEM;
		goto out;
	}
	rc = body_diff(path, ab, al, bb, bl, &out->body);
out:
	perf_doc_free(a);
	perf_doc_free(b);
	if (rc)
		return rc == PERF_ENOMEM ? perf_error(err, rc, "out of memory")
		                         : perf_error_git(err, "cannot diff %s", path);
	return 0;
}

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
		if ((rc = perf_history_diff_texts(d->new_file.path, have_old ? perf_buf_cstr(&a) : NULL, a.len,
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
	for (size_t i = 0; i < d->n; i++) {
		struct perf_doc_diff *dd = &d->v[i];
		for (size_t k = 0; k < dd->nfields; k++) {
			free(dd->fields[k].field);
			free(dd->fields[k].old);
			free(dd->fields[k].new);
		}
		free(dd->fields);
		free(dd->path);
		free(dd->body);
	}
	free(d->v);
	memset(d, 0, sizeof(*d));
}
