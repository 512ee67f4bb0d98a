using System.Globalization;

namespace TeachOS.Tools.SchedTrace;

/// <summary>
/// The one-paragraph text version of the picture, for the terminal: how busy each CPU was,
/// how much each thread ran, and why the scheduler switched.
/// </summary>
public static class TextSummary
{
    public static string Write(Timeline timeline, TraceStatistics stats, string title)
    {
        var sentences = new List<string>
        {
            $"{title}: {Plural(timeline.Begin.Cpus, "CPU")} at {timeline.Begin.Hz} Hz, " +
            $"ticks {timeline.StartTick}\u2013{timeline.EndTick} ({Milliseconds(timeline.EndTick - timeline.StartTick, timeline.Begin.Hz)} ms), " +
            $"{Plural(timeline.Switches.Count, "switch", "switches")}.",
        };
        if (timeline.Switches.Count > 0)
        {
            sentences.Add("Busy (non-idle): " + string.Join(", ", stats.Cpus.Select(CpuBusy)) + ".");
            sentences.Add("Threads: " + string.Join("; ", stats.Threads.Select(ThreadLine)) + ".");
            sentences.Add("Switches by reason: " + string.Join(", ", stats.Reasons.Select(r => $"{r.Reason} {r.Count}")) + ".");
        }
        if (timeline.DroppedEvents > 0)
            sentences.Add($"The kernel dropped {Plural(timeline.DroppedEvents, "event")}.");
        if (timeline.Inconsistencies.Count > 0)
            sentences.Add($"{Plural(timeline.Inconsistencies.Count, "switch", "switches")} did not continue the running thread.");
        if (timeline.MalformedLines > 0)
            sentences.Add($"{Plural(timeline.MalformedLines, "malformed line")} skipped.");
        return string.Join(" ", sentences);
    }

    private static string CpuBusy(CpuStats cpu) =>
        cpu.BusyShare is { } share ? $"CPU {cpu.Cpu} {Percent(share)}" : $"CPU {cpu.Cpu} unknown";

    private static string ThreadLine(ThreadStats t) =>
        $"{(t.Thread.Name is null ? t.Thread.Label : $"{t.Thread.Name} (tid {t.Thread.Tid})")} {Plural(t.Ticks, "tick")} in {Plural(t.Runs, "run")}, {Percent(t.Share)}";

    // Formatting helpers shared with the SVG writer, so that both say the same thing the same way.

    /// <summary>Ticks to milliseconds at <paramref name="hz"/> ticks per second: "2.5".</summary>
    public static string Milliseconds(long ticks, int hz) =>
        (ticks * 1000.0 / hz).ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>A fraction as a percentage with one decimal: 0.4567 → "45.7%".</summary>
    public static string Percent(double share) =>
        (share * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    public static string Plural(long count, string one, string? many = null) =>
        count.ToString(CultureInfo.InvariantCulture) + " " + (count == 1 ? one : many ?? one + "s");
}
