using System.Runtime;
using System.Runtime.CompilerServices;
using TeachOS.Boundary;

namespace Arch.X64
{
    /// <summary>
    /// Privileged and special instructions, implemented in Cpu.asm. The privileged ones are marked
    /// [Privileged]: only code in Arch.X64 may call them (analyzer rule TOS0003), and the rest of the
    /// kernel uses the architecture's own interfaces (Interrupts, IoPort, FaultInfo).
    /// </summary>
    public static unsafe class Cpu
    {
        [Privileged, MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "cpu_out8")]
        public static extern void Out8(ushort port, byte value);

        [Privileged, MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "cpu_in8")]
        public static extern byte In8(ushort port);

        [Privileged, MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "cpu_out16")]
        public static extern void Out16(ushort port, ushort value);

        [Privileged, MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "cpu_in16")]
        public static extern ushort In16(ushort port);

        [Privileged, MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "cpu_out32")]
        public static extern void Out32(ushort port, uint value);

        [Privileged, MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "cpu_in32")]
        public static extern uint In32(ushort port);

        /// <summary>Stops the CPU until the next interrupt.</summary>
        [Privileged, MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "cpu_halt")]
        public static extern void Halt();

        [Privileged, MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "cpu_disable_interrupts")]
        public static extern void DisableInterrupts();

        [Privileged, MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "cpu_enable_interrupts")]
        public static extern void EnableInterrupts();

        /// <summary>sti; hlt — waits for an interrupt without a window in which one could be missed.</summary>
        [Privileged, MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "cpu_enable_interrupts_and_halt")]
        public static extern void EnableInterruptsAndHalt();

        /// <summary>Tells the CPU we are spinning (a hint for hyper-threads sharing a core).</summary>
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "cpu_pause")]
        public static extern void Pause();

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "cpu_read_flags")]
        public static extern ulong ReadFlags();

        /// <summary>The time-stamp counter: CPU cycles since reset (rdtsc).</summary>
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "cpu_read_timestamp")]
        public static extern ulong ReadTimestamp();

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "cpu_cpuid")]
        private static extern void Cpuid(uint leaf, uint subleaf, CpuidResult* result);

        public static CpuidResult Cpuid(uint leaf, uint subleaf = 0)
        {
            CpuidResult result;
            Cpuid(leaf, subleaf, &result);
            return result;
        }

        /// <summary>RFLAGS.IF (bit 9): are maskable interrupts enabled? Intel SDM vol. 1, 3.4.3.</summary>
        public static bool InterruptsEnabled => (ReadFlags() & (1 << 9)) != 0;

        /// <summary>Stops this CPU for good (interrupts off, halt forever).</summary>
        [Privileged]
        public static void HaltForever()
        {
            while (true)
            {
                DisableInterrupts();
                Halt();
            }
        }
    }

    public struct CpuidResult
    {
        public uint Eax, Ebx, Ecx, Edx;
    }
}

namespace Arch.X64
{
    /// <summary>Control registers, MSRs and descriptor-table registers (Cpu.asm).</summary>
    public static unsafe class SystemRegisters
    {
        [Privileged, MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "cpu_read_cr0")]
        public static extern ulong ReadCr0();

        /// <summary>CR2: the linear address of the last page fault.</summary>
        [Privileged, MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "cpu_read_cr2")]
        public static extern ulong ReadCr2();

        /// <summary>CR3: the physical address of the top-level page table (PML4).</summary>
        [Privileged, MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "cpu_read_cr3")]
        public static extern ulong ReadCr3();

        [Privileged, MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "cpu_write_cr3")]
        public static extern void WriteCr3(ulong value);

        [Privileged, MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "cpu_read_cr4")]
        public static extern ulong ReadCr4();

        [Privileged, MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "cpu_write_cr4")]
        public static extern void WriteCr4(ulong value);

        [Privileged, MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "cpu_invalidate_page")]
        public static extern void InvalidatePage(ulong virtualAddress);

        [Privileged, MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "cpu_read_msr")]
        public static extern ulong ReadMsr(uint msr);

        [Privileged, MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "cpu_write_msr")]
        public static extern void WriteMsr(uint msr, ulong value);

        [Privileged, MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "cpu_load_gdt")]
        public static extern void LoadGdt(DescriptorTablePointer* pointer, ushort codeSelector, ushort dataSelector);

        [Privileged, MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "cpu_load_idt")]
        public static extern void LoadIdt(DescriptorTablePointer* pointer);

        [Privileged, MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "cpu_load_task_register")]
        public static extern void LoadTaskRegister(ushort selector);

        /// <summary>Executes int3: a breakpoint exception (vector 3) that the kernel reports and resumes from.</summary>
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "cpu_breakpoint")]
        public static extern void Breakpoint();

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "cpu_read_stack_pointer")]
        public static extern ulong ReadStackPointer();
    }

    /// <summary>The operand of lgdt and lidt: a table's size minus one, and its address.</summary>
    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential, Pack = 1)]
    public struct DescriptorTablePointer
    {
        public ushort Limit;
        public ulong Base;
    }
}
