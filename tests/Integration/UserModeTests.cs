using TeachOS.Tests.Integration.Harness;
using Xunit;

namespace TeachOS.Tests.Integration;

/// <summary>
/// User mode: programs in ring 3, the syscall suite (userland/Programs/usertests.cs), faults that kill
/// only the faulter, init= and its exit status, and memory that comes back.
/// </summary>
public class UserModeTests
{
    /// <summary>The three CPU configurations every test of several CPUs runs on (QEMU -smp syntax).</summary>
    public static TheoryData<string> CpuConfigurations => new() { "1", "2", "4,cores=2,threads=2" };

    [Theory]
    [MemberData(nameof(CpuConfigurations))]
    public void UserTestsPassThroughBothEntries(string smp)
    {
        var result = Qemu.Boot("init=/bin/usertests", timeoutSeconds: 120, smp: smp).AssertStatus(BootResult.StatusSuccess);
        foreach (string test in new[] { "getpid", "files", "errors", "bad-pointers", "int80", "pipes", "argv",
                                        "exit-status", "faults", "kill", "sbrk", "readdir",
                                        "fork", "fork-memory", "fork-files", "fork-big", "forkfork", "forkforkfork",
                                        "fork-bomb", "fork-threads", "fork-page-edges", "exec-errors", "exec-args", "exec-env", "orphans",
                                        "lazy-sbrk", "lazy-faults", "lazy-kernel-copies", "lazy-fork", "lazy-threads",
                                        "mmap", "mmap-partial", "mmap-fork", "mmap-refusals",
                                        "creds", "perm-files", "perm-search", "perm-sticky", "perm-kill", "perm-two-users", "perm-setuid",
                                        "perm-newfiles", "perm-disk",
                                        "mq", "mq-refusals", "mq-blocking", "mq-kill", "mq-limits", "mq-descriptors",
                                        "unshare-flags", "ipc-namespace", "unshare-program",
                                        "mountns", "mount-bind", "umount-busy", "pivot-root", "setns-uts",
                                        "overlay-layers", "overlay-shared-lower", "overlay-refusals", "overlay-whiteouts",
                                        "ctr-images", "ctr-image-refusals", "ctr-run", "ctr-exec-stop-commit",
                                        "devices", "dev-refusals", "dev-zero-huge",
                                        "cgroup-files", "cgroup-hostile", "cgroup-pids", "cgroup-hierarchy", "cgroup-memory",
                                        "cgroup-rmdir", "cgroup-perm", "cgroup-cpu",
                                        "cgroup-cpumax", "cgroup-cpumax-nested", "cgroup-cpumax-hostile", "cgroup-cpuweight",
                                        "cgroup-cpuweight-hostile", "cgroup-oom", "cgroup-subtree", "cgroup-cpuset" })
            result.AssertLogContains($"test {test}: OK");
        // Every test passes, the ones named above and any added since (docs/assignments/add-a-syscall.md).
        result.AssertLogMatches(@"^usertests: \d+ passed, 0 failed$")
              .AssertLogContains("(written through int 0x80)")
              .AssertLogDoesNotContain("KERNEL PANIC");
        AssertNoFramesLost(result);
    }

    [Fact]
    public void AThousandProcessesLeaveEveryFrameFree()
    {
        var result = Qemu.Boot("init=/bin/usertests leak", timeoutSeconds: 240).AssertStatus(BootResult.StatusSuccess)
            .AssertLogContains("test leak: OK");
        AssertNoFramesLost(result);
    }

    /// <summary>1,000 cycles each of fork+exit+wait, fork+exec+exit+wait and fork-then-write-every-page: every frame comes back.</summary>
    [Fact]
    public void UserTestsForkLeakLeavesEveryFrameFree()
    {
        var result = Qemu.Boot("init=/bin/usertests fork-leak", timeoutSeconds: 240).AssertStatus(BootResult.StatusSuccess)
            .AssertLogContains("test fork-leak: OK");
        AssertNoFramesLost(result);
    }

