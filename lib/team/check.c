/*
 * Checking a repository's documents (see check.h).
 *
 * By default the tree committed at HEAD is checked: it is walked once and
 * every blob read once by its id.  With paths, or on request, the files in
 * the working tree are checked instead, since that is where people edit by
 * hand before they commit.  Nothing is ever written.
 */
#include "check.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

#include <git2.h>

#include "buf.h"
#include "doc.h"
#include "schema.h"
#include "strv.h"
#include "validate.h"
#include "repo.h"
#include "repo-internal.h"

/* A file to check: its repository-relative path and where its bytes are. */
struct entry {
	char *path;
	git_oid id; /* HEAD: the blob */
	bool link;  /* a symbolic link, not a file */
};

/* One thread's share of the work: its own repository handle, buffer and problems. */
struct worker {
	struct perf_check *c;
	git_repository *git; /* NULL when reading the working tree */
	git_odb *odb;
	bool own_git;
	struct perf_buf buf; /* file contents, reused */
	struct perf_check_problem *p;
	size_t np, pcap;
	size_t checked;
	const char *cur; /* the path being checked */
	bool oom;
	pthread_t thread;
};

struct perf_check {
	git_repository *git;
	git_index *index;    /* worktree walks: tells tracked from untracked */
	const char *workdir; /* absolute, ends with '/' */
	bool worktree;       /* bytes come from the working tree, not HEAD */
	bool complete;       /* entries hold every document: existence is a lookup */
	struct entry *v;
	size_t n, cap;
	atomic_size_t next;      /* the next entry a worker takes */
	struct perf_strv groups; /* group names in .perf/config.yaml */
	struct perf_validate_env env;
	struct worker w[8]; /* w[0] ends up holding every problem */
};

/* ---- problems ---- */

static void add_problem(struct worker *w, const char *path, size_t line, size_t col, const char *msg)
{
	if (w->np == w->pcap) {
		size_t cap = w->pcap ? w->pcap * 2 : 64;
		struct perf_check_problem *p = realloc(w->p, cap * sizeof(*p));
		if (!p) {
			w->oom = true;
			return;
		}
		w->p = p;
		w->pcap = cap;
	}
	w->p[w->np].path = path;
	w->p[w->np].line = line ? line : 1;
	w->p[w->np].col = col ? col : 1;
	w->p[w->np].seq = w->np;
	if (!(w->p[w->np].msg = strdup(msg))) {
		w->oom = true;
		return;
	}
	w->np++;
}

/* A problem with the file itself, not with what it says: at 1:1. */
static void problemf(struct worker *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void problemf(struct worker *w, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	add_problem(w, w->cur, 1, 1, msg);
}

static void report(void *payload, const char *path, size_t line, size_t col, const char *message)
{
	struct worker *w = payload;

	(void)path;
	add_problem(w, w->cur, line, col, message);
}

static int cmp_problem(const void *a, const void *b)
{
	const struct perf_check_problem *x = a, *y = b;
	int d = strcmp(x->path, y->path);

	if (d)
		return d;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* ---- which files are documents ---- */

/* The first component of path is a folder perf keeps documents in. */
static bool perf_folder(const char *s, size_t n)
{
	const struct perf_schema_kind *const *k;

	if (n == 5 && !memcmp(s, ".perf", 5))
		return true;
	for (k = perf_schema_kinds(); *k; k++) {
		const char *p = (*k)->pattern;
		size_t pn = strcspn(p, "/");
		if (p[0] != '{' && pn == n && !memcmp(p, s, n))
			return true;
	}
	return false;
}

/*
 * Documents are .md files in perf's folders, and the config.  The exact
 * test is perf_schema_match_path's, made once per file in check_entry;
 * this one only keeps the list short.
 */
static bool is_candidate(const char *path)
{
	size_t n = strlen(path);

	if (!strncmp(path, ".perf/", 6))
		return !strcmp(path, ".perf/config.yaml");
	return n > 3 && !strcmp(path + n - 3, ".md") && strchr(path, '/') && perf_folder(path, strcspn(path, "/"));
}

static int add_entry(struct perf_check *c, const char *path, const git_oid *id, bool link)
{
	if (perf_array_grow((void **)&c->v, &c->cap, c->n, sizeof(*c->v), 1024))
		return PERF_ENOMEM;
	memset(&c->v[c->n], 0, sizeof(c->v[c->n]));
	if (!(c->v[c->n].path = strdup(path)))
		return PERF_ENOMEM;
	if (id)
		git_oid_cpy(&c->v[c->n].id, id);
	c->v[c->n].link = link;
	c->n++;
	return 0;
}

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->path, ((const struct entry *)b)->path);
}

