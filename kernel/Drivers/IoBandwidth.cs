using Sync;
using TeachOS.Boundary;

namespace Drivers
{
    /// <summary>
    /// A disk budget, cgroup v2's io.max, and its counts, io.stat: the threads it covers may move at most
    /// so many bytes and requests per second, reads and writes each apart. The block layer
    /// (Drivers/BlockDevice.cs) charges every request here before the device sees it, and a request over
    /// the budget waits, asleep, until the budget has refilled. Each control group has one
    /// (Cgroups/ControlGroup.cs writes the limits and reads the counts); budgets nest like the groups: a
    /// request is counted in its group's and every one above, and waits until none of them is over.
    ///
    /// Each limit is a token bucket that refills at every timer tick by limit / Hz, so the rate is
    /// smooth at the grain of a tick rather than of a second: a bucket refilled once a second would let
    /// a writer send a whole second's bytes at once and then stand still, and a rate measured over a few
    /// seconds would swing by a second's worth. The bucket may go into debt: a request is let through
    /// when the bucket is not negative and then pays its whole size, so a 1 KiB block passes even under
    /// a limit of 100 bytes a second (it then waits ten seconds before the next). Idle time saves up at
    /// most <see cref="BurstTicks"/> of credit, a tenth of a second, so a group that was quiet cannot
    /// burst far past its limit. Time is the kernel's own (Time/Clock.cs ticks), as cpu.max's is: a slow
    /// host slows the ticks and the budget together, so the rate per second of kernel time holds.
    /// </summary>
    public sealed class IoBandwidth
    {
        /// <summary>"max": no limit, the default.</summary>
        public const long Unlimited = long.MaxValue;

        /// <summary>The largest limit io.max accepts (2^40 a second): its arithmetic in ticks cannot overflow.</summary>
        public const long LargestLimit = 1L << 40;

        /// <summary>The kinds of limit, in io.max's order: rbps, wbps, riops, wiops.</summary>
        public const int ReadBytes = 0, WriteBytes = 1, ReadOperations = 2, WriteOperations = 3, Kinds = 4;

        /// <summary>The budget of the group above, or null at the top.</summary>
        public readonly IoBandwidth Parent;

        /// <summary>The limits, per second ("max": <see cref="Unlimited"/>), by kind. Under <see cref="Lock"/>.</summary>
        public readonly long[] Limits = { Unlimited, Unlimited, Unlimited, Unlimited };

        /// <summary>io.stat: what passed, by kind (rbytes, wbytes, rios, wios). Under <see cref="Lock"/>.</summary>
        public readonly ulong[] Counts = new ulong[Kinds];

        // Each bucket's tokens, in units × Hz (so that a tick adds exactly the limit), and when it was last refilled.
        private readonly long[] _tokens = new long[Kinds];
        private ulong _refilledAtTick;

        /// <summary>One lock for all budgets: a charge looks at a group and all above it at once.</summary>
        public static SpinLock Lock;

        private static CallerIoBudget s_caller;

        public IoBandwidth(IoBandwidth parent) => Parent = parent;

        /// <summary>Frees a removed group's budget and its arrays (Cgroups/ControlGroupTree.cs).</summary>
        public static void Free(IoBandwidth budget)
        {
            Mem.KernelHeap.Free(budget.Limits);
            Mem.KernelHeap.Free(budget.Counts);
            Mem.KernelHeap.Free(budget._tokens);
            Mem.KernelHeap.Free(budget);
        }

        /// <summary>At boot (KernelMain): who says which budget the running thread's request is charged to.</summary>
        public static void Register(CallerIoBudget caller) => s_caller = caller;

        /// <summary>The tenth of a second of credit a quiet bucket may save, as a number of ticks.</summary>
        private static ulong BurstTicks => Time.Clock.Hertz / 10;

        /// <summary>
        /// The block layer, before a request of <paramref name="bytes"/> bytes: charges the running
        /// thread's budget (none for a kernel thread or the root group), waiting while it is over.
        /// </summary>
        [MayBlock]
        public static void ChargeCurrent(bool write, int bytes) => s_caller?.ChargeCurrent(write, bytes);

        /// <summary>
        /// Sets the limits (<see cref="Unlimited"/> for "max"). The buckets start empty, neither in debt
        /// nor with credit: the new limits hold from now.
        /// </summary>
        public void SetLimits(long[] limits)
        {
            bool flags = Lock.Acquire();
            for (int kind = 0; kind < Kinds; kind++)
            {
                Limits[kind] = limits[kind];
                _tokens[kind] = 0;
            }
            _refilledAtTick = Time.Clock.Ticks;
            Lock.Release(flags);
        }

        /// <summary>
        /// Charges one request of <paramref name="bytes"/> to <paramref name="budget"/> and every budget
        /// above it, after waiting until none of them is in debt. Sleeps with no lock held; a thread of a
        /// killed process waits no more, so that it can leave at once.
        /// </summary>
        [MayBlock]
        public static void Charge(IoBandwidth budget, bool write, int bytes, Sched.Thread thread)
        {
            int byteKind = write ? WriteBytes : ReadBytes, operationKind = write ? WriteOperations : ReadOperations;
            while (true)
            {
                bool flags = Lock.Acquire();
                ulong now = Time.Clock.Ticks, wait = 0;
                for (IoBandwidth b = budget; b != null; b = b.Parent)
                {
                    b.Refill(now);
                    wait = Max(wait, b.TicksUntilPaid(byteKind));
                    wait = Max(wait, b.TicksUntilPaid(operationKind));
                }
                if (wait == 0 || thread.OwnerKilled)
                {
                    for (IoBandwidth b = budget; b != null; b = b.Parent)
                    {
                        b.Pay(byteKind, bytes);
                        b.Pay(operationKind, 1);
                    }
                    Lock.Release(flags);
                    return;
                }
                Lock.Release(flags);
                Sched.Scheduler.Sleep(wait);
            }
        }

        // Adds the ticks since the last refill to every limited bucket, up to BurstTicks of credit. A
        // long wait (a limit of a few bytes a second) may need far more ticks than the credit, and
        // limit × ticks could pass 64 bits: a bucket that the ticks would fill is set full instead.
        private void Refill(ulong now)
        {
            ulong ticks = now - _refilledAtTick;
            _refilledAtTick = now;
            for (int kind = 0; kind < Kinds; kind++)
            {
                long limit = Limits[kind];
                if (limit == Unlimited) continue;
                long credit = limit * (long)BurstTicks;
                ulong ticksToFull = (ulong)((credit - _tokens[kind]) / limit) + 1;
                _tokens[kind] = ticks >= ticksToFull ? credit : _tokens[kind] + limit * (long)ticks;
                if (_tokens[kind] > credit) _tokens[kind] = credit;
            }
        }

        // 0 if the bucket may pay now (not in debt, or no limit), else the ticks until its debt is paid off.
        private ulong TicksUntilPaid(int kind)
        {
            long limit = Limits[kind], tokens = _tokens[kind];
            if (limit == Unlimited || tokens >= 0) return 0;
            return (ulong)((-tokens + limit - 1) / limit);
        }

        private void Pay(int kind, int units)
        {
            Counts[kind] += (ulong)units;
            if (Limits[kind] != Unlimited) _tokens[kind] -= (long)units * Time.Clock.Hertz;
        }

        private static ulong Max(ulong a, ulong b) => a > b ? a : b;
    }
}
