namespace TeachOS.Tools.SchedTrace;

/// <summary>How much CPU time one thread got. <see cref="Share"/> is a fraction (0..1) of all observed CPU time.</summary>
public sealed record ThreadStats(ThreadInfo Thread, long Ticks, int Runs, double Share);

/// <summary>How busy one CPU was: ticks spent in non-idle threads out of the ticks we observed it.</summary>
public sealed record CpuStats(int Cpu, long ObservedTicks, long BusyTicks)
{
    /// <summary>Null when the CPU never switched, so nothing is known about it.</summary>
    public double? BusyShare => ObservedTicks > 0 ? (double)BusyTicks / ObservedTicks : null;
}

public sealed record ReasonCount(string Reason, int Count);

/// <summary>
/// Numbers derived from a <see cref="Timeline"/>. "Observed" time of a CPU runs from its first switch
/// to the end of the trace; a thread's share is its ticks divided by the observed time of all CPUs
/// together, so the shares of all threads (idle ones included) add up to 100%.
/// </summary>
public sealed class TraceStatistics
{
    public required IReadOnlyList<ThreadStats> Threads { get; init; }
    public required IReadOnlyList<CpuStats> Cpus { get; init; }
    public required IReadOnlyList<ReasonCount> Reasons { get; init; }
    public required long TotalObservedTicks { get; init; }

    public static TraceStatistics Compute(Timeline timeline)
    {
        var intervals = timeline.Cpus.SelectMany(c => c.Intervals).ToList();
        var cpus = timeline.Cpus.Select(lane => ForCpu(lane, timeline)).ToList();
        long total = cpus.Sum(c => c.ObservedTicks);

        var threads = timeline.Threads.Select(thread =>
        {
            var own = intervals.Where(i => i.Tid == thread.Tid).ToList();
            long ticks = own.Sum(i => i.Ticks);
            return new ThreadStats(thread, ticks, own.Count, total > 0 ? (double)ticks / total : 0);
        }).ToList();

        var reasons = timeline.Switches
            .GroupBy(s => s.Reason)
            .Select(g => new ReasonCount(g.Key, g.Count()));

        return new TraceStatistics
        {
            Threads = threads,
            Cpus = cpus,
            Reasons = SwitchReasons.InDisplayOrder(reasons, r => r.Reason).ToList(),
            TotalObservedTicks = total,
        };
    }

    private static CpuStats ForCpu(CpuLane lane, Timeline timeline)
    {
        long observed = lane.FirstTick is { } first ? timeline.EndTick - first : 0;
        long busy = lane.Intervals.Where(i => !timeline.Thread(i.Tid).IsIdle).Sum(i => i.Ticks);
        return new CpuStats(lane.Id, observed, busy);
    }
}
