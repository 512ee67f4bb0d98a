using Arch.X64;
using TeachOS.Boundary;
using Traps;

namespace Sched
{
    /// <summary>
    /// The timer's tick on every CPU, registered by KernelMain for the local APIC timer's vector
    /// (Traps/LocalInterrupt.cs): take the profiler's sample of the interrupted code (when `profile`
    /// is on, Sched/Profiler.cs), then charge the running thread, wake sleepers, end a quantum.
    /// </summary>
    public sealed unsafe class SchedulerTick : LocalInterrupt
    {
        [InterruptContext]
        public override void Handle(TrapFrame* frame)
        {
            Profiler.Record(frame);
            Scheduler.OnTimerTick();
        }
    }

    /// <summary>The reschedule IPI, registered by KernelMain: another CPU made work for this one.</summary>
    public sealed unsafe class RescheduleRequest : LocalInterrupt
    {
        [InterruptContext]
        public override void Handle(TrapFrame* frame) => Scheduler.RequestReschedule();
    }

    /// <summary>The ping IPI of the IPI round-trip benchmark, registered by KernelMain (Sched/InterProcessor.cs).</summary>
    public sealed unsafe class PingArrival : LocalInterrupt
    {
        [InterruptContext]
        public override void Handle(TrapFrame* frame) => InterProcessor.HandlePing();
    }
}
