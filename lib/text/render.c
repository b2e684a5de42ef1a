/*
 * Markdown for a terminal: walks cmark's tree with its iterator (no
 * recursion, so deep nesting cannot exhaust the stack), collects the inline
 * text of each paragraph or heading, then wraps it under the prefixes of
 * the quotes and list items it sits in.
 */
#include "render.h"

#include <cmark.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "utf8.h"

/* Inside collected inline text, a space where a line must not break. */
#define NBSP '\x01'
/* Deeper quotes and lists are rendered, but add no more prefix. */
#define MAX_NEST 32
#define TAB_STOP 4

static const char reset_sgr[] = "\033[0m";

enum container_type { C_QUOTE, C_LIST, C_ITEM };

struct container {
	enum container_type type;
	char first[24]; /* prefix of the first line written inside it */
	char cont[24];  /* prefix of the lines after it, as wide as first */
	size_t width;
	bool first_pending;
	bool tight, emitted; /* lists */
	bool ordered;
	char delim;
	int next; /* ordered lists: the next item's number */
};

struct render {
	struct perf_buf *out;
	unsigned width, indent;
	bool color;
	struct container stack[MAX_NEST];
	size_t depth; /* may exceed MAX_NEST */
	bool any;     /* a block has been written */
	struct perf_buf inl;
	int strong, emph, code, link, heading;
	size_t link_start[MAX_NEST];
	size_t links; /* may exceed MAX_NEST */
	char sgr[32]; /* the style in force while wrapping */
	int rc;
};

/* ---- characters ---- */

/* Length of the escape sequence at s (ESC [ ... final byte), or 0. */
static size_t escape_len(const char *s, size_t len)
{
	size_t i;

	if (len < 2 || s[0] != '\033' || s[1] != '[')
		return 0;
	for (i = 2; i < len; i++)
		if ((unsigned char)s[i] >= 0x40 && (unsigned char)s[i] <= 0x7E)
			return i + 1;
	return len;
}

size_t perf_render_width(const char *text, size_t len)
{
	size_t i = 0, w = 0, n;
	uint32_t cp;

	while (i < len) {
		if ((n = escape_len(text + i, len - i))) {
			i += n;
			continue;
		}
		/* Invalid bytes count one at a time, as U+FFFD. */
		n = perf_utf8_decode(text + i, len - i, &cp);
		w += cp == (uint32_t)NBSP ? 1 : perf_utf8_width(cp);
		i += n ? n : 1;
	}
	return w;
}

#define SAFE_NBSP 1u /* spaces and tabs become spaces that do not break */

/* Appends s[0..len) with every control character made visible: only the
 * escapes this file writes reach the terminal.  Tabs and newlines become
 * spaces (callers split lines first where lines matter). */
static int put_safe(struct perf_buf *b, const char *text, size_t len, unsigned flags)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0, n;
	uint32_t cp;
	int rc = 0;

	while (i < len && !rc) {
		unsigned char c = s[i];
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			rc = perf_buf_putc(b, (flags & SAFE_NBSP) ? NBSP : ' ');
			i++;
		} else if (c < 0x20 || c == 0x7F) {
			rc = perf_buf_putc(b, '^') || perf_buf_putc(b, c == 0x7F ? '?' : (char)(c + 64));
			i++;
		} else if (c < 0x80) {
			rc = perf_buf_putc(b, (char)c);
			i++;
		} else {
			n = perf_utf8_decode(text + i, len - i, &cp);
			if (!n || cp == PERF_UTF8_REPLACEMENT || (cp >= 0x80 && cp <= 0x9F))
				rc = perf_buf_puts(b, "\xEF\xBF\xBD");
			else
				rc = perf_buf_add(b, s + i, n);
			i += n ? n : 1;
		}
	}
	return rc;
}

/* One line (no newline in it) made safe, tabs expanded to TAB_STOP columns. */
static int put_safe_line(struct perf_buf *b, const char *s, size_t len)
{
	size_t i = 0, col = 0;
	int rc = 0;

	while (i < len && !rc) {
		size_t j = i;
		while (j < len && s[j] != '\t')
			j++;
		if (j > i) {
			size_t at = b->len;
			rc = put_safe(b, s + i, j - i, 0);
			if (!rc)
				col += perf_render_width(b->ptr + at, b->len - at);
		}
		if (j < len && !rc) {
			do {
				rc = perf_buf_putc(b, ' ');
				col++;
			} while (!rc && col % TAB_STOP);
			j++;
		}
		i = j;
	}
	return rc;
}

