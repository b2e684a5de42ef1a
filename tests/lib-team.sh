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
