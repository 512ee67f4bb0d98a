using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Mem
{
    /// <summary>
    /// The kernel heap's first memory: an area in the kernel image's zero-filled part (.bss), usable
    /// before the kernel knows where free RAM is. Its size bounds the kernel's early allocations.
    /// </summary>
    public static unsafe class BootstrapHeap
    {
        public const ulong Size = 8 * 1024 * 1024;

        [StructLayout(LayoutKind.Sequential, Size = (int)Size)]
        private struct Area
        {
            private byte _first;
        }

        private static Area s_area;

        public static byte* Start => (byte*)Unsafe.AsPointer(ref s_area);
    }
}
