/*
 * perf checkin: the weekly check-in, meant to take five minutes.
 */
#include "perf.h"
#include "toolkit.h"

#include <stdlib.h>
#include <string.h>

#include "body.h"
#include "buf.h"
#include "doc.h"
#include "gitconfig.h"
#include "schema.h"
#include "store.h"
#include "value.h"
#include "work.h"

#define MAX_GOALS 32

struct goal_update {
	const char *arg; /* ID=PROGRESS as typed */
	char id[PERF_HANDLE_MAX + 1];
	char slug[PERF_HANDLE_MAX + 1];
	long progress;
	long old;
	bool had_old;
};

struct checkin {
	const char *me;
	const char *week_arg; /* --week as typed */
	char week[9];
	char path[PERF_SCHEMA_PATH_MAX + 1];
	const char *message, *learned, *working, *stuck, *ask, *helped;
	long mood;
	bool has_mood;
	struct goal_update goals[MAX_GOALS];
	size_t ngoals;
	/* Editor mode: the whole file as the person left it. */
	const char *edited;
	bool edited_mode;
	bool existed;
	struct perf_buf summary;
	/* The week's work from perf.work (NULL when unset), all of it added with --from-work. */
	struct perf_work *work;
	bool from_work;
};

/* The options the parser returns: each needs a check when seen. */
enum { OPT_MOOD = PERF_OPT_FIRST_ID };

#define INTO(member) PERF_OPT_INTO(struct checkin, member)
static const struct perf_opt checkin_opts[] = {
    {.name = "week",
     .short_name = 'w',
     .arg = "WEEK",
     .help = "the ISO week (default: this week), like 2026-W47",
     INTO(week_arg)},
    {.name = "message", .short_name = 'm', .arg = "TEXT", .help = "what happened this week, in a line or two"},
    {.name = "goal",
     .short_name = 'g',
     .arg = "ID=PROGRESS",
     .help = "progress of one of your goals, 0-100 (repeatable)"},
    {.name = "mood", .arg = "1-5", .help = "how the week felt, 1 low to 5 high", .id = OPT_MOOD},
    {.name = "learned", .short_name = 'l', .arg = "TEXT", .help = "what you learned on the job", INTO(learned)},
    {.name = "working", .arg = "TEXT", .help = "what you are working towards", INTO(working)},
    {.name = "stuck", .short_name = 's', .arg = "TEXT", .help = "where you are stuck", INTO(stuck)},
    {.name = "ask", .short_name = 'a', .arg = "TEXT", .help = "what you ask for, and from whom", INTO(ask)},
    {.name = "helped", .arg = "TEXT", .help = "what support helped you this week, and whose", INTO(helped)},
    {.name = "from-work",
     .help = "add the week's commits, merges and tags from your repositories (perf.work)",
     INTO(from_work)},
    {0},
};
#undef INTO

/* Applies one goal's progress in the same transaction, returning the old value. */
static int update_goal(struct perf_txn *txn, struct checkin *ci, struct goal_update *g, struct perf_error *err)
{
	struct perf_target t;
	struct perf_doc *doc = NULL;
	char target[PERF_SCHEMA_PATH_MAX + 8], val[24];
	const char *old, *status;
	int rc;

	if (strchr(g->id, '/'))
		return perf_error(err, PERF_EPERM, "--goal %s: you can only update your own goals", g->arg);
	snprintf(target, sizeof(target), "goal:%s", g->id);
	if ((rc = perf_store_resolve(perf_txn_repo(txn), txn, target, ci->me, &t, err))) {
		if (rc == PERF_ENOTFOUND)
			return perf_error(err, PERF_ENOTFOUND,
			                  "--goal %s: you have no goal '%s'; see 'perf goal list' or add it with 'perf "
			                  "goal add'",
			                  g->arg, g->id);
		return rc;
	}
	snprintf(g->slug, sizeof(g->slug), "%s", t.match.slug);
	if ((rc = perf_store_load(perf_txn_repo(txn), txn, t.path, &doc, NULL, err)))
		return rc;
	status = perf_doc_str(doc, "status");
	if (status && strcmp(status, "active")) {
		rc = perf_error(err, PERF_EINVALID,
		                "--goal %s: goal '%s' is %s; reopen it with 'perf goal set %s "
		                "status=active'",
		                g->arg, g->slug, status, g->slug);
		goto out;
	}
	old = perf_doc_str(doc, "progress");
	g->had_old = old && perf_value_parse_int(old, &g->old, NULL) == 0;
	if (g->had_old && g->old == g->progress)
		goto out;
	snprintf(val, sizeof(val), "%ld", g->progress);
	if ((rc = perf_doc_set_raw(doc, "progress", val, err)) ||
	    (rc = perf_store_put(txn, perf_schema_kind("goal"), doc, t.path, err)))
		goto out;
out:
	perf_doc_free(doc);
	return rc;
}

