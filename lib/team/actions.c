/*
 * The task-item parser for notes: see actions.h for what it accepts.
 *
 * It reads the body line by line, once, keeping two states across lines:
 * inside a fenced code block and inside an HTML comment.  An item's text is
 * gathered (continuation lines joined), cleaned, and then read from both
 * ends: the owner from the front, the due date from the back.
 */
#include "actions.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "store.h"

#define MAX_QUOTE 60

struct parser {
	const char *body;
	size_t len;
	const char *default_owner;
	perf_actions_report_fn report;
	void *payload;
	size_t problems;
	struct perf_actions *out;
	/* Across lines. */
	bool in_comment;
	bool in_fence;
	char fence_ch;
	size_t fence_len;
};

struct line {
	size_t start, end; /* [start, end) without the newline and a final \r */
	size_t next;       /* where the next line starts */
	size_t no;         /* 1-based */
};

static void next_line(const struct parser *p, size_t at, size_t no, struct line *l)
{
	const char *nl = at < p->len ? memchr(p->body + at, '\n', p->len - at) : NULL;

	l->start = at;
	l->end = nl ? (size_t)(nl - p->body) : p->len;
	l->next = nl ? l->end + 1 : p->len;
	if (l->end > l->start && p->body[l->end - 1] == '\r')
		l->end--;
	l->no = no;
}

static void problem(struct parser *p, size_t line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void problem(struct parser *p, size_t line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	p->problems++;
	if (!p->report)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	p->report(p->payload, line, msg);
}

static bool blank_ch(char c)
{
	return c == ' ' || c == '\t';
}

/* Columns of leading blanks (a tab goes to the next multiple of 4) and the offset after them. */
static size_t indent_of(const char *s, size_t n, size_t *off)
{
	size_t col = 0, i = 0;

	while (i < n && blank_ch(s[i])) {
		col = s[i] == '\t' ? (col / 4 + 1) * 4 : col + 1;
		i++;
	}
	*off = i;
	return col;
}

/* Finds needle in s[0..n); returns its offset or n. */
static size_t find(const char *s, size_t n, const char *needle)
{
	size_t k = strlen(needle);

	for (size_t i = 0; i + k <= n; i++)
		if (s[i] == needle[0] && !memcmp(s + i, needle, k))
			return i;
	return n;
}

/* A fence opener at s[0..n) (after indentation): sets the fence's char and length. */
static bool fence_open(const char *s, size_t n, char *ch, size_t *flen)
{
	size_t k = 0;

	if (n < 3 || (s[0] != '`' && s[0] != '~'))
		return false;
	while (k < n && s[k] == s[0])
		k++;
	if (k < 3)
		return false;
	/* A backtick fence's info string has no backticks (else it is inline code). */
	if (s[0] == '`' && memchr(s + k, '`', n - k))
		return false;
	*ch = s[0];
	*flen = k;
	return true;
}

static bool fence_close(const struct parser *p, const char *s, size_t n)
{
	size_t k = 0;

	while (k < n && s[k] == p->fence_ch)
		k++;
	if (k < p->fence_len)
		return false;
	while (k < n && blank_ch(s[k]))
		k++;
	return k == n;
}

/* A list marker at s[0..n): "-", "*", "+", or 1-9 digits and "." or ")", then a blank or the end.
 * Returns the marker's length, or 0. */
static size_t list_marker(const char *s, size_t n)
{
	size_t k = 0;

	if (n >= 1 && (s[0] == '-' || s[0] == '*' || s[0] == '+'))
		k = 1;
	else {
		while (k < n && k < 9 && isdigit((unsigned char)s[k]))
			k++;
		if (k == 0 || k >= n || (s[k] != '.' && s[k] != ')'))
			return 0;
		k++;
	}
	if (k < n && !blank_ch(s[k]))
		return 0;
	return k;
}

/* Appends s[0..n) to text with HTML comments removed; an unclosed comment
 * ends the text and sets in_comment. */
static int add_clean(struct parser *p, struct perf_buf *text, const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t open = find(s + i, n - i, "<!--");
		if (perf_buf_add(text, s + i, open))
			return PERF_ENOMEM;
		i += open;
		if (i >= n)
			break;
		size_t close = find(s + i + 4, n - i - 4, "-->");
		if (i + 4 + close >= n) {
			p->in_comment = true;
			return 0;
		}
		i += 4 + close + 3;
		if (perf_buf_putc(text, ' '))
			return PERF_ENOMEM;
	}
	return 0;
}

