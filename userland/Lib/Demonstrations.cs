using System.Runtime;
using System.Runtime.CompilerServices;

namespace TeachOS
{
    /// <summary>
    /// Instructions that trap, callable from a user program so you can watch what the kernel does
    /// (Native/Demonstrations.asm): privileged ones fail, a breakpoint is reported and resumed.
    /// </summary>
    public static class Demonstrations
    {
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "demo_cli")]
        public static extern void DisableInterrupts();

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "demo_hlt")]
        public static extern void Halt();

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "demo_out")]
        public static extern void WritePort();

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "demo_ud2")]
        public static extern void InvalidInstruction();

        /// <summary>int3: the breakpoint trap (#BP). The kernel reports it and the program continues.</summary>
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "demo_int3")]
        public static extern void Breakpoint();
    }
}
