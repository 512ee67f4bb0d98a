using System.Runtime;
using Diagnostics;
using Arch.X64;

namespace Traps
{
    /// <summary>
    /// Step 3 of the trap path: the one C# entry point for every trap. Traps/TrapEntry.asm calls
    /// <see cref="Dispatch"/> with the TrapFrame; the vector says what happened, and the dispatcher
    /// hands the frame to the code for that kind of trap. When it returns, TrapEntry.asm resumes
    /// whatever the frame describes. Interrupts stay off throughout (interrupt gates).
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
            else if (vector == TrapVectors.Syscall || vector == TrapVectors.SyscallInstruction)
            {
                Syscalls.SyscallDispatcher.Dispatch(frame);
            }
            else
            {
                Panic.Begin();
                Terminal.Console.WriteLine("unexpected interrupt vector");
                ExceptionReport.Print(frame);
                Panic.End();
            }

            // Step 5: on the way out, the timer may have decided another thread should run; and a
            // thread about to return to a killed process's user code leaves instead.
            Sched.Scheduler.PreemptIfRequested();
            if (frame->FromUserMode)
            {
                Sched.Process process = Sched.Scheduler.Current.Process;
                if (process != null && process.Killed) Sched.Processes.ExitThread(process.ExitStatus, wholeProcess: false);
            }
        }
    }
}
