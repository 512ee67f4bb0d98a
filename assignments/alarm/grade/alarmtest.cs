using System.Runtime;
using System.Runtime.CompilerServices;
using TeachOS;

/// <summary>
/// alarmtest: the test program of the alarm assignment (docs/assignments/alarm.md), after xv6's. It
/// calls SigAlarm(ticks, handler), syscall 32, and SigReturn(), syscall 33, through Sys.Call, and
/// reports each check with Grade.Check. The handler must end with SigReturn, which resumes the code
/// the alarm interrupted; so the handler does only what is safe at any moment: it allocates nothing
/// and prints nothing, it counts, and it scrambles the registers (integer and SSE) on purpose, so
/// that a kernel that does not restore all of them is caught by the loops below. It enters SigReturn
/// through scrubbed_syscall (userland/Lib/Native/GradeProbes.asm), which overwrites every general
/// register but rsp and every SSE register first: compiled code would keep rbx, rbp and r12-r15 as
/// they were, hiding a SigReturn that forgets them. Assembly also checks what compiled code never
/// uses, the red zone below rsp. A missing syscall (-ENOSYS) fails the checks without harm: no
/// alarm ever comes, and every wait has a deadline.
/// </summary>
public static unsafe class AlarmTest
{
    private const long SigAlarmNumber = 32, SigReturnNumber = 33;

    private static long SigAlarm(int ticks, delegate*<void> handler) => Sys.Call(SigAlarmNumber, (ulong)ticks, (ulong)handler);

