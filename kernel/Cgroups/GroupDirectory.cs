using System;
using Abi;
using Fs;
using Sched;

namespace Cgroups
{
    /// <summary>
    /// A group's directory in /sys/fs/cgroup: its control files (Cgroups/ControlFileNode.cs) and one
    /// directory for each child group. The file tree is the interface, as on Linux: `mkdir box` makes a
    /// child group, `rmdir box` removes an empty one (Cgroups/ControlGroupTree.cs), and nothing else
    /// may be created, linked, renamed or removed here (-EPERM).
    ///
    /// Who may do what comes from the directory's owner and mode, checked by the VFS as on any
    /// directory (Fs/Vfs/PathOperations.cs): it is 0755, owned by whoever made the group, so only
    /// they and root make or remove groups inside it (-EACCES for the others). chown of the
    /// directory delegates the group, its files with it (Linux chowns each file; TeachOS keeps one
    /// owner per group); its mode stays 0755.
    /// </summary>
    public sealed class GroupDirectory : VfsNode
    {
        private readonly ControlGroup _group;

        internal GroupDirectory(ControlGroup group) => _group = group;

        public override Volume Volume => CgroupVolume.Instance;

        public override FileKind Kind => FileKind.Directory;

        public override ulong Inode => (ulong)_group.Id * 16;

        public override ulong Version => 0;

        public override NodeStatus Status()
        {
            bool flags = Scheduler.ThreadStateLock.Acquire();
            int children = _group.ChildCount;
            Scheduler.ThreadStateLock.Release(flags);
            return new NodeStatus { Kind = FileKind.Directory, Size = FileCount() + children, Links = 2 + children, Inode = Inode, Attributes = Attributes() };
        }

        public override NodeAttributes Attributes() => new NodeAttributes(FileMode.Program /* 0755 */, _group.OwnerId, _group.OwnerGroupId);

        /// <summary>chown delegates the group (owner and group change together, Fs/Permissions/FilePermissions.cs checked who may); chmod is -EPERM.</summary>
        public override int SetAttributes(NodeAttributes attributes)
        {
            if ((attributes.Mode & FileMode.All) != FileMode.Program) return -Errno.EPERM;
            _group.OwnerId = attributes.UserId;
            _group.OwnerGroupId = attributes.GroupId;
            return 0;
        }

        public override void Hold() => _group.Hold();

        public override void Put() => _group.Put();

        /// <summary>".", ".." (the root is its own parent: the VFS steps off the mount itself), a control file, a child group.</summary>
        public override int Lookup(ReadOnlySpan<char> name, out VfsNode child)
        {
            child = null;
            if (name.SequenceEqual("."))
            {
                _group.Hold();
                child = this;
                return 0;
            }
            if (_group.Removed) return -Errno.ENOENT;
            if (name.SequenceEqual(".."))
            {
                ControlGroup parent = _group.Parent ?? _group;
                parent.Hold();                          // a child holds its parent: it is still there
                child = parent.Directory;
                return 0;
            }
            int file = ControlFiles.IndexOf(name);
            if (file >= 0 && ControlFiles.Exists(_group, (ControlFileKind)file))
            {
                _group.Hold();
                child = _group.Files[file];
                return 0;
            }
            ControlGroup found = ControlGroupTree.HoldChild(_group, name);
            if (found == null) return -Errno.ENOENT;
            child = found.Directory;
            return 0;
        }

        /// <summary>mkdir makes a child group; files and links cannot be made here.</summary>
        public override int Create(ReadOnlySpan<char> name, FileKind kind, ReadOnlySpan<char> target, NodeAttributes attributes, out VfsNode created)
        {
            created = null;
            int file = ControlFiles.IndexOf(name);
            if (file >= 0 && ControlFiles.Exists(_group, (ControlFileKind)file)) return -Errno.EEXIST;
            if (kind != FileKind.Directory) return -Errno.EPERM;
            int error = ControlGroupTree.MakeChild(_group, name, attributes.UserId, attributes.GroupId, out ControlGroup made);
            if (error < 0) return error;
            created = made.Directory;                   // held for the caller by MakeChild
            return 0;
        }

        public override int Link(ReadOnlySpan<char> name, VfsNode target) => -Errno.EPERM;

        /// <summary>rmdir removes an empty child group; the control files cannot be removed.</summary>
        public override int Unlink(ReadOnlySpan<char> name, bool directory)
        {
            if (ControlFiles.IndexOf(name) >= 0) return directory ? -Errno.ENOTDIR : -Errno.EPERM;
            if (!directory) return ControlGroupTree.HasChild(_group, name) ? -Errno.EISDIR : -Errno.ENOENT;
            return ControlGroupTree.Remove(_group, name);
        }

        public override int Rename(ReadOnlySpan<char> name, VfsNode toDirectory, ReadOnlySpan<char> toName) => -Errno.EPERM;

        /// <summary>The control files first, in the table's order, then the child groups.</summary>
        public override int ReadDirectory(int index, out DirectoryEntry entry)
        {
            entry = default;
            if (index < 0) return -Errno.EINVAL;
            for (int i = 0; i < ControlFiles.Count; i++)
            {
                if (!ControlFiles.Exists(_group, (ControlFileKind)i)) continue;
                if (index-- == 0) return Fill(ref entry, ControlFiles.NameOf((ControlFileKind)i), FileKind.File, _group.Files[i].Inode);
            }
            bool flags = Scheduler.ThreadStateLock.Acquire();
            int result = 0;
            if (index < _group.ChildCount)
            {
                ControlGroup child = _group.Children[index];
                result = Fill(ref entry, child.Name, FileKind.Directory, child.Directory.Inode);
            }
            Scheduler.ThreadStateLock.Release(flags);
            return result;
        }

        private static unsafe int Fill(ref DirectoryEntry entry, string name, FileKind kind, ulong inode)
        {
            entry.Kind = (int)kind;
            entry.Inode = inode;
            entry.Size = 0;
            entry.NameLength = name.Length;
            for (int i = 0; i < name.Length && i < DirectoryEntry.MaximumName; i++) entry.Name[i] = (byte)name[i];
            return 1;
        }

        private int FileCount()
        {
            int count = 0;
            for (int i = 0; i < ControlFiles.Count; i++)
                if (ControlFiles.Exists(_group, (ControlFileKind)i)) count++;
            return count;
        }

        public override long ReadAt(long offset, Span<byte> destination) => -Errno.EISDIR;

        public override long WriteAt(long offset, ReadOnlySpan<byte> source) => -Errno.EISDIR;

        public override long Append(ReadOnlySpan<byte> source) => -Errno.EISDIR;

        public override int Truncate(long length) => -Errno.EISDIR;

        public override int Sync() => 0;

        public override int ReadLink(Span<char> destination) => -Errno.EINVAL;
    }
}
