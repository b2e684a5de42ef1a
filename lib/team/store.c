#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "value.h"

void perf_store_stamp(time_t t, char out[17])
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 17, "%Y%m%dT%H%M%SZ", &tm);
}

static int read_any(struct perf_repo *repo, struct perf_txn *txn, const char *path, struct perf_buf *out,
                    struct perf_error *err)
{
	return txn ? perf_txn_read(txn, path, out, err) : perf_repo_read(repo, path, out, err);
}

static bool exists_any(struct perf_repo *repo, struct perf_txn *txn, const char *path)
{
	struct perf_buf b = PERF_BUF_INIT;
	bool yes;

	if (txn)
		return perf_txn_exists(txn, path);
	yes = perf_repo_read(repo, path, &b, NULL) == 0;
	perf_buf_release(&b);
	return yes;
}

struct names {
	struct perf_strv *out;
	bool dirs;
	int rc;
};

static int collect_name(const char *name, bool is_dir, void *payload)
{
	struct names *nm = payload;
	size_t n = strlen(name);
	char tmp[PERF_SCHEMA_PATH_MAX + 1];

	if (is_dir || n < 4 || strcmp(name + n - 3, ".md") || n - 3 >= sizeof(tmp))
		return 0;
	memcpy(tmp, name, n - 3);
	tmp[n - 3] = '\0';
	if (perf_strv_push(nm->out, tmp)) {
		nm->rc = PERF_ENOMEM;
		return 1;
	}
	return 0;
}

int perf_store_list(struct perf_repo *repo, struct perf_txn *txn, const char *dir, struct perf_strv *out,
                    struct perf_error *err)
{
	struct names nm = {out, false, 0};
	int rc;

	rc = txn ? perf_txn_list(txn, dir, collect_name, &nm, err) : perf_repo_list(repo, dir, collect_name, &nm, err);
	if (rc)
		return rc;
	if (nm.rc)
		return perf_error(err, PERF_ENOMEM, "out of memory");
	perf_strv_sort(out);
	return 0;
}

static int finish_target(const char *path, struct perf_target *out, struct perf_error *err)
{
	int rc;

	if (strlen(path) > PERF_SCHEMA_PATH_MAX)
		return perf_error(err, PERF_EINVALID, "'%.40s...' is too long to be a document", path);
	snprintf(out->path, sizeof(out->path), "%s", path);
	rc = perf_schema_match_path(&out->match, out->path, err);
	if (rc == PERF_ENOTFOUND)
		return perf_error(err, PERF_EINVALID, "'%s' is not a perf document", path);
	return rc;
}

/* Finds NAME by unambiguous prefix among the documents in dir. */
static int by_prefix(struct perf_repo *repo, struct perf_txn *txn, const char *dir, const char *name, const char *what,
                     struct perf_target *out, struct perf_error *err)
{
	struct perf_strv names = PERF_STRV_INIT, hits = PERF_STRV_INIT;
	struct perf_buf path = PERF_BUF_INIT, list = PERF_BUF_INIT;
	size_t n = strlen(name);
	int rc;

	if ((rc = perf_store_list(repo, txn, dir, &names, err)))
		goto out;
	for (size_t i = 0; i < names.n; i++) {
		if (!strcmp(names.v[i], name)) {
			perf_strv_release(&hits);
			perf_strv_push(&hits, names.v[i]);
			break;
		}
		if (!strncmp(names.v[i], name, n))
			perf_strv_push(&hits, names.v[i]);
	}
	if (hits.n == 0) {
		const char *near;
		perf_strv_closest(&names, name, &near);
		if (near)
			rc = perf_error(err, PERF_ENOTFOUND,
			                "no %s '%s' (nothing in %s/ starts with it); did you mean '%s'?", what, name,
			                dir, near);
		else
			rc = perf_error(err, PERF_ENOTFOUND, "no %s '%s' (nothing in %s/ starts with it)", what, name,
			                dir);
		goto out;
	}
	if (hits.n > 1) {
		for (size_t i = 0; i < hits.n && i < 10; i++)
			perf_buf_printf(&list, "\n  %s/%s.md", dir, hits.v[i]);
		if (hits.n > 10)
			perf_buf_printf(&list, "\n  ... and %zu more", hits.n - 10);
		rc = perf_error(err, PERF_EAMBIGUOUS, "%s '%s' is ambiguous; it could be:%s", what, name, list.ptr);
		goto out;
	}
	perf_buf_printf(&path, "%s/%s.md", dir, hits.v[0]);
	rc = finish_target(path.ptr, out, err);
out:
	perf_strv_release(&names);
	perf_strv_release(&hits);
	perf_buf_release(&path);
	perf_buf_release(&list);
	return rc;
}

