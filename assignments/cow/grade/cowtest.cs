using System;
using Abi;
using TeachOS;

/// <summary>
/// cowtest: the test program of the cow assignment (docs/assignments/cow.md), after xv6's cowtest.
/// Every part runs in a worker process it forks, so that what the part allocates goes back when the
/// worker exits and the next part starts from the same free memory; the worker reports its checks
/// itself (a fork's child prints with the same secret). A check that a worker never reached (it was
/// killed, or fork failed) is reported as missing, which fails it.
///
/// Free memory is measured by allocating it: a child takes pages with sbrk, touching each, until
/// sbrk refuses (-ENOMEM at the kernel's reserve), and tells the parent through a pipe how many pages
/// it got; its exit gives them back. Pages hold a value that names who wrote them and which page it is,
/// in their first and last words.
/// </summary>
public static unsafe class CowTest
{
    private const long Page = 4096;
    private const long Chunk = 64 * Page;
    private const int KilledForMemory = 128 + 9;

    public static int Main(string[] args) => Grade.Run(args, new[]
    {
        new GradePart { Name = "simple", Body = &Simple },
        new GradePart { Name = "oom", Body = &OutOfMemory },
        new GradePart { Name = "three", Body = &Three },
        new GradePart { Name = "file", Body = &FileReads },
        new GradePart { Name = "counts", Body = &Counts },
        new GradePart { Name = "concurrent", Body = &Concurrent },
    });

    // ---- Helpers ----------------------------------------------------------------------------------

    private static ulong Value(int who, long page) => 0xC0E0_0000_0000_0000UL | ((ulong)who << 32) | (ulong)page;

    private static void Fill(long start, long first, long count, int who)
    {
        for (long page = first; page < first + count; page++)
        {
            ulong* words = (ulong*)(start + page * Page);
            words[0] = Value(who, page);
            words[511] = ~Value(who, page);
        }
    }

    /// <summary>The first page of [first, first + count) that does not hold who's values, or -1.</summary>
    private static long FirstWrong(long start, long first, long count, int who)
    {
        for (long page = first; page < first + count; page++)
        {
            ulong* words = (ulong*)(start + page * Page);
            if (words[0] != Value(who, page) || words[511] != ~Value(who, page)) return page;
        }
        return -1;
    }

    /// <summary>What page <paramref name="page"/> holds, for a message: who wrote it, or "other".</summary>
    private static string Holder(long start, long page)
    {
        ulong word = *(ulong*)(start + page * Page);
        return (word >> 48) == 0xC0E0 ? "writer " + (long)((word >> 32) & 0xFFFF) : "other bytes (" + (long)word + ")";
    }

    private static bool ReadExactly(int descriptor, byte* buffer, int length)
    {
        for (int done = 0; done < length;)
        {
            long got = Sys.Read(descriptor, new Span<byte>(buffer + done, length - done));
            if (got <= 0) return false;
            done += (int)got;
        }
        return true;
    }

    private static void Signal(int descriptor)
    {
        byte one = 1;
        Sys.Write(descriptor, new ReadOnlySpan<byte>(&one, 1));
    }

    private static void AwaitSignal(int descriptor)
    {
        byte one;
        ReadExactly(descriptor, &one, 1);
    }

    /// <summary>
    /// Pages this process could still allocate: a child takes them (sbrk, 64 pages at a time, then
    /// one at a time), touching each, and writes its running count into a pipe after each step; the
    /// last count before its exit is the answer. -1 if fork failed.
    /// </summary>
    private static long AllocatablePages()
    {
        Sys.Pipe(out PipeDescriptors counts);
        long pid = Sys.Fork();
        if (pid == 0)
        {
            Sys.Close(counts.Read);
            long pages = 0, step = Chunk;
            while (true)
            {
                long start = Sys.Sbrk(step);
                if (start < 0)
                {
                    if (step == Page) break;
                    step = Page;
                    continue;
                }
                for (long offset = 0; offset < step; offset += Page) ((byte*)start)[offset] = 1;
                pages += step / Page;
                Sys.Write(counts.Write, new ReadOnlySpan<byte>(&pages, sizeof(long)));
            }
            Sys.Exit(0);
        }
        Sys.Close(counts.Write);
        long last = pid < 0 ? -1 : 0, value;
        while (ReadExactly(counts.Read, (byte*)&value, sizeof(long))) last = value;
        Sys.Close(counts.Read);
        if (pid > 0) Sys.Wait((int)pid, out int unused);
        return last;
    }