/* Tracks comments opened (and not closed) on an ordinary line. */
static void scan_comments(struct parser *p, const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		if (p->in_comment) {
			size_t close = find(s + i, n - i, "-->");
			if (close >= n - i)
				return;
			p->in_comment = false;
			i += close + 3;
		} else {
			size_t open = find(s + i, n - i, "<!--");
			if (open >= n - i)
				return;
			p->in_comment = true;
			i += open + 4;
		}
	}
}

/* Collapses blanks and control characters to single spaces and trims, in place. */
static void squeeze(struct perf_buf *b)
{
	size_t w = 0;
	bool space = true; /* drops leading blanks */

	for (size_t r = 0; r < b->len; r++) {
		unsigned char c = (unsigned char)b->ptr[r];
		if (c < 0x20 || c == 0x7f || c == ' ') {
			if (!space)
				b->ptr[w++] = ' ';
			space = true;
		} else {
			b->ptr[w++] = (char)c;
			space = false;
		}
	}
	while (w > 0 && b->ptr[w - 1] == ' ')
		w--;
	perf_buf_truncate(b, w);
}

static bool word_char(char c)
{
	return isalnum((unsigned char)c) || c == '-';
}

/* Words that alone say a date is meant, though it is not written as one. */
static const char *const date_words[] = {
    "today",    "tomorrow", "tonight",  "yesterday", "eod",    "eow",       "eom",      "eoq",  "eoy",       "asap",
    "noon",     "midnight", "weekend",  "monday",    "mon",    "tuesday",   "tue",      "tues", "wednesday", "wed",
    "thursday", "thu",      "thur",     "thurs",     "friday", "fri",       "saturday", "sat",  "sunday",    "sun",
    "january",  "jan",      "february", "feb",       "march",  "mar",       "april",    "apr",  "may",       "june",
    "jun",      "july",     "jul",      "august",    "aug",    "september", "sep",      "sept", "october",   "oct",
    "november", "nov",      "december", "dec",       "q1",     "q2",        "q3",       "q4",   NULL,
};

/* Words that say so when the next word is one of date_words or of periods: "next week", "end of". */
static const char *const date_leads[] = {"the",       "this",   "next", "end",   "start",
                                         "beginning", "middle", "mid",  "close", NULL};
static const char *const periods[] = {"week", "month", "year", "quarter", "sprint", "day", "end", "of", NULL};

static bool in(const char *const *words, const char *w)
{
	for (size_t i = 0; words[i]; i++)
		if (!strcmp(words[i], w))
			return true;
	return false;
}

/* The word at s[0..n) (letters and digits), lowercased into w; returns where the next word starts. */
static size_t word_at(const char *s, size_t n, char *w, size_t cap)
{
	size_t k = 0, i;

	while (k < n && k + 1 < cap && isalnum((unsigned char)s[k])) {
		w[k] = (char)tolower((unsigned char)s[k]);
		k++;
	}
	w[k] = '\0';
	i = k;
	while (i < n && isalnum((unsigned char)s[i]))
		i++;
	while (i < n && (s[i] == ' ' || s[i] == ','))
		i++;
	return i;
}

