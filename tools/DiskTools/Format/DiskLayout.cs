using Abi;

namespace TeachOS.Tools.DiskTools.Format;

/// <summary>
/// Where each region of a disk of a given size goes (abi/DiskFormat.cs draws them): the superblock
/// mkfs writes, and the arithmetic fsck redoes to see whether a superblock adds up.
/// </summary>
public static class DiskLayout
{
    /// <summary>The log's header and as many logged blocks as the header can name (255): a transaction
    /// the kernel's log cannot hold is never limited by the disk, only by the kernel's own log size.</summary>
    public const uint DefaultLogBlocks = 1 + DiskLogHeader.MaximumBlocks;
    public const uint LogStart = DiskFormat.SuperblockNumber + 1;

    /// <summary>One inode per 32 KiB of disk (4,096 on a 128 MiB disk): room for many small files
    /// while the inode table stays a few hundred blocks; never fewer than 16.</summary>
    public static uint DefaultInodeCount(uint sizeInBlocks) => Math.Max(16u, sizeInBlocks / 32);

    // In 64 bits: fsck feeds these a damaged superblock's counts, and near 2^32 a uint sum wraps to a small number.
    public static uint InodeBlocks(uint inodeCount) =>
        (uint)(((ulong)inodeCount + DiskFormat.InodesPerBlock - 1) / DiskFormat.InodesPerBlock);

    public static uint BitmapBlocks(uint sizeInBlocks) =>
        (uint)(((ulong)sizeInBlocks + DiskFormat.BitsPerBlock - 1) / DiskFormat.BitsPerBlock);

    /// <summary>Blocks before the data region: boot block, superblock, log, inodes, bitmap.</summary>
    public static uint MetadataBlocks(uint sizeInBlocks, uint inodeCount, uint logBlocks) =>
        LogStart + logBlocks + InodeBlocks(inodeCount) + BitmapBlocks(sizeInBlocks);

    /// <summary>The superblock of a disk of sizeInBlocks blocks (DataBlocks is 0 when the metadata alone does not fit).</summary>
    public static DiskSuperblock Plan(uint sizeInBlocks, uint inodeCount, uint logBlocks = DefaultLogBlocks)
    {
        var superblock = new DiskSuperblock
        {
            Magic = DiskFormat.Magic,
            Version = DiskFormat.Version,
            Size = sizeInBlocks,
            InodeCount = inodeCount,
            LogBlocks = logBlocks,
            LogStart = LogStart,
        };
        superblock.InodeStart = superblock.LogStart + logBlocks;
        superblock.BitmapStart = superblock.InodeStart + InodeBlocks(inodeCount);
        superblock.DataStart = superblock.BitmapStart + BitmapBlocks(sizeInBlocks);
        superblock.DataBlocks = sizeInBlocks > superblock.DataStart ? sizeInBlocks - superblock.DataStart : 0;
        return superblock;
    }

    /// <summary>Blocks a file of `length` bytes takes: its data blocks, and the indirect blocks that
    /// address them (the single-indirect block past 11 blocks; past 267 the double-indirect block and
    /// one more single-indirect block per 256 data blocks).</summary>
    public static long BlocksForFile(long length)
    {
        long data = (length + DiskFormat.BlockSize - 1) / DiskFormat.BlockSize;
        long blocks = data;
        if (data > DiskFormat.DirectBlocks) blocks += 1;
        long beyondSingle = data - DiskFormat.DirectBlocks - DiskFormat.PointersPerBlock;
        if (beyondSingle > 0) blocks += 1 + (beyondSingle + DiskFormat.PointersPerBlock - 1) / DiskFormat.PointersPerBlock;
        return blocks;
    }
}
