using System.Runtime.CompilerServices;
using Arch.X64;

namespace Mem
{
    /// <summary>
    /// How many freed things wait for a moment with no lock held to be given back: kernel stacks of
    /// exited threads (Mem/KernelStack.cs) and ranges of the kernel heap (Mem/HeapArea.cs). Both stay
    /// mapped until a TLB shootdown, which needs no lock held, lets their frames go. Every syscall
    /// asks whether anything waits (<see cref="KernelStack.FreeReleased"/>); nearly always nothing
    /// does, and this one word answers for both kinds in one compare.
    /// The two kinds are queued and taken under two different locks, so the count changes by atomic
    /// adds. It may be above zero for a moment while a CPU finishes what it took off a queue; asking
    /// then only costs a look at the queues.
    /// </summary>
    public static unsafe class DeferredFreeing
    {
        // The class's only static field, so that it sits at the very address of the class's statics.
        // The compiler reads a static at that address straight from the instruction (cmp against
        // [rip + address]); one further in needs the address in a register first: one instruction
        // more on every syscall.
        private static ulong s_waiting;

        /// <summary>True if something waits (a plain read: a caller that misses a change sees it at its next syscall).</summary>
        public static bool Any => s_waiting != 0;

        /// <summary>One more thing queued.</summary>
        public static void Queued() => Atomic.Add((ulong*)Unsafe.AsPointer(ref s_waiting), 1);

        /// <summary>One thing given back.</summary>
        public static void Done() => Atomic.Add((ulong*)Unsafe.AsPointer(ref s_waiting), unchecked((ulong)-1L));
    }
}
