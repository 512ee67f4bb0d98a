using TeachOS.Boundary;

namespace Arch.X64
{
    /// <summary>
    /// What each interrupt vector means. 0-31 are the CPU's exceptions (Intel SDM vol. 3A, table 6-1);
    /// 32-47 the legacy PIC's interrupt lines, remapped there (Arch/X64/Pic.cs); 0x80 the syscall gate.
    /// </summary>
    [SharedWithAssembly("VECTOR")]
    public static class TrapVectors
    {
        public const int DivideError = 0;
        public const int Debug = 1;
        public const int NonMaskableInterrupt = 2;
        public const int Breakpoint = 3;
        public const int InvalidOpcode = 6;
        public const int DeviceNotAvailable = 7;
        public const int DoubleFault = 8;
        public const int GeneralProtection = 13;
        public const int PageFault = 14;
        public const int MachineCheck = 18;
        public const int ExceptionCount = 32;

        public const int IrqBase = 32;
        public const int IrqCount = 16;
        public const int KeyboardIrq = 1;
        public const int SerialIrq = 4;
        public const int SpuriousIrq = 7;              // the PIC's spurious interrupt line

        /// <summary>Each CPU's local APIC timer (Arch/X64/LocalApic.cs): the scheduler's tick.</summary>
        public const int LocalTimer = 48;

        // Inter-processor interrupts: one CPU interrupting another (Sched/InterProcessor.cs, Mem/TlbShootdown.cs).
        public const int RescheduleIpi = 0xF0;       // "look at your run queue"
        public const int TlbShootdownIpi = 0xF1;     // "forget these page translations"
        public const int PingIpi = 0xF2;             // "answer me" (the IPI round-trip benchmark)
        public const int HaltIpi = 0xF3;             // "stop": another CPU panicked
        public const int LocalApicSpurious = 0xFF;

        public const int Syscall = 0x80;

        /// <summary>
        /// Not a vector, and nothing dispatches on it (the `syscall` stub calls the syscall dispatcher
        /// itself): Arch/X64/SyscallEntry.asm stores it in its frames' Vector field, so code that reads a
        /// frame later (the trap log, a debugger) can tell which door the thread came in by, and whether
        /// its SSE registers were saved (only trap_common saves them).
        /// </summary>
        public const int SyscallInstruction = 256;

        /// <summary>The exception's mnemonic as the manuals write it: #DE, #PF, ...</summary>
        public static string Mnemonic(ulong vector)
        {
            switch (vector)
            {
                case 0: return "#DE";
                case 1: return "#DB";
                case 2: return "NMI";
                case 3: return "#BP";
                case 4: return "#OF";
                case 5: return "#BR";
                case 6: return "#UD";
                case 7: return "#NM";
                case 8: return "#DF";
                case 9: return "#CSO";
                case 10: return "#TS";
                case 11: return "#NP";
                case 12: return "#SS";
                case 13: return "#GP";
                case 14: return "#PF";
                case 16: return "#MF";
                case 17: return "#AC";
                case 18: return "#MC";
                case 19: return "#XM";
                case 20: return "#VE";
                case 21: return "#CP";
                case 28: return "#HV";
                case 29: return "#VC";
                case 30: return "#SX";
                default: return vector < 32 ? "reserved" : "interrupt";
            }
        }

        public static string Name(ulong vector)
        {
            switch (vector)
            {
                case 0: return "Divide Error";
                case 1: return "Debug";
                case 2: return "Non-Maskable Interrupt";
                case 3: return "Breakpoint";
                case 4: return "Overflow";
                case 5: return "BOUND Range Exceeded";
                case 6: return "Invalid Opcode";
                case 7: return "Device Not Available";
                case 8: return "Double Fault";
                case 9: return "Coprocessor Segment Overrun";
                case 10: return "Invalid TSS";
                case 11: return "Segment Not Present";
                case 12: return "Stack-Segment Fault";
                case 13: return "General Protection";
                case 14: return "Page Fault";
                case 16: return "x87 Floating-Point Error";
                case 17: return "Alignment Check";
                case 18: return "Machine Check";
                case 19: return "SIMD Floating-Point Exception";
                case 20: return "Virtualization Exception";
                case 21: return "Control Protection";
                case 28: return "Hypervisor Injection";
                case 29: return "VMM Communication";
                case 30: return "Security Exception";
                case (ulong)LocalTimer: return "local APIC timer";
                case (ulong)RescheduleIpi: return "reschedule IPI";
                case (ulong)TlbShootdownIpi: return "TLB shootdown IPI";
                case (ulong)PingIpi: return "ping IPI";
                case (ulong)HaltIpi: return "halt IPI";
                case (ulong)LocalApicSpurious: return "spurious (local APIC)";
                case (ulong)(IrqBase + KeyboardIrq): return "IRQ 1 (keyboard)";
                case (ulong)(IrqBase + SerialIrq): return "IRQ 4 (serial)";
                case (ulong)Syscall: return "int 0x80 (syscall)";
                case (ulong)SyscallInstruction: return "syscall instruction";
                default: return vector < 32 ? "Reserved" : (vector < IrqBase + IrqCount ? "IRQ" : "Interrupt");
            }
        }
    }
}
