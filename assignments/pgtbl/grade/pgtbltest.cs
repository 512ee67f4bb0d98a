using TeachOS;

/// <summary>
/// pgtbltest: the test program of the pgtbl assignment (docs/assignments/pgtbl.md). It calls
/// PgAccess(start, pages, out bitmap), syscall 51, through Sys.Call (Sys.PgAccess exists only once
/// the student declares it), on pages of its own heap that it touches itself, and checks which the
/// kernel reports: exactly the touched ones, once, by read or by write, again after a new touch.
/// Each part grows its own pages with sbrk, touches them all first (so that every page is mapped,
/// whether sbrk maps pages at once or on first touch) and gives them back at its end.
/// </summary>
public static unsafe class PgtblTest
{
    private const long PgAccessNumber = 51;
    private const int PageSize = 4096;
    private const int EINVAL = 22, EFAULT = 14;

    private static volatile int s_sink;          // reads go here, so that the compiler keeps them

    public static int Main(string[] args) => Grade.Run(args, new[]
    {
        new GradePart { Name = "basic", Body = &TouchedPagesAreReported },
        new GradePart { Name = "cleared", Body = &ASecondCallReportsNothing },
        new GradePart { Name = "boundaries", Body = &BoundariesAndBadArguments },
        new GradePart { Name = "read-write", Body = &ReadsAndWritesBothCount },
        new GradePart { Name = "tlb", Body = &ATouchAfterAReportIsReportedAgain },
        new GradePart { Name = "other-cpu", Body = &ATouchOnAnotherCpuIsReportedAgain },
    });

    private static long PgAccess(ulong start, long pages, ulong* bitmap) =>
        Sys.Call(PgAccessNumber, start, (ulong)pages, (ulong)bitmap);

    // `pages` new heap pages, each touched (so mapped), then one PgAccess to start from clear bits.
    private static byte* FreshPages(int pages)
    {
        byte* start = (byte*)Sys.Sbrk(pages * PageSize);
        for (int page = 0; page < pages; page++) start[page * PageSize] = 1;
        ulong ignored;
        PgAccess((ulong)start, pages, &ignored);
        return start;
    }

    private static void GiveBack(int pages) => Sys.Sbrk(-pages * PageSize);

    private static string Bits(ulong bitmap)
    {
        string text = "";
        for (int i = 0; i < 64; i++)
            if ((bitmap & (1UL << i)) != 0) text += (text.Length == 0 ? "" : ",") + i;
        return "{" + text + "}";
    }

    private static void TouchedPagesAreReported()
    {
        byte* start = FreshPages(32);
        start[1 * PageSize] = 2;
        start[2 * PageSize + 100] = 3;
        start[30 * PageSize + PageSize - 1] = 4;
        ulong bitmap = 0xDEAD;
        long result = PgAccess((ulong)start, 32, &bitmap);
        ulong expected = (1UL << 1) | (1UL << 2) | (1UL << 30);
        Grade.Check("pgaccess-basic", result == 0 && bitmap == expected,
            "touching pages 1, 2 and 30 of 32 should give 0 and the pages " + Bits(expected) + "; got " +
            Grade.Describe(result) + " and the pages " + Bits(bitmap));
        GiveBack(32);
    }

    private static void ASecondCallReportsNothing()
    {
        byte* start = FreshPages(32);
        start[5 * PageSize] = 1;
        start[31 * PageSize] = 1;
        ulong first = 0, second = 0xDEAD;
        long firstResult = PgAccess((ulong)start, 32, &first);
        long secondResult = PgAccess((ulong)start, 32, &second);
        Grade.Check("pgaccess-clears", firstResult == 0 && first == ((1UL << 5) | (1UL << 31)) && secondResult == 0 && second == 0,
            "after touching pages 5 and 31 the first call should report " + Bits((1UL << 5) | (1UL << 31)) +
            " and a second call without a touch none; got " + Grade.Describe(firstResult) + " " + Bits(first) +
            ", then " + Grade.Describe(secondResult) + " " + Bits(second));
        GiveBack(32);
    }

