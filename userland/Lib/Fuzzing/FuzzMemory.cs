using Abi;

namespace TeachOS.Fuzzing
{
    /// <summary>
    /// The memory the fuzzed calls point into, set up once before the first call and never allocated
    /// again: four pages taken with sbrk, on top of everything the program allocated, so that what lies
    /// above them is unmapped (or pages a fuzzed sbrk added). From the bottom:
    /// <code>
    ///   page 0   the strings (paths, thread names), each NUL-terminated     Text(n)
    ///   page 1   argument lists for spawn: arrays of string pointers        ArgumentList(n)
    ///   page 2-3 the buffer that reads and writes use, filled with 'A'      Buffer + offset
    ///   above    unmapped: Buffer + 8191 with a length of 2 straddles the end of what is mapped
    /// </code>
    /// A read with a huge length into the buffer runs into the unmapped page and must fail with EFAULT,
    /// never into the fuzzer's own code or data. Thread stacks are allocated before the four pages.
    /// </summary>
    public static unsafe class FuzzMemory
    {
        public const int PageSize = 4096;
        public const int BufferSize = 2 * PageSize;
        public const int ThreadStacks = 16;
        public const int ThreadStackSize = 16 * 1024;

        public static ulong Strings, ArgumentLists, Buffer;
        public static ulong LastStringEnd;
        private static ulong s_stacksLow;

        /// <summary>
        /// The texts that paths and names are drawn from; <see cref="KnownBugs.TagOfText"/> says which reach a known bug.
        /// The last three reach the device files (kernel/Fs/Devices/): writes and truncations of /dev/null, reads of
        /// /dev/zero of any length into any buffer, and creating, linking, renaming and removing in /dev (EROFS, EXDEV).
        /// /dev/console is not among them: a read of it waits for a key that a fuzzing run never types.
        /// The four after them reach the control groups: mkdir and rmdir of a group, writes of random bytes to
        /// pids.max and cgroup.procs (EINVAL, ESRCH, or a move), and the mount point itself.
        /// </summary>
        public static readonly string[] Texts =
        {
            "/bin/true", "/bin/echo", "/bin/ls", "/etc/motd", "/bin", "/", "/no/such/file",
            "/fz0", "/fz1", "/etc/fz2", "", "/etc/motd/x", "fz0",
            "/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "/dev/null", "/dev/zero", "/dev/fz3", "tmpfs",
            // The control groups (kernel/Cgroups/): a group of the fuzzer's own, its files, and the root.
            "/sys/fs/cgroup/fz4", "/sys/fs/cgroup/fz4/pids.max", "/sys/fs/cgroup/fz4/cgroup.procs", "/sys/fs/cgroup",
        };
        /// <summary>Indexes into <see cref="Texts"/> that mount's fuzzing names: a file-system type TeachOS has, and no data.</summary>
        public const int TmpfsText = 17, EmptyText = 10;
        private static readonly ulong[] s_textAddresses = new ulong[Texts.Length];

        /// <summary>The argument lists for spawn (indexes into <see cref="Texts"/>; -1 ends, -2 a kernel pointer, -3 an unmapped one).</summary>
        public static readonly int[][] Lists =
        {
            new[] { 0 }, new[] { 1, 5, 3 }, new[] { 0, 10 }, new int[0], new[] { -2 }, new[] { 1, -3 },
        };
        public const int TooLongList = 6, UnterminatedList = 7, ListCount = 8;
        private static readonly ulong[] s_listAddresses = new ulong[ListCount];

        public static ulong Text(int index) => s_textAddresses[index];
        public static ulong ArgumentList(int index) => s_listAddresses[index];
        public static ulong Stack(int slot) => s_stacksLow + (ulong)((slot + 1) * ThreadStackSize);

        /// <summary>Lays out the four pages (and the thread stacks below them). False if sbrk refused.</summary>
        public static bool Set()
        {
            byte[] stacks = new byte[ThreadStacks * ThreadStackSize + 16];
            fixed (byte* bottom = stacks) s_stacksLow = ((ulong)bottom + 15) & ~15UL;

            long start = Sys.Sbrk(0);
            ulong aligned = ((ulong)start + PageSize - 1) & ~(ulong)(PageSize - 1);
            if (start < 0 || Sys.Sbrk((long)(aligned - (ulong)start) + 4 * PageSize) < 0) return false;
            Strings = aligned;
            ArgumentLists = aligned + PageSize;
            Buffer = aligned + 2 * PageSize;

            byte* at = (byte*)Strings;
            for (int i = 0; i < Texts.Length; i++)
            {
                s_textAddresses[i] = (ulong)at;
                for (int c = 0; c < Texts[i].Length; c++) *at++ = (byte)Texts[i][c];
                *at++ = 0;
            }
            LastStringEnd = (ulong)at;

            ulong* list = (ulong*)ArgumentLists;
            for (int n = 0; n < Lists.Length; n++)
            {
                s_listAddresses[n] = (ulong)list;
                foreach (int text in Lists[n])
                    *list++ = text == -2 ? BadAddresses.KernelAddress : text == -3 ? BadAddresses.UnmappedAddress : Text(text);
                *list++ = 0;
            }
            s_listAddresses[TooLongList] = (ulong)list;          // more arguments than spawn takes
            for (int i = 0; i < 200; i++) *list++ = Text(0);
            *list++ = 0;
            // No terminating null: the pointers run on to the end of the page, then into the buffer's 'A's.
            s_listAddresses[UnterminatedList] = (ulong)list;
            while ((ulong)list < Buffer) *list++ = Text(1);

            for (ulong i = 0; i < BufferSize; i++) ((byte*)Buffer)[i] = (byte)'A';
            return true;
        }
    }
}
