/*
 * Three-way merge of one file, field by field: what `perf sync` and the
 * git merge driver (`perf merge-driver`) use when both sides changed the
 * same document.
 *
 * Ownership: a struct perf_merge_result owns its text and its clashes and
 * every string in them; perf_merge_result_release frees them all and
 * leaves an empty result (a zeroed or PERF_MERGE_RESULT_INIT result is
 * empty too).  Inputs are borrowed and never kept.  libgit2 must be
 * initialised (git_libgit2_init) before perf_merge_doc or
 * perf_merge_driver_register is called.
 *
 * How a file is merged (perf-merge-driver(1) says the same for people):
 *
 * - Byte for byte first: when both sides are equal the result is ours;
 *   when one side equals the base, the result is the other side exactly.
 * - A document with front matter (or .perf/config.yaml, which is YAML
 *   without fences: its kind comes from the path) whose three versions all
 *   parse is merged per top-level key.  Values are compared structurally:
 *   scalars by their text whatever the quoting, mappings by their keys in
 *   any order, sequences item by item.  For each key: a side that left it
 *   alone takes the other side's value (a change, an addition or a
 *   removal); both sides making the same change take it; otherwise both
 *   changed it differently and
 *     - two mappings merge key by key, recursively;
 *     - two lists of mappings that all carry an id (the first of goal, id,
 *       who, name, key present in every item, unique in each list) merge
 *       item by item: items added on either side are kept, an item removed
 *       on one side and left alone on the other is removed, an item on
 *       both sides merges recursively; the order is ours, then theirs' new
 *       items (so `agreed_by` merges by `who`);
 *     - two lists of scalars merge as sets: base, plus what either side
 *       added, minus what either side removed; ours' order, then theirs'
 *       new items;
 *     - a list that one side removed while the other changed it merges
 *       as if the removed list were empty (and disappears when nothing is
 *       left);
 *     - anything else is a clash.
 *   The result is our document edited in place (lib/doc.h), so our
 *   formatting, comments and key order survive and only the fields that
 *   take a change are rewritten; keys new from theirs are appended.  The
 *   body (after the front matter) merges as text with git_merge_file.
 * - Any other file, or a document one side of which does not parse, merges
 *   as text with git_merge_file.  When ours and theirs both parse as
 *   documents but the merged text does not, that is a clash on "file".
 *   A file with NUL bytes is never merged as text: it clashes on "file"
 *   when both sides changed it.
 *
 * A clash never writes conflict markers: the merged text keeps OUR value
 * for the field that clashed (ours' whole text for "file", ours' body for
 * "body") and the clash records the three values, so nothing either side
 * wrote is lost; the caller decides what to do (sync stops and tells the
 * user; the merge driver exits 1 so git marks the file as conflicted).
 *
 * Not handled here: a file deleted on one side and changed on the other,
 * or added on one side only.  Those are whole-file decisions for the
 * caller (git and libgit2 never call a merge driver for them).
 */
#ifndef PERF_MERGE_H
#define PERF_MERGE_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "error.h"

enum perf_merge_clash_kind {
	/* Both sides changed the field (or added it, or one removed it) differently. */
	PERF_MERGE_CLASH_CHANGED,
	/* The merged value could not be written into our document in place. */
	PERF_MERGE_CLASH_UNWRITABLE,
};

struct perf_merge_clash {
	enum perf_merge_clash_kind kind;
	/*
	 * What clashed: a top-level key ("progress"), a nested one
	 * ("cadences.checkin"), an item of a list merged by id or a field in
	 * it ("goals[ship]", "goals[ship].progress"), "body", or "file" when
	 * the file merged as text.
	 */
	char *field;
	/* The values: YAML text in flow style for fields (scalars as written
	 * when plain, else double-quoted), the text itself for "body" and
	 * "file"; NULL when that side has no such field (removed, or not in
	 * the base because both sides added it). */
	char *base, *ours, *theirs;
};

struct perf_merge_result {
	struct perf_buf text; /* the merged file */
	struct perf_merge_clash *clashes;
	size_t nclashes;
	bool fields; /* merged field by field (false: merged as text, or byte for byte) */
};

#define PERF_MERGE_RESULT_INIT                                                                                         \
	{                                                                                                              \
		PERF_BUF_INIT, NULL, 0, false                                                                          \
	}

/*
 * Merges base, ours and theirs of the file at path (repository-relative;
 * it picks .perf/config.yaml's kind and names the file in messages; NULL
 * is allowed).  base is NULL when both sides added the file; an empty
 * base counts as none (git passes an empty file then).  out is
 * overwritten.  Returns 0 whether or not there are clashes
 * (out->nclashes); else PERF_ENOMEM, PERF_EGIT when libgit2's text merge
 * fails, or PERF_EINVALID when ours or theirs is NULL, and then out is
 * empty.
 */
int perf_merge_doc(const char *path, const char *base, size_t blen, const char *ours, size_t olen, const char *theirs,
                   size_t tlen, struct perf_merge_result *out, struct perf_error *err);

void perf_merge_result_release(struct perf_merge_result *res);

/*
 * Appends one line for people about a clash, without a final newline:
 * "goals/alice/ship.md: field 'progress' changed on both sides: ours 40,
 * theirs 70 (base 20)".  path may be NULL.  0 or PERF_ENOMEM.
 */
int perf_merge_clash_describe(struct perf_buf *out, const char *path, const struct perf_merge_clash *clash);

/* The name the merge driver is registered under, and .gitattributes uses. */
#define PERF_MERGE_DRIVER "perf"

/*
 * Registers perf_merge_doc with libgit2 as the merge driver "perf", so a
 * merge with git_merge_options.default_driver = "perf" (or a file with the
 * attribute merge=perf) merges field by field.  A clean merge gives the
 * merged blob; a clash returns GIT_EMERGECONFLICT, so the file stays
 * conflicted in the index and the caller asks perf_merge_doc for the
 * details.  Registering again is harmless (and needed after the last
 * git_libgit2_shutdown).  0 or PERF_EGIT.
 */
int perf_merge_driver_register(struct perf_error *err);

#endif