    /// <summary>Runs <paramref name="body"/> in a forked worker and waits for it (see the class comment).</summary>
    private static void InWorker(delegate*<void> body, string part)
    {
        long pid = Sys.Fork();
        if (pid == 0)
        {
            body();
            Sys.Exit(0);
        }
        if (pid < 0)
        {
            Grade.Check(part + "-worker", false, "fork of the small test program itself failed: " + Grade.Describe(pid));
            return;
        }
        Sys.Wait((int)pid, out int status);
        if (status != 0) Console.WriteLine("cowtest: the worker of part " + part + " ended with status " + status);
    }

    private static string Status(long pid, int status) =>
        pid < 0 ? "fork failed with " + Grade.Describe(pid) : status == 139 ? "killed for a fault (139)" :
        status == KilledForMemory ? "killed for memory (137)" : "status " + status;

    // ---- simple: a fork of a process that uses more than half of free memory ------------------------

    private static void Simple() => InWorker(&SimpleWorker, "simple");

    private static void SimpleWorker()
    {
        long free = AllocatablePages();
        long pages = free * 3 / 5;
        long start = Sys.Sbrk(pages * Page);
        if (free <= 0 || start < 0)
        {
            Grade.Check("simple-fork", false, "could not take 60% of free memory first: " + free + " pages free, sbrk " + Grade.Describe(start));
            return;
        }
        Fill(start, 0, pages, 1);
        Sys.Pipe(out PipeDescriptors go);
        Fill(start, 0, 16, 1);                  // again, just before fork: these translations are in the TLB, writable
        long pid = Sys.Fork();
        if (pid == 0)
        {
            AwaitSignal(go.Read);               // the parent has written its own values into pages 0-15
            int wrong = 0;
            if (FirstWrong(start, 0, pages, 1) >= 0) wrong |= 1;
            Fill(start, 0, 32, 2);
            if (FirstWrong(start, 0, 32, 2) >= 0) wrong |= 2;
            Sys.Exit(wrong);
        }
        if (!Grade.Check("simple-fork", pid > 0, "fork of a process using " + pages + " of " + free +
            " free pages (60%): " + (pid > 0 ? "the child's pid" : Grade.Describe(pid) + " (an eager copy needs as many free frames as the parent has pages)")))
            return;
        Fill(start, 0, 16, 3);                  // at once, while pages 0-15 may still be cached writable
        Signal(go.Write);
        Sys.Wait((int)pid, out int status);
        Grade.Check("simple-child-sees-fork", status == 0,
            "the child should see the values of the moment of fork in all " + pages + " pages (not the parent's later writes), " +
            "and keep its own writes: exit status 0; got " + Status(pid, status) +
            ((status & 1) != 0 ? " (the parent's writes reached the child)" : "") + ((status & 2) != 0 ? " (its own writes did not stay)" : ""));
        long wrongParent = FirstWrong(start, 0, 16, 3);
        if (wrongParent < 0) wrongParent = FirstWrong(start, 32, pages - 32, 1);
        if (wrongParent < 0)
        {
            wrongParent = FirstWrong(start, 16, 16, 1);
        }
        Grade.Check("simple-parent-keeps-its-own", wrongParent < 0,
            "the parent's pages should hold its own values, whatever the child wrote" +
            (wrongParent < 0 ? "" : "; page " + wrongParent + " holds " + Holder(start, wrongParent)));
    }

    // ---- oom: a copy-on-write fault with no frame left kills the process, not the kernel ------------

    private static void OutOfMemory() => InWorker(&OutOfMemoryWorker, "oom");

