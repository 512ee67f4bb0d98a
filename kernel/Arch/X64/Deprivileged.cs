using System.Runtime;
using System.Runtime.CompilerServices;
using TeachOS.Boundary;

namespace Arch.X64
{
    /// <summary>
    /// The two stubs of Arch/X64/DeprivilegedEntry.asm, for the trap-and-emulate backend
    /// (kernel/Virt/TrapEmulate): into a ring-3 guest from a system call, and from one of its traps back
    /// to that system call. Interrupts off for both.
    /// </summary>
    public static unsafe class Deprivileged
    {
        /// <summary>
        /// Saves the host's callee-saved registers and stack pointer in *<paramref name="hostStack"/>, and
        /// resumes <paramref name="first"/> (a ring-3 frame) with its frame just below
        /// <paramref name="nestedTop"/>. Returns what <see cref="Leave"/> is given.
        /// </summary>
        public static long Enter(ulong* hostStack, TrapFrame* first, ulong nestedTop) => DeprivilegedEnter(hostStack, first, nestedTop);

        /// <summary>Returns <paramref name="result"/> from the <see cref="Enter"/> that saved <paramref name="hostStack"/>; never returns itself.</summary>
        public static void Leave(ulong hostStack, long result) => DeprivilegedLeave(hostStack, result);

        // iretq to ring 3, and a jump back into a saved stack: kept here, in the architecture layer.
        [Privileged, MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "deprivileged_enter")]
        private static extern long DeprivilegedEnter(ulong* hostStack, TrapFrame* first, ulong nestedTop);

        [Privileged, MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "deprivileged_leave")]
        private static extern void DeprivilegedLeave(ulong hostStack, long result);
    }
}
