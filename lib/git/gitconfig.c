#include "gitconfig.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "buf.h"
#include "repo.h"
#include "repo-internal.h"

struct perf_gitconfig {
	git_config *cfg;
	git_config *snap; /* taken at the first read */
	char *local;      /* the repository's config file, or NULL */
};

int perf_gitconfig_open(struct perf_gitconfig **out, struct perf_repo *repo, bool global, struct perf_error *err)
{
	struct perf_gitconfig *c;
	git_config *cfg = NULL;

	*out = NULL;
	if (global || !repo) {
		if (git_config_open_default(&cfg) < 0)
			return perf_error_git(err, "cannot open your git config");
		if (global) {
			git_config *level = NULL;
			int r = git_config_open_level(&level, cfg, GIT_CONFIG_LEVEL_GLOBAL);
			git_config_free(cfg);
			if (r < 0)
				return perf_error_git(err, "cannot open your global git config");
			cfg = level;
		}
	} else if (git_repository_config(&cfg, repo->git) < 0) {
		return perf_error_git(err, "cannot open the repository's git config");
	}
	if (!(c = calloc(1, sizeof(*c)))) {
		git_config_free(cfg);
		return perf_error(err, PERF_ENOMEM, "out of memory");
	}
	c->cfg = cfg;
	if (repo && !global) {
		const char *gd = git_repository_path(repo->git);
		size_t n = strlen(gd) + sizeof("config");
		if ((c->local = malloc(n)))
			snprintf(c->local, n, "%sconfig", gd);
	}
	*out = c;
	return 0;
}

void perf_gitconfig_free(struct perf_gitconfig *c)
{
	if (!c)
		return;
	git_config_free(c->snap);
	git_config_free(c->cfg);
	free(c->local);
	free(c);
}

int perf_gitconfig_read(struct perf_gitconfig *c, struct perf_error *err)
{
	if (!c->snap && git_config_snapshot(&c->snap, c->cfg) < 0)
		return perf_error_git(err, "cannot read git config");
	return 0;
}

int perf_gitconfig_get(struct perf_gitconfig *c, const char *key, char **out, struct perf_error *err)
{
	git_buf v = {0};
	int rc;

	*out = NULL;
	if ((rc = perf_gitconfig_read(c, err)))
		return rc;
	if (git_config_get_string_buf(&v, c->snap, key) < 0) {
		git_error_clear();
		return perf_error(err, PERF_ENOTFOUND, "'%s' is not set", key);
	}
	*out = strdup(v.ptr);
	rc = *out ? 0 : perf_error(err, PERF_ENOMEM, "out of memory");
	git_buf_dispose(&v);
	return rc;
}

int perf_gitconfig_set(struct perf_gitconfig *c, const char *key, const char *value, struct perf_error *err)
{
	if (git_config_set_string(c->cfg, key, value) < 0)
		return perf_error_git(err, "cannot set '%s'", key);
	return 0;
}

int perf_gitconfig_unset(struct perf_gitconfig *c, const char *key, struct perf_error *err)
{
	if (git_config_delete_entry(c->cfg, key) < 0)
		return perf_error_git(err, "cannot remove '%s'", key);
	return 0;
}

struct all {
	struct perf_strv *out;
	const char *value; /* found when set */
	bool found, nomem;
};

static int each_value(const git_config_entry *e, void *payload)
{
	struct all *a = payload;

	if (a->value) {
		a->found |= !strcmp(e->value, a->value);
		return 0;
	}
	if (perf_strv_push(a->out, e->value)) {
		a->nomem = true;
		return 1;
	}
	return 0;
}

int perf_gitconfig_get_all(struct perf_gitconfig *c, const char *key, struct perf_strv *out, struct perf_error *err)
{
	struct all a = {out, NULL, false, false};
	int rc, r;

	if ((rc = perf_gitconfig_read(c, err)))
		return rc;
	r = git_config_get_multivar_foreach(c->snap, key, NULL, each_value, &a);
	if (a.nomem)
		return perf_error(err, PERF_ENOMEM, "out of memory");
	if (r < 0 && r != GIT_ENOTFOUND)
		return perf_error_git(err, "cannot read '%s'", key);
	git_error_clear();
	return 0;
}

