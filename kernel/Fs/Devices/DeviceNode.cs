using System;
using Abi;

namespace Fs
{
    /// <summary>
    /// A device file: a name in /dev that leads to a driver instead of to blocks. Opening /dev/zero
    /// finds this node through the same path resolution as any file (Fs/Vfs/PathResolver.cs), but its
    /// ReadAt and WriteAt are the driver's own code: /dev/zero fills the caller's buffer with zeros,
    /// /dev/null forgets what it is given, /dev/console reads a line from the keyboard and prints.
    /// A character device has no size and no position (the offset a read gets means nothing to it),
    /// cannot be truncated, and is not a directory (Fs/Vfs/LeafNode.cs answers for that). What a subclass writes: its ReadAt and WriteAt.
    ///
    /// The device nodes are made once and live for ever in /dev's fixed table (Fs/Devices/DeviceDirectory.cs),
    /// so Hold and Put count nothing. A descriptor on one is a DeviceHandle (Fs/Devices/DeviceHandle.cs).
    /// </summary>
    public abstract class DeviceNode : LeafNode
    {
        private readonly ulong _inode;

        protected DeviceNode(ulong inode) => _inode = inode;

        /// <summary>
        /// True for a terminal (the console): lseek on it is -ESPIPE, as on a pipe. On /dev/null and
        /// /dev/zero lseek succeeds and changes nothing, as on Unix.
        /// </summary>
        public virtual bool IsTerminal => false;

        public override Volume Volume => DeviceVolume.Instance;

        public override FileKind Kind => FileKind.CharacterDevice;

        public override ulong Inode => _inode;

        public override ulong Version => 0;

        public override NodeStatus Status() =>
            new NodeStatus { Kind = FileKind.CharacterDevice, Size = 0, Links = DeviceDirectory.NamesOf(this), Inode = _inode, Attributes = Attributes() };

        /// <summary>
        /// Root's, and readable and writable by everyone (0666): /dev/null and /dev/zero hold nothing
        /// private, and TeachOS has one console that every user shares (Linux instead gives the
        /// logged-in user their terminal). The table is fixed, so the modes are too: chmod and chown
        /// here are -EROFS, like every other change in /dev.
        /// </summary>
        public override NodeAttributes Attributes() => new NodeAttributes(0x1B6 /* 0666 */, UserIds.Root, UserIds.Root);

        public override int SetAttributes(NodeAttributes attributes) => -Errno.EROFS;

        /// <summary>Nothing to count: the node lives for ever.</summary>
        public override void Hold() { }

        public override void Put() { }

        /// <summary>A device has no end to append at: an O_APPEND write is a plain write.</summary>
        public override long Append(ReadOnlySpan<byte> source) => WriteAt(0, source);

        /// <summary>No size to set (open's O_TRUNC leaves a device alone: Syscalls/FileSyscalls.cs).</summary>
        public override int Truncate(long length) => -Errno.EINVAL;

        /// <summary>Nothing is kept that could be lost.</summary>
        public override int Sync() => 0;

        public override int ReadLink(Span<char> destination) => -Errno.EINVAL;
    }
}
