/*
 * perf clone URL [DIR], perf sync, perf resolve: share the team's record.
 */
#include "perf.h"
#include "toolkit.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gitconfig.h"
#include "private.h"
#include "process.h"
#include "store.h"
#include "sync.h"

static void progress(void *payload, const char *line, bool final)
{
	(void)payload;
	perf_progress(line, final);
}

/* A value short enough to show in a one-line report, or NULL. */
static const char *short_value(const char *v)
{
	if (!v)
		return "(absent)";
	return strlen(v) <= 40 && !strchr(v, '\n') ? v : NULL;
}

/* One line a clash: the path, the field (or body), the two values when they
 * are short; never whole bodies. */
static void print_clash(FILE *f, const char *indent, const struct perf_sync_clash *c)
{
	const char *o = short_value(c->ours), *t = short_value(c->theirs);

	fprintf(f, "%s", indent);
	perf_put_safe(f, c->path);
	if (!strcmp(c->field, "file")) {
		fprintf(f, ": deleted on one side and changed on the other");
	} else if (!strcmp(c->field, "body")) {
		fprintf(f, ": body changed on both sides");
	} else {
		fprintf(f, ": '");
		perf_put_safe(f, c->field);
		if (o && t) {
			fprintf(f, "' is ");
			perf_put_safe(f, o);
			fprintf(f, " here and ");
			perf_put_safe(f, t);
			fprintf(f, " there");
		} else {
			fprintf(f, "' changed on both sides");
		}
	}
	fprintf(f, "%s\n", c->choice ? " (settled)" : "");
}

static void print_clashes(const struct perf_sync_result *r)
{
	for (size_t i = 0; i < r->nclashes; i++)
		print_clash(stderr, "  ", &r->clashes[i]);
}

static void json_clashes(const struct perf_sync_result *r)
{
	printf("[");
	for (size_t i = 0; i < r->nclashes; i++) {
		const struct perf_sync_clash *c = &r->clashes[i];
		perf_json_fields(i ? ", {" : "{", "path", c->path, "field", c->field, "base", c->base, "ours", c->ours,
		                 "theirs", c->theirs, NULL);
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
		perf_json_fields(i ? ", {" : "{", "commit", x->commit, "author", x->author, "path", x->path, "reason",
		                 x->reason, NULL);
		printf("}");
	}
	printf("]");
}

/* Our commits, one line each with the paths they changed below: blamed or dropped. */
static void print_commits(FILE *f, const struct perf_sync_commit *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "  %.12s ", v[i].commit);
		perf_put_safe(f, v[i].subject);
		fputc('\n', f);
		for (size_t k = 0; k < v[i].paths.n; k++) {
			fputs("      ", f);
			perf_put_safe(f, v[i].paths.v[k]);
			fputc('\n', f);
		}
	}
}

static void json_commits(const char *key, const struct perf_sync_commit *v, size_t n)
{
	printf(", \"%s\": [", key);
	for (size_t i = 0; i < n; i++) {
		printf("%s{\"commit\": \"%s\", \"subject\": ", i ? ", " : "", v[i].commit);
		perf_json_str(stdout, v[i].subject);
		printf(", \"paths\": [");
		for (size_t k = 0; k < v[i].paths.n; k++) {
			printf("%s", k ? ", " : "");
			perf_json_str(stdout, v[i].paths.v[k]);
		}
		printf("], \"saved\": ");
		perf_json_str(stdout, v[i].saved);
		printf(", \"named_by_server\": %s}", v[i].named ? "true" : "false");
	}
	printf("]");
}

/*
 * The way out of a refused push: the command that drops the commits at
 * fault (ids, each named once), their text kept, and pushes the rest.
 */
static void print_way_out(const struct perf_strv *ids, bool one_at_fault)
{
	struct perf_buf cmd = PERF_BUF_INIT;

	perf_buf_puts(&cmd, "perf sync");
	for (size_t i = 0; i < ids->n; i++) {
		bool seen = false;
		for (size_t k = 0; k < i; k++)
			seen |= !strcmp(ids->v[k], ids->v[i]);
		if (!seen)
			perf_buf_printf(&cmd, " --drop %.12s", ids->v[i]);
	}
	fprintf(stderr,
	        "perf: %s with '%s': what it changed is saved under .git/perf/saved/ first, and your other "
	        "commits are replayed onto the remote and pushed; then write it again as the rules allow\n",
	        one_at_fault ? "drop it" : "drop the one at fault", perf_buf_cstr(&cmd));
	perf_buf_release(&cmd);
}

