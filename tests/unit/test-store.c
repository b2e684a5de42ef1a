/*
 * lib/store: TARGET resolution in every form perf_store_resolve's header
 * lists (paths, KIND:[HANDLE/]NAME, HANDLE/WEEK, WEEK, HANDLE/SLUG, a bare
 * goal), prefixes and ambiguity, the errors people see; folder listings,
 * threads, people and their leads, on a small team built with
 * perf_repo_init in a temporary folder.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "repo.h"
#include "store.h"
#include "tap.h"

#define DOC(kind) "---\nkind: " kind "\n---\n"
#define FILE_OF(p, text)                                                                                               \
	{                                                                                                              \
		p, text, sizeof(text) - 1                                                                              \
	}

static const struct perf_file team[] = {
    FILE_OF(".perf/config.yaml", "kind: config\nformat: 1\n"),
    FILE_OF("people/ari.md", "---\nkind: person\nname: Ari Example\nemail: ari@example.com\n---\n"),
    FILE_OF("people/bo.md", "---\nkind: person\nname: Bo Example\nlead: ari\n---\n"),
    FILE_OF("people/bob.md", "---\nkind: person\nname: Bob Example\nlead: Not A Handle\n---\n"),
    FILE_OF("expectations/ari.md", DOC("expectations") "x\n"),
    FILE_OF("goals/ari/ship-search.md", DOC("goal") "x\n"),
    FILE_OF("goals/ari/ship-sync.md", DOC("goal") "x\n"),
    FILE_OF("goals/ari/hire.md", DOC("goal") "x\n"),
    FILE_OF("goals/ari/notes.txt", "not a document\n"),
    FILE_OF("goals/ari/ship-search/20261121T090000Z-bo.md", DOC("reply") "second\n"),
    FILE_OF("goals/ari/ship-search/20261120T100000Z-bo.md", DOC("reply") "first\n"),
    FILE_OF("goals/ari/ship-search/20261120T100000Z-ari.md", DOC("reply") "same second\n"),
    FILE_OF("goals/bo/ship-search.md", DOC("goal") "x\n"),
    FILE_OF("checkins/ari/2026-W47.md", DOC("checkin") "x\n"),
    FILE_OF("checkins/ari/2026-W48.md", DOC("checkin") "x\n"),
    FILE_OF("checkins/bo/2026-W47.md", DOC("checkin") "x\n"),
    FILE_OF("notes/ari/2026-11-20-one-to-one.md", DOC("note") "x\n"),
    FILE_OF("notes/ari/2026-11-20-review.md", DOC("note") "x\n"),
    FILE_OF("feedback/ari/fb-3k9x.md", DOC("feedback") "x\n"),
    FILE_OF("praise/bo/20261121T090000Z-ari.md", DOC("praise") "x\n"),
    FILE_OF("cycles/q4.md", DOC("cycle") "x\n"),
    FILE_OF("norms/no-meeting-fridays.md", DOC("norm") "x\n"),
};

static struct perf_repo *repo;

/* TARGET as `me` resolves to want (a path), of kind. */
static void resolves(const char *target, const char *me, const char *want, const char *kind)
{
	struct perf_target t;
	struct perf_error err = {0};
	int rc = perf_store_resolve(repo, NULL, target, me, &t, &err);

	if (rc) {
		ok(0, "'%s' as %s resolves to %s", target, me ? me : "nobody", want);
		printf("#   error %d: %s\n", rc, err.msg);
		return;
	}
	is_str(t.path, want, "'%s' as %s resolves to %s", target, me ? me : "nobody", want);
	is_str(t.match.kind ? t.match.kind->name : NULL, kind, "... a %s", kind);
}

/* A target as a TAP description may show it: control characters as '?'. */
static const char *shown(const char *target)
{
	static char out[128];
	size_t i;

	for (i = 0; target[i] && i < sizeof(out) - 1; i++)
		out[i] = (unsigned char)target[i] < 0x20 || target[i] == 0x7f ? '?' : target[i];
	out[i] = '\0';
	return out;
}

