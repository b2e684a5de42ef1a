/*
 * Unit tests of lib/actions: task items in note bodies (markers, owners,
 * due dates, fences, comments, continuation lines), problems with their
 * lines, ids from text, and formatting that parses back to the same action.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actions.h"
#include "buf.h"
#include "tap.h"

static struct perf_buf problems = PERF_BUF_INIT;

static void collect(void *payload, size_t line, const char *message)
{
	(void)payload;
	perf_buf_printf(&problems, "%zu: %s\n", line, message);
}

/* Parses body with default owner "ari"; problems land in `problems`. */
static size_t parse(struct perf_actions *a, const char *body, const char *def)
{
	struct perf_error err;
	size_t n = 0;

	perf_actions_release(a);
	perf_buf_truncate(&problems, 0);
	if (perf_actions_parse(a, body, strlen(body), def, collect, NULL, &n, &err))
		printf("# parse failed: %s\n", err.msg);
	return n;
}

static void test_markers(void)
{
	struct perf_actions a = PERF_ACTIONS_INIT;

	is_int(parse(&a,
	             "## Actions\n"
	             "- [ ] @bo send the draft by 2026-12-01\n"
	             "* [x] @ari book the room\n"
	             "+ [X] @lena ask facilities\n"
	             "1. [ ] @bo numbered\n"
	             "2) [ ] @bo numbered too\n"
	             "- item\n"
	             "  - [ ] @ari nested in a list\n"
	             "\t- [ ] @ari after a tab\n",
	             "ari"),
	       0, "no problems in ordinary items");
	is_int(a.n, 7, "seven task items");
	if (a.n == 7) {
		is_str(a.v[0].owner, "bo", "owner from @bo");
		is_str(a.v[0].text, "send the draft", "text without owner and date");
		is_str(a.v[0].due, "2026-12-01", "due from 'by DATE'");
		ok(!a.v[0].done, "[ ] is open");
		is_int(a.v[0].line, 2, "line of the first item");
		ok(a.v[1].done && a.v[2].done, "[x] and [X] are done");
		is_str(a.v[1].due, "", "no date, no due");
		is_str(a.v[2].text, "ask facilities", "+ marker");
		is_str(a.v[3].text, "numbered", "1. marker");
		is_str(a.v[4].text, "numbered too", "2) marker");
		is_str(a.v[5].text, "nested in a list", "indented item in a list");
		is_int(a.v[5].line, 8, "line of the nested item");
		is_str(a.v[6].text, "after a tab", "tab-indented item");
	}
	parse(&a,
	      "-[ ] no space\n- [ ]x glued\n- [] empty brackets\n- [y] other mark\n> - [ ] @bo quoted\n"
	      "text - [ ] @bo mid-line\n",
	      "ari");
	is_int(a.n, 0, "not task items: no space after marker or box, wrong box, quotes, mid-line");
	parse(&a, "- [ ]\n- [x]   \n* [ ] <!-- nothing -->\n", "ari");
	is_int(a.n, 0, "empty boxes are skipped");
	is_str(perf_buf_cstr(&problems), "", "and are not problems");
	perf_actions_release(&a);
}

static void test_box_offsets(void)
{
	struct perf_actions a = PERF_ACTIONS_INIT;
	const char *body = "intro\r\n  - [ ] @bo one\r\n* [x] @ari two\r\n";

	parse(&a, body, NULL);
	is_int(a.n, 2, "CRLF lines");
	if (a.n == 2) {
		is_int(a.v[0].box, strlen("intro\r\n  - ["), "box offset of the first item");
		ok(body[a.v[0].box] == ' ' && body[a.v[1].box] == 'x', "box offsets point inside the brackets");
		is_str(a.v[0].text, "one", "no \\r in the text");
		is_int(a.v[1].line, 3, "CRLF line numbers");
	}
	perf_actions_release(&a);
}

