using Arch.X64;

namespace Mem
{
    /// <summary>
    /// The kernel heap's own stretch of virtual addresses, mapped one 4 KiB page at a time with whatever
    /// frames are free. The heap used to grow by physically consecutive runs of frames (read through the
    /// direct map): a 64 MiB block then needed 64 MiB of consecutive free RAM, which fragmentation makes
    /// rare ("no free run of physical memory"), and a run could only go back whole. Here any free frames
    /// do, and every page can go back on its own.
    /// <code>
    ///   0xFFFFFE8000000000  PML4 slot 509, <see cref="Size"/> bytes, cut into 64 KiB slots
    /// </code>
    /// The area's page tables are all made at boot and kept: <see cref="AreaPerRamByte"/> times the
    /// RAM (a large block takes whole slots, so virtual space runs out before RAM only for thousands
    /// of blocks just over 2 KiB), at one 4 KiB table per 2 MiB: 2 MiB of tables for 256 MiB of RAM.
    /// Tables made and freed with use would cost nothing when idle, but a table made during a burst
    /// and kept by one long-lived block would show as a lost frame in the memory check around init.
    /// A slot is either a chunk of small blocks (KernelHeap) or part of one large block's range.
    /// Freed ranges are not unmapped on the spot: the caller may hold locks, and other CPUs may still
    /// have the pages in their TLBs, so <see cref="ReleasePending"/> unmaps them, shoots the stale
    /// translations down, and only then gives frames and slots back (the way freed kernel stacks go).
    /// Called with the heap's lock held, except <see cref="ReleasePending"/>.
    /// </summary>
    public static unsafe class HeapArea
    {
        public const int Slot = 509;                             // PML4 index
        public const ulong Base = 0xFFFFFE8000000000;
        public const ulong SlotSize = 64 * 1024;
        private const ulong AreaPerRamByte = 4;
        private const ulong LargestArea = 32UL * 1024 * 1024 * 1024;   // the guarded pages follow (Mem/GuardedAllocations.cs)
        private const ulong GiB = 1024 * 1024 * 1024;
        private const ulong TableSpan = 2 * 1024 * 1024;         // what one page table maps (512 pages)
        private const ulong Flags = PageTables.Present | PageTables.Writable | PageTables.NoExecute | PageTables.Global;

        private static FrameBitmap s_slots;                      // 1 = taken; first fit keeps the area compact
        private static ulong* s_directories;                     // the page directories, one per GiB (physical)

        /// <summary>The area's size, set at boot from the RAM size.</summary>
        public static ulong Size { get; private set; }

        /// <summary>Pages mapped right now: the frames the heap holds beyond its bootstrap area.</summary>
        public static ulong MappedPages { get; private set; }

        public static bool IsReady => s_slots != null;

        public static bool Contains(ulong address) => address >= Base && address < Base + Size;

        /// <summary>
        /// Makes the area's page tables once, before any user address space copies the kernel's half:
        /// every address space then shares whatever the heap maps later.
        /// </summary>
        public static void Initialize()
        {
            ulong ram = FrameAllocator.TotalFrames * FrameAllocator.FrameSize;
            ulong size = (ram * AreaPerRamByte + GiB - 1) / GiB * GiB;
            Size = size > LargestArea ? LargestArea : size;

            PageTables.EnsureTopLevelTable(KernelAddressSpace.Pml4, Slot);
            ulong* pml4 = (ulong*)DirectMap.ToVirtual(KernelAddressSpace.Pml4);
            ulong* pdpt = (ulong*)DirectMap.ToVirtual(pml4[Slot] & PageTables.AddressMask);
            s_directories = (ulong*)KernelHeap.Allocate(Size / GiB * sizeof(ulong));
            for (ulong i = 0; i < Size / GiB; i++)
            {
                s_directories[i] = FrameAllocator.Allocate();
                pdpt[i] = s_directories[i] | PageTables.Present | PageTables.Writable;
                ulong* directory = (ulong*)DirectMap.ToVirtual(s_directories[i]);
                for (int j = 0; j < 512; j++) directory[j] = FrameAllocator.Allocate() | PageTables.Present | PageTables.Writable;
            }
            var slots = new FrameBitmap(Size / SlotSize);
            slots.MarkFree(0, Size / SlotSize);
            s_slots = slots;
        }

