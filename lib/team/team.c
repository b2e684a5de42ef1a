#include "team.h"

#include <git2.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admission.h"
#include "agreement.h"
#include "body.h"
#include "config.h"
#include "doc.h"
#include "schema.h"
#include "value.h"
#include "repo.h"
#include "repo-internal.h"

#define SEEN_NAME          "seen"
#define UNSEEN_WINDOW_DAYS 14

static int add_item(struct perf_due *d, enum perf_due_kind kind, const char *path, const char *due, bool overdue,
                    const char *hint, const char *fmt, ...) __attribute__((format(printf, 7, 8)));
static int add_item(struct perf_due *d, enum perf_due_kind kind, const char *path, const char *due, bool overdue,
                    const char *hint, const char *fmt, ...)
{
	struct perf_buf b = PERF_BUF_INIT;
	struct perf_due_item *it;
	va_list ap;

	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 8;
		void *v = realloc(d->v, cap * sizeof(*d->v));
		if (!v)
			return PERF_ENOMEM;
		d->v = v;
		d->cap = cap;
	}
	va_start(ap, fmt);
	perf_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	it = &d->v[d->n++];
	memset(it, 0, sizeof(*it));
	it->kind = kind;
	it->text = perf_buf_detach(&b);
	it->hint = strdup(hint ? hint : "");
	it->path = strdup(path ? path : "");
	snprintf(it->due, sizeof(it->due), "%s", due ? due : "");
	it->overdue = overdue;
	return it->text && it->hint && it->path ? 0 : PERF_ENOMEM;
}

void perf_due_release(struct perf_due *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->v[i].text);
		free(d->v[i].hint);
		free(d->v[i].path);
	}
	free(d->v);
	memset(d, 0, sizeof(*d));
}

struct reports {
	struct perf_repo *repo;
	const char *lead;
	struct perf_strv *out;
};

static int collect_report(const char *name, bool is_dir, const git_oid *id, void *payload)
{
	struct reports *r = payload;
	char handle[PERF_HANDLE_MAX + 1], lead[PERF_HANDLE_MAX + 1];
	size_t n = strlen(name);

	if (is_dir || n < 4 || n - 3 > PERF_HANDLE_MAX || strcmp(name + n - 3, ".md"))
		return 0;
	memcpy(handle, name, n - 3);
	handle[n - 3] = '\0';
	/* By the blob id the listing gives: no walk from HEAD per person. */
	{
		git_blob *blob = NULL;
		struct perf_doc *doc = NULL;
		char path[PERF_HANDLE_MAX + 16];
		snprintf(path, sizeof(path), "people/%s", name);
		lead[0] = '\0';
		if (perf_repo_blob_fits(r->repo->git, id) && git_blob_lookup(&blob, r->repo->git, id) == 0 &&
		    perf_doc_parse(&doc, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob), path, NULL) == 0) {
			const char *l = perf_doc_str(doc, "lead"), *left = perf_doc_str(doc, "left");
			if (l && !(left && *left)) /* someone who left is nobody's report any more */
				snprintf(lead, sizeof(lead), "%s", l);
		}
		perf_doc_free(doc);
		git_blob_free(blob);
	}
	if (!strcmp(lead, r->lead))
		perf_strv_push(r->out, handle);
	return 0;
}

int perf_team_reports(struct perf_repo *repo, const char *lead, struct perf_strv *out, struct perf_error *err)
{
	struct reports r = {repo, lead, out};
	int rc = perf_repo_list_ids(repo, "people", collect_report, &r, err);

	perf_strv_sort(out);
	return rc;
}

/* --- seen replies -------------------------------------------------------- */

static int seen_path(struct perf_repo *repo, struct perf_buf *p, struct perf_error *err)
{
	int rc = perf_repo_perf_dir(repo, p, err);
	if (!rc)
		perf_buf_puts(p, "/" SEEN_NAME);
	return rc;
}

/* The time a thread was last seen, or 0. */
static time_t seen_at(const struct perf_buf *seen, const char *path)
{
	const char *p = perf_buf_cstr(seen);
	size_t n = strlen(path);
	time_t best = 0;

	while (*p) {
		const char *eol = strchr(p, '\n');
		if (!eol)
			break;
		if ((size_t)(eol - p) > n + 1 && !strncmp(p, path, n) && p[n] == '\t') {
			char *end;
			long long v = strtoll(p + n + 1, &end, 10);
			if (end == eol && v > best)
				best = (time_t)v;
		}
		p = eol + 1;
	}
	return best;
}

