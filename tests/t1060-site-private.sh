#!/bin/sh
# perf site and private documents: a private note, a reply to it and a
# private feedback answer show as one short line naming their readers
# ("private to ari and lena"), never as the sealed block; what the front
# matter says openly (title, date, who was there, who answered) is still
# shown, and plain documents beside them are shown in full.
. "$(dirname "$0")/lib.sh"
. "$PERF_SRC/tests/lib-site.sh"

at 2026-11-16T09:00:00Z
team_fixture ari bo || exit 1
for who in ari bo lena; do
	as $who perf keygen >/dev/null || exit 1
done
as lena perf note ari --private --title "Reorganisation" -m "zebra quokka marmalade" >/dev/null || exit 1
private=$(git show --name-only --format= HEAD)
at 2026-11-16T10:00:00Z
as ari perf reply "$private" -m "marmalade agreed" >/dev/null || exit 1
at 2026-11-17T09:00:00Z
as lena perf note ari --with bo --private --title "Three of us" -m "quokka plans" >/dev/null || exit 1
as lena perf note ari --title "Open notes" -m "Plain words everyone reads." >/dev/null || exit 1
at 2026-11-17T10:00:00Z
as ari perf ask lena bo --about "my code reviews" >/dev/null || exit 1
fb=$(ls feedback/ari/ | sed -n 's/\.md$//p')
as bo perf give "ari/$fb" --private -m "marmalade is private" >/dev/null || exit 1
as lena perf give "ari/$fb" -m "Clear and kind." >/dev/null || exit 1
at 2026-11-18T09:00:00Z
perf site "$TEST_ROOT/site" >/dev/null || exit 1
page=$TEST_ROOT/site/people/ari.html

test_expect_success 'the record really holds sealed bodies' '
	grep -q "BEGIN PERF PRIVATE" "$private" &&
	git grep -q "BEGIN PERF PRIVATE" HEAD -- feedback
'

test_expect_success 'no page holds a sealed block, or any line of one' '
	! grep -rq "PERF PRIVATE\|^nonce: \|^reader: \|x25519:" "$TEST_ROOT/site" &&
	for f in $(git grep -l "BEGIN PERF PRIVATE" HEAD -- notes feedback | sed "s/^HEAD://"); do
		sed -n "/BEGIN PERF PRIVATE/,/END PERF PRIVATE/p" "$f" | sed 1d | sed "\$d" | grep -v "^$" |
			while read -r line; do
				if grep -rqF -- "$line" "$TEST_ROOT/site"; then echo "sealed line of $f on the site: $line" >&2; exit 1; fi
			done || return 1
	done &&
	! grep -rqi "zebra\|quokka\|marmalade" "$TEST_ROOT/site"
'

test_expect_success 'a private note says whom it is private to, with its title, date and people' '
	site_text "$page" >"$out" &&
	contains "$out" "Reorganisation 16 November 2026 · with lena private to ari and lena" &&
	contains "$out" "Three of us 17 November 2026 · with bo, lena private to ari, bo and lena" &&
	contains "$page" "<p class=\"private\">private to <a href=\"../people/ari.html\">ari</a> and <a href=\"../people/lena.html\">lena</a></p>"
'

test_expect_success 'a reply to a private note and a private answer say so too, under their author' '
	site_text "$page" >"$out" &&
	contains "$out" "ari replied, Mon 16 Nov 2026, 10:00 UTC private to ari and lena" &&
	contains "$out" "bo replied, Tue 17 Nov 2026, 10:00 UTC private to ari and bo"
'

test_expect_success 'plain documents beside them are shown in full' '
	contains "$page" "<p>Plain words everyone reads.</p>" &&
	contains "$page" "<p>Clear and kind.</p>" &&
	test "$(grep -c "<p class=\"private\">" "$page")" = 4
'

test_done
