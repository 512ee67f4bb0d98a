using System;
using Abi;
using TeachOS;

/// <summary>
/// bench: measures the costs `make bench` reports, from user mode, in CPU cycles (rdtsc) and time.
/// Each figure is printed as "bench name: value unit". Medians of many samples, so that a timer
/// interrupt landing in one sample does not move the figure.
/// `bench paths` measures only the main paths (no timer or wall-time figures): tools/bench.sh and the
/// budget test (tests/Integration/PathBudgetTests.cs) run it under QEMU's -icount shift=0, where
/// rdtsc advances by one per guest instruction, so each "cycles" figure is then an instruction count.
/// </summary>
public static unsafe class Bench
{
    private const int Samples = 5001;

    public static int Main(string[] args)
    {
        if (args.Length == 1 && args[0] == "pong") return Pong();
        if (args.Length == 1 && args[0] == "free") return TakeFreePages();
        if (args.Length == 2 && args[0] == "scale") return Scale(int.Parse(args[1]));
        if (args.Length == 1 && args[0] == "first-write") { FirstWriteAfterFork(); return 0; }
        MainPaths();
        if (args.Length == 1 && args[0] == "paths") return 0;
        ForkOfSixteenMebibytes();
        FramesTakenByFork();
        FirstWriteAfterFork();
        TimerOverhead();
        return 0;
    }

    private static void MainPaths()
    {
        TimestampRead();
        SyscallRoundTrip();
        PipePingPong();
        ulong spawn = SpawnExitWait();
        ForkExitWait();
        ForkExecExitWait();
        ThreadSwitch();
        PageFault(spawn);
    }

    private static void Report(string name, ulong value, string unit) =>
        Console.WriteLine("bench " + name + ": " + value + " " + unit);

    private static ulong MedianGetPid(bool interruptGate)
    {
        Sys.UseInterruptGate = interruptGate;
        ulong[] samples = new ulong[Samples];
        for (int i = 0; i < Samples; i++)
        {
            ulong start = Timestamp.Read();
            Sys.GetPid();
            samples[i] = Timestamp.Read() - start;
        }
        Sys.UseInterruptGate = false;
        return Timestamp.Median(samples, Samples);
    }

    /// <summary>
    /// Two timestamps back to back: the cost of measuring, which every other figure includes once
    /// (under icount, the few instructions of the call and rdtsc).
    /// </summary>
    private static void TimestampRead()
    {
        ulong[] samples = new ulong[Samples];
        for (int i = 0; i < Samples; i++)
        {
            ulong start = Timestamp.Read();
            samples[i] = Timestamp.Read() - start;
        }
        Report("timestamp-read", Timestamp.Median(samples, Samples), "cycles");
    }

    /// <summary>The cheapest syscall (getpid), through `syscall`/`sysret` and through `int 0x80`/`iretq`.</summary>
    private static void SyscallRoundTrip()
    {
        MedianGetPid(false);                                    // warm up caches and the TLB
        ulong fast = MedianGetPid(false);
        ulong slow = MedianGetPid(true);
        Report("syscall-roundtrip-syscall", fast, "cycles");
        Report("syscall-roundtrip-int80", slow, "cycles");
        Report("syscall-to-int80-ratio", fast * 100 / (slow == 0 ? 1 : slow), "percent");
    }

    /// <summary>One byte to a child through one pipe and back through another.</summary>
    private static void PipePingPong()
    {
        const int Rounds = 2001;
        Sys.Pipe(out PipeDescriptors toChild);
        Sys.Pipe(out PipeDescriptors fromChild);
        long child = Sys.Spawn("/bin/bench", new[] { "bench", "pong" }, toChild.Read, fromChild.Write, 2);
        Sys.Close(toChild.Read);
        Sys.Close(fromChild.Write);

        byte* one = stackalloc byte[1];
        ulong[] samples = new ulong[Rounds];
        long startMilliseconds = Sys.Uptime();
        for (int i = 0; i < Rounds; i++)
        {
            ulong start = Timestamp.Read();
            Sys.Write(toChild.Write, new ReadOnlySpan<byte>(one, 1));
            Sys.Read(fromChild.Read, new Span<byte>(one, 1));
            samples[i] = Timestamp.Read() - start;
        }
        long elapsed = Sys.Uptime() - startMilliseconds;
        Sys.Close(toChild.Write);
        Sys.Wait((int)child, out int status);
        Sys.Close(fromChild.Read);
        Report("pipe-pingpong-roundtrip", Timestamp.Median(samples, Rounds), "cycles");
        Report("pipe-pingpong-roundtrip-time", (ulong)(elapsed * 1000 / Rounds), "microseconds");
    }

    /// <summary>The child of the ping-pong: echoes every byte from stdin to stdout until end of file.</summary>
    private static int Pong()
    {
        byte* one = stackalloc byte[1];
        while (Sys.Read(0, new Span<byte>(one, 1)) == 1) Sys.Write(1, new ReadOnlySpan<byte>(one, 1));
        return 0;
    }

