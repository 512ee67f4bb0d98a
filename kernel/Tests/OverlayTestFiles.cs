using System;
using Abi;
using Fs;

namespace Tests
{
    /// <summary>
    /// Small file helpers for the overlay's kernel tests (Tests/OverlayTests.cs): make, read, list and
    /// checksum files through the VFS, as the kernel itself (root), from a directory the test gives.
    /// </summary>
    public static unsafe class OverlayTestFiles
    {
        /// <summary>Creates (or empties) the file at <paramref name="path"/> and writes <paramref name="text"/>: 0 or an error.</summary>
        public static int Write(VfsNode start, string path, string text)
        {
            int error = PathOperations.OpenNode(Credentials.Kernel, start, path, OpenFlags.Create | OpenFlags.ReadWrite, out VfsNode file);
            if (error < 0) return error;
            error = file.Truncate(0);
            byte* bytes = stackalloc byte[text.Length + 1];
            for (int i = 0; i < text.Length; i++) bytes[i] = (byte)text[i];
            long written = error < 0 ? error : file.WriteAt(0, new ReadOnlySpan<byte>(bytes, text.Length));
            file.Put();
            return written < 0 ? (int)written : written == text.Length ? 0 : -Errno.EIO;
        }

        /// <summary>Does the file at <paramref name="path"/> hold exactly <paramref name="text"/>?</summary>
        public static bool Holds(VfsNode start, string path, string text)
        {
            if (Paths.Resolve(Credentials.Kernel, start, path, followLast: true, out VfsNode file) < 0) return false;
            byte* bytes = stackalloc byte[128];
            long read = file.ReadAt(0, new Span<byte>(bytes, 128));
            file.Put();
            if (read != text.Length) return false;
            for (int i = 0; i < text.Length; i++)
                if (bytes[i] != (byte)text[i]) return false;
            return true;
        }

        /// <summary>Does <paramref name="path"/> resolve (0) or what error?</summary>
        public static int Find(VfsNode start, string path)
        {
            int error = Paths.Resolve(Credentials.Kernel, start, path, followLast: false, out VfsNode node);
            if (error == 0) node.Put();
            return error;
        }

        /// <summary>
        /// The names the directory at <paramref name="path"/> lists, in readdir's order, each followed by
        /// "/", as "a/b/c/". Null if it cannot be listed.
        /// </summary>
        public static string List(VfsNode start, string path)
        {
            if (Paths.Resolve(Credentials.Kernel, start, path, followLast: true, out VfsNode directory) < 0) return null;
            char* text = stackalloc char[512];
            int length = 0;
            for (int index = 0; ; index++)
            {
                int found = directory.ReadDirectory(index, out DirectoryEntry entry);
                if (found <= 0) break;
                for (int i = 0; i < entry.NameLength && length < 511; i++) text[length++] = (char)entry.Name[i];
                if (length < 511) text[length++] = '/';
            }
            directory.Put();
            return new string(new ReadOnlySpan<char>(text, length));
        }

        /// <summary>How many entries the directory at <paramref name="path"/> lists (-1 if it cannot be listed).</summary>
        public static int Count(VfsNode start, string path)
        {
            if (Paths.Resolve(Credentials.Kernel, start, path, followLast: true, out VfsNode directory) < 0) return -1;
            int count = 0;
            while (directory.ReadDirectory(count, out DirectoryEntry _) > 0) count++;
            directory.Put();
            return count;
        }

        /// <summary>
        /// A checksum of the whole tree at <paramref name="path"/>: every name, kind, mode, owner and byte,
        /// in order. Equal before and after means the tree was not written.
        /// </summary>
        public static ulong Checksum(VfsNode start, string path)
        {
            if (Paths.Resolve(Credentials.Kernel, start, path, followLast: false, out VfsNode node) < 0) return 0;
            ulong sum = ChecksumOf(node, 1469598103934665603UL);
            node.Put();
            return sum;
        }

        // FNV-1a over the node, and over its entries, depth first.
        private static ulong ChecksumOf(VfsNode node, ulong sum)
        {
            NodeStatus status = node.Status();
            sum = Mix(sum, (ulong)status.Kind);
            sum = Mix(sum, (ulong)status.Attributes.Mode);
            sum = Mix(sum, (ulong)status.Attributes.UserId);
            sum = Mix(sum, (ulong)status.Size);
            if (node.Kind == FileKind.File)
            {
                byte* bytes = stackalloc byte[256];
                for (long offset = 0; ;)
                {
                    long read = node.ReadAt(offset, new Span<byte>(bytes, 256));
                    if (read <= 0) break;
                    for (int i = 0; i < read; i++) sum = Mix(sum, bytes[i]);
                    offset += read;
                }
                return sum;
            }
            if (node.Kind != FileKind.Directory) return sum;
            char* name = stackalloc char[DirectoryEntry.MaximumName];
            for (int index = 0; node.ReadDirectory(index, out DirectoryEntry entry) > 0; index++)
            {
                for (int i = 0; i < entry.NameLength; i++)
                {
                    name[i] = (char)entry.Name[i];
                    sum = Mix(sum, entry.Name[i]);
                }
                if (node.Lookup(new ReadOnlySpan<char>(name, entry.NameLength), out VfsNode child) < 0) continue;
                sum = ChecksumOf(child, sum);
                child.Put();
            }
            return sum;
        }

        /// <summary>Does <paramref name="text"/> contain <paramref name="part"/>?</summary>
        public static bool Contains(string text, string part)
        {
            for (int at = 0; text != null && at + part.Length <= text.Length; at++)
                if (text.AsSpan().Slice(at, part.Length).SequenceEqual(part)) return true;
            return false;
        }

        private static ulong Mix(ulong sum, ulong value) => (sum ^ value) * 1099511628211UL;
    }
}
