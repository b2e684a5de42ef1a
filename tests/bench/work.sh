#!/bin/sh
# Benchmark: perf checkin gathering one person's week from 20 repositories
# with 50,000 commits between them (perf.work), side by side with
# git log --all --author=EMAIL... --since --until over the same
# repositories (one git per repository, as a script would run it).
# See README.md.
#
#   PERF_BIN=build/perf sh tests/bench/work.sh
#
# PERF_BENCH_DIR    where the generated repositories are cached (/tmp/perf-bench)
# PERF_BENCH_REPS   timed rounds (15)
# PERF_BENCH_WORK   repositories x commits each (20x2500)
. "$(dirname "$0")/env.sh"
case "$PERF_BIN" in /*) ;; *) PERF_BIN=$(pwd)/$PERF_BIN ;; esac
reps=${PERF_BENCH_REPS:-15}
size=${PERF_BENCH_WORK:-20x2500}
exec python3 - "$PERF_BIN" "$PERF_BENCH_DIR" "$reps" "${size%x*}" "${size#*x}" <<'PY'
import calendar, json, os, random, resource, shutil, statistics, subprocess, sys, time

perf, root, reps, nrepos, per = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
VERSION = 1
base = os.path.join(root, "work-%dx%d" % (nrepos, per))
# The person: two emails (one in people/, one only in git config), and nine others.
ME, ME2 = "me@example.com", "me@home.example"
OTHERS = ["p%d@example.com" % i for i in range(1, 10)]
WEEK = "2026-W47"
SINCE, UNTIL = "2026-11-16T00:00:00Z", "2026-11-23T00:00:00Z"
END = calendar.timegm(time.strptime("2026-11-22T18:00:00", "%Y-%m-%dT%H:%M:%S"))
SPAN = 2 * 365 * 86400  # two years of history, newest in the measured week


def generate():
    """20 repositories by git fast-import: a main line with a topic branch merged every 25 commits,
    an annotated tag every 500, authors drawn at random (the person one time in ten)."""
    rnd = random.Random(47)
    if os.path.isdir(base):
        shutil.rmtree(base)
    os.makedirs(base)
    for r in range(nrepos):
        path = os.path.join(base, "repo%02d" % r)
        subprocess.run(["git", "init", "-q", path], check=True)
        subprocess.run(["git", "-C", path, "config", "gc.auto", "0"], check=True)
        out = []
        mark = 0
        main = None
        for i in range(per):
            t = END - SPAN + (SPAN * i) // per + rnd.randrange(0, 600)
            who = rnd.choice([ME, ME2] if rnd.random() < 0.1 else OTHERS)
            msg = "change %d of repo%02d by %s" % (i, r, who.split("@")[0])
            body = ("line %d %s\n" % (i, rnd.random())).encode()
            topic = i % 25 == 24 and main is not None
            mark += 1
            out.append(b"commit refs/heads/%s\nmark :%d\n" % (b"topic" if topic else b"main", mark))
            sig = ("%s <%s> %d +0000\n" % (who.split("@")[0], who, t)).encode()
            out.append(b"author " + sig + b"committer " + sig)
            out.append(b"data %d\n%s\n" % (len(msg), msg.encode()))
            if main is not None:
                out.append(b"from :%d\n" % main)
            out.append(b"M 100644 inline f%03d.txt\ndata %d\n%s\n" % (i % 97, len(body), body))
            if topic:
                # The topic commit, then its merge into main by the same person.
                mark += 1
                m = b"Merge branch 'topic-%d'" % i
                out.append(b"commit refs/heads/main\nmark :%d\n" % mark)
                out.append(b"author " + sig + b"committer " + sig)
                out.append(b"data %d\n%s\n" % (len(m), m))
                out.append(b"from :%d\nmerge :%d\n\n" % (main, mark - 1))
            main = mark
            if i % 500 == 499:
                tag = b"v%d" % (i // 500)
                out.append(b"tag %s\nfrom :%d\ntagger %s" % (tag, main, sig))
                out.append(b"data 7\nrelease\n")
        subprocess.run(["git", "-C", path, "fast-import", "--quiet"], input=b"".join(out), check=True)
        subprocess.run(["git", "-C", path, "checkout", "-q", "-f", "main"], check=True)
        subprocess.run(["git", "-C", path, "gc", "-q", "--prune=now"], check=True)
    with open(os.path.join(base, "work-bench.json"), "w") as f:
        json.dump({"version": VERSION, "repos": nrepos, "per": per}, f)


marker = os.path.join(base, "work-bench.json")
try:
    ok = json.load(open(marker)) == {"version": VERSION, "repos": nrepos, "per": per}
except (OSError, ValueError):
    ok = False
t0 = time.time()
if not ok:
    generate()
    print("generated %d repositories x %d commits in %.1f s" % (nrepos, per, time.time() - t0))
repos = [os.path.join(base, "repo%02d" % r) for r in range(nrepos)]
total = sum(int(subprocess.check_output(["git", "-C", p, "rev-list", "--all", "--count"])) for p in repos)

# A team with the person in it, fresh each run; perf.work and the second email in their git config.
team = os.path.join(root, "work-team")
shutil.rmtree(team, ignore_errors=True)
env = dict(os.environ, GIT_AUTHOR_NAME="Me", GIT_AUTHOR_EMAIL=ME, GIT_COMMITTER_NAME="Me", GIT_COMMITTER_EMAIL=ME)
subprocess.run([perf, "init", team, "--team", "Bench"], check=True, env=env, stdout=subprocess.DEVNULL)
subprocess.run([perf, "-C", team, "join", "--role", "Engineer"], check=True, env=env, stdout=subprocess.DEVNULL,
               stderr=subprocess.DEVNULL)
subprocess.run(["git", "-C", team, "config", "user.email", ME2], check=True)
subprocess.run(["git", "-C", team, "config", "--add", "perf.work", base + "/repo*"], check=True)
nowork = dict(env, PERF_EDITOR="true")
work_env = dict(nowork)


def gathered():
    """What the editor offers: the lines of the Work this week section."""
    ed = os.path.join(root, "work-peek.sh")
    with open(ed, "w") as f:
        f.write("#!/bin/sh\ncp \"$1\" %s/work-seen.md\n" % root)
    os.chmod(ed, 0o755)
    subprocess.run([perf, "-C", team, "checkin", "--week", WEEK], env=dict(env, PERF_EDITOR=ed),
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return [l for l in open(os.path.join(root, "work-seen.md")) if l.startswith("- ")]


def git_log():
    n = 0
    for p in repos:
        out = subprocess.run(["git", "-C", p, "log", "--all", "--author=" + ME, "--author=" + ME2,
                              "--since=" + SINCE, "--until=" + UNTIL, "--format=%H %s"],
                             check=True, stdout=subprocess.PIPE).stdout
        n += out.count(b"\n")
    return n


def perf_checkin():
    # The editor changes nothing, so nothing is written: gathering, the template and the editor's start.
    subprocess.run([perf, "-C", team, "checkin", "--week", WEEK], env=work_env, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)


def perf_plain():
    subprocess.run([perf, "-C", team, "checkin", "--week", WEEK], env=nowork, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)


def timed(fn):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter_ns()
    fn()
    wall = (time.perf_counter_ns() - t) / 1e6
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000
    return wall, cpu


lines = gathered()
logged = git_log()
print("%d repositories, %d commits; the person's week %s: %d lines offered by perf, %d commits by git log"
      % (nrepos, total, WEEK, len(lines), logged))

# perf.work is read from the team's git config: the plain row runs with it unset.
rows = {"perf checkin (gather)": perf_checkin, "git log x%d" % nrepos: git_log, "perf checkin (no perf.work)": None}
times = {k: [] for k in rows}
cpus = {k: [] for k in rows}
names = list(rows)
for fn in (perf_checkin, git_log):
    fn()  # warm-up
for rnd_i in range(reps):
    order = names[rnd_i % 3:] + names[:rnd_i % 3]
    for name in order:
        if rows[name] is None:
            subprocess.run(["git", "-C", team, "config", "--unset-all", "perf.work"], check=True)
            w, c = timed(perf_plain)
            subprocess.run(["git", "-C", team, "config", "--add", "perf.work", base + "/repo*"], check=True)
        else:
            w, c = timed(rows[name])
        times[name].append(w)
        cpus[name].append(c)
git_med = statistics.median(times["git log x%d" % nrepos])
print()
print("%-28s %10s %9s %9s %9s %8s" % ("command", "median ms", "min ms", "max ms", "cpu ms", "vs git"))
print("-" * 78)
for name in names:
    med = statistics.median(times[name])
    print("%-28s %10.1f %9.1f %9.1f %9.1f %8.3f" % (name, med, min(times[name]), max(times[name]),
                                                   statistics.median(cpus[name]), med / git_med))
load = os.getloadavg()[0]
print("\n%d rounds; load average %.1f" % (reps, load))
PY
