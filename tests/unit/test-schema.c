/*
 * Unit tests of lib/schema: the kind tables, paths to kinds, validation
 * with exact positions and messages, agreement versions, and every example
 * in man/perf-format.5.scd (run from the repository's root).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "buf.h"
#include "doc.h"
#include "schema.h"
#include "tap.h"

#define MAN_PAGE "man/perf-format.5.scd"

/* ---- helpers ---- */

/* Collects reports as "line:col: message\n", one per problem. */
static void collect(void *payload, const char *path, size_t line, size_t col, const char *message)
{
	(void)path;
	perf_buf_printf(payload, "%zu:%zu: %s\n", line, col, message);
}

static const char *kind_of(const char *path)
{
	static struct perf_schema_match m;
	return perf_schema_match_path(&m, path, NULL) ? NULL : m.kind->name;
}

/* Parses text as a document of kind at path and validates it; returns the reports (static buffer). */
static const char *check(const char *kind, const char *path, const char *text)
{
	static struct perf_buf out = PERF_BUF_INIT;
	const struct perf_schema_kind *k = perf_schema_kind(kind);
	struct perf_doc *doc = NULL;
	struct perf_error err;

	perf_buf_truncate(&out, 0);
	if (perf_schema_parse(&doc, k, text, strlen(text), path, &err)) {
		perf_buf_printf(&out, "parse: %s\n", err.msg);
		return perf_buf_cstr(&out);
	}
	perf_schema_validate(k, doc, path, NULL, collect, &out);
	perf_doc_free(doc);
	return perf_buf_cstr(&out);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct perf_buf b = PERF_BUF_INIT;
	char chunk[4096];
	size_t n;

	if (!f)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		perf_buf_add(&b, chunk, n);
	fclose(f);
	*len = b.len;
	return perf_buf_detach(&b);
}

/* ---- the tables ---- */

static void test_tables(void)
{
	const struct perf_schema_kind *const *k = perf_schema_kinds();
	size_t n = 0;
	bool ordered = true, named = true;

	for (; k[n]; n++) {
		if (perf_schema_kind(k[n]->name) != k[n])
			named = false;
		/* Every fenced kind says its kind first, so new documents start with it. */
		if (k[n]->fenced && strcmp(k[n]->fields[0].name, "kind"))
			ordered = false;
	}
	is_int(n, 12, "twelve kinds");
	ok(named, "each kind is found by its name");
	ok(ordered, "each fenced kind's canonical order starts with kind");
	ok(perf_schema_kind("nope") == NULL, "an unknown kind is NULL");
	ok(!perf_schema_kind("config")->fenced, "config has no fences");
	is_str(perf_schema_field(perf_schema_kind("checkin"), "goals")->fields[1].name, "progress",
	       "checkin goals items have progress");
	ok(perf_schema_field(perf_schema_kind("checkin"), "nope") == NULL, "unknown field is NULL");
	is_str(perf_schema_kind("checkin")->fields[2].name, "week", "checkin order: kind, person, week");

	is_int(perf_schema_rule(perf_schema_kind("checkin")), PERF_RULE_OWNER, "checkins: owner");
	is_int(perf_schema_rule(perf_schema_kind("expectations")), PERF_RULE_OWNER_OR_LEAD,
	       "expectations: owner or lead");
	is_int(perf_schema_rule(perf_schema_kind("reply")), PERF_RULE_AUTHOR, "replies: anyone as themselves");
	is_int(perf_schema_rule(perf_schema_kind("config")), PERF_RULE_MAINTAINER, "config: maintainer");
	is_int(perf_schema_rule(perf_schema_kind("note")), PERF_RULE_ADDRESSED, "notes: addressed");
	is_str(perf_schema_kind("note")->addressed, "with", "notes address the people in 'with'");
	is_str(perf_schema_rule_name(PERF_RULE_OWNER_OR_LEAD), "owner-or-lead", "rule name");
	{
		enum perf_schema_rule r = PERF_RULE_ANYONE;
		struct perf_error err;
		is_int(perf_schema_rule_parse("addressed", &r, NULL), 0, "rule parses");
		is_int(r, PERF_RULE_ADDRESSED, "to its value");
		is_int(perf_schema_rule_parse("boss", &r, &err), PERF_EINVALID, "unknown rule refused");
		is_str(err.msg,
		       "'boss' is not a permission rule: use anyone, owner, owner-or-lead, owner-or-maintainer, "
		       "addressed, author, maintainer or append",
		       "and named");
	}
}

