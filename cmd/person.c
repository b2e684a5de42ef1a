/*
 * perf person [list], and perf people: the team's roster, with who leads
 * whom and who left.
 * perf person lead HANDLE NEWLEAD, perf person role HANDLE ROLE: a person
 * moves; their expectations follow in the same commit (lead and role, and
 * the agreements go, so both sides agree again).
 * perf person leave HANDLE [--on DATE]: record that someone left; their
 * people file and their whole record stay.  perf person back HANDLE: a
 * maintainer takes them back.
 *
 * The person's lead (as people/ says) or a maintainer does each of these,
 * never the person alone; lib/verify holds the same rule for every commit.
 */
#include "perf.h"
#include "toolkit.h"

#include <stdlib.h>
#include <string.h>

#include "admission.h"
#include "config.h"
#include "doc.h"
#include "store.h"
#include "value.h"

enum move { MOVE_LEAD, MOVE_ROLE, MOVE_LEAVE, MOVE_BACK };

struct person {
	const char *on; /* --on */
	/* The move in progress. */
	enum move move;
	const char *me, *handle, *value;
	char was[256];                /* the field's value before ("" when none) */
	bool unchanged, expectations; /* nothing to write; expectations/<h>.md followed */
	struct perf_strv cleared;     /* who had agreed to the expectations */
	struct perf_strv reports;     /* leave: who still names them as lead */
};

static const struct perf_opt person_opts[] = {
    {.name = "on",
     .arg = "DATE",
     .help = "leave: the day they left (default: today)",
     PERF_OPT_INTO(struct person, on)},
    {0},
};

static const char *const move_field[] = {"lead", "role", "left", "left"};

/* Expectations follow a new lead or role; their agreements go. */
static int follow_expectations(struct perf_txn *txn, struct person *p, struct perf_error *err)
{
	struct perf_repo *repo = perf_txn_repo(txn);
	const struct perf_schema_kind *kind;
	const struct perf_node *agreed;
	struct perf_doc *doc = NULL;
	char path[PERF_HANDLE_MAX + 24];
	int rc;

	snprintf(path, sizeof(path), "expectations/%s.md", p->handle);
	if (!perf_txn_exists(txn, path))
		return 0;
	if ((rc = perf_store_load(repo, txn, path, &doc, &kind, err)) ||
	    (rc = perf_doc_set_str(doc, move_field[p->move], p->value, err)))
		goto out;
	agreed = perf_doc_get(doc, "agreed_by");
	for (size_t i = 0; agreed && agreed->type == PERF_NODE_SEQ && i < agreed->n; i++) {
		const char *who = perf_node_str(agreed->values[i], "who");
		if (who && !perf_strv_has(&p->cleared, who) && perf_strv_push(&p->cleared, who)) {
			rc = perf_error(err, PERF_ENOMEM, "out of memory");
			goto out;
		}
	}
	if ((agreed && (rc = perf_doc_remove(doc, "agreed_by", err))) ||
	    (rc = perf_store_put(txn, kind, doc, path, err)) || (rc = perf_txn_trailer(txn, "Perf-Path", path, err)))
		goto out;
	p->expectations = true;
	rc = perf_txn_trailer_list(txn, "Perf-Cleared", &p->cleared, err);
out:
	perf_doc_free(doc);
	return rc;
}

/* Who may move p->handle: their lead (as people/ says now) or a maintainer. */
static int may_move(struct person *p, const struct perf_config *cfg, const struct perf_admission *team,
                    const char *lead, struct perf_error *err)
{
	bool maintainer = cfg && perf_config_is_maintainer(cfg, p->me);

	if (perf_admission_left(team, p->me))
		return perf_error(err, PERF_EPERM, "you (%s) left the team: you change nothing more", p->me);
	if (p->move == MOVE_BACK && !maintainer && cfg && cfg->maintainers.n)
		return perf_error(err, PERF_EPERM, "only a maintainer takes %s back (%s)", p->handle,
		                  cfg->maintainers.v[0]);
	if (maintainer || !strcmp(lead, p->me) || (!(cfg && cfg->maintainers.n) && !lead[0]))
		return 0;
	return perf_error(err, PERF_EPERM,
	                  "only %s's lead%s%s or a maintainer changes their %s, never the person alone", p->handle,
	                  lead[0] ? " " : "", lead, move_field[p->move]);
}

