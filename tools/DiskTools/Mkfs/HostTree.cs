using System.Text;
using Abi;
using TeachOS.Tools.DiskTools.Format;

namespace TeachOS.Tools.DiskTools.Mkfs;

/// <summary>What mkfs found in the host's directory, checked against the format's limits before a block is written.</summary>
public abstract record HostNode(byte[] Name, string HostPath)
{
    /// <summary>The bytes this node's inode holds: a file's contents, a directory's entries, a link's target.</summary>
    public abstract long ContentLength { get; }
}

public sealed record HostFile(byte[] Name, string HostPath, long Length, bool Executable) : HostNode(Name, HostPath)
{
    public override long ContentLength => Length;
}

public sealed record HostSymbolicLink(byte[] Name, string HostPath, byte[] Target) : HostNode(Name, HostPath)
{
    public override long ContentLength => Target.Length;
}

public sealed record HostDirectory(byte[] Name, string HostPath, List<HostNode> Children) : HostNode(Name, HostPath)
{
    /// <summary>".", ".." and one entry per child, 64 bytes each.</summary>
    public override long ContentLength => (2L + Children.Count) * DiskFormat.DirectoryEntrySize;
}

/// <summary>
/// Reads a host directory into HostNodes, sorted by name so the same directory always gives the
/// same image, and collects every reason the format cannot hold it (a name over 60 bytes, a file
/// over the largest size, a link's target over one block), so mkfs refuses
/// with all of them at once instead of leaving half an image. A symbolic link is kept as a link,
/// never followed (a link to a directory above it would otherwise never end).
/// </summary>
public static class HostTree
{
    public static HostDirectory Read(string root, List<string> problems)
    {
        var info = new DirectoryInfo(root);
        if (!info.Exists) throw new DirectoryNotFoundException($"{root}: no such directory");
        return ReadDirectory(info, "/"u8.ToArray(), problems);
    }

    private static HostDirectory ReadDirectory(DirectoryInfo directory, byte[] name, List<string> problems)
    {
        var children = new List<HostNode>();
        foreach (FileSystemInfo entry in directory.EnumerateFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            byte[] childName = Encoding.UTF8.GetBytes(entry.Name);
            if (childName.Length > DiskFormat.MaximumNameLength)
            {
                problems.Add($"{entry.FullName}: the name is {childName.Length} bytes long; the limit is {DiskFormat.MaximumNameLength}");
                continue;
            }
            HostNode? node = ReadEntry(entry, childName, problems);
            if (node != null) children.Add(node);
        }
        return new HostDirectory(name, directory.FullName, children);
    }

    private static HostNode? ReadEntry(FileSystemInfo entry, byte[] name, List<string> problems)
    {
        if (entry.LinkTarget is string target)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(target);
            if (bytes.Length > DiskFormat.MaximumSymbolicLinkLength)
            {
                problems.Add($"{entry.FullName}: the link's target is {bytes.Length} bytes long; the limit is {DiskFormat.MaximumSymbolicLinkLength}");
                return null;
            }
            return new HostSymbolicLink(name, entry.FullName, bytes);
        }
        if (entry is DirectoryInfo directory) return ReadDirectory(directory, name, problems);

        var file = (FileInfo)entry;
        if (file.Length > DiskFormat.MaximumFileSize)
        {
            problems.Add($"{file.FullName}: {file.Length} bytes; the largest file is {DiskFormat.MaximumFileSize} bytes " +
                         $"({DiskFormat.MaximumFileBlocks} blocks of {DiskFormat.BlockSize})");
            return null;
        }
        const UnixFileMode anyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        return new HostFile(name, file.FullName, file.Length, (file.UnixFileMode & anyExecute) != 0);
    }

    /// <summary>Every node below (and including) this one.</summary>
    public static IEnumerable<HostNode> All(HostNode node)
    {
        yield return node;
        if (node is HostDirectory directory)
            foreach (HostNode child in directory.Children)
                foreach (HostNode below in All(child))
                    yield return below;
    }

    /// <summary>Data blocks the tree takes on the disk, indirect blocks included.</summary>
    public static long BlocksNeeded(HostDirectory root) => All(root).Sum(node => DiskLayout.BlocksForFile(node.ContentLength));

    /// <summary>Inodes the tree takes, plus inode 0, which is never used.</summary>
    public static long InodesNeeded(HostDirectory root) => 1 + All(root).Count();
}