static void test_owner(void)
{
	struct perf_actions a = PERF_ACTIONS_INIT;

	parse(&a, "- [ ] send the draft\n- [ ] @Bo-2 Mixed case\n- [ ] @ari: with a colon\n- [ ] pair with @bo\n",
	      "lena");
	is_int(a.n, 4, "four items");
	if (a.n == 4) {
		is_str(a.v[0].owner, "lena", "no @owner: the default owner");
		ok(a.v[0].owner_default, "and it says so");
		is_str(a.v[1].owner, "bo-2", "handles are lowercased");
		ok(!a.v[1].owner_default, "a written owner is not the default");
		is_str(a.v[2].text, "with a colon", "a colon after the owner is dropped");
		is_str(a.v[3].owner, "lena", "a mention later in the text is not the owner");
		is_str(a.v[3].text, "pair with @bo", "and stays in the text");
	}
	is_int(parse(&a, "x\n- [ ] send the draft\n", NULL), 1, "no owner and no default: a problem");
	is_str(perf_buf_cstr(&problems), "2: the action 'send the draft' has no owner; start it with @handle\n",
	       "the problem names the line and the fix");
	is_int(a.n, 0, "the item is left out");
	is_int(parse(&a, "- [ ] @-bo x\n", "ari"), 0, "'@-' is not a handle token");
	is_str(a.n ? a.v[0].text : NULL, "@-bo x", "and stays text");
	is_int(parse(&a, "- [ ] @aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa x\n", "ari"), 1, "too long a handle");
	ok(strstr(perf_buf_cstr(&problems), "is not a handle (at most 39 lowercase letters, digits and '-')") != NULL,
	   "says the limit");
	is_int(parse(&a, "- [ ] @Bad_x hmm\n- [ ] @ari's draft\n- [ ] @bo. dot\n", "ari"), 1,
	       "a handle with other characters");
	is_str(perf_buf_cstr(&problems), "1: '@Bad_x' is not a handle (at most 39 lowercase letters, digits and '-')\n",
	       "is a problem, quoted as written");
	is_int(a.n, 2, "an apostrophe or a period ends the handle");
	is_str(a.n == 2 ? a.v[0].text : NULL, "'s draft", "and stays in the text");
	is_str(a.n == 2 ? a.v[1].owner : NULL, "bo", "owner before a period");
	is_int(parse(&a, "- [ ] @ari\n- [ ] @bo by 2026-12-01\n", "ari"), 2, "an owner without text: problems");
	is_str(perf_buf_cstr(&problems),
	       "1: the action '@ari' says who but not what to do\n"
	       "2: the action '@bo by 2026-12-01' says who and when but not what to do\n",
	       "both reported, with their lines");
	perf_actions_release(&a);
}

static void test_due(void)
{
	struct perf_actions a = PERF_ACTIONS_INIT;
	static const struct {
		const char *line, *text, *due;
	} cases[] = {
	    {"- [ ] @bo send the draft by 2026-12-01", "send the draft", "2026-12-01"},
	    {"- [ ] @bo send the draft, by 2026-12-01.", "send the draft", "2026-12-01"},
	    {"- [ ] @bo send the draft due 2026-12-01", "send the draft", "2026-12-01"},
	    {"- [ ] @bo send the draft; due: 2026-12-01", "send the draft", "2026-12-01"},
	    {"- [ ] @bo send the draft (due 2026-12-01)", "send the draft", "2026-12-01"},
	    {"- [ ] @bo send the draft (by 2026-12-01).", "send the draft", "2026-12-01"},
	    {"- [ ] @bo send the draft \xe2\x80\x94 by 2026-12-01", "send the draft", "2026-12-01"},
	    {"- [ ] @bo send the draft By 2026-12-01", "send the draft", "2026-12-01"},
	    {"- [ ] @bo go by bus, by 2026-12-01", "go by bus", "2026-12-01"},
	    {"- [ ] @bo stand by the door", "stand by the door", ""},
	    {"- [ ] @bo sit by", "sit by", ""},
	    {"- [ ] @bo postpone due to rain", "postpone due to rain", ""},
	    {"- [ ] @bo read the book by Knuth", "read the book by Knuth", ""},
	    {"- [ ] @bo nearby 2026-12-01", "nearby 2026-12-01", ""},
	    {"- [ ] @bo the cake (by the way)", "the cake (by the way)", ""},
	    {"- [ ] @bo as agreed by this team", "as agreed by this team", ""},
	    {"- [ ] @bo followed by next steps", "followed by next steps", ""},
	    {"- [ ] @bo loved by end users", "loved by end users", ""},
	    {"- [ ] @bo sorted by month", "sorted by month", ""},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		is_int(parse(&a, cases[i].line, "ari"), 0, "no problem: %s", cases[i].line);
		if (a.n != 1)
			continue;
		is_str(a.v[0].text, cases[i].text, "text of %s", cases[i].line);
		is_str(a.v[0].due, cases[i].due, "due of %s", cases[i].line);
	}
	perf_actions_release(&a);
}

