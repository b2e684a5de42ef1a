/*
 * perf site DIR: the team's record as a static HTML site, one
 * self-contained file per page (see lib/site.h).
 *
 * DIR must be new, empty, or a site perf wrote before: such a folder holds
 * a file .perf-site listing the pages written, and nothing else beside
 * them.  A folder holding anything else is refused, so no file of the
 * user's is ever deleted.  The site is written to a temporary folder beside
 * DIR and swapped in with rename(2), so a failure leaves DIR as it was.
 */
#include "perf.h"
#include "toolkit.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "site.h"
#include "store.h"
#include "value.h"

#define MARKER ".perf-site"

#define INTO(member) PERF_OPT_INTO(struct perf_site_opts, member)
static const struct perf_opt site_opts[] = {
    {.name = "cycle",
     .short_name = 'c',
     .arg = "ID",
     .help = "only this cycle: its page, and the record within its span",
     INTO(cycle)},
    {.name = "person", .short_name = 'p', .arg = "HANDLE", .help = "only this person", INTO(person)},
    {0},
};
#undef INTO

/* A page's path as perf site writes it: index.html, people/<handle>.html, cycles/<id>.html. */
static bool page_name(const char *s)
{
	char h[PERF_HANDLE_MAX + 1];
	const char *rest;
	size_t n;

	if (!strcmp(s, "index.html"))
		return true;
	if (!strncmp(s, "people/", 7))
		rest = s + 7;
	else if (!strncmp(s, "cycles/", 7))
		rest = s + 7;
	else
		return false;
	n = strlen(rest);
	if (n <= 5 || n - 5 > PERF_HANDLE_MAX || strcmp(rest + n - 5, ".html"))
		return false;
	memcpy(h, rest, n - 5);
	h[n - 5] = '\0';
	return perf_value_is_handle(h);
}

/* The pages listed in dir/.perf-site; PERF_ENOTFOUND when there is none or it is not one perf wrote. */
static int read_marker(const char *dir, struct perf_strv *pages)
{
	char path[4096], line[256];
	FILE *f;
	int rc = 0;

	snprintf(path, sizeof(path), "%s/" MARKER, dir);
	if (!(f = fopen(path, "r")))
		return PERF_ENOTFOUND;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (line[0] == '#' || !line[0])
			continue;
		if (!page_name(line)) {
			rc = PERF_ENOTFOUND;
			break;
		}
		if (perf_strv_push(pages, line)) {
			rc = PERF_ENOMEM;
			break;
		}
	}
	fclose(f);
	return rc;
}

/* Finds in dir (a folder perf site wrote) anything not listed in pages: its path into bad. */
static bool foreign(const char *dir, const char *sub, const struct perf_strv *pages, char *bad, size_t badsz)
{
	char path[4096], rel[512];
	struct dirent *e;
	bool found = false;
	DIR *d;

	snprintf(path, sizeof(path), "%s%s%s", dir, sub ? "/" : "", sub ? sub : "");
	if (!(d = opendir(path))) {
		snprintf(bad, badsz, "%s", sub ? sub : ".");
		return true;
	}
	while (!found && (e = readdir(d))) {
		struct stat st;
		char full[4096];
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(rel, sizeof(rel), "%s%s%s", sub ? sub : "", sub ? "/" : "", e->d_name);
		snprintf(full, sizeof(full), "%s/%s", dir, rel);
		if (lstat(full, &st)) {
			found = true;
		} else if (!sub && S_ISDIR(st.st_mode) &&
		           (!strcmp(e->d_name, "people") || !strcmp(e->d_name, "cycles"))) {
			found = foreign(dir, e->d_name, pages, bad, badsz);
			continue;
		} else if (S_ISREG(st.st_mode) && ((!sub && !strcmp(e->d_name, MARKER)) || perf_strv_has(pages, rel))) {
			continue;
		} else {
			found = true;
		}
		if (found)
			snprintf(bad, badsz, "%s", rel);
	}
	closedir(d);
	return found;
}

/* Removes the pages of a site perf wrote, then its folders; false when something else stays. */
static bool remove_site(const char *dir, const struct perf_strv *pages)
{
	char path[4096];

	for (size_t i = 0; i < pages->n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, pages->v[i]);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/" MARKER, dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/people", dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/cycles", dir);
	rmdir(path);
	return rmdir(dir) == 0 || errno == ENOENT;
}

enum target { TARGET_NEW, TARGET_EMPTY, TARGET_SITE };

