/*
 * Unit tests for lib/process.c: running a program with input, capturing
 * its output and its errors apart, its exit status and the signal that
 * killed it, a program that does not exist, the environment given to it,
 * a child that stops reading its input, and a pipe kept open by hand.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "process.h"
#include "tap.h"

static int sh(const char *script, const char *input, size_t len, struct perf_buf *out, struct perf_buf *errout,
              int *status, struct perf_error *err)
{
	const char *argv[] = {"/bin/sh", "-c", script, NULL};

	return perf_process_capture(argv, input, len, out, errout, status, err);
}

int main(void)
{
	struct perf_buf out = PERF_BUF_INIT, errout = PERF_BUF_INIT, big = PERF_BUF_INIT;
	struct perf_error err;
	int status = 0, rc;

	rc = sh("tr a-z A-Z; echo oops >&2; exit 3", "hello\n", 6, &out, &errout, &status, &err);
	is_int(rc, 0, "a program that runs is no error");
	is_str(perf_buf_cstr(&out), "HELLO\n", "its stdout is captured, from the input given");
	is_str(perf_buf_cstr(&errout), "oops\n", "its stderr is captured apart");
	is_int(status, 3, "its exit status is kept");

	out.len = 0;
	rc = sh("cat; echo end", NULL, 0, &out, NULL, &status, &err);
	is_str(perf_buf_cstr(&out), "end\n", "without input, stdin is /dev/null");
	is_int(status, 0, "and it exits 0");

	/* More than a pipe holds, each way at once: neither side may wait. */
	for (int i = 0; i < 20000; i++)
		perf_buf_puts(&big, "0123456789\n");
	out.len = 0;
	rc = sh("cat; cat /dev/null >&2", big.ptr, big.len, &out, NULL, &status, &err);
	ok(rc == 0 && out.len == big.len && !memcmp(out.ptr, big.ptr, big.len), "220 kB go through and back");

	rc = sh("exit 0", big.ptr, big.len, NULL, NULL, &status, &err);
	ok(rc == 0 && status == 0, "a child that never reads its input is no error");

	rc = sh("kill -TERM $$", NULL, 0, NULL, NULL, &status, &err);
	ok(rc == 0 && status == 128 + SIGTERM, "a killed child's status is 128 plus the signal");

	{
		const char *argv[] = {"/nonexistent/perf-no-such-program", "x", NULL};
		struct perf_process p = PERF_PROCESS_INIT;
		p.argv = argv;
		rc = perf_process_run(&p, NULL, 0, NULL, NULL, &status, &err);
		ok(rc != 0, "a program that does not exist is an error");
		ok(strstr(err.msg, "cannot run '/nonexistent/perf-no-such-program'") && strstr(err.msg, "No such file"),
		   "naming it and why: %s", err.msg);
		p.name = "the tool";
		rc = perf_process_start(&p, &err);
		ok(rc != 0 && strstr(err.msg, "cannot run 'the tool'") && p.pid == -1, "or by the name given: %s",
		   err.msg);
	}

	{
		const char *argv[] = {"/bin/sh", "-c", "printf '%s' \"$PERF_TEST_VAR\"", NULL};
		const char *env[] = {"PERF_TEST_VAR=set in the child", NULL};
		struct perf_process p = PERF_PROCESS_INIT;
		p.argv = argv;
		p.env = env;
		p.out = PERF_PROCESS_PIPE;
		out.len = 0;
		rc = perf_process_run(&p, NULL, 0, &out, NULL, &status, &err);
		is_str(perf_buf_cstr(&out), "set in the child", "env is set in the child");
		ok(!getenv("PERF_TEST_VAR"), "and not in perf");
	}

	{
		const char *argv[] = {"/bin/sh", "-c", "cat >/dev/null; exit 7", NULL};
		struct perf_process p = PERF_PROCESS_INIT;
		p.argv = argv;
		p.in = PERF_PROCESS_PIPE;
		rc = perf_process_start(&p, &err);
		ok(rc == 0 && p.pid > 0 && p.to_child >= 0 && p.from_child == -1, "start gives the pipe asked for");
		ok(write(p.to_child, "abc", 3) == 3, "the caller writes to it");
		rc = perf_process_finish(&p, &status, &err);
		ok(rc == 0 && status == 7 && p.to_child == -1 && p.pid == -1, "finish closes it and waits");
	}

	perf_buf_release(&out);
	perf_buf_release(&errout);
	perf_buf_release(&big);
	return tap_done();
}
