/*
 * A hermetic place for the unit tests that need a repository: a temporary
 * folder that is HOME, git's global configuration search path and the
 * parent of the repositories a test makes, a fixed author and clock, and no
 * system configuration.  fixture_done removes the folder.
 *
 * Strings returned by fixture_capture live in a static buffer until the
 * next call.
 */
#ifndef PERF_FIXTURE_H
#define PERF_FIXTURE_H

#include <ftw.h>
#include <git2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

static char fixture_root[512];

static inline int fixture_rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

/* Commits made from now on (by git or libgit2) are by NAME <EMAIL>, author and committer. */
static inline void fixture_author(const char *name, const char *email)
{
	setenv("GIT_AUTHOR_NAME", name, 1);
	setenv("GIT_AUTHOR_EMAIL", email, 1);
	setenv("GIT_COMMITTER_NAME", name, 1);
	setenv("GIT_COMMITTER_EMAIL", email, 1);
}

/*
 * Makes the temporary folder (named after the test) and the environment,
 * the author Ari Example (fixture_author changes it); 0 or -1.
 */
static inline int fixture_init(const char *name)
{
	const char *tmp = getenv("TMPDIR");

	git_libgit2_init();
	snprintf(fixture_root, sizeof(fixture_root), "%s/perf-unit-%s-XXXXXX", tmp && *tmp ? tmp : "/tmp", name);
	if (!mkdtemp(fixture_root))
		return -1;
	setenv("HOME", fixture_root, 1);
	setenv("XDG_CONFIG_HOME", fixture_root, 1);
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	fixture_author("Ari Example", "ari@example.com");
	setenv("TZ", "UTC", 1);
	setenv("PERF_NOW", "2026-11-23T10:00:00Z", 1);
	unsetenv("PERF_DIR");
	unsetenv("GIT_DIR");
	unsetenv("GIT_WORK_TREE");
	unsetenv("GIT_INDEX_FILE");
	git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_GLOBAL, fixture_root);
	git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_XDG, fixture_root);
	return 0;
}

static inline void fixture_done(void)
{
	if (fixture_root[0])
		nftw(fixture_root, fixture_rm_one, 16, FTW_DEPTH | FTW_PHYS);
	git_libgit2_shutdown();
}

/* Runs a shell command; its exit code (255 when it did not exit). */
static inline int fixture_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static inline int fixture_sh(const char *fmt, ...)
{
	char cmd[8192];
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 255;
}

/* The output of a shell command, trailing newlines removed. */
static inline const char *fixture_capture(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static inline const char *fixture_capture(const char *fmt, ...)
{
	static char out[65536];
	char cmd[8192];
	va_list ap;
	FILE *p;
	size_t n;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	out[0] = '\0';
	if (!(p = popen(cmd, "r")))
		return out;
	n = fread(out, 1, sizeof(out) - 1, p);
	pclose(p);
	out[n] = '\0';
	while (n && out[n - 1] == '\n')
		out[--n] = '\0';
	return out;
}

#endif
