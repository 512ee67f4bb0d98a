using TeachOS.Tests.Integration.Harness;
using Xunit;

namespace TeachOS.Tests.Integration;

/// <summary>The kernel starts, by both boot paths, and says who it is.</summary>
public class BootTests
{
    [Fact]
    public void FastPathBannerShowsVersionCpuMemoryAndCommandLine()
    {
        Qemu.Boot("test=strings").AssertStatus(BootResult.StatusSuccess)
            .AssertLogMatches(@"^TeachOS \d+\.\d+\.\d+ \(x86-64")
            .AssertLogMatches(@"^cpu: \S+, .+$")
            .AssertLogMatches(@"^memory: (2[45]\d) MiB usable in \d+ regions$")
            .AssertLogContains("(Multiboot 1)")
            .AssertLogMatches(@"^cmdline: .*test=strings$");
    }

    [Fact]
    public void GrubIsoBootsWithMultiboot2()
    {
        Qemu.BootUntil("cmdline:", iso: true, timeoutSeconds: 60).AssertStatus(BootResult.StatusSuccess)
            .AssertLogMatches(@"^TeachOS \d+\.\d+\.\d+ ")
            .AssertLogMatches(@"^boot: GRUB .*\(Multiboot 2\)");
    }

    [Fact]
    public void UnknownKernelTestIsAFailureNotAHang()
    {
        Qemu.Boot("test=no-such-test").AssertStatus(BootResult.StatusFailure)
            .AssertLogContains("kernel tests: no test named no-such-test");
    }
}
