# Where the instructions of one thread-yield ping-pong round trip go, function by function
# (docs/guide/06-scheduling.md, "Figures"):
#
#   make gdb-batch GDB_SCRIPT=tools/gdb/yield-split.py CMDLINE="init=/bin/bench paths"
#
# bench's ThreadSwitch runs two threads that only yield (syscall 16), so each yield switches to the
# other thread. This stops at the `syscall` entry of a yield once the loop is warm and single-steps
# until that thread is about to yield again: its yield, the other thread's return to user mode, its
# loop and its yield, and this thread's return and loop. Each kernel instruction is counted under the
# function it belongs to, the user-mode ones under "user". QEMU's gdbstub steps with interrupts held
# off, so no timer tick lands in the count. Stepping is a close count, not an exact one (a step can
# repeat or merge an instruction around a `cli` or a jump); `make bench`'s thread-yield-pingpong-insns
# is the exact figure, and it leaves out the recording of each sample that the user lines here include.
import gdb

USER_SPACE_END = 0x800000000000
WARM_UP_YIELDS = 400         # skip the first (cold) yields
YIELD = 16                   # abi/Syscalls.cs
STEP_LIMIT = 5000

gdb.execute("hbreak syscall_entry if $rax == %d" % YIELD)
gdb.execute("ignore %d %d" % (gdb.breakpoints()[-1].number, WARM_UP_YIELDS))
gdb.execute("continue")
gdb.execute("delete")
entry = int(gdb.parse_and_eval("(unsigned long)&syscall_entry")) & 0xFFFFFFFFFFFFFFFF


def function_at(pc):
    if pc < USER_SPACE_END:
        return "user"
    block = gdb.execute("info symbol 0x%x" % pc, to_string=True)
    return "?" if block.startswith("No symbol") else block.split(" in section")[0].split(" + ")[0]


runs = []                    # (function, instructions) in the order the path runs them
total = 0
entries = 0
while total < STEP_LIMIT:
    pc = int(gdb.parse_and_eval("$pc")) & 0xFFFFFFFFFFFFFFFF
    if pc == entry:
        entries += 1
        if entries == 3:     # this one, the other thread's, and then this thread's next yield
            break
    name = function_at(pc)
    if runs and runs[-1][0] == name:
        runs[-1] = (name, runs[-1][1] + 1)
    else:
        runs.append((name, 1))
    total += 1
    gdb.execute("stepi", to_string=True)

print("yield-split: in order, instructions per function")
for name, count in runs:
    print("%6d  %s" % (count, name))
print("yield-split-total: %d instructions" % total)
