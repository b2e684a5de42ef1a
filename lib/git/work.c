#include "work.h"

#include <errno.h>
#include <glob.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <git2.h>

#include "buf.h"
#include "strv.h"
#include "utf8.h"

/* A commit id already met (in any clone), and the item that stands for its change. */
struct seen {
	git_oid id;
	size_t item;
};

struct gather {
	const struct perf_work_query *q;
	struct perf_work *w;
	size_t cap;
	struct perf_strv keys; /* keys.v[i]: what makes item i the same change as another */
	struct seen *seen;
	size_t nseen, seencap;
	struct perf_strv folders; /* real paths already read */
	struct perf_strv groups;  /* repository names, in the order met */
	bool nomem;
};

static void notice(struct gather *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void notice(struct gather *g, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (!g->q->notice)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	g->q->notice(g->q->payload, msg);
}

static const char *git_message(void)
{
	const git_error *e = git_error_last();
	return e && e->message ? e->message : "unknown error";
}

static bool is_mine(const struct perf_work_query *q, const char *email)
{
	for (size_t i = 0; email && i < q->nemails; i++)
		if (q->emails[i] && !strcasecmp(q->emails[i], email))
			return true;
	return false;
}

static bool in_span(const struct perf_work_query *q, git_time_t t)
{
	return t >= (git_time_t)q->since && t < (git_time_t)q->until;
}

/* Longest subject kept, in bytes: a line, not a message. */
#define SUBJECT_MAX 300

/*
 * The first line of a message, without surrounding blanks, as text a
 * document can hold: control bytes become spaces and bytes that are not
 * UTF-8 become U+FFFD.  "(no subject)" when empty.
 */
static char *first_line(const char *msg)
{
	struct perf_buf b = PERF_BUF_INIT;
	size_t n;
	int rc = 0;

	if (!msg)
		msg = "";
	while (*msg == '\n' || *msg == '\r' || *msg == ' ' || *msg == '\t')
		msg++;
	n = strcspn(msg, "\r\n");
	while (n && (msg[n - 1] == ' ' || msg[n - 1] == '\t'))
		n--;
	if (n > SUBJECT_MAX)
		n = perf_utf8_cut(msg, SUBJECT_MAX);
	for (size_t i = 0; i < n && !rc;) {
		uint32_t cp;
		size_t len = perf_utf8_decode(msg + i, n - i, &cp);
		if (!len) {
			rc = perf_buf_puts(&b, "\xEF\xBF\xBD");
			i++;
		} else if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0)) {
			rc = perf_buf_putc(&b, ' ');
			i += len;
		} else {
			rc = perf_buf_add(&b, msg + i, len);
			i += len;
		}
	}
	if (!rc && !b.len)
		rc = perf_buf_puts(&b, "(no subject)");
	if (rc) {
		perf_buf_release(&b);
		return NULL;
	}
	return perf_buf_detach(&b);
}

/* A repository's name: its work tree's folder, or a bare one's without ".git". */
static char *repo_name(git_repository *r)
{
	const char *p = git_repository_workdir(r);
	size_t n;
	const char *base;
	char *s;

	if (!p)
		p = git_repository_path(r);
	n = strlen(p);
	while (n > 1 && p[n - 1] == '/')
		n--;
	base = p + n;
	while (base > p && base[-1] != '/')
		base--;
	n = (size_t)(p + n - base);
	if (n > 4 && !strncmp(base + n - 4, ".git", 4))
		n -= 4;
	s = malloc(n + 1);
	if (s) {
		/* A line of the editor and a one-line field hold it: no control bytes. */
		for (size_t i = 0; i < n; i++)
			s[i] = (unsigned char)base[i] < 0x20 || base[i] == 0x7f ? '_' : base[i];
		s[n] = '\0';
	}
	return s;
}

static struct seen *find_seen(struct gather *g, const git_oid *id)
{
	for (size_t i = 0; i < g->nseen; i++)
		if (git_oid_equal(&g->seen[i].id, id))
			return &g->seen[i];
	return NULL;
}

