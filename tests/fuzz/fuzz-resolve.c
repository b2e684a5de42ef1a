/*
 * libFuzzer target for TARGET resolution (lib/store.c perf_store_resolve)
 * and the value parsers it leans on (lib/value.c).
 *
 * LLVMFuzzerInitialize builds one small team repository in a temporary
 * folder (removed at exit): two people, expectations, goals with shared
 * prefixes, check-ins, a note, feedback, praise, a cycle, a norm and a
 * reply.  Each input is one flag byte and a TARGET (up to the first NUL):
 * bits 0-1 pick the acting person (none, ari, bo, or dee who is not in the
 * team), bit 2 resolves inside a write transaction (as the writing
 * commands do, before they stage anything; the callback then fails, so
 * nothing is ever committed) instead of from HEAD.
 *
 * Checked on every input: the result is 0 or a resolution error (never a
 * git, I/O or memory error); an error has a one-line message unless it
 * lists ambiguous candidates; a resolved path is safe, a perf document of
 * a known kind, exists where it was looked up, and resolves to itself.  The
 * TARGET also goes through every perf_value_* parser, whose results must
 * format back to the same text.  Aborts on any violation.
 */
#include <git2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "repo.h"
#include "schema.h"
#include "store.h"
#include "value.h"

#include "../unit/fixture.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct perf_repo *repo;

static void check(bool cond, const char *what, const char *target)
{
	if (!cond) {
		fprintf(stderr, "violated: %s (target '%s')\n", what, target);
		abort();
	}
}

static void cleanup(void)
{
	perf_repo_free(repo);
	repo = NULL;
	fixture_done();
}

#define DOC(kind) "---\nkind: " kind "\n---\n"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const struct perf_file files[] = {
	    {".perf/config.yaml", "kind: config\nformat: 1\n", 23},
	    {"people/ari.md", DOC("person") "Ari\n", sizeof(DOC("person")) + 3},
	    {"people/bo.md", DOC("person") "Bo\n", sizeof(DOC("person")) + 2},
	    {"people/bob.md", DOC("person") "Bob\n", sizeof(DOC("person")) + 3},
	    {"expectations/ari.md", DOC("expectations") "x\n", sizeof(DOC("expectations")) + 1},
	    {"goals/ari/ship-search.md", DOC("goal") "x\n", sizeof(DOC("goal")) + 1},
	    {"goals/ari/ship-sync.md", DOC("goal") "x\n", sizeof(DOC("goal")) + 1},
	    {"goals/ari/hire.md", DOC("goal") "x\n", sizeof(DOC("goal")) + 1},
	    {"goals/ari/2026-w47.md", DOC("goal") "x\n", sizeof(DOC("goal")) + 1},
	    {"goals/bo/ship-search.md", DOC("goal") "x\n", sizeof(DOC("goal")) + 1},
	    {"goals/ari/ship-search/20261120T100000Z-bo.md", DOC("reply") "x\n", sizeof(DOC("reply")) + 1},
	    {"checkins/ari/2026-W47.md", DOC("checkin") "x\n", sizeof(DOC("checkin")) + 1},
	    {"checkins/ari/2026-W48.md", DOC("checkin") "x\n", sizeof(DOC("checkin")) + 1},
	    {"checkins/ari/2020-W53.md", DOC("checkin") "x\n", sizeof(DOC("checkin")) + 1},
	    {"checkins/bo/2026-W47.md", DOC("checkin") "x\n", sizeof(DOC("checkin")) + 1},
	    {"notes/ari/2026-11-20-one-to-one.md", DOC("note") "x\n", sizeof(DOC("note")) + 1},
	    {"notes/ari/2026-11-20-review.md", DOC("note") "x\n", sizeof(DOC("note")) + 1},
	    {"feedback/ari/fb-3k9x.md", DOC("feedback") "x\n", sizeof(DOC("feedback")) + 1},
	    {"praise/bo/20261121T090000Z-ari.md", DOC("praise") "x\n", sizeof(DOC("praise")) + 1},
	    {"cycles/q4.md", DOC("cycle") "x\n", sizeof(DOC("cycle")) + 1},
	    {"norms/no-meeting-fridays.md", DOC("norm") "x\n", sizeof(DOC("norm")) + 1},
	};
	struct perf_error err;
	char dir[4200];

	(void)argc;
	(void)argv;
	if (fixture_init("fuzz-resolve")) {
		perror("mkdtemp");
		exit(1);
	}
	atexit(cleanup);
	snprintf(dir, sizeof(dir), "%s/team", fixture_root);
	if (perf_repo_init(&repo, dir, files, sizeof(files) / sizeof(*files), "init: fuzz fixture", NULL, NULL, &err)) {
		fprintf(stderr, "fixture: %s\n", err.msg);
		exit(1);
	}
	return 0;
}

