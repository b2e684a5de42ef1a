#!/bin/sh
# perf clone and perf sync between clones, through a bare repository on
# disk, git daemon (git://) and sshd (ssh://, the system ssh), started here
# on 127.0.0.1: clean merges, field-level merges, clashes that lose
# nothing, plain-git teammates, refused pushes and a vanishing server.
# A clash on ari's goal is settled as ari: the merge that settles it is a
# change of its author's own (perf-verify(1)), so it must be theirs to make.
. "$(dirname "$0")/lib.sh"

export PERF_NOW=2026-11-16T09:00:00Z
git init -q --bare srv/team.git
(team_fixture --dir seed --lead-role Lead --role "" --no-admit ari &&
	as ari perf goal add "Ship search v2" --id ship >/dev/null &&
	git remote add origin "$TEST_ROOT/srv/team.git" && git push -q origin main) || exit 1

test_expect_success 'clone gets the team and installs the merge driver' '
	perf clone "$TEST_ROOT/srv/team.git" ari >"$out" &&
	contains "$out" "cloned" &&
	test -f ari/people/ari.md &&
	git -C ari config merge.perf.driver | grep -q "merge-driver %O %A %B %P" &&
	as lena perf clone "file://$TEST_ROOT/srv/team.git" lena >/dev/null &&
	repo_clean ari && repo_clean lena
'

test_expect_success 'clone refuses a folder that is not empty' '
	mkdir -p full && echo x >full/x &&
	expect_fail 1 perf clone "$TEST_ROOT/srv/team.git" full 2>"$err" &&
	contains "$err" "not an empty folder"
'

test_expect_success 'sync when nothing changed says so' '
	(cd ari && as ari perf sync >"$out") && contains "$out" "up to date"
'

test_expect_success 'check-in and reply at once merge cleanly on both sides' '
	(cd ari && PERF_NOW=2026-11-17T09:00:00Z as ari perf checkin -m "indexer merged" --goal ship=40 >/dev/null) &&
	(cd lena && PERF_NOW=2026-11-17T10:00:00Z as lena perf reply goal:ari/ship -m "demo Friday?" >/dev/null) &&
	(cd ari && as ari perf sync >"$out") && contains "$out" "pushed 1" &&
	(cd lena && as lena perf sync >"$out") && contains "$out" "merged" &&
	(cd ari && as ari perf sync >"$out") &&
	test -f ari/checkins/ari/2026-W47.md && test -f lena/checkins/ari/2026-W47.md &&
	ls ari/goals/ari/ship/ | grep -q lena &&
	test "$(git -C ari rev-parse HEAD)" = "$(git -C lena rev-parse HEAD)" &&
	test "$(git -C ari rev-parse HEAD)" = "$(git -C srv/team.git rev-parse main)" &&
	! grep -rq "<<<<<<<" ari/goals ari/checkins &&
	repo_clean ari && repo_clean lena
'

test_expect_success 'different fields of the same goal merge field by field' '
	(cd ari && as ari perf goal set ship progress=55 >/dev/null && as ari perf sync >/dev/null) &&
	(cd lena && git config perf.handle ari && as ari perf goal set ship due=2027-02-01 >/dev/null && git config --unset perf.handle) &&
	(cd lena && as lena perf sync >"$out") && contains "$out" "merged" &&
	contains lena/goals/ari/ship.md "progress: 55" &&
	contains lena/goals/ari/ship.md "due: 2027-02-01" &&
	(cd ari && as ari perf sync >/dev/null) &&
	contains ari/goals/ari/ship.md "due: 2027-02-01" &&
	repo_clean ari && repo_clean lena
'

