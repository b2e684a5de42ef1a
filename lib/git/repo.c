#include "repo.h"
#include "repo-internal.h"

#include <git2.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "doc.h"
#include "index.h"
#include "people.h"
#include "sign.h"
#include "strv.h"
#include "value.h"

#define CONFIG_PATH    ".perf/config.yaml"
#define WRITE_ATTEMPTS 20
/* How long a writer waits for perf's write lock.  The lock is not fair:
 * with eight writers queued, each write holding it a few hundred ms (the
 * team's rules are checked inside it), a writer could lose the race for
 * 10 s; the kernel drops the lock of a dead writer, so a long wait only
 * ever means others are writing. */
#define LOCK_WAIT_MS       60000
#define INDEX_LOCK_WAIT_MS 2000

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

#ifdef PERF_TEST_BUILD
/* Test builds only: sleep for $VAR milliseconds, to widen a window for tests. */
static void perf_test_delay(const char *var)
{
	const char *v = getenv(var);
	long ms = v ? strtol(v, NULL, 10) : 0;
	if (ms > 0)
		sleep_ms(ms);
}
#endif

const char *perf_repo_source_name(enum perf_repo_source s)
{
	switch (s) {
	case PERF_FOUND_OPTION:
		return "-C";
	case PERF_FOUND_ENV:
		return "$PERF_DIR";
	case PERF_FOUND_CWD:
		return "the current directory";
	case PERF_FOUND_CONFIG:
		return "git config perf.repo";
	case PERF_FOUND_DEFAULT:
		return "the default personal store";
	}
	return "?";
}

int perf_repo_default_path(struct perf_buf *out, struct perf_error *err)
{
	const char *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
	int rc;

	if (xdg && xdg[0] == '/')
		rc = perf_buf_printf(out, "%s/perf", xdg);
	else if (home && *home)
		rc = perf_buf_printf(out, "%s/.local/share/perf", home);
	else
		return perf_error(err, PERF_ENOTFOUND,
		                  "cannot find the default store: neither XDG_DATA_HOME nor HOME is set");
	return rc ? perf_error(err, PERF_ENOMEM, "out of memory") : 0;
}

static bool is_perf_workdir(const char *workdir)
{
	char path[4096];
	struct stat st;

	if (snprintf(path, sizeof(path), "%s%s", workdir, CONFIG_PATH) >= (int)sizeof(path))
		return false;
	return lstat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Opens the git repository at or above dir; *found false when there is none
 * or it is not a perf repository. */
static int try_open(struct perf_repo *repo, const char *dir, bool search, bool *found, struct perf_error *err)
{
	git_repository *g = NULL;
	const char *wd;
	int rc;

	*found = false;
	rc = git_repository_open_ext(&g, dir, search ? 0 : GIT_REPOSITORY_OPEN_NO_SEARCH, NULL);
	if (rc == GIT_ENOTFOUND)
		return 0;
	if (rc < 0)
		return perf_error_git(err, "cannot open repository '%s'", dir);
	wd = git_repository_workdir(g);
	if (!wd || !is_perf_workdir(wd)) {
		git_repository_free(g);
		return 0;
	}
	repo->git = g;
	repo->workdir = strdup(wd);
	if (!repo->workdir)
		return perf_error(err, PERF_ENOMEM, "out of memory");
	*found = true;
	return 0;
}

static char *expand_home(const char *p)
{
	const char *home = getenv("HOME");
	struct perf_buf b = PERF_BUF_INIT;

	if (p[0] == '~' && (p[1] == '/' || !p[1]) && home) {
		if (perf_buf_printf(&b, "%s%s", home, p + 1))
			return NULL;
		return perf_buf_detach(&b);
	}
	return strdup(p);
}

static int global_config_string(const char *key, char **out)
{
	git_config *cfg = NULL, *snap = NULL;
	git_buf b = {0};
	int rc;

	*out = NULL;
	if (git_config_open_default(&cfg) < 0)
		return 0;
	if (git_config_snapshot(&snap, cfg) == 0 && git_config_get_string_buf(&b, snap, key) == 0)
		*out = strdup(b.ptr);
	rc = 0;
	git_buf_dispose(&b);
	git_config_free(snap);
	git_config_free(cfg);
	return rc;
}

int perf_repo_open_git(struct perf_repo **out, const char *dir, bool from_env, struct perf_error *err)
{
	struct perf_repo *repo;
	const char *wd;

	*out = NULL;
	if (!(repo = calloc(1, sizeof(*repo))))
		return perf_error(err, PERF_ENOMEM, "out of memory");
	if ((from_env && !dir ? git_repository_open_ext(&repo->git, NULL, GIT_REPOSITORY_OPEN_FROM_ENV, NULL)
	                      : git_repository_open_ext(&repo->git, dir ? dir : ".", 0, NULL)) < 0) {
		free(repo);
		return perf_error_git(err, "not a git repository");
	}
	if ((wd = git_repository_workdir(repo->git)) && !(repo->workdir = strdup(wd))) {
		perf_repo_free(repo);
		return perf_error(err, PERF_ENOMEM, "out of memory");
	}
	*out = repo;
	return 0;
}

const char *perf_git_version(void)
{
	static char v[32];
	int major, minor, rev;

	if (!v[0]) {
		git_libgit2_version(&major, &minor, &rev);
		snprintf(v, sizeof(v), "%d.%d.%d", major, minor, rev);
	}
	return v;
}

const char *perf_repo_workdir(const struct perf_repo *repo)
{
	return repo->workdir;
}

enum perf_repo_source perf_repo_source(const struct perf_repo *repo)
{
	return repo->source;
}

const char *perf_repo_gitdir(const struct perf_repo *repo)
{
	return git_repository_path(repo->git);
}

void perf_repo_global_init(void)
{
	git_libgit2_init();
	/* Folders like people/ or checkins/<h>/ are trees of tens of kilobytes at
	 * a thousand people; libgit2 caches trees only up to 4 KB by default, so
	 * every path read would inflate and hash them again. */
	git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE, PERF_TREE_CACHE_LIMIT);
	/* As git: objects are not re-hashed on every read (git fsck checks them). */
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
	/* Packs are mapped 2 MB at a time, at most 4 MB at once, instead of whole:
	 * a command that reads every document of a 100,000-file repository then
	 * keeps a few megabytes of the pack in memory instead of all of it. */
	git_libgit2_opts(GIT_OPT_SET_MWINDOW_SIZE, (size_t)2 * 1024 * 1024);
	git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT, (size_t)4 * 1024 * 1024);
}

void perf_repo_global_shutdown(void)
{
	git_libgit2_shutdown();
}

int perf_repo_open(struct perf_repo **out, const char *dir, struct perf_error *err)
{
	struct perf_repo *repo;
	struct perf_buf def = PERF_BUF_INIT;
	const char *env = getenv("PERF_DIR");
	char *cfgdir = NULL;
	bool found = false;
	int rc = 0;

	*out = NULL;
	repo = calloc(1, sizeof(*repo));
	if (!repo)
		return perf_error(err, PERF_ENOMEM, "out of memory");

	if (dir) {
		repo->source = PERF_FOUND_OPTION;
		if ((rc = try_open(repo, dir, true, &found, err)))
			goto out;
		if (!found) {
			rc = perf_error(err, PERF_ENOTFOUND,
			                "'%s' is not in a perf repository; create one with 'perf init %s'", dir, dir);
			goto out;
		}
		goto done;
	}
	if (env && *env) {
		repo->source = PERF_FOUND_ENV;
		if ((rc = try_open(repo, env, true, &found, err)))
			goto out;
		if (!found) {
			rc = perf_error(
			    err, PERF_ENOTFOUND,
			    "PERF_DIR is '%s', which is not a perf repository; unset it or run 'perf init %s'", env,
			    env);
			goto out;
		}
		goto done;
	}
	repo->source = PERF_FOUND_CWD;
	if ((rc = try_open(repo, ".", true, &found, err)))
		goto out;
	if (found)
		goto done;
	global_config_string("perf.repo", &cfgdir);
	if (cfgdir) {
		char *path = expand_home(cfgdir);
		repo->source = PERF_FOUND_CONFIG;
		rc = path ? try_open(repo, path, false, &found, err) : perf_error(err, PERF_ENOMEM, "out of memory");
		if (!rc && !found)
			rc = perf_error(err, PERF_ENOTFOUND,
			                "git config perf.repo is '%s', which is not a perf repository; fix it with "
			                "'git config --global perf.repo DIR'",
			                cfgdir);
		free(path);
		if (rc)
			goto out;
		goto done;
	}
	if ((rc = perf_repo_default_path(&def, err)))
		goto out;
	repo->source = PERF_FOUND_DEFAULT;
	if ((rc = try_open(repo, def.ptr, false, &found, err)))
		goto out;
	if (!found) {
		rc = perf_error(err, PERF_ENOTFOUND,
		                "not in a perf repository; create your own with 'perf init' (in %s), get your team's "
		                "with 'perf clone URL', or name one with -C DIR, $PERF_DIR or 'git config --global "
		                "perf.repo DIR'",
		                def.ptr);
		goto out;
	}
done:
	*out = repo;
	repo = NULL;
out:
	free(cfgdir);
	perf_buf_release(&def);
	perf_repo_free(repo);
	return rc;
}

