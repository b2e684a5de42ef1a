/*
 * The command toolkit: what every command is made of and what commands
 * share.  struct perf_cmd describes a command; option parsing, usage
 * errors, failures, safe output, the editor and the pager work from it and
 * from the run's struct perf_ctx.  Commands own stdout, stderr and exit
 * codes: 0 success, 1 failure, 2 usage error (a command whose 1 means
 * something else fails with 3: perf_cmd.fail_exit).  Strings a function returns
 * through a char ** are the caller's to free; the rest is borrowed.
 *
 * It knows no command by name: the list of commands is perf.h's.
 */
#ifndef PERF_TOOLKIT_H
#define PERF_TOOLKIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "buf.h"
#include "error.h"
#include "json.h"
#include "repo.h"
#include "strv.h"

#define PERF_CMD_REPO   1u /* needs a repository (opened before run) */
#define PERF_CMD_WRITES 2u /* makes commits */
#define PERF_CMD_READS  4u /* reads and so takes --json */
/* Runs even when .perf/config.yaml cannot be read (it reports, repairs or
 * fetches what is there); every other repository command refuses then. */
#define PERF_CMD_ANYCONFIG 8u
/* Presents the team's record: the local history is checked by the team's
 * rules first (lib/verify perf_verify_head), and what breaks them is named. */
#define PERF_CMD_RECORD 16u
/* Writes data for another program (perf export, perf completion): its
 * stdout is passed byte for byte, and made safe only on a terminal. */
#define PERF_CMD_DATA 32u

enum { PERF_EXIT_OK = 0, PERF_EXIT_FAIL = 1, PERF_EXIT_USAGE = 2, PERF_EXIT_ERROR = 3 };

/* What the parser does with an option itself: nothing (it returns the
 * option's id), or store it in a field of the command's args struct. */
enum perf_opt_store {
	PERF_STORE_NONE,
	PERF_STORE_FLAG,   /* a bool field: true */
	PERF_STORE_STRING, /* a const char * field: the argument (the last one given) */
};

/*
 * One option of a command, written with designated initializers.  An option
 * is either bound to a field of the command's args struct (PERF_OPT_INTO)
 * and stored there by the parser, or known to the command by its id:
 * perf_opt_next returns it.  Long-only options of the second sort take an
 * id from an enum in their command's file, starting at PERF_OPT_FIRST_ID;
 * options with a short name may leave it 0 and are then known by their
 * letter.  Reordering a table changes nothing but the help.
 */
struct perf_opt {
	const char *name; /* long name, without "--" */
	char short_name;  /* 0 when none */
	const char *arg;  /* argument name, NULL for a flag */
	const char *help;
	int id; /* what perf_opt_next returns; 0: short_name */
	enum perf_opt_store store;
	size_t field; /* offset of the field in the args struct, with store */
};

/* Binds an option to member of the args struct type: a bool member makes
 * it a flag, a const char * member keeps its argument; a member of any
 * other type does not compile. */
#define PERF_OPT_INTO(type, member)                                                                                    \
	.store = _Generic(((type *)0)->member, bool: PERF_STORE_FLAG, const char *: PERF_STORE_STRING),                \
	.field = offsetof(type, member)

/* Ids of long-only options start above every short option's letter. */
#define PERF_OPT_FIRST_ID 256

struct perf_ctx;

#define PERF_VERB_DEFAULT 1u /* runs when no verb is given */

/*
 * One verb of a command whose first operand is a verb (perf goal add ...).
 * The table feeds dispatch (perf_verb_run), the usage and completion.  A
 * verb without a name runs when the first operand names no verb, with every
 * operand (perf group [NAME]).  A table ends with an entry without usage.
 */
