using TeachOS.Boundary;

namespace Traps
{
    /// <summary>
    /// A device's interrupt handler, as the trap path sees it: the one crossing from Traps up to the
    /// drivers. A driver subclasses it (Drivers/DeviceInterrupts.cs) and KernelMain registers each with
    /// <see cref="InterruptHandlers.RegisterDevice"/> for its IRQ line, so the trap path names no driver.
    /// An abstract class rather than an interface: a virtual call is one load from the method table,
    /// where the runtime's first interface call on a type fills a cache, and this runs with interrupts
    /// off and may not allocate.
    /// </summary>
    public abstract class DeviceInterrupt
    {
        /// <summary>Runs on the device's interrupt, with interrupts off: quick, no blocking, no allocation.</summary>
        [InterruptContext]
        public abstract void Handle();
    }
}
