using System;
using Abi;
using TeachOS;
using static TeachOS.TestSuite;

/// <summary>
/// usertests' cases for the PID and UTS namespaces (kernel/Namespaces/PidNamespace.cs, UtsNamespace.cs). Each
/// case forks a child to call unshare, so that usertests' own children stay in its namespace. A forked
/// process reports the first check that failed as its exit status (0: none), which the case expects to be 0.
/// </summary>
public static unsafe partial class UserTests
{
    private static void PidNamespaceInit()
    {
        long unsharer = Sys.Fork();
        if (unsharer == 0) Sys.Exit(UnshareAndForkInit());
        Expect(WaitFor(unsharer), 0, "the unsharer's and the namespace init's checks held (else: the failed step, init's + 20)");
    }

    private static int UnshareAndForkInit()
    {
        long own = Sys.GetPid();
        if (Sys.Unshare(NamespaceFlags.Pid) != 0) return 1;
        if (Sys.GetPid() != own) return 2;                                            // the caller keeps its pid
        if (Sys.Unshare(NamespaceFlags.Pid) != -Errno.EINVAL) return 3;              // its children's namespace is new already
        long init = Sys.Fork();
        if (init == 0) Sys.Exit(InsideAsInit(own));
        if (init <= 1) return 4;                                                     // outside, pid 1 has an ordinary number
        if (!Sees(init)) return 5;                                                   // and ps outside shows it under that number
        if (Sys.Wait((int)init, out int status) != init) return 6;
        return status == 0 ? 0 : 20 + status;
    }

