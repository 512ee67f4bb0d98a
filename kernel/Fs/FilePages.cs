using System;
using Arch.X64;
using Mem;

namespace Fs
{
    /// <summary>
    /// Where a RAM file's bytes live: in whole physical frames of 4 KiB, found through a two-level
    /// table, as a CPU finds a virtual page (Arch/X64/PageTables.cs). A file's top table is one frame
    /// of 512 physical addresses of index frames; each index frame holds 512 addresses of data frames.
    /// So block b of the file (bytes b*4096 to b*4096+4095) is entry b % 512 of index frame b / 512.
    /// Nothing needs a contiguous run of memory (one ever-growing array did, and a 64 MiB file once
    /// exhausted the kernel heap), truncating gives every frame straight back to the frame allocator,
    /// and no heap block is involved at all.
    ///
    /// All the frames the file system holds (data and tables) count against one limit,
    /// <see cref="LimitBytes"/> (default 32 MiB; `ramfs-limit=MiB` on the kernel command line): a
    /// write past it gets -ENOSPC, never a panic. A file's frames are a user's memory like its heap:
    /// they come through Mem/MemoryBudget.cs, which keeps the kernel's reserve out of users' reach.
    /// Lock: FileSystem.Lock (every caller holds it).
    /// </summary>
    public static unsafe class FilePages
    {
        public const int BlockSize = (int)FrameAllocator.FrameSize;
        public const int EntriesPerTable = BlockSize / sizeof(ulong);                   // 512
        public const long MaximumFileSize = (long)EntriesPerTable * EntriesPerTable * BlockSize;   // 1 GiB

        public const ulong DefaultLimitMiB = 32;
        public const uint MaximumLimitMiB = 1024 * 1024;                                // 1 TiB: more than any machine here

        /// <summary>The most memory file contents may take, in bytes (whole frames, tables included).</summary>
        public static ulong LimitBytes { get; private set; } = DefaultLimitMiB * 1024 * 1024;

        /// <summary>Frames the file system holds now (data and tables).</summary>
        public static ulong FramesInUse { get; private set; }

        /// <summary>Reads `ramfs-limit=MiB` (before the initrd is unpacked; its files count too).</summary>
        public static void Configure()
        {
            string limit = Boot.CommandLine.Get("ramfs-limit");
            if (limit != null && uint.TryParse(limit, out uint mebibytes) && mebibytes > 0 && mebibytes <= MaximumLimitMiB)
                LimitBytes = (ulong)mebibytes * 1024 * 1024;
        }

        /// <summary>The kernel address of block <paramref name="block"/>'s bytes, or null if it has none (read as zeros).</summary>
        public static byte* Block(ulong table, long block)
        {
            if (table == 0 || block < 0 || block >= (long)EntriesPerTable * EntriesPerTable) return null;
            ulong index = Entries(table)[block / EntriesPerTable];
            if (index == 0) return null;
            ulong data = Entries(index)[block % EntriesPerTable];
            return data == 0 ? null : (byte*)DirectMap.ToVirtual(data);
        }

        /// <summary>
        /// Like <see cref="Block"/>, but allocates the block (and the tables on the way) when it has
        /// none. Null when the limit is reached or memory is short: the caller returns -ENOSPC.
        /// </summary>
        public static byte* BlockForWriting(ref ulong table, long block)
        {
            if (block < 0 || block >= (long)EntriesPerTable * EntriesPerTable) return null;
            if (table == 0 && (table = TakeFrame()) == 0) return null;
            ulong* top = Entries(table);
            ulong* slot = &top[block / EntriesPerTable];
            if (*slot == 0 && (*slot = TakeFrame()) == 0) return null;
            ulong* data = &Entries(*slot)[block % EntriesPerTable];
            if (*data == 0 && (*data = TakeFrame()) == 0) return null;
            return (byte*)DirectMap.ToVirtual(*data);
        }

        /// <summary>Gives every frame of a file back (its data and its tables); the file is then empty.</summary>
        public static void FreeAll(ref ulong table)
        {
            if (table == 0) return;
            ulong* top = Entries(table);
            for (int i = 0; i < EntriesPerTable; i++)
            {
                if (top[i] == 0) continue;
                ulong* index = Entries(top[i]);
                for (int j = 0; j < EntriesPerTable; j++)
                    if (index[j] != 0) GiveFrame(index[j]);
                GiveFrame(top[i]);
            }
            GiveFrame(table);
            table = 0;
        }

        /// <summary>
        /// Gives back the data frames of blocks <paramref name="firstBlock"/> onward (a truncation), and
        /// each index frame left with no data frame.
        /// </summary>
        public static void FreeFrom(ref ulong table, long firstBlock)
        {
            if (table == 0) return;
            if (firstBlock <= 0) { FreeAll(ref table); return; }
            ulong* top = Entries(table);
            for (long i = firstBlock / EntriesPerTable; i < EntriesPerTable; i++)
            {
                if (top[i] == 0) continue;
                ulong* index = Entries(top[i]);
                bool empty = true;
                for (long j = 0; j < EntriesPerTable; j++)
                {
                    if (i * EntriesPerTable + j >= firstBlock && index[j] != 0)
                    {
                        GiveFrame(index[j]);
                        index[j] = 0;
                    }
                    if (index[j] != 0) empty = false;
                }
                if (!empty) continue;
                GiveFrame(top[i]);
                top[i] = 0;
            }
        }

        private static ulong* Entries(ulong frame) => (ulong*)DirectMap.ToVirtual(frame);

        // A zeroed frame, counted against the limit; 0 if the limit or the reserve says no.
        private static ulong TakeFrame()
        {
            if ((FramesInUse + 1) * FrameAllocator.FrameSize > LimitBytes) return 0;
            ulong frame = MemoryBudget.TryAllocateUserFrame();
            if (frame != 0) FramesInUse++;
            return frame;
        }

        private static void GiveFrame(ulong frame)
        {
            FrameAllocator.Free(frame);
            FramesInUse--;
        }
    }
}
