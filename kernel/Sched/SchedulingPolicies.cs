namespace Sched
{
    /// <summary>
    /// Which policy this kernel schedules with. A new policy (lottery, stride, multi-level feedback)
    /// implements <see cref="ISchedulingPolicy"/> in a file of its own and is named here; the
    /// mechanism in Sched/Scheduler.cs does not change.
    /// </summary>
    public static class SchedulingPolicies
    {
        /// <summary>The kernel's policy, with turns of <paramref name="quantumTicks"/> timer ticks.</summary>
        public static ISchedulingPolicy Create(int quantumTicks) => new RoundRobinPolicy(quantumTicks);
    }
}
