# What `make grade A=add-a-syscall` checks: that the handout docs/assignments/add-a-syscall.md was
# followed to the end. Sourced by tools/grade.sh. Two boots: the new program as init, then the new
# usertests case.

boot --smp 1 --timeout 60 "init=/bin/uname"
check 2 "/bin/uname prints the system's name and version" line '^TeachOS [0-9]+\.[0-9]+\.[0-9]+$'

boot --smp 1 --timeout 60 "init=/bin/usertests uname"
check 2 "usertests uname passes (its name, a buffer too small, a bad pointer)" line '^test uname: OK$'
