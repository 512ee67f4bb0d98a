using Arch.X64;

namespace Mem
{
    /// <summary>
    /// A kernel stack: <see cref="Pages"/> pages in the kernel-stacks area, with the page below them left
    /// unmapped. A stack that overflows runs into that guard page and faults at once (the fault
    /// report says so) instead of silently overwriting whatever lies below.
    /// Stacks live in fixed 64 KiB slots; freed slots are reused.
    /// </summary>
    public sealed unsafe class KernelStack
    {
        public const int Pages = 8;                      // 32 KiB
        private const ulong SlotSize = 64 * 1024;
        private const int MaximumSlots = 4096;

        private static ulong s_nextSlot;
        private static ulong[] s_freeSlots = new ulong[MaximumSlots];
        private static int s_freeSlotCount;

        /// <summary>Lowest usable address (the guard page is just below it).</summary>
        public ulong Bottom { get; private set; }

        /// <summary>Initial stack pointer: the stack grows down from here.</summary>
        public ulong Top => Bottom + Pages * PageTables.PageSize;

        public static int LiveCount { get; private set; }

        public static KernelStack Allocate()
        {
            ulong slot = s_freeSlotCount > 0 ? s_freeSlots[--s_freeSlotCount] : s_nextSlot++;
            var stack = new KernelStack { Bottom = KernelAddressSpace.KernelStacksBase + slot * SlotSize + PageTables.PageSize };
            for (int i = 0; i < Pages; i++)
            {
                ulong frame = FrameAllocator.Allocate();
                PageTables.Map(KernelAddressSpace.Pml4, stack.Bottom + (ulong)i * PageTables.PageSize, frame,
                               PageTables.Writable | PageTables.NoExecute | PageTables.Global);
            }
            LiveCount++;
            return stack;
        }

        /// <summary>Unmaps the pages, returns their frames and the slot. The stack must not be in use.</summary>
        public void Free()
        {
            for (int i = 0; i < Pages; i++)
                FrameAllocator.Free(PageTables.Unmap(KernelAddressSpace.Pml4, Bottom + (ulong)i * PageTables.PageSize));
            s_freeSlots[s_freeSlotCount++] = (Bottom - PageTables.PageSize - KernelAddressSpace.KernelStacksBase) / SlotSize;
            LiveCount--;
            KernelHeap.Free(this);
        }

        private const ulong UnusedPattern = 0x5AFE5AFE5AFE5AFE;

        /// <summary>Fills a new stack with a pattern, so <see cref="HighWaterMark"/> can see how deep it was used.</summary>
        public static void Fill(KernelStack stack)
        {
            for (ulong* word = (ulong*)stack.Bottom; word < (ulong*)stack.Top; word++) *word = UnusedPattern;
        }

        /// <summary>The most bytes of this stack ever used: from the top down to the deepest overwritten word.</summary>
        public ulong HighWaterMark()
        {
            ulong* word = (ulong*)Bottom;
            while (word < (ulong*)Top && *word == UnusedPattern) word++;
            return Top - (ulong)word;
        }

        public ulong Size => Top - Bottom;

        /// <summary>For fault reports: is the address a stack's guard page?</summary>
        public static string Describe(ulong address)
        {
            ulong offset = (address - KernelAddressSpace.KernelStacksBase) % SlotSize;
            return offset < PageTables.PageSize ? "a kernel stack's guard page (stack overflow)" : "a kernel stack";
        }
    }
}
