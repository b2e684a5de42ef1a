# Helpers of the trust suites (t0800-t0890):
# attacks made with plain git against a bare repository guarded by 'perf
# hook install' ($srv), and against clones that run perf sync from an open
# server ($open, at $good).  Sourced after lib.sh; each test file sets up
# its own team, with the setup helpers below where it is the same.

# --- setting up --------------------------------------------------------------

# guarded_server [NAME]: a bare repository $TEST_ROOT/NAME.git (default:
# srv.git) guarded by 'perf hook install'; $srv is its path, and what the
# install printed is in $TEST_ROOT/hook.out (each call writes it anew).
#	guarded_server || exit 1
guarded_server() {
	srv=$TEST_ROOT/${1:-srv}.git
	(cd "$TEST_ROOT" && git init -q --bare "${1:-srv}.git" &&
		perf hook install "${1:-srv}.git" >"$TEST_ROOT/hook.out" 2>&1) ||
		{ cat "$TEST_ROOT/hook.out" >&2; return 1; }
}

# attacker_clone DIR [WHO]: a plain git clone of $srv in $TEST_ROOT/DIR,
# which it enters; with WHO, commits made there are WHO's ("Who Example"
# <who@example.com>) unless 'as' says otherwise.
#	attacker_clone work ari || exit 1
attacker_clone() {
	git clone -q "$srv" "$TEST_ROOT/$1" && cd "$TEST_ROOT/$1" || return 1
	test -z "$2" || {
		git config user.name "$(printf '%s' "$2" | sed 's/^./\U&/') Example" &&
			git config user.email "$2@example.com"
	}
}

# trust_seed_week: in the folder of 'team_fixture ... ari bo dan', the
# week the attacks of t0830 and t0835 start from: ari's and bo's check-ins,
# lena's reply and bo's praise to ari, ari's goal "ship", and lena making bo
# a maintainer (each at its own time on 2026-11-17).
#	(team_fixture --dir seed --lead-role Lead --role "" ari bo dan && trust_seed_week && ...)
trust_seed_week() {
	PERF_NOW=2026-11-17T09:00:00Z as ari perf checkin -m "first week" >/dev/null &&
	PERF_NOW=2026-11-17T09:30:00Z as bo perf checkin -m "bo's own week" >/dev/null &&
	PERF_NOW=2026-11-17T10:00:00Z as lena perf reply ari/2026-W47 -m "nice start" >/dev/null &&
	PERF_NOW=2026-11-17T11:00:00Z as bo perf praise ari -m "great review" >/dev/null &&
	PERF_NOW=2026-11-17T12:00:00Z as ari perf goal add "Ship search v2" --id ship >/dev/null &&
	sed -i "s/^maintainers: .*/maintainers: [lena, bo]/" .perf/config.yaml &&
	as lena git commit -qam "bo helps maintain the program"
}

# trust_seed_revoke: after trust_seed_week (and its push), the rights lena
# takes back: bo steps down as maintainer, dan leaves the team (a commit
# each, by lena).
trust_seed_revoke() {
	sed -i "s/^maintainers: .*/maintainers: [lena]/" .perf/config.yaml &&
	as lena git commit -qam "bo steps down as maintainer" &&
	git rm -q people/dan.md && as lena git commit -qm "dan left the team"
}

# ssh_signing_or_done: unless ssh-keygen can sign (ssh-keygen -Y sign,
# OpenSSH 8.2 or later), the signed team's cases are one TAP skip and the
# test file ends here.
ssh_signing_or_done() {
	ssh-keygen -Y sign 2>&1 | grep -qi "usage\|sign" && return 0
	test_skip "signed team" "ssh-keygen -Y sign (OpenSSH 8.2 or later) is not available"
	test_done
	exit
}

# signed_team KEYS [--no-admit] HANDLE...: a team that requires signed
# commits, pushed to its own guarded server ($srv: $TEST_ROOT/signed.git),
# and a plain git clone of it, $TEST_ROOT/swork, which it enters, that
# signs its commits with ssh keys (the key is the caller's to choose:
# git config user.signingkey).  KEYS is a new folder with an ed25519 key
# for lena and each HANDLE (KEYS/NAME, KEYS/NAME.pub).  In the team
# ("steam", named Signed) lena joins as Lead and each HANDLE with lena as
# lead, each with their key; lena admits them (not with --no-admit) and
# requires signed commits.
#	signed_team "$TEST_ROOT/keys" ari bo || exit 1
signed_team() {
	_keys=$1
	shift
	_admit=yes
	test "$1" != --no-admit || { _admit= && shift; }
	mkdir -p "$_keys" || return 1
	for _k in lena "$@"; do
		ssh-keygen -q -t ed25519 -N "" -C "$_k" -f "$_keys/$_k" || return 1
	done
	guarded_server signed || return 1
	(cd "$TEST_ROOT" && perf init steam --team Signed >/dev/null 2>&1) || return 1
	(cd "$TEST_ROOT/steam" && git config gpg.format ssh && git config commit.gpgsign true &&
		git config user.signingkey "$_keys/lena" && as lena perf join --role Lead --key "$_keys/lena.pub" >/dev/null &&
		for _k in "$@"; do
			git config user.signingkey "$_keys/$_k" &&
				as "$_k" perf join --lead lena --key "$_keys/$_k.pub" >/dev/null || exit 1
		done &&
		git config user.signingkey "$_keys/lena" && { test -z "$_admit" || admit_all; } &&
		sed -i "\$a signing_required: true" .perf/config.yaml &&
		as lena git commit -qam "require signed commits" &&
		git remote add origin "$srv" && git push -q origin main) 2>"$err" || { cat "$err"; return 1; }
	attacker_clone swork && git config gpg.format ssh && git config commit.gpgsign true
}

