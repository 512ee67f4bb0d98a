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
        public RamNode[] Children;
        public int ChildCount;

        public static RamNode Root { get; } = new RamNode { Name = "", IsDirectory = true, Children = new RamNode[16] };

        public RamNode Child(string name)
        {
            for (int i = 0; i < ChildCount; i++)
                if (Children[i].Name == name) return Children[i];
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
        }

        /// <summary>Follows <paramref name="path"/> from the root. Null if any part is missing.</summary>
        public static RamNode Lookup(string path)
        {
            RamNode node = Root;
            foreach (string part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                if (part == ".") continue;
                if (part == "..") { node = node.Parent ?? Root; continue; }
                if (!node.IsDirectory) return null;
                node = node.Child(part);
                if (node == null) return null;
            }
            return node;
        }

        /// <summary>The directory that would hold <paramref name="path"/>, and the last part of the path.</summary>
        public static RamNode LookupParent(string path, out string name)
        {
            string[] parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
            name = parts.Length > 0 ? parts[parts.Length - 1] : "";
            RamNode node = Root;
            for (int i = 0; i < parts.Length - 1; i++)
            {
                node = parts[i] == ".." ? node.Parent ?? Root : parts[i] == "." ? node : node.Child(parts[i]);
                if (node == null || !node.IsDirectory) return null;
            }
            return node;
        }

        /// <summary>Creates the directories along <paramref name="path"/> as needed (for unpacking the initrd).</summary>
        public static RamNode MakeDirectories(string path)
        {
            RamNode node = Root;
            foreach (string part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                if (part == ".") continue;
                node = node.Child(part) ?? node.AddChild(part, directory: true);
            }
            return node;
        }
    }
}
