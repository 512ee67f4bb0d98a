#!/usr/bin/env bash
# Boots TeachOS in QEMU. The one runner behind `make run`, `make boot`, `make qemu-gdb`, the
# integration tests and the graders, so all of them boot the kernel the same way.
#
#   tools/run-qemu.sh [options]
#     --iso                  boot iso/teachos.iso through GRUB (default: QEMU's fast -kernel path,
#                            build/kernel.bin with Multiboot 1)
#     --cmdline "TEXT"       kernel command line (ignored with --iso: GRUB's is in iso/grub.cfg)
#     --headless             no window, serial on stdout, isa-debug-exit for the verdict
#     --timeout SECONDS      headless only: give up after this long (exit 124)
#     --smp N                virtual CPUs (QEMU -smp syntax, e.g. 4,cores=2,threads=2)
#     --gdb PORT             start frozen, with QEMU's gdbstub listening on PORT
#     --log-traps FILE       QEMU logs every interrupt and exception to FILE (-d int)
#     --icount               the guest's clock counts instructions (-icount shift=0,sleep=off): one
#                            nanosecond, one rdtsc tick, per guest instruction, whatever the host's speed
#     --monitor-socket PATH  headless only: QEMU's monitor on a UNIX socket (tests send keys with it)
#     --disk PATH            attach the raw image PATH as a virtio block device (the kernel's disk,
#                            kernel/Drivers/VirtioBlock.cs); if there is no such file, boot without a disk
#     --net MODE             the network card (kernel/Drivers/VirtioNet.cs): `user` (default: QEMU's
#                            user-mode network, gateway 10.0.2.2, no host ports opened) or `none`
#                            (no card; a test that brings its own -netdev/-device after -- uses this)
#     --forward H:G          with --net user: the host's TCP port H on 127.0.0.1 leads to the guest's port G
#                            (QEMU's hostfwd; repeatable), so a host program reaches a TeachOS server
#     --net-dump FILE        QEMU writes every frame the card sends or receives to FILE (pcap;
#                            `tcpdump -r FILE` or tools/pcap-print.py prints it)
#     --                     the rest goes to QEMU as is
#
# Headless exit status: the kernel's status (written to isa-debug-exit, see kernel/Diagnostics/DebugExit.cs),
# 124 on timeout, 125 if QEMU stopped without a verdict (e.g. a triple fault reset the machine),
# 126 if QEMU itself failed.
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
use_iso=0 cmdline="" headless=0 timeout=60 smp=1 gdb_port="" trap_log="" monitor="none" icount=0 disk="" net=user net_dump="" forwards=""
extra=()
while [ $# -gt 0 ]; do
    case "$1" in
        --iso) use_iso=1 ;;
        --cmdline) cmdline="$2"; shift ;;
        --headless) headless=1 ;;
        --timeout) timeout="$2"; shift ;;
        --smp) smp="$2"; shift ;;
        --gdb) gdb_port="$2"; shift ;;
        --log-traps) trap_log="$2"; shift ;;
        --icount) icount=1 ;;
        --monitor-socket) monitor="unix:$2,server=on,wait=off"; shift ;;
        --disk) disk="$2"; shift ;;
        --net) net="$2"; shift ;;
        --net-dump) net_dump="$2"; shift ;;
        --forward) forwards+=",hostfwd=tcp:127.0.0.1:${2%%:*}-:${2##*:}"; shift ;;
        --) shift; extra+=("$@"); break ;;
        *) echo "run-qemu.sh: unknown option $1" >&2; exit 2 ;;
    esac
    shift
done

# TCG (software emulation) on purpose: it behaves the same on every machine, and KVM is not always
# usable. "-cpu max" gives every feature TCG emulates (SSE4.2, which ilc's code needs; NX; SYSCALL).
args=(-machine pc -cpu max -m 256M -smp "$smp" -no-reboot -accel tcg)

if [ "$use_iso" = 1 ]; then
    # The CD drive sits on an AHCI (SATA) controller, as on a PC of this century, not on the legacy
    # IDE channel of -cdrom: the firmware (SeaBIOS) then reads the CD for GRUB by DMA instead of
    # moving every 16-bit word through an I/O port, which under TCG makes loading the kernel and the
    # initrd three times faster (docs/guide/01-build.md, "Where the boot's time goes").
    args+=(-device ahci,id=ahci
           -drive "file=$root/iso/teachos.iso,media=cdrom,if=none,id=cd,readonly=on"
           -device ide-cd,drive=cd,bus=ahci.0,bootindex=0)
else
    args+=(-kernel "$root/build/kernel.bin")
    [ -n "$cmdline" ] && args+=(-append "$cmdline")
    [ -f "$root/build/initrd.tar" ] && args+=(-initrd "$root/build/initrd.tar initrd")
fi