static void test_templates(void)
{
	const char *t = perf_schema_template(perf_schema_kind("checkin"));

	ok(t && strstr(t, "## Learned\n") && strstr(t, "## Working towards\n") && strstr(t, "## Stuck\n") &&
	       strstr(t, "## Ask\n"),
	   "checkin template has Learned, Working towards, Stuck, Ask");
	t = perf_schema_template(perf_schema_kind("expectations"));
	ok(t && strstr(t, "## Role\n") && strstr(t, "## Strengths\n") && strstr(t, "## Areas for development\n") &&
	       strstr(t, "## How this connects to our ethos\n"),
	   "expectations template has its four sections");
	t = perf_schema_template(perf_schema_kind("note"));
	ok(t && strstr(t, "## Agenda") && strstr(t, "## Notes") && strstr(t, "## Actions") &&
	       strstr(t, "- [ ] @handle what, by YYYY-MM-DD"),
	   "note template has Agenda, Notes, Actions and an action example");
	ok(perf_schema_template(perf_schema_kind("feedback")) && perf_schema_template(perf_schema_kind("cycle")) &&
	       perf_schema_template(perf_schema_kind("norm")),
	   "feedback, cycle and norm have templates");
	ok(!perf_schema_template(perf_schema_kind("reply")) && !perf_schema_template(perf_schema_kind("config")),
	   "replies and config have none");
}

/* ---- paths ---- */

