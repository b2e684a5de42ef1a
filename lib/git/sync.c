#include "sync.h"

#include <git2.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <dirent.h>
#include <ftw.h>
#include <unistd.h>

#include "doc.h"
#include "private.h"
#include "process.h"
#include "store.h"
#include "value.h"
#include "merge.h"
#include "sign.h"
#include "ssh.h"
#include "verify.h"
#include "repo.h"
#include "repo-internal.h"

#define STATE_NAME "sync-merge"
#define DRIVER_CMD "perf merge-driver %O %A %B %P"

/* --- transport callbacks ------------------------------------------------- */

struct cb_state {
	const struct perf_sync_opts *opts;
	int cred_attempts;
	char *cred_output; /* what `git credential fill` answered: the whole credential */
	struct perf_buf push_reason;
	struct perf_buf remote_text; /* what the server said during a push */
	bool push_rejected;
	bool push_behind;
	unsigned last_pct;
	int phase; /* transfer progress: 0 not begun, 1 receiving, 2 received, 3 deltas resolved */
};

/* Runs `git credential ACTION` with input; captures stdout when out.  Its
 * stderr is perf's, so a helper can ask and say what went wrong. */
static int run_git_credential(const char *action, const char *input, char **out)
{
	const char *argv[] = {"git", "credential", action, NULL};
	struct perf_process p = PERF_PROCESS_INIT;
	struct perf_buf b = PERF_BUF_INIT;
	int status;

	if (out)
		*out = NULL;
	p.argv = argv;
	p.in = PERF_PROCESS_PIPE;
	p.out = PERF_PROCESS_PIPE;
	if (perf_process_run(&p, input, strlen(input), &b, NULL, &status, NULL) || status != 0) {
		perf_buf_release(&b);
		return -1;
	}
	if (out)
		*out = perf_buf_detach(&b);
	else
		perf_buf_release(&b);
	return 0;
}

static const char *cred_field(const char *text, const char *key, char *val, size_t vsz)
{
	size_t kl = strlen(key);
	const char *p = text;

	while (p && *p) {
		const char *eol = strchr(p, '\n');
		size_t n = eol ? (size_t)(eol - p) : strlen(p);
		if (n > kl && !strncmp(p, key, kl) && p[kl] == '=') {
			snprintf(val, vsz, "%.*s", (int)(n - kl - 1), p + kl + 1);
			return val;
		}
		p = eol ? eol + 1 : NULL;
	}
	return NULL;
}

static int credentials_cb(git_credential **out, const char *url, const char *user_from_url, unsigned int allowed,
                          void *payload)
{
	struct cb_state *cs = payload;
	char user[512], pass[1024];
	struct perf_buf in = PERF_BUF_INIT;

	if (cs->cred_output) {
		/* The last answer did not work: tell the helper to forget it. */
		run_git_credential("reject", cs->cred_output, NULL);
		explicit_bzero(cs->cred_output, strlen(cs->cred_output));
		free(cs->cred_output);
		cs->cred_output = NULL;
	}
	if (++cs->cred_attempts > 3) {
		git_error_set(GIT_ERROR_NET, "authentication failed 3 times for %s", url);
		return -1;
	}
	if (allowed & GIT_CREDENTIAL_SSH_KEY) {
		if (cs->cred_attempts > 1) {
			git_error_set(GIT_ERROR_NET, "the ssh agent has no key this server accepts");
			return -1;
		}
		return git_credential_ssh_key_from_agent(out, user_from_url ? user_from_url : "git");
	}
	if (!(allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT))
		return GIT_PASSTHROUGH;
	perf_buf_printf(&in, "url=%s\n", url);
	if (user_from_url)
		perf_buf_printf(&in, "username=%s\n", user_from_url);
	perf_buf_puts(&in, "\n");
	if (run_git_credential("fill", in.ptr, &cs->cred_output) < 0 || !cs->cred_output) {
		perf_buf_release(&in);
		git_error_set(GIT_ERROR_NET, "no credentials for %s (git credential fill gave none)", url);
		return -1;
	}
	perf_buf_release(&in);
	if (!cred_field(cs->cred_output, "username", user, sizeof(user)) ||
	    !cred_field(cs->cred_output, "password", pass, sizeof(pass))) {
		git_error_set(GIT_ERROR_NET, "git credential fill gave no username and password for %s", url);
		return -1;
	}
	{
		int rc = git_credential_userpass_plaintext_new(out, user, pass);
		explicit_bzero(pass, sizeof(pass));
		return rc;
	}
}

/* The connection worked: tell the helper to keep what it gave, and count afresh for the next one. */
static void cred_approve(struct cb_state *cs)
{
	cs->cred_attempts = 0;
	if (cs->cred_output) {
		run_git_credential("approve", cs->cred_output, NULL);
		explicit_bzero(cs->cred_output, strlen(cs->cred_output));
	}
	free(cs->cred_output);
	cs->cred_output = NULL;
}

/*
 * Transfer progress, as git shows it: receiving objects, then resolving
 * deltas, each reported when its percentage moves and once when it is done
 * (libgit2 calls back many times at 100% while it indexes; those say nothing new).
 */
static int transfer_cb(const git_indexer_progress *p, void *payload)
{
	struct cb_state *cs = payload;
	char line[160];
	unsigned pct;
	bool deltas = p->received_objects == p->total_objects && p->total_deltas > 0, done;

	if (!cs->opts->progress || !cs->opts->progress_fn || !p->total_objects || cs->phase == 3)
		return 0;
	if (deltas && cs->phase < 2) {
		/* Receiving ended: say so once before the deltas. */
		snprintf(line, sizeof(line), "receiving objects: 100%% (%u/%u), %.1f KiB, done", p->received_objects,
		         p->total_objects, p->received_bytes / 1024.0);
		cs->opts->progress_fn(cs->opts->payload, line, true);
		cs->phase = 2;
		cs->last_pct = 101;
	}
	if (deltas) {
		done = p->indexed_deltas == p->total_deltas;
		pct = (unsigned)(100.0 * p->indexed_deltas / p->total_deltas);
		if (pct == cs->last_pct && !done)
			return 0;
		snprintf(line, sizeof(line), "resolving deltas: %3u%% (%u/%u)%s", pct, p->indexed_deltas,
		         p->total_deltas, done ? ", done" : "");
	} else {
		done = p->received_objects == p->total_objects;
		pct = (unsigned)(100.0 * p->received_objects / p->total_objects);
		if ((pct == cs->last_pct && !done) || cs->phase == 2)
			return 0;
		cs->phase = 1;
		snprintf(line, sizeof(line), "receiving objects: %3u%% (%u/%u), %.1f KiB%s", pct, p->received_objects,
		         p->total_objects, p->received_bytes / 1024.0, done ? ", done" : "");
	}
	cs->last_pct = pct;
	if (done)
		cs->phase = deltas ? 3 : 2;
	cs->opts->progress_fn(cs->opts->payload, line, done);
	return 0;
}

/* What a server or libgit2 says when the branch moved under a push: another
 * clone pushed first, or held the ref's lock at that moment. */
static bool remote_moved(const char *why)
{
	static const char *const says[] = {
	    "fast-forward",    "fetch first",         "stale",          "failed to update ref",
	    "cannot lock ref", "not present locally", "failed to lock", NULL};

	for (size_t i = 0; why && says[i]; i++)
		if (strstr(why, says[i]))
			return true;
	return false;
}

/* The server's own words (a hook's "remote:" lines), kept to show when it refuses. */
static int sideband_cb(const char *str, int len, void *payload)
{
	struct cb_state *cs = payload;

	if (len > 0 && cs->remote_text.len < 16384)
		perf_buf_add(&cs->remote_text, str, (size_t)len);
	return 0;
}

static int push_ref_cb(const char *refname, const char *status, void *payload)
{
	struct cb_state *cs = payload;

	if (status) {
		cs->push_rejected = true;
		if (remote_moved(status))
			cs->push_behind = true;
		perf_buf_printf(&cs->push_reason, "%s%s: %s", cs->push_reason.len ? "; " : "", refname, status);
	}
	return 0;
}

static void setup_callbacks(git_remote_callbacks *cb, struct cb_state *cs)
{
	cb->credentials = credentials_cb;
	cb->transfer_progress = transfer_cb;
	cb->push_update_reference = push_ref_cb;
	cb->payload = cs;
}

static void cb_release(struct cb_state *cs)
{
	if (cs->cred_output)
		explicit_bzero(cs->cred_output, strlen(cs->cred_output));
	free(cs->cred_output);
	perf_buf_release(&cs->push_reason);
	perf_buf_release(&cs->remote_text);
}

/* --- setup --------------------------------------------------------------- */

/*
 * The certificates https trusts, as git chooses them: $GIT_SSL_CAINFO, else
 * http.sslCAInfo from the repository's config (g) or the user's (g NULL),
 * else the system's bundle.  Either names a file of PEM certificates that
 * replaces the system's, as it does for git.
 */
static int use_ssl_ca(git_repository *g, struct perf_error *err)
{
	const char *env = getenv("GIT_SSL_CAINFO");
	git_config *cfg = NULL, *snap = NULL;
	git_buf path = {0};
	int rc = 0;

	if (env && *env) {
		if (git_libgit2_opts(GIT_OPT_SET_SSL_CERT_LOCATIONS, env, NULL) < 0)
			return perf_error_git(err, "cannot use the certificates in '%s' (GIT_SSL_CAINFO)", env);
		return 0;
	}
	if ((g ? git_repository_config(&cfg, g) : git_config_open_default(&cfg)) < 0 ||
	    git_config_snapshot(&snap, cfg) < 0) {
		git_error_clear();
		goto out; /* no config: the system's bundle */
	}
	if (git_config_get_path(&path, snap, "http.sslCAInfo") < 0) {
		git_error_clear();
		goto out;
	}
	if (git_libgit2_opts(GIT_OPT_SET_SSL_CERT_LOCATIONS, path.ptr, NULL) < 0)
		rc = perf_error_git(err, "cannot use the certificates in '%s' (http.sslCAInfo)", path.ptr);
out:
	git_buf_dispose(&path);
	git_config_free(snap);
	git_config_free(cfg);
	return rc;
}

