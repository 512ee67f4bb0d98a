using TeachOS.Tests.Integration.Harness;
using Xunit;

namespace TeachOS.Tests.Integration;

/// <summary>
/// The PID and UTS namespaces from the shell, as docs/guide/10-namespaces.md shows them: `unshare -p -u -f sh`
/// is pid 1 of its namespace with a host name of its own, which its prompt shows and which the shell
/// outside never sees. The syscalls' own cases (nesting, orphans, the init's exit) are usertests'
/// (userland/Programs/usertests/PidNamespaces.cs).
/// </summary>
public class PidUtsNamespaceTests
{
    [Fact]
    public void AShellIsPidOneWithItsOwnHostName()
    {
        Qemu.BootWithInput("", "unshare -p -u -f sh\nhostname web1\nps\nexit\nhostname\nexit 0\n")
            .AssertLogDoesNotContain("KERNEL PANIC")
            .AssertStatus(0)
            .AssertLogContains("web1:/ $ ps")                                        // the inner prompt names its host
            .AssertLogMatches(@"^ +1 +\d+ +0 +0 .* sh$")                             // sh: pid 1, its parent outside (0)
            .AssertLogMatches(@"^ +3 +\d+ +1 +0 .* ps$")                             // ps: pid 3 (hostname was 2), child of 1
            .AssertLogMatches(@"^teachos$");                                         // outside, the name is unchanged
    }
}
