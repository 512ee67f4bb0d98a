using TeachOS.Tools.SchedTrace;
using Xunit;

namespace TeachOS.Tests.Tools.SchedTrace;

public class TraceParserTests
{
    [Fact]
    public void ReadsEveryKindOfRecord()
    {
        var trace = Traces.Parse("""
            sched-trace begin cpus=2 hz=1000 quantum-ticks=10
            sched-trace cpu id=1 core=0 package=0 smt=1
            sched-trace thread tid=3 pid=2 name=spin-a
            sched-trace switch tick=120 cpu=0 from=1 to=3 reason=quantum
            sched-trace end dropped=4 events=57
            """);

        Assert.Equal(new BeginEvent(1, Cpus: 2, Hz: 1000, QuantumTicks: 10), trace.Begin);
        Assert.Equal(new CpuEvent(2, Id: 1, Core: 0, Package: 0, Smt: 1), Assert.Single(trace.Cpus));
        Assert.Equal(new ThreadEvent(3, Tid: 3, Pid: 2, Name: "spin-a"), Assert.Single(trace.Threads));
        Assert.Equal(new SwitchEvent(4, Tick: 120, Cpu: 0, From: 1, To: 3, Reason: "quantum"), Assert.Single(trace.Switches));
        Assert.Equal(new EndEvent(5, Dropped: 4, Events: 57, Tick: null), trace.End);
        Assert.Empty(trace.Warnings);
    }

    [Fact]
    public void IgnoresLinesThatAreNotTraceLines()
    {
        var trace = Traces.Parse("""
            TeachOS booting
            sched-trace begin cpus=1 hz=100
            panic: not really
              sched-trace switch tick=1 cpu=0 from=0 to=1 reason=start
            sched-tracer switch tick=1 cpu=0 from=0 to=1 reason=start
            """);

        Assert.NotNull(trace.Begin);
        Assert.Empty(trace.Switches);
        Assert.Empty(trace.Warnings);
    }

    [Fact]
    public void KeyOrderDoesNotMatter()
    {
        var trace = Traces.Parse("""
            sched-trace begin hz=250 cpus=4
            sched-trace switch reason=yielded to=7 from=6 cpu=3 tick=99
            """);

        Assert.Equal(new BeginEvent(1, 4, 250, null), trace.Begin);
        Assert.Equal(new SwitchEvent(2, 99, 3, 6, 7, "yielded"), Assert.Single(trace.Switches));
    }

    [Fact]
    public void AcceptsCarriageReturnLineEndings()
    {
        var trace = Traces.Parse("sched-trace begin cpus=1 hz=100\r\nsched-trace thread tid=5 name=worker\r\nsched-trace end dropped=0\r\n");

        Assert.Equal(100, trace.Begin!.Hz);
        Assert.Equal("worker", Assert.Single(trace.Threads).Name);
        Assert.Equal(0, trace.End!.Dropped);
        Assert.Empty(trace.Warnings);
    }

    [Fact]
    public void IgnoresUnknownKeys()
    {
        var trace = Traces.Parse("""
            sched-trace begin cpus=1 hz=100 version=2
            sched-trace switch tick=5 cpu=0 from=0 to=1 reason=woken prio=3 queue=ready
            """);

        Assert.Equal("woken", Assert.Single(trace.Switches).Reason);
        Assert.Empty(trace.Warnings);
    }

    [Fact]
    public void KeepsUnknownReasonsAsText()
    {
        var trace = Traces.Parse("sched-trace switch tick=5 cpu=0 from=0 to=1 reason=migrated");

        Assert.Equal("migrated", Assert.Single(trace.Switches).Reason);
    }

    [Fact]
    public void OptionalFieldsMayBeMissing()
    {
        var trace = Traces.Parse("""
            sched-trace begin cpus=1 hz=100
            sched-trace thread tid=9
            sched-trace end
            """);

        Assert.Null(trace.Begin!.QuantumTicks);
        Assert.Equal(new ThreadEvent(2, 9, null, null), Assert.Single(trace.Threads));
        Assert.Equal(0, trace.End!.Dropped);
    }

    [Fact]
    public void SkipsAndCountsMalformedLinesWithTheirLineNumbers()
    {
        var trace = Traces.Parse("""
            sched-trace begin cpus=2 hz=100
            sched-trace switch tick=1 cpu=0 from=0 to=1
            sched-trace switch tick=-4 cpu=0 from=0 to=1 reason=start
            sched-trace switch tick=2 cpu=0 from=0 to=1 reason=start garbage
            sched-trace switch tick=3 cpu=0 cpu=1 from=0 to=1 reason=start
            sched-trace frobnicate x=1
            sched-trace thread pid=3 name=no-tid
            sched-trace switch tick=4 cpu=7 from=0 to=1 reason=start
            sched-trace begin cpus=0 hz=100
            sched-trace switch tick=5 cpu=1 from=0 to=1 reason=start
            """);

        Assert.Equal([2, 3, 4, 5, 6, 7, 8, 9], trace.Warnings.Select(w => w.Line));
        Assert.Equal(8, trace.MalformedLines);
        Assert.Contains("reason", trace.Warnings[0].Message);
        Assert.Contains("tick=-4", trace.Warnings[1].Message);
        Assert.Contains("garbage", trace.Warnings[2].Message);
        Assert.Contains("twice", trace.Warnings[3].Message);
        Assert.Contains("frobnicate", trace.Warnings[4].Message);
        Assert.Contains("tid", trace.Warnings[5].Message);
        Assert.Contains("cpu 7", trace.Warnings[6].Message);
        // The good line after all that still counts.
        Assert.Equal(10, Assert.Single(trace.Switches).Line);
    }

    [Fact]
    public void ALineWithNothingAfterThePrefixIsMalformed()
    {
        var trace = Traces.Parse("sched-trace begin cpus=1 hz=100\nsched-trace   \n");

        Assert.Equal(2, Assert.Single(trace.Warnings).Line);
    }

    [Fact]
    public void ASecondBeginLineIsReportedAndTheFirstKept()
    {
        var trace = Traces.Parse("""
            sched-trace begin cpus=1 hz=100
            sched-trace begin cpus=4 hz=1000
            """);

        Assert.Equal(1, trace.Begin!.Cpus);
        Assert.Equal(2, Assert.Single(trace.Warnings).Line);
    }

    [Fact]
    public void ALogWithoutTraceLinesGivesAnEmptyTrace()
    {
        var trace = Traces.Parse("just\nsome\nboot messages\n");

        Assert.Null(trace.Begin);
        Assert.Empty(trace.Switches);
        Assert.Empty(trace.Warnings);
    }
}
