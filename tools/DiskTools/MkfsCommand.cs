using Abi;
using TeachOS.Tools.DiskTools.Mkfs;

namespace TeachOS.Tools.DiskTools;

/// <summary>`DiskTools mkfs IMAGE SIZE_MIB DIRECTORY [--inodes N]`: builds IMAGE from DIRECTORY and prints where each region went.</summary>
public static class MkfsCommand
{
    public const string Usage = "usage: DiskTools mkfs IMAGE SIZE_MIB DIRECTORY [--inodes N]";

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var positional = new List<string>();
        uint? inodes = null;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--inodes" && i + 1 < args.Length && uint.TryParse(args[i + 1], out uint count)) { inodes = count; i++; }
            else if (args[i].StartsWith("--")) { error.WriteLine(Usage); return 2; }
            else positional.Add(args[i]);
        }
        if (positional.Count != 3 || !uint.TryParse(positional[1], out uint sizeInMiB))
        {
            error.WriteLine(Usage);
            return 2;
        }
        string image = positional[0], directory = positional[2];

        try
        {
            var problems = new List<string>();
            HostDirectory root = HostTree.Read(directory, problems);
            if (problems.Count > 0)
                throw new MkfsException(string.Join(Environment.NewLine + "mkfs: ", problems));
            MkfsResult result = ImageBuilder.Build(image, sizeInMiB, root, inodes);
            Print(output, image, result);
            return 0;
        }
        catch (Exception e) when (e is MkfsException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"mkfs: {e.Message}");
            error.WriteLine($"mkfs: {image} not written");
            return 1;
        }
    }

    /// <summary>The regions as the superblock has them, and the use: the numbers docs/tools/disk.md draws.</summary>
    public static void Print(TextWriter output, string image, MkfsResult result)
    {
        DiskSuperblock s = result.Superblock;
        string Range(uint start, uint count) => $"{start,6} .. {start + count - 1,-6}";
        output.WriteLine($"mkfs: {image}: {s.Size} blocks of {DiskFormat.BlockSize} bytes ({(long)s.Size * DiskFormat.BlockSize / (1024 * 1024)} MiB)");
        output.WriteLine($"  boot block   {0,6}");
        output.WriteLine($"  superblock   {DiskFormat.SuperblockNumber,6}");
        output.WriteLine($"  log          {Range(s.LogStart, s.LogBlocks)}  {s.LogBlocks} blocks: the header and {s.LogBlocks - 1} logged blocks");
        output.WriteLine($"  inodes       {Range(s.InodeStart, s.BitmapStart - s.InodeStart)}  {s.BitmapStart - s.InodeStart} blocks: {s.InodeCount} inodes of {DiskFormat.InodeSize} bytes");
        output.WriteLine($"  bitmap       {Range(s.BitmapStart, s.DataStart - s.BitmapStart)}  {s.DataStart - s.BitmapStart} blocks: one bit per block");
        output.WriteLine($"  data         {Range(s.DataStart, s.DataBlocks)}  {s.DataBlocks} blocks");
        output.WriteLine($"  in use: {result.InodesUsed} inodes (root = {DiskFormat.RootInode}), {result.DataBlocksUsed} data blocks; " +
                         $"free: {s.InodeCount - 1 - result.InodesUsed} inodes, {s.DataBlocks - result.DataBlocksUsed} data blocks");
    }
}
