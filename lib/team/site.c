#include "site.h"

#include <git2.h>
#include <cmark.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "actions.h"
#include "agreement.h"
#include "config.h"
#include "private.h"
#include "render.h"
#include "report.h"
#include "store.h"
#include "teamdocs.h"
#include "utf8.h"
#include "value.h"
#include "repo.h"
#include "repo-internal.h"

/* ---- escaping and Markdown ---- */

/* A bidirectional control at p (perf_utf8_is_bidi_control) written as
 * visible text, \u202e; returns its length in bytes, 0 when there is none. */
static size_t put_bidi(struct perf_buf *out, const unsigned char *p, int *rc)
{
	uint32_t cp;
	size_t n;

	if (p[0] != 0xe2 || !(n = perf_utf8_decode((const char *)p, strnlen((const char *)p, 3), &cp)) ||
	    !perf_utf8_is_bidi_control(cp))
		return 0;
	*rc = perf_buf_printf(out, "\\u%04x", (unsigned)cp);
	return n;
}

int perf_site_escape(struct perf_buf *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	int rc = 0;

	for (; *p && !rc; p++) {
		size_t n = put_bidi(out, p, &rc);
		if (n) {
			p += n - 1;
			continue;
		}
		switch (*p) {
		case '&':
			rc = perf_buf_puts(out, "&amp;");
			break;
		case '<':
			rc = perf_buf_puts(out, "&lt;");
			break;
		case '>':
			rc = perf_buf_puts(out, "&gt;");
			break;
		case '"':
			rc = perf_buf_puts(out, "&quot;");
			break;
		case '\'':
			rc = perf_buf_puts(out, "&#39;");
			break;
		default:
			/* Control characters have no place in HTML text: show them as spaces. */
			rc = perf_buf_putc(out, *p < 0x20 && *p != '\n' && *p != '\t' ? ' ' : (char)*p);
		}
	}
	return rc;
}

/* The node after c in document order, past c's own children, within root (NULL at its end). */
static cmark_node *past(cmark_node *c, cmark_node *root)
{
	while (c && c != root && !cmark_node_next(c))
		c = cmark_node_parent(c);
	return c && c != root ? cmark_node_next(c) : NULL;
}

/* Replaces every link below root by its text.  Iterative: nesting can be deep. */
static void unwrap_links(cmark_node *root)
{
	cmark_node *c = cmark_node_first_child(root), *k;

	while (c) {
		if (cmark_node_get_type(c) == CMARK_NODE_LINK) {
			cmark_node *first = cmark_node_first_child(c), *next = past(c, root);
			while ((k = cmark_node_first_child(c)))
				cmark_node_insert_before(c, k);
			cmark_node_unlink(c);
			cmark_node_free(c);
			c = first ? first : next; /* the link's text is looked at in turn */
			continue;
		}
		c = cmark_node_first_child(c) ? cmark_node_first_child(c) : past(c, root);
	}
}

/* Links never nest in HTML, yet cmark nests an autolink in a link's text,
 * and an image's description may hold links: the inner ones become text. */
static void unnest_links(cmark_node *doc)
{
	cmark_node *c = cmark_node_first_child(doc);

	while (c) {
		if (cmark_node_get_type(c) == CMARK_NODE_LINK) {
			unwrap_links(c);
			c = past(c, doc);
		} else {
			c = cmark_node_first_child(c) ? cmark_node_first_child(c) : past(c, doc);
		}
	}
}

/* Images become links to what they show, so that a page never loads anything
 * (within another link, their description); HTML comments (the prompts of
 * templates) are dropped, as on a terminal; headings left empty go. */
static int safe_tree(cmark_node *doc)
{
	cmark_node **nodes = NULL;
	size_t n = 0, cap = 0;
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	int rc = 0;

	if (!it)
		return PERF_ENOMEM;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(it);
		cmark_node_type type = cmark_node_get_type(node);
		const char *lit;
		if (ev != CMARK_EVENT_ENTER)
			continue;
		if (type == CMARK_NODE_HTML_BLOCK) {
			lit = cmark_node_get_literal(node);
			if (!lit || strncmp(lit, "<!--", 4))
				continue;
		} else if (type != CMARK_NODE_IMAGE) {
			continue;
		}
		if (n == cap) {
			void *v = realloc(nodes, (cap ? cap * 2 : 8) * sizeof(*nodes));
			if (!v) {
				rc = PERF_ENOMEM;
				break;
			}
			nodes = v;
			cap = cap ? cap * 2 : 8;
		}
		nodes[n++] = node;
	}
	cmark_iter_free(it);
	/* Innermost last: an image inside another's text is replaced before its parent. */
	for (size_t i = n; i-- > 0 && !rc;) {
		cmark_node *img = nodes[i], *link, *child;
		const char *title;
		if (cmark_node_get_type(img) == CMARK_NODE_HTML_BLOCK) {
			cmark_node_unlink(img);
			cmark_node_free(img);
			continue;
		}
		title = cmark_node_get_title(img);
		if (!(link = cmark_node_new(CMARK_NODE_LINK))) {
			rc = PERF_ENOMEM;
			break;
		}
		cmark_node_set_url(link, cmark_node_get_url(img));
		cmark_node_set_title(link, title);
		while ((child = cmark_node_first_child(img)))
			cmark_node_append_child(link, child);
		if (!cmark_node_first_child(link)) {
			cmark_node *text = cmark_node_new(CMARK_NODE_TEXT);
			if (text) {
				cmark_node_set_literal(text, "image");
				cmark_node_append_child(link, text);
			}
		}
		cmark_node_replace(img, link);
		cmark_node_free(img);
	}
	free(nodes);
	if (!rc)
		unnest_links(doc);
	/* Then the headings of template sections left empty: a heading followed by nothing, or by another
	 * heading of its level or above. */
	for (cmark_node *node = cmark_node_first_child(doc), *next; node && !rc; node = next) {
		cmark_node *after = cmark_node_next(node);
		next = after;
		if (cmark_node_get_type(node) != CMARK_NODE_HEADING)
			continue;
		if (after && (cmark_node_get_type(after) != CMARK_NODE_HEADING ||
		              cmark_node_get_heading_level(after) > cmark_node_get_heading_level(node)))
			continue;
		cmark_node_unlink(node);
		cmark_node_free(node);
	}
	return rc;
}

/* ---- times people read ---- */

static const char *const month_names[] = {"January", "February", "March",     "April",   "May",      "June",
                                          "July",    "August",   "September", "October", "November", "December"};
static const char *const day_names[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};

enum when_form {
	WHEN_FULL,  /* a date: "6 December 2026"; a time: "Mon 6 Dec 2026, 09:00 UTC" */
	WHEN_DAY,   /* the day alone, of a date or a time: "6 December 2026" */
	WHEN_SHORT, /* the day, short, for charts: "6 Dec 2026" */
};

/*
 * s (a YYYY-MM-DD date or an RFC 3339 time) as people read it into out,
 * and as a machine reads it (the date, or the time in UTC) into machine,
 * for a <time datetime>.  False when s is neither: it is then shown as
 * written.
 */
static bool human_when(const char *s, enum when_form form, char *out, size_t n, char machine[32])
{
	struct tm tm;
	time_t t;
	int y, m, d;
	bool has_time = false;

	if (!s)
		return false;
	if (perf_value_parse_time(s, &t, NULL) == 0) {
		if (!gmtime_r(&t, &tm))
			return false;
		y = tm.tm_year + 1900, m = tm.tm_mon + 1, d = tm.tm_mday;
		has_time = form == WHEN_FULL;
		if (has_time)
			perf_value_format_time(t, machine);
		else
			snprintf(machine, 32, "%04d-%02d-%02d", y, m, d);
	} else if (perf_value_parse_date(s, &y, &m, &d, NULL) == 0) {
		snprintf(machine, 32, "%04d-%02d-%02d", y, m, d);
	} else {
		return false;
	}
	if (has_time)
		snprintf(out, n, "%s %d %.3s %d, %02d:%02d UTC", day_names[((perf_value_days(y, m, d) % 7) + 11) % 7],
		         d, month_names[m - 1], y, tm.tm_hour, tm.tm_min);
	else if (form == WHEN_SHORT)
		snprintf(out, n, "%d %.3s %d", d, month_names[m - 1], y);
	else
		snprintf(out, n, "%d %s %d", d, month_names[m - 1], y);
	return true;
}

/* s in a <time> element, read as people read it (escaped as written when it is no date or time). */
static int put_when(struct perf_buf *b, const char *s, enum when_form form)
{
	char human[64], machine[32];

	if (!human_when(s, form, human, sizeof(human), machine))
		return perf_site_escape(b, s);
	return perf_buf_printf(b, "<time datetime=\"%s\">%s</time>", machine, human);
}

/* ---- task items ---- */

/*
 * How a body's task items are shown.  Every "- [ ] ..." item becomes a
 * box, ticked when done.  In a document whose task items are actions (a
 * note), an item that perf_actions_parse reads as an action shows as one:
 * its owner, its text and its due date, its state taken from the front
 * matter's actions when they hold it (perf action done ticks both).
 */
struct tasks {
	const char *owner;              /* who owns an item without @handle; NULL when none does */
	bool actions;                   /* the items are actions */
	const struct perf_node *fm;     /* the document's `actions` (may be NULL) */
	const char *root;               /* "" or "../": where the people's pages are */
	const struct perf_strv *linked; /* people with a page (may be NULL) */
	const char *today;              /* YYYY-MM-DD, for overdue (may be NULL) */
};

