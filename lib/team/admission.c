#include "admission.h"

#include <stdio.h>
#include <string.h>

#include "config.h"
#include "doc.h"
#include "value.h"

int perf_admission_load(struct perf_admission *out, struct perf_repo *repo, struct perf_txn *txn,
                        struct perf_error *err)
{
	struct perf_strv people = PERF_STRV_INIT;
	struct perf_config *cfg = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = perf_config_load(repo, txn, &cfg, err)) && rc != PERF_ENOTFOUND)
		return rc;
	if ((rc = perf_store_list(repo, txn, "people", &people, err)))
		goto out;
	for (size_t i = 0; i < people.n; i++) {
		const char *h = people.v[i], *by = NULL, *lead = NULL, *left = NULL;
		struct perf_doc *doc = NULL;
		const struct perf_schema_kind *kind;
		char path[PERF_HANDLE_MAX + 16];
		bool counts;
		if (!perf_value_is_handle(h))
			continue;
		snprintf(path, sizeof(path), "people/%s.md", h);
		/* A people file perf cannot read confers nothing (perf check names it). */
		if (perf_store_load(repo, txn, path, &doc, &kind, NULL) == 0) {
			by = perf_doc_str(doc, "admitted_by");
			lead = perf_doc_str(doc, "lead");
			left = perf_doc_str(doc, "left");
		}
		counts = !cfg || !cfg->maintainers.n || perf_config_is_maintainer(cfg, h) || (by && *by);
		if (left && *left)
			rc = perf_strv_push(&out->left, h);
		else if (doc || counts)
			rc = counts
			         ? perf_strv_push(&out->counted, h)
			         : (perf_strv_push(&out->waiting, h) || perf_strv_push(&out->leads, lead ? lead : ""));
		perf_doc_free(doc);
		if (rc) {
			rc = perf_error(err, PERF_ENOMEM, "out of memory");
			goto out;
		}
	}
out:
	perf_strv_release(&people);
	perf_config_free(cfg);
	if (rc)
		perf_admission_release(out);
	return rc;
}

void perf_admission_release(struct perf_admission *a)
{
	if (!a)
		return;
	perf_strv_release(&a->counted);
	perf_strv_release(&a->waiting);
	perf_strv_release(&a->leads);
	perf_strv_release(&a->left);
}

bool perf_admission_counts(const struct perf_admission *a, const char *handle)
{
	return perf_strv_has(&a->counted, handle);
}

bool perf_admission_left(const struct perf_admission *a, const char *handle)
{
	return perf_strv_has(&a->left, handle);
}
