#include "verify.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agreement.h"
#include "buf.h"
#include "doc.h"
#include "schema.h"
#include "sign.h"
#include "store.h"
#include "value.h"

/* The team as a tree says it is: people by email, leads, maintainers, rules. */
struct team {
	git_repository *repo;
	git_tree *tree;
	struct perf_strv emails, handles, leads; /* leads[i]: lead of handles[i] ("" when none) */
	struct perf_strv maintainers;
	struct perf_doc *config;
};

static int blob_doc(git_repository *repo, git_tree *tree, const char *path, struct perf_doc **out)
{
	git_tree_entry *e = NULL;
	git_blob *blob = NULL;
	struct perf_schema_match m;
	const struct perf_schema_kind *kind = NULL;
	int rc = -1;

	*out = NULL;
	if (!tree || git_tree_entry_bypath(&e, tree, path) < 0)
		return -1;
	if (git_blob_lookup(&blob, repo, git_tree_entry_id(e)) == 0) {
		if (perf_schema_match_path(&m, path, NULL) == 0)
			kind = m.kind;
		rc =
		    perf_schema_parse(out, kind, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob), path, NULL);
	}
	git_blob_free(blob);
	git_tree_entry_free(e);
	return rc ? -1 : 0;
}

static void team_release(struct team *t)
{
	perf_strv_release(&t->emails);
	perf_strv_release(&t->handles);
	perf_strv_release(&t->leads);
	perf_strv_release(&t->maintainers);
	perf_doc_free(t->config);
	memset(t, 0, sizeof(*t));
}

static void team_load(struct team *t, git_repository *repo, git_tree *tree)
{
	git_tree_entry *e = NULL;
	git_tree *people = NULL;
	const struct perf_node *m;

	memset(t, 0, sizeof(*t));
	t->repo = repo;
	t->tree = tree;
	if (tree && git_tree_entry_bypath(&e, tree, "people") == 0 && git_tree_entry_type(e) == GIT_OBJECT_TREE &&
	    git_tree_lookup(&people, repo, git_tree_entry_id(e)) == 0) {
		for (size_t i = 0; i < git_tree_entrycount(people); i++) {
			const char *name = git_tree_entry_name(git_tree_entry_byindex(people, i));
			char handle[PERF_HANDLE_MAX + 1], path[PERF_HANDLE_MAX + 16];
			struct perf_doc *doc = NULL;
			size_t n = strlen(name);
			if (n < 4 || n - 3 > PERF_HANDLE_MAX || strcmp(name + n - 3, ".md"))
				continue;
			snprintf(handle, sizeof(handle), "%.*s", (int)(n - 3), name);
			snprintf(path, sizeof(path), "people/%s", name);
			if (blob_doc(repo, tree, path, &doc))
				continue;
			perf_strv_push(&t->emails, perf_doc_str(doc, "email") ? perf_doc_str(doc, "email") : "");
			perf_strv_push(&t->handles, handle);
			perf_strv_push(&t->leads, perf_doc_str(doc, "lead") ? perf_doc_str(doc, "lead") : "");
			perf_doc_free(doc);
		}
	}
	git_tree_free(people);
	git_tree_entry_free(e);
	blob_doc(repo, tree, ".perf/config.yaml", &t->config);
	m = t->config ? perf_doc_get(t->config, "maintainers") : NULL;
	for (size_t i = 0; m && m->type == PERF_NODE_SEQ && i < m->n; i++)
		if (m->values[i]->type == PERF_NODE_SCALAR)
			perf_strv_push(&t->maintainers, m->values[i]->text);
}

static const char *handle_of(const struct team *t, const char *email)
{
	for (size_t i = 0; i < t->emails.n; i++)
		if (t->emails.v[i][0] && !strcasecmp(t->emails.v[i], email))
			return t->handles.v[i];
	return NULL;
}

