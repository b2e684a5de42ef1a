/*
 * perf clone URL [DIR], perf sync, perf resolve: share the team's record.
 */
#include "perf.h"
#include "toolkit.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gitconfig.h"
#include "sync.h"

static void progress(void *payload, const char *line, bool final)
{
	(void)payload;
	fprintf(stderr, "\r%s%s", line, final ? "\n" : "");
}

static void print_clashes(const struct perf_sync_result *r)
{
	for (size_t i = 0; i < r->nclashes; i++) {
		const struct perf_sync_clash *c = &r->clashes[i];
		if (!strcmp(c->field, "file"))
			fprintf(stderr, "  %s: deleted on one side and changed on the other%s\n", c->path,
			        c->choice ? " (settled)" : "");
		else
			fprintf(stderr, "  %s: '%s' is %s here and %s there%s\n", c->path, c->field,
			        c->ours ? c->ours : "(absent)", c->theirs ? c->theirs : "(absent)",
			        c->choice ? " (settled)" : "");
	}
}

static void json_clashes(const struct perf_sync_result *r)
{
	printf("[");
	for (size_t i = 0; i < r->nclashes; i++) {
		const struct perf_sync_clash *c = &r->clashes[i];
		printf("%s{\"path\": ", i ? ", " : "");
		perf_json_str(stdout, c->path);
		printf(", \"field\": ");
		perf_json_str(stdout, c->field);
		printf(", \"base\": ");
		perf_json_str(stdout, c->base);
		printf(", \"ours\": ");
		perf_json_str(stdout, c->ours);
		printf(", \"theirs\": ");
		perf_json_str(stdout, c->theirs);
		printf(", \"settled\": %s}", c->choice ? "true" : "false");
	}
	printf("]");
}

/* What arrived and was refused: one line a problem, with who wrote the commit. */
static void print_refusals(const struct perf_sync_result *r)
{
	for (size_t i = 0; i < r->nrefused; i++) {
		const struct perf_sync_refusal *x = &r->refused[i];
		fprintf(stderr, "  %.12s by ", x->commit);
		perf_put_safe(stderr, x->author);
		fprintf(stderr, ": ");
		perf_put_safe(stderr, x->path);
		fprintf(stderr, ": ");
		perf_put_safe(stderr, x->reason);
		fputc('\n', stderr);
	}
}

static void json_refusals(const struct perf_sync_result *r)
{
	printf("[");
	for (size_t i = 0; i < r->nrefused; i++) {
		const struct perf_sync_refusal *x = &r->refused[i];
		printf("%s{\"commit\": \"%s\", \"author\": ", i ? ", " : "", x->commit);
		perf_json_str(stdout, x->author);
		printf(", \"path\": ");
		perf_json_str(stdout, x->path);
		printf(", \"reason\": ");
		perf_json_str(stdout, x->reason);
		printf("}");
	}
	printf("]");
}

/* Long-only options, by id: the table binds each to its name. */
enum { OPT_NO_PUSH = PERF_OPT_FIRST_ID, OPT_SET_DEFAULT, OPT_ABORT };

static const struct perf_opt sync_opts[] = {
    {.name = "remote",
     .short_name = 'r',
     .arg = "NAME",
     .help = "the remote to sync with (default: perf.remote, else origin)"},
    {.name = "no-push", .help = "fetch and merge only", .id = OPT_NO_PUSH},
    {0},
};

