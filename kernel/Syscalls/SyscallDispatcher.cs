using System.Runtime;
using System.Runtime.CompilerServices;
using Arch.X64;
using Traps;
using Sched;
using Proc;

namespace Syscalls
{
    /// <summary>
    /// Step 3 of the trap path for system calls, whichever door they came in by: the `syscall`
    /// instruction (Arch/X64/SyscallEntry.asm) or `int 0x80` (Arch/X64/TrapEntry.asm). Both stubs
    /// call in here with the TrapFrame they built, with the number in RAX and the arguments in RDI,
    /// RSI, RDX, R10, R8, R9 (abi/SyscallNumbers.cs). The handler's result goes back in the frame's
    /// RAX, which step 5 restores; step 4 (Proc/TrapExit.cs) runs in between.
    /// The handlers run with interrupts on, so a long syscall does not hold up the timer.
    /// </summary>
    public static unsafe class SyscallDispatcher
    {
        public static ulong Count { get; private set; }

        /// <summary>Step 3 alone: `int 0x80` comes here from trap_common, which then runs step 4 itself.</summary>
        [RuntimeExport("syscall_dispatch")]
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Dispatch(TrapFrame* frame)
        {
            if (TrapLog.Enabled) TrapLog.Record(frame);
            Count++;
            if (Proc.GuestTrapHandler.RunsGuest) Proc.GuestTrapHandler.Registered.SystemCall(frame);   // a guest's: it may not act as the process
            Interrupts.Enable();
            Mem.KernelStack.FreeReleased();             // a moment with no lock held: finish freeing exited threads' stacks
            // SyscallTable is generated at build time from abi/Syscalls.cs (analyzers/.../SyscallGenerator.cs):
            // one case per declared syscall, reading from the frame the registers its handler takes.
            frame->Rax = (ulong)SyscallTable.Invoke(frame);
            Interrupts.Disable();
        }

        /// <summary>
        /// Steps 3 and 4 in one call, for the `syscall` door: the same work as calling
        /// <see cref="Dispatch"/> and then trap_exit, both compiled into this one function, so the
        /// cheapest syscall pays for one function's entry and exit instead of three.
        /// </summary>
        [RuntimeExport("syscall_dispatch_and_exit")]
        public static void DispatchAndExit(TrapFrame* frame)
        {
            Dispatch(frame);
            TrapExit.Run(frame);
        }
    }
}
