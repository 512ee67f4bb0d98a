using System.Globalization;

namespace TeachOS.Tools.SchedTrace;

/// <summary>
/// Maps ticks to x coordinates. The axis is widened to whole multiples of <see cref="Step"/>
/// so that it starts and ends on a labelled gridline.
/// </summary>
public sealed record TimeScale(long AxisStart, long AxisEnd, long Step, double Left, double Width)
{
    /// <summary>Gridlines are at least this far apart, even when their labels are short.</summary>
    public const double MinLabelSpacing = 64;

    /// <summary>Rough width of one character of an axis label, to keep long labels from overlapping.</summary>
    public const double LabelCharWidth = 7.2;

    public double Right => Left + Width;

    public double X(long tick) => Left + (tick - AxisStart) * Width / (AxisEnd - AxisStart);

    public IEnumerable<long> Gridlines()
    {
        for (long tick = AxisStart; tick <= AxisEnd; tick += Step)
            yield return tick;
    }

    /// <summary>
    /// The smallest "nice" step (1, 2, 5, 10, 20, 50, ... ticks) whose labels do not collide;
    /// <paramref name="longestLabel"/> is the number of characters of the widest label.
    /// </summary>
    public static TimeScale Fit(long start, long end, double left, double width, int longestLabel)
    {
        double spacing = Math.Max(MinLabelSpacing, longestLabel * LabelCharWidth + 14);
        for (long magnitude = 1; ; magnitude *= 10)
        {
            foreach (long factor in new long[] { 1, 2, 5 })
            {
                long step = factor * magnitude;
                long axisStart = start / step * step;
                long axisEnd = Math.Max(CeilingToMultiple(end, step), axisStart + step);
                if (width / ((axisEnd - axisStart) / step) >= spacing)
                    return new TimeScale(axisStart, axisEnd, step, left, width);
            }
        }
    }

    private static long CeilingToMultiple(long value, long step) => (value + step - 1) / step * step;
}

/// <summary>Where one CPU's lane is drawn: its bar spans [Top, Top + LaneHeight].</summary>
public sealed record LaneSlot(CpuLane Cpu, double Top);

/// <summary>A background band around the lanes of one physical core.</summary>
public sealed record CoreBand(int Package, int Core, double Top, double Bottom);

/// <summary>
/// Decides where everything goes, before anything is drawn. Keeping the geometry here lets
/// the writer be a plain list of "draw this at that position".
/// </summary>
public sealed class TimelineLayout
{
    public const double MaxWidth = 1600;      // wide traces are compressed to this
    public const double MinWidth = 960;       // room for the two legends side by side
    public const double PixelsPerTick = 10;   // short traces get this much room per tick
    public const double RightMargin = 28;
    public const double LaneHeight = 26;
    public const double MarkerStrip = 14;     // space above each lane for the switch markers
    public const double LaneGap = 4;          // keeps a marker visibly closer to its own lane than to the one above
    public const double BandPadding = 4;
    public const double GroupGap = 10;
    public const double WarningHeight = 24;
    public const double LegendRowHeight = 19;

    public required double Width { get; init; }
    public required double Height { get; init; }
    public required double LeftMargin { get; init; }
    public required TimeScale Scale { get; init; }
    public required double WarningsTop { get; init; }
    public required double PlotTop { get; init; }
    public required double PlotBottom { get; init; }
    public required IReadOnlyList<LaneSlot> Lanes { get; init; }
    public required IReadOnlyList<CoreBand> Bands { get; init; }
    public required bool ShowPackages { get; init; }
    public required double AxisY { get; init; }
    public required double LegendTop { get; init; }

    public static TimelineLayout Compute(Timeline timeline, int warnings, int threadRows, int reasonRows)
    {
        bool grouped = timeline.HasTopology;
        double left = grouped ? 150 : 86;
        double plotWidth = Math.Clamp(
            Math.Max(timeline.EndTick - timeline.StartTick, 1) * PixelsPerTick,
            MinWidth - left - RightMargin,
            MaxWidth - left - RightMargin);

        double warningsTop = 70;
        double plotTop = warningsTop + warnings * (WarningHeight + 6) + 8;
        var (lanes, bands, plotBottom) = PlaceLanes(timeline, plotTop);
        double axisY = plotBottom + 6;
        double legendTop = axisY + 62;
        int legendRows = Math.Max(1, Math.Max(threadRows, reasonRows));
        return new TimelineLayout
        {
            Width = left + plotWidth + RightMargin,
            Height = legendTop + 24 + legendRows * LegendRowHeight + 20,
            LeftMargin = left,
            Scale = TimeScale.Fit(timeline.StartTick, timeline.EndTick, left, plotWidth, LongestAxisLabel(timeline)),
            WarningsTop = warningsTop,
            PlotTop = plotTop,
            PlotBottom = plotBottom,
            Lanes = lanes,
            Bands = bands,
            ShowPackages = timeline.Cpus.Select(c => c.Topology?.Package).OfType<int>().Distinct().Count() > 1,
            AxisY = axisY,
            LegendTop = legendTop,
        };
    }

    /// <summary>The axis labels get longer to the right; the ms label of the last tick (plus a step) is the widest.</summary>
    private static int LongestAxisLabel(Timeline timeline)
    {
        long last = timeline.EndTick * 2 + 1;   // generous: the axis may be rounded up past EndTick
        return Math.Max(last.ToString(CultureInfo.InvariantCulture).Length,
                        TextSummary.Milliseconds(last, timeline.Begin.Hz).Length);
    }

    /// <summary>
    /// Stacks the lanes top to bottom. With topology, CPUs of one core are put next to each other
    /// (ordered by package, core, SMT thread) inside a band; CPUs without a 'cpu' line follow, unbanded.
    /// </summary>
    private static (List<LaneSlot>, List<CoreBand>, double Bottom) PlaceLanes(Timeline timeline, double top)
    {
        var lanes = new List<LaneSlot>();
        var bands = new List<CoreBand>();
        double y = top;

        var cores = timeline.Cpus
            .Where(c => c.Topology is not null)
            .OrderBy(c => c.Topology!.Package).ThenBy(c => c.Topology!.Core).ThenBy(c => c.Topology!.Smt).ThenBy(c => c.Id)
            .GroupBy(c => (c.Topology!.Package, c.Topology!.Core));
        foreach (var core in cores)
        {
            double bandTop = y;
            y += BandPadding;
            foreach (CpuLane cpu in core)
                y = PlaceLane(lanes, cpu, y) + LaneGap;
            y += BandPadding - LaneGap;
            bands.Add(new CoreBand(core.Key.Package, core.Key.Core, bandTop, y));
            y += GroupGap;
        }

        foreach (CpuLane cpu in timeline.Cpus.Where(c => c.Topology is null))
            y = PlaceLane(lanes, cpu, y) + LaneGap;

        return (lanes, bands, y);
    }

    private static double PlaceLane(List<LaneSlot> lanes, CpuLane cpu, double y)
    {
        double laneTop = y + MarkerStrip;
        lanes.Add(new LaneSlot(cpu, laneTop));
        return laneTop + LaneHeight;
    }
}
