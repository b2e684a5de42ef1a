#include "sign.h"

#include <git2.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "people.h"
#include "process.h"

#define SSH_SIG_BEGIN "-----BEGIN SSH SIGNATURE-----"

/* --- temporary files and the child process -------------------------------- */

/* A private folder (0700) for one signing or check. */
static int make_tmpdir(struct perf_buf *dir, struct perf_error *err)
{
	const char *t = getenv("TMPDIR");

	dir->len = 0;
	if (perf_buf_printf(dir, "%s/perf-sign-XXXXXX", t && *t == '/' ? t : "/tmp"))
		return perf_error(err, PERF_ENOMEM, "out of memory");
	if (!mkdtemp(dir->ptr))
		return perf_error_sys(err, "cannot make a temporary folder '%s'", dir->ptr);
	return 0;
}

static void remove_tmpdir(const struct perf_buf *dir)
{
	struct perf_buf p = PERF_BUF_INIT;
	struct dirent *de;
	DIR *d;

	if (!dir->len || !(d = opendir(dir->ptr)))
		return;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		p.len = 0;
		if (perf_buf_printf(&p, "%s/%s", dir->ptr, de->d_name) == 0)
			unlink(p.ptr);
	}
	closedir(d);
	rmdir(dir->ptr);
	perf_buf_release(&p);
}

static int write_file(const char *path, const char *data, size_t len, struct perf_error *err)
{
	size_t off = 0;
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600), rc = 0;

	if (fd < 0)
		return perf_error_sys(err, "cannot create '%s'", path);
	while (off < len) {
		ssize_t w = write(fd, data + off, len - off);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			rc = perf_error_sys(err, "cannot write '%s'", path);
			break;
		}
		off += (size_t)w;
	}
	if (close(fd) < 0 && !rc)
		rc = perf_error_sys(err, "cannot write '%s'", path);
	return rc;
}

static int read_file(const char *path, struct perf_buf *out, struct perf_error *err)
{
	char chunk[4096];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc = 0;

	out->len = 0;
	if (fd < 0)
		return perf_error_sys(err, "cannot read '%s'", path);
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			rc = perf_error_sys(err, "cannot read '%s'", path);
			break;
		}
		if (perf_buf_add(out, chunk, (size_t)n)) {
			rc = perf_error(err, PERF_ENOMEM, "out of memory");
			break;
		}
	}
	close(fd);
	if (!rc && !out->ptr && perf_buf_puts(out, ""))
		rc = perf_error(err, PERF_ENOMEM, "out of memory");
	return rc;
}

/* What ssh-keygen said, on one line: its stderr without the progress lines,
 * else its stdout. */
static void child_message(const struct perf_buf *out, const struct perf_buf *errout, int status, char *msg, size_t size)
{
	struct perf_buf said = PERF_BUF_INIT;
	const struct perf_buf *texts[2] = {errout, out};

	msg[0] = '\0';
	for (int i = 0; i < 2 && !said.len; i++) {
		const char *line, *end;
		for (line = perf_buf_cstr(texts[i]); *line; line = *end ? end + 1 : end) {
			size_t n;
			end = line + strcspn(line, "\r\n");
			n = (size_t)(end - line);
			if (!n || !strncmp(line, "Signing file ", 13) || !strncmp(line, "Write signature to ", 19))
				continue;
			perf_buf_printf(&said, "%s%.*s", said.len ? "; " : "", (int)n, line);
		}
	}
	if (said.len)
		snprintf(msg, size, "%s", said.ptr);
	else
		snprintf(msg, size, "it failed (exit status %d) without a message", status);
	perf_buf_release(&said);
}

/* Says what could not be done when the program could not be run, and the fix. */
static void no_program(struct perf_error *err, const char *what)
{
	char was[sizeof(err->msg)];

	if (!err)
		return;
	snprintf(was, sizeof(was), "%s", err->msg);
	perf_error(err, err->code,
	           "%s: %s (install OpenSSH's ssh-keygen, or name another program with 'git config "
	           "gpg.ssh.program')",
	           what, was);
}

/* --- what git config asks for ------------------------------------------- */

void perf_signer_release(struct perf_signer *signer)
{
	if (!signer)
		return;
	free(signer->program);
	free(signer->key);
	memset(signer, 0, sizeof(*signer));
}

