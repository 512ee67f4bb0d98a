using Abi;
using TeachOS;

/// <summary>
/// schedtest: the test program of the scheduler assignment (docs/assignments/scheduler.md). It gives
/// CPU-bound threads tickets with SetTickets(tickets), syscall 34 (through Sys.Call), pins them all
/// to one CPU, and measures the CPU time each gets over three seconds, from the kernel's own count of
/// ticks (threadinfo), as threadtests' fairness test does. A lottery scheduler gives each thread a
/// share close to its part of the tickets; round-robin gives each the same share whatever its
/// tickets. Shares are in thousandths, so 1:2:3 should be near 167, 333 and 500.
/// The grader boots with quantum=2: 1,500 draws in three seconds, enough for a lottery to land
/// within 50 thousandths of each expected share (about four standard deviations). Two ticks, not
/// one, so that a scheduler which gives a thread that wins twice in a row less than a whole quantum
/// is caught: its shares lean towards the threads with fewer tickets.
/// </summary>
public static class SchedTest
{
    private const long SetTicketsNumber = 34;
    private const int MeasuredMilliseconds = 3000, WarmUpMilliseconds = 100, Tolerance = 50;

    private static long SetTickets(int tickets) => Sys.Call(SetTicketsNumber, (ulong)tickets);

    public static unsafe int Main(string[] args) => Grade.Run(args, new[]
    {
        new GradePart { Name = "settickets", Body = &SetTicketsChecksItsArgument },
        new GradePart { Name = "shares-1-2-3", Body = &Shares123 },
        new GradePart { Name = "shares-1-4", Body = &Shares14 },
        new GradePart { Name = "equal-shares", Body = &EqualShares },
    });

    private static void SetTicketsChecksItsArgument()
    {
        long result = SetTickets(5);
        Grade.Check("settickets-returns-zero", result == 0, "SetTickets(5) returned " + Grade.Describe(result));
        // Both ends of 1 to 10,000, and one past each.
        long zero = SetTickets(0), negative = SetTickets(-3), most = SetTickets(10000), tooMany = SetTickets(10001);
        SetTickets(5);
        Grade.Check("settickets-refuses-out-of-range",
            zero == -Errno.EINVAL && negative == -Errno.EINVAL && most == 0 && tooMany == -Errno.EINVAL,
            "SetTickets(0) gave " + Grade.Describe(zero) + ", SetTickets(-3) " + Grade.Describe(negative) +
            ", SetTickets(10001) " + Grade.Describe(tooMany) + " (each should be -EINVAL), and SetTickets(10000) " +
            Grade.Describe(most) + " (should be 0)");
    }

    private static void Shares123() => CheckShares("shares-1-2-3", new[] { 1, 2, 3 });

    private static void Shares14() => CheckShares("shares-1-4", new[] { 1, 4 });

    private static void EqualShares() => CheckShares("equal-tickets-equal-shares", new[] { 3, 3, 3 });

    private static long s_deadline;

    /// <summary>A CPU-bound thread: takes its tickets, then spins until the deadline.</summary>
    private static int Spinner(ulong tickets)
    {
        SetTickets((int)tickets);
        while (Sys.Uptime() < s_deadline) { }
        return 0;
    }

    private static void CheckShares(string name, int[] tickets)
    {
        int count = tickets.Length, cpu = CpuCount() - 1, ticketSum = 0;
        foreach (int each in tickets) ticketSum += each;
        int[] ids = new int[count];
        long[] before = new long[count];
        s_deadline = Sys.Uptime() + WarmUpMilliseconds + MeasuredMilliseconds + 200;
        unsafe
        {
            for (int i = 0; i < count; i++)
            {
                ids[i] = UserThread.Start(&Spinner, (ulong)tickets[i], "spinner");
                Sys.SetAffinity(ids[i], 1UL << cpu);
            }
        }
        Sys.Sleep(WarmUpMilliseconds);                   // every spinner has taken its tickets
        for (int i = 0; i < count; i++) before[i] = TicksOf(ids[i]);
        Sys.Sleep(MeasuredMilliseconds);
        long total = 0;
        long[] used = new long[count];
        for (int i = 0; i < count; i++) total += used[i] = TicksOf(ids[i]) - before[i];
        foreach (int id in ids) UserThread.Join(id);

        bool close = total > 0;
        string shares = "", expected = "";
        for (int i = 0; i < count; i++)
        {
            long share = total > 0 ? used[i] * 1000 / total : 0, fair = tickets[i] * 1000 / ticketSum;
            if (share < fair - Tolerance || share > fair + Tolerance) close = false;
            shares += " " + share;
            expected += " " + fair;
        }
        Grade.Check(name, close, "threads with tickets " + Join(tickets) + " got shares (in thousandths)" + shares +
            " of " + total + " ticks; expected" + expected + ", each within " + Tolerance);
    }

    private static string Join(int[] values)
    {
        string text = "";
        for (int i = 0; i < values.Length; i++) text += (i > 0 ? ":" : "") + values[i];
        return text;
    }

    private static long TicksOf(int threadId)
    {
        for (int index = 0; Sys.ThreadInfo(index, out ThreadInfo info) == 1; index++)
            if (info.ThreadId == threadId) return info.CpuTicks;
        return -1;
    }

    private static int CpuCount()
    {
        int count = 0;
        while (Sys.CpuInfo(count, out CpuInfo unused) == 1) count++;
        return count;
    }
}
