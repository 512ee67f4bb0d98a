using Abi;
using TeachOS.Tests.Integration.Harness;
using Xunit;

namespace TeachOS.Tests.Integration;

/// <summary>
/// Disks made wrong on purpose (copies of build/disk.img damaged through DiskTools' library:
/// Harness/DamagedImage.cs). The kernel must refuse a superblock it cannot trust at mount, and report
/// damage inside the tree where it meets it (the call gets EIO, the boot log names the inode or the
/// block), never panic, and go on working. The damage inside the tree is all in one image, walked in
/// one boot by /bin/tree, which reads every file to its end.
/// </summary>
public class HostileImageTests
{
    public static TheoryData<string, string> BadSuperblocks => new()
    {
        { "size-past-device", "disk: not mounted: the superblock says 4294967295 blocks, the device has 131072" },
        { "data-past-size", "disk: not mounted: the superblock's regions do not add up" },
        { "inodes-over-bitmap", "disk: not mounted: the superblock's regions do not add up" },
        { "log-too-small", "disk: not mounted: a log of 3 blocks cannot hold one operation" },
        { "version", "disk: not mounted: superblock version 99, this kernel reads version" },
    };

    private static DiskSuperblock Damage(string which, DiskSuperblock s)
    {
        switch (which)
        {
            case "size-past-device": s.Size = uint.MaxValue; break;
            case "data-past-size": s.DataStart = s.Size + 10; break;
            case "inodes-over-bitmap": s.InodeCount = uint.MaxValue - 3; break;       // ~2^32 inodes: 64 bits must not wrap
            case "log-too-small": s.LogBlocks = 3; break;
            case "version": s.Version = 99; break;
        }
        return s;
    }

    [Theory]
    [MemberData(nameof(BadSuperblocks))]
    public void ASuperblockThatDoesNotAddUpIsRefusedAtMount(string damage, string report)
    {
        string image;
        using (var disk = new DamagedImage())
        {
            disk.ChangeSuperblock(s => Damage(damage, s));
            image = disk.Path;
        }
        Qemu.BootWithDisk("init=/bin/ls /", image, timeoutSeconds: 60)
            .AssertStatus(BootResult.StatusSuccess)             // ls of the RAM file system: the machine goes on
            .AssertLogContains(report)
            .AssertLogDoesNotContain("disk: mounted at")
            .AssertLogDoesNotContain("KERNEL PANIC");
    }

    /// <summary>
    /// A committed log whose header names blocks outside the inode, bitmap and data regions (the
    /// superblock, here) would let recovery overwrite what must never change: refused, nothing written.
    /// </summary>
    [Fact]
    public void ALogHeaderNamingTheSuperblockIsRefusedWithoutWriting()
    {
        string image;
        using (var disk = new DamagedImage())
        {
            image = disk.Path;
            disk.WriteLogHeader(DiskFormat.SuperblockNumber);
        }
        byte[] before = File.ReadAllBytes(image);
        Qemu.BootWithDisk("init=/bin/true", image, timeoutSeconds: 60)
            .AssertStatus(BootResult.StatusSuccess)
            .AssertLogContains("disk: not mounted: the log's header names block 1, outside the inode, bitmap and data regions")
            .AssertLogDoesNotContain("KERNEL PANIC");
        Assert.True(before.AsSpan().SequenceEqual(File.ReadAllBytes(image)), "the refused disk was written to");
    }

    [Fact]
    public void DamageInsideTheTreeIsReportedWhereItIsMet()
    {
        string image;
        uint badType, freeInode, outside, pastTheEnd, notes;
        const uint PastTheLastInode = 4_000_000;
        using (var disk = new DamagedImage())
        {
            image = disk.Path;
            badType = disk.SetType("/notes/hello.txt", 9);                          // no such type
            outside = disk.Superblock.LogStart + 1;
            disk.SetAddress("/notes/numbers.txt", 0, outside);                       // a data block in the log
            pastTheEnd = disk.Superblock.Size + 1000;
            disk.SetAddress("/README.txt", 1, pastTheEnd);                           // past the end of the disk
            notes = disk.InodeOf("/notes");
            freeInode = disk.AFreeInode();
            disk.AddEntry("/notes", "free", freeInode);                              // an entry naming a free inode
            disk.AddEntry("/notes", "far", PastTheLastInode);                        // an entry past the inode table
            disk.AddEntry("/notes", "loop", DiskFormat.RootInode);                   // a directory loop: /notes/loop is /
        }
        BootResult boot = Qemu.BootWithDisk("init=/bin/tree /disk", image, timeoutSeconds: 120)
            .AssertLogMatches(@"^disk: mounted at /disk: ")
            .AssertLogContains("init exited with status 1")                         // tree found problems, and said so
            .AssertLogDoesNotContain("KERNEL PANIC");
        boot.AssertLogContains($"disk: inode {badType} is corrupt (type 9")
            .AssertLogContains("tree: /disk/notes/hello.txt: EIO")
            .AssertLogContains($"disk: an inode names block {outside}, outside the data region: EIO")
            .AssertLogContains("tree: /disk/notes/numbers.txt: EIO")
            .AssertLogContains($"disk: an inode names block {pastTheEnd}, outside the data region: EIO")
            .AssertLogContains("tree: /disk/README.txt: EIO")
            .AssertLogContains($"disk: inode {freeInode} is corrupt (type 0")
            .AssertLogContains("tree: /disk/notes/free: EIO")
            .AssertLogContains($"disk: directory {notes} names inode {PastTheLastInode}, past the last")
            .AssertLogContains("tree: /disk/notes/far: EIO")
            .AssertLogMatches(@"^tree: /disk/notes/loop: its \.\. is inode \d+, not the directory it is in \(inode " + notes + @"\): a directory with two names, maybe a loop: not walked$");
    }
}
