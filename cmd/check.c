/*
 * perf check [PATH...]: validate documents against their schema, the layout
 * and each other, and print problems like a compiler does.
 *
 * By default the tree committed at HEAD is checked: it is walked once and
 * every blob read once by its id.  With --worktree, or when paths are given,
 * the files in the working tree are checked instead, since that is where
 * people edit by hand before they commit.  Nothing is ever written.
 */
#include "perf.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <git2.h>

#include "buf.h"
#include "doc.h"
#include "schema.h"
#include "store.h"
#include "value.h"

static const struct perf_opt check_opts[] = {
	{"worktree", 'w', NULL, "check the files in the working tree instead of HEAD"},
	{"quiet", 'q', NULL, "print nothing; only the exit status tells"},
	{"json", 0, NULL, "print a JSON object (as 'perf --json check')"},
	{NULL, 0, NULL, NULL},
};

/* A file to check: its repository-relative path and where its bytes are. */
struct entry {
	char *path;
	git_oid id;    /* HEAD: the blob */
	bool link;     /* a symbolic link, not a file */
	bool explicit; /* named on the command line */
};

struct problem {
	const char *path; /* borrowed from the entry */
	size_t line, col, seq;
	char *msg;
};

struct check {
	git_repository *git;
	git_index *index;     /* worktree walks: tells tracked from untracked */
	const char *workdir;  /* absolute, ends with '/' */
	bool worktree;        /* bytes come from the working tree, not HEAD */
	bool complete;        /* entries hold every document: existence is a lookup */
	struct entry *v;
	size_t n, cap;
	struct problem *p;
	size_t np, pcap;
	size_t checked;
	const char *cur;      /* the path being checked */
	struct perf_strv groups; /* group names in .perf/config.yaml */
	bool have_groups;
	struct perf_buf buf;  /* file contents, reused */
	bool oom;
};

/* ---- problems ---- */

static void add_problem(struct check *c, const char *path, size_t line, size_t col, const char *msg)
{
	if (c->np == c->pcap) {
		size_t cap = c->pcap ? c->pcap * 2 : 64;
		struct problem *p = realloc(c->p, cap * sizeof(*p));
		if (!p) {
			c->oom = true;
			return;
		}
		c->p = p;
		c->pcap = cap;
	}
	c->p[c->np].path = path;
	c->p[c->np].line = line ? line : 1;
	c->p[c->np].col = col ? col : 1;
	c->p[c->np].seq = c->np;
	if (!(c->p[c->np].msg = strdup(msg))) {
		c->oom = true;
		return;
	}
	c->np++;
}

static void problemf(struct check *c, const struct perf_node *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void problemf(struct check *c, const struct perf_node *at, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	add_problem(c, c->cur, at ? at->line : 1, at ? at->col : 1, msg);
}

static void report(void *payload, const char *path, size_t line, size_t col, const char *message)
{
	struct check *c = payload;

	(void)path;
	add_problem(c, c->cur, line, col, message);
}

/* A library message "name:line:col: text" becomes a problem at line:col. */
static void add_error(struct check *c, const char *msg)
{
	size_t nlen = strlen(c->cur), line = 1, col = 1;
	const char *p = msg;
	char *end;

	if (!strncmp(msg, c->cur, nlen) && msg[nlen] == ':') {
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
	add_problem(c, c->cur, line, col, p);
}

static int cmp_problem(const void *a, const void *b)
{
	const struct problem *x = a, *y = b;
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

/* Documents are .md files in perf's folders, and the config. */
static bool is_candidate(const char *path)
{
	size_t n = strlen(path);
	struct perf_error err;

	if (!strcmp(path, ".perf/config.yaml"))
		return true;
	if (n < 4 || strcmp(path + n - 3, ".md"))
		return false;
	return perf_schema_match_path(NULL, path, &err) != PERF_ENOTFOUND;
}

static int add_entry(struct check *c, const char *path, const git_oid *id, bool link, bool explicit)
{
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 1024;
		struct entry *v = realloc(c->v, cap * sizeof(*v));
		if (!v)
			return PERF_ENOMEM;
		c->v = v;
		c->cap = cap;
	}
	memset(&c->v[c->n], 0, sizeof(c->v[c->n]));
	if (!(c->v[c->n].path = strdup(path)))
		return PERF_ENOMEM;
	if (id)
		git_oid_cpy(&c->v[c->n].id, id);
	c->v[c->n].link = link;
	c->v[c->n].explicit = explicit;
	c->n++;
	return 0;
}

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->path, ((const struct entry *)b)->path);
}

