using Abi;
using TeachOS;

/// <summary>
/// tracetest: the test program of the trace assignment (docs/assignments/trace.md). It calls
/// Trace(mask), syscall 30, through Sys.Call, since the stub Sys.Trace exists only once the syscall
/// is declared, and makes syscalls inside marked sections of the log. The kernel's trace lines,
/// "PID: syscall NAME -> RESULT", are checked by the grader (assignments/trace/checks.sh).
/// `tracetest child` is the process the per-process check spawns: it traces its own GetPid.
/// </summary>
public static class TraceTest
{
    private const long TraceNumber = 30;

    private static long Trace(ulong mask) => Sys.Call(TraceNumber, mask);

    private static ulong Bit(long syscall) => 1UL << (int)syscall;

    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "child") return TraceOwnGetPid();

        long pid = Sys.GetPid();
        Grade.Fact("pid", pid);

        long result = Trace(Bit(SyscallNumbers.GetPid));
        Grade.Check("trace-returns-zero", result == 0, "Trace(1 << GetPid) returned " + Grade.Describe(result));

        Grade.Begin("one-syscall");
        Sys.GetPid();
        Sys.Uptime();
        Grade.End("one-syscall");

        Trace(Bit(SyscallNumbers.Open) | Bit(SyscallNumbers.Close));
        Grade.Begin("errors");
        Sys.Close(99);                                     // -EBADF: printed as -9
        long descriptor = Sys.Open("/etc/motd", OpenFlags.ReadOnly);
        Sys.Close((int)descriptor);
        Grade.End("errors");

        Trace(0);
        Grade.Begin("off");
        Sys.GetPid();
        Sys.Close(99);
        Grade.End("off");

        // Inherited: cat knows nothing of tracing, but its Read is traced with our mask. (Read, not
        // Write: the kernel's line follows the traced call, so it would land inside cat's output.)
        Trace(Bit(SyscallNumbers.Read));
        long child = Sys.Spawn("/bin/cat", new[] { "cat", "/etc/motd" }, 0, 1, 2);
        Sys.Wait((int)child, out int unused);
        Trace(0);
        Grade.Fact("child", child);

        // Per process: the child traces itself; our mask stays 0.
        Grade.Begin("per-process");
        long tracer = Sys.Spawn("/bin/tracetest", new[] { "tracetest", "child" }, 0, 1, 2);
        Sys.Wait((int)tracer, out unused);
        Sys.GetPid();
        Grade.End("per-process");
        Grade.Fact("tracer", tracer);
        return 0;
    }

    private static int TraceOwnGetPid()
    {
        Trace(Bit(SyscallNumbers.GetPid));
        Sys.GetPid();
        return 0;
    }
}