static void load_seen(struct perf_repo *repo, struct perf_buf *out)
{
	struct perf_buf p = PERF_BUF_INIT;
	char chunk[8192];
	size_t n;
	FILE *f;

	if (seen_path(repo, &p, NULL) == 0 && (f = fopen(p.ptr, "r"))) {
		while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
			perf_buf_add(out, chunk, n);
		fclose(f);
	}
	perf_buf_release(&p);
}

int perf_team_mark_seen(struct perf_repo *repo, const char *path, time_t t, struct perf_error *err)
{
	struct perf_buf p = PERF_BUF_INIT, line = PERF_BUF_INIT;
	FILE *f;
	int rc;

	if ((rc = seen_path(repo, &p, err)))
		goto out;
	/* Appending one short line is atomic enough: readers take the latest time. */
	perf_buf_printf(&line, "%s\t%lld\n", path, (long long)t);
	f = fopen(p.ptr, "a");
	if (!f || fwrite(line.ptr, 1, line.len, f) != line.len || fclose(f) != 0)
		rc = perf_error_sys(err, "cannot write '%s'", p.ptr);
out:
	perf_buf_release(&p);
	perf_buf_release(&line);
	return rc;
}

/* Replies by others in the threads under dir (one level of documents). */
static int unseen_in(struct perf_repo *repo, const char *dir, const char *who, time_t now, const struct perf_buf *seen,
                     struct perf_due *d)
{
	struct perf_strv docs = PERF_STRV_INIT;
	int rc = 0;

	if (perf_store_list(repo, NULL, dir, &docs, NULL))
		return 0;
	for (size_t i = 0; i < docs.n && !rc; i++) {
		struct perf_strv replies = PERF_STRV_INIT;
		char path[PERF_SCHEMA_PATH_MAX + 1];
		time_t since;

		snprintf(path, sizeof(path), "%s/%s.md", dir, docs.v[i]);
		since = seen_at(seen, path);
		if (!since)
			since = now - UNSEEN_WINDOW_DAYS * 86400L;
		if (perf_store_thread(repo, NULL, path, &replies, NULL) == 0) {
			for (size_t k = 0; k < replies.n && !rc; k++) {
				struct perf_schema_match m;
				time_t at;
				if (perf_schema_match_path(&m, replies.v[k], NULL) || !strcmp(m.author, who) ||
				    perf_value_parse_time(m.time, &at, NULL) || at <= since)
					continue;
				rc = add_item(d, PERF_DUE_REPLY, path, NULL, false, "perf show", "%s replied to %s",
				              m.author, path);
			}
		}
		perf_strv_release(&replies);
	}
	perf_strv_release(&docs);
	return rc;
}

/* --- what is due ---------------------------------------------------------- */

static int checkin_state(struct perf_repo *repo, const struct perf_config *cfg, const char *who, time_t now,
                         struct perf_due *d)
{
	struct perf_strv weeks = PERF_STRV_INIT;
	char dir[64], week[9], prev[9];
	bool fortnightly = cfg && !strcmp(cfg->checkin_cadence, "fortnightly");
	bool monthly = cfg && !strcmp(cfg->checkin_cadence, "monthly");
	int rc = 0;

	perf_value_week_of(now, week);
	perf_value_week_of(now - 7 * 86400L, prev);
	snprintf(dir, sizeof(dir), "checkins/%s", who);
	if (perf_store_list(repo, NULL, dir, &weeks, NULL))
		return 0;
	if (weeks.n) {
		char path[PERF_SCHEMA_PATH_MAX + 1];
		struct perf_doc *doc = NULL;
		snprintf(d->latest_week, sizeof(d->latest_week), "%s", weeks.v[weeks.n - 1]);
		snprintf(path, sizeof(path), "%s/%s.md", dir, weeks.v[weeks.n - 1]);
		if (perf_store_load(repo, NULL, path, &doc, NULL, NULL) == 0) {
			const char *mood = perf_doc_str(doc, "mood");
			snprintf(d->latest_mood, sizeof(d->latest_mood), "%s", mood ? mood : "");
			perf_doc_free(doc);
		}
	}
	d->checked_in = perf_strv_has(&weeks, week) || (fortnightly && perf_strv_has(&weeks, prev));
	if (monthly) {
		/* Any check-in in the same calendar month. */
		char month[8], wk[11];
		perf_value_format_date(now, wk);
		snprintf(month, sizeof(month), "%.7s", wk);
		for (size_t i = 0; i < weeks.n && !d->checked_in; i++) {
			int y, w;
			if (perf_value_parse_week(weeks.v[i], &y, &w, NULL) == 0) {
				perf_value_format_date(perf_value_week_start(y, w), wk);
				d->checked_in = !strncmp(wk, month, 7);
			}
		}
	}
	if (!d->checked_in)
		rc = add_item(d, PERF_DUE_CHECKIN, NULL, NULL, false, "perf checkin", "check-in for %s not written yet",
		              week);
	perf_strv_release(&weeks);
	return rc;
}

