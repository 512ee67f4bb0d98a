namespace Fs
{
    /// <summary>
    /// One file system that can be mounted: the RAM file system of the initrd (Fs/RamVolume.cs) at "/",
    /// the disk's file system at "/disk", the device files at "/dev" (Fs/Devices/DeviceVolume.cs), the control groups at "/sys/fs/cgroup"
    /// (Cgroups/CgroupVolume.cs). The mount table (Fs/Vfs/Mounts.cs) maps a directory to a
    /// volume's root.
    /// </summary>
    public abstract class Volume
    {
        /// <summary>A short name for boot messages and reports ("ramfs", "disk").</summary>
        public abstract string Name { get; }

        /// <summary>The root directory, with a reference for the caller (Put it).</summary>
        public abstract VfsNode HoldRoot();

        /// <summary>The longest name one directory entry holds (longer names are -ENAMETOOLONG).</summary>
        public abstract int MaximumNameLength { get; }

        /// <summary>Makes every change so far durable (nothing to do in RAM).</summary>
        public abstract int Sync();
    }
}
