using Arch.X64;
using Loader;
using Mem;
using Sched;

namespace Proc
{
    /// <summary>
    /// fork: a new process that is a copy of the caller. The child gets
    /// <list type="bullet">
    /// <item>a copy of every user page (Mem/AddressSpaceCopy.cs: eagerly, page by page), the same
    ///   program break, and its own reader of the same program file (for fault reports);</item>
    /// <item>the parent's descriptors, sharing the parent's open files (FileTable.Copy): one offset, one
    ///   pipe end counted twice, so a pipe made before fork connects parent and child;</item>
    /// <item>its own pid (one per PID namespace level: Namespaces/PidNamespace.cs), the caller as its parent, and one thread: a copy of the calling thread that
    ///   returns from the same syscall with 0, while the parent gets the child's pid.</item>
    /// </list>
    /// Only the calling thread is copied, as POSIX says: the parent's other threads do not exist in the
    /// child, though their stacks (user memory like any other) are copied. A lock another thread held at
    /// the moment of fork stays held in the child for ever; POSIX tells a multi-threaded program to call
    /// only exec in the child, and that advice holds here.
    ///
    /// Each step that can fail (the process limits, the thread limits, frames for the copy, a kernel
    /// stack) fails with an error code and undoes the steps before it, as spawn does (Processes.Spawn):
    /// a refused fork leaves the counts and the free memory as they were.
    /// </summary>
    public static unsafe class ProcessFork
    {
        /// <summary>
        /// Copies <paramref name="parent"/>, whose calling thread's user state is <paramref name="callerState"/>
        /// (its TrapFrame: the syscall's). Returns the child's pid, or -EAGAIN at a limit, -ENOMEM when
        /// memory is short.
        /// </summary>
        public static long Copy(Process parent, TrapFrame* callerState)
        {
            if (ProcessNamespaces.RefusesChildrenOf(parent)) return -Namespaces.PidNamespace.EndedErrno;
            bool flags = Scheduler.ThreadStateLock.Acquire();
            long limited = Limits.TryAddProcessLocked(parent);
            Scheduler.ThreadStateLock.Release(flags);
            if (limited < 0) return limited;

            long result = CopyCounted(parent, callerState);
            if (result < 0)
            {
                flags = Scheduler.ThreadStateLock.Acquire();
                Limits.SpawnEndedLocked(parent, succeeded: false);
                Scheduler.ThreadStateLock.Release(flags);
                if (result == -Abi.Errno.ENOMEM) OutOfMemoryKiller.RelieveIfCritical();
            }
            return result;
        }

        private static long CopyCounted(Process parent, TrapFrame* callerState)
        {
            var child = new Process(parent.Name, parent) { Image = parent.Image?.Copy() };
            bool flags = Scheduler.ThreadStateLock.Acquire();
            child.Group = parent.Group;                 // born in its parent's control group
            long result = Limits.TryAddThreadLocked(child);
            bool threadCounted = result == 0;
            Scheduler.ThreadStateLock.Release(flags);

            if (result == 0) result = CopyMemory(parent, child);
            if (result == 0)
            {
                Thread caller = Scheduler.Current;
                child.MainThread = Thread.CreateUserCopy(child, caller.Name, callerState);
                if (child.MainThread == null) result = Processes.NoKernelStackError();
                else
                {
                    child.MainThread.UserFrame->Rax = 0;        // fork's result in the child
                    child.MainThread.Affinity = caller.Affinity;
                }
            }
            if (result < 0)
            {
                // Undone in one place, in the reverse order: the thread's count, the memory copied so
                // far, then the process with its name and image.
                if (threadCounted)
                {
                    flags = Scheduler.ThreadStateLock.Acquire();
                    Limits.ThreadGoneLocked(child, stackStillCharged: true);
                    Scheduler.ThreadStateLock.Release(flags);
                }
                child.AddressSpace?.Destroy();
                Processes.Free(child);
                return result;
            }

            child.Files = parent.Files.Copy();
            child.Namespaces = ProcessNamespaces.HoldOf(parent);
            child.SetCurrentDirectory(parent.HoldCurrentDirectory());
            child.LiveThreads = 1;
            flags = Scheduler.ThreadStateLock.Acquire();
            Processes.AddLocked(child, parent);
            long pid = ProcessPids.PidIn(child, parent.PidNamespace);   // as the parent numbers it
            Scheduler.ThreadStateLock.Release(flags);
            Scheduler.Start(child.MainThread);
            return pid;
        }

        // The child's address space, a copy of the parent's user half. The parent's MemoryLock keeps its
        // other threads from moving the break or changing mappings while the copy walks its tables.
        private static long CopyMemory(Process parent, Process child)
        {
            parent.MemoryLock.Acquire();
            long result;
            // Frames first, before a page is copied: as many as the parent has pages, and its tables.
            if (!MemoryBudget.CanAllocateUserFrames(parent.AddressSpace.MappedPages)) result = -Abi.Errno.ENOMEM;
            else
            {
                child.AddressSpace = AddressSpace.Create(child.Group);     // its frames are its group's (memory.max)
                result = AddressSpaceCopy.CopyUserPages(parent.AddressSpace, child.AddressSpace);
                child.HeapStart = parent.HeapStart;
                child.HeapBreak = parent.HeapBreak;
                child.Mappings.CopyFrom(parent.Mappings);
                if (result == 0) result = UserPageFaults.PromiseUntouchedPages(child);
            }
            parent.MemoryLock.Release();
            return result;
        }
    }
}
