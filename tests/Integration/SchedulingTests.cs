using System.Diagnostics;
using TeachOS.Tests.Integration.Harness;
using Xunit;

namespace TeachOS.Tests.Integration;

/// <summary>Threads, the scheduler, and its trace.</summary>
public class SchedulingTests
{
    [Fact]
    public void LongMixedStressRunEndsCleanly()
    {
        var result = Qemu.Boot("init=/bin/stress 100", timeoutSeconds: 180).AssertStatus(BootResult.StatusSuccess)
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
}