static void add_seen(struct gather *g, const git_oid *id, size_t item)
{
	if (perf_array_grow((void **)&g->seen, &g->seencap, g->nseen, sizeof(*g->seen), 16)) {
		g->nomem = true;
		return;
	}
	git_oid_cpy(&g->seen[g->nseen].id, id);
	g->seen[g->nseen++].item = item;
}

/* Adds an item unless another has the same key; returns its index, or the other's. */
static size_t add_item(struct gather *g, const char *key, enum perf_work_what what, const char *name, const char *path,
                       char *subject, const git_oid *id, git_time_t when)
{
	struct perf_work_item *it;
	char hex[GIT_OID_HEXSZ + 1];

	for (size_t i = 0; i < g->keys.n; i++)
		if (!strcmp(g->keys.v[i], key)) {
			free(subject);
			return i;
		}
	if (!subject || perf_array_grow((void **)&g->w->items, &g->cap, g->w->n, sizeof(*g->w->items), 16) ||
	    perf_strv_push(&g->keys, key)) {
		free(subject);
		g->nomem = true;
		return SIZE_MAX;
	}
	it = &g->w->items[g->w->n];
	memset(it, 0, sizeof(*it));
	it->what = what;
	it->repo = strdup(name);
	it->path = strdup(path);
	it->subject = subject;
	it->when = (time_t)when;
	git_oid_tostr(hex, sizeof(hex), id);
	snprintf(it->id, sizeof(it->id), "%s", hex);
	snprintf(it->short_id, sizeof(it->short_id), "%.*s", PERF_WORK_SHORT_LEN, hex);
	g->w->n++;
	if (!it->repo || !it->path)
		g->nomem = true;
	return g->w->n - 1;
}

/* What makes a commit the same change as another (see work.h): into key. */
static int change_key(git_repository *r, git_commit *c, const char *subject, char *key, size_t keysz)
{
	git_tree *tree = NULL, *ptree = NULL;
	git_commit *parent = NULL;
	git_diff *diff = NULL;
	git_oid pid;
	char hex[GIT_OID_HEXSZ + 1];
	int rc = -1;

	if (git_commit_parentcount(c) > 1) {
		git_oid_tostr(hex, sizeof(hex), git_commit_tree_id(c));
		snprintf(key, keysz, "m %s %s", hex, subject);
		return 0;
	}
	if (git_commit_tree(&tree, c) < 0 ||
	    (git_commit_parentcount(c) == 1 &&
	     (git_commit_parent(&parent, c, 0) < 0 || git_commit_tree(&ptree, parent) < 0)) ||
	    git_diff_tree_to_tree(&diff, r, ptree, tree, NULL) < 0)
		goto out;
	if (git_diff_num_deltas(diff) == 0) {
		snprintf(key, keysz, "e %lld %s", (long long)git_commit_author(c)->when.time, subject);
	} else {
		if (git_diff_patchid(&pid, diff, NULL) < 0)
			goto out;
		git_oid_tostr(hex, sizeof(hex), &pid);
		snprintf(key, keysz, "p %s", hex);
	}
	rc = 0;
out:
	git_diff_free(diff);
	git_tree_free(ptree);
	git_tree_free(tree);
	git_commit_free(parent);
	return rc;
}

static int add_commit(struct gather *g, git_repository *r, git_commit *c, const char *name, const char *path)
{
	char key[1200];
	char *subject = first_line(git_commit_message(c));
	size_t item;

	if (!subject) {
		g->nomem = true;
		return -1;
	}
	if (change_key(r, c, subject, key, sizeof(key)) < 0) {
		free(subject);
		return -1;
	}
	item = add_item(g, key, git_commit_parentcount(c) > 1 ? PERF_WORK_MERGE : PERF_WORK_COMMIT, name, path, subject,
	                git_commit_id(c), git_commit_author(c)->when.time);
	if (item != SIZE_MAX)
		add_seen(g, git_commit_id(c), item);
	return 0;
}

