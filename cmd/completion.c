/*
 * perf completion bash|zsh|fish: a completion script for the shell, made
 * from the command table (perf_commands[]) and each command's option table,
 * so completion never falls behind the commands.  What an option's argument
 * or an operand is (a handle, a goal, a week, a target, a file...) is read
 * from the argument names in those tables and in each command's usage.
 *
 * The scripts ask perf itself for what lives in the repository, through
 * `perf [-C DIR] completion words KIND [WORD]`: handles, your goal ids,
 * cycles, recent weeks and targets.  That reads a folder or two of HEAD's
 * tree, so it stays cheap in a large team, and finds the repository exactly
 * as every other command does.
 */
#include "perf.h"
#include "toolkit.h"

#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "schema.h"
#include "store.h"
#include "team.h"
#include "value.h"

static const struct perf_opt completion_opts[] = {
    {0},
};

/* A verb of a command, as completion shows it (from the command's table). */
struct verb {
	char name[32];
	char args[256]; /* its operands and options, as in a usage line */
	char summary[160];
};

/* A command's verbs, from its table: each with the rest of its usage line
 * ("list [--all]" gives "[--all]"; "[list]" gives ""). */
static size_t cmd_verbs(const struct perf_cmd *c, struct verb *out, size_t max)
{
	size_t n = 0;

	for (const struct perf_verb *v = c->verbs; v && v->usage && n < max; v++) {
		const char *t = v->usage;
		size_t len = strlen(v->name ? v->name : "");

		if (!v->name)
			continue; /* runs for operands that name no verb: nothing to offer */
		while (*t == '[')
			t++;
		if (!strncmp(t, v->name, len))
			t += len;
		while (*t == ']' || *t == ' ')
			t++;
		snprintf(out[n].name, sizeof(out[n].name), "%s", v->name);
		snprintf(out[n].args, sizeof(out[n].args), "%s", t);
		snprintf(out[n].summary, sizeof(out[n].summary), "%s", v->summary);
		/* A verb like start or add takes a new ID: make it a word with nothing to complete. */
		if ((!strcmp(out[n].name, "add") || !strcmp(out[n].name, "start") || !strcmp(out[n].name, "new")) &&
		    !strncmp(out[n].args, "ID", 2) && (out[n].args[2] == ' ' || !out[n].args[2]))
			out[n].args[0] = out[n].args[1] = '_';
		n++;
	}
	return n;
}

/* The verb of c that sets fields (FIELD=VALUE), or NULL. */
static const struct perf_verb *fields_verb(const struct perf_cmd *c)
{
	for (const struct perf_verb *v = c->verbs; v && v->usage; v++)
		if (v->fields)
			return v;
	return NULL;
}

#define MAX_VERBS 16

/* What a word on the command line is, as the scripts name it. */
struct kind {
	char name[128]; /* handle, goal, goal=, cycle, week, target, request, reply-target, file, dir, command,
	                   field, words:A B, text */
	bool repeat;    /* a usage operand ending in "..." */
};

/* The kind of an argument or operand from its name in a table or usage; an
 * ID is one of cmd's own documents, when perf can list them. */
static void word_kind(const char *word, const char *opt, const char *cmd, struct kind *k)
{
	static const struct {
		const char *word, *kind;
	} names[] = {
	    {"HANDLE", "handle"}, {"GOAL", "goal"},       {"ID=PROGRESS", "goal="}, {"CYCLE", "cycle"},
	    {"WEEK", "week"},     {"TARGET", "target"},   {"FILE", "file"},         {"PATH", "file"},
	    {"DIR", "dir"},       {"COMMAND", "command"}, {"FIELD=VALUE", "field"},
	};
	char *end;
	long lo, hi;

	snprintf(k->name, sizeof(k->name), "text");
	if (strchr(word, '|')) {
		/* Alternatives written out, like bash|zsh|fish. */
		snprintf(k->name, sizeof(k->name), "words:%s", word);
		for (char *p = k->name; *p; p++)
			if (*p == '|')
				*p = ' ';
		return;
	}
	if ((opt && !strcmp(opt, "cycle")) || (!strcmp(word, "ID") && cmd && !strcmp(cmd, "cycle"))) {
		snprintf(k->name, sizeof(k->name), "cycle");
		return;
	}
	/* What can be answered: the requests that wait for you, the documents that do. */
	if (!strcmp(word, "ID") && cmd && !strcmp(cmd, "give")) {
		snprintf(k->name, sizeof(k->name), "request");
		return;
	}
	if (!strcmp(word, "TARGET") && cmd && !strcmp(cmd, "reply")) {
		snprintf(k->name, sizeof(k->name), "reply-target");
		return;
	}
	if (!strcmp(word, "ID") && cmd && (!strcmp(cmd, "goal") || !strcmp(cmd, "norm"))) {
		snprintf(k->name, sizeof(k->name), "%s", cmd);
		return;
	}
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
		if (!strcmp(names[i].word, word)) {
			snprintf(k->name, sizeof(k->name), "%s", names[i].kind);
			return;
		}
	/* A small range of numbers, like 1-5. */
	lo = strtol(word, &end, 10);
	if (end != word && *end == '-') {
		const char *p = end + 1;
		hi = strtol(p, &end, 10);
		if (end != p && !*end && lo >= 0 && hi > lo && hi - lo <= 20) {
			size_t n = (size_t)snprintf(k->name, sizeof(k->name), "words:");
			for (long v = lo; v <= hi && n < sizeof(k->name); v++)
				n += (size_t)snprintf(k->name + n, sizeof(k->name) - n, "%s%ld", v > lo ? " " : "", v);
		}
	}
}

/*
 * The operands of a usage line (its first line): the words outside option
 * groups like "[--team NAME]", "[-m TEXT | -F FILE]" or "(--ours | --theirs)",
 * and not the argument of an option like "--question TEXT".  "[DIR]" is an
 * operand; "PATH..." one that repeats.  cmd says what an ID is.
 */
static size_t usage_operands(const char *usage, const char *cmd, struct kind *out, size_t max)
{
	const char *p = usage ? usage : "";
	size_t n = 0;
	int skip = 0;        /* bracket depth of an option group being skipped */
	bool optarg = false; /* the word after an option outside a group is its argument */
	bool alt = false;    /* the word after a bar is another form of the operand before it */

	while (*p && *p != '\n' && n < max) {
		char word[64];
		size_t len = 0;
		const char *s, *e;

		while (*p == ' ')
			p++;
		s = p;
		while (*p && *p != ' ' && *p != '\n')
			p++;
		if (p == s)
			break;
		if (skip || ((s[0] == '[' || s[0] == '(') && (s[1] == '-' || s[0] == '('))) {
			for (const char *q = s; q < p; q++)
				skip += (*q == '[' || *q == '(') ? 1 : (*q == ']' || *q == ')') ? -1 : 0;
			if (skip < 0)
				skip = 0;
			continue;
		}
		if (s[0] == '-') {
			optarg = !memchr(s, '=', (size_t)(p - s));
			continue;
		}
		if (s[0] == '|' || (optarg && s[0] >= 'A' && s[0] <= 'Z')) {
			/* "REV | REV..REV": the word after a bar is the same operand. */
			alt = s[0] == '|' && n > 0;
			optarg = false;
			continue;
		}
		optarg = false;
		if (alt) {
			alt = false;
			continue;
		}
		while (s < p && *s == '[')
			s++;
		e = p;
		while (e > s && e[-1] == ']')
			e--;
		out[n].repeat = e - s > 3 && !strncmp(e - 3, "...", 3);
		if (out[n].repeat)
			e -= 3;
		len = (size_t)(e - s) < sizeof(word) - 1 ? (size_t)(e - s) : sizeof(word) - 1;
		memcpy(word, s, len);
		word[len] = '\0';
		word_kind(word, NULL, cmd, &out[n]);
		n++;
	}
	return n;
}

/* --- quoting ------------------------------------------------------------- */

/* A single-quoted word for sh and zsh. */
static void sh_quote(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; *s; s++) {
		if (*s == '\'')
			fputs("'\\''", f);
		else
			fputc(*s, f);
	}
	fputc('\'', f);
}

/* A single-quoted word for fish, where \ and ' are escaped inside. */
static void fish_quote(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; *s; s++) {
		if (*s == '\'' || *s == '\\')
			fputc('\\', f);
		fputc(*s, f);
	}
	fputc('\'', f);
}

