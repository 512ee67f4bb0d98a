using Abi;

namespace Fs
{
    /// <summary>
    /// A user namespace: its own view of user and group ids. A process inside sees ids through two maps,
    /// one for users and one for groups, each "Count ids from Inside are the parent namespace's from
    /// Outside" (Linux's /proc/PID/uid_map line `0 1000 1`: root inside is uid 1000 outside). The kernel
    /// keeps every credential and every file's owner in the initial namespace's ids (kernel ids), and
    /// translates at the boundary: getuid and stat answer in the caller's ids, an id that has no inside
    /// name shows as <see cref="OverflowId"/> (65534, "nobody"); setuid and chown take the caller's ids and
    /// refuse (-EINVAL) one the map does not name.
    ///
    /// Privilege is narrowed to the namespace: a process whose effective uid is 0 inside is root *over what
    /// its namespace maps*: files whose owner and group are both mapped, ids it may take, processes in its
    /// namespace. A host file owned by an unmapped id (host root's, say) it can only treat as "others" may.
    /// A setuid program whose owner is unmapped runs without the bit: a container's root cannot become the
    /// host's root by running the host's setuid-root `passwd`.
    ///
    /// Each map is written once (Syscalls/NamespaceSyscalls.cs WriteIdMap, the rules there). Until it is,
    /// nothing maps and the namespace can do nothing privileged. Nested namespaces map into their parent's
    /// ids, which are turned into kernel ids when the map is written. A namespace lives while credentials
    /// (Fs/Permissions/Credentials.cs) point to it, or a child namespace does; the initial one for ever.
    /// </summary>
    public sealed class UserNamespace
    {
        public const int OverflowId = 65534;
        public const int MaximumDepth = 32;              // nesting, as Linux: -ENOSPC past it

        public readonly UserNamespace Parent;            // null for the initial namespace
        public readonly int OwnerId;                     // the creator's effective (kernel) uid: it may write the maps unprivileged
        public readonly int Depth;
        private IdMap _users, _groups;
        private int _references = 1;
        private static Sync.SpinLock s_lock;             // references and the maps' one write; nothing taken under it

        /// <summary>One extent: Count ids from Inside are the kernel ids from KernelFirst; Written once set.</summary>
        private struct IdMap
        {
            public bool Written;
            public int Inside, KernelFirst, Count;
        }

        /// <summary>The namespace every process starts in: every id is itself.</summary>
        public static UserNamespace Initial { get; } = new UserNamespace(null, 0);

        private UserNamespace(UserNamespace parent, int ownerId)
        {
            Parent = parent;
            OwnerId = ownerId;
            Depth = parent == null ? 0 : parent.Depth + 1;
        }

        public bool IsInitial => Parent == null;

        /// <summary>A new namespace under this one, created by <paramref name="ownerId"/>; null past MaximumDepth.</summary>
        public UserNamespace CreateChild(int ownerId)
        {
            if (Depth + 1 > MaximumDepth) return null;
            Hold();                                      // a child keeps its parent
            return new UserNamespace(this, ownerId);
        }

        public UserNamespace Hold()
        {
            bool flags = s_lock.Acquire();
            _references++;
            s_lock.Release(flags);
            return this;
        }

        public void Release()
        {
            if (IsInitial) return;
            bool flags = s_lock.Acquire();
            bool gone = --_references == 0;
            s_lock.Release(flags);
            if (!gone) return;
            Parent.Release();
            Mem.KernelHeap.Free(this);
        }

        /// <summary>The kernel id of <paramref name="id"/> as this namespace names it, or -1 if its map does not.</summary>
        public int ToKernel(int id, bool group)
        {
            if (IsInitial) return id;
            IdMap map = group ? _groups : _users;
            return map.Written && id >= map.Inside && id - map.Inside < map.Count ? map.KernelFirst + (id - map.Inside) : -1;
        }

        /// <summary>The id this namespace gives <paramref name="kernelId"/>, or OverflowId if it gives it none.</summary>
        public int FromKernel(int kernelId, bool group)
        {
            if (IsInitial) return kernelId;
            IdMap map = group ? _groups : _users;
            return map.Written && kernelId >= map.KernelFirst && kernelId - map.KernelFirst < map.Count
                ? map.Inside + (kernelId - map.KernelFirst) : OverflowId;
        }

        /// <summary>True if the namespace has a name for <paramref name="kernelId"/>.</summary>
        public bool Maps(int kernelId, bool group)
        {
            if (IsInitial) return true;
            IdMap map = group ? _groups : _users;
            return map.Written && kernelId >= map.KernelFirst && kernelId - map.KernelFirst < map.Count;
        }

        /// <summary>True if this namespace is <paramref name="ancestor"/> or lies below it.</summary>
        public bool IsWithin(UserNamespace ancestor)
        {
            for (UserNamespace at = this; at != null; at = at.Parent)
                if (at == ancestor) return true;
            return false;
        }

        /// <summary>Whether the map of this kind is written, and what it says (for reading it back).</summary>
        public bool ReadMap(bool group, out int inside, out int kernelFirst, out int count)
        {
            IdMap map = group ? _groups : _users;
            inside = map.Inside;
            kernelFirst = map.KernelFirst;
            count = map.Count;
            return map.Written;
        }

        /// <summary>
        /// Sets a map, once: 0, or -EPERM if it was written already (or this is the initial namespace).
        /// The caller has checked who may write what (NamespaceSyscalls.WriteIdMap).
        /// </summary>
        public int WriteMap(bool group, int inside, int kernelFirst, int count)
        {
            if (IsInitial) return -Errno.EPERM;
            bool flags = s_lock.Acquire();
            ref IdMap map = ref group ? ref _groups : ref _users;
            int result = map.Written ? -Errno.EPERM : 0;
            if (result == 0) map = new IdMap { Written = true, Inside = inside, KernelFirst = kernelFirst, Count = count };
            s_lock.Release(flags);
            return result;
        }
    }
}
