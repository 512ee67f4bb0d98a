using System;
using Abi;
using TeachOS;
using static TeachOS.BadAddresses;
using static TeachOS.TestSuite;

/// <summary>hostile: blocking that kill must interrupt.</summary>
public static unsafe partial class HostileTests
{
    // ---- Blocking that kill must interrupt ----
    // A killed process must end whatever its threads wait for (a join, a child, a pipe, a timer), and a
    // join that could never end is refused with -EDEADLK. Before the fix, two threads joining each
    // other waited for ever, kill or exit notwithstanding. A test that would hang reports itself
    // through a watchdog thread, which fails it and ends this program, so the failure is seen.

    internal const int BlockedState = 2;                        // ThreadInfo.State (abi/Structures.cs)

    private static int s_mainThread, s_middleThread;
    private static long s_joinResult;

    private static void JoinCycleIsRefused()
    {
        Watchdog.Start("a join cycle", 10000);
        // Two threads: main joins a helper, which joins main back once main is blocked.
        s_mainThread = (int)Sys.GetThreadId();
        s_joinResult = 0;
        int helper = UserThread.Start(&JoinMainOnceBlocked, 0, "joins-main");
        Expect(Sys.ThreadJoin(helper), 0, "main joins the helper (which is refused when it joins main)");
        Expect(s_joinResult, -Errno.EDEADLK, "a thread joining the thread that joins it");

        // Three: main joins the first, the first joins the second, the second joins main.
        s_joinResult = 0;
        int last = UserThread.Start(&JoinMainOnceBlocked, 1, "joins-main");
        s_middleThread = UserThread.Start(&JoinThread, (ulong)last, "joins-last");
        Expect(Sys.ThreadJoin(s_middleThread), 0, "main joins the middle thread of a chain of three");
        Expect(s_joinResult, -Errno.EDEADLK, "the join that would close a cycle of three");
        Watchdog.Stop();
    }

    // Waits until main (and, with argument 1, the middle thread too) is blocked in its join, then joins main.
    private static int JoinMainOnceBlocked(ulong alsoMiddle)
    {
        bool ready = WaitForState(s_mainThread, BlockedState);
        if (alsoMiddle != 0) ready &= WaitForState(s_middleThread, BlockedState);
        s_joinResult = ready ? Sys.ThreadJoin(s_mainThread) : -1;
        return 0;
    }

    private static int JoinThread(ulong threadId) => (int)Sys.ThreadJoin((int)threadId);

    private static void KillEndsThreadsThatJoinEachOther()
    {
        long pid = SpawnRole("join-each-other", out int output);
        Check(pid > 0 && ReadReady(output), "the child is ready: its threads join each other");
        Sys.Sleep(50);                                        // both are in their joins by now
        Expect(Sys.Kill((int)pid), 0, "kill the child");
        Watchdog.Start("wait for a killed process whose threads join each other", 10000);
        Expect(Sys.Wait((int)pid, out int status), pid, "wait collects it");
        Expect(status, 137, "its status is the killed status");
        Watchdog.Stop();
        Sys.Close(output);
    }

    private static void ExitEndsBlockedThreads()
    {
        long pid = SpawnRole("exit-while-blocked", out int output);
        Check(pid > 0 && ReadReady(output), "the child is ready: its threads sleep, read a pipe and join");
        Watchdog.Start("wait for a process that exits while its threads are blocked", 10000);
        Expect(Sys.Wait((int)pid, out int status), pid, "wait collects it");
        Expect(status, 7, "its status is what its main thread passed to exit");
        Watchdog.Stop();
        Sys.Close(output);
    }

    private static void ThreadExitStatusIsOneByte()
    {
        long pid = SpawnRole("thread-exit-0x12345", out int output);
        Expect(Sys.Wait((int)pid, out int status), pid, "wait collects it");
        Expect(status, 0x45, "thread_exit(0x12345) by the last thread: the status is its low byte");
        Sys.Close(output);
    }

    // Found by the fuzzer: read(fd, buffer, 0) of an empty pipe waited for ever.
    private static void ZeroLengthReadReturns()
    {
        Sys.Pipe(out PipeDescriptors pipe);
        Watchdog.Start("a read of 0 bytes from an empty pipe", 10000);
        byte* buffer = stackalloc byte[1];
        Expect(Sys.Read(pipe.Read, new Span<byte>(buffer, 0)), 0, "a read of 0 bytes returns 0 at once");
        Watchdog.Stop();
        Sys.Close(pipe.Read);
        Sys.Close(pipe.Write);
    }

