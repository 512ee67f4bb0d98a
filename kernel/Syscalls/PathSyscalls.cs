using System;
using Abi;
using Fs;
using Mem;
using Proc;
using TeachOS.Boundary;

namespace Syscalls
{
    /// <summary>
    /// Handlers for the syscalls that name files by path: mkdir, unlink, rmdir, link, symlink, readlink,
    /// rename, chdir, getcwd, stat, lstat (chmod and chown: Syscalls/PermissionSyscalls.cs). Each copies its paths onto the kernel stack (Syscalls/UserPaths.cs),
    /// holds the current directory for the lookup, and leaves the work to Fs/Vfs/PathOperations.cs.
    /// </summary>
    [SyscallHandlers]
    public static unsafe class PathSyscalls
    {
        private static Process Current => Process.Current;

        /// <summary>mkdir(path).</summary>
        public static long MakeDirectory(UserString path)
        {
            char* text = stackalloc char[UserPaths.Capacity];
            long length = UserPaths.CopyIn(path, new Span<char>(text, UserPaths.Capacity));
            if (length < 0) return length;
            VfsNode directory = Current.HoldCurrentDirectory();
            int result = PathOperations.MakeDirectory(Current.Credentials, directory, new ReadOnlySpan<char>(text, (int)length));
            directory.Put();
            return result;
        }

        /// <summary>unlink(path): files and symbolic links.</summary>
        public static long Unlink(UserString path) => Remove(path, directory: false);

        /// <summary>rmdir(path): empty directories.</summary>
        public static long RemoveDirectory(UserString path) => Remove(path, directory: true);

        private static long Remove(UserString path, bool directory)
        {
            char* text = stackalloc char[UserPaths.Capacity];
            long length = UserPaths.CopyIn(path, new Span<char>(text, UserPaths.Capacity));
            if (length < 0) return length;
            VfsNode start = Current.HoldCurrentDirectory();
            int result = PathOperations.Remove(Current.Credentials, start, new ReadOnlySpan<char>(text, (int)length), directory);
            start.Put();
            return result;
        }

        /// <summary>link(existing, newPath).</summary>
        public static long Link(UserString existing, UserString newPath)
        {
            char* from = stackalloc char[UserPaths.Capacity];
            char* to = stackalloc char[UserPaths.Capacity];
            long fromLength = UserPaths.CopyIn(existing, new Span<char>(from, UserPaths.Capacity));
            if (fromLength < 0) return fromLength;
            long toLength = UserPaths.CopyIn(newPath, new Span<char>(to, UserPaths.Capacity));
            if (toLength < 0) return toLength;
            VfsNode start = Current.HoldCurrentDirectory();
            int result = PathOperations.Link(Current.Credentials, start, new ReadOnlySpan<char>(from, (int)fromLength), new ReadOnlySpan<char>(to, (int)toLength));
            start.Put();
            return result;
        }

        /// <summary>symlink(target, linkPath).</summary>
        public static long SymbolicLink(UserString target, UserString linkPath)
        {
            char* what = stackalloc char[UserPaths.Capacity];
            char* at = stackalloc char[UserPaths.Capacity];
            long whatLength = UserPaths.CopyIn(target, new Span<char>(what, UserPaths.Capacity));
            if (whatLength < 0) return whatLength;
            long atLength = UserPaths.CopyIn(linkPath, new Span<char>(at, UserPaths.Capacity));
            if (atLength < 0) return atLength;
            VfsNode start = Current.HoldCurrentDirectory();
            int result = PathOperations.MakeSymbolicLink(Current.Credentials, start, new ReadOnlySpan<char>(what, (int)whatLength), new ReadOnlySpan<char>(at, (int)atLength));
            start.Put();
            return result;
        }

        /// <summary>readlink(path, buffer): the target's bytes (no NUL), cut to the buffer; their count.</summary>
        public static long ReadLink(UserString path, UserBuffer buffer)
        {
            if (buffer.Length == 0) return -Errno.EINVAL;
            if (!UserMemory.InUserSpace(buffer)) return -Errno.EFAULT;
            char* text = stackalloc char[UserPaths.Capacity];
            long length = UserPaths.CopyIn(path, new Span<char>(text, UserPaths.Capacity));
            if (length < 0) return length;
            char* target = stackalloc char[Paths.MaximumPathLength];
            VfsNode start = Current.HoldCurrentDirectory();
            int result = PathOperations.ReadLink(Current.Credentials, start, new ReadOnlySpan<char>(text, (int)length), new Span<char>(target, Paths.MaximumPathLength));
            start.Put();
            if (result < 0) return result;
            return CopyOutText(new ReadOnlySpan<char>(target, result < Paths.MaximumPathLength ? result : Paths.MaximumPathLength), buffer, terminate: false);
        }

