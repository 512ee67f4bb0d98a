# What `make grade A=add-a-syscall` checks: that the handout docs/assignments/add-a-syscall.md was
# followed to the end. Sourced by tools/grade.sh. Two boots of the student's programs, the new
# program as init and the new usertests case, then the grader's own test of the syscall.

boot uname --timeout 60 "init=/bin/uname"
check 2 "/bin/uname prints the system's name and version" line '^TeachOS [0-9]+\.[0-9]+\.[0-9]+$'

boot usertests --timeout 60 "init=/bin/usertests uname"
check 2 "usertests uname passes (its name, a buffer too small, a bad pointer)" line '^test uname: OK$'

# The grader's own test (assignments/add-a-syscall/grade/unametest.cs): the case above is the
# student's, and a student who drops a check from the kernel may drop it from the test too.
part returns-length --timeout 20 "init=/bin/unametest"
check 1 "uname returns the name's length and writes just the name" passed uname-returns-length

part boundaries --timeout 20 "init=/bin/unametest"
check 1 "a buffer of exactly that length is enough; one byte less gives -EINVAL and is left alone" passed uname-boundaries

part bad-pointers --timeout 20 "init=/bin/unametest"
check 1 "a kernel or unmapped buffer gives -EFAULT" passed uname-bad-pointers
