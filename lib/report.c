#include "report.h"

#include <stdlib.h>
#include <string.h>

#include "agreement.h"
#include "body.h"
#include "config.h"
#include "private.h"
#include "value.h"

/* ---- documents as data ---- */

void perf_report_json_str(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	if (!s) {
		fputs("null", f);
		return;
	}
	fputc('"', f);
	for (; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", f);
		else if (*p == '\r')
			fputs("\\r", f);
		else if (*p == '\t')
			fputs("\\t", f);
		else if (*p < 0x20)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

static void json_scalar(FILE *f, const struct perf_node *node, enum perf_schema_type type)
{
	long v;
	bool b;

	if (type == PERF_TYPE_INT && perf_value_parse_int(node->text, &v, NULL) == 0) {
		fprintf(f, "%ld", v);
		return;
	}
	if (type == PERF_TYPE_BOOL && perf_value_parse_bool(node->text, &b, NULL) == 0) {
		fputs(b ? "true" : "false", f);
		return;
	}
	perf_report_json_str(f, node->text);
}

static const struct perf_schema_field *sub_field(const struct perf_schema_field *fields, const char *key)
{
	for (size_t i = 0; fields && fields[i].name; i++)
		if (!strcmp(fields[i].name, key))
			return &fields[i];
	return NULL;
}

/* Items of a list or dict are described by the field's item, values and fields. */
static void node_json(FILE *f, const struct perf_node *node, enum perf_schema_type type,
                      const struct perf_schema_field *field)
{
	switch (node->type) {
	case PERF_NODE_SCALAR:
		json_scalar(f, node, type);
		return;
	case PERF_NODE_SEQ:
		fputc('[', f);
		for (size_t i = 0; i < node->n; i++) {
			fputs(i ? ", " : "", f);
			if (field && type == PERF_TYPE_LIST)
				node_json(f, node->values[i], field->item, field);
			else
				node_json(f, node->values[i], PERF_TYPE_STRING, NULL);
		}
		fputc(']', f);
		return;
	case PERF_NODE_MAP:
		fputc('{', f);
		for (size_t i = 0; i < node->n; i++) {
			fputs(i ? ", " : "", f);
			perf_report_json_str(f, node->keys[i]);
			fputs(": ", f);
			if (field && type == PERF_TYPE_DICT) {
				node_json(f, node->values[i], field->item, field);
			} else if (field && (type == PERF_TYPE_MAP || field->item == PERF_TYPE_MAP)) {
				const struct perf_schema_field *sf = sub_field(field->fields, node->keys[i]);
				node_json(f, node->values[i], sf ? sf->type : PERF_TYPE_STRING, sf);
			} else {
				node_json(f, node->values[i], PERF_TYPE_STRING, NULL);
			}
		}
		fputc('}', f);
		return;
	}
}

void perf_report_node_json(FILE *f, const struct perf_node *node, const struct perf_schema_field *field)
{
	node_json(f, node, field ? field->type : PERF_TYPE_STRING, field);
}

void perf_report_fields_json(FILE *f, const struct perf_schema_kind *kind, const struct perf_node *root)
{
	if (!root || root->type != PERF_NODE_MAP) {
		fputs("{}", f);
		return;
	}
	fputc('{', f);
	for (size_t i = 0; i < root->n; i++) {
		const struct perf_schema_field *fl = kind ? perf_schema_field(kind, root->keys[i]) : NULL;
		fputs(i ? ", " : "", f);
		perf_report_json_str(f, root->keys[i]);
		fputs(": ", f);
		perf_report_node_json(f, root->values[i], fl);
	}
	fputc('}', f);
}

void perf_report_csv_field(FILE *f, const char *s)
{
	if (!s)
		return;
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

struct walk {
	struct perf_repo *repo;
	perf_report_doc_fn fn;
	void *payload;
	int stop;
};

static int walk_entry(const char *root, const git_tree_entry *entry, void *payload)
{
	struct walk *w = payload;
	char path[PERF_SCHEMA_PATH_MAX + 1];
	struct perf_schema_match m;
	struct perf_doc *doc = NULL;
	struct perf_error err;
	git_blob *blob = NULL;
	int n;

	if (git_tree_entry_type(entry) != GIT_OBJECT_BLOB)
		return 0;
	n = snprintf(path, sizeof(path), "%s%s", root, git_tree_entry_name(entry));
	if (n < 0 || (size_t)n >= sizeof(path))
		return 0;
	perf_error_clear(&err);
	if (perf_schema_match_path(&m, path, NULL) || !m.kind)
		return 0;
	if (git_blob_lookup(&blob, w->repo->git, git_tree_entry_id(entry))) {
		fprintf(stderr, "perf: warning: cannot read %s\n", path);
		return 0;
	}
	if (perf_schema_parse(&doc, m.kind, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob), path, &err)) {
		fprintf(stderr, "perf: warning: %s\n", err.msg);
		git_blob_free(blob);
		return 0;
	}
	git_blob_free(blob);
	w->stop = w->fn(path, &m, doc, w->payload);
	perf_doc_free(doc);
	return w->stop ? -1 : 0;
}

int perf_report_walk(struct perf_repo *repo, perf_report_doc_fn fn, void *payload, struct perf_error *err)
{
	struct walk w = {repo, fn, payload, 0};
	git_object *obj = NULL;
	git_reference *head = NULL;
	int rc;

	if (git_repository_head(&head, repo->git)) {
		git_error_clear();
		return 0; /* no commits yet: nothing to walk */
	}
	if (git_reference_peel(&obj, head, GIT_OBJECT_TREE)) {
		git_reference_free(head);
		return perf_error_git(err, "cannot read HEAD's tree");
	}
	rc = git_tree_walk((git_tree *)obj, GIT_TREEWALK_PRE, walk_entry, &w);
	git_object_free(obj);
	git_reference_free(head);
	if (rc && !w.stop)
		return perf_error_git(err, "cannot walk HEAD's tree");
	return w.stop;
}

/* ---- spans ---- */

long perf_report_days(const char *date)
{
	int y, m, d;
	char buf[11];

	if (!date || strlen(date) < 10)
		return -1;
	memcpy(buf, date, 10);
	buf[10] = '\0';
	if (perf_value_parse_date(buf, &y, &m, &d, NULL))
		return -1;
	return perf_value_days(y, m, d);
}

void perf_report_week_day(const char *week, char out[11])
{
	int y, w;

	out[0] = '\0';
	if (week && perf_value_parse_week(week, &y, &w, NULL) == 0)
		perf_value_format_date(perf_value_week_start(y, w), out);
}

bool perf_report_in_span(const struct perf_span *s, const char *d)
{
	return d && strlen(d) >= 10 && strncmp(d, s->since, 10) >= 0 && strncmp(d, s->until, 10) <= 0;
}

/* ---- a person's goals and check-ins ---- */

static int add_hist(struct perf_report_goal *g, const char *date, const char *week, long progress)
{
	void *v = realloc(g->hist, (g->nhist + 1) * sizeof(*g->hist));
	if (!v)
		return PERF_ENOMEM;
	g->hist = v;
	snprintf(g->hist[g->nhist].date, sizeof(g->hist[0].date), "%s", date);
	snprintf(g->hist[g->nhist].week, sizeof(g->hist[0].week), "%s", week ? week : "");
	g->hist[g->nhist].progress = progress;
	g->nhist++;
	return 0;
}

static struct perf_report_goal *find_goal(struct perf_report_person *p, const char *slug)
{
	for (size_t i = 0; i < p->ngoals; i++)
		if (!strcmp(p->goals[i].slug, slug))
			return &p->goals[i];
	return NULL;
}

static int hist_cmp(const void *a, const void *b)
{
	const struct perf_progress *x = a, *y = b;
	return strcmp(x->date, y->date);
}

int perf_report_person_load(struct perf_repo *repo, const char *handle, struct perf_report_person *p,
                            struct perf_error *err)
{
	struct perf_strv names = PERF_STRV_INIT;
	char dir[64], path[PERF_SCHEMA_PATH_MAX + 1];
	int rc;

	memset(p, 0, sizeof(*p));
	snprintf(p->handle, sizeof(p->handle), "%s", handle);
	snprintf(dir, sizeof(dir), "goals/%s", handle);
	if ((rc = perf_store_list(repo, NULL, dir, &names, err)))
		return rc;
	p->goals = calloc(names.n ? names.n : 1, sizeof(*p->goals));
	if (!p->goals) {
		perf_strv_release(&names);
		return perf_error(err, PERF_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < names.n; i++) {
		struct perf_doc *doc = NULL;
		struct perf_report_goal *g = &p->goals[p->ngoals];
		const char *s;
		long v;

		snprintf(path, sizeof(path), "%s/%s.md", dir, names.v[i]);
		if (perf_store_load(repo, NULL, path, &doc, NULL, NULL))
			continue;
		p->ngoals++;
		snprintf(g->slug, sizeof(g->slug), "%s", names.v[i]);
		s = perf_doc_str(doc, "title");
		g->title = strdup(s ? s : names.v[i]);
		s = perf_doc_str(doc, "status");
		snprintf(g->status, sizeof(g->status), "%s", s ? s : "active");
		s = perf_doc_str(doc, "closed");
		snprintf(g->closed, sizeof(g->closed), "%s", s ? s : "");
		s = perf_doc_str(doc, "created");
		snprintf(g->created, sizeof(g->created), "%s", s ? s : "");
		s = perf_doc_str(doc, "due");
		snprintf(g->due, sizeof(g->due), "%s", s ? s : "");
		g->progress = -1;
		s = perf_doc_str(doc, "progress");
		if (s && perf_value_parse_int(s, &v, NULL) == 0)
			g->progress = v;
		perf_doc_free(doc);
	}
	perf_strv_release(&names);

	snprintf(dir, sizeof(dir), "checkins/%s", handle);
	if ((rc = perf_store_list(repo, NULL, dir, &names, err)))
		return rc;
	p->checkins = calloc(names.n ? names.n : 1, sizeof(*p->checkins));
	if (!p->checkins) {
		perf_strv_release(&names);
		return perf_error(err, PERF_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < names.n; i++) {
		struct perf_report_checkin *c = &p->checkins[p->ncheckins];
		struct perf_buf learned = PERF_BUF_INIT;
		const struct perf_node *goals;
		const char *s, *body;
		size_t blen;
		long v;

		snprintf(path, sizeof(path), "%s/%s.md", dir, names.v[i]);
		if (perf_store_load(repo, NULL, path, &c->doc, NULL, NULL))
			continue;
		p->ncheckins++;
		snprintf(c->week, sizeof(c->week), "%s", names.v[i]);
		perf_report_week_day(c->week, c->date);
		s = perf_doc_str(c->doc, "created");
		if (s && perf_report_days(s) >= 0)
			snprintf(c->date, sizeof(c->date), "%.10s", s);
		c->mood = -1;
		s = perf_doc_str(c->doc, "mood");
		if (s && perf_value_parse_int(s, &v, NULL) == 0)
			c->mood = v;
		body = perf_doc_body(c->doc, &blen);
		if (perf_body_section(body, blen, "Learned", &learned))
			c->learned = perf_buf_detach(&learned);
		perf_buf_release(&learned);
		goals = perf_doc_get(c->doc, "goals");
		for (size_t k = 0; goals && goals->type == PERF_NODE_SEQ && k < goals->n; k++) {
			const char *slug = perf_node_str(goals->values[k], "goal");
			const char *pr = perf_node_str(goals->values[k], "progress");
			struct perf_report_goal *g;
			if (!slug || !pr || perf_value_parse_int(pr, &v, NULL) || !(g = find_goal(p, slug)))
				continue;
			if (add_hist(g, c->date, c->week, v))
				return perf_error(err, PERF_ENOMEM, "out of memory");
		}
	}
	perf_strv_release(&names);
	/* The goal file's progress counts as recorded when it was closed, or after every check-in. */
	for (size_t i = 0; i < p->ngoals; i++) {
		struct perf_report_goal *g = &p->goals[i];
		if (g->progress >= 0) {
			char date[11] = "9999-12-31";
			if (g->closed[0])
				snprintf(date, sizeof(date), "%.10s", g->closed);
			else if (g->nhist)
				snprintf(date, sizeof(date), "%s", g->hist[g->nhist - 1].date);
			else if (g->created[0])
				snprintf(date, sizeof(date), "%.10s", g->created);
			/* Only when it says something the check-ins do not. */
			if (!g->nhist || g->hist[g->nhist - 1].progress != g->progress)
				if (add_hist(g, date, NULL, g->progress))
					return perf_error(err, PERF_ENOMEM, "out of memory");
		}
		qsort(g->hist, g->nhist, sizeof(*g->hist), hist_cmp);
	}
	return 0;
}

long perf_report_progress_at(const struct perf_report_goal *g, const char *date, bool before)
{
	long v = -1;

	for (size_t i = 0; i < g->nhist; i++) {
		int c = strcmp(g->hist[i].date, date);
		if (before ? c < 0 : c <= 0)
			v = g->hist[i].progress;
	}
	return v;
}

void perf_report_person_release(struct perf_report_person *p)
{
	for (size_t i = 0; i < p->ngoals; i++) {
		free(p->goals[i].title);
		free(p->goals[i].hist);
	}
	for (size_t i = 0; i < p->ncheckins; i++) {
		free(p->checkins[i].learned);
		perf_doc_free(p->checkins[i].doc);
	}
	free(p->goals);
	free(p->checkins);
	memset(p, 0, sizeof(*p));
}

int perf_report_people(struct perf_repo *repo, const char *group, struct perf_strv *out, struct perf_error *err)
{
	struct perf_config *cfg = NULL;
	const struct perf_group *g;
	int rc;

	if (!group)
		return perf_store_list(repo, NULL, "people", out, err);
	if ((rc = perf_config_load(repo, NULL, &cfg, err)))
		return rc;
	if (!(g = perf_config_group(cfg, group))) {
		perf_config_free(cfg);
		return perf_error(err, PERF_ENOTFOUND, "no group '%s' in .perf/config.yaml", group);
	}
	for (size_t i = 0; i < g->members.n; i++)
		perf_strv_push(out, g->members.v[i]);
	perf_strv_sort(out);
	perf_config_free(cfg);
	return 0;
}

/* ---- a person's record: praise, feedback, actions, expectations ---- */

char *perf_report_trim(char *s)
{
	size_t n;

	if (!s)
		return s;
	n = strspn(s, " \t\r\n");
	memmove(s, s + n, strlen(s + n) + 1);
	n = strlen(s);
	while (n && strchr(" \t\r\n", s[n - 1]))
		s[--n] = '\0';
	return s;
}

static char *body_text(const struct perf_doc *doc)
{
	size_t len;
	const char *b = perf_doc_body(doc, &len);
	char *s;

	/* Reports open nothing private: its readers read it with perf show. */
	if (perf_private_doc_is(doc))
		return strdup("(private)");
	s = strndup(b, len);
	return perf_report_trim(s);
}

static int grow(void **v, size_t n, size_t size)
{
	void *p = realloc(*v, (n + 1) * size);
	if (!p)
		return PERF_ENOMEM;
	*v = p;
	memset((char *)p + n * size, 0, size);
	return 0;
}

static int load_praise(struct perf_repo *repo, const char *handle, struct perf_report_record *r)
{
	struct perf_strv names = PERF_STRV_INIT;
	char dir[64], path[PERF_SCHEMA_PATH_MAX + 1];

	snprintf(dir, sizeof(dir), "praise/%s", handle);
	if (perf_store_list(repo, NULL, dir, &names, NULL))
		return 0;
	for (size_t i = 0; i < names.n; i++) {
		struct perf_doc *doc = NULL;
		struct perf_report_praise *p;
		const char *s;

		snprintf(path, sizeof(path), "%s/%s.md", dir, names.v[i]);
		if (perf_store_load(repo, NULL, path, &doc, NULL, NULL))
			continue;
		if (grow((void **)&r->praise, r->npraise, sizeof(*r->praise))) {
			perf_doc_free(doc);
			perf_strv_release(&names);
			return PERF_ENOMEM;
		}
		p = &r->praise[r->npraise++];
		s = perf_doc_str(doc, "from");
		snprintf(p->from, sizeof(p->from), "%s", s ? s : "");
		s = perf_doc_str(doc, "at");
		snprintf(p->at, sizeof(p->at), "%s", s ? s : "");
		s = perf_doc_str(doc, "value");
		p->value = s && *s ? strdup(s) : NULL;
		p->text = body_text(doc);
		perf_doc_free(doc);
	}
	perf_strv_release(&names);
	return 0;
}

static int load_requests(struct perf_repo *repo, const char *handle, struct perf_report_record *r)
{
	struct perf_strv names = PERF_STRV_INIT;
	char dir[64], path[PERF_SCHEMA_PATH_MAX + 1];

	snprintf(dir, sizeof(dir), "feedback/%s", handle);
	if (perf_store_list(repo, NULL, dir, &names, NULL))
		return 0;
	for (size_t i = 0; i < names.n; i++) {
		struct perf_strv replies = PERF_STRV_INIT;
		struct perf_report_request *q;
		struct perf_doc *doc = NULL;
		const struct perf_node *asked;
		const char *s;

		snprintf(path, sizeof(path), "%s/%s.md", dir, names.v[i]);
		if (perf_store_load(repo, NULL, path, &doc, NULL, NULL))
			continue;
		if (grow((void **)&r->requests, r->nrequests, sizeof(*r->requests))) {
			perf_doc_free(doc);
			perf_strv_release(&names);
			return PERF_ENOMEM;
		}
		q = &r->requests[r->nrequests++];
		snprintf(q->id, sizeof(q->id), "%s", names.v[i]);
		s = perf_doc_str(doc, "about");
		q->about = strdup(s ? s : "");
		s = perf_doc_str(doc, "created");
		snprintf(q->created, sizeof(q->created), "%s", s ? s : "");
		asked = perf_doc_get(doc, "asked");
		q->nasked = asked && asked->type == PERF_NODE_SEQ ? asked->n : 0;
		perf_doc_free(doc);
		if (perf_store_thread(repo, NULL, path, &replies, NULL) == 0) {
			for (size_t k = 0; k < replies.n; k++) {
				struct perf_schema_match m;
				struct perf_report_answer *a;
				struct perf_doc *rd = NULL;
				if (perf_schema_match_path(&m, replies.v[k], NULL) || !strcmp(m.author, handle) ||
				    perf_store_load(repo, NULL, replies.v[k], &rd, NULL, NULL))
					continue;
				if (grow((void **)&q->answers, q->nanswers, sizeof(*q->answers))) {
					perf_doc_free(rd);
					break;
				}
				a = &q->answers[q->nanswers++];
				snprintf(a->author, sizeof(a->author), "%s", m.author);
				snprintf(a->at, sizeof(a->at), "%s", m.time);
				a->text = body_text(rd);
				perf_doc_free(rd);
			}
		}
		perf_strv_release(&replies);
	}
	perf_strv_release(&names);
	return 0;
}

static struct perf_report_action *find_action(struct perf_report_record *r, const char *id)
{
	for (size_t i = 0; i < r->nactions; i++)
		if (!strcmp(r->actions[i].id, id))
			return &r->actions[i];
	return NULL;
}

static int collect_dir(const char *name, bool is_dir, const git_oid *id, void *payload)
{
	(void)id;
	return is_dir && perf_strv_push(payload, name) ? -1 : 0;
}

/* Every note of every person, oldest first by file name: actions owned by handle. */
static int load_actions(struct perf_repo *repo, const char *handle, struct perf_report_record *r)
{
	struct perf_strv people = PERF_STRV_INIT, folders = PERF_STRV_INIT;

	if (perf_store_list(repo, NULL, "people", &people, NULL))
		return 0;
	/* Only the people who have a notes/ folder: one listing, rather than a lookup per person, which
	 * made a summary of the whole team quadratic in its size. */
	if (perf_repo_list(repo, "notes", collect_dir, &folders, NULL)) {
		perf_strv_release(&people);
		perf_strv_release(&folders);
		return 0;
	}
	perf_strv_sort(&folders);
	for (size_t i = 0, f = 0; i < people.n; i++) {
		struct perf_strv notes = PERF_STRV_INIT;
		char dir[64], path[PERF_SCHEMA_PATH_MAX + 1], key[2 * PERF_HANDLE_MAX + 2];
		/* Both lists are sorted: walk them together. */
		while (f < folders.n && strcmp(folders.v[f], people.v[i]) < 0)
			f++;
		if (f == folders.n || strcmp(folders.v[f], people.v[i]))
			continue;
		snprintf(dir, sizeof(dir), "notes/%s", people.v[i]);
		if (perf_store_list(repo, NULL, dir, &notes, NULL))
			continue;
		for (size_t k = 0; k < notes.n; k++) {
			const struct perf_node *acts;
			struct perf_doc *doc = NULL;
			const char *date;
			snprintf(path, sizeof(path), "%s/%s.md", dir, notes.v[k]);
			if (perf_store_load(repo, NULL, path, &doc, NULL, NULL))
				continue;
			date = perf_doc_str(doc, "date");
			acts = perf_doc_get(doc, "actions");
			for (size_t j = 0; acts && acts->type == PERF_NODE_SEQ && j < acts->n; j++) {
				const struct perf_node *a = acts->values[j];
				const char *id = perf_node_str(a, "id"), *owner = perf_node_str(a, "owner");
				const char *text = perf_node_str(a, "text"), *due = perf_node_str(a, "due");
				const char *done = perf_node_str(a, "done");
				struct perf_report_action *x;
				bool b = false;
				if (!id || !owner || !text || strcmp(owner, handle))
					continue;
				/* Ids are unique among one person's notes: key them by that person. */
				snprintf(key, sizeof(key), "%s/%s", people.v[i], id);
				if (!(x = find_action(r, key))) {
					if (grow((void **)&r->actions, r->nactions, sizeof(*r->actions)))
						break;
					x = &r->actions[r->nactions++];
					snprintf(x->id, sizeof(x->id), "%s", key);
					snprintf(x->opened, sizeof(x->opened), "%s", date ? date : "");
				}
				free(x->text);
				x->text = strdup(text);
				snprintf(x->due, sizeof(x->due), "%s", due ? due : "");
				x->done = done && perf_value_parse_bool(done, &b, NULL) == 0 && b;
				snprintf(x->latest, sizeof(x->latest), "%s", date ? date : "");
				snprintf(x->note, sizeof(x->note), "%s", path);
			}
			perf_doc_free(doc);
		}
		perf_strv_release(&notes);
	}
	perf_strv_release(&people);
	perf_strv_release(&folders);
	return 0;
}

static void load_expectations(struct perf_repo *repo, const char *handle, struct perf_report_record *r)
{
	const struct perf_schema_kind *kind = NULL;
	struct perf_strv who = PERF_STRV_INIT, at = PERF_STRV_INIT;
	char path[PERF_SCHEMA_PATH_MAX + 1], version[PERF_SCHEMA_VERSION_LEN + 1];
	struct perf_doc *doc = NULL;
	const char *lead;

	snprintf(path, sizeof(path), "expectations/%s.md", handle);
	if (perf_store_load(repo, NULL, path, &doc, &kind, NULL))
		return;
	r->has_expectations = true;
	lead = perf_doc_str(doc, "lead");
	snprintf(r->lead, sizeof(r->lead), "%s", lead ? lead : "");
	if (perf_schema_version(version, kind, doc, NULL) == 0 &&
	    perf_agreement_current(doc, kind, version, &who, &at, NULL) == 0)
		r->expectations_agreed = perf_strv_has(&who, handle) && lead && perf_strv_has(&who, lead);
	perf_strv_release(&who);
	perf_strv_release(&at);
	perf_doc_free(doc);
}

int perf_report_record_load(struct perf_repo *repo, const char *handle, struct perf_report_record *r,
                            struct perf_error *err)
{
	memset(r, 0, sizeof(*r));
	if (load_praise(repo, handle, r) || load_requests(repo, handle, r) || load_actions(repo, handle, r))
		return perf_error(err, PERF_ENOMEM, "out of memory");
	load_expectations(repo, handle, r);
	return 0;
}

void perf_report_record_release(struct perf_report_record *r)
{
	for (size_t i = 0; i < r->npraise; i++) {
		free(r->praise[i].value);
		free(r->praise[i].text);
	}
	for (size_t i = 0; i < r->nrequests; i++) {
		for (size_t k = 0; k < r->requests[i].nanswers; k++)
			free(r->requests[i].answers[k].text);
		free(r->requests[i].answers);
		free(r->requests[i].about);
	}
	for (size_t i = 0; i < r->nactions; i++)
		free(r->actions[i].text);
	free(r->praise);
	free(r->requests);
	free(r->actions);
	memset(r, 0, sizeof(*r));
}

/* ---- what a span holds for one person ---- */

bool perf_report_week_in_span(const struct perf_span *sp, const char *week)
{
	char mon[11], sun[11];
	long d;
	int y, w;

	if (!week || perf_value_parse_week(week, &y, &w, NULL))
		return false;
	d = perf_value_week_start(y, w) / 86400L;
	perf_value_format_date((time_t)d * 86400L, mon);
	perf_value_format_date((time_t)(d + 6) * 86400L, sun);
	return strcmp(sun, sp->since) >= 0 && strcmp(mon, sp->until) <= 0;
}

int perf_report_cycle_span(struct perf_repo *repo, const char *id, struct perf_span *sp, struct perf_error *err)
{
	char path[PERF_SCHEMA_PATH_MAX + 1];
	struct perf_doc *doc = NULL;
	const char *f, *u;

	memset(sp, 0, sizeof(*sp));
	if (!perf_value_is_handle(id))
		return perf_error(err, PERF_ENOTFOUND, "no cycle '%s'", id);
	snprintf(path, sizeof(path), "cycles/%s.md", id);
	if (perf_store_load(repo, NULL, path, &doc, NULL, NULL))
		return perf_error(err, PERF_ENOTFOUND, "no cycle '%s' (perf cycle list)", id);
	f = perf_doc_str(doc, "from");
	u = perf_doc_str(doc, "until");
	snprintf(sp->since, sizeof(sp->since), "%s", f ? f : "");
	snprintf(sp->until, sizeof(sp->until), "%s", u ? u : "");
	snprintf(sp->cycle, sizeof(sp->cycle), "%s", id);
	perf_doc_free(doc);
	return 0;
}

int perf_report_summarise(struct perf_repo *repo, const struct perf_span *sp, const char *today, const char *handle,
                          struct perf_report_sum *s, struct perf_error *err)
{
	long prev = -10, run = 0;
	char end[11];
	int rc;

	memset(s, 0, sizeof(*s));
	snprintf(s->handle, sizeof(s->handle), "%s", handle);
	if ((rc = perf_report_person_load(repo, handle, &s->p, err)) ||
	    (rc = perf_report_record_load(repo, handle, &s->r, err)))
		return rc;
	s->goals = calloc(s->p.ngoals ? s->p.ngoals : 1, sizeof(*s->goals));
	if (!s->goals)
		return perf_error(err, PERF_ENOMEM, "out of memory");
	for (size_t i = 0; i < s->p.ngoals; i++) {
		const struct perf_report_goal *g = &s->p.goals[i];
		struct perf_report_goal_sum *gs;
		if (g->created[0] && strncmp(g->created, sp->until, 10) > 0)
			continue;
		if (g->closed[0] && strncmp(g->closed, sp->since, 10) < 0)
			continue;
		gs = &s->goals[s->ngoals++];
		gs->g = g;
		gs->start = perf_report_progress_at(g, sp->since, true);
		if (gs->start < 0)
			gs->start = 0;
		gs->end = perf_report_progress_at(g, sp->until, false);
		if (gs->end < 0)
			gs->end = gs->start;
		if (strcmp(g->status, "active") && g->closed[0] && perf_report_in_span(sp, g->closed))
			gs->closed = g->status;
	}
	/* Check-ins and the longest run of consecutive weeks. */
	for (size_t i = 0; i < s->p.ncheckins; i++) {
		const struct perf_report_checkin *c = &s->p.checkins[i];
		int y, w;
		long wk;
		if (!perf_report_week_in_span(sp, c->week) || perf_value_parse_week(c->week, &y, &w, NULL))
			continue;
		s->checkins++;
		wk = (long)(perf_value_week_start(y, w) / (7 * 86400L));
		run = wk == prev + 1 ? run + 1 : 1;
		prev = wk;
		if ((size_t)run > s->streak)
			s->streak = (size_t)run;
	}
	for (size_t i = 0; i < s->r.nrequests; i++) {
		if (!perf_report_in_span(sp, s->r.requests[i].created))
			continue;
		s->asked++;
		s->answered += s->r.requests[i].nanswers;
	}
	for (size_t i = 0; i < s->r.npraise; i++)
		if (perf_report_in_span(sp, s->r.praise[i].at))
			s->praise++;
	/* Overdue as of the span's end, or today when that is earlier. */
	snprintf(end, sizeof(end), "%s", strcmp(today, sp->until) < 0 ? today : sp->until);
	for (size_t i = 0; i < s->r.nactions; i++) {
		const struct perf_report_action *a = &s->r.actions[i];
		if (perf_report_in_span(sp, a->opened))
			s->opened++;
		if (a->done && perf_report_in_span(sp, a->latest))
			s->closed++;
		if (!a->done && a->due[0] && strcmp(a->due, end) < 0 && strcmp(a->opened, sp->until) <= 0)
			s->overdue++;
	}
	return 0;
}

void perf_report_sum_release(struct perf_report_sum *s)
{
	free(s->goals);
	perf_report_person_release(&s->p);
	perf_report_record_release(&s->r);
	memset(s, 0, sizeof(*s));
}
