namespace Sched
{
    /// <summary>
    /// The scheduler's policy, apart from its mechanism. The mechanism (Sched/Scheduler.cs) takes the
    /// lock, keeps threads' states, puts them to sleep and wakes them, switches stacks and address
    /// spaces; it asks the policy three questions: on which CPU a thread that becomes ready should
    /// wait, which thread a CPU should run next, and whether a timer tick ends the running thread's
    /// turn. Sched/RoundRobinPolicy.cs is the kernel's policy; Sched/SchedulingPolicies.cs names it.
    ///
    /// Rules for an implementation: every method is called with <see cref="Scheduler.ThreadStateLock"/>
    /// held and interrupts off, often from the timer interrupt, so none may allocate or block. The
    /// ready threads live in each CPU's <see cref="Processor.Ready"/> queue, which the mechanism fills
    /// (always at the back) and the policy takes from, in any order it likes (RunQueue.Peek, Remove).
    /// Mark each method of an implementation [InterruptContext]: TOS0004 cannot follow a call through
    /// an interface, so it checks a policy's bodies only where they carry the mark.
    /// </summary>
    public interface ISchedulingPolicy
    {
        /// <summary>Timer ticks in a full turn (the `quantum=` command-line word, converted to ticks).</summary>
        int QuantumTicks { get; }

        /// <summary>Placement: the CPU in whose queue a thread that has just become ready should wait.</summary>
        Processor ChooseCpu(Thread thread);

        /// <summary>
        /// The thread <paramref name="cpu"/> runs next, taken out of whatever queue it waited in (this
        /// CPU's, or another's); null when there is none, and the CPU runs its idle thread.
        /// </summary>
        Thread TakeNext(Processor cpu);

        /// <summary>Is there a thread, in any queue, that <paramref name="cpu"/> (now idle) could take?</summary>
        bool HasWorkFor(Processor cpu);

        /// <summary><paramref name="thread"/> starts a turn on a CPU: it was switched to (or is the boot thread).</summary>
        void StartTurn(Thread thread);

        /// <summary>
        /// <see cref="TakeNext"/> chose the thread that was already running: it keeps the CPU, and no
        /// switch happens. (Round-robin gets here only when the thread is alone on its CPU.)
        /// </summary>
        void ContinueTurn(Thread thread);

        /// <summary>
        /// A timer tick on <paramref name="cpu"/>, while <paramref name="running"/> ran (perhaps its idle
        /// thread): charges it to the turn. True if the CPU should switch threads on its way out of the
        /// interrupt.
        /// </summary>
        bool Tick(Processor cpu, Thread running);
    }
}