static const char *lead_of(const struct team *t, const char *handle)
{
	for (size_t i = 0; i < t->handles.n; i++)
		if (!strcmp(t->handles.v[i], handle))
			return t->leads.v[i];
	return "";
}

static bool is_maintainer(const struct team *t, const char *handle)
{
	return perf_strv_has(&t->maintainers, handle);
}

/* The rule for a kind: the config's permissions override the default. */
static enum perf_schema_rule rule_for(const struct team *t, const struct perf_schema_kind *kind)
{
	enum perf_schema_rule r = perf_schema_rule(kind);
	const char *over;
	char key[64];

	snprintf(key, sizeof(key), "permissions.%s", kind->name);
	over = t->config ? perf_doc_str(t->config, key) : NULL;
	if (over)
		perf_schema_rule_parse(over, &r, NULL);
	return r;
}

static bool in_list(const struct perf_doc *doc, const char *field, const char *who)
{
	const struct perf_node *l = doc ? perf_doc_get(doc, field) : NULL;

	for (size_t i = 0; l && l->type == PERF_NODE_SEQ && i < l->n; i++)
		if (l->values[i]->type == PERF_NODE_SCALAR && !strcmp(l->values[i]->text, who))
			return true;
	return false;
}

struct check {
	git_repository *repo;
	const git_oid *id;
	git_tree *before, *after;
	const struct team *team; /* as before the commit */
	const char *who;         /* the author's handle */
	bool adopting;           /* the commit adopts a norm (Perf-Adopted) that reached agreement */
	perf_verify_report_fn report;
	void *payload;
	size_t violations;
};