static int set_goals_list(struct perf_doc *doc, struct checkin *ci, struct perf_error *err)
{
	const struct perf_node *have = perf_doc_get(doc, "goals");
	struct perf_node *seq;
	int rc;

	if (!ci->ngoals)
		return 0;
	seq = perf_node_new_seq();
	if (!seq)
		return perf_error(err, PERF_ENOMEM, "out of memory");
	/* Keep entries this run does not mention; replace those it does. */
	for (size_t i = 0; have && have->type == PERF_NODE_SEQ && i < have->n; i++) {
		const char *g = perf_node_str(have->values[i], "goal");
		bool replaced = false;
		for (size_t k = 0; g && k < ci->ngoals; k++)
			if (!strcmp(ci->goals[k].slug, g))
				replaced = true;
		if (!replaced && perf_node_seq_add(seq, perf_node_clone(have->values[i]))) {
			perf_node_free(seq);
			return perf_error(err, PERF_ENOMEM, "out of memory");
		}
	}
	for (size_t k = 0; k < ci->ngoals; k++) {
		struct perf_node *m = perf_node_new_map();
		char val[24];
		snprintf(val, sizeof(val), "%ld", ci->goals[k].progress);
		if (!m || perf_node_map_add(m, "goal", perf_node_new_str(ci->goals[k].slug)) ||
		    perf_node_map_add(m, "progress", perf_node_new_raw(val)) || perf_node_seq_add(seq, m)) {
			perf_node_free(seq);
			return perf_error(err, PERF_ENOMEM, "out of memory");
		}
	}
	rc = perf_doc_set_node(doc, "goals", seq, err);
	return rc;
}

/* ---- work from the person's own repositories (perf.work) ---- */

#define WORK_HEADING "Work this week"

/*
 * The week's work, gathered from the repositories perf.work lists in the
 * person's own git config; ci->work stays NULL when it lists none.
 * Matched by every email of theirs: their people file's, the identity
 * perf acts as, and git config user.email.
 */
static int gather_work(struct perf_ctx *ctx, struct checkin *ci, struct perf_error *err)
{
	struct perf_gitconfig *cfg = NULL;
	struct perf_strv pats = PERF_STRV_INIT, emails = PERF_STRV_INIT;
	const struct perf_identity *who = NULL;
	struct perf_doc *person = NULL;
	struct perf_work_query q;
	char path[PERF_SCHEMA_PATH_MAX + 1], *mail = NULL;
	const char *e;
	int y, w, rc;

	if ((rc = perf_gitconfig_open(&cfg, ctx->repo, false, err)) ||
	    (rc = perf_gitconfig_get_all(cfg, "perf.work", &pats, err)) || !pats.n)
		goto out;
	snprintf(path, sizeof(path), "people/%s.md", ci->me);
	if (perf_store_load(ctx->repo, NULL, path, &person, NULL, NULL) == 0 && (e = perf_doc_str(person, "email")) &&
	    perf_strv_push(&emails, e))
		goto nomem;
	if (perf_repo_identity(ctx->repo, &who, NULL) == 0 && who->email && !perf_strv_has(&emails, who->email) &&
	    perf_strv_push(&emails, who->email))
		goto nomem;
	if (perf_gitconfig_get(cfg, "user.email", &mail, NULL) == 0 && !perf_strv_has(&emails, mail) &&
	    perf_strv_push(&emails, mail))
		goto nomem;
	memset(&q, 0, sizeof(q));
	q.patterns = (const char *const *)pats.v;
	q.npatterns = pats.n;
	q.emails = (const char *const *)emails.v;
	q.nemails = emails.n;
	perf_value_parse_week(ci->week, &y, &w, NULL);
	q.since = perf_value_week_start(y, w);
	q.until = q.since + 7 * 86400;
	q.skip = perf_repo_workdir(ctx->repo); /* a glob over ~/src may reach the team's own clone */
	q.notice = perf_print_notice;
	rc = perf_work_gather(&ci->work, &q, err);
	goto out;
nomem:
	rc = perf_error(err, PERF_ENOMEM, "out of memory");
out:
	free(mail);
	perf_doc_free(person);
	perf_strv_release(&pats);
	perf_strv_release(&emails);
	perf_gitconfig_free(cfg);
	return rc;
}

/* The check-in's work list as it stands, to add to. */
static struct perf_node *work_list(const struct perf_doc *doc)
{
	const struct perf_node *have = perf_doc_get(doc, "work");
	return have && have->type == PERF_NODE_SEQ ? perf_node_clone(have) : perf_node_new_seq();
}

/* Adds a change to the list unless an item names its commit already: 1 when added, -1 out of memory. */
static int work_add(struct perf_node *seq, const struct perf_work_item *it, const char *subject)
{
	struct perf_node *m;

	for (size_t i = 0; i < seq->n; i++) {
		const char *c = perf_node_str(seq->values[i], "commit");
		if (c && !strcmp(c, it->id))
			return 0;
	}
	if (!(m = perf_node_new_map()))
		return -1;
	if (perf_node_map_add(m, "repo", perf_node_new_str(it->repo)) ||
	    perf_node_map_add(m, "commit", perf_node_new_str(it->id)) ||
	    perf_node_map_add(m, "subject", perf_node_new_str(subject))) {
		perf_node_free(m);
		return -1;
	}
	return perf_node_seq_add(seq, m) ? -1 : 1;
}