static void identity_release(struct perf_identity *id)
{
	free(id->name);
	free(id->email);
	free(id->handle);
	memset(id, 0, sizeof(*id));
}

void perf_repo_free(struct perf_repo *repo)
{
	if (!repo)
		return;
	git_repository_free(repo->git);
	free(repo->workdir);
	identity_release(&repo->who);
	free(repo);
}

int perf_repo_check_path(const char *path, struct perf_error *err)
{
	const char *p = path, *slash;
	size_t n;
	bool first = true;

	if (!path || !*path)
		return perf_error(err, PERF_EINVALID, "empty path");
	if (*path == '/')
		return perf_error(err, PERF_EINVALID, "path '%s' is absolute; paths are relative to the repository",
		                  path);
	if (strlen(path) > 1024)
		return perf_error(err, PERF_EINVALID, "path '%.40s...' is too long", path);
	for (;;) {
		slash = strchr(p, '/');
		n = slash ? (size_t)(slash - p) : strlen(p);
		if (n == 0)
			return perf_error(err, PERF_EINVALID, "path '%s' has an empty component", path);
		if (p[0] == '.' && !(first && n == 5 && !strncmp(p, ".perf", 5)) &&
		    !(first && !slash && (!strcmp(p, ".gitattributes"))))
			return perf_error(err, PERF_EINVALID, "path '%s': component '%.*s' may not start with '.'",
			                  path, (int)n, p);
		for (size_t i = 0; i < n; i++) {
			unsigned char c = (unsigned char)p[i];
			if (c < 0x20 || c == '\\' || c == 0x7f)
				return perf_error(err, PERF_EINVALID,
				                  "path '%s' contains a control character or backslash", path);
		}
		if (!slash)
			break;
		p = slash + 1;
		first = false;
	}
	return 0;
}

/* --- identity ------------------------------------------------------------ */

int perf_repo_config_get(struct perf_repo *repo, const char *key, char **out, struct perf_error *err)
{
	git_config *snap = NULL;
	git_buf b = {0};
	int rc;

	*out = NULL;
	if (git_repository_config_snapshot(&snap, repo->git) < 0)
		return perf_error_git(err, "cannot read git config");
	rc = git_config_get_string_buf(&b, snap, key);
	if (rc == 0) {
		*out = strdup(b.ptr);
		rc = *out ? 0 : perf_error(err, PERF_ENOMEM, "out of memory");
	} else if (rc == GIT_ENOTFOUND) {
		rc = 0;
	} else {
		rc = perf_error_git(err, "cannot read git config '%s'", key);
	}
	git_buf_dispose(&b);
	git_config_free(snap);
	return rc;
}

bool perf_repo_is_rev(struct perf_repo *repo, const char *rev)
{
	git_object *obj = NULL;

	if (git_revparse_single(&obj, repo->git, rev) < 0) {
		git_error_clear();
		return false;
	}
	git_object_free(obj);
	return true;
}

bool perf_repo_config_bool(struct perf_repo *repo, const char *key)
{
	git_config *snap = NULL;
	int on = 0;

	if (git_repository_config_snapshot(&snap, repo->git) == 0)
		git_config_get_bool(&on, snap, key);
	git_config_free(snap);
	return on != 0;
}

bool perf_repo_keyed_get(const char *path, const char *key, char *out, size_t outsz)
{
	char line[1200];
	size_t n = strlen(key);
	bool found = false;
	FILE *f;

	if (!(f = fopen(path, "r")))
		return false;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (!strncmp(line, key, n) && line[n] == ' ' && strlen(line + n + 1) < outsz) {
			memcpy(out, line + n + 1, strlen(line + n + 1) + 1);
			found = true;
		}
	}
	fclose(f);
	return found;
}

int perf_repo_keyed_set(const char *path, const char *key, const char *value, struct perf_error *err)
{
	struct perf_buf b = PERF_BUF_INIT;
	char line[1200];
	size_t n = strlen(key);
	FILE *f;
	int rc = 0;

	if ((f = fopen(path, "r"))) {
		while (fgets(line, sizeof(line), f))
			if (!(!strncmp(line, key, n) && line[n] == ' ') && strchr(line, '\n'))
				perf_buf_puts(&b, line);
		fclose(f);
	}
	perf_buf_printf(&b, "%s %s\n", key, value);
	if (!b.ptr)
		rc = perf_error(err, PERF_ENOMEM, "out of memory");
	else if (perf_repo_write_file(path, b.ptr, b.len) < 0)
		rc = perf_error_sys(err, "cannot write '%s'", path);
	perf_buf_release(&b);
	return rc;
}

bool perf_repo_blob_fits(git_repository *g, const git_oid *id)
{
	git_odb *odb = NULL;
	git_object_t type;
	size_t size;
	bool ok;

	ok = git_repository_odb(&odb, g) == 0 && git_odb_read_header(&size, &type, odb, id) == 0 &&
	     type == GIT_OBJECT_BLOB && size <= PERF_DOC_MAX_FILE;
	git_odb_free(odb);
	git_error_clear();
	return ok;
}

static int head_tree(struct perf_repo *repo, git_commit **commit, git_tree **tree, struct perf_error *err);

int perf_repo_identity(struct perf_repo *repo, const struct perf_identity **out, struct perf_error *err)
{
	struct perf_identity *who = &repo->who;
	const char *en = getenv("GIT_AUTHOR_NAME"), *ee = getenv("GIT_AUTHOR_EMAIL");
	int rc;

	if (repo->who_loaded) {
		*out = who;
		return 0;
	}
	if (en && *en)
		who->name = strdup(en);
	else if ((rc = perf_repo_config_get(repo, "user.name", &who->name, err)))
		return rc;
	if (ee && *ee)
		who->email = strdup(ee);
	else if ((rc = perf_repo_config_get(repo, "user.email", &who->email, err)))
		return rc;
	if (!who->name || !*who->name || !who->email || !*who->email) {
		identity_release(who);
		return perf_error(err, PERF_EINVALID,
		                  "who are you? set your name and email as for git: git config --global user.name "
		                  "\"Your Name\" && git config --global user.email you@example.com");
	}
	if ((rc = perf_repo_config_get(repo, "perf.handle", &who->handle, err)))
		return rc;
	if (who->handle && !perf_value_is_handle(who->handle)) {
		rc = perf_value_check_handle(who->handle, "git config perf.handle", err);
		identity_release(who);
		return rc;
	}
	if (!who->handle) {
		char handle[PERF_HANDLE_MAX + 1];
		git_tree *tree = NULL;
		if ((rc = head_tree(repo, NULL, &tree, err)))
			return rc;
		rc = perf_people_handle_of(repo->git, tree, who->email, handle, err);
		git_tree_free(tree);
		if (rc)
			return rc;
		if (handle[0] && !(who->handle = strdup(handle)))
			return perf_error(err, PERF_ENOMEM, "out of memory");
	}
	repo->who_loaded = true;
	*out = who;
	return 0;
}

int perf_repo_require_handle(struct perf_repo *repo, const char **handle, struct perf_error *err)
{
	const struct perf_identity *who;
	int rc;

	if ((rc = perf_repo_identity(repo, &who, err)))
		return rc;
	if (!who->handle)
		return perf_error(err, PERF_ENOTFOUND,
		                  "no person in this team has the email '%s'; run 'perf join' first (or set git "
		                  "config perf.handle)",
		                  who->email);
	*handle = who->handle;
	return 0;
}

/* --- reading ------------------------------------------------------------- */