/* ---- lines and prefixes ---- */

static size_t shown(const struct render *r)
{
	return r->depth < MAX_NEST ? r->depth : MAX_NEST;
}

static size_t prefix_width(const struct render *r)
{
	size_t w = r->indent;

	for (size_t i = 0; i < shown(r); i++)
		w += r->stack[i].width;
	return w;
}

/* Writes the prefixes of a new line.  A blank line stops at a quote or list
 * item whose first line is still to come, and carries no trailing spaces. */
static void write_prefix(struct render *r, bool blank)
{
	size_t start = r->out->len;

	if (!blank)
		for (unsigned i = 0; i < r->indent && !r->rc; i++)
			r->rc = perf_buf_putc(r->out, ' ');
	for (size_t i = 0; i < shown(r) && !r->rc; i++) {
		struct container *c = &r->stack[i];
		if (c->type == C_LIST)
			continue;
		if (blank) {
			if (c->first_pending)
				break;
			r->rc = perf_buf_puts(r->out, c->cont);
		} else if (c->first_pending) {
			r->rc = perf_buf_puts(r->out, c->first);
			c->first_pending = false;
		} else {
			r->rc = perf_buf_puts(r->out, c->cont);
		}
	}
	if (blank)
		while (r->out->len > start && r->out->ptr[r->out->len - 1] == ' ')
			perf_buf_truncate(r->out, r->out->len - 1);
}

static void end_line(struct render *r)
{
	if (!r->rc)
		r->rc = perf_buf_putc(r->out, '\n');
}

/* Before a block: a blank line, except between the blocks of a tight list. */
static void begin_block(struct render *r)
{
	bool blank = r->any;

	for (size_t i = shown(r); i-- > 0 && blank;) {
		struct container *c = &r->stack[i];
		if (c->type != C_LIST)
			continue;
		if (!c->tight)
			break;
		if (c->emitted)
			blank = false;
	}
	if (blank) {
		write_prefix(r, true);
		end_line(r);
	}
	r->any = true;
	for (size_t i = 0; i < shown(r); i++)
		if (r->stack[i].type == C_LIST)
			r->stack[i].emitted = true;
}

static bool sgr_active(const struct render *r)
{
	return r->sgr[0] && strcmp(r->sgr, reset_sgr) != 0;
}

/* Copies a word, turning NBSP into spaces and remembering the style in force. */
static void put_word(struct render *r, const char *w, size_t len)
{
	size_t i = 0, n;

	while (i < len && !r->rc) {
		if ((n = escape_len(w + i, len - i))) {
			if (n < sizeof(r->sgr)) {
				memcpy(r->sgr, w + i, n);
				r->sgr[n] = '\0';
			}
			r->rc = perf_buf_add(r->out, w + i, n);
			i += n;
		} else {
			r->rc = perf_buf_putc(r->out, w[i] == NBSP ? ' ' : w[i]);
			i++;
		}
	}
}

static void start_line(struct render *r)
{
	write_prefix(r, false);
	if (sgr_active(r) && !r->rc)
		r->rc = perf_buf_puts(r->out, r->sgr);
}

static void finish_line(struct render *r)
{
	if (sgr_active(r) && !r->rc)
		r->rc = perf_buf_puts(r->out, reset_sgr);
	end_line(r);
}

/* Whether text shows anything but spaces and styles. */
static bool visible(const char *s, size_t len)
{
	size_t i = 0, n;

	while (i < len) {
		if ((n = escape_len(s + i, len - i))) {
			i += n;
			continue;
		}
		if (s[i] != ' ')
			return true;
		i++;
	}
	return false;
}