int perf_sync_init(struct perf_error *err)
{
	bool ssh;
	int rc;

	/* A merge and its checkout read trees and documents from all over the
	 * pack.  Under the small limit main sets for the read commands
	 * (cmd/perf.c), libgit2 mapped and unmapped pack windows some 9,000
	 * times in one sync at 100,000 documents, half of its time. */
	git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT, (size_t)256 * 1024 * 1024);

	if ((rc = perf_ssh_register(&ssh, err)))
		return rc;
	return perf_merge_driver_register(err);
}

int perf_sync_install_driver(struct perf_repo *repo, const char *perf_path, struct perf_error *err)
{
	struct perf_buf cmd = PERF_BUF_INIT;
	git_config *cfg = NULL;
	int rc = 0;

	if (perf_path) {
		/* Quoted for the shell git runs the driver with. */
		perf_buf_putc(&cmd, '\'');
		for (const char *p = perf_path; *p; p++)
			perf_buf_puts(&cmd, *p == '\'' ? "'\\''" : (char[2]){*p, 0});
		perf_buf_puts(&cmd, "' merge-driver %O %A %B %P");
	} else {
		perf_buf_puts(&cmd, DRIVER_CMD);
	}
	if (git_repository_config(&cfg, repo->git) < 0) {
		perf_buf_release(&cmd);
		return perf_error_git(err, "cannot open the repository's git config");
	}
	if (git_config_set_string(cfg, "merge.perf.name", "perf field-level merge") < 0 ||
	    git_config_set_string(cfg, "merge.perf.driver", cmd.ptr) < 0)
		rc = perf_error_git(err, "cannot write the merge driver into git config");
	git_config_free(cfg);
	perf_buf_release(&cmd);
	return rc;
}

static void commits_free(struct perf_sync_commit *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].subject);
		free(v[i].saved);
		perf_strv_release(&v[i].paths);
	}
	free(v);
}

void perf_sync_result_release(struct perf_sync_result *r)
{
	for (size_t i = 0; i < r->nclashes; i++) {
		struct perf_sync_clash *c = &r->clashes[i];
		free(c->path);
		free(c->field);
		free(c->base);
		free(c->ours);
		free(c->theirs);
		free(c->choice);
		free(c->value);
	}
	free(r->clashes);
	free(r->remote_reason);
	for (size_t i = 0; i < r->nrefused; i++) {
		free(r->refused[i].author);
		free(r->refused[i].path);
		free(r->refused[i].reason);
	}
	free(r->refused);
	commits_free(r->blamed, r->nblamed);
	commits_free(r->dropped, r->ndropped);
	memset(r, 0, sizeof(*r));
}

/* --- the pending-merge state: .git/perf/sync-merge ----------------------- */

/* Values are written with \\, \t, \n escaped; a lone "-" means absent. */
static void put_field(struct perf_buf *b, const char *s)
{
	perf_buf_putc(b, '\t');
	if (!s) {
		perf_buf_putc(b, '-');
		return;
	}
	if (!strcmp(s, "-")) {
		perf_buf_puts(b, "\\-");
		return;
	}
	for (; *s; s++) {
		if (*s == '\\')
			perf_buf_puts(b, "\\\\");
		else if (*s == '\t')
			perf_buf_puts(b, "\\t");
		else if (*s == '\n')
			perf_buf_puts(b, "\\n");
		else
			perf_buf_putc(b, *s);
	}
}

static char *get_field(const char **p)
{
	struct perf_buf b = PERF_BUF_INIT;
	const char *s = *p;

	if (*s == '\t')
		s++;
	if (s[0] == '-' && (s[1] == '\t' || s[1] == '\n' || !s[1])) {
		*p = s + 1;
		return NULL;
	}
	perf_buf_grow(&b, 0);
	for (; *s && *s != '\t' && *s != '\n'; s++) {
		if (*s == '\\' && s[1]) {
			s++;
			perf_buf_putc(&b, *s == 't' ? '\t' : *s == 'n' ? '\n' : *s);
		} else {
			perf_buf_putc(&b, *s);
		}
	}
	*p = s;
	return perf_buf_detach(&b);
}

struct state {
	git_oid ours, theirs;
	struct perf_sync_result r;
};

static int state_path(struct perf_repo *repo, struct perf_buf *p, struct perf_error *err)
{
	int rc = perf_repo_perf_dir(repo, p, err);
	if (!rc)
		perf_buf_puts(p, "/" STATE_NAME);
	return rc;
}

static int state_write(struct perf_repo *repo, const struct state *st, struct perf_error *err)
{
	struct perf_buf b = PERF_BUF_INIT;
	char o[GIT_OID_HEXSZ + 1], t[GIT_OID_HEXSZ + 1];
	int rc;

	git_oid_tostr(o, sizeof(o), &st->ours);
	git_oid_tostr(t, sizeof(t), &st->theirs);
	perf_buf_printf(&b, "perf-sync-merge 1\nours %s\ntheirs %s\n", o, t);
	for (size_t i = 0; i < st->r.nclashes; i++) {
		const struct perf_sync_clash *c = &st->r.clashes[i];
		perf_buf_puts(&b, "clash");
		put_field(&b, c->path);
		put_field(&b, c->field);
		put_field(&b, c->base);
		put_field(&b, c->ours);
		put_field(&b, c->theirs);
		put_field(&b, c->choice);
		put_field(&b, c->value);
		perf_buf_putc(&b, '\n');
	}
	if (!b.ptr)
		rc = perf_error(err, PERF_ENOMEM, "out of memory");
	else
		rc = perf_repo_perf_file_write(repo, STATE_NAME, b.ptr, b.len, err);
	perf_buf_release(&b);
	return rc;
}

/* *found false when there is no pending merge. */
static int state_read(struct perf_repo *repo, struct state *st, bool *found, struct perf_error *err)
{
	struct perf_buf p = PERF_BUF_INIT, b = PERF_BUF_INIT;
	const char *s;
	FILE *f;
	int rc = 0;

	memset(st, 0, sizeof(*st));
	*found = false;
	if ((rc = state_path(repo, &p, err)))
		goto out;
	f = fopen(p.ptr, "r");
	if (!f)
		goto out;
	for (;;) {
		char chunk[4096];
		size_t n = fread(chunk, 1, sizeof(chunk), f);
		if (!n)
			break;
		perf_buf_add(&b, chunk, n);
	}
	fclose(f);
	s = perf_buf_cstr(&b);
	if (strncmp(s, "perf-sync-merge 1\n", 18)) {
		rc = perf_error(err, PERF_EINVALID, "'%s' is not a perf sync state; remove it to start over", p.ptr);
		goto out;
	}
	s += 18;
	while (*s) {
		const char *eol = strchr(s, '\n');
		if (!eol)
			break;
		if (!strncmp(s, "ours ", 5))
			git_oid_fromstrn(&st->ours, s + 5, GIT_OID_HEXSZ);
		else if (!strncmp(s, "theirs ", 7))
			git_oid_fromstrn(&st->theirs, s + 7, GIT_OID_HEXSZ);
		else if (!strncmp(s, "clash\t", 6)) {
			struct perf_sync_clash *c, *v;
			const char *q = s + 5;
			v = realloc(st->r.clashes, (st->r.nclashes + 1) * sizeof(*v));
			if (!v) {
				rc = perf_error(err, PERF_ENOMEM, "out of memory");
				goto out;
			}
			st->r.clashes = v;
			c = &v[st->r.nclashes++];
			c->path = get_field(&q);
			c->field = get_field(&q);
			c->base = get_field(&q);
			c->ours = get_field(&q);
			c->theirs = get_field(&q);
			c->choice = get_field(&q);
			c->value = get_field(&q);
		}
		s = eol + 1;
	}
	*found = true;
out:
	perf_buf_release(&p);
	perf_buf_release(&b);
	return rc;
}

static void state_remove(struct perf_repo *repo)
{
	perf_repo_perf_file_remove(repo, STATE_NAME);
}

int perf_sync_pending(struct perf_repo *repo, struct perf_sync_result *result, struct perf_error *err)
{
	struct state st;
	bool found;
	int rc;

	memset(result, 0, sizeof(*result));
	if ((rc = state_read(repo, &st, &found, err)))
		return rc;
	*result = st.r;
	return 0;
}

int perf_sync_abort(struct perf_repo *repo, struct perf_error *err)
{
	struct state st;
	bool found;
	int rc;

	if ((rc = state_read(repo, &st, &found, err)))
		return rc;
	perf_sync_result_release(&st.r);
	if (!found)
		return perf_error(err, PERF_ENOTFOUND, "no sync is waiting to be settled");
	state_remove(repo);
	return 0;
}

int perf_sync_resolve(struct perf_repo *repo, const char *path, const char *field, const char *choice,
                      const char *value, struct perf_error *err)
{
	struct state st;
	bool found;
	size_t hits = 0;
	int rc;

	if ((rc = state_read(repo, &st, &found, err)))
		return rc;
	if (!found) {
		rc = perf_error(err, PERF_ENOTFOUND, "nothing to resolve: no sync is waiting to be settled");
		goto out;
	}
	if (strcmp(choice, "ours") && strcmp(choice, "theirs") && strcmp(choice, "value")) {
		rc = perf_error(err, PERF_EINVALID, "choose ours, theirs or a value");
		goto out;
	}
	for (size_t i = 0; i < st.r.nclashes; i++) {
		struct perf_sync_clash *c = &st.r.clashes[i];
		if (strcmp(c->path, path) || (field && strcmp(c->field, field)))
			continue;
		if (!strcmp(choice, "value") && !strcmp(c->field, "file")) {
			rc = perf_error(err, PERF_EINVALID, "%s clashes as a whole file; choose --ours or --theirs",
			                path);
			goto out;
		}
		if (!strcmp(choice, "value") && !strcmp(c->field, "body")) {
			/* A value typed here would be written in the clear under private: true. */
			struct perf_doc *doc = NULL;
			bool sealed =
			    perf_store_load(repo, NULL, path, &doc, NULL, NULL) == 0 && perf_private_doc_is(doc);
			perf_doc_free(doc);
			if (sealed) {
				rc = perf_error(err, PERF_EINVALID,
				                "%s is private: its body is settled by keeping ours or theirs (--ours, "
				                "--theirs), never by a value typed in the clear",
				                path);
				goto out;
			}
		}
		free(c->choice);
		free(c->value);
		c->choice = strdup(choice);
		c->value = value ? strdup(value) : NULL;
		hits++;
	}
	if (!hits) {
		rc = perf_error(err, PERF_ENOTFOUND, "no clash on %s%s%s; see 'perf resolve' for the list", path,
		                field ? " field " : "", field ? field : "");
		goto out;
	}
	rc = state_write(repo, &st, err);
out:
	perf_sync_result_release(&st.r);
	return rc;
}

