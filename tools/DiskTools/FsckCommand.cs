using System.Diagnostics;
using Abi;
using TeachOS.Tools.DiskTools.Check;
using TeachOS.Tools.DiskTools.Image;

namespace TeachOS.Tools.DiskTools;

/// <summary>
/// `DiskTools fsck IMAGE`: prints every problem, one a line, and a summary; exit 0 when clean, 1
/// when not. `--list` prints the tree instead, `--extract PATH` a file's bytes. fsck never changes
/// the image (recovery is the kernel's job, and FileSystemImage.Recover's for the crash explorer).
/// </summary>
public static class FsckCommand
{
    public const string Usage = "usage: DiskTools fsck IMAGE [--list | --extract PATH]";

    public static int Run(string[] args, TextWriter output, TextWriter error, Func<Stream> standardOutput)
    {
        if (args.Length is not (1 or 2 or 3) || (args.Length == 2 && args[1] != "--list") || (args.Length == 3 && args[1] != "--extract"))
        {
            error.WriteLine(Usage);
            return 2;
        }
        string path = args[0];
        if (!File.Exists(path))
        {
            error.WriteLine($"fsck: {path}: no such file");
            return 2;
        }
        using FileSystemImage image = FileSystemImage.Open(path);
        if (args.Length > 1 && SuperblockChecks.Check(image).FirstOrDefault() is Finding unsound)
        {
            // Its regions say where the inodes are; wrong, the listing would be noise.
            error.WriteLine($"fsck: {path}: {unsound.Message}");
            return 1;
        }
        if (args.Length == 2)
        {
            foreach (string line in TreeLister.List(image)) output.WriteLine(line);
            return 0;
        }
        if (args.Length == 3) return Extract(image, args[2], error, standardOutput);

        var clock = Stopwatch.StartNew();
        CheckReport report = Checker.Check(image);
        clock.Stop();
        foreach (Finding finding in report.Findings) output.WriteLine(finding.Message);
        int problems = report.Problems.Count();
        string verdict = problems == 0 ? "clean" : $"{problems} problem{(problems == 1 ? "" : "s")}";
        if (report.Findings.Any(f => f.Kind == FindingKind.Superblock))
            output.WriteLine($"fsck: {path}: {verdict}; the superblock does not add up, so nothing else was checked ({clock.Elapsed.TotalSeconds:0.000} s)");
        else
            output.WriteLine($"fsck: {path}: {verdict}; {report.InodesInUse} inodes and {report.DataBlocksInUse} data blocks in use, " +
                             $"of {image.Superblock.InodeCount} and {image.Superblock.DataBlocks} ({clock.Elapsed.TotalSeconds:0.000} s)");
        return problems == 0 ? 0 : 1;
    }

    private static int Extract(FileSystemImage image, string path, TextWriter error, Func<Stream> standardOutput)
    {
        uint? number = image.Lookup(path);
        if (number == null)
        {
            error.WriteLine($"fsck: {path}: not found in the image");
            return 1;
        }
        DiskInode inode = image.ReadInode(number.Value);
        if (inode.Type == DiskInodeType.Directory)
        {
            error.WriteLine($"fsck: {path}: a directory (--list shows what is in it)");
            return 1;
        }
        using Stream stdout = standardOutput();
        stdout.Write(image.ReadContents(inode));
        return 0;
    }
}
