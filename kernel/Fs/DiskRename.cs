using System;
using Abi;

namespace Fs
{
    /// <summary>
    /// rename on the disk: the entry <c>name</c> of one directory becomes <c>toName</c> of another (or
    /// the same), replacing what stood there, in one log operation, so that after a crash the file has
    /// its old name or its new one, never both or neither.
    ///
    /// Under DiskDirectories' namespace lock (no other rename or unlink meanwhile), one directory is
    /// locked at a time: find the source in its directory; for a directory, check that the target
    /// directory is not the source or below it (walk ".." from the target up to the root); write the
    /// new entry (or point the replaced one at the source); remove the old entry; for a directory
    /// moved between parents, fix its ".." and both parents' link counts. A replaced inode loses its
    /// link, and is freed at its last Put, in an operation of its own (after a crash in between it is
    /// an orphan with no links, as an unlinked open file would be, and the next mount frees it).
    /// </summary>
    public static unsafe class DiskRename
    {
        [TeachOS.Boundary.MayBlock]
        public static int Rename(Inode fromDirectory, ReadOnlySpan<char> name, Inode toDirectory, ReadOnlySpan<char> toName)
        {
            int error = Directory.CheckName(toName);
            if (error != 0) return -error;
            DiskDirectories.NamespaceLock.Acquire();
            Log.BeginOperation();
            Inode replaced = null;
            int result = RenameLocked(fromDirectory, name, toDirectory, toName, ref replaced);
            Log.EndOperation();
            if (replaced != null) DiskFiles.Put(replaced);
            DiskDirectories.NamespaceLock.Release();
            return result;
        }

        private static int RenameLocked(Inode fromDirectory, ReadOnlySpan<char> name, Inode toDirectory, ReadOnlySpan<char> toName, ref Inode replaced)
        {
            int result = DiskDirectories.Lookup(fromDirectory, name, out Inode source);
            if (result < 0) return result;
            InodeCache.Lock(source);
            bool isDirectory = source.IsDirectory;
            InodeCache.Unlock(source);
            if (isDirectory) result = CheckNotBelow(source, toDirectory);
            if (result == 0) result = PlaceNewName(toDirectory, toName, source, isDirectory, ref replaced);
            if (result == 1) { InodeCache.Put(source); return 0; }        // renamed onto itself: nothing to do
            if (result == 0) result = RemoveOldName(fromDirectory, name, source);
            if (result == 0 && isDirectory && fromDirectory != toDirectory) result = Reparent(source, fromDirectory, toDirectory);
            InodeCache.Put(source);
            return result;
        }

        // A climb from a directory to the root longer than this meets a loop of ".." entries: a corrupt disk.
        private const int MaximumDepth = 4096;

        // -EINVAL if `directory` is `source` or lies below it.
        private static int CheckNotBelow(Inode source, Inode directory)
        {
            Inode at = InodeCache.Duplicate(directory);
            for (int depth = 0; ; depth++)
            {
                if (depth == MaximumDepth) { InodeCache.Put(at); return -Errno.EIO; }
                if (at == source) { InodeCache.Put(at); return -Errno.EINVAL; }
                if (at.Number == DiskFormat.RootInode) { InodeCache.Put(at); return 0; }
                int error = DiskDirectories.Lookup(at, "..", out Inode parent);
                InodeCache.Put(at);
                if (error < 0) return error;
                at = parent;
            }
        }

        // Writes toName → source in toDirectory. 1 if toName already names source.
        private static int PlaceNewName(Inode toDirectory, ReadOnlySpan<char> toName, Inode source, bool isDirectory, ref Inode replaced)
        {
            InodeCache.Lock(toDirectory);
            int result = !toDirectory.IsDirectory ? -Errno.ENOTDIR : toDirectory.LinkCount == 0 ? -Errno.ENOENT : 0;
            Inode existing = null;
            ulong offset = 0;
            if (result == 0)
            {
                existing = Directory.Lookup(toDirectory, toName, out offset, out int error);
                if (existing == null && error != Errno.ENOENT) result = -error;
            }
            if (result == 0 && existing == source) result = 1;
            else if (result == 0 && existing != null) result = Replace(toDirectory, offset, existing, source, isDirectory);
            else if (result == 0) result = Directory.Link(toDirectory, toName, source.Number);
            if (result == 0 && isDirectory && existing == null)
            {
                toDirectory.LinkCount++;                    // the moved directory's ".." will name it
                InodeCache.Update(toDirectory);
            }
            InodeCache.Unlock(toDirectory);
            if (result == 0 && existing != null) replaced = existing;
            else if (existing != null) InodeCache.Put(existing);
            return result;
        }

        // toDirectory (locked) has `existing` at `offset`: point that entry at source instead.
        private static int Replace(Inode toDirectory, ulong offset, Inode existing, Inode source, bool isDirectory)
        {
            InodeCache.Lock(existing);
            int result = 0;
            if (existing.IsDirectory && !isDirectory) result = -Errno.EISDIR;
            else if (!existing.IsDirectory && isDirectory) result = -Errno.ENOTDIR;
            else if (existing.IsDirectory && !Directory.IsEmpty(existing)) result = -Errno.ENOTEMPTY;
            if (result == 0)
            {
                DiskDirectoryEntry entry;
                InodeData.Read(toDirectory, offset, new Span<byte>(&entry, DiskFormat.DirectoryEntrySize));
                entry.Inode = source.Number;
                InodeData.Write(toDirectory, offset, new ReadOnlySpan<byte>(&entry, DiskFormat.DirectoryEntrySize));
                // The replaced directory's ".." no longer counts for toDirectory, and the moved one's
                // will: the count stays. A replaced file loses one link; a directory both of its.
                existing.LinkCount = existing.IsDirectory ? (ushort)0 : (ushort)(existing.LinkCount - 1);
                InodeCache.Update(existing);
            }
            InodeCache.Unlock(existing);
            return result;
        }

        private static int RemoveOldName(Inode fromDirectory, ReadOnlySpan<char> name, Inode source)
        {
            InodeCache.Lock(fromDirectory);
            Inode still = Directory.Lookup(fromDirectory, name, out ulong offset, out int error);
            int result = still == source ? 0 : -Errno.ENOENT;       // the namespace lock keeps it there
            if (result == 0)
            {
                Directory.RemoveEntry(fromDirectory, offset);
                if (source.IsDirectory)
                {
                    fromDirectory.LinkCount--;              // the moved directory's ".." leaves it
                    InodeCache.Update(fromDirectory);
                }
            }
            InodeCache.Unlock(fromDirectory);
            if (still != null) InodeCache.Put(still);
            return result != 0 && error != 0 ? -error : result;
        }

        // A directory moved to a new parent: its ".." must name the new parent.
        private static int Reparent(Inode directory, Inode fromDirectory, Inode toDirectory)
        {
            InodeCache.Lock(directory);
            Inode oldParent = Directory.Lookup(directory, "..", out ulong offset, out int error);
            if (oldParent != null)
            {
                DiskDirectoryEntry entry = default;
                entry.Inode = toDirectory.Number;
                entry.Name[0] = (byte)'.';
                entry.Name[1] = (byte)'.';
                InodeData.Write(directory, offset, new ReadOnlySpan<byte>(&entry, DiskFormat.DirectoryEntrySize));
            }
            InodeCache.Unlock(directory);
            if (oldParent != null) InodeCache.Put(oldParent);
            return oldParent != null ? 0 : -error;
        }
    }
}
