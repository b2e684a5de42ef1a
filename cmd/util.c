/*
 * The command toolkit (toolkit.h): option parsing from the tables, errors,
 * safe output, the editor, the pager.
 */
#include "toolkit.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "body.h"
#include "buf.h"
#include "config.h"
#include "doc.h"
#include "process.h"
#include "schema.h"
#include "store.h"
#include "utf8.h"
#include "value.h"

void perf_print_usage(FILE *f, const struct perf_cmd *cmd)
{
	const struct perf_opt *o;

	if (cmd->verbs) {
		for (const struct perf_verb *v = cmd->verbs; v->usage; v++)
			fprintf(f, "%s perf %s %s\n", v == cmd->verbs ? "usage:" : "   or:", cmd->name, v->usage);
	} else {
		fprintf(f, "usage: perf %s%s%s\n", cmd->name, cmd->usage && *cmd->usage ? " " : "",
		        cmd->usage ? cmd->usage : "");
	}
	fprintf(f, "\n%s\n", cmd->summary);
	if (cmd->opts && cmd->opts[0].name) {
		fprintf(f, "\n");
		for (o = cmd->opts; o->name; o++) {
			char left[64];
			if (o->short_name)
				snprintf(left, sizeof(left), "-%c, --%s%s%s", o->short_name, o->name, o->arg ? " " : "",
				         o->arg ? o->arg : "");
			else
				snprintf(left, sizeof(left), "    --%s%s%s", o->name, o->arg ? " " : "",
				         o->arg ? o->arg : "");
			fprintf(f, "    %-26s %s\n", left, o->help);
		}
	}
	if (cmd->flags & PERF_CMD_READS)
		fprintf(f, "\nWith 'perf --json %s', the output is JSON (see perf-%s(1)).\n", cmd->name, cmd->name);
}

/* The line under a usage error: where the whole usage is (perf CMD -h),
 * with the synopsis itself when it is one short line. */
static void usage_hint(const struct perf_cmd *cmd)
{
	if (!cmd->verbs && cmd->usage && strlen(cmd->name) + strlen(cmd->usage) <= 60)
		fprintf(stderr, "hint: usage: perf %s %s (more: 'perf %s -h')\n", cmd->name, cmd->usage, cmd->name);
	else
		fprintf(stderr, "hint: see 'perf %s -h'\n", cmd->name);
}

int perf_usage_error(const struct perf_cmd *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "perf %s: ", cmd->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	usage_hint(cmd);
	return PERF_EXIT_USAGE;
}

int perf_verb_run(struct perf_ctx *ctx, void *args, int argc, char **argv)
{
	const struct perf_verb *v, *implicit = NULL;
	struct perf_buf names = PERF_BUF_INIT;
	int rc;

	for (v = ctx->cmd->verbs; v && v->usage; v++) {
		if (!v->name)
			implicit = v;
		else if (argc == 0 ? (v->flags & PERF_VERB_DEFAULT) != 0
		                   : !strcmp(argv[0], v->name) || (v->alias && !strcmp(argv[0], v->alias)))
			return v->run(ctx, args, v->name, argc ? argc - 1 : 0, argc ? argv + 1 : argv);
	}
	if (implicit)
		return implicit->run(ctx, args, NULL, argc, argv);
	for (v = ctx->cmd->verbs; v && v->usage; v++)
		if (v->name)
			perf_buf_printf(&names, "%s%s", names.len ? ", " : "", v->name);
	rc = perf_usage_error(ctx->cmd, "unknown verb '%s' (%s)", argc ? argv[0] : "", perf_buf_cstr(&names));
	perf_buf_release(&names);
	return rc;
}

int perf_put_config(struct perf_txn *txn, const struct perf_config *cfg, struct perf_error *err, const char *fmt, ...)
{
	struct perf_buf subject = PERF_BUF_INIT;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = perf_buf_vprintf(&subject, fmt, ap);
	va_end(ap);
	if (rc)
		return perf_error(err, PERF_ENOMEM, "out of memory");
	if (!(rc = perf_store_put(txn, perf_schema_kind("config"), cfg->doc, PERF_CONFIG_PATH, err)) &&
	    !(rc = perf_txn_subject(txn, err, "%s", perf_buf_cstr(&subject))) &&
	    !(rc = perf_txn_trailer(txn, "Perf-Kind", "config", err)))
		rc = perf_txn_trailer(txn, "Perf-Path", PERF_CONFIG_PATH, err);
	perf_buf_release(&subject);
	return rc;
}

int perf_operands(const struct perf_optstate *st, int min, int max, const char *missing)
{
	if (st->argc - st->index < min)
		return perf_usage_error(st->cmd, "%s", missing);
	if (st->argc - st->index > max)
		return perf_usage_error(st->cmd, "unexpected argument '%s'", st->argv[st->index + max]);
	return PERF_EXIT_OK;
}

void perf_id_target(const char *kind, const char *word, char *out, size_t size)
{
	if (!strchr(word, ':') && !strchr(word, '/'))
		snprintf(out, size, "%s:%s", kind, word);
	else
		snprintf(out, size, "%s", word);
}

