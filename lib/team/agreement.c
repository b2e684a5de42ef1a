#include "agreement.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "value.h"

/*
 * Records who's agreement, at time `at`, to the current version of doc, in
 * the kind's agreement field: updates who's entry when it is for an older
 * version, else appends one.  PERF_EEXISTS when who already agreed to this
 * version.  Works for any kind with an agreement field.
 */
int perf_agreement_record(struct perf_doc *doc, const struct perf_schema_kind *kind, const char *who, const char *at,
                          char version[PERF_SCHEMA_VERSION_LEN + 1], struct perf_error *err)
{
	const char *field = kind->agreement;
	const struct perf_node *list = perf_doc_get(doc, field);
	struct perf_node *entry;
	char path[128];
	size_t n = list && list->type == PERF_NODE_SEQ ? list->n : 0;
	int rc;

	if ((rc = perf_schema_version(version, kind, doc, err)))
		return rc;
	if (list && list->type != PERF_NODE_SEQ && !(list->type == PERF_NODE_SCALAR && list->len == 0))
		return perf_error(err, PERF_EINVALID, "%s: '%s' is not a list; fix it by hand", perf_doc_name(doc),
		                  field);
	for (size_t i = 0; i < n; i++) {
		const struct perf_node *e = list->values[i];
		const char *w = e->type == PERF_NODE_MAP ? perf_node_str(e, "who") : NULL;
		const char *v = w ? perf_node_str(e, "version") : NULL;
		if (w && v && !strcmp(w, who) && !strcmp(v, version))
			return perf_error(err, PERF_EEXISTS, "you already agreed to this version of %s (%s)",
			                  perf_doc_name(doc), version);
	}
	for (size_t i = 0; i < n; i++) {
		const struct perf_node *e = list->values[i];
		const char *w = e->type == PERF_NODE_MAP ? perf_node_str(e, "who") : NULL;
		if (!w || strcmp(w, who))
			continue;
		/* An agreement to an older version: this one replaces it. */
		snprintf(path, sizeof(path), "%s[%zu].at", field, i);
		if ((rc = perf_doc_set_raw(doc, path, at, err)))
			return rc;
		snprintf(path, sizeof(path), "%s[%zu].version", field, i);
		return perf_doc_set_str(doc, path, version, err);
	}
	entry = perf_node_new_map();
	if (!entry || perf_node_map_add(entry, "who", perf_node_new_str(who)) ||
	    perf_node_map_add(entry, "at", perf_node_new_raw(at)) ||
	    perf_node_map_add(entry, "version", perf_node_new_str(version))) {
		perf_node_free(entry);
		return perf_error(err, PERF_ENOMEM, "out of memory");
	}
	if (n) {
		snprintf(path, sizeof(path), "%s[%zu]", field, n);
		return perf_doc_set_node(doc, path, entry, err);
	}
	struct perf_node *seq = perf_node_new_seq();
	if (!seq || perf_node_seq_add(seq, entry)) {
		perf_node_free(seq);
		return perf_error(err, PERF_ENOMEM, "out of memory");
	}
	return perf_doc_set_node(doc, field, seq, err);
}

/* The agreements that count: those to the current version, each person once. */
int perf_agreement_current(const struct perf_doc *doc, const struct perf_schema_kind *kind, const char *version,
                           struct perf_strv *who, struct perf_strv *at, struct perf_error *err)
{
	const struct perf_node *list = perf_doc_get(doc, kind->agreement);

	if (!list || list->type != PERF_NODE_SEQ)
		return 0;
	for (size_t i = 0; i < list->n; i++) {
		const struct perf_node *e = list->values[i];
		const char *w, *v, *t;
		if (e->type != PERF_NODE_MAP)
			continue;
		w = perf_node_str(e, "who");
		v = perf_node_str(e, "version");
		t = perf_node_str(e, "at");
		if (!w || !v || strcmp(v, version) || !perf_value_is_handle(w) || perf_strv_has(who, w))
			continue;
		if (perf_strv_push(who, w) || perf_strv_push(at, t ? t : ""))
			return perf_error(err, PERF_ENOMEM, "out of memory");
	}
	return 0;
}

static const char *const config_keys[] = {
    "cadences.checkin", "cadences.share", "agreement", "team", "signing_required", NULL};

int perf_program_check(const char *key, const char *value, struct perf_error *err)
{
	if (!strncmp(key, "templates.", 10)) {
		const struct perf_schema_kind *k = perf_schema_kind(key + 10);
		if (!k || !perf_schema_template(k))
			return perf_error(err, PERF_EINVALID, "'%s': there is no template for '%s'", key, key + 10);
		return 0;
	}
	for (size_t i = 0; config_keys[i]; i++)
		if (!strcmp(config_keys[i], key)) {
			if (strchr(value, '\n'))
				return perf_error(err, PERF_EINVALID, "'%s' must be one line", key);
			return 0;
		}
	return perf_error(err, PERF_EINVALID,
	                  "'%s' is not part of the program a norm can change (cadences.checkin, cadences.share, "
	                  "agreement, team, signing_required, templates.<kind>)",
	                  key);
}

int perf_program_apply(struct perf_txn *txn, const struct perf_doc *norm, struct perf_strv *applied,
                       struct perf_error *err)
{
	const struct perf_node *changes = perf_doc_get(norm, "changes");
	struct perf_config *cfg = NULL;
	bool config_changed = false;
	int rc = 0;

	if (!changes || changes->type != PERF_NODE_SEQ || !changes->n)
		return 0;
	if ((rc = perf_config_load(perf_txn_repo(txn), txn, &cfg, err)))
		return rc;
	for (size_t i = 0; i < changes->n && !rc; i++) {
		const char *key = perf_node_str(changes->values[i], "key");
		const char *value = perf_node_str(changes->values[i], "value");
		if (!key || !value)
			continue;
		if ((rc = perf_program_check(key, value, err)))
			break;
		if (!strncmp(key, "templates.", 10)) {
			char path[128];
			snprintf(path, sizeof(path), ".perf/templates/%s.md", key + 10);
			rc = perf_txn_put(txn, path, value, strlen(value), err);
		} else {
			long n;
			bool b;
			if (perf_value_parse_int(value, &n, NULL) == 0 || perf_value_parse_bool(value, &b, NULL) == 0 ||
			    !perf_doc_needs_quotes(value))
				rc = perf_doc_set_raw(cfg->doc, key, value, err);
			else
				rc = perf_doc_set_str(cfg->doc, key, value, err);
			config_changed = true;
		}
		if (!rc && perf_strv_push(applied, key))
			rc = perf_error(err, PERF_ENOMEM, "out of memory");
	}
	if (!rc && config_changed) {
		rc = perf_store_put(txn, perf_schema_kind("config"), cfg->doc, PERF_CONFIG_PATH, err);
		if (rc)
			perf_error_prefix(err, "the norm's change does not fit the program");
	}
	perf_config_free(cfg);
	return rc;
}
