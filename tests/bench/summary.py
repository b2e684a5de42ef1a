#!/usr/bin/env python3
"""perf summary of a cycle over the whole team, side by side with git grep.

    summary.py --perf PERF [--reps R] REPO

REPO is the 100k repository from gen.py.  A cycle `bench-q4` (2026-09-01 to
2026-11-30) is started in it once (a commit, dropped by gen.py's next run).
Then R rounds of four commands, the order rotating from round to round:

  perf summary cold   `perf summary --cycle bench-q4 --format json` with
                      .git/perf/cache removed beforehand (not timed)
  perf summary warm   the same with the cache a previous run left
  perf summary moved  the same after HEAD moved by plain git: one check-in
                      edited and committed with `git commit` (not timed), so
                      one new blob and the trees above it are read
  git grep            `git grep -c kind HEAD`, which reads every blob of HEAD

Each figure is taken from fork to exit: wall time (time.perf_counter_ns),
CPU time (user + sys) and peak resident memory of that child alone (wait4).
Every warm and moved summary's output must equal a cold summary of the same
HEAD (checked, untimed); the script exits non-zero when one does not.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time

CYCLE = "bench-q4"
TARGET_COLD = 1.0  # cold <= 1.0 x git grep
TARGET_WARM = 0.1  # warm <= 0.1 x cold
TARGET_MIB = 64.0  # peak memory of a summary


def die(msg):
    sys.stderr.write("summary.py: %s\n" % msg)
    sys.exit(1)


def run(cmd, cwd, env=None):
    p = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != 0:
        die("%s failed (exit %d) in %s:\n%s" % (" ".join(cmd), p.returncode, cwd, p.stderr.decode(errors="replace")))
    return p.stdout.decode(errors="replace")


def timed(cmd, cwd):
    """Runs cmd; returns (wall ms, cpu ms, peak MiB, stdout bytes)."""
    out = open(os.path.join(cwd, ".git", "summary-bench.out"), "w+b")
    t0 = time.perf_counter_ns()
    p = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=subprocess.PIPE)
    _, status, ru = os.wait4(p.pid, 0)
    t1 = time.perf_counter_ns()
    err = p.stderr.read().decode(errors="replace")
    p.stderr.close()
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        die("%s failed (exit %d):\n%s" % (" ".join(cmd), p.returncode, err))
    out.seek(0)
    data = out.read()
    out.close()
    return (t1 - t0) / 1e6, (ru.ru_utime + ru.ru_stime) * 1e3, ru.ru_maxrss / 1024.0, data


def cold_answer(summary, repo, cache):
    """The summary with the cache set aside (then put back)."""
    subprocess.run(["rm", "-rf", cache + ".aside"], check=True)
    os.rename(cache, cache + ".aside")
    try:
        return timed(summary, repo)[3]
    finally:
        subprocess.run(["rm", "-rf", cache], check=True)
        os.rename(cache + ".aside", cache)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--perf", required=True)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("repo")
    a = ap.parse_args()
    perf, repo = os.path.abspath(a.perf), a.repo
    cache = os.path.join(repo, ".git", "perf", "cache")
    who = dict(os.environ, GIT_AUTHOR_NAME="P0001 Example", GIT_AUTHOR_EMAIL="p0001@example.com",
               GIT_COMMITTER_NAME="P0001 Example", GIT_COMMITTER_EMAIL="p0001@example.com")
    if not os.path.exists(os.path.join(repo, "cycles", CYCLE + ".md")):
        run([perf, "cycle", "start", CYCLE, "--question", "What helps us learn?", "--from", "2026-09-01",
             "--until", "2026-11-30"], repo, who)
    files = int(run(["git", "ls-files"], repo).count("\n"))
    people = sorted(f[:-3] for f in os.listdir(os.path.join(repo, "people")) if f.endswith(".md"))
    summary = [perf, "summary", "--cycle", CYCLE, "--format", "json"]
    names = ["perf summary cold", "perf summary warm", "perf summary moved", "git grep -c kind HEAD"]
    res = {n: [] for n in names}
    bad = 0
    for r in range(a.reps):
        order = names[r % len(names):] + names[:r % len(names)]
        for n in order:
            if n == "perf summary cold":
                subprocess.run(["rm", "-rf", cache], check=True)
            if n == "perf summary moved":
                # One check-in edited by hand and committed with plain git.
                path = os.path.join(repo, "checkins", people[r % len(people)], "2026-W45.md")
                with open(path, "a") as f:
                    f.write("\nEdited by hand, round %d.\n" % r)
                run(["git", "commit", "-q", "-am", "bench: edit a check-in by hand"], repo, who)
            if n == "git grep -c kind HEAD":
                w, c, m, _ = timed(["git", "grep", "-c", "kind", "HEAD"], repo)
            else:
                w, c, m, out = timed(summary, repo)
                if n != "perf summary cold" and out != cold_answer(summary, repo, cache):
                    bad += 1
                    sys.stderr.write("summary.py: round %d: %s differs from a cold summary\n" % (r, n))
            res[n].append((w, c, m))

    med = {n: (statistics.median(x[0] for x in res[n]), min(x[0] for x in res[n]), max(x[0] for x in res[n]),
               statistics.median(x[1] for x in res[n]), max(x[2] for x in res[n])) for n in names}
    g = med["git grep -c kind HEAD"]
    cold = med["perf summary cold"]
    print("%d files, %d people, %d rounds; perf summary --cycle %s --format json"
          % (files, len(people), a.reps, CYCLE))
    print()
    print("command                  median ms    min ms    max ms    cpu ms   peak MiB   wall/git   cpu/git")
    print("-" * 99)
    for n in names:
        m = med[n]
        print("%-22s %11.1f %9.1f %9.1f %9.1f %10.1f %10.3f %9.3f" % (n, m[0], m[1], m[2], m[3], m[4],
                                                                      m[0] / g[0], m[3] / g[3]))
    print()
    warm = med["perf summary warm"]
    moved = med["perf summary moved"]
    peak = max(med[n][4] for n in names if n.startswith("perf"))

    def verdict(ok):
        return "met" if ok else "NOT MET"

    print("target: cold <= %.1f x git grep: wall %.3f, cpu %.3f  %s" % (
        TARGET_COLD, cold[0] / g[0], cold[3] / g[3], verdict(min(cold[0] / g[0], cold[3] / g[3]) <= TARGET_COLD)))
    print("target: warm <= %.1f x cold: wall %.3f, cpu %.3f  %s" % (
        TARGET_WARM, warm[0] / cold[0], warm[3] / cold[3],
        verdict(min(warm[0] / cold[0], warm[3] / cold[3]) <= TARGET_WARM)))
    print("        after a git commit: wall %.3f, cpu %.3f of cold" % (moved[0] / cold[0], moved[3] / cold[3]))
    print("target: peak memory <= %.0f MiB: %.1f MiB  %s" % (TARGET_MIB, peak, verdict(peak <= TARGET_MIB)))
    print("outputs: %s" % ("every warm and moved summary equals its cold one" if not bad else "%d DIFFER" % bad))
    try:
        os.unlink(os.path.join(repo, ".git", "summary-bench.out"))
    except OSError:
        pass
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
