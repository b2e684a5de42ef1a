#!/bin/sh
# Signed commits: perf signs with the SSH key git config names, as git
# does; people list their public keys with perf join --key; perf verify
# --allowed-signers prints the file git verify-commit wants; and when the
# team requires signed commits a shared repository's hook refuses what is
# unsigned or signed with a key that is not the author's.
. "$(dirname "$0")/lib.sh"
. "$PERF_SRC/tests/lib-trust.sh"

if ! ssh-keygen -Y sign 2>&1 | grep -qi "usage\|sign"; then
	echo "1..0 # SKIP ssh-keygen -Y sign (OpenSSH 8.2 or later) is not available"
	exit 0
fi

export PERF_NOW=2026-11-16T09:00:00Z
keys=$TEST_ROOT/keys
mkdir -p "$keys"
for p in lena ari bo stranger; do
	ssh-keygen -q -t ed25519 -N "" -C "$p" -f "$keys/$p" || exit 1
done
git config --global gpg.format ssh
git config --global commit.gpgsign true
git config --global user.signingkey "$keys/lena"

# signer DIR NAME: commits in DIR are signed with NAME's key.
signer() {
	git -C "$1" config user.signingkey "$keys/$2"
}

git init -q --bare srv.git
perf hook install srv.git >/dev/null || exit 1
perf init team --team Search >/dev/null 2>&1 || exit 1
(cd team && signer . lena && as lena perf join --role Lead --key "$keys/lena.pub" >/dev/null &&
	signer . ari && as ari perf join --lead lena --key "$keys/ari.pub" >/dev/null &&
	signer . bo && as bo perf join --lead lena --key "$keys/bo.pub" >/dev/null &&
	git remote add origin "$TEST_ROOT/srv.git" && git push -q origin main) || exit 1

test_expect_success 'perf join --key lists the public key in the people file' '
	grep -qxF "  - $(cat "$keys/ari.pub")" team/people/ari.md &&
	grep -q "^keys:" team/people/lena.md
'

test_expect_success 'perf join --key refuses a private key and what is not a key' '
	(cd team && expect_fail 1 perf join --email cy@example.com --name Cy --key "$keys/stranger" 2>"$err") &&
	contains "$err" "private key" &&
	echo "ssh-ed25519 not-a-key cy" >"$TEST_ROOT/bad.pub" &&
	(cd team && expect_fail 1 perf join --email cy@example.com --name Cy --key "$TEST_ROOT/bad.pub" 2>"$err") &&
	contains "$err" "not an SSH public key" &&
	test ! -e team/people/cy.md
'

test_expect_success 'the maintainer requires signed commits, signing with git itself' '
	(cd team && signer . lena && sed -i "\$a signing_required: true" .perf/config.yaml &&
		as lena git commit -qam "require signed commits" &&
		git cat-file commit HEAD | grep -q "^gpgsig -----BEGIN SSH SIGNATURE-----" &&
		git push -q origin main)
'

test_expect_success 'perf signs its commits with the key git config names' '
	(cd team && signer . ari && as ari perf goal add "Ship search v2" --id ship >/dev/null &&
		git cat-file commit HEAD >"$out") &&
	contains "$out" "gpgsig -----BEGIN SSH SIGNATURE-----" &&
	contains "$out" " -----END SSH SIGNATURE-----" &&
	! grep -q "^ \$" "$out"
'

test_expect_success 'perf verify --allowed-signers prints the keys people list, for git verify-commit' '
	perf -C team verify --allowed-signers >"$TEST_ROOT/allowed" &&
	test "$(wc -l <"$TEST_ROOT/allowed")" = 3 &&
	grep -qxF "ari@example.com namespaces=\"git\" $(cat "$keys/ari.pub")" "$TEST_ROOT/allowed" &&
	git -C team -c gpg.ssh.allowedSignersFile="$TEST_ROOT/allowed" verify-commit HEAD 2>"$err" &&
	contains "$err" "Good \"git\" signature for ari@example.com" &&
	git -C team -c gpg.ssh.allowedSignersFile="$TEST_ROOT/allowed" verify-commit HEAD~1 2>"$err" &&
	contains "$err" "for lena@example.com"
'

test_expect_success 'perf verify accepts perf'\''s and git'\''s signed commits, and the hook lets them in' '
	perf -C team verify --all &&
	git -C team push -q origin main &&
	test "$(git -C srv.git rev-parse main)" = "$(git -C team rev-parse HEAD)"
'

git clone -q srv.git work
cd work
git config user.name "Bo Example"
git config user.email bo@example.com
signer . bo

test_expect_success 'an unsigned commit is refused when the team requires signed commits' '
	as bo perf goal add "Unsigned work" --id unsigned >/dev/null &&
	git reset -q --soft HEAD~1 &&
	as bo git -c commit.gpgsign=false commit -qm "unsigned" &&
	! git cat-file commit HEAD | grep -q "^gpgsig" &&
	refused "unsigned commit (the team requires signed commits)"
'

test_expect_success 'a commit signed with a key the author does not list is refused' '
	signer . stranger &&
	as bo perf goal add "Not my key" --id stray >/dev/null &&
	git cat-file commit HEAD | grep -q "^gpgsig" &&
	refused "signature does not verify for bo@example.com" &&
	signer . ari &&
	as bo perf goal add "Ari'\''s key" --id borrowed >/dev/null &&
	refused "signature does not verify for bo@example.com" &&
	signer . bo
