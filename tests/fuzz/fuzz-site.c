/*
 * libFuzzer target for lib/site.c: render any bytes as a body the way a
 * page shows it, and check that nothing active comes out: no script, style,
 * image, frame, object or form element, no event handler, src or style
 * attribute, no javascript:, vbscript:, file: or data: (but images) link
 * target, and links that never nest.  Escaping
 * of any bytes must leave no '<', '>' or quote.  Aborts on any violation.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "site.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int cond, const char *what)
{
	if (!cond) {
		fprintf(stderr, "violated: %s\n", what);
		abort();
	}
}

/* Whether s holds needle, ignoring ASCII case. */
static int has(const char *s, const char *needle)
{
	size_t n = strlen(needle);

	for (; *s; s++)
		if (!strncasecmp(s, needle, n))
			return 1;
	return 0;
}

/* Checks one tag (p at its '<'), as cmark's renderer writes them: a name, then
 * attributes whose values are double-quoted.  Returns the end of the tag. */
static const char *check_tag(const char *p)
{
	p++;
	if (*p == '!') /* a comment: "<!-- raw HTML omitted -->" */
		return strstr(p, "-->") ? strstr(p, "-->") + 3 : p + strlen(p);
	while (*p && !isspace((unsigned char)*p) && *p != '>')
		p++;
	while (*p && *p != '>') {
		const char *name;
		size_t n;
		while (isspace((unsigned char)*p) || *p == '/')
			p++;
		name = p;
		while (*p && *p != '=' && *p != '>' && !isspace((unsigned char)*p))
			p++;
		n = (size_t)(p - name);
		check(!(n >= 2 && !strncasecmp(name, "on", 2)), "event handler attribute");
		check(!(n == 3 && !strncasecmp(name, "src", 3)), "src attribute");
		check(!(n == 5 && !strncasecmp(name, "style", 5)), "style attribute");
		if (*p == '=') {
			p++;
			check(*p == '"', "unquoted attribute value");
			if (n == 4 && !strncmp(name, "href", 4))
				check(strncasecmp(p + 1, "javascript:", 11) && strncasecmp(p + 1, "vbscript:", 9) &&
				          strncasecmp(p + 1, "file:", 5) &&
				          (strncasecmp(p + 1, "data:", 5) || !strncasecmp(p + 1, "data:image/", 11)),
				      "dangerous link target");
			p = strchr(p + 1, '"');
			check(p != NULL, "unterminated attribute value");
			p++;
		}
	}
	return p;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const bad[] = {"<script", "<style", "<img", "<iframe", "<object", "<embed",
	                                  "<form",   "<svg",   "<link", "<meta",   NULL};
	struct perf_buf b = PERF_BUF_INIT;
	char *text;
	int depth = 0;

	if (perf_site_markdown(&b, (const char *)data, size) == 0 && b.ptr) {
		for (size_t i = 0; bad[i]; i++)
			check(!has(b.ptr, bad[i]), bad[i]);
		/* Tags come only from cmark's renderer ('<' in text is escaped): check each. */
		for (const char *p = b.ptr; (p = strchr(p, '<'));) {
			if (!strncmp(p, "<a ", 3) || !strncmp(p, "<a>", 3))
				check(++depth == 1, "links nest");
			else if (!strncmp(p, "</a>", 4))
				depth--;
			p = check_tag(p);
		}
	}
	perf_buf_release(&b);

	text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (perf_site_escape(&b, text) == 0 && b.ptr)
		check(!strpbrk(b.ptr, "<>\"'"), "escaped text holds < > or a quote");
	perf_buf_release(&b);
	free(text);
	return 0;
}