static bool node_done(const struct perf_node *a)
{
	const char *v = perf_node_str(a, "done");
	bool b = false;

	return v && perf_value_parse_bool(v, &b, NULL) == 0 && b;
}

/* Whether the front matter's actions hold this one (same owner and text) as done. */
static bool fm_done(const struct perf_node *fm, const char *owner, const char *text)
{
	for (size_t i = 0; fm && fm->type == PERF_NODE_SEQ && i < fm->n; i++) {
		const char *o = perf_node_str(fm->values[i], "owner"), *x = perf_node_str(fm->values[i], "text");
		if (o && x && !strcmp(o, owner) && !strcmp(x, text))
			return node_done(fm->values[i]);
	}
	return false;
}

static int task_open(struct perf_buf *b, bool done)
{
	return perf_buf_printf(b, "<span class=\"task%s\"><input type=\"checkbox\" disabled%s aria-label=\"%s\"> ",
	                       done ? " done" : "", done ? " checked" : "", done ? "done" : "not done");
}

/* One action as a task: box, owner, text, due date (and whether it is overdue). */
static int task_html(struct perf_buf *b, const struct tasks *t, const char *owner, const char *text, const char *due,
                     bool done)
{
	int rc = task_open(b, done);

	if (!rc && owner && *owner) {
		if (t && t->linked && perf_strv_has(t->linked, owner))
			rc = perf_buf_printf(b, "<a href=\"%speople/%s.html\">%s</a>", t->root ? t->root : "", owner,
			                     owner);
		else
			rc = perf_site_escape(b, owner);
		if (!rc)
			rc = perf_buf_puts(b, ": ");
	}
	if (!rc)
		rc = perf_site_escape(b, text);
	if (!rc && due && *due) {
		rc = perf_buf_puts(b, " <span class=\"due\">· due ");
		if (!rc)
			rc = put_when(b, due, WHEN_DAY);
		if (!rc && !done && t && t->today && strcmp(due, t->today) < 0)
			rc = perf_buf_puts(b, " <span class=\"state-no\">overdue</span>");
		if (!rc)
			rc = perf_buf_puts(b, "</span>");
	}
	if (!rc)
		rc = perf_buf_puts(b, "</span>");
	return rc ? PERF_ENOMEM : 0;
}

/* A list item that opens with a box: "[ ] ", "[x] " or "[X] " (or the box alone on its line). */
static bool task_item(cmark_node *item, cmark_node **para, cmark_node **text, bool *done)
{
	cmark_node *next;
	const char *lit;

	*para = cmark_node_first_child(item);
	if (!*para || cmark_node_get_type(*para) != CMARK_NODE_PARAGRAPH)
		return false;
	*text = cmark_node_first_child(*para);
	if (!*text || cmark_node_get_type(*text) != CMARK_NODE_TEXT || !(lit = cmark_node_get_literal(*text)))
		return false;
	if (lit[0] != '[' || !lit[1] || !strchr(" xX", lit[1]) || lit[2] != ']')
		return false;
	next = cmark_node_next(*text);
	if (!(lit[3] == ' ' || lit[3] == '\t' ||
	      (!lit[3] && (!next || cmark_node_get_type(next) == CMARK_NODE_SOFTBREAK ||
	                   cmark_node_get_type(next) == CMARK_NODE_LINEBREAK))))
		return false;
	*done = lit[1] != ' ';
	return true;
}

static cmark_node *custom_inline(const char *enter, const char *exit)
{
	cmark_node *c = cmark_node_new(CMARK_NODE_CUSTOM_INLINE);

	if (c && (!cmark_node_set_on_enter(c, enter) || !cmark_node_set_on_exit(c, exit))) {
		cmark_node_free(c);
		return NULL;
	}
	return c;
}

/* Shows one task item: as an action when one was read at its line, else as a box before its words. */
static int show_task(cmark_node *item, const struct perf_actions *parsed, const struct tasks *t)
{
	struct perf_buf b = PERF_BUF_INIT;
	cmark_node *para, *text, *c, *wrap;
	const struct perf_action *a = NULL;
	bool done;
	char *rest;
	int line = cmark_node_get_start_line(item), rc = 0;

	if (!task_item(item, &para, &text, &done))
		return 0;
	for (size_t i = 0; parsed && i < parsed->n && !a; i++)
		if ((int)parsed->v[i].line == line)
			a = &parsed->v[i];
	if (a) {
		done = a->done || fm_done(t ? t->fm : NULL, a->owner, a->text);
		if (task_html(&b, t, a->owner, a->text, a->due, done))
			goto nomem;
		while ((c = cmark_node_first_child(para))) {
			cmark_node_unlink(c);
			cmark_node_free(c);
		}
		if (!(wrap = custom_inline(perf_buf_cstr(&b), "")))
			goto nomem;
		cmark_node_append_child(para, wrap);
		perf_buf_release(&b);
		return 0;
	}
	if (task_open(&b, done) || !(rest = strdup(cmark_node_get_literal(text) + 3)))
		goto nomem;
	cmark_node_set_literal(text, rest + (*rest ? 1 : 0));
	free(rest);
	if (!(wrap = custom_inline(perf_buf_cstr(&b), "</span>")))
		goto nomem;
	while ((c = cmark_node_first_child(para)))
		cmark_node_append_child(wrap, c);
	cmark_node_append_child(para, wrap);
	perf_buf_release(&b);
	return rc;
nomem:
	perf_buf_release(&b);
	return PERF_ENOMEM;
}

static int task_items(cmark_node *doc, const char *md, size_t len, const struct tasks *t)
{
	struct perf_actions parsed = PERF_ACTIONS_INIT;
	struct perf_error err;
	cmark_node **items = NULL;
	size_t n = 0, cap = 0;
	cmark_iter *it;
	cmark_event_type ev;
	int rc = 0;

	if (t && t->actions && perf_actions_parse(&parsed, md, len, t->owner, NULL, NULL, NULL, &err)) {
		perf_actions_release(&parsed);
		return PERF_ENOMEM;
	}
	/* A box is split over text nodes ("[", " ", "] ...") until they are joined. */
	cmark_consolidate_text_nodes(doc);
	if (!(it = cmark_iter_new(doc))) {
		perf_actions_release(&parsed);
		return PERF_ENOMEM;
	}
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE && !rc) {
		cmark_node *node = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(node) != CMARK_NODE_ITEM)
			continue;
		if (perf_array_grow((void **)&items, &cap, n, sizeof(*items), 8))
			rc = PERF_ENOMEM;
		else
			items[n++] = node;
	}
	cmark_iter_free(it);
	for (size_t i = 0; i < n && !rc; i++)
		rc = show_task(items[i], &parsed, t);
	free(items);
	perf_actions_release(&parsed);
	return rc;
}

static int render_markdown(struct perf_buf *out, const char *md, size_t len, const struct tasks *t)
{
	cmark_node *doc;
	char *html;
	int rc;

	if (len > PERF_RENDER_MAX) {
		char *copy = strndup(md, len);
		if (!copy)
			return PERF_ENOMEM;
		rc = perf_buf_puts(out, "<pre>");
		if (!rc)
			rc = perf_site_escape(out, copy);
		if (!rc)
			rc = perf_buf_puts(out, "</pre>\n");
		free(copy);
		return rc;
	}
	doc = cmark_parse_document(md ? md : "", md ? len : 0, CMARK_OPT_SAFE | CMARK_OPT_VALIDATE_UTF8);
	if (!doc)
		return PERF_ENOMEM;
	if ((rc = safe_tree(doc)) || (rc = task_items(doc, md, len, t))) {
		cmark_node_free(doc);
		return rc;
	}
	html = cmark_render_html(doc, CMARK_OPT_SAFE);
	cmark_node_free(doc);
	if (!html)
		return PERF_ENOMEM;
	rc = 0;
	for (const unsigned char *p = (const unsigned char *)html; *p && !rc; p++) {
		size_t n = put_bidi(out, p, &rc);
		if (n)
			p += n - 1;
		else
			rc = perf_buf_putc(out, (char)*p);
	}
	free(html);
	return rc;
}

int perf_site_markdown(struct perf_buf *out, const char *md, size_t len)
{
	return render_markdown(out, md, len, NULL);
}

/* ---- a page being written: errors stick, so writing reads as a list ---- */

struct page {
	struct perf_buf b;
	int rc;
	const char *root; /* "" for index.html, "../" below it */
};

static void put(struct page *p, const char *s)
{
	if (!p->rc)
		p->rc = perf_buf_puts(&p->b, s);
}

__attribute__((format(printf, 2, 3))) static void putf(struct page *p, const char *fmt, ...)
{
	va_list ap;

	if (p->rc)
		return;
	va_start(ap, fmt);
	p->rc = perf_buf_vprintf(&p->b, fmt, ap);
	va_end(ap);
}

static void esc(struct page *p, const char *s)
{
	if (!p->rc)
		p->rc = perf_site_escape(&p->b, s);
}

static void when(struct page *p, const char *s, enum when_form form)
{
	if (!p->rc)
		p->rc = put_when(&p->b, s, form);
}