/* What DIR is now: new, an empty folder, or a site perf wrote (its pages into old). */
static int check_target(const char *dir, enum target *t, struct perf_strv *old, struct perf_error *err)
{
	char bad[512];
	struct stat st;
	struct dirent *e;
	bool empty = true;
	DIR *d;
	int rc;

	if (lstat(dir, &st)) {
		if (errno == ENOENT) {
			*t = TARGET_NEW;
			return 0;
		}
		return perf_error_sys(err, "cannot read '%s'", dir);
	}
	if (!S_ISDIR(st.st_mode))
		return perf_error(err, PERF_EEXISTS, "'%s' exists and is not a folder; choose a new or empty folder",
		                  dir);
	if (!(d = opendir(dir)))
		return perf_error_sys(err, "cannot read '%s'", dir);
	while (empty && (e = readdir(d)))
		empty = !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..");
	closedir(d);
	if (empty) {
		*t = TARGET_EMPTY;
		return 0;
	}
	if ((rc = read_marker(dir, old)) == PERF_ENOMEM)
		return perf_error(err, PERF_ENOMEM, "out of memory");
	if (rc)
		return perf_error(err, PERF_EEXISTS,
		                  "'%s' is not empty and is not a site perf wrote (no valid %s in it); choose a new or "
		                  "empty folder",
		                  dir, MARKER);
	if (foreign(dir, NULL, old, bad, sizeof(bad)))
		return perf_error(
		    err, PERF_EEXISTS,
		    "'%s' holds '%s', which perf site did not write; move it away or choose another folder", dir, bad);
	*t = TARGET_SITE;
	return 0;
}

struct out {
	char tmp[2048];
	struct perf_strv pages;
};

static int write_file(const char *path, const char *data, size_t len, struct perf_error *err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);

	if (fd < 0)
		return perf_error_sys(err, "cannot create '%s'", path);
	while (len) {
		ssize_t n = write(fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			close(fd);
			return perf_error_sys(err, "cannot write '%s'", path);
		}
		data += n;
		len -= (size_t)n;
	}
	if (close(fd))
		return perf_error_sys(err, "cannot write '%s'", path);
	return 0;
}

static int write_page(const char *page, const char *html, size_t len, void *payload, struct perf_error *err)
{
	struct out *o = payload;
	char path[4096], *slash;
	int rc;

	snprintf(path, sizeof(path), "%s/%s", o->tmp, page);
	if ((slash = strrchr(path, '/')) && slash > path + strlen(o->tmp)) {
		*slash = '\0';
		if (mkdir(path, 0777) && errno != EEXIST)
			return perf_error_sys(err, "cannot create '%s'", path);
		*slash = '/';
	}
	/* Listed first, so that a page half written is removed with the rest. */
	if (perf_strv_push(&o->pages, page))
		return perf_error(err, PERF_ENOMEM, "out of memory");
	if ((rc = write_file(path, html, len, err)))
		return rc;
	return 0;
}

static int write_marker(struct out *o, struct perf_error *err)
{
	struct perf_buf b = PERF_BUF_INIT;
	char path[4096];
	int rc = 0;

	rc = perf_buf_puts(&b, "# Written by perf site: the pages of this folder.  perf site replaces them when run\n"
	                       "# again, and refuses a folder that holds anything else.\n");
	for (size_t i = 0; i < o->pages.n && !rc; i++)
		rc = perf_buf_printf(&b, "%s\n", o->pages.v[i]);
	snprintf(path, sizeof(path), "%s/" MARKER, o->tmp);
	rc = rc ? perf_error(err, PERF_ENOMEM, "out of memory") : write_file(path, b.ptr, b.len, err);
	perf_buf_release(&b);
	return rc;
}

/* Puts the finished site at dir: replaces a new or empty folder, or swaps with a previous site. */
static int swap_in(struct out *o, const char *dir, enum target t, const struct perf_strv *old, struct perf_error *err)
{
	char aside[4096];

	if (t != TARGET_SITE) {
		if (rename(o->tmp, dir))
			return perf_error_sys(err, "cannot move the site to '%s'", dir);
		return 0;
	}
#ifdef RENAME_EXCHANGE
	if (renameat2(AT_FDCWD, o->tmp, AT_FDCWD, dir, RENAME_EXCHANGE) == 0) {
		if (!remove_site(o->tmp, old))
			fprintf(stderr,
			        "perf: warning: kept the previous site in '%s': it holds files perf did not write\n",
			        o->tmp);
		return 0;
	}
	if (errno != EINVAL && errno != ENOSYS)
		return perf_error_sys(err, "cannot move the site to '%s'", dir);
#endif
	/* Without an atomic exchange: the old site aside, the new one in, the old one removed. */
	snprintf(aside, sizeof(aside), "%s.old", o->tmp);
	if (rename(dir, aside))
		return perf_error_sys(err, "cannot move the previous site '%s' aside", dir);
	if (rename(o->tmp, dir)) {
		int e = errno;
		rename(aside, dir);
		errno = e;
		return perf_error_sys(err, "cannot move the site to '%s'", dir);
	}
	if (!remove_site(aside, old))
		fprintf(stderr, "perf: warning: kept the previous site in '%s': it holds files perf did not write\n",
		        aside);
	return 0;
}

