#include "areas.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "doc.h"
#include "store.h"

static int nomem(struct perf_error *err)
{
	return perf_error(err, PERF_ENOMEM, "out of memory");
}

void perf_areas_release(struct perf_areas *a)
{
	if (!a)
		return;
	for (size_t i = 0; i < a->n; i++) {
		free(a->v[i].name);
		free(a->v[i].text);
	}
	free(a->v);
	a->v = NULL;
	a->n = 0;
}

/* The body without HTML comments, which hold the template's prompts. */
static int strip_comments(const char *body, size_t len, struct perf_buf *out)
{
	size_t i = 0;

	while (i < len) {
		const char *open = NULL, *close;
		for (size_t k = i; k + 4 <= len; k++)
			if (!memcmp(body + k, "<!--", 4)) {
				open = body + k;
				break;
			}
		if (!open)
			return perf_buf_add(out, body + i, len - i);
		if (perf_buf_add(out, body + i, (size_t)(open - (body + i))))
			return -1;
		close = NULL;
		for (const char *p = open + 4; p + 3 <= body + len; p++)
			if (!memcmp(p, "-->", 3)) {
				close = p;
				break;
			}
		if (!close)
			return 0;
		i = (size_t)(close + 3 - body);
	}
	return 0;
}

/* The title of an item: emphasis marks dropped, cut before ':' or a dash. */
static void title_of(const char *line, size_t n, char *out, size_t size)
{
	size_t o = 0;

	for (size_t i = 0; i < n && o + 1 < size; i++) {
		unsigned char c = (unsigned char)line[i];
		if (c == '*' || c == '`' ||
		    (c == '_' && (i == 0 || i + 1 == n || line[i + 1] == '_' || line[i - 1] == '_')))
			continue;
		if (c == ':' ||
		    (c == ' ' && i + 2 < n && (line[i + 1] == '-' || !strncmp(line + i + 1, "\xE2\x80", 2)) && o > 0))
			break;
		out[o++] = (char)c;
	}
	while (o && (out[o - 1] == ' ' || out[o - 1] == '\t' || out[o - 1] == '.'))
		o--;
	out[o] = '\0';
}

static int add_area(struct perf_areas *a, const char *line, size_t n, bool dev, struct perf_error *err)
{
	char title[256], key[PERF_HANDLE_MAX + 1], want[PERF_HANDLE_MAX + 8];
	struct perf_area *v;
	int dup = 1;

	while (n && (line[n - 1] == ' ' || line[n - 1] == '\r' || line[n - 1] == '\t'))
		n--;
	title_of(line, n, title, sizeof(title));
	if (perf_value_slugify(title, key, NULL))
		return 0;
	snprintf(want, sizeof(want), "%s", key);
	while (perf_areas_index(a, want) >= 0)
		snprintf(want, sizeof(want), "%.*s-%d", PERF_HANDLE_MAX - 4, key, ++dup);
	v = realloc(a->v, (a->n + 1) * sizeof(*v));
	if (!v)
		return nomem(err);
	a->v = v;
	v = &a->v[a->n];
	memset(v, 0, sizeof(*v));
	snprintf(v->key, sizeof(v->key), "%.*s", PERF_HANDLE_MAX, want);
	v->development = dev;
	v->name = strdup(title);
	v->text = strndup(line, n);
	/* Emphasis marks are Markdown's, not the area's words. */
	if (v->text) {
		char *w = v->text;
		for (const char *r = v->text; *r; r++)
			if (*r != '*' && *r != '`' && !(r[0] == '_' && r[1] == '_') &&
			    !(r > v->text && r[-1] == '_' && r[0] == '_'))
				*w++ = *r;
		*w = '\0';
	}
	if (!v->name || !v->text) {
		free(v->name);
		free(v->text);
		return nomem(err);
	}
	a->n++;
	return 0;
}

/* Which section a "## " heading opens: 1 strengths, 2 areas for development, 0 other. */
static int section_of(const char *h, size_t n)
{
	char low[128];
	size_t i;

	for (i = 0; i < n && i + 1 < sizeof(low); i++)
		low[i] = (char)tolower((unsigned char)h[i]);
	low[i] = '\0';
	if (!strncmp(low, "strength", 8))
		return 1;
	if (strstr(low, "development") || !strncmp(low, "growth", 6) || !strncmp(low, "areas to", 8))
		return 2;
	return 0;
}

int perf_areas_parse(struct perf_areas *out, const char *body, size_t len, struct perf_error *err)
{
	struct perf_buf b = PERF_BUF_INIT;
	int section = 0, rc = 0;
	size_t sec_start = 0;
	bool subs = false, fence = false;

	memset(out, 0, sizeof(*out));
	if (strip_comments(body, len, &b) || perf_buf_putc(&b, '\0'))
		return nomem(err);
	for (const char *p = b.ptr; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		size_t n = strcspn(p, "\n");
		if (n >= 3 && (!strncmp(p, "```", 3) || !strncmp(p, "~~~", 3)))
			fence = !fence;
		if (fence)
			continue;
		if (n > 3 && !strncmp(p, "## ", 3)) {
			section = section_of(p + 3, n - 3);
			subs = false;
			sec_start = out->n;
			continue;
		}
		if (!strncmp(p, "# ", 2)) {
			section = 0;
			continue;
		}
		if (!section)
			continue;
		if (n > 4 && !strncmp(p, "### ", 4)) {
			/* Sub-headings name the areas: list items before them in the section were not areas. */
			while (!subs && out->n > sec_start) {
				out->n--;
				free(out->v[out->n].name);
				free(out->v[out->n].text);
			}
			subs = true;
			if ((rc = add_area(out, p + 4, n - 4, section == 2, err)))
				break;
			continue;
		}
		if (subs)
			continue;
		if (n > 2 && (p[0] == '-' || p[0] == '*' || p[0] == '+') && p[1] == ' ') {
			if ((rc = add_area(out, p + 2, n - 2, section == 2, err)))
				break;
		} else if (isdigit((unsigned char)p[0])) {
			size_t d = strspn(p, "0123456789");
			if (d < n && (p[d] == '.' || p[d] == ')') && p[d + 1] == ' ' &&
			    (rc = add_area(out, p + d + 2, n - d - 2, section == 2, err)))
				break;
		}
	}
	perf_buf_release(&b);
	if (rc)
		perf_areas_release(out);
	return rc;
}

