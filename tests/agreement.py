"""The agreement version of a document, computed as perf-format(5),
AGREEMENT, describes it, independently of perf: the first 16 hex digits of
the git blob id of "perf-agreement 1", the front matter (agreements, and a
norm's status and adoption time, left out) and the body.

    python3 tests/agreement.py FILE      prints FILE's version

The tests that write agreements by hand import it (version()).
"""
import hashlib
import sys

import yaml


def encode(n):
    """A front-matter node as perf-format(5) encodes it: mappings by sorted key, then lists, then strings."""
    if isinstance(n, dict):
        out = b"M%d\n" % len(n)
        for k in sorted(n, key=lambda k: k.encode()):
            out += b"K%d:%s\n" % (len(k.encode()), k.encode()) + encode(n[k])
        return out
    if isinstance(n, list):
        return b"L%d\n" % len(n) + b"".join(encode(i) for i in n)
    s = n.encode()
    return b"S%d:%s\n" % (len(s), s)


def version(fm, body):
    """The version of a document whose front matter (read as strings, YAML's BaseLoader) is fm and body the bytes body."""
    v = dict(fm)
    for k in ["agreed_by"] + (["status", "adopted"] if fm.get("kind") == "norm" else []):
        v.pop(k, None)
    data = b"perf-agreement 1\n" + encode(v) + b"B%d:" % len(body) + body + b"\n"
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()[:16]


def file_version(path):
    text = open(path, "rb").read()
    assert text.startswith(b"---\n"), path + ": no front matter"
    end = text.index(b"\n---\n", 3)
    fm = yaml.load(text[4:end + 1], Loader=yaml.BaseLoader)
    return version(fm, text[end + 5:])


if __name__ == "__main__":
    print(file_version(sys.argv[1]))
