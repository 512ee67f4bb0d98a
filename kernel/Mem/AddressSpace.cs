using Sync;
using Arch.X64;

namespace Mem
{
    /// <summary>
    /// One process's view of memory: its own page tables for the bottom half (user space) and the
    /// kernel's tables, shared, for the top half. Switching processes is loading another PML4 into CR3;
    /// the kernel half looks the same in all of them, so the kernel keeps running across the switch,
    /// while the user half changes completely.
    /// </summary>
    public sealed unsafe class AddressSpace
    {
        public const ulong UserEnd = 0x0000800000000000;        // first non-canonical address
        public const ulong UserStart = 0x1000;                  // page 0 stays unmapped
        public const int FirstKernelSlot = 256;

        public ulong Pml4 { get; private set; }

        /// <summary>Guards the user half's tables: threads of one process may change them on several CPUs.</summary>
        public SpinLock Lock;

        /// <summary>User pages (not tables) currently mapped.</summary>
        public ulong MappedPages { get; private set; }

        /// <summary>
        /// Lazy pages (heap, anonymous mappings) not touched yet, each holding a promise of one frame
        /// (Mem/MemoryBudget.cs). Changed under <see cref="Lock"/>; given back when the space is destroyed.
        /// </summary>
        public ulong PromisedPages { get; private set; }

        // Who pays for the user pages (Mem/MemoryCharge.cs: a control group), null for the kernel's own
        // tests; and how many frames this space has charged there (mapped + promised), so that a move to
        // another group takes exactly that many along. Both under MemoryCharge.Lock.
        private MemoryCharge _charge;
        private ulong _chargedFrames;

        /// <summary>A new, empty user half, whose pages <paramref name="charge"/> pays for (null: nobody).</summary>
        public static AddressSpace Create(MemoryCharge charge = null)
        {
            var space = new AddressSpace { Pml4 = FrameAllocator.Allocate(), _charge = charge };
            for (int slot = FirstKernelSlot; slot < 512; slot++)
                PageTables.CopyTopLevelEntry(KernelAddressSpace.Pml4, space.Pml4, slot);
            return space;
        }

        /// <summary>
        /// Maps a fresh zeroed frame at <paramref name="virtualAddress"/> for ring 3 and returns it, or 0 if
        /// memory is short or the page is mapped already: then nothing changed, except that page tables
        /// made on the way may stay (empty; <see cref="UnlinkEmptyTables"/> takes them). Lock held.
        /// Every user page is one a user asked for (the loader, fork's copy), so the frame comes from
        /// <see cref="MemoryBudget.TryAllocateUserFrame"/>, which refuses once free memory is down to the
        /// kernel's reserve; the caller rolls back and returns -ENOMEM.
        /// </summary>
        public ulong TryMapNewPage(ulong virtualAddress, bool writable, bool executable)
        {
            if (!TryCharge(1)) return 0;                    // the group's memory.max: -ENOMEM too
            ulong frame = MemoryBudget.TryAllocateUserFrame();
            if (frame == 0)
            {
                Uncharge(1);
                return 0;
            }
            if (PageTables.TryMap(Pml4, virtualAddress & ~(PageTables.PageSize - 1), frame, UserFlags(writable, executable)) != PageTables.MapResult.Mapped)
            {
                FrameAllocator.Free(frame);                 // never seen by anyone: no shootdown needed
                Uncharge(1);
                return 0;
            }
            MappedPages++;
            return frame;
        }

        private static ulong UserFlags(bool writable, bool executable)
        {
            ulong flags = PageTables.User;
            if (writable) flags |= PageTables.Writable;
            if (!executable) flags |= PageTables.NoExecute;
            return flags;
        }

        /// <summary>
        /// Promises <paramref name="count"/> frames to lazy pages of this space (sbrk, mmap, fork's copy of
        /// them); false if memory cannot cover them, and then nothing is promised. Lock held.
        /// </summary>
        public bool TryPromisePages(ulong count)
        {
            if (!TryCharge(count)) return false;            // the group's limit first: it is the cheaper no
            if (!MemoryBudget.TryPromise(count))
            {
                Uncharge(count);
                return false;
            }
            PromisedPages += count;
            return true;
        }

        /// <summary>Lazy pages freed before anyone touched them: their promises are given back. Lock held.</summary>
        public void ForgetPromisedPages(ulong count)
        {
            PromisedPages -= count;
            MemoryBudget.ReleasePromise(count);
            Uncharge(count);
        }

        /// <summary>The pages of [start, end) (page-aligned) with nothing mapped. Lock held.</summary>
        public ulong CountUnmappedPages(ulong start, ulong end)
        {
            ulong count = 0;
            for (ulong page = start; page < end; page += PageTables.PageSize)
                if ((EntryFor(page) & PageTables.Present) == 0) count++;
            return count;
        }