# --- clashes settled by hand, which must still land -------------------------

# field_clash_settled: in the clones ari1 and ari2 (of the same server),
# ari's goal ship set to 60 in ari1 (synced) and to 70 in ari2, whose sync
# fails naming progress; perf resolve settles it at 65 ("all settled") and
# ari2's sync merges ($out, $err: its output).
field_clash_settled() {
	(cd ari1 && perf goal set ship progress=60 >/dev/null && perf sync >/dev/null 2>"$err") &&
	(cd ari2 && perf goal set ship progress=70 >/dev/null && expect_fail 1 perf sync 2>"$err") &&
	contains "$err" "progress" &&
	(cd ari2 && perf resolve goals/ari/ship.md progress --value 65 >"$out") && contains "$out" "all settled" &&
	(cd ari2 && perf sync >"$out" 2>"$err") && contains "$out" "merged"
}

# body_clash_settled DATE: in the clones ari1 and lena1, ari writes her
# expectations (at 09:00 on DATE) and syncs, lena1 syncs, ari rewrites them
# (10:00) and syncs, lena rewrites them for her (11:00): lena1's sync fails
# naming the file; perf resolve --theirs settles it ("all settled") and
# lena1's sync merges ($out, $err: its output).
body_clash_settled() {
	(cd ari1 && PERF_NOW=${1}T09:00:00Z perf expect -m "Ari owns search." >/dev/null &&
		perf sync >/dev/null 2>"$err") &&
	(cd lena1 && perf sync >/dev/null 2>&1) &&
	(cd ari1 && PERF_NOW=${1}T10:00:00Z perf expect -m "Ari owns search and ranking." >/dev/null &&
		perf sync >/dev/null 2>"$err") &&
	(cd lena1 && PERF_NOW=${1}T11:00:00Z perf expect ari -m "Ari owns search and mentors bo." >/dev/null &&
		expect_fail 1 perf sync 2>"$err") &&
	contains "$err" "expectations/ari.md" &&
	(cd lena1 && perf resolve expectations/ari.md --theirs >"$out") && contains "$out" "all settled" &&
	(cd lena1 && perf sync >"$out" 2>"$err") && contains "$out" "merged"
}

# --- attacking ---------------------------------------------------------------

# mallory_root: in the attacker's clone, a history of mallory's own with no
# parent: her people file, herself sole maintainer, signing off, the team's
# record gone.  $rtree is its tree, $root its commit.
mallory_root() {
	_cfg=$(printf "kind: config\nformat: 1\nteam: Mallory's\nagreement: majority\nmaintainers: [mallory]\nsigning_required: false\ngroups: []\n" |
		git hash-object -w --stdin) &&
	_pm=$(printf -- "---\nkind: person\nname: Mallory Example\nemail: mallory@example.com\n---\n" | git hash-object -w --stdin) &&
	rtree=$(printf "040000 tree %s\t.perf\n040000 tree %s\tpeople\n" \
		"$(printf "100644 blob %s\tconfig.yaml\n" "$_cfg" | git mktree)" \
		"$(printf "100644 blob %s\tmallory.md\n" "$_pm" | git mktree)" | git mktree) &&
	root=$(as mallory git commit-tree "$rtree" -m "a fresh start")
}

# refs: the server's references, one "name id" a line.
refs() {
	git -C "$srv" for-each-ref --format='%(refname) %(objectname)'
}

# restore_refs: the server's refs back as they were before the push (for an
# attack that got in, so that the next test starts from the same server).
restore_refs() {
	refs | while read -r _n _i; do
		grep -q "^$_n " "$TEST_ROOT/.refs.before" || git -C "$srv" update-ref -d "$_n"
	done
	while read -r _n _i; do
		git -C "$srv" update-ref "$_n" "$_i"
	done <"$TEST_ROOT/.refs.before"
}

