#include "error.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <git2.h>

static void vset(struct perf_error *err, enum perf_code code, const char *fmt, va_list ap)
{
	err->code = code;
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
}

int perf_error(struct perf_error *err, enum perf_code code, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	va_start(ap, fmt);
	vset(err, code, fmt, ap);
	va_end(ap);
	return code;
}

int perf_error_git(struct perf_error *err, const char *fmt, ...)
{
	const git_error *ge = git_error_last();
	va_list ap;
	size_t n;

	if (!err)
		return PERF_EGIT;
	va_start(ap, fmt);
	vset(err, PERF_EGIT, fmt, ap);
	va_end(ap);
	if (ge && ge->message) {
		n = strlen(err->msg);
		snprintf(err->msg + n, sizeof(err->msg) - n, ": %s", ge->message);
	}
	return PERF_EGIT;
}

int perf_error_sys(struct perf_error *err, const char *fmt, ...)
{
	int saved = errno;
	va_list ap;
	size_t n;

	if (!err)
		return PERF_EIO;
	va_start(ap, fmt);
	vset(err, saved == ENOMEM ? PERF_ENOMEM : PERF_EIO, fmt, ap);
	va_end(ap);
	n = strlen(err->msg);
	snprintf(err->msg + n, sizeof(err->msg) - n, ": %s", strerror(saved));
	return err->code;
}

void perf_error_prefix(struct perf_error *err, const char *fmt, ...)
{
	char prefix[512];
	size_t n, old;
	va_list ap;

	if (!err)
		return;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	n = strlen(prefix);
	if (n + 3 >= sizeof(err->msg))
		return;
	old = strnlen(err->msg, sizeof(err->msg) - 1);
	if (old > sizeof(err->msg) - 1 - n - 2)
		old = sizeof(err->msg) - 1 - n - 2;
	memmove(err->msg + n + 2, err->msg, old);
	memcpy(err->msg, prefix, n);
	err->msg[n] = ':';
	err->msg[n + 1] = ' ';
	err->msg[n + 2 + old] = '\0';
}

void perf_error_clear(struct perf_error *err)
{
	if (!err)
		return;
	err->code = PERF_OK;
	err->msg[0] = '\0';
}
