namespace Arch.X64
{
    /// <summary>
    /// x86-64 four-level paging (Intel SDM vol. 3A, 4.5). A virtual address splits into four 9-bit
    /// table indexes and a 12-bit offset:
    /// <code>
    ///   47      39 38      30 29      21 20      12 11        0
    ///   [ PML4   ][  PDPT   ][   PD    ][   PT    ][  offset  ]
    /// </code>
    /// Each table is one 4 KiB frame of 512 entries; an entry holds the next table's (or the page's)
    /// physical address and permission bits. Tables are reached through the direct map.
    /// This is the only code that writes page-table entries.
    /// </summary>
    public static unsafe class PageTables
    {
        /// <summary>Where new tables' frames come from (registered by KernelMain: Arch allocates nothing).</summary>
        public static IPageTableFrames Frames;

        public const ulong Present = 1UL << 0;
        public const ulong Writable = 1UL << 1;
        public const ulong User = 1UL << 2;            // ring 3 may use the page
        public const ulong WriteThrough = 1UL << 3;    // PWT: writes go straight to memory
        public const ulong CacheDisable = 1UL << 4;    // PCD: never cached (device registers)
        public const ulong Huge = 1UL << 7;            // in a PD (2 MiB) or PDPT (1 GiB): maps directly
        public const ulong Global = 1UL << 8;          // survives CR3 reloads (kernel mappings)
        public const ulong NoExecute = 1UL << 63;      // needs EFER.NXE, set in Boot/Start.asm
        public const ulong AddressMask = 0x000FFFFFFFFFF000;

        public const ulong PageSize = 4096;
        public const ulong UserHalfEnd = 0x0000800000000000;   // the lower canonical half: user space
        public const ulong LargePageSize = 2 * 1024 * 1024;

        private static int Index(ulong virtualAddress, int level) => (int)((virtualAddress >> (12 + 9 * level)) & 511);

        private static ulong* Table(ulong physical) => (ulong*)DirectMap.ToVirtual(physical & AddressMask);

        /// <summary>
        /// The entry that maps the 4 KiB page at <paramref name="virtualAddress"/>, creating the tables
        /// on the way when <paramref name="create"/> is set; null if a table is missing (or no frame was
        /// left to make one) or the address is covered by a huge page. Intermediate entries get the most
        /// permissive bits (the leaf decides).
        /// </summary>
        public static ulong* Walk(ulong pml4Physical, ulong virtualAddress, bool create)
        {
            ulong* table = Table(pml4Physical);
            for (int level = 3; level > 0; level--)
            {
                ulong* entry = &table[Index(virtualAddress, level)];
                if ((*entry & Present) == 0)
                {
                    if (!create) return null;
                    ulong newTable = Frames.TryAllocate();
                    if (newTable == 0) return null;
                    bool userHalf = virtualAddress < UserHalfEnd;
                    *entry = newTable | Present | Writable | (userHalf ? User : 0);
                }
                else if ((*entry & Huge) != 0)
                {
                    return null;
                }
                table = Table(*entry);
            }
            return &table[Index(virtualAddress, 0)];
        }

        /// <summary>What <see cref="TryMap"/> did.</summary>
        public enum MapResult { Mapped, AlreadyMapped, NoMemory }

        /// <summary>
        /// Maps one 4 KiB page, unless the page is mapped already: an entry in use is never overwritten
        /// (its frame would be lost, and another CPU may still use the old translation). NoMemory if a
        /// page table was needed and no frame was left for it; the tables made on the way stay (empty),
        /// for <see cref="UnlinkEmptyTables"/> or the address space's end to free.
        /// </summary>
        public static MapResult TryMap(ulong pml4Physical, ulong virtualAddress, ulong physical, ulong flags)
        {
            ulong* entry = Walk(pml4Physical, virtualAddress, create: true);
            if (entry == null) return MapResult.NoMemory;
            if ((*entry & Present) != 0) return MapResult.AlreadyMapped;
            *entry = (physical & AddressMask) | flags | Present;
            return MapResult.Mapped;
        }

        /// <summary>Maps one 2 MiB page directly from a page directory (used for the direct map).</summary>
        public static void MapLarge(ulong pml4Physical, ulong virtualAddress, ulong physical, ulong flags)
        {
            ulong* table = Table(pml4Physical);
            for (int level = 3; level > 1; level--)
            {
                ulong* entry = &table[Index(virtualAddress, level)];
                if ((*entry & Present) == 0) *entry = Frames.Allocate() | Present | Writable;
                table = Table(*entry);
            }
            table[Index(virtualAddress, 1)] = (physical & AddressMask) | flags | Present | Huge;
        }