/* Writes the collected inline text as wrapped lines, then clears it. */
static void flush_inline(struct render *r)
{
	const char *s = perf_buf_cstr(&r->inl);
	size_t len = r->inl.len, avail, pos = 0;

	if (r->rc || !visible(s, len)) {
		perf_buf_truncate(&r->inl, 0);
		return;
	}
	begin_block(r);
	avail = (size_t)r->width > prefix_width(r) + 20 ? r->width - prefix_width(r) : 20;
	r->sgr[0] = '\0';
	while (pos <= len && !r->rc) {
		const char *nl = memchr(s + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - s) : len, col = 0, words = 0;

		start_line(r);
		while (pos < end && !r->rc) {
			size_t w0, w;
			while (pos < end && s[pos] == ' ')
				pos++;
			if (pos >= end)
				break;
			w0 = pos;
			while (pos < end && s[pos] != ' ')
				pos++;
			w = perf_render_width(s + w0, pos - w0);
			if (w == 0) {
				put_word(r, s + w0, pos - w0); /* styles only */
				continue;
			}
			if (words && col + 1 + w > avail) {
				finish_line(r);
				start_line(r);
				col = words = 0;
			} else if (words) {
				r->rc = r->rc ? r->rc : perf_buf_putc(r->out, ' ');
				col++;
			}
			put_word(r, s + w0, pos - w0);
			col += w;
			words++;
		}
		finish_line(r);
		if (!nl)
			break;
		pos = end + 1;
	}
	perf_buf_truncate(&r->inl, 0);
}

/* ---- inline styles ---- */

static void inl_puts(struct render *r, const char *s)
{
	if (!r->rc)
		r->rc = perf_buf_puts(&r->inl, s);
}

static void restyle(struct render *r)
{
	char seq[32];
	bool bold = r->strong > 0 || r->heading > 0;
	bool under = r->link > 0 || (r->heading > 0 && r->heading <= 2);

	if (!r->color)
		return;
	snprintf(seq, sizeof(seq), "\033[0%s%s%s%sm", bold ? ";1" : "", r->emph > 0 ? ";3" : "", under ? ";4" : "",
	         r->code > 0 ? ";36" : "");
	inl_puts(r, seq);
}

/* A change of emphasis or code: new colours, or without colour the
 * Markdown mark itself, so the reader still sees it. */
static void style_mark(struct render *r, const char *mark)
{
	if (r->color)
		restyle(r);
	else
		inl_puts(r, mark);
}

/* The visible text of inline output from start on, for comparing with a URL. */
static bool inline_equals(const struct render *r, size_t start, const char *want, const char *prefix)
{
	const char *s = perf_buf_cstr(&r->inl) + start;
	size_t len = r->inl.len - start, i = 0, n;
	size_t plen = strlen(prefix);

	if (strncmp(want, prefix, plen))
		return false;
	want += plen;
	while (i < len) {
		if ((n = escape_len(s + i, len - i))) {
			i += n;
			continue;
		}
		if (*want != (s[i] == NBSP ? ' ' : s[i]))
			return false;
		want++;
		i++;
	}
	return *want == '\0';
}

static void put_url(struct render *r, const char *url)
{
	if (!url || !*url || r->rc)
		return;
	r->rc = perf_buf_puts(&r->inl, " <") || put_safe(&r->inl, url, strlen(url), SAFE_NBSP) ||
	        perf_buf_putc(&r->inl, '>');
}

/* An HTML block: comments (template prompts) vanish, whatever follows them
 * on their lines is text; any other raw HTML is left out and said so. */
static void html_block(struct render *r, const char *lit)
{
	const char *p = lit;
	struct perf_buf rest = PERF_BUF_INIT;

	while (*p == ' ')
		p++;
	if (strncmp(p, "<!--", 4)) {
		inl_puts(r, r->color ? "\033[0;2m[raw HTML omitted]\033[0m" : "[raw HTML omitted]");
		flush_inline(r);
		return;
	}
	while (*p && !r->rc) {
		const char *open = strstr(p, "<!--"), *close;
		if (!open) {
			r->rc = perf_buf_puts(&rest, p);
			break;
		}
		r->rc = perf_buf_add(&rest, p, (size_t)(open - p));
		close = strstr(open + 4, "-->");
		if (!close)
			break;
		p = close + 3;
	}
	if (!r->rc)
		r->rc = put_safe(&r->inl, perf_buf_cstr(&rest), rest.len, 0);
	perf_buf_release(&rest);
	flush_inline(r);
}

static void code_block(struct render *r, const char *lit)
{
	size_t len = strlen(lit);
	const char *p = lit, *end = lit + len;

	if (!len)
		return;
	begin_block(r);
	while (p < end && !r->rc) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (n && p[n - 1] == '\r')
			n--;
		write_prefix(r, false);
		if (!r->rc)
			r->rc = perf_buf_puts(r->out, "    ");
		if (r->color && !r->rc)
			r->rc = perf_buf_puts(r->out, "\033[36m");
		if (!r->rc)
			r->rc = put_safe_line(r->out, p, n);
		if (r->color && !r->rc)
			r->rc = perf_buf_puts(r->out, reset_sgr);
		end_line(r);
		p = nl ? nl + 1 : end;
	}
}

