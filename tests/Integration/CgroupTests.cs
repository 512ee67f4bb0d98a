using TeachOS.Tests.Integration.Harness;
using Xunit;

namespace TeachOS.Tests.Integration;

/// <summary>
/// Control groups from the shell, as docs/guide/11-cgroups.md shows them: mkdir makes a group, echo
/// sets its pids.max, cgexec runs a shell inside it, a pipeline that needs one task too many is
/// refused with EAGAIN while the shell keeps working, a malformed limit is refused with EINVAL, and
/// rmdir removes the group once it is empty. The kernel's own cases (fork bomb, memory hog, hierarchy,
/// permissions) are usertests' (userland/Programs/usertests/Cgroups.cs).
/// </summary>
public class CgroupTests
{
    [Fact]
    public void APidsLimitHoldsAShellAndItsPipelines()
    {
        Qemu.BootWithInput("",
                "cd /sys/fs/cgroup\nmkdir box\necho 2 > box/pids.max\necho lots > box/pids.max\ncat box/pids.max\n" +
                "cgexec box sh\ncat box/pids.current\necho two | cat\nexit\n" +
                "cat box/pids.events\ncat box/pids.current\nrmdir box\nls\nexit 0\n", timeoutSeconds: 120)
            .AssertLogDoesNotContain("KERNEL PANIC")
            .AssertStatus(0)
            .AssertLogContains("echo: write error: EINVAL")       // "lots" is no limit
            .AssertLogMatches(@"^2$")                             // pids.max; then pids.current: the inner sh and cat
            .AssertLogContains("fork: EAGAIN")                    // the pipeline's second process is one task too many
            .AssertLogMatches(@"^max [1-9]\d*$")                  // pids.events counted it
            .AssertLogMatches(@"^0$")                             // the group empty again
            .AssertLogDoesNotContain("rmdir: ")                   // and removed
            .AssertLogMatches(@"cgroup\.procs");
    }
}