/* A zsh _describe item, NAME:DESCRIPTION, single-quoted, ':' in NAME escaped. */
static void zsh_item(FILE *f, const char *name, const char *desc)
{
	char buf[512];
	size_t n = 0;

	for (const char *p = name; *p && n < sizeof(buf) - 3; p++) {
		if (*p == ':')
			buf[n++] = '\\';
		buf[n++] = *p;
	}
	snprintf(buf + n, sizeof(buf) - n, ":%s", desc ? desc : "");
	sh_quote(f, buf);
}

/* --- the parts every script shares, written per shell --------------------- */

/* Each option of cmd with the kind of its argument ("flag" when none). */
typedef void (*opt_fn)(FILE *f, const struct perf_cmd *cmd, const struct perf_opt *o, const char *kind);

static void each_option(FILE *f, const struct perf_cmd *cmd, opt_fn fn)
{
	for (const struct perf_opt *o = cmd->opts; o && o->name; o++) {
		struct kind k;
		if (o->arg)
			word_kind(o->arg, o->name, cmd->name, &k);
		else
			snprintf(k.name, sizeof(k.name), "flag");
		fn(f, cmd, o, k.name);
	}
}

/* The operand kinds of a usage, as a shell list: 'handle' 'file...' */
static void print_kinds(FILE *f, const char *usage, const char *cmd, void (*quote)(FILE *, const char *))
{
	struct kind k[8];
	size_t n = usage_operands(usage, cmd, k, 8);

	for (size_t i = 0; i < n; i++) {
		char buf[sizeof(k[i].name) + 4];
		size_t len = strnlen(k[i].name, sizeof(k[i].name) - 1);
		memcpy(buf, k[i].name, len);
		memcpy(buf + len, k[i].repeat ? "..." : "", k[i].repeat ? 4 : 1);
		fputs(i ? " " : "", f);
		quote(f, buf);
	}
}

/* The values a field of a schema kind takes, space-separated, or "" when free;
 * *dynamic gets the words KIND to ask perf for instead, when there is one. */
static void field_values(const char *kindname, const char *field, char *out, size_t size, const char **dynamic)
{
	const struct perf_schema_kind *kind = perf_schema_kind(kindname);
	const struct perf_schema_field *fl = kind ? perf_schema_field(kind, field) : NULL;
	size_t n = 0;

	out[0] = '\0';
	*dynamic = NULL;
	if (!strcmp(field, "cycle")) {
		*dynamic = "cycles";
		return;
	}
	if (!fl || fl->type != PERF_TYPE_ENUM)
		return;
	for (size_t i = 0; fl->values && fl->values[i] && n < size; i++)
		n += (size_t)snprintf(out + n, size - n, "%s%s", i ? " " : "", fl->values[i]);
}

/* The cases of bash's __perf_operands or zsh's _perf_operands: the kinds of
 * each command's operands (after a verb, for a command with verbs) into var;
 * open is what opens a pattern ("(" in zsh). */
static void sh_operands(FILE *f, const char *open, const char *var)
{
	for (size_t i = 0; i < perf_ncommands; i++) {
		const struct perf_cmd *c = perf_commands[i];
		struct verb v[MAX_VERBS];
		size_t nv = cmd_verbs(c, v, MAX_VERBS);
		if (nv) {
			fprintf(f, "\t%s%s)\n\t\tcase $2 in\n", open, c->name);
			for (size_t k = 0; k < nv; k++) {
				fprintf(f, "\t\t%s%s) %s=(", open, v[k].name, var);
				print_kinds(f, v[k].args, c->name, sh_quote);
				fprintf(f, ") ;;\n");
			}
			fprintf(f, "\t\t%s*) %s=() ;;\n\t\tesac\n\t\t;;\n", open, var);
		} else {
			fprintf(f, "\t%s%s) %s=(", open, c->name, var);
			print_kinds(f, c->usage, c->name, sh_quote);
			fprintf(f, ") ;;\n");
		}
	}
	fprintf(f, "\t%s*) %s=() ;;\n\tesac\n}\n\n", open, var);
}

/* The cases of __perf_fields (_perf_fields in zsh): for each command with a
 * verb that sets fields, head (which takes the command), the fields each in
 * word, separated by spaces, and tail; then, for each field, dyn when perf
 * lists its values (perf completion words) or vals for a fixed list, which
 * take the command, the field and the words. */
struct field_fmt {
	const char *head, *word, *tail, *dyn, *vals;
};

static void field_cases(FILE *f, const struct field_fmt *fmt)
{
	for (size_t i = 0; i < perf_ncommands; i++) {
		const char *cmd = perf_commands[i]->name;
		const struct perf_verb *vt = fields_verb(perf_commands[i]);
		if (!vt)
			continue;
		fprintf(f, fmt->head, cmd);
		for (size_t k = 0; vt->fields[k]; k++) {
			fputs(k ? " " : "", f);
			fprintf(f, fmt->word, vt->fields[k]);
		}
		fputs(fmt->tail, f);
		for (size_t k = 0; vt->fields[k]; k++) {
			char v[256];
			const char *d;
			field_values(vt->kind, vt->fields[k], v, sizeof(v), &d);
			if (d)
				fprintf(f, fmt->dyn, cmd, vt->fields[k], d);
			else if (*v)
				fprintf(f, fmt->vals, cmd, vt->fields[k], v);
		}
	}
}

/*
 * The kinds whose words perf finds in the repository: the KIND each asks
 * `perf completion words` for, and how zsh tags and describes them.  The
 * three scripts' replies for these kinds are written from this table.
 */
static const struct repo_words {
	const char *kind;  /* as the scripts name it */
	const char *words; /* the KIND of perf completion words */
	bool typed;        /* perf is given the word typed so far (it completes a path) */
	const char *tag, *what;
} repo_words[] = {
    {"handle", "handles", false, "handles", "handle"},
    {"goal", "goals", false, "goals", "goal id"},
    {"cycle", "cycles", false, "cycles", "cycle"},
    {"norm", "norms", false, "norms", "norm"},
    {"week", "weeks", false, "weeks", "ISO week"},
    {"request", "requests", false, "requests", "request waiting for you"},
    {"target", "target", true, "targets", "target"},
    {"reply-target", "reply-target", true, "targets", "document waiting for your answer"},
};

#define NREPO_WORDS (sizeof(repo_words) / sizeof(*repo_words))

static const struct repo_words *repo_words_of(const char *kind)
{
	for (size_t i = 0; i < NREPO_WORDS; i++)
		if (!strcmp(repo_words[i].kind, kind))
			return &repo_words[i];
	return NULL;
}

/* What bash and zsh write differently in the tables both scripts share. */
struct sh_dialect {
	const char *open;     /* what opens a case pattern: "" or "(" */
	const char *none;     /* an empty list: "" or "()" */
	const char *verbs_as; /* how __perf_verbs lists them, for its comment */
	const char *parse;    /* what __perf_parse sets up first */
	opt_fn opt;
	void (*verbs)(FILE *f, const struct sh_dialect *d, const char *cmd, const struct verb *v, size_t n);
	struct field_fmt fields;                            /* see field_cases */
	void (*reply)(FILE *f, const struct repo_words *r); /* a case of the reply function */
};

/*
 * __perf_parse, written once for bash and zsh: which word is completed and
 * what it is, from the command tables the functions above hold.  Arrays
 * count from 0 (zsh is told so first).
 */
