#include "process.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *name_of(const struct perf_process *p)
{
	return p->name ? p->name : p->argv ? p->argv[0] : "the program";
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* In the child: hands errno to the parent through the exec pipe (closed
 * unread on a successful exec) and ends. */
static void child_failed(int fd)
{
	int e = errno;
	ssize_t n = write(fd, &e, sizeof(e));

	(void)n;
	_exit(127);
}

int perf_process_start(struct perf_process *p, struct perf_error *err)
{
	enum perf_process_io io[3] = {p->in, p->out, p->err};
	int pipes[3][2] = {{-1, -1}, {-1, -1}, {-1, -1}}, ex[2] = {-1, -1}, e = 0, status, rc = 0;
	ssize_t n;
	pid_t pid;

	p->pid = -1;
	p->to_child = p->from_child = p->err_from_child = -1;
	for (int i = 0; i < 3; i++)
		if (io[i] == PERF_PROCESS_PIPE && pipe2(pipes[i], O_CLOEXEC) < 0)
			goto sys;
	/* The child reports a failed exec through a close-on-exec pipe. */
	if (pipe2(ex, O_CLOEXEC) < 0)
		goto sys;
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		goto sys;
	if (pid == 0) {
		/* What becomes 0, 1 and 2, each first moved above 2 (as is the
		 * exec pipe) so that setting one never clobbers another. */
		int src[3] = {pipes[0][0], pipes[1][1], pipes[2][1]}, high[3] = {-1, -1, -1};
		int report = fcntl(ex[1], F_DUPFD_CLOEXEC, 3);
		if (report < 0)
			_exit(127);
		for (int i = 0; i < 3; i++) {
			if (io[i] == PERF_PROCESS_NULL &&
			    (src[i] = open("/dev/null", (i ? O_WRONLY : O_RDONLY) | O_CLOEXEC)) < 0)
				child_failed(report);
			if (io[i] != PERF_PROCESS_INHERIT && (high[i] = fcntl(src[i], F_DUPFD_CLOEXEC, 3)) < 0)
				child_failed(report);
		}
		for (int i = 0; i < 3; i++)
			if (high[i] >= 0 && dup2(high[i], i) < 0)
				child_failed(report);
		for (const char *const *v = p->env; v && *v; v++)
			if (putenv((char *)*v) != 0)
				child_failed(report);
		if (p->default_sigpipe)
			signal(SIGPIPE, SIG_DFL);
		execvp(p->argv[0], (char *const *)p->argv);
		child_failed(report);
	}
	close_fd(&ex[1]);
	close_fd(&pipes[0][0]);
	close_fd(&pipes[1][1]);
	close_fd(&pipes[2][1]);
	while ((n = read(ex[0], &e, sizeof(e))) < 0 && errno == EINTR)
		;
	close_fd(&ex[0]);
	if (n == (ssize_t)sizeof(e)) {
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		errno = e ? e : ENOEXEC;
		goto sys;
	}
	p->pid = pid;
	p->to_child = pipes[0][1];
	p->from_child = pipes[1][0];
	p->err_from_child = pipes[2][0];
	return 0;
sys:
	e = errno;
	for (int i = 0; i < 3; i++) {
		close_fd(&pipes[i][0]);
		close_fd(&pipes[i][1]);
	}
	close_fd(&ex[0]);
	close_fd(&ex[1]);
	errno = e;
	rc = perf_error_sys(err, "cannot run '%s'", name_of(p));
	return rc;
}

int perf_process_finish(struct perf_process *p, int *status, struct perf_error *err)
{
	int wstatus;

	close_fd(&p->to_child);
	close_fd(&p->from_child);
	close_fd(&p->err_from_child);
	*status = -1;
	if (p->pid <= 0)
		return perf_error(err, PERF_EINVALID, "'%s' is not running", name_of(p));
	while (waitpid(p->pid, &wstatus, 0) < 0) {
		if (errno != EINTR) {
			p->pid = -1;
			return perf_error_sys(err, "cannot wait for '%s'", name_of(p));
		}
	}
	p->pid = -1;
	*status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
	return 0;
}

/* Reads what is there on *fd into b (NULL: dropped); closes it at its end. */
static int drain(int *fd, struct perf_buf *b)
{
	char chunk[4096];
	ssize_t n = read(*fd, chunk, sizeof(chunk));

	if (n < 0)
		return errno == EINTR || errno == EAGAIN ? 0 : -1;
	if (n == 0)
		close_fd(fd);
	else if (b && perf_buf_add(b, chunk, (size_t)n))
		return PERF_ENOMEM;
	return 0;
}

int perf_process_run(struct perf_process *p, const char *input, size_t len, struct perf_buf *out,
                     struct perf_buf *errout, int *status, struct perf_error *err)
{
	struct sigaction ign, old;
	size_t off = 0;
	int rc, frc, st;

	*status = -1;
	if ((rc = perf_process_start(p, err)))
		return rc;
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &ign, &old);
	if (p->to_child >= 0 && (!input || !len))
		close_fd(&p->to_child);
	if (p->to_child >= 0)
		fcntl(p->to_child, F_SETFL, fcntl(p->to_child, F_GETFL) | O_NONBLOCK);
	/* Input and output together, so that neither side waits on a full pipe. */
	while (!rc && (p->to_child >= 0 || p->from_child >= 0 || p->err_from_child >= 0)) {
		struct pollfd fds[3] = {
		    {p->to_child, POLLOUT, 0}, {p->from_child, POLLIN, 0}, {p->err_from_child, POLLIN, 0}};
		if (poll(fds, 3, -1) < 0) {
			if (errno != EINTR)
				rc = perf_error_sys(err, "cannot talk to '%s'", name_of(p));
			continue;
		}
		if (fds[0].revents) {
			ssize_t w = write(p->to_child, input + off, len - off);
			if (w > 0)
				off += (size_t)w;
			else if (w < 0 && errno != EINTR && errno != EAGAIN)
				off = len; /* EPIPE: it stopped reading, and its status tells the rest */
			if (off == len)
				close_fd(&p->to_child);
		}
		if (fds[1].revents && (frc = drain(&p->from_child, out)))
			rc = frc == PERF_ENOMEM ? perf_error(err, PERF_ENOMEM, "out of memory")
			                        : perf_error_sys(err, "cannot read from '%s'", name_of(p));
		if (!rc && fds[2].revents && (frc = drain(&p->err_from_child, errout)))
			rc = frc == PERF_ENOMEM ? perf_error(err, PERF_ENOMEM, "out of memory")
			                        : perf_error_sys(err, "cannot read from '%s'", name_of(p));
	}
	sigaction(SIGPIPE, &old, NULL);
	if ((frc = perf_process_finish(p, &st, rc ? NULL : err)))
		return rc ? rc : frc;
	if (!rc)
		*status = st;
	return rc;
}

int perf_process_capture(const char *const argv[], const char *input, size_t len, struct perf_buf *out,
                         struct perf_buf *errout, int *status, struct perf_error *err)
{
	struct perf_process p = PERF_PROCESS_INIT;

	p.argv = argv;
	p.in = input ? PERF_PROCESS_PIPE : PERF_PROCESS_NULL;
	p.out = PERF_PROCESS_PIPE;
	p.err = PERF_PROCESS_PIPE;
	return perf_process_run(&p, input, len, out, errout, status, err);
}
