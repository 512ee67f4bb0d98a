using System;
using Abi;
using Fs;
using Mem;
using Namespaces;
using Proc;
using Sched;
using TeachOS.Boundary;

namespace Syscalls
{
    /// <summary>
    /// Handlers for the namespaces (Namespaces/NamespaceSet.cs, Fs/Permissions/UserNamespace.cs): unshare,
    /// the user namespace's maps, written once and read back as Linux's /proc/PID/uid_map and gid_map, and
    /// the UTS namespace's host name (Namespaces/UtsNamespace.cs).
    /// </summary>
    [SyscallHandlers]
    public static unsafe class NamespaceSyscalls
    {
        /// <summary>unshare(flags): the caller leaves the namespaces named for new ones. 0, or -EINVAL, -EPERM, -ENOSPC, -ENOMEM.</summary>
        public static long Unshare(int flags) => ProcessNamespaces.Unshare(Process.Current, flags);

        /// <summary>
        /// Writes the map of <paramref name="kind"/> of the user namespace of process <paramref name="pid"/>, under
        /// Linux's rules (user_namespaces(7), "Defining user and group ID mappings"):
        /// <list type="number">
        /// <item>the writer is in that namespace or in its parent;</item>
        /// <item>the outside ids are the parent namespace's, and the parent must map them all;</item>
        /// <item>root of the parent namespace may map any such range; anyone else exactly one id, its own
        ///   effective uid (or gid), into a namespace it created (so no one can give itself ids it does not have);</item>
        /// <item>each map is written once.</item>
        /// </list>
        /// </summary>
        public static long WriteIdMap(int pid, int kind, int inside, int outside, int count)
        {
            if (kind != IdMapKind.Users && kind != IdMapKind.Groups) return -Errno.EINVAL;
            if (count < 1 || inside < 0 || outside < 0 || inside > UserIds.MaximumId - (count - 1) || outside > UserIds.MaximumId - (count - 1))
                return -Errno.EINVAL;
            UserNamespace target = HoldNamespaceOf(pid);
            if (target == null) return -Errno.ESRCH;
            long result = WriteIdMap(target, kind == IdMapKind.Groups, inside, outside, count);
            target.Release();
            return result;
        }

        private static long WriteIdMap(UserNamespace target, bool group, int inside, int outside, int count)
        {
            Credentials writer = Process.Current.Credentials;
            if (target.IsInitial) return -Errno.EPERM;                     // its map is every id, for good
            if (writer.UserNamespace != target && writer.UserNamespace != target.Parent) return -Errno.EPERM;
            // The outside ids as kernel ids: the parent must map the whole range, in one piece.
            int kernelFirst = target.Parent.ToKernel(outside, group);
            int kernelLast = target.Parent.ToKernel(outside + count - 1, group);
            if (kernelFirst < 0 || kernelLast < 0 || kernelLast - kernelFirst != count - 1) return -Errno.EPERM;
            bool privileged = writer.UserNamespace == target.Parent && writer.IsRoot;
            if (!privileged)
            {
                int own = group ? writer.EffectiveGroupId : writer.EffectiveUserId;
                if (count != 1 || kernelFirst != own || writer.EffectiveUserId != target.OwnerId) return -Errno.EPERM;
            }
            return target.WriteMap(group, inside, kernelFirst, count);
        }

        /// <summary>Reads a map back: 1 and the entry (outside ids as the namespace's parent names them), 0 if not written yet.</summary>
        public static long ReadIdMap(int pid, int kind, UserPointer<IdMapEntry> entry)
        {
            if (kind != IdMapKind.Users && kind != IdMapKind.Groups) return -Errno.EINVAL;
            UserNamespace target = HoldNamespaceOf(pid);
            if (target == null) return -Errno.ESRCH;
            bool group = kind == IdMapKind.Groups;
            var result = new IdMapEntry { Inside = 0, Outside = 0, Count = UserIds.MaximumId + 1 };     // the initial namespace: all, as themselves
            bool written = true;
            if (!target.IsInitial)
            {
                written = target.ReadMap(group, out int inside, out int kernelFirst, out int count);
                result = written ? new IdMapEntry { Inside = inside, Outside = target.Parent.FromKernel(kernelFirst, group), Count = count } : default;
            }
            target.Release();
            if (!UserMemory.Write(Process.Current.AddressSpace, entry, result)) return -Errno.EFAULT;
            return written ? 1 : 0;
        }

        // The user namespace of process `pid` (0: the caller), held, or null if there is no such live process.
        // Under the scheduler's lock, so that the process cannot be freed between finding it and holding.
        private static UserNamespace HoldNamespaceOf(int pid)
        {
            if (pid == 0) return Process.Current.Credentials.UserNamespace.Hold();
            bool flags = Scheduler.ThreadStateLock.Acquire();
            Process process = Processes.Find(pid, Process.Current.PidNamespace);      // as the caller's PID namespace numbers it
            UserNamespace found = process == null || process.IsZombie ? null : process.Credentials.UserNamespace.Hold();
            Scheduler.ThreadStateLock.Release(flags);
            return found;
        }

        /// <summary>sethostname(name): root only; 1 to 64 bytes, copied to the kernel stack before the namespace changes.</summary>
        public static long SetHostName(UserBuffer name)
        {
            if (!Process.Current.Credentials.IsRoot) return -Errno.EPERM;
            if (name.Length == 0 || name.Length > UtsNamespace.MaximumHostName) return -Errno.EINVAL;
            byte* copy = stackalloc byte[UtsNamespace.MaximumHostName];
            var bytes = new Span<byte>(copy, (int)name.Length);
            if (!UserMemory.CopyIn(Process.Current.AddressSpace, name, bytes)) return -Errno.EFAULT;
            NamespaceSet namespaces = ProcessNamespaces.HoldOf(Process.Current);
            namespaces.Uts.WriteHostName(bytes);
            namespaces.Release();
            return 0;
        }

        /// <summary>gethostname(buffer): as much of the name as fits; its whole length.</summary>
        public static long GetHostName(UserBuffer name)
        {
            byte* copy = stackalloc byte[UtsNamespace.MaximumHostName];
            NamespaceSet namespaces = ProcessNamespaces.HoldOf(Process.Current);
            int length = namespaces.Uts.ReadHostName(new Span<byte>(copy, UtsNamespace.MaximumHostName));
            namespaces.Release();
            ulong fits = name.Length < (ulong)length ? name.Length : (ulong)length;
            if (fits > 0 && !UserMemory.CopyOut(Process.Current.AddressSpace, name, new ReadOnlySpan<byte>(copy, (int)fits))) return -Errno.EFAULT;
            return length;
        }
    }
}