/*
 * The walk, newest committed first: a heap of commits keyed by committer
 * time, and the ids met.  libgit2's own time-sorted revwalk reads the whole
 * history before it gives the first commit; this one reads only what it
 * gives and the parents of that.
 */
struct walk {
	git_repository *r;
	git_commit **heap;
	size_t n, cap;
	git_oid *ids; /* open addressing; zero ids are free slots */
	size_t nids, idcap;
};

static bool walk_mark(struct walk *w, const git_oid *id)
{
	size_t mask, i;

	if ((w->nids + 1) * 2 > w->idcap) {
		size_t cap = w->idcap ? w->idcap * 2 : 1024;
		git_oid *ids = calloc(cap, sizeof(*ids));
		if (!ids)
			return false;
		for (size_t k = 0; k < w->idcap; k++) {
			if (git_oid_is_zero(&w->ids[k]))
				continue;
			for (i = (size_t)w->ids[k].id[0] << 8 | w->ids[k].id[1]; !git_oid_is_zero(&ids[i & (cap - 1)]);
			     i++)
				;
			git_oid_cpy(&ids[i & (cap - 1)], &w->ids[k]);
		}
		free(w->ids);
		w->ids = ids;
		w->idcap = cap;
	}
	mask = w->idcap - 1;
	for (i = ((size_t)id->id[0] << 8 | id->id[1]) & mask; !git_oid_is_zero(&w->ids[i]); i = (i + 1) & mask)
		if (git_oid_equal(&w->ids[i], id))
			return false;
	git_oid_cpy(&w->ids[i], id);
	w->nids++;
	return true;
}

/* Adds the commit id names (once): 0, or -1 when it cannot be read. */
static int walk_push(struct walk *w, const git_oid *id)
{
	git_commit *c = NULL;
	size_t k;

	if (!walk_mark(w, id))
		return 0;
	if (git_commit_lookup(&c, w->r, id) < 0)
		return -1;
	if (perf_array_grow((void **)&w->heap, &w->cap, w->n, sizeof(*w->heap), 64)) {
		git_commit_free(c);
		return -1;
	}
	for (k = w->n++; k > 0 && git_commit_time(w->heap[(k - 1) / 2]) < git_commit_time(c); k = (k - 1) / 2)
		w->heap[k] = w->heap[(k - 1) / 2];
	w->heap[k] = c;
	return 0;
}

static git_commit *walk_pop(struct walk *w)
{
	git_commit *top, *last;
	size_t k = 0;

	if (!w->n)
		return NULL;
	top = w->heap[0];
	last = w->heap[--w->n];
	for (;;) {
		size_t c = 2 * k + 1;
		if (c >= w->n)
			break;
		if (c + 1 < w->n && git_commit_time(w->heap[c + 1]) > git_commit_time(w->heap[c]))
			c++;
		if (git_commit_time(w->heap[c]) <= git_commit_time(last))
			break;
		w->heap[k] = w->heap[c];
		k = c;
	}
	if (w->n)
		w->heap[k] = last;
	return top;
}

static void walk_release(struct walk *w)
{
	for (size_t i = 0; i < w->n; i++)
		git_commit_free(w->heap[i]);
	free(w->heap);
	free(w->ids);
}

/* Starts the walk at every branch, remote-tracking branch and tag, and HEAD. */
static int walk_start(struct walk *w)
{
	git_reference_iterator *iter = NULL;
	git_reference *ref = NULL;
	git_oid head;
	int rc;

	if (git_reference_iterator_new(&iter, w->r) < 0)
		return -1;
	while ((rc = git_reference_next(&ref, iter)) == 0) {
		const char *name = git_reference_name(ref);
		git_object *obj = NULL;
		if ((!strncmp(name, "refs/heads/", 11) || !strncmp(name, "refs/remotes/", 13) ||
		     !strncmp(name, "refs/tags/", 10)) &&
		    git_reference_peel(&obj, ref, GIT_OBJECT_COMMIT) == 0)
			rc = walk_push(w, git_object_id(obj));
		git_error_clear(); /* a tag of a tree or a blob, a dangling symbolic ref: not a start */
		git_object_free(obj);
		git_reference_free(ref);
		if (rc < 0)
			break;
	}
	git_reference_iterator_free(iter);
	if (rc < 0 && rc != GIT_ITEROVER)
		return -1;
	if (git_reference_name_to_id(&head, w->r, "HEAD") == 0)
		return walk_push(w, &head);
	git_error_clear(); /* an unborn HEAD: the branches still count */
	return 0;
}

