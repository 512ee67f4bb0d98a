using TeachOS.Tests.Integration.Harness;
using Xunit;

namespace TeachOS.Tests.Integration;

/// <summary>
/// The loader's refusals reach a person: a program it will not run is named with the reason
/// (kernel/Loader/Elf.cs), here on the console, because init has no stderr of its own yet.
/// hostile's ELF section covers the reasons themselves.
/// </summary>
public class ElfLoaderTests
{
    [Fact]
    public void ARefusedInitProgramIsReportedWithItsReason()
    {
        Qemu.Boot("init=/etc/motd").AssertStatus(BootResult.StatusFailure)
            .AssertLogContains("spawn /etc/motd: not an ELF file")
            .AssertLogContains("cannot start /etc/motd: ENOEXEC");
    }
}
