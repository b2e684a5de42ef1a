/*
 * perf: main, global options, the command table and dispatch.
 */
#include "perf.h"
#include "toolkit.h"

#include "config.h"
#include "verify.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "sync.h"
#include "value.h"

#ifndef PERF_VERSION
#define PERF_VERSION "0.0.0"
#endif

const struct perf_cmd *const perf_commands[] = {
    &perf_cmd_help,       &perf_cmd_init,         &perf_cmd_join,    &perf_cmd_admit,    &perf_cmd_check,
    &perf_cmd_goal,       &perf_cmd_checkin,      &perf_cmd_note,    &perf_cmd_action,   &perf_cmd_cycle,
    &perf_cmd_norm,       &perf_cmd_group,        &perf_cmd_status,  &perf_cmd_clone,    &perf_cmd_sync,
    &perf_cmd_resolve,    &perf_cmd_log,          &perf_cmd_diff,    &perf_cmd_verify,   &perf_cmd_hook,
    &perf_cmd_config,     &perf_cmd_merge_driver, &perf_cmd_expect,  &perf_cmd_agree,    &perf_cmd_reply,
    &perf_cmd_show,       &perf_cmd_ask,          &perf_cmd_give,    &perf_cmd_feedback, &perf_cmd_praise,
    &perf_cmd_completion, &perf_cmd_export,       &perf_cmd_summary, &perf_cmd_share,    &perf_cmd_evidence,
    &perf_cmd_site,       &perf_cmd_keygen,       &perf_cmd_retro,   &perf_cmd_person,   &perf_cmd_week,
    &perf_cmd_people,     &perf_cmd_growth,       &perf_cmd_packet,
};
const size_t perf_ncommands = sizeof(perf_commands) / sizeof(perf_commands[0]);

/* The Linux profiler's commands: handed to it when we do not define them. */
static const char *const profiler_verbs[] = {
    "record",  "stat",         "top",           "trace", "annotate", "script", "sched",       "mem",       "lock",
    "probe",   "bench",        "kmem",          "kvm",   "c2c",      "ftrace", "inject",      "timechart", "evlist",
    "archive", "buildid-list", "buildid-cache", "data",  "report",   "list",   "diff-kernel",
};

const struct perf_cmd *perf_find_command(const char *name)
{
	for (size_t i = 0; i < perf_ncommands; i++)
		if (!strcmp(perf_commands[i]->name, name))
			return perf_commands[i];
	return NULL;
}

/*
 * Before perf presents the record: the commits HEAD has that were not
 * checked yet (pulled with plain git, made by hand) are judged by the
 * team's rules, and what breaks them is named on stderr, so nothing a
 * forged commit wrote passes for the team's word.
 */
static void check_record(struct perf_ctx *ctx)
{
	struct perf_verify_head h;
	struct perf_error err;

	perf_error_clear(&err);
	if (perf_verify_head(ctx->repo, &h, &err)) {
		fprintf(stderr, "perf: warning: cannot check the history by the team's rules: %s\n", err.msg);
		return;
	}
	if (h.violations) {
		fprintf(stderr,
		        "perf: warning: this repository's history breaks the team's rules (%zu problem%s); what those "
		        "commits wrote is not the team's word:\n",
		        h.violations, h.violations == 1 ? "" : "s");
		for (size_t i = 0; i < h.lines.n; i++)
			fprintf(stderr, "perf:   %s\n", h.lines.v[i]);
		fprintf(stderr, "perf: 'perf verify' lists them all; reset to what the team's server holds, or ask "
		                "who made them\n");
		/* Reports say it in their own output too, on a terminal, where a reader will see it
		 * (show marks each document, site refuses to publish; scripts read stderr). */
		if (!ctx->json && isatty(STDOUT_FILENO) && strcmp(ctx->cmd->name, "show") &&
		    strcmp(ctx->cmd->name, "site"))
			printf(
			    "NOT VERIFIED: this repository holds commits the team's rules refuse (perf verify); what "
			    "they wrote is shown below as it is, not as the team's word\n\n");
		ctx->broken = h.violations;
		ctx->distrusted = h.paths;
		h.paths = (struct perf_strv)PERF_STRV_INIT;
	}
	perf_verify_head_release(&h);
}

static void usage(FILE *f)
{
	fprintf(f, "usage: perf [-C DIR] [--json] [--color=WHEN] [--version] [--help] COMMAND [ARGS]\n\n"
	           "Keep your team's performance conversations in git.\n");
	perf_print_commands(f);
	fprintf(f, "\nSee 'perf help COMMAND' for more on a command.\n");
}

