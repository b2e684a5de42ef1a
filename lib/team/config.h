/*
 * The team's program, .perf/config.yaml, as data: name, cadences,
 * accountability groups, maintainers, the agreement rule for norms.
 *
 * perf_config_load reads it through a transaction or from HEAD; the
 * struct owns everything in it and perf_config_free releases it (NULL is
 * fine).  The parsed document stays available (cfg->doc) for edits.
 */
#ifndef PERF_CONFIG_H
#define PERF_CONFIG_H

#include <stdbool.h>

#include "doc.h"
#include "error.h"
#include "repo.h"
#include "store.h"

#define PERF_CONFIG_PATH ".perf/config.yaml"

struct perf_group {
	char *name;
	struct perf_strv members;
};

enum perf_agreement { PERF_AGREE_MAJORITY, PERF_AGREE_ALL, PERF_AGREE_COUNT };

struct perf_config {
	struct perf_doc *doc;
	char *team;
	char *checkin_cadence; /* weekly unless set */
	char *share_cadence;   /* monthly unless set */
	struct perf_group *groups;
	size_t ngroups;
	struct perf_strv maintainers;
	enum perf_agreement agreement;
	long agreement_count; /* PERF_AGREE_COUNT */
	bool signing_required;
};

int perf_config_load(struct perf_repo *repo, struct perf_txn *txn, struct perf_config **out, struct perf_error *err);
void perf_config_free(struct perf_config *cfg);

const struct perf_group *perf_config_group(const struct perf_config *cfg, const char *name);
/* The first group with handle among its members, or NULL. */
const struct perf_group *perf_config_group_of(const struct perf_config *cfg, const char *handle);
bool perf_config_is_maintainer(const struct perf_config *cfg, const char *handle);
/* Agreements needed to adopt a norm in a team of team_size people. */
size_t perf_config_quorum(const struct perf_config *cfg, size_t team_size);
/* "a majority (3 of 5)", "everyone (5)", "2 people" into out. */
void perf_config_quorum_text(const struct perf_config *cfg, size_t team_size, char *out, size_t outsz);

#endif
