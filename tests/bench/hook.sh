#!/bin/sh
# hook.sh: what the pre-receive hook of 'perf hook install' (perf verify
# --hook) costs a push, side by side with git doing the same push to a plain
# bare repository with receive.fsckObjects=true.  See README.md.
#
#   PERF_BIN=build/perf sh tests/bench/hook.sh
#
# 1. N join commits made with plain git (git fast-import; each adds
#    people/pNNNN.md as 'perf join' writes it, author == committer == the
#    person joining), pushed in one push.  Must be accepted.
# 2. A commit replacing people/ari.md by its text and 1 GiB of newlines:
#    the guarded repository must refuse it, the plain one accepts it.
# 3. The padded blob already in a guarded repository's history (pushed
#    while its hook was off): a later push of 5 legitimate check-ins, and
#    perf status in a fresh clone holding the blob.
#
# The hook is timed from inside: its script is replaced by one running the
# same command ('PERF' verify --hook, the real stdin and quarantine) under
# /usr/bin/time, which gives the hook's own wall time and peak RSS.  Push
# figures are the whole 'git push' (client, receive-pack, index-pack or
# unpack-objects, the hook), wall time and the largest peak RSS of any
# process in it.  Without /usr/bin/time, RSS is left out.
#
# PERF_BENCH_DIR         where the scratch folder goes (/tmp/perf-bench)
# PERF_BENCH_HOOK_JOINS  sizes of the join pushes ("1000 4000")
# PERF_BENCH_HOOK_PAD    bytes of newlines in the padded blob (1073741824)
# PERF_BENCH_REPS        rounds of each join push (1); medians are printed
. "$(dirname "$0")/env.sh"
case "$PERF_BIN" in /*) ;; *) PERF_BIN=$(pwd)/$PERF_BIN ;; esac
joins=${PERF_BENCH_HOOK_JOINS:-1000 4000}
pad=${PERF_BENCH_HOOK_PAD:-1073741824}
reps=${PERF_BENCH_REPS:-1}
if test "$pad" = 1073741824; then padlabel="1 GiB"; else padlabel=$(awk -v b="$pad" 'BEGIN { printf "%.0f MiB", b / 1048576 }'); fi
timebin=
if test -x /usr/bin/time; then
	timebin=/usr/bin/time
else
	echo "hook.sh: /usr/bin/time is missing (apt-get install time): peak RSS is left out" >&2
fi

W=$PERF_BENCH_DIR/hook
rm -rf "$W"
mkdir -p "$W" || exit 1
trap 'cd /; rm -rf "$W"' EXIT
team=$W/team
failed=0

fail() {
	echo "FAILED: $*" >&2
	failed=1
}

die() {
	echo "hook.sh: $*" >&2
	exit 1
}

# as HANDLE CMD...: CMD as that person (author and committer, "Handle Example").
as() {
	_who=$1
	shift
	_name="$(printf '%s' "$_who" | sed 's/^./\U&/') Example"
	env GIT_AUTHOR_NAME="$_name" GIT_AUTHOR_EMAIL="$_who@example.com" \
		GIT_COMMITTER_NAME="$_name" GIT_COMMITTER_EMAIL="$_who@example.com" "$@"
}

# timed OUT [as HANDLE] CMD...: run CMD (stdout and stderr to OUT); sets t_ms (wall),
# t_kib (largest peak RSS of CMD and what it waited for; "" without
# /usr/bin/time) and t_rc.
timed() {
	_o=$1
	shift
	if test "$1" = as; then
		# /usr/bin/time runs programs, not shell functions: as's env instead.
		_who=$2
		shift 2
		_name="$(printf '%s' "$_who" | sed 's/^./\U&/') Example"
		set -- env GIT_AUTHOR_NAME="$_name" GIT_AUTHOR_EMAIL="$_who@example.com" \
			GIT_COMMITTER_NAME="$_name" GIT_COMMITTER_EMAIL="$_who@example.com" "$@"
	fi
	rm -f "$W/.rss"
	_s=$(date +%s%N)
	if test -n "$timebin"; then
		"$timebin" -o "$W/.rss" -f %M "$@" >"$_o" 2>&1
	else
		"$@" >"$_o" 2>&1
	fi
	t_rc=$?
	_e=$(date +%s%N)
	t_ms=$(((_e - _s) / 1000000))
	t_kib=
	test -n "$timebin" && t_kib=$(tail -n 1 "$W/.rss")
}

# What the wrapped hook of the last push recorded: h_ms (wall), h_kib (peak
# RSS) and h_cpu (user + sys ms); h_kib and h_cpu are "" without /usr/bin/time.
hook_figures() {
	h_ms=$(cat "$W/hook.ms" 2>/dev/null)
	h_kib='' h_cpu=''
	if test -n "$timebin" && test -f "$W/hook.rss"; then
		# The last line: /usr/bin/time puts "Command exited with non-zero status" first.
		h_kib=$(tail -n 1 "$W/hook.rss" | cut -d' ' -f1)
		h_cpu=$(tail -n 1 "$W/hook.rss" | awk '{ printf "%d", ($2 + $3) * 1000 }')
	fi
	rm -f "$W/hook.ms" "$W/hook.rss"
}

# wrap_hook BARE: the installed hook's own command, timed.
wrap_hook() {
	_h=$1/hooks/pre-receive
	_cmd=$(sed -n 's/^exec \(.* verify --hook.*\)$/\1/p' "$_h")
	test -n "$_cmd" || die "$_h does not run perf verify --hook"
	cp "$_h" "$_h.perf" || exit 1
	_pfx=
	test -n "$timebin" && _pfx="$timebin -o '$W/hook.rss' -f '%M %U %S' "
	cat >"$_h" <<EOF || exit 1
#!/bin/sh
# The hook 'perf hook install' wrote (kept in pre-receive.perf), timed by tests/bench/hook.sh.
s=\$(date +%s%N)
$_pfx$_cmd
rc=\$?
echo \$(((\$(date +%s%N) - s) / 1000000)) >'$W/hook.ms'
exit \$rc
EOF
	chmod +x "$_h"
}

# guarded BARE / plain BARE: a fresh bare repository holding the team (base).
guarded() {
	if ! git init -q --bare "$1" || ! "$PERF_BIN" hook install "$1" >/dev/null; then
		die "perf hook install $1"
	fi
	git -C "$team" push -q "$1" base:refs/heads/main 2>"$W/err" || die "the team was refused by $1: $(cat "$W/err")"
	wrap_hook "$1"
}
plain() {
	git init -q --bare "$1" || exit 1
	# What 'perf hook install' sets, without the hook.
	for k in receive.fsckObjects receive.denyNonFastForwards receive.denyDeletes; do
		git -C "$1" config "$k" true
	done
	git -C "$team" push -q "$1" base:refs/heads/main 2>"$W/err" || die "the team was refused by $1: $(cat "$W/err")"
}

# median of the numbers given
median() {
	printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

s() { if test -n "$1"; then awk -v ms="$1" 'BEGIN { printf "%.2f", ms / 1000 }'; else echo -; fi; }
mib() { if test -n "$1"; then awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; else echo -; fi; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }

# ---- the team: perf init and perf join --------------------------------------

export PERF_NOW=2026-11-16T09:00:00Z
(cd "$W" && "$PERF_BIN" init team --team Search >/dev/null 2>&1) || die "perf init"
(cd "$team" && as lena "$PERF_BIN" join --role Lead >/dev/null &&
	for p in ari bo cy dee eve; do as $p "$PERF_BIN" join --lead lena >/dev/null || exit 1; done) || die "perf join"
git -C "$team" branch base || exit 1
base=$(git -C "$team" rev-parse base)

# join_commits N: refs/heads/joins-N, N joins on base made with git fast-import.
join_commits() {
	awk -v n="$1" -v from="$base" 'BEGIN {
		t = 1763370000  # 2025-11-17: any date will do
		for (i = 1; i <= n; i++) {
			h = sprintf("p%04d", i)
			name = sprintf("P%04d Example", i)
			email = h "@example.com"
			msg = sprintf("join: %s (%s)\n\nPerf-Kind: person\nPerf-Path: people/%s.md\n", h, name, h)
			doc = sprintf("---\nkind: person\nname: %s\nemail: %s\nlead: lena\n---\n", name, email)
			printf "commit refs/heads/joins-%d\n", n
			printf "author %s <%s> %d +0000\n", name, email, t + i
			printf "committer %s <%s> %d +0000\n", name, email, t + i
			printf "data %d\n%s\n", length(msg), msg
			if (i == 1)
				printf "from %s\n", from
			printf "M 100644 inline people/%s.md\ndata %d\n%s\n", h, length(doc), doc
		}
	}' | git -C "$team" fast-import --quiet || die "git fast-import"
}

# commit_blob PARENT WHO PATH BLOB MESSAGE DATE: a commit of PARENT's tree
# with PATH set to BLOB, by WHO (author and committer) at DATE.
commit_blob() {
	GIT_INDEX_FILE=$W/tmp.index git -C "$team" read-tree "$1" &&
		GIT_INDEX_FILE=$W/tmp.index git -C "$team" update-index --add --cacheinfo "100644,$4,$3" &&
		_t=$(GIT_INDEX_FILE=$W/tmp.index git -C "$team" write-tree) &&
		printf '%s\n' "$5" | as "$2" env GIT_AUTHOR_DATE="$6" GIT_COMMITTER_DATE="$6" \
			git -C "$team" commit-tree "$_t" -p "$1"
}

echo "perf verify --hook: pushes to a guarded bare repository ('perf hook install') and a plain one"
echo "(receive.fsckObjects, denyNonFastForwards, denyDeletes), both over file://, git $(git --version | cut -d' ' -f3)."
echo "perf: $PERF_BIN; $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg); $reps round(s) per join push"
echo

# ---- 1. joins ------------------------------------------------------------------

# push           the pushed commits; guarded s / plain s: wall time of the whole git push; ratio: guarded / plain;
# hook s, hook cpu s, hook MiB: perf verify --hook alone (wall, user + sys, peak RSS);
# g / p push MiB: the largest peak RSS of any process of the push (git push, pack-objects,
# receive-pack, index-pack or unpack-objects, the hook).
row_fmt='%-22s %7s %9s %8s %6s %7s %10s %9s %10s %10s  %s\n'
# shellcheck disable=SC2059
printf "$row_fmt" push commits "guarded s" "plain s" ratio "hook s" "hook cpu s" "hook MiB" "g push MiB" "p push MiB" result
printf '%s\n' "-------------------------------------------------------------------------------------------------------------------"
for n in $joins; do
	join_commits "$n"
	tip=$(git -C "$team" rev-parse "joins-$n")
	test "$(git -C "$team" rev-list --count "base..$tip")" = "$n" || die "joins-$n has not $n commits"
	gms='' pms='' hms='' hcpu='' hkib='' gkib='' pkib='' result=accepted
	r=0
	while test $r -lt "$reps"; do
		r=$((r + 1))
		rm -rf "$W/g.git" "$W/p.git"
		guarded "$W/g.git"
		plain "$W/p.git"
		# The order turns each round; the first push also warms the page cache for the second.
		for side in $(if test $((r % 2)) = 1; then echo p g; else echo g p; fi); do
			timed "$W/out" git -C "$team" push -q "$W/$side.git" "$tip:refs/heads/main"
			if test "$t_rc" != 0 || test "$(git -C "$W/$side.git" rev-parse main)" != "$tip"; then
				fail "$n joins refused by the $side repository: $(tail -n 5 "$W/out")"
				result=REFUSED
			fi
			if test "$side" = g; then
				hook_figures
				gms="$gms $t_ms" gkib="$gkib $t_kib" hms="$hms $h_ms" hkib="$hkib $h_kib" hcpu="$hcpu $h_cpu"
			else
				pms="$pms $t_ms" pkib="$pkib $t_kib"
			fi
		done
	done
	# shellcheck disable=SC2086
	gm=$(median $gms) pm=$(median $pms) hm=$(median $hms)
	# shellcheck disable=SC2086
	hk=$(test -n "$timebin" && median $hkib) gk=$(test -n "$timebin" && median $gkib) pk=$(test -n "$timebin" && median $pkib)
	# shellcheck disable=SC2086
	hc=$(test -n "$timebin" && median $hcpu)
	# shellcheck disable=SC2059
	printf "$row_fmt" "$n joins" "$n" "$(s "$gm")" "$(s "$pm")" "$(ratio "$gm" "$pm")" "$(s "$hm")" "$(s "$hc")" \
		"$(mib "$hk")" "$(mib "$gk")" "$(mib "$pk")" "$result"
	eval "hook_ms_$n=$hm hook_kib_$n=$hk"
done

# ---- 2. the padded blob ----------------------------------------------------------

# people/ari.md, its text then $pad newlines, streamed to a file (hash-object
# streams a regular file above core.bigFileThreshold into a pack; a pipe it
# would read into memory).
{ git -C "$team" cat-file blob base:people/ari.md && head -c "$pad" /dev/zero | tr '\0' '\n'; } >"$W/padded.md" ||
	die "cannot write the padded file"
# KiB of objects, loose and packed
stored() { git -C "$team" count-objects -v | awk '/^size(-pack)?:/ { k += $2 } END { print k }'; }
before=$(stored)
blob=$(git -C "$team" hash-object -w "$W/padded.md") || die "git hash-object"
rm -f "$W/padded.md"
size=$(git -C "$team" cat-file -s "$blob")
padded=$(commit_blob "$base" ari people/ari.md "$blob" "ari pads her people file" 2026-11-16T12:00:00Z) ||
	die "padded commit"
packed=$(($(stored) - before))

rm -rf "$W/g.git" "$W/p.git"
guarded "$W/g.git"
plain "$W/p.git"
# plain_push REV WHAT: REV pushed, timed, to the plain repository, which
# must accept it; $presult says whether it did (t_ms, t_kib: the figures).
plain_push() {
	timed "$W/out" git -C "$team" push -q "$W/p.git" "$1:refs/heads/main"
	if test "$t_rc" != 0; then
		fail "the plain repository refused $2: $(tail -n 5 "$W/out")"
		presult=REFUSED
	else
		presult=accepted
	fi
}
plain_push "$padded" "the padded blob"
pad_pms=$t_ms pad_pkib=$t_kib
timed "$W/out" git -C "$team" push -q "$W/g.git" "$padded:refs/heads/main"
pad_gms=$t_ms pad_gkib=$t_kib
hook_figures
if test "$t_rc" = 0 || test "$(git -C "$W/g.git" rev-parse main)" != "$base"; then
	fail "the guarded repository accepted the padded blob"
	gresult=ACCEPTED
elif ! grep -q "a document is at most" "$W/out"; then
	fail "the guarded repository refused the padded blob for another reason: $(tail -n 5 "$W/out")"
	gresult="refused (other reason)"
else
	gresult="refused ($(grep -o 'people/ari.md: is [0-9]* bytes' "$W/out" | head -n 1))"
fi
# shellcheck disable=SC2059
printf "$row_fmt" "padded blob, $padlabel" 1 "$(s "$pad_gms")" "$(s "$pad_pms")" "$(ratio "$pad_gms" "$pad_pms")" \
	"$(s "$h_ms")" "$(s "$h_cpu")" "$(mib "$h_kib")" "$(mib "$pad_gkib")" "$(mib "$pad_pkib")" \
	"guarded $gresult; plain $presult"
pad_hms=$h_ms pad_hkib=$h_kib

# ---- 3. the padded blob in history: 5 check-ins pushed after it ------------------

# A second guarded repository takes the padded commit with its hook off.
rm -rf "$W/h.git"
guarded "$W/h.git"
mv "$W/h.git/hooks/pre-receive" "$W/h.git/hooks/pre-receive.off"
git -C "$team" push -q "$W/h.git" "$padded:refs/heads/main" 2>"$W/err" || die "padded push with the hook off: $(cat "$W/err")"
mv "$W/h.git/hooks/pre-receive.off" "$W/h.git/hooks/pre-receive"

# Five check-ins by people of the team (not ari: her people file is the padded one), written as perf checkin writes them.
tip=$padded
i=0
for who in lena bo cy dee eve; do
	i=$((i + 1))
	doc=$(printf -- '---\nkind: checkin\nperson: %s\nweek: 2026-W47\ncreated: 2026-11-17T0%d:00:00Z\n---\nweek %d went well\n' \
		"$who" "$i" "$i")
	b=$(printf '%s\n' "$doc" | git -C "$team" hash-object -w --stdin) || exit 1
	tip=$(commit_blob "$tip" "$who" "checkins/$who/2026-W47.md" "$b" "checkin: $who 2026-W47

Perf-Kind: checkin
Perf-Path: checkins/$who/2026-W47.md" "2026-11-17T0$i:00:00Z") || die "check-in commit"
done
plain_push "$tip" "the 5 check-ins"
after_pms=$t_ms after_pkib=$t_kib
timed "$W/out" git -C "$team" push -q "$W/h.git" "$tip:refs/heads/main"
after_gms=$t_ms after_gkib=$t_kib
hook_figures
if test "$t_rc" != 0 || test "$(git -C "$W/h.git" rev-parse main)" != "$tip"; then
	fail "the guarded repository holding the padded blob refused 5 check-ins: $(grep -v '^remote: *$' "$W/out" | head -n 8)"
	gresult=REFUSED
else
	gresult=accepted
fi
# shellcheck disable=SC2059
printf "$row_fmt" "5 check-ins after it" 5 "$(s "$after_gms")" "$(s "$after_pms")" \
	"$(ratio "$after_gms" "$after_pms")" "$(s "$h_ms")" "$(s "$h_cpu")" "$(mib "$h_kib")" "$(mib "$after_gkib")" \
	"$(mib "$after_pkib")" "guarded $gresult; plain $presult"
after_hms=$h_ms after_hkib=$h_kib

# And ari herself: her people file is over a document's size, so it no longer
# reads as a person (what perf decides here is reported, not asserted).
b=$(printf -- '---\nkind: checkin\nperson: ari\nweek: 2026-W47\ncreated: 2026-11-17T06:00:00Z\n---\nmy week\n\n' |
	git -C "$team" hash-object -w --stdin) || exit 1
ari=$(commit_blob "$tip" ari checkins/ari/2026-W47.md "$b" "checkin: ari 2026-W47

Perf-Kind: checkin
Perf-Path: checkins/ari/2026-W47.md" 2026-11-17T06:00:00Z) || die "check-in commit"
timed "$W/out" git -C "$team" push -q "$W/p.git" "$ari:refs/heads/main"
ari_pms=$t_ms ari_pkib=$t_kib
presult=accepted
test "$t_rc" = 0 || presult=refused
timed "$W/out" git -C "$team" push -q "$W/h.git" "$ari:refs/heads/main"
ari_gms=$t_ms ari_gkib=$t_kib
hook_figures
if test "$t_rc" = 0; then
	gresult=accepted
else
	gresult="refused: $(sed -n 's/^remote: [0-9a-f]\{12\} //p' "$W/out" | sed 's/ *$//' | head -n 1)"
	git -C "$W/h.git" update-ref refs/heads/main "$tip"
fi
# shellcheck disable=SC2059
printf "$row_fmt" "then ari's check-in" 1 "$(s "$ari_gms")" "$(s "$ari_pms")" "$(ratio "$ari_gms" "$ari_pms")" \
	"$(s "$h_ms")" "$(s "$h_cpu")" "$(mib "$h_kib")" "$(mib "$ari_gkib")" "$(mib "$ari_pkib")" \
	"guarded $gresult; plain $presult"
echo
echo "padded blob: $size bytes, $blob, ${packed} KiB as git hash-object stored it"

# ---- perf status in a clone holding the padded blob ------------------------------

echo
printf '%-44s %8s %9s %5s\n' "in a fresh clone of the guarded repository" "wall s" "peak MiB" exit
printf '%s\n' "---------------------------------------------------------------------"
row() { printf '%-44s %8s %9s %5s\n' "$1" "$(s "$t_ms")" "$(mib "$t_kib")" "$t_rc"; }
timed "$W/out" git clone -q "$W/h.git" "$W/clone"
row "git clone (checks out the $padlabel file)"
test "$t_rc" = 0 || die "git clone: $(cat "$W/out")"
cd "$W/clone" || exit 1
export PERF_NOW=2026-11-23T10:00:00Z
timed "$W/out" git status --porcelain
row "git status"
git status --porcelain >/dev/null
timed "$W/out" git status --porcelain
row "git status (again)"
timed "$W/out" as lena "$PERF_BIN" status
row "perf status (lena, maintainer)"
status_kib=$t_kib
timed "$W/out" as bo "$PERF_BIN" status
row "perf status (bo)"
timed "$W/out" as ari "$PERF_BIN" status
row "perf status (ari, whose file is padded)"
ari_out=$(head -n 2 "$W/out")
timed "$W/out" as lena "$PERF_BIN" checkin --week 2026-W48 -m "second week"
row "perf checkin (lena, 2026-W48)"
timed "$W/out" "$PERF_BIN" verify origin/main~5..origin/main
row "perf verify of the 5 check-ins"
cd "$W" || exit 1
echo "perf status as ari said: $ari_out"

# ---- the issue's targets ---------------------------------------------------------

echo
for n in $joins; do
	eval "hm=\$hook_ms_$n hk=\$hook_kib_$n"
	verdict=met
	test "$hm" -gt 5000 && verdict="NOT MET"
	test -n "$hk" && test "$hk" -gt 204800 && verdict="NOT MET"
	echo "target: hook on $n joins within a few seconds (5 s) and 200 MB: $(s "$hm") s, $(mib "$hk") MiB  $verdict"
done
verdict=met
test "$pad_hms" -gt 5000 && verdict="NOT MET"
test -n "$pad_hkib" && test "$pad_hkib" -gt 204800 && verdict="NOT MET"
echo "target: hook refusing the padded blob within 5 s and 200 MB: $(s "$pad_hms") s, $(mib "$pad_hkib") MiB  $verdict"
verdict=met
test "$after_hms" -gt 5000 && verdict="NOT MET"
test -n "$after_hkib" && test "$after_hkib" -gt 204800 && verdict="NOT MET"
echo "target: hook on 5 commits after the padded blob within 5 s and 200 MB: $(s "$after_hms") s, $(mib "$after_hkib") MiB  $verdict"
test -n "$status_kib" && test "$status_kib" -gt 204800 && echo "note: perf status in the clone peaked at $(mib "$status_kib") MiB"
exit $failed
