using Abi;
using Terminal;

namespace Fs
{
    /// <summary>
    /// Where a file's blocks are (xv6's bmap and itrunc, with 6.1810's double-indirect block added):
    ///
    ///     Addresses[0..10]   the first 11 blocks of the file, directly
    ///     Addresses[11]      a single-indirect block: 256 addresses, the file's blocks 11 to 266
    ///     Addresses[12]      a double-indirect block: 256 addresses of single-indirect blocks, each of
    ///                        256 addresses: blocks 267 to 65,802
    ///
    /// so the largest file is DiskFormat.MaximumFileBlocks blocks (a little over 64 MiB). An address
    /// of 0 is a hole: no block yet; it reads as zeros. Every address read from the disk is checked to
    /// lie in the data region before it is used, so a corrupt inode gives EIO, never a read of the
    /// log or a wild block.
    /// </summary>
    public static unsafe class InodeBlockMap
    {
        private const int PerBlock = DiskFormat.PointersPerBlock;
        private const long FirstSingle = DiskFormat.DirectBlocks;
        private const long FirstDouble = FirstSingle + PerBlock;

        /// <summary>
        /// The disk block that holds block <paramref name="fileBlock"/> of the locked inode: its address,
        /// 0 for a hole (when <paramref name="allocate"/> is false), or -ENOSPC (the disk is full), -EIO
        /// (a corrupt address), -EFBIG past the largest file. With allocate, a missing block
        /// (and the indirect blocks on the way) is taken; the caller then writes the inode (Update),
        /// since its Addresses may have changed. Inside an operation when allocating.
        /// </summary>
        [TeachOS.Boundary.MayBlock]
        public static long Map(Inode inode, long fileBlock, bool allocate)
        {
            if (fileBlock < 0 || fileBlock >= DiskFormat.MaximumFileBlocks) return -Errno.EFBIG;
            if (fileBlock < FirstSingle) return InInode(inode, (int)fileBlock, allocate);
            if (fileBlock < FirstDouble)
            {
                long single = InInode(inode, DiskFormat.SingleIndirectSlot, allocate);
                return single <= 0 ? single : InIndirect((uint)single, (int)(fileBlock - FirstSingle), allocate);
            }
            long index = fileBlock - FirstDouble;
            long top = InInode(inode, DiskFormat.DoubleIndirectSlot, allocate);
            if (top <= 0) return top;
            long middle = InIndirect((uint)top, (int)(index / PerBlock), allocate);
            return middle <= 0 ? middle : InIndirect((uint)middle, (int)(index % PerBlock), allocate);
        }

        private static long InInode(Inode inode, int slot, bool allocate)
        {
            uint address = inode.Addresses[slot];
            if (address != 0) return Checked(address);
            if (!allocate) return 0;
            address = BlockAllocator.Allocate();
            if (address == 0) return -Errno.ENOSPC;
            inode.Addresses[slot] = address;
            return address;
        }

        private static long InIndirect(uint indirect, int index, bool allocate)
        {
            Buffer buffer = BufferCache.Read(indirect);
            uint address = ((uint*)Pointer(buffer))[index];
            if (address == 0 && allocate)
            {
                address = BlockAllocator.Allocate();
                if (address != 0)
                {
                    ((uint*)Pointer(buffer))[index] = address;
                    Log.Write(buffer);
                }
                BufferCache.Release(buffer);
                return address == 0 ? -Errno.ENOSPC : address;
            }
            BufferCache.Release(buffer);
            return address == 0 ? 0 : Checked(address);
        }

        private static long Checked(uint address)
        {
            DiskSuperblock superblock = DiskFileSystem.Superblock;
            if (address >= superblock.DataStart && address < superblock.Size) return address;
            Console.WriteLine($"disk: an inode names block {address}, outside the data region: EIO");
            return -Errno.EIO;
        }

        private static byte* Pointer(Buffer buffer)
        {
            fixed (byte* bytes = buffer.Data) return bytes;   // a buffer's array never moves: the kernel has no moving collector
        }

        /// <summary>
        /// Frees every block of the locked inode from file block ⌈<paramref name="size"/>/BlockSize⌉ on
        /// (indirect blocks that no longer hold any address too), zeroes the rest of the last kept block
        /// past <paramref name="size"/>, and sets Size (a larger size just makes a hole at the end).
        /// Inside an operation; see <see cref="TruncationBudget"/> for how a very large file is freed in
        /// several operations.
        /// </summary>
        [TeachOS.Boundary.MayBlock]
        public static void Truncate(Inode inode, ulong size)
        {
            long keep = (long)((size + DiskFormat.BlockSize - 1) / DiskFormat.BlockSize);
            // Blocks past the old size are looked for too: a write cut short by a full disk may have left
            // an indirect block with nothing in it yet.
            var budget = new TruncationBudget(inode);
            // A pass stops when the budget had to start a new operation (the inode was unlocked
            // meanwhile, so what it read may be stale); the next pass reads everything afresh and
            // finds the blocks already freed gone.
            while (!FreeDouble(inode, keep, ref budget) || !FreeSingle(inode, keep, ref budget) || !FreeDirect(inode, keep, ref budget)) { }
            if (size < inode.Size) ZeroTail(inode, size);
            inode.Size = size;
            inode.Version++;
            InodeCache.Update(inode);
        }

