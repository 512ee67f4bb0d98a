using System.Runtime;
using System.Runtime.CompilerServices;

namespace TeachOS
{
    /// <summary>Privileged instructions, callable from a user program so you can watch them fail (Native/Demonstrations.asm).</summary>
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
    }
}
