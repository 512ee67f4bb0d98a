using Arch.X64;

namespace Mem
{
    /// <summary>
    /// The frames Arch's page-table code builds its tables in (Arch/X64/IPageTableFrames.cs): the frame
    /// allocator's. Registered by KernelMain before the kernel's own page tables are built.
    /// </summary>
    public sealed class PageTableFrames : IPageTableFrames
    {
        public ulong TryAllocate() => FrameAllocator.TryAllocate();

        public ulong Allocate() => FrameAllocator.Allocate();

        public void Free(ulong physical) => FrameAllocator.Free(physical);
    }
}