test_expect_success 'the same field changed on both sides stops the sync, loses nothing, and resolves' '
	(cd ari && as ari perf goal set ship progress=60 >/dev/null && as ari perf sync >/dev/null) &&
	(cd lena && git config perf.handle ari && as ari perf goal set ship progress=70 >/dev/null && git config --unset perf.handle) &&
	lena_head=$(git -C lena rev-parse HEAD) &&
	(cd lena && as lena expect_fail 1 perf sync 2>"$err") &&
	contains "$err" "goals/ari/ship.md" && contains "$err" "progress" &&
	contains "$err" "70" && contains "$err" "60" &&
	test "$(git -C lena rev-parse HEAD)" = "$lena_head" &&
	contains lena/goals/ari/ship.md "progress: 70" &&
	test "$(git -C srv/team.git show main:goals/ari/ship.md | grep progress:)" = "progress: 60" &&
	(cd lena && as lena perf --json resolve >"$out") &&
	python3 -c "import json; d=json.load(open(\"$out\")); assert d[0][\"field\"]==\"progress\" and d[0][\"ours\"]==\"70\" and d[0][\"theirs\"]==\"60\", d" &&
	(cd lena && as ari perf resolve goals/ari/ship.md progress --value 65 >"$out") &&
	contains "$out" "all settled" &&
	(cd lena && as ari perf sync >"$out") && contains "$out" "merged" &&
	contains lena/goals/ari/ship.md "progress: 65" &&
	test "$(git -C srv/team.git show main:goals/ari/ship.md | grep progress:)" = "progress: 65" &&
	! grep -q "<<<<<<<" lena/goals/ari/ship.md &&
	repo_clean lena
'

test_expect_success 'a teammate using plain git is merged in' '
	git clone -q "$TEST_ROOT/srv/team.git" plain &&
	(cd plain && sed -i "s/^title: .*/title: Ship search v2 (beta)/" goals/ari/ship.md &&
		as ari git commit -qam "retitle by hand" && git push -q origin main) &&
	(cd ari && as ari perf sync >"$out") &&
	contains ari/goals/ari/ship.md "title: Ship search v2 (beta)" &&
	repo_clean ari
'

test_expect_success 'a push refused by a server hook keeps local commits and shows the reason' '
	printf "#!/bin/sh\necho \"checkins are frozen today\" >&2\nexit 1\n" >srv/team.git/hooks/pre-receive &&
	chmod +x srv/team.git/hooks/pre-receive &&
	(cd ari && PERF_NOW=2026-11-24T09:00:00Z as ari perf checkin -m "more" >/dev/null) &&
	mine=$(git -C ari rev-parse HEAD) &&
	(cd ari && as ari expect_fail 1 perf sync 2>"$err") &&
	contains "$err" "refused" &&
	test "$(git -C ari rev-parse HEAD)" = "$mine" &&
	rm srv/team.git/hooks/pre-receive &&
	(cd ari && as ari perf sync >"$out") && contains "$out" "pushed 1"
'

port_base=$((20000 + $$ % 20000))

test_expect_success 'sync through git daemon (git://)' '
	git daemon --reuseaddr --base-path="$TEST_ROOT/srv" --export-all --enable=receive-pack \
		--listen=127.0.0.1 --port=$port_base --pid-file="$TEST_ROOT/daemon.pid" --detach "$TEST_ROOT/srv" &&
	for i in 1 2 3 4 5 6 7 8 9 10; do git ls-remote "git://127.0.0.1:$port_base/team.git" >/dev/null 2>&1 && break; sleep 0.3; done &&
	perf clone "git://127.0.0.1:$port_base/team.git" viagit >/dev/null &&
	(cd viagit && PERF_NOW=2026-11-25T09:00:00Z as lena perf reply ari/2026-W48 -m "nice" >/dev/null && as lena perf sync >"$out") &&
	contains "$out" "pushed 1" &&
	(cd ari && as ari perf sync >/dev/null) && ls ari/checkins/ari/2026-W48/ | grep -q lena &&
	repo_clean viagit
'

