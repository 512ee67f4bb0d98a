using System;
using Abi;
using TeachOS;
using static TeachOS.TestSuite;

/// <summary>
/// usertests' cases for the CPU controller (kernel/Sched/CpuBandwidth.cs, cpu.max; kernel/Sched/CpuShare.cs,
/// cpu.weight): a spinning child held to 20 % by "20000 100000" uses about its quota in each period and is
/// throttled in each; a parent's quota holds a child group that has none; two spinners in groups of weights
/// 100 and 300 on one CPU split it about 1:3; what cpu.max and cpu.weight refuse. Measured from the kernel's
/// own counts (cpu.stat: usage_usec, nr_periods, nr_throttled), which hold however slowly the host runs
/// the machine: a period is 100 of the kernel's ticks, whatever they take outside.
/// </summary>
public static unsafe partial class UserTests
{
    private static void CgroupCpuMax()
    {
        Sys.MakeDirectory(CgroupRoot + "ut-cpumax");
        ExpectText(Read("ut-cpumax/cpu.max"), "max 100000\n", "cpu.max starts with no quota and Linux's period");
        Expect(WriteCgroup("ut-cpumax/cpu.max", "20000 100000\n"), 13, "cpu.max: 20 ms in each 100 ms");
        ExpectText(Read("ut-cpumax/cpu.max"), "20000 100000\n", "read back");
        HogHeldToItsQuota("ut-cpumax", "ut-cpumax", quotaUsec: 20000);
        Expect(Sys.RemoveDirectory(CgroupRoot + "ut-cpumax"), 0, "rmdir");
    }

    private static void CgroupCpuMaxNested()
    {
        Sys.MakeDirectory(CgroupRoot + "ut-cpuouter");
        Sys.MakeDirectory(CgroupRoot + "ut-cpuouter/inner");
        Expect(WriteCgroup("ut-cpuouter/cpu.max", "10000 100000"), 12, "the outer group: 10 %");
        ExpectText(Read("ut-cpuouter/inner/cpu.max"), "max 100000\n", "the inner one has no quota of its own");
        HogHeldToItsQuota("ut-cpuouter/inner", "ut-cpuouter", quotaUsec: 10000);
        string inner = Read("ut-cpuouter/inner/cpu.stat");
        Check(ParseKeyed(inner, "usage_usec") > 0 && ParseKeyed(inner, "nr_throttled") == 0,
            "the inner group ran, and was never throttled by its own (absent) quota: " + inner);
        Expect(Sys.RemoveDirectory(CgroupRoot + "ut-cpuouter/inner"), 0, "rmdir inner");
        Expect(Sys.RemoveDirectory(CgroupRoot + "ut-cpuouter"), 0, "rmdir outer");
    }

    // A child that spins forever in `join`, watched until `measured` (join or a group above it, whose
    // cpu.max is quotaUsec per 100 ms) has counted 10 periods; then killed. Each period it should use
    // about the quota and be throttled, and over the whole time get about quota / period of a CPU.
    private static void HogHeldToItsQuota(string join, string measured, long quotaUsec)
    {
        long pid = Sys.Fork();
        if (pid == 0)
        {
            if (WriteCgroup(join + "/cgroup.procs", "0") != 1) Sys.Exit(1);
            while (true) { }
        }
        long start = Sys.Uptime();
        string stat = Read(measured + "/cpu.stat");
        for (int i = 0; i < 3000 && ParseKeyed(stat, "nr_periods") < 10; i++)
        {
            Sys.Sleep(10);
            stat = Read(measured + "/cpu.stat");
        }
        long elapsedUsec = (Sys.Uptime() - start) * 1000;
        Sys.Kill((int)pid);
        WaitFor(pid);

        long periods = ParseKeyed(stat, "nr_periods"), throttled = ParseKeyed(stat, "nr_throttled");
        long usage = ParseKeyed(stat, "usage_usec"), throttledUsec = ParseKeyed(stat, "throttled_usec");
        Check(periods >= 10, "the hog ran in 10 periods: " + Oneline(stat));
        // The period under way when it was read may not have spent its quota yet; every other one did.
        Check(throttled >= periods - 2 && throttled <= periods, "it was throttled in (nearly) every period");
        Check(throttledUsec > 0, "throttled_usec counts the time held back");
        long perPeriod = periods > 0 ? usage / periods : 0;
        Check(perPeriod >= quotaUsec * 3 / 4 && perPeriod <= quotaUsec * 13 / 10,
            "about the quota in each period: " + perPeriod + " us of " + quotaUsec);
        long percent = elapsedUsec > 0 ? usage * 100 / elapsedUsec : 0;
        Console.WriteLine("  " + measured + ": " + usage + " us in " + periods + " periods (" + perPeriod + " us each), " +
            throttled + " throttled for " + throttledUsec + " us; " + percent + " % of " + elapsedUsec + " us");
        long expected = quotaUsec / 1000;     // of a 100 ms period
        Check(percent >= expected / 2 && percent <= expected * 2,
            "about " + expected + " % of a CPU over the kernel's own time: " + percent + " % (" + usage + " us in " + elapsedUsec + " us)");
    }

