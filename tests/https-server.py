#!/usr/bin/env python3
"""Git's smart HTTP over TLS with Basic authentication, for the tests.

    https-server.py --root DIR --port N --cert PEM --key PEM \
        --user NAME --password WORD --pid-file FILE [--log FILE]

Serves the repositories under DIR on 127.0.0.1:N (N 0: a free port the
system picks) through `git http-backend`
(the CGI program git ships), to anyone who gives NAME and WORD; every other
request gets 401 with a Basic challenge.  Pushes are allowed for that user.
Each request is logged as "METHOD PATH STATUS USER" to --log.  Once it listens it
writes "PID PORT" to --pid-file, and runs until killed.
"""

import argparse
import base64
import http.server
import os
import ssl
import subprocess
import sys
import urllib.parse


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def note(self, status, user):
        if self.server.log:
            with open(self.server.log, "a") as f:
                f.write("%s %s %d %s\n" % (self.command, self.path, status, user or "-"))

    def user(self):
        auth = self.headers.get("Authorization", "")
        if not auth.startswith("Basic "):
            return None
        try:
            name, _, word = base64.b64decode(auth[6:]).decode().partition(":")
        except (ValueError, UnicodeDecodeError):
            return None
        return name if (name, word) == (self.server.user, self.server.password) else None

    def body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            data = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return data
                data += self.rfile.read(size)
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def reply(self, status, headers, data):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def serve(self):
        data = self.body() if self.command == "POST" else b""
        user = self.user()
        if not user:
            self.note(401, None)
            self.reply(401, [("WWW-Authenticate", 'Basic realm="perf tests"'), ("Content-Type", "text/plain")],
                       b"authentication required\n")
            return
        url = urllib.parse.urlsplit(self.path)
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "GIT_PROJECT_ROOT": self.server.root,
            "GIT_HTTP_EXPORT_ALL": "1",
            "REQUEST_METHOD": self.command,
            "PATH_INFO": urllib.parse.unquote(url.path),
            "QUERY_STRING": url.query,
            "CONTENT_TYPE": self.headers.get("Content-Type", ""),
            "CONTENT_LENGTH": str(len(data)),
            "REMOTE_USER": user,
            "REMOTE_ADDR": "127.0.0.1",
            "GIT_CONFIG_NOSYSTEM": "1",
            "HOME": os.environ.get("HOME", "/"),
        }
        if self.headers.get("Content-Encoding"):
            env["HTTP_CONTENT_ENCODING"] = self.headers["Content-Encoding"]
        if self.headers.get("Git-Protocol"):
            env["GIT_PROTOCOL"] = self.headers["Git-Protocol"]
        p = subprocess.run(["git", "http-backend"], input=data, env=env, stdout=subprocess.PIPE)
        head, _, out = p.stdout.partition(b"\r\n\r\n")
        if not _:
            head, _, out = p.stdout.partition(b"\n\n")
        status, headers = 200, []
        for line in head.decode("latin-1").splitlines():
            k, _, v = line.partition(":")
            if k.lower() == "status":
                status = int(v.split()[0])
            elif k:
                headers.append((k, v.strip()))
        self.note(status, user)
        self.reply(status, headers, out)

    do_GET = serve
    do_POST = serve


def main():
    ap = argparse.ArgumentParser()
    for a in ("--root", "--cert", "--key", "--user", "--password", "--pid-file"):
        ap.add_argument(a, required=True)
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--log")
    a = ap.parse_args()
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    srv.root, srv.user, srv.password, srv.log = os.path.abspath(a.root), a.user, a.password, a.log
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(a.cert, a.key)
    srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    tmp = a.pid_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d %d\n" % (os.getpid(), srv.server_address[1]))
    os.rename(tmp, a.pid_file)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        sys.exit(0)


if __name__ == "__main__":
    main()