/* Whether "kw rest" is plainly meant as a due date. */
static bool meant_as_date(bool kw_due, const char *rest, size_t n)
{
	char w1[16], w2[16];
	size_t i;

	if (n == 0)
		return false;
	if (isdigit((unsigned char)rest[0]))
		return true;
	i = word_at(rest, n, w1, sizeof(w1));
	if (kw_due)
		return strcmp(w1, "to") && strcmp(w1, "for");
	if (!w1[0])
		return false;
	if (in(date_words, w1))
		return true;
	word_at(rest + i, n - i, w2, sizeof(w2));
	if (in(date_leads, w1))
		return in(date_words, w2) || in(periods, w2);
	/* "by week 49", "by sprint end" */
	if (in(periods, w1) && strcmp(w1, "of") && strcmp(w1, "end"))
		return isdigit((unsigned char)w2[0]) || !strcmp(w2, "end");
	return false;
}

/* Trailing separators before a due date: blanks , ; : - and the en and em dashes. */
static size_t trim_separators(const char *s, size_t n)
{
	for (;;) {
		if (n > 0 &&
		    (s[n - 1] == ' ' || s[n - 1] == ',' || s[n - 1] == ';' || s[n - 1] == ':' || s[n - 1] == '-'))
			n--;
		else if (n >= 3 && (unsigned char)s[n - 3] == 0xe2 && (unsigned char)s[n - 2] == 0x80 &&
		         ((unsigned char)s[n - 1] == 0x93 || (unsigned char)s[n - 1] == 0x94))
			n -= 3;
		else
			return n;
	}
}

/*
 * Finds a due date at the end of s[0..n): returns the length of the text
 * before it (n when there is none) and fills due.  A date that is meant but
 * unreadable sets *bad to the phrase's offset and *badlen to its length.
 */
static size_t take_due(const char *s, size_t n, char due[11], size_t *bad, size_t *badlen)
{
	size_t kw = n, kwlen = 0;
	bool paren = false, kw_due = false;

	due[0] = '\0';
	*badlen = 0;
	/* The last "by" or "due" that is a word of its own. */
	for (size_t i = 0; i < n; i++) {
		bool start = i == 0 || s[i - 1] == ' ' || s[i - 1] == '(';
		size_t l = 0;
		if (!start)
			continue;
		if (n - i >= 2 && !strncasecmp(s + i, "by", 2))
			l = 2;
		else if (n - i >= 3 && !strncasecmp(s + i, "due", 3))
			l = 3;
		if (!l)
			continue;
		if (l == 3 && i + 3 < n && s[i + 3] == ':')
			l = 4;
		else if (i + l >= n || s[i + l] != ' ') {
			continue;
		}
		kw = i;
		kwlen = l;
		kw_due = l >= 3;
		paren = i > 0 && s[i - 1] == '(';
	}
	if (kw == n)
		return n;
	size_t r = kw + kwlen, e = n;
	while (r < e && s[r] == ' ')
		r++;
	while (e > r && (s[e - 1] == '.' || s[e - 1] == ' '))
		e--;
	if (paren) {
		if (e > r && s[e - 1] == ')') {
			e--;
			while (e > r && s[e - 1] == ' ')
				e--;
		} else {
			paren = false;
		}
	}
	if (e - r == 10) {
		char d[11];
		memcpy(d, s + r, 10);
		d[10] = '\0';
		if (perf_value_parse_date(d, NULL, NULL, NULL, NULL) == 0) {
			memcpy(due, d, 11);
			return trim_separators(s, paren ? kw - 1 : kw);
		}
	}
	if (meant_as_date(kw_due, s + r, e - r)) {
		*bad = kw;
		*badlen = e - kw;
		return trim_separators(s, paren ? kw - 1 : kw);
	}
	return n;
}

