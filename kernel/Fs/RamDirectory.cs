using System;
using Abi;
using Mem;

namespace Fs
{
    /// <summary>
    /// The RAM file system's directory changes: create, link, unlink, rename, and readdir. Each is one
    /// hold of FileSystem.Lock, so each is atomic: a rename that replaces a file is never seen half done.
    /// </summary>
    public sealed unsafe partial class RamNode
    {
        public override int Create(ReadOnlySpan<char> name, FileKind kind, ReadOnlySpan<char> target, NodeAttributes attributes, out VfsNode created)
        {
            created = null;
            if (_kind != FileKind.Directory) return -Errno.ENOTDIR;
            if (name.Length > MaximumNameLength) return -Errno.ENAMETOOLONG;
            if (name.Length == 0) return -Errno.ENOENT;
            if (kind == FileKind.SymbolicLink && target.Length > Paths.MaximumPathLength) return -Errno.ENAMETOOLONG;
            if (kind != FileKind.File && kind != FileKind.Directory && kind != FileKind.SymbolicLink) return -Errno.EINVAL;
            bool flags = FileSystem.Lock.Acquire();
            int error = _links == 0 ? -Errno.ENOENT : IndexOfLocked(name) >= 0 ? -Errno.EEXIST : 0;
            RamNode node = null;
            if (error == 0)
            {
                node = new RamNode(kind, _volume) { _links = 1, _references = 1, _attributes = attributes };
                if (kind == FileKind.Directory) node._parent = this;
                if (kind == FileKind.SymbolicLink) node._target = string.Copy(target);
                AddEntryLocked(name, node);
            }
            FileSystem.Lock.Release(flags);
            created = node;
            return error;
        }

        public override int Link(ReadOnlySpan<char> name, VfsNode target)
        {
            if (_kind != FileKind.Directory) return -Errno.ENOTDIR;
            if (target is not RamNode file) return -Errno.EXDEV;
            if (file._kind == FileKind.Directory) return -Errno.EPERM;
            if (name.Length > MaximumNameLength) return -Errno.ENAMETOOLONG;
            bool flags = FileSystem.Lock.Acquire();
            int error = _links == 0 || file._links == 0 ? -Errno.ENOENT
                : IndexOfLocked(name) >= 0 ? -Errno.EEXIST
                : file._links >= MaximumLinks ? -Errno.EMLINK : 0;
            if (error == 0)
            {
                file._links++;
                AddEntryLocked(name, file);
            }
            FileSystem.Lock.Release(flags);
            return error;
        }

        public override int Unlink(ReadOnlySpan<char> name, bool directory)
        {
            if (_kind != FileKind.Directory) return -Errno.ENOTDIR;
            bool flags = FileSystem.Lock.Acquire();
            int index = IndexOfLocked(name);
            RamNode child = index < 0 ? null : _children[index];
            int error = child == null ? -Errno.ENOENT
                : child._kind == FileKind.Directory ? (!directory ? -Errno.EISDIR : child._count > 0 ? -Errno.ENOTEMPTY : 0)
                : directory ? -Errno.ENOTDIR : 0;
            if (error == 0)
            {
                RemoveEntryLocked(index);
                ForgetNameLocked(child);
            }
            FileSystem.Lock.Release(flags);
            return error;
        }

        public override int Rename(ReadOnlySpan<char> name, VfsNode toDirectory, ReadOnlySpan<char> toName)
        {
            if (_kind != FileKind.Directory) return -Errno.ENOTDIR;
            if (toDirectory is not RamNode destination) return -Errno.EXDEV;
            if (destination._kind != FileKind.Directory) return -Errno.ENOTDIR;
            if (toName.Length > MaximumNameLength) return -Errno.ENAMETOOLONG;
            bool flags = FileSystem.Lock.Acquire();
            int error = RenameLocked(name, destination, toName);
            FileSystem.Lock.Release(flags);
            return error;
        }