    private static void OutOfMemoryWorker()
    {
        long free = AllocatablePages();
        long pages = free * 3 / 5;
        long start = Sys.Sbrk(pages * Page);
        if (free <= 0 || start < 0)
        {
            Grade.Check("oom-child-killed", false, "could not take 60% of free memory first: sbrk " + Grade.Describe(start));
            return;
        }
        Fill(start, 0, pages, 1);
        Grade.Begin("oom-kill");
        long pid = Sys.Fork();
        if (pid == 0)
        {
            Fill(start, 0, pages, 2);           // 60% more: memory runs out on the way
            Sys.Exit(0);
        }
        int status = -1;
        if (pid > 0) Sys.Wait((int)pid, out status);
        Grade.End("oom-kill");
        Grade.Check("oom-child-killed", pid > 0 && status == KilledForMemory,
            "a child that writes every page of a parent using 60% of free memory runs out of frames for its copies " +
            "and should be killed with status 137; got " + Status(pid, status));
        long wrong = FirstWrong(start, 0, pages, 1);
        if (wrong < 0)
        {
            Fill(start, 0, pages, 3);
            wrong = FirstWrong(start, 0, pages, 3);
        }
        Grade.Check("oom-parent-unharmed", pid > 0 && wrong < 0,
            "the parent's pages should hold its values, and take new ones, after the child died" +
            (wrong < 0 ? "" : "; page " + wrong + " holds " + Holder(start, wrong)));
    }

    // ---- three: a child and a grandchild, all writing their pages -----------------------------------

    private static void Three() => InWorker(&ThreeWorker, "three");

    private static void ThreeWorker()
    {
        long free = AllocatablePages();
        long pages = free / 4;
        long start = Sys.Sbrk(pages * Page);
        if (free <= 0 || start < 0)
        {
            Grade.Check("three-children", false, "could not take a quarter of free memory first: sbrk " + Grade.Describe(start));
            return;
        }
        Fill(start, 0, pages, 1);
        long child = Sys.Fork();
        if (child == 0)
        {
            long grandchild = Sys.Fork();
            if (grandchild == 0)
            {
                bool sawFork = FirstWrong(start, 0, pages, 1) < 0;
                Fill(start, 0, pages, 3);
                Sys.Exit((sawFork ? 0 : 1) | (FirstWrong(start, 0, pages, 3) < 0 ? 0 : 2));
            }
            Fill(start, 0, pages, 2);
            int code = FirstWrong(start, 0, pages, 2) < 0 ? 0 : 4;
            int grandStatus = -1;
            if (grandchild > 0) Sys.Wait((int)grandchild, out grandStatus);
            if (FirstWrong(start, 0, pages, 2) >= 0) code |= 8;     // and still, after the grandchild wrote
            Sys.Exit(code | (grandchild < 0 ? 16 : grandStatus == 0 ? 0 : grandStatus == 1 || grandStatus == 2 || grandStatus == 3 ? grandStatus : 32));
        }
        // The parent writes the even pages at once, and leaves the odd ones as they were at fork.
        for (long page = 0; page < pages; page += 2) Fill(start, page, 1, 4);
        int status = -1;
        if (child > 0) Sys.Wait((int)child, out status);
        Grade.Check("three-children", child > 0 && status == 0,
            "a child and a grandchild should each see the values of the fork and keep their own writes " +
            "to all " + pages + " pages (exit status 0); got " + Status(child, status) +
            ((status & 1) != 0 ? " (the grandchild did not see the values of the fork)" : "") +
            ((status & 2) != 0 ? " (the grandchild's own writes did not stay)" : "") +
            ((status & 4) != 0 ? " (the child's writes did not stay)" : "") +
            ((status & 8) != 0 ? " (the grandchild's writes reached the child)" : "") +
            ((status & 16) != 0 ? " (the child's fork failed)" : "") +
            ((status & 32) != 0 ? " (the grandchild died)" : ""));
        long wrong = -1;
        for (long page = 0; page < pages && wrong < 0; page++)
            if (FirstWrong(start, page, 1, page % 2 == 0 ? 4 : 1) >= 0) wrong = page;
        Grade.Check("three-parent-keeps-its-own", wrong < 0,
            "the parent's even pages should hold its own writes and its odd pages the values of the fork" +
            (wrong < 0 ? "" : "; page " + wrong + " holds " + Holder(start, wrong)));
    }

    // ---- file: the kernel writes into a shared page (read() from a pipe, from a file) ----------------

    private static void FileReads() => InWorker(&FileWorker, "file");

    private const int Offset = 1000;             // where in the page the reads land
    private const byte Before = 0x5A;

    private static bool UntouchedBut(byte* page, int from, int length)
    {
        for (int i = 0; i < (int)Page; i++)
            if ((i < from || i >= from + length) && page[i] != Before) return false;
        return true;
    }

