using System;
using Abi;

namespace Fs
{
    /// <summary>
    /// A directory's contents (xv6's dirlookup and dirlink): an array of 64-byte DiskDirectoryEntry
    /// records stored as the directory inode's data: a 32-bit inode number (0 = a free slot) and a
    /// name of up to DiskFormat.MaximumNameLength (60) bytes, padded with zeros. "." and ".." are real
    /// entries, written when the directory is made. The caller holds the directory's inode lock, and
    /// is inside a log operation for every change (and for Lookup, whose Put may need one).
    /// Names are ASCII: a char past 0xFF (or a '/' or a NUL) cannot be stored and is EINVAL.
    /// </summary>
    public static unsafe class Directory
    {
        private const int EntrySize = DiskFormat.DirectoryEntrySize;

        /// <summary>0 if <paramref name="name"/> can be a directory entry's name, else the errno.</summary>
        public static int CheckName(ReadOnlySpan<char> name)
        {
            if (name.Length == 0) return Errno.ENOENT;
            if (name.Length > DiskFormat.MaximumNameLength) return Errno.ENAMETOOLONG;
            for (int i = 0; i < name.Length; i++)
                if (name[i] == '\0' || name[i] == '/' || name[i] > 0xFF) return Errno.EINVAL;
            return 0;
        }

        /// <summary>
        /// The inode <paramref name="name"/> names in the locked directory, as a new reference (not
        /// locked), and the entry's byte offset; null if there is none (or the inode cache is full:
        /// <paramref name="error"/> says which, ENOENT or ENFILE; EIO for a corrupt directory).
        /// </summary>
        [TeachOS.Boundary.MayBlock]
        public static Inode Lookup(Inode directory, ReadOnlySpan<char> name, out ulong entryOffset, out int error)
        {
            entryOffset = 0;
            DiskDirectoryEntry entry;
            for (ulong offset = 0; offset < directory.Size; offset += EntrySize)
            {
                if (!ReadEntry(directory, offset, &entry)) { error = Errno.EIO; return null; }
                if (entry.Inode == 0 || !NameEquals(&entry, name)) continue;
                entryOffset = offset;
                if (!InodeInRange(directory, entry.Inode)) { error = Errno.EIO; return null; }
                Inode inode = InodeCache.Get(entry.Inode);
                error = inode == null ? Errno.ENFILE : 0;
                return inode;
            }
            error = Errno.ENOENT;
            return null;
        }

        /// <summary>
        /// Whether inode <paramref name="number"/>, named by an entry of <paramref name="directory"/>, is
        /// inside the inode table; if not (a corrupt directory) it says so on the console: reading it
        /// would read a block past the table, or past the disk.
        /// </summary>
        public static bool InodeInRange(Inode directory, uint number)
        {
            if (number < DiskFileSystem.Superblock.InodeCount) return true;
            Terminal.Console.WriteLine($"disk: directory {directory.Number} names inode {number}, past the last ({DiskFileSystem.Superblock.InodeCount - 1}): EIO");
            return false;
        }

        /// <summary>
        /// Adds the entry <paramref name="name"/> → inode <paramref name="number"/> to the locked
        /// directory: in the first free slot, or at the end. 0, or -EEXIST, -ENAMETOOLONG, -EINVAL,
        /// -ENOSPC (no block for a new slot). Inside an operation: it writes the slot's block and the
        /// directory's inode, and when the directory grows a bitmap block and the indirect blocks on the way.
        /// </summary>
        [TeachOS.Boundary.MayBlock]
        public static int Link(Inode directory, ReadOnlySpan<char> name, uint number)
        {
            int error = CheckName(name);
            if (error != 0) return -error;
            Inode existing = Lookup(directory, name, out _, out error);
            if (existing != null)
            {
                InodeCache.Put(existing);
                return -Errno.EEXIST;
            }
            if (error != Errno.ENOENT) return -error;

            DiskDirectoryEntry entry;
            ulong offset;
            for (offset = 0; offset < directory.Size; offset += EntrySize)
            {
                if (!ReadEntry(directory, offset, &entry)) return -Errno.EIO;
                if (entry.Inode == 0) break;
            }
            entry = default;
            entry.Inode = number;
            for (int i = 0; i < name.Length; i++) entry.Name[i] = (byte)name[i];
            long written = InodeData.Write(directory, offset, new ReadOnlySpan<byte>(&entry, EntrySize));
            if (written == EntrySize) return 0;
            return written < 0 ? (int)written : -Errno.ENOSPC;
        }

        /// <summary>Clears the entry at <paramref name="entryOffset"/> (from Lookup). Inside an operation.</summary>
        [TeachOS.Boundary.MayBlock]
        public static void RemoveEntry(Inode directory, ulong entryOffset)
        {
            DiskDirectoryEntry empty = default;
            InodeData.Write(directory, entryOffset, new ReadOnlySpan<byte>(&empty, EntrySize));
        }

        /// <summary>True if the locked directory holds nothing but "." and "..": only then may it be removed (else ENOTEMPTY).</summary>
        [TeachOS.Boundary.MayBlock]
        public static bool IsEmpty(Inode directory)
        {
            DiskDirectoryEntry entry;
            for (ulong offset = 2 * EntrySize; offset < directory.Size; offset += EntrySize)
            {
                if (!ReadEntry(directory, offset, &entry)) return false;
                if (entry.Inode != 0) return false;
            }
            return true;
        }

        /// <summary>
        /// The next used entry at or after <paramref name="offset"/> (for readdir): its inode number and
        /// name (as much as fits copied into <paramref name="name"/>; its whole length returned); -1 past the end.
        /// <paramref name="offset"/> moves past the entry returned.
        /// </summary>
        [TeachOS.Boundary.MayBlock]
        public static int Next(Inode directory, ref ulong offset, out uint number, Span<char> name)
        {
            DiskDirectoryEntry entry;
            number = 0;
            while (offset < directory.Size)
            {
                bool ok = ReadEntry(directory, offset, &entry);
                offset += EntrySize;
                if (!ok) return -1;
                if (entry.Inode == 0) continue;
                number = entry.Inode;
                int length = 0;
                while (length < DiskFormat.MaximumNameLength && entry.Name[length] != 0)
                {
                    if (length < name.Length) name[length] = (char)entry.Name[length];
                    length++;
                }
                return length;
            }
            return -1;
        }

        /// <summary>Fills a new directory's "." (itself) and ".." (<paramref name="parent"/>). Inside an operation.</summary>
        [TeachOS.Boundary.MayBlock]
        public static int MakeDotEntries(Inode directory, uint parent)
        {
            int error = Link(directory, ".", directory.Number);
            return error != 0 ? error : Link(directory, "..", parent);
        }

        private static bool ReadEntry(Inode directory, ulong offset, DiskDirectoryEntry* entry) =>
            InodeData.Read(directory, offset, new Span<byte>(entry, EntrySize)) == EntrySize;

        private static bool NameEquals(DiskDirectoryEntry* entry, ReadOnlySpan<char> name)
        {
            if (name.Length > DiskFormat.MaximumNameLength) return false;
            for (int i = 0; i < name.Length; i++)
                if (entry->Name[i] != name[i]) return false;
            return name.Length == DiskFormat.MaximumNameLength || entry->Name[name.Length] == 0;
        }
    }
}
