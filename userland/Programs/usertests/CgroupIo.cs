using System;
using Abi;
using TeachOS;
using static TeachOS.TestSuite;

/// <summary>
/// usertests' cases for the io controller (kernel/Drivers/IoBandwidth.cs, io.max; io.stat): a writer that
/// fsyncs every 4 KiB, in a group held to 32 KiB of disk writes a second, moves that many bytes a second
/// ± 10 %, measured from the group's io.stat over 3 s of the kernel's own time (Sys.Uptime counts its
/// ticks, which a slow host slows as it slows the budget's refill); the same writer in a group without
/// limits is not held to it; a writer killed while it waits for its budget leaves at once; what io.max refuses. The disk is 254:0 (Cgroups/IoControlFiles.cs); without
/// a disk at /disk these cases are skipped (tests/Integration/DiskFileSystemTests.cs boots them with one).
/// </summary>
public static unsafe partial class UserTests
{
    private const long IoLimitBytesPerSecond = 32768;

    private static void CgroupIoMax()
    {
        if (!DiskMounted()) return;
        Sys.MakeDirectory(CgroupRoot + "ut-iomax");
        ExpectText(Read("ut-iomax/io.max"), "", "io.max starts empty: no limit on any disk");
        Check(IoCount(Read("ut-iomax/io.stat"), "wbytes") == 0, "io.stat starts at 0: " + Read("ut-iomax/io.stat"));
        Expect(WriteCgroup("ut-iomax/io.max", "254:0 wbps=32768\n"), 17, "io.max: 32 KiB of writes a second");
        ExpectText(Read("ut-iomax/io.max"), "254:0 rbps=max wbps=32768 riops=max wiops=max\n", "read back, the other keys max");

        long writer = SyncedWriter("ut-iomax", "/disk/ut-iomax.dat");
        Sys.Sleep(500);                                   // past the first transaction's start
        string before = Read("ut-iomax/io.stat");
        long start = Sys.Uptime();
        Sys.Sleep(3000);
        string after = Read("ut-iomax/io.stat");
        long elapsedMs = Sys.Uptime() - start;
        Sys.Kill((int)writer);
        WaitFor(writer);

        long bytes = IoCount(after, "wbytes") - IoCount(before, "wbytes");
        long rate = elapsedMs > 0 ? bytes * 1000 / elapsedMs : 0;
        Console.WriteLine("  held to 32768 B/s: " + bytes + " bytes in " + elapsedMs + " ms of kernel time, " + rate + " B/s; io.stat " + after.Trim());
        Check(rate >= IoLimitBytesPerSecond * 9 / 10 && rate <= IoLimitBytesPerSecond * 11 / 10,
            "within 10 % of the limit over the kernel's own time: " + rate + " B/s");
        Check(IoCount(after, "wbytes") == IoCount(after, "wios") * 1024, "wbytes counts whole 1 KiB blocks, one request each");

        Expect(WriteCgroup("ut-iomax/io.max", "254:0 wbps=max"), 14, "wbps=max lifts the limit");
        ExpectText(Read("ut-iomax/io.max"), "", "and a disk without limits is left out again");
        Expect(Sys.Unlink("/disk/ut-iomax.dat"), 0, "unlink the writer's file");
        Expect(Sys.RemoveDirectory(CgroupRoot + "ut-iomax"), 0, "rmdir");
    }

    // The same writer in a group without io.max: counted in its io.stat, and not held to any limit
    // (a disk under TCG moves far more than 32 KiB a second).
    private static void CgroupIoUnlimited()
    {
        if (!DiskMounted()) return;
        Sys.MakeDirectory(CgroupRoot + "ut-iofree");
        long writer = SyncedWriter("ut-iofree", "/disk/ut-iofree.dat");
        Sys.Sleep(200);
        string before = Read("ut-iofree/io.stat");
        long start = Sys.Uptime();
        Sys.Sleep(1000);
        string after = Read("ut-iofree/io.stat");
        long elapsedMs = Sys.Uptime() - start;
        Sys.Kill((int)writer);
        WaitFor(writer);
        long bytes = IoCount(after, "wbytes") - IoCount(before, "wbytes");
        long rate = elapsedMs > 0 ? bytes * 1000 / elapsedMs : 0;
        Console.WriteLine("  no limit: " + bytes + " bytes in " + elapsedMs + " ms, " + rate + " B/s; io.stat " + after.Trim());
        Check(rate > IoLimitBytesPerSecond * 2, "a group without io.max is not held back: " + rate + " B/s");
        Check(IoCount(after, "wios") > 0 && IoCount(after, "rios") >= 0, "io.stat counts its writes: " + after.Trim());
        Expect(Sys.Unlink("/disk/ut-iofree.dat"), 0, "unlink the writer's file");
        Expect(Sys.RemoveDirectory(CgroupRoot + "ut-iofree"), 0, "rmdir");
    }

