#!/bin/sh
# The README's five-minute tour runs as written: every command between
# <!-- tour-start --> and <!-- tour-end --> runs in order in one shell, and
# its standard output matches the README's lines ("…" matches anything).
. "$(dirname "$0")/lib.sh"

mkdir tour
python3 - "$PERF_SRC/README.md" "$TEST_ROOT/tour" <<'PY' || exit 1
import re, sys
text = open(sys.argv[1]).read()
block = text.split("<!-- tour-start -->", 1)[1].split("<!-- tour-end -->", 1)[0]
lines = block.split("```console\n", 1)[1].split("```", 1)[0].splitlines()
steps = []
for line in lines:
    if line.startswith("$ "):
        steps.append([line[2:], []])
    else:
        steps[-1][1].append(line)
out = sys.argv[2]
with open(out + "/tour.sh", "w") as f:
    f.write('cd "%s"\nperf() { "$PERF_BIN" "$@"; }\n' % out)
    for i, (cmd, _) in enumerate(steps):
        f.write('%s >"%s/out.%d" 2>/dev/null\n' % (cmd, out, i))
with open(out + "/steps", "w") as f:
    f.write(str(len(steps)))
for i, (cmd, want) in enumerate(steps):
    with open("%s/cmd.%d" % (out, i), "w") as f:
        f.write(cmd)
    with open("%s/want.%d" % (out, i), "w") as f:
        f.write("\n".join(want))
PY

test_expect_success 'the tour runs in one shell' '
	sh "$TEST_ROOT/tour/tour.sh"
'

n=$(cat "$TEST_ROOT/tour/steps")
i=0
while [ "$i" -lt "$n" ]; do
	test_expect_success "tour: \$ $(cat "$TEST_ROOT/tour/cmd.$i")" "
		python3 - '$TEST_ROOT/tour/want.$i' '$TEST_ROOT/tour/out.$i' <<'PY'
import re, sys
want = open(sys.argv[1]).read().splitlines()
got = open(sys.argv[2]).read().splitlines()
ok = len(want) == len(got) and all(
    re.fullmatch(re.escape(w).replace(re.escape('…'), '.*'), g) for w, g in zip(want, got))
if not ok:
    print('want:', *want, sep='\n  ')
    print('got:', *got, sep='\n  ')
    sys.exit(1)
PY
	"
	i=$((i + 1))
done

test_expect_success 'the tour leaves a clean repository' '
	repo_clean "$TEST_ROOT/tour/team"
'

test_done