/* One side of a clash as lines for a text merge: a field's value gets its own line. */
static void clash_side(struct perf_buf *b, const char *v)
{
	if (!v)
		return;
	perf_buf_puts(b, v);
	if (b->len && b->ptr[b->len - 1] != '\n')
		perf_buf_putc(b, '\n');
}

int perf_sync_clash_text(const struct perf_sync_clash *c, struct perf_buf *out, struct perf_error *err)
{
	struct perf_buf sides[3] = {PERF_BUF_INIT, PERF_BUF_INIT, PERF_BUF_INIT};
	git_merge_file_input in[3];
	git_merge_file_options mo;
	git_merge_file_result r;
	int rc = 0;

	memset(&r, 0, sizeof(r));
	clash_side(&sides[0], c->base);
	clash_side(&sides[1], c->ours);
	clash_side(&sides[2], c->theirs);
	for (int i = 0; i < 3; i++) {
		git_merge_file_input_init(&in[i], GIT_MERGE_FILE_INPUT_VERSION);
		in[i].ptr = sides[i].ptr ? sides[i].ptr : "";
		in[i].size = sides[i].len;
	}
	git_merge_file_options_init(&mo, GIT_MERGE_FILE_OPTIONS_VERSION);
	mo.ancestor_label = "base";
	mo.our_label = "ours";
	mo.their_label = "theirs";
	mo.flags = GIT_MERGE_FILE_STYLE_DIFF3;
	git_libgit2_init();
	if (git_merge_file(&r, &in[0], &in[1], &in[2], &mo) < 0)
		rc = perf_error_git(err, "cannot lay out the clash on %s", c->path);
	else if (perf_buf_add(out, r.ptr ? r.ptr : "", r.len))
		rc = perf_error(err, PERF_ENOMEM, "out of memory");
	git_merge_file_result_free(&r);
	git_libgit2_shutdown();
	for (int i = 0; i < 3; i++)
		perf_buf_release(&sides[i]);
	return rc;
}

/* --- merging ------------------------------------------------------------- */