        /// <summary>rename(from, to).</summary>
        public static long Rename(UserString from, UserString to)
        {
            char* source = stackalloc char[UserPaths.Capacity];
            char* destination = stackalloc char[UserPaths.Capacity];
            long sourceLength = UserPaths.CopyIn(from, new Span<char>(source, UserPaths.Capacity));
            if (sourceLength < 0) return sourceLength;
            long destinationLength = UserPaths.CopyIn(to, new Span<char>(destination, UserPaths.Capacity));
            if (destinationLength < 0) return destinationLength;
            VfsNode start = Current.HoldCurrentDirectory();
            int result = PathOperations.Rename(Current.Credentials, start, new ReadOnlySpan<char>(source, (int)sourceLength), new ReadOnlySpan<char>(destination, (int)destinationLength));
            start.Put();
            return result;
        }

        /// <summary>chdir(path): relative paths start there from now on (this process; its children inherit it).</summary>
        public static long ChangeDirectory(UserString path)
        {
            char* text = stackalloc char[UserPaths.Capacity];
            long length = UserPaths.CopyIn(path, new Span<char>(text, UserPaths.Capacity));
            if (length < 0) return length;
            VfsNode start = Current.HoldCurrentDirectory();
            int result = Paths.Resolve(Current.Credentials, start, new ReadOnlySpan<char>(text, (int)length), followLast: true, out VfsNode directory);
            start.Put();
            if (result < 0) return result;
            // A directory one may not search is no place to stand: every relative path would fail in it.
            result = directory.Kind != FileKind.Directory ? -Errno.ENOTDIR : FilePermissions.CheckSearch(Current.Credentials, directory.Attributes());
            if (result < 0)
            {
                directory.Put();
                return result;
            }
            Current.SetCurrentDirectory(directory);
            return 0;
        }

        /// <summary>getcwd(buffer): the current directory's absolute path and a NUL; its length (without the NUL). -ERANGE if the buffer is too small.</summary>
        public static long GetCurrentDirectory(UserBuffer buffer)
        {
            if (!UserMemory.InUserSpace(buffer)) return -Errno.EFAULT;
            char* text = stackalloc char[Paths.MaximumPathLength];
            VfsNode directory = Current.HoldCurrentDirectory();
            int length = PathNames.PathOf(directory, new Span<char>(text, Paths.MaximumPathLength));
            directory.Put();
            if (length == -Errno.ERANGE) return -Errno.ENAMETOOLONG;     // longer than any path TeachOS takes
            if (length < 0) return length;
            if ((ulong)length + 1 > buffer.Length) return -Errno.ERANGE;
            return CopyOutText(new ReadOnlySpan<char>(text, length), buffer, terminate: true);
        }

        /// <summary>stat(path, &amp;status): follows a last symbolic link.</summary>
        public static long PathStatus(UserString path, UserPointer<FileStatus> status) => Status(path, status, follow: true);

        /// <summary>lstat(path, &amp;status): a last symbolic link itself.</summary>
        public static long LinkStatus(UserString path, UserPointer<FileStatus> status) => Status(path, status, follow: false);

        private static long Status(UserString path, UserPointer<FileStatus> status, bool follow)
        {
            char* text = stackalloc char[UserPaths.Capacity];
            long length = UserPaths.CopyIn(path, new Span<char>(text, UserPaths.Capacity));
            if (length < 0) return length;
            VfsNode start = Current.HoldCurrentDirectory();
            int result = PathOperations.Status(Current.Credentials, start, new ReadOnlySpan<char>(text, (int)length), follow, out NodeStatus node);
            start.Put();
            if (result < 0) return result;
            var answer = new FileStatus
            {
                Kind = (int)node.Kind, Links = node.Links, Size = node.Size, Inode = node.Inode,
                Mode = node.Attributes.Mode,
                // The owner as the caller's user namespace names it (65534, "nobody", for one it does not map).
                UserId = Current.Credentials.UserNamespace.FromKernel(node.Attributes.UserId, group: false),
                GroupId = Current.Credentials.UserNamespace.FromKernel(node.Attributes.GroupId, group: true),
            };
            return UserMemory.Write(Current.AddressSpace, status, answer) ? 0 : -Errno.EFAULT;
        }

        // Copies text as bytes into the user's buffer (cut to its length), with a NUL if asked; the count without it.
        private static long CopyOutText(ReadOnlySpan<char> text, UserBuffer buffer, bool terminate)
        {
            int count = (ulong)text.Length < buffer.Length ? text.Length : (int)buffer.Length;
            byte* bytes = stackalloc byte[count + 1];
            for (int i = 0; i < count; i++) bytes[i] = (byte)text[i];
            bytes[count] = 0;
            int total = terminate ? count + 1 : count;
            if (!UserMemory.CopyOut(Current.AddressSpace, buffer.Slice(0, (ulong)total), new ReadOnlySpan<byte>(bytes, total))) return -Errno.EFAULT;
            return count;
        }
    }
}
