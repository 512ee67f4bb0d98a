"""User programs' symbols, loaded when their process is the one running.

Every user program is linked at the same address (0x400000, userland/Lib/user.ld), so GDB can hold
the symbols of only one at a time, and which one is right depends on the process the CPU runs.
At every stop this module asks the kernel (kernel.current_thread: GS base -> Processor ->
CurrentThread -> Process -> Image.Path), and loads build/user/NAME.elf with add-symbol-file,
removing the previous program's. A kernel thread keeps the last program's symbols (kernel code
needs none of them).

`break-user PROG FUNC [PID]` stops in a user function only while PROG (and that PID) runs: a hardware
breakpoint (its address is the same in every process, and a software one would be written into
the one address space mapped when GDB inserts it), whose stop() asks the kernel which process runs.
"""

import os
import gdb

from . import kernel, names


class Loaded:
    program = None      # the program whose symbols GDB holds now
    path = None


def elf_path(program):
    return os.path.join(kernel.USER_ELF_DIR, program + ".elf")


def load(program):
    """Makes GDB hold PROGRAM's symbols (None: none); True if that changed anything."""
    if program == Loaded.program:
        return False
    if Loaded.path is not None:
        gdb.execute("remove-symbol-file " + Loaded.path, to_string=True)
        Loaded.program = Loaded.path = None
    if program is not None and os.path.exists(elf_path(program)):
        gdb.execute("add-symbol-file " + elf_path(program), to_string=True)
        Loaded.program, Loaded.path = program, elf_path(program)
    return True


def current_process():
    """(pid, program) of the process the selected CPU runs; None in a kernel thread or before the
    scheduler exists."""
    try:
        thread = kernel.current_thread()
        process = None if thread is None else kernel.thread_process(thread)
        if process is None:
            return None
        return int(process["Id"]), kernel.process_program(process)
    except (gdb.error, gdb.MemoryError):
        return None


def sync():
    running = current_process()
    if running is not None and running[1] is not None:
        load(running[1])


def on_stop(event):
    try:
        sync()
    except gdb.error as error:
        print("teachos: could not load the user program's symbols: %s" % error)


class UserBreakpoint(gdb.Breakpoint):
    def __init__(self, address, program, pid):
        super().__init__("*0x%x" % address, type=gdb.BP_HARDWARE_BREAKPOINT)
        self.program = program
        self.pid = pid

    def stop(self):
        running = current_process()
        if running is None or running[1] != self.program:
            return False
        if self.pid is not None and running[0] != self.pid:
            return False
        try:
            load(self.program)    # before GDB prints where it stopped, so it can name the function
        except gdb.error:
            pass
        return True


def resolve(program, function):
    """The address of FUNCTION (a C# name like Fault.DivideByZero or a symbol) in PROGRAM's ELF."""
    path = elf_path(program)
    if not os.path.exists(path):
        raise gdb.GdbError("no %s: build the user programs first (make iso)" % path)
    index = names.CSharpIndex(path, names.KNOWN_ASSEMBLIES + (program,))
    symbols = names.read_function_symbols(path)
    if function in symbols:
        return symbols[function][0], function
    found = index.lookup(function)
    if not found:
        raise gdb.GdbError("no function %s in %s" % (function, path))
    if len(found) > 1:
        raise gdb.GdbError("%s names %d functions: %s" % (function, len(found), ", ".join(found)))
    return index.by_symbol[found[0]][1], found[0]


class BreakUserCommand(gdb.Command):
    """Stop in a user program's function, only while that program (or one process of it) runs.
Usage: break-user PROGRAM FUNCTION [PID]
  PROGRAM   a file in build/user without .elf (fault, sh, ps ...)
  FUNCTION  a C# name (Fault.DivideByZero, DivideByZero) or a symbol (fault_Fault__DivideByZero)
  PID       only in the process with this id (the kernel's Process.Id; ps shows it)
Uses a hardware breakpoint (x86 has four)."""

    def __init__(self):
        super().__init__("break-user", gdb.COMMAND_BREAKPOINTS)

    def invoke(self, argument, from_tty):
        words = gdb.string_to_argv(argument)
        if len(words) not in (2, 3):
            raise gdb.GdbError("usage: break-user PROGRAM FUNCTION [PID]")
        program, function = words[0], words[1]
        pid = int(words[2]) if len(words) == 3 else None
        address, symbol = resolve(program, function)
        UserBreakpoint(address, program, pid)
        print("in %s: %s at 0x%x, only while %s runs" % (
            program, symbol, address, program if pid is None else "pid %d (%s)" % (pid, program)))

    def complete(self, text, word):
        words = text.split()
        if len(words) == 0 or (len(words) == 1 and not text.endswith(" ")):
            programs = [f[:-4] for f in os.listdir(kernel.USER_ELF_DIR) if f.endswith(".elf")] \
                if os.path.isdir(kernel.USER_ELF_DIR) else []
            return [p for p in sorted(programs) if p.startswith(word)]
        program = words[0]
        if not os.path.exists(elf_path(program)):
            return []
        index = names.CSharpIndex(elf_path(program), names.KNOWN_ASSEMBLIES + (program,))
        return names.complete(index.completions, text[len(program):].lstrip(), word)


class UserSymbolsCommand(gdb.Command):
    """Show, or choose, the user program whose symbols GDB holds.
Usage: user-symbols [PROGRAM | off]
Without an argument: which program's symbols are loaded, and which process runs on this CPU.
They follow the running process by themselves at every stop; this is for looking at another one."""

    def __init__(self):
        super().__init__("user-symbols", gdb.COMMAND_FILES)

    def invoke(self, argument, from_tty):
        argument = argument.strip()
        if argument == "off":
            load(None)
        elif argument:
            load(argument)
        running = current_process()
        print("symbols loaded: %s" % (Loaded.path or "none"))
        print("running here: %s" % ("a kernel thread" if running is None else "pid %d (%s)" % running))


def register():
    gdb.events.stop.connect(on_stop)
    BreakUserCommand()
    UserSymbolsCommand()