static int blob_text(git_repository *g, const git_index_entry *e, struct perf_buf *out)
{
	git_blob *blob = NULL;
	int rc;

	out->len = 0;
	perf_buf_grow(out, 0);
	if (!e)
		return 0;
	if ((rc = git_blob_lookup(&blob, g, &e->id)) < 0)
		return rc;
	perf_buf_add(out, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
	git_blob_free(blob);
	return 0;
}

/* Finds the node a clash field names in doc: "a.b", "goals[ship].progress". */
static int doc_path_for(const struct perf_doc *doc, const char *field, struct perf_buf *out)
{
	const char *p = field;

	out->len = 0;
	while (*p) {
		const char *br = strchr(p, '['), *dot = strchr(p, '.');
		if (br && (!dot || br < dot)) {
			const char *close = strchr(br, ']');
			char key[256], id[256];
			const struct perf_node *list;
			size_t idx = (size_t)-1;
			if (!close || (size_t)(br - p) >= sizeof(key) || (size_t)(close - br - 1) >= sizeof(id))
				return -1;
			perf_buf_add(out, p, (size_t)(br - p));
			snprintf(key, sizeof(key), "%s", out->ptr);
			snprintf(id, sizeof(id), "%.*s", (int)(close - br - 1), br + 1);
			list = perf_doc_get(doc, key);
			if (list && list->type == PERF_NODE_SEQ) {
				for (size_t i = 0; i < list->n && idx == (size_t)-1; i++) {
					const struct perf_node *it = list->values[i];
					static const char *const ids[] = {"goal", "id", "who", "name", "key"};
					if (it->type == PERF_NODE_SCALAR && !strcmp(it->text, id))
						idx = i;
					for (size_t k = 0; it->type == PERF_NODE_MAP && k < 5 && idx == (size_t)-1;
					     k++) {
						const char *v = perf_node_str(it, ids[k]);
						if (v && !strcmp(v, id))
							idx = i;
					}
				}
			}
			if (idx == (size_t)-1) {
				/* Numeric indexes pass through. */
				char *end;
				long v = strtol(id, &end, 10);
				if (*end || v < 0)
					return 1;
				idx = (size_t)v;
			}
			perf_buf_printf(out, "[%zu]", idx);
			p = close + 1;
		} else {
			size_t n = dot ? (size_t)(dot - p) : strlen(p);
			perf_buf_add(out, p, n);
			p += n;
		}
		if (*p == '.') {
			perf_buf_putc(out, '.');
			p++;
		}
	}
	return 0;
}

/* Applies a settled clash to the merged text (which holds our value). */
static int apply_choice(const char *path, struct perf_buf *merged, const char *theirs_text, size_t tlen,
                        const struct perf_sync_clash *c, struct perf_error *err)
{
	struct perf_doc *doc = NULL, *th = NULL;
	struct perf_buf dp = PERF_BUF_INIT, tp = PERF_BUF_INIT;
	size_t len;
	int rc = 0;

	if (!c->choice || !strcmp(c->choice, "ours"))
		return 0;
	if (!strcmp(c->field, "file")) {
		merged->len = 0;
		perf_buf_add(merged, theirs_text, tlen);
		return 0;
	}
	if ((rc = perf_doc_parse(&doc, merged->ptr, merged->len, path, err)))
		goto out;
	if (!strcmp(c->field, "body")) {
		const char *b;
		if (!strcmp(c->choice, "value") && perf_private_doc_is(doc)) {
			/* A value typed here would be written in the clear under private: true. */
			rc =
			    perf_error(err, PERF_EINVALID,
			               "%s: a private body is settled by keeping ours or theirs, not by a value", path);
			goto out;
		}
		if (!strcmp(c->choice, "value")) {
			b = c->value ? c->value : "";
			len = strlen(b);
		} else {
			if ((rc = perf_doc_parse(&th, theirs_text, tlen, path, err)))
				goto out;
			b = perf_doc_body(th, &len);
		}
		rc = perf_doc_set_body(doc, b, len, err);
	} else {
		if (doc_path_for(doc, c->field, &dp)) {
			rc = perf_error(err, PERF_EINVALID, "%s: cannot find field '%s' to settle", path, c->field);
			goto out;
		}
		if (!strcmp(c->choice, "value")) {
			/* The value is YAML as people type it: numbers, booleans and dates stay plain. */
			const char *v = c->value ? c->value : "";
			long n;
			bool b;
			if (perf_value_parse_int(v, &n, NULL) == 0 || perf_value_parse_bool(v, &b, NULL) == 0 ||
			    perf_value_parse_date(v, NULL, NULL, NULL, NULL) == 0 ||
			    perf_value_parse_time(v, NULL, NULL) == 0 || !perf_doc_needs_quotes(v))
				rc = perf_doc_set_raw(doc, dp.ptr, v, err);
			else
				rc = perf_doc_set_str(doc, dp.ptr, v, err);
		} else {
			const struct perf_node *tn;
			if ((rc = perf_doc_parse(&th, theirs_text, tlen, path, err)))
				goto out;
			tn = doc_path_for(th, c->field, &tp) == 0 ? perf_doc_get(th, tp.ptr) : NULL;
			if (!tn)
				rc = perf_doc_get(doc, dp.ptr) ? perf_doc_remove(doc, dp.ptr, err) : 0;
			else
				rc = perf_doc_set_node(doc, dp.ptr, perf_node_clone(tn), err);
		}
	}
	if (rc)
		goto out;
	merged->len = 0;
	rc = perf_doc_put_text(doc, merged, err);
out:
	perf_doc_free(doc);
	perf_doc_free(th);
	perf_buf_release(&dp);
	perf_buf_release(&tp);
	return rc;
}

int perf_sync_check_value(struct perf_repo *repo, const char *path, const char *field, const char *value,
                          struct perf_error *err)
{
	struct perf_sync_clash c = {(char *)path, (char *)field, NULL, NULL, NULL, (char *)"value", (char *)value};
	const struct perf_schema_kind *kind = NULL;
	struct perf_doc *doc = NULL, *res = NULL;
	struct perf_buf text = PERF_BUF_INIT;
	int rc;

	if ((rc = perf_store_load(repo, NULL, path, &doc, &kind, err)))
		goto out;
	if ((rc = perf_doc_put_text(doc, &text, err)) || (rc = apply_choice(path, &text, NULL, 0, &c, err)) ||
	    (rc = perf_schema_parse(&res, kind, text.ptr, text.len, path, err)))
		goto out;
	rc = perf_store_check(kind, res, path, err);
out:
	perf_doc_free(doc);
	perf_doc_free(res);
	perf_buf_release(&text);
	return rc;
}

static int add_clash(struct perf_sync_result *r, const char *path, const char *field, const char *base,
                     const char *ours, const char *theirs)
{
	struct perf_sync_clash *v = realloc(r->clashes, (r->nclashes + 1) * sizeof(*v));

	if (!v)
		return PERF_ENOMEM;
	r->clashes = v;
	v += r->nclashes++;
	memset(v, 0, sizeof(*v));
	v->path = strdup(path);
	v->field = strdup(field);
	v->base = base ? strdup(base) : NULL;
	v->ours = ours ? strdup(ours) : NULL;
	v->theirs = theirs ? strdup(theirs) : NULL;
	return 0;
}

static const struct perf_sync_clash *find_choice(const struct state *prev, const char *path, const char *field)
{
	for (size_t i = 0; prev && i < prev->r.nclashes; i++)
		if (!strcmp(prev->r.clashes[i].path, path) && !strcmp(prev->r.clashes[i].field, field) &&
		    prev->r.clashes[i].choice)
			return &prev->r.clashes[i];
	return NULL;
}

/*
 * Settles the conflicts libgit2's merge left in idx, field by field.  Writes
 * the merged blob into idx for every file whose clashes all have choices;
 * records the rest in r.  Returns PERF_ECONFLICT when any clash is open.
 */
static int settle_conflicts(git_repository *g, git_index *idx, const struct state *prev, struct perf_sync_result *r,
                            struct perf_error *err)
{
	git_index_conflict_iterator *it = NULL;
	const git_index_entry *anc, *ours, *theirs;
	struct perf_buf b = PERF_BUF_INIT, o = PERF_BUF_INIT, t = PERF_BUF_INIT;
	struct perf_strv done = PERF_STRV_INIT;
	struct {
		char *path;
		struct perf_buf text;
		git_index_entry entry;
	} *out = NULL;
	size_t nout = 0;
	bool open = false;
	int rc = 0;

	if (git_index_conflict_iterator_new(&it, idx) < 0)
		return perf_error_git(err, "cannot read the merge's conflicts");
	while (git_index_conflict_next(&anc, &ours, &theirs, it) == 0) {
		const char *path = ours ? ours->path : theirs ? theirs->path : anc->path;
		struct perf_merge_result mr;
		struct perf_buf merged = PERF_BUF_INIT;
		bool file_open = false;

		memset(&mr, 0, sizeof(mr));
		if (blob_text(g, anc, &b) < 0 || blob_text(g, ours, &o) < 0 || blob_text(g, theirs, &t) < 0) {
			rc = perf_error_git(err, "cannot read '%s' for merging", path);
			break;
		}
		if (!ours || !theirs) {
			/* Deleted on one side, changed on the other: keep the changed file. */
			const git_index_entry *kept = ours ? ours : theirs;
			const struct perf_sync_clash *ch = find_choice(prev, path, "file");
			add_clash(r, path, "file", anc ? "(changed)" : NULL, ours ? "(changed)" : NULL,
			          theirs ? "(changed)" : NULL);
			if (!ch) {
				open = file_open = true;
			} else if ((!strcmp(ch->choice, "ours") && !ours) ||
			           (!strcmp(ch->choice, "theirs") && !theirs)) {
				/* The chosen side deleted it. */
				if (perf_strv_push(&done, path)) {
					rc = perf_error(err, PERF_ENOMEM, "out of memory");
					break;
				}
				continue;
			} else {
				perf_buf_add(&merged, kept == ours ? o.ptr : t.ptr, kept == ours ? o.len : t.len);
			}
			r->clashes[r->nclashes - 1].choice = ch ? strdup(ch->choice) : NULL;
		} else {
			if ((rc =
			         perf_merge_doc(path, anc ? b.ptr : NULL, b.len, o.ptr, o.len, t.ptr, t.len, &mr, err)))
				break;
			perf_buf_add(&merged, mr.text.ptr, mr.text.len);
			for (size_t i = 0; i < mr.nclashes; i++) {
				const struct perf_merge_clash *mc = &mr.clashes[i];
				const struct perf_sync_clash *ch = find_choice(prev, path, mc->field);
				add_clash(r, path, mc->field, mc->base, mc->ours, mc->theirs);
				if (!ch) {
					open = file_open = true;
					continue;
				}
				r->clashes[r->nclashes - 1].choice = strdup(ch->choice);
				r->clashes[r->nclashes - 1].value = ch->value ? strdup(ch->value) : NULL;
				if (!file_open && (rc = apply_choice(path, &merged, t.ptr, t.len, ch, err)))
					break;
			}
			perf_merge_result_release(&mr);
			if (rc)
				break;
		}
		if (!file_open) {
			void *v = realloc(out, (nout + 1) * sizeof(*out));
			if (!v) {
				perf_buf_release(&merged);
				rc = perf_error(err, PERF_ENOMEM, "out of memory");
				break;
			}
			out = v;
			memset(&out[nout], 0, sizeof(out[nout]));
			out[nout].path = strdup(path);
			out[nout].text = merged;
			out[nout].entry = *(ours ? ours : theirs);
			out[nout].entry.path = out[nout].path;
			out[nout].entry.flags = 0;
			out[nout].entry.flags_extended = 0;
			nout++;
		} else {
			perf_buf_release(&merged);
		}
	}
	git_index_conflict_iterator_free(it);
	if (!rc && !open) {
		for (size_t i = 0; i < nout && !rc; i++) {
			git_index_conflict_remove(idx, out[i].path);
			if (git_blob_create_from_buffer(&out[i].entry.id, g, perf_buf_cstr(&out[i].text),
			                                out[i].text.len) < 0 ||
			    git_index_add(idx, &out[i].entry) < 0)
				rc = perf_error_git(err, "cannot stage the merged '%s'", out[i].path);
		}
		for (size_t i = 0; i < done.n && !rc; i++)
			git_index_conflict_remove(idx, done.v[i]);
	}
	for (size_t i = 0; i < nout; i++) {
		free(out[i].path);
		perf_buf_release(&out[i].text);
	}
	free(out);
	perf_strv_release(&done);
	perf_buf_release(&b);
	perf_buf_release(&o);
	perf_buf_release(&t);
	if (!rc && open)
		rc = PERF_ECONFLICT;
	return rc;
}

/* --- moving HEAD and the work tree --------------------------------------- */

static int changed_paths(git_repository *g, git_tree *from, git_tree *to, struct perf_strv *out, struct perf_error *err)
{
	git_diff *diff = NULL;
	size_t n;

	if (git_diff_tree_to_tree(&diff, g, from, to, NULL) < 0)
		return perf_error_git(err, "cannot compare trees");
	n = git_diff_num_deltas(diff);
	for (size_t i = 0; i < n; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		if (perf_strv_push(out, d->new_file.path) ||
		    (strcmp(d->old_file.path, d->new_file.path) && perf_strv_push(out, d->old_file.path))) {
			git_diff_free(diff);
			return perf_error(err, PERF_ENOMEM, "out of memory");
		}
	}
	git_diff_free(diff);
	return 0;
}

/* Checks out only the paths that differ between HEAD's tree and the new
 * one, then moves the branch with compare-and-swap. */
static int move_to(struct perf_repo *repo, git_commit *head, const git_oid *new_id, const char *why, size_t *nchanged,
                   struct perf_error *err)
{
	git_commit *target = NULL;
	git_tree *from = NULL, *to = NULL;
	git_reference *headref = NULL, *branch = NULL, *updated = NULL;
	git_checkout_options co;
	struct perf_strv paths = PERF_STRV_INIT;
	int rc = 0;

	if (git_commit_lookup(&target, repo->git, new_id) < 0 || git_commit_tree(&to, target) < 0 ||
	    (head && git_commit_tree(&from, head) < 0)) {
		rc = perf_error_git(err, "cannot read the commit to move to");
		goto out;
	}
	git_checkout_options_init(&co, GIT_CHECKOUT_OPTIONS_VERSION);
	if ((rc = changed_paths(repo->git, from, to, &paths, err)))
		goto out;
	*nchanged = paths.n;
	if (paths.n) {
		co.checkout_strategy = GIT_CHECKOUT_SAFE;
		co.paths.strings = paths.v;
		co.paths.count = paths.n;
		co.baseline = from;
		co.checkout_strategy |= GIT_CHECKOUT_DISABLE_PATHSPEC_MATCH;
		if (git_checkout_tree(repo->git, (git_object *)to, &co) < 0) {
			rc = git_error_last() && git_error_last()->klass == GIT_ERROR_CHECKOUT
			         ? perf_error_git(err, "your uncommitted changes are in the way; commit them (or "
			                               "undo them) and sync again")
			         : perf_error_git(err, "cannot update the work tree");
			goto out;
		}
	}
	if (git_repository_head(&headref, repo->git) < 0) {
		/* Unborn: create the branch HEAD names. */
		git_reference *sym = NULL;
		if (git_reference_lookup(&sym, repo->git, "HEAD") < 0 ||
		    git_reference_create(&updated, repo->git, git_reference_symbolic_target(sym), new_id, 0, why) < 0)
			rc = perf_error_git(err, "cannot start the branch");
		git_reference_free(sym);
		goto out;
	}
	if (git_reference_create_matching(&updated, repo->git, git_reference_name(headref), new_id, 1,
	                                  git_commit_id(head), why) < 0)
		rc =
		    perf_error_git(err, "cannot move %s (it moved meanwhile; sync again)", git_reference_name(headref));
out:
	git_reference_free(headref);
	git_reference_free(branch);
	git_reference_free(updated);
	git_tree_free(from);
	git_tree_free(to);
	git_commit_free(target);
	perf_strv_release(&paths);
	return rc;
}

static size_t count_between(git_repository *g, const git_oid *from, const git_oid *to)
{
	git_revwalk *w = NULL;
	git_oid id;
	size_t n = 0;

	if (git_revwalk_new(&w, g) < 0)
		return 0;
	if (git_revwalk_push(w, to) == 0) {
		if (from && !git_oid_is_zero(from))
			git_revwalk_hide(w, from);
		while (git_revwalk_next(&id, w) == 0)
			n++;
	}
	git_revwalk_free(w);
	return n;
}

static int remote_name(struct perf_repo *repo, const struct perf_sync_opts *opts, char **out, struct perf_error *err)
{
	int rc;

	if (opts && opts->remote) {
		*out = strdup(opts->remote);
		return *out ? 0 : perf_error(err, PERF_ENOMEM, "out of memory");
	}
	if ((rc = perf_repo_config_get(repo, "perf.remote", out, err)))
		return rc;
	if (!*out)
		*out = strdup("origin");
	return *out ? 0 : perf_error(err, PERF_ENOMEM, "out of memory");
}

/* --- what arrives is checked: .git/perf/verified ------------------------ */

/* What this clone verified is kept in .git/perf/verified (lib/verify: perf_verify_mark_*). */
static bool verified_read(git_repository *g, const char *ref, git_oid *out)
{
	return perf_verify_mark_get(g, ref, out);
}

static int verified_write(git_repository *g, const char *ref, const git_oid *id, struct perf_error *err)
{
	return perf_verify_mark_set(g, ref, id, err);
}

struct refusals {
	git_repository *g;
	struct perf_sync_result *r;
	bool oom;
};

static void collect_refusal(void *payload, const git_oid *commit, const char *path, const char *reason)
{
	struct refusals *rf = payload;
	struct perf_sync_result *r = rf->r;
	struct perf_sync_refusal *x;
	git_commit *c = NULL;
	struct perf_buf who = PERF_BUF_INIT;
	void *v;

	if (!r)
		return;
	if (!(v = realloc(r->refused, (r->nrefused + 1) * sizeof(*r->refused)))) {
		rf->oom = true;
		return;
	}
	r->refused = v;
	x = &r->refused[r->nrefused];
	memset(x, 0, sizeof(*x));
	git_oid_tostr(x->commit, sizeof(x->commit), commit);
	if (git_commit_lookup(&c, rf->g, commit) == 0)
		perf_buf_printf(&who, "%s <%s>", git_commit_author(c)->name, git_commit_author(c)->email);
	else
		perf_buf_puts(&who, "?");
	git_commit_free(c);
	git_error_clear();
	x->author = perf_buf_detach(&who);
	x->path = strdup(path);
	x->reason = strdup(reason);
	if (!x->author || !x->path || !x->reason) {
		free(x->author);
		free(x->path);
		free(x->reason);
		rf->oom = true;
		return;
	}
	r->nrefused++;
}

/*
 * Checks what the remote branch brings before anything of it is merged:
 * it must still hold the tip last verified, and the commits new to us must
 * follow the team's rules, judged by that tip (or, the first time, by the
 * history we share with it).  On success the new tip is remembered.
 */
static int verify_incoming(git_repository *g, const char *upstream, const git_oid *ours, const git_oid *theirs,
                           struct perf_sync_result *result, struct perf_error *err)
{
	struct refusals rf = {g, result, false};
	struct perf_verify *v = NULL;
	git_oid last, anchor, hide[2];
	bool have_last = verified_read(g, upstream, &last), have_anchor = false;
	size_t nhide = 0;
	int rc;

	if (have_last && !git_oid_equal(&last, theirs) && git_graph_descendant_of(g, theirs, &last) != 1) {
		git_error_clear();
		return perf_error(err, PERF_EPERM,
		                  "%s was rewound: it no longer holds %.12s, the tip this clone last verified, so "
		                  "commits were removed from the record; perf does not follow it (your work is kept "
		                  "here; see perf-sync(1), REWOUND REMOTES)",
		                  upstream + strlen("refs/remotes/"), git_oid_tostr_s(&last));
	}
	if (have_last) {
		anchor = last;
		have_anchor = true;
	} else if (git_merge_base(&anchor, g, ours, theirs) == 0) {
		have_anchor = true;
	} else {
		/* No history in common: judge by ours, so a stranger's root is refused. */
		anchor = *ours;
		have_anchor = true;
	}
	git_error_clear();
	hide[nhide++] = *ours;
	if (have_last)
		hide[nhide++] = last;
	if ((rc = perf_verify_new(&v, g, collect_refusal, &rf, err)))
		return rc;
	rc = perf_verify_commits(v, have_anchor ? &anchor : NULL, hide, nhide, theirs, err);
	if (!rc && rf.oom)
		rc = perf_error(err, PERF_ENOMEM, "out of memory");
	if (!rc && perf_verify_violations(v))
		rc = perf_error(err, PERF_EPERM,
		                "refused what %s brings: %zu problem%s in the commits checked; nothing was merged and "
		                "your work is kept",
		                upstream + strlen("refs/remotes/"), perf_verify_violations(v),
		                perf_verify_violations(v) == 1 ? "" : "s");
	perf_verify_free(v);
	if (!rc)
		rc = verified_write(g, upstream, theirs, err);
	return rc;
}

/*
 * Our own commits, checked with the rules the server and every other clone
 * apply, before they are sent: a commit they would refuse stays here, with
 * the reason, instead of blocking every later sync.
 */
static int verify_outgoing(git_repository *g, const git_oid *remote, const git_oid *ours,
                           struct perf_sync_result *result, struct perf_error *err)
{
	struct refusals rf = {g, result, false};
	struct perf_verify *v = NULL;
	int rc;

	if ((rc = perf_verify_new(&v, g, collect_refusal, &rf, err)))
		return rc;
	rc = perf_verify_commits(v, remote, remote, remote ? 1 : 0, ours, err);
	if (!rc && rf.oom)
		rc = perf_error(err, PERF_ENOMEM, "out of memory");
	if (!rc && perf_verify_violations(v) && result)
		result->refused_ours = true;
	if (!rc && perf_verify_violations(v))
		rc =
		    perf_error(err, PERF_EPERM,
		               "not pushed: %zu problem%s in your own commits, which the team's rules (and its server) "
		               "refuse; your commits are kept here",
		               perf_verify_violations(v), perf_verify_violations(v) == 1 ? "" : "s");
	perf_verify_free(v);
	return rc;
}

/* --- sync: fetch, integrate, push ---------------------------------------- */

/* What one sync holds across its rounds. */
struct sync_run {
	struct perf_repo *repo;
	const struct perf_sync_opts *opts;
	struct perf_sync_result *result;
	git_remote *remote;
	struct cb_state cs;
	char *rname;
	char upstream[512], refspec[600], shortname[256];
	struct state prev; /* the clashes an earlier sync left, with the choices made since */
	bool have_prev;
	git_signature *author, *committer; /* made for the first merge commit */
	int attempts;
};

static void run_release(struct sync_run *run)
{
	cb_release(&run->cs);
	perf_sync_result_release(&run->prev.r);
	git_signature_free(run->author);
	git_signature_free(run->committer);
	git_remote_free(run->remote);
	free(run->rname);
}

/* Finds the remote and the branch to sync; takes nothing that needs the lock. */
static int sync_open(struct sync_run *run, struct perf_error *err)
{
	git_repository *g = run->repo->git;
	git_reference *head = NULL;
	char *local;
	int rc;

	if ((rc = perf_sync_init(err)) || (rc = use_ssl_ca(g, err)) ||
	    (rc = remote_name(run->repo, run->opts, &run->rname, err)))
		return rc;
	if (git_remote_lookup(&run->remote, g, run->rname) < 0)
		return perf_error(
		    err, PERF_ENOTFOUND,
		    "no remote '%s'; add one with 'git remote add %s URL' (or set git config perf.remote)", run->rname,
		    run->rname);
	/* Local repositories go through git's own pack programs, so hooks run. */
	local = perf_ssh_local_url(git_remote_url(run->remote));
	if (local && (git_remote_set_instance_url(run->remote, local) < 0 ||
	              git_remote_set_instance_pushurl(run->remote, local) < 0)) {
		free(local);
		return perf_error_git(err, "cannot use the remote '%s'", run->rname);
	}
	free(local);
	if (git_repository_head(&head, g) < 0)
		return perf_error_git(err, "cannot read HEAD");
	if (!git_reference_is_branch(head)) {
		git_reference_free(head);
		return perf_error(err, PERF_EINVALID, "HEAD is not on a branch; check out your team's branch first");
	}
	/* Copied: the reference is freed before the lock is taken. */
	snprintf(run->shortname, sizeof(run->shortname), "%s", git_reference_shorthand(head));
	snprintf(run->upstream, sizeof(run->upstream), "refs/remotes/%s/%s", run->rname, run->shortname);
	snprintf(run->refspec, sizeof(run->refspec), "%s:%s", git_reference_name(head), git_reference_name(head));
	git_reference_free(head);
	return 0;
}

/* Fetch: brings the remote's commits; *ours is HEAD, *theirs the remote
 * branch (NULL when the remote has none yet). */
static int sync_fetch(struct sync_run *run, git_commit **ours, git_commit **theirs, struct perf_error *err)
{
	git_repository *g = run->repo->git;
	git_fetch_options fo;
	git_oid ours_id, theirs_id;

	*ours = *theirs = NULL;
	git_fetch_options_init(&fo, GIT_FETCH_OPTIONS_VERSION);
	setup_callbacks(&fo.callbacks, &run->cs);
	run->cs.phase = 0;
	run->cs.last_pct = 101;
	if (git_remote_fetch(run->remote, NULL, &fo, "perf sync: fetch") < 0)
		return perf_error_git(err, "cannot fetch from '%s'", run->rname);
	cred_approve(&run->cs);
	if (git_reference_name_to_id(&ours_id, g, "HEAD") < 0)
		return perf_error_git(err, "cannot resolve HEAD");
	if (git_commit_lookup(ours, g, &ours_id) < 0)
		return perf_error_git(err, "cannot read HEAD");
	if (git_reference_name_to_id(&theirs_id, g, run->upstream) == 0 && git_commit_lookup(theirs, g, &theirs_id) < 0)
		return perf_error_git(err, "cannot read %s", run->upstream);
	return 0;
}

/* The merged index as a tree. */
static int write_merged_tree(git_tree **out, git_repository *g, git_index *idx, struct perf_error *err)
{
	git_oid tid;
	int w;

	/* Every entry of the merged index comes from one side or the other, so
	 * it exists; libgit2's strict mode would read the header of each of
	 * them (100,000 at 100k documents, two thirds of a sync's
	 * instructions) to make sure. */
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_OBJECT_CREATION, 0);
	w = git_index_write_tree_to(&tid, idx, g);
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_OBJECT_CREATION, 1);
	if (w < 0 || git_tree_lookup(out, g, &tid) < 0)
		return perf_error_git(err, "cannot write the merged tree");
	return 0;
}

