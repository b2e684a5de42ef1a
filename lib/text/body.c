#include "body.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "error.h"

/* Finds the section: [*start, *end) is its text after the heading line. */
static bool find(const char *body, size_t len, const char *heading, size_t *hstart, size_t *start, size_t *end)
{
	size_t hl = strlen(heading), i = 0;
	bool found = false;

	while (i < len) {
		size_t eol = i;
		while (eol < len && body[eol] != '\n')
			eol++;
		if (eol - i >= 3 && !strncmp(body + i, "## ", 3)) {
			if (found) {
				*end = i;
				return true;
			}
			size_t t = i + 3, te = eol;
			while (te > t && (body[te - 1] == '\r' || body[te - 1] == ' '))
				te--;
			if (te - t == hl && !strncasecmp(body + t, heading, hl)) {
				found = true;
				*hstart = i;
				*start = eol < len ? eol + 1 : eol;
			}
		}
		i = eol < len ? eol + 1 : eol;
	}
	if (found)
		*end = len;
	return found;
}

/* Appends text without HTML comments, trimmed of blank lines at both ends. */
static void strip_comments(const char *s, size_t n, struct perf_buf *out)
{
	size_t from = out->len, i = 0;

	while (i < n) {
		if (n - i >= 4 && !strncmp(s + i, "<!--", 4)) {
			const char *e = NULL;
			for (size_t k = i + 4; k + 3 <= n; k++)
				if (!strncmp(s + k, "-->", 3)) {
					e = s + k + 3;
					break;
				}
			i = e ? (size_t)(e - s) : n;
			continue;
		}
		perf_buf_putc(out, s[i++]);
	}
	/* Trim. */
	{
		size_t a = from, b = out->len;
		while (a < b && isspace((unsigned char)out->ptr[a]))
			a++;
		while (b > a && isspace((unsigned char)out->ptr[b - 1]))
			b--;
		if (b > a)
			memmove(out->ptr + from, out->ptr + a, b - a);
		perf_buf_truncate(out, from + (b - a));
	}
}

bool perf_body_section(const char *body, size_t len, const char *heading, struct perf_buf *out)
{
	size_t h, s, e, before = out->len;

	if (!find(body, len, heading, &h, &s, &e))
		return false;
	strip_comments(body + s, e - s, out);
	return out->len > before;
}

int perf_body_set_section(struct perf_buf *body, const char *heading, const char *text)
{
	struct perf_buf sec = PERF_BUF_INIT;
	size_t h, s, e;
	int rc;

	if (find(perf_buf_cstr(body), body->len, heading, &h, &s, &e)) {
		rc = perf_buf_printf(&sec, "\n%s\n\n", text);
		if (!rc)
			rc = perf_buf_splice(body, s, e - s, sec.ptr, sec.len);
	} else {
		if (body->len && body->ptr[body->len - 1] != '\n')
			perf_buf_putc(body, '\n');
		rc = perf_buf_printf(&sec, "%s## %s\n\n%s\n", body->len ? "\n" : "", heading, text);
		if (!rc)
			rc = perf_buf_add(body, sec.ptr, sec.len);
	}
	/* A section ending the body keeps a single final newline. */
	while (!rc && body->len >= 2 && body->ptr[body->len - 1] == '\n' && body->ptr[body->len - 2] == '\n')
		perf_buf_truncate(body, body->len - 1);
	perf_buf_release(&sec);
	return rc ? PERF_ENOMEM : 0;
}

bool perf_body_has_words(const char *body, size_t len)
{
	struct perf_buf b = PERF_BUF_INIT;
	size_t i = 0;
	bool words = false;

	strip_comments(body, len, &b);
	while (i < b.len && !words) {
		size_t eol = i;
		while (eol < b.len && b.ptr[eol] != '\n')
			eol++;
		if (!(eol - i >= 1 && b.ptr[i] == '#')) {
			for (size_t k = i; k < eol; k++)
				if (!isspace((unsigned char)b.ptr[k])) {
					words = true;
					break;
				}
		}
		i = eol + 1;
	}
	perf_buf_release(&b);
	return words;
}