static void thematic_break(struct render *r)
{
	size_t avail = r->width > prefix_width(r) + 20 ? r->width - prefix_width(r) : 20;

	if (avail > 40)
		avail = 40;
	begin_block(r);
	write_prefix(r, false);
	for (size_t i = 0; i < avail && !r->rc; i++)
		r->rc = perf_buf_putc(r->out, '-');
	end_line(r);
}

/* ---- containers ---- */

static struct container *push(struct render *r, enum container_type type)
{
	struct container *c = NULL;

	if (r->depth < MAX_NEST) {
		c = &r->stack[r->depth];
		memset(c, 0, sizeof(*c));
		c->type = type;
	}
	r->depth++;
	return c;
}

static void pop(struct render *r)
{
	if (r->depth)
		r->depth--;
}

static void enter_item(struct render *r)
{
	struct container *list = r->depth && r->depth <= MAX_NEST ? &r->stack[r->depth - 1] : NULL;
	struct container *c = push(r, C_ITEM);

	if (!c)
		return;
	if (list && list->type == C_LIST && list->ordered)
		snprintf(c->first, sizeof(c->first), "%d%c ", list->next++, list->delim);
	else
		snprintf(c->first, sizeof(c->first), "%s", "\xE2\x80\xA2 "); /* U+2022 BULLET */
	c->width = perf_render_width(c->first, strlen(c->first));
	memset(c->cont, ' ', c->width);
	c->cont[c->width] = '\0';
	c->first_pending = true;
}

static void exit_item(struct render *r)
{
	/* An empty item still shows its bullet. */
	if (r->depth <= MAX_NEST && r->depth && r->stack[r->depth - 1].first_pending) {
		begin_block(r);
		write_prefix(r, false);
		while (r->out->len && r->out->ptr[r->out->len - 1] == ' ')
			perf_buf_truncate(r->out, r->out->len - 1);
		end_line(r);
	}
	pop(r);
}

static void enter_list(struct render *r, cmark_node *node)
{
	struct container *c = push(r, C_LIST);

	if (!c)
		return;
	c->tight = cmark_node_get_list_tight(node);
	c->ordered = cmark_node_get_list_type(node) == CMARK_ORDERED_LIST;
	c->delim = cmark_node_get_list_delim(node) == CMARK_PAREN_DELIM ? ')' : '.';
	c->next = cmark_node_get_list_start(node);
}

static void enter_quote(struct render *r)
{
	struct container *c = push(r, C_QUOTE);

	if (!c)
		return;
	snprintf(c->first, sizeof(c->first), "> ");
	snprintf(c->cont, sizeof(c->cont), "> ");
	c->width = 2;
	c->first_pending = true;
}

/* ---- the walk ---- */

static void on_enter(struct render *r, cmark_node *node)
{
	switch (cmark_node_get_type(node)) {
	case CMARK_NODE_BLOCK_QUOTE:
		enter_quote(r);
		break;
	case CMARK_NODE_LIST:
		enter_list(r, node);
		break;
	case CMARK_NODE_ITEM:
		enter_item(r);
		break;
	case CMARK_NODE_CODE_BLOCK:
		code_block(r, cmark_node_get_literal(node));
		break;
	case CMARK_NODE_HTML_BLOCK:
		html_block(r, cmark_node_get_literal(node));
		break;
	case CMARK_NODE_THEMATIC_BREAK:
		thematic_break(r);
		break;
	case CMARK_NODE_HEADING:
		r->heading = cmark_node_get_heading_level(node);
		if (r->color) {
			restyle(r);
		} else {
			for (int i = 0; i < r->heading; i++)
				inl_puts(r, "#");
			inl_puts(r, " ");
		}
		break;
	case CMARK_NODE_TEXT: {
		const char *t = cmark_node_get_literal(node);
		if (!r->rc)
			r->rc = put_safe(&r->inl, t, strlen(t), r->code ? SAFE_NBSP : 0);
		break;
	}
	case CMARK_NODE_SOFTBREAK:
		inl_puts(r, " ");
		break;
	case CMARK_NODE_LINEBREAK:
		inl_puts(r, "\n");
		break;
	case CMARK_NODE_CODE: {
		const char *t = cmark_node_get_literal(node);
		r->code++;
		style_mark(r, "`");
		if (!r->rc)
			r->rc = put_safe(&r->inl, t, strlen(t), SAFE_NBSP);
		r->code--;
		style_mark(r, "`");
		break;
	}
	case CMARK_NODE_EMPH:
		r->emph++;
		style_mark(r, "*");
		break;
	case CMARK_NODE_STRONG:
		r->strong++;
		style_mark(r, "**");
		break;
	case CMARK_NODE_LINK:
		if (r->links < MAX_NEST)
			r->link_start[r->links] = r->inl.len;
		r->links++;
		r->link++;
		restyle(r);
		break;
	case CMARK_NODE_IMAGE:
		inl_puts(r, "[image");
		if (r->links < MAX_NEST)
			r->link_start[r->links] = r->inl.len;
		r->links++;
		break;
	default: /* the document, paragraphs, inline HTML (dropped), custom nodes */
		break;
	}
}