/* Reads one item's gathered text into an action, or reports why it cannot. */
static int finish_item(struct parser *p, struct perf_buf *text, size_t line, size_t box, bool done)
{
	struct perf_action a;
	const char *s;
	size_t n, bad = 0, badlen = 0, tstart = 0, tend;
	char quote[MAX_QUOTE + 4];

	squeeze(text);
	if (text->len == 0)
		return 0; /* an empty box says nothing */
	s = text->ptr;
	n = text->len;
	memset(&a, 0, sizeof(a));
	a.line = line;
	a.box = box;
	a.done = done;

	/* The owner: a leading @handle, up to a blank or punctuation. */
	if (s[0] == '@' && n > 1 && isalnum((unsigned char)s[1])) {
		size_t k = 1;
		bool clean = true;
		while (k < n && !strchr(" ,:;.!?)'", s[k])) {
			clean = clean && word_char(s[k]);
			k++;
		}
		if (!clean || k - 1 > PERF_HANDLE_MAX) {
			problem(p, line, "'@%.*s%s' is not a handle (at most %d lowercase letters, digits and '-')",
			        (int)(k - 1 > 40 ? 40 : k - 1), s + 1, k - 1 > 40 ? "..." : "", PERF_HANDLE_MAX);
			return 0;
		}
		for (size_t i = 1; i < k; i++)
			a.owner[i - 1] = (char)tolower((unsigned char)s[i]);
		a.owner[k - 1] = '\0';
		if (!perf_value_is_handle(a.owner)) {
			problem(p, line, "'@%s' is not a handle (at most %d lowercase letters, digits and '-')",
			        a.owner, PERF_HANDLE_MAX);
			return 0;
		}
		tstart = k;
	} else if (p->default_owner && perf_value_is_handle(p->default_owner)) {
		snprintf(a.owner, sizeof(a.owner), "%s", p->default_owner);
		a.owner_default = true;
	} else {
		snprintf(quote, sizeof(quote), "%.*s%s", MAX_QUOTE, s, n > MAX_QUOTE ? "..." : "");
		problem(p, line, "the action '%s' has no owner; start it with @handle", quote);
		return 0;
	}

	while (tstart < n && (s[tstart] == ' ' || s[tstart] == ':' || s[tstart] == ','))
		tstart++;

	/* The due date: at the end. */
	tend = tstart + take_due(s + tstart, n - tstart, a.due, &bad, &badlen);
	if (badlen) {
		size_t q = badlen > MAX_QUOTE ? MAX_QUOTE : badlen;
		problem(p, line, "'%.*s%s' is not a date (YYYY-MM-DD)", (int)q, s + tstart + bad,
		        badlen > q ? "..." : "");
		return 0;
	}
	if (tend <= tstart) {
		snprintf(quote, sizeof(quote), "%.*s%s", MAX_QUOTE, s, n > MAX_QUOTE ? "..." : "");
		problem(p, line, "the action '%s' says who%s but not what to do", quote, a.due[0] ? " and when" : "");
		return 0;
	}
	a.text = malloc(tend - tstart + 1);
	if (!a.text)
		return PERF_ENOMEM;
	memcpy(a.text, s + tstart, tend - tstart);
	a.text[tend - tstart] = '\0';
	if (p->out->n == p->out->cap) {
		size_t cap = p->out->cap ? p->out->cap * 2 : 8;
		struct perf_action *v = realloc(p->out->v, cap * sizeof(*v));
		if (!v) {
			free(a.text);
			return PERF_ENOMEM;
		}
		p->out->v = v;
		p->out->cap = cap;
	}
	p->out->v[p->out->n++] = a;
	return 0;
}

/* A task item at line l?  Fills where its box and text start. */
static bool task_item(const struct parser *p, const struct line *l, size_t *indent, size_t *box, size_t *text)
{
	const char *s = p->body + l->start;
	size_t n = l->end - l->start, off, m, k;

	*indent = indent_of(s, n, &off);
	m = list_marker(s + off, n - off);
	if (!m)
		return false;
	k = off + m;
	while (k < n && blank_ch(s[k]))
		k++;
	if (k + 3 > n || s[k] != '[' || s[k + 2] != ']' || (s[k + 1] != ' ' && s[k + 1] != 'x' && s[k + 1] != 'X'))
		return false;
	if (k + 3 < n && !blank_ch(s[k + 3]))
		return false;
	*box = l->start + k + 1;
	*text = l->start + k + 3;
	return true;
}

