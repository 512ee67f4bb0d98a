using System;
using Drivers;
using Mem;
using Sched;
using Terminal;
using static Tests.KernelTestRunner;

namespace Tests
{
    /// <summary>
    /// The block driver on a real (QEMU) disk. They need a disk of at least 4 MiB whose contents do not
    /// matter (tests/Integration/DiskTests.cs makes a fresh image for each boot), so `test=all` leaves
    /// them out.
    ///   disk-selftest  writes a pattern over 1 MiB from one thread (timed), reads it back; then
    ///                  several threads (on every CPU) write and read their own blocks at once; no
    ///                  frame or heap byte may stay behind after thousands of requests
    ///   disk-check     a second boot reads what disk-selftest left: the bytes must have persisted
    ///   disk-crash     writes ten blocks; run with crash-after-writes=3, the machine must stop
    ///                  before the fourth, and the host finds exactly three on the image
    /// The pattern is <see cref="Pattern"/>; the host test computes the same bytes.
    /// </summary>
    public static unsafe class DiskTests
    {
        public const ulong SequentialStart = 1024;          // 1 MiB of blocks from the 1 MiB mark
        public const int SequentialBlocks = 1024;
        public const ulong ThreadAreaStart = 2048;
        public const int Threads = 4;
        public const int BlocksPerThread = 128;
        public const int Rounds = 4;                        // each thread writes its blocks with generation 1..Rounds
        public const ulong CrashAreaStart = 3072;
        public const int CrashBlocks = 10;

        /// <summary>Byte <paramref name="offset"/> of block <paramref name="block"/> as written in <paramref name="generation"/>.</summary>
        public static byte Pattern(ulong block, int offset, uint generation) =>
            (byte)(block * 131 + (ulong)offset * 7 + (block >> 8) + generation * 29);

        private static void Fill(Span<byte> data, ulong block, uint generation)
        {
            for (int i = 0; i < data.Length; i++) data[i] = Pattern(block, i, generation);
        }

        private static bool Matches(ReadOnlySpan<byte> data, ulong block, uint generation)
        {
            for (int i = 0; i < data.Length; i++)
                if (data[i] != Pattern(block, i, generation)) return false;
            return true;
        }

        private static BlockDevice TheDisk()
        {
            BlockDevice disk = BlockDevices.Disk;
            Check(disk != null, "a disk is attached");
            if (disk != null) Check(disk.BlockCount >= CrashAreaStart + CrashBlocks, "the disk has at least 3082 blocks");
            return disk != null && disk.BlockCount >= CrashAreaStart + CrashBlocks ? disk : null;
        }

        public static void SelfTest()
        {
            BlockDevice disk = TheDisk();
            if (disk == null) return;
            byte[] buffer = new byte[BlockDevice.BlockSize];
            byte[] shortBuffer = new byte[BlockDevice.BlockSize / 2];

            CheckEqual(-Abi.Errno.EIO, disk.Read(disk.BlockCount, buffer), "a read past the end is EIO");
            CheckEqual(-Abi.Errno.EIO, disk.Write(disk.BlockCount, buffer), "a write past the end is EIO");
            CheckEqual(-Abi.Errno.EIO, disk.Read(0, shortBuffer), "a read of less than a block is EIO");

            // One request of each kind first, so that what the first use of a path sets up once (the
            // crash point's wait queues, made by its static constructor at the first write) is not
            // counted as a leak.
            Fill(buffer, SequentialStart, 0);
            CheckEqual(0, disk.Write(SequentialStart, buffer), "a first write succeeds");
            CheckEqual(0, disk.Read(SequentialStart, buffer), "a first read succeeds");
            CheckEqual(0, disk.Flush(), "a first flush succeeds");
            KernelHeap.ReturnCachedMemory();
            ulong framesBefore = FrameAllocator.FreeFrames;
            ulong heapBefore = KernelHeap.BytesInUse;

            ulong start = Time.Clock.UptimeMilliseconds;
            int failures = 0;
            for (int i = 0; i < SequentialBlocks; i++)
            {
                Fill(buffer, SequentialStart + (ulong)i, 0);
                if (disk.Write(SequentialStart + (ulong)i, buffer) != 0) failures++;
            }
            CheckEqual(0, disk.Flush(), "the flush succeeds");
            ulong written = Time.Clock.UptimeMilliseconds;
            int mismatches = 0;
            for (int i = 0; i < SequentialBlocks; i++)
            {
                if (disk.Read(SequentialStart + (ulong)i, buffer) != 0) failures++;
                else if (!Matches(buffer, SequentialStart + (ulong)i, 0)) mismatches++;
            }
            ulong read = Time.Clock.UptimeMilliseconds;
            CheckEqual(0, failures, "every sequential write and read succeeds");
            CheckEqual(0, mismatches, "every block reads back as written");
            Console.WriteLine($"  disk: sequential 1 MiB (1024 blocks): write+flush {written - start} ms ({KibPerSecond(written - start)} KiB/s), read {read - written} ms ({KibPerSecond(read - written)} KiB/s)");

            KernelHeap.ReturnCachedMemory();
            CheckEqual((long)framesBefore, (long)FrameAllocator.FreeFrames, "2,048 requests leave no frame behind");
            CheckEqual((long)heapBefore, (long)KernelHeap.BytesInUse, "and no heap byte");

            ManyThreadsAtOnce(disk);
            KernelHeap.Free(buffer);
            KernelHeap.Free(shortBuffer);
        }