/* PERF_ENOTFOUND for a handle nobody has, with the nearest handle the team has. */
static int no_person(struct perf_repo *repo, struct perf_txn *txn, const char *handle, struct perf_error *err)
{
	struct perf_strv people = PERF_STRV_INIT;
	const char *near = NULL;
	int rc;

	if (perf_store_list(repo, txn, "people", &people, NULL) == 0)
		perf_strv_closest(&people, handle, &near);
	if (near)
		rc = perf_error(err, PERF_ENOTFOUND, "no person '%s' in the team (no people/%s.md); did you mean '%s'?",
		                handle, handle, near);
	else
		rc = perf_error(err, PERF_ENOTFOUND, "no person '%s' in the team (no people/%s.md)", handle, handle);
	perf_strv_release(&people);
	return rc;
}

static int need_me(const char *me, const char *target, struct perf_error *err)
{
	if (me)
		return 0;
	return perf_error(err, PERF_ENOTFOUND,
	                  "'%s' names one of your documents, but you have not joined the team; run 'perf join' or "
	                  "name the person (HANDLE/...)",
	                  target);
}

/* KIND:[HANDLE/]NAME */
static int resolve_short(struct perf_repo *repo, struct perf_txn *txn, const char *kind, const char *rest,
                         const char *me, const char *target, struct perf_target *out, struct perf_error *err)
{
	const struct perf_schema_kind *k = perf_schema_kind_by_target(kind);
	char handle[PERF_HANDLE_MAX + 1], dir[PERF_SCHEMA_PATH_MAX + 1], path[PERF_SCHEMA_PATH_MAX + 1];
	const char *slash, *name, *folder;
	size_t fn;
	int rc;

	if (!k || !(fn = perf_schema_folder(k, &folder))) {
		struct perf_buf kinds = PERF_BUF_INIT;
		const struct perf_schema_kind *const *all = perf_schema_kinds();
		size_t n = 0, j = 0, i;
		for (i = 0; all[i]; i++)
			n += all[i]->target != NULL;
		for (i = 0; all[i]; i++)
			if (all[i]->target)
				perf_buf_printf(&kinds, "%s%s:", !j++ ? "" : j == n ? " or " : ", ", all[i]->target);
		rc = perf_error(err, PERF_EINVALID, "'%s': unknown kind '%s:' (use %s)", target, kind,
		                perf_buf_cstr(&kinds));
		perf_buf_release(&kinds);
		return rc;
	}
	if (perf_schema_one_per_person(k)) {
		/* KIND:[HANDLE]: the person's one document of the kind. */
		const char *h = *rest ? rest : me;
		if (!h && (rc = need_me(me, target, err)))
			return rc;
		if ((rc = perf_value_check_handle(h, "handle", err)))
			return rc;
		snprintf(path, sizeof(path), "%.*s/%s.md", (int)fn, folder, h);
		if (!exists_any(repo, txn, path) && !perf_store_person_exists(repo, txn, h))
			return no_person(repo, txn, h, err);
		if (!exists_any(repo, txn, path))
			return perf_error(err, PERF_ENOTFOUND, "%s has no %s yet (%s); write them with 'perf %s %s'", h,
			                  k->noun, path, k->target, h);
		return finish_target(path, out, err);
	}
	if (!*rest)
		return perf_error(err, PERF_EINVALID, "'%s' names no %s; write %s:NAME", target, k->noun, kind);
	if (!perf_schema_per_person(k)) {
		if (strchr(rest, '/'))
			return perf_error(err, PERF_EINVALID, "'%s': a %s has no owner; write %s:NAME", target, k->noun,
			                  kind);
		snprintf(dir, sizeof(dir), "%.*s", (int)fn, folder);
		return by_prefix(repo, txn, dir, rest, k->noun, out, err);
	}
	slash = strchr(rest, '/');
	if (slash) {
		size_t n = (size_t)(slash - rest);
		if (n > PERF_HANDLE_MAX)
			return perf_error(err, PERF_EINVALID, "'%s': the handle is too long", target);
		memcpy(handle, rest, n);
		handle[n] = '\0';
		name = slash + 1;
	} else {
		if ((rc = need_me(me, target, err)))
			return rc;
		snprintf(handle, sizeof(handle), "%s", me);
		name = rest;
	}
	if ((rc = perf_value_check_handle(handle, "handle", err)))
		return rc;
	if (!*name || strchr(name, '/') || strstr(name, ".."))
		return perf_error(err, PERF_EINVALID, "'%s' is not a %s name", target, k->noun);
	snprintf(dir, sizeof(dir), "%.*s/%s", (int)fn, folder, handle);
	rc = by_prefix(repo, txn, dir, name, k->noun, out, err);
	if (rc == PERF_ENOTFOUND && !perf_store_person_exists(repo, txn, handle))
		rc = no_person(repo, txn, handle, err);
	return rc;
}

