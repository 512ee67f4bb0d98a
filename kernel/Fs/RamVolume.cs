using Abi;

namespace Fs
{
    /// <summary>
    /// The RAM file system as a mountable volume: the initrd's tree at "/" (<see cref="Instance"/>, for ever),
    /// and each tmpfs that mount makes (<see cref="CreateTmpfs"/>: Fs/Vfs/FileSystemTypes.cs), a fresh, empty
    /// tree of its own. Nothing to sync: nothing survives power-off.
    ///
    /// A tmpfs's life: made with one reference (its maker's), held by each mount table that mounts it; when
    /// the last lets go (umount, or the last process of a mount namespace exits) it removes its whole tree
    /// (<see cref="Unmounted"/>), so its files' frames go back. A node still held then (an open descriptor)
    /// lives on, unlinked, and the volume object itself is freed with its last node (<see cref="_nodes"/>):
    /// a node's Volume must stay valid while the node does.
    /// Lock: FileSystem.Lock for <see cref="_nodes"/> and <see cref="_unmounted"/>, as for the nodes.
    /// </summary>
    public sealed class RamVolume : Volume
    {
        public static RamVolume Instance { get; } = new RamVolume(isTmpfs: false);

        // A tmpfs's root is 1777 like /tmp, as Linux's tmpfs makes it: everyone may create, only owners remove.
        private const int TmpfsRootMode = 0x3FF;

        private readonly bool _isTmpfs;
        private RamNode _root;              // null for Instance: RamNode.Root (made by RamNode's own statics)
        private int _nodes;                 // nodes alive that belong to this volume
        private bool _unmounted;

        private RamVolume(bool isTmpfs) => _isTmpfs = isTmpfs;

        /// <summary>mount -t tmpfs: a new, empty RAM file system, held once for the caller.</summary>
        public static RamVolume CreateTmpfs()
        {
            var volume = new RamVolume(isTmpfs: true);
            bool flags = FileSystem.Lock.Acquire();
            volume._root = RamNode.NewRoot(volume);
            FileSystem.Lock.Release(flags);
            volume._root.SetAttributes(new NodeAttributes(TmpfsRootMode, UserIds.Root, UserIds.Root));
            return volume;
        }

        /// <summary>The volume's root directory (not held).</summary>
        public RamNode RootNode => _root ?? RamNode.Root;

        public override string Name => _isTmpfs ? "tmpfs" : "ramfs";

        public override VfsNode HoldRoot()
        {
            RamNode root = RootNode;
            root.Hold();
            return root;
        }

        public override int MaximumNameLength => RamNode.MaximumNameLength;

        public override int Sync() => 0;

        /// <summary>A node of this volume was made. FileSystem.Lock held (or at boot, alone).</summary>
        public void NodeMadeLocked() => _nodes++;

        /// <summary>A node of this volume was freed; the last one of an unmounted tmpfs frees the volume. FileSystem.Lock held.</summary>
        public void NodeFreedLocked()
        {
            if (--_nodes == 0 && _unmounted) Mem.KernelHeap.Free(this);
        }

        // No table mounts this tmpfs any more: its tree goes (the initrd's, held for ever, never comes here).
        protected override void Unmounted()
        {
            bool flags = FileSystem.Lock.Acquire();
            _unmounted = true;
            RamNode root = _root;
            root.RemoveAllLocked();
            root.ForgetRootLocked();             // may free the last node, and with it this volume
            FileSystem.Lock.Release(flags);
        }
    }
}