/* Sorts the entries and drops duplicates (a folder and a file in it, both named). */
static void sort_entries(struct perf_check *c)
{
	size_t i, k = 0;

	/* HEAD's tree comes in path order already; sorting it again costs 3%. */
	for (i = 1; i < c->n; i++)
		if (strcmp(c->v[i - 1].path, c->v[i].path) > 0)
			break;
	if (i < c->n)
		qsort(c->v, c->n, sizeof(*c->v), cmp_entry);
	for (i = 0; i < c->n; i++) {
		if (k && !strcmp(c->v[k - 1].path, c->v[i].path)) {
			free(c->v[i].path);
			continue;
		}
		c->v[k++] = c->v[i];
	}
	c->n = k;
}

/* ---- HEAD ---- */

struct walk {
	struct perf_check *c;
	int rc;
};

static int walk_head(const char *root, const git_tree_entry *te, void *payload)
{
	struct walk *w = payload;
	const char *name = git_tree_entry_name(te);
	git_filemode_t mode = git_tree_entry_filemode(te);
	char path[PERF_SCHEMA_PATH_MAX * 2 + 2];

	if (!*root && mode == GIT_FILEMODE_TREE)
		return perf_folder(name, strlen(name)) ? 0 : 1; /* skip folders perf does not use */
	if (mode == GIT_FILEMODE_TREE || mode == GIT_FILEMODE_COMMIT)
		return 0;
	if ((size_t)snprintf(path, sizeof(path), "%s%s", root, name) >= sizeof(path))
		return 0; /* longer than any document path */
	if (!is_candidate(path))
		return 0;
	if (add_entry(w->c, path, git_tree_entry_id(te), mode == GIT_FILEMODE_LINK)) {
		w->rc = PERF_ENOMEM;
		return -1;
	}
	return 0;
}

static int collect_head(struct perf_check *c, struct perf_error *err)
{
	git_object *obj = NULL;
	git_tree *tree = NULL;
	struct walk w = {c, 0};
	int rc = 0;

	rc = git_revparse_single(&obj, c->git, "HEAD^{tree}");
	if (rc == GIT_ENOTFOUND || rc == GIT_EUNBORNBRANCH) {
		git_error_clear();
		return 0; /* nothing committed yet: nothing to check */
	}
	if (rc < 0)
		return perf_error_git(err, "cannot read HEAD");
	tree = (git_tree *)obj;
	if (git_tree_walk(tree, GIT_TREEWALK_PRE, walk_head, &w) < 0 && !w.rc)
		rc = perf_error_git(err, "cannot walk HEAD's tree");
	else if (w.rc)
		rc = perf_error(err, PERF_ENOMEM, "out of memory");
	git_tree_free(tree);
	return rc;
}

/* ---- the working tree ---- */

/* An untracked file git ignores is not checked (editor backups, drafts). */
static bool ignored(struct perf_check *c, const char *path)
{
	int ign = 0;

	if (c->index && git_index_get_bypath(c->index, path, 0))
		return false;
	if (git_ignore_path_is_ignored(&ign, c->git, path) < 0) {
		git_error_clear();
		return false;
	}
	return ign != 0;
}

