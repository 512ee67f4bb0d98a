using System;
using Abi;

namespace Fs
{
    /// <summary>
    /// The operations that take path names (open, mkdir, unlink, rmdir, link, symlink, readlink, rename,
    /// stat), built from path resolution (Fs/Vfs/PathResolver.cs) and the nodes' own operations, so that
    /// they work the same on every mounted volume. Each takes the directory a relative path starts from
    /// (the process's current directory) and kernel copies of the paths: the syscalls copy them in.
    /// What crosses volumes is refused here (-EXDEV), as is removing or renaming a mount point (-EBUSY).
    ///
    /// Each also takes <c>who</c> asks (the process's Credentials) and makes the permission checks of
    /// Fs/Permissions/FilePermissions.cs: search on every directory walked (the resolver), write and
    /// search on a directory whose names change, the sticky bit on removal, read or write on open.
    /// A check and the change it allows are two steps; between them another process may change the
    /// node's mode, as on any Unix (the change then applies to the next operation).
    /// </summary>
    public static class PathOperations
    {
        /// <summary>
        /// The node open(path, flags) should open, held: resolved (following a last symbolic link unless
        /// OpenFlags.NoFollow, which then gives -ELOOP), created with OpenFlags.Create when missing
        /// (-EEXIST with Exclusive if it exists), -ENOTDIR with OpenFlags.Directory for a non-directory.
        /// The node must allow what the flags ask (read, write; truncating is writing: -EACCES), unless this
        /// call created it: a file made 0444 by open(O_CREAT | O_WRONLY) is still written by its maker.
        /// Truncation itself is the caller's (it depends on the handle).
        /// </summary>
        public static int OpenNode(Credentials who, VfsNode start, ReadOnlySpan<char> path, int flags, out VfsNode node)
        {
            bool create = (flags & OpenFlags.Create) != 0;
            bool exclusive = create && (flags & OpenFlags.Exclusive) != 0;
            bool follow = (flags & OpenFlags.NoFollow) == 0 && !exclusive;
            bool created = false;
            int error = Paths.Resolve(who, start, path, follow, out node);
            if (error == -Errno.ENOENT && create)
            {
                error = CreateOrOpen(who, start, path, follow, exclusive, out node, out created);
            }
            else if (error == 0 && exclusive) error = Drop(ref node, -Errno.EEXIST);
            if (error < 0) return error;
            if (node.Kind == FileKind.SymbolicLink) return Drop(ref node, -Errno.ELOOP);      // O_NOFOLLOW met a link
            if ((flags & OpenFlags.Directory) != 0 && node.Kind != FileKind.Directory) return Drop(ref node, -Errno.ENOTDIR);
            // A read-only mount refuses writing at open, before the permission bits (Linux's order).
            bool writes = (flags & 3) != OpenFlags.ReadOnly || (flags & OpenFlags.Truncate) != 0;
            if (writes && node.Volume.ReadOnly && node.Kind == FileKind.File) return Drop(ref node, -Errno.EROFS);
            if (!created)
            {
                error = FilePermissions.Check(who, node.Attributes(), node.Kind == FileKind.Directory, FilePermissions.ForOpen(flags));
                if (error < 0) return Drop(ref node, error);
            }
            return 0;
        }

        // Rounds of create-then-lookup that open(O_CREAT) makes while a name appears and disappears under it.
        private const int CreateAttempts = 8;

        // open(O_CREAT) of a name that was missing: creates it, or opens what another process created
        // meanwhile (with Exclusive, that is -EEXIST).
        private static int CreateOrOpen(Credentials who, VfsNode start, ReadOnlySpan<char> path, bool follow, bool exclusive, out VfsNode node, out bool created)
        {
            int error = -Errno.ENOENT;
            node = null;
            created = false;
            for (int attempt = 0; attempt < CreateAttempts && error == -Errno.ENOENT; attempt++)
            {
                error = CreateLast(who, start, path, FileKind.File, default, out node);
                created = error == 0;
                // Taken meanwhile by another process's create (open it), or by a dangling symbolic link
                // (Linux would create the link's target; TeachOS says ENOENT): resolve once more.
                if (error != -Errno.EEXIST || exclusive) break;
                error = Paths.Resolve(who, start, path, follow, out node);
                // ENOENT again: the dangling link, or a name that another process created and unlinked
                // between this one's create and its lookup (open with O_CREAT racing unlink, which
                // must not fail): create again, a few times, since the link would answer the same forever.
            }
            return error;
        }