/* Sorts the entries and drops duplicates (a folder and a file in it, both named). */
static void sort_entries(struct check *c)
{
	size_t i, k = 0;

	if (c->n > 1)
		qsort(c->v, c->n, sizeof(*c->v), cmp_entry);
	for (i = 0; i < c->n; i++) {
		if (k && !strcmp(c->v[k - 1].path, c->v[i].path)) {
			c->v[k - 1].explicit |= c->v[i].explicit;
			free(c->v[i].path);
			continue;
		}
		c->v[k++] = c->v[i];
	}
	c->n = k;
}

/* ---- HEAD ---- */

struct walk {
	struct check *c;
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
	if (add_entry(w->c, path, git_tree_entry_id(te), mode == GIT_FILEMODE_LINK, false)) {
		w->rc = PERF_ENOMEM;
		return -1;
	}
	return 0;
}

static int collect_head(struct check *c, struct perf_error *err)
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
static bool ignored(struct check *c, const char *path)
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
static int walk_dir(struct check *c, char *rel, size_t rlen, size_t cap, struct perf_error *err)
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
			type = S_ISDIR(st.st_mode) ? DT_DIR : S_ISLNK(st.st_mode) ? DT_LNK : S_ISREG(st.st_mode) ? DT_REG : 0;
		}
		if (type == DT_DIR) {
			if (!rlen && !perf_folder(name, n))
				continue;
			rel[rlen + n] = '/';
			rel[rlen + n + 1] = '\0';
			rc = walk_dir(c, rel, rlen + n + 1, cap, err);
		} else if ((type == DT_REG || type == DT_LNK) && is_candidate(rel) && !ignored(c, rel)) {
			if (add_entry(c, rel, NULL, type == DT_LNK, false))
				rc = perf_error(err, PERF_ENOMEM, "out of memory");
		}
		rel[rlen] = '\0';
	}
	if (!rc && errno)
		rc = perf_error_sys(err, "cannot read the folder '%s'", rlen ? rel : ".");
	closedir(d);
	return rc;
}

static int collect_worktree(struct check *c, const char *under, struct perf_error *err)
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
 */
static int add_operand(struct check *c, const char *base, const char *arg, struct perf_error *err)
{
	char joined[PATH_MAX], real[PATH_MAX], root[PATH_MAX];
	struct stat st;
	size_t rn;
	const char *rel;

	if (arg[0] != '/' && base) {
		if ((size_t)snprintf(joined, sizeof(joined), "%s/%s", base, arg) >= sizeof(joined))
			return perf_error(err, PERF_EINVALID, "'%s' is too long", arg);
	} else {
		snprintf(joined, sizeof(joined), "%s", arg);
	}
	if (!realpath(joined, real))
		return perf_error_sys(err, "cannot check '%s'", arg);
	if (!realpath(c->workdir, root))
		return perf_error_sys(err, "cannot find the repository's folder '%s'", c->workdir);
	rn = strlen(root);
	if (strncmp(real, root, rn) || (real[rn] && real[rn] != '/') || (rn == 1 && root[0] == '/'))
		return perf_error(err, PERF_EINVALID, "'%s' is outside the repository (%s)", arg, root);
	rel = real + rn;
	while (*rel == '/')
		rel++;
	if (!strcmp(rel, ".git") || !strncmp(rel, ".git/", 5))
		return perf_error(err, PERF_EINVALID, "'%s' is inside .git, not the working tree", arg);
	if (lstat(real, &st))
		return perf_error_sys(err, "cannot check '%s'", arg);
	if (S_ISDIR(st.st_mode))
		return collect_worktree(c, rel, err);
	if (is_candidate(rel) && add_entry(c, rel, NULL, false, true))
		return perf_error(err, PERF_ENOMEM, "out of memory");
	return 0;
}

/* ---- existence ---- */

static bool exists(struct check *c, const char *path)
{
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

static int read_entry(struct check *c, const struct entry *e, struct perf_error *err)
{
	perf_buf_truncate(&c->buf, 0);
	if (!c->worktree) {
		git_blob *blob = NULL;
		int rc = 0;
		if (git_blob_lookup(&blob, c->git, &e->id) < 0)
			return perf_error_git(err, "cannot read the blob");
		if (perf_buf_add(&c->buf, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob)))
			rc = perf_error(err, PERF_ENOMEM, "out of memory");
		git_blob_free(blob);
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
		if (perf_buf_grow(&c->buf, 65536)) {
			close(fd);
			return perf_error(err, PERF_ENOMEM, "out of memory");
		}
		got = read(fd, c->buf.ptr + c->buf.len, c->buf.cap - c->buf.len - 1);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			close(fd);
			return perf_error_sys(err, "cannot read it");
		}
		if (got == 0 || c->buf.len > PERF_DOC_MAX_FILE + 1)
			break;
		c->buf.len += (size_t)got;
		c->buf.ptr[c->buf.len] = '\0';
	}
	close(fd);
	return 0;
}

