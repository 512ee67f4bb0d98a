using System.Runtime;
using Diagnostics;
using TeachOS.Boundary;

namespace Sched
{
    /// <summary>
    /// The scheduler (Sched/Scheduler.cs), part two: giving up the CPU. A thread yields (it stays
    /// ready), sleeps a number of ticks, waits on a queue until woken, or exits; kill interrupts a
    /// waiting or sleeping thread so that it sees it must die. Each sets the thread's new State under
    /// <see cref="ThreadStateLock"/> and lets the switch (Sched/SchedulerSwitch.cs) choose who runs.
    /// </summary>
    public static unsafe partial class Scheduler
    {
        /// <summary>
        /// The yield syscall: back of the queue, let the next thread run. (A function of its own, not
        /// compiled into the syscall's row, which would save 4 instructions a yield: `break
        /// Scheduler.Yield` is the debugging chapter's first breakpoint, docs/guide/02-debugging.md.)
        /// </summary>
        [MayBlock]
        public static void Yield()
        {
            bool flags = ThreadStateLock.Acquire();
            Processor cpu = Processor.Current;
            Thread current = cpu.CurrentThread;
            RunQueue<Thread> ready = cpu.Ready;          // a local: read once for the test and the add
            if (ready.Count > 0)
            {
                current.State = ThreadState.Ready;
                Enqueue(ready, current);                 // stays on this CPU: it only gave way
                SwitchLocked(cpu, current, SwitchReason.Yielded);
            }
            ThreadStateLock.Release(flags);
        }

        /// <summary>
        /// Sleeps at least <paramref name="ticks"/> timer ticks, or less if its process is killed: kill
        /// wakes sleepers (<see cref="InterruptLocked"/>), and a thread of a process killed before it
        /// got here does not start sleeping at all. The check is under <see cref="ThreadStateLock"/>,
        /// which kill holds while it marks the process, so a kill cannot slip in between the check and
        /// the sleep.
        /// </summary>
        [MayBlock]
        public static void Sleep(ulong ticks)
        {
            bool flags = ThreadStateLock.Acquire();
            Thread current = Current;
            if (!IsKilled(current))
            {
                current.State = ThreadState.Sleeping;
                current.WakeAtTick = Time.Clock.Ticks + ticks;
                Enqueue(s_sleeping, current);
                SwitchLocked(SwitchReason.Sleep);
            }
            ThreadStateLock.Release(flags);
        }

        /// <summary>
        /// True if <paramref name="thread"/>'s process has been killed (never for a kernel thread). Every
        /// loop that blocks a user thread checks it, with <see cref="ThreadStateLock"/> held, each time it
        /// wakes: a killed thread must get out of the kernel (and exit on its way back to ring 3), not
        /// wait on.
        /// </summary>
        public static bool IsKilled(Thread thread) => thread.Owner != null && thread.Owner.Killed;

        /// <summary>
        /// Blocks the running thread on <paramref name="queue"/> until someone wakes it. Call with
        /// <see cref="ThreadStateLock"/> held, after finding the condition false; it is held again on
        /// return, and the caller re-checks the condition (another thread may have got there first).
        /// </summary>
        [MayBlock]
        public static void WaitLocked(WaitQueue queue)
        {
            Thread current = Current;
            current.State = ThreadState.Blocked;
            current.WaitingOn = queue;
            queue.Add(current);
            SwitchLocked(SwitchReason.Blocked);
        }

        /// <summary>Wakes every thread waiting on <paramref name="queue"/> (with <see cref="ThreadStateLock"/> held).</summary>
        public static void WakeAllLocked(WaitQueue queue)
        {
            Thread waiter;
            while ((waiter = queue.TakeFirst()) != null)
                if (waiter.State == ThreadState.Blocked) MakeReadyLocked(waiter);
        }

        public static void WakeAll(WaitQueue queue)
        {
            bool flags = ThreadStateLock.Acquire();
            WakeAllLocked(queue);
            ThreadStateLock.Release(flags);
        }

        /// <summary>
        /// Its process was just killed: marks <paramref name="thread"/> (Thread.OwnerKilled, which
        /// <see cref="Processor.Run"/> copies into the CPU's GS block when it runs next) and, if it is
        /// running, sets that byte of its CPU now, so that it leaves at its next return to user mode
        /// (Proc/TrapExit.cs). Lock held: no switch can come between the thread's state and the byte.
        /// </summary>
        public static void OwnerKilledLocked(Thread thread)
        {
            thread.OwnerKilled = true;
            if (thread.State == ThreadState.Running) Processor.All[thread.LastCpu].Local->RunningThreadKilled = 1;
        }

        /// <summary>Wakes one thread however it waits (for kill): it re-checks why it waited and sees it must die.</summary>
        public static void InterruptLocked(Thread thread)
        {
            if (thread.State == ThreadState.Blocked)
            {
                thread.WaitingOn.Remove(thread);
                MakeReadyLocked(thread);
            }
            else if (thread.State == ThreadState.Sleeping)
            {
                s_sleeping.Remove(thread);
                MakeReadyLocked(thread);
            }
            else if (thread.State == ThreadState.Running && thread.LastCpu != Processor.Current.Id)
            {
                InterProcessor.Reschedule(Processor.All[thread.LastCpu]);   // make it pass through the kernel soon
            }
        }

        /// <summary>
        /// Ends the running thread. Its stack is freed by the next thread to run on this CPU (we are
        /// still standing on it); the Thread itself stays as a zombie until joined or reaped.
        /// </summary>
        public static void ExitCurrent(int exitCode)
        {
            ThreadStateLock.Acquire();
            ExitCurrentLocked(exitCode);
        }

        /// <summary>
        /// <see cref="ExitCurrent"/> for a caller that already holds <see cref="ThreadStateLock"/>: whatever it
        /// changed under the lock (a process marked finished) and this thread's becoming a zombie are
        /// then one step, which no other CPU can see half done.
        /// </summary>
        public static void ExitCurrentLocked(int exitCode)
        {
            Thread current = Current;
            current.ExitCode = exitCode;
            current.State = ThreadState.Zombie;
            WakeAllLocked(current.Joiners);
            Processor.Current.ExitedThread = current;
            SwitchLocked(SwitchReason.Exited);
            Panic.Halt("scheduler: an exited thread was switched back to");
        }

        [RuntimeExport("kernel_thread_exit")]
        private static void KernelThreadExit(int exitCode) => ExitCurrent(exitCode);
    }
}
