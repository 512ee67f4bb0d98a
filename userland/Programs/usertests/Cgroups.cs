using System;
using Abi;
using TeachOS;
using static TeachOS.TestSuite;

/// <summary>
/// usertests' cases for the control groups in /sys/fs/cgroup (kernel/Cgroups/): the files and their
/// values; hostile writes; a fork bomb held by pids.max, with every task and frame back afterwards; a
/// memory hog held by memory.max; the hierarchy rule (a child group never passes its parent's limit);
/// rmdir's EBUSY; who may make groups and move processes; CPU time counted per group. Each case
/// makes its own groups (named ut-...) and removes them. The children that run inside a group report
/// the first check that failed as their exit status (0: none), as usertests/Namespaces.cs does.
/// </summary>
public static unsafe partial class UserTests
{
    private const string CgroupRoot = "/sys/fs/cgroup/";

    private static void CgroupFiles()
    {
        string procs = ReadCgroup("cgroup.procs");
        Check(ContainsLine(procs, 1), "the root's cgroup.procs lists init (pid 1)");
        Check(ContainsLine(procs, Sys.GetPid()), "and usertests itself");
        Check(ReadCgroup("pids.max") == null, "the root has no pids.max (no limits at the root, as Linux)");
        Check(ReadCgroup("cpu.stat") != null && ReadCgroup("cpu.stat").StartsWith("usage_usec "), "the root's cpu.stat");

        Expect(Sys.MakeDirectory(CgroupRoot + "ut-files"), 0, "mkdir makes a group");
        Expect(Sys.MakeDirectory(CgroupRoot + "ut-files"), -Errno.EEXIST, "twice: EEXIST");
        ExpectText(Read("ut-files/pids.max"), "max\n", "a new group's pids.max");
        ExpectText(Read("ut-files/pids.current"), "0\n", "it has no tasks");
        ExpectText(Read("ut-files/memory.max"), "max\n", "nor a memory limit");
        ExpectText(Read("ut-files/memory.current"), "0\n", "nor frames");
        ExpectText(Read("ut-files/cgroup.procs"), "", "nor processes");
        Expect(WriteCgroup("ut-files/pids.max", "8\n"), 2, "echo 8 > pids.max");
        ExpectText(Read("ut-files/pids.max"), "8\n", "reads back 8");
        Expect(WriteCgroup("ut-files/memory.max", "4M"), 2, "memory.max takes a size with a suffix");
        ExpectText(Read("ut-files/memory.max"), "4194304\n", "in bytes");
        Expect(WriteCgroup("ut-files/memory.max", "10000"), 5, "a size that is not a whole page");
        ExpectText(Read("ut-files/memory.max"), "8192\n", "is rounded down to pages, as Linux");
        Expect(WriteCgroup("ut-files/pids.max", "max"), 3, "max again");
        ExpectText(Read("ut-files/pids.max"), "max\n", "reads back max");
        string listing = Capture("/bin/ls", new[] { "ls", CgroupRoot + "ut-files" }, out int status);
        Check(status == 0 && listing.Contains("cgroup.procs") && listing.Contains("memory.events") && listing.Contains("cpu.stat"), "ls lists the files");
        Expect(Sys.RemoveDirectory(CgroupRoot + "ut-files"), 0, "rmdir of an empty group");
        Expect(Sys.Open(CgroupRoot + "ut-files/pids.max", OpenFlags.ReadOnly), -Errno.ENOENT, "gone");
    }

