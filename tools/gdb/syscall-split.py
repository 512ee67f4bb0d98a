# Where the kernel's instructions of one null syscall go, function by function (docs/guide/04-syscalls.md,
# "Where the instructions go"):
#
#   make gdb-batch GDB_SCRIPT=tools/gdb/syscall-split.py CMDLINE="init=/bin/bench paths"
#
# Stops at the `syscall` entry for a getpid (rax = 1) once the benchmark's loop is warm, then single-steps
# until the program runs again, counting each kernel instruction under the function it belongs to. QEMU's
# gdbstub steps with interrupts held off, so no timer tick lands in the count. The figure is the kernel's
# part only: the user's side (the loop, the library's wrapper, `syscall` itself, the measurement) is
# what tools/bench.sh's count adds to it.
import gdb

USER_SPACE_END = 0x800000000000
WARM_UP_CALLS = 300          # bench paths calls getpid many times; skip the first (cold) ones

gdb.execute("hbreak syscall_entry if $rax == 1")
gdb.execute("ignore %d %d" % (gdb.breakpoints()[-1].number, WARM_UP_CALLS))
gdb.execute("continue")
gdb.execute("delete")


def function_at(pc):
    block = gdb.execute("info symbol 0x%x" % pc, to_string=True)
    return "?" if block.startswith("No symbol") else block.split(" in section")[0].split(" + ")[0]


runs = []                    # (function, instructions) in the order the path runs them
total = 0
while True:
    pc = int(gdb.parse_and_eval("$pc")) & 0xFFFFFFFFFFFFFFFF
    if pc < USER_SPACE_END or total > 10000:
        break
    name = function_at(pc)
    if runs and runs[-1][0] == name:
        runs[-1] = (name, runs[-1][1] + 1)
    else:
        runs.append((name, 1))
    total += 1
    gdb.execute("stepi", to_string=True)

print("syscall-split: in order, instructions per function")
for name, count in runs:
    print("%6d  %s" % (count, name))
print("syscall-split-total: %d kernel instructions" % total)
