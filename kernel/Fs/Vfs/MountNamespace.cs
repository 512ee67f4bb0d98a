using System;
using Abi;
using Sync;

namespace Fs
{
    /// <summary>
    /// A mount namespace: one mount table, the list of which volume's root stands in for which directory,
    /// and the root of the tree ("/"). Every process looks names up in its namespace's table (Mounts.cs finds
    /// the caller's), so a mount made in one namespace is invisible in the others: that is what lets a
    /// container mount a tmpfs on /tmp, or make an image its root (pivot_root), without the host noticing.
    /// unshare(CLONE_NEWNS) gives the caller a <see cref="Copy"/>: the same volumes at the same places, from
    /// then on changed separately (Linux's copy_mnt_ns; TeachOS has no mount propagation: every mount is
    /// "private").
    ///
    /// An entry holds its two nodes and a reference to its volume. A namespace is counted by the namespace
    /// sets that use it (Namespaces/NamespaceSet.cs); the last one lets go of every entry, and a volume
    /// whose last entry goes is released (a tmpfs then frees its files: Fs/RamVolume.cs).
    ///
    /// The table is keyed by node identity (volume and inode: VfsNode.IsSameAs). A bind mount therefore
    /// mounts a *view* of a directory (Fs/Vfs/BindVolume.cs), a volume of its own, so that its root is
    /// a different identity from the directory it shows, and ".." at it climbs where it is mounted.
    /// Lock: <see cref="_lock"/>, a spin lock, for this table; a found node is held before it is let go
    /// (Hold never sleeps); nodes and volumes are put after it is let go (a Put may sleep).
    /// </summary>
    public sealed class MountNamespace
    {
        public const int MaximumMounts = 16;

        /// <summary>The longest type and source names kept (longer ones are cut): what `mount` lists.</summary>
        public const int MaximumTypeName = 16, MaximumSourceName = 48;

        private struct Entry
        {
            public VfsNode Covered;      // the directory the volume is mounted on (null for "/")
            public VfsNode Root;         // the volume's root directory
            public Volume Volume;
        }

        // What `mount` lists of an entry, kept beside it (in _labels, same index) inside the table, not in
        // strings: copying a table (under its spin lock) then allocates nothing, and an entry that leaves has
        // nothing of its own to free. A struct of plain bytes, apart from Entry: the runtime copies it as bytes.
        private unsafe struct Label
        {
            public int TypeLength, SourceLength;
            public fixed char Type[MaximumTypeName];       // "ramfs", "tmpfs", "bind", ...
            public fixed char Source[MaximumSourceName];   // mount's first argument ("none", a directory for a bind)

            public Label(ReadOnlySpan<char> type, ReadOnlySpan<char> source)
            {
                fixed (char* into = Type) TypeLength = CopyCut(type, new Span<char>(into, MaximumTypeName));
                fixed (char* into = Source) SourceLength = CopyCut(source, new Span<char>(into, MaximumSourceName));
            }
        }

        private readonly Entry[] _mounts = new Entry[MaximumMounts];
        private readonly Label[] _labels = new Label[MaximumMounts];
        private int _count;
        private int _references = 1;
        private SpinLock _lock;

        private static MountNamespace s_initial;
        private static int s_alive;

        /// <summary>The namespace the kernel and the first process start in (made at boot by MountRoot).</summary>
        public static MountNamespace Initial => s_initial;

        /// <summary>How many namespaces exist (the initial one included): a leak test counts them.</summary>
        public static int Alive => s_alive;

        private MountNamespace() => s_alive++;

        /// <summary>At boot, before any lookup: the initial namespace, with <paramref name="volume"/> as "/".</summary>
        public static void CreateInitial(Volume volume)
        {
            s_initial = new MountNamespace();
            volume.Hold();
            s_initial._labels[0] = new Label(volume.Name, "none");
            s_initial._mounts[s_initial._count++] = new Entry { Covered = null, Root = volume.HoldRoot(), Volume = volume };
        }

        /// <summary>The root of this namespace's tree, held (Put it).</summary>
        public VfsNode HoldRoot()
        {
            bool flags = _lock.Acquire();
            VfsNode root = null;
            for (int i = 0; i < _count && root == null; i++)
                if (_mounts[i].Covered == null) root = _mounts[i].Root;
            root.Hold();
            _lock.Release(flags);
            return root;
        }

