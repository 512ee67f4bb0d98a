using Mem;

namespace Sched
{
    /// <summary>
    /// What a user thread belongs to, as far as the scheduler needs to know: the scheduler sits below
    /// processes (kernel/Layers.txt), so it sees a process only through this class. It reads the
    /// address space to load when it switches to the thread, asks whether the owner was killed (a
    /// killed thread is woken from sleeps and joins), shows the id in traces, and tells the owner when
    /// a thread's kernel memory goes, so the owner's charges (Proc/Limits.cs) follow, and when one of
    /// its threads ran for a tick (a control group's CPU time). Its CPU budget (cpu.max) and share
    /// (cpu.weight) are plain fields: the scheduler charges and enforces them itself (Sched/CpuBandwidth.cs,
    /// Sched/CpuShare.cs).
    /// Proc/Process.cs is the one implementation; a kernel thread has no owner (null).
    /// An abstract class, not an interface: the scheduler calls it with its lock held and interrupts
    /// off, and in this runtime an interface's first call allocates its dispatch cache.
    /// </summary>
    public abstract class ThreadOwner
    {
        /// <summary>The process id: what traces and reports show.</summary>
        public int Id;

        /// <summary>The memory the owner's threads run in; null while it is being built or torn down.</summary>
        public AddressSpace AddressSpace;

        /// <summary>Set by kill; the owner's threads leave at their next return to user mode.</summary>
        public bool Killed;

        /// <summary>
        /// The CPU budget its threads are charged to and held to (its control group's cpu.max,
        /// Sched/CpuBandwidth.cs); null when none applies (the root group). Under <see cref="Scheduler.ThreadStateLock"/>.
        /// </summary>
        public CpuBandwidth Bandwidth;

        /// <summary>
        /// Its group's share when groups compete for a CPU (cpu.weight, Sched/CpuShare.cs); null in
        /// the root group. Set with <see cref="Bandwidth"/>, under <see cref="Scheduler.ThreadStateLock"/>.
        /// </summary>
        public CpuShare Share
        {
            get => _share;
            set
            {
                // Counted for the switch's shortcut while no process is in a group (CpuShare.ProcessesInGroups).
                if ((value != null) != (_share != null)) CpuShare.ProcessesInGroups += value != null ? 1 : -1;
                _share = value;
            }
        }

        private CpuShare _share;

        /// <summary>
        /// The CPUs its threads may ever run on (its group's cpuset.cpus, Cgroups/CpuSets.cs): a new
        /// thread's affinity starts as this, and setaffinity cannot pass it. All CPUs by default.
        /// </summary>
        public ulong CpuMask = ulong.MaxValue;

        /// <summary>A thread's kernel stack was freed (it exited). <see cref="Scheduler.ThreadStateLock"/> held.</summary>
        public abstract void StackFreedLocked(Thread thread);

        /// <summary>
        /// A thread is gone for good (joined, reaped, or its creation failed); its stack is freed or,
        /// if <paramref name="stackStillCharged"/>, it never ran. <see cref="Scheduler.ThreadStateLock"/> held.
        /// </summary>
        public abstract void ThreadGoneLocked(Thread thread, bool stackStillCharged);

        /// <summary>
        /// One of its threads ran for a whole timer tick: the owner's group counts the CPU time
        /// (Cgroups/ControlGroup.cs, cpu.stat). Interrupts off, <see cref="Scheduler.ThreadStateLock"/> held:
        /// it must neither allocate nor block.
        /// </summary>
        public abstract void TickLocked();
    }
}
