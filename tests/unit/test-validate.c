/*
 * Unit tests of lib/validate: one document checked as `perf check` checks
 * it, against a made-up tree of documents, with exact positions and
 * messages, and the group names read from a config.
 */
#include <stdbool.h>
#include <string.h>

#include <git2.h>

#include "buf.h"
#include "doc.h"
#include "schema.h"
#include "store.h"
#include "tap.h"
#include "validate.h"

/* The documents of the tree being checked. */
static const char *const tree[] = {
    "people/alice.md",
    "people/bob.md",
    "people/carol.md",
    "goals/alice/ship-search.md",
    "checkins/alice/2026-W47.md",
    NULL,
};

static bool in_tree(void *payload, const char *path)
{
	const char *const *t = payload;

	for (; *t; t++)
		if (!strcmp(*t, path))
			return true;
	return false;
}

/* Collects reports as "path:line:col: message\n", one per problem. */
static void collect(void *payload, const char *path, size_t line, size_t col, const char *message)
{
	perf_buf_printf(payload, "%s:%zu:%zu: %s\n", path, line, col, message);
}

static size_t reported;

/* Validates text at path against the tree; returns the reports (static buffer), the count in `reported`. */
static const char *validate_with(const char *path, const char *text, const struct perf_strv *groups)
{
	static struct perf_buf out = PERF_BUF_INIT;
	struct perf_validate_env env = {in_tree, (void *)tree, groups};

	perf_buf_truncate(&out, 0);
	reported = perf_validate_doc(path, text, strlen(text), &env, collect, &out);
	return perf_buf_cstr(&out);
}

static const char *validate(const char *path, const char *text)
{
	return validate_with(path, text, NULL);
}

static const char checkin[] = "---\n"
                              "kind: checkin\n"
                              "person: alice\n"
                              "week: 2026-W47\n"
                              "goals:\n"
                              "  - goal: ship-search\n"
                              "    progress: 60\n"
                              "mood: 4\n"
                              "---\n"
                              "## Learned\n"
                              "Tries beat hashes here.\n";

static void test_valid(void)
{
	is_str(validate("checkins/alice/2026-W47.md", checkin), "", "a valid check-in: no problem");
	is_int(reported, 0, "a valid check-in: 0 returned");
	is_str(validate("checkins/alice/2026-W47/20261123T100000Z-bob.md", "---\n"
	                                                                   "kind: reply\n"
	                                                                   "author: bob\n"
	                                                                   "to: checkins/alice/2026-W47.md\n"
	                                                                   "at: 2026-11-23T10:00:00Z\n"
	                                                                   "---\n"
	                                                                   "Great, demo Friday?\n"),
	       "", "a valid reply: no problem");
}

static void test_path_parts(void)
{
	const char *got;

	got = validate("checkins/alice/2026-W47/20261123T100000Z-bob.md", "---\n"
	                                                                  "kind: reply\n"
	                                                                  "author: carol\n"
	                                                                  "to: checkins/alice/2026-W47.md\n"
	                                                                  "at: 2026-11-23T10:00:00Z\n"
	                                                                  "---\n"
	                                                                  "Signed as someone else.\n");
	is_str(
	    got,
	    "checkins/alice/2026-W47/20261123T100000Z-bob.md:3:9: 'author' must be bob (from the path), not 'carol'\n",
	    "a reply whose author is not its path's");
	is_int(reported, 1, "a reply whose author is not its path's: 1 returned");

	got = validate("praise/alice/20261123T100000Z-bob.md", "---\n"
	                                                       "kind: praise\n"
	                                                       "person: alice\n"
	                                                       "from: carol\n"
	                                                       "at: 2026-11-23T10:00:00Z\n"
	                                                       "---\n"
	                                                       "Thanks for the demo.\n");
	is_str(got, "praise/alice/20261123T100000Z-bob.md:4:7: 'from' must be bob (from the path), not 'carol'\n",
	       "a praise whose from is not its path's");
	is_int(reported, 1, "a praise whose from is not its path's: 1 returned");
}

static void test_refs(void)
{
	static const char zed[] = "---\nkind: checkin\nperson: zed\nweek: 2026-W47\n---\n";
	const char *got;

	got = validate("checkins/alice/2026-W46.md", "---\n"
	                                             "kind: checkin\n"
	                                             "person: alice\n"
	                                             "week: 2026-W46\n"
	                                             "goals:\n"
	                                             "  - goal: learn-rust\n"
	                                             "    progress: 10\n"
	                                             "mood: 3\n"
	                                             "---\n");
	is_str(got, "checkins/alice/2026-W46.md:6:11: goal 'learn-rust' does not exist (goals/alice/learn-rust.md)\n",
	       "a check-in on a goal the tree does not have");
	is_int(reported, 1, "a missing goal: 1 returned");

	got = validate("checkins/alice/2026-W40/20261123T100000Z-bob.md", "---\n"
	                                                                  "kind: reply\n"
	                                                                  "author: bob\n"
	                                                                  "to: checkins/alice/2026-W40.md\n"
	                                                                  "at: 2026-11-23T10:00:00Z\n"
	                                                                  "---\n"
	                                                                  "Answering nothing.\n");
	is_str(got,
	       "checkins/alice/2026-W40/20261123T100000Z-bob.md:4:5: parent 'checkins/alice/2026-W40.md' does not "
	       "exist\n",
	       "a reply to a document the tree does not have");

	got = validate("checkins/zed/2026-W47.md", zed);
	is_str(got, "checkins/zed/2026-W47.md:3:9: person 'zed' is not in people/\n", "a person not in people/");

	/* With nothing to look things up in, only the document itself is checked. */
	reported = perf_validate_doc("checkins/zed/2026-W47.md", zed, strlen(zed), NULL, collect, NULL);
	is_int(reported, 0, "no environment: references are not checked");
}

