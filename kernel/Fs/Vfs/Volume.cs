using Sync;

namespace Fs
{
    /// <summary>
    /// One file system that can be mounted: the RAM file system of the initrd (Fs/RamVolume.cs) at "/",
    /// the disk's file system at "/disk", the device files at "/dev" (Fs/Devices/DeviceVolume.cs), the
    /// control groups at "/sys/fs/cgroup" (Cgroups/CgroupVolume.cs), and what the mount syscall makes
    /// (Fs/Vfs/FileSystemTypes.cs: a tmpfs, a bind mount's view, an overlay). A mount table
    /// (Fs/Vfs/MountNamespace.cs) maps a directory to a volume's root.
    ///
    /// References: a volume made by a file-system type starts with one, its maker's; each mount table entry
    /// holds one more (a copied namespace holds its own). The last <see cref="Release"/> calls
    /// <see cref="Unmounted"/>: a tmpfs then lets its files go. The boot volumes keep their maker's
    /// reference for ever. Lock: <see cref="s_lock"/> for every volume's count; nothing under it.
    /// </summary>
    public abstract class Volume
    {
        private int _references = 1;
        private static SpinLock s_lock;

        /// <summary>A short name for boot messages and reports ("ramfs", "disk").</summary>
        public abstract string Name { get; }

        /// <summary>The root directory, with a reference for the caller (Put it).</summary>
        public abstract VfsNode HoldRoot();

        /// <summary>The longest name one directory entry holds (longer names are -ENAMETOOLONG).</summary>
        public abstract int MaximumNameLength { get; }

        /// <summary>Makes every change so far durable (nothing to do in RAM).</summary>
        public abstract int Sync();

        /// <summary>
        /// True for a read-only mount (`mount -o ro`): opening a file for writing is -EROFS (Fs/Vfs/PathOperations.cs),
        /// and the volume's nodes refuse every change with -EROFS themselves.
        /// </summary>
        public virtual bool ReadOnly => false;

        public void Hold()
        {
            bool flags = s_lock.Acquire();
            _references++;
            s_lock.Release(flags);
        }

        /// <summary>Lets go of a reference; the last one calls <see cref="Unmounted"/> (no lock held: it may sleep).</summary>
        public void Release()
        {
            bool flags = s_lock.Acquire();
            bool gone = --_references == 0;
            s_lock.Release(flags);
            if (gone) Unmounted();
        }

        /// <summary>
        /// No mount table holds the volume any more, nor its maker. A volume that owns memory lets it go here;
        /// nodes still held (a descriptor open on a file of it) stay valid until their last Put.
        /// </summary>
        protected virtual void Unmounted() { }
    }
}
