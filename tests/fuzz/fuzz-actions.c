/*
 * libFuzzer target for lib/actions.c: parse any bytes as a note body (with
 * and without a default owner) and check every action it returns: a valid
 * owner handle, a valid date or none, one non-empty line of text, a box
 * that points between [ and ], a line inside the body; ids that are valid
 * and unique; and that formatting each action parses back to the same
 * owner, text, due date and state.  Aborts on any violation.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actions.h"
#include "value.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool cond, const char *what)
{
	if (!cond) {
		fprintf(stderr, "violated: %s\n", what);
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *body = (const char *)data;
	struct perf_actions a = PERF_ACTIONS_INIT;
	struct perf_error err;
	size_t lines = 1, problems = 0;
	const char *def = size && (data[0] & 1) ? "ari" : NULL;

	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';
	if (perf_actions_parse(&a, body, size, def, NULL, NULL, &problems, &err))
		goto out;
	for (size_t i = 0; i < a.n; i++) {
		const struct perf_action *x = &a.v[i];
		check(perf_value_is_handle(x->owner), "owner is a handle");
		check(!x->due[0] || perf_value_parse_date(x->due, NULL, NULL, NULL, NULL) == 0, "due is a date");
		check(x->text && x->text[0] && !strchr(x->text, '\n') && !strchr(x->text, '\r'), "text is one line");
		check(x->text[0] != ' ' && x->text[strlen(x->text) - 1] != ' ', "text is trimmed");
		check(x->box > 0 && x->box + 1 < size + 1 && body[x->box - 1] == '[' && body[x->box + 1] == ']',
		      "box between [ and ]");
		check(x->done == (body[x->box] != ' '), "done follows the box");
		check(x->line >= 1 && x->line <= lines, "line inside the body");
		check(!x->owner_default || (def && !strcmp(x->owner, def)), "default owner");
		check(i == 0 || x->line > a.v[i - 1].line, "items in order, one per line");
	}
	if (perf_actions_assign_ids(&a, NULL, NULL, &err) == 0) {
		for (size_t i = 0; i < a.n; i++) {
			check(perf_value_is_handle(a.v[i].id), "id is a handle");
			for (size_t k = 0; k < i; k++)
				check(strcmp(a.v[i].id, a.v[k].id) != 0, "ids are unique");
		}
	}
	for (size_t i = 0; i < a.n; i++) {
		struct perf_actions b = PERF_ACTIONS_INIT;
		struct perf_buf line = PERF_BUF_INIT;
		size_t p2 = 0;
		if (perf_actions_format(&line, &a.v[i]) == 0 &&
		    perf_actions_parse(&b, line.ptr, line.len, NULL, NULL, NULL, &p2, &err) == 0) {
			check(p2 == 0 && b.n == 1, "a formatted action parses alone");
			check(!strcmp(b.v[0].owner, a.v[i].owner), "round trip: owner");
			check(!strcmp(b.v[0].text, a.v[i].text), "round trip: text");
			check(!strcmp(b.v[0].due, a.v[i].due), "round trip: due");
			check(b.v[0].done == a.v[i].done, "round trip: done");
		}
		perf_buf_release(&line);
		perf_actions_release(&b);
	}
out:
	perf_actions_release(&a);
	return 0;
}
