using Arch.X64;
using Mem;
using Terminal;
using Traps;

namespace Proc
{
    /// <summary>
    /// The user page-fault path: a page a program may use but that has no frame yet gets one here, on
    /// first touch, and the faulting instruction runs again. Lazy pages are the heap between HeapStart
    /// and the break (sbrk only moves the break: Proc/ProgramBreak.cs) and the pages of the process's
    /// mappings (mmap: Proc/MemoryMappings.cs, Proc/MemoryRegions.cs), writable if the mapping is. Every lazy page holds a promise
    /// of a frame (Mem/MemoryBudget.cs), so a touch finds one unless kernel memory ate the promised
    /// frames; then the process is killed with a report (exit status 137, as Linux's OOM killer's
    /// SIGKILL), never the kernel. A touch anywhere else (past the break, a guard gap, a write to code)
    /// is not this handler's business: the program's fault, reported and killed by Proc/UserFaults.cs.
    ///
    /// Two doors lead here: the program's own #PF (UserFaults.Fault calls <see cref="TryResolve"/>), and
    /// the copy layer, for the kernel's reads and writes of user memory on a program's behalf (through
    /// Mem/DemandPaging.cs, which KernelMain registers this class for). Both decide under the address
    /// space's lock, so two threads touching one page at once map it once, and sbrk, which moves the
    /// break before it unmaps the pages above it, never meets a page mapped behind its back.
    /// </summary>
    public sealed unsafe class UserPageFaults : DemandPaging
    {
        // #PF error code bits (Intel SDM vol. 3A, 4.7).
        private const ulong ProtectionViolation = 1 << 0;   // 0: the page was not present
        private const ulong WriteAccess = 1 << 1;

        private const int OutOfMemoryStatus = 128 + 9;      // SIGKILL, as the out-of-memory killer

        private enum Outcome { Mapped, AlreadyPresent, NotLazy, OutOfMemory }

        /// <summary>
        /// A #PF in ring 3: true if the page is mapped now and the program may run the instruction again;
        /// false if it is a real fault. Out of memory ends the process here (this does not return).
        /// </summary>
        public static bool TryResolve(TrapFrame* frame)
        {
            if ((frame->ErrorCode & ProtectionViolation) != 0) return false;
            Process process = Process.Current;
            ulong address = FaultInfo.PageFaultAddress;
            AddressSpace space = process.AddressSpace;
            bool flags = space.Lock.Acquire();
            Outcome outcome = FaultInLocked(process, space, address, (frame->ErrorCode & WriteAccess) != 0);
            space.Lock.Release(flags);
            if (outcome == Outcome.OutOfMemory)
            {
                ReportOutOfMemory(process, address);
                Console.Write("  touched at ");
                ExceptionReport.WriteUserLocation(frame->Rip);
                Console.WriteLine();
                Console.WriteLine($"*** exit status {OutOfMemoryStatus} ***");
                Processes.ExitThread(OutOfMemoryStatus, wholeProcess: true);
            }
            // Already present: another thread of the process mapped it between the fault and the lock.
            return outcome == Outcome.Mapped || outcome == Outcome.AlreadyPresent;
        }

        /// <summary>
        /// The copy layer's door (Mem/UserMemory.cs): the kernel reads or writes a page of the running
        /// process that is not mapped yet. Out of memory kills the process (it leaves on its way back
        /// to user mode, Proc/TrapExit.cs) and the copy fails with -EFAULT meanwhile.
        /// </summary>
        public override bool TryResolveLocked(AddressSpace space, ulong address, bool write)
        {
            Process process = Process.Current;
            // The loader writes a new program's arguments into a space nobody runs yet: nothing is lazy there.
            if (process == null || process.AddressSpace != space) return false;
            Outcome outcome = FaultInLocked(process, space, address, write);
            if (outcome == Outcome.OutOfMemory)
            {
                ReportOutOfMemory(process, address);
                Console.WriteLine($"  touched by the kernel for a system call; *** exit status {OutOfMemoryStatus} ***");
                Processes.Kill(process.Id, OutOfMemoryStatus, sender: null);   // nobody takes space.Lock under the scheduler's lock
            }
            return outcome == Outcome.Mapped;
        }

        /// <summary>
        /// Promises frames to <paramref name="pages"/> new lazy pages of <paramref name="space"/> (sbrk,
        /// mmap); false if memory cannot cover them. Before it says no, it lets the kernel stacks and
        /// heap pages on their way back (freed, waiting for other CPUs' TLB shootdowns) arrive: without
        /// that, how much a program may have would depend on how fast another CPU finishes freeing.
        /// Call with no spin lock held.
        /// </summary>
        public static bool TryPromise(AddressSpace space, ulong pages)
        {
            for (int attempt = 0; attempt < 2; attempt++)
            {
                if (attempt == 1) KernelStack.FreeAllReleased();
                bool flags = space.Lock.Acquire();
                bool promised = space.TryPromisePages(pages);
                space.Lock.Release(flags);
                if (promised) return true;
            }
            return false;
        }

        /// <summary>
        /// fork copied only the pages the parent had touched (Mem/AddressSpaceCopy.cs walks present
        /// entries): every lazy page without a frame in <paramref name="child"/> promises one there too.
        /// Counted in the child, not taken from the parent's count, which the parent's other threads may
        /// change meanwhile by touching pages. 0, or -ENOMEM when memory cannot cover the promises.
        /// </summary>
        public static long PromiseUntouchedPages(Process child)
        {
            AddressSpace space = child.AddressSpace;
            bool flags = space.Lock.Acquire();
            ulong untouched = space.CountUnmappedPages(child.HeapStart, PageUp(child.HeapBreak)) + child.Mappings.CountUnmappedPages(space);
            bool promised = space.TryPromisePages(untouched);
            space.Lock.Release(flags);
            return promised ? 0 : -Abi.Errno.ENOMEM;
        }

        // Maps the lazy page at `address` if it is one and still unmapped. space.Lock held.
        private static Outcome FaultInLocked(Process process, AddressSpace space, ulong address, bool write)
        {
            ulong page = address & ~(PageTables.PageSize - 1);
            if ((space.EntryFor(page) & PageTables.Present) != 0) return Outcome.AlreadyPresent;
            if (!IsLazy(process, page, out bool writable) || (write && !writable)) return Outcome.NotLazy;
            ulong frame = MemoryBudget.TryAllocatePromisedFrame();
            if (frame == 0) return Outcome.OutOfMemory;
            // The frame is filled before it is mapped: once mapped, another CPU running a thread of this
            // process may read it at once. Heap and anonymous pages start zeroed, as every frame does.
            if (space.TryMapPromisedFrame(page, frame, writable)) return Outcome.Mapped;
            FrameAllocator.Free(frame);                     // never mapped: nobody saw it
            return Outcome.OutOfMemory;
        }

        // Is `page` one the process may have without having touched it yet, and may it write there?
        private static bool IsLazy(Process process, ulong page, out bool writable)
        {
            writable = true;
            if (page >= process.HeapStart && page < PageUp(process.HeapBreak)) return true;
            bool mapped = process.Mappings.Find(page, out MemoryRegions.Region region);
            writable = region.Writable;
            return mapped;
        }

        private static void ReportOutOfMemory(Process process, ulong address) =>
            Console.WriteLine($"\n*** process {process.Id} ({process.Name}) killed: out of memory: no frame for its page at 0x{address:x} ***");

        private static ulong PageUp(ulong address) => (address + PageTables.PageSize - 1) & ~(PageTables.PageSize - 1);
    }
}
