using System;
using Abi;
using TeachOS;
using static TeachOS.BadAddresses;
using static TeachOS.TestSuite;

/// <summary>
/// usertests' cases for fork (kernel/Proc/ProcessFork.cs), after xv6's usertests: fork's two results,
/// a child's memory is a copy, descriptors are shared, big processes, forks of forks, a fork bomb that
/// meets the process limit, only the calling thread is copied, user copies at page edges; exec's cases
/// are in Exec.cs. A child never returns into the test runner: it ends with Sys.Exit, and
/// its exit status tells the parent whether its own checks held (0) or which failed (1, 2, ...).
/// The frames all this takes come back: tests/Integration compares the free frames before and after init.
/// </summary>
public static unsafe partial class UserTests
{
    private const int Page = 4096;
    private static int s_forkValue;

    // Forks; the child runs `child` and exits with its result. Returns the child's pid (or the error).
    private static long ForkRunning(delegate*<int> child)
    {
        long pid = Sys.Fork();
        if (pid == 0) Sys.Exit(child());
        return pid;
    }

    private static int WaitFor(long pid)
    {
        int status = -1;
        Expect(Sys.Wait((int)pid, out status), pid, "wait collects the forked child");
        return status;
    }

    private static void ForkResults()
    {
        long parentPid = Sys.GetPid();
        long pid = Sys.Fork();
        if (pid == 0) Sys.Exit(Sys.GetParentPid() == parentPid && Sys.GetPid() != parentPid ? 7 : 1);
        Check(pid > 0, "fork gives the parent the child's pid");
        Check(pid != parentPid, "the child has a pid of its own");
        Expect(WaitFor(pid), 7, "the child saw 0 from fork, its own pid and the parent's");
        Expect(Sys.Wait(-1, out int unused), -Errno.ECHILD, "and nothing is left to collect");

        // Through int 0x80 the child resumes through iretq from the copied frame, not sysret.
        Sys.UseInterruptGate = true;
        pid = Sys.Fork();
        if (pid == 0) Sys.Exit(Sys.GetParentPid() == parentPid ? 8 : 1);
        Sys.UseInterruptGate = false;
        Check(pid > 0, "fork through int 0x80");
        if (pid > 0) Expect(WaitFor(pid), 8, "the child of a fork through int 0x80 runs on");
    }

    private static void ForkCopiesMemory()
    {
        s_forkValue = 1;
        byte* onStack = stackalloc byte[64];
        onStack[0] = 10;
        byte[] onHeap = new byte[100];
        onHeap[99] = 20;
        Sys.Pipe(out PipeDescriptors go);
        long pid = Sys.Fork();
        if (pid == 0)
        {
            // The child sees the parent's values at the moment of fork, then changes its own.
            bool same = s_forkValue == 1 && onStack[0] == 10 && onHeap[99] == 20;
            s_forkValue = 2;
            onStack[0] = 11;
            onHeap[99] = 21;
            byte* signal = stackalloc byte[1];
            Sys.Read(go.Read, new Span<byte>(signal, 1));       // the parent has written its own values now
            Sys.Exit(same && s_forkValue == 2 && onStack[0] == 11 && onHeap[99] == 21 ? 0 : 1);
        }
        s_forkValue = 3;
        onStack[0] = 12;
        onHeap[99] = 22;
        Sys.Write(go.Write, Bytes("x"));
        Expect(WaitFor(pid), 0, "the child saw the values of the fork, and its writes stayed its own");
        Check(s_forkValue == 3 && onStack[0] == 12 && onHeap[99] == 22, "the child's writes did not reach the parent (data, stack, heap)");
        Sys.Close(go.Read);
        Sys.Close(go.Write);
    }

