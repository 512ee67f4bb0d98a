using TeachOS.Tests.Integration.Harness;
using Xunit;

namespace TeachOS.Tests.Integration;

/// <summary>
/// The crash explorer on real boots (tools/DiskTools/Explore, userland/Programs/crashload.cs): each
/// workload runs with disk-trace on, then every crash point of its trace, and up to 64 reorderings
/// of each (the explorer's --subsets: every subset of an epoch of up to 7 writes, else every single
/// omission and a sample; `make crash-explore` checks up to 512), is recovered, checked by fsck and
/// compared with the workload's model. And real crashes (crash-after-writes=N) of workload a,
/// recovered by the next boot's mount: fsck clean and the model holds. At -smp 1, and one workload
/// each at -smp 2 and -smp 4,cores=2,threads=2.
/// </summary>
public class CrashExplorerTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("b")]
    [InlineData("c")]
    public void EveryCrashPointRecoversToWholeOperations(string workload) => AssertExplorerPasses(workload, "1");

    /// <summary>
    /// The same on several CPUs, where the workload's thread moves between CPUs, the disk's interrupt
    /// may come on another one than the sleeping writer's, and the trace's order must still be the
    /// disk's (kernel/Drivers/DiskTrace.cs). To keep the time small, one workload per topology, booted
    /// side by side: b (the tree: the most kinds of operation) at -smp 2, a (the most writes) at
    /// -smp 4,cores=2,threads=2. `make crash-explore WORKLOAD=c SMP=2` runs any other pair.
    /// </summary>
    [Fact]
    public void EveryCrashPointRecoversOnSeveralCpus()
    {
        Task[] runs =
        {
            Task.Run(() => AssertExplorerPasses("b", "2")),
            Task.Run(() => AssertExplorerPasses("a", "4,cores=2,threads=2")),
        };
        Task.WaitAll(runs);
    }

    // Boots crashload WORKLOAD with the disk trace on, then explores every crash point of its trace.
    private static void AssertExplorerPasses(string workload, string smp)
    {
        string baseImage = DiskImages.CopyOf(Repository.PathOf("build/disk.img"));
        string disk = DiskImages.CopyOf(baseImage);
        BootResult boot = Qemu.BootWithDisk($"disk-trace init=/bin/crashload {workload}", disk, timeoutSeconds: 240, smp: smp)
            .AssertStatus(BootResult.StatusSuccess)
            .AssertLogContains("crashload: done")
            .AssertLogDoesNotContain("KERNEL PANIC");
        string log = Path.Combine(Path.GetDirectoryName(disk)!, "serial.log");
        File.WriteAllText(log, boot.SerialLog);
        string output = DiskImages.RunDiskTool("explore", baseImage, log, "--subsets", "64");
        Assert.Matches(@"crash explorer: \d+ states checked \(\d+ crash points and their reorderings\), 0 failed", output);
    }

    /// <summary>
    /// Workload a's first operation (mkdir) writes 4 log blocks, then its header: the commit point is
    /// write 5. So 4 leaves the mkdir undone and 5 leaves it for recovery to install; 40 falls in its
    /// fourth operation, 95 among the big file's writes.
    /// </summary>
    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(40)]
    [InlineData(95)]
    public void ARealCrashIsRecoveredAtTheNextMount(int crashAfterWrites)
    {
        string disk = DiskImages.CopyOf(Repository.PathOf("build/disk.img"));
        BootResult crashed = Qemu.BootWithDisk($"disk-trace crash-after-writes={crashAfterWrites} init=/bin/crashload a", disk, timeoutSeconds: 120)
            .AssertStatus(101);                          // DebugExit.StatusDiskCrashPoint
        string log = Path.Combine(Path.GetDirectoryName(disk)!, "crashed.log");
        File.WriteAllText(log, crashed.SerialLog);
        Qemu.BootWithDisk("init=/bin/true", disk, timeoutSeconds: 60)
            .AssertStatus(BootResult.StatusSuccess)
            .AssertLogMatches(@"^disk: mounted at /disk: ");
        string output = DiskImages.RunDiskTool("explore", "--recovered", disk, log);
        Assert.Contains("recovered image passes", output);
    }
}