int perf_areas_load(struct perf_areas *out, struct perf_repo *repo, struct perf_txn *txn, const char *handle,
                    struct perf_error *err)
{
	char path[PERF_SCHEMA_PATH_MAX + 1];
	struct perf_doc *doc = NULL;
	const char *body;
	size_t blen;
	int rc;

	memset(out, 0, sizeof(*out));
	snprintf(path, sizeof(path), "expectations/%s.md", handle);
	if ((rc = perf_store_load(repo, txn, path, &doc, NULL, err))) {
		if (rc == PERF_ENOTFOUND)
			return perf_error(err, PERF_ENOTFOUND,
			                  "%s has no expectations yet, so there is no area to name; write them with "
			                  "'perf expect %s'",
			                  handle, handle);
		return rc;
	}
	body = perf_doc_body(doc, &blen);
	rc = perf_areas_parse(out, body, blen, err);
	perf_doc_free(doc);
	return rc;
}

int perf_areas_index(const struct perf_areas *a, const char *key)
{
	for (size_t i = 0; i < a->n; i++)
		if (!strcmp(a->v[i].key, key))
			return (int)i;
	return -1;
}

static void list_keys(const struct perf_areas *a, struct perf_buf *b)
{
	for (size_t i = 0; i < a->n; i++)
		perf_buf_printf(b, "%s%s", i ? ", " : "", a->v[i].key);
}

const struct perf_area *perf_areas_find(const struct perf_areas *a, const char *word, const char *handle,
                                        struct perf_error *err)
{
	char slug[PERF_HANDLE_MAX + 1];
	struct perf_buf keys = PERF_BUF_INIT;
	const struct perf_area *hit = NULL;
	size_t n, hits = 0;
	int i;

	if (!a->n) {
		perf_error(err, PERF_ENOTFOUND,
		           "%s's expectations name no strength or area for development yet (list items under "
		           "'## Strengths' and '## Areas for development')",
		           handle);
		return NULL;
	}
	if ((i = perf_areas_index(a, word)) >= 0)
		return &a->v[i];
	if (!perf_value_slugify(word, slug, NULL)) {
		if ((i = perf_areas_index(a, slug)) >= 0)
			return &a->v[i];
		n = strlen(slug);
		for (size_t k = 0; k < a->n; k++)
			if (!strncmp(a->v[k].key, slug, n)) {
				hit = &a->v[k];
				hits++;
			}
		if (hits == 1)
			return hit;
	}
	list_keys(a, &keys);
	perf_error(err, hits ? PERF_EAMBIGUOUS : PERF_ENOTFOUND, "'%s' %s of %s's expectations; areas: %s", word,
	           hits ? "names several areas" : "names no area", handle, keys.ptr ? keys.ptr : "");
	perf_buf_release(&keys);
	return NULL;
}

/* Whether word (n bytes) starts a word of text, whatever the case. */
static bool has_word(const char *text, const char *word, size_t n)
{
	for (const char *p = text; *p; p++) {
		if (p != text && isalnum((unsigned char)p[-1]))
			continue;
		if (!strncasecmp(p, word, n))
			return true;
	}
	return false;
}

bool perf_areas_mentions(const struct perf_area *area, const char *text)
{
	size_t want = 0, got = 0, nlen;
	const char *p = area->name;

	if (!text || !*text)
		return false;
	nlen = strlen(area->name);
	if (nlen && has_word(text, area->name, nlen))
		return true;
	while (*p) {
		size_t n;
		while (*p && !isalnum((unsigned char)*p))
			p++;
		n = 0;
		while (isalnum((unsigned char)p[n]))
			n++;
		if (n >= 5) {
			want++;
			/* A stem: "reviews" and "reviewing" speak of "review". */
			if (has_word(text, p, n > 6 ? n - 2 : n))
				got++;
		}
		p += n;
	}
	return want && got * 2 >= want + (want > 1);
}

int perf_areas_key(struct perf_repo *repo, struct perf_txn *txn, const char *handle, const char *word,
                   char out[PERF_HANDLE_MAX + 1], struct perf_error *err)
{
	struct perf_areas a;
	const struct perf_area *hit;
	int rc;

	out[0] = '\0';
	if ((rc = perf_areas_load(&a, repo, txn, handle, err)))
		return rc;
	if ((hit = perf_areas_find(&a, word, handle, err)))
		snprintf(out, PERF_HANDLE_MAX + 1, "%s", hit->key);
	else
		rc = err ? err->code : PERF_EINVALID;
	perf_areas_release(&a);
	return rc;
}