static void test_bad_dates(void)
{
	struct perf_actions a = PERF_ACTIONS_INIT;
	static const struct {
		const char *line, *problem;
	} cases[] = {
	    {"- [ ] @bo send the draft by 2026-13-45", "'by 2026-13-45' is not a date (YYYY-MM-DD)"},
	    {"- [ ] @bo send the draft by next tuesday", "'by next tuesday' is not a date (YYYY-MM-DD)"},
	    {"- [ ] @bo send the draft by Friday.", "'by Friday' is not a date (YYYY-MM-DD)"},
	    {"- [ ] @bo send the draft by the end of the week", "'by the end of the week' is not a date (YYYY-MM-DD)"},
	    {"- [ ] @bo send the draft by this Friday", "'by this Friday' is not a date (YYYY-MM-DD)"},
	    {"- [ ] @bo send the draft by end of day", "'by end of day' is not a date (YYYY-MM-DD)"},
	    {"- [ ] @bo send the draft by week 49", "'by week 49' is not a date (YYYY-MM-DD)"},
	    {"- [ ] @bo send the draft by EOD", "'by EOD' is not a date (YYYY-MM-DD)"},
	    {"- [ ] @bo send the draft due soon", "'due soon' is not a date (YYYY-MM-DD)"},
	    {"- [ ] @bo send the draft (due 12/01)", "'due 12/01' is not a date (YYYY-MM-DD)"},
	    {"- [ ] @bo send the draft by 2026-02-29", "'by 2026-02-29' is not a date (YYYY-MM-DD)"},
	    {"- [ ] @bo send the draft by 2026-12-01 please", "'by 2026-12-01 please' is not a date (YYYY-MM-DD)"},
	};
	char want[256];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char body[256];
		snprintf(body, sizeof(body), "## Actions\n\n%s\n", cases[i].line);
		is_int(parse(&a, body, "ari"), 1, "a problem: %s", cases[i].line);
		snprintf(want, sizeof(want), "3: %s\n", cases[i].problem);
		is_str(perf_buf_cstr(&problems), want, "message for %s", cases[i].line);
		is_int(a.n, 0, "the item is left out");
	}
	perf_actions_release(&a);
}

