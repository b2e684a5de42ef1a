/*
 * lib/cache: entries put in one run are read back in the next, byte for
 * byte, by id and type; a file that is missing, damaged or of another
 * version reads as empty and is replaced on save; unused entries are kept
 * until they outnumber the used ones; a cache with nothing new is not
 * rewritten; two writers at once leave a whole file.
 */
#include <git2.h>
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include "cache.h"
#include "fixture.h"
#include "repo.h"
#include "tap.h"

#define MANY 3000

static struct perf_repo *repo;
static char cache_dir[1024], cache_file[1100];

static void id_of(git_oid *id, const char *what, int n)
{
	char text[64];
	int len = snprintf(text, sizeof(text), "%s %d", what, n);

	git_odb_hash(id, text, (size_t)len, GIT_OBJECT_BLOB);
}

static struct perf_cache *open_cache(void)
{
	struct perf_cache *c = NULL;
	struct perf_error err = {0};

	if (perf_cache_open(&c, repo, &err))
		printf("# perf_cache_open: %s\n", err.msg);
	return c;
}

/* Whether (id, type) holds exactly data. */
static bool holds(struct perf_cache *c, const git_oid *id, unsigned type, const char *data, size_t len)
{
	size_t got = 0;
	const unsigned char *p = perf_cache_get(c, id, type, &got);

	return p && got == len && !memcmp(p, data, len);
}

/* Entries "entry N" 0..n-1 of type 1, each holding "value N". */
static void put_many(struct perf_cache *c, const char *what, int n)
{
	for (int i = 0; i < n; i++) {
		git_oid id;
		char v[64];
		int len = snprintf(v, sizeof(v), "value %d", i);
		id_of(&id, what, i);
		perf_cache_put(c, &id, 1, v, (size_t)len);
	}
}

static int count_held(struct perf_cache *c, const char *what, int n)
{
	int held = 0;

	for (int i = 0; i < n; i++) {
		git_oid id;
		char v[64];
		int len = snprintf(v, sizeof(v), "value %d", i);
		id_of(&id, what, i);
		held += holds(c, &id, 1, v, (size_t)len);
	}
	return held;
}

static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *b = NULL;
	long n;

	*len = 0;
	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (b = malloc((size_t)n + 1)) && fread(b, 1, (size_t)n, f) == (size_t)n)
		*len = (size_t)n;
	fclose(f);
	return b;
}

static void spill(const char *path, const unsigned char *b, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (f) {
		fwrite(b, 1, len, f);
		fclose(f);
	}
}

/* Spoils the cache file one way, as tests/lib.sh's damage does. */
static void damage(const unsigned char *good, size_t len, const char *how)
{
	unsigned char *b = malloc(len + 16);
	size_t n = len;

	memcpy(b, good, len);
	if (!strcmp(how, "truncated"))
		n = len / 2;
	else if (!strcmp(how, "empty"))
		n = 0;
	else if (!strcmp(how, "garbage"))
		for (size_t i = 0; i < len; i++)
			b[i] = (unsigned char)(i * 131 + 7);
	else if (!strcmp(how, "flipped"))
		b[len / 2] ^= 0x40;
	else if (!strcmp(how, "flipped-bytes"))
		b[len - 5] ^= 0x40; /* the last entry's bytes: only the checksum tells */
	else if (!strcmp(how, "appended")) {
		memcpy(b + len, "more bytes", 10);
		n = len + 10;
	} else if (!strcmp(how, "version")) {
		/* Another layout version, with a checksum that holds. */
		perf_put_le32(b + 8, PERF_CACHE_VERSION + 1);
		perf_put_le32(b + len - 4, (uint32_t)crc32(0L, b, (uInt)(len - 4)));
	}
	spill(cache_file, b, n);
	free(b);
}

/* Files in .git/perf/cache other than the caches themselves (temporary files left behind). */
static int strays(void)
{
	DIR *d = opendir(cache_dir);
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.' && strcmp(e->d_name, PERF_CACHE_NAME) && strcmp(e->d_name, "other-v2"))
			n++;
	closedir(d);
	return n;
}

