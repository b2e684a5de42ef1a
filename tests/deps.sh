#!/bin/sh
# Installs what perf needs to build and test, on Debian or Ubuntu.
# Run by `make deps` (and so by `make demo` and `make check`).  Quiet when
# everything is present; installs with apt-get as root or through sudo;
# otherwise prints the exact command to run.
set -e

pkgs="build-essential pkg-config git libgit2-dev libcmark-dev libyaml-dev libssl-dev libsodium-dev zlib1g-dev scdoc
      python3 python3-yaml perl clang libclang-rt-dev openssh-client openssh-server openssl
      valgrind time chromium poppler-utils zsh fish"

missing=""
for p in $pkgs; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
	echo "perf: missing build dependencies:$missing" >&2
	echo "perf: this is not a Debian-like system; install the equivalents of those packages" >&2
	exit 1
fi

if [ "$(id -u)" = 0 ]; then
	sudo=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
	sudo="sudo"
else
	echo "perf: missing build dependencies:$missing" >&2
	echo "perf: install them with:" >&2
	echo "  sudo apt-get update && sudo apt-get install -y$missing" >&2
	exit 1
fi

echo "perf: installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
