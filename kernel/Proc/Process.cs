using Mem;
using Sched;

namespace Proc
{
    /// <summary>
    /// A running program: an address space, open files, and one or more threads. The process is what
    /// a pid names; the threads are what the scheduler runs. It ends when its last thread exits (or it
    /// is killed); it then stays a zombie, holding only its exit status, until its parent collects that
    /// with wait. Orphans (whose parent exited first) are adopted by init, which collects them.
    /// </summary>
    public sealed class Process : ThreadOwner
    {
        // From ThreadOwner (what the scheduler sees): Id, AddressSpace, Killed, Bandwidth, Share and CpuMask (set with Group).
        public string Name;                      // the process's own copy, freed with it (docs/analyzers/TOS0007.md)
        public Process Parent;
        public Fs.FileTable Files;
        public Loader.ProgramImage Image;        // the ELF it runs, for symbols in fault reports
        public Namespaces.NamespaceSet Namespaces;   // what names mean to it (IPC queues); swapped under ProcessNamespaces' lock

        // Its PID namespace (Namespaces/PidNamespace.cs), held, and its pid there and in each namespace above,
        // indexed by level (Pids[0] is Id, the kernel's own number). Set when it joins the process list.
        public Namespaces.PidNamespace PidNamespace;
        public int[] Pids;

        // Its control group (Proc/ResourceGroup.cs): its parent's from birth (fork, spawn), changed by a
        // write to cgroup.procs. Under Scheduler.ThreadStateLock: its threads are counted there (pids),
        // its address space pays there (memory), its ticks add up there (cpu), and the scheduler holds
        // its threads to the group's CPU budget (cpu.max) and share (cpu.weight), which are set with it.
        public ResourceGroup Group
        {
            get => _group;
            set
            {
                _group = value;
                Bandwidth = value?.Bandwidth;
                Share = value?.Share;
                CpuMask = value != null ? value.EffectiveCpus : ulong.MaxValue;
            }
        }

        private ResourceGroup _group;

        // Who it is (Fs/Permissions/Credentials.cs): a copy of its parent's, changed by the setuid family
        // and by exec of a setuid program. Its own threads change it under CredentialsLock; the checks
        // read it without the lock (an id is one aligned int: a reader sees the old or the new value).
        public Fs.Credentials Credentials;
        public Sync.SpinLock CredentialsLock;

        // Where relative paths start (chdir, getcwd), held (Fs/Vfs/VfsNode.cs); fork and spawn pass it on.
        private Fs.VfsNode _currentDirectory;
        private Sync.SpinLock _directoryLock;     // chdir's swap against another thread's lookup

        public bool IsZombie;
        public int ExitStatus;

        public int LiveThreads;
        public int Threads;                      // live and unjoined: what Proc/Limits.cs counts
        public ulong KernelBytes;                // kernel memory held for it (Proc/Limits.cs)
        public int SpawnsUnderWay;               // children being spawned right now (Proc/Limits.cs)
        public Thread MainThread;

        public ulong HeapStart;                  // the program break starts here (end of the ELF's bss)
        public ulong HeapBreak;                  // current end of the heap (sbrk)

        /// <summary>The parent waits here for children to exit (wait syscall).</summary>
        public WaitQueue ChildExited = new WaitQueue("child");

        /// <summary>
        /// Held for every change of the process's memory (the break, its mappings: ProgramBreak.cs), so
        /// that two threads' changes never interleave. It sleeps rather than spins: the holder waits for
        /// other CPUs' TLB shootdowns. AddressSpace.Lock, a spin lock, still guards each table change
        /// against the user-memory copies.
        /// </summary>
        public SleepLock MemoryLock = new SleepLock("memory");

        /// <summary>Its mmap mappings (Proc/MemoryRegions.cs); changed under MemoryLock and AddressSpace.Lock.</summary>
        public MemoryRegions Mappings = new MemoryRegions();

        private static int s_nextId = 1;

        /// <summary>The process of the thread running on this CPU (null in a kernel thread).</summary>
        public static Process Current => Of(Scheduler.Current);

        /// <summary>The process a thread belongs to (null for a kernel thread).</summary>
        public static Process Of(Thread thread) => (Process)thread.Owner;

        /// <summary>The process keeps a copy of <paramref name="name"/> (a piece of its program's path, say).</summary>
        public Process(System.ReadOnlySpan<char> name, Process parent)
        {
            Id = s_nextId++;
            Name = string.Copy(name);
            Parent = parent;
            Credentials = parent != null ? parent.Credentials.Copy() : new Fs.Credentials();    // init: root
        }

        /// <summary>The current directory, with a reference for the caller (Put it after the lookup).</summary>
        public Fs.VfsNode HoldCurrentDirectory()
        {
            bool flags = _directoryLock.Acquire();
            Fs.VfsNode directory = _currentDirectory;
            directory?.Hold();                    // Hold never sleeps: allowed under the spin lock
            _directoryLock.Release(flags);
            if (directory != null) return directory;
            // None set yet (init at first): the root of the process's mount namespace.
            global::Namespaces.NamespaceSet set = ProcessNamespaces.HoldOf(this);
            directory = set.Mount.HoldRoot();
            set.Release();
            return directory;
        }

        /// <summary>True if the current directory is on <paramref name="volume"/> (umount's question: Proc/ProcessMounts.cs).</summary>
        public bool CurrentDirectoryOn(Fs.Volume volume)
        {
            bool flags = _directoryLock.Acquire();
            bool on = _currentDirectory != null && _currentDirectory.Volume == volume;
            _directoryLock.Release(flags);
            return on;
        }

        /// <summary>
        /// Makes <paramref name="directory"/> (held by the caller, whose reference the process takes over)
        /// the current directory; the old one is put outside the lock (a disk node's Put may sleep).
        /// Null lets go of it (at exit).
        /// </summary>
        public void SetCurrentDirectory(Fs.VfsNode directory)
        {
            bool flags = _directoryLock.Acquire();
            Fs.VfsNode old = _currentDirectory;
            _currentDirectory = directory;
            _directoryLock.Release(flags);
            old?.Put();
        }

        public override void StackFreedLocked(Thread thread) => Limits.StackFreedLocked(this);

        public override void ThreadGoneLocked(Thread thread, bool stackStillCharged) =>
            Limits.ThreadGoneLocked(this, stackStillCharged);

        public override void TickLocked() => Group?.ChargeTickLocked();
    }
}
