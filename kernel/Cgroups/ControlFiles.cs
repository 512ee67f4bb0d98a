using System;
using Abi;
using Mem;
using Proc;
using Sched;

namespace Cgroups
{
    /// <summary>The files of a group's directory, in the order ls lists them.</summary>
    public enum ControlFileKind
    {
        Procs,              // cgroup.procs     the processes' pids; write a pid to move that process here
        PidsMax,            // pids.max         tasks (threads) the subtree may have: "max" or a number
        PidsCurrent,        // pids.current     tasks it has
        PidsEvents,         // pids.events      "max N": forks and thread creations refused by this limit
        MemoryMax,          // memory.max       bytes of user memory the subtree may have: "max" or a size
        MemoryCurrent,      // memory.current   bytes it has (frames mapped or promised)
        MemoryEvents,       // memory.events    "max N", "oom N", "oom_kill N": refusals by this limit, OOM kills
        CpuStat,            // cpu.stat         CPU time its threads used, and how often cpu.max held them back
        CpuMax,             // cpu.max          "QUOTA PERIOD" in µs: CPU time the subtree may use per period ("max": no limit)
        CpuWeight,          // cpu.weight       1-10000, default 100: its share against sibling groups that compete
        Controllers,        // cgroup.controllers       the controllers it was given: its parent's subtree_control
        SubtreeControl,     // cgroup.subtree_control   those it gives its children: write "+cpu -pids"
        CpuSetCpus,         // cpuset.cpus              the CPUs its threads may run on, as "0-1,3" (empty: its parent's)
        CpuSetEffective,    // cpuset.cpus.effective    those it really has, within its parent's
        IoMax,              // io.max           "254:0 rbps=N wbps=N riops=N wiops=N": the disk's bytes and requests per second
        IoStat,             // io.stat          "254:0 rbytes=N wbytes=N rios=N wios=N": what its processes moved
    }

    /// <summary>
    /// What each control file says when read and does when written (the VFS side is
    /// Cgroups/ControlFileNode.cs; io.max and io.stat are Cgroups/IoControlFiles.cs). The root has no limits, as on Linux: its directory shows only
    /// cgroup.procs, cgroup.controllers, cgroup.subtree_control, cpuset.cpus.effective and the counts
    /// (pids.current, memory.current, cpu.stat), for the whole system.
    /// A read renders the file's whole text anew each time; a write is one command, parsed whole
    /// (Cgroups/LimitValues.cs): -EINVAL for malformed text, -EACCES for a file that is only read.
    /// </summary>
    public static class ControlFiles
    {
        public const int Count = 16;

        /// <summary>pids.max may not pass Linux's PID_MAX_LIMIT (4,194,304): a larger number is -EINVAL there too.</summary>
        public const long HighestTaskLimit = 4 * 1024 * 1024;

        private static readonly string[] s_names =
        {
            "cgroup.procs", "pids.max", "pids.current", "pids.events",
            "memory.max", "memory.current", "memory.events", "cpu.stat", "cpu.max", "cpu.weight", "cgroup.controllers", "cgroup.subtree_control",
            "cpuset.cpus", "cpuset.cpus.effective", "io.max", "io.stat",
        };

        /// <summary>cpu.max's period may be 1 ms to 1 s, and its quota no less than 1 ms, as on Linux.</summary>
        public const long ShortestCpuPeriodUsec = 1000, LongestCpuPeriodUsec = 1000000, SmallestCpuQuotaUsec = 1000;

        /// <summary>Linux's largest quota, 2^44 - 1 µs (its bandwidth arithmetic's range); above it, -EINVAL.</summary>
        public const long LargestCpuQuotaUsec = (1L << 44) - 1;

        public static string NameOf(ControlFileKind kind) => s_names[(int)kind];

        /// <summary>The kind named <paramref name="name"/>, or -1.</summary>
        public static int IndexOf(ReadOnlySpan<char> name)
        {
            for (int i = 0; i < s_names.Length; i++)
                if (name.SequenceEqual(s_names[i])) return i;
            return -1;
        }

        /// <summary>Does a group have this file? The root has no limits (nor their events, nor cpu.weight).</summary>
        public static bool Exists(ControlGroup group, ControlFileKind kind) =>
            !group.IsRoot || kind == ControlFileKind.Procs || kind == ControlFileKind.PidsCurrent
            || kind == ControlFileKind.MemoryCurrent || kind == ControlFileKind.CpuStat
            || kind == ControlFileKind.Controllers || kind == ControlFileKind.SubtreeControl
            || kind == ControlFileKind.CpuSetEffective;