/* ---- cross-document checks ---- */

/* Fields whose handles name people. */
static bool names_person(const char *field)
{
	static const char *const names[] = {"person", "lead",	 "author",	"from",	       "owner",
					    "asked",  "with",	 "members",	"maintainers", "proposed_by",
					    "who",    NULL};
	for (size_t i = 0; names[i]; i++)
		if (!strcmp(names[i], field))
			return true;
	return false;
}

static void ref_person(struct check *c, const struct perf_node *n)
{
	char path[PERF_HANDLE_MAX + 16];

	if (n->type != PERF_NODE_SCALAR || !perf_value_is_handle(n->text))
		return; /* the schema said what is wrong with it */
	snprintf(path, sizeof(path), "people/%s.md", n->text);
	if (!exists(c, path))
		problemf(c, n, "person '%s' is not in people/", n->text);
}

static void walk_refs(struct check *c, const struct perf_schema_field *f, const struct perf_node *map)
{
	if (!map || map->type != PERF_NODE_MAP)
		return;
	for (; f && f->name; f++) {
		const struct perf_node *n = perf_node_get(map, f->name);
		if (!n)
			continue;
		if (f->type == PERF_TYPE_HANDLE && names_person(f->name)) {
			ref_person(c, n);
		} else if (f->type == PERF_TYPE_LIST && n->type == PERF_NODE_SEQ) {
			for (size_t i = 0; i < n->n; i++) {
				if (f->item == PERF_TYPE_HANDLE && names_person(f->name))
					ref_person(c, n->values[i]);
				else if (f->item == PERF_TYPE_MAP)
					walk_refs(c, f->fields, n->values[i]);
			}
		} else if (f->type == PERF_TYPE_MAP) {
			walk_refs(c, f->fields, n);
		}
	}
}

static bool scalar_handle(const struct perf_node *n)
{
	return n && n->type == PERF_NODE_SCALAR && perf_value_is_handle(n->text);
}

static void check_refs(struct check *c, const struct perf_schema_match *m, const struct perf_node *root)
{
	const char *kind = m->kind->name;
	const struct perf_node *n;
	char path[PERF_SCHEMA_PATH_MAX + 1];

	walk_refs(c, m->kind->fields, root);
	if (!strcmp(kind, "checkin") && (n = perf_node_get(root, "goals")) && n->type == PERF_NODE_SEQ) {
		for (size_t i = 0; i < n->n; i++) {
			const struct perf_node *g =
				n->values[i]->type == PERF_NODE_MAP ? perf_node_get(n->values[i], "goal") : NULL;
			if (!scalar_handle(g))
				continue;
			snprintf(path, sizeof(path), "goals/%s/%s.md", m->handle, g->text);
			if (!exists(c, path))
				problemf(c, g, "goal '%s' does not exist (%s)", g->text, path);
		}
	}
	if (!strcmp(kind, "goal") && scalar_handle(n = perf_node_get(root, "cycle"))) {
		snprintf(path, sizeof(path), "cycles/%s.md", n->text);
		if (!exists(c, path))
			problemf(c, n, "cycle '%s' does not exist (%s)", n->text, path);
	}
	if (!strcmp(kind, "person") && c->have_groups && scalar_handle(n = perf_node_get(root, "group")) &&
	    !perf_strv_has(&c->groups, n->text))
		problemf(c, n, "group '%s' is not in .perf/config.yaml", n->text);
	if (!strcmp(kind, "reply") && !exists(c, m->parent))
		problemf(c, perf_node_get(root, "to"), "parent '%s' does not exist", m->parent);
}

/* ---- one document ---- */

/* "'P' is not a goal path (...)" reads better after "P:1:1: " without the path. */
static const char *without_path(const char *msg, const char *path)
{
	size_t n = strlen(path);

	if (msg[0] == '\'' && !strncmp(msg + 1, path, n) && !strncmp(msg + 1 + n, "' is ", 5))
		return msg + n + 6;
	return msg;
}

