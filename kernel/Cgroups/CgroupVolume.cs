using Abi;
using Fs;
using Terminal;

namespace Cgroups
{
    /// <summary>
    /// The control groups as a volume of the mount table, mounted at <see cref="MountPoint"/> at boot
    /// as Linux's cgroup2 file system is, over a directory of the RAM file system (made, with /sys and
    /// /sys/fs, if the initrd has none), beside /dev (Fs/Devices/DeviceVolume.cs). Its root is the root
    /// group's directory (Cgroups/GroupDirectory.cs); the whole tree lives in memory, nothing to sync.
    /// </summary>
    public sealed class CgroupVolume : Volume
    {
        public const string MountPoint = "/sys/fs/cgroup";

        public static CgroupVolume Instance { get; } = new CgroupVolume();

        public override string Name => "cgroup2";

        public override VfsNode HoldRoot()
        {
            ControlGroupTree.Root.Hold();
            return ControlGroupTree.Root.Directory;
        }

        public override int MaximumNameLength => DirectoryEntry.MaximumName;

        public override int Sync() => 0;

        /// <summary>At boot, after the initrd and before init: the root group, /sys/fs/cgroup, and the mount.</summary>
        public static void MountAtBoot()
        {
            ControlGroupTree.Create();
            int error = MakeDirectory("/sys");
            if (error == 0) error = MakeDirectory("/sys/fs");
            if (error == 0) error = MakeDirectory(MountPoint);
            if (error == 0) error = Mounts.Mount(MountPoint, Instance);
            if (error < 0) Console.WriteLine($"cgroup: not mounted: {MountPoint}: {Errno.Name(-error)}");
        }

        private static int MakeDirectory(string path)
        {
            int made = PathOperations.MakeDirectory(Credentials.Kernel, Mounts.Root, path);
            return made == -Errno.EEXIST ? 0 : made;
        }
    }
}
