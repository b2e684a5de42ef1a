/*
 * lib/history's walk of commits (perf_history_log): on a small history made
 * with the real git (two people, a side branch merged back, a document
 * deleted and written again, a thread, neighbours whose names share a
 * prefix, an empty commit, commits of 600 files), the commits it lists for
 * a document are those libgit2 finds by walking HEAD in time order and
 * diffing each commit with at most one parent against its parent, for the
 * document and its thread folder; the whole log is every commit in that
 * order; --since, --author and -n cut the same list; a second run, through
 * the cache of commits it saved, lists the same.
 */
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "history.h"
#include "repo.h"
#include "tap.h"

#define T0 1795000000L /* 2026-11-18 */

static char wt[1024];
static int tick;

/* Commits everything in the work tree as who (ari or bo), at the next minute. */
static int commit(const char *who, const char *msg)
{
	long t = T0 + 60L * ++tick;

	return fixture_sh("cd '%s' && git add -A && GIT_AUTHOR_NAME='%c%s Example' GIT_AUTHOR_EMAIL=%s@example.com "
	                  "GIT_AUTHOR_DATE='@%ld +0000' GIT_COMMITTER_DATE='@%ld +0000' "
	                  "git commit -q --allow-empty -m '%s'",
	                  wt, who[0] - 'a' + 'A', who + 1, who, t, t, msg);
}

static int put(const char *path, const char *text)
{
	return fixture_sh("cd '%s' && mkdir -p \"$(dirname '%s')\" && printf '%%s\\n' '%s' >'%s'", wt, path, text,
	                  path);
}

/* The history: every commit is a minute after its parents. */
static int make_history(void)
{
	int rc = 0;

	rc |= fixture_sh("git init -q '%s'", wt);
	rc |= put(".perf/config.yaml", "kind: config\nformat: 1");
	rc |= put("people/ari.md", "---\nkind: person\nname: Ari Example\nemail: ari@example.com\n---");
	rc |= put("people/bo.md", "---\nkind: person\nname: Bo Example\nemail: bo@example.com\n---");
	rc |= put("goals/ari/ship.md", "---\nkind: goal\n---\nv1");
	rc |= put("goals/ari/ship-sync.md", "---\nkind: goal\n---\nneighbour");
	rc |= put("checkins/ari/2026-W47.md", "---\nkind: checkin\n---\nweek");
	rc |= commit("ari", "init: the team");
	rc |= put("goals/ari/ship.md", "---\nkind: goal\n---\nv2");
	rc |= commit("ari", "goal: ship v2");
	rc |= put("goals/ari/ship-sync.md", "---\nkind: goal\n---\nneighbour 2");
	rc |= commit("ari", "goal: the neighbour, whose name starts the same");
	rc |= put("goals/ari/ship/20261118T100000Z-bo.md", "---\nkind: reply\n---\na reply");
	rc |= commit("bo", "reply: bo on ship");
	rc |= put("goals/ari/ship-sync/20261118T100000Z-bo.md", "---\nkind: reply\n---\nnot ours");
	rc |= commit("bo", "reply: on the neighbour");
	rc |= commit("ari", "an empty commit");
	/* A side branch, merged back with a commit of its own on main meanwhile. */
	rc |= fixture_sh("git -C '%s' checkout -q -b side", wt);
	rc |= put("goals/ari/ship.md", "---\nkind: goal\n---\nv3 on the side");
	rc |= commit("bo", "goal: ship on the side");
	rc |= put("checkins/ari/2026-W47/20261119T100000Z-bo.md", "---\nkind: reply\n---\nside reply");
	rc |= commit("bo", "reply: on the check-in, on the side");
	rc |= fixture_sh("git -C '%s' checkout -q main", wt);
	rc |= put("checkins/ari/2026-W48.md", "---\nkind: checkin\n---\nnext week");
	rc |= commit("ari", "checkin: W48");
	rc |= fixture_sh("cd '%s' && GIT_AUTHOR_DATE='@%ld +0000' GIT_COMMITTER_DATE='@%ld +0000' "
	                 "git merge -q --no-ff -m 'merge: side' side",
	                 wt, T0 + 60L * (tick + 1), T0 + 60L * (tick + 1));
	tick++;
	/* Deleted, then written again. */
	rc |= fixture_sh("git -C '%s' rm -q goals/ari/ship.md", wt);
	rc |= commit("ari", "goal: ship dropped");
	rc |= put("goals/ari/ship.md", "---\nkind: goal\n---\nback");
	rc |= commit("ari", "goal: ship again");
	/* 600 files elsewhere, then 600 files and one reply to ship: more paths than the walk keeps. */
	rc |= fixture_sh("cd '%s' && mkdir -p bulk && for i in $(seq 1 600); do echo $i >bulk/f$i.md; done", wt);
	rc |= commit("bo", "bulk: 600 files");
	rc |= fixture_sh("cd '%s' && for i in $(seq 1 600); do echo x$i >bulk/f$i.md; done", wt);
	rc |= put("goals/ari/ship/20261120T100000Z-ari.md", "---\nkind: reply\n---\nin bulk");
	rc |= commit("ari", "bulk: 600 files and a reply");
	rc |= put("checkins/ari/2026-W47.md", "---\nkind: checkin\n---\nweek, edited");
	rc |= commit("ari", "checkin: W47 edited");
	return rc;
}

