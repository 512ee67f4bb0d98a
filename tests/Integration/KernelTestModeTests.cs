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
        "strings", "formatting", "console-print", "arrays", "spans", "virtual-dispatch", "interface-dispatch",
        "casts", "statics", "heap", "symbols", "backtrace", "breakpoint", "debug-trap", "timer",
        "kernel-threads", "sleep", "thread-leak", "many-sleepers", "kernel-stacks-limit", "ipi",
        "elf-refusals", "program-file-reader", "page-tables",
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
    public void AllRunsEveryPassingTestInOneBoot()
    {
        var result = Qemu.Boot("test=all").AssertStatus(BootResult.StatusSuccess);
        foreach (string name in PassingTestNames) result.AssertLogContains($"test {name} ok");
        result.AssertLogMatches(@"^kernel tests: \d+ passed, 0 failed$").AssertLogDoesNotContain("PANIC");
    }
}
