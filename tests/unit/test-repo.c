/*
 * lib/repo: init, commits of add/replace/remove along the changed paths,
 * retry when HEAD moves under a writer, refusal of bad paths, links and
 * uncommitted work, and a work tree and index in line with HEAD throughout
 * (checked with the real git).
 */
#include <git2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fixture.h"
#include "repo.h"
#include "tap.h"

/* Output of a shell command, trailing newline removed, into a static buffer. */
static const char *capture(const char *cmd)
{
	return fixture_capture("%s", cmd);
}

static bool clean(const char *dir)
{
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "git -C %s fsck --strict --no-progress >/dev/null 2>&1 && echo ok", dir);
	if (strcmp(capture(cmd), "ok"))
		return false;
	snprintf(cmd, sizeof(cmd), "git -C %s status --porcelain --untracked-files=all", dir);
	return !strcmp(capture(cmd), "");
}

struct puts {
	const char *paths[4];
	const char *data[4]; /* NULL: remove */
	const char *subject;
};

static int put_txn(struct perf_txn *txn, void *payload, struct perf_error *err)
{
	struct puts *p = payload;
	int rc;

	for (int i = 0; i < 4 && p->paths[i]; i++) {
		if (p->data[i])
			rc = perf_txn_put(txn, p->paths[i], p->data[i], strlen(p->data[i]), err);
		else
			rc = perf_txn_remove(txn, p->paths[i], err);
		if (rc)
			return rc;
	}
	if ((rc = perf_txn_subject(txn, err, "%s", p->subject)))
		return rc;
	return perf_txn_trailer(txn, "Perf-Path", p->paths[0], err);
}

static int write_one(struct perf_repo *repo, const char *path, const char *data, struct perf_error *err)
{
	struct puts p = {{path}, {data}, "test: write"};
	return perf_repo_write(repo, put_txn, &p, NULL, err);
}

/* Appends a line to counter.md atomically: reads inside the transaction. */
static int append_txn(struct perf_txn *txn, void *payload, struct perf_error *err)
{
	struct perf_buf b = PERF_BUF_INIT;
	const char *line = payload;
	int rc = perf_txn_read(txn, "log.md", &b, err);

	if (rc == PERF_ENOTFOUND)
		rc = 0;
	if (!rc)
		rc = perf_buf_puts(&b, line);
	if (!rc)
		rc = perf_txn_put(txn, "log.md", b.ptr, b.len, err);
	if (!rc)
		rc = perf_txn_subject(txn, err, "append %s", line);
	perf_buf_release(&b);
	return rc;
}

