using TeachOS;

/// <summary>
/// stress [ROUNDS]: a long, mixed workload for the scheduler and the process layer. Each round spawns
/// a few children that do a pseudo-random mix of yields, short sleeps, threads and grandchildren, and
/// collects them all. Ends with "stress: N processes, M threads, all collected" and status 0; any
/// failure is printed and counted in the status.
/// </summary>
public static unsafe class Stress
{
    private static uint s_seed = 12345;

    private static int Random(int limit)
    {
        s_seed = s_seed * 1103515245 + 12345;        // the classic C library generator
        return (int)((s_seed >> 16) % (uint)limit);
    }

    private static int Work(ulong seed)
    {
        s_seed = (uint)seed;
        for (int step = 0; step < 20; step++)
        {
            switch (Random(4))
            {
                case 0: Sys.Yield(); break;
                case 1: Sys.Sleep(Random(3)); break;
                case 2: for (int i = 0; i < 2000; i++) s_seed ^= (uint)i; break;
                default: Sys.GetPid(); break;
            }
        }
        return 0;
    }

    public static int Main(string[] args)
    {
        if (args.Length == 2 && args[0] == "child") return Child(int.Parse(args[1]));
        int rounds = args.Length == 1 && int.TryParse(args[0], out int n) ? n : 30;
        int processes = 0, failures = 0;
        long start = Sys.Uptime();
        for (int round = 0; round < rounds; round++)
        {
            long[] children = new long[4];
            for (int i = 0; i < children.Length; i++)
            {
                children[i] = Sys.Spawn("/bin/stress", new[] { "stress", "child", (round * 4 + i).ToString() }, 0, 1, 2);
                if (children[i] < 0) failures++; else processes++;
            }
            for (int i = 0; i < children.Length; i++)
                if (children[i] > 0 && (Sys.Wait((int)children[i], out int status) != children[i] || status != 0)) failures++;
        }
        Console.WriteLine("stress: " + processes + " processes in " + (Sys.Uptime() - start) + " ms, " + failures + " failures");
        return failures;
    }

    /// <summary>A child: a thread and maybe a grandchild working alongside it, then collect both.</summary>
    private static int Child(int seed)
    {
        s_seed = (uint)seed * 7919;
        int thread = UserThread.Start(&Work, (ulong)seed, "stress-thread");
        long grandchild = Random(2) == 0 ? Sys.Spawn("/bin/true", new[] { "true" }, 0, 1, 2) : 0;
        Work((ulong)seed + 1);
        int failures = UserThread.Join(thread) == 0 ? 0 : 1;
        if (grandchild > 0 && Sys.Wait((int)grandchild, out int status) != grandchild) failures++;
        return failures;
    }
}
