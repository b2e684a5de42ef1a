/*
 * lib/index: perf's writer of git's index.  What perf_index_lookup reads
 * is what libgit2's index reader reads; after perf_index_commit, libgit2
 * and the real git read the new index as perf meant it (entries, ids,
 * modes, stat data that makes the work tree clean), in versions 2 and 3,
 * from no index at all, over a conflict and for a path too long for the
 * entry's length field; version 4 is left to libgit2;
 * the lock is git's index.lock and is always released.
 */
#include <git2.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fixture.h"
#include "index.h"
#include "tap.h"

static char wt[1024], gitdir[1100];

/* A repository made with the real git: files committed, so the index has a TREE extension. */
static int make_repo(const char *name)
{
	snprintf(wt, sizeof(wt), "%s/%s", fixture_root, name);
	snprintf(gitdir, sizeof(gitdir), "%s/.git/", wt);
	return fixture_sh("git init -q '%s' && cd '%s' && mkdir -p dir/sub && echo a >a.md && echo b >dir/b.md && "
	                  "echo c >dir/sub/c.md && echo z >z.md && echo x >x.md && git add . && "
	                  "git commit -q -m first",
	                  wt, wt);
}

static git_index *read_index(git_repository **g)
{
	git_index *ix = NULL;

	*g = NULL;
	if (git_repository_open(g, wt) < 0 || git_repository_index(&ix, *g) < 0 || git_index_read(ix, 1) < 0) {
		printf("# libgit2: %s\n", git_error_last() ? git_error_last()->message : "?");
		git_index_free(ix);
		return NULL;
	}
	return ix;
}

/* perf_index_lookup agrees with libgit2 on every stage-0 entry: how many disagree. */
static int disagreements(const struct perf_index *ix, git_index *lg)
{
	int bad = 0;

	for (size_t i = 0; i < git_index_entrycount(lg); i++) {
		const git_index_entry *e = git_index_get_byindex(lg, i);
		struct perf_index_entry p;
		if (git_index_entry_stage(e) != 0)
			continue;
		if (!perf_index_lookup(ix, e->path, &p) || memcmp(p.oid, e->id.id, 20) || p.mode != e->mode ||
		    p.size != e->file_size || p.mtime_s != (uint32_t)e->mtime.seconds ||
		    p.mtime_ns != e->mtime.nanoseconds || p.ino != e->ino) {
			printf("#   %s differs\n", e->path);
			bad++;
		}
	}
	return bad;
}

/* Writes path in the work tree and its blob, and fills the change for it. */
static int change_file(struct perf_index_change *c, const char *path, const char *text)
{
	char full[2048];
	git_repository *g = NULL;
	git_oid id;
	FILE *f;
	int rc = -1;

	snprintf(full, sizeof(full), "%s/%s", wt, path);
	memset(c, 0, sizeof(*c));
	c->path = path;
	c->mode = 0100644;
	if (!(f = fopen(full, "w")))
		return -1;
	fputs(text, f);
	fclose(f);
	if (stat(full, &c->st) == 0 && git_repository_open(&g, wt) == 0 &&
	    git_blob_create_from_disk(&id, g, full) == 0) {
		memcpy(c->oid, id.id, 20);
		rc = 0;
	}
	git_repository_free(g);
	return rc;
}

static void remove_file(struct perf_index_change *c, const char *path)
{
	char full[2048];

	snprintf(full, sizeof(full), "%s/%s", wt, path);
	unlink(full);
	memset(c, 0, sizeof(*c));
	c->path = path;
	c->remove = true;
}

/* The tree of the index's entries alone, built by libgit2 in memory (no cache-tree to trust). */
static void tree_of_entries(git_repository *g, git_index *from, char out[GIT_OID_HEXSZ + 1])
{
	git_index *mem = NULL;
	git_oid id;

	out[0] = '\0';
	if (git_index_new(&mem) < 0)
		return;
	/* As git does, an intent-to-add entry is not part of the tree. */
	for (size_t i = 0; i < git_index_entrycount(from); i++)
		if (!(git_index_get_byindex(from, i)->flags_extended & GIT_INDEX_ENTRY_INTENT_TO_ADD))
			git_index_add(mem, git_index_get_byindex(from, i));
	if (git_index_write_tree_to(&id, mem, g) == 0)
		git_oid_tostr(out, GIT_OID_HEXSZ + 1, &id);
	git_index_free(mem);
}

