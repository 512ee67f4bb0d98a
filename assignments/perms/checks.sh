# What `make grade A=perms` checks (docs/assignments/perms.md). Sourced by tools/grade.sh.
# Every check is made by the test program, assignments/perms/grade/permstest.cs, which runs as root
# and tries each operation in a forked child that is uid 1000 ("alice") or 1001 ("bob"), twice: on a
# fresh 2 MiB disk at /disk (--disk 2) and on the RAM file system at /tmp. One part per group below
# (make grade A=perms T=PART runs one).

# on_both CHECK: the test program passed CHECK-disk and CHECK-ram; prints what it measured on each.
on_both() {
    local disk=0 ram=0
    echo "disk: $(passed "$1-disk")" || true
    passed "$1-disk" > /dev/null || disk=1
    echo "RAM: $(passed "$1-ram")"
    passed "$1-ram" > /dev/null || ram=1
    [ $disk = 0 ] && [ $ram = 0 ]
}

part sticky-unlink --disk 2 --timeout 30 "init=/bin/permstest"
check 2 "in a sticky directory, another user may not unlink or rmdir your file (disk and RAM)" on_both others-refused
check 1 "the file's owner may (disk and RAM)" on_both owner-removes

part sticky-owners --disk 2 --timeout 30 "init=/bin/permstest"
check 1 "the sticky directory's owner may remove any file in it (disk and RAM)" on_both directory-owner
check 1 "root may remove any file in a sticky directory (disk and RAM)" on_both root
check 1 "without the sticky bit, anyone who may write the directory may unlink and rename (disk and RAM)" on_both not-sticky

part sticky-rename --disk 2 --timeout 30 "init=/bin/permstest"
check 2 "rename may not take another user's file out of a sticky directory (disk and RAM)" on_both rename-source
check 2 "nor replace another user's file with one's own (disk and RAM)" on_both rename-target
check 1 "each may rename their own (disk and RAM)" on_both rename-own

part effective-uid --disk 2 --timeout 30 "init=/bin/permstest"
check 1 "the sticky rule asks the effective uid, not the real one (disk and RAM)" on_both effective-uid

part search --disk 2 --timeout 30 "init=/bin/permstest"
check 2 "a directory without search permission hides everything below it: open, stat, chdir (disk and RAM)" on_both through-private
check 1 "nothing below it may be created or unlinked (disk and RAM)" on_both change-through-private
check 1 "its owner and root pass (disk and RAM)" on_both owner-and-root-pass

part search-bits --disk 2 --timeout 30 "init=/bin/permstest"
check 1 "search is the x bit, not r: 0744 stops others, 0711 lets them through (disk and RAM)" on_both x-not-r
check 1 "the last directory of a path is searched too (disk and RAM)" on_both last-directory
