using System;
using Abi;

namespace Fs
{
    /// <summary>
    /// Path resolution: from a path to a node, across mount points and symbolic links.
    /// <list type="bullet">
    /// <item>A path starting with "/" starts at the root of the caller's mount namespace (Fs/Vfs/Mounts.cs:
    ///   after pivot_root, a container's image); any other path starts at the directory the caller gives
    ///   (the process's current directory). The mount points crossed are that namespace's too.</item>
    /// <item>"." stays, ".." goes up; at a mounted volume's root ".." first steps back onto the
    ///   directory it covers (so "/disk/.." is "/"), and "/.." is "/".</item>
    /// <item>Stepping into a directory that a volume is mounted on lands on that volume's root.</item>
    /// <item>A symbolic link met before the last part is always followed; the last part is followed
    ///   unless the caller asks not to (lstat, readlink, unlink, O_NOFOLLOW). A relative target is
    ///   read from the link's own directory. At most <see cref="MaximumSymbolicLinks"/> links are
    ///   followed in one resolution (xv6's symlink lab allows 10): one more is -ELOOP, which is how a
    ///   loop (a -> b -> a) ends.</item>
    /// <item>A part longer than the volume's MaximumNameLength is -ENAMETOOLONG; a file where a
    ///   directory must be (before another part, or before a trailing slash) is -ENOTDIR.</item>
    /// <item>Each step looks a name up in a directory only if <c>who</c> may search it (its x bit for
    ///   who's class: Fs/Permissions/FilePermissions.cs), else -EACCES: a 0700 directory hides
    ///   everything below it from other users, whatever the modes further down say.</item>
    /// </list>
    /// Each step holds the node it stands on (a reference, not a lock) and calls the node's Lookup with
    /// no lock held, so a disk directory may sleep reading its blocks. Nothing here allocates.
    /// </summary>
    public static unsafe class Paths
    {
        public const int MaximumSymbolicLinks = 10;

        /// <summary>The longest path (and symbolic link target) in characters: a user string's limit.</summary>
        public const int MaximumPathLength = Mem.UserMemory.MaximumStringLength;

        /// <summary>
        /// The node <paramref name="path"/> names, held, starting from <paramref name="start"/> for a
        /// relative path. <paramref name="followLast"/> false: a symbolic link as the last part is
        /// returned itself. 0, or -ENOENT (also for ""), -ENOTDIR, -ELOOP, -ENAMETOOLONG.
        /// </summary>
        public static int Resolve(Credentials who, VfsNode start, ReadOnlySpan<char> path, bool followLast, out VfsNode node)
        {
            int linksFollowed = 0;
            MountNamespace mounts = Mounts.HoldCurrent();
            int error = Walk(mounts, who, start, path, followLast, ref linksFollowed, out node);
            mounts.Release();
            return error;
        }

        /// <summary>
        /// The directory that holds (or would hold) <paramref name="path"/>'s last part, held, and that
        /// part as a slice of the path (possibly "." or ".."; empty for "/"). <paramref name="mustBeDirectory"/>
        /// is true when the path ends in "/" ("new/": only a directory may have that name).
        /// </summary>
        public static int ResolveParent(Credentials who, VfsNode start, ReadOnlySpan<char> path, out VfsNode parent, out ReadOnlySpan<char> name, out bool mustBeDirectory)
        {
            parent = null;
            name = default;
            mustBeDirectory = EndsWithSlash(path);
            if (path.Length == 0) return -Errno.ENOENT;
            int end = path.Length;
            while (end > 0 && path[end - 1] == '/') end--;
            int begin = end;
            while (begin > 0 && path[begin - 1] != '/') begin--;
            name = path.Slice(begin, end - begin);
            int linksFollowed = 0;
            MountNamespace mounts = Mounts.HoldCurrent();
            if (begin == 0)
            {
                if (path[0] == '/') parent = mounts.HoldRoot();         // "/" itself
                else
                {
                    parent = start;                                     // "name"
                    parent.Hold();
                }
            }
            else
            {
                int error = Walk(mounts, who, start, path.Slice(0, begin), followLast: true, ref linksFollowed, out parent);
                if (error < 0) { mounts.Release(); return error; }
            }
            mounts.Release();
            if (parent.Kind == FileKind.Directory) return name.Length > parent.Volume.MaximumNameLength ? Fail(ref parent, -Errno.ENAMETOOLONG) : 0;
            return Fail(ref parent, -Errno.ENOTDIR);
        }

