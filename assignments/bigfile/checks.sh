# What `make grade A=bigfile` checks (docs/assignments/bigfile.md). Sourced by tools/grade.sh.
# Every check is made by the test program, assignments/bigfile/grade/bigfiletest.cs, in user space,
# on a fresh 2 MiB disk mounted at /disk (--disk 2: made for each boot by mkfs), one part per
# line below (make grade A=bigfile T=PART runs one).

part sparse --disk 2 --timeout 60 "init=/bin/bigfiletest"
check 2 "blocks from 0 to 65,802 (the last a file may have) can be written" passed sparse-written
check 2 "each reads back with its own bytes (no two blocks share a disk block)" passed sparse-read-back
check 1 "blocks never written read as zeros" passed holes-read-zero
check 1 "the file's size is 65,803 blocks" passed sparse-size

part limit --disk 2 --timeout 60 "init=/bin/bigfiletest"
check 1 "the largest file's last byte can be written" passed last-byte
check 1 "a write past the largest file is -EFBIG" passed efbig

part dense --disk 2 --timeout 90 "init=/bin/bigfiletest"
check 1 "one file fills the disk, past the single-indirect block, until -ENOSPC" passed fills-the-disk
check 1 "every byte of it reads back" passed dense-read-back
check 2 "unlink and truncate free every block, the indirect ones too" passed frees-every-block
