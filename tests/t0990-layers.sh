#!/bin/sh
# The library's layers hold: nothing in lib/ writes to stdout or stderr or
# ends the process (only cmd/ speaks to the user and chooses the exit
# code), lib/'s modules include each other without a circle, and cmd/
# reaches git only through lib/ (no git2.h, no git_* call, no ->git).
. "$(dirname "$0")/lib.sh"

lib=$PERF_SRC/lib

# layers.py prints DIR: lines of DIR/*.[ch] that print or exit.
# layers.py cycles DIR: a circle of includes between DIR's modules.
# A module is X.c with X.h; it depends on Y when X.c or X.h includes "Y.h".
# layers.py git DIR: lines of DIR/*.[ch] that include git2.h, call a git_*
# function or use a struct's git member.
# Each prints what it found and exits 1, or exits 0 when there is nothing.
cat >"$TEST_ROOT/layers.py" <<'PY'
import os, re, sys

mode, root = sys.argv[1], sys.argv[2]
# Every .c and .h below root (lib/text, lib/git, lib/team), by their path from root.
files = sorted(os.path.relpath(os.path.join(d, f), root) for d, _, fs in os.walk(root)
               for f in fs if f.endswith((".c", ".h")))
where = {os.path.basename(f): f for f in files}
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
elif mode == "git":
    comment = re.compile(r'//[^\n]*|/\*.*?\*/|"(?:\\.|[^"\\\n])*"', re.S)
    def uncommented(text):
        def blank(m):
            s = m.group(0)
            return re.sub(r"[^\n]", " ", s) if s[0] == "/" else s
        return comment.sub(blank, text)
    include = re.compile(r'^\s*#\s*include\s*[<"]git2(\.h|/)')
    use = re.compile(r"\bgit_\w+\s*\(|->\s*git\b")
    for f in files:
        with open(os.path.join(root, f), encoding="utf-8", errors="replace") as fh:
            text = fh.read()
        lines = code(text).split("\n")
        for n, line in enumerate(uncommented(text).split("\n"), 1):
            if include.search(line) or use.search(lines[n - 1]):
                bad.append("%s:%d: %s" % (f, n, line.strip()))
elif mode == "alone":
    # layers.py alone DIR SUB: SUB's files include no header of DIR outside SUB.
    sub = sys.argv[3]
    inc = re.compile(r'^\s*#\s*include\s+"([^"/]+\.h)"', re.M)
    for f in files:
        if not f.startswith(sub + "/"):
            continue
        with open(os.path.join(root, f), encoding="utf-8", errors="replace") as fh:
            for y in inc.findall(fh.read()):
                if y in where and not where[y].startswith(sub + "/"):
                    bad.append("%s includes %s" % (f, where[y]))
elif mode == "cycles":
    mods = {os.path.basename(f)[:-2] for f in files}
    deps = {m: set() for m in mods}
    inc = re.compile(r'^\s*#\s*include\s+"([^"/]+)\.h"', re.M)
    for f in files:
        x = os.path.basename(f)[:-2]
        with open(os.path.join(root, f), encoding="utf-8", errors="replace") as fh:
            for y in inc.findall(fh.read()):
                if y != x and y + ".h" in where:
                    deps[x].add(y)
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

