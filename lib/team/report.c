#include "report.h"

#include <git2.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "agreement.h"
#include "body.h"
#include "cache.h"
#include "config.h"
#include "json.h"
#include "private.h"
#include "value.h"
#include "repo.h"
#include "repo-internal.h"

/* ---- documents as data ---- */

static void json_scalar(FILE *f, const struct perf_node *node, enum perf_schema_type type)
{
	long v;
	bool b;

	if (type == PERF_TYPE_INT && perf_value_parse_int(node->text, &v, NULL) == 0) {
		fprintf(f, "%ld", v);
		return;
	}
	if (type == PERF_TYPE_BOOL && perf_value_parse_bool(node->text, &b, NULL) == 0) {
		perf_json_bool(f, b);
		return;
	}
	perf_json_str(f, node->text);
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
			perf_json_key(f, node->keys[i]);
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
		perf_json_key(f, root->keys[i]);
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
	perf_notice_fn warn;
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
	if (!perf_repo_blob_fits(w->repo->git, git_tree_entry_id(entry)) ||
	    git_blob_lookup(&blob, w->repo->git, git_tree_entry_id(entry))) {
		if (w->warn) {
			char msg[PERF_SCHEMA_PATH_MAX + 32];
			snprintf(msg, sizeof(msg), "warning: cannot read %s", path);
			w->warn(w->payload, msg);
		}
		return 0;
	}
	if (perf_schema_parse(&doc, m.kind, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob), path, &err)) {
		if (w->warn) {
			char msg[sizeof(err.msg) + 16];
			snprintf(msg, sizeof(msg), "warning: %s", err.msg);
			w->warn(w->payload, msg);
		}
		git_blob_free(blob);
		return 0;
	}
	git_blob_free(blob);
	w->stop = w->fn(path, &m, doc, w->payload);
	perf_doc_free(doc);
	return w->stop ? -1 : 0;
}