struct want {
	char ids[64][GIT_OID_HEXSZ + 1];
	size_t n;
};

static bool touches(git_diff *d, const char *path, const char *thread)
{
	size_t nt = strlen(thread);

	for (size_t i = 0; i < git_diff_num_deltas(d); i++) {
		const git_diff_delta *dl = git_diff_get_delta(d, i);
		const char *names[2] = {dl->old_file.path, dl->new_file.path};
		for (int k = 0; k < 2; k++)
			if (names[k] &&
			    (!strcmp(names[k], path) || (!strncmp(names[k], thread, nt) && names[k][nt] == '/')))
				return true;
	}
	return false;
}

/*
 * What libgit2 says: commits from HEAD in time order; for a path, those with
 * at most one parent whose diff against it (or the empty tree) touches the
 * document or its thread folder.
 */
static void expected(git_repository *g, const char *path, time_t since, const char *author_email, size_t max,
                     struct want *w)
{
	git_revwalk *walk = NULL;
	git_oid id;
	char thread[512] = "";

	w->n = 0;
	if (path)
		snprintf(thread, sizeof(thread), "%.*s", (int)strlen(path) - 3, path);
	git_revwalk_new(&walk, g);
	git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME);
	git_revwalk_push_head(walk);
	while (git_revwalk_next(&id, walk) == 0 && w->n < 64 && (!max || w->n < max)) {
		git_commit *c = NULL, *p = NULL;
		git_tree *t = NULL, *pt = NULL;
		git_diff *d = NULL;
		bool keep = true;

		git_commit_lookup(&c, g, &id);
		if (since && git_commit_time(c) < since)
			keep = false;
		if (keep && author_email && strcmp(git_commit_author(c)->email, author_email))
			keep = false;
		if (keep && path) {
			if (git_commit_parentcount(c) > 1) {
				keep = false;
			} else {
				if (git_commit_parentcount(c) == 1 && git_commit_parent(&p, c, 0) == 0)
					git_commit_tree(&pt, p);
				git_commit_tree(&t, c);
				keep = git_diff_tree_to_tree(&d, g, pt, t, NULL) == 0 && touches(d, path, thread);
			}
		}
		if (keep)
			git_oid_tostr(w->ids[w->n++], GIT_OID_HEXSZ + 1, &id);
		git_diff_free(d);
		git_tree_free(t);
		git_tree_free(pt);
		git_commit_free(p);
		git_commit_free(c);
	}
	git_revwalk_free(walk);
}

/* Whether perf_history_log with these options lists exactly the commits
 * libgit2 finds (at least at_least of them); both lists as TAP comments when not. */
static bool agree(struct perf_repo *repo, const char *path, time_t since, const char *author, const char *author_email,
                  size_t max, size_t at_least, size_t *found)
{
	struct perf_log_opts o = {path, since, author, max};
	struct perf_log log;
	struct perf_error err = {0};
	struct want w;
	int rc = perf_history_log(repo, &o, &log, &err);
	bool alike;

	{
		/* git's own answer, from a repository handle of libgit2's, not perf's */
		git_repository *g = NULL;
		if (git_repository_open(&g, perf_repo_gitdir(repo)) < 0) {
			printf("#   cannot open %s with libgit2\n", perf_repo_gitdir(repo));
			memset(&w, 0, sizeof(w));
		} else {
			expected(g, path, since, author_email, max, &w);
		}
		git_repository_free(g);
	}
	*found = w.n;
	if (rc)
		printf("#   perf_history_log: %s\n", err.msg);
	alike = !rc && log.n == w.n;
	for (size_t i = 0; alike && i < w.n; i++)
		alike = !strcmp(log.v[i].id, w.ids[i]);
	if (!alike || w.n < at_least) {
		for (size_t i = 0; !rc && i < log.n; i++)
			printf("#   perf:    %.12s %s\n", log.v[i].id, log.v[i].subject);
		for (size_t i = 0; i < w.n; i++)
			printf("#   libgit2: %.12s\n", w.ids[i]);
	}
	if (!rc)
		perf_log_release(&log);
	return alike && w.n >= at_least;
}

