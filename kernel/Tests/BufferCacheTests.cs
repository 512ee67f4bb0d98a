using Arch.X64;
using Fs;
using Sched;
using static Tests.KernelTestRunner;

namespace Tests
{
    /// <summary>
    /// The buffer cache (Fs/BufferCache.cs) on the mounted disk, reading data blocks only (nothing is
    /// written, so any TeachOS disk will do: tests/Integration boots it on a copy of build/disk.img):
    ///   one block, one buffer: threads on every CPU read the same block at once; they all get the
    ///     same Buffer, and one at a time holds it
    ///   least recently used: after Capacity + 1 other blocks, the first is read from the disk again,
    ///     the last is not
    ///   all busy: with every buffer held, another thread's Read waits (no panic) until one is released
    /// </summary>
    public static unsafe class BufferCacheTests
    {
        private const int Readers = 4;
        private static uint s_block;
        private static Buffer[] s_seen;
        private static ulong s_inside, s_overlaps, s_waiterDone;

        public static void CacheRules()
        {
            Check(DiskFileSystem.Mounted, "a TeachOS disk is mounted");
            if (!DiskFileSystem.Mounted) return;
            uint first = DiskFileSystem.Superblock.DataStart;
            Check(DiskFileSystem.Superblock.Size > first + 2 * BufferCache.Capacity + 10, "the disk has room for the test's blocks");
            OneBlockOneBuffer(first);
            LeastRecentlyUsedGoes(first);
            AllBusyWaits(first);
        }

        private static int ReadTheBlock(ulong index)
        {
            Buffer buffer = BufferCache.Read(s_block);
            s_seen[index] = buffer;
            ulong inside;
            fixed (ulong* counter = &s_inside) inside = Atomic.Add(counter, 1);
            if (inside != 1) fixed (ulong* overlaps = &s_overlaps) Atomic.Add(overlaps, 1);
            Scheduler.Sleep(2);                         // hold it a while: the others must wait
            fixed (ulong* counter = &s_inside) Atomic.Add(counter, ulong.MaxValue);
            BufferCache.Release(buffer);
            return (int)index;
        }

        private static void OneBlockOneBuffer(uint first)
        {
            s_block = first + 3;
            s_seen = new Buffer[Readers];
            var readers = new Thread[Readers];
            for (int i = 0; i < Readers; i++) readers[i] = Thread.CreateKernel("buffer reader", &ReadTheBlock, (ulong)i);
            for (int i = 0; i < Readers; i++) Scheduler.Start(readers[i]);
            for (int i = 0; i < Readers; i++) CheckEqual(i, ThreadJoins.Join(readers[i]), "every reader read the block and ended");
            bool same = true;
            for (int i = 1; i < Readers; i++) same &= s_seen[i] == s_seen[0] && s_seen[i] != null;
            Check(same, "every reader got the same buffer for the same block");
            CheckEqual(0, (long)s_overlaps, "no two readers held the buffer at once");
            Mem.KernelHeap.Free(readers);
            Mem.KernelHeap.Free(s_seen);
        }

        private static void ReadAndRelease(uint block) => BufferCache.Release(BufferCache.Read(block));

        private static void LeastRecentlyUsedGoes(uint first)
        {
            uint start = first + 10;
            for (uint i = 0; i <= BufferCache.Capacity; i++) ReadAndRelease(start + i);
            ulong before = BufferCache.DiskReads;
            ReadAndRelease(start + BufferCache.Capacity);          // the most recent: cached
            CheckEqual((long)before, (long)BufferCache.DiskReads, "the most recently used block is read from the cache");
            ReadAndRelease(start);                                  // the least recent: recycled long ago
            CheckEqual((long)before + 1, (long)BufferCache.DiskReads, "the least recently used block was recycled and is read again");
        }

        private static int ReadOneMore(ulong block)
        {
            ReadAndRelease((uint)block);
            fixed (ulong* done = &s_waiterDone) Atomic.Add(done, 1);
            return 0;
        }

        private static void AllBusyWaits(uint first)
        {
            uint start = first + 10 + BufferCache.Capacity + 5;
            var held = new Buffer[BufferCache.Capacity];
            for (int i = 0; i < held.Length; i++) held[i] = BufferCache.Read(start + (uint)i);
            Thread waiter = Thread.CreateKernel("buffer waiter", &ReadOneMore, first + 1);
            Scheduler.Start(waiter);
            Scheduler.Sleep(20);
            CheckEqual(0, (long)s_waiterDone, "with every buffer held, a Read of another block waits");
            BufferCache.Release(held[0]);
            CheckEqual(0, ThreadJoins.Join(waiter), "the waiter ends once a buffer is released");
            CheckEqual(1, (long)s_waiterDone, "and it got its block");
            for (int i = 1; i < held.Length; i++) BufferCache.Release(held[i]);
            Mem.KernelHeap.Free(held);
        }
    }
}
