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
    /// </summary>
    public static class PathOperations
    {
        /// <summary>
        /// The node open(path, flags) should open, held: resolved (following a last symbolic link unless
        /// OpenFlags.NoFollow, which then gives -ELOOP), created with OpenFlags.Create when missing
        /// (-EEXIST with Exclusive if it exists), -ENOTDIR with OpenFlags.Directory for a non-directory.
        /// Truncation and the access checks are the caller's (they depend on the handle).
        /// </summary>
        public static int OpenNode(VfsNode start, ReadOnlySpan<char> path, int flags, out VfsNode node)
        {
            bool create = (flags & OpenFlags.Create) != 0;
            bool exclusive = create && (flags & OpenFlags.Exclusive) != 0;
            bool follow = (flags & OpenFlags.NoFollow) == 0 && !exclusive;
            int error = Paths.Resolve(start, path, follow, out node);
            if (error == -Errno.ENOENT && create)
            {
                error = CreateOrOpen(start, path, follow, exclusive, out node);
            }
            else if (error == 0 && exclusive) error = Drop(ref node, -Errno.EEXIST);
            if (error < 0) return error;
            if (node.Kind == FileKind.SymbolicLink) return Drop(ref node, -Errno.ELOOP);      // O_NOFOLLOW met a link
            if ((flags & OpenFlags.Directory) != 0 && node.Kind != FileKind.Directory) return Drop(ref node, -Errno.ENOTDIR);
            return 0;
        }

        // Rounds of create-then-lookup that open(O_CREAT) makes while a name appears and disappears under it.
        private const int CreateAttempts = 8;

        // open(O_CREAT) of a name that was missing: creates it, or opens what another process created
        // meanwhile (with Exclusive, that is -EEXIST).
        private static int CreateOrOpen(VfsNode start, ReadOnlySpan<char> path, bool follow, bool exclusive, out VfsNode node)
        {
            int error = -Errno.ENOENT;
            node = null;
            for (int attempt = 0; attempt < CreateAttempts && error == -Errno.ENOENT; attempt++)
            {
                error = CreateLast(start, path, FileKind.File, default, out node);
                // Taken meanwhile by another process's create (open it), or by a dangling symbolic link
                // (Linux would create the link's target; TeachOS says ENOENT): resolve once more.
                if (error != -Errno.EEXIST || exclusive) break;
                error = Paths.Resolve(start, path, follow, out node);
                // ENOENT again: the dangling link, or a name that another process created and unlinked
                // between this one's create and its lookup (open with O_CREAT racing unlink, which
                // must not fail): create again, a few times, since the link would answer the same forever.
            }
            return error;
        }

        /// <summary>mkdir: -EEXIST if the name exists (even as a dangling symbolic link).</summary>
        public static int MakeDirectory(VfsNode start, ReadOnlySpan<char> path)
        {
            int error = CreateLast(start, path, FileKind.Directory, default, out VfsNode made);
            if (error == 0) made.Put();
            return error;
        }

        /// <summary>symlink: a new link at <paramref name="path"/> whose target is <paramref name="target"/> (not checked: it may dangle).</summary>
        public static int MakeSymbolicLink(VfsNode start, ReadOnlySpan<char> target, ReadOnlySpan<char> path)
        {
            if (target.Length == 0) return -Errno.ENOENT;
            int error = CreateLast(start, path, FileKind.SymbolicLink, target, out VfsNode made);
            if (error == 0) made.Put();
            return error;
        }

        /// <summary>unlink (<paramref name="directory"/> false) and rmdir (true).</summary>
        public static int Remove(VfsNode start, ReadOnlySpan<char> path, bool directory)
        {
            int error = Paths.ResolveParent(start, path, out VfsNode parent, out ReadOnlySpan<char> name, out bool mustBeDirectory);
            if (error < 0) return error;
            if (name.Length == 0) error = directory ? -Errno.EBUSY : -Errno.EISDIR;                // "/"
            else if (Paths.IsDot(name)) error = directory ? -Errno.EINVAL : -Errno.EISDIR;
            else if (Paths.IsDotDot(name)) error = directory ? -Errno.ENOTEMPTY : -Errno.EISDIR;
            else if (mustBeDirectory && !directory) error = IsDirectory(parent, name) ? -Errno.EISDIR : -Errno.ENOTDIR;
            else if (IsMountPoint(parent, name)) error = -Errno.EBUSY;
            else error = parent.Unlink(name, directory);
            parent.Put();
            return error;
        }

        /// <summary>link: a new name <paramref name="newPath"/> for the file at <paramref name="existingPath"/> (not followed if a link).</summary>
        public static int Link(VfsNode start, ReadOnlySpan<char> existingPath, ReadOnlySpan<char> newPath)
        {
            int error = Paths.Resolve(start, existingPath, followLast: false, out VfsNode target);
            if (error < 0) return error;
            if (target.Kind == FileKind.Directory) return Drop(ref target, -Errno.EPERM);
            error = Paths.ResolveParent(start, newPath, out VfsNode parent, out ReadOnlySpan<char> name, out bool mustBeDirectory);
            if (error == 0)
            {
                if (name.Length == 0 || Paths.IsDot(name) || Paths.IsDotDot(name)) error = -Errno.EEXIST;
                else if (mustBeDirectory) error = -Errno.ENOENT;
                else if (parent.Volume != target.Volume) error = -Errno.EXDEV;
                else error = parent.Link(name, target);
                parent.Put();
            }
            target.Put();
            return error;
        }

        /// <summary>readlink: the target of the link at <paramref name="path"/>, into <paramref name="destination"/>; its length.</summary>
        public static int ReadLink(VfsNode start, ReadOnlySpan<char> path, Span<char> destination)
        {
            int error = Paths.Resolve(start, path, followLast: false, out VfsNode link);
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
        public static int Rename(VfsNode start, ReadOnlySpan<char> from, ReadOnlySpan<char> to)
        {
            int error = Paths.ResolveParent(start, from, out VfsNode fromParent, out ReadOnlySpan<char> fromName, out bool fromSlash);
            if (error < 0) return error;
            error = Paths.ResolveParent(start, to, out VfsNode toParent, out ReadOnlySpan<char> toName, out bool toSlash);
            if (error < 0) return Drop(ref fromParent, error);
            if (fromName.Length == 0 || toName.Length == 0) error = -Errno.EBUSY;
            else if (Paths.IsDot(fromName) || Paths.IsDotDot(fromName) || Paths.IsDot(toName) || Paths.IsDotDot(toName)) error = -Errno.EINVAL;
            else if (fromParent.Volume != toParent.Volume) error = -Errno.EXDEV;
            else if (IsMountPoint(fromParent, fromName) || IsMountPoint(toParent, toName)) error = -Errno.EBUSY;
            else if ((fromSlash || toSlash) && !IsDirectory(fromParent, fromName)) error = -Errno.ENOTDIR;
            else error = fromParent.Rename(fromName, toParent, toName);
            toParent.Put();
            fromParent.Put();
            return error;
        }

        /// <summary>stat (<paramref name="follow"/> true) and lstat (false).</summary>
        public static int Status(VfsNode start, ReadOnlySpan<char> path, bool follow, out NodeStatus status)
        {
            status = default;
            int error = Paths.Resolve(start, path, follow, out VfsNode node);
            if (error < 0) return error;
            status = node.Status();
            node.Put();
            return 0;
        }

        // Creates the last part of path in its parent directory (open's O_CREAT, mkdir, symlink).
        private static int CreateLast(VfsNode start, ReadOnlySpan<char> path, FileKind kind, ReadOnlySpan<char> target, out VfsNode made)
        {
            made = null;
            int error = Paths.ResolveParent(start, path, out VfsNode parent, out ReadOnlySpan<char> name, out bool mustBeDirectory);
            if (error < 0) return error;
            if (name.Length == 0 || Paths.IsDot(name) || Paths.IsDotDot(name)) error = -Errno.EEXIST;
            else if (mustBeDirectory && kind != FileKind.Directory) error = kind == FileKind.File ? -Errno.EISDIR : -Errno.ENOENT;
            else error = parent.Create(name, kind, target, out made);
            parent.Put();
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