static void test_paths(void)
{
	struct perf_schema_match m;
	struct perf_error err;

	is_str(kind_of(".perf/config.yaml"), "config", "config path");
	is_str(kind_of("people/alice.md"), "person", "person path");
	is_str(kind_of("expectations/alice.md"), "expectations", "expectations path");
	is_str(kind_of("goals/alice/ship-search-v2.md"), "goal", "goal path");
	is_str(kind_of("feedback/alice/fb-3k9x.md"), "feedback", "feedback path");
	is_str(kind_of("cycles/winter-2026.md"), "cycle", "cycle path");
	is_str(kind_of("norms/review-within-a-day.md"), "norm", "norm path");

	is_int(perf_schema_match_path(&m, "checkins/alice/2026-W47.md", NULL), 0, "checkin path");
	is_str(m.kind->name, "checkin", "is a checkin");
	is_str(m.handle, "alice", "of alice");
	is_str(m.week, "2026-W47", "for 2026-W47");

	is_int(perf_schema_match_path(&m, "notes/alice/2026-11-24-one-to-one.md", NULL), 0, "note path");
	is_str(m.kind->name, "note", "is a note");
	is_str(m.date, "2026-11-24", "dated");
	is_str(m.slug, "one-to-one", "with its slug");

	is_int(perf_schema_match_path(&m, "praise/alice/20261121T150000Z-bob.md", NULL), 0, "praise path");
	is_str(m.kind->name, "praise", "is praise");
	is_str(m.handle, "alice", "for alice");
	is_str(m.author, "bob", "from bob");
	is_str(m.time, "2026-11-21T15:00:00Z", "at its time");

	is_int(perf_schema_match_path(&m, "checkins/alice/2026-W47/20261123T100000Z-bob.md", NULL), 0, "reply path");
	is_str(m.kind->name, "reply", "is a reply");
	is_str(m.parent, "checkins/alice/2026-W47.md", "to the check-in");
	is_str(m.parent_kind->name, "checkin", "whose kind is known");
	is_str(m.parent_handle, "alice", "and whose owner is known");
	is_str(m.author, "bob", "by bob");
	is_str(m.stamp, "20261123T100000Z", "stamped");
	is_str(kind_of("feedback/alice/fb-3k9x/20261122T080000Z-chen.md"), "reply", "feedback answers are replies");
	is_str(kind_of("notes/alice/2026-11-24-one-to-one/20261124T120000Z-lena.md"), "reply", "replies to notes");

	/* Refused: unsafe or not the layout. */
	is_int(perf_schema_match_path(&m, "../checkins/alice/2026-W47.md", &err), PERF_EINVALID, "'..' refused");
	is_str(err.msg, "'../checkins/alice/2026-W47.md' has an empty, '.' or '..' component", "and named");
	ok(m.kind == NULL, "a refused path leaves no kind");
	is_int(perf_schema_match_path(NULL, "checkins/alice/../bob/2026-W47.md", NULL), PERF_EINVALID,
	       "inner '..' refused");
	is_int(perf_schema_match_path(NULL, "/checkins/alice/2026-W47.md", &err), PERF_EINVALID, "absolute refused");
	is_str(err.msg, "'/checkins/alice/2026-W47.md' is absolute: paths are relative to the repository", "named");
	is_int(perf_schema_match_path(NULL, "checkins/Alice/2026-W47.md", &err), PERF_EINVALID,
	       "uppercase handle refused");
	is_str(err.msg,
	       "'checkins/Alice/2026-W47.md' is not a checkin path (checkins/<handle>/<YYYY>-W<ww>.md): "
	       "'Alice' is not a valid handle",
	       "and explained");
	is_int(perf_schema_match_path(NULL, "checkins/alice/2026-W54.md", &err), PERF_EINVALID, "week 54 refused");
	is_str(err.msg,
	       "'checkins/alice/2026-W54.md' is not a checkin path (checkins/<handle>/<YYYY>-W<ww>.md): "
	       "'2026-W54' is not an ISO week",
	       "and explained");
	is_int(perf_schema_match_path(NULL, "checkins/alice/2025-W53.md", NULL), PERF_EINVALID, "2025 has no week 53");
	is_int(perf_schema_match_path(NULL, "checkins/alice/2026-W53.md", NULL), 0,
	       "2026 has (it starts on a Thursday)");
	is_int(perf_schema_match_path(NULL, "checkins/alice/foo.md", &err), PERF_EINVALID, "'foo' refused");
	is_str(err.msg,
	       "'checkins/alice/foo.md' is not a checkin path (checkins/<handle>/<YYYY>-W<ww>.md): "
	       "'foo' is not an ISO week",
	       "and explained");
	is_int(perf_schema_match_path(NULL, "checkins/alice.md", NULL), PERF_EINVALID, "too shallow refused");
	is_int(perf_schema_match_path(NULL, "checkins/alice/2026-W47/x/20261123T100000Z-bob.md", NULL), PERF_EINVALID,
	       "too deep refused");
	is_int(perf_schema_match_path(NULL, "goals/alice/ship/notes.md", &err), PERF_EINVALID,
	       "a non-reply below a document refused");
	is_str(err.msg,
	       "'goals/alice/ship/notes.md' is not a reply path (<doc without .md>/<timestamp>-<author>.md): "
	       "'notes.md' is not of that form",
	       "and explained");
	is_int(
	    perf_schema_match_path(NULL, "checkins/alice/2026-W47/20261123T100000Z-bob/20261123T110000Z-al.md", NULL),
	    PERF_EINVALID, "a reply to a reply refused");
	is_int(perf_schema_match_path(NULL, "checkins/alice/2026-W47/20261340T100000Z-bob.md", NULL), PERF_EINVALID,
	       "a reply with an impossible time refused");
	is_int(perf_schema_match_path(NULL, "checkins//2026-W47.md", NULL), PERF_EINVALID, "empty component");
	is_int(perf_schema_match_path(NULL, "people/alice.md/", NULL), PERF_EINVALID, "trailing slash");
	is_int(perf_schema_match_path(NULL, "people\\alice.md", NULL), PERF_EINVALID, "backslash");
	is_int(perf_schema_match_path(NULL, "people/alice.txt", NULL), PERF_EINVALID, "not .md");
	is_int(perf_schema_match_path(NULL, "people/a-very-long-handle-that-goes-on-and-on-x.md", NULL), PERF_EINVALID,
	       "handle over 39 characters");
	is_int(perf_schema_match_path(NULL, "notes/alice/2026-02-30-x.md", NULL), PERF_EINVALID,
	       "impossible note date");
	is_int(perf_schema_match_path(NULL, "notes/alice/2026-11-24.md", &err), PERF_EINVALID, "a note needs a slug");
	is_str(err.msg,
	       "'notes/alice/2026-11-24.md' is not a note path (notes/<handle>/<YYYY-MM-DD>-<slug>.md): "
	       "'2026-11-24.md' is not of that form",
	       "and says so");
	is_int(perf_schema_match_path(NULL, "", NULL), PERF_EINVALID, "empty path");
	is_int(perf_schema_match_path(NULL, "README.md", NULL), PERF_ENOTFOUND, "README is not a document");
	is_int(perf_schema_match_path(NULL, ".perf/templates/checkin.md", NULL), PERF_ENOTFOUND,
	       "templates are not documents");
	is_int(perf_schema_match_path(NULL, ".perf/config/20261123T100000Z-bob.md", NULL), PERF_ENOTFOUND,
	       "config takes no replies");
}

