using System;
using TeachOS.Boundary;

namespace Abi
{
    /// <summary>The mount namespace's system calls (112-115): mount, umount, pivot_root, the mount list. Part of the one table in abi/Syscalls.cs.</summary>
    public partial interface ISyscalls
    {
        // ---- Mounts (112-115; kernel/Fs/Vfs/MountOperations.cs, guide chapter 10 section 6). ----

        /// <summary>
        /// mount: in the caller's mount namespace, puts a file system on the directory <paramref name="target"/>.
        /// With MountFlags.Bind (abi/Mounts.cs) the directory <paramref name="source"/> is seen there too (read-only
        /// with MountFlags.ReadOnly: every change through it is -EROFS), and <paramref name="type"/> is ignored; else
        /// a new file system of <paramref name="type"/> ("tmpfs", or one another part registers: kernel/Fs/Vfs/FileSystemTypes.cs),
        /// with <paramref name="source"/> as its label and <paramref name="data"/> as its options. Root of the initial
        /// user namespace only (-EPERM); -ENODEV for an unknown type, -ENOTDIR for a target (or bind source) that is
        /// not a directory, -EBUSY for a target that is a mount point already, -ENOSPC when the table is full,
        /// -EINVAL for unknown flags, -ENOENT, -EFAULT.
        /// </summary>
        [Syscall(112)] long Mount(string source, string target, string type, int flags, string data);

        /// <summary>
        /// umount: the mount at <paramref name="target"/> leaves the caller's namespace (a tmpfs no namespace
        /// mounts any more frees its files). Root only (-EPERM); -EINVAL if target is not a mount point; -EBUSY for
        /// "/", when another mount sits on a directory of it, or when a process of the namespace has its current
        /// directory or an open file on it.
        /// </summary>
        [Syscall(113)] long Unmount(string target);

        /// <summary>
        /// pivot_root: the mount at <paramref name="newRoot"/> becomes "/" of the caller's namespace and the old root
        /// is mounted at <paramref name="putOld"/> (which must be at or under newRoot), ready to be unmounted. Linux's
        /// rules: root only (-EPERM); -ENOTDIR; -EINVAL if newRoot is not a mount point or putOld is not under it;
        /// -EBUSY if newRoot is the current root or putOld is a mount point.
        /// </summary>
        [Syscall(114)] long PivotRoot(string newRoot, string putOld);

        /// <summary>
        /// The <paramref name="index"/>-th mount of the caller's namespace ("/" first), as a line of Linux's
        /// /proc/self/mounts (abi/Mounts.cs MountInfo): 1, or 0 past the end; -EFAULT.
        /// </summary>
        [Syscall(115)] long ReadMount(int index, out MountInfo info);
    }
}
