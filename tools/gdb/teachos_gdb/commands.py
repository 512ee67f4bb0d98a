"""Commands that show the kernel's state the way its own tools do: ps, runqueue, bt-thread, teachos-pagewalk.

They read memory only (the machine must be stopped, as it is at any GDB prompt); nothing here
changes the guest. Each reads the same structures the kernel code does (kernel.py).
"""

import gdb

from . import kernel, names, pagewalk, unwinder, usersyms

DIRECT_MAP_BASE = 0xFFFF800000000000     # kernel/Arch/X64/DirectMap.cs: all physical memory, mapped here


def _thread_line(thread, cpus):
    process = kernel.thread_process(thread)
    if process is not None:
        parent = kernel.field_object(process, "Parent", "Kernel_Proc_Process")
        pid, ppid = int(process["Id"]), 0 if parent is None else int(parent["Id"])
    else:
        pid, ppid = 0, 0
    cpu = kernel.running_cpu(thread, cpus)
    where = "cpu %d" % cpu if cpu is not None else "(last %d)" % int(thread["LastCpu"])
    stack_top = int(thread["KernelStackTop"]) & 0xFFFFFFFFFFFFFFFF
    return "%5d %5d %5d  %-8s  %-9s  0x%016x  %s" % (
        pid, int(thread["Id"]), ppid, kernel.thread_state(thread), where, stack_top,
        kernel.string_field(thread, "Name"))


class PsCommand(gdb.Command):
    """List every thread (the kernel's thread table, Sched/ThreadTable.cs), as the ps program does.
Columns: PID (0: a kernel thread), TID, PPID, state, the CPU running it (or the last one), the top of
its kernel stack, its name. `bt-thread TID` shows where a thread that is not running stopped."""

    def __init__(self):
        super().__init__("ps", gdb.COMMAND_STATUS)

    def invoke(self, argument, from_tty):
        cpus = kernel.processors()
        print("  PID   TID  PPID  STATE     CPU        KSTACK TOP          NAME")
        for thread in kernel.threads():
            print(_thread_line(thread, cpus))


class RunQueueCommand(gdb.Command):
    """Show each CPU's thread and its ready queue (Processor.Ready, Sched/RunQueue.cs), front first."""

    def __init__(self):
        super().__init__("runqueue", gdb.COMMAND_STATUS)

    def invoke(self, argument, from_tty):
        for cpu_id, cpu in kernel.processors():
            current = kernel.field_object(cpu, "CurrentThread", "Kernel_Sched_Thread")
            queue = kernel.field_object(cpu, "Ready", "Kernel_Sched_RunQueue_1<Kernel_Sched_Thread>")
            ready = []
            if queue is not None:
                slots = kernel.array_elements(kernel.address_of_field(queue, "_slots"))
                head, count = int(queue["_head"]), int(queue["_count"])
                for i in range(count):
                    thread = kernel.object_at(slots[(head + i) % len(slots)], "Kernel_Sched_Thread")
                    ready.append("%d %s" % (int(thread["Id"]), kernel.string_field(thread, "Name")))
            running = "nothing" if current is None else "%d %s" % (int(current["Id"]), kernel.string_field(current, "Name"))
            print("cpu %d: running %s; ready: %s" % (cpu_id, running, ", ".join(ready) if ready else "(empty)"))


class BtThreadCommand(gdb.Command):
    """Backtrace of a thread that is not running, from where context_switch saved it.
Usage: bt-thread TID [bt options]
The first line stands for the switch itself; the frames below are the thread's, down through any
trap frame into the user code it came from (its program's symbols are loaded for the command)."""

    def __init__(self):
        super().__init__("bt-thread", gdb.COMMAND_STACK)

    def invoke(self, argument, from_tty):
        words = argument.split()
        if not words:
            raise gdb.GdbError("usage: bt-thread TID [bt options]")
        thread = kernel.find_thread(int(words[0]))
        if thread is None:
            raise gdb.GdbError("no thread %s" % words[0])
        if kernel.running_cpu(thread) is not None:
            raise gdb.GdbError("thread %s is running on a CPU: select that CPU (info threads) and use bt" % words[0])
        process = kernel.thread_process(thread)
        previous = usersyms.Loaded.program
        if process is not None and kernel.process_program(process):
            usersyms.load(kernel.process_program(process))
        unwinder.SwitchedOutThread.thread = thread
        unwinder.SwitchedOutThread.stack_pointer = int(thread["SavedStackPointer"]) & 0xFFFFFFFFFFFFFFFF
        gdb.invalidate_cached_frames()
        try:
            gdb.execute("backtrace " + " ".join(words[1:]), from_tty)
        finally:
            unwinder.SwitchedOutThread.thread = None
            gdb.invalidate_cached_frames()
            usersyms.load(previous)


