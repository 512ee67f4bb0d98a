using Arch.X64;
using Sched;
using Traps;
using Abi;

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
            Cpu.EnableInterrupts();
            Mem.KernelStack.FreeReleased();             // a moment with no lock held: finish freeing exited threads' stacks
            frame->Rax = (ulong)Invoke(frame->Rax, frame->Rdi, frame->Rsi, frame->Rdx, frame->R10, frame->R8);
            Cpu.DisableInterrupts();
        }

        private static long Invoke(ulong number, ulong a0, ulong a1, ulong a2, ulong a3, ulong a4)
        {
            switch (number)
            {
                case SyscallNumbers.Exit: return ProcessSyscalls.Exit((int)a0);
                case SyscallNumbers.GetPid: return ProcessSyscalls.GetPid();
                case SyscallNumbers.GetParentPid: return ProcessSyscalls.GetParentPid();
                case SyscallNumbers.Spawn: return ProcessSyscalls.Spawn(new UserString(a0), new UserPointer<ulong>(a1), (int)a2, (int)a3, (int)a4);
                case SyscallNumbers.Wait: return ProcessSyscalls.Wait((int)a0, new UserPointer<int>(a1));
                case SyscallNumbers.Kill: return ProcessSyscalls.Kill((int)a0);
                case SyscallNumbers.Sbrk: return ProcessSyscalls.Sbrk((long)a0);

                case SyscallNumbers.Write: return FileSyscalls.Write((int)a0, new UserBuffer(a1, a2));
                case SyscallNumbers.Read: return FileSyscalls.Read((int)a0, new UserBuffer(a1, a2));
                case SyscallNumbers.Open: return FileSyscalls.Open(new UserString(a0), (int)a1);
                case SyscallNumbers.Close: return FileSyscalls.Close((int)a0);
                case SyscallNumbers.FileStatus: return FileSyscalls.FileStatus((int)a0, new UserPointer<FileStatus>(a1));
                case SyscallNumbers.Pipe: return FileSyscalls.Pipe(new UserPointer<PipeDescriptors>(a0));
                case SyscallNumbers.Duplicate: return FileSyscalls.Duplicate((int)a0, (int)a1);
                case SyscallNumbers.ReadDirectory: return FileSyscalls.ReadDirectory((int)a0, (int)a1, new UserPointer<DirectoryEntry>(a2));

                case SyscallNumbers.Sleep: return TimeSyscalls.Sleep((long)a0);
                case SyscallNumbers.Uptime: return TimeSyscalls.Uptime();
                case SyscallNumbers.Yield: return TimeSyscalls.Yield();

                case SyscallNumbers.ThreadCreate: return ThreadSyscalls.Create(a0, a1, a2, a3, new UserString(a4));
                case SyscallNumbers.ThreadExit: return ThreadSyscalls.Exit((int)a0);
                case SyscallNumbers.ThreadJoin: return ThreadSyscalls.Join((int)a0);
                case SyscallNumbers.GetThreadId: return ThreadSyscalls.GetThreadId();
                case SyscallNumbers.ThreadInfo: return ThreadSyscalls.Info((int)a0, new UserPointer<ThreadInfo>(a1));

                default: return -Errno.ENOSYS;
            }
        }
    }
}