/* ---- validation ---- */

static void test_validate(void)
{
	is_str(check("checkin", "checkins/alice/2026-W47.md",
	             "---\nkind: checkin\nperson: alice\nweek: 2026-W47\ngoals:\n  - goal: ship\n    progress: 60\n"
	             "mood: 4\nfuture_field: [kept]\n---\n## Learned\n"),
	       "", "a good check-in (with an unknown key) has no problems");
	is_str(check("checkin", "checkins/alice/2026-W47.md", "---\nkind: checkin\nperson: alice\nmood: 7\n---\n"),
	       "1:1: missing required field 'week'\n4:7: 'mood' must be 1-5, not 7\n",
	       "missing field and out of range, each with its place");
	is_str(check("goal", "goals/alice/ship.md",
	             "---\nkind: goal\nperson: alice\ntitle: Ship\nstatus: finished\n---\n"),
	       "5:9: 'status' must be one of active, done, dropped, not 'finished'\n", "bad enum");
	is_str(check("checkin", "checkins/alice/2026-W47.md", "---\nkind: checkin\nperson: bob\nweek: 2026-W48\n---\n"),
	       "3:9: 'person' must be alice (from the path), not 'bob'\n"
	       "4:7: 'week' must be 2026-W47 (from the path), not '2026-W48'\n",
	       "person and week must match the path");
	is_str(check("checkin", "checkins/alice/2026-W47.md",
	             "---\nkind: goal\nperson: alice\nweek: 2026-W47\nmood: \"4\"\ngoals: ship\n---\n"),
	       "2:7: 'kind' must be checkin, not 'goal'\n6:8: 'goals' must be a list, not 'ship'\n"
	       "5:7: 'mood' must be an unquoted integer, not '4'\n",
	       "wrong kind, wrong types");
	is_str(check("checkin", "checkins/alice/2026-W47.md",
	             "---\nkind: checkin\nperson: alice\nweek: 2026-W47\ngoals:\n  - goal: Ship It\n    progress: 120\n"
	             "  - progress: 5\n---\n"),
	       "6:11: 'goals[0].goal' must be a handle (a-z, 0-9 and '-', at most 39), not 'Ship It'\n"
	       "7:15: 'goals[0].progress' must be 0-100, not 120\n"
	       "8:5: missing required field 'goals[1].goal'\n",
	       "items of a list of mappings are checked, with their place");
	is_str(check("checkin", "checkins/alice/2026-W47.md",
	             "---\nkind: checkin\nperson: alice\nweek:\ncreated: 2026-11-20T16:05:00+01:00\n---\n"),
	       "4:6: missing value for required field 'week'\n"
	       "5:10: 'created' must be a time in UTC (like 2026-11-23T10:00:00Z), not '2026-11-20T16:05:00+01:00'\n",
	       "empty required field and a time not in UTC");
	is_str(check("goal", "checkins/alice/2026-W47.md",
	             "---\nkind: goal\nperson: alice\ntitle: x\nstatus: done\n---\n"),
	       "1:1: 'checkins/alice/2026-W47.md' is the path of a checkin, not of a goal\n",
	       "a document of the wrong kind for its path");
	is_str(
	    check("checkin", "checkins/alice/2026-W54.md", "---\nkind: checkin\nperson: alice\nweek: 2026-W47\n---\n"),
	    "1:1: 'checkins/alice/2026-W54.md' is not a checkin path (checkins/<handle>/<YYYY>-W<ww>.md): "
	    "'2026-W54' is not an ISO week\n",
	    "a bad path is a problem too");
	is_str(
	    check("reply", "checkins/alice/2026-W47/20261123T100000Z-bob.md",
	          "---\nkind: reply\nauthor: bob\nto: checkins/alice/2026-W48.md\nat: 2026-11-23T10:00:01Z\n---\nHi\n"),
	    "4:5: 'to' must be checkins/alice/2026-W47.md (from the path), not 'checkins/alice/2026-W48.md'\n"
	    "5:5: 'at' must be 2026-11-23T10:00:00Z (from the path), not '2026-11-23T10:00:01Z'\n",
	    "a reply must say what its path says");
	is_str(check("note", "notes/alice/2026-11-24-x.md",
	             "---\nkind: note\nperson: alice\ndate: 2026-11-24\nwith: lena\nactions:\n  - id: a1\n    owner: "
	             "alice\n    text: RFC\n    due: 2026-12-32\n    done: maybe\n---\n"),
	       "5:7: 'with' must be a list, not 'lena'\n"
	       "10:10: 'actions[0].due' must be a date (YYYY-MM-DD), not '2026-12-32'\n"
	       "11:11: 'actions[0].done' must be true or false, not 'maybe'\n",
	       "note actions");
	is_str(check("person", "people/alice.md",
	             "---\nkind: person\nname:\n  first: Alice\nemail: alice at example\n---\n"),
	       "4:3: 'name' must be a string, not a mapping\n5:8: 'email' must be an email address, not 'alice at "
	       "example'\n",
	       "person types");
	is_str(check("norm", "norms/x.md",
	             "---\nkind: norm\ntitle: X\nproposed_by: chen\nstatus: proposed\nagreed_by:\n  - who: chen\n"
	             "    at: 2026-11-18T09:00:00Z\n    version: abc\n---\n"),
	       "9:14: 'agreed_by[0].version' must be a version (16 lowercase hex digits), not 'abc'\n", "versions");
	is_str(check("config", ".perf/config.yaml",
	             "format: 2\nteam: T\ncadences:\n  checkin: daily\nagreement: most\npermissions:\n  checkin: "
	             "boss\nsigning_required: sure\n"),
	       "1:9: 'format' must be 1, not 2\n4:12: 'cadences.checkin' must be one of weekly, fortnightly, monthly, "
	       "off, not 'daily'\n5:12: 'agreement' must be majority, all or a number of people, not 'most'\n"
	       "7:12: 'permissions.checkin' must be one of anyone, owner, owner-or-lead, owner-or-maintainer, "
	       "addressed, author, maintainer, append, not 'boss'\n8:19: 'signing_required' must be true or false, not "
	       "'sure'\n",
	       "config: lines are the file's own, without fences");
	is_str(check("config", ".perf/config.yaml", "team: T\n"), "1:1: missing required field 'format'\n",
	       "config needs its format");
	is_str(check("config", ".perf/config.yaml", "format: 1\n---\nteam: T\n"),
	       "parse: .perf/config.yaml:2:1: '---' is not allowed: .perf/config.yaml is plain YAML, one mapping "
	       "without document markers\n",
	       "config refuses document markers");
	ok(!strncmp(check("config", ".perf/config.yaml", "format: 1\nteam: [T\n"), "parse: .perf/config.yaml:3:", 27),
	   "config YAML errors give the file's own line");
}

