using System.Diagnostics;
using TeachOS.Tests.Integration.Harness;
using Xunit;

namespace TeachOS.Tests.Integration;

/// <summary>Threads, the scheduler, and its trace.</summary>
public class SchedulingTests
{
    [Theory]
    [MemberData(nameof(UserModeTests.CpuConfigurations), MemberType = typeof(UserModeTests))]
    public void ThreadTestsPass(string smp)
    {
        // userland/Programs/threadtests.cs: threads, fairness, sleepers, blocked threads, affinity,
        // every CPU busy, SMT-aware placement.
        var result = Qemu.Boot("init=/bin/threadtests", timeoutSeconds: 120, smp: smp).AssertStatus(BootResult.StatusSuccess);
        foreach (string test in new[] { "threads", "sleep", "fairness", "blocked-uses-no-cpu", "many-threads",
                                        "affinity", "every-cpu-busy", "smt-placement" })
            result.AssertLogContains($"test {test}: OK");
        result.AssertLogMatches(@"^threadtests: \d+ passed, 0 failed$")
              .AssertLogDoesNotContain("KERNEL PANIC");
        UserModeTests.AssertNoFramesLost(result);
    }

    [Theory]
    [MemberData(nameof(UserModeTests.CpuConfigurations), MemberType = typeof(UserModeTests))]
    public void LongMixedStressRunEndsCleanly(string smp)
    {
        var result = Qemu.Boot("init=/bin/stress 100", timeoutSeconds: 180, smp: smp).AssertStatus(BootResult.StatusSuccess)
            .AssertLogMatches(@"^stress: 400 processes in \d+ ms, 0 failures$")
            .AssertLogDoesNotContain("KERNEL PANIC");
        Assert.Matches(@"memory check: (\d+) frames free before init, \1 after; kernel heap \d+ bytes in use before, \d+ after; kernel stacks (\d+) before, \2 after", result.SerialLog);
    }

    [Fact]
    public void KernelThreadStackOverflowHitsItsGuardPage()
    {
        Qemu.Boot("test=thread-stack-overflow").AssertStatus(BootResult.StatusPanic)
            .AssertLogContains("exception #DF Double Fault (vector 8) in kernel mode (ring 0)")
            .AssertLogMatches(@"interrupted rsp 0xfffffe[0-9a-f]{10} is in a kernel stack's guard page \(stack overflow\)")
            .AssertLogMatches(@"Tests\.SchedulerTests\.Recurse\+0x[0-9a-f]+\n      \.\.\. the frame above repeats \d+ more times")
            .AssertLogContains("thread_start");
    }

    [Fact]
    public void QuantumComesFromTheCommandLine()
    {
        var result = Qemu.Boot("quantum=25 trace-sched init=/bin/schedemo", timeoutSeconds: 60).AssertStatus(BootResult.StatusSuccess)
            .AssertLogContains("sched-trace begin cpus=1 hz=1000 quantum-ticks=25");
        var switches = System.Text.RegularExpressions.Regex.Matches(result.SerialLog, @"sched-trace switch tick=(\d+) cpu=0 from=\d+ to=\d+ reason=quantum");
        Assert.True(switches.Count > 5, "expected quantum switches\n" + result.Describe());
    }

