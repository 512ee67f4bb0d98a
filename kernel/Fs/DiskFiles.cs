using System;
using Abi;

namespace Fs
{
    /// <summary>
    /// The disk file system's operations on files, one log operation each (or several, for a large
    /// write), with the locks in their order: the log's operation, then one inode at a time (a
    /// directory, then an inode it names). What the VFS (or a syscall) calls; every result is 0 or a
    /// count, or a negated errno. Inodes passed in are references the caller holds, not locked.
    /// Directory-changing operations are in Fs/DiskDirectories.cs.
    /// </summary>
    public static class DiskFiles
    {
        /// <summary>Bytes one operation writes at most, from any offset (a write of more is split).</summary>
        public const int BytesPerOperation = (InodeData.MaximumWriteBlocks - 1) * DiskFormat.BlockSize;

        [TeachOS.Boundary.MayBlock]
        public static long Read(Inode inode, long offset, Span<byte> destination)
        {
            if (offset < 0) return -Errno.EINVAL;
            InodeCache.Lock(inode);
            long result = inode.IsDirectory ? -Errno.EISDIR : inode.IsSymbolicLink ? -Errno.EINVAL : InodeData.Read(inode, (ulong)offset, destination);
            InodeCache.Unlock(inode);
            return result;
        }

        /// <summary>
        /// Writes at <paramref name="offset"/> (or at the end, with <paramref name="append"/>), in pieces
        /// of at most <see cref="BytesPerOperation"/> bytes, one log operation each, so that any write
        /// fits the log however large it is (xv6's filewrite). Each piece is atomic; a crash in the middle
        /// of a large write leaves its first pieces. The bytes written, or -ENOSPC if none fit.
        /// </summary>
        [TeachOS.Boundary.MayBlock]
        public static long Write(Inode inode, long offset, ReadOnlySpan<byte> source, bool append)
        {
            if (offset < 0) return -Errno.EINVAL;
            if (source.Length == 0) return 0;
            int done = 0;
            while (done < source.Length)
            {
                // A piece stays within MaximumWriteBlocks blocks: up to the block boundary after
                // BytesPerOperation bytes, whatever the offset's place in its block.
                Log.BeginOperation();
                InodeCache.Lock(inode);
                long result;
                if (inode.IsDirectory) result = -Errno.EISDIR;
                else if (inode.IsSymbolicLink) result = -Errno.EINVAL;
                else
                {
                    ulong at = append ? inode.Size : (ulong)offset + (ulong)done;
                    int inFirstBlock = (int)(at % DiskFormat.BlockSize);
                    int piece = Math.Min(source.Length - done, BytesPerOperation + DiskFormat.BlockSize - inFirstBlock);
                    result = InodeData.Write(inode, at, source.Slice(done, piece));
                }
                InodeCache.Unlock(inode);
                Log.EndOperation();
                if (result < 0) return done > 0 ? done : result;
                done += (int)result;
                if (result == 0) break;
            }
            return done;
        }

        /// <summary>Sets the file's size: blocks past it freed, a gap reading as zeros. -EINVAL if negative or past the largest file.</summary>
        [TeachOS.Boundary.MayBlock]
        public static int Truncate(Inode inode, long length)
        {
            if (length < 0 || length > DiskFormat.MaximumFileSize) return -Errno.EINVAL;
            Log.BeginOperation();
            InodeCache.Lock(inode);
            int result = inode.IsDirectory ? -Errno.EISDIR : inode.IsSymbolicLink ? -Errno.EINVAL : 0;
            if (result == 0) InodeBlockMap.Truncate(inode, (ulong)length);
            InodeCache.Unlock(inode);
            Log.EndOperation();
            return result;
        }

        /// <summary>A symbolic link's target, as chars (truncated to the span); its length.</summary>
        [TeachOS.Boundary.MayBlock]
        public static unsafe int ReadLink(Inode link, Span<char> destination)
        {
            InodeCache.Lock(link);
            int result;
            if (!link.IsSymbolicLink) result = -Errno.EINVAL;
            else
            {
                int length = (int)Math.Min((ulong)Math.Min(destination.Length, DiskFormat.MaximumSymbolicLinkLength), link.Size);
                byte* bytes = stackalloc byte[DiskFormat.MaximumSymbolicLinkLength];
                long read = InodeData.Read(link, 0, new Span<byte>(bytes, length));
                for (int i = 0; i < read; i++) destination[i] = (char)bytes[i];
                result = (int)read;
            }
            InodeCache.Unlock(link);
            return result;
        }

        /// <summary>Gives a reference back, in an operation of its own: the last one may free an unlinked file.</summary>
        [TeachOS.Boundary.MayBlock]
        public static void Put(Inode inode)
        {
            Log.BeginOperation();
            InodeCache.Put(inode);
            Log.EndOperation();
        }
    }
}
