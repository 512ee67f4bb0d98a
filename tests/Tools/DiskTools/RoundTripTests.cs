using System.Text;
using Abi;
using TeachOS.Tools.DiskTools.Check;
using TeachOS.Tools.DiskTools.Format;
using TeachOS.Tools.DiskTools.Image;
using Xunit;

namespace TeachOS.Tests.Tools.DiskTools;

/// <summary>mkfs a directory, read everything back through the reader: the same bytes, names, modes and link counts.</summary>
public class RoundTripTests
{
    /// <summary>
    /// The largest file the format holds (65,803 blocks: direct, single- and double-indirect), mostly
    /// zeros with marks at each boundary between the three, made sparse on the host so the test
    /// costs little disk. Every byte is compared after the round trip.
    /// </summary>
    [Fact]
    public void EveryFileComesBackByteForByte_TheLargestFileThroughTheDoubleIndirectBlock()
    {
        using var tree = new ScratchTree();
        tree.Write("README.txt", "what the disk is for\n");
        tree.Write("docs/guide/chapter.txt", "nested two deep\n");
        tree.MakeDirectory("empty");
        tree.Write("bin/tool", "#!/bin/sh\n");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(Path.Combine(tree.Tree, "bin/tool"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        tree.Symlink("docs/readme-link", "../README.txt");
        string big = Path.Combine(tree.Tree, "big/huge.bin");
        Directory.CreateDirectory(Path.GetDirectoryName(big)!);
        using (var file = new FileStream(big, FileMode.Create))
        {
            file.SetLength(DiskFormat.MaximumFileSize);
            long[] marks = { 0, 11 * 1024 - 1, 11 * 1024, 267 * 1024 - 1, 267 * 1024, 267 * 1024 + 256 * 1024, 40_000_000, DiskFormat.MaximumFileSize - 1 };
            foreach (long mark in marks)
            {
                file.Position = mark;
                file.WriteByte((byte)(mark % 251 + 1));
            }
        }

        var result = tree.Mkfs(sizeInMiB: 80);

        using FileSystemImage image = FileSystemImage.Open(tree.Image);
        foreach (string path in new[] { "README.txt", "docs/guide/chapter.txt", "bin/tool", "big/huge.bin" })
            Assert.Equal(File.ReadAllBytes(Path.Combine(tree.Tree, path)), image.ReadFile(image.Lookup(path)!.Value));

        DiskInode huge = image.ReadInode(image.Lookup("big/huge.bin")!.Value);
        Assert.Equal((ulong)DiskFormat.MaximumFileSize, huge.Size);
        Assert.NotEqual(0u, DiskStructs.Address(huge, DiskFormat.DoubleIndirectSlot));
        Assert.Equal(DiskLayout.BlocksForFile(DiskFormat.MaximumFileSize), image.BlocksOf(huge).Count());

        DiskInode link = image.ReadInode(image.Lookup("docs/readme-link")!.Value);
        Assert.Equal(DiskInodeType.SymbolicLink, link.Type);
        Assert.Equal("../README.txt", Encoding.UTF8.GetString(image.ReadContents(link)));

        Assert.Equal(0b111_101_101, image.ReadInode(image.Lookup("bin/tool")!.Value).Mode);
        Assert.Equal(0b110_100_100, image.ReadInode(image.Lookup("README.txt")!.Value).Mode);
        DiskInode root = image.ReadInode(DiskFormat.RootInode);
        Assert.Equal(0b111_101_101, root.Mode);
        Assert.Equal(2 + 4, root.LinkCount);                                    // ".", "..", and bin, big, docs, empty's ".."
        Assert.Equal(2, image.ReadInode(image.Lookup("empty")!.Value).LinkCount);
        Assert.Equal(3, image.ReadInode(image.Lookup("docs")!.Value).LinkCount); // its ".", root's entry, guide's ".."

        var rootEntries = image.ReadDirectory(DiskFormat.RootInode);
        Assert.Equal(new[] { ".", "..", "README.txt", "big", "bin", "docs", "empty" }, rootEntries.Select(e => e.Name));
        Assert.All(rootEntries.Take(2), e => Assert.Equal(DiskFormat.RootInode, e.Inode));

        CheckReport report = Checker.Check(image);
        Assert.Empty(report.Findings);
        Assert.Equal(result.DataBlocksUsed, report.DataBlocksInUse);
        Assert.Equal(result.InodesUsed, report.InodesInUse);
    }

    [Fact]
    public void AFreshImageIsClean_AndSparseOnTheHost()
    {
        using var tree = ScratchTree.Small();
        var result = tree.Mkfs(sizeInMiB: 128);

        Assert.Equal(128L * 1024 * 1024, new FileInfo(tree.Image).Length);
        using FileSystemImage image = FileSystemImage.Open(tree.Image);
        CheckReport report = Checker.Check(image);
        Assert.True(report.IsClean, string.Join("\n", report.Findings));
        Assert.Empty(report.Findings);
        Assert.Equal(7u, result.InodesUsed);                                     // /, a, a/b, deep.txt, one.txt, two.txt, link
        Assert.Equal(0u, LogRecovery.ReadHeader(image).Count);
        Assert.True(image.IsMarkedInBitmap(image.Superblock.DataStart - 1));      // the metadata is marked in use
        Assert.False(image.IsMarkedInBitmap(image.Superblock.DataStart + result.DataBlocksUsed));
    }

    [Fact]
    public void TheListingShowsInodesModesSizesAndLinks()
    {
        using var tree = ScratchTree.Small();
        tree.Mkfs();
        using FileSystemImage image = FileSystemImage.Open(tree.Image);
        string[] lines = TreeLister.List(image).ToArray();
        Assert.Contains(lines, l => l.EndsWith("  /") && l.Contains("drwxr-xr-x"));
        Assert.Contains(lines, l => l.EndsWith("/a/b/deep.txt") && l.Contains("-rw-r--r--") && l.Contains(" 14  "));
        Assert.Contains(lines, l => l.EndsWith("/link -> a/one.txt") && l.Contains("lrwxrwxrwx"));
    }
}
