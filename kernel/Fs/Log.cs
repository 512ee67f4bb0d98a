using Abi;
using Sched;
using Sync;

namespace Fs
{
    /// <summary>
    /// The write-ahead log (xv6's log.c): it makes every file-system operation all-or-nothing on the
    /// disk. A syscall that changes the disk brackets its changes with BeginOperation and
    /// EndOperation, and writes each changed buffer with Log.Write instead of writing it home. Nothing
    /// reaches a block's home location until the whole group of changes is safe in the log area:
    ///
    ///     1. write every changed block to the log area        (Commit: WriteLogBlocks)
    ///     2. write the header: "these N blocks belong there"  THE COMMIT POINT
    ///     3. install: write each block to its home location  (Install)
    ///     4. write the header with N = 0: the log is empty again
    ///
    /// A crash before step 2 reaches the disk leaves every home block as it was: the operation never
    /// happened. A crash after it leaves a header that recovery (Fs/LogRecovery.cs, at mount) reads
    /// and installs again, whatever part of step 3 was done: the operation happened entirely.
    ///
    /// Group commit: several operations (from several threads) may be open at once; the log commits
    /// when the last of them ends, so one commit carries all of them, and a block changed by several
    /// is logged once (absorption). An operation promises to change at most
    /// <see cref="MaximumOperationBlocks"/> blocks; BeginOperation waits while a commit runs or while the
    /// log could not hold every open operation's promise. A file write larger than that is split into
    /// several operations (DiskFiles.Write), as xv6's filewrite does.
    ///
    /// Locks: s_lock (a spin lock) guards the counters and the header in memory. A thread that must
    /// wait takes Scheduler.ThreadStateLock and then s_lock, as BufferCache does. Callers take
    /// BeginOperation before any inode's lock, never after (the commit waits for every open operation,
    /// and an open operation may wait for an inode lock).
    /// </summary>
    public static unsafe class Log
    {
        /// <summary>The most blocks one operation may write (xv6's MAXOPBLOCKS).</summary>
        public const int MaximumOperationBlocks = 10;

        /// <summary>
        /// Our blocks are two sectors, and a disk writes only a sector at a time whole: a crash can tear
        /// a block. The header's Count is in its first sector, and a committed header lists only
        /// addresses that are in the first sector too (127 of them), so a header torn between its
        /// sectors is either the old one whole (Count 0: nothing committed) or a new first sector whose
        /// count and addresses are all new. The second sector never matters.
        /// </summary>
        public const int AddressesInFirstSector = DiskFormat.SectorSize / sizeof(uint) - 1;

        private static SpinLock s_lock;
        private static readonly WaitQueue s_waiters = new WaitQueue("log");
        private static int s_waiterCount;
        private static uint s_start;                // the header block; logged copies follow it
        private static int s_capacity;              // blocks one commit may hold
        private static int s_outstanding;           // operations begun and not yet ended
        private static bool s_committing;
        private static int s_count;                 // blocks in the transaction being built
        private static uint[] s_blocks;             // their home addresses

        /// <summary>Commits and operations so far: with several threads writing, fewer commits than operations (group commit).</summary>
        public static ulong Commits { get; private set; }
        public static ulong Operations { get; private set; }
        public static int Capacity => s_capacity;

        /// <summary>Sets the log up over the superblock's log region. Recovery must have run before.</summary>
        public static void Initialize(in DiskSuperblock superblock)
        {
            s_start = superblock.LogStart;
            s_capacity = CapacityOf(superblock);
            s_blocks = new uint[s_capacity];
        }

        /// <summary>
        /// Blocks a commit may hold in this superblock's log: one fewer than its blocks (the header), at
        /// most what fits the header's first sector, and at most half the buffer cache: every logged
        /// block stays pinned in the cache until it is installed, and a cache full of pins could
        /// never give the committing thread the buffers it needs to write them.
        /// </summary>
        public static int CapacityOf(in DiskSuperblock superblock)
        {
            int blocks = (int)superblock.LogBlocks - 1;
            if (blocks > AddressesInFirstSector) blocks = AddressesInFirstSector;
            if (blocks > BufferCache.Capacity / 2) blocks = BufferCache.Capacity / 2;
            return blocks;
        }

