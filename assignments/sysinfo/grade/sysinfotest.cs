using System.Runtime.InteropServices;
using TeachOS;

/// <summary>
/// sysinfotest: the test program of the sysinfo assignment (docs/assignments/sysinfo.md). It calls
/// SysInfo(out SystemInfo), syscall 31, through Sys.Call with the address of its own copy of the
/// structure the handout specifies (Abi.SystemInfo exists only once the student declares it), and
/// checks the answers against what it does itself: memory it maps with sbrk, a child it spawns, a
/// thread it starts. Every check is made in user space and reported with Grade.Check.
/// </summary>
public static unsafe class SysInfoTest
{
    private const long SysInfoNumber = 31;
    private const long PageSize = 4096;

    /// <summary>The layout the handout specifies for Abi.SystemInfo: 24 bytes.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct SystemInfo
    {
        public long FreeMemory;      // bytes of free physical memory
        public long TotalMemory;     // bytes of physical memory the kernel manages
        public int Processes;        // processes that exist, zombies included
        public int Threads;          // threads that exist, the kernel's own included
    }

    private static long SysInfo(SystemInfo* info) => Sys.Call(SysInfoNumber, (ulong)info);

    public static int Main(string[] args) => Grade.Run(args, new[]
    {
        new GradePart { Name = "returns-zero", Body = &ReturnsZeroAndPlausibleMemory },
        new GradePart { Name = "follows-sbrk", Body = &FreeMemoryFollowsSbrk },
        new GradePart { Name = "processes", Body = &ProcessesAreCounted },
        new GradePart { Name = "threads", Body = &ThreadsAreCounted },
        new GradePart { Name = "bad-pointers", Body = &BadPointersAreRefused },
        new GradePart { Name = "failed-copy", Body = &AFailedCopyWritesNothing },
    });

    private static void ReturnsZeroAndPlausibleMemory()
    {
        SystemInfo info;
        long result = SysInfo(&info);
        if (!Grade.Check("sysinfo-returns-zero", result == 0, "SysInfo(&info) returned " + Grade.Describe(result)))
            info = default;

        Grade.Check("memory-plausible",
            info.TotalMemory >= 128 * 1024 * 1024 && info.TotalMemory <= 256 * 1024 * 1024 &&
            info.FreeMemory > 0 && info.FreeMemory < info.TotalMemory &&
            info.FreeMemory % PageSize == 0 && info.TotalMemory % PageSize == 0,
            "with 256 MiB of RAM, expected whole pages, 128 MiB <= total <= 256 MiB and 0 < free < total; got free " +
            info.FreeMemory + ", total " + info.TotalMemory + ", " + info.Processes + " processes, " + info.Threads + " threads");
    }

    private static long FreeMemory()
    {
        SystemInfo info;
        return SysInfo(&info) == 0 ? info.FreeMemory : -1;
    }

    private static void FreeMemoryFollowsSbrk()
    {
        const long Pages = 64;
        long before = FreeMemory();
        long start = Sys.Sbrk(Pages * PageSize);
        for (long page = 0; page < Pages; page++) ((byte*)start)[page * PageSize] = 1;
        long grown = FreeMemory();
        Sys.Sbrk(-Pages * PageSize);
        long shrunk = FreeMemory();
        // Growing maps 64 new pages (and perhaps a page table or two); shrinking gives the pages back.
        long used = before - grown, returned = shrunk - grown;
        Grade.Check("free-memory-follows-sbrk",
            before > 0 && used >= Pages * PageSize && used <= (Pages + 4) * PageSize &&
            returned >= Pages * PageSize && returned <= used,
            "sbrk(+64 pages) should lower free memory by 64 to 68 pages and sbrk(-64 pages) raise it by 64 " +
            "again; free was " + before + ", then " + grown + ", then " + shrunk + " bytes");
    }