    private static void CgroupHostileWrites()
    {
        Sys.MakeDirectory(CgroupRoot + "ut-hostile");
        string[] garbage = { "\n", "abc", "-1", "-0", "1 2", "0x10", "8k", "max1", "99999999999999999999999", "5000000", "+5", "mAx" };
        foreach (string text in garbage)
            Expect(WriteCgroup("ut-hostile/pids.max", text), -Errno.EINVAL, "pids.max refuses \"" + text + "\"");
        ExpectText(Read("ut-hostile/pids.max"), "max\n", "and none of them changed it");
        string[] badSizes = { "\n", "k", "-4096", "4Q", "4 M", "99999999999999999999T", "18446744073709551616" };
        foreach (string text in badSizes)
            Expect(WriteCgroup("ut-hostile/memory.max", text), -Errno.EINVAL, "memory.max refuses \"" + text + "\"");
        Expect(WriteCgroup("ut-hostile/memory.max", "18446744073709551615"), 20, "the largest 64-bit number");
        ExpectText(Read("ut-hostile/memory.max"), "max\n", "means no limit");
        Expect(WriteCgroup("ut-hostile/pids.max", " 7 \n"), 4, "spaces around a number are fine");
        ExpectText(Read("ut-hostile/pids.max"), "7\n", "7");
        Expect(WriteCgroup("ut-hostile/pids.max", "4194304"), 7, "Linux's largest pid limit");
        Expect(WriteCgroup("ut-hostile/pids.current", "0"), -Errno.EACCES, "a file that is only read: EACCES");
        Expect(WriteCgroup("ut-hostile/memory.current", "0"), -Errno.EACCES, "memory.current too");
        Expect(WriteCgroup("ut-hostile/cpu.stat", "0"), -Errno.EACCES, "cpu.stat too");
        Expect(WriteCgroup("ut-hostile/cgroup.procs", "me"), -Errno.EINVAL, "cgroup.procs wants a pid");
        Expect(WriteCgroup("ut-hostile/cgroup.procs", "-1"), -Errno.EINVAL, "not a negative one");
        Expect(WriteCgroup("ut-hostile/cgroup.procs", "999999"), -Errno.ESRCH, "nor one nobody has");
        Expect(Sys.Open(CgroupRoot + "ut-hostile/new-file", OpenFlags.WriteOnly | OpenFlags.Create), -Errno.EPERM, "no file can be made in a group");
        Expect(Sys.Unlink(CgroupRoot + "ut-hostile/pids.max"), -Errno.EPERM, "nor a control file removed");
        Expect(Sys.Rename(CgroupRoot + "ut-hostile/pids.max", CgroupRoot + "ut-hostile/x"), -Errno.EPERM, "nor renamed");
        Expect(Sys.MakeDirectory(CgroupRoot + "ut-hostile/pids.max"), -Errno.EEXIST, "a group cannot take a control file's name");
        Expect(Sys.SymbolicLink("/etc", CgroupRoot + "ut-hostile/link"), -Errno.EPERM, "nor be a symbolic link");
        Expect(Sys.RemoveDirectory(CgroupRoot + "ut-hostile"), 0, "the group goes");
    }

    private static void CgroupForkBomb()
    {
        Sys.MakeDirectory(CgroupRoot + "ut-bomb");
        Expect(WriteCgroup("ut-bomb/pids.max", "8"), 1, "pids.max = 8");
        long pid = Sys.Fork();
        if (pid == 0) Sys.Exit(BombInsideTheGroup("ut-bomb", expectedForks: 7));
        Check(pid > 0, "fork");
        // The rest keep running: usertests, outside the group, still forks while the bomb is held.
        long outside = Sys.Fork();
        if (outside == 0) Sys.Exit(0);
        Check(outside > 0, "a process outside the group can still fork");
        if (outside > 0) WaitFor(outside);
        Expect(WaitFor(pid), 0, "inside: exactly 7 forks, then EAGAIN for fork, spawn and thread_create (exit 0, else the failed step)");
        ExpectText(Read("ut-bomb/pids.current"), "0\n", "every task of the group is gone once collected");
        Check(Read("ut-bomb/pids.events") != "max 0\n", "pids.events counted the refusals");

        // Frames: measured around a second bomb, since the first may grow kernel tables for good (the
        // process table, a heap page), which is not memory the bomb keeps.
        long framesBefore = FreeFramesSettled(-1);
        pid = Sys.Fork();
        if (pid == 0) Sys.Exit(BombInsideTheGroup("ut-bomb", expectedForks: 7));
        Expect(WaitFor(pid), 0, "a second bomb is held the same way");
        long framesAfter = FreeFramesSettled(framesBefore - HeapSlackFrames);
        Check(framesAfter >= framesBefore - HeapSlackFrames, "every frame the bomb took is free again: " + framesBefore + " free before, " + framesAfter + " after");
        Expect(Sys.RemoveDirectory(CgroupRoot + "ut-bomb"), 0, "the group is empty: rmdir");
    }