/* Sets the list when this run added to it, and says so: " · work: 3 added (api 2, web 1)". */
static int set_work(struct perf_doc *doc, struct checkin *ci, struct perf_node *seq, const struct perf_strv *added,
                    struct perf_error *err)
{
	int rc;

	if (!added->n) {
		perf_node_free(seq);
		return 0;
	}
	if ((rc = perf_doc_set_node(doc, "work", seq, err)))
		return rc;
	perf_buf_printf(&ci->summary, " · work: %zu added (", added->n);
	for (size_t r = 0, shown = 0; r < ci->work->nrepos; r++) {
		size_t n = 0;
		for (size_t i = 0; i < added->n; i++)
			n += !strcmp(added->v[i], ci->work->repos[r].name);
		if (n)
			perf_buf_printf(&ci->summary, "%s%s %zu", shown++ ? ", " : "", ci->work->repos[r].name, n);
	}
	perf_buf_putc(&ci->summary, ')');
	return 0;
}

/* --from-work: every change of the week goes in the list. */
static int add_all_work(struct perf_doc *doc, struct checkin *ci, struct perf_error *err)
{
	struct perf_strv added = PERF_STRV_INIT;
	struct perf_node *seq;
	int rc = 0;

	if (!ci->from_work || !ci->work || !ci->work->n)
		return 0;
	if (!(seq = work_list(doc)))
		return perf_error(err, PERF_ENOMEM, "out of memory");
	for (size_t i = 0; i < ci->work->n && !rc; i++) {
		int r = work_add(seq, &ci->work->items[i], ci->work->items[i].subject);
		if (r < 0 || (r > 0 && perf_strv_push(&added, ci->work->items[i].repo)))
			rc = perf_error(err, PERF_ENOMEM, "out of memory");
	}
	if (rc)
		perf_node_free(seq);
	else
		rc = set_work(doc, ci, seq, &added, err);
	perf_strv_release(&added);
	return rc;
}

/* The change a line names with "(REPO ID)", and where that mark is in the line. */
static const struct perf_work_item *line_item(const struct perf_work *w, const char *line, size_t n, size_t *at,
                                              size_t *len)
{
	for (size_t i = 0; i < n; i++) {
		const char *close;
		char inside[512], *sp;
		size_t tl;
		const struct perf_work_item *it;
		if (line[i] != '(' || !(close = memchr(line + i, ')', n - i)))
			continue;
		tl = (size_t)(close - line) - i - 1;
		if (tl >= sizeof(inside))
			continue;
		memcpy(inside, line + i + 1, tl);
		inside[tl] = '\0';
		if (!(sp = strrchr(inside, ' ')))
			continue;
		*sp = '\0';
		if ((it = perf_work_find(w, inside, sp + 1))) {
			*at = i;
			*len = tl + 2;
			return it;
		}
	}
	return NULL;
}

static bool is_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return false;
	return true;
}

/* Whether the line is one perf wrote around the lines: its comment, or a "### REPO (N)" heading. */
static bool work_chrome(const struct perf_work *w, const char *s, size_t n)
{
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\r'))
		n--;
	if (n >= 7 && !strncmp(s, "<!--", 4) && !strncmp(s + n - 3, "-->", 3))
		return true;
	if (n < 5 || strncmp(s, "### ", 4) || s[n - 1] != ')')
		return false;
	for (size_t r = 0; r < w->nrepos; r++) {
		size_t rl = strlen(w->repos[r].name);
		if (n > 4 + rl + 2 && !strncmp(s + 4, w->repos[r].name, rl) && !strncmp(s + 4 + rl, " (", 2))
			return true;
	}
	return false;
}

/*
 * The editor's "## Work this week" section, as the person left it: each
 * line still naming a change ("(REPO ID)") goes in the work list, its
 * words (without the mark and the list bullet) as the subject; perf's own
 * comment and headings go; anything else they wrote stays in the section,
 * which goes when nothing is left.
 */
