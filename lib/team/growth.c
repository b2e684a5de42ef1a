#include "growth.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "agreement.h"
#include "body.h"
#include "buf.h"
#include "doc.h"
#include "history.h"
#include "private.h"
#include "store.h"

static int nomem(struct perf_error *err)
{
	return perf_error(err, PERF_ENOMEM, "out of memory");
}

static const char *const what_names[] = {"goal", "learning", "answer", "praise"};

const char *perf_growth_what_name(enum perf_growth_what what)
{
	return what_names[what];
}

int perf_growth_may(struct perf_repo *repo, const char *viewer, const char *handle, struct perf_error *err)
{
	char lead[PERF_HANDLE_MAX + 1];
	int rc;

	if (!strcmp(viewer, handle))
		return 0;
	if ((rc = perf_store_lead_of(repo, NULL, handle, lead, err)))
		return rc;
	if (!strcmp(lead, viewer))
		return 0;
	if (!lead[0])
		return perf_error(err, PERF_EPERM,
		                  "only %s may lay out their own record (they have no lead); ask them to run it and "
		                  "share it",
		                  handle);
	return perf_error(err, PERF_EPERM,
	                  "only %s or their lead (%s) may lay out %s's record; ask one of them to run it and share it",
	                  handle, lead, handle);
}

int perf_growth_whose(struct perf_repo *repo, const char *handle, const char **viewer, const char **whose,
                      struct perf_error *err)
{
	int rc;

	if ((rc = perf_repo_require_handle(repo, viewer, err)))
		return rc;
	*whose = handle ? handle : *viewer;
	if ((rc = perf_value_check_handle(*whose, "handle", err)) ||
	    (rc = perf_store_require_person(repo, NULL, *whose, err)))
		return rc;
	return perf_growth_may(repo, *viewer, *whose, err);
}

static void item_release(struct perf_growth_item *it)
{
	free(it->title);
	free(it->text);
	for (size_t i = 0; i < it->nsupport; i++)
		free(it->support[i].what);
	free(it->support);
	for (size_t i = 0; i < it->nwork; i++) {
		free(it->work[i].repo);
		free(it->work[i].commit);
		free(it->work[i].subject);
	}
	free(it->work);
}

void perf_growth_release(struct perf_growth *g)
{
	if (!g)
		return;
	for (size_t i = 0; i < g->nitems; i++)
		item_release(&g->items[i]);
	free(g->items);
	for (size_t i = 0; i < g->nhistory; i++) {
		free(g->history[i].who);
		free(g->history[i].words);
	}
	free(g->history);
	free(g->role);
	perf_areas_release(&g->areas);
	perf_strv_release(&g->agreed_who);
	perf_strv_release(&g->agreed_at);
	perf_strv_release(&g->voices);
	for (size_t i = 0; i < g->nrequests; i++)
		perf_strv_release(&g->requests[i].waiting);
	free(g->requests);
	memset(g, 0, sizeof(*g));
}

static struct perf_growth_item *new_item(struct perf_growth *g, enum perf_growth_what what, const char *path)
{
	struct perf_growth_item *v = realloc(g->items, (g->nitems + 1) * sizeof(*v));