/* ---- config in and out ---- */

static void test_config_text(void)
{
	const struct perf_schema_kind *k = perf_schema_kind("config");
	const char *text = "# our program\nformat: 1\nteam: Search\n";
	struct perf_doc *doc = NULL;
	struct perf_buf out = PERF_BUF_INIT;
	struct perf_error err;

	is_int(perf_schema_parse(&doc, k, text, strlen(text), ".perf/config.yaml", &err), 0, "config parses");
	is_str(perf_doc_str(doc, "team"), "Search", "its fields are read");
	is_int(perf_schema_text(&out, k, doc, &err), 0, "and written");
	is_str(perf_buf_cstr(&out), text, "byte for byte, without fences");
	perf_buf_truncate(&out, 0);
	is_int(perf_doc_set_str(doc, "team", "Find", &err), 0, "an edit");
	perf_schema_text(&out, k, doc, &err);
	is_str(perf_buf_cstr(&out), "# our program\nformat: 1\nteam: Find\n", "is written without fences");
	perf_doc_free(doc);
	perf_buf_truncate(&out, 0);

	is_int(perf_doc_new(&doc, ".perf/config.yaml", &err), 0, "a new config");
	perf_doc_set_raw(doc, "format", "1", &err);
	perf_doc_set_str(doc, "team", "New team", &err);
	perf_schema_text(&out, k, doc, &err);
	is_str(perf_buf_cstr(&out), "format: 1\nteam: New team\n", "is plain YAML");
	perf_doc_free(doc);
	perf_buf_release(&out);
}

