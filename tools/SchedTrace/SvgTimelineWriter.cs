using System.Globalization;

namespace TeachOS.Tools.SchedTrace;

/// <summary>
/// Draws a <see cref="Timeline"/> as an SVG 1.1 picture: title, warnings, one lane per CPU
/// (grouped by core when the topology is known), a time axis, and legends for threads and
/// switch reasons. Positions come from <see cref="TimelineLayout"/>; this class only draws.
/// Hovering over a bar or marker shows its details (SVG &lt;title&gt; tooltips).
/// </summary>
public sealed class SvgTimelineWriter
{
    private const string Font = "DejaVu Sans, Verdana, Helvetica, Arial, sans-serif";
    private const string Ink = "#1b1e23";       // main text
    private const string Muted = "#5f6670";     // secondary text
    private const string Grid = "#dde1e6";
    private const double NameCharWidth = 6.6;   // rough width of one 11 px character, to see if a name fits

    private readonly SvgCanvas svg = new();
    private readonly Timeline timeline;
    private readonly TraceStatistics stats;
    private readonly TimelineLayout layout;
    private readonly IReadOnlyDictionary<int, ThreadColour> colours;
    private readonly IReadOnlyList<string> warnings;
    private readonly string title;

    private SvgTimelineWriter(Timeline timeline, TraceStatistics stats, string title)
    {
        this.timeline = timeline;
        this.stats = stats;
        this.title = title;
        warnings = WarningsFor(timeline);
        colours = Palette.Assign(timeline.Threads);
        layout = TimelineLayout.Compute(timeline, warnings.Count, stats.Threads.Count, stats.Reasons.Count);
    }

    public static string Write(Timeline timeline, TraceStatistics stats, string title)
    {
        var writer = new SvgTimelineWriter(timeline, stats, title);
        writer.DrawAll();
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + writer.svg;
    }

    private TimeScale Scale => layout.Scale;

    private void DrawAll()
    {
        svg.Open("svg",
            ("xmlns", "http://www.w3.org/2000/svg"), ("version", "1.1"),
            ("width", layout.Width), ("height", layout.Height),
            ("viewBox", $"0 0 {SvgCanvas.Format(layout.Width)} {SvgCanvas.Format(layout.Height)}"),
            ("font-family", Font), ("font-size", 12), ("fill", Ink));
        svg.Tooltip($"Scheduler timeline: {title}");
        svg.Element("rect", ("width", "100%"), ("height", "100%"), ("fill", "#ffffff"));

        DrawHeader();
        DrawWarnings();
        DrawCoreBands();
        DrawLaneBackgrounds();
        DrawGridlines();
        DrawIntervals();
        DrawMarkers();
        DrawEmptyNotes();
        DrawAxis();
        DrawThreadLegend();
        DrawReasonLegend();

        svg.Close("svg");
    }

    private void DrawHeader()
    {
        svg.Text("text", title, ("x", 20), ("y", 34), ("font-size", 20), ("font-weight", "bold"));
        svg.Text("text", Subtitle(), ("x", 20), ("y", 56), ("fill", Muted));
    }

    private string Subtitle()
    {
        BeginEvent begin = timeline.Begin;
        var parts = new List<string>
        {
            "scheduler trace",
            Plural(begin.Cpus, "CPU"),
            $"{begin.Hz} Hz (1 tick = {Ms(1)} ms)",
        };
        if (begin.QuantumTicks is { } quantum)
            parts.Add($"quantum {Plural(quantum, "tick")}");
        parts.Add($"ticks {timeline.StartTick}\u2013{timeline.EndTick}");
        parts.Add(Plural(timeline.Switches.Count, "switch", "switches"));
        return string.Join(" \u00b7 ", parts);
    }

    /// <summary>Problems the reader must know about before trusting the picture.</summary>
    private static List<string> WarningsFor(Timeline timeline)
    {
        var list = new List<string>();
        if (timeline.DroppedEvents > 0)
            list.Add($"Warning: the kernel dropped {Plural(timeline.DroppedEvents, "event")} (trace buffer overflow), so parts of this timeline are missing or wrong.");
        if (timeline.Inconsistencies.Count > 0)
            list.Add($"Warning: {Plural(timeline.Inconsistencies.Count, "switch", "switches")} did not start from the thread that was running (events lost?).");
        if (timeline.MalformedLines > 0)
            list.Add($"Note: {Plural(timeline.MalformedLines, "malformed sched-trace line")} skipped (details on the tool's stderr).");
        return list;
    }

    private void DrawWarnings()
    {
        double y = layout.WarningsTop;
        foreach (string warning in warnings)
        {
            svg.Element("rect", ("x", 20), ("y", y), ("width", layout.Width - 40), ("height", TimelineLayout.WarningHeight),
                ("rx", 4), ("fill", "#fff4d6"), ("stroke", "#e0a800"));
            svg.Text("text", warning, ("x", 30), ("y", y + 16), ("fill", "#6b4e00"), ("font-weight", "bold"));
            y += TimelineLayout.WarningHeight + 6;
        }
    }