static void test_fences_and_comments(void)
{
	struct perf_actions a = PERF_ACTIONS_INIT;

	parse(&a,
	      "## Actions\n"
	      "<!-- One per line, for example:\n"
	      "- [ ] @handle what, by YYYY-MM-DD -->\n"
	      "```\n"
	      "- [ ] @bo in code\n"
	      "```\n"
	      "~~~~ text\n"
	      "- [ ] @bo in tildes\n"
	      "~~~\n"
	      "- [ ] @bo still in tildes (the close was too short)\n"
	      "~~~~~\n"
	      "``` not a fence ```\n"
	      "- [ ] @bo one <!-- aside --> two\n"
	      "text <!-- open\n"
	      "- [ ] @bo in a comment\n"
	      "close --> text\n"
	      "- [ ] @bo three <!-- runs on\n"
	      "- [ ] @bo in that comment -->\n"
	      "  ```\n"
	      "  - [ ] @bo in an indented fence\n"
	      "  ```\n"
	      "- [ ] @bo four\n"
	      "```\n"
	      "- [ ] @bo in an unclosed fence\n",
	      "ari");
	is_int(a.n, 3, "only items outside code and comments");
	if (a.n == 3) {
		is_str(a.v[0].text, "one two", "an inline comment is dropped");
		is_str(a.v[1].text, "three", "a comment opened on the item's line ends its text");
		is_str(a.v[2].text, "four", "after an indented fence");
		is_int(a.v[2].line, 22, "line after everything");
	}
	parse(&a, "<!-- a --> <!-- b\n- [ ] @bo hidden\n--> <!-- c --> - [ ] @bo not at line start\n- [ ] @bo seen\n",
	      "ari");
	is_int(a.n, 1, "comments opening and closing on one line");
	is_str(a.n ? a.v[0].text : NULL, "seen", "the item after them");
	perf_actions_release(&a);
}

static void test_continuation(void)
{
	struct perf_actions a = PERF_ACTIONS_INIT;

	parse(&a,
	      "- [ ] @bo send the draft to\n"
	      "  the whole team,\n"
	      "      by 2026-12-01\n"
	      "- [ ] @ari next\n"
	      "not indented, so not part of it\n"
	      "  - [ ] @lena nested items are their own\n"
	      "    and continue too\n"
	      "\n"
	      "    after a blank line: not a continuation\n",
	      "ari");
	is_int(a.n, 3, "three items");
	if (a.n == 3) {
		is_str(a.v[0].text, "send the draft to the whole team", "wrapped lines are joined");
		is_str(a.v[0].due, "2026-12-01", "the date on a wrapped line");
		is_str(a.v[1].text, "next", "an unindented line does not continue");
		is_str(a.v[2].text, "nested items are their own and continue too", "a nested item continues");
		is_int(a.v[2].line, 6, "its line is where it starts");
	}
	perf_actions_release(&a);
}

static void test_strict(void)
{
	struct perf_actions a = PERF_ACTIONS_INIT;
	struct perf_error err;
	const char *body = "## Notes\n\n- [ ] @bo ok\n- [ ] @bo send it by 2026-13-45\n- [ ] @bo by next week x\n";

	ok(perf_actions_parse_strict(&a, body, strlen(body), "ari", "notes/ari/2026-11-20-1-1.md", 5, &err) ==
	       PERF_EINVALID,
	   "strict parse fails on a problem");
	is_str(err.msg, "notes/ari/2026-11-20-1-1.md:8: 'by 2026-13-45' is not a date (YYYY-MM-DD)",
	       "the first problem, with the line in the file");
	perf_actions_release(&a);
	ok(perf_actions_parse_strict(&a, "- [ ] @bo ok\n", 12, NULL, "x.md", 1, &err) == 0 && a.n == 1,
	   "strict parse of good items");
	perf_actions_release(&a);
	ok(perf_actions_parse(&a, NULL, 0, NULL, NULL, NULL, NULL, &err) == 0 && a.n == 0, "an empty body");
	perf_actions_release(&a);
	perf_actions_release(NULL);
	ok(1, "release accepts NULL");
}

static bool taken_rfc(void *payload, const char *id)
{
	(void)payload;
	return !strcmp(id, "write-the-rfc") || !strcmp(id, "write-the-rfc-2");
}