# cmd_git_cases: the three cases that cmd/ reaches git only through lib/
# (run in both branches below).
cmd_git_cases() {
	test_expect_success 'cmd/ reaches git only through lib/' '
		python3 "$TEST_ROOT/layers.py" git "$PERF_SRC/cmd"
	'

	# lib's headers name libgit2's types through gittypes.h, so a file of cmd/
	# that calls libgit2 does not even compile; only lib's private header
	# includes git2.h.
	test_expect_success 'no header cmd/ may include brings in git2.h' '
		(cd "$lib" && grep -l "^#[[:space:]]*include[[:space:]]*<git2" */*.h) >"$out" ; \
		test "$(cat "$out")" = git/repo-internal.h &&
		! grep -l "repo-internal.h" "$PERF_SRC"/cmd/*
	'

	# A copy of cmd/ with an include of git2.h, a git_* call and a use of ->git
	# put in, one at a time: each is found, so the check above can fail.  The
	# same words in comments and strings are not code, and pass.
	test_expect_success 'the check finds git2.h, a git_* call and ->git in cmd/' '
		mkdir "$TEST_ROOT/cmd" &&
		cp "$PERF_SRC"/cmd/*.c "$PERF_SRC"/cmd/*.h "$TEST_ROOT/cmd/" &&
		python3 "$TEST_ROOT/layers.py" git "$TEST_ROOT/cmd" &&
		printf "%s\n" "/* #include <git2.h>, git_repository_free(g) and ctx->repo->git in a comment */" \
			"static const char *s = \"git_libgit2_init(); r->git\";" >>"$TEST_ROOT/cmd/help.c" &&
		python3 "$TEST_ROOT/layers.py" git "$TEST_ROOT/cmd" &&
		cp "$PERF_SRC/cmd/help.c" "$TEST_ROOT/cmd/help.c" &&
		printf "%s\n" "#include <git2.h>" >>"$TEST_ROOT/cmd/help.c" &&
		! python3 "$TEST_ROOT/layers.py" git "$TEST_ROOT/cmd" >"$out" &&
		contains "$out" "help.c:" &&
		cp "$PERF_SRC/cmd/help.c" "$TEST_ROOT/cmd/help.c" &&
		printf "%s\n" "#include \"git2/sys/merge.h\"" >>"$TEST_ROOT/cmd/toolkit.h" &&
		! python3 "$TEST_ROOT/layers.py" git "$TEST_ROOT/cmd" >"$out" &&
		contains "$out" "toolkit.h:" &&
		cp "$PERF_SRC/cmd/toolkit.h" "$TEST_ROOT/cmd/toolkit.h" &&
		printf "%s\n" "static void f(void) { git_error_clear (); }" >>"$TEST_ROOT/cmd/show.c" &&
		! python3 "$TEST_ROOT/layers.py" git "$TEST_ROOT/cmd" >"$out" &&
		contains "$out" "show.c:" &&
		cp "$PERF_SRC/cmd/show.c" "$TEST_ROOT/cmd/show.c" &&
		printf "%s\n" "static void *g(struct perf_ctx *c) { return c->repo->git; }" >>"$TEST_ROOT/cmd/log.c" &&
		! python3 "$TEST_ROOT/layers.py" git "$TEST_ROOT/cmd" >"$out" &&
		contains "$out" "log.c:"
	'
}

if ! command -v python3 >/dev/null 2>&1; then
	test_skip 'lib/ never prints nor exits' 'python3 is not installed'
	test_skip 'lib/ has no circle of includes' 'python3 is not installed'
	test_skip 'the checks find a print, an exit and a circle' 'python3 is not installed'
	test_skip 'cmd/ reaches git only through lib/' 'python3 is not installed'
	test_skip 'the check finds git2.h, a git_* call and ->git in cmd/' 'python3 is not installed'
	cmd_git_cases
	test_done
	exit
fi

test_expect_success 'lib/ never prints nor exits' '
	python3 "$TEST_ROOT/layers.py" prints "$lib"
'

test_expect_success 'lib/ has no circle of includes' '
	python3 "$TEST_ROOT/layers.py" cycles "$lib"
'

test_expect_success 'lib/text/ (buffers, values, documents, rendering) stands on nothing else of lib/' '
	python3 "$TEST_ROOT/layers.py" alone "$lib" text &&
	test -f "$lib/text/buf.h" && test -f "$lib/git/repo.h" && test -f "$lib/team/schema.h" &&
	mkdir -p "$TEST_ROOT/alone" && cp -R "$lib"/. "$TEST_ROOT/alone/" &&
	printf "%s\n" "#include \"schema.h\"" >>"$TEST_ROOT/alone/text/doc.c" &&
	! python3 "$TEST_ROOT/layers.py" alone "$TEST_ROOT/alone" text >"$out" &&
	contains "$out" "text/doc.c includes team/schema.h"
'

# A copy of lib/ with a print, an exit and a circle put in: each is found,
# so the two checks above can fail.
test_expect_success 'the checks find a print, an exit and a circle' '
	mkdir "$TEST_ROOT/lib" &&
	cp -R "$lib"/. "$TEST_ROOT/lib/" &&
	python3 "$TEST_ROOT/layers.py" prints "$TEST_ROOT/lib" &&
	python3 "$TEST_ROOT/layers.py" cycles "$TEST_ROOT/lib" &&
	printf "%s\n" "/* stderr, exit(1) and printf(\"x\") in a comment are fine */" \
		"static const char *s = \"fprintf(stderr, x); exit(1)\";" >>"$TEST_ROOT/lib/text/buf.c" &&
	python3 "$TEST_ROOT/layers.py" prints "$TEST_ROOT/lib" &&
	cp "$lib/text/buf.c" "$TEST_ROOT/lib/text/buf.c" &&
	printf "%s\n" "void f(void) { fprintf(stderr, \"x\"); }" >>"$TEST_ROOT/lib/text/buf.c" &&
	! python3 "$TEST_ROOT/layers.py" prints "$TEST_ROOT/lib" >"$out" &&
	contains "$out" "buf.c:" &&
	cp "$lib/text/buf.c" "$TEST_ROOT/lib/text/buf.c" &&
	printf "%s\n" "void g(void) { exit(2); }" >>"$TEST_ROOT/lib/text/value.c" &&
	! python3 "$TEST_ROOT/layers.py" prints "$TEST_ROOT/lib" >"$out" &&
	contains "$out" "value.c:" &&
	cp "$lib/text/value.c" "$TEST_ROOT/lib/text/value.c" &&
	printf "%s\n" "#include \"repo.h\"" >>"$TEST_ROOT/lib/text/buf.c" &&
	! python3 "$TEST_ROOT/layers.py" cycles "$TEST_ROOT/lib" >"$out" &&
	contains "$out" "includes go round:" &&
	contains "$out" "buf -> repo" &&
	contains "$out" "repo -> buf"
'

cmd_git_cases

test_done