/* Walks the folder rel ("" for the root, else ending with '/'). */
static int walk_dir(struct perf_check *c, char *rel, size_t rlen, size_t cap, struct perf_error *err)
{
	char full[PATH_MAX];
	DIR *d;
	struct dirent *de;
	int rc = 0;

	if ((size_t)snprintf(full, sizeof(full), "%s%s", c->workdir, rel) >= sizeof(full))
		return 0;
	if (!(d = opendir(full))) {
		if (errno == ENOENT || errno == ENOTDIR)
			return 0;
		return perf_error_sys(err, "cannot read the folder '%s'", rlen ? rel : ".");
	}
	while (!rc && (errno = 0, de = readdir(d))) {
		const char *name = de->d_name;
		size_t n = strlen(name);
		unsigned char type = de->d_type;

		if (!strcmp(name, ".") || !strcmp(name, "..") || !strcmp(name, ".git"))
			continue;
		if (rlen + n + 2 > cap)
			continue; /* longer than any document path */
		memcpy(rel + rlen, name, n + 1);
		if (type == DT_UNKNOWN) {
			struct stat st;
			snprintf(full, sizeof(full), "%s%s", c->workdir, rel);
			if (lstat(full, &st))
				continue;
			type = S_ISDIR(st.st_mode)   ? DT_DIR
			       : S_ISLNK(st.st_mode) ? DT_LNK
			       : S_ISREG(st.st_mode) ? DT_REG
			                             : 0;
		}
		if (type == DT_DIR) {
			if (!rlen && !perf_folder(name, n))
				continue;
			rel[rlen + n] = '/';
			rel[rlen + n + 1] = '\0';
			rc = walk_dir(c, rel, rlen + n + 1, cap, err);
		} else if ((type == DT_REG || type == DT_LNK) && is_candidate(rel) && !ignored(c, rel)) {
			if (add_entry(c, rel, NULL, type == DT_LNK))
				rc = perf_error(err, PERF_ENOMEM, "out of memory");
		}
		rel[rlen] = '\0';
	}
	if (!rc && errno)
		rc = perf_error_sys(err, "cannot read the folder '%s'", rlen ? rel : ".");
	closedir(d);
	return rc;
}

static int collect_worktree(struct perf_check *c, const char *under, struct perf_error *err)
{
	char rel[PERF_SCHEMA_PATH_MAX * 2 + 2];
	size_t n = strlen(under);

	if (n + 2 > sizeof(rel))
		return 0;
	memcpy(rel, under, n + 1);
	if (n && rel[n - 1] != '/') {
		rel[n++] = '/';
		rel[n] = '\0';
	}
	return walk_dir(c, rel, n, sizeof(rel), err);
}

/*
 * A path named on the command line, relative to the current folder (or to
 * -C DIR), made relative to the repository.  Paths outside it are refused.
 * Symbolic links are followed in the folders leading to it, not in its last
 * component, so a document that is a link is reported as one.
 */
