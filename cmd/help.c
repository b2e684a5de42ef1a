/*
 * perf help [COMMAND]: the manual page, or the built-in usage.
 */
#include "perf.h"
#include "toolkit.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "process.h"

/* The headings of perf_cmd_group, in the order perf help shows them. */
static const char *const group_names[] = {
    [PERF_GROUP_START] = "start a team",
    [PERF_GROUP_WEEK] = "the week",
    [PERF_GROUP_FEEDBACK] = "feedback",
    [PERF_GROUP_TEAM] = "the team",
    [PERF_GROUP_SYNC] = "share and sync",
    [PERF_GROUP_REPORTS] = "reports",
    [PERF_GROUP_PLUMBING] = "plumbing (run by git, servers and shells)",
};

/* Every command under its group's heading; one whose group has no heading
 * (a mistake in its table) shows under "other", so none is ever hidden. */
void perf_print_commands(FILE *f)
{
	size_t width = 0, ngroups = sizeof(group_names) / sizeof(*group_names);

	fprintf(f, "\nCommands:\n");
	for (size_t i = 0; i < perf_ncommands; i++)
		if (strlen(perf_commands[i]->name) > width)
			width = strlen(perf_commands[i]->name);
	for (size_t g = 0; g <= ngroups; g++) {
		const char *heading = g < ngroups ? group_names[g] : NULL;
		bool shown = false;
		if (g < ngroups && !heading)
			continue;
		for (size_t i = 0; i < perf_ncommands; i++) {
			const struct perf_cmd *c = perf_commands[i];
			bool here = g < ngroups ? c->group == (enum perf_cmd_group)g
			                        : (size_t)c->group >= ngroups || !group_names[c->group];
			if (!here)
				continue;
			if (!shown)
				fprintf(f, "\n%s\n", heading ? heading : "other");
			shown = true;
			fprintf(f, "   %-*s  %s\n", (int)width, c->name, c->summary);
		}
	}
}

struct help_args {
	bool usage;
};

static const struct perf_opt help_opts[] = {
    {.name = "usage",
     .short_name = 'u',
     .help = "print the built-in usage instead of opening the manual",
     PERF_OPT_INTO(struct help_args, usage)},
    {0},
};

/* Opens man perf-NAME when man pages are installed and stdout is a terminal. */
static bool open_man(const char *page)
{
	const char *argv[] = {"man", page, NULL};
	struct perf_process p = PERF_PROCESS_INIT;
	int status;

	if (!isatty(STDOUT_FILENO))
		return false;
	p.argv = argv;
	p.err = PERF_PROCESS_NULL;
	if (perf_process_start(&p, NULL) || perf_process_finish(&p, &status, NULL))
		return false;
	return status == 0;
}

static int run_help(struct perf_ctx *ctx, int argc, char **argv)
{
	struct perf_optstate st;
	const struct perf_cmd *cmd;
	struct help_args a = {0};
	char page[128];
	int rc;

	if ((rc = perf_opt_parse(&st, ctx, argc, argv, &a, NULL)) != 0)
		return rc;
	if (st.index >= argc) {
		if (!a.usage && open_man("perf"))
			return PERF_EXIT_OK;
		printf("usage: perf [-C DIR] [--json] [--color=WHEN] [--version] [--help] COMMAND [ARGS]\n");
		perf_print_commands(stdout);
		printf("\nSee 'perf help COMMAND' for more on a command, 'man 5 perf-format' for the files.\n");
		return PERF_EXIT_OK;
	}
	if (argc - st.index > 1)
		return perf_usage_error(ctx->cmd, "give one command");
	if (!strcmp(argv[st.index], "format")) {
		if (!a.usage && open_man("perf-format"))
			return PERF_EXIT_OK;
		printf("The file format is described in perf-format(5): man 5 perf-format\n");
		return PERF_EXIT_OK;
	}
	cmd = perf_find_command(argv[st.index]);
	if (!cmd) {
		fprintf(stderr, "perf: no command '%s'; see 'perf help'\n", argv[st.index]);
		return PERF_EXIT_USAGE;
	}
	snprintf(page, sizeof(page), "perf-%s", cmd->name);
	if (!a.usage && open_man(page))
		return PERF_EXIT_OK;
	perf_print_usage(stdout, cmd);
	return PERF_EXIT_OK;
}

const struct perf_cmd perf_cmd_help = {
    .group = PERF_GROUP_START,
    .name = "help",
    .usage = "[--usage] [COMMAND]",
    .summary = "show the manual of perf or of a command",
    .opts = help_opts,
    .flags = 0,
    .run = run_help,
};
