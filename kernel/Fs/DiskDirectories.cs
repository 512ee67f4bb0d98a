using System;
using Abi;
using Sched;

namespace Fs
{
    /// <summary>
    /// The disk file system's operations on names: look up, create (files, directories, symbolic
    /// links), hard link, unlink and rmdir, rename, list. Each change is one log operation, so a crash
    /// leaves it done or not done, never half (a name without its inode, a directory without "..").
    ///
    /// Link counts, as Unix keeps them: a file has one per directory entry naming it; a directory has
    /// its entry in its parent, its own ".", and one ".." per subdirectory: 2 + subdirectories.
    ///
    /// Unlink and rename take <see cref="s_namespaceLock"/> first (before the log's operation): a rename
    /// reads a name in one directory and writes it in another, and an unlink of the same name in
    /// between would leave a link count that is wrong; a rename of a directory also checks that it does
    /// not move below itself, which no other rename may change meanwhile (Linux's rename mutex).
    /// </summary>
    public static class DiskDirectories
    {
        private static readonly SleepLock s_namespaceLock = new SleepLock("disk rename");

        /// <summary>The entry <paramref name="name"/> of <paramref name="directory"/>, held; "." is the directory itself.</summary>
        [TeachOS.Boundary.MayBlock]
        public static int Lookup(Inode directory, ReadOnlySpan<char> name, out Inode child)
        {
            child = null;
            if (name.Length == 1 && name[0] == '.') { child = InodeCache.Duplicate(directory); return 0; }
            if (name.Length > DiskFormat.MaximumNameLength) return -Errno.ENAMETOOLONG;
            InodeCache.Lock(directory);
            int error = 0;
            if (!directory.IsDirectory) error = Errno.ENOTDIR;
            else if (directory.LinkCount == 0) error = Errno.ENOENT;        // removed: not even ".." (as Unix)
            else child = Directory.Lookup(directory, name, out _, out error);
            InodeCache.Unlock(directory);
            // A corrupt inode (a type no inode has, a free one that an entry names: InodeCache.Lock says
            // which on the console) is EIO for every call that goes through its name. Checked with the
            // directory unlocked: for "..", the child is the directory's parent, whose lock comes first.
            if (child != null && IsCorrupt(child))
            {
                DiskFiles.Put(child);
                child = null;
                error = Errno.EIO;
            }
            return -error;
        }

        [TeachOS.Boundary.MayBlock]
        private static bool IsCorrupt(Inode inode)
        {
            InodeCache.Lock(inode);
            bool corrupt = inode.Corrupt;
            InodeCache.Unlock(inode);
            return corrupt;
        }

        /// <summary>
        /// A new file, directory or symbolic link (to <paramref name="target"/>) named
        /// <paramref name="name"/> in <paramref name="directory"/>; held. -EEXIST, -ENAMETOOLONG, -ENOENT
        /// (the directory was removed), -EMLINK (a directory with too many subdirectories), -ENOSPC (no
        /// inode or no block; nothing is left half made).
        /// </summary>
        [TeachOS.Boundary.MayBlock]
        public static int Create(Inode directory, ReadOnlySpan<char> name, ushort type, ReadOnlySpan<char> target, NodeAttributes attributes, out Inode created)
        {
            created = null;
            int error = Directory.CheckName(name);
            if (error != 0) return -error;
            if (type == DiskInodeType.SymbolicLink && (target.Length == 0 || target.Length > DiskFormat.MaximumSymbolicLinkLength))
                return target.Length == 0 ? -Errno.ENOENT : -Errno.ENAMETOOLONG;
            Log.BeginOperation();
            InodeCache.Lock(directory);
            int result = CreateLocked(directory, name, type, target, attributes, out created);
            InodeCache.Unlock(directory);
            Log.EndOperation();
            return result;
        }