static int head_tree(struct perf_repo *repo, git_commit **commit, git_tree **tree, struct perf_error *err)
{
	git_oid oid;
	int rc;

	*tree = NULL;
	if (commit)
		*commit = NULL;
	rc = git_reference_name_to_id(&oid, repo->git, "HEAD");
	if (rc == GIT_ENOTFOUND || rc == GIT_EUNBORNBRANCH)
		return 0;
	if (rc < 0)
		return perf_error_git(err, "cannot resolve HEAD");
	{
		git_commit *c = NULL;
		if (git_commit_lookup(&c, repo->git, &oid) < 0)
			return perf_error_git(err, "cannot read HEAD commit");
		if (git_commit_tree(tree, c) < 0) {
			git_commit_free(c);
			return perf_error_git(err, "cannot read HEAD tree");
		}
		if (commit)
			*commit = c;
		else
			git_commit_free(c);
	}
	return 0;
}

static int read_in_tree(git_repository *g, git_tree *tree, const char *path, struct perf_buf *out,
                        struct perf_error *err)
{
	git_tree_entry *e = NULL;
	git_blob *blob = NULL;
	int rc;

	if (!tree || git_tree_entry_bypath(&e, tree, path) < 0)
		return perf_error(err, PERF_ENOTFOUND, "%s: no such document", path);
	if (git_tree_entry_type(e) != GIT_OBJECT_BLOB) {
		git_tree_entry_free(e);
		return perf_error(err, PERF_EINVALID, "%s: is a folder, not a document", path);
	}
	if (!perf_repo_blob_fits(g, git_tree_entry_id(e))) {
		git_tree_entry_free(e);
		return perf_error(err, PERF_EINVALID, "%s: larger than a document may be (%d bytes)", path,
		                  PERF_DOC_MAX_FILE);
	}
	rc = git_blob_lookup(&blob, g, git_tree_entry_id(e));
	git_tree_entry_free(e);
	if (rc < 0)
		return perf_error_git(err, "%s: cannot read", path);
	out->len = 0;
	rc = perf_buf_add(out, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
	git_blob_free(blob);
	return rc ? perf_error(err, PERF_ENOMEM, "out of memory") : 0;
}

int perf_repo_read(struct perf_repo *repo, const char *path, struct perf_buf *out, struct perf_error *err)
{
	git_tree *tree = NULL;
	int rc;

	if ((rc = perf_repo_check_path(path, err)))
		return rc;
	if ((rc = head_tree(repo, NULL, &tree, err)))
		return rc;
	rc = read_in_tree(repo->git, tree, path, out, err);
	git_tree_free(tree);
	return rc;
}

static int list_tree(git_repository *g, git_tree *tree, const char *dir, perf_repo_list_id_fn fn, void *payload,
                     struct perf_error *err)
{
	git_tree_entry *e = NULL;
	git_tree *sub = NULL;
	size_t i, n;
	int rc = 0;

	if (!tree)
		return 0;
	if (dir && *dir) {
		if (git_tree_entry_bypath(&e, tree, dir) < 0)
			return 0;
		if (git_tree_entry_type(e) != GIT_OBJECT_TREE) {
			git_tree_entry_free(e);
			return 0;
		}
		rc = git_tree_lookup(&sub, g, git_tree_entry_id(e));
		git_tree_entry_free(e);
		if (rc < 0)
			return perf_error_git(err, "cannot read folder '%s'", dir);
		tree = sub;
	}
	n = git_tree_entrycount(tree);
	for (i = 0; i < n; i++) {
		const git_tree_entry *te = git_tree_entry_byindex(tree, i);
		if (fn(git_tree_entry_name(te), git_tree_entry_type(te) == GIT_OBJECT_TREE, git_tree_entry_id(te),
		       payload))
			break;
	}
	git_tree_free(sub);
	return 0;
}

int perf_repo_list_ids(struct perf_repo *repo, const char *dir, perf_repo_list_id_fn fn, void *payload,
                       struct perf_error *err)
{
	git_tree *tree = NULL;
	int rc;

	if ((rc = head_tree(repo, NULL, &tree, err)))
		return rc;
	rc = list_tree(repo->git, tree, dir, fn, payload, err);
	git_tree_free(tree);
	return rc;
}

/* A perf_repo_list_fn called as a perf_repo_list_id_fn: the id is dropped. */
struct list_names {
	perf_repo_list_fn fn;
	void *payload;
};

static int list_name(const char *name, bool is_dir, const git_oid *id, void *payload)
{
	struct list_names *l = payload;

	(void)id;
	return l->fn(name, is_dir, l->payload);
}

int perf_repo_list(struct perf_repo *repo, const char *dir, perf_repo_list_fn fn, void *payload, struct perf_error *err)
{
	struct list_names l = {fn, payload};

	return perf_repo_list_ids(repo, dir, list_name, &l, err);
}

/* --- transactions -------------------------------------------------------- */

struct change {
	char *path;
	char *data; /* NULL: remove */
	size_t len;
	git_oid id;
	char *tmp; /* the work-tree content waiting to be renamed into place */
};

struct perf_txn {
	struct perf_repo *repo;
	git_tree *base;
	struct change *changes;
	size_t n, cap;
	struct perf_buf subject;
	struct perf_buf trailers;
};

struct perf_repo *perf_txn_repo(struct perf_txn *txn)
{
	return txn->repo;
}

size_t perf_txn_changes(const struct perf_txn *txn)
{
	return txn->n;
}

static struct change *find_change(struct perf_txn *txn, const char *path)
{
	for (size_t i = 0; i < txn->n; i++)
		if (!strcmp(txn->changes[i].path, path))
			return &txn->changes[i];
	return NULL;
}

int perf_txn_read(struct perf_txn *txn, const char *path, struct perf_buf *out, struct perf_error *err)
{
	struct change *c;
	int rc;

	if ((rc = perf_repo_check_path(path, err)))
		return rc;
	c = find_change(txn, path);
	if (c) {
		if (!c->data)
			return perf_error(err, PERF_ENOTFOUND, "%s: no such document", path);
		out->len = 0;
		return perf_buf_add(out, c->data, c->len) ? perf_error(err, PERF_ENOMEM, "out of memory") : 0;
	}
	return read_in_tree(txn->repo->git, txn->base, path, out, err);
}

bool perf_txn_exists(struct perf_txn *txn, const char *path)
{
	struct change *c = find_change(txn, path);
	git_tree_entry *e = NULL;

	if (c)
		return c->data != NULL;
	if (!txn->base || git_tree_entry_bypath(&e, txn->base, path) < 0)
		return false;
	git_tree_entry_free(e);
	return true;
}

int perf_txn_list(struct perf_txn *txn, const char *dir, perf_repo_list_fn fn, void *payload, struct perf_error *err)
{
	struct list_names l = {fn, payload};

	return list_tree(txn->repo->git, txn->base, dir, list_name, &l, err);
}

static int stage(struct perf_txn *txn, const char *path, const char *data, size_t len, bool remove,
                 struct perf_error *err)
{
	struct change *c;
	int rc;

