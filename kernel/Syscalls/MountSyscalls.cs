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
    /// Handlers for the mount calls (Fs/Vfs/MountOperations.cs) and setns (Proc/ProcessNamespaces.cs). Each
    /// copies its strings onto the kernel stack first (they are hostile: -EFAULT, -ENAMETOOLONG), checks who
    /// calls, and leaves the work to the layers below. Mounting is root's: a mount over /bin would decide what
    /// every program runs. TeachOS asks for root of the initial user namespace, since its mount namespaces do
    /// not record the user namespace that owns them (Linux lets root of a user namespace mount in a mount
    /// namespace that user namespace owns).
    /// </summary>
    [SyscallHandlers]
    public static unsafe class MountSyscalls
    {
        private static Process Current => Process.Current;

        private static bool MayMount => Current.Credentials.IsRoot && Current.Credentials.UserNamespace.IsInitial;

        /// <summary>mount(source, target, type, flags, data).</summary>
        public static long Mount(UserString source, UserString target, UserString type, int flags, UserString data)
        {
            char* sourceText = stackalloc char[UserPaths.Capacity];
            char* targetText = stackalloc char[UserPaths.Capacity];
            char* typeText = stackalloc char[UserPaths.Capacity];
            char* dataText = stackalloc char[UserPaths.Capacity];
            long sourceLength = UserPaths.CopyIn(source, new Span<char>(sourceText, UserPaths.Capacity));
            if (sourceLength < 0) return sourceLength;
            long targetLength = UserPaths.CopyIn(target, new Span<char>(targetText, UserPaths.Capacity));
            if (targetLength < 0) return targetLength;
            long typeLength = UserPaths.CopyIn(type, new Span<char>(typeText, UserPaths.Capacity));
            if (typeLength < 0) return typeLength;
            long dataLength = UserPaths.CopyIn(data, new Span<char>(dataText, UserPaths.Capacity));
            if (dataLength < 0) return dataLength;
            if (!MayMount) return -Errno.EPERM;
            VfsNode start = Current.HoldCurrentDirectory();
            int result = MountOperations.Mount(Current.Credentials, start,
                new ReadOnlySpan<char>(sourceText, (int)sourceLength), new ReadOnlySpan<char>(targetText, (int)targetLength),
                new ReadOnlySpan<char>(typeText, (int)typeLength), flags, new ReadOnlySpan<char>(dataText, (int)dataLength));
            start.Put();
            return result;
        }

        /// <summary>umount(target).</summary>
        public static long Unmount(UserString target)
        {
            char* text = stackalloc char[UserPaths.Capacity];
            long length = UserPaths.CopyIn(target, new Span<char>(text, UserPaths.Capacity));
            if (length < 0) return length;
            if (!MayMount) return -Errno.EPERM;
            VfsNode start = Current.HoldCurrentDirectory();
            int result = MountOperations.Unmount(Current.Credentials, start, new ReadOnlySpan<char>(text, (int)length));
            start.Put();
            return result;
        }

        /// <summary>pivot_root(newRoot, putOld).</summary>
        public static long PivotRoot(UserString newRoot, UserString putOld)
        {
            char* newText = stackalloc char[UserPaths.Capacity];
            char* oldText = stackalloc char[UserPaths.Capacity];
            long newLength = UserPaths.CopyIn(newRoot, new Span<char>(newText, UserPaths.Capacity));
            if (newLength < 0) return newLength;
            long oldLength = UserPaths.CopyIn(putOld, new Span<char>(oldText, UserPaths.Capacity));
            if (oldLength < 0) return oldLength;
            if (!MayMount) return -Errno.EPERM;
            VfsNode start = Current.HoldCurrentDirectory();
            int result = MountOperations.PivotRoot(Current.Credentials, start, new ReadOnlySpan<char>(newText, (int)newLength), new ReadOnlySpan<char>(oldText, (int)oldLength));
            start.Put();
            return result;
        }

        /// <summary>One line of the caller's mount table: its type, source, mount point (a path in the caller's namespace) and flags.</summary>
        public static long ReadMount(int index, UserPointer<MountInfo> info)
        {
            char* type = stackalloc char[MountInfo.MaximumType];
            char* source = stackalloc char[MountInfo.MaximumSource];
            char* target = stackalloc char[MountInfo.MaximumTarget];
            MountNamespace mounts = Mounts.HoldCurrent();
            bool found = mounts.Read(index, new Span<char>(type, MountInfo.MaximumType), out int typeLength,
                new Span<char>(source, MountInfo.MaximumSource), out int sourceLength, out VfsNode covered, out Volume volume);
            var result = new MountInfo();
            if (found)
            {
                result.Flags = volume.ReadOnly ? MountFlags.ReadOnly : 0;
                result.TypeLength = typeLength;
                result.SourceLength = sourceLength;
                for (int i = 0; i < typeLength; i++) result.Type[i] = (byte)type[i];
                for (int i = 0; i < sourceLength; i++) result.Source[i] = (byte)source[i];
                // Where it is mounted, as this namespace names it; "/" for the root (and for a mount point the
                // namespace cannot name: one under an old root that pivot_root left unreachable).
                int targetLength = covered == null ? -1 : PathNames.PathOf(covered, new Span<char>(target, MountInfo.MaximumTarget));
                if (targetLength <= 0) { target[0] = '/'; targetLength = 1; }
                result.TargetLength = targetLength;
                for (int i = 0; i < targetLength; i++) result.Target[i] = (byte)target[i];
                covered?.Put();
            }
            mounts.Release();
            if (!UserMemory.Write(Current.AddressSpace, info, result)) return -Errno.EFAULT;
            return found ? 1 : 0;
        }

        /// <summary>setns(pid, flags): joins process pid's namespaces (Proc/ProcessNamespaces.cs SetNamespaces).</summary>
        public static long SetNamespaces(int pid, int flags)
        {
            // The target's user namespace and namespace set, held under the scheduler's lock so that the process
            // cannot be reaped between finding it and holding them.
            UserNamespace owner = null;
            NamespaceSet theirs = null;
            bool locked = Scheduler.ThreadStateLock.Acquire();
            Process target = Processes.Find(pid, Current.PidNamespace);
            if (target != null && !target.IsZombie)
            {
                owner = target.Credentials.UserNamespace.Hold();
                theirs = ProcessNamespaces.HoldOf(target);
            }
            Scheduler.ThreadStateLock.Release(locked);
            if (theirs == null) return -Errno.ESRCH;
            long result = ProcessNamespaces.SetNamespaces(Current, owner, theirs, flags);
            theirs.Release();
            owner.Release();
            return result;
        }
    }
}
