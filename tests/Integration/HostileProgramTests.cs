using TeachOS.Tests.Integration.Harness;
using Xunit;

namespace TeachOS.Tests.Integration;

/// <summary>
/// Hostile programs (userland/Programs/hostile/): every way a user program once brought the kernel
/// down, run on one, two and four CPUs. The kernel must print no panic, the suite must pass, and every
/// physical frame must be free again when init exits.
/// </summary>
public class HostileProgramTests
{
    [Theory]
    [MemberData(nameof(UserModeTests.CpuConfigurations), MemberType = typeof(UserModeTests))]
    public void HostileProgramsCannotBringTheKernelDown(string smp)
    {
        var result = Qemu.Boot("init=/bin/hostile", timeoutSeconds: 240, smp: smp).AssertStatus(BootResult.StatusSuccess);
        result.AssertLogMatches(@"^hostile: \d+ passed, 0 failed$")
              .AssertLogDoesNotContain("KERNEL PANIC")
              .AssertLogMatches(@"^out of memory: killed process \d+ \(hostile\), \d+ frames$");     // the hog
        UserModeTests.AssertNoFramesLost(result);
    }
}
