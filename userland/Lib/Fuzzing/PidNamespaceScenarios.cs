using System;
using Abi;

namespace TeachOS.Fuzzing
{
    /// <summary>
    /// PID namespaces pushed to their limits (kernel/Namespaces/PidNamespace.cs): a chain of namespaces nested
    /// until unshare refuses (32 levels), in some a child that waits for ever; then the outermost init is
    /// killed. Its exit kills the whole tree below it and collects it: afterwards nothing of it may show in
    /// threadinfo, and no frame may be lost. Nothing may panic.
    /// </summary>
    public static unsafe class PidNamespaceScenarios
    {
        // A sleeper in the first, middle and last namespace only: with the 32 inits that stays under max-procs (64).
        private static bool HasSleeper(int level) => level == 1 || level == 16 || level == 32;

        public static bool NestAndKill()
        {
            Sys.IpcUsage(out IpcUsage before);
            int processesBefore = CountProcesses();
            Sys.Pipe(out PipeDescriptors ready);
            long unsharer = Sys.Fork();
            if (unsharer == 0) Sys.Exit(Unsharer(ready.Write));
            Sys.Close(ready.Write);
            byte deepest = 0;
            bool reported = Sys.Read(ready.Read, new Span<byte>(&deepest, 1)) == 1;
            Sys.Close(ready.Read);
            int processesFull = CountProcesses();
            long firstInit = ChildOf(unsharer);
            Sys.Kill((int)firstInit);
            bool collected = Sys.Wait((int)unsharer, out int status) == unsharer && status == 0;
            int processesAfter = CountProcesses();
            Sys.IpcUsage(out IpcUsage after);
            ExhaustionScenarios.Report("pid namespaces: " + deepest + " levels nested, " + (processesFull - processesBefore)
                + " processes in them, " + (processesAfter - processesBefore) + " left after the kill; free frames "
                + before.FreeFrames + " before, " + after.FreeFrames + " after");
            return reported && deepest == 32 && collected && processesAfter == processesBefore;
        }

        // Outside the namespaces: makes the first and collects it once the scenario has killed it (0: killed).
        private static int Unsharer(int ready)
        {
            if (Sys.Unshare(NamespaceFlags.Pid) != 0) return 1;
            long init = Sys.Fork();
            if (init == 0) Sys.Exit(Level(1, ready));
            return init > 0 && Sys.Wait((int)init, out int status) == init && status == 137 ? 0 : 2;
        }

        // pid 1 of namespace `level`: sleepers, then the next level, or at the bottom the report.
        private static int Level(int level, int ready)
        {
            if (HasSleeper(level) && Sys.Fork() == 0) { while (true) Sys.Sleep(100000); }
            if (Sys.Unshare(NamespaceFlags.Pid) != 0)
            {
                byte reached = (byte)level;
                Sys.Write(ready, new ReadOnlySpan<byte>(&reached, 1));
                while (true) Sys.Sleep(100000);
            }
            long next = Sys.Fork();
            if (next == 0) Sys.Exit(Level(level + 1, ready));
            while (true) Sys.Sleep(100000);
        }

        private static long ChildOf(long parent)
        {
            for (int index = 0; Sys.ThreadInfo(index, out ThreadInfo info) == 1; index++)
                if (info.ParentProcessId == parent) return info.ProcessId;
            return -1;
        }

        private static int CountProcesses()
        {
            int count = 0;
            for (int index = 0; Sys.ThreadInfo(index, out ThreadInfo info) == 1; index++) count++;
            return count;
        }
    }
}