static int actions_state(struct perf_repo *repo, const char *who, const struct perf_strv *scope, time_t now,
                         struct perf_due *d)
{
	char today[11], soon[11];
	int rc = 0;

	perf_value_format_date(now, today);
	perf_value_format_date(now + 7 * 86400L, soon);
	/* The notes of the people in scope, then the team's documents (s == scope->n). */
	for (size_t s = 0; s <= scope->n && !rc; s++) {
		struct perf_action_refs refs = PERF_ACTION_REFS_INIT;
		if (perf_actions_collect(&refs, repo, NULL, s < scope->n ? scope->v[s] : "", NULL, NULL, NULL)) {
			perf_action_refs_release(&refs);
			continue;
		}
		for (size_t i = 0; i < refs.n && !rc; i++) {
			const struct perf_action_ref *r = &refs.v[i];
			bool overdue;
			if (r->a.done || strcmp(r->a.owner, who))
				continue;
			d->open_actions++;
			overdue = r->a.due[0] && strcmp(r->a.due, today) < 0;
			if (overdue)
				d->overdue_actions++;
			if (r->a.due[0] && strcmp(r->a.due, soon) <= 0) {
				char hint[PERF_HANDLE_MAX * 2 + 32];
				snprintf(hint, sizeof(hint), "perf action done %s/%s", r->person, r->a.id);
				rc = add_item(d, PERF_DUE_ACTION, r->note, r->a.due, overdue, hint, "action \"%s\"%s",
				              r->a.text, overdue ? " is overdue" : "");
			}
		}
		perf_action_refs_release(&refs);
	}
	return rc;
}

static int feedback_state(struct perf_repo *repo, const struct perf_strv *people, const char *who, time_t now,
                          struct perf_due *d)
{
	char today[11];
	int rc = 0;

	perf_value_format_date(now, today);
	for (size_t p = 0; p < people->n && !rc; p++) {
		struct perf_strv ids = PERF_STRV_INIT;
		char dir[64];
		if (!strcmp(people->v[p], who))
			continue;
		snprintf(dir, sizeof(dir), "feedback/%s", people->v[p]);
		if (perf_store_list(repo, NULL, dir, &ids, NULL))
			continue;
		for (size_t i = 0; i < ids.n && !rc; i++) {
			char path[PERF_SCHEMA_PATH_MAX + 1];
			struct perf_strv replies = PERF_STRV_INIT;
			struct perf_doc *doc = NULL;
			const struct perf_node *asked;
			bool mine = false, answered = false;
			snprintf(path, sizeof(path), "%s/%s.md", dir, ids.v[i]);
			if (perf_store_load(repo, NULL, path, &doc, NULL, NULL))
				continue;
			asked = perf_doc_get(doc, "asked");
			for (size_t k = 0; asked && asked->type == PERF_NODE_SEQ && k < asked->n; k++)
				if (asked->values[k]->type == PERF_NODE_SCALAR && !strcmp(asked->values[k]->text, who))
					mine = true;
			if (mine && perf_store_thread(repo, NULL, path, &replies, NULL) == 0)
				for (size_t k = 0; k < replies.n; k++) {
					struct perf_schema_match m;
					if (perf_schema_match_path(&m, replies.v[k], NULL) == 0 &&
					    !strcmp(m.author, who))
						answered = true;
				}
			if (mine && !answered) {
				const char *due = perf_doc_str(doc, "due"), *about = perf_doc_str(doc, "about");
				char hint[PERF_SCHEMA_PATH_MAX + 16];
				snprintf(hint, sizeof(hint), "perf give %s/%s", people->v[p], ids.v[i]);
				rc = add_item(d, PERF_DUE_FEEDBACK, path, due, due && strcmp(due, today) < 0, hint,
				              "feedback for %s on \"%s\"", people->v[p], about ? about : "");
			}
			perf_strv_release(&replies);
			perf_doc_free(doc);
		}
		perf_strv_release(&ids);
	}
	return rc;
}

