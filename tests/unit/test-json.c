/*
 * Unit tests for lib/json.c: string literals as every --json output writes
 * them (escapes, control characters, C1 controls, UTF-8 passed through),
 * keys and booleans.
 */
#include <stdio.h>
#include <stdlib.h>

#include "json.h"
#include "tap.h"

/* What fn wrote, as a string the caller frees. */
static char *written(void (*fn)(FILE *, const char *), const char *s)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return NULL;
	fn(f, s);
	fclose(f);
	return text;
}

static void check(void (*fn)(FILE *, const char *), const char *s, const char *want, const char *name)
{
	char *got = written(fn, s);

	is_str(got, want, "%s", name);
	free(got);
}

static void write_true(FILE *f, const char *s)
{
	(void)s;
	perf_json_bool(f, true);
}

static void write_false(FILE *f, const char *s)
{
	(void)s;
	perf_json_bool(f, false);
}

int main(void)
{
	check(perf_json_str, NULL, "null", "NULL is null");
	check(perf_json_str, "", "\"\"", "the empty string");
	check(perf_json_str, "plain words", "\"plain words\"", "plain text is quoted");
	check(perf_json_str, "say \"hi\" \\ bye", "\"say \\\"hi\\\" \\\\ bye\"", "quote and backslash are escaped");
	check(perf_json_str, "a\nb\rc\td", "\"a\\nb\\rc\\td\"", "newline, return and tab have short escapes");
	check(perf_json_str, "\x01\x1b[2J\x1f\x7f", "\"\\u0001\\u001b[2J\\u001f\\u007f\"",
	      "other C0 controls and DEL are \\u escapes");
	check(perf_json_str,
	      "x\xc2\x9b"
	      "31m\xc2\x80",
	      "\"x\\u009b31m\\u0080\"", "C1 controls are \\u escapes");
	check(perf_json_str, "caf\xc3\xa9 \xc2\xa0 \xe2\x82\xac \xf0\x9f\x8e\x89",
	      "\"caf\xc3\xa9 \xc2\xa0 \xe2\x82\xac \xf0\x9f\x8e\x89\"", "other UTF-8 passes as it is");
	check(perf_json_str, "bad \xff\xc2", "\"bad \xff\xc2\"", "bytes that are not UTF-8 pass as they are");
	check(perf_json_key, "due", "\"due\": ", "a key and its colon");
	check(perf_json_key, "a\"b", "\"a\\\"b\": ", "a key is escaped as a string");
	check(write_true, NULL, "true", "true");
	check(write_false, NULL, "false", "false");
	return tap_done();
}
