using Arch.X64;
using Diagnostics;
using Mem;
using Terminal;

namespace Traps
{
    /// <summary>
    /// Explains an exception: which one, what its error code says, every register, the privilege level,
    /// and where in the C# code it happened (with a backtrace for kernel-mode faults).
    /// </summary>
    public static unsafe class ExceptionReport
    {
        public static void Print(TrapFrame* frame)
        {
            ulong vector = frame->Vector;
            Console.Write("exception ");
            Console.Write(TrapVectors.Mnemonic(vector));
            Console.Write(" ");
            Console.Write(TrapVectors.Name(vector));
            Console.Write(" (vector ");
            Console.WriteDecimal(vector);
            Console.Write(") in ");
            Console.WriteLine(frame->FromUserMode ? "user mode (ring 3)" : "kernel mode (ring 0)");

            Console.Write("  error code: ");
            Console.WriteHex(frame->ErrorCode);
            if (vector == TrapVectors.PageFault) ExplainPageFault(frame);
            else if (HasSelectorErrorCode(vector) && frame->ErrorCode != 0) ExplainSelector(frame->ErrorCode);
            Console.WriteLine();
            if (vector == TrapVectors.DoubleFault) ExplainDoubleFault(frame);
            if (vector == TrapVectors.GeneralProtection && frame->ErrorCode == 0)
                Console.WriteLine(frame->FromUserMode
                    ? "  (#GP in ring 3 with error code 0: most likely a privileged instruction, such as cli, hlt or out)"
                    : "  (#GP with error code 0: a privileged instruction, a non-canonical address, or a bad segment load)");

            Console.Write("  rip: ");
            Console.WriteHex(frame->Rip, 16);
            Console.Write("  ");
            if (frame->FromUserMode) WriteUserLocation(frame->Rip);
            else SymbolTable.WriteLocation(frame->Rip);
            Console.WriteLine();
            PrintRegisters(frame);

            if (!frame->FromUserMode)
            {
                Backtrace.Print(Backtrace.FromTrapFrame(frame), firstFrameFaulted: true);
            }
        }

        // #PF error code bits (Intel SDM vol. 3A, 4.7).
        private const ulong PageFaultPresent = 1 << 0;
        private const ulong PageFaultWrite = 1 << 1;
        private const ulong PageFaultUser = 1 << 2;
        private const ulong PageFaultReservedBit = 1 << 3;
        private const ulong PageFaultInstructionFetch = 1 << 4;
        private const ulong PageFaultProtectionKey = 1 << 5;

        private static void ExplainPageFault(TrapFrame* frame)
        {
            ulong error = frame->ErrorCode;
            Console.Write((error & PageFaultPresent) != 0 ? " = protection violation" : " = page not present");
            Console.Write((error & PageFaultInstructionFetch) != 0 ? ", instruction fetch" : (error & PageFaultWrite) != 0 ? ", write" : ", read");
            Console.Write((error & PageFaultUser) != 0 ? ", from user mode" : ", from supervisor mode");
            if ((error & PageFaultReservedBit) != 0) Console.Write(", reserved bit set in a page-table entry");
            if ((error & PageFaultProtectionKey) != 0) Console.Write(", protection key");
            Console.WriteLine();

            ulong address = FaultInfo.PageFaultAddress;
            Console.Write("  cr2: ");
            Console.WriteHex(address, 16);
            Console.Write(" (");
            Console.Write(KernelAddressSpace.Describe(address));
            Console.Write(")");
            if (address < 0x1000)
            {
                Console.WriteLine();
                Console.Write("  null dereference: the code used a null reference or pointer (field at offset ");
                Console.WriteHex(address);
                Console.Write(")");
            }
        }

        private static FaultContext s_context;

        /// <summary>Makes <paramref name="context"/> the one that names user code (at boot, Traps/FaultContext.cs).</summary>
        public static void RegisterContext(FaultContext context) => s_context = context;

        /// <summary>Names user code: the process layer knows the running program (Traps/FaultContext.cs).</summary>
        public static void WriteUserLocation(ulong address)
        {
            if (s_context == null) { Console.Write("(user code, no symbol)"); return; }
            s_context.WriteUserLocation(address);
        }

        private static bool HasSelectorErrorCode(ulong vector) => vector >= 10 && vector <= 13;

        // Selector error code (Intel SDM vol. 3A, 6.13): EXT, IDT, TI bits and a descriptor index.
        private static void ExplainSelector(ulong error)
        {
            Console.Write(" = ");
            if ((error & 2) != 0)
            {
                Console.Write("IDT vector ");
                Console.WriteDecimal(error >> 3);
            }
            else
            {
                Console.Write((error & 4) != 0 ? "LDT selector " : "GDT selector ");
                Console.WriteHex(error & ~7UL);
            }
            if ((error & 1) != 0) Console.Write(", during delivery of an external event");
        }

        private static void ExplainDoubleFault(TrapFrame* frame)
        {
            Console.Write("  a fault happened while the CPU was delivering another; interrupted rsp ");
            Console.WriteHex(frame->Rsp, 16);
            Console.Write(" is in ");
            Console.WriteLine(KernelAddressSpace.Describe(frame->Rsp - 8));
            Console.WriteLine("  (this report runs on the double-fault stack, IST1, because the kernel stack may be unusable)");
        }

        private static void PrintRegisters(TrapFrame* frame)
        {
            Register("rax", frame->Rax); Register("rbx", frame->Rbx); Register("rcx", frame->Rcx); Console.WriteLine();
            Register("rdx", frame->Rdx); Register("rsi", frame->Rsi); Register("rdi", frame->Rdi); Console.WriteLine();
            Register("rbp", frame->Rbp); Register("rsp", frame->Rsp); Register("r8 ", frame->R8); Console.WriteLine();
            Register("r9 ", frame->R9); Register("r10", frame->R10); Register("r11", frame->R11); Console.WriteLine();
            Register("r12", frame->R12); Register("r13", frame->R13); Register("r14", frame->R14); Console.WriteLine();
            Register("r15", frame->R15); Register("rfl", frame->Rflags); Register("cr3", FaultInfo.PageTableRoot); Console.WriteLine();
            Console.Write("  cs: ");
            Console.WriteHex(frame->Cs, 4);
            Console.Write("  ss: ");
            Console.WriteHex(frame->Ss, 4);
            Console.Write("  cpl: ");
            Console.WriteDecimal(frame->PrivilegeLevel);
            Console.WriteLine(frame->FromUserMode ? " (user)" : " (kernel)");
        }

        private static void Register(string name, ulong value)
        {
            Console.Write("  ");
            Console.Write(name);
            Console.Write(": ");
            Console.WriteHex(value, 16);
        }
    }
}
