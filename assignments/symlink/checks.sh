# What `make grade A=symlink` checks (docs/assignments/symlink.md). Sourced by tools/grade.sh.
# Every check is made by the test program, assignments/symlink/grade/symlinktest.cs, in user space,
# twice: on a fresh 2 MiB disk at /disk (--disk 2) and on the RAM file system at /tmp. One part per
# group below (make grade A=symlink T=PART runs one).

# on_both CHECK: the test program passed CHECK-disk and CHECK-ram; prints what it measured on each.
on_both() {
    local disk=0 ram=0
    echo "disk: $(passed "$1-disk")" || true
    passed "$1-disk" > /dev/null || disk=1
    echo "RAM: $(passed "$1-ram")"
    passed "$1-ram" > /dev/null || ram=1
    [ $disk = 0 ] && [ $ram = 0 ]
}

part basic --disk 2 --timeout 30 "init=/bin/symlinktest"
check 1 "symlink makes a link that open follows (disk)" passed symlink-disk
check 1 "symlink makes a link that open follows (RAM)" passed symlink-ram
check 1 "lstat describes the link, stat its target (disk and RAM)" on_both stat
check 1 "readlink gives the target (disk and RAM)" on_both readlink

part readlink --disk 2 --timeout 30 "init=/bin/symlinktest"
check 1 "readlink cuts a long target to the buffer, adds no NUL, and refuses a non-link (disk and RAM)" on_both readlink-cut

part dangling --disk 2 --timeout 30 "init=/bin/symlinktest"
check 1 "a dangling link: open is -ENOENT, readlink and lstat work (disk and RAM)" on_both dangling

part loops --disk 2 --timeout 30 "init=/bin/symlinktest"
check 2 "a loop of links is -ELOOP (disk and RAM)" on_both loop
check 1 "a chain of 10 links is followed, of 11 is -ELOOP (disk and RAM)" on_both chain

part nofollow --disk 2 --timeout 30 "init=/bin/symlinktest"
check 2 "O_NOFOLLOW: -ELOOP on a link, only for the last part (disk and RAM)" on_both nofollow

part directories --disk 2 --timeout 30 "init=/bin/symlinktest"
check 1 "a link to a directory is followed in the middle of a path (disk and RAM)" on_both through-directory
check 2 "a relative target is read from the link's directory, not the current one (disk and RAM)" on_both relative-target
check 1 "an absolute target (disk and RAM)" on_both absolute-target

part race --smp 2 --disk 2 --timeout 60 "init=/bin/symlinktest"
check 2 "symlink and unlink racing with open: always the right file or -ENOENT (disk and RAM)" on_both race