static int move_txn(struct perf_txn *txn, void *payload, struct perf_error *err)
{
	struct person *p = payload;
	struct perf_repo *repo = perf_txn_repo(txn);
	const struct perf_schema_kind *kind;
	struct perf_admission team;
	struct perf_config *cfg = NULL;
	struct perf_doc *doc = NULL;
	char path[PERF_HANDLE_MAX + 16], lead[PERF_HANDLE_MAX + 1];
	const char *cur;
	int rc;

	p->unchanged = p->expectations = false;
	perf_strv_release(&p->cleared);
	perf_strv_release(&p->reports);
	if ((rc = perf_admission_load(&team, repo, txn, err)))
		return rc;
	if ((rc = perf_config_load(repo, txn, &cfg, err)) && rc != PERF_ENOTFOUND)
		goto out;
	if ((rc = perf_store_require_person(repo, txn, p->handle, err)) ||
	    (rc = perf_store_lead_of(repo, txn, p->handle, lead, err)) || (rc = may_move(p, cfg, &team, lead, err)))
		goto out;
	snprintf(path, sizeof(path), "people/%s.md", p->handle);
	if ((rc = perf_store_load(repo, txn, path, &doc, &kind, err)))
		goto out;
	cur = perf_doc_str(doc, move_field[p->move]);
	snprintf(p->was, sizeof(p->was), "%s", cur ? cur : "");
	if (p->move != MOVE_BACK && perf_admission_left(&team, p->handle) &&
	    (p->move != MOVE_LEAVE || strcmp(p->was, p->value))) {
		rc = perf_error(err, PERF_EINVALID,
		                "%s left the team on %s: a maintainer takes them back first (perf person back %s)",
		                p->handle, perf_doc_str(doc, "left"), p->handle);
		goto out;
	}
	if (p->move == MOVE_LEAD) {
		if (!strcmp(p->value, p->handle)) {
			rc = perf_error(err, PERF_EINVALID, "nobody is their own lead: name someone else as %s's lead",
			                p->handle);
			goto out;
		}
		if ((rc = perf_store_require_person(repo, txn, p->value, err)))
			goto out;
		if (perf_admission_left(&team, p->value)) {
			rc = perf_error(err, PERF_EINVALID, "%s left the team: name a lead who is in it", p->value);
			goto out;
		}
	}
	if (p->move == MOVE_BACK ? !p->was[0] : !strcmp(p->was, p->value)) {
		p->unchanged = true;
		goto out;
	}
	if (p->move == MOVE_BACK)
		rc = perf_doc_remove(doc, "left", err);
	else if (p->move == MOVE_LEAVE)
		rc = perf_doc_set_raw(doc, "left", p->value, err);
	else
		rc = perf_doc_set_str(doc, move_field[p->move], p->value, err);
	if (rc || (rc = perf_store_put(txn, kind, doc, path, err)))
		goto out;
	switch (p->move) {
	case MOVE_LEAD:
		rc = perf_txn_subject(txn, err, "person: %s's lead is now %s%s%s%s", p->handle, p->value,
		                      p->was[0] ? " (was " : "", p->was, p->was[0] ? ")" : "");
		break;
	case MOVE_ROLE:
		rc = perf_txn_subject(txn, err, "person: %s's role is now %s", p->handle, p->value);
		break;
	case MOVE_LEAVE:
		rc = perf_txn_subject(txn, err, "person: %s left the team on %s", p->handle, p->value);
		break;
	case MOVE_BACK:
		rc = perf_txn_subject(txn, err, "person: %s is back in the team (left %s)", p->handle, p->was);
		break;
	}
	if (rc || (rc = perf_txn_trailer(txn, "Perf-Kind", "person", err)) ||
	    (rc = perf_txn_trailer(txn, "Perf-Path", path, err)))
		goto out;
	if (p->move == MOVE_LEAD || p->move == MOVE_ROLE)
		rc = follow_expectations(txn, p, err);
	if (!rc && p->move == MOVE_LEAVE) {
		struct perf_strv people = PERF_STRV_INIT;
		if ((rc = perf_store_list(repo, txn, "people", &people, err)))
			goto out;
		for (size_t i = 0; i < people.n && !rc; i++) {
			char theirs[PERF_HANDLE_MAX + 1];
			if (perf_value_is_handle(people.v[i]) && !perf_admission_left(&team, people.v[i]) &&
			    perf_store_lead_of(repo, txn, people.v[i], theirs, NULL) == 0 &&
			    !strcmp(theirs, p->handle) && perf_strv_push(&p->reports, people.v[i]))
				rc = perf_error(err, PERF_ENOMEM, "out of memory");
		}
		perf_strv_release(&people);
	}
out:
	perf_doc_free(doc);
	perf_config_free(cfg);
	perf_admission_release(&team);
	return rc;
}