# push_refused REASON [PUSH-ARGS...]: 'git push PUSH-ARGS' (default: HEAD to
# the server's main) fails, git shows REASON from the hook, and the
# server's refs are exactly as before.
push_refused() {
	_why=$1
	shift
	test $# -gt 0 || set -- origin HEAD:refs/heads/main
	refs >"$TEST_ROOT/.refs.before"
	if git push "$@" >"$TEST_ROOT/.push.out" 2>"$err"; then
		echo "push was accepted: git push $*" >&2
		cat "$TEST_ROOT/.push.out" "$err" >&2
		restore_refs
		return 1
	fi
	refs >"$TEST_ROOT/.refs.after"
	if ! diff -u "$TEST_ROOT/.refs.before" "$TEST_ROOT/.refs.after" >&2; then
		echo "the push failed but the server's refs changed" >&2
		restore_refs
		return 1
	fi
	contains "$err" "$_why"
}

# refused TEXT: 'git push -q origin main' is refused with TEXT (from the
# hook); the clone's main goes back to the server's (t0800, t0810).
refused() {
	if git push -q origin main 2>"$err"; then
		echo "push was accepted" >&2
		return 1
	fi
	git reset -q --hard origin/main
	contains "$err" "$1"
}

# pushed: HEAD goes to the server's main and lands there.
pushed() {
	git push -q origin HEAD:refs/heads/main 2>"$err" || { cat "$err" >&2; return 1; }
	test "$(git -C "$srv" rev-parse main)" = "$(git rev-parse HEAD)"
}

# fresh [REV]: the work tree at REV, nothing else; the default is
# $fresh_base when the test sets it (t0835: $good), else the server's main.
fresh() {
	git fetch -q origin &&
	git checkout -q -f --detach "${1:-${fresh_base:-origin/main}}" &&
	git clean -qfdx
}

# commit_as WHO MSG: commit every change of the work tree as WHO (author and
# committer); print its id.
commit_as() {
	git add -A && commit_index_as "$@"
}

# commit_index_as WHO MSG: commit the index as it is (what is checked out,
# with what the test staged by hand) as WHO; print its id.
commit_index_as() {
	as "$1" git commit -q --no-verify -m "$2" && git rev-parse HEAD
}

# merge_of WHO PARENT...: a merge commit of the index's tree with these
# parents, authored and committed by WHO; print its id.
merge_of() {
	_who=$1
	shift
	_tree=$(git write-tree) || return 1
	_ps=
	for _p in "$@"; do
		_ps="$_ps -p $(git rev-parse "$_p")"
	done
	as "$_who" git commit-tree "$_tree" $_ps -m "Merge branch 'side'"
}

# id REV: the 12 hex digits verify prints for a commit.
id() {
	printf %.12s "$(git rev-parse "$1")"
}

# version FILE: the agreement version of FILE as perf-format(5) describes it
# (a norm's status and adoption time are not part of it), computed
# independently of perf (tests/agreement.py).
version() {
	python3 "$PERF_SRC/tests/agreement.py" "$1"
}

# agreements FILE [WHO[=VERSION]]...: FILE's agreed_by list rewritten by
# hand to exactly these entries, in this order: WHO's entry kept as it is
# when it is to the document's current version, otherwise written anew to
# VERSION (default: the current version).  No WHO: no agreed_by at all.
agreements() {
	python3 - "$PERF_SRC/tests" "$@" <<-'PY'
	import re, sys, yaml
	sys.dont_write_bytecode = True
	sys.path.insert(0, sys.argv[1])
	import agreement
	path, args = sys.argv[2], sys.argv[3:]
	text = open(path).read()
	end = text.index("\n---\n", 3)
	head, rest = text[:end + 1], text[end + 1:]
	fm = yaml.load(head[4:], Loader=yaml.BaseLoader)
	old = {e["who"]: e for e in fm.get("agreed_by") or []}
	cur = agreement.version(fm, text[end + 5:].encode())
	raw = {}
	m = re.search(r"(?m)^agreed_by:\n((?:  .*\n)*)", head)
	if m:
	    for who, more in re.findall(r"  - who: (\S+)\n((?:    .*\n)*)", m.group(1)):
	        raw[who] = "  - who: %s\n%s" % (who, more)
	    head = head[:m.start()] + head[m.end():]
	entries = ""
	for a in args:
	    who, _, ver = a.partition("=")
	    if not ver and who in old and old[who]["version"] == cur:
	        entries += raw[who]
	    else:
	        entries += '  - who: %s\n    at: 2026-11-24T09:00:00Z\n    version: "%s"\n' % (who, ver or cur)
	if entries:
	    head += "agreed_by:\n" + entries
	open(path, "w").write(head + rest)
	PY
}

