using Abi;
using TeachOS.Tools.DiskTools.Format;
using TeachOS.Tools.DiskTools.Image;

namespace TeachOS.Tools.DiskTools.Check;

/// <summary>
/// The names: every entry names an allocated inode under a valid name, once per directory; the
/// directories form a tree from the root (each reached exactly once: a second way in is a loop or a
/// second parent), "." names the directory and ".." its parent; each inode's link count is the
/// number of entries naming it ("." and ".." included); and every allocated inode is reachable.
/// </summary>
public sealed class DirectoryChecks
{
    private readonly FileSystemImage image;
    private readonly DiskInode[] inodes;
    private readonly List<Finding> findings;
    private readonly Dictionary<uint, List<DirectoryEntry>> entries = new();
    private readonly uint[] references;
    private readonly string?[] pathOf;

    private DirectoryChecks(FileSystemImage image, DiskInode[] inodes, List<Finding> findings)
    {
        this.image = image;
        this.inodes = inodes;
        this.findings = findings;
        references = new uint[inodes.Length];
        pathOf = new string?[inodes.Length];
    }

    public static void Check(FileSystemImage image, DiskInode[] inodes, List<Finding> findings)
    {
        var checks = new DirectoryChecks(image, inodes, findings);
        checks.ReadEveryDirectory();
        if (inodes[DiskFormat.RootInode].Type != DiskInodeType.Directory)
            checks.Add(FindingKind.DirectoryTree, $"the root, inode {DiskFormat.RootInode}, is a {DiskStructs.TypeName(inodes[DiskFormat.RootInode].Type)}, not a directory");
        else
            checks.Walk();
        checks.CheckLinkCounts();
        checks.CheckReachable();
    }

    private void Add(FindingKind kind, string message) => findings.Add(new Finding(kind, message));

    private bool IsAllocated(uint inode) =>
        inode < inodes.Length && inodes[inode].Type is > DiskInodeType.Free and <= DiskInodeType.Device;

    private string Describe(uint directory) => pathOf[directory] ?? $"inode {directory}";

    /// <summary>Reads every allocated directory's entries (reachable or not), checks each entry, and counts the references.</summary>
    private void ReadEveryDirectory()
    {
        for (uint number = DiskFormat.RootInode; number < inodes.Length; number++)
        {
            if (inodes[number].Type != DiskInodeType.Directory) continue;
            if (inodes[number].Size % DiskFormat.DirectoryEntrySize != 0)
                Add(FindingKind.Inode, $"directory inode {number}: size {inodes[number].Size} is not a whole number of {DiskFormat.DirectoryEntrySize}-byte entries");
            var valid = new List<DirectoryEntry>();
            var names = new HashSet<string>();
            foreach (DirectoryEntry entry in image.ReadDirectory(inodes[number]))
            {
                string at = $"directory inode {number}: entry {entry.Slot} '{entry.Name}'";
                if (entry.NameProblem() is string problem) { Add(FindingKind.DirectoryEntry, $"{at}: {problem}"); continue; }
                // Compared as bytes (Latin-1 maps each byte to one char): two names that are not UTF-8 may both decode to U+FFFD.
                if (!names.Add(System.Text.Encoding.Latin1.GetString(entry.RawName))) Add(FindingKind.DirectoryEntry, $"{at}: the name appears twice in the directory");
                if (entry.Inode >= inodes.Length)
                {
                    Add(FindingKind.DirectoryEntry, $"{at} names inode {entry.Inode}, past the last inode ({inodes.Length - 1})");
                    continue;
                }
                if (!IsAllocated(entry.Inode))
                {
                    Add(FindingKind.DirectoryEntry, $"{at} names inode {entry.Inode}, which is {(inodes[entry.Inode].Type == DiskInodeType.Free ? "free" : "of a bad type")}");
                    continue;
                }
                references[entry.Inode]++;
                valid.Add(entry);
            }
            if (!valid.Any(e => e.IsDot)) Add(FindingKind.DirectoryDots, $"directory inode {number}: no '.' entry");
            if (!valid.Any(e => e.IsDotDot)) Add(FindingKind.DirectoryDots, $"directory inode {number}: no '..' entry");
            foreach (DirectoryEntry dot in valid.Where(e => e.IsDot && e.Inode != number))
                Add(FindingKind.DirectoryDots, $"directory inode {number}: '.' names inode {dot.Inode}, not itself");
            entries[number] = valid;
        }
    }

    /// <summary>
    /// Depth first from the root, following every entry but "." and "..". A directory reached a second
    /// time is an error: on the current path it is a loop, elsewhere a second parent (either way the
    /// kernel's ".." and rmdir would go wrong). Each directory's ".." is checked against the parent it was reached from.
    /// </summary>
    private void Walk()
    {
        var onPath = new HashSet<uint>();
        pathOf[DiskFormat.RootInode] = "/";
        var stack = new Stack<(uint Directory, uint Parent, bool Leaving)>();
        stack.Push((DiskFormat.RootInode, DiskFormat.RootInode, false));
        while (stack.Count > 0)
        {
            var (directory, parent, leaving) = stack.Pop();
            if (leaving) { onPath.Remove(directory); continue; }
            onPath.Add(directory);
            stack.Push((directory, parent, true));

            foreach (DirectoryEntry dotDot in entries[directory].Where(e => e.IsDotDot && e.Inode != parent))
                Add(FindingKind.DirectoryDots, $"directory {Describe(directory)}: '..' names inode {dotDot.Inode}, not its parent, inode {parent}");

            foreach (DirectoryEntry entry in entries[directory].Where(e => !e.IsDot && !e.IsDotDot).Reverse())
            {
                string path = Describe(directory).TrimEnd('/') + "/" + entry.Name;
                if (pathOf[entry.Inode] is string first)
                {
                    if (inodes[entry.Inode].Type != DiskInodeType.Directory) continue;   // a hard link: files may have many names
                    Add(FindingKind.DirectoryTree, onPath.Contains(entry.Inode)
                        ? $"directory loop: {path} names inode {entry.Inode}, its own ancestor {first}"
                        : $"directory inode {entry.Inode} has a second parent: {path} (first reached as {first})");
                    continue;
                }
                pathOf[entry.Inode] = path;
                if (inodes[entry.Inode].Type == DiskInodeType.Directory) stack.Push((entry.Inode, directory, false));
            }
        }
    }

    private void CheckLinkCounts()
    {
        for (uint number = DiskFormat.RootInode; number < inodes.Length; number++)
        {
            if (!IsAllocated(number) || inodes[number].LinkCount == references[number]) continue;
            if (inodes[number].LinkCount == 0 && references[number] == 0) continue;   // reported as unreachable below
            Add(FindingKind.LinkCount, $"inode {number} ({pathOf[number] ?? DiskStructs.TypeName(inodes[number].Type)}): " +
                                       $"link count {inodes[number].LinkCount}, but {references[number]} entries name it");
        }
    }

    private void CheckReachable()
    {
        for (uint number = DiskFormat.RootInode; number < inodes.Length; number++)
        {
            if (!IsAllocated(number) || pathOf[number] != null) continue;
            string what = DiskStructs.TypeName(inodes[number].Type);
            if (inodes[number].LinkCount == 0)
                Add(FindingKind.Unlinked, $"inode {number} ({what}) is allocated with link count 0 and no name (unlinked but never freed)");
            else
                Add(FindingKind.Orphan, $"inode {number} ({what}, link count {inodes[number].LinkCount}) is not reachable from the root (an orphan)");
        }
    }
}