static const char sh_parse[] =
    "\tlocal i=$1 cword=$2 j w dd= k nk\n"
    "\tlocal -a ops=()\n"
    "\t__perf_kind=\n"
    "\t__perf_cmd=\n"
    "\t__perf_eq=\n"
    "\t__perf_gopts=()\n"
    "\twhile ((i < cword)); do\n"
    "\t\tcase ${words[i]} in\n"
    "\t\t(-C)\n"
    "\t\t\tif ((i + 1 == cword)); then\n"
    "\t\t\t\t__perf_kind=dir\n"
    "\t\t\t\treturn 0\n"
    "\t\t\tfi\n"
    "\t\t\t__perf_gopts+=(-C \"${words[i + 1]}\")\n"
    "\t\t\ti=$((i + 1))\n"
    "\t\t\t;;\n"
    "\t\t(-C?*) __perf_gopts+=(\"${words[i]}\") ;;\n"
    "\t\t(-*) ;;\n"
    "\t\t(*) break ;;\n"
    "\t\tesac\n"
    "\t\ti=$((i + 1))\n"
    "\tdone\n"
    "\tif ((i >= cword)); then\n"
    "\t\t[[ $cur == -* ]] && __perf_kind=global || __perf_kind=cmd\n"
    "\t\treturn 0\n"
    "\tfi\n"
    "\t__perf_cmd=${words[i]}\n"
    "\t__perf_known \"$__perf_cmd\" || return 1\n"
    "\tfor ((j = i + 1; j < cword; j++)); do\n"
    "\t\tw=${words[j]}\n"
    "\t\tif [[ -z $dd && $w == -?* ]]; then\n"
    "\t\t\tif [[ $w == -- ]]; then\n"
    "\t\t\t\tdd=1\n"
    "\t\t\telif [[ $w != *=* ]] && __perf_arg \"$__perf_cmd\" \"$w\" && [[ $__perf_k != flag ]]; then\n"
    "\t\t\t\tif ((j + 1 == cword)); then\n"
    "\t\t\t\t\t__perf_kind=$__perf_k\n"
    "\t\t\t\t\treturn 0\n"
    "\t\t\t\tfi\n"
    "\t\t\t\tj=$((j + 1))\n"
    "\t\t\tfi\n"
    "\t\telse\n"
    "\t\t\tops+=(\"$w\")\n"
    "\t\tfi\n"
    "\tdone\n"
    "\tif [[ -z $dd && $cur == --*=* ]]; then\n"
    "\t\t__perf_arg \"$__perf_cmd\" \"${cur%%=*}\" || return 1\n"
    "\t\t__perf_kind=$__perf_k\n"
    "\t\t__perf_eq=1\n"
    "\t\treturn 0\n"
    "\tfi\n"
    "\tif [[ -z $dd && $cur == -* ]]; then\n"
    "\t\t__perf_kind=options\n"
    "\t\treturn 0\n"
    "\tfi\n"
    "\tk=${#ops[@]}\n"
    "\tif __perf_verbs \"$__perf_cmd\"; then\n"
    "\t\tif ((k == 0)); then\n"
    "\t\t\t__perf_kind=verb\n"
    "\t\t\treturn 0\n"
    "\t\tfi\n"
    "\t\t__perf_operands \"$__perf_cmd\" \"${ops[0]}\"\n"
    "\t\tk=$((k - 1))\n"
    "\telse\n"
    "\t\t__perf_operands \"$__perf_cmd\"\n"
    "\tfi\n"
    "\tnk=${#__perf_kinds[@]}\n"
    "\tif ((k < nk)); then\n"
    "\t\t__perf_kind=${__perf_kinds[k]}\n"
    "\telif ((nk > 0)) && [[ ${__perf_kinds[nk - 1]} == *... ]]; then\n"
    "\t\t__perf_kind=${__perf_kinds[nk - 1]}\n"
    "\telse\n"
    "\t\treturn 1\n"
    "\tfi\n"
    "\t__perf_kind=${__perf_kind%...}\n"
    "}\n\n";

/* __perf_known, __perf_arg, __perf_operands, __perf_verbs, __perf_fields
 * and __perf_parse, in d's shell. */
static void sh_tables(FILE *f, const struct sh_dialect *d)
{
	fprintf(f, "# __perf_known CMD: whether CMD is one of perf's commands.\n__perf_known() {\n\tcase $1 in\n\t(");
	for (size_t i = 0; i < perf_ncommands; i++)
		fprintf(f, "%s%s", i ? "|" : "", perf_commands[i]->name);
	fprintf(f, ") return 0 ;;\n\tesac\n\treturn 1\n}\n\n");

	fprintf(f, "# __perf_arg CMD OPTION: sets __perf_k to what OPTION's argument is\n"
	           "# (flag: none); fails for an option CMD does not have.\n"
	           "__perf_arg() {\n\tcase $1:$2 in\n");
	for (size_t i = 0; i < perf_ncommands; i++)
		each_option(f, perf_commands[i], d->opt);
	fprintf(f, "\t%s*:--help|*:-h) __perf_k=flag ;;\n\t%s*) return 1 ;;\n\tesac\n}\n\n", d->open, d->open);

	fprintf(f, "# __perf_operands CMD [VERB]: sets __perf_kinds to the kinds of CMD's operands\n"
	           "# (after VERB, for a command with verbs); a last kind ending in ... repeats.\n"
	           "__perf_operands() {\n\tcase $1 in\n");
	sh_operands(f, d->open, "__perf_kinds");

	fprintf(f,
	        "# __perf_verbs CMD: sets __perf_w to CMD's verbs%s; fails when it has none.\n__perf_verbs() {\n"
	        "\tcase $1 in\n",
	        d->verbs_as);
	for (size_t i = 0; i < perf_ncommands; i++) {
		struct verb v[MAX_VERBS];
		size_t nv = cmd_verbs(perf_commands[i], v, MAX_VERBS);
		if (nv)
			d->verbs(f, d, perf_commands[i]->name, v, nv);
	}
	fprintf(f, "\t%s*)\n\t\t__perf_w=%s\n\t\treturn 1\n\t\t;;\n\tesac\n}\n\n", d->open, d->none);

	fprintf(f, "# __perf_fields CMD [FIELD]: sets __perf_w to the fields `CMD set` takes,\n"
	           "# or to FIELD's values.\n__perf_fields() {\n\tcase $1:$2 in\n");
	field_cases(f, &d->fields);
	fprintf(f, "\t%s*) __perf_w=%s ;;\n\tesac\n}\n\n", d->open, d->none);

	fprintf(f,
	        "# __perf_parse FIRST CWORD: what the word at CWORD of words is (cur, the\n"
	        "# word itself), when perf's own words start at FIRST.  Sets __perf_kind\n"
	        "# (an operand's or argument's kind, or global, options, cmd, verb),\n"
	        "# __perf_cmd, __perf_gopts (-C DIR, so perf runs as the line will) and\n"
	        "# __perf_eq (1 for --option=VALUE); fails when nothing fits there.\n"
	        "__perf_parse() {\n%s",
	        d->parse);
	fputs(sh_parse, f);
}

/* The cases of the reply function for the kinds perf finds in the repository. */
static void sh_replies(FILE *f, const struct sh_dialect *d)
{
	for (size_t i = 0; i < NREPO_WORDS; i++)
		d->reply(f, &repo_words[i]);
}

/* --- bash ---------------------------------------------------------------- */

static void bash_opt(FILE *f, const struct perf_cmd *cmd, const struct perf_opt *o, const char *kind)
{
	fprintf(f, "\t%s:--%s", cmd->name, o->name);
	if (o->short_name)
		fprintf(f, " | %s:-%c", cmd->name, o->short_name);
	fprintf(f, ") __perf_k=");
	sh_quote(f, kind);
	fprintf(f, " ;;\n");
}

static void bash_verbs(FILE *f, const struct sh_dialect *d, const char *cmd, const struct verb *v, size_t n)
{
	(void)d;
	fprintf(f, "\t%s) __perf_w='", cmd);
	for (size_t k = 0; k < n; k++)
		fprintf(f, "%s%s", k ? " " : "", v[k].name);
	fprintf(f, "' ;;\n");
}

static void bash_reply(FILE *f, const struct repo_words *r)
{
	fprintf(f, "\t%s) w=$(__perf_words %s%s) ;;\n", r->kind, r->words, r->typed ? " \"$cur\"" : "");
}

static const struct sh_dialect bash_dialect = {
    .open = "",
    .none = "",
    .verbs_as = "",
    .parse = "",
    .opt = bash_opt,
    .verbs = bash_verbs,
    .fields = {"\t%s:) __perf_w='", "%s=", "' ;;\n", "\t%s:%s) __perf_w=$(__perf_words %s) ;;\n",
               "\t%s:%s) __perf_w='%s' ;;\n"},
    .reply = bash_reply,
};

static const char bash_words[] =
    "# __perf_words KIND [WORD]: what perf itself finds for KIND in the repository.\n"
    "__perf_words() {\n"
    "\t\"${__perf_bin[@]}\" \"${__perf_gopts[@]}\" completion words \"$@\" 2>/dev/null\n"
    "}\n"
    "\n"
    "# __perf_complete_kind KIND PREFIX CUR: replies for CUR as a KIND, each after PREFIX.\n"
    "__perf_complete_kind() {\n"
    "\tlocal kind=$1 p=$2 cur=$3 w= g\n"
    "\tcase $kind in\n";

