using System;
using Abi;
using Fs;
using Mem;
using Proc;

namespace Cgroups
{
    /// <summary>
    /// One control file (pids.max, cgroup.procs, ...) of one group, as the VFS sees it: a file whose
    /// bytes are made when read and whose writes are commands (Cgroups/ControlFiles.cs). Like Linux's
    /// cgroupfs it has no stored contents: its size is 0, truncation (open's O_TRUNC, from `echo 5 >
    /// pids.max`) does nothing, and each write is parsed whole whatever the file position. The writable
    /// files are 0644, the others 0444, owned by the group's owner (Cgroups/ControlGroup.cs). A file of
    /// a removed group answers -ENODEV, as Linux does through a descriptor opened before the rmdir.
    /// Hold and Put count on the group, which frees its nodes with itself.
    /// </summary>
    public sealed class ControlFileNode : LeafNode
    {
        private readonly ControlGroup _group;
        private readonly ControlFileKind _kind;

        internal ControlFileNode(ControlGroup group, ControlFileKind kind)
        {
            _group = group;
            _kind = kind;
        }

        public override Volume Volume => CgroupVolume.Instance;

        public override FileKind Kind => FileKind.File;

        // The group's directory is Id * 16; its files follow it.
        public override ulong Inode => (ulong)_group.Id * 16 + (ulong)_kind + 1;

        public override ulong Version => 0;

        public override NodeStatus Status() =>
            new NodeStatus { Kind = FileKind.File, Size = 0, Links = 1, Inode = Inode, Attributes = Attributes() };

        public override NodeAttributes Attributes() =>
            new NodeAttributes(ControlFiles.IsWritable(_kind) ? 0x1A4 /* 0644 */ : 0x124 /* 0444 */, _group.OwnerId, _group.OwnerGroupId);

        /// <summary>chown and chmod go to the group's directory, which delegates the whole group.</summary>
        public override int SetAttributes(NodeAttributes attributes) => -Errno.EPERM;

        public override void Hold() => _group.Hold();

        public override void Put() => _group.Put();

        public override long ReadAt(long offset, Span<byte> destination)
        {
            if (_group.Removed) return -Errno.ENODEV;
            if (offset < 0) return -Errno.EINVAL;
            // Rendered whole into a buffer of the kernel's own, then the asked-for part copied out: a
            // reader with a small buffer (cat reads in pieces) sees one consistent text only if the
            // counts do not move between its reads, which is as much as Linux promises.
            byte[] text = new byte[ControlFiles.RenderCapacity(_kind)];
            int length = ControlFiles.Render(_group, _kind, Process.Current?.PidNamespace, text);
            long copied = 0;
            if (offset < length)
            {
                copied = Math.Min(length - offset, destination.Length);
                new ReadOnlySpan<byte>(text, (int)offset, (int)copied).CopyTo(destination);
            }
            KernelHeap.Free(text);
            return copied;
        }

        public override long WriteAt(long offset, ReadOnlySpan<byte> source)
        {
            if (_group.Removed) return -Errno.ENODEV;
            int result = ControlFiles.Write(_group, _kind, source, Process.Current);
            return result < 0 ? result : source.Length;
        }

        public override long Append(ReadOnlySpan<byte> source) => WriteAt(0, source);

        /// <summary>O_TRUNC (the shell's `>`) means nothing here: there are no stored bytes to cut.</summary>
        public override int Truncate(long length) => 0;

        public override int Sync() => 0;

        // ---- Not a link (and, as a LeafNode, not a directory). ----

        public override int ReadLink(Span<char> destination) => -Errno.EINVAL;
    }
}