static int take_work_section(struct perf_doc *doc, struct checkin *ci, struct perf_error *err)
{
	struct perf_buf body = PERF_BUF_INIT, keep = PERF_BUF_INIT, subj = PERF_BUF_INIT;
	struct perf_strv added = PERF_STRV_INIT;
	struct perf_node *seq = NULL;
	size_t blen, i = 0, hstart = 0, start = 0, end = 0, hl = strlen(WORK_HEADING);
	const char *b = perf_doc_body(doc, &blen);
	bool found = false;
	int rc = 0;

	if (!ci->work || !ci->work->n)
		return 0;
	/* The section: from its heading to the next "## " heading. */
	while (i < blen) {
		const char *nl = memchr(b + i, '\n', blen - i);
		size_t eol = nl ? (size_t)(nl - b) : blen, next = nl ? eol + 1 : blen, te = eol;
		if (eol - i >= 3 && !strncmp(b + i, "## ", 3)) {
			if (found) {
				end = i;
				break;
			}
			while (te > i + 3 && (b[te - 1] == ' ' || b[te - 1] == '\r'))
				te--;
			if (te - i - 3 == hl && !strncasecmp(b + i + 3, WORK_HEADING, hl)) {
				found = true;
				hstart = i;
				start = next;
				end = blen;
			}
		}
		i = next;
	}
	if (!found)
		return 0;
	if (!(seq = work_list(doc)))
		return perf_error(err, PERF_ENOMEM, "out of memory");
	for (i = start; i < end && !rc;) {
		const char *nl = memchr(b + i, '\n', end - i);
		size_t eol = nl ? (size_t)(nl - b) : end, at, len;
		const char *line = b + i;
		size_t n = eol - i;
		const struct perf_work_item *it = line_item(ci->work, line, n, &at, &len);
		if (it) {
			/* The words around the mark, without the bullet. */
			size_t s0 = 0, e1 = n;
			while (s0 < at && (line[s0] == ' ' || line[s0] == '\t'))
				s0++;
			if (s0 < at && (line[s0] == '-' || line[s0] == '*') && s0 + 1 < n && line[s0 + 1] == ' ')
				s0 += 2;
			while (e1 > at + len && (line[e1 - 1] == ' ' || line[e1 - 1] == '\r' || line[e1 - 1] == '\t'))
				e1--;
			subj.len = 0;
			rc = perf_buf_add(&subj, line + s0, at - s0);
			while (!rc && subj.len && (subj.ptr[subj.len - 1] == ' ' || subj.ptr[subj.len - 1] == '\t'))
				perf_buf_truncate(&subj, subj.len - 1);
			if (!rc && e1 > at + len)
				rc = perf_buf_printf(&subj, "%s%.*s", subj.len ? " " : "", (int)(e1 - at - len),
				                     line + at + len);
			if (!rc) {
				size_t lead = 0;
				while (lead < subj.len && subj.ptr[lead] == ' ')
					lead++;
				int r = work_add(seq, it, lead < subj.len ? perf_buf_cstr(&subj) + lead : it->subject);
				if (r < 0 || (r > 0 && perf_strv_push(&added, it->repo)))
					rc = PERF_ENOMEM;
			}
		} else if (!work_chrome(ci->work, line, n)) {
			rc = perf_buf_add(&keep, line, n) || perf_buf_putc(&keep, '\n');
		}
		i = nl ? eol + 1 : end;
	}
	if (rc) {
		rc = perf_error(err, PERF_ENOMEM, "out of memory");
		goto out;
	}
	/* The rest of the body around the section, and the section only when words are left in it. */
	while (keep.len && (keep.ptr[keep.len - 1] == '\n' || is_blank(keep.ptr + keep.len - 1, 1)))
		keep.len--;
	for (i = 0; i < keep.len && (keep.ptr[i] == '\n' || is_blank(keep.ptr + i, 1));)
		i++;
	if (perf_buf_add(&body, b, hstart) ||
	    (i < keep.len && perf_buf_printf(&body, "## %s\n\n%.*s\n%s", WORK_HEADING, (int)(keep.len - i),
	                                     keep.ptr + i, end < blen ? "\n" : "")) ||
	    perf_buf_add(&body, b + end, blen - end)) {
		rc = perf_error(err, PERF_ENOMEM, "out of memory");
		goto out;
	}
	while (body.len >= 2 && body.ptr[body.len - 1] == '\n' && body.ptr[body.len - 2] == '\n')
		perf_buf_truncate(&body, body.len - 1);
	if ((rc = perf_doc_set_body(doc, perf_buf_cstr(&body), body.len, err)))
		goto out;
	rc = set_work(doc, ci, seq, &added, err);
	seq = NULL;
out:
	perf_node_free(seq);
	perf_buf_release(&body);
	perf_buf_release(&keep);
	perf_buf_release(&subj);
	perf_strv_release(&added);
	return rc;
}

/* Appends to the editor's text the week's work not recorded yet, by repository, one line each. */
static int offer_work(struct checkin *ci, struct perf_buf *text, struct perf_error *err)
{
	struct perf_doc *doc = NULL;
	const struct perf_node *have = NULL;
	bool *offer = NULL;
	size_t n = 0;
	int rc = 0;

	if (!ci->work || !ci->work->n)
		return 0;
	if (!(offer = calloc(ci->work->n, sizeof(*offer))))
		return perf_error(err, PERF_ENOMEM, "out of memory");
	if (perf_doc_parse(&doc, perf_buf_cstr(text), text->len, ci->path, NULL) == 0)
		have = perf_doc_get(doc, "work");
	for (size_t i = 0; i < ci->work->n; i++) {
		bool recorded = false;
		for (size_t k = 0; have && have->type == PERF_NODE_SEQ && k < have->n; k++) {
			const char *c = perf_node_str(have->values[k], "commit");
			recorded |= c && !strcmp(c, ci->work->items[i].id);
		}
		offer[i] = !recorded;
		n += offer[i];
	}
	if (n) {
		if (text->len && text->ptr[text->len - 1] != '\n')
			rc |= perf_buf_putc(text, '\n');
		rc |= perf_buf_printf(
		    text,
		    "\n## %s\n<!-- From your repositories (perf.work): keep, edit or delete lines. Only "
		    "the lines left are recorded; keep each one's (repository id). -->\n",
		    WORK_HEADING);
		for (size_t r = 0; r < ci->work->nrepos; r++) {
			size_t c = 0;
			for (size_t i = 0; i < ci->work->n; i++)
				c += offer[i] && !strcmp(ci->work->items[i].repo, ci->work->repos[r].name);
			if (!c)
				continue;
			rc |= perf_buf_printf(text, "### %s (%zu)\n", ci->work->repos[r].name, c);
			for (size_t i = 0; i < ci->work->n; i++) {
				const struct perf_work_item *it = &ci->work->items[i];
				if (offer[i] && !strcmp(it->repo, ci->work->repos[r].name))
					rc |= perf_buf_printf(text, "- %s (%s %s)\n", it->subject, it->repo,
					                      it->short_id);
			}
		}
	}
	free(offer);
	perf_doc_free(doc);
	return rc ? perf_error(err, PERF_ENOMEM, "out of memory") : 0;
}

