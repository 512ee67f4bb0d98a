using Sync;

namespace Mem
{
    /// <summary>
    /// Who pays for an address space's user frames: a control group's memory controller
    /// (Cgroups/ControlGroup.cs). The frame allocator alone knows only "free or not"; a limit per group
    /// of processes needs every user frame to be counted against someone, at the one place frames are
    /// given to and taken from user space, the address space (Mem/AddressSpace.cs). The memory layer
    /// sits below processes (kernel/Layers.txt), so it sees the group only through this class: each
    /// address space holds the charge it pays into, and the control-group layer implements it.
    ///
    /// What is counted is what MemoryBudget counts (Mem/MemoryBudget.cs): mapped user pages plus the
    /// lazy pages promised a frame (the heap, mmap). So a group's limit refuses sbrk and mmap up front,
    /// with -ENOMEM, as the global reserve does; a first touch of a promised page never needs a new
    /// charge, and nothing has to be killed for a group's limit.
    ///
    /// Lock: <see cref="Lock"/>, one spin lock for every charge, taken inside an address space's Lock
    /// and inside the scheduler's lock (a process moved to another group): it is a leaf, nothing is
    /// taken under it. An abstract class, not an interface, as Sched/ThreadOwner.cs says why.
    /// </summary>
    public abstract class MemoryCharge
    {
        /// <summary>Guards every charge's count and every address space's <c>ChargedFrames</c>.</summary>
        public static SpinLock Lock;

        /// <summary>
        /// Counts <paramref name="frames"/> more, unless that passes a limit (the charge's own or one
        /// above it): then false, and nothing is counted. <see cref="Lock"/> held.
        /// </summary>
        public abstract bool TryChargeLocked(ulong frames);

        /// <summary>Counts <paramref name="frames"/> more even past a limit (a process moved in). <see cref="Lock"/> held.</summary>
        public abstract void ForceChargeLocked(ulong frames);

        /// <summary>Frames freed (unmapped, promises given back). <see cref="Lock"/> held.</summary>
        public abstract void UnchargeLocked(ulong frames);
    }
}