void perf_put_safe(FILE *f, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			/* C1 controls (U+0080-U+009F) act like ESC sequences on some terminals. */
			fprintf(f, "\\u%04x", p[1]);
			p++;
		} else if ((*p < 0x20 && *p != '\n' && *p != '\t') || *p == 0x7f) {
			fputc('^', f);
			fputc(*p == 0x7f ? '?' : *p + 0x40, f);
		} else {
			fputc(*p, f);
		}
	}
}

/*
 * Output that cannot drive the reader's terminal: every byte perf writes to
 * stdout and stderr passes here, so text from the repository (a title, a
 * name, a commit subject) is made safe in one place whatever command prints
 * it.  perf's own colours are SGR sequences (ESC [ digits ; m) and pass,
 * when they ask only for looks perf uses (sgr_perf_uses);
 * any other escape (OSC titles and clipboard writes, cursor moves, screen
 * clears), other C0 controls, a carriage return not followed by a newline
 * and DEL are shown in caret notation, C1 controls as \u0080..\u009f, the
 * bidirectional controls that reorder text (U+202A-U+202E, U+2066-U+2069)
 * as \u202e and the like, and bytes that are not UTF-8 as \xNN.  For JSON (PERF_SAFE_JSON) the same
 * bytes are written as JSON escapes, which a string may hold, and nothing
 * passes, colours neither.  What is not yet judged (an escape sequence, a
 * carriage return, a character split across two writes) is held.
 */
struct safe_stream {
	int fd;
	bool json;
	unsigned char pending[40]; /* ESC..., CR, or a UTF-8 lead byte and what followed it */
	size_t npending, need;     /* need: the length of the UTF-8 character pending */
};

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* One byte that must not reach the terminal as it is, made visible. */
static void put_control(const struct safe_stream *s, struct perf_buf *out, unsigned char c)
{
	if (s->json)
		perf_buf_printf(out, "\\u%04x", c < 0x80 || c > 0x9f ? (c < 0x80 ? c : 0xfffd) : c);
	else if (c >= 0x80)
		perf_buf_printf(out, "\\x%02x", c);
	else
		perf_buf_putc(out, '^'), perf_buf_putc(out, c == 0x7f ? '?' : (char)(c + 0x40));
}

/* The held bytes, judged unsafe: each made visible (the printable ones of an escape as they are). */
static void flush_pending(struct safe_stream *s, struct perf_buf *out)
{
	for (size_t i = 0; i < s->npending; i++) {
		unsigned char c = s->pending[i];
		if (c < 0x20 || c >= 0x80)
			put_control(s, out, c);
		else
			perf_buf_putc(out, (char)c);
	}
	s->npending = 0;
}

/* The length of the UTF-8 character lead starts (0: not a lead byte). */
static size_t utf8_need(unsigned char lead)
{
	return lead >= 0xc2 && lead <= 0xdf   ? 2
	       : lead >= 0xe0 && lead <= 0xef ? 3
	       : lead >= 0xf0 && lead <= 0xf4 ? 4
	                                      : 0;
}

/* Whether the parameters of an SGR (ESC [ p m) are among the looks perf
 * itself uses: reset, bold, dim, italic, underline, their ends and the
 * coloured foregrounds.  Text from a repository could write the same
 * sequence (the filter cannot tell whose it is), so nothing that hides or
 * disguises text passes: concealed, reverse, blink, black or background
 * colours, 256 and true colours. */
static bool sgr_perf_uses(const unsigned char *p, size_t n)
{
	size_t i = 0;

	while (i <= n) {
		unsigned v = 0;
		size_t digits = 0;
		while (i < n && p[i] != ';' && digits < 3)
			v = v * 10 + (unsigned)(p[i++] - '0'), digits++;
		if (i < n && p[i] != ';')
			return false;
		if (!(v <= 4 || (v >= 22 && v <= 24) || (v >= 31 && v <= 37) || v == 39))
			return false;
		i++;
	}
	return true;
}

/* Takes c after the held bytes; true when c was used, false when it is to be judged afresh. */
static bool continue_pending(struct safe_stream *s, struct perf_buf *out, unsigned char c)
{
	unsigned char p0 = s->pending[0];

	if (p0 == '\r') {
		s->npending = 0;
		if (c == '\n') {
			perf_buf_puts(out, "\r\n");
			return true;
		}
		put_control(s, out, '\r');
		return false;
	}
	if (p0 == 0x1b) {
		/* Only ESC [ params m passes, and not in JSON. */
		bool csi = s->npending >= 2;
		if (!s->json && !csi && c == '[') {
			s->pending[s->npending++] = c;
			return true;
		}
		if (csi && ((c >= '0' && c <= '9') || c == ';') && s->npending < sizeof(s->pending) - 1) {
			s->pending[s->npending++] = c;
			return true;
		}
		if (csi && c == 'm' && sgr_perf_uses(s->pending + 2, s->npending - 2)) {
			perf_buf_add(out, (const char *)s->pending, s->npending);
			perf_buf_putc(out, 'm');
			s->npending = 0;
			return true;
		}
		flush_pending(s, out);
		return false;
	}
	if (c < 0x80 || c > 0xbf) {
		flush_pending(s, out); /* a lead byte without its continuation */
		return false;
	}
	if (p0 == 0xc2 && c <= 0x9f) {
		/* C1 controls (U+0080-U+009F) act like ESC sequences on some terminals. */
		perf_buf_printf(out, "\\u%04x", c);
		s->npending = 0;
		return true;
	}
	s->pending[s->npending++] = c;
	if (s->npending == s->need) {
		uint32_t cp;
		if (perf_utf8_decode((const char *)s->pending, s->npending, &cp) && perf_utf8_is_bidi_control(cp))
			perf_buf_printf(out, "\\u%04x", (unsigned)cp);
		else
			perf_buf_add(out, (const char *)s->pending, s->npending);
		s->npending = 0;
	}
	return true;
}

