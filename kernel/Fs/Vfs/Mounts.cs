using System;
using Sync;

namespace Fs
{
    /// <summary>
    /// The mount table: which volume's root stands in for which directory. "/" is the RAM file system
    /// unpacked from the initrd; the disk's file system is mounted at "/disk" (a directory of the RAM
    /// file system, which it then covers). Path resolution (Fs/Vfs/PathResolver.cs) asks two
    /// questions while it walks: stepping down into a covered directory, which root covers it
    /// (<see cref="RootMountedOn"/>); stepping up ("..") from a volume's root, which directory it covers
    /// (<see cref="DirectoryCoveredBy"/>), so that "/disk/.." is "/".
    ///
    /// Entries are added at boot and never removed (TeachOS has no umount), so the table keeps a
    /// reference to both nodes of each entry for ever, and a node found here stays valid after the
    /// lock is let go: the lookups take the lock only to read the table, and call Hold after.
    /// Lock: <see cref="s_lock"/>, a spin lock, for the table only; never held across a node's operation.
    /// </summary>
    public static class Mounts
    {
        public const int MaximumMounts = 8;

        private struct Entry
        {
            public VfsNode Covered;      // the directory the volume is mounted on (null for "/")
            public VfsNode Root;         // the volume's root directory
            public Volume Volume;
        }

        private static readonly Entry[] s_mounts = new Entry[MaximumMounts];
        private static int s_count;
        private static SpinLock s_lock;
        private static VfsNode s_root;

        /// <summary>The root of the whole tree, "/" (not held: it lives for ever; Hold it to keep it).</summary>
        public static VfsNode Root => s_root;

        /// <summary>Makes <paramref name="volume"/> the root of the tree (at boot, before any lookup).</summary>
        public static void MountRoot(Volume volume)
        {
            s_root = volume.HoldRoot();
            s_mounts[s_count++] = new Entry { Covered = null, Root = s_root, Volume = volume };
        }

        /// <summary>
        /// Mounts <paramref name="volume"/> on the directory at <paramref name="path"/> (absolute):
        /// 0, or -ENOENT/-ENOTDIR (no such directory), -EBUSY (something is mounted there already),
        /// -ENOSPC (the table is full).
        /// </summary>
        public static int Mount(ReadOnlySpan<char> path, Volume volume)
        {
            int error = Paths.Resolve(Credentials.Kernel, s_root, path, followLast: true, out VfsNode directory);
            if (error < 0) return error;
            if (directory.Kind != FileKind.Directory) { directory.Put(); return -Abi.Errno.ENOTDIR; }
            VfsNode root = volume.HoldRoot();
            bool flags = s_lock.Acquire();
            error = s_count == MaximumMounts ? -Abi.Errno.ENOSPC : 0;
            for (int i = 0; i < s_count && error == 0; i++)
                if (directory.IsSameAs(s_mounts[i].Root) || directory.IsSameAs(s_mounts[i].Covered)) error = -Abi.Errno.EBUSY;
            if (error == 0) s_mounts[s_count++] = new Entry { Covered = directory, Root = root, Volume = volume };
            s_lock.Release(flags);
            if (error < 0) { root.Put(); directory.Put(); }
            return error;
        }

        /// <summary>If a volume is mounted on <paramref name="directory"/>, its root, held; else null.</summary>
        public static VfsNode RootMountedOn(VfsNode directory)
        {
            VfsNode found = null;
            bool flags = s_lock.Acquire();
            for (int i = 0; i < s_count; i++)
                if (directory.IsSameAs(s_mounts[i].Covered)) found = s_mounts[i].Root;
            s_lock.Release(flags);
            found?.Hold();
            return found;
        }

        /// <summary>If <paramref name="root"/> is a mounted volume's root (not "/"), the directory it covers, held; else null.</summary>
        public static VfsNode DirectoryCoveredBy(VfsNode root)
        {
            VfsNode found = null;
            bool flags = s_lock.Acquire();
            for (int i = 0; i < s_count; i++)
                if (s_mounts[i].Covered != null && root.IsSameAs(s_mounts[i].Root)) found = s_mounts[i].Covered;
            s_lock.Release(flags);
            found?.Hold();
            return found;
        }

        /// <summary>True if <paramref name="node"/> is a mount point or a volume's root: it may not be removed or renamed.</summary>
        public static bool IsBusy(VfsNode node)
        {
            bool busy = false;
            bool flags = s_lock.Acquire();
            for (int i = 0; i < s_count; i++)
                if (node.IsSameAs(s_mounts[i].Covered) || node.IsSameAs(s_mounts[i].Root)) busy = true;
            s_lock.Release(flags);
            return busy;
        }

        /// <summary>The volumes mounted, in order ("/" first): for sync and boot reports.</summary>
        public static int Count => s_count;

        public static Volume VolumeAt(int index) => index >= 0 && index < s_count ? s_mounts[index].Volume : null;
    }
}