/* What the sync dropped (--drop): each commit, where its text is, what was replayed. */
static void print_dropped(const struct perf_sync_result *r, const char *remote)
{
	for (size_t i = 0; i < r->ndropped; i++) {
		const struct perf_sync_commit *x = &r->dropped[i];
		printf("dropped %.12s ", x->commit);
		perf_put_safe(stdout, x->subject);
		printf("\n  its text is saved in ");
		perf_put_safe(stdout, x->saved);
		printf("/ (the files as it left them, changes.patch, commit.txt)\n");
		for (size_t k = 0; k < x->paths.n; k++) {
			printf("    ");
			perf_put_safe(stdout, x->paths.v[k]);
			printf("\n");
		}
	}
	if (r->ndropped)
		printf("replayed %zu later commit%s onto %s\n", r->replayed, r->replayed == 1 ? "" : "s",
		       remote ? remote : "the remote");
}

struct sync_args {
	const char *remote;
	bool no_push;
};

/* The option the parser returns: --drop adds to a list. */
enum { OPT_DROP = PERF_OPT_FIRST_ID };

#define INTO(member) PERF_OPT_INTO(struct sync_args, member)
static const struct perf_opt sync_opts[] = {
    {.name = "remote",
     .short_name = 'r',
     .arg = "NAME",
     .help = "the remote to sync with (default: perf.remote, else origin)",
     INTO(remote)},
    {.name = "no-push", .help = "fetch and merge only", INTO(no_push)},
    {.name = "drop",
     .arg = "COMMIT",
     .help = "first take away a commit of yours the remote refused, keeping its text (repeatable)",
     .id = OPT_DROP},
    {0},
};
#undef INTO

