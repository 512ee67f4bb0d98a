using Abi;
using Sched;

namespace Fs
{
    /// <summary>
    /// A disk inode held in memory (xv6's struct inode): its number, how many references the kernel
    /// holds to it (open files, a process's working directory, a path lookup in progress), a sleeping
    /// lock, and, while Valid, a copy of the DiskInode's fields. The inode cache (Fs/InodeCache.cs)
    /// keeps one Inode per inode number, so that two threads working on one file lock one object.
    ///
    /// The copy's fields may be read and changed only by the thread that holds Lock (InodeCache.Lock);
    /// InodeCache.Update writes them back to the disk through the log. Number and References belong
    /// to the cache (its spin lock).
    /// </summary>
    public sealed class Inode
    {
        public uint Number { get; internal set; }

        /// <summary>This inode as the VFS sees it (one for the entry's whole life).</summary>
        public DiskNode Node { get; }

        /// <summary>Counts changes to the contents (and reuses of the entry): a reader made before one knows it is stale.</summary>
        public ulong Version;

        public Inode() => Node = new DiskNode(this);
        internal int References;
        internal bool Valid;
        internal readonly SleepLock Lock = new SleepLock("inode");

        public ushort Type;
        public ushort LinkCount;
        public ushort Mode;
        public ushort Device;
        public uint Uid;
        public uint Gid;
        public ulong Size;
        public ulong ModifiedTime;
        public readonly uint[] Addresses = new uint[DiskFormat.AddressCount];

        /// <summary>Set at lock time when the disk's copy cannot be right (a free inode named by a directory, an unknown type, a size past the largest file): refuse to use it.</summary>
        public bool Corrupt;

        public bool IsDirectory => Type == DiskInodeType.Directory;
        public bool IsSymbolicLink => Type == DiskInodeType.SymbolicLink;
        public bool IsHeldByCurrentThread => Lock.IsHeldByCurrentThread;
    }
}
