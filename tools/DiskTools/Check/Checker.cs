using Abi;
using TeachOS.Tools.DiskTools.Format;
using TeachOS.Tools.DiskTools.Image;

namespace TeachOS.Tools.DiskTools.Check;

/// <summary>fsck's verdict on an image: what it found, and how much of the disk is in use.</summary>
public sealed record CheckReport(IReadOnlyList<Finding> Findings, uint InodesInUse, uint DataBlocksInUse)
{
    public IEnumerable<Finding> Problems => Findings.Where(f => f.IsProblem);
    public bool IsClean => !Problems.Any();
}

/// <summary>
/// Checks an image the way fsck does, in-process and without changing it: the superblock first
/// (if its numbers are wrong nothing else can be read), the log, then every inode's blocks against
/// each other and the bitmap (BlockChecks), then the directory tree and the link counts
/// (DirectoryChecks). Every problem is one Finding; the crash explorer runs this on each state it
/// builds, so it reads each block a small number of times and allocates little per block.
/// </summary>
public static class Checker
{
    public static CheckReport Check(FileSystemImage image)
    {
        var findings = SuperblockChecks.Check(image);
        if (findings.Count > 0) return new CheckReport(findings, 0, 0);

        CheckLog(image, findings);
        DiskInode[] inodes = ReadInodes(image);
        uint blocksInUse = BlockChecks.Check(image, inodes, findings);
        DirectoryChecks.Check(image, inodes, findings);
        uint inodesInUse = (uint)inodes.Skip((int)DiskFormat.RootInode).Count(i => i.Type != DiskInodeType.Free);
        return new CheckReport(findings, inodesInUse, blocksInUse);
    }

    /// <summary>A nonzero count is a transaction that committed and was not yet installed: what
    /// recovery is for, not corruption (the checks below see the disk as it is before recovery).</summary>
    private static void CheckLog(FileSystemImage image, List<Finding> findings)
    {
        DiskLogHeader header = LogRecovery.ReadHeader(image);
        if (header.Count == 0) return;
        if (LogRecovery.HeaderProblem(image, header) is string problem)
            findings.Add(new Finding(FindingKind.Log, "log: " + problem));
        else
            findings.Add(new Finding(FindingKind.LogPending,
                $"log holds a committed transaction of {header.Count} blocks (recovery will install it)"));
    }

    private static DiskInode[] ReadInodes(FileSystemImage image)
    {
        DiskSuperblock superblock = image.Superblock;
        var inodes = new DiskInode[superblock.InodeCount];
        var block = new byte[DiskFormat.BlockSize];
        for (uint first = 0; first < superblock.InodeCount; first += DiskFormat.InodesPerBlock)
        {
            image.ReadBlock(superblock.InodeStart + first / DiskFormat.InodesPerBlock, block);
            for (uint i = 0; i < DiskFormat.InodesPerBlock && first + i < superblock.InodeCount; i++)
                inodes[first + i] = DiskStructs.Read<DiskInode>(block.AsSpan((int)i * DiskFormat.InodeSize));
        }
        return inodes;
    }
}
