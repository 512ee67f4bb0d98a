using Arch.X64;
using Boot;

namespace Time
{
    /// <summary>
    /// Kernel time: a tick counter advanced by the boot CPU's local APIC timer at <see cref="Hertz"/>
    /// ticks per second, set with `hz=` on the command line (default 1000). Every CPU runs its own
    /// local APIC timer at that rate for scheduling; the APIC timer's speed is measured once against
    /// the PIT, whose frequency is fixed. The time-stamp counter gives finer measurements.
    /// </summary>
    public static class Clock
    {
        public const uint DefaultHertz = 1000;

        private static ulong s_ticks;

        /// <summary>Ticks since the timer started. Written only by the timer interrupt; a 64-bit
        /// read is atomic on x86-64, so readers need no lock, but they must read it afresh each time
        /// (a volatile read), or a waiting loop could keep looking at a stale copy.</summary>
        public static ulong Ticks => System.Threading.Volatile.Read(ref s_ticks);

        public static uint Hertz { get; private set; } = DefaultHertz;

        /// <summary>Time-stamp-counter cycles per second (0 until calibrated).</summary>
        public static ulong TimestampHertz { get; private set; }

        private static uint s_apicTicksPerTick;

        /// <summary>Measures the local APIC timer and starts it on the boot CPU.</summary>
        public static void Start()
        {
            string hz = CommandLine.Get("hz");
            if (hz != null && uint.TryParse(hz, out uint parsed) && parsed >= 10 && parsed <= 10000) Hertz = parsed;
            LocalApic.Enable();
            // The same 10 ms of the PIT also gives a first measure of the time-stamp counter's rate.
            ulong cyclesBefore = Cpu.ReadTimestamp();
            s_apicTicksPerTick = LocalApic.MeasureTimerTicksPer10Milliseconds() * 100 / Hertz;
            TimestampHertz = (Cpu.ReadTimestamp() - cyclesBefore) * 100;
            StartOnThisCpu();
        }

        /// <summary>Starts the calling CPU's timer (every CPU has its own; Start must have run).</summary>
        public static void StartOnThisCpu() =>
            LocalApic.StartPeriodicTimer(TrapVectors.LocalTimer, s_apicTicksPerTick);

        /// <summary>Called from the timer interrupt.</summary>
        public static void Tick() => System.Threading.Volatile.Write(ref s_ticks, s_ticks + 1);

        public static ulong UptimeMilliseconds => Ticks * 1000 / Hertz;

        /// <summary>Measures the time-stamp counter's rate over <paramref name="ticks"/> timer ticks (interrupts on).</summary>
        public static void CalibrateTimestampCounter(ulong ticks = 20)
        {
            ulong start = Ticks;
            while (Ticks == start) Interrupts.Halt();
            ulong first = Ticks, cyclesStart = Cpu.ReadTimestamp();
            while (Ticks < first + ticks) Interrupts.Halt();
            ulong cycles = Cpu.ReadTimestamp() - cyclesStart;
            TimestampHertz = cycles * Hertz / ticks;
        }

        /// <summary>Waits, with interrupts on, until <paramref name="ticks"/> more ticks have passed.</summary>
        public static void SleepTicks(ulong ticks)
        {
            ulong end = Ticks + ticks;
            while (Ticks < end) Interrupts.Halt();
        }
    }
}
