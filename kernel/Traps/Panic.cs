using System;
using System.Runtime;
using Arch.X64;
using Diagnostics;
using Drivers;

namespace Traps
{
    /// <summary>
    /// A kernel bug stops the machine loudly: what went wrong, where (a symbolized backtrace), and for
    /// CPU exceptions every register (Traps/ExceptionReport.cs). The panic is reported to the test
    /// runner (status 100) and the CPU halts, leaving the screen readable and GDB attachable.
    /// </summary>
    public static unsafe class Panic
    {
        private static bool s_panicking;

        /// <summary>
        /// Where every <c>throw</c> in the kernel ends (the base library's Platform.Fail): there is no
        /// unwinder to find a catch, so an exception in the kernel is a kernel bug.
        /// </summary>
        [RuntimeExport("teachos_platform_fail")]
        private static void UnhandledException(Exception exception)
        {
            UnwindRegisters registers;
            Backtrace.CaptureCallerRegisters(&registers);
            Begin();
            Console.Write("unhandled exception: ");
            WriteTypeName(exception);
            Console.WriteLine();
            Console.Write("message: ");
            Console.WriteLine(exception.Message);
            Backtrace.Print(registers, firstFrameFaulted: false);
            End();
        }

        /// <summary>Stops the kernel with <paramref name="message"/> and a backtrace of the caller.</summary>
        public static void Halt(string message)
        {
            UnwindRegisters registers;
            Backtrace.CaptureCallerRegisters(&registers);
            Begin();
            Console.WriteLine(message);
            Backtrace.Print(registers, firstFrameFaulted: false);
            End();
        }

        /// <summary>Prints the panic banner; interrupts stay off from here on.</summary>
        public static void Begin()
        {
            Interrupts.Disable();
            Console.PanicMode = true;
            Sched.InterProcessor.HaltOthers();
            if (s_panicking)
            {
                // A panic while reporting a panic: say so and stop, rather than loop.
                Console.WriteLine("\nPANIC while panicking; halting.");
                DebugExit.Report(DebugExit.StatusPanic);
                Interrupts.HaltForever();
            }
            s_panicking = true;
            Console.Write("\n*** KERNEL PANIC *** ");
        }

        public static void End()
        {
            Console.WriteLine("*** end of panic report; the CPU is halted ***");
            DebugExit.Report(DebugExit.StatusPanic);
            Interrupts.HaltForever();
        }

        /// <summary>Writes an object's type name, found by its MethodTable address in the symbol table.</summary>
        public static void WriteTypeName(object obj)
        {
            long symbol = SymbolTable.FindExact((ulong)Internal.Runtime.ObjectHeader.MethodTableOf(obj));
            if (symbol >= 0) SymbolTable.WriteReadableName(symbol);
            else Console.WriteHex((ulong)Internal.Runtime.ObjectHeader.MethodTableOf(obj));
        }
    }
}
