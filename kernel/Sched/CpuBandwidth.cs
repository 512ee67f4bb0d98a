namespace Sched
{
    /// <summary>
    /// A CPU budget, Linux's CFS bandwidth control (cgroup v2's cpu.max): the threads it covers may
    /// run for at most <see cref="QuotaUsec"/> microseconds of CPU time in every period of
    /// <see cref="PeriodUsec"/> microseconds, counted over all CPUs together (a quota of two periods
    /// lets two CPUs run the group all the time). Once the quota of a period is used, the budget is
    /// throttled: the scheduler picks none of its threads until the period ends, when the quota is
    /// refilled. Each control group has one (Cgroups/ControlGroup.cs, which writes the limits); the
    /// scheduler, which runs the threads, charges and enforces it, so it lives here, and the layer
    /// above only configures it (no upward call is needed).
    ///
    /// Budgets nest like their groups: a thread is charged to its group's budget and to every one
    /// above (<see cref="Parent"/>), and may run only while none of them is throttled, so a parent's
    /// quota holds its children to it whatever their own quota says.
    ///
    /// Time is counted in timer ticks, converted to microseconds (a tick is 1,000,000 / Hz µs): a
    /// thread running when the tick comes is charged the whole tick, as cpu.stat's usage_usec is.
    /// Periods are not kept by a timer of their own: a period ends when its time has passed and
    /// someone looks (a charge, or the scheduler asking whether a throttled budget may run again at
    /// an idle CPU's tick), so a period in which the group never ran costs nothing and is not
    /// counted, as Linux's nr_periods counts only the periods in which the group was active.
    ///
    /// Pure logic over its own fields, called with Scheduler.ThreadStateLock held (often from the
    /// timer interrupt): it neither allocates nor blocks.
    /// </summary>
    public sealed class CpuBandwidth
    {
        /// <summary>"max": no quota, the default.</summary>
        public const long Unlimited = long.MaxValue;

        /// <summary>Linux's default period, 100 ms.</summary>
        public const long DefaultPeriodUsec = 100000;

        /// <summary>The budget of the group above, or null at the top (the root group has none).</summary>
        public readonly CpuBandwidth Parent;

        // The limit (cpu.max). Each an aligned 8-byte store: the tick reads the old or the new value.
        public long QuotaUsec = Unlimited;
        public long PeriodUsec = DefaultPeriodUsec;

        // The statistics (cpu.stat).
        public ulong Periods;            // nr_periods: periods in which its threads ran
        public ulong ThrottledPeriods;   // nr_throttled: periods whose quota ran out
        public ulong ThrottledUsec;      // throttled_usec: time spent throttled, summed

        private ulong _periodEndUsec;    // when the current period ends, on the tick clock in µs
        private long _usedUsec;          // CPU time used in the current period
        private bool _throttled;
        private ulong _throttledSinceUsec;

        public CpuBandwidth(CpuBandwidth parent) => Parent = parent;

        /// <summary>
        /// The scheduler's clock for budgets, in µs: moved on at every CPU's tick
        /// (<see cref="AdvanceClockLocked"/>), read when the policy picks a thread.
        /// </summary>
        public static ulong NowUsec { get; private set; }

        /// <summary>At a tick, with the tick clock in µs; it only moves forward (the CPUs' ticks interleave).</summary>
        public static void AdvanceClockLocked(ulong nowUsec)
        {
            if (nowUsec > NowUsec) NowUsec = nowUsec;
        }

        /// <summary>
        /// Does a budget keep <paramref name="thread"/> from being picked now? Kernel threads and the
        /// threads of a process outside any budget (the root group's) have none; a killed process's
        /// threads are never held back, so that they leave at once and give back what they hold.
        /// </summary>
        public static bool HoldsBackLocked(Thread thread)
        {
            CpuBandwidth budget = thread.Owner?.Bandwidth;
            return budget != null && !thread.OwnerKilled && IsThrottledLocked(budget, NowUsec);
        }

        /// <summary>Is its quota used up for this period (as of the last look)?</summary>
        public bool Throttled => _throttled;

        /// <summary>
        /// Sets cpu.max. The current period ends now: the new limit starts with a full quota (and a
        /// throttled budget is set free, so "max" lifts a throttle at once).
        /// </summary>
        public void SetLimitLocked(long quotaUsec, long periodUsec, ulong nowUsec)
        {
            QuotaUsec = quotaUsec;
            PeriodUsec = periodUsec;
            EndPeriod(nowUsec);
            _periodEndUsec = nowUsec;
        }

        /// <summary>
        /// A thread covered by <paramref name="budget"/> ran for <paramref name="usec"/> until
        /// <paramref name="nowUsec"/>: charges it here and above. True if, after the charge, the thread
        /// may not go on running (this budget or one above is throttled).
        /// </summary>
        public static bool ChargeLocked(CpuBandwidth budget, long usec, ulong nowUsec)
        {
            bool throttled = false;
            for (CpuBandwidth b = budget; b != null; b = b.Parent)
            {
                if (b.QuotaUsec == Unlimited) continue;     // nothing to count against
                if (nowUsec >= b._periodEndUsec) b.StartPeriod(nowUsec);
                b._usedUsec += usec;
                if (!b._throttled && b._usedUsec >= b.QuotaUsec)
                {
                    b._throttled = true;
                    b._throttledSinceUsec = nowUsec;
                    b.ThrottledPeriods++;
                }
                throttled |= b._throttled;
            }
            return throttled;
        }

        /// <summary>
        /// May a thread covered by <paramref name="budget"/> be picked now? No while it or a budget
        /// above is throttled and that one's period has not ended; a period that has ended is closed
        /// here (its throttled time counted), which is how a throttled group comes back.
        /// </summary>
        public static bool IsThrottledLocked(CpuBandwidth budget, ulong nowUsec)
        {
            for (CpuBandwidth b = budget; b != null; b = b.Parent)
            {
                if (!b._throttled) continue;
                if (nowUsec < b._periodEndUsec) return true;
                b.EndPeriod(nowUsec);
            }
            return false;
        }

        // A charge after the period's end: the next period starts now, with a full quota.
        private void StartPeriod(ulong nowUsec)
        {
            EndPeriod(nowUsec);
            _periodEndUsec = nowUsec + (ulong)PeriodUsec;
            Periods++;
        }

        // The quota is refilled; a throttle ends and its length is counted, up to the period's end
        // (nobody may have looked for a while: the group's threads may all have been asleep).
        private void EndPeriod(ulong nowUsec)
        {
            if (_throttled)
            {
                ulong end = nowUsec < _periodEndUsec ? nowUsec : _periodEndUsec;
                ThrottledUsec += end > _throttledSinceUsec ? end - _throttledSinceUsec : 0;
                _throttled = false;
            }
            _usedUsec = 0;
        }
    }
}
