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
    ///
    /// Nearly every trap finds nothing to do, so that answer costs one test: each reason for work sets a
    /// byte in this CPU's GS block (Arch/X64/ProcessorLocal.cs: the timer's or another CPU's request to
    /// switch, and whether the running thread's process was killed, which the switch and kill keep
    /// up to date), and one read of both bytes tells whether to look further (as Linux tests one word
    /// of work flags, TIF_*, on its way out). <see cref="DoWork"/> then asks the real questions
    /// again: a byte says where to look, the scheduler and the process say what is true.
    /// </summary>
    public static unsafe class TrapExit
    {
        [RuntimeExport("trap_exit")]
        [MethodImpl(MethodImplOptions.AggressiveInlining)]     // also compiled into the `syscall` door's one call (Syscalls/SyscallDispatcher.cs)
        public static void Run(TrapFrame* frame)
        {
            if (ProcessorLocal.ReadExitWork() != 0) DoWork(frame);
        }

        // Not inlined: the work's calls would otherwise make every trap's exit save and restore the
        // registers they need, also when there is nothing to do.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void DoWork(TrapFrame* frame)
        {
            Scheduler.PreemptIfRequested();
            if (!frame->FromUserMode) return;

            Process process = Process.Current;
            if (process == null || !process.Killed) return;
            if (GuestTrapHandler.RunsGuest) GuestTrapHandler.Registered.Killed();    // back in vm_run, which returns -EINTR
            Processes.ExitThread(process.ExitStatus, wholeProcess: false);
        }
    }
}