    // Starts `hostile --as ROLE` with its stdout in a pipe; returns its pid and the pipe's read end.
    private static long SpawnRole(string role, out int output)
    {
        Sys.Pipe(out PipeDescriptors pipe);
        long pid = Sys.Spawn("/bin/hostile", new[] { "hostile", "--as", role }, 0, pipe.Write, 2);
        Sys.Close(pipe.Write);
        output = pipe.Read;
        return pid;
    }

    private static bool ReadReady(int descriptor)
    {
        byte* buffer = stackalloc byte[8];
        return Sys.Read(descriptor, new Span<byte>(buffer, 8)) > 0;
    }

    /// <summary>Polls threadinfo until thread <paramref name="threadId"/> is in <paramref name="state"/> (5 s at most).</summary>
    internal static bool WaitForState(int threadId, int state)
    {
        for (int tries = 0; tries < 5000; tries++)
        {
            for (int index = 0; Sys.ThreadInfo(index, out ThreadInfo info) == 1; index++)
                if (info.ThreadId == threadId && info.State == state) return true;
            Sys.Sleep(1);
        }
        return false;
    }
}

/// <summary>The child processes of the blocking tests: `hostile --as ROLE`.</summary>
internal static unsafe class BlockingRoles
{
    private static int s_mainThread, s_joiner;
    private static PipeDescriptors s_silentPipe;       // this process holds both ends: a read of it blocks for ever

    public static int Play(string role)
    {
        s_mainThread = (int)Sys.GetThreadId();
        Sys.Pipe(out s_silentPipe);
        switch (role)
        {
            case "join-each-other":
                // Main joins a thread that joins main back (refused now: it then blocks on a pipe).
                int helper = UserThread.Start(&JoinMainThenBlock, 0, "joins-main");
                Ready();
                Sys.ThreadJoin(helper);
                return 1;                                   // not reached: kill ends the process first
            case "exit-while-blocked":
                int sleeper = UserThread.Start(&SleepForEver, 0, "sleeps");
                UserThread.Start(&ReadSilentPipe, 0, "reads-pipe");
                UserThread.Start(&JoinThread, (ulong)sleeper, "joins-sleeper");
                // Two threads that join each other (the second is refused now, and then blocks).
                s_joiner = UserThread.Start(&JoinThread, 0, "joins-next");
                UserThread.Start(&JoinJoinerThenBlock, 0, "joins-back");
                HostileTests.WaitForState(s_joiner, HostileTests.BlockedState);
                Sys.Sleep(50);                             // the rest are in their waits by now
                Ready();
                Sys.Exit(7);
                return 1;
            case "thread-exit-0x12345":
                Sys.ThreadExit(0x12345);                    // the last thread: its status is the process's
                return 1;
            default:
                Console.WriteLine("hostile --as: no role " + role);
                return 2;
        }
    }

    private static void Ready() => Console.WriteLine("ready");

    private static int JoinMainThenBlock(ulong unused)
    {
        HostileTests.WaitForState(s_mainThread, HostileTests.BlockedState);
        Sys.ThreadJoin(s_mainThread);
        return ReadSilentPipe(0);
    }

    // The thread s_joiner joins this one (it learns this one's id from s_joinTarget); this one joins it back.
    private static int JoinJoinerThenBlock(ulong unused)
    {
        s_joinTarget = (int)Sys.GetThreadId();
        HostileTests.WaitForState(s_joiner, HostileTests.BlockedState);
        Sys.ThreadJoin(s_joiner);
        return ReadSilentPipe(0);
    }

    private static volatile int s_joinTarget;

    // Joins the thread given, or, with 0, the thread that announces itself in s_joinTarget.
    private static int JoinThread(ulong threadId)
    {
        if (threadId == 0)
        {
            while (s_joinTarget == 0) Sys.Sleep(1);
            threadId = (ulong)s_joinTarget;
        }
        return (int)Sys.ThreadJoin((int)threadId);
    }

    private static int SleepForEver(ulong unused) => (int)Sys.Sleep(1000000000);

    private static int ReadSilentPipe(ulong unused)
    {
        byte* buffer = stackalloc byte[1];
        return (int)Sys.Read(s_silentPipe.Read, new Span<byte>(buffer, 1));
    }
}
