using Abi;
using Drivers;
using Sched;
using Sync;

namespace Fs
{
    /// <summary>
    /// The buffer cache (xv6's bio.c): the only way the file system reaches the disk. It keeps
    /// <see cref="Capacity"/> blocks in memory so that a block read twice is read from the disk once,
    /// and it makes sure that a block is in at most one buffer, so that two threads (on two CPUs)
    /// changing one block change one copy, one after the other, under that buffer's sleeping lock.
    ///
    /// Read(block) returns the buffer locked, its bytes valid; the caller changes them, writes them
    /// (inside a file-system operation through Log.Write, never directly; BufferCache.Write is for the
    /// log itself), then Release(buffer). Release puts the buffer at the front of the
    /// least-recently-used list; a miss recycles the buffer at the back that nobody holds.
    ///
    /// The limit: <see cref="Capacity"/> buffers, made once at mount. A thread that needs a buffer
    /// when every one is held waits until one is released (xv6 panics there). The file system holds
    /// few at a time (an operation at most about five; the log, while it commits, two; plus the
    /// log's pins, at most one per block of the log), so 64 leave room for several CPUs at once.
    ///
    /// Locks: <see cref="s_lock"/> (a spin lock) guards the list, the block numbers and reference
    /// counts, never the bytes; it is held for a scan of at most 64 buffers and never across a wait.
    /// A thread that must wait takes Scheduler.ThreadStateLock first, then s_lock, so the release that
    /// wakes it cannot come between its finding "nothing free" and its falling asleep.
    /// </summary>
    public static class BufferCache
    {
        public const int Capacity = 64;

        private static SpinLock s_lock;
        private static Buffer s_newest, s_oldest;
        private static BlockDevice s_device;
        private static readonly WaitQueue s_waiters = new WaitQueue("buffer cache full");
        private static int s_waiterCount;           // under s_lock: a release wakes only when someone waits

        /// <summary>Disk reads and writes done so far (for the figures and the tests).</summary>
        public static ulong DiskReads { get; private set; }
        public static ulong DiskWrites { get; private set; }

        /// <summary>Makes the buffers, all empty, for the disk <paramref name="device"/>. Once, at mount.</summary>
        public static void Initialize(BlockDevice device)
        {
            s_device = device;
            for (int i = 0; i < Capacity; i++)
            {
                var buffer = new Buffer();
                buffer.Older = s_newest;
                if (s_newest != null) s_newest.Newer = buffer; else s_oldest = buffer;
                s_newest = buffer;
            }
        }

        /// <summary>
        /// The buffer of block <paramref name="block"/>, locked, with the block's bytes in it (read from
        /// the disk if the cache did not have them). May sleep: for the buffer's lock, for the disk, or
        /// for a free buffer.
        /// </summary>
        [TeachOS.Boundary.MayBlock]
        public static Buffer Read(uint block)
        {
            Buffer buffer = Take(block);
            buffer.Lock.Acquire();
            if (!buffer.Valid)
            {
                int result = s_device.Read(block, buffer.Data);
                DiskReads++;
                if (result < 0) Diagnostics.Panic.Halt("disk: a block read failed (EIO): the disk went away or the block is past its end");
                buffer.Valid = true;
            }
            return buffer;
        }

        /// <summary>
        /// The buffer of block <paramref name="block"/>, locked and filled with zeros, without reading
        /// the disk: for a block just allocated, whose old bytes nobody may see (xv6's balloc zeroes it
        /// through a read; that read is wasted).
        /// </summary>
        [TeachOS.Boundary.MayBlock]
        public static Buffer TakeZeroed(uint block)
        {
            Buffer buffer = Take(block);
            buffer.Lock.Acquire();
            buffer.Data.Clear();
            buffer.Valid = true;
            return buffer;
        }

