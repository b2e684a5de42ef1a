/*
 * Scalar value types shared by the schema, the store and the commands:
 * handles, slugs, dates, times, ISO weeks, integers and booleans.
 *
 * Every perf_value_check_* returns 0 or PERF_EINVALID with a message that
 * names the value; none of them allocates.  `what` names the value in
 * messages ("handle", "goal id", ...).
 */
#ifndef PERF_VALUE_H
#define PERF_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "error.h"

#define PERF_HANDLE_MAX 39

/* [a-z0-9][a-z0-9-]{0,38}: handles, slugs, ids; safe as one path component. */
int perf_value_check_handle(const char *s, const char *what, struct perf_error *err);
bool perf_value_is_handle(const char *s);

/* YYYY-MM-DD, a real calendar date. */
int perf_value_parse_date(const char *s, int *y, int *m, int *d, struct perf_error *err);
/* RFC 3339 time, for example 2026-11-23T10:00:00Z; returns seconds since the epoch. */
int perf_value_parse_time(const char *s, time_t *out, struct perf_error *err);
/* YYYY-Www, an ISO 8601 week that exists (W53 only in long years). */
int perf_value_parse_week(const char *s, int *year, int *week, struct perf_error *err);
/* Decimal integer, optional sign, no leading zeros except "0". */
int perf_value_parse_int(const char *s, long *out, struct perf_error *err);
/* true/false (also yes/no, on/off as YAML 1.1 readers do). */
int perf_value_parse_bool(const char *s, bool *out, struct perf_error *err);

/* The ISO week containing t (UTC), written as YYYY-Www into out[9].  Here
 * and in the two below, t is clamped to the years 0000-9999. */
void perf_value_week_of(time_t t, char out[9]);
/* Monday 00:00 UTC of the ISO week. */
time_t perf_value_week_start(int year, int week);
/* t as RFC 3339 UTC (2026-11-23T10:00:00Z) into out[21]. */
void perf_value_format_time(time_t t, char out[21]);
/* t as YYYY-MM-DD (UTC) into out[11]. */
void perf_value_format_date(time_t t, char out[11]);
/* Days since the epoch for a valid date. */
long perf_value_days(int y, int m, int d);

/*
 * Makes a slug from free text, at most max (at most 39) characters, in out
 * (max + 1 bytes): lowercase ASCII letters and digits, accented Latin,
 * Greek and Cyrillic letters written in ASCII ("améliorer les revues"
 * "ameliorer-les-revues", "Straße" "strasse"), runs of anything else one
 * '-'; too long, it is cut where a word ends (in a word only when that
 * would leave 8 characters or fewer).  With PERF_SLUG_ANY_SCRIPT, text only in
 * another script (Chinese, Arabic...) gets eight hex digits of its SHA-1,
 * the same for the same text; without, it is refused.  Returns 0, or
 * PERF_EINVALID when there is nothing to make an id of.
 */
#define PERF_SLUG_ANY_SCRIPT 1u
int perf_value_slug(const char *text, size_t max, unsigned flags, char *out, struct perf_error *err);
/* perf_value_slug at the longest, 39 characters, without PERF_SLUG_ANY_SCRIPT. */
int perf_value_slugify(const char *text, char out[PERF_HANDLE_MAX + 1], struct perf_error *err);

/* The current time: PERF_NOW (RFC 3339 or seconds) when set, for tests and
 * reproducible demos; otherwise time(NULL).  Reads the environment. */
time_t perf_value_now(void);
/* PERF_NOW, when set, must parse: a clock that silently falls back to the
 * real one would date a test's or a script's writes wrongly.  0 or PERF_EINVALID. */
int perf_value_now_check(struct perf_error *err);

#endif