static int config_string(git_config *cfg, const char *key, char **out, struct perf_error *err)
{
	git_buf b = {0};
	int r = git_config_get_string_buf(&b, cfg, key);

	*out = NULL;
	if (r == GIT_ENOTFOUND)
		return 0;
	if (r < 0)
		return perf_error_git(err, "cannot read git config '%s'", key);
	*out = strdup(b.ptr);
	git_buf_dispose(&b);
	return *out ? 0 : perf_error(err, PERF_ENOMEM, "out of memory");
}

static char *ssh_program(git_config *cfg)
{
	char *p = NULL;

	if (cfg && config_string(cfg, "gpg.ssh.program", &p, NULL) == 0 && p && *p)
		return p;
	free(p);
	return strdup("ssh-keygen");
}

int perf_sign_wanted(git_repository *repo, bool *wanted, struct perf_signer *signer, struct perf_error *err)
{
	git_config *cfg = NULL;
	char *format = NULL, *key = NULL;
	int gpgsign = 0, r, rc = 0;

	*wanted = false;
	memset(signer, 0, sizeof(*signer));
	if (git_repository_config_snapshot(&cfg, repo) < 0)
		return perf_error_git(err, "cannot read git config");
	r = git_config_get_bool(&gpgsign, cfg, "commit.gpgsign");
	if (r < 0 && r != GIT_ENOTFOUND) {
		rc = perf_error_git(err, "cannot read git config 'commit.gpgsign'");
		goto out;
	}
	if (r < 0 || !gpgsign)
		goto out;
	if ((rc = config_string(cfg, "gpg.format", &format, err)) ||
	    (rc = config_string(cfg, "user.signingkey", &key, err)))
		goto out;
	if (!format || strcmp(format, "ssh")) {
		rc = perf_error(err, PERF_EINVALID,
		                "commit.gpgsign asks for signed commits, but perf signs only with SSH keys and "
		                "gpg.format is '%s'; use an SSH key ('git config gpg.format ssh' and 'git config "
		                "user.signingkey ~/.ssh/id_ed25519') or stop signing in this repository ('git config "
		                "commit.gpgsign false')",
		                format ? format : "openpgp");
		goto out;
	}
	if (!key || !*key) {
		rc = perf_error(err, PERF_EINVALID,
		                "commit.gpgsign asks for signed commits, but user.signingkey is not set; name your SSH "
		                "key with 'git config user.signingkey ~/.ssh/id_ed25519'");
		goto out;
	}
	if (!strncmp(key, "key::", 5) || !strncmp(key, "ssh-", 4)) {
		signer->literal = true;
		signer->key = strdup(key + (key[0] == 'k' ? 5 : 0));
	} else if (key[0] == '~' && key[1] == '/' && getenv("HOME")) {
		struct perf_buf b = PERF_BUF_INIT;
		if (perf_buf_printf(&b, "%s%s", getenv("HOME"), key + 1) == 0)
			signer->key = perf_buf_detach(&b);
	} else {
		signer->key = strdup(key);
	}
	signer->program = ssh_program(cfg);
	if (!signer->key || !signer->program) {
		perf_signer_release(signer);
		rc = perf_error(err, PERF_ENOMEM, "out of memory");
		goto out;
	}
	*wanted = true;
out:
	free(format);
	free(key);
	git_config_free(cfg);
	return rc;
}

static bool key_readable(const struct perf_signer *signer, struct perf_error *err)
{
	if (signer->literal || access(signer->key, R_OK) == 0)
		return true;
	perf_error(err, PERF_EIO,
	           "cannot sign the commit: cannot read user.signingkey '%s': %s; name your SSH key with 'git config "
	           "user.signingkey ~/.ssh/id_ed25519'",
	           signer->key, strerror(errno));
	return false;
}

/* Whether program can be run: a path, or a name found in PATH. */
static bool program_found(const char *program)
{
	const char *path = getenv("PATH"), *p, *end;
	struct perf_buf b = PERF_BUF_INIT;
	bool found = false;

	if (strchr(program, '/'))
		return access(program, X_OK) == 0;
	for (p = path ? path : "/usr/bin:/bin"; !found; p = end + 1) {
		end = strchr(p, ':');
		if (!end)
			end = p + strlen(p);
		b.len = 0;
		if (perf_buf_printf(&b, "%.*s/%s", (int)(end - p), end > p ? p : ".", program) == 0)
			found = access(b.ptr, X_OK) == 0;
		if (!*end)
			break;
	}
	perf_buf_release(&b);
	return found;
}

