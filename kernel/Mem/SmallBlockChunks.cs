namespace Mem
{
    /// <summary>
    /// Small blocks (up to 2 KiB) come from size classes: 32, 64, ..., 2048 bytes. Each class takes
    /// equal blocks from 64 KiB chunks, and each chunk keeps its own free list and a count of blocks in
    /// use, so when the count drops to zero the whole chunk can go back (a slab allocator in miniature,
    /// like Linux's SLUB). A class lists only its chunks that still have room.
    ///
    /// Chunks come from the bootstrap area first (memory in the kernel image, never returned), then
    /// from the heap area (Mem/HeapArea.cs). An emptied chunk of the bootstrap area waits for reuse by
    /// any class; an emptied chunk of the heap area also waits, up to <see cref="SpareChunkLimit"/>
    /// of them (so a class that empties and refills a chunk does not map and unmap it each time),
    /// beyond that its pages go back to the frame allocator. Called with the heap's lock held.
    /// </summary>
    public static unsafe class SmallBlockChunks
    {
        public const int SmallestClass = 32;
        public const int ClassCount = 7;                               // 32 ... 2048
        public const int LargestBlock = SmallestClass << (ClassCount - 1);
        public const ulong ChunkSize = HeapArea.SlotSize;              // 64 KiB, aligned to its size
        private const ulong ChunkPages = ChunkSize / Arch.X64.PageTables.PageSize;
        public const int SpareChunkLimit = 8;                          // 512 KiB of mapped, empty chunks

        private struct Chunk
        {
            public Chunk* Next, Previous;           // in its class's list of chunks with room, or a spare list
            public byte* FreeBlocks;                // freed blocks; the link is each block's last word
            public byte* NeverUsed;                 // blocks from here to the chunk's end were never handed out
            public ulong BlockSize;
            public ulong LiveBlocks;
            public ulong Permanent;                 // 1 in the bootstrap area: never unmapped
            public ulong Unused;
        }

        private const int ChunkHeaderSize = 64;     // sizeof(Chunk); blocks start after it, 16-byte aligned

        private struct ClassLists
        {
            public fixed ulong Heads[ClassCount];   // Chunk*, one list per class (no allocation to manage allocation)
        }

        private static ClassLists s_withRoom;
        private static Chunk* s_spareBootstrap;
        private static Chunk* s_spareArea;
        private static int s_spareAreaCount;

        // The bootstrap area, carved front to back: [s_bootstrapNext, s_bootstrapEnd).
        private static byte* s_bootstrapNext;
        private static byte* s_bootstrapEnd;

        public static void UseBootstrapArea(byte* start, ulong bytes)
        {
            s_bootstrapNext = start;
            s_bootstrapEnd = start + bytes;
        }

        /// <summary>The smallest class whose blocks hold <paramref name="bytes"/>.</summary>
        public static int ClassFor(ulong bytes)
        {
            int sizeClass = 0;
            while ((ulong)(SmallestClass << sizeClass) < bytes) sizeClass++;
            return sizeClass;
        }

        public static ulong ClassSize(int sizeClass) => (ulong)(SmallestClass << sizeClass);

        /// <summary>A block of the class (not zeroed), or null when no chunk can be had.</summary>
        public static byte* Take(int sizeClass)
        {
            Chunk* chunk = (Chunk*)s_withRoom.Heads[sizeClass];
            if (chunk == null)
            {
                chunk = NewChunk(ClassSize(sizeClass));
                if (chunk == null) return null;
                Link(ref s_withRoom.Heads[sizeClass], chunk);
            }

            byte* block;
            if (chunk->FreeBlocks != null)
            {
                block = chunk->FreeBlocks;
                chunk->FreeBlocks = *LinkOf(block, chunk->BlockSize);
            }
            else
            {
                block = chunk->NeverUsed;
                chunk->NeverUsed += chunk->BlockSize;
            }
            chunk->LiveBlocks++;
            if (IsFull(chunk)) Unlink(ref s_withRoom.Heads[sizeClass], chunk);
            return block;
        }

        /// <summary>Gives a block back to its chunk; an emptied chunk is retired.</summary>
        public static void Give(byte* block, int sizeClass)
        {
            var chunk = (Chunk*)((ulong)block & ~(ChunkSize - 1));
            bool wasFull = IsFull(chunk);
            *LinkOf(block, chunk->BlockSize) = chunk->FreeBlocks;
            chunk->FreeBlocks = block;
            chunk->LiveBlocks--;
            if (wasFull) Link(ref s_withRoom.Heads[sizeClass], chunk);
            if (chunk->LiveBlocks != 0) return;

            Unlink(ref s_withRoom.Heads[sizeClass], chunk);
            if (chunk->Permanent != 0)
            {
                Push(ref s_spareBootstrap, chunk);
            }
            else if (s_spareAreaCount < SpareChunkLimit)
            {
                Push(ref s_spareArea, chunk);
                s_spareAreaCount++;
            }
            else
            {
                HeapArea.Release((ulong)chunk, ChunkPages, 1);
            }
        }

        /// <summary>Sends the heap area's spare chunks back (their pages go at the next HeapArea.ReleasePending).</summary>
        public static void ReleaseSpareChunks()
        {
            while (s_spareArea != null)
            {
                Chunk* chunk = s_spareArea;
                s_spareArea = chunk->Next;
                HeapArea.Release((ulong)chunk, ChunkPages, 1);
            }
            s_spareAreaCount = 0;
        }

        /// <summary>Bytes of the bootstrap area never carved, for a large block (null when too few are left).</summary>
        public static byte* CarveBootstrap(ulong bytes)
        {
            byte* start = (byte*)(((ulong)s_bootstrapNext + 15) & ~15UL);
            if (start + bytes > s_bootstrapEnd) return null;
            s_bootstrapNext = start + bytes;
            return start;
        }

        public static bool InBootstrapArea(void* address) =>
            address >= BootstrapHeap.Start && address < BootstrapHeap.Start + BootstrapHeap.Size;

        private static Chunk* NewChunk(ulong blockSize)
        {
            Chunk* chunk = s_spareBootstrap;
            if (chunk != null) s_spareBootstrap = chunk->Next;
            else if ((chunk = s_spareArea) != null)
            {
                s_spareArea = chunk->Next;
                s_spareAreaCount--;
            }
            else chunk = CarveBootstrapChunk();
            if (chunk == null && HeapArea.IsReady)
            {
                ulong start = HeapArea.TakeSlots(1);
                if (start == 0) return null;
                if (!HeapArea.MapPages(start, ChunkPages, 1)) return null;
                chunk = (Chunk*)start;
            }
            if (chunk == null) return null;

            chunk->Permanent = InBootstrapArea(chunk) ? 1UL : 0;
            chunk->Next = chunk->Previous = null;
            chunk->FreeBlocks = null;
            chunk->NeverUsed = (byte*)chunk + ChunkHeaderSize;
            chunk->BlockSize = blockSize;
            chunk->LiveBlocks = 0;
            return chunk;
        }

        private static Chunk* CarveBootstrapChunk()
        {
            byte* start = (byte*)(((ulong)s_bootstrapNext + ChunkSize - 1) & ~(ChunkSize - 1));
            if (start + ChunkSize > s_bootstrapEnd) return null;
            s_bootstrapNext = start + ChunkSize;
            return (Chunk*)start;
        }

        private static bool IsFull(Chunk* chunk) =>
            chunk->FreeBlocks == null && (ulong)chunk->NeverUsed + chunk->BlockSize > (ulong)chunk + ChunkSize;

        private static byte** LinkOf(byte* block, ulong blockSize) => (byte**)(block + blockSize - sizeof(ulong));

        private static void Link(ref ulong head, Chunk* chunk)
        {
            chunk->Previous = null;
            chunk->Next = (Chunk*)head;
            if (chunk->Next != null) chunk->Next->Previous = chunk;
            head = (ulong)chunk;
        }

        private static void Unlink(ref ulong head, Chunk* chunk)
        {
            if (chunk->Previous != null) chunk->Previous->Next = chunk->Next;
            else if (head == (ulong)chunk) head = (ulong)chunk->Next;
            if (chunk->Next != null) chunk->Next->Previous = chunk->Previous;
            chunk->Next = chunk->Previous = null;
        }

        private static void Push(ref Chunk* list, Chunk* chunk)
        {
            chunk->Next = list;
            chunk->Previous = null;
            list = chunk;
        }
    }
}