/* ---- agreement versions ---- */

static void version_of(const char *kind, const char *text, char out[PERF_SCHEMA_VERSION_LEN + 1])
{
	struct perf_doc *doc = NULL;

	out[0] = '\0';
	if (perf_doc_parse(&doc, text, strlen(text), "t.md", NULL) == 0)
		perf_schema_version(out, perf_schema_kind(kind), doc, NULL);
	perf_doc_free(doc);
}

static void test_version(void)
{
	char a[17], b[17];

	version_of("expectations", "---\nkind: expectations\nperson: alice\nlead: lena\n---\n## Role\nSearch.\n", a);
	is_int(strlen(a), 16, "a version is 16 hex digits");
	/* Pinned: agreements already in repositories name versions computed this way. */
	is_str(a, "7a65e1819e5ce8a4", "a version is the start of the canonical form's git blob id");
	version_of("expectations",
	           "---\nlead: 'lena' # hers\nkind: expectations\nperson: \"alice\"\nagreed_by:\n  - who: alice\n"
	           "    at: 2026-11-20T09:30:00Z\n    version: 0123456789abcdef\n---\n## Role\nSearch.\n",
	           b);
	is_str(b, a, "order, quoting, comments and agreements leave the version");
	version_of("expectations", "---\nkind: expectations\nperson: alice\nlead: lena\n---\n## Role\nSearch!\n", b);
	ok(strcmp(a, b) != 0, "a change of words makes a new version");
	version_of("expectations", "---\nkind: expectations\nperson: alice\nlead: bob\n---\n## Role\nSearch.\n", b);
	ok(strcmp(a, b) != 0, "a change of field makes a new version");
	version_of("norm", "---\nkind: norm\ntitle: X\nproposed_by: c\nstatus: proposed\n---\nN\n", a);
	version_of("norm", "---\nkind: norm\ntitle: X\nproposed_by: c\nstatus: adopted\n---\nN\n", b);
	is_str(b, a, "adopting a norm leaves its version");
	is_str(a, "cdfba9696988a2fd", "a norm's version is the start of its canonical form's git blob id");
}

/* ---- the examples in perf-format(5) ---- */