    /// <summary>A tinted band behind the lanes of each physical core, labelled at the left.</summary>
    private void DrawCoreBands()
    {
        if (layout.Bands.Count == 0)
            return;
        svg.Open("g", ("id", "cores"));
        foreach (CoreBand band in layout.Bands)
        {
            string label = $"core {band.Core}";
            svg.Open("g", ("class", "core"));
            svg.Tooltip(layout.ShowPackages ? $"package {band.Package}, {label}" : $"physical {label}");
            svg.Element("rect", ("x", 10), ("y", band.Top), ("width", layout.Width - 20), ("height", band.Bottom - band.Top),
                ("rx", 6), ("fill", "#eef1f6"), ("stroke", "#cfd6e0"));
            double middle = (band.Top + band.Bottom) / 2;
            svg.Text("text", label, ("x", 20), ("y", middle + (layout.ShowPackages ? -2 : 4)), ("font-weight", "bold"), ("fill", "#3d4756"));
            if (layout.ShowPackages)
                svg.Text("text", $"package {band.Package}", ("x", 20), ("y", middle + 12), ("font-size", 10), ("fill", Muted));
            svg.Close("g");
        }
        svg.Close("g");
    }

    /// <summary>Each lane: a light background (where nothing is drawn, nothing is known) and its "CPU n" label.</summary>
    private void DrawLaneBackgrounds()
    {
        svg.Open("g", ("id", "lanes"));
        foreach (LaneSlot lane in layout.Lanes)
        {
            svg.Element("rect", ("x", Scale.Left), ("y", lane.Top), ("width", Scale.Width), ("height", TimelineLayout.LaneHeight),
                ("fill", "#f6f7f9"), ("stroke", "#e3e6ea"), ("class", "lane"));
            DrawCpuLabel(lane);
        }
        svg.Close("g");
    }

    private void DrawCpuLabel(LaneSlot lane)
    {
        double x = layout.LeftMargin - 10;
        CpuTopology? topology = lane.Cpu.Topology;
        svg.Open("g", ("text-anchor", "end"));
        svg.Tooltip(topology is null
            ? $"logical CPU {lane.Cpu.Id}"
            : $"logical CPU {lane.Cpu.Id}: package {topology.Package}, core {topology.Core}, SMT thread {topology.Smt}");
        if (topology is null)
        {
            svg.Text("text", $"CPU {lane.Cpu.Id}", ("x", x), ("y", lane.Top + 17), ("font-weight", "bold"));
        }
        else
        {
            svg.Text("text", $"CPU {lane.Cpu.Id}", ("x", x), ("y", lane.Top + 12), ("font-weight", "bold"));
            svg.Text("text", $"smt {topology.Smt}", ("x", x), ("y", lane.Top + 24), ("font-size", 10), ("fill", Muted));
        }
        svg.Close("g");
    }

    private void DrawGridlines()
    {
        svg.Open("g", ("id", "grid"), ("stroke", Grid), ("stroke-width", 1));
        foreach (long tick in Scale.Gridlines())
        {
            double x = Scale.X(tick);
            svg.Element("line", ("x1", x), ("y1", layout.PlotTop), ("x2", x), ("y2", layout.AxisY));
        }
        svg.Close("g");
    }

    /// <summary>One coloured bar per interval, with the thread's name inside when it fits.</summary>
    private void DrawIntervals()
    {
        svg.Open("g", ("id", "intervals"));
        foreach (LaneSlot lane in layout.Lanes)
        {
            svg.Comment($"CPU {lane.Cpu.Id}");
            foreach (Interval interval in lane.Cpu.Intervals.Where(i => i.Ticks > 0))
                DrawInterval(interval, lane.Top);
        }
        svg.Close("g");
    }

    private void DrawInterval(Interval interval, double top)
    {
        ThreadInfo thread = timeline.Thread(interval.Tid);
        ThreadColour colour = colours[interval.Tid];
        double x = Scale.X(interval.Start);
        double width = Scale.X(interval.End) - x;
        // Leave a 1 px gap at the right end so back-to-back runs of the same thread stay distinguishable.
        double barWidth = width >= 3 ? width - 1 : Math.Max(width, 0.5);

        svg.Open("g", ("class", "interval"));
        svg.Tooltip(IntervalTooltip(interval, thread));
        svg.Element("rect", ("x", x), ("y", top), ("width", barWidth), ("height", TimelineLayout.LaneHeight), ("fill", colour.Fill));
        if (thread.Label.Length * NameCharWidth + 8 <= barWidth)
        {
            svg.Text("text", thread.Label, ("x", x + barWidth / 2), ("y", top + 17), ("font-size", 11),
                ("text-anchor", "middle"), ("fill", colour.Text));
        }
        svg.Close("g");
    }

