using Arch.X64;
using Mem;

namespace Proc
{
    /// <summary>
    /// Gives back a range of lazy pages (the heap above a lowered break, an unmapped mapping): the
    /// touched ones are unmapped, every CPU is made to forget them (a TLB shootdown), and only then are
    /// their frames freed, with the page tables that map nothing any more; the untouched ones had no
    /// frame, only a promise (Mem/MemoryBudget.cs), which goes back. The caller holds the process's
    /// MemoryLock and has already made the range not lazy (moved the break, removed the region), so
    /// no touch maps a page in it behind this code's back.
    /// </summary>
    public static unsafe class UserPageRelease
    {
        /// <summary>Pages unmapped (and shot down, and freed) at a time: one IPI for each batch.</summary>
        private const int Batch = 64;

        /// <summary>
        /// Unmaps the lazy pages in [start, end) and frees them and the page tables left empty; the
        /// pages never touched had no frame, only a promise, which goes back.
        /// </summary>
        public static void Release(AddressSpace space, ulong start, ulong end)
        {
            if (start >= end) return;
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
            FreeEmptyTables(space, start, end);
        }

        /// <summary>
        /// Frees the page tables under [start, end) that map nothing any more, one 2 MiB stretch (one
        /// page table) at a time. The shootdown of an address under them makes the other CPUs drop their
        /// cached copies of the entries that pointed to them, before their frames can be reused.
        /// </summary>
        private static void FreeEmptyTables(AddressSpace space, ulong start, ulong end)
        {
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
    }
}
