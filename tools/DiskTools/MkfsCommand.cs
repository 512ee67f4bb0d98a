using Abi;
using TeachOS.Tools.DiskTools.Mkfs;

namespace TeachOS.Tools.DiskTools;

/// <summary>
/// `DiskTools mkfs IMAGE SIZE_MIB DIRECTORY [--inodes N] [--owner PATH=UID:GID]...`: builds IMAGE from
/// DIRECTORY and prints where each region went. A malformed option is a usage error (exit 2); a
/// tree the format cannot hold, or an --owner path it does not have, is a refusal (exit 1, no image).
/// </summary>
public static class MkfsCommand
{
    public const string Usage = "usage: DiskTools mkfs IMAGE SIZE_MIB DIRECTORY [--inodes N] [--owner PATH=UID:GID]...\n" +
                                "  --owner home/student=1000:1000  gives that file or directory (relative to the image's root) to\n" +
                                "                                  user 1000, group 1000 (ids 0 to 65535); everything else is root's";

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var positional = new List<string>();
        uint? inodes = null;
        var owners = new List<OwnerOption>();
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--inodes" && i + 1 < args.Length && uint.TryParse(args[i + 1], out uint count)) { inodes = count; i++; }
            else if (args[i] == "--owner" && i + 1 < args.Length)
            {
                OwnerOption? owner = OwnerOption.Parse(args[++i], out string problem);
                if (owner != null && owners.Find(given => given.Shown == owner.Shown) is OwnerOption earlier)
                    problem = $"--owner {owner.Path}: {owner.Shown} is given an owner twice (--owner {earlier.Path}={earlier.Uid}:{earlier.Gid} first)";
                if (problem != "") { error.WriteLine($"mkfs: {problem}"); error.WriteLine(Usage); return 2; }
                owners.Add(owner!);
            }
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
            Dictionary<HostNode, OwnerOption> owned = OwnerOption.Resolve(root, owners, problems);
            if (problems.Count > 0)
                throw new MkfsException(string.Join(Environment.NewLine + "mkfs: ", problems));
            MkfsResult result = ImageBuilder.Build(image, sizeInMiB, root, inodes, owned);
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
