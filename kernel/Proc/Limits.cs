using Arch.X64;
using Boot;
using Mem;
using Sched;

namespace Proc
{
    /// <summary>
    /// How much of the kernel user programs may take. Every process, thread and kernel stack costs the
    /// kernel memory it keeps until the thing is gone: a zombie process until it is collected, a thread
    /// that exited until it is joined. Without limits a program that spawns or creates threads in a loop
    /// runs the kernel out of memory and it panics; with them it gets -EAGAIN ("try again later"), as on
    /// Linux (RLIMIT_NPROC, threads-max). Each limit can be set on the kernel command line:
    /// <code>
    ///   max-procs=N              processes in existence, zombies included            default 64
    ///   max-children=N           children of one process, zombies included (init     default 48
    ///                            has no limit: it adopts every orphan)
    ///   max-threads=N            user threads in existence, unjoined ones included   default 512
    ///   max-threads-per-proc=N   the same, in one process                            default 256
    ///   max-kernel-stacks=N      kernel stacks (user threads + the kernel's own)     default 1024
    ///   kmem-per-proc=KIB        kernel memory one process holds: kernel stacks,     default 16384
    ///                            thread records, its program image
    ///   frame-reserve=FRAMES     frames kept back from users (Mem/MemoryBudget.cs)    default 1024
    /// </code>
    /// The counts are reserved before anything is allocated and given back on every failure path, so a
    /// spawn or thread_create that fails halfway leaves the counts as they were.
    /// Lock: <see cref="Scheduler.ThreadStateLock"/> (the process list and the thread table live under
    /// it too).
    /// </summary>
    public static class Limits
    {
        public static int MaximumProcesses { get; private set; } = 64;
        public static int MaximumChildren { get; private set; } = 48;
        public static int MaximumThreads { get; private set; } = 512;
        public static int MaximumThreadsPerProcess { get; private set; } = 256;
        public static ulong MaximumKernelBytesPerProcess { get; private set; } = 16UL * 1024 * 1024;

        /// <summary>What one thread costs the kernel besides its stack: the Thread, its wait queue, its name.</summary>
        public const ulong ThreadRecordBytes = 512;

        /// <summary>Processes in existence (zombies included) and spawns under way.</summary>
        public static int ProcessCount { get; private set; }

        /// <summary>User threads in existence (unjoined zombies included) and creations under way.</summary>
        public static int ThreadCount { get; private set; }

        /// <summary>Reads the limits from the command line; at boot, before the first thread is created.</summary>
        public static void Configure()
        {
            MaximumProcesses = Read("max-procs", MaximumProcesses, 2, 1 << 20);
            MaximumChildren = Read("max-children", MaximumChildren, 1, 1 << 20);
            MaximumThreads = Read("max-threads", MaximumThreads, 1, 1 << 20);
            MaximumThreadsPerProcess = Read("max-threads-per-proc", MaximumThreadsPerProcess, 1, 1 << 20);
            MaximumKernelBytesPerProcess = (ulong)Read("kmem-per-proc", (int)(MaximumKernelBytesPerProcess / 1024), 64, 1 << 30) * 1024;
            // The kernel's own stacks: an idle thread and three interrupt stacks per CPU, at least 64.
            KernelStack.Configure(Read("max-kernel-stacks", KernelStack.DefaultMaximum, 64, KernelStack.HighestMaximum));
            MemoryBudget.Configure((ulong)Read("frame-reserve", (int)MemoryBudget.DefaultReserveFrames, 64, 1 << 24));
        }

        // key=N with N in [lowest, highest]; anything else keeps the default.
        private static int Read(string key, int defaultValue, int lowest, int highest)
        {
            string text = CommandLine.Get(key);
            if (text != null && uint.TryParse(text, out uint value) && value >= (uint)lowest && value <= (uint)highest) return (int)value;
            return defaultValue;
        }

        // ---- Processes ----

        /// <summary>
        /// Counts a process about to be spawned by <paramref name="parent"/> (null for init itself);
        /// -EAGAIN at the limit of processes, or of the parent's children: one runaway parent cannot
        /// take every slot, and the shell can still start `kill`. Give it back with <see cref="SpawnEndedLocked"/>.
        /// </summary>
        public static long TryAddProcessLocked(Process parent)
        {
            if (ProcessCount >= MaximumProcesses) return -Abi.Errno.EAGAIN;
            if (parent != null && parent != Processes.Init && ChildrenOf(parent) + parent.SpawnsUnderWay >= MaximumChildren)
                return -Abi.Errno.EAGAIN;
            ProcessCount++;
            if (parent != null) parent.SpawnsUnderWay++;
            return 0;
        }

        /// <summary>
        /// A spawn is over: the child is in the process list now (in this same lock hold, so it is
        /// counted there instead), or the spawn failed and gives its count back.
        /// </summary>
        public static void SpawnEndedLocked(Process parent, bool succeeded)
        {
            if (parent != null) parent.SpawnsUnderWay--;
            if (!succeeded) ProcessCount--;
        }

        /// <summary>A process was collected.</summary>
        public static void ProcessGoneLocked() => ProcessCount--;

        // Children in the process list, zombies included: at most max-procs to look at.
        private static int ChildrenOf(Process parent)
        {
            int children = 0;
            for (int i = 0; i < Processes.Count; i++)
                if (Processes.At(i).Parent == parent) children++;
            return children;
        }

        // ---- Threads and the kernel memory they hold ----

        /// <summary>
        /// Counts a thread about to be created in <paramref name="process"/> and charges the process its
        /// kernel memory; -EAGAIN at a limit. Give it back with <see cref="ThreadGoneLocked"/>.
        /// </summary>
        public static long TryAddThreadLocked(Process process)
        {
            ulong cost = (ulong)KernelStack.Pages * PageTables.PageSize + ThreadRecordBytes;
            if (ThreadCount >= MaximumThreads || process.Threads >= MaximumThreadsPerProcess) return -Abi.Errno.EAGAIN;
            if (process.KernelBytes + cost > MaximumKernelBytesPerProcess) return -Abi.Errno.EAGAIN;
            // Its control group's pids.max, and every one above it (Cgroups/ControlGroup.cs): a thread is a task.
            if (!process.Group.TryChargeTaskLocked()) return -Abi.Errno.EAGAIN;
            ThreadCount++;
            process.Threads++;
            process.KernelBytes += cost;
            return 0;
        }

        /// <summary>A user thread's stack was freed (it exited): only its record stays charged.</summary>
        public static void StackFreedLocked(Process process) =>
            process.KernelBytes -= (ulong)KernelStack.Pages * PageTables.PageSize;

        /// <summary>A user thread is gone for good (joined, reaped with its process, or its creation failed).</summary>
        public static void ThreadGoneLocked(Process process, bool stackStillCharged)
        {
            ThreadCount--;
            process.Threads--;
            process.Group.ChargeTasksLocked(-1);
            process.KernelBytes -= ThreadRecordBytes;
            if (stackStillCharged) process.KernelBytes -= (ulong)KernelStack.Pages * PageTables.PageSize;
        }

        /// <summary>Charges a process for kernel memory it holds (its program image); false past its limit.</summary>
        public static bool TryChargeLocked(Process process, ulong bytes)
        {
            if (process.KernelBytes + bytes > MaximumKernelBytesPerProcess) return false;
            process.KernelBytes += bytes;
            return true;
        }
    }
}