static const char bash_main[] =
    "\tgoal=)\n"
    "\t\t[[ $cur == *=* ]] && return\n"
    "\t\tfor g in $(__perf_words active-goals); do w+=\"$g= \"; done\n"
    "\t\t;;\n"
    "\tglobal) w=$__perf_global ;;\n"
    "\toptions)\n"
    "\t\t__perf_long \"$__perf_cmd\"\n"
    "\t\tw=$__perf_w\n"
    "\t\t;;\n"
    "\tcmd) w=$__perf_commands ;;\n"
    "\tcommand) w=\"$__perf_commands format\" ;;\n"
    "\tverb)\n"
    "\t\t__perf_verbs \"$__perf_cmd\"\n"
    "\t\tw=$__perf_w\n"
    "\t\t;;\n"
    "\tfield)\n"
    "\t\tif [[ $cur == *=* ]]; then\n"
    "\t\t\t__perf_fields \"$__perf_cmd\" \"${cur%%=*}\"\n"
    "\t\t\tp+=${cur%%=*}=\n"
    "\t\t\tcur=${cur#*=}\n"
    "\t\telse\n"
    "\t\t\t__perf_fields \"$__perf_cmd\"\n"
    "\t\tfi\n"
    "\t\tw=$__perf_w\n"
    "\t\t;;\n"
    "\twords:*) w=${kind#words:} ;;\n"
    "\tfile | dir)\n"
    "\t\tlocal IFS=$'\\n'\n"
    "\t\tCOMPREPLY=($(compgen -P \"$p\" -\"${kind:0:1}\" -- \"$cur\"))\n"
    "\t\tcompopt -o filenames 2>/dev/null\n"
    "\t\treturn\n"
    "\t\t;;\n"
    "\t*) return ;;\n"
    "\tesac\n"
    "\tCOMPREPLY=($(compgen -P \"$p\" -W \"$w\" -- \"$cur\"))\n"
    "}\n"
    "\n"
    "# __perf_main START BIN...: completes COMP_LINE up to COMP_POINT, in which\n"
    "# the perf word is word START; BIN... runs perf.  Words are split at\n"
    "# blanks only, so --week=2026-W47 and goal:ship stay whole; replies are\n"
    "# trimmed to the part after bash's own word breaks (= and :).\n"
    "__perf_main() {\n"
    "\tlocal start=$1\n"
    "\tshift\n"
    "\tlocal -a __perf_bin=(\"$@\") __perf_gopts=() __perf_kinds=() words=()\n"
    "\tlocal line=${COMP_LINE:0:COMP_POINT} __perf_kind= __perf_k= __perf_w= __perf_cmd= __perf_eq=\n"
    "\tlocal cur wb= pre=\n"
    "\tread -ra words <<<\"$line\"\n"
    "\t[[ ${#words[@]} -eq 0 || $line == *[[:space:]] ]] && words+=('')\n"
    "\tcur=${words[${#words[@]} - 1]}\n"
    "\t[[ ${COMP_WORDBREAKS-=:} == *=* ]] && wb+='='\n"
    "\t[[ ${COMP_WORDBREAKS-=:} == *:* ]] && wb+=':'\n"
    "\t[[ -n $wb ]] && pre=${cur%\"${cur##*[$wb]}\"}\n"
    "\tCOMPREPLY=()\n"
    "\t__perf_parse $((start + 1)) $((${#words[@]} - 1)) || return 0\n"
    "\tif [[ -n $__perf_eq ]]; then\n"
    "\t\t__perf_complete_kind \"$__perf_kind\" \"${cur%%=*}=\" \"${cur#*=}\"\n"
    "\telse\n"
    "\t\t__perf_complete_kind \"$__perf_kind\" '' \"$cur\"\n"
    "\tfi\n"
    "\t__perf_finish \"$pre\"\n"
    "}\n"
    "\n"
    "# __perf_finish PRE: no space after a lone reply ending in = : or /, and\n"
    "# each reply without PRE, the part bash has already broken off.\n"
    "__perf_finish() {\n"
    "\tif ((${#COMPREPLY[@]} == 1)) && [[ ${COMPREPLY[0]} == *[=:/] ]]; then\n"
    "\t\tcompopt -o nospace 2>/dev/null\n"
    "\tfi\n"
    "\tif [[ -n $1 ]]; then\n"
    "\t\tCOMPREPLY=(\"${COMPREPLY[@]#\"$1\"}\")\n"
    "\tfi\n"
    "\treturn 0\n"
    "}\n"
    "\n"
    "_perf() {\n"
    "\tlocal bin=${COMP_WORDS[0]}\n"
    "\t[[ $bin == '~/'* ]] && bin=$HOME/${bin#'~/'}\n"
    "\t__perf_main 0 \"$bin\"\n"
    "}\n"
    "\n"
    "# git perf: git's completion calls _git_perf.  perf runs as git's words\n"
    "# up to perf, so git -C DIR perf asks the right repository.\n"
    "_git_perf() {\n"
    "\tlocal -a gw=()\n"
    "\tlocal i=1\n"
    "\tread -ra gw <<<\"${COMP_LINE:0:COMP_POINT}\"\n"
    "\twhile ((i < ${#gw[@]})) && [[ ${gw[i]} != perf ]]; do\n"
    "\t\ti=$((i + 1))\n"
    "\tdone\n"
    "\t__perf_main \"$i\" \"${gw[@]:0:i+1}\"\n"
    "}\n"
    "\n"
    "complete -F _perf perf\n";

static void gen_bash(FILE *f)
{
	fprintf(f, "# bash completion for perf(1): a team's performance conversations in git.\n"
	           "# Generated by 'perf completion bash' from perf's command and option\n"
	           "# tables; do not edit.  Regenerate with\n"
	           "#   build/perf completion bash > completions/perf.bash\n"
	           "# Install it as bash-completion/completions/perf, or source it.\n\n");
	fprintf(f, "__perf_commands='");
	for (size_t i = 0; i < perf_ncommands; i++)
		fprintf(f, "%s%s", i ? " " : "", perf_commands[i]->name);
	fprintf(f, "'\n__perf_global='-C --json --color=auto --color=always --color=never --no-color --version "
	           "--help -h'\n\n");

	fprintf(f, "# __perf_long CMD: sets __perf_w to CMD's long options.\n__perf_long() {\n\tcase $1 in\n");
	for (size_t i = 0; i < perf_ncommands; i++) {
		const struct perf_cmd *c = perf_commands[i];
		fprintf(f, "\t%s) __perf_w='", c->name);
		for (const struct perf_opt *o = c->opts; o && o->name; o++)
			fprintf(f, "--%s ", o->name);
		fprintf(f, "--help' ;;\n");
	}
	fprintf(f, "\t*) __perf_w='--help' ;;\n\tesac\n}\n\n");

	sh_tables(f, &bash_dialect);
	fputs(bash_words, f);
	sh_replies(f, &bash_dialect);
	fputs(bash_main, f);
}

/* --- zsh ----------------------------------------------------------------- */

static void zsh_opt(FILE *f, const struct perf_cmd *cmd, const struct perf_opt *o, const char *kind)
{
	fprintf(f, "\t(%s:--%s", cmd->name, o->name);
	if (o->short_name)
		fprintf(f, "|%s:-%c", cmd->name, o->short_name);
	fprintf(f, ") __perf_k=");
	sh_quote(f, kind);
	fprintf(f, " ;;\n");
}

static void zsh_verbs(FILE *f, const struct sh_dialect *d, const char *cmd, const struct verb *v, size_t n)
{
	(void)d;
	fprintf(f, "\t(%s)\n\t\t__perf_w=(\n", cmd);
	for (size_t k = 0; k < n; k++) {
		fputs("\t\t\t", f);
		zsh_item(f, v[k].name, v[k].summary);
		fputs("\n", f);
	}
	fprintf(f, "\t\t)\n\t\t;;\n");
}

/* A path is offered whole, a folder or a KIND: prefix without a space after it. */
static void zsh_reply(FILE *f, const struct repo_words *r)
{
	fprintf(f, "\t(%s)\n", r->kind);
	if (r->typed)
		fprintf(f,
		        "\t\t__perf_words %s \"$PREFIX\"\n"
		        "\t\tmore=(${(M)__perf_w:#*[:/]})\n"
		        "\t\t__perf_w=(${__perf_w:#*[:/]})\n"
		        "\t\t_description %s expl ",
		        r->words, r->tag);
	else
		fprintf(f, "\t\t__perf_words %s\n\t\t_wanted %s expl ", r->words, r->tag);
	sh_quote(f, r->what);
	if (r->typed)
		fprintf(f, "\n\t\tcompadd \"$expl[@]\" -S '' -a more\n\t\tcompadd \"$expl[@]\" -a __perf_w\n");
	else
		fprintf(f, " compadd -a __perf_w\n");
	fprintf(f, "\t\t;;\n");
}

static const struct sh_dialect zsh_dialect = {
    .open = "(",
    .none = "()",
    .verbs_as = ", as NAME:SUMMARY",
    .parse = "\tsetopt localoptions ksharrays\n",
    .opt = zsh_opt,
    .verbs = zsh_verbs,
    .fields = {"\t(%s:) __perf_w=(", "%s", ") ;;\n", "\t(%s:%s) __perf_words %s ;;\n", "\t(%s:%s) __perf_w=(%s) ;;\n"},
    .reply = zsh_reply,
};

