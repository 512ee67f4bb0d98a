using System;
using System.Runtime;
using Arch.X64;
using Sync;
using TeachOS.Boundary;
using Terminal;

namespace Mem
{
    /// <summary>
    /// Memory for the kernel's C# objects: every <c>new</c> in the kernel ends here (through the base
    /// library's RhpNewFast and friends). There is no garbage collector; objects whose lifetime ends
    /// (a process's tables after it is reaped, say) are given back with <see cref="Free"/>.
    ///
    /// Design: a block is a header and a payload (Mem/HeapBlock.cs). Small blocks come from size
    /// classes kept in 64 KiB chunks (Mem/SmallBlockChunks.cs); a large block gets pages of its own in
    /// the heap's virtual area (Mem/HeapArea.cs), mapped page by page with any free frames, and gives
    /// them back when freed. Emptied chunks go back too, so frames taken by a burst of allocations
    /// return to the frame allocator once the burst is over.
    /// The heap starts with an area reserved in the kernel image (Mem/BootstrapHeap.cs), which serves
    /// until the frame allocator and the kernel's page tables exist, and is used up before the heap
    /// area takes frames (it can never be given back, so it is the cheapest memory there is).
    ///
    /// With `debug-heap` on the command line, the debugging heap (Mem/HeapDebug.cs) adds red zones,
    /// poison, a quarantine and guarded pages, and reports misuse with backtraces.
    /// </summary>
    public static unsafe class KernelHeap
    {
        // Bootstrap-area large blocks that were freed, kept for reuse (first fit): the bootstrap area
        // is part of the kernel image and never goes back.
        private static BlockHeader* s_freeBootstrapLarge;

        public static ulong BytesInUse { get; private set; }
        public static ulong PeakBytesInUse { get; private set; }
        public static ulong AllocationCount { get; private set; }
        public static ulong FreeCount { get; private set; }

        /// <summary>Memory the heap holds: the bootstrap area plus the pages it has mapped.</summary>
        public static ulong BytesReserved => BootstrapHeap.Size + HeapArea.MappedPages * Arch.X64.PageTables.PageSize;

        /// <summary>The heap's lock (Sched/SpinLock.cs lists the order): the innermost but the console's.</summary>
        private static Sync.SpinLock s_lock;

        /// <summary>Called by Platform.Allocate (the runtime's allocation hook).</summary>
        [RuntimeExport("teachos_platform_allocate")]
        private static void* PlatformAllocate(nuint size) => Allocate((ulong)size);

        /// <summary>Hands the heap its first memory, the bootstrap area.</summary>
        public static void AddMemory(byte* start, ulong bytes) => SmallBlockChunks.UseBootstrapArea(start, bytes);

        /// <summary>Lets the heap grow into its own virtual area (after the frame allocator and the kernel's page tables).</summary>
        public static void StartGrowing() => HeapArea.Initialize();

        /// <summary>Returns <paramref name="size"/> zeroed bytes, 16-byte aligned. Panics when memory is exhausted.</summary>
        [MayAllocate]
        public static void* Allocate(ulong size)
        {
            void* block = TryAllocate(size);
            if (block == null) Diagnostics.Panic.Halt("kernel heap exhausted: out of memory for a kernel allocation");
            return block;
        }

        /// <summary>
        /// Like <see cref="Allocate"/>, but returns null when memory is exhausted, for callers that can
        /// fail with ENOMEM instead of stopping the kernel.
        /// </summary>
        [MayAllocate]
        public static void* TryAllocate(ulong size)
        {
            if (size > MaximumBlock) return null;
            bool flags = s_lock.Acquire();
            void* block = HeapDebug.Enabled ? GuardedAllocations.TryTake(size) : null;
            if (block == null) block = AllocateLocked(size, HeapDebug.Enabled);
            if (block != null) Count(HeapDebug.Enabled && GuardedAllocations.Contains(block) ? GuardedAllocations.SlotBytes : BlockHeader.Of(block)->Bytes);
            s_lock.Release(flags);
            return block;
        }

        private const ulong MaximumBlock = 1UL << 40;        // no sum below can overflow

        private static void Count(ulong bytes)
        {
            BytesInUse += bytes;
            if (BytesInUse > PeakBytesInUse) PeakBytesInUse = BytesInUse;
            AllocationCount++;
        }

