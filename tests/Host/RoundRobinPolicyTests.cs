using Sched;
using Xunit;
using Thread = Sched.Thread;

namespace TeachOS.Tests.Host;

/// <summary>
/// The round-robin policy (kernel/Sched/RoundRobinPolicy.cs) and the placement it uses
/// (kernel/Sched/Placement.cs), on topologies built here: which thread runs next, when a turn ends,
/// which CPU a ready thread waits on, and when an idle CPU steals.
/// </summary>
public class RoundRobinPolicyTests
{
    private const int Quantum = 3;
    private readonly RoundRobinPolicy _policy = new RoundRobinPolicy(Quantum);

    // CPUs numbered 0..n-1, two hyper-threads per core when smt is set, each running its idle thread.
    private static Processor[] Topology(int cpus, bool smt)
    {
        Processor.All = new Processor[Processor.MaximumCount];
        Processor.Count = cpus;
        for (int i = 0; i < cpus; i++)
        {
            var idle = new Thread("idle" + i) { IsIdle = true };
            Processor.All[i] = new Processor
            {
                Id = i, Online = true, Core = smt ? i / 2 : i, SmtThread = smt ? i % 2 : 0,
                IdleThread = idle, CurrentThread = idle,
            };
        }
        return Processor.All[..cpus];
    }

    private static Thread Running(Processor cpu, string name)
    {
        var thread = new Thread(name) { LastCpu = cpu.Id };
        cpu.CurrentThread = thread;
        return thread;
    }

    [Fact]
    public void NextIsTheFrontOfTheQueueFirstInFirstOut()
    {
        Processor[] cpus = Topology(1, smt: false);
        Thread a = new("a"), b = new("b"), c = new("c");
        foreach (Thread t in new[] { a, b, c }) cpus[0].Ready.TryEnqueue(t);
        Assert.Same(a, _policy.TakeNext(cpus[0]));
        cpus[0].Ready.TryEnqueue(a);                          // back of the queue after its turn
        Assert.Same(b, _policy.TakeNext(cpus[0]));
        Assert.Same(c, _policy.TakeNext(cpus[0]));
        Assert.Same(a, _policy.TakeNext(cpus[0]));
        Assert.Null(_policy.TakeNext(cpus[0]));               // nothing anywhere: the CPU idles
    }

    [Fact]
    public void TheTurnEndsAfterAQuantumOnlyIfSomeoneWaits()
    {
        Processor[] cpus = Topology(1, smt: false);
        Thread running = Running(cpus[0], "running");
        _policy.StartTurn(running);
        Assert.Equal(Quantum, running.QuantumLeft);
        for (int tick = 1; tick < Quantum; tick++) Assert.False(_policy.Tick(cpus[0], running));
        Assert.False(_policy.Tick(cpus[0], running));         // quantum spent, but nobody else is ready
        cpus[0].Ready.TryEnqueue(new Thread("waiting"));
        Assert.True(_policy.Tick(cpus[0], running));          // spent and someone waits: switch at once
    }

    [Fact]
    public void AWaitingThreadDoesNotCutAQuantumShort()
    {
        Processor[] cpus = Topology(1, smt: false);
        Thread running = Running(cpus[0], "running");
        _policy.StartTurn(running);
        cpus[0].Ready.TryEnqueue(new Thread("waiting"));
        for (int tick = 1; tick < Quantum; tick++) Assert.False(_policy.Tick(cpus[0], running));
        Assert.True(_policy.Tick(cpus[0], running));
    }

    [Fact]
    public void ChosenAgainAloneKeepsItsSpentQuantum()
    {
        Processor[] cpus = Topology(1, smt: false);
        Thread running = Running(cpus[0], "running");
        running.QuantumLeft = 0;
        _policy.ContinueTurn(running);
        Assert.Equal(0, running.QuantumLeft);
        cpus[0].Ready.TryEnqueue(new Thread("newcomer"));
        Assert.True(_policy.Tick(cpus[0], running));          // gives way at the next tick, not a quantum later
    }