static void markdown_tasks(struct page *p, const char *md, size_t len, const struct tasks *t)
{
	size_t n = 0, mark, open;

	/* A body of blank lines renders as nothing: leave out its container too. */
	while (n < len && strchr(" \t\r\n", md[n]))
		n++;
	if (n == len || p->rc)
		return;
	mark = p->b.len;
	put(p, "<div class=\"md\">\n");
	open = p->b.len;
	if (!p->rc)
		p->rc = render_markdown(&p->b, md, len, t);
	if (!p->rc && p->b.len == open)
		perf_buf_truncate(&p->b, mark); /* nothing but empty sections */
	else
		put(p, "</div>\n");
}

static void markdown(struct page *p, const char *md, size_t len)
{
	markdown_tasks(p, md, len, NULL);
}

/* Narrow screens: long words wrap anywhere in text, while tables, code blocks and charts stay in their own box
 * (tables and code scroll sideways within it, charts shrink), so nothing widens the page. */
static const char site_css[] =
    "body{font:15px/1.5 system-ui,-apple-system,\"Segoe UI\",sans-serif;color:#1d2330;background:#f6f7f9;"
    "margin:0}\n"
    "header,main,footer{max-width:60rem;margin:0 auto;padding:0 1rem;overflow-wrap:anywhere}\n"
    "header{padding-top:1rem}header nav a{margin-right:1rem}\n"
    "h1{margin:.5rem 0 0}h2{margin-top:2rem;border-bottom:1px solid #d5d9e0}h3{margin:.2rem 0}\n"
    "a{color:#1f5fbf}\n"
    ".sub{color:#596275;margin:.2rem 0 1rem}\n"
    ".meta{color:#596275;font-size:.9em;margin:.1rem 0 .4rem}\n"
    "article.doc{background:#fff;border:1px solid #d5d9e0;border-radius:6px;padding:.6rem 1rem;margin:.8rem 0;"
    "min-width:0}\n"
    ".replies{border-left:3px solid #d5d9e0;margin:.5rem 0 0 .5rem;padding-left:.8rem}\n"
    "article.reply{margin:.5rem 0}\n"
    ".md h1,.md h2,.md h3,.md h4{font-size:1em;border:0;margin:.8rem 0 .2rem}\n"
    ".md pre,pre{background:#f0f2f5;padding:.5rem;overflow:auto;max-width:100%;box-sizing:border-box}\n"
    "pre code{overflow-wrap:normal}\n"
    ".md blockquote{border-left:3px solid #c6ccd6;margin-left:0;padding-left:.8rem;color:#3d4454}\n"
    ".md table{display:block;overflow-x:auto;max-width:100%}\n"
    ".scroll{overflow-x:auto;max-width:100%}.scroll table{overflow-wrap:normal}\n"
    "table{border-collapse:collapse;background:#fff;margin:.5rem 0}\n"
    "th,td{border:1px solid #d5d9e0;padding:.25rem .6rem;text-align:left;vertical-align:top}\n"
    "td.n{text-align:right}\n"
    ".state-ok{color:#1a7f37}.state-no{color:#b35900}\n"
    ".private{display:inline-block;background:#eef0f4;border:1px solid #d5d9e0;border-radius:4px;"
    "padding:.1rem .6rem;color:#3d4454;font-size:.9em;margin:.3rem 0}\n"
    "ul.tasks,ul.tasks>li,.md li:has(>.task),.md li:has(>p>.task){list-style:none}\n"
    "ul.tasks{padding-left:1.6rem}\n"
    ".task input{appearance:none;width:.95em;height:.95em;margin:0 .45em 0 -1.45em;vertical-align:-.12em;"
    "border:1.5px solid #8a93a3;border-radius:3px;background:#fff;print-color-adjust:exact}\n"
    ".task input:checked{border-color:#2da44e;background:#2da44e url(\"data:image/svg+xml,%3Csvg "
    "xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Cpath d='M3.5 8.5l3 3 6-7' fill='none' "
    "stroke='white' stroke-width='2.4'/%3E%3C/svg%3E\") center/90% no-repeat}\n"
    ".task.done{color:#596275}.task .due{color:#596275;font-size:.9em}\n"
    "svg.chart{display:block;max-width:100%;height:auto;margin:.4rem 0}\n"
    "svg .grid{stroke:#e3e6eb}svg .axis{fill:#596275;font-size:11px}\n"
    "svg .line{fill:none;stroke:#1f5fbf;stroke-width:2}svg .dot{fill:#1f5fbf}\n"
    "svg.mood .line{stroke:#8a4fbf}svg.mood .dot{fill:#8a4fbf}\n"
    "svg .on{fill:#2da44e}svg .off{fill:#e3e6eb}svg .bar{fill:#1f5fbf}\n"
    "svg.moods{margin:.2rem 0 0;max-width:none}td.mood .meta{white-space:nowrap}svg.moods .slot{fill:#eceef2}svg.moods "
    ".bar{fill:#8a4fbf}\n"
    "svg.moods .mood-1,svg.moods .mood-2{fill:#c98a3a}\n"
    "footer{color:#596275;font-size:.85em;padding:2rem 1rem}\n";

static void page_start(struct page *p, const char *root, const char *title, const char *team)
{
	p->root = root;
	put(p, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	       "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
	       "img-src data:\">\n"
	       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	       "<meta name=\"generator\" content=\"perf site\">\n"
	       "<link rel=\"icon\" href=\"data:,\">\n<title>");
	esc(p, title);
	put(p, " · ");
	esc(p, team);
	putf(p, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<header><nav><a href=\"%sindex.html\">", site_css,
	     root);
	esc(p, team);
	put(p, "</a></nav></header>\n<main>\n");
}

static void page_end(struct page *p, const char *commit, const char *today)
{
	putf(p, "</main>\n<footer>Written by perf site from commit %s, as of ", commit);
	when(p, today, WHEN_DAY);
	put(p, ".</footer>\n</body>\n</html>\n");
}

/* ---- charts ---- */

struct point {
	long x;           /* days since the epoch */
	long y;           /* the value */
	const char *what; /* the point's name in its tooltip (a week or a date) */
};

#define CHART_W 560
#define CHART_H 170
#define CHART_L 44
#define CHART_R 16
#define CHART_T 10
#define CHART_B 26

/* Where a value y and a day x (between x0 and x1) stand in the plot area. */
static double chart_y(long y, long ymin, long ymax)
{
	double ph = CHART_H - CHART_T - CHART_B;

	return CHART_T + ph - (double)(y - ymin) * ph / (double)(ymax - ymin);
}

static double chart_x(long x, long x0, long x1)
{
	double pw = CHART_W - CHART_L - CHART_R;

	return x1 == x0 ? CHART_L + pw / 2 : CHART_L + (double)(x - x0) * pw / (double)(x1 - x0);
}

/* A line chart of points (sorted by x) between ymin and ymax, labelled every
 * ystep with the unit after each label; cls names the chart for CSS. */
static void line_chart(struct page *p, const char *cls, const char *label, const struct point *pts, size_t n, long ymin,
                       long ymax, long ystep, const char *unit)
{
	long x0 = pts[0].x, x1 = pts[n - 1].x;
	char d0[11], d1[11], h0[32], h1[32], machine[32];

	putf(p, "<svg class=\"chart %s\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"",
	     cls, CHART_W, CHART_H, CHART_W, CHART_H);
	esc(p, label);
	put(p, "\">\n<title>");
	esc(p, label);
	put(p, "</title>\n");
	for (long v = ymin; v <= ymax; v += ystep) {
		double y = chart_y(v, ymin, ymax);
		putf(p, "<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>", CHART_L, y,
		     CHART_W - CHART_R, y);
		putf(p, "<text class=\"axis\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%ld%s</text>\n", CHART_L - 6,
		     y + 4, v, unit);
	}
	perf_value_format_date((time_t)x0 * 86400L, d0);
	perf_value_format_date((time_t)x1 * 86400L, d1);
	human_when(d0, WHEN_SHORT, h0, sizeof(h0), machine);
	human_when(d1, WHEN_SHORT, h1, sizeof(h1), machine);
	putf(p, "<text class=\"axis\" x=\"%d\" y=\"%d\" text-anchor=\"start\">%s</text>", CHART_L, CHART_H - 6, h0);
	if (x1 != x0)
		putf(p, "<text class=\"axis\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>", CHART_W - CHART_R,
		     CHART_H - 6, h1);
	put(p, "\n<polyline class=\"line\" points=\"");
	for (size_t i = 0; i < n; i++)
		putf(p, "%s%.1f,%.1f", i ? " " : "", chart_x(pts[i].x, x0, x1), chart_y(pts[i].y, ymin, ymax));
	put(p, "\"/>\n");
	for (size_t i = 0; i < n; i++) {
		putf(p, "<circle class=\"dot\" cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\"><title>", chart_x(pts[i].x, x0, x1),
		     chart_y(pts[i].y, ymin, ymax));
		/* SVG has no <time>: a date is written as people read it, a week as it is. */
		if (human_when(pts[i].what, WHEN_SHORT, h0, sizeof(h0), machine))
			put(p, h0);
		else
			esc(p, pts[i].what);
		putf(p, ": %ld%s</title></circle>\n", pts[i].y, unit);
	}
	put(p, "</svg>\n");
}

/* Week numbers counted from the epoch's week, for runs of consecutive weeks. */
static long week_index(const char *week)
{
	int y, w;

	if (!week || perf_value_parse_week(week, &y, &w, NULL))
		return -1;
	return (long)(perf_value_week_start(y, w) / (7 * 86400L));
}

