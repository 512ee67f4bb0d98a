using System.Runtime.CompilerServices;
using Abi;
using TeachOS.Tools.DiskTools.Check;
using TeachOS.Tools.DiskTools.Format;
using TeachOS.Tools.DiskTools.Image;
using Xunit;

namespace TeachOS.Tests.Tools.DiskTools;

/// <summary>The format's structures have their on-disk sizes, and fsck survives any damage without throwing.</summary>
public class FormatAndRobustnessTests
{
    [Fact]
    public void TheStructuresHaveTheirSizesOnTheDisk()
    {
        Assert.Equal(40, Unsafe.SizeOf<DiskSuperblock>());
        Assert.Equal(DiskFormat.InodeSize, Unsafe.SizeOf<DiskInode>());
        Assert.Equal(DiskFormat.DirectoryEntrySize, Unsafe.SizeOf<DiskDirectoryEntry>());
        Assert.Equal(DiskFormat.BlockSize, Unsafe.SizeOf<DiskLogHeader>());
        Assert.Equal(65_803, DiskFormat.MaximumFileBlocks);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(11 * 1024, 11)]
    [InlineData(11 * 1024 + 1, 13)]                 // the 12th block needs the single-indirect block
    [InlineData(267 * 1024, 268)]
    [InlineData(267 * 1024 + 1, 268 + 3)]           // and the 268th the double-indirect block and a child
    [InlineData(DiskFormat.MaximumFileSize, 65_803 + 1 + 1 + 256)]
    public void AFileTakesItsDataBlocksAndItsIndirectBlocks(long length, long blocks) =>
        Assert.Equal(blocks, DiskLayout.BlocksForFile(length));

    [Fact]
    public void AnInodeCountNear4GDoesNotWrapToASmallTable() =>
        Assert.Equal(536_870_912u, DiskLayout.InodeBlocks(uint.MaxValue));

    /// <summary>
    /// The crash explorer hands fsck whatever a crash left; a damaged image must give findings, never
    /// an exception. Random bytes land in the metadata and in the first data blocks (the directories,
    /// the indirect blocks), 300 times from a fixed seed.
    /// </summary>
    [Fact]
    public void RandomDamageGivesFindingsNeverAnException()
    {
        using var tree = ScratchTree.Small();
        tree.Write("big.bin", new byte[300 * 1024]);    // an indirect block to damage too
        tree.Mkfs();
        byte[] pristine = File.ReadAllBytes(tree.Image);
        var random = new Random(15);
        DiskSuperblock layout;
        using (FileSystemImage image = FileSystemImage.Open(tree.Image)) layout = image.Superblock;
        // Where damage matters: the used inodes (1..8, in the first inode block), the bitmap's bytes
        // for the disk's 2048 blocks, the first data blocks (directories, indirect blocks), and now and
        // then the superblock.
        (long Start, int Length)[] targets =
        {
            ((long)layout.InodeStart * DiskFormat.BlockSize + DiskFormat.InodeSize, DiskFormat.BlockSize),
            ((long)layout.BitmapStart * DiskFormat.BlockSize, (int)(layout.Size / 8)),
            ((long)layout.DataStart * DiskFormat.BlockSize, 12 * DiskFormat.BlockSize),
            (DiskFormat.SuperblockNumber * DiskFormat.BlockSize, 40),
        };

        int flagged = 0;
        for (int round = 0; round < 300; round++)
        {
            byte[] damaged = (byte[])pristine.Clone();
            for (int hit = 0; hit < 1 + random.Next(8); hit++)
            {
                var (start, length) = targets[round % 10 == 0 ? 3 : random.Next(3)];
                damaged[start + random.Next(length)] ^= (byte)(1 + random.Next(255));
            }
            using var image = new FileSystemImage(new MemoryStream(damaged));
            CheckReport report = Checker.Check(image);
            if (!report.IsClean) flagged++;
            _ = TreeLister.List(image).Count();
            try { image.Recover(); } catch (InvalidDataException) { }
        }
        Assert.True(flagged > 150, $"only {flagged} of 300 damaged images had findings");
    }
}
