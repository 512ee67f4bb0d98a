using System.Runtime;
using System.Runtime.CompilerServices;
using TeachOS;

/// <summary>
/// bttest: the test program of the backtrace assignment (docs/assignments/backtrace.md). It executes
/// int3 (Demonstrations.Breakpoint) at known depths, one part each (Grade.Run): Deep, Level1, Level2,
/// Level3; Shallow, Other; in a second thread; last, with a frame chain that loops
/// (int3_with_looping_chain, in userland/Lib/Native/GradeProbes.asm), which the kernel's walk must
/// cut short. For each, the kernel should print its frame-pointer backtraces, of its own path and of
/// ours, inside the marked section, and let us continue. The grader
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

    public static int Main(string[] args) => Grade.Run(args, new[]
    {
        new GradePart { Name = "deep", Body = &Deep },
        new GradePart { Name = "shallow", Body = &Shallow },
        new GradePart { Name = "thread", Body = &InAThread },
        new GradePart { Name = "looping", Body = &LoopingChain },
    });

    // Each part adds up what its levels kept across the breakpoint: 1+2+3, 5, 7 + 1.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.NoOptimization)]
    private static void Deep()
    {
        Grade.Begin("deep");
        long deep = Level1(1);
        Grade.End("deep");
        Grade.Check("resumed", deep == 6, "after the breakpoint in Level3 the sum should be 6; got " + deep);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.NoOptimization)]
    private static void Shallow()
    {
        Grade.Begin("shallow");
        long shallow = Other(5);
        Grade.End("shallow");
        Grade.Check("resumed", shallow == 5, "after the breakpoint in Other the value should be 5; got " + shallow);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.NoOptimization)]
    private static void InAThread()
    {
        Grade.Begin("thread");
        int thread = UserThread.Start(&ThreadBody, 7, "bt-thread");
        int fromThread = UserThread.Join(thread);
        Grade.End("thread");
        Grade.Check("resumed", fromThread == 8, "after the breakpoint in the thread its result should be 8; got " + fromThread);
    }

    // A walk that never ends hangs the kernel here; the grader's timeout for this part stops it.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.NoOptimization)]
    private static void LoopingChain()
    {
        Grade.Begin("looping");
        BreakpointWithLoopingChain();
        Grade.End("looping");
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
