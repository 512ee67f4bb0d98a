using Abi;
using Sync;
using Terminal;

namespace Fs
{
    /// <summary>
    /// The in-memory inodes (xv6's itable, iget, ilock, iunlock, iput, ialloc, iupdate): at most
    /// <see cref="Capacity"/> inodes are in use at once (open files, working directories and lookups in
    /// progress together); past it Get returns null and the syscall fails with ENFILE.
    ///
    /// The life of a reference: Get(number) (a reference, not locked, no disk read) → Lock (reads the
    /// inode from the disk the first time) → read or change it; Update writes it back through the log
    /// → Unlock → Put. Put of the last reference to an inode no directory names (LinkCount 0) frees
    /// its blocks and the inode itself: so a file unlinked while open lives until its last close.
    /// Put may write to the disk, so it is called inside a log operation, like every change.
    ///
    /// Locks: s_lock (a spin lock) guards Number and References of every entry; an inode's fields are
    /// guarded by its SleepLock. Lock order: the log's BeginOperation, then inode locks (a directory
    /// before its entries' inodes, never the other way), then buffers.
    /// </summary>
    public static unsafe class InodeCache
    {
        public const int Capacity = 128;

        private static SpinLock s_lock;
        private static Inode[] s_inodes;

        public static void Initialize()
        {
            s_inodes = new Inode[Capacity];
            for (int i = 0; i < Capacity; i++) s_inodes[i] = new Inode();
        }

        /// <summary>A reference to inode <paramref name="number"/>, not locked; null when the cache is full (ENFILE).</summary>
        public static Inode Get(uint number)
        {
            bool flags = s_lock.Acquire();
            Inode empty = null;
            for (int i = 0; i < Capacity; i++)
            {
                Inode inode = s_inodes[i];
                if (inode.References > 0 && inode.Number == number)
                {
                    inode.References++;
                    s_lock.Release(flags);
                    return inode;
                }
                if (empty == null && inode.References == 0) empty = inode;
            }
            if (empty != null)
            {
                empty.Number = number;
                empty.References = 1;
                empty.Valid = false;
                empty.Version++;
            }
            s_lock.Release(flags);
            return empty;
        }

        /// <summary>One more reference to an inode the caller already holds a reference to (xv6's idup).</summary>
        public static Inode Duplicate(Inode inode)
        {
            bool flags = s_lock.Acquire();
            inode.References++;
            s_lock.Release(flags);
            return inode;
        }

        /// <summary>Locks the inode, reading it from the disk if this is the first use of this entry.</summary>
        [TeachOS.Boundary.MayBlock]
        public static void Lock(Inode inode)
        {
            inode.Lock.Acquire();
            if (inode.Valid) return;
            Buffer buffer = BufferCache.Read(BlockOf(inode.Number));
            fixed (byte* bytes = buffer.Data)
            {
                DiskInode* disk = (DiskInode*)bytes + inode.Number % DiskFormat.InodesPerBlock;
                inode.Type = disk->Type;
                inode.LinkCount = disk->LinkCount;
                inode.Mode = disk->Mode;
                inode.Device = disk->Device;
                inode.Uid = disk->Uid;
                inode.Gid = disk->Gid;
                inode.Size = disk->Size;
                inode.ModifiedTime = disk->ModifiedTime;
                for (int i = 0; i < DiskFormat.AddressCount; i++) inode.Addresses[i] = disk->Addresses[i];
            }
            BufferCache.Release(buffer);
            inode.Valid = true;
            inode.Corrupt = inode.Type == DiskInodeType.Free || inode.Type > DiskInodeType.Device
                || inode.Size > (ulong)DiskFormat.MaximumFileSize;
            if (inode.Corrupt)
                Console.WriteLine($"disk: inode {inode.Number} is corrupt (type {inode.Type}, size {inode.Size}): refused");
        }

        public static void Unlock(Inode inode)
        {
            if (!inode.IsHeldByCurrentThread) Diagnostics.Panic.Halt("InodeCache.Unlock: the inode is not locked by this thread");
            inode.Lock.Release();
        }