        private static int CreateLocked(Inode directory, ReadOnlySpan<char> name, ushort type, ReadOnlySpan<char> target, NodeAttributes attributes, out Inode created)
        {
            created = null;
            if (!directory.IsDirectory) return -Errno.ENOTDIR;
            if (directory.LinkCount == 0) return -Errno.ENOENT;                 // removed while someone stood in it
            Inode existing = Directory.Lookup(directory, name, out _, out int error);
            if (existing != null) { InodeCache.Put(existing); return -Errno.EEXIST; }
            if (error != Errno.ENOENT) return -error;
            bool isDirectory = type == DiskInodeType.Directory;
            if (isDirectory && directory.LinkCount >= DiskFormat.MaximumLinks) return -Errno.EMLINK;

            Inode inode = InodeCache.Allocate(type, (ushort)(attributes.Mode & FileMode.All), out error);
            if (inode == null) return -error;
            InodeCache.Lock(inode);
            inode.LinkCount = (ushort)(isDirectory ? 2 : 1);       // a directory: its entry and its own "."
            inode.Uid = (uint)attributes.UserId;
            inode.Gid = (uint)attributes.GroupId;
            InodeCache.Update(inode);
            int result = isDirectory ? Directory.MakeDotEntries(inode, directory.Number)
                : type == DiskInodeType.SymbolicLink ? WriteTarget(inode, target) : 0;
            if (result == 0) result = Directory.Link(directory, name, inode.Number);
            if (result < 0)
            {
                // Undo: no links, and the Put below frees the inode and any block it got.
                inode.LinkCount = 0;
                InodeCache.Update(inode);
                InodeCache.UnlockAndPut(inode);
                return result;
            }
            if (isDirectory)
            {
                directory.LinkCount++;                              // the new directory's ".."
                InodeCache.Update(directory);
            }
            InodeCache.Unlock(inode);
            created = inode;
            return 0;
        }

        private static unsafe int WriteTarget(Inode link, ReadOnlySpan<char> target)
        {
            byte* bytes = stackalloc byte[target.Length];
            for (int i = 0; i < target.Length; i++)
            {
                if (target[i] > 0xFF || target[i] == '\0') return -Errno.EINVAL;
                bytes[i] = (byte)target[i];
            }
            long written = InodeData.Write(link, 0, new ReadOnlySpan<byte>(bytes, target.Length));
            return written == target.Length ? 0 : written < 0 ? (int)written : -Errno.ENOSPC;
        }

        /// <summary>A new name for <paramref name="target"/> (not a directory: -EPERM) in <paramref name="directory"/>.</summary>
        [TeachOS.Boundary.MayBlock]
        public static int Link(Inode directory, ReadOnlySpan<char> name, Inode target)
        {
            int error = Directory.CheckName(name);
            if (error != 0) return -error;
            Log.BeginOperation();
            InodeCache.Lock(target);
            int result = target.IsDirectory ? -Errno.EPERM : target.LinkCount >= DiskFormat.MaximumLinks ? -Errno.EMLINK
                : target.LinkCount == 0 ? -Errno.ENOENT : 0;
            if (result == 0)
            {
                target.LinkCount++;                     // first, so that the inode is never named more often than it counts
                InodeCache.Update(target);
            }
            InodeCache.Unlock(target);
            if (result == 0)
            {
                InodeCache.Lock(directory);
                result = !directory.IsDirectory ? -Errno.ENOTDIR : directory.LinkCount == 0 ? -Errno.ENOENT
                    : Directory.Link(directory, name, target.Number);
                InodeCache.Unlock(directory);
                if (result < 0)
                {
                    InodeCache.Lock(target);
                    target.LinkCount--;
                    InodeCache.Update(target);
                    InodeCache.Unlock(target);
                }
            }
            Log.EndOperation();
            return result;
        }

        /// <summary>
        /// Removes <paramref name="name"/> from <paramref name="directory"/>: unlink (a file or link;
        /// -EISDIR for a directory) or rmdir (<paramref name="removeDirectory"/>: an empty directory;
        /// -ENOTDIR, -ENOTEMPTY). The inode itself goes when its last link and last reference are gone.
        /// </summary>
        [TeachOS.Boundary.MayBlock]
        public static int Unlink(Inode directory, ReadOnlySpan<char> name, bool removeDirectory)
        {
            if (name.Length == 0 || name.Length == 1 && name[0] == '.' || name.Length == 2 && name[0] == '.' && name[1] == '.')
                return -Errno.EINVAL;
            s_namespaceLock.Acquire();
            Log.BeginOperation();
            InodeCache.Lock(directory);
            Inode child = null;
            int result = RemoveLocked(directory, name, removeDirectory, ref child);
            InodeCache.Unlock(directory);
            if (child != null) InodeCache.Put(child);      // the last reference frees it (no lock held: see Put)
            Log.EndOperation();
            s_namespaceLock.Release();
            return result;
        }

