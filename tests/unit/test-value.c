/*
 * Unit tests for lib/value.c: formatting times, dates and weeks at and
 * beyond the four-digit years the formats can hold (found by fuzzing: a
 * far-off $PERF_NOW or commit date left the buffer unterminated).
 */
#include <limits.h>
#include <string.h>
#include <time.h>

#include "tap.h"
#include "value.h"

int main(void)
{
	char t[32], d[32], w[32];
	time_t x;

	perf_value_format_time(0, t);
	is_str(t, "1970-01-01T00:00:00Z", "the epoch");
	perf_value_format_time((time_t)perf_value_days(5, 3, 1) * 86400 + 3661, t);
	is_str(t, "0005-03-01T01:01:01Z", "a year below 1000 keeps four digits");
	perf_value_format_date((time_t)perf_value_days(5, 3, 1) * 86400, d);
	is_str(d, "0005-03-01", "a date below year 1000 keeps four digits");

	ok(perf_value_parse_time("9999-12-31T23:59:59-23:59", &x, NULL) == 0, "a time past 9999 by its offset parses");
	memset(t, 'x', sizeof(t));
	perf_value_format_time(x, t);
	is_str(t, "9999-12-31T23:59:59Z", "and formats as the last second of 9999");
	memset(d, 'x', sizeof(d));
	perf_value_format_date(x, d);
	is_str(d, "9999-12-31", "its date is the last day of 9999");

	memset(t, 'x', sizeof(t));
	perf_value_format_time((time_t)LLONG_MAX, t);
	is_str(t, "9999-12-31T23:59:59Z", "the largest time_t is clamped, not left unterminated");
	memset(t, 'x', sizeof(t));
	perf_value_format_time((time_t)LLONG_MIN, t);
	is_str(t, "0000-01-01T00:00:00Z", "the smallest time_t is clamped");
	memset(w, 'x', sizeof(w));
	perf_value_week_of((time_t)LLONG_MAX, w);
	is_str(w, "9999-W52", "the week of the largest time_t");
	memset(w, 'x', sizeof(w));
	perf_value_week_of((time_t)LLONG_MIN, w);
	is_int(strlen(w), 8, "the week of the smallest time_t is a week-sized string");

	perf_value_week_of((time_t)perf_value_days(2026, 11, 23) * 86400, w);
	is_str(w, "2026-W48", "an ordinary week");
	perf_value_week_of((time_t)perf_value_days(2021, 1, 3) * 86400, w);
	is_str(w, "2020-W53", "a day in the previous year's week 53");

	{
		char s[PERF_HANDLE_MAX + 1];
		struct perf_error err;

		ok(perf_value_slugify("am\xc3\xa9liorer les revues", s, NULL) == 0, "an accented title");
		is_str(s, "ameliorer-les-revues", "accents are dropped, not words cut");
		perf_value_slugify("Stra\xc3\x9f"
		                   "e",
		                   s, NULL);
		is_str(s, "strasse", "sharp s is ss");
		perf_value_slugify("ame\xcc\x81liorer", s, NULL);
		is_str(s, "ameliorer", "a combining accent stays with its letter");
		perf_value_slugify("\xc3\x86sir \xc5\x92uvre \xc5\x81\xc3\xb3"
		                   "d\xc5\xba \xc8\x98tefan",
		                   s, NULL);
		is_str(s, "aesir-oeuvre-lodz-stefan", "ligatures, Polish and Romanian letters");
		perf_value_slugify("\xd0\x9f\xd0\xbe\xd0\xb8\xd1\x81\xd0\xba v2", s, NULL);
		is_str(s, "poisk-v2", "Cyrillic is written in Latin letters");
		perf_value_slugify("\xce\x91\xce\xb8\xce\xae\xce\xbd\xce\xb1", s, NULL);
		is_str(s, "athina", "Greek too");
		perf_value_slugify("Improve the reliability of the search indexer pipeline", s, NULL);
		is_str(s, "improve-the-reliability-of-the-search", "too long: cut where a word ends");
		perf_value_slugify("Supercalifragilisticexpialidociousnessisms-and-more", s, NULL);
		is_str(s, "supercalifragilisticexpialidociousnessi", "one long word: cut in it, at 39");
		perf_value_slug("Write the weekly report for the team", 24, 0, s, NULL);
		is_str(s, "write-the-weekly-report", "a shorter limit, at a word's end");
		is_int(perf_value_slugify("\xe6\x97\xa5\xe6\x9c\xac", s, &err), PERF_EINVALID,
		       "another script alone: refused");
		ok(strstr(err.msg, "script") != NULL, "saying why: %s", err.msg);
		ok(perf_value_slug("\xe6\x97\xa5\xe6\x9c\xac", PERF_HANDLE_MAX, PERF_SLUG_ANY_SCRIPT, s, NULL) == 0,
		   "or, when asked, an id of its own");
		ok(strlen(s) == 8 && strspn(s, "0123456789abcdef") == 8, "eight hex digits: %s", s);
		perf_value_slug("\xe6\x97\xa5 v2", PERF_HANDLE_MAX, PERF_SLUG_ANY_SCRIPT, s, NULL);
		is_str(s, "v2", "what can be written is kept");
		is_int(perf_value_slugify("!!! ???", s, NULL), PERF_EINVALID, "punctuation only: refused");
	}
	return tap_done();
}