        /// <summary>Removes a 4 KiB mapping; returns the physical address it had, or 0.</summary>
        public static ulong Unmap(ulong pml4Physical, ulong virtualAddress)
        {
            ulong* entry = Walk(pml4Physical, virtualAddress, create: false);
            if (entry == null || (*entry & Present) == 0) return 0;
            ulong physical = *entry & AddressMask;
            *entry = 0;
            SystemRegisters.InvalidatePage(virtualAddress);
            return physical;
        }

        /// <summary>
        /// Takes the page tables that map nothing any more off the path to <paramref name="virtualAddress"/>:
        /// the page table if none of its 512 entries is present, then its page directory if that became
        /// empty, then the PDPT. Writes their physical addresses to <paramref name="unlinked"/> (room for
        /// three) and returns how many. User half only: the PML4 and the kernel's shared tables stay. The
        /// caller frees the frames only after every CPU has forgotten the path (a TLB shootdown of an
        /// address under them: INVLPG also drops the cached upper-level entries, Intel SDM vol. 3A 4.10.4.1).
        /// </summary>
        public static int UnlinkEmptyTables(ulong pml4Physical, ulong virtualAddress, ulong* unlinked)
        {
            if (virtualAddress >= UserHalfEnd) return 0;
            ulong** entries = stackalloc ulong*[3];                 // [0]: the PML4 entry, [1]: PDPT's, [2]: PD's
            ulong* table = Table(pml4Physical);
            for (int level = 3; level > 0; level--)
            {
                ulong* entry = &table[Index(virtualAddress, level)];
                if ((*entry & Present) == 0 || (*entry & Huge) != 0) return 0;
                entries[3 - level] = entry;
                table = Table(*entry);
            }
            int count = 0;
            for (int i = 2; i >= 0; i--)                            // the page table first, then up the tree
            {
                if (!IsEmpty(Table(*entries[i]))) break;
                unlinked[count++] = *entries[i] & AddressMask;
                *entries[i] = 0;
            }
            if (count > 0) SystemRegisters.InvalidatePage(virtualAddress);
            return count;
        }

        private static bool IsEmpty(ulong* table)
        {
            for (int i = 0; i < 512; i++)
                if ((table[i] & Present) != 0) return false;
            return true;
        }

        /// <summary>The entry for a 4 KiB page (0 if unmapped), for translation and permission checks.</summary>
        public static ulong EntryFor(ulong pml4Physical, ulong virtualAddress)
        {
            ulong* entry = Walk(pml4Physical, virtualAddress, create: false);
            return entry == null ? 0 : *entry;
        }

        /// <summary>Points entry <paramref name="index"/> of one PML4 at the same table as another's (shared kernel half).</summary>
        public static void CopyTopLevelEntry(ulong fromPml4, ulong toPml4, int index) =>
            Table(toPml4)[index] = Table(fromPml4)[index];

        /// <summary>Makes sure PML4 entry <paramref name="index"/> has a table, so that every address space
        /// that copies it shares whatever is mapped below it later.</summary>
        public static void EnsureTopLevelTable(ulong pml4Physical, int index)
        {
            ulong* pml4 = Table(pml4Physical);
            if ((pml4[index] & Present) == 0) pml4[index] = Frames.Allocate() | Present | Writable;
        }

        public static void Activate(ulong pml4Physical) => SystemRegisters.WriteCr3(pml4Physical);

        /// <summary>The physical address of the PML4 the CPU uses now (CR3).</summary>
        public static ulong ActiveRoot => SystemRegisters.ReadCr3();

        /// <summary>Drops this CPU's cached translation of one page (other CPUs need a shootdown IPI).</summary>
        public static void InvalidateLocal(ulong virtualAddress) => SystemRegisters.InvalidatePage(virtualAddress);

        /// <summary>
        /// Sets CR4.PGE so that entries marked Global survive a CR3 write: the kernel half is the same
        /// in every address space, so its translations need not be flushed at each process switch.
        /// </summary>
        public static void EnableGlobalPages() =>
            SystemRegisters.WriteCr4(SystemRegisters.ReadCr4() | Cr4PageGlobalEnable);

        private const ulong Cr4PageGlobalEnable = 1UL << 7;
    }
}
