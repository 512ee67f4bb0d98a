using System;
using Abi;
using Fs;
using Mem;
using Proc;
using TeachOS.Boundary;

namespace Syscalls
{
    /// <summary>
    /// The credentials syscalls (80-93): read and change who the calling process is. The rules are in
    /// Fs/Permissions/Credentials.cs; each change runs under the process's CredentialsLock, so two of its
    /// threads changing ids at once take turns, and a failed change leaves every id as it was.
    /// Ids cross the boundary in the caller's user namespace (Fs/Permissions/UserNamespace.cs): what a
    /// process reads is its namespace's name for the kernel id (65534 if none), what it passes is turned
    /// into a kernel id first, and an id the namespace does not map is -EINVAL, as on Linux.
    /// </summary>
    [SyscallHandlers]
    public static unsafe class CredentialSyscalls
    {
        private static Process Current => Process.Current;

        public static long GetUserId() => Seen(Current.Credentials.RealUserId, group: false);

        public static long GetEffectiveUserId() => Seen(Current.Credentials.EffectiveUserId, group: false);

        public static long GetGroupId() => Seen(Current.Credentials.RealGroupId, group: true);

        public static long GetEffectiveGroupId() => Seen(Current.Credentials.EffectiveGroupId, group: true);

        // A kernel id as the caller's user namespace names it.
        private static int Seen(int kernelId, bool group) => Current.Credentials.UserNamespace.FromKernel(kernelId, group);

        // An id the caller passed, as a kernel id: Unchanged stays, an invalid one stays (the rules refuse it),
        // one the namespace does not map becomes -1 with `unmapped` set.
        private static int Kernel(int id, bool group, ref bool unmapped)
        {
            if (id == UserIds.Unchanged || !Credentials.IsValidId(id)) return id;
            int kernelId = Current.Credentials.UserNamespace.ToKernel(id, group);
            if (kernelId < 0) unmapped = true;
            return kernelId;
        }

        public static long SetUserId(int userId)
        {
            bool unmapped = false;
            userId = Kernel(userId, false, ref unmapped);
            if (unmapped) return -Errno.EINVAL;
            Process process = Current;
            bool flags = process.CredentialsLock.Acquire();
            int result = process.Credentials.SetUserId(userId);
            process.CredentialsLock.Release(flags);
            return result;
        }

        public static long SetGroupId(int groupId)
        {
            bool unmapped = false;
            groupId = Kernel(groupId, true, ref unmapped);
            if (unmapped) return -Errno.EINVAL;
            Process process = Current;
            bool flags = process.CredentialsLock.Acquire();
            int result = process.Credentials.SetGroupId(groupId);
            process.CredentialsLock.Release(flags);
            return result;
        }

        public static long SetRealEffectiveUserId(int realUserId, int effectiveUserId)
        {
            bool unmapped = false;
            realUserId = Kernel(realUserId, false, ref unmapped);
            effectiveUserId = Kernel(effectiveUserId, false, ref unmapped);
            if (unmapped) return -Errno.EINVAL;
            Process process = Current;
            bool flags = process.CredentialsLock.Acquire();
            int result = process.Credentials.SetRealEffectiveUserId(realUserId, effectiveUserId);
            process.CredentialsLock.Release(flags);
            return result;
        }

        public static long SetRealEffectiveGroupId(int realGroupId, int effectiveGroupId)
        {
            bool unmapped = false;
            realGroupId = Kernel(realGroupId, true, ref unmapped);
            effectiveGroupId = Kernel(effectiveGroupId, true, ref unmapped);
            if (unmapped) return -Errno.EINVAL;
            Process process = Current;
            bool flags = process.CredentialsLock.Acquire();
            int result = process.Credentials.SetRealEffectiveGroupId(realGroupId, effectiveGroupId);
            process.CredentialsLock.Release(flags);
            return result;
        }

        public static long SetUserIds(int realUserId, int effectiveUserId, int savedUserId)
        {
            bool unmapped = false;
            realUserId = Kernel(realUserId, false, ref unmapped);
            effectiveUserId = Kernel(effectiveUserId, false, ref unmapped);
            savedUserId = Kernel(savedUserId, false, ref unmapped);
            if (unmapped) return -Errno.EINVAL;
            Process process = Current;
            bool flags = process.CredentialsLock.Acquire();
            int result = process.Credentials.SetUserIds(realUserId, effectiveUserId, savedUserId);
            process.CredentialsLock.Release(flags);
            return result;
        }