/* TARGET fails with code, and the message holds each of the texts. */
static void refused(const char *target, const char *me, int code, const char *says, const char *says_too)
{
	struct perf_target t;
	struct perf_error err = {0};
	int rc = perf_store_resolve(repo, NULL, target, me, &t, &err);
	bool said = strstr(err.msg, says) && (!says_too || strstr(err.msg, says_too));

	is_int(rc, code, "'%s' as %s is refused", shown(target), me ? me : "nobody");
	ok(said, "... saying '%s'%s%s", says, says_too ? " and " : "", says_too ? says_too : "");
	if (!said) {
		printf("#   said: ");
		for (const char *p = err.msg; *p; p++)
			printf(*p == '\n' ? "\n#   " : "%c", *p);
		printf("\n");
	}
}

/* Resolves inside a write, after staging a new goal; fails so nothing is committed. */
struct in_txn {
	int rc;
	struct perf_target t;
	struct perf_error err;
	bool exists;
};

static int resolve_staged(struct perf_txn *txn, void *payload, struct perf_error *err)
{
	struct in_txn *r = payload;
	int rc = perf_txn_put(txn, "goals/ari/staged.md", DOC("goal") "x\n", sizeof(DOC("goal")) + 1, err);

	if (rc)
		return rc;
	r->rc = perf_store_resolve(perf_txn_repo(txn), txn, "goals/ari/staged", "ari", &r->t, &r->err);
	r->exists = perf_store_person_exists(perf_txn_repo(txn), txn, "ari");
	return perf_error(err, PERF_ECONFLICT, "stop here");
}