/* Whether line l continues an item indented by indent. */
static bool continues(const struct parser *p, const struct line *l, size_t indent)
{
	const char *s = p->body + l->start;
	size_t n = l->end - l->start, off, col;
	char ch;
	size_t flen;

	col = indent_of(s, n, &off);
	if (off == n || col <= indent)
		return false;
	s += off;
	n -= off;
	if (list_marker(s, n) || fence_open(s, n, &ch, &flen) || s[0] == '#' || s[0] == '>')
		return false;
	return n < 4 || strncmp(s, "<!--", 4);
}

int perf_actions_parse(struct perf_actions *out, const char *body, size_t len, const char *default_owner,
                       perf_actions_report_fn report, void *payload, size_t *problems, struct perf_error *err)
{
	struct parser p;
	struct perf_buf text = PERF_BUF_INIT;
	struct line l;
	size_t at = 0, no = 1;
	int rc = 0;

	memset(&p, 0, sizeof(p));
	p.body = body ? body : "";
	p.len = body ? len : 0;
	p.default_owner = default_owner;
	p.report = report;
	p.payload = payload;
	p.out = out;

	while (at < p.len) {
		size_t off, indent, box, tstart;
		const char *s;

		next_line(&p, at, no, &l);
		at = l.next;
		no++;
		s = p.body + l.start;
		if (p.in_fence) {
			indent_of(s, l.end - l.start, &off);
			if (fence_close(&p, s + off, l.end - l.start - off))
				p.in_fence = false;
			continue;
		}
		if (p.in_comment) {
			scan_comments(&p, s, l.end - l.start);
			continue;
		}
		indent_of(s, l.end - l.start, &off);
		if (fence_open(s + off, l.end - l.start - off, &p.fence_ch, &p.fence_len)) {
			p.in_fence = true;
			continue;
		}
		if (!task_item(&p, &l, &indent, &box, &tstart)) {
			scan_comments(&p, s, l.end - l.start);
			continue;
		}
		text.len = 0;
		if (add_clean(&p, &text, p.body + tstart, l.end - tstart))
			goto nomem;
		/* Continuation lines, unless a comment swallowed the rest. */
		while (!p.in_comment && at < p.len) {
			struct line c;
			next_line(&p, at, no, &c);
			if (!continues(&p, &c, indent))
				break;
			if (perf_buf_putc(&text, ' ') || add_clean(&p, &text, p.body + c.start, c.end - c.start))
				goto nomem;
			at = c.next;
			no++;
		}
		if (finish_item(&p, &text, l.no, box, p.body[box] != ' '))
			goto nomem;
	}
	goto out;
nomem:
	rc = perf_error(err, PERF_ENOMEM, "out of memory");
out:
	perf_buf_release(&text);
	if (problems)
		*problems = p.problems;
	return rc;
}

struct first_problem {
	size_t line;
	char msg[512];
	bool have;
};

static void keep_first(void *payload, size_t line, const char *message)
{
	struct first_problem *f = payload;

	if (f->have)
		return;
	f->have = true;
	f->line = line;
	snprintf(f->msg, sizeof(f->msg), "%s", message);
}

int perf_actions_parse_strict(struct perf_actions *out, const char *body, size_t len, const char *default_owner,
                              const char *name, size_t first_line, struct perf_error *err)
{
	struct first_problem f;
	int rc;

	memset(&f, 0, sizeof(f));
	if ((rc = perf_actions_parse(out, body, len, default_owner, keep_first, &f, NULL, err)))
		return rc;
	if (f.have)
		return perf_error(err, PERF_EINVALID, "%s:%zu: %s", name ? name : "body",
		                  f.line + (first_line ? first_line : 1) - 1, f.msg);
	return 0;
}

