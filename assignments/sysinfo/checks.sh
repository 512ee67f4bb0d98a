# What `make grade A=sysinfo` checks (docs/assignments/sysinfo.md). Sourced by tools/grade.sh.
# Every check is made by the test program, assignments/sysinfo/grade/sysinfotest.cs, in user space,
# one part of it per check (make grade A=sysinfo T=PART runs one).

part returns-zero --timeout 20 "init=/bin/sysinfotest"
check 1 "SysInfo(&info) returns 0" passed sysinfo-returns-zero
check 1 "total and free memory are plausible for 256 MiB of RAM" passed memory-plausible

part follows-sbrk --timeout 20 "init=/bin/sysinfotest"
check 2 "free memory falls and rises with sbrk" passed free-memory-follows-sbrk

part processes --timeout 20 "init=/bin/sysinfotest"
check 2 "the process count follows spawn and wait (zombies included)" passed processes-counted

part threads --timeout 20 "init=/bin/sysinfotest"
check 1 "the thread count follows thread create and join" passed threads-counted

part bad-pointers --timeout 20 "init=/bin/sysinfotest"
check 2 "bad pointers give -EFAULT" passed bad-pointers-efault

part failed-copy --timeout 20 "init=/bin/sysinfotest"
check 1 "a refused copy writes nothing" passed failed-copy-writes-nothing
