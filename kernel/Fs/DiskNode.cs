using System;
using Abi;

namespace Fs
{
    /// <summary>
    /// A disk inode as the VFS sees it (Fs/Vfs/VfsNode.cs): each entry of the inode cache has one
    /// DiskNode for its whole life, so looking a name up allocates nothing, and Hold and Put are the
    /// cache's reference counts. Each operation is one call into DiskFiles, DiskDirectories or
    /// DiskRename, which take the log operation and the inode locks it needs.
    /// </summary>
    public sealed class DiskNode : VfsNode
    {
        private readonly Inode _inode;

        internal DiskNode(Inode inode) => _inode = inode;

        public override Volume Volume => DiskVolume.Instance;

        public override FileKind Kind
        {
            get
            {
                InodeCache.Lock(_inode);
                FileKind kind = DiskDirectories.KindOf(_inode);
                InodeCache.Unlock(_inode);
                return kind;
            }
        }

        public override ulong Inode => _inode.Number;

        public override ulong Version => _inode.Version;

        public override NodeStatus Status()
        {
            InodeCache.Lock(_inode);
            var status = new NodeStatus
            {
                Kind = DiskDirectories.KindOf(_inode),
                Inode = _inode.Number,
                Links = _inode.LinkCount,
                Size = _inode.IsDirectory ? DiskDirectories.CountEntries(_inode) : (long)_inode.Size,
                Attributes = AttributesLocked(),
            };
            InodeCache.Unlock(_inode);
            return status;
        }

        public override NodeAttributes Attributes()
        {
            InodeCache.Lock(_inode);
            NodeAttributes attributes = AttributesLocked();
            InodeCache.Unlock(_inode);
            return attributes;
        }

        private NodeAttributes AttributesLocked() => new NodeAttributes(_inode.Mode & FileMode.All, (int)_inode.Uid, (int)_inode.Gid);

        /// <summary>chmod, chown: one log operation that rewrites the inode. -EIO for an inode the disk got wrong.</summary>
        public override int SetAttributes(NodeAttributes attributes)
        {
            Log.BeginOperation();
            InodeCache.Lock(_inode);
            int result = _inode.Corrupt ? -Errno.EIO : 0;
            if (result == 0)
            {
                _inode.Mode = (ushort)(attributes.Mode & FileMode.All);
                _inode.Uid = (uint)attributes.UserId;
                _inode.Gid = (uint)attributes.GroupId;
                InodeCache.Update(_inode);
            }
            InodeCache.Unlock(_inode);
            Log.EndOperation();
            return result;
        }

        public override void Hold() => InodeCache.Duplicate(_inode);

        public override void Put() => DiskFiles.Put(_inode);

        public override int Lookup(ReadOnlySpan<char> name, out VfsNode child)
        {
            int result = DiskDirectories.Lookup(_inode, name, out Inode found);
            child = found?.Node;
            return result;
        }

        public override int Create(ReadOnlySpan<char> name, FileKind kind, ReadOnlySpan<char> target, NodeAttributes attributes, out VfsNode created)
        {
            ushort type = kind == FileKind.Directory ? DiskInodeType.Directory
                : kind == FileKind.SymbolicLink ? DiskInodeType.SymbolicLink : DiskInodeType.File;
            int result = DiskDirectories.Create(_inode, name, type, target, attributes, out Inode made);
            created = made?.Node;
            return result;
        }

        public override int Link(ReadOnlySpan<char> name, VfsNode target) =>
            target is DiskNode node ? DiskDirectories.Link(_inode, name, node._inode) : -Errno.EXDEV;

        public override int Unlink(ReadOnlySpan<char> name, bool directory) => DiskDirectories.Unlink(_inode, name, directory);

        public override int Rename(ReadOnlySpan<char> name, VfsNode toDirectory, ReadOnlySpan<char> toName) =>
            toDirectory is DiskNode node ? DiskRename.Rename(_inode, name, node._inode, toName) : -Errno.EXDEV;

        public override int ReadDirectory(int index, out DirectoryEntry entry) => DiskDirectories.ReadDirectory(_inode, index, out entry);

        public override long ReadAt(long offset, Span<byte> destination) => DiskFiles.Read(_inode, offset, destination);

        public override long WriteAt(long offset, ReadOnlySpan<byte> source) => DiskFiles.Write(_inode, offset, source, append: false);

        public override long Append(ReadOnlySpan<byte> source) => DiskFiles.Write(_inode, 0, source, append: true);

        public override int Truncate(long length) => DiskFiles.Truncate(_inode, length);

        /// <summary>Nothing to do: every operation has committed (and flushed) before it returned.</summary>
        public override int Sync() => 0;

        public override int ReadLink(Span<char> destination) => DiskFiles.ReadLink(_inode, destination);
    }
}
