using System.Runtime;
using Arch.X64;
using Traps;
using Sched;

namespace Syscalls
{
    /// <summary>
    /// Step 3 of the trap path for system calls, whichever door they came in by: the `syscall`
    /// instruction (Arch/X64/SyscallEntry.asm) or `int 0x80` (Arch/X64/TrapEntry.asm). Both stubs
    /// call <see cref="Dispatch"/> directly with the TrapFrame they built, with the number in RAX and
    /// the arguments in RDI, RSI, RDX, R10, R8, R9 (abi/SyscallNumbers.cs). The handler's result goes
    /// back in the frame's RAX, which step 5 restores; step 4 (Proc/TrapExit.cs) runs in between.
    /// The handlers run with interrupts on, so a long syscall does not hold up the timer.
    /// </summary>
    public static unsafe class SyscallDispatcher
    {
        public static ulong Count { get; private set; }

        [RuntimeExport("syscall_dispatch")]
        public static void Dispatch(TrapFrame* frame)
        {
            if (TrapLog.Enabled) TrapLog.Record(frame);
            Count++;
            Interrupts.Enable();
            Mem.KernelStack.FreeReleased();             // a moment with no lock held: finish freeing exited threads' stacks
            // SyscallTable is generated at build time from abi/Syscalls.cs (analyzers/.../SyscallGenerator.cs):
            // one case per declared syscall, converting registers to the handler's parameter types.
            frame->Rax = (ulong)SyscallTable.Invoke(frame->Rax, frame->Rdi, frame->Rsi, frame->Rdx, frame->R10, frame->R8, frame->R9);
            Interrupts.Disable();
        }
    }
}
