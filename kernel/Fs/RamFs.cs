using System;
using Abi;
using Mem;

namespace Fs
{
    /// <summary>
    /// The RAM file system's node: a directory, a file or a symbolic link kept in kernel memory. At boot
    /// the tree is filled from the initrd (Fs/Initrd.cs) and mounted at "/" (Fs/Vfs/Mounts.cs); programs
    /// then create, link, rename and remove nodes through the VFS (Fs/Vfs/VfsNode.cs), until the machine
    /// powers off. This file: identity, references and lookup; Fs/RamDirectory.cs changes directories;
    /// Fs/RamFile.cs keeps a file's bytes (in frames, under a limit: a full file system is ENOSPC).
    ///
    /// A directory holds its entries as two arrays, names and nodes, side by side. A file may have
    /// several names (hard links): <see cref="_links"/> counts them. A directory has exactly one name
    /// and knows its parent (for ".."). A node is freed when it has no name left and nobody holds it
    /// (<see cref="_references"/>: open descriptors, current directories, program readers, path walks
    /// in progress), so an unlinked file stays readable through a descriptor.
    /// Lock: FileSystem.Lock (Fs/FileSystem.cs), a spin lock, around every read and change of any node:
    /// no operation here sleeps, so every operation is one lock hold and atomic (rename included).
    /// </summary>
    public sealed unsafe partial class RamNode : VfsNode
    {
        public const int MaximumNameLength = 60;       // as long as a disk directory entry's name
        public const int MaximumLinks = 255;           // names one file may have: one more is EMLINK

        private static ulong s_nextInode = 1;

        private readonly FileKind _kind;
        private readonly ulong _inode;
        private readonly RamVolume _volume;            // the initrd's tree, or one tmpfs (Fs/RamVolume.cs)
        private int _links;                            // names in directories (a directory: 1 while in the tree)
        private int _references;                       // holders (see above)
        private NodeAttributes _attributes;            // owner, group, mode (Fs/Permissions/)

        // Directories: the entries, and the parent (null once removed, and for the root, its own parent).
        private RamNode _parent;
        private string[] _names;
        private RamNode[] _children;
        private int _count;

        // Symbolic links: the target path, the node's own copy.
        private string _target;

        // The initrd's directories and files: root's, 0755 and 0644 until the tar header says otherwise.
        private const int InitialDirectoryMode = 0x1ED, InitialFileMode = 0x1A4;

        private RamNode(FileKind kind, RamVolume volume)
        {
            _kind = kind;
            _volume = volume;
            volume.NodeMadeLocked();
            _attributes = new NodeAttributes(kind == FileKind.File ? InitialFileMode : InitialDirectoryMode, Abi.UserIds.Root, Abi.UserIds.Root);
            _inode = s_nextInode++;                     // under the lock (or at boot, alone)
            if (kind == FileKind.Directory)
            {
                _names = new string[8];
                _children = new RamNode[8];
            }
        }

        /// <summary>The root directory: one name (its mount) and one holder (the volume) for ever.</summary>
        public static RamNode Root { get; } = NewRoot(RamVolume.Instance);

        /// <summary>A volume's root directory: one name (its mount) and one holder (the volume), until the volume goes.</summary>
        public static RamNode NewRoot(RamVolume volume) => new RamNode(FileKind.Directory, volume) { _links = 1, _references = 1 };

        public override Volume Volume => _volume;

        public override FileKind Kind => _kind;

        public override ulong Inode => _inode;

        public override NodeStatus Status()
        {
            bool flags = FileSystem.Lock.Acquire();
            var status = new NodeStatus { Kind = _kind, Inode = _inode, Links = _links, Size = SizeLocked(), Attributes = _attributes };
            if (_kind == FileKind.Directory)
            {
                status.Links = _links == 0 ? 0 : 2;             // its name and its own "."
                for (int i = 0; i < _count; i++)
                    if (_children[i]._kind == FileKind.Directory) status.Links++;   // each child's ".."
            }
            FileSystem.Lock.Release(flags);
            return status;
        }

        public override NodeAttributes Attributes()
        {
            bool flags = FileSystem.Lock.Acquire();
            NodeAttributes attributes = _attributes;
            FileSystem.Lock.Release(flags);
            return attributes;
        }

        public override int SetAttributes(NodeAttributes attributes)
        {
            bool flags = FileSystem.Lock.Acquire();
            _attributes = attributes;
            FileSystem.Lock.Release(flags);
            return 0;
        }