static int run_site(struct perf_ctx *ctx, int argc, char **argv)
{
	struct perf_optstate st;
	struct perf_error err;
	struct perf_site_opts opts = {NULL, NULL};
	struct perf_strv old = PERF_STRV_INIT;
	struct out o;
	enum target t = TARGET_NEW;
	const char *dir;
	char *copy = NULL, *parent, *base;
	size_t npeople = 0, ncycles = 0;
	mode_t mask;
	int code;

	perf_error_clear(&err);
	memset(&o, 0, sizeof(o));
	if ((code = perf_opt_parse(&st, ctx, argc, argv, &opts, NULL)) != 0)
		return code;
	code = PERF_EXIT_FAIL;
	if (st.index >= argc)
		return perf_usage_error(ctx->cmd, "which folder? (perf site DIR)");
	if (st.index + 1 < argc)
		return perf_usage_error(ctx->cmd, "unexpected argument '%s'", argv[st.index + 1]);
	dir = argv[st.index];
	if (!*dir)
		return perf_usage_error(ctx->cmd, "the folder's name is empty");
	if (strlen(dir) > 1024)
		return perf_usage_error(ctx->cmd, "the folder's name is longer than 1024 bytes");
	/* A site is a publication: it is not made from a record that holds forged commits. */
	if (ctx->broken) {
		perf_error(&err, PERF_EPERM,
		           "not writing a site: the history breaks the team's rules (see above); reset to what the "
		           "team's server holds and try again");
		goto fail;
	}
	if (check_target(dir, &t, &old, &err))
		goto fail;

	/* The temporary folder sits beside DIR, on the same file system, so rename(2) can move it. */
	if (!(copy = strdup(dir))) {
		perf_error(&err, PERF_ENOMEM, "out of memory");
		goto fail;
	}
	while (strlen(copy) > 1 && copy[strlen(copy) - 1] == '/')
		copy[strlen(copy) - 1] = '\0';
	base = basename(copy);
	if (!strcmp(base, ".") || !strcmp(base, "..") || !strcmp(base, "/")) {
		free(copy);
		perf_strv_release(&old);
		return perf_usage_error(ctx->cmd, "name the folder itself, not '%s' (for example ../site)", dir);
	}
	parent = strdup(copy);
	if (!parent) {
		perf_error(&err, PERF_ENOMEM, "out of memory");
		goto fail;
	}
	snprintf(o.tmp, sizeof(o.tmp), "%s/.%s.perf-site-XXXXXX", dirname(parent), base);
	free(parent);
	if (!mkdtemp(o.tmp)) {
		perf_error_sys(&err, "cannot create a folder beside '%s'", dir);
		o.tmp[0] = '\0';
		goto fail;
	}
	mask = umask(022);
	umask(mask);
	if (chmod(o.tmp, 0777 & ~mask)) {
		perf_error_sys(&err, "cannot set the permissions of '%s'", o.tmp);
		goto fail;
	}
	if (perf_site_build(ctx->repo, &opts, write_page, &o, &err) || write_marker(&o, &err) ||
	    swap_in(&o, dir, t, &old, &err))
		goto fail;

	for (size_t i = 0; i < o.pages.n; i++) {
		npeople += !strncmp(o.pages.v[i], "people/", 7);
		ncycles += !strncmp(o.pages.v[i], "cycles/", 7);
	}
	if (ctx->json) {
		printf("{\"dir\": ");
		perf_json_str(stdout, dir);
		printf(", \"pages\": [");
		for (size_t i = 0; i < o.pages.n; i++) {
			printf("%s", i ? ", " : "");
			perf_json_str(stdout, o.pages.v[i]);
		}
		printf("]}\n");
	} else {
		printf("site: %zu page%s in %s (%zu %s, %zu cycle%s); open %s/index.html\n", o.pages.n,
		       o.pages.n == 1 ? "" : "s", dir, npeople, npeople == 1 ? "person" : "people", ncycles,
		       ncycles == 1 ? "" : "s", copy);
	}
	code = fflush(stdout) ? PERF_EXIT_FAIL : PERF_EXIT_OK;
	goto out;
fail:
	code = perf_fail(&err);
	if (o.tmp[0] && !remove_site(o.tmp, &o.pages))
		fprintf(stderr, "perf: warning: could not remove the unfinished site in '%s'\n", o.tmp);
out:
	free(copy);
	perf_strv_release(&o.pages);
	perf_strv_release(&old);
	return code;
}

const struct perf_cmd perf_cmd_site = {
    .group = PERF_GROUP_REPORTS,
    .name = "site",
    .usage = "DIR [--cycle ID] [--person HANDLE]",
    .summary = "write the team's record as a static HTML site: a page per person and per cycle, with charts",
    .opts = site_opts,
    .flags = PERF_CMD_RECORD | PERF_CMD_REPO | PERF_CMD_READS,
    .run = run_site,
};
