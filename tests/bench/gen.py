#!/usr/bin/env python3
"""Generate a synthetic perf team repository for the benchmarks.

    gen.py [--perf PERF] N W DIR

N people, each with a profile (people/<handle>.md), two or three goals
(goals/<handle>/<slug>.md) and W weekly check-ins
(checkins/<handle>/<YYYY>-W<ww>.md, the W ISO weeks ending 2026-W47), in a
repository created by `perf init` and filled with `git fast-import`: one
commit for the people and their goals, then one commit per quarter (13
weeks) of check-ins.  The result is checked out, packed (`git gc`) and
its index settled, so git and perf both find an ordinary, clean, packed
repository.

The repository is cached: DIR/.git/perf-bench.json records N, W, the
generator's version and the generated commit.  When it matches, the
repository is only put back at that commit (anything a previous benchmark
committed is dropped), which takes a second instead of regenerating.

Everything is deterministic (a fixed seed, fixed dates), so two machines
generate the same bytes.  Only the Python standard library is used.
"""

import datetime
import json
import os
import random
import shutil
import subprocess
import sys
import time

GEN_VERSION = 2
LAST_WEEK = (2026, 47)  # the newest check-in week
MARKER = "perf-bench.json"
GENERATOR = b"Perf Bench <bench@example.invalid>"

FIRST = ["Ada", "Ari", "Bea", "Cai", "Dev", "Eli", "Fay", "Gus", "Hana", "Ivo",
         "Jun", "Kai", "Lena", "Mo", "Nia", "Oto", "Pia", "Quin", "Ravi", "Sol",
         "Tao", "Uma", "Vik", "Wren", "Xia", "Yuki", "Zoe"]
LAST = ["Abe", "Berg", "Cruz", "Diaz", "Eng", "Fox", "Gray", "Holm", "Ito", "Jain",
        "Kim", "Lund", "Moss", "Nagy", "Ortiz", "Park", "Quist", "Rao", "Sato",
        "Tran", "Ueda", "Vega", "Wolf", "Xu", "Yang", "Zhou"]
ROLES = ["Software engineer", "Senior software engineer", "Staff engineer",
         "Engineering manager", "Product designer", "Data scientist",
         "Site reliability engineer", "Product manager", "QA engineer"]
GOALS = [
    ("ship-search", "Ship search v2", "Delivery"),
    ("reduce-p99", "Bring p99 latency under 200 ms", "Craft"),
    ("mentor-new-hire", "Mentor a new hire through onboarding", "Leadership"),
    ("learn-rust", "Get productive in Rust", "Learning"),
    ("design-docs", "Write design docs others can build from", "Communication"),
    ("oncall-calm", "Make on-call calmer", "Operations"),
    ("test-coverage", "Cover the billing paths with tests", "Craft"),
    ("public-talk", "Give a talk at a meetup", "Communication"),
    ("own-roadmap", "Own the team's quarterly roadmap", "Leadership"),
    ("sql-tuning", "Learn to read query plans", "Learning"),
]
LEARNED = [
    "Tries beat hashes for prefix lookups at our sizes.",
    "Reading the flame graph first saves an afternoon of guessing.",
    "Small PRs get reviewed the same day; big ones wait a week.",
    "The retry storm came from two layers both retrying.",
    "Pairing on the migration showed me how the old schema grew.",
    "Writing the doc before the code surfaced two open questions.",
    "Feature flags need an owner and an end date.",
    "Asking 'what would make this easy?' unblocked the design review.",
    "Our p99 is dominated by one slow dependency, not our code.",
    "Index-only scans need the covering column in the index.",
    "Customers read error messages more than we think.",
    "A five-minute demo beats a long status update.",
]
TOWARDS = [
    "Merged the indexer; next is the ranking experiment.",
    "Drafted the runbook; next, a dry run with the team.",
    "Two of three dashboards done; the last needs new metrics.",
    "Paired twice with our new hire; they shipped their first fix.",
    "Rewrote the hot loop; next, measure it in staging.",
    "Outline of the talk is ready; rehearsing on Thursday.",
    "Closed four flaky tests; two remain.",
    "Read chapter three; trying it on the billing queries.",
]
STUCK = ["Nothing.", "Nothing this week.", "Waiting on the API review.",
         "Staging is flaky after the upgrade.", "Unclear priorities between two asks.",
         "Need access to the production replicas.", "Nothing; a calm week."]
