using Arch.X64;
using Mem;
using TeachOS.Boundary;

namespace Sched
{
    /// <summary>
    /// Joining a thread: waiting for it to end, taking its exit code, and freeing it. Two things make a
    /// join safe against a hostile program. A join that could never end is refused: a thread joining a
    /// thread that is (through a chain of joins) joining it gets -EDEADLK, found by following each
    /// thread's <see cref="Thread.JoiningOn"/>. And a join gives way to kill: a joiner whose process is
    /// killed stops waiting, so a killed process always ends, whatever its threads were waiting for.
    /// Lock: Scheduler.ThreadStateLock, for JoiningOn, JoinClaimed and the threads' states.
    /// </summary>
    public static class ThreadJoins
    {
        /// <summary>Waits for a kernel thread to exit and returns its exit code; frees it. No kill interrupts a kernel thread.</summary>
        [MayBlock]
        public static int Join(Thread thread)
        {
            TryJoin(thread, out int exitCode);
            return exitCode;
        }

        /// <summary>
        /// True if <paramref name="joiner"/> would wait for ever for <paramref name="target"/>: target
        /// is joining joiner, or joining a thread that is joining joiner, and so on (a cycle of any
        /// length). Lock held, so no thread starts or stops joining meanwhile. The walk ends: each thread
        /// joins at most one other, and no cycle exists already, because every join that would have
        /// closed one was refused here.
        /// </summary>
        public static bool WouldDeadlockLocked(Thread joiner, Thread target)
        {
            for (Thread at = target; at != null; at = at.JoiningOn)
                if (at == joiner) return true;
            return false;
        }

        /// <summary>
        /// Waits for <paramref name="thread"/> to exit; returns true with its exit code and frees it. Or
        /// returns false, leaving it to be joined or reaped later, if the caller's process is killed
        /// meanwhile: the caller then leaves the kernel (-EINTR) and exits on its way back to ring 3.
        /// The caller may have set its JoiningOn to <paramref name="thread"/>; it is cleared here.
        /// </summary>
        [MayBlock]
        public static bool TryJoin(Thread thread, out int exitCode)
        {
            exitCode = 0;
            bool flags = Scheduler.ThreadStateLock.Acquire();
            Thread current = Scheduler.Current;
            bool joined = true;
            while (thread.State != ThreadState.Zombie || thread.Stack != null)
            {
                // Checked each time the thread wakes: kill wakes it (Scheduler.InterruptLocked) for this.
                if (Scheduler.IsKilled(current)) { joined = false; break; }
                if (thread.State != ThreadState.Zombie) Scheduler.WaitLocked(thread.Joiners);
                else
                {
                    // It exited on another CPU, which has not yet switched away from its stack.
                    Scheduler.ThreadStateLock.Release(flags);
                    Cpu.Pause();
                    flags = Scheduler.ThreadStateLock.Acquire();
                }
            }
            current.JoiningOn = null;
            if (joined)
            {
                exitCode = thread.ExitCode;
                Scheduler.Reap(thread);
            }
            else
            {
                thread.JoinClaimed = false;
            }
            Scheduler.ThreadStateLock.Release(flags);
            KernelStack.FreeReleased();
            return joined;
        }
    }
}