int main(void)
{
	struct perf_error err = {0};
	struct perf_strv names = PERF_STRV_INIT;
	char dir[1024], lead[PERF_HANDLE_MAX + 1], head[64];
	int rc;

	if (fixture_init("store"))
		return 1;
	snprintf(dir, sizeof(dir), "%s/team", fixture_root);
	rc = perf_repo_init(&repo, dir, team, sizeof(team) / sizeof(*team), "init: store fixture", NULL, NULL, &err);
	is_int(rc, 0, "the team repository is made (%s)", rc ? err.msg : "");
	if (rc)
		return tap_done();

	/* Paths, with and without .md. */
	resolves("checkins/ari/2026-W47.md", NULL, "checkins/ari/2026-W47.md", "checkin");
	resolves("checkins/ari/2026-W47", NULL, "checkins/ari/2026-W47.md", "checkin");
	resolves("goals/ari/ship-search/20261120T100000Z-bo", NULL, "goals/ari/ship-search/20261120T100000Z-bo.md",
	         "reply");
	refused("checkins/ari/2026-W01", "ari", PERF_ENOTFOUND, "checkins/ari/2026-W01.md: no such document", NULL);
	refused("goals/ari/../bo/hire", "ari", PERF_EINVALID, "goals/ari/../bo/hire.md", NULL);

	/* KIND:[HANDLE/]NAME, names by unambiguous prefix. */
	resolves("goal:hire", "ari", "goals/ari/hire.md", "goal");
	resolves("goal:h", "ari", "goals/ari/hire.md", "goal");
	resolves("goal:ship-se", "ari", "goals/ari/ship-search.md", "goal");
	resolves("goal:bo/ship", "ari", "goals/bo/ship-search.md", "goal");
	refused("goal:ship", "ari", PERF_EAMBIGUOUS, "goals/ari/ship-search.md", "goals/ari/ship-sync.md");
	refused("goal:nothing", "ari", PERF_ENOTFOUND, "nothing in goals/ari/ starts with it", NULL);
	refused("goal:hire", NULL, PERF_ENOTFOUND, "perf join", NULL);
	refused("goal:", "ari", PERF_EINVALID, "write goal:NAME", NULL);
	resolves("checkin:2026-W48", "ari", "checkins/ari/2026-W48.md", "checkin");
	resolves("checkin:bo/2026-W47", "ari", "checkins/bo/2026-W47.md", "checkin");
	resolves("expect:", "ari", "expectations/ari.md", "expectations");
	resolves("expect:ari", "bo", "expectations/ari.md", "expectations");
	refused("expect:bo", "ari", PERF_ENOTFOUND, "bo has no expectations yet", "perf expect bo");
	resolves("note:ari/2026-11-20-r", "bo", "notes/ari/2026-11-20-review.md", "note");
	refused("note:ari/2026-11-20", "bo", PERF_EAMBIGUOUS, "notes/ari/2026-11-20-one-to-one.md",
	        "notes/ari/2026-11-20-review.md");
	resolves("feedback:ari/fb", "bo", "feedback/ari/fb-3k9x.md", "feedback");
	resolves("praise:bo/2026", "ari", "praise/bo/20261121T090000Z-ari.md", "praise");
	resolves("cycle:q", NULL, "cycles/q4.md", "cycle");
	refused("cycle:ari/q4", NULL, PERF_EINVALID, "a cycle has no owner", NULL);
	resolves("norm:no-meeting", NULL, "norms/no-meeting-fridays.md", "norm");
	resolves("person:bo", NULL, "people/bo.md", "person");
	refused("person:b", NULL, PERF_EAMBIGUOUS, "people/bo.md", "people/bob.md");
	refused("task:x", "ari", PERF_EINVALID, "unknown kind 'task:'", NULL);

	/* HANDLE/WEEK, WEEK, HANDLE/SLUG and a bare goal. */
	resolves("bo/2026-W47", NULL, "checkins/bo/2026-W47.md", "checkin");
	refused("bo/2026-W48", NULL, PERF_ENOTFOUND, "bo has no check-in for 2026-W48", NULL);
	resolves("2026-W47", "ari", "checkins/ari/2026-W47.md", "checkin");
	resolves("2026-W47", "bo", "checkins/bo/2026-W47.md", "checkin");
	refused("2026-W47", NULL, PERF_ENOTFOUND, "you have not joined the team", NULL);
	refused("2026-W01", "ari", PERF_ENOTFOUND, "you have no check-in for 2026-W01", NULL);
	resolves("ari/hire", "bo", "goals/ari/hire.md", "goal");
	resolves("hire", "ari", "goals/ari/hire.md", "goal");

	/* What is refused before anything is looked up. */
	refused("", "ari", PERF_EINVALID, "empty target", NULL);
	refused("goal:hi\nre", "ari", PERF_EINVALID, "control character", NULL);
	refused("goal:hi\x1b[31m", "ari", PERF_EINVALID, "control character", NULL);
	refused("goal:hi\x7f", "ari", PERF_EINVALID, "control character", NULL);
	refused("Not a target!", "ari", PERF_EINVALID, "is not a target", NULL);

	/* Inside a write, the transaction's staged document is found by path. */
	{
		struct in_txn r = {0};
		snprintf(head, sizeof(head), "%s", fixture_capture("git -C %s rev-parse HEAD", dir));
		rc = perf_repo_write(repo, resolve_staged, &r, NULL, &err);
		is_int(rc, PERF_ECONFLICT, "the write stops as its callback asks");
		is_int(r.rc, 0, "a document staged in the transaction resolves by path (%s)", r.rc ? r.err.msg : "");
		is_str(r.t.path, "goals/ari/staged.md", "... to its path");
		ok(r.exists, "a person exists as the transaction sees the tree");
		is_str(fixture_capture("git -C %s rev-parse HEAD", dir), head, "nothing was committed");
		refused("goals/ari/staged", "ari", PERF_ENOTFOUND, "no such document", NULL);
	}

	/* Listing a folder: documents only, without .md, sorted. */
	rc = perf_store_list(repo, NULL, "goals/ari", &names, &err);
	is_int(rc, 0, "goals/ari lists");
	is_int(names.n, 3, "three documents (a folder and a .txt file left out)");
	if (names.n == 3) {
		is_str(names.v[0], "hire", "first: hire");
		is_str(names.v[1], "ship-search", "then ship-search");
		is_str(names.v[2], "ship-sync", "then ship-sync");
	}
	perf_strv_release(&names);
	rc = perf_store_list(repo, NULL, "goals/dee", &names, &err);
	ok(rc == 0 && names.n == 0, "a folder that does not exist lists as empty");
	perf_strv_release(&names);
	rc = perf_store_list(repo, NULL, "people", &names, &err);
	{
		char joined[256] = "";
		for (size_t i = 0; i < names.n; i++)
			snprintf(joined + strlen(joined), sizeof(joined) - strlen(joined), "%s%s", i ? " " : "",
			         names.v[i]);
		is_str(joined,
		       fixture_capture("git -C %s ls-tree --name-only HEAD people/ | sed 's|people/||; s|\\.md$||' | "
		                       "LC_ALL=C sort | paste -sd ' '",
		                       dir),
		       "people/ lists what git's ls-tree lists: %s", joined);
	}
	perf_strv_release(&names);

	/* A thread: the replies, in time order (stamp, then author). */
	rc = perf_store_thread(repo, NULL, "goals/ari/ship-search.md", &names, &err);
	is_int(rc, 0, "the thread of a goal reads");
	is_int(names.n, 3, "three replies");
	if (names.n == 3) {
		is_str(names.v[0], "goals/ari/ship-search/20261120T100000Z-ari.md", "oldest first, authors in order");
		is_str(names.v[1], "goals/ari/ship-search/20261120T100000Z-bo.md", "... then the same second's other");
		is_str(names.v[2], "goals/ari/ship-search/20261121T090000Z-bo.md", "... then the next day's");
	}
	perf_strv_release(&names);
	rc = perf_store_thread(repo, NULL, "goals/ari/hire.md", &names, &err);
	ok(rc == 0 && names.n == 0, "a document nobody answered has an empty thread");
	perf_strv_release(&names);

	/* People and their leads. */
	ok(perf_store_person_exists(repo, NULL, "ari"), "ari is in the team");
	ok(perf_store_person_exists(repo, NULL, "bob"), "bob is in the team");
	ok(!perf_store_person_exists(repo, NULL, "dee"), "dee is not");
	ok(!perf_store_person_exists(repo, NULL, "../people/ari"), "a path is not a handle");
	ok(!perf_store_person_exists(repo, NULL, "Ari"), "handles are lowercase");
	is_int(perf_store_require_person(repo, NULL, "ari", &err), 0, "ari is required and there");
	rc = perf_store_require_person(repo, NULL, "dee", &err);
	is_int(rc, PERF_ENOTFOUND, "requiring dee fails");
	is_str(err.msg, "no person 'dee' in the team (no people/dee.md)", "... naming the file");
	is_int(perf_store_require_person(repo, NULL, "A B", &err), PERF_EINVALID, "a bad handle is invalid input");

	rc = perf_store_lead_of(repo, NULL, "bo", lead, &err);
	ok(rc == 0 && !strcmp(lead, "ari"), "bo's lead is ari (%s)", lead);
	snprintf(lead, sizeof(lead), "junk");
	rc = perf_store_lead_of(repo, NULL, "ari", lead, &err);
	ok(rc == 0 && !strcmp(lead, ""), "ari has no lead: empty");
	snprintf(lead, sizeof(lead), "junk");
	rc = perf_store_lead_of(repo, NULL, "bob", lead, &err);
	ok(rc == 0 && !strcmp(lead, ""), "a lead that is not a handle reads as none");
	rc = perf_store_lead_of(repo, NULL, "dee", lead, &err);
	is_int(rc, PERF_ENOTFOUND, "the lead of someone not in the team: not found");

	perf_repo_free(repo);
	fixture_done();
	return tap_done();
}
