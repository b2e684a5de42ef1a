#include "packet.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "site.h"

/* One writer for both formats: literal text is perf's own, txt() is the repository's. */
struct pw {
	struct perf_buf *b;
	bool html;
	int depth; /* open lists */
	int rc;
};

static void lit(struct pw *w, const char *s)
{
	if (!w->rc && perf_buf_puts(w->b, s))
		w->rc = -1;
}

static void litf(struct pw *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void litf(struct pw *w, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (!w->rc && perf_buf_vprintf(w->b, fmt, ap))
		w->rc = -1;
	va_end(ap);
}

int perf_packet_md_escape(struct perf_buf *out, const char *text, int indent)
{
	const unsigned char *p = (const unsigned char *)(text ? text : "");
	bool bol = true, digits = false;

	for (; *p; p++) {
		bool esc = false;
		if (*p == '\n') {
			if (perf_buf_putc(out, '\n') || perf_buf_printf(out, "%*s", indent, ""))
				return -1;
			bol = true;
			digits = false;
			continue;
		}
		if ((*p < 0x20 && *p != '\t') || *p == 0x7f)
			continue;
		/* C1 controls (U+0080-U+009F in UTF-8) could drive a terminal that shows the file. */
		if (*p == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F) {
			p++;
			continue;
		}
		switch (*p) {
		case '\\':
		case '`':
		case '*':
		case '_':
		case '[':
		case ']':
		case '<':
		case '>':
		case '#':
		case '|':
		case '~':
		case '&':
		case '!':
		case '(':
		case ')':
		case '{':
		case '}':
			esc = true;
			break;
		case '-':
		case '+':
		case '=':
			esc = bol;
			break;
		case '.':
			esc = digits; /* "1." would start a list */
			break;
		}
		if ((esc && perf_buf_putc(out, '\\')) || perf_buf_putc(out, (char)*p))
			return -1;
		digits = (bol || digits) && *p >= '0' && *p <= '9';
		if (*p != ' ' && *p != '\t')
			bol = false;
	}
	return 0;
}

/* Hostile text, one line or many. */
static void txt(struct pw *w, const char *s)
{
	if (w->rc)
		return;
	if (w->html)
		w->rc = perf_site_escape(w->b, s) ? -1 : 0;
	else
		w->rc = perf_packet_md_escape(w->b, s, 2 * (w->depth ? w->depth : 0)) ? -1 : 0;
}

static void heading(struct pw *w, int level, const char *id, const char *title)
{
	if (w->html)
		litf(w, "<h%d id=\"%s\">%s</h%d>\n", level, id, title, level);
	else
		litf(w, "%s%.*s %s\n\n", w->b->len >= 2 && !memcmp(w->b->ptr + w->b->len - 2, "\n\n", 2) ? "" : "\n",
		     level, "######", title);
}

static void ul_open(struct pw *w)
{
	if (w->html)
		lit(w, "<ul>\n");
	w->depth++;
}

static void ul_close(struct pw *w)
{
	w->depth--;
	if (w->html)
		lit(w, "</ul>\n");
}

static void li_open(struct pw *w)
{
	if (w->html)
		lit(w, "<li>");
	else
		litf(w, "%*s- ", 2 * (w->depth - 1), "");
}

static void li_close(struct pw *w)
{
	lit(w, w->html ? "</li>\n" : "\n");
}

/* A block of words inside the current item. */
static void words(struct pw *w, const char *s)
{
	if (!s)
		return;
	if (w->html) {
		lit(w, "<div class=\"words\">");
		txt(w, s);
		lit(w, "</div>");
	} else {
		litf(w, "\n%*s", 2 * w->depth, "");
		txt(w, s);
	}
}

static void commit(struct pw *w, const char *id);

/* The commit behind an item, and a warning when the team's rules refuse a commit that wrote it. */
static void item_commit(struct pw *w, const struct perf_growth_item *it)
{
	commit(w, it->commit);
	if (it->distrusted)
		lit(w, w->html ? " <strong class=\"unverified\">NOT VERIFIED: written by a commit the team's rules "
		                 "refuse (perf verify)</strong>"
		               : " **NOT VERIFIED: written by a commit the team's rules refuse (perf verify)**");
}

static void commit(struct pw *w, const char *id)
{
	if (!id || !id[0])
		return;
	if (w->html)
		litf(w, " <code class=\"commit\" title=\"commit %s\">%.10s</code>", id, id);
	else
		litf(w, " (commit `%.10s`)", id);
}

static void strong(struct pw *w, const char *s)
{
	lit(w, w->html ? "<strong>" : "**");
	txt(w, s);
	lit(w, w->html ? "</strong>" : "**");
}

static void area_tag(struct pw *w, const struct perf_growth *g, int i)
{
	if (i < 0)
		return;
	lit(w, w->html ? " <span class=\"area\">" : " [");
	txt(w, g->areas.v[i].name);
	lit(w, w->html ? "</span>" : "]");
}

static const char css[] =
    "body{font:15px/1.5 system-ui,sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem;color:#222}"
    "h1{font-size:1.6rem}h2{border-bottom:1px solid #ccc;margin-top:2rem}h3{margin-bottom:.3rem}"
    "ul{padding-left:1.3rem}li{margin:.3rem 0}.words{white-space:pre-wrap;color:#333;margin:.2rem 0 .4rem}"
    ".commit{font-size:.8rem;color:#666}.area{font-size:.8rem;background:#eef;border-radius:3px;padding:0 .3rem}"
    ".meta{color:#555}.none{color:#777;font-style:italic}.unverified{color:#a00}"
    "body{overflow-wrap:anywhere}"
    "@media print{body{font-size:11pt;max-width:none;margin:0}h2{page-break-after:avoid;break-after:avoid}"
    "li,.words{page-break-inside:avoid;break-inside:avoid}a{color:inherit;text-decoration:none}"
    ".area{border:1px solid #999;background:none}}\n";

static void none(struct pw *w, const char *literal)
{
	if (w->html)
		litf(w, "<p class=\"none\">%s</p>\n", literal);
	else
		litf(w, "_%s_\n", literal);
}

static void section_expectations(struct pw *w, const struct perf_growth *g)
{
	heading(w, 2, "expectations", "Expectations");
	if (!g->has_expectations) {
		none(w, "No expectations written yet.");
		return;
	}
	lit(w, w->html ? "<p class=\"meta\">" : "");
	lit(w, "Lead: ");
	txt(w, g->lead);
	if (g->role) {
		lit(w, " · Role: ");
		txt(w, g->role);
	}
	lit(w, w->html ? "<br>" : "  \n");
	if (g->agreed_who.n) {
		lit(w, "Agreed, in their current version, by ");
		for (size_t i = 0; i < g->agreed_who.n; i++) {
			lit(w, i ? ", " : "");
			txt(w, g->agreed_who.v[i]);
			litf(w, " (%.10s)", g->agreed_at.v[i]);
		}
	} else {
		lit(w, "Not agreed yet in their current version.");
	}
	lit(w, w->html ? "</p>\n" : "\n");
	for (int dev = 0; dev < 2; dev++) {
		bool any = false;
		heading(w, 3, dev ? "development" : "strengths", dev ? "Areas for development" : "Strengths");
		ul_open(w);
		for (size_t i = 0; i < g->areas.n; i++) {
			if (g->areas.v[i].development != (dev == 1))
				continue;
			any = true;
			li_open(w);
			txt(w, g->areas.v[i].text);
			lit(w, w->html ? " <code>" : " (`");
			txt(w, g->areas.v[i].key);
			lit(w, w->html ? "</code>" : "`)");
			li_close(w);
		}
		ul_close(w);
		if (!any)
			none(w, "None named.");
	}
	heading(w, 3, "agreement", "Agreement history");
	ul_open(w);
	for (size_t i = 0; i < g->nhistory; i++) {
		li_open(w);
		litf(w, "%s ", g->history[i].date);
		txt(w, g->history[i].words);
		commit(w, g->history[i].commit);
		li_close(w);
	}
	ul_close(w);
	if (!g->nhistory)
		none(w, "No commits found.");
}

static size_t count(const struct perf_growth *g, enum perf_growth_what what)
{
	size_t n = 0;
	for (size_t i = 0; i < g->nitems; i++)
		n += g->items[i].what == what;
	return n;
}

static void section_goals(struct pw *w, const struct perf_growth *g)
{
	heading(w, 2, "goals", "Goals and how they moved");
	ul_open(w);
	for (size_t i = 0; i < g->nitems; i++) {
		const struct perf_growth_item *it = &g->items[i];
		if (it->what != PERF_GROWTH_GOAL)
			continue;
		li_open(w);
		strong(w, it->title);
		lit(w, " (");
		txt(w, it->slug);
		lit(w, ", ");
		txt(w, it->status);
		if (it->due[0]) {
			lit(w, ", due ");
			txt(w, it->due);
		}
		lit(w, ")");
		area_tag(w, g, it->area);
		if (it->start >= 0 && it->end >= 0 && it->start != it->end)
			litf(w, ": %ld%% → %ld%%", it->start, it->end);
		else if (it->end >= 0)
			litf(w, ": %ld%%", it->end);
		if (it->closed_in_span)
			litf(w, ", %s in this period", it->status);
		item_commit(w, it);
		if (it->nsupport) {
			lit(w, w->html ? "<ul>" : "");
			w->depth++;
			for (size_t k = 0; k < it->nsupport; k++) {
				if (w->html)
					lit(w, "<li>");
				else
					litf(w, "\n%*s- ", 2 * (w->depth - 1), "");
				lit(w, "Support promised by ");
				txt(w, it->support[k].who);
				lit(w, ": ");
				txt(w, it->support[k].what);
				if (it->support[k].given[0]) {
					lit(w, " — given ");
					txt(w, it->support[k].given);
				} else {
					lit(w, " — not given yet");
				}
				lit(w, w->html ? "</li>" : "");
			}
			w->depth--;
			lit(w, w->html ? "</ul>" : "");
		}
		li_close(w);
	}
	ul_close(w);
	if (!count(g, PERF_GROWTH_GOAL))
		none(w, "No goal was alive in this period.");
}

static void section_learnings(struct pw *w, const struct perf_growth *g)
{
	size_t n = 0, works = 0;

	heading(w, 2, "learnings", "What I learned (check-ins)");
	ul_open(w);
	for (size_t i = 0; i < g->nitems; i++) {
		const struct perf_growth_item *it = &g->items[i];
		if (it->what != PERF_GROWTH_LEARNING)
			continue;
		works += it->nwork;
		if (!it->text)
			continue;
		n++;
		li_open(w);
		strong(w, it->title);
		litf(w, " (%s)", it->date);
		area_tag(w, g, it->area);
		item_commit(w, it);
		words(w, it->text);
		li_close(w);
	}
	ul_close(w);
	if (!n)
		none(w, "No learning written in this period.");
	heading(w, 2, "work", "Work gathered");
	ul_open(w);
	for (size_t i = 0; i < g->nitems; i++) {
		const struct perf_growth_item *it = &g->items[i];
		for (size_t k = 0; it->what == PERF_GROWTH_LEARNING && k < it->nwork; k++) {
			const struct perf_growth_work *wk = &it->work[k];
			li_open(w);
			txt(w, it->title);
			lit(w, " · ");
			if (wk->repo) {
				txt(w, wk->repo);
				lit(w, ": ");
			}
			txt(w, wk->subject ? wk->subject : "");
			if (wk->commit) {
				lit(w, w->html ? " <code class=\"commit\">" : " (commit `");
				txt(w, wk->commit);
				lit(w, w->html ? "</code>" : "`)");
			}
			li_close(w);
		}
	}
	ul_close(w);
	if (!works)
		none(w, "No work listed in check-ins in this period.");
}

static void voice_item(struct pw *w, const struct perf_growth *g, const struct perf_growth_item *it)
{
	li_open(w);
	litf(w, "%s, from ", it->date);
	strong(w, it->who);
	if (it->what == PERF_GROWTH_ANSWER && it->title) {
		lit(w, " on “");
		txt(w, it->title);
		lit(w, "”");
	}
	if (it->private_)
		lit(w, " (private: you are among its readers)");
	area_tag(w, g, it->area);
	item_commit(w, it);
	words(w, it->text);
	li_close(w);
}

static void section_feedback(struct pw *w, const struct perf_growth *g)
{
	heading(w, 2, "feedback", "Feedback answers");
	ul_open(w);
	for (size_t i = 0; i < g->nitems; i++)
		if (g->items[i].what == PERF_GROWTH_ANSWER)
			voice_item(w, g, &g->items[i]);
	ul_close(w);
	if (!count(g, PERF_GROWTH_ANSWER))
		none(w, "No feedback answer in this period.");
}

static void section_praise(struct pw *w, const struct perf_growth *g)
{
	const char *values[64];
	size_t nv = 0;
	bool other = false;

	heading(w, 2, "praise", "Praise: who sings your songs");
	if (!count(g, PERF_GROWTH_PRAISE)) {
		none(w, "No praise in this period.");
		return;
	}
	heading(w, 3, "praise-values", "By value");
	for (size_t i = 0; i < g->nitems; i++) {
		const struct perf_growth_item *it = &g->items[i];
		bool seen = false;
		if (it->what != PERF_GROWTH_PRAISE)
			continue;
		if (!it->title) {
			other = true;
			continue;
		}
		for (size_t k = 0; k < nv; k++)
			seen |= !strcmp(values[k], it->title);
		if (!seen && nv < sizeof(values) / sizeof(values[0]))
			values[nv++] = it->title;
	}
	for (size_t k = 0; k <= nv; k++) {
		if (k == nv && !other)
			break;
		lit(w, w->html                                                           ? "<h4>"
		       : w->b->len >= 2 && !memcmp(w->b->ptr + w->b->len - 2, "\n\n", 2) ? "#### "
		                                                                         : "\n#### ");
		if (k < nv)
			txt(w, values[k]);
		else
			lit(w, "No value named");
		lit(w, w->html ? "</h4>\n" : "\n\n");
		ul_open(w);
		for (size_t i = 0; i < g->nitems; i++) {
			const struct perf_growth_item *it = &g->items[i];
			if (it->what == PERF_GROWTH_PRAISE &&
			    (k < nv ? it->title && !strcmp(it->title, values[k]) : !it->title))
				voice_item(w, g, it);
		}
		ul_close(w);
	}
	heading(w, 3, "praise-areas", "By expectation area");
	for (int a = -1; a < (int)g->areas.n; a++) {
		size_t n = 0;
		for (size_t i = 0; i < g->nitems; i++)
			n += g->items[i].what == PERF_GROWTH_PRAISE && g->items[i].area == a;
		if (!n)
			continue;
		lit(w, w->html                                                           ? "<h4>"
		       : w->b->len >= 2 && !memcmp(w->b->ptr + w->b->len - 2, "\n\n", 2) ? "#### "
		                                                                         : "\n#### ");
		if (a >= 0)
			txt(w, g->areas.v[a].name);
		else
			lit(w, "No area named");
		lit(w, w->html ? "</h4>\n" : "\n\n");
		ul_open(w);
		for (size_t i = 0; i < g->nitems; i++)
			if (g->items[i].what == PERF_GROWTH_PRAISE && g->items[i].area == a)
				voice_item(w, g, &g->items[i]);
		ul_close(w);
	}
}

size_t perf_packet_ask(const struct perf_growth *g, int a, const char **out, size_t max)
{
	size_t n = 0;

	for (size_t v = 0; v < g->voices.n && n < max; v++) {
		bool spoke = false;
		for (size_t i = 0; i < g->nitems; i++)
			spoke |= g->items[i].area == a && !strcmp(g->items[i].who, g->voices.v[v]) &&
			         (g->items[i].what == PERF_GROWTH_ANSWER || g->items[i].what == PERF_GROWTH_PRAISE);
		/* Those asked already and yet to answer are waited for, not asked again. */
		for (size_t r = 0; r < g->nrequests; r++)
			spoke |= g->requests[r].area == a && perf_strv_has(&g->requests[r].waiting, g->voices.v[v]);
		if (!spoke)
			out[n++] = g->voices.v[v];
	}
	return n;
}

static void section_silence(struct pw *w, const struct perf_growth *g)
{
	size_t n = 0;

	heading(w, 2, "silence", "Areas without an outside voice");
	ul_open(w);
	for (size_t a = 0; a < g->areas.n; a++) {
		const char *ask[5];
		size_t nask;
		if (perf_growth_voiced(g, (int)a))
			continue;
		n++;
		li_open(w);
		strong(w, g->areas.v[a].name);
		lit(w, ": no feedback answer or praise in this period.");
		for (size_t r = 0; r < g->nrequests; r++) {
			if (g->requests[r].area != (int)a)
				continue;
			lit(w, " Asked ");
			for (size_t k = 0; k < g->requests[r].waiting.n; k++) {
				lit(w, k ? ", " : "");
				txt(w, g->requests[r].waiting.v[k]);
			}
			litf(w, " on %s; no answer yet.", g->requests[r].created);
		}
		nask = perf_packet_ask(g, (int)a, ask, 5);
		if (nask) {
			lit(w, " Whom to ask: ");
			for (size_t k = 0; k < nask; k++) {
				lit(w, k ? ", " : "");
				txt(w, ask[k]);
			}
			lit(w, w->html ? " (<code>perf ask " : " (`perf ask ");
			for (size_t k = 0; k < nask; k++) {
				txt(w, ask[k]);
				lit(w, " ");
			}
			lit(w, "--area ");
			txt(w, g->areas.v[a].key);
			lit(w, " --about …");
			lit(w, w->html ? "</code>)" : "`)");
		}
		li_close(w);
	}
	ul_close(w);
	if (!n)
		none(w, g->areas.n ? "Every area heard an outside voice in this period." : "No area to speak to.");
}

int perf_packet_render(struct perf_buf *out, const struct perf_growth *g, enum perf_packet_format format,
                       const char *name, const char *made, struct perf_error *err)
{
	struct pw w = {out, format == PERF_PACKET_HTML, 0, 0};

	if (w.html) {
		lit(&w, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src "
		        "'unsafe-inline'\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		        "<title>Review packet: ");
		txt(&w, name ? name : g->handle);
		litf(&w, ", %s to %s</title>\n<style>%s</style>\n</head>\n<body>\n<h1>Review packet: ", g->span.since,
		     g->span.until, css);
	} else {
		lit(&w, "# Review packet: ");
	}
	if (name) {
		txt(&w, name);
		lit(&w, " (");
		txt(&w, g->handle);
		lit(&w, ")");
	} else {
		txt(&w, g->handle);
	}
	litf(&w, ", %s to %s", g->span.since, g->span.until);
	lit(&w, w.html ? "</h1>\n<p class=\"meta\">" : "\n\n");
	lit(&w, "Made by ");
	txt(&w, g->viewer);
	litf(&w,
	     " on %s with perf packet, from the team's record: every item is dated, and ids are the commits "
	     "that wrote it.",
	     made);
	lit(&w, w.html ? "</p>\n" : "\n");
	section_expectations(&w, g);
	section_goals(&w, g);
	section_learnings(&w, g);
	section_feedback(&w, g);
	section_praise(&w, g);
	section_silence(&w, g);
	if (w.html)
		lit(&w, "</body>\n</html>\n");
	if (w.rc)
		return perf_error(err, PERF_ENOMEM, "out of memory");
	return 0;
}
