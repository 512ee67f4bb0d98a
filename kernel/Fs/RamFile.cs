using System;
using Abi;

namespace Fs
{
    /// <summary>
    /// A RAM file's bytes: in frames found through a two-level table (Fs/FilePages.cs), read and written
    /// under FileSystem.Lock a piece at a time by the VFS's ReadAt, WriteAt, Append and Truncate.
    /// </summary>
    public sealed unsafe partial class RamNode
    {
        private ulong _pages;                    // physical address of the file's top table, 0 when empty
        private ulong _version;

        /// <summary>A file's size in bytes.</summary>
        public long Length { get; private set; }

        public override ulong Version => _version;

        public override long ReadAt(long offset, Span<byte> destination)
        {
            int wrongKind = ContentsError();
            if (wrongKind < 0) return wrongKind;
            bool flags = FileSystem.Lock.Acquire();
            int count = ReadAtLocked(offset, destination);
            FileSystem.Lock.Release(flags);
            return count;
        }

        public override long WriteAt(long offset, ReadOnlySpan<byte> source)
        {
            int wrongKind = ContentsError();
            if (wrongKind < 0) return wrongKind;
            bool flags = FileSystem.Lock.Acquire();
            long written = WriteAtLocked(offset, source);
            FileSystem.Lock.Release(flags);
            return written;
        }

        public override long Append(ReadOnlySpan<byte> source)
        {
            int wrongKind = ContentsError();
            if (wrongKind < 0) return wrongKind;
            bool flags = FileSystem.Lock.Acquire();
            long written = WriteAtLocked(Length, source);        // the end, read in the same lock hold
            FileSystem.Lock.Release(flags);
            return written;
        }

        public override int Truncate(long length)
        {
            int wrongKind = ContentsError();
            if (wrongKind < 0) return wrongKind;
            if (length < 0 || length > FilePages.MaximumFileSize) return -Errno.EINVAL;
            bool flags = FileSystem.Lock.Acquire();
            if (length < Length)
            {
                // Whole blocks past the new end go back to the allocator; the rest of the last block is
                // zeroed, so that growing the file again reads zeros there, not the old bytes.
                long firstFreed = (length + FilePages.BlockSize - 1) / FilePages.BlockSize;
                FilePages.FreeFrom(ref _pages, firstFreed);
                byte* last = length % FilePages.BlockSize == 0 ? null : FilePages.Block(_pages, length / FilePages.BlockSize);
                if (last != null) new Span<byte>(last + length % FilePages.BlockSize, (int)(FilePages.BlockSize - length % FilePages.BlockSize)).Clear();
            }
            if (length != Length) _version++;
            Length = length;                                     // growing: the gap has no blocks and reads as zeros
            FileSystem.Lock.Release(flags);
            return 0;
        }

        public override int Sync() => 0;                          // RAM: nothing to make durable

        private int ContentsError() =>
            _kind == FileKind.File ? 0 : _kind == FileKind.Directory ? -Errno.EISDIR : -Errno.EINVAL;

        private void FreeContentsLocked()
        {
            FilePages.FreeAll(ref _pages);
            Length = 0;
        }

        private int ReadAtLocked(long offset, Span<byte> destination)
        {
            if (offset < 0 || offset >= Length) return 0;
            long available = Length - offset;
            int count = available < destination.Length ? (int)available : destination.Length;
            for (int done = 0; done < count;)
            {
                long at = offset + done;
                int inBlock = (int)(at % FilePages.BlockSize);
                int chunk = FilePages.BlockSize - inBlock < count - done ? FilePages.BlockSize - inBlock : count - done;
                byte* block = FilePages.Block(_pages, at / FilePages.BlockSize);
                Span<byte> target = destination.Slice(done, chunk);
                if (block == null) target.Clear();
                else new ReadOnlySpan<byte>(block + inBlock, chunk).CopyTo(target);
                done += chunk;
            }
            return count;
        }

        // Writes source at offset, growing the file: the bytes written (fewer when the file system fills
        // up on the way), or -ENOSPC if none fit.
        private long WriteAtLocked(long offset, ReadOnlySpan<byte> source)
        {
            if (offset < 0 || offset > FilePages.MaximumFileSize) return -Errno.EINVAL;
            int done = 0;
            while (done < source.Length && offset + done < FilePages.MaximumFileSize)
            {
                long at = offset + done;
                int inBlock = (int)(at % FilePages.BlockSize);
                int chunk = FilePages.BlockSize - inBlock < source.Length - done ? FilePages.BlockSize - inBlock : source.Length - done;
                byte* block = FilePages.BlockForWriting(ref _pages, at / FilePages.BlockSize);
                if (block == null) break;
                source.Slice(done, chunk).CopyTo(new Span<byte>(block + inBlock, chunk));
                done += chunk;
            }
            if (offset + done > Length) Length = offset + done;
            if (done > 0) _version++;
            return done == 0 && source.Length > 0 ? -Errno.ENOSPC : done;
        }
    }
}
