/*
 * Unit tests of lib/site's text handling: escaping for HTML text and
 * attributes, and Markdown rendered safely (raw HTML omitted, dangerous
 * links emptied, images turned into links, template prompts and empty
 * sections dropped, oversized bodies shown as escaped text).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "render.h"
#include "site.h"
#include "tap.h"

static char *escaped(const char *s)
{
	struct perf_buf b = PERF_BUF_INIT;

	if (perf_site_escape(&b, s)) {
		perf_buf_release(&b);
		return NULL;
	}
	return perf_buf_detach(&b);
}

static char *md(const char *s)
{
	struct perf_buf b = PERF_BUF_INIT;

	if (perf_site_markdown(&b, s, strlen(s))) {
		perf_buf_release(&b);
		return NULL;
	}
	return perf_buf_detach(&b);
}

/* is_md(MARKDOWN, HTML, DESCRIPTION): MARKDOWN renders as exactly HTML. */
#define is_md(in, want, desc)                                                                                          \
	do {                                                                                                           \
		char *md_s_ = md(in);                                                                                  \
		is_str(md_s_, want, desc);                                                                             \
		free(md_s_);                                                                                           \
	} while (0)

static void test_escape(void)
{
	char *s;

	s = escaped("<b>\"x\" & 'y'</b>");
	is_str(s, "&lt;b&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/b&gt;", "the five characters that matter are escaped");
	free(s);
	s = escaped("a\x01"
	            "b\x1b[31mc\td\ne");
	is_str(s, "a b [31mc\td\ne", "control characters become spaces; tabs and newlines stay");
	free(s);
	s = escaped(NULL);
	is_str(s, "", "NULL is empty");
	free(s);
	s = escaped("café ✓");
	is_str(s, "café ✓", "UTF-8 passes through");
	free(s);
}

static void test_markdown(void)
{
	char *s;

	is_md("## Learned\nTries **beat** hashes.\n", "<h2>Learned</h2>\n<p>Tries <strong>beat</strong> hashes.</p>\n",
	      "Markdown renders");

	s = md("Hi\n\n<script>alert(1)</script>\n\nand <img src=x onerror=alert(2)> too\n");
	ok(s && !strstr(s, "<script") && !strstr(s, "alert") && !strstr(s, "onerror") && !strstr(s, "<img"),
	   "raw HTML blocks and inline tags are left out");
	ok(s && strstr(s, "<!-- raw HTML omitted -->") && strstr(s, "<p>and <!-- raw HTML omitted --> too</p>"),
	   "and marked where they were");
	free(s);

	is_md("[x](javascript:alert(1)) [y](vbscript:z) [z](https://example.com/?a=1&b=\"2\")\n",
	      "<p><a href=\"\">x</a> <a href=\"\">y</a> <a href=\"https://example.com/?a=1&amp;b=%222%22\">z</a></p>\n",
	      "dangerous link schemes lose their target; URLs are escaped");

	is_md("![the plan](https://example.com/plan.png \"Plan\") and ![](x.png)\n",
	      "<p><a href=\"https://example.com/plan.png\" title=\"Plan\">the plan</a> and <a "
	      "href=\"x.png\">image</a></p>\n",
	      "images become links, so a page loads nothing");

	is_md("[![inner](a.png)](b.html) [![](c.png)](d.html) ![![deep](e.png)](f.png)\n",
	      "<p><a href=\"b.html\">inner</a> <a href=\"d.html\">image</a> <a href=\"f.png\">deep</a></p>\n",
	      "an image inside a link (or an image) becomes its description: links never nest");

	is_md("![see [the doc](d.html) here](e.png)\n", "<p><a href=\"e.png\">see the doc here</a></p>\n",
	      "a link inside an image's description is unwrapped");

	is_md("[a ![b <x@example.com> c](i.png) d](l.html)\n", "<p><a href=\"l.html\">a b x@example.com c d</a></p>\n",
	      "also within an image within a link");

	is_md("[see <https://example.com/> now](l.html)\n",
	      "<p><a href=\"l.html\">see https://example.com/ now</a></p>\n", "an autolink within a link becomes text");

	is_md("## What success looks like\n<!-- say what done means -->\n\n## First steps\n\n## Notes\nReal text.\n",
	      "<h2>Notes</h2>\n<p>Real text.</p>\n", "template prompts and the headings they leave empty go");

	is_md("# Title\n## Sub\nText\n## Empty\n", "<h1>Title</h1>\n<h2>Sub</h2>\n<p>Text</p>\n",
	      "a heading over deeper ones stays; an empty last one goes");
}

static void test_large(void)
{
	size_t n = PERF_RENDER_MAX + 10;
	char *big = malloc(n + 1), *s;
	struct perf_buf b = PERF_BUF_INIT;

	if (!big) {
		ok(0, "malloc");
		return;
	}
	memset(big, 'a', n);
	memcpy(big, "<script>", 8);
	big[n] = '\0';
	ok(perf_site_markdown(&b, big, n) == 0, "a body over the limit renders");
	s = b.ptr;
	ok(s && !strncmp(s, "<pre>&lt;script&gt;aaa", 22) && strstr(s, "</pre>\n"), "as escaped preformatted text");
	perf_buf_release(&b);
	free(big);
}

int main(void)
{
	test_escape();
	test_markdown();
	test_large();
	return tap_done();
}