        public MountNamespace Hold()
        {
            bool flags = _lock.Acquire();
            _references++;
            _lock.Release(flags);
            return this;
        }

        /// <summary>Lets go of a reference; the last one unmounts everything (volumes released) and frees the table.</summary>
        public void Release()
        {
            bool flags = _lock.Acquire();
            bool gone = --_references == 0;
            _lock.Release(flags);
            if (!gone) return;
            for (int i = _count - 1; i >= 0; i--) Forget(_mounts[i]);
            s_alive--;
            Mem.KernelHeap.Free(_mounts);
            Mem.KernelHeap.Free(_labels);
            Mem.KernelHeap.Free(this);
        }

        /// <summary>unshare(CLONE_NEWNS): a new namespace with the same mounts, held once for the caller.</summary>
        public MountNamespace Copy()
        {
            var made = new MountNamespace();
            bool flags = _lock.Acquire();
            for (int i = 0; i < _count; i++)
            {
                Entry entry = _mounts[i];
                entry.Covered?.Hold();
                entry.Root.Hold();
                entry.Volume.Hold();                // Volume's own lock, under this one: nothing under it
                made._mounts[i] = entry;
                made._labels[i] = _labels[i];
                made._count++;
            }
            _lock.Release(flags);
            return made;
        }

        /// <summary>
        /// Mounts <paramref name="volume"/> on <paramref name="directory"/> (held: the table takes the
        /// reference over, or puts it on failure). 0, or -ENOTDIR, -EBUSY (something is mounted there, or
        /// the volume is mounted in this namespace already), -ENOSPC (the table is full).
        /// </summary>
        public int Add(VfsNode directory, Volume volume, ReadOnlySpan<char> type, ReadOnlySpan<char> source)
        {
            if (directory.Kind != FileKind.Directory) { directory.Put(); return -Errno.ENOTDIR; }
            VfsNode root = volume.HoldRoot();
            var entry = new Entry { Covered = directory, Root = root, Volume = volume };
            var label = new Label(type, source);
            volume.Hold();
            bool flags = _lock.Acquire();
            int error = _count == MaximumMounts ? -Errno.ENOSPC : 0;
            for (int i = 0; i < _count && error == 0; i++)
                if (directory.IsSameAs(_mounts[i].Root) || directory.IsSameAs(_mounts[i].Covered) || _mounts[i].Volume == volume) error = -Errno.EBUSY;
            if (error == 0)
            {
                _labels[_count] = label;
                _mounts[_count++] = entry;
            }
            _lock.Release(flags);
            if (error < 0) Forget(entry);
            return error;
        }

        /// <summary>
        /// The volume whose root <paramref name="root"/> is, if it is mounted on a directory here (not "/"), for
        /// umount: 0, or -EINVAL (not a mount point), -EBUSY ("/" itself, or another mount sits on a directory
        /// of it). The volume is not held: the caller only compares it.
        /// </summary>
        public int FindUnmountable(VfsNode root, out Volume volume)
        {
            volume = null;
            bool flags = _lock.Acquire();
            int index = IndexOfRootLocked(root);
            int error = index < 0 ? -Errno.EINVAL : _mounts[index].Covered == null ? -Errno.EBUSY : 0;
            if (error == 0)
            {
                volume = _mounts[index].Volume;
                if (HasMountsOnLocked(volume)) error = -Errno.EBUSY;
            }
            _lock.Release(flags);
            return error;
        }

        /// <summary>umount: takes <paramref name="volume"/>'s entry out (checked again: -EINVAL if gone, -EBUSY if something was mounted on it meanwhile).</summary>
        public int Remove(Volume volume)
        {
            bool flags = _lock.Acquire();
            int index = -1;
            for (int i = 0; i < _count; i++)
                if (_mounts[i].Volume == volume && _mounts[i].Covered != null) index = i;
            int error = index < 0 ? -Errno.EINVAL : HasMountsOnLocked(volume) ? -Errno.EBUSY : 0;
            Entry removed = default;
            if (error == 0)
            {
                removed = _mounts[index];
                for (int i = index; i < _count - 1; i++)
                {
                    _mounts[i] = _mounts[i + 1];
                    _labels[i] = _labels[i + 1];
                }
                _mounts[--_count] = default;
            }
            _lock.Release(flags);
            if (error == 0) Forget(removed);
            return error;
        }

