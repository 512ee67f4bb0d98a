using System;
using Abi;
using TeachOS;
using static TeachOS.TestSuite;

/// <summary>
/// usertests' case for cpuset.cpus (kernel/Cgroups/CpuSets.cs): a group's CPUs, as Linux's list ("0-1,3"),
/// what it refuses, and that a process moved in, its threads' affinity and its children are held to them.
/// </summary>
public static unsafe partial class UserTests
{
    private static void CgroupCpuset()
    {
        int cpus = 0;
        while (Sys.CpuInfo(cpus, out CpuInfo _) == 1) cpus++;
        string all = cpus == 1 ? "0\n" : "0-" + (cpus - 1) + "\n";
        ExpectText(Read("cpuset.cpus.effective"), all, "the root's CPUs: every one online");
        Sys.MakeDirectory(CgroupRoot + "ut-cpuset");
        ExpectText(Read("ut-cpuset/cpuset.cpus"), "\n", "cpuset.cpus starts empty: the parent's CPUs");
        ExpectText(Read("ut-cpuset/cpuset.cpus.effective"), all, "which are all of them");
        string[] refused = { "abc", "0-", "-1", "1-0", "64", cpus.ToString(), "0,,0", "0 1", "0-99999999999999999999" };
        for (int i = 0; i < refused.Length; i++)
            Expect(WriteCgroup("ut-cpuset/cpuset.cpus", refused[i]), -Errno.EINVAL, "cpuset.cpus \"" + refused[i] + "\": EINVAL");
        Expect(WriteCgroup("ut-cpuset/cpuset.cpus.effective", "0"), -Errno.EACCES, "cpuset.cpus.effective is only read");
        Expect(WriteCgroup("ut-cpuset/cpuset.cpus", "0\n"), 2, "cpuset.cpus 0");
        ExpectText(Read("ut-cpuset/cpuset.cpus"), "0\n", "read back");
        ExpectText(Read("ut-cpuset/cpuset.cpus.effective"), "0\n", "its CPUs now");
        long pid = Sys.Fork();
        if (pid == 0) Sys.Exit(HeldToCpu0("ut-cpuset", cpus));
        Expect(WaitFor(pid), 0, "inside: the process, its child and a new thread of it run on CPU 0 only (exit 0, else the failed step)");
        Expect(WriteCgroup("ut-cpuset/cpuset.cpus", ""), 0, "an empty write changes nothing");
        Expect(WriteCgroup("ut-cpuset/cpuset.cpus", "\n"), 1, "an empty line: the parent's CPUs again");
        ExpectText(Read("ut-cpuset/cpuset.cpus.effective"), all, "all of them");
        Expect(Sys.RemoveDirectory(CgroupRoot + "ut-cpuset"), 0, "rmdir");
    }

    private static int HeldToCpu0(string group, int cpus)
    {
        if (WriteCgroup(group + "/cgroup.procs", "0") != 1) return 1;
        if (Sys.GetAffinity(0, out ulong mask) != 0 || mask != 1) return 2;          // moved in: CPU 0 only
        if (cpus > 1 && Sys.SetAffinity(0, 2) != -Errno.EINVAL) return 3;            // CPU 1 is not the group's
        if (Sys.SetAffinity(0, ulong.MaxValue) != 0) return 4;                       // asking for all gives the group's
        if (Sys.GetAffinity(0, out mask) != 0 || mask != 1) return 5;
        long child = Sys.Fork();
        if (child == 0) Sys.Exit(Sys.GetAffinity(0, out ulong childMask) == 0 && childMask == 1 ? 0 : 1);
        if (WaitFor(child) != 0) return 6;
        long thread = UserThread.Start(&AffinityIsCpu0, 0, "ut-cpuset");             // a new thread too
        if (thread < 0 || UserThread.Join((int)thread) != 0) return 7;
        return 0;
    }

    private static int AffinityIsCpu0(ulong unused) => Sys.GetAffinity(0, out ulong mask) == 0 && mask == 1 ? 0 : 1;
}