static void test_examples(void)
{
	const struct perf_schema_kind *const *kinds = perf_schema_kinds();
	bool seen[32] = {false};
	size_t len, i, examples = 0;
	char *page = slurp(MAN_PAGE, &len), *p;
	const char marker[] = "\nExample (path: ";

	ok(page != NULL, "%s is readable from the repository's root", MAN_PAGE);
	if (!page)
		return;
	for (p = strstr(page, marker); p; p = strstr(p, marker)) {
		char path[PERF_SCHEMA_PATH_MAX + 1], *end, *start, *stop;
		struct perf_schema_match m;
		struct perf_buf out = PERF_BUF_INIT;
		struct perf_doc *doc = NULL;
		struct perf_error err;

		p += strlen(marker);
		end = strstr(p, "):\n");
		if (!end || (size_t)(end - p) > PERF_SCHEMA_PATH_MAX) {
			ok(0, "example marker is well formed");
			break;
		}
		memcpy(path, p, (size_t)(end - p));
		path[end - p] = '\0';
		start = end + 3;
		if (strncmp(start, "```\n", 4) || !(stop = strstr(start + 4, "\n```\n"))) {
			ok(0, "example %s is a literal block right after its marker", path);
			continue;
		}
		start += 4;
		stop += 1; /* keep the last line's newline */
		examples++;
		if (perf_schema_match_path(&m, path, &err)) {
			ok(0, "example path %s: %s", path, err.msg);
			continue;
		}
		for (i = 0; kinds[i]; i++)
			if (kinds[i] == m.kind)
				seen[i] = true;
		if (perf_schema_parse(&doc, m.kind, start, (size_t)(stop - start), path, &err)) {
			ok(0, "example %s parses: %s", path, err.msg);
			continue;
		}
		perf_schema_validate(m.kind, doc, path, NULL, collect, &out);
		is_str(perf_buf_cstr(&out), "", "example %s (%s) is valid", path, m.kind->name);
		if (m.kind->agreement) {
			/* The examples' agreements count: they name the current version. */
			const struct perf_node *list = perf_doc_get(doc, m.kind->agreement);
			char want[PERF_SCHEMA_VERSION_LEN + 1];
			bool current = list && list->n > 0;

			perf_schema_version(want, m.kind, doc, NULL);
			for (i = 0; list && i < list->n; i++) {
				const char *v = perf_node_str(list->values[i], "version");
				if (!v || strcmp(v, want))
					current = false;
			}
			ok(current, "example %s agrees to its current version %s", path, want);
		}
		perf_buf_release(&out);
		perf_doc_free(doc);
	}
	for (i = 0; kinds[i]; i++)
		ok(seen[i], "perf-format(5) has an example of %s", kinds[i]->name);
	ok(examples >= i, "%zu examples", examples);
	free(page);
}

/* Every field of every kind is in the kind's table in perf-format(5). */
static void test_man_fields(void)
{
	const struct perf_schema_kind *const *k;
	size_t len;
	char *page = slurp(MAN_PAGE, &len);
	bool all = true;

	if (!page)
		return;
	for (k = perf_schema_kinds(); *k; k++) {
		char head[64], cell[96], name[64];
		const struct perf_schema_field *f;
		const char *sec, *next;
		size_t i, j;

		snprintf(head, sizeof(head), "\n## %s\n", (*k)->name);
		sec = strstr(page, head);
		if (!sec) {
			ok(0, "perf-format(5) has a section for %s", (*k)->name);
			all = false;
			continue;
		}
		next = strstr(sec + 1, "\n## ");
		if (!next)
			next = strstr(sec + 1, "\n# ");
		for (f = (*k)->fields; f->name; f++) {
			const char *hit;
			for (i = j = 0; f->name[i] && j + 2 < sizeof(name); i++) {
				if (f->name[i] == '_')
					name[j++] = '\\'; /* scdoc escapes underscores */
				name[j++] = f->name[i];
			}
			name[j] = '\0';
			snprintf(cell, sizeof(cell), "\n|  %s\n", name);
			hit = strstr(sec, cell);
			if (!hit || (next && hit > next)) {
				ok(0, "perf-format(5) documents %s.%s", (*k)->name, f->name);
				all = false;
			}
		}
	}
	ok(all, "perf-format(5) documents every field of every kind");
	free(page);
}

int main(void)
{
	git_libgit2_init();
	test_tables();
	test_templates();
	test_paths();
	test_validate();
	test_config_text();
	test_version();
	test_examples();
	test_man_fields();
	git_libgit2_shutdown();
	return tap_done();
}