# The network card: virtio-net (transitional, so it has the legacy interface TeachOS drives) on QEMU's
# user-mode network, which plays a router at 10.0.2.2 with NAT to the host's network and answers pings
# to itself; nothing listens on the host unless hostfwd asks. romfile= (empty): no iPXE boot ROM, which
# the firmware would otherwise load for the card, at a cost to every boot. The card comes before the
# disk on the command line, so it takes slot 00:03.0, where QEMU's default NIC (an e1000) used to sit,
# and the disk keeps 00:04.0. `none`: -nic none, or QEMU would add that default NIC by itself.
case "$net" in
    user)
        args+=(-netdev "user,id=net0$forwards" -device virtio-net-pci,netdev=net0,romfile=)
        if [ -n "$net_dump" ]; then args+=(-object "filter-dump,id=dump0,netdev=net0,file=$net_dump"); fi ;;
    none) args+=(-nic none) ;;
    *) echo "run-qemu.sh: --net is user or none, not $net" >&2; exit 2 ;;
esac

# The disk: a raw image behind a virtio-blk PCI device, which on the `pc` machine is "transitional"
# (it has the legacy I/O-port interface TeachOS drives as well as the modern one). cache=writethrough:
# QEMU writes each block to the image file before it tells the guest the write is done, so what the
# guest saw finished is on the host's disk even if QEMU is killed (a crash point must be made inside
# the guest: crash-after-writes=N). QEMU locks the file: two machines cannot share one image.
if [ -n "$disk" ]; then
    if [ -f "$disk" ]; then
        args+=(-drive "file=$disk,if=none,format=raw,id=disk0,cache=writethrough" -device virtio-blk-pci,drive=disk0)
    else
        echo "run-qemu: no disk image at $disk; booting without a disk" >&2
    fi
fi

if [ -n "$gdb_port" ]; then args+=(-gdb "tcp::$gdb_port" -S); fi
if [ -n "$trap_log" ]; then args+=(-d int,cpu_reset -D "$trap_log"); fi
# shift=0: each guest instruction advances the virtual clock (and so rdtsc, the PIT, the local APIC
# timer) by exactly 1 ns, so a measurement counts instructions and does not depend on how busy the host
# is. sleep=off: when the guest halts, the clock jumps to the next timer deadline at once instead of
# waiting for the host's real time, which would let host timing back in.
if [ "$icount" = 1 ]; then args+=(-icount shift=0,sleep=off); fi

if [ "$headless" = 1 ]; then
    # stdin stays connected to the serial port: what a test writes there, the kernel reads.
    # The serial output is also kept, to read the kernel's power-off status line (below).
    args+=(-display none -serial stdio -monitor "$monitor" -device isa-debug-exit,iobase=0xf4,iosize=0x04)
    serial_log=$(mktemp)
    trap 'rm -f "$serial_log"' EXIT
    timeout --foreground -k 5 "$timeout" qemu-system-x86_64 "${args[@]}" "${extra[@]}" | tee "$serial_log"
    code=${PIPESTATUS[0]}
    if [ "$code" = 124 ]; then
        echo "run-qemu: timed out after ${timeout}s" >&2; exit 124
    elif [ "$code" = 0 ]; then
        echo "run-qemu: QEMU stopped without a verdict (reset or triple fault?)" >&2; exit 125
    elif [ "$code" = 1 ]; then
        echo "run-qemu: QEMU failed" >&2; exit 126
    elif [ $((code % 2)) = 1 ]; then
        # isa-debug-exit carries 7 bits; the kernel's "power off, status N" line carries all 8.
        status=$(tr -d '\r' < "$serial_log" | sed -n 's/^TeachOS: power off, status \([0-9]*\)$/\1/p' | tail -n 1)
        exit "${status:-$(( (code >> 1) - 1 ))}"
    else
        echo "run-qemu: QEMU exited with $code" >&2; exit 126
    fi
else
    # Interactive: the serial console is this terminal; the VGA screen is QEMU's window if there is
    # a display. mon:stdio multiplexes QEMU's monitor: Ctrl-A C switches to it, Ctrl-A X quits.
    # In a container there is no display: VNC=1 (make run VNC=1) shows the screen on VNC port 5900,
    # which the dev container forwards (.devcontainer/devcontainer.json); any VNC viewer opens it.
    if [ -n "${VNC:-}" ] && [ "${VNC}" != 0 ]; then
        args+=(-display none -vnc 127.0.0.1:0)
        echo "TeachOS: the VGA screen is on VNC port 5900 (localhost)." >&2
    elif [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
        args+=(-display none)
    fi
    echo "TeachOS: serial console below. Quit QEMU with Ctrl-A then X." >&2
    exec qemu-system-x86_64 "${args[@]}" -serial mon:stdio "${extra[@]}"
fi
