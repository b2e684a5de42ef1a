/*
 * The command table: one struct perf_cmd per command (see toolkit.h), listed
 * once in perf.c.  The list feeds dispatch, `perf help`, `--list-commands`,
 * completion and the test that every command has a man page.  Each command
 * file defines its perf_cmd_<name> declared here.
 */
#ifndef PERF_CMD_H
#define PERF_CMD_H

#include <stddef.h>

/* Commands that include only this header still find the toolkit here. */
#include "toolkit.h"

extern const struct perf_cmd *const perf_commands[];
extern const size_t perf_ncommands;
const struct perf_cmd *perf_find_command(const char *name);

#define PERF_DECLARE(name) extern const struct perf_cmd perf_cmd_##name
PERF_DECLARE(init);
PERF_DECLARE(join);
PERF_DECLARE(admit);
PERF_DECLARE(check);
PERF_DECLARE(help);
PERF_DECLARE(goal);
PERF_DECLARE(checkin);
PERF_DECLARE(note);
PERF_DECLARE(action);
PERF_DECLARE(cycle);
PERF_DECLARE(norm);
PERF_DECLARE(group);
PERF_DECLARE(status);
PERF_DECLARE(week);
PERF_DECLARE(clone);
PERF_DECLARE(sync);
PERF_DECLARE(resolve);
PERF_DECLARE(log);
PERF_DECLARE(diff);
PERF_DECLARE(verify);
PERF_DECLARE(hook);
PERF_DECLARE(config);
PERF_DECLARE(merge_driver);
PERF_DECLARE(expect);
PERF_DECLARE(agree);
PERF_DECLARE(reply);
PERF_DECLARE(show);
PERF_DECLARE(ask);
PERF_DECLARE(give);
PERF_DECLARE(feedback);
PERF_DECLARE(praise);
PERF_DECLARE(completion);
PERF_DECLARE(export);
PERF_DECLARE(summary);
PERF_DECLARE(share);
PERF_DECLARE(evidence);
PERF_DECLARE(site);
PERF_DECLARE(keygen);
PERF_DECLARE(retro);
PERF_DECLARE(person);
PERF_DECLARE(people);
PERF_DECLARE(growth);
PERF_DECLARE(packet);

/* What one command lends another. */

/* The commands by group with their summaries, as perf help lists them (in help.c). */
void perf_print_commands(FILE *f);

/* Shows the document TARGET names (goal:ID, a path...) as perf show does:
 * rendered, as JSON with --json, or its file's bytes when raw.  Returns the
 * exit code.  For commands with a show verb of their own (in show.c). */
int perf_show_target(struct perf_ctx *ctx, const char *target, bool raw);
/* perf agree TARGET [--version V], for perf agree and perf norm agree. */
int perf_agree_target(struct perf_ctx *ctx, const char *target, const char *want_version);
/* perf week's JSON keys of one check-in's week, shared with perf status --team. */
struct perf_week_entry;
void perf_week_json(const struct perf_week_entry *e);

#endif
