/*
 * perf config: perf's settings in git config (perf.*), and the team's
 * program in .perf/config.yaml (--team, a commit, for maintainers).
 */
#include "perf.h"
#include "toolkit.h"

#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "doc.h"
#include "gitconfig.h"
#include "report.h"
#include "schema.h"
#include "value.h"

struct config_args {
	bool global, unset, list, team;
};

#define INTO(member) PERF_OPT_INTO(struct config_args, member)
static const struct perf_opt config_opts[] = {
    {.name = "global", .short_name = 'g', .help = "read or write your global git config (~/.gitconfig)", INTO(global)},
    {.name = "unset", .short_name = 'u', .help = "remove the setting", INTO(unset)},
    {.name = "list", .short_name = 'l', .help = "list every setting, its value and where it comes from", INTO(list)},
    {.name = "team",
     .short_name = 't',
     .help = "the team's program in .perf/config.yaml (changes are commits)",
     INTO(team)},
    {0},
};
#undef INTO

/* The settings perf reads, documented in perf-config(1). */
static const struct {
	const char *key, *about;
	bool multi; /* several values: setting adds one, --unset removes one or all */
} known[] = {
    {"perf.handle", "your handle, when your email does not name you in people/", false},
    {"perf.repo", "the repository perf uses outside any perf repository", false},
    {"perf.editor", "the editor for check-ins, notes and replies", false},
    {"perf.pager", "the pager for long output (empty: none)", false},
    {"perf.remote", "the remote perf sync uses (default: origin)", false},
    {"perf.autosync", "true: run perf sync after every write", false},
    {"perf.work", "a folder or glob of your own repositories, for perf checkin (one a value)", true},
};

static bool is_known(const char *key)
{
	for (size_t i = 0; i < sizeof(known) / sizeof(*known); i++)
		if (!strcmp(known[i].key, key))
			return true;
	return false;
}

static bool is_multi(const char *key)
{
	for (size_t i = 0; i < sizeof(known) / sizeof(*known); i++)
		if (!strcmp(known[i].key, key))
			return known[i].multi;
	return false;
}

/* Every value of a multi-valued key: KEY=VALUE lines, or a JSON array. */
static void print_all(struct perf_gitconfig *cfg, const char *key, bool json, bool named)
{
	struct perf_strv v = PERF_STRV_INIT;

	perf_gitconfig_get_all(cfg, key, &v, NULL);
	if (json)
		fputc('[', stdout);
	for (size_t i = 0; i < v.n; i++) {
		if (json) {
			fputs(i ? ", " : "", stdout);
			perf_json_str(stdout, v.v[i]);
		} else {
			printf("%s%s%s\n", named ? key : "", named ? "=" : "", v.v[i]);
		}
	}
	if (json)
		fputc(']', stdout);
	perf_strv_release(&v);
}

/* ---- perf config --list: every setting, its value and where it comes from ---- */

struct listing {
	const struct perf_ctx *ctx;
	size_t n;
	struct perf_strv team_keys; /* keys .perf/config.yaml sets */
};

static void list_one(struct listing *l, const char *scope, const char *origin, const char *key, const char *value)
{
	if (l->ctx->json) {
		printf("%s{\"key\": ", l->n ? ", " : "");
		perf_json_str(stdout, key);
		printf(", \"value\": ");
		perf_json_str(stdout, value);
		printf(", \"scope\": ");
		perf_json_str(stdout, scope);
		printf(", \"origin\": ");
		perf_json_str(stdout, origin);
		printf("}");
	} else {
		printf("%s\t%s\t%s=%s\n", scope, origin, key, value);
	}
	l->n++;
}

static int list_git(const char *key, const char *value, const char *scope, const char *file, void *payload)
{
	struct perf_buf origin = PERF_BUF_INIT;

	perf_buf_printf(&origin, "file:%s", file);
	list_one(payload, scope, perf_buf_cstr(&origin), key, value);
	perf_buf_release(&origin);
	return 0;
}

/* The team's settings from .perf/config.yaml, one leaf a line: maps as
 * dotted keys, lists of names joined with commas, a list of mappings with
 * a name (groups) under that name. */