struct perf_verb {
	const char *name;
	const char *alias;   /* another name for it ("ls"), or NULL */
	const char *usage;   /* its usage line after "perf CMD ": "add TITLE [--due DATE]", "[list]" */
	const char *summary; /* one line, lowercase, no final period */
	unsigned flags;      /* PERF_VERB_* */
	/* args: what the command parsed from its options; verb: the verb's
	 * name; argc/argv: the operands after the verb. */
	int (*run)(struct perf_ctx *ctx, void *args, const char *verb, int argc, char **argv);
	/* For a verb that sets fields (FIELD=VALUE): the kind and its fields. */
	const char *kind;
	const char *const *fields;
};

/* Where `perf help` lists a command: everyday commands by what they are
 * for, apart from the plumbing that git, servers and shells run. */
enum perf_cmd_group {
	PERF_GROUP_NONE, /* a mistake in the table: perf help names it */
	PERF_GROUP_START,
	PERF_GROUP_WEEK,
	PERF_GROUP_FEEDBACK,
	PERF_GROUP_TEAM,
	PERF_GROUP_SYNC,
	PERF_GROUP_REPORTS,
	PERF_GROUP_PLUMBING,
};

struct perf_cmd {
	enum perf_cmd_group group;
	const char *name;
	const char *usage;   /* after "perf NAME "; NULL with verbs: their usage lines */
	const char *summary; /* one line, lowercase, no final period */
	const struct perf_opt *opts;
	unsigned flags;
	int (*run)(struct perf_ctx *ctx, int argc, char **argv);
	const struct perf_verb *verbs; /* NULL: the command takes no verb */
	/* The exit code when perf itself fails (0: PERF_EXIT_FAIL), for a
	 * command whose 1 means something else (perf status: something is due). */
	int fail_exit;
};

enum perf_color { PERF_COLOR_AUTO, PERF_COLOR_ALWAYS, PERF_COLOR_NEVER };

struct perf_ctx {
	const struct perf_cmd *cmd;
	struct perf_repo *repo; /* opened for PERF_CMD_REPO commands */
	const char *dir;        /* -C DIR, or NULL */
	bool json;
	enum perf_color color_mode;
	bool color; /* decided: colour stdout */
	/* PERF_CMD_RECORD: paths that commits the team's rules refuse wrote (sorted). */
	struct perf_strv distrusted;
	size_t broken; /* rules the local history breaks (0: it was checked and holds) */
};

struct perf_message;

/*
 * Option parsing from a command's table.  perf_opt_next returns the option's
 * id (or its short name), -1 at the end of options, and '?' after printing a
 * usage error.  *arg gets the argument.  After -1, st->index is the first
 * operand.  -h/--help and --list-options are handled inside (they print and
 * exit 0).
 */
struct perf_optstate {
	int index;
	int argc;
	char **argv;
	const struct perf_cmd *cmd;
	size_t nextchar;
	struct perf_message *message; /* takes -m and -F: perf_opt_message */
	void *args;                   /* takes bound options: perf_opt_bind */
};

void perf_opt_init(struct perf_optstate *st, const struct perf_cmd *cmd, int argc, char **argv);
int perf_opt_next(struct perf_optstate *st, const char **arg);

/* From now on perf_opt_next stores the options bound by PERF_OPT_INTO in
 * args instead of returning them. */
void perf_opt_bind(struct perf_optstate *st, void *args);
/* Parses every option of argv for ctx->cmd, whose options must all be bound
 * (or be -m/-F, taken into m when m is not NULL): the fields go into args.
 * Refuses -m with -F.  Returns 0, or the exit code of the usage error it
 * printed. */
int perf_opt_parse(struct perf_optstate *st, const struct perf_ctx *ctx, int argc, char **argv, void *args,
                   struct perf_message *m);
/* perf_opt_parse, then perf_verb_run with the operands: the whole run of a
 * command whose options are all bound and whose work is in its verbs. */
int perf_verb_main(struct perf_ctx *ctx, void *args, int argc, char **argv);

/* Runs the verb argv[0] names (or the default one, with no operand) of
 * ctx->cmd's verbs, with the operands after it; refuses an unknown verb
 * with a usage error that lists them. */
int perf_verb_run(struct perf_ctx *ctx, void *args, int argc, char **argv);

