/*
 * perf merge-driver BASE OURS THEIRS [PATH]: the field-level merge of
 * lib/merge.c for plain git, which runs it as
 * `merge.perf.driver = perf merge-driver %O %A %B %P`.  The result goes
 * into OURS (as git expects); clashes keep our value, are told on stderr
 * and exit 1, so git marks the file as conflicted without any markers.
 *
 * perf merge-driver --install writes that git config into a repository.
 */
#include "perf.h"
#include "toolkit.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "merge.h"
#include "sync.h"

struct merge_driver_args {
	bool install;
};

static const struct perf_opt merge_driver_opts[] = {
    {.name = "install",
     .help = "configure this repository's git to merge with perf",
     PERF_OPT_INTO(struct merge_driver_args, install)},
    {0},
};

/* Replaces path's content: a temporary file in the same folder, renamed over it. */
static int write_atomic(const char *path, const char *data, size_t len, struct perf_error *err)
{
	struct perf_buf tmp = PERF_BUF_INIT;
	const char *slash = strrchr(path, '/');
	struct stat st;
	size_t off = 0;
	int fd, rc = 0;

	if (slash)
		perf_buf_add(&tmp, path, (size_t)(slash - path) + 1);
	if (perf_buf_puts(&tmp, ".perf-merge-XXXXXX"))
		return perf_error(err, PERF_ENOMEM, "out of memory");
	if ((fd = mkstemp(tmp.ptr)) < 0) {
		rc = perf_error_sys(err, "cannot write next to '%s'", path);
		perf_buf_release(&tmp);
		return rc;
	}
	if (stat(path, &st) == 0)
		fchmod(fd, st.st_mode & 07777);
	while (off < len && !rc) {
		ssize_t w = write(fd, data + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			rc = perf_error_sys(err, "cannot write '%s'", tmp.ptr);
		else
			off += (size_t)w;
	}
	if (!rc && fsync(fd) < 0)
		rc = perf_error_sys(err, "cannot write '%s'", tmp.ptr);
	if (close(fd) < 0 && !rc)
		rc = perf_error_sys(err, "cannot write '%s'", tmp.ptr);
	if (!rc && rename(tmp.ptr, path) < 0)
		rc = perf_error_sys(err, "cannot replace '%s'", path);
	if (rc)
		unlink(tmp.ptr);
	perf_buf_release(&tmp);
	return rc;
}

static int install(const struct perf_ctx *ctx)
{
	struct perf_repo *repo = NULL;
	struct perf_buf attrs = PERF_BUF_INIT;
	struct perf_error err;

	if (perf_repo_open(&repo, ctx->dir, &err))
		return perf_fail(&err);
	perf_repo_set_notice(repo, perf_print_notice, NULL);
	if (perf_sync_install_driver(repo, perf_self_path(), &err)) {
		perf_repo_free(repo);
		return perf_fail(&err);
	}
	printf("git in %s now merges with perf wherever .gitattributes says merge=perf\n", perf_repo_workdir(repo));
	if (perf_buf_printf(&attrs, "%s/.gitattributes", perf_repo_workdir(repo)) == 0) {
		struct perf_buf text = PERF_BUF_INIT;
		if (perf_read_input(attrs.ptr, 0, NULL, &text, &err) || !strstr(perf_buf_cstr(&text), "merge=perf"))
			fprintf(stderr, "perf: .gitattributes does not say merge=perf yet; add the lines\n"
			                "perf:   *.md merge=perf\nperf:   .perf/config.yaml merge=perf\n");
		perf_buf_release(&text);
	}
	perf_buf_release(&attrs);
	perf_repo_free(repo);
	return PERF_EXIT_OK;
}

static int run_merge_driver(struct perf_ctx *ctx, int argc, char **argv)
{
	struct perf_optstate st;
	struct perf_error err;
	struct perf_buf base = PERF_BUF_INIT, ours = PERF_BUF_INIT, theirs = PERF_BUF_INIT, line = PERF_BUF_INIT;
	struct perf_merge_result res = PERF_MERGE_RESULT_INIT;
	struct merge_driver_args a = {0};
	const char *path;
	int n, rc;

	perf_error_clear(&err);
	if ((rc = perf_opt_parse(&st, ctx, argc, argv, &a, NULL)) != 0)
		return rc;
	n = argc - st.index;
	argv += st.index;
	if (a.install) {
		if (n)
			return perf_usage_error(ctx->cmd, "--install takes no files");
		return install(ctx);
	}
	if (n < 3 || n > 4)
		return perf_usage_error(ctx->cmd,
		                        "give the base, ours and theirs (git's %%O %%A %%B), and the path (%%P)");
	path = n == 4 ? argv[3] : argv[1];
	if (perf_read_input(argv[0], 0, NULL, &base, &err) || perf_read_input(argv[1], 0, NULL, &ours, &err) ||
	    perf_read_input(argv[2], 0, NULL, &theirs, &err) ||
	    perf_merge_doc(path, base.len ? perf_buf_cstr(&base) : NULL, base.len, perf_buf_cstr(&ours), ours.len,
	                   perf_buf_cstr(&theirs), theirs.len, &res, &err) ||
	    write_atomic(argv[1], perf_buf_cstr(&res.text), res.text.len, &err)) {
		rc = perf_fail(&err);
		goto out;
	}
	for (size_t i = 0; i < res.nclashes; i++) {
		perf_buf_truncate(&line, 0);
		if (perf_merge_clash_describe(&line, path, &res.clashes[i]))
			continue;
		fprintf(stderr, "perf: %s; settle it with 'perf resolve'\n", perf_buf_cstr(&line));
	}
	rc = res.nclashes ? PERF_EXIT_FAIL : PERF_EXIT_OK;
out:
	perf_merge_result_release(&res);
	perf_buf_release(&base);
	perf_buf_release(&ours);
	perf_buf_release(&theirs);
	perf_buf_release(&line);
	return rc;
}

const struct perf_cmd perf_cmd_merge_driver = {
    .group = PERF_GROUP_PLUMBING,
    .name = "merge-driver",
    .usage = "BASE OURS THEIRS [PATH] | --install",
    .summary = "merge one file field by field, for git (merge.perf.driver)",
    .opts = merge_driver_opts,
    .flags = 0,
    .run = run_merge_driver,
};