/* Every perf_value_* parser over the target; what parses formats back. */
static void check_values(const char *s)
{
	char out[PERF_HANDLE_MAX + 1], text[32];
	int y, m, d, w;
	time_t t;
	long l;
	bool b;

	if (perf_value_is_handle(s)) {
		check(strlen(s) <= PERF_HANDLE_MAX && perf_value_check_handle(s, "handle", NULL) == 0, "handle checks",
		      s);
		check(perf_value_slugify(s, out, NULL) == 0, "a handle slugifies", s);
	} else {
		check(perf_value_check_handle(s, "handle", NULL) == PERF_EINVALID, "non-handle refused", s);
	}
	if (perf_value_slugify(s, out, NULL) == 0)
		check(perf_value_is_handle(out) && out[strlen(out) - 1] != '-', "a slug is a handle", s);
	if (perf_value_parse_date(s, &y, &m, &d, NULL) == 0) {
		check(strlen(s) == 10, "a date is ten characters", s);
		perf_value_format_date((time_t)perf_value_days(y, m, d) * 86400, text);
		check(!strcmp(text, s), "date round trip", s);
	}
	if (perf_value_parse_week(s, &y, &w, NULL) == 0) {
		check(w >= 1 && w <= 53, "week number in range", s);
		perf_value_week_of(perf_value_week_start(y, w) + 3 * 86400, text);
		check(!strcmp(text, s), "week round trip", s);
		perf_value_week_of(perf_value_week_start(y, w) + 6 * 86400 + 86399, text);
		check(!strcmp(text, s), "a week ends on its Sunday", s);
	}
	if (perf_value_parse_time(s, &t, NULL) == 0) {
		time_t again;
		memset(text, 'x', sizeof(text));
		perf_value_format_time(t, text);
		check(strlen(text) == 20, "a formatted time is a string", s);
		if (t >= perf_value_days(0, 1, 1) * 86400 && t < perf_value_days(10000, 1, 1) * 86400)
			check(perf_value_parse_time(text, &again, NULL) == 0 && again == t, "time round trip", s);
		memset(text, 'x', sizeof(text));
		perf_value_format_date(t, text);
		check(strlen(text) == 10, "a formatted date is a string", s);
	}
	if (perf_value_parse_int(s, &l, NULL) == 0) {
		snprintf(text, sizeof(text), "%ld", l);
		check(!strcmp(text, s + (s[0] == '+')) || (s[0] == '-' && l == 0), "int round trip", s);
		/* Any number of seconds (as $PERF_NOW may be) formats to a string of the right size. */
		memset(text, 'x', sizeof(text));
		perf_value_format_time((time_t)l, text);
		check(strlen(text) == 20 && perf_value_parse_time(text, NULL, NULL) == 0, "any time formats", s);
		memset(text, 'x', sizeof(text));
		perf_value_format_date((time_t)l, text);
		check(strlen(text) == 10 && perf_value_parse_date(text, NULL, NULL, NULL, NULL) == 0,
		      "any date formats", s);
		memset(text, 'x', sizeof(text));
		perf_value_week_of((time_t)l, text);
		check(strlen(text) == 8, "any week formats", s);
	}
	if (perf_value_parse_bool(s, &b, NULL) == 0)
		check(strlen(s) <= 5, "a bool is a word", s);
}

static void check_result(int rc, const struct perf_error *err, const struct perf_target *out, const char *target)
{
	if (rc) {
		check(rc == PERF_EINVALID || rc == PERF_ENOTFOUND || rc == PERF_EAMBIGUOUS, "a resolution error",
		      target);
		check(err->code == (enum perf_code)rc && err->msg[0], "the error has a message", target);
		check(rc == PERF_EAMBIGUOUS || !strchr(err->msg, '\n'), "the message is one line", target);
		for (const char *p = err->msg; *p; p++)
			check(*p == '\n' || ((unsigned char)*p >= 0x20 && *p != 0x7f),
			      "no control characters in the message", target);
		return;
	}
	check(perf_repo_check_path(out->path, NULL) == 0, "the path is safe", target);
	check(strlen(out->path) > 3 && !strcmp(out->path + strlen(out->path) - 3, ".md"), "the path ends in .md",
	      target);
	check(out->match.kind != NULL, "the path has a kind", target);
}

struct one {
	const char *target, *me;
	int rc;
	struct perf_error err;
	struct perf_target out;
};

#define SENTINEL PERF_ECONFLICT

static int in_txn(struct perf_txn *txn, void *payload, struct perf_error *err)
{
	struct one *o = payload;
	struct perf_target again;
	struct perf_error e2;
	int rc;

	(void)err;
	o->rc = perf_store_resolve(perf_txn_repo(txn), txn, o->target, o->me, &o->out, &o->err);
	check_result(o->rc, &o->err, &o->out, o->target);
	if (o->rc == 0) {
		check(perf_txn_exists(txn, o->out.path), "the document exists in the transaction", o->target);
		rc = perf_store_resolve(perf_txn_repo(txn), txn, o->out.path, o->me, &again, &e2);
		check(rc == 0 && !strcmp(again.path, o->out.path), "a resolved path resolves to itself", o->target);
	}
	/* Never commit: fail on purpose. */
	return SENTINEL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const people[] = {NULL, "ari", "bo", "dee"};
	struct one o;
	struct perf_error err;
	struct perf_buf b = PERF_BUF_INIT;
	char *target;
	int rc;

	if (size == 0)
		return 0;
	target = malloc(size);
	if (!target)
		return 0;
	memcpy(target, data + 1, size - 1);
	target[size - 1] = '\0';
	memset(&o, 0, sizeof(o));
	o.target = target;
	o.me = people[data[0] & 3];

	check_values(target);
	if (data[0] & 4) {
		rc = perf_repo_write(repo, in_txn, &o, NULL, &err);
		check(rc == SENTINEL, "the transaction never commits", target);
	} else {
		o.rc = perf_store_resolve(repo, NULL, target, o.me, &o.out, &o.err);
		check_result(o.rc, &o.err, &o.out, target);
		if (o.rc == 0) {
			struct perf_target again;
			check(perf_repo_read(repo, o.out.path, &b, &err) == 0, "the document exists in HEAD", target);
			rc = perf_store_resolve(repo, NULL, o.out.path, o.me, &again, &err);
			check(rc == 0 && !strcmp(again.path, o.out.path), "a resolved path resolves to itself", target);
		}
	}
	perf_buf_release(&b);
	free(target);
	return 0;
}
