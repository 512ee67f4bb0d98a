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
/// The figures of fork, and what a fork costs in frames and in faults, are in bench/Fork.cs; those of
/// the disk file system (`bench fs-write`, `fs-read`, `fs-paths`) in bench/Files.cs; how closely cpu.max
/// holds a spinner to its quota in bench/ControlGroups.cs; networking's (`bench net`, `net-paths`) in
/// bench/Network.cs; containers' (`bench containers`) in bench/Containers.cs.
/// </summary>
public static unsafe partial class Bench
{
    private const int Samples = 5001;

    public static int Main(string[] args)
    {
        if (args.Length == 1 && args[0] == "pong") return Pong();
        if (args.Length == 1 && args[0] == "free") return TakeFreePages();
        if (args.Length == 2 && args[0] == "scale") return Scale(int.Parse(args[1]));
        if (args.Length == 1 && args[0] == "first-write") { FirstWriteAfterFork(); return 0; }
        if (args.Length == 1 && args[0].StartsWith("fs-")) return FileFigures(args[0]);
        if (args.Length == 1 && args[0] == "vm-paths") return VirtualMachineFigures();
        if (args.Length >= 1 && (args[0] == "net" || args[0] == "net-paths")) return NetworkFigures(args);
        if (args.Length == 1 && args[0] == "containers") return ContainerFigures();
        MainPaths();
        if (args.Length == 1 && args[0] == "paths") return 0;
        ForkOfSixteenMebibytes();
        FramesTakenByFork();
        FirstWriteAfterFork();
        TimerOverhead();
        VirtualMachineFigures();
        CpuMaxAccuracy();
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
    /// A user page fault the kernel cannot resolve (not a first touch of the lazy heap or of an mmap
    /// mapping): it reports it and kills the process. Measured as the life of `fault null` (a read through null) less the life of
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
