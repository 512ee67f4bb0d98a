namespace TeachOS.Tools.SchedTrace;

/// <summary>What we know about a thread id: the <c>thread</c> line's data, if there was one.</summary>
public sealed record ThreadInfo(int Tid, int? Pid, string? Name)
{
    /// <summary>How the thread is labelled in the picture: its name, or "tid N" if it has none.</summary>
    public string Label => Name ?? $"tid {Tid}";

    /// <summary>Idle threads are drawn in grey so that real work stands out.</summary>
    public bool IsIdle => Name is not null && IsIdleName(Name);

    /// <summary>"idle", or "idle" followed by the CPU number ("idle0", "idle1", ...).</summary>
    public static bool IsIdleName(string name) =>
        name.StartsWith("idle", StringComparison.Ordinal) && name[4..].All(char.IsAsciiDigit);
}

/// <summary>Where a logical CPU sits: which package (socket), which core, which SMT thread of it.</summary>
public sealed record CpuTopology(int Package, int Core, int Smt);

/// <summary>
/// A stretch of time [Start, End) during which one thread ran on one CPU. It begins with the switch
/// <see cref="StartedBy"/> and ends with <see cref="EndedBy"/>, or with the end of the trace (null).
/// </summary>
public sealed record Interval(int Cpu, int Tid, long Start, long End, SwitchEvent StartedBy, SwitchEvent? EndedBy)
{
    public long Ticks => End - Start;
}

/// <summary>One logical CPU: its switches in time order and the intervals between them.</summary>
public sealed record CpuLane(int Id, CpuTopology? Topology, IReadOnlyList<SwitchEvent> Switches, IReadOnlyList<Interval> Intervals)
{
    /// <summary>
    /// The tick from which we know what the CPU was doing: its first switch. Before that the
    /// running thread is unknown (the trace may have started in the middle of a time slice).
    /// </summary>
    public long? FirstTick => Switches.Count > 0 ? Switches[0].Tick : null;
}

/// <summary>
/// The trace turned into a picture-ready model: for every CPU, which thread ran when.
/// Built from <see cref="ParsedTrace"/> by <see cref="Build"/>; holds no drawing code.
/// </summary>
public sealed class Timeline
{
    public required BeginEvent Begin { get; init; }
    /// <summary>Indexed by CPU id: Cpus[n].Id == n.</summary>
    public required IReadOnlyList<CpuLane> Cpus { get; init; }
    /// <summary>Every thread that appears in a switch, ordered by tid.</summary>
    public required IReadOnlyList<ThreadInfo> Threads { get; init; }
    /// <summary>All switches, ordered by tick (then CPU, then log line).</summary>
    public required IReadOnlyList<SwitchEvent> Switches { get; init; }
    /// <summary>First switch tick (0 when there are none).</summary>
    public required long StartTick { get; init; }
    /// <summary>Where the last interval of every CPU ends: the largest tick in the trace.</summary>
    public required long EndTick { get; init; }
    /// <summary>Events the kernel lost because its ring buffer overflowed.</summary>
    public required long DroppedEvents { get; init; }
    /// <summary>"sched-trace" lines the parser skipped.</summary>
    public required int MalformedLines { get; init; }
    /// <summary>Switches whose from= disagrees with the thread we thought was running (lost events?).</summary>
    public required IReadOnlyList<TraceWarning> Inconsistencies { get; init; }

    public bool HasTopology => Cpus.Any(c => c.Topology is not null);

    /// <summary>The thread with this tid; every tid in <see cref="Switches"/> has one.</summary>
    public ThreadInfo Thread(int tid)
    {
        threadsByTid ??= Threads.ToDictionary(t => t.Tid);
        return threadsByTid[tid];
    }

    private Dictionary<int, ThreadInfo>? threadsByTid;

