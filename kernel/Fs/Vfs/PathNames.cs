using System;
using Abi;

namespace Fs
{
    /// <summary>
    /// The path of a directory, found the way Unix's getcwd always did: climb ".." to the root and, at
    /// each step, look in the parent for the entry with the child's inode number. Nothing stores a
    /// directory's path, so a rename of any directory above is seen at once, and the same code works
    /// on every volume (at a mounted volume's root the climb continues from the directory it covers).
    /// </summary>
    public static class PathNames
    {
        private const int MaximumDepth = 128;          // a directory tree deeper than this is refused (-ENAMETOOLONG)

        /// <summary>
        /// Writes the absolute path of <paramref name="directory"/> into <paramref name="destination"/>;
        /// its length. -ENOENT if the directory was removed, -ERANGE if it does not fit.
        /// </summary>
        public static int PathOf(VfsNode directory, Span<char> destination)
        {
            int at = destination.Length;              // the path is built backwards, from its end
            MountNamespace mounts = Mounts.HoldCurrent();
            VfsNode root = mounts.HoldRoot();
            directory.Hold();
            VfsNode node = directory;
            int error = 0;
            for (int depth = 0; error == 0; depth++)
            {
                VfsNode covered;
                while ((covered = mounts.DirectoryCoveredBy(node)) != null)
                {
                    node.Put();
                    node = covered;
                }
                if (node.IsSameAs(root)) break;
                if (depth == MaximumDepth) { error = -Errno.ENAMETOOLONG; break; }
                error = node.Lookup("..", out VfsNode parent);
                if (error < 0) break;
                error = PrependName(parent, node, destination, ref at);
                node.Put();
                node = parent;
            }
            node.Put();
            root.Put();
            mounts.Release();
            if (error < 0) return error;
            if (at == destination.Length)
            {
                if (at == 0) return -Errno.ERANGE;
                destination[--at] = '/';              // the root itself
            }
            int length = destination.Length - at;
            destination.Slice(at, length).CopyTo(destination);
            return length;
        }

        // Finds child's name in parent and puts "/name" before destination[at].
        private static unsafe int PrependName(VfsNode parent, VfsNode child, Span<char> destination, ref int at)
        {
            ulong inode = child.Inode;
            for (int index = 0; ; index++)
            {
                int found = parent.ReadDirectory(index, out DirectoryEntry entry);
                if (found < 0) return found;
                if (found == 0) return -Errno.ENOENT;           // removed meanwhile
                if (entry.Inode != inode) continue;
                int length = entry.NameLength < DirectoryEntry.MaximumName ? entry.NameLength : DirectoryEntry.MaximumName;
                if (at < length + 1) return -Errno.ERANGE;
                for (int i = length - 1; i >= 0; i--) destination[--at] = (char)entry.Name[i];
                destination[--at] = '/';
                return 0;
            }
        }
    }
}
