/*
 * perf verify [REV-RANGE] [--hook]: check commits against the team's rules;
 * perf verify --allowed-signers [REV]: the keys people list, for git.
 * perf hook install [DIR]: make a bare repository refuse pushes that break them.
 */
#include "perf.h"
#include "toolkit.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "schema.h"
#include "sign.h"
#include "value.h"
#include "verify.h"

struct verify_args {
	bool hook, all, signers;
};

#define INTO(member) PERF_OPT_INTO(struct verify_args, member)
static const struct perf_opt verify_opts[] = {
    {.name = "hook", .help = "read pre-receive lines (old new ref) from stdin, as a git hook", INTO(hook)},
    {.name = "all", .short_name = 'a', .help = "check every commit reachable from the revision", INTO(all)},
    {.name = "allowed-signers",
     .help = "print the allowed-signers file built from people/*.md at REV (default HEAD)",
     INTO(signers)},
    {0},
};
#undef INTO

struct report {
	bool json;
	size_t n;
};

static void print_violation(void *payload, const char *commit, const char *path, const char *reason)
{
	struct report *r = payload;

	if (r->json) {
		printf("%s{\"commit\": \"%s\", \"path\": ", r->n ? ", " : "", commit);
		perf_json_str(stdout, path);
		printf(", \"reason\": ");
		perf_json_str(stdout, reason);
		printf("}");
	} else {
		/* On stderr too in a hook: git shows it to the person pushing. */
		printf("%.12s ", commit);
		perf_put_safe(stdout, path);
		fputs(": ", stdout);
		perf_put_safe(stdout, reason);
		fputc('\n', stdout);
	}
	r->n++;
}

/* The keys people list, as ssh-keygen's ALLOWED SIGNERS, for git verify-commit. */
static int print_signers(struct perf_repo *repo, const char *rev)
{
	struct perf_buf out = PERF_BUF_INIT;
	struct perf_error err;
	size_t skipped = 0;
	int rc = PERF_EXIT_OK;

	perf_error_clear(&err);
	if (perf_verify_allowed_signers(repo, rev, &out, &skipped, &err)) {
		rc = perf_fail(&err);
		goto out;
	}
	fwrite(perf_buf_cstr(&out), 1, out.len, stdout);
	if (skipped)
		fprintf(stderr, "perf: left out %zu key%s that %s not SSH public keys (or whose email is not usable)\n",
		        skipped, skipped == 1 ? "" : "s", skipped == 1 ? "is" : "are");
out:
	perf_buf_release(&out);
	return rc;
}

/* "A..B", "A.." or "..B" split at the dots; false when there are none. */
static bool split_range(const char *range, char *left, size_t lsz, const char **right)
{
	const char *dots = strstr(range, "..");

	if (!dots)
		return false;
	snprintf(left, lsz, "%.*s", (int)(dots - range), range);
	*right = dots[2] ? dots + 2 : "HEAD";
	return true;
}

static int run_verify(struct perf_ctx *ctx, int argc, char **argv)
{
	struct perf_optstate st;
	struct perf_error err;
	struct report r = {ctx->json, 0};
	struct perf_verify *v = NULL;
	struct perf_repo *g = NULL;
	struct verify_args a = {0};
	size_t checked = 0, bad = 0;
	int rc = PERF_EXIT_OK;

	perf_error_clear(&err);
	if ((rc = perf_opt_parse(&st, ctx, argc, argv, &a, NULL)) != 0)
		return rc;
	if (argc - st.index > 1)
		return perf_usage_error(ctx->cmd, "give at most one REV-RANGE");
	/* A single revision already means its whole history; A..B stays bounded by A. */
	(void)a.all;
	/* A bare server repository has no work tree: open whatever git finds.  In
	 * a hook, git's environment names the quarantine holding the pushed objects. */
	if (perf_repo_open_git(&g, ctx->dir, a.hook, &err)) {
		if (err.code == PERF_EGIT)
			perf_error_git(&err, "not in a git repository");
		return perf_fail(&err);
	}
	if (a.signers) {
		rc = print_signers(g, st.index < argc ? argv[st.index] : "HEAD");
		goto out;
	}
	if (perf_verify_open(&v, g, print_violation, &r, &err)) {
		rc = perf_fail(&err);
		goto out;
	}
	if (ctx->json)
		printf("{\"violations\": [");
	if (a.hook) {
		char line[4096];
		while (fgets(line, sizeof(line), stdin)) {
			char old[41], new[41], ref[4000];
			if (sscanf(line, "%40s %40s %3999s", old, new, ref) != 3)
				continue;
			if (perf_verify_update_hex(v, ref, old, new, &err)) {
				rc = perf_fail(&err);
				goto out;
			}
		}
	} else {
		const char *range = st.index < argc ? argv[st.index] : NULL, *right = NULL;
		char left[256];
		if (range && split_range(range, left, sizeof(left), &right))
			rc = perf_verify_revs(v, left[0] ? left : "HEAD", right, &err);
		else
			rc = perf_verify_revs(v, NULL, range ? range : "HEAD", &err);
		if (rc) {
			rc = perf_fail(&err);
			goto out;
		}
	}
	checked = perf_verify_checked(v);
	bad = perf_verify_violations(v);
	if (ctx->json)
		printf("], \"checked\": %zu}\n", checked);
	fflush(stdout); /* in a hook both go to the person pushing: the lines before the count */
	if (bad) {
		fprintf(stderr, "perf: %zu violation%s in %zu commit%s checked\n", bad, bad == 1 ? "" : "s", checked,
		        checked == 1 ? "" : "s");
		rc = PERF_EXIT_FAIL;
	}
out:
	perf_verify_free(v);
	perf_repo_free(g);
	return rc;
}

