using Abi;
using Arch.X64;
using Mem;

namespace Proc
{
    /// <summary>
    /// mmap and munmap of anonymous private memory: zero-filled pages that belong to this process alone
    /// (fork gives the child its own copy), placed in the mapping window of the address space
    /// (Mem/UserLayout.cs) at the lowest free address. Like the heap, a mapping only promises frames
    /// (Mem/MemoryBudget.cs); its pages are mapped on first touch (Proc/UserPageFaults.cs). munmap takes
    /// any page range out of the mappings, whole ones or parts (a mapping cut in the middle becomes
    /// two), and gives back their frames and promises; exit and exec give back everything, as they do
    /// for the heap. The rules for arguments follow Linux's (docs/guide/05-processes.md lists them).
    /// Every change happens under the process's MemoryLock, the region list's under space.Lock too.
    /// </summary>
    public static unsafe class MemoryMappings
    {
        /// <summary>mmap: the address of a new mapping of <paramref name="length"/> bytes, or a negated errno.</summary>
        public static long Map(Process process, ulong length, int protection, int flags, int descriptor, long offset)
        {
            long refusal = CheckArguments(process, length, protection, flags, descriptor, offset);
            if (refusal != 0) return refusal;
            if (length > UserLayout.MappingEnd - UserLayout.MappingStart) return -Errno.ENOMEM;
            ulong size = PageUp(length), pages = size / PageTables.PageSize;
            bool writable = (protection & MemoryProtection.Write) != 0;

            process.MemoryLock.Acquire();
            AddressSpace space = process.AddressSpace;
            MemoryRegions regions = process.Mappings;
            ulong start = regions.FindGap(size, UserLayout.MappingStart, UserLayout.MappingEnd);
            long result = start == 0 || regions.Count == MemoryRegions.Capacity ? -Errno.ENOMEM : 0;
            // A program linked inside the window owns pages there, and a heap may reach into it: a
            // mapping never lands on either (its pages must all be lazy, or their promises would leak).
            if (result == 0 && start < UserLayout.HeapEnd(process.HeapStart) && process.HeapStart < start + size)
                result = -Errno.ENOMEM;
            if (result == 0 && !UserPageFaults.TryPromise(space, pages)) result = -Errno.ENOMEM;
            if (result == 0)
            {
                bool lockFlags = space.Lock.Acquire();
                if (space.CountUnmappedPages(start, start + size) == pages) regions.TryAdd(start, start + size, writable);
                else
                {
                    space.ForgetPromisedPages(pages);
                    result = -Errno.ENOMEM;
                }
                space.Lock.Release(lockFlags);
            }
            process.MemoryLock.Release();
            return result < 0 ? result : (long)start;
        }

        /// <summary>
        /// munmap: no mapping covers [address, address + length) any more; 0, or a negated errno.
        /// Pages of the range that were not mapped are no error (as on Linux).
        /// </summary>
        public static long Unmap(Process process, ulong address, ulong length)
        {
            if ((address & (PageTables.PageSize - 1)) != 0 || length == 0) return -Errno.EINVAL;
            if (address < UserLayout.MappingStart || address > UserLayout.MappingEnd || length > UserLayout.MappingEnd - address)
                return -Errno.EINVAL;                       // the heap, the program and the stack are not munmap's
            ulong end = address + PageUp(length);

            process.MemoryLock.Acquire();
            AddressSpace space = process.AddressSpace;
            MemoryRegions regions = process.Mappings;
            // The parts of the range that are mapped, noted before the regions change: only those have
            // pages to give back, and walking the whole range page by page could take a very long time.
            ulong* starts = stackalloc ulong[MemoryRegions.Capacity];
            ulong* ends = stackalloc ulong[MemoryRegions.Capacity];
            int parts = 0;
            long result = 0;
            bool lockFlags = space.Lock.Acquire();
            if (regions.RemoveNeedsRoom(address, end)) result = -Errno.ENOMEM;
            else
            {
                for (int i = 0; i < regions.Count; i++)
                {
                    MemoryRegions.Region region = regions.At(i);
                    if (region.End <= address || region.Start >= end) continue;
                    starts[parts] = region.Start > address ? region.Start : address;
                    ends[parts] = region.End < end ? region.End : end;
                    parts++;
                }
                regions.Remove(address, end);               // from here on no touch maps a page there
            }
            space.Lock.Release(lockFlags);
            for (int i = 0; i < parts; i++) UserPageRelease.Release(space, starts[i], ends[i]);
            process.MemoryLock.Release();
            return result;
        }

        private static long CheckArguments(Process process, ulong length, int protection, int flags, int descriptor, long offset)
        {
            if (length == 0) return -Errno.EINVAL;
            if ((protection & ~(MemoryProtection.Read | MemoryProtection.Write)) != 0 || protection == MemoryProtection.None)
                return -Errno.EINVAL;                       // no executable mappings, no PROT_NONE
            if ((flags & ~(MappingFlags.Shared | MappingFlags.Private | MappingFlags.Anonymous)) != 0) return -Errno.EINVAL;
            if ((flags & (MappingFlags.Shared | MappingFlags.Private)) != MappingFlags.Private) return -Errno.EINVAL;
            if ((flags & MappingFlags.Anonymous) != 0)
                return descriptor == -1 && offset == 0 ? 0 : -Errno.EINVAL;
            // A file's pages: only a descriptor that is open may be named, and mapping files is not
            // built yet (the mmap lab, docs/assignments/mmap.md, builds it).
            Fs.OpenFile file = process.Files.Acquire(descriptor);
            if (file == null) return -Errno.EBADF;
            file.Release();
            return -Errno.ENODEV;
        }

        private static ulong PageUp(ulong length) => (length + PageTables.PageSize - 1) & ~(PageTables.PageSize - 1);
    }
}
