using System;
using Abi;
using TeachOS;
using static TeachOS.TestSuite;

/// <summary>
/// usertests' cases for the lazy heap (kernel/Proc/ProgramBreak.cs, kernel/Proc/UserPageFaults.cs):
/// sbrk maps nothing, the first touch of a page maps a zeroed frame, sbrk down frees what was touched
/// and forgets what was not, a touch past the break is still a fault, the kernel's copies into and out
/// of pages nobody touched yet work (they fault the pages in), fork copies the touched pages and leaves
/// the others lazy in both, and two threads touching the same fresh pages at once map each page once.
/// Nothing between a test's sbrks allocates: a `new` could take the heap's pages.
/// </summary>
public static unsafe partial class UserTests
{
    private const int LazyPages = 64;

    // The break, moved up to the next page boundary, so that a test's pages start on one.
    private static long AlignBreak()
    {
        long now = Sys.Sbrk(0);
        long padding = (Page - now % Page) % Page;
        Sys.Sbrk(padding);
        return now + padding;
    }

    private static void LazySbrk()
    {
        long start = AlignBreak();
        Expect(Sys.Sbrk(LazyPages * Page), start, "sbrk of 64 pages");
        byte* heap = (byte*)start;
        bool zero = true;
        for (int page = 0; page < LazyPages; page += 2) zero &= heap[page * Page + 100] == 0;    // a read maps a page
        Check(zero, "a first read of a fresh page sees zeros");
        for (int page = 0; page < LazyPages; page++) heap[page * Page + 7] = (byte)(page + 1);   // writes to read and unread pages
        bool kept = true;
        for (int page = 0; page < LazyPages; page++) kept &= heap[page * Page + 7] == (byte)(page + 1) && heap[page * Page + 100] == 0;
        Check(kept, "every page keeps what was written to it");

        // Down over touched and untouched pages alike, then up again: the pages come back zeroed.
        Expect(Sys.Sbrk(-LazyPages / 2 * Page), start + LazyPages * Page, "sbrk down by half");
        Expect(Sys.Sbrk(LazyPages / 2 * Page), start + LazyPages / 2 * Page, "and up again");
        zero = true;
        for (int page = LazyPages / 2; page < LazyPages; page++) zero &= heap[page * Page + 7] == 0;
        Check(zero, "pages given back and grown again are zero, not what was written before");
        kept = true;
        for (int page = 0; page < LazyPages / 2; page++) kept &= heap[page * Page + 7] == (byte)(page + 1);
        Check(kept, "the pages below the shrink kept their bytes");
        Expect(Sys.Sbrk(-LazyPages * Page), start + LazyPages * Page, "sbrk down over all of it");

        // Untouched pages only: a big grow and shrink that never touches memory.
        Expect(Sys.Sbrk(16 * 1024 * 1024), start, "16 MiB of heap, none of it touched");
        Expect(Sys.Sbrk(-16 * 1024 * 1024), start + 16 * 1024 * 1024, "and given back untouched");
        Expect(Sys.Sbrk(0), start, "the break is back");

        // A break in the middle of a page: its page is the heap's, the next is not.
        Sys.Sbrk(Page / 2);
        heap[Page / 2 - 1] = 42;
        heap[Page - 1] = 43;                            // still the break's page: mapped whole, as Unix does
        Check(heap[Page / 2 - 1] == 42 && heap[Page - 1] == 43, "the page of a break in mid-page is usable");
        Sys.Sbrk(-Page / 2);
    }

    private static int TouchPastTheBreak()
    {
        byte* end = (byte*)AlignBreak();
        end[0] = 1;                                     // nothing is there: killed
        return 0;
    }

    private static int TouchAfterShrink()
    {
        long start = AlignBreak();
        Sys.Sbrk(2 * Page);
        ((byte*)start)[Page] = 1;
        Sys.Sbrk(-Page);
        return ((byte*)start)[Page];                    // given back: killed
    }

    private static int ExecuteTheHeap()
    {
        long start = AlignBreak();
        Sys.Sbrk(Page);
        ((byte*)start)[0] = 0xC3;                       // ret: the heap is not executable, touched or not
        ((delegate*<void>)start)();
        return 0;
    }

    private static void LazyFaults()
    {
        Expect(WaitFor(ForkRunning(&TouchPastTheBreak)), 139, "a touch past the break is a fault (SIGSEGV)");
        Expect(WaitFor(ForkRunning(&TouchAfterShrink)), 139, "a touch of a page sbrk gave back is a fault");
        Expect(WaitFor(ForkRunning(&ExecuteTheHeap)), 139, "a jump into the heap is a fault");
    }

