using Arch.X64;

namespace Sync
{
    /// <summary>
    /// Preemption control: while a CPU's count is above zero, the thread running there finishes what
    /// it does before another runs, with interrupts on: a TLB shootdown waiting for other CPUs
    /// (Mem/TlbShootdown.cs), kernel stacks and heap pages being freed (Mem/KernelStack.cs,
    /// Mem/KernelHeap.cs). The timer may still interrupt, but the switch waits (Sched/SchedulerTimer.cs
    /// PreemptIfRequested asks <see cref="IsDisabled"/>). Were the thread switched out, threads waiting
    /// for it could fill every CPU, and it would never run again to finish (an idle thread, which no
    /// run queue holds, certainly would not).
    ///
    /// The count is per CPU, in the CPU's own block behind GS (Arch/X64/ProcessorLocal.cs), so the
    /// layers below the scheduler can raise it without knowing what a thread or a Processor is.
    /// </summary>
    public static unsafe class Preemption
    {
        /// <summary>
        /// Keeps the calling thread on this CPU, and running, until <see cref="Enable"/> (calls nest).
        /// Interrupts are off while the count goes up: a switch between finding the CPU's block and
        /// raising its count would raise another CPU's.
        /// </summary>
        public static void Disable()
        {
            bool wereOn = Interrupts.Save();
            ProcessorLocal.Current->PreemptionDisabled++;
            Interrupts.Restore(wereOn);
        }

        /// <summary>
        /// Undoes <see cref="Disable"/>; a switch asked for meanwhile happens at the next trap. The
        /// thread is still on the CPU whose count it raised: no switch could move it.
        /// </summary>
        public static void Enable() => ProcessorLocal.Current->PreemptionDisabled--;

        /// <summary>Whether the calling CPU's thread may not be switched out now.</summary>
        public static bool IsDisabled => ProcessorLocal.Current->PreemptionDisabled > 0;
    }
}