static ssize_t safe_write(void *cookie, const char *buf, size_t size)
{
	struct safe_stream *s = cookie;
	struct perf_buf out = PERF_BUF_INIT;
	int rc;

	for (size_t i = 0; i < size; i++) {
		unsigned char c = (unsigned char)buf[i];
		if (s->npending && continue_pending(s, &out, c))
			continue;
		if (c == 0x1b || c == '\r') {
			s->pending[s->npending++] = c;
		} else if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f) {
			put_control(s, &out, c);
		} else if (c < 0x80) {
			perf_buf_putc(&out, (char)c);
		} else if ((s->need = utf8_need(c))) {
			s->pending[s->npending++] = c;
		} else {
			put_control(s, &out, c);
		}
	}
	if (!out.ptr && out.len) {
		errno = ENOMEM;
		return -1;
	}
	rc = out.len ? write_all(s->fd, out.ptr, out.len) : 0;
	perf_buf_release(&out);
	return rc ? -1 : (ssize_t)size;
}

static int safe_close(void *cookie)
{
	struct safe_stream *s = cookie;
	struct perf_buf out = PERF_BUF_INIT;
	int rc = 0;

	if (s->npending) {
		flush_pending(s, &out);
		rc = out.len ? write_all(s->fd, out.ptr, out.len) : 0;
	}
	perf_buf_release(&out);
	return rc;
}

static FILE *safe_open(int fd, bool json, struct safe_stream *s, int mode)
{
	cookie_io_functions_t io = {NULL, safe_write, NULL, safe_close};
	FILE *f;

	s->fd = fd;
	s->json = json;
	s->npending = 0;
	if (!(f = fopencookie(s, "w", io)))
		return NULL;
	setvbuf(f, NULL, mode, BUFSIZ);
	return f;
}

void perf_safe_output(enum perf_safe_mode out)
{
	static struct safe_stream so, se;
	FILE *f;

	fflush(stdout);
	fflush(stderr);
	if ((out != PERF_SAFE_DATA || isatty(STDOUT_FILENO)) &&
	    (f = safe_open(STDOUT_FILENO, out == PERF_SAFE_JSON, &so, isatty(STDOUT_FILENO) ? _IOLBF : _IOFBF)))
		stdout = f;
	if ((f = safe_open(STDERR_FILENO, false, &se, _IONBF)))
		stderr = f;
}

/* The length of the progress line last written, to blank what a shorter one leaves. */
static size_t progress_len;

void perf_progress(const char *line, bool final)
{
	size_t n = strlen(line);

	if (!isatty(STDERR_FILENO))
		return;
	/* The carriage return is perf's own: written past the filter, which shows any in line. */
	fflush(stderr);
	if (write_all(STDERR_FILENO, "\r", 1))
		return;
	perf_put_safe(stderr, line);
	for (size_t i = n; i < progress_len; i++)
		fputc(' ', stderr);
	progress_len = final ? 0 : n;
	if (final)
		fputc('\n', stderr);
	fflush(stderr);
}

void perf_print_notice(void *payload, const char *message)
{
	(void)payload;
	fprintf(stderr, "perf: %s\n", message);
}

int perf_fail(const struct perf_error *err)
{
	/* Messages name paths, people and values from the repository: never raw. */
	fputs("perf: ", stderr);
	perf_put_safe(stderr, err->msg[0] ? err->msg : "failed");
	fputc('\n', stderr);
	return err->code == PERF_EAMBIGUOUS ? PERF_EXIT_USAGE : PERF_EXIT_FAIL;
}

/* Whether the option word a (not "--") consumes the next word as its argument. */
static bool takes_next(const struct perf_cmd *cmd, const char *a)
{
	const struct perf_opt *o;

	if (a[1] == '-') {
		const char *name = a + 2;
		if (strchr(name, '='))
			return false;
		for (o = cmd->opts; o && o->name; o++)
			if (!strcmp(o->name, name))
				return o->arg != NULL;
		return false;
	}
	for (size_t i = 1; a[i]; i++)
		for (o = cmd->opts; o && o->name; o++)
			if (o->short_name == a[i] && o->arg)
				return a[i + 1] == '\0';
	return false;
}

/*
 * Options may come after operands, as in git: move every option (with its
 * argument) before the first operand, keeping both orders; "--" ends options.
 */
