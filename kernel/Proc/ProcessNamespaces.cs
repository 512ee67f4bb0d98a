using Abi;
using Namespaces;
using Sync;

namespace Proc
{
    /// <summary>
    /// Which namespaces a process lives in (Namespaces/NamespaceSet.cs, and the user namespace in its
    /// credentials), and unshare, which moves it to new ones. fork and spawn hold the parent's set for the
    /// child (<see cref="HoldOf"/>); exit lets go (<see cref="Enter"/> with null).
    /// Lock: <see cref="s_lock"/> guards each process's Namespaces field: another thread of the process may
    /// unshare while this one looks a name up. Taken with no other lock held, or under the scheduler's lock (setns holds another process's set: Sync/SpinLock.cs); nothing is allocated or
    /// freed under it.
    /// </summary>
    public static class ProcessNamespaces
    {
        private static SpinLock s_lock;

        /// <summary>The set <paramref name="process"/> lives in, with a reference for the caller (Release it).</summary>
        public static NamespaceSet HoldOf(Process process)
        {
            bool flags = s_lock.Acquire();
            NamespaceSet set = process.Namespaces;
            set.Hold();                                     // NamespaceSet's own lock, taken under this one: nothing under it
            s_lock.Release(flags);
            return set;
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

        /// <summary>
        /// unshare(flags): <paramref name="process"/> moves to a fresh namespace of each kind in
        /// <paramref name="flags"/>. 0; -EINVAL for a reserved or unknown flag (or User in a process of several
        /// threads, or Pid when the caller's children already have a new PID namespace, as Linux); -EPERM for
        /// Uts, Pid, Mount or Network unless root; -ENOSPC past the deepest user or PID namespace, or past the most
        /// network namespaces (Net/NetworkNamespaces.cs); -ENOMEM.
        /// </summary>
        public static long Unshare(Process process, int flags)
        {
            if ((flags & ~NamespaceSet.Supported) != 0) return -Errno.EINVAL;
            if (flags == 0) return 0;                                      // nothing to leave: as Linux, not an error
            if (!Mem.MemoryBudget.CanAllocateKernelFrames(1)) return -Errno.ENOMEM;
            // Linux asks CAP_SYS_ADMIN for all but the user namespace: a private host name or numbering is a
            // tool for building containers. Checked before the user namespace is entered: root in a new user
            // namespace is root there (Credentials.IsRoot), as with Linux's `unshare -U -r -u`.
            int privileged = NamespaceFlags.Uts | NamespaceFlags.Pid | NamespaceFlags.Mount | NamespaceFlags.Network;
            bool userFirst = (flags & NamespaceFlags.User) != 0;
            if ((flags & privileged) != 0 && !userFirst && !process.Credentials.IsRoot) return -Errno.EPERM;
            if ((flags & NamespaceFlags.User) != 0)
            {
                long entered = EnterNewUserNamespace(process);
                if (entered < 0) return entered;
            }
            if ((flags & NamespaceSet.Kinds) == 0) return 0;
            NamespaceSet old = HoldOf(process);
            PidNamespace newPid = null;
            if ((flags & NamespaceFlags.Pid) != 0)
            {
                // The caller's children must still be born where the caller lives (Linux: -EINVAL otherwise).
                if (old.PidForChildren != process.PidNamespace) { old.Release(); return -Errno.EINVAL; }
                newPid = process.PidNamespace.CreateChild();
                if (newPid == null) { old.Release(); return -Errno.ENOSPC; }     // 32 levels: Linux's limit
            }
            Net.NetworkStack newNetwork = null;
            if ((flags & NamespaceFlags.Network) != 0)
            {
                newNetwork = Net.NetworkNamespaces.Create();     // nothing but its loopback
                if (newNetwork == null)
                {
                    newPid?.Release();
                    old.Release();
                    return -Errno.ENOSPC;
                }
            }
            Enter(process, old.Unshared(flags, newPid, newNetwork));
            old.Release();
            return 0;
        }

        /// <summary>
        /// setns: <paramref name="process"/> joins the namespaces of <paramref name="theirs"/> (another process's set, whose
        /// user namespace is <paramref name="targetOwner"/>) of the kinds in
        /// <paramref name="flags"/> (0: all it has). Linux's rules: the caller must be root in the target's user
        /// namespace (or one above it), else -EPERM; -EINVAL for unknown flags, for User (TeachOS joins no user
        /// namespace), and for a PID namespace that is not the caller's own or one below it (a process may only
        /// move its future children deeper, never out of its own view).
        /// </summary>
        public static long SetNamespaces(Process process, Fs.UserNamespace targetOwner, NamespaceSet theirs, int flags)
        {
            if (flags == 0) flags = NamespaceSet.Kinds;
            if ((flags & ~NamespaceSet.Kinds) != 0) return -Errno.EINVAL;
            Fs.Credentials who = process.Credentials;
            if (!who.IsRoot || !Encloses(who.UserNamespace, targetOwner)) return -Errno.EPERM;
            if ((flags & NamespaceFlags.Pid) != 0 && !process.PidNamespace.Contains(theirs.PidForChildren)) return -Errno.EINVAL;
            NamespaceSet mine = HoldOf(process);
            Enter(process, mine.Joining(theirs, flags));
            mine.Release();
            return 0;
        }

        // True if outer is inner or one of its ancestors: root there is root over inner's processes.
        private static bool Encloses(Fs.UserNamespace outer, Fs.UserNamespace inner)
        {
            for (Fs.UserNamespace at = inner; at != null; at = at.Parent)
                if (at == outer) return true;
            return false;
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
