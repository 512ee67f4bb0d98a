using Arch.X64;
using TeachOS.Boundary;

namespace Traps
{
    /// <summary>
    /// Step 4 for interrupts: which code handles which interrupt. Device interrupts come through the
    /// legacy PIC (IRQ 1 keyboard, IRQ 4 serial); each CPU's own timer and the inter-processor
    /// interrupts come through its local APIC. Each handler runs with interrupts off, must be quick,
    /// and may not block or allocate; it records what happened (a tick, a byte of input) for the
    /// rest of the kernel to act on.
    /// </summary>
    public static unsafe class InterruptHandlers
    {
        public static ulong[] Counts = new ulong[TrapVectors.IrqCount];

        /// <summary>A device interrupt from the PIC (the dispatcher sends the PIC its End Of Interrupt).</summary>
        [InterruptContext]
        public static void Handle(int irq, TrapFrame* frame)
        {
            Counts[irq]++;
            DeviceInterrupt device = s_devices[irq];
            if (device != null) device.Handle();
        }

        private static readonly DeviceInterrupt[] s_devices = new DeviceInterrupt[TrapVectors.IrqCount];

        /// <summary>Makes <paramref name="device"/> the handler of IRQ <paramref name="irq"/> (at boot,
        /// before the line is unmasked): how a driver above the trap path receives its interrupts.</summary>
        public static void RegisterDevice(int irq, DeviceInterrupt device) => s_devices[irq] = device;

        /// <summary>An interrupt from this CPU's local APIC: its timer, or another CPU asking something.</summary>
        [InterruptContext]
        public static void HandleLocal(int vector, TrapFrame* frame)
        {
            switch (vector)
            {
                case TrapVectors.LocalTimer:
                    if (Sched.Processor.Current.Id == 0) Time.Clock.Tick();     // the boot CPU keeps the time
                    if (TimerHook != null) TimerHook(frame);
                    break;
                case TrapVectors.RescheduleIpi:
                    Sched.Scheduler.RequestReschedule();
                    break;
                case TrapVectors.TlbShootdownIpi:
                    Sched.InterProcessor.HandleShootdown();
                    break;
                case TrapVectors.PingIpi:
                    Sched.InterProcessor.HandlePing();
                    break;
                case TrapVectors.HaltIpi:
                    Interrupts.HaltForever();       // another CPU panicked: its report is the last word
                    break;
            }
            Arch.X64.LocalApic.EndOfInterrupt();
        }

        /// <summary>Set by the scheduler: runs on every timer tick of every CPU.</summary>
        public static delegate*<TrapFrame*, void> TimerHook;
    }
}