static void permute(const struct perf_cmd *cmd, int argc, char **argv)
{
	char **ops = malloc(sizeof(char *) * (size_t)argc);
	int nops = 0, out = 1, i;

	if (!ops)
		return;
	for (i = 1; i < argc; i++) {
		char *a = argv[i];
		if (!strcmp(a, "--")) {
			break;
		} else if (a[0] == '-' && a[1]) {
			argv[out++] = a;
			if (takes_next(cmd, a) && i + 1 < argc)
				argv[out++] = argv[++i];
		} else {
			ops[nops++] = a;
		}
	}
	if (nops && i < argc) {
		/* Keep "--" so the parser stops there; operands follow it. */
		argv[out++] = argv[i++];
	} else if (i < argc) {
		argv[out++] = argv[i++];
	}
	for (int k = 0; k < nops; k++)
		argv[out++] = ops[k];
	while (i < argc)
		argv[out++] = argv[i++];
	free(ops);
}

/* What perf_opt_next returns for o: its id, else its letter (0: neither,
 * a mistake check_table names unless o is bound to a field). */
static int opt_key(const struct perf_opt *o)
{
	return o->id ? o->id : o->short_name;
}

/* Two options a command cannot tell apart are a mistake in its table: say
 * so on any run of the command, before either is taken for the other. */
static void check_table(const struct perf_cmd *cmd)
{
	const struct perf_opt *opts = cmd->opts;

	for (size_t i = 0; opts && opts[i].name; i++) {
		if (!opt_key(&opts[i]) && opts[i].store != PERF_STORE_NONE)
			continue;
		if (!opt_key(&opts[i])) {
			fprintf(stderr, "perf: bug: option '--%s' of 'perf %s' has neither a letter nor an id\n",
			        opts[i].name, cmd->name);
			abort();
		}
		for (size_t j = i + 1; opts[j].name; j++)
			if (opt_key(&opts[i]) == opt_key(&opts[j])) {
				fprintf(stderr, "perf: bug: options '--%s' and '--%s' of 'perf %s' have the same id\n",
				        opts[i].name, opts[j].name, cmd->name);
				abort();
			}
	}
}

void perf_opt_init(struct perf_optstate *st, const struct perf_cmd *cmd, int argc, char **argv)
{
	check_table(cmd);
	permute(cmd, argc, argv);
	st->index = 1;
	st->argc = argc;
	st->argv = argv;
	st->cmd = cmd;
	st->nextchar = 0;
	st->message = NULL;
	st->args = NULL;
}

void perf_opt_bind(struct perf_optstate *st, void *args)
{
	st->args = args;
}

int perf_opt_parse(struct perf_optstate *st, const struct perf_ctx *ctx, int argc, char **argv, void *args,
                   struct perf_message *m)
{
	const char *arg;
	int c;

	perf_opt_init(st, ctx->cmd, argc, argv);
	perf_opt_bind(st, args);
	if (m)
		perf_opt_message(st, m);
	while ((c = perf_opt_next(st, &arg)) != -1) {
		if (c == '?')
			return PERF_EXIT_USAGE;
		fprintf(stderr, "perf: bug: option %d of 'perf %s' is not bound to a field\n", c, ctx->cmd->name);
		abort();
	}
	return m ? perf_message_check(m, ctx->cmd) : 0;
}

int perf_verb_main(struct perf_ctx *ctx, void *args, int argc, char **argv)
{
	struct perf_optstate st;
	int rc = perf_opt_parse(&st, ctx, argc, argv, args, NULL);

	return rc ? rc : perf_verb_run(ctx, args, argc - st.index, argv + st.index);
}

static void list_options(const struct perf_cmd *cmd)
{
	const struct perf_opt *o;

	for (o = cmd->opts; o && o->name; o++) {
		printf("--%s%s", o->name, o->arg ? "=" : "");
		if (o->short_name)
			printf(" -%c", o->short_name);
		printf("\t%s\n", o->help);
	}
	printf("--help -h\tshow this help\n");
}

static int opt_next(struct perf_optstate *st, const char **arg, const struct perf_opt **which);

int perf_opt_next(struct perf_optstate *st, const char **arg)
{
	int c;

	const struct perf_opt *o;

	while ((c = opt_next(st, arg, &o)) != -1) {
		if (o && o->store != PERF_STORE_NONE && st->args) {
			char *field = (char *)st->args + o->field;
			if (o->store == PERF_STORE_FLAG)
				*(bool *)(void *)field = true;
			else
				*(const char **)(void *)field = *arg;
			continue;
		}
		if (!st->message || (c != 'm' && c != 'F'))
			return c;
		if (c == 'F') {
			st->message->file = *arg;
		} else if (perf_message_add(st->message, *arg)) {
			fprintf(stderr, "perf: out of memory\n");
			exit(PERF_EXIT_FAIL);
		}
	}
	return -1;
}

