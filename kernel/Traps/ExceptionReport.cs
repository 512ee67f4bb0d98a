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
            string ring = frame->FromUserMode ? "user mode (ring 3)" : "kernel mode (ring 0)";
            Console.WriteLine($"exception {TrapVectors.Mnemonic(vector)} {TrapVectors.Name(vector)} (vector {vector}) in {ring}");

            Console.Write($"  error code: 0x{frame->ErrorCode:x}");
            if (vector == TrapVectors.PageFault) ExplainPageFault(frame);
            else if (HasSelectorErrorCode(vector) && frame->ErrorCode != 0) ExplainSelector(frame->ErrorCode);
            Console.WriteLine();
            if (vector == TrapVectors.DoubleFault) ExplainDoubleFault(frame);
            if (vector == TrapVectors.GeneralProtection && frame->ErrorCode == 0)
                Console.WriteLine(frame->FromUserMode
                    ? "  (#GP in ring 3 with error code 0: most likely a privileged instruction, such as cli, hlt or out)"
                    : "  (#GP with error code 0: a privileged instruction, a non-canonical address, or a bad segment load)");

            Console.Write($"  rip: 0x{frame->Rip:x16}  ");
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
            string cause = (error & PageFaultPresent) != 0 ? "protection violation" : "page not present";
            string access = (error & PageFaultInstructionFetch) != 0 ? "instruction fetch" : (error & PageFaultWrite) != 0 ? "write" : "read";
            string mode = (error & PageFaultUser) != 0 ? "user" : "supervisor";
            Console.Write($" = {cause}, {access}, from {mode} mode");
            if ((error & PageFaultReservedBit) != 0) Console.Write(", reserved bit set in a page-table entry");
            if ((error & PageFaultProtectionKey) != 0) Console.Write(", protection key");
            Console.WriteLine();

            ulong address = FaultInfo.PageFaultAddress;
            Console.Write($"  cr2: 0x{address:x16} ({KernelAddressSpace.Describe(address)})");
            if (address < 0x1000)
            {
                Console.WriteLine();
                Console.Write($"  null dereference: the code used a null reference or pointer (field at offset 0x{address:x})");
            }
        }

        /// <summary>Names user code: only the process layer knows the running program (Traps/UserExceptionHandler.cs).</summary>
        public static void WriteUserLocation(ulong address)
        {
            if (UserExceptionHandler.Registered == null) { Console.Write("(user code, no symbol)"); return; }
            UserExceptionHandler.Registered.WriteUserLocation(address);
        }

        private static bool HasSelectorErrorCode(ulong vector) => vector >= 10 && vector <= 13;

        // Selector error code (Intel SDM vol. 3A, 6.13): EXT, IDT, TI bits and a descriptor index.
        private static void ExplainSelector(ulong error)
        {
            if ((error & 2) != 0) Console.Write($" = IDT vector {error >> 3}");
            else Console.Write($" = {((error & 4) != 0 ? "LDT" : "GDT")} selector 0x{error & ~7UL:x}");
            if ((error & 1) != 0) Console.Write(", during delivery of an external event");
        }

        private static void ExplainDoubleFault(TrapFrame* frame)
        {
            Console.WriteLine($"  a fault happened while the CPU was delivering another; interrupted rsp 0x{frame->Rsp:x16} is in {KernelAddressSpace.Describe(frame->Rsp - 8)}");
            Console.WriteLine("  (this report runs on the double-fault stack, IST1, because the kernel stack may be unusable)");
        }

        private static void PrintRegisters(TrapFrame* frame)
        {
            Console.WriteLine($"  rax: 0x{frame->Rax:x16}  rbx: 0x{frame->Rbx:x16}  rcx: 0x{frame->Rcx:x16}");
            Console.WriteLine($"  rdx: 0x{frame->Rdx:x16}  rsi: 0x{frame->Rsi:x16}  rdi: 0x{frame->Rdi:x16}");
            Console.WriteLine($"  rbp: 0x{frame->Rbp:x16}  rsp: 0x{frame->Rsp:x16}  r8 : 0x{frame->R8:x16}");
            Console.WriteLine($"  r9 : 0x{frame->R9:x16}  r10: 0x{frame->R10:x16}  r11: 0x{frame->R11:x16}");
            Console.WriteLine($"  r12: 0x{frame->R12:x16}  r13: 0x{frame->R13:x16}  r14: 0x{frame->R14:x16}");
            Console.WriteLine($"  r15: 0x{frame->R15:x16}  rfl: 0x{frame->Rflags:x16}  cr3: 0x{FaultInfo.PageTableRoot:x16}");
            string mode = frame->FromUserMode ? "user" : "kernel";
            Console.WriteLine($"  cs: 0x{frame->Cs:x4}  ss: 0x{frame->Ss:x4}  cpl: {frame->PrivilegeLevel} ({mode})");
        }
    }
}