# set_field FILE KEY VALUE: a top-level field set by hand (added at the end
# of the front matter, or of a plain YAML file, when absent).
set_field() {
	if grep -q "^$2:" "$1"; then
		sed -i "0,/^$2:.*/s//$2: $3/" "$1"
	elif test "$(head -1 "$1")" = "---"; then
		awk -v line="$2: $3" 'NR > 1 && !done && $0 == "---" { print line; done = 1 } { print }' "$1" >"$1.new" &&
			mv "$1.new" "$1"
	else
		printf '%s: %s\n' "$2" "$3" >>"$1"
	fi
}

# list_add FILE FIELD HANDLE / list_del FILE FIELD HANDLE: an item added to
# (at its end) or taken out of a block list of the front matter, by hand.
list_add() {
	awk -v f="$2:" -v item="  - $3" '
		in_list && !/^  - / { print item; in_list = 0 }
		{ print }
		$0 == f { in_list = 1 }' "$1" >"$1.new" && mv "$1.new" "$1" && grep -qx -- "  - $3" "$1"
}
list_del() {
	awk -v f="$2:" -v item="  - $3" '
		in_list && !/^  - / { in_list = 0 }
		in_list && $0 == item { next }
		{ print }
		$0 == f { in_list = 1 }' "$1" >"$1.new" && mv "$1.new" "$1"
}

# adopted_msg NORM [WHO]: the message of a commit that says it adopts NORM.
adopted_msg() {
	_v=$(sed -n "s/^    version: \"*\([0-9a-f]*\)\"*$/\1/p" "$1" | head -1)
	printf 'agree: %s to norm %s (adopted)\n\nPerf-Kind: norm\nPerf-Path: %s\nPerf-Agree: %s\nPerf-Adopted: %s\n' \
		"${2:-bo}" "$(basename "$1" .md)" "$1" "$_v" "$_v"
}

# land REV: the attacker makes REV the open server's main (nothing stops it).
land() {
	git push -q -f origin "$1:refs/heads/main" 2>"$err" || { cat "$err" >&2; return 1; }
}

# victim NAME: the open server back at $good, and a new perf clone of it,
# ari's, with a commit of her own not pushed yet ($mine).
victim() {
	git -C "$open" update-ref refs/heads/main "$good" &&
	perf clone "$open" "$TEST_ROOT/$1" >/dev/null 2>"$err" &&
	git -C "$TEST_ROOT/$1" config user.name "Ari Example" &&
	git -C "$TEST_ROOT/$1" config user.email ari@example.com &&
	(cd "$TEST_ROOT/$1" && PERF_NOW=2026-11-30T09:00:00Z perf goal add "Local work in $1" --id local >/dev/null) &&
	mine=$(git -C "$TEST_ROOT/$1" rev-parse HEAD)
}

# state DIR: what a refused sync must leave alone: HEAD, the branches, the
# index, the status and every file of the work tree; with $state_links set
# (t0835), also every path's type and each symbolic link's target.
state() {
	(cd "$1" && git symbolic-ref HEAD && git rev-parse HEAD &&
		git for-each-ref --format="%(refname) %(objectname)" refs/heads &&
		git ls-files -s && git status --porcelain --untracked-files=all &&
		if test -n "$state_links"; then
			find . -path ./.git -prune -o -type l -printf "link %p -> %l\n" -o -type f -printf "file %p\n" |
				LC_ALL=C sort
		fi &&
		find . -path ./.git -prune -o -type f -exec sha1sum {} + | LC_ALL=C sort)
}

# sync_refused NAME COMMIT EMAIL REASON: perf sync in the clone NAME exits
# 1, says "refused", names COMMIT, its author's EMAIL and REASON; the
# clone's HEAD is still its own commit and its files are as they were.  The
# open server goes back to $good.
sync_refused() {
	_d=$TEST_ROOT/$1
	_c=$(printf %.12s "$(git rev-parse "$2")")
	state "$_d" >"$TEST_ROOT/.state.before"
	(cd "$_d" && perf sync >"$out" 2>"$err")
	_rc=$?
	git -C "$open" update-ref refs/heads/main "$good"
	if test "$_rc" = 0; then
		echo "sync was accepted: it took in what the attacker pushed" >&2
		cat "$out" "$err" >&2
		return 1
	fi
	if test "$_rc" != 1; then
		echo "perf sync exited $_rc, not 1" >&2
		cat "$out" "$err" >&2
		return 1
	fi
	state "$_d" >"$TEST_ROOT/.state.after"
	diff -u "$TEST_ROOT/.state.before" "$TEST_ROOT/.state.after" >&2 || {
		echo "the refused sync changed the clone" >&2
		return 1
	}
	test "$(git -C "$_d" rev-parse HEAD)" = "$mine" || { echo "the clone's HEAD moved" >&2; return 1; }
	contains "$err" "refused" && contains "$err" "$_c" && contains "$err" "$3" && contains "$err" "$4"
}