static int agreement_state(struct perf_repo *repo, const char *who, const struct perf_strv *reports, struct perf_due *d)
{
	struct perf_strv norms = PERF_STRV_INIT, targets = PERF_STRV_INIT;
	char path[PERF_SCHEMA_PATH_MAX + 1];
	int rc = 0;

	/* Expectations: mine and my reports'. */
	snprintf(path, sizeof(path), "expectations/%s.md", who);
	perf_strv_push(&targets, path);
	for (size_t i = 0; i < reports->n; i++) {
		snprintf(path, sizeof(path), "expectations/%s.md", reports->v[i]);
		perf_strv_push(&targets, path);
	}
	/* Norms ask only the people the team counts (admitted); admission asks their lead or a maintainer. */
	{
		struct perf_admission team;
		struct perf_config *cfg = NULL;
		bool counts = false, maintainer = false;
		if (perf_admission_load(&team, repo, NULL, NULL) == 0) {
			counts = perf_admission_counts(&team, who);
			if (perf_config_load(repo, NULL, &cfg, NULL) == 0)
				maintainer = perf_config_is_maintainer(cfg, who);
			perf_config_free(cfg);
			for (size_t i = 0; counts && i < team.waiting.n && !rc; i++) {
				char hint[PERF_HANDLE_MAX + 16];
				if (!maintainer && strcmp(team.leads.v[i], who))
					continue;
				snprintf(path, sizeof(path), "people/%s.md", team.waiting.v[i]);
				snprintf(hint, sizeof(hint), "perf admit %s", team.waiting.v[i]);
				rc = add_item(d, PERF_DUE_ADMIT, path, NULL, false, hint,
				              "%s joined and waits to be admitted", team.waiting.v[i]);
			}
			perf_admission_release(&team);
		}
		if (!counts) {
			norms.n = 0;
			goto targets;
		}
	}
	if (perf_store_list(repo, NULL, "norms", &norms, NULL) == 0)
		for (size_t i = 0; i < norms.n; i++) {
			snprintf(path, sizeof(path), "norms/%s.md", norms.v[i]);
			perf_strv_push(&targets, path);
		}
targets:
	for (size_t i = 0; i < targets.n && !rc; i++) {
		struct perf_strv agreed = PERF_STRV_INIT, at = PERF_STRV_INIT;
		const struct perf_schema_kind *kind;
		struct perf_doc *doc = NULL;
		char version[PERF_SCHEMA_VERSION_LEN + 1];
		const char *st;
		if (perf_store_load(repo, NULL, targets.v[i], &doc, &kind, NULL))
			continue;
		st = perf_doc_str(doc, "status");
		if (!(st && !strcmp(st, "adopted")) && perf_schema_version(version, kind, doc, NULL) == 0 &&
		    perf_agreement_current(doc, kind, version, &agreed, &at, NULL) == 0 &&
		    !perf_strv_has(&agreed, who)) {
			char hint[PERF_SCHEMA_PATH_MAX + 16];
			snprintf(hint, sizeof(hint), "perf agree %s", targets.v[i]);
			rc = add_item(d, PERF_DUE_AGREE, targets.v[i], NULL, false, hint, "%s waits for your agreement",
			              targets.v[i]);
		}
		perf_strv_release(&agreed);
		perf_strv_release(&at);
		perf_doc_free(doc);
	}
	perf_strv_release(&norms);
	perf_strv_release(&targets);
	return rc;
}

/* Support `who` promised to others' active goals and has not given yet. */
static int support_state(struct perf_repo *repo, const struct perf_strv *people, const char *who, struct perf_due *d)
{
	int rc = 0;

	for (size_t p = 0; p < people->n && !rc; p++) {
		struct perf_strv ids = PERF_STRV_INIT;
		char dir[64];
		if (!strcmp(people->v[p], who))
			continue;
		snprintf(dir, sizeof(dir), "goals/%s", people->v[p]);
		if (perf_store_list(repo, NULL, dir, &ids, NULL))
			continue;
		for (size_t i = 0; i < ids.n && !rc; i++) {
			char path[PERF_SCHEMA_PATH_MAX + 1];
			struct perf_doc *doc = NULL;
			const struct perf_node *l;
			const char *st;
			snprintf(path, sizeof(path), "%s/%s.md", dir, ids.v[i]);
			if (perf_store_load(repo, NULL, path, &doc, NULL, NULL))
				continue;
			st = perf_doc_str(doc, "status");
			l = perf_doc_get(doc, "supporters");
			for (size_t k = 0;
			     (!st || !strcmp(st, "active")) && l && l->type == PERF_NODE_SEQ && k < l->n && !rc; k++) {
				const struct perf_node *it = l->values[k];
				const char *w = perf_node_str(it, "who"), *what = perf_node_str(it, "what");
				char hint[PERF_SCHEMA_PATH_MAX + 24];
				if (!w || strcmp(w, who) || perf_node_str(it, "given"))
					continue;
				snprintf(hint, sizeof(hint), "perf goal give %s/%s", people->v[p], ids.v[i]);
				rc = add_item(d, PERF_DUE_SUPPORT, path, perf_doc_str(doc, "due"), false, hint,
				              "you promised %s support on \"%s\": %s", people->v[p],
				              perf_doc_str(doc, "title") ? perf_doc_str(doc, "title") : ids.v[i],
				              what ? what : "");
			}
			perf_doc_free(doc);
		}
		perf_strv_release(&ids);
	}
	return rc;
}