    [Fact]
    public void TraceOfTheDemoBecomesAnSvgTimeline()
    {
        var result = Qemu.Boot("trace-sched init=/bin/schedemo", timeoutSeconds: 60).AssertStatus(BootResult.StatusSuccess)
            .AssertLogMatches(@"^sched-trace thread tid=\d+ pid=1 name=spin-a$")
            .AssertLogMatches(@"^sched-trace switch tick=\d+ cpu=0 from=\d+ to=\d+ reason=quantum$")
            .AssertLogMatches(@"^sched-trace end dropped=0 events=\d+ tick=\d+$")
            .AssertLogMatches(@"^  500 +\d+ +\d+ +\d+ +\d+$");

        string log = Path.Combine(Path.GetTempPath(), $"teachos-trace-{Guid.NewGuid():N}.log");
        string svg = Path.ChangeExtension(log, ".svg");
        File.WriteAllText(log, result.SerialLog);
        try
        {
            var tool = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Repository.Root };
            foreach (string argument in new[] { "run", "--project", "tools/SchedTrace", "-c", "Release", "--", log, "-o", svg }) tool.ArgumentList.Add(argument);
            using Process run = Process.Start(tool)!;
            string output = run.StandardOutput.ReadToEnd() + run.StandardError.ReadToEnd();
            run.WaitForExit();
            Assert.True(run.ExitCode == 0, output);
            var document = System.Xml.Linq.XDocument.Load(svg);
            string text = document.ToString();
            Assert.Contains("CPU 0", text);
            Assert.Contains("spin-a", text);
            Assert.Contains("sleeper", text);
        }
        finally
        {
            File.Delete(log);
            File.Delete(svg);
        }
    }

    [Fact]
    public void TwoBusyThreadsRunOnDifferentCoresInTheTrace()
    {
        // Two cores with two hyper-threads each. The smt-placement test runs two spinners (smt-a,
        // smt-b); the trace says which logical CPU ran what, tick by tick, and which core each CPU
        // belongs to. While both spinners were running, they should have been on different cores.
        var result = Qemu.Boot("trace-sched init=/bin/threadtests smt-placement", timeoutSeconds: 60, smp: "4,cores=2,threads=2")
            .AssertStatus(BootResult.StatusSuccess)
            .AssertLogContains("sched-trace begin cpus=4")
            .AssertLogContains("sched-trace cpu id=1 core=0 package=0 smt=1")
            .AssertLogContains("sched-trace cpu id=2 core=1 package=0 smt=0");
        var timeline = TeachOS.Tools.SchedTrace.Timeline.Build(
            TeachOS.Tools.SchedTrace.TraceParser.Parse(result.SerialLog.Split('\n').Select(line => line.TrimEnd('\r'))));
        int TidOf(string name) => timeline.Threads.Single(thread => thread.Name == name).Tid;
        int a = TidOf("smt-a"), b = TidOf("smt-b");
        var cores = timeline.Cpus.ToDictionary(cpu => cpu.Id, cpu => cpu.Topology!.Core);
        var runsOfA = timeline.Cpus.SelectMany(cpu => cpu.Intervals).Where(run => run.Tid == a).ToList();
        var runsOfB = timeline.Cpus.SelectMany(cpu => cpu.Intervals).Where(run => run.Tid == b).ToList();

        long together = 0, sameCore = 0;
        foreach (var x in runsOfA)
            foreach (var y in runsOfB)
            {
                long overlap = Math.Min(x.End, y.End) - Math.Max(x.Start, y.Start);
                if (overlap <= 0) continue;
                together += overlap;
                if (cores[x.Cpu] == cores[y.Cpu]) sameCore += overlap;
            }
        Assert.True(together >= 300, $"the spinners ran at the same time for only {together} ticks\n{result.Describe()}");
        Assert.True(sameCore * 10 <= together,
            $"the spinners shared a core for {sameCore} of the {together} ticks they ran together\n{result.Describe()}");
    }

    [Theory]
    [MemberData(nameof(UserModeTests.CpuConfigurations), MemberType = typeof(UserModeTests))]
    public void CpusShowsTheTopologyAndItself(string smp)
    {
        var result = Qemu.Boot("init=/bin/cpus", timeoutSeconds: 60, smp: smp).AssertStatus(BootResult.StatusSuccess)
            .AssertLogContains("CPU  APIC  PACKAGE  CORE  SMT  BUSY%  READY  RUNNING")
            .AssertLogMatches(@"^ +\d+ +\d+ +0 +\d+ +\d+ +\d+ +\d+  cpus \(pid 1, tid \d+\)$");
        switch (smp)
        {
            case "1":
                result.AssertLogMatches("^1 logical CPU$");
                break;
            case "2":
                result.AssertLogMatches(@"^  1     1        0     1    0 ").AssertLogContains("2 logical CPUs");
                break;
            default:   // the second hyper-thread of core 0, then the first of core 1
                result.AssertLogMatches(@"^  1     1        0     0    1 ").AssertLogMatches(@"^  2     2        0     1    0 ")
                      .AssertLogContains("4 logical CPUs");
                break;
        }
    }

    [Fact]
    public void EveryOtherCpuAnswersAnInterProcessorInterrupt()
    {
        var result = Qemu.Boot("test=ipi", smp: "4,cores=2,threads=2").AssertStatus(BootResult.StatusSuccess)
            .AssertLogMatches(@"^smp: 4 logical CPUs online; starting the others took \d+ us$")
            .AssertLogContains("test ipi ok");
        for (int cpu = 1; cpu <= 3; cpu++)
            result.AssertLogMatches($@"^  ipi round trip to cpu {cpu}: [1-9]\d* cycles, \d+ ns \(median\)$");
    }
}