/* Helpers for commands. */
/* Checks the count of operands after the options st parsed: fewer than min
 * is a usage error that says missing, more than max names the first one too
 * many.  Returns 0 or the usage error's exit code. */
int perf_operands(const struct perf_optstate *st, int min, int max, const char *missing);
struct perf_config;
/* Writes the team's config (.perf/config.yaml) in txn, with the commit's
 * subject from fmt and its Perf-Kind and Perf-Path trailers. */
int perf_put_config(struct perf_txn *txn, const struct perf_config *cfg, struct perf_error *err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The target of a document a command names by its id: "KIND:ID", or word
 * itself when it is already a target (has a ':' or a '/'). */
void perf_id_target(const char *kind, const char *word, char *out, size_t size);
int perf_usage_error(const struct perf_cmd *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int perf_fail(const struct perf_error *err); /* prints "perf: msg", returns the exit code for err */
/* A perf_notice_fn: prints "perf: message" on stderr (payload unused). */
void perf_print_notice(void *payload, const char *message);
void perf_print_usage(FILE *f, const struct perf_cmd *cmd);
/* Writes s for a terminal: control characters (but newline and tab) in caret
 * notation, C1 controls as \\u0080..\\u009f, so text from the repository
 * cannot drive the reader's terminal. */
void perf_put_safe(FILE *f, const char *s);
/* What stdout carries: text for a reader, JSON, or data for another
 * program (a PERF_CMD_DATA command). */
enum perf_safe_mode { PERF_SAFE_TEXT, PERF_SAFE_JSON, PERF_SAFE_DATA };
/* From now on, every byte written to stdout and stderr passes a filter
 * that lets only perf's colours (SGR) through and shows other control
 * characters, escape sequences, a carriage return not before a newline
 * and bytes that are not UTF-8 as text; JSON gets JSON escapes instead
 * (and no colour); data is filtered only when stdout is a terminal. */
void perf_safe_output(enum perf_safe_mode out);
/* Transfer progress on stderr: on a terminal, one line that rewrites itself
 * (a carriage return, as git's), ended by a newline when final; elsewhere
 * nothing. */
void perf_progress(const char *line, bool final);
void perf_note_repo(const struct perf_ctx *ctx); /* says which repository a write used, when not obvious */

/* Helpers shared by commands that take a message: -m TEXT, or the editor. */
/* Whether perf may start an editor: one is set ($PERF_EDITOR, perf.editor,
 * $VISUAL, $EDITOR, core.editor), or standard input and output are a
 * terminal for the default one.  perf_edit_text refuses otherwise, saying
 * to use the command's -m or -F. */
bool perf_editor_usable(const struct perf_ctx *ctx);
int perf_edit_text(const struct perf_ctx *ctx, const char *initial, const char *suffix, char **out,
                   struct perf_error *err);
/* Keeps text written in the editor that could not be committed, so it is
 * never lost: .git/perf/saved/<what>-<handle>-<stamp>[-N].md, mode 0600,
 * never committed.  where gets the path; -1 when it cannot be saved. */
int perf_save_text(struct perf_repo *repo, const char *what, const char *handle, const char *text, size_t len,
                   struct perf_buf *where);
/* Removes what the editor showed above the text (from start to end, and
 * the newline after it) when b still begins with it; returns the number
 * of lines removed. */
size_t perf_strip_lead(struct perf_buf *b, const char *start, const char *end);
/* An error about text written in the editor, said at the lines the person
 * saw there: each "PATH:LINE[:COL]: message" of err becomes "line N:
 * message", N = LINE + shift (the editor's lines above the text, less the
 * file's), under "the text you wrote is not valid: ".  Lines that name
 * another file, or no line the editor showed, are left as they are. */
void perf_edit_error(struct perf_error *err, const char *path, long shift);
/* perf_save_text, then says on stderr where the text is and how to use it:
 * "(use it with 'COMMAND -F PATH')", COMMAND made from fmt; or, unless
 * quiet, that it could not be saved. */
void perf_keep_text(struct perf_repo *repo, const char *what, const char *handle, const char *text, size_t len,
                    bool quiet, const char *fmt, ...) __attribute__((format(printf, 7, 8)));
/* Writes on stdout lead, then members of a JSON object, ", " between them:
 * pairs of a key and a string value (NULL is written null), ending with a
 * NULL key.  perf_json_fields("{", "path", p, "at", at, NULL) writes
 * {"path": "...", "at": "..." and leaves the object open. */
void perf_json_fields(const char *lead, ...) __attribute__((sentinel));
/* Drops blank lines at both ends of b and ends the text with one newline. */
int perf_tidy_text(struct perf_buf *b);
/* Appends to out the first line of body with words, outside HTML comments;
 * a heading only when nothing else has words.  Heading marks are dropped. */
void perf_first_line(const char *body, size_t len, struct perf_buf *out);

/*
 * The text of a command that takes -m TEXT (several make paragraphs), -F FILE
 * ('-': standard input) or, with neither, the editor.  -m and -F are
 * gathered while options are parsed; perf_message_get reads the file or runs
 * the editor once the command knows what to show there.  what names the text
 * in messages ("the answer").
 */
struct perf_message {
	const char *what;
	struct perf_buf text; /* the -m paragraphs, the file, or what the editor left */
	const char *file;     /* -F FILE, or NULL */
	bool have_m;
	bool edited; /* the text came from the editor */
};
#define PERF_MESSAGE_INIT(what)                                                                                        \
	{                                                                                                              \
		(what), PERF_BUF_INIT, NULL, false, false                                                              \
	}

/* Adds one -m; -1 when out of memory. */
int perf_message_add(struct perf_message *m, const char *text);
/* From now on perf_opt_next takes -m and -F into m instead of returning
 * them (out of memory there prints and exits, as -h does). */
void perf_opt_message(struct perf_optstate *st, struct perf_message *m);
/* Refuses -m with -F: prints the usage error and returns its exit code, or 0. */
int perf_message_check(const struct perf_message *m, const struct perf_cmd *cmd);
/* Whether the text has words outside HTML comments and headings. */
bool perf_message_has_words(const struct perf_message *m);
/* A failed write of the text: prints err as perf_fail does and, when the
 * text came from the editor and has words, keeps it as perf_keep_text
 * does, for the command made from fmt.  Returns perf_fail's exit code. */
int perf_message_fail(struct perf_repo *repo, const struct perf_message *m, const struct perf_error *err,
                      const char *what, const char *handle, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* Whether the text will come from the editor: neither -m nor -F. */
bool perf_message_from_editor(const struct perf_message *m);
/* Fills m->text: reads -F's file (at most PERF_DOC_MAX_FILE bytes), or opens
 * the editor on template (a file ending in suffix); with -m, does nothing. */
int perf_message_get(const struct perf_ctx *ctx, struct perf_message *m, const char *template, const char *suffix,
                     struct perf_error *err);
/* perf_message_get with a Markdown template; from text the editor left,
 * removes the first copy of shown (what perf wrote there to help, or
 * NULL); then tidies the text as perf_tidy_text does. */
int perf_message_compose(const struct perf_ctx *ctx, struct perf_message *m, const char *template, const char *shown,
                         struct perf_error *err);
void perf_message_release(struct perf_message *m);

/* Reads the file name, or standard input for "-", whole, appending to out.
 * With max, refuses more than max bytes, saying it is too long for what. */
int perf_read_input(const char *name, size_t max, const char *what, struct perf_buf *out, struct perf_error *err);

/* Long text output goes through $PERF_PAGER, perf.pager, $PAGER or less
 * when stdout is a terminal (never with --json); finish waits for it. */
void perf_pager_start(const struct perf_ctx *ctx);
/* The columns to render Markdown in: $COLUMNS, else the terminal's width,
 * at most 80 and at least 20. */
unsigned perf_terminal_width(void);
void perf_pager_finish(void);

/* The absolute path of this perf binary (for git config that runs it). */
const char *perf_self_path(void);

#endif