/* Their commits and merges of the span, newest committed first, until the margin before it. */
static int walk_commits(struct gather *g, git_repository *r, const char *name, const char *path)
{
	struct walk w;
	git_commit *c;
	git_time_t stop = (git_time_t)g->q->since - PERF_WORK_MARGIN;
	int rc;

	memset(&w, 0, sizeof(w));
	w.r = r;
	rc = walk_start(&w);
	while (!rc && !g->nomem && (c = walk_pop(&w))) {
		const git_signature *a = git_commit_author(c);
		if (git_commit_time(c) < stop) {
			git_commit_free(c);
			break;
		}
		if (a && in_span(g->q, a->when.time) && is_mine(g->q, a->email) && !find_seen(g, git_commit_id(c)) &&
		    add_commit(g, r, c, name, path) < 0 && !g->nomem)
			rc = -1;
		for (unsigned i = 0; !rc && i < git_commit_parentcount(c); i++)
			rc = walk_push(&w, git_commit_parent_id(c, i));
		git_commit_free(c);
	}
	walk_release(&w);
	return rc;
}

static int add_tag_name(struct gather *g, size_t item, const char *tag)
{
	struct perf_work_item *it = &g->w->items[item];
	struct perf_buf mark = PERF_BUF_INIT, b = PERF_BUF_INIT;
	char *s = NULL;
	int rc = 0;

	if (perf_buf_printf(&mark, " (tag %s)", tag))
		rc = -1;
	else if (strstr(it->subject, perf_buf_cstr(&mark)))
		; /* the same tag, met in a clone */
	else if (perf_buf_puts(&b, it->subject) || perf_buf_add(&b, mark.ptr, mark.len) || !(s = perf_buf_detach(&b)))
		rc = -1;
	else {
		free(it->subject);
		it->subject = s;
	}
	if (rc)
		g->nomem = true;
	perf_buf_release(&mark);
	perf_buf_release(&b);
	return rc;
}

/* Annotated tags they made in the span; lightweight tags on their commits of the span. */
static int walk_tags(struct gather *g, git_repository *r, const char *name, const char *path)
{
	git_reference_iterator *iter = NULL;
	git_reference *ref = NULL;
	git_odb *odb = NULL;
	int rc;

	if (git_repository_odb(&odb, r) < 0 || git_reference_iterator_glob_new(&iter, r, "refs/tags/*") < 0) {
		git_odb_free(odb);
		return -1;
	}
	while ((rc = git_reference_next(&ref, iter)) == 0 && !g->nomem) {
		const git_oid *target =
		    git_reference_type(ref) == GIT_REFERENCE_DIRECT ? git_reference_target(ref) : NULL;
		const char *tagname = git_reference_shorthand(ref);
		struct seen *s = target ? find_seen(g, target) : NULL;
		git_object_t type;
		size_t len;

		if (s) {
			add_tag_name(g, s->item, tagname);
		} else if (target && git_odb_read_header(&len, &type, odb, target) == 0 && type == GIT_OBJECT_TAG) {
			git_tag *tag = NULL;
			const git_signature *by;
			if (git_tag_lookup(&tag, r, target) == 0 && (by = git_tag_tagger(tag)) &&
			    in_span(g->q, by->when.time) && is_mine(g->q, by->email)) {
				struct perf_buf subj = PERF_BUF_INIT, key = PERF_BUF_INIT;
				char *line = first_line(git_tag_message(tag));
				char hex[GIT_OID_HEXSZ + 1];
				git_oid_tostr(hex, sizeof(hex), git_tag_target_id(tag));
				if (!line || perf_buf_printf(&subj, "tag %s", git_tag_name(tag)) ||
				    (git_tag_message(tag) && strcmp(line, "(no subject)") &&
				     perf_buf_printf(&subj, ": %s", line)) ||
				    perf_buf_printf(&key, "t %s %s", git_tag_name(tag), hex)) {
					g->nomem = true;
					perf_buf_release(&subj);
				} else {
					add_item(g, perf_buf_cstr(&key), PERF_WORK_TAG, name, path,
					         perf_buf_detach(&subj), target, by->when.time);
				}
				free(line);
				perf_buf_release(&key);
			} else {
				git_error_clear();
			}
			git_tag_free(tag);
		} else {
			git_error_clear();
		}
		git_reference_free(ref);
		ref = NULL;
	}
	git_reference_iterator_free(iter);
	git_odb_free(odb);
	return rc == GIT_ITEROVER || rc == 0 ? 0 : -1;
}