    private static int ProcessCount()
    {
        SystemInfo info;
        return SysInfo(&info) == 0 ? info.Processes : -1;
    }

    private static void ProcessesAreCounted()
    {
        int before = ProcessCount();
        long child = Sys.Spawn("/bin/sleep", new[] { "sleep", "100000" }, 0, 1, 2);
        int during = ProcessCount();
        Sys.Kill((int)child);
        Sys.Wait((int)child, out int unused);
        int after = ProcessCount();
        // A zombie still exists: a killed child that has exited counts until our wait collects it.
        // Kill answers -ESRCH once the child is a zombie, so that is what we wait for (not a guess).
        long zombie = Sys.Spawn("/bin/sleep", new[] { "sleep", "100000" }, 0, 1, 2);
        long deadline = Sys.Uptime() + 5000;
        while (Sys.Kill((int)zombie) == 0 && Sys.Uptime() < deadline) Sys.Sleep(10);
        int exited = ProcessCount();
        Sys.Wait((int)zombie, out unused);
        int collected = ProcessCount();
        Grade.Check("processes-counted",
            before >= 1 && during == before + 1 && after == before && exited == before + 1 && collected == before,
            "expected n >= 1 processes, n + 1 while a child sleeps, n once it is collected, n + 1 while an exited " +
            "child waits to be collected (a zombie counts), n after; got " + before + ", " + during + ", " + after +
            ", " + exited + ", " + collected);
    }

    private static int ThreadCount()
    {
        SystemInfo info;
        return SysInfo(&info) == 0 ? info.Threads : -1;
    }

    private static int Nap(ulong milliseconds)
    {
        Sys.Sleep((long)milliseconds);
        return 0;
    }

    private static void ThreadsAreCounted()
    {
        int before = ThreadCount();
        int thread = UserThread.Start(&Nap, 200, "nap");
        int during = ThreadCount();
        UserThread.Join(thread);
        int after = ThreadCount();
        Grade.Check("threads-counted", before >= 2 && during == before + 1 && after == before,
            "expected n threads (this one and the kernel's), n + 1 while a second thread sleeps, n once it is " +
            "joined; got " + before + ", " + during + ", " + after);
    }

    private static void BadPointersAreRefused()
    {
        ulong[] pointers = { 0, BadAddresses.KernelAddress, BadAddresses.UnmappedAddress, BadAddresses.ReadOnlyCode, BadAddresses.EndOfUserSpace - 8 };
        string[] names = { "null", "a kernel address", "an unmapped address", "read-only code", "a struct crossing the end of user space" };
        string wrong = "";
        for (int i = 0; i < pointers.Length; i++)
        {
            long result = Sys.Call(SysInfoNumber, pointers[i]);
            if (result != -Abi.Errno.EFAULT) wrong += " " + names[i] + " gave " + Grade.Describe(result) + ";";
        }
        Grade.Check("bad-pointers-efault", wrong.Length == 0, "each bad pointer should give -EFAULT:" + wrong);
    }

    private static void AFailedCopyWritesNothing()
    {
        // The last 8 bytes of the heap's last page are writable; the 16 bytes after them are not
        // mapped. A structure there must be refused as a whole, before any byte is written.
        Sys.Sbrk(PageSize);
        long pageEnd = (Sys.Sbrk(0) + PageSize - 1) & ~(PageSize - 1);
        ulong* lastWord = (ulong*)(pageEnd - 8);
        *lastWord = 0xABABABABABABABAB;
        long result = Sys.Call(SysInfoNumber, (ulong)lastWord);
        Grade.Check("failed-copy-writes-nothing", result == -Abi.Errno.EFAULT && *lastWord == 0xABABABABABABABAB,
            "a SystemInfo half on a mapped page should give -EFAULT and leave that half alone; got " +
            Grade.Describe(result) + ", the mapped half now " + (*lastWord == 0xABABABABABABABAB ? "unchanged" : "changed"));
    }
}