	if ((rc = perf_repo_check_path(path, err)))
		return rc;
	c = find_change(txn, path);
	if (!c) {
		if (txn->n == txn->cap) {
			size_t cap = txn->cap ? txn->cap * 2 : 4;
			struct change *p = realloc(txn->changes, cap * sizeof(*p));
			if (!p)
				return perf_error(err, PERF_ENOMEM, "out of memory");
			txn->changes = p;
			txn->cap = cap;
		}
		c = &txn->changes[txn->n];
		memset(c, 0, sizeof(*c));
		if (!(c->path = strdup(path)))
			return perf_error(err, PERF_ENOMEM, "out of memory");
		txn->n++;
	}
	free(c->data);
	c->data = NULL;
	c->len = 0;
	if (!remove) {
		c->data = malloc(len + 1);
		if (!c->data)
			return perf_error(err, PERF_ENOMEM, "out of memory");
		memcpy(c->data, data, len);
		c->data[len] = '\0';
		c->len = len;
	}
	return 0;
}

int perf_txn_put(struct perf_txn *txn, const char *path, const char *data, size_t len, struct perf_error *err)
{
	return stage(txn, path, data, len, false, err);
}

int perf_txn_remove(struct perf_txn *txn, const char *path, struct perf_error *err)
{
	return stage(txn, path, NULL, 0, true, err);
}

int perf_txn_subject(struct perf_txn *txn, struct perf_error *err, const char *fmt, ...)
{
	va_list ap;
	int rc;

	txn->subject.len = 0;
	va_start(ap, fmt);
	rc = perf_buf_vprintf(&txn->subject, fmt, ap);
	va_end(ap);
	return rc ? perf_error(err, PERF_ENOMEM, "out of memory") : 0;
}

int perf_txn_trailer(struct perf_txn *txn, const char *key, const char *value, struct perf_error *err)
{
	if (strchr(value, '\n'))
		return perf_error(err, PERF_EINVALID, "trailer '%s' may not span lines", key);
	return perf_buf_printf(&txn->trailers, "%s: %s\n", key, value) ? perf_error(err, PERF_ENOMEM, "out of memory")
	                                                               : 0;
}

int perf_txn_trailer_list(struct perf_txn *txn, const char *key, const struct perf_strv *v, struct perf_error *err)
{
	struct perf_buf names = PERF_BUF_INIT;
	int rc = 0;

	if (!v->n)
		return 0;
	for (size_t i = 0; i < v->n && !rc; i++)
		rc = perf_buf_printf(&names, "%s%s", i ? ", " : "", v->v[i]);
	rc = rc ? perf_error(err, PERF_ENOMEM, "out of memory") : perf_txn_trailer(txn, key, names.ptr, err);
	perf_buf_release(&names);
	return rc;
}

static void txn_reset(struct perf_txn *txn)
{
	for (size_t i = 0; i < txn->n; i++) {
		if (txn->changes[i].tmp) {
			unlink(txn->changes[i].tmp);
			free(txn->changes[i].tmp);
		}
		free(txn->changes[i].path);
		free(txn->changes[i].data);
	}
	txn->n = 0;
	git_tree_free(txn->base);
	txn->base = NULL;
	txn->subject.len = 0;
	txn->trailers.len = 0;
}

static void txn_release(struct perf_txn *txn)
{
	txn_reset(txn);
	free(txn->changes);
	perf_buf_release(&txn->subject);
	perf_buf_release(&txn->trailers);
}

/* Parses GIT_AUTHOR_DATE-style values: "@secs [+zzzz]", "secs +zzzz" or RFC 3339. */
static bool parse_git_date(const char *s, git_time_t *t)
{
	time_t tt;
	char *end;
	long long v;

	if (!s || !*s)
		return false;
	if (perf_value_parse_time(s, &tt, NULL) == 0) {
		*t = (git_time_t)tt;
		return true;
	}
	if (*s == '@')
		s++;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || end == s || (*end && *end != ' '))
		return false;
	*t = (git_time_t)v;
	return true;
}

static int make_signature(git_signature **sig, const char *name_env, const char *email_env, const char *date_env,
                          const struct perf_identity *who, struct perf_error *err)
{
	const char *n = getenv(name_env), *e = getenv(email_env);
	git_time_t t;

	if (!parse_git_date(getenv(date_env), &t))
		t = (git_time_t)perf_value_now();
	if (git_signature_new(sig, n && *n ? n : who->name, e && *e ? e : who->email, t, 0) < 0)
		return perf_error_git(err, "cannot make a signature for '%s <%s>'", who->name, who->email);
	return 0;
}

static int gitdir_path(struct perf_repo *repo, struct perf_buf *b, const char *name)
{
	b->len = 0;
	return perf_buf_printf(b, "%s%s", git_repository_path(repo->git), name);
}

/* Holds an exclusive lock among perf writers; the kernel drops it if perf dies,
 * so it can never go stale. */
static int take_write_lock(struct perf_repo *repo, int *fd, struct perf_error *err)
{
	struct perf_buf p = PERF_BUF_INIT;
	long waited = 0;
	int rc = 0;

	if (gitdir_path(repo, &p, "perf"))
		return perf_error(err, PERF_ENOMEM, "out of memory");
	mkdir(p.ptr, 0777);
	perf_buf_puts(&p, "/write.lock");
	*fd = open(p.ptr, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
	if (*fd < 0) {
		rc = perf_error_sys(err, "cannot open lock '%s'", p.ptr);
		goto out;
	}
	while (flock(*fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno != EWOULDBLOCK && errno != EINTR) {
			rc = perf_error_sys(err, "cannot lock '%s'", p.ptr);
			break;
		}
		if (waited >= LOCK_WAIT_MS) {
			rc = perf_error(err, PERF_ELOCKED, "another perf process has been writing for %ld s; try again",
			                waited / 1000);
			break;
		}
		sleep_ms(5 + rand() % 10);
		waited += 10;
	}
	if (rc) {
		close(*fd);
		*fd = -1;
	}
out:
	perf_buf_release(&p);
	return rc;
}

static int check_index_format(struct perf_repo *repo, struct perf_error *err)
{
	git_config *snap = NULL;
	int skip = 0, many = 0, split = 0, sparse = 0, rc = 0;

	if (git_repository_config_snapshot(&snap, repo->git) < 0)
		return perf_error_git(err, "cannot read git config");
	if (git_config_get_bool(&skip, snap, "index.skipHash") == GIT_ENOTFOUND) {
		git_config_get_bool(&many, snap, "feature.manyFiles");
		skip = many;
	}
	git_config_get_bool(&split, snap, "core.splitIndex");
	git_config_get_bool(&sparse, snap, "index.sparse");
	git_config_free(snap);
	if (skip)
		rc = perf_error(err, PERF_EINVALID,
		                "this repository writes its index with index.skipHash%s, which perf cannot read; run "
		                "'git config index.skipHash false && git update-index --force-write-index'",
		                many ? " (set by feature.manyFiles)" : "");
	else if (split)
		rc =
		    perf_error(err, PERF_EINVALID,
		               "this repository uses a split index (core.splitIndex), which perf cannot read; run 'git "
		               "config core.splitIndex false && git update-index --no-split-index'");
	else if (sparse)
		rc = perf_error(err, PERF_EINVALID,
		                "this repository uses a sparse index (index.sparse), which perf cannot read; run 'git "
		                "sparse-checkout disable' or 'git config index.sparse false'");
	return rc;
}

/* Makes the folders leading to path, refusing symlinks and files in the way. */
static int prepare_dirs(const char *workdir, const char *path, struct perf_error *err)
{
	struct perf_buf b = PERF_BUF_INIT;
	const char *p = path, *slash;
	struct stat st;
	int rc = 0;

	if (perf_buf_puts(&b, workdir))
		return perf_error(err, PERF_ENOMEM, "out of memory");
	while ((slash = strchr(p, '/'))) {
		perf_buf_add(&b, p, (size_t)(slash - p));
		if (lstat(b.ptr, &st) == 0) {
			if (S_ISLNK(st.st_mode)) {
				rc = perf_error(err, PERF_EINVALID,
				                "'%s' is a symbolic link; perf does not write through links (remove it "
				                "or replace it with a folder)",
				                b.ptr + strlen(workdir));
				break;
			}
			if (!S_ISDIR(st.st_mode)) {
				rc = perf_error(err, PERF_EINVALID,
				                "'%s' is a file where a folder should be; move it away and try again",
				                b.ptr + strlen(workdir));
				break;
			}
		} else if (mkdir(b.ptr, 0777) < 0 && errno != EEXIST) {
			rc = perf_error_sys(err, "cannot make folder '%s'", b.ptr);
			break;
		}
		perf_buf_putc(&b, '/');
		p = slash + 1;
	}
	perf_buf_release(&b);
	return rc;
}

/* Refuses to overwrite work-tree content that HEAD does not have. */
static int check_worktree(struct perf_txn *txn, const struct perf_index *idx, struct change *c, struct perf_error *err)
{
	struct perf_repo *repo = txn->repo;
	struct perf_buf full = PERF_BUF_INIT;
	git_tree_entry *te = NULL;
	struct perf_index_entry ie;
	struct stat st;
	git_oid have;
	int rc = 0;

	if (perf_buf_printf(&full, "%s%s", repo->workdir, c->path))
		return perf_error(err, PERF_ENOMEM, "out of memory");
	if (lstat(full.ptr, &st) < 0) {
		perf_buf_release(&full);
		return 0;
	}
	if (S_ISLNK(st.st_mode)) {
		rc = perf_error(err, PERF_EINVALID, "'%s' is a symbolic link; perf does not write through links",
		                c->path);
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		rc = perf_error(err, PERF_EINVALID, "'%s' is in the way: it is not a regular file", c->path);
		goto out;
	}
	if (!txn->base || git_tree_entry_bypath(&te, txn->base, c->path) < 0) {
		rc = perf_error(err, PERF_ECONFLICT,
		                "'%s' exists but is not committed; perf will not overwrite it (commit it with git, or "
		                "move it away)",
		                c->path);
		goto out;
	}
	/* Unchanged since git (or perf) last recorded it: no need to hash. */
	if (perf_index_lookup(idx, c->path, &ie) && !memcmp(ie.oid, git_tree_entry_id(te)->id, 20) &&
	    (uint32_t)st.st_size == ie.size && (uint32_t)st.st_mtim.tv_sec == ie.mtime_s &&
	    (uint32_t)st.st_mtim.tv_nsec == ie.mtime_ns && (uint32_t)st.st_ino == ie.ino)
		goto out;
	if (git_odb_hashfile(&have, full.ptr, GIT_OBJECT_BLOB) < 0) {
		rc = perf_error_git(err, "cannot read '%s'", c->path);
		goto out;
	}
	if (!git_oid_equal(&have, git_tree_entry_id(te)))
		rc = perf_error(err, PERF_ECONFLICT,
		                "'%s' has changes that are not committed; perf will not overwrite them (commit them "
		                "with git, or undo them with 'git checkout -- %s')",
		                c->path, c->path);
out:
	git_tree_entry_free(te);
	perf_buf_release(&full);
	return rc;
}

static int write_temp(struct perf_repo *repo, struct change *c, struct perf_error *err)
{
	struct perf_buf p = PERF_BUF_INIT;
	size_t off = 0;
	int fd, rc = 0;

	if (gitdir_path(repo, &p, "perf/tmp"))
		return perf_error(err, PERF_ENOMEM, "out of memory");
	mkdir(p.ptr, 0777);
	perf_buf_puts(&p, "/write-XXXXXX");
	fd = mkstemp(p.ptr);
	if (fd < 0) {
		rc = perf_error_sys(err, "cannot create a temporary file in '%s'", p.ptr);
		perf_buf_release(&p);
		return rc;
	}
	fchmod(fd, 0666 & ~(mode_t)0);
	while (off < c->len) {
		ssize_t w = write(fd, c->data + off, c->len - off);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			rc = perf_error_sys(err, "cannot write '%s'", p.ptr);
			break;
		}
		off += (size_t)w;
	}
	if (close(fd) < 0 && !rc)
		rc = perf_error_sys(err, "cannot write '%s'", p.ptr);
	if (rc) {
		unlink(p.ptr);
		perf_buf_release(&p);
		return rc;
	}
	c->tmp = perf_buf_detach(&p);
	return 0;
}

