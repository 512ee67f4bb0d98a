namespace Arch.X64
{
    /// <summary>
    /// One CPU's descriptor tables: its GDT and TSS (each CPU needs its own TSS, because RSP0 is the
    /// running thread's kernel stack and that differs per CPU) and the extra stacks its TSS names.
    /// The IDT is shared by all CPUs (Arch/X64/Idt.cs).
    /// </summary>
    public sealed unsafe class ProcessorTables
    {
        /// <summary>The boot CPU's tables (the per-CPU data will own them once there are several CPUs).</summary>
        public static ProcessorTables Boot;

        public GlobalDescriptorTable* Gdt { get; private set; }
        public TaskStateSegment* Tss { get; private set; }

        /// <summary>Builds and loads the tables on the calling CPU, in memory the caller allocated (Arch
        /// allocates nothing): a GDT, a TSS, and the tops of the three interrupt stacks the TSS names
        /// (IST1 double fault, IST2 NMI, IST3 machine check).</summary>
        public static ProcessorTables CreateAndLoad(GlobalDescriptorTable* gdt, TaskStateSegment* tss,
            ulong interruptStack1Top, ulong interruptStack2Top, ulong interruptStack3Top)
        {
            var tables = new ProcessorTables { Gdt = gdt, Tss = tss };
            tables.Tss->Ist1 = interruptStack1Top;
            tables.Tss->Ist2 = interruptStack2Top;
            tables.Tss->Ist3 = interruptStack3Top;
            tables.Tss->IoMapBase = (ushort)sizeof(TaskStateSegment);
            tables.Gdt->Fill((ulong)tables.Tss, (uint)sizeof(TaskStateSegment) - 1);

            DescriptorTablePointer pointer;
            pointer.Limit = (ushort)(sizeof(GlobalDescriptorTable) - 1);
            pointer.Base = (ulong)tables.Gdt;
            SystemRegisters.LoadGdt(&pointer, Selectors.KernelCode, Selectors.KernelData);
            SystemRegisters.LoadTaskRegister(Selectors.TaskState);
            return tables;
        }

        /// <summary>The stack the CPU switches to on an interrupt from user mode.</summary>
        public void SetKernelStack(ulong top) => Tss->Rsp0 = top;
    }
}
