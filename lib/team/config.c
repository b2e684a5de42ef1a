#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "value.h"

static char *dup_or(const char *s, const char *fallback)
{
	return strdup(s ? s : fallback);
}

static int strv_from(const struct perf_node *seq, struct perf_strv *out)
{
	for (size_t i = 0; seq && seq->type == PERF_NODE_SEQ && i < seq->n; i++)
		if (seq->values[i]->type == PERF_NODE_SCALAR && perf_strv_push(out, seq->values[i]->text))
			return PERF_ENOMEM;
	return 0;
}

int perf_config_load(struct perf_repo *repo, struct perf_txn *txn, struct perf_config **out, struct perf_error *err)
{
	struct perf_config *cfg;
	const struct perf_node *groups;
	const char *agree;
	int rc;

	*out = NULL;
	cfg = calloc(1, sizeof(*cfg));
	if (!cfg)
		return perf_error(err, PERF_ENOMEM, "out of memory");
	if ((rc = perf_store_load(repo, txn, PERF_CONFIG_PATH, &cfg->doc, NULL, err)))
		goto fail;
	if ((rc = perf_store_check(perf_schema_kind("config"), cfg->doc, PERF_CONFIG_PATH, err)))
		goto fail;
	cfg->team = dup_or(perf_doc_str(cfg->doc, "team"), "");
	cfg->checkin_cadence = dup_or(perf_doc_str(cfg->doc, "cadences.checkin"), "weekly");
	cfg->share_cadence = dup_or(perf_doc_str(cfg->doc, "cadences.share"), "monthly");
	if (!cfg->team || !cfg->checkin_cadence || !cfg->share_cadence)
		goto nomem;
	if (strv_from(perf_doc_get(cfg->doc, "maintainers"), &cfg->maintainers))
		goto nomem;
	groups = perf_doc_get(cfg->doc, "groups");
	if (groups && groups->type == PERF_NODE_SEQ && groups->n) {
		cfg->groups = calloc(groups->n, sizeof(*cfg->groups));
		if (!cfg->groups)
			goto nomem;
		for (size_t i = 0; i < groups->n; i++) {
			const char *name = perf_node_str(groups->values[i], "name");
			struct perf_group *g = &cfg->groups[cfg->ngroups];
			if (!name)
				continue;
			g->name = strdup(name);
			cfg->ngroups++;
			if (!g->name || strv_from(perf_node_get(groups->values[i], "members"), &g->members))
				goto nomem;
		}
	}
	agree = perf_doc_str(cfg->doc, "agreement");
	cfg->agreement = PERF_AGREE_MAJORITY;
	if (agree && !strcmp(agree, "all")) {
		cfg->agreement = PERF_AGREE_ALL;
	} else if (agree && strcmp(agree, "majority")) {
		long n;
		if (perf_value_parse_int(agree, &n, NULL) == 0 && n > 0) {
			cfg->agreement = PERF_AGREE_COUNT;
			cfg->agreement_count = n;
		}
	}
	{
		const char *s = perf_doc_str(cfg->doc, "signing_required");
		bool b = false;
		if (s && perf_value_parse_bool(s, &b, NULL) == 0)
			cfg->signing_required = b;
	}
	*out = cfg;
	return 0;
nomem:
	rc = perf_error(err, PERF_ENOMEM, "out of memory");
fail:
	perf_config_free(cfg);
	return rc;
}

void perf_config_free(struct perf_config *cfg)
{
	if (!cfg)
		return;
	perf_doc_free(cfg->doc);
	free(cfg->team);
	free(cfg->checkin_cadence);
	free(cfg->share_cadence);
	for (size_t i = 0; i < cfg->ngroups; i++) {
		free(cfg->groups[i].name);
		perf_strv_release(&cfg->groups[i].members);
	}
	free(cfg->groups);
	perf_strv_release(&cfg->maintainers);
	free(cfg);
}

const struct perf_group *perf_config_group(const struct perf_config *cfg, const char *name)
{
	for (size_t i = 0; i < cfg->ngroups; i++)
		if (!strcmp(cfg->groups[i].name, name))
			return &cfg->groups[i];
	return NULL;
}

const struct perf_group *perf_config_group_of(const struct perf_config *cfg, const char *handle)
{
	for (size_t i = 0; i < cfg->ngroups; i++)
		if (perf_strv_has(&cfg->groups[i].members, handle))
			return &cfg->groups[i];
	return NULL;
}

bool perf_config_is_maintainer(const struct perf_config *cfg, const char *handle)
{
	return perf_strv_has(&cfg->maintainers, handle);
}

size_t perf_config_quorum(const struct perf_config *cfg, size_t team_size)
{
	switch (cfg->agreement) {
	case PERF_AGREE_ALL:
		return team_size ? team_size : 1;
	case PERF_AGREE_COUNT:
		return (size_t)cfg->agreement_count;
	case PERF_AGREE_MAJORITY:
		break;
	}
	return team_size / 2 + 1;
}

void perf_config_quorum_text(const struct perf_config *cfg, size_t team_size, char *out, size_t outsz)
{
	size_t q = perf_config_quorum(cfg, team_size);

	switch (cfg->agreement) {
	case PERF_AGREE_ALL:
		snprintf(out, outsz, "everyone (%zu)", q);
		break;
	case PERF_AGREE_COUNT:
		snprintf(out, outsz, "%zu %s", q, q == 1 ? "person" : "people");
		break;
	case PERF_AGREE_MAJORITY:
		snprintf(out, outsz, "a majority (%zu of %zu)", q, team_size);
		break;
	}
}
