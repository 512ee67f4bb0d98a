# What `make grade A=pgtbl` checks (docs/assignments/pgtbl.md). Sourced by tools/grade.sh.
# Every check is made by the test program, assignments/pgtbl/grade/pgtbltest.cs, in user space,
# one part of it per group of checks (make grade A=pgtbl T=PART runs one).

part basic --timeout 30 "init=/bin/pgtbltest"
check 2 "touched pages 1, 2 and 30 of 32 are reported, and no others" passed pgaccess-basic

part cleared --timeout 30 "init=/bin/pgtbltest"
check 2 "the bits are cleared: a second call without a touch reports none" passed pgaccess-clears

part boundaries --timeout 30 "init=/bin/pgtbltest"
check 1 "64 pages at once" passed pgaccess-64-pages
check 1 "0, 65 and -1 pages, a start inside a page give -EINVAL" passed pgaccess-bad-counts
check 1 "an unmapped or kernel start, a range past the heap give -EFAULT" passed pgaccess-bad-range
check 1 "a bad bitmap pointer gives -EFAULT" passed pgaccess-bad-bitmap

part read-write --timeout 30 "init=/bin/pgtbltest"
check 1 "a read counts as an access, as a write does" passed pgaccess-read-and-write

part tlb --timeout 30 "init=/bin/pgtbltest"
check 2 "a page touched again after a report is reported again (the TLB was flushed)" passed pgaccess-tlb

part other-cpu --smp 2 --timeout 40 "init=/bin/pgtbltest"
check 1 "a page touched again on another CPU is reported again (the other CPUs' TLBs were shot down)" passed pgaccess-other-cpu
