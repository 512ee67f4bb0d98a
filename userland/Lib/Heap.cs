using System.Runtime;

namespace TeachOS
{
    /// <summary>
    /// Memory for a program's objects: `new` ends here (through the base library). The heap grows
    /// through the sbrk syscall, 64 KiB or more at a time, and hands out memory in order. There is no
    /// garbage collector and nothing is freed: TeachOS programs are small and short-lived, and the
    /// kernel takes every page back when the program exits.
    /// </summary>
    public static unsafe class Heap
    {
        private const long GrowBy = 64 * 1024;

        private static byte* s_next;
        private static byte* s_end;

        public static long BytesAllocated { get; private set; }

        [RuntimeExport("teachos_platform_allocate")]
        private static void* Allocate(nuint size)
        {
            ulong bytes = ((ulong)size + 15) & ~15UL;
            if (s_next == null || s_next + bytes > s_end)
            {
                long grow = (long)bytes > GrowBy ? (long)bytes : GrowBy;
                long oldEnd = Sys.Sbrk(grow);
                if (oldEnd < 0) Fail.OutOfMemory();
                if ((byte*)oldEnd != s_end) s_next = (byte*)oldEnd;     // first growth, or someone else used sbrk
                s_end = (byte*)oldEnd + grow;
            }
            byte* block = s_next;
            s_next += bytes;
            BytesAllocated += (long)bytes;
            return block;                                              // sbrk's pages arrive zeroed
        }
    }
}