/* A bare word that is neither one of your goals nor a person: the nearest
 * of either, and the forms a target takes. */
static int no_such_word(struct perf_repo *repo, struct perf_txn *txn, const char *word, const char *me,
                        struct perf_error *err)
{
	struct perf_strv goals = PERF_STRV_INIT, people = PERF_STRV_INIT;
	const char *goal = NULL, *person = NULL;
	char dir[PERF_SCHEMA_PATH_MAX + 1], near[PERF_SCHEMA_PATH_MAX + 32] = "";
	size_t dg = 99, dp = 99;

	if (me) {
		snprintf(dir, sizeof(dir), "goals/%s", me);
		if (perf_store_list(repo, txn, dir, &goals, NULL) == 0)
			dg = perf_strv_closest(&goals, word, &goal);
	}
	if (perf_store_list(repo, txn, "people", &people, NULL) == 0)
		dp = perf_strv_closest(&people, word, &person);
	if (person && dp <= dg)
		snprintf(near, sizeof(near), "; did you mean '%s' (a person)?", person);
	else if (goal)
		snprintf(near, sizeof(near), "; did you mean '%s' (your goal)?", goal);
	perf_error(err, PERF_ENOTFOUND,
	           "'%s' is neither %s nor a person%s; name a document as a path, HANDLE/WEEK, WEEK, HANDLE/GOAL or "
	           "KIND:NAME (goal:, expect:, checkin:, note:, feedback:, praise:, norm:, person:, ...)",
	           word, me ? "one of your goals" : "a goal", near);
	perf_strv_release(&goals);
	perf_strv_release(&people);
	return PERF_ENOTFOUND;
}

/* A bare word that names a kind (expect, goal, norm...): say how to name one of its documents. */
static int bare_kind(struct perf_repo *repo, struct perf_txn *txn, const char *word, const char *me,
                     struct perf_error *err)
{
	const struct perf_schema_kind *k = perf_schema_kind_by_target(word);
	struct perf_strv names = PERF_STRV_INIT;
	const char *folder, *example = NULL;
	char dir[PERF_SCHEMA_PATH_MAX + 1];
	size_t fn = perf_schema_folder(k, &folder);
	int rc;

	if (perf_schema_one_per_person(k) || perf_schema_per_person(k)) {
		if (me && !perf_schema_one_per_person(k)) {
			snprintf(dir, sizeof(dir), "%.*s/%s", (int)fn, folder, me);
			if (perf_store_list(repo, txn, dir, &names, NULL) == 0 && names.n)
				example = names.v[0];
		}
		if (example)
			rc = perf_error(err, PERF_EINVALID,
			                "'%s' is a kind (%s), not a document: name one as %s:[HANDLE/]NAME or "
			                "%.*s/HANDLE/NAME, for example %s:%s",
			                word, k->noun, k->target, (int)fn, folder, k->target, example);
		else if (perf_schema_one_per_person(k))
			rc = perf_error(err, PERF_EINVALID,
			                "'%s' is a kind (%s), not a document: name someone's as %s:HANDLE or "
			                "%.*s/HANDLE, for example %s:%s",
			                word, k->noun, k->target, (int)fn, folder, k->target, me ? me : "ari");
		else
			rc = perf_error(
			    err, PERF_EINVALID,
			    "'%s' is a kind (%s), not a document: name one as %s:HANDLE/NAME or %.*s/HANDLE/NAME", word,
			    k->noun, k->target, (int)fn, folder);
	} else {
		snprintf(dir, sizeof(dir), "%.*s", (int)fn, folder);
		if (perf_store_list(repo, txn, dir, &names, NULL) == 0 && names.n)
			example = names.v[0];
		if (example)
			rc = perf_error(
			    err, PERF_EINVALID,
			    "'%s' is a kind (%s), not a document: name one as %s:NAME or %.*s/NAME, for example %s:%s",
			    word, k->noun, k->target, (int)fn, folder, k->target, example);
		else
			rc = perf_error(err, PERF_EINVALID,
			                "'%s' is a kind (%s), not a document: name one as %s:NAME or %.*s/NAME", word,
			                k->noun, k->target, (int)fn, folder);
	}
	perf_strv_release(&names);
	return rc;
}