	if (!v)
		return NULL;
	g->items = v;
	v = &g->items[g->nitems++];
	memset(v, 0, sizeof(*v));
	v->what = what;
	v->area = v->suggest = -1;
	v->start = v->end = -1;
	snprintf(v->path, sizeof(v->path), "%s", path);
	return v;
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* The body's words, trimmed; NULL when it has none. */
static char *body_words(const struct perf_doc *doc)
{
	size_t len;
	const char *b = perf_doc_body(doc, &len);
	char *s;

	if (!perf_body_has_words(b, len))
		return NULL;
	s = strndup(b, len);
	return s ? perf_report_trim(s) : NULL;
}

/* The area a value names, silently: its key or its name; -1 when none. */
static int area_of(const struct perf_growth *g, const char *value)
{
	char slug[PERF_HANDLE_MAX + 1];
	int i;

	if (!value || !*value)
		return -1;
	if ((i = perf_areas_index(&g->areas, value)) >= 0)
		return i;
	if (perf_value_slugify(value, slug, NULL))
		return -1;
	return perf_areas_index(&g->areas, slug);
}

/* An area the words speak of, when the item is not linked. */
static void suggest(const struct perf_growth *g, struct perf_growth_item *it, const char *a, const char *b)
{
	if (it->area >= 0)
		return;
	for (size_t i = 0; i < g->areas.n; i++)
		if (perf_areas_mentions(&g->areas.v[i], a) || perf_areas_mentions(&g->areas.v[i], b)) {
			it->suggest = (int)i;
			return;
		}
}

static void date_of(char out[11], const char *time)
{
	snprintf(out, 11, "%.10s", time ? time : "");
}

/* ---- who is around the person: repliers, supporters, the supported ---- */

struct voice {
	char who[PERF_HANDLE_MAX + 1];
	size_t n;
};
struct voices {
	struct voice *v;
	size_t n;
};

static int add_voice(struct voices *vs, const char *who, const char *handle)
{
	struct voice *v;

	if (!who || !perf_value_is_handle(who) || !strcmp(who, handle))
		return 0;
	for (size_t i = 0; i < vs->n; i++)
		if (!strcmp(vs->v[i].who, who)) {
			vs->v[i].n++;
			return 0;
		}
	v = realloc(vs->v, (vs->n + 1) * sizeof(*v));
	if (!v)
		return -1;
	vs->v = v;
	snprintf(v[vs->n].who, sizeof(v[vs->n].who), "%s", who);
	v[vs->n++].n = 1;
	return 0;
}

static int cmp_voice(const void *a, const void *b)
{
	const struct voice *x = a, *y = b;
	if (x->n != y->n)
		return x->n < y->n ? 1 : -1;
	return strcmp(x->who, y->who);
}

/* Authors of the replies to path, as voices. */
static int thread_voices(struct perf_repo *repo, const char *path, const char *handle, struct voices *vs,
                         struct perf_error *err)
{
	struct perf_strv thread = PERF_STRV_INIT;
	int rc;

