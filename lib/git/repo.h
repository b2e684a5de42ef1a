/*
 * The team repository: finding it, creating it, who is acting, reading
 * documents from HEAD, and committing changes.
 *
 * A struct perf_repo (opaque) owns its git_repository and strings; perf_repo_free
 * releases everything (NULL is fine).  Buffers filled by perf_repo_read are
 * the caller's.
 *
 * Writing goes through perf_repo_write: the callback reads what it needs
 * from the transaction (HEAD's tree plus its own pending changes) and stages
 * puts and removes; perf_repo_write then builds the new tree from HEAD's tree
 * along the changed paths only, commits with compare-and-swap on HEAD,
 * writes the working-tree files atomically and updates only their index
 * entries.  When HEAD moved meanwhile the callback runs again on the new
 * HEAD, so concurrent writers both land.  Until HEAD is moved nothing is
 * visible; if anything fails before that, nothing has changed.
 *
 * Environment read here: PERF_DIR, XDG_DATA_HOME, HOME (finding the
 * repository); GIT_AUTHOR_NAME/EMAIL/DATE, GIT_COMMITTER_NAME/EMAIL/DATE
 * (identity, as git does); PERF_NOW via perf_value_now.
 */
#ifndef PERF_REPO_H
#define PERF_REPO_H

#include "gittypes.h"
#include <stdbool.h>

#include "buf.h"
#include "error.h"
#include "strv.h"

enum perf_repo_source {
	PERF_FOUND_OPTION,  /* -C DIR */
	PERF_FOUND_ENV,     /* $PERF_DIR */
	PERF_FOUND_CWD,     /* the current directory is inside it */
	PERF_FOUND_CONFIG,  /* perf.repo in git config */
	PERF_FOUND_DEFAULT, /* the personal store under XDG_DATA_HOME */
};

struct perf_identity {
	char *name;
	char *email;
	char *handle; /* NULL until the person has joined (or perf.handle is set) */
};

/* The largest tree libgit2 keeps in its object cache (set in main). */
#define PERF_TREE_CACHE_LIMIT ((size_t)4 * 1024 * 1024)

/*
 * Asked before a write's commit becomes the branch tip (parent NULL for the
 * first commit): an error refuses the write and nothing moves.
 */
typedef int (*perf_repo_guard_fn)(git_repository *git, const git_oid *parent, const git_oid *commit, void *payload,
                                  struct perf_error *err);

/* The version of libgit2 perf runs with, as "1.5.1". */
const char *perf_git_version(void);

/* Opaque: lib/ reaches its fields through repo-internal.h. */
struct perf_repo;

/* Where the repository is (absolute, ending with '/'; NULL for a bare
 * repository opened with perf_repo_open_git), and how it was found. */
const char *perf_repo_workdir(const struct perf_repo *repo);
enum perf_repo_source perf_repo_source(const struct perf_repo *repo);

void perf_repo_set_guard(struct perf_repo *repo, perf_repo_guard_fn fn, void *payload);

/* Where this repository's notices go: warnings and repairs of a write that
 * was interrupted, found when the write lock is taken.  None by default. */
void perf_repo_set_notice(struct perf_repo *repo, perf_notice_fn fn, void *payload);

/*
 * A small local file of "<key> <value>" lines, one per key (perf's own
 * state under .git/perf: verified remote tips, trusted keys).  get copies
 * the last value for key into out (false when there is none or it does not
 * fit); set replaces key's line, or adds it, atomically.
 */
bool perf_repo_keyed_get(const char *path, const char *key, char *out, size_t outsz);
int perf_repo_keyed_set(const char *path, const char *key, const char *value, struct perf_error *err);

/* Whether the blob id names is small enough to be a document
 * (PERF_DOC_MAX_FILE), from its header: a padded blob is never inflated.
 * False when it cannot be read. */
bool perf_repo_blob_fits(git_repository *g, const git_oid *id);

/* Finds the perf repository as described in perf(1): dir (from -C) if given,
 * else $PERF_DIR, else the one containing the current directory, else
 * perf.repo from the user's git config, else the default personal store. */
int perf_repo_open(struct perf_repo **out, const char *dir, struct perf_error *err);
/*
 * Opens the git repository at or above dir, bare or not, without asking it
 * to be a perf repository: for commands that also run on a team's server
 * (verify, hook).  With from_env (and dir NULL) git's environment names it,
 * as in a hook.  workdir is NULL for a bare repository.  On failure libgit2's
 * message stays the last error, so a caller may word it with perf_error_git.
 */
int perf_repo_open_git(struct perf_repo **out, const char *dir, bool from_env, struct perf_error *err);
/* The repository's .git folder (the repository itself when bare), ending with '/'. */
const char *perf_repo_gitdir(const struct perf_repo *repo);

/* Sets up libgit2 for perf (caches, pack windows, no re-hashing on reads):
 * once, before any other call here; perf_repo_global_shutdown at the end. */
void perf_repo_global_init(void);
void perf_repo_global_shutdown(void);
/* The default personal store: ${XDG_DATA_HOME:-~/.local/share}/perf. */
int perf_repo_default_path(struct perf_buf *out, struct perf_error *err);
const char *perf_repo_source_name(enum perf_repo_source s);

/* Creates a team repository in dir (made if missing) with the given files
 * (paths relative to the work tree) as its first perf commit. Refuses when
 * dir already holds a perf repository.  The new repository's notices go to
 * notice (may be NULL), from its first write on. */
struct perf_file {
	const char *path;
	const char *data;
	size_t len;
};
int perf_repo_init(struct perf_repo **out, const char *dir, const struct perf_file *files, size_t nfiles,
                   const char *message, perf_notice_fn notice, void *payload, struct perf_error *err);

