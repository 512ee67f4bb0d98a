#!/usr/bin/env bash
# Runs a GDB script against a fresh QEMU: `make gdb-batch GDB_SCRIPT=file CMDLINE="..."`.
# QEMU starts headless and frozen with its gdbstub on a free port; GDB loads the kernel's symbols and
# TeachOS's extension (tools/gdb/teachos.py), attaches, runs the script's commands, and the machine
# is killed when the script ends. Everything GDB prints goes to stdout, the serial log to stderr.
#
#   tools/gdb/batch.sh SCRIPT [KERNEL COMMAND LINE] [SMP] [TIMEOUT SECONDS]
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
script=${1:?usage: batch.sh SCRIPT [CMDLINE] [SMP] [TIMEOUT]}
cmdline=${2:-} smp=${3:-1} timeout=${4:-300}
script=$(cd "$(dirname "$script")" && pwd)/$(basename "$script")
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

"$root/tools/run-qemu.sh" --headless --timeout "$timeout" --smp "$smp" --gdb "$port" --cmdline "$cmdline" >&2 &
qemu=$!
trap 'kill $qemu 2>/dev/null; wait $qemu 2>/dev/null' EXIT
cd "$root"
timeout "$timeout" gdb -q -nx -batch \
    -ex "set confirm off" -ex "set pagination off" -ex "set architecture i386:x86-64" \
    -ex "symbol-file build/kernel.elf" -ex "source tools/gdb/teachos.py" \
    -ex "target remote localhost:$port" -x "$script" -ex "kill"
