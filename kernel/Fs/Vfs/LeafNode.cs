using System;
using Abi;

namespace Fs
{
    /// <summary>
    /// A node that is not a directory and has no directory entries: a device file (Fs/Devices/DeviceNode.cs)
    /// or a control group's file (Cgroups/ControlFileNode.cs). Every directory operation on it answers
    /// -ENOTDIR, as Linux does for a path that goes through a file ("/dev/null/x"); a subclass writes only
    /// what a file does.
    /// </summary>
    public abstract class LeafNode : VfsNode
    {
        public override int Lookup(ReadOnlySpan<char> name, out VfsNode child)
        {
            child = null;
            return -Errno.ENOTDIR;
        }

        public override int Create(ReadOnlySpan<char> name, FileKind kind, ReadOnlySpan<char> target, NodeAttributes attributes, out VfsNode created)
        {
            created = null;
            return -Errno.ENOTDIR;
        }

        public override int Link(ReadOnlySpan<char> name, VfsNode target) => -Errno.ENOTDIR;

        public override int Unlink(ReadOnlySpan<char> name, bool directory) => -Errno.ENOTDIR;

        public override int Rename(ReadOnlySpan<char> name, VfsNode toDirectory, ReadOnlySpan<char> toName) => -Errno.ENOTDIR;

        public override int ReadDirectory(int index, out DirectoryEntry entry)
        {
            entry = default;
            return -Errno.ENOTDIR;
        }
    }
}
