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
    /// </summary>
    [SyscallHandlers]
    public static unsafe class CredentialSyscalls
    {
        private static Process Current => Process.Current;

        public static long GetUserId() => Current.Credentials.RealUserId;

        public static long GetEffectiveUserId() => Current.Credentials.EffectiveUserId;

        public static long GetGroupId() => Current.Credentials.RealGroupId;

        public static long GetEffectiveGroupId() => Current.Credentials.EffectiveGroupId;

        public static long SetUserId(int userId)
        {
            Process process = Current;
            bool flags = process.CredentialsLock.Acquire();
            int result = process.Credentials.SetUserId(userId);
            process.CredentialsLock.Release(flags);
            return result;
        }

        public static long SetGroupId(int groupId)
        {
            Process process = Current;
            bool flags = process.CredentialsLock.Acquire();
            int result = process.Credentials.SetGroupId(groupId);
            process.CredentialsLock.Release(flags);
            return result;
        }

        public static long SetRealEffectiveUserId(int realUserId, int effectiveUserId)
        {
            Process process = Current;
            bool flags = process.CredentialsLock.Acquire();
            int result = process.Credentials.SetRealEffectiveUserId(realUserId, effectiveUserId);
            process.CredentialsLock.Release(flags);
            return result;
        }

        public static long SetRealEffectiveGroupId(int realGroupId, int effectiveGroupId)
        {
            Process process = Current;
            bool flags = process.CredentialsLock.Acquire();
            int result = process.Credentials.SetRealEffectiveGroupId(realGroupId, effectiveGroupId);
            process.CredentialsLock.Release(flags);
            return result;
        }

        public static long SetUserIds(int realUserId, int effectiveUserId, int savedUserId)
        {
            Process process = Current;
            bool flags = process.CredentialsLock.Acquire();
            int result = process.Credentials.SetUserIds(realUserId, effectiveUserId, savedUserId);
            process.CredentialsLock.Release(flags);
            return result;
        }

        public static long SetGroupIds(int realGroupId, int effectiveGroupId, int savedGroupId)
        {
            Process process = Current;
            bool flags = process.CredentialsLock.Acquire();
            int result = process.Credentials.SetGroupIds(realGroupId, effectiveGroupId, savedGroupId);
            process.CredentialsLock.Release(flags);
            return result;
        }

        public static long GetUserIds(UserPointer<int> realUserId, UserPointer<int> effectiveUserId, UserPointer<int> savedUserId)
        {
            Credentials who = Current.Credentials;
            return WriteThree(realUserId, who.RealUserId, effectiveUserId, who.EffectiveUserId, savedUserId, who.SavedUserId);
        }

        public static long GetGroupIds(UserPointer<int> realGroupId, UserPointer<int> effectiveGroupId, UserPointer<int> savedGroupId)
        {
            Credentials who = Current.Credentials;
            return WriteThree(realGroupId, who.RealGroupId, effectiveGroupId, who.EffectiveGroupId, savedGroupId, who.SavedGroupId);
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
            for (int i = 0; i < count; i++) ids[i] = who.Group(i);
            bool ok = UserMemory.CopyOut(Current.AddressSpace, groups, new ReadOnlySpan<byte>(ids, count * sizeof(int)));
            return ok ? count : -Errno.EFAULT;
        }

        /// <summary>setgroups: root only; the buffer's length must be a multiple of 4 and hold at most UserIds.MaximumGroups.</summary>
        public static long SetGroups(UserBuffer groups)
        {
            if (!Current.Credentials.IsRoot) return -Errno.EPERM;
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
