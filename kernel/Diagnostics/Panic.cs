using System;
using System.Runtime;
using System.Runtime.CompilerServices;
using Arch.X64;
using Boot;
using Diagnostics;
using Terminal;

namespace Diagnostics
{
    /// <summary>
    /// A kernel bug stops the machine loudly: what went wrong, where (a symbolized backtrace), and for
    /// CPU exceptions every register (Traps/ExceptionReport.cs). The panic is reported to the test
    /// runner (status 100, which ends a headless QEMU) and the CPU halts, leaving the screen readable.
    /// Under `make qemu-gdb` (kernel command-line word `gdb`) the machine instead stays stopped for GDB,
    /// whose extension (tools/gdb) breaks at <see cref="StopForDebugger"/>: the panic's frames are there.
    /// </summary>
    public static unsafe class Panic
    {
        private static bool s_panicking;
        private static bool s_waitForDebugger;

        /// <summary>Reads the command line once at boot: a panic must not depend on the heap.</summary>
        public static void Configure() => s_waitForDebugger = CommandLine.Has("gdb");

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
            Console.WriteLine($"message: {exception.Message}");
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
            LocalApic.SendToAllOthers(TrapVectors.HaltIpi);
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
            if (s_waitForDebugger)
            {
                Console.WriteLine("*** end of panic report; the machine is stopped for GDB (bt, trapframe, ps) ***");
                StopForDebugger();
            }
            Console.WriteLine("*** end of panic report; the CPU is halted ***");
            DebugExit.Report(DebugExit.StatusPanic);
            Interrupts.HaltForever();
        }

        /// <summary>
        /// Where a panic waits for the debugger: GDB's extension keeps a hardware breakpoint on this
        /// symbol, so GDB stops here by itself, with the panicking code's frames below. Without GDB
        /// attached (the word `gdb` given by hand) it is an ordinary halt.
        /// </summary>
        [RuntimeExport("panic_stop_for_debugger")]
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void StopForDebugger() => Interrupts.HaltForever();

        /// <summary>Writes an object's type name, found by its MethodTable address in the symbol table.</summary>
        public static void WriteTypeName(object obj)
        {
            long symbol = SymbolTable.FindExact((ulong)Internal.Runtime.ObjectHeader.MethodTableOf(obj));
            if (symbol >= 0) SymbolTable.WriteReadableName(symbol);
            else Console.Write($"0x{(ulong)Internal.Runtime.ObjectHeader.MethodTableOf(obj):x}");
        }
    }
}
