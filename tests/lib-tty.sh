# on_tty FILE CMD...: runs CMD with its standard input, output and error on
# a pseudo-terminal (python3's pty module), as at a terminal; what it wrote
# there goes to FILE (the terminal turns each newline into CR LF), and its
# exit code is on_tty's.  Source it after lib.sh.
on_tty() {
	python3 - "$@" <<'PY'
import os, pty, sys
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
data = b""
while True:
    try:
        chunk = os.read(fd, 65536)
    except OSError:
        break
    if not chunk:
        break
    data += chunk
_, status = os.waitpid(pid, 0)
open(sys.argv[1], "wb").write(data)
sys.exit(os.waitstatus_to_exitcode(status))
PY
}