    [Fact]
    public void AThreadWhoseAffinityExcludesItsCpuLeavesAtTheNextTick()
    {
        Processor[] cpus = Topology(2, smt: false);
        Thread running = Running(cpus[0], "running");
        _policy.StartTurn(running);
        running.Affinity = 1UL << 1;
        Assert.True(_policy.Tick(cpus[0], running));
    }

    [Fact]
    public void AnIdleCpuSwitchesWhenItHasWorkAndChargesNoQuantum()
    {
        Processor[] cpus = Topology(1, smt: false);
        Thread idle = cpus[0].IdleThread;
        Assert.False(_policy.Tick(cpus[0], idle));
        cpus[0].Ready.TryEnqueue(new Thread("woken"));
        Assert.True(_policy.Tick(cpus[0], idle));
        Assert.Equal(0, idle.QuantumLeft);
    }

    [Fact]
    public void AWholeIdleCoreComesBeforeAnIdleSibling()
    {
        Processor[] cpus = Topology(4, smt: true);           // cores {0,1} and {2,3}
        Running(cpus[0], "busy");
        Assert.Same(cpus[2], _policy.ChooseCpu(new Thread("new")));
    }

    [Fact]
    public void TheLastCpuIsPreferredAmongIdleOnesWhenNoWholeCoreIsFree()
    {
        Processor[] cpus = Topology(4, smt: true);
        Running(cpus[0], "busy0");
        Running(cpus[2], "busy2");
        Assert.Same(cpus[3], _policy.ChooseCpu(new Thread("back") { LastCpu = 3 }));
        Assert.Same(cpus[1], _policy.ChooseCpu(new Thread("elsewhere") { LastCpu = 0 }));
    }

    [Fact]
    public void WithNoIdleCpuTheLeastLoadedWinsThenTheLessLoadedCore()
    {
        Processor[] cpus = Topology(4, smt: true);
        for (int i = 0; i < 4; i++) Running(cpus[i], "busy" + i);
        cpus[0].Ready.TryEnqueue(new Thread("q0"));
        cpus[1].Ready.TryEnqueue(new Thread("q1"));
        cpus[2].Ready.TryEnqueue(new Thread("q2"));
        Assert.Same(cpus[3], _policy.ChooseCpu(new Thread("new")));   // load 1 against 2
        cpus[3].Ready.TryEnqueue(new Thread("q3"));
        cpus[1].Ready.TryEnqueue(new Thread("q1b"));
        // CPUs 0, 2 and 3 have load 2, CPU 1 has 3: core 0 (CPUs 0 and 1) carries 5, core 1 only 4.
        Assert.Same(cpus[2], _policy.ChooseCpu(new Thread("new2")));
    }

    [Fact]
    public void PlacementRespectsAffinity()
    {
        Processor[] cpus = Topology(4, smt: false);
        Assert.Same(cpus[2], _policy.ChooseCpu(new Thread("pinned") { Affinity = 1UL << 2 }));
    }

    [Fact]
    public void AnIdleCpuStealsFromTheBusiestQueueWhatItsAffinityAllows()
    {
        Processor[] cpus = Topology(3, smt: false);
        Running(cpus[0], "busy0");
        Running(cpus[1], "busy1");
        Thread pinned = new("pinned") { Affinity = 1UL << 1 }, free = new("free");
        cpus[1].Ready.TryEnqueue(pinned);
        cpus[1].Ready.TryEnqueue(free);
        cpus[0].Ready.TryEnqueue(new Thread("short"));
        Assert.True(_policy.HasWorkFor(cpus[2]));
        Assert.Same(free, _policy.TakeNext(cpus[2]));         // CPU 1's queue is longer; "pinned" must stay
        Assert.False(cpus[1].Ready.Contains(free));
        Assert.Same(pinned, cpus[1].Ready.Peek(0));
    }

