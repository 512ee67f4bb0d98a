using Arch.X64;

namespace Sched
{
    /// <summary>
    /// Inter-processor interrupts: how one CPU gets another's attention. A CPU that made a thread ready
    /// for a halted CPU sends it a reschedule IPI (otherwise it would sleep until its next timer tick);
    /// the IPI benchmark pings. The TLB shootdown IPI is memory's (Mem/TlbShootdown.cs); a panicking
    /// CPU's halt IPI is the panic's (Diagnostics/Panic.cs). Both IPIs here arrive through
    /// Sched/LocalInterrupts.cs.
    /// </summary>
    public static unsafe class InterProcessor
    {
        private static ulong s_pings;

        public static void Reschedule(Processor cpu) => LocalApic.SendInterrupt(cpu.ApicId, TrapVectors.RescheduleIpi);

        /// <summary>The ping IPI (the IPI round-trip benchmark): count it.</summary>
        public static void HandlePing()
        {
            fixed (ulong* pings = &s_pings) Atomic.Add(pings, 1);
        }

        /// <summary>Sends a ping to <paramref name="cpu"/> and waits for it to arrive; returns the cycles it took.</summary>
        public static ulong PingRoundTrip(Processor cpu)
        {
            ulong before = System.Threading.Volatile.Read(ref s_pings);
            ulong start = Cpu.ReadTimestamp();
            LocalApic.SendInterrupt(cpu.ApicId, TrapVectors.PingIpi);
            while (System.Threading.Volatile.Read(ref s_pings) == before) Cpu.Pause();
            return Cpu.ReadTimestamp() - start;
        }
    }
}
