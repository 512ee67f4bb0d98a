using Arch.X64;
using Mem;

namespace Cgroups
{
    /// <summary>
    /// One control group: a set of processes that share a budget. Groups form a tree (Cgroups/ControlGroupTree.cs),
    /// the root holding every process at boot; each process belongs to exactly one group, its parent's
    /// when it is born (Proc/Process.cs Group). Three controllers count what the group's processes use,
    /// each the whole subtree's, as in Linux's cgroup v2:
    /// <list type="bullet">
    /// <item>pids: tasks, that is threads (a process is its threads; a zombie counts until it is
    ///   collected, as Linux's). pids.max refuses a fork, spawn or thread_create with -EAGAIN
    ///   (Proc/Limits.cs calls <see cref="TryChargeTaskLocked"/>).</item>
    /// <item>memory: user frames, mapped or promised to lazy pages (Mem/MemoryCharge.cs, which this class
    ///   implements): memory.max refuses sbrk, mmap, fork's copy or a program's load with -ENOMEM, and
    ///   then kills the group's largest other process (Cgroups/GroupOutOfMemory.cs).</item>
    /// <item>cpu: timer ticks during which one of its threads ran (Sched/ThreadOwner.cs TickLocked), and
    ///   a CPU budget, cpu.max, which the scheduler charges and enforces (Sched/CpuBandwidth.cs,
    ///   <see cref="Proc.ResourceGroup.Bandwidth"/>; the root has none): past its quota in a period,
    ///   the group's threads are not picked until the period ends; and a share, cpu.weight
    ///   (Sched/CpuShare.cs), which divides a CPU between sibling groups that compete for it.</item>
    /// <item>io: bytes and requests its threads sent to the disk (io.stat), and a disk budget, io.max,
    ///   which the block layer charges and enforces (Drivers/IoBandwidth.cs, through
    ///   Cgroups/GroupIoBudget.cs): a request over the budget waits until it has refilled.</item>
    /// </list>
    /// A limit holds for the subtree: a charge climbs to the root and is refused if any group on the way
    /// would pass its own maximum, so a child can never use more than its parent allows, whatever its
    /// own maximum says (Linux's rule: the effective limit is the smallest on the path).
    ///
    /// Locks: the tree, the task counts and the CPU counts under Scheduler.ThreadStateLock (the tick
    /// and the thread counts are already there); the frame counts under MemoryCharge.Lock.
    /// Lifetime: counted references (Hold/Put): one for the tree while the group is in it, one for each
    /// child, one for each node of its directory held by the VFS (an open cgroup.procs). rmdir takes the
    /// group out of the tree; the last Put frees it (Cgroups/ControlGroupTree.cs Free).
    /// </summary>
    public sealed unsafe class ControlGroup : Proc.ResourceGroup
    {
        /// <summary>"max": no limit. Every limit starts there.</summary>
        public const long Unlimited = long.MaxValue;

        public readonly string Name;            // its own copy; empty for the root
        public readonly ControlGroup Parent;    // null for the root
        public readonly int Id;                 // unique since boot: its inode numbers come from it
        public readonly int Depth;              // the root is 0
        public int OwnerId, OwnerGroupId;       // who made it (or was given it by chown): its directory's and files' owner

        // The tree (Cgroups/ControlGroupTree.cs), under Scheduler.ThreadStateLock.
        internal ControlGroup[] Children = new ControlGroup[4];
        internal int ChildCount;
        public bool Removed;                    // rmdir'ed: its files answer -ENODEV from now on
        public int SubtreeControl;              // cgroup.subtree_control: the controllers it gives its children (Cgroups/Controllers.cs)
        public ulong CpuSetMask;                // cpuset.cpus as written (0: its parent's CPUs); the effective set is EffectiveCpus

        // pids, under Scheduler.ThreadStateLock.
        public long Tasks;                      // pids.current
        public long MaximumTasks = Unlimited;   // pids.max
        public long TaskLimitHits;              // pids.events "max": refusals because of this group's limit

        // memory, under MemoryCharge.Lock; in frames (the files show bytes).
        public long Frames;                     // memory.current
        public long MaximumFrames = Unlimited;  // memory.max
        public long FrameLimitHits;             // memory.events "max"
        public bool OutOfMemoryPending;         // a refusal by this limit not yet answered (Cgroups/GroupOutOfMemory.cs)

        // The group's OOM kill (Cgroups/GroupOutOfMemory.cs), under Scheduler.ThreadStateLock.
        public long OutOfMemoryEvents;          // memory.events "oom": the killer ran for this group's limit
        public long OutOfMemoryKills;           // memory.events "oom_kill": processes it killed

