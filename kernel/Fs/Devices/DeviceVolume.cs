using Abi;
using Terminal;

namespace Fs
{
    /// <summary>
    /// The device files as a volume of the mount table, mounted at <see cref="MountPoint"/> over a
    /// directory of the RAM file system (made at boot if the initrd has none), beside the disk at
    /// /disk. Its root is Fs/Devices/DeviceDirectory.cs, a fixed table; nothing to sync.
    /// </summary>
    public sealed class DeviceVolume : Volume
    {
        public const string MountPoint = "/dev";

        public static DeviceVolume Instance { get; } = new DeviceVolume();

        public override string Name => "devices";

        public override VfsNode HoldRoot() => DeviceDirectory.Instance;

        public override int MaximumNameLength => DirectoryEntry.MaximumName;

        public override int Sync() => 0;

        /// <summary>At boot, after the initrd: makes /dev in the RAM file system and mounts the devices on it.</summary>
        public static void MountAtBoot()
        {
            int made = PathOperations.MakeDirectory(Credentials.Kernel, Mounts.Root, MountPoint);
            int error = made == -Errno.EEXIST ? 0 : made;
            if (error == 0) error = Mounts.Mount(MountPoint, Instance);
            if (error < 0) Console.WriteLine($"devices: not mounted: {MountPoint}: {Errno.Name(-error)}");
        }
    }
}