static void week_of_index(long idx, char out[9])
{
	/* Monday of the week, plus three days: safely inside it. */
	perf_value_week_of((time_t)idx * 7 * 86400L + 3 * 86400L + 4 * 86400L, out);
}

#define STRIP_MAX_WEEKS 520
#define STRIP_ROW       52
#define STRIP_CELL      18

/* Check-in streak: one square per week from first to last, filled when a check-in was written. */
static void streak_strip(struct page *p, const struct perf_report_checkin *const *cs, size_t n, long first, long last)
{
	long weeks, cols, rows, best = 0, run = 0, current = 0;
	size_t k = 0;

	if (last - first + 1 > STRIP_MAX_WEEKS)
		first = last - STRIP_MAX_WEEKS + 1;
	weeks = last - first + 1;
	cols = weeks < STRIP_ROW ? weeks : STRIP_ROW;
	rows = (weeks + STRIP_ROW - 1) / STRIP_ROW;
	putf(p,
	     "<svg class=\"chart streak\" viewBox=\"0 0 %ld %ld\" width=\"%ld\" height=\"%ld\" role=\"img\" "
	     "aria-label=\"check-ins by week\">\n<title>check-ins by week</title>\n",
	     cols * STRIP_CELL, rows * STRIP_CELL, cols * STRIP_CELL, rows * STRIP_CELL);
	for (long i = 0; i < weeks; i++) {
		const struct perf_report_checkin *c = NULL;
		char week[9];
		long idx = first + i;
		while (k < n && week_index(cs[k]->week) < idx)
			k++;
		if (k < n && week_index(cs[k]->week) == idx)
			c = cs[k];
		run = c ? run + 1 : 0;
		if (run > best)
			best = run;
		week_of_index(idx, week);
		putf(p, "<rect class=\"%s\" x=\"%ld\" y=\"%ld\" width=\"%d\" height=\"%d\" rx=\"2\"><title>%s: ",
		     c ? "on" : "off", (i % STRIP_ROW) * STRIP_CELL, (i / STRIP_ROW) * STRIP_CELL, STRIP_CELL - 3,
		     STRIP_CELL - 3, week);
		if (c && c->mood >= 0)
			putf(p, "checked in, mood %ld", c->mood);
		else
			put(p, c ? "checked in" : "no check-in");
		put(p, "</title></rect>\n");
	}
	put(p, "</svg>\n");
	/* The current streak may end last week: this week's check-in may not be written yet. */
	current = run;
	if (!run && weeks > 1) {
		for (size_t j = n; j-- > 0;) {
			long idx = week_index(cs[j]->week);
			if (idx > last - 1)
				continue;
			if (idx == last - 1 - current)
				current++;
			else
				break;
		}
	}
	putf(p, "<p class=\"meta\">Longest streak: %ld week%s; current streak: %ld week%s.</p>\n", best,
	     best == 1 ? "" : "s", current, current == 1 ? "" : "s");
}

/* ---- what the site spans and the pages it links ---- */

/* A person's line in the overview. */
struct row {
	size_t active, checkins, streak;
	long mood; /* the latest, -1 when none */
	const char *expectations;
};

struct site {
	struct perf_repo *repo;
	struct perf_report_team *reports; /* the people of the site (one: a team of one) */
	struct perf_config *cfg;
	const char *team;
	struct perf_span span;
	char today[11];
	char commit[13];
	struct perf_strv people; /* pages written */
	struct perf_strv cycles; /* pages written */
	struct row *rows;        /* the overview's figures, one per person, filled by their pages */
};

static bool linked_person(const struct site *s, const char *handle)
{
	return perf_strv_has(&s->people, handle);
}

static void person_link(struct page *p, const struct site *s, const char *handle)
{
	if (linked_person(s, handle)) {
		putf(p, "<a href=\"%speople/%s.html\">", p->root, handle);
		esc(p, handle);
		put(p, "</a>");
	} else {
		esc(p, handle);
	}
}

/* Who can open a sealed body: "private to ari and lena".  The sealed block itself is never shown. */
static void private_line(struct page *p, const struct site *s, const struct perf_doc *doc)
{
	const struct perf_node *r = perf_doc_get(doc, "readers");
	size_t n = 0, k = 0;

	for (size_t i = 0; r && r->type == PERF_NODE_SEQ && i < r->n; i++)
		n += r->values[i]->type == PERF_NODE_SCALAR;
	put(p, "<p class=\"private\">");
	if (!n)
		put(p, "private: sealed, its readers not named");
	else
		put(p, "private to ");
	for (size_t i = 0; n && i < r->n; i++) {
		if (r->values[i]->type != PERF_NODE_SCALAR)
			continue;
		put(p, !k ? "" : k == n - 1 ? " and " : ", ");
		person_link(p, s, r->values[i]->text);
		k++;
	}
	put(p, "</p>\n");
}

/* A document's body: its Markdown, or who may read it when it is sealed. */
static void doc_body(struct page *p, const struct site *s, const struct perf_doc *doc, const struct tasks *t)
{
	size_t len = 0, k = 0;
	const char *body = perf_doc_body(doc, &len);

	while (body && k < len && (body[k] == ' ' || body[k] == '\t' || body[k] == '\r' || body[k] == '\n'))
		k++;
	if (perf_private_doc_is(doc) || (body && perf_private_body_is(body + k, len - k)))
		private_line(p, s, doc);
	else if (body)
		markdown_tasks(p, body, len, t);
}

/* A document's replies, oldest first. */
static void replies(struct page *p, const struct site *s, const char *path)
{
	struct perf_strv rs = PERF_STRV_INIT;
	bool open = false;

	if (perf_store_thread(s->repo, NULL, path, &rs, NULL))
		return;
	for (size_t i = 0; i < rs.n && !p->rc; i++) {
		struct perf_schema_match m;
		struct perf_doc *doc = NULL;
		if (perf_schema_match_path(&m, rs.v[i], NULL) ||
		    perf_store_load(s->repo, NULL, rs.v[i], &doc, NULL, NULL))
			continue;
		if (!open)
			put(p, "<div class=\"replies\">\n");
		open = true;
		put(p, "<article class=\"reply\"><p class=\"meta\"><b>");
		person_link(p, s, m.author);
		put(p, "</b> replied, ");
		when(p, m.time, WHEN_FULL);
		put(p, "</p>\n");
		doc_body(p, s, doc, NULL);
		put(p, "</article>\n");
		perf_doc_free(doc);
	}
	if (open)
		put(p, "</div>\n");
	perf_strv_release(&rs);
}

/* A document's body (its task items shown as t says) and its replies. */
static void thread_tasks(struct page *p, const struct site *s, const char *path, const struct perf_doc *doc,
                         const struct tasks *t)
{
	doc_body(p, s, doc, t);
	replies(p, s, path);
}

static void thread(struct page *p, const struct site *s, const char *path, const struct perf_doc *doc)
{
	thread_tasks(p, s, path, doc, NULL);
}

/* ---- a person's page ---- */

static void expectations_section(struct page *p, const struct site *s, const char *handle)
{
	const struct perf_schema_kind *kind = NULL;
	struct perf_strv who = PERF_STRV_INIT, at = PERF_STRV_INIT;
	char path[PERF_SCHEMA_PATH_MAX + 1], version[PERF_SCHEMA_VERSION_LEN + 1];
	struct perf_doc *doc = NULL;
	const char *lead, *role;
	bool agreed;

	put(p, "<section id=\"expectations\">\n<h2>Expectations</h2>\n");
	snprintf(path, sizeof(path), "expectations/%s.md", handle);
	if (perf_store_load(s->repo, NULL, path, &doc, &kind, NULL)) {
		put(p, "<p>No expectations written yet.</p>\n</section>\n");
		return;
	}
	lead = perf_doc_str(doc, "lead");
	role = perf_doc_str(doc, "role");
	if (perf_schema_version(version, kind, doc, NULL) == 0)
		perf_agreement_current(doc, kind, version, &who, &at, NULL);
	agreed = perf_strv_has(&who, handle) && lead && perf_strv_has(&who, lead);
	put(p, "<article class=\"doc\">\n<p class=\"meta\">");
	if (role) {
		put(p, "Role: ");
		esc(p, role);
		put(p, " · ");
	}
	put(p, "lead: ");
	person_link(p, s, lead ? lead : "");
	put(p, "</p>\n");
	putf(p, "<p class=\"%s\">", agreed ? "state-ok" : "state-no");
	put(p, agreed ? "Agreed to the current version" : "Not agreed to the current version");
	for (size_t i = 0; i < who.n; i++) {
		put(p, i ? ", " : " (agreed: ");
		person_link(p, s, who.v[i]);
		put(p, " on ");
		when(p, at.v[i], WHEN_DAY);
	}
	put(p, who.n ? ").</p>\n" : ".</p>\n");
	thread(p, s, path, doc);
	put(p, "</article>\n</section>\n");
	perf_strv_release(&who);
	perf_strv_release(&at);
	perf_doc_free(doc);
}

