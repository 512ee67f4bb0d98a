namespace Mem
{
    /// <summary>
    /// The debugging heap's quarantine (KASAN's idea): a freed block is not reused at once but waits,
    /// poisoned, in a first-in first-out queue of at most <see cref="Limit"/> bytes. While it waits, a
    /// stale pointer that writes to it changes the poison, and the change is seen when the block leaves
    /// (Mem/HeapDebug.cs CheckPoison), with the block's allocation and free backtraces; a stale pointer
    /// that reads from it reads 0x6B6B6B6B..., a value that crashes quickly and is easy to recognize.
    /// Without the quarantine the block would be handed out again at once, and the stale pointer would
    /// silently share it with its new owner. Called with the heap's lock held.
    /// </summary>
    public static unsafe class Quarantine
    {
        public const ulong Limit = 2 * 1024 * 1024;
        public const ulong LargestBlock = 64 * 1024;     // larger blocks skip it (their pages are unmapped instead)

        private static BlockHeader* s_oldest;
        private static BlockHeader* s_newest;

        /// <summary>Bytes waiting in the quarantine (a cache the memory check empties, see KernelHeap.ReturnCachedMemory).</summary>
        public static ulong Bytes { get; private set; }

        public static void Add(BlockHeader* header)
        {
            header->Record->QuarantineNext = null;
            if (s_newest != null) s_newest->Record->QuarantineNext = header;
            else s_oldest = header;
            s_newest = header;
            Bytes += header->Bytes;
            while (Bytes > Limit) Evict();
        }

        /// <summary>Lets every block out (each one checked).</summary>
        public static void Drain()
        {
            while (s_oldest != null) Evict();
        }

        private static void Evict()
        {
            BlockHeader* header = s_oldest;
            s_oldest = header->Record->QuarantineNext;
            if (s_oldest == null) s_newest = null;
            Bytes -= header->Bytes;
            HeapDebug.CheckPoison(header);
            KernelHeap.ReturnBlock(header);
        }
    }
}
