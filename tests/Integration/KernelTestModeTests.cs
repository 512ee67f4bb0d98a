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
        "strings", "formatting", "arrays", "spans", "virtual-dispatch", "interface-dispatch",
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
    public void AllRunsEveryPassingTestInOneBoot()
    {
        var result = Qemu.Boot("test=all").AssertStatus(BootResult.StatusSuccess);
        foreach (string name in PassingTestNames) result.AssertLogContains($"test {name} ok");
        result.AssertLogMatches(@"^kernel tests: \d+ passed, 0 failed$").AssertLogDoesNotContain("PANIC");
    }
}
