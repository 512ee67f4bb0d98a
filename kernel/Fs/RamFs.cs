using System;
using Mem;

namespace Fs
{
    /// <summary>
    /// The file system: a tree of directories and files kept in kernel memory. At boot it is filled
    /// from the initrd (Fs/Initrd.cs); programs can then read those files and create or overwrite
    /// others (shell redirection), until the machine powers off. Paths are absolute ("/bin/sh");
    /// a relative path is taken from the root.
    /// Lock: only touched from syscalls, which on this single-CPU kernel do not run concurrently with
    /// each other except by blocking, and no file operation blocks.
    /// </summary>
    public sealed class RamNode
    {
        public const int MaximumNameLength = 55;

        public string Name;
        public RamNode Parent;
        public bool IsDirectory;

        // Files: the bytes. Directories: the children.
        public byte[] Data = Array.Empty<byte>();
        public long Length;
        /// <summary>Counts changes to a file's contents (a write, a truncation): a reader made before one knows it is stale.</summary>
        public ulong Version;
        public RamNode[] Children;
        public int ChildCount;

        public static RamNode Root { get; } = new RamNode { Name = "", IsDirectory = true, Children = new RamNode[16] };

        public RamNode Child(ReadOnlySpan<char> name)
        {
            for (int i = 0; i < ChildCount; i++)
                if (name.SequenceEqual(Children[i].Name)) return Children[i];
            return null;
        }

        public RamNode AddChild(string name, bool directory)
        {
            if (ChildCount == Children.Length)
            {
                RamNode[] larger = new RamNode[Children.Length * 2];
                for (int i = 0; i < ChildCount; i++) larger[i] = Children[i];
                KernelHeap.Free(Children);
                Children = larger;
            }
            var node = new RamNode { Name = name, Parent = this, IsDirectory = directory };
            if (directory) node.Children = new RamNode[8];
            Children[ChildCount++] = node;
            return node;
        }

        /// <summary>Makes room for <paramref name="length"/> bytes, keeping the contents.</summary>
        public void EnsureCapacity(long length)
        {
            if (length <= Data.Length) return;
            long capacity = Data.Length == 0 ? 256 : Data.Length;
            while (capacity < length) capacity *= 2;
            byte[] larger = new byte[capacity];
            for (long i = 0; i < Length; i++) larger[i] = Data[i];
            if (Data.Length > 0) KernelHeap.Free(Data);
            Data = larger;
        }

        public void Truncate()
        {
            Length = 0;
            Version++;
        }

        /// <summary>Follows <paramref name="path"/> from the root. Null if any part is missing.</summary>
        public static RamNode Lookup(ReadOnlySpan<char> path)
        {
            RamNode node = Root;
            var walker = new PathWalker(path);
            while (walker.Next(out ReadOnlySpan<char> part))
            {
                node = Step(node, part);
                if (node == null) return null;
            }
            return node;
        }

        /// <summary>
        /// The directory that would hold <paramref name="path"/>, and the path's last part (which need
        /// not exist yet). Null if a directory on the way is missing.
        /// </summary>
        public static RamNode LookupParent(ReadOnlySpan<char> path, out ReadOnlySpan<char> name)
        {
            RamNode node = Root;
            name = default;
            var walker = new PathWalker(path);
            bool any = walker.Next(out ReadOnlySpan<char> part);
            while (any)
            {
                bool more = walker.Next(out ReadOnlySpan<char> next);
                if (!more) { name = part; return node; }
                node = Step(node, part);
                if (node == null) return null;
                part = next;
            }
            return node;
        }

        /// <summary>Creates the directories along <paramref name="path"/> as needed (for unpacking the initrd).</summary>
        public static RamNode MakeDirectories(ReadOnlySpan<char> path)
        {
            RamNode node = Root;
            var walker = new PathWalker(path);
            while (walker.Next(out ReadOnlySpan<char> part))
                node = Step(node, part) ?? node.AddChild(new string(part), directory: true);
            return node;
        }

        // One step down (or up, for ".."); null if it leads nowhere.
        private static RamNode Step(RamNode node, ReadOnlySpan<char> part)
        {
            if (part.SequenceEqual(".")) return node;
            if (part.SequenceEqual("..")) return node.Parent ?? Root;
            return node.IsDirectory ? node.Child(part) : null;
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
