# What `make grade A=cow` checks (docs/assignments/cow.md). Sourced by tools/grade.sh.
# The test program, assignments/cow/grade/cowtest.cs, runs xv6 cowtest's cases and checks them in
# user space, one part per case (make grade A=cow T=PART runs one); the kernel's own report of a
# process killed for memory is read between the program's markers, and its memory check when init
# exits, in a boot of its own (leak-check), must find every frame back.

part simple --timeout 120 "init=/bin/cowtest"
check 3 "fork of a process using 60% of free memory succeeds" passed simple-fork
check 2 "the child sees the memory of the moment of fork, not the parent's later writes" passed simple-child-sees-fork
check 1 "the parent keeps its own writes, not the child's" passed simple-parent-keeps-its-own

part oom --timeout 120 "init=/bin/cowtest"
check 1 "a child out of frames for its copies is killed (status 137)" passed oom-child-killed
check 1 "the kernel reports it: killed, out of memory" in_section oom-kill "killed.*out of memory"
check 1 "the parent's memory is unharmed" passed oom-parent-unharmed

part three --timeout 120 "init=/bin/cowtest"
check 2 "a child and a grandchild each keep their own writes" passed three-children
check 1 "the parent keeps its own writes and the values of the fork" passed three-parent-keeps-its-own

part file --timeout 60 "init=/bin/cowtest"
check 1 "read() from a pipe into a shared page works in the child" passed file-child-reads
check 1 "and does not reach the parent's page" passed file-parent-separate
check 1 "read() from a file into a shared page works in the parent" passed file-parent-reads
check 1 "and does not reach the child's page" passed file-child-separate

part counts --timeout 180 "init=/bin/cowtest"
check 1 "20 cycles of fork, write both sides, exit" passed counts-cycles
check 2 "every frame comes back: as much memory is free after as before" passed counts-memory-back

part concurrent --smp 2 --timeout 120 "init=/bin/cowtest"
check 2 "parent and child write the same shared pages at once on two CPUs" passed concurrent-writes

# The kernel's own count: when init exits it prints "memory check: A frames free before init, B after;
# ... files hold C frames before, D after" (kernel/KernelMain.cs RunInit). cowtest writes no file, so
# every frame must be back: A = B + (D - C).
frames_back() {
    local line before after files_before files_after
    line=$(grep -Em1 'memory check: [0-9]+ frames free before init, [0-9]+ after;.* files hold [0-9]+ frames before, [0-9]+ after' "$log") ||
        { echo "no memory check line in the log: init did not exit normally"; return 1; }
    echo "$line"
    before=$(sed -E 's/.*memory check: ([0-9]+) frames free before init.*/\1/' <<< "$line")
    after=$(sed -E 's/.*frames free before init, ([0-9]+) after;.*/\1/' <<< "$line")
    files_before=$(sed -E 's/.*files hold ([0-9]+) frames before.*/\1/' <<< "$line")
    files_after=$(sed -E 's/.*files hold [0-9]+ frames before, ([0-9]+) after.*/\1/' <<< "$line")
    [ "$before" -eq $((after + files_after - files_before)) ] && return 0
    echo "$((before - after - files_after + files_before)) frame(s) did not come back"
    return 1
}

boot leak-check --timeout 180 "init=/bin/cowtest three counts"
check 2 "the kernel's memory check when cowtest exits: every frame came back" frames_back
