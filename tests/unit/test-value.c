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
	return tap_done();
}