static void on_exit(struct render *r, cmark_node *node)
{
	switch (cmark_node_get_type(node)) {
	case CMARK_NODE_BLOCK_QUOTE:
	case CMARK_NODE_LIST:
		pop(r);
		break;
	case CMARK_NODE_ITEM:
		exit_item(r);
		break;
	case CMARK_NODE_PARAGRAPH:
		flush_inline(r);
		break;
	case CMARK_NODE_HEADING:
		r->heading = 0;
		restyle(r);
		flush_inline(r);
		break;
	case CMARK_NODE_EMPH:
		r->emph--;
		style_mark(r, "*");
		break;
	case CMARK_NODE_STRONG:
		r->strong--;
		style_mark(r, "**");
		break;
	case CMARK_NODE_LINK: {
		const char *url = cmark_node_get_url(node);
		bool same = false;
		r->links--;
		r->link--;
		if (r->links < MAX_NEST && url)
			same = inline_equals(r, r->link_start[r->links], url, "") ||
			       inline_equals(r, r->link_start[r->links], url, "mailto:");
		restyle(r);
		if (!same)
			put_url(r, url);
		break;
	}
	case CMARK_NODE_IMAGE:
		r->links--;
		/* "[image: alt] <url>", or "[image] <url>" without alt text. */
		if (r->links < MAX_NEST && r->inl.len > r->link_start[r->links] && !r->rc)
			r->rc = perf_buf_splice(&r->inl, r->link_start[r->links], 0, ":\x01", 2);
		inl_puts(r, "]");
		put_url(r, cmark_node_get_url(node));
		break;
	default:
		break;
	}
}

int perf_render_markdown(struct perf_buf *out, const char *md, size_t len, const struct perf_render_opts *opts,
                         struct perf_error *err)
{
	struct render r;
	cmark_node *doc;
	cmark_iter *it;
	cmark_event_type ev;
	size_t start = out->len;

	if (len > PERF_RENDER_MAX)
		return perf_error(err, PERF_EINVALID, "the text is too large to render (%zu bytes; at most %d)", len,
		                  PERF_RENDER_MAX);
	memset(&r, 0, sizeof(r));
	r.out = out;
	r.width = opts && opts->width ? opts->width : 80;
	r.indent = opts ? opts->indent : 0;
	r.color = opts && opts->color;
	doc = cmark_parse_document(md ? md : "", md ? len : 0, CMARK_OPT_VALIDATE_UTF8);
	if (!doc)
		return perf_error(err, PERF_ENOMEM, "out of memory");
	it = cmark_iter_new(doc);
	if (!it) {
		cmark_node_free(doc);
		return perf_error(err, PERF_ENOMEM, "out of memory");
	}
	while (!r.rc && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(it);
		if (ev == CMARK_EVENT_ENTER)
			on_enter(&r, node);
		else if (ev == CMARK_EVENT_EXIT)
			on_exit(&r, node);
	}
	cmark_iter_free(it);
	cmark_node_free(doc);
	perf_buf_release(&r.inl);
	if (r.rc) {
		perf_buf_truncate(out, start);
		return perf_error(err, PERF_ENOMEM, "out of memory");
	}
	return 0;
}

int perf_render_plain(struct perf_buf *out, const char *text, size_t len, const struct perf_render_opts *opts,
                      struct perf_error *err)
{
	size_t pos = 0, start = out->len;
	unsigned indent = opts ? opts->indent : 0;
	int rc = 0;