static const char zsh_words[] = "# __perf_words KIND [WORD]: sets __perf_w to what perf itself finds for KIND.\n"
                                "__perf_words() {\n"
                                "\t__perf_w=(${(f)\"$($__perf_bin $__perf_gopts completion words \"$@\" "
                                "2>/dev/null)\"})\n"
                                "}\n"
                                "\n"
                                "# __perf_complete KIND: completes the current word as a KIND.\n"
                                "__perf_complete() {\n"
                                "\tlocal expl f s\n"
                                "\tlocal -a __perf_w more\n"
                                "\tcase $1 in\n";

static const char zsh_main[] = "\t(goal=)\n"
                               "\t\tif compset -P 1 '*='; then\n"
                               "\t\t\t_message 'progress, 0 to 100'\n"
                               "\t\telse\n"
                               "\t\t\t__perf_words active-goals\n"
                               "\t\t\t_wanted goals expl 'active goal' compadd -S = -a __perf_w\n"
                               "\t\tfi\n"
                               "\t\t;;\n"
                               "\t(global)\n"
                               "\t\t__perf_global\n"
                               "\t\t_describe -t options 'global option' __perf_w\n"
                               "\t\t;;\n"
                               "\t(options)\n"
                               "\t\t__perf_options $__perf_cmd\n"
                               "\t\t_describe -t options \"$__perf_cmd option\" __perf_w\n"
                               "\t\t;;\n"
                               "\t(cmd|command)\n"
                               "\t\t__perf_commands\n"
                               "\t\t[[ $1 == command ]] && __perf_w+=('format:the file format, perf-format(5)')\n"
                               "\t\t_describe -t commands 'perf command' __perf_w\n"
                               "\t\t;;\n"
                               "\t(verb)\n"
                               "\t\t__perf_verbs $__perf_cmd && _describe -t verbs \"$__perf_cmd verb\" __perf_w\n"
                               "\t\t;;\n"
                               "\t(field)\n"
                               "\t\tif compset -P 1 '*='; then\n"
                               "\t\t\tf=${IPREFIX%=}\n"
                               "\t\t\t__perf_fields $__perf_cmd $f\n"
                               "\t\t\t_wanted values expl $f compadd -a __perf_w\n"
                               "\t\telse\n"
                               "\t\t\t__perf_fields $__perf_cmd\n"
                               "\t\t\t_wanted fields expl field compadd -S = -a __perf_w\n"
                               "\t\tfi\n"
                               "\t\t;;\n"
                               "\t(words:*)\n"
                               "\t\ts=${1#words:}\n"
                               "\t\t__perf_w=(${=s})\n"
                               "\t\t_wanted values expl value compadd -a __perf_w\n"
                               "\t\t;;\n"
                               "\t(file) _files ;;\n"
                               "\t(dir) _directories ;;\n"
                               "\t(text) _message text ;;\n"
                               "\t(*) return 1 ;;\n"
                               "\tesac\n"
                               "}\n"
                               "\n"
                               "_perf() {\n"
                               "\tlocal __perf_bin=$words[1] cur=$words[CURRENT] __perf_cmd __perf_k __perf_kind "
                               "__perf_eq\n"
                               "\tlocal -a __perf_gopts __perf_w __perf_kinds\n"
                               "\t[[ $__perf_bin == '~/'* ]] && __perf_bin=$HOME/${__perf_bin#'~/'}\n"
                               "\t__perf_parse 1 $((CURRENT - 1)) || return 1\n"
                               "\tif [[ -n $__perf_eq ]]; then\n"
                               "\t\tcompset -P 1 '*=' || return 1\n"
                               "\tfi\n"
                               "\t__perf_complete $__perf_kind\n"
                               "}\n"
                               "\n"
                               "if [[ $funcstack[1] == _perf ]]; then\n"
                               "\t_perf \"$@\"\n"
                               "else\n"
                               "\tcompdef _perf perf\n"
                               "fi\n";

static void gen_zsh(FILE *f)
{
	fprintf(f, "#compdef perf\n"
	           "# zsh completion for perf(1): a team's performance conversations in git.\n"
	           "# Generated by 'perf completion zsh' from perf's command and option\n"
	           "# tables; do not edit.  Regenerate with\n"
	           "#   build/perf completion zsh > completions/_perf\n"
	           "# Install it as _perf in a folder of $fpath, or source it after compinit.\n\n");

	fprintf(
	    f,
	    "# __perf_commands: sets __perf_w to the commands, as NAME:SUMMARY.\n__perf_commands() {\n\t__perf_w=(\n");
	for (size_t i = 0; i < perf_ncommands; i++) {
		fputs("\t\t", f);
		zsh_item(f, perf_commands[i]->name, perf_commands[i]->summary);
		fputs("\n", f);
	}
	fprintf(f, "\t)\n}\n\n");

	fprintf(f, "# __perf_global: sets __perf_w to perf's own options.\n__perf_global() {\n\t__perf_w=(\n");
	{
		static const char *const g[][2] = {
		    {"-C", "use the perf repository in DIR"},
		    {"--json", "print JSON where a command can"},
		    {"--color=auto", "colour output on a terminal (the default)"},
		    {"--color=always", "always colour output"},
		    {"--color=never", "never colour output"},
		    {"--no-color", "never colour output"},
		    {"--version", "print perf's version"},
		    {"--help", "print the usage and the commands"},
		    {"-h", "print the usage and the commands"},
		};
		for (size_t i = 0; i < sizeof(g) / sizeof(*g); i++) {
			fputs("\t\t", f);
			zsh_item(f, g[i][0], g[i][1]);
			fputs("\n", f);
		}
	}
	fprintf(f, "\t)\n}\n\n");

	fprintf(f, "# __perf_options CMD: sets __perf_w to CMD's options, as NAME:HELP.\n"
	           "__perf_options() {\n\tcase $1 in\n");
	for (size_t i = 0; i < perf_ncommands; i++) {
		const struct perf_cmd *c = perf_commands[i];
		fprintf(f, "\t(%s)\n\t\t__perf_w=(\n", c->name);
		for (const struct perf_opt *o = c->opts; o && o->name; o++) {
			char name[64];
			snprintf(name, sizeof(name), "--%s", o->name);
			fputs("\t\t\t", f);
			zsh_item(f, name, o->help);
			fputs("\n", f);
			if (o->short_name) {
				snprintf(name, sizeof(name), "-%c", o->short_name);
				fputs("\t\t\t", f);
				zsh_item(f, name, o->help);
				fputs("\n", f);
			}
		}
		fprintf(f, "\t\t\t'--help:show this help'\n\t\t\t'-h:show this help'\n\t\t)\n\t\t;;\n");
	}
	fprintf(f, "\t(*) __perf_w=('--help:show this help') ;;\n\tesac\n}\n\n");

	sh_tables(f, &zsh_dialect);
	fputs(zsh_words, f);
	sh_replies(f, &zsh_dialect);
	fputs(zsh_main, f);
}

/* --- fish ---------------------------------------------------------------- */

static void fish_arg(FILE *f, const struct perf_cmd *cmd, const struct perf_opt *o, const char *kind)
{
	fprintf(f, "        case '%s:--%s'", cmd->name, o->name);
	if (o->short_name)
		fprintf(f, " '%s:-%c'", cmd->name, o->short_name);
	fprintf(f, "\n            echo ");
	fish_quote(f, kind);
	fprintf(f, "\n");
}

/* complete -c perf lines for each option of a command. */
static void fish_opt(FILE *f, const struct perf_cmd *cmd, const struct perf_opt *o, const char *kind)
{
	const struct repo_words *r;

	fprintf(f, "complete -c perf -n '__perf_using %s'", cmd->name);
	if (o->short_name)
		fprintf(f, " -s %c", o->short_name);
	fprintf(f, " -l %s", o->name);
	if (!strcmp(kind, "flag"))
		;
	else if (!strcmp(kind, "file"))
		fprintf(f, " -r -F");
	else if (!strcmp(kind, "dir"))
		fprintf(f, " -x -a '(__fish_complete_directories)'");
	else if (!strcmp(kind, "goal="))
		fprintf(f, " -x -a '(__perf_goal_progress)'");
	else if ((r = repo_words_of(kind)))
		fprintf(f, " -x -a '(__perf_words %s%s)'", r->words, r->typed ? " (commandline -ct)" : "");
	else if (!strncmp(kind, "words:", 6)) {
		fprintf(f, " -x -a ");
		fish_quote(f, kind + 6);
	} else
		fprintf(f, " -x");
	fprintf(f, " -d ");
	fish_quote(f, o->help);
	fprintf(f, "\n");
}