/* Runs the Linux profiler if another `perf` is on PATH; never ourselves. */
static int hand_to_profiler(int argc, char **argv)
{
	const char *path = getenv("PATH");
	char self[PATH_MAX], cand[PATH_MAX], real[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	const char *p = path, *colon;

	if (n < 0)
		self[0] = '\0';
	else
		self[n] = '\0';
	while (p && *p) {
		size_t len;
		colon = strchr(p, ':');
		len = colon ? (size_t)(colon - p) : strlen(p);
		if (len > 0 && len < sizeof(cand) - 6) {
			snprintf(cand, sizeof(cand), "%.*s/perf", (int)len, p);
			if (access(cand, X_OK) == 0 && realpath(cand, real) && strcmp(real, self) != 0) {
				char **args = calloc((size_t)argc + 2, sizeof(char *));
				if (!args)
					return PERF_EXIT_FAIL;
				args[0] = (char *)"perf";
				memcpy(args + 1, argv, sizeof(char *) * (size_t)argc);
				execv(cand, args);
				free(args);
				fprintf(stderr, "perf: cannot run the Linux profiler '%s': %s\n", cand,
				        strerror(errno));
				return PERF_EXIT_FAIL;
			}
		}
		p = colon ? colon + 1 : NULL;
	}
	fprintf(stderr,
	        "perf: '%s' is a command of the Linux profiler (also called perf), which is not installed;\n"
	        "perf: install it (Debian: apt-get install linux-perf), or see 'perf help' for this perf's commands\n",
	        argv[0]);
	return PERF_EXIT_FAIL;
}

static int unknown_command(const char *name)
{
	size_t best = 99;

	fprintf(stderr, "perf: '%s' is not a perf command. See 'perf help'.\n", name);
	for (size_t i = 0; i < perf_ncommands; i++) {
		size_t d = perf_edit_distance(name, perf_commands[i]->name);
		if (d < best)
			best = d;
	}
	if (perf_edit_near(name, best)) {
		fprintf(stderr, "\nThe most similar command%s\n", "");
		for (size_t i = 0; i < perf_ncommands; i++)
			if (perf_edit_distance(name, perf_commands[i]->name) == best)
				fprintf(stderr, "\t%s\n", perf_commands[i]->name);
	}
	return PERF_EXIT_USAGE;
}

/* With git config perf.autosync, every write is followed by a sync; a
 * failed sync is reported but does not undo the write. */
static void auto_sync(struct perf_ctx *ctx)
{
	struct perf_sync_opts o = {.push = true, .max_attempts = 5};
	struct perf_sync_result r;
	struct perf_error err;

	if (!ctx->repo || !(ctx->cmd->flags & PERF_CMD_WRITES) || !(ctx->cmd->flags & PERF_CMD_REPO) ||
	    !strcmp(ctx->cmd->name, "sync") || !strcmp(ctx->cmd->name, "resolve"))
		return;
	if (!perf_repo_config_bool(ctx->repo, "perf.autosync"))
		return;
	perf_error_clear(&err);
	if (perf_sync(ctx->repo, &o, &r, &err))
		fprintf(stderr, "perf: saved here, but the automatic sync failed: %s\n", err.msg);
	else
		fprintf(stderr, "perf: synced (fetched %zu, pushed %zu)\n", r.fetched, r.pushed);
	perf_sync_result_release(&r);
}

/* What "perf failed" exits with for the command run (see perf_cmd.fail_exit). */
static int fail_exit = PERF_EXIT_FAIL;

/* rc, or the command's own code for a failure when rc is PERF_EXIT_FAIL. */
static int failed(int rc)
{
	return rc == PERF_EXIT_FAIL ? fail_exit : rc;
}

static int finish(int rc)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		if (errno != EPIPE)
			fprintf(stderr, "perf: cannot write output: %s\n", strerror(errno));
		return fail_exit;
	}
	return rc;
}

/* Whether the option word a (as typed before an operand) takes the next word as its argument. */
static bool takes_next(const struct perf_cmd *cmd, const char *a)
{
	for (const struct perf_opt *o = cmd->opts; o && o->name; o++) {
		if (!o->arg)
			continue;
		if (a[1] == '-' ? !strcmp(a + 2, o->name)
		                : (o->short_name && a[1] && a[strlen(a) - 1] == o->short_name))
			return true;
	}
	return false;
}

/*
 * --json after the command (perf status --json), as gh users type it, for
 * a command that reads and has no --json of its own: taken out of argv as
 * if it came before the command.  Not after "--", nor as an option's
 * argument (perf retro add -m --json keeps its message).
 */
static int json_anywhere(const struct perf_cmd *cmd, int argc, char **argv, bool *json)
{
	for (const struct perf_opt *o = cmd->opts; o && o->name; o++)
		if (!strcmp(o->name, "json"))
			return argc;
	if (!(cmd->flags & PERF_CMD_READS))
		return argc;
	for (int k = 1; k < argc && strcmp(argv[k], "--"); k++) {
		if (strcmp(argv[k], "--json"))
			continue;
		if (argv[k - 1][0] == '-' && argv[k - 1][1] && !strchr(argv[k - 1], '=') &&
		    takes_next(cmd, argv[k - 1]))
			continue;
		*json = true;
		memmove(&argv[k], &argv[k + 1], (size_t)(argc - k - 1) * sizeof(*argv));
		argv[--argc] = NULL;
		k--;
	}
	return argc;
}

