using System;
using Boot;
using Sched;
using Sync;
using TeachOS.Boundary;
using Terminal;

namespace Drivers
{
    /// <summary>
    /// The record of a workload's disk writes that the crash explorer replays (`disk-trace` on the
    /// command line). Every block write and every flush the kernel issues prints one line to the
    /// console (the serial log the host keeps):
    ///
    ///     disk[w] SEQ BLOCK DATA     a write of block BLOCK finished; DATA is its bytes in base64
    ///                                (RFC 4648, with padding) up to its last byte that is not zero:
    ///                                the rest of the 1024 are zeros, and a block of zeros is "-"
    ///     disk[f] SEQ                a flush was issued
    ///
    /// (The trailing zeros are left out because most of a file system's metadata blocks are mostly
    /// zeros, and every character costs: QEMU's serial port takes them one at a time, so a whole block
    /// is 1,368 characters, some 20 ms of a test boot, with interrupts off on the printing CPU as for
    /// any console line: the clock loses ticks while tracing, so time a traced run by nothing.)
    ///
    /// SEQ counts the lines from 1, writes and flushes together, so the host can tell that none is
    /// missing; the lines come out in SEQ order. They share the console with the rest of the log on
    /// purpose: a line a program prints after its syscall returned comes after that syscall's writes,
    /// which is how the explorer knows which operations finished before a crash point.
    ///
    /// What the order means. A write's line is printed when the device has finished it, before Write
    /// returns; a flush's line when the flush is issued. So every write above a flush line had finished
    /// when the flush started, and is durable once the flush is: between two flush lines the device may
    /// have made the writes durable in any order, and across one it may not.
    ///
    /// Several CPUs. Two threads may use the disk at once (the device keeps 16 requests in flight), and
    /// then a write that has finished but not yet printed its line, or a write issued while a flush is
    /// still running, would break that promise: the line order would not be the disk's. So while
    /// tracing, writes and flushes take turns (<see cref="BeginWrite"/>, <see cref="BeginFlush"/>): a
    /// flush waits until every write in flight has finished and printed its line, and no write starts
    /// while a flush waits or runs. Writes still overlap each other, as the disk allows. TeachOS's log
    /// never overlaps the two anyway (one thread commits at a time), so the turns cost the file system
    /// nothing; they keep the record true for any writer that does overlap them (a driver test, a later file system).
    /// The host tool reading it: tools/DiskTools (the crash explorer).
    /// </summary>
    public static class DiskTrace
    {
        public static bool Enabled { get; private set; }

        private static SpinLock s_lock;      // one line at a time, in SEQ order (the console's lock is taken inside it)
        private static ulong s_sequence;

        // The turns of writes and flushes (under Scheduler.ThreadStateLock, the lock its wait queues need).
        private static readonly WaitQueue s_turns = new WaitQueue("disk trace: writes and flushes take turns");
        private static int s_writesInFlight, s_flushesWaiting;
        private static bool s_flushing;

        private const int Base64Length = (BlockDevice.BlockSize + 2) / 3 * 4;
        private const string Base64Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

        /// <summary>Reads `disk-trace` from the command line (at boot, before the first write).</summary>
        public static void Configure() => Enabled = CommandLine.Has("disk-trace");

        /// <summary>Before a write reaches the device: waits while a flush waits or runs.</summary>
        [MayBlock]
        internal static void BeginWrite()
        {
            if (!Enabled) return;
            bool flags = Scheduler.ThreadStateLock.Acquire();
            while (s_flushing || s_flushesWaiting > 0) Scheduler.WaitLocked(s_turns);
            s_writesInFlight++;
            Scheduler.ThreadStateLock.Release(flags);
        }

        /// <summary>After the device finished a write: its line (if it worked), then the write's turn ends.</summary>
        internal static void EndWrite(ulong block, ReadOnlySpan<byte> data, bool written)
        {
            if (!Enabled) return;
            if (written) Written(block, data);
            bool flags = Scheduler.ThreadStateLock.Acquire();
            if (--s_writesInFlight == 0) Scheduler.WakeAllLocked(s_turns);
            Scheduler.ThreadStateLock.Release(flags);
        }

        /// <summary>Before a flush reaches the device: waits until no write is in flight, then prints its line.</summary>
        [MayBlock]
        internal static void BeginFlush()
        {
            if (!Enabled) return;
            bool flags = Scheduler.ThreadStateLock.Acquire();
            s_flushesWaiting++;
            while (s_flushing || s_writesInFlight > 0) Scheduler.WaitLocked(s_turns);
            s_flushesWaiting--;
            s_flushing = true;
            Scheduler.ThreadStateLock.Release(flags);
            Flushing();
        }

        /// <summary>The device finished the flush: waiting writes and flushes may go on.</summary>
        internal static void EndFlush()
        {
            if (!Enabled) return;
            bool flags = Scheduler.ThreadStateLock.Acquire();
            s_flushing = false;
            Scheduler.WakeAllLocked(s_turns);
            Scheduler.ThreadStateLock.Release(flags);
        }

        private static void Written(ulong block, ReadOnlySpan<byte> data)
        {
            // Built on the stack and printed with one call, so no other CPU's text lands inside it.
            Span<char> line = stackalloc char[48 + Base64Length];
            bool flags = s_lock.Acquire();
            int length = Append(line, 0, "disk[w] ");
            length = AppendDecimal(line, length, ++s_sequence);
            line[length++] = ' ';
            length = AppendDecimal(line, length, block);
            line[length++] = ' ';
            int used = data.Length;
            while (used > 0 && data[used - 1] == 0) used--;
            if (used == 0) line[length++] = '-';
            else length = AppendBase64(line, length, data.Slice(0, used));
            line[length++] = '\n';
            Console.Write(line.Slice(0, length));
            s_lock.Release(flags);
        }

        private static void Flushing()
        {
            Span<char> line = stackalloc char[32];
            bool flags = s_lock.Acquire();
            int length = Append(line, 0, "disk[f] ");
            length = AppendDecimal(line, length, ++s_sequence);
            line[length++] = '\n';
            Console.Write(line.Slice(0, length));
            s_lock.Release(flags);
        }

        private static int Append(Span<char> line, int at, string text)
        {
            for (int i = 0; i < text.Length; i++) line[at++] = text[i];
            return at;
        }

        private static int AppendDecimal(Span<char> line, int at, ulong value)
        {
            int digits = 1;
            for (ulong rest = value / 10; rest != 0; rest /= 10) digits++;
            for (int i = digits - 1; i >= 0; i--, value /= 10) line[at + i] = (char)('0' + (int)(value % 10));
            return at + digits;
        }

        /// <summary>Three bytes become four characters of six bits each; the last group is padded with '='.</summary>
        private static int AppendBase64(Span<char> line, int at, ReadOnlySpan<byte> data)
        {
            for (int i = 0; i < data.Length; i += 3)
            {
                int left = data.Length - i;
                uint group = (uint)data[i] << 16;
                if (left > 1) group |= (uint)data[i + 1] << 8;
                if (left > 2) group |= data[i + 2];
                line[at++] = Base64Alphabet[(int)(group >> 18) & 63];
                line[at++] = Base64Alphabet[(int)(group >> 12) & 63];
                line[at++] = left > 1 ? Base64Alphabet[(int)(group >> 6) & 63] : '=';
                line[at++] = left > 2 ? Base64Alphabet[(int)group & 63] : '=';
            }
            return at;
        }
    }
}
