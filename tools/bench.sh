#!/usr/bin/env bash
# `make bench`: prints TeachOS's figures, one per line, as "name: value unit".
# Timings are medians of several runs; they are figures to read, not tests that fail. The "-insns"
# figures are counts of guest instructions under QEMU's -icount: the same on every run and every host
# (tests/Integration/PathBudgetTests.cs holds them to tests/Integration/Budgets/paths.txt).
#
#   tools/bench.sh [SECTION...]   SECTION: size boot smp user insns disk fs explore net containers build
#                                 (default: all, in that order)
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

# Where a build's time went: reads tools/timed-shell.sh's log ("ms<TAB>command", one line per command
# make ran) and sums the commands by step. make runs steps side by side (-j, one per core), so the
# steps add up to more than the build's time.
build_split() {
    awk -F '\t' '
        function add(step, ms) { sum[step] += ms; runs[step]++; counted += ms }
        $2 ~ /^make /                                 { next }   # the make that `iso` starts: the whole build again
        $2 ~ /^dotnet msbuild msbuild\/Configure\.proj/ { add("configure", $1); next }
        $2 ~ /^cd runtime && .*csc/                   { add("csc-runtime", $1); next }
        $2 ~ /^cd kernel && .*csc/                    { add("csc-kernel", $1); next }
        $2 ~ /^cd userland\/Lib && .*csc/             { add("csc-user-lib", $1); next }
        $2 ~ /^cd userland\/Programs && .*csc/        { add("csc-programs", $1); csc[runs["csc-programs"]] = $1; next }
        $2 ~ /AsmLayout/                              { add("asm-layout", $1); next }
        $2 ~ /DiskTools\.dll mkfs/                    { add("disk-image", $1); next }
        $2 ~ /\/ilc .*-o:build\/obj\/kernel\.ilc\.o/  { add("ilc-kernel", $1); next }
        $2 ~ /\/ilc .*-o:build\/obj\/user\//          { add("ilc-programs", $1); ilc[runs["ilc-programs"]] = $1
                                                        if ($1 >= slowest) { slowest = $1; slowestName = $2; sub(/.*-o:build\/obj\/user\//, "", slowestName); sub(/\.ilc\.o.*/, "", slowestName) }
                                                        next }
        $2 ~ /^ld .*-o build\/kernel\.pass1\.elf/      { add("kernel-link-first", $1); next }
        $2 ~ /^ld .*-o build\/kernel\.elf/             { add("kernel-link-second", $1); next }
        $2 ~ /kernel-symbols\.sh build\/kernel\.elf/    { add("kernel-link-second", $1); next }
        $2 ~ /kernel-symbols/                         { add("kernel-symbol-table", $1); next }
        $2 ~ /^ld .*user\.ld/                          { add("link-programs", $1); next }
        $2 ~ /^nasm /                                 { add("nasm", $1); next }
        $2 ~ /grub-mkrescue/                          { add("grub-mkrescue", $1); next }
        $2 ~ /tools\/setup\.sh/                        { add("setup-check", $1); next }
        { add("other", $1) }
        function median(values, n,    i, j, t, sorted) {
            if (n == 0) return 0
            for (i = 1; i <= n; i++) sorted[i] = values[i]
            for (i = 2; i <= n; i++) for (j = i; j > 1 && sorted[j - 1] > sorted[j]; j--) { t = sorted[j]; sorted[j] = sorted[j - 1]; sorted[j - 1] = t }
            return sorted[int((n + 1) / 2)]
        }
        END {
            printf "build-split-configure: %d ms (the one MSBuild run: restore, analyzers, AsmLayout, ilc path, compiler options)\n", sum["configure"]
            printf "build-split-csc-runtime: %d ms (the base library C# to IL)\n", sum["csc-runtime"]
            printf "build-split-csc-kernel: %d ms (the kernel C# to IL)\n", sum["csc-kernel"]
            printf "build-split-ilc-kernel: %d ms (the kernel IL to one object)\n", sum["ilc-kernel"]
            printf "build-split-kernel-double-link: %d ms (first link %d, symbol table %d, second link and its check %d)\n", \
                sum["kernel-link-first"] + sum["kernel-symbol-table"] + sum["kernel-link-second"], \
                sum["kernel-link-first"], sum["kernel-symbol-table"], sum["kernel-link-second"]
            printf "build-split-asm-layout: %d ms (run tools/AsmLayout for layout.inc)\n", sum["asm-layout"]
            printf "build-split-nasm: %d ms (%d assembly files)\n", sum["nasm"], runs["nasm"]
            printf "build-split-csc-user-lib: %d ms (the user library C# to IL)\n", sum["csc-user-lib"]
            printf "build-split-csc-programs: %d ms (%d compiles, one per program, median %d ms)\n", sum["csc-programs"], runs["csc-programs"], median(csc, runs["csc-programs"])
            printf "build-split-ilc-programs: %d ms (%d ilc runs, median %d ms, slowest %d ms: %s)\n", sum["ilc-programs"], runs["ilc-programs"], median(ilc, runs["ilc-programs"]), slowest, slowestName
            printf "build-split-link-programs: %d ms (%d links)\n", sum["link-programs"], runs["link-programs"]
            printf "build-split-grub-mkrescue: %d ms (the ISO)\n", sum["grub-mkrescue"]
            printf "build-split-disk-image: %d ms (mkfs: build/disk.img from userland/Disk)\n", sum["disk-image"]
            printf "build-split-other: %d ms (setup check, objcopy, the initrd, make'"'"'s $(shell ...) calls)\n", sum["other"] + sum["setup-check"]
            printf "build-split-commands: %d ms (all of the above; more than the build'"'"'s time when steps run side by side)\n", counted
        }' "$1"
}

