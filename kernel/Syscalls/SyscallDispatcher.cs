using Arch.X64;
using Sched;

namespace Syscalls
{
    /// <summary>
    /// Step 4 for system calls, whichever way they came in (`int 0x80` through the IDT, or the
    /// `syscall` instruction through Syscalls/SyscallEntry.asm): both left a TrapFrame, with the
    /// number in RAX and the arguments in RDI, RSI, RDX, R10, R8, R9 (abi/SyscallNumbers.cs).
    /// The handler's result goes back in the frame's RAX, which the return path restores.
    /// The handlers run with interrupts on, so a long syscall does not hold up the timer.
    /// </summary>
    public static unsafe class SyscallDispatcher
    {
        public static ulong Count { get; private set; }

        public static void Dispatch(TrapFrame* frame)
        {
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
