namespace Sched
{
    /// <summary>
    /// A thread's life: created Ready; Running while a CPU executes it; back to Ready when it yields
    /// or its quantum expires; Blocked while it waits for an event (input, a child, a pipe); Sleeping
    /// until a time; Zombie after it exits, until someone collects its exit code.
    /// </summary>
    public enum ThreadState
    {
        Ready,
        Running,
        Blocked,
        Sleeping,
        Zombie,
    }

    /// <summary>Why a CPU switched threads: recorded in the scheduler trace.</summary>
    public enum SwitchReason
    {
        Quantum,      // the timer said its time was up
        Blocked,      // it waits for something
        Yielded,      // it gave up the CPU (yield syscall)
        Sleep,        // it sleeps until a time
        Exited,       // it ended
        Start,        // the first switch on a CPU
    }
}
