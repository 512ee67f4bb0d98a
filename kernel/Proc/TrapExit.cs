using System.Runtime;
using System.Runtime.CompilerServices;
using Arch.X64;
using Sched;
using Traps;

namespace Proc
{
    /// <summary>
    /// Step 4 of the trap path (Arch/X64/TrapEntry.asm lists the five): the work due after a trap's
    /// handler and before the entry stub resumes the frame, in one place for both doors (the interrupt
    /// stub and the `syscall` stub call it the same way). xv6 calls this step `usertrapret`, Linux
    /// `irqentry_exit` and `exit_to_user_mode`. It sits high, in the process layer, because what it does
    /// needs the scheduler and the process table; the stubs, below everything, reach it by name.
    ///
    /// In order: the thread switch the timer or another CPU asked for (also when the trap interrupted
    /// the kernel: that is kernel preemption); then, only for a return to user mode, a kill that came
    /// while the thread was in the kernel: the thread leaves instead of running its killed program.
    /// Later work on the way back to user mode (signals, alarms) belongs here too.
    /// Interrupts are off, and stay off into step 5.
    /// </summary>
    public static unsafe class TrapExit
    {
        [RuntimeExport("trap_exit")]
        [MethodImpl(MethodImplOptions.AggressiveInlining)]     // also compiled into the `syscall` door's one call (Syscalls/SyscallDispatcher.cs)
        public static void Run(TrapFrame* frame)
        {
            Scheduler.PreemptIfRequested();
            if (frame->FromUserMode) LeaveIfKilled();
        }

        /// <summary>
        /// Step 4 for the `syscall` door (Syscalls/SyscallDispatcher.cs), which always returns to user
        /// mode: `syscall` comes only from ring 3, and its stub builds the frame with the user's code
        /// selector. So the test of the frame's ring that <see cref="Run"/> makes is known here.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void RunToUserMode()
        {
            Scheduler.PreemptIfRequested();
            LeaveIfKilled();
        }

        // A kill that came while the thread was in the kernel: the thread leaves instead of running its killed program.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void LeaveIfKilled()
        {
            Process process = Process.Current;
            if (process != null && process.Killed) Processes.ExitThread(process.ExitStatus, wholeProcess: false);
        }
    }
}