static void violation(struct check *c, const char *path, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void violation(struct check *c, const char *path, const char *fmt, ...)
{
	char reason[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	c->violations++;
	c->report(c->payload, c->id, path, reason);
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
	size_t agreed = 0, team = c->team->handles.n, need = team / 2 + 1;
	long n;
	bool ok = false;

	if (!norm_path || strncmp(norm_path, "norms/", 6) || blob_doc(c->repo, c->after, norm_path, &doc)) {
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
		if (perf_strv_has(&c->team->handles, who.v[i]))
			agreed++;
	rule = c->team->config ? perf_doc_str(c->team->config, "agreement") : NULL;
	if (rule && !strcmp(rule, "all"))
		need = team ? team : 1;
	else if (rule && strcmp(rule, "majority") && perf_value_parse_int(rule, &n, NULL) == 0 && n > 0)
		need = (size_t)n;
	if (agreed < need) {
		snprintf(why, whysz, "adopts %s with %zu agreement%s to its current version; the team's rule needs %zu",
		         norm_path, agreed, agreed == 1 ? "" : "s", need);
		goto out;
	}
	ok = true;
out:
	perf_strv_release(&who);
	perf_strv_release(&at);
	perf_doc_free(doc);
	return ok;
}

static void check_path(struct check *c, const git_diff_delta *d)
{
	const char *path = d->status == GIT_DELTA_DELETED ? d->old_file.path : d->new_file.path;
	bool added = d->status == GIT_DELTA_ADDED, deleted = d->status == GIT_DELTA_DELETED;
	struct perf_schema_match m;
	const struct team *t = c->team;
	struct perf_doc *doc = NULL;
	int rc = perf_schema_match_path(&m, path, NULL);

	if (rc == PERF_EINVALID) {
		violation(c, path, "not a valid perf path");
		return;
	}
	if (rc == PERF_ENOTFOUND || !m.kind) {
		/* The program and the repository's own files. */
		if (!strncmp(path, ".perf/", 6) && c->adopting)
			return;
		if (!is_maintainer(t, c->who) && t->maintainers.n)
			violation(c, path, "only maintainers (%s) change the program and the repository's files",
			          t->maintainers.v[0]);
		return;
	}
	if (!strcmp(m.kind->name, "config")) {
		if (!c->adopting && t->maintainers.n && !is_maintainer(t, c->who))
			violation(c, path, "only maintainers change the team's program (or an adopted norm)");
		return;
	}
	if (deleted && (!strcmp(m.kind->name, "reply") || !strcmp(m.kind->name, "praise"))) {
		violation(c, path, "%s may not be deleted: what was said stays in the record", m.kind->name);
		return;
	}
	switch (rule_for(t, m.kind)) {
	case PERF_RULE_ANYONE:
		break;
	case PERF_RULE_OWNER:
		if (strcmp(c->who, m.handle))
			violation(c, path, "only %s writes %s's %s", m.handle, m.handle, m.kind->name);
		break;
	case PERF_RULE_OWNER_OR_LEAD:
		if (strcmp(c->who, m.handle) && strcmp(c->who, lead_of(t, m.handle)))
			violation(c, path, "only %s and their lead write %s's %s", m.handle, m.handle, m.kind->name);
		break;
	case PERF_RULE_OWNER_OR_MAINTAINER:
		if (strcmp(c->who, m.handle) && !is_maintainer(t, c->who))
			violation(c, path, "only %s or a maintainer changes %s", m.handle, path);
		break;
	case PERF_RULE_ADDRESSED: {
		/* The note's person, or anyone the note names (as it was, or as written). */
		struct perf_doc *old = NULL;
		blob_doc(c->repo, deleted ? c->before : c->after, path, &doc);
		if (!added)
			blob_doc(c->repo, c->before, path, &old);
		if (strcmp(c->who, m.handle) &&
		    !(m.kind->addressed &&
		      (in_list(doc, m.kind->addressed, c->who) || (old && in_list(old, m.kind->addressed, c->who)))))
			violation(c, path, "only %s and the people in the conversation write this %s", m.handle,
			          m.kind->name);
		perf_doc_free(old);
		break;
	}
	case PERF_RULE_AUTHOR:
		if (strcmp(c->who, m.author))
			violation(c, path, "%s is written by %s, not %s: nobody writes in someone else's name", path,
			          m.author, c->who);
		else if (!strcmp(m.kind->name, "reply") && m.parent_kind && !strcmp(m.parent_kind->name, "feedback")) {
			/* An answer to feedback comes from someone the request asked. */
			struct perf_doc *req = NULL;
			if (blob_doc(c->repo, c->after, m.parent, &req) == 0 && !in_list(req, "asked", c->who))
				violation(c, path, "%s did not ask %s for feedback", m.parent, c->who);
			perf_doc_free(req);
		}
		break;
	case PERF_RULE_MAINTAINER:
		if (t->maintainers.n && !is_maintainer(t, c->who))
			violation(c, path, "only maintainers write %s", m.kind->name);
		break;
	}
	perf_doc_free(doc);
}

/* A person may add their own people/ file: join is self-service. */
static const char *joining(git_repository *repo, git_diff *diff, git_tree *after, const char *email)
{
	static char handle[PERF_HANDLE_MAX + 1];

	for (size_t i = 0; i < git_diff_num_deltas(diff); i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		struct perf_schema_match m;
		struct perf_doc *doc = NULL;
		const char *e;
		if (d->status != GIT_DELTA_ADDED || perf_schema_match_path(&m, d->new_file.path, NULL) || !m.kind ||
		    strcmp(m.kind->name, "person"))
			continue;
		if (blob_doc(repo, after, d->new_file.path, &doc) == 0 && (e = perf_doc_str(doc, "email")) &&
		    !strcasecmp(e, email)) {
			snprintf(handle, sizeof(handle), "%s", m.handle);
			perf_doc_free(doc);
			return handle;
		}
		perf_doc_free(doc);
	}
	return NULL;
}

static bool signing_required(const struct team *t)
{
	const char *s = t->config ? perf_doc_str(t->config, "signing_required") : NULL;
	bool b = false;

	return s && perf_value_parse_bool(s, &b, NULL) == 0 && b;
}

/* A team that requires signed commits wants each signed by its author with
 * a key their people file lists: as it was before the commit (keys_tree), or
 * as a join commit adds it.  keys_tree NULL: the author is not known, only
 * the signature's presence is checked. */
static int check_signature(struct check *c, git_commit *commit, git_tree *keys_tree, struct perf_error *err)
{
	const char *email = git_commit_author(commit)->email;
	struct perf_buf allowed = PERF_BUF_INIT, path = PERF_BUF_INIT;
	struct perf_doc *person = NULL;
	struct perf_error why;
	git_buf sig = {0}, data = {0};
	git_oid id;
	int r, rc = 0;

	git_oid_cpy(&id, git_commit_id(commit));
	r = git_commit_extract_signature(&sig, &data, c->repo, &id, NULL);
	if (r == GIT_ENOTFOUND) {
		git_error_clear();
		violation(c, "-", "unsigned commit (the team requires signed commits)");
		return 0;
	}
	if (r < 0)
		return perf_error_git(err, "cannot read the signature of commit %s", git_oid_tostr_s(&id));
	if (!keys_tree)
		goto out;
	if (strncmp(sig.ptr, "-----BEGIN SSH SIGNATURE-----", 29)) {
		violation(c, "-",
		          "signature does not verify for %s: not an SSH signature (perf checks SSH signatures only)",
		          email);
		goto out;
	}
	if (perf_buf_printf(&path, "people/%s.md", c->who)) {
		rc = perf_error(err, PERF_ENOMEM, "out of memory");
		goto out;
	}
	blob_doc(c->repo, keys_tree, path.ptr, &person);
	if ((rc = perf_sign_person_signers(&allowed, email, person, NULL, err)))
		goto out;
	if (!allowed.len) {
		violation(c, "-", "signature does not verify for %s: %s lists no SSH key for them", email, path.ptr);
		goto out;
	}
	perf_error_clear(&why);
	rc = perf_sign_verify(c->repo, allowed.ptr, email, data.ptr, data.size, sig.ptr, sig.size, &why);
	if (rc == PERF_EPERM) {
		violation(c, "-", "signature does not verify for %s: %s", email, why.msg);
		rc = 0;
	} else if (rc) {
		rc = perf_error(err, why.code, "%s", why.msg);
	}
out:
	perf_doc_free(person);
	perf_buf_release(&allowed);
	perf_buf_release(&path);
	git_buf_dispose(&sig);
	git_buf_dispose(&data);
	return rc;
}

static int check_commit(git_repository *repo, git_commit *commit, perf_verify_report_fn report, void *payload,
                        size_t *violations, struct perf_error *err)
{
	git_commit *parent = NULL;
	git_tree *before = NULL, *after = NULL;
	git_diff *diff = NULL;
	struct team team;
	struct check c;
	const git_signature *author = git_commit_author(commit);
	git_message_trailer_array tr = {0};
	const char *norm_path = NULL;
	bool adopted = false;
	git_tree *keys_tree;
	int rc = 0;

	memset(&c, 0, sizeof(c));
	if (git_commit_tree(&after, commit) < 0 ||
	    (git_commit_parentcount(commit) > 0 &&
	     (git_commit_parent(&parent, commit, 0) < 0 || git_commit_tree(&before, parent) < 0))) {
		rc = perf_error_git(err, "cannot read commit %s", git_oid_tostr_s(git_commit_id(commit)));
		goto out;
	}
	team_load(&team, repo, before);
	c.repo = repo;
	c.id = git_commit_id(commit);
	c.before = before;
	c.after = after;
	c.team = &team;
	c.report = report;
	c.payload = payload;
	git_message_trailers(&tr, git_commit_message(commit));
	for (size_t i = 0; i < tr.count; i++) {
		if (!strcasecmp(tr.trailers[i].key, "Perf-Adopted"))
			adopted = true;
		if (!strcasecmp(tr.trailers[i].key, "Perf-Path") && !norm_path)
			norm_path = tr.trailers[i].value;
	}
	if (git_diff_tree_to_tree(&diff, repo, before, after, NULL) < 0) {
		rc = perf_error_git(err, "cannot compare commit %s", git_oid_tostr_s(c.id));
		team_release(&team);
		goto out;
	}
	if (!before) {
		/* The first commit founds the team. */
		team_release(&team);
		goto out;
	}
	if (strcasecmp(author->email, git_commit_committer(commit)->email)) {
		/* perf and plain git both commit as the person acting: author and committer
		 * differ only when someone wrote in another's name. */
		c.violations++;
		char why[400];
		snprintf(why, sizeof(why), "claims to be by %s <%s> but was committed by %s <%s>", author->name,
		         author->email, git_commit_committer(commit)->name, git_commit_committer(commit)->email);
		report(payload, c.id, "-", why);
	}
	c.who = handle_of(&team, author->email);
	keys_tree = c.who ? before : NULL;
	if (!c.who && (c.who = joining(repo, diff, after, author->email)))
		keys_tree = after;
	if (signing_required(&team) && (rc = check_signature(&c, commit, keys_tree, err))) {
		team_release(&team);
		goto out;
	}
	if (!c.who) {
		c.violations++;
		report(payload, c.id, "-", "the author is not a person of the team (no people/ file has their email)");
	} else if (git_commit_parentcount(commit) > 1) {
		/* A merge's changes were checked in the commits it brings together. */
	} else {
		if (adopted) {
			char why[400];
			if (adoption_holds(&c, norm_path, why, sizeof(why))) {
				c.adopting = true;
			} else {
				c.violations++;
				report(payload, c.id, norm_path ? norm_path : "-", why);
			}
		}
		for (size_t i = 0; i < git_diff_num_deltas(diff); i++)
			check_path(&c, git_diff_get_delta(diff, i));
	}
	*violations += c.violations;
	team_release(&team);
out:
	git_message_trailer_array_free(&tr);
	git_diff_free(diff);
	git_tree_free(before);
	git_tree_free(after);
	git_commit_free(parent);
	return rc;
}

int perf_verify_range(git_repository *repo, const git_oid *from, const git_oid *to, int all_history,
                      perf_verify_report_fn report, void *payload, size_t *checked, size_t *violations,
                      struct perf_error *err)
{
	git_revwalk *walk = NULL;
	git_oid id;
	int rc = 0;

	*checked = *violations = 0;
	if (git_revwalk_new(&walk, repo) < 0 ||
	    git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE) < 0 || git_revwalk_push(walk, to) < 0) {
		rc = perf_error_git(err, "cannot walk from %s", git_oid_tostr_s(to));
		goto out;
	}
	if (from && !git_oid_is_zero(from)) {
		if (git_revwalk_hide(walk, from) < 0) {
			rc = perf_error_git(err, "cannot walk from %s", git_oid_tostr_s(from));
			goto out;
		}
	} else if (!all_history) {
		/* What no existing reference reaches: the new commits of a push. */
		git_reference_iterator *it = NULL;
		git_reference *ref = NULL;
		if (git_reference_iterator_new(&it, repo) == 0) {
			while (git_reference_next(&ref, it) == 0) {
				const git_oid *t = git_reference_target(ref);
				if (t && !git_oid_equal(t, to))
					git_revwalk_hide(walk, t);
				git_reference_free(ref);
			}
			git_reference_iterator_free(it);
		}
		git_error_clear();
	}
	while (git_revwalk_next(&id, walk) == 0) {
		git_commit *c = NULL;
		if (git_commit_lookup(&c, repo, &id) < 0) {
			rc = perf_error_git(err, "cannot read commit %s", git_oid_tostr_s(&id));
			break;
		}
		rc = check_commit(repo, c, report, payload, violations, err);
		git_commit_free(c);
		if (rc)
			break;
		(*checked)++;
	}
out:
	git_revwalk_free(walk);
	return rc;
}