static int run_sync(struct perf_ctx *ctx, int argc, char **argv)
{
	struct perf_optstate st;
	struct perf_sync_opts o = {NULL, true, false, progress, NULL, 5};
	struct perf_sync_result r;
	struct perf_error err;
	const char *arg;
	int c, rc;

	perf_error_clear(&err);
	perf_opt_init(&st, ctx->cmd, argc, argv);
	while ((c = perf_opt_next(&st, &arg)) != -1) {
		if (c == 'r')
			o.remote = arg;
		else if (c == OPT_NO_PUSH)
			o.push = false;
		else
			return PERF_EXIT_USAGE;
	}
	if (st.index < argc)
		return perf_usage_error(ctx->cmd, "unexpected argument '%s'", argv[st.index]);
	o.progress = isatty(STDERR_FILENO);
	perf_note_repo(ctx);
	rc = perf_sync(ctx->repo, &o, &r, &err);
	if (ctx->json) {
		printf("{\"ok\": %s, \"fetched\": %zu, \"fast_forward\": %s, \"merged\": %s, \"pushed\": %zu, "
		       "\"clashes\": ",
		       rc ? "false" : "true", r.fetched, r.fast_forward ? "true" : "false", r.merged ? "true" : "false",
		       r.pushed);
		json_clashes(&r);
		printf(", \"refused\": ");
		json_refusals(&r);
		printf(", \"error\": ");
		perf_json_str(stdout, rc ? err.msg : NULL);
		printf("}\n");
	}
	if (rc == PERF_ECONFLICT) {
		fprintf(stderr, "perf: %s:\n", err.msg);
		print_clashes(&r);
		fprintf(stderr, "perf: both values are kept; settle each with 'perf resolve PATH FIELD --ours|--theirs|"
		                "--value V', then run 'perf sync' again\n");
		perf_sync_result_release(&r);
		return PERF_EXIT_FAIL;
	}
	if (rc) {
		int code = perf_fail(&err);
		print_refusals(&r);
		if (r.remote_reason && *r.remote_reason) {
			/* The server's own words: a hook says which commit and why. */
			fprintf(stderr, "perf: the server said:\n");
			perf_put_safe(stderr, r.remote_reason);
			if (r.remote_reason[strlen(r.remote_reason) - 1] != '\n')
				fputc('\n', stderr);
		}
		if (r.nrefused && r.refused_ours)
			fprintf(stderr,
			        "perf: take them back with 'git reset --soft %s' (your text stays in the working "
			        "tree), put them right, and commit again\n",
			        "@{upstream}");
		else if (r.nrefused)
			fprintf(stderr,
			        "perf: nothing was merged and your work is kept; the remote branch must drop "
			        "these commits (reset to before them by someone who can push), then run 'perf sync' "
			        "again\n");
		perf_sync_result_release(&r);
		return code;
	}
	if (!ctx->json) {
		if (r.up_to_date && !r.pushed)
			printf("up to date\n");
		else
			printf("fetched %zu change%s · %s · pushed %zu\n", r.fetched, r.fetched == 1 ? "" : "s",
			       r.merged         ? "merged"
			       : r.fast_forward ? "fast-forwarded"
			                        : "nothing to merge",
			       r.pushed);
	}
	perf_sync_result_release(&r);
	return PERF_EXIT_OK;
}

const struct perf_cmd perf_cmd_sync = {
    .name = "sync",
    .usage = "[--remote NAME] [--no-push]",
    .summary = "fetch, merge field by field, and push",
    .opts = sync_opts,
    .flags = PERF_CMD_REPO | PERF_CMD_WRITES | PERF_CMD_ANYCONFIG,
    .run = run_sync,
};

static const struct perf_opt clone_opts[] = {
    {.name = "set-default", .help = "remember the clone in git config perf.repo", .id = OPT_SET_DEFAULT},
    {0},
};

static int run_clone(struct perf_ctx *ctx, int argc, char **argv)
{
	struct perf_optstate st;
	struct perf_sync_opts o = {NULL, true, false, progress, NULL, 5};
	struct perf_repo *repo = NULL;
	struct perf_sync_result r;
	struct perf_error err;
	struct perf_buf dir = PERF_BUF_INIT;
	const char *arg, *url;
	bool set_default = false;
	int c, rc = PERF_EXIT_OK;

	perf_error_clear(&err);
	perf_opt_init(&st, ctx->cmd, argc, argv);
	while ((c = perf_opt_next(&st, &arg)) != -1) {
		if (c == OPT_SET_DEFAULT)
			set_default = true;
		else
			return PERF_EXIT_USAGE;
	}
	if (argc - st.index < 1 || argc - st.index > 2)
		return perf_usage_error(ctx->cmd, "give a URL and optionally a folder");
	url = argv[st.index];
	if (st.index + 1 < argc) {
		perf_buf_puts(&dir, argv[st.index + 1]);
	} else {
		/* As git: the last path component without .git. */
		size_t n = strlen(url);
		const char *end, *start;
		while (n > 1 && url[n - 1] == '/')
			n--;
		end = url + n;
		if (n > 4 && !strncmp(end - 4, ".git", 4))
			end -= 4;
		start = end;
		while (start > url && start[-1] != '/' && start[-1] != ':')
			start--;
		if (start == end) {
			rc = perf_usage_error(ctx->cmd, "cannot tell a folder name from '%s'; give one", url);
			goto out;
		}
		perf_buf_add(&dir, start, (size_t)(end - start));
	}
	o.progress = isatty(STDERR_FILENO);
	if (perf_sync_clone(&repo, url, dir.ptr, perf_self_path(), &o, &r, &err)) {
		print_refusals(&r);
		rc = perf_fail(&err);
		perf_sync_result_release(&r);
		goto out;
	}
	perf_sync_result_release(&r);
	perf_repo_set_notice(repo, perf_print_notice, NULL);
	if (set_default) {
		if (perf_gitconfig_set_user("perf.repo", perf_repo_workdir(repo), &err))
			rc = perf_fail(&err);
	}
	if (access(".perf/config.yaml", F_OK) != 0) {
		struct perf_buf p = PERF_BUF_INIT;
		perf_buf_printf(&p, "%s.perf/config.yaml", perf_repo_workdir(repo));
		if (access(p.ptr, F_OK) != 0)
			fprintf(stderr,
			        "perf: warning: %s has no .perf/config.yaml; it is not a perf team repository yet "
			        "(run 'perf init %s' to make it one)\n",
			        url, dir.ptr);
		perf_buf_release(&p);
	}
	if (ctx->json) {
		printf("{\"path\": ");
		perf_json_str(stdout, perf_repo_workdir(repo));
		printf(", \"url\": ");
		perf_json_str(stdout, url);
		printf("}\n");
	} else {
		printf("cloned %s into %s\n", url, perf_repo_workdir(repo));
	}
out:
	perf_repo_free(repo);
	perf_buf_release(&dir);
	return rc;
}