static void list_team_node(struct listing *l, struct perf_buf *key, const struct perf_node *n)
{
	size_t base = key->len;

	if (n->type == PERF_NODE_SCALAR) {
		if (strcmp(perf_buf_cstr(key), "kind"))
			list_one(l, "team", "file:" PERF_CONFIG_PATH, perf_buf_cstr(key), n->text);
		perf_strv_push(&l->team_keys, perf_buf_cstr(key));
		return;
	}
	if (n->type == PERF_NODE_MAP) {
		for (size_t i = 0; i < n->n; i++) {
			perf_buf_printf(key, "%s%s", base ? "." : "", n->keys[i]);
			list_team_node(l, key, n->values[i]);
			perf_buf_truncate(key, base);
		}
		return;
	}
	{
		struct perf_buf joined = PERF_BUF_INIT;
		bool scalars = true;
		for (size_t i = 0; i < n->n; i++)
			scalars = scalars && n->values[i]->type == PERF_NODE_SCALAR;
		if (scalars) {
			for (size_t i = 0; i < n->n; i++)
				perf_buf_printf(&joined, "%s%s", i ? "," : "", n->values[i]->text);
			list_one(l, "team", "file:" PERF_CONFIG_PATH, perf_buf_cstr(key), perf_buf_cstr(&joined));
			perf_buf_release(&joined);
			perf_strv_push(&l->team_keys, perf_buf_cstr(key));
			return;
		}
	}
	for (size_t i = 0; i < n->n; i++) {
		const struct perf_node *v = n->values[i];
		const char *name = v->type == PERF_NODE_MAP ? perf_node_str(v, "name") : NULL;
		if (name)
			perf_buf_printf(key, ".%s", name);
		else
			perf_buf_printf(key, ".%zu", i);
		if (v->type == PERF_NODE_MAP) {
			/* Its name is in the key already. */
			size_t at = key->len;
			for (size_t k = 0; k < v->n; k++) {
				if (name && !strcmp(v->keys[k], "name"))
					continue;
				perf_buf_printf(key, ".%s", v->keys[k]);
				list_team_node(l, key, v->values[k]);
				perf_buf_truncate(key, at);
			}
		} else {
			list_team_node(l, key, v);
		}
		perf_buf_truncate(key, base);
	}
}

/* What perf uses when .perf/config.yaml does not say (lib/team/config.c decides). */
static void list_team_defaults(struct listing *l, const struct perf_config *cfg)
{
	char agreement[32];
	const struct {
		const char *key, *value;
	} used[] = {
	    {"cadences.checkin", cfg->checkin_cadence},
	    {"cadences.share", cfg->share_cadence},
	    {"agreement", agreement},
	    {"signing_required", cfg->signing_required ? "true" : "false"},
	};

	if (cfg->agreement == PERF_AGREE_COUNT)
		snprintf(agreement, sizeof(agreement), "%ld", cfg->agreement_count);
	else
		snprintf(agreement, sizeof(agreement), "%s", cfg->agreement == PERF_AGREE_ALL ? "all" : "majority");
	for (size_t i = 0; i < sizeof(used) / sizeof(*used); i++)
		if (!perf_strv_has(&l->team_keys, used[i].key))
			list_one(l, "team", "default", used[i].key, used[i].value);
}

static int run_list(struct perf_ctx *ctx, struct perf_gitconfig *git, bool global)
{
	struct listing l = {ctx, 0, PERF_STRV_INIT};
	struct perf_buf key = PERF_BUF_INIT;
	struct perf_config *cfg = NULL;
	struct perf_error err;
	int rc = PERF_EXIT_OK;

	perf_error_clear(&err);
	if (ctx->json)
		printf("[");
	if (perf_gitconfig_each(git, "perf.", list_git, &l, &err)) {
		rc = perf_fail(&err);
		goto out;
	}
	if (!global && ctx->repo) {
		int r = perf_config_load(ctx->repo, NULL, &cfg, &err);
		if (r && r != PERF_ENOTFOUND) {
			rc = perf_fail(&err);
			goto out;
		}
		if (cfg) {
			list_team_node(&l, &key, perf_doc_root(cfg->doc));
			list_team_defaults(&l, cfg);
		}
	}
out:
	if (ctx->json)
		printf("]\n");
	perf_buf_release(&key);
	perf_strv_release(&l.team_keys);
	perf_config_free(cfg);
	return rc;
}

struct team_set {
	const char *me, *key, *value;
	bool unset;
};