/* A regular expression that matches exactly s. */
static int exact_regex(struct perf_buf *out, const char *s)
{
	int rc = perf_buf_putc(out, '^');
	for (; *s && !rc; s++)
		rc = (strchr("\\^$.|?*+()[]{}", *s) && perf_buf_putc(out, '\\')) || perf_buf_putc(out, *s);
	return rc || perf_buf_putc(out, '$');
}

int perf_gitconfig_add(struct perf_gitconfig *c, const char *key, const char *value, struct perf_error *err)
{
	struct all a = {NULL, value, false, false};
	int r = git_config_get_multivar_foreach(c->cfg, key, NULL, each_value, &a);

	if (r < 0 && r != GIT_ENOTFOUND)
		return perf_error_git(err, "cannot read '%s'", key);
	git_error_clear();
	if (a.found)
		return 0;
	/* A pattern no value matches: git_config_set_multivar then adds one. */
	if (git_config_set_multivar(c->cfg, key, "^$.", value) < 0)
		return perf_error_git(err, "cannot add to '%s'", key);
	return 0;
}

int perf_gitconfig_unset_all(struct perf_gitconfig *c, const char *key, const char *value, struct perf_error *err)
{
	struct perf_buf re = PERF_BUF_INIT;
	int r;

	if (value && exact_regex(&re, value)) {
		perf_buf_release(&re);
		return perf_error(err, PERF_ENOMEM, "out of memory");
	}
	r = git_config_delete_multivar(c->cfg, key, value ? perf_buf_cstr(&re) : ".*");
	perf_buf_release(&re);
	if (r == GIT_ENOTFOUND) {
		git_error_clear();
		return perf_error(err, PERF_ENOTFOUND, value ? "'%s' has no value '%s'" : "'%s' is not set", key,
		                  value ? value : "");
	}
	if (r < 0)
		return perf_error_git(err, "cannot remove '%s'", key);
	return 0;
}

int perf_gitconfig_set_user(const char *key, const char *value, struct perf_error *err)
{
	git_config *cfg = NULL;
	int rc = 0;

	if (git_config_open_default(&cfg) < 0 || git_config_set_string(cfg, key, value) < 0)
		rc = perf_error_git(err, "cannot set git config %s", key);
	git_config_free(cfg);
	return rc;
}

static const char *scope_name(git_config_level_t level)
{
	switch (level) {
	case GIT_CONFIG_LEVEL_LOCAL:
		return "local";
	case GIT_CONFIG_LEVEL_GLOBAL:
		return "global";
	case GIT_CONFIG_LEVEL_XDG:
		return "xdg";
	case GIT_CONFIG_LEVEL_SYSTEM:
	case GIT_CONFIG_LEVEL_PROGRAMDATA:
		return "system";
	default:
		return "app";
	}
}

int perf_gitconfig_each(struct perf_gitconfig *c, const char *prefix, perf_gitconfig_fn fn, void *payload,
                        struct perf_error *err)
{
	git_config_iterator *it = NULL;
	git_config_entry *e;
	git_buf file = GIT_BUF_INIT;
	size_t n = strlen(prefix);
	int rc = 0, r = 0;

	if ((rc = perf_gitconfig_read(c, err)))
		return rc;
	if (git_config_iterator_new(&it, c->snap) < 0)
		return perf_error_git(err, "cannot read git config");
	while (!rc && (r = git_config_next(&e, it)) == 0) {
		const char *path = "";
		if (strncmp(e->name, prefix, n))
			continue;
		git_buf_dispose(&file);
		if (e->level == GIT_CONFIG_LEVEL_LOCAL && c->local)
			path = c->local;
		else if ((e->level == GIT_CONFIG_LEVEL_GLOBAL && git_config_find_global(&file) == 0) ||
		         (e->level == GIT_CONFIG_LEVEL_XDG && git_config_find_xdg(&file) == 0) ||
		         (e->level == GIT_CONFIG_LEVEL_SYSTEM && git_config_find_system(&file) == 0))
			path = file.ptr;
		rc = fn(e->name, e->value ? e->value : "", scope_name(e->level), path, payload);
	}
	if (!rc && r != GIT_ITEROVER)
		rc = perf_error_git(err, "cannot read git config");
	git_buf_dispose(&file);
	git_config_iterator_free(it);
	return rc;
}
