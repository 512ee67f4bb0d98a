using Diagnostics;
using Terminal;

namespace Mem
{
    /// <summary>
    /// The debugging heap: turned on with `debug-heap` on the kernel command line (the integration
    /// tests add it to every boot; `make run` leaves it off because it costs time and memory).
    ///
    /// Heap bugs (a write past a block's end, a use after free, a double free) usually do their harm
    /// far from where they happen: the heap's own lists get corrupted and something unrelated crashes
    /// later. Linux's answers, which this heap imitates in small:
    /// - KASAN (Kernel Address Sanitizer) has the compiler check every memory access against "shadow
    ///   memory" that says which bytes are valid, so the bad access itself is reported, with the
    ///   block's allocation and free backtraces. Its other ideas need no compiler help: red zones
    ///   around blocks, and a quarantine that keeps freed blocks out of reuse for a while.
    /// - KFENCE (Kernel Electric Fence) has no compiler help: it puts a sample of blocks on pages of
    ///   their own, between unmapped guard pages, and unmaps a block's page when it is freed. The
    ///   MMU then does the checking: the bad access faults at once, and the page-fault handler
    ///   reports it.
    /// Our compiler (ilc) does not instrument accesses, so this heap does what needs no compiler:
    /// - every block records who allocated it and, once freed, who freed it (Mem/HeapBlock.cs);
    /// - a red zone after each block is filled with a pattern, checked when the block is freed;
    /// - a freed block is filled with poison and waits in a quarantine (Mem/Quarantine.cs); when it
    ///   leaves, any byte that is no longer poison was written after the free;
    /// - a second Free of a block finds it marked freed and stops at the call;
    /// - a sample of small blocks lives on guarded pages (Mem/GuardedAllocations.cs), where a use
    ///   after free or an overflow faults at the very access.
    /// Every report names the block's allocation and free backtraces and panics: a heap bug must
    /// stop the kernel where it is found.
    /// </summary>
    public static unsafe class HeapDebug
    {
        public static bool Enabled { get; private set; }

        public const byte RedZoneByte = 0xFC;        // Linux's slab uses the same values
        public const byte PoisonByte = 0x6B;
        private const ulong PoisonWord = 0x6B6B6B6B6B6B6B6B;   // payloads and block ends are 16-byte aligned
        private const ulong MinimumRedZone = 16;

        /// <summary>Reads `debug-heap` (on) or `debug-heap=off` from the command line. After HeapArea.Initialize.</summary>
        public static void Configure()
        {
            if (!Boot.CommandLine.Has("debug-heap") || Boot.CommandLine.Get("debug-heap") == "off") return;
            s_frameCache = (CachedFrame*)KernelHeap.Allocate((ulong)(sizeof(CachedFrame) * FrameCacheSize));
            GuardedAllocations.Initialize();
            Enabled = true;
            Console.WriteLine($"debugging heap on: red zones, poison, a {Quarantine.Limit / 1024} KiB quarantine, " +
                $"1 in {GuardedAllocations.SampleInterval} small blocks on guarded pages ({GuardedAllocations.SlotCount} slots)");
        }

        /// <summary>Bytes for the payload and its red zone: at least 16 bytes of red zone, 16-byte aligned.</summary>
        public static ulong PayloadWithRedZone(ulong size) => (size + MinimumRedZone + 15) & ~15UL;

        /// <summary>A new block: remember its size and who asked, and paint its red zone. Lock held.</summary>
        public static void OnAllocate(BlockHeader* header, ulong size)
        {
            DebugRecord* record = header->Record;
            record->RequestedBytes = size;
            record->QuarantineNext = null;
            RecordBacktrace(record->AllocatedBy);
            for (int i = 0; i < DebugRecord.Frames; i++) record->FreedBy[i] = 0;
            byte* end = header->Start + header->Bytes;
            for (byte* p = header->Payload + size; p < end; p++) *p = RedZoneByte;
        }

        /// <summary>
        /// A block being freed: check its red zone, remember who frees it, poison it. Returns whether it
        /// goes to the quarantine (blocks over Quarantine.LargestBlock go straight back). Lock held.
        /// </summary>
        public static bool OnFree(BlockHeader* header)
        {
            DebugRecord* record = header->Record;
            byte* redZone = header->Payload + record->RequestedBytes;
            byte* end = header->Start + header->Bytes;
            for (byte* p = redZone; p < end; p++)
            {
                if (*p == RedZoneByte) continue;
                Diagnostics.Panic.Begin();
                Console.WriteLine($"debugging heap: out-of-bounds write: the red zone after a block was overwritten " +
                    $"at offset {p - header->Payload} (found when the block was freed)");
                DescribeBlock(header->Payload, record->RequestedBytes, record->AllocatedBy, null);
                PrintCurrentBacktrace("being freed by");
                Diagnostics.Panic.End();
            }
            RecordBacktrace(record->FreedBy);
            if (header->Bytes > Quarantine.LargestBlock) return false;
            for (ulong* word = (ulong*)header->Payload; word < (ulong*)end; word++) *word = PoisonWord;
            return true;
        }

