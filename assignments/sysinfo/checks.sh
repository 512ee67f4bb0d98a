# What `make grade A=sysinfo` checks (docs/assignments/sysinfo.md). Sourced by tools/grade.sh.
# Every check is made by the test program, assignments/sysinfo/grade/sysinfotest.cs, in user space.

boot --smp 1 --timeout 60 "init=/bin/sysinfotest"

check 1 "SysInfo(&info) returns 0" passed sysinfo-returns-zero
check 1 "total and free memory are plausible for 256 MiB of RAM" passed memory-plausible
check 2 "free memory falls and rises with sbrk" passed free-memory-follows-sbrk
check 2 "the process count follows spawn and wait (zombies included)" passed processes-counted
check 1 "the thread count follows thread create and join" passed threads-counted
check 2 "bad pointers give -EFAULT" passed bad-pointers-efault
check 1 "a refused copy writes nothing" passed failed-copy-writes-nothing