    // The kernel's copies into and out of pages the program never touched, at page edges.
    private static int KernelCopiesInChild()
    {
        long start = AlignBreak();
        if (Sys.Sbrk(6 * Page) != start) return 1;
        byte* heap = (byte*)start;
        Sys.Pipe(out PipeDescriptors pipe);

        // write() from two untouched pages: the kernel reads zeros.
        if (Sys.Write(pipe.Write, new ReadOnlySpan<byte>(heap + Page - 8, 16)) != 16) return 2;
        // read() into two other untouched pages, across their edge.
        if (Sys.Read(pipe.Read, new Span<byte>(heap + 3 * Page - 8, 16)) != 16) return 3;
        for (int i = 0; i < 16; i++) if (heap[Page - 8 + i] != 0 || heap[3 * Page - 8 + i] != 0) return 4;

        // A file read into an untouched page: the bytes are the file's.
        long fd = Sys.Open("/etc/motd", OpenFlags.ReadOnly);
        byte* expected = stackalloc byte[32];
        long length = Sys.Read((int)fd, new Span<byte>(expected, 32));
        Sys.Close((int)fd);
        fd = Sys.Open("/etc/motd", OpenFlags.ReadOnly);
        if (length <= 0 || Sys.Read((int)fd, new Span<byte>(heap + 4 * Page - 5, (int)length)) != length) return 5;
        for (int i = 0; i < length; i++) if (heap[4 * Page - 5 + i] != expected[i]) return 6;

        // An out-structure (fstat) in an untouched page, straddling its end.
        FileStatus* status = (FileStatus*)(heap + 5 * Page - 4);
        if (Sys.Call(SyscallNumbers.FileStatus, (ulong)fd, (ulong)status) != 0 || status->Kind != 1) return 7;
        Sys.Close((int)fd);

        // The last page of the heap is lazy too, but not a byte past the break.
        byte* end = heap + 6 * Page;
        Sys.Write(pipe.Write, new ReadOnlySpan<byte>(expected, 8));
        if (Sys.Read(pipe.Read, new Span<byte>(end - 8, 8)) != 8 || end[-8] != expected[0]) return 8;
        if (Sys.Call(SyscallNumbers.Write, (ulong)pipe.Write, (ulong)(end - 4), 8) != -Errno.EFAULT) return 9;
        Sys.Write(pipe.Write, new ReadOnlySpan<byte>(expected, 8));
        if (Sys.Call(SyscallNumbers.Read, (ulong)pipe.Read, (ulong)(end - 4), 8) != -Errno.EFAULT) return 10;
        Sys.Close(pipe.Read);
        Sys.Close(pipe.Write);
        return 0;
    }

    private static void LazyKernelCopies() =>
        Expect(WaitFor(ForkRunning(&KernelCopiesInChild)), 0, "read, write and fstat with buffers in untouched heap pages (0: all held)");

    private static int LazyForkChild()
    {
        byte* heap = (byte*)s_lazyHeap;
        for (int page = 0; page < 8; page++)
        {
            byte expected = page % 2 == 0 ? (byte)(page + 1) : (byte)0;
            if (heap[page * Page] != expected) return 1 + page;
        }
        for (int page = 0; page < 8; page++) heap[page * Page] = 99;
        return 0;
    }

    private static long s_lazyHeap;

    private static void LazyFork()
    {
        s_lazyHeap = AlignBreak();
        Sys.Sbrk(8 * Page);
        byte* heap = (byte*)s_lazyHeap;
        for (int page = 0; page < 8; page += 2) heap[page * Page] = (byte)(page + 1);
        Expect(WaitFor(ForkRunning(&LazyForkChild)), 0, "the child sees the touched pages' bytes and zeros in the others, then writes all");
        bool same = true;
        for (int page = 0; page < 8; page++) same &= heap[page * Page] == (page % 2 == 0 ? (byte)(page + 1) : (byte)0);
        Check(same, "the child's writes, to touched and untouched pages, did not reach the parent");
        Sys.Sbrk(-8 * Page);
    }

    private const int RacePages = 256;
    private static long s_raceHeap;
    private static volatile int s_raceGo;

    // Each thread writes its own byte of every fresh page; a page mapped twice loses one thread's writes.
    private static int TouchEveryPage(ulong which)
    {
        while (s_raceGo == 0) { }
        byte* heap = (byte*)s_raceHeap;
        for (int page = 0; page < RacePages; page++) heap[page * Page + (int)which] = (byte)(which + 1);
        return 0;
    }

    private static void LazyThreads()
    {
        s_raceGo = 0;
        int first = UserThread.Start(&TouchEveryPage, 0, "touch-a");      // their stacks come from the heap first
        int second = UserThread.Start(&TouchEveryPage, 1, "touch-b");
        if (Sys.CpuInfo(1, out CpuInfo unused) == 1) { Sys.SetAffinity(first, 1UL << 0); Sys.SetAffinity(second, 1UL << 1); }
        s_raceHeap = AlignBreak();
        Sys.Sbrk(RacePages * Page);
        s_raceGo = 1;
        Expect(UserThread.Join(first), 0, "the first thread touched every page");
        Expect(UserThread.Join(second), 0, "and so did the second, at the same time");
        byte* heap = (byte*)s_raceHeap;
        bool both = true;
        for (int page = 0; page < RacePages; page++) both &= heap[page * Page] == 1 && heap[page * Page + 1] == 2;
        Check(both, "every page holds both threads' bytes: each was mapped once");
        Sys.Sbrk(-RacePages * Page);
    }
}