    private string IntervalTooltip(Interval interval, ThreadInfo thread)
    {
        string ended = interval.EndedBy is { } end
            ? $"ended: {end.Reason}, switched to {timeline.Thread(end.To).Label}"
            : "still running when the trace ends";
        return $"{Describe(thread)} on CPU {interval.Cpu}\n" +
               $"ticks {interval.Start}\u2013{interval.End} ({Plural(interval.Ticks, "tick")} = {Ms(interval.Ticks)} ms)\n" +
               $"started: {interval.StartedBy.Reason}, after {timeline.Thread(interval.StartedBy.From).Label}\n" +
               ended;
    }

    /// <summary>A marker above the lane at every switch; its shape tells the reason.</summary>
    private void DrawMarkers()
    {
        svg.Open("g", ("id", "switch-markers"));
        foreach (LaneSlot lane in layout.Lanes)
        {
            double y = lane.Top - TimelineLayout.MarkerStrip / 2;
            foreach (SwitchEvent s in lane.Cpu.Switches)
            {
                svg.Open("g", ("class", "marker"));
                svg.Tooltip($"tick {s.Tick} on CPU {s.Cpu}: {timeline.Thread(s.From).Label} \u2192 {timeline.Thread(s.To).Label} ({s.Reason})");
                ReasonMarkers.Draw(svg, s.Reason, Scale.X(s.Tick), y);
                svg.Close("g");
            }
        }
        svg.Close("g");
    }

    /// <summary>Say so in words when there is nothing to draw, rather than leaving the reader guessing.</summary>
    private void DrawEmptyNotes()
    {
        if (timeline.Switches.Count == 0)
        {
            // In the first lane rather than the plot's middle, which may fall between two core bands.
            svg.Text("text", "no switch events", ("x", Scale.Left + Scale.Width / 2), ("y", layout.Lanes[0].Top + 19),
                ("font-size", 15), ("text-anchor", "middle"), ("fill", Muted), ("font-style", "italic"));
            return;
        }
        foreach (LaneSlot lane in layout.Lanes.Where(l => l.Cpu.Switches.Count == 0))
        {
            svg.Text("text", "no switches on this CPU", ("x", Scale.Left + 8), ("y", lane.Top + 17),
                ("fill", Muted), ("font-style", "italic"));
        }
    }

    /// <summary>The time axis: tick numbers, and the same instants in milliseconds below them.</summary>
    private void DrawAxis()
    {
        double y = layout.AxisY;
        svg.Open("g", ("id", "axis"));
        svg.Element("line", ("x1", Scale.Left), ("y1", y), ("x2", Scale.Right), ("y2", y), ("stroke", "#8a929c"));
        // Captions sit far enough left that the first label, centred on the axis start, cannot touch them.
        int firstLabel = Math.Max(Scale.AxisStart.ToString(CultureInfo.InvariantCulture).Length, Ms(Scale.AxisStart).Length);
        double caption = Scale.Left - firstLabel * TimeScale.LabelCharWidth / 2 - 8;
        svg.Text("text", "tick", ("x", caption), ("y", y + 19), ("text-anchor", "end"), ("font-weight", "bold"));
        svg.Text("text", "ms", ("x", caption), ("y", y + 34), ("text-anchor", "end"), ("fill", Muted));
        foreach (long tick in Scale.Gridlines())
        {
            double x = Scale.X(tick);
            svg.Element("line", ("x1", x), ("y1", y), ("x2", x), ("y2", y + 5), ("stroke", "#8a929c"));
            svg.Text("text", tick.ToString(CultureInfo.InvariantCulture), ("x", x), ("y", y + 19), ("text-anchor", "middle"));
            svg.Text("text", Ms(tick), ("x", x), ("y", y + 34), ("text-anchor", "middle"), ("fill", Muted), ("font-size", 11));
        }
        svg.Close("g");
    }

    // Column positions of the thread legend, relative to its left edge.
    private const double ColName = 20, ColTid = 230, ColPid = 275, ColTicks = 345, ColShare = 408, ColBar = 416, BarWidth = 70, ColRuns = 535;
    private const double LegendLeft = 20, ReasonLegendLeft = 600;

