using Abi;
using Sync;

namespace Namespaces
{
    /// <summary>
    /// A PID namespace: a numbering of processes of its own, starting at 1. Namespaces nest: the initial one
    /// (level 0, whose numbers are the kernel's own Process.Id) is the parent of those made by unshare, and
    /// a process in a namespace at level L has L + 1 pids, one in its namespace and one in each ancestor
    /// (Process.Pids, indexed by level). A process sees only the processes of its namespace and of the
    /// namespaces below it, each under the number it has at the viewer's level (<see cref="PidIn"/>): 0 means
    /// "not visible from there", which getppid returns when the parent is outside.
    ///
    /// unshare(NamespaceFlags.Pid) does not move the caller (its pid cannot change under it): it makes a new
    /// namespace for the caller's children (NamespaceSet.PidForChildren), and the next child is its pid 1, its
    /// init, as on Linux. The init adopts the namespace's orphans; when it exits, every other process of the
    /// namespace (and of the namespaces below) is killed, and no process can be added to it any more: fork
    /// and spawn there give -ENOMEM, Linux's answer (<see cref="Ended"/>).
    ///
    /// Lock: Scheduler.ThreadStateLock guards Init, Ended and the numbering (they change as processes are
    /// added to the list and leave it, under that lock); <see cref="s_lock"/> the reference counts, taken
    /// with or without the scheduler's lock and nothing under it.
    /// </summary>
    public sealed class PidNamespace
    {
        /// <summary>Linux's MAX_PID_NS_LEVEL: 32 namespaces below the initial one; the 33rd is -ENOSPC.</summary>
        public const int MaximumLevel = 32;

        public readonly PidNamespace Parent;     // null for the initial namespace; held
        public readonly int Level;

        /// <summary>Its pid 1 (null until the first process is added); it adopts orphans. Under the scheduler's lock.</summary>
        public Sched.ThreadOwner Init;           // a Proc.Process (this layer's namespaces do not use Proc: Proc/ProcessPids.cs does the rest)

        /// <summary>Its init has exited: the namespace is being emptied, and new processes are refused.</summary>
        public bool Ended;

        private int _nextPid = 1;
        private int _references = 1;

        private static SpinLock s_lock;
        private static PidNamespace s_initial;
        private static int s_live;

        private PidNamespace(PidNamespace parent)
        {
            Parent = parent;
            Level = parent == null ? 0 : parent.Level + 1;
        }

        /// <summary>How many PID namespaces exist (the initial one included): for tests that count what is freed.</summary>
        public static int LiveCount => s_live;

        /// <summary>The initial namespace, held for the caller. Its numbers are the kernel's pids.</summary>
        public static PidNamespace HoldInitial()
        {
            if (s_initial == null)
            {
                var made = new PidNamespace(null);
                bool flags = s_lock.Acquire();
                bool first = s_initial == null;
                if (first) { s_initial = made; s_live++; }
                s_lock.Release(flags);
                if (!first) Mem.KernelHeap.Free(made);
            }
            return s_initial.Hold();
        }

        /// <summary>A new namespace below this one, held for the caller; null past <see cref="MaximumLevel"/>.</summary>
        public PidNamespace CreateChild()
        {
            if (Level >= MaximumLevel) return null;
            var made = new PidNamespace(Hold());
            bool flags = s_lock.Acquire();
            s_live++;
            s_lock.Release(flags);
            return made;
        }

        public PidNamespace Hold()
        {
            bool flags = s_lock.Acquire();
            _references++;
            s_lock.Release(flags);
            return this;
        }

        /// <summary>Lets go of one reference; the last frees the namespace and lets go of its parent.</summary>
        public void Release()
        {
            PidNamespace namespaceToRelease = this;
            while (namespaceToRelease != null)
            {
                bool flags = s_lock.Acquire();
                bool gone = --namespaceToRelease._references == 0;
                if (gone) s_live--;
                s_lock.Release(flags);
                if (!gone) return;
                PidNamespace parent = namespaceToRelease.Parent;
                Mem.KernelHeap.Free(namespaceToRelease);
                namespaceToRelease = parent;
            }
        }

        /// <summary>The next pid of this namespace (Proc/ProcessPids.cs numbers a process with it). Scheduler.ThreadStateLock held.</summary>
        public int TakePidLocked() => _nextPid++;

        /// <summary>True if <paramref name="inner"/> is this namespace or one nested in it.</summary>
        public bool Contains(PidNamespace inner)
        {
            if (inner == null || inner.Level < Level) return false;
            while (inner.Level > Level) inner = inner.Parent;
            return inner == this;
        }

        /// <summary>The errno of a process refused because its namespace has ended (Linux's fork gives ENOMEM).</summary>
        public const int EndedErrno = Errno.ENOMEM;
    }
}
