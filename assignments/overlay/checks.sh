# What `make grade A=overlay` checks (docs/assignments/overlay.md). Sourced by tools/grade.sh.
# Every check is made by the test program, assignments/overlay/grade/overlaytest.cs, which runs as
# root: each part makes three lower layers, an upper and a work directory under /tmp/ovl-PART, mounts
# an overlay of them, works through the mount and then reads the layers themselves (what the overlay
# left in the upper layer is what `ctr commit` makes a layer of). One part per group below
# (make grade A=overlay T=PART runs one).

# mounted_and CHECK: the part's overlay was mounted, and the test program passed CHECK.
mounted_and() {
    passed mounted > /dev/null || { echo "the overlay was not mounted: $(passed mounted)"; return 1; }
    passed "$1"
}

part lookup --timeout 30 "init=/bin/overlaytest"
check 2 "a whiteout in a lower layer hides the name below it: stat and open say ENOENT" mounted_and whiteout-hides
check 1 "it hides the name in every layer below, not only the next" mounted_and hides-every-layer-below
check 1 "a whiteout inside a merged directory hides that directory's name" mounted_and whiteout-in-directory
check 1 "an opaque directory shows nothing of the layers below it" mounted_and opaque-lookup

part readdir --timeout 30 "init=/bin/overlaytest"
check 2 "readdir shows neither the whited-out names nor the whiteouts" mounted_and listing-hides
check 1 "nor, in a directory, its whited-out names or the opaque marker and what it cuts off" mounted_and listing-in-directories

part unlink --timeout 30 "init=/bin/overlaytest"
check 2 "unlink of a lower file: the name is gone (stat, ls, a second unlink)" mounted_and unlink-lower
check 1 "by a whiteout in the upper layer; the lower layer keeps the file" mounted_and whiteout-in-upper
check 2 "unlink of a copied-up file: the lower file does not show again" mounted_and unlink-copied-up
check 1 "unlink of a file no lower layer holds leaves no whiteout" mounted_and unlink-upper-only

part recreate --timeout 30 "init=/bin/overlaytest"
check 2 "a file made where a whiteout is shows, and the whiteout goes" mounted_and create-over-whiteout
check 1 "rmdir of a lower directory whose files were removed (its upper copy holds only whiteouts)" mounted_and rmdir-after-emptying
check 2 "mkdir where a lower directory was removed makes an empty, opaque directory" mounted_and mkdir-opaque
check 1 "rmdir of that new directory leaves a whiteout: the old directory does not come back" mounted_and rmdir-opaque

part rename --timeout 30 "init=/bin/overlaytest"
check 2 "rename of a lower file: the new name reads it, the old name is whited out" mounted_and rename-lower
check 1 "rename onto a whited-out name takes it, and its whiteout goes" mounted_and rename-onto-whiteout
check 1 "a directory moved onto a whited-out directory's name is opaque: the old entries stay hidden" mounted_and rename-directory-opaque
