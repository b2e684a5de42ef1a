/*
 * An ssh transport for libgit2 that runs the system ssh, so ~/.ssh/config,
 * ProxyJump, the agent, known_hosts and modern key types work as they do
 * for git.  Registered for ssh://, ssh+git://, git+ssh:// and scp-like
 * user@host:path addresses.  Reads GIT_SSH_COMMAND and GIT_SSH, as git does.
 * Local repositories (file:// and absolute paths) go through git upload-pack
 * and receive-pack the same way, so their hooks run as they do for git.
 */
#ifndef PERF_SSH_H
#define PERF_SSH_H

#include <stdbool.h>

#include "error.h"

/* Registers the transport when an ssh program is available; *registered
 * says whether it was (libgit2's libssh2 transport is used otherwise). */
int perf_ssh_register(bool *registered, struct perf_error *err);

/* A local repository's address as file://<absolute path> (caller frees),
 * so it goes through the transport above; NULL when url is not local. */
char *perf_ssh_local_url(const char *url);

/* Splits an ssh address into its parts (exposed for tests).  Buffers are
 * the caller's; port is 0 when not given. */
int perf_ssh_parse_url(const char *url, char *user, size_t usz, char *host, size_t hsz, int *port, char *path,
                       size_t psz);

#endif
