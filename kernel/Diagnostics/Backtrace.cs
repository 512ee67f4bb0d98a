using Arch.X64;
using Terminal;

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
        private const int MaximumFrames = 40;

        /// <summary>Records the caller's registers (Diagnostics/CaptureRegisters.asm).</summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.InternalCall)]
        [System.Runtime.RuntimeImport("*", "capture_caller_registers")]
        public static extern void CaptureCallerRegisters(UnwindRegisters* registers);

        /// <summary>
        /// Prints the backtrace starting at <paramref name="registers"/>. Frames that repeat (deep
        /// recursion) are counted rather than printed; a trap on the way is shown as a boundary, and
        /// the walk continues in the code the trap interrupted.
        /// </summary>
        public static void Print(UnwindRegisters registers, bool firstFrameFaulted)
        {
            Console.WriteLine("backtrace:");
            bool exact = firstFrameFaulted;
            int printed = 0;
            ulong repeats = 0;
            for (int walked = 0; walked < MaximumWalk; walked++)
            {
                if (walked > 0 && registers.Rip == s_lastPrinted)
                {
                    repeats++;
                }
                else
                {
                    if (repeats > 0) PrintRepeats(repeats);
                    repeats = 0;
                    if (printed == MaximumFrames)
                    {
                        Console.WriteLine("  ... (more frames)");
                        return;
                    }
                    PrintFrame(printed++, registers.Rip);
                }

                if (IsEntryStubReturn(registers.Rip))
                {
                    // The frame below is an entry stub (Arch/X64/TrapEntry.asm or SyscallEntry.asm),
                    // which keeps the TrapFrame pointer in rbx across its calls of steps 3 and 4.
                    var frame = (TrapFrame*)registers.Rbx;
                    Console.WriteLine($"  --- trap: vector {frame->Vector} ({TrapVectors.Name(frame->Vector)}) interrupted ring {frame->PrivilegeLevel} ---");
                    if (frame->FromUserMode) return;
                    registers = FromTrapFrame(frame);
                    exact = true;
                    continue;
                }

                // A return address points after the call instruction, which may be the first byte of
                // the next function: look up the address one byte earlier. A faulting address is exact.
                ulong lookup = exact ? registers.Rip : registers.Rip - 1;
                if (!Step(ref registers, lookup) && !(exact && StepOutOfLeaf(ref registers))) break;
                exact = false;
            }
            if (repeats > 0) PrintRepeats(repeats);
        }

        private const int MaximumWalk = 100000;
        private static ulong s_lastPrinted;

        /// <summary>A return address inside an entry stub: the rest of the stack is the interrupted code's.</summary>
        private static bool IsEntryStubReturn(ulong rip) =>
            rip == (ulong)Boot.LinkerSymbols.TrapDispatchReturn() || rip == (ulong)Boot.LinkerSymbols.TrapExitReturn() ||
            rip == (ulong)Boot.LinkerSymbols.SyscallDispatchReturn() || rip == (ulong)Boot.LinkerSymbols.SyscallExitReturn();

        private static void PrintFrame(int number, ulong rip)
        {
            s_lastPrinted = rip;
            Console.Write($"  #{number,-2} 0x{rip:x16}  ");     // the numbers in a column up to #99
            SymbolTable.WriteLocation(rip);
            Console.WriteLine();
        }

        private static void PrintRepeats(ulong repeats)
        {
            Console.WriteLine($"      ... the frame above repeats {repeats} more times");
        }

        public static UnwindRegisters FromTrapFrame(TrapFrame* frame)
        {
            UnwindRegisters registers;
            registers.Rip = frame->Rip;
            registers.Rsp = frame->Rsp;
            registers.Rbp = frame->Rbp;
            registers.Rbx = frame->Rbx;
            registers.R12 = frame->R12;
            registers.R13 = frame->R13;
            registers.R14 = frame->R14;
            registers.R15 = frame->R15;
            return registers;
        }

        /// <summary>
        /// Assembly routines have no call-frame information. Most are leaves that push nothing, so when
        /// one faults its return address is at rsp: accept that if it leads back into compiled code.
        /// </summary>
        private static bool StepOutOfLeaf(ref UnwindRegisters registers)
        {
            if (!IsPlausibleStack(registers.Rsp - 8, registers.Rsp + 8)) return false;
            ulong returnAddress = *(ulong*)registers.Rsp;
            if (!CallFrameInfo.TryFind(returnAddress - 1, out CallFrameInfo.Rule _)) return false;
            registers.Rip = returnAddress;
            registers.Rsp += 8;
            return true;
        }

        /// <summary>Moves <paramref name="registers"/> to the caller's frame. False at the outermost frame.</summary>
        public static bool Step(ref UnwindRegisters registers, ulong lookupPc)
        {
            if (!CallFrameInfo.TryFind(lookupPc, out CallFrameInfo.Rule rule)) return false;
            return Step(ref registers, rule);
        }

        /// <summary>The same with the rule already found (the debugging heap caches rules: Mem/HeapDebug.cs).</summary>
        public static bool Step(ref UnwindRegisters registers, in CallFrameInfo.Rule rule)
        {
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
