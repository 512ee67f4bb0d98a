using Arch.X64;
using Boot;

namespace Time
{
    /// <summary>
    /// Kernel time: a tick counter advanced by the timer interrupt (IRQ 0, Arch/X64/Pit.cs) at
    /// <see cref="Hertz"/> ticks per second, set with `hz=` on the command line (default 1000).
    /// The CPU's time-stamp counter, calibrated against the ticks, gives finer measurements.
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

        public static void Start()
        {
            uint requested = DefaultHertz;
            string hz = CommandLine.Get("hz");
            if (hz != null && uint.TryParse(hz, out uint parsed) && parsed >= 19 && parsed <= 10000) requested = parsed;
            Hertz = Pit.Start(requested);
        }

        /// <summary>Called from the timer interrupt.</summary>
        public static void Tick() => System.Threading.Volatile.Write(ref s_ticks, s_ticks + 1);

        public static ulong UptimeMilliseconds => Ticks * 1000 / Hertz;

        /// <summary>Measures the time-stamp counter's rate over <paramref name="ticks"/> timer ticks (interrupts on).</summary>
        public static void CalibrateTimestampCounter(ulong ticks = 20)
        {
            ulong start = Ticks;
            while (Ticks == start) Cpu.Halt();
            ulong first = Ticks, cyclesStart = Cpu.ReadTimestamp();
            while (Ticks < first + ticks) Cpu.Halt();
            ulong cycles = Cpu.ReadTimestamp() - cyclesStart;
            TimestampHertz = cycles * Hertz / ticks;
        }

        /// <summary>Waits, with interrupts on, until <paramref name="ticks"/> more ticks have passed.</summary>
        public static void SleepTicks(ulong ticks)
        {
            ulong end = Ticks + ticks;
            while (Ticks < end) Cpu.Halt();
        }
    }
}
