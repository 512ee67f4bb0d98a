using Sched;
using Xunit;

namespace TeachOS.Tests.Host;

/// <summary>
/// The CPU budget of cpu.max (kernel/Sched/CpuBandwidth.cs), on a clock given by the test: a quota
/// spent throttles until the period ends, a parent's quota holds its child, and the statistics
/// (nr_periods, nr_throttled, throttled_usec) count what happened. The policy's side (a held-back
/// thread is passed over) is in RoundRobinPolicyTests.
/// </summary>
public class CpuBandwidthTests
{
    private const long Tick = 1000;          // 1 ms ticks, as at 1000 Hz

    private static CpuBandwidth Limited(long quota, long period, CpuBandwidth parent = null, ulong now = 0)
    {
        var budget = new CpuBandwidth(parent);
        budget.SetLimitLocked(quota, period, now);
        return budget;
    }

    [Fact]
    public void UnlimitedIsNeverThrottledAndCountsNoPeriods()
    {
        var budget = new CpuBandwidth(null);
        for (ulong t = 1; t <= 1000; t++) Assert.False(CpuBandwidth.ChargeLocked(budget, Tick, t * Tick));
        Assert.False(CpuBandwidth.IsThrottledLocked(budget, 1001 * Tick));
        Assert.Equal(0UL, budget.Periods);
    }

    [Fact]
    public void QuotaSpentThrottlesUntilThePeriodEnds()
    {
        var budget = Limited(20000, 100000);
        ulong now = 0;
        int ran = 0;
        // A thread that always wants to run, over 10 periods of 100 ticks: it runs while not throttled.
        for (int tick = 1; tick <= 1000; tick++)
        {
            now = (ulong)tick * Tick;
            if (CpuBandwidth.IsThrottledLocked(budget, now)) continue;
            ran++;
            CpuBandwidth.ChargeLocked(budget, Tick, now);
        }
        Assert.InRange(ran, 195, 210);                        // 20 % of 1000 ticks
        Assert.InRange(budget.Periods, 9UL, 11UL);
        Assert.InRange(budget.ThrottledPeriods, 9UL, 11UL);
        Assert.InRange(budget.ThrottledUsec, 700000UL, 800000UL);   // about 80 ms of each period
    }

    [Fact]
    public void AParentsQuotaHoldsItsChild()
    {
        var parent = Limited(10000, 100000);
        var child = Limited(50000, 100000, parent);
        int ran = 0;
        for (int tick = 1; tick <= 100; tick++)
        {
            ulong now = (ulong)tick * Tick;
            if (CpuBandwidth.IsThrottledLocked(child, now)) continue;
            ran++;
            CpuBandwidth.ChargeLocked(child, Tick, now);
        }
        Assert.Equal(10, ran);
        Assert.Equal(1UL, parent.ThrottledPeriods);
        Assert.Equal(0UL, child.ThrottledPeriods);            // the limit that held was the parent's
    }

    [Fact]
    public void WritingMaxLiftsAThrottleAtOnce()
    {
        var budget = Limited(1000, 100000);
        Assert.True(CpuBandwidth.ChargeLocked(budget, Tick, 5 * Tick));
        Assert.True(CpuBandwidth.IsThrottledLocked(budget, 6 * Tick));
        budget.SetLimitLocked(CpuBandwidth.Unlimited, 100000, 7 * Tick);
        Assert.False(CpuBandwidth.IsThrottledLocked(budget, 7 * Tick));
        Assert.Equal(2000UL, budget.ThrottledUsec);           // from 5 ms to 7 ms
    }

    [Fact]
    public void ThrottledTimeStopsAtThePeriodsEndEvenIfNobodyLooked()
    {
        var budget = Limited(1000, 10000);
        CpuBandwidth.ChargeLocked(budget, Tick, 1 * Tick);   // period 1 ms .. 11 ms, throttled at 1 ms
        Assert.False(CpuBandwidth.IsThrottledLocked(budget, 500 * Tick));
        Assert.Equal(10000UL, budget.ThrottledUsec);
    }

    [Fact]
    public void SharesCompareAtTheLevelWhereTheGroupsAreSiblings()
    {
        var left = new CpuShare(null) { Weight = 100 };
        var right = new CpuShare(null) { Weight = 100 };
        var leftChild = new CpuShare(left) { Weight = 10000 };
        CpuShare.ChargeLocked(leftChild, 10000);               // counts 100 µs in the child, 10 ms in left
        Assert.True(CpuShare.RunsBeforeLocked(right, leftChild));
        Assert.False(CpuShare.RunsBeforeLocked(leftChild, right));
        Assert.False(CpuShare.RunsBeforeLocked(leftChild, leftChild));
        Assert.False(CpuShare.RunsBeforeLocked(null, right));  // the root group's threads keep their order
    }

    [Fact]
    public void AGroupThatSleptComesBackAtMostTheLagLimitBehind()
    {
        var sleeper = new CpuShare(null);
        var busy = new CpuShare(null);
        CpuShare.ChargeLocked(busy, 1000000);                  // a second while the other slept
        Assert.True(CpuShare.RunsBeforeLocked(sleeper, busy));
        Assert.Equal(busy.VirtualUsec - CpuShare.LagLimitUsec, sleeper.VirtualUsec);
    }
}