        private static bool FreeDirect(Inode inode, long keep, ref TruncationBudget budget)
        {
            for (int slot = DiskFormat.DirectBlocks - 1; slot >= keep; slot--)
            {
                uint address = inode.Addresses[slot];
                if (address == 0) continue;
                if (!budget.BeforeFreeing(address, 0, slot)) return false;
                inode.Addresses[slot] = 0;
                BlockAllocator.Free(address);
            }
            return true;
        }

        private static bool FreeDouble(Inode inode, long keep, ref TruncationBudget budget)
        {
            uint top = inode.Addresses[DiskFormat.DoubleIndirectSlot];
            if (top == 0 || Checked(top) < 0) return true;
            for (int entry = PerBlock - 1; entry >= 0; entry--)
            {
                long first = FirstDouble + (long)entry * PerBlock;
                if (first + PerBlock <= keep) break;
                if (!FreeThroughIndirect(top, entry, first, keep, ref budget, freeInnerEntries: true)) return false;
            }
            if (keep > FirstDouble) return true;
            if (!budget.BeforeFreeing(top, 0, FirstDouble)) return false;
            inode.Addresses[DiskFormat.DoubleIndirectSlot] = 0;
            BlockAllocator.Free(top);
            return true;
        }

        private static bool FreeSingle(Inode inode, long keep, ref TruncationBudget budget)
        {
            uint single = inode.Addresses[DiskFormat.SingleIndirectSlot];
            if (single == 0 || keep >= FirstDouble || Checked(single) < 0) return true;
            for (int entry = PerBlock - 1; entry >= 0 && FirstSingle + entry >= keep; entry--)
                if (!FreeThroughIndirect(single, entry, FirstSingle + entry, keep, ref budget, freeInnerEntries: false)) return false;
            if (keep > FirstSingle) return true;
            if (!budget.BeforeFreeing(single, 0, FirstSingle)) return false;
            inode.Addresses[DiskFormat.SingleIndirectSlot] = 0;
            BlockAllocator.Free(single);
            return true;
        }

        // Frees what entry `entry` of indirect block `indirect` names and clears the entry: a data block
        // (freeInnerEntries false), or a single-indirect block with the data blocks it names past `keep`
        // (true; the inner block itself only if none of its blocks are kept). `first` is the first file
        // block the entry covers. The entry is cleared in the same operation as the bit is freed.
        // False when the budget started a new operation: the caller starts its pass again.
        private static bool FreeThroughIndirect(uint indirect, int entry, long first, long keep, ref TruncationBudget budget, bool freeInnerEntries)
        {
            uint address = ReadEntry(indirect, entry);
            if (address == 0 || Checked(address) < 0) return true;
            if (freeInnerEntries)
            {
                for (int inner = PerBlock - 1; inner >= 0 && first + inner >= keep; inner--)
                {
                    uint data = ReadEntry(address, inner);
                    if (data == 0 || Checked(data) < 0) continue;
                    if (!budget.BeforeFreeing(data, address, first + inner)) return false;
                    ClearEntry(address, inner);
                    BlockAllocator.Free(data);
                }
                if (first < keep) return true;              // the inner block still holds kept blocks
            }
            if (!budget.BeforeFreeing(address, indirect, first)) return false;
            ClearEntry(indirect, entry);
            BlockAllocator.Free(address);
            return true;
        }

        private static uint ReadEntry(uint indirect, int entry)
        {
            Buffer buffer = BufferCache.Read(indirect);
            uint address = ((uint*)Pointer(buffer))[entry];
            BufferCache.Release(buffer);
            return address;
        }

        private static void ClearEntry(uint indirect, int entry)
        {
            Buffer buffer = BufferCache.Read(indirect);
            ((uint*)Pointer(buffer))[entry] = 0;
            Log.Write(buffer);
            BufferCache.Release(buffer);
        }

        // Zeroes the bytes of the last kept block past the new size: a later write past them must
        // find zeros there (the hole), not what the file held before.
        private static void ZeroTail(Inode inode, ulong size)
        {
            int inBlock = (int)(size % DiskFormat.BlockSize);
            if (inBlock == 0) return;
            long address = Map(inode, (long)(size / DiskFormat.BlockSize), allocate: false);
            if (address <= 0) return;
            Buffer buffer = BufferCache.Read((uint)address);
            buffer.Data.Slice(inBlock).Clear();
            Log.Write(buffer);
            BufferCache.Release(buffer);
        }
    }
}
