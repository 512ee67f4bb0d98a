#!/usr/bin/env bash
# `make bench`: prints TeachOS's figures, one per line, as "name: value unit".
# Timings are medians of several runs; they are figures to read, not tests that fail.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
runs=${BENCH_RUNS:-5}

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# Milliseconds from starting QEMU to the first serial line that begins with $1 (QEMU is then stopped).
time_to_line() {
    local marker=$1; shift
    local fifo; fifo=$(mktemp -u); mkfifo "$fifo"
    local start; start=$(now_ms)
    setsid tools/run-qemu.sh --headless --timeout 30 "$@" > "$fifo" 2>/dev/null &
    local runner=$!
    local elapsed=""
    while IFS= read -r line; do
        case "$line" in "$marker"*) elapsed=$(( $(now_ms) - start )); break ;; esac
    done < "$fifo"
    kill -- -"$runner" 2>/dev/null; wait "$runner" 2>/dev/null
    rm -f "$fifo"
    echo "${elapsed:-99999}"
}

# ---- Build ----
bench_build() {
    # A clean build in a fresh clone, after its NuGet restore (which is network time, not build time).
    local clone; clone=$(mktemp -d)
    git clone -q "$root" "$clone"
    (cd "$clone" && dotnet restore kernel/TeachOS.Kernel.csproj -v:q >/dev/null && make -s build/ilc-path >/dev/null)
    local start; start=$(now_ms)
    (cd "$clone" && make -s iso >/dev/null 2>&1)
    echo "build-clean: $(( $(now_ms) - start )) ms (base library + kernel + ISO, after restore)"
    start=$(now_ms)
    (cd "$clone" && make -s iso >/dev/null 2>&1)
    echo "build-noop: $(( $(now_ms) - start )) ms (make iso with nothing changed)"
    touch "$clone/kernel/Boot/Banner.cs"
    start=$(now_ms)
    (cd "$clone" && make -s iso >/dev/null 2>&1)
    echo "build-one-file: $(( $(now_ms) - start )) ms (one kernel .cs file touched)"
    rm -rf "$clone"
}

# ---- Boot ----
bench_boot() {
    local i samples
    samples=$(for i in $(seq "$runs"); do time_to_line "TeachOS " --cmdline "test=none"; done | median)
    echo "boot-kernel-to-banner: $samples ms (QEMU start to banner, -kernel, TCG, median of $runs)"
    samples=$(for i in $(seq "$runs"); do time_to_line "TeachOS " --iso; done | median)
    echo "boot-iso-to-banner: $samples ms (QEMU start to banner, GRUB ISO, TCG, median of $runs)"
}

# ---- Size ----
bench_size() {
    local stripped; stripped=$(mktemp)
    strip -o "$stripped" build/kernel.elf
    echo "kernel-elf-stripped: $(stat -c %s "$stripped") bytes"
    echo "kernel-elf-with-dwarf: $(stat -c %s build/kernel.elf) bytes"
    echo "kernel-image-loaded: $(stat -c %s build/kernel.bin) bytes (build/kernel.bin, what QEMU -kernel loads)"
    echo "iso: $(stat -c %s iso/teachos.iso) bytes"
    rm -f "$stripped"
}

# ---- Syscalls, pipes, processes, threads: measured from user mode by userland/Programs/bench.cs ----
bench_user() {
    tools/run-qemu.sh --headless --timeout 120 --cmdline "init=/bin/bench" 2>/dev/null \
        | tr -d '\r' | sed -n 's/^bench //p'
    local samples
    samples=$(for i in $(seq "$runs"); do time_to_line "Welcome to TeachOS" --iso; done | median)
    echo "boot-iso-to-shell: $samples ms (QEMU start to the shell's greeting, GRUB ISO, TCG, median of $runs)"
}

# ---- Several CPUs ----

# Host milliseconds between bench's "bench scale start" and its result line, at $1 virtual CPUs. The
# host's clock, not the guest's: the guest counts CPU 0's timer interrupts, and under TCG a virtual
# CPU that the host does not run for a while receives fewer of them, so guest time runs slow exactly
# when the host is busiest.
scale_wall_ms() {
    local start="" line
    while IFS= read -r line; do
        case "$line" in
            "bench scale start"*) start=$(now_ms) ;;
            "bench scale-4-threads:"*) [ -n "$start" ] && echo $(( $(now_ms) - start )); break ;;
        esac
    done < <(tools/run-qemu.sh --headless --timeout 120 --smp "$1" --cmdline "init=/bin/bench scale 4" 2>/dev/null)
}

bench_smp() {
    # The same work (4 threads, each a fixed amount of CPU-bound arithmetic) at 1, 2 and 4 virtual
    # CPUs, in this run; the speed-ups are ratios of those wall times. Under TCG each virtual CPU is
    # a host thread, so the speed-up is bounded by the host's cores too ($(nproc) here).
    local smp i
    declare -A wall
    for smp in 1 2 4; do
        wall[$smp]=$(for i in $(seq 3); do scale_wall_ms "$smp"; done | median)
        echo "smp-scale-4-threads-at-$smp-cpus: ${wall[$smp]} ms (wall time on the host, median of 3)"
    done
    for smp in 2 4; do
        echo "smp-speedup-$smp-cpus: $(( ${wall[1]} * 100 / (${wall[$smp]} > 0 ? ${wall[$smp]} : 1) )) percent of 1 CPU's speed (host has $(nproc) cores)"
    done
    local log; log=$(tools/run-qemu.sh --headless --timeout 60 --smp 4,cores=2,threads=2 --cmdline "test=ipi" 2>/dev/null | tr -d '\r')
    echo "smp-bring-up: $(echo "$log" | sed -n 's/^smp: 4 logical CPUs online; starting the others took \([0-9]*\) us$/\1/p') us (3 application processors, INIT-SIPI-SIPI to online)"
    echo "ipi-round-trip: $(echo "$log" | sed -n 's/^  ipi round trip to cpu [0-9]*: \([0-9]*\) cycles.*/\1/p' | median) cycles (median over CPUs of each CPU's median)"
    echo "ipi-round-trip-time: $(echo "$log" | sed -n 's/^  ipi round trip to cpu [0-9]*: [0-9]* cycles, \([0-9]*\) ns.*/\1/p' | median) ns"
}

bench_size
bench_boot
bench_smp
bench_user
bench_build