static uint32_t index_version(void)
{
	unsigned char h[8] = {0};
	char path[1200];
	int fd;

	snprintf(path, sizeof(path), "%sindex", gitdir);
	if ((fd = open(path, O_RDONLY)) >= 0) {
		if (read(fd, h, 8) != 8)
			h[4] = h[5] = h[6] = h[7] = 0;
		close(fd);
	}
	return (uint32_t)h[4] << 24 | (uint32_t)h[5] << 16 | (uint32_t)h[6] << 8 | h[7];
}

static bool lock_exists(void)
{
	char path[1200];

	snprintf(path, sizeof(path), "%sindex.lock", gitdir);
	return access(path, F_OK) == 0;
}

/* The three changes every version is tested with: a file changed, one added, one removed.  status:
 * what git status says afterwards. */
static void commit_and_compare(const char *what, const char *status)
{
	struct perf_index ix;
	struct perf_index_change ch[3];
	struct perf_error err = {0};
	git_repository *g = NULL;
	git_index *lg;
	const git_index_entry *e;
	char want[GIT_OID_HEXSZ + 1];
	size_t before;
	int rc;

	lg = read_index(&g);
	before = lg ? git_index_entrycount(lg) : 0;
	git_index_free(lg);
	git_repository_free(g);

	rc = perf_index_lock(&ix, gitdir, 0, &err);
	is_int(rc, 0, "%s: the index is locked and read (%s)", what, rc ? err.msg : "");
	if (rc)
		return;
	ok(lock_exists(), "%s: .git/index.lock is held", what);
	lg = read_index(&g);
	is_int(lg ? disagreements(&ix, lg) : -1, 0, "%s: perf_index_lookup reads every entry as libgit2 does", what);
	{
		struct perf_index_entry p;
		ok(!perf_index_lookup(&ix, "dir", &p) && !perf_index_lookup(&ix, "dir/sub", &p) &&
		       !perf_index_lookup(&ix, "nothing.md", &p) && !perf_index_lookup(&ix, "a.m", &p),
		   "%s: folders, prefixes and absent paths have no entry", what);
	}
	git_index_free(lg);
	git_repository_free(g);

	/* Given in no particular order: perf sorts them. */
	change_file(&ch[0], "dir/sub/new.md", "new\n");
	change_file(&ch[1], "a.md", "a changed\n");
	remove_file(&ch[2], "z.md");
	rc = perf_index_commit(&ix, ch, 3, &err);
	is_int(rc, 0, "%s: the changes are written (%s)", what, rc ? err.msg : "");
	ok(!lock_exists(), "%s: the lock is released", what);

	lg = read_index(&g);
	ok(lg != NULL, "%s: libgit2 reads the new index", what);
	if (!lg)
		return;
	is_int(git_index_entrycount(lg), before, "%s: one entry more and one less", what);
	ok((e = git_index_get_bypath(lg, "dir/sub/new.md", 0)) && !memcmp(e->id.id, ch[0].oid, 20) &&
	       e->mode == 0100644 && e->file_size == (uint32_t)ch[0].st.st_size,
	   "%s: libgit2 sees the new file's id, mode and size", what);
	ok((e = git_index_get_bypath(lg, "a.md", 0)) && !memcmp(e->id.id, ch[1].oid, 20) &&
	       e->mtime.seconds == (int32_t)ch[1].st.st_mtim.tv_sec &&
	       e->mtime.nanoseconds == (uint32_t)ch[1].st.st_mtim.tv_nsec,
	   "%s: ... the changed file's id and time", what);
	ok(!git_index_get_bypath(lg, "z.md", 0), "%s: ... and no removed file", what);
	ok(git_index_get_bypath(lg, "dir/b.md", 0) && git_index_get_bypath(lg, "x.md", 0),
	   "%s: the untouched entries are still there", what);
	tree_of_entries(g, lg, want);
	is_str(fixture_capture("git -C '%s' write-tree", wt), want,
	       "%s: git write-tree gives the tree of the entries (no stale cache-tree kept)", what);
	git_index_free(lg);
	git_repository_free(g);
	is_str(fixture_capture("git -C '%s' status --porcelain --untracked-files=all", wt), status,
	       "%s: git status: those three changes staged, nothing else", what);
	/* (An intent-to-add entry always differs from its file.) */
	is_int(fixture_sh("git -C '%s' diff-files --quiet -- ':!later.md'", wt), 0,
	       "%s: git diff-files: the stat data matches the work tree", what);
	is_str(fixture_capture("git -C '%s' fsck --no-progress --no-dangling 2>&1 && echo fine", wt), "fine",
	       "%s: git fsck is clean", what);
}

