using System;
using Abi;
using TeachOS;

/// <summary>
/// bench's figures of fork (kernel/Proc/ProcessFork.cs): fork+exit+wait, fork+exec+exit+wait, a fork of
/// a process with 16 MiB touched (its time and the frames it takes), and the cost of the child's first
/// write to a page, which is a copy-on-write fault where fork shares pages (assignments/cow).
/// </summary>
public static unsafe partial class Bench
{
    /// <summary>
    /// fork, the child exits at once, the parent collects it: mostly the copy of every page of bench
    /// itself (its code, data, heap and stack: Mem/AddressSpaceCopy.cs copies them all, eagerly).
    /// </summary>
    private static void ForkExitWait()
    {
        const int Rounds = 201;
        ulong[] samples = new ulong[Rounds];
        long startMilliseconds = Sys.Uptime();
        for (int i = 0; i < Rounds; i++)
        {
            ulong start = Timestamp.Read();
            long pid = Sys.Fork();
            if (pid == 0) Sys.Exit(0);
            Sys.Wait((int)pid, out int status);
            samples[i] = Timestamp.Read() - start;
        }
        long elapsed = Sys.Uptime() - startMilliseconds;
        Report("fork-exit-wait", Timestamp.Median(samples, Rounds), "cycles");
        Report("fork-exit-wait-time", (ulong)(elapsed * 1000 / Rounds), "microseconds");
    }

    /// <summary>
    /// fork+exit+wait of a process with 16 MiB of heap touched: the eager copy's cost grows with the
    /// parent's size (4,096 more pages to copy); copy-on-write's would not, until someone writes.
    /// </summary>
    private static void ForkOfSixteenMebibytes()
    {
        const int Rounds = 11;
        const long Size = 16 * 1024 * 1024;
        ulong[] samples = new ulong[Rounds];           // before the sbrk: no `new` may come between it and its undoing
        long heap = Sys.Sbrk(Size);
        if (heap < 0) { Report("fork-16mib-exit-wait-time", 0, "microseconds (sbrk of 16 MiB refused)"); return; }
        for (long offset = 0; offset < Size; offset += 4096) ((byte*)heap)[offset] = 1;
        long startMilliseconds = Sys.Uptime();
        for (int i = 0; i < Rounds; i++)
        {
            ulong start = Timestamp.Read();
            long pid = Sys.Fork();
            if (pid == 0) Sys.Exit(0);
            Sys.Wait((int)pid, out int status);
            samples[i] = Timestamp.Read() - start;
        }
        long elapsed = Sys.Uptime() - startMilliseconds;
        Sys.Sbrk(-Size);
        Report("fork-16mib-exit-wait", Timestamp.Median(samples, Rounds), "cycles (16 MiB of heap touched, copied eagerly)");
        Report("fork-16mib-exit-wait-time", (ulong)(elapsed * 1000 / Rounds), "microseconds");
    }

    /// <summary>
    /// Frames a fork of a process with 16 MiB of heap touched takes, while the child lives and has
    /// written nothing: free memory measured before the fork and while the child waits. An eager copy
    /// takes the 4,096 pages and the child's tables; copy-on-write (assignments/cow) only the tables.
    /// Free memory is measured by a small process of its own (`bench free`), so that the measuring does
    /// not depend on this one's size.
    /// </summary>
    private static void FramesTakenByFork()
    {
        const long Size = 16 * 1024 * 1024;
        PipeDescriptors hold;
        Sys.Pipe(out hold);
        long heap = Sys.Sbrk(Size);                    // no `new` from here to its undoing
        if (heap < 0) { Report("fork-16mib-frames", 0, "frames (sbrk of 16 MiB refused)"); return; }
        for (long offset = 0; offset < Size; offset += 4096) ((byte*)heap)[offset] = 1;
        long before = FreePages();
        long pid = Sys.Fork();
        if (pid == 0)
        {
            byte* one = stackalloc byte[1];
            Sys.Read(hold.Read, new Span<byte>(one, 1));   // lives until the parent has measured
            Sys.Exit(0);
        }
        long during = pid < 0 ? before : FreePages();
        byte* go = stackalloc byte[1];
        Sys.Write(hold.Write, new ReadOnlySpan<byte>(go, 1));
        if (pid > 0) Sys.Wait((int)pid, out int status);
        Sys.Sbrk(-Size);
        Sys.Close(hold.Read);
        Sys.Close(hold.Write);
        if (pid < 0) { Report("fork-16mib-frames", 0, "frames (fork refused)"); return; }
        Report("fork-16mib-frames", (ulong)(before - during), "frames taken by a fork of a process with 16 MiB of heap touched, before the child writes");
    }