        /// <summary>mkdir: -EEXIST if the name exists (even as a dangling symbolic link).</summary>
        public static int MakeDirectory(Credentials who, VfsNode start, ReadOnlySpan<char> path)
        {
            int error = CreateLast(who, start, path, FileKind.Directory, default, out VfsNode made);
            if (error == 0) made.Put();
            return error;
        }

        /// <summary>symlink: a new link at <paramref name="path"/> whose target is <paramref name="target"/> (not checked: it may dangle).</summary>
        public static int MakeSymbolicLink(Credentials who, VfsNode start, ReadOnlySpan<char> target, ReadOnlySpan<char> path)
        {
            if (target.Length == 0) return -Errno.ENOENT;
            int error = CreateLast(who, start, path, FileKind.SymbolicLink, target, out VfsNode made);
            if (error == 0) made.Put();
            return error;
        }

        /// <summary>unlink (<paramref name="directory"/> false) and rmdir (true): write and search on the parent, and its sticky bit.</summary>
        public static int Remove(Credentials who, VfsNode start, ReadOnlySpan<char> path, bool directory)
        {
            int error = Paths.ResolveParent(who, start, path, out VfsNode parent, out ReadOnlySpan<char> name, out bool mustBeDirectory);
            if (error < 0) return error;
            if (name.Length == 0) error = directory ? -Errno.EBUSY : -Errno.EISDIR;                // "/"
            else if (Paths.IsDot(name)) error = directory ? -Errno.EINVAL : -Errno.EISDIR;
            else if (Paths.IsDotDot(name)) error = directory ? -Errno.ENOTEMPTY : -Errno.EISDIR;
            else if (mustBeDirectory && !directory) error = IsDirectory(parent, name) ? -Errno.EISDIR : -Errno.ENOTDIR;
            else if (IsMountPoint(parent, name)) error = -Errno.EBUSY;
            else if ((error = MayRemove(who, parent, name)) == 0) error = parent.Unlink(name, directory);
            parent.Put();
            return error;
        }

        // May who take the name away from directory (unlink, rmdir, rename's source and the target it
        // replaces)? Write and search on the directory; in a sticky one, also own the file or the directory.
        // A missing name passes: the operation itself then says -ENOENT.
        private static int MayRemove(Credentials who, VfsNode directory, ReadOnlySpan<char> name)
        {
            NodeAttributes held = directory.Attributes();
            int error = FilePermissions.CheckChangeEntries(who, held);
            if (error < 0 || (held.Mode & FileMode.Sticky) == 0) return error;
            if (directory.Lookup(name, out VfsNode child) < 0) return 0;
            error = FilePermissions.CheckSticky(who, held, child.Attributes());
            child.Put();
            return error;
        }

        /// <summary>link: a new name <paramref name="newPath"/> for the file at <paramref name="existingPath"/> (not followed if a link).</summary>
        public static int Link(Credentials who, VfsNode start, ReadOnlySpan<char> existingPath, ReadOnlySpan<char> newPath)
        {
            int error = Paths.Resolve(who, start, existingPath, followLast: false, out VfsNode target);
            if (error < 0) return error;
            if (target.Kind == FileKind.Directory) return Drop(ref target, -Errno.EPERM);
            error = Paths.ResolveParent(who, start, newPath, out VfsNode parent, out ReadOnlySpan<char> name, out bool mustBeDirectory);
            if (error == 0)
            {
                if (name.Length == 0 || Paths.IsDot(name) || Paths.IsDotDot(name)) error = -Errno.EEXIST;
                else if (mustBeDirectory) error = -Errno.ENOENT;
                else if (parent.Volume != target.Volume) error = -Errno.EXDEV;
                else if ((error = FilePermissions.CheckChangeEntries(who, parent.Attributes())) == 0) error = parent.Link(name, target);
                parent.Put();
            }
            target.Put();
            return error;
        }

        /// <summary>readlink: the target of the link at <paramref name="path"/>, into <paramref name="destination"/>; its length.</summary>
        public static int ReadLink(Credentials who, VfsNode start, ReadOnlySpan<char> path, Span<char> destination)
        {
            int error = Paths.Resolve(who, start, path, followLast: false, out VfsNode link);
            if (error < 0) return error;
            error = link.Kind == FileKind.SymbolicLink ? link.ReadLink(destination) : -Errno.EINVAL;
            link.Put();
            return error;
        }