int main(void)
{
	struct perf_index ix;
	struct perf_index_change ch[1];
	struct perf_error err = {0};
	git_repository *g = NULL;
	git_index *lg;
	char sum[256];
	int rc;

	if (fixture_init("index"))
		return 1;
	fixture_sh("git config --global user.name 'Ari Example' && git config --global user.email ari@example.com && "
	           "git config --global init.defaultBranch main");

	/* Version 2, as git writes it after a commit. */
	is_int(make_repo("v2"), 0, "a repository made with git");
	is_int(index_version(), 2, "its index is version 2");
	commit_and_compare("version 2", "M  a.md\nA  dir/sub/new.md\nD  z.md");
	is_int(index_version(), 2, "version 2 stays version 2");

	/* Version 3: an intent-to-add entry has the extended flags. */
	is_int(make_repo("v3"), 0, "another repository");
	fixture_sh("cd '%s' && echo later >later.md && git add -N later.md", wt);
	is_int(index_version(), 3, "with an intent-to-add entry its index is version 3");
	commit_and_compare("version 3", "M  a.md\nA  dir/sub/new.md\n A later.md\nD  z.md");
	is_int(index_version(), 3, "version 3 stays version 3");
	lg = read_index(&g);
	ok(lg && git_index_get_bypath(lg, "later.md", 0) &&
	       (git_index_get_bypath(lg, "later.md", 0)->flags_extended & GIT_INDEX_ENTRY_INTENT_TO_ADD),
	   "the intent-to-add entry keeps its flag");
	git_index_free(lg);
	git_repository_free(g);

	/* Version 4 is left to libgit2. */
	is_int(make_repo("v4"), 0, "a third repository");
	fixture_sh("git -C '%s' update-index --index-version 4", wt);
	snprintf(sum, sizeof(sum), "%s", fixture_capture("sha1sum < '%s/.git/index'", wt));
	rc = perf_index_lock(&ix, gitdir, 0, &err);
	is_int(rc, PERF_ENOTFOUND, "a version 4 index is not perf's to write");
	ok(!lock_exists(), "... and the lock is released");
	is_str(fixture_capture("sha1sum < '%s/.git/index'", wt), sum, "... and the index is as it was");

	/* Another git holds the lock. */
	is_int(make_repo("locked"), 0, "a fourth repository");
	fixture_sh("echo theirs >'%sindex.lock'", gitdir);
	rc = perf_index_lock(&ix, gitdir, 0, &err);
	is_int(rc, PERF_ELOCKED, "a held index.lock stops perf");
	ok(strstr(err.msg, "index.lock") && strstr(err.msg, "remove that file"), "... the message names it: %s",
	   err.msg);
	is_str(fixture_capture("cat '%sindex.lock'", gitdir), "theirs", "... and the other's lock is left alone");
	fixture_sh("rm '%sindex.lock'", gitdir);

	/* Rolled back: nothing written, nothing held. */
	snprintf(sum, sizeof(sum), "%s", fixture_capture("sha1sum < '%s/.git/index'", wt));
	rc = perf_index_lock(&ix, gitdir, 0, &err);
	perf_index_rollback(&ix);
	perf_index_rollback(&ix);
	ok(rc == 0 && !lock_exists(), "rollback releases the lock (twice is fine)");
	is_str(fixture_capture("sha1sum < '%s/.git/index'", wt), sum, "... and leaves the index as it was");

	/* No index yet: perf writes the first one. */
	snprintf(wt, sizeof(wt), "%s/empty", fixture_root);
	snprintf(gitdir, sizeof(gitdir), "%s/.git/", wt);
	fixture_sh("git init -q '%s'", wt);
	rc = perf_index_lock(&ix, gitdir, 0, &err);
	is_int(rc, 0, "a repository with no index: locked");
	{
		struct perf_index_entry p;
		ok(!perf_index_lookup(&ix, "first.md", &p), "... and empty");
	}
	change_file(&ch[0], "first.md", "first\n");
	rc = perf_index_commit(&ix, ch, 1, &err);
	is_int(rc, 0, "the first index is written");
	lg = read_index(&g);
	ok(lg && git_index_entrycount(lg) == 1 && git_index_get_bypath(lg, "first.md", 0),
	   "libgit2 reads its one entry");
	git_index_free(lg);
	git_repository_free(g);
	is_str(fixture_capture("git -C '%s' status --porcelain --untracked-files=all", wt), "A  first.md",
	       "git status shows it added");

	/* A conflict: every stage of the path goes, a resolved entry comes. */
	is_int(make_repo("conflict"), 0, "a fifth repository");
	fixture_sh("cd '%s' && git checkout -q -b side && echo side >dir/b.md && git commit -qam side && "
	           "git checkout -q main && echo main >dir/b.md && git commit -qam main && git merge -q side "
	           ">/dev/null 2>&1",
	           wt);
	lg = read_index(&g);
	ok(lg && git_index_has_conflicts(lg), "git merge left a conflict in dir/b.md");
	git_index_free(lg);
	git_repository_free(g);
	rc = perf_index_lock(&ix, gitdir, 0, &err);
	{
		struct perf_index_entry p;
		ok(rc == 0 && !perf_index_lookup(&ix, "dir/b.md", &p), "a conflicted path has no stage-0 entry");
		ok(perf_index_lookup(&ix, "dir/sub/c.md", &p) && perf_index_lookup(&ix, "a.md", &p),
		   "the paths around it are found");
	}
	change_file(&ch[0], "dir/b.md", "both\n");
	rc = perf_index_commit(&ix, ch, 1, &err);
	is_int(rc, 0, "the resolution is written");
	lg = read_index(&g);
	ok(lg && !git_index_has_conflicts(lg), "libgit2 sees no conflict left");
	ok(lg && git_index_get_bypath(lg, "dir/b.md", 0) &&
	       !memcmp(git_index_get_bypath(lg, "dir/b.md", 0)->id.id, ch[0].oid, 20),
	   "... and the resolved entry");
	git_index_free(lg);
	git_repository_free(g);
	is_str(fixture_capture("git -C '%s' status --porcelain --untracked-files=all", wt), "M  dir/b.md",
	       "git status: the resolution staged");
	is_int(fixture_sh("git -C '%s' commit -q --no-edit", wt), 0, "git commits the merge from perf's index");

	/* A path of 4,095 bytes or more: its length no longer fits the entry's flags. */
	is_int(make_repo("long"), 0, "a sixth repository");
	{
		static char longpath[4300];
		struct perf_index_change two[2];
		struct perf_index_entry p;
		size_t n = 0;
		while (n < 4200) {
			memcpy(longpath + n, "dddddddddd/", 11);
			n += 11;
		}
		memcpy(longpath + n, "deep.md", 8);
		/* The file cannot exist (too long a path): its entry borrows x.md's data. */
		change_file(&two[0], "x.md", "x again\n");
		two[1] = two[0];
		two[1].path = longpath;
		rc = perf_index_lock(&ix, gitdir, 0, &err);
		if (!rc)
			rc = perf_index_commit(&ix, two, 2, &err);
		is_int(rc, 0, "an entry with a path of %zu bytes is written (%s)", strlen(longpath), rc ? err.msg : "");
		lg = read_index(&g);
		ok(lg && git_index_get_bypath(lg, longpath, 0) &&
		       !memcmp(git_index_get_bypath(lg, longpath, 0)->id.id, two[0].oid, 20),
		   "libgit2 reads the long path and its id");
		ok(lg && git_index_get_bypath(lg, "z.md", 0) && git_index_get_bypath(lg, "a.md", 0),
		   "... and the entries around it");
		git_index_free(lg);
		git_repository_free(g);
		rc = perf_index_lock(&ix, gitdir, 0, &err);
		ok(rc == 0 && perf_index_lookup(&ix, longpath, &p) && !memcmp(p.oid, two[0].oid, 20),
		   "perf reads its own long entry back");
		ok(rc == 0 && perf_index_lookup(&ix, "x.md", &p) && perf_index_lookup(&ix, "z.md", &p),
		   "... and finds the entries after it");
		perf_index_rollback(&ix);
		{
			char want[32];
			snprintf(want, sizeof(want), "%zu", strlen(longpath));
			is_str(fixture_capture("git -C '%s' ls-files | awk '{ print length($0) }' | sort -n | tail -1",
			                       wt),
			       want, "git ls-files lists the long path whole");
		}
	}

	fixture_done();
	return tap_done();
}