    private static bool Holds(byte* at, byte* expected, int length)
    {
        for (int i = 0; i < length; i++)
            if (at[i] != expected[i]) return false;
        return true;
    }

    private static void FileWorker()
    {
        // Round 1: the child reads from a pipe into the shared page first, then the parent.
        byte* page = (byte*)Sys.Sbrk(Page);
        for (int i = 0; i < (int)Page; i++) page[i] = Before;
        byte* forChild = stackalloc byte[13];
        byte* forParent = stackalloc byte[14];
        for (int i = 0; i < 13; i++) forChild[i] = (byte)"for the child"[i];
        for (int i = 0; i < 14; i++) forParent[i] = (byte)"for the parent"[i];
        Sys.Pipe(out PipeDescriptors toChild);
        Sys.Pipe(out PipeDescriptors toParent);
        long pid = Sys.Fork();
        if (pid == 0)
        {
            long got = Sys.Read(toChild.Read, new Span<byte>(page + Offset, 13));
            Sys.Exit(got != 13 ? 1 : !Holds(page + Offset, forChild, 13) ? 2 : !UntouchedBut(page, Offset, 13) ? 3 : 0);
        }
        if (pid < 0) { Grade.Check("file-child-reads", false, "fork failed: " + Grade.Describe(pid)); return; }
        Sys.Write(toChild.Write, new ReadOnlySpan<byte>(forChild, 13));
        Sys.Wait((int)pid, out int status);
        Grade.Check("file-child-reads", status == 0,
            "the child's read() from a pipe into a page fork shared should return 13 and put the bytes in the child's page " +
            "(exit status 0); got " + (status == 1 ? "a wrong count (-EFAULT?)" : status == 2 ? "other bytes" : status == 3 ? "bytes around them changed" : Status(pid, status)));
        bool parentUntouched = UntouchedBut(page, 0, 0);
        Sys.Write(toParent.Write, new ReadOnlySpan<byte>(forParent, 14));
        long read = Sys.Read(toParent.Read, new Span<byte>(page + Offset, 14));
        Grade.Check("file-parent-separate", parentUntouched && read == 14 && Holds(page + Offset, forParent, 14) && UntouchedBut(page, Offset, 14),
            "the child's read must not reach the parent's page (" + (parentUntouched ? "it did not" : "it did") +
            "), and the parent's own read() then fills its page: got " + Grade.Describe(read));

        // Round 2: the parent reads from a file into a page the child still shares, then the child looks.
        byte* second = (byte*)Sys.Sbrk(Page);
        for (int i = 0; i < (int)Page; i++) second[i] = Before;
        byte* expected = stackalloc byte[16];
        long file = Sys.Open("/etc/motd", OpenFlags.ReadOnly);
        long expectedLength = file < 0 ? -1 : Sys.Read((int)file, new Span<byte>(expected, 16));
        if (file >= 0) Sys.Close((int)file);
        Sys.Pipe(out PipeDescriptors go);
        pid = Sys.Fork();
        if (pid == 0)
        {
            AwaitSignal(go.Read);
            Sys.Exit(UntouchedBut(second, 0, 0) ? 0 : 1);
        }
        file = Sys.Open("/etc/motd", OpenFlags.ReadOnly);
        long got2 = file < 0 ? file : Sys.Read((int)file, new Span<byte>(second + Offset, 16));
        if (file >= 0) Sys.Close((int)file);
        Signal(go.Write);
        status = -1;
        if (pid > 0) Sys.Wait((int)pid, out status);
        Grade.Check("file-parent-reads", pid > 0 && expectedLength == 16 && got2 == 16 && Holds(second + Offset, expected, 16) && UntouchedBut(second, Offset, 16),
            "the parent's read() of 16 bytes of /etc/motd into a page it shares with a child should return 16 and fill its page; got " +
            Grade.Describe(got2) + (got2 == 16 && !Holds(second + Offset, expected, 16) ? " with other bytes" : ""));
        Grade.Check("file-child-separate", status == 0,
            "the parent's read must not reach the child's page (exit status 0); got " +
            (status == 1 ? "the parent's bytes in the child's page" : Status(pid, status)));
    }

    // ---- counts: frames come back ------------------------------------------------------------------