    /// <summary>Start a process, let it exit, collect it: the whole life of /bin/true.</summary>
    private static ulong SpawnExitWait()
    {
        const int Rounds = 201;
        ulong[] samples = new ulong[Rounds];
        string[] arguments = { "true" };
        long startMilliseconds = Sys.Uptime();
        for (int i = 0; i < Rounds; i++)
        {
            ulong start = Timestamp.Read();
            long pid = Sys.Spawn("/bin/true", arguments, 0, 1, 2);
            Sys.Wait((int)pid, out int status);
            samples[i] = Timestamp.Read() - start;
        }
        long elapsed = Sys.Uptime() - startMilliseconds;
        Report("spawn-exit-wait", Timestamp.Median(samples, Rounds), "cycles");
        Report("spawn-exit-wait-time", (ulong)(elapsed * 1000 / Rounds), "microseconds");
        return Timestamp.Median(samples, Rounds);
    }

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

    /// <summary>
    /// A user page fault, the only kind TeachOS has: the kernel reports it and kills the process (no
    /// demand paging yet). Measured as the life of `fault null` (a read through null) less the life of
    /// /bin/true just measured: the trap, the report on the console, and the kill. Its output (one line
    /// from the program, the kernel's report) is part of the path, as it is for every user fault.
    /// </summary>
    private static void PageFault(ulong spawnExitWait)
    {
        const int Rounds = 21;
        ulong[] samples = new ulong[Rounds];
        string[] arguments = { "fault", "null" };
        for (int i = 0; i < Rounds; i++)
        {
            ulong start = Timestamp.Read();
            long pid = Sys.Spawn("/bin/fault", arguments, 0, 1, 2);
            Sys.Wait((int)pid, out int status);
            samples[i] = Timestamp.Read() - start;
        }
        ulong faulting = Timestamp.Median(samples, Rounds);
        Report("page-fault-kill", faulting > spawnExitWait ? faulting - spawnExitWait : 0, "cycles (fault null's life less true's)");
    }

    private static ulong[] s_yieldSamples = new ulong[Samples];
    private static int s_yieldCount;

    private static int Yielder(ulong record)
    {
        for (int i = 0; i < Samples; i++)
        {
            ulong start = Timestamp.Read();
            Sys.Yield();
            if (record == 1) s_yieldSamples[s_yieldCount++] = Timestamp.Read() - start;
        }
        return 0;
    }

    /// <summary>
    /// Two threads that only yield: each yield switches to the other and, one switch later, back. So
    /// one yield as seen by its caller is two thread switches (plus the syscall around them).
    /// </summary>
    private static void ThreadSwitch()
    {
        int a = UserThread.Start(&Yielder, 1, "yield-a");
        int b = UserThread.Start(&Yielder, 0, "yield-b");
        UserThread.Join(a);
        UserThread.Join(b);
        ulong perYield = Timestamp.Median(s_yieldSamples, s_yieldCount);
        Report("thread-yield-pingpong", perYield, "cycles per yield (two switches)");
        Report("thread-switch", perYield / 2, "cycles");
    }

    /// <summary>
    /// What the timer costs a busy program: spin reading the cycle counter and add up every gap much
    /// larger than one loop iteration. Those gaps are the CPU handling interrupts (and nothing else,
    /// when this is the only runnable thread).
    /// </summary>
    private static void TimerOverhead()
    {
        const ulong Threshold = 2000;
        long end = Sys.Uptime() + 300;
        ulong stolen = 0, gaps = 0, first = Timestamp.Read(), previous = first;
        while (Sys.Uptime() < end)
        {
            for (int i = 0; i < 10000; i++)
            {
                ulong now = Timestamp.Read();
                if (now - previous > Threshold) { stolen += now - previous; gaps++; }
                previous = now;
            }
        }
        ulong total = previous - first;
        Report("timer-interrupts-seen", gaps, "in 300 ms");
        Report("timer-overhead", stolen * 10000 / (total == 0 ? 1 : total), "basis points of CPU time");
    }

    // ---- Several CPUs ----

    private const long ScaleWorkPerThread = 100_000_000;

    private static int Crunch(ulong seed)
    {
        ulong x = seed | 1;
        for (long i = 0; i < ScaleWorkPerThread; i++) x = x * 6364136223846793005UL + 1442695040888963407UL;
        return (int)(x >> 60);                       // use the result, so the loop is not optimised away
    }

    /// <summary>
    /// bench scale N: N threads, each with the same fixed amount of CPU-bound work; prints the wall
    /// time until all are done. tools/bench.sh runs it at 1, 2 and 4 virtual CPUs and divides.
    /// </summary>
    private static int Scale(int threads)
    {
        int[] ids = new int[threads];
        Console.WriteLine("bench scale start");     // tools/bench.sh times from this line to the result
        long start = Sys.Uptime();
        for (int i = 0; i < threads; i++) ids[i] = UserThread.Start(&Crunch, (ulong)i, "crunch");
        for (int i = 0; i < threads; i++) UserThread.Join(ids[i]);
        long elapsed = Sys.Uptime() - start;
        Report("scale-" + threads + "-threads", (ulong)elapsed, "ms");
        return 0;
    }
}