static int team_txn(struct perf_txn *txn, void *payload, struct perf_error *err)
{
	struct team_set *t = payload;
	struct perf_config *cfg = NULL;
	long n;
	bool b;
	int rc;

	if ((rc = perf_config_load(perf_txn_repo(txn), txn, &cfg, err)))
		return rc;
	if (cfg->maintainers.n && !perf_config_is_maintainer(cfg, t->me)) {
		rc = perf_error(err, PERF_EPERM,
		                "only the team's maintainers change .perf/config.yaml; propose the change as a norm "
		                "('perf norm propose TITLE --set %s=%s')",
		                t->key, t->value ? t->value : "...");
		goto out;
	}
	if (t->unset)
		rc = perf_doc_remove(cfg->doc, t->key, err);
	else if (perf_value_parse_int(t->value, &n, NULL) == 0 || perf_value_parse_bool(t->value, &b, NULL) == 0 ||
	         !perf_doc_needs_quotes(t->value))
		rc = perf_doc_set_raw(cfg->doc, t->key, t->value, err);
	else
		rc = perf_doc_set_str(cfg->doc, t->key, t->value, err);
	if (!rc)
		rc = perf_put_config(txn, cfg, err, "config: %s set %s", t->me, t->key);
out:
	perf_config_free(cfg);
	return rc;
}

/* perf --json config --team [KEY]: the program's fields, or KEY's value, as
 * JSON typed by the config kind's schema (exit 1, no output, when KEY is
 * not set). */
static int team_json(struct perf_ctx *ctx, const char *key)
{
	const struct perf_schema_kind *kind = perf_schema_kind("config");
	struct perf_config *cfg = NULL;
	struct perf_error err;
	const struct perf_node *n;

	perf_error_clear(&err);
	if (perf_config_load(ctx->repo, NULL, &cfg, &err))
		return perf_fail(&err);
	if (!key) {
		perf_report_fields_json(stdout, kind, perf_doc_root(cfg->doc));
	} else if ((n = perf_doc_get(cfg->doc, key))) {
		perf_report_node_json(stdout, n, strchr(key, '.') ? NULL : perf_schema_field(kind, key));
	} else {
		perf_config_free(cfg);
		return PERF_EXIT_FAIL;
	}
	putchar('\n');
	perf_config_free(cfg);
	return PERF_EXIT_OK;
}

static int run_team(struct perf_ctx *ctx, int argc, char **argv, bool unset)
{
	struct perf_error err;
	struct team_set t = {NULL, NULL, NULL, unset};
	bool committed = false;

	perf_error_clear(&err);
	if (!ctx->repo && perf_repo_open(&ctx->repo, ctx->dir, &err))
		return perf_fail(&err);
	perf_repo_set_notice(ctx->repo, perf_print_notice, NULL);
	if (ctx->json && argc <= 1 && !unset)
		return team_json(ctx, argc ? argv[0] : NULL);
	if (argc == 0) {
		struct perf_buf b = PERF_BUF_INIT;
		if (perf_repo_read(ctx->repo, PERF_CONFIG_PATH, &b, &err))
			return perf_fail(&err);
		fwrite(b.ptr, 1, b.len, stdout);
		perf_buf_release(&b);
		return PERF_EXIT_OK;
	}
	if (argc == 1 && !unset) {
		struct perf_config *cfg = NULL;
		const struct perf_node *n;
		if (perf_config_load(ctx->repo, NULL, &cfg, &err))
			return perf_fail(&err);
		n = perf_doc_get(cfg->doc, argv[0]);
		if (!n) {
			perf_config_free(cfg);
			return PERF_EXIT_FAIL;
		}
		if (n->type == PERF_NODE_SCALAR) {
			printf("%s\n", n->text);
		} else {
			/* Collections: as flow YAML-ish text, one item a line. */
			for (size_t i = 0; i < n->n; i++) {
				const struct perf_node *v = n->values[i];
				if (n->type == PERF_NODE_MAP)
					printf("%s: %s\n", n->keys[i], v->type == PERF_NODE_SCALAR ? v->text : "...");
				else
					printf("%s\n", v->type == PERF_NODE_SCALAR ? v->text : "...");
			}
		}
		perf_config_free(cfg);
		return PERF_EXIT_OK;
	}
	if ((unset && argc != 1) || (!unset && argc != 2))
		return perf_usage_error(ctx->cmd, "give KEY VALUE (or --unset KEY)");
	t.key = argv[0];
	t.value = unset ? NULL : argv[1];
	if (t.value && strchr(t.value, '\n'))
		return perf_usage_error(ctx->cmd, "the value must be one line");
	if (perf_repo_require_handle(ctx->repo, &t.me, &err))
		return perf_fail(&err);
	perf_note_repo(ctx);
	if (perf_repo_write(ctx->repo, team_txn, &t, &committed, &err))
		return perf_fail(&err);
	if (!committed)
		printf("%s unchanged\n", t.key);
	else
		printf("config: %s %s\n", t.key, unset ? "removed" : t.value);
	return PERF_EXIT_OK;
}