int perf_actions_add(struct perf_actions *list, const struct perf_action *a, struct perf_error *err)
{
	struct perf_action c = *a;

	if (list->n == list->cap) {
		size_t cap = list->cap ? list->cap * 2 : 8;
		struct perf_action *v = realloc(list->v, cap * sizeof(*v));
		if (!v)
			return perf_error(err, PERF_ENOMEM, "out of memory");
		list->v = v;
		list->cap = cap;
	}
	c.text = strdup(a->text ? a->text : "");
	if (!c.text)
		return perf_error(err, PERF_ENOMEM, "out of memory");
	list->v[list->n++] = c;
	return 0;
}

void perf_actions_release(struct perf_actions *list)
{
	if (!list)
		return;
	for (size_t i = 0; i < list->n; i++)
		free(list->v[i].text);
	free(list->v);
	list->v = NULL;
	list->n = list->cap = 0;
}

static bool used(const struct perf_actions *list, const char *id)
{
	for (size_t i = 0; i < list->n; i++)
		if (!strcmp(list->v[i].id, id))
			return true;
	return false;
}

int perf_actions_assign_ids(struct perf_actions *list, perf_actions_taken_fn taken, void *payload,
                            struct perf_error *err)
{
	for (size_t i = 0; i < list->n; i++) {
		struct perf_action *a = &list->v[i];
		char base[PERF_ACTION_ID_MAX + 1];
		int k;

		if (a->id[0])
			continue;
		if (perf_value_slug(a->text, PERF_ACTION_ID_MAX, 0, base, NULL))
			snprintf(base, sizeof(base), "action");
		for (k = 1; k <= 999; k++) {
			char cand[PERF_HANDLE_MAX + 1];
			if (k == 1)
				snprintf(cand, sizeof(cand), "%s", base);
			else
				snprintf(cand, sizeof(cand), "%s-%d", base, k);
			if (!used(list, cand) && !(taken && taken(payload, cand))) {
				memcpy(a->id, cand, sizeof(a->id));
				break;
			}
		}
		if (k > 999)
			return perf_error(err, PERF_EEXISTS, "no free id for the action '%s'", a->text);
	}
	return 0;
}

int perf_actions_format(struct perf_buf *out, const struct perf_action *a)
{
	size_t start = out->len;

	if (perf_buf_printf(out, "- [%c] @%s ", a->done ? 'x' : ' ', a->owner))
		return PERF_ENOMEM;
	for (const char *t = a->text ? a->text : ""; *t; t++) {
		unsigned char c = (unsigned char)*t;
		/* One line, and no comment that would swallow what follows. */
		if (c < 0x20 || c == 0x7f)
			c = ' ';
		if (c == '!' && out->len > start && out->ptr[out->len - 1] == '<' && !strncmp(t + 1, "--", 2)) {
			if (perf_buf_putc(out, ' '))
				return PERF_ENOMEM;
		}
		if (perf_buf_putc(out, (char)c))
			return PERF_ENOMEM;
	}
	if (a->due[0] && perf_buf_printf(out, ", by %s", a->due))
		return PERF_ENOMEM;
	return perf_buf_putc(out, '\n') ? PERF_ENOMEM : 0;
}

/* ---- actions across notes ---- */

static int collect_dir(const char *name, bool is_dir, void *payload)
{
	struct perf_strv *dirs = payload;

	if (is_dir && perf_value_is_handle(name))
		return perf_strv_push(dirs, name) ? -1 : 0;
	return 0;
}