    private static long StopAlarms() => Sys.Call(SigAlarmNumber, 0, 0);

    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "scrubbed_syscall")]
    private static extern long ScrubbedSyscall(long number);

    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "red_zone_probe")]
    private static extern long RedZoneProbe(long rounds);

    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "stack_misalignment")]
    private static extern long StackMisalignment();

    // What the handler has seen and what it should do. volatile: the handler changes them between
    // any two instructions of the code it interrupted.
    private static volatile int s_calls, s_misalignedCalls;
    private static volatile bool s_inHandler, s_reentered, s_slow;
    private static long s_integerScratch;
    private static double s_doubleScratch;

    private static void Handler()
    {
        if (s_inHandler) s_reentered = true;
        s_inHandler = true;
        s_calls++;
        if (StackMisalignment() != 0) s_misalignedCalls++;
        s_integerScratch += MixIntegers(s_calls + 20);       // the same registers the loops use,
        s_doubleScratch += MixDoubles(s_calls + 20);         // with other values in them
        if (s_slow)
        {
            long until = Sys.Uptime() + 20;                  // several alarm intervals of CPU time
            while (Sys.Uptime() < until) { }
        }
        s_inHandler = false;
        ScrubbedSyscall(SigReturnNumber);
        // SigReturn does not come back here. If it did, nothing can resume the interrupted code.
        Grade.Check("sigreturn-resumes", false, "SigReturn returned to the handler");
        Sys.Exit(3);
    }

    public static int Main(string[] args) => Grade.Run(args, new[]
    {
        new GradePart { Name = "returns-zero", Body = &SigAlarmReturnsZero },
        new GradePart { Name = "handler", Body = &HandlerIsCalled },
        new GradePart { Name = "registers", Body = &RegistersSurvive },
        new GradePart { Name = "sse", Body = &SseRegistersSurvive },
        new GradePart { Name = "red-zone", Body = &RedZoneSurvives },
        new GradePart { Name = "interval", Body = &IntervalIsKept },
        new GradePart { Name = "syscall-results", Body = &SyscallResultsSurvive },
        new GradePart { Name = "not-reentered", Body = &HandlerIsNotReentered },
        new GradePart { Name = "zero-stops", Body = &ZeroStopsTheAlarm },
        new GradePart { Name = "bad-arguments", Body = &BadArgumentsAreRefused },
        new GradePart { Name = "sigreturn-outside", Body = &SigReturnOutsideAHandler },
    });

    // Every part leaves the alarm off, so the grader can run any of them alone.
    private static void SigAlarmReturnsZero()
    {
        long result = SigAlarm(2, &Handler);
        long stopped = StopAlarms();
        Grade.Check("sigalarm-returns-zero", result == 0 && stopped == 0,
            "SigAlarm(2, handler) returned " + Grade.Describe(result) + " and SigAlarm(0, 0) " + Grade.Describe(stopped));
    }

    /// <summary>Spins (with syscalls) until the handler has run <paramref name="calls"/> more times, or a deadline passes.</summary>
    private static int SpinUntilCalled(int calls, long milliseconds)
    {
        int before = s_calls;
        long deadline = Sys.Uptime() + milliseconds;
        while (s_calls - before < calls && Sys.Uptime() < deadline) { }
        return s_calls - before;
    }

    private static void HandlerIsCalled()
    {
        SigAlarm(2, &Handler);
        int calls = SpinUntilCalled(10, 2000);
        StopAlarms();
        Grade.Check("handler-called", calls >= 10, "with an alarm every 2 ticks, the handler ran " + calls + " times in 2 s of spinning (expected 10)");
        Grade.Check("handler-stack-aligned", calls > 0 && s_misalignedCalls == 0,
            "of the handler's " + s_calls + " calls, " + s_misalignedCalls + " began with rsp not 8 below a multiple of 16, as after a call");
    }

    // Thirteen values live in registers across every iteration: an alarm between any two
    // instructions must leave them all as they were. (No calls inside: the compiler may use every
    // register, rcx and r11 included, which `sysret` would overwrite.)
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long MixIntegers(long rounds)
    {
        long a = 1, b = 2, c = 3, d = 5, e = 7, f = 11, g = 13, h = 17, i = 19, j = 23, k = 29, l = 31, m = 37;
        for (long n = 0; n < rounds; n++)
        {
            a += b ^ n; b += c >> 1; c ^= d + a; d += e * 3; e ^= f; f += g ^ b; g -= h;
            h ^= i + 1; i += j; j ^= k; k += l ^ c; l -= m; m ^= a >> 3;
        }
        return a ^ b ^ c ^ d ^ e ^ f ^ g ^ h ^ i ^ j ^ k ^ l ^ m;
    }

    // The same for the SSE registers: ten doubles that grow, so a disturbance is never forgotten.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double MixDoubles(long rounds)
    {
        double a = 1, b = 2, c = 3, d = 4, e = 5, f = 6, g = 7, h = 8, i = 9, j = 10;
        for (long n = 0; n < rounds; n++)
        {
            a += 1.0; b += a * 0.5; c += b * 0.25; d += c * 0.125; e += d * 0.0625;
            f += e * 0.03125; g += f * 1e-3; h += g * 1e-4; i += h * 1e-5; j += i * 1e-6;
        }
        return a + b + c + d + e + f + g + h + i + j;
    }

    private static long Bits(double value) => *(long*)&value;

    /// <summary>A number of rounds for which <paramref name="work"/> takes at least 100 ms here, with no alarm.</summary>
    private static long Calibrate(delegate*<long, long> work)
    {
        long rounds = 1 << 16;
        while (rounds < (1L << 32))
        {
            long started = Sys.Uptime();
            work(rounds);
            if (Sys.Uptime() - started >= 100) break;
            rounds *= 2;
        }
        return rounds;
    }

    private static long IntegerWork(long rounds) => MixIntegers(rounds);

    private static long DoubleWork(long rounds) => Bits(MixDoubles(rounds));

    /// <summary>Runs the work without and then with an alarm every tick; the results must be the same.</summary>
    private static void CompareUnderAlarms(string check, string registers, delegate*<long, long> work)
    {
        long rounds = Calibrate(work);
        long expected = work(rounds);
        int before = s_calls;
        SigAlarm(1, &Handler);
        long actual = work(rounds);
        StopAlarms();
        int calls = s_calls - before;
        Grade.Check(check, actual == expected && calls >= 5,
            "with an alarm every tick, " + calls + " alarms (5 or more needed) interrupted a loop that keeps its values in " +
            registers + "; its result was " + (actual == expected ? "right" : "wrong"));
    }

    private static void RegistersSurvive() => CompareUnderAlarms("registers-survive", "the general registers", &IntegerWork);

    private static void SseRegistersSurvive() => CompareUnderAlarms("sse-registers-survive", "the SSE registers", &DoubleWork);

    private static long RedZoneWork(long rounds) => RedZoneProbe(rounds);

    private static void RedZoneSurvives() => CompareUnderAlarms("red-zone-survives", "the red zone below rsp", &RedZoneWork);

    /// <summary>Spins for <paramref name="milliseconds"/> with an alarm every <paramref name="ticks"/> ticks; the number of alarms.</summary>
    private static int CountAlarms(int ticks, long milliseconds)
    {
        SigAlarm(ticks, &Handler);
        int calls = SpinUntilCalled(int.MaxValue, milliseconds);
        StopAlarms();
        return calls;
    }

    // The interval is a rate, so measure it: an alarm every 4 ticks must come about a quarter as
    // often as one every tick (the ratio, not a count, so a slow or loaded host does not matter).
    private static void IntervalIsKept()
    {
        int everyTick = CountAlarms(1, 500);
        int everyFourth = CountAlarms(4, 500);
        Grade.Check("interval-kept", everyFourth >= 2 && 2 * everyFourth <= everyTick && 8 * everyFourth >= everyTick,
            "in 500 ms of spinning, an alarm every tick came " + everyTick + " times and one every 4 ticks " +
            everyFourth + " times (expected about a quarter as many)");
    }

    // An alarm that comes due while the thread is in a syscall is delivered on the syscall's way
    // out; SigReturn then resumes the program with that syscall's result, not its own.
    private static void SyscallResultsSurvive()
    {
        long pid = Sys.GetPid();
        int before = s_calls;
        long calls = 0, wrong = 0;
        SigAlarm(1, &Handler);
        long deadline = Sys.Uptime() + 300;
        while (Sys.Uptime() < deadline)
        {
            for (int i = 0; i < 100; i++, calls++)
            {
                if (Sys.GetPid() != pid) wrong++;
            }
        }
        StopAlarms();
        int alarms = s_calls - before;
        Grade.Check("syscall-results-survive", wrong == 0 && alarms >= 5,
            "with an alarm every tick (" + alarms + " alarms, 5 or more needed), " + wrong + " of " + calls +
            " GetPid calls returned something other than " + pid);
    }

    private static void HandlerIsNotReentered()
    {
        s_slow = true;
        SigAlarm(1, &Handler);
        int calls = SpinUntilCalled(3, 2000);
        StopAlarms();
        s_slow = false;
        Grade.Check("not-reentered", calls >= 3 && !s_reentered,
            "a handler that runs for 20 ms with an alarm every tick ran " + calls + " times (3 needed) and " +
            (s_reentered ? "was entered again while it ran" : "was never entered twice"));
    }

    private static void ZeroStopsTheAlarm()
    {
        SigAlarm(2, &Handler);
        int calls = SpinUntilCalled(3, 2000);
        long result = StopAlarms();
        int stoppedAt = s_calls;
        long deadline = Sys.Uptime() + 100;
        while (Sys.Uptime() < deadline) { }
        int after = s_calls - stoppedAt;
        Grade.Check("zero-stops", calls >= 3 && result == 0 && after == 0,
            "after " + calls + " alarms, SigAlarm(0, 0) returned " + Grade.Describe(result) + " and " + after + " alarms came in the next 100 ms");
    }

    private static void BadArgumentsAreRefused()
    {
        long negative = SigAlarm(-1, &Handler);
        long kernelHandler = Sys.Call(SigAlarmNumber, 5, BadAddresses.KernelAddress);
        Grade.Check("bad-arguments", negative == -Abi.Errno.EINVAL && kernelHandler == -Abi.Errno.EINVAL,
            "SigAlarm(-1, handler) gave " + Grade.Describe(negative) + " and SigAlarm(5, a kernel address) gave " +
            Grade.Describe(kernelHandler) + "; both should be -EINVAL");
        StopAlarms();
    }

    private static void SigReturnOutsideAHandler()
    {
        long result = Sys.Call(SigReturnNumber);
        Grade.Check("sigreturn-outside-handler", result == -Abi.Errno.EINVAL,
            "SigReturn() with no handler running gave " + Grade.Describe(result) + "; expected -EINVAL, and to carry on");
    }
}