    // Runs as pid 1 of the new namespace; `parentOutside` is its parent's pid, outside the namespace.
    private static int InsideAsInit(long parentOutside)
    {
        if (Sys.GetPid() != 1) return 1;
        if (Sys.GetParentPid() != 0) return 2;                                       // the parent is outside: 0
        if (Sys.Kill((int)parentOutside) != -Errno.ESRCH) return 3;                  // an outside pid names nothing here
        for (int index = 0; Sys.ThreadInfo(index, out ThreadInfo info) == 1; index++)
            if (info.ProcessId != 1) return 4;                                       // only itself, before it forks
        long child = Sys.Fork();
        if (child == 0) Sys.Exit(Sys.GetPid() == 2 && Sys.GetParentPid() == 1 ? 0 : 1);
        if (child != 2) return 5;
        if (Sys.Wait((int)child, out int status) != 2 || status != 0) return 6;
        string listing = Capture("/bin/ps", new[] { "ps" }, out status);           // ps, spawned here, is pid 3
        if (status != 0) return 7;
        string[] lines = listing.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length < 3) return 8;                                              // the header, init and ps
        for (int i = 1; i < lines.Length; i++)
        {
            string pid = lines[i].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
            if (pid != "1" && pid != "3") return 9;
        }
        return 0;
    }

    private static bool Sees(long pid)
    {
        for (int index = 0; Sys.ThreadInfo(index, out ThreadInfo info) == 1; index++)
            if (info.ProcessId == pid) return true;
        return false;
    }

    private static void PidNamespaceOrphans()
    {
        long unsharer = Sys.Fork();
        if (unsharer == 0)
        {
            if (Sys.Unshare(NamespaceFlags.Pid) != 0) Sys.Exit(1);
            long init = Sys.Fork();
            if (init == 0) Sys.Exit(AdoptAnOrphan());
            Sys.Exit(init > 0 && Sys.Wait((int)init, out int status) == init ? status : 2);
        }
        Expect(WaitFor(unsharer), 0, "the namespace's init adopted the orphan and collected it (else: the failed step)");
    }

    // pid 1: its child (2) forks a grandchild (3) and exits; the grandchild must come to pid 1, not to the real init.
    private static int AdoptAnOrphan()
    {
        long middle = Sys.Fork();
        if (middle == 0)
        {
            long orphan = Sys.Fork();
            if (orphan == 0)
            {
                for (int tries = 0; tries < 200 && Sys.GetParentPid() != 1; tries++) Sys.Sleep(10);
                Sys.Exit(Sys.GetParentPid() == 1 ? 0 : 1);
            }
            Sys.Exit(orphan == 3 ? 0 : 1);
        }
        if (Sys.Wait((int)middle, out int status) != 2 || status != 0) return 3;
        if (Sys.Wait(-1, out status) != 3) return 4;                                 // the adopted orphan, collected here
        return status == 0 ? 0 : 5;
    }

    private static void PidNamespaceInitKilled()
    {
        IpcUsage before = Usage();
        long unsharer = Sys.Fork();
        if (unsharer == 0) Sys.Exit(KillTheInit());
        Expect(WaitFor(unsharer), 0, "killing pid 1 killed its namespace, and the namespace took no new process (else: the failed step)");
        // A dead thread's kernel stack is queued when its CPU switches away from it and freed at a later
        // system call (Mem/KernelStack.cs Free): on several CPUs the last one may still be on its way back.
        IpcUsage after = Usage();
        for (int tries = 0; tries < 100 && after.FreeFrames < before.FreeFrames - 2; tries++)
        {
            Sys.Sleep(10);
            after = Usage();
        }
        Console.WriteLine("pidns-kill-init: free frames " + before.FreeFrames + " before, " + after.FreeFrames + " after");
        Check(after.FreeFrames >= before.FreeFrames - 2, "the namespace's four processes gave their frames back: " + before.FreeFrames + " free before, " + after.FreeFrames + " after");
    }

    private static int KillTheInit()
    {
        if (Sys.Unshare(NamespaceFlags.Pid) != 0) return 1;
        Sys.Pipe(out PipeDescriptors ready);
        long init = Sys.Fork();
        if (init == 0)
        {
            for (int i = 0; i < 3; i++)
                if (Sys.Fork() == 0) { Sys.Sleep(100000); Sys.Exit(0); }          // three sleepers, pids 2-4
            byte* one = stackalloc byte[1];
            Sys.Write(ready.Write, new ReadOnlySpan<byte>(one, 1));
            Sys.Sleep(100000);
            Sys.Exit(0);
        }
        byte* got = stackalloc byte[1];
        if (init < 0 || Sys.Read(ready.Read, new Span<byte>(got, 1)) != 1) return 2;
        if (ChildrenOf(init) != 3) return 3;                                         // seen from outside, with outer pids
        if (Sys.Kill((int)init) != 0) return 4;
        if (Sys.Wait((int)init, out int status) != init || status != 137) return 5;
        if (ChildrenOf(init) != 0 || Sees(init)) return 6;                          // its namespace died with it
        if (Sys.Fork() != -Errno.ENOMEM) return 7;                                   // Linux: no new process in a dead namespace
        if (Sys.Spawn("/bin/true", new[] { "true" }, 0, 1, 2) != -Errno.ENOMEM) return 8;
        return 0;
    }

    private static int ChildrenOf(long pid)
    {
        int count = 0;
        for (int index = 0; Sys.ThreadInfo(index, out ThreadInfo info) == 1; index++)
            if (info.ParentProcessId == pid) count++;
        return count;
    }

    private const int PidNamespaceLevels = 32;                                       // Linux's MAX_PID_NS_LEVEL

    private static void PidNamespaceNesting()
    {
        long unsharer = Sys.Fork();
        if (unsharer == 0) Sys.Exit(NestOneLevel(1));
        Expect(WaitFor(unsharer), 0, "32 nested PID namespaces, each child pid 1 of its own, the 33rd refused with ENOSPC (else: the level that failed)");
    }

    // Makes namespace `level` and its init, which makes the next; at level 33, unshare must refuse.
    private static int NestOneLevel(int level)
    {
        long result = Sys.Unshare(NamespaceFlags.Pid);
        if (level > PidNamespaceLevels) return result == -Errno.ENOSPC ? 0 : level;
        if (result != 0) return level;
        long init = Sys.Fork();
        if (init == 0)
            Sys.Exit(Sys.GetPid() == 1 && Sys.GetParentPid() == 0 ? NestOneLevel(level + 1) : level);
        if (init < 0 || Sys.Wait((int)init, out int status) != init) return level;
        return status;
    }

    private static void UtsNamespaceIsolation()
    {
        string outside = HostName.Get();
        Check(outside.Length > 0, "the host name: " + outside);
        long child = Sys.Fork();
        if (child == 0)
        {
            if (Sys.Unshare(NamespaceFlags.Uts) != 0) Sys.Exit(1);
            if (HostName.Get() != outside) Sys.Exit(2);                             // a new namespace starts with the old name
            if (HostName.Set("ut-inside") != 0) Sys.Exit(3);
            if (HostName.Get() != "ut-inside") Sys.Exit(4);
            string printed = Capture("/bin/hostname", new[] { "hostname" }, out int status);
            Sys.Exit(status == 0 && printed == "ut-inside\n" ? 0 : 5);            // children see it too
        }
        Expect(WaitFor(child), 0, "inside a new UTS namespace the name changed for it and its children (else: the failed step)");
        Check(HostName.Get() == outside, "outside, the name is as it was");
        Expect(Sys.SetHostName(ReadOnlySpan<byte>.Empty), -Errno.EINVAL, "an empty host name");
        Expect(HostName.Set(new string('a', HostName.MaximumLength + 1)), -Errno.EINVAL, "a name of 65 bytes");
        Expect(HostName.Set(outside), 0, "root may set it (to what it was)");
    }
}
