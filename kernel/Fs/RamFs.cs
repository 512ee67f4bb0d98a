using System;
using Mem;

namespace Fs
{
    /// <summary>
    /// The file system: a tree of directories and files kept in kernel memory. At boot it is filled
    /// from the initrd (Fs/Initrd.cs); programs can then read those files and create or overwrite
    /// others (shell redirection), until the machine powers off. Paths are absolute ("/bin/sh");
    /// a relative path is taken from the root. A path through a file ("/etc/motd/x") is ENOTDIR.
    /// File contents live in frames (Fs/FilePages.cs), under a limit that makes a full file system
    /// an ENOSPC, not a panic.
    /// Lock: FileSystem.Lock (Fs/FileSystem.cs) around every change and every read of the contents.
    /// </summary>
    public sealed unsafe class RamNode
    {
        public const int MaximumNameLength = 55;

        public string Name;                      // the node's own copy (string.Copy), never shared
        public RamNode Parent;
        public bool IsDirectory;

        // Directories: the children. Files: the bytes, in frames found through a two-level table
        // (Fs/FilePages.cs); read and written only through ReadAt, WriteAt and Truncate.
        /// <summary>Counts changes to a file's contents (a write, a truncation): a reader made before one knows it is stale.</summary>
        public ulong Version;
        public RamNode[] Children;
        public int ChildCount;
        private ulong _pages;                    // physical address of the file's top table, 0 when empty

        /// <summary>A file's size in bytes.</summary>
        public long Length { get; private set; }

        public static RamNode Root { get; } = new RamNode { Name = string.Copy(""), IsDirectory = true, Children = new RamNode[16] };

        public RamNode Child(ReadOnlySpan<char> name)
        {
            for (int i = 0; i < ChildCount; i++)
                if (name.SequenceEqual(Children[i].Name)) return Children[i];
            return null;
        }

        /// <summary>Adds a child named <paramref name="name"/> (copied) to this directory.</summary>
        public RamNode AddChild(ReadOnlySpan<char> name, bool directory)
        {
            if (!IsDirectory) Diagnostics.Panic.Halt("RamNode.AddChild: the parent is a file (look it up with LookupParent)");
            if (ChildCount == Children.Length)
            {
                RamNode[] larger = new RamNode[Children.Length * 2];
                for (int i = 0; i < ChildCount; i++) larger[i] = Children[i];
                KernelHeap.Free(Children);
                Children = larger;
            }
            var node = new RamNode { Name = string.Copy(name), Parent = this, IsDirectory = directory };
            if (directory) node.Children = new RamNode[8];
            Children[ChildCount++] = node;
            return node;
        }

        /// <summary>
        /// Copies the file's bytes from <paramref name="offset"/> into <paramref name="destination"/>;
        /// returns how many (0 at or past the end). The caller holds FileSystem.Lock.
        /// </summary>
        public int ReadAt(long offset, Span<byte> destination)
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

        /// <summary>
        /// Writes <paramref name="source"/> at <paramref name="offset"/>, growing the file; returns the
        /// bytes written (fewer when the file system fills up on the way), or -ENOSPC if none fit.
        /// The caller holds FileSystem.Lock.
        /// </summary>
        public long WriteAt(long offset, ReadOnlySpan<byte> source)
        {
            if (offset < 0 || offset > FilePages.MaximumFileSize) return -Abi.Errno.EINVAL;
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
            if (done > 0) Version++;
            return done == 0 && source.Length > 0 ? -Abi.Errno.ENOSPC : done;
        }

        /// <summary>Empties the file and gives its frames back. The caller holds FileSystem.Lock.</summary>
        public void Truncate()
        {
            FilePages.FreeAll(ref _pages);
            Length = 0;
            Version++;
        }

        /// <summary>
        /// Follows <paramref name="path"/> from the root. Null if it leads nowhere, with the reason in
        /// <paramref name="error"/>: ENOENT (a part is missing) or ENOTDIR (a file stands where a
        /// directory must: before another part, or before a trailing slash).
        /// </summary>
        public static RamNode Lookup(ReadOnlySpan<char> path, out int error)
        {
            RamNode node = Root;
            var walker = new PathWalker(path);
            while (walker.Next(out ReadOnlySpan<char> part))
            {
                node = Step(node, part, out error);
                if (node == null) return null;
            }
            error = !node.IsDirectory && EndsWithSlash(path) ? Abi.Errno.ENOTDIR : 0;
            return error == 0 ? node : null;
        }

        /// <summary>
        /// The directory that would hold <paramref name="path"/>, and the path's last part (which need
        /// not exist yet). Null if the way there leads nowhere (<paramref name="error"/> as in Lookup).
        /// </summary>
        public static RamNode LookupParent(ReadOnlySpan<char> path, out ReadOnlySpan<char> name, out int error)
        {
            RamNode node = Root;
            name = default;
            error = 0;
            var walker = new PathWalker(path);
            bool any = walker.Next(out ReadOnlySpan<char> part);
            while (any)
            {
                bool more = walker.Next(out ReadOnlySpan<char> next);
                if (!more) { name = part; break; }
                node = Step(node, part, out error);
                if (node == null) return null;
                part = next;
            }
            if (node.IsDirectory) return node;
            error = Abi.Errno.ENOTDIR;
            return null;
        }

        /// <summary>True for "dir/": the path names a directory, whatever its last part is.</summary>
        public static bool EndsWithSlash(ReadOnlySpan<char> path) => path.Length > 0 && path[path.Length - 1] == '/';

        /// <summary>
        /// Creates the directories along <paramref name="path"/> as needed (for unpacking the initrd).
        /// Null if a file stands in the way.
        /// </summary>
        public static RamNode MakeDirectories(ReadOnlySpan<char> path)
        {
            RamNode node = Root;
            var walker = new PathWalker(path);
            while (walker.Next(out ReadOnlySpan<char> part))
            {
                if (!node.IsDirectory) return null;
                node = Step(node, part, out _) ?? node.AddChild(part, directory: true);
            }
            return node.IsDirectory ? node : null;
        }

        // One step down (or up, for ".."). Only a directory has parts: from a file, even "." and
        // ".." lead nowhere (ENOTDIR), as in Unix. Null with ENOENT if the part is missing.
        private static RamNode Step(RamNode node, ReadOnlySpan<char> part, out int error)
        {
            error = 0;
            if (!node.IsDirectory) { error = Abi.Errno.ENOTDIR; return null; }
            if (part.SequenceEqual(".")) return node;
            if (part.SequenceEqual("..")) return node.Parent ?? Root;
            RamNode child = node.Child(part);
            if (child == null) error = Abi.Errno.ENOENT;
            return child;
        }
    }

    /// <summary>
    /// The parts of a path, one at a time, as slices of the path itself: "/bin//sh" gives "bin", "sh".
    /// Walking a path this way allocates nothing (the kernel has no garbage collector to clean up
    /// after Split).
    /// </summary>
    public ref struct PathWalker
    {
        private readonly ReadOnlySpan<char> _path;
        private int _at;

        public PathWalker(ReadOnlySpan<char> path)
        {
            _path = path;
            _at = 0;
        }

        public bool Next(out ReadOnlySpan<char> part)
        {
            while (_at < _path.Length && _path[_at] == '/') _at++;
            int start = _at;
            while (_at < _path.Length && _path[_at] != '/') _at++;
            part = _path.Slice(start, _at - start);
            return part.Length > 0;
        }
    }
}