        private static void* AllocateLocked(ulong size, bool debug)
        {
            ulong recordBytes = debug ? (ulong)DebugRecord.Size : 0;
            ulong payloadAndRedZone = debug ? HeapDebug.PayloadWithRedZone(size) : (size + 15) & ~15UL;
            ulong needed = recordBytes + BlockHeader.Size + payloadAndRedZone;

            byte* start;
            byte kind;
            ulong bytes;
            if (needed <= SmallBlockChunks.LargestBlock)
            {
                int sizeClass = SmallBlockChunks.ClassFor(needed);
                start = SmallBlockChunks.Take(sizeClass);
                kind = (byte)sizeClass;
                bytes = SmallBlockChunks.ClassSize(sizeClass);
            }
            else
            {
                start = TakeLarge(needed, out bytes);
                kind = BlockHeader.LargeKind;
            }
            if (start == null) return null;

            var header = (BlockHeader*)(start + recordBytes);
            header->Magic = BlockHeader.LiveMagic;
            header->Kind = kind;
            header->HasDebugRecord = debug ? (byte)1 : (byte)0;
            header->Bytes = bytes;
            byte* payload = header->Payload;
            for (ulong* word = (ulong*)payload; word < (ulong*)(start + bytes); word++) *word = 0;   // both 16-byte aligned
            if (debug) HeapDebug.OnAllocate(header, size);
            return payload;
        }

        // A large block: what is left of the bootstrap area first (it is part of the kernel image and
        // can never go back, so using it costs nothing), then a run of fresh pages in the heap area.
        private static byte* TakeLarge(ulong needed, out ulong bytes)
        {
            BlockHeader* reused = TakeFreeBootstrapLarge(needed);
            if (reused != null)
            {
                bytes = reused->Bytes;
                return reused->Start;
            }
            bytes = (needed + 15) & ~15UL;
            byte* carved = SmallBlockChunks.CarveBootstrap(bytes);
            if (carved != null || !HeapArea.IsReady) return carved;

            ulong pages = (needed + Arch.X64.PageTables.PageSize - 1) / Arch.X64.PageTables.PageSize;
            bytes = pages * Arch.X64.PageTables.PageSize;
            ulong slots = (bytes + HeapArea.SlotSize - 1) / HeapArea.SlotSize;
            ulong start = HeapArea.TakeSlots(slots);
            if (start == 0) return null;
            return HeapArea.MapPages(start, pages, slots) ? (byte*)start : null;
        }

        /// <summary>Gives back a block from <see cref="Allocate"/>. Freeing twice stops the kernel at the second call.</summary>
        public static void Free([Frees] void* block)
        {
            if (block == null) return;
            // Freeing what the heap never gave (a string literal in the image, a stack buffer) would
            // corrupt its lists: stop loudly, at the call.
            if (!IsHeapAddress(block) || ((ulong)block & 15) != 0)
                Diagnostics.Panic.Halt("KernelHeap.Free: this memory is not from the heap");
            bool flags = s_lock.Acquire();
            if (GuardedAllocations.Contains(block))
            {
                GuardedAllocations.Give(block);
                FreeCount++;
                BytesInUse -= GuardedAllocations.SlotBytes;
                s_lock.Release(flags);
                return;
            }

            BlockHeader* header = BlockHeader.Of(block);
            if (header->Magic == BlockHeader.FreedMagic) HeapDebug.ReportDoubleFree(header);
            if (header->Magic != BlockHeader.LiveMagic)
                Diagnostics.Panic.Halt("KernelHeap.Free: not the start of a heap block (a pointer into the middle of one?)");
            header->Magic = BlockHeader.FreedMagic;
            BytesInUse -= header->Bytes;
            FreeCount++;
            if (header->HasDebugRecord != 0 && HeapDebug.OnFree(header)) Quarantine.Add(header);
            else ReturnBlock(header);
            s_lock.Release(flags);
        }

        /// <summary>Frees the memory of an object the kernel no longer references anywhere.</summary>
        public static void Free([Frees] object obj)
        {
            // The local `obj` holds the object's address; read it as a plain pointer.
            Free(*(void**)System.Runtime.CompilerServices.Unsafe.AsPointer(ref obj));
        }