static void print_list(const char *key, const struct perf_strv *v)
{
	printf(",\"%s\":[", key);
	for (size_t i = 0; i < v->n; i++) {
		printf("%s", i ? "," : "");
		perf_json_str(stdout, v->v[i]);
	}
	printf("]");
}

static void report_move(struct perf_ctx *ctx, const struct person *p)
{
	if (ctx->json) {
		printf("{\"person\":");
		perf_json_str(stdout, p->handle);
		printf(",\"field\":\"%s\",\"value\":", move_field[p->move]);
		perf_json_str(stdout, p->move == MOVE_BACK ? NULL : p->value);
		printf(",\"was\":");
		perf_json_str(stdout, p->was[0] ? p->was : NULL);
		printf(",\"changed\":%s,\"expectations\":%s", p->unchanged ? "false" : "true",
		       p->expectations ? "true" : "false");
		print_list("cleared", &p->cleared);
		print_list("reports", &p->reports);
		printf("}\n");
		return;
	}
	if (p->unchanged) {
		if (p->move == MOVE_BACK)
			printf("%s has not left the team; nothing to do\n", p->handle);
		else
			printf("%s's %s is already %s; nothing to do\n", p->handle, move_field[p->move], p->value);
		return;
	}
	switch (p->move) {
	case MOVE_LEAD:
		printf("%s's lead is now %s%s%s%s\n", p->handle, p->value, p->was[0] ? " (was " : "", p->was,
		       p->was[0] ? ")" : "");
		break;
	case MOVE_ROLE:
		printf("%s's role is now %s%s%s%s\n", p->handle, p->value, p->was[0] ? " (was " : "", p->was,
		       p->was[0] ? ")" : "");
		break;
	case MOVE_LEAVE:
		printf("%s left the team on %s; their record stays\n", p->handle, p->value);
		for (size_t i = 0; i < p->reports.n; i++)
			printf("  %s still names %s as lead: perf person lead %s NEWLEAD\n", p->reports.v[i], p->handle,
			       p->reports.v[i]);
		break;
	case MOVE_BACK:
		printf("%s is back in the team (had left on %s)\n", p->handle, p->was);
		break;
	}
	if (p->expectations) {
		printf("expectations/%s.md follows", p->handle);
		if (p->cleared.n) {
			printf("; agreements cleared (");
			for (size_t i = 0; i < p->cleared.n; i++)
				printf("%s%s", i ? ", " : "", p->cleared.v[i]);
			printf(")");
		}
		printf("\n  both sides agree again: perf agree expectations/%s.md\n", p->handle);
	}
}

