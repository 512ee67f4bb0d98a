using System.Runtime;
using System.Runtime.CompilerServices;
using TeachOS;

/// <summary>
/// bttest: the test program of the backtrace assignment (docs/assignments/backtrace.md). It executes
/// int3 (Demonstrations.Breakpoint) at known depths: Main, Level1, Level2, Level3; then Main, Other;
/// then in a second thread; last, with a frame chain that loops (int3_with_looping_chain, in
/// userland/Lib/Native/GradeProbes.asm), which the kernel's walk must cut short. For each, the kernel should print its frame-pointer backtraces, of its
/// own path and of ours, inside the marked section, and let us continue. The grader
/// (assignments/backtrace/checks.sh) reads those lines; this program checks that it resumed with
/// every value intact.
///
/// Each level keeps a value across the breakpoint. They are compiled without optimization
/// (NoOptimization), and ilc then always gives a method an rbp frame, so each is on the chain the
/// kernel walks (docs/assignments/backtrace.md explains which methods ilc leaves off it).
/// </summary>
public static unsafe class BacktraceTest
{
    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "int3_with_looping_chain")]
    private static extern void BreakpointWithLoopingChain();

    public static int Main(string[] args)
    {
        Grade.Begin("deep");
        long deep = Level1(1);
        Grade.End("deep");

        Grade.Begin("shallow");
        long shallow = Other(5);
        Grade.End("shallow");

        Grade.Begin("thread");
        int thread = UserThread.Start(&ThreadBody, 7, "bt-thread");
        int fromThread = UserThread.Join(thread);
        Grade.End("thread");

        // Each function adds its argument to what the deeper one returned: 1+2+3, 5, 7 + 1.
        Grade.Check("resumed", deep == 6 && shallow == 5 && fromThread == 8,
            "after the breakpoints the results should be 6, 5 and 8; got " + deep + ", " + shallow + ", " + fromThread);

        // Last, as a walk that never ends hangs the kernel here: the checks above are already made.
        Grade.Begin("looping");
        BreakpointWithLoopingChain();
        Grade.End("looping");
        return 0;
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.NoOptimization)]
    private static long Level1(long value)
    {
        long kept = value;
        return kept + Level2(value + 1);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.NoOptimization)]
    private static long Level2(long value)
    {
        long kept = value;
        return kept + Level3(value + 1);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.NoOptimization)]
    private static long Level3(long value)
    {
        long kept = value;
        Demonstrations.Breakpoint();
        return kept;
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.NoOptimization)]
    private static long Other(long value)
    {
        long kept = value;
        Demonstrations.Breakpoint();
        return kept;
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.NoOptimization)]
    private static int ThreadBody(ulong value)
    {
        int kept = (int)value;
        Demonstrations.Breakpoint();
        return kept + 1;
    }
}