    private static void ForkSharesDescriptors()
    {
        Sys.Pipe(out PipeDescriptors pipe);
        long pid = Sys.Fork();
        if (pid == 0)
        {
            Sys.Close(pipe.Read);
            Sys.Exit(Sys.Write(pipe.Write, Bytes("from the child")) == 14 ? 0 : 1);
        }
        Sys.Close(pipe.Write);
        Check(Console.ReadAllFrom(pipe.Read) == "from the child", "a pipe made before fork carries the child's bytes to the parent");
        Sys.Close(pipe.Read);
        Expect(WaitFor(pid), 0, "the child wrote into the pipe");

        // One open file, two descriptors: a read in the child moves the parent's offset too.
        long whole = Sys.Open("/etc/motd", OpenFlags.ReadOnly);
        byte* expected = stackalloc byte[10];
        Sys.Read((int)whole, new Span<byte>(expected, 10));
        Sys.Close((int)whole);
        long fd = Sys.Open("/etc/motd", OpenFlags.ReadOnly);
        pid = Sys.Fork();
        if (pid == 0)
        {
            byte* first = stackalloc byte[5];
            Sys.Exit(Sys.Read((int)fd, new Span<byte>(first, 5)) == 5 ? 0 : 1);
        }
        Expect(WaitFor(pid), 0, "the child read five bytes");
        byte* next = stackalloc byte[5];
        Expect(Sys.Read((int)fd, new Span<byte>(next, 5)), 5, "the parent reads on");
        bool shared = true;
        for (int i = 0; i < 5; i++) shared &= next[i] == expected[5 + i];
        Check(shared, "the parent's read starts where the child's ended: the offset is shared");
        Expect(Sys.Close((int)fd), 0, "the parent's descriptor is still open after the child closed its own (by exiting)");
    }

    private const int BigPages = 1024;      // 4 MiB

    private static int CheckBigPages(byte mark)
    {
        byte* heap = (byte*)s_bigHeap;
        for (int page = 0; page < BigPages; page++)
            if (heap[page * Page] != (byte)(page + mark) || heap[page * Page + Page - 1] != (byte)(page ^ mark)) return 1;
        return 0;
    }

    private static void MarkBigPages(byte mark)
    {
        byte* heap = (byte*)s_bigHeap;
        for (int page = 0; page < BigPages; page++)
        {
            heap[page * Page] = (byte)(page + mark);
            heap[page * Page + Page - 1] = (byte)(page ^ mark);
        }
    }

    private static long s_bigHeap;

    private static int BigChild()
    {
        if (CheckBigPages(1) != 0) return 1;
        MarkBigPages(2);
        return CheckBigPages(2) != 0 ? 2 : 0;
    }

    private static void ForkOfABigProcess()
    {
        // No `new` between the sbrks: the heap allocator would take pages the shrink gives back.
        s_bigHeap = Sys.Sbrk(BigPages * Page);
        Check(s_bigHeap > 0, "sbrk of 4 MiB");
        if (s_bigHeap <= 0) return;
        MarkBigPages(1);
        for (int round = 0; round < 3; round++)
        {
            long pid = ForkRunning(&BigChild);
            Check(pid > 0, "fork of a process with 4 MiB touched");
            if (pid > 0) Expect(WaitFor(pid), 0, "the child has every page of the 4 MiB, and its own copy of each");
        }
        Expect(CheckBigPages(1), 0, "the parent's 4 MiB are as it wrote them");
        Sys.Sbrk(-BigPages * Page);
    }

    // forkfork: two processes fork at once, many times (xv6's forkfork).
    private static int ForkManyTimes()
    {
        for (int i = 0; i < 40; i++)
        {
            long pid = Sys.Fork();
            if (pid == 0) Sys.Exit(0);
            if (pid < 0) return 1;
            if (Sys.Wait((int)pid, out int status) != pid || status != 0) return 2;
        }
        return 0;
    }

    private static void ForkFork()
    {
        long first = ForkRunning(&ForkManyTimes), second = ForkRunning(&ForkManyTimes);
        Expect(WaitFor(first), 0, "the first child forked and collected 40 children");
        Expect(WaitFor(second), 0, "and so did the second, at the same time");
    }

    // forkforkfork: a chain; each process forks the next and waits for it, passing the status up.
    private static int ForkChain(int depth)
    {
        if (depth == 0) return 40;
        long pid = Sys.Fork();
        if (pid == 0) Sys.Exit(ForkChain(depth - 1));
        if (pid < 0) return 1;
        return Sys.Wait((int)pid, out int status) == pid ? status + 1 : 2;
    }

    private static int ForkChainOfTen() => ForkChain(10);

    private static void ForkForkFork()
    {
        Expect(ForkChain(3), 43, "fork, fork, fork: each waits for its child");
        long pid = ForkRunning(&ForkChainOfTen);
        Expect(WaitFor(pid), 50, "a chain of ten, each status passed up");
    }

