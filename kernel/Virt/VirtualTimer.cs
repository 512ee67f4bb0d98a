using Time;

namespace Virt
{
    /// <summary>
    /// The guest's timer: a small device of TeachOS's own, simpler than a PC's PIT or local APIC but
    /// doing what both do for an operating system: "interrupt me with vector V every P microseconds".
    /// The guest programs it with three I/O ports (each access an I/O exit, Virt/IoExit.cs):
    ///
    ///   0x510  vector   (8 bits, read/write)  the interrupt vector to raise, 32 to 255; a value below 32
    ///                                         (the CPU's exceptions) is refused and the vector stays as it was
    ///   0x514  period   (32 bits, read/write) microseconds between ticks; 0 stops the timer. The period is
    ///                                         rounded up to whole host ticks (1 ms at hz=1000: the hypervisor
    ///                                         only looks at the clock when the guest exits, and the host's timer
    ///                                         makes it exit that often) and held to at most one second, so a
    ///                                         guest asking for 1 µs does not drown in interrupts and one asking
    ///                                         for hours cannot make a halt wait that long. Reading gives the
    ///                                         period in effect, so the guest can see what it got.
    ///   0x518  ticks    (32 bits, read)       the ticks delivered so far
    ///   0x51C  pending  (8 bits, read)        1 while a tick waits for the guest to turn interrupts on (as the
    ///                                         request register of a PIC or an APIC shows what is not yet taken)
    ///
    /// The timer never interrupts anything itself: the host's clock (Time/Clock.cs) is the only time
    /// there is. At each exit the hypervisor asks <see cref="Poll"/> whether the deadline has passed; if
    /// so, a tick is pending (one, as a PIC's request bit: ticks the guest could not take in time
    /// merge into one) until Virt/InterruptInjection.cs can hand it to the guest. There is no
    /// end-of-interrupt register: the guest's own IF, which the CPU clears when it takes the interrupt
    /// through an interrupt gate and IRET restores, is the only mask.
    /// </summary>
    public struct VirtualTimer
    {
        public const ushort Base = 0x510;
        public const ushort VectorPort = Base + 0;
        public const ushort PeriodPort = Base + 4;
        public const ushort TicksPort = Base + 8;
        public const ushort PendingPort = Base + 12;
        public const ushort Last = PendingPort + 3;

        private const uint FirstUsableVector = 32;             // 0 to 31 are the CPU's exceptions (APM vol. 2, 8.2)
        private const uint MaximumPeriodMicroseconds = 1_000_000;
        private const ulong MicrosecondsPerSecond = 1_000_000;

        public byte Vector;
        public ulong PeriodTicks;          // host ticks between the guest's ticks; 0: stopped
        public ulong Deadline;             // the host tick at which the next one is due
        public bool Pending;               // a tick waits for the guest to take it
        public uint Delivered;

        /// <summary>Whether ticks will come: a period and a vector. A halt with interrupts on waits only then.</summary>
        public bool IsRunning => PeriodTicks != 0 && Vector != 0;

        public void Write(ushort port, uint value)
        {
            if (port == VectorPort)
            {
                if ((value & 0xFF) >= FirstUsableVector) Vector = (byte)value;
            }
            else if (port == PeriodPort)
            {
                Pending = false;
                if (value == 0) { PeriodTicks = 0; return; }
                ulong microseconds = value < MaximumPeriodMicroseconds ? value : MaximumPeriodMicroseconds;
                ulong ticks = (microseconds * Clock.Hertz + MicrosecondsPerSecond - 1) / MicrosecondsPerSecond;
                PeriodTicks = ticks < 1 ? 1 : ticks;
                Deadline = Clock.Ticks + PeriodTicks;
            }
        }

        public uint Read(ushort port)
        {
            if (port == VectorPort) return Vector;
            if (port == PeriodPort) return (uint)(PeriodTicks * MicrosecondsPerSecond / Clock.Hertz);
            if (port == TicksPort) return Delivered;
            if (port == PendingPort) { Poll(); return Pending ? 1u : 0u; }
            return 0;
        }

        /// <summary>At each exit: makes a tick pending if its time has come, and sets the next deadline.</summary>
        public void Poll()
        {
            if (!IsRunning) return;
            ulong now = Clock.Ticks;
            if (now < Deadline) return;
            Pending = true;
            // The next deadline is a period after this one; if the guest fell more than a period behind
            // (it had interrupts off, or the host ran others), a period from now: missed ticks are not
            // made up for in a burst.
            Deadline += PeriodTicks;
            if (Deadline <= now) Deadline = now + PeriodTicks;
        }

        /// <summary>Host ticks until the next deadline (0 when it has passed).</summary>
        public ulong TicksToDeadline()
        {
            ulong now = Clock.Ticks;
            return Deadline > now ? Deadline - now : 0;
        }
    }
}
