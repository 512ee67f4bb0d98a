using Drivers;

namespace Diagnostics
{
    /// <summary>
    /// The registers a backtrace needs: where we are (Rip), the stack (Rsp), and the callee-saved
    /// registers a function may have stashed on its stack (rbx, rbp, r12-r15).
    /// </summary>
    public struct UnwindRegisters
    {
        public ulong Rip, Rsp, Rbp, Rbx, R12, R13, R14, R15;
    }

    /// <summary>
    /// Prints the chain of calls that led to a point: for each frame, the method (from the kernel's
    /// symbol table) and the offset into it. Each step uses the call-frame information to find the
    /// caller: the return address sits just below the Canonical Frame Address.
    /// </summary>
    public static unsafe class Backtrace
    {
        private const int MaximumFrames = 32;

        /// <summary>Records the caller's registers (Diagnostics/CaptureRegisters.asm).</summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.InternalCall)]
        [System.Runtime.RuntimeImport("*", "capture_caller_registers")]
        public static extern void CaptureCallerRegisters(UnwindRegisters* registers);

        /// <summary>Prints the backtrace starting at <paramref name="registers"/>.</summary>
        public static void Print(UnwindRegisters registers, bool firstFrameFaulted)
        {
            Console.WriteLine("backtrace:");
            for (int frame = 0; frame < MaximumFrames; frame++)
            {
                Console.Write("  #");
                Console.WriteDecimal(frame);
                Console.Write(frame < 10 ? "  " : " ");
                Console.WriteHex(registers.Rip, 16);
                Console.Write("  ");
                SymbolTable.WriteLocation(registers.Rip);
                Console.WriteLine();

                // A return address points after the call instruction, which may be the first byte of
                // the next function: look up the address one byte earlier. A faulting address is exact.
                ulong lookup = frame == 0 && firstFrameFaulted ? registers.Rip : registers.Rip - 1;
                if (!Step(ref registers, lookup)) return;
            }
            Console.WriteLine("  ... (more frames)");
        }

        /// <summary>Moves <paramref name="registers"/> to the caller's frame. False at the outermost frame.</summary>
        public static bool Step(ref UnwindRegisters registers, ulong lookupPc)
        {
            if (!CallFrameInfo.TryFind(lookupPc, out CallFrameInfo.Rule rule)) return false;

            ulong cfaBase = rule.CfaRegister == CallFrameInfo.DwarfRbp ? registers.Rbp : registers.Rsp;
            ulong cfa = cfaBase + (ulong)rule.CfaOffset;
            if (!IsPlausibleStack(registers.Rsp, cfa)) return false;

            ulong returnAddress = *(ulong*)(cfa - 8);
            if (rule.RbpSavedAt != 0) registers.Rbp = *(ulong*)(cfa + (ulong)rule.RbpSavedAt);
            if (rule.RbxSavedAt != 0) registers.Rbx = *(ulong*)(cfa + (ulong)rule.RbxSavedAt);
            if (rule.R12SavedAt != 0) registers.R12 = *(ulong*)(cfa + (ulong)rule.R12SavedAt);
            if (rule.R13SavedAt != 0) registers.R13 = *(ulong*)(cfa + (ulong)rule.R13SavedAt);
            if (rule.R14SavedAt != 0) registers.R14 = *(ulong*)(cfa + (ulong)rule.R14SavedAt);
            if (rule.R15SavedAt != 0) registers.R15 = *(ulong*)(cfa + (ulong)rule.R15SavedAt);
            registers.Rsp = cfa;
            registers.Rip = returnAddress;
            return returnAddress != 0;
        }

        // Reading a wild address in the middle of a panic would fault again: only follow frames that
        // stay in the kernel's half, move up the stack, and by less than 1 MiB at a time.
        private static bool IsPlausibleStack(ulong rsp, ulong cfa) =>
            cfa > rsp && cfa - rsp < 1024 * 1024 && (cfa & 7) == 0 && cfa >= 0xFFFF800000000000;
    }
}
