#!/usr/bin/env python3
"""perf log for one document and perf sync, side by side with git.

    history.py --perf PERF --big REPO [--reps R]

1. perf log TARGET against `git log --oneline -- PATH THREAD/` on
   repositories of 3,000 and 30,000 commits (built here with git
   fast-import on top of a `perf init`, then `git gc`, which gives git its
   commit-graph), where every tenth commit touches the goal whose history
   is asked for.  Both must list the same commits (checked).  perf is timed
   cold (its index of commits, .git/perf/cache/log-v2, removed before each
   run: the first perf log in a clone) and warm (every later run).
2. perf sync pulling 1,000 new documents (100 commits of 10 replies, pushed
   by a teammate) against `git pull --no-rebase && git push` doing the same
   on the same repositories: a bare copy of REPO (the 100k repository from
   gen.py) as the server, one clone for perf and one for git, each with one
   commit of its own so both must merge and push.  Each round resets the
   server and both clones (untimed).

Medians of wall time (ms) and the ratio perf/git are printed.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time


def run(cmd, cwd=None, env=None, check=True, input=None):
    p = subprocess.run(cmd, cwd=cwd, env=env, input=input, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if check and p.returncode != 0:
        sys.exit("history.py: %s failed in %s:\n%s%s" % (" ".join(cmd), cwd, p.stdout.decode(errors="replace"),
                                                         p.stderr.decode(errors="replace")))
    return p.stdout.decode(errors="replace")


def timed(cmds, cwd, env=None):
    t0 = time.perf_counter_ns()
    for c in cmds:
        run(c, cwd=cwd, env=env)
    return (time.perf_counter_ns() - t0) / 1e6


def log_bench(perf, root, reps, commits):
    repo = os.path.join(root, "history-%d" % commits)
    if not os.path.exists(os.path.join(repo, ".done")):
        shutil.rmtree(repo, ignore_errors=True)
        run([perf, "init", repo, "--team", "History"])
        env = dict(os.environ, GIT_AUTHOR_NAME="P0001 Example", GIT_AUTHOR_EMAIL="p0001@example.com")
        run([perf, "join", "--handle", "p0001"], cwd=repo, env=env)
        run([perf, "goal", "add", "Ship search", "--id", "ship"], cwd=repo, env=env)
        # 3,000 commits by fast-import: every tenth moves the goal's progress.
        lines = []
        mark = 0
        for i in range(commits):
            mark += 1
            t = 1760000000 + i * 600
            if i % 10 == 0:
                path = "goals/p0001/ship.md"
                data = ("---\nkind: goal\nperson: p0001\ntitle: Ship search\nstatus: active\nprogress: %d\n"
                        "created: 2026-01-01T00:00:00Z\n---\n" % (i // 30))
            else:
                path = "checkins/p%04d/2026-W%02d.md" % (2 + i % 300, 1 + (i // 300) % 52)
                data = "---\nkind: checkin\nperson: p%04d\nweek: 2026-W%02d\nmood: %d\n---\nnote %d\n" % (
                    2 + i % 300, 1 + (i // 300) % 52, 1 + i % 5, i)
            msg = "history %d\n" % i
            lines.append("commit refs/heads/main\nmark :%d\ncommitter P0001 Example <p0001@example.com> %d +0000\n"
                         "data %d\n%s" % (mark, t, len(msg), msg))
            if i == 0:
                lines.append("from refs/heads/main^0\n")
            lines.append("M 100644 inline %s\ndata %d\n%s\n" % (path, len(data.encode()), data))
        run(["git", "fast-import", "--quiet"], cwd=repo, input="".join(lines).encode())
        run(["git", "reset", "-q", "--hard"], cwd=repo)
        run(["git", "gc", "-q"], cwd=repo)
        open(os.path.join(repo, ".done"), "w").close()
    index = os.path.join(repo, ".git", "perf", "cache", "log-v2")

    def drop_index():
        if os.path.exists(index):
            os.unlink(index)

    drop_index()
    perf_out = run([perf, "--json", "log", "goals/p0001/ship.md"], cwd=repo)
    ids_perf = [line.split('"commit": "')[1][:40] for line in perf_out.splitlines() if '"commit"' in line]
    ids_git = run(["git", "log", "--format=%H", "--", "goals/p0001/ship.md", "goals/p0001/ship/"], cwd=repo).split()
    warm_out = run([perf, "--json", "log", "goals/p0001/ship.md"], cwd=repo)
    same = ids_perf == ids_git and warm_out == perf_out
    cold, warm, g = [], [], []
    for _ in range(reps):
        drop_index()
        cold.append(timed([[perf, "log", "goals/p0001/ship.md"]], repo))
        warm.append(timed([[perf, "log", "goals/p0001/ship.md"]], repo))
        g.append(timed([["git", "log", "--oneline", "--", "goals/p0001/ship.md", "goals/p0001/ship/"]], repo))
    mc, mw, mg = statistics.median(cold), statistics.median(warm), statistics.median(g)
    print("log    %6d commits, %4d for the goal   git log -- PATH %7.1f ms   perf log warm %7.1f ms (ratio %.2f)   "
          "cold %7.1f ms (ratio %.2f)   same commits: %s"
          % (commits, len(ids_git), mg, mw, mw / mg, mc, mc / mg, "yes" if same else "NO"))
    return same


def sync_bench(perf, big, root, reps):
    srv = os.path.join(root, "sync-server.git")
    a = os.path.join(root, "sync-perf")
    b = os.path.join(root, "sync-git")
    c = os.path.join(root, "sync-teammate")
    done = os.path.join(root, "sync-v4.done")
    if not os.path.exists(done) or not os.path.isdir(srv) or \
            not run(["git", "rev-parse", "-q", "--verify", "refs/bench/base"], cwd=srv, check=False).strip():
        for d in (srv, a, b, c):
            shutil.rmtree(d, ignore_errors=True)
        run(["git", "clone", "-q", "--bare", big, srv])
        for d in (a, b, c):
            run(["git", "clone", "-q", srv, d])
        # The teammate's 1,000 new documents: 100 commits of 10 replies.
        env = dict(os.environ, GIT_AUTHOR_NAME="P0002 Example", GIT_AUTHOR_EMAIL="p0002@example.com",
                   GIT_COMMITTER_NAME="P0002 Example", GIT_COMMITTER_EMAIL="p0002@example.com")
        for i in range(100):
            for k in range(10):
                n = i * 10 + k
                # On the teammate's own check-in: the generated people are
                # not admitted, and a person not admitted answers only
                # their own documents.
                d = os.path.join(c, "checkins", "p0002", "2026-W47")
                os.makedirs(d, exist_ok=True)
                stamp = "%02d%02d%02d" % (n // 3600, n // 60 % 60, n % 60)
                with open(os.path.join(d, "20261123T%sZ-p0002.md" % stamp), "w") as f:
                    f.write("---\nkind: reply\nauthor: p0002\nto: checkins/p0002/2026-W47.md\n"
                            "at: 2026-11-23T%02d:%02d:%02dZ\n---\nreply %d\n" % (n // 3600, n // 60 % 60, n % 60, n))
            run(["git", "add", "-A"], cwd=c)
            run(["git", "commit", "-q", "-m", "replies %d" % i], cwd=c, env=env)
        # The server keeps the teammate's commits under another name; each round points main at them.
        run(["git", "push", "-q", "origin", "HEAD:refs/heads/teammate"], cwd=c)
        for d, who in ((a, "p0003"), (b, "p0004")):
            # Each clone is its person's: their commits, and the merges sync makes.
            run(["git", "config", "user.name", who.upper() + " Example"], cwd=d)
            run(["git", "config", "user.email", who + "@example.com"], cwd=d)
            with open(os.path.join(d, "people", who + ".md"), "a") as f:
                f.write("\n")
            run(["git", "commit", "-q", "-am", "local change by %s" % who], cwd=d)
            # Each round starts from here (the last round leaves HEAD on its merge).
            run(["git", "update-ref", "refs/bench/mine", "HEAD"], cwd=d)
        run(["git", "update-ref", "refs/bench/base", "main"], cwd=srv)
        open(done, "w").close()
    base = run(["git", "rev-parse", "refs/bench/base"], cwd=srv).strip()
    theirs = run(["git", "rev-parse", "HEAD"], cwd=c).strip()
    mine_a = run(["git", "rev-parse", "refs/bench/mine"], cwd=a).strip()
    mine_b = run(["git", "rev-parse", "refs/bench/mine"], cwd=b).strip()
    p, g = [], []
    for _ in range(reps):
        for d, mine in ((a, mine_a), (b, mine_b)):
            run(["git", "reset", "-q", "--hard", mine], cwd=d)
            run(["git", "update-ref", "refs/remotes/origin/main", base], cwd=d)
        run(["git", "update-ref", "refs/heads/main", theirs], cwd=srv)
        # The server was rewound to the round's start, which perf refuses
        # to follow from the tip it verified last round: each round syncs
        # as a clone that has not verified the remote yet (the commits it
        # brings are checked against the history both share).
        try:
            os.remove(os.path.join(a, ".git", "perf", "verified"))
        except FileNotFoundError:
            pass
        p.append(timed([[perf, "sync"]], a))
        run(["git", "update-ref", "refs/heads/main", theirs], cwd=srv)
        g.append(timed([["git", "pull", "-q", "--no-rebase", "--no-edit"], ["git", "push", "-q"]], b))
        if run(["git", "status", "--porcelain"], cwd=a).strip():
            sys.exit("history.py: perf sync left the work tree dirty")
        for d, who in ((a, "perf sync"), (b, "git pull")):
            if run(["git", "rev-parse", "HEAD^2"], cwd=d, check=False).strip() != theirs:
                sys.exit("history.py: %s did not merge the teammate's commits" % who)
    mp, mg = statistics.median(p), statistics.median(g)
    print("sync    1,000 new documents in 100 commits   perf sync %7.1f ms   git pull+push %7.1f ms   ratio %.2f"
          % (mp, mg, mp / mg))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--perf", required=True)
    ap.add_argument("--big", required=True)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--root", default=os.environ.get("PERF_BENCH_DIR", "/tmp/perf-bench"))
    a = ap.parse_args()
    ok = all([log_bench(a.perf, a.root, a.reps, n) for n in (3000, 30000)])
    sync_bench(a.perf, a.big, a.root, max(3, a.reps // 2))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
