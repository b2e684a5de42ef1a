/*
 * perf init [DIR] [--team NAME]: a new team repository.
 */
#include "perf.h"
#include "toolkit.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "doc.h"
#include "gitconfig.h"
#include "schema.h"
#include "sync.h"

struct init_args {
	const char *team;
	bool set_default, signed_;
};

#define INTO(member) PERF_OPT_INTO(struct init_args, member)
static const struct perf_opt init_opts[] = {
    {.name = "team",
     .short_name = 't',
     .arg = "NAME",
     .help = "the team's name (default: the folder's name)",
     INTO(team)},
    {.name = "set-default", .help = "remember this repository in git config perf.repo", INTO(set_default)},
    {.name = "signed", .help = "require signed commits from the start (signing_required: true)", INTO(signed_)},
    {0},
};
#undef INTO

static const char readme[] = "# Our performance conversations\n"
                             "\n"
                             "This repository is kept with [perf](https://example.invalid/perf): professional\n"
                             "expectations agreed between each person and their lead, personal goals, weekly\n"
                             "check-ins, feedback, praise and notes of our 1:1s. Every change is a commit, so\n"
                             "each conversation keeps its history.\n"
                             "\n"
                             "- `people/` who is in the team\n"
                             "- `expectations/`, `goals/`, `checkins/`, `notes/`, `feedback/`, `praise/`\n"
                             "- `cycles/` our cycles of inquiry, `norms/` how we work together\n"
                             "- `.perf/config.yaml` our program, `.perf/templates/` the prompts we co-designed\n"
                             "\n"
                             "Files are Markdown with YAML front matter (see `man 5 perf-format`). Use\n"
                             "`perf` to write them; plain git works beside it.\n";

/* Plain git merges these files with perf's field-level merge too. */
static const char gitattributes[] = "*.md merge=perf\n.perf/config.yaml merge=perf\n";

static int yaml_scalar(struct perf_buf *b, const char *s)
{
	if (!perf_doc_needs_quotes(s))
		return perf_buf_puts(b, s);
	perf_buf_putc(b, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			perf_buf_printf(b, "\\%c", *p);
		else if (*p < 0x20)
			perf_buf_printf(b, "\\x%02x", *p);
		else
			perf_buf_putc(b, (char)*p);
	}
	return perf_buf_putc(b, '"');
}

/* Whether the user's git config signs commits with SSH (gpg.format ssh and a signing key). */
static bool signs_with_ssh(void)
{
	struct perf_gitconfig *cfg = NULL;
	char *format = NULL, *key = NULL;
	bool yes = false;

	if (perf_gitconfig_open(&cfg, NULL, false, NULL) == 0 &&
	    perf_gitconfig_get(cfg, "gpg.format", &format, NULL) == 0 && !strcmp(format, "ssh") &&
	    perf_gitconfig_get(cfg, "user.signingkey", &key, NULL) == 0 && key[0])
		yes = true;
	free(format);
	free(key);
	perf_gitconfig_free(cfg);
	return yes;
}

