using Abi;
using TeachOS;

/// <summary>
/// tracetest: the test program of the trace assignment (docs/assignments/trace.md). It calls
/// Trace(mask), syscall 30, through Sys.Call, since the stub Sys.Trace exists only once the syscall
/// is declared, and makes syscalls inside marked sections of the log. The kernel's trace lines,
/// "PID: syscall NAME -> RESULT", are checked by the grader (assignments/trace/checks.sh).
/// `tracetest child` is the process the per-process check spawns: it traces its own GetPid.
/// Besides the first call, it tries what the first call cannot show: a later Trace's result (the
/// previous mask is no longer 0), a syscall number past 63, and a second thread of the process.
/// Each part (Grade.Run) leaves tracing off, so the grader can run any of them alone.
/// </summary>
public static unsafe class TraceTest
{
    private const long TraceNumber = 30;

    private static long Trace(ulong mask) => Sys.Call(TraceNumber, mask);

    private static ulong Bit(long syscall) => 1UL << (int)syscall;

    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "child") return TraceOwnGetPid();
        return Grade.Run(args, new[]
        {
            new GradePart { Name = "one-syscall", Body = &OneSyscall },
            new GradePart { Name = "selects", Body = &OnlyTheBitsSet },
            new GradePart { Name = "errors", Body = &ErrorsAndSeveralBits },
            new GradePart { Name = "off", Body = &ZeroTurnsItOff },
            new GradePart { Name = "inherited", Body = &ChildInheritsTheMask },
            new GradePart { Name = "per-process", Body = &MaskIsPerProcess },
            new GradePart { Name = "two-cpus", Body = &TwoCpusAtOnce },
        });
    }

    // Each part starts and ends with tracing off, so that any part can run alone.
    private static void OneSyscall()
    {
        long first = Trace(Bit(SyscallNumbers.GetPid));
        Grade.Begin("one-syscall");
        Sys.GetPid();
        Grade.End("one-syscall");
        // A later call, with a mask already set, must return 0 too (not the previous mask).
        long later = Trace(Bit(SyscallNumbers.Open) | Bit(SyscallNumbers.Close));
        long off = Trace(0);
        Grade.Check("trace-returns-zero", first == 0 && later == 0 && off == 0, "Trace(1 << GetPid) returned " + Grade.Describe(first) +
            "; then, with that mask set, Trace(1 << Open | 1 << Close) returned " + Grade.Describe(later) +
            ", and Trace(0) " + Grade.Describe(off));
    }

    // Uptime's bit is not set; numbers of 64 and up have no bit: syscall 64 + GetPid (unknown,
    // -ENOSYS) is not traced by GetPid's bit. (C# keeps the low six bits of a shift count: 1UL << 64
    // is 1UL << 0.)
    private static void OnlyTheBitsSet()
    {
        Trace(Bit(SyscallNumbers.GetPid));
        Grade.Begin("selects");
        Sys.Uptime();
        Sys.Call(64 + SyscallNumbers.GetPid);
        Sys.GetPid();
        Grade.End("selects");
        Trace(0);
    }

    private static void ErrorsAndSeveralBits()
    {
        Trace(Bit(SyscallNumbers.Open) | Bit(SyscallNumbers.Close));
        Grade.Begin("errors");
        Sys.Close(99);                                     // -EBADF: printed as -9
        long descriptor = Sys.Open("/etc/motd", OpenFlags.ReadOnly);
        Sys.Close((int)descriptor);
        Grade.End("errors");
        Trace(0);
    }

    private static void ZeroTurnsItOff()
    {
        Trace(Bit(SyscallNumbers.GetPid) | Bit(SyscallNumbers.Close));
        Grade.Begin("on");
        Sys.GetPid();
        Grade.End("on");
        Trace(0);
        Grade.Begin("off");
        Sys.GetPid();
        Sys.Close(99);
        Grade.End("off");
    }

    // Inherited: cat knows nothing of tracing, but its Read is traced with our mask. (Read, not
    // Write: the kernel's line follows the traced call, so it would land inside cat's output.)
    // A forked child is a copy of us, mask included: its GetPid is traced with its own pid.
    private static void ChildInheritsTheMask()
    {
        Trace(Bit(SyscallNumbers.Read));
        long child = Sys.Spawn("/bin/cat", new[] { "cat", "/etc/motd" }, 0, 1, 2);
        Sys.Wait((int)child, out int unused);
        Trace(Bit(SyscallNumbers.GetPid));
        long forked = Sys.Fork();
        if (forked == 0)
        {
            Sys.GetPid();
            Sys.Exit(0);
        }
        Sys.Wait((int)forked, out unused);
        Trace(0);
        Grade.Fact("child", child);
        Grade.Fact("forked", forked);
    }

    // Per process both ways: the child traces itself and our mask stays 0; and once we set a mask,
    // a thread started after it is traced too.
    private static void MaskIsPerProcess()
    {
        Grade.Begin("per-process");
        long tracer = Sys.Spawn("/bin/tracetest", new[] { "tracetest", "child" }, 0, 1, 2);
        Sys.Wait((int)tracer, out int unused);
        Sys.GetPid();
        Grade.End("per-process");
        Grade.Fact("tracer", tracer);

        Trace(Bit(SyscallNumbers.GetPid));
        Grade.Begin("other-thread");
        UserThread.Join(UserThread.Start(&CallGetPid, 0, "getpid"));
        Grade.End("other-thread");
        Trace(0);
    }

    // Two threads, one on each CPU, trace GetPid at the same moment: each of the kernel's lines
    // must still be whole (the grader counts exactly 2 x 1000 well-formed lines and nothing else).
    private static void TwoCpusAtOnce()
    {
        Trace(Bit(SyscallNumbers.GetPid));
        Grade.Begin("two-cpus");
        int first = UserThread.Start(&ManyGetPids, 1000, "getpids-0");
        int second = UserThread.Start(&ManyGetPids, 1000, "getpids-1");
        Sys.SetAffinity(first, 1UL << 0);
        Sys.SetAffinity(second, 1UL << 1);
        UserThread.Join(first);
        UserThread.Join(second);
        Grade.End("two-cpus");
        Trace(0);
    }

    private static int ManyGetPids(ulong count)
    {
        for (ulong i = 0; i < count; i++) Sys.GetPid();
        return 0;
    }

    private static int CallGetPid(ulong unused)
    {
        Sys.GetPid();
        return 0;
    }

    private static int TraceOwnGetPid()
    {
        Trace(Bit(SyscallNumbers.GetPid));
        Sys.GetPid();
        return 0;
    }
}