        // cpu, under Scheduler.ThreadStateLock.
        public ulong UsageTicks;                // cpu.stat

        // Its directory and files, as the VFS sees them (Cgroups/GroupDirectory.cs, Cgroups/ControlFileNode.cs).
        internal readonly GroupDirectory Directory;
        internal readonly ControlFileNode[] Files;

        private ulong _references = 1;         // the tree's

        internal ControlGroup(System.ReadOnlySpan<char> name, ControlGroup parent, int id, int ownerId, int ownerGroupId)
            // Nested in its parent's budget and share; the root has neither (it limits nothing).
            : base(parent == null ? null : new Sched.CpuBandwidth(parent.Bandwidth), parent == null ? null : new Sched.CpuShare(parent.Share),
                   parent == null ? null : new Drivers.IoBandwidth(parent.Io))
        {
            Name = string.Copy(name);
            Parent = parent;
            Id = id;
            Depth = parent == null ? 0 : parent.Depth + 1;
            OwnerId = ownerId;
            OwnerGroupId = ownerGroupId;
            Directory = new GroupDirectory(this);
            Files = new ControlFileNode[ControlFiles.Count];
            for (int i = 0; i < Files.Length; i++) Files[i] = new ControlFileNode(this, (ControlFileKind)i);
        }

        public bool IsRoot => Parent == null;

        // ---- pids ----

        /// <summary>
        /// One task more in this group and every one above, unless one of them is at its pids.max:
        /// then false, nothing counted, and that group's pids.events "max" goes up. Scheduler.ThreadStateLock held.
        /// </summary>
        public override bool TryChargeTaskLocked()
        {
            for (ControlGroup group = this; group != null; group = group.Parent)
            {
                if (group.Tasks + 1 > group.MaximumTasks)
                {
                    group.TaskLimitHits++;
                    return false;
                }
            }
            ChargeTasksLocked(1);
            return true;
        }

        /// <summary>
        /// Adds <paramref name="count"/> tasks (negative: takes them away) here and above, with no limit:
        /// a task gone, or a process moved in with its threads (Linux also lets a move pass pids.max).
        /// </summary>
        public override void ChargeTasksLocked(long count)
        {
            for (ControlGroup group = this; group != null; group = group.Parent) group.Tasks += count;
        }

        // ---- memory (Mem/MemoryCharge.cs) ----

        public override bool TryChargeLocked(ulong frames)
        {
            for (ControlGroup group = this; group != null; group = group.Parent)
            {
                if (group.Frames + (long)frames > group.MaximumFrames)
                {
                    group.FrameLimitHits++;
                    group.OutOfMemoryPending = true;    // the syscall's way out answers it
                    return false;
                }
            }
            ForceChargeLocked(frames);
            return true;
        }

        public override void ForceChargeLocked(ulong frames)
        {
            for (ControlGroup group = this; group != null; group = group.Parent) group.Frames += (long)frames;
        }

        public override void UnchargeLocked(ulong frames)
        {
            for (ControlGroup group = this; group != null; group = group.Parent) group.Frames -= (long)frames;
        }

        // ---- cpu ----

        /// <summary>A thread of this group ran for one tick: every group above ran it too. Interrupts off.</summary>
        public override void ChargeTickLocked()
        {
            for (ControlGroup group = this; group != null; group = group.Parent) group.UsageTicks++;
        }

        // ---- references ----

        /// <summary>One more reference (never sleeps: the VFS may hold a node under a spin lock).</summary>
        public void Hold()
        {
            fixed (ulong* references = &_references) Atomic.Add(references, 1);
        }

        /// <summary>Gives one back; the last one of a removed group frees it (and puts its parent).</summary>
        public void Put()
        {
            ulong left;
            fixed (ulong* references = &_references) left = Atomic.Add(references, ulong.MaxValue);
            if (left == 0) ControlGroupTree.Free(this);
        }

        /// <summary>
        /// Its path from the root ("/" for the root, "/box/inner" below), for the files and reports;
        /// the characters written, at most <paramref name="destination"/>'s length.
        /// </summary>
        public int WritePath(System.Span<char> destination)
        {
            if (IsRoot)
            {
                if (destination.Length > 0) destination[0] = '/';
                return destination.Length > 0 ? 1 : 0;
            }
            int length = Parent.IsRoot ? 0 : Parent.WritePath(destination);
            if (length < destination.Length) destination[length++] = '/';
            for (int i = 0; i < Name.Length && length < destination.Length; i++) destination[length++] = Name[i];
            return length;
        }
    }
}
