#include "value.h"

#include "sha1.h"
#include "utf8.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool perf_value_is_handle(const char *s)
{
	size_t i;

	if (!s || !s[0])
		return false;
	if (!(islower((unsigned char)s[0]) || isdigit((unsigned char)s[0])) || !isascii((unsigned char)s[0]))
		return false;
	for (i = 1; s[i]; i++) {
		unsigned char c = (unsigned char)s[i];
		if (i >= PERF_HANDLE_MAX)
			return false;
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
			return false;
	}
	return true;
}

int perf_value_check_handle(const char *s, const char *what, struct perf_error *err)
{
	if (perf_value_is_handle(s))
		return 0;
	if (!s || !s[0])
		return perf_error(err, PERF_EINVALID, "%s is empty", what);
	if (strlen(s) > PERF_HANDLE_MAX)
		return perf_error(err, PERF_EINVALID, "%s '%.40s...' is too long (at most %d characters)", what, s,
		                  PERF_HANDLE_MAX);
	return perf_error(
	    err, PERF_EINVALID,
	    "%s '%s' is not valid: use lowercase letters, digits and '-', starting with a letter or digit", what, s);
}

static bool digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

static int num(const char *s, size_t n)
{
	int v = 0;
	size_t i;

	for (i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

static bool leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int mdays(int y, int m)
{
	static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && leap(y) ? 29 : d[m - 1];
}

long perf_value_days(int y, int m, int d)
{
	/* Days from civil, after Howard Hinnant's well-known derivation. */
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int perf_value_parse_date(const char *s, int *y, int *m, int *d, struct perf_error *err)
{
	int yy, mm, dd;

	if (!s || strlen(s) != 10 || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) || s[7] != '-' ||
	    !digits(s + 8, 2))
		return perf_error(err, PERF_EINVALID, "'%s' is not a date (YYYY-MM-DD)", s ? s : "");
	yy = num(s, 4);
	mm = num(s + 5, 2);
	dd = num(s + 8, 2);
	if (mm < 1 || mm > 12 || dd < 1 || dd > mdays(yy, mm))
		return perf_error(err, PERF_EINVALID, "'%s' is not a real date", s);
	if (y)
		*y = yy;
	if (m)
		*m = mm;
	if (d)
		*d = dd;
	return 0;
}

int perf_value_parse_time(const char *s, time_t *out, struct perf_error *err)
{
	int y, mo, d, h, mi, se, off = 0;
	size_t n, i;
	const char *p;

	if (!s)
		s = "";
	n = strlen(s);
	if (n < 20)
		goto bad;
	{
		char date[11];
		memcpy(date, s, 10);
		date[10] = '\0';
		if (perf_value_parse_date(date, &y, &mo, &d, NULL))
			goto bad;
	}
	if ((s[10] != 'T' && s[10] != 't') || !digits(s + 11, 2) || s[13] != ':' || !digits(s + 14, 2) ||
	    s[16] != ':' || !digits(s + 17, 2))
		goto bad;
	h = num(s + 11, 2);
	mi = num(s + 14, 2);
	se = num(s + 17, 2);
	if (h > 23 || mi > 59 || se > 60)
		goto bad;
	p = s + 19;
	if (*p == '.') {
		for (i = 1; isdigit((unsigned char)p[i]); i++)
			;
		if (i == 1)
			goto bad;
		p += i;
	}
	if ((*p == 'Z' || *p == 'z') && p[1] == '\0') {
		off = 0;
	} else if ((*p == '+' || *p == '-') && strlen(p) == 6 && digits(p + 1, 2) && p[3] == ':' && digits(p + 4, 2)) {
		off = (num(p + 1, 2) * 60 + num(p + 4, 2)) * 60;
		if (*p == '-')
			off = -off;
	} else {
		goto bad;
	}
	if (out)
		*out = (time_t)(perf_value_days(y, mo, d) * 86400L + h * 3600L + mi * 60L + se - off);
	return 0;
bad:
	return perf_error(err, PERF_EINVALID, "'%s' is not an RFC 3339 time (like 2026-11-23T10:00:00Z)", s);
}

/* Weekday of a date, Monday = 1 .. Sunday = 7. */
static int weekday(long days)
{
	long w = (days + 3) % 7; /* 1970-01-01 was a Thursday */
	if (w < 0)
		w += 7;
	return (int)w + 1;
}

static int weeks_in_year(int y)
{
	int jan1 = weekday(perf_value_days(y, 1, 1));
	/* A year has 53 ISO weeks when it starts on a Thursday, or on a Wednesday in a leap year. */
	return (jan1 == 4 || (jan1 == 3 && leap(y))) ? 53 : 52;
}

time_t perf_value_week_start(int year, int week)
{
	long jan4 = perf_value_days(year, 1, 4);
	long monday1 = jan4 - (weekday(jan4) - 1);
	return (time_t)((monday1 + (long)(week - 1) * 7) * 86400L);
}

int perf_value_parse_week(const char *s, int *year, int *week, struct perf_error *err)
{
	int y, w;

	if (!s || strlen(s) != 8 || !digits(s, 4) || s[4] != '-' || s[5] != 'W' || !digits(s + 6, 2))
		return perf_error(err, PERF_EINVALID, "'%s' is not an ISO week (like 2026-W47)", s ? s : "");
	y = num(s, 4);
	w = num(s + 6, 2);
	if (w < 1 || w > weeks_in_year(y))
		return perf_error(err, PERF_EINVALID, "'%s' is not an ISO week: %d has %d weeks", s, y,
		                  weeks_in_year(y));
	if (year)
		*year = y;
	if (week)
		*week = w;
	return 0;
}

/*
 * The formats below have four-digit years, and gmtime_r fails (leaving its
 * struct tm unset) for times far enough out: times outside years 0000-9999
 * (from $PERF_NOW, a commit's date, a date plus a span) are clamped to them.
 */
static time_t clamp_time(time_t t)
{
	const time_t lo = (time_t)perf_value_days(0, 1, 1) * 86400;
	const time_t hi = (time_t)perf_value_days(10000, 1, 1) * 86400 - 1;

	return t < lo ? lo : t > hi ? hi : t;
}

/* Writes v (0 <= v < 10^n) as n digits. */
static char *put_digits(char *p, int v, int n)
{
	for (int i = n - 1; i >= 0; i--, v /= 10)
		p[i] = (char)('0' + v % 10);
	return p + n;
}

/* YYYY-MM-DD of tm, no terminator; returns the end. */
static char *put_date(char *p, const struct tm *tm)
{
	p = put_digits(p, tm->tm_year + 1900, 4);
	*p++ = '-';
	p = put_digits(p, tm->tm_mon + 1, 2);
	*p++ = '-';
	return put_digits(p, tm->tm_mday, 2);
}

void perf_value_week_of(time_t t, char out[9])
{
	long days, thursday;
	struct tm tm;
	time_t tt;
	int wd, y, w;

	t = clamp_time(t);
	days = (long)(t >= 0 ? t / 86400 : (t - 86399) / 86400);
	wd = weekday(days);
	thursday = days - wd + 4;
	tt = (time_t)(thursday * 86400L);
	gmtime_r(&tt, &tm);
	y = tm.tm_year + 1900;
	w = (int)((thursday - perf_value_days(y, 1, 1)) / 7) + 1;
	y = (y % 10000 + 10000) % 10000;
	put_digits(out, y, 4);
	out[4] = '-';
	out[5] = 'W';
	put_digits(out + 6, w % 100, 2);
	out[8] = '\0';
}

void perf_value_format_time(time_t t, char out[21])
{
	struct tm tm;
	char *p;

	t = clamp_time(t);
	gmtime_r(&t, &tm);
	p = put_date(out, &tm);
	*p++ = 'T';
	p = put_digits(p, tm.tm_hour, 2);
	*p++ = ':';
	p = put_digits(p, tm.tm_min, 2);
	*p++ = ':';
	p = put_digits(p, tm.tm_sec, 2);
	*p++ = 'Z';
	*p = '\0';
}

void perf_value_format_date(time_t t, char out[11])
{
	struct tm tm;

	t = clamp_time(t);
	gmtime_r(&t, &tm);
	*put_date(out, &tm) = '\0';
}

int perf_value_parse_int(const char *s, long *out, struct perf_error *err)
{
	const char *p = s;
	char *end;
	long v;

	if (!s || !*s)
		goto bad;
	if (*p == '-' || *p == '+')
		p++;
	if (!isdigit((unsigned char)*p) || (p[0] == '0' && p[1]))
		goto bad;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end)
		goto bad;
	if (out)
		*out = v;
	return 0;
bad:
	return perf_error(err, PERF_EINVALID, "'%s' is not a whole number", s ? s : "");
}

int perf_value_parse_bool(const char *s, bool *out, struct perf_error *err)
{
	static const char *const yes[] = {"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"};
	static const char *const no[] = {"false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF"};
	size_t i;

	for (i = 0; s && i < sizeof(yes) / sizeof(*yes); i++) {
		if (!strcmp(s, yes[i])) {
			if (out)
				*out = true;
			return 0;
		}
		if (!strcmp(s, no[i])) {
			if (out)
				*out = false;
			return 0;
		}
	}
	return perf_error(err, PERF_EINVALID, "'%s' is not true or false", s ? s : "");
}

int perf_value_slug(const char *text, size_t max, unsigned flags, char *out, struct perf_error *err)
{
	const char *p = text ? text : "";
	size_t n = 0, len = strlen(p), cut;
	bool dash = false, other = false;
	char *all;

	if (max > PERF_HANDLE_MAX)
		max = PERF_HANDLE_MAX;
	/* The whole slug first (a letter is at most four ASCII letters, plus a '-'), then cut. */
	if (!(all = malloc(len * 5 + 1)))
		return perf_error(err, PERF_ENOMEM, "out of memory");
	while (*p) {
		uint32_t cp;
		size_t k = perf_utf8_decode(p, strlen(p), &cp);
		const char *ascii = NULL;
		char one[2] = {0, 0};

		p += k ? k : 1;
		if (cp < 0x80 && perf_utf8_is_word(cp)) {
			one[0] = (char)tolower((int)cp);
			ascii = one;
		} else if (cp >= 0x80) {
			ascii = perf_utf8_latin(cp);
			if (!ascii && perf_utf8_is_word(cp))
				other = true; /* a letter of a script without an ASCII spelling here */
		}
		if (!ascii) {
			dash = true;
		} else if (*ascii) {
			if (dash && n > 0)
				all[n++] = '-';
			dash = false;
			for (; *ascii; ascii++)
				all[n++] = *ascii;
		}
	}
	all[n] = '\0';
	if (n == 0 && other && (flags & PERF_SLUG_ANY_SCRIPT)) {
		/* Text in another script: an id of its own, the same for the same text. */
		struct perf_sha1 c;
		unsigned char h[20];
		perf_sha1_init(&c);
		perf_sha1_update(&c, text, len);
		perf_sha1_final(&c, h);
		n = (size_t)snprintf(all, len * 5 + 1, "%02x%02x%02x%02x", h[0], h[1], h[2], h[3]);
	}
	/* Cut at a word's end when one is near enough; in a word only when none is. */
	cut = n;
	if (n > max) {
		cut = max;
		if (all[cut] != '-') {
			while (cut > 8 && all[cut - 1] != '-')
				cut--;
			if (cut <= 8)
				cut = max;
		}
	}
	while (cut > 0 && all[cut - 1] == '-')
		cut--;
	memcpy(out, all, cut);
	out[cut] = '\0';
	free(all);
	if (cut == 0 && other)
		return perf_error(err, PERF_EINVALID,
		                  "cannot make an id from '%s': ids are written with a-z, 0-9 and '-', and its script "
		                  "has no spelling in them here",
		                  text ? text : "");
	if (cut == 0)
		return perf_error(err, PERF_EINVALID, "cannot make an id from '%s': it needs letters or digits",
		                  text ? text : "");
	return 0;
}

int perf_value_slugify(const char *text, char out[PERF_HANDLE_MAX + 1], struct perf_error *err)
{
	return perf_value_slug(text, PERF_HANDLE_MAX, 0, out, err);
}

int perf_value_now_check(struct perf_error *err)
{
	const char *e = getenv("PERF_NOW");
	time_t t;
	char *end;
	long v;

	if (!e || !*e || perf_value_parse_time(e, &t, NULL) == 0)
		return 0;
	errno = 0;
	v = strtol(e, &end, 10);
	(void)v;
	if (!errno && !*end)
		return 0;
	return perf_error(err, PERF_EINVALID,
	                  "PERF_NOW='%s' is not a time: give RFC 3339 in UTC (2026-11-23T10:00:00Z) or seconds "
	                  "since 1970, or unset it",
	                  e);
}

time_t perf_value_now(void)
{
	const char *e = getenv("PERF_NOW");
	time_t t;
	char *end;
	long v;

	if (e && *e) {
		if (perf_value_parse_time(e, &t, NULL) == 0)
			return t;
		errno = 0;
		v = strtol(e, &end, 10);
		if (!errno && !*end)
			return (time_t)v;
	}
	return time(NULL);
}