/* Where the text before the first "## " section ends, blank lines left out. */
static size_t lead_end(const struct perf_buf *body)
{
	size_t end = body->len;

	for (size_t i = 0; i < body->len;) {
		const char *nl = memchr(body->ptr + i, '\n', body->len - i);
		if (body->len - i >= 3 && !memcmp(body->ptr + i, "## ", 3)) {
			end = i;
			break;
		}
		i = nl ? (size_t)(nl - body->ptr) + 1 : body->len;
	}
	while (end > 0 && strchr(" \t\r\n", body->ptr[end - 1]))
		end--;
	return end;
}

/*
 * The -m text opens the body, before any section; a later check-in of the
 * same week adds its text after what the earlier ones said, so the week
 * reads in order.  Text already there (a command run twice) is not added
 * again.
 */
static int add_message(struct perf_buf *body, const char *message, struct perf_error *err)
{
	size_t at = lead_end(body), mlen = strlen(message);
	struct perf_buf add = PERF_BUF_INIT;
	int rc;

	while (mlen > 0 && strchr(" \t\r\n", message[mlen - 1]))
		mlen--;
	if (at && perf_body_has_words(body->ptr, at)) {
		for (const char *p = body->ptr; (p = memmem(p, at - (size_t)(p - body->ptr), message, mlen)); p++)
			if ((p == body->ptr || p[-1] == '\n') && (p + mlen == body->ptr + at || p[mlen] == '\n'))
				return 0;
		rc = perf_buf_puts(&add, "\n\n") || perf_buf_add(&add, message, mlen) ||
		     perf_buf_splice(body, at, 0, add.ptr, add.len);
	} else {
		rc = perf_buf_add(&add, message, mlen) ||
		     perf_buf_puts(&add, body->len && body->ptr[0] != '\n' ? "\n\n" : "\n") ||
		     perf_buf_splice(body, 0, 0, add.ptr, add.len);
	}
	perf_buf_release(&add);
	return rc ? perf_error(err, PERF_ENOMEM, "out of memory") : 0;
}

