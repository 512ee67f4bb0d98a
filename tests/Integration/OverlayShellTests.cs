using TeachOS.Tests.Integration.Harness;
using Xunit;

namespace TeachOS.Tests.Integration;

/// <summary>
/// The overlay from the shell, as docs/guide/overlay-section.md's "Try it" shows it: `mount -t overlay`, a
/// read through to the lower layer, a write copied up (the lower untouched), a removal that leaves a
/// whiteout in the upper layer, and umount. The overlay's own cases are usertests'
/// (userland/Programs/usertests/Overlay.cs, OverlayHostile.cs) and the kernel tests' (kernel/Tests/Overlay*.cs).
/// </summary>
public class OverlayShellTests
{
    [Fact]
    public void TheGuidesSessionWorks()
    {
        Qemu.BootWithInput("", "mkdir /tmp/lower /tmp/upper /tmp/work /tmp/merged\necho hello > /tmp/lower/motd\n" +
                               "mount -t overlay -o lowerdir=/tmp/lower,upperdir=/tmp/upper,workdir=/tmp/work overlay /tmp/merged\n" +
                               "mount\ncat /tmp/merged/motd\necho changed > /tmp/merged/motd\ncat /tmp/merged/motd\ncat /tmp/lower/motd\n" +
                               "rm /tmp/merged/motd\nls /tmp/upper\nls /tmp/merged\numount /tmp/merged\nexit 0\n")
            .AssertLogDoesNotContain("KERNEL PANIC")
            .AssertStatus(0)
            .AssertLogMatches(@"^overlay /tmp/merged overlay rw$")              // listed as Linux lists it
            .AssertLogMatches(@"^hello$")                                       // read through
            .AssertLogMatches(@"^changed$")                                     // the copy, written
            .AssertLogMatches(@"^ +0  \.wh\.motd$")                              // the whiteout in the upper layer (ls: size, name)
            .AssertLogDoesNotContain("umount: ");
    }
}
