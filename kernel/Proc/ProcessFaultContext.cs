using Diagnostics;
using Sched;
using Terminal;
using Traps;

namespace Proc
{
    /// <summary>
    /// Names user code for fault reports (Traps/FaultContext.cs), registered by KernelMain: the running
    /// process's program, and the function in it from the symbol table of the program's ELF file, read
    /// from the file system on demand (Loader/ElfSymbols.cs: safe on any file). Nothing is allocated:
    /// the name goes into a buffer on this stack.
    /// </summary>
    public sealed unsafe class ProcessFaultContext : FaultContext
    {
        private const int MaximumName = 160;

        public override void WriteUserLocation(ulong address)
        {
            Process process = Scheduler.Current.Process;
            if (process == null || process.Image == null) { Console.Write("(user code, no symbol)"); return; }
            if (process.Image.File.Changed)
            {
                Console.Write("(user code; symbols unavailable: ");
                Console.Write(process.Image.Path);
                Console.Write(" changed since the program started)");
                return;
            }
            byte* name = stackalloc byte[MaximumName];
            char* text = stackalloc char[MaximumName];
            if (!Loader.ElfSymbols.FunctionAt(process.Image.File, address, new System.Span<byte>(name, MaximumName), out int length, out ulong offset))
            {
                Console.Write("(user code, no symbol)");
                return;
            }
            for (int i = 0; i < length; i++) text[i] = (char)name[i];
            SymbolNames.WriteReadable(new System.ReadOnlySpan<char>(text, length));
            Console.Write("+");
            Console.WriteHex(offset);
            Console.Write(" in ");
            Console.Write(process.Image.Path);
        }
    }
}