static void test_ids(void)
{
	struct perf_actions a = PERF_ACTIONS_INIT;
	struct perf_error err;

	parse(&a,
	      "- [ ] @bo Send the draft!\n"
	      "- [ ] @bo send the draft\n"
	      "- [ ] @bo Write the RFC\n"
	      "- [ ] @bo review the ranking experiment results with the search team\n"
	      "- [ ] @bo \xe6\x97\xa5\xe6\x9c\xac\n"
	      "- [ ] @bo \xe6\x97\xa5\xe6\x9c\xac\n"
	      "- [ ] @bo abcdefghijklmnopqrstuvwxyzabcdefghij\n",
	      "ari");
	is_int(a.n, 7, "seven items");
	snprintf(a.v[6].id, sizeof(a.v[6].id), "kept");
	ok(perf_actions_assign_ids(&a, taken_rfc, NULL, &err) == 0, "ids assigned");
	if (a.n == 7) {
		is_str(a.v[0].id, "send-the-draft", "slug of the text");
		is_str(a.v[1].id, "send-the-draft-2", "a second one in the note gets -2");
		is_str(a.v[2].id, "write-the-rfc-3", "ids taken elsewhere are skipped");
		is_str(a.v[3].id, "review-the-ranking", "long text: cut at a word to at most 24");
		is_str(a.v[4].id, "action", "no ASCII letters: 'action'");
		is_str(a.v[5].id, "action-2", "and -2");
		is_str(a.v[6].id, "kept", "an id already set is kept");
	}
	parse(&a, "- [ ] @bo abcdefghijklmnopqrstuvwxyzabcdefghij\n", "ari");
	perf_actions_assign_ids(&a, NULL, NULL, &err);
	is_str(a.n ? a.v[0].id : NULL, "abcdefghijklmnopqrstuvwx", "one long word is cut hard");
	perf_actions_release(&a);
}

static void test_format_round_trip(void)
{
	struct perf_actions a = PERF_ACTIONS_INIT, b = PERF_ACTIONS_INIT;
	struct perf_buf out = PERF_BUF_INIT;
	struct perf_error err;

	parse(&a,
	      "- [ ] @bo send the draft, by 2026-12-01\n"
	      "- [x] @ari book the room\n"
	      "- [ ] go by bus (due 2026-12-24)\n"
	      "- [ ] @lena @bo pair on it\n"
	      "- [ ] : odd start\n"
	      "- [ ] stand by the door\n"
	      "- [ ] due to rain, stay in\n",
	      "ari");
	is_int(a.n, 7, "seven items to format");
	for (size_t i = 0; i < a.n; i++)
		perf_actions_format(&out, &a.v[i]);
	is_str(perf_buf_cstr(&out),
	       "- [ ] @bo send the draft, by 2026-12-01\n"
	       "- [x] @ari book the room\n"
	       "- [ ] @ari go by bus, by 2026-12-24\n"
	       "- [ ] @lena @bo pair on it\n"
	       "- [ ] @ari odd start\n"
	       "- [ ] @ari stand by the door\n"
	       "- [ ] @ari due to rain, stay in\n",
	       "formatted lines");
	perf_actions_parse(&b, out.ptr, out.len, NULL, NULL, NULL, NULL, &err);
	is_int(b.n, a.n, "they parse back, owners written");
	for (size_t i = 0; i < a.n && i < b.n; i++)
		ok(!strcmp(a.v[i].owner, b.v[i].owner) && !strcmp(a.v[i].text, b.v[i].text) &&
		       !strcmp(a.v[i].due, b.v[i].due) && a.v[i].done == b.v[i].done,
		   "round trip of '%s'", a.v[i].text);
	{
		struct perf_action x;
		memset(&x, 0, sizeof(x));
		snprintf(x.owner, sizeof(x.owner), "bo");
		x.text = (char *)"hand <!-- edited\ntext";
		perf_buf_truncate(&out, 0);
		perf_actions_format(&out, &x);
		is_str(perf_buf_cstr(&out), "- [ ] @bo hand < !-- edited text\n",
		       "text from elsewhere cannot open a comment or break the line");
	}
	perf_buf_release(&out);
	perf_actions_release(&a);
	perf_actions_release(&b);
}

int main(void)
{
	test_markers();
	test_box_offsets();
	test_owner();
	test_due();
	test_bad_dates();
	test_fences_and_comments();
	test_continuation();
	test_strict();
	test_ids();
	test_format_round_trip();
	perf_buf_release(&problems);
	return tap_done();
}