void perf_repo_free(struct perf_repo *repo);

/* Name and email (GIT_AUTHOR_* first, then user.name/user.email), and the
 * handle: perf.handle from git config, else the people/ file whose email
 * matches.  Missing name or email is an error; a missing handle is not. */
int perf_repo_identity(struct perf_repo *repo, const struct perf_identity **out, struct perf_error *err);
/* As perf_repo_identity, but a missing handle is an error telling the user
 * to run `perf join`. */
int perf_repo_require_handle(struct perf_repo *repo, const char **handle, struct perf_error *err);

/* Reads path from HEAD.  PERF_ENOTFOUND when absent (or no commits yet). */
int perf_repo_read(struct perf_repo *repo, const char *path, struct perf_buf *out, struct perf_error *err);
/* Calls fn for each entry of the folder dir in HEAD (names only, in tree
 * order).  A missing folder is empty.  fn returns non-zero to stop. */
typedef int (*perf_repo_list_fn)(const char *name, bool is_dir, void *payload);
int perf_repo_list(struct perf_repo *repo, const char *dir, perf_repo_list_fn fn, void *payload,
                   struct perf_error *err);

/* A git config value from the repository's config (which includes the
 * user's global config); NULL into *out when unset. Caller frees. */
int perf_repo_config_get(struct perf_repo *repo, const char *key, char **out, struct perf_error *err);

/* Whether rev names an object, as git rev-parse would find it. */
bool perf_repo_is_rev(struct perf_repo *repo, const char *rev);

/* A boolean git config value as git reads it; false when unset or unreadable. */
bool perf_repo_config_bool(struct perf_repo *repo, const char *key);

/* Checks a repository-relative path: components separated by '/', none
 * empty, '.', '..' or starting with '.', except the leading `.perf`. */
int perf_repo_check_path(const char *path, struct perf_error *err);

/* The lock perf writers share (.git/perf/write.lock, flock: never stale).
 * Hold it across operations that move HEAD other than perf_repo_write. */
int perf_repo_lock(struct perf_repo *repo, int *fd, struct perf_error *err);
void perf_repo_unlock(int fd);
/* Author and committer for a commit made now by the acting person. */
int perf_repo_signatures(struct perf_repo *repo, git_signature **author, git_signature **committer,
                         struct perf_error *err);
/* The folder perf keeps its own files in: .git/perf/ (made when missing). */
int perf_repo_perf_dir(struct perf_repo *repo, struct perf_buf *out, struct perf_error *err);
/* Replaces the file at path with data, atomically: written beside it as
 * PATH.tmp, then renamed; the temporary file is removed on failure. -1 with
 * errno set when it cannot. */
int perf_repo_write_file(const char *path, const char *data, size_t len);
/* Replaces .git/perf/NAME with data as perf_repo_write_file does. */
int perf_repo_perf_file_write(struct perf_repo *repo, const char *name, const char *data, size_t len,
                              struct perf_error *err);
/* Removes .git/perf/NAME when it is there. */
void perf_repo_perf_file_remove(struct perf_repo *repo, const char *name);

/* One entry of a tree's raw content (as git stores it: "MODE NAME\0" and 20 bytes of id). */
struct perf_tree_entry {
	const char *name; /* not terminated: len bytes */
	size_t len;
	bool is_tree, is_blob;   /* a folder; a file or a symbolic link (neither: a submodule) */
	const unsigned char *id; /* GIT_OID_RAWSZ bytes */
};

/* Reads the entry at *p and moves *p past it: 1 when read, 0 at end, -1 when the bytes are not a tree. */
int perf_tree_entry_next(const unsigned char **p, const unsigned char *end, struct perf_tree_entry *e);

/* Transactions. */
struct perf_txn;
typedef int (*perf_txn_fn)(struct perf_txn *txn, void *payload, struct perf_error *err);

/* *committed (when not NULL) tells whether a commit was made: false when the
 * transaction staged nothing or its changes left the tree as it was. */
int perf_repo_write(struct perf_repo *repo, perf_txn_fn fn, void *payload, bool *committed, struct perf_error *err);

struct perf_repo *perf_txn_repo(struct perf_txn *txn);
/* Reads path as this transaction sees it. PERF_ENOTFOUND when absent. */
int perf_txn_read(struct perf_txn *txn, const char *path, struct perf_buf *out, struct perf_error *err);
bool perf_txn_exists(struct perf_txn *txn, const char *path);
/* Lists dir in the tree the transaction started from, without its own staged
 * changes (ids of staged files do not exist until the commit): list before
 * staging, as every command does. */
int perf_txn_list(struct perf_txn *txn, const char *dir, perf_repo_list_fn fn, void *payload, struct perf_error *err);
/* Stages a new content for path (copied). */
int perf_txn_put(struct perf_txn *txn, const char *path, const char *data, size_t len, struct perf_error *err);
int perf_txn_remove(struct perf_txn *txn, const char *path, struct perf_error *err);
/* The commit message: a subject line, and trailers "Key: value" added in order. */
int perf_txn_subject(struct perf_txn *txn, struct perf_error *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int perf_txn_trailer(struct perf_txn *txn, const char *key, const char *value, struct perf_error *err);
/* A trailer whose value is the names of v joined by ", "; none when v is empty. */
int perf_txn_trailer_list(struct perf_txn *txn, const char *key, const struct perf_strv *v, struct perf_error *err);
/* Number of staged changes; perf_repo_write makes no commit when zero. */
size_t perf_txn_changes(const struct perf_txn *txn);

#endif