int perf_store_resolve(struct perf_repo *repo, struct perf_txn *txn, const char *target, const char *me,
                       struct perf_target *out, struct perf_error *err)
{
	char buf[PERF_SCHEMA_PATH_MAX + 8], kind[32];
	const char *colon, *slash;
	size_t n;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!target || !*target)
		return perf_error(err, PERF_EINVALID, "empty target");
	n = strlen(target);
	/* Before anything that quotes the target back to the terminal. */
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)target[i] < 0x20 || target[i] == 0x7f || target[i] == '\\')
			return perf_error(err, PERF_EINVALID, "target contains a control character or backslash");
	if (n > PERF_SCHEMA_PATH_MAX)
		return perf_error(err, PERF_EINVALID, "target '%.40s...' is too long", target);

	colon = strchr(target, ':');
	slash = strchr(target, '/');
	if (colon && (!slash || colon < slash)) {
		size_t k = (size_t)(colon - target);
		if (k >= sizeof(kind))
			return perf_error(err, PERF_EINVALID, "'%s' is not a target", target);
		memcpy(kind, target, k);
		kind[k] = '\0';
		return resolve_short(repo, txn, kind, colon + 1, me, target, out, err);
	}
	if (slash && perf_schema_kind_of_folder(target, (size_t)(slash - target))) {
		/* A path, with or without .md. */
		if (n > 3 && !strcmp(target + n - 3, ".md"))
			snprintf(buf, sizeof(buf), "%s", target);
		else
			snprintf(buf, sizeof(buf), "%s.md", target);
		if ((rc = perf_repo_check_path(buf, err)))
			return rc;
		if ((rc = finish_target(buf, out, err)))
			return rc;
		if (!exists_any(repo, txn, buf))
			return perf_error(err, PERF_ENOTFOUND, "%s: no such document", buf);
		return 0;
	}
	if (perf_value_parse_week(target, NULL, NULL, NULL) == 0) {
		if ((rc = need_me(me, target, err)))
			return rc;
		snprintf(buf, sizeof(buf), "checkins/%s/%s.md", me, target);
		if (!exists_any(repo, txn, buf))
			return perf_error(err, PERF_ENOTFOUND, "you have no check-in for %s (%s)", target, buf);
		return finish_target(buf, out, err);
	}
	if (slash) {
		char handle[PERF_HANDLE_MAX + 1];
		size_t k = (size_t)(slash - target);
		if (k > PERF_HANDLE_MAX)
			return perf_error(err, PERF_EINVALID, "'%s' is not a target", target);
		memcpy(handle, target, k);
		handle[k] = '\0';
		if ((rc = perf_value_check_handle(handle, "handle", err)))
			return perf_error(err, PERF_EINVALID,
			                  "'%s' is not a target: use a path, HANDLE/WEEK, HANDLE/GOAL or KIND:NAME",
			                  target);
		if (perf_value_parse_week(slash + 1, NULL, NULL, NULL) == 0) {
			snprintf(buf, sizeof(buf), "checkins/%s/%s.md", handle, slash + 1);
			if (!exists_any(repo, txn, buf) && !perf_store_person_exists(repo, txn, handle))
				return no_person(repo, txn, handle, err);
			if (!exists_any(repo, txn, buf))
				return perf_error(err, PERF_ENOTFOUND, "%s has no check-in for %s (%s)", handle,
				                  slash + 1, buf);
			return finish_target(buf, out, err);
		}
		snprintf(kind, sizeof(kind), "goal");
		return resolve_short(repo, txn, kind, target, me, target, out, err);
	}
	/* A bare word: one of your goals by its whole name, else a kind's
	 * name (say how to name one), else a person (their profile), else one
	 * of your goals by prefix. */
	if (perf_value_is_handle(target)) {
		bool person = perf_store_person_exists(repo, txn, target);
		if (me) {
			snprintf(buf, sizeof(buf), "goals/%s/%s.md", me, target);
			if (exists_any(repo, txn, buf))
				return finish_target(buf, out, err);
		}
		if (!person && perf_schema_kind_by_target(target))
			return bare_kind(repo, txn, target, me, err);
		if (person) {
			snprintf(buf, sizeof(buf), "people/%s.md", target);
			return finish_target(buf, out, err);
		}
		if (me && (rc = resolve_short(repo, txn, "goal", target, me, target, out, err)) != PERF_ENOTFOUND)
			return rc;
		return no_such_word(repo, txn, target, me, err);
	}
	return perf_error(err, PERF_EINVALID,
	                  "'%s' is not a target: use a path, HANDLE/WEEK, WEEK, HANDLE/GOAL or KIND:NAME (goal:, "
	                  "expect:, checkin:, ...)",
	                  target);
}