    // Runs in a forked child: moves itself into `group`, forks until refused, and checks the refusal.
    private static int BombInsideTheGroup(string group, int expectedForks)
    {
        if (WriteCgroup(group + "/cgroup.procs", "0") != 1) return 1;                 // 0: the writer itself
        if (!ContainsLine(Read(group + "/cgroup.procs"), Sys.GetPid())) return 2;
        Sys.Pipe(out PipeDescriptors hold);
        int forked = 0;
        long result;
        while (true)
        {
            result = Sys.Fork();
            if (result <= 0 || ++forked == 100) break;
        }
        if (result == 0)
        {
            // Each bomb child waits until the pipe's write end is gone, holding its task till then.
            Sys.Close(hold.Write);
            byte* nothing = stackalloc byte[1];
            Sys.Read(hold.Read, new Span<byte>(nothing, 1));
            Sys.Exit(0);
        }
        int failed = 0;
        if (forked != expectedForks) failed = 3;
        else if (result != -Errno.EAGAIN) failed = 4;
        else if (Read(group + "/pids.current") != (expectedForks + 1) + "\n") failed = 5;
        else if (Sys.Spawn("/bin/true", new[] { "true" }, 0, 1, 2) != -Errno.EAGAIN) failed = 6;
        else if (UserThread.Start(&SpinOnce, 0, "ut-cg") != -Errno.EAGAIN) failed = 7;
        Sys.Close(hold.Write);
        Sys.Close(hold.Read);
        while (Sys.Wait(-1, out int unused) > 0) { }
        if (failed == 0 && Read(group + "/pids.current") != "1\n") failed = 8;
        return failed;
    }

    private static int SpinOnce(ulong unused) => 0;

    private static void CgroupHierarchy()
    {
        Sys.MakeDirectory(CgroupRoot + "ut-outer");
        Expect(Sys.MakeDirectory(CgroupRoot + "ut-outer/inner"), 0, "a group inside a group");
        Expect(WriteCgroup("ut-outer/pids.max", "3"), 1, "the outer group: 3 tasks");
        Expect(WriteCgroup("ut-outer/inner/pids.max", "100"), 3, "the inner one says 100");
        long pid = Sys.Fork();
        if (pid == 0) Sys.Exit(BombInsideTheGroup("ut-outer/inner", expectedForks: 2));
        Expect(WaitFor(pid), 0, "inside the inner group: only 2 forks, the outer limit holds (exit 0, else the failed step)");
        ExpectText(Read("ut-outer/pids.current"), "0\n", "the outer count is back to 0");
        Check(Read("ut-outer/pids.events") != "max 0\n", "the refusals were counted at the outer group, whose limit it was");
        ExpectText(Read("ut-outer/inner/pids.events"), "max 0\n", "not at the inner one");
        Expect(Sys.RemoveDirectory(CgroupRoot + "ut-outer"), -Errno.EBUSY, "rmdir of a group with a child group: EBUSY");
        Expect(Sys.RemoveDirectory(CgroupRoot + "ut-outer/inner"), 0, "the inner first");
        Expect(Sys.RemoveDirectory(CgroupRoot + "ut-outer"), 0, "then the outer");
    }

    private static void CgroupMemoryHog()
    {
        Sys.MakeDirectory(CgroupRoot + "ut-mem");
        long framesBefore = FreeFramesSettled(-1);
        long pid = Sys.Fork();
        if (pid == 0) Sys.Exit(HogInsideTheGroup("ut-mem"));
        Expect(WaitFor(pid), 0, "inside: sbrk, mmap, fork and spawn all get ENOMEM at memory.max (exit 0, else the failed step)");
        Check(Read("ut-mem/memory.events") != "max 0\n", "memory.events counted the refusals");
        ExpectText(Read("ut-mem/memory.current"), "0\n", "every frame uncharged when the hog exited");
        long after = Sys.Fork();
        if (after == 0) Sys.Exit(0);
        Check(after > 0, "the system keeps running: fork outside the group");
        if (after > 0) WaitFor(after);
        Expect(Sys.RemoveDirectory(CgroupRoot + "ut-mem"), 0, "rmdir");
        long framesAfter = FreeFramesSettled(framesBefore - HeapSlackFrames);
        Check(framesAfter >= framesBefore - HeapSlackFrames, "every frame is free again: " + framesBefore + " free before, " + framesAfter + " after");
    }