def read_physical_u64(physical):
    return kernel.read_u64(DIRECT_MAP_BASE + physical)


class PageWalkCommand(gdb.Command):
    """Translate a virtual address as the MMU does, through the four levels of page tables.
Usage: teachos-pagewalk ADDRESS [CR3]   (or pagewalk, its short name)
Uses this CPU's CR3 (the running process's address space) unless one is given. For each level: the
index the address selects, the entry's address and value, its flags (P present, W writable, U user,
A accessed, D dirty, G global, PS large page, SW the software bits 9-11, NX no execute) and the next
table's physical address; then the frame and the offset, or where the walk stops (pagewalk.py)."""

    def __init__(self, name):
        super().__init__(name, gdb.COMMAND_DATA)
        self.name = name

    def invoke(self, argument, from_tty):
        words = gdb.string_to_argv(argument)
        if not words:
            raise gdb.GdbError("usage: %s ADDRESS [CR3]" % self.name)
        address = int(gdb.parse_and_eval(words[0])) & 0xFFFFFFFFFFFFFFFF
        cr3 = int(gdb.parse_and_eval(words[1] if len(words) > 1 else "$cr3")) & names.ADDRESS_MASK
        for line in pagewalk.walk(address, cr3, read_physical_u64):
            print(line)


class PteCommand(gdb.Command):
    """Decode a page-table entry's value: pte VALUE [LEVEL] (LEVEL 0 PML4 .. 3 page table, the default)."""

    def __init__(self):
        super().__init__("pte", gdb.COMMAND_DATA)

    def invoke(self, argument, from_tty):
        words = gdb.string_to_argv(argument)
        if not words:
            raise gdb.GdbError("usage: pte VALUE [LEVEL]")
        value = int(gdb.parse_and_eval(words[0])) & 0xFFFFFFFFFFFFFFFF
        print(names.describe_entry(value, int(words[1]) if len(words) > 1 else 3))


class PanicStop(gdb.Breakpoint):
    """A hardware breakpoint where a panic waits for GDB (Diagnostics/Panic.cs, StopForDebugger)."""

    def __init__(self):
        super().__init__("panic_stop_for_debugger", type=gdb.BP_HARDWARE_BREAKPOINT)

    def stop(self):
        print("\nTeachOS panicked: the report is on the serial console (QEMU's terminal).")
        print("bt shows the panicking code below Panic.End; trapframe ADDRESS, ps, pagewalk work as usual.")
        return True


class StopOnPanicCommand(gdb.Command):
    """Stop GDB where a kernel panic waits (needs the kernel command-line word gdb: make qemu-gdb adds it).
Uses one of the four hardware breakpoints; `delete` it to get the slot back."""

    def __init__(self):
        super().__init__("stop-on-panic", gdb.COMMAND_BREAKPOINTS)

    def invoke(self, argument, from_tty):
        PanicStop()



class CurrentThreadFunction(gdb.Function):
    """$current_thread(): the Thread this CPU runs (Processor.CurrentThread), e.g. p $current_thread().Name"""

    def __init__(self):
        super().__init__("current_thread")

    def invoke(self):
        thread = kernel.current_thread()
        if thread is None:
            raise gdb.GdbError("no thread yet (the scheduler starts in kmain)")
        return thread


class CurrentProcessFunction(gdb.Function):
    """$current_process(): the Process of the thread this CPU runs, e.g. p $current_process().HeapBreak"""

    def __init__(self):
        super().__init__("current_process")

    def invoke(self):
        thread = kernel.current_thread()
        process = None if thread is None else kernel.thread_process(thread)
        if process is None:
            raise gdb.GdbError("a kernel thread runs here: it has no process")
        return process


def register():
    CurrentThreadFunction()
    CurrentProcessFunction()
    StopOnPanicCommand()
    PsCommand()
    RunQueueCommand()
    BtThreadCommand()
    PageWalkCommand("teachos-pagewalk")
    PageWalkCommand("pagewalk")
    PteCommand()
