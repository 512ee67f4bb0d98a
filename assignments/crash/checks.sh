# What `make grade A=crash` checks (docs/assignments/crash.md). Sourced by tools/grade.sh.
# The log's promise is that a crash at any moment leaves every operation whole. Two witnesses check
# it, each on a fresh 2 MiB disk, with the workload of assignments/crash/grade/crashtest.cs (twelve
# operations under /disk/lab, in the crash explorer's format):
# - part workload: the workload with the disk trace on (`disk-trace`); crashtest checks in user
#   space that it ran and reads back. Then, on the host, the crash explorer (`DiskTools explore`,
#   tools/DiskTools/Explore) replays the part's trace onto the disk the boot started from
#   ($base_image): every crash point, and the reorderings the disk may make between two flushes, each
#   recovered as the next mount would, checked by fsck and compared with the workload's model.
# - boot crash: the same workload, which the kernel stops after its 7th disk write, before the 8th
#   (`crash-after-writes=7`: in the first operation's commit), as a power failure would. Then a
#   second boot of the crashed disk ($disk_image), whose mount runs the kernel's own recovery, and
#   fsck and the model on the disk it leaves (`DiskTools explore --recovered`).

disk_tool=tools/DiskTools/bin/Release/net10.0/DiskTools.dll

part workload --disk 2 --timeout 60 "disk-trace init=/bin/crashtest"
check 1 "the workload's twelve operations succeed" passed workload-succeeds
check 1 "its files read back as written (with no crash, the log still works)" passed workload-reads-back
check 3 "a crash after any line of the trace, every write before it on the disk, recovers to whole operations" explored in-order
check 3 "so does every reordering the disk may make between two flushes (a write before the last flush is on the disk, a later one may not be)" explored reordered

boot crash --disk 2 --timeout 60 "disk-trace crash-after-writes=7 init=/bin/crashtest workload"
check 2 "a real crash after the 7th write: the next boot's mount recovers a disk that fsck and the workload's model accept" recovers

# explored in-order|reordered: runs the crash explorer on the part's log once (its report is kept
# beside the log, PART.explore.txt) and passes if no state of that kind failed. A state "crash after
# trace line N" has every write up to line N on the disk; "... without write(s) W" lacks those writes,
# which came after the last flush before N.
explored() {
    local kind=$1 report=${log%.log}.explore.txt summary failures
    if [ -z "$base_image" ]; then
        echo "the disk this part's boot started from was not kept, so its trace cannot be replayed"
        return 1
    fi
    [ -f "$report" ] || dotnet "$disk_tool" explore "$base_image" "$log" --subsets 64 > "$report" 2>&1
    summary=$(grep -m1 -E '^crash explorer: [0-9]+ states checked' "$report")
    if [ -z "$summary" ]; then
        echo "the crash explorer could not replay the trace:"
        tail -n 5 "$report" | sed 's/^/| /'
        return 1
    fi
    if [ "$kind" = in-order ]; then
        failures=$(grep -E '^FAIL crash after trace line [0-9]+:' "$report")
    else
        failures=$(grep -E '^FAIL crash after trace line [0-9]+ without ' "$report")
    fi
    echo "$summary"
    [ -z "$failures" ] && return 0
    echo "$(printf '%s\n' "$failures" | wc -l) of the failed states are of this kind; the first (all of them: $report):"
    printf '%s\n' "$failures" | head -n 3 | cut -c1-400 | sed 's/^/| /'
    return 1
}

# recovers: the crash boot stopped at its crash point; a boot of the crashed disk mounts it (its log
# recovery runs); fsck and the workload's model accept what it left. The crashed disk is kept as it
# was (PART.disk.img); the recovered one is PART.recovered.img, the recovering boot's log PART.recovery.log.
recovers() {
    local recovered=${log%.log}.recovered.img boot_log=${log%.log}.recovery.log status
    if ! grep -m1 -E '^disk: crash after [0-9]+ writes' "$log"; then
        echo "the boot did not reach its crash point; the end of its log:"
        tail -n 5 "$log" | cut -c1-200 | sed 's/^/| /'
        return 1
    fi
    cp "$disk_image" "$recovered"
    tools/run-qemu.sh --headless --timeout 60 --disk "$recovered" --cmdline "init=/bin/true" < /dev/null > "$boot_log" 2>&1
    status=$?
    if [ "$status" != 0 ] || ! grep -m1 -E '^disk: mounted at /disk' "$boot_log"; then
        echo "the boot after the crash did not mount the disk (status $status); the end of its log ($boot_log):"
        tr -d '\r' < "$boot_log" | tail -n 5 | sed 's/^/| /'
        return 1
    fi
    dotnet "$disk_tool" explore --recovered "$recovered" "$log" 2>&1
}