        /// <summary>Writes a held buffer's bytes to the disk now, and waits until the disk has them. The log's own writes.</summary>
        [TeachOS.Boundary.MayBlock]
        public static void Write(Buffer buffer)
        {
            if (!buffer.IsHeldByCurrentThread) Diagnostics.Panic.Halt("BufferCache.Write: the buffer is not held");
            int result = s_device.Write(buffer.BlockNumber, buffer.Data);
            DiskWrites++;
            if (result < 0) Diagnostics.Panic.Halt("disk: a block write failed (EIO)");
        }

        /// <summary>
        /// Asks the disk to make every write it has completed durable (its write cache to the medium).
        /// The log orders its writes with it: nothing written after a flush can be on the medium while
        /// something written before it is not.
        /// </summary>
        [TeachOS.Boundary.MayBlock]
        public static void Flush()
        {
            if (s_device.Flush() < 0) Diagnostics.Panic.Halt("disk: a flush failed (EIO)");
        }

        /// <summary>Gives a buffer back: unlocks it and makes it the most recently used.</summary>
        public static void Release(Buffer buffer)
        {
            if (!buffer.IsHeldByCurrentThread) Diagnostics.Panic.Halt("BufferCache.Release: the buffer is not held");
            buffer.Lock.Release();
            bool flags = s_lock.Acquire();
            buffer.References--;
            if (buffer.References == 0) MoveToFront(buffer);
            bool wake = buffer.References == 0 && s_waiterCount > 0;
            s_lock.Release(flags);
            if (wake) Scheduler.WakeAll(s_waiters);
        }

        /// <summary>Keeps a buffer in the cache while nobody holds it (the log: until its block is installed).</summary>
        public static void Pin(Buffer buffer)
        {
            bool flags = s_lock.Acquire();
            buffer.References++;
            s_lock.Release(flags);
        }

        public static void Unpin(Buffer buffer)
        {
            bool flags = s_lock.Acquire();
            buffer.References--;
            bool wake = buffer.References == 0 && s_waiterCount > 0;
            s_lock.Release(flags);
            if (wake) Scheduler.WakeAll(s_waiters);
        }

        // The buffer for `block` with one more reference, not yet locked: the cached one, or the least
        // recently used free one, recycled. Waits while every buffer is held.
        private static Buffer Take(uint block)
        {
            bool flags = s_lock.Acquire();
            Buffer buffer = FindLocked(block);
            s_lock.Release(flags);
            while (buffer == null)
            {
                // Slow path: look again holding ThreadStateLock (outer) and s_lock, and sleep before
                // letting go of ThreadStateLock, so that a Release cannot wake us too early.
                bool stateFlags = Scheduler.ThreadStateLock.Acquire();
                flags = s_lock.Acquire();
                buffer = FindLocked(block);
                if (buffer == null) s_waiterCount++;
                s_lock.Release(flags);
                if (buffer == null)
                {
                    Scheduler.WaitLocked(s_waiters);
                    flags = s_lock.Acquire();
                    s_waiterCount--;
                    s_lock.Release(flags);
                }
                Scheduler.ThreadStateLock.Release(stateFlags);
            }
            return buffer;
        }

        private static Buffer FindLocked(uint block)
        {
            for (Buffer b = s_newest; b != null; b = b.Older)
            {
                if (b.BlockNumber != block || (!b.Valid && b.References == 0)) continue;
                b.References++;
                return b;
            }
            // Not cached: recycle the least recently used buffer nobody holds. Its old bytes are not
            // needed: every change was written (through the log) before its last holder let it go,
            // and the log pins the buffers of blocks it has not installed yet.
            for (Buffer b = s_oldest; b != null; b = b.Newer)
            {
                if (b.References != 0) continue;
                b.BlockNumber = block;
                b.Valid = false;
                b.References = 1;
                return b;
            }
            return null;
        }

        private static void MoveToFront(Buffer buffer)
        {
            if (s_newest == buffer) return;
            // Unlink.
            buffer.Newer.Older = buffer.Older;
            if (buffer.Older != null) buffer.Older.Newer = buffer.Newer; else s_oldest = buffer.Newer;
            // Put in front.
            buffer.Newer = null;
            buffer.Older = s_newest;
            s_newest.Newer = buffer;
            s_newest = buffer;
        }
    }
}