static int opt_next(struct perf_optstate *st, const char **arg, const struct perf_opt **which)
{
	const struct perf_opt *opts = st->cmd->opts, *o;
	const char *a;
	size_t i;

	*arg = NULL;
	*which = NULL;
	if (st->nextchar) {
		/* Inside a bundle of short flags: -ab. */
		a = st->argv[st->index - 1];
		goto shortopt;
	}
	if (st->index >= st->argc)
		return -1;
	a = st->argv[st->index];
	if (a[0] != '-' || !a[1])
		return -1;
	st->index++;
	if (!strcmp(a, "--"))
		return -1;
	if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
		perf_print_usage(stdout, st->cmd);
		exit(fflush(stdout) ? PERF_EXIT_FAIL : 0);
	}
	if (!strcmp(a, "--list-options")) {
		list_options(st->cmd);
		exit(fflush(stdout) ? PERF_EXIT_FAIL : 0);
	}
	if (a[1] == '-') {
		const char *name = a + 2, *eq = strchr(name, '=');
		size_t n = eq ? (size_t)(eq - name) : strlen(name);
		for (i = 0, o = opts; o && o->name; o++, i++) {
			if (strlen(o->name) != n || strncmp(o->name, name, n))
				continue;
			if (o->arg) {
				if (eq) {
					*arg = eq + 1;
				} else if (st->index < st->argc) {
					*arg = st->argv[st->index++];
				} else {
					perf_usage_error(st->cmd, "option '--%s' needs %s", o->name, o->arg);
					return '?';
				}
			} else if (eq) {
				perf_usage_error(st->cmd, "option '--%s' takes no value", o->name);
				return '?';
			}
			*which = o;
			return opt_key(o);
		}
		perf_usage_error(st->cmd, "unknown option '%s'", a);
		return '?';
	}
	st->nextchar = 1;
shortopt:
	for (o = opts; o && o->name; o++) {
		if (!o->short_name || o->short_name != a[st->nextchar])
			continue;
		if (o->arg) {
			if (a[st->nextchar + 1]) {
				*arg = a + st->nextchar + 1;
			} else if (st->index < st->argc) {
				*arg = st->argv[st->index++];
			} else {
				st->nextchar = 0;
				perf_usage_error(st->cmd, "option '-%c' needs %s", o->short_name, o->arg);
				return '?';
			}
			st->nextchar = 0;
		} else if (a[st->nextchar + 1]) {
			st->nextchar++;
		} else {
			st->nextchar = 0;
		}
		*which = o;
		return opt_key(o);
	}
	perf_usage_error(st->cmd, "unknown option '-%c'", a[st->nextchar]);
	st->nextchar = 0;
	return '?';
}

void perf_note_repo(const struct perf_ctx *ctx)
{
	enum perf_repo_source src;

	if (!ctx->repo)
		return;
	src = perf_repo_source(ctx->repo);
	if (src == PERF_FOUND_CONFIG || src == PERF_FOUND_DEFAULT || src == PERF_FOUND_ENV)
		fprintf(stderr, "perf: in %s (from %s; choose another with -C DIR)\n", perf_repo_workdir(ctx->repo),
		        perf_repo_source_name(src));
}

/* The editor the person chose ($PERF_EDITOR, perf.editor, $VISUAL, $EDITOR,
 * core.editor, in that order), or NULL when none is set. */
static const char *chosen_editor(const struct perf_ctx *ctx, char **owned)
{
	const char *e;

	*owned = NULL;
	if ((e = getenv("PERF_EDITOR")) && *e)
		return e;
	if (ctx->repo && perf_repo_config_get(ctx->repo, "perf.editor", owned, NULL) == 0 && *owned)
		return *owned;
	if ((e = getenv("VISUAL")) && *e)
		return e;
	if ((e = getenv("EDITOR")) && *e)
		return e;
	free(*owned);
	*owned = NULL;
	if (ctx->repo && perf_repo_config_get(ctx->repo, "core.editor", owned, NULL) == 0 && *owned)
		return *owned;
	free(*owned);
	*owned = NULL;
	return NULL;
}

bool perf_editor_usable(const struct perf_ctx *ctx)
{
	char *owned = NULL;
	bool set = chosen_editor(ctx, &owned) != NULL;

	free(owned);
	return set || (isatty(STDIN_FILENO) && isatty(STDOUT_FILENO));
}

/* Says how to give the text without an editor: the command's -m and -F. */
static int no_editor(const struct perf_ctx *ctx, struct perf_error *err)
{
	bool m = false, F = false;

	for (const struct perf_opt *o = ctx->cmd ? ctx->cmd->opts : NULL; o && o->name; o++) {
		m = m || (o->short_name == 'm' && o->arg);
		F = F || (o->short_name == 'F' && o->arg);
	}
	return perf_error(err, PERF_EINVALID,
	                  "no editor is set and there is no terminal to run one; %s%s%s%s, or set EDITOR",
	                  m || F ? "give the text with " : "", m ? "-m TEXT" : "", m && F ? " or " : "",
	                  F ? "-F FILE ('-': standard input)" : "");
}

int perf_edit_text(const struct perf_ctx *ctx, const char *initial, const char *suffix, char **out,
                   struct perf_error *err)
{
	char path[4096], *owned = NULL;
	const char *editor, *tmpdir = getenv("TMPDIR");
	struct perf_buf b = PERF_BUF_INIT, cmdline = PERF_BUF_INIT;
	int fd, status, rc = 0;
	size_t off = 0, len = strlen(initial);