	if ((rc = perf_store_thread(repo, NULL, path, &thread, err)))
		return rc == PERF_ENOTFOUND ? 0 : rc;
	for (size_t i = 0; !rc && i < thread.n; i++) {
		struct perf_schema_match m;
		if (!perf_schema_match_path(&m, thread.v[i], NULL) && add_voice(vs, m.author, handle))
			rc = nomem(err);
	}
	perf_strv_release(&thread);
	return rc;
}

/* ---- goals ---- */

struct mark {
	char slug[PERF_HANDLE_MAX + 1];
	char date[11];
	long progress;
};
struct marks {
	struct mark *v;
	size_t n;
	/* Every goal's slug and area, in the span or not (answers inherit a goal's area). */
	struct perf_strv slugs;
	int *areas;
};

static int add_mark(struct marks *ms, const char *slug, const char *date, long progress)
{
	struct mark *v = realloc(ms->v, (ms->n + 1) * sizeof(*v));

	if (!v)
		return -1;
	ms->v = v;
	snprintf(v[ms->n].slug, sizeof(v[ms->n].slug), "%s", slug);
	snprintf(v[ms->n].date, sizeof(v[ms->n].date), "%s", date);
	v[ms->n++].progress = progress;
	return 0;
}

static int goal_area(const struct marks *ms, const char *slug)
{
	for (size_t i = 0; slug && i < ms->slugs.n; i++)
		if (!strcmp(ms->slugs.v[i], slug))
			return ms->areas[i];
	return -1;
}

static int read_support(struct perf_growth_item *it, const struct perf_doc *doc, struct voices *vs, const char *handle)
{
	const struct perf_node *l = perf_doc_get(doc, "supporters");

	if (!l || l->type != PERF_NODE_SEQ || !l->n)
		return 0;
	it->support = calloc(l->n, sizeof(*it->support));
	if (!it->support)
		return -1;
	for (size_t i = 0; i < l->n; i++) {
		const struct perf_node *s = l->values[i];
		const char *who = perf_node_str(s, "who"), *what = perf_node_str(s, "what"),
		           *given = perf_node_str(s, "given");
		struct perf_growth_support *o = &it->support[it->nsupport];
		if (s->type != PERF_NODE_MAP || !who)
			continue;
		snprintf(o->who, sizeof(o->who), "%s", who);
		snprintf(o->given, sizeof(o->given), "%s", given ? given : "");
		if (!(o->what = strdup(what ? what : "")) || add_voice(vs, who, handle))
			return -1;
		it->nsupport++;
	}
	return 0;
}

static int load_goals(struct perf_growth *g, struct perf_repo *repo, struct marks *ms, struct voices *vs,
                      unsigned flags, struct perf_error *err)
{
	struct perf_strv names = PERF_STRV_INIT;
	char dir[PERF_HANDLE_MAX + 16];
	int rc;

	snprintf(dir, sizeof(dir), "goals/%s", g->handle);
	if ((rc = perf_store_list(repo, NULL, dir, &names, err)))
		return rc == PERF_ENOTFOUND ? 0 : rc;
	ms->areas = calloc(names.n ? names.n : 1, sizeof(int));
	if (!ms->areas) {
		perf_strv_release(&names);
		return nomem(err);
	}
	for (size_t i = 0; !rc && i < names.n; i++) {
		char path[PERF_SCHEMA_PATH_MAX + 1];
		struct perf_doc *doc = NULL;
		struct perf_growth_item *it;
		const char *created, *closed, *area, *progress;
		int a;

		snprintf(path, sizeof(path), "%s/%s.md", dir, names.v[i]);
		if (perf_store_load(repo, NULL, path, &doc, NULL, NULL))
			continue;
		area = perf_doc_str(doc, "area");
		a = area ? area_of(g, area) : area_of(g, perf_doc_str(doc, "supports"));
		if (perf_strv_push(&ms->slugs, names.v[i])) {
			perf_doc_free(doc);
			return nomem(err);
		}
		ms->areas[ms->slugs.n - 1] = a;
		created = perf_doc_str(doc, "created");
		closed = perf_doc_str(doc, "closed");
		if ((created && strncmp(created, g->span.until, 10) > 0) ||
		    (closed && strncmp(closed, g->span.since, 10) < 0)) {
			perf_doc_free(doc);
			continue;
		}
		if (!(it = new_item(g, PERF_GROWTH_GOAL, path))) {
			perf_doc_free(doc);
			return nomem(err);
		}
		it->area = a;
		date_of(it->date, created);
		snprintf(it->who, sizeof(it->who), "%s", g->handle);
		snprintf(it->slug, sizeof(it->slug), "%s", names.v[i]);
		snprintf(it->status, sizeof(it->status), "%s",
		         perf_doc_str(doc, "status") ? perf_doc_str(doc, "status") : "");
		snprintf(it->due, sizeof(it->due), "%s", perf_doc_str(doc, "due") ? perf_doc_str(doc, "due") : "");
		it->closed_in_span = closed && perf_report_in_span(&g->span, closed);
		progress = perf_doc_str(doc, "progress");
		if (progress)
			it->end = strtol(progress, NULL, 10);
		it->title = dup_or_null(perf_doc_str(doc, "title"));
		it->text = dup_or_null(perf_doc_str(doc, "why"));
		if (!it->title || read_support(it, doc, vs, g->handle) ||
		    ((flags & PERF_GROWTH_HISTORY) && thread_voices(repo, path, g->handle, vs, err))) {
			perf_doc_free(doc);
			return nomem(err);
		}
		suggest(g, it, it->title, it->text);
		perf_doc_free(doc);
	}
	perf_strv_release(&names);
	return rc;
}

/* Progress at the span's start and end, from check-ins (the goal file's own when none). */
static void goal_moves(struct perf_growth *g, const struct marks *ms)
{
	for (size_t i = 0; i < g->nitems; i++) {
		struct perf_growth_item *it = &g->items[i];
		char sd[11] = "", ed[11] = "";
		long start = -1, end = -1;
		if (it->what != PERF_GROWTH_GOAL)
			continue;
		for (size_t k = 0; k < ms->n; k++) {
			const struct mark *m = &ms->v[k];
			if (strcmp(m->slug, it->slug))
				continue;
			if (strcmp(m->date, g->span.since) < 0 && strcmp(m->date, sd) >= 0) {
				start = m->progress;
				snprintf(sd, sizeof(sd), "%s", m->date);
			}
			if (strcmp(m->date, g->span.until) <= 0 && strcmp(m->date, ed) >= 0) {
				end = m->progress;
				snprintf(ed, sizeof(ed), "%s", m->date);
			}
		}
		/* A goal born in the span started it at its first progress, 0. */
		if (start < 0 && it->date[0] && strcmp(it->date, g->span.since) >= 0)
			start = 0;
		it->start = start;
		if (end >= 0)
			it->end = end;
		if (it->closed_in_span && !strcmp(it->status, "done"))
			it->end = 100;
	}
}

/* ---- check-ins ---- */

static int read_work(struct perf_growth_item *it, const struct perf_doc *doc)
{
	const struct perf_node *l = perf_doc_get(doc, "work");

	if (!l || l->type != PERF_NODE_SEQ || !l->n)
		return 0;
	if (!(it->work = calloc(l->n, sizeof(*it->work))))
		return -1;
	for (size_t i = 0; i < l->n; i++) {
		const struct perf_node *w = l->values[i];
		struct perf_growth_work *o = &it->work[it->nwork];
		if (w->type == PERF_NODE_SCALAR) {
			if (!(o->subject = strdup(w->text)))
				return -1;
		} else if (w->type == PERF_NODE_MAP) {
			o->repo = dup_or_null(perf_node_str(w, "repo"));
			o->commit = dup_or_null(perf_node_str(w, "commit"));
			o->subject = dup_or_null(perf_node_str(w, "subject"));
		} else {
			continue;
		}
		it->nwork++;
	}
	return 0;
}

static int load_checkins(struct perf_growth *g, struct perf_repo *repo, struct marks *ms, struct voices *vs,
                         unsigned flags, struct perf_error *err)
{
	struct perf_strv names = PERF_STRV_INIT;
	char dir[PERF_HANDLE_MAX + 16];
	int rc;

	snprintf(dir, sizeof(dir), "checkins/%s", g->handle);
	if ((rc = perf_store_list(repo, NULL, dir, &names, err)))
		return rc == PERF_ENOTFOUND ? 0 : rc;
	for (size_t i = 0; !rc && i < names.n; i++) {
		char path[PERF_SCHEMA_PATH_MAX + 1], date[11];
		struct perf_buf learned = PERF_BUF_INIT;
		const struct perf_node *goals;
		struct perf_growth_item *it;
		struct perf_doc *doc = NULL;
		const char *body, *created;
		size_t blen;

		snprintf(path, sizeof(path), "%s/%s.md", dir, names.v[i]);
		if (perf_store_load(repo, NULL, path, &doc, NULL, NULL))
			continue;
		created = perf_doc_str(doc, "created");
		if (created)
			date_of(date, created);
		else
			perf_report_week_day(names.v[i], date);
		goals = perf_doc_get(doc, "goals");
		for (size_t k = 0; goals && goals->type == PERF_NODE_SEQ && k < goals->n; k++) {
			const char *slug = perf_node_str(goals->values[k], "goal"),
			           *p = perf_node_str(goals->values[k], "progress");
			if (slug && p && add_mark(ms, slug, date, strtol(p, NULL, 10))) {
				perf_doc_free(doc);
				return nomem(err);
			}
		}
		body = perf_doc_body(doc, &blen);
		perf_body_section(body, blen, "Learned", &learned);
		if (!perf_report_week_in_span(&g->span, names.v[i]) || (!learned.len && !perf_doc_get(doc, "work"))) {
			perf_buf_release(&learned);
			perf_doc_free(doc);
			continue;
		}
		if (!(it = new_item(g, PERF_GROWTH_LEARNING, path)) || !(it->title = strdup(names.v[i])) ||
		    (learned.len && !(it->text = perf_report_trim(perf_buf_detach(&learned)))) || read_work(it, doc) ||
		    ((flags & PERF_GROWTH_HISTORY) && thread_voices(repo, path, g->handle, vs, err))) {
			perf_buf_release(&learned);
			perf_doc_free(doc);
			return nomem(err);
		}
		snprintf(it->date, sizeof(it->date), "%s", date);
		snprintf(it->who, sizeof(it->who), "%s", g->handle);
		/* A week that moved a goal serving an area speaks to that area. */
		for (size_t k = 0; goals && goals->type == PERF_NODE_SEQ && k < goals->n && it->area < 0; k++) {
			const char *slug = perf_node_str(goals->values[k], "goal");
			if ((it->area = goal_area(ms, slug)) >= 0)
				snprintf(it->via, sizeof(it->via), "%s", slug);
		}
		suggest(g, it, it->text, NULL);
		perf_buf_release(&learned);
		perf_doc_free(doc);
	}
	perf_strv_release(&names);
	return rc;
}

/* ---- feedback answers ---- */

static int load_answer(struct perf_growth *g, struct perf_repo *repo, const char *path, const struct perf_doc *req,
                       const char *id, const struct marks *ms, struct voices *vs, struct perf_error *err)
{
	struct perf_schema_match m;
	struct perf_doc *doc = NULL;
	struct perf_growth_item *it;
	const char *at, *area;
	int rc = 0;

	if (perf_schema_match_path(&m, path, NULL) || !strcmp(m.author, g->handle) ||
	    perf_store_load(repo, NULL, path, &doc, NULL, NULL))
		return 0;
	at = perf_doc_str(doc, "at");
	if (!at || !perf_report_in_span(&g->span, at))
		goto out;
	/* Sealed to others: left out altogether. */
	if (perf_private_doc_is(doc) && !perf_private_is_reader(doc, g->viewer))
		goto out;
	if (!(it = new_item(g, PERF_GROWTH_ANSWER, path))) {
		rc = nomem(err);
		goto out;
	}
	date_of(it->date, at);
	snprintf(it->who, sizeof(it->who), "%s", m.author);
	snprintf(it->request, sizeof(it->request), "%s", id);
	it->title = dup_or_null(perf_doc_str(req, "about"));
	if (perf_private_doc_is(doc)) {
		struct perf_buf open = PERF_BUF_INIT;
		struct perf_error oe;
		it->private_ = true;
		if (perf_private_open_doc(doc, g->viewer, &open, &oe) == 0) {
			if (perf_buf_putc(&open, '\0') == 0)
				it->text = perf_report_trim(strdup(open.ptr));
			perf_private_buf_wipe(&open);
		} else {
			struct perf_buf msg = PERF_BUF_INIT;
			perf_buf_printf(&msg, "(private, and it cannot be opened here: %s)", oe.msg);
			it->text = perf_buf_detach(&msg);
		}
	} else {
		it->text = body_words(doc);
	}
	area = perf_doc_str(doc, "area");
	if (!area)
		area = perf_doc_str(req, "area");
	it->area = area_of(g, area);
	if (it->area < 0)
		it->area = goal_area(ms, perf_doc_str(req, "goal"));
	suggest(g, it, it->text, it->title);
	if (add_voice(vs, m.author, g->handle))
		rc = nomem(err);
out:
	perf_doc_free(doc);
	return rc;
}

/* A request of the span for an area: who was asked and has not answered. */
static int pending(struct perf_growth *g, const struct perf_doc *req, const char *id, const struct perf_strv *thread,
                   const struct marks *ms, struct perf_error *err)
{
	const char *created = perf_doc_str(req, "created");
	const struct perf_node *asked = perf_doc_get(req, "asked");
	struct perf_growth_request *r, *v;
	int area = area_of(g, perf_doc_str(req, "area"));

	if (area < 0)
		area = goal_area(ms, perf_doc_str(req, "goal"));
	if (area < 0 || !created || !perf_report_in_span(&g->span, created) || !asked || asked->type != PERF_NODE_SEQ)
		return 0;
	if (!(v = realloc(g->requests, (g->nrequests + 1) * sizeof(*v))))
		return nomem(err);
	g->requests = v;
	r = &v[g->nrequests];
	memset(r, 0, sizeof(*r));
	snprintf(r->id, sizeof(r->id), "%s", id);
	date_of(r->created, created);
	r->area = area;
	for (size_t i = 0; i < asked->n; i++) {
		const char *who = asked->values[i]->type == PERF_NODE_SCALAR ? asked->values[i]->text : NULL;
		bool answered = false;
		for (size_t k = 0; who && k < thread->n; k++) {
			struct perf_schema_match m;
			answered |= !perf_schema_match_path(&m, thread->v[k], NULL) && !strcmp(m.author, who);
		}
		if (who && !answered && perf_strv_push(&r->waiting, who)) {
			perf_strv_release(&r->waiting);
			return nomem(err);
		}
	}
	if (r->waiting.n)
		g->nrequests++;
	else
		perf_strv_release(&r->waiting);
	return 0;
}

static int load_feedback(struct perf_growth *g, struct perf_repo *repo, const struct marks *ms, struct voices *vs,
                         struct perf_error *err)
{
	struct perf_strv names = PERF_STRV_INIT;
	char dir[PERF_HANDLE_MAX + 16];
	int rc;

