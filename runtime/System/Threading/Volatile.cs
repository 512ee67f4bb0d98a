using System.Runtime.CompilerServices;

namespace System.Threading
{
    /// <summary>
    /// Reads and writes the compiler may not cache, reorder or drop. A loop such as
    /// `while (Clock.Ticks &lt; end) { }` reads a value that an interrupt handler changes; with an
    /// ordinary read the compiler may load it once, before the loop, and spin forever.
    /// The JIT recognises these [Intrinsic] methods and emits each access as a volatile one
    /// (the bodies below are what it would otherwise inline: they are not volatile by themselves,
    /// because C# cannot write a volatile 64-bit access).
    /// </summary>
    public static class Volatile
    {
        [Intrinsic]
        public static ulong Read(ref readonly ulong location) => location;

        [Intrinsic]
        public static void Write(ref ulong location, ulong value) => location = value;

        [Intrinsic]
        public static int Read(ref readonly int location) => location;

        [Intrinsic]
        public static void Write(ref int location, int value) => location = value;

        [Intrinsic]
        public static bool Read(ref readonly bool location) => location;

        [Intrinsic]
        public static void Write(ref bool location, bool value) => location = value;
    }
}
