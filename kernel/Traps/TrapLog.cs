using Arch.X64;
using Boot;
using Terminal;

namespace Traps
{
    /// <summary>
    /// Teaching output: with `trace-traps` on the command line the kernel prints a line for every trap:
    /// the vector, the privilege level the CPU was in, where it was (RIP), the stack it was using
    /// (RSP before) and the stack the trap frame is on (RSP after). For a trap from ring 3 the two
    /// stacks differ: that is the CPU switching to the kernel stack named in the TSS.
    /// The timer is left out (it would drown everything) unless `trace-traps=all`.
    /// </summary>
    public static unsafe class TrapLog
    {
        public static bool Enabled { get; private set; }
        private static bool s_includeTimer;

        public static void Configure()
        {
            Enabled = CommandLine.Has("trace-traps") || CommandLine.Get("trace-traps") != null;
            s_includeTimer = CommandLine.Get("trace-traps") == "all";
        }

        public static void Record(TrapFrame* frame)
        {
            if (frame->Vector == TrapVectors.LocalTimer && !s_includeTimer) return;
            Console.WriteLine($"trap: vector {frame->Vector} ({TrapVectors.Name(frame->Vector)}) from ring {frame->PrivilegeLevel} " +
                $"rip 0x{frame->Rip:x16} rsp before 0x{frame->Rsp:x16} after 0x{(ulong)frame:x16}");
        }
    }
}
