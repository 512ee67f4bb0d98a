using TeachOS.Tests.Integration.Harness;
using Xunit;

namespace TeachOS.Tests.Integration;

/// <summary>
/// test=NAME runs in-kernel tests (kernel/Tests/). Each named test is its own boot, so one failure
/// names itself and the others still run.
/// </summary>
public class KernelTestModeTests
{
    private static readonly string[] PassingTestNames =
    {
        "strings", "formatting", "console-print", "console-whole-lines", "arrays", "spans", "virtual-dispatch", "interface-dispatch",
        "casts", "statics", "heap", "symbols", "backtrace", "breakpoint", "debug-trap", "timer",
        "kernel-threads", "sleep", "thread-leak", "many-sleepers", "kernel-stacks-limit", "ipi",
        "elf-refusals", "program-file-reader", "mounts", "page-tables", "address-space-copy",
        "overlay", "overlay-options", "overlay-shared-lower", "overlay-leak", "overlay-edges",
    };

    public static TheoryData<string> PassingTests => new(PassingTestNames);

    [Theory]
    [MemberData(nameof(PassingTests))]
    public void KernelTestPasses(string name)
    {
        Qemu.Boot("test=" + name).AssertStatus(BootResult.StatusSuccess)
            .AssertLogContains($"test {name} ok")
            .AssertLogContains("kernel tests: 1 passed, 0 failed");
    }

    [Fact]
    public void TheInterpolatedPrintWritesEachHoleAsFormatted()
    {
        // kernel/Tests/ConsolePrintTests.cs prints this line through the console's interpolated print.
        Qemu.Boot("test=console-print").AssertStatus(BootResult.StatusSuccess)
            .AssertLogContains("  print: 0x00000000deadbeef -42 18446744073709551615 ffffffd6 0x001B -9223372036854775808 007 'c' True [left  ] [ right] [  -42] [] {q}\n")
            .AssertLogContains("  built: -42\n")
            .AssertLogContains("test console-print ok");
    }

    [Fact]
    public void WholeLinesFromSeveralCpusDoNotInterleave()
    {
        // kernel/Tests/ConsoleLineTests.cs: 4 kernel threads on 2 CPUs print 150 lines each through
        // Console.WriteWholeLine. Every line that mentions a writer must be exactly one writer's line.
        var result = Qemu.Boot("test=console-whole-lines", smp: "2").AssertStatus(BootResult.StatusSuccess)
            .AssertLogContains("test console-whole-lines ok");
        var whole = new System.Text.RegularExpressions.Regex(@"^  whole (\d): line +(\d+) of 150 on cpu (\d) \1{8} end$");
        var linesPerWriter = new int[4];
        var cpus = new System.Collections.Generic.HashSet<string>();
        foreach (string line in result.SerialLog.Split('\n'))
        {
            // A line another CPU broke into contains "  whole " (every writer's line starts so) or, for the
            // broken line's tail, ends with " end".
            if (!line.Contains("  whole ") && !line.EndsWith(" end")) continue;
            var match = whole.Match(line);
            Assert.True(match.Success, $"a line broken by another CPU's text: \"{line}\"\n{result.SerialLog}");
            linesPerWriter[int.Parse(match.Groups[1].Value)]++;
            cpus.Add(match.Groups[3].Value);
        }
        Assert.Equal(new[] { 150, 150, 150, 150 }, linesPerWriter);
        Assert.True(cpus.Count >= 2, $"the writers all ran on one CPU, so the test proved nothing\n{result.SerialLog}");
    }

    [Fact]
    public void AllRunsEveryPassingTestInOneBoot()
    {
        var result = Qemu.Boot("test=all").AssertStatus(BootResult.StatusSuccess);
        foreach (string name in PassingTestNames) result.AssertLogContains($"test {name} ok");
        result.AssertLogMatches(@"^kernel tests: \d+ passed, 0 failed$").AssertLogDoesNotContain("PANIC");
    }
}