static int add_operand(struct perf_check *c, const char *base, const char *arg, struct perf_error *err)
{
	char joined[PATH_MAX], dir[PATH_MAX], real[PATH_MAX], root[PATH_MAX];
	const char *leaf, *rel;
	struct stat st;
	size_t rn;
	int w;

	if (arg[0] != '/' && base)
		w = snprintf(joined, sizeof(joined), "%s/%s", base, arg);
	else
		w = snprintf(joined, sizeof(joined), "%s", arg);
	if (w < 0 || (size_t)w >= sizeof(joined))
		return perf_error(err, PERF_EINVALID, "'%s' is too long", arg);
	while (w > 1 && joined[w - 1] == '/')
		joined[--w] = '\0';
	leaf = strrchr(joined, '/');
	if (leaf && leaf != joined)
		snprintf(dir, sizeof(dir), "%.*s", (int)(leaf - joined), joined);
	else
		snprintf(dir, sizeof(dir), "%s", leaf ? "/" : ".");
	leaf = leaf ? leaf + 1 : joined;
	if (!realpath(dir, real))
		return perf_error_sys(err, "cannot check '%s'", arg);
	if (*leaf && strcmp(leaf, ".") && strcmp(leaf, "..")) {
		size_t n = strlen(real);
		if (n + 1 + strlen(leaf) >= sizeof(real))
			return perf_error(err, PERF_EINVALID, "'%s' is too long", arg);
		snprintf(real + n, sizeof(real) - n, "%s%s", n > 1 ? "/" : "", leaf);
	} else if (!realpath(joined, real)) {
		return perf_error_sys(err, "cannot check '%s'", arg);
	}
	if (lstat(real, &st))
		return perf_error_sys(err, "cannot check '%s'", arg);
	if (!realpath(c->workdir, root))
		return perf_error_sys(err, "cannot find the repository's folder '%s'", c->workdir);
	rn = strlen(root);
	if (strncmp(real, root, rn) || (real[rn] && real[rn] != '/'))
		return perf_error(err, PERF_EINVALID, "'%s' is outside the repository (%s)", arg, root);
	rel = real + rn;
	while (*rel == '/')
		rel++;
	if (!strcmp(rel, ".git") || !strncmp(rel, ".git/", 5))
		return perf_error(err, PERF_EINVALID, "'%s' is inside .git, not the working tree", arg);
	if (S_ISDIR(st.st_mode))
		return collect_worktree(c, rel, err);
	if (is_candidate(rel) && add_entry(c, rel, NULL, S_ISLNK(st.st_mode)))
		return perf_error(err, PERF_ENOMEM, "out of memory");
	return 0;
}

/* ---- existence ---- */

/* perf_validate_env's exists: a lookup in the list when it is complete, else the working tree. */
static bool exists(void *payload, const char *path)
{
	const struct perf_check *c = payload;

	if (c->complete) {
		struct entry key = {.path = (char *)path};
		return bsearch(&key, c->v, c->n, sizeof(*c->v), cmp_entry) != NULL;
	}
	if (c->worktree) {
		char full[PATH_MAX];
		struct stat st;
		if ((size_t)snprintf(full, sizeof(full), "%s%s", c->workdir, path) >= sizeof(full))
			return false;
		return lstat(full, &st) == 0 && S_ISREG(st.st_mode);
	}
	return false;
}

/* ---- reading ---- */

