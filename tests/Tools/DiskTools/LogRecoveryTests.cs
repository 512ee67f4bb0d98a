using System.Text;
using Abi;
using TeachOS.Tools.DiskTools.Check;
using TeachOS.Tools.DiskTools.Format;
using TeachOS.Tools.DiskTools.Image;
using Xunit;

namespace TeachOS.Tests.Tools.DiskTools;

/// <summary>A committed log, written by hand as the kernel's commit writes it: fsck reports it, Recover installs it.</summary>
public class LogRecoveryTests
{
    /// <summary>Logs new contents for /a/one.txt's block and a new size in its inode block: one transaction of two blocks.</summary>
    private static void CommitTransaction(FileSystemImage image, uint file, byte[] contents)
    {
        DiskSuperblock s = image.Superblock;
        DiskInode inode = image.ReadInode(file);
        uint dataBlock = DiskStructs.Address(inode, 0);
        var data = new byte[DiskFormat.BlockSize];
        contents.CopyTo(data, 0);
        uint inodeBlock = s.InodeStart + file / DiskFormat.InodesPerBlock;
        byte[] inodes = image.ReadBlock(inodeBlock);
        inode.Size = (ulong)contents.Length;
        DiskStructs.Write(inodes.AsSpan((int)(file % DiskFormat.InodesPerBlock) * DiskFormat.InodeSize), inode);

        image.WriteBlock(s.LogStart + 1, data);
        image.WriteBlock(s.LogStart + 2, inodes);
        var header = new DiskLogHeader { Count = 2 };
        DiskStructs.SetLoggedBlock(ref header, 0, dataBlock);
        DiskStructs.SetLoggedBlock(ref header, 1, inodeBlock);
        var headerBlock = new byte[DiskFormat.BlockSize];
        DiskStructs.Write(headerBlock, header);
        image.WriteBlock(s.LogStart, headerBlock);   // the commit point
    }

    [Fact]
    public void ACommittedLogIsReportedAsNotCorruption_AndRecoverInstallsIt()
    {
        using var tree = ScratchTree.Small();
        tree.Mkfs();
        byte[] replaced = Encoding.UTF8.GetBytes("the transaction's new contents\n");
        using (FileSystemImage image = FileSystemImage.Open(tree.Image, writable: true))
            CommitTransaction(image, image.Lookup("a/one.txt")!.Value, replaced);

        using (FileSystemImage image = FileSystemImage.Open(tree.Image, writable: true))
        {
            CheckReport before = Checker.Check(image);
            Assert.True(before.IsClean);
            Assert.Equal("log holds a committed transaction of 2 blocks (recovery will install it)", Assert.Single(before.Findings).Message);
            Assert.Equal("one\n", Encoding.UTF8.GetString(image.ReadFile(image.Lookup("a/one.txt")!.Value)));

            Assert.Equal(2, image.Recover());
            Assert.Equal(replaced, image.ReadFile(image.Lookup("a/one.txt")!.Value));
            Assert.Equal(0u, LogRecovery.ReadHeader(image).Count);
            Assert.Empty(Checker.Check(image).Findings);
            Assert.Equal(0, image.Recover());   // nothing left to install
        }
    }

    [Fact]
    public void AHeaderCountingMoreThanTheLogHoldsIsAProblem_AndNotInstalled()
    {
        using var tree = ScratchTree.Small();
        tree.Mkfs();
        using FileSystemImage image = FileSystemImage.Open(tree.Image, writable: true);
        var header = new byte[DiskFormat.BlockSize];
        DiskStructs.Write(header, new DiskLogHeader { Count = 300 });
        image.WriteBlock(image.Superblock.LogStart, header);

        var report = Checker.Check(image);
        Assert.Contains(report.Problems, f => f.Kind == FindingKind.Log && f.Message == "log: log header counts 300 blocks, but the log holds at most 255");
        Assert.Throws<InvalidDataException>(() => image.Recover());
    }
}