const struct perf_cmd perf_cmd_clone = {
    .name = "clone",
    .usage = "URL [DIR] [--set-default]",
    .summary = "get your team's repository",
    .opts = clone_opts,
    .flags = PERF_CMD_WRITES,
    .run = run_clone,
};

static const struct perf_opt resolve_opts[] = {
    {.name = "ours", .short_name = 'o', .help = "keep the value here"},
    {.name = "theirs", .short_name = 't', .help = "take the value from the remote"},
    {.name = "value", .short_name = 'v', .arg = "VALUE", .help = "write this value instead"},
    {.name = "abort",
     .help = "forget the pending merge (your side stays; theirs stays on the remote)",
     .id = OPT_ABORT},
    {0},
};

static int run_resolve(struct perf_ctx *ctx, int argc, char **argv)
{
	struct perf_optstate st;
	struct perf_sync_result r;
	struct perf_error err;
	const char *arg, *choice = NULL, *value = NULL;
	bool abort_merge = false;
	int c, rc = PERF_EXIT_OK;

	perf_error_clear(&err);
	perf_opt_init(&st, ctx->cmd, argc, argv);
	while ((c = perf_opt_next(&st, &arg)) != -1) {
		switch (c) {
		case 'o':
			choice = "ours";
			break;
		case 't':
			choice = "theirs";
			break;
		case 'v':
			choice = "value";
			value = arg;
			break;
		case OPT_ABORT:
			abort_merge = true;
			break;
		default:
			return PERF_EXIT_USAGE;
		}
	}
	argc -= st.index;
	argv += st.index;
	if (abort_merge) {
		if (perf_sync_abort(ctx->repo, &err))
			return perf_fail(&err);
		printf("pending merge forgotten; 'perf sync' will merge again\n");
		return PERF_EXIT_OK;
	}
	if (argc == 0) {
		if (choice)
			return perf_usage_error(ctx->cmd, "name the file (and field) to settle");
		if (perf_sync_pending(ctx->repo, &r, &err))
			return perf_fail(&err);
		if (ctx->json) {
			json_clashes(&r);
			printf("\n");
		} else if (!r.nclashes) {
			printf("nothing to settle\n");
		} else {
			for (size_t i = 0; i < r.nclashes; i++) {
				const struct perf_sync_clash *cl = &r.clashes[i];
				printf("%s %s\tbase: %s\tours: %s\ttheirs: %s%s\n", cl->path, cl->field,
				       cl->base ? cl->base : "(absent)", cl->ours ? cl->ours : "(absent)",
				       cl->theirs ? cl->theirs : "(absent)", cl->choice ? "\t(settled)" : "");
			}
		}
		rc = r.nclashes && !ctx->json ? PERF_EXIT_FAIL : PERF_EXIT_OK;
		perf_sync_result_release(&r);
		return rc;
	}
	if (!choice)
		return perf_usage_error(ctx->cmd, "choose --ours, --theirs or --value VALUE");
	if (argc > 2)
		return perf_usage_error(ctx->cmd, "give PATH and optionally FIELD");
	if (perf_sync_resolve(ctx->repo, argv[0], argc == 2 ? argv[1] : NULL, choice, value, &err))
		return perf_fail(&err);
	if (perf_sync_pending(ctx->repo, &r, &err))
		return perf_fail(&err);
	{
		size_t open = 0;
		for (size_t i = 0; i < r.nclashes; i++)
			if (!r.clashes[i].choice)
				open++;
		if (open)
			printf("settled; %zu clash%s still open (see 'perf resolve')\n", open, open == 1 ? "" : "es");
		else
			printf("all settled; run 'perf sync' to merge and push\n");
	}
	perf_sync_result_release(&r);
	return rc;
}

const struct perf_cmd perf_cmd_resolve = {
    .name = "resolve",
    .usage = "[PATH [FIELD] (--ours | --theirs | --value VALUE)] [--abort]",
    .summary = "settle a field both sides changed",
    .opts = resolve_opts,
    .flags = PERF_CMD_REPO | PERF_CMD_READS | PERF_CMD_ANYCONFIG,
    .run = run_resolve,
};