        /// <summary>A block leaving the quarantine: every byte must still be poison. Lock held.</summary>
        public static void CheckPoison(BlockHeader* header)
        {
            byte* end = header->Start + header->Bytes;
            for (ulong* word = (ulong*)header->Payload; word < (ulong*)end; word++)
            {
                if (*word == PoisonWord) continue;
                byte* p = (byte*)word;
                while (*p == PoisonByte) p++;
                DebugRecord* record = header->Record;
                Diagnostics.Panic.Begin();
                Console.WriteLine($"debugging heap: use after free: a freed block was written at offset {p - header->Payload} " +
                    $"(found when the block left the quarantine)");
                DescribeBlock(header->Payload, record->RequestedBytes, record->AllocatedBy, record->FreedBy);
                PrintCurrentBacktrace("found by");
                Diagnostics.Panic.End();
            }
        }

        /// <summary>Free of a block already freed: stop at the second call.</summary>
        public static void ReportDoubleFree(BlockHeader* header)
        {
            DebugRecord* record = header->Record;
            Diagnostics.Panic.Begin();
            string heap = record != null ? "debugging heap" : "kernel heap";
            Console.WriteLine($"{heap}: double free of the block at 0x{(ulong)header->Payload:x16}");
            if (record != null) DescribeBlock(header->Payload, record->RequestedBytes, record->AllocatedBy, record->FreedBy);
            else Console.WriteLine("  (no allocation or free backtrace: boot with debug-heap to record them)");
            PrintCurrentBacktrace("freed again by");
            Diagnostics.Panic.End();
        }

        /// <summary>Prints a block's address, size and both backtraces (the free's if it was freed).</summary>
        public static void DescribeBlock(void* payload, ulong size, ulong* allocatedBy, ulong* freedBy)
        {
            Console.WriteLine($"  the block: {size} bytes at 0x{(ulong)payload:x16}");
            PrintRecordedBacktrace("allocated by", allocatedBy);
            if (freedBy != null) PrintRecordedBacktrace("freed by", freedBy);
        }

        private static void PrintRecordedBacktrace(string title, ulong* frames)
        {
            Console.WriteLine($"  {title}:");
            for (int i = 0; i < DebugRecord.Frames && frames[i] != 0; i++)
            {
                Console.Write($"    #{i}  0x{frames[i]:x16}  ");
                SymbolTable.WriteLocation(frames[i]);
                Console.WriteLine();
            }
        }

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        private static void PrintCurrentBacktrace(string title)
        {
            ulong* frames = stackalloc ulong[DebugRecord.Frames];
            RecordBacktrace(frames);
            PrintRecordedBacktrace(title, frames);
        }

        private const int MaximumWalk = 24;

        /// <summary>
        /// Records the return addresses of the code that called into the heap (the heap's own frames
        /// and the runtime's allocation helpers are skipped): a few steps of the same unwinder the
        /// panic backtrace uses (Diagnostics/Backtrace.cs).
        /// </summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        public static void RecordBacktrace(ulong* frames)
        {
            UnwindRegisters registers;
            Backtrace.CaptureCallerRegisters(&registers);
            int recorded = 0;
            for (int walked = 0; walked < MaximumWalk && recorded < DebugRecord.Frames; walked++)
            {
                ulong returnAddress = registers.Rip;
                CachedFrame* frame = FrameAt(returnAddress - 1);
                if (!frame->Machinery) frames[recorded++] = returnAddress;
                if (!frame->Found || !Backtrace.Step(ref registers, frame->Rule)) break;
            }
            for (int i = recorded; i < DebugRecord.Frames; i++) frames[i] = 0;
        }

        // Finding a code address's unwind rule means searching and interpreting the call-frame
        // information; the same few hundred call sites allocate again and again, so the answers are
        // kept in a small cache indexed by address (without it, recording backtraces tripled the time
        // of a burst of 1,500 spawns). Used with the heap's lock held (or during a panic).
        private struct CachedFrame
        {
            public ulong Pc;
            public CallFrameInfo.Rule Rule;
            public bool Found;
            public bool Machinery;
        }

        private const int FrameCacheSize = 1024;
        private static CachedFrame* s_frameCache;

        private static CachedFrame s_uncached;      // before the cache exists (a double free reported without debug-heap)

        private static CachedFrame* FrameAt(ulong pc)
        {
            CachedFrame* frame;
            if (s_frameCache == null) fixed (CachedFrame* scratch = &s_uncached) frame = scratch;
            else frame = &s_frameCache[(int)((pc ^ (pc >> 10)) & (FrameCacheSize - 1))];
            if (frame->Pc == pc) return frame;
            frame->Found = CallFrameInfo.TryFind(pc, out frame->Rule);
            frame->Machinery = IsHeapMachinery(pc);
            frame->Pc = pc;
            return frame;
        }

        // Frames that say nothing about who allocated: the heap itself, the runtime's `new` helpers.
        private static bool IsHeapMachinery(ulong address)
        {
            long symbol = SymbolTable.Find(address);
            if (symbol < 0) return false;
            return SymbolTable.NameStartsWith(symbol, "Kernel_Mem_KernelHeap__")
                || SymbolTable.NameStartsWith(symbol, "Kernel_Mem_HeapDebug__")
                || SymbolTable.NameStartsWith(symbol, "Kernel_Mem_Quarantine__")
                || SymbolTable.NameStartsWith(symbol, "Kernel_Mem_GuardedAllocations__")
                || SymbolTable.NameStartsWith(symbol, "TeachOS_Runtime_Internal_Runtime_")
                || SymbolTable.NameStartsWith(symbol, "Rhp")
                || SymbolTable.NameStartsWith(symbol, "String__Allocate")
                || SymbolTable.NameStartsWith(symbol, "teachos_platform_");
        }
    }
}
