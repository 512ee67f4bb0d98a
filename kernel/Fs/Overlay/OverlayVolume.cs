using System;
using Abi;
using Mem;
using Sched;
using Sync;

namespace Fs
{
    /// <summary>
    /// An overlay: one directory tree made of several. Below, read-only <b>lower</b> directories (image
    /// layers: any volume, never written); on top, one writable <b>upper</b> directory that receives
    /// every change (a container's own layer). A name means what the uppermost layer holding it says;
    /// a directory present in several layers shows all their entries (Fs/Overlay/MergedListing.cs);
    /// a lower file is copied up before its first change (Fs/Overlay/CopyUp.cs); a lower name that is
    /// removed leaves a whiteout (Fs/Overlay/Whiteouts.cs). Mounted with the "overlay" type of the mount
    /// call: lowerdir=A:B,upperdir=C,workdir=D (Fs/Overlay/OverlayOptions.cs), as Linux's overlayfs.
    ///
    /// Layers are numbered from the top: 0 is the upper directory, 1 the first lowerdir (the uppermost
    /// lower one), and so on. The <b>work</b> directory, on the upper's volume, is where a copy is made
    /// before it appears under its name in one rename: a crash leaves the old file or the whole new one.
    ///
    /// Nodes: one OverlayNode stands for one overlay file while anybody holds it, found again by its
    /// inode number (<see cref="FindLive"/>): when one process copies a file up, every other holder
    /// (an open descriptor, a current directory) sees the upper copy at once.
    /// Locks: <see cref="_liveLock"/> (spin) guards the live list and reference counts; <see cref="Changes"/>
    /// (sleeping: the layers' own operations sleep on a disk) makes each change of names or copy-up one
    /// step with respect to the others, as a rename lock does. Reads take neither.
    /// </summary>
    public sealed class OverlayVolume : Volume
    {
        /// <summary>The most lowerdirs one overlay stacks (Linux allows 500; an image here has a few).</summary>
        public const int MaximumLowerLayers = 8;

        // An overlay inode number: the layer in the top 8 bits, the layer's own inode number below, so
        // that two layers on two volumes never give two files one number.
        private const int LayerShift = 56;
        private const ulong LayerInodeMask = (1UL << LayerShift) - 1;

        private readonly VfsNode[] _layerRoots;       // [0] the upper directory (null: read-only), [1..] the lowers
        private readonly VfsNode _work;
        private readonly int _maximumNameLength;
        private OverlayNode _root;
        private OverlayNode _firstLive;
        private SpinLock _liveLock;

        /// <summary>Serialises the changes (create, remove, rename, copy-up): see the class comment.</summary>
        internal readonly SleepLock Changes = new SleepLock("overlay changes");

        /// <summary>
        /// An overlay of <paramref name="lowers"/> (uppermost first), <paramref name="upper"/> and
        /// <paramref name="work"/> (both null for a read-only overlay). Takes over the callers' references
        /// to every directory; Release gives them back. The checks (kinds, overlap) are OverlayOptions'.
        /// </summary>
        public OverlayVolume(VfsNode[] lowers, int lowerCount, VfsNode upper, VfsNode work, bool readOnlyMount)
        {
            _readOnlyMount = readOnlyMount;
            _layerRoots = new VfsNode[1 + lowerCount];
            _layerRoots[0] = upper;
            _work = work;
            int shortest = upper == null ? DirectoryEntry.MaximumName : upper.Volume.MaximumNameLength;
            for (int i = 0; i < lowerCount; i++)
            {
                _layerRoots[1 + i] = lowers[i];
                if (lowers[i].Volume.MaximumNameLength < shortest) shortest = lowers[i].Volume.MaximumNameLength;
            }
            _maximumNameLength = shortest;
            var layers = new VfsNode[_layerRoots.Length];
            for (int i = 0; i < layers.Length; i++)
            {
                layers[i] = _layerRoots[i];
                layers[i]?.Hold();
            }
            OverlayNode.CutBelowOpaque(layers);
            _root = new OverlayNode(this, null, default, layers);
            AddLive(_root);
        }

        public override string Name => "overlay";

        public override VfsNode HoldRoot()
        {
            _root.Hold();
            return _root;
        }

        /// <summary>Lookups accept what every layer accepts; new names must leave room for ".wh." (<see cref="MaximumNewNameLength"/>).</summary>
        public override int MaximumNameLength => _maximumNameLength;

        /// <summary>The longest name a create or rename may give: removing it later writes ".wh." before it in the upper layer.</summary>
        public int MaximumNewNameLength => IsReadOnly ? 0 : _layerRoots[0].Volume.MaximumNameLength - Whiteouts.Prefix.Length;

        public override int Sync() => _layerRoots[0] == null ? 0 : _layerRoots[0].Volume.Sync();

        /// <summary>No upperdir was given, or the mount is read-only (`-o ro`): every change is -EROFS.</summary>
        public bool IsReadOnly => _layerRoots[0] == null || _readOnlyMount;