    // Runs in a forked child: moves into `group`, sets the limit 256 KiB above what it has, and grows.
    private static int HogInsideTheGroup(string group)
    {
        if (WriteCgroup(group + "/cgroup.procs", "0") != 1) return 1;
        long current = ParseNumber(Read(group + "/memory.current"));
        if (current <= 0) return 2;                           // its pages came along
        const long room = 256 * 1024;
        if (WriteCgroup(group + "/memory.max", (current + room).ToString()) < 0) return 3;
        long grown = 0, step = 16 * 1024, result;
        while ((result = Sys.Sbrk(step)) >= 0) grown += step;
        if (result != -Errno.ENOMEM) return 4;
        if (grown > room || grown < room - step) return 5;    // the break stopped at the limit
        if (Sys.Fork() != -Errno.ENOMEM) return 6;            // a copy would pass it
        if (Sys.Spawn("/bin/true", new[] { "true" }, 0, 1, 2) != -Errno.ENOMEM) return 7;   // so would a program's load
        if (Sys.MapMemory(0, 64 * 1024, MemoryProtection.Read | MemoryProtection.Write, MappingFlags.Private | MappingFlags.Anonymous, -1, 0) != -Errno.ENOMEM) return 8;
        if (Sys.Sbrk(-grown) < 0) return 9;                   // given back: uncharged
        if (ParseNumber(Read(group + "/memory.current")) != current) return 10;
        return 0;
    }

    private static void CgroupRemoveBusy()
    {
        Sys.MakeDirectory(CgroupRoot + "ut-busy");
        Sys.Pipe(out PipeDescriptors hold);
        long pid = Sys.Fork();
        if (pid == 0)
        {
            Sys.Close(hold.Write);
            WriteCgroup("ut-busy/cgroup.procs", "0");
            byte* nothing = stackalloc byte[1];
            Sys.Read(hold.Read, new Span<byte>(nothing, 1));
            Sys.Exit(0);
        }
        Sys.Close(hold.Read);
        for (int i = 0; i < 200 && Read("ut-busy/pids.current") != "1\n"; i++) Sys.Sleep(5);
        ExpectText(Read("ut-busy/pids.current"), "1\n", "the child moved in");
        Expect(Sys.RemoveDirectory(CgroupRoot + "ut-busy"), -Errno.EBUSY, "rmdir of a group with a process: EBUSY");
        Expect(Sys.Unlink(CgroupRoot + "ut-busy"), -Errno.EISDIR, "unlink of a group: EISDIR");
        long open = Sys.Open(CgroupRoot + "ut-busy/pids.max", OpenFlags.ReadOnly);
        Sys.Close(hold.Write);
        WaitFor(pid);
        Expect(Sys.RemoveDirectory(CgroupRoot + "ut-busy"), 0, "once it is collected: removed");
        byte* buffer = stackalloc byte[16];
        Expect(Sys.Read((int)open, new Span<byte>(buffer, 16)), -Errno.ENODEV, "a descriptor opened before the rmdir: ENODEV");
        Sys.Close((int)open);
        Expect(Sys.RemoveDirectory(CgroupRoot + "ut-never"), -Errno.ENOENT, "rmdir of no group: ENOENT");
        Expect(Sys.RemoveDirectory("/sys/fs/cgroup"), -Errno.EBUSY, "the root is a mount point: EBUSY");
    }

    private static void CgroupPermissions()
    {
        Sys.MakeDirectory(CgroupRoot + "ut-root");
        Sys.MakeDirectory(CgroupRoot + "ut-alice");
        Expect(Sys.ChangeOwner(CgroupRoot + "ut-alice", 1000, 1000), 0, "root delegates a group to a user (chown)");
        Expect(Sys.ChangeMode(CgroupRoot + "ut-alice", 0x1FF), -Errno.EPERM, "its mode stays 0755");
        long pid = Sys.Fork();
        if (pid == 0) Sys.Exit(AsAnOrdinaryUser());
        Expect(WaitFor(pid), 0, "as uid 1000: the checks held (exit 0, else the failed step)");
        Expect(Sys.RemoveDirectory(CgroupRoot + "ut-alice"), 0, "root removes the delegated group");
        Expect(Sys.RemoveDirectory(CgroupRoot + "ut-root"), 0, "and its own");
    }