/* Support promised to a goal, each supporter's with whether and when it was given. */
static void goal_supporters(struct page *p, const struct perf_doc *doc)
{
	const struct perf_node *l = perf_doc_get(doc, "supporters");

	if (!l || l->type != PERF_NODE_SEQ || !l->n)
		return;
	put(p, "<p><b>Support promised:</b></p>\n<ul class=\"support\">\n");
	for (size_t i = 0; i < l->n; i++) {
		const char *who = perf_node_str(l->values[i], "who"), *what = perf_node_str(l->values[i], "what");
		const char *given = perf_node_str(l->values[i], "given");
		if (!who)
			continue;
		put(p, "<li>");
		esc(p, who);
		put(p, ": ");
		esc(p, what ? what : "");
		if (given) {
			put(p, " <span class=\"meta\">(given ");
			when(p, given, WHEN_DAY);
			put(p, ")</span>");
		} else {
			put(p, " <span class=\"meta\">(promised, not yet given)</span>");
		}
		put(p, "</li>\n");
	}
	put(p, "</ul>\n");
}

static void goals_section(struct page *p, const struct site *s, const struct perf_report_sum *sum)
{
	put(p, "<section id=\"goals\">\n<h2>Goals</h2>\n");
	if (!sum->ngoals)
		put(p, "<p>No goals.</p>\n");
	for (size_t i = 0; i < sum->ngoals && !p->rc; i++) {
		const struct perf_report_goal *g = sum->goals[i].g;
		char path[PERF_SCHEMA_PATH_MAX + 1], label[128];
		struct perf_doc *doc = NULL;
		struct point *pts;
		const char *why, *support;
		size_t n = 0;

		putf(p, "<article class=\"doc\" id=\"goal-%s\">\n<h3>", g->slug);
		esc(p, g->title);
		putf(p, "</h3>\n<p class=\"meta\">%s · %s", g->slug, g->status);
		if (g->progress >= 0)
			putf(p, " · %ld%%", g->progress);
		if (g->due[0]) {
			put(p, " · due ");
			when(p, g->due, WHEN_DAY);
		}
		if (g->created[0]) {
			put(p, " · added ");
			when(p, g->created, WHEN_DAY);
		}
		if (g->closed[0]) {
			put(p, " · closed ");
			when(p, g->closed, WHEN_DAY);
		}
		put(p, "</p>\n");
		pts = calloc(g->nhist ? g->nhist : 1, sizeof(*pts));
		if (!pts) {
			p->rc = PERF_ENOMEM;
			break;
		}
		for (size_t k = 0; k < g->nhist; k++) {
			if (!perf_report_in_span(&s->span, g->hist[k].date))
				continue;
			pts[n].x = perf_report_days(g->hist[k].date);
			pts[n].y = g->hist[k].progress;
			pts[n].what = g->hist[k].week[0] ? g->hist[k].week : g->hist[k].date;
			n++;
		}
		snprintf(label, sizeof(label), "progress of %s over time", g->slug);
		if (n)
			line_chart(p, "progress", label, pts, n, 0, 100, 25, "%");
		else
			put(p, "<p class=\"meta\">No progress recorded.</p>\n");
		free(pts);
		snprintf(path, sizeof(path), "goals/%s/%s.md", sum->handle, g->slug);
		if (perf_store_load(s->repo, NULL, path, &doc, NULL, NULL) == 0) {
			why = perf_doc_str(doc, "why");
			support = perf_doc_str(doc, "support");
			if (why) {
				put(p, "<p><b>Why:</b> ");
				esc(p, why);
				put(p, "</p>\n");
			}
			if (support) {
				put(p, "<p><b>Support:</b> ");
				esc(p, support);
				put(p, "</p>\n");
			}
			goal_supporters(p, doc);
			thread(p, s, path, doc);
			perf_doc_free(doc);
		}
		put(p, "</article>\n");
	}
	put(p, "</section>\n");
}

/* The check-ins within the span, by week. */
static const struct perf_report_checkin **checkins_in_span(const struct site *s, const struct perf_report_sum *sum,
                                                           size_t *n)
{
	const struct perf_report_checkin **cs = calloc(sum->p.ncheckins ? sum->p.ncheckins : 1, sizeof(*cs));

	*n = 0;
	for (size_t i = 0; cs && i < sum->p.ncheckins; i++)
		if (perf_report_week_in_span(&s->span, sum->p.checkins[i].week) &&
		    week_index(sum->p.checkins[i].week) >= 0)
			cs[(*n)++] = &sum->p.checkins[i];
	return cs;
}

static void rhythm_section(struct page *p, const struct site *s, const struct perf_report_sum *sum)
{
	const struct perf_report_checkin **cs;
	struct point *pts;
	size_t n, nm = 0;
	long first, last;
	char w[9];
	int y, wk;

	put(p, "<section id=\"rhythm\">\n<h2>Check-ins and mood</h2>\n");
	if (!(cs = checkins_in_span(s, sum, &n)) || !(pts = calloc(n ? n : 1, sizeof(*pts)))) {
		free(cs);
		p->rc = PERF_ENOMEM;
		return;
	}
	putf(p, "<p>%zu check-in%s.</p>\n", n, n == 1 ? "" : "s");
	if (n) {
		/* From the span's first week (or the first check-in) to today's week (or the span's last). */
		first = week_index(cs[0]->week);
		if (s->span.cycle[0]) {
			perf_value_week_of((time_t)perf_report_days(s->span.since) * 86400L, w);
			first = week_index(w);
		}
		perf_value_week_of(
		    (time_t)perf_report_days(strcmp(s->today, s->span.until) < 0 ? s->today : s->span.until) * 86400L,
		    w);
		last = week_index(w);
		if (perf_value_parse_week(cs[n - 1]->week, &y, &wk, NULL) == 0 && week_index(cs[n - 1]->week) > last)
			last = week_index(cs[n - 1]->week);
		if (first > last)
			first = last;
		streak_strip(p, cs, n, first, last);
	}
	for (size_t i = 0; i < n; i++) {
		if (cs[i]->mood < 0)
			continue;
		pts[nm].x = perf_report_days(cs[i]->date);
		pts[nm].y = cs[i]->mood;
		pts[nm].what = cs[i]->week;
		nm++;
	}
	put(p, "<h3>Mood</h3>\n");
	if (nm)
		line_chart(p, "mood", "mood by week, 1 low to 5 high", pts, nm, 1, 5, 1, "");
	else
		put(p, "<p class=\"meta\">No mood recorded.</p>\n");
	free(pts);
	free(cs);
	put(p, "</section>\n");
}

static void checkins_section(struct page *p, const struct site *s, const struct perf_report_sum *sum)
{
	const struct perf_report_checkin **cs;
	size_t n;

	put(p, "<section id=\"checkins\">\n<h2>Check-ins</h2>\n");
	if (!(cs = checkins_in_span(s, sum, &n))) {
		p->rc = PERF_ENOMEM;
		return;
	}
	if (!n)
		put(p, "<p>No check-ins.</p>\n");
	/* Newest first. */
	for (size_t i = n; i-- > 0 && !p->rc;) {
		const struct perf_report_checkin *c = cs[i];
		const struct perf_node *goals = perf_doc_get(c->doc, "goals");
		char path[PERF_SCHEMA_PATH_MAX + 1];

		putf(p, "<article class=\"doc\" id=\"checkin-%s\">\n<h3>%s</h3>\n<p class=\"meta\">written ", c->week,
		     c->week);
		when(p, c->date, WHEN_DAY);
		if (c->mood >= 0)
			putf(p, " · mood %ld", c->mood);
		for (size_t k = 0; goals && goals->type == PERF_NODE_SEQ && k < goals->n; k++) {
			const char *slug = perf_node_str(goals->values[k], "goal");
			const char *pr = perf_node_str(goals->values[k], "progress");
			if (!slug || !pr)
				continue;
			put(p, " · ");
			esc(p, slug);
			put(p, " ");
			esc(p, pr);
			put(p, "%");
		}
		put(p, "</p>\n");
		snprintf(path, sizeof(path), "checkins/%s/%s.md", sum->handle, c->week);
		thread(p, s, path, c->doc);
		put(p, "</article>\n");
	}
	free(cs);
	put(p, "</section>\n");
}

/* The documents of a folder within the span (by the field when), newest first, each through fn. */
typedef void (*doc_fn)(struct page *p, const struct site *s, const char *path, const struct perf_doc *doc);

static void folder_section(struct page *p, const struct site *s, const char *id, const char *title, const char *folder,
                           const char *handle, const char *when, const char *none, doc_fn fn)
{
	struct perf_strv names = PERF_STRV_INIT;
	char dir[64], path[PERF_SCHEMA_PATH_MAX + 1];
	size_t shown = 0;

	putf(p, "<section id=\"%s\">\n<h2>%s</h2>\n", id, title);
	snprintf(dir, sizeof(dir), "%s/%s", folder, handle);
	perf_store_list(s->repo, NULL, dir, &names, NULL);
	for (size_t i = names.n; i-- > 0 && !p->rc;) {
		struct perf_doc *doc = NULL;
		snprintf(path, sizeof(path), "%s/%s.md", dir, names.v[i]);
		if (perf_store_load(s->repo, NULL, path, &doc, NULL, NULL))
			continue;
		if (perf_report_in_span(&s->span, perf_doc_str(doc, when))) {
			putf(p, "<article class=\"doc\" id=\"%s-%s\">\n", id, names.v[i]);
			fn(p, s, path, doc);
			put(p, "</article>\n");
			shown++;
		}
		perf_doc_free(doc);
	}
	if (!shown)
		putf(p, "<p>%s</p>\n", none);
	put(p, "</section>\n");
	perf_strv_release(&names);
}

static void handles(struct page *p, const struct site *s, const struct perf_node *list)
{
	for (size_t i = 0; list && list->type == PERF_NODE_SEQ && i < list->n; i++) {
		if (list->values[i]->type != PERF_NODE_SCALAR)
			continue;
		put(p, i ? ", " : "");
		person_link(p, s, list->values[i]->text);
	}
}

