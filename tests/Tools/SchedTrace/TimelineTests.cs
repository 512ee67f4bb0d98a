using TeachOS.Tools.SchedTrace;
using Xunit;

namespace TeachOS.Tests.Tools.SchedTrace;

public class TimelineTests
{
    private static (int Tid, long Start, long End)[] Runs(Timeline timeline, int cpu) =>
        timeline.Cpus[cpu].Intervals.Select(i => (i.Tid, i.Start, i.End)).ToArray();

    [Fact]
    public void BuildsIntervalsPerCpu()
    {
        var timeline = Traces.Timeline(Traces.TwoCpus);

        Assert.Equal(2, timeline.Cpus.Count);
        Assert.Equal([(2, 10L, 20L), (3, 20L, 30L), (0, 30L, 40L)], Runs(timeline, 0));
        Assert.Equal([(1, 15L, 40L), (2, 40L, 40L)], Runs(timeline, 1));
    }

    [Fact]
    public void IntervalsRememberTheSwitchesAroundThem()
    {
        var timeline = Traces.Timeline(Traces.TwoCpus);
        Interval second = timeline.Cpus[0].Intervals[1];

        Assert.Equal("blocked", second.StartedBy.Reason);
        Assert.Equal("exited", second.EndedBy!.Reason);
        Assert.Null(timeline.Cpus[0].Intervals[^1].EndedBy);
    }

    [Fact]
    public void SortsSwitchesByTickWhateverTheLogOrder()
    {
        var timeline = Traces.Timeline("""
            sched-trace begin cpus=2 hz=100
            sched-trace switch tick=30 cpu=0 from=5 to=6 reason=quantum
            sched-trace switch tick=12 cpu=1 from=1 to=7 reason=start
            sched-trace switch tick=10 cpu=0 from=0 to=5 reason=start
            sched-trace switch tick=20 cpu=0 from=6 to=5 reason=quantum
            sched-trace switch tick=20 cpu=0 from=5 to=6 reason=quantum
            """);

        Assert.Equal([10L, 12L, 20L, 20L, 30L], timeline.Switches.Select(s => s.Tick));
        // Equal ticks keep their log order: line 5 (6 to 5) before line 6 (5 to 6).
        Assert.Equal([(5, 10L, 20L), (5, 20L, 20L), (6, 20L, 30L), (6, 30L, 30L)], Runs(timeline, 0));
    }

    [Fact]
    public void TheLastIntervalOfEveryCpuEndsAtTheLargestTick()
    {
        var timeline = Traces.Timeline("""
            sched-trace begin cpus=3 hz=100
            sched-trace switch tick=5 cpu=0 from=0 to=3 reason=start
            sched-trace switch tick=8 cpu=1 from=1 to=4 reason=start
            sched-trace switch tick=50 cpu=2 from=2 to=5 reason=start
            sched-trace switch tick=70 cpu=2 from=5 to=2 reason=exited
            """);

        Assert.Equal(70, timeline.EndTick);
        Assert.All(timeline.Cpus, cpu => Assert.Equal(70, cpu.Intervals[^1].End));
    }

    [Fact]
    public void AnEndLineWithATickExtendsTheTrace()
    {
        var timeline = Traces.Timeline("""
            sched-trace begin cpus=1 hz=100
            sched-trace switch tick=5 cpu=0 from=0 to=3 reason=start
            sched-trace end dropped=0 tick=90
            """);

        Assert.Equal(90, timeline.EndTick);
        Assert.Equal([(3, 5L, 90L)], Runs(timeline, 0));
    }

    [Fact]
    public void NothingIsKnownBeforeTheFirstSwitchOfACpu()
    {
        var timeline = Traces.Timeline(Traces.TwoCpus);

        // CPU 1 switches first at tick 15: no interval may start before it, even though CPU 0 starts at 10.
        Assert.Equal(15, timeline.Cpus[1].FirstTick);
        Assert.Equal(15, timeline.Cpus[1].Intervals[0].Start);
        Assert.Equal(10, timeline.StartTick);
        // The thread that was running before the first switch (from=1) gets no interval for it.
        Assert.DoesNotContain(timeline.Cpus[1].Intervals, i => i.Start < 15);
    }

    [Fact]
    public void ACpuWithoutSwitchesHasNoIntervals()
    {
        var timeline = Traces.Timeline("""
            sched-trace begin cpus=2 hz=100
            sched-trace switch tick=5 cpu=0 from=0 to=3 reason=start
            """);

        Assert.Empty(timeline.Cpus[1].Intervals);
        Assert.Null(timeline.Cpus[1].FirstTick);
    }

    [Fact]
    public void NamesThreadsAndFallsBackToTheirTid()
    {
        var timeline = Traces.Timeline(Traces.TwoCpus + "\nsched-trace switch tick=50 cpu=0 from=0 to=9 reason=woken\n");

        Assert.Equal([0, 1, 2, 3, 9], timeline.Threads.Select(t => t.Tid));
        Assert.Equal("shell", timeline.Thread(2).Label);
        Assert.Equal(1, timeline.Thread(2).Pid);
        Assert.Equal("tid 9", timeline.Thread(9).Label);
    }

    [Theory]
    [InlineData("idle", true)]
    [InlineData("idle0", true)]
    [InlineData("idle12", true)]
    [InlineData("idler", false)]
    [InlineData("shell", false)]
    public void RecognisesIdleThreadsByName(string name, bool idle)
    {
        Assert.Equal(idle, new ThreadInfo(0, null, name).IsIdle);
    }

    [Fact]
    public void ReadsTheTopologyOfEachCpu()
    {
        var timeline = Traces.Timeline("""
            sched-trace begin cpus=3 hz=100
            sched-trace cpu id=0 core=0 package=0 smt=0
            sched-trace cpu id=1 core=0 package=0 smt=1
            """);

        Assert.True(timeline.HasTopology);
        Assert.Equal(new CpuTopology(Package: 0, Core: 0, Smt: 1), timeline.Cpus[1].Topology);
        Assert.Null(timeline.Cpus[2].Topology);
    }

    [Fact]
    public void ReportsSwitchesThatDoNotContinueTheRunningThread()
    {
        var timeline = Traces.Timeline("""
            sched-trace begin cpus=1 hz=100
            sched-trace switch tick=5 cpu=0 from=0 to=3 reason=start
            sched-trace switch tick=9 cpu=0 from=4 to=0 reason=blocked
            """);

        TraceWarning warning = Assert.Single(timeline.Inconsistencies);
        Assert.Equal(3, warning.Line);
        // The picture still trusts the event: tid 3 ran until the switch.
        Assert.Equal([(3, 5L, 9L), (0, 9L, 9L)], Runs(timeline, 0));
    }

    [Fact]
    public void CarriesDroppedAndMalformedCounts()
    {
        var timeline = Traces.Timeline("""
            sched-trace begin cpus=1 hz=100
            sched-trace switch tick=oops
            sched-trace end dropped=12
            """);

        Assert.Equal(12, timeline.DroppedEvents);
        Assert.Equal(1, timeline.MalformedLines);
    }

    [Fact]
    public void ATraceWithoutBeginIsAnError()
    {
        var trace = Traces.Parse("sched-trace switch tick=5 cpu=0 from=0 to=3 reason=start\n");

        var error = Assert.Throws<TraceFormatException>(() => Timeline.Build(trace));
        Assert.Contains("begin", error.Message);
    }
}