	*out = NULL;
	/* Never vi on a closed or redirected standard input: a script gets told what to do instead. */
	if (!perf_editor_usable(ctx))
		return no_editor(ctx, err);
	snprintf(path, sizeof(path), "%s/perf-edit-XXXXXX%s", tmpdir && *tmpdir ? tmpdir : "/tmp", suffix);
	fd = mkstemps(path, (int)strlen(suffix));
	if (fd < 0)
		return perf_error_sys(err, "cannot create a file to edit");
	while (off < len) {
		ssize_t w = write(fd, initial + off, len - off);
		if (w < 0) {
			rc = perf_error_sys(err, "cannot write '%s'", path);
			close(fd);
			goto out;
		}
		off += (size_t)w;
	}
	close(fd);
	if (!(editor = chosen_editor(ctx, &owned)))
		editor = "vi";
	/* The editor command runs through the shell, the file appended. */
	if (perf_buf_printf(&cmdline, "%s \"$@\"", editor)) {
		rc = perf_error(err, PERF_ENOMEM, "out of memory");
		goto out;
	}
	{
		const char *argv[] = {"/bin/sh", "-c", cmdline.ptr, editor, path, NULL};
		struct perf_process p = PERF_PROCESS_INIT;
		p.argv = argv;
		p.name = editor;
		if ((rc = perf_process_start(&p, err)) || (rc = perf_process_finish(&p, &status, err)))
			goto out;
	}
	if (status != 0) {
		rc = perf_error(err, PERF_EINVALID, "the editor '%s' failed (exit %d); nothing was saved", editor,
		                status);
		goto out;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		rc = perf_error_sys(err, "cannot read back '%s'", path);
		goto out;
	}
	for (;;) {
		char chunk[8192];
		ssize_t r = read(fd, chunk, sizeof(chunk));
		if (r < 0) {
			rc = perf_error_sys(err, "cannot read back '%s'", path);
			break;
		}
		if (r == 0)
			break;
		if (perf_buf_add(&b, chunk, (size_t)r)) {
			rc = perf_error(err, PERF_ENOMEM, "out of memory");
			break;
		}
	}
	close(fd);
	if (!rc)
		*out = perf_buf_detach(&b);
out:
	unlink(path);
	perf_buf_release(&b);
	perf_buf_release(&cmdline);
	free(owned);
	return rc;
}

const char *perf_self_path(void)
{
	static char self[4096];
	ssize_t n;

	if (self[0])
		return self;
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0)
		return NULL;
	self[n] = '\0';
	return self;
}

/* The pager, when output goes through one. */
static struct perf_process pager = PERF_PROCESS_INIT;

unsigned perf_terminal_width(void)
{
	struct winsize ws;
	const char *cols = getenv("COLUMNS");
	long w = 0;
	char *end;

	if (cols && *cols) {
		errno = 0;
		w = strtol(cols, &end, 10);
		if (errno || *end)
			w = 0;
	}
	if (w <= 0 && isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0)
		w = ws.ws_col;
	if (w <= 0 || w > 80)
		w = 80;
	if (w < 20)
		w = 20;
	return (unsigned)w;
}

void perf_pager_start(const struct perf_ctx *ctx)
{
	const char *cmd = getenv("PERF_PAGER"), *env[3] = {NULL}, *argv[] = {"/bin/sh", "-c", NULL, NULL};
	char *owned = NULL;
	size_t n = 0;

	if (ctx->json || !isatty(STDOUT_FILENO) || pager.pid > 0)
		return;
	if (!cmd && ctx->repo && perf_repo_config_get(ctx->repo, "perf.pager", &owned, NULL) == 0 && owned)
		cmd = owned;
	if (!cmd)
		cmd = getenv("PAGER");
	if (!cmd)
		cmd = "less";
	if (!*cmd || !strcmp(cmd, "cat")) {
		free(owned);
		return;
	}
	/* As git: less quits on one screen, keeps colours, leaves the screen as it was. */
	if (!getenv("LESS"))
		env[n++] = "LESS=FRX";
	if (!getenv("LV"))
		env[n++] = "LV=-c";
	argv[2] = cmd;
	pager.argv = argv;
	pager.name = "the pager";
	pager.env = env;
	pager.in = PERF_PROCESS_PIPE;
	fflush(stdout);
	if (perf_process_start(&pager, NULL) == 0) {
		dup2(pager.to_child, STDOUT_FILENO);
		close(pager.to_child);
		pager.to_child = -1;
	}
	pager.argv = NULL; /* argv and env were this function's */
	pager.env = NULL;
	free(owned);
}

void perf_pager_finish(void)
{
	int status;

	if (pager.pid <= 0)
		return;
	fflush(stdout);
	close(STDOUT_FILENO);
	perf_process_finish(&pager, &status, NULL);
}

int perf_save_text(struct perf_repo *repo, const char *what, const char *handle, const char *text, size_t len,
                   struct perf_buf *where)
{
	char stamp[17];
	size_t base;
	int fd = -1;