        /// <summary>Reserves <paramref name="count"/> consecutive slots; returns the first address, or 0.</summary>
        public static ulong TakeSlots(ulong count)
        {
            long first = s_slots.AllocateRun(count);
            return first < 0 ? 0 : Base + (ulong)first * SlotSize;
        }

        /// <summary>
        /// Maps fresh zeroed frames at [start, start + pages pages) of the <paramref name="slots"/> slots
        /// taken at start. False if memory ran out: then the slots, and what was mapped, go back.
        /// </summary>
        public static bool MapPages(ulong start, ulong pages, ulong slots)
        {
            // Most failures are seen here, before anything is mapped; another CPU may still take the
            // last frames meanwhile, which the loop below handles.
            if (pages > FrameAllocator.FreeFrames)
            {
                s_slots.MarkFree((start - Base) / SlotSize, slots);
                return false;
            }
            for (ulong i = 0; i < pages; i++)
            {
                ulong* entry = Entry(start + i * PageTables.PageSize);
                ulong frame = FrameAllocator.TryAllocate();
                if (frame == 0)
                {
                    // Undone the way a free is.
                    if (i > 0) Release(start, i, slots);
                    else s_slots.MarkFree((start - Base) / SlotSize, slots);
                    return false;
                }
                *entry = frame | Flags;
                MappedPages++;
            }
            return true;
        }

        // Freed ranges waiting for ReleasePending. The node lives at the end of the range's first page,
        // which stays mapped until then (the block's header, at the start, still says "freed").
        private struct PendingRange
        {
            public PendingRange* Next;
            public ulong Pages;
            public ulong Slots;
        }

        private static PendingRange* s_pending;

        /// <summary>Queues a freed range (still mapped) for <see cref="ReleasePending"/>.</summary>
        public static void Release(ulong start, ulong pages, ulong slots)
        {
            var range = (PendingRange*)(start + NodeOffset);
            range->Pages = pages;
            range->Slots = slots;
            range->Next = s_pending;
            s_pending = range;
            DeferredFreeing.Queued();
        }

        public static bool HasPending => s_pending != null;

        private static ulong NodeOffset => PageTables.PageSize - (ulong)sizeof(PendingRange);

        private const int Batch = 64;                   // pages unmapped per TLB shootdown

        /// <summary>
        /// Unmaps every queued range, makes every CPU forget the translations, then frees the frames and
        /// the slots. Call with no lock held.
        /// </summary>
        public static void ReleasePending(ref Sync.SpinLock heapLock)
        {
            bool flags = heapLock.Acquire();
            PendingRange* ranges = s_pending;
            s_pending = null;
            heapLock.Release(flags);

            ulong* frames = stackalloc ulong[Batch];
            while (ranges != null)
            {
                PendingRange* range = ranges;
                ranges = range->Next;
                ulong start = (ulong)range - NodeOffset, pages = range->Pages, slots = range->Slots;
                for (ulong done = 0; done < pages;)
                {
                    ulong address = start + done * PageTables.PageSize;
                    ulong count = pages - done;
                    if (count > Batch) count = Batch;

                    flags = heapLock.Acquire();
                    int frameCount = 0;
                    for (ulong i = 0; i < count; i++)
                    {
                        ulong* entry = Entry(address + i * PageTables.PageSize);
                        frames[frameCount++] = *entry & PageTables.AddressMask;
                        *entry = 0;
                        PageTables.InvalidateLocal(address + i * PageTables.PageSize);
                    }
                    MappedPages -= count;
                    heapLock.Release(flags);

                    TlbShootdown.Everywhere(address, count);
                    for (int i = 0; i < frameCount; i++) FrameAllocator.Free(frames[i]);
                    done += count;
                }
                flags = heapLock.Acquire();
                s_slots.MarkFree((start - Base) / SlotSize, slots);
                heapLock.Release(flags);
                DeferredFreeing.Done();
            }
        }

        // The page-table entry for a heap address (every table exists from the start).
        private static ulong* Entry(ulong address)
        {
            ulong offset = address - Base;
            ulong* directory = (ulong*)DirectMap.ToVirtual(s_directories[offset / GiB]);
            ulong* entries = (ulong*)DirectMap.ToVirtual(directory[(offset / TableSpan) % 512] & PageTables.AddressMask);
            return &entries[(offset / PageTables.PageSize) % 512];
        }
    }
}
