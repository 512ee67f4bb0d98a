using TeachOS.Tests.Integration.Harness;
using Xunit;

namespace TeachOS.Tests.Integration;

/// <summary>
/// The mount namespace from the shell, as docs/guide/10-namespaces.md §6 shows it: a tmpfs mounted after
/// `unshare -m sh` is seen by that shell only; a container-like root made with a bind mount and pivot_root
/// leaves the old root unmountable and then unreachable; nsenter joins another process's UTS namespace. The
/// syscalls' own cases are usertests' (userland/Programs/usertests/MountNamespaces.cs) and hostile's.
/// </summary>
public class MountNamespaceTests
{
    [Fact]
    public void AMountInsideANamespaceIsInvisibleOutside()
    {
        Qemu.BootWithInput("", "mkdir /box\nunshare -m sh\nmount -t tmpfs none /box\necho inside > /box/note\ncat /box/note\nmount\nexit\n" +
                               "cat /box/note\nmount\nexit 0\n")
            .AssertLogDoesNotContain("KERNEL PANIC")
            .AssertStatus(0)
            .AssertLogMatches(@"^none /box tmpfs rw$")                         // inside: listed
            .AssertLogMatches(@"^none / ramfs rw$")
            .AssertLogMatches(@"^inside$")
            .AssertLogContains("cat: /box/note: ENOENT");                      // outside, the tmpfs is not there
    }

    [Fact]
    public void PivotRootMakesADirectoryTheWholeTree()
    {
        Qemu.BootWithInput("", "mkdir /box\nunshare -m sh\nmount -t tmpfs none /box\nmkdir /box/bin\nmkdir /box/old\n" +
                               "mount --bind -o ro /bin /box/bin\ncd /box\npivot_root . old\ncd /\numount /old/dev\numount /old/sys/fs/cgroup\numount /old\n" +
                               "ls /\nmount\necho x > /bin/x\nexit\nls /box\nexit 0\n")
            .AssertLogDoesNotContain("KERNEL PANIC")
            .AssertStatus(0)
            .AssertLogMatches(@"^/bin /bin bind ro$")                          // the image's programs, read-only
            .AssertLogMatches(@"^none / tmpfs rw$")                            // the tmpfs is the root
            .AssertLogDoesNotContain("none /old")                              // the old root is gone
            .AssertLogContains("/bin/x: EROFS");                               // and the bound /bin refuses writes
    }

    [Fact]
    public void NsenterJoinsAnotherProcesssHostName()
    {
        Qemu.BootWithInput("", "unshare -u sh\nhostname web1\nhostname\nnsenter -t 1 -u hostname\nexit\nexit 0\n")
            .AssertLogDoesNotContain("KERNEL PANIC")
            .AssertStatus(0)
            .AssertLogMatches(@"^web1$")                                       // the inner shell's own name
            .AssertLogMatches(@"^teachos$");                                   // init's, through setns
    }
}
