namespace Proc
{
    /// <summary>
    /// What a process's use of the machine is counted against: its control group (Cgroups/ControlGroup.cs,
    /// the one implementation). Processes sit below the control groups (the groups read the process
    /// list to show cgroup.procs and to move a process), so a process sees its group only through this
    /// class: its threads are tasks charged here (Proc/Limits.cs, pids.max), its address space pays its
    /// frames here (the Mem/MemoryCharge.cs this class extends, memory.max), its ticks add up here (cpu.stat).
    /// KernelMain registers the root group as <see cref="Initial"/> at boot: init is born there, and
    /// every other process in its parent's group.
    /// </summary>
    public abstract class ResourceGroup : Mem.MemoryCharge
    {
        /// <summary>
        /// Its CPU budget (cpu.max), which the scheduler charges and enforces (Sched/CpuBandwidth.cs):
        /// a process in the group hands it to the scheduler as its threads' (Proc/Process.cs Group).
        /// Null for a group without one (the root).
        /// </summary>
        public readonly Sched.CpuBandwidth Bandwidth;

        /// <summary>
        /// Its disk budget and counts (io.max, io.stat), which the block layer charges and enforces
        /// (Drivers/IoBandwidth.cs) through Cgroups/GroupIoBudget.cs. Null for the root.
        /// </summary>
        public readonly Drivers.IoBandwidth Io;

        /// <summary>Its share when groups compete for a CPU (cpu.weight, Sched/CpuShare.cs); null for the root.</summary>
        public readonly Sched.CpuShare Share;

        /// <summary>
        /// The CPUs its threads may run on (cpuset.cpus.effective, Cgroups/CpuSets.cs), a mask of CPU ids:
        /// a process in the group takes it as its threads' bound (Proc/Process.cs Group). All, by default.
        /// Under Scheduler.ThreadStateLock.
        /// </summary>
        public ulong EffectiveCpus = ulong.MaxValue;

        protected ResourceGroup(Sched.CpuBandwidth bandwidth, Sched.CpuShare share, Drivers.IoBandwidth io)
        {
            Bandwidth = bandwidth;
            Io = io;
            Share = share;
        }

        /// <summary>The group of init, and so of every process until one is moved (the root).</summary>
        public static ResourceGroup Initial { get; private set; }

        /// <summary>At boot, before init is spawned (KernelMain).</summary>
        public static void Register(ResourceGroup initial) => Initial = initial;

        /// <summary>One task (thread) more, unless a limit says no. Scheduler.ThreadStateLock held.</summary>
        public abstract bool TryChargeTaskLocked();

        /// <summary>Tasks added (negative: taken away) with no limit: a task gone, a process moved. Lock held.</summary>
        public abstract void ChargeTasksLocked(long count);

        /// <summary>A thread of the group ran for one timer tick. Interrupts off, Scheduler.ThreadStateLock held.</summary>
        public abstract void ChargeTickLocked();
    }
}
