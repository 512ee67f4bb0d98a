using TeachOS.Tests.Integration.Harness;
using Xunit;

namespace TeachOS.Tests.Integration;

/// <summary>
/// The fuzzer (userland/Programs/fuzz.cs): a bounded run of random syscalls and hostile scenarios on
/// one, two and four CPUs. The kernel must print no panic, the fuzzer must report no failure, and every
/// physical frame must be free again when it (as init) exits. `make fuzz` runs longer.
/// </summary>
public class FuzzTests
{
    /// <summary>Calls per boot: about ten seconds of TCG at two CPUs, with the scenarios.</summary>
    public const int BoundedCalls = 3000;

    /// <summary>Every scenario (userland/Programs/fuzz.cs lists them), nothing skipped.</summary>
    public const string Scenarios = "all";

    [Theory]
    [MemberData(nameof(UserModeTests.CpuConfigurations), MemberType = typeof(UserModeTests))]
    public void BoundedFuzzRunLeavesTheKernelWorking(string smp)
    {
        var result = Qemu.Boot($"init=/bin/fuzz 1 {BoundedCalls} {Scenarios}", timeoutSeconds: 180, smp: smp)
            .AssertStatus(BootResult.StatusSuccess);
        result.AssertLogMatches($@"^fuzz: seed 1, {BoundedCalls} calls, \d+ scenarios: 0 failures$")
              .AssertLogMatches(@"^fuzz: calls: \d+ made, \d+ skipped .* \d+ calls per second$")
              .AssertLogDoesNotContain("KERNEL PANIC");
        UserModeTests.AssertNoFramesLost(result);
    }
}