        private long SizeLocked() =>
            _kind == FileKind.Directory ? _count : _kind == FileKind.SymbolicLink ? _target.Length : Length;

        public override void Hold()
        {
            bool flags = FileSystem.Lock.Acquire();
            _references++;
            FileSystem.Lock.Release(flags);
        }

        public override void Put()
        {
            bool flags = FileSystem.Lock.Acquire();
            if (_references <= 0) Diagnostics.Panic.Halt("RamNode.Put: more Puts than Holds");
            _references--;
            FreeIfUnusedLocked(this);
            FileSystem.Lock.Release(flags);
        }

        // A node with no name and no holder is gone for good: its bytes, its arrays and itself.
        private static void FreeIfUnusedLocked(RamNode node)
        {
            if (node._links > 0 || node._references > 0) return;
            if (node._kind == FileKind.File) node.FreeContentsLocked();
            if (node._names != null)
            {
                KernelHeap.Free(node._names);
                KernelHeap.Free(node._children);
            }
            if (node._target != null) KernelHeap.Free(node._target);
            RamVolume volume = node._volume;
            KernelHeap.Free(node);
            volume.NodeFreedLocked();
        }

        public override int Lookup(ReadOnlySpan<char> name, out VfsNode child)
        {
            child = null;
            if (_kind != FileKind.Directory) return -Errno.ENOTDIR;
            bool flags = FileSystem.Lock.Acquire();
            RamNode found = Paths.IsDot(name) ? this : Paths.IsDotDot(name) ? (this == _volume.RootNode ? this : _parent) : ChildLocked(name);
            if (found != null) found._references++;
            FileSystem.Lock.Release(flags);
            child = found;
            return found == null ? -Errno.ENOENT : 0;
        }

        /// <summary>The entry named <paramref name="name"/>, or null. The caller holds the lock.</summary>
        private RamNode ChildLocked(ReadOnlySpan<char> name)
        {
            int index = IndexOfLocked(name);
            return index < 0 ? null : _children[index];
        }

        private int IndexOfLocked(ReadOnlySpan<char> name)
        {
            for (int i = 0; i < _count; i++)
                if (name.SequenceEqual(_names[i])) return i;
            return -1;
        }

        public override int ReadLink(Span<char> destination)
        {
            if (_kind != FileKind.SymbolicLink) return -Errno.EINVAL;
            bool flags = FileSystem.Lock.Acquire();
            int length = _target.Length;
            _target.AsSpan(0, length < destination.Length ? length : destination.Length).CopyTo(destination);
            FileSystem.Lock.Release(flags);
            return length;
        }

        /// <summary>
        /// Creates the directories along <paramref name="path"/> (from the root) as needed, for unpacking
        /// the initrd. Null if a file stands in the way or a name is too long. Not held: at boot nothing
        /// removes a node.
        /// </summary>
        public static RamNode MakeDirectories(ReadOnlySpan<char> path)
        {
            bool flags = FileSystem.Lock.Acquire();
            RamNode node = Root;
            var walker = new PathWalker(path);
            while (node != null && walker.Next(out ReadOnlySpan<char> part))
            {
                if (Paths.IsDot(part)) continue;                                  // "./bin": tar's way of writing "bin"
                RamNode next = Paths.IsDotDot(part) ? node._parent ?? Root : node.ChildLocked(part);
                if (next == null && part.Length <= MaximumNameLength)
                    next = node.AddEntryLocked(part, new RamNode(FileKind.Directory, RamVolume.Instance) { _parent = node, _links = 1 });
                node = next != null && next._kind == FileKind.Directory ? next : null;
            }
            FileSystem.Lock.Release(flags);
            return node;
        }

        /// <summary>The file named <paramref name="name"/> in this directory, made if missing (for the initrd). Null if something else is there.</summary>
        public RamNode FileNamed(ReadOnlySpan<char> name)
        {
            if (name.Length == 0 || name.Length > MaximumNameLength || Paths.IsDot(name) || Paths.IsDotDot(name)) return null;
            bool flags = FileSystem.Lock.Acquire();
            RamNode file = ChildLocked(name) ?? AddEntryLocked(name, new RamNode(FileKind.File, RamVolume.Instance) { _links = 1 });
            FileSystem.Lock.Release(flags);
            return file._kind == FileKind.File ? file : null;
        }
    }
}
