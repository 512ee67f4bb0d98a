using Arch.X64;
using Boot;

namespace Mem
{
    /// <summary>
    /// The kernel's half of every address space (the top half, from 0xFFFF800000000000), replacing
    /// the coarse boot tables of Boot/Start.asm with precise ones:
    /// <code>
    ///   0xFFFF800000000000  direct map: all physical memory, 2 MiB pages, read/write, never executable
    ///   0xFFFFFE0000000000  kernel stacks, 4 KiB pages, each below an unmapped guard page
    ///   0xFFFFFE8000000000  the kernel heap's area, 4 KiB pages mapped as it grows (Mem/HeapArea.cs),
    ///                       then the debugging heap's guarded pages (Mem/GuardedAllocations.cs)
    ///   0xFFFFFFFF80000000  the kernel image, 4 KiB pages: code read-only and executable, constants
    ///                       read-only, data writable; the page under the boot stack left unmapped
    /// </code>
    /// Nothing is mapped in the bottom half: user programs get that (Mem/AddressSpace.cs), and page 0
    /// is never mapped, so a null pointer dereference always faults.
    /// Every mapping here is supervisor-only: ring 3 cannot touch the kernel.
    /// </summary>
    public static unsafe class KernelAddressSpace
    {
        public const int DirectMapSlot = 256;            // PML4 index of 0xFFFF800000000000
        public const int KernelStacksSlot = 508;         // PML4 index of 0xFFFFFE0000000000
        public const int KernelImageSlot = 511;          // PML4 index of 0xFFFFFF8000000000
        public const ulong KernelStacksBase = 0xFFFFFE0000000000;

        private const ulong MinimumDirectMapBytes = 4UL * 1024 * 1024 * 1024;   // covers the local APIC and I/O APIC

        /// <summary>The physical address of the kernel's PML4; user address spaces copy its top half.</summary>
        public static ulong Pml4 { get; private set; }

        public static void Initialize()
        {
            Pml4 = FrameAllocator.Allocate();
            ulong kernelOnly = PageTables.Global | PageTables.NoExecute;

            // RAM is cached; everything above it is device memory (the local APIC, the I/O APIC), where a
            // cached read could return a stale register value: those pages are mapped uncached.
            ulong ramEnd = FrameAllocator.TotalFrames * FrameAllocator.FrameSize;
            ulong directMapBytes = ramEnd < MinimumDirectMapBytes ? MinimumDirectMapBytes : ramEnd;
            for (ulong physical = 0; physical < directMapBytes; physical += PageTables.LargePageSize)
            {
                ulong caching = physical >= ramEnd ? PageTables.CacheDisable | PageTables.WriteThrough : 0;
                PageTables.MapLarge(Pml4, DirectMap.Base + physical, physical, kernelOnly | PageTables.Writable | caching);
            }

            MapKernelImage();
            PageTables.EnsureTopLevelTable(Pml4, KernelStacksSlot);

            PageTables.EnableGlobalPages();
            PageTables.Activate(Pml4);
        }

        private static void MapKernelImage()
        {
            ulong textStart = (ulong)LinkerSymbols.TextStart();
            ulong rodataStart = (ulong)LinkerSymbols.RodataStart();
            ulong dataStart = (ulong)LinkerSymbols.DataStart();
            ulong end = ((ulong)LinkerSymbols.KernelEnd() + PageTables.PageSize - 1) & ~(PageTables.PageSize - 1);
            ulong guard = (ulong)LinkerSymbols.BootStackGuard();

            for (ulong page = textStart; page < end; page += PageTables.PageSize)
            {
                if (page == guard) continue;
                ulong flags = PageTables.Global;
                if (page >= rodataStart) flags |= PageTables.NoExecute;   // only code may run
                if (page >= dataStart) flags |= PageTables.Writable;      // code and constants are read-only
                PageMapping.Map(Pml4, page, page - DirectMap.KernelImageBase, flags);
            }
        }

        /// <summary>Where an address is, in words, for fault reports: "kernel code", "direct map", ...</summary>
        public static string Describe(ulong address)
        {
            if (address < 0x1000) return "page 0 (null pointer)";
            if (address < 0x0000800000000000) return "user space";
            if (address >= DirectMap.KernelImageBase)
            {
                if (address >= (ulong)LinkerSymbols.BootStackGuard() && address < (ulong)LinkerSymbols.BootStackGuard() + PageTables.PageSize)
                    return "the boot stack's guard page (stack overflow)";
                return "kernel image";
            }
            if (address >= KernelStacksBase && address < KernelStacksBase + (1UL << 39)) return KernelStack.Describe(address);
            if (HeapArea.Contains(address)) return "the kernel heap's area (a page not mapped: freed, or past a block's end)";
            if (GuardedAllocations.Contains(address)) return "the debugging heap's guarded pages";
            if (address >= DirectMap.Base && address < DirectMap.Base + (1UL << 39)) return "direct map";
            return "unmapped kernel space";
        }
    }
}
