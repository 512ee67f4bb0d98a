using Abi;
using Fs;
using Ipc;
using Net;
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
    /// Kinds, each a file of its own: IPC (Ipc/IpcNamespace.cs), UTS (UtsNamespace.cs: the host name), PID
    /// (PidNamespace.cs) and mount (Fs/Vfs/MountNamespace.cs: the mount table, which the file system reads on
    /// every lookup, so it lives in the file-system layer). The PID namespace here is the one the process's children will be born in (Linux's
    /// pid_ns_for_children): a process never changes its own pids, so unshare(Pid) only changes this field, and
    /// the process's own namespace is Process.PidNamespace. The network namespace (abi/Ipc.cs NamespaceFlags.Network,
    /// Linux's CLONE_NEWNET) is a network stack of its own (Net/NetworkNamespaces.cs): interfaces, routes, ports. The user namespace is not here but in the
    /// process's credentials (Fs/Permissions/UserNamespace.cs), as Linux keeps it in `cred`: it decides who a
    /// process is, which every permission check reads with the credentials.
    /// Lock: <see cref="s_lock"/> guards every set's reference count. Taken with no other lock held, or under ProcessNamespaces' lock;
    /// nothing is allocated or freed under it.
    /// </summary>
    public sealed class NamespaceSet
    {
        /// <summary>The unshare flags TeachOS implements; the others in NamespaceFlags are reserved.</summary>
        public const int Supported = NamespaceFlags.Ipc | NamespaceFlags.User | NamespaceFlags.Uts | NamespaceFlags.Pid | NamespaceFlags.Mount
            | NamespaceFlags.Network;

        /// <summary>The kinds a set holds (the user namespace is the credentials').</summary>
        public const int Kinds = NamespaceFlags.Ipc | NamespaceFlags.Uts | NamespaceFlags.Pid | NamespaceFlags.Mount | NamespaceFlags.Network;

        public readonly IpcNamespace Ipc;
        public readonly UtsNamespace Uts;
        public readonly PidNamespace PidForChildren;
        public readonly MountNamespace Mount;
        public readonly NetworkStack Network;
        private int _references = 1;

        private static SpinLock s_lock;
        private static NamespaceSet s_initial;          // the first process's: the kernel keeps a reference for ever

        // Takes over one reference to each namespace.
        private NamespaceSet(IpcNamespace ipc, UtsNamespace uts, PidNamespace pidForChildren, MountNamespace mount, NetworkStack network)
        {
            Network = network;
            Ipc = ipc;
            Uts = uts;
            PidForChildren = pidForChildren;
            Mount = mount;
        }

        /// <summary>The set the first processes (spawned by the kernel, with no parent) start in, held for the caller.</summary>
        public static NamespaceSet HoldInitial()
        {
            if (s_initial == null)
            {
                var made = new NamespaceSet(IpcNamespace.Create(), UtsNamespace.CreateInitial(), PidNamespace.HoldInitial(), MountNamespace.Initial.Hold(),
                    NetworkNamespaces.Hold(NetworkStack.Root));
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
            Uts.Release();
            PidForChildren.Release();
            Mount.Release();                    // the last set of a container's namespace: its mounts go (a tmpfs's files)
            NetworkNamespaces.Release(Network); // ... and its network stack: its interfaces, their queued frames
            Mem.KernelHeap.Free(this);
        }

        /// <summary>
        /// unshare's new set: a fresh namespace of each kind in <paramref name="flags"/> (of <see cref="Kinds"/>),
        /// this set's namespaces for the others. Held once, for the process that will use it. For Pid the caller
        /// made the new PID namespace (<paramref name="newPid"/>, whose reference the set takes over), and for Network
        /// the new network stack (<paramref name="newNetwork"/>, likewise).
        /// </summary>
        public NamespaceSet Unshared(int flags, PidNamespace newPid, NetworkStack newNetwork)
        {
            IpcNamespace ipc;
            if ((flags & NamespaceFlags.Ipc) != 0) ipc = IpcNamespace.Create();
            else
            {
                ipc = Ipc;
                ipc.Join();
            }
            UtsNamespace uts = (flags & NamespaceFlags.Uts) != 0 ? Uts.Copy() : Uts.Hold();
            PidNamespace pid = (flags & NamespaceFlags.Pid) != 0 ? newPid : PidForChildren.Hold();
            MountNamespace mount = (flags & NamespaceFlags.Mount) != 0 ? Mount.Copy() : Mount.Hold();
            NetworkStack network = (flags & NamespaceFlags.Network) != 0 ? newNetwork : NetworkNamespaces.Hold(Network);
            return new NamespaceSet(ipc, uts, pid, mount, network);
        }

        /// <summary>
        /// setns's new set: <paramref name="target"/>'s namespace of each kind in <paramref name="flags"/> (of
        /// <see cref="Kinds"/>), this set's for the others. For Pid it is the namespace target's children are born
        /// in, as Linux's setns(CLONE_NEWPID) changes only where the caller's children will live.
        /// </summary>
        public NamespaceSet Joining(NamespaceSet target, int flags)
        {
            IpcNamespace ipc = (flags & NamespaceFlags.Ipc) != 0 ? target.Ipc : Ipc;
            ipc.Join();
            UtsNamespace uts = ((flags & NamespaceFlags.Uts) != 0 ? target.Uts : Uts).Hold();
            PidNamespace pid = ((flags & NamespaceFlags.Pid) != 0 ? target.PidForChildren : PidForChildren).Hold();
            MountNamespace mount = ((flags & NamespaceFlags.Mount) != 0 ? target.Mount : Mount).Hold();
            NetworkStack network = NetworkNamespaces.Hold((flags & NamespaceFlags.Network) != 0 ? target.Network : Network);
            return new NamespaceSet(ipc, uts, pid, mount, network);
        }
    }
}