    /// <summary>
    /// The child's first write to each of 256 pages its parent touched before the fork, then a second
    /// write to each: with an eager copy both are plain stores; with copy-on-write (assignments/cow)
    /// the first is the write fault that copies the page, so first less second is the fault's cost.
    /// `bench first-write` alone; under `tools/run-qemu.sh --icount` the cycles are instructions.
    /// </summary>
    private static void FirstWriteAfterFork()
    {
        const int Pages = 256;
        ulong[] first = new ulong[Pages], second = new ulong[Pages];   // before the fork: the child allocates nothing
        long heap = Sys.Sbrk(Pages * 4096L);
        if (heap < 0) { Report("fork-first-write", 0, "cycles (sbrk refused)"); return; }
        for (long page = 0; page < Pages; page++) ((byte*)heap)[page * 4096] = 1;
        long pid = Sys.Fork();
        if (pid == 0)
        {
            for (int page = 0; page < Pages; page++)
            {
                byte* at = (byte*)heap + page * 4096L + 8;
                ulong start = Timestamp.Read();
                *at = 2;
                first[page] = Timestamp.Read() - start;
                start = Timestamp.Read();
                *at = 3;
                second[page] = Timestamp.Read() - start;
            }
            ulong firstMedian = Timestamp.Median(first, Pages), secondMedian = Timestamp.Median(second, Pages);
            Report("fork-first-write", firstMedian, "cycles (the child's first write to a page the parent touched; a copy-on-write fault where fork shares)");
            Report("fork-second-write", secondMedian, "cycles (the same page again: a plain store)");
            Report("fork-write-fault", firstMedian > secondMedian ? firstMedian - secondMedian : 0, "cycles (first less second: the fault's cost, 0 with an eager copy)");
            Sys.Exit(0);
        }
        if (pid > 0) Sys.Wait((int)pid, out int status);
        Sys.Sbrk(-Pages * 4096L);
    }

    private static readonly string[] s_freeArguments = { "bench", "free" };

    // Pages `bench free` could take, read from its output (8 bytes per count; the last one counts).
    private static long FreePages()
    {
        PipeDescriptors counts;
        Sys.Pipe(out counts);
        long child = Sys.Spawn("/bin/bench", s_freeArguments, 0, counts.Write, 2);
        Sys.Close(counts.Write);
        long last = 0, value = 0;
        int got = 0;
        while (true)
        {
            long read = Sys.Read(counts.Read, new Span<byte>((byte*)&value + got, sizeof(long) - got));
            if (read <= 0) break;
            got += (int)read;
            if (got == sizeof(long)) { last = value; got = 0; }
        }
        Sys.Close(counts.Read);
        if (child > 0) Sys.Wait((int)child, out int status);
        return last;
    }

    /// <summary>`bench free`: takes pages until sbrk refuses, touching each, and writes the running count.</summary>
    private static int TakeFreePages()
    {
        long pages = 0, step = 64 * 4096;
        while (true)
        {
            long start = Sys.Sbrk(step);
            if (start < 0)
            {
                if (step == 4096) break;
                step = 4096;
                continue;
            }
            for (long offset = 0; offset < step; offset += 4096) ((byte*)start)[offset] = 1;
            pages += step / 4096;
            Sys.Write(1, new ReadOnlySpan<byte>(&pages, sizeof(long)));
        }
        return 0;
    }

    /// <summary>fork, the child execs /bin/true, which exits; the parent collects it: how a shell runs a command.</summary>
    private static void ForkExecExitWait()
    {
        const int Rounds = 201;
        ulong[] samples = new ulong[Rounds];
        string[] arguments = { "true" };
        long startMilliseconds = Sys.Uptime();
        for (int i = 0; i < Rounds; i++)
        {
            ulong start = Timestamp.Read();
            long pid = Sys.Fork();
            if (pid == 0) Sys.Exit((int)(100 - Sys.Exec("/bin/true", arguments)));
            Sys.Wait((int)pid, out int status);
            samples[i] = Timestamp.Read() - start;
        }
        long elapsed = Sys.Uptime() - startMilliseconds;
        Report("fork-exec-exit-wait", Timestamp.Median(samples, Rounds), "cycles");
        Report("fork-exec-exit-wait-time", (ulong)(elapsed * 1000 / Rounds), "microseconds");
    }
}