    private static int AsAnOrdinaryUser()
    {
        if (Sys.SetUserIds(1000, 1000, 1000) != 0) return 1;
        if (Sys.MakeDirectory(CgroupRoot + "ut-mine") != -Errno.EACCES) return 2;          // the root is root's
        if (WriteCgroup("ut-root/pids.max", "1") != -Errno.EACCES) return 3;              // so is that group
        if (Sys.RemoveDirectory(CgroupRoot + "ut-root") != -Errno.EACCES) return 4;
        if (Sys.MakeDirectory(CgroupRoot + "ut-alice/sub") != 0) return 5;                 // its own
        if (WriteCgroup("ut-alice/sub/pids.max", "20") != 2) return 6;
        if (WriteCgroup("ut-alice/sub/cgroup.procs", "0") != 1) return 7;                  // itself in
        if (WriteCgroup("ut-alice/cgroup.procs", "1") != -Errno.EPERM) return 8;           // not init, root's
        if (WriteCgroup("ut-alice/cgroup.procs", "0") != 1) return 9;                      // back out of sub
        if (Sys.RemoveDirectory(CgroupRoot + "ut-alice/sub") != 0) return 10;
        return 0;
    }

    private static void CgroupCpuTime()
    {
        Sys.MakeDirectory(CgroupRoot + "ut-cpu");
        long rootBefore = ParseKeyed(ReadCgroup("cpu.stat"), "usage_ticks");
        long pid = Sys.Fork();
        if (pid == 0)
        {
            WriteCgroup("ut-cpu/cgroup.procs", "0");
            long start = Sys.Uptime();
            while (Sys.Uptime() - start < 100) { }            // 100 ms on the CPU
            Sys.Exit(0);
        }
        WaitFor(pid);
        long ticks = ParseKeyed(Read("ut-cpu/cpu.stat"), "usage_ticks");
        Check(ticks >= 20, "the group's spinner was charged its ticks (" + ticks + ")");
        Check(ParseKeyed(ReadCgroup("cpu.stat"), "usage_ticks") - rootBefore >= ticks, "and the root counts them too");
        Check(ParseKeyed(Read("ut-cpu/cpu.stat"), "usage_usec") == ticks * 1000, "usage_usec: ticks of 1 ms");
        Expect(Sys.RemoveDirectory(CgroupRoot + "ut-cpu"), 0, "rmdir");
    }

    // ---- Helpers ----

    // A file's text against what it should be; the text read is shown when it differs.
    private static void ExpectText(string actual, string expected, string what) =>
        Check(actual == expected, actual == expected ? what : what + " (read \"" + (actual ?? "(no file)") + "\")");

    private static string ReadCgroup(string file) => Files.ReadAllText(CgroupRoot + file, out long unused);

    private static string Read(string file) => ReadCgroup(file);

    // One write of `text` (as echo makes it); the bytes written or the errno.
    private static long WriteCgroup(string file, string text)
    {
        long descriptor = Sys.Open(CgroupRoot + file, OpenFlags.WriteOnly);
        if (descriptor < 0) return descriptor;
        long written = Sys.Write((int)descriptor, Bytes(text));
        Sys.Close((int)descriptor);
        return written;
    }

    private static bool ContainsLine(string text, long number)
    {
        if (text == null) return false;
        string line = number.ToString();
        int start = 0;
        for (int i = 0; i <= text.Length; i++)
        {
            if (i < text.Length && text[i] != '\n') continue;
            if (text.Substring(start, i - start) == line) return true;
            start = i + 1;
        }
        return false;
    }

    private static long ParseNumber(string text)
    {
        if (text == null || text.Length == 0) return -1;
        long value = 0;
        foreach (char c in text)
        {
            if (c == '\n') break;
            if (c < '0' || c > '9') return -1;
            value = value * 10 + (c - '0');
        }
        return value;
    }

    // "KEY VALUE" lines: the value of KEY, or -1.
    private static long ParseKeyed(string text, string key)
    {
        if (text == null) return -1;
        int at = text.IndexOf(key + " ");
        return at < 0 ? -1 : ParseNumber(text.Substring(at + key.Length + 1));
    }

    // The kernel heap takes its pages from the same frames, and may keep a page or two it grew by
    // while the test ran (a control file's text, a larger run queue): the other frame counts of
    // usertests allow the same. A leak of the hog's memory or of a process is tens of frames.
    private const long HeapSlackFrames = 2;

    // Free frames, once the freed kernel stacks of collected children have come back (they are freed
    // after other CPUs' shootdowns): waits a little for at least `expected` if given, else until two reads agree.
    private static long FreeFramesSettled(long expected)
    {
        long frames = Usage().FreeFrames;
        for (int i = 0; i < 50; i++)
        {
            Sys.Sleep(10);
            long again = Usage().FreeFrames;
            if (expected >= 0 ? again >= expected : again == frames) return again;
            frames = again;
        }
        return frames;
    }
}
