/*
 * perf's settings in git config (perf.*): the user's config, their global
 * file alone, or a repository's (which includes the user's).
 *
 * A struct perf_gitconfig is the caller's (perf_gitconfig_free, NULL-safe)
 * and borrows nothing.  Strings returned through char ** are the caller's
 * to free.
 */
#ifndef PERF_GITCONFIG_H
#define PERF_GITCONFIG_H

#include <stdbool.h>

#include "error.h"
#include "strv.h"

struct perf_repo;
struct perf_gitconfig;

/* Opens repo's git config, or with repo NULL the user's (global, XDG and
 * system files), or with global only the user's global file. */
int perf_gitconfig_open(struct perf_gitconfig **out, struct perf_repo *repo, bool global, struct perf_error *err);
void perf_gitconfig_free(struct perf_gitconfig *c);

/* Takes the snapshot that reads see ("cannot read git config"); the
 * first read takes it when this was not called. */
int perf_gitconfig_read(struct perf_gitconfig *c, struct perf_error *err);
/* The value of key in the snapshot: 0 with *out set, PERF_ENOTFOUND when
 * unset or unreadable. */
int perf_gitconfig_get(struct perf_gitconfig *c, const char *key, char **out, struct perf_error *err);
int perf_gitconfig_set(struct perf_gitconfig *c, const char *key, const char *value, struct perf_error *err);
int perf_gitconfig_unset(struct perf_gitconfig *c, const char *key, struct perf_error *err);

/* Keys with several values (perf.work): every value, in the order git
 * reads its files, appended to out (none when unset). */
int perf_gitconfig_get_all(struct perf_gitconfig *c, const char *key, struct perf_strv *out, struct perf_error *err);
/* Adds value to key, as `git config --add`, unless key has it already. */
int perf_gitconfig_add(struct perf_gitconfig *c, const char *key, const char *value, struct perf_error *err);
/* Removes key's values: all of them with value NULL, else the one equal to value (PERF_ENOTFOUND when none is). */
int perf_gitconfig_unset_all(struct perf_gitconfig *c, const char *key, const char *value, struct perf_error *err);
/* Calls fn for each entry whose name starts with prefix, in the order git
 * reads them (a later one of a name wins), with where it came from: scope
 * "local", "global", "xdg", "system" or "app", and that file's
 * path ("" when unknown).  fn returns non-zero to stop; that is returned. */
typedef int (*perf_gitconfig_fn)(const char *key, const char *value, const char *scope, const char *file,
                                 void *payload);
int perf_gitconfig_each(struct perf_gitconfig *c, const char *prefix, perf_gitconfig_fn fn, void *payload,
                        struct perf_error *err);

/* Sets key in the user's git config (as `git config --global` would pick
 * the file). */
int perf_gitconfig_set_user(const char *key, const char *value, struct perf_error *err);

#endif
