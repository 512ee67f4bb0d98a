"""Teaching GDB to unwind through the places where the kernel's stack is not a chain of calls.

GDB unwinds compiled C# through its DWARF call-frame information. The assembly entry code has none,
and it does something no CFI describes anyway: it continues a different computation. So GDB needs
to be told, at two kinds of frame:

  1. A trap (Arch/X64/TrapEntry.asm) or a syscall (Arch/X64/SyscallEntry.asm) entry stub that called
     step 3 (the dispatcher) or step 4 (trap_exit) of the trap path. Its return address is one of
     TRAP_RETURN_LABELS below, and rbx holds the TrapFrame (rbx is callee-saved, so the callee's
     own CFI gives it back). The "caller" of that frame is the interrupted code: every register is in the TrapFrame
     (Arch/X64/TrapFrame.cs), so the backtrace continues in it, in the kernel or in a user program.
  2. A thread that is not running (`bt-thread`): its registers are where context_switch pushed
     them (Sched/ContextSwitch.asm): r15, r14, r13, r12, rbx, rbp, then the return address, from
     Thread.SavedStackPointer up. GDB only unwinds the CPU's real registers, so for the length of
     one command the unwinder makes the innermost frame's caller that thread's saved state.
"""

import gdb
from gdb.unwinder import Unwinder, register_unwinder

from . import cfi, kernel, usersyms

# TrapFrame (Arch/X64/TrapFrame.cs; the stubs use its generated layout.inc): 8-byte slots, lowest first.
TRAP_FRAME_SLOTS = ("r15", "r14", "r13", "r12", "r11", "r10", "r9", "r8", "rbp", "rdi", "rsi", "rdx",
                    "rcx", "rbx", "rax", "vector", "error_code", "rip", "cs", "eflags", "rsp", "ss")
TRAP_RETURN_LABELS = ("trap_dispatch_return", "trap_exit_return", "syscall_dispatch_return", "syscall_exit_return")

# What context_switch pushed, lowest address first; the return address follows.
SWITCH_SLOTS = ("r15", "r14", "r13", "r12", "rbx", "rbp")


class FrameId:
    def __init__(self, sp, pc):
        self.sp = sp
        self.pc = pc


def trap_return_addresses():
    return {kernel.symbol_address(label) for label in TRAP_RETURN_LABELS} - {None}


def read_trap_frame(address):
    """{slot name: value} of the TrapFrame at ADDRESS."""
    data = bytes(gdb.selected_inferior().read_memory(address, 8 * len(TRAP_FRAME_SLOTS)))
    return {name: int.from_bytes(data[8 * i:8 * i + 8], "little") for i, name in enumerate(TRAP_FRAME_SLOTS)}


def trap_frame_of(frame):
    """The TrapFrame address if FRAME (a gdb.Frame) is a trap entry's call of the dispatcher, else None."""
    if frame.pc() not in trap_return_addresses():
        return None
    return int(frame.read_register("rbx")) & 0xFFFFFFFFFFFFFFFF


def _value(number, type_name="unsigned long"):
    return gdb.Value(number & 0xFFFFFFFFFFFFFFFF).cast(gdb.lookup_type(type_name))


CALLEE_SAVED = ("rbx", "rbp", "r12", "r13", "r14", "r15")
USER_CODE_START = 0x400000               # where every program is linked (userland/Lib/user.ld)
USER_SPACE_END = 0x0000800000000000      # the lower canonical half: user addresses (Mem/AddressSpace.cs)


class UserChain:
    """Set while unwinding a trap from ring 3: how to keep the user frames' ids above the trap's.
    GDB wants each caller's frame id (its stack address) above its callee's; the user stack is far
    below the kernel stack, so user frames get ids shifted above the trap frame's, in order."""
    shift = None
    trap_rip = None
    eh_frames = {}

    @classmethod
    def eh_frame(cls, path):
        if path not in cls.eh_frames:
            cls.eh_frames[path] = cfi.EhFrame(path)
        return cls.eh_frames[path]


class SwitchedOutThread:
    """Set by bt-thread for one command: the thread whose saved stack the innermost frame leads to."""
    thread = None
    stack_pointer = 0