'

test_expect_success 'perf verify names the unsigned commit, in text and JSON, with exit 1' '
	as bo perf goal add "Plain" --id plain >/dev/null &&
	git reset -q --soft HEAD~1 && as bo git -c commit.gpgsign=false commit -qm "plain" &&
	id=$(git rev-parse --short=12 HEAD) &&
	expect_fail 1 perf verify origin/main..HEAD >"$out" 2>"$err" &&
	grep -qx "$id -: unsigned commit (the team requires signed commits)" "$out" &&
	perf --json verify origin/main..HEAD >"$out"; test $? = 1 &&
	python3 -c "import json; d=json.load(open(\"$out\")); assert d[\"checked\"]==1 and d[\"violations\"][0][\"reason\"].startswith(\"unsigned commit\"), d" &&
	git reset -q --hard origin/main
'

test_expect_success 'a signed commit by its author is accepted' '
	as bo perf goal add "Signed work" --id signed >/dev/null &&
	git push -q origin main
'

test_expect_success 'a missing key file fails clearly and commits nothing' '
	git config user.signingkey "$keys/nobody" &&
	before=$(snapshot .) &&
	expect_fail 1 as bo perf goal add "Lost" --id lost 2>"$err" &&
	contains "$err" "cannot read user.signingkey '\''$keys/nobody'\''" &&
	unchanged . "$before" &&
	signer . bo
'

# A key that shows its fault only when ssh-keygen signs leaves the objects
# written for the commit (unreferenced, for git gc); nothing else changes.
test_expect_success 'a key ssh-keygen cannot use fails with its message and commits nothing' '
	cp "$keys/bo.pub" "$TEST_ROOT/lonely.pub" &&
	git config user.signingkey "$TEST_ROOT/lonely.pub" &&
	before=$(snapshot . | grep -v "^./.git/objects/") &&
	(unset SSH_AUTH_SOCK; expect_fail 1 as bo perf goal add "Lost" --id lost 2>"$err") &&
	contains "$err" "cannot sign the commit with user.signingkey" &&
	snapshot . | grep -v "^./.git/objects/" >"$TEST_ROOT/.snap.now" &&
	printf "%s\n" "$before" | diff -u - "$TEST_ROOT/.snap.now" &&
	signer . bo
'

test_expect_success 'no ssh-keygen fails clearly and commits nothing' '
	git config gpg.ssh.program "$TEST_ROOT/no-such-ssh-keygen" &&
	before=$(snapshot .) &&
	expect_fail 1 as bo perf goal add "Lost" --id lost 2>"$err" &&
	contains "$err" "cannot run" && contains "$err" "gpg.ssh.program" &&
	unchanged . "$before" &&
	git config --unset gpg.ssh.program
'

test_expect_success 'GPG signing is not done yet: perf says so and commits nothing' '
	git config gpg.format openpgp &&
	before=$(snapshot .) &&
	expect_fail 1 as bo perf goal add "Lost" --id lost 2>"$err" &&
	contains "$err" "perf signs only with SSH keys" &&
	unchanged . "$before" &&
	git config gpg.format ssh
'

if command -v ssh-agent >/dev/null 2>&1 && command -v ssh-add >/dev/null 2>&1; then
	test_expect_here 'a public key (file or literal) with the key in ssh-agent signs' '
		agent_out=$(ssh-agent -s) && eval "$agent_out" >/dev/null &&
		ssh-add -q "$keys/bo" 2>/dev/null &&
		git config user.signingkey "$TEST_ROOT/lonely.pub" &&
		as bo perf goal add "With the agent" --id agent >/dev/null &&
		git config user.signingkey "key::$(cat "$keys/bo.pub")" &&
		as bo perf goal add "Literal key" --id literal >/dev/null &&
		git push -q origin main
	'
	test -n "$SSH_AGENT_PID" && kill "$SSH_AGENT_PID" 2>/dev/null
	unset SSH_AUTH_SOCK SSH_AGENT_PID
	signer . bo
else
	test_count=$((test_count + 1))
	echo "ok $test_count - a public key with the key in ssh-agent signs # SKIP ssh-agent is not installed"
fi

test_expect_success 'a merge made by perf sync is signed and accepted' '
	cd "$TEST_ROOT" &&
	(cd team && signer . ari && git pull -q --no-rebase origin main &&
		PERF_NOW=2026-11-17T09:00:00Z as ari perf checkin -m "indexer merged" >/dev/null) &&
	(cd work && PERF_NOW=2026-11-17T10:00:00Z as bo perf checkin -m "reviews" >/dev/null &&
		as bo perf sync >/dev/null) &&
	(cd team && as ari perf sync >"$out") && contains "$out" "merged" &&
	test "$(git -C team cat-file -p HEAD | grep -c "^parent")" = 2 &&
	git -C team cat-file commit HEAD | grep -q "^gpgsig" &&
	test "$(git -C srv.git rev-parse main)" = "$(git -C team rev-parse HEAD)" &&
	perf -C srv.git verify main
'

test_done
