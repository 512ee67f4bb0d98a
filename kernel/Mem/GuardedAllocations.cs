using Arch.X64;
using Terminal;

namespace Mem
{
    /// <summary>
    /// The debugging heap's guarded pages (Linux's KFENCE, in small): one small block in
    /// <see cref="SampleInterval"/> gets a page of its own, between two pages that are never mapped.
    /// <code>
    ///   Base:  [guard][block 0's page][guard][block 1's page][guard] ... [block 255's page][guard]
    /// </code>
    /// The block sits at the end of its page (16-byte aligned), so running off its end touches the
    /// next guard page. When the block is freed its page is unmapped, and any later use of a stale
    /// pointer to it faults. The page-fault handler (Traps/ExceptionHandler.cs) asks
    /// <see cref="ExplainFault"/> first, which names the block and prints its allocation and free
    /// backtraces before the usual register dump and backtrace of the faulting access.
    ///
    /// Why a sample and not every block: a page per block would cost 4 KiB for a 32-byte string,
    /// and the kernel has tens of thousands of live blocks; 256 slots cost 1 MiB of frames (taken once,
    /// at boot) and catch bugs in code that runs often. A freed slot is reused last (first in, first
    /// out), so a stale pointer stays detectable as long as possible. The unmapping is only flushed
    /// from this CPU's TLB (as KFENCE does): another CPU may miss a use after free for a moment,
    /// but never sees wrong memory, since the slot keeps its frame.
    /// Called with the heap's lock held, except <see cref="ExplainFault"/> (during a panic).
    /// </summary>
    public static unsafe class GuardedAllocations
    {
        public const ulong Base = HeapArea.Base + 32UL * 1024 * 1024 * 1024;   // after the heap area, same PML4 slot
        public const int SlotCount = 256;
        public const ulong SampleInterval = 16;
        public const ulong SlotBytes = PageTables.PageSize;                   // what a guarded block counts in BytesInUse
        private const ulong Span = (2 * SlotCount + 1) * PageTables.PageSize;

        private const ulong NeverUsed = 0, Live = 1, Freed = 2;

        private struct Slot
        {
            public ulong Frame;                   // kept for good: the page is mapped only while the block lives
            public ulong State;
            public byte* Payload;
            public DebugRecord Record;
        }

        private struct FreeRing
        {
            public fixed int Slots[SlotCount];    // freed slots, oldest first
        }

        private static Slot* s_slots;
        private static FreeRing s_free;
        private static int s_freeHead, s_freeCount;
        private static ulong s_eligible;

        public static int LiveCount { get; private set; }

        public static bool Contains(void* address) => Contains((ulong)address);

        public static bool Contains(ulong address) => address >= Base && address < Base + Span;

        /// <summary>Takes a frame for every slot, once (so the memory check around init sees no change).</summary>
        public static void Initialize()
        {
            var slots = (Slot*)KernelHeap.Allocate((ulong)(sizeof(Slot) * SlotCount));
            for (int i = 0; i < SlotCount; i++)
            {
                slots[i].Frame = FrameAllocator.Allocate();
                // Map then unmap: builds the page tables now, not at the first allocation.
                PageMapping.Map(KernelAddressSpace.Pml4, PageOf(i), slots[i].Frame, PageFlags);
                PageTables.Unmap(KernelAddressSpace.Pml4, PageOf(i));
                s_free.Slots[i] = i;
            }
            s_freeCount = SlotCount;
            s_slots = slots;
        }

        private const ulong PageFlags = PageTables.Writable | PageTables.NoExecute | PageTables.Global;

        private static ulong PageOf(int slot) => Base + (ulong)(2 * slot + 1) * PageTables.PageSize;

        /// <summary>A guarded block for one small allocation in <see cref="SampleInterval"/>, else null.</summary>
        public static void* TryTake(ulong size)
        {
            if (s_slots == null || size > PageTables.PageSize / 2) return null;
            if (++s_eligible % SampleInterval != 0 || s_freeCount == 0) return null;

            int index = s_free.Slots[s_freeHead];
            s_freeHead = (s_freeHead + 1) % SlotCount;
            s_freeCount--;
            Slot* slot = &s_slots[index];
            ulong page = PageOf(index);
            PageMapping.Map(KernelAddressSpace.Pml4, page, slot->Frame, PageFlags);
            byte* payload = (byte*)(page + PageTables.PageSize - ((size + 15) & ~15UL));
            for (byte* p = (byte*)page; p < (byte*)page + PageTables.PageSize; p++)
                *p = p >= payload && p < payload + size ? (byte)0 : HeapDebug.RedZoneByte;

            slot->Payload = payload;
            slot->State = Live;
            slot->Record.RequestedBytes = size;
            HeapDebug.RecordBacktrace(slot->Record.AllocatedBy);
            for (int i = 0; i < DebugRecord.Frames; i++) slot->Record.FreedBy[i] = 0;
            LiveCount++;
            return payload;
        }