static int run_config(struct perf_ctx *ctx, int argc, char **argv)
{
	struct perf_optstate st;
	struct perf_error err;
	struct perf_gitconfig *cfg = NULL;
	struct config_args a = {0};
	int rc;

	if ((rc = perf_opt_parse(&st, ctx, argc, argv, &a, NULL)) != 0)
		return rc;
	perf_error_clear(&err);
	argc -= st.index;
	argv += st.index;
	if (a.team)
		return run_team(ctx, argc, argv, a.unset);
	/* Outside a repository git config still works; the repository's is used when there is one. */
	if (!a.global && !ctx->repo && perf_repo_open(&ctx->repo, ctx->dir, NULL) == 0)
		perf_repo_set_notice(ctx->repo, perf_print_notice, NULL);
	if (perf_gitconfig_open(&cfg, ctx->repo, a.global, &err))
		return perf_fail(&err);
	if (a.list) {
		if (argc)
			rc = perf_usage_error(ctx->cmd, "--list takes no KEY");
		else
			rc = run_list(ctx, cfg, a.global);
		goto out;
	}
	if (argc == 0) {
		if (perf_gitconfig_read(cfg, &err)) {
			rc = perf_fail(&err);
			goto out;
		}
		if (ctx->json)
			printf("{");
		for (size_t i = 0; i < sizeof(known) / sizeof(*known); i++) {
			char *v = NULL;
			if (known[i].multi) {
				if (ctx->json)
					printf("%s\"%s\": ", i ? ", " : "", known[i].key);
				print_all(cfg, known[i].key, ctx->json, true);
				continue;
			}
			perf_gitconfig_get(cfg, known[i].key, &v, NULL);
			if (ctx->json) {
				printf("%s\"%s\": ", i ? ", " : "", known[i].key);
				perf_json_str(stdout, v);
			} else if (v) {
				printf("%s=%s\n", known[i].key, v);
			}
			free(v);
		}
		if (ctx->json)
			printf("}\n");
		goto out;
	}
	if (argc > 2 || (a.unset && argc != 1 && !(argc == 2 && is_multi(argv[0]))))
		return perf_usage_error(ctx->cmd, "give KEY [VALUE] (or --unset KEY)");
	if (strncmp(argv[0], "perf.", 5)) {
		rc = perf_usage_error(ctx->cmd,
		                      "'%s' is not a perf setting: they start with 'perf.' (see perf-config(1)); "
		                      "the team's program is 'perf config --team'",
		                      argv[0]);
		goto out;
	}
	if (!is_known(argv[0]))
		fprintf(stderr, "perf: warning: perf does not read '%s' (see perf-config(1))\n", argv[0]);
	if (a.unset && is_multi(argv[0])) {
		if (perf_gitconfig_unset_all(cfg, argv[0], argc == 2 ? argv[1] : NULL, &err))
			rc = perf_fail(&err);
	} else if (a.unset) {
		if (perf_gitconfig_unset(cfg, argv[0], &err))
			rc = perf_fail(&err);
	} else if (argc == 2 && is_multi(argv[0])) {
		if (perf_gitconfig_add(cfg, argv[0], argv[1], &err))
			rc = perf_fail(&err);
	} else if (argc == 1 && is_multi(argv[0])) {
		struct perf_strv v = PERF_STRV_INIT;
		if (perf_gitconfig_get_all(cfg, argv[0], &v, &err))
			rc = perf_fail(&err);
		else if (!v.n)
			rc = PERF_EXIT_FAIL; /* as git config: unset is exit 1, quietly */
		perf_strv_release(&v);
		if (rc == PERF_EXIT_OK)
			print_all(cfg, argv[0], false, false);
	} else if (argc == 2) {
		if (!strcmp(argv[0], "perf.handle") && perf_value_check_handle(argv[1], "perf.handle", &err)) {
			rc = perf_usage_error(ctx->cmd, "%s", err.msg);
			goto out;
		}
		if (perf_gitconfig_set(cfg, argv[0], argv[1], &err))
			rc = perf_fail(&err);
	} else {
		char *v = NULL;
		if (perf_gitconfig_get(cfg, argv[0], &v, NULL) == 0)
			printf("%s\n", v);
		else
			rc = PERF_EXIT_FAIL; /* as git config: unset is exit 1, quietly */
		free(v);
	}
out:
	perf_gitconfig_free(cfg);
	return rc;
}

const struct perf_cmd perf_cmd_config = {
    .group = PERF_GROUP_START,
    .name = "config",
    .usage = "[--global] [KEY [VALUE]] [--unset KEY [VALUE]] [--list]\n   or: perf config --team [KEY [VALUE]] "
             "[--unset KEY]",
    .summary = "read and set perf's settings and the team's program",
    .opts = config_opts,
    .flags = PERF_CMD_READS,
    .run = run_config,
};