int perf_store_load(struct perf_repo *repo, struct perf_txn *txn, const char *path, struct perf_doc **out,
                    const struct perf_schema_kind **kind_out, struct perf_error *err)
{
	struct perf_schema_match m;
	struct perf_buf b = PERF_BUF_INIT;
	int rc;

	*out = NULL;
	if ((rc = perf_schema_match_path(&m, path, err)))
		return rc;
	if ((rc = read_any(repo, txn, path, &b, err)))
		goto out;
	rc = perf_schema_parse(out, m.kind, b.ptr, b.len, path, err);
	if (!rc && kind_out)
		*kind_out = m.kind;
out:
	perf_buf_release(&b);
	return rc;
}

struct first_problem {
	struct perf_error *err;
	size_t n;
};

static void keep_first(void *payload, const char *path, size_t line, size_t col, const char *message)
{
	struct first_problem *fp = payload;

	if (fp->n++ == 0)
		perf_error(fp->err, PERF_EINVALID, "%s:%zu:%zu: %s", path, line, col, message);
}

int perf_store_check(const struct perf_schema_kind *kind, const struct perf_doc *doc, const char *path,
                     struct perf_error *err)
{
	struct first_problem fp = {err, 0};

	perf_schema_validate(kind, doc, path, path, keep_first, &fp);
	return fp.n ? PERF_EINVALID : 0;
}

int perf_store_put(struct perf_txn *txn, const struct perf_schema_kind *kind, const struct perf_doc *doc,
                   const char *path, struct perf_error *err)
{
	struct perf_buf b = PERF_BUF_INIT;
	int rc;

	if ((rc = perf_store_check(kind, doc, path, err)))
		return rc;
	if ((rc = perf_schema_text(&b, kind, doc, err)))
		goto out;
	rc = perf_txn_put(txn, path, b.ptr, b.len, err);
out:
	perf_buf_release(&b);
	return rc;
}

int perf_store_thread(struct perf_repo *repo, struct perf_txn *txn, const char *path, struct perf_strv *out,
                      struct perf_error *err)
{
	struct perf_strv names = PERF_STRV_INIT;
	char dir[PERF_SCHEMA_PATH_MAX + 1], full[PERF_SCHEMA_PATH_MAX * 2 + 8];
	size_t n = strlen(path);
	int rc;

	if (n < 4 || strcmp(path + n - 3, ".md") || n - 3 >= sizeof(dir))
		return perf_error(err, PERF_EINVALID, "'%s' is not a document path", path);
	memcpy(dir, path, n - 3);
	dir[n - 3] = '\0';
	if ((rc = perf_store_list(repo, txn, dir, &names, err)))
		return rc;
	/* Names start with the stamp, so sorted names are in time order. */
	for (size_t i = 0; i < names.n && !rc; i++) {
		snprintf(full, sizeof(full), "%s/%s.md", dir, names.v[i]);
		if (perf_schema_match_path(NULL, full, NULL) == 0 && perf_strv_push(out, full))
			rc = perf_error(err, PERF_ENOMEM, "out of memory");
	}
	perf_strv_release(&names);
	return rc;
}

int perf_store_reply_path(struct perf_txn *txn, const char *path, const char *author, time_t t, char *out,
                          struct perf_error *err)
{
	char stamp[17];
	size_t n = strlen(path);
	int tries;

	if (n < 4 || strcmp(path + n - 3, ".md"))
		return perf_error(err, PERF_EINVALID, "'%s' is not a document path", path);
	for (tries = 0; tries < 120; tries++, t++) {
		perf_store_stamp(t, stamp);
		if (snprintf(out, PERF_SCHEMA_PATH_MAX + 1, "%.*s/%s-%s.md", (int)(n - 3), path, stamp, author) >
		    PERF_SCHEMA_PATH_MAX)
			return perf_error(err, PERF_EINVALID, "a reply to '%s' would have too long a path", path);
		if (!perf_txn_exists(txn, out))
			return 0;
	}
	return perf_error(err, PERF_EEXISTS, "too many replies by %s to %s at once; try again", author, path);
}