/* The folder a kind's documents live in ("goals/"), or NULL for replies. */
static size_t kind_folder(const struct perf_schema_kind *k, const char **out)
{
	*out = k->pattern;
	if (k->pattern[0] == '{' || !strchr(k->pattern, '/'))
		return 0;
	return strcspn(k->pattern, "/") + 1;
}

/*
 * The document says it is of another kind than its place says: one problem
 * at its kind: field, and nothing else, since the rest follows from which
 * of the two is wrong.  Returns true when it reported.
 */
static bool wrong_kind(struct check *c, const struct perf_node *root, const struct perf_schema_kind *placed,
		       const char *path)
{
	const struct perf_node *kn = root && root->type == PERF_NODE_MAP ? perf_node_get(root, "kind") : NULL;
	const struct perf_schema_kind *said;
	const char *folder, *want;
	size_t fn, wn;

	if (!kn || kn->type != PERF_NODE_SCALAR || !(said = perf_schema_kind(kn->text)) || said == placed ||
	    !said->fenced)
		return false;
	wn = kind_folder(said, &want);
	if (placed && placed == perf_schema_kind("reply")) {
		folder = path;
		fn = (size_t)(strrchr(path, '/') - path) + 1;
	} else {
		folder = path;
		fn = strcspn(path, "/") + 1;
		if (wn && wn == fn && !strncmp(want, folder, fn))
			return false; /* its own folder: the path itself is wrong */
	}
	problemf(c, kn, "kind '%s' does not belong in %.*s (a %s's path is %s)", said->name, (int)fn, folder,
		 said->name, said->layout);
	return true;
}

static void check_entry(struct check *c, const struct entry *e)
{
	struct perf_schema_match m;
	struct perf_error err;
	struct perf_doc *doc = NULL;
	int match;

	c->cur = e->path;
	c->checked++;
	match = perf_schema_match_path(&m, e->path, &err);
	if (e->link) {
		problemf(c, NULL, "is a symbolic link; documents must be regular files");
		return;
	}
	if (read_entry(c, e, &err)) {
		problemf(c, NULL, "%s", err.msg);
		return;
	}
	if (match) {
		/* In a document folder without fitting its layout. */
		char msg[sizeof(err.msg)];
		snprintf(msg, sizeof(msg), "%s", without_path(err.msg, e->path));
		if (perf_doc_parse(&doc, perf_buf_cstr(&c->buf), c->buf.len, e->path, NULL) == 0 &&
		    wrong_kind(c, perf_doc_root(doc), NULL, e->path))
			goto out;
		problemf(c, NULL, "%s", msg);
		goto out;
	}
	if (perf_schema_parse(&doc, m.kind, perf_buf_cstr(&c->buf), c->buf.len, e->path, &err)) {
		add_error(c, err.msg);
		goto out;
	}
	if (m.kind->fenced && wrong_kind(c, perf_doc_root(doc), m.kind, e->path))
		goto out;
	perf_schema_validate(m.kind, doc, e->path, e->path, report, c);
	check_refs(c, &m, perf_doc_root(doc));
out:
	perf_doc_free(doc);
}

/* The group names in .perf/config.yaml, when it can be read, for people's `group`. */
static void load_groups(struct check *c)
{
	struct entry key = {.path = (char *)".perf/config.yaml"}, *e = NULL;
	struct perf_doc *doc = NULL;
	const struct perf_node *g;

	if (c->complete) {
		if (!(e = bsearch(&key, c->v, c->n, sizeof(*c->v), cmp_entry)))
			return;
	} else {
		e = &key; /* paths given: read it from the working tree */
	}
	if (e->link || read_entry(c, e, NULL) ||
	    perf_schema_parse(&doc, perf_schema_kind("config"), perf_buf_cstr(&c->buf), c->buf.len, e->path,
			      NULL))
		return;
	g = perf_doc_get(doc, "groups");
	if (g && g->type == PERF_NODE_SEQ) {
		c->have_groups = true;
		for (size_t i = 0; i < g->n; i++) {
			const char *name = perf_node_str(g->values[i], "name");
			if (g->values[i]->type == PERF_NODE_MAP && name && perf_strv_push(&c->groups, name))
				c->oom = true;
		}
	}
	perf_doc_free(doc);
}

/* ---- output ---- */

