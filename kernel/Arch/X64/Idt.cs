using System.Runtime;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Arch.X64
{
    /// <summary>
    /// The Interrupt Descriptor Table: for each of the 256 vectors, the code the CPU jumps to when that
    /// exception or interrupt happens. Every entry points at a stub in Arch/X64/TrapEntry.asm. All are
    /// interrupt gates (the CPU clears IF on entry, so a handler is not interrupted by another), with
    /// DPL 0 (ring 3 cannot raise them with `int n`) except the breakpoint and syscall vectors.
    /// Intel SDM vol. 3A, 6.10-6.14.
    /// </summary>
    public static unsafe class Idt
    {
        public const int VectorCount = 256;

        [StructLayout(LayoutKind.Sequential)]
        private struct Gate
        {
            public ushort OffsetLow;
            public ushort Selector;
            public byte InterruptStack;    // 0: stay on the current stack (or RSP0 from ring 3); 1-7: an IST slot
            public byte TypeAndAttributes;
            public ushort OffsetMiddle;
            public uint OffsetHigh;
            public uint Reserved;
        }

        private const byte Present = 0x80;
        private const byte InterruptGate = 0x0E;

        private static Gate* s_gates;

        /// <summary>The stub addresses, one per vector (Arch/X64/TrapEntry.asm).</summary>
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "trap_stub_table")]
        private static extern ulong* StubTable();

        /// <summary>The bytes <see cref="Initialize"/> needs for the table.</summary>
        public static ulong TableBytes => (ulong)(sizeof(Gate) * VectorCount);

        /// <summary>Fills the table in <paramref name="memory"/> (<see cref="TableBytes"/> bytes, from the
        /// caller: Arch allocates nothing) and loads it on this CPU.</summary>
        public static void Initialize(void* memory)
        {
            s_gates = (Gate*)memory;
            ulong* stubs = StubTable();
            for (int vector = 0; vector < VectorCount; vector++)
                SetGate(vector, stubs[vector], privilege: 0, interruptStack: 0);

            SetGate(TrapVectors.Breakpoint, stubs[TrapVectors.Breakpoint], privilege: 3, interruptStack: 0);
            SetGate(TrapVectors.Syscall, stubs[TrapVectors.Syscall], privilege: 3, interruptStack: 0);
            SetGate(TrapVectors.DoubleFault, stubs[TrapVectors.DoubleFault], 0, InterruptStacks.DoubleFault);
            SetGate(TrapVectors.NonMaskableInterrupt, stubs[TrapVectors.NonMaskableInterrupt], 0, InterruptStacks.NonMaskableInterrupt);
            SetGate(TrapVectors.MachineCheck, stubs[TrapVectors.MachineCheck], 0, InterruptStacks.MachineCheck);
            Load();
        }

        /// <summary>Loads the IDT on the calling CPU (each CPU must load it once).</summary>
        public static void Load()
        {
            DescriptorTablePointer pointer;
            pointer.Limit = (ushort)(sizeof(Gate) * VectorCount - 1);
            pointer.Base = (ulong)s_gates;
            SystemRegisters.LoadIdt(&pointer);
        }

        private static void SetGate(int vector, ulong handler, int privilege, byte interruptStack)
        {
            Gate* gate = &s_gates[vector];
            gate->OffsetLow = (ushort)handler;
            gate->OffsetMiddle = (ushort)(handler >> 16);
            gate->OffsetHigh = (uint)(handler >> 32);
            gate->Selector = Selectors.KernelCode;
            gate->InterruptStack = interruptStack;
            gate->TypeAndAttributes = (byte)(Present | (privilege << 5) | InterruptGate);
        }
    }
}
