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
    /// Kinds, each a file of its own: IPC (Ipc/IpcNamespace.cs), UTS (UtsNamespace.cs: the host name) and PID
    /// (PidNamespace.cs). The PID namespace here is the one the process's children will be born in (Linux's
    /// pid_ns_for_children): a process never changes its own pids, so unshare(Pid) only changes this field, and
    /// the process's own namespace is Process.PidNamespace. The network and mount namespaces become more fields
    /// and unshare flags (abi/Ipc.cs NamespaceFlags, Linux's CLONE_NEW* values); until then their flags give -EINVAL.
    /// Lock: <see cref="s_lock"/> guards every set's reference count and each process's Namespaces field
    /// (another thread of the process may unshare while this one looks a name up). Taken with no other
    /// lock held; nothing is allocated or freed under it.
    /// </summary>
    public sealed class NamespaceSet
    {
        /// <summary>The unshare flags TeachOS implements; the others in NamespaceFlags are reserved.</summary>
        public const int Supported = NamespaceFlags.Ipc | NamespaceFlags.Uts | NamespaceFlags.Pid;

        public readonly IpcNamespace Ipc;
        public readonly UtsNamespace Uts;
        public readonly PidNamespace PidForChildren;
        private int _references = 1;

        private static SpinLock s_lock;
        private static NamespaceSet s_initial;          // the first process's: the kernel keeps a reference for ever

        // Takes over one reference to each namespace.
        private NamespaceSet(IpcNamespace ipc, UtsNamespace uts, PidNamespace pidForChildren)
        {
            Ipc = ipc;
            Uts = uts;
            PidForChildren = pidForChildren;
        }

        /// <summary>The set the first processes (spawned by the kernel, with no parent) start in, held for the caller.</summary>
        public static NamespaceSet HoldInitial()
        {
            if (s_initial == null)
            {
                var made = new NamespaceSet(IpcNamespace.Create(), UtsNamespace.CreateInitial(), PidNamespace.HoldInitial());
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

        /// <summary>
        /// True if a child of <paramref name="parent"/> would be born in a PID namespace whose init has exited
        /// (fork and spawn then fail, PidNamespace.EndedErrno). Null (the kernel's first process): false.
        /// </summary>
        public static bool RefusesChildrenOf(Process parent)
        {
            if (parent == null) return false;
            NamespaceSet set = HoldOf(parent);
            bool ended = set.PidForChildren.Ended;
            set.Release();
            return ended;
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
            Uts.Release();
            PidForChildren.Release();
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
        /// <paramref name="flags"/>. 0; -EINVAL for a reserved or unknown flag, or for Pid when the caller's
        /// children already have a new namespace it has not entered (as Linux); -EPERM for Uts or Pid unless
        /// root; -ENOSPC past PidNamespace.MaximumLevel; -ENOMEM.
        /// </summary>
        public static long Unshare(Process process, int flags)
        {
            if ((flags & ~Supported) != 0) return -Errno.EINVAL;
            if (flags == 0) return 0;                                      // nothing to leave: as Linux, not an error
            // Linux asks CAP_SYS_ADMIN for all but the user namespace: a private host name or numbering is a
            // tool for building containers, which only the administrator does.
            if ((flags & (NamespaceFlags.Uts | NamespaceFlags.Pid)) != 0 && !process.Credentials.IsRoot) return -Errno.EPERM;
            if (!Mem.MemoryBudget.CanAllocateKernelFrames(1)) return -Errno.ENOMEM;
            NamespaceSet old = HoldOf(process);
            PidNamespace pid;
            if ((flags & NamespaceFlags.Pid) != 0)
            {
                if (old.PidForChildren != process.PidNamespace) { old.Release(); return -Errno.EINVAL; }
                pid = process.PidNamespace.CreateChild();
                if (pid == null) { old.Release(); return -Errno.ENOSPC; }
            }
            else pid = old.PidForChildren.Hold();
            IpcNamespace ipc;
            if ((flags & NamespaceFlags.Ipc) != 0) ipc = IpcNamespace.Create();
            else
            {
                ipc = old.Ipc;
                ipc.Join();
            }
            UtsNamespace uts = (flags & NamespaceFlags.Uts) != 0 ? old.Uts.Copy() : old.Uts.Hold();
            Enter(process, new NamespaceSet(ipc, uts, pid));
            old.Release();
            return 0;
        }
    }
}
