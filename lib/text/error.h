/*
 * One error type for the whole library.
 *
 * Every lib/ function that can fail returns an int: 0 on success, or a
 * positive enum perf_code, and fills the caller's struct perf_error (which
 * may be NULL when the caller does not want the message).  The library never
 * prints and never exits; only cmd/ turns errors into output.
 */
#ifndef PERF_ERROR_H
#define PERF_ERROR_H

#include <stddef.h>

enum perf_code {
	PERF_OK = 0,
	PERF_ENOTFOUND,  /* no such document, person, path */
	PERF_EEXISTS,    /* would clobber something that exists */
	PERF_EINVALID,   /* bad input: value, path, file contents */
	PERF_EAMBIGUOUS, /* a short name matches several things */
	PERF_ECONFLICT,  /* concurrent change or merge clash */
	PERF_EPERM,      /* not allowed to write this */
	PERF_ELOCKED,    /* a lock is held (or stale) */
	PERF_EGIT,       /* libgit2 failed */
	PERF_EIO,        /* the file system failed */
	PERF_ENOMEM,     /* out of memory */
};

struct perf_error {
	enum perf_code code;
	char msg[2048];
};

/* Sets err (if non-NULL) and returns code, so callers write
 * `return perf_error(err, PERF_EINVALID, "week '%s' is not an ISO week", w);` */
int perf_error(struct perf_error *err, enum perf_code code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* As perf_error, then appends ": <libgit2's last message>" when there is one. */
int perf_error_git(struct perf_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* As perf_error with code PERF_EIO, appending ": <strerror(errno)>". */
int perf_error_sys(struct perf_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prefixes the existing message with "<prefix>: " (keeps the code). */
void perf_error_prefix(struct perf_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

void perf_error_clear(struct perf_error *err);

/* A message for the person running perf that is not a failure: a warning, or
 * a repair perf made on its own.  The library hands such messages to the
 * caller's function (one line, no "perf: " and no newline) and never prints
 * them itself; with no function they are dropped. */
typedef void (*perf_notice_fn)(void *payload, const char *message);

#endif