        /// <summary>Can it be written? The limits and cgroup.procs; the rest only report.</summary>
        public static bool IsWritable(ControlFileKind kind) =>
            kind == ControlFileKind.Procs || kind == ControlFileKind.PidsMax || kind == ControlFileKind.MemoryMax
            || kind == ControlFileKind.CpuMax || kind == ControlFileKind.CpuWeight || kind == ControlFileKind.SubtreeControl
            || kind == ControlFileKind.CpuSetCpus || kind == ControlFileKind.IoMax;

        /// <summary>
        /// The file's text, into <paramref name="buffer"/>; its length. cgroup.procs lists the pids as
        /// <paramref name="viewer"/>'s PID namespace numbers them (processes it cannot see are left out,
        /// and so are zombies, as on Linux).
        /// </summary>
        public static int Render(ControlGroup group, ControlFileKind kind, Namespaces.PidNamespace viewer, Span<byte> buffer)
        {
            int length = 0;
            bool flags;
            switch (kind)
            {
                case ControlFileKind.Procs:
                    flags = Scheduler.ThreadStateLock.Acquire();
                    for (int i = 0; i < Processes.Count; i++)
                    {
                        Process process = Processes.At(i);
                        if (process.Group != group || process.IsZombie) continue;
                        int pid = ProcessPids.PidIn(process, viewer);
                        if (pid == 0) continue;
                        length = LimitValues.AppendNumber(buffer, length, (ulong)pid);
                        length = LimitValues.AppendText(buffer, length, "\n");
                    }
                    Scheduler.ThreadStateLock.Release(flags);
                    return length;
                case ControlFileKind.PidsMax:
                    return Line(buffer, LimitValues.AppendLimit(buffer, 0, group.MaximumTasks));
                case ControlFileKind.PidsCurrent:
                    return Line(buffer, LimitValues.AppendNumber(buffer, 0, (ulong)group.Tasks));
                case ControlFileKind.PidsEvents:
                    return LimitValues.AppendKeyed(buffer, 0, "max", (ulong)group.TaskLimitHits);
                case ControlFileKind.MemoryMax:
                    long maximum = group.MaximumFrames;
                    return Line(buffer, LimitValues.AppendLimit(buffer, 0, maximum == ControlGroup.Unlimited ? maximum : maximum * (long)FrameAllocator.FrameSize));
                case ControlFileKind.MemoryCurrent:
                    flags = MemoryCharge.Lock.Acquire();
                    long frames = group.Frames;
                    MemoryCharge.Lock.Release(flags);
                    return Line(buffer, LimitValues.AppendNumber(buffer, 0, (ulong)frames * FrameAllocator.FrameSize));
                case ControlFileKind.MemoryEvents:
                    length = LimitValues.AppendKeyed(buffer, 0, "max", (ulong)group.FrameLimitHits);
                    length = LimitValues.AppendKeyed(buffer, length, "oom", (ulong)group.OutOfMemoryEvents);
                    return LimitValues.AppendKeyed(buffer, length, "oom_kill", (ulong)group.OutOfMemoryKills);
                case ControlFileKind.CpuStat:
                    // Linux counts microseconds; TeachOS counts timer ticks, and shows both.
                    ulong ticks = group.UsageTicks;
                    length = LimitValues.AppendKeyed(buffer, 0, "usage_usec", ticks * 1000000 / Time.Clock.Hertz);
                    length = LimitValues.AppendKeyed(buffer, length, "usage_ticks", ticks);
                    CpuBandwidth budget = group.Bandwidth;
                    if (budget == null) return length;                  // the root: no cpu.max, nothing throttled
                    length = LimitValues.AppendKeyed(buffer, length, "nr_periods", budget.Periods);
                    length = LimitValues.AppendKeyed(buffer, length, "nr_throttled", budget.ThrottledPeriods);
                    return LimitValues.AppendKeyed(buffer, length, "throttled_usec", budget.ThrottledUsec);
                case ControlFileKind.CpuMax:
                    length = LimitValues.AppendLimit(buffer, 0, group.Bandwidth.QuotaUsec);
                    length = LimitValues.AppendText(buffer, length, " ");
                    return Line(buffer, LimitValues.AppendNumber(buffer, length, (ulong)group.Bandwidth.PeriodUsec));
                case ControlFileKind.CpuSetCpus:
                    return CpuSets.Append(buffer, 0, group.CpuSetMask);
                case ControlFileKind.CpuSetEffective:
                    return CpuSets.Append(buffer, 0, group.EffectiveCpus & CpuSets.Online);
                case ControlFileKind.Controllers:
                    return Controllers.Append(buffer, 0, group.IsRoot ? Controllers.All : group.Parent.SubtreeControl);
                case ControlFileKind.SubtreeControl:
                    return Controllers.Append(buffer, 0, group.SubtreeControl);
                case ControlFileKind.IoMax:
                    return IoControlFiles.RenderMax(group.Io, buffer);
                case ControlFileKind.IoStat:
                    return IoControlFiles.RenderStat(group.Io, buffer);
                case ControlFileKind.CpuWeight:
                    return Line(buffer, LimitValues.AppendNumber(buffer, 0, (ulong)group.Share.Weight));
                default:
                    return 0;
            }
        }