    private static void CgroupCpuMaxHostile()
    {
        Sys.MakeDirectory(CgroupRoot + "ut-cpubad");
        Expect(WriteCgroup("ut-cpubad/cpu.max", "20000 100000"), 12, "a good value first");
        string[] refused =
        {
            "garbage", "-1 100000", "20000 -5", "99999999999999999999 100000", "20000 99999999999999999999",
            "999 100000", "0 100000", "max 999", "max 1000001", "20000 100000 7", "max max", "  \n",
            "2000.5 100000", "17592186044416 100000", "20000x 100000", "20k 100000",
        };
        for (int i = 0; i < refused.Length; i++)
            Expect(WriteCgroup("ut-cpubad/cpu.max", refused[i]), -Errno.EINVAL, "cpu.max \"" + refused[i] + "\": EINVAL");
        ExpectText(Read("ut-cpubad/cpu.max"), "20000 100000\n", "and nothing changed");
        Expect(WriteCgroup("ut-cpubad/cpu.max", "50000\n"), 6, "the quota alone");
        ExpectText(Read("ut-cpubad/cpu.max"), "50000 100000\n", "keeps the period");
        Expect(WriteCgroup("ut-cpubad/cpu.max", "max 50000"), 9, "max with a period");
        ExpectText(Read("ut-cpubad/cpu.max"), "max 50000\n", "read back");
        Expect(WriteCgroup("ut-cpubad/cpu.max", "1000 1000"), 9, "the smallest quota and period, 1 ms");
        Expect(WriteCgroup("ut-cpubad/cpu.max", "17592186044415 1000000"), 22, "the largest quota (2^44 - 1 us) and period (1 s)");
        Expect(WriteCgroup("ut-cpubad/cpu.stat", "0"), -Errno.EACCES, "cpu.stat cannot be written");
        Expect(WriteCgroup("cpu.max", "max 100000"), -Errno.ENOENT, "the root has no cpu.max, as on Linux");
        Expect(Sys.RemoveDirectory(CgroupRoot + "ut-cpubad"), 0, "rmdir");
    }

    // cpu.stat's lines on one line, for a check's message.
    // Two sibling groups, weights 100 and 300, each with a spinner on CPU 0 (pinned, so that they compete
    // on every machine size): their CPU time splits about 1:3, counted by each group's cpu.stat.
    private static void CgroupCpuWeight()
    {
        Sys.MakeDirectory(CgroupRoot + "ut-w100");
        Sys.MakeDirectory(CgroupRoot + "ut-w300");
        ExpectText(Read("ut-w100/cpu.weight"), "100\n", "cpu.weight starts at 100");
        Expect(WriteCgroup("ut-w300/cpu.weight", "300\n"), 4, "cpu.weight 300");
        long light = SpinnerOnCpu0("ut-w100"), heavy = SpinnerOnCpu0("ut-w300");
        long lightUsage = 0, heavyUsage = 0;
        for (int i = 0; i < 3000 && lightUsage + heavyUsage < 1200000; i++)
        {
            Sys.Sleep(10);
            lightUsage = ParseKeyed(Read("ut-w100/cpu.stat"), "usage_usec");
            heavyUsage = ParseKeyed(Read("ut-w300/cpu.stat"), "usage_usec");
        }
        Sys.Kill((int)light);
        Sys.Kill((int)heavy);
        WaitFor(light);
        WaitFor(heavy);
        lightUsage = ParseKeyed(Read("ut-w100/cpu.stat"), "usage_usec");
        heavyUsage = ParseKeyed(Read("ut-w300/cpu.stat"), "usage_usec");
        Console.WriteLine("  weights 100 and 300: " + lightUsage + " us and " + heavyUsage + " us");
        Check(lightUsage > 0 && heavyUsage >= lightUsage * 2 && heavyUsage <= lightUsage * 4,
            "about 1:3: " + lightUsage + " us and " + heavyUsage + " us");
        Expect(Sys.RemoveDirectory(CgroupRoot + "ut-w100"), 0, "rmdir");
        Expect(Sys.RemoveDirectory(CgroupRoot + "ut-w300"), 0, "rmdir");
    }

    private static long SpinnerOnCpu0(string group)
    {
        long pid = Sys.Fork();
        if (pid == 0)
        {
            if (Sys.SetAffinity(0, 1) != 0 || WriteCgroup(group + "/cgroup.procs", "0") != 1) Sys.Exit(1);
            while (true) { }
        }
        return pid;
    }

    private static void CgroupCpuWeightHostile()
    {
        Sys.MakeDirectory(CgroupRoot + "ut-wbad");
        string[] refused = { "0", "10001", "-5", "max", "1k", "50 50", "99999999999999999999", "abc", "  \n" };
        for (int i = 0; i < refused.Length; i++)
            Expect(WriteCgroup("ut-wbad/cpu.weight", refused[i]), -Errno.EINVAL, "cpu.weight \"" + refused[i] + "\": EINVAL");
        ExpectText(Read("ut-wbad/cpu.weight"), "100\n", "and nothing changed");
        Expect(WriteCgroup("ut-wbad/cpu.weight", "1"), 1, "the lowest weight");
        Expect(WriteCgroup("ut-wbad/cpu.weight", "10000"), 5, "the highest");
        Expect(WriteCgroup("cpu.weight", "100"), -Errno.ENOENT, "the root has no cpu.weight");
        Expect(Sys.RemoveDirectory(CgroupRoot + "ut-wbad"), 0, "rmdir");
    }

    private static string Oneline(string text) => text == null ? "(no file)" : string.Join(", ", text.Trim().Split('\n'));
}