static void remove_empty_parents(const char *workdir, const char *path)
{
	char buf[4096];
	char *slash;

	if (snprintf(buf, sizeof(buf), "%s%s", workdir, path) >= (int)sizeof(buf))
		return;
	while ((slash = strrchr(buf, '/')) && (size_t)(slash - buf) > strlen(workdir)) {
		*slash = '\0';
		if (rmdir(buf) < 0)
			break;
	}
}

static mode_t current_umask(void)
{
	mode_t m = umask(022);
	umask(m);
	return m;
}

/* After HEAD moved: put the files in place and bring their index entries in line. */
static int apply_worktree(struct perf_txn *txn, struct perf_index *idx, struct perf_error *err)
{
	struct perf_repo *repo = txn->repo;
	struct perf_buf full = PERF_BUF_INIT;
	struct perf_index_change *ch = calloc(txn->n ? txn->n : 1, sizeof(*ch));
	mode_t mask = current_umask();
	size_t nch = 0;
	int rc = 0;

	if (!ch) {
		perf_index_rollback(idx);
		return perf_error(err, PERF_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < txn->n && !rc; i++) {
		struct change *c = &txn->changes[i];
		struct perf_index_change *x = &ch[nch];

		full.len = 0;
		perf_buf_printf(&full, "%s%s", repo->workdir, c->path);
		x->path = c->path;
		if (!c->data) {
			if (unlink(full.ptr) < 0 && errno != ENOENT)
				rc = perf_error_sys(err, "cannot remove '%s'", c->path);
			else
				remove_empty_parents(repo->workdir, c->path);
			x->remove = true;
			nch++;
			continue;
		}
		chmod(c->tmp, 0666 & ~mask);
		if (rename(c->tmp, full.ptr) < 0) {
			rc = perf_error_sys(err, "cannot write '%s'", c->path);
			break;
		}
		free(c->tmp);
		c->tmp = NULL;
		if (lstat(full.ptr, &x->st) < 0) {
			rc = perf_error_sys(err, "cannot stat '%s'", c->path);
			break;
		}
		memcpy(x->oid, c->id.id, 20);
		x->mode = GIT_FILEMODE_BLOB;
		nch++;
	}
	if (!rc)
		rc = perf_index_commit(idx, ch, nch, err);
	else
		perf_index_rollback(idx);
	free(ch);
	perf_buf_release(&full);
	return rc;
}

static int build_message(struct perf_txn *txn, struct perf_buf *msg, struct perf_error *err)
{
	msg->len = 0;
	if (!txn->subject.len)
		return perf_error(err, PERF_EINVALID, "internal: a commit needs a subject");
	if (perf_buf_add(msg, txn->subject.ptr, txn->subject.len) || perf_buf_puts(msg, "\n"))
		return perf_error(err, PERF_ENOMEM, "out of memory");
	if (txn->trailers.len && (perf_buf_puts(msg, "\n") || perf_buf_add(msg, txn->trailers.ptr, txn->trailers.len)))
		return perf_error(err, PERF_ENOMEM, "out of memory");
	return 0;
}

/* --- interrupted writes -------------------------------------------------- */

/*
 * While perf writes, .git/perf/pending says what it is doing, so that a
 * write killed half-way (SIGKILL, power cut of the terminal, OOM) can be
 * finished or cleaned up by the next perf that takes the write lock; the
 * lock is an flock, so whoever holds it knows the writer of a pending
 * record is gone.  The record is written once git's index.lock is held
 * (naming that lock file by device and inode, so perf removes its own stale
 * lock and never git's), and again just before the branch moves, with the
 * new commit.  The branch moving is the commit point: if it points at the
 * new commit, the write happened and perf brings the work tree and index in
 * line; otherwise nothing of the write is kept.  See perf-format(5).
 */
#define PENDING_MAGIC "perf-pending 1"

struct pending {
	bool committing;
	git_oid old, new_id;
	unsigned long long lock_dev, lock_ino;
	char *subject;
	struct perf_strv paths;
};

void perf_repo_set_notice(struct perf_repo *repo, perf_notice_fn fn, void *payload)
{
	repo->notice = fn;
	repo->notice_payload = payload;
}

static void notice(struct perf_repo *repo, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void notice(struct perf_repo *repo, const char *fmt, ...)
{
	struct perf_buf b = PERF_BUF_INIT;
	va_list ap;

	if (!repo->notice)
		return;
	va_start(ap, fmt);
	if (perf_buf_vprintf(&b, fmt, ap) == 0)
		repo->notice(repo->notice_payload, b.ptr);
	va_end(ap);
	perf_buf_release(&b);
}

static void pending_release(struct pending *p)
{
	free(p->subject);
	perf_strv_release(&p->paths);
	memset(p, 0, sizeof(*p));
}

int perf_repo_write_file(const char *path, const char *data, size_t len)
{
	struct perf_buf tmp = PERF_BUF_INIT;
	size_t off = 0;
	int fd, rc = -1;

	if (perf_buf_printf(&tmp, "%s.tmp", path))
		return -1;
	fd = open(tmp.ptr, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0)
		goto out;
	while (off < len) {
		ssize_t w = write(fd, data + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	if (close(fd) == 0 && off == len && rename(tmp.ptr, path) == 0)
		rc = 0;
	else
		unlink(tmp.ptr);
out:
	perf_buf_release(&tmp);
	return rc;
}

/* Records the write in progress; new_id NULL before the commit exists. */
static int pending_write(struct perf_txn *txn, const struct perf_index *idx, const git_commit *head,
                         const git_oid *new_id, struct perf_error *err)
{
	struct perf_buf b = PERF_BUF_INIT;
	struct stat st;
	char hex[GIT_OID_HEXSZ + 1];
	int rc;

	if (idx->lockfd < 0 || fstat(idx->lockfd, &st) < 0)
		memset(&st, 0, sizeof(st));
	perf_buf_printf(&b, "%s\nphase %s\n", PENDING_MAGIC, new_id ? "commit" : "prepare");
	if (head)
		git_oid_tostr(hex, sizeof(hex), git_commit_id(head));
	else
		memset(hex, '0', GIT_OID_HEXSZ), hex[GIT_OID_HEXSZ] = '\0';
	perf_buf_printf(&b, "old %s\n", hex);
	if (new_id)
		perf_buf_printf(&b, "new %s\n", git_oid_tostr(hex, sizeof(hex), new_id));
	perf_buf_printf(&b, "index-lock %llu %llu\n", (unsigned long long)st.st_dev, (unsigned long long)st.st_ino);
	perf_buf_printf(&b, "subject %.*s\n", (int)strcspn(txn->subject.ptr ? txn->subject.ptr : "", "\n"),
	                txn->subject.ptr ? txn->subject.ptr : "");
	for (size_t i = 0; i < txn->n; i++)
		perf_buf_printf(&b, "path %s\n", txn->changes[i].path);
	if (!b.ptr)
		rc = perf_error(err, PERF_ENOMEM, "out of memory");
	else
		rc = perf_repo_perf_file_write(txn->repo, "pending", b.ptr, b.len, err);
	perf_buf_release(&b);
	return rc;
}

static void pending_remove(struct perf_repo *repo)
{
	perf_repo_perf_file_remove(repo, "pending");
}

/* 1 when a record was read, 0 when there is none, <0 on error. */
static int pending_read(struct perf_repo *repo, struct pending *p, struct perf_error *err)
{
	struct perf_buf path = PERF_BUF_INIT;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	FILE *f;
	int rc = 1, lineno = 0;
	bool have_old = false;

	memset(p, 0, sizeof(*p));
	if (gitdir_path(repo, &path, "perf/pending"))
		return perf_error(err, PERF_ENOMEM, "out of memory");
	f = fopen(path.ptr, "re");
	if (!f) {
		rc = errno == ENOENT ? 0 : perf_error_sys(err, "cannot read '%s'", path.ptr);
		goto out;
	}
	while ((n = getline(&line, &cap, f)) > 0) {
		if (line[n - 1] == '\n')
			line[--n] = '\0';
		if (lineno++ == 0) {
			if (strcmp(line, PENDING_MAGIC))
				break;
			continue;
		}
		if (!strcmp(line, "phase commit"))
			p->committing = true;
		else if (!strncmp(line, "old ", 4))
			have_old = git_oid_fromstr(&p->old, line + 4) == 0;
		else if (!strncmp(line, "new ", 4) && git_oid_fromstr(&p->new_id, line + 4) < 0)
			p->committing = false;
		else if (!strncmp(line, "index-lock ", 11))
			sscanf(line + 11, "%llu %llu", &p->lock_dev, &p->lock_ino);
		else if (!strncmp(line, "subject ", 8) && !p->subject)
			p->subject = strdup(line + 8);
		else if (!strncmp(line, "path ", 5) && perf_repo_check_path(line + 5, NULL) == 0)
			perf_strv_push(&p->paths, line + 5);
	}
	if (lineno == 0 || !have_old || (p->committing && git_oid_is_zero(&p->new_id))) {
		notice(repo, "warning: '%s' is not a record perf can read; removed it", path.ptr);
		unlink(path.ptr);
		pending_release(p);
		rc = 0;
	}
	fclose(f);
out:
	free(line);
	perf_buf_release(&path);
	return rc;
}

/* Removes what perf's own temporary files in .git/perf/tmp left behind. */
static void clean_tmp(struct perf_repo *repo)
{
	struct perf_buf p = PERF_BUF_INIT;
	struct dirent *de;
	DIR *d;

	if (gitdir_path(repo, &p, "perf/tmp") || !(d = opendir(p.ptr))) {
		perf_buf_release(&p);
		return;
	}
	while ((de = readdir(d))) {
		size_t keep = p.len;
		if (strncmp(de->d_name, "write-", 6))
			continue;
		perf_buf_printf(&p, "/%s", de->d_name);
		unlink(p.ptr);
		p.len = keep;
		p.ptr[keep] = '\0';
	}
	closedir(d);
	perf_buf_release(&p);
}

/* Removes lockfile when it is the one the record names (perf's own). */
static void remove_own_index_lock(struct perf_repo *repo, const struct pending *p)
{
	struct perf_buf path = PERF_BUF_INIT;
	struct stat st;

	if (gitdir_path(repo, &path, "index.lock") == 0 && lstat(path.ptr, &st) == 0 &&
	    (unsigned long long)st.st_dev == p->lock_dev && (unsigned long long)st.st_ino == p->lock_ino)
		unlink(path.ptr);
	perf_buf_release(&path);
}

/* Removes the branch's lock file when it is empty or names the new commit:
 * libgit2 was moving the branch for perf when the write was interrupted. */
static void remove_own_ref_lock(struct perf_repo *repo, const struct pending *p)
{
	struct perf_buf path = PERF_BUF_INIT;
	git_reference *head = NULL;
	char buf[GIT_OID_HEXSZ + 2], hex[GIT_OID_HEXSZ + 1];
	ssize_t n = 0;
	int fd;

	if (!p->committing || git_reference_lookup(&head, repo->git, "HEAD") < 0)
		return;
	if (git_reference_type(head) == GIT_REFERENCE_SYMBOLIC)
		perf_buf_printf(&path, "%s%s.lock", git_repository_path(repo->git),
		                git_reference_symbolic_target(head));
	else
		perf_buf_printf(&path, "%sHEAD.lock", git_repository_path(repo->git));
	git_reference_free(head);
	if (!path.ptr || (fd = open(path.ptr, O_RDONLY | O_CLOEXEC)) < 0)
		goto out;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	git_oid_tostr(hex, sizeof(hex), &p->new_id);
	if (n == 0 || (n >= GIT_OID_HEXSZ && !memcmp(buf, hex, GIT_OID_HEXSZ)))
		unlink(path.ptr);
out:
	perf_buf_release(&path);
}

/* Writes blob into the work tree at path, through a temporary file. */
static int put_blob(struct perf_repo *repo, const char *path, const git_oid *id, mode_t mask, struct perf_error *err)
{
	struct perf_buf full = PERF_BUF_INIT;
	struct change c;
	git_blob *blob = NULL;
	int rc;

	memset(&c, 0, sizeof(c));
	if (git_blob_lookup(&blob, repo->git, id) < 0)
		return perf_error_git(err, "cannot read '%s' from HEAD", path);
	c.data = (char *)git_blob_rawcontent(blob);
	c.len = (size_t)git_blob_rawsize(blob);
	if ((rc = prepare_dirs(repo->workdir, path, err)) || (rc = write_temp(repo, &c, err)))
		goto out;
	chmod(c.tmp, 0666 & ~mask);
	if (perf_buf_printf(&full, "%s%s", repo->workdir, path) || rename(c.tmp, full.ptr) < 0) {
		rc = perf_error_sys(err, "cannot write '%s'", path);
		unlink(c.tmp);
	}
out:
	free(c.tmp);
	git_blob_free(blob);
	perf_buf_release(&full);
	return rc;
}

/* The interrupted write committed: brings its paths' files and index entries
 * in line with HEAD, leaving alone any file changed since by someone else.
 * Returns how many files were left alone through *left. */
static int finish_pending(struct perf_repo *repo, const struct pending *p, size_t *fixed, size_t *left,
                          struct perf_error *err)
{
	git_commit *newc = NULL, *oldc = NULL;
	git_tree *newt = NULL, *oldt = NULL;
	struct perf_index_change *ch = NULL;
	struct perf_buf full = PERF_BUF_INIT;
	struct perf_index idx;
	mode_t mask = current_umask();
	size_t nch = 0;
	int rc = 0;

	memset(&idx, 0, sizeof(idx));
	idx.lockfd = -1;
	*fixed = *left = 0;
	if (git_commit_lookup(&newc, repo->git, &p->new_id) < 0 || git_commit_tree(&newt, newc) < 0 ||
	    (!git_oid_is_zero(&p->old) &&
	     (git_commit_lookup(&oldc, repo->git, &p->old) < 0 || git_commit_tree(&oldt, oldc) < 0))) {
		rc = perf_error_git(err, "cannot read the interrupted write's commit");
		goto out;
	}
	if (!(ch = calloc(p->paths.n ? p->paths.n : 1, sizeof(*ch)))) {
		rc = perf_error(err, PERF_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = perf_index_lock(&idx, git_repository_path(repo->git), INDEX_LOCK_WAIT_MS, err)))
		goto out;
	for (size_t i = 0; i < p->paths.n && !rc; i++) {
		const char *path = p->paths.v[i];
		git_tree_entry *ne = NULL, *oe = NULL;
		struct perf_index_change *x = &ch[nch];
		struct stat st;
		git_oid have;
		bool exists, is_new = false, is_old = false;

		git_tree_entry_bypath(&ne, newt, path);
		if (oldt)
			git_tree_entry_bypath(&oe, oldt, path);
		full.len = 0;
		perf_buf_printf(&full, "%s%s", repo->workdir, path);
		exists = lstat(full.ptr, &st) == 0;
		if (exists && S_ISREG(st.st_mode) && git_odb_hashfile(&have, full.ptr, GIT_OBJECT_BLOB) == 0) {
			is_new = ne && git_oid_equal(&have, git_tree_entry_id(ne));
			is_old = oe && git_oid_equal(&have, git_tree_entry_id(oe));
		}
		x->path = path;
		if (ne) {
			if (exists && !is_new && !is_old) {
				/* The entry names HEAD's blob with no stat data: git sees the file as changed. */
				notice(repo, "left '%s' as it is: it has changes of its own", path);
				(*left)++;
				memset(&x->st, 0, sizeof(x->st));
				x->st.st_mode = S_IFREG | 0644;
			} else {
				if (!is_new) {
					rc = put_blob(repo, path, git_tree_entry_id(ne), mask, err);
					(*fixed)++;
				}
				if (!rc && lstat(full.ptr, &x->st) < 0)
					rc = perf_error_sys(err, "cannot stat '%s'", path);
			}
			memcpy(x->oid, git_tree_entry_id(ne)->id, 20);
			x->mode = GIT_FILEMODE_BLOB;
			nch++;
		} else {
			if (exists && is_old) {
				if (unlink(full.ptr) < 0)
					rc = perf_error_sys(err, "cannot remove '%s'", path);
				else
					remove_empty_parents(repo->workdir, path);
				(*fixed)++;
			} else if (exists) {
				notice(repo, "left '%s' as it is: it has changes of its own", path);
				(*left)++;
			}
			x->remove = true;
			nch++;
		}
		git_tree_entry_free(ne);
		git_tree_entry_free(oe);
	}
	if (!rc)
		rc = perf_index_commit(&idx, ch, nch, err);
out:
	perf_index_rollback(&idx);
	free(ch);
	perf_buf_release(&full);
	git_tree_free(newt);
	git_tree_free(oldt);
	git_commit_free(newc);
	git_commit_free(oldc);
	return rc;
}

/* Run with the write lock held: finishes or cleans up after a write that was
 * interrupted, saying which through the repository's notices. */
static int recover(struct perf_repo *repo, struct perf_error *err)
{
	struct pending p;
	git_oid head;
	bool have_head;
	int rc;

	if (!repo->workdir)
		return 0;
	clean_tmp(repo);
	if ((rc = pending_read(repo, &p, err)) <= 0)
		return rc;
	rc = 0;
	have_head = git_reference_name_to_id(&head, repo->git, "HEAD") == 0;
	git_error_clear();
	remove_own_index_lock(repo, &p);
	remove_own_ref_lock(repo, &p);
	if (p.committing && have_head && git_oid_equal(&head, &p.new_id)) {
		size_t fixed, left;
		if ((rc = finish_pending(repo, &p, &fixed, &left, err))) {
			perf_error_prefix(err, "cannot finish an interrupted write (%s)", p.subject ? p.subject : "");
			goto out;
		}
		notice(repo,
		       "finished a write that was interrupted after it committed (%.12s %s): %zu file%s and the "
		       "index brought in line with HEAD",
		       git_oid_tostr_s(&p.new_id), p.subject ? p.subject : "", fixed, fixed == 1 ? "" : "s");
	} else if (p.committing && have_head && git_graph_descendant_of(repo->git, &head, &p.new_id) == 1) {
		notice(repo,
		       "found the record of an interrupted write (%.12s %s), but HEAD has moved on since; the "
		       "work tree was left as it is (see 'git status')",
		       git_oid_tostr_s(&p.new_id), p.subject ? p.subject : "");
	} else {
		notice(repo,
		       "cleaned up after a write that was interrupted before it committed (%s); "
		       "nothing of it was kept",
		       p.subject ? p.subject : "");
	}
	pending_remove(repo);
out:
	pending_release(&p);
	return rc;
}

int perf_repo_write(struct perf_repo *repo, perf_txn_fn fn, void *payload, bool *committed, struct perf_error *err)
{
	struct perf_txn txn;
	struct perf_buf msg = PERF_BUF_INIT;
	const struct perf_identity *who;
	git_signature *author = NULL, *committer = NULL;
	git_tree_update *updates = NULL;
	git_commit *head = NULL;
	struct perf_index idx;
	git_tree *tree = NULL;
	git_oid tree_id, commit_id;
	int lockfd = -1, rc, attempt;
	bool moved = false;

	memset(&txn, 0, sizeof(txn));
	txn.repo = repo;
	if ((rc = perf_repo_identity(repo, &who, err)))
		return rc;
	if ((rc = check_index_format(repo, err)))
		return rc;
	/* A commit that cannot be signed fails before anything is written. */
	if ((rc = perf_sign_check(repo->git, err)))
		return rc;
	if ((rc = take_write_lock(repo, &lockfd, err)))
		return rc;
	memset(&idx, 0, sizeof(idx));
	idx.lockfd = -1;
	if ((rc = recover(repo, err)))
		goto out;
	if ((rc = make_signature(&author, "GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_AUTHOR_DATE", who, err)) ||
	    (rc = make_signature(&committer, "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "GIT_COMMITTER_DATE", who,
	                         err)))
		goto out;

	for (attempt = 0;; attempt++) {
		git_commit_free(head);
		head = NULL;
		txn_reset(&txn);
		if ((rc = head_tree(repo, &head, &txn.base, err)))
			goto out;
		if ((rc = fn(&txn, payload, err)))
			goto out;
		if (txn.n == 0) {
			if (committed)
				*committed = false;
			goto out;
		}
		/* git's own lock on the index, held until the index is written: a
		 * running git waits for perf as perf waits for it. */
		perf_index_rollback(&idx);
		if ((rc = perf_index_lock(&idx, git_repository_path(repo->git), INDEX_LOCK_WAIT_MS, err))) {
			if (rc == PERF_ENOTFOUND)
				rc = perf_error(err, PERF_EINVALID,
				                "this repository's index is version 4, which perf does not update; run "
				                "'git update-index --index-version 3'");
			goto out;
		}
		if ((rc = pending_write(&txn, &idx, head, NULL, err)))
			goto out;
		free(updates);
		updates = calloc(txn.n, sizeof(*updates));
		if (!updates) {
			rc = perf_error(err, PERF_ENOMEM, "out of memory");
			goto out;
		}
		for (size_t i = 0; i < txn.n; i++) {
			struct change *c = &txn.changes[i];
			if ((rc = prepare_dirs(repo->workdir, c->path, err)) ||
			    (rc = check_worktree(&txn, &idx, c, err)))
				goto out;
			updates[i].path = c->path;
			if (c->data) {
				if (git_blob_create_from_buffer(&c->id, repo->git, c->data, c->len) < 0) {
					rc = perf_error_git(err, "cannot store '%s'", c->path);
					goto out;
				}
				updates[i].action = GIT_TREE_UPDATE_UPSERT;
				updates[i].id = c->id;
				updates[i].filemode = GIT_FILEMODE_BLOB;
				if ((rc = write_temp(repo, c, err)))
					goto out;
			} else {
				updates[i].action = GIT_TREE_UPDATE_REMOVE;
			}
		}
		if (txn.base) {
			if (git_tree_create_updated(&tree_id, repo->git, txn.base, txn.n, updates) < 0) {
				rc = perf_error_git(err, "cannot build the new tree");
				goto out;
			}
		} else {
			git_treebuilder *tb = NULL;
			git_tree *empty = NULL;
			git_oid empty_id;
			int r = git_treebuilder_new(&tb, repo->git, NULL);
			if (r == 0)
				r = git_treebuilder_write(&empty_id, tb);
			git_treebuilder_free(tb);
			if (r == 0)
				r = git_tree_lookup(&empty, repo->git, &empty_id);
			if (r == 0)
				r = git_tree_create_updated(&tree_id, repo->git, empty, txn.n, updates);
			git_tree_free(empty);
			if (r < 0) {
				rc = perf_error_git(err, "cannot build the first tree");
				goto out;
			}
		}
		if (txn.base && git_oid_equal(&tree_id, git_tree_id(txn.base))) {
			/* Nothing changed after all (the same bytes were written). */
			if (committed)
				*committed = false;
			goto out;
		}
		git_tree_free(tree);
		tree = NULL;
		if (git_tree_lookup(&tree, repo->git, &tree_id) < 0) {
			rc = perf_error_git(err, "cannot read the new tree");
			goto out;
		}
		if ((rc = build_message(&txn, &msg, err)))
			goto out;
		{
			const git_commit *parents[1] = {head};
			/* Signed when git config asks for it; nothing is committed when signing fails. */
			int r = perf_sign_commit(&commit_id, repo->git, NULL, author, committer, msg.ptr, tree,
			                         head ? 1 : 0, parents, err);
			if (!r && repo->guard)
				r = repo->guard(repo->git, head ? git_commit_id(head) : NULL, &commit_id,
				                repo->guard_payload, err);
			/* The branch moving is the commit point: the record names the commit first. */
			if (!r && !(r = pending_write(&txn, &idx, head, &commit_id, err))) {
#ifdef PERF_TEST_BUILD
				perf_test_delay("PERF_TEST_DELAY_BEFORE_COMMIT");
#endif
				r = perf_sign_move_ref(repo->git, "HEAD", &commit_id, head ? git_commit_id(head) : NULL,
				                       msg.ptr, false, err);
			}
			if (r == GIT_EMODIFIED && attempt + 1 < WRITE_ATTEMPTS) {
				git_error_clear();
				perf_index_rollback(&idx);
				sleep_ms(1 + rand() % 20);
				continue;
			}
			if (r) {
				rc = r == GIT_EMODIFIED
				         ? perf_error(err, PERF_ECONFLICT,
				                      "HEAD kept moving while perf was writing; try again")
				         : r;
				goto out;
			}
		}
		moved = true;
		break;
	}
#ifdef PERF_TEST_BUILD
	perf_test_delay("PERF_TEST_DELAY_AFTER_COMMIT");
#endif
	if (committed)
		*committed = true;
	if ((rc = apply_worktree(&txn, &idx, err)))
		perf_error_prefix(err,
		                  "committed %.12s, but the work tree is not in line (perf's next write will "
		                  "bring it in line)",
		                  git_oid_tostr_s(&commit_id));
	else
		moved = false; /* done: nothing left to finish */
out:
	if (lockfd >= 0 && !moved)
		pending_remove(repo);
	txn_release(&txn);
	free(updates);
	git_tree_free(tree);
	git_commit_free(head);
	perf_index_rollback(&idx);
	git_signature_free(author);
	git_signature_free(committer);
	perf_buf_release(&msg);
	if (lockfd >= 0)
		close(lockfd);
	return rc;
}

void perf_repo_set_guard(struct perf_repo *repo, perf_repo_guard_fn fn, void *payload)
{
	repo->guard = fn;
	repo->guard_payload = payload;
}

int perf_repo_lock(struct perf_repo *repo, int *fd, struct perf_error *err)
{
	int rc = take_write_lock(repo, fd, err);

	if (!rc && (rc = recover(repo, err))) {
		close(*fd);
		*fd = -1;
	}
	return rc;
}

void perf_repo_unlock(int fd)
{
	if (fd >= 0)
		close(fd);
}

int perf_repo_signatures(struct perf_repo *repo, git_signature **author, git_signature **committer,
                         struct perf_error *err)
{
	const struct perf_identity *who;
	int rc;

	*author = *committer = NULL;
	if ((rc = perf_repo_identity(repo, &who, err)))
		return rc;
	if ((rc = make_signature(author, "GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_AUTHOR_DATE", who, err)))
		return rc;
	if ((rc = make_signature(committer, "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "GIT_COMMITTER_DATE", who,
	                         err))) {
		git_signature_free(*author);
		*author = NULL;
	}
	return rc;
}

int perf_repo_perf_dir(struct perf_repo *repo, struct perf_buf *out, struct perf_error *err)
{
	if (gitdir_path(repo, out, "perf"))
		return perf_error(err, PERF_ENOMEM, "out of memory");
	if (mkdir(out->ptr, 0777) < 0 && errno != EEXIST)
		return perf_error_sys(err, "cannot make '%s'", out->ptr);
	return 0;
}

int perf_repo_adopt(struct perf_repo **out, git_repository *g, struct perf_error *err)
{
	struct perf_repo *repo;

	*out = NULL;
	if (!(repo = calloc(1, sizeof(*repo)))) {
		git_repository_free(g);
		return perf_error(err, PERF_ENOMEM, "out of memory");
	}
	repo->git = g;
	repo->source = PERF_FOUND_OPTION;
	if (!(repo->workdir = strdup(git_repository_workdir(g)))) {
		perf_repo_free(repo);
		return perf_error(err, PERF_ENOMEM, "out of memory");
	}
	*out = repo;
	return 0;
}

int perf_repo_perf_file_write(struct perf_repo *repo, const char *name, const char *data, size_t len,
                              struct perf_error *err)
{
	struct perf_buf path = PERF_BUF_INIT;
	int rc = perf_repo_perf_dir(repo, &path, err);

	if (!rc && perf_buf_printf(&path, "/%s", name))
		rc = perf_error(err, PERF_ENOMEM, "out of memory");
	if (!rc && perf_repo_write_file(path.ptr, data, len) < 0)
		rc = perf_error_sys(err, "cannot write '%s'", path.ptr);
	perf_buf_release(&path);
	return rc;
}

void perf_repo_perf_file_remove(struct perf_repo *repo, const char *name)
{
	struct perf_buf path = PERF_BUF_INIT;

	if (gitdir_path(repo, &path, "perf/") == 0 && perf_buf_puts(&path, name) == 0)
		unlink(path.ptr);
	perf_buf_release(&path);
}

/* --- init ---------------------------------------------------------------- */

static int init_txn(struct perf_txn *txn, void *payload, struct perf_error *err)
{
	const struct perf_file *files = ((const void *const *)payload)[0];
	size_t n = *(const size_t *)((const void *const *)payload)[1];
	const char *message = ((const void *const *)payload)[2];
	int rc;

	if (perf_txn_exists(txn, CONFIG_PATH))
		return perf_error(err, PERF_EEXISTS, "this is already a perf repository");
	for (size_t i = 0; i < n; i++)
		if ((rc = perf_txn_put(txn, files[i].path, files[i].data, files[i].len, err)))
			return rc;
	return perf_txn_subject(txn, err, "%s", message);
}

int perf_repo_init(struct perf_repo **out, const char *dir, const struct perf_file *files, size_t nfiles,
                   const char *message, perf_notice_fn notice_fn, void *notice_payload, struct perf_error *err)
{
	git_repository_init_options opts;
	struct perf_repo *repo;
	const void *payload[3] = {files, &nfiles, message};
	git_repository *g = NULL;
	int rc;

	*out = NULL;
	git_repository_init_options_init(&opts, GIT_REPOSITORY_INIT_OPTIONS_VERSION);
	if (git_repository_open_ext(&g, dir, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) == 0) {
		const char *wd = git_repository_workdir(g);
		if (!wd) {
			git_repository_free(g);
			return perf_error(err, PERF_EINVALID, "'%s' is a bare repository; perf needs a work tree", dir);
		}
		if (is_perf_workdir(wd)) {
			git_repository_free(g);
			return perf_error(err, PERF_EEXISTS, "'%s' is already a perf repository", dir);
		}
	} else {
		opts.flags = GIT_REPOSITORY_INIT_MKPATH;
		opts.initial_head = "main";
		if (git_repository_init_ext(&g, dir, &opts) < 0)
			return perf_error_git(err, "cannot create a repository in '%s'", dir);
	}
	if ((rc = perf_repo_adopt(&repo, g, err)))
		return rc;
	perf_repo_set_notice(repo, notice_fn, notice_payload);
	if ((rc = perf_repo_write(repo, init_txn, (void *)payload, NULL, err))) {
		perf_repo_free(repo);
		return rc;
	}
	*out = repo;
	return 0;
}

int perf_tree_entry_next(const unsigned char **p, const unsigned char *end, struct perf_tree_entry *e)
{
	const unsigned char *at = *p, *sp, *nul;

	if (at >= end)
		return 0;
	if (!(sp = memchr(at, ' ', (size_t)(end - at))) || !(nul = memchr(sp, 0, (size_t)(end - sp))) ||
	    (size_t)(end - nul) < 1 + GIT_OID_RAWSZ)
		return -1;
	e->is_tree = sp - at == 5 && !memcmp(at, "40000", 5);
	e->is_blob = sp - at == 6 && (!memcmp(at, "100644", 6) || !memcmp(at, "100755", 6) || !memcmp(at, "120000", 6));
	e->name = (const char *)sp + 1;
	e->len = (size_t)(nul - sp - 1);
	e->id = nul + 1;
	*p = nul + 1 + GIT_OID_RAWSZ;
	return 1;
}