static void read_repo(struct gather *g, const char *path, bool from_glob)
{
	git_repository *r = NULL;
	char real[PATH_MAX];
	struct stat st;
	char *name = NULL;
	int rc;

	if (stat(path, &st) < 0 || access(path, R_OK | X_OK) < 0) {
		notice(g, "perf.work: cannot read '%s': %s; skipped", path, strerror(errno));
		return;
	}
	if (!S_ISDIR(st.st_mode)) {
		if (!from_glob)
			notice(g, "perf.work: cannot read '%s': not a folder; skipped", path);
		return;
	}
	if (!realpath(path, real))
		snprintf(real, sizeof(real), "%s", path);
	if (perf_strv_has(&g->folders, real))
		return;
	if (perf_strv_push(&g->folders, real)) {
		g->nomem = true;
		return;
	}
	rc = git_repository_open_ext(&r, path, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL);
	if (rc < 0) {
		if (!from_glob || rc != GIT_ENOTFOUND)
			notice(g, "perf.work: cannot read '%s': %s; skipped", path,
			       rc == GIT_ENOTFOUND ? "not a git repository" : git_message());
		git_error_clear();
		return;
	}
	if (!(name = repo_name(r))) {
		g->nomem = true;
		goto out;
	}
	if (walk_commits(g, r, name, path) < 0 || walk_tags(g, r, name, path) < 0) {
		if (!g->nomem)
			notice(g, "perf.work: cannot read all of '%s': %s; what was read is kept", path, git_message());
		git_error_clear();
	}
	g->w->nread++;
out:
	free(name);
	git_repository_free(r);
}

static void read_pattern(struct gather *g, const char *pattern)
{
	bool wild = strpbrk(pattern, "*?[") != NULL;
	struct perf_buf p = PERF_BUF_INIT;
	const char *home = getenv("HOME");
	glob_t gl;
	int rc;

	/* "~/" here, so that a folder named outright is shown as the path it means even when missing. */
	if ((pattern[0] == '~' && (pattern[1] == '/' || !pattern[1])) && home && *home) {
		if (perf_buf_puts(&p, home) || perf_buf_puts(&p, pattern + 1)) {
			g->nomem = true;
			perf_buf_release(&p);
			return;
		}
		pattern = perf_buf_cstr(&p);
	}
	memset(&gl, 0, sizeof(gl));
	rc = glob(pattern, GLOB_TILDE | GLOB_NOCHECK * !wild, NULL, &gl);
	if (rc == GLOB_NOSPACE) {
		g->nomem = true;
	} else if (rc != 0 || gl.gl_pathc == 0) {
		notice(g, "perf.work: '%s' matches no folder; skipped", pattern);
	} else {
		for (size_t i = 0; i < gl.gl_pathc && !g->nomem; i++)
			read_repo(g, gl.gl_pathv[i], wild);
	}
	globfree(&gl);
	perf_buf_release(&p);
}

