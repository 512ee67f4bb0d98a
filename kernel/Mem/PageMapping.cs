using Arch.X64;
using Diagnostics;

namespace Mem
{
    /// <summary>
    /// <see cref="PageTables.TryMap"/> for the kernel's own mappings (its image, kernel stacks), which the
    /// kernel alone chooses: a page mapped twice there is a kernel bug, and it stops the machine loudly.
    /// (Arch reports what went wrong; stopping the machine is Diagnostics', a layer above Arch.)
    /// </summary>
    public static class PageMapping
    {
        public static void Map(ulong pml4Physical, ulong virtualAddress, ulong physical, ulong flags)
        {
            PageTables.MapResult result = PageTables.TryMap(pml4Physical, virtualAddress, physical, flags);
            if (result == PageTables.MapResult.AlreadyMapped) Panic.Halt("PageMapping.Map: the page is mapped already (a kernel bug)");
            if (result == PageTables.MapResult.NoMemory) Panic.Halt("out of physical memory");
        }
    }
}