static int person_move(struct perf_ctx *ctx, void *args, const char *verb, int argc, char **argv)
{
	struct person *p = args;
	struct perf_error err;
	char today[11];
	int rc;

	perf_error_clear(&err);
	p->move = !strcmp(verb, "lead")    ? MOVE_LEAD
	          : !strcmp(verb, "role")  ? MOVE_ROLE
	          : !strcmp(verb, "leave") ? MOVE_LEAVE
	                                   : MOVE_BACK;
	if (argc != (p->move == MOVE_LEAD || p->move == MOVE_ROLE ? 2 : 1))
		return perf_usage_error(ctx->cmd, "%s",
		                        p->move == MOVE_LEAD   ? "person lead needs HANDLE and NEWLEAD"
		                        : p->move == MOVE_ROLE ? "person role needs HANDLE and ROLE"
		                                               : "give one HANDLE");
	if (p->on && p->move != MOVE_LEAVE)
		return perf_usage_error(ctx->cmd, "--on is for 'perf person leave'");
	p->handle = argv[0];
	if (perf_value_check_handle(p->handle, "handle", &err) ||
	    (p->move == MOVE_LEAD && perf_value_check_handle(argv[1], "lead", &err)))
		return perf_usage_error(ctx->cmd, "%s", err.msg);
	if (p->move == MOVE_ROLE) {
		p->value = argv[1];
		if (!*p->value || strchr(p->value, '\n'))
			return perf_usage_error(ctx->cmd, "a role is one line of text, for example \"Staff engineer\"");
	} else if (p->move == MOVE_LEAD) {
		p->value = argv[1];
	} else if (p->move == MOVE_LEAVE) {
		int y, m, d;
		if (perf_value_now_check(&err))
			return perf_fail(&err);
		perf_value_format_date(perf_value_now(), today);
		p->value = p->on ? p->on : today;
		if (perf_value_parse_date(p->value, &y, &m, &d, &err))
			return perf_usage_error(ctx->cmd, "--on: %s", err.msg);
		if (strcmp(p->value, today) > 0)
			return perf_usage_error(
			    ctx->cmd, "--on %s is in the future: record a departure on the day or after it", p->value);
	}
	if (perf_repo_require_handle(ctx->repo, &p->me, &err))
		return perf_fail(&err);
	perf_note_repo(ctx);
	rc = perf_repo_write(ctx->repo, move_txn, p, NULL, &err);
	if (rc)
		rc = perf_fail(&err);
	else
		report_move(ctx, p);
	perf_strv_release(&p->cleared);
	perf_strv_release(&p->reports);
	return rc ? rc : PERF_EXIT_OK;
}

/* perf person [list]: everyone people/ has, who left included. */
static int person_list(struct perf_ctx *ctx, void *args, const char *verb, int argc, char **argv)
{
	struct perf_strv people = PERF_STRV_INIT;
	struct perf_config *cfg = NULL;
	struct perf_error err;
	size_t shown = 0;
	int rc;

	(void)args;
	(void)verb;
	(void)argv;
	if (argc)
		return perf_usage_error(ctx->cmd, "person list takes no operand");
	perf_error_clear(&err);
	if ((rc = perf_config_load(ctx->repo, NULL, &cfg, &err)) && rc != PERF_ENOTFOUND)
		return perf_fail(&err);
	if (perf_store_list(ctx->repo, NULL, "people", &people, &err)) {
		perf_config_free(cfg);
		return perf_fail(&err);
	}
	if (ctx->json)
		printf("[");
	else if (people.n)
		printf("%-16s %-20s %-20s %-12s %-12s %-12s %s\n", "HANDLE", "NAME", "ROLE", "LEAD", "GROUP",
		       "ADMITTED", "LEFT");
	for (size_t i = 0; i < people.n; i++) {
		const char *h = people.v[i], *name, *role, *lead, *group, *by, *left;
		const struct perf_group *g;
		struct perf_doc *doc = NULL;
		char path[PERF_HANDLE_MAX + 16];
		bool maintainer = cfg && perf_config_is_maintainer(cfg, h);
		snprintf(path, sizeof(path), "people/%s.md", h);
		if (!perf_value_is_handle(h) || perf_store_load(ctx->repo, NULL, path, &doc, NULL, NULL))
			continue; /* perf check names a people file perf cannot read */
		name = perf_doc_str(doc, "name");
		role = perf_doc_str(doc, "role");
		lead = perf_doc_str(doc, "lead");
		g = cfg ? perf_config_group_of(cfg, h) : NULL;
		group = g ? g->name : perf_doc_str(doc, "group");
		by = perf_doc_str(doc, "admitted_by");
		left = perf_doc_str(doc, "left");
		if (left && !*left)
			left = NULL;
		if (ctx->json) {
			printf("%s{\"handle\":", shown++ ? "," : "");
			perf_json_str(stdout, h);
			printf(",\"name\":");
			perf_json_str(stdout, name);
			printf(",\"role\":");
			perf_json_str(stdout, role);
			printf(",\"lead\":");
			perf_json_str(stdout, lead && *lead ? lead : NULL);
			printf(",\"group\":");
			perf_json_str(stdout, group);
			printf(",\"admitted_by\":");
			perf_json_str(stdout, by && *by ? by : NULL);
			printf(",\"maintainer\":%s,\"left\":", maintainer ? "true" : "false");
			perf_json_str(stdout, left);
			printf("}");
		} else {
			printf("%-16s %-20s %-20s %-12s %-12s %-12s %s\n", h, name ? name : "-",
			       role && *role ? role : "-", lead && *lead ? lead : "-", group && *group ? group : "-",
			       by && *by    ? by
			       : maintainer ? "(maintainer)"
			                    : "-",
			       left ? left : "-");
		}
		perf_doc_free(doc);
	}
	if (ctx->json)
		printf("]\n");
	else if (!people.n)
		printf("nobody in people/ yet; people join with 'perf join'\n");
	perf_strv_release(&people);
	perf_config_free(cfg);
	return PERF_EXIT_OK;
}

