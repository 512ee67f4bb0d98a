using Arch.X64;
using Mem;
using Sched;

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
        /// <summary>Pages unmapped (and shot down, and freed) at a time: one IPI for each batch.</summary>
        private const int Batch = 64;

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

            AddressSpace space = process.AddressSpace;
            bool flags = space.Lock.Acquire();
            bool promised = space.TryPromisePages((PageUp(newBreak) - PageUp(oldBreak)) / PageTables.PageSize);
            space.Lock.Release(flags);
            if (!promised) return -Abi.Errno.ENOMEM;
            process.HeapBreak = newBreak;
            return (long)oldBreak;
        }

        private static long Shrink(Process process, ulong decrement)
        {
            ulong oldBreak = process.HeapBreak;
            if (decrement > oldBreak - process.HeapStart) return -Abi.Errno.EINVAL;
            ulong newBreak = oldBreak - decrement;
            process.HeapBreak = newBreak;
            Release(process, PageUp(newBreak), PageUp(oldBreak));
            return (long)oldBreak;
        }

        /// <summary>
        /// Unmaps the heap's pages in [start, end) and frees them and the page tables left empty; the
        /// pages never touched had no frame, only a promise, which goes back.
        /// </summary>
        private static void Release(Process process, ulong start, ulong end)
        {
            if (start >= end) return;
            AddressSpace space = process.AddressSpace;
            ulong* frames = stackalloc ulong[Batch];
            for (ulong first = start; first < end; first += Batch * PageTables.PageSize)
            {
                ulong last = end - first > Batch * PageTables.PageSize ? first + Batch * PageTables.PageSize : end;
                int count = 0;
                ulong untouched = 0;
                bool flags = space.Lock.Acquire();
                for (ulong page = first; page < last; page += PageTables.PageSize)
                {
                    ulong frame = space.UnmapPage(page);
                    if (frame != 0) frames[count++] = frame;
                    else untouched++;
                }
                space.ForgetPromisedPages(untouched);
                space.Lock.Release(flags);
                // Another CPU running a thread of this process may still have the pages in its TLB
                // (untouched pages were never in any TLB: a batch of them alone needs no shootdown).
                if (count > 0) TlbShootdown.OnCpusRunning(space, first, (last - first) / PageTables.PageSize);
                for (int i = 0; i < count; i++) FrameAllocator.Free(frames[i]);
            }
            FreeEmptyTables(process, start, end);
        }

        /// <summary>
        /// Frees the page tables under [start, end) that map nothing any more, one 2 MiB stretch (one
        /// page table) at a time. The shootdown of an address under them makes the other CPUs drop their
        /// cached copies of the entries that pointed to them, before their frames can be reused.
        /// </summary>
        private static void FreeEmptyTables(Process process, ulong start, ulong end)
        {
            AddressSpace space = process.AddressSpace;
            ulong* tables = stackalloc ulong[3];
            for (ulong stretch = start & ~(PageTables.LargePageSize - 1); stretch < end; stretch += PageTables.LargePageSize)
            {
                bool flags = space.Lock.Acquire();
                int count = space.UnlinkEmptyTables(stretch, tables);
                space.Lock.Release(flags);
                if (count == 0) continue;
                TlbShootdown.OnCpusRunning(space, stretch, 1);
                for (int i = 0; i < count; i++) FrameAllocator.Free(tables[i]);
            }
        }

        private static ulong PageUp(ulong address) => (address + PageTables.PageSize - 1) & ~(PageTables.PageSize - 1);
    }
}