        /// <summary>
        /// Drops a reference. The last reference to an inode with no links frees its blocks and the
        /// inode. Inside a log operation; the caller holds no inode lock (freeing a large file may end
        /// and begin the operation again, see InodeBlockMap.Truncate).
        /// </summary>
        [TeachOS.Boundary.MayBlock]
        public static void Put(Inode inode)
        {
            bool flags = s_lock.Acquire();
            if (inode.References == 1 && inode.Valid && inode.LinkCount == 0 && !inode.Corrupt)
            {
                // Nobody else has a reference, and no directory names it: nobody can Get it meanwhile.
                s_lock.Release(flags);
                inode.Lock.Acquire();
                InodeBlockMap.Truncate(inode, 0);
                inode.Type = DiskInodeType.Free;
                Update(inode);
                inode.Valid = false;
                inode.Lock.Release();
                flags = s_lock.Acquire();
            }
            inode.References--;
            s_lock.Release(flags);
        }

        public static void UnlockAndPut(Inode inode)
        {
            Unlock(inode);
            Put(inode);
        }

        /// <summary>Writes the locked inode's fields back to its disk block, through the log.</summary>
        [TeachOS.Boundary.MayBlock]
        public static void Update(Inode inode)
        {
            Buffer buffer = BufferCache.Read(BlockOf(inode.Number));
            fixed (byte* bytes = buffer.Data)
            {
                DiskInode* disk = (DiskInode*)bytes + inode.Number % DiskFormat.InodesPerBlock;
                disk->Type = inode.Type;
                disk->LinkCount = inode.LinkCount;
                disk->Mode = inode.Mode;
                disk->Device = inode.Device;
                disk->Uid = inode.Uid;
                disk->Gid = inode.Gid;
                disk->Size = inode.Size;
                disk->ModifiedTime = inode.ModifiedTime;
                for (int i = 0; i < DiskFormat.AddressCount; i++) disk->Addresses[i] = inode.Addresses[i];
            }
            Log.Write(buffer);
            BufferCache.Release(buffer);
        }

        /// <summary>
        /// Takes a free inode (type 0 on the disk), gives it <paramref name="type"/>, and returns a
        /// reference to it, not locked; null with <paramref name="error"/> ENOSPC when every inode is in
        /// use, ENFILE when the cache is full (the inode is then given back: nothing is left half taken).
        /// Inside an operation. The search starts after the last inode taken, so a disk with many files
        /// is not read from its first inode block at every create.
        /// </summary>
        [TeachOS.Boundary.MayBlock]
        public static Inode Allocate(ushort type, ushort mode, out int error)
        {
            uint count = DiskFileSystem.Superblock.InodeCount;
            uint start = s_nextFree;
            for (uint step = 0; step < count; step++)
            {
                uint number = (start + step) % count;
                if (number == 0) continue;                  // inode 0 is never used: 0 means "no inode" in a directory
                if (!SetTypeIf(number, DiskInodeType.Free, type, mode)) continue;
                s_nextFree = number + 1;
                Inode inode = Get(number);
                if (inode == null) SetTypeIf(number, type, DiskInodeType.Free, 0);
                error = inode == null ? Errno.ENFILE : 0;
                return inode;
            }
            error = Errno.ENOSPC;
            return null;
        }

        private static uint s_nextFree = 1;     // a hint only: every candidate is checked under its buffer's lock

        // Changes inode `number`'s type from `from` to `to` on the disk (through the log), if it is `from`.
        private static bool SetTypeIf(uint number, ushort from, ushort to, ushort mode)
        {
            Buffer buffer = BufferCache.Read(BlockOf(number));
            bool match;
            fixed (byte* bytes = buffer.Data)
            {
                DiskInode* disk = (DiskInode*)bytes + number % DiskFormat.InodesPerBlock;
                match = disk->Type == from;
                if (match)
                {
                    *disk = default;
                    disk->Type = to;
                    disk->Mode = mode;
                    disk->ModifiedTime = Time.Clock.Ticks / Time.Clock.Hertz;
                }
            }
            if (match) Log.Write(buffer);
            BufferCache.Release(buffer);
            return match;
        }

        private static uint BlockOf(uint number) => DiskFileSystem.Superblock.InodeStart + number / DiskFormat.InodesPerBlock;
    }
}
