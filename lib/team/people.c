#include "people.h"

#include <git2.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Parses the blob id names as a person's document; NULL when it is not one.
 * A padded blob is never inflated: its header gives its size. */
static struct perf_doc *person_doc(git_repository *g, const char *handle, const git_oid *id)
{
	char name[PERF_HANDLE_MAX + 16];
	struct perf_doc *doc = NULL;
	git_odb *odb = NULL;
	git_blob *blob = NULL;
	git_object_t type;
	size_t size;

	if (git_repository_odb(&odb, g) == 0 && git_odb_read_header(&size, &type, odb, id) == 0 &&
	    type == GIT_OBJECT_BLOB && size <= PERF_DOC_MAX_FILE && git_blob_lookup(&blob, g, id) == 0) {
		snprintf(name, sizeof(name), "people/%s.md", handle);
		if (perf_doc_parse(&doc, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob), name, NULL))
			doc = NULL;
	}
	git_blob_free(blob);
	git_odb_free(odb);
	git_error_clear();
	return doc;
}

/* The handle a file name people/<name> stands for, into out; false when none. */
static bool handle_from_name(const char *name, char out[PERF_HANDLE_MAX + 1])
{
	size_t n = strlen(name);

	if (n < 4 || n - 3 > PERF_HANDLE_MAX || strcmp(name + n - 3, ".md"))
		return false;
	memcpy(out, name, n - 3);
	out[n - 3] = '\0';
	return perf_value_is_handle(out);
}

/* Most people's handle is their email's local part, lowercased: out, when that is a handle. */
static bool local_part(const char *email, char out[PERF_HANDLE_MAX + 1])
{
	const char *at = strchr(email, '@');
	size_t n = at ? (size_t)(at - email) : 0;

	if (n == 0 || n > PERF_HANDLE_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		out[i] = email[i] >= 'A' && email[i] <= 'Z' ? (char)(email[i] - 'A' + 'a') : email[i];
	out[n] = '\0';
	return perf_value_is_handle(out);
}

static bool has_email(const struct perf_doc *doc, const char *email)
{
	const char *e = perf_doc_str(doc, "email");

	return e && !strcasecmp(e, email);
}

int perf_people_each(git_repository *g, git_tree *tree, perf_people_fn fn, void *payload, struct perf_error *err)
{
	git_tree_entry *e = NULL;
	git_tree *people = NULL;
	int rc = 0;

	if (!tree || git_tree_entry_bypath(&e, tree, "people") < 0 || git_tree_entry_type(e) != GIT_OBJECT_TREE) {
		git_tree_entry_free(e);
		git_error_clear();
		return 0;
	}
	if (git_tree_lookup(&people, g, git_tree_entry_id(e)) < 0) {
		git_tree_entry_free(e);
		return perf_error_git(err, "cannot read people/");
	}
	for (size_t i = 0; i < git_tree_entrycount(people) && !rc; i++) {
		const git_tree_entry *te = git_tree_entry_byindex(people, i);
		char handle[PERF_HANDLE_MAX + 1];
		struct perf_doc *doc;

		if (git_tree_entry_type(te) != GIT_OBJECT_BLOB || !handle_from_name(git_tree_entry_name(te), handle) ||
		    !(doc = person_doc(g, handle, git_tree_entry_id(te))))
			continue;
		rc = fn(handle, doc, payload);
		perf_doc_free(doc);
	}
	git_tree_free(people);
	git_tree_entry_free(e);
	return rc;
}

struct search {
	const char *email;
	char *out;
};

static int search_email(const char *handle, const struct perf_doc *doc, void *payload)
{
	struct search *s = payload;

	if (!has_email(doc, s->email))
		return 0;
	memcpy(s->out, handle, strlen(handle) + 1);
	return 1;
}

int perf_people_handle_of(git_repository *g, git_tree *tree, const char *email, char out[PERF_HANDLE_MAX + 1],
                          struct perf_error *err)
{
	struct search s = {email, out};
	char guess[PERF_HANDLE_MAX + 1], path[PERF_HANDLE_MAX + 16];
	git_tree_entry *e = NULL;
	int rc;

	out[0] = '\0';
	if (!tree)
		return 0;
	/* The likely file first: a team of 1,000 is not parsed to find most people. */
	if (local_part(email, guess)) {
		struct perf_doc *doc = NULL;
		snprintf(path, sizeof(path), "people/%s.md", guess);
		if (git_tree_entry_bypath(&e, tree, path) == 0 && git_tree_entry_type(e) == GIT_OBJECT_BLOB)
			doc = person_doc(g, guess, git_tree_entry_id(e));
		git_tree_entry_free(e);
		git_error_clear();
		if (doc && has_email(doc, email))
			memcpy(out, guess, strlen(guess) + 1);
		perf_doc_free(doc);
		if (out[0])
			return 0;
	}
	rc = perf_people_each(g, tree, search_email, &s, err);
	return rc == 1 ? 0 : rc; /* 1: search_email found them */
}

static int collect(const char *handle, const struct perf_doc *doc, void *payload)
{
	struct perf_people *p = payload;
	const char *e = perf_doc_str(doc, "email");

	if (!e)
		return 0;
	if (perf_strv_push(&p->emails, e) || perf_strv_push(&p->handles, handle))
		return PERF_ENOMEM;
	return 0;
}

int perf_people_load(struct perf_people *out, git_repository *g, git_tree *tree, struct perf_error *err)
{
	int rc;

	*out = (struct perf_people)PERF_PEOPLE_INIT;
	rc = perf_people_each(g, tree, collect, out, err);
	if (rc == PERF_ENOMEM)
		perf_error(err, PERF_ENOMEM, "out of memory");
	if (rc)
		perf_people_release(out);
	return rc;
}

const char *perf_people_handle(const struct perf_people *p, const char *email)
{
	char guess[PERF_HANDLE_MAX + 1];
	const char *first = NULL;
	bool guessed = local_part(email, guess);

	for (size_t i = 0; i < p->emails.n && i < p->handles.n; i++) {
		if (strcasecmp(p->emails.v[i], email))
			continue;
		if (guessed && !strcmp(p->handles.v[i], guess))
			return p->handles.v[i];
		if (!first)
			first = p->handles.v[i];
	}
	return first;
}

void perf_people_release(struct perf_people *p)
{
	perf_strv_release(&p->emails);
	perf_strv_release(&p->handles);
}
