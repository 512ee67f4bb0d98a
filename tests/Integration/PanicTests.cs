using TeachOS.Tests.Integration.Harness;
using Xunit;

namespace TeachOS.Tests.Integration;

/// <summary>A kernel bug panics loudly: what was thrown, its message, and a C# backtrace.</summary>
public class PanicTests
{
    [Fact]
    public void OutOfRangeIndexPanicsWithTheMethodInTheBacktrace()
    {
        Qemu.Boot("test=panic-index").AssertStatus(BootResult.StatusPanic)
            .AssertLogContains("*** KERNEL PANIC *** unhandled exception: System.IndexOutOfRangeException")
            .AssertLogContains("message: Index was outside the bounds of the array.")
            .AssertLogMatches(@"^  #\d+\s+0xffffffff8[0-9a-f]{7}  Tests\.PanicTests\.IndexOutOfRange\+0x[0-9a-f]+$")
            .AssertLogContains("Tests.KernelTestRunner.RunOne");
    }

    [Fact]
    public void FailedCastPanicsWithInvalidCastException()
    {
        Qemu.Boot("test=panic-cast").AssertStatus(BootResult.StatusPanic)
            .AssertLogContains("unhandled exception: System.InvalidCastException")
            .AssertLogMatches(@"Tests\.PanicTests\.InvalidCast\+0x");
    }

    [Fact]
    public void ThrowPanicsWithTheExceptionsMessage()
    {
        Qemu.Boot("test=panic-throw").AssertStatus(BootResult.StatusPanic)
            .AssertLogContains("unhandled exception: System.InvalidOperationException")
            .AssertLogContains("message: deliberate exception from PanicTests.ExplicitThrow")
            .AssertLogMatches(@"Tests\.PanicTests\.ExplicitThrow\+0x");
    }

    [Fact]
    public void MappingAPresentPageTwicePanicsInsteadOfLosingItsFrame()
    {
        Qemu.Boot("test=map-twice").AssertStatus(BootResult.StatusPanic)
            .AssertLogContains("*** KERNEL PANIC *** PageMapping.Map: the page is mapped already (a kernel bug)")
            .AssertLogMatches(@"Tests\.AddressSpaceTests\.MapTwice\+0x");
    }
}
