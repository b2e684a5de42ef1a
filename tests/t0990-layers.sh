#!/bin/sh
# The library's layers hold: nothing in lib/ writes to stdout or stderr or
# ends the process (only cmd/ speaks to the user and chooses the exit
# code), and lib/'s modules include each other without a circle.
. "$(dirname "$0")/lib.sh"

lib=$PERF_SRC/lib

# test_skip DESCRIPTION REASON: a TAP line for a test that cannot run here.
test_skip() {
	test_count=$((test_count + 1))
	echo "ok $test_count - $1 # SKIP $2"
}

# layers.py prints DIR: lines of DIR/*.[ch] that print or exit.
# layers.py cycles DIR: a circle of includes between DIR's modules.
# A module is X.c with X.h; it depends on Y when X.c or X.h includes "Y.h".
# Each prints what it found and exits 1, or exits 0 when there is nothing.
cat >"$TEST_ROOT/layers.py" <<'PY'
import os, re, sys

mode, root = sys.argv[1], sys.argv[2]
files = sorted(f for f in os.listdir(root) if f.endswith((".c", ".h")))
# Comments and literals, emptied (newlines kept) so that only code is searched.
token = re.compile(r'//[^\n]*|/\*.*?\*/|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'', re.S)

def code(text):
    def blank(m):
        s = m.group(0)
        return re.sub(r"[^\n]", " ", s) if s[0] == "/" else '""'
    return token.sub(blank, text)

bad = []
if mode == "prints":
    calls = re.compile(
        r"\b(printf|vprintf|puts|putchar|perror|exit|abort|quick_exit|_Exit)\s*\("
        r"|\b(stdout|stderr)\b")
    for f in files:
        with open(os.path.join(root, f), encoding="utf-8", errors="replace") as fh:
            for n, line in enumerate(code(fh.read()).split("\n"), 1):
                m = calls.search(line)
                if m:
                    bad.append("%s:%d: %s" % (f, n, line.strip()))
elif mode == "cycles":
    mods = {f[:-2] for f in files}
    deps = {m: set() for m in mods}
    inc = re.compile(r'^\s*#\s*include\s+"([^"/]+)\.h"', re.M)
    for f in files:
        with open(os.path.join(root, f), encoding="utf-8", errors="replace") as fh:
            for y in inc.findall(fh.read()):
                if y != f[:-2] and os.path.exists(os.path.join(root, y + ".h")):
                    deps[f[:-2]].add(y)
    state = {}
    def visit(m, path):
        state[m] = 1
        for y in sorted(deps[m]):
            if state.get(y) == 1:
                return path[path.index(y):] + [y]
            if y not in state:
                found = visit(y, path + [y])
                if found:
                    return found
        state[m] = 2
        return None
    for m in sorted(mods):
        if m not in state:
            circle = visit(m, [m])
            if circle:
                bad.append("includes go round: " + " -> ".join(circle))
                break
for b in bad:
    print(b)
sys.exit(1 if bad else 0)
PY

if ! command -v python3 >/dev/null 2>&1; then
	test_skip 'lib/ never prints nor exits' 'python3 is not installed'
	test_skip 'lib/ has no circle of includes' 'python3 is not installed'
	test_skip 'the checks find a print, an exit and a circle' 'python3 is not installed'
	test_done
	exit
fi

test_expect_success 'lib/ never prints nor exits' '
	python3 "$TEST_ROOT/layers.py" prints "$lib"
'

test_expect_success 'lib/ has no circle of includes' '
	python3 "$TEST_ROOT/layers.py" cycles "$lib"
'

# A copy of lib/ with a print, an exit and a circle put in: each is found,
# so the two checks above can fail.
test_expect_success 'the checks find a print, an exit and a circle' '
	mkdir "$TEST_ROOT/lib" &&
	cp "$lib"/*.c "$lib"/*.h "$TEST_ROOT/lib/" &&
	python3 "$TEST_ROOT/layers.py" prints "$TEST_ROOT/lib" &&
	python3 "$TEST_ROOT/layers.py" cycles "$TEST_ROOT/lib" &&
	printf "%s\n" "/* stderr, exit(1) and printf(\"x\") in a comment are fine */" \
		"static const char *s = \"fprintf(stderr, x); exit(1)\";" >>"$TEST_ROOT/lib/buf.c" &&
	python3 "$TEST_ROOT/layers.py" prints "$TEST_ROOT/lib" &&
	cp "$lib/buf.c" "$TEST_ROOT/lib/buf.c" &&
	printf "%s\n" "void f(void) { fprintf(stderr, \"x\"); }" >>"$TEST_ROOT/lib/buf.c" &&
	! python3 "$TEST_ROOT/layers.py" prints "$TEST_ROOT/lib" >"$out" &&
	contains "$out" "buf.c:" &&
	cp "$lib/buf.c" "$TEST_ROOT/lib/buf.c" &&
	printf "%s\n" "void g(void) { exit(2); }" >>"$TEST_ROOT/lib/value.c" &&
	! python3 "$TEST_ROOT/layers.py" prints "$TEST_ROOT/lib" >"$out" &&
	contains "$out" "value.c:" &&
	cp "$lib/value.c" "$TEST_ROOT/lib/value.c" &&
	printf "%s\n" "#include \"repo.h\"" >>"$TEST_ROOT/lib/buf.c" &&
	! python3 "$TEST_ROOT/layers.py" cycles "$TEST_ROOT/lib" >"$out" &&
	contains "$out" "includes go round:" &&
	contains "$out" "buf -> repo" &&
	contains "$out" "repo -> buf"
'

test_done