    [Fact]
    public void NothingIsStolenFromACpuAboutToWakeForItsOwnQueue()
    {
        Processor[] cpus = Topology(2, smt: false);
        cpus[0].Ready.TryEnqueue(new Thread("placed"));       // CPU 0 is idle: its IPI is on its way
        Assert.False(_policy.HasWorkFor(cpus[1]));
        Assert.Null(_policy.TakeNext(cpus[1]));
    }

    [Fact]
    public void ASpentThreadSharingItsCoreMovesWhenAWholeCoreIsIdle()
    {
        Processor[] cpus = Topology(4, smt: true);
        Thread a = Running(cpus[0], "a");
        Running(cpus[1], "b");
        _policy.StartTurn(a);
        for (int tick = 1; tick < Quantum; tick++) Assert.False(_policy.Tick(cpus[0], a));
        Assert.True(_policy.Tick(cpus[0], a));                // nobody waits, but core 1 is idle
        Running(cpus[2], "c");
        _policy.StartTurn(a);
        for (int tick = 1; tick <= Quantum; tick++) Assert.False(_policy.Tick(cpus[0], a));
    }

    [Fact]
    public void AQuantumIsAtLeastOneTick()
    {
        Assert.Equal(1, new RoundRobinPolicy(0).QuantumTicks);
    }

    [Fact]
    public void AThreadWhoseBudgetIsSpentIsPassedOverUntilItsPeriodEnds()
    {
        Processor[] cpus = Topology(1, smt: false);
        ulong now = CpuBandwidth.NowUsec + 1000000;          // the clock only moves forward: a fresh start
        CpuBandwidth.AdvanceClockLocked(now);
        var budget = new CpuBandwidth(null);
        budget.SetLimitLocked(1000, 100000, now);
        Thread held = new("held") { Owner = new ThreadOwner { Bandwidth = budget, Share = new CpuShare(null) } };
        Thread free = new("free");
        Assert.True(CpuBandwidth.ChargeLocked(budget, 1000, now));     // its quota spent at once
        cpus[0].Ready.TryEnqueue(held);
        Assert.False(_policy.HasWorkFor(cpus[0]));                      // only a held-back thread: nothing to run
        Assert.Null(_policy.TakeNext(cpus[0]));
        cpus[0].Ready.TryEnqueue(free);
        Assert.True(_policy.HasWorkFor(cpus[0]));
        Assert.Same(free, _policy.TakeNext(cpus[0]));                  // passed over, not lost
        Assert.Equal(1, cpus[0].Ready.Count);

        Running(cpus[0], "spender").Owner = held.Owner;                 // a running thread of the group must leave
        Assert.True(_policy.Tick(cpus[0], cpus[0].CurrentThread));

        CpuBandwidth.AdvanceClockLocked(now + 100000);                  // the period is over
        Assert.Same(held, _policy.TakeNext(cpus[0]));
        Assert.Equal(100000UL, budget.ThrottledUsec);
    }

    [Fact]
    public void SiblingGroupsShareOneCpuByTheirWeights()
    {
        Processor[] cpus = Topology(1, smt: false);
        var light = new ThreadOwner { Share = new CpuShare(null) { Weight = 100 } };
        var heavy = new ThreadOwner { Share = new CpuShare(null) { Weight = 300 } };
        Thread a = new("light") { Owner = light }, b = new("heavy") { Owner = heavy };
        cpus[0].Ready.TryEnqueue(a);
        cpus[0].Ready.TryEnqueue(b);
        int lightTurns = 0, heavyTurns = 0;
        for (int turn = 0; turn < 400; turn++)                // each turn: 10 ms charged, then back in the queue
        {
            Thread next = _policy.TakeNext(cpus[0]);
            CpuShare.ChargeLocked(next.Owner.Share, 10000);
            if (next == a) lightTurns++; else heavyTurns++;
            cpus[0].Ready.TryEnqueue(next);
        }
        Assert.InRange(heavyTurns, 3 * lightTurns - 3, 3 * lightTurns + 3);
    }
}
