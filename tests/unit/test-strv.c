/*
 * Unit tests for lib/text/strv.c: the edit distance behind "did you mean",
 * when a word is near enough to be a typo, and the nearest of a list.
 */
#include <string.h>

#include "strv.h"
#include "tap.h"

int main(void)
{
	struct perf_strv sv = PERF_STRV_INIT;
	const char *best;

	is_int(perf_edit_distance("bob", "bob"), 0, "a word is at 0 from itself");
	is_int(perf_edit_distance("bob", "bo"), 1, "one letter more is 1");
	is_int(perf_edit_distance("stauts", "status"), 2, "a swap is 2");
	is_int(perf_edit_distance("", "abc"), 3, "from nothing, the whole word");
	is_int(perf_edit_distance("kitten", "sitting"), 3, "kitten to sitting is 3");
	is_int(perf_edit_distance("a", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"), 99,
	       "a word of 63 bytes or more is too long to compare");

	ok(perf_edit_near("bob", 2), "2 edits is near");
	ok(!perf_edit_near("zed", 3), "3 edits in a 3-letter word is not");
	ok(perf_edit_near("abcdefghijkl", 4), "a third of the word is near");

	perf_strv_push(&sv, "ari");
	perf_strv_push(&sv, "bo");
	perf_strv_push(&sv, "lena");
	perf_strv_push(&sv, "ship-search");
	is_int(perf_strv_closest(&sv, "bob", &best), 1, "bob is 1 from the nearest");
	is_str(best, "bo", "bob: did you mean bo");
	perf_strv_closest(&sv, "lenna", &best);
	is_str(best, "lena", "lenna: did you mean lena");
	perf_strv_closest(&sv, "shp", &best);
	is_str(best, "ship-search", "a typo in a prefix finds the name it starts");
	perf_strv_closest(&sv, "zed", &best);
	ok(best == NULL, "nothing near: no guess");
	perf_strv_closest(NULL, "bob", &best);
	ok(best == NULL, "an empty list: no guess");
	perf_strv_release(&sv);
	return tap_done();
}
