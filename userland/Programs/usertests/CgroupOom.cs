using System;
using Abi;
using TeachOS;
using static TeachOS.TestSuite;

/// <summary>
/// usertests' case for a control group's OOM kill (kernel/Cgroups/GroupOutOfMemory.cs): a hog fills its
/// group to memory.max and waits; when another process of the group is refused memory, the hog, the
/// group's largest, is killed (137), the refused process gets its memory a moment later, memory.events
/// counts oom_kill, and a process outside the group goes on untouched.
/// </summary>
public static unsafe partial class UserTests
{
    private static void CgroupOomKill()
    {
        Sys.MakeDirectory(CgroupRoot + "ut-oom");
        Sys.Pipe(out PipeDescriptors ready);
        long hog = Sys.Fork();
        if (hog == 0)
        {
            Sys.Close(ready.Read);
            Sys.Exit(FillTheGroupThenWait("ut-oom", ready.Write));
        }
        Sys.Close(ready.Write);
        byte* signal = stackalloc byte[1];
        Expect(Sys.Read(ready.Read, new Span<byte>(signal, 1)), 1, "the hog filled its group up to memory.max, and waits");
        Sys.Close(ready.Read);

        long outside = Sys.Fork();
        if (outside == 0)
        {
            Sys.Sleep(200);
            Sys.Exit(Sys.Sbrk(64 * 1024) >= 0 ? 0 : 1);       // memory outside the group is there as before
        }
        long asker = Sys.Fork();
        if (asker == 0) Sys.Exit(AskInTheFullGroup("ut-oom"));
        Expect(WaitFor(hog), 137, "the hog, the group's largest process, was killed");
        Expect(WaitFor(asker), 0, "the refused process was spared and got its memory once the hog was gone (exit 0, else the failed step)");
        Expect(WaitFor(outside), 0, "the process outside the group ran on");
        string events = Read("ut-oom/memory.events");
        Check(events != null && events.Contains("oom_kill 1\n") && !events.StartsWith("max 0\n"), "memory.events counts the refusals and one OOM kill: " + Oneline(events));
        ExpectText(Read("memory.events"), null, "the root has no memory.events");
        Expect(Sys.RemoveDirectory(CgroupRoot + "ut-oom"), 0, "rmdir");
    }

    // The hog: in `group`, with memory.max 256 KiB above what it has, grows until refused, tells, waits.
    private static int FillTheGroupThenWait(string group, int ready)
    {
        if (WriteCgroup(group + "/cgroup.procs", "0") != 1) return 1;
        long current = ParseNumber(Read(group + "/memory.current"));
        if (WriteCgroup(group + "/memory.max", (current + 256 * 1024).ToString()) < 0) return 2;
        long result;
        while ((result = Sys.Sbrk(16 * 1024)) >= 0) { }
        if (result != -Errno.ENOMEM) return 3;             // alone in its group, it is refused, not killed
        byte* one = stackalloc byte[1];
        Sys.Write(ready, new Span<byte>(one, 1));
        while (true) Sys.Sleep(1000);
    }

    // Moves into the full group (a move may pass memory.max), is refused 64 KiB, which kills the hog,
    // then asks again until the hog's frames are back.
    private static int AskInTheFullGroup(string group)
    {
        if (WriteCgroup(group + "/cgroup.procs", "0") != 1) return 1;
        if (Sys.Sbrk(64 * 1024) != -Errno.ENOMEM) return 2;
        for (int i = 0; i < 500; i++)
        {
            if (Sys.Sbrk(64 * 1024) >= 0) return 0;
            Sys.Sleep(10);
        }
        return 3;
    }
}
