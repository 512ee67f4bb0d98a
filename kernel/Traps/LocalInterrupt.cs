using Arch.X64;
using TeachOS.Boundary;

namespace Traps
{
    /// <summary>
    /// A handler for one of a CPU's own interrupts, as the trap path sees it: the crossing from Traps up
    /// to the scheduler. The local APIC timer's tick and the reschedule and ping IPIs are the
    /// scheduler's business (Sched/LocalInterrupts.cs subclasses this); KernelMain registers each with
    /// <see cref="InterruptHandlers.RegisterLocal"/> for its vector, so the trap path names no scheduler.
    /// The IPIs of the layers below need no registration: the trap path calls them directly (the TLB
    /// shootdown, Mem/TlbShootdown.cs; the halt after another CPU's panic).
    /// An abstract class rather than an interface, like <see cref="DeviceInterrupt"/>: a virtual call is
    /// one load from the method table, where the runtime's first interface call on a type fills a
    /// cache, and this runs with interrupts off and may not allocate.
    /// </summary>
    public abstract unsafe class LocalInterrupt
    {
        /// <summary>Runs on the interrupt, with interrupts off: quick, no blocking, no allocation.</summary>
        [InterruptContext]
        public abstract void Handle(TrapFrame* frame);
    }
}
