/*
 * perf-format(5) against the schema: for every kind of perf_schema_kinds(),
 * man/perf-format.5.scd has a "## <kind>" section under KINDS, writes the
 * kind's layout in that section and on the kind's line of the LAYOUT
 * table, and has a table row for each top-level field, whose text names
 * every sub-field of a mapping (or of a list or dict of mappings).  The
 * test iterates the table, so a new kind is held to its page without a
 * change here.  The sources are found through PERF_SRC (make check sets
 * it), by default the current folder.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "schema.h"
#include "tap.h"

/* The page, one line per entry, with the lines of fenced examples blanked
 * so that a "## Learned" of an example body is no heading. */
static char **lines;
static size_t nlines;

static int load(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[4096];
	int fenced = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		size_t n = strlen(line);
		char **grown;

		while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (!strncmp(line, "```", 3)) {
			fenced = !fenced;
			line[0] = '\0';
		} else if (fenced && line[0] == '#') {
			line[0] = '\0';
		}
		grown = realloc(lines, (nlines + 1) * sizeof(*lines));
		if (!grown)
			break;
		lines = grown;
		lines[nlines] = strdup(line);
		if (!lines[nlines])
			break;
		nlines++;
	}
	fclose(f);
	return 0;
}

/* The line after the heading exactly equal to heading, or nlines. */
static size_t find_heading(const char *heading, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++)
		if (!strcmp(lines[i], heading))
			return i + 1;
	return nlines;
}

/* The end of the section starting at from: the next heading of this level or above. */
static size_t section_end(size_t from, int level)
{
	for (size_t i = from; i < nlines; i++) {
		int l = 0;

		while (lines[i][l] == '#')
			l++;
		if (l && l <= level && lines[i][l] == ' ')
			return i;
	}
	return nlines;
}

/* name as scdoc needs it in running text: every '_' written "\_". */
static const char *escaped(const char *name)
{
	static char out[256];
	size_t o = 0;

	for (const char *p = name; *p && o + 2 < sizeof(out); p++) {
		if (*p == '_')
			out[o++] = '\\';
		out[o++] = *p;
	}
	out[o] = '\0';
	return out;
}

/* Does the word occur in s, not as part of a longer word? */
static int has_word(const char *s, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = strstr(s, word); p; p = strstr(p + 1, word)) {
		int before = p == s || p[-1] == ' ' || p[-1] == '\t';
		int after = p[n] == '\0' || p[n] == ' ' || p[n] == '\t';

		if (before && after)
			return 1;
	}
	return 0;
}

/* Is text somewhere in lines [from, to)? */
static int mentions(const char *text, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++)
		if (strstr(lines[i], text))
			return 1;
	return 0;
}

/* The text of the table row of field in [from, to): its cells joined, or NULL. */
static struct perf_buf row_buf = PERF_BUF_INIT;

static const char *row_of(const char *field, size_t from, size_t to)
{
	char head[300];

	snprintf(head, sizeof(head), "|  %s", escaped(field));
	for (size_t i = from; i < to; i++) {
		if (strcmp(lines[i], head))
			continue;
		perf_buf_truncate(&row_buf, 0);
		perf_buf_puts(&row_buf, lines[i]);
		/* The cells (":" lines) and their continued lines, up to the next row or a blank line. */
		for (size_t j = i + 1; j < to && lines[j][0] && lines[j][0] != '|'; j++) {
			perf_buf_puts(&row_buf, " ");
			perf_buf_puts(&row_buf, lines[j]);
		}
		return perf_buf_cstr(&row_buf);
	}
	return NULL;
}

/* Every sub-field of f, at any depth, is named "*sub*" in row. */
static void check_subfields(const char *kind, const struct perf_schema_field *f, const char *row)
{
	for (const struct perf_schema_field *s = f->fields; s && s->name; s++) {
		char want[300];

		snprintf(want, sizeof(want), "*%s*", escaped(s->name));
		ok(row && strstr(row, want), "%s: field %s documents its sub-field %s", kind, f->name, s->name);
		if (s->fields)
			check_subfields(kind, s, row);
	}
}

int main(void)
{
	const char *src = getenv("PERF_SRC");
	struct perf_buf path = PERF_BUF_INIT;
	size_t layout, layout_end, kinds, kinds_end;

	perf_buf_printf(&path, "%s/man/perf-format.5.scd", src && *src ? src : ".");
	if (load(path.ptr)) {
		printf("Bail out! cannot read %s (set PERF_SRC to the sources)\n", path.ptr);
		return 1;
	}
	layout = find_heading("# LAYOUT", 0, nlines);
	layout_end = section_end(layout, 1);
	kinds = find_heading("# KINDS", 0, nlines);
	kinds_end = section_end(kinds, 1);
	ok(layout < nlines, "perf-format(5) has a LAYOUT section");
	ok(kinds < nlines, "perf-format(5) has a KINDS section");

	for (const struct perf_schema_kind *const *k = perf_schema_kinds(); *k; k++) {
		const struct perf_schema_kind *kind = *k;
		char heading[300];
		size_t at, end;
		int listed = 0;

		snprintf(heading, sizeof(heading), "## %s", kind->name);
		at = find_heading(heading, kinds, kinds_end);
		end = at < nlines ? section_end(at, 2) : at;
		if (end > kinds_end)
			end = kinds_end;
		ok(at < nlines, "%s: perf-format(5) has a section \"%s\" under KINDS", kind->name, heading);

		ok(kind->layout && *kind->layout, "%s: the schema gives its layout", kind->name);
		if (!kind->layout)
			continue;
		for (size_t i = layout; i < layout_end && !listed; i++)
			listed = strncmp(lines[i], kind->layout, strlen(kind->layout)) == 0 &&
			         (lines[i][strlen(kind->layout)] == ' ' || lines[i][strlen(kind->layout)] == '\0') &&
			         has_word(lines[i] + strlen(kind->layout), kind->name);
		ok(listed, "%s: the LAYOUT table has the line \"%s  %s\"", kind->name, kind->layout, kind->name);
		ok(mentions(kind->layout, at, end), "%s: its section says where it lives: %s", kind->name,
		   kind->layout);

		for (const struct perf_schema_field *f = kind->fields; f && f->name; f++) {
			const char *row = at < nlines ? row_of(f->name, at, end) : NULL;

			ok(row != NULL, "%s: its section has a row for the field %s", kind->name, f->name);
			if (f->fields)
				check_subfields(kind->name, f, row);
		}
	}

	for (size_t i = 0; i < nlines; i++)
		free(lines[i]);
	free(lines);
	perf_buf_release(&path);
	perf_buf_release(&row_buf);
	return tap_done();
}
