#include "ssh.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <git2.h>
#include <git2/sys/transport.h>

#include "buf.h"
#include "process.h"

struct ssh_stream {
	git_smart_subtransport_stream parent;
	struct perf_process proc; /* ssh or git, its stdin and stdout piped */
	bool eof;
};

struct ssh_sub {
	git_smart_subtransport parent;
	git_transport *owner;
	struct ssh_stream *stream;
};

static bool program_on_path(const char *name)
{
	const char *path = getenv("PATH"), *p = path, *colon;
	char cand[4096];

	if (strchr(name, '/'))
		return access(name, X_OK) == 0;
	while (p && *p) {
		size_t len;
		colon = strchr(p, ':');
		len = colon ? (size_t)(colon - p) : strlen(p);
		if (len && snprintf(cand, sizeof(cand), "%.*s/%s", (int)len, p, name) < (int)sizeof(cand) &&
		    access(cand, X_OK) == 0)
			return true;
		p = colon ? colon + 1 : NULL;
	}
	return false;
}

static int copy(char *dst, size_t dsz, const char *src, size_t n)
{
	if (n >= dsz)
		return -1;
	memcpy(dst, src, n);
	dst[n] = '\0';
	return 0;
}

int perf_ssh_parse_url(const char *url, char *user, size_t usz, char *host, size_t hsz, int *port, char *path,
                       size_t psz)
{
	const char *p, *at, *slash, *colon, *hs, *he;

	user[0] = host[0] = path[0] = '\0';
	*port = 0;
	if (!strncmp(url, "ssh://", 6))
		p = url + 6;
	else if (!strncmp(url, "ssh+git://", 10) || !strncmp(url, "git+ssh://", 10))
		p = url + 10;
	else
		p = NULL;
	if (p) {
		slash = strchr(p, '/');
		if (!slash)
			return -1;
		at = memchr(p, '@', (size_t)(slash - p));
		hs = p;
		if (at) {
			if (copy(user, usz, p, (size_t)(at - p)))
				return -1;
			hs = at + 1;
		}
		he = slash;
		if (*hs == '[') {
			const char *close = memchr(hs, ']', (size_t)(slash - hs));
			if (!close)
				return -1;
			if (copy(host, hsz, hs + 1, (size_t)(close - hs - 1)))
				return -1;
			colon = close + 1 < slash && close[1] == ':' ? close + 1 : NULL;
		} else {
			colon = memchr(hs, ':', (size_t)(slash - hs));
			if (copy(host, hsz, hs, (size_t)((colon ? colon : he) - hs)))
				return -1;
		}
		if (colon) {
			char *end;
			long v = strtol(colon + 1, &end, 10);
			if (end != slash || v <= 0 || v > 65535)
				return -1;
			*port = (int)v;
		}
		/* ssh://host/~user/path and ssh://host/path: the path as given. */
		if (copy(path, psz, slash[1] == '~' ? slash + 1 : slash, strlen(slash[1] == '~' ? slash + 1 : slash)))
			return -1;
	} else {
		/* scp-like: [user@]host:path */
		colon = strchr(url, ':');
		if (!colon)
			return -1;
		at = memchr(url, '@', (size_t)(colon - url));
		hs = url;
		if (at) {
			if (copy(user, usz, url, (size_t)(at - url)))
				return -1;
			hs = at + 1;
		}
		if (copy(host, hsz, hs, (size_t)(colon - hs)) || copy(path, psz, colon + 1, strlen(colon + 1)))
			return -1;
	}
	if (!host[0] || !path[0] || host[0] == '-')
		return -1;
	return 0;
}

/* 'path' quoted for the remote shell. */
static void shell_quote(struct perf_buf *b, const char *s)
{
	perf_buf_putc(b, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			perf_buf_puts(b, "'\\''");
		else
			perf_buf_putc(b, *s);
	}
	perf_buf_putc(b, '\'');
}