        /// <summary>
        /// The first touch of a lazy page: maps <paramref name="frame"/> (from
        /// MemoryBudget.TryAllocatePromisedFrame, already filled) there, keeping the page's promise.
        /// False if no page table could be had: nothing changed, and the caller frees the frame (the
        /// page stays promised and unmapped). Lock held, and the caller has checked that the page is
        /// lazy and not mapped yet.
        /// </summary>
        public bool TryMapPromisedFrame(ulong virtualAddress, ulong frame, bool writable)
        {
            if (PageTables.TryMap(Pml4, virtualAddress & ~(PageTables.PageSize - 1), frame, UserFlags(writable, executable: false)) != PageTables.MapResult.Mapped)
                return false;
            // A promised page becomes a mapped one: the same frame to pay for, so the charge stays.
            MappedPages++;
            PromisedPages--;
            MemoryBudget.ReleasePromise(1);
            return true;
        }

        /// <summary>
        /// Unmaps a user page and returns its frame, which the caller frees only after every CPU has
        /// forgotten the old translation (Mem/TlbShootdown.cs OnCpusRunning). Lock held.
        /// </summary>
        public ulong UnmapPage(ulong virtualAddress)
        {
            ulong frame = PageTables.Unmap(Pml4, virtualAddress);
            if (frame != 0)
            {
                MappedPages--;
                Uncharge(1);
            }
            return frame;
        }

        /// <summary>
        /// Takes the page tables on the path to <paramref name="virtualAddress"/> that map nothing any
        /// more (PageTables.UnlinkEmptyTables); the caller frees them after a shootdown. Lock held.
        /// </summary>
        public int UnlinkEmptyTables(ulong virtualAddress, ulong* unlinked) =>
            virtualAddress < UserEnd ? PageTables.UnlinkEmptyTables(Pml4, virtualAddress, unlinked) : 0;

        /// <summary>The page-table entry for a user address (0 if unmapped): frame and permission bits.</summary>
        public ulong EntryFor(ulong virtualAddress) =>
            virtualAddress < UserEnd ? PageTables.EntryFor(Pml4, virtualAddress) : 0;

        /// <summary>
        /// Frees every user page and every page table of the bottom half, then the PML4. The caller makes
        /// sure this address space is not loaded in CR3 (Process.Exit switches to the kernel's first).
        /// </summary>
        public void Destroy()
        {
            ulong* pml4 = (ulong*)DirectMap.ToVirtual(Pml4);
            for (int slot = 0; slot < FirstKernelSlot; slot++)
            {
                if ((pml4[slot] & PageTables.Present) == 0) continue;
                FreeTable(pml4[slot] & PageTables.AddressMask, level: 2);
            }
            FrameAllocator.Free(Pml4);
            Pml4 = 0;
            Uncharge(MappedPages);
            MappedPages = 0;
            ForgetPromisedPages(PromisedPages);             // the untouched lazy pages go with it
            KernelHeap.Free(this);
        }

        // ---- The charge (Mem/MemoryCharge.cs) ----

        private bool TryCharge(ulong frames)
        {
            if (frames == 0) return true;
            bool flags = MemoryCharge.Lock.Acquire();
            bool charged = _charge == null || _charge.TryChargeLocked(frames);
            if (charged) _chargedFrames += frames;
            MemoryCharge.Lock.Release(flags);
            return charged;
        }

        private void Uncharge(ulong frames)
        {
            if (frames == 0) return;
            bool flags = MemoryCharge.Lock.Acquire();
            _charge?.UnchargeLocked(frames);
            _chargedFrames -= frames;
            MemoryCharge.Lock.Release(flags);
        }

        /// <summary>
        /// The process moved to another group (or exec made this space for a process that moved
        /// meanwhile): the frames charged so far leave the old charge and join <paramref name="to"/>,
        /// even past its limit, as a process moved into a full group still has the pages it had.
        /// </summary>
        public void MoveCharge(MemoryCharge to)
        {
            bool flags = MemoryCharge.Lock.Acquire();
            if (to != _charge)
            {
                _charge?.UnchargeLocked(_chargedFrames);
                to?.ForceChargeLocked(_chargedFrames);
                _charge = to;
            }
            MemoryCharge.Lock.Release(flags);
        }

        // level 2 = a PDPT, 1 = a PD, 0 = a PT (whose entries are pages).
        private static void FreeTable(ulong table, int level)
        {
            ulong* entries = (ulong*)DirectMap.ToVirtual(table);
            for (int i = 0; i < 512; i++)
            {
                if ((entries[i] & PageTables.Present) == 0) continue;
                ulong next = entries[i] & PageTables.AddressMask;
                if (level == 0) FrameAllocator.Free(next);
                else FreeTable(next, level - 1);
            }
            FrameAllocator.Free(table);
        }
    }
}
