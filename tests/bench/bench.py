#!/usr/bin/env python3
"""Time perf's one-document commit against git's, side by side.

    bench.py --perf PERF [--reps R] LABEL=REPO ...

In each repository (made by gen.py), R rounds of three commands, the order
rotating from round to round:

  perf join       `perf join --role ... --lead <first person>` as a new person
                  (a new GIT_AUTHOR_EMAIL, so a new handle): writes
                  people/<handle>.md and commits it, index and work tree
                  kept in line.  The target of the foundation issue.
  perf checkin    `perf checkin --week ... --mood 4 -m ... --learned ...` as an
                  existing person: one new checkins/<handle>/<week>.md.
  git add+commit  a new people/<handle>.md written beforehand (not timed),
                  then `git add <file>` and `git commit -q -m ...`, timed
                  together.

Each figure is the wall time of the whole command(s), from fork to exit,
measured with time.perf_counter_ns; the CPU time (user + sys of the child
processes, from getrusage) is shown beside it because it is less disturbed
by other work on the machine.  One untimed warm-up of each comes first.
Afterwards the repository must be clean (`git status --porcelain` empty),
`git fsck --strict` must pass and HEAD must hold every file written.
"""

import datetime
import os
import resource
import statistics
import subprocess
import sys
import time

TARGET_RATIO = 0.15  # perf <= 0.15 x git add+commit on the big repository
TARGET_SMALL_MS = 15.0  # perf <= 15 ms on the small repository
COMMANDS = ["perf join", "perf checkin", "git add+commit"]


def die(msg):
    sys.stderr.write("bench.py: %s\n" % msg)
    sys.exit(1)


def children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def timed(cmds, cwd, env):
    """Runs each command in turn; returns (wall ms, cpu ms, outputs)."""
    outs = []
    c0 = children_cpu()
    t0 = time.perf_counter_ns()
    for cmd in cmds:
        p = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if p.returncode != 0:
            die("%s failed (exit %d) in %s:\n%s%s" % (" ".join(cmd), p.returncode, cwd,
                                                      p.stdout.decode(errors="replace"),
                                                      p.stderr.decode(errors="replace")))
        outs.append(p.stdout.decode(errors="replace"))
    t1 = time.perf_counter_ns()
    c1 = children_cpu()
    return (t1 - t0) / 1e6, (c1 - c0) * 1e3, outs