        /// <summary>Frees a guarded block: checks it, records who frees it, unmaps its page.</summary>
        public static void Give(void* block)
        {
            int index = (int)(((ulong)block - Base) / PageTables.PageSize / 2);
            Slot* slot = index < SlotCount ? &s_slots[index] : null;
            if (slot == null || slot->State == NeverUsed || slot->Payload != block)
                Diagnostics.Panic.Halt("KernelHeap.Free: not the start of a heap block (a pointer into a guarded page)");
            if (slot->State == Freed)
            {
                Diagnostics.Panic.Begin();
                Console.WriteLine($"debugging heap: double free of the guarded block at 0x{(ulong)block:x16}");
                DescribeSlot(slot);
                PrintFreedAgainBy();
                Diagnostics.Panic.End();
            }

            ulong page = PageOf(index);
            for (byte* p = (byte*)page; p < (byte*)page + PageTables.PageSize; p++)
            {
                if (p >= slot->Payload && p < slot->Payload + slot->Record.RequestedBytes) continue;
                if (*p == HeapDebug.RedZoneByte) continue;
                Diagnostics.Panic.Begin();
                Console.WriteLine("debugging heap: out-of-bounds write next to a guarded block (found when it was freed)");
                DescribeSlot(slot);
                Diagnostics.Panic.End();
            }

            HeapDebug.RecordBacktrace(slot->Record.FreedBy);
            slot->State = Freed;
            PageTables.Unmap(KernelAddressSpace.Pml4, page);
            s_free.Slots[(s_freeHead + s_freeCount) % SlotCount] = index;
            s_freeCount++;
            LiveCount--;
        }

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        private static void PrintFreedAgainBy()
        {
            ulong* frames = stackalloc ulong[DebugRecord.Frames];
            HeapDebug.RecordBacktrace(frames);
            Console.WriteLine("  freed again by:");
            for (int i = 0; i < DebugRecord.Frames && frames[i] != 0; i++)
            {
                Console.Write("    ");
                Diagnostics.SymbolTable.WriteLocation(frames[i]);
                Console.WriteLine();
            }
        }

        private static void DescribeSlot(Slot* slot) =>
            HeapDebug.DescribeBlock(slot->Payload, slot->Record.RequestedBytes, slot->Record.AllocatedBy,
                                    slot->State == Freed ? slot->Record.FreedBy : null);

        /// <summary>
        /// For the page-fault handler, during the panic: explains a fault in the guarded pages (a use
        /// after free, or an access past a block into a guard page) with the block's backtraces.
        /// </summary>
        public static void ExplainFault(ulong address, bool write)
        {
            ulong pageNumber = (address - Base) / PageTables.PageSize;
            string access = write ? "write" : "read";
            Console.Write("debugging heap: ");
            if (pageNumber % 2 == 1)
            {
                Slot* slot = &s_slots[pageNumber / 2];
                string what = slot->State == Freed ? "use after free" : "fault in a guarded block's page";
                Console.WriteLine($"{what}: {access} at 0x{address:x16}, offset {address - (ulong)slot->Payload} in the block");
                DescribeSlot(slot);
                return;
            }

            // A guard page: name the nearer neighbour, the block that ends before it or the one after.
            int before = (int)(pageNumber / 2) - 1, after = (int)(pageNumber / 2);
            Slot* previous = before >= 0 && s_slots[before].State != NeverUsed ? &s_slots[before] : null;
            Slot* next = after < SlotCount && s_slots[after].State != NeverUsed ? &s_slots[after] : null;
            ulong pastEnd = previous == null ? ulong.MaxValue : address - ((ulong)previous->Payload + previous->Record.RequestedBytes);
            ulong beforeStart = next == null ? ulong.MaxValue : (ulong)next->Payload - address;
            Console.Write($"out-of-bounds {access} at 0x{address:x16}");
            if (previous == null && next == null)
            {
                Console.WriteLine(", in a guard page between unused slots");
                return;
            }
            if (pastEnd <= beforeStart) Console.WriteLine($", {pastEnd} bytes past the end of a block (in the guard page after it)");
            else Console.WriteLine($", {beforeStart} bytes before a block");
            DescribeSlot(pastEnd <= beforeStart ? previous : next);
        }
    }
}