/*
 * Merges theirs into ours, field by field.  A true clash is recorded in
 * .git/perf/sync-merge and answered with PERF_ECONFLICT (result->clashes
 * filled); otherwise the merge commit is made and checked out.
 */
static int sync_merge(struct sync_run *run, git_commit *ours, git_commit *theirs, struct perf_error *err)
{
	git_repository *g = run->repo->git;
	struct perf_sync_result *result = run->result;
	const git_commit *parents[2] = {ours, theirs};
	git_merge_options mo;
	git_index *midx = NULL;
	git_tree *mtree = NULL;
	git_oid new_id;
	struct state now;
	size_t n = 0;
	char msg[700];
	int rc = 0;

	memset(&now, 0, sizeof(now));
	now.ours = *git_commit_id(ours);
	now.theirs = *git_commit_id(theirs);
	git_merge_options_init(&mo, GIT_MERGE_OPTIONS_VERSION);
	mo.default_driver = "perf";
	if (git_merge_commits(&midx, g, ours, theirs, &mo) < 0) {
		rc = perf_error_git(err, "cannot merge %s", run->upstream);
		goto out;
	}
	if (git_index_has_conflicts(midx)) {
		rc = settle_conflicts(g, midx, run->have_prev ? &run->prev : NULL, &now.r, err);
		if (rc == PERF_ECONFLICT) {
			int wr = state_write(run->repo, &now, err);
			result->clashes = now.r.clashes;
			result->nclashes = now.r.nclashes;
			now.r.clashes = NULL;
			now.r.nclashes = 0;
			if (!wr)
				perf_error(err, PERF_ECONFLICT, "%zu field%s changed on both sides; nothing was pushed",
				           result->nclashes, result->nclashes == 1 ? "" : "s");
			goto out;
		}
		if (rc)
			goto out;
	}
	if ((rc = write_merged_tree(&mtree, g, midx, err)))
		goto out;
	if (!run->author && (rc = perf_repo_signatures(run->repo, &run->author, &run->committer, err)))
		goto out;
	snprintf(msg, sizeof(msg), "sync: merge %s/%s\n\nPerf-Kind: merge\n", run->rname, run->shortname);
	if ((rc = perf_sign_commit(&new_id, g, NULL, run->author, run->committer, msg, mtree, 2, parents, err))) {
		perf_error_prefix(err, "cannot commit the merge");
		goto out;
	}
	if ((rc = move_to(run->repo, ours, &new_id, "perf sync: merge", &n, err)))
		goto out;
	result->merged = true;
	result->changed_paths += n;
	state_remove(run->repo);
	perf_sync_result_release(&run->prev.r);
	run->have_prev = false;
out:
	perf_sync_result_release(&now.r);
	git_index_free(midx);
	git_tree_free(mtree);
	return rc;
}