def git_out(repo, *args):
    p = subprocess.run(["git", "-C", repo] + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return p.returncode, p.stdout.decode(errors="replace").strip(), p.stderr.decode(errors="replace").strip()


def identity(handle):
    name = "New %s" % handle.capitalize()
    email = "%s@example.com" % handle
    return dict(os.environ, GIT_AUTHOR_NAME=name, GIT_AUTHOR_EMAIL=email,
                GIT_COMMITTER_NAME=name, GIT_COMMITTER_EMAIL=email)


def person_file(handle, lead):
    return ("---\nkind: person\nhandle: %s\nname: New %s\nemail: %s@example.com\n"
            "role: Software engineer\nlead: %s\njoined: %s\n---\n"
            % (handle, handle.capitalize(), handle, lead, os.environ.get("PERF_NOW", "2026-11-23T10:00:00Z")))


def week_before(label, k):
    """The ISO week k weeks before label (YYYY-Www)."""
    y, w = int(label[:4]), int(label[6:])
    d = datetime.date.fromisocalendar(y, w, 1) - datetime.timedelta(weeks=k)
    y, w, _ = d.isocalendar()
    return "%04d-W%02d" % (y, w)


def bench_repo(perf, label, repo, reps, run_id):
    rc, head0, _ = git_out(repo, "rev-parse", "HEAD")
    if rc:
        die("%s is not a git repository" % repo)
    people = sorted(f[:-3] for f in os.listdir(os.path.join(repo, "people")) if f.endswith(".md"))
    lead = people[0]
    oldest = min(f[:-3] for f in os.listdir(os.path.join(repo, "checkins", people[0])))
    this_week = datetime.date.fromisoformat(os.environ.get("PERF_NOW", "2026-11-23")[:10]).isocalendar()
    this_week = "%04d-W%02d" % (this_week[0], this_week[1])
    files = int(git_out(repo, "ls-files")[1].count("\n")) + 1
    written = []
    res = {k: {"wall": [], "cpu": []} for k in COMMANDS}

    def run_join(i):
        h = "j%s-%02d" % (run_id, i)
        wall, cpu, outs = timed([[perf, "join", "--role", "Software engineer", "--lead", lead]], repo,
                                identity(h))
        if "joined as %s " % h not in outs[0]:
            die("perf join said: %r" % outs[0])
        written.append("people/%s.md" % h)
        return wall, cpu

    def run_checkin(i):
        # Existing people check in for this week; once each has, for older weeks.
        who = people[i % len(people)]
        week = this_week if i < len(people) else week_before(oldest, i // len(people))
        env = identity(who)
        wall, cpu, outs = timed([[perf, "checkin", "--week", week, "--mood", "4", "-m", "Merged the indexer.",
                                  "--learned", "Tries beat hashes for prefix lookups."]], repo, env)
        path = "checkins/%s/%s.md" % (who, week)
        if path not in outs[0]:
            die("perf checkin said: %r" % outs[0])
        written.append(path)
        return wall, cpu

    def run_git(i):
        h = "g%s-%02d" % (run_id, i)
        path = "people/%s.md" % h
        with open(os.path.join(repo, path), "w") as f:
            f.write(person_file(h, lead))
        wall, cpu, _ = timed([["git", "add", path], ["git", "commit", "-q", "-m", "join: %s" % h]], repo,
                             identity(h))
        written.append(path)
        return wall, cpu

    run = {"perf join": run_join, "perf checkin": run_checkin, "git add+commit": run_git}
    sys.stderr.write("bench: %s (%d files): warm-up, then %d rounds of %s" % (
        label, files, reps, ", ".join(COMMANDS)))
    sys.stderr.flush()
    for name in COMMANDS:
        run[name](0)
    for i in range(1, reps + 1):
        # Rotate which command goes first, so none always follows the same one.
        order = COMMANDS[i % len(COMMANDS):] + COMMANDS[:i % len(COMMANDS)]
        for name in order:
            wall, cpu = run[name](i)
            res[name]["wall"].append(wall)
            res[name]["cpu"].append(cpu)
        sys.stderr.write(".")
        sys.stderr.flush()
    sys.stderr.write(" checking\n")

    # The repository must be exactly as git expects it.
    problems = []
    rc, st, err = git_out(repo, "status", "--porcelain", "--untracked-files=all")
    if rc or st:
        problems.append("git status is not clean:\n%s%s" % (st, err))
    rc, _, err = git_out(repo, "fsck", "--strict", "--no-progress")
    if rc:
        problems.append("git fsck failed:\n%s" % err)
    rc, n, _ = git_out(repo, "rev-list", "--count", "%s..HEAD" % head0)
    if n != str(len(written)):
        problems.append("expected %d new commits, found %s" % (len(written), n))
    rc, tracked, _ = git_out(repo, "ls-tree", "-r", "--name-only", "HEAD", "people/", "checkins/")
    missing = set(written) - set(tracked.split("\n"))
    if missing:
        problems.append("not committed: %s" % " ".join(sorted(missing)))
    return {"label": label, "files": files, "problems": problems, "res": res, "commits": len(written)}


FLOOR = [
    ("/bin/true", ["true"]),
    ("perf --version", None),  # start and dynamic linking, no libgit2 init
    ("perf join --help", None),  # + git_libgit2_init (mbedTLS loads the CA bundle), no repository
]


def floor(perf, reps):
    """What every perf command pays before touching a repository."""
    out = []
    for name, cmd in FLOOR:
        cmd = cmd or [perf] + name.split()[1:]
        walls, cpus = [], []
        for i in range(reps + 1):
            wall, cpu, _ = timed([cmd], "/", os.environ)
            if i:
                walls.append(wall)
                cpus.append(cpu)
        out.append((name, walls, cpus))
    return out


def machine():
    model = "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    lib = subprocess.run(["pkg-config", "--modversion", "libgit2"], stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL).stdout.decode().strip() or "?"
    gitv = subprocess.run(["git", "--version"], stdout=subprocess.PIPE).stdout.decode().split()[-1]
    return "%s, %d CPUs (%s), git %s, libgit2 %s" % (
        time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), os.cpu_count(), model, gitv, lib)


def main():
    args = sys.argv[1:]
    perf = os.environ.get("PERF_BIN", "perf")
    reps = 15
    while args and args[0].startswith("--"):
        if args[0] == "--perf" and len(args) > 1:
            perf, args = args[1], args[2:]
        elif args[0] == "--reps" and len(args) > 1:
            reps, args = int(args[1]), args[2:]
        else:
            die("usage: bench.py [--perf PERF] [--reps R] LABEL=REPO ...")
    if os.sep in perf:
        perf = os.path.abspath(perf)
    if not args or reps < 1:
        die("usage: bench.py [--perf PERF] [--reps R] LABEL=REPO ...")
    # PERF_BENCH_NICE=-10 (as root) keeps other work on a shared machine from
    # preempting the timed commands; perf and git get the same priority.
    niceness = os.environ.get("PERF_BENCH_NICE")
    if niceness:
        try:
            os.nice(int(niceness) - os.nice(0))
        except (OSError, ValueError) as e:
            sys.stderr.write("bench.py: cannot set niceness %s: %s\n" % (niceness, e))
    run_id = format(int(time.time() * 1000) % (36 ** 6), "x")[-6:]
    load0 = os.getloadavg()[0]
    results = []
    for a in args:
        label, _, repo = a.partition("=")
        results.append(bench_repo(perf, label, os.path.abspath(repo), reps, run_id))
    fl = floor(perf, reps)
    load1 = os.getloadavg()[0]

    med = statistics.median
    print()
    print("perf writing one document vs git add + git commit: %d rounds, order rotating" % reps)
    print(machine())
    print("load average (1 min): %.2f before, %.2f after; niceness %d" % (load0, load1, os.nice(0)))
    if max(load0, load1) > (os.cpu_count() or 1):
        print("warning: the machine was busy (load above its %d CPUs): wall times are inflated;"
              " the cpu column and the ratios are steadier" % (os.cpu_count() or 1))
    print()
    hdr = "%-5s %7s  %-16s %9s %9s %9s %9s %9s" % (
        "repo", "files", "command", "median ms", "min ms", "max ms", "cpu ms", "vs git")
    print(hdr)
    print("-" * len(hdr))
    for r in results:
        g = med(r["res"]["git add+commit"]["wall"])
        for k, name in enumerate(COMMANDS):
            x = r["res"][name]
            print("%-5s %7s  %-16s %9.1f %9.1f %9.1f %9.1f %9.3f" % (
                r["label"] if k == 0 else "", r["files"] if k == 0 else "", name, med(x["wall"]),
                min(x["wall"]), max(x["wall"]), med(x["cpu"]), med(x["wall"]) / g))
    for k, (name, walls, cpus) in enumerate(fl):
        print("%-5s %7s  %-16s %9.1f %9.1f %9.1f %9.1f %9s" % (
            "floor" if k == 0 else "", "", name,
            med(walls), min(walls), max(walls), med(cpus), ""))
    print("(wall time of the whole command, fork to exit; median, fastest and slowest of %d;"
          " cpu = median user+sys;" % reps)
    print(" vs git = median / git's median; git's time is git add plus git commit)")
    print()
    ok = True
    big = max(results, key=lambda r: r["files"])
    small = min(results, key=lambda r: r["files"])
    for name in ("perf join", "perf checkin"):
        ratio = med(big["res"][name]["wall"]) / med(big["res"]["git add+commit"]["wall"])
        print("target: %-12s <= %.2f x git on %s (%d files): %.3f  %s" % (
            name, TARGET_RATIO, big["label"], big["files"], ratio, "met" if ratio <= TARGET_RATIO else "NOT MET"))
        if small is not big:
            ms = med(small["res"][name]["wall"])
            print("target: %-12s <= %.0f ms on %s (%d files): %.1f ms  %s" % (
                name, TARGET_SMALL_MS, small["label"], small["files"], ms,
                "met" if ms <= TARGET_SMALL_MS else "NOT MET"))
    for r in results:
        if r["problems"]:
            ok = False
            print("%s: repository check FAILED:\n  %s" % (r["label"], "\n  ".join(r["problems"])))
        else:
            print("%s: clean after %d commits (git status --porcelain empty, git fsck --strict ok)"
                  % (r["label"], r["commits"]))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