int perf_report_walk(struct perf_repo *repo, perf_report_doc_fn fn, perf_notice_fn warn, void *payload,
                     struct perf_error *err)
{
	struct walk w = {repo, fn, warn, payload, 0};
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

/* The goal file's progress counts as recorded when it was closed, or after every check-in. */
static int finish_goals(struct perf_report_person *p, struct perf_error *err)
{
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
		for (size_t k = 0; k < p->goals[i].nsupport; k++)
			free(p->goals[i].support[k].what);
		free(p->goals[i].support);
		free(p->goals[i].support_text);
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

static struct perf_report_action *find_action(struct perf_report_record *r, const char *id)
{
	for (size_t i = 0; i < r->nactions; i++)
		if (!strcmp(r->actions[i].id, id))
			return &r->actions[i];
	return NULL;
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
	long d, since = perf_report_days(sp->since), until = perf_report_days(sp->until);
	int y, w;

	if (!week || perf_value_parse_week(week, &y, &w, NULL))
		return false;
	d = perf_value_week_start(y, w) / 86400L;
	/* Dates compare as days; as text (what they mean) only when the span's are not dates. */
	if (since >= 0 && until >= 0 && strlen(sp->since) == 10 && strlen(sp->until) == 10)
		return d + 6 >= since && d <= until;
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

int perf_report_summarise(struct perf_report_team *team, const struct perf_span *sp, const char *today,
                          const char *handle, unsigned flags, struct perf_report_sum *s, struct perf_error *err)
{
	long prev = -10, run = 0;
	char end[11];
	int rc;

	memset(s, 0, sizeof(*s));
	snprintf(s->handle, sizeof(s->handle), "%s", handle);
	if ((rc = perf_report_team_person(team, handle, flags, &s->p, err)) ||
	    (rc = perf_report_team_record(team, handle, flags, &s->r, err)))
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

/* ---- the whole team, through the cache ---- */

/*
 * What the cache keeps of a document (perf-format(5), CACHE): a byte saying
 * whether it parsed, then fields, each a code byte and NUL-ended strings:
 * the top-level scalars below, goals[] items (goal, progress), actions[]
 * items (a byte telling which of due and done are there, then id, owner,
 * text, due, done), the number of people asked, and who agreed to the
 * current version.  Change any of it and PERF_CACHE_VERSION must change.
 */
enum {
	FM_TITLE = 1,
	FM_STATUS,
	FM_CLOSED,
	FM_CREATED,
	FM_DUE,
	FM_PROGRESS,
	FM_MOOD,
	FM_AT,
	FM_VALUE,
	FM_FROM,
	FM_ABOUT,
	FM_DATE,
	FM_LEAD,
	FM_NSCALARS,
	FM_GOAL = 0x40,
	FM_ACTION,
	FM_ASKED,
	FM_AGREED,
};
static const char *const fm_scalars[FM_NSCALARS] = {
    NULL,   "title", "status", "closed", "created", "due",  "progress",
    "mood", "at",    "value",  "from",   "about",   "date", "lead",
};
/* Reports read the kinds with PERF_KIND_REPORTED; a record's cache type is 1 + the kind's index. */

/* A record read back: the scalars, and the rest to step through with fm_next. */
struct fm {
	bool valid;
	const char *s[FM_NSCALARS];
	const unsigned char *p, *end;
};

static int fm_put(struct perf_buf *b, unsigned code, const char *s)
{
	return perf_buf_putc(b, (char)code) || perf_buf_add(b, s, strlen(s) + 1);
}

static int fm_str(struct perf_buf *b, const char *s)
{
	return perf_buf_add(b, s ? s : "", strlen(s ? s : "") + 1);
}

/* The record of a document of a reported kind from its bytes. */
static int fm_extract(struct perf_buf *b, const struct perf_schema_kind *kind, const char *path, const char *data,
                      size_t len)
{
	struct perf_strv who = PERF_STRV_INIT, at = PERF_STRV_INIT;
	char version[PERF_SCHEMA_VERSION_LEN + 1];
	struct perf_doc *doc = NULL;
	const struct perf_node *root, *n;
	int rc = 0;

	perf_buf_truncate(b, 0);
	if (perf_schema_parse(&doc, kind, data, len, path, NULL))
		return perf_buf_putc(b, 0);
	rc = perf_buf_putc(b, 1);
	/* One pass over the top level: keys are unique (the parser makes sure). */
	root = perf_doc_root(doc);
	for (size_t i = 0; root && root->type == PERF_NODE_MAP && i < root->n && !rc; i++) {
		if (root->values[i]->type != PERF_NODE_SCALAR)
			continue;
		for (unsigned k = 1; k < FM_NSCALARS; k++) {
			if (!strcmp(root->keys[i], fm_scalars[k])) {
				rc = fm_put(b, k, root->values[i]->text);
				break;
			}
		}
	}
	n = perf_doc_get(doc, "goals");
	for (size_t i = 0; n && n->type == PERF_NODE_SEQ && i < n->n && !rc; i++) {
		const char *slug = perf_node_str(n->values[i], "goal"), *pr = perf_node_str(n->values[i], "progress");
		if (slug && pr)
			rc = fm_put(b, FM_GOAL, slug) || fm_str(b, pr);
	}
	n = perf_doc_get(doc, "actions");
	for (size_t i = 0; n && n->type == PERF_NODE_SEQ && i < n->n && !rc; i++) {
		const struct perf_node *a = n->values[i];
		const char *id = perf_node_str(a, "id"), *owner = perf_node_str(a, "owner");
		const char *text = perf_node_str(a, "text"), *due = perf_node_str(a, "due");
		const char *done = perf_node_str(a, "done");
		if (id && owner && text)
			rc = perf_buf_putc(b, FM_ACTION) ||
			     perf_buf_putc(b, (char)(1 | (due ? 2 : 0) | (done ? 4 : 0))) || fm_str(b, id) ||
			     fm_str(b, owner) || fm_str(b, text) || fm_str(b, due) || fm_str(b, done);
	}
	n = perf_doc_get(doc, "asked");
	if (n && n->type == PERF_NODE_SEQ && !rc) {
		char count[24];
		snprintf(count, sizeof(count), "%zu", n->n);
		rc = fm_put(b, FM_ASKED, count);
	}
	if (kind->agreement && !rc && perf_schema_version(version, kind, doc, NULL) == 0 &&
	    perf_agreement_current(doc, kind, version, &who, &at, NULL) == 0)
		for (size_t i = 0; i < who.n && !rc; i++)
			rc = fm_put(b, FM_AGREED, who.v[i]);
	perf_strv_release(&who);
	perf_strv_release(&at);
	perf_doc_free(doc);
	return rc ? PERF_ENOMEM : 0;
}

/* Steps over one string; NULL when the record ends before its NUL. */
static const char *fm_take(struct fm *f)
{
	const unsigned char *nul;
	const char *s;

	if (!f->p || f->p >= f->end || !(nul = memchr(f->p, 0, (size_t)(f->end - f->p)))) {
		f->p = NULL;
		return NULL;
	}
	s = (const char *)f->p;
	f->p = nul + 1;
	return s;
}

/* Reads the scalars; f->p is then at the first item.  A record that does not
 * read to its end as written counts as a document that did not parse. */
static void fm_open(struct fm *f, const unsigned char *rec, size_t len)
{
	memset(f, 0, sizeof(*f));
	if (!rec || !len || rec[0] != 1)
		return;
	f->p = rec + 1;
	f->end = rec + len;
	while (f->p && f->p < f->end && *f->p < FM_NSCALARS && *f->p) {
		unsigned code = *f->p++;
		f->s[code] = fm_take(f);
	}
	f->valid = f->p != NULL;
}

/* The next item: its code, and its strings in v (absent ones NULL); 0 at the end. */
static unsigned fm_next(struct fm *f, const char *v[5])
{
	unsigned code, have;

	memset(v, 0, 5 * sizeof(*v));
	if (!f->p || f->p >= f->end)
		return 0;
	code = *f->p++;
	switch (code) {
	case FM_GOAL:
		v[0] = fm_take(f);
		v[1] = fm_take(f);
		break;
	case FM_ACTION:
		if (f->p >= f->end)
			return f->p = NULL, 0;
		have = *f->p++;
		for (int i = 0; i < 5; i++)
			v[i] = fm_take(f);
		if (!(have & 2))
			v[3] = NULL;
		if (!(have & 4))
			v[4] = NULL;
		break;
	case FM_ASKED:
	case FM_AGREED:
		v[0] = fm_take(f);
		break;
	default:
		f->p = NULL;
		return 0;
	}
	return f->p ? code : 0;
}

struct tdoc {
	const char *path;
	const unsigned char *rec;
	git_oid id;
	uint32_t len;
	unsigned char type; /* 1 + the kind's index when reports read it (PERF_KIND_REPORTED), else 0 */
};

struct tblock {
	struct tblock *next;
	size_t used;
	char data[65536];
};

/* An action found in a note, in the order team_actions meets them. */
struct taction {
	const char *owner, *id, *text, *due, *done, *date, *note, *notes_of;
};

struct perf_report_team {
	struct perf_repo *repo;
	struct perf_strv scope; /* a team of one: the paths it holds (see scope_of); empty: everything */
	struct perf_cache *cache;
	git_odb *odb;
	struct tdoc *v; /* sorted by path */
	size_t n, cap;
	struct tblock *paths;
	struct taction *acts;
	size_t nacts;
	bool have_acts;
	bool oom;
};

static const char *team_strdup(struct perf_report_team *t, const char *s, size_t n)
{
	struct tblock *b = t->paths;
	char *p;

	if (n + 1 > sizeof(b->data))
		return NULL;
	if (!b || sizeof(b->data) - b->used < n + 1) {
		if (!(b = malloc(sizeof(*b))))
			return NULL;
		b->used = 0;
		b->next = t->paths;
		t->paths = b;
	}
	p = b->data + b->used;
	memcpy(p, s, n);
	p[n] = '\0';
	b->used += n + 1;
	return p;
}

static int add_doc(struct perf_report_team *t, const char *path, size_t n, const git_oid *id)
{
	struct perf_schema_match m;
	struct tdoc *d;

	if (perf_schema_match_path(&m, path, NULL) || !m.kind)
		return 0;
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 1024;
		void *v = realloc(t->v, cap * sizeof(*t->v));
		if (!v)
			return PERF_ENOMEM;
		t->v = v;
		t->cap = cap;
	}
	d = &t->v[t->n];
	memset(d, 0, sizeof(*d));
	if (!(d->path = team_strdup(t, path, n)))
		return PERF_ENOMEM;
	git_oid_cpy(&d->id, id);
	if (m.kind->traits & PERF_KIND_REPORTED)
		d->type = (unsigned char)(perf_schema_kind_index(m.kind) + 1);
	t->n++;
	return 0;
}

/* A tree's raw entries, from the cache or else the object database (then cached). */
static int tree_bytes(struct perf_report_team *t, const git_oid *id, const unsigned char **data, size_t *len,
                      struct perf_error *err)
{
	git_odb_object *obj = NULL;

	if ((*data = perf_cache_get(t->cache, id, PERF_CACHE_TREE, len)))
		return 0;
	if (git_odb_read(&obj, t->odb, id) < 0)
		return perf_error_git(err, "cannot read a tree of HEAD");
	if (git_odb_object_type(obj) != GIT_OBJECT_TREE) {
		git_odb_object_free(obj);
		return perf_error(err, PERF_EGIT, "cannot read a tree of HEAD: %s is not a tree", git_oid_tostr_s(id));
	}
	*len = git_odb_object_size(obj);
	*data = perf_cache_put(t->cache, id, PERF_CACHE_TREE, git_odb_object_data(obj), *len);
	git_odb_object_free(obj);
	return *data ? 0 : perf_error(err, PERF_ENOMEM, "out of memory");
}

/*
 * What a person's report reads (perf_report_team_person and _record), from
 * the kinds reports read (PERF_KIND_REPORTED): the person's own documents,
 * every document of a kind with actions (the actions they own, in anyone's
 * notes and in the team's retros), and people/ (whose notes, in which
 * order).  A team of one holds these paths and nothing else, and answers
 * for that person as the whole team would.
 */
static int scope_of(struct perf_report_team *t, const char *handle)
{
	struct perf_buf b = PERF_BUF_INIT;
	int rc = perf_strv_push(&t->scope, "people/");

	for (const struct perf_schema_kind *const *k = perf_schema_kinds(); *k && !rc; k++) {
		const char *folder;
		size_t fn = perf_schema_folder(*k, &folder);
		if (!((*k)->traits & PERF_KIND_REPORTED) || !fn)
			continue;
		perf_buf_truncate(&b, 0);
		if ((*k)->actions || !perf_schema_per_person(*k))
			rc = perf_buf_printf(&b, "%.*s/", (int)fn, folder);
		else if (perf_schema_one_per_person(*k))
			rc = perf_buf_printf(&b, "%.*s/%s.md", (int)fn, folder, handle);
		else
			rc = perf_buf_printf(&b, "%.*s/%s/", (int)fn, folder, handle);
		rc = rc || perf_strv_push(&t->scope, b.ptr);
	}
	perf_buf_release(&b);
	return rc ? PERF_ENOMEM : 0;
}

/* Whether the team holds path (len bytes; a folder ends with '/'): a folder
 * when it leads to some of its scope, a document when it is within it. */
static bool in_scope(const struct perf_report_team *t, const char *path, size_t len, bool folder)
{
	if (!t->scope.n)
		return true;
	for (size_t i = 0; i < t->scope.n; i++) {
		size_t n = strlen(t->scope.v[i]);
		if (folder ? !strncmp(path, t->scope.v[i], len < n ? len : n)
		           : len >= n && !strncmp(path, t->scope.v[i], n))
			return true;
	}
	return false;
}

/* Walks a tree in git's order, which for full paths is byte order. path holds
 * plen bytes of the folder's path (ending with '/' unless empty). */
static int walk_tree(struct perf_report_team *t, const git_oid *id, char *path, size_t plen, int depth,
                     struct perf_error *err)
{
	const unsigned char *data, *p, *end;
	struct perf_tree_entry e;
	size_t len, nlen;
	int rc;

	if (depth > 64)
		return perf_error(err, PERF_EGIT, "HEAD's tree is nested too deeply");
	if ((rc = tree_bytes(t, id, &data, &len, err)))
		return rc;
	for (p = data, end = data + len; (rc = perf_tree_entry_next(&p, end, &e)) != 0;) {
		git_oid child;

		if (rc < 0)
			return perf_error(err, PERF_EGIT, "tree %s of HEAD is damaged", git_oid_tostr_s(id));
		nlen = e.len;
		git_oid_fromraw(&child, e.id);
		if ((!e.is_tree && !e.is_blob) || plen + nlen + 2 > PERF_SCHEMA_PATH_MAX + 1)
			continue;
		memcpy(path + plen, e.name, nlen);
		if (e.is_tree) {
			path[plen + nlen] = '/';
			if (!in_scope(t, path, plen + nlen + 1, true))
				continue;
			if ((rc = walk_tree(t, &child, path, plen + nlen + 1, depth + 1, err)))
				return rc;
		} else {
			path[plen + nlen] = '\0';
			if (!in_scope(t, path, plen + nlen, false))
				continue;
			if (add_doc(t, path, plen + nlen, &child))
				return perf_error(err, PERF_ENOMEM, "out of memory");
		}
	}
	return 0;
}

static int cmp_tdoc(const void *a, const void *b)
{
	return strcmp(((const struct tdoc *)a)->path, ((const struct tdoc *)b)->path);
}

/* Takes what the cache knows; reads and parses the rest, in tree order (so
 * documents whose deltas share bases are read together), and caches it. */
static int read_missing(struct perf_report_team *t, struct perf_error *err)
{
	struct perf_buf rec = PERF_BUF_INIT;
	int rc = 0;

	for (size_t i = 0; i < t->n && !rc; i++) {
		struct tdoc *d = &t->v[i];
		git_odb_object *obj = NULL;
		size_t len;

		if (!d->type || (d->rec = perf_cache_get(t->cache, &d->id, d->type, &len))) {
			d->len = (uint32_t)len;
			continue;
		}
		size_t size;
		git_object_t otype;
		if (git_odb_read_header(&size, &otype, t->odb, &d->id) < 0) {
			rc = perf_error_git(err, "cannot read %s", d->path);
			break;
		} else if (size > PERF_DOC_MAX_FILE) {
			/* Too large to be a document (never inflated): read as one that says nothing. */
			rc = fm_extract(&rec, perf_schema_kinds()[d->type - 1], d->path, "", 0);
		} else if (git_odb_read(&obj, t->odb, &d->id) < 0) {
			rc = perf_error_git(err, "cannot read %s", d->path);
			break;
		} else {
			rc = fm_extract(&rec, perf_schema_kinds()[d->type - 1], d->path, git_odb_object_data(obj),
			                git_odb_object_size(obj));
			git_odb_object_free(obj);
		}
		if (rc || !(d->rec = perf_cache_put(t->cache, &d->id, d->type, rec.ptr, rec.len)))
			rc = perf_error(err, PERF_ENOMEM, "out of memory");
		d->len = (uint32_t)rec.len;
	}
	perf_buf_release(&rec);
	return rc;
}

/* An object database of our own, apart from the repository's: what it caches
 * (trees, with the limit perf sets) goes when it is freed. */
static int open_odb(struct perf_report_team *t, struct perf_error *err)
{
	struct perf_buf dir = PERF_BUF_INIT;
	int rc = 0;

	git_odb_free(t->odb);
	t->odb = NULL;
	if (perf_buf_printf(&dir, "%sobjects", git_repository_commondir(t->repo->git)))
		return perf_error(err, PERF_ENOMEM, "out of memory");
	if (git_odb_open(&t->odb, dir.ptr) < 0)
		rc = perf_error_git(err, "cannot open the object database");
	perf_buf_release(&dir);
	return rc;
}

int perf_report_team_load(struct perf_repo *repo, const char *handle, struct perf_report_team **out,
                          struct perf_error *err)
{
	struct perf_report_team *t = calloc(1, sizeof(*t));
	char path[PERF_SCHEMA_PATH_MAX + 2];
	git_commit *commit = NULL;
	git_oid head;
	int rc;

	*out = NULL;
	if (!t)
		return perf_error(err, PERF_ENOMEM, "out of memory");
	t->repo = repo;
	if (handle && scope_of(t, handle)) {
		rc = perf_error(err, PERF_ENOMEM, "out of memory");
		goto fail;
	}
	if ((rc = perf_cache_open(&t->cache, repo, err)))
		goto fail;
	if (handle)
		perf_cache_keep_unused(t->cache);
	if ((rc = open_odb(t, err)))
		goto fail;
	rc = git_reference_name_to_id(&head, repo->git, "HEAD");
	if (rc == GIT_ENOTFOUND || rc == GIT_EUNBORNBRANCH) {
		git_error_clear();
		*out = t; /* no commits yet: nobody and nothing */
		return 0;
	}
	if (rc < 0 || git_commit_lookup(&commit, repo->git, &head) < 0) {
		rc = perf_error_git(err, "cannot read HEAD");
		goto fail;
	}
	rc = walk_tree(t, git_commit_tree_id(commit), path, 0, 0, err);
	git_commit_free(commit);
	if (rc)
		goto fail;
	for (size_t i = 1; i < t->n; i++) {
		if (strcmp(t->v[i - 1].path, t->v[i].path) > 0) {
			qsort(t->v, t->n, sizeof(*t->v), cmp_tdoc);
			break;
		}
	}
	/* The trees are in the cache now: drop the object database's copies. */
	if ((rc = open_odb(t, err)) || (rc = read_missing(t, err)))
		goto fail;
	perf_cache_save(t->cache);
	*out = t;
	return 0;
fail:
	perf_report_team_free(t);
	return rc;
}

void perf_report_team_free(struct perf_report_team *t)
{
	if (!t)
		return;
	while (t->paths) {
		struct tblock *b = t->paths;
		t->paths = b->next;
		free(b);
	}
	free(t->v);
	free(t->acts);
	perf_strv_release(&t->scope);
	git_odb_free(t->odb);
	perf_cache_free(t->cache);
	free(t);
}

/* The first document whose path is at or after key. */
static size_t lower_bound(const struct perf_report_team *t, const char *key)
{
	size_t lo = 0, hi = t->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(t->v[mid].path, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static const struct tdoc *find_doc(const struct perf_report_team *t, const char *path)
{
	size_t i = lower_bound(t, path);
	return i < t->n && !strcmp(t->v[i].path, path) ? &t->v[i] : NULL;
}

/* Compares documents by name without ".md", as perf_store_list sorts them. */
static int cmp_name(const void *a, const void *b)
{
	const struct tdoc *x = *(const struct tdoc *const *)a, *y = *(const struct tdoc *const *)b;
	const char *p = strrchr(x->path, '/'), *q = strrchr(y->path, '/');
	size_t n = strlen(p) - 3, m = strlen(q) - 3;
	int c = memcmp(p, q, n < m ? n : m);

	return c ? c : (n > m) - (n < m);
}

/* The documents dir/NAME.md, by name; *out is the caller's. */
static int children(const struct perf_report_team *t, const char *dir, const struct tdoc ***out, size_t *n)
{
	char prefix[PERF_SCHEMA_PATH_MAX + 2];
	size_t plen = (size_t)snprintf(prefix, sizeof(prefix), "%s/", dir), cap = 0;

	*out = NULL;
	*n = 0;
	if (plen >= sizeof(prefix))
		return 0;
	for (size_t i = lower_bound(t, prefix); i < t->n && !strncmp(t->v[i].path, prefix, plen); i++) {
		const char *name = t->v[i].path + plen;
		size_t len = strlen(name);
		if (strchr(name, '/') || len < 4 || strcmp(name + len - 3, ".md"))
			continue;
		if (*n == cap) {
			size_t c = cap ? cap * 2 : 16;
			void *v = realloc((void *)*out, c * sizeof(**out));
			if (!v) {
				free((void *)*out);
				*out = NULL;
				*n = 0;
				return PERF_ENOMEM;
			}
			*out = v;
			cap = c;
		}
		(*out)[(*n)++] = &t->v[i];
	}
	/* Path order is name order unless a name has a byte below '.' after a common prefix. */
	for (size_t i = 1; i < *n; i++) {
		if (cmp_name(&(*out)[i - 1], &(*out)[i]) > 0) {
			qsort((void *)*out, *n, sizeof(**out), cmp_name);
			break;
		}
	}
	return 0;
}

/* At most max bytes of s (NULL: def) into out, cut to fit size. */
static void copy(char *out, size_t size, const char *s, const char *def, size_t max)
{
	size_t n;

	if (!s)
		s = def;
	n = strnlen(s, max < size - 1 ? max : size - 1);
	memcpy(out, s, n);
	out[n] = '\0';
}

/* NAME of dir/NAME.md into out. */
static void doc_name(const struct tdoc *d, char *out, size_t size)
{
	const char *name = strrchr(d->path, '/') + 1;
	copy(out, size, name, NULL, strlen(name) - 3);
}

/* A document of the team read whole, for its body (PERF_REPORT_BODIES).  Its
 * record says it parsed, so this fails only for want of memory or of the object. */
static int team_doc(struct perf_report_team *t, const struct tdoc *d, struct perf_doc **out, struct perf_error *err)
{
	struct perf_schema_match m;
	git_odb_object *obj = NULL;
	git_object_t type;
	size_t size;
	int rc;

	*out = NULL;
	if ((rc = perf_schema_match_path(&m, d->path, err)))
		return rc;
	if (git_odb_read_header(&size, &type, t->odb, &d->id) < 0 || size > PERF_DOC_MAX_FILE ||
	    git_odb_read(&obj, t->odb, &d->id) < 0)
		return perf_error_git(err, "cannot read %s", d->path);
	rc = perf_schema_parse(out, m.kind, git_odb_object_data(obj), git_odb_object_size(obj), d->path, err);
	git_odb_object_free(obj);
	return rc;
}

/* The body of a document as reports show it (praise, answers); NULL for want of memory. */
static int team_text(struct perf_report_team *t, const struct tdoc *d, char **out, struct perf_error *err)
{
	struct perf_doc *doc = NULL;
	int rc;

	*out = NULL;
	if ((rc = team_doc(t, d, &doc, err)))
		return rc;
	*out = body_text(doc);
	perf_doc_free(doc);
	return *out ? 0 : perf_error(err, PERF_ENOMEM, "out of memory");
}

void perf_report_support_json(FILE *f, const struct perf_report_goal *g)
{
	fputc('[', f);
	for (size_t i = 0; i < g->nsupport; i++) {
		fprintf(f, "%s{\"who\": ", i ? ", " : "");
		perf_json_str(f, g->support[i].who);
		fputs(", \"what\": ", f);
		perf_json_str(f, g->support[i].what);
		fputs(", \"given\": ", f);
		perf_json_str(f, g->support[i].given[0] ? g->support[i].given : NULL);
		fputc('}', f);
	}
	fputc(']', f);
}

/* A goal's supporters and free-text support, from its document. */
static int goal_support(struct perf_report_team *t, const struct tdoc *d, struct perf_report_goal *g,
                        struct perf_error *err)
{
	struct perf_doc *doc = NULL;
	const struct perf_node *l;
	const char *text;
	int rc;

	if ((rc = team_doc(t, d, &doc, err)))
		return rc;
	l = perf_doc_get(doc, "supporters");
	if (l && l->type == PERF_NODE_SEQ && l->n && !(g->support = calloc(l->n, sizeof(*g->support))))
		rc = PERF_ENOMEM;
	for (size_t i = 0; !rc && l && l->type == PERF_NODE_SEQ && i < l->n; i++) {
		const char *who = perf_node_str(l->values[i], "who"), *what = perf_node_str(l->values[i], "what");
		const char *given = perf_node_str(l->values[i], "given");
		struct perf_report_support *s = &g->support[g->nsupport];
		if (!who)
			continue;
		snprintf(s->who, sizeof(s->who), "%s", who);
		snprintf(s->given, sizeof(s->given), "%s", given ? given : "");
		if (!(s->what = strdup(what ? what : "")))
			rc = PERF_ENOMEM;
		g->nsupport++;
	}
	if (!rc && (text = perf_doc_str(doc, "support")) && !(g->support_text = strdup(text)))
		rc = PERF_ENOMEM;
	perf_doc_free(doc);
	return rc == PERF_ENOMEM ? perf_error(err, PERF_ENOMEM, "out of memory") : 0;
}

int perf_report_team_person(struct perf_report_team *t, const char *handle, unsigned flags,
                            struct perf_report_person *p, struct perf_error *err)
{
	const struct tdoc **docs = NULL;
	char dir[64];
	size_t n;
	long v;

	memset(p, 0, sizeof(*p));
	snprintf(p->handle, sizeof(p->handle), "%s", handle);
	snprintf(dir, sizeof(dir), "goals/%s", handle);
	if (children(t, dir, &docs, &n) || !(p->goals = calloc(n ? n : 1, sizeof(*p->goals)))) {
		free((void *)docs);
		return perf_error(err, PERF_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < n; i++) {
		struct perf_report_goal *g = &p->goals[p->ngoals];
		struct fm f;

		fm_open(&f, docs[i]->rec, docs[i]->len);
		if (!f.valid)
			continue;
		p->ngoals++;
		doc_name(docs[i], g->slug, sizeof(g->slug));
		g->title = strdup(f.s[FM_TITLE] ? f.s[FM_TITLE] : g->slug);
		copy(g->status, sizeof(g->status), f.s[FM_STATUS], "active", SIZE_MAX);
		copy(g->closed, sizeof(g->closed), f.s[FM_CLOSED], "", SIZE_MAX);
		copy(g->created, sizeof(g->created), f.s[FM_CREATED], "", SIZE_MAX);
		copy(g->due, sizeof(g->due), f.s[FM_DUE], "", SIZE_MAX);
		g->progress = -1;
		if (f.s[FM_PROGRESS] && perf_value_parse_int(f.s[FM_PROGRESS], &v, NULL) == 0)
			g->progress = v;
		if (!g->title) {
			free((void *)docs);
			return perf_error(err, PERF_ENOMEM, "out of memory");
		}
		if (flags & PERF_REPORT_SUPPORT) {
			int rc = goal_support(t, docs[i], g, err);
			if (rc) {
				free((void *)docs);
				return rc;
			}
		}
	}
	free((void *)docs);

	snprintf(dir, sizeof(dir), "checkins/%s", handle);
	if (children(t, dir, &docs, &n) || !(p->checkins = calloc(n ? n : 1, sizeof(*p->checkins)))) {
		free((void *)docs);
		return perf_error(err, PERF_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < n; i++) {
		struct perf_report_checkin *c = &p->checkins[p->ncheckins];
		const char *item[5];
		struct fm f;

		fm_open(&f, docs[i]->rec, docs[i]->len);
		if (!f.valid)
			continue;
		p->ncheckins++;
		doc_name(docs[i], c->week, sizeof(c->week));
		if (f.s[FM_CREATED] && perf_report_days(f.s[FM_CREATED]) >= 0)
			copy(c->date, sizeof(c->date), f.s[FM_CREATED], NULL, 10);
		else
			perf_report_week_day(c->week, c->date);
		c->mood = -1;
		if (f.s[FM_MOOD] && perf_value_parse_int(f.s[FM_MOOD], &v, NULL) == 0)
			c->mood = v;
		if (flags & PERF_REPORT_BODIES) {
			struct perf_buf learned = PERF_BUF_INIT;
			const char *body;
			size_t blen;
			int rc;
			if ((rc = team_doc(t, docs[i], &c->doc, err))) {
				free((void *)docs);
				return rc;
			}
			body = perf_doc_body(c->doc, &blen);
			if (perf_body_section(body, blen, "Learned", &learned))
				c->learned = perf_buf_detach(&learned);
			perf_buf_release(&learned);
		}
		for (unsigned code; (code = fm_next(&f, item));) {
			struct perf_report_goal *g;
			if (code != FM_GOAL || perf_value_parse_int(item[1], &v, NULL) || !(g = find_goal(p, item[0])))
				continue;
			if (add_hist(g, c->date, c->week, v)) {
				free((void *)docs);
				return perf_error(err, PERF_ENOMEM, "out of memory");
			}
		}
	}
	free((void *)docs);
	return finish_goals(p, err);
}

/* The actions of the documents in dir (of a kind with actions), known as <who>/<id>. */
static int folder_actions(struct perf_report_team *t, const char *dir, const char *name, size_t *cap)
{
	const struct tdoc **docs = NULL;
	const char *who;
	size_t ndocs;
	int rc;

	if ((rc = children(t, dir, &docs, &ndocs)))
		return rc;
	who = ndocs ? team_strdup(t, name, strlen(name)) : NULL;
	for (size_t k = 0; k < ndocs && !rc; k++) {
		const char *item[5];
		struct fm f;

		fm_open(&f, docs[k]->rec, docs[k]->len);
		if (!f.valid)
			continue;
		if (!who) {
			rc = PERF_ENOMEM;
			break;
		}
		for (unsigned code; (code = fm_next(&f, item));) {
			if (code != FM_ACTION)
				continue;
			if (t->nacts == *cap) {
				size_t c = *cap ? *cap * 2 : 64;
				void *v = realloc(t->acts, c * sizeof(*t->acts));
				if (!v) {
					rc = PERF_ENOMEM;
					break;
				}
				t->acts = v;
				*cap = c;
			}
			t->acts[t->nacts++] = (struct taction){item[1], item[0],      item[2],       item[3],
			                                       item[4], f.s[FM_DATE], docs[k]->path, who};
		}
	}
	free((void *)docs);
	return rc;
}

/*
 * Every action of every document of a kind with actions: a person's (their
 * notes, people by handle, each one's notes by name), then the team's
 * (retros, known by the kind's word), as perf_actions_collect orders them.
 */
static int team_actions(struct perf_report_team *t)
{
	const struct tdoc **people = NULL;
	size_t npeople, cap = 0;
	int rc = 0;

	t->have_acts = true;
	if (children(t, "people", &people, &npeople))
		return PERF_ENOMEM;
	for (const struct perf_schema_kind *const *k = perf_schema_kinds(); *k && !rc; k++) {
		char dir[64], handle[PERF_HANDLE_MAX + 1];
		const char *folder;
		size_t fn = perf_schema_folder(*k, &folder);
		if (!(*k)->actions || !fn)
			continue;
		if (!perf_schema_per_person(*k)) {
			snprintf(dir, sizeof(dir), "%.*s", (int)fn, folder);
			rc = folder_actions(t, dir, (*k)->target, &cap);
			continue;
		}
		for (size_t i = 0; i < npeople && !rc; i++) {
			doc_name(people[i], handle, sizeof(handle));
			snprintf(dir, sizeof(dir), "%.*s/%s", (int)fn, folder, handle);
			rc = folder_actions(t, dir, handle, &cap);
		}
	}
	free((void *)people);
	return rc;
}

int perf_report_team_record(struct perf_report_team *t, const char *handle, unsigned flags,
                            struct perf_report_record *r, struct perf_error *err)
{
	const struct tdoc **docs = NULL, *d;
	char dir[64], path[PERF_SCHEMA_PATH_MAX + 1], key[2 * PERF_HANDLE_MAX + 2];
	size_t n;
	struct fm f;
	int rc;

	memset(r, 0, sizeof(*r));
	/* Praise received. */
	snprintf(dir, sizeof(dir), "praise/%s", handle);
	if (children(t, dir, &docs, &n))
		goto oom;
	for (size_t i = 0; i < n; i++) {
		struct perf_report_praise *pr;
		fm_open(&f, docs[i]->rec, docs[i]->len);
		if (!f.valid)
			continue;
		if (grow((void **)&r->praise, r->npraise, sizeof(*r->praise)))
			goto oom;
		pr = &r->praise[r->npraise++];
		snprintf(pr->from, sizeof(pr->from), "%s", f.s[FM_FROM] ? f.s[FM_FROM] : "");
		snprintf(pr->at, sizeof(pr->at), "%s", f.s[FM_AT] ? f.s[FM_AT] : "");
		if (f.s[FM_VALUE] && *f.s[FM_VALUE] && !(pr->value = strdup(f.s[FM_VALUE])))
			goto oom;
		if ((flags & PERF_REPORT_BODIES) && (rc = team_text(t, docs[i], &pr->text, err)))
			goto fail;
	}
	free((void *)docs);
	docs = NULL;
	/* Feedback requests and the answers by others. */
	snprintf(dir, sizeof(dir), "feedback/%s", handle);
	if (children(t, dir, &docs, &n))
		goto oom;
	for (size_t i = 0; i < n; i++) {
		const struct tdoc **replies = NULL;
		struct perf_report_request *q;
		const char *item[5];
		size_t nreplies;

		fm_open(&f, docs[i]->rec, docs[i]->len);
		if (!f.valid)
			continue;
		if (grow((void **)&r->requests, r->nrequests, sizeof(*r->requests)))
			goto oom;
		q = &r->requests[r->nrequests++];
		doc_name(docs[i], q->id, sizeof(q->id));
		snprintf(q->created, sizeof(q->created), "%s", f.s[FM_CREATED] ? f.s[FM_CREATED] : "");
		if (!(q->about = strdup(f.s[FM_ABOUT] ? f.s[FM_ABOUT] : "")))
			goto oom;
		for (unsigned code; (code = fm_next(&f, item));)
			if (code == FM_ASKED)
				q->nasked = (size_t)strtoul(item[0], NULL, 10);
		snprintf(path, sizeof(path), "%.*s", (int)(strlen(docs[i]->path) - 3), docs[i]->path);
		if (children(t, path, &replies, &nreplies))
			goto oom;
		for (size_t k = 0; k < nreplies; k++) {
			struct perf_schema_match m;
			struct perf_report_answer *a;
			struct fm rf;
			fm_open(&rf, replies[k]->rec, replies[k]->len);
			if (!rf.valid || perf_schema_match_path(&m, replies[k]->path, NULL) ||
			    !strcmp(m.author, handle))
				continue;
			if (grow((void **)&q->answers, q->nanswers, sizeof(*q->answers)))
				break;
			a = &q->answers[q->nanswers++];
			snprintf(a->author, sizeof(a->author), "%s", m.author);
			snprintf(a->at, sizeof(a->at), "%s", m.time);
			if ((flags & PERF_REPORT_BODIES) && (rc = team_text(t, replies[k], &a->text, err))) {
				free((void *)replies);
				goto fail;
			}
		}
		free((void *)replies);
	}
	free((void *)docs);
	docs = NULL;
	/* Actions this person owns, in anyone's notes. */
	if (!t->have_acts && team_actions(t))
		goto oom;
	for (size_t i = 0; i < t->nacts; i++) {
		const struct taction *a = &t->acts[i];
		struct perf_report_action *x;
		bool b = false;
		if (strcmp(a->owner, handle))
			continue;
		snprintf(key, sizeof(key), "%s/%s", a->notes_of, a->id);
		if (!(x = find_action(r, key))) {
			if (grow((void **)&r->actions, r->nactions, sizeof(*r->actions)))
				goto oom;
			x = &r->actions[r->nactions++];
			snprintf(x->id, sizeof(x->id), "%s", key);
			snprintf(x->opened, sizeof(x->opened), "%s", a->date ? a->date : "");
		}
		free(x->text);
		if (!(x->text = strdup(a->text)))
			goto oom;
		snprintf(x->due, sizeof(x->due), "%s", a->due ? a->due : "");
		x->done = a->done && perf_value_parse_bool(a->done, &b, NULL) == 0 && b;
		snprintf(x->latest, sizeof(x->latest), "%s", a->date ? a->date : "");
		snprintf(x->note, sizeof(x->note), "%s", a->note);
	}
	/* Expectations, and whether both agreed to their current version. */
	snprintf(path, sizeof(path), "expectations/%s.md", handle);
	if ((d = find_doc(t, path))) {
		const char *item[5];
		bool me = false, lead = false;
		fm_open(&f, d->rec, d->len);
		if (f.valid) {
			r->has_expectations = true;
			snprintf(r->lead, sizeof(r->lead), "%s", f.s[FM_LEAD] ? f.s[FM_LEAD] : "");
			for (unsigned code; (code = fm_next(&f, item));) {
				if (code != FM_AGREED)
					continue;
				me = me || !strcmp(item[0], handle);
				lead = lead || (f.s[FM_LEAD] && !strcmp(item[0], f.s[FM_LEAD]));
			}
			r->expectations_agreed = me && lead;
		}
	}
	return 0;
oom:
	rc = perf_error(err, PERF_ENOMEM, "out of memory");
fail:
	free((void *)docs);
	return rc;
}