static int read_entry(struct worker *w, const struct entry *e, struct perf_error *err)
{
	const struct perf_check *c = w->c;

	perf_buf_truncate(&w->buf, 0);
	if (!c->worktree) {
		git_odb_object *obj = NULL;
		int rc = 0;
		/* Straight from the object database: no object cache, nothing kept. */
		if (!w->odb && git_repository_odb(&w->odb, w->git) < 0)
			return perf_error_git(err, "cannot open the object database");
		if (git_odb_read(&obj, w->odb, &e->id) < 0)
			return perf_error_git(err, "cannot read the blob");
		if (perf_buf_add(&w->buf, git_odb_object_data(obj), git_odb_object_size(obj)))
			rc = perf_error(err, PERF_ENOMEM, "out of memory");
		git_odb_object_free(obj);
		return rc;
	}
	char full[PATH_MAX];
	struct stat st;
	int fd;

	snprintf(full, sizeof(full), "%s%s", c->workdir, e->path);
	if ((fd = open(full, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return perf_error_sys(err, "cannot read it");
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return perf_error(err, PERF_EINVALID, "not a regular file");
	}
	/* Read a little past the limit, so the parser can tell the size. */
	for (;;) {
		ssize_t got;
		if (perf_buf_grow(&w->buf, 65536)) {
			close(fd);
			return perf_error(err, PERF_ENOMEM, "out of memory");
		}
		got = read(fd, w->buf.ptr + w->buf.len, w->buf.cap - w->buf.len - 1);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			close(fd);
			return perf_error_sys(err, "cannot read it");
		}
		if (got == 0 || w->buf.len > PERF_DOC_MAX_FILE + 1)
			break;
		w->buf.len += (size_t)got;
		w->buf.ptr[w->buf.len] = '\0';
	}
	close(fd);
	return 0;
}

/* ---- one document ---- */

/* Symbolic links and reading are for here; what the bytes say is perf_validate_doc's. */
static void check_entry(struct worker *w, const struct entry *e)
{
	struct perf_error err;

	w->cur = e->path;
	if (!perf_validate_is_doc(e->path))
		return; /* outside perf's folders after all */
	w->checked++;
	if (e->link) {
		problemf(w, "is a symbolic link; documents must be regular files");
		return;
	}
	if (read_entry(w, e, &err)) {
		problemf(w, "%s", err.msg);
		return;
	}
	perf_validate_doc(e->path, perf_buf_cstr(&w->buf), w->buf.len, &w->c->env, report, w);
}

/* The group names in .perf/config.yaml, when it can be read, for people's `group`. */
static void load_groups(struct worker *w)
{
	struct perf_check *c = w->c;
	struct entry key = {.path = (char *)".perf/config.yaml"}, *e = NULL;
	struct perf_doc *doc = NULL;

	if (c->complete) {
		if (!(e = bsearch(&key, c->v, c->n, sizeof(*c->v), cmp_entry)))
			return;
	} else {
		e = &key; /* paths given: read it from the working tree */
	}
	if (e->link || read_entry(w, e, NULL) ||
	    perf_schema_parse(&doc, perf_schema_kind("config"), perf_buf_cstr(&w->buf), w->buf.len, e->path, NULL))
		return;
	if (perf_validate_has_groups(doc)) {
		c->env.groups = &c->groups;
		if (perf_validate_groups(doc, &c->groups))
			w->oom = true;
	}
	perf_doc_free(doc);
}

static size_t files_with_problems(const struct worker *w)
{
	size_t files = 0;

	for (size_t i = 0; i < w->np; i++)
		if (i == 0 || strcmp(w->p[i].path, w->p[i - 1].path))
			files++;
	return files;
}

static void worker_release(struct worker *w)
{
	for (size_t i = 0; i < w->np; i++)
		free(w->p[i].msg);
	free(w->p);
	w->p = NULL;
	w->np = w->pcap = 0;
	perf_buf_release(&w->buf);
	git_odb_free(w->odb);
	w->odb = NULL;
	if (w->own_git)
		git_repository_free(w->git);
	w->git = NULL;
}

static void release(struct perf_check *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->v[i].path);
	free(c->v);
	git_index_free(c->index);
	perf_strv_release(&c->groups);
}

/* Entries are taken in runs, so a worker reads neighbours (and their deltas) together. */
#define CHUNK 64

static void *work(void *payload)
{
	struct worker *w = payload;
	struct perf_check *c = w->c;

	for (;;) {
		size_t at = atomic_fetch_add(&c->next, CHUNK);
		if (at >= c->n)
			break;
		for (size_t i = at; i < at + CHUNK && i < c->n && !w->oom; i++)
			check_entry(w, &c->v[i]);
	}
	return NULL;
}

/* Threads to use: one per processor, for repositories big enough to gain from it. */
static size_t nworkers(const struct perf_check *c)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	size_t n = cpus > 1 ? (size_t)cpus : 1;

	if (!(git_libgit2_features() & GIT_FEATURE_THREADS))
		return 1;
	if (n > 8)
		n = 8;
	while (n > 1 && c->n / n < 500)
		n--;
	return n;
}

