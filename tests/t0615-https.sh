#!/bin/sh
# perf clone and perf sync over https: git's smart HTTP (git http-backend)
# behind TLS and Basic authentication, served here on 127.0.0.1.  Passwords
# come from git's credential helpers (git credential fill), are approved
# when they work and rejected when they do not; the server's certificate is
# checked against GIT_SSL_CAINFO or http.sslCAInfo, as git checks it.
. "$(dirname "$0")/lib.sh"
. "$PERF_SRC/tests/lib-tty.sh"

export PERF_NOW=2026-11-16T09:00:00Z GIT_TERMINAL_PROMPT=0

git init -q --bare srv/team.git
(team_fixture --dir seed --lead-role Lead --role "" --no-admit ari &&
	as ari perf goal add "Ship search v2" --id ship >/dev/null &&
	git push -q "$TEST_ROOT/srv/team.git" main) || exit 1

openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem -days 2 -subj /CN=localhost \
	-addext subjectAltName=DNS:localhost >/dev/null 2>&1 || exit 1
# The server takes a free port and names it, with its pid, in server.pid.
python3 "$PERF_SRC/tests/https-server.py" --root srv --port 0 --cert cert.pem --key key.pem \
	--user ari --password s3cret --pid-file server.pid --log server.log >server.err 2>&1 &
trap 'kill "$(cut -d" " -f1 "$TEST_ROOT/server.pid" 2>/dev/null)" 2>/dev/null; cd /; rm -rf "$TEST_ROOT"' EXIT
for i in $(seq 1 50); do test -s server.pid && break; sleep 0.2; done
port=$(cut -d" " -f2 server.pid)
url="https://localhost:$port/team.git"

# A credential helper (git's protocol: get, store, erase on stdin) that
# logs each action and answers from $TEST_ROOT/cred.state: "good" gives
# the right password, "stale" a wrong one until it is erased, "wrong"
# always a wrong one, "none" nothing.
cat >helper <<EOF
#!/bin/sh
state=\$(cat "$TEST_ROOT/cred.state")
echo "\$1" >>"$TEST_ROOT/cred.log"
cat >/dev/null
case "\$1 \$state" in
"get good") printf 'username=ari\npassword=s3cret\n' ;;
"get stale" | "get wrong") printf 'username=ari\npassword=old-one\n' ;;
"erase stale") echo good >"$TEST_ROOT/cred.state" ;;
esac
EOF
chmod +x helper
git config --global credential.helper "$TEST_ROOT/helper"
echo good >cred.state

# actions: the helper's log, on one line, then emptied.
actions() {
	tr '\n' ' ' <"$TEST_ROOT/cred.log" | sed 's/ $//'
	: >"$TEST_ROOT/cred.log"
}

test_expect_success 'the test server answers over TLS and asks who you are' '
	GIT_SSL_CAINFO="$TEST_ROOT/cert.pem" git ls-remote "$url" >"$out" &&
	contains "$out" refs/heads/main &&
	grep -q "401 -" server.log &&
	grep -q "200 ari" server.log &&
	: >cred.log
'

test_expect_success 'clone over https takes the password from the helper and tells it to keep it' '
	GIT_SSL_CAINFO="$TEST_ROOT/cert.pem" as ari perf clone "$url" ari >"$out" 2>"$err" &&
	contains "$out" "cloned" &&
	test -f ari/goals/ari/ship.md &&
	test "$(actions)" = "get store" &&
	test "$(git -C ari config remote.origin.url)" = "$url"
'

test_expect_success 'progress goes to stderr only when it is a terminal' '
	! grep -q "receiving objects" "$err" &&
	GIT_SSL_CAINFO="$TEST_ROOT/cert.pem" on_tty "$TEST_ROOT/tty.out" "$PERF_BIN" clone "$url" tty &&
	contains tty.out "receiving objects: 100%" &&
	test -f tty/goals/ari/ship.md &&
	: >cred.log
'

test_expect_success 'a certificate nobody vouches for stops the clone, naming the certificate' '
	expect_fail 1 as lena perf clone "$url" lena 2>"$err" &&
	contains "$err" "cannot clone" &&
	grep -qi "certificate" "$err" &&
	test ! -e lena
'

test_expect_success 'http.sslCAInfo in git config is trusted as git trusts it' '
	git config --global http.sslCAInfo "$TEST_ROOT/cert.pem" &&
	as lena perf clone "$url" lena >"$out" 2>"$err" &&
	contains "$out" "cloned" &&
	test "$(actions)" = "get store"
'

test_expect_success 'sync pushes over https with the password the helper keeps' '
	(cd ari && PERF_NOW=2026-11-17T09:00:00Z as ari perf checkin --goal ship=30 -m "indexer" >/dev/null &&
		as ari perf sync >"$out" 2>"$err") &&
	contains "$out" "pushed 1" &&
	test "$(git --git-dir=srv/team.git rev-parse main)" = "$(git -C ari rev-parse HEAD)" &&
	grep -q "POST /team.git/git-receive-pack 200 ari" server.log &&
	test "$(actions)" = "get store get store"
'

test_expect_success 'a password that no longer works is erased, and the next one is used' '
	echo stale >cred.state &&
	(cd lena && as lena perf sync >"$out" 2>"$err") &&
	test -f lena/checkins/ari/2026-W47.md &&
	test "$(actions)" = "get erase get store" &&
	test "$(cat cred.state)" = good
'

test_expect_success 'a wrong password stops after three tries and changes nothing' '
	(cd ari && PERF_NOW=2026-11-18T09:00:00Z as ari perf checkin --goal ship=40 -m "ranking" >/dev/null) &&
	before=$(snapshot ari) &&
	echo wrong >cred.state &&
	(cd ari && expect_fail 1 as ari perf sync 2>"$err") &&
	contains "$err" "authentication failed" &&
	unchanged ari "$before" &&
	test "$(actions)" = "get erase get erase get erase" &&
	test "$(git --git-dir=srv/team.git rev-parse main)" = "$(git -C ari rev-parse HEAD~1)"
'

test_expect_success 'no password at all says so and changes nothing' '
	echo none >cred.state &&
	before=$(snapshot ari) &&
	(cd ari && expect_fail 1 as ari perf sync 2>"$err") &&
	contains "$err" "no credentials" &&
	unchanged ari "$before" &&
	echo good >cred.state &&
	(cd ari && as ari perf sync >"$out") &&
	contains "$out" "pushed 1"
'

test_done
