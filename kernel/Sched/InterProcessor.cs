using Sync;
using Arch.X64;

namespace Sched
{
    /// <summary>
    /// Inter-processor interrupts: how one CPU gets another's attention. A CPU that made a thread ready
    /// for a halted CPU sends it a reschedule IPI (otherwise it would sleep until its next timer tick);
    /// a CPU that unmapped memory a thread on another CPU may still have in its TLB sends a TLB
    /// shootdown and waits until every such CPU has flushed (a stale TLB entry would still let that
    /// thread reach the freed page).
    /// </summary>
    public static unsafe class InterProcessor
    {
        private static ulong s_shootdownAddress;
        private static ulong s_shootdownPages;
        private static ulong s_shootdownPending;           // one bit per CPU still to acknowledge
        private static ulong s_pings;
        private static SpinLock s_shootdownLock;           // one shootdown at a time

        public static void Reschedule(Processor cpu) => LocalApic.SendInterrupt(cpu.ApicId, TrapVectors.RescheduleIpi);

        /// <summary>
        /// Makes every other CPU that may be using <paramref name="process"/>'s address space forget the
        /// translation of <paramref name="address"/>, and waits until they have. Call with no lock held:
        /// a CPU spinning on a lock with interrupts off could never answer.
        /// </summary>
        public static void Shootdown(ThreadOwner process, ulong address) => Shootdown(process, address, 1);

        /// <summary>The same for <paramref name="pages"/> consecutive pages from <paramref name="address"/>, in one IPI.</summary>
        public static void Shootdown(ThreadOwner process, ulong address, ulong pages)
        {
            ulong targets = 0;
            Processor self = Processor.Current;
            for (int i = 0; i < Processor.Count; i++)
            {
                Processor cpu = Processor.All[i];
                if (cpu != null && cpu != self && cpu.Online && cpu.CurrentThread != null && cpu.CurrentThread.Owner == process)
                    targets |= 1UL << cpu.Id;
            }
            Shootdown(targets, address, pages);
        }

        /// <summary>The same for kernel pages (a freed kernel stack): every other CPU may have them cached.</summary>
        public static void ShootdownEverywhere(ulong address, ulong pages)
        {
            ulong targets = 0;
            Processor self = Processor.Current;
            for (int i = 0; i < Processor.Count; i++)
            {
                Processor cpu = Processor.All[i];
                if (cpu != null && cpu != self && cpu.Online) targets |= 1UL << cpu.Id;
            }
            Shootdown(targets, address, pages);
        }

        private static void Shootdown(ulong targets, ulong address, ulong pages)
        {
            if (targets == 0) return;
            // Interrupts stay on while we wait: another CPU may be shooting down too and waiting for
            // us. But no thread switch until we are done (Processor.PreemptionDisabled).
            bool wereOn = Interrupts.AreEnabled;
            Processor self = Processor.DisablePreemption();
            Interrupts.Enable();
            s_shootdownLock.AcquireKeepingInterrupts();
            s_shootdownAddress = address;
            s_shootdownPages = pages;
            System.Threading.Volatile.Write(ref s_shootdownPending, targets);
            for (int i = 0; i < Processor.Count; i++)
                if ((targets & (1UL << i)) != 0) LocalApic.SendInterrupt(Processor.All[i].ApicId, TrapVectors.TlbShootdownIpi);
            while (System.Threading.Volatile.Read(ref s_shootdownPending) != 0) Cpu.Pause();
            Shootdowns++;
            s_shootdownLock.ReleaseKeepingInterrupts();
            if (!wereOn) Interrupts.Disable();
            Processor.EnablePreemption(self);
        }

        public static ulong Shootdowns { get; private set; }

        /// <summary>The TLB shootdown IPI: flush the pages, then say so.</summary>
        public static void HandleShootdown()
        {
            for (ulong page = 0; page < s_shootdownPages; page++)
                PageTables.InvalidateLocal(s_shootdownAddress + page * PageTables.PageSize);
            ulong mine = 1UL << Processor.Current.Id;
            fixed (ulong* pending = &s_shootdownPending) Atomic.Add(pending, (ulong)-(long)mine);
        }

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