	snprintf(dir, sizeof(dir), "feedback/%s", g->handle);
	if ((rc = perf_store_list(repo, NULL, dir, &names, err)))
		return rc == PERF_ENOTFOUND ? 0 : rc;
	for (size_t i = 0; !rc && i < names.n; i++) {
		char path[PERF_SCHEMA_PATH_MAX + 1];
		struct perf_strv thread = PERF_STRV_INIT;
		struct perf_doc *req = NULL;

		snprintf(path, sizeof(path), "%s/%s.md", dir, names.v[i]);
		if (perf_store_load(repo, NULL, path, &req, NULL, NULL))
			continue;
		if (perf_store_thread(repo, NULL, path, &thread, NULL) == 0)
			for (size_t k = 0; !rc && k < thread.n; k++)
				rc = load_answer(g, repo, thread.v[k], req, names.v[i], ms, vs, err);
		if (!rc)
			rc = pending(g, req, names.v[i], &thread, ms, err);
		perf_strv_release(&thread);
		perf_doc_free(req);
	}
	perf_strv_release(&names);
	return rc;
}

/* ---- praise ---- */

static int load_praise(struct perf_growth *g, struct perf_repo *repo, struct perf_error *err)
{
	struct perf_strv names = PERF_STRV_INIT;
	char dir[PERF_HANDLE_MAX + 16];
	int rc;

	snprintf(dir, sizeof(dir), "praise/%s", g->handle);
	if ((rc = perf_store_list(repo, NULL, dir, &names, err)))
		return rc == PERF_ENOTFOUND ? 0 : rc;
	for (size_t i = 0; !rc && i < names.n; i++) {
		char path[PERF_SCHEMA_PATH_MAX + 1];
		struct perf_doc *doc = NULL;
		struct perf_growth_item *it;
		const char *at, *from;

		snprintf(path, sizeof(path), "%s/%s.md", dir, names.v[i]);
		if (perf_store_load(repo, NULL, path, &doc, NULL, NULL))
			continue;
		at = perf_doc_str(doc, "at");
		from = perf_doc_str(doc, "from");
		if (at && from && perf_report_in_span(&g->span, at)) {
			if (!(it = new_item(g, PERF_GROWTH_PRAISE, path))) {
				rc = nomem(err);
			} else {
				date_of(it->date, at);
				snprintf(it->who, sizeof(it->who), "%s", from);
				it->title = dup_or_null(perf_doc_str(doc, "value"));
				it->text = body_words(doc);
				it->area = area_of(g, perf_doc_str(doc, "area"));
				suggest(g, it, it->text, it->title);
			}
		}
		perf_doc_free(doc);
	}
	perf_strv_release(&names);
	return rc;
}

/* ---- expectations, history and the people around ---- */

static int load_expectations(struct perf_growth *g, struct perf_repo *repo, struct perf_error *err)
{
	char path[PERF_SCHEMA_PATH_MAX + 1], version[PERF_SCHEMA_VERSION_LEN + 1];
	const struct perf_schema_kind *kind = NULL;
	struct perf_doc *doc = NULL;
	const char *body;
	size_t blen;
	int rc;

	snprintf(path, sizeof(path), "expectations/%s.md", g->handle);
	if ((rc = perf_store_load(repo, NULL, path, &doc, &kind, err)))
		return rc == PERF_ENOTFOUND ? 0 : rc;
	g->has_expectations = true;
	snprintf(g->lead, sizeof(g->lead), "%s", perf_doc_str(doc, "lead") ? perf_doc_str(doc, "lead") : "");
	g->role = dup_or_null(perf_doc_str(doc, "role"));
	body = perf_doc_body(doc, &blen);
	if (!(rc = perf_areas_parse(&g->areas, body, blen, err)) &&
	    !(rc = perf_schema_version(version, kind, doc, err)))
		rc = perf_agreement_current(doc, kind, version, &g->agreed_who, &g->agreed_at, err);
	perf_doc_free(doc);
	return rc;
}

static int load_history(struct perf_growth *g, struct perf_repo *repo, struct perf_error *err)
{
	char path[PERF_SCHEMA_PATH_MAX + 1];
	struct perf_log_opts o = {0};
	struct perf_log log = {0};
	struct tm tm = {0};
	int y, m, d, rc;

	snprintf(path, sizeof(path), "expectations/%s.md", g->handle);
	o.path = path;
	if (g->has_expectations) {
		if ((rc = perf_history_log(repo, &o, &log, err)))
			return rc;
		if (log.n && !(g->history = calloc(log.n, sizeof(*g->history)))) {
			perf_log_release(&log);
			return nomem(err);
		}
		for (size_t i = 0; i < log.n; i++) {
			struct perf_growth_step *s = &g->history[g->nhistory];
			/* The thread's replies are not steps of the expectations themselves. */
			if (strcmp(log.v[i].path, path))
				continue;
			snprintf(s->commit, sizeof(s->commit), "%s", log.v[i].id);
			perf_value_format_date(log.v[i].when, s->date);
			s->who = strdup(log.v[i].author ? log.v[i].author : "");
			s->words = strdup(log.v[i].words ? log.v[i].words : log.v[i].subject ? log.v[i].subject : "");
			g->nhistory++;
			if (!s->who || !s->words) {
				perf_log_release(&log);
				return nomem(err);
			}
		}
		perf_log_release(&log);
	}
	/* The commit behind each item: the newest one in the span's log naming its path. */
	if (perf_value_parse_date(g->span.since, &y, &m, &d, NULL) == 0) {
		tm.tm_year = y - 1900;
		tm.tm_mon = m - 1;
		tm.tm_mday = d;
		o.since = timegm(&tm);
	}
	o.path = NULL;
	if ((rc = perf_history_log(repo, &o, &log, err)))
		return rc;
	for (size_t i = 0; i < g->nitems; i++)
		for (size_t k = 0; k < log.n && !g->items[i].commit[0]; k++)
			if (!strcmp(log.v[k].path, g->items[i].path))
				snprintf(g->items[i].commit, sizeof(g->items[i].commit), "%s", log.v[k].id);
	perf_log_release(&log);
	return 0;
}

/* People whose goals the person supports. */
static int supported_by_person(struct perf_growth *g, struct perf_repo *repo, struct voices *vs, struct perf_error *err)
{
	struct perf_strv people = PERF_STRV_INIT;
	int rc;

	if ((rc = perf_report_people(repo, NULL, &people, err)))
		return rc;
	for (size_t i = 0; !rc && i < people.n; i++) {
		struct perf_strv names = PERF_STRV_INIT;
		char dir[PERF_HANDLE_MAX + 16];
		if (!strcmp(people.v[i], g->handle))
			continue;
		snprintf(dir, sizeof(dir), "goals/%s", people.v[i]);
		if (perf_store_list(repo, NULL, dir, &names, NULL))
			continue;
		for (size_t k = 0; !rc && k < names.n; k++) {
			char path[PERF_SCHEMA_PATH_MAX + 1];
			struct perf_doc *doc = NULL;
			const struct perf_node *l;
			snprintf(path, sizeof(path), "%s/%s.md", dir, names.v[k]);
			if (perf_store_load(repo, NULL, path, &doc, NULL, NULL))
				continue;
			l = perf_doc_get(doc, "supporters");
			for (size_t s = 0; l && l->type == PERF_NODE_SEQ && s < l->n; s++) {
				const char *who = perf_node_str(l->values[s], "who");
				if (who && !strcmp(who, g->handle) && add_voice(vs, people.v[i], g->handle))
					rc = nomem(err);
			}
			perf_doc_free(doc);
		}
		perf_strv_release(&names);
	}
	perf_strv_release(&people);
	return rc;
}

static int cmp_item(const void *a, const void *b)
{
	const struct perf_growth_item *x = a, *y = b;
	int c;

	if (x->what != y->what)
		return x->what < y->what ? -1 : 1;
	if ((c = strcmp(x->date, y->date)))
		return c;
	return strcmp(x->path, y->path);
}

int perf_growth_load(struct perf_growth *out, struct perf_repo *repo, const char *handle, const char *viewer,
                     const struct perf_span *span, unsigned flags, struct perf_error *err)
{
	struct marks ms = {0};
	struct voices vs = {0};
	int rc;

	memset(out, 0, sizeof(*out));
	snprintf(out->handle, sizeof(out->handle), "%s", handle);
	snprintf(out->viewer, sizeof(out->viewer), "%s", viewer);
	out->span = *span;
	if ((rc = perf_store_require_person(repo, NULL, handle, err)) || (rc = load_expectations(out, repo, err)) ||
	    (rc = load_goals(out, repo, &ms, &vs, flags, err)) ||
	    (rc = load_checkins(out, repo, &ms, &vs, flags, err)) || (rc = load_feedback(out, repo, &ms, &vs, err)) ||
	    (rc = load_praise(out, repo, err)))
		goto out;
	goal_moves(out, &ms);
	if (out->nitems)
		qsort(out->items, out->nitems, sizeof(*out->items), cmp_item);
	if ((flags & PERF_GROWTH_HISTORY) &&
	    ((rc = load_history(out, repo, err)) || (rc = supported_by_person(out, repo, &vs, err))))
		goto out;
	if (vs.n)
		qsort(vs.v, vs.n, sizeof(*vs.v), cmp_voice);
	for (size_t i = 0; i < vs.n; i++)
		if (perf_strv_push(&out->voices, vs.v[i].who)) {
			rc = nomem(err);
			goto out;
		}
out:
	free(ms.v);
	free(ms.areas);
	perf_strv_release(&ms.slugs);
	free(vs.v);
	return rc;
}

size_t perf_growth_count(const struct perf_growth *g, int i, int what)
{
	size_t n = 0;

	for (size_t k = 0; k < g->nitems; k++)
		if (g->items[k].area == i && (what < 0 || (int)g->items[k].what == what))
			n++;
	return n;
}

bool perf_growth_voiced(const struct perf_growth *g, int i)
{
	return perf_growth_count(g, i, PERF_GROWTH_ANSWER) + perf_growth_count(g, i, PERF_GROWTH_PRAISE) > 0;
}

void perf_growth_span(struct perf_span *out, time_t now, const char *since, const char *until)
{
	memset(out, 0, sizeof(*out));
	perf_value_format_date(now, out->until);
	if (until)
		snprintf(out->until, sizeof(out->until), "%.10s", until);
	if (since) {
		snprintf(out->since, sizeof(out->since), "%.10s", since);
		return;
	}
	/* The same day six months before the end (the month's last day when it has fewer). */
	int y = 0, m = 0, d = 0;
	if (perf_value_parse_date(out->until, &y, &m, &d, NULL))
		return;
	m -= 6;
	if (m < 1) {
		m += 12;
		y--;
	}
	for (d = d > 31 ? 31 : d; d > 0; d--) {
		char day[40];
		snprintf(day, sizeof(day), "%04d-%02d-%02d", y, m, d);
		snprintf(out->since, sizeof(out->since), "%.10s", day);
		if (perf_report_days(out->since) >= 0)
			break;
	}
}
