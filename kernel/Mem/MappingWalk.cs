using System;
using Abi;
using Arch.X64;

namespace Mem
{
    /// <summary>A stretch of a process's user half and what the process keeps there (abi/Structures.cs MappingBacking).</summary>
    public struct MappingRegion
    {
        public ulong Start;
        public ulong End;                    // first address after the region
        public int Backing;
    }

    /// <summary>
    /// The page-table view behind vmmap: walks a user half the way the MMU does (PML4, PDPT, PD, PT;
    /// Arch/X64/PageTables.cs) and describes it as runs of pages that look alike: consecutive addresses
    /// whose entries carry the same bits and that lie in the same region of the process. A program of
    /// 40 pages comes out as a handful of records (code, data, heap, stack), the way /proc/PID/maps
    /// shows a Linux process.
    ///
    /// The walk reports what the entries say, not what the kernel meant: the Accessed and Dirty bits
    /// the CPU sets, the software bits (9-11) the kernel may use (copy-on-write marks its pages there),
    /// and entries that are not present but not empty either. The regions (program, heap, stack, ...)
    /// come from the process (Proc/ProcessRegions.cs), which knows its layout; the page tables do not.
    /// </summary>
    public static unsafe class MappingWalk
    {
        private const int UserSlots = 256;          // PML4 entries 0-255: the user half
        private const int EntriesPerTable = 512;
        private const ulong SoftwareBits = 7UL << 9;
        private const ulong AccessedBit = 1UL << 5;
        private const ulong DirtyBit = 1UL << 6;

        // The run being gathered while the walk goes on, and where finished runs go.
        private struct Gathering
        {
            public MappingRecord Run;
            public bool Open;
            public int Count;                       // runs finished so far (all of them, kept or not)
        }

        /// <summary>
        /// Describes <paramref name="space"/>'s user half into <paramref name="records"/>, lowest address
        /// first, and returns how many records it takes: more than records.Length when they did not all
        /// fit (then only the first records.Length are written). The caller keeps the tables still: it
        /// holds the space's Lock (sbrk unlinks tables under it) and keeps the space alive.
        /// </summary>
        public static int Describe(AddressSpace space, ReadOnlySpan<MappingRegion> regions, Span<MappingRecord> records)
        {
            var gathering = new Gathering();
            ulong* pml4 = (ulong*)DirectMap.ToVirtual(space.Pml4);
            for (int slot = 0; slot < UserSlots; slot++)
            {
                if ((pml4[slot] & PageTables.Present) == 0) continue;
                WalkTable(pml4[slot] & PageTables.AddressMask, level: 2, (ulong)slot << 39, regions, records, ref gathering);
            }
            Finish(ref gathering, records);
            return gathering.Count;
        }

        // level 2 = a PDPT, 1 = a PD, 0 = a PT (whose entries are pages). `start` is the first address
        // the table maps; each entry of a level-n table covers 4 KiB << (9 * n).
        private static void WalkTable(ulong table, int level, ulong start, ReadOnlySpan<MappingRegion> regions,
                                      Span<MappingRecord> records, ref Gathering gathering)
        {
            ulong* entries = (ulong*)DirectMap.ToVirtual(table);
            int shift = 12 + 9 * level;
            for (int i = 0; i < EntriesPerTable; i++)
            {
                ulong entry = entries[i];
                ulong address = start + ((ulong)i << shift);
                if (level == 0)
                {
                    // An empty entry maps nothing; one with bits but no Present bit is shown as it is.
                    if (entry != 0) AddPage(address, entry, regions, records, ref gathering);
                }
                else if ((entry & PageTables.Present) != 0)
                {
                    // User space is mapped 4 KiB at a time (AddressSpace.TryMapNewPage): no huge pages here.
                    WalkTable(entry & PageTables.AddressMask, level - 1, address, regions, records, ref gathering);
                }
            }
        }

        private static void AddPage(ulong address, ulong entry, ReadOnlySpan<MappingRegion> regions,
                                    Span<MappingRecord> records, ref Gathering gathering)
        {
            int flags = FlagsOf(entry);
            int software = (int)((entry & SoftwareBits) >> 9);
            int backing = BackingOf(address, regions);
            ref MappingRecord run = ref gathering.Run;
            bool continues = gathering.Open && run.End == address && run.Flags == flags
                             && run.Software == software && run.Backing == backing;
            if (!continues)
            {
                Finish(ref gathering, records);
                run = new MappingRecord { Start = address, End = address, Flags = flags, Software = software, Backing = backing };
                gathering.Open = true;
            }
            run.End = address + PageTables.PageSize;
            if ((entry & PageTables.Present) != 0) run.Frames++;
        }

        private static void Finish(ref Gathering gathering, Span<MappingRecord> records)
        {
            if (!gathering.Open) return;
            if (gathering.Count < records.Length) records[gathering.Count] = gathering.Run;
            gathering.Count++;
            gathering.Open = false;
        }

        private static int FlagsOf(ulong entry)
        {
            int flags = 0;
            if ((entry & PageTables.Present) != 0) flags |= PageFlags.Present;
            if ((entry & PageTables.User) != 0) flags |= PageFlags.User;
            if ((entry & PageTables.Writable) != 0) flags |= PageFlags.Writable;
            if ((entry & PageTables.NoExecute) == 0) flags |= PageFlags.Executable;
            if ((entry & AccessedBit) != 0) flags |= PageFlags.Accessed;
            if ((entry & DirtyBit) != 0) flags |= PageFlags.Dirty;
            return flags;
        }

        // The first region that holds the address wins: the caller lists thread stacks before the heap they lie in.
        private static int BackingOf(ulong address, ReadOnlySpan<MappingRegion> regions)
        {
            for (int i = 0; i < regions.Length; i++)
                if (address >= regions[i].Start && address < regions[i].End) return regions[i].Backing;
            return MappingBacking.Unknown;
        }
    }
}