/* Index of the repository named name in groups. */
static size_t group_of(const struct perf_strv *groups, const char *name)
{
	for (size_t i = 0; i < groups->n; i++)
		if (!strcmp(groups->v[i], name))
			return i;
	return groups->n;
}

/* Orders items by their repository's first appearance, then time, keeping the order found among equals
 * (an insertion sort: a week has a few hundred items at most). */
static void sort_items(struct perf_work *w, const struct perf_strv *groups)
{
	for (size_t i = 1; i < w->n; i++) {
		struct perf_work_item it = w->items[i];
		size_t gi = group_of(groups, it.repo), k = i;
		while (k > 0) {
			const struct perf_work_item *p = &w->items[k - 1];
			size_t gp = group_of(groups, p->repo);
			if (gp < gi || (gp == gi && p->when <= it.when))
				break;
			w->items[k] = *p;
			k--;
		}
		w->items[k] = it;
	}
}

int perf_work_gather(struct perf_work **out, const struct perf_work_query *q, struct perf_error *err)
{
	struct gather g;
	size_t cap = 0;

	*out = NULL;
	memset(&g, 0, sizeof(g));
	g.q = q;
	if (!(g.w = calloc(1, sizeof(*g.w))))
		return perf_error(err, PERF_ENOMEM, "out of memory");
	if (q->skip) {
		/* Marked as read already, so no pattern reads it. */
		char real[PATH_MAX];
		if (realpath(q->skip, real) && perf_strv_push(&g.folders, real))
			g.nomem = true;
	}
	for (size_t i = 0; i < q->npatterns && !g.nomem; i++)
		if (q->patterns[i] && q->patterns[i][0])
			read_pattern(&g, q->patterns[i]);
	for (size_t i = 0; i < g.w->n && !g.nomem; i++)
		if (!perf_strv_has(&g.groups, g.w->items[i].repo) && perf_strv_push(&g.groups, g.w->items[i].repo))
			g.nomem = true;
	if (!g.nomem)
		sort_items(g.w, &g.groups);
	for (size_t i = 0; i < g.groups.n && !g.nomem; i++) {
		struct perf_work_repo *rp;
		if (perf_array_grow((void **)&g.w->repos, &cap, g.w->nrepos, sizeof(*g.w->repos), 4)) {
			g.nomem = true;
			break;
		}
		rp = &g.w->repos[g.w->nrepos];
		rp->count = 0;
		if (!(rp->name = strdup(g.groups.v[i]))) {
			g.nomem = true;
			break;
		}
		g.w->nrepos++;
		for (size_t k = 0; k < g.w->n; k++)
			rp->count += !strcmp(g.w->items[k].repo, rp->name);
	}
	perf_strv_release(&g.keys);
	perf_strv_release(&g.folders);
	perf_strv_release(&g.groups);
	free(g.seen);
	if (g.nomem) {
		perf_work_free(g.w);
		return perf_error(err, PERF_ENOMEM, "out of memory");
	}
	*out = g.w;
	return 0;
}

const struct perf_work_item *perf_work_find(const struct perf_work *w, const char *repo, const char *id)
{
	size_t n = strlen(id);

	if (!w || n < 7 || n > PERF_WORK_ID_LEN || strspn(id, "0123456789abcdef") != n)
		return NULL;
	for (size_t i = 0; i < w->n; i++)
		if (!strcmp(w->items[i].repo, repo) && !strncmp(w->items[i].id, id, n))
			return &w->items[i];
	return NULL;
}

void perf_work_free(struct perf_work *w)
{
	if (!w)
		return;
	for (size_t i = 0; i < w->n; i++) {
		free(w->items[i].repo);
		free(w->items[i].path);
		free(w->items[i].subject);
	}
	for (size_t i = 0; i < w->nrepos; i++)
		free(w->repos[i].name);
	free(w->items);
	free(w->repos);
	free(w);
}
