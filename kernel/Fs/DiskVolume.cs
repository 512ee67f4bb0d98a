using Abi;

namespace Fs
{
    /// <summary>
    /// The disk's file system as a volume of the mount table, mounted at DiskFileSystem.MountPoint
    /// ("/disk") over a directory of the RAM file system. Sync has nothing to do: the log commits
    /// every operation before the syscall returns.
    /// </summary>
    public sealed class DiskVolume : Volume
    {
        public static DiskVolume Instance { get; } = new DiskVolume();

        public override string Name => "disk";

        public override VfsNode HoldRoot() => InodeCache.Get(DiskFormat.RootInode).Node;

        public override int MaximumNameLength => DiskFormat.MaximumNameLength;

        public override int Sync() => 0;
    }
}
