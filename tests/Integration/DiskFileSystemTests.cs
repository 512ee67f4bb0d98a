using TeachOS.Tests.Integration.Harness;
using Xunit;

namespace TeachOS.Tests.Integration;

/// <summary>
/// The disk file system at /disk (kernel/Fs/DiskFileSystem.cs), each test on a copy of an image in a
/// temporary folder (build/disk.img, which make builds with tools/DiskTools' mkfs, or one made here),
/// so that no test sees another's writes; after each boot, the host's fsck must find the image clean.
/// </summary>
public class DiskFileSystemTests
{
    private static readonly string[] DiskTests =
        { "disk-files", "disk-bigfile", "disk-bigdir", "disk-createdelete", "disk-unlink-open", "disk-links", "disk-paths",
          "disk-createdelete4", "disk-excl-race", "disk-linkunlink", "disk-fourfiles", "disk-sharedfd", "disk-dirfile", "disk-iref",
          "cgroup-iomax", "cgroup-io-unlimited", "cgroup-iomax-kill", "cgroup-iomax-hostile" };

    [Theory]
    [MemberData(nameof(UserModeTests.CpuConfigurations), MemberType = typeof(UserModeTests))]
    public void DiskTestsPassAndLeaveTheDiskClean(string smp)
    {
        string image = DiskImages.CopyOfBuiltImage();
        var result = DiskImages.BootAndCheck("init=/bin/usertests " + string.Join(' ', DiskTests), image, timeoutSeconds: 400, smp: smp)
            .AssertStatus(BootResult.StatusSuccess)
            .AssertLogMatches(@"^disk: mounted at /disk: ")
            .AssertLogDoesNotContain("KERNEL PANIC");
        foreach (string test in DiskTests) result.AssertLogContains($"test {test}: OK");
        result.AssertLogContains($"usertests: {DiskTests.Length} passed, 0 failed");
    }

    /// <summary>
    /// Writers killed while they sleep waiting for the disk (userland/Programs/usertests/DiskKills.cs):
    /// every frame comes back (the memory check at init's exit), and the image is clean.
    /// </summary>
    [Fact]
    public void AProcessKilledWhileWaitingForTheDiskLeaksNothing()
    {
        string image = DiskImages.CopyOfBuiltImage();
        var result = DiskImages.BootAndCheck("init=/bin/usertests disk-kill-sleeper", image, timeoutSeconds: 240, smp: "2")
            .AssertStatus(BootResult.StatusSuccess)
            .AssertLogContains("test disk-kill-sleeper: OK")
            .AssertLogDoesNotContain("KERNEL PANIC");
        UserModeTests.AssertNoFramesLost(result);
    }

    [Theory]
    [MemberData(nameof(UserModeTests.CpuConfigurations), MemberType = typeof(UserModeTests))]
    public void TheBufferCacheGivesOneBufferPerBlockAndWaitsWhenFull(string smp)
    {
        string image = DiskImages.CopyOfBuiltImage();
        DiskImages.BootAndCheck("test=buffer-cache", image, timeoutSeconds: 120, smp: smp)
            .AssertStatus(BootResult.StatusSuccess)
            .AssertLogDoesNotContain("KERNEL PANIC");
    }

    [Fact]
    public void AFileWrittenBeforeAPowerOffIsThereAfterIt()
    {
        string image = DiskImages.CopyOfBuiltImage();
        DiskImages.BootAndCheck("init=/bin/usertests disk-persist-write", image, timeoutSeconds: 120)
            .AssertStatus(BootResult.StatusSuccess).AssertLogContains("test disk-persist-write: OK");
        DiskImages.BootAndCheck("init=/bin/usertests disk-persist-read", image, timeoutSeconds: 120)
            .AssertStatus(BootResult.StatusSuccess).AssertLogContains("test disk-persist-read: OK");
    }

