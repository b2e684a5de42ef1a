/*
 * perf group [NAME]: an accountability group of about four, at a glance:
 * each member's latest check-in, open actions and what is overdue.
 * perf group set NAME HANDLE...: (maintainers) who is in a group.
 */
#include "perf.h"
#include "toolkit.h"

#include <string.h>

#include "admission.h"
#include "config.h"
#include "team.h"
#include "value.h"

static const struct perf_opt group_opts[] = {
    {0},
};

struct set {
	const char *me, *name;
	char **members;
	int n;
};

static int set_txn(struct perf_txn *txn, void *payload, struct perf_error *err)
{
	struct set *s = payload;
	struct perf_config *cfg = NULL;
	const struct perf_node *groups;
	struct perf_node *g = NULL, *members = NULL;
	struct perf_admission team;
	char path[64];
	size_t idx;
	int rc;

	if ((rc = perf_config_load(perf_txn_repo(txn), txn, &cfg, err)))
		return rc;
	if (cfg->maintainers.n && !perf_config_is_maintainer(cfg, s->me)) {
		rc = perf_error(err, PERF_EPERM, "only the team's maintainers change groups (or propose it as a norm)");
		goto out;
	}
	if ((rc = perf_admission_load(&team, perf_txn_repo(txn), txn, err)))
		goto out;
	for (int i = 0; i < s->n && !rc; i++)
		if (!(rc = perf_store_require_person(perf_txn_repo(txn), txn, s->members[i], err)) &&
		    perf_admission_left(&team, s->members[i]))
			rc = perf_error(err, PERF_EINVALID,
			                "%s left the team (people/%s.md): leave them out of the group", s->members[i],
			                s->members[i]);
	perf_admission_release(&team);
	if (rc)
		goto out;
	members = perf_node_new_seq();
	for (int i = 0; members && i < s->n; i++)
		if (perf_node_seq_add(members, perf_node_new_str(s->members[i]))) {
			perf_node_free(members);
			members = NULL;
		}
	if (!members) {
		rc = perf_error(err, PERF_ENOMEM, "out of memory");
		goto out;
	}
	groups = perf_doc_get(cfg->doc, "groups");
	for (idx = 0; groups && groups->type == PERF_NODE_SEQ && idx < groups->n; idx++) {
		const char *n = perf_node_str(groups->values[idx], "name");
		if (n && !strcmp(n, s->name))
			break;
	}
	if (groups && groups->type == PERF_NODE_SEQ && idx < groups->n) {
		snprintf(path, sizeof(path), "groups[%zu].members", idx);
		rc = perf_doc_set_node(cfg->doc, path, members, err);
	} else {
		g = perf_node_new_map();
		if (!g || perf_node_map_add(g, "name", perf_node_new_str(s->name)) ||
		    perf_node_map_add(g, "members", members)) {
			perf_node_free(g);
			rc = perf_error(err, PERF_ENOMEM, "out of memory");
			goto out;
		}
		if (groups && groups->type == PERF_NODE_SEQ && groups->n) {
			snprintf(path, sizeof(path), "groups[%zu]", groups->n);
			rc = perf_doc_set_node(cfg->doc, path, g, err);
		} else {
			struct perf_node *seq = perf_node_new_seq();
			if (!seq || perf_node_seq_add(seq, g)) {
				perf_node_free(seq);
				rc = perf_error(err, PERF_ENOMEM, "out of memory");
				goto out;
			}
			rc = perf_doc_set_node(cfg->doc, "groups", seq, err);
		}
	}
	if (!rc)
		rc = perf_put_config(txn, cfg, err, "group: %s set %s", s->me, s->name);
out:
	perf_config_free(cfg);
	return rc;
}