/* One line per problem: control characters in names become '?'. */
static void put_clean(const char *s)
{
	for (; *s; s++)
		putchar((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s);
}

static void print_text(const struct check *c)
{
	for (size_t i = 0; i < c->np; i++) {
		put_clean(c->p[i].path);
		printf(":%zu:%zu: ", c->p[i].line, c->p[i].col);
		put_clean(c->p[i].msg);
		putchar('\n');
	}
}

static void print_json(const struct check *c)
{
	printf("{\"checked\": %zu, \"problems\": [", c->checked);
	for (size_t i = 0; i < c->np; i++) {
		printf("%s\n  {\"path\": ", i ? "," : "");
		perf_json_str(stdout, c->p[i].path);
		printf(", \"line\": %zu, \"col\": %zu, \"message\": ", c->p[i].line, c->p[i].col);
		perf_json_str(stdout, c->p[i].msg);
		putchar('}');
	}
	printf("%s]}\n", c->np ? "\n" : "");
}

static size_t files_with_problems(const struct check *c)
{
	size_t files = 0;

	for (size_t i = 0; i < c->np; i++)
		if (i == 0 || strcmp(c->p[i].path, c->p[i - 1].path))
			files++;
	return files;
}

static void release(struct check *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->v[i].path);
	free(c->v);
	for (size_t i = 0; i < c->np; i++)
		free(c->p[i].msg);
	free(c->p);
	git_index_free(c->index);
	perf_strv_release(&c->groups);
	perf_buf_release(&c->buf);
}

static int run_check(struct perf_ctx *ctx, int argc, char **argv)
{
	struct perf_optstate st;
	struct perf_error err;
	struct check c;
	const char *arg;
	bool quiet = false;
	int opt, rc = PERF_EXIT_OK;

	memset(&c, 0, sizeof(c));
	perf_error_clear(&err);
	perf_opt_init(&st, ctx->cmd, argc, argv);
	while ((opt = perf_opt_next(&st, &arg)) != -1) {
		switch (opt) {
		case 'w':
			c.worktree = true;
			break;
		case 'q':
			quiet = true;
			break;
		case PERF_OPT_LONG(2):
			ctx->json = true;
			break;
		default:
			return PERF_EXIT_USAGE;
		}
	}
	c.git = ctx->repo->git;
	c.workdir = ctx->repo->workdir;
	if (st.index < argc)
		c.worktree = true;
	if (c.worktree && !c.workdir) {
		fprintf(stderr, "perf: the repository has no working tree to check\n");
		return PERF_EXIT_FAIL;
	}
	if (c.worktree && git_repository_index(&c.index, c.git) < 0) {
		perf_error_git(&err, "cannot read the index");
		rc = perf_fail(&err);
		goto out;
	}
	if (st.index < argc) {
		for (int i = st.index; i < argc; i++) {
			if (add_operand(&c, ctx->dir, argv[i], &err)) {
				fprintf(stderr, "perf check: %s\n", err.msg);
				rc = err.code == PERF_ENOMEM ? PERF_EXIT_FAIL : PERF_EXIT_USAGE;
				goto out;
			}
		}
	} else {
		c.complete = true;
		if ((c.worktree ? collect_worktree(&c, "", &err) : collect_head(&c, &err))) {
			rc = perf_fail(&err);
			goto out;
		}
	}
	sort_entries(&c);
	load_groups(&c);
	for (size_t i = 0; i < c.n && !c.oom; i++)
		check_entry(&c, &c.v[i]);
	if (c.oom) {
		fprintf(stderr, "perf: out of memory\n");
		rc = PERF_EXIT_FAIL;
		goto out;
	}
	if (c.np > 1)
		qsort(c.p, c.np, sizeof(*c.p), cmp_problem);
	rc = c.np ? PERF_EXIT_FAIL : PERF_EXIT_OK;
	if (quiet)
		goto out;
	if (ctx->json) {
		print_json(&c);
	} else if (c.np) {
		size_t files = files_with_problems(&c);
		print_text(&c);
		fflush(stdout);
		fprintf(stderr, "perf: %zu problem%s in %zu file%s (checked %zu document%s)\n", c.np,
			c.np == 1 ? "" : "s", files, files == 1 ? "" : "s", c.checked, c.checked == 1 ? "" : "s");
	}
out:
	release(&c);
	return rc;
}

const struct perf_cmd perf_cmd_check = {
	.name = "check",
	.usage = "[--worktree] [-q] [PATH...]",
	.summary = "find problems in documents: fields, layout, references",
	.opts = check_opts,
	.flags = PERF_CMD_REPO | PERF_CMD_READS,
	.run = run_check,
};
