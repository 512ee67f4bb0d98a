using Abi;
using Terminal;

namespace Fs
{
    /// <summary>
    /// Data blocks, taken and given back through the free-block bitmap (xv6's balloc and bfree): bit b
    /// of the bitmap is 1 while block b is in use. Every change goes through the log, inside the
    /// caller's operation, so a block is never both free on the disk and named by an inode at a
    /// commit: the bit and the address that uses it change in one transaction.
    ///
    /// The search starts where the last one ended (a hint, checked under the bitmap buffer's lock),
    /// so writing a large file does not scan the bitmap from its start for every block.
    /// </summary>
    public static unsafe class BlockAllocator
    {
        private static uint s_next;

        /// <summary>
        /// Takes a free data block, zeroed (through the log); 0 when the disk is full (ENOSPC). Inside an
        /// operation: it writes two blocks (a bitmap block, the new block).
        /// </summary>
        [TeachOS.Boundary.MayBlock]
        public static uint Allocate()
        {
            DiskSuperblock superblock = DiskFileSystem.Superblock;
            uint first = superblock.DataStart, end = superblock.Size;
            uint start = s_next >= first && s_next < end ? s_next : first;
            // Bitmap block by bitmap block from the hint to the disk's end, then from the first data
            // block back up to the hint.
            uint taken = TakeFirstFree(superblock, start, end);
            if (taken == 0) taken = TakeFirstFree(superblock, first, start);
            if (taken == 0) return 0;
            s_next = taken + 1;
            Buffer zeroed = BufferCache.TakeZeroed(taken);
            Log.Write(zeroed);
            BufferCache.Release(zeroed);
            return taken;
        }

        private static uint TakeFirstFree(in DiskSuperblock superblock, uint from, uint to)
        {
            for (uint block = from; block < to; block = (block / DiskFormat.BitsPerBlock + 1) * DiskFormat.BitsPerBlock)
            {
                uint taken = TakeFirstFreeInBitmapBlock(superblock, block, to);
                if (taken != 0) return taken;
            }
            return 0;
        }

        // Looks in the bitmap block that holds `block`'s bit, from that bit to the end of the bitmap
        // block (or the disk); takes the first free block found and returns it, or 0.
        private static uint TakeFirstFreeInBitmapBlock(in DiskSuperblock superblock, uint block, uint end)
        {
            uint bitmapBlock = superblock.BitmapStart + block / DiskFormat.BitsPerBlock;
            uint last = (block / DiskFormat.BitsPerBlock + 1) * DiskFormat.BitsPerBlock;
            if (last > end) last = end;
            Buffer buffer = BufferCache.Read(bitmapBlock);
            uint found = 0;
            fixed (byte* bits = buffer.Data)
            {
                for (uint b = block; b < last; b++)
                {
                    uint bit = b % DiskFormat.BitsPerBlock;
                    if (bits[bit / 8] == 0xFF && bit % 8 == 0 && b + 8 <= last) { b += 7; continue; }   // a full byte
                    if ((bits[bit / 8] & (1 << (int)(bit % 8))) != 0) continue;
                    bits[bit / 8] |= (byte)(1 << (int)(bit % 8));
                    found = b;
                    break;
                }
            }
            if (found != 0) Log.Write(buffer);
            BufferCache.Release(buffer);
            return found;
        }

        /// <summary>Gives data block <paramref name="block"/> back. Inside an operation (one bitmap block written).</summary>
        [TeachOS.Boundary.MayBlock]
        public static void Free(uint block)
        {
            DiskSuperblock superblock = DiskFileSystem.Superblock;
            Buffer buffer = BufferCache.Read(superblock.BitmapStart + block / DiskFormat.BitsPerBlock);
            uint bit = block % DiskFormat.BitsPerBlock;
            bool wasUsed;
            fixed (byte* bits = buffer.Data)
            {
                wasUsed = (bits[bit / 8] & (1 << (int)(bit % 8))) != 0;
                bits[bit / 8] &= (byte)~(1 << (int)(bit % 8));
            }
            if (wasUsed) Log.Write(buffer);
            else Console.WriteLine($"disk: block {block} freed but already free (the disk is inconsistent: run fsck)");
            BufferCache.Release(buffer);
            if (block < s_next) s_next = block;
        }

        /// <summary>The bitmap block that holds <paramref name="block"/>'s bit (for the log's budget of a large truncation).</summary>
        public static uint BitmapBlockOf(uint block) => DiskFileSystem.Superblock.BitmapStart + block / DiskFormat.BitsPerBlock;
    }
}
