using Abi;
using Terminal;

namespace Fs
{
    /// <summary>
    /// Inodes in use with no name left: a file unlinked while a process still had it open is freed at
    /// its last close (InodeCache.Put), but if the machine stops before that close, the disk keeps an
    /// inode of LinkCount 0 and its blocks, which nothing can ever reach again. At mount no process
    /// has anything open, so every such inode is an orphan of a crash: this pass frees them, each in
    /// its own log operation (Linux's ext4 keeps a list of them on the disk instead; xv6 leaks them).
    /// It reads the whole inode region once, a few hundred blocks.
    /// </summary>
    public static unsafe class OrphanInodes
    {
        /// <summary>Frees every allocated inode with no links; returns how many.</summary>
        [TeachOS.Boundary.MayBlock]
        public static int Free()
        {
            DiskSuperblock superblock = DiskFileSystem.Superblock;
            int freed = 0;
            for (uint number = 1; number < superblock.InodeCount; number++)
            {
                if (!IsOrphan(superblock, number)) continue;
                Inode inode = InodeCache.Get(number);
                if (inode == null) break;
                Log.BeginOperation();
                InodeCache.Lock(inode);
                bool orphan = inode.LinkCount == 0 && !inode.Corrupt;
                InodeCache.Unlock(inode);
                InodeCache.Put(inode);                  // the last reference of an inode with no links: freed
                Log.EndOperation();
                if (orphan) freed++;
            }
            if (freed > 0) Console.WriteLine($"disk: orphaned inodes freed: {freed} (files unlinked while open when the machine stopped)");
            return freed;
        }

        private static bool IsOrphan(in DiskSuperblock superblock, uint number)
        {
            Buffer buffer = BufferCache.Read(superblock.InodeStart + number / DiskFormat.InodesPerBlock);
            bool orphan;
            fixed (byte* bytes = buffer.Data)
            {
                DiskInode* disk = (DiskInode*)bytes + number % DiskFormat.InodesPerBlock;
                orphan = disk->Type != DiskInodeType.Free && disk->LinkCount == 0;
            }
            BufferCache.Release(buffer);
            return orphan;
        }
    }
}