class TeachOSUnwinder(Unwinder):
    def __init__(self):
        super().__init__("teachos")

    def __call__(self, pending_frame):
        try:
            pc = int(pending_frame.read_register("rip")) & 0xFFFFFFFFFFFFFFFF
            if SwitchedOutThread.thread is not None and pending_frame.level() == 0:
                return self._switched_out(pending_frame, pc)
            if pc in trap_return_addresses():
                return self._trap(pending_frame, pc)
            if pc < USER_SPACE_END and pending_frame.level() > 0 and UserChain.shift is not None:
                return self._user(pending_frame, pc)
        except (gdb.error, gdb.MemoryError, ValueError):
            pass                # unreadable memory: let GDB's own unwinders try
        return None

    def _trap(self, pending_frame, pc):
        address = int(pending_frame.read_register("rbx")) & 0xFFFFFFFFFFFFFFFF
        saved = read_trap_frame(address)
        info = pending_frame.create_unwind_info(FrameId(_value(address), _value(pc)))
        if saved["cs"] & 3:
            UserChain.shift = address + 16 - saved["rsp"]
            UserChain.trap_rip = saved["rip"]
        for register in TRAP_FRAME_SLOTS:
            if register in ("vector", "error_code"):
                continue
            if register == "rip":
                info.add_saved_register("rip", _value(saved["rip"], "long").cast(gdb.lookup_type("void").pointer()))
            elif register in ("cs", "ss", "eflags"):
                info.add_saved_register(register, _value(saved[register], "int"))
            else:
                info.add_saved_register(register, _value(saved[register]))
        return info

    def _user(self, pending_frame, pc):
        """A user frame below a trap: its caller from the program's .eh_frame (cfi.py)."""
        if usersyms.Loaded.path is None:
            return None
        # A return address may be just past its call's function: look up the call itself.
        rules = UserChain.eh_frame(usersyms.Loaded.path).rules_at(pc if pc == UserChain.trap_rip else pc - 1)
        if rules is None:
            # Assembly without call-frame information (syscall_invoke, userland/Lib/Native): a leaf
            # that pushed nothing, its return address at rsp, as at any function's first instruction.
            rules = cfi.Rules(cfi.REGISTER_NAMES.index("rsp"), 8, {16: -8})
            sp = int(pending_frame.read_register("rsp")) & 0xFFFFFFFFFFFFFFFF
            if not USER_CODE_START <= kernel.read_u64(sp) < USER_SPACE_END:
                return None      # no return address there: the program's first frame (_start)
        base = int(pending_frame.read_register(cfi.REGISTER_NAMES[rules.cfa_register])) & 0xFFFFFFFFFFFFFFFF
        cfa = base + rules.cfa_offset
        info = pending_frame.create_unwind_info(FrameId(_value(cfa + UserChain.shift), _value(pc)))
        # Only the callee-saved registers have a caller's value to show (System V AMD64 ABI, 3.2.1):
        # the others are left unknown, so GDB prints <not saved> rather than a wrong argument.
        for number, name in enumerate(cfi.REGISTER_NAMES):
            if name not in CALLEE_SAVED:
                continue
            if number in rules.saved:
                info.add_saved_register(name, _value(kernel.read_u64(cfa + rules.saved[number])))
            else:
                info.add_saved_register(name, pending_frame.read_register(name))
        info.add_saved_register("rsp", _value(cfa))
        return_address = kernel.read_u64(cfa + rules.saved.get(16, -8))
        info.add_saved_register("rip", _value(return_address).cast(gdb.lookup_type("void").pointer()))
        return info

    def _switched_out(self, pending_frame, pc):
        sp = int(pending_frame.read_register("rsp")) & 0xFFFFFFFFFFFFFFFF
        info = pending_frame.create_unwind_info(FrameId(_value(sp), _value(pc)))
        saved = SwitchedOutThread.stack_pointer
        for i, register in enumerate(SWITCH_SLOTS):
            info.add_saved_register(register, _value(kernel.read_u64(saved + 8 * i)))
        return_address = kernel.read_u64(saved + 8 * len(SWITCH_SLOTS))
        info.add_saved_register("rip", _value(return_address).cast(gdb.lookup_type("void").pointer()))
        info.add_saved_register("rsp", _value(saved + 8 * (len(SWITCH_SLOTS) + 1)))
        return info


def _forget_user_chain(event):
    UserChain.shift = UserChain.trap_rip = None


def register():
    register_unwinder(None, TeachOSUnwinder(), replace=True)
    gdb.events.stop.connect(_forget_user_chain)
