
namespace Arch.X64
{
    /// <summary>
    /// Each CPU's local APIC (Intel SDM vol. 3A, chapter 11): its own interrupt controller, with a timer,
    /// and the means to interrupt other CPUs (inter-processor interrupts). Its registers are memory-mapped
    /// at the same physical address on every CPU; each CPU sees its own.
    /// </summary>
    public static unsafe class LocalApic
    {
        private const int RegisterId = 0x20;
        private const int RegisterEndOfInterrupt = 0xB0;
        private const int RegisterSpurious = 0xF0;
        private const int RegisterErrorStatus = 0x280;
        private const int RegisterCommandLow = 0x300;
        private const int RegisterCommandHigh = 0x310;
        private const int RegisterTimer = 0x320;
        private const int RegisterTimerInitialCount = 0x380;
        private const int RegisterTimerCurrentCount = 0x390;
        private const int RegisterTimerDivide = 0x3E0;

        private const uint SoftwareEnable = 1 << 8;
        private const uint TimerPeriodic = 1 << 17;
        private const uint Masked = 1 << 16;
        private const uint DivideBy16 = 0x3;
        private const uint DeliveryPending = 1 << 12;
        private const uint LevelAssert = 1 << 14;
        private const uint DeliveryInit = 5 << 8;
        private const uint DeliveryStartup = 6 << 8;
        private const uint DestinationAllExcludingSelf = 3 << 18;   // SDM vol. 3A, 11.6.1: destination shorthand

        public const int SpuriousVector = 0xFF;

        private static uint* Registers => (uint*)DirectMap.ToVirtual(Acpi.LocalApicPhysical);

        private static uint Read(int register) => Registers[register / 4];

        private static void Write(int register, uint value) => Registers[register / 4] = value;

        /// <summary>This CPU's APIC id (how the others address it).</summary>
        public static byte Id => (byte)(Read(RegisterId) >> 24);

        /// <summary>Turns this CPU's local APIC on, with <see cref="SpuriousVector"/> for spurious interrupts.</summary>
        public static void Enable()
        {
            Write(RegisterSpurious, SoftwareEnable | SpuriousVector);
            s_enabled = true;
        }

        // Whether some CPU has turned its local APIC on: before that (a panic early in boot) there are
        // no registers to write and no other CPU running to stop.
        private static bool s_enabled;

        /// <summary>Acknowledges the interrupt being handled (local timer, IPIs).</summary>
        public static void EndOfInterrupt() => Write(RegisterEndOfInterrupt, 0);

        /// <summary>Counts how many timer ticks (at bus clock / 16) pass in 10 ms, measured by the PIT.</summary>
        public static uint MeasureTimerTicksPer10Milliseconds()
        {
            Write(RegisterTimerDivide, DivideBy16);
            Write(RegisterTimer, Masked);
            Write(RegisterTimerInitialCount, 0xFFFFFFFF);
            Pit.Wait10Milliseconds();
            uint elapsed = 0xFFFFFFFF - Read(RegisterTimerCurrentCount);
            Write(RegisterTimerInitialCount, 0);
            return elapsed;
        }

        /// <summary>Starts this CPU's timer: an interrupt on <paramref name="vector"/> every <paramref name="ticks"/> ticks.</summary>
        public static void StartPeriodicTimer(int vector, uint ticks)
        {
            Write(RegisterTimerDivide, DivideBy16);
            Write(RegisterTimer, TimerPeriodic | (uint)vector);
            Write(RegisterTimerInitialCount, ticks);
        }

        /// <summary>Sends interrupt <paramref name="vector"/> to the CPU with APIC id <paramref name="apicId"/>.</summary>
        public static void SendInterrupt(byte apicId, int vector) => SendCommand(apicId, (uint)vector);

        /// <summary>Sends interrupt <paramref name="vector"/> to every CPU but this one (a panic stops
        /// the others this way). CPUs never started are waiting for INIT/STARTUP and ignore it.</summary>
        public static void SendToAllOthers(int vector)
        {
            if (s_enabled) SendCommand(0, DestinationAllExcludingSelf | (uint)vector);
        }

        /// <summary>INIT: resets the target CPU into its wait-for-startup state (first step of bring-up).</summary>
        public static void SendInit(byte apicId) => SendCommand(apicId, DeliveryInit | LevelAssert);

        /// <summary>STARTUP: the target CPU starts in real mode at physical address <paramref name="page"/> * 4096.</summary>
        public static void SendStartup(byte apicId, byte page) => SendCommand(apicId, DeliveryStartup | page);

        // The command is two register writes, and an interrupt handler may send an IPI of its own (the
        // timer's handler sends reschedule IPIs). Were it to run between our two writes, it would
        // overwrite the destination, and our IPI would go to its target: a TLB shootdown sent to the
        // wrong CPU is waited for forever. So no interrupts between the writes.
        private static void SendCommand(byte apicId, uint command)
        {
            bool wereOn = Interrupts.Save();
            Write(RegisterErrorStatus, 0);
            Write(RegisterCommandHigh, (uint)apicId << 24);
            Write(RegisterCommandLow, command);           // writing the low half sends it
            while ((Read(RegisterCommandLow) & DeliveryPending) != 0) Cpu.Pause();
            Interrupts.Restore(wereOn);
        }
    }
}