static int stream_read(git_smart_subtransport_stream *s, char *buf, size_t size, size_t *got)
{
	struct ssh_stream *st = (struct ssh_stream *)s;
	ssize_t n;

	*got = 0;
	for (;;) {
		n = read(st->proc.from_child, buf, size);
		if (n >= 0)
			break;
		if (errno != EINTR) {
			git_error_set(GIT_ERROR_NET, "cannot read from ssh: %s", strerror(errno));
			return -1;
		}
	}
	if (n == 0) {
		int status = 0;
		st->eof = true;
		if (st->proc.pid > 0 && perf_process_finish(&st->proc, &status, NULL) == 0 && status != 0) {
			git_error_set(GIT_ERROR_NET,
			              "ssh failed (exit %d); its message is above. Check the address, "
			              "your key and known_hosts",
			              status);
			return -1;
		}
		git_error_set(GIT_ERROR_NET, "the ssh connection closed early");
		return -1;
	}
	*got = (size_t)n;
	return 0;
}

static int stream_write(git_smart_subtransport_stream *s, const char *buf, size_t len)
{
	struct ssh_stream *st = (struct ssh_stream *)s;

	while (len) {
		ssize_t n = write(st->proc.to_child, buf, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			git_error_set(GIT_ERROR_NET, "cannot write to ssh: %s", strerror(errno));
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

static void stream_free(git_smart_subtransport_stream *s)
{
	struct ssh_stream *st = (struct ssh_stream *)s;
	int status;

	if (!st)
		return;
	/* The remote git ends when its input closes; wait for ssh. */
	if (st->proc.pid > 0)
		perf_process_finish(&st->proc, &status, NULL);
	free(st);
}

/* file:///path and /path: git's own upload-pack and receive-pack, run
 * here, so a bare repository's hooks run as they do for git push. */
static const char *local_path(const char *url)
{
	if (!strncmp(url, "file://", 7))
		return url + 7;
	if (url[0] == '/')
		return url;
	return NULL;
}

/* Starts argv with its stdin and stdout piped to the stream; a program
 * that cannot be started is libgit2's error.  name outlives the stream. */
static int start(struct ssh_stream *st, const char *const *argv, const char *name)
{
	struct perf_error err;

	st->proc.argv = argv;
	st->proc.name = name;
	st->proc.in = PERF_PROCESS_PIPE;
	st->proc.out = PERF_PROCESS_PIPE;
	st->proc.default_sigpipe = true;
	if (perf_process_start(&st->proc, &err)) {
		git_error_set(GIT_ERROR_NET, "%s", err.msg);
		return -1;
	}
	st->proc.argv = NULL; /* the caller's, gone when it returns */
	return 0;
}

static int spawn_local(struct ssh_stream *st, const char *path, const char *service)
{
	const char *argv[] = {"git", service + 4, path, NULL};

	return start(st, argv, service);
}

static int spawn(struct ssh_stream *st, const char *url, const char *service)
{
	char user[256], host[1024], path[4096], portbuf[16];
	struct perf_buf remote = PERF_BUF_INIT, dest = PERF_BUF_INIT, sh = PERF_BUF_INIT;
	const char *cmd = getenv("GIT_SSH_COMMAND"), *prog = getenv("GIT_SSH");
	const char *argv[9];
	size_t n = 0;
	int port, rc;

	if (perf_ssh_parse_url(url, user, sizeof(user), host, sizeof(host), &port, path, sizeof(path))) {
		git_error_set(GIT_ERROR_NET,
		              "'%s' is not an ssh address (ssh://[user@]host[:port]/path or "
		              "[user@]host:path)",
		              url);
		return -1;
	}
	perf_buf_printf(&remote, "%s ", service);
	shell_quote(&remote, path);
	if (user[0])
		perf_buf_printf(&dest, "%s@", user);
	perf_buf_puts(&dest, host);
	snprintf(portbuf, sizeof(portbuf), "%d", port);
	if (cmd && *cmd) {
		/* As git: the command runs through the shell with the arguments appended. */
		perf_buf_printf(&sh, "%s \"$@\"", cmd);
		argv[n++] = "/bin/sh";
		argv[n++] = "-c";
		argv[n++] = perf_buf_cstr(&sh);
		argv[n++] = "ssh";
	} else {
		argv[n++] = prog && *prog ? prog : "ssh";
	}
	if (port) {
		argv[n++] = "-p";
		argv[n++] = portbuf;
	}
	argv[n++] = perf_buf_cstr(&dest);
	argv[n++] = perf_buf_cstr(&remote);
	argv[n] = NULL;
	rc = start(st, argv, "ssh");
	perf_buf_release(&remote);
	perf_buf_release(&dest);
	perf_buf_release(&sh);
	return rc;
}

static int sub_action(git_smart_subtransport_stream **out, git_smart_subtransport *t, const char *url,
                      git_smart_service_t action)
{
	struct ssh_sub *sub = (struct ssh_sub *)t;
	struct ssh_stream *st;
	const char *service;

	*out = NULL;
	if ((action == GIT_SERVICE_UPLOADPACK || action == GIT_SERVICE_RECEIVEPACK) && sub->stream) {
		*out = &sub->stream->parent;
		return 0;
	}
	service = (action == GIT_SERVICE_UPLOADPACK_LS || action == GIT_SERVICE_UPLOADPACK) ? "git-upload-pack"
	                                                                                    : "git-receive-pack";
	st = calloc(1, sizeof(*st));
	if (!st) {
		git_error_set_oom();
		return -1;
	}
	st->parent.subtransport = t;
	st->parent.read = stream_read;
	st->parent.write = stream_write;
	st->parent.free = stream_free;
	st->proc = (struct perf_process)PERF_PROCESS_INIT;
	if ((local_path(url) ? spawn_local(st, local_path(url), service) : spawn(st, url, service)) < 0) {
		free(st);
		return -1;
	}
	if (sub->stream)
		stream_free(&sub->stream->parent);
	sub->stream = st;
	*out = &st->parent;
	return 0;
}

static int sub_close(git_smart_subtransport *t)
{
	struct ssh_sub *sub = (struct ssh_sub *)t;

	/* The smart transport frees the stream it was handed; we only forget it. */
	sub->stream = NULL;
	return 0;
}

static void sub_free(git_smart_subtransport *t)
{
	free(t);
}

static int sub_new(git_smart_subtransport **out, git_transport *owner, void *param)
{
	struct ssh_sub *sub = calloc(1, sizeof(*sub));

	(void)param;
	if (!sub) {
		git_error_set_oom();
		return -1;
	}
	sub->owner = owner;
	sub->parent.action = sub_action;
	sub->parent.close = sub_close;
	sub->parent.free = sub_free;
	*out = &sub->parent;
	return 0;
}

static git_smart_subtransport_definition ssh_definition = {sub_new, 0, NULL};

static int transport_cb(git_transport **out, git_remote *owner, void *param)
{
	(void)param;
	return git_transport_smart(out, owner, &ssh_definition);
}

int perf_ssh_register(bool *registered, struct perf_error *err)
{
	/* libgit2 appends "://" to the scheme it is given. */
	static const char *const ssh_prefixes[] = {"ssh", "ssh+git", "git+ssh"};
	static const char *const local_prefixes[] = {"file"};
	static bool done, ssh;
	const char *prog = getenv("GIT_SSH");
	const char *cmd = getenv("GIT_SSH_COMMAND");
	int rc;

	*registered = ssh;
	if (done)
		return 0;
	/* Local repositories go through git itself (so hooks run) when git is here. */
	for (size_t i = 0; program_on_path("git") && i < sizeof(local_prefixes) / sizeof(*local_prefixes); i++) {
		rc = git_transport_register(local_prefixes[i], transport_cb, NULL);
		if (rc < 0 && rc != GIT_EEXISTS)
			return perf_error_git(err, "cannot register the local transport");
	}
	if ((cmd && *cmd) || program_on_path(prog && *prog ? prog : "ssh")) {
		for (size_t i = 0; i < sizeof(ssh_prefixes) / sizeof(*ssh_prefixes); i++) {
			rc = git_transport_register(ssh_prefixes[i], transport_cb, NULL);
			if (rc < 0 && rc != GIT_EEXISTS)
				return perf_error_git(err, "cannot register the ssh transport");
		}
		ssh = true;
	}
	done = true;
	*registered = ssh;
	return 0;
}

char *perf_ssh_local_url(const char *url)
{
	char real[4096];
	struct perf_buf b = PERF_BUF_INIT;

	if (!url || strstr(url, "://"))
		return NULL;
	/* scp-like host:path has a ':' before any '/'. */
	if (strchr(url, ':') && (!strchr(url, '/') || strchr(url, ':') < strchr(url, '/')))
		return NULL;
	if (!realpath(url, real))
		return NULL;
	if (perf_buf_printf(&b, "file://%s", real))
		return NULL;
	return perf_buf_detach(&b);
}