int main(void)
{
	struct perf_repo *repo = NULL, *again = NULL;
	struct perf_error err;
	struct perf_buf b = PERF_BUF_INIT;
	struct perf_file files[] = {{".perf/config.yaml", "kind: config\nformat: 1\n", 23}};
	char dir[600], cmd[2048], before[4096];
	bool committed = false;
	int rc;

	if (fixture_init("repo"))
		return 1;
	fixture_author("Alice Example", "alice@example.com");
	snprintf(dir, sizeof(dir), "%s/team", fixture_root);

	rc = perf_repo_init(&repo, dir, files, 1, "init: test", NULL, NULL, &err);
	is_int(rc, 0, "init succeeds (%s)", rc ? err.msg : "");
	ok(clean(dir), "after init: fsck clean and status empty");
	rc = perf_repo_init(&again, dir, files, 1, "init: test", NULL, NULL, &err);
	is_int(rc, PERF_EEXISTS, "second init refused");

	/* add */
	rc = write_one(repo, "checkins/alice/2026-W47.md", "---\nkind: checkin\n---\nhello\n", &err);
	is_int(rc, 0, "add a document (%s)", rc ? err.msg : "");
	snprintf(cmd, sizeof(cmd), "cat %s/checkins/alice/2026-W47.md", dir);
	is_str(capture(cmd), "---\nkind: checkin\n---\nhello", "the work-tree file has the content");
	snprintf(cmd, sizeof(cmd), "git -C %s show HEAD:checkins/alice/2026-W47.md | tail -n 1", dir);
	is_str(capture(cmd), "hello", "HEAD has the content");
	snprintf(cmd, sizeof(cmd), "git -C %s log -1 '--format=%%an%%n%%s%%n%%(trailers:key=Perf-Path,valueonly)'",
	         dir);
	is_str(capture(cmd), "Alice Example\ntest: write\ncheckins/alice/2026-W47.md", "author, subject and trailer");
	ok(clean(dir), "after add: fsck clean and status empty");

	/* replace */
	rc = write_one(repo, "checkins/alice/2026-W47.md", "---\nkind: checkin\n---\nhello again\n", &err);
	is_int(rc, 0, "replace a document");
	rc = perf_repo_read(repo, "checkins/alice/2026-W47.md", &b, &err);
	is_str(b.ptr, "---\nkind: checkin\n---\nhello again\n", "read back from HEAD");
	ok(clean(dir), "after replace: clean");

	/* several at once */
	{
		struct puts p = {{"goals/alice/a.md", "goals/alice/b.md", "checkins/alice/2026-W47.md"},
		                 {"a\n", "b\n", NULL},
		                 "two adds and a remove"};
		rc = perf_repo_write(repo, put_txn, &p, &committed, &err);
		is_int(rc, 0, "one commit of add, add, remove");
		ok(committed, "the write says it committed");
		snprintf(cmd, sizeof(cmd), "git -C %s show --name-status --format= HEAD | sort", dir);
		is_str(capture(cmd), "A\tgoals/alice/a.md\nA\tgoals/alice/b.md\nD\tcheckins/alice/2026-W47.md",
		       "the commit holds exactly those changes");
		snprintf(cmd, sizeof(cmd), "test -e %s/checkins && echo there || echo gone", dir);
		is_str(capture(cmd), "gone", "the emptied folder is removed from the work tree");
		ok(clean(dir), "after remove: clean");
	}

	/* bad paths leave everything as it was */
	snprintf(cmd, sizeof(cmd), "cd %s && git rev-parse HEAD && git ls-files -s | sha1sum && ls -R | sha1sum", dir);
	snprintf(before, sizeof(before), "%s", capture(cmd));
	{
		const char *bad[] = {"../outside.md", "/etc/passwd", "a//b.md", "a/../b.md",
		                     ".git/config",   "x/.hidden",   "",        "a/./b"};
		for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
			rc = write_one(repo, bad[i], "x\n", &err);
			is_int(rc, PERF_EINVALID, "path '%s' refused: %s", bad[i], err.msg);
		}
	}
	is_str(capture(cmd), before, "refused paths changed nothing");
	snprintf(cmd, sizeof(cmd), "test -e %s/outside.md && echo yes || echo no", fixture_root);
	is_str(capture(cmd), "no", "nothing written outside the repository");

	/* a symlink in the way is never followed */
	fixture_sh("mkdir -p %s/elsewhere && ln -s %s/elsewhere %s/linked", fixture_root, fixture_root, dir);
	rc = write_one(repo, "linked/x.md", "x\n", &err);
	is_int(rc, PERF_EINVALID, "writing through a symlinked folder is refused");
	ok(strstr(err.msg, "symbolic link") != NULL, "message says why: %s", err.msg);
	snprintf(cmd, sizeof(cmd), "ls %s/elsewhere | wc -l", fixture_root);
	is_str(capture(cmd), "0", "nothing written through the link");
	fixture_sh("rm %s/linked", dir);

	/* a file where a folder should be */
	fixture_sh("printf x > %s/notes", dir);
	rc = write_one(repo, "notes/alice/x.md", "x\n", &err);
	is_int(rc, PERF_EINVALID, "a file in place of a folder is refused: %s", err.msg);
	fixture_sh("rm %s/notes", dir);

	/* uncommitted work is never overwritten */
	fixture_sh("printf 'my own edit\\n' > %s/goals/alice/a.md", dir);
	snprintf(cmd, sizeof(cmd), "cd %s && git rev-parse HEAD", dir);
	snprintf(before, sizeof(before), "%s", capture(cmd));
	rc = write_one(repo, "goals/alice/a.md", "perf's version\n", &err);
	is_int(rc, PERF_ECONFLICT, "uncommitted changes are not overwritten: %s", err.msg);
	snprintf(cmd, sizeof(cmd), "cat %s/goals/alice/a.md", dir);
	is_str(capture(cmd), "my own edit", "the user's edit is still there");
	snprintf(cmd, sizeof(cmd), "cd %s && git rev-parse HEAD", dir);
	is_str(capture(cmd), before, "no commit was made");
	fixture_sh("cd %s && git checkout -q -- goals/alice/a.md", dir);

	/* a stale index.lock is reported with the file to remove */
	fixture_sh("touch %s/.git/index.lock", dir);
	rc = write_one(repo, "goals/alice/c.md", "c\n", &err);
	is_int(rc, PERF_ELOCKED, "a held index lock stops the write");
	ok(strstr(err.msg, ".git/index.lock") != NULL, "message names the lock file: %s", err.msg);
	snprintf(cmd, sizeof(cmd), "cd %s && git rev-parse HEAD", dir);
	is_str(capture(cmd), before, "no commit was made while locked");
	fixture_sh("rm %s/.git/index.lock", dir);

	/* HEAD moved by plain git between reads: perf's write still lands on top */
	fixture_sh("cd %s && echo plain > plain.md && git add plain.md && git commit -qm 'plain git'", dir);
	rc = write_one(repo, "goals/alice/d.md", "d\n", &err);
	is_int(rc, 0, "write after plain git moved HEAD");
	snprintf(cmd, sizeof(cmd), "cd %s && git log --format=%%s -2 | tr '\\n' '|'", dir);
	is_str(capture(cmd), "test: write|plain git|", "both commits are in history");
	ok(clean(dir), "clean after interleaving with git");

	/* two processes racing, each appending 25 lines to the same file */
	{
		pid_t kids[2];
		int status, failures = 0;
		for (int k = 0; k < 2; k++) {
			kids[k] = fork();
			if (kids[k] == 0) {
				struct perf_repo *r = NULL;
				struct perf_error e;
				char line[32];
				int bad = 0;
				git_libgit2_init();
				if (perf_repo_open(&r, dir, &e))
					_exit(3);
				for (int i = 0; i < 25; i++) {
					snprintf(line, sizeof(line), "p%d-%02d\n", k, i);
					if (perf_repo_write(r, append_txn, line, NULL, &e)) {
						fprintf(stderr, "# %s\n", e.msg);
						bad++;
					}
				}
				perf_repo_free(r);
				_exit(bad ? 1 : 0);
			}
		}
		for (int k = 0; k < 2; k++) {
			waitpid(kids[k], &status, 0);
			if (!WIFEXITED(status) || WEXITSTATUS(status))
				failures++;
		}
		is_int(failures, 0, "both racing writers finished without error");
		snprintf(cmd, sizeof(cmd), "cd %s && git show HEAD:log.md | sort | uniq | wc -l", dir);
		is_str(capture(cmd), "50", "all 50 appends landed exactly once");
		snprintf(cmd, sizeof(cmd), "cd %s && git show HEAD:log.md | wc -l", dir);
		is_str(capture(cmd), "50", "no append landed twice");
		snprintf(cmd, sizeof(cmd), "cd %s && git log --format=%%s | grep -c '^append'", dir);
		is_str(capture(cmd), "50", "one commit per append");
		ok(clean(dir), "clean after the race");
	}

	perf_buf_release(&b);
	perf_repo_free(repo);
	perf_repo_free(again);
	fixture_done();
	return tap_done();
}
