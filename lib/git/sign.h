/*
 * Signed commits with SSH keys, as git makes them for gpg.format=ssh, and
 * their check against the keys people list in people/<handle>.md (`keys`).
 *
 * Signing runs `ssh-keygen -Y sign -n git -f KEY FILE` (gpg.ssh.program
 * names another program) on a temporary copy of the commit, exactly as git
 * does; checking runs `ssh-keygen -Y verify -n git` against an
 * allowed-signers file written for the check.  Nothing derived from the
 * people files is kept: the temporary files live in a private folder under
 * $TMPDIR (else /tmp) and are removed before the function returns.
 *
 * Ownership: struct perf_signer owns its strings (perf_signer_release,
 * NULL-safe); buffers filled here are the caller's.
 *
 * Environment read here: TMPDIR; HOME for a user.signingkey starting with
 * "~/".  ssh-keygen inherits the environment, so SSH_AUTH_SOCK reaches the
 * agent.
 */
#ifndef PERF_SIGN_H
#define PERF_SIGN_H

#include "gittypes.h"
#include <stdbool.h>

#include "buf.h"
#include "doc.h"
#include "error.h"

struct perf_signer {
	char *program; /* gpg.ssh.program, else "ssh-keygen" */
	char *key;     /* user.signingkey: a key file (private, or .pub with the agent) or a literal public key */
	bool literal;  /* key is the public key itself ("ssh-..." or "key::ssh-...") */
};

/* Whether git config asks for signed commits (commit.gpgsign); when it
 * does, fills *signer from gpg.format, user.signingkey and gpg.ssh.program.
 * Signing asked for in a way perf cannot sign (gpg.format openpgp or x509,
 * no user.signingkey) is a PERF_EINVALID error, so nothing is committed
 * unsigned by mistake. */
int perf_sign_wanted(git_repository *repo, bool *wanted, struct perf_signer *signer, struct perf_error *err);
void perf_signer_release(struct perf_signer *signer);

/* Checks, before anything is written, that a commit can be signed when git
 * config asks for it: what perf_sign_wanted checks, plus a key file that
 * can be read and a program that can be found.  An agent that refuses, or a
 * key ssh-keygen cannot use, shows only when signing. */
int perf_sign_check(git_repository *repo, struct perf_error *err);

/* Signs buf[0..len) into sig (an armored SSH signature, its final newline
 * removed as a commit header wants).  A missing ssh-keygen, a missing key or
 * an agent that refuses is an error carrying ssh-keygen's message. */
int perf_sign_buffer(const struct perf_signer *signer, const char *buf, size_t len, struct perf_buf *sig,
                     struct perf_error *err);

/*
 * Creates a commit as git_commit_create does, signed (a gpgsig header) when
 * git config asks for it.  With update_ref "HEAD", moves the branch HEAD
 * names (or a detached HEAD) with compare-and-swap against parents[0], or
 * creates it when nparents is 0: GIT_EMODIFIED (negative; err untouched)
 * when it moved meanwhile, so the caller can try again.  NULL moves no
 * reference.  Any other failure is a perf_code with err filled, and then
 * no reference has moved.
 */
int perf_sign_commit(git_oid *id, git_repository *repo, const char *update_ref, const git_signature *author,
                     const git_signature *committer, const char *message, const git_tree *tree, size_t nparents,
                     const git_commit *parents[], struct perf_error *err);

/* Moves update_ref (or the branch it names) from old (NULL: it must not exist
 * yet) to id, with the reflog line git writes for a commit ("commit:",
 * "commit (initial):", "commit (merge):" and the message's first line).
 * GIT_EMODIFIED (negative; err untouched) when it moved meanwhile. */
int perf_sign_move_ref(git_repository *repo, const char *update_ref, const git_oid *id, const git_oid *old,
                       const char *message, bool merge, struct perf_error *err);

/* Checks one public key line, "TYPE BASE64 [COMMENT]", as found in a .pub
 * file or in a person's keys.  PERF_EINVALID with a reason when it is not. */
int perf_sign_check_key(const char *line, struct perf_error *err);

/* Appends to out one allowed-signers line, `PRINCIPAL namespaces="git" KEY`,
 * for each usable key in person's `keys`.  Keys that are not public key
 * lines, and every key when principal could act as a pattern (it contains
 * white space, '*', '?', ',', '!' or a quote), are left out and counted in
 * *skipped (NULL: not counted). */
int perf_sign_person_signers(struct perf_buf *out, const char *principal, const struct perf_doc *person,
                             size_t *skipped, struct perf_error *err);

/* The allowed-signers text for everyone in people/ of tree (a person as
 * people.h says), by the email in their file, in file order; *skipped as
 * above. */
int perf_sign_allowed_signers(git_repository *repo, git_tree *tree, struct perf_buf *out, size_t *skipped,
                              struct perf_error *err);

/* Checks sig (an armored SSH signature) over payload as made by principal,
 * with the allowed-signers text allowed: 0 when ssh-keygen accepts it;
 * PERF_EPERM with ssh-keygen's message in err when it does not; another
 * code when ssh-keygen cannot be run.  gpg.ssh.program of repo names the
 * program (repo may be NULL). */
int perf_sign_verify(git_repository *repo, const char *allowed, const char *principal, const char *payload, size_t plen,
                     const char *sig, size_t slen, struct perf_error *err);

#endif