static int run_person(struct perf_ctx *ctx, int argc, char **argv)
{
	struct person p = {0};

	return perf_verb_main(ctx, &p, argc, argv);
}

static const struct perf_verb person_verbs[] = {
    {.name = "list",
     .alias = "ls",
     .usage = "[list]",
     .summary = "the roster: handle, name, role, lead, group, who admitted them, when they left",
     .flags = PERF_VERB_DEFAULT,
     .run = person_list},
    {.name = "lead",
     .usage = "lead HANDLE NEWLEAD",
     .summary = "give HANDLE a new lead; their expectations are agreed again",
     .run = person_move},
    {.name = "role",
     .usage = "role HANDLE ROLE",
     .summary = "give HANDLE a new role; their expectations are agreed again",
     .run = person_move},
    {.name = "leave",
     .usage = "leave HANDLE [--on DATE]",
     .summary = "record that HANDLE left the team; their record stays",
     .run = person_move},
    {.name = "back", .usage = "back HANDLE", .summary = "(maintainers) take back someone who left", .run = person_move},
    {0},
};

const struct perf_cmd perf_cmd_person = {
    .group = PERF_GROUP_TEAM,
    .name = "person",
    .summary = "the roster; a person's lead, role, and leaving the team",
    .opts = person_opts,
    .flags = PERF_CMD_RECORD | PERF_CMD_REPO | PERF_CMD_WRITES | PERF_CMD_READS,
    .run = run_person,
    .verbs = person_verbs,
};

/* perf people: the roster, as perf person list (one implementation). */
static int run_people(struct perf_ctx *ctx, int argc, char **argv)
{
	struct perf_optstate st;
	int rc;

	if ((rc = perf_opt_parse(&st, ctx, argc, argv, NULL, NULL)) != 0)
		return rc;
	if (st.index < argc)
		return perf_usage_error(ctx->cmd, "unexpected argument '%s'", argv[st.index]);
	return person_list(ctx, NULL, "list", 0, argv + st.index);
}

const struct perf_cmd perf_cmd_people = {
    .group = PERF_GROUP_TEAM,
    .name = "people",
    .usage = "",
    .summary = "the roster: handle, name, role, lead, group, who admitted them, who left",
    .flags = PERF_CMD_RECORD | PERF_CMD_REPO | PERF_CMD_READS,
    .run = run_people,
};