static void feedback_doc(struct page *p, const struct site *s, const char *path, const struct perf_doc *doc)
{
	const char *created = perf_doc_str(doc, "created"), *due = perf_doc_str(doc, "due");

	put(p, "<h3>On “");
	esc(p, perf_doc_str(doc, "about"));
	put(p, "”</h3>\n<p class=\"meta\">asked ");
	handles(p, s, perf_doc_get(doc, "asked"));
	if (created) {
		put(p, " · ");
		when(p, created, WHEN_FULL);
	}
	if (due) {
		put(p, " · due ");
		when(p, due, WHEN_DAY);
	}
	put(p, "</p>\n");
	thread(p, s, path, doc);
}

static void praise_doc(struct page *p, const struct site *s, const char *path, const struct perf_doc *doc)
{
	const char *value = perf_doc_str(doc, "value");

	put(p, "<h3>From ");
	person_link(p, s, perf_doc_str(doc, "from") ? perf_doc_str(doc, "from") : "");
	if (value) {
		put(p, " · ");
		esc(p, value);
	}
	put(p, "</h3>\n<p class=\"meta\">");
	when(p, perf_doc_str(doc, "at"), WHEN_FULL);
	put(p, "</p>\n");
	thread(p, s, path, doc);
}

static void note_doc(struct page *p, const struct site *s, const char *path, const struct perf_doc *doc)
{
	const char *title = perf_doc_str(doc, "title");
	const struct perf_node *with = perf_doc_get(doc, "with"), *acts = perf_doc_get(doc, "actions");
	struct tasks t = {perf_doc_str(doc, "person"), true, acts, p->root, &s->people, s->today};
	struct perf_actions inbody = PERF_ACTIONS_INIT;
	struct perf_error err;
	size_t blen = 0;
	const char *body = perf_doc_body(doc, &blen);
	bool any = false;

	put(p, "<h3>");
	esc(p, title ? title : "Note");
	put(p, "</h3>\n<p class=\"meta\">");
	when(p, perf_doc_str(doc, "date"), WHEN_DAY);
	if (with && with->type == PERF_NODE_SEQ && with->n) {
		put(p, " · with ");
		handles(p, s, with);
	}
	put(p, "</p>\n");
	/* The body's task items show as the actions they are; the front matter's others are listed. */
	if (body && !perf_private_doc_is(doc) &&
	    perf_actions_parse(&inbody, body, blen, t.owner, NULL, NULL, NULL, &err) == PERF_ENOMEM)
		p->rc = PERF_ENOMEM;
	for (size_t i = 0; acts && acts->type == PERF_NODE_SEQ && i < acts->n && !p->rc; i++) {
		const struct perf_node *a = acts->values[i];
		const char *owner = perf_node_str(a, "owner"), *text = perf_node_str(a, "text");
		bool shown = false;
		if (!owner || !text)
			continue;
		for (size_t k = 0; k < inbody.n && !shown; k++)
			shown = !strcmp(inbody.v[k].owner, owner) && !strcmp(inbody.v[k].text, text);
		if (shown)
			continue;
		put(p, any ? "<li>" : "<ul class=\"tasks\">\n<li>");
		any = true;
		if (!p->rc)
			p->rc = task_html(&p->b, &t, owner, text, perf_node_str(a, "due"), node_done(a));
		put(p, "</li>\n");
	}
	if (any)
		put(p, "</ul>\n");
	perf_actions_release(&inbody);
	thread_tasks(p, s, path, doc, &t);
}

static int person_page(struct site *s, const char *handle, struct row *row, struct page *p, struct perf_error *err)
{
	struct perf_report_sum sum;
	struct perf_doc *prof = NULL;
	char path[PERF_SCHEMA_PATH_MAX + 1];
	const char *name = NULL, *role = NULL, *lead = NULL;
	int rc;

	if ((rc = perf_report_summarise(s->reports, &s->span, s->today, handle, PERF_REPORT_BODIES, &sum, err))) {
		perf_report_sum_release(&sum);
		return rc;
	}
	row->mood = -1;
	for (size_t k = 0; k < sum.ngoals; k++)
		row->active += !strcmp(sum.goals[k].g->status, "active");
	for (size_t k = 0; k < sum.p.ncheckins; k++)
		if (sum.p.checkins[k].mood >= 0 && perf_report_week_in_span(&s->span, sum.p.checkins[k].week))
			row->mood = sum.p.checkins[k].mood;
	row->checkins = sum.checkins;
	row->streak = sum.streak;
	row->expectations = !sum.r.has_expectations     ? "not written"
	                    : sum.r.expectations_agreed ? "agreed"
	                                                : "not agreed";
	snprintf(path, sizeof(path), "people/%s.md", handle);
	if (perf_store_load(s->repo, NULL, path, &prof, NULL, NULL) == 0) {
		name = perf_doc_str(prof, "name");
		role = perf_doc_str(prof, "role");
		lead = perf_doc_str(prof, "lead");
	}
	page_start(p, "../", name ? name : handle, s->team);
	put(p, "<h1>");
	esc(p, name ? name : handle);
	put(p, "</h1>\n<p class=\"sub\">");
	esc(p, handle);
	if (role) {
		put(p, " · ");
		esc(p, role);
	}
	if (lead) {
		put(p, " · lead ");
		person_link(p, s, lead);
	}
	if (s->span.cycle[0]) {
		put(p, " · cycle ");
		if (perf_strv_has(&s->cycles, s->span.cycle))
			putf(p, "<a href=\"../cycles/%s.html\">%s</a>", s->span.cycle, s->span.cycle);
		else
			put(p, s->span.cycle);
		put(p, ", ");
		when(p, s->span.since, WHEN_DAY);
		put(p, " to ");
		when(p, s->span.until, WHEN_DAY);
	}
	put(p, "</p>\n");
	if (prof) {
		size_t len;
		const char *body = perf_doc_body(prof, &len);
		markdown(p, body, len);
	}
	put(p, "<nav class=\"sub\"><a href=\"#expectations\">Expectations</a> · <a href=\"#goals\">Goals</a> · "
	       "<a href=\"#rhythm\">Check-ins and mood</a> · <a href=\"#checkins\">Check-ins</a> · "
	       "<a href=\"#feedback\">Feedback</a> · <a href=\"#praise\">Praise</a> · <a "
	       "href=\"#notes\">Notes</a></nav>\n");
	expectations_section(p, s, handle);
	goals_section(p, s, &sum);
	rhythm_section(p, s, &sum);
	checkins_section(p, s, &sum);
	folder_section(p, s, "feedback", "Feedback", "feedback", handle, "created", "No feedback asked for.",
	               feedback_doc);
	folder_section(p, s, "praise", "Praise", "praise", handle, "at", "No praise yet.", praise_doc);
	folder_section(p, s, "notes", "Notes", "notes", handle, "date", "No notes.", note_doc);
	page_end(p, s->commit, s->today);
	perf_doc_free(prof);
	perf_report_sum_release(&sum);
	return p->rc ? perf_error(err, PERF_ENOMEM, "out of memory") : 0;
}

/* ---- a cycle's page ---- */

static void week_bars(struct page *p, const struct perf_span *sp, const long *counts, long first, long nweeks,
                      long most)
{
	long bw = 18, h = 110, top = 10, bottom = 24, left = 30;
	long width = left + nweeks * bw + 10;
	char since[32], until[32], machine[32];

	if (!human_when(sp->since, WHEN_SHORT, since, sizeof(since), machine))
		snprintf(since, sizeof(since), "%s", sp->since);
	if (!human_when(sp->until, WHEN_SHORT, until, sizeof(until), machine))
		snprintf(until, sizeof(until), "%s", sp->until);

	if (most < 1)
		most = 1;
	putf(p,
	     "<svg class=\"chart weeks\" viewBox=\"0 0 %ld %ld\" width=\"%ld\" height=\"%ld\" role=\"img\" "
	     "aria-label=\"check-ins by week\">\n<title>check-ins by week, %s to %s</title>\n",
	     width, top + h + bottom, width, top + h + bottom, since, until);
	putf(p, "<text class=\"axis\" x=\"%ld\" y=\"%ld\" text-anchor=\"end\">%ld</text>", left - 6, top + 4, most);
	putf(p, "<text class=\"axis\" x=\"%ld\" y=\"%ld\" text-anchor=\"end\">0</text>\n", left - 6, top + h + 4);
	for (long i = 0; i < nweeks; i++) {
		char week[9];
		long bh = counts[i] * h / most;
		week_of_index(first + i, week);
		putf(p,
		     "<rect class=\"bar\" x=\"%ld\" y=\"%ld\" width=\"%ld\" height=\"%ld\"><title>%s: %ld "
		     "check-in%s</title></rect>\n",
		     left + i * bw + 2, top + h - bh, bw - 4, bh, week, counts[i], counts[i] == 1 ? "" : "s");
		if (i == 0 || i == nweeks - 1)
			putf(p, "<text class=\"axis\" x=\"%ld\" y=\"%ld\" text-anchor=\"%s\">%s</text>\n",
			     i == 0 ? left : left + (i + 1) * bw, top + h + 16, i == 0 ? "start" : "end", week);
	}
	put(p, "</svg>\n");
}

