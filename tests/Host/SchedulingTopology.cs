namespace Sched;

// The parts of the kernel's Thread and Processor (kernel/Sched/Thread.cs, Processor.cs) that the
// scheduling policy reads and writes, and nothing else: the real classes hold kernel stacks and reach
// the hardware through GS, which a host test cannot. The field names are the kernel's, so the policy
// files compile here unchanged; a field the policy starts to use and this file lacks fails the build.

/// <summary>A thread as the policy sees it.</summary>
public sealed class Thread(string name)
{
    public int QuantumLeft;
    public bool IsIdle;
    public int LastCpu;
    public ulong Affinity = ulong.MaxValue;
    public ThreadOwner Owner;
    public bool OwnerKilled;
    public override string ToString() => name;
}

/// <summary>A thread's process as the policy sees it: the CPU budget (cpu.max) it is held to.</summary>
public sealed class ThreadOwner
{
    public CpuBandwidth Bandwidth;

    // Counted as the kernel's ThreadOwner counts it (the switch's shortcut while no process is in a group).
    public CpuShare Share
    {
        get => _share;
        set
        {
            if ((value != null) != (_share != null)) CpuShare.ProcessesInGroups += value != null ? 1 : -1;
            _share = value;
        }
    }

    private CpuShare _share;
}

/// <summary>A logical CPU as the policy sees it: where it sits, what it runs, what waits for it.</summary>
public sealed class Processor
{
    public const int MaximumCount = 64;
    public static Processor[] All = new Processor[MaximumCount];
    public static int Count;

    public int Id;
    public bool Online;
    public int Package, Core, SmtThread;
    public RunQueue<Thread> Ready = new RunQueue<Thread>();
    public Thread CurrentThread;
    public Thread IdleThread;
}
