namespace Boot
{
    /// <summary>What the boot loader told us, in one shape whichever Multiboot version it spoke.</summary>
    public static class BootInfo
    {
        public const int MaximumRegions = 64;
        public const int MaximumModules = 16;

        public static string LoaderName = "unknown";
        public static string CommandLine = "";
        public static int MultibootVersion;

        /// <summary>
        /// ACPI's table of tables, from the copy of the root pointer (RSDP) that the boot loader put in
        /// its information (0: search for the RSDP). Read at once: the information itself lies in memory
        /// the frame allocator later hands out.
        /// </summary>
        public static ulong RsdtPhysical;

        /// <summary>The physical memory map: which ranges are RAM we may use.</summary>
        public static MemoryRegion[] Regions = new MemoryRegion[MaximumRegions];
        public static int RegionCount;

        /// <summary>Files the boot loader loaded next to the kernel (the initrd).</summary>
        public static BootModule[] Modules = new BootModule[MaximumModules];
        public static int ModuleCount;

        public static void AddRegion(ulong start, ulong length, bool usable)
        {
            if (RegionCount == MaximumRegions) return;
            Regions[RegionCount++] = new MemoryRegion { Start = start, Length = length, Usable = usable };
        }

        public static void AddModule(ulong start, ulong end, string name)
        {
            if (ModuleCount == MaximumModules) return;
            Modules[ModuleCount++] = new BootModule { Start = start, End = end, Name = name };
        }

        /// <summary>Bytes of RAM the memory map marks usable.</summary>
        public static ulong UsableBytes
        {
            get
            {
                ulong total = 0;
                for (int i = 0; i < RegionCount; i++)
                    if (Regions[i].Usable) total += Regions[i].Length;
                return total;
            }
        }
    }

    public struct MemoryRegion
    {
        public ulong Start;
        public ulong Length;
        public bool Usable;
    }

    public struct BootModule
    {
        public ulong Start;      // physical
        public ulong End;
        public string Name;      // the module's command line, e.g. "initrd"
    }
}