        /// <summary>
        /// rename: moves <paramref name="from"/> to <paramref name="to"/>, replacing what is there in one
        /// step. -EXDEV across volumes, -EBUSY for a mount point, -EINVAL for "." or ".." or a directory
        /// moved into itself (the volume checks that under its own lock: Fs/Vfs/VfsNode.cs Rename).
        /// </summary>
        public static int Rename(Credentials who, VfsNode start, ReadOnlySpan<char> from, ReadOnlySpan<char> to)
        {
            int error = Paths.ResolveParent(who, start, from, out VfsNode fromParent, out ReadOnlySpan<char> fromName, out bool fromSlash);
            if (error < 0) return error;
            error = Paths.ResolveParent(who, start, to, out VfsNode toParent, out ReadOnlySpan<char> toName, out bool toSlash);
            if (error < 0) return Drop(ref fromParent, error);
            if (fromName.Length == 0 || toName.Length == 0) error = -Errno.EBUSY;
            else if (Paths.IsDot(fromName) || Paths.IsDotDot(fromName) || Paths.IsDot(toName) || Paths.IsDotDot(toName)) error = -Errno.EINVAL;
            else if (fromParent.Volume != toParent.Volume) error = -Errno.EXDEV;
            else if (IsMountPoint(fromParent, fromName) || IsMountPoint(toParent, toName)) error = -Errno.EBUSY;
            else if ((fromSlash || toSlash) && !IsDirectory(fromParent, fromName)) error = -Errno.ENOTDIR;
            else if ((error = MayRename(who, fromParent, fromName, toParent, toName)) == 0) error = fromParent.Rename(fromName, toParent, toName);
            toParent.Put();
            fromParent.Put();
            return error;
        }

        /// <summary>stat (<paramref name="follow"/> true) and lstat (false).</summary>
        public static int Status(Credentials who, VfsNode start, ReadOnlySpan<char> path, bool follow, out NodeStatus status)
        {
            status = default;
            int error = Paths.Resolve(who, start, path, follow, out VfsNode node);
            if (error < 0) return error;
            status = node.Status();
            node.Put();
            return 0;
        }

        // Creates the last part of path in its parent directory (open's O_CREAT, mkdir, symlink).
        // Creates the last part of path in its parent directory (open's O_CREAT, mkdir, symlink): write and
        // search on the parent; the new node is who's, moded by who's umask (FilePermissions.NewNode).
        private static int CreateLast(Credentials who, VfsNode start, ReadOnlySpan<char> path, FileKind kind, ReadOnlySpan<char> target, out VfsNode made)
        {
            made = null;
            int error = Paths.ResolveParent(who, start, path, out VfsNode parent, out ReadOnlySpan<char> name, out bool mustBeDirectory);
            if (error < 0) return error;
            NodeAttributes directory = parent.Attributes();
            if (name.Length == 0 || Paths.IsDot(name) || Paths.IsDotDot(name)) error = -Errno.EEXIST;
            else if (mustBeDirectory && kind != FileKind.Directory) error = kind == FileKind.File ? -Errno.EISDIR : -Errno.ENOENT;
            else if ((error = FilePermissions.CheckChangeEntries(who, directory)) == 0)
                error = parent.Create(name, kind, target, FilePermissions.NewNode(who, directory, kind), out made);
            parent.Put();
            return error;
        }

        // rename: who may take the name from its directory and put it in the other (replacing what is
        // there: MayRemove on the target too). A directory that changes parent needs write on itself,
        // since its ".." entry changes.
        private static int MayRename(Credentials who, VfsNode fromParent, ReadOnlySpan<char> fromName, VfsNode toParent, ReadOnlySpan<char> toName)
        {
            int error = MayRemove(who, fromParent, fromName);
            if (error == 0) error = MayRemove(who, toParent, toName);
            if (error < 0 || fromParent.IsSameAs(toParent)) return error;
            if (fromParent.Lookup(fromName, out VfsNode moving) < 0) return 0;
            if (moving.Kind == FileKind.Directory) error = FilePermissions.Check(who, moving.Attributes(), isDirectory: true, FilePermissions.Write);
            moving.Put();
            return error;
        }

        private static bool IsDirectory(VfsNode parent, ReadOnlySpan<char> name)
        {
            if (parent.Lookup(name, out VfsNode child) < 0) return false;
            bool directory = child.Kind == FileKind.Directory;
            child.Put();
            return directory;
        }

        private static bool IsMountPoint(VfsNode parent, ReadOnlySpan<char> name)
        {
            if (parent.Lookup(name, out VfsNode child) < 0) return false;
            bool busy = Mounts.IsBusy(child);
            child.Put();
            return busy;
        }

        private static int Drop(ref VfsNode held, int error)
        {
            held.Put();
            held = null;
            return error;
        }
    }
}
