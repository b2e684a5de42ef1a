/*
 * Unit tests for lib/team/areas.c and the Markdown escaping of
 * lib/team/packet.c: how an expectations body names its areas (list items,
 * sub-headings, emphasis, comments, duplicates), finding an area by key,
 * name or prefix, text matches, and Markdown that hostile text cannot
 * turn into markup.
 */
#include <string.h>

#include "areas.h"
#include "packet.h"
#include "tap.h"

static const char body[] = "## Role\n"
                           "- Not an area: the role\n"
                           "\n"
                           "## Strengths\n"
                           "<!-- - a prompt, not an area -->\n"
                           "- **Code review**: thorough, kind reviews\n"
                           "* Debugging production issues - calm in incidents\n"
                           "  - a nested item is not an area\n"
                           "Plain words are not an area.\n"
                           "1. Code review\n"
                           "\n"
                           "## Areas for development\n"
                           "- dropped: sub-headings name the areas here\n"
                           "### Public speaking\n"
                           "- not an area either\n"
                           "### Technical leadership\n"
                           "\n"
                           "## How this connects to our ethos\n"
                           "- Learning in the open\n";

int main(void)
{
	struct perf_areas a;
	struct perf_error err;
	struct perf_buf b = PERF_BUF_INIT;
	const struct perf_area *hit;

	ok(perf_areas_parse(&a, body, strlen(body), &err) == 0, "a body parses");
	is_int(a.n, 5, "five areas: three list items, two sub-headings");
	is_str(a.v[0].key, "code-review", "the key is the slug of the title");
	is_str(a.v[0].name, "Code review", "the name drops emphasis and what follows the colon");
	is_str(a.v[0].text, "Code review: thorough, kind reviews", "the text drops emphasis marks");
	ok(!a.v[0].development, "a strength");
	is_str(a.v[1].name, "Debugging production issues", "a spaced dash ends the name");
	is_str(a.v[2].key, "code-review-2", "a second area of the same name takes -2");
	is_str(a.v[3].key, "public-speaking", "sub-headings name the areas for development");
	ok(a.v[3].development, "an area for development");
	is_str(a.v[4].key, "technical-leadership", "the last sub-heading");

	hit = perf_areas_find(&a, "technical-leadership", "ari", &err);
	ok(hit == &a.v[4], "found by key");
	hit = perf_areas_find(&a, "Public Speaking", "ari", &err);
	ok(hit == &a.v[3], "found by name, whatever the case");
	hit = perf_areas_find(&a, "debug", "ari", &err);
	ok(hit == &a.v[1], "found by the start of a key");
	hit = perf_areas_find(&a, "code", "ari", &err);
	ok(!hit && err.code == PERF_EAMBIGUOUS, "an ambiguous start is refused");
	hit = perf_areas_find(&a, "cooking", "ari", &err);
	ok(!hit && err.code == PERF_ENOTFOUND && strstr(err.msg, "code-review, debugging-production-issues"),
	   "an unknown area is refused with the keys: %s", err.msg);

	ok(perf_areas_mentions(&a.v[0], "I asked for CODE REVIEW help"), "the name, whatever the case");
	ok(perf_areas_mentions(&a.v[1], "debugging the production outage"), "most of the longer words");
	ok(!perf_areas_mentions(&a.v[1], "production went fine"), "not half of them");
	ok(!perf_areas_mentions(&a.v[4], "technically"), "a word inside another is no match");
	perf_areas_release(&a);

	ok(perf_areas_parse(&a, "no sections at all\n- item\n", 24, &err) == 0 && a.n == 0,
	   "a body without the sections names no area");
	hit = perf_areas_find(&a, "x", "ari", &err);
	ok(!hit && strstr(err.msg, "name no strength"), "and finding one says so");
	perf_areas_release(&a);

	perf_packet_md_escape(&b, "<script>x</script> *a* [l](u) #h", 0);
	is_str(perf_buf_cstr(&b), "\\<script\\>x\\</script\\> \\*a\\* \\[l\\]\\(u\\) \\#h", "markup is escaped");
	b.len = 0;
	perf_packet_md_escape(&b, "- item\n1. two\n+ x = y - z\x1b[31m", 2);
	is_str(perf_buf_cstr(&b), "\\- item\n  1\\. two\n  \\+ x = y - z\\[31m",
	       "list markers at the start of a line are escaped, controls dropped, lines indented");
	perf_buf_release(&b);
	return tap_done();
}