static const char fish_main[] =
    "# __perf_scan: reads the command line into __perf_bin, __perf_gopts (-C DIR),\n"
    "# __perf_cmd, __perf_ops (its operands so far) and __perf_argkind (the kind\n"
    "# of the word being completed, when it is an option's argument).\n"
    "function __perf_scan\n"
    "    set -l tokens (commandline -opc)\n"
    "    set -l n (count $tokens)\n"
    "    set -l i 2\n"
    "    set -l k\n"
    "    set -l dd\n"
    "    set -g __perf_bin $tokens[1]\n"
    "    set -g __perf_gopts\n"
    "    set -g __perf_cmd\n"
    "    set -g __perf_ops\n"
    "    set -g __perf_argkind\n"
    "    while test $i -le $n\n"
    "        switch $tokens[$i]\n"
    "            case '-C'\n"
    "                if test $i -eq $n\n"
    "                    set -g __perf_argkind dir\n"
    "                    return 0\n"
    "                end\n"
    "                set i (math $i + 1)\n"
    "                set -a __perf_gopts -C $tokens[$i]\n"
    "            case '-C?*'\n"
    "                set -a __perf_gopts $tokens[$i]\n"
    "            case '-*'\n"
    "            case '*'\n"
    "                set -g __perf_cmd $tokens[$i]\n"
    "                break\n"
    "        end\n"
    "        set i (math $i + 1)\n"
    "    end\n"
    "    test -n \"$__perf_cmd\"; or return 0\n"
    "    set i (math $i + 1)\n"
    "    while test $i -le $n\n"
    "        set -l w $tokens[$i]\n"
    "        if test -z \"$dd\"; and string match -q -- '-?*' $w\n"
    "            if test \"$w\" = --\n"
    "                set dd 1\n"
    "            else if not string match -q -- '*=*' $w; and set k (__perf_arg $__perf_cmd $w); and test \"$k\" "
    "!= flag\n"
    "                if test $i -eq $n\n"
    "                    set -g __perf_argkind $k\n"
    "                end\n"
    "                set i (math $i + 1)\n"
    "            end\n"
    "        else\n"
    "            set -a __perf_ops $w\n"
    "        end\n"
    "        set i (math $i + 1)\n"
    "    end\n"
    "end\n"
    "\n"
    "# __perf_words KIND [WORD]: what perf itself finds for KIND in the repository.\n"
    "function __perf_words\n"
    "    __perf_scan\n"
    "    command $__perf_bin $__perf_gopts completion words $argv 2>/dev/null\n"
    "end\n"
    "\n"
    "function __perf_goal_progress\n"
    "    for g in (__perf_words active-goals)\n"
    "        echo $g=\n"
    "    end\n"
    "end\n"
    "\n"
    "function __perf_needs_command\n"
    "    __perf_scan\n"
    "    test -z \"$__perf_cmd\"\n"
    "end\n"
    "\n"
    "function __perf_wants_command\n"
    "    __perf_scan\n"
    "    test -z \"$__perf_cmd\"; and test -z \"$__perf_argkind\"\n"
    "end\n"
    "\n"
    "function __perf_using\n"
    "    __perf_scan\n"
    "    test \"$__perf_cmd\" = \"$argv[1]\"\n"
    "end\n"
    "\n"
    "# __perf_operand_kind: prints the kind of the operand being completed.\n"
    "function __perf_operand_kind\n"
    "    __perf_scan\n"
    "    test -n \"$__perf_cmd\"; and test -z \"$__perf_argkind\"; or return 1\n"
    "    set -l cur (commandline -ct)\n"
    "    string match -q -- '-*' \"$cur\"; and return 1\n"
    "    set -l k (count $__perf_ops)\n"
    "    set -l kinds\n"
    "    if __perf_verbs $__perf_cmd >/dev/null\n"
    "        if test $k -eq 0\n"
    "            echo verb\n"
    "            return 0\n"
    "        end\n"
    "        set kinds (__perf_operands $__perf_cmd $__perf_ops[1])\n"
    "        set k (math $k - 1)\n"
    "    else\n"
    "        set kinds (__perf_operands $__perf_cmd)\n"
    "    end\n"
    "    set -l nk (count $kinds)\n"
    "    if test $k -lt $nk\n"
    "        string replace -r '\\.\\.\\.$' '' -- $kinds[(math $k + 1)]\n"
    "    else if test $nk -gt 0; and string match -q -- '*...' $kinds[$nk]\n"
    "        string replace -r '\\.\\.\\.$' '' -- $kinds[$nk]\n"
    "    else\n"
    "        return 1\n"
    "    end\n"
    "    return 0\n"
    "end\n"
    "\n"
    "function __perf_operand_is\n"
    "    set -l k (__perf_operand_kind); or return 1\n"
    "    test \"$k\" = \"$argv[1]\"\n"
    "end\n"
    "\n"
    "# __perf_operand_words: the candidates for the operand being completed.\n"
    "function __perf_operand_words\n"
    "    set -l kind (__perf_operand_kind); or return 0\n"
    "    set -l cur (commandline -ct)\n"
    "    switch \"$kind\"\n";

/* The rest of __perf_operand_words, after the kinds perf finds in the repository. */
static const char fish_tail[] =
    "        case command\n"
    "            __perf_commands\n"
    "            printf '%s\\t%s\\n' format 'the file format, perf-format(5)'\n"
    "        case verb\n"
    "            __perf_verbs $__perf_cmd\n"
    "        case field\n"
    "            if string match -q -- '*=*' \"$cur\"\n"
    "                set -l f (string split -m 1 = -- \"$cur\")[1]\n"
    "                for v in (__perf_fields $__perf_cmd $f)\n"
    "                    echo $f=$v\n"
    "                end\n"
    "            else\n"
    "                for f in (__perf_fields $__perf_cmd)\n"
    "                    echo $f=\n"
    "                end\n"
    "            end\n"
    "        case dir\n"
    "            __fish_complete_directories \"$cur\"\n"
    "        case 'words:*'\n"
    "            string split ' ' -- (string replace 'words:' '' -- $kind)\n"
    "    end\n"
    "end\n"
    "\n"
    "complete -c perf -f\n"
    "complete -c perf -n __perf_wants_command -a '(__perf_commands)'\n"
    "complete -c perf -n __perf_needs_command -s C -x -a '(__fish_complete_directories)' -d 'use the perf "
    "repository in DIR'\n"
    "complete -c perf -n __perf_needs_command -l json -d 'print JSON where a command can'\n"
    "complete -c perf -n __perf_needs_command -l color -x -a 'auto always never' -d 'when to colour output'\n"
    "complete -c perf -n __perf_needs_command -l no-color -d 'never colour output'\n"
    "complete -c perf -n __perf_needs_command -l version -d 'print perf\\'s version'\n"
    "complete -c perf -n __perf_needs_command -s h -l help -d 'print the usage and the commands'\n"
    "complete -c perf -n 'not __perf_needs_command' -s h -l help -d 'show this help'\n"
    "complete -c perf -n '__perf_operand_kind >/dev/null' -a '(__perf_operand_words)'\n"
    "complete -c perf -n '__perf_operand_is file' -F\n";

