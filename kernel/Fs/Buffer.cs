using System;
using Abi;
using Sched;

namespace Fs
{
    /// <summary>
    /// One block of the disk held in memory (xv6's struct buf): its number, its bytes, and a sleeping
    /// lock that gives one thread at a time the right to read or change those bytes. The buffer cache
    /// (Fs/BufferCache.cs) owns every Buffer; a caller borrows one with BufferCache.Read and gives it
    /// back with BufferCache.Release.
    ///
    /// The lock is a SleepLock, not a spin lock, because its holder waits for the disk (milliseconds,
    /// with interrupts on) and may hold it across several disk operations (the log copies a block
    /// while holding two buffers).
    /// </summary>
    public sealed class Buffer
    {
        private readonly byte[] _bytes = new byte[DiskFormat.BlockSize];

        /// <summary>The block this buffer holds (valid while References > 0 or Valid).</summary>
        public uint BlockNumber { get; internal set; }

        /// <summary>The bytes are the block's: read from the disk, or written by a holder since.</summary>
        internal bool Valid;

        /// <summary>Borrowers plus pins (the log's): a buffer with references is never recycled. Under BufferCache's lock.</summary>
        internal int References;

        // The cache's least-recently-used list: Next runs toward older buffers. Under BufferCache's lock.
        internal Buffer Newer, Older;

        internal readonly SleepLock Lock = new SleepLock("buffer");

        /// <summary>The block's bytes (DiskFormat.BlockSize of them). Touch them only while holding the buffer.</summary>
        public Span<byte> Data => new Span<byte>(_bytes);

        /// <summary>True when the calling thread has this buffer from BufferCache.Read and has not released it.</summary>
        public bool IsHeldByCurrentThread => Lock.IsHeldByCurrentThread;
    }
}