	while (pos < len && !rc) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len, n = end - pos;
		if (n && text[pos + n - 1] == '\r')
			n--;
		for (unsigned i = 0; n && i < indent && !rc; i++)
			rc = perf_buf_putc(out, ' ');
		if (!rc)
			rc = put_safe_line(out, text + pos, n);
		if (!rc)
			rc = perf_buf_putc(out, '\n');
		pos = end + 1;
	}
	if (rc) {
		perf_buf_truncate(out, start);
		return perf_error(err, PERF_ENOMEM, "out of memory");
	}
	return 0;
}

int perf_render_safe(struct perf_buf *out, const char *text, size_t len)
{
	return put_safe(out, text, len, 0) ? PERF_ENOMEM : 0;
}

/* A value on one line: "a, b" for a list, "k: v, k: v" for a mapping;
 * collections inside collections in brackets. */
static int compact(struct perf_buf *b, const struct perf_node *n, int depth)
{
	int rc = 0;

	if (n->type == PERF_NODE_SCALAR)
		return put_safe(b, n->text, n->len, 0);
	if (depth && (rc = perf_buf_putc(b, n->type == PERF_NODE_SEQ ? '[' : '{')))
		return rc;
	for (size_t i = 0; i < n->n && !rc; i++) {
		if (i)
			rc = perf_buf_puts(b, ", ");
		if (!rc && n->type == PERF_NODE_MAP)
			rc = put_safe(b, n->keys[i], strlen(n->keys[i]), 0) || perf_buf_puts(b, ": ");
		if (!rc)
			rc = compact(b, n->values[i], depth + 1);
	}
	if (depth && !rc)
		rc = perf_buf_putc(b, n->type == PERF_NODE_SEQ ? ']' : '}');
	return rc;
}

static int pad(struct perf_buf *b, size_t n)
{
	int rc = 0;

	while (n-- && !rc)
		rc = perf_buf_putc(b, ' ');
	return rc;
}

static void rtrim_line(struct perf_buf *b)
{
	while (b->len && b->ptr[b->len - 1] == ' ')
		perf_buf_truncate(b, b->len - 1);
}

static bool all_maps(const struct perf_node *n)
{
	if (n->type != PERF_NODE_SEQ || !n->n)
		return false;
	for (size_t i = 0; i < n->n; i++)
		if (n->values[i]->type != PERF_NODE_MAP)
			return false;
	return true;
}

int perf_render_fields(struct perf_buf *out, const struct perf_doc *doc, const char *skip,
                       const struct perf_render_opts *opts, struct perf_error *err)
{
	const struct perf_node *root = perf_doc_root(doc);
	unsigned indent = opts ? opts->indent : 0;
	size_t keyw = 0, start = out->len;
	int rc = 0;

	if (!root || root->type != PERF_NODE_MAP)
		return 0;
	for (size_t i = 0; i < root->n; i++)
		if ((!skip || strcmp(root->keys[i], skip)) && strlen(root->keys[i]) > keyw)
			keyw = strlen(root->keys[i]);
	if (keyw > 16)
		keyw = 16;
	for (size_t i = 0; i < root->n && !rc; i++) {
		const struct perf_node *v = root->values[i];
		const char *key = root->keys[i];
		size_t klen = strlen(key);

		if (skip && !strcmp(key, skip))
			continue;
		rc = pad(out, indent) || put_safe(out, key, klen, 0) || perf_buf_putc(out, ':') ||
		     pad(out, klen < keyw ? keyw - klen + 1 : 1);
		if (rc)
			break;
		if (v->type == PERF_NODE_SCALAR && memchr(v->text, '\n', v->len)) {
			const char *p = v->text, *end = v->text + v->len;
			bool first = true;
			while (p < end && !rc) {
				const char *nl = memchr(p, '\n', (size_t)(end - p));
				size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
				if (!first)
					rc = perf_buf_putc(out, '\n') || (n ? pad(out, indent + keyw + 2) : 0);
				if (!rc)
					rc = put_safe_line(out, p, n);
				first = false;
				p = nl ? nl + 1 : end;
			}
		} else if (all_maps(v)) {
			for (size_t k = 0; k < v->n && !rc; k++)
				rc = perf_buf_putc(out, '\n') || pad(out, indent + 2) || perf_buf_puts(out, "- ") ||
				     compact(out, v->values[k], 0);
		} else {
			rc = compact(out, v, 0);
		}
		if (!rc) {
			rtrim_line(out);
			rc = perf_buf_putc(out, '\n');
		}
	}
	if (rc) {
		perf_buf_truncate(out, start);
		return perf_error(err, PERF_ENOMEM, "out of memory");
	}
	return 0;
}
