using System.Runtime.CompilerServices;
using Arch.X64;
using Mem;
using static Tests.KernelTestRunner;

namespace Tests
{
    /// <summary>A process's page tables: a mapped page is never mapped over, and tables left empty go back.</summary>
    public static unsafe class AddressSpaceTests
    {
        /// <summary>
        /// Maps 3 MiB of user pages across a 1 GiB boundary (so two page tables and two page directories
        /// hold them), then unmaps them: every frame, the tables' too, is free again before the address
        /// space ends. A heap that grew and shrank used to keep its page tables for the process's life.
        /// </summary>
        public static void EmptyTablesAreFreed()
        {
            const ulong start = 0x40000000 - 0x100000;
            const int pages = 768;
            ulong before = FrameAllocator.FreeFrames;
            AddressSpace space = AddressSpace.Create();
            ulong afterCreate = FrameAllocator.FreeFrames;
            for (int i = 0; i < pages; i++)
                Check(space.TryMapNewPage(start + (ulong)i * PageTables.PageSize, writable: true, executable: false) != 0, "a page maps");
            CheckEqual((long)(afterCreate - pages - 5), (long)FrameAllocator.FreeFrames, "frames for the pages, 2 page tables, 2 directories and a PDPT");

            ulong entry = space.EntryFor(start);
            CheckEqual((long)PageTables.MapResult.AlreadyMapped, (long)PageTables.TryMap(space.Pml4, start, 0x1000, PageTables.User), "mapping a present page is refused");
            Check(space.EntryFor(start) == entry, "and the entry is as it was");
            CheckEqual(0, (long)space.TryMapNewPage(start, writable: true, executable: false), "TryMapNewPage over a present page gives 0");

            for (int i = 0; i < pages; i++) FrameAllocator.Free(space.UnmapPage(start + (ulong)i * PageTables.PageSize));
            CheckEqual((long)(afterCreate - 5), (long)FrameAllocator.FreeFrames, "the pages are free; the tables are still there");
            ulong* tables = stackalloc ulong[3];
            int unlinked = 0;
            for (ulong stretch = start; stretch < start + pages * PageTables.PageSize; stretch += PageTables.LargePageSize)
            {
                int count = space.UnlinkEmptyTables(stretch, tables);
                for (int i = 0; i < count; i++) FrameAllocator.Free(tables[i]);
                unlinked += count;
            }
            CheckEqual(5, unlinked, "every table left empty is unlinked");
            CheckEqual((long)afterCreate, (long)FrameAllocator.FreeFrames, "every frame is back while the address space lives");
            CheckEqual(0, (long)space.EntryFor(start), "nothing is mapped");
            space.Destroy();
            CheckEqual((long)before, (long)FrameAllocator.FreeFrames, "and the PML4 goes with the address space");
        }

        /// <summary>
        /// fork's eager copy (Mem/AddressSpaceCopy.cs): every page of the parent appears in the child at
        /// the same address with the same permissions and bytes, in a frame of its own; a write to one
        /// side is not seen by the other; destroying the child gives back every frame the copy took.
        /// </summary>
        public static void CopyIsFaithfulAndPrivate()
        {
            const ulong code = 0x400000, data = 0x40000000 - 0x1000;     // data crosses a 1 GiB boundary
            ulong before = FrameAllocator.FreeFrames;
            AddressSpace parent = AddressSpace.Create();
            ulong codeFrame = parent.TryMapNewPage(code, writable: false, executable: true);
            ulong dataFrames0 = parent.TryMapNewPage(data, writable: true, executable: false);
            ulong dataFrames1 = parent.TryMapNewPage(data + PageTables.PageSize, writable: true, executable: false);
            *(ulong*)DirectMap.ToVirtual(codeFrame) = 0xC0DE;
            *(ulong*)((byte*)DirectMap.ToVirtual(dataFrames0) + 4088) = 0xDA7A;
            *(ulong*)DirectMap.ToVirtual(dataFrames1) = 0xDA7B;
            ulong afterParent = FrameAllocator.FreeFrames;

            AddressSpace child = AddressSpace.Create();
            CheckEqual(0, AddressSpaceCopy.CopyUserPages(parent, child), "the copy succeeds");
            CheckEqual((long)parent.MappedPages, (long)child.MappedPages, "as many pages in the child as in the parent");
            ulong[] addresses = { code, data, data + PageTables.PageSize };
            foreach (ulong address in addresses)
            {
                ulong parentEntry = parent.EntryFor(address), childEntry = child.EntryFor(address);
                const ulong Permissions = PageTables.Present | PageTables.Writable | PageTables.User | PageTables.NoExecute;
                CheckEqual((long)(parentEntry & Permissions), (long)(childEntry & Permissions), "the same permissions");
                Check((parentEntry & PageTables.AddressMask) != (childEntry & PageTables.AddressMask), "a frame of its own");
            }
            ulong childData0 = child.EntryFor(data) & PageTables.AddressMask, childData1 = child.EntryFor(data + PageTables.PageSize) & PageTables.AddressMask;
            CheckEqual(0xC0DE, (long)*(ulong*)DirectMap.ToVirtual(child.EntryFor(code) & PageTables.AddressMask), "the code page's bytes");
            CheckEqual(0xDA7A, (long)*(ulong*)((byte*)DirectMap.ToVirtual(childData0) + 4088), "the last bytes of the first data page");
            CheckEqual(0xDA7B, (long)*(ulong*)DirectMap.ToVirtual(childData1), "the first bytes of the second, across the boundary");
            *(ulong*)DirectMap.ToVirtual(childData1) = 0xC417D;
            CheckEqual(0xDA7B, (long)*(ulong*)DirectMap.ToVirtual(dataFrames1), "the child's write stays in the child");

            child.Destroy();
            CheckEqual((long)afterParent, (long)FrameAllocator.FreeFrames, "destroying the child gives back its pages and tables");
            parent.Destroy();
            CheckEqual((long)before, (long)FrameAllocator.FreeFrames, "and the parent's");
        }

        /// <summary>
        /// A deliberate kernel bug: the kernel maps one of its pages twice. PageMapping.Map does not
        /// overwrite the entry (its frame would be lost); it stops the machine and says why.
        /// </summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        public static void MapTwice()
        {
            AddressSpace space = AddressSpace.Create();
            const ulong page = 0x40000000;
            PageMapping.Map(space.Pml4, page, FrameAllocator.Allocate(), PageTables.Writable);
            PageMapping.Map(space.Pml4, page, FrameAllocator.Allocate(), PageTables.Writable);
        }
    }
}