        /// <summary>
        /// pivot_root's change of the table: the volume whose root is <paramref name="newRoot"/> (mounted on a
        /// directory) becomes "/", and the old "/" is mounted on <paramref name="putOld"/> (held: the table takes
        /// it over). The caller checked Linux's rules (Fs/Vfs/PivotRoot.cs). -EINVAL if newRoot is not a mount.
        /// </summary>
        public int SwapRoot(VfsNode newRoot, VfsNode putOld)
        {
            bool flags = _lock.Acquire();
            int index = IndexOfRootLocked(newRoot);
            int old = -1;
            for (int i = 0; i < _count; i++)
                if (_mounts[i].Covered == null) old = i;
            VfsNode uncovered = null;
            int error = index < 0 || _mounts[index].Covered == null ? -Errno.EINVAL : 0;
            if (error == 0)
            {
                uncovered = _mounts[index].Covered;
                _mounts[index].Covered = null;
                _mounts[old].Covered = putOld;
            }
            _lock.Release(flags);
            (error == 0 ? uncovered : putOld).Put();
            return error;
        }

        /// <summary>If a volume is mounted on <paramref name="directory"/>, its root, held; else null.</summary>
        public VfsNode RootMountedOn(VfsNode directory)
        {
            VfsNode found = null;
            bool flags = _lock.Acquire();
            for (int i = 0; i < _count; i++)
                if (directory.IsSameAs(_mounts[i].Covered)) found = _mounts[i].Root;
            found?.Hold();
            _lock.Release(flags);
            return found;
        }

        /// <summary>If <paramref name="root"/> is a mounted volume's root (not "/"), the directory it covers, held; else null.</summary>
        public VfsNode DirectoryCoveredBy(VfsNode root)
        {
            VfsNode found = null;
            bool flags = _lock.Acquire();
            int index = IndexOfRootLocked(root);
            if (index >= 0) found = _mounts[index].Covered;
            found?.Hold();
            _lock.Release(flags);
            return found;
        }

        /// <summary>True if <paramref name="node"/> is a mount point or a volume's root here: it may not be removed or renamed.</summary>
        public bool IsBusy(VfsNode node)
        {
            bool busy = false;
            bool flags = _lock.Acquire();
            for (int i = 0; i < _count; i++)
                if (node.IsSameAs(_mounts[i].Covered) || node.IsSameAs(_mounts[i].Root)) busy = true;
            _lock.Release(flags);
            return busy;
        }

        /// <summary>The number of mounts ("/" included).</summary>
        public int Count => _count;

        /// <summary>
        /// The <paramref name="index"/>-th mount ("/" first), for `mount`'s list: its type and source copied into
        /// the spans (cut to fit), its mount point held (null for "/"), its volume. False past the end.
        /// </summary>
        public unsafe bool Read(int index, Span<char> type, out int typeLength, Span<char> source, out int sourceLength, out VfsNode covered, out Volume volume)
        {
            typeLength = sourceLength = 0;
            covered = null;
            volume = null;
            bool flags = _lock.Acquire();
            bool found = index >= 0 && index < _count;
            if (found)
            {
                Entry entry = _mounts[index];
                fixed (Label* label = &_labels[index])
                {
                    typeLength = CopyCut(new ReadOnlySpan<char>(label->Type, label->TypeLength), type);
                    sourceLength = CopyCut(new ReadOnlySpan<char>(label->Source, label->SourceLength), source);
                }
                covered = entry.Covered;
                covered?.Hold();
                volume = entry.Volume;
            }
            _lock.Release(flags);
            return found;
        }

        private static int CopyCut(ReadOnlySpan<char> text, Span<char> into)
        {
            int length = text.Length < into.Length ? text.Length : into.Length;
            text.Slice(0, length).CopyTo(into);
            return length;
        }

        private int IndexOfRootLocked(VfsNode root)
        {
            for (int i = 0; i < _count; i++)
                if (root.IsSameAs(_mounts[i].Root)) return i;
            return -1;
        }

        // True if some mount here sits on a directory of volume (its mount point is on it).
        private bool HasMountsOnLocked(Volume volume)
        {
            for (int i = 0; i < _count; i++)
                if (_mounts[i].Covered != null && _mounts[i].Covered.Volume == volume) return true;
            return false;
        }

        // An entry leaves a table: its nodes put, its volume released (the last release frees a tmpfs).
        private static void Forget(Entry entry)
        {
            entry.Covered?.Put();
            entry.Root.Put();
            entry.Volume.Release();
        }
    }
}