    private static void BoundariesAndBadArguments()
    {
        byte* start = FreshPages(65);
        for (int page = 0; page < 65; page++) start[page * PageSize] = 5;
        ulong bitmap = 0;
        long all = PgAccess((ulong)start, 64, &bitmap);
        Grade.Check("pgaccess-64-pages", all == 0 && bitmap == ulong.MaxValue,
            "64 pages, all touched, should give 0 and all 64 bits; got " + Grade.Describe(all) + " and " + Bits(bitmap));

        string wrong = "";
        Expect(PgAccess((ulong)start, 0, &bitmap), -EINVAL, "0 pages", ref wrong);
        Expect(PgAccess((ulong)start, 65, &bitmap), -EINVAL, "65 pages", ref wrong);
        Expect(PgAccess((ulong)start, -1, &bitmap), -EINVAL, "-1 pages", ref wrong);
        Expect(PgAccess((ulong)start + 8, 4, &bitmap), -EINVAL, "a start inside a page", ref wrong);
        Grade.Check("pgaccess-bad-counts", wrong.Length == 0, "each should give -EINVAL:" + wrong);

        wrong = "";
        Expect(PgAccess(BadAddresses.UnmappedAddress, 4, &bitmap), -EFAULT, "an unmapped start", ref wrong);
        Expect(PgAccess(BadAddresses.KernelAddress, 4, &bitmap), -EFAULT, "a start in the kernel", ref wrong);
        Expect(PgAccess((ulong)start + 64 * PageSize, 64, &bitmap), -EFAULT, "a range running past the heap's end", ref wrong);
        Grade.Check("pgaccess-bad-range", wrong.Length == 0, "each should give -EFAULT:" + wrong);

        wrong = "";
        ulong[] pointers = { 0, BadAddresses.KernelAddress, BadAddresses.UnmappedAddress, BadAddresses.ReadOnlyCode, BadAddresses.EndOfUserSpace - 4 };
        string[] names = { "null", "kernel address", "unmapped address", "read-only code", "across the end of user space" };
        for (int i = 0; i < pointers.Length; i++)
            Expect(Sys.Call(PgAccessNumber, (ulong)start, 4, pointers[i]), -EFAULT, "a bitmap at " + names[i], ref wrong);
        Grade.Check("pgaccess-bad-bitmap", wrong.Length == 0 && BadAddresses.ReadOnlyCodeIsIntact,
            "each bad bitmap pointer should give -EFAULT (and the code stay intact):" + wrong);
        GiveBack(65);
    }

    private static void Expect(long result, long expected, string what, ref string wrong)
    {
        if (result != expected) wrong += " " + what + " gave " + Grade.Describe(result) + ";";
    }

    private static void ReadsAndWritesBothCount()
    {
        byte* start = FreshPages(16);
        s_sink += start[3 * PageSize];           // a read only
        start[9 * PageSize] = 7;                 // a write
        ulong bitmap = 0;
        long result = PgAccess((ulong)start, 16, &bitmap);
        ulong expected = (1UL << 3) | (1UL << 9);
        Grade.Check("pgaccess-read-and-write", result == 0 && bitmap == expected,
            "reading page 3 and writing page 9 should report both, " + Bits(expected) + "; got " +
            Grade.Describe(result) + " " + Bits(bitmap));
        GiveBack(16);
    }

    private static volatile int s_request, s_done;
    private static byte* s_shared;

    // On the other CPU: touch page 3 each time the main thread asks, and say so. It spins rather
    // than sleeps, so that it keeps its CPU, its address space and the translations it cached.
    private static int TouchOnRequest(ulong unused)
    {
        int seen = 0;
        while (true)
        {
            int request = s_request;
            if (request < 0) return 0;
            if (request == seen) continue;
            s_shared[3 * PageSize] = (byte)request;
            seen = request;
            s_done = request;
        }
    }

    private static void ATouchOnAnotherCpuIsReportedAgain()
    {
        byte* start = FreshPages(8);
        s_shared = start;
        s_request = s_done = 0;
        Sys.SetAffinity(0, 1UL << 0);                                   // this thread on CPU 0
        int toucher = UserThread.Start(&TouchOnRequest, 0, "toucher");
        long pinned = Sys.SetAffinity(toucher, 1UL << 1);               // the toucher on CPU 1
        string rounds = "";
        bool allReported = pinned == 0;
        for (int round = 1; round <= 4 && allReported; round++)
        {
            s_request = round;
            long deadline = Sys.Uptime() + 5000;
            while (s_done != round && Sys.Uptime() < deadline) { }
            ulong bitmap = 0;
            long result = PgAccess((ulong)start, 8, &bitmap);
            bool reported = s_done == round && result == 0 && bitmap == 1UL << 3;
            allReported &= reported;
            rounds += " round " + round + ": " + (s_done == round ? "" : "(the toucher did not answer) ") +
                      Grade.Describe(result) + " " + Bits(bitmap) + ";";
        }
        s_request = -1;
        UserThread.Join(toucher);
        Grade.Check("pgaccess-other-cpu", allReported,
            "page 3, touched again from CPU 1 after each call on CPU 0, should be reported by every call" +
            (pinned == 0 ? "" : " (SetAffinity gave " + Grade.Describe(pinned) + ")") + ":" + rounds);
        GiveBack(8);
    }

    private static void ATouchAfterAReportIsReportedAgain()
    {
        byte* start = FreshPages(8);
        string rounds = "";
        bool allReported = true;
        for (int round = 0; round < 4; round++)
        {
            // The touch right after the call that cleared the bit: the translation the CPU cached
            // for the page before that call must not be used for it.
            start[7 * PageSize] = (byte)round;
            s_sink += start[4 * PageSize];
            ulong bitmap = 0;
            long result = PgAccess((ulong)start, 8, &bitmap);
            bool reported = result == 0 && bitmap == ((1UL << 4) | (1UL << 7));
            allReported &= reported;
            rounds += " round " + round + ": " + Grade.Describe(result) + " " + Bits(bitmap) + ";";
        }
        Grade.Check("pgaccess-tlb", allReported,
            "pages 4 and 7, touched again after each call, should be reported by every call:" + rounds);
        GiveBack(8);
    }
}
