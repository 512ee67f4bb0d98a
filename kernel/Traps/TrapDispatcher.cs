using System.Runtime;
using Diagnostics;
using Arch.X64;

namespace Traps
{
    /// <summary>
    /// Step 3 of the trap path (Arch/X64/TrapEntry.asm lists the five): the C# entry point for every
    /// exception and interrupt. The entry stub calls <see cref="Dispatch"/> with the TrapFrame; the
    /// vector says what happened, and the dispatcher hands the frame to the code for that kind of
    /// trap. System calls do not come here: both their doors call Syscalls/SyscallDispatcher.cs.
    /// Then the stub calls step 4 (Proc/TrapExit.cs) and resumes whatever the frame describes.
    /// Interrupts stay off throughout (interrupt gates).
    /// </summary>
    public static unsafe class TrapDispatcher
    {
        public static ulong SpuriousInterrupts { get; private set; }

        [RuntimeExport("trap_dispatch")]
        private static void Dispatch(TrapFrame* frame)
        {
            if (TrapLog.Enabled) TrapLog.Record(frame);

            ulong vector = frame->Vector;
            if (vector < TrapVectors.ExceptionCount)
            {
                ExceptionHandler.Handle(frame);
            }
            else if (vector < TrapVectors.IrqBase + TrapVectors.IrqCount)
            {
                int irq = (int)vector - TrapVectors.IrqBase;
                if (Pic.IsSpurious(irq)) { SpuriousInterrupts++; return; }
                InterruptHandlers.Handle(irq, frame);
                Pic.EndOfInterrupt(irq);
            }
            else if (vector == TrapVectors.LocalApicSpurious)
            {
                SpuriousInterrupts++;                      // no End Of Interrupt for a spurious one
            }
            else if (vector == TrapVectors.LocalTimer || vector >= TrapVectors.RescheduleIpi && vector < TrapVectors.LocalApicSpurious)
            {
                InterruptHandlers.HandleLocal((int)vector, frame);
            }
            else
            {
                Panic.Begin();
                Terminal.Console.WriteLine("unexpected interrupt vector");
                ExceptionReport.Print(frame);
                Panic.End();
            }
        }
    }
}
