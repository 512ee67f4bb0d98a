using Abi;
using TeachOS.Tools.DiskTools.Check;
using TeachOS.Tools.DiskTools.Format;

namespace TeachOS.Tools.DiskTools.Image;

/// <summary>
/// The log as the kernel's recovery sees it at mount (xv6's log.c): the header block at LogStart
/// holds Count and, for each logged block i, its home address Blocks[i]; the block's new contents
/// wait in log block LogStart + 1 + i. Count > 0 means the transaction committed (writing the
/// header was the commit point), so recovery copies every logged block home and then writes the
/// header with Count = 0. Done again after a crash during recovery, it installs the same blocks:
/// it is idempotent, which is why a crash at any moment is safe.
/// </summary>
public static class LogRecovery
{
    public static DiskLogHeader ReadHeader(FileSystemImage image) =>
        DiskStructs.Read<DiskLogHeader>(image.ReadBlock(image.Superblock.LogStart));

    /// <summary>Why the header cannot be installed (a count the log cannot hold, a home address
    /// outside the disk or inside the log itself), or null when it can.</summary>
    public static string? HeaderProblem(FileSystemImage image, DiskLogHeader header)
    {
        DiskSuperblock superblock = image.Superblock;
        uint capacity = Math.Min(superblock.LogBlocks == 0 ? 0 : superblock.LogBlocks - 1, (uint)DiskLogHeader.MaximumBlocks);
        if (header.Count > capacity)
            return $"log header counts {header.Count} blocks, but the log holds at most {capacity}";
        for (int i = 0; i < header.Count; i++)
        {
            uint home = DiskStructs.LoggedBlock(header, i);
            if (home <= DiskFormat.SuperblockNumber || home >= superblock.Size)
                return $"log entry {i} names block {home}, outside the blocks a transaction may change";
            if (home >= superblock.LogStart && home < superblock.LogStart + superblock.LogBlocks)
                return $"log entry {i} names block {home}, inside the log itself";
        }
        return null;
    }

    /// <summary>Installs a committed transaction and clears the header; returns the number of blocks
    /// installed (0 when the log was empty). Throws InvalidDataException on a header it cannot trust.</summary>
    public static int Recover(FileSystemImage image)
    {
        // A superblock that does not add up does not say where the log is.
        if (SuperblockChecks.Check(image).FirstOrDefault() is Finding wrong)
            throw new InvalidDataException(wrong.Message);
        DiskLogHeader header = ReadHeader(image);
        if (header.Count == 0) return 0;
        string? problem = HeaderProblem(image, header);
        if (problem != null) throw new InvalidDataException(problem);

        var block = new byte[DiskFormat.BlockSize];
        for (int i = 0; i < header.Count; i++)
        {
            image.ReadBlock(image.Superblock.LogStart + 1 + (uint)i, block);
            image.WriteBlock(DiskStructs.LoggedBlock(header, i), block);
        }
        // Only once every block is home may the header say "nothing to install".
        image.Flush();
        image.WriteBlock(image.Superblock.LogStart, new byte[DiskFormat.BlockSize]);
        image.Flush();
        return (int)header.Count;
    }
}
