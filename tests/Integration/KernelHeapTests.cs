using System.Text.RegularExpressions;
using TeachOS.Tests.Integration.Harness;
using Xunit;

namespace TeachOS.Tests.Integration;

/// <summary>
/// The kernel heap (kernel/Mem/KernelHeap.cs) and its debugging heap (kernel/Mem/HeapDebug.cs, on in
/// every test boot: Qemu.DefaultWords). Each planted bug (kernel/Tests/HeapTests.cs) must stop the
/// kernel with a report that names the block's allocation and free backtraces in C# method names.
/// </summary>
public class KernelHeapTests
{
    // One frame of a recorded backtrace: "    #0  0xffffffff80108a0a  Tests.HeapTests.FreeNote+0xa".
    private static string Frame(string method) => @"    #\d+  0x[0-9a-f]{16}  " + Regex.Escape(method) + @"\+0x[0-9a-f]+\n";

    // A titled backtrace in which `method` appears.
    private static string Backtrace(string title, string method) =>
        "  " + title + @":\n(?:    #.*\n)*?" + Frame(method);

    private static BootResult BootPlantedBug(string test) =>
        Qemu.Boot("test=" + test).AssertStatus(BootResult.StatusPanic)
            .AssertLogContains("*** KERNEL PANIC *** debugging heap: ")
            .AssertLogContains("*** end of panic report; the CPU is halted ***");

    [Fact]
    public void DoubleFreeIsReportedAtTheSecondFreeWithBothBacktraces()
    {
        var result = BootPlantedBug("heap-double-free").AssertLogContains("debugging heap: double free of the block at 0x");
        Assert.Matches(Backtrace("allocated by", "Tests.HeapTests.AllocateNote") + "(?:    #.*\n)*" +
                       Backtrace("freed by", "Tests.HeapTests.FreeNote") + "(?:    #.*\n)*" +
                       Backtrace("freed again by", "Tests.HeapTests.FreeNoteAgain"), result.SerialLog);
    }

    [Fact]
    public void UseAfterFreeIsReportedAtTheFaultingAccessWithBothBacktraces()
    {
        var result = BootPlantedBug("heap-use-after-free").AssertLogMatches(@"^\*\*\* KERNEL PANIC \*\*\* debugging heap: use after free: read at 0x[0-9a-f]{16}, offset \d+ in the block$");
        Assert.Matches(Backtrace("allocated by", "Tests.HeapTests.AllocateNote") + "(?:    #.*\n)*" +
                       Backtrace("freed by", "Tests.HeapTests.FreeNote"), result.SerialLog);
        // Then the faulting access itself: the page fault, its registers, and the reading method on top.
        result.AssertLogContains("exception #PF Page Fault (vector 14) in kernel mode (ring 0)")
              .AssertLogMatches(@"^  cr2: 0x[0-9a-f]{16} \(the debugging heap's guarded pages\)$")
              .AssertLogMatches(@"^  #0  0x[0-9a-f]{16}  Tests\.HeapTests\.ReadAfterFree\+0x[0-9a-f]+$");
    }

    [Fact]
    public void WriteAfterFreeIsFoundWhenTheBlockLeavesTheQuarantine()
    {
        var result = BootPlantedBug("heap-write-after-free")
            .AssertLogContains("debugging heap: use after free: a freed block was written at offset");
        Assert.Matches(Backtrace("allocated by", "Tests.HeapTests.AllocateNote") + "(?:    #.*\n)*" +
                       Backtrace("freed by", "Tests.HeapTests.FreeNote"), result.SerialLog);
    }

    [Fact]
    public void OverflowIntoTheRedZoneIsFoundAtFree()
    {
        var result = BootPlantedBug("heap-overflow")
            .AssertLogContains("debugging heap: out-of-bounds write: the red zone after a block was overwritten at offset 24");
        Assert.Matches(Backtrace("allocated by", "Tests.HeapTests.Overflow"), result.SerialLog);
    }

    [Fact]
    public void CleanRunsReportNothing()
    {
        // Every kernel test, then a user program, with the debugging heap on: not one report.
        var kernelTests = Qemu.Boot("test=all", timeoutSeconds: 180).AssertStatus(BootResult.StatusSuccess)
            .AssertLogContains("debugging heap on:")
            .AssertLogDoesNotContain("debugging heap: ")
            .AssertLogDoesNotContain("KERNEL PANIC");
        Assert.Contains("test heap-returns-pages ok", kernelTests.SerialLog);
    }

    [Fact]
    public void WithoutTheSwitchTheHeapRunsPlain()
    {
        Qemu.Boot("debug-heap=off test=heap").AssertStatus(BootResult.StatusSuccess)
            .AssertLogDoesNotContain("debugging heap on:");
    }
}
