#!/bin/sh
# Installs the Debian packages TeachOS needs, if any are missing. Quiet when all are present.
# Called by `make run` and `make test`; safe to run by hand.
set -eu
# The list lives in tools/packages.txt (the dev container installs the same one): names, one per line,
# after them a comment.
packages=$(sed -e 's/#.*//' "$(dirname "$0")/packages.txt")
# --list: print the packages, one per line, and stop (tests/Tools compares them with the dev container's).
if [ "${1:-}" = "--list" ]; then printf '%s\n' $packages; exit 0; fi
# One dpkg-query for all of them (make iso runs this check every time; one call per package cost
# a third of a second).
installed=$(dpkg-query -W -f='${Package} ${Status}\n' $packages 2>/dev/null | awk '/ install ok installed$/ { print $1 }')
missing=""
for package in $packages; do
    printf '%s\n' "$installed" | grep -qx "$package" || missing="$missing $package"
done
[ -z "$missing" ] && exit 0

echo "setup: installing missing packages:$missing"
if ! command -v apt-get >/dev/null 2>&1; then
    echo "setup: apt-get not found. TeachOS expects Debian or Ubuntu; install these by hand:$missing" >&2
    exit 1
fi
if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        sudo=sudo
    else
        echo "setup: not root and no sudo. As root, run: apt-get install$missing" >&2
        exit 1
    fi
else
    sudo=""
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing
