using System;
using Abi;

namespace Fs
{
    /// <summary>
    /// A file's bytes at an offset (xv6's readi and writei): the block map finds each block, the
    /// buffer cache holds it while its part is copied. The caller holds the inode's lock; a write is
    /// inside a log operation and may change at most <see cref="MaximumWriteBlocks"/> blocks of data,
    /// so DiskFiles splits a large write into several operations.
    /// </summary>
    public static class InodeData
    {
        /// <summary>
        /// The data blocks one operation may write. The log's promise is Log.MaximumOperationBlocks (10):
        /// a write also changes the inode (1), up to two bitmap blocks (its new blocks may straddle two)
        /// and up to three indirect blocks (the double-indirect block and two of its single-indirect
        /// ones, where a write crosses from one to the next): 10 - 6 = 4 data blocks.
        /// </summary>
        public const int MaximumWriteBlocks = Log.MaximumOperationBlocks - 6;

        /// <summary>
        /// Copies bytes from <paramref name="offset"/> into <paramref name="destination"/>: returns how
        /// many (0 at or past the end), or -EIO for a corrupt block address. Holes read as zeros.
        /// </summary>
        [TeachOS.Boundary.MayBlock]
        public static long Read(Inode inode, ulong offset, Span<byte> destination)
        {
            if (offset >= inode.Size) return 0;
            ulong available = inode.Size - offset;
            int count = available < (ulong)destination.Length ? (int)available : destination.Length;
            int done = 0;
            while (done < count)
            {
                ulong at = offset + (ulong)done;
                int inBlock = (int)(at % DiskFormat.BlockSize);
                int chunk = Math.Min(DiskFormat.BlockSize - inBlock, count - done);
                long address = InodeBlockMap.Map(inode, (long)(at / DiskFormat.BlockSize), allocate: false);
                if (address < 0) return done > 0 ? done : address;
                Span<byte> target = destination.Slice(done, chunk);
                if (address == 0) target.Clear();
                else
                {
                    Buffer buffer = BufferCache.Read((uint)address);
                    buffer.Data.Slice(inBlock, chunk).CopyTo(target);
                    BufferCache.Release(buffer);
                }
                done += chunk;
            }
            return done;
        }

        /// <summary>
        /// Writes <paramref name="source"/> at <paramref name="offset"/> (past the end makes a hole),
        /// growing the file: returns the bytes written, fewer when the disk fills up on the way, or
        /// -ENOSPC when none fit (-EFBIG at or past the largest file's end). At most MaximumWriteBlocks blocks.
        /// Writes the inode back (its size, and addresses the block map may have added).
        /// </summary>
        [TeachOS.Boundary.MayBlock]
        public static long Write(Inode inode, ulong offset, ReadOnlySpan<byte> source)
        {
            if (offset > (ulong)DiskFormat.MaximumFileSize) return -Errno.EFBIG;
            ulong room = (ulong)DiskFormat.MaximumFileSize - offset;
            int count = room < (ulong)source.Length ? (int)room : source.Length;
            if (count == 0 && source.Length > 0) return -Errno.EFBIG;      // at the largest file's end, as Unix says
            int done = 0;
            long error = 0;
            while (done < count)
            {
                ulong at = offset + (ulong)done;
                int inBlock = (int)(at % DiskFormat.BlockSize);
                int chunk = Math.Min(DiskFormat.BlockSize - inBlock, count - done);
                long address = InodeBlockMap.Map(inode, (long)(at / DiskFormat.BlockSize), allocate: true);
                if (address <= 0) { error = address; break; }
                // A whole block overwritten needs none of its old bytes: no disk read.
                Buffer buffer = chunk == DiskFormat.BlockSize ? BufferCache.TakeZeroed((uint)address) : BufferCache.Read((uint)address);
                source.Slice(done, chunk).CopyTo(buffer.Data.Slice(inBlock, chunk));
                Log.Write(buffer);
                BufferCache.Release(buffer);
                done += chunk;
            }
            if (offset + (ulong)done > inode.Size) inode.Size = offset + (ulong)done;
            if (done > 0)
            {
                inode.ModifiedTime = Time.Clock.Ticks / Time.Clock.Hertz;
                inode.Version++;
            }
            InodeCache.Update(inode);
            return done > 0 || count == 0 ? done : error;
        }
    }
}