    private const int Cycles = 20;
    private const long CyclePages = 128;
    private const long Slack = 64;               // pages the kernel may keep for itself meanwhile (its heap)

    private static void Counts() => InWorker(&CountsWorker, "counts");

    private static void CountsWorker()
    {
        long before = AllocatablePages();
        int failed = 0;
        for (int cycle = 0; cycle < Cycles; cycle++)
        {
            long worker = Sys.Fork();
            if (worker == 0) Sys.Exit(OneCycle(cycle));
            int status = -1;
            if (worker > 0) Sys.Wait((int)worker, out status);
            if (status != 0) failed++;
        }
        long after = AllocatablePages();
        Grade.Check("counts-cycles", failed == 0, Cycles + " cycles of fork, write and exit, each with " + CyclePages +
            " pages written by both sides, should all see their own values; " + failed + " failed");
        Grade.Check("counts-memory-back", before > 0 && after >= before - Slack && after <= before + Slack,
            "after " + Cycles + " cycles the same number of pages should be free again (within " + Slack +
            "): " + before + " pages before, " + after + " after");
    }

    // One cycle, in a process of its own: its pages, a child that writes them all, its own writes
    // (before or after the child exits), and sbrk giving the pages back. No `new` between the two
    // sbrks (the heap would grow past the pages, and the second sbrk would take the heap's instead).
    private static int OneCycle(int cycle)
    {
        long start = Sys.Sbrk(CyclePages * Page);
        if (start < 0) return 1;
        Fill(start, 0, CyclePages, 1);
        long child = Sys.Fork();
        if (child == 0)
        {
            Fill(start, 0, CyclePages, 2);
            Sys.Exit(FirstWrong(start, 0, CyclePages, 2) < 0 ? 0 : 1);
        }
        if (child < 0) return 2;
        if (cycle % 2 == 0) Fill(start, 0, CyclePages, 3);         // while the child lives: copies
        Sys.Wait((int)child, out int status);
        if (cycle % 2 == 1) Fill(start, 0, CyclePages, 3);         // after: the last mapping, no copy
        int result = status != 0 ? 3 : FirstWrong(start, 0, CyclePages, 3) >= 0 ? 4 : 0;
        Sys.Sbrk(-CyclePages * Page);
        return result;
    }

    // ---- concurrent: parent and child write the same shared pages at once, on two CPUs -------------

    private const int Rounds = 20;
    private const long ConcurrentPages = 1024;

    private static void Concurrent() => InWorker(&ConcurrentWorker, "concurrent");

    private static void ConcurrentWorker()
    {
        long start = Sys.Sbrk(ConcurrentPages * Page);
        if (start < 0)
        {
            Grade.Check("concurrent-writes", false, "sbrk of " + ConcurrentPages + " pages failed");
            return;
        }
        Fill(start, 0, ConcurrentPages, 1);
        int childFailures = 0, parentFailures = 0, forkFailures = 0;
        for (int round = 0; round < Rounds; round++)
        {
            Sys.Pipe(out PipeDescriptors go);
            long pid = Sys.Fork();
            if (pid == 0)
            {
                AwaitSignal(go.Read);
                Fill(start, 0, ConcurrentPages, 100 + round);
                Sys.Exit(FirstWrong(start, 0, ConcurrentPages, 100 + round) < 0 ? 0 : 1);
            }
            Sys.Close(go.Read);
            if (pid < 0) { forkFailures++; Sys.Close(go.Write); continue; }
            Signal(go.Write);                   // both write from here on, the child on the other CPU
            Fill(start, 0, ConcurrentPages, 200 + round);
            if (FirstWrong(start, 0, ConcurrentPages, 200 + round) >= 0) parentFailures++;
            Sys.Wait((int)pid, out int status);
            if (status != 0) childFailures++;
            if (FirstWrong(start, 0, ConcurrentPages, 200 + round) >= 0) parentFailures++;
            Sys.Close(go.Write);
        }
        Grade.Check("concurrent-writes", forkFailures == 0 && childFailures == 0 && parentFailures == 0,
            Rounds + " rounds of a parent and its child writing the same " + ConcurrentPages + " shared pages at once " +
            "should each keep their own values; failed forks " + forkFailures + ", children with wrong pages " +
            childFailures + ", parent checks with wrong pages " + parentFailures);
    }
}