static void same(struct perf_repo *repo, const char *what, const char *path, time_t since, const char *author,
                 const char *author_email, size_t max, size_t at_least)
{
	size_t n;
	bool alike = agree(repo, path, since, author, author_email, max, at_least, &n);

	ok(alike, "%s: the %zu commits libgit2's walk and diff find, in order", what, n);
}

int main(void)
{
	struct perf_repo *repo = NULL;
	struct perf_error err = {0};
	char cache[1200];
	int rc;

	if (fixture_init("history"))
		return 1;
	fixture_sh("git config --global init.defaultBranch main");
	snprintf(wt, sizeof(wt), "%s/team", fixture_root);
	is_int(make_history(), 0, "a history of %d commits made with git", tick);
	rc = perf_repo_open(&repo, wt, &err);
	is_int(rc, 0, "perf opens it (%s)", rc ? err.msg : "");
	if (rc)
		return tap_done();
	is_str(fixture_capture("git -C '%s' rev-list --count HEAD", wt), "15", "git counts 15 commits");
	snprintf(cache, sizeof(cache), "%s/.git/perf/cache/log-v2", wt);

	for (int run = 0; run < 2; run++) {
		const char *when = run ? "kept cache" : "no cache";
		char what[128];

		snprintf(what, sizeof(what), "whole log, %s", when);
		same(repo, what, NULL, 0, NULL, NULL, 0, 15);
		snprintf(what, sizeof(what), "goals/ari/ship.md, %s", when);
		same(repo, what, "goals/ari/ship.md", 0, NULL, NULL, 0, 7);
		snprintf(what, sizeof(what), "the neighbour goals/ari/ship-sync.md, %s", when);
		same(repo, what, "goals/ari/ship-sync.md", 0, NULL, NULL, 0, 3);
		snprintf(what, sizeof(what), "checkins/ari/2026-W47.md, %s", when);
		same(repo, what, "checkins/ari/2026-W47.md", 0, NULL, NULL, 0, 3);
		snprintf(what, sizeof(what), "a document no commit touched since, %s", when);
		same(repo, what, "people/bo.md", 0, NULL, NULL, 0, 1);
		snprintf(what, sizeof(what), "a path that never existed, %s", when);
		same(repo, what, "goals/bo/nothing.md", 0, NULL, NULL, 0, 0);
		if (!run)
			ok(fixture_sh("test -s '%s'", cache) == 0, "the walk kept its cache of commits in log-v2");
	}
	same(repo, "--since, whole log", NULL, T0 + 60 * 8, NULL, NULL, 0, 5);
	same(repo, "--since, one goal", "goals/ari/ship.md", T0 + 60 * 8, NULL, NULL, 0, 3);
	same(repo, "--author bo, whole log", NULL, 0, "bo", "bo@example.com", 0, 5);
	same(repo, "--author bo, one goal", "goals/ari/ship.md", 0, "bo", "bo@example.com", 0, 2);
	same(repo, "-n 3, whole log", NULL, 0, NULL, NULL, 3, 3);
	same(repo, "-n 2, one goal", "goals/ari/ship.md", 0, NULL, NULL, 2, 2);

	/* A mode change is a change of the document for git log --full-history. */
	fixture_sh("chmod +x '%s/goals/ari/ship.md'", wt);
	commit("ari", "goal: ship made executable");
	{
		/* perf compares the ids of tree entries, not their modes: a commit
		 * that only makes a document executable is not in its history. */
		size_t n;
		known_breakage(agree(repo, "goals/ari/ship.md", 0, NULL, NULL, 0, 8, &n),
		               "a commit that only changes a document's mode is in its history, as in git log");
	}

	perf_repo_free(repo);
	fixture_done();
	return tap_done();
}
