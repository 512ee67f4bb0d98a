namespace Mem
{
    /// <summary>
    /// The layout of one kernel-heap block, as the heap sees it:
    /// <code>
    ///   [DebugRecord]  only with the debugging heap: who allocated and who freed (Mem/HeapDebug.cs)
    ///   [BlockHeader]  16 bytes: live or freed, size class, the block's size
    ///   [payload]      what the caller asked for; the address Allocate returns (16-byte aligned)
    ///   [red zone]     only with the debugging heap: a pattern whose change reveals an overflow
    /// </code>
    /// The header stays where it is after the block is freed (a free list's link goes in the block's
    /// last word instead), so a second Free of the same block finds "freed" and stops at the call.
    /// </summary>
    public unsafe struct BlockHeader
    {
        public const uint LiveMagic = 0x4B4C4956;     // "VILK": the block is in use
        public const uint FreedMagic = 0x4B455246;    // "FREK": the block was freed
        public const byte LargeKind = 0xFF;           // not a size class: the block has pages of its own
        public const int Size = 16;

        public uint Magic;
        public byte Kind;                             // size class index, or LargeKind
        public byte HasDebugRecord;                   // 1 if a DebugRecord sits just before the header
        public ushort Unused;
        public ulong Bytes;                           // the whole block: record, header, payload, red zone

        public byte* Payload
        {
            get { fixed (BlockHeader* self = &this) return (byte*)self + Size; }
        }

        /// <summary>The block's first byte (where its record, or else its header, starts).</summary>
        public byte* Start
        {
            get { fixed (BlockHeader* self = &this) return (byte*)self - (HasDebugRecord != 0 ? DebugRecord.Size : 0); }
        }

        public DebugRecord* Record
        {
            get { fixed (BlockHeader* self = &this) return HasDebugRecord != 0 ? (DebugRecord*)((byte*)self - DebugRecord.Size) : null; }
        }

        public static BlockHeader* Of(void* payload) => (BlockHeader*)((byte*)payload - Size);
    }

    /// <summary>
    /// What the debugging heap remembers about a block: the size asked for (the red zone starts right
    /// after it) and two short backtraces, the allocation's and the free's, as return addresses (the
    /// report symbolizes them). Like KASAN's alloc/free "stack depot" entries, but stored inline.
    /// </summary>
    public unsafe struct DebugRecord
    {
        public const int Frames = 6;
        public const int Size = 112;                 // a multiple of 16: the payload stays aligned

        public ulong RequestedBytes;
        public BlockHeader* QuarantineNext;          // the quarantine's FIFO link (Mem/Quarantine.cs)
        public fixed ulong AllocatedBy[Frames];
        public fixed ulong FreedBy[Frames];
    }
}
