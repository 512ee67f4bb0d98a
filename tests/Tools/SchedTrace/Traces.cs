using TeachOS.Tools.SchedTrace;

namespace TeachOS.Tests.Tools.SchedTrace;

/// <summary>Small hand-written traces and shortcuts shared by the SchedTrace tests.</summary>
internal static class Traces
{
    /// <summary>Two CPUs, three threads, a known ending; the numbers are easy to check by hand.</summary>
    public const string TwoCpus = """
        boot: hello
        sched-trace begin cpus=2 hz=100 quantum-ticks=10
        sched-trace thread tid=0 name=idle0
        sched-trace thread tid=1 name=idle1
        sched-trace thread tid=2 pid=1 name=shell
        sched-trace thread tid=3 pid=2 name=spin
        sched-trace switch tick=10 cpu=0 from=0 to=2 reason=start
        sched-trace switch tick=20 cpu=0 from=2 to=3 reason=blocked
        sched-trace switch tick=15 cpu=1 from=1 to=1 reason=start
        sched-trace switch tick=30 cpu=0 from=3 to=0 reason=exited
        sched-trace switch tick=40 cpu=1 from=1 to=2 reason=woken
        sched-trace end dropped=0 events=5
        """;

    public static ParsedTrace Parse(string text) => TraceParser.Parse(new StringReader(text));

    public static Timeline Timeline(string text) => TeachOS.Tools.SchedTrace.Timeline.Build(Parse(text));

    public static string Svg(string text, string title = "test") =>
        Svg(Timeline(text), title);

    public static string Svg(Timeline timeline, string title = "test") =>
        SvgTimelineWriter.Write(timeline, TraceStatistics.Compute(timeline), title);

    /// <summary>The repository's top folder, found from the test binary's location.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TeachOS.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("TeachOS.sln not found above " + AppContext.BaseDirectory);
    }
}
