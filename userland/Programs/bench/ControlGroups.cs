using TeachOS;

/// <summary>
/// bench's figure for the CPU controller (docs/guide/11-cgroups.md): how closely cpu.max holds a spinner
/// to its quota. A child spins in a group at "50000 100000" (half a CPU) until the group has counted 20
/// periods; the figures are its CPU time per period against the quota, and its share of the kernel's own
/// time, in thousandths (500 is exact).
/// </summary>
public static unsafe partial class Bench
{
    private const string BenchGroup = "/sys/fs/cgroup/bench-cpumax";

    private static void CpuMaxAccuracy()
    {
        if (Sys.MakeDirectory(BenchGroup) != 0) return;       // no control groups here: no figure
        if (Files.WriteAllText(BenchGroup + "/cpu.max", "50000 100000\n") < 0) { Sys.RemoveDirectory(BenchGroup); return; }
        long pid = Sys.Fork();
        if (pid == 0)
        {
            if (Files.WriteAllText(BenchGroup + "/cgroup.procs", "0") < 0) Sys.Exit(1);
            while (true) { }
        }
        long start = Sys.Uptime();
        string stat = Files.ReadAllText(BenchGroup + "/cpu.stat", out long _);
        for (int i = 0; i < 1000 && Keyed(stat, "nr_periods") < 20; i++)
        {
            Sys.Sleep(20);
            stat = Files.ReadAllText(BenchGroup + "/cpu.stat", out long _);
        }
        long elapsedUsec = (Sys.Uptime() - start) * 1000;
        Sys.Kill((int)pid);
        Sys.Wait((int)pid, out int _);
        long periods = Keyed(stat, "nr_periods"), usage = Keyed(stat, "usage_usec");
        if (periods > 0) Report("cgroup-cpumax-per-period", (ulong)(usage / periods), "us (quota 50000 us of each 100000 us period, " + periods + " periods)");
        if (elapsedUsec > 0) Report("cgroup-cpumax-share", (ulong)(usage * 1000 / elapsedUsec), "permille of a CPU (cpu.max 50000 100000: 500)");
        Sys.RemoveDirectory(BenchGroup);
    }

    // "KEY VALUE" lines: the value of KEY, or -1.
    private static long Keyed(string text, string key)
    {
        if (text == null) return -1;
        int at = text.IndexOf(key + " ");
        if (at < 0) return -1;
        long value = 0;
        for (int i = at + key.Length + 1; i < text.Length && text[i] >= '0' && text[i] <= '9'; i++) value = value * 10 + (text[i] - '0');
        return value;
    }
}
