using System.Runtime;
using System.Runtime.CompilerServices;

namespace Arch.X64
{
    /// <summary>Indivisible memory operations (Atomic.asm), the building blocks of locks.</summary>
    public static unsafe class Atomic
    {
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "atomic_exchange32")]
        public static extern uint Exchange(uint* location, uint value);

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "atomic_compare_exchange64")]
        public static extern ulong CompareExchange(ulong* location, ulong value, ulong expected);

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "atomic_add64")]
        public static extern ulong Add(ulong* location, ulong delta);
    }
}