int perf_team_due(struct perf_repo *repo, const char *who, time_t now, bool with_replies, struct perf_due *out,
                  struct perf_error *err)
{
	struct perf_strv people = PERF_STRV_INIT, reports = PERF_STRV_INIT, scope = PERF_STRV_INIT;
	struct perf_config *cfg = NULL;
	struct perf_buf seen = PERF_BUF_INIT;
	char lead[PERF_HANDLE_MAX + 1] = "";
	int rc;

	memset(out, 0, sizeof(*out));
	perf_config_load(repo, NULL, &cfg, NULL);
	if ((rc = perf_store_list(repo, NULL, "people", &people, err)) ||
	    (rc = perf_team_reports(repo, who, &reports, err)))
		goto out;
	/* Someone who left is asked nothing, and nothing is asked for them. */
	{
		struct perf_admission team;
		bool gone = false;
		if (perf_admission_load(&team, repo, NULL, NULL) == 0) {
			gone = perf_admission_left(&team, who);
			for (size_t i = people.n; i-- > 0;)
				if (perf_admission_left(&team, people.v[i])) {
					free(people.v[i]);
					memmove(&people.v[i], &people.v[i + 1], (people.n - i - 1) * sizeof(*people.v));
					people.n--;
				}
			perf_admission_release(&team);
		}
		if (gone)
			goto out;
	}
	perf_store_lead_of(repo, NULL, who, lead, NULL);
	/* Notes that can hold my actions: mine, my lead's, my reports', my group's. */
	perf_strv_push(&scope, who);
	if (lead[0] && !perf_strv_has(&scope, lead))
		perf_strv_push(&scope, lead);
	for (size_t i = 0; i < reports.n; i++)
		if (!perf_strv_has(&scope, reports.v[i]))
			perf_strv_push(&scope, reports.v[i]);
	if (cfg) {
		const struct perf_group *g = perf_config_group_of(cfg, who);
		for (size_t i = 0; g && i < g->members.n; i++)
			if (!perf_strv_has(&scope, g->members.v[i]))
				perf_strv_push(&scope, g->members.v[i]);
	}
	if ((rc = checkin_state(repo, cfg, who, now, out)) || (rc = feedback_state(repo, &people, who, now, out)) ||
	    (rc = actions_state(repo, who, &scope, now, out)) || (rc = agreement_state(repo, who, &reports, out)) ||
	    (rc = support_state(repo, &people, who, out)))
		goto nomem;
	if (with_replies) {
		char dir[64];
		load_seen(repo, &seen);
		for (const struct perf_schema_kind *const *k = perf_schema_kinds(); *k && !rc; k++) {
			const char *folder;
			size_t fn = perf_schema_folder(*k, &folder);
			if (!((*k)->traits & PERF_KIND_INBOX) || !fn)
				continue;
			if (perf_schema_one_per_person(*k)) {
				/* Only my own document's thread. */
				struct perf_strv one = PERF_STRV_INIT;
				char path[PERF_SCHEMA_PATH_MAX + 1];
				snprintf(path, sizeof(path), "%.*s/%s.md", (int)fn, folder, who);
				if (perf_store_thread(repo, NULL, path, &one, NULL) == 0) {
					time_t since = seen_at(&seen, path);
					if (!since)
						since = now - UNSEEN_WINDOW_DAYS * 86400L;
					for (size_t i = 0; i < one.n && !rc; i++) {
						struct perf_schema_match m;
						time_t at;
						if (perf_schema_match_path(&m, one.v[i], NULL) ||
						    !strcmp(m.author, who) ||
						    perf_value_parse_time(m.time, &at, NULL) || at <= since)
							continue;
						rc = add_item(out, PERF_DUE_REPLY, path, NULL, false, "perf show",
						              "%s replied to %s", m.author, path);
					}
				}
				perf_strv_release(&one);
				continue;
			}
			snprintf(dir, sizeof(dir), "%.*s/%s", (int)fn, folder, who);
			rc = unseen_in(repo, dir, who, now, &seen, out);
		}
		if (rc)
			goto nomem;
	}
	goto out;
nomem:
	rc = perf_error(err, PERF_ENOMEM, "out of memory");
out:
	perf_config_free(cfg);
	perf_buf_release(&seen);
	perf_strv_release(&people);
	perf_strv_release(&reports);
	perf_strv_release(&scope);
	return rc;
}

