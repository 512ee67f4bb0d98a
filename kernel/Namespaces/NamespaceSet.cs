using Abi;
using Ipc;
using Proc;
using Sync;

namespace Namespaces
{
    /// <summary>
    /// The namespaces a process lives in, one of each kind, held together (Linux's nsproxy). A namespace
    /// decides what a name means to a process: in the IPC namespace, which queue "/jobs" is. fork and spawn
    /// give the child a reference to the parent's set, so a family of processes shares one view until one
    /// of them calls unshare, which builds a new set: a fresh namespace of each kind it names, the same
    /// namespaces for the others. A set is freed when the last process using it exits, and each namespace
    /// in it when the last set using that one goes (IpcNamespace counts its members).
    ///
    /// Kinds: IPC now (Ipc/IpcNamespace.cs). The containers' PID, mount, UTS and network namespaces become
    /// fields of this class, each a file of its own, and unshare flags (abi/Ipc.cs NamespaceFlags, Linux's
    /// CLONE_NEW* values); until then their flags give -EINVAL. The user namespace is not here but in the
    /// process's credentials (Fs/Permissions/UserNamespace.cs), as Linux keeps it in `cred`: it decides who a
    /// process is, which every permission check reads with the credentials.
    /// Lock: <see cref="s_lock"/> guards every set's reference count and each process's Namespaces field
    /// (another thread of the process may unshare while this one looks a name up). Taken with no other
    /// lock held; nothing is allocated or freed under it.
    /// </summary>
    public sealed class NamespaceSet
    {
        /// <summary>The unshare flags TeachOS implements; the others in NamespaceFlags are reserved.</summary>
        public const int Supported = NamespaceFlags.Ipc | NamespaceFlags.User;

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

        /// <summary>The set <paramref name="process"/> lives in, with a reference for the caller (Release it).</summary>
        public static NamespaceSet HoldOf(Process process)
        {
            bool flags = s_lock.Acquire();
            NamespaceSet set = process.Namespaces;
            set._references++;
            s_lock.Release(flags);
            return set;
        }

        private NamespaceSet Hold()
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
        /// Makes <paramref name="set"/> (whose reference the process takes over) the namespaces of
        /// <paramref name="process"/>, and lets go of the old ones. Null at exit: the process leaves them all.
        /// </summary>
        public static void Enter(Process process, NamespaceSet set)
        {
            bool flags = s_lock.Acquire();
            NamespaceSet old = process.Namespaces;
            process.Namespaces = set;
            s_lock.Release(flags);
            old?.Release();
        }

        /// <summary>
        /// unshare(flags): <paramref name="process"/> moves to a new set with a fresh namespace of each kind in
        /// <paramref name="flags"/>. 0; -EINVAL for a reserved or unknown flag; -ENOMEM.
        /// </summary>
        public static long Unshare(Process process, int flags)
        {
            if ((flags & ~Supported) != 0) return -Errno.EINVAL;
            if (flags == 0) return 0;                                      // nothing to leave: as Linux, not an error
            if (!Mem.MemoryBudget.CanAllocateKernelFrames(1)) return -Errno.ENOMEM;
            if ((flags & NamespaceFlags.User) != 0)
            {
                long entered = EnterNewUserNamespace(process);
                if (entered < 0 || (flags & ~NamespaceFlags.User) == 0) return entered;
            }
            NamespaceSet old = HoldOf(process);
            IpcNamespace ipc;
            if ((flags & NamespaceFlags.Ipc) != 0) ipc = IpcNamespace.Create();
            else
            {
                ipc = old.Ipc;
                ipc.Join();
            }
            Enter(process, new NamespaceSet(ipc));
            old.Release();
            return 0;
        }

        // unshare(User): the caller's credentials move to a new user namespace below theirs, which it owns.
        // One thread only (as Linux): another thread could be in the middle of a check with the old one.
        private static long EnterNewUserNamespace(Process process)
        {
            if (process.LiveThreads > 1) return -Errno.EINVAL;
            Fs.Credentials who = process.Credentials;
            Fs.UserNamespace made = who.UserNamespace.CreateChild(who.EffectiveUserId);
            if (made == null) return -Errno.ENOSPC;
            bool flags = process.CredentialsLock.Acquire();
            Fs.UserNamespace old = who.UserNamespace;
            who.UserNamespace = made;
            process.CredentialsLock.Release(flags);
            old.Release();
            return 0;
        }
    }
}
