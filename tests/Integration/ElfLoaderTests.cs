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
        // /etc/motd is 0644: not even root runs a file without an x bit (kernel/Fs/Permissions/).
        Qemu.Boot("init=/etc/motd").AssertStatus(BootResult.StatusFailure)
            .AssertLogContains("cannot start /etc/motd: EACCES");
        // With x bits, the loader reads it and says why it is no program.
        Qemu.BootWithInput("", "echo text > /tmp/t\nchmod 755 /tmp/t\n/tmp/t\nexit 0\n").AssertStatus(0)
            .AssertLogContains("exec /tmp/t: it is shorter than an ELF header")
            .AssertLogContains("sh: /tmp/t: ENOEXEC")
            .AssertLogDoesNotContain("KERNEL PANIC");
    }
}
