#!/bin/sh
# Installs the Debian packages TeachOS needs, if any are missing. Quiet when all are present.
# Called by `make run` and `make test`; safe to run by hand.
set -eu
packages="qemu-system-x86 nasm grub-pc-bin grub-common xorriso mtools gdb binutils"
missing=""
for package in $packages; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing="$missing $package"
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
