using Sync;

namespace Fs
{
    /// <summary>
    /// A bind mount: a directory seen at a second place (`mount --bind /disk/data /mnt`), as a volume of its
    /// own whose nodes (Fs/Vfs/BindNode.cs) stand for the directory's. Why a volume and not one more row
    /// pointing at the directory itself: the mount table is keyed by node identity (volume and inode), and
    /// the directory must stay an ordinary directory at its first place while its second place is a mount
    /// root, whose ".." climbs to where it is mounted. With a view of its own, both places keep their own
    /// identity, and the source's own mount points are not carried along (Linux's non-recursive MS_BIND).
    ///
    /// Read-only (`-o ro`, MS_RDONLY): the view refuses every change with -EROFS, while the same files stay
    /// writable at their first place: a container can be given a read-only look at the host's data.
    /// Lifetime: the view holds its source directory until the last mount table and the last of its nodes
    /// let go (counted in <see cref="_nodes"/>, as RamVolume does). Lock: <see cref="s_lock"/>.
    /// </summary>
    public sealed class BindVolume : Volume
    {
        private readonly BindNode _root;
        private readonly bool _readOnly;
        private int _nodes;                  // BindNodes alive (the root included, while mounted)
        private bool _unmounted;
        private static SpinLock s_lock;

        /// <summary>A view of <paramref name="source"/> (a directory, held: the view takes the reference over), held once for the caller.</summary>
        public BindVolume(VfsNode source, bool readOnly)
        {
            _readOnly = readOnly;
            _root = new BindNode(this, source);
        }

        public override string Name => "bind";

        public override bool ReadOnly => _readOnly;

        public override VfsNode HoldRoot()
        {
            _root.Hold();
            return _root;
        }

        /// <summary>True if <paramref name="inner"/> is the directory this view shows at its root (whose ".." stays here).</summary>
        public bool IsSourceRoot(VfsNode inner) => inner.IsSameAs(_root.Inner);

        public override int MaximumNameLength => _root.Inner.Volume.MaximumNameLength;

        public override int Sync() => _root.Inner.Volume.Sync();

        /// <summary>A view node was made (BindNode's constructor).</summary>
        public void NodeMade()
        {
            bool flags = s_lock.Acquire();
            _nodes++;
            s_lock.Release(flags);
        }

        /// <summary>A view node is gone; the last one of an unmounted view frees the volume.</summary>
        public void NodeGone()
        {
            bool flags = s_lock.Acquire();
            bool last = --_nodes == 0 && _unmounted;
            s_lock.Release(flags);
            if (last) Mem.KernelHeap.Free(this);
        }

        // No table mounts the view any more: the root's own reference goes (and with its last node, the view).
        protected override void Unmounted()
        {
            bool flags = s_lock.Acquire();
            _unmounted = true;
            s_lock.Release(flags);
            _root.Put();
        }
    }
}