#define MOOD_BAR_W   8
#define MOOD_BAR_H   24
#define MOOD_CHART_W 160

/* A person's mood through a cycle, small enough for a table cell: a bar a week, as high as the mood (1 low to
 * 5 high), none for a week without one; each bar names its week and mood, and the whole its values. */
static void mood_bars(struct page *p, const long *moods, long first, long nweeks)
{
	long shown = 0, sum = 0, width = nweeks * MOOD_BAR_W;
	char week[9];

	for (long i = 0; i < nweeks; i++)
		if (moods[i] >= 0)
			shown++, sum += moods[i];
	if (!shown)
		return;
	putf(p,
	     "<svg class=\"chart moods\" viewBox=\"0 0 %ld %d\" width=\"%ld\" height=\"%d\" "
	     "preserveAspectRatio=\"none\" role=\"img\" aria-label=\"mood by week:",
	     width, MOOD_BAR_H + 2, width < MOOD_CHART_W ? width : MOOD_CHART_W, MOOD_BAR_H + 2);
	for (long i = 0, k = 0; i < nweeks; i++) {
		if (moods[i] < 0)
			continue;
		week_of_index(first + i, week);
		putf(p, "%s %s %ld", k++ ? "," : "", week, moods[i]);
	}
	put(p, "\">\n<title>mood by week, 1 low to 5 high</title>\n");
	for (long i = 0; i < nweeks; i++) {
		long bh = moods[i] * MOOD_BAR_H / 5;
		/* Each week's slot is as high as a mood of 5, so a bar reads against it. */
		putf(p, "<rect class=\"slot\" x=\"%ld\" y=\"1\" width=\"%d\" height=\"%d\"/>", i * MOOD_BAR_W + 1,
		     MOOD_BAR_W - 2, MOOD_BAR_H);
		if (moods[i] < 0)
			continue;
		week_of_index(first + i, week);
		putf(p,
		     "<rect class=\"bar mood-%ld\" x=\"%ld\" y=\"%ld\" width=\"%d\" height=\"%ld\"><title>%s: mood "
		     "%ld</title></rect>\n",
		     moods[i], i * MOOD_BAR_W + 1, MOOD_BAR_H + 1 - bh, MOOD_BAR_W - 2, bh, week, moods[i]);
	}
	put(p, "\n</svg>\n");
	putf(p, "<span class=\"meta\">average %ld.%ld</span>", sum * 10 / shown / 10, sum * 10 / shown % 10);
}

static int cycle_page(struct site *s, const char *id, const struct perf_strv *people, struct page *p,
                      struct perf_error *err)
{
	struct perf_span sp;
	struct perf_doc *doc = NULL;
	char path[PERF_SCHEMA_PATH_MAX + 1], w[9];
	const char *question, *status, *closed;
	long first, last, nweeks, most = 0, *counts, *moods;
	size_t mark, open;
	int rc;

	if ((rc = perf_report_cycle_span(s->repo, id, &sp, err)))
		return rc;
	snprintf(path, sizeof(path), "cycles/%s.md", id);
	if ((rc = perf_store_load(s->repo, NULL, path, &doc, NULL, err)))
		return rc;
	question = perf_doc_str(doc, "question");
	status = perf_doc_str(doc, "status");
	closed = perf_doc_str(doc, "closed");
	page_start(p, "../", id, s->team);
	put(p, "<h1>Cycle ");
	esc(p, id);
	put(p, "</h1>\n<p class=\"sub\">");
	esc(p, question);
	put(p, "</p>\n<p class=\"meta\">");
	when(p, sp.since, WHEN_DAY);
	put(p, " to ");
	when(p, sp.until, WHEN_DAY);
	put(p, " · ");
	esc(p, status ? status : "open");
	if (closed) {
		put(p, " ");
		when(p, closed, WHEN_DAY);
	}
	put(p, "</p>\n");
	mark = p->b.len;
	put(p, "<article class=\"doc\">\n");
	open = p->b.len;
	thread(p, s, path, doc);
	if (!p->rc && p->b.len == open)
		perf_buf_truncate(&p->b, mark);
	else
		put(p, "</article>\n");
	perf_doc_free(doc);

	perf_value_week_of((time_t)perf_report_days(sp.since) * 86400L, w);
	first = week_index(w);
	perf_value_week_of((time_t)perf_report_days(sp.until) * 86400L, w);
	last = week_index(w);
	nweeks = first >= 0 && last >= first ? last - first + 1 : 0;
	if (nweeks > STRIP_MAX_WEEKS)
		nweeks = STRIP_MAX_WEEKS;
	counts = calloc(nweeks ? (size_t)nweeks : 1, sizeof(*counts));
	moods = calloc(nweeks ? (size_t)nweeks : 1, sizeof(*moods));
	if (!counts || !moods) {
		free(counts);
		free(moods);
		return perf_error(err, PERF_ENOMEM, "out of memory");
	}

	put(p,
	    "<section id=\"people\">\n<h2>People</h2>\n<div "
	    "class=\"scroll\"><table>\n<thead><tr><th>Person</th><th>Goals</th>"
	    "<th>Check-ins</th><th>Longest streak</th><th>Mood by week</th><th>Feedback asked / answers</th>"
	    "<th>Praise</th><th>Actions opened / closed / overdue</th><th>Expectations</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < people->n && !p->rc; i++) {
		struct perf_report_sum sum;
		if ((rc = perf_report_summarise(s->reports, &sp, s->today, people->v[i], 0, &sum, err))) {
			perf_report_sum_release(&sum);
			free(counts);
			free(moods);
			return rc;
		}
		put(p, "<tr><td>");
		person_link(p, s, people->v[i]);
		put(p, "</td><td>");
		for (size_t k = 0; k < sum.ngoals; k++) {
			const struct perf_report_goal_sum *g = &sum.goals[k];
			put(p, k ? "<br>" : "");
			esc(p, g->g->title);
			putf(p, ": %ld%% → %ld%%%s%s", g->start, g->end, g->closed ? ", " : "",
			     g->closed ? g->closed : "");
		}
		putf(p, "</td><td class=\"n\">%zu</td><td class=\"n\">%zu</td><td class=\"mood\">", sum.checkins,
		     sum.streak);
		for (long k = 0; k < nweeks; k++)
			moods[k] = -1;
		for (size_t k = 0; k < sum.p.ncheckins; k++) {
			const struct perf_report_checkin *c = &sum.p.checkins[k];
			long idx = week_index(c->week);
			if (!perf_report_week_in_span(&sp, c->week) || idx < first || idx - first >= nweeks)
				continue;
			if (++counts[idx - first] > most)
				most = counts[idx - first];
			if (c->mood >= 1 && c->mood <= 5)
				moods[idx - first] = c->mood;
		}
		mood_bars(p, moods, first, nweeks);
		putf(p,
		     "</td><td class=\"n\">%zu / %zu</td><td class=\"n\">%zu</td><td class=\"n\">%zu / %zu / "
		     "%zu</td><td>",
		     sum.asked, sum.answered, sum.praise, sum.opened, sum.closed, sum.overdue);
		put(p, !sum.r.has_expectations ? "not written" : sum.r.expectations_agreed ? "agreed" : "not agreed");
		put(p, "</td></tr>\n");
		perf_report_sum_release(&sum);
	}
	put(p, "</tbody>\n</table></div>\n</section>\n");
	if (nweeks) {
		put(p, "<section id=\"weeks\">\n<h2>Check-ins by week</h2>\n");
		week_bars(p, &sp, counts, first, nweeks, most);
		put(p, "</section>\n");
	}
	free(counts);
	free(moods);
	page_end(p, s->commit, s->today);
	return p->rc ? perf_error(err, PERF_ENOMEM, "out of memory") : 0;
}

/* ---- the overview ---- */

/* One line of a team document's fields (perf_teamdoc_items), under its heading. */
struct team_lines {
	struct page *p;
	const struct tasks *t;
	struct perf_buf last; /* the last heading, "" before the first */
	bool open;            /* a list is open under it */
};

static int team_line(void *payload, const char *heading, const char *text, const struct perf_teamdoc_task *task)
{
	struct team_lines *l = payload;
	struct page *p = l->p;

	if (strcmp(perf_buf_cstr(&l->last), heading)) {
		put(p, l->open ? "</ul>\n<h4>" : "<h4>");
		esc(p, heading);
		put(p, "</h4>\n");
		l->open = false;
		perf_buf_truncate(&l->last, 0);
		if (perf_buf_puts(&l->last, heading))
			p->rc = PERF_ENOMEM;
	}
	if (!text)
		return p->rc;
	if (!l->open)
		put(p, task ? "<ul class=\"tasks\">\n" : "<ul>\n");
	l->open = true;
	put(p, "<li>");
	if (task && !p->rc)
		p->rc = task_html(&p->b, l->t, task->owner, task->text, task->due, task->done);
	else
		esc(p, text);
	put(p, "</li>\n");
	return p->rc;
}