        /// <summary>Opens an operation. Waits while a commit runs or the log might not hold one more.</summary>
        [TeachOS.Boundary.MayBlock]
        public static void BeginOperation()
        {
            while (true)
            {
                bool stateFlags = Scheduler.ThreadStateLock.Acquire();
                bool flags = s_lock.Acquire();
                bool mustWait = s_committing || s_count + (s_outstanding + 1) * MaximumOperationBlocks > s_capacity;
                if (!mustWait) { s_outstanding++; Operations++; } else s_waiterCount++;
                s_lock.Release(flags);
                if (mustWait)
                {
                    Scheduler.WaitLocked(s_waiters);
                    flags = s_lock.Acquire();
                    s_waiterCount--;
                    s_lock.Release(flags);
                }
                Scheduler.ThreadStateLock.Release(stateFlags);
                if (!mustWait) return;
            }
        }

        /// <summary>
        /// Closes an operation. The last one open commits the group, on this thread, before returning:
        /// when EndOperation returns, this operation's changes are on the disk.
        /// </summary>
        [TeachOS.Boundary.MayBlock]
        public static void EndOperation()
        {
            bool flags = s_lock.Acquire();
            if (s_outstanding <= 0 || s_committing) Diagnostics.Panic.Halt("Log.EndOperation: no operation is open");
            s_outstanding--;
            bool commit = s_outstanding == 0;
            if (commit) s_committing = true;
            bool wake = s_waiterCount > 0;              // an ended operation leaves room for a waiting one
            s_lock.Release(flags);
            if (wake) Scheduler.WakeAll(s_waiters);
            if (!commit) return;

            // Nobody changes s_count or s_blocks while s_committing: BeginOperation waits.
            Commit();
            flags = s_lock.Acquire();
            s_committing = false;
            wake = s_waiterCount > 0;
            s_lock.Release(flags);
            if (wake) Scheduler.WakeAll(s_waiters);
        }

        /// <summary>
        /// Records that a held buffer was changed by the open operation: the change goes to the disk at
        /// commit. The buffer stays pinned in the cache until then. Replaces BufferCache.Write inside an
        /// operation.
        /// </summary>
        public static void Write(Buffer buffer)
        {
            if (!buffer.IsHeldByCurrentThread) Diagnostics.Panic.Halt("Log.Write: the buffer is not held");
            bool flags = s_lock.Acquire();
            if (s_outstanding < 1) Diagnostics.Panic.Halt("Log.Write: outside an operation (call Log.BeginOperation first)");
            int i = 0;
            while (i < s_count && s_blocks[i] != buffer.BlockNumber) i++;     // absorption: logged once per commit
            bool added = i == s_count;
            if (added)
            {
                if (s_count >= s_capacity) Diagnostics.Panic.Halt("Log.Write: the transaction does not fit the log (an operation wrote more than it promised)");
                s_blocks[s_count++] = buffer.BlockNumber;
            }
            s_lock.Release(flags);
            if (added) BufferCache.Pin(buffer);
        }

        private static void Commit()
        {
            if (s_count == 0) return;
            WriteLogBlocks();
            // The logged copies must be on the medium before the header that vouches for them: a disk
            // may reorder the writes it holds, and a header durable before its blocks would make
            // recovery install garbage.
            BufferCache.Flush();
            WriteHeader(s_count);                       // THE COMMIT POINT
            // The header must be durable before any home block changes: a home block written before a
            // crash that lost the header would be half of an operation.
            BufferCache.Flush();
            Install();
            // Every home block must be durable before the header is cleared, or a crash could lose both.
            BufferCache.Flush();
            s_count = 0;
            WriteHeader(0);
            // And the cleared header before the next commit overwrites the log area: an old header with
            // its count over new log contents would install the wrong bytes.
            BufferCache.Flush();
            Commits++;
        }

        // Copies each changed block (from its cached, pinned buffer) to its slot in the log area.
        private static void WriteLogBlocks()
        {
            for (int i = 0; i < s_count; i++)
            {
                Buffer to = BufferCache.Read(s_start + 1 + (uint)i);
                Buffer from = BufferCache.Read(s_blocks[i]);
                from.Data.CopyTo(to.Data);
                BufferCache.Write(to);
                BufferCache.Release(from);
                BufferCache.Release(to);
            }
        }

        // Writes each block home: its buffer is still cached (pinned) with the committed bytes.
        private static void Install()
        {
            for (int i = 0; i < s_count; i++)
            {
                Buffer home = BufferCache.Read(s_blocks[i]);
                BufferCache.Write(home);
                BufferCache.Unpin(home);
                BufferCache.Release(home);
            }
        }

        private static void WriteHeader(int count)
        {
            Buffer header = BufferCache.Read(s_start);
            LogHeaderBlock.Store(header.Data, count, s_blocks);
            BufferCache.Write(header);
            BufferCache.Release(header);
        }
    }
}