static int checkin_txn(struct perf_txn *txn, void *payload, struct perf_error *err)
{
	struct checkin *ci = payload;
	const struct perf_schema_kind *kind = perf_schema_kind("checkin");
	struct perf_doc *doc = NULL;
	struct perf_buf body = PERF_BUF_INIT;
	char now[21], mood[8];
	int rc;

	ci->summary.len = 0;
	perf_value_format_time(perf_value_now(), now);
	ci->existed = perf_txn_exists(txn, ci->path);

	if (ci->edited_mode) {
		if ((rc = perf_doc_parse(&doc, ci->edited, strlen(ci->edited), ci->path, err)))
			goto out;
		/* Goals the person changed in the editor move in the same commit. */
		const struct perf_node *gl = perf_doc_get(doc, "goals");
		ci->ngoals = 0;
		for (size_t i = 0; gl && gl->type == PERF_NODE_SEQ && i < gl->n && ci->ngoals < MAX_GOALS; i++) {
			const char *g = perf_node_str(gl->values[i], "goal"),
			           *p = perf_node_str(gl->values[i], "progress");
			struct goal_update *u = &ci->goals[ci->ngoals];
			if (!g || !p || !perf_value_is_handle(g) || perf_value_parse_int(p, &u->progress, NULL))
				continue;
			if (u->progress < 0 || u->progress > 100) {
				rc = perf_error(err, PERF_EINVALID, "goal '%s': progress must be 0-100, not %ld", g,
				                u->progress);
				goto out;
			}
			u->arg = g;
			snprintf(u->id, sizeof(u->id), "%s", g);
			ci->ngoals++;
		}
		if ((rc = take_work_section(doc, ci, err)))
			goto out;
	} else if (ci->existed) {
		if ((rc = perf_store_load(perf_txn_repo(txn), txn, ci->path, &doc, NULL, err)))
			goto out;
	} else {
		if ((rc = perf_doc_new(&doc, ci->path, err)) || (rc = perf_doc_set_str(doc, "kind", "checkin", err)) ||
		    (rc = perf_doc_set_str(doc, "person", ci->me, err)) ||
		    (rc = perf_doc_set_raw(doc, "week", ci->week, err)))
			goto out;
	}

	for (size_t k = 0; k < ci->ngoals; k++) {
		struct goal_update *g = &ci->goals[k];
		if ((rc = update_goal(txn, ci, g, err)))
			goto out;
		if (g->had_old && g->old != g->progress)
			perf_buf_printf(&ci->summary, " · goal %s %ld → %ld", g->slug, g->old, g->progress);
		else if (!g->had_old)
			perf_buf_printf(&ci->summary, " · goal %s → %ld", g->slug, g->progress);
	}
	if (!ci->edited_mode) {
		if ((rc = set_goals_list(doc, ci, err)) || (rc = add_all_work(doc, ci, err)))
			goto out;
		if (ci->has_mood) {
			snprintf(mood, sizeof(mood), "%ld", ci->mood);
			if ((rc = perf_doc_set_raw(doc, "mood", mood, err)))
				goto out;
		}
		{
			size_t blen;
			const char *b = perf_doc_body(doc, &blen);
			perf_buf_add(&body, b, blen);
		}
		if (ci->message && (rc = add_message(&body, ci->message, err)))
			goto out;
		if ((ci->learned && perf_body_set_section(&body, "Learned", ci->learned)) ||
		    (ci->working && perf_body_set_section(&body, "Working towards", ci->working)) ||
		    (ci->stuck && perf_body_set_section(&body, "Stuck", ci->stuck)) ||
		    (ci->ask && perf_body_set_section(&body, "Ask", ci->ask)) ||
		    (ci->helped && perf_body_set_section(&body, "Support that helped", ci->helped))) {
			rc = perf_error(err, PERF_ENOMEM, "out of memory");
			goto out;
		}
		if ((rc = perf_doc_set_body(doc, perf_buf_cstr(&body), body.len, err)))
			goto out;
	}
	if (!ci->existed && !perf_doc_get(doc, "cycle")) {
		/* A check-in written during a cycle of inquiry links to it. */
		char cyc[PERF_HANDLE_MAX + 1], day[11];
		time_t ws;
		int y, w;
		perf_value_parse_week(ci->week, &y, &w, NULL);
		ws = perf_value_week_start(y, w) + 3 * 86400;
		perf_value_format_date(ws, day);
		if ((rc = perf_store_current_cycle(perf_txn_repo(txn), txn, day, cyc, err)))
			goto out;
		if (cyc[0] && (rc = perf_doc_set_str(doc, "cycle", cyc, err)))
			goto out;
	}
	if (ci->existed) {
		if ((rc = perf_doc_set_raw(doc, "updated", now, err)))
			goto out;
	} else if (!perf_doc_get(doc, "created")) {
		if ((rc = perf_doc_set_raw(doc, "created", now, err)))
			goto out;
	}
	if ((rc = perf_store_put(txn, kind, doc, ci->path, err)))
		goto out;
	if ((rc = perf_txn_subject(txn, err, "checkin: %s %s%s", ci->me, ci->week, ci->existed ? " (edited)" : "")) ||
	    (rc = perf_txn_trailer(txn, "Perf-Kind", "checkin", err)) ||
	    (rc = perf_txn_trailer(txn, "Perf-Path", ci->path, err)))
		goto out;
	for (size_t k = 0; k < ci->ngoals; k++) {
		struct goal_update *g = &ci->goals[k];
		char line[128];
		if (g->had_old && g->old == g->progress)
			continue;
		snprintf(line, sizeof(line), "%s %ld -> %ld", g->slug, g->had_old ? g->old : 0, g->progress);
		if ((rc = perf_txn_trailer(txn, "Perf-Goal", line, err)))
			goto out;
	}
out:
	perf_buf_release(&body);
	perf_doc_free(doc);
	return rc;
}

/* The file the editor opens: this week's check-in, or a new one from the
 * template with active goals and last week's open items carried forward. */
