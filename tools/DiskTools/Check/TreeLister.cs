using System.Text;
using Abi;
using TeachOS.Tools.DiskTools.Format;
using TeachOS.Tools.DiskTools.Image;

namespace TeachOS.Tools.DiskTools.Check;

/// <summary>
/// `fsck IMAGE --list`: the tree as ls -l would show it (owner and group as numbers), with inode numbers, one line per name, depth
/// first in directory order. A directory seen before is not entered again, so a damaged tree still
/// lists in finite time (fsck itself says what is wrong with it).
/// </summary>
public static class TreeLister
{
    public static IEnumerable<string> List(FileSystemImage image)
    {
        yield return $"{"inode",7}  {"mode",-10}  {"links",5}  {"owner",5}  {"group",5}  {"size",10}  path";
        var seen = new HashSet<uint>();
        var stack = new Stack<(uint Inode, string Path)>();
        stack.Push((DiskFormat.RootInode, "/"));
        while (stack.Count > 0)
        {
            var (number, path) = stack.Pop();
            DiskInode inode = image.ReadInode(number);
            string line = $"{number,7}  {DiskStructs.ModeString(inode.Type, inode.Mode),-10}  {inode.LinkCount,5}  {inode.Uid,5}  {inode.Gid,5}  {inode.Size,10}  {path}";
            if (inode.Type == DiskInodeType.SymbolicLink)
                line += " -> " + Encoding.UTF8.GetString(image.ReadContents(inode, upToLastBlock: true));
            yield return line;
            if (inode.Type != DiskInodeType.Directory || !seen.Add(number)) continue;
            foreach (DirectoryEntry entry in image.ReadDirectory(number).Where(e => !e.IsDot && !e.IsDotDot).Reverse())
                if (entry.Inode < image.Superblock.InodeCount)
                    stack.Push((entry.Inode, path.TrimEnd('/') + "/" + entry.Name));
        }
    }
}
