using System;
using Abi;
using Mem;
using Sched;

namespace Proc
{
    /// <summary>
    /// vmmap's view of a process (Mem/MappingWalk.cs walks the tables): the regions the process knows
    /// of, from its layout (Mem/UserLayout.cs) and its own fields, and the walk itself, made while the
    /// process can neither exit nor change its tables.
    ///
    /// Why two locks: another process may exit while it is looked at. Exit forgets its AddressSpace
    /// under Scheduler.ThreadStateLock before freeing it (Proc/Processes.cs ExitThread), and exec swaps
    /// it under the same lock, so with that lock held a space that is not null stays alive. Its tables
    /// may still change (sbrk unmaps pages and unlinks empty tables), and those changes are made
    /// under AddressSpace.Lock, taken second. Both are spin locks: the walk reads only tables, never
    /// user memory, and allocates nothing, so it never has to sleep.
    /// </summary>
    public static unsafe class ProcessMappings
    {
        /// <summary>The most records one call describes; a process with more gets -ERANGE and the count.</summary>
        public const int MaximumRecords = 1024;

        // The stacks of up to 29 other threads, the heap, the program, the main stack, and every mmap
        // mapping (at most MemoryRegions.Capacity).
        private const int MaximumRegions = 32 + MemoryRegions.Capacity;

        /// <summary>
        /// Describes process <paramref name="pid"/> (0: <paramref name="caller"/>) into
        /// <paramref name="records"/>; returns how many records it takes (more than records.Length when
        /// they did not fit), or -ESRCH.
        /// </summary>
        public static long Describe(int pid, Process caller, Span<MappingRecord> records)
        {
            MappingRegion* regions = stackalloc MappingRegion[MaximumRegions];
            bool flags = Scheduler.ThreadStateLock.Acquire();
            Process target = pid == 0 ? caller : pid < 0 ? null : Processes.Find(pid, caller.PidNamespace);
            AddressSpace space = target == null || target.IsZombie ? null : target.AddressSpace;
            long result = -Errno.ESRCH;
            if (space != null)
            {
                int count = RegionsLocked(target, new Span<MappingRegion>(regions, MaximumRegions - MemoryRegions.Capacity));
                bool spaceFlags = space.Lock.Acquire();
                // mmap's mappings change under the address space's lock (Proc/MemoryMappings.cs).
                for (int i = 0; i < target.Mappings.Count; i++)
                {
                    MemoryRegions.Region mapping = target.Mappings.At(i);
                    regions[count++] = Region(mapping.Start, mapping.End, MappingBacking.Mmap);
                }
                result = MappingWalk.Describe(space, new ReadOnlySpan<MappingRegion>(regions, count), records);
                space.Lock.Release(spaceFlags);
            }
            Scheduler.ThreadStateLock.Release(flags);
            return result;
        }

        // The process's regions, the narrowest first (MappingWalk takes the first that holds a page):
        // the stacks of its other threads, which lie in its heap, then the heap, the program below it,
        // and the main stack. (mmap's mappings follow, read under the address space's lock.)
        // ThreadStateLock held: the thread table and the process's fields stay as they are.
        private static int RegionsLocked(Process process, Span<MappingRegion> regions)
        {
            int count = 0;
            for (int i = 0; i < ThreadTable.Count && count < regions.Length - 3; i++)
            {
                Thread thread = ThreadTable.At(i);
                if (thread.Owner != process || thread == process.MainThread || thread.State == ThreadState.Zombie) continue;
                if (thread.UserStackTop == 0 || thread.Stack == null) continue;
                // Where the thread's stack pointer was when it last entered the kernel, up to its top:
                // the part of its stack that holds frames (a thread running in user mode now may have
                // moved it since).
                ulong pointer = thread.UserFrame->Rsp;
                if (pointer == 0 || pointer > thread.UserStackTop) continue;
                ulong lowest = pointer == thread.UserStackTop ? pointer - 1 : pointer;
                regions[count++] = Region(PageDown(lowest), PageUp(thread.UserStackTop), MappingBacking.ThreadStack);
            }
            regions[count++] = Region(process.HeapStart, UserLayout.HeapEnd(process.HeapStart), MappingBacking.Heap);
            regions[count++] = Region(AddressSpace.UserStart, process.HeapStart, MappingBacking.Program);
            regions[count++] = Region(UserLayout.StackBottom, UserLayout.StackTop, MappingBacking.Stack);
            return count;
        }

        private static MappingRegion Region(ulong start, ulong end, int backing) =>
            new MappingRegion { Start = start, End = end, Backing = backing };

        private static ulong PageDown(ulong address) => address & ~(Arch.X64.PageTables.PageSize - 1);

        private static ulong PageUp(ulong address) => PageDown(address + Arch.X64.PageTables.PageSize - 1);
    }
}
