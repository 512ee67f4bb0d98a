using Mem;
using static Tests.KernelTestRunner;

namespace Tests
{
    /// <summary>The kernel stacks' hard maximum (Mem/KernelStack.cs, `max-kernel-stacks=`).</summary>
    public static class KernelStackTests
    {
        /// <summary>
        /// Every slot up to the maximum can be had, one more is refused (null, not an exception), and
        /// all of them come back and can be had again. Once, more than 4,096 stacks overflowed the free-slot
        /// array when they were freed (IndexOutOfRangeException in KernelStack.FreeReleased).
        /// </summary>
        public static void StacksStopAtTheMaximum()
        {
            int before = KernelStack.LiveCount;
            int room = KernelStack.Maximum - before;
            // The array first: the heap may take frames to hold it, which are not the stacks' to return.
            KernelStack[] stacks = new KernelStack[room];
            ulong framesBefore = FrameAllocator.FreeFrames;
            for (int round = 0; round < 2; round++)
            {
                int made = 0;
                while (made < room && (stacks[made] = KernelStack.TryAllocate(forUser: false)) != null) made++;
                CheckEqual(room, made, "every slot up to the maximum");
                Check(KernelStack.TryAllocate(forUser: false) == null, "one stack past the maximum is refused");
                for (int i = 0; i < made; i++) stacks[i].Free();
                KernelStack.FreeAllReleased();
                CheckEqual(before, KernelStack.LiveCount, "every stack was freed");
            }
            CheckEqual((long)framesBefore, (long)FrameAllocator.FreeFrames, "every frame came back (the tables were made at boot)");
            KernelHeap.Free(stacks);
        }
    }
}
