using Sched;
using Terminal;
using static Tests.KernelTestRunner;

namespace Tests
{
    /// <summary>
    /// Console.WriteWholeLine prints a line whole while other CPUs print too (a syscall trace relies on
    /// it). Several kernel threads, spread over the CPUs, each print many lines of many pieces at once;
    /// tests/Integration/KernelTestModeTests.cs boots this at -smp 2 and checks every line of the log
    /// is one writer's line, unbroken, and that more than one CPU printed.
    /// </summary>
    public static unsafe class ConsoleLineTests
    {
        public const int Writers = 4;
        public const int LinesEach = 150;

        private static int PrintLines(ulong writer)
        {
            for (int line = 0; line < LinesEach; line++)
                Console.WriteWholeLine($"  whole {writer}: line {line,3} of {LinesEach} on cpu {Processor.Current.Id} {writer}{writer}{writer}{writer}{writer}{writer}{writer}{writer} end");
            return (int)writer;
        }

        public static void LinesFromSeveralCpusStayWhole()
        {
            Thread[] writers = new Thread[Writers];
            for (int i = 0; i < Writers; i++) writers[i] = Thread.CreateKernel("writer", &PrintLines, (ulong)i);
            for (int i = 0; i < Writers; i++) Scheduler.Start(writers[i]);
            for (int i = 0; i < Writers; i++) CheckEqual(i, ThreadJoins.Join(writers[i]), "every writer printed its lines and ended");
            Mem.KernelHeap.Free(writers);
        }
    }
}
