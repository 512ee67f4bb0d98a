using TeachOS.Tools.SchedTrace;
using Xunit;

namespace TeachOS.Tests.Tools.SchedTrace;

public class TraceStatisticsTests
{
    private static TraceStatistics Stats(string trace) => TraceStatistics.Compute(Traces.Timeline(trace));

    [Fact]
    public void CountsTicksAndRunsPerThread()
    {
        var stats = Stats(Traces.TwoCpus);
        var byTid = stats.Threads.ToDictionary(t => t.Thread.Tid);

        // CPU 0: shell 10-20, spin 20-30, idle0 30-40.  CPU 1: idle1 15-40, shell 40-40.
        Assert.Equal(10, byTid[0].Ticks);
        Assert.Equal(25, byTid[1].Ticks);
        Assert.Equal(10, byTid[2].Ticks);
        Assert.Equal(10, byTid[3].Ticks);
        Assert.Equal(2, byTid[2].Runs);
        Assert.Equal(1, byTid[3].Runs);
    }

    [Fact]
    public void SharesAreFractionsOfAllObservedCpuTime()
    {
        var stats = Stats(Traces.TwoCpus);

        // Observed: CPU 0 from 10 to 40 (30 ticks) + CPU 1 from 15 to 40 (25 ticks).
        Assert.Equal(55, stats.TotalObservedTicks);
        Assert.Equal(10.0 / 55, stats.Threads.Single(t => t.Thread.Tid == 2).Share, precision: 10);
        Assert.Equal(1.0, stats.Threads.Sum(t => t.Share), precision: 10);
    }

    [Fact]
    public void BusyShareLeavesOutIdleThreads()
    {
        var stats = Stats(Traces.TwoCpus);

        Assert.Equal(new CpuStats(0, ObservedTicks: 30, BusyTicks: 20), stats.Cpus[0]);
        Assert.Equal(20.0 / 30, stats.Cpus[0].BusyShare!.Value, precision: 10);
        Assert.Equal(0.0, stats.Cpus[1].BusyShare!.Value, precision: 10);
    }

    [Fact]
    public void ACpuThatNeverSwitchedHasNoBusyShare()
    {
        var stats = Stats("""
            sched-trace begin cpus=2 hz=100
            sched-trace switch tick=5 cpu=0 from=0 to=3 reason=start
            sched-trace switch tick=9 cpu=0 from=3 to=0 reason=exited
            """);

        Assert.Null(stats.Cpus[1].BusyShare);
    }

    [Fact]
    public void CountsSwitchesByReasonKnownReasonsFirst()
    {
        var stats = Stats("""
            sched-trace begin cpus=1 hz=100
            sched-trace switch tick=1 cpu=0 from=0 to=1 reason=start
            sched-trace switch tick=2 cpu=0 from=1 to=2 reason=zzz
            sched-trace switch tick=3 cpu=0 from=2 to=1 reason=quantum
            sched-trace switch tick=4 cpu=0 from=1 to=2 reason=migrated
            sched-trace switch tick=5 cpu=0 from=2 to=1 reason=quantum
            """);

        Assert.Equal(
            [new ReasonCount("quantum", 2), new ReasonCount("start", 1), new ReasonCount("migrated", 1), new ReasonCount("zzz", 1)],
            stats.Reasons);
    }

    [Fact]
    public void NoSwitchesGiveZeroesNotDivisionByZero()
    {
        var stats = Stats("sched-trace begin cpus=1 hz=100\n");

        Assert.Equal(0, stats.TotalObservedTicks);
        Assert.Empty(stats.Threads);
        Assert.Empty(stats.Reasons);
    }
}