    /// <summary>
    /// make run's promise: the student, logged in (autologin=student, as LoginTests), may create a file
    /// in /disk/home/student (mkfs's --owner gave it to uid 1000, the Makefile's DISK_OWNERS) but not
    /// at the disk's root, which stays root's; the file is on the image after the power-off.
    /// </summary>
    [Fact]
    public void TheStudentCreatesAFileInTheirDirectoryOnTheDiskAndItIsThereAfterThePowerOff()
    {
        string image = DiskImages.CopyOfBuiltImage();
        BootResult boot = Qemu.BootWithInput("autologin=student",
                                             "ls -l /disk/home\necho kept > /disk/home/student/kept.txt\necho no > /disk/nope.txt\nexit 3\n",
                                             timeoutSeconds: 120, disk: image)
            .AssertStatus(3)
            .AssertLogMatches(@"^drwxr-xr-x  2  1000  1000 +\d+  student/$")       // ls -l: mode, links, owner, group
            .AssertLogContains("/disk/nope.txt: EACCES")
            .AssertLogDoesNotContain("KERNEL PANIC");
        DiskImages.AssertClean(image, boot);
        Assert.Equal("kept\n"u8.ToArray(), DiskImages.ExtractOrNull(image, "/home/student/kept.txt"));
        Assert.Null(DiskImages.ExtractOrNull(image, "/nope.txt"));
    }

    /// <summary>
    /// A power failure at write N of a workload (the driver's crash-after-writes=N: the image holds the
    /// first N writes and nothing after), then a boot whose mount runs the log's recovery: fsck finds
    /// the disk clean, and the file holds a whole number of the workload's 4 KiB writes (each one
    /// operation of the log), each with the right bytes: never a half-done write.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(40)]
    [InlineData(97)]
    [InlineData(250)]
    [InlineData(503)]
    [InlineData(777)]
    public void ACrashAtAnyWriteIsRecoveredToAWholeNumberOfWrites(int crashAfterWrites)
    {
        string image = DiskImages.CopyOfBuiltImage();
        Qemu.BootWithDisk($"crash-after-writes={crashAfterWrites} init=/bin/usertests disk-persist-write", image, timeoutSeconds: 120)
            .AssertStatus(DiskCrashPointStatus)
            .AssertLogContains($"disk: crash after {crashAfterWrites} writes");
        DiskImages.BootAndCheck("init=/bin/true", image, timeoutSeconds: 60)
            .AssertStatus(BootResult.StatusSuccess)
            .AssertLogMatches(@"^disk: mounted at /disk: ");
        byte[]? file = DiskImages.ExtractOrNull(image, "/persist.bin");
        if (file == null) return;                       // the crash came before the create committed
        Assert.True(file.Length % 4096 == 0 || file.Length == 300000, $"persist.bin holds {file.Length} bytes: not a whole number of writes");
        for (long offset = 0; offset < file.Length; offset++)
            Assert.True(file[offset] == (byte)(offset * 7 + (offset >> 10) + (offset >> 17)), $"persist.bin's byte {offset} is wrong");
    }

    /// <summary>
    /// The workload's first commit (the create of persist.bin: inode 9's block, the block of the root's
    /// inode, whose size grows, and the root's directory block; build/disk.img uses inodes 1 to 8, so
    /// the new inode is not in the root's block) writes three logged blocks, then the header: write 4
    /// is the commit point. A crash after write 5 (one block installed, two not) leaves a committed
    /// operation that only recovery can finish: the next mount must install it, and the file must be there.
    /// </summary>
    [Fact]
    public void ACrashAfterTheCommitPointIsFinishedByRecovery()
    {
        string image = DiskImages.CopyOfBuiltImage();
        Qemu.BootWithDisk("crash-after-writes=5 init=/bin/usertests disk-persist-write", image, timeoutSeconds: 120)
            .AssertStatus(DiskCrashPointStatus);
        DiskImages.BootAndCheck("init=/bin/true", image, timeoutSeconds: 60)
            .AssertStatus(BootResult.StatusSuccess)
            .AssertLogMatches(@"^disk: mounted at /disk: .*recovered a committed operation of \d+ blocks")
            .AssertLogMatches(@"^disk: recovered \d+ blocks in \d+ us$");
        Assert.NotNull(DiskImages.ExtractOrNull(image, "/persist.bin"));
    }

