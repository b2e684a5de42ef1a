# The shared team fixture of the end-to-end tests, sourced by lib.sh.

# team_fixture [OPTION...] [MEMBER...]: the standard team of the tests,
# made with perf itself, in DIR below the current folder, which it then
# enters (run it in a subshell to stay where you are):
#
#	perf init DIR --team NAME
#	as LEAD perf join --role LEAD-ROLE
#	as MEMBER perf join --role ROLE --lead LEAD    (for each MEMBER, in order)
#	admit_all                                      (LEAD, the first maintainer, admits them)
#
# Options, with their defaults:
#	--dir DIR            team
#	--team NAME          Search ("": no --team, perf names the team after DIR)
#	--lead HANDLE        lena
#	--lead-role ROLE     "Engineering lead" ("": no --role)
#	--role ROLE          Engineer ("": no --role)
#	--now TIME           from the lead's join on, PERF_NOW is TIME, exported
#	                     (the test goes on at that time; perf init keeps the
#	                     PERF_NOW it was called with)
#	--no-admit           the members stay waiting for admission
#	--init-out FILE      what perf init prints goes to FILE (/dev/null)
#
# It returns 1 and says which step failed when one does.  A team that is
# not this one (joins at different times, a member led by another member,
# someone without a lead) starts with --no-admit and goes on by hand.
team_fixture() {
	_tf_dir=team _tf_team=Search _tf_lead=lena _tf_lrole="Engineering lead" _tf_role=Engineer
	_tf_now= _tf_admit=yes _tf_out=/dev/null
	while test $# -gt 0; do
		case $1 in
		--dir) _tf_dir=$2 ;;
		--team) _tf_team=$2 ;;
		--lead) _tf_lead=$2 ;;
		--lead-role) _tf_lrole=$2 ;;
		--role) _tf_role=$2 ;;
		--now) _tf_now=$2 ;;
		--init-out) _tf_out=$2 ;;
		--no-admit) _tf_admit= && shift && continue ;;
		--) shift && break ;;
		-*) echo "team_fixture: unknown option $1" >&2 && return 1 ;;
		*) break ;;
		esac
		test $# -ge 2 || { echo "team_fixture: $1 needs a value" >&2 && return 1; }
		shift 2
	done
	perf init "$_tf_dir" ${_tf_team:+--team "$_tf_team"} >"$_tf_out" 2>&1 ||
		{ echo "team_fixture: perf init $_tf_dir failed" >&2 && return 1; }
	cd "$_tf_dir" || return 1
	if test -n "$_tf_now"; then
		PERF_NOW=$_tf_now
		export PERF_NOW
	fi
	as "$_tf_lead" perf join ${_tf_lrole:+--role "$_tf_lrole"} >/dev/null ||
		{ echo "team_fixture: $_tf_lead could not join" >&2 && return 1; }
	for _tf_p in "$@"; do
		as "$_tf_p" perf join ${_tf_role:+--role "$_tf_role"} --lead "$_tf_lead" >/dev/null ||
			{ echo "team_fixture: $_tf_p could not join" >&2 && return 1; }
	done
	test -z "$_tf_admit" || admit_all || { echo "team_fixture: admission failed" >&2 && return 1; }
}

# The scripted quarter of the report tests (t0700 summary, t0720 site,
# t0730 cache): the steps they share, in this order, with each file's own
# steps between them.
# Each sets the clock (at) where the step says a date, and leaves it there.

# quarter_start [--no-admit] [LEARNED]: on 2026-09-28 the team of
# 'team_fixture ari bo' (members left waiting with --no-admit), which it
# enters; ari adds the goal "Ship search v2" (ship) and checks in: ship at
# 10, mood 3, learned LEARNED (default "Indexes are hard.").
#	quarter_start || exit 1
quarter_start() {
	_qs_admit=
	test "$1" != --no-admit || { _qs_admit=--no-admit && shift; }
	at 2026-09-28T09:00:00Z
	team_fixture $_qs_admit ari bo || return 1
	as ari perf goal add "Ship search v2" --id ship >/dev/null
	as ari perf checkin --goal ship=10 --mood 3 -m "$(printf '## Learned\n%s\n' "${1:-Indexes are hard.}")" >/dev/null
}

# quarter_cycle_week: on 2026-10-05 lena starts the cycle q4 ("How do
# reviews teach?", until 2026-12-31) and ari checks in: ship at 20, mood 4,
# learned "Reviews teach by example."
quarter_cycle_week() {
	at 2026-10-05T09:00:00Z
	as lena perf cycle start q4 --question "How do reviews teach?" --until 2026-12-31 >/dev/null
	as ari perf checkin --goal ship=20 --mood 4 -m "$(printf '## Learned\nReviews teach by example.\n')" >/dev/null
}

# quarter_expectations: lena writes ari's expectations ("Shape the search
# roadmap.", role Engineer); ari, then lena, agree to them.
quarter_expectations() {
	as lena perf expect ari -m "Shape the search roadmap." --role Engineer >/dev/null
	as ari perf agree expect:ari >/dev/null
	as lena perf agree expect:ari >/dev/null
}

# quarter_feedback: on 2026-10-07 ari asks lena and bo for feedback on "my
# code reviews" (due 2026-10-16) and lena gives it ("Clear and kind.");
# $id is the request's id.
quarter_feedback() {
	at 2026-10-07T09:00:00Z
	as ari perf ask lena bo --about "my code reviews" --due 2026-10-16 >/dev/null
	id=$(ls feedback/ari/ | sed -n 's/\.md$//p')
	as lena perf give "ari/$id" -m "Clear and kind." >/dev/null
}

# quarter_rust_week [TITLE]: on 2026-10-12 ari adds the goal rust (TITLE,
# default "Learn Rust"; due 2026-12-15) and checks in: ship at 40, rust at
# 10, mood 5, learned "Small PRs land faster."
quarter_rust_week() {
	at 2026-10-12T09:00:00Z
	as ari perf goal add "${1:-Learn Rust}" --id rust --due 2026-12-15 >/dev/null
	as ari perf checkin --goal ship=40 --goal rust=10 --mood 5 -m "$(printf '## Learned\nSmall PRs land faster.\n')" >/dev/null
}

# quarter_end: on 2026-10-26 ari checks in (ship at 60, rust at 30, mood 3,
# learned "Ship behind a flag.") and bo praises her pairing (value care);
# on 2026-11-02 ari finishes ship.
quarter_end() {
	at 2026-10-26T09:00:00Z
	as ari perf checkin --goal ship=60 --goal rust=30 --mood 3 -m "$(printf '## Learned\nShip behind a flag.\n')" >/dev/null
	as bo perf praise ari -m "Thanks for the pairing" --value care >/dev/null
	at 2026-11-02T09:00:00Z
	as ari perf goal done ship >/dev/null
}