        /// <summary>The most bytes <see cref="Render"/> may need: cgroup.procs grows with the process list; cpu.stat has five lines.</summary>
        public static int RenderCapacity(ControlFileKind kind) =>
            kind == ControlFileKind.Procs ? (Processes.Count + 16) * 12 : kind == ControlFileKind.CpuStat ? 192 : 128;

        /// <summary>
        /// One write of <paramref name="text"/> to the file: 0, or -EINVAL (malformed), -EACCES (a file
        /// that is only read), -ESRCH or -EPERM (cgroup.procs: Cgroups/ControlGroupTree.cs Move).
        /// </summary>
        public static int Write(ControlGroup group, ControlFileKind kind, ReadOnlySpan<byte> text, Process writer)
        {
            if (!IsWritable(kind)) return -Errno.EACCES;
            long value;
            bool flags;
            switch (kind)
            {
                case ControlFileKind.Procs:
                    long pid = LimitValues.ParsePid(text);
                    if (pid < 0) return -Errno.EINVAL;
                    return ControlGroupTree.Move(writer, (int)pid, group);
                case ControlFileKind.PidsMax:
                    if (!LimitValues.TryParse(text, sizes: false, out value)) return -Errno.EINVAL;
                    if (value != ControlGroup.Unlimited && value > HighestTaskLimit) return -Errno.EINVAL;
                    // One aligned store: a fork reading it under the scheduler's lock sees the old or the new limit.
                    group.MaximumTasks = value;
                    return 0;
                case ControlFileKind.MemoryMax:
                    if (!LimitValues.TryParse(text, sizes: true, out value)) return -Errno.EINVAL;
                    // In frames, rounded down (Linux rounds a byte limit down to pages too). Lowering it
                    // under what the group has takes nothing away: its next allocation is refused.
                    flags = MemoryCharge.Lock.Acquire();
                    group.MaximumFrames = value == ControlGroup.Unlimited ? value : value / (long)FrameAllocator.FrameSize;
                    MemoryCharge.Lock.Release(flags);
                    return 0;
                case ControlFileKind.CpuMax:
                    long quota = group.Bandwidth.QuotaUsec, period = group.Bandwidth.PeriodUsec;
                    if (!LimitValues.TryParseCpuMax(text, ref quota, ref period)) return -Errno.EINVAL;
                    if (period < ShortestCpuPeriodUsec || period > LongestCpuPeriodUsec) return -Errno.EINVAL;
                    if (quota != ControlGroup.Unlimited && (quota < SmallestCpuQuotaUsec || quota > LargestCpuQuotaUsec)) return -Errno.EINVAL;
                    // Under the scheduler's lock, which charges and reads the budget at every tick.
                    flags = Scheduler.ThreadStateLock.Acquire();
                    group.Bandwidth.SetLimitLocked(quota, period, CpuBandwidth.NowUsec);
                    Scheduler.ThreadStateLock.Release(flags);
                    return 0;
                case ControlFileKind.CpuSetCpus:
                    return CpuSets.Set(group, text);
                case ControlFileKind.IoMax:
                    return IoControlFiles.WriteMax(group.Io, text);
                case ControlFileKind.SubtreeControl:
                    if (!Controllers.TryParseChanges(text, out int enable, out int disable)) return -Errno.EINVAL;
                    return ControlGroupTree.ChangeSubtreeControl(group, enable, disable);
                case ControlFileKind.CpuWeight:
                    // A plain number ("max" and sizes mean nothing here), 1 to 10000 as on Linux.
                    if (!LimitValues.TryParse(text, sizes: false, out value) || value < CpuShare.LowestWeight || value > CpuShare.HighestWeight)
                        return -Errno.EINVAL;
                    group.Share.Weight = (int)value;    // one aligned store, read by the tick
                    return 0;
                default:
                    return -Errno.EACCES;
            }
        }

        private static int Line(Span<byte> buffer, int length) => LimitValues.AppendText(buffer, length, "\n");
    }
}