int perf_sign_check(git_repository *repo, struct perf_error *err)
{
	struct perf_signer signer;
	bool wanted;
	int rc;

	if ((rc = perf_sign_wanted(repo, &wanted, &signer, err)) || !wanted)
		return rc;
	if (!key_readable(&signer, err))
		rc = err ? err->code : PERF_EIO;
	else if (!program_found(signer.program))
		rc = perf_error(err, PERF_ENOTFOUND,
		                "cannot sign the commit: cannot run '%s': no such program (install OpenSSH's "
		                "ssh-keygen, or name another program with 'git config gpg.ssh.program')",
		                signer.program);
	perf_signer_release(&signer);
	return rc;
}

/* --- signing ----------------------------------------------------------- */

int perf_sign_buffer(const struct perf_signer *signer, const char *buf, size_t len, struct perf_buf *sig,
                     struct perf_error *err)
{
	struct perf_buf dir = PERF_BUF_INIT, keyf = PERF_BUF_INIT, data = PERF_BUF_INIT, sigf = PERF_BUF_INIT,
	                out = PERF_BUF_INIT, errout = PERF_BUF_INIT;
	const char *keyfile = signer->key;
	char msg[1024];
	int status = 0, rc;

	sig->len = 0;
	if (!key_readable(signer, err))
		return PERF_EIO;
	if ((rc = make_tmpdir(&dir, err)))
		return rc;
	if (perf_buf_printf(&keyf, "%s/key.pub", dir.ptr) || perf_buf_printf(&data, "%s/commit", dir.ptr) ||
	    perf_buf_printf(&sigf, "%s/commit.sig", dir.ptr)) {
		rc = perf_error(err, PERF_ENOMEM, "out of memory");
		goto out;
	}
	if (signer->literal) {
		/* As git does: the public key in a file; the agent holds the private key. */
		struct perf_buf k = PERF_BUF_INIT;
		if (perf_buf_printf(&k, "%s\n", signer->key))
			rc = perf_error(err, PERF_ENOMEM, "out of memory");
		else
			rc = write_file(keyf.ptr, k.ptr, k.len, err);
		perf_buf_release(&k);
		if (rc)
			goto out;
		keyfile = keyf.ptr;
	}
	if ((rc = write_file(data.ptr, buf, len, err)))
		goto out;
	{
		const char *argv[] = {signer->program, "-Y", "sign", "-n", "git", "-f", keyfile, data.ptr, NULL};
		if ((rc = perf_process_capture(argv, NULL, 0, &out, &errout, &status, err))) {
			no_program(err, "cannot sign the commit");
			goto out;
		}
	}
	if (status != 0) {
		child_message(&out, &errout, status, msg, sizeof(msg));
		if (strstr(msg, "usage:"))
			rc = perf_error(err, PERF_EINVALID,
			                "cannot sign the commit: '%s -Y sign' is needed (OpenSSH 8.2 or later)",
			                signer->program);
		else
			rc = perf_error(err, PERF_EINVALID, "cannot sign the commit with user.signingkey '%s': %s",
			                signer->key, msg);
		goto out;
	}
	if ((rc = read_file(sigf.ptr, sig, err)))
		goto out;
	/* A commit header carries the signature without its final newline. */
	while (sig->len && (sig->ptr[sig->len - 1] == '\n' || sig->ptr[sig->len - 1] == '\r'))
		sig->ptr[--sig->len] = '\0';
	if (strncmp(sig->ptr, SSH_SIG_BEGIN, strlen(SSH_SIG_BEGIN)) || strchr(sig->ptr, '\r')) {
		sig->len = 0;
		rc = perf_error(err, PERF_EINVALID, "cannot sign the commit: '%s' did not write an SSH signature",
		                signer->program);
	}
out:
	remove_tmpdir(&dir);
	perf_buf_release(&dir);
	perf_buf_release(&keyf);
	perf_buf_release(&data);
	perf_buf_release(&sigf);
	perf_buf_release(&out);
	perf_buf_release(&errout);
	return rc;
}