/* Someone who left stays in the group's record but is asked nothing: not shown. */
static void show_group(struct perf_ctx *ctx, const struct perf_group *g, const struct perf_admission *team, time_t now,
                       bool first)
{
	size_t shown = 0, active = 0;

	for (size_t i = 0; i < g->members.n; i++)
		active += !perf_admission_left(team, g->members.v[i]);
	if (ctx->json) {
		printf("%s{\"name\": ", first ? "" : ", ");
		perf_json_str(stdout, g->name);
		printf(", \"members\": [");
	} else {
		printf("%s%s (%zu)\n", first ? "" : "\n", g->name, active);
	}
	for (size_t i = 0; i < g->members.n; i++) {
		struct perf_due d;
		struct perf_error err;
		if (perf_admission_left(team, g->members.v[i]))
			continue;
		if (perf_team_due(ctx->repo, g->members.v[i], now, false, &d, &err)) {
			fprintf(stderr, "perf: %s\n", err.msg);
			continue;
		}
		if (ctx->json) {
			printf("%s{\"person\": ", shown++ ? ", " : "");
			perf_json_str(stdout, g->members.v[i]);
			printf(", \"latest_checkin\": ");
			perf_json_str(stdout, d.latest_week[0] ? d.latest_week : NULL);
			printf(", \"mood\": %s, \"checked_in\": %s, \"open_actions\": %zu, \"overdue_actions\": %zu}",
			       d.latest_mood[0] ? d.latest_mood : "null", d.checked_in ? "true" : "false",
			       d.open_actions, d.overdue_actions);
		} else {
			char latest[32];
			snprintf(latest, sizeof(latest), "%s%s%s", d.latest_week[0] ? d.latest_week : "never",
			         d.latest_mood[0] ? " mood " : "", d.latest_mood);
			printf("  %-12s last check-in %-18s %zu open action%s%s%s\n", g->members.v[i], latest,
			       d.open_actions, d.open_actions == 1 ? "" : "s", d.overdue_actions ? ", overdue: " : "",
			       d.overdue_actions ? (d.overdue_actions == 1 ? "1" : "several") : "");
			for (size_t k = 0; k < d.n; k++)
				if (d.v[k].overdue || d.v[k].kind == PERF_DUE_CHECKIN)
					printf("      %s%s\n", d.v[k].text, d.v[k].overdue ? " (overdue)" : "");
		}
		perf_due_release(&d);
	}
	if (ctx->json)
		printf("]}");
}

static int group_set(struct perf_ctx *ctx, void *args, const char *verb, int argc, char **argv)
{
	struct set s = {NULL, NULL, argv + 1, argc - 1};
	struct perf_error err;

	(void)args;
	(void)verb;
	if (argc < 2)
		return perf_usage_error(ctx->cmd, "group set needs NAME and at least one HANDLE");
	s.name = argv[0];
	if (perf_value_check_handle(s.name, "group name", &err))
		return perf_usage_error(ctx->cmd, "%s", err.msg);
	if (perf_repo_require_handle(ctx->repo, &s.me, &err))
		return perf_fail(&err);
	perf_note_repo(ctx);
	if (perf_repo_write(ctx->repo, set_txn, &s, NULL, &err))
		return perf_fail(&err);
	printf("group %s: %d member%s\n", s.name, s.n, s.n == 1 ? "" : "s");
	return PERF_EXIT_OK;
}

static int group_show(struct perf_ctx *ctx, void *args, const char *verb, int argc, char **argv)
{
	struct perf_error err;
	struct perf_config *cfg = NULL;
	struct perf_admission team;
	time_t now = perf_value_now();
	int rc = PERF_EXIT_OK;

	(void)args;
	(void)verb;
	if (argc > 1)
		return perf_usage_error(ctx->cmd, "give at most one group NAME");
	if (perf_config_load(ctx->repo, NULL, &cfg, &err))
		return perf_fail(&err);
	if (perf_admission_load(&team, ctx->repo, NULL, &err)) {
		perf_config_free(cfg);
		return perf_fail(&err);
	}
	if (ctx->json)
		printf("[");
	if (argc == 1) {
		const struct perf_group *g = perf_config_group(cfg, argv[0]);
		if (!g) {
			if (ctx->json)
				printf("]\n");
			fprintf(stderr, "perf: no group '%s' in .perf/config.yaml; see 'perf group'\n", argv[0]);
			rc = PERF_EXIT_FAIL;
		} else {
			show_group(ctx, g, &team, now, true);
		}
	} else if (!cfg->ngroups) {
		if (!ctx->json)
			fprintf(stderr, "no groups yet; a maintainer adds one with 'perf group set NAME HANDLE...'\n");
	} else {
		for (size_t i = 0; i < cfg->ngroups; i++)
			show_group(ctx, &cfg->groups[i], &team, now, i == 0);
	}
	if (ctx->json && rc == PERF_EXIT_OK)
		printf("]\n");
	perf_admission_release(&team);
	perf_config_free(cfg);
	return rc;
}

static int run_group(struct perf_ctx *ctx, int argc, char **argv)
{
	return perf_verb_main(ctx, NULL, argc, argv);
}

static const struct perf_verb group_verbs[] = {
    {.usage = "[NAME]", .summary = "how each group, or the group NAME, is doing", .run = group_show},
    {.name = "set", .usage = "set NAME HANDLE...", .summary = "make the group NAME of these people", .run = group_set},
    {0},
};

const struct perf_cmd perf_cmd_group = {
    .group = PERF_GROUP_TEAM,
    .name = "group",
    .summary = "see how your accountability group is doing",
    .opts = group_opts,
    .flags = PERF_CMD_RECORD | PERF_CMD_REPO | PERF_CMD_READS | PERF_CMD_WRITES,
    .run = run_group,
    .verbs = group_verbs,
};
