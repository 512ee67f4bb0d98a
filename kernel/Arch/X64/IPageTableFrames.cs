namespace Arch.X64
{
    /// <summary>
    /// Where <see cref="PageTables"/> gets a frame for a new table. Arch allocates nothing itself: the
    /// memory layer above implements this (Mem/PageTableFrames.cs, on the frame allocator) and KernelMain
    /// registers it in <see cref="PageTables.Frames"/> before the first mapping. The one crossing from
    /// Arch's page tables up to Mem.
    /// </summary>
    public interface IPageTableFrames
    {
        /// <summary>A zeroed frame's physical address, or 0 if there is no free frame.</summary>
        ulong TryAllocate();

        /// <summary>A zeroed frame's physical address; for the kernel's own tables, which cannot do
        /// without (out of memory there stops the machine).</summary>
        ulong Allocate();

        /// <summary>Gives back a frame a table no longer needs.</summary>
        void Free(ulong physical);
    }
}