    private static void ForkBomb()
    {
        // The children wait until the pipe's write end is gone: each holds a process slot until then.
        Sys.Pipe(out PipeDescriptors hold);
        int forked = 0;
        long result;
        while (true)
        {
            result = Sys.Fork();
            if (result <= 0 || ++forked == 1000) break;
        }
        if (result == 0)
        {
            Sys.Close(hold.Write);
            byte* nothing = stackalloc byte[1];
            Sys.Read(hold.Read, new Span<byte>(nothing, 1));    // 0 once the parent lets go
            Sys.Exit(0);
        }
        Check(forked > 0 && forked < 1000, "forks until a limit stops them");
        Check(result == -Errno.EAGAIN || result == -Errno.ENOMEM, "a limit (EAGAIN) or memory (ENOMEM) ends it with an error code, not a panic");
        Expect(result, -Errno.EAGAIN, "with 256 MiB, the process limit comes first");
        Sys.Close(hold.Write);
        Sys.Close(hold.Read);
        int reaped = 0;
        while (Sys.Wait(-1, out int unused) > 0) reaped++;
        Expect(reaped, forked, "every child of the bomb collected");
        long after = ForkRunning(&ExitZero);
        Check(after > 0, "fork works again once they are collected");
        if (after > 0) WaitFor(after);
    }

    private static int ExitZero() => 0;

    // Copies in and out across a page boundary and at the very end of the heap, in a forked child.
    // Nothing here allocates: a `new` could grow the heap past the end this test relies on.
    private static int PageEdgesInChild()
    {
        long now = Sys.Sbrk(0);
        long padding = (Page - now % Page) % Page;
        long start = Sys.Sbrk(padding + 2 * Page);
        if (start < 0) return 1;
        byte* edge = (byte*)(start + padding + Page);               // between two pages of the heap
        byte* end = edge + Page;                                    // the break: nothing is mapped from here
        Sys.Pipe(out PipeDescriptors pipe);
        for (int i = 0; i < 16; i++) edge[i - 8] = (byte)('a' + i);
        if (Sys.Write(pipe.Write, new ReadOnlySpan<byte>(edge - 8, 16)) != 16) return 2;
        for (int i = 0; i < 16; i++) edge[i - 8] = 0;
        if (Sys.Read(pipe.Read, new Span<byte>(edge - 8, 16)) != 16) return 3;
        for (int i = 0; i < 16; i++) if (edge[i - 8] != (byte)('a' + i)) return 4;
        if (Sys.Write(pipe.Write, new ReadOnlySpan<byte>(edge, 8)) != 8) return 5;
        if (Sys.Read(pipe.Read, new Span<byte>(end - 8, 8)) != 8 || end[-1] != (byte)('a' + 15)) return 6;
        if (Sys.Call(SyscallNumbers.Write, (ulong)pipe.Write, (ulong)(end - 4), 8) != -Errno.EFAULT) return 7;
        Sys.Write(pipe.Write, new ReadOnlySpan<byte>(edge, 8));      // something to read: an empty pipe's read waits
        if (Sys.Call(SyscallNumbers.Read, (ulong)pipe.Read, (ulong)(end - 4), 8) != -Errno.EFAULT) return 8;
        return 0;
    }

    private static void ForkPageEdges()
    {
        long pid = ForkRunning(&PageEdgesInChild);
        Expect(WaitFor(pid), 0, "copies across a page edge and at the end of the heap, in a forked child");
    }

    private static volatile int s_go;

    private static int WaitForGo(ulong unused)
    {
        while (s_go == 0) Sys.Yield();
        return 0;
    }

    private static int CountOwnThreads()
    {
        long pid = Sys.GetPid();
        int count = 0;
        for (int i = 0; Sys.ThreadInfo(i, out ThreadInfo info) == 1; i++)
            if (info.ProcessId == pid && info.State != 4) count++;
        return count;
    }

    private static int OneThread() => CountOwnThreads() == 1 ? 0 : 1;

    private static void ForkCopiesOnlyTheCaller()
    {
        s_go = 0;
        int thread = UserThread.Start(&WaitForGo, 0, "forkbystander");
        Check(CountOwnThreads() == 2, "two threads before fork");
        long pid = ForkRunning(&OneThread);
        Expect(WaitFor(pid), 0, "the child has only the thread that called fork");
        s_go = 1;
        UserThread.Join(thread);
    }

}