/* The team's own documents (retros), newest first, with what they say. */
static void team_docs(struct page *p, const struct site *s)
{
	struct perf_teamdocs docs = PERF_TEAMDOCS_INIT;
	struct perf_buf title = PERF_BUF_INIT;
	struct perf_error err;

	if (perf_teamdocs_load(s->repo, NULL, NULL, &docs, &err) && err.code == PERF_ENOMEM)
		p->rc = PERF_ENOMEM;
	put(p, "<section id=\"team\">\n<h2>The team</h2>\n");
	if (!docs.n)
		put(p, "<p>No team documents yet.</p>\n");
	for (size_t i = docs.n; i-- > 0 && !p->rc;) {
		struct tasks t = {NULL,
		                  true,
		                  docs.v[i].kind->actions ? perf_doc_get(docs.v[i].doc, docs.v[i].kind->actions) : NULL,
		                  p->root,
		                  &s->people,
		                  s->today};
		struct team_lines l = {p, &t, PERF_BUF_INIT, false};
		perf_buf_truncate(&title, 0);
		perf_teamdoc_title(&title, &docs.v[i]);
		put(p, "<article class=\"doc\">\n<h3>");
		esc(p, perf_buf_cstr(&title));
		put(p, "</h3>\n<p class=\"meta\">");
		when(p, docs.v[i].date, WHEN_DAY);
		put(p, "</p>\n");
		perf_teamdoc_items(&docs.v[i], team_line, &l);
		if (l.open)
			put(p, "</ul>\n");
		perf_buf_release(&l.last);
		doc_body(p, s, docs.v[i].doc, &t);
		put(p, "</article>\n");
	}
	put(p, "</section>\n");
	perf_buf_release(&title);
	perf_teamdocs_release(&docs);
}

static int index_page(struct site *s, struct page *p, struct perf_error *err)
{
	page_start(p, "", "Overview", s->team);
	put(p, "<h1>");
	esc(p, s->team);
	put(p, "</h1>\n<p class=\"sub\">");
	if (s->span.cycle[0]) {
		putf(p, "Cycle %s, ", s->span.cycle);
		when(p, s->span.since, WHEN_DAY);
		put(p, " to ");
		when(p, s->span.until, WHEN_DAY);
		put(p, " · ");
	}
	put(p, "as of ");
	when(p, s->today, WHEN_DAY);
	put(p, "</p>\n");
	put(p, "<section id=\"people\">\n<h2>People</h2>\n");
	if (!s->people.n)
		put(p, "<p>No people yet.</p>\n");
	else
		put(p,
		    "<div "
		    "class=\"scroll\"><table>\n<thead><tr><th>Person</th><th>Name</th><th>Role</th><th>Lead</"
		    "th><th>Active goals</th>"
		    "<th>Check-ins</th><th>Longest streak</th><th>Latest mood</th><th>Expectations</th></tr></thead>\n"
		    "<tbody>\n");
	for (size_t i = 0; i < s->people.n && !p->rc; i++) {
		const struct row *r = &s->rows[i];
		struct perf_doc *prof = NULL;
		char path[PERF_SCHEMA_PATH_MAX + 1];
		snprintf(path, sizeof(path), "people/%s.md", s->people.v[i]);
		perf_store_load(s->repo, NULL, path, &prof, NULL, NULL);
		put(p, "<tr><td>");
		person_link(p, s, s->people.v[i]);
		put(p, "</td><td>");
		esc(p, prof ? perf_doc_str(prof, "name") : NULL);
		put(p, "</td><td>");
		esc(p, prof ? perf_doc_str(prof, "role") : NULL);
		put(p, "</td><td>");
		if (prof && perf_doc_str(prof, "lead"))
			person_link(p, s, perf_doc_str(prof, "lead"));
		putf(p, "</td><td class=\"n\">%zu</td><td class=\"n\">%zu</td><td class=\"n\">%zu</td><td class=\"n\">",
		     r->active, r->checkins, r->streak);
		if (r->mood >= 0)
			putf(p, "%ld", r->mood);
		putf(p, "</td><td>%s</td></tr>\n", r->expectations);
		perf_doc_free(prof);
	}
	if (s->people.n)
		put(p, "</tbody>\n</table></div>\n");
	put(p, "</section>\n<section id=\"cycles\">\n<h2>Cycles of inquiry</h2>\n");
	if (!s->cycles.n)
		put(p, "<p>No cycles of inquiry.</p>\n");
	else
		put(p, "<div "
		       "class=\"scroll\"><table>\n<thead><tr><th>Cycle</th><th>Question</th><th>From</th><th>Until</"
		       "th><th>Status</th>"
		       "</tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < s->cycles.n && !p->rc; i++) {
		struct perf_doc *doc = NULL;
		char path[PERF_SCHEMA_PATH_MAX + 1];
		snprintf(path, sizeof(path), "cycles/%s.md", s->cycles.v[i]);
		if (perf_store_load(s->repo, NULL, path, &doc, NULL, NULL))
			continue;
		putf(p, "<tr><td><a href=\"cycles/%s.html\">%s</a></td><td>", s->cycles.v[i], s->cycles.v[i]);
		esc(p, perf_doc_str(doc, "question"));
		put(p, "</td><td>");
		when(p, perf_doc_str(doc, "from"), WHEN_DAY);
		put(p, "</td><td>");
		when(p, perf_doc_str(doc, "until"), WHEN_DAY);
		put(p, "</td><td>");
		esc(p, perf_doc_str(doc, "status"));
		put(p, "</td></tr>\n");
		perf_doc_free(doc);
	}
	if (s->cycles.n)
		put(p, "</tbody>\n</table></div>\n");
	put(p, "</section>\n");
	team_docs(p, s);
	page_end(p, s->commit, s->today);
	return p->rc ? perf_error(err, PERF_ENOMEM, "out of memory") : 0;
}

/* ---- the whole site ---- */

static int head_commit(struct site *s, struct perf_error *err)
{
	git_reference *head = NULL;
	git_object *obj = NULL;
	char hex[GIT_OID_HEXSZ + 1];

	if (git_repository_head(&head, s->repo->git)) {
		git_error_clear();
		return perf_error(err, PERF_ENOTFOUND, "nothing committed yet; a site needs a record to show");
	}
	if (git_reference_peel(&obj, head, GIT_OBJECT_COMMIT)) {
		git_reference_free(head);
		return perf_error_git(err, "cannot read HEAD");
	}
	git_oid_tostr(hex, sizeof(hex), git_object_id(obj));
	snprintf(s->commit, sizeof(s->commit), "%.12s", hex);
	perf_value_format_date((time_t)git_commit_time((git_commit *)obj), s->today);
	git_object_free(obj);
	git_reference_free(head);
	return 0;
}

static int emit(struct page *p, const char *path, perf_site_page_fn fn, void *payload, struct perf_error *err)
{
	int rc = fn(path, perf_buf_cstr(&p->b), p->b.len, payload, err);
	perf_buf_release(&p->b);
	p->rc = 0;
	return rc;
}

int perf_site_build(struct perf_repo *repo, const struct perf_site_opts *opts, perf_site_page_fn fn, void *payload,
                    struct perf_error *err)
{
	struct site s;
	struct page p = {PERF_BUF_INIT, 0, ""};
	struct perf_strv all = PERF_STRV_INIT;
	char path[PERF_SCHEMA_PATH_MAX + 1];
	int rc;

	memset(&s, 0, sizeof(s));
	s.repo = repo;
	snprintf(s.span.since, sizeof(s.span.since), "0001-01-01");
	snprintf(s.span.until, sizeof(s.span.until), "9999-12-31");
	if ((rc = head_commit(&s, err)) || (rc = perf_config_load(repo, NULL, &s.cfg, err)))
		goto out;
	s.team = s.cfg->team ? s.cfg->team : "perf";
	if (opts->cycle && (rc = perf_report_cycle_span(repo, opts->cycle, &s.span, err)))
		goto out;
	if (opts->person) {
		if ((rc = perf_store_require_person(repo, NULL, opts->person, err)))
			goto out;
		perf_strv_push(&s.people, opts->person);
	} else if ((rc = perf_report_people(repo, NULL, &s.people, err))) {
		goto out;
	}
	if ((rc = perf_report_team_load(repo, opts->person, &s.reports, err)))
		goto out;
	if (opts->cycle)
		perf_strv_push(&s.cycles, opts->cycle);
	else if ((rc = perf_store_list(repo, NULL, "cycles", &all, err)))
		goto out;
	for (size_t i = 0; i < all.n; i++)
		if (perf_value_is_handle(all.v[i]))
			perf_strv_push(&s.cycles, all.v[i]);

	if (!(s.rows = calloc(s.people.n ? s.people.n : 1, sizeof(*s.rows)))) {
		rc = perf_error(err, PERF_ENOMEM, "out of memory");
		goto out;
	}
	/* The overview comes last: it shows the figures the person pages gathered. */
	for (size_t i = 0; i < s.people.n; i++) {
		snprintf(path, sizeof(path), "people/%s.html", s.people.v[i]);
		if ((rc = person_page(&s, s.people.v[i], &s.rows[i], &p, err)) ||
		    (rc = emit(&p, path, fn, payload, err)))
			goto out;
	}
	for (size_t i = 0; i < s.cycles.n; i++) {
		snprintf(path, sizeof(path), "cycles/%s.html", s.cycles.v[i]);
		if ((rc = cycle_page(&s, s.cycles.v[i], &s.people, &p, err)) || (rc = emit(&p, path, fn, payload, err)))
			goto out;
	}
	if ((rc = index_page(&s, &p, err)) || (rc = emit(&p, "index.html", fn, payload, err)))
		goto out;
out:
	free(s.rows);
	perf_buf_release(&p.b);
	perf_strv_release(&all);
	perf_strv_release(&s.people);
	perf_strv_release(&s.cycles);
	perf_config_free(s.cfg);
	perf_report_team_free(s.reports);
	return rc;
}
