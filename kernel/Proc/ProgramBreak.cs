using Arch.X64;
using Mem;

namespace Proc
{
    /// <summary>
    /// A process's heap: the pages from its HeapStart up to its break, which sbrk moves. The whole move,
    /// from reading the break to writing it back, happens under the process's MemoryLock, so that two
    /// threads calling sbrk at once act one after the other: without it both read the same break and
    /// the break ended wherever the last writer put it. The heap stays inside its region of the address
    /// space (Mem/UserLayout.cs): at most HeapLimit bytes, never into the guard gap under the stack.
    ///
    /// The heap is lazy: growing maps nothing. It only promises a frame to each new page (Mem/MemoryBudget.cs:
    /// sbrk still fails with ENOMEM, as if it had not been called, when memory cannot cover the promises),
    /// and the first touch of a page, by the program or by the kernel for a system call, maps a zeroed
    /// frame there (Proc/UserPageFaults.cs). A program that asks for 64 MiB and uses 1 holds 1.
    /// Shrinking moves the break first (so no touch maps a page above it any more), then unmaps the
    /// touched pages, makes every CPU forget them (a TLB shootdown), and only then frees their frames,
    /// and the page tables that map nothing any more; the untouched pages give back their promises. A
    /// process that grew and shrank its heap holds no memory for it.
    /// </summary>
    public static unsafe class ProgramBreak
    {
        /// <summary>sbrk: moves the break by <paramref name="increment"/> bytes; the old break, or a negative errno.</summary>
        public static long Move(Process process, long increment)
        {
            process.MemoryLock.Acquire();
            long result = increment >= 0 ? Grow(process, (ulong)increment) : Shrink(process, 0UL - (ulong)increment);
            process.MemoryLock.Release();
            return result;
        }

        private static long Grow(Process process, ulong increment)
        {
            ulong oldBreak = process.HeapBreak;
            ulong heapEnd = UserLayout.HeapEnd(process.HeapStart);
            if (oldBreak > heapEnd || increment > heapEnd - oldBreak) return -Abi.Errno.ENOMEM;
            ulong newBreak = oldBreak + increment;

            if (!UserPageFaults.TryPromise(process.AddressSpace, (PageUp(newBreak) - PageUp(oldBreak)) / PageTables.PageSize))
                return -Abi.Errno.ENOMEM;
            process.HeapBreak = newBreak;
            return (long)oldBreak;
        }

        private static long Shrink(Process process, ulong decrement)
        {
            ulong oldBreak = process.HeapBreak;
            if (decrement > oldBreak - process.HeapStart) return -Abi.Errno.EINVAL;
            ulong newBreak = oldBreak - decrement;
            process.HeapBreak = newBreak;
            UserPageRelease.Release(process.AddressSpace, PageUp(newBreak), PageUp(oldBreak));
            return (long)oldBreak;
        }

        private static ulong PageUp(ulong address) => (address + PageTables.PageSize - 1) & ~(PageTables.PageSize - 1);
    }
}
