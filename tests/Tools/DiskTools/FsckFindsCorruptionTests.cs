using Abi;
using TeachOS.Tools.DiskTools.Check;
using TeachOS.Tools.DiskTools.Format;
using TeachOS.Tools.DiskTools.Image;
using Xunit;

namespace TeachOS.Tests.Tools.DiskTools;

/// <summary>
/// Each test builds a clean image of ScratchTree.Small (/a/b/deep.txt, /a/one.txt, /two.txt, /link),
/// plants one corruption and expects fsck to name it. Other findings may follow from the same
/// damage (a block taken from a file is also a leak); the one planted must be among them.
/// </summary>
public class FsckFindsCorruptionTests
{
    private static CheckReport Plant(Action<FileSystemImage> damage)
    {
        using var tree = ScratchTree.Small();
        tree.Mkfs();
        using (FileSystemImage image = FileSystemImage.Open(tree.Image, writable: true))
        {
            Assert.True(Checker.Check(image).IsClean);
            damage(image);
        }
        using FileSystemImage damaged = FileSystemImage.Open(tree.Image);
        return Checker.Check(damaged);
    }

    private static void Expect(CheckReport report, FindingKind kind, string message)
    {
        Assert.False(report.IsClean);
        Assert.True(report.Findings.Any(f => f.Kind == kind && f.Message.Contains(message)),
                    $"expected {kind} \"{message}\"; fsck found:\n" + string.Join("\n", report.Findings));
    }

    private static uint Inode(FileSystemImage image, string path) => image.Lookup(path)!.Value;

    [Fact]
    public void BadMagic() =>
        Expect(Plant(image => Planting.EditSuperblock(image, s => { s.Magic = 0x12345678; return s; })),
               FindingKind.Superblock, "superblock: bad magic 0x12345678");

    [Fact]
    public void ARegionPastTheEndOfTheImage() =>
        Expect(Plant(image => Planting.EditSuperblock(image, s => { s.Size += 100; s.DataBlocks += 100; return s; })),
               FindingKind.Superblock, "the file system has 2148 blocks but the image only 2048");

    [Fact]
    public void RegionsThatOverlap() =>
        Expect(Plant(image => Planting.EditSuperblock(image, s => { s.InodeStart -= 1; return s; })),
               FindingKind.Superblock, "superblock: the log at blocks 2..257 runs past the start of the inode table at 257");

    [Fact]
    public void ABlockOwnedTwice() =>
        Expect(Plant(image =>
        {
            uint taken = DiskStructs.Address(image.ReadInode(Inode(image, "a/one.txt")), 0);
            Planting.EditInode(image, Inode(image, "two.txt"), i => Planting.WithAddress(i, 1, taken));
        }), FindingKind.BlockOwnedTwice, "is used twice: by inode");

    [Fact]
    public void ALeakedBlock() =>
        Expect(Plant(image => Planting.SetBitmapBit(image, image.Superblock.Size - 1, used: true)),
               FindingKind.BitmapLeak, "block 2047 is marked in use in the bitmap but nothing uses it (leaked)");

    [Fact]
    public void ABitmapHole()
    {
        uint block = 0;
        var report = Plant(image =>
        {
            block = DiskStructs.Address(image.ReadInode(Inode(image, "two.txt")), 2);
            Planting.SetBitmapBit(image, block, used: false);
        });
        Expect(report, FindingKind.BitmapHole, $"block {block} is used by inode");
        Expect(report, FindingKind.BitmapHole, "(direct 2) but free in the bitmap");
    }

    [Fact]
    public void MetadataFreeInTheBitmap() =>
        Expect(Plant(image => Planting.SetBitmapBit(image, DiskFormat.SuperblockNumber, used: false)),
               FindingKind.BitmapHole, "block 1 (superblock) is free in the bitmap");

    [Fact]
    public void AWrongLinkCount() =>
        Expect(Plant(image => Planting.EditInode(image, Inode(image, "a/one.txt"), i => { i.LinkCount = 2; return i; })),
               FindingKind.LinkCount, "(/a/one.txt): link count 2, but 1 entries name it");

    [Fact]
    public void ADirectoryLoop() =>
        Expect(Plant(image => Planting.AddEntry(image, Inode(image, "a/b"), "up", Inode(image, "a"))),
               FindingKind.DirectoryTree, "directory loop: /a/b/up names inode 2, its own ancestor /a");

    [Fact]
    public void ADirectoryWithASecondParent() =>
        Expect(Plant(image => Planting.AddEntry(image, DiskFormat.RootInode, "b-again", Inode(image, "a/b"))),
               FindingKind.DirectoryTree, "has a second parent");

    [Fact]
    public void ABadInodeType() =>
        Expect(Plant(image => Planting.EditInode(image, Inode(image, "two.txt"), i => { i.Type = 9; return i; })),
               FindingKind.Inode, "bad type 9");

    [Fact]
    public void AnEntryNamingAFreeInode() =>
        Expect(Plant(image => Planting.Repoint(image, Inode(image, "a"), "one.txt", 40)),
               FindingKind.DirectoryEntry, "entry 3 'one.txt' names inode 40, which is free");

    [Fact]
    public void DotDotNamingTheWrongDirectory() =>
        Expect(Plant(image => Planting.Repoint(image, Inode(image, "a/b"), "..", DiskFormat.RootInode)),
               FindingKind.DirectoryDots, "directory /a/b: '..' names inode 1, not its parent, inode 2");

    [Fact]
    public void AnOrphanFile() =>
        Expect(Plant(image => Planting.EditInode(image, 40, _ => new DiskInode { Type = DiskInodeType.File, LinkCount = 1 })),
               FindingKind.Orphan, "inode 40 (file, link count 1) is not reachable from the root (an orphan)");

    [Fact]
    public void AnUnlinkedInodeNeverFreed() =>
        Expect(Plant(image =>
        {
            uint file = Inode(image, "a/one.txt");
            Planting.EditInode(image, file, i => { i.LinkCount = 0; return i; });
            Planting.Repoint(image, Inode(image, "a"), "one.txt", 0);   // the entry's slot is free again
        }), FindingKind.Unlinked, "is allocated with link count 0 and no name (unlinked but never freed)");

    [Fact]
    public void ABlockOutsideTheDataRegion() =>
        Expect(Plant(image => Planting.EditInode(image, Inode(image, "two.txt"), i => Planting.WithAddress(i, 0, 3))),
               FindingKind.BlockOutOfRange, "block 3 (direct 0) is outside the data region");

    [Fact]
    public void ABlockPastTheFilesSize() =>
        Expect(Plant(image => Planting.EditInode(image, Inode(image, "two.txt"), i => { i.Size = 1024; return i; })),
               FindingKind.Inode, "(direct 1) lies past the end of its 1024 bytes");
}
