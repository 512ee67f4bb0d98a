using System;
using Abi;

namespace Fs
{
    /// <summary>
    /// /dev, the root of the device volume: a fixed table of names, each leading to a driver's node.
    /// Nothing may be created, linked, renamed or removed here: the names are the kernel's, not the
    /// user's, and the answer is -EROFS (a read-only file system), except that creating a name that
    /// exists is -EEXIST, as everywhere (so open with O_CREAT of /dev/null simply opens it, and
    /// O_CREAT|O_EXCL says it exists). Across volumes the VFS answers first (-EXDEV: Fs/Vfs/PathOperations.cs).
    /// Like the devices, the directory lives for ever: Hold and Put count nothing, and no lock is
    /// needed, since nothing here ever changes.
    /// </summary>
    public sealed unsafe class DeviceDirectory : VfsNode
    {
        private const ulong RootInode = 1;

        public static DeviceDirectory Instance { get; } = new DeviceDirectory();

        // The table, in the order readdir lists it. /dev/tty is a second name of the console's node
        // (a hard link, in effect): the same inode, two names.
        private static readonly ConsoleDevice s_console = new ConsoleDevice(2);
        private static readonly string[] s_names = { "console", "null", "tty", "zero" };
        private static readonly DeviceNode[] s_nodes = { s_console, new NullDevice(3), s_console, new ZeroDevice(4) };

        private DeviceDirectory() { }

        /// <summary>How many names of the table lead to <paramref name="node"/>: its link count.</summary>
        public static int NamesOf(DeviceNode node)
        {
            int names = 0;
            for (int i = 0; i < s_nodes.Length; i++)
                if (s_nodes[i] == node) names++;
            return names;
        }

        public override Volume Volume => DeviceVolume.Instance;

        public override FileKind Kind => FileKind.Directory;

        public override ulong Inode => RootInode;

        public override ulong Version => 0;

        public override NodeStatus Status() =>
            new NodeStatus { Kind = FileKind.Directory, Size = s_names.Length, Links = 2, Inode = RootInode, Attributes = Attributes() };

        /// <summary>Root's, and searchable and listable by everyone (0755); fixed, like the table (chmod: -EROFS).</summary>
        public override NodeAttributes Attributes() => new NodeAttributes(FileMode.Program /* 0755 */, UserIds.Root, UserIds.Root);

        public override int SetAttributes(NodeAttributes attributes) => -Errno.EROFS;

        public override void Hold() { }

        public override void Put() { }

        /// <summary>"." and ".." are /dev itself (the VFS steps off a mounted root itself), else a device.</summary>
        public override int Lookup(ReadOnlySpan<char> name, out VfsNode child)
        {
            child = null;
            if (name.SequenceEqual(".") || name.SequenceEqual(".."))
            {
                child = this;
                return 0;
            }
            int index = IndexOf(name);
            if (index < 0) return -Errno.ENOENT;
            child = s_nodes[index];
            return 0;
        }

        public override int Create(ReadOnlySpan<char> name, FileKind kind, ReadOnlySpan<char> target, NodeAttributes attributes, out VfsNode created)
        {
            created = null;
            return IndexOf(name) >= 0 ? -Errno.EEXIST : -Errno.EROFS;
        }

        public override int Link(ReadOnlySpan<char> name, VfsNode target) => IndexOf(name) >= 0 ? -Errno.EEXIST : -Errno.EROFS;

        public override int Unlink(ReadOnlySpan<char> name, bool directory) => -Errno.EROFS;

        public override int Rename(ReadOnlySpan<char> name, VfsNode toDirectory, ReadOnlySpan<char> toName) => -Errno.EROFS;

        public override int ReadDirectory(int index, out DirectoryEntry entry)
        {
            entry = default;
            if (index < 0) return -Errno.EINVAL;
            if (index >= s_names.Length) return 0;
            string name = s_names[index];
            entry.Kind = (int)FileKind.CharacterDevice;
            entry.Inode = s_nodes[index].Inode;
            entry.Size = 0;
            entry.NameLength = name.Length;
            for (int i = 0; i < name.Length && i < DirectoryEntry.MaximumName; i++) entry.Name[i] = (byte)name[i];
            return 1;
        }

        public override long ReadAt(long offset, Span<byte> destination) => -Errno.EISDIR;

        public override long WriteAt(long offset, ReadOnlySpan<byte> source) => -Errno.EISDIR;

        public override long Append(ReadOnlySpan<byte> source) => -Errno.EISDIR;

        public override int Truncate(long length) => -Errno.EISDIR;

        public override int Sync() => 0;

        public override int ReadLink(Span<char> destination) => -Errno.EINVAL;

        private static int IndexOf(ReadOnlySpan<char> name)
        {
            for (int i = 0; i < s_names.Length; i++)
                if (name.SequenceEqual(s_names[i])) return i;
            return -1;
        }
    }
}
