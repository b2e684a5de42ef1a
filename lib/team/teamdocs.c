#include "teamdocs.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actions.h"
#include "store.h"
#include "strv.h"

static int cmp_doc(const void *a, const void *b)
{
	const struct perf_teamdoc *x = a, *y = b;
	int c = strcmp(x->date, y->date);

	return c ? c : strcmp(x->path, y->path);
}

static int push(struct perf_teamdocs *out, const struct perf_teamdoc *d)
{
	if (perf_array_grow((void **)&out->v, &out->cap, out->n, sizeof(*out->v), 8))
		return PERF_ENOMEM;
	out->v[out->n++] = *d;
	return 0;
}

int perf_teamdocs_load(struct perf_repo *repo, const char *from, const char *until, struct perf_teamdocs *out,
                       struct perf_error *err)
{
	int rc = 0;

	for (const struct perf_schema_kind *const *k = perf_schema_kinds(); *k && !rc; k++) {
		struct perf_strv names = PERF_STRV_INIT;
		char dir[64];
		const char *folder;
		size_t fn = perf_schema_folder(*k, &folder);

		if (!((*k)->traits & PERF_KIND_TEAM) || !fn || fn >= sizeof(dir))
			continue;
		snprintf(dir, sizeof(dir), "%.*s", (int)fn, folder);
		if ((rc = perf_store_list(repo, NULL, dir, &names, err)))
			break;
		for (size_t i = 0; i < names.n && !rc; i++) {
			struct perf_teamdoc d = {.kind = *k};
			struct perf_schema_match m;
			struct perf_error e;
			if ((size_t)snprintf(d.path, sizeof(d.path), "%s/%s.md", dir, names.v[i]) >= sizeof(d.path) ||
			    perf_schema_match_path(&m, d.path, NULL) || m.kind != *k || !m.date[0])
				continue;
			if ((from && strcmp(m.date, from) < 0) || (until && strcmp(m.date, until) > 0))
				continue;
			memcpy(d.date, m.date, sizeof(d.date));
			if (perf_store_load(repo, NULL, d.path, &d.doc, NULL, &e)) {
				if (e.code == PERF_ENOMEM)
					rc = perf_error(err, PERF_ENOMEM, "out of memory");
				continue;
			}
			if (push(out, &d)) {
				perf_doc_free(d.doc);
				rc = perf_error(err, PERF_ENOMEM, "out of memory");
			}
		}
		perf_strv_release(&names);
	}
	if (out->n)
		qsort(out->v, out->n, sizeof(*out->v), cmp_doc);
	return rc;
}

void perf_teamdocs_release(struct perf_teamdocs *docs)
{
	if (!docs)
		return;
	for (size_t i = 0; i < docs->n; i++)
		perf_doc_free(docs->v[i].doc);
	free(docs->v);
	docs->v = NULL;
	docs->n = docs->cap = 0;
}

int perf_teamdoc_title(struct perf_buf *out, const struct perf_teamdoc *d)
{
	const char *title = perf_doc_str(d->doc, "title");
	int rc;

	rc = perf_buf_printf(out, "%c%s %s", toupper((unsigned char)d->kind->noun[0]), d->kind->noun + 1, d->date);
	if (!rc && title && *title)
		rc = perf_buf_printf(out, ": %s", title);
	return rc ? PERF_ENOMEM : 0;
}

int perf_teamdoc_items(const struct perf_teamdoc *d, perf_teamdoc_item_fn item, void *payload)
{
	struct perf_buf heading = PERF_BUF_INIT, text = PERF_BUF_INIT;
	int rc = 0;

	for (const struct perf_schema_field *f = d->kind->fields; f->name && !rc; f++) {
		const struct perf_node *n = perf_doc_get(d->doc, f->name);
		bool actions = d->kind->actions && !strcmp(f->name, d->kind->actions);
		if (f->type != PERF_TYPE_LIST || !n || n->type != PERF_NODE_SEQ || !n->n)
			continue;
		if (!actions && f->item != PERF_TYPE_STRING)
			continue;
		perf_buf_truncate(&heading, 0);
		if (perf_buf_printf(&heading, "%c%s:", toupper((unsigned char)f->about[0]), f->about + 1)) {
			rc = PERF_ENOMEM;
			break;
		}
		if ((rc = item(payload, perf_buf_cstr(&heading), NULL, NULL)))
			break;
		for (size_t i = 0; i < n->n && !rc; i++) {
			const struct perf_node *it = n->values[i];
			struct perf_teamdoc_task task = {0};
			perf_buf_truncate(&text, 0);
			if (actions) {
				const char *done = perf_node_str(it, "done");
				task.owner = perf_node_str(it, "owner");
				task.text = perf_node_str(it, "text");
				task.due = perf_node_str(it, "due");
				task.done = done && !strcmp(done, "true");
				if (!task.owner || !task.text)
					continue;
				perf_buf_printf(&text, "[%c] @%s %s", task.done ? 'x' : ' ', task.owner, task.text);
				if (task.due)
					perf_buf_printf(&text, ", by %s", task.due);
			} else if (it->type == PERF_NODE_SCALAR) {
				perf_buf_puts(&text, it->text);
			} else {
				continue;
			}
			rc = item(payload, perf_buf_cstr(&heading), perf_buf_cstr(&text), actions ? &task : NULL);
		}
	}
	perf_buf_release(&heading);
	perf_buf_release(&text);
	return rc;
}

struct lines {
	perf_teamdoc_line_fn line;
	void *payload;
};

static int line_of_item(void *payload, const char *heading, const char *text, const struct perf_teamdoc_task *task)
{
	const struct lines *l = payload;

	(void)task;
	return l->line(l->payload, heading, text);
}

int perf_teamdoc_lines(const struct perf_teamdoc *d, perf_teamdoc_line_fn line, void *payload)
{
	struct lines l = {line, payload};

	return perf_teamdoc_items(d, line_of_item, &l);
}