static void test_unparsable(void)
{
	const char *got;

	got = validate("goals/bob/broken.md", "---\n"
	                                      "kind: goal\n"
	                                      "person: bob\n"
	                                      "title: [unclosed\n"
	                                      "status: active\n"
	                                      "---\n");
	is_str(got,
	       "goals/bob/broken.md:5:7: invalid YAML: did not find expected ',' or ']' while parsing a flow sequence "
	       "at line 4\n",
	       "front matter that is not YAML: the parser's position, without the path in the message");
	is_int(reported, 1, "front matter that is not YAML: 1 returned");

	got = validate("goals/bob/plain.md", "Just a plan.\nNo front matter at all.\n");
	is_str(got, "goals/bob/plain.md:1:1: missing front matter: the file must start with a line '---'\n",
	       "no front matter at all: the parser says 1:1");
}

static void test_places(void)
{
	const char *got;

	got = validate("README.md", "# Not a document\n");
	is_str(got, "", "README.md is not a document: nothing reported");
	is_int(reported, 0, "README.md: 0 returned");
	is_str(validate(".perf/templates/checkin.md", "## Learned\n"), "", "a template is not a document");
	ok(!perf_validate_is_doc("README.md") && perf_validate_is_doc("checkins/alice/2026-W47.md") &&
	       perf_validate_is_doc("checkins/alice/notes.md"),
	   "perf_validate_is_doc tells documents' paths, fitting the layout or not");

	got = validate("checkins/alice/notes.md", "---\nkind: checkin\nperson: alice\nweek: 2026-W47\n---\n");
	is_str(got,
	       "checkins/alice/notes.md:0:0: not a checkin path (checkins/<handle>/<YYYY>-W<ww>.md): 'notes' is not an "
	       "ISO week\n",
	       "in a document folder without fitting its layout");

	got = validate("checkins/bob/2026-W47.md",
	               "---\nkind: goal\nperson: bob\ntitle: Wrong place\nstatus: active\n---\n");
	is_str(got,
	       "checkins/bob/2026-W47.md:2:7: kind 'goal' does not belong in checkins/ (a goal's path is "
	       "goals/<handle>/<slug>.md)\n",
	       "a document of another kind than its folder's: that problem alone");
	is_int(reported, 1, "another kind: 1 returned");
}

static void test_groups(void)
{
	static const char config[] = "format: 1\n"
	                             "team: Search\n"
	                             "groups:\n"
	                             "  - name: backend\n"
	                             "    members: [alice]\n"
	                             "  - name: frontend\n"
	                             "    members: [bob]\n";
	static const char bare[] = "format: 1\nteam: Search\n";
	static const char person[] = "---\nkind: person\nname: Carol\ngroup: infra\n---\n";
	struct perf_strv groups = PERF_STRV_INIT;
	struct perf_doc *doc = NULL;
	const char *got;

	ok(perf_schema_parse(&doc, perf_schema_kind("config"), config, strlen(config), ".perf/config.yaml", NULL) == 0,
	   "a config parses");
	ok(perf_validate_has_groups(doc), "the config has groups");
	is_int(perf_validate_groups(doc, &groups), 0, "its group names");
	ok(groups.n == 2 && !strcmp(groups.v[0], "backend") && !strcmp(groups.v[1], "frontend"), "backend, frontend");
	perf_doc_free(doc);

	got = validate_with("people/carol.md", person, &groups);
	is_str(got, "people/carol.md:4:8: group 'infra' is not in .perf/config.yaml\n",
	       "a group the config does not name");
	is_str(validate("people/carol.md", person), "", "groups unknown: a person's group is not checked");
	perf_strv_release(&groups);

	ok(perf_schema_parse(&doc, perf_schema_kind("config"), bare, strlen(bare), ".perf/config.yaml", NULL) == 0 &&
	       !perf_validate_has_groups(doc),
	   "a config without groups has none");
	is_int(perf_validate_groups(doc, &groups), 0, "and names none");
	is_int(groups.n, 0, "none appended");
	perf_doc_free(doc);
	perf_strv_release(&groups);
}

int main(void)
{
	git_libgit2_init();
	test_valid();
	test_path_parts();
	test_refs();
	test_unparsable();
	test_places();
	test_groups();
	git_libgit2_shutdown();
	return tap_done();
}
