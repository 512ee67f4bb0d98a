using Arch.X64;
using TeachOS.Boundary;

namespace Traps
{
    /// <summary>
    /// Step 4 for interrupts: which code handles which interrupt. Device interrupts come through the
    /// legacy PIC (IRQ 1 keyboard, IRQ 4 serial, and the line the firmware gave the disk's PCI function,
    /// IRQ 11 on QEMU); each CPU's own timer and the inter-processor interrupts come through its local
    /// APIC. Each handler runs with interrupts off, must be quick, and may not block or allocate; it
    /// records what happened (a tick, a byte of input, a finished disk request) for the rest of the
    /// kernel to act on.
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

        /// <summary>Makes <paramref name="device"/> a handler of IRQ <paramref name="irq"/> (at boot,
        /// before the line is unmasked): how a driver above the trap path receives its interrupts. PCI
        /// lines may be shared (QEMU routes four slots' pins to two lines): a second handler on a line
        /// joins the first (SharedDeviceInterrupt.cs), and each asks its own device whether it interrupted.</summary>
        public static void RegisterDevice(int irq, DeviceInterrupt device) =>
            s_devices[irq] = s_devices[irq] == null ? device : new SharedDeviceInterrupt(s_devices[irq], device);

        /// <summary>An interrupt from this CPU's local APIC: its timer, or another CPU asking something.</summary>
        [InterruptContext]
        public static void HandleLocal(int vector, TrapFrame* frame)
        {
            switch (vector)
            {
                case TrapVectors.LocalTimer:
                    if (ProcessorLocal.CurrentCpuId == 0) Time.Clock.Tick();     // the boot CPU keeps the time
                    break;
                case TrapVectors.TlbShootdownIpi:
                    Mem.TlbShootdown.Handle();
                    break;
                case TrapVectors.HaltIpi:
                    Interrupts.HaltForever();       // another CPU panicked: its report is the last word
                    break;
            }
            LocalInterrupt handler = s_local[vector];
            if (handler != null) handler.Handle(frame);     // the timer tick, a reschedule, a ping
            Arch.X64.LocalApic.EndOfInterrupt();
        }

        private static readonly LocalInterrupt[] s_local = new LocalInterrupt[Idt.VectorCount];

        /// <summary>Makes <paramref name="handler"/> run on this vector of every CPU's local APIC (at
        /// boot, before interrupts are on): how the scheduler receives its timer tick and its IPIs.</summary>
        public static void RegisterLocal(int vector, LocalInterrupt handler) => s_local[vector] = handler;
    }
}
