#!/usr/bin/python3
"""Reads a perf document's front matter with PyYAML, as an independent check.

Prints one line per top-level key: the key, the Python type of its value,
the value's UTF-8 bytes in hex (strings) and its JSON (everything).
"""
import json
import sys

import yaml


def front_matter(text):
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.splitlines(True)
    if not lines or lines[0].rstrip("\r\n") != "---":
        raise SystemExit("no opening fence")
    for i in range(1, len(lines)):
        if lines[i].rstrip("\r\n") in ("---", "..."):
            return "".join(lines[1:i])
    raise SystemExit("no closing fence")


def main():
    with open(sys.argv[1], "rb") as f:
        text = f.read().decode("utf-8")
    data = yaml.safe_load(front_matter(text))
    if data is None:
        data = {}
    for key, value in data.items():
        hexed = value.encode("utf-8").hex() if isinstance(value, str) else "-"
        js = json.dumps(value, ensure_ascii=True, default=repr)
        print("%s\t%s\t%s\t%s" % (key, type(value).__name__, hexed or "=", js))


main()
