namespace Sched
{
    /// <summary>
    /// A group's share of the CPU when groups compete (cgroup v2's cpu.weight, 1 to 10000, default
    /// 100): sibling groups that all want to run get CPU time in proportion to their weights, 100 and
    /// 300 splitting 1:3. Unlike cpu.max (Sched/CpuBandwidth.cs) it limits nothing: a group alone
    /// gets the whole CPU whatever its weight.
    ///
    /// The mechanism, the idea of Linux's CFS reduced to its core: each group keeps a virtual run time,
    /// the CPU time its threads used scaled by 100 / weight (a tick of a weight-300 group counts a
    /// third of one of a weight-100 group). When the scheduler picks among ready threads of different
    /// groups, it takes the one whose group has the smallest virtual time: the group furthest behind
    /// its share. Run long enough, each group's virtual time grows at the same pace, so its real time
    /// is proportional to its weight. Groups nest: two threads are compared at the level where their
    /// groups are siblings (a child's time counts to its parent's too), as Linux does per level.
    ///
    /// A group that slept falls behind, and would then run alone until it caught up: so a group is
    /// never counted more than <see cref="LagLimitUsec"/> behind the one it is compared with (Linux
    /// places a waking task near the queue's smallest virtual time for the same reason).
    ///
    /// Pure logic over its own fields, with Scheduler.ThreadStateLock held: no allocation, no blocking.
    /// </summary>
    public sealed class CpuShare
    {
        public const int DefaultWeight = 100, LowestWeight = 1, HighestWeight = 10000;

        /// <summary>How far behind a competitor a group may be counted: two 10 ms turns.</summary>
        public const ulong LagLimitUsec = 20000;

        /// <summary>
        /// How many processes have been put in a group below the root (counted where a ThreadOwner's
        /// Share is set: Sched/ThreadOwner.cs; under Scheduler.ThreadStateLock). While it is 0, as on a machine that never made a group, every
        /// switch skips the groups' say at the cost of one compare (RoundRobinPolicy.TakeNext). A
        /// process that ends in a group keeps counting: a lower bound would be wrong, a higher one only slower.
        /// The class's only static field: ilc then reads it straight from the instruction.
        /// </summary>
        public static int ProcessesInGroups;

        /// <summary>The share of the group above, or null for a group directly under the root.</summary>
        public readonly CpuShare Parent;
        private readonly int _depth;

        /// <summary>cpu.weight. One aligned store: the tick reads the old or the new weight.</summary>
        public int Weight = DefaultWeight;

        /// <summary>CPU time used, in µs scaled by 100 / <see cref="Weight"/>.</summary>
        public ulong VirtualUsec;

        public CpuShare(CpuShare parent)
        {
            Parent = parent;
            _depth = parent == null ? 0 : parent._depth + 1;
        }

        /// <summary>A thread covered by <paramref name="share"/> ran for <paramref name="usec"/>: every level counts it at its own weight.</summary>
        public static void ChargeLocked(CpuShare share, long usec)
        {
            for (CpuShare s = share; s != null; s = s.Parent) s.VirtualUsec += (ulong)(usec * DefaultWeight / s.Weight);
        }

        /// <summary>
        /// Should a thread covered by <paramref name="a"/> run before one covered by <paramref name="b"/>?
        /// Yes if, at the level where their groups are siblings, a's group is further behind its share.
        /// No for the same group (its threads take turns in order), or if either has no share (a thread
        /// of the root group: round-robin order decides).
        /// </summary>
        public static bool RunsBeforeLocked(CpuShare a, CpuShare b)
        {
            if (a == null || b == null) return false;
            while (a._depth > b._depth) a = a.Parent;
            while (b._depth > a._depth) b = b.Parent;
            while (a.Parent != b.Parent)
            {
                a = a.Parent;
                b = b.Parent;
            }
            if (a == b) return false;
            // The lag limit: a group that slept comes back at most LagLimitUsec behind.
            if (a.VirtualUsec + LagLimitUsec < b.VirtualUsec) a.VirtualUsec = b.VirtualUsec - LagLimitUsec;
            if (b.VirtualUsec + LagLimitUsec < a.VirtualUsec) b.VirtualUsec = a.VirtualUsec - LagLimitUsec;
            return a.VirtualUsec < b.VirtualUsec;
        }
    }
}
