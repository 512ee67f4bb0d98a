using Arch.X64;
using Diagnostics;
using Loader;
using Sched;
using Terminal;
using Traps;

namespace Proc
{
    /// <summary>
    /// A CPU exception in user mode is the program's fault, not the kernel's: the program is killed,
    /// with the same report a kernel fault gets (naming the process and the faulting C# method), and
    /// everything else keeps running. The exit status follows the shell convention 128 + signal.
    /// A program's int3 is reported and the program resumes; so does a page fault on a lazy page, which
    /// Proc/UserPageFaults.cs maps first. Reports name user code from the symbol
    /// table of the program's ELF file. The trap layer calls this through Traps/UserExceptionHandler.cs;
    /// KernelMain registers it.
    /// </summary>
    public sealed unsafe class UserFaults : UserExceptionHandler
    {
        private const int MaximumName = 160;

        public override void Breakpoint(TrapFrame* frame)
        {
            Console.Write("breakpoint (#BP) at ");
            Diagnostics.SymbolTable.WriteLocation(frame->Rip - 1);
            Console.Write(" in ring ");
            Console.WriteDecimal(frame->PrivilegeLevel);
            Console.WriteLine(", resuming");
        }

        public override void Fault(TrapFrame* frame)
        {
            // First touch of a lazy page (the heap): it is mapped now, and the instruction runs again.
            if (frame->Vector == TrapVectors.PageFault && UserPageFaults.TryResolve(frame)) return;
            Process process = Process.Current;
            int status = 128 + SignalFor((int)frame->Vector);
            Console.Write($"\n*** process {process.Id} ({process.Name}) killed: ");
            ExceptionReport.Print(frame);
            Console.WriteLine($"*** exit status {status} ***");
            Processes.ExitThread(status, wholeProcess: true);
        }

        /// <summary>
        /// The function of the running program that <paramref name="address"/> is in, from its ELF
        /// file's symbols, read from the file system on demand (Loader/ElfSymbols.cs: safe on any
        /// file). Nothing is allocated: the name goes into a buffer on this stack.
        /// </summary>
        public override void WriteUserLocation(ulong address)
        {
            Process process = Process.Current;
            if (process == null || process.Image == null) { Console.Write("(user code, no symbol)"); return; }
            if (process.Image.File.Changed)
            {
                Console.Write($"(user code; symbols unavailable: {process.Image.Path} changed since the program started)");
                return;
            }
            byte* name = stackalloc byte[MaximumName];
            char* text = stackalloc char[MaximumName];
            if (!ElfSymbols.FunctionAt(process.Image.File, address, new System.Span<byte>(name, MaximumName), out int length, out ulong offset))
            {
                Console.Write("(user code, no symbol)");
                return;
            }
            for (int i = 0; i < length; i++) text[i] = (char)name[i];
            SymbolNames.WriteReadable(new System.ReadOnlySpan<char>(text, length));
            Console.Write($"+0x{offset:x} in {process.Image.Path}");
        }

        // The POSIX signal a Unix kernel would send for the exception.
        private static int SignalFor(int vector)
        {
            switch (vector)
            {
                case TrapVectors.DivideError: return 8;          // SIGFPE
                case TrapVectors.InvalidOpcode: return 4;        // SIGILL
                case 19: return 8;                               // SIMD floating point: SIGFPE
                default: return 11;                              // SIGSEGV
            }
        }

        /// <summary>
        /// A thread that runs a deprivileged guest (Proc/GuestTrapHandler.cs): its exception is the
        /// guest's exit to the emulator, handled there, not the program's fault. Checked before anything
        /// looks at the process's own pages, lazy or shared: the guest runs on other tables.
        /// </summary>
        public override bool TakenByGuest(TrapFrame* frame)
        {
            if (!GuestTrapHandler.RunsGuest) return false;
            GuestTrapHandler.Registered.Exception(frame);
            return true;
        }
    }
}
