using Abi;
using Ipc;
using Sync;

namespace Namespaces
{
    /// <summary>
    /// The namespaces a process lives in, one of each kind, held together (Linux's nsproxy). A namespace
    /// decides what a name means to a process: in the IPC namespace, which queue "/jobs" is. fork and spawn
    /// give the child a reference to the parent's set, so a family of processes shares one view until one
    /// of them calls unshare, which builds a new set (<see cref="Unshared"/>): a fresh namespace of each kind
    /// it names, the same namespaces for the others. A set is freed when the last process using it exits,
    /// and each namespace in it when the last set using that one goes (IpcNamespace counts its members).
    /// Which set a process uses, and the unshare call itself, are the process layer's (Proc/ProcessNamespaces.cs).
    ///
    /// Kinds: IPC now (Ipc/IpcNamespace.cs). The containers' PID, mount, UTS and network namespaces become
    /// fields of this class, each a file of its own, and unshare flags (abi/Ipc.cs NamespaceFlags, Linux's
    /// CLONE_NEW* values); until then their flags give -EINVAL. The user namespace is not here but in the
    /// process's credentials (Fs/Permissions/UserNamespace.cs), as Linux keeps it in `cred`: it decides who a
    /// process is, which every permission check reads with the credentials.
    /// Lock: <see cref="s_lock"/> guards every set's reference count. Taken with no other lock held;
    /// nothing is allocated or freed under it.
    /// </summary>
    public sealed class NamespaceSet
    {
        /// <summary>The unshare flags TeachOS implements; the others in NamespaceFlags are reserved.</summary>
        public const int Supported = NamespaceFlags.Ipc | NamespaceFlags.User;

        /// <summary>The kinds a set holds (the user namespace is the credentials').</summary>
        public const int Kinds = NamespaceFlags.Ipc;

        public readonly IpcNamespace Ipc;
        private int _references = 1;

        private static SpinLock s_lock;
        private static NamespaceSet s_initial;          // the first process's: the kernel keeps a reference for ever

        private NamespaceSet(IpcNamespace ipc) => Ipc = ipc;

        /// <summary>The set the first processes (spawned by the kernel, with no parent) start in, held for the caller.</summary>
        public static NamespaceSet HoldInitial()
        {
            if (s_initial == null)
            {
                var made = new NamespaceSet(IpcNamespace.Create());
                bool flags = s_lock.Acquire();
                bool first = s_initial == null;
                if (first) s_initial = made;
                s_lock.Release(flags);
                if (!first) made.Release();
            }
            return s_initial.Hold();
        }

        /// <summary>Another reference to this set (a child's, or a caller's for the length of a syscall).</summary>
        public NamespaceSet Hold()
        {
            bool flags = s_lock.Acquire();
            _references++;
            s_lock.Release(flags);
            return this;
        }

        public void Release()
        {
            bool flags = s_lock.Acquire();
            bool gone = --_references == 0;
            s_lock.Release(flags);
            if (!gone) return;
            Ipc.Leave();
            Mem.KernelHeap.Free(this);
        }

        /// <summary>
        /// unshare's new set: a fresh namespace of each kind in <paramref name="flags"/> (of <see cref="Kinds"/>),
        /// this set's namespaces for the others. Held once, for the process that will use it.
        /// </summary>
        public NamespaceSet Unshared(int flags)
        {
            IpcNamespace ipc;
            if ((flags & NamespaceFlags.Ipc) != 0) ipc = IpcNamespace.Create();
            else
            {
                ipc = Ipc;
                ipc.Join();
            }
            return new NamespaceSet(ipc);
        }
    }
}