/*
 * Integrate: checks what theirs brings (lib/verify), then moves ours
 * forward to it or merges it.  Nothing to do when ours already holds it.
 */
static int sync_integrate(struct sync_run *run, git_commit *ours, git_commit *theirs, struct perf_error *err)
{
	git_repository *g = run->repo->git;
	struct perf_sync_result *result = run->result;
	const git_oid *ours_id = git_commit_id(ours), *theirs_id = theirs ? git_commit_id(theirs) : NULL;
	size_t n = 0;
	int rc;

	if (theirs && (rc = verify_incoming(g, run->upstream, ours_id, theirs_id, result, err)))
		return rc;
	if (!theirs || git_oid_equal(theirs_id, ours_id) || git_graph_descendant_of(g, ours_id, theirs_id) == 1) {
		result->up_to_date = !result->fetched;
		return 0;
	}
	result->fetched += count_between(g, ours_id, theirs_id);
	if (git_graph_descendant_of(g, theirs_id, ours_id) != 1)
		return sync_merge(run, ours, theirs, err);
	if ((rc = move_to(run->repo, ours, theirs_id, "perf sync: fast-forward", &n, err)))
		return rc;
	result->fast_forward = true;
	result->changed_paths += n;
	state_remove(run->repo);
	return 0;
}

/* --- our commits the remote lacks: named, dropped, replayed ------------- */

/* Our commits the remote lacks (reachable from head, not from remote), oldest first. */
static int unpushed(git_repository *g, const git_oid *head, const git_oid *remote, git_oid **out, size_t *n,
                    struct perf_error *err)
{
	git_revwalk *w = NULL;
	git_oid id;
	int rc = 0;

	*out = NULL;
	*n = 0;
	if (git_revwalk_new(&w, g) < 0 || git_revwalk_sorting(w, GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE) < 0 ||
	    git_revwalk_push(w, head) < 0 || (remote && git_revwalk_hide(w, remote) < 0)) {
		git_revwalk_free(w);
		return perf_error_git(err, "cannot list the commits the remote lacks");
	}
	while (git_revwalk_next(&id, w) == 0) {
		git_oid *v = realloc(*out, (*n + 1) * sizeof(**out));
		if (!v) {
			rc = perf_error(err, PERF_ENOMEM, "out of memory");
			break;
		}
		*out = v;
		(*out)[(*n)++] = id;
	}
	git_error_clear();
	git_revwalk_free(w);
	return rc;
}

/* Appends commit c to the list v: its id, subject and the paths it changed from its first parent. */
static int commit_add(git_repository *g, git_commit *c, struct perf_sync_commit **v, size_t *n, struct perf_error *err)
{
	struct perf_sync_commit *x;
	git_commit *parent = NULL;
	git_tree *from = NULL, *to = NULL;
	const char *summary = git_commit_summary(c);
	int rc = 0;

	if (!(x = realloc(*v, (*n + 1) * sizeof(**v))))
		return perf_error(err, PERF_ENOMEM, "out of memory");
	*v = x;
	x = &(*v)[*n];
	memset(x, 0, sizeof(*x));
	git_oid_tostr(x->commit, sizeof(x->commit), git_commit_id(c));
	if (!(x->subject = strdup(summary ? summary : "")))
		return perf_error(err, PERF_ENOMEM, "out of memory");
	(*n)++;
	if ((git_commit_parentcount(c) && git_commit_parent(&parent, c, 0) < 0) ||
	    (parent && git_commit_tree(&from, parent) < 0) || git_commit_tree(&to, c) < 0)
		rc = perf_error_git(err, "cannot read commit %.12s", x->commit);
	else
		rc = changed_paths(g, from, to, &x->paths, err);
	git_tree_free(from);
	git_tree_free(to);
	git_commit_free(parent);
	return rc;
}

/*
 * The server refused our push: which of our commits it blames.  A hook
 * names commits by their ids (perf verify's lines begin with 12 hex
 * digits); when it names none of ours, every commit it was sent is listed
 * (merges aside), so the user still sees what was refused.
 */
static void blame_commits(git_repository *g, const git_oid *remote, const git_oid *head, const char *said,
                          struct perf_sync_result *result)
{
	struct perf_error ignored;
	git_oid *ids = NULL;
	size_t n = 0;

	if (unpushed(g, head, remote, &ids, &n, &ignored))
		return;
	for (int pass = 0; pass < 2 && !result->nblamed; pass++) {
		for (size_t i = 0; i < n; i++) {
			char hex[GIT_OID_HEXSZ + 1];
			git_commit *c = NULL;
			bool is_named;
			git_oid_tostr(hex, sizeof(hex), &ids[i]);
			hex[12] = '\0';
			is_named = said && strstr(said, hex);
			if ((pass == 0 && !is_named) || git_commit_lookup(&c, g, &ids[i]) < 0) {
				git_error_clear();
				continue;
			}
			if (pass == 1 && git_commit_parentcount(c) > 1) {
				git_commit_free(c);
				continue;
			}
			if (commit_add(g, c, &result->blamed, &result->nblamed, &ignored) == 0 && is_named)
				result->blamed[result->nblamed - 1].named = true;
			git_commit_free(c);
		}
	}
	free(ids);
}

/* Whether path is one a folder may be made for: no empty, "." or ".." component, nothing under .git. */
static bool path_plain(const char *path)
{
	const char *p = path;

	if (!*p || *p == '/')
		return false;
	while (*p) {
		size_t n = strcspn(p, "/");
		if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && !strncmp(p, "..", 2)) ||
		    (n == 4 && !strncmp(p, ".git", 4)))
			return false;
		p += n;
		if (*p == '/')
			p++;
	}
	return true;
}