	perf_store_stamp(perf_value_now(), stamp);
	where->len = 0;
	if (perf_buf_printf(where, "%sperf", perf_repo_gitdir(repo)))
		return -1;
	mkdir(where->ptr, 0777);
	if (perf_buf_puts(where, "/saved"))
		return -1;
	mkdir(where->ptr, 0777);
	base = where->len;
	for (int n = 1; n < 100 && fd < 0; n++) {
		perf_buf_truncate(where, base);
		if (n == 1 ? perf_buf_printf(where, "/%s-%s-%s.md", what, handle, stamp)
		           : perf_buf_printf(where, "/%s-%s-%s-%d.md", what, handle, stamp, n))
			return -1;
		fd = open(where->ptr, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0 && errno != EEXIST)
			return -1;
	}
	if (fd < 0)
		return -1;
	for (size_t off = 0; off < len;) {
		ssize_t w = write(fd, text + off, len - off);
		if (w < 0) {
			close(fd);
			return -1;
		}
		off += (size_t)w;
	}
	return close(fd);
}

size_t perf_strip_lead(struct perf_buf *b, const char *start, const char *end)
{
	const char *e;
	size_t cut, lines = 0;

	if (b->len < strlen(start) || strncmp(b->ptr, start, strlen(start)))
		return 0;
	e = strstr(b->ptr, end);
	if (!e)
		return 0;
	cut = (size_t)(e - b->ptr) + strlen(end);
	if (cut < b->len && b->ptr[cut] == '\n')
		cut++;
	for (size_t i = 0; i < cut; i++)
		lines += b->ptr[i] == '\n';
	perf_buf_splice(b, 0, cut, "", 0);
	return lines;
}

void perf_edit_error(struct perf_error *err, const char *path, long shift)
{
	struct perf_buf b = PERF_BUF_INIT;
	size_t plen = strlen(path);
	const char *p = err->msg;
	bool any = false;

	while (*p) {
		const char *nl = strchr(p, '\n'), *e = nl ? nl : p + strlen(p), *q = p;
		char *end;
		long line;
		if (p != err->msg && !strncmp(q, "perf: ", 6)) {
			/* A later line of a message of several (perf_fail prints the first's). */
			perf_buf_add(&b, q, 6);
			q += 6;
		}
		/* path:LINE[:COL]: message, LINE in the file perf would write. */
		if ((size_t)(e - q) > plen + 2 && !strncmp(q, path, plen) && q[plen] == ':' &&
		    (line = strtol(q + plen + 1, &end, 10)) > 0 && line + shift > 0 && end < e) {
			if (*end == ':' && end[1] >= '0' && end[1] <= '9')
				strtol(end + 1, &end, 10);
			if (!strncmp(end, ": ", 2)) {
				perf_buf_printf(&b, "line %ld: ", line + shift);
				q = end + 2;
				any = true;
			}
		}
		perf_buf_add(&b, q, (size_t)(e - q));
		if (nl)
			perf_buf_putc(&b, '\n');
		p = nl ? nl + 1 : e;
	}
	if (any && b.ptr)
		perf_error(err, err->code, "the text you wrote is not valid: %s", b.ptr);
	perf_buf_release(&b);
}

static void keep_text(struct perf_repo *repo, const char *what, const char *handle, const char *text, size_t len,
                      bool quiet, const char *fmt, va_list ap)
{
	struct perf_buf use = PERF_BUF_INIT, where = PERF_BUF_INIT;

	perf_buf_vprintf(&use, fmt, ap);
	if (perf_save_text(repo, what, handle, text, len, &where) == 0)
		fprintf(stderr, "perf: your text is saved in %s (use it with '%s -F %s')\n", where.ptr,
		        perf_buf_cstr(&use), where.ptr);
	else if (!quiet)
		fprintf(stderr, "perf: cannot save your text under .git/perf/saved: %s\n", strerror(errno));
	perf_buf_release(&use);
	perf_buf_release(&where);
}

void perf_keep_text(struct perf_repo *repo, const char *what, const char *handle, const char *text, size_t len,
                    bool quiet, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	keep_text(repo, what, handle, text, len, quiet, fmt, ap);
	va_end(ap);
}

int perf_message_fail(struct perf_repo *repo, const struct perf_message *m, const struct perf_error *err,
                      const char *what, const char *handle, const char *fmt, ...)
{
	int rc = perf_fail(err);
	va_list ap;

	if (!m->edited || !handle || !perf_message_has_words(m))
		return rc;
	va_start(ap, fmt);
	keep_text(repo, what, handle, perf_buf_cstr(&m->text), m->text.len, false, fmt, ap);
	va_end(ap);
	return rc;
}

void perf_json_fields(const char *lead, ...)
{
	const char *key;
	bool first = true;
	va_list ap;

	fputs(lead, stdout);
	va_start(ap, lead);
	while ((key = va_arg(ap, const char *))) {
		const char *value = va_arg(ap, const char *);
		if (!first)
			fputs(", ", stdout);
		first = false;
		perf_json_key(stdout, key);
		perf_json_str(stdout, value);
	}
	va_end(ap);
}