int main(int argc, char **argv)
{
	struct perf_ctx ctx;
	struct perf_error err;
	const struct perf_cmd *cmd;
	int i, rc;

	memset(&ctx, 0, sizeof(ctx));
	perf_error_clear(&err);
	/* A closed pipe (a pager quit early, git's pack programs done) is an
	 * error to handle where it happens, not a reason to die silently. */
	signal(SIGPIPE, SIG_IGN);

	/* `git perf ...` arrives as git-perf. */
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (a[0] != '-')
			break;
		if (!strcmp(a, "-C")) {
			if (i + 1 >= argc) {
				fprintf(stderr, "perf: -C needs a folder\n");
				return PERF_EXIT_USAGE;
			}
			ctx.dir = argv[++i];
		} else if (!strncmp(a, "-C", 2)) {
			ctx.dir = a + 2;
		} else if (!strcmp(a, "--json")) {
			ctx.json = true;
		} else if (!strcmp(a, "--no-color") || !strcmp(a, "--color=never")) {
			ctx.color_mode = PERF_COLOR_NEVER;
		} else if (!strcmp(a, "--color") || !strcmp(a, "--color=always")) {
			ctx.color_mode = PERF_COLOR_ALWAYS;
		} else if (!strcmp(a, "--color=auto")) {
			ctx.color_mode = PERF_COLOR_AUTO;
		} else if (!strcmp(a, "--version")) {
			printf("perf %s (libgit2 %s)\n", PERF_VERSION, perf_git_version());
			return finish(0);
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return finish(0);
		} else if (!strcmp(a, "--list-commands")) {
			for (size_t k = 0; k < perf_ncommands; k++)
				printf("%s\n", perf_commands[k]->name);
			return finish(0);
		} else {
			fprintf(stderr, "perf: unknown option '%s'\nhint: see 'perf -h'\n", a);
			return PERF_EXIT_USAGE;
		}
	}
	if (i >= argc) {
		usage(stderr);
		return PERF_EXIT_USAGE;
	}
	cmd = perf_find_command(argv[i]);
	if (!cmd) {
		for (size_t k = 0; k < sizeof(profiler_verbs) / sizeof(*profiler_verbs); k++)
			if (!strcmp(argv[i], profiler_verbs[k]))
				return hand_to_profiler(argc - i, argv + i);
		return unknown_command(argv[i]);
	}
	ctx.cmd = cmd;
	if (cmd->fail_exit)
		fail_exit = cmd->fail_exit;
	argc = i + json_anywhere(cmd, argc - i, argv + i, &ctx.json);
	/* Text from the repository never drives the reader's terminal.  JSON
	 * escapes what reaches stdout raw as JSON; a command that writes data
	 * for other programs passes it byte for byte unless to a terminal. */
	perf_safe_output(ctx.json ? PERF_SAFE_JSON : (cmd->flags & PERF_CMD_DATA) ? PERF_SAFE_DATA : PERF_SAFE_TEXT);
	if (perf_value_now_check(&err))
		return failed(perf_fail(&err));
	if (ctx.color_mode == PERF_COLOR_ALWAYS)
		ctx.color = true;
	else if (ctx.color_mode == PERF_COLOR_AUTO)
		ctx.color = isatty(STDOUT_FILENO) && !getenv("NO_COLOR") &&
		            !(getenv("TERM") && !strcmp(getenv("TERM"), "dumb"));

	perf_repo_global_init();
	/* -h and --list-options need no repository. */
	for (int k = i + 1; k < argc && strcmp(argv[k], "--"); k++)
		if (!strcmp(argv[k], "-h") || !strcmp(argv[k], "--help") || !strcmp(argv[k], "--list-options"))
			goto run;
	if (cmd->flags & PERF_CMD_REPO) {
		if ((rc = perf_repo_open(&ctx.repo, ctx.dir, &err))) {
			rc = failed(perf_fail(&err));
			goto out;
		}
		/* Every write is checked as the team's server would check it, before it lands. */
		perf_repo_set_guard(ctx.repo, perf_verify_guard, NULL);
		perf_repo_set_notice(ctx.repo, perf_print_notice, NULL);
		/* The team's config says which format the files follow: without
		 * it, perf cannot be sure it reads or writes them right. */
		if (!(cmd->flags & PERF_CMD_ANYCONFIG)) {
			struct perf_config *cfg = NULL;
			int r = perf_config_load(ctx.repo, NULL, &cfg, &err);
			perf_config_free(cfg);
			if (r && r != PERF_ENOTFOUND) {
				fprintf(stderr, "perf: %s\n", err.msg);
				fprintf(stderr,
				        "perf: fix .perf/config.yaml (perf check lists its problems; git log -p "
				        "-- .perf/config.yaml shows how it changed) and try again\n");
				rc = fail_exit;
				goto out;
			}
		}
	}
	if ((cmd->flags & PERF_CMD_RECORD) && ctx.repo)
		check_record(&ctx);
run:
	rc = cmd->run(&ctx, argc - i, argv + i);
	perf_pager_finish();
	if (rc == PERF_EXIT_OK)
		auto_sync(&ctx);
out:
	perf_strv_release(&ctx.distrusted);
	perf_repo_free(ctx.repo);
	perf_repo_global_shutdown();
	return finish(rc);
}
