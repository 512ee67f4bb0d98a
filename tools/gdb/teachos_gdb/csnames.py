"""C# names in GDB: `break Scheduler.Yield` and a backtrace that reads Sched.Scheduler.Yield.

`break`, `tbreak` and `hbreak` are replaced by commands that translate a C# method name (with tab
completion over all of them) into ilc's symbol and then set the breakpoint as GDB would; anything
else (file:line, *address, a symbol) goes through unchanged. A frame filter prints C# names in `bt`,
the trap marker (<trap: #DE divide-error from ring 3>) where the unwinder crossed a TrapFrame, and
ends a kernel thread's backtrace at thread_start, where it began.
"""

import gdb
from gdb.FrameDecorator import FrameDecorator

from . import kernel, names, unwinder, usersyms

_kernel_index = None


def kernel_index():
    global _kernel_index
    if _kernel_index is None:
        _kernel_index = names.CSharpIndex(kernel.KERNEL_ELF)
    return _kernel_index


def indexes():
    """The kernel's index, and the loaded user program's."""
    found = [kernel_index()]
    if usersyms.Loaded.path:
        found.append(names.CSharpIndex(usersyms.Loaded.path, names.KNOWN_ASSEMBLIES + (usersyms.Loaded.program,)))
    return found


def looks_like_file_or_address(location):
    return location.startswith("*") or ":" in location or "/" in location


def translate(location):
    """The symbols a location names: [location] itself unless it is a C# method name. A name without
    a dot (Dispatch) is C# only if no symbol has exactly that name."""
    if looks_like_file_or_address(location):
        return [location]
    if "." not in location and location in kernel.symbols():
        return [location]
    found = [symbol for index in indexes() for symbol in index.lookup(location)]
    if not found and "." in location:
        raise gdb.GdbError("no C# method %s (tab completes the names)" % location)
    return found or [location]


def split_condition(argument):
    """'LOCATION [thread N] [if COND]' -> (location, thread or None, condition or None)."""
    condition = None
    padded = " " + argument
    if " if " in padded:
        at = padded.index(" if ")
        argument, condition = padded[:at].strip(), padded[at + 4:].strip()
    words = argument.split()
    thread = None
    if len(words) >= 3 and words[-2] == "thread":
        thread = int(words[-1])
        words = words[:-2]
    return " ".join(words), thread, condition


class CSharpBreakCommand(gdb.Command):
    """Set a breakpoint; a C# method may be named as in C#.
Usage: break LOCATION [thread N] [if CONDITION]   (also tbreak, hbreak)
  LOCATION  Scheduler.Yield, Sched.Scheduler.Yield, TrapDispatcher.Dispatch (tab completes), or
            anything GDB's own break takes: FILE:LINE, *ADDRESS, a symbol.
A name that matches several methods (overloads, Dispatch) sets one breakpoint on each.
TeachOS's tools/gdb/teachos_gdb/csnames.py replaces GDB's break, tbreak and hbreak with this."""

    def __init__(self, name, hardware, temporary):
        super().__init__(name, gdb.COMMAND_BREAKPOINTS)
        self.hardware = hardware
        self.temporary = temporary

    def invoke(self, argument, from_tty):
        location, thread, condition = split_condition(argument.strip())
        if not location:
            location = "*0x%x" % gdb.selected_frame().pc()
        kind = gdb.BP_HARDWARE_BREAKPOINT if self.hardware else gdb.BP_BREAKPOINT
        for symbol in translate(location):
            breakpoint = gdb.Breakpoint(symbol, type=kind, temporary=self.temporary)
            if condition:
                breakpoint.condition = condition
            if thread is not None:
                breakpoint.thread = thread

    def complete(self, text, word):
        token = text.split()[-1] if text.split() and not text.endswith(" ") else ""
        # C# names begin with a capital (a namespace or a type); file names and symbols seldom do.
        if token[:1].isupper() and not looks_like_file_or_address(token):
            candidates = set()
            for index in indexes():
                candidates |= index.completions
            found = names.complete(candidates, text, word)
            if found:
                return found
        return gdb.COMPLETE_LOCATION


class CSharpDecorator(FrameDecorator):
    def __init__(self, base):
        super().__init__(base)
        self.trap = None
        try:
            address = unwinder.trap_frame_of(base.inferior_frame())
            if address is not None:
                self.trap = unwinder.read_trap_frame(address)
        except (gdb.error, gdb.MemoryError):
            pass

    def _switched_out_marker(self):
        return self.inferior_frame().level() == 0 and unwinder.SwitchedOutThread.thread is not None

    def function(self):
        frame = self.inferior_frame()
        if self.trap is not None:
            return names.trap_marker(self.trap["vector"], self.trap["cs"])
        if self._switched_out_marker():
            thread = unwinder.SwitchedOutThread.thread
            return "<thread %d %s (%s): switched out; its frames follow>" % (
                int(thread["Id"]), kernel.string_field(thread, "Name"), kernel.thread_state(thread))
        name = frame.name()
        if name:
            programs = (usersyms.Loaded.program,) if usersyms.Loaded.program else ()
            readable = names.csharp_name(name, names.KNOWN_ASSEMBLIES + programs)
            if readable:
                return readable
        return super().function()

    def frame_args(self):
        if self.trap is not None or self._switched_out_marker():
            return None
        return super().frame_args()

    def filename(self):
        if self.trap is not None or self._switched_out_marker():
            return None
        return super().filename()

    def line(self):
        if self.trap is not None or self._switched_out_marker():
            return None
        return super().line()


class CSharpFrameFilter:
    def __init__(self):
        self.name = "teachos"
        self.priority = 100
        self.enabled = True
        gdb.frame_filters[self.name] = self

    def filter(self, frame_iter):
        return _until_thread_start(CSharpDecorator(f) for f in frame_iter)


def _until_thread_start(decorated):
    """A kernel thread began in thread_start (Sched/ContextSwitch.asm): nothing below it is a caller.
    A user program's stack ends where its entry code (no call-frame information) returns to 0."""
    for frame in decorated:
        if frame.inferior_frame().pc() == 0:
            return
        yield frame
        if (frame.inferior_frame().name() or "").startswith("thread_start"):
            return


class CSharpFunction(gdb.Function):
    """$csharp("Scheduler.Yield"): the method with that C# name, for commands that take an expression:
disassemble $csharp("Scheduler.Yield"), list *$csharp("Scheduler.Yield"), x/8i $csharp("TrapDispatcher.Dispatch")."""

    def __init__(self):
        super().__init__("csharp")

    def invoke(self, name):
        found = [s for s in translate(name.string()) if not looks_like_file_or_address(s)]
        if len(found) != 1:
            raise gdb.GdbError("%s names %d methods: %s" % (name.string(), len(found), ", ".join(found)))
        return gdb.parse_and_eval("'%s'" % found[0])


def register():
    CSharpFunction()
    for name, hardware, temporary in (("break", False, False), ("tbreak", False, True), ("hbreak", True, False)):
        CSharpBreakCommand(name, hardware, temporary)
    CSharpFrameFilter()