int perf_tidy_text(struct perf_buf *b)
{
	size_t start = 0, end = b->len;

	while (end > 0 && strchr(" \t\r\n", b->ptr[end - 1]))
		end--;
	for (size_t i = 0; i < end; i++) {
		if (b->ptr[i] == '\n')
			start = i + 1;
		else if (!strchr(" \t\r", b->ptr[i]))
			break;
	}
	perf_buf_truncate(b, end);
	if (start)
		perf_buf_splice(b, 0, start, "", 0);
	return b->len ? perf_buf_putc(b, '\n') : 0;
}

void perf_first_line(const char *body, size_t len, struct perf_buf *out)
{
	const char *p = body, *end = body + len, *heading = NULL, *heading_end = NULL;
	bool comment = false;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end, *s = p;
		bool is_heading;
		p = nl ? nl + 1 : end;
		if (comment) {
			const char *c = memmem(s, (size_t)(e - s), "-->", 3);
			if (!c)
				continue;
			comment = false;
			s = c + 3;
		}
		while (s < e && (*s == ' ' || *s == '\t'))
			s++;
		if ((size_t)(e - s) >= 4 && !memcmp(s, "<!--", 4)) {
			const char *c = memmem(s + 4, (size_t)(e - s - 4), "-->", 3);
			if (!c) {
				comment = true;
				continue;
			}
			s = c + 3;
			while (s < e && (*s == ' ' || *s == '\t'))
				s++;
		}
		is_heading = s < e && *s == '#';
		while (s < e && *s == '#')
			s++;
		while (s < e && (*s == ' ' || *s == '\t'))
			s++;
		while (e > s && strchr(" \t\r", e[-1]))
			e--;
		if (e > s && is_heading && !heading) {
			heading = s;
			heading_end = e;
		} else if (e > s && !is_heading) {
			perf_buf_add(out, s, (size_t)(e - s));
			return;
		}
	}
	if (heading)
		perf_buf_add(out, heading, (size_t)(heading_end - heading));
}

int perf_read_input(const char *name, size_t max, const char *what, struct perf_buf *out, struct perf_error *err)
{
	int fd = strcmp(name, "-") ? open(name, O_RDONLY | O_CLOEXEC) : STDIN_FILENO;
	size_t start = out->len;
	int rc = 0;

	if (fd < 0)
		return perf_error_sys(err, "cannot read '%s'", name);
	for (;;) {
		char chunk[65536];
		ssize_t r = read(fd, chunk, sizeof(chunk));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = perf_error_sys(err, "cannot read '%s'", name);
			break;
		}
		if (r == 0)
			break;
		if (max && out->len - start + (size_t)r > max) {
			rc = perf_error(err, PERF_EINVALID, "'%s' is over %zu bytes, too long for %s", name, max, what);
			break;
		}
		if (perf_buf_add(out, chunk, (size_t)r)) {
			rc = perf_error(err, PERF_ENOMEM, "out of memory");
			break;
		}
	}
	if (fd != STDIN_FILENO)
		close(fd);
	return rc;
}

int perf_message_add(struct perf_message *m, const char *text)
{
	if ((m->have_m && perf_buf_puts(&m->text, "\n\n")) || perf_buf_puts(&m->text, text))
		return -1;
	m->have_m = true;
	return 0;
}

int perf_message_check(const struct perf_message *m, const struct perf_cmd *cmd)
{
	if (m->have_m && m->file)
		return perf_usage_error(cmd, "give %s with -m or -F, not both", m->what);
	return 0;
}

void perf_opt_message(struct perf_optstate *st, struct perf_message *m)
{
	st->message = m;
}

bool perf_message_has_words(const struct perf_message *m)
{
	return perf_body_has_words(perf_buf_cstr(&m->text), m->text.len);
}

bool perf_message_from_editor(const struct perf_message *m)
{
	return !m->have_m && !m->file;
}

int perf_message_get(const struct perf_ctx *ctx, struct perf_message *m, const char *template, const char *suffix,
                     struct perf_error *err)
{
	char *edited = NULL;
	int rc;

	if (m->file)
		return perf_read_input(m->file, PERF_DOC_MAX_FILE, m->what, &m->text, err);
	if (m->have_m)
		return 0;
	if ((rc = perf_edit_text(ctx, template, suffix, &edited, err)))
		return rc;
	m->edited = true;
	if (perf_buf_puts(&m->text, edited))
		rc = perf_error(err, PERF_ENOMEM, "out of memory");
	free(edited);
	return rc;
}

int perf_message_compose(const struct perf_ctx *ctx, struct perf_message *m, const char *template, const char *shown,
                         struct perf_error *err)
{
	const char *cut;

	if (perf_message_get(ctx, m, template, ".md", err))
		return -1;
	if (m->edited && shown && *shown && (cut = strstr(perf_buf_cstr(&m->text), shown)))
		perf_buf_splice(&m->text, (size_t)(cut - m->text.ptr), strlen(shown), "", 0);
	if (perf_tidy_text(&m->text))
		return perf_error(err, PERF_ENOMEM, "out of memory");
	return 0;
}

void perf_message_release(struct perf_message *m)
{
	if (m)
		perf_buf_release(&m->text);
}