static int run_sync(struct perf_ctx *ctx, int argc, char **argv)
{
	struct perf_optstate st;
	struct perf_sync_opts o = {.push = true, .progress_fn = progress, .max_attempts = 5};
	struct perf_sync_result r;
	struct perf_error err;
	struct perf_strv drop = PERF_STRV_INIT;
	struct sync_args a = {0};
	const char *arg;
	int c, rc;

	perf_error_clear(&err);
	perf_opt_init(&st, ctx->cmd, argc, argv);
	perf_opt_bind(&st, &a);
	while ((c = perf_opt_next(&st, &arg)) != -1) {
		if (c == OPT_DROP && perf_strv_push(&drop, arg) == 0)
			continue;
		else
			return perf_strv_release(&drop), PERF_EXIT_USAGE;
	}
	o.remote = a.remote;
	o.push = !a.no_push;
	if (st.index < argc) {
		perf_strv_release(&drop);
		return perf_usage_error(ctx->cmd, "unexpected argument '%s'", argv[st.index]);
	}
	o.drop = (const char *const *)drop.v;
	o.ndrop = drop.n;
	o.progress = isatty(STDERR_FILENO);
	perf_note_repo(ctx);
	rc = perf_sync(ctx->repo, &o, &r, &err);
	perf_strv_release(&drop);
	if (ctx->json) {
		printf("{\"ok\": %s, \"fetched\": %zu, \"fast_forward\": %s, \"merged\": %s, \"pushed\": %zu, "
		       "\"clashes\": ",
		       rc ? "false" : "true", r.fetched, r.fast_forward ? "true" : "false", r.merged ? "true" : "false",
		       r.pushed);
		json_clashes(&r);
		printf(", \"refused\": ");
		json_refusals(&r);
		json_commits("blamed", r.blamed, r.nblamed);
		json_commits("dropped", r.dropped, r.ndropped);
		printf(", \"replayed\": %zu, \"error\": ", r.replayed);
		perf_json_str(stdout, rc ? err.msg : NULL);
		printf("}\n");
	} else {
		print_dropped(&r, o.remote);
	}
	if (rc == PERF_ECONFLICT && r.nclashes) {
		fprintf(stderr, "perf: %s:\n", err.msg);
		print_clashes(&r);
		fprintf(stderr,
		        "perf: both values are kept; settle each with 'perf resolve PATH [FIELD]' (your editor, "
		        "or --ours, --theirs, --value V), then run 'perf sync' again\n");
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
		if (r.nblamed) {
			struct perf_strv ids = PERF_STRV_INIT;
			bool named = r.blamed[0].named;
			fprintf(stderr, "perf: %s:\n",
			        !named          ? "the server named none of your commits; it was sent these"
			        : r.nblamed > 1 ? "the server refused these commits of yours"
			                        : "the server refused this commit of yours");
			print_commits(stderr, r.blamed, r.nblamed);
			for (size_t i = 0; i < r.nblamed; i++)
				perf_strv_push(&ids, r.blamed[i].commit);
			print_way_out(&ids, named || r.nblamed == 1);
			perf_strv_release(&ids);
		} else if (r.nrefused && r.refused_ours) {
			struct perf_strv ids = PERF_STRV_INIT;
			for (size_t i = 0; i < r.nrefused; i++)
				perf_strv_push(&ids, r.refused[i].commit);
			print_way_out(&ids, true);
			perf_strv_release(&ids);
			fprintf(stderr,
			        "perf: or take back all your unpushed commits with 'git reset --soft %s' (your text "
			        "stays in the working tree), put them right, and commit again\n",
			        "@{upstream}");
		} else if (r.nrefused) {
			fprintf(stderr,
			        "perf: nothing was merged and your work is kept; the remote branch must drop "
			        "these commits (reset to before them by someone who can push), then run 'perf sync' "
			        "again\n");
		}
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
    .group = PERF_GROUP_SYNC,
    .name = "sync",
    .usage = "[--remote NAME] [--no-push] [--drop COMMIT...]",
    .summary = "fetch, merge field by field, and push",
    .opts = sync_opts,
    .flags = PERF_CMD_REPO | PERF_CMD_WRITES | PERF_CMD_ANYCONFIG,
    .run = run_sync,
};

struct clone_args {
	bool set_default;
};

static const struct perf_opt clone_opts[] = {
    {.name = "set-default",
     .help = "remember the clone in git config perf.repo",
     PERF_OPT_INTO(struct clone_args, set_default)},
    {0},
};

static int run_clone(struct perf_ctx *ctx, int argc, char **argv)
{
	struct perf_optstate st;
	struct perf_sync_opts o = {.push = true, .progress_fn = progress, .max_attempts = 5};
	struct perf_repo *repo = NULL;
	struct perf_sync_result r;
	struct perf_error err;
	struct perf_buf dir = PERF_BUF_INIT;
	struct clone_args a = {0};
	const char *url;
	int rc = PERF_EXIT_OK;

	perf_error_clear(&err);
	if ((rc = perf_opt_parse(&st, ctx, argc, argv, &a, NULL)) != 0)
		return rc;
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
	if (a.set_default) {
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
    .group = PERF_GROUP_START,
    .name = "clone",
    .usage = "URL [DIR] [--set-default]",
    .summary = "get your team's repository",
    .opts = clone_opts,
    .flags = PERF_CMD_WRITES,
    .run = run_clone,
};

struct resolve_args {
	bool tool, abort_merge;
};

#define INTO(member) PERF_OPT_INTO(struct resolve_args, member)
static const struct perf_opt resolve_opts[] = {
    {.name = "ours", .short_name = 'o', .help = "keep the value here"},
    {.name = "theirs", .short_name = 't', .help = "take the value from the remote"},
    {.name = "value", .short_name = 'v', .arg = "VALUE", .help = "write this value instead"},
    {.name = "tool", .help = "settle in your git mergetool (merge.tool, mergetool.<tool>.cmd)", INTO(tool)},
    {.name = "abort",
     .help = "forget the pending merge (your side stays; theirs stays on the remote)",
     INTO(abort_merge)},
    {0},
};
#undef INTO

/* Whether the text still holds a conflict marker line, as git's diff3 writes them. */
static bool has_markers(const char *text)
{
	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		static const char *const marks[] = {"<<<<<<<", "|||||||", ">>>>>>>"};
		for (size_t k = 0; k < 3; k++)
			if (!strncmp(p, marks[k], 7) && (!p[7] || strchr(" \r\n", p[7])))
				return true;
		if (!strncmp(p, "=======", 7) && (!p[7] || strchr("\r\n", p[7])))
			return true;
	}
	return false;
}

/* Writes text to dir/name; the full path goes to path. */
static int write_file(struct perf_buf *path, const char *dir, const char *name, const char *text,
                      struct perf_error *err)
{
	FILE *f;

	path->len = 0;
	perf_buf_printf(path, "%s/%s", dir, name);
	if (!(f = fopen(path->ptr, "w")))
		return perf_error_sys(err, "cannot write '%s'", path->ptr);
	fputs(text ? text : "", f);
	if (fclose(f))
		return perf_error_sys(err, "cannot write '%s'", path->ptr);
	return 0;
}

/* Reads the whole file at path into out. */
static int read_file(const char *path, struct perf_buf *out, struct perf_error *err)
{
	char chunk[8192];
	size_t n;
	FILE *f = fopen(path, "r");

	if (!f)
		return perf_error_sys(err, "cannot read back '%s'", path);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		perf_buf_add(out, chunk, n);
	fclose(f);
	return 0;
}

/*
 * Runs the user's git mergetool (merge.tool, mergetool.<tool>.cmd) as git
 * mergetool does: the command through the shell with $BASE, $LOCAL,
 * $REMOTE and $MERGED naming files; MERGED starts as the diff3 layout.
 */
static int run_mergetool(const struct perf_ctx *ctx, const struct perf_sync_clash *c, const char *layout, char **out,
                         struct perf_error *err)
{
	char dir[4096], *tool = NULL, *cmd = NULL;
	const char *tmpdir = getenv("TMPDIR"), *ext = strcmp(c->field, "body") ? "yaml" : "md";
	const char *names[] = {"BASE", "LOCAL", "REMOTE", "MERGED"};
	const char *texts[] = {c->base, c->ours, c->theirs, layout};
	struct perf_buf files[4] = {PERF_BUF_INIT, PERF_BUF_INIT, PERF_BUF_INIT, PERF_BUF_INIT};
	struct perf_buf key = PERF_BUF_INIT, line = PERF_BUF_INIT, name = PERF_BUF_INIT, got = PERF_BUF_INIT;
	int rc = 0, status;

	*out = NULL;
	dir[0] = 0;
	if (perf_repo_config_get(ctx->repo, "merge.tool", &tool, NULL) || !tool || !*tool) {
		rc = perf_error(err, PERF_EINVALID,
		                "no merge tool is set; set one with 'git config merge.tool NAME' and 'git config "
		                "mergetool.NAME.cmd \"...\"', or settle with --ours, --theirs or --value");
		goto out;
	}
	perf_buf_printf(&key, "mergetool.%s.cmd", tool);
	if (perf_repo_config_get(ctx->repo, key.ptr, &cmd, NULL) || !cmd || !*cmd) {
		rc = perf_error(err, PERF_EINVALID,
		                "merge.tool is '%s' but %s is not set; perf runs the command git config gives "
		                "(with $BASE $LOCAL $REMOTE $MERGED)",
		                tool, key.ptr);
		goto out;
	}
	snprintf(dir, sizeof(dir), "%s/perf-resolve-XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
	if (!mkdtemp(dir)) {
		rc = perf_error_sys(err, "cannot create a folder for the merge tool");
		dir[0] = 0;
		goto out;
	}
	for (size_t i = 0; i < 4 && !rc; i++) {
		name.len = 0;
		perf_buf_printf(&name, "%s.%s", names[i], ext);
		rc = write_file(&files[i], dir, name.ptr, texts[i], err);
	}
	if (rc)
		goto out;
	perf_buf_printf(
	    &line, "BASE=\"$1\" LOCAL=\"$2\" REMOTE=\"$3\" MERGED=\"$4\"; export BASE LOCAL REMOTE MERGED; %s", cmd);
	{
		const char *argv[] = {"/bin/sh",    "-c",         line.ptr,     tool, files[0].ptr,
		                      files[1].ptr, files[2].ptr, files[3].ptr, NULL};
		struct perf_process p = PERF_PROCESS_INIT;
		p.argv = argv;
		p.name = tool;
		if ((rc = perf_process_start(&p, err)) || (rc = perf_process_finish(&p, &status, err)))
			goto out;
	}
	if (status != 0) {
		rc = perf_error(err, PERF_EINVALID, "the merge tool '%s' failed (exit %d); nothing was settled", tool,
		                status);
		goto out;
	}
	if ((rc = read_file(files[3].ptr, &got, err)))
		goto out;
	*out = strdup(got.ptr ? got.ptr : "");
out:
	for (size_t i = 0; i < 4; i++) {
		if (files[i].len)
			unlink(files[i].ptr);
		perf_buf_release(&files[i]);
	}
	if (dir[0])
		rmdir(dir);
	free(tool);
	free(cmd);
	perf_buf_release(&key);
	perf_buf_release(&line);
	perf_buf_release(&name);
	perf_buf_release(&got);
	return rc;
}

/* Settles one clash in the editor or the merge tool: checks the text and records it as --value does. */
static int settle_by_hand(const struct perf_ctx *ctx, const struct perf_sync_clash *c, bool tool, struct perf_buf *kept,
                          struct perf_error *err)
{
	struct perf_buf layout = PERF_BUF_INIT, value = PERF_BUF_INIT, suffix = PERF_BUF_INIT;
	const char *base = strrchr(c->path, '/');
	bool body = !strcmp(c->field, "body");
	char *edited = NULL;
	int rc;

	if (!strcmp(c->field, "file"))
		return perf_error(err, PERF_EINVALID,
		                  "%s was deleted on one side and changed on the other; choose --ours or --theirs",
		                  c->path);
	if (body) {
		struct perf_doc *doc = NULL;
		bool sealed =
		    perf_store_load(ctx->repo, NULL, c->path, &doc, NULL, NULL) == 0 && perf_private_doc_is(doc);
		perf_doc_free(doc);
		if (sealed)
			return perf_error(
			    err, PERF_EINVALID,
			    "%s is private: its body is settled by keeping ours or theirs (--ours, --theirs)", c->path);
	}
	if ((rc = perf_sync_clash_text(c, &layout, err)))
		goto out;
	/* The file's name says what is settled: perf-edit-XXXXXX-ship-progress.yaml. */
	base = base ? base + 1 : c->path;
	perf_buf_putc(&suffix, '-');
	perf_buf_add(&suffix, base, strcspn(base, "."));
	perf_buf_putc(&suffix, '-');
	for (const char *p = c->field; *p; p++)
		perf_buf_putc(&suffix, isalnum((unsigned char)*p) || *p == '_' ? *p : '-');
	perf_buf_puts(&suffix, body ? ".md" : ".yaml");
	if (tool)
		rc = run_mergetool(ctx, c, layout.ptr, &edited, err);
	else
		rc = perf_edit_text(ctx, layout.ptr, suffix.ptr, &edited, err);
	if (rc)
		goto out;
	perf_buf_puts(&value, edited);
	if (has_markers(value.ptr)) {
		rc = perf_error(err, PERF_EINVALID,
		                "%s: %s%s%s still has conflict markers (<<<<<<<, |||||||, =======, >>>>>>>); nothing "
		                "was settled",
		                c->path, body ? "the body" : "'", body ? "" : c->field, body ? "" : "'");
		goto out;
	}
	if (!body) {
		/* A field's value is one YAML value: the blank lines around it go. */
		perf_tidy_text(&value);
		while (value.len && value.ptr[value.len - 1] == '\n')
			perf_buf_truncate(&value, value.len - 1);
		if (!value.len) {
			rc =
			    perf_error(err, PERF_EINVALID,
			               "%s: '%s' was left empty; nothing was settled (to drop the field, keep the side "
			               "without it with --ours or --theirs)",
			               c->path, c->field);
			goto out;
		}
	}
	if ((rc = perf_sync_check_value(ctx->repo, c->path, c->field, value.ptr ? value.ptr : "", err)))
		goto out;
	rc = perf_sync_resolve(ctx->repo, c->path, c->field, "value", value.ptr ? value.ptr : "", err);
out:
	if (rc && edited && *edited && perf_save_text(ctx->repo, "resolve", "clash", edited, strlen(edited), kept))
		kept->len = 0;
	free(edited);
	perf_buf_release(&layout);
	perf_buf_release(&value);
	perf_buf_release(&suffix);
	return rc;
}

/* The list of clashes, short; exit 0 when none is open. */
static int list_pending(const struct perf_ctx *ctx)
{
	struct perf_sync_result r;
	struct perf_error err;
	size_t open = 0;

	perf_error_clear(&err);
	if (perf_sync_pending(ctx->repo, &r, &err))
		return perf_fail(&err);
	for (size_t i = 0; i < r.nclashes; i++)
		open += !r.clashes[i].choice;
	if (ctx->json) {
		json_clashes(&r);
		printf("\n");
	} else if (!r.nclashes) {
		printf("nothing to resolve\n");
	} else {
		for (size_t i = 0; i < r.nclashes; i++)
			print_clash(stdout, "", &r.clashes[i]);
		if (open)
			printf("settle each with 'perf resolve PATH [FIELD]' (your editor, or --ours, --theirs, "
			       "--value V)\n");
		else
			printf("nothing left to resolve; run 'perf sync' to merge and push\n");
	}
	perf_sync_result_release(&r);
	return open && !ctx->json ? PERF_EXIT_FAIL : PERF_EXIT_OK;
}

static int run_resolve(struct perf_ctx *ctx, int argc, char **argv)
{
	struct perf_optstate st;
	struct perf_sync_result r;
	struct perf_error err;
	struct resolve_args a = {0};
	const char *arg, *choice = NULL, *value = NULL;
	int c, rc = PERF_EXIT_OK;

	perf_error_clear(&err);
	perf_opt_init(&st, ctx->cmd, argc, argv);
	perf_opt_bind(&st, &a);
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
		default:
			return PERF_EXIT_USAGE;
		}
	}
	argc -= st.index;
	argv += st.index;
	if (a.abort_merge) {
		if (perf_sync_abort(ctx->repo, &err))
			return perf_fail(&err);
		printf("pending merge forgotten; 'perf sync' will merge again\n");
		return PERF_EXIT_OK;
	}
	if (choice && a.tool)
		return perf_usage_error(ctx->cmd,
		                        "--tool settles by hand; do not give --ours, --theirs or --value with it");
	if (argc == 0) {
		if (choice || a.tool)
			return perf_usage_error(ctx->cmd, "name the file (and field) to settle");
		return list_pending(ctx);
	}
	if (argc > 2)
		return perf_usage_error(ctx->cmd, "give PATH and optionally FIELD");
	if (choice) {
		if (perf_sync_resolve(ctx->repo, argv[0], argc == 2 ? argv[1] : NULL, choice, value, &err))
			return perf_fail(&err);
	} else {
		struct perf_buf kept = PERF_BUF_INIT;
		size_t hits = 0;
		if (!a.tool && !perf_editor_usable(ctx)) {
			fprintf(stderr,
			        "perf: no editor is set and there is no terminal to run one; settle with --ours, "
			        "--theirs or --value V, or set EDITOR (or run with --tool)\n");
			return PERF_EXIT_FAIL;
		}
		if (perf_sync_pending(ctx->repo, &r, &err))
			return perf_fail(&err);
		if (!r.nclashes)
			rc = perf_error(&err, PERF_ENOTFOUND, "nothing to resolve: no sync is waiting to be settled");
		for (size_t i = 0; !rc && i < r.nclashes; i++) {
			const struct perf_sync_clash *cl = &r.clashes[i];
			if (strcmp(cl->path, argv[0]) || (argc == 2 && strcmp(cl->field, argv[1])))
				continue;
			/* Named alone, a file's settled fields are left as they are. */
			if (argc == 1 && cl->choice)
				continue;
			hits++;
			rc = settle_by_hand(ctx, cl, a.tool, &kept, &err);
		}
		if (!rc && !hits)
			rc =
			    perf_error(&err, PERF_ENOTFOUND, "no open clash on %s%s%s; see 'perf resolve' for the list",
			               argv[0], argc == 2 ? " field " : "", argc == 2 ? argv[1] : "");
		perf_sync_result_release(&r);
		if (rc) {
			rc = perf_fail(&err);
			if (kept.len)
				fprintf(stderr, "perf: what you wrote is kept in %s\n", kept.ptr);
		}
		perf_buf_release(&kept);
		if (rc)
			return rc;
	}
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
    .group = PERF_GROUP_SYNC,
    .name = "resolve",
    .usage = "[PATH [FIELD] [--ours | --theirs | --value VALUE | --tool]] [--abort]",
    .summary = "settle a field both sides changed",
    .opts = resolve_opts,
    .flags = PERF_CMD_REPO | PERF_CMD_READS | PERF_CMD_ANYCONFIG,
    .run = run_resolve,
};
