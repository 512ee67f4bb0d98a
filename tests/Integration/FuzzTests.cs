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

    /// <summary>
    /// The scenarios that pass today. Waiting for fixes to other bugs of issue 11, then to be added here
    /// (and <see cref="Skipped"/> emptied, until the run is simply "all"): memory, processes, threads
    /// (exhaustion panics: bugs 6 and 9), files-enospc (bug 5), mutated-elf (bug 4), racing-sbrk
    /// (bug 7), empty-string, path-under-file, path-without-slash (bugs 1, 2, 3).
    /// </summary>
    public const string Scenarios = "calls files-emfile mutual-join";

    /// <summary>Arguments of the random calls that reach bugs 1, 2 and 3, left out until they are fixed.</summary>
    public const string Skipped = "empty-string,path-under-file,path-without-slash";

    [Theory]
    [MemberData(nameof(UserModeTests.CpuConfigurations), MemberType = typeof(UserModeTests))]
    public void BoundedFuzzRunLeavesTheKernelWorking(string smp)
    {
        var result = Qemu.Boot($"init=/bin/fuzz 1 {BoundedCalls} {Scenarios} --skip {Skipped}", timeoutSeconds: 180, smp: smp)
            .AssertStatus(BootResult.StatusSuccess);
        result.AssertLogMatches($@"^fuzz: seed 1, {BoundedCalls} calls, \d+ scenarios: 0 failures$")
              .AssertLogMatches(@"^fuzz: calls: \d+ made, \d+ skipped .* \d+ calls per second$")
              .AssertLogDoesNotContain("KERNEL PANIC");
        UserModeTests.AssertNoFramesLost(result);
    }
}