int main(void)
{
	struct perf_file files[] = {{".perf/config.yaml", "kind: config\nformat: 1\n", 23}};
	struct perf_error err = {0};
	struct perf_cache *c, *c2;
	char dir[1024], big[5000];
	git_oid a, b, t;
	size_t hits, added, len, glen;
	unsigned char *good;
	struct stat st1, st2;
	int rc;

	if (fixture_init("cache"))
		return 1;
	snprintf(dir, sizeof(dir), "%s/team", fixture_root);
	rc = perf_repo_init(&repo, dir, files, 1, "init: cache fixture", NULL, NULL, &err);
	is_int(rc, 0, "a repository to keep the cache in (%s)", rc ? err.msg : "");
	if (rc)
		return tap_done();
	snprintf(cache_dir, sizeof(cache_dir), "%sperf/cache", perf_repo_gitdir(repo));
	snprintf(cache_file, sizeof(cache_file), "%s/%s", cache_dir, PERF_CACHE_NAME);
	fixture_sh("rm -rf '%sperf'", perf_repo_gitdir(repo));

	/* One run: what is put is there at once. */
	id_of(&a, "a", 0);
	id_of(&b, "b", 0);
	id_of(&t, "tree", 0);
	memset(big, 'x', sizeof(big));
	c = open_cache();
	ok(c != NULL, "a cache opens where there is no file");
	ok(!perf_cache_get(c, &a, 1, &len), "an empty cache has nothing");
	{
		char text[] = "alpha";
		ok(perf_cache_put(c, &a, 1, text, 5) != NULL, "put returns the cache's copy");
		text[0] = 'X';
		ok(holds(c, &a, 1, "alpha", 5), "the bytes were copied: changing the caller's changes nothing");
	}
	perf_cache_put(c, &a, 2, "beta", 4);
	perf_cache_put(c, &t, PERF_CACHE_TREE, "", 0);
	perf_cache_put(c, &b, 254, big, sizeof(big));
	ok(holds(c, &a, 2, "beta", 4), "the same id with another type is another entry");
	ok(holds(c, &t, PERF_CACHE_TREE, "", 0), "an entry of no bytes is there, empty");
	ok(!perf_cache_get(c, &b, 1, &len), "an id put under one type is not found under another");
	put_many(c, "entry", MANY);
	is_int(count_held(c, "entry", MANY), MANY, "%d more entries, all there", MANY);
	perf_cache_stats(c, &hits, &added);
	is_int(added, MANY + 4, "stats count what was added");
	perf_cache_save(c);
	perf_cache_free(c);
	ok(stat(cache_file, &st1) == 0, "saving made .git/perf/cache/%s (and the folders above it)", PERF_CACHE_NAME);
	is_int(strays(), 0, "no temporary file left beside it");

	/* The next run reads what the last one saved. */
	c = open_cache();
	ok(holds(c, &a, 1, "alpha", 5) && holds(c, &a, 2, "beta", 4), "the next run reads both types of one id");
	ok(holds(c, &t, PERF_CACHE_TREE, "", 0), "... the empty entry");
	ok(holds(c, &b, 254, big, sizeof(big)), "... the entry of %zu bytes", sizeof(big));
	is_int(count_held(c, "entry", MANY), MANY, "... and the %d others", MANY);
	{
		git_oid none;
		id_of(&none, "never put", 0);
		ok(!perf_cache_get(c, &none, 1, &len), "an id never put is not found");
	}
	perf_cache_stats(c, &hits, &added);
	ok(hits == MANY + 4 && added == 0, "stats: %zu found, %zu added", hits, added);
	/* Every entry was used and none added: the file is left as it is. */
	perf_cache_save(c);
	perf_cache_free(c);
	ok(stat(cache_file, &st2) == 0 && st1.st_ino == st2.st_ino, "a run that added nothing does not rewrite it");

	/* Another file of the same layout is another cache. */
	{
		struct perf_cache *o = NULL;
		rc = perf_cache_open_named(&o, repo, "other-v2", &err);
		is_int(rc, 0, "a named cache opens");
		ok(o && !perf_cache_get(o, &a, 1, &len), "it does not see fm-v2's entries");
		perf_cache_put(o, &a, 1, "other", 5);
		perf_cache_save(o);
		perf_cache_free(o);
		perf_cache_open_named(&o, repo, "other-v2", &err);
		ok(o && holds(o, &a, 1, "other", 5), "and keeps its own");
		perf_cache_free(o);
		c = open_cache();
		ok(holds(c, &a, 1, "alpha", 5), "fm-v2 still has its value for the same key");
		perf_cache_free(c);
	}

	/* Unused entries stay while they do not outnumber the used ones. */
	c = open_cache();
	count_held(c, "entry", MANY / 2 + 10); /* uses a little over half */
	perf_cache_put(c, &a, 3, "new", 3);
	perf_cache_save(c);
	perf_cache_free(c);
	c = open_cache();
	ok(count_held(c, "entry", MANY) == MANY && holds(c, &a, 3, "new", 3) && holds(c, &a, 1, "alpha", 5),
	   "with half in use, the unused entries are kept beside the new one");
	perf_cache_free(c);
	/* A run that reads only part of the cache (a team of one) prunes nothing. */
	c = open_cache();
	count_held(c, "entry", 10);
	perf_cache_keep_unused(c);
	perf_cache_put(c, &a, 5, "kept", 4);
	perf_cache_save(c);
	perf_cache_free(c);
	c = open_cache();
	ok(count_held(c, "entry", MANY) == MANY && holds(c, &a, 5, "kept", 4) && holds(c, &a, 3, "new", 3),
	   "a run reading only part of the cache keeps the unused entries");
	perf_cache_free(c);
	c = open_cache();
	count_held(c, "entry", 10);
	perf_cache_put(c, &a, 4, "newer", 5);
	perf_cache_save(c);
	perf_cache_free(c);
	c = open_cache();
	ok(count_held(c, "entry", 10) == 10 && holds(c, &a, 4, "newer", 5), "used and new entries are kept");
	ok(count_held(c, "entry", MANY) == 10 && !perf_cache_get(c, &a, 1, &len),
	   "when the unused outnumber them, the unused are dropped");
	perf_cache_free(c);

	/* A damaged file reads as empty and is replaced on save. */
	c = open_cache();
	count_held(c, "entry", 10);
	perf_cache_save(c);
	perf_cache_free(c);
	good = slurp(cache_file, &glen);
	ok(good && glen > 0, "a good file of %zu bytes to spoil", glen);
	{
		static const char *const hows[] = {"truncated",     "empty",    "garbage", "flipped",
		                                   "flipped-bytes", "appended", "version"};
		for (size_t i = 0; good && i < sizeof(hows) / sizeof(*hows); i++) {
			git_oid id;
			damage(good, glen, hows[i]);
			c = open_cache();
			ok(c != NULL, "%s: the cache still opens", hows[i]);
			if (!c)
				continue;
			ok(count_held(c, "entry", 10) == 0, "%s: it reads as empty", hows[i]);
			id_of(&id, hows[i], 0);
			perf_cache_put(c, &id, 1, hows[i], strlen(hows[i]));
			perf_cache_save(c);
			perf_cache_free(c);
			c = open_cache();
			ok(holds(c, &id, 1, hows[i], strlen(hows[i])), "%s: saving replaced it with a good file",
			   hows[i]);
			perf_cache_free(c);
		}
	}
	free(good);

	/* Two writers at once: both save, the last rename wins, the file is whole. */
	c = open_cache();
	c2 = open_cache();
	id_of(&a, "first writer", 0);
	id_of(&b, "second writer", 0);
	perf_cache_put(c, &a, 1, "one", 3);
	perf_cache_put(c2, &b, 1, "two", 3);
	perf_cache_save(c);
	perf_cache_save(c2);
	perf_cache_free(c);
	perf_cache_free(c2);
	c = open_cache();
	ok(holds(c, &b, 1, "two", 3), "after two saves at once the last writer's entry is read");
	perf_cache_free(c);
	is_int(strays(), 0, "no temporary file left behind");

	/* A file perf cannot read: the cache is an aid, so it opens empty. */
	fixture_sh("rm -f '%s' && mkdir '%s'", cache_file, cache_file);
	c = open_cache();
	ok(c && !perf_cache_get(c, &b, 1, &len), "a folder in the file's place reads as empty");
	perf_cache_put(c, &b, 1, "two", 3);
	perf_cache_save(c);
	perf_cache_free(c);
	ok(stat(cache_file, &st1) == 0 && S_ISDIR(st1.st_mode), "saving over it fails quietly");

	perf_repo_free(repo);
	fixture_done();
	return tap_done();
}