test_expect_success 'a server that vanishes mid-fetch gives a clear error and changes nothing' '
	kill "$(cat "$TEST_ROOT/daemon.pid")" 2>/dev/null; sleep 0.2
	python3 -c "
import socket,sys
s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((\"127.0.0.1\", $port_base)); s.listen(1)
c,_=s.accept(); c.recv(100); c.close(); s.close()" &
	sleep 0.5 &&
	before=$(snapshot viagit) &&
	(cd viagit && as lena expect_fail 1 perf sync 2>"$err") &&
	contains "$err" "cannot fetch" &&
	unchanged viagit "$before"
'

if command -v sshd >/dev/null 2>&1 || test -x /usr/sbin/sshd; then
	sshd_bin=$(command -v sshd || echo /usr/sbin/sshd)
	ssh-keygen -q -t ed25519 -N "" -f "$TEST_ROOT/hostkey" &&
	ssh-keygen -q -t ed25519 -N "" -f "$TEST_ROOT/userkey" &&
	cp "$TEST_ROOT/userkey.pub" "$TEST_ROOT/authorized_keys" && chmod 600 "$TEST_ROOT/authorized_keys"
	sport=$((port_base + 1))
	cat >"$TEST_ROOT/sshd_config" <<-CFG
	Port $sport
	ListenAddress 127.0.0.1
	HostKey $TEST_ROOT/hostkey
	AuthorizedKeysFile $TEST_ROOT/authorized_keys
	PidFile $TEST_ROOT/sshd.pid
	StrictModes no
	UsePAM no
	PasswordAuthentication no
	KbdInteractiveAuthentication no
	PubkeyAuthentication yes
	PermitRootLogin prohibit-password
	SetEnv PATH=/usr/local/bin:/usr/bin:/bin
	CFG
	mkdir -p /run/sshd 2>/dev/null
	"$sshd_bin" -f "$TEST_ROOT/sshd_config" -E "$TEST_ROOT/sshd.log"
	trap 'kill "$(cat "$TEST_ROOT/sshd.pid" 2>/dev/null)" 2>/dev/null; cd /; rm -rf "$TEST_ROOT"' EXIT
	export GIT_SSH_COMMAND="ssh -F /dev/null -i $TEST_ROOT/userkey -o IdentitiesOnly=yes -o UserKnownHostsFile=$TEST_ROOT/known_hosts -o StrictHostKeyChecking=accept-new -o BatchMode=yes"
	me=$(id -un)
	test_expect_success 'sync through sshd with the system ssh (ssh:// and scp-like addresses)' '
		for i in 1 2 3 4 5 6 7 8 9 10; do test -s "$TEST_ROOT/sshd.pid" && break; sleep 0.3; done &&
		perf clone "ssh://$me@127.0.0.1:$sport$TEST_ROOT/srv/team.git" viassh >/dev/null 2>"$err" &&
		(cd viassh && PERF_NOW=2026-11-26T09:00:00Z as lena perf reply ari/2026-W48 -m "over ssh" >/dev/null &&
			as lena perf sync >"$out") &&
		contains "$out" "pushed 1" &&
		(cd ari && as ari perf sync >/dev/null) &&
		grep -rq "over ssh" ari/checkins/ari/2026-W48/ &&
		repo_clean viassh
	'
	test_expect_success 'a wrong key over ssh is a clear error' '
		ssh-keygen -q -t ed25519 -N "" -f "$TEST_ROOT/otherkey" &&
		GIT_SSH_COMMAND="ssh -F /dev/null -i $TEST_ROOT/otherkey -o IdentitiesOnly=yes -o UserKnownHostsFile=$TEST_ROOT/known_hosts -o BatchMode=yes" \
			expect_fail 1 perf clone "ssh://$me@127.0.0.1:$sport$TEST_ROOT/srv/team.git" nokey 2>"$err" &&
		contains "$err" "ssh"
	'
else
	echo "# sshd not installed: ssh tests skipped"
fi

test_done
