using Arch.X64;

namespace Mem
{
    /// <summary>
    /// The regions of a process's user half, and the gaps between them that are never mapped. The loader
    /// (Loader/ProgramLoader.cs) puts the program's segments and the stack here, sbrk (Proc/ProgramBreak.cs)
    /// grows the heap here, and neither may cross into another region:
    /// <code>
    ///   0x0000_8000_0000_0000  UserEnd        first non-canonical address; the kernel's half is far above
    ///                          top guard      one page, never mapped
    ///   0x0000_7FFF_FFFF_F000  StackTop
    ///                          stack          16 pages, mapped when the program is loaded
    ///   0x0000_7FFF_FFFE_F000  StackBottom
    ///                          guard gap      1 MiB, never mapped: a stack that overflows faults here, and
    ///                                         the heap can never reach the stack
    ///   0x0000_7FFF_FFEE_F000  HeapCeiling
    ///                          heap reserve   1 MiB that only the heap may use: every program has room
    ///   0x0000_7FFF_FFDE_F000  ProgramCeiling no segment may end above this
    ///   0x0000_7000_0000_0000  MappingEnd
    ///                          mappings       mmap's window: each mapping at the lowest free address
    ///                                         (Proc/MemoryMappings.cs; never over a program linked
    ///                                         this high, nor over the reach of its heap)
    ///   0x0000_1000_0000_0000  MappingStart
    ///                          heap           from HeapStart (the end of the last segment, rounded up to a
    ///                                         page), grown by sbrk to at most HeapLimit, below HeapCeiling
    ///                          data, code     the ELF's segments, where the program was linked (4 MiB up)
    ///   0x0000_0000_0000_1000  UserStart
    ///                          null guard     page 0, never mapped: a null pointer faults
    /// </code>
    /// Linux draws the same picture (its stack_guard_gap is 256 pages); xv6 keeps one guard page below
    /// a stack of one page and lets the heap grow up to the trampoline.
    /// </summary>
    public static class UserLayout
    {
        private const ulong MiB = 1024 * 1024;

        public const ulong StackTop = AddressSpace.UserEnd - PageTables.PageSize;
        public const int StackPages = 16;                                       // 64 KiB
        public const ulong StackBottom = StackTop - StackPages * PageTables.PageSize;

        /// <summary>Unmapped space under the stack; larger than any stack frame a program makes at once.</summary>
        public const ulong StackGuardGap = 1 * MiB;
        public const ulong HeapCeiling = StackBottom - StackGuardGap;

        /// <summary>The least heap every program gets: the loader refuses segments that would leave less.</summary>
        public const ulong HeapReserve = 1 * MiB;
        public const ulong ProgramCeiling = HeapCeiling - HeapReserve;

        /// <summary>The most a heap may grow, wherever it starts.</summary>
        public const ulong HeapLimit = 256 * MiB;

        /// <summary>Where mmap places mappings: 96 TiB, far from a program linked where programs usually are.</summary>
        public const ulong MappingStart = 0x0000_1000_0000_0000;
        public const ulong MappingEnd = 0x0000_7000_0000_0000;

        /// <summary>True if a segment [start, start + size) lies in the program's region (overflow-safe).</summary>
        public static bool InProgramRegion(ulong start, ulong size) =>
            Bounds.Within(start, size, AddressSpace.UserStart, ProgramCeiling);

        /// <summary>How far a heap that starts at <paramref name="heapStart"/> may grow: HeapLimit, and never past HeapCeiling.</summary>
        public static ulong HeapEnd(ulong heapStart) =>
            heapStart >= HeapCeiling ? heapStart : HeapCeiling - heapStart < HeapLimit ? HeapCeiling : heapStart + HeapLimit;
    }
}
