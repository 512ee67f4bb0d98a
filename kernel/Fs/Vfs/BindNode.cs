using System;
using Abi;
using Sync;

namespace Fs
{
    /// <summary>
    /// One node of a bind mount's view (Fs/Vfs/BindVolume.cs): it stands for a node of the source directory's
    /// tree (<see cref="Inner"/>) and passes every operation on to it, with three differences that make the
    /// view a place of its own:
    /// <list type="bullet">
    /// <item>its identity is the view's (Volume is the BindVolume), so the mount table can tell the second
    ///   place from the first;</item>
    /// <item>".." at the view's root stays there (the VFS then climbs to where the view is mounted), so a
    ///   path cannot leave the bound directory upward;</item>
    /// <item>in a read-only view every change is -EROFS.</item>
    /// </list>
    /// Device files are handed out as themselves (the descriptor layer opens them by their own class).
    /// References: each BindNode has its own count and holds its inner node until its last Put.
    /// Lock: <see cref="s_lock"/> for the counts only.
    /// </summary>
    public sealed class BindNode : VfsNode
    {
        private readonly BindVolume _volume;
        private readonly VfsNode _inner;
        private int _references = 1;
        private static SpinLock s_lock;

        /// <summary>Stands for <paramref name="inner"/> (held: this node takes the reference over), held once.</summary>
        public BindNode(BindVolume volume, VfsNode inner)
        {
            _volume = volume;
            _inner = inner;
            volume.NodeMade();
        }

        /// <summary>The node of the source tree this one stands for.</summary>
        public VfsNode Inner => _inner;

        public override Volume Volume => _volume;
        public override FileKind Kind => _inner.Kind;
        public override ulong Inode => _inner.Inode;
        public override ulong Version => _inner.Version;
        public override NodeStatus Status() => _inner.Status();
        public override NodeAttributes Attributes() => _inner.Attributes();
        public override int SetAttributes(NodeAttributes attributes) => _volume.ReadOnly ? -Errno.EROFS : _inner.SetAttributes(attributes);

        public override void Hold()
        {
            bool flags = s_lock.Acquire();
            _references++;
            s_lock.Release(flags);
        }

        public override void Put()
        {
            bool flags = s_lock.Acquire();
            bool gone = --_references == 0;
            s_lock.Release(flags);
            if (!gone) return;
            _inner.Put();
            BindVolume volume = _volume;
            Mem.KernelHeap.Free(this);
            volume.NodeGone();
        }

        public override int Lookup(ReadOnlySpan<char> name, out VfsNode child)
        {
            child = null;
            if (Paths.IsDot(name) || (Paths.IsDotDot(name) && _volume.IsSourceRoot(_inner)))
            {
                if (_inner.Kind != FileKind.Directory) return -Errno.ENOTDIR;
                Hold();
                child = this;
                return 0;
            }
            int error = _inner.Lookup(name, out VfsNode found);
            if (error == 0) child = Wrap(found);
            return error;
        }

        public override int Create(ReadOnlySpan<char> name, FileKind kind, ReadOnlySpan<char> target, NodeAttributes attributes, out VfsNode created)
        {
            created = null;
            if (_volume.ReadOnly) return -Errno.EROFS;
            int error = _inner.Create(name, kind, target, attributes, out VfsNode made);
            if (error == 0) created = Wrap(made);
            return error;
        }

        public override int Link(ReadOnlySpan<char> name, VfsNode target)
        {
            if (_volume.ReadOnly) return -Errno.EROFS;
            return target is BindNode bound ? _inner.Link(name, bound._inner) : -Errno.EXDEV;
        }

        public override int Unlink(ReadOnlySpan<char> name, bool directory) =>
            _volume.ReadOnly ? -Errno.EROFS : _inner.Unlink(name, directory);

        public override int Rename(ReadOnlySpan<char> name, VfsNode toDirectory, ReadOnlySpan<char> toName)
        {
            if (_volume.ReadOnly) return -Errno.EROFS;
            return toDirectory is BindNode bound ? _inner.Rename(name, bound._inner, toName) : -Errno.EXDEV;
        }

        public override int ReadDirectory(int index, out DirectoryEntry entry) => _inner.ReadDirectory(index, out entry);

        public override long ReadAt(long offset, Span<byte> destination) => _inner.ReadAt(offset, destination);

        public override long WriteAt(long offset, ReadOnlySpan<byte> source) =>
            _volume.ReadOnly ? -Errno.EROFS : _inner.WriteAt(offset, source);

        public override long Append(ReadOnlySpan<byte> source) => _volume.ReadOnly ? -Errno.EROFS : _inner.Append(source);

        public override int Truncate(long length) => _volume.ReadOnly ? -Errno.EROFS : _inner.Truncate(length);

        public override int Sync() => _inner.Sync();

        public override int ReadLink(Span<char> destination) => _inner.ReadLink(destination);

        // A node of the source tree, as this view shows it (a device file as itself).
        private VfsNode Wrap(VfsNode found) => found is DeviceNode ? found : new BindNode(_volume, found);
    }
}