        private static ulong KibPerSecond(ulong milliseconds) => milliseconds == 0 ? 0 : (ulong)SequentialBlocks * 1000 / milliseconds;

        private static ulong s_failures;
        private static ulong s_cpusSeen;

        /// <summary>Threads on every CPU, each rewriting and checking its own blocks, with requests from all of them in flight together.</summary>
        private static void ManyThreadsAtOnce(BlockDevice disk)
        {
            s_failures = 0;
            s_cpusSeen = 0;
            Thread[] workers = new Thread[Threads];
            KernelHeap.ReturnCachedMemory();
            ulong framesBefore = FrameAllocator.FreeFrames;
            int stacksBefore = KernelStack.LiveCount;
            ulong start = Time.Clock.UptimeMilliseconds;
            for (int t = 0; t < Threads; t++) workers[t] = Thread.CreateKernel("disk worker", &Worker, (ulong)t);
            for (int t = 0; t < Threads; t++) Scheduler.Start(workers[t]);
            for (int t = 0; t < Threads; t++) CheckEqual(0, ThreadJoins.Join(workers[t]), "every worker read back what it wrote");
            ulong elapsed = Time.Clock.UptimeMilliseconds - start;
            KernelHeap.Free(workers);
            CheckEqual(0, (long)s_failures, "no request failed");

            int inFlight = disk is VirtioBlock virtio ? virtio.MostInFlight : 0;
            int requests = Threads * Rounds * BlocksPerThread * 2;
            Console.WriteLine($"  disk: {Threads} threads, {requests} requests in {elapsed} ms, on cpus 0x{s_cpusSeen:x}, at most {inFlight} in flight at once");
            if (Processor.Count > 1) Check(inFlight > 1, "requests from several threads were in flight at once");

            // A worker's stack is given back by the next thread its CPU runs, which on another CPU may
            // be a moment after the join: wait for it (a few ticks at most), then count.
            for (int tick = 0; tick < 100 && KernelStack.LiveCount != stacksBefore; tick++)
            {
                KernelStack.FreeAllReleased();
                Scheduler.Sleep(1);
            }
            KernelStack.FreeAllReleased();
            KernelHeap.ReturnCachedMemory();
            CheckEqual(stacksBefore, KernelStack.LiveCount, "every worker's stack was freed");
            CheckEqual((long)framesBefore, (long)FrameAllocator.FreeFrames, "thousands of requests from several threads leave no frame behind");
        }

        private static int Worker(ulong index)
        {
            BlockDevice disk = BlockDevices.Disk;
            byte[] buffer = new byte[BlockDevice.BlockSize];
            ulong first = ThreadAreaStart + index * BlocksPerThread;
            int wrong = 0;
            for (uint generation = 1; generation <= Rounds; generation++)
            {
                for (int i = 0; i < BlocksPerThread; i++)
                {
                    Fill(buffer, first + (ulong)i, generation);
                    if (disk.Write(first + (ulong)i, buffer) != 0) NoteFailure();
                }
                for (int i = 0; i < BlocksPerThread; i++)
                {
                    if (disk.Read(first + (ulong)i, buffer) != 0) NoteFailure();
                    else if (!Matches(buffer, first + (ulong)i, generation)) wrong++;
                }
                NoteCpu();
            }
            KernelHeap.Free(buffer);
            return wrong;
        }