    public static Timeline Build(ParsedTrace trace)
    {
        BeginEvent begin = trace.Begin ?? throw new TraceFormatException(
            "no 'sched-trace begin' line found: is this the serial log of a kernel that dumps its scheduler trace?");

        long endTick = LastTick(trace);
        var inconsistencies = new List<TraceWarning>();
        var topology = TopologyById(trace.Cpus);
        var lanes = new List<CpuLane>();
        for (int cpu = 0; cpu < begin.Cpus; cpu++)
        {
            // OrderBy is stable: switches with equal ticks keep their log order.
            var switches = trace.Switches.Where(s => s.Cpu == cpu).OrderBy(s => s.Tick).ToList();
            var intervals = BuildIntervals(cpu, switches, endTick, inconsistencies);
            lanes.Add(new CpuLane(cpu, topology.GetValueOrDefault(cpu), switches, intervals));
        }

        var allSwitches = trace.Switches.OrderBy(s => s.Tick).ThenBy(s => s.Cpu).ThenBy(s => s.Line).ToList();
        return new Timeline
        {
            Begin = begin,
            Cpus = lanes,
            Threads = ThreadsSeen(allSwitches, trace.Threads),
            Switches = allSwitches,
            StartTick = allSwitches.Count > 0 ? allSwitches[0].Tick : 0,
            EndTick = endTick,
            DroppedEvents = trace.End?.Dropped ?? 0,
            MalformedLines = trace.MalformedLines,
            Inconsistencies = inconsistencies.OrderBy(w => w.Line).ToList(),
        };
    }

    /// <summary>
    /// Cuts one CPU's time into intervals: each switch ends the current interval and starts the
    /// next. Nothing is drawn before the first switch because we do not know who ran then.
    /// </summary>
    private static List<Interval> BuildIntervals(int cpu, List<SwitchEvent> switches, long endTick, List<TraceWarning> inconsistencies)
    {
        var intervals = new List<Interval>();
        for (int i = 0; i < switches.Count; i++)
        {
            SwitchEvent start = switches[i];
            SwitchEvent? next = i + 1 < switches.Count ? switches[i + 1] : null;
            if (next is not null && next.From != start.To)
            {
                inconsistencies.Add(new TraceWarning(next.Line,
                    $"CPU {cpu} was running tid {start.To} since tick {start.Tick}, but this switch says from={next.From} (events lost?)"));
            }
            intervals.Add(new Interval(cpu, start.To, start.Tick, next?.Tick ?? endTick, start, next));
        }
        return intervals;
    }

    /// <summary>The end of the trace: the largest tick of any switch, or the 'end' line's tick if later.</summary>
    private static long LastTick(ParsedTrace trace)
    {
        long last = trace.Switches.Count > 0 ? trace.Switches.Max(s => s.Tick) : 0;
        return Math.Max(last, trace.End?.Tick ?? 0);
    }

    /// <summary>The 'cpu' lines by CPU id; a later line for the same id replaces an earlier one.</summary>
    private static Dictionary<int, CpuTopology> TopologyById(IReadOnlyList<CpuEvent> cpus)
    {
        var byId = new Dictionary<int, CpuTopology>();
        foreach (CpuEvent c in cpus)
            byId[c.Id] = new CpuTopology(c.Package, c.Core, c.Smt);
        return byId;
    }

    /// <summary>
    /// Every tid named in a switch, with its 'thread' line data if any. A thread renamed later
    /// in the log (after exec, say) keeps its last name.
    /// </summary>
    private static List<ThreadInfo> ThreadsSeen(List<SwitchEvent> switches, IReadOnlyList<ThreadEvent> threadLines)
    {
        var named = new Dictionary<int, ThreadEvent>();
        foreach (ThreadEvent t in threadLines)
            named[t.Tid] = t;

        return switches.SelectMany(s => new[] { s.From, s.To })
            .Distinct()
            .Order()
            .Select(tid => named.TryGetValue(tid, out ThreadEvent? t)
                ? new ThreadInfo(tid, t.Pid, t.Name)
                : new ThreadInfo(tid, null, null))
            .ToList();
    }
}
