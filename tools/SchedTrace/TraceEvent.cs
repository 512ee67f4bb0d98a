namespace TeachOS.Tools.SchedTrace;

// One record per kind of "sched-trace" line. Each remembers the line it came from so that
// warnings can point the reader back into the serial log.

/// <summary>Base of all trace records; <see cref="Line"/> is the 1-based line number in the log.</summary>
public abstract record TraceEvent(int Line);

/// <summary><c>sched-trace begin cpus=2 hz=1000 quantum-ticks=10</c>: what the trace is about.</summary>
public sealed record BeginEvent(int Line, int Cpus, int Hz, int? QuantumTicks) : TraceEvent(Line);

/// <summary><c>sched-trace cpu id=1 core=0 package=0 smt=1</c>: where logical CPU <c>id</c> sits.</summary>
public sealed record CpuEvent(int Line, int Id, int Core, int Package, int Smt) : TraceEvent(Line);

/// <summary><c>sched-trace thread tid=3 pid=2 name=spin-a</c>: a name for a thread id.</summary>
public sealed record ThreadEvent(int Line, int Tid, int? Pid, string? Name) : TraceEvent(Line);

/// <summary>
/// <c>sched-trace switch tick=120 cpu=0 from=1 to=3 reason=quantum</c>: at <c>tick</c> the CPU stopped
/// running <c>from</c> and started running <c>to</c>. <c>reason</c> is kept as text because the
/// kernel may add reasons this tool does not know yet.
/// </summary>
public sealed record SwitchEvent(int Line, long Tick, int Cpu, int From, int To, string Reason) : TraceEvent(Line);

/// <summary>
/// <c>sched-trace end dropped=0 events=57</c>: the dump is complete. <c>dropped</c> counts events
/// the kernel's ring buffer had to overwrite; <c>tick</c> (optional) is when recording stopped.
/// </summary>
public sealed record EndEvent(int Line, long Dropped, long? Events, long? Tick) : TraceEvent(Line);

/// <summary>A line that was skipped, and why.</summary>
public sealed record TraceWarning(int Line, string Message)
{
    public override string ToString() => $"line {Line}: {Message}";
}