static int editor_text(struct perf_ctx *ctx, struct checkin *ci, struct perf_buf *out, struct perf_error *err)
{
	struct perf_strv goals = PERF_STRV_INIT, weeks = PERF_STRV_INIT;
	struct perf_doc *doc = NULL, *prev = NULL;
	struct perf_node *seq = NULL;
	char dir[64], path[PERF_SCHEMA_PATH_MAX + 1];
	char *tpl = NULL;
	size_t len;
	int rc;

	if (perf_repo_read(ctx->repo, ci->path, out, NULL) == 0)
		return 0;
	if ((rc = perf_store_template(ctx->repo, NULL, "checkin", &tpl, err)) ||
	    (rc = perf_doc_new(&doc, ci->path, err)) || (rc = perf_doc_set_str(doc, "kind", "checkin", err)) ||
	    (rc = perf_doc_set_str(doc, "person", ci->me, err)) || (rc = perf_doc_set_raw(doc, "week", ci->week, err)))
		goto out;
	snprintf(dir, sizeof(dir), "goals/%s", ci->me);
	if ((rc = perf_store_list(ctx->repo, NULL, dir, &goals, err)))
		goto out;
	seq = perf_node_new_seq();
	for (size_t i = 0; seq && i < goals.n; i++) {
		struct perf_doc *g = NULL;
		const char *st, *pr;
		snprintf(path, sizeof(path), "%s/%s.md", dir, goals.v[i]);
		if (perf_store_load(ctx->repo, NULL, path, &g, NULL, NULL))
			continue;
		st = perf_doc_str(g, "status");
		pr = perf_doc_str(g, "progress");
		if (!st || !strcmp(st, "active")) {
			struct perf_node *m = perf_node_new_map();
			if (m) {
				perf_node_map_add(m, "goal", perf_node_new_str(goals.v[i]));
				perf_node_map_add(m, "progress", perf_node_new_raw(pr ? pr : "0"));
				perf_node_seq_add(seq, m);
			}
		}
		perf_doc_free(g);
	}
	if (seq && seq->n) {
		rc = perf_doc_set_node(doc, "goals", seq, err);
		seq = NULL;
		if (rc)
			goto out;
	}
	{
		struct perf_buf body = PERF_BUF_INIT, carried = PERF_BUF_INIT;
		snprintf(dir, sizeof(dir), "checkins/%s", ci->me);
		perf_store_list(ctx->repo, NULL, dir, &weeks, NULL);
		for (size_t i = weeks.n; i-- > 0;) {
			if (strcmp(weeks.v[i], ci->week) >= 0)
				continue;
			snprintf(path, sizeof(path), "%s/%s.md", dir, weeks.v[i]);
			if (perf_store_load(ctx->repo, NULL, path, &prev, NULL, NULL) == 0) {
				const char *b = perf_doc_body(prev, &len);
				struct perf_buf s = PERF_BUF_INIT;
				if (perf_body_section(b, len, "Stuck", &s))
					perf_buf_printf(&carried, "- stuck (%s): %s\n", weeks.v[i], s.ptr);
				s.len = 0;
				if (perf_body_section(b, len, "Ask", &s))
					perf_buf_printf(&carried, "- asked (%s): %s\n", weeks.v[i], s.ptr);
				perf_buf_release(&s);
			}
			break;
		}
		perf_buf_puts(&body, tpl);
		if (carried.len) {
			perf_buf_puts(&body, "\n## Carried forward\n<!-- Still open from last week: keep, update or "
			                     "delete. -->\n");
			perf_buf_add(&body, carried.ptr, carried.len);
		}
		perf_buf_puts(&body, "\n<!-- Set 'mood: 1-5' above if you like, and move your goals' progress. An "
		                     "unchanged file writes nothing. -->\n");
		rc = perf_doc_set_body(doc, body.ptr, body.len, err);
		perf_buf_release(&body);
		perf_buf_release(&carried);
		if (rc)
			goto out;
	}
	out->len = 0;
	rc = perf_doc_put_text(doc, out, err);
out:
	perf_node_free(seq);
	perf_doc_free(doc);
	perf_doc_free(prev);
	perf_strv_release(&goals);
	perf_strv_release(&weeks);
	free(tpl);
	return rc;
}

/* Keeps what the person wrote when perf cannot use it (the check-in has no -F to take it back). */
static void save_rejected(struct perf_ctx *ctx, const struct checkin *ci, const char *text)
{
	struct perf_buf where = PERF_BUF_INIT;

	if (perf_save_text(ctx->repo, "checkin", ci->me, text, strlen(text), &where) == 0)
		fprintf(stderr, "perf: your text is saved in %s\n", where.ptr);
	perf_buf_release(&where);
}

