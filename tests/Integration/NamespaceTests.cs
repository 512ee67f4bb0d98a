using TeachOS.Tests.Integration.Harness;
using Xunit;

namespace TeachOS.Tests.Integration;

/// <summary>
/// Message queues and the IPC namespace from the shell, as docs/guide/10-namespaces.md shows them: a queue
/// outlives the program that made it, `unshare -i` runs a command that cannot see it, and a shell in a
/// new namespace makes a queue of the same name that is gone when that shell exits. The syscalls' own
/// cases (refusals, limits, blocking, a killed receiver) are usertests' (userland/Programs/usertests/).
/// </summary>
public class NamespaceTests
{
    [Fact]
    public void QueuesLiveInTheirIpcNamespace()
    {
        Qemu.BootWithInput("",
                "mq create /jobs\nmq send /jobs build the kernel\nunshare -i mq receive /jobs -n\n" +
                "unshare -i sh\nmq create /jobs 2 8\nmq send /jobs inner\nmq stat /jobs\nexit\n" +
                "mq stat /jobs\nmq receive /jobs\nmq receive /jobs -n\nmq unlink /jobs\nmq stat\nexit\n")
            .AssertLogDoesNotContain("KERNEL PANIC")
            .AssertStatus(0)
            .AssertLogContains("mq: /jobs: ENOENT")                                  // unshare -i: another table
            .AssertLogMatches(@"^/jobs: 1 of 2 messages, up to 8 bytes each$")       // the inner shell's own /jobs
            .AssertLogMatches(@"^/jobs: 1 of 10 messages, up to 1024 bytes each$")   // the outer one, untouched
            .AssertLogMatches(@"^build the kernel$")
            .AssertLogContains("mq: /jobs: EAGAIN")
            .AssertLogMatches(@"^this IPC namespace: 0 names, 0 queues, 0 bytes")
            .AssertLogMatches(@"^all: 1 IPC namespaces, 0 queues, 0 bytes$");       // the inner namespace went with its shell
    }

    [Fact]
    public void AUserNamespaceShowsUnmappedOwnersAsNobody()
    {
        Qemu.BootWithInput("", "unshare -U ls -l /etc\nunshare -r ls -l /etc\nunshare -r -m mount -t tmpfs none /etc\nexit 0\n")
            .AssertLogDoesNotContain("KERNEL PANIC")
            .AssertStatus(0)
            .AssertLogMatches(@"^-rw-r--r-- +1 +65534 +65534 +\d+ +motd$")   // no map yet: root's file is nobody's
            .AssertLogMatches(@"^-rw-r--r-- +1 +0 +0 +\d+ +motd$")           // -r: root inside is root outside here
            .AssertLogContains("mount: /etc: EPERM");                          // root of a user namespace mounts nothing
    }
}
