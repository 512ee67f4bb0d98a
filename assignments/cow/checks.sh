# What `make grade A=cow` checks (docs/assignments/cow.md). Sourced by tools/grade.sh.
# The test program, assignments/cow/grade/cowtest.cs, runs xv6 cowtest's cases and checks them in
# user space, one part per case (make grade A=cow T=PART runs one); the kernel's own report of a
# process killed for memory is read between the program's markers.

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
