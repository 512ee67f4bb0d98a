using System;
using Abi;

namespace TeachOS.Fuzzing
{
    /// <summary>
    /// Threads that get in each other's way: joins that form a cycle (EDEADLK, and a kill that must end
    /// them anyway), and sbrk from two threads at once (the break must end where it started, and every
    /// page come back).
    /// </summary>
    public static unsafe class ConcurrencyScenarios
    {
        private static volatile int s_mainThread;
        private static long s_joinBack;

        /// <summary>Main joins a thread that joins main (EDEADLK); a child whose threads join each other dies of kill (137).</summary>
        public static bool MutualJoin()
        {
            s_mainThread = (int)Sys.GetThreadId();
            int helper = UserThread.Start(&JoinMainOnceBlocked, 0, "joins-main");
            long joined = Sys.ThreadJoin(helper);

            long pid = Sys.Spawn("/bin/fuzz", new[] { "fuzz", "--as", "join-each-other" }, 0, 1, 2);
            Sys.Sleep(200);                                   // its threads are in their joins by now
            long killed = pid > 0 ? Sys.Kill((int)pid) : pid;
            ChildTimer.Watch((int)pid, 10000);
            int status = -1;
            if (pid > 0) Sys.Wait((int)pid, out status);
            bool hung = ChildTimer.Disarm();
            ExhaustionScenarios.Report("mutual-join: the join that closes a cycle: " + Sys.ErrorName(s_joinBack) +
                                       "; a killed child whose threads join each other: status " + status + (hung ? " (it would not die: timer)" : ""));
            return joined == 0 && s_joinBack == -Errno.EDEADLK && killed == 0 && status == 137 && !hung;
        }

        private static int JoinMainOnceBlocked(ulong unused)
        {
            WaitUntilBlocked(s_mainThread);
            s_joinBack = Sys.ThreadJoin(s_mainThread);
            return 0;
        }

        /// <summary>`fuzz --as join-each-other`: main joins a thread that joins main back, then (refused) waits on stdin.</summary>
        public static int JoinEachOtherRole()
        {
            s_mainThread = (int)Sys.GetThreadId();
            int helper = UserThread.Start(&JoinMainThenWait, 0, "joins-main");
            Sys.ThreadJoin(helper);
            return 1;                                         // not reached: the parent kills this process
        }

        private static int JoinMainThenWait(ulong unused)
        {
            WaitUntilBlocked(s_mainThread);
            Sys.ThreadJoin(s_mainThread);
            Sys.Pipe(out PipeDescriptors silent);             // both ends here: a read of it waits for ever
            byte one;
            return (int)Sys.Read(silent.Read, new Span<byte>(&one, 1));
        }

        private static void WaitUntilBlocked(int threadId)
        {
            const int Blocked = 2;                            // ThreadInfo.State (abi/Structures.cs)
            for (int tries = 0; tries < 2000; tries++)
            {
                for (int index = 0; Sys.ThreadInfo(index, out ThreadInfo info) == 1; index++)
                    if (info.ThreadId == threadId && info.State == Blocked) return;
                Sys.Sleep(1);
            }
        }

        private const int RacingRounds = 500;
        private const long RacingBytes = 3 * 4096;
        private static volatile int s_racersReady;

        /// <summary>Two threads each grow and shrink the heap, at once; the break must end where it began.</summary>
        public static bool RacingSbrk()
        {
            long start = Sys.Sbrk(0);
            s_racersReady = 0;
            int first = UserThread.Start(&Race, 0, "sbrk-a");       // their stacks come from the heap first
            int second = UserThread.Start(&Race, 0, "sbrk-b");
            long afterStacks = Sys.Sbrk(0);
            s_racersReady = 1;
            long a = Sys.ThreadJoin(first), b = Sys.ThreadJoin(second);
            long end = Sys.Sbrk(0);
            ExhaustionScenarios.Report("racing-sbrk: " + 2 * RacingRounds + " rounds of +" + RacingBytes + "/-" + RacingBytes +
                                       " bytes from two threads; the break moved by " + (end - afterStacks) + " bytes");
            return start >= 0 && a == 0 && b == 0 && end == afterStacks;
        }

        private static int Race(ulong unused)
        {
            while (s_racersReady == 0) Sys.Yield();
            int failures = 0;
            for (int round = 0; round < RacingRounds; round++)
            {
                if (Sys.Sbrk(RacingBytes) < 0) { failures++; continue; }
                if (Sys.Sbrk(-RacingBytes) < 0) failures++;
            }
            return failures;
        }
    }
}