/* --- a lead's inbox and the team's week ---------------------------------- */

#define INBOX_WEEKS 2 /* check-ins of this week and the two before it */

void perf_week_entry_release(struct perf_week_entry *e)
{
	for (size_t i = 0; i < e->nreplies; i++) {
		free(e->replies[i].path);
		free(e->replies[i].body);
	}
	free(e->replies);
	free(e->goals);
	free(e->body);
	free(e->stuck);
	free(e->ask);
	memset(e, 0, sizeof(*e));
}

/* "Nothing", "none", "-", "n/a" (any case, a final period or not) say nobody is stuck. */
static bool says_nothing(const char *s)
{
	static const char *const words[] = {"nothing", "none", "-", "n/a", "no", NULL};
	size_t n = strlen(s);

	while (n && (s[n - 1] == '.' || s[n - 1] == ' ' || s[n - 1] == '\n'))
		n--;
	for (size_t i = 0; words[i]; i++)
		if (n == strlen(words[i]) && !strncasecmp(s, words[i], n))
			return true;
	return !n;
}

static bool handle_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
	       c == '.';
}

/* An ask goes to the lead when it names @lead, or names nobody. */
static bool ask_to(const char *ask, const char *lead)
{
	size_t n = strlen(lead);
	bool named = false;

	for (const char *p = strchr(ask, '@'); p; p = strchr(p + 1, '@')) {
		if (p > ask && handle_char(p[-1]))
			continue; /* an email address, not a mention */
		named = true;
		if (!strncmp(p + 1, lead, n) && !(handle_char(p[1 + n]) && p[1 + n] != '.'))
			return true;
	}
	return !named;
}

/* Progress of each goal in a check-in's goals list. */
static long goal_progress(const struct perf_doc *doc, const char *goal, bool *found)
{
	const struct perf_node *goals = perf_doc_get(doc, "goals");

	*found = false;
	for (size_t i = 0; goals && goals->type == PERF_NODE_SEQ && i < goals->n; i++) {
		const struct perf_node *m = goals->values[i];
		const char *g = NULL, *pr = NULL;
		for (size_t k = 0; m->type == PERF_NODE_MAP && k < m->n; k++) {
			if (m->values[k]->type != PERF_NODE_SCALAR)
				continue;
			if (!strcmp(m->keys[k], "goal"))
				g = m->values[k]->text;
			else if (!strcmp(m->keys[k], "progress"))
				pr = m->values[k]->text;
		}
		if (g && pr && !strcmp(g, goal)) {
			*found = true;
			return strtol(pr, NULL, 10);
		}
	}
	return 0;
}

static int week_goals(struct perf_week_entry *e, const struct perf_doc *doc, const struct perf_doc *prev)
{
	const struct perf_node *goals = perf_doc_get(doc, "goals");

	for (size_t i = 0; goals && goals->type == PERF_NODE_SEQ && i < goals->n; i++) {
		const struct perf_node *m = goals->values[i];
		struct perf_week_goal *g;
		bool found;
		for (size_t k = 0; m->type == PERF_NODE_MAP && k < m->n; k++) {
			if (strcmp(m->keys[k], "goal") || m->values[k]->type != PERF_NODE_SCALAR)
				continue;
			g = realloc(e->goals, (e->ngoals + 1) * sizeof(*e->goals));
			if (!g)
				return PERF_ENOMEM;
			e->goals = g;
			g = &e->goals[e->ngoals++];
			memset(g, 0, sizeof(*g));
			snprintf(g->goal, sizeof(g->goal), "%s", m->values[k]->text);
			g->to = goal_progress(doc, g->goal, &found);
			g->from = prev ? goal_progress(prev, g->goal, &g->had_from) : 0;
			if (g->to != g->from)
				e->moved++;
		}
	}
	return 0;
}