    /// <summary>The threads table: colour, name, tid, pid, ticks run, share of CPU time (with a bar), runs.</summary>
    private void DrawThreadLegend()
    {
        double x0 = LegendLeft;
        double y = layout.LegendTop;
        svg.Open("g", ("id", "thread-legend"));
        svg.Text("text", "Threads", ("x", x0), ("y", y), ("font-size", 14), ("font-weight", "bold"));
        y += 22;
        svg.Open("g", ("fill", Muted), ("font-size", 11));
        svg.Text("text", "thread", ("x", x0 + ColName), ("y", y));
        RightText("tid", x0 + ColTid, y);
        RightText("pid", x0 + ColPid, y);
        RightText("ticks", x0 + ColTicks, y);
        svg.Text("text", "share of CPU time", ("x", x0 + ColShare - 56), ("y", y));
        RightText("runs", x0 + ColRuns, y);
        svg.Close("g");

        foreach (ThreadStats thread in stats.Threads)
        {
            y += TimelineLayout.LegendRowHeight;
            DrawThreadRow(thread, x0, y);
        }
        if (stats.Threads.Count == 0)
            svg.Text("text", "none", ("x", x0 + ColName), ("y", y + TimelineLayout.LegendRowHeight), ("fill", Muted), ("font-style", "italic"));
        svg.Close("g");
    }

    private void DrawThreadRow(ThreadStats row, double x0, double y)
    {
        ThreadInfo thread = row.Thread;
        string colour = colours[thread.Tid].Fill;
        svg.Open("g");
        svg.Tooltip($"{Describe(thread)}: ran {Plural(row.Ticks, "tick")} ({Ms(row.Ticks)} ms) in {Plural(row.Runs, "run")}, {Percent(row.Share)} of all CPU time");
        svg.Element("rect", ("x", x0), ("y", y - 10), ("width", 12), ("height", 12), ("rx", 2), ("fill", colour));
        svg.Text("text", Shorten(thread.Label, 26), ("x", x0 + ColName), ("y", y), ("fill", thread.IsIdle ? Muted : null));
        RightText(thread.Tid.ToString(CultureInfo.InvariantCulture), x0 + ColTid, y);
        RightText(thread.Pid?.ToString(CultureInfo.InvariantCulture) ?? "\u2013", x0 + ColPid, y);
        RightText(row.Ticks.ToString(CultureInfo.InvariantCulture), x0 + ColTicks, y);
        RightText(Percent(row.Share), x0 + ColShare, y);
        svg.Element("rect", ("x", x0 + ColBar), ("y", y - 8), ("width", BarWidth), ("height", 8), ("fill", "#eceef1"));
        if (row.Share > 0)
            svg.Element("rect", ("x", x0 + ColBar), ("y", y - 8), ("width", Math.Max(BarWidth * row.Share, 1)), ("height", 8), ("fill", colour));
        RightText(row.Runs.ToString(CultureInfo.InvariantCulture), x0 + ColRuns, y);
        svg.Close("g");
    }

    /// <summary>The reasons table: marker, reason, how many switches had it, and what it means.</summary>
    private void DrawReasonLegend()
    {
        double x0 = ReasonLegendLeft;
        double y = layout.LegendTop;
        svg.Open("g", ("id", "reason-legend"));
        svg.Text("text", "Switch reasons", ("x", x0), ("y", y), ("font-size", 14), ("font-weight", "bold"));
        y += 22;
        svg.Open("g", ("fill", Muted), ("font-size", 11));
        svg.Text("text", "reason", ("x", x0 + 18), ("y", y));
        RightText("switches", x0 + 140, y);
        svg.Text("text", "meaning", ("x", x0 + 152), ("y", y));
        svg.Close("g");

        foreach (ReasonCount reason in stats.Reasons)
        {
            y += TimelineLayout.LegendRowHeight;
            ReasonMarkers.Draw(svg, reason.Reason, x0 + 5, y - 4);
            svg.Text("text", Shorten(reason.Reason, 14), ("x", x0 + 18), ("y", y));
            RightText(reason.Count.ToString(CultureInfo.InvariantCulture), x0 + 140, y);
            svg.Text("text", SwitchReasons.Meaning(reason.Reason), ("x", x0 + 152), ("y", y), ("fill", Muted), ("font-size", 11));
        }
        if (stats.Reasons.Count == 0)
            svg.Text("text", "none", ("x", x0 + 18), ("y", y + TimelineLayout.LegendRowHeight), ("fill", Muted), ("font-style", "italic"));
        svg.Close("g");
    }

    private void RightText(string text, double x, double y) =>
        svg.Text("text", text, ("x", x), ("y", y), ("text-anchor", "end"));

    private static string Describe(ThreadInfo thread) =>
        thread.Name is null
            ? thread.Label
            : $"{thread.Name} (tid {thread.Tid}{(thread.Pid is { } pid ? $", pid {pid}" : "")})";

    private string Ms(long ticks) => TextSummary.Milliseconds(ticks, timeline.Begin.Hz);

    private static string Percent(double share) => TextSummary.Percent(share);

    private static string Plural(long count, string one, string? many = null) => TextSummary.Plural(count, one, many);

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "\u2026";
}
