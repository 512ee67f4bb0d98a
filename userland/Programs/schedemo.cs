using TeachOS;

/// <summary>
/// schedemo: a workload to watch the scheduler with. Three CPU-bound threads (never yield), one thread
/// that sleeps 30 ms at a time, and this main thread, which every 100 ms prints how far each got.
/// Under round-robin the spinners advance at the same pace, and the sleeper runs briefly each time
/// it wakes. Run it with `make trace` to see the timeline.
/// </summary>
public static unsafe class SchedulerDemo
{
    private static long[] s_progress = new long[4];
    private static long s_deadline;

    private static int Spin(ulong index)
    {
        while (Sys.Uptime() < s_deadline) s_progress[index]++;
        return 0;
    }

    private static int Sleeper(ulong index)
    {
        while (Sys.Uptime() < s_deadline)
        {
            Sys.Sleep(30);
            s_progress[index]++;
        }
        return 0;
    }

    public static int Main(string[] args)
    {
        const int Milliseconds = 500;
        s_deadline = Sys.Uptime() + Milliseconds;
        int[] threads =
        {
            UserThread.Start(&Spin, 0, "spin-a"),
            UserThread.Start(&Spin, 1, "spin-b"),
            UserThread.Start(&Spin, 2, "spin-c"),
            UserThread.Start(&Sleeper, 3, "sleeper"),
        };
        Console.WriteLine("   ms      spin-a      spin-b      spin-c  sleeper wake-ups");
        for (long t = 100; t <= Milliseconds; t += 100)
        {
            Sys.Sleep(100);
            Console.WriteLine(t.ToString().PadLeft(5) + s_progress[0].ToString().PadLeft(12) + s_progress[1].ToString().PadLeft(12) +
                              s_progress[2].ToString().PadLeft(12) + s_progress[3].ToString().PadLeft(9));
        }
        foreach (int thread in threads) UserThread.Join(thread);
        return 0;
    }
}
