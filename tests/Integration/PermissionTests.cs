using TeachOS.Tests.Integration.Harness;
using Xunit;

namespace TeachOS.Tests.Integration;

/// <summary>
/// Owners and modes as the shell's tools show and change them (ls -l, chmod, chown; guide chapter 9).
/// The checks themselves are usertests' creds and perm-* cases (UserModeTests).
/// </summary>
public class PermissionTests
{
    private static BootResult Session(string input) =>
        Qemu.BootWithInput("", input).AssertLogDoesNotContain("KERNEL PANIC");

    [Fact]
    public void TheInitrdIsRootsWithProgramsRunnableAndTmpSticky()
    {
        Session("ls -l /\nls -l /bin\nls -l /etc\nexit\n").AssertStatus(0)
            .AssertLogMatches(@"^drwxrwxrwt +\d+ +0 +0 +\d+  tmp/$")
            .AssertLogMatches(@"^drwxr-xr-x +\d+ +0 +0 +\d+  bin/$")
            .AssertLogMatches(@"^-rwxr-xr-x +1 +0 +0 +\d+  sh$")
            .AssertLogMatches(@"^-rw-r--r-- +1 +0 +0 +\d+  motd$");
    }

    [Fact]
    public void ChmodAndChownChangeWhatLsShows()
    {
        Session("echo hi > /tmp/f\nls -l /tmp/f\nchmod 4755 /tmp/f\nls -l /tmp/f\nchown 1000:50 /tmp/f\nls -l /tmp/f\n" +
                "chmod 1640 /tmp/f\nls -l /tmp/f\nchmod 999 /tmp/f\nchown x /tmp/f\nchmod 644 /no/such\nexit 0\n").AssertStatus(0)
            .AssertLogMatches(@"^-rw-r--r-- +1 +0 +0 +3  /tmp/f$")          // 0666 less root's umask 022
            .AssertLogMatches(@"^-rwsr-xr-x +1 +0 +0 +3  /tmp/f$")
            .AssertLogMatches(@"^-rwxr-xr-x +1 +1000 +50 +3  /tmp/f$")      // chown cleared setuid
            .AssertLogMatches(@"^-rw-r----T +1 +1000 +50 +3  /tmp/f$")
            .AssertLogContains("chmod: 999: not an octal mode")
            .AssertLogContains("chown: x: not UID[:GID]")
            .AssertLogContains("chmod: /no/such: ENOENT");
    }
}