ASK = ["None.", "A review of the design doc from someone on infra.",
       "Thirty minutes with the lead to settle priorities.",
       "Feedback on my code reviews: too terse?", "Nothing for now, thanks.",
       "Help finding a meetup slot."]


FAST_ENV = dict(os.environ, GLIBC_TUNABLES="glibc.malloc.trim_threshold=268435456:glibc.malloc.top_pad=67108864")


def die(msg):
    sys.stderr.write("gen.py: %s\n" % msg)
    sys.exit(1)


def git(repo, *args, **kw):
    kw.setdefault("env", FAST_ENV)
    return subprocess.run(["git", "-C", repo] + list(args), check=True, **kw)


def git_out(repo, *args):
    return subprocess.run(["git", "-C", repo] + list(args), check=True,
                          stdout=subprocess.PIPE).stdout.decode().strip()


def weeks(w):
    """The W ISO weeks ending LAST_WEEK, oldest first: (label, monday)."""
    last = datetime.date.fromisocalendar(LAST_WEEK[0], LAST_WEEK[1], 1)
    out = []
    for k in range(w - 1, -1, -1):
        d = last - datetime.timedelta(days=7 * k)
        y, wk, _ = d.isocalendar()
        out.append(("%04d-W%02d" % (y, wk), d))
    return out


def rfc3339(dt):
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def epoch(dt):
    return int(dt.replace(tzinfo=datetime.timezone.utc).timestamp())


class Person:
    __slots__ = ("handle", "name", "email", "role", "lead", "group", "goals", "pace", "joined")