        /// <summary>True for "dir/": the path names a directory, whatever its last part is.</summary>
        public static bool EndsWithSlash(ReadOnlySpan<char> path) => path.Length > 0 && path[path.Length - 1] == '/';

        public static bool IsDot(ReadOnlySpan<char> name) => name.SequenceEqual(".");

        public static bool IsDotDot(ReadOnlySpan<char> name) => name.SequenceEqual("..");

        private static int Walk(MountNamespace mounts, Credentials who, VfsNode start, ReadOnlySpan<char> path, bool followLast, ref int linksFollowed, out VfsNode node)
        {
            node = null;
            if (path.Length == 0) return -Errno.ENOENT;                  // "" names nothing (not the current directory)
            VfsNode at;
            if (path[0] == '/') at = mounts.HoldRoot();
            else
            {
                at = start;
                at.Hold();
            }
            var walker = new PathWalker(path);
            bool more = walker.Next(out ReadOnlySpan<char> part);
            while (more)
            {
                bool last = !walker.Next(out ReadOnlySpan<char> next);
                int error = Step(mounts, who, at, part, out VfsNode child);
                if (error < 0) return Fail(ref at, error);
                if (child.Kind == FileKind.SymbolicLink && (!last || followLast || EndsWithSlash(path)))
                {
                    error = Follow(mounts, who, at, child, ref linksFollowed, out VfsNode target);
                    child.Put();
                    if (error < 0) return Fail(ref at, error);
                    child = target;
                }
                at.Put();
                at = child;
                part = next;
                more = !last;
            }
            if (EndsWithSlash(path) && at.Kind != FileKind.Directory) return Fail(ref at, -Errno.ENOTDIR);
            node = at;
            return 0;
        }

        // One part down (or up) from a directory.
        private static int Step(MountNamespace mounts, Credentials who, VfsNode directory, ReadOnlySpan<char> part, out VfsNode child)
        {
            child = null;
            if (directory.Kind != FileKind.Directory) return -Errno.ENOTDIR;
            if (part.Length > directory.Volume.MaximumNameLength) return -Errno.ENAMETOOLONG;
            int denied = FilePermissions.CheckSearch(who, directory.Attributes());     // ".", ".." and names alike
            if (denied < 0) return denied;
            if (IsDot(part))
            {
                directory.Hold();
                child = directory;
                return 0;
            }
            if (IsDotDot(part))
            {
                // Off a mounted volume's root first: its ".." is the parent of the directory it covers.
                directory.Hold();
                VfsNode covered;
                while ((covered = mounts.DirectoryCoveredBy(directory)) != null)
                {
                    directory.Put();
                    directory = covered;
                }
                int up = directory.Lookup(part, out child);
                directory.Put();
                return up;
            }
            int error = directory.Lookup(part, out child);
            if (error < 0) return error;
            VfsNode mounted;
            while ((mounted = mounts.RootMountedOn(child)) != null)       // into a mount point: its volume's root
            {
                child.Put();
                child = mounted;
            }
            return 0;
        }

        // The node a symbolic link leads to, resolved from the directory that holds the link.
        private static int Follow(MountNamespace mounts, Credentials who, VfsNode directory, VfsNode link, ref int linksFollowed, out VfsNode target)
        {
            target = null;
            if (++linksFollowed > MaximumSymbolicLinks) return -Errno.ELOOP;
            char* text = stackalloc char[MaximumPathLength];
            int length = link.ReadLink(new Span<char>(text, MaximumPathLength));
            if (length < 0) return length;
            if (length > MaximumPathLength) return -Errno.ENAMETOOLONG;
            return Walk(mounts, who, directory, new ReadOnlySpan<char>(text, length), followLast: true, ref linksFollowed, out target);
        }

        private static int Fail(ref VfsNode held, int error)
        {
            held.Put();
            held = null;
            return error;
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
