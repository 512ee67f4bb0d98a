using Arch.X64;
using Diagnostics;
using Terminal;

namespace Traps
{
    /// <summary>
    /// Step 4 for CPU exceptions (vectors 0-31): decide what an exception means and what happens next.
    /// - #BP (int3) and #DB are debugging aids: report and resume.
    /// - An NMI is reported and ignored (on a real machine it signals a hardware problem).
    /// - Any other exception in kernel mode is a kernel bug: panic with the full report.
    /// - In user mode the exception belongs to the program: the process layer's handler
    ///   (Traps/UserExceptionHandler.cs) reports a breakpoint, or kills the program with the same
    ///   report a kernel fault gets, and everything else keeps running.
    /// </summary>
    public static unsafe class ExceptionHandler
    {
        public static ulong Breakpoints { get; private set; }

        private const ulong TrapFlag = 1UL << 8;   // RFLAGS.TF: single-step
        private const ulong PageFaultWrite = 1 << 1;   // #PF error code bit 1 (Intel SDM vol. 3A, 4.7)

        public static void Handle(TrapFrame* frame)
        {
            if (frame->FromUserMode && frame->Vector != TrapVectors.NonMaskableInterrupt
                && UserExceptionHandler.Registered != null && UserExceptionHandler.Registered.TakenByGuest(frame))
                return;                                     // a guest's exit, emulated or ended (Proc/GuestTrapHandler.cs)
            switch ((int)frame->Vector)
            {
                case TrapVectors.Breakpoint:
                    // int3 is one byte; the CPU already set RIP past it, so returning resumes after it.
                    Breakpoints++;
                    if (frame->FromUserMode && UserExceptionHandler.Registered != null)
                    {
                        UserExceptionHandler.Registered.Breakpoint(frame);   // the program's: the process layer reports it
                        return;
                    }
                    Console.Write("breakpoint (#BP) at ");
                    Diagnostics.SymbolTable.WriteLocation(frame->Rip - 1);
                    Console.Write(" in ring ");
                    Console.WriteDecimal(frame->PrivilegeLevel);
                    Console.WriteLine(", resuming");
                    return;

                case TrapVectors.Debug:
                    Console.Write("debug exception (#DB) at ");
                    Diagnostics.SymbolTable.WriteLocation(frame->Rip);
                    Console.WriteLine(", single-stepping off, resuming");
                    frame->Rflags &= ~TrapFlag;
                    return;

                case TrapVectors.NonMaskableInterrupt:
                    Console.WriteLine("non-maskable interrupt received, ignoring");
                    return;
            }

            if (frame->FromUserMode && UserExceptionHandler.Registered != null)
            {
                UserExceptionHandler.Registered.Fault(frame);   // kills the program (Proc/UserFaults.cs)
                return;
            }

            Panic.Begin();
            // A fault on the debugging heap's guarded pages is a use after free or an overflow:
            // name the block and who allocated and freed it, before the registers (Mem/GuardedAllocations.cs).
            if (frame->Vector == TrapVectors.PageFault && Mem.GuardedAllocations.Contains(FaultInfo.PageFaultAddress))
                Mem.GuardedAllocations.ExplainFault(FaultInfo.PageFaultAddress, (frame->ErrorCode & PageFaultWrite) != 0);
            ExceptionReport.Print(frame);
            Panic.End();
        }
    }
}