        public override bool ReadOnly => IsReadOnly;

        private readonly bool _readOnlyMount;

        /// <summary>1 (the upper slot, used or not) + the lower layers.</summary>
        internal int LayerCount => _layerRoots.Length;

        internal VfsNode WorkDirectory => _work;

        private ulong _workNumbers;

        /// <summary>A fresh number for a copy in the work directory (the caller holds <see cref="Changes"/>).</summary>
        internal ulong NextWorkNumber() => ++_workNumbers;

        /// <summary>The overlay's inode number for a node of layer <paramref name="layer"/>.</summary>
        internal static ulong InodeFor(int layer, ulong layerInode) => ((ulong)layer << LayerShift) | (layerInode & LayerInodeMask);

        /// <summary>Nodes alive besides the root (open files, current directories inside).</summary>
        public int LiveNodes
        {
            get
            {
                int count = 0;
                bool flags = _liveLock.Acquire();
                for (OverlayNode node = _firstLive; node != null; node = node.NextLive) count++;
                _liveLock.Release(flags);
                return _root == null ? count : count - 1;
            }
        }

        /// <summary>
        /// The last reference is gone (umount, or the maker's Release of a volume never mounted): the volume
        /// lets its root go. Nodes still held (a descriptor open on a file inside) stay valid; when the last
        /// one is put, the layers' directories and the volume are given back (<see cref="NodeFreed"/>), so an
        /// unmount leaves no frame or heap block behind.
        /// </summary>
        protected override void Unmounted()
        {
            OverlayNode root = _root;
            bool flags = _liveLock.Acquire();
            _root = null;
            _unmounted = true;
            _liveLock.Release(flags);
            root.Put();                                  // the volume's own reference
        }

        private bool _unmounted, _freed;

        /// <summary>A node was freed: if it was the last of an unmounted volume, the volume goes too.</summary>
        internal void NodeFreed()
        {
            bool flags = _liveLock.Acquire();
            bool last = _unmounted && _firstLive == null && !_freed;
            if (last) _freed = true;
            _liveLock.Release(flags);
            if (!last) return;
            for (int i = 0; i < _layerRoots.Length; i++) _layerRoots[i]?.Put();
            _work?.Put();
            KernelHeap.Free(_layerRoots);
            Changes.Free();
            KernelHeap.Free(this);
        }

        // ---- The live nodes: one OverlayNode per overlay file while it is held. ----

        /// <summary>
        /// The live node with inode number <paramref name="inode"/> (held), or, if none, <paramref name="made"/>
        /// added to the list and returned. Returns which one the caller now holds.
        /// </summary>
        internal OverlayNode FindLiveOrAdd(ulong inode, OverlayNode made)
        {
            bool flags = _liveLock.Acquire();
            OverlayNode found = FindLiveLocked(inode);
            if (found != null) found.HoldLocked();
            else
            {
                made.NextLive = _firstLive;
                _firstLive = made;
            }
            _liveLock.Release(flags);
            return found ?? made;
        }

        /// <summary>The live node with inode number <paramref name="inode"/>, held, or null.</summary>
        internal OverlayNode FindLive(ulong inode)
        {
            bool flags = _liveLock.Acquire();
            OverlayNode found = FindLiveLocked(inode);
            found?.HoldLocked();
            _liveLock.Release(flags);
            return found;
        }

        private OverlayNode FindLiveLocked(ulong inode)
        {
            for (OverlayNode node = _firstLive; node != null; node = node.NextLive)
                if (node.Inode == inode && !node.IsDetached) return node;
            return null;
        }

        private void AddLive(OverlayNode node)
        {
            bool flags = _liveLock.Acquire();
            node.NextLive = _firstLive;
            _firstLive = node;
            _liveLock.Release(flags);
        }

        /// <summary>Takes a reference (the spin lock guards every count, so a lookup never revives a node being freed).</summary>
        internal void Hold(OverlayNode node)
        {
            bool flags = _liveLock.Acquire();
            node.HoldLocked();
            _liveLock.Release(flags);
        }

        /// <summary>Gives a reference back; true if it was the last (the node is off the list: the caller frees it).</summary>
        internal bool Put(OverlayNode node)
        {
            bool flags = _liveLock.Acquire();
            bool last = node.PutLocked();
            if (last)
            {
                if (_firstLive == node) _firstLive = node.NextLive;
                else
                    for (OverlayNode before = _firstLive; before != null; before = before.NextLive)
                        if (before.NextLive == node) { before.NextLive = node.NextLive; break; }
                node.NextLive = null;
            }
            _liveLock.Release(flags);
            return last;
        }

        /// <summary>Guards a change of a node's fields (a copy-up's new upper slot, a rename's new parent): a reader sees old or new, whole.</summary>
        internal bool LockNodes() => _liveLock.Acquire();

        internal void UnlockNodes(bool flags) => _liveLock.Release(flags);
    }
}