/* Writes len bytes to path (a new file, mode 0600), making the folders above it inside base. */
static int save_file(struct perf_buf *path, size_t base, const char *data, size_t len, struct perf_error *err)
{
	int fd;

	for (size_t i = base + 1; i < path->len; i++) {
		if (path->ptr[i] != '/')
			continue;
		path->ptr[i] = '\0';
		if (mkdir(path->ptr, 0700) && errno != EEXIST) {
			int e = errno;
			path->ptr[i] = '/';
			errno = e;
			return perf_error_sys(err, "cannot make a folder for '%s'", path->ptr);
		}
		path->ptr[i] = '/';
	}
	if ((fd = open(path->ptr, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0)
		return perf_error_sys(err, "cannot save '%s'", path->ptr);
	for (size_t off = 0; off < len;) {
		ssize_t w = write(fd, data + off, len - off);
		if (w < 0) {
			close(fd);
			return perf_error_sys(err, "cannot save '%s'", path->ptr);
		}
		off += (size_t)w;
	}
	if (close(fd))
		return perf_error_sys(err, "cannot save '%s'", path->ptr);
	return 0;
}

/*
 * Keeps what commit c changed before it is dropped, in
 * .git/perf/saved/drop-<12 hex>[-N]/: each file as c left it, the change
 * as a patch (git apply takes it) and commit.txt (id, author, message,
 * paths).  x->saved gets the folder.
 */
static int save_dropped(struct perf_repo *repo, git_commit *c, struct perf_sync_commit *x, struct perf_error *err)
{
	git_repository *g = repo->git;
	struct perf_buf dir = PERF_BUF_INIT, path = PERF_BUF_INIT, info = PERF_BUF_INIT;
	git_commit *parent = NULL;
	git_tree *from = NULL, *to = NULL;
	git_diff *diff = NULL;
	git_buf patch = {0};
	const git_signature *a = git_commit_author(c);
	size_t base;
	int rc = 0;

	if ((rc = perf_repo_perf_dir(repo, &dir, err)))
		goto out;
	perf_buf_puts(&dir, "/saved");
	mkdir(perf_buf_cstr(&dir), 0700);
	base = dir.len;
	for (int k = 1;; k++) {
		perf_buf_truncate(&dir, base);
		perf_buf_printf(&dir, k == 1 ? "/drop-%.12s" : "/drop-%.12s-%d", x->commit, k);
		if (!dir.ptr) {
			rc = perf_error(err, PERF_ENOMEM, "out of memory");
			goto out;
		}
		if (mkdir(dir.ptr, 0700) == 0)
			break;
		if (errno != EEXIST || k == 100) {
			rc = perf_error_sys(err, "cannot make '%s' to save the text of %.12s", dir.ptr, x->commit);
			goto out;
		}
	}
	if ((git_commit_parentcount(c) && git_commit_parent(&parent, c, 0) < 0) ||
	    (parent && git_commit_tree(&from, parent) < 0) || git_commit_tree(&to, c) < 0 ||
	    git_diff_tree_to_tree(&diff, g, from, to, NULL) < 0 ||
	    git_diff_to_buf(&patch, diff, GIT_DIFF_FORMAT_PATCH) < 0) {
		rc = perf_error_git(err, "cannot read what %.12s changed", x->commit);
		goto out;
	}
	perf_buf_printf(&info, "commit %s\nAuthor: %s <%s>\n\n%s\n", x->commit, a->name, a->email,
	                git_commit_message(c));
	for (size_t i = 0; i < x->paths.n && !rc; i++) {
		const char *p = x->paths.v[i];
		git_tree_entry *e = NULL;
		git_blob *blob = NULL;
		if (git_tree_entry_bypath(&e, to, p) < 0) {
			git_error_clear();
			perf_buf_printf(&info, "deleted: %s\n", p);
			continue;
		}
		if (!path_plain(p) || git_tree_entry_type(e) != GIT_OBJECT_BLOB ||
		    git_blob_lookup(&blob, g, git_tree_entry_id(e)) < 0) {
			git_error_clear();
			perf_buf_printf(&info, "not saved as a file (see changes.patch): %s\n", p);
			git_tree_entry_free(e);
			continue;
		}
		perf_buf_printf(&info, "%s: %s\n", from ? "changed" : "added", p);
		path.len = 0;
		perf_buf_printf(&path, "%s/%s", dir.ptr, p);
		rc = path.ptr
		         ? save_file(&path, dir.len, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob), err)
		         : perf_error(err, PERF_ENOMEM, "out of memory");
		git_blob_free(blob);
		git_tree_entry_free(e);
	}
	if (rc)
		goto out;
	path.len = 0;
	perf_buf_printf(&path, "%s/changes.patch", dir.ptr);
	if ((rc = save_file(&path, dir.len, patch.ptr ? patch.ptr : "", patch.size, err)))
		goto out;
	path.len = 0;
	perf_buf_printf(&path, "%s/commit.txt", dir.ptr);
	if (!info.ptr || !path.ptr) {
		rc = perf_error(err, PERF_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = save_file(&path, dir.len, info.ptr, info.len, err)))
		goto out;
	if (!(x->saved = perf_buf_detach(&dir)))
		rc = perf_error(err, PERF_ENOMEM, "out of memory");
out:
	git_buf_dispose(&patch);
	git_diff_free(diff);
	git_tree_free(from);
	git_tree_free(to);
	git_commit_free(parent);
	perf_buf_release(&dir);
	perf_buf_release(&path);
	perf_buf_release(&info);
	return rc;
}

/* Makes c again on top of onto, with its author and message (merged field by field, as a sync merges). */
static int replay_one(struct sync_run *run, git_commit *onto, git_commit *c, git_oid *out, struct perf_error *err)
{
	git_repository *g = run->repo->git;
	const git_commit *parents[1] = {onto};
	git_merge_options mo;
	git_index *idx = NULL;
	git_tree *tree = NULL;
	int rc;

	git_merge_options_init(&mo, GIT_MERGE_OPTIONS_VERSION);
	mo.default_driver = "perf";
	if (git_cherrypick_commit(&idx, g, c, onto, 0, &mo) < 0) {
		rc = perf_error_git(err, "cannot replay %.12s", git_oid_tostr_s(git_commit_id(c)));
		goto out;
	}
	if (git_index_has_conflicts(idx)) {
		rc = perf_error(err, PERF_ECONFLICT,
		                "%.12s (%s) no longer applies once the others are dropped or to what the remote holds; "
		                "nothing was changed: drop it too (perf sync --drop %.12s --drop ...), its text is "
		                "saved as well",
		                git_oid_tostr_s(git_commit_id(c)), git_commit_summary(c),
		                git_oid_tostr_s(git_commit_id(c)));
		goto out;
	}
	if ((rc = write_merged_tree(&tree, g, idx, err)))
		goto out;
	if (!run->author && (rc = perf_repo_signatures(run->repo, &run->author, &run->committer, err)))
		goto out;
	rc = perf_sign_commit(out, g, NULL, git_commit_author(c), run->committer, git_commit_message(c), tree, 1,
	                      parents, err);
out:
	git_index_free(idx);
	git_tree_free(tree);
	return rc;
}

/* The commit a --drop revision names, which must be one of ours the remote lacks. */
static int drop_target(git_repository *g, const char *rev, const git_oid *ids, size_t n, git_oid *out,
                       struct perf_error *err)
{
	git_object *o = NULL, *c = NULL;
	int bad = git_revparse_single(&o, g, rev) < 0 || git_object_peel(&c, o, GIT_OBJECT_COMMIT) < 0;

	/* The peeled commit is an object of its own: both are freed. */
	git_object_free(o);
	if (bad) {
		git_object_free(c);
		git_error_clear();
		return perf_error(err, PERF_ENOTFOUND, "no commit '%s' to drop (give its id, as perf sync printed it)",
		                  rev);
	}
	*out = *git_object_id(c);
	git_object_free(c);
	for (size_t i = 0; i < n; i++)
		if (git_oid_equal(&ids[i], out))
			return 0;
	return perf_error(err, PERF_EINVALID,
	                  "%s is not one of your commits waiting to be pushed: the remote already holds it (or it "
	                  "is not on this branch), so it cannot be dropped; only what was never shared can be",
	                  rev);
}

/*
 * perf sync --drop: after the fetch, takes the named commits away (their
 * text saved) and replays our other unpushed commits onto the remote's tip.
 */
static int sync_drop(struct sync_run *run, struct perf_error *err)
{
	git_repository *g = run->repo->git;
	struct perf_sync_result *result = run->result;
	git_commit *ours = NULL, *theirs = NULL, *tip = NULL;
	git_oid *ids = NULL, *drop = NULL, cur;
	size_t n = 0;
	int rc;

	if (run->have_prev)
		return perf_error(err, PERF_EINVALID,
		                  "a sync is waiting for clashes to be settled; settle them ('perf resolve') or forget "
		                  "that merge ('perf resolve --abort') before dropping a commit");
	if ((rc = sync_fetch(run, &ours, &theirs, err)))
		goto out;
	if (!theirs) {
		rc = perf_error(err, PERF_EINVALID, "'%s' has no branch %s yet: nothing was refused, nothing to drop",
		                run->rname, run->shortname);
		goto out;
	}
	if ((rc = verify_incoming(g, run->upstream, git_commit_id(ours), git_commit_id(theirs), result, err)) ||
	    (rc = unpushed(g, git_commit_id(ours), git_commit_id(theirs), &ids, &n, err)))
		goto out;
	if (!(drop = calloc(run->opts->ndrop, sizeof(*drop)))) {
		rc = perf_error(err, PERF_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t k = 0; k < run->opts->ndrop; k++)
		if ((rc = drop_target(g, run->opts->drop[k], ids, n, &drop[k], err)))
			goto out;
	result->fetched += count_between(g, git_commit_id(ours), git_commit_id(theirs));
	/* Replayed first: when a later commit no longer applies, nothing has moved and nothing is saved. */
	cur = *git_commit_id(theirs);
	for (size_t i = 0; i < n && !rc; i++) {
		git_commit *c = NULL;
		bool dropped = false;
		for (size_t k = 0; k < run->opts->ndrop; k++)
			dropped |= git_oid_equal(&drop[k], &ids[i]);
		if (git_commit_lookup(&c, g, &ids[i]) < 0) {
			rc = perf_error_git(err, "cannot read commit %.12s", git_oid_tostr_s(&ids[i]));
			break;
		}
		if (dropped) {
			rc = commit_add(g, c, &result->dropped, &result->ndropped, err);
		} else if (git_commit_parentcount(c) < 2) {
			git_commit_free(tip);
			tip = NULL;
			if (git_commit_lookup(&tip, g, &cur) < 0)
				rc = perf_error_git(err, "cannot read commit %.12s", git_oid_tostr_s(&cur));
			else if (!(rc = replay_one(run, tip, c, &cur, err)))
				result->replayed++;
		}
		git_commit_free(c);
	}
	for (size_t i = 0; i < result->ndropped && !rc; i++) {
		git_commit *c = NULL;
		git_oid id;
		if (git_oid_fromstr(&id, result->dropped[i].commit) < 0 || git_commit_lookup(&c, g, &id) < 0)
			rc = perf_error_git(err, "cannot read commit %.12s", result->dropped[i].commit);
		else
			rc = save_dropped(run->repo, c, &result->dropped[i], err);
		git_commit_free(c);
	}
	if (!rc) {
		size_t changed = 0;
		rc = move_to(run->repo, ours, &cur, "perf sync: drop", &changed, err);
		result->changed_paths += changed;
	}
out:
	free(ids);
	free(drop);
	git_commit_free(ours);
	git_commit_free(theirs);
	git_commit_free(tip);
	return rc;
}

/*
 * Push: sends HEAD when the remote lacks it, after checking our own commits.
 * *again true when the remote moved meanwhile and another round may catch
 * up with it; after the last round that is PERF_ECONFLICT.
 */
static int sync_push(struct sync_run *run, int attempt, bool *again, struct perf_error *err)
{
	git_repository *g = run->repo->git;
	struct perf_sync_result *result = run->result;
	struct cb_state *cs = &run->cs;
	char *specp = run->refspec;
	git_strarray specs = {&specp, 1};
	git_push_options po;
	git_oid now_id, remote_id;
	bool had_remote = git_reference_name_to_id(&remote_id, g, run->upstream) == 0, failed, moved;
	int rc;

	*again = false;
	git_reference_name_to_id(&now_id, g, "HEAD");
	if (had_remote && git_oid_equal(&now_id, &remote_id))
		return 0;
	/* What the server would refuse, perf does not send: the same rules, here. */
	if ((rc = verify_outgoing(g, had_remote ? &remote_id : NULL, &now_id, result, err)))
		return rc;
	cs->push_rejected = cs->push_behind = false;
	cs->push_reason.len = 0;
	cs->remote_text.len = 0;
	git_push_options_init(&po, GIT_PUSH_OPTIONS_VERSION);
	setup_callbacks(&po.callbacks, cs);
	po.callbacks.sideband_progress = sideband_cb;
	failed = git_remote_push(run->remote, &specs, &po) < 0;
	if (failed || cs->push_rejected) {
		const git_error *ge = failed ? git_error_last() : NULL;
		moved = failed ? ge && remote_moved(ge->message) : cs->push_behind;
		if (moved && attempt < run->attempts) {
			if (failed)
				git_error_clear();
			*again = true;
			return 0;
		}
		if (moved)
			return perf_error(err, PERF_ECONFLICT,
			                  "'%s' moved while perf pushed, %d times in a row; your commits are kept "
			                  "here: run 'perf sync' again",
			                  run->rname, run->attempts);
		if (failed)
			return perf_error_git(err, "cannot push to '%s'", run->rname);
		result->remote_reason =
		    strdup(cs->remote_text.len ? perf_buf_cstr(&cs->remote_text) : perf_buf_cstr(&cs->push_reason));
		blame_commits(g, had_remote ? &remote_id : NULL, &now_id, result->remote_reason, result);
		return perf_error(err, PERF_EPERM,
		                  "'%s' refused the push: %s; your commits are kept here, nothing is lost", run->rname,
		                  perf_buf_cstr(&cs->push_reason));
	}
	cred_approve(cs);
	result->pushed += count_between(g, had_remote ? &remote_id : NULL, &now_id);
	/* The remote now holds our tip, which we verified or wrote. */
	return verified_write(g, run->upstream, &now_id, err);
}

int perf_sync(struct perf_repo *repo, const struct perf_sync_opts *opts, struct perf_sync_result *result,
              struct perf_error *err)
{
	static const struct perf_sync_opts defaults = {.push = true, .max_attempts = 5};
	struct sync_run run;
	int lockfd = -1, rc;

	memset(result, 0, sizeof(*result));
	memset(&run, 0, sizeof(run));
	run.repo = repo;
	run.opts = opts ? opts : &defaults;
	run.result = result;
	run.cs.opts = run.opts;
	run.attempts = run.opts->max_attempts > 0 ? run.opts->max_attempts : 5;
	if (!(rc = sync_open(&run, err)) && !(rc = perf_repo_lock(repo, &lockfd, err)))
		rc = state_read(repo, &run.prev, &run.have_prev, err);
	if (!rc && run.opts->ndrop)
		rc = sync_drop(&run, err);
	for (int attempt = 1; !rc; attempt++) {
		git_commit *ours = NULL, *theirs = NULL;
		bool again = false;

		if (!(rc = sync_fetch(&run, &ours, &theirs, err)))
			rc = sync_integrate(&run, ours, theirs, err);
		git_commit_free(ours);
		git_commit_free(theirs);
		if (rc || !run.opts->push || (rc = sync_push(&run, attempt, &again, err)) || !again)
			break;
	}
	perf_repo_unlock(lockfd);
	run_release(&run);
	return rc;
}

static int remove_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

/* Takes back a clone that must not stay: the folder, or what it holds when it was there before. */
static void unclone(const char *dir, bool existed)
{
	if (!existed) {
		nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
		return;
	}
	DIR *d = opendir(dir);
	struct dirent *e;
	struct perf_buf p = PERF_BUF_INIT;
	while (d && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		perf_buf_truncate(&p, 0);
		perf_buf_printf(&p, "%s/%s", dir, e->d_name);
		if (p.ptr)
			nftw(p.ptr, remove_one, 16, FTW_DEPTH | FTW_PHYS);
	}
	if (d)
		closedir(d);
	perf_buf_release(&p);
}

/* The whole history of the clone's branch, checked before it is checked out. */
static int verify_clone(git_repository *g, struct perf_sync_result *result, struct perf_error *err)
{
	struct perf_sync_result local;
	struct refusals rf = {g, result ? result : &local, false};
	struct perf_verify *v = NULL;
	git_reference *head = NULL, *upstream = NULL;
	git_oid tip;
	int rc;

	memset(&local, 0, sizeof(local));
	if (git_repository_head(&head, g) < 0 || git_reference_name_to_id(&tip, g, "HEAD") < 0) {
		git_error_clear();
		git_reference_free(head);
		return 0; /* an empty repository: nothing to check */
	}
	if ((rc = perf_verify_new(&v, g, collect_refusal, &rf, err)))
		goto out;
	if ((rc = perf_verify_commits(v, NULL, NULL, 0, &tip, err)))
		goto out;
	if (rf.oom)
		rc = perf_error(err, PERF_ENOMEM, "out of memory");
	else if (perf_verify_violations(v))
		rc =
		    perf_error(err, PERF_EPERM, "refused to clone: its history breaks the team's rules (%zu problem%s)",
		               perf_verify_violations(v), perf_verify_violations(v) == 1 ? "" : "s");
	else if (git_branch_upstream(&upstream, head) == 0 &&
	         !(rc = verified_write(g, git_reference_name(upstream), &tip, err)))
		rc = verified_write(g, "HEAD", &tip, err); /* the whole history, checked: reads need not again */
	git_error_clear();
out:
	perf_verify_free(v);
	git_reference_free(upstream);
	git_reference_free(head);
	if (!result)
		perf_sync_result_release(&local);
	return rc;
}

int perf_sync_clone(struct perf_repo **out, const char *url, const char *dir, const char *perf_path,
                    const struct perf_sync_opts *opts, struct perf_sync_result *result, struct perf_error *err)
{
	bool existed = false;

	struct perf_sync_opts defaults = {.push = true, .max_attempts = 5};
	git_clone_options co;
	git_repository *g = NULL;
	struct perf_repo *repo;
	struct cb_state cs;
	struct stat st;
	int rc;

	*out = NULL;
	if (result)
		memset(result, 0, sizeof(*result));
	if (!opts)
		opts = &defaults;
	memset(&cs, 0, sizeof(cs));
	cs.opts = opts;
	cs.last_pct = 101;
	git_clone_options_init(&co, GIT_CLONE_OPTIONS_VERSION);
	if ((rc = perf_sync_init(err)) || (rc = use_ssl_ca(NULL, err)))
		return rc;
	if (stat(dir, &st) == 0) {
		bool empty = S_ISDIR(st.st_mode);
		existed = true;
		if (empty) {
			/* Any entry but . and .. makes it non-empty. */
			DIR *d = opendir(dir);
			struct dirent *e;
			while (d && (e = readdir(d)))
				if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
					empty = false;
			if (d)
				closedir(d);
		}
		if (!empty)
			return perf_error(err, PERF_EEXISTS, "'%s' already exists and is not an empty folder", dir);
	}
	setup_callbacks(&co.fetch_opts.callbacks, &cs);
	/* Nothing is checked out before the history is checked. */
	co.checkout_opts.checkout_strategy = GIT_CHECKOUT_NONE;
	{
		char *local = perf_ssh_local_url(url);
		int r = git_clone(&g, local ? local : url, dir, &co);
		/* A local path is stored absolute, as git does, so it works from inside the clone. */
		if (r == 0 && local && git_remote_set_url(g, "origin", url[0] == '/' ? url : local + 7) < 0)
			r = -1;
		free(local);
		if (r < 0) {
			rc = perf_error_git(err, "cannot clone '%s'", url);
			cb_release(&cs);
			git_repository_free(g);
			return rc;
		}
	}
	if ((rc = verify_clone(g, result, err))) {
		cb_release(&cs);
		git_repository_free(g);
		unclone(dir, existed);
		return rc;
	}
	{
		git_checkout_options cko;
		git_checkout_options_init(&cko, GIT_CHECKOUT_OPTIONS_VERSION);
		cko.checkout_strategy = GIT_CHECKOUT_SAFE | GIT_CHECKOUT_RECREATE_MISSING;
		if (!git_repository_head_unborn(g) && git_checkout_head(g, &cko) < 0) {
			rc = perf_error_git(err, "cannot check out '%s'", dir);
			cb_release(&cs);
			git_repository_free(g);
			return rc;
		}
	}
	cred_approve(&cs);
	cb_release(&cs);
	if ((rc = perf_repo_adopt(&repo, g, err)))
		return rc;
	if ((rc = perf_sync_install_driver(repo, perf_path, err))) {
		perf_repo_free(repo);
		return rc;
	}
	*out = repo;
	return 0;
}