const struct perf_cmd perf_cmd_verify = {
    .group = PERF_GROUP_PLUMBING,
    .name = "verify",
    .usage = "[REV-RANGE] [--all] [--hook] | --allowed-signers [REV]",
    .summary = "check commits against who may write what",
    .opts = verify_opts,
    .flags = PERF_CMD_READS,
    .run = run_verify,
};

struct hook_args {
	bool force;
};

static const struct perf_opt hook_opts[] = {
    {.name = "force",
     .short_name = 'f',
     .help = "replace an existing pre-receive hook",
     PERF_OPT_INTO(struct hook_args, force)},
    {0},
};

static int run_hook(struct perf_ctx *ctx, int argc, char **argv)
{
	struct perf_optstate st;
	struct perf_error err;
	struct perf_repo *g = NULL;
	struct perf_buf path = PERF_BUF_INIT, script = PERF_BUF_INIT;
	struct hook_args a = {0};
	const char *self = perf_self_path();
	struct stat sb;
	FILE *f;
	int rc = PERF_EXIT_OK;

	perf_error_clear(&err);
	if ((rc = perf_opt_parse(&st, ctx, argc, argv, &a, NULL)) != 0)
		return rc;
	argc -= st.index;
	argv += st.index;
	if (argc < 1 || strcmp(argv[0], "install") || argc > 2)
		return perf_usage_error(ctx->cmd, "use 'perf hook install [DIR]'");
	if (perf_repo_open_git(&g, argc == 2 ? argv[1] : (ctx->dir ? ctx->dir : "."), false, &err)) {
		if (err.code == PERF_EGIT)
			perf_error_git(&err, "not a git repository");
		return perf_fail(&err);
	}
	perf_buf_printf(&path, "%shooks", perf_repo_gitdir(g));
	mkdir(path.ptr, 0777);
	perf_buf_puts(&path, "/pre-receive");
	if (!a.force && stat(path.ptr, &sb) == 0) {
		fprintf(stderr, "perf: %s exists; keep it, or replace it with --force\n", path.ptr);
		rc = PERF_EXIT_FAIL;
		goto out;
	}
	perf_buf_printf(&script,
	                "#!/bin/sh\n"
	                "# Installed by 'perf hook install': refuse pushes that break the team's rules\n"
	                "# (who may write what; see perf-verify(1)).\n"
	                "exec '%s' verify --hook >&2\n",
	                self ? self : "perf");
	f = fopen(path.ptr, "w");
	if (!f || fputs(script.ptr, f) < 0 || fclose(f) != 0 || chmod(path.ptr, 0755) < 0) {
		fprintf(stderr, "perf: cannot write %s: %s\n", path.ptr, strerror(errno));
		rc = PERF_EXIT_FAIL;
		goto out;
	}
	printf("installed %s: pushes are checked with 'perf verify'\n", path.ptr);
	/* git's own guards for what the hook also refuses: no rewinds, no
	 * deletions, no malformed objects. */
	if (perf_verify_harden(g, &err)) {
		rc = perf_fail(&err);
		goto out;
	}
	printf("set receive.denyNonFastForwards, receive.denyDeletes and receive.fsckObjects: history only "
	       "grows, and every object pushed is checked\n");
	if (!perf_verify_team_signs(g))
		printf(
		    "note: this team does not require signed commits, so a commit's author is whatever the person "
		    "pushing typed;\n"
		    "      to make authorship provable, a maintainer runs 'perf config --team signing_required true' "
		    "(see perf-verify(1))\n");
out:
	perf_buf_release(&path);
	perf_buf_release(&script);
	perf_repo_free(g);
	return rc;
}

const struct perf_cmd perf_cmd_hook = {
    .group = PERF_GROUP_PLUMBING,
    .name = "hook",
    .usage = "install [DIR] [--force]",
    .summary = "make a shared repository refuse pushes that break the rules",
    .opts = hook_opts,
    .flags = PERF_CMD_WRITES,
    .run = run_hook,
};