bool perf_store_person_exists(struct perf_repo *repo, struct perf_txn *txn, const char *handle)
{
	char path[PERF_HANDLE_MAX + 16];

	if (!perf_value_is_handle(handle))
		return false;
	snprintf(path, sizeof(path), "people/%s.md", handle);
	return exists_any(repo, txn, path);
}

int perf_store_require_person(struct perf_repo *repo, struct perf_txn *txn, const char *handle, struct perf_error *err)
{
	int rc;

	if ((rc = perf_value_check_handle(handle, "handle", err)))
		return rc;
	if (!perf_store_person_exists(repo, txn, handle))
		return no_person(repo, txn, handle, err);
	return 0;
}

int perf_store_field(struct perf_repo *repo, struct perf_txn *txn, const char *path, const char *field, char *out,
                     size_t size, struct perf_error *err)
{
	struct perf_doc *doc = NULL;
	const char *v;
	int rc;

	out[0] = '\0';
	if ((rc = perf_store_load(repo, txn, path, &doc, NULL, err)))
		return rc;
	if ((v = perf_doc_str(doc, field)))
		snprintf(out, size, "%s", v);
	perf_doc_free(doc);
	return 0;
}

int perf_store_lead_of(struct perf_repo *repo, struct perf_txn *txn, const char *handle, char out[PERF_HANDLE_MAX + 1],
                       struct perf_error *err)
{
	char path[PERF_HANDLE_MAX + 16], lead[PERF_HANDLE_MAX + 2];
	int rc;

	out[0] = '\0';
	snprintf(path, sizeof(path), "people/%s.md", handle);
	if ((rc = perf_store_field(repo, txn, path, "lead", lead, sizeof(lead), err)))
		return rc;
	/* A value too long for a handle is cut one past it, and so is no handle. */
	if (perf_value_is_handle(lead))
		memcpy(out, lead, strlen(lead) + 1);
	return 0;
}

int perf_store_template(struct perf_repo *repo, struct perf_txn *txn, const char *kind, char **out,
                        struct perf_error *err)
{
	struct perf_buf b = PERF_BUF_INIT;
	const struct perf_schema_kind *k = perf_schema_kind(kind);
	const char *builtin;
	char path[128];

	*out = NULL;
	snprintf(path, sizeof(path), ".perf/templates/%s.md", kind);
	if (read_any(repo, txn, path, &b, NULL) == 0) {
		*out = perf_buf_detach(&b);
		return *out ? 0 : perf_error(err, PERF_ENOMEM, "out of memory");
	}
	builtin = k ? perf_schema_template(k) : NULL;
	*out = strdup(builtin ? builtin : "");
	return *out ? 0 : perf_error(err, PERF_ENOMEM, "out of memory");
}

int perf_store_current_cycle(struct perf_repo *repo, struct perf_txn *txn, const char *today,
                             char out[PERF_HANDLE_MAX + 1], struct perf_error *err)
{
	struct perf_strv ids = PERF_STRV_INIT;
	char best_from[11] = "";
	int rc;

	out[0] = '\0';
	if ((rc = perf_store_list(repo, txn, "cycles", &ids, err)))
		return rc;
	for (size_t i = 0; i < ids.n; i++) {
		char path[PERF_SCHEMA_PATH_MAX + 1];
		struct perf_doc *doc = NULL;
		const char *st, *from, *until;

		snprintf(path, sizeof(path), "cycles/%s.md", ids.v[i]);
		if (perf_store_load(repo, txn, path, &doc, NULL, NULL))
			continue;
		st = perf_doc_str(doc, "status");
		from = perf_doc_str(doc, "from");
		until = perf_doc_str(doc, "until");
		if (st && !strcmp(st, "open") && from && until && strcmp(from, today) <= 0 &&
		    strcmp(today, until) <= 0 && strcmp(from, best_from) >= 0 && perf_value_is_handle(ids.v[i])) {
			snprintf(best_from, sizeof(best_from), "%s", from);
			snprintf(out, PERF_HANDLE_MAX + 1, "%s", ids.v[i]);
		}
		perf_doc_free(doc);
	}
	perf_strv_release(&ids);
	return 0;
}
