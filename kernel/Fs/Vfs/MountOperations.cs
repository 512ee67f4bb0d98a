using System;
using Abi;

namespace Fs
{
    /// <summary>
    /// The calls that change a mount namespace's table (Fs/Vfs/MountNamespace.cs), as Linux defines them:
    /// mount (a new file system of a registered type, Fs/Vfs/FileSystemTypes.cs, or a bind mount), umount,
    /// and pivot_root. Each works on the caller's namespace (Fs/Vfs/Mounts.cs), so a container's mounts stay
    /// inside it. Who may call them (root) is the syscall's question; the paths are looked up as <c>who</c>,
    /// relative ones from <c>start</c> (the caller's current directory).
    /// </summary>
    public static class MountOperations
    {
        /// <summary>
        /// mount(source, target, type, flags, data). With MountFlags.Bind: the directory <paramref name="source"/>
        /// is seen at <paramref name="target"/> too (read-only with MountFlags.ReadOnly), the type ignored. Else a new
        /// volume of <paramref name="type"/>. 0, or -EINVAL (unknown flags), -ENODEV (no such type), -ENOTDIR (a
        /// target or bind source that is not a directory), -ENOENT, -EBUSY (already a mount point), -ENOSPC (table
        /// full), or the type's own error.
        /// </summary>
        public static int Mount(Credentials who, VfsNode start, ReadOnlySpan<char> source, ReadOnlySpan<char> target, ReadOnlySpan<char> type, int flags, ReadOnlySpan<char> data)
        {
            if ((flags & ~(MountFlags.ReadOnly | MountFlags.Bind)) != 0) return -Errno.EINVAL;
            bool bind = (flags & MountFlags.Bind) != 0;
            FileSystemType maker = bind ? null : FileSystemTypes.Find(type);
            if (!bind && maker == null) return -Errno.ENODEV;
            int error = Paths.Resolve(who, start, target, followLast: true, out VfsNode directory);
            if (error < 0) return error;
            // Linux may bind a file onto a file; TeachOS mounts only on directories (its table crosses at directories).
            if (directory.Kind != FileKind.Directory) { directory.Put(); return -Errno.ENOTDIR; }
            Volume volume;
            error = bind ? MakeBind(who, start, source, (flags & MountFlags.ReadOnly) != 0, out volume)
                         : maker.Create(who, start, source, flags, data, out volume);
            if (error < 0) { directory.Put(); return error; }
            MountNamespace mounts = Mounts.HoldCurrent();
            error = mounts.Add(directory, volume, bind ? "bind" : maker.Name, source);
            mounts.Release();
            volume.Release();                   // the maker's reference: the table holds its own (or nothing, on failure)
            return error;
        }

        private static int MakeBind(Credentials who, VfsNode start, ReadOnlySpan<char> source, bool readOnly, out Volume volume)
        {
            volume = null;
            int error = Paths.Resolve(who, start, source, followLast: true, out VfsNode shown);
            if (error < 0) return error;
            if (shown.Kind != FileKind.Directory) { shown.Put(); return -Errno.ENOTDIR; }
            volume = new BindVolume(shown, readOnly);
            return 0;
        }

        /// <summary>
        /// umount(target): the mount whose root <paramref name="target"/> names leaves the caller's namespace. 0, or
        /// -EINVAL (not a mount point), -EBUSY ("/", another mount on a directory of it, or a process of the
        /// namespace with its current directory or an open file there).
        /// </summary>
        public static int Unmount(Credentials who, VfsNode start, ReadOnlySpan<char> target)
        {
            int error = Paths.Resolve(who, start, target, followLast: true, out VfsNode root);
            if (error < 0) return error;
            MountNamespace mounts = Mounts.HoldCurrent();
            error = mounts.FindUnmountable(root, out Volume volume);
            root.Put();                                               // before the busy check: this lookup's own hold is not a use
            if (error == 0 && Mounts.InUse(mounts, volume)) error = -Errno.EBUSY;
            if (error == 0) error = mounts.Remove(volume);
            mounts.Release();
            return error;
        }

        /// <summary>
        /// pivot_root(newRoot, putOld), with Linux's rules (pivot_root(2)): both directories; newRoot a mount point
        /// and not the current root (-EINVAL, -EBUSY); putOld at or under newRoot (-EINVAL) and not a mount point
        /// itself (-EBUSY). Then newRoot's mount is "/" of the caller's namespace and the old root is mounted on
        /// putOld, from where `umount` can take it away. The caller's current directory stays where it is (the
        /// usual sequence is `cd NEW; pivot_root . old; cd /`).
        /// </summary>
        public static int PivotRoot(Credentials who, VfsNode start, ReadOnlySpan<char> newRootPath, ReadOnlySpan<char> putOldPath)
        {
            int error = Paths.Resolve(who, start, newRootPath, followLast: true, out VfsNode newRoot);
            if (error < 0) return error;
            error = Paths.Resolve(who, start, putOldPath, followLast: true, out VfsNode putOld);
            if (error < 0) { newRoot.Put(); return error; }
            MountNamespace mounts = Mounts.HoldCurrent();
            VfsNode oldRoot = mounts.HoldRoot();
            if (newRoot.Kind != FileKind.Directory || putOld.Kind != FileKind.Directory) error = -Errno.ENOTDIR;
            else if (newRoot.IsSameAs(oldRoot)) error = -Errno.EBUSY;
            else if (mounts.DirectoryCoveredBy(newRoot) is VfsNode covered) covered.Put();   // a mount point: as it must be
            else error = -Errno.EINVAL;
            if (error == 0 && !IsAtOrBelow(mounts, putOld, newRoot)) error = -Errno.EINVAL;
            if (error == 0 && mounts.IsBusy(putOld)) error = -Errno.EBUSY;                  // putOld = newRoot included
            if (error == 0)
            {
                putOld.Hold();                                        // the table's reference
                error = mounts.SwapRoot(newRoot, putOld);
            }
            oldRoot.Put();
            mounts.Release();
            putOld.Put();
            newRoot.Put();
            return error;
        }

        // Climbs ".." from node, across the mount points of mounts, to its root: does it pass ancestor?
        private static bool IsAtOrBelow(MountNamespace mounts, VfsNode node, VfsNode ancestor)
        {
            const int MaximumDepth = 128;
            node.Hold();
            bool found = false;
            for (int depth = 0; depth < MaximumDepth && !found; depth++)
            {
                if (node.IsSameAs(ancestor)) { found = true; break; }
                VfsNode covered;
                while ((covered = mounts.DirectoryCoveredBy(node)) != null)
                {
                    node.Put();
                    node = covered;
                }
                if (node.Lookup("..", out VfsNode parent) < 0 || parent.IsSameAs(node)) { parent?.Put(); break; }
                node.Put();
                node = parent;
            }
            node.Put();
            return found;
        }
    }
}