def make_people(n, rng, first_monday):
    width = max(4, len(str(n)))
    people = []
    for i in range(1, n + 1):
        p = Person()
        p.handle = "p%0*d" % (width, i)
        p.name = "%s %s" % (FIRST[i % len(FIRST)], LAST[(i * 7) % len(LAST)])
        p.email = "%s@example.com" % p.handle
        p.role = ROLES[rng.randrange(len(ROLES))]
        # A tree of leads: p1 leads the leads, each lead has about eight people.
        p.lead = None if i == 1 else "p%0*d" % (width, 1 if i <= 9 else (i - 1) // 8 + 1)
        p.group = "g%0*d" % (width, (i - 1) // 4 + 1)  # accountability groups of four
        p.goals = rng.sample(GOALS, rng.choice((2, 2, 3)))
        p.pace = [rng.randrange(40, 160) for _ in p.goals]  # percent over the whole span
        joined = datetime.datetime.combine(first_monday, datetime.time(9)) - \
            datetime.timedelta(days=rng.randrange(7, 400), minutes=rng.randrange(600))
        p.joined = joined
        people.append(p)
    return people


def person_doc(p):
    s = "---\nkind: person\nhandle: %s\nname: %s\nemail: %s\nrole: %s\n" % (
        p.handle, p.name, p.email, p.role)
    if p.lead:
        s += "lead: %s\n" % p.lead
    s += "group: %s\njoined: %s\n---\n" % (p.group, rfc3339(p.joined))
    return s.encode()


def progress(p, gi, k, w):
    """Progress of the person's goal gi after week k of w: steady, at its own pace."""
    return min(100, (k + 1) * p.pace[gi] // w)


def goal_doc(p, gi, created, w, closed):
    slug, title, area = p.goals[gi]
    prog = progress(p, gi, w - 1, w)
    s = "---\nkind: goal\nperson: %s\ntitle: %s\nstatus: %s\nprogress: %d\ndue: 2026-12-31\n" \
        "supports: %s\ncreated: %s\n" % (p.handle, title, "done" if prog == 100 else "active", prog,
                                          area, rfc3339(created))
    if prog == 100:
        s += "closed: %s\n" % rfc3339(closed)
    s += "---\n## Why\nIt matters for %s this year.\n\n## Support\n" \
         "Time in the sprint and a review from %s.\n" % (p.handle, p.lead or "the team")
    return s.encode()


def checkin_doc(p, label, monday, k, w, rng):
    created = datetime.datetime.combine(monday, datetime.time(9)) + \
        datetime.timedelta(hours=rng.randrange(0, 80), minutes=rng.randrange(60))
    lines = ["---", "kind: checkin", "person: " + p.handle, "week: " + label, "goals:"]
    for gi, (slug, _, _) in enumerate(p.goals):
        lines.append("  - goal: %s\n    progress: %d" % (slug, progress(p, gi, k, w)))
    lines.append("mood: %d" % rng.choice((2, 3, 3, 4, 4, 4, 5)))
    lines.append("created: " + rfc3339(created))
    lines.append("---")
    lines.append("## Learned\n%s\n\n## Working towards\n%s\n\n## Stuck\n%s\n\n## Ask\n%s\n" % (
        LEARNED[rng.randrange(len(LEARNED))], TOWARDS[rng.randrange(len(TOWARDS))],
        STUCK[rng.randrange(len(STUCK))], ASK[rng.randrange(len(ASK))]))
    return "\n".join(lines).encode(), created


def config_doc(team, people):
    s = ("# The team's program, co-designed in this repository: see perf-format(5).\n"
         "kind: config\nformat: 1\nteam: %s\ncadences:\n  checkin: weekly\n  share: monthly\n"
         "agreement: majority\nmaintainers:\n  - %s\ngroups:\n" % (team, people[0].handle))
    groups = {}
    for p in people:
        groups.setdefault(p.group, []).append(p.handle)
    for g, members in groups.items():
        s += "  - name: %s\n    members: [%s]\n" % (g, ", ".join(members))
    return s.encode()


def generate(perf, n, w, repo):
    t0 = time.monotonic()
    env = dict(os.environ, PERF_NOW="2024-01-01T09:00:00Z")
    subprocess.run([perf, "init", repo, "--team", "Bench %dx%d" % (n, w)], check=True, env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # Plain defaults: no feature.manyFiles (its index.skipHash is unreadable by
    # libgit2 1.5), no untracked cache, no fsmonitor; no auto gc mid-benchmark.
    git(repo, "config", "gc.auto", "0")
    git(repo, "config", "maintenance.auto", "false")
    head = git_out(repo, "rev-parse", "HEAD")
    branch = git_out(repo, "symbolic-ref", "HEAD")

    rng = random.Random(20261123 + n * 7919 + w)
    wk = weeks(w)
    people = make_people(n, rng, wk[0][1])
    # glibc returns memory to the system after each big free; on some VMs
    # every brk costs ~80 us and fast-import then spends 3x longer in the
    # kernel than working.  A generous trim threshold avoids that.
    fi = subprocess.Popen(["git", "-C", repo, "fast-import", "--quiet", "--done"],
                          stdin=subprocess.PIPE, bufsize=1 << 20, env=FAST_ENV)
    out = fi.stdin

    def blob(path, data):
        out.write(b"M 100644 inline %s\ndata %d\n" % (path.encode(), len(data)))
        out.write(data)
        out.write(b"\n")

    def commit(when, msg, parent):
        msg = msg.encode()
        out.write(b"commit %s\ncommitter %s %d +0000\ndata %d\n%s\n" % (
            branch.encode(), GENERATOR, epoch(when), len(msg), msg))
        if parent:
            out.write(b"from %s\n" % parent.encode())

    start = datetime.datetime.combine(wk[0][1], datetime.time(8)) - datetime.timedelta(days=7)
    end = datetime.datetime.combine(wk[-1][1], datetime.time(17))
    commit(start, "bench: %d people and their goals\n" % n, head)
    blob(".perf/config.yaml", config_doc("Bench %dx%d" % (n, w), people))
    for p in people:
        blob("people/%s.md" % p.handle, person_doc(p))
        for gi, g in enumerate(p.goals):
            blob("goals/%s/%s.md" % (p.handle, g[0]),
                 goal_doc(p, gi, p.joined + datetime.timedelta(days=1), w, end))
    # One commit per quarter (13 weeks): each commit rewrites every
    # checkins/<handle>/ tree, so a commit per week costs 8x the time.
    for k, (label, monday) in enumerate(wk):
        if k % 13 == 0:
            last = wk[min(k + 12, w - 1)]
            commit(datetime.datetime.combine(last[1], datetime.time(18)) + datetime.timedelta(days=4),
                   "checkins: %s to %s (%d people)\n" % (label, last[0], n), None)
        for p in people:
            data, _ = checkin_doc(p, label, monday, k, w, rng)
            blob("checkins/%s/%s.md" % (p.handle, label), data)
    out.write(b"done\n")
    out.close()
    if fi.wait() != 0:
        die("git fast-import failed")
    t1 = time.monotonic()
    # Check the new tree out into the work tree and index, then pack it all.
    git(repo, "-c", "checkout.workers=4", "read-tree", "-u", "-m", head, branch)
    t2 = time.monotonic()
    git(repo, "gc", "-q", "--prune=now")
    base = git_out(repo, "rev-parse", "HEAD")
    settle(repo)
    t3 = time.monotonic()
    check(perf, repo)
    t4 = time.monotonic()
    files = int(git_out(repo, "ls-files").count("\n")) + 1
    with open(os.path.join(repo, ".git", MARKER), "w") as f:
        json.dump({"n": n, "w": w, "version": GEN_VERSION, "base": base, "files": files}, f)
        f.write("\n")
    sys.stderr.write("gen.py: %s: %d files in %.1fs (fast-import %.1fs, checkout %.1fs, gc %.1fs, perf check %.1fs)\n"
                     % (repo, files, t4 - t0, t1 - t0, t2 - t1, t3 - t2, t4 - t3))


def check(perf, repo):
    """`perf check` must find every generated document valid (when this perf has it)."""
    if subprocess.run([perf, "check", "--help"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode:
        return
    p = subprocess.run([perf, "check", "-q"], cwd=repo, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if p.returncode:
        p = subprocess.run([perf, "check"], cwd=repo, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        die("perf check finds the generated repository invalid:\n%s" % p.stdout.decode(errors="replace")[:4000])


def settle(repo):
    """Leave no racily clean index entry (file mtime >= index mtime), which
    would make the first git or perf command after us re-hash files."""
    time.sleep(1.1)
    git(repo, "update-index", "-q", "--really-refresh")
    git(repo, "status", "--porcelain", stdout=subprocess.DEVNULL)


def main():
    args = sys.argv[1:]
    perf = os.environ.get("PERF_BIN", "perf")
    if len(args) >= 2 and args[0] == "--perf":
        perf, args = args[1], args[2:]
    if os.sep in perf:
        perf = os.path.abspath(perf)
    if len(args) != 3:
        die("usage: gen.py [--perf PERF] N W DIR")
    try:
        n, w = int(args[0]), int(args[1])
    except ValueError:
        die("N and W are numbers")
    if not (1 <= n <= 99999 and 1 <= w <= 520):
        die("N must be 1..99999 and W 1..520")
    repo = os.path.abspath(args[2])
    marker = os.path.join(repo, ".git", MARKER)
    if os.path.exists(marker):
        with open(marker) as f:
            m = json.load(f)
        if (m.get("n"), m.get("w"), m.get("version")) == (n, w, GEN_VERSION):
            # Cached: drop whatever a previous benchmark committed.
            if git_out(repo, "rev-parse", "HEAD") != m["base"] or \
                    git_out(repo, "status", "--porcelain", "--untracked-files=all"):
                git(repo, "-c", "checkout.workers=4", "reset", "-q", "--hard", m["base"])
                git(repo, "clean", "-fdq")
                settle(repo)
            sys.stderr.write("gen.py: %s: reusing %d files at %s\n" % (repo, m["files"], m["base"][:12]))
            return
        shutil.rmtree(repo)  # ours, of another size or version
    elif os.path.exists(repo) and os.listdir(repo):
        die("%s exists and is not a generated benchmark repository; refusing to touch it" % repo)
    os.makedirs(os.path.dirname(repo), exist_ok=True)
    generate(perf, n, w, repo)


if __name__ == "__main__":
    main()
