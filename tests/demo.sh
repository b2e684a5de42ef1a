#!/bin/sh
# `make demo`: a short scripted session in a throwaway team repository:
# a lead admits an engineer who joined, they set expectations and goals, check in, answer each
# other, ask for feedback, share the record through a remote whose hook
# refuses a forged edit, and read the history back, as a summary, against
# the expectations, as a review packet and as a static site.
set -e
PERF_BIN=${PERF_BIN:-$(pwd)/build/perf}
demo=$(mktemp -d "${TMPDIR:-/tmp}/perf-demo.XXXXXX")
trap 'rm -rf "$demo"' EXIT
export HOME="$demo/home" GIT_CONFIG_NOSYSTEM=1 TZ=UTC NO_COLOR=1 PAGER=cat
mkdir -p "$HOME"
git config --global user.name "Lena Lead"
git config --global user.email lena@example.com
git config --global init.defaultBranch main

say() { printf '\n$ %s\n' "$*"; }
perf() { "$PERF_BIN" "$@"; }
run() { say "perf $*"; perf "$@"; }
ari() {
	say "(ari) perf $*"
	GIT_AUTHOR_NAME="Ari Dev" GIT_AUTHOR_EMAIL=ari@example.com \
		GIT_COMMITTER_NAME="Ari Dev" GIT_COMMITTER_EMAIL=ari@example.com "$PERF_BIN" "$@"
}
at() { PERF_NOW=$1; export PERF_NOW; }

cd "$demo"
git init -q --bare shared.git
run hook install shared.git
at 2026-11-16T09:00:00Z
run init team --team "Search"
cd team
git remote add origin "$demo/shared.git"
run join --role "Engineering lead"
ari join --role Engineer --lead lena
run admit ari
ari expect -m "Grow from strong implementer to someone who shapes the search roadmap.

## Strengths
- Code review: careful, kind reviews

## Areas for development
- Technical leadership: shape the search roadmap" --role Engineer
ari agree expect:ari
run agree expect:ari
ari goal add "Ship search v2" --due 2026-12-31 --area technical-leadership \
	--support "Lena reviews the RFC within two days"
at 2026-11-20T16:00:00Z
ari checkin --goal ship=45 --mood 4 --learned "tries beat hashes for prefix lookups" -m "indexer merged"
at 2026-11-21T09:00:00Z
run reply ari/2026-W47 -m "Great progress. Demo on Friday?"
ari ask lena --about "my code reviews" --area code-review --due 2026-11-27
run status || true
run sync
say "(ari, with plain git) rewrite lena's reply, commit as ari and push"
reply=$(ls checkins/ari/2026-W47/*-lena.md)
sed -i 's/Great progress/Not good enough/' "$reply"
GIT_AUTHOR_NAME="Ari Dev" GIT_AUTHOR_EMAIL=ari@example.com GIT_COMMITTER_NAME="Ari Dev" \
	GIT_COMMITTER_EMAIL=ari@example.com git commit -qam "edit lena's words"
git push -q origin main 2>&1 | grep "remote: [0-9a-f]" || true
echo "(the hook refused it: nobody speaks in someone else's name)"
git reset -q --hard origin/main
at 2026-11-27T16:00:00Z
ari checkin --goal ship=60 -m "ranking next"
at 2026-11-27T17:00:00Z
ari retro add --title "November" --went-well "pairing on ranking" --to-change "fewer status meetings" \
	--action "@lena move the standup to Tuesdays by 2026-12-01"
run action list
run log goal:ari/ship-search-v2
run show ari/2026-W47
say "git log --oneline | head -5   # plain git works beside perf"
git log --oneline | head -5
run summary --person ari
ari growth --since 2026-11-01
ari packet --since 2026-11-01 --until 2026-11-30
# The site outlives the throwaway repository, beside the perf binary.
site=${PERF_DEMO_SITE:-$(cd "$(dirname "$PERF_BIN")" && pwd)/demo-site}
run site "$site"