        /// <summary>Puts a freed block's memory back where it came from. Lock held.</summary>
        internal static void ReturnBlock(BlockHeader* header)
        {
            if (header->Kind != BlockHeader.LargeKind)
            {
                SmallBlockChunks.Give(header->Start, header->Kind);
            }
            else if (SmallBlockChunks.InBootstrapArea(header))
            {
                *(BlockHeader**)header->Payload = s_freeBootstrapLarge;
                s_freeBootstrapLarge = header;
            }
            else
            {
                ulong pages = header->Bytes / Arch.X64.PageTables.PageSize;
                HeapArea.Release((ulong)header->Start, pages, (header->Bytes + HeapArea.SlotSize - 1) / HeapArea.SlotSize);
            }
        }

        private static BlockHeader* TakeFreeBootstrapLarge(ulong needed)
        {
            BlockHeader* previous = null;
            for (BlockHeader* block = s_freeBootstrapLarge; block != null; block = *(BlockHeader**)block->Payload)
            {
                // The new header is written from the block's start; a block much larger than needed
                // waits for a better fit (bytes in use would mislead).
                if (block->Bytes >= needed && block->Bytes <= 2 * needed)
                {
                    BlockHeader* next = *(BlockHeader**)block->Payload;
                    if (previous == null) s_freeBootstrapLarge = next;
                    else *(BlockHeader**)previous->Payload = next;
                    return block;
                }
                previous = block;
            }
            return null;
        }

        private static ulong s_releasing;    // CPUs inside ReleaseFreedPages

        /// <summary>
        /// Finishes freeing pages: unmaps what freed blocks and emptied chunks left, shoots the stale
        /// translations down, and returns the frames. Runs at moments with no lock held (it is called
        /// where freed kernel stacks are finished, Mem/KernelStack.cs FreeReleased).
        /// </summary>
        public static void ReleaseFreedPages()
        {
            if (!HeapArea.HasPending) return;
            // No thread switch halfway: ReturnCachedMemory waits for this to finish (see KernelStack.FreeReleased).
            Preemption.Disable();
            fixed (ulong* releasing = &s_releasing) Arch.X64.Atomic.Add(releasing, 1);
            HeapArea.ReleasePending(ref s_lock);
            fixed (ulong* releasing = &s_releasing) Arch.X64.Atomic.Add(releasing, ulong.MaxValue);
            Preemption.Enable();
        }

        /// <summary>
        /// Gives every frame the heap keeps only as a cache back to the frame allocator: the quarantine
        /// is emptied (each block checked), spare chunks go, and pending pages are released. The memory
        /// check around init calls this, so that its counts are exact. No lock held.
        /// </summary>
        public static void ReturnCachedMemory()
        {
            bool flags = s_lock.Acquire();
            Quarantine.Drain();
            SmallBlockChunks.ReleaseSpareChunks();
            s_lock.Release(flags);
            ReleaseFreedPages();
            while (System.Threading.Volatile.Read(ref s_releasing) != 0) Arch.X64.Cpu.Pause();
        }

        /// <summary>True for addresses the heap hands out: the bootstrap area, the heap area, guarded pages.</summary>
        private static bool IsHeapAddress(void* block) =>
            SmallBlockChunks.InBootstrapArea(block) || HeapArea.Contains((ulong)block) || GuardedAllocations.Contains(block);

        /// <summary>Prints the heap's figures (the `heap` line of the boot banner and of `mem`).</summary>
        public static void PrintUsage()
        {
            ulong kibInFrames = HeapArea.MappedPages * Arch.X64.PageTables.PageSize / 1024;
            Console.Write($"heap: {BytesInUse} bytes in use (peak {PeakBytesInUse}), {AllocationCount} allocations, {FreeCount} frees, " +
                $"{BytesReserved / 1024} KiB reserved ({kibInFrames} KiB of it in frames)");
            if (HeapDebug.Enabled)
            {
                Console.Write($"; debugging heap: {Quarantine.Bytes / 1024} KiB in quarantine, {GuardedAllocations.LiveCount} guarded blocks");
            }
            Console.WriteLine();
        }
    }
}
