using Arch.X64;
using Sync;

namespace Mem
{
    /// <summary>
    /// TLB shootdown: a CPU that unmapped memory another CPU may still have in its TLB interrupts that
    /// CPU (the TLB shootdown IPI, sent by its local APIC) and waits until it has flushed; a stale TLB
    /// entry would still let a thread there reach the freed page. Kernel mappings (a freed kernel stack,
    /// heap pages) may be cached by every CPU: <see cref="Everywhere"/>. A process's user pages are
    /// cached only by CPUs running that address space: <see cref="OnCpusRunning"/>.
    ///
    /// What this needs to know about CPUs it is told, so that memory names nothing of the scheduler:
    /// the scheduler calls <see cref="AddCpu"/> as each CPU comes online and <see cref="Running"/>
    /// whenever a CPU is about to use another address space (Sched/SchedulerSwitch.cs UseAddressSpace: at a
    /// switch that changes it, at exec, at a process's exit). The trap path calls
    /// <see cref="Handle"/> for the IPI (Traps/InterruptHandlers.cs).
    /// </summary>
    public static unsafe class TlbShootdown
    {
        private static readonly byte[] s_apicIds = new byte[Acpi.MaximumCpus];
        private static readonly AddressSpace[] s_running = new AddressSpace[Acpi.MaximumCpus];
        private static ulong s_online;                      // one bit per CPU that answers shootdowns

        private static ulong s_address;
        private static ulong s_pages;
        private static ulong s_pending;                     // one bit per CPU still to acknowledge
        private static SpinLock s_lock;                     // one shootdown at a time

        /// <summary>How many shootdowns waited for another CPU.</summary>
        public static ulong Count { get; private set; }

        /// <summary>CPU <paramref name="cpuId"/>, with that local APIC id, now answers shootdowns.</summary>
        public static void AddCpu(int cpuId, byte apicId)
        {
            s_apicIds[cpuId] = apicId;
            fixed (ulong* online = &s_online) Atomic.Add(online, 1UL << cpuId);
        }

        /// <summary>
        /// Records the address space the calling CPU is about to use (null: only the kernel's), before
        /// its page tables are loaded: a shootdown that reads the record before this
        /// write finds the CPU still on its old tables, whose load of the new ones flushes the TLB anyway.
        /// </summary>
        public static void Running(AddressSpace space) => s_running[ProcessorLocal.CurrentCpuId] = space;

        /// <summary>
        /// Makes every other CPU that may be using <paramref name="space"/> forget the translations of
        /// <paramref name="pages"/> consecutive pages from <paramref name="address"/>, in one IPI, and
        /// waits until they have. Call with no lock held: a CPU spinning on a lock with interrupts off
        /// could never answer.
        /// </summary>
        public static void OnCpusRunning(AddressSpace space, ulong address, ulong pages)
        {
            ulong targets = 0;
            for (int cpu = 0; cpu < Acpi.MaximumCpus; cpu++)
                if (s_running[cpu] == space) targets |= 1UL << cpu;
            Send(targets, address, pages);
        }

        /// <summary>The same for kernel pages (a freed kernel stack): every other CPU may have them cached.</summary>
        public static void Everywhere(ulong address, ulong pages) => Send(ulong.MaxValue, address, pages);

        private static void Send(ulong targets, ulong address, ulong pages)
        {
            // Interrupts stay on while we wait: another CPU may be shooting down too and waiting for
            // us. But no thread switch until we are done (Sync/Preemption.cs).
            bool wereOn = Interrupts.AreEnabled;
            Preemption.Disable();
            targets &= System.Threading.Volatile.Read(ref s_online) & ~(1UL << ProcessorLocal.CurrentCpuId);
            if (targets == 0)
            {
                Preemption.Enable();
                return;
            }
            Interrupts.Enable();
            s_lock.AcquireKeepingInterrupts();
            s_address = address;
            s_pages = pages;
            System.Threading.Volatile.Write(ref s_pending, targets);
            for (int cpu = 0; cpu < Acpi.MaximumCpus; cpu++)
                if ((targets & (1UL << cpu)) != 0) LocalApic.SendInterrupt(s_apicIds[cpu], TrapVectors.TlbShootdownIpi);
            while (System.Threading.Volatile.Read(ref s_pending) != 0) Cpu.Pause();
            Count++;
            s_lock.ReleaseKeepingInterrupts();
            if (!wereOn) Interrupts.Disable();
            Preemption.Enable();
        }

        /// <summary>The TLB shootdown IPI: flush the pages, then say so.</summary>
        public static void Handle()
        {
            for (ulong page = 0; page < s_pages; page++)
                PageTables.InvalidateLocal(s_address + page * PageTables.PageSize);
            ulong mine = 1UL << ProcessorLocal.CurrentCpuId;
            fixed (ulong* pending = &s_pending) Atomic.Add(pending, (ulong)-(long)mine);
        }
    }
}