    /// <summary>
    /// Every frame init's programs took came back: free frames after init equal those before, once the
    /// frames that files hold are counted apart (a file a program wrote stays after it, in the file
    /// system: that is not a leak, and a test that writes files may leave them).
    /// </summary>
    internal static void AssertNoFramesLost(BootResult result)
    {
        var match = System.Text.RegularExpressions.Regex.Match(result.SerialLog,
            @"memory check: (\d+) frames free before init, (\d+) after;.* files hold (\d+) frames before, (\d+) after");
        Assert.True(match.Success, "no memory check line\n" + result.Describe());
        long Figure(int group) => long.Parse(match.Groups[group].Value);
        long before = Figure(1) + Figure(3), after = Figure(2) + Figure(4);
        Assert.True(before == after,
            $"frames free before init {Figure(1)} (files {Figure(3)}), after {Figure(2)} (files {Figure(4)})\n{result.Describe()}");
        // Every lazy page's promise of a frame went back with its page (kernel/Mem/MemoryBudget.cs).
        var promised = System.Text.RegularExpressions.Regex.Match(result.SerialLog, @"lazy pages hold (\d+) promised frames after");
        Assert.True(promised.Success && promised.Groups[1].Value == "0", "promises of frames left after init\n" + result.Describe());
    }

    [Fact]
    public void InitArgumentsReachTheProgramAndItsStatusPowersOff()
    {
        Qemu.Boot("init=/bin/echo first second").AssertStatus(0)
            .AssertLogMatches(@"^first second$")
            .AssertLogContains("init exited with status 0");
        Qemu.Boot("init=/bin/fault divide").AssertStatus(136);
    }

    [Fact]
    public void MissingInitProgramIsReported()
    {
        Qemu.Boot("init=/bin/no-such-program").AssertStatus(BootResult.StatusFailure)
            .AssertLogContains("cannot start /bin/no-such-program: ENOENT");
    }

    [Theory]
    [InlineData("divide", "#DE Divide Error (vector 0) in user mode (ring 3)", "Fault.DivideByZero", 136)]
    [InlineData("null", "#PF Page Fault (vector 14) in user mode (ring 3)", "Fault.ReadThroughNull", 139)]
    [InlineData("kernel-read", "#PF Page Fault (vector 14) in user mode (ring 3)", "Fault.ReadKernelMemory", 139)]
    [InlineData("cli", "#GP General Protection (vector 13) in user mode (ring 3)", "demo_cli", 139)]
    [InlineData("hlt", "#GP General Protection (vector 13) in user mode (ring 3)", "demo_hlt", 139)]
    [InlineData("out", "#GP General Protection (vector 13) in user mode (ring 3)", "demo_out", 139)]
    [InlineData("ud2", "#UD Invalid Opcode (vector 6) in user mode (ring 3)", "demo_ud2", 132)]
    public void UserFaultKillsOnlyThatProcessWithAReport(string kind, string exception, string method, int status)
    {
        var result = Qemu.BootWithInput("", $"fault {kind}\necho the shell is still alive\nexit\n")
            .AssertStatus(BootResult.StatusSuccess)
            .AssertLogMatches($@"\*\*\* process \d+ \(fault\) killed: exception {System.Text.RegularExpressions.Regex.Escape(exception)}")
            .AssertLogMatches($@"^  rip: 0x[0-9a-f]{{16}}  {System.Text.RegularExpressions.Regex.Escape(method)}\+0x[0-9a-f]+ in /bin/fault$")
            .AssertLogContains($"*** exit status {status} ***")
            .AssertLogContains($"sh: fault: killed (exit status {status}, signal {status - 128})")
            .AssertLogMatches(@"^the shell is still alive$")
            .AssertLogDoesNotContain("KERNEL PANIC");
        if (kind == "kernel-read")
            result.AssertLogContains("error code: 0x5 = protection violation, read, from user mode");
        if (kind == "null")
            result.AssertLogContains("null dereference");
    }
}