static void gen_fish(FILE *f)
{
	fprintf(f, "# fish completion for perf(1): a team's performance conversations in git.\n"
	           "# Generated by 'perf completion fish' from perf's command and option\n"
	           "# tables; do not edit.  Regenerate with\n"
	           "#   build/perf completion fish > completions/perf.fish\n"
	           "# Install it as fish/vendor_completions.d/perf.fish.\n\n");

	fprintf(f, "function __perf_commands\n");
	for (size_t i = 0; i < perf_ncommands; i++) {
		fprintf(f, "    printf '%%s\\t%%s\\n' %s ", perf_commands[i]->name);
		fish_quote(f, perf_commands[i]->summary);
		fprintf(f, "\n");
	}
	fprintf(f, "end\n\n");

	fprintf(f, "# __perf_arg CMD OPTION: prints what OPTION's argument is (flag: none);\n"
	           "# fails for an option CMD does not have.\n"
	           "function __perf_arg\n    switch \"$argv[1]:$argv[2]\"\n");
	for (size_t i = 0; i < perf_ncommands; i++)
		each_option(f, perf_commands[i], fish_arg);
	fprintf(f, "        case '*:--help' '*:-h'\n            echo flag\n        case '*'\n            return 1\n"
	           "    end\nend\n\n");

	fprintf(f, "# __perf_operands CMD [VERB]: prints the kinds of CMD's operands (after\n"
	           "# VERB, for a command with verbs); a last kind ending in ... repeats.\n"
	           "function __perf_operands\n    switch \"$argv[1]\"\n");
	for (size_t i = 0; i < perf_ncommands; i++) {
		const struct perf_cmd *c = perf_commands[i];
		struct verb v[MAX_VERBS];
		struct kind k[8];
		size_t nv = cmd_verbs(c, v, MAX_VERBS);
		fprintf(f, "        case %s\n", c->name);
		if (nv) {
			fprintf(f, "            switch \"$argv[2]\"\n");
			for (size_t j = 0; j < nv; j++) {
				fprintf(f, "                case %s\n", v[j].name);
				if (usage_operands(v[j].args, c->name, k, 8)) {
					fprintf(f, "                    printf '%%s\\n' ");
					print_kinds(f, v[j].args, c->name, fish_quote);
					fprintf(f, "\n");
				}
			}
			fprintf(f, "            end\n");
		} else if (usage_operands(c->usage, c->name, k, 8)) {
			fprintf(f, "            printf '%%s\\n' ");
			print_kinds(f, c->usage, c->name, fish_quote);
			fprintf(f, "\n");
		}
	}
	fprintf(f, "    end\nend\n\n");

	fprintf(f, "# __perf_verbs CMD: prints CMD's verbs with their summaries; fails when\n"
	           "# it has none.\nfunction __perf_verbs\n    switch \"$argv[1]\"\n");
	for (size_t i = 0; i < perf_ncommands; i++) {
		struct verb v[MAX_VERBS];
		size_t nv = cmd_verbs(perf_commands[i], v, MAX_VERBS);
		if (!nv)
			continue;
		fprintf(f, "        case %s\n", perf_commands[i]->name);
		for (size_t k = 0; k < nv; k++) {
			fprintf(f, "            printf '%%s\\t%%s\\n' %s ", v[k].name);
			fish_quote(f, v[k].summary);
			fprintf(f, "\n");
		}
	}
	fprintf(f, "        case '*'\n            return 1\n    end\nend\n\n");

	fprintf(f, "# __perf_fields CMD [FIELD]: prints the fields `CMD set` takes, or FIELD's\n"
	           "# values.\nfunction __perf_fields\n    switch \"$argv[1]:$argv[2]\"\n");
	{
		static const struct field_fmt fish_fields = {
		    "        case '%s:'\n            printf '%%s\\n' ",
		    "%s",
		    "\n",
		    "        case '%s:%s'\n            __perf_words %s\n",
		    "        case '%s:%s'\n            printf '%%s\\n' %s\n",
		};
		field_cases(f, &fish_fields);
	}
	fprintf(f, "    end\nend\n\n");
	fputs(fish_main, f);
	for (size_t i = 0; i < NREPO_WORDS; i++)
		fprintf(f, "        case %s\n            __perf_words %s%s\n", repo_words[i].kind, repo_words[i].words,
		        repo_words[i].typed ? " \"$cur\"" : "");
	fputs(fish_tail, f);
	fprintf(f, "\n");
	for (size_t i = 0; i < perf_ncommands; i++)
		each_option(f, perf_commands[i], fish_opt);
}

/* --- words: what the scripts ask perf for --------------------------------- */

struct emit {
	const char *want; /* print only words starting with this */
	const char *prefix, *suffix;
	bool dirs, files;
};

static void emit_word(const struct emit *e, const char *name)
{
	char word[PERF_SCHEMA_PATH_MAX * 2 + 8];

	snprintf(word, sizeof(word), "%s%s%s", e->prefix, name, e->suffix);
	if (!strncmp(word, e->want, strlen(e->want)))
		printf("%s\n", word);
}

/* The documents in dir, without .md, as prefix NAME suffix. */
static void emit_docs(struct perf_repo *repo, const char *dir, const char *want, const char *prefix, const char *suffix)
{
	struct perf_strv names = PERF_STRV_INIT;
	struct emit e = {want, prefix, suffix, false, true};

	if (perf_store_list(repo, NULL, dir, &names, NULL) == 0)
		for (size_t i = 0; i < names.n; i++)
			emit_word(&e, names.v[i]);
	perf_strv_release(&names);
}

static int emit_entry(const char *name, bool is_dir, void *payload)
{
	const struct emit *e = payload;
	char buf[PERF_SCHEMA_PATH_MAX + 8];

	if (is_dir && e->dirs) {
		snprintf(buf, sizeof(buf), "%s/", name);
		emit_word(e, buf);
	} else if (!is_dir && e->files) {
		emit_word(e, name);
	}
	return 0;
}

/* The entries of dir as they are (folders with a '/'). */
static void emit_tree(struct perf_repo *repo, const char *dir, const char *want, const char *prefix, bool dirs,
                      bool files)
{
	struct emit e = {want, prefix, "", dirs, files};

	perf_repo_list(repo, dir, emit_entry, &e, NULL);
}

/* Targets that begin with cur, in the forms perf_store_resolve reads. */
static void emit_targets(struct perf_repo *repo, const char *me, const char *cur)
{
	const char *colon = strchr(cur, ':'), *slash = strchr(cur, '/');
	char dir[PERF_SCHEMA_PATH_MAX + 1], prefix[PERF_SCHEMA_PATH_MAX + 1];

	if (colon && (!slash || colon < slash)) {
		const char *rest = colon + 1, *sl = strchr(rest, '/');
		size_t n = (size_t)(colon - cur);
		for (const struct perf_schema_kind *const *k = perf_schema_kinds(); *k; k++) {
			const char *word = (*k)->target, *folder;
			size_t fn = perf_schema_folder(*k, &folder);
			char top[64];
			if (!word || !fn || strlen(word) != n || strncmp(word, cur, n))
				continue;
			snprintf(top, sizeof(top), "%.*s", (int)fn, folder);
			snprintf(prefix, sizeof(prefix), "%s:", word);
			if (!perf_schema_per_person(*k) || perf_schema_one_per_person(*k)) {
				emit_docs(repo, top, cur, prefix, "");
			} else if (sl) {
				char handle[PERF_HANDLE_MAX + 1];
				size_t hn = (size_t)(sl - rest);
				if (hn > PERF_HANDLE_MAX)
					return;
				memcpy(handle, rest, hn);
				handle[hn] = '\0';
				if (!perf_value_is_handle(handle))
					return;
				snprintf(dir, sizeof(dir), "%s/%s", top, handle);
				snprintf(prefix, sizeof(prefix), "%s:%s/", word, handle);
				emit_docs(repo, dir, cur, prefix, "");
			} else {
				if (me) {
					snprintf(dir, sizeof(dir), "%s/%s", top, me);
					emit_docs(repo, dir, cur, prefix, "");
				}
				emit_tree(repo, top, cur, prefix, true, false);
			}
		}
		return;
	}
	if (slash) {
		size_t n = (size_t)(slash - cur);
		const char *last = strrchr(cur, '/');
		if (perf_schema_kind_of_folder(cur, n)) {
			/* A path: the entries of the folder typed so far. */
			size_t dn = (size_t)(last - cur);
			if (dn + 1 >= sizeof(prefix))
				return;
			memcpy(dir, cur, dn);
			dir[dn] = '\0';
			memcpy(prefix, cur, dn + 1);
			prefix[dn + 1] = '\0';
			emit_tree(repo, dir, cur, prefix, true, true);
		} else if (n <= PERF_HANDLE_MAX) {
			/* HANDLE/GOAL or HANDLE/WEEK. */
			char handle[PERF_HANDLE_MAX + 1];
			memcpy(handle, cur, n);
			handle[n] = '\0';
			if (!perf_value_is_handle(handle))
				return;
			snprintf(prefix, sizeof(prefix), "%s/", handle);
			snprintf(dir, sizeof(dir), "goals/%s", handle);
			emit_docs(repo, dir, cur, prefix, "");
			snprintf(dir, sizeof(dir), "checkins/%s", handle);
			emit_docs(repo, dir, cur, prefix, "");
		}
		return;
	}
	/* A bare word: a kind, a folder, a person, one of your goals or weeks. */
	{
		struct emit e = {cur, "", ":", false, true};
		const struct perf_schema_kind *const *k;
		for (k = perf_schema_kinds(); *k; k++)
			if ((*k)->target)
				emit_word(&e, (*k)->target);
		e.suffix = "/";
		for (k = perf_schema_kinds(); *k; k++) {
			const char *folder;
			size_t fn = perf_schema_folder(*k, &folder);
			char top[64];
			snprintf(top, sizeof(top), "%.*s", (int)fn, folder);
			if (fn)
				emit_word(&e, top);
		}
	}
	emit_docs(repo, "people", cur, "", "/");
	if (me) {
		snprintf(dir, sizeof(dir), "goals/%s", me);
		emit_docs(repo, dir, cur, "", "");
		if (cur[0] >= '0' && cur[0] <= '9') {
			snprintf(dir, sizeof(dir), "checkins/%s", me);
			emit_docs(repo, dir, cur, "", "");
		}
	}
}