static int week_replies(struct perf_repo *repo, struct perf_week_entry *e, const char *lead)
{
	struct perf_strv replies = PERF_STRV_INIT;
	int rc = 0;

	if (perf_store_thread(repo, NULL, e->path, &replies, NULL))
		return 0;
	e->replies = calloc(replies.n ? replies.n : 1, sizeof(*e->replies));
	if (!e->replies)
		rc = PERF_ENOMEM;
	for (size_t i = 0; i < replies.n && !rc; i++) {
		struct perf_week_reply *r = &e->replies[e->nreplies];
		struct perf_schema_match m;
		struct perf_doc *doc = NULL;
		const char *body;
		size_t len = 0;
		time_t at;
		if (perf_schema_match_path(&m, replies.v[i], NULL) ||
		    perf_store_load(repo, NULL, replies.v[i], &doc, NULL, NULL))
			continue;
		body = perf_doc_body(doc, &len);
		snprintf(r->author, sizeof(r->author), "%s", m.author);
		if (perf_value_parse_time(m.time, &at, NULL) == 0)
			perf_value_format_time(at, r->at);
		r->path = strdup(replies.v[i]);
		r->body = strndup(body ? body : "", len);
		perf_doc_free(doc);
		e->nreplies++;
		if (!r->path || !r->body)
			rc = PERF_ENOMEM;
		if (lead && !strcmp(m.author, lead))
			e->answered = true;
	}
	perf_strv_release(&replies);
	return rc;
}

int perf_team_week_entry(struct perf_repo *repo, const char *who, const char *week, const char *lead,
                         struct perf_week_entry *out, struct perf_error *err)
{
	struct perf_strv weeks = PERF_STRV_INIT;
	struct perf_doc *doc = NULL, *prev = NULL;
	char dir[64], path[PERF_SCHEMA_PATH_MAX + 1];
	size_t at = 0, first;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	snprintf(out->person, sizeof(out->person), "%s", who);
	snprintf(out->week, sizeof(out->week), "%s", week);
	snprintf(dir, sizeof(dir), "checkins/%s", who);
	if (perf_store_list(repo, NULL, dir, &weeks, NULL))
		return 0;
	/* The check-ins up to week (the list is sorted, and ISO weeks sort as text). */
	while (at < weeks.n && strcmp(weeks.v[at], week) <= 0)
		at++;
	first = at > PERF_WEEK_MOODS ? at - PERF_WEEK_MOODS : 0;
	for (size_t i = first; i < at; i++) {
		snprintf(path, sizeof(path), "%s/%s.md", dir, weeks.v[i]);
		if (perf_store_field(repo, NULL, path, "mood", out->moods[out->nmoods], sizeof(out->moods[0]), NULL) ==
		    0)
			out->nmoods++;
	}
	snprintf(path, sizeof(path), "%s/%s.md", dir, week);
	if (!at || strcmp(weeks.v[at - 1], week) || perf_store_load(repo, NULL, path, &doc, NULL, NULL))
		goto out; /* no check-in that week: its trend is still the weeks before */
	if (at >= 2) {
		snprintf(path, sizeof(path), "%s/%s.md", dir, weeks.v[at - 2]);
		perf_store_load(repo, NULL, path, &prev, NULL, NULL);
	}
	snprintf(out->path, sizeof(out->path), "%s/%s.md", dir, week);
	{
		const char *mood = perf_doc_str(doc, "mood"), *body;
		struct perf_buf s = PERF_BUF_INIT;
		size_t len = 0;
		snprintf(out->mood, sizeof(out->mood), "%s", mood ? mood : "");
		body = perf_doc_body(doc, &len);
		out->body = strndup(body ? body : "", len);
		if (body && perf_body_section(body, len, "Stuck", &s) && !says_nothing(s.ptr))
			out->stuck = perf_buf_detach(&s);
		perf_buf_release(&s);
		if (body && perf_body_section(body, len, "Ask", &s) && !says_nothing(s.ptr)) {
			out->ask_to_lead = lead && ask_to(s.ptr, lead);
			out->ask = perf_buf_detach(&s);
		}
		perf_buf_release(&s);
		if (!out->body)
			rc = PERF_ENOMEM;
	}
	if (!rc)
		rc = week_goals(out, doc, prev);
	if (!rc)
		rc = week_replies(repo, out, lead);
	perf_doc_free(doc);
	perf_doc_free(prev);
out:
	perf_strv_release(&weeks);
	if (rc) {
		perf_week_entry_release(out);
		return perf_error(err, PERF_ENOMEM, "out of memory");
	}
	return 0;
}

