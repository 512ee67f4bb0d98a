# What `make grade A=mmap` checks (docs/assignments/mmap.md). Sourced by tools/grade.sh.
# The test program, assignments/mmap/grade/mmaptest.cs, compares what it reads through a mapping with
# what read() gives, one part per subject (make grade A=mmap T=PART runs one); the last part's
# boot also reads the kernel's own memory check, printed when the test program (init) exits.

part contents --timeout 30 "init=/bin/mmaptest"
check 2 "a mapped file reads as the file" passed file-contents
check 1 "a mapping from an offset reads the file from there" passed offset-contents

part beyond-end --timeout 30 "init=/bin/mmaptest"
check 1 "past the file's end a mapping reads zeros" passed beyond-end-zeros

part private --timeout 30 "init=/bin/mmaptest"
check 1 "a private mapping keeps its writes" passed private-writes-kept
check 1 "private writes do not reach the file" passed private-writes-not-in-file
check 1 "private writes do not reach another mapping" passed private-writes-not-in-other-mapping
check 1 "munmap does not write private pages back" passed private-writes-not-written-back

part munmap-halves --timeout 30 "init=/bin/mmaptest"
check 1 "munmap of the first half" passed munmap-first-half
check 1 "munmap of the second half" passed munmap-second-half
check 1 "munmap of the second half first keeps the first" passed munmap-second-half-first

part fork --timeout 30 "init=/bin/mmaptest"
check 1 "a forked child sees the mapping" passed fork-child-sees-contents
check 1 "the child's writes stay its own" passed fork-writes-private

part refusals --timeout 30 "init=/bin/mmaptest"
check 1 "bad descriptors are refused" passed bad-descriptors
check 1 "bad offsets and flags are refused" passed bad-offsets-and-flags

part exit-frees --timeout 60 "init=/bin/mmaptest"
check 1 "children map, write and exit" passed children-map-and-exit

# The same part alone, as its own boot: the kernel's memory check comes after init exits.
boot memory-check --timeout 60 "init=/bin/mmaptest exit-frees"
check 1 "every frame comes back when they and init have exited" line "^memory check: ([0-9]+) frames free before init, \\1 after; .*lazy pages hold 0 promised frames after"