# Times `make -s iso` in the clone $1 and prints "build-$2: N ms ($3)"; with a 4th argument, also what
# make ran: how many compiles, ilc runs and links.
timed_make() {
    local clone=$1 name=$2 what=$3 log; log=$(mktemp)
    local start; start=$(now_ms)
    (cd "$clone" && BUILD_TIMING_LOG="$log" make -s iso SHELL="$root/tools/timed-shell.sh" >/dev/null 2>&1)
    local elapsed=$(( $(now_ms) - start ))
    if [ $# -gt 3 ]; then
        what="$what: $(grep -c $'\tcd .* && .*csc' "$log") compiles, $(grep -c '/ilc ' "$log") ilc runs, $(grep -c $'\tld ' "$log") links"
    fi
    echo "build-$name: $elapsed ms ($what)"
    [ "$name" = clean ] && build_split "$log"
    rm -f "$log"
}

bench_build() {
    # A clean build in a fresh clone, after its NuGet restore (which is network time, not build time).
    # make runs every command through tools/timed-shell.sh, which logs each one's time for build_split.
    # The compiler server (VBCSCompiler) is shared by every build of this user: it may be warm already.
    local clone; clone=$(mktemp -d)
    git clone -q "$root" "$clone"
    (cd "$clone" && dotnet restore msbuild/Configure.proj -v:q >/dev/null)
    timed_make "$clone" clean "base library + kernel + programs + ISO, after restore, make -j$(nproc)"
    timed_make "$clone" noop "make iso with nothing changed"
    touch "$clone/kernel/Banner.cs"
    timed_make "$clone" one-file "one kernel .cs file touched" steps
    touch "$clone/userland/Programs/true.cs"
    timed_make "$clone" one-program "userland/Programs/true.cs touched" steps
    touch "$clone/kernel/TeachOS.Kernel.csproj"
    timed_make "$clone" reconfigure "a project file touched: the MSBuild run, no compile" steps
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

# ---- Guest instructions per operation: the same figures as bench_user, under -icount ----
bench_insns() {
    # Under -icount shift=0 rdtsc advances by one per guest instruction, so bench's "cycles" are
    # instructions here. -smp 1, no debug heap: the figures the budget test checks.
    tools/run-qemu.sh --headless --icount --timeout 600 --cmdline "init=/bin/bench paths" 2>/dev/null \
        | tr -d '\r' | sed -n 's/^bench \([a-z0-9-]*\): \([0-9]*\) cycles.*/\1-insns: \2 insns/p'
    # The hypervisor's world switch (bench/Virtualization.cs): a guest's CPUID exit and back.
    tools/run-qemu.sh --headless --icount --timeout 600 --cmdline "init=/bin/bench vm-paths" 2>/dev/null \
        | tr -d '\r' | sed -n 's/^bench \([a-z0-9-]*\): \([0-9]*\) cycles.*/\1-insns: \2 insns/p'
    # The disk's paths (bench/Files.cs), on a scratch copy of build/disk.img.
    local image; image=$(mktemp --suffix=.img)
    cp build/disk.img "$image"
    tools/run-qemu.sh --headless --icount --timeout 600 --disk "$image" --cmdline "init=/bin/bench fs-paths" 2>/dev/null \
        | tr -d '\r' | sed -n 's/^bench \([a-z0-9-]*\): \([0-9]*\) cycles.*/\1-insns: \2 insns/p'
    rm -f "$image"
    # A UDP round trip and a TCP connection over loopback (bench/Network.cs), to a forked server on the same stack.
    tools/run-qemu.sh --headless --icount --timeout 600 --cmdline "init=/bin/bench net-paths" 2>/dev/null \
        | tr -d '\r' | sed -n 's/^bench \([a-z0-9-]*\): \([0-9]*\) cycles.*/\1-insns: \2 insns/p'
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

# The block driver alone (kernel/Tests/DiskTests.cs, disk-selftest): 1 MiB written and read back in
# 1 KiB requests, one at a time, and 4096 requests from 4 threads on 2 CPUs, each run on a fresh
# scratch image: the driver's own figures, under whatever the file system adds.
bench_disk() {
    local image log write=() read=() threads=()
    image=$(mktemp --suffix=.img)
    for _ in 1 2 3; do
        truncate -s 0 "$image"; truncate -s 4M "$image"
        log=$(tools/run-qemu.sh --headless --timeout 120 --smp 2 --disk "$image" --cmdline "test=disk-selftest" 2>/dev/null | tr -d '\r')
        write+=("$(echo "$log" | sed -n 's/^  disk: sequential 1 MiB .*: write+flush \([0-9]*\) ms.*/\1/p')")
        read+=("$(echo "$log" | sed -n 's/^  disk: sequential 1 MiB .*, read \([0-9]*\) ms.*/\1/p')")
        threads+=("$(echo "$log" | sed -n 's/^  disk: 4 threads, 4096 requests in \([0-9]*\) ms.*/\1/p')")
    done
    rm -f "$image"
    echo "disk-sequential-write-1mib: $(printf '%s\n' "${write[@]}" | median) ms (1024 blocks of 1 KiB, one request at a time, then a flush; virtio-blk, TCG, median of 3)"
    echo "disk-sequential-read-1mib: $(printf '%s\n' "${read[@]}" | median) ms (the same blocks read back)"
    echo "disk-4096-requests-4-threads: $(printf '%s\n' "${threads[@]}" | median) ms (4 threads on 2 CPUs, each writing and reading its own blocks)"
}

# ---- The disk file system (userland/Programs/bench/Files.cs), on scratch copies of build/disk.img ----

# The block number of the log's header: DiskSuperblock.LogStart, the 7th 32-bit field of block 1.
log_start() { od -An -tu4 -j $((1024 + 24)) -N4 "$1" | tr -d ' '; }

# From a disk-trace log on stdin: "N COUNT", where the Nth write (flushes share the trace's numbering
# but are not writes) is the write of the log's header ($1) that commits the most blocks (the first
# such): crash-after-writes=N stops the machine with that commit made and nothing of it installed.
largest_commit() {
    local header=$1 block data count writes=0 best_writes=0 best_count=0
    while read -r block data; do
        writes=$((writes + 1))
        [ "$block" = "$header" ] && [ "$data" != "-" ] || continue
        count=$(echo "$data" | base64 -d 2>/dev/null | od -An -tu4 -N4 | tr -d ' ')
        if [ "${count:-0}" -gt "$best_count" ]; then best_count=$count; best_writes=$writes; fi
    done < <(sed -n 's/^disk\[w\] [0-9]* \([0-9]*\) \(.*\)$/\1 \2/p')
    echo "$best_writes $best_count"
}

bench_fs() {
    local folder image i lines cold=() warm=() recovery=()
    folder=$(mktemp -d)
    image="$folder/disk.img"
    # Writes, small files, and a read in the same boot; then the 16 MiB file's first read in a boot of
    # its own (cold: nothing of it in the buffer cache) and a second (warm).
    cp build/disk.img "$image"
    tools/run-qemu.sh --headless --timeout 600 --disk "$image" --cmdline "init=/bin/bench fs-write" 2>/dev/null \
        | tr -d '\r' | sed -n 's/^bench \(fs-[a-z0-9-]*: \)/\1/p'
    for i in 1 2 3; do
        lines=$(tools/run-qemu.sh --headless --timeout 600 --disk "$image" --cmdline "init=/bin/bench fs-read" 2>/dev/null | tr -d '\r')
        cold+=("$(echo "$lines" | sed -n 's/^bench fs-read-16mib-cold: \([0-9.]*\) .*/\1/p')")
        warm+=("$(echo "$lines" | sed -n 's/^bench fs-read-16mib-warm: \([0-9.]*\) .*/\1/p')")
    done
    echo "fs-read-16mib-cold: $(printf '%s\n' "${cold[@]}" | sort -n | sed -n 2p) MiB/s (the first read after a boot, 64 KiB reads, median of 3)"
    echo "fs-read-16mib-warm: $(printf '%s\n' "${warm[@]}" | sort -n | sed -n 2p) MiB/s (read again in that boot: the 64-block buffer cache cannot hold 16 MiB, median of 3)"

    # A cold boot's log recovery: a power failure just after the commit point (the log's header
    # written) of the workload's largest operation, found in a disk-trace of the same workload.
    local workload="init=/bin/usertests disk-persist-write" header commit
    header=$(log_start build/disk.img)
    cp build/disk.img "$image"
    commit=$(tools/run-qemu.sh --headless --timeout 300 --disk "$image" --cmdline "disk-trace $workload" 2>/dev/null \
             | tr -d '\r' | largest_commit "$header")
    for i in 1 2 3; do
        cp build/disk.img "$image"
        tools/run-qemu.sh --headless --timeout 300 --disk "$image" --cmdline "crash-after-writes=${commit% *} $workload" >/dev/null 2>&1
        recovery+=("$(tools/run-qemu.sh --headless --timeout 60 --disk "$image" --cmdline "init=/bin/true" 2>/dev/null \
                     | tr -d '\r' | sed -n 's/^disk: recovered [0-9]* blocks in \([0-9]*\) us$/\1/p')")
    done
    echo "fs-log-recovery: $(printf '%s\n' "${recovery[@]}" | median) us (a cold boot's mount installing a committed operation of ${commit#* } blocks: crash-after-writes=${commit% *}, median of 3)"
    rm -rf "$folder"
}

# ---- The crash explorer: how fast it checks the disks a crash may leave ----
# Each workload of userland/Programs/crashload.cs once with the disk trace on; then every crash point
# and every reordering the disk may make between flushes (up to 512 per crash point), each recovered,
# checked by fsck and by the workload's model (tools/DiskTools/Explore). Host time: moves with load.
bench_explore() {
    local workload folder summary
    folder=$(mktemp -d)
    for workload in a b c; do
        cp build/disk.img "$folder/base.img"
        cp build/disk.img "$folder/disk.img"
        tools/run-qemu.sh --headless --timeout 300 --disk "$folder/disk.img" \
            --cmdline "disk-trace init=/bin/crashload $workload" > "$folder/log.txt" 2>/dev/null
        summary=$(dotnet tools/DiskTools/bin/Release/net10.0/DiskTools.dll explore "$folder/base.img" "$folder/log.txt" | tail -n 1)
        echo "crash-explorer-$workload: $(echo "$summary" | sed -n 's/.*, \([0-9]*\) states\/s$/\1/p') states/s ($summary)"
    done
    rm -rf "$folder"
}

# ---- Networking (userland/Programs/bench/Network.cs): UDP round trips, TCP throughput and connections/s ----
# over loopback and over a bridge and veth pair into a network namespace; a UDP round trip to an echo
# server on the host's 127.0.0.1, which the guest reaches through QEMU's user network at 10.0.2.2 (as
# assignments/net/checks.sh does). The echo server is python3 on a free loopback port, living as long as
# this script (it checks each second; at most an hour); without python3 there is no host figure.
host_udp_echo() {
    local file; file=$(mktemp)
    python3 - "$$" "$file" > /dev/null 2>&1 < /dev/null <<'PYTHON' &
import os, select, socket, sys, time
owner, port_file = int(sys.argv[1]), sys.argv[2]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
with open(port_file, "w") as f: f.write(str(s.getsockname()[1]))
end = time.time() + 3600
while time.time() < end:
    try: os.kill(owner, 0)
    except OSError: break
    if select.select([s], [], [], 1.0)[0]:
        data, sender = s.recvfrom(65535)
        s.sendto(data, sender)
PYTHON
    for _ in $(seq 50); do [ -s "$file" ] && break; sleep 0.1; done
    cat "$file"; rm -f "$file"
}

bench_net() {
    local port="" arguments="net"
    command -v python3 > /dev/null 2>&1 && port=$(host_udp_echo)
    [ -n "$port" ] && arguments="net --echo-port $port"
    # bench marks the timed work with "bench start NAME" and "bench done NAME COUNT": timed here, on the
    # host's clock (the guest's clock counts timer interrupts, which a loaded host delivers late).
    local line name count elapsed hundredths
    declare -A started
    while IFS= read -r line; do
        line=${line%$'\r'}
        case "$line" in
            "bench start "*) started[${line#bench start }]=$(now_ms) ;;
            "bench done "*)
                line=${line#bench done }; name=${line% *}; count=${line##* }
                elapsed=$(( $(now_ms) - ${started[$name]:-0} )); [ "$elapsed" -gt 0 ] || elapsed=1
                case "$name" in
                    *-time) echo "$name: $(( elapsed * 1000 / count )) microseconds (mean of $count round trips, host clock: $elapsed ms)" ;;
                    *-throughput) hundredths=$(( count * 100 * 1000 / (elapsed * 1048576) ))
                                  printf '%s: %d.%02d MiB/s (%d bytes in 16 KiB writes, connect to the server'"'"'s end of file, host clock: %d ms)\n' \
                                      "$name" $((hundredths / 100)) $((hundredths % 100)) "$count" "$elapsed" ;;
                    *-rate) echo "$name: $(( count * 1000 / elapsed )) connections/s ($count connect, shutdown, the server's FIN, close, one after the other, host clock: $elapsed ms)" ;;
                esac ;;
            "bench "[a-z]*:*) echo "${line#bench }" ;;
        esac
    done < <(tools/run-qemu.sh --headless --timeout 300 --cmdline "init=/bin/bench $arguments" 2>/dev/null)
}

# ---- Containers (userland/Programs/bench/Containers.cs): ctr run against spawn, frames of 1 and 10 containers ----
bench_containers() {
    tools/run-qemu.sh --headless --timeout 300 --cmdline "init=/bin/bench containers" 2>/dev/null \
        | tr -d '\r' | sed -n 's/^bench \([a-z0-9-]*: \)/\1/p'
}

sections=("$@")
[ ${#sections[@]} = 0 ] && sections=(size boot smp user insns disk fs explore net containers build)
for section in "${sections[@]}"; do "bench_$section"; done
