using System.Runtime;
using System.Runtime.CompilerServices;
using Arch.X64;

namespace Sync
{
    /// <summary>
    /// A lock for data shared between CPUs and with interrupt handlers. Acquiring it turns interrupts
    /// off on this CPU first (an interrupt handler that wanted the same lock would otherwise spin
    /// forever on a CPU that can never release it), then spins until the lock word is ours.
    /// Releasing restores the interrupt state from before. Hold it briefly; never block while holding it.
    ///
    /// It is a struct with one word, so a lock can live in a static field before the kernel can
    /// allocate anything (the heap's own lock). Use it in place (`s_lock.Acquire()`), never a copy.
    ///
    /// The kernel's locks, outermost first. A lock may only be taken while holding locks above it:
    ///   0. Process.MemoryLock         a SleepLock, not a spin lock: one process's break and mappings
    ///                                 (Proc/ProgramBreak.cs); taken with no spin lock held
    ///  0a. the disk file system's sleeping locks, with no spin lock held, in this order: the
    ///      namespace lock (Fs/DiskDirectories.cs: unlink, rename), a log operation (Log.BeginOperation
    ///      may wait for a commit), inode locks (a directory before an inode it names), buffer locks
    ///   1. Scheduler.ThreadStateLock  thread states and the queues they put threads in: run queues,
    ///                                 wait queues, sleepers; also pipe buffers, console input, the
    ///                                 process list
    ///   2. Process._directoryLock     one process's current directory (chdir's swap); a node's Hold is
    ///                                 called under it, so Hold may take only the locks below
    ///   3. FileSystem.Lock            the RAM file system's tree, file contents and nodes' references
    ///   4. AddressSpace.Lock          one process's user page tables (one lock per process)
    ///   5. FileTable.Lock             one process's descriptor table (one per process)
    ///   6. KernelStack.Lock           the kernel-stacks area
    ///   7. KernelHeap.Lock            the kernel heap (it takes frames when it grows)
    ///   8. FrameAllocator.Lock        the physical-frame bitmap
    ///   9. BufferCache, Log and InodeCache's own locks (Fs/): their lists and counters; nothing is
    ///                                 taken inside them. A thread that must wait takes BufferCache's
    ///                                 or Log's under ThreadStateLock (so no wake-up is lost); a disk
    ///                                 node's Hold takes InodeCache's under _directoryLock
    ///  10. VirtioBlock queue lock     the disk's virtqueue and request slots (Drivers/VirtioBlock.cs);
    ///                                 never held together with ThreadStateLock: a waker lets it go first
    ///  11. DiskTrace lock             the numbering of the disk trace's lines (Drivers/DiskTrace.cs)
    ///  12. Console.Lock               output, so lines from different CPUs do not interleave
    /// A mount namespace's lock (Fs/Vfs/MountNamespace.cs) is taken with none of these held; under it only a
    /// node's Hold (InodeCache's, FileSystem.Lock, a bind node's count) and a volume's count lock.
    /// So is the IPC namespaces' lock (Ipc/IpcNamespace.cs). The processes' namespace-set lock (Proc/ProcessNamespaces.cs)
    /// is taken with none held or under ThreadStateLock (setns holds another process's set), and
    /// under it only a set's reference lock (Namespaces/NamespaceSet.cs) is taken. umount's busy check takes each
    /// process's directory lock and file-table lock under ThreadStateLock (Proc/ProcessMounts.cs), nothing inside them; a user namespace's lock
    /// (Fs/Permissions/UserNamespace.cs) is taken under ThreadStateLock (to hold another process's) and nothing under it.
    /// Locks of one kind are never nested (no thread holds two processes' AddressSpace locks).
    /// </summary>
    public unsafe struct SpinLock
    {
        private uint _locked;

        // Acquire and Release are in Sync/SpinLock.asm: every syscall that blocks or wakes and every
        // thread switch takes this lock, and in C# each step would be a call of its own. In C#:
        //
        //   Acquire:  bool interruptsWereOn = Cpu.InterruptsEnabled;
        //             Interrupts.Disable();
        //             while (Atomic.Exchange(&_locked, 1) != 0) Cpu.Pause();
        //             return interruptsWereOn;
        //   Release:  _locked = 0;  (on x86 a plain store releases: see the .asm)
        //             if (interruptsWereOn) Interrupts.Enable();
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "spinlock_acquire")]
        private static extern bool AcquireWord(uint* word);

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "spinlock_release")]
        private static extern void ReleaseWord(uint* word, bool interruptsWereOn);

        /// <summary>Takes the lock; returns whether interrupts were on (give it back to Release).</summary>
        public bool Acquire() => AcquireWord((uint*)Unsafe.AsPointer(ref _locked));

        public void Release(bool interruptsWereOn) => ReleaseWord((uint*)Unsafe.AsPointer(ref _locked), interruptsWereOn);

        /// <summary>
        /// Takes the lock but leaves interrupts on, for a lock that no interrupt handler takes and whose
        /// holder waits for other CPUs to answer IPIs (a TLB shootdown): a CPU waiting for such a lock
        /// with interrupts off could never answer the holder, and both would wait forever. The holder
        /// must not be switched out meanwhile: hold Preemption.Disable() around it (Sync/Preemption.cs).
        /// </summary>
        public void AcquireKeepingInterrupts()
        {
            fixed (uint* word = &_locked)
                while (Atomic.Exchange(word, 1) != 0) Cpu.Pause();
        }

        public void ReleaseKeepingInterrupts()
        {
            fixed (uint* word = &_locked) Atomic.Exchange(word, 0);
        }

        /// <summary>
        /// Takes the lock only if it is free at once, leaving interrupts as they are: for an interrupt
        /// handler that may read what the lock guards but must never wait (the profiler's sample, when
        /// another CPU holds the lock, is simply shorter).
        /// </summary>
        public bool TryAcquireWithoutWaiting()
        {
            fixed (uint* word = &_locked) return Atomic.Exchange(word, 1) == 0;
        }

        public bool IsHeld => _locked != 0;
    }
}