int perf_sign_move_ref(git_repository *repo, const char *update_ref, const git_oid *id, const git_oid *old,
                       const char *message, bool merge, struct perf_error *err)
{
	git_reference *sym = NULL, *updated = NULL;
	struct perf_buf log = PERF_BUF_INIT;
	const char *name = update_ref, *nl = strchr(message, '\n');
	int r, rc = 0;

	if (git_reference_lookup(&sym, repo, update_ref) == 0 && git_reference_type(sym) == GIT_REFERENCE_SYMBOLIC)
		name = git_reference_symbolic_target(sym);
	/* The reflog line git and libgit2 write for a commit. */
	if (perf_buf_printf(&log, "commit%s: %.*s",
	                    !old    ? " (initial)"
	                    : merge ? " (merge)"
	                            : "",
	                    (int)(nl ? (size_t)(nl - message) : strlen(message)), message)) {
		rc = perf_error(err, PERF_ENOMEM, "out of memory");
		goto out;
	}
	if (old)
		r = git_reference_create_matching(&updated, repo, name, id, 1, old, log.ptr);
	else
		r = git_reference_create(&updated, repo, name, id, 0, log.ptr);
	if (r == GIT_EMODIFIED || r == GIT_EEXISTS || (old && r == GIT_ENOTFOUND)) {
		git_error_clear();
		rc = GIT_EMODIFIED;
	} else if (r < 0) {
		rc = perf_error_git(err, "cannot move %s", name);
	}
out:
	perf_buf_release(&log);
	git_reference_free(updated);
	git_reference_free(sym);
	return rc;
}

int perf_sign_commit(git_oid *id, git_repository *repo, const char *update_ref, const git_signature *author,
                     const git_signature *committer, const char *message, const git_tree *tree, size_t nparents,
                     const git_commit *parents[], struct perf_error *err)
{
	struct perf_signer signer;
	struct perf_buf sig = PERF_BUF_INIT;
	git_buf content = {0};
	bool wanted;
	int r, rc;

	if ((rc = perf_sign_wanted(repo, &wanted, &signer, err)))
		return rc;
	if (!wanted) {
		r = git_commit_create(id, repo, update_ref, author, committer, NULL, message, tree, nparents, parents);
		if (r == GIT_EMODIFIED)
			return GIT_EMODIFIED;
		return r < 0 ? perf_error_git(err, "cannot commit") : 0;
	}
	if (git_commit_create_buffer(&content, repo, author, committer, NULL, message, tree, nparents, parents) < 0) {
		rc = perf_error_git(err, "cannot commit");
		goto out;
	}
	if ((rc = perf_sign_buffer(&signer, content.ptr, content.size, &sig, err)))
		goto out;
	if (git_commit_create_with_signature(id, repo, content.ptr, sig.ptr, "gpgsig") < 0) {
		rc = perf_error_git(err, "cannot store the signed commit");
		goto out;
	}
	if (update_ref)
		rc = perf_sign_move_ref(repo, update_ref, id, nparents ? git_commit_id(parents[0]) : NULL, message,
		                        nparents > 1, err);
out:
	git_buf_dispose(&content);
	perf_buf_release(&sig);
	perf_signer_release(&signer);
	return rc;
}

/* --- keys and allowed signers ------------------------------------------ */

static int b64_value(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* Decodes the first out_len bytes of base64 text s[0..n); false when s is
 * not base64 or too short. */
static bool b64_prefix(const char *s, size_t n, unsigned char *out, size_t out_len)
{
	size_t got = 0;
	unsigned long acc = 0;
	int bits = 0;

	for (size_t i = 0; i < n; i++) {
		int v;
		if (s[i] == '=') {
			for (; i < n; i++)
				if (s[i] != '=')
					return false;
			break;
		}
		if ((v = b64_value((unsigned char)s[i])) < 0)
			return false;
		acc = (acc << 6) | (unsigned long)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (got < out_len)
				out[got] = (unsigned char)(acc >> bits);
			got++;
			acc &= (1UL << bits) - 1;
		}
	}
	return got >= out_len;
}

