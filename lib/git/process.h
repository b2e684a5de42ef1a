/*
 * Running another program: ssh-keygen to sign and check signatures, git for
 * credentials and local transport, ssh, and for cmd/ the editor, the pager
 * and man.
 *
 * The caller owns struct perf_process and what its pointers name: argv and
 * env are read by perf_process_start only, name (or argv[0] when name is
 * NULL) until perf_process_finish.  perf_process_start
 * fills pid and the pipe ends asked for; perf_process_finish closes the
 * pipe ends still open and reaps the child.  perf_process_run does both,
 * writing the child's input and capturing its output into the caller's
 * buffers.  Nothing here prints: a program that cannot be started is an
 * error naming it, and how it ended is the caller's to judge.
 */
#ifndef PERF_PROCESS_H
#define PERF_PROCESS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "buf.h"
#include "error.h"

/* What each of the child's stdin, stdout and stderr is. */
enum perf_process_io {
	PERF_PROCESS_INHERIT = 0, /* perf's own */
	PERF_PROCESS_NULL,        /* /dev/null */
	PERF_PROCESS_PIPE,        /* a pipe to or from perf: to_child, from_child, err_from_child */
};

struct perf_process {
	/* argv[0] is looked up in PATH unless it holds a '/'. */
	const char *const *argv;
	/* What messages call the program (NULL: argv[0]). */
	const char *name;
	/* "NAME=value" entries set in the child's environment (NULL: none). */
	const char *const *env;
	enum perf_process_io in, out, err;
	/* The child gets SIGPIPE's default action back (perf ignores it). */
	bool default_sigpipe;

	/* Set by perf_process_start: the child, and perf's ends of its pipes
	 * (close-on-exec; -1 where there is no pipe or it was closed). */
	pid_t pid;
	int to_child, from_child, err_from_child;
};

#define PERF_PROCESS_INIT                                                                                              \
	{                                                                                                              \
		.pid = -1, .to_child = -1, .from_child = -1, .err_from_child = -1                                      \
	}

/* Starts the program.  Output perf has buffered is flushed first, so the
 * child's output comes after it.  Fails (PERF_EIO, or PERF_ENOMEM) when
 * the program cannot be run, naming it and why: "cannot run 'ssh-keygen':
 * No such file or directory"; then nothing is left running or open. */
int perf_process_start(struct perf_process *p, struct perf_error *err);

/* Closes perf's ends of the pipes still open and waits for the child.
 * *status is its exit code, or 128 plus the signal that killed it. */
int perf_process_finish(struct perf_process *p, int *status, struct perf_error *err);

/* Runs the program to its end: with in PERF_PROCESS_PIPE, writes
 * input[0..len) to its stdin (a child that stops reading early is no
 * error); with out or err PERF_PROCESS_PIPE, appends what it writes there
 * to out or errout (NULL: read and dropped).  *status as for
 * perf_process_finish.  SIGPIPE is ignored while it writes. */
int perf_process_run(struct perf_process *p, const char *input, size_t len, struct perf_buf *out,
                     struct perf_buf *errout, int *status, struct perf_error *err);

/* perf_process_run of argv with its stdin from input[0..len) (input NULL:
 * /dev/null) and both its stdout and its stderr captured.  Not being able
 * to start the program is an error naming it. */
int perf_process_capture(const char *const argv[], const char *input, size_t len, struct perf_buf *out,
                         struct perf_buf *errout, int *status, struct perf_error *err);

#endif