        public static long SetGroupIds(int realGroupId, int effectiveGroupId, int savedGroupId)
        {
            bool unmapped = false;
            realGroupId = Kernel(realGroupId, true, ref unmapped);
            effectiveGroupId = Kernel(effectiveGroupId, true, ref unmapped);
            savedGroupId = Kernel(savedGroupId, true, ref unmapped);
            if (unmapped) return -Errno.EINVAL;
            Process process = Current;
            bool flags = process.CredentialsLock.Acquire();
            int result = process.Credentials.SetGroupIds(realGroupId, effectiveGroupId, savedGroupId);
            process.CredentialsLock.Release(flags);
            return result;
        }

        public static long GetUserIds(UserPointer<int> realUserId, UserPointer<int> effectiveUserId, UserPointer<int> savedUserId)
        {
            Credentials who = Current.Credentials;
            return WriteThree(realUserId, Seen(who.RealUserId, false), effectiveUserId, Seen(who.EffectiveUserId, false), savedUserId, Seen(who.SavedUserId, false));
        }

        public static long GetGroupIds(UserPointer<int> realGroupId, UserPointer<int> effectiveGroupId, UserPointer<int> savedGroupId)
        {
            Credentials who = Current.Credentials;
            return WriteThree(realGroupId, Seen(who.RealGroupId, true), effectiveGroupId, Seen(who.EffectiveGroupId, true), savedGroupId, Seen(who.SavedGroupId, true));
        }

        private static long WriteThree(UserPointer<int> first, int a, UserPointer<int> second, int b, UserPointer<int> third, int c)
        {
            AddressSpace space = Current.AddressSpace;
            bool ok = UserMemory.Write(space, first, a) && UserMemory.Write(space, second, b) && UserMemory.Write(space, third, c);
            return ok ? 0 : -Errno.EFAULT;
        }

        /// <summary>getgroups: the supplementary groups, 4 bytes each; an empty buffer asks for the count.</summary>
        public static long GetGroups(UserBuffer groups)
        {
            Credentials who = Current.Credentials;
            int count = who.GroupCount;
            if (groups.Length == 0) return count;
            if (groups.Length < (ulong)count * sizeof(int)) return -Errno.EINVAL;
            int* ids = stackalloc int[UserIds.MaximumGroups];
            for (int i = 0; i < count; i++) ids[i] = Seen(who.Group(i), true);
            bool ok = UserMemory.CopyOut(Current.AddressSpace, groups, new ReadOnlySpan<byte>(ids, count * sizeof(int)));
            return ok ? count : -Errno.EFAULT;
        }

        /// <summary>setgroups: root only; the buffer's length must be a multiple of 4 and hold at most UserIds.MaximumGroups.</summary>
        public static long SetGroups(UserBuffer groups)
        {
            // Not in a user namespace: dropping a group could open what a group's "no" bits close (Linux
            // asks for setgroups "deny" before an unprivileged gid map for the same reason).
            if (!Current.Credentials.IsRoot || !Current.Credentials.UserNamespace.IsInitial) return -Errno.EPERM;
            if (groups.Length % sizeof(int) != 0 || groups.Length > UserIds.MaximumGroups * sizeof(int)) return -Errno.EINVAL;
            int count = (int)(groups.Length / sizeof(int));
            int* ids = stackalloc int[UserIds.MaximumGroups];
            if (!UserMemory.CopyIn(Current.AddressSpace, groups, new Span<byte>(ids, count * sizeof(int)))) return -Errno.EFAULT;
            Process process = Current;
            bool flags = process.CredentialsLock.Acquire();
            int result = process.Credentials.SetGroups(new ReadOnlySpan<int>(ids, count));
            process.CredentialsLock.Release(flags);
            return result;
        }

        /// <summary>umask: the new mask (only the permission bits count); the old one.</summary>
        public static long SetFileCreationMask(int mask)
        {
            Process process = Current;
            bool flags = process.CredentialsLock.Acquire();
            int old = process.Credentials.FileCreationMask;
            process.Credentials.FileCreationMask = mask & FileMode.Permissions;
            process.CredentialsLock.Release(flags);
            return old;
        }
    }
}