        private static void NoteFailure()
        {
            fixed (ulong* failures = &s_failures) Arch.X64.Atomic.Add(failures, 1);
        }

        private static void NoteCpu()
        {
            ulong bit = 1ul << Processor.Current.Id;
            fixed (ulong* seen = &s_cpusSeen)
            {
                ulong old;
                do old = *seen; while (Arch.X64.Atomic.CompareExchange(seen, old | bit, old) != old);
            }
        }

        /// <summary>The second boot: what disk-selftest wrote is still there.</summary>
        public static void ReadBack()
        {
            BlockDevice disk = TheDisk();
            if (disk == null) return;
            byte[] buffer = new byte[BlockDevice.BlockSize];
            int wrong = 0, failures = 0;
            for (int i = 0; i < SequentialBlocks; i++)
            {
                ulong block = SequentialStart + (ulong)i;
                if (disk.Read(block, buffer) != 0) failures++;
                else if (!Matches(buffer, block, 0)) wrong++;
            }
            for (int i = 0; i < Threads * BlocksPerThread; i++)
            {
                ulong block = ThreadAreaStart + (ulong)i;
                if (disk.Read(block, buffer) != 0) failures++;
                else if (!Matches(buffer, block, Rounds)) wrong++;
            }
            CheckEqual(0, failures, "every read succeeds");
            CheckEqual(0, wrong, "every block holds what the last boot wrote");
            Console.WriteLine($"  disk: {SequentialBlocks + Threads * BlocksPerThread} blocks read back, {wrong} differ");
            KernelHeap.Free(buffer);
        }

        public const ulong TraceAreaStart = 3584;

        /// <summary>
        /// Run with disk-trace: four writes and two flushes whose lines the host checks one by one
        /// (Drivers/DiskTrace.cs): a full block, a block of zeros, a block whose last 924 bytes are
        /// zero, a flush, a block whose only non-zero byte is its last, a flush.
        /// </summary>
        public static void TraceSample()
        {
            BlockDevice disk = TheDisk();
            if (disk == null) return;
            byte[] buffer = new byte[BlockDevice.BlockSize];
            Fill(buffer, TraceAreaStart, 7);
            CheckEqual(0, disk.Write(TraceAreaStart, buffer), "the full block is written");
            new Span<byte>(buffer).Clear();
            CheckEqual(0, disk.Write(TraceAreaStart + 1, buffer), "the block of zeros is written");
            for (int i = 0; i < 100; i++) buffer[i] = Pattern(TraceAreaStart + 2, i, 7);
            CheckEqual(0, disk.Write(TraceAreaStart + 2, buffer), "the block with 924 zeros at its end is written");
            CheckEqual(0, disk.Flush(), "the first flush succeeds");
            new Span<byte>(buffer).Clear();
            buffer[BlockDevice.BlockSize - 1] = 0xFF;
            CheckEqual(0, disk.Write(TraceAreaStart + 3, buffer), "the block ending in 0xFF is written");
            CheckEqual(0, disk.Flush(), "the second flush succeeds");
            KernelHeap.Free(buffer);
        }

        /// <summary>Run with crash-after-writes=3: block CrashAreaStart + i is written full of (0xC0 + i), one after another.</summary>
        public static void CrashPoint()
        {
            BlockDevice disk = TheDisk();
            if (disk == null) return;
            byte[] buffer = new byte[BlockDevice.BlockSize];
            for (int i = 0; i < CrashBlocks; i++)
            {
                for (int j = 0; j < buffer.Length; j++) buffer[j] = (byte)(0xC0 + i);
                CheckEqual(0, disk.Write(CrashAreaStart + (ulong)i, buffer), "the write succeeds");
                Console.WriteLine($"  disk: wrote block {CrashAreaStart + (ulong)i}");
            }
            Check(false, "the machine should have stopped at the crash point (crash-after-writes=N on the command line)");
            KernelHeap.Free(buffer);
        }
    }
}