static int run_init(struct perf_ctx *ctx, int argc, char **argv)
{
	struct perf_optstate st;
	struct perf_error err;
	struct perf_buf dir = PERF_BUF_INIT, config = PERF_BUF_INIT, tpaths[16];
	struct perf_file files[20];
	struct perf_repo *repo = NULL;
	struct init_args a = {0};
	const char *team;
	char teambuf[256];
	size_t nfiles = 0, ntpl = 0;
	int rc = PERF_EXIT_OK;

	perf_error_clear(&err);
	if ((rc = perf_opt_parse(&st, ctx, argc, argv, &a, NULL)) != 0)
		return rc;
	team = a.team;
	if (argc - st.index > 1)
		return perf_usage_error(ctx->cmd, "too many arguments");
	if (st.index < argc)
		perf_buf_puts(&dir, argv[st.index]);
	else if (ctx->dir)
		perf_buf_puts(&dir, ctx->dir);
	else if (perf_repo_default_path(&dir, &err))
		return perf_fail(&err);
	if (!team) {
		const char *slash;
		char real[PATH_MAX];
		const char *d = realpath(dir.ptr, real) ? real : dir.ptr;
		size_t n = strlen(d);
		while (n > 1 && d[n - 1] == '/')
			n--;
		snprintf(teambuf, sizeof(teambuf), "%.*s", (int)n, d);
		slash = strrchr(teambuf, '/');
		team = slash && slash[1] ? slash + 1 : teambuf;
	}
	if (!*team || strchr(team, '\n')) {
		rc = perf_usage_error(ctx->cmd, "the team name must be one non-empty line");
		goto out;
	}

	perf_buf_puts(&config, "# The team's program, co-designed in this repository: see perf-format(5).\n");
	perf_buf_printf(&config, "kind: config\nformat: %d\nteam: ", PERF_FORMAT_VERSION);
	yaml_scalar(&config, team);
	perf_buf_puts(&config, "\ncadences:\n  checkin: weekly\n  share: monthly\n"
	                       "agreement: majority\nmaintainers: []\ngroups: []\n");
	if (a.signed_)
		perf_buf_puts(&config, "signing_required: true\n");
	files[nfiles++] = (struct perf_file){".perf/config.yaml", config.ptr, config.len};
	files[nfiles++] = (struct perf_file){"README.md", readme, sizeof(readme) - 1};
	files[nfiles++] = (struct perf_file){".gitattributes", gitattributes, sizeof(gitattributes) - 1};
	for (const struct perf_schema_kind *const *k = perf_schema_kinds(); *k && ntpl < 16; k++) {
		const struct perf_schema_kind *kind = *k;
		const char *tpl = perf_schema_template(kind);
		if (!tpl)
			continue;
		tpaths[ntpl] = (struct perf_buf)PERF_BUF_INIT;
		perf_buf_printf(&tpaths[ntpl], ".perf/templates/%s.md", kind->name);
		files[nfiles++] = (struct perf_file){tpaths[ntpl].ptr, tpl, strlen(tpl)};
		ntpl++;
	}
	if (perf_repo_init(&repo, dir.ptr, files, nfiles, "init: a new perf team repository\n\nPerf-Kind: init",
	                   perf_print_notice, NULL, &err)) {
		rc = perf_fail(&err);
		goto out;
	}
	if (perf_sync_install_driver(repo, perf_self_path(), &err)) {
		rc = perf_fail(&err);
		goto out;
	}
	if (a.set_default) {
		if (perf_gitconfig_set_user("perf.repo", perf_repo_workdir(repo), &err))
			rc = perf_fail(&err);
	}
	if (ctx->json) {
		printf("{\"path\": ");
		perf_json_str(stdout, perf_repo_workdir(repo));
		printf(", \"team\": ");
		perf_json_str(stdout, team);
		printf("}\n");
	} else {
		printf("Initialized perf team repository '%s' in %s\n", team, perf_repo_workdir(repo));
		fprintf(stderr, "hint: each person now runs 'perf join' there\n");
		if (!a.signed_) {
			/* Without signatures, "who wrote this" rests on what the pusher typed. */
			fprintf(stderr, "note: this team does not require signed commits, so a commit's author is "
			                "whatever the person pushing typed\n");
			if (signs_with_ssh())
				fprintf(stderr,
				        "hint: your git config already signs commits with SSH; require it for "
				        "the team with 'perf init --signed', or later with\n"
				        "hint: 'perf config --team signing_required true' (see perf-verify(1))\n");
			else
				fprintf(stderr,
				        "hint: to require signed commits, a maintainer runs 'perf config --team "
				        "signing_required true' (see perf-verify(1), SIGNED COMMITS)\n");
		}
	}
out:
	for (size_t k = 0; k < ntpl; k++)
		perf_buf_release(&tpaths[k]);
	perf_repo_free(repo);
	perf_buf_release(&dir);
	perf_buf_release(&config);
	return rc;
}

const struct perf_cmd perf_cmd_init = {
    .group = PERF_GROUP_START,
    .name = "init",
    .usage = "[DIR] [--team NAME] [--set-default] [--signed]",
    .summary = "create a team repository",
    .opts = init_opts,
    .flags = PERF_CMD_WRITES,
    .run = run_init,
};