        // With the directory locked: finds the entry, checks it may go, clears it and fixes the counts.
        // `child` is set to the reference the caller must Put.
        private static int RemoveLocked(Inode directory, ReadOnlySpan<char> name, bool removeDirectory, ref Inode child)
        {
            if (!directory.IsDirectory) return -Errno.ENOTDIR;
            child = Directory.Lookup(directory, name, out ulong offset, out int error);
            if (child == null) return -error;
            InodeCache.Lock(child);
            int result = 0;
            if (child.Corrupt) result = -Errno.EIO;
            else if (child.IsDirectory && !removeDirectory) result = -Errno.EISDIR;
            else if (!child.IsDirectory && removeDirectory) result = -Errno.ENOTDIR;
            else if (child.IsDirectory && !Directory.IsEmpty(child)) result = -Errno.ENOTEMPTY;
            if (result == 0)
            {
                Directory.RemoveEntry(directory, offset);
                if (child.IsDirectory)
                {
                    directory.LinkCount--;                  // the child's ".." is gone
                    InodeCache.Update(directory);
                    child.LinkCount = 0;                    // its entry and its "." both gone
                }
                else child.LinkCount--;
                InodeCache.Update(child);
            }
            InodeCache.Unlock(child);
            return result;
        }

        /// <summary>The <paramref name="index"/>-th entry of a directory, "." and ".." left out: 1 filled, 0 past the end.</summary>
        [TeachOS.Boundary.MayBlock]
        public static unsafe int ReadDirectory(Inode directory, int index, out DirectoryEntry entry)
        {
            entry = default;
            if (index < 0) return -Errno.EINVAL;
            Span<char> name = stackalloc char[DiskFormat.MaximumNameLength];
            InodeCache.Lock(directory);
            if (!directory.IsDirectory) { InodeCache.Unlock(directory); return -Errno.ENOTDIR; }
            ulong offset = 0;
            int seen = 0, length;
            uint number = 0;
            while ((length = Directory.Next(directory, ref offset, out number, name)) >= 0)
            {
                bool dot = length == 1 && name[0] == '.' || length == 2 && name[0] == '.' && name[1] == '.';
                if (dot) continue;
                if (seen++ == index) break;
            }
            InodeCache.Unlock(directory);
            if (length < 0) return 0;
            entry.NameLength = length;
            for (int i = 0; i < length; i++) entry.Name[i] = (byte)name[i];
            entry.Inode = number;
            // An entry past the inode table (a corrupt directory) is listed without a kind or a size.
            Inode child = Directory.InodeInRange(directory, number) ? InodeCache.Get(number) : null;
            if (child != null)
            {
                InodeCache.Lock(child);
                entry.Kind = (int)KindOf(child);
                entry.Size = child.IsDirectory ? CountEntries(child) : (long)child.Size;
                InodeCache.Unlock(child);
                DiskFiles.Put(child);
            }
            return 1;
        }

        /// <summary>The entries of the locked directory, "." and ".." left out (stat's size of a directory, as the RAM file system counts).</summary>
        [TeachOS.Boundary.MayBlock]
        public static long CountEntries(Inode directory)
        {
            Span<char> name = stackalloc char[2];
            ulong offset = 0;
            long count = 0;
            int length;
            while ((length = Directory.Next(directory, ref offset, out _, name)) >= 0)
            {
                bool dot = length == 1 && name[0] == '.' || length == 2 && name[0] == '.' && name[1] == '.';
                if (!dot) count++;
            }
            return count;
        }

        /// <summary>What the rest of the kernel calls the inode's type.</summary>
        public static FileKind KindOf(Inode inode) =>
            inode.IsDirectory ? FileKind.Directory : inode.IsSymbolicLink ? FileKind.SymbolicLink : FileKind.File;

        internal static SleepLock NamespaceLock => s_namespaceLock;
    }
}
