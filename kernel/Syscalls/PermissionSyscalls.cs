using System;
using Abi;
using Fs;
using Mem;
using Proc;
using TeachOS.Boundary;

namespace Syscalls
{
    /// <summary>
    /// chmod, fchmod, chown, fchown (94-97): change who owns a file and what its mode allows. Who may is
    /// decided in Fs/Permissions/FilePermissions.cs (ChangeMode, ChangeOwner); the node then stores
    /// the new attributes in one step (a disk inode through the log). umask is with the credentials
    /// (Syscalls/CredentialSyscalls.cs), since it belongs to the process, not to a file.
    /// </summary>
    [SyscallHandlers]
    public static unsafe class PermissionSyscalls
    {
        private static Process Current => Process.Current;

        /// <summary>chmod(path, mode): follows a last symbolic link (a link's own bits mean nothing).</summary>
        public static long ChangeMode(UserString path, int mode)
        {
            long error = Resolve(path, out VfsNode node);
            if (error < 0) return error;
            error = SetMode(node, mode);
            node.Put();
            return error;
        }

        /// <summary>fchmod(descriptor, mode). -EINVAL for a pipe or the console (no node keeps a mode).</summary>
        public static long ChangeModeDescriptor(int descriptor, int mode)
        {
            OpenFile file = Current.Files.Acquire(descriptor);
            if (file == null) return -Errno.EBADF;
            long error = file.Node == null ? -Errno.EINVAL : SetMode(file.Node, mode);
            file.Release();
            return error;
        }

        /// <summary>chown(path, uid, gid), -1 for "unchanged".</summary>
        public static long ChangeOwner(UserString path, int userId, int groupId)
        {
            long error = Resolve(path, out VfsNode node);
            if (error < 0) return error;
            error = SetOwner(node, userId, groupId);
            node.Put();
            return error;
        }

        /// <summary>fchown(descriptor, uid, gid).</summary>
        public static long ChangeOwnerDescriptor(int descriptor, int userId, int groupId)
        {
            OpenFile file = Current.Files.Acquire(descriptor);
            if (file == null) return -Errno.EBADF;
            long error = file.Node == null ? -Errno.EINVAL : SetOwner(file.Node, userId, groupId);
            file.Release();
            return error;
        }

        private static int SetMode(VfsNode node, int mode)
        {
            int error = FilePermissions.ChangeMode(Current.Credentials, node.Attributes(), mode, out NodeAttributes changed);
            return error < 0 ? error : node.SetAttributes(changed);
        }

        private static int SetOwner(VfsNode node, int userId, int groupId)
        {
            // The ids are the caller's user namespace's: kernel ids from here on, -EINVAL for one it does not map.
            UserNamespace space = Current.Credentials.UserNamespace;
            if (userId != UserIds.Unchanged && Credentials.IsValidId(userId) && (userId = space.ToKernel(userId, group: false)) < 0) return -Errno.EINVAL;
            if (groupId != UserIds.Unchanged && Credentials.IsValidId(groupId) && (groupId = space.ToKernel(groupId, group: true)) < 0) return -Errno.EINVAL;
            int error = FilePermissions.ChangeOwner(Current.Credentials, node.Attributes(), userId, groupId, out NodeAttributes changed);
            return error < 0 ? error : node.SetAttributes(changed);
        }

        // The node a path names (following a last link), held; walked with the caller's search rights.
        private static long Resolve(UserString path, out VfsNode node)
        {
            node = null;
            char* text = stackalloc char[UserPaths.Capacity];
            long length = UserPaths.CopyIn(path, new Span<char>(text, UserPaths.Capacity));
            if (length < 0) return length;
            VfsNode start = Current.HoldCurrentDirectory();
            int error = Paths.Resolve(Current.Credentials, start, new ReadOnlySpan<char>(text, (int)length), followLast: true, out node);
            start.Put();
            return error;
        }
    }
}
