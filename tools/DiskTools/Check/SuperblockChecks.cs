using Abi;
using TeachOS.Tools.DiskTools.Format;
using TeachOS.Tools.DiskTools.Image;

namespace TeachOS.Tools.DiskTools.Check;

/// <summary>
/// Does the superblock describe a disk that can be read: the right magic and version, regions in
/// their order (boot, superblock, log, inodes, bitmap, data), each big enough for what it must hold,
/// adding up to Size, and Size inside the image? Every later check trusts these numbers, so the
/// checker stops here when one is wrong.
/// </summary>
public static class SuperblockChecks
{
    public static List<Finding> Check(FileSystemImage image)
    {
        var findings = new List<Finding>();
        void Problem(string message) => findings.Add(new Finding(FindingKind.Superblock, "superblock: " + message));
        DiskSuperblock s = image.Superblock;

        if (s.Magic != DiskFormat.Magic)
        {
            Problem($"bad magic 0x{s.Magic:x8} (a TeachOS disk has 0x{DiskFormat.Magic:x8}, \"TOFS\")");
            return findings;   // not this file system at all: the other numbers mean nothing
        }
        if (s.Version != DiskFormat.Version) Problem($"version {s.Version}, this fsck reads version {DiskFormat.Version}");
        if ((long)s.Size > image.BlocksInImage)
            Problem($"the file system has {s.Size} blocks but the image only {image.BlocksInImage}");
        if (s.LogStart <= DiskFormat.SuperblockNumber)
            Problem($"the log starts at block {s.LogStart}, on the boot block or the superblock");
        if (s.LogBlocks < 2)
            Problem($"a log of {s.LogBlocks} blocks has no room for a header and a logged block");
        if (s.LogBlocks > 1 + DiskLogHeader.MaximumBlocks)
            Problem($"a log of {s.LogBlocks} blocks, but its header names at most {DiskLogHeader.MaximumBlocks} logged blocks");
        InOrder("the log", s.LogStart, s.LogBlocks, "the inode table", s.InodeStart, Problem);
        uint inodeBlocks = DiskLayout.InodeBlocks(s.InodeCount);
        if (s.InodeCount <= DiskFormat.RootInode) Problem($"{s.InodeCount} inodes: not even room for the root (inode {DiskFormat.RootInode})");
        InOrder($"the inode table ({s.InodeCount} inodes need {inodeBlocks} blocks)", s.InodeStart, inodeBlocks, "the bitmap", s.BitmapStart, Problem);
        uint bitmapBlocks = DiskLayout.BitmapBlocks(s.Size);
        InOrder($"the bitmap ({s.Size} blocks need {bitmapBlocks})", s.BitmapStart, bitmapBlocks, "the data region", s.DataStart, Problem);
        if ((ulong)s.DataStart + s.DataBlocks != s.Size)
            Problem($"the data region ({s.DataBlocks} blocks from block {s.DataStart}) ends at block {(ulong)s.DataStart + s.DataBlocks}, not at the end of the file system ({s.Size})");
        return findings;
    }

    /// <summary>The region before must fit in the space up to the next one; a gap is wasted, an overlap fatal.</summary>
    private static void InOrder(string region, uint start, uint length, string next, uint nextStart, Action<string> problem)
    {
        if ((ulong)start + length > nextStart)
            problem($"{region} at blocks {start}..{(ulong)start + length - 1} runs past the start of {next} at {nextStart}");
        else if ((ulong)start + length < nextStart)
            problem($"{region} ends at block {(ulong)start + length - 1}, but {next} starts at {nextStart}, not right after");
    }
}