static void warnf(perf_actions_warn_fn warn, void *payload, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void warnf(perf_actions_warn_fn warn, void *payload, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (!warn)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	warn(payload, msg);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int perf_actions_with_key(struct perf_buf *out, const struct perf_node *with)
{
	const char **v = NULL;
	size_t n = 0;
	int rc = 0;

	out->len = 0;
	if (perf_buf_puts(out, ""))
		return PERF_ENOMEM;
	if (!with || with->type != PERF_NODE_SEQ || with->n == 0)
		return 0;
	v = calloc(with->n, sizeof(*v));
	if (!v)
		return PERF_ENOMEM;
	for (size_t i = 0; i < with->n; i++)
		if (with->values[i]->type == PERF_NODE_SCALAR)
			v[n++] = with->values[i]->text;
	qsort(v, n, sizeof(*v), cmp_str);
	for (size_t i = 0; i < n && !rc; i++)
		if (i == 0 || strcmp(v[i], v[i - 1]))
			rc = perf_buf_printf(out, "%s%s", out->len ? "," : "", v[i]);
	free(v);
	return rc ? PERF_ENOMEM : 0;
}

/* Reads one entry of a note's `actions`; false (after warning) when unusable. */
static bool read_entry(const struct perf_node *m, struct perf_action *a, const char *path, perf_actions_warn_fn warn,
                       void *payload)
{
	const char *id = perf_node_str(m, "id"), *owner = perf_node_str(m, "owner");
	const char *text = perf_node_str(m, "text"), *due = perf_node_str(m, "due"), *done = perf_node_str(m, "done");

	memset(a, 0, sizeof(*a));
	if (m->type != PERF_NODE_MAP || !id || !perf_value_is_handle(id) || !owner || !perf_value_is_handle(owner) ||
	    !text || !*text || strchr(text, '\n') || (due && perf_value_parse_date(due, NULL, NULL, NULL, NULL)) ||
	    (done && perf_value_parse_bool(done, &a->done, NULL))) {
		warnf(warn, payload,
		      "%s:%zu: an action needs a valid id, owner and text (and due, done if given); "
		      "skipped",
		      path, m->line);
		return false;
	}
	snprintf(a->id, sizeof(a->id), "%s", id);
	snprintf(a->owner, sizeof(a->owner), "%s", owner);
	if (due)
		snprintf(a->due, sizeof(a->due), "%s", due);
	a->text = (char *)text; /* borrowed until copied */
	return true;
}

static int push_ref(struct perf_action_refs *out, size_t from, const struct perf_action *a, const char *person,
                    const char *path, size_t index, const char *date, const char *with)
{
	struct perf_action_ref *r = NULL;
	char *text, *w;

	for (size_t i = from; i < out->n; i++)
		if (!strcmp(out->v[i].a.id, a->id)) {
			r = &out->v[i];
			break;
		}
	text = strdup(a->text);
	w = strdup(with);
	if (!text || !w) {
		free(text);
		free(w);
		return PERF_ENOMEM;
	}
	if (r) {
		free(r->a.text);
		free(r->with);
	} else {
		if (out->n == out->cap) {
			size_t cap = out->cap ? out->cap * 2 : 16;
			struct perf_action_ref *v = realloc(out->v, cap * sizeof(*v));
			if (!v) {
				free(text);
				free(w);
				return PERF_ENOMEM;
			}
			out->v = v;
			out->cap = cap;
		}
		r = &out->v[out->n++];
	}
	memset(r, 0, sizeof(*r));
	r->a = *a;
	r->a.text = text;
	r->with = w;
	r->index = index;
	snprintf(r->person, sizeof(r->person), "%s", person);
	snprintf(r->note, sizeof(r->note), "%s", path);
	snprintf(r->date, sizeof(r->date), "%s", date);
	return 0;
}

/* The actions of every document of kind in dir (a person's folder, or a team kind's folder). */
static int collect_docs(struct perf_action_refs *out, struct perf_repo *repo, struct perf_txn *txn,
                        const struct perf_schema_kind *kind, const char *dir, const char *person, bool team,
                        perf_actions_warn_fn warn, void *payload, struct perf_error *err)
{
	struct perf_strv names = PERF_STRV_INIT;
	struct perf_buf key = PERF_BUF_INIT;
	char path[PERF_SCHEMA_PATH_MAX + 1];
	size_t from = out->n;
	int rc;

	if ((rc = perf_store_list(repo, txn, dir, &names, err)))
		goto out;
	for (size_t i = 0; i < names.n; i++) {
		struct perf_doc *doc = NULL;
		struct perf_schema_match m;
		struct perf_error e;
		const struct perf_node *acts;

		if ((size_t)snprintf(path, sizeof(path), "%s/%s.md", dir, names.v[i]) >= sizeof(path) ||
		    perf_schema_match_path(&m, path, NULL) || m.kind != kind)
			continue;
		if (perf_store_load(repo, txn, path, &doc, NULL, &e)) {
			if (e.code == PERF_ENOMEM) {
				rc = perf_error(err, PERF_ENOMEM, "out of memory");
				goto out;
			}
			warnf(warn, payload, "%s", e.msg);
			continue;
		}
		acts = perf_doc_get(doc, kind->actions);
		if (acts && acts->type == PERF_NODE_SEQ && acts->n) {
			if (perf_actions_with_key(&key, perf_doc_get(doc, "with"))) {
				perf_doc_free(doc);
				rc = perf_error(err, PERF_ENOMEM, "out of memory");
				goto out;
			}
			for (size_t k = 0; k < acts->n; k++) {
				struct perf_action a;
				if (!read_entry(acts->values[k], &a, path, warn, payload))
					continue;
				if (push_ref(out, from, &a, person, path, k, m.date, perf_buf_cstr(&key))) {
					perf_doc_free(doc);
					rc = perf_error(err, PERF_ENOMEM, "out of memory");
					goto out;
				}
				out->v[out->n - 1].team = team;
			}
		}
		perf_doc_free(doc);
	}
out:
	perf_buf_release(&key);
	perf_strv_release(&names);
	return rc;
}

int perf_actions_collect(struct perf_action_refs *out, struct perf_repo *repo, struct perf_txn *txn, const char *person,
                         perf_actions_warn_fn warn, void *payload, struct perf_error *err)
{
	int rc = 0;

	for (const struct perf_schema_kind *const *k = perf_schema_kinds(); *k && !rc; k++) {
		struct perf_strv people = PERF_STRV_INIT;
		char dir[PERF_SCHEMA_PATH_MAX + 1];
		const char *folder;
		size_t fn = perf_schema_folder(*k, &folder);

		if (!(*k)->actions || !fn)
			continue;
		if (!perf_schema_per_person(*k)) {
			/* A team's documents: their actions are known as <kind>/<id>. */
			if (!person || !*person) {
				snprintf(dir, sizeof(dir), "%.*s", (int)fn, folder);
				rc = collect_docs(out, repo, txn, *k, dir, (*k)->target, true, warn, payload, err);
			}
			continue;
		}
		if (person && !*person)
			continue;
		if (person) {
			if (perf_strv_push(&people, person))
				rc = perf_error(err, PERF_ENOMEM, "out of memory");
		} else {
			snprintf(dir, sizeof(dir), "%.*s", (int)fn, folder);
			rc = txn ? perf_txn_list(txn, dir, collect_dir, &people, err)
			         : perf_repo_list(repo, dir, collect_dir, &people, err);
			perf_strv_sort(&people);
		}
		for (size_t i = 0; i < people.n && !rc; i++) {
			snprintf(dir, sizeof(dir), "%.*s/%s", (int)fn, folder, people.v[i]);
			rc = collect_docs(out, repo, txn, *k, dir, people.v[i], false, warn, payload, err);
		}
		perf_strv_release(&people);
	}
	return rc;
}

void perf_action_refs_release(struct perf_action_refs *refs)
{
	if (!refs)
		return;
	for (size_t i = 0; i < refs->n; i++) {
		free(refs->v[i].a.text);
		free(refs->v[i].with);
	}
	free(refs->v);
	refs->v = NULL;
	refs->n = refs->cap = 0;
}