static int run_checkin(struct perf_ctx *ctx, int argc, char **argv)
{
	struct perf_optstate st;
	struct perf_error err;
	struct checkin ci;
	struct perf_buf initial = PERF_BUF_INIT;
	char *edited = NULL, thisweek[9];
	const char *arg, *week;
	bool any = false;
	bool committed = false;
	int c, rc = PERF_EXIT_OK;

	memset(&ci, 0, sizeof(ci));
	perf_error_clear(&err);
	perf_opt_init(&st, ctx->cmd, argc, argv);
	perf_opt_bind(&st, &ci);
	while ((c = perf_opt_next(&st, &arg)) != -1) {
		switch (c) {
		case 'm':
			if (!arg[strspn(arg, " \t\r\n")])
				return perf_usage_error(ctx->cmd,
				                        "the text is empty; say in -m what happened this week");
			ci.message = arg;
			any = true;
			break;
		case 'g': {
			struct goal_update *g;
			const char *eq = strchr(arg, '=');
			size_t n = eq ? (size_t)(eq - arg) : 0;
			if (ci.ngoals == MAX_GOALS)
				return perf_usage_error(ctx->cmd, "at most %d --goal options", MAX_GOALS);
			g = &ci.goals[ci.ngoals++];
			g->arg = arg;
			if (!eq || n == 0 || n > PERF_HANDLE_MAX * 2 + 1)
				return perf_usage_error(ctx->cmd,
				                        "--goal '%s' is not ID=PROGRESS (like ship-search=60)", arg);
			memcpy(g->id, arg, n < sizeof(g->id) ? n : sizeof(g->id) - 1);
			g->id[n < sizeof(g->id) ? n : sizeof(g->id) - 1] = '\0';
			if (perf_value_parse_int(eq + 1, &g->progress, NULL) || g->progress < 0 || g->progress > 100)
				return perf_usage_error(ctx->cmd,
				                        "--goal %s: progress must be a whole number from 0 "
				                        "to 100, not '%s'",
				                        arg, eq + 1);
			any = true;
			break;
		}
		case OPT_MOOD:
			if (perf_value_parse_int(arg, &ci.mood, NULL) || ci.mood < 1 || ci.mood > 5)
				return perf_usage_error(ctx->cmd, "--mood must be 1-5, not '%s'", arg);
			ci.has_mood = true;
			any = true;
			break;
		default:
			return PERF_EXIT_USAGE;
		}
	}
	if (ci.learned || ci.working || ci.stuck || ci.ask || ci.helped)
		any = true;
	week = ci.week_arg;
	if (st.index < argc)
		return perf_usage_error(ctx->cmd, "unexpected argument '%s'", argv[st.index]);
	perf_value_week_of(perf_value_now(), thisweek);
	if (week) {
		if (perf_value_parse_week(week, NULL, NULL, &err))
			return perf_usage_error(ctx->cmd, "--week: %s", err.msg);
		if (strcmp(week, thisweek) > 0) {
			fprintf(stderr,
			        "perf: %s is in the future (this is %s); check in for this week or an earlier one\n",
			        week, thisweek);
			return PERF_EXIT_FAIL;
		}
		snprintf(ci.week, sizeof(ci.week), "%s", week);
	} else {
		snprintf(ci.week, sizeof(ci.week), "%s", thisweek);
	}
	if (perf_repo_require_handle(ctx->repo, &ci.me, &err))
		return perf_fail(&err);
	snprintf(ci.path, sizeof(ci.path), "checkins/%s/%s.md", ci.me, ci.week);

	if ((ci.from_work || !any) && gather_work(ctx, &ci, &err)) {
		rc = perf_fail(&err);
		goto out;
	}
	if (ci.from_work && !ci.work) {
		fprintf(stderr, "perf: --from-work: perf.work is not set; list your repositories in your git config, "
		                "e.g. 'perf config --global perf.work \"~/src/*\"'\n");
		rc = PERF_EXIT_FAIL;
		goto out;
	}
	if (ci.from_work && !ci.work->n) {
		fprintf(stderr, "perf: no work of yours in %s in perf.work's repositories (%zu read)%s\n", ci.week,
		        ci.work->nread, any ? "" : "; nothing written");
		if (!any) {
			rc = PERF_EXIT_FAIL;
			goto out;
		}
	}
	any = any || ci.from_work;

	if (!any) {
		if ((rc = editor_text(ctx, &ci, &initial, &err)) || (rc = offer_work(&ci, &initial, &err)) ||
		    (rc = perf_edit_text(ctx, perf_buf_cstr(&initial), ".md", &edited, &err))) {
			rc = perf_fail(&err);
			goto out;
		}
		if (!strcmp(edited, perf_buf_cstr(&initial))) {
			fprintf(stderr, "perf: check-in unchanged; nothing written\n");
			rc = PERF_EXIT_FAIL;
			goto out;
		}
		{
			struct perf_doc *d = NULL;
			size_t blen;
			if (perf_doc_parse(&d, edited, strlen(edited), ci.path, &err) == 0) {
				const char *b = perf_doc_body(d, &blen);
				bool empty = !perf_body_has_words(b, blen) && !perf_doc_get(d, "mood");
				perf_doc_free(d);
				if (empty && perf_repo_read(ctx->repo, ci.path, &initial, NULL) != 0) {
					fprintf(stderr, "perf: empty check-in; nothing written\n");
					rc = PERF_EXIT_FAIL;
					goto out;
				}
			}
		}
		ci.edited = edited;
		ci.edited_mode = true;
	}
	perf_note_repo(ctx);
	if (perf_repo_write(ctx->repo, checkin_txn, &ci, &committed, &err)) {
		/* The editor showed the whole file: its lines are the file's. */
		if (edited)
			perf_edit_error(&err, ci.path, 0);
		rc = perf_fail(&err);
		if (edited)
			save_rejected(ctx, &ci, edited);
		goto out;
	}
	if (!committed)
		printf("%s unchanged; nothing committed\n", ci.path);
	else
		printf("checkin: %s %s (%s)%s\n", ci.me, ci.week, ci.path, perf_buf_cstr(&ci.summary));
out:
	free(edited);
	perf_buf_release(&initial);
	perf_buf_release(&ci.summary);
	perf_work_free(ci.work);
	return rc;
}

const struct perf_cmd perf_cmd_checkin = {
    .group = PERF_GROUP_WEEK,
    .name = "checkin",
    .usage = "[--week WEEK] [-m TEXT] [--goal ID=PROGRESS]... [--mood 1-5] [--learned TEXT] [--working TEXT] "
             "[--stuck TEXT] [--ask TEXT] [--helped TEXT] [--from-work]",
    .summary = "write this week's check-in",
    .opts = checkin_opts,
    .flags = PERF_CMD_REPO | PERF_CMD_WRITES,
    .run = run_checkin,
};