/* Replies by `who` on a thread at path the lead has neither answered nor seen. */
static int inbox_replies(struct perf_repo *repo, const char *path, const char *who, const char *lead, time_t now,
                         const struct perf_buf *seen, struct perf_due *d)
{
	struct perf_strv replies = PERF_STRV_INIT;
	time_t since = seen_at(seen, path);
	int rc = 0;

	if (!since)
		since = now - UNSEEN_WINDOW_DAYS * 86400L;
	if (perf_store_thread(repo, NULL, path, &replies, NULL))
		return 0;
	/* The lead's own reply answers all before it. */
	for (size_t i = 0; i < replies.n; i++) {
		struct perf_schema_match m;
		time_t at;
		if (perf_schema_match_path(&m, replies.v[i], NULL) == 0 && !strcmp(m.author, lead) &&
		    perf_value_parse_time(m.time, &at, NULL) == 0 && at > since)
			since = at;
	}
	for (size_t i = 0; i < replies.n && !rc; i++) {
		struct perf_schema_match m;
		char hint[PERF_SCHEMA_PATH_MAX + 32];
		time_t at;
		if (perf_schema_match_path(&m, replies.v[i], NULL) || strcmp(m.author, who) ||
		    perf_value_parse_time(m.time, &at, NULL) || at <= since)
			continue;
		snprintf(hint, sizeof(hint), "perf reply %s -m ...", path);
		rc = add_item(d, PERF_DUE_REPLY, path, NULL, false, hint, "%s replied on %s", who, path);
	}
	perf_strv_release(&replies);
	return rc;
}

/* One line of text: newlines become spaces. */
static void one_line(char *s)
{
	for (; s && *s; s++)
		if (*s == '\n' || *s == '\r')
			*s = ' ';
}

static int inbox_of(struct perf_repo *repo, const char *who, const char *lead, time_t now, const struct perf_buf *seen,
                    struct perf_due *d, struct perf_error *err)
{
	struct perf_strv goals = PERF_STRV_INIT;
	char path[PERF_SCHEMA_PATH_MAX + 1], dir[64];
	int rc;

	snprintf(path, sizeof(path), "expectations/%s.md", who);
	rc = inbox_replies(repo, path, who, lead, now, seen, d);
	snprintf(dir, sizeof(dir), "goals/%s", who);
	if (!rc && perf_store_list(repo, NULL, dir, &goals, NULL) == 0)
		for (size_t i = 0; i < goals.n && !rc; i++) {
			snprintf(path, sizeof(path), "%s/%s.md", dir, goals.v[i]);
			rc = inbox_replies(repo, path, who, lead, now, seen, d);
		}
	perf_strv_release(&goals);
	/* Check-ins of this week and the ones before it, oldest first. */
	for (int back = INBOX_WEEKS; back >= 0 && !rc; back--) {
		struct perf_week_entry e;
		char week[9], hint[PERF_SCHEMA_PATH_MAX + 32];
		perf_value_week_of(now - back * 7 * 86400L, week);
		if ((rc = perf_team_week_entry(repo, who, week, lead, &e, err)))
			return rc;
		if (e.path[0] && !e.answered) {
			one_line(e.ask);
			one_line(e.stuck);
			snprintf(hint, sizeof(hint), "perf reply checkin:%s/%s -m ...", who, week);
			if (e.ask && e.ask_to_lead)
				rc = add_item(d, PERF_DUE_ASK, e.path, NULL, false, hint, "%s asks (%s): %s", who, week,
				              e.ask);
			if (!rc && e.stuck)
				rc = add_item(d, PERF_DUE_STUCK, e.path, NULL, false, hint, "%s is stuck (%s): %s", who,
				              week, e.stuck);
			if (!rc)
				rc = add_item(d, PERF_DUE_ANSWER, e.path, NULL, false, hint,
				              "%s's check-in for %s has no answer from you", who, week);
		}
		perf_week_entry_release(&e);
	}
	return rc ? perf_error(err, PERF_ENOMEM, "out of memory") : 0;
}

int perf_team_inbox(struct perf_repo *repo, const char *lead, const char *only, time_t now, struct perf_due *out,
                    struct perf_error *err)
{
	struct perf_strv reports = PERF_STRV_INIT;
	struct perf_buf seen = PERF_BUF_INIT;
	int rc;

	if ((rc = perf_team_reports(repo, lead, &reports, err)))
		return rc;
	load_seen(repo, &seen);
	for (size_t i = 0; i < reports.n && !rc; i++)
		if (strcmp(reports.v[i], lead) && (!only || !strcmp(reports.v[i], only)))
			rc = inbox_of(repo, reports.v[i], lead, now, &seen, out, err);
	perf_buf_release(&seen);
	perf_strv_release(&reports);
	return rc;
}