        private int RenameLocked(ReadOnlySpan<char> name, RamNode destination, ReadOnlySpan<char> toName)
        {
            int from = IndexOfLocked(name);
            if (from < 0 || destination._links == 0) return -Errno.ENOENT;
            RamNode moving = _children[from];
            if (moving._kind == FileKind.Directory)
                for (RamNode above = destination; above != null && above != _volume.RootNode; above = above._parent)
                    if (above == moving) return -Errno.EINVAL;            // into itself, or below itself
            int to = destination.IndexOfLocked(toName);
            if (to >= 0)
            {
                RamNode replaced = destination._children[to];
                if (replaced == moving) return 0;                         // two names of one file: nothing to do
                if (moving._kind == FileKind.Directory && replaced._kind != FileKind.Directory) return -Errno.ENOTDIR;
                if (moving._kind != FileKind.Directory && replaced._kind == FileKind.Directory) return -Errno.EISDIR;
                if (replaced._kind == FileKind.Directory && replaced._count > 0) return -Errno.ENOTEMPTY;
                // The name now means the moving node: no moment in which it names nothing.
                destination._children[to] = moving;
                RemoveEntryLocked(IndexOfLocked(name));
                ForgetNameLocked(replaced);
            }
            else
            {
                destination.AddEntryLocked(toName, moving);
                RemoveEntryLocked(IndexOfLocked(name));                   // the index may have moved if both are this directory
            }
            if (moving._kind == FileKind.Directory) moving._parent = destination;
            return 0;
        }

        public override int ReadDirectory(int index, out DirectoryEntry entry)
        {
            entry = default;
            if (_kind != FileKind.Directory) return -Errno.ENOTDIR;
            if (index < 0) return -Errno.EINVAL;
            bool flags = FileSystem.Lock.Acquire();
            bool exists = index < _count;
            if (exists)
            {
                RamNode child = _children[index];
                string name = _names[index];
                entry.Kind = (int)child._kind;
                entry.Inode = child._inode;
                entry.Size = child.SizeLocked();
                entry.NameLength = name.Length;
                for (int i = 0; i < name.Length && i < DirectoryEntry.MaximumName; i++) entry.Name[i] = (byte)name[i];
            }
            FileSystem.Lock.Release(flags);
            return exists ? 1 : 0;
        }

        // Adds an entry (the name copied) and returns its node. The caller holds the lock.
        private RamNode AddEntryLocked(ReadOnlySpan<char> name, RamNode node)
        {
            if (_count == _children.Length)
            {
                string[] names = new string[_count * 2];
                RamNode[] children = new RamNode[_count * 2];
                for (int i = 0; i < _count; i++)
                {
                    names[i] = _names[i];
                    children[i] = _children[i];
                }
                KernelHeap.Free(_names);
                KernelHeap.Free(_children);
                _names = names;
                _children = children;
            }
            _names[_count] = string.Copy(name);
            _children[_count++] = node;
            return node;
        }

        // Removes entry index, keeping the others in order (readdir's indexes move down by one past it).
        private void RemoveEntryLocked(int index)
        {
            KernelHeap.Free(_names[index]);
            for (int i = index; i < _count - 1; i++)
            {
                _names[i] = _names[i + 1];
                _children[i] = _children[i + 1];
            }
            _count--;
            _names[_count] = null;
            _children[_count] = null;
        }

        /// <summary>
        /// A tmpfs that nothing mounts any more lets its tree go: every name below this directory is removed,
        /// deepest first, and each node with no holder left is freed (one a descriptor still holds lives on,
        /// unlinked, until its last Put). The caller holds the lock.
        /// </summary>
        public void RemoveAllLocked()
        {
            while (_count > 0)
            {
                RamNode child = _children[_count - 1];
                if (child._kind == FileKind.Directory) child.RemoveAllLocked();
                RemoveEntryLocked(_count - 1);
                ForgetNameLocked(child);
            }
        }

        /// <summary>The volume's root leaves with the volume: its name and the volume's reference go. The caller holds the lock.</summary>
        public void ForgetRootLocked()
        {
            _links = 0;
            _references--;
            FreeIfUnusedLocked(this);
        }

        // One name of node is gone: a directory is out of the tree (its ".." leads nowhere now), and a
        // node with no names left and no holders is freed.
        private static void ForgetNameLocked(RamNode node)
        {
            node._links--;
            if (node._kind == FileKind.Directory) node._parent = null;
            FreeIfUnusedLocked(node);
        }
    }
}
