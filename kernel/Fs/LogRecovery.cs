using Abi;
using Terminal;

namespace Fs
{
    /// <summary>
    /// Recovery at mount (xv6's recover_from_log): if the log's header says a transaction was
    /// committed (Count > 0), the machine stopped somewhere between the commit point and the end of
    /// installing it. Installing it again, whole, from the log area finishes the operation; blocks
    /// already installed are written once more with the same bytes, so doing it twice is harmless
    /// (recovery itself may be cut short by a crash and run again at the next boot). Then the header is
    /// cleared. A header of Count 0 means the last operation never reached its commit point: its
    /// logged copies are ignored, and the disk is as it was before it.
    /// </summary>
    public static class LogRecovery
    {
        /// <summary>
        /// Installs a committed transaction, if the log holds one. Returns true when the disk is
        /// consistent afterwards; false, after printing why, when the header cannot be trusted (nothing
        /// is written then, and the disk must not be mounted).
        /// </summary>
        [TeachOS.Boundary.MayBlock]
        public static bool Recover(in DiskSuperblock superblock, out int installed)
        {
            installed = 0;
            int capacity = Log.CapacityOf(superblock);
            var homes = new uint[capacity];
            Buffer header = BufferCache.Read(superblock.LogStart);
            uint count = LogHeaderBlock.Load(header.Data, homes);
            BufferCache.Release(header);
            if (count == 0)
            {
                Mem.KernelHeap.Free(homes);
                return true;
            }
            if (!Check(superblock, count, capacity, homes))
            {
                Mem.KernelHeap.Free(homes);
                return false;
            }

            for (int i = 0; i < count; i++)
            {
                Buffer logged = BufferCache.Read(superblock.LogStart + 1 + (uint)i);
                Buffer home = BufferCache.Read(homes[i]);
                logged.Data.CopyTo(home.Data);
                BufferCache.Write(home);
                BufferCache.Release(home);
                BufferCache.Release(logged);
            }
            BufferCache.Flush();                    // every block home before the header says "done"
            header = BufferCache.Read(superblock.LogStart);
            LogHeaderBlock.Store(header.Data, 0, homes);
            BufferCache.Write(header);
            BufferCache.Release(header);
            BufferCache.Flush();
            installed = (int)count;
            Mem.KernelHeap.Free(homes);
            return true;
        }

        // A committed header may only name blocks that an operation can change: inodes, the bitmap and
        // data, never the boot block, the superblock or the log itself.
        private static bool Check(in DiskSuperblock superblock, uint count, int capacity, uint[] homes)
        {
            if (count > capacity)
            {
                Console.WriteLine($"disk: not mounted: the log's header holds {count} blocks, more than the log's {capacity}");
                return false;
            }
            for (int i = 0; i < count; i++)
            {
                if (homes[i] >= superblock.InodeStart && homes[i] < superblock.Size) continue;
                Console.WriteLine($"disk: not mounted: the log's header names block {homes[i]}, outside the inode, bitmap and data regions");
                return false;
            }
            return true;
        }
    }
}