    /// <summary>
    /// disk-unlink-open writes a file, unlinks it while it is open, and closes it: about 1,990 block
    /// writes, the last few dozen freeing the file at the close. A crash at write 1,960 falls after the
    /// unlink's commit and before the close: the image holds an inode with no name and its blocks
    /// (fsck's finding). The next mount frees it (Fs/OrphanInodes.cs), and fsck finds the disk clean.
    /// </summary>
    [Fact]
    public void AFileUnlinkedWhileOpenIsFreedAtTheMountAfterACrash()
    {
        string image = DiskImages.CopyOfBuiltImage();
        Qemu.BootWithDisk("crash-after-writes=1960 init=/bin/usertests disk-unlink-open", image, timeoutSeconds: 120)
            .AssertStatus(DiskCrashPointStatus);
        DiskImages.BootAndCheck("init=/bin/true", image, timeoutSeconds: 60)
            .AssertStatus(BootResult.StatusSuccess)
            .AssertLogContains("disk: orphaned inodes freed: 1 ");
    }

    /// <summary>DebugExit.StatusDiskCrashPoint: the kernel stopped at its crash point.</summary>
    private const int DiskCrashPointStatus = 101;

    [Fact]
    public void AFullDiskAndNoFreeInodeGiveEnospcAndTheDiskGoesOnWorking()
    {
        string folder = DiskImages.NewFolder();
        string empty = Directory.CreateDirectory(Path.Combine(folder, "empty")).FullName;
        string image = Path.Combine(folder, "small.img");
        DiskImages.RunDiskTool("mkfs", image, "4", empty, "--inodes", "48");
        DiskImages.BootAndCheck("init=/bin/usertests disk-full disk-out-of-inodes", image, timeoutSeconds: 240)
            .AssertStatus(BootResult.StatusSuccess)
            .AssertLogContains("test disk-full: OK")
            .AssertLogContains("test disk-out-of-inodes: OK")
            .AssertLogDoesNotContain("KERNEL PANIC");
    }

    [Fact]
    public void ACorruptSuperblockIsRefusedWithoutAPanic()
    {
        string image = DiskImages.CopyOfBuiltImage();
        using (var disk = new FileStream(image, FileMode.Open, FileAccess.Write))
        {
            disk.Position = 1024;                       // block 1, the superblock: its magic
            disk.Write(new byte[] { 0xDE, 0xAD, 0xBE, 0xEF });
        }
        Qemu.BootWithDisk("init=/bin/true", image, timeoutSeconds: 60)
            .AssertStatus(BootResult.StatusSuccess)
            .AssertLogContains("disk: not mounted: bad superblock magic 0xefbeadde")
            .AssertLogDoesNotContain("KERNEL PANIC");
    }

    /// <summary>
    /// Damage in an inode: a root of unknown type is refused at mount; a directory block address that
    /// points into the log is reported when it is used (EIO), and the machine goes on. Never a panic.
    /// </summary>
    [Fact]
    public void ACorruptInodeIsReportedWithoutAPanic()
    {
        string image = DiskImages.CopyOfBuiltImage();
        long rootInode = InodeStart(image) * 1024 + 128;            // inode 1, 128 bytes each
        using (var disk = new FileStream(image, FileMode.Open, FileAccess.Write))
        {
            disk.Position = rootInode + 32;                         // Addresses[0]: the root's first block
            disk.Write(BitConverter.GetBytes(5u));                  // a block of the log
        }
        Qemu.BootWithDisk("init=/bin/ls /disk", image, timeoutSeconds: 60)
            .AssertLogContains("disk: an inode names block 5, outside the data region: EIO")
            .AssertLogContains("init exited with status")
            .AssertLogDoesNotContain("KERNEL PANIC");

        using (var disk = new FileStream(image, FileMode.Open, FileAccess.Write))
        {
            disk.Position = rootInode;                              // Type
            disk.Write(BitConverter.GetBytes((ushort)7));
        }
        Qemu.BootWithDisk("init=/bin/true", image, timeoutSeconds: 60)
            .AssertStatus(BootResult.StatusSuccess)
            .AssertLogContains("disk: inode 1 is corrupt (type 7")
            .AssertLogContains("disk: not mounted: inode 1 (the root) is not a directory")
            .AssertLogDoesNotContain("KERNEL PANIC");
    }

    private static long InodeStart(string image)
    {
        using var disk = new FileStream(image, FileMode.Open, FileAccess.Read);
        var superblock = new byte[40];
        disk.Position = 1024;
        disk.ReadExactly(superblock);
        return BitConverter.ToUInt32(superblock, 28);              // DiskSuperblock.InodeStart
    }
}