int perf_sign_check_key(const char *line, struct perf_error *err)
{
	const char *type = line, *blob, *end;
	size_t tlen, blen;
	unsigned char head[4 + 64];

	for (const char *p = line; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return perf_error(err, PERF_EINVALID,
			                  "an SSH public key is one line without control characters");
	if (!strncmp(line, "-----BEGIN", 10))
		return perf_error(err, PERF_EINVALID,
		                  "this is a private key; give the public key (the .pub file) instead");
	tlen = strspn(type, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@.-_");
	if (!tlen || tlen > 64 || type[tlen] != ' ')
		return perf_error(err, PERF_EINVALID,
		                  "'%.40s' is not an SSH public key (expected 'ssh-ed25519 AAAA... comment')", line);
	blob = type + tlen + 1;
	end = strchr(blob, ' ');
	blen = end ? (size_t)(end - blob) : strlen(blob);
	/* The key data starts with its own type: a cheap check that it is whole. */
	if (blen < 16 || !b64_prefix(blob, blen, head, 4 + tlen) || head[0] || head[1] || head[2] != (tlen >> 8) ||
	    head[3] != (tlen & 0xff) || memcmp(head + 4, type, tlen))
		return perf_error(err, PERF_EINVALID,
		                  "'%.40s...' is not an SSH public key: its key data is not a %.*s key", line,
		                  (int)tlen, type);
	return 0;
}

static bool principal_ok(const char *p)
{
	if (!p || !*p)
		return false;
	for (; *p; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7f || strchr("*?,!\"'", *p))
			return false;
	return true;
}

int perf_sign_person_signers(struct perf_buf *out, const char *principal, const struct perf_doc *person,
                             size_t *skipped, struct perf_error *err)
{
	const struct perf_node *keys = person ? perf_doc_get(person, "keys") : NULL;
	size_t skip = 0;

	for (size_t i = 0; keys && keys->type == PERF_NODE_SEQ && i < keys->n; i++) {
		const struct perf_node *k = keys->values[i];
		if (k->type != PERF_NODE_SCALAR || !principal_ok(principal) || perf_sign_check_key(k->text, NULL)) {
			skip++;
			continue;
		}
		if (perf_buf_printf(out, "%s namespaces=\"git\" %s\n", principal, k->text))
			return perf_error(err, PERF_ENOMEM, "out of memory");
	}
	if (skipped)
		*skipped += skip;
	return 0;
}

struct signers {
	struct perf_buf *out;
	size_t *skipped;
	struct perf_error *err;
	int rc;
};

static int add_signers(const char *handle, const struct perf_doc *doc, void *payload)
{
	struct signers *s = payload;
	const char *email = perf_doc_str(doc, "email");

	(void)handle;
	if (email && (s->rc = perf_sign_person_signers(s->out, email, doc, s->skipped, s->err)))
		return 1;
	return 0;
}

int perf_sign_allowed_signers(git_repository *repo, git_tree *tree, struct perf_buf *out, size_t *skipped,
                              struct perf_error *err)
{
	struct signers s = {out, skipped, err, 0};
	int rc = perf_people_each(repo, tree, add_signers, &s, err);

	return s.rc ? s.rc : rc;
}

/* --- checking ---------------------------------------------------------- */

int perf_sign_verify(git_repository *repo, const char *allowed, const char *principal, const char *payload, size_t plen,
                     const char *sig, size_t slen, struct perf_error *err)
{
	struct perf_buf dir = PERF_BUF_INIT, af = PERF_BUF_INIT, sf = PERF_BUF_INIT, s = PERF_BUF_INIT,
	                out = PERF_BUF_INIT, errout = PERF_BUF_INIT;
	git_config *cfg = NULL;
	char *program = NULL, msg[1024];
	int status = 0, rc;

	if (repo && git_repository_config_snapshot(&cfg, repo) < 0)
		git_error_clear();
	program = ssh_program(cfg);
	git_config_free(cfg);
	if (!program)
		return perf_error(err, PERF_ENOMEM, "out of memory");
	if ((rc = make_tmpdir(&dir, err)))
		goto out;
	if (perf_buf_printf(&af, "%s/allowed_signers", dir.ptr) || perf_buf_printf(&sf, "%s/signature", dir.ptr) ||
	    perf_buf_add(&s, sig, slen) || ((!slen || sig[slen - 1] != '\n') && perf_buf_putc(&s, '\n'))) {
		rc = perf_error(err, PERF_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = write_file(af.ptr, allowed, strlen(allowed), err)) || (rc = write_file(sf.ptr, s.ptr, s.len, err)))
		goto out;
	{
		const char *argv[] = {program, "-Y", "verify",  "-n", "git",  "-f",
		                      af.ptr,  "-I", principal, "-s", sf.ptr, NULL};
		/* The payload goes to its stdin. */
		if ((rc = perf_process_capture(argv, payload ? payload : "", plen, &out, &errout, &status, err))) {
			no_program(err, "cannot check signatures");
			goto out;
		}
	}
	if (status != 0) {
		child_message(&out, &errout, status, msg, sizeof(msg));
		rc = perf_error(err, PERF_EPERM, "%s", msg);
	}
out:
	remove_tmpdir(&dir);
	perf_buf_release(&dir);
	perf_buf_release(&af);
	perf_buf_release(&out);
	perf_buf_release(&errout);
	perf_buf_release(&sf);
	perf_buf_release(&s);
	free(program);
	return rc;
}