/* Checks every entry in nw workers; w[0] runs here and ends up holding every problem, sorted. */
static int run_workers(struct perf_check *c, struct worker *w, size_t nw, struct perf_error *err)
{
	size_t started = 1, total = 0;
	int rc = 0;

	for (size_t i = 1; i < nw; i++) {
		w[i].c = c;
		if (!c->worktree) {
			if (git_repository_open(&w[i].git, git_repository_path(c->git)) < 0) {
				git_error_clear();
				break; /* fewer threads then */
			}
			w[i].own_git = true;
		}
		if (pthread_create(&w[i].thread, NULL, work, &w[i])) {
			worker_release(&w[i]);
			break;
		}
		started++;
	}
	work(&w[0]);
	for (size_t i = 1; i < started; i++)
		pthread_join(w[i].thread, NULL);
	for (size_t i = 0; i < started; i++) {
		total += w[i].np;
		if (w[i].oom)
			rc = PERF_ENOMEM;
	}
	if (!rc && total > w[0].pcap) {
		struct perf_check_problem *p = realloc(w[0].p, total * sizeof(*p));
		if (!p)
			rc = PERF_ENOMEM;
		else
			w[0].p = p, w[0].pcap = total;
	}
	for (size_t i = 1; i < started; i++) {
		if (!rc && w[i].np) {
			memcpy(w[0].p + w[0].np, w[i].p, w[i].np * sizeof(*w[i].p));
			w[0].np += w[i].np;
			w[i].np = 0;
		}
		w[0].checked += w[i].checked;
		worker_release(&w[i]);
	}
	if (rc)
		return perf_error(err, PERF_ENOMEM, "out of memory");
	if (w[0].np > 1)
		qsort(w[0].p, w[0].np, sizeof(*w[0].p), cmp_problem);
	return 0;
}

int perf_check_new(struct perf_check **out, struct perf_repo *repo, bool worktree, struct perf_error *err)
{
	struct perf_check *c;

	*out = NULL;
	if (worktree && !repo->workdir)
		return perf_error(err, PERF_EINVALID, "the repository has no working tree to check");
	if (!(c = calloc(1, sizeof(*c))))
		return perf_error(err, PERF_ENOMEM, "out of memory");
	c->git = repo->git;
	c->workdir = repo->workdir;
	c->worktree = worktree;
	c->env.exists = exists;
	c->env.payload = c;
	c->w[0].c = c;
	c->w[0].git = c->git;
	if (worktree && git_repository_index(&c->index, c->git) < 0) {
		perf_check_free(c);
		return perf_error_git(err, "cannot read the index");
	}
	*out = c;
	return 0;
}

void perf_check_free(struct perf_check *c)
{
	if (!c)
		return;
	worker_release(&c->w[0]);
	release(c);
	free(c);
}

int perf_check_add_path(struct perf_check *c, const char *base, const char *arg, struct perf_error *err)
{
	return add_operand(c, base, arg, err);
}

int perf_check_add_all(struct perf_check *c, struct perf_error *err)
{
	c->complete = true;
	return c->worktree ? collect_worktree(c, "", err) : collect_head(c, err);
}

int perf_check_run(struct perf_check *c, struct perf_error *err)
{
	sort_entries(c);
	/*
	 * Reading 100,000 blobs, re-hashing each costs a tenth of the run; git
	 * does not re-hash what it reads either (git fsck is for that).
	 */
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
	load_groups(&c->w[0]);
	if (c->w[0].oom || run_workers(c, c->w, nworkers(c), err))
		return perf_error(err, PERF_ENOMEM, "out of memory");
	return 0;
}

size_t perf_check_nproblems(const struct perf_check *c)
{
	return c->w[0].np;
}

const struct perf_check_problem *perf_check_problem(const struct perf_check *c, size_t i)
{
	return i < c->w[0].np ? &c->w[0].p[i] : NULL;
}

size_t perf_check_checked(const struct perf_check *c)
{
	return c->w[0].checked;
}

size_t perf_check_files(const struct perf_check *c)
{
	return files_with_problems(&c->w[0]);
}
