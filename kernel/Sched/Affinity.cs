namespace Sched
{
    /// <summary>
    /// Where a thread may run (the affinity syscall): a mask of CPU ids. A ready thread moves to a
    /// queue the mask allows at once; a running thread on a CPU the mask now excludes is asked to
    /// switch, and the policy places it elsewhere at its next turn.
    /// </summary>
    public static class Affinity
    {
        /// <summary>Changes where <paramref name="thread"/> may run; it moves at its next switch.</summary>
        public static void Set(Thread thread, ulong mask)
        {
            bool flags = Scheduler.ThreadStateLock.Acquire();
            SetLocked(thread, mask);
            Scheduler.ThreadStateLock.Release(flags);
        }

        /// <summary>The same, with <see cref="Scheduler.ThreadStateLock"/> held.</summary>
        public static void SetLocked(Thread thread, ulong mask)
        {
            thread.Affinity = mask;
            if (thread.State == ThreadState.Ready)
            {
                for (int i = 0; i < Processor.Count; i++)
                    if (Processor.All[i].Ready.Remove(thread)) break;
                Scheduler.MakeReadyLocked(thread);
            }
            else if (thread.State == ThreadState.Running && (mask & (1UL << thread.LastCpu)) == 0)
            {
                Processor cpu = Processor.All[thread.LastCpu];
                cpu.RescheduleRequested = true;
                if (cpu != Processor.Current) InterProcessor.Reschedule(cpu);
            }
        }
    }
}