/* Your goals that are active: what a check-in can move. */
static void emit_active_goals(struct perf_repo *repo, const char *me, const char *want, const char *suffix)
{
	struct perf_strv names = PERF_STRV_INIT;
	struct emit e = {want, "", suffix, false, true};
	char dir[64];

	snprintf(dir, sizeof(dir), "goals/%s", me);
	if (perf_store_list(repo, NULL, dir, &names, NULL) == 0)
		for (size_t i = 0; i < names.n; i++) {
			char path[PERF_SCHEMA_PATH_MAX + 1], status[32];
			snprintf(path, sizeof(path), "%s/%s.md", dir, names.v[i]);
			if (perf_store_field(repo, NULL, path, "status", status, sizeof(status), NULL) == 0 &&
			    (!status[0] || !strcmp(status, "active")))
				emit_word(&e, names.v[i]);
		}
	perf_strv_release(&names);
}

/* The short target of the document at path (KIND:HANDLE/NAME...), or the
 * path itself when no short form names it alone. */
static void short_target(struct perf_repo *repo, const char *me, const char *path, char *out, size_t size)
{
	struct perf_schema_match m;
	struct perf_target t;
	const char *base = strrchr(path, '/');
	size_t n;

	snprintf(out, size, "%s", path);
	if (perf_schema_match_path(&m, path, NULL) || !m.kind->target || !base)
		return;
	base++;
	n = strlen(base) > 3 && !strcmp(base + strlen(base) - 3, ".md") ? strlen(base) - 3 : strlen(base);
	if (perf_schema_one_per_person(m.kind))
		snprintf(out, size, "%s:%s", m.kind->target, m.handle);
	else if (perf_schema_per_person(m.kind))
		snprintf(out, size, "%s:%s/%.*s", m.kind->target, m.handle, (int)n, base);
	else
		snprintf(out, size, "%s:%.*s", m.kind->target, (int)n, base);
	/* Only a form that finds exactly this document. */
	if (perf_store_resolve(repo, NULL, out, me, &t, NULL) || strcmp(t.path, path))
		snprintf(out, size, "%s", path);
}

/*
 * What waits for you, as words: "requests", the feedback requests you have
 * not answered (HANDLE/ID, as perf give takes them); "waiting", the
 * documents with replies you have not answered or seen and, for a lead,
 * their people's check-ins that wait for an answer (as targets).  Fails
 * (1) when there is nothing.
 */
static int emit_waiting(struct perf_repo *repo, const char *me, const char *kind, const char *want)
{
	struct perf_due d = {0};
	struct perf_strv seen = PERF_STRV_INIT;
	struct emit e = {want, "", "", false, true};
	bool requests = !strcmp(kind, "requests");
	size_t shown = 0;

	if (perf_team_due(repo, me, perf_value_now(), !requests, &d, NULL) == 0 &&
	    (requests || perf_team_inbox(repo, me, NULL, perf_value_now(), &d, NULL) == 0)) {
		for (size_t i = 0; i < d.n; i++) {
			const struct perf_due_item *it = &d.v[i];
			char word[PERF_SCHEMA_PATH_MAX * 2 + 8];
			if (!it->path || !it->path[0])
				continue;
			if (requests && it->kind == PERF_DUE_FEEDBACK) {
				/* feedback/HANDLE/ID.md */
				const char *h = it->path + strlen("feedback/");
				size_t len = strlen(h);
				if (strncmp(it->path, "feedback/", 9) || len < 4)
					continue;
				snprintf(word, sizeof(word), "%.*s", (int)(len - 3), h);
			} else if (!requests && (it->kind == PERF_DUE_REPLY || it->kind == PERF_DUE_ASK ||
			                         it->kind == PERF_DUE_STUCK || it->kind == PERF_DUE_ANSWER)) {
				short_target(repo, me, it->path, word, sizeof(word));
			} else {
				continue;
			}
			if (perf_strv_has(&seen, word))
				continue;
			perf_strv_push(&seen, word);
			if (!strncmp(word, want, strlen(want)))
				shown++;
			emit_word(&e, word);
		}
	}
	perf_due_release(&d);
	perf_strv_release(&seen);
	return shown ? PERF_EXIT_OK : PERF_EXIT_FAIL;
}

/* perf completion words KIND [WORD]: one word a line; nothing (and exit 1,
 * silently) when there is no repository or no such KIND. */
static int words(struct perf_ctx *ctx, int argc, char **argv)
{
	struct perf_repo *repo = NULL;
	struct perf_error err;
	const struct perf_identity *who;
	const char *kind = argc > 0 ? argv[0] : "", *cur = argc > 1 ? argv[1] : "";
	const char *me = NULL;
	char dir[64];
	int rc = PERF_EXIT_OK;

	perf_error_clear(&err);
	if (!strcmp(kind, "weeks")) {
		/* This week and the four before it. */
		time_t now = perf_value_now();
		for (int i = 0; i < 5; i++) {
			char week[9];
			perf_value_week_of(now - (time_t)i * 7 * 86400, week);
			printf("%s\n", week);
		}
		return PERF_EXIT_OK;
	}
	if (strcmp(kind, "handles") && strcmp(kind, "goals") && strcmp(kind, "cycles") && strcmp(kind, "norms") &&
	    strcmp(kind, "target") && strcmp(kind, "active-goals") && strcmp(kind, "requests") &&
	    strcmp(kind, "waiting") && strcmp(kind, "reply-target"))
		return PERF_EXIT_FAIL;
	if (perf_repo_open(&repo, ctx->dir, &err))
		return PERF_EXIT_FAIL;
	perf_repo_set_notice(repo, perf_print_notice, NULL);
	if (perf_repo_identity(repo, &who, &err) == 0)
		me = who->handle;
	if (!strcmp(kind, "handles")) {
		emit_docs(repo, "people", cur, "", "");
	} else if (!strcmp(kind, "cycles") || !strcmp(kind, "norms")) {
		emit_docs(repo, kind, cur, "", "");
	} else if (!strcmp(kind, "goals")) {
		if (me) {
			snprintf(dir, sizeof(dir), "goals/%s", me);
			emit_docs(repo, dir, cur, "", "");
		} else {
			rc = PERF_EXIT_FAIL;
		}
	} else if (!me && strcmp(kind, "target")) {
		rc = PERF_EXIT_FAIL;
	} else if (!strcmp(kind, "active-goals")) {
		emit_active_goals(repo, me, cur, "");
	} else if (!strcmp(kind, "requests") || !strcmp(kind, "waiting")) {
		rc = emit_waiting(repo, me, kind, cur);
	} else if (!strcmp(kind, "reply-target")) {
		/* What waits for an answer; every target once something is typed, or when nothing waits. */
		if (*cur || emit_waiting(repo, me, "waiting", cur) != PERF_EXIT_OK)
			emit_targets(repo, me, cur);
	} else {
		emit_targets(repo, me, cur);
	}
	perf_repo_free(repo);
	return rc;
}

static int run_completion(struct perf_ctx *ctx, int argc, char **argv)
{
	struct perf_optstate st;
	const char *shell;
	int rc;

	if ((rc = perf_opt_parse(&st, ctx, argc, argv, NULL, NULL)) != 0)
		return rc;
	argc -= st.index;
	argv += st.index;
	if (argc < 1)
		return perf_usage_error(ctx->cmd, "name a shell: bash, zsh or fish");
	shell = argv[0];
	if (!strcmp(shell, "words"))
		return words(ctx, argc - 1, argv + 1);
	if (argc > 1)
		return perf_usage_error(ctx->cmd, "name one shell");
	if (!strcmp(shell, "bash"))
		gen_bash(stdout);
	else if (!strcmp(shell, "zsh"))
		gen_zsh(stdout);
	else if (!strcmp(shell, "fish"))
		gen_fish(stdout);
	else
		return perf_usage_error(ctx->cmd, "no completion for '%s'; shells: bash, zsh, fish", shell);
	return PERF_EXIT_OK;
}

const struct perf_cmd perf_cmd_completion = {
    .group = PERF_GROUP_PLUMBING,
    .name = "completion",
    .usage = "bash|zsh|fish",
    .summary = "print a shell completion script",
    .opts = completion_opts,
    .flags = PERF_CMD_DATA,
    .run = run_completion,
};