    // A writer held to 100 bytes a second waits ten seconds for each block; killed while it waits, it
    // must leave at once (a killed process's requests wait no more), and its group be removable.
    private static void CgroupIoMaxKill()
    {
        if (!DiskMounted()) return;
        Sys.MakeDirectory(CgroupRoot + "ut-iokill");
        Expect(WriteCgroup("ut-iokill/io.max", "254:0 wbps=100"), 14, "io.max: 100 bytes of writes a second");
        long writer = SyncedWriter("ut-iokill", "/disk/ut-iokill.dat");
        Sys.Sleep(500);
        long start = Sys.Uptime();
        Sys.Kill((int)writer);
        WaitFor(writer);
        long tookMs = Sys.Uptime() - start;
        Check(tookMs < 2000, "a writer killed while it waits for its budget leaves at once: " + tookMs + " ms");
        Expect(Sys.Unlink("/disk/ut-iokill.dat"), 0, "unlink the writer's file");
        Expect(Sys.RemoveDirectory(CgroupRoot + "ut-iokill"), 0, "rmdir");
    }

    // A child in `group` that writes 4 KiB and fsyncs, again and again, until killed.
    private static long SyncedWriter(string group, string path)
    {
        long pid = Sys.Fork();
        if (pid == 0)
        {
            if (WriteCgroup(group + "/cgroup.procs", "0") != 1) Sys.Exit(1);
            long fd = Sys.Open(path, OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Truncate);
            if (fd < 0) Sys.Exit(2);
            byte[] block = new byte[4096];
            for (int i = 0; i < block.Length; i++) block[i] = (byte)i;
            while (true)
            {
                if (Sys.Write((int)fd, block) != block.Length || Sys.Sync((int)fd) != 0) Sys.Exit(3);
            }
        }
        return pid;
    }

    private static void CgroupIoMaxHostile()
    {
        if (!DiskMounted()) return;
        Sys.MakeDirectory(CgroupRoot + "ut-iobad");
        Expect(WriteCgroup("ut-iobad/io.max", "254:0 rbps=1000000 wiops=50"), 27, "a good value first");
        string good = "254:0 rbps=1000000 wbps=max riops=max wiops=50\n";
        ExpectText(Read("ut-iobad/io.max"), good, "read back");
        string[] refused =
        {
            "garbage", "254:0", "254:0 ", "254:1 wbps=100", "8:0 wbps=100", "254 wbps=100", ":0 wbps=100", "254: wbps=100",
            "0254:0 wbps=100", "254:00 wbps=100", "-254:0 wbps=100", "254:0 wbps=-1", "254:0 wbps=0", "254:0 wbps=",
            "254:0 wbps", "254:0 =100", "254:0 xbps=100", "254:0 wbps=1k", "254:0 wbps=max=3", "254:0 wbps=100 junk",
            "254:0 wbps=99999999999999999999", "254:0 wbps=1099511627777", "254:0 WBPS=100", "  \n",
            "99999999999999999999:0 wbps=100", "254:99999999999999999999 wbps=100",
        };
        for (int i = 0; i < refused.Length; i++)
            Expect(WriteCgroup("ut-iobad/io.max", refused[i]), -Errno.EINVAL, "io.max \"" + refused[i] + "\": EINVAL");
        ExpectText(Read("ut-iobad/io.max"), good, "and nothing changed");
        Expect(WriteCgroup("ut-iobad/io.max", "254:0 wbps=1099511627776"), 24, "the largest limit, 2^40");
        Expect(WriteCgroup("ut-iobad/io.max", "254:0 rbps=max wbps=max riops=max wiops=max"), 43, "all max");
        ExpectText(Read("ut-iobad/io.max"), "", "no limits: empty");
        Expect(WriteCgroup("ut-iobad/io.stat", "0"), -Errno.EACCES, "io.stat cannot be written");
        Expect(WriteCgroup("io.max", "254:0 wbps=100"), -Errno.ENOENT, "the root has no io.max, as on Linux");
        Expect(Sys.RemoveDirectory(CgroupRoot + "ut-iobad"), 0, "rmdir");
    }

    // "MAJ:MIN key=N ..." (io.stat): the value of key, or -1.
    private static long IoCount(string text, string key)
    {
        if (text == null) return -1;
        int at = text.IndexOf(" " + key + "=");
        if (at < 0) return -1;
        long value = 0;
        for (int i = at + key.Length + 2; i < text.Length && text[i] >= '0' && text[i] <= '9'; i++) value = value * 10 + (text[i] - '0');
        return value;
    }
}
